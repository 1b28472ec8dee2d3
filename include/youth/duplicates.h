/**
 * @file youth/duplicates.h
 * @brief The same youth twice: candidate pairs, their review, merge and unmerge.
 *
 * Minors have no national ID and names are written by hand, so one youth can be registered
 * twice.  libyouth finds the likely pairs (youth_duplicates_find(): blocking on keys that
 * survive the usual variations, then a score with its reasons), keeps them for review
 * (open, confirmed or dismissed: youth_duplicate_confirm(), youth_duplicate_dismiss()), warns
 * before a new registration (youth_person_similar()), and merges two records into one
 * (youth_person_merge()) with a journal of every conflicting value, from which
 * youth_person_unmerge() restores both.  docs/duplicates.md explains the scoring for a desk
 * operator.
 */
#ifndef YOUTH_DUPLICATES_H
#define YOUTH_DUPLICATES_H

#include "common.h"
#include "person.h"

#ifdef __cplusplus
extern "C" {
#endif

/** States of a candidate pair. */
typedef enum youth_duplicate_state {
	YOUTH_DUPLICATE_OPEN = 1,      /**< found, not reviewed */
	YOUTH_DUPLICATE_CONFIRMED = 2, /**< a person decided: the same youth (merge next) */
	YOUTH_DUPLICATE_DISMISSED = 3, /**< a person decided: two youths; not proposed again */
	YOUTH_DUPLICATE_MERGED = 4     /**< the two records were merged (youth_person_merge) */
} youth_duplicate_state;

/** Points from which a pair is a candidate (youth_duplicates_find, youth_person_similar). */
#define YOUTH_DUPLICATE_THRESHOLD 13
/** Points from which a pair is "likely" (the desk's warning, the import's flag). */
#define YOUTH_DUPLICATE_LIKELY 16

/** A candidate pair: two persons, the score and why; a record of the kind "duplicate". */
typedef struct youth_duplicate {
	int64_t id;                      /**< Read-only: the pair's key (0 for an unstored pair). */
	char uuid[YOUTH_UUID_LEN + 1];   /**< Read-only: the pair's UUID. */
	int64_t person_id;               /**< The first person (the smaller id). */
	int64_t other_id;                /**< The second person (0 in youth_person_similar: the new one). */
	int score;                       /**< Points (docs/duplicates.md, "Scoring"). */
	int name_score;                  /**< Similarity of the names, 0-100. */
	const char *reasons;             /**< The reasons, comma-separated words. */
	int state;                       /**< youth_duplicate_state. */
	const char *found_on;            /**< Date the pair was found (or found again). */
	const char *decided_on;          /**< Date of the decision, or NULL. */
	const char *decided_by;          /**< Who decided (the actor), or NULL. */
	const char *note;                /**< The decision's note, or NULL. */
} youth_duplicate;

/** Iterator over stored pairs. */
typedef struct youth_duplicate_iter youth_duplicate_iter;
/** Name of field @p index of a pair (NULL past the last): the published field table. */
YOUTH_EXTERN(const char *) youth_duplicate_field_name(size_t index);
/** A field of @p d as text (youth_person_get_field() describes the arguments). */
YOUTH_EXTERN(int) youth_duplicate_get_field(const char **out, const youth_duplicate *d,
                                            const char *field, char *buf, size_t size);
/** What youth_duplicates_find() scans and stores. */
typedef struct youth_duplicates_options {
	/** Only pairs with at least one person of this census round (NULL: any). */
	const char *census_round;
	/** Only pairs with at least one person whose id is >= this (0: any): the persons an
	 *  import added, against the rest. */
	int64_t from_person_id;
	/** Points a pair needs (0: #YOUTH_DUPLICATE_THRESHOLD). */
	int min_score;
	/** Find only: store nothing (the summary still counts). */
	int dry_run;
} youth_duplicates_options;

/** What youth_duplicates_find() did. */
typedef struct youth_duplicates_summary {
	int64_t persons;   /**< persons read */
	int64_t compared;  /**< pairs scored (a pair of several blocks counts once per block) */
	int64_t found;     /**< candidate pairs found */
	int64_t likely;    /**< of which at least #YOUTH_DUPLICATE_LIKELY points */
	int64_t added;     /**< new pairs stored (open) */
	int64_t reopened;  /**< dismissed pairs proposed again: one of the records changed */
	int64_t kept;      /**< pairs already stored, left as they were (or their score updated) */
	int64_t big_blocks; /**< blocks too large to compare pair by pair, skipped (see the docs) */
} youth_duplicates_summary;

/**
 * Scans the registry (or the scope @p opt gives) for likely duplicates and stores each new
 * candidate pair as open.  A pair dismissed earlier is proposed again only when one of its
 * two records changed since; confirmed and merged pairs are left alone.  Deterministic: the
 * same registry gives the same pairs in the same order.  Memory grows with the persons
 * scanned (about 220 bytes each), not with the pairs compared.
 *
 * @param out  filled with the counts (may be NULL).
 * @param opt  NULL for the whole registry.
 * @return YOUTH_OK; YOUTH_EINVAL for a bad option; the errors of a write.
 */
YOUTH_EXTERN(int) youth_duplicates_find(youth_duplicates_summary *out, youth_registry *reg,
                                        const youth_duplicates_options *opt);

/**
 * The id the next person added will have at least: taken before an import and given as
 * youth_duplicates_options.from_person_id after it, it scans the persons the import added
 * against the rest (`youth import --check-duplicates`).
 */
YOUTH_EXTERN(int) youth_duplicates_mark(int64_t *next_id, youth_registry *reg);

/** Candidate pairs found for a person not yet registered (youth_person_similar()). */
typedef struct youth_duplicate_list youth_duplicate_list;

/**
 * "Who might this be?": the persons of the registry that the not yet registered @p p may be,
 * best first, each as a pair whose other_id is 0; nothing is stored.  Uses the birth-date
 * index and the name index, so it answers in milliseconds on a national registry.
 *
 * @param out  a new list, owned by the caller: youth_duplicate_list_free().
 * @param p    the person as it would be added (names, birth date, sex, place; national ID
 *             and phone when known).
 * @param limit  at most this many (1-100).
 */
YOUTH_EXTERN(int) youth_person_similar(youth_duplicate_list **out, youth_registry *reg,
                                       const youth_person *p, int limit);
/** Number of pairs in @p l (0 for NULL). */
YOUTH_EXTERN(size_t) youth_duplicate_list_count(const youth_duplicate_list *l);
/** Pair @p i of @p l (NULL when out of range). */
YOUTH_EXTERN(const youth_duplicate *) youth_duplicate_list_get(const youth_duplicate_list *l,
                                                              size_t i);
/** Frees a list.  NULL-safe. */
YOUTH_EXTERN(void) youth_duplicate_list_free(youth_duplicate_list *l);

/** Reads stored pair @p id; YOUTH_ENOTFOUND when there is none. */
YOUTH_EXTERN(int) youth_duplicate_get(youth_duplicate **out, youth_registry *reg, int64_t id);
/**
 * Iterates stored pairs, highest score first (then by the persons' ids).
 * @param state  a youth_duplicate_state, or 0 for every state.
 * @param person_id  only pairs of this person, or 0.
 */
YOUTH_EXTERN(int) youth_duplicate_iter_new(youth_duplicate_iter **out, youth_registry *reg,
                                           int state, int64_t person_id);
/** Next pair, valid until the next call; YOUTH_DONE at the end. */
YOUTH_EXTERN(int) youth_duplicate_next(const youth_duplicate **out, youth_duplicate_iter *it);
/** Frees an iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_duplicate_iter_free(youth_duplicate_iter *it);
/** Frees a pair from youth_duplicate_get().  NULL-safe. */
YOUTH_EXTERN(void) youth_duplicate_free(youth_duplicate *d);
/** Name of a state ("open", "confirmed", "dismissed", "merged"), NULL when unknown. */
YOUTH_EXTERN(const char *) youth_duplicate_state_name(int state);

/**
 * Confirms pair @p id (the same youth): open -> confirmed.  The decision is recorded with the
 * registry's actor (youth_registry_set_actor) and @p note (may be NULL).
 */
YOUTH_EXTERN(int) youth_duplicate_confirm(youth_registry *reg, int64_t id, const char *note);
/**
 * Dismisses pair @p id (two youths): open or confirmed -> dismissed.  A dismissed pair is not
 * proposed again unless one of its two records changes.
 */
YOUTH_EXTERN(int) youth_duplicate_dismiss(youth_registry *reg, int64_t id, const char *note);

/**
 * Records a decision about persons @p person and @p other whether or not a scan proposed them:
 * the pair is stored (scored, as a scan would) and set to @p state, #YOUTH_DUPLICATE_CONFIRMED
 * or #YOUTH_DUPLICATE_DISMISSED, with the actor and @p note.  The desk uses it when a youth is
 * registered although youth_person_similar() named someone (`youth person add --force`).
 *
 * @param pair_id  the pair's id (may be NULL).
 */
YOUTH_EXTERN(int) youth_duplicate_decide_pair(int64_t *pair_id, youth_registry *reg,
                                              int64_t person, int64_t other, int state,
                                              const char *note);

/**
 * Merges person @p other into person @p keep, in one transaction: every service, payment,
 * membership, follow-up and override of @p other moves to @p keep; for each field where the
 * two records differ, @p keep's value stays unless the field is named in @p take (then
 * @p other's is taken), and an empty field of @p keep takes @p other's value; every such
 * decision (both values, which was kept, who decided) is journalled.  @p other's record
 * leaves the person table; its UUID answers as an alias of @p keep's
 * (youth_person_get_by_uuid).  A stored pair of the two becomes merged.
 *
 * Refused (nothing changed): the same person twice, an unknown id, a person who is in the
 * same cohort, counselling session or women's group as the other (the message names it:
 * remove one of the two rows first), an unknown field in @p take.
 *
 * @param merge_id  the merge's id, for youth_person_unmerge() (may be NULL).
 * @param take      comma-separated field names, or NULL.
 */
YOUTH_EXTERN(int) youth_person_merge(int64_t *merge_id, youth_registry *reg, int64_t keep,
                                     int64_t other, const char *take);
/**
 * Undoes merge @p merge_id from its journal: the merged person comes back with its id, UUID
 * and values, its rows move back, the kept person's fields get their old values, the alias
 * goes.  Refused when the kept person changed since in a field the merge set, or when the
 * merge was already undone.
 */
YOUTH_EXTERN(int) youth_person_unmerge(youth_registry *reg, int64_t merge_id);

/** A merge, as journalled: a record of the kind "merge", exported in the section `merges` so
 *  that another exchange's copy of the registry converges. */
typedef struct youth_merge {
	int64_t id;                    /**< The merge's key. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< The merge's UUID (the same in every registry it reaches). */
	const char *kept_uuid;         /**< UUID of the person kept. */
	const char *merged_uuid;       /**< UUID of the person merged into it (now an alias). */
	const char *at;                /**< UTC time of the merge, 2026-12-06T14:03:27Z. */
	const char *actor;             /**< Who merged (the registry's actor), or NULL. */
	int state;                     /**< Read-only: 1 done, 2 undone. */
} youth_merge;

/** Iterator over merges. */
typedef struct youth_merge_iter youth_merge_iter;
/** Reads merge @p id; YOUTH_ENOTFOUND when there is none. */
YOUTH_EXTERN(int) youth_merge_get(youth_merge **out, youth_registry *reg, int64_t id);
/** Iterates the merges in id order; @p person_id: only those that kept this person (0: all). */
YOUTH_EXTERN(int) youth_merge_iter_new(youth_merge_iter **out, youth_registry *reg,
                                       int64_t person_id);
/** Next merge, valid until the next call; YOUTH_ITEROVER at the end. */
YOUTH_EXTERN(int) youth_merge_next(const youth_merge **out, youth_merge_iter *it);
/** Frees an iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_merge_iter_free(youth_merge_iter *it);
/** Frees a merge from youth_merge_get().  NULL-safe. */
YOUTH_EXTERN(void) youth_merge_free(youth_merge *m);
/** Name of field @p index of a merge (NULL past the last). */
YOUTH_EXTERN(const char *) youth_merge_field_name(size_t index);
/** A field of @p m as text (youth_person_get_field() describes the arguments). */
YOUTH_EXTERN(int) youth_merge_get_field(const char **out, const youth_merge *m,
                                        const char *field, char *buf, size_t size);

/**
 * The merge that turned UUID @p uuid into an alias: @p merge_id and the person it answers for
 * (@p person_id); YOUTH_ENOTFOUND when @p uuid is no alias.
 */
YOUTH_EXTERN(int) youth_person_alias(int64_t *merge_id, int64_t *person_id, youth_registry *reg,
                                     const char *uuid);

#ifdef __cplusplus
}
#endif

#endif
