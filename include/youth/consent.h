/**
 * @file youth/consent.h
 * @brief Consent per purpose: given or withdrawn, dated, with who recorded it and the
 *        evidence, its whole history kept.
 *
 * A person consents (or not) to each **purpose** of the vocabulary of the registry: `census`
 * (being registered), `training`, `stipend`, `national_sharing` (data shared with the national
 * level), `research`, and any purpose a rules file adds (docs/rules.md, "Purposes").  Giving
 * and withdrawing each append a row; nothing is ever overwritten, and the **active** state of
 * a (person, purpose) is its latest row.  A record-level export for a purpose
 * (youth_export_options.purpose) leaves out every person without active consent for it, and
 * all their records (docs/privacy.md, "Consent").
 *
 * The person's older `consent` / `consent_date` fields are the `census` purpose seen through
 * the person record: a person with no `census` row is consenting when that flag is set (from
 * its date), and every `census` row given or withdrawn sets the flag to the new state.
 *
 * Conventions as in youth/followup.h: a plain struct whose strings are borrowed on input; a
 * record returned by a get is one block freed with youth_consent_free(); a record returned by
 * an iterator is valid until the next call; every refused call writes nothing and describes
 * the field, the value and the rule in youth_error_last().
 */
#ifndef YOUTH_CONSENT_H
#define YOUTH_CONSENT_H

#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The state a consent row records. */
typedef enum youth_consent_state {
	YOUTH_CONSENT_UNSET = 0,     /**< Not a stored state. */
	YOUTH_CONSENT_GIVEN = 1,     /**< Consent given from `date` on. */
	YOUTH_CONSENT_WITHDRAWN = 2  /**< Consent withdrawn from `date` on. */
} youth_consent_state;

/** The purposes every registry has from its creation (schema 7); a rules file adds more. */
#define YOUTH_PURPOSE_CENSUS "census"                     /**< Being registered. */
#define YOUTH_PURPOSE_TRAINING "training"                 /**< Training and its follow-up. */
#define YOUTH_PURPOSE_STIPEND "stipend"                   /**< Stipends and their payment. */
#define YOUTH_PURPOSE_NATIONAL_SHARING "national_sharing" /**< Sharing with the national level. */
#define YOUTH_PURPOSE_RESEARCH "research"                 /**< Research and evaluation. */

/** One row of a person's consent history. */
typedef struct youth_consent {
	int64_t id;                    /**< Set by give / withdraw. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	int64_t person_id;             /**< Required: the person. */
	const char *purpose;           /**< Required: a purpose of the registry's vocabulary. */
	int state;                     /**< Read-only: #youth_consent_state, set by the call. */
	/** Required: not in the future, not before the person's birth, not before the latest
	 *  row of the same person and purpose. */
	const char *date;
	/** Who recorded it (an operator's name, a login), 1-200 bytes; empty: the actor set on
	 *  the handle (youth_registry_set_actor()). */
	const char *recorded_by;
	/** Optional, 1-500 bytes: where the evidence is (a form's number, a scanned file). */
	const char *evidence;
} youth_consent;

/** An iterator over consent rows.  Opaque; freed by youth_consent_iter_free(). */
typedef struct youth_consent_iter youth_consent_iter;

/** Zeroes @p c.  Call before filling a new record. */
YOUTH_EXTERN(void) youth_consent_init(youth_consent *c);
/** Frees a record returned by youth_consent_get() (NULL is fine). */
YOUTH_EXTERN(void) youth_consent_free(youth_consent *c);
/** The name of field @p index (0-based), NULL past the last (docs/records.md). */
YOUTH_EXTERN(const char *) youth_consent_field_name(size_t index);
/** Sets field @p name from text (type checked only; rules are checked by give/withdraw).
 *  @p c must have been initialised; text is borrowed like every input string. */
YOUTH_EXTERN(int) youth_consent_set_field(youth_consent *c, const char *name, const char *value);
/** Reads field @p name as text into @p buf (size @p size); *@p out points at the text. */
YOUTH_EXTERN(int) youth_consent_get_field(const char **out, const youth_consent *c,
                                          const char *name, char *buf, size_t size);
/** Names a #youth_consent_state ("given", "withdrawn"); NULL for any other value. */
YOUTH_EXTERN(const char *) youth_consent_state_name(int state);

/**
 * Records that person `c->person_id` gives consent for `c->purpose` on `c->date`: appends a
 * row (state #YOUTH_CONSENT_GIVEN) and sets `c->id`, `c->state` and (if empty) `c->uuid`.
 * Giving again while given appends a renewal (with its own evidence).  For `census` the
 * person's `consent` / `consent_date` become 1 and the date, in the same write.
 *
 * @return #YOUTH_OK;
 *         #YOUTH_EINVAL (a field breaks a rule: missing, a date in the future, before the
 *         person's birth or before the latest row of this person and purpose, an unknown
 *         purpose (the message lists the allowed ones), no recorded_by and no actor, text too
 *         long); #YOUTH_ENOTFOUND (no such person); #YOUTH_EEXISTS (uuid in use);
 *         #YOUTH_EMISUSE (audited registry without an actor); #YOUTH_EREADONLY.
 */
YOUTH_EXTERN(int) youth_consent_give(youth_registry *reg, youth_consent *c);

/**
 * Records that the person withdraws consent for the purpose, as youth_consent_give() does
 * (state #YOUTH_CONSENT_WITHDRAWN; for `census` the person's flag becomes 0).
 * @return as youth_consent_give(), and #YOUTH_ESTATE when consent for that purpose is not
 *         active (never given, or already withdrawn): there is nothing to withdraw.
 */
YOUTH_EXTERN(int) youth_consent_withdraw(youth_registry *reg, youth_consent *c);

/**
 * Whether person @p person_id has active consent for @p purpose: its latest row is a giving
 * (for `census` without any row: the person's legacy `consent` flag).
 * @param[out] given 1 or 0.
 * @param[out] since the date of the row (or flag) that decides, `YYYY-MM-DD`, or "" when
 *             there is none; may be NULL, else at least 11 bytes.
 * @return #YOUTH_OK; #YOUTH_EINVAL (NULL argument, bad id, unknown purpose);
 *         #YOUTH_ENOTFOUND (no such person).
 */
YOUTH_EXTERN(int) youth_consent_active(int *given, char *since, youth_registry *reg,
                                       int64_t person_id, const char *purpose);

/** Reads consent row @p id into a new record (free with youth_consent_free()).
 *  @return #YOUTH_OK; #YOUTH_ENOTFOUND; #YOUTH_EINVAL. */
YOUTH_EXTERN(int) youth_consent_get(youth_consent **out, youth_registry *reg, int64_t id);

/**
 * Iterates over the consent history, oldest row first (the order it was recorded in):
 * of person @p person_id (0: every person) for @p purpose (NULL: every purpose).
 * @return #YOUTH_OK; #YOUTH_EINVAL (negative id, unknown purpose).
 */
YOUTH_EXTERN(int) youth_consent_iter_new(youth_consent_iter **out, youth_registry *reg,
                                         int64_t person_id, const char *purpose);
/** Next row (borrowed until the next call); #YOUTH_ITEROVER at the end (latched). */
YOUTH_EXTERN(int) youth_consent_next(const youth_consent **out, youth_consent_iter *it);
/** Frees the iterator (NULL is fine). */
YOUTH_EXTERN(void) youth_consent_iter_free(youth_consent_iter *it);

/**
 * Checks that @p purpose is a purpose of the registry's vocabulary (the five defaults and
 * those added by a rules file, docs/rules.md).
 * @return #YOUTH_OK; #YOUTH_EINVAL (field `purpose`), with a message naming the purpose and
 *         listing the allowed ones.
 */
YOUTH_EXTERN(int) youth_purpose_check(youth_registry *reg, const char *purpose);

/**
 * Writes the purposes of the registry, in alphabetical order and separated by ", ", into
 * @p buf of @p size bytes (always NUL-terminated).
 * @return #YOUTH_OK; #YOUTH_ELIMIT when they do not fit (@p buf holds what did);
 *         #YOUTH_EINVAL (NULL argument).
 */
YOUTH_EXTERN(int) youth_purpose_list(char *buf, size_t size, youth_registry *reg);

#ifdef __cplusplus
}
#endif

#endif
