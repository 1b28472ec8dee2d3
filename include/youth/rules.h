/**
 * @file youth/rules.h
 * @brief Eligibility rules per programme, as data, and recorded overrides.
 *
 * A programme (vocational courses, counselling, first-work scholarships, seed capital, the
 * female entrepreneurship window...) has rules loaded from YAML (docs/rules.md): an age range
 * at the service date, the places it serves, the census rounds it draws on, whether consent is
 * required, whether it is for women only.  A service that enrols a person checks them; a
 * violation is #YOUTH_ERULE with a message naming the programme and the rule.  An explicit
 * override lets the service through and records who overrode which rule and why.
 */
#ifndef YOUTH_RULES_H
#define YOUTH_RULES_H

#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Programme codes used by the services of libyouth. */
#define YOUTH_PROGRAMME_COUNSELLING "counselling"
/** Code of the vocational courses' programme (youth/course.h). */
#define YOUTH_PROGRAMME_VOCATIONAL "vocational"
/** Code of the first-work scholarships' programme (youth/scholarship.h). */
#define YOUTH_PROGRAMME_SCHOLARSHIP "scholarship"
/** Code of the seed capital programme (youth/enterprise.h, window youth_seed). */
#define YOUTH_PROGRAMME_SEED_CAPITAL "seed_capital"
/** Code of CONAMYPE's female entrepreneurship window (youth/enterprise.h). */
#define YOUTH_PROGRAMME_FEMALE_WINDOW "female_window"

/** A programme and its eligibility rules.  Zero / NULL members mean "no such rule". */
typedef struct youth_programme {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	const char *code;          /**< Required, unique: "vocational"... */
	const char *title;         /**< Required. */
	int age_min;               /**< Minimum age at the service date (0 = none). */
	int age_max;               /**< Maximum age at the service date (0 = none). */
	const char *places;        /**< Comma-separated gazetteer places served (NULL = all). */
	const char *census_rounds; /**< Comma-separated census rounds accepted (NULL = any). */
	int consent_required;      /**< 1: the person must have given consent. */
	int women_only;            /**< 1: only persons whose sex is female. */
} youth_programme;

/** An explicit override of an eligibility rule. */
typedef struct youth_override {
	int64_t operator_id; /**< Required: the operator taking responsibility. */
	const char *reason;  /**< Required, 1-500 bytes: why the rule is set aside. */
} youth_override;

/**
 * Loads programmes from a YAML file (docs/rules.md); a programme whose code exists is
 * replaced.  All or nothing.
 * @param[out] loaded number of programmes loaded (may be NULL).
 */
YOUTH_EXTERN(int) youth_rules_load(int64_t *loaded, youth_registry *reg, const char *path);
/** Same as youth_rules_load() on a document in memory; @p name labels errors. */
YOUTH_EXTERN(int) youth_rules_load_buffer(int64_t *loaded, youth_registry *reg, const char *data,
                                          size_t size, const char *name);

/** Zeroes @p p. */
YOUTH_EXTERN(void) youth_programme_init(youth_programme *p);
/**
 * Adds a programme, or replaces the one with the same code.
 * @return #YOUTH_OK, #YOUTH_EINVAL (bad rule), #YOUTH_ENOTFOUND (unknown place).
 */
YOUTH_EXTERN(int) youth_programme_put(youth_registry *reg, youth_programme *p);
/** Reads a programme by code; free with youth_programme_free(). */
YOUTH_EXTERN(int) youth_programme_get(youth_programme **out, youth_registry *reg,
                                      const char *code);
/** Frees a programme returned by youth_programme_get().  NULL-safe. */
YOUTH_EXTERN(void) youth_programme_free(youth_programme *p);

/** Iterator over programmes; see youth_programme_iter_new(). */
typedef struct youth_programme_iter youth_programme_iter;

/**
 * Iterates over every programme with its rules, in code order (`places` as for
 * youth_programme_get(): canonical paths, comma-separated).
 * @return #YOUTH_OK, #YOUTH_EINVAL (NULL argument), #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_programme_iter_new(youth_programme_iter **out, youth_registry *reg);
/**
 * Next programme, owned by the iterator and valid until the next call.
 * @return #YOUTH_OK, #YOUTH_ITEROVER (then on every later call), or an error.
 */
YOUTH_EXTERN(int) youth_programme_next(const youth_programme **out, youth_programme_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_programme_iter_free(youth_programme_iter *it);

/**
 * Checks whether @p person_id may receive a service of @p programme on @p date.
 *
 * A programme without loaded rules admits everyone.
 * @return #YOUTH_OK; #YOUTH_ERULE with a message naming the programme, the rule and the
 *         person's value (e.g. `vocational: age 26 on 2009-05-04 is above the maximum 24`);
 *         #YOUTH_ENOTFOUND (person); #YOUTH_EINVAL (bad date).
 */
YOUTH_EXTERN(int) youth_eligibility_check(youth_registry *reg, const char *programme,
                                          int64_t person_id, const char *date);

/** An override recorded when a service set an eligibility rule aside (read-only). */
typedef struct youth_override_record {
	int64_t id;                    /**< Integer key. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Globally unique id. */
	const char *programme;         /**< Programme code whose rule was set aside. */
	int64_t person_id;             /**< The person served. */
	const char *service;           /**< Kind of service record ("enrollment", "plan"...). */
	int64_t service_id;            /**< Id of that service record. */
	int64_t operator_id;           /**< Who took the responsibility. */
	const char *rule;              /**< The rule set aside ("age_max", "places"...). */
	const char *reason;            /**< Why. */
	const char *date;              /**< Service date the rule was checked at. */
} youth_override_record;

/** Iterator over recorded overrides; see youth_override_iter_new(). */
typedef struct youth_override_iter youth_override_iter;

/**
 * Iterates over the overrides recorded for @p person_id (0 for everyone), oldest first.
 * @return #YOUTH_OK, #YOUTH_EINVAL (negative id), #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_override_iter_new(youth_override_iter **out, youth_registry *reg,
                                          int64_t person_id);
/**
 * Next override, owned by the iterator and valid until the next call.
 * @return #YOUTH_OK, #YOUTH_ITEROVER (then on every later call), or an error.
 */
YOUTH_EXTERN(int) youth_override_next(const youth_override_record **out, youth_override_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_override_iter_free(youth_override_iter *it);

#ifdef __cplusplus
}
#endif
#endif
