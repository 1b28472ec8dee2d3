/**
 * @file youth/person.h
 * @brief The youth census record: create, read, update, delete, count, iterate, search.
 *
 * A #youth_person is a plain value struct.  On input its string members are **borrowed**: they
 * point at the caller's strings for the duration of the call and are never kept.  On output
 * (youth_person_get(), youth_person_next()) the struct and all its strings live in one block
 * owned by libyouth: youth_person_free() releases the whole record at once, and an iterator's
 * record is valid until the next call on the iterator.  To edit a record, get it, point the
 * members you change at new strings, and pass it to youth_person_update().
 *
 * Every field is validated by youth_person_add() and youth_person_update(); the first rule
 * broken is reported as #YOUTH_EINVAL with a message such as
 * `birth_date "2009-02-30": not a calendar date`.  The rules are listed in docs/person.md.
 */
#ifndef YOUTH_PERSON_H
#define YOUTH_PERSON_H

#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Sex as recorded by the census. */
typedef enum youth_sex {
	YOUTH_SEX_UNSET = 0, /**< Not given: refused by add/update. */
	YOUTH_SEX_FEMALE = 1,
	YOUTH_SEX_MALE = 2
} youth_sex;

/** Highest education level reached (Salvadoran system). */
typedef enum youth_education {
	YOUTH_EDU_UNKNOWN = 0,         /**< Not recorded. */
	YOUTH_EDU_NONE = 1,            /**< No schooling. */
	YOUTH_EDU_PRIMARY = 2,         /**< Educación básica, grades 1-6. */
	YOUTH_EDU_LOWER_SECONDARY = 3, /**< Tercer ciclo, grades 7-9. */
	YOUTH_EDU_UPPER_SECONDARY = 4, /**< Bachillerato. */
	YOUTH_EDU_TECHNICAL = 5,       /**< Técnico (post-secondary). */
	YOUTH_EDU_UNIVERSITY = 6       /**< University. */
} youth_education;

/** Employment status at the census. */
typedef enum youth_employment {
	YOUTH_EMP_UNKNOWN = 0,          /**< Not recorded. */
	YOUTH_EMP_UNEMPLOYED = 1,       /**< Looking for work. */
	YOUTH_EMP_EMPLOYED_FORMAL = 2,  /**< Employed with social security. */
	YOUTH_EMP_EMPLOYED_INFORMAL = 3,/**< Employed without a contract. */
	YOUTH_EMP_SELF_EMPLOYED = 4,    /**< Own account or family business. */
	YOUTH_EMP_INACTIVE = 5          /**< Neither working nor looking (e.g. caring, studying). */
} youth_employment;

/** Flags for youth_person_add() and youth_person_update(). */
typedef enum youth_person_flags {
	YOUTH_PERSON_DEFAULT = 0,
	/** Accept an age at census outside 13-29 (the programme serves 16-24). */
	YOUTH_PERSON_ALLOW_AGE = 1 << 0
} youth_person_flags;

/** Maximum length in bytes of a name part (given names, each surname). */
#define YOUTH_NAME_MAX 80
/** Maximum length in bytes of the address line. */
#define YOUTH_ADDRESS_MAX 200
/** Maximum length in bytes of the job profile tag list. */
#define YOUTH_PROFILES_MAX 400

/** A youth census record.  See the file comment for ownership. */
typedef struct youth_person {
	int64_t id;                    /**< Integer key; set by add, required by update (or uuid). */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Empty on add: generated.  Otherwise kept as given. */
	const char *national_id;       /**< DUI `NNNNNNNN-C` or NULL (minors have none). */
	const char *given_names;       /**< Required: "José Antonio". */
	const char *first_surname;     /**< Required: "Hernández". */
	const char *second_surname;    /**< Optional: "Pérez". */
	const char *birth_date;        /**< Required, `YYYY-MM-DD`. */
	int sex;                       /**< Required, #youth_sex. */
	const char *place;             /**< Required: gazetteer place (see gazetteer.h). */
	const char *address;           /**< Optional address line. */
	const char *phone;             /**< Optional: 8 digits, stored as `NNNN-NNNN`. */
	int education;                 /**< #youth_education. */
	int studying;                  /**< 1 if currently studying, else 0. */
	int employment;                /**< #youth_employment. */
	int household_size;            /**< People in the household, 1-30; 0 when not recorded. */
	int disability;                /**< 1 if the youth reports a disability, else 0. */
	const char *census_date;       /**< Required, `YYYY-MM-DD`, not before birth or in future. */
	const char *census_round;      /**< Required label: letters, digits, '-', '_', '.' (1-32). */
	const char *job_profiles;      /**< Optional comma-separated tags: "cook, baker". */
	int consent;                   /**< 1 if consent to the registry was given. */
	const char *consent_date;      /**< Required when consent is 1, NULL otherwise. */
	/** Optional `YYYY-MM-DD`: the end of the retention period; youth_purge() erases the
	 *  person once it has passed (docs/privacy.md, "Retention"). */
	const char *retain_until;
} youth_person;

/** Filters for youth_person_count() and youth_person_iter_new(); zero means "any". */
typedef struct youth_person_filter {
	const char *place;        /**< Only persons in this place or below it. */
	int sex;                  /**< #youth_sex, or 0. */
	int age_min;              /**< Minimum age at @ref age_at (ignored when both ages are 0). */
	int age_max;              /**< Maximum age at @ref age_at (0 = no maximum). */
	const char *age_at;       /**< Reference date for the ages; NULL = today (UTC). */
	const char *census_round; /**< Only this census round. */
	const char *name;         /**< Words that must all appear in the name, accents and case
	                               ignored: "jose hernandez" finds "José Hernández". */
} youth_person_filter;

/** Iterator over persons; see youth_person_iter_new(). */
typedef struct youth_person_iter youth_person_iter;

/** Sets every member of @p p to "unset" (zero / NULL).  Call before filling a new record. */
YOUTH_EXTERN(void) youth_person_init(youth_person *p);

/**
 * Validates and stores a new person.
 *
 * On success sets `p->id` and, if it was empty, `p->uuid`.
 * @return #YOUTH_OK; #YOUTH_EINVAL (a field breaks a rule); #YOUTH_ENOTFOUND (unknown place);
 *         #YOUTH_EEXISTS (UUID or national ID already registered, or the UUID of an erased
 *         person: see youth_person_erase()); I/O codes.
 */
YOUTH_EXTERN(int) youth_person_add(youth_registry *reg, youth_person *p, unsigned flags);

/**
 * Reads the person with integer key @p id.
 * @param[out] out new record, released with youth_person_free().
 * @return #YOUTH_OK, #YOUTH_ENOTFOUND, or an I/O code.
 */
YOUTH_EXTERN(int) youth_person_get(youth_person **out, youth_registry *reg, int64_t id);

/** Same as youth_person_get() by UUID. */
YOUTH_EXTERN(int) youth_person_get_by_uuid(youth_person **out, youth_registry *reg,
                                           const char *uuid);

/**
 * Same as youth_person_get() by national ID (DUI, `NNNNNNNN-C`, the form youth_dui_check()
 * accepts; a DUI names at most one person).
 * @return #YOUTH_OK; #YOUTH_EINVAL when @p national_id is not a valid DUI (the message says
 *         why, field `national_id`); #YOUTH_ENOTFOUND when no person has it; an I/O code.
 */
YOUTH_EXTERN(int) youth_person_get_by_national_id(youth_person **out, youth_registry *reg,
                                                  const char *national_id);

/**
 * Replaces every field of the stored person `p->id` (or, when `p->id` is 0, `p->uuid`) with
 * the values in @p p.  The UUID of a stored person never changes.
 * @return as youth_person_add(), plus #YOUTH_ENOTFOUND for an unknown id and #YOUTH_ESTATE
 *         for an erased person (youth_person_erase()), whose stub never changes.
 */
YOUTH_EXTERN(int) youth_person_update(youth_registry *reg, const youth_person *p, unsigned flags);

/**
 * Deletes a person.
 * @return #YOUTH_OK, #YOUTH_ENOTFOUND, #YOUTH_EREFERENCED when services refer to the person.
 */
YOUTH_EXTERN(int) youth_person_delete(youth_registry *reg, int64_t id);

/**
 * Deletes a person together with every record that refers to them, directly (enrollments,
 * roster entries, scholarships, plans, group memberships, follow-ups, eligibility overrides...)
 * or through those records (payments of a scholarship, disbursements of a plan...), in one
 * transaction.  Records the person merely belongs to (a women's group, a cohort) stay.
 *
 * This is the explicit cascade that youth_person_delete() refuses to do on its own.
 * @param[out] removed number of records deleted, the person included (may be NULL).
 * @return #YOUTH_OK, #YOUTH_ENOTFOUND, #YOUTH_EINVAL, or an I/O code (nothing deleted).
 */
YOUTH_EXTERN(int) youth_person_delete_cascade(int64_t *removed, youth_registry *reg, int64_t id);

/** Frees a record returned by youth_person_get().  NULL-safe. */
YOUTH_EXTERN(void) youth_person_free(youth_person *p);

/**
 * Counts persons matching @p filter (NULL counts all).
 * @return #YOUTH_OK; #YOUTH_EINVAL (bad filter: unknown sex, bad date, min > max);
 *         #YOUTH_ENOTFOUND (unknown place).
 */
YOUTH_EXTERN(int) youth_person_count(int64_t *out, youth_registry *reg,
                                     const youth_person_filter *filter);

/**
 * Starts iterating, in id order, over persons matching @p filter (NULL for all).
 * The filter is copied; it need not outlive the call.
 * @return as youth_person_count().
 */
YOUTH_EXTERN(int) youth_person_iter_new(youth_person_iter **out, youth_registry *reg,
                                        const youth_person_filter *filter);

/**
 * Advances the iterator.
 * @param[out] out the next person, owned by the iterator, valid until the next call.
 * @return #YOUTH_OK, #YOUTH_ITEROVER (then on every later call), or an error.
 */
YOUTH_EXTERN(int) youth_person_next(const youth_person **out, youth_person_iter *it);

/** Frees an iterator.  NULL-safe; may be called after the registry is closed. */
YOUTH_EXTERN(void) youth_person_iter_free(youth_person_iter *it);

/**
 * Sets one field of @p p from its text form, by name: the way the CLI, the YAML importer and
 * the Python package fill a record.  @p text is borrowed like every input string; NULL or ""
 * unsets the field.  Enumerations take their names ("female", "upper_secondary"), booleans
 * "true"/"false" (also "yes"/"no", "1"/"0"), integers decimal digits.
 *
 * This checks only that the text has the field's type; youth_person_add() checks the rules.
 * @return #YOUTH_OK, or #YOUTH_EINVAL for an unknown field name or text of the wrong type.
 */
YOUTH_EXTERN(int) youth_person_set_field(youth_person *p, const char *field, const char *text);

/**
 * Gets one field of @p p in its text form, by name.
 *
 * @param buf scratch space for numbers and names (at least 32 bytes).
 * @param[out] out the text (pointing into @p p or @p buf), or NULL when the field is unset.
 * @return #YOUTH_OK, or #YOUTH_EINVAL for an unknown field or a too small buffer.
 */
YOUTH_EXTERN(int) youth_person_get_field(const char **out, const youth_person *p, const char *field,
                                         char *buf, size_t size);

/**
 * Names the fields in their canonical order: `index` 0, 1, ... until NULL.  "id" and "uuid"
 * come first.
 */
YOUTH_EXTERN(const char *) youth_person_field_name(size_t index);

/**
 * Loads a census batch: a YAML file of person records (docs/format.md), e.g.
 *
 *     format: libyouth/1
 *     persons:
 *       - given_names: María José
 *         first_surname: Hernández
 *         birth_date: 1992-05-14
 *         sex: female
 *         place: sonsonate/sonsonate-centro/sonzacate/santa-eugenia
 *         census_date: 2009-03-02
 *         census_round: census-2009
 *
 * Keys are the field names of youth_person_set_field().  Every record goes through
 * youth_person_add() with @p flags.  All or nothing: the first bad record stops the load,
 * nothing is kept, and the error names the file, line, column, record number and field.
 * The file is streamed (memory does not grow with its size) under the hostile-input limits
 * of docs/format.md.
 *
 * @param[out] added number of persons added (may be NULL).
 */
YOUTH_EXTERN(int) youth_census_load(int64_t *added, youth_registry *reg, const char *path,
                                    unsigned flags);

/** Same as youth_census_load() on a YAML document in memory; @p name labels errors. */
YOUTH_EXTERN(int) youth_census_load_buffer(int64_t *added, youth_registry *reg, const char *data,
                                           size_t size, const char *name, unsigned flags);

/* ---- ranked name search (docs/duplicates.md) ---------------------------------------- */

/** Rank class of a search result, best first: results come in this order. */
typedef enum youth_match_rank {
	YOUTH_MATCH_EXACT = 1,  /**< every word of the search is a word of the name (folded) */
	YOUTH_MATCH_PREFIX = 2, /**< every word begins a word of the name ("jos hern") */
	YOUTH_MATCH_NEAR = 3    /**< some word only sounds alike, is one typo off, or a nickname */
} youth_match_rank;

/** Reasons two names match (bits of youth_person_match.reasons). */
enum youth_name_reason {
	YOUTH_NAME_EXACT = 0x01,           /**< words equal once accents, case, particles folded */
	YOUTH_NAME_PREFIX = 0x02,          /**< a word is the beginning of the other's */
	YOUTH_NAME_SWAPPED = 0x04,         /**< the two surnames in the other order */
	YOUTH_NAME_MISSING_SURNAME = 0x08, /**< one of the two lacks the second surname */
	YOUTH_NAME_NICKNAME = 0x10,        /**< a short form: "Chepe" for José */
	YOUTH_NAME_TYPO = 0x20,            /**< a word one edit away (Damerau-Levenshtein 1) */
	YOUTH_NAME_SOUND = 0x40,           /**< a word spelt differently, same sound key */
	YOUTH_NAME_MISSING_GIVEN = 0x80    /**< one has a given name the other lacks */
};

/** One result of youth_person_find(). */
typedef struct youth_person_match {
	int64_t id;                    /**< the person's integer key */
	char uuid[YOUTH_UUID_LEN + 1]; /**< the person's UUID */
	int rank;                      /**< #youth_match_rank */
	int score;                     /**< name similarity 0-100 (100: same words) */
	unsigned reasons;              /**< #youth_name_reason bits */
	const char *name;              /**< "given first_surname second_surname" as stored */
} youth_person_match;

/** Results of youth_person_find(), owned by the caller: youth_person_matches_free(). */
typedef struct youth_person_matches youth_person_matches;

/**
 * Finds persons by name through the name index, ranked: every #YOUTH_MATCH_EXACT result
 * first, then #YOUTH_MATCH_PREFIX, then #YOUTH_MATCH_NEAR; inside a class in id order.
 * Accents, case, spacing and the particles "de", "del", "de la", "y" are ignored, the words
 * may come in any order (given names and surnames mixed, surnames swapped), and a word may be
 * one typo off, sound alike ("Baskes" for "Vásquez") or be a common nickname ("Chepe").
 *
 * @param text the words typed at the desk ("jose hernandez", "Hernández Pérez").
 * @param limit at most this many results (0: 20; at most 1000).
 * @param[out] out the results, even when there are none; free with youth_person_matches_free().
 * @return #YOUTH_OK; #YOUTH_EINVAL (no name word in @p text, not UTF-8, limit above 1000);
 *         an I/O code.
 */
YOUTH_EXTERN(int) youth_person_find(youth_person_matches **out, youth_registry *reg,
                                    const char *text, size_t limit);
/** Number of results in @p m (0 for NULL). */
YOUTH_EXTERN(size_t) youth_person_matches_count(const youth_person_matches *m);
/** Result @p i of @p m, or NULL past the end; borrowed, valid until @p m is freed. */
YOUTH_EXTERN(const youth_person_match *) youth_person_matches_get(const youth_person_matches *m,
                                                                  size_t i);
/** Frees the results of youth_person_find().  NULL-safe. */
YOUTH_EXTERN(void) youth_person_matches_free(youth_person_matches *m);
/** Name of one #youth_name_reason bit ("nickname", "swapped_surnames"...), or NULL. */
YOUTH_EXTERN(const char *) youth_name_reason_name(unsigned reason);
/** Name of a #youth_match_rank ("exact", "prefix", "near"), or NULL. */
YOUTH_EXTERN(const char *) youth_match_rank_name(int rank);

/**
 * Rebuilds the name index of youth_person_find() from the person table, in one transaction:
 * what `youth check --repair` runs, and `youth person reindex`.  Every write of a person keeps
 * the index in step on its own; this is for a file changed behind the library's back.
 * @param[out] persons number of persons indexed (may be NULL).
 * @return #YOUTH_OK, #YOUTH_EREADONLY, or an I/O code (the old index is kept).
 */
YOUTH_EXTERN(int) youth_name_index_rebuild(int64_t *persons, youth_registry *reg);

/** Returns "female"/"male", or NULL for an unknown value. */
YOUTH_EXTERN(const char *) youth_sex_name(int sex);
/** Returns the name of an education level ("upper_secondary"...), or NULL. */
YOUTH_EXTERN(const char *) youth_education_name(int education);
/** Returns the name of an employment status ("employed_formal"...), or NULL. */
YOUTH_EXTERN(const char *) youth_employment_name(int employment);

#ifdef __cplusplus
}
#endif
#endif
