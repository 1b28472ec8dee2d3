/**
 * @file youth/followup.h
 * @brief Outcome follow-ups: what became of a youth some months after leaving a service.
 *
 * An operator contacts the youth 3, 6 or 12 months (any horizon from 1 to 60 months is
 * accepted) after the youth left a service and records the situation found on that date:
 * employed in a formal job, employed informally, self-employed, studying, unemployed, or
 * neither in education, employment nor training (NEET).  An employed youth names the
 * employer; the others name none.
 *
 * A follow-up may refer to the service the youth left (`service` and `service_id`).  For
 * `"enrollment"` the enrollment must exist and belong to the same person; for the other kinds
 * (`"counselling"`, `"scholarship"`, `"seed_capital"`, `"plan"`) only `service_id > 0` is
 * checked.  There is at most one follow-up per person, service, service id and horizon
 * (follow-ups without a service count as one service of their own).
 *
 * Conventions as in youth/exchange.h: plain structs whose string members are borrowed on
 * input; a record returned by a get is one block freed with youth_followup_free(); a record
 * returned by an iterator is valid until the next call; youth_followup_set_field() /
 * youth_followup_get_field() / youth_followup_field_name() give the text interface.  Every
 * refused call writes nothing and describes the field, the value and the rule in
 * youth_error_last().
 */
#ifndef YOUTH_FOLLOWUP_H
#define YOUTH_FOLLOWUP_H

#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The situation of a youth found at a follow-up. */
typedef enum youth_followup_status {
	YOUTH_FOLLOWUP_UNSET = 0,
	YOUTH_FOLLOWUP_EMPLOYED_FORMAL = 1,   /**< Wage job with social security (needs employer). */
	YOUTH_FOLLOWUP_EMPLOYED_INFORMAL = 2, /**< Wage job without a contract (needs employer). */
	YOUTH_FOLLOWUP_SELF_EMPLOYED = 3,     /**< Own business or trade (no employer). */
	YOUTH_FOLLOWUP_STUDYING = 4,          /**< In education or training. */
	YOUTH_FOLLOWUP_UNEMPLOYED = 5,        /**< Without work and looking for it. */
	YOUTH_FOLLOWUP_NEET = 6               /**< Not in education, employment or training. */
} youth_followup_status;

/* The usual follow-up horizons, in months after leaving a service. */
#define YOUTH_FOLLOWUP_HORIZON_3 3   /**< Usual horizon: 3 months after leaving a service. */
#define YOUTH_FOLLOWUP_HORIZON_6 6   /**< Usual horizon: 6 months after leaving a service. */
#define YOUTH_FOLLOWUP_HORIZON_12 12 /**< Usual horizon: 12 months after leaving a service. */
/** The longest horizon accepted, in months. */
#define YOUTH_FOLLOWUP_HORIZON_MAX 60

/** One follow-up of one youth. */
typedef struct youth_followup {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	int64_t person_id;             /**< Required: the youth. */
	int64_t operator_id;           /**< Required: who recorded it (an active operator). */
	int64_t exchange_id;           /**< Read-only: the operator's exchange. */
	const char *date;              /**< Required: not in the future, not before the census. */
	int horizon_months;            /**< Required, 1-60 (usually 3, 6 or 12). */
	int status;                    /**< Required #youth_followup_status. */
	int64_t employer_id;           /**< Required for the employed statuses, else must be 0. */
	const char *service;           /**< Optional: "enrollment", "counselling", "scholarship",
	                                    "seed_capital" or "plan"; needs service_id. */
	int64_t service_id;            /**< The record of `service` (0 when no service). */
	const char *notes;             /**< Optional, 1-1000 bytes on one line. */
} youth_followup;

/** An iterator over follow-ups.  Opaque; freed by youth_followup_iter_free(). */
typedef struct youth_followup_iter youth_followup_iter;

/** Zeroes @p f.  Call before filling a new record. */
YOUTH_EXTERN(void) youth_followup_init(youth_followup *f);

/**
 * Validates and stores a follow-up; sets `id`, `exchange_id` and (if empty) `uuid`.
 *
 * @return #YOUTH_OK;
 *         #YOUTH_EINVAL (a field breaks a rule: missing or malformed value, date in the
 *         future or before the person's census date, horizon outside 1-60, unknown status,
 *         employer missing for an employed status or given for another, unknown service kind,
 *         service without service_id or the reverse, enrollment of another person);
 *         #YOUTH_ENOTFOUND (person, operator, employer or enrollment);
 *         #YOUTH_ERULE (the operator is inactive);
 *         #YOUTH_EEXISTS (a follow-up of the same person, service and horizon, or the uuid,
 *         already exists); #YOUTH_ENOMEM; storage errors.
 */
YOUTH_EXTERN(int) youth_followup_add(youth_registry *reg, youth_followup *f);

/**
 * Replaces every field of follow-up `f->id` and re-checks every rule.  The exchange follows
 * the operator given; an empty uuid keeps the stored one, another one is #YOUTH_EINVAL.
 *
 * @return as youth_followup_add(), and #YOUTH_ENOTFOUND (field "id") when there is no such
 *         follow-up.
 */
YOUTH_EXTERN(int) youth_followup_update(youth_registry *reg, const youth_followup *f);

/**
 * Deletes follow-up @p id.
 * @return #YOUTH_OK; #YOUTH_EINVAL (id not positive); #YOUTH_ENOTFOUND.
 */
YOUTH_EXTERN(int) youth_followup_delete(youth_registry *reg, int64_t id);

/**
 * Reads a follow-up by id; free it with youth_followup_free().
 * @return #YOUTH_OK; #YOUTH_EINVAL (NULL argument); #YOUTH_ENOTFOUND; #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_followup_get(youth_followup **out, youth_registry *reg, int64_t id);

/**
 * Reads the most recent follow-up of a person (latest date; among several on that date, the
 * last recorded).  Free it with youth_followup_free().
 * @return #YOUTH_OK; #YOUTH_EINVAL (NULL argument, id not positive); #YOUTH_ENOTFOUND (no such
 *         person, or no follow-up of that person; field "person_id"); #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_followup_latest(youth_followup **out, youth_registry *reg,
                                        int64_t person_id);

/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_followup_free(youth_followup *f);

/**
 * Iterates over the follow-ups of a person (0 for everyone), in date order (then id order).
 * @return #YOUTH_OK; #YOUTH_EINVAL (NULL argument, negative id); #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_followup_iter_new(youth_followup_iter **out, youth_registry *reg,
                                          int64_t person_id);

/**
 * Iterates over the follow-ups with status @p status (0 for any) dated between @p from and
 * @p to inclusive (NULL for an open end), in date order (then id order).
 * @return #YOUTH_OK; #YOUTH_EINVAL (unknown status, malformed date, @p from after @p to);
 *         #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_followup_iter_range(youth_followup_iter **out, youth_registry *reg,
                                            int status, const char *from, const char *to);

/** Next follow-up (owned by the iterator, valid until the next call) or #YOUTH_ITEROVER
 * (latched: every later call returns it too). */
YOUTH_EXTERN(int) youth_followup_next(const youth_followup **out, youth_followup_iter *it);

/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_followup_iter_free(youth_followup_iter *it);

/**
 * Counts follow-ups for indicator reports: with status @p status (0 for any), at horizon
 * @p horizon_months (0 for any), dated between @p from and @p to inclusive (NULL for an open
 * end).  E.g. youths found in formal employment 6 months after leaving a service in 2009:
 * `youth_followup_count(&n, reg, YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 6, "2009-01-01", "2009-12-31")`.
 *
 * @param[out] out the count (0 on failure).
 * @param reg the registry.
 * @param status a #youth_followup_status, or 0 for any.
 * @param horizon_months 1-60, or 0 for any.
 * @param from first date counted (`YYYY-MM-DD`), or NULL.
 * @param to last date counted, or NULL.
 * @return #YOUTH_OK; #YOUTH_EINVAL (NULL argument, unknown status, horizon outside 0-60,
 *         malformed date, @p from after @p to).
 */
YOUTH_EXTERN(int) youth_followup_count(int64_t *out, youth_registry *reg, int status,
                                       int horizon_months, const char *from, const char *to);

/** Sets a field from text by name (read-only `exchange_id` is refused); see
 * youth_person_set_field().  The text is borrowed. */
YOUTH_EXTERN(int) youth_followup_set_field(youth_followup *f, const char *field,
                                           const char *text);
/** Gets a field as text by name (see youth_person_get_field()); *out is NULL when unset. */
YOUTH_EXTERN(int) youth_followup_get_field(const char **out, const youth_followup *f,
                                           const char *field, char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_followup_field_name(size_t index);
/** "employed_formal", "employed_informal", "self_employed", "studying", "unemployed",
 * "neet", or NULL. */
YOUTH_EXTERN(const char *) youth_followup_status_name(int status);

#ifdef __cplusplus
}
#endif
#endif
