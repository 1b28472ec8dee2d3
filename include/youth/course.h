/**
 * @file youth/course.h
 * @brief Vocational courses, their cohorts, and enrollments of persons in cohorts.
 *
 * Enrollment states (DHIS2-style, with the programme's own first step):
 *
 *     applied --> enrolled --> completed
 *        |           \
 *        |            +------> dropped
 *        +--> not_eligible
 *        +--> dropped
 *
 * completed, dropped and not_eligible are final.  Entering `enrolled` needs a free place in
 * the cohort (capacity); entering `completed` needs the cohort's minimum attendance (80% unless
 * the cohort sets another).  A certificate can be issued only for a completed enrollment.  An
 * invalid transition is #YOUTH_ESTATE naming the current state, the requested one and the
 * allowed ones, and writes nothing.  Conventions as in youth/exchange.h.
 */
#ifndef YOUTH_COURSE_H
#define YOUTH_COURSE_H

#include "registry.h"
#include "rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A vocational course in the catalogue. */
typedef struct youth_course {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	const char *code;        /**< Required, unique: 1-16 letters, digits, '-', '_'. */
	const char *title;       /**< Required, 1-120 bytes. */
	const char *provider;    /**< Required: training provider ("INSAFORP", "ITCA"...). */
	const char *job_profile; /**< Optional job profile / sector the course prepares for. */
	int hours;               /**< Required, 1-2000. */
} youth_course;

/** One run of a course. */
typedef struct youth_cohort {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	int64_t course_id;       /**< Required. */
	int64_t exchange_id;     /**< Required: the exchange organising it. */
	const char *code;        /**< Required, unique: "SOLD-2009-1". */
	const char *start_date;  /**< Required. */
	const char *end_date;    /**< Required, not before start_date. */
	const char *place;       /**< Required gazetteer place. */
	int capacity;            /**< Required, 1-500 places. */
	int min_attendance;      /**< Percent needed to complete, 1-100; 0 on add means 80. */
} youth_cohort;

/** Enrollment states. */
typedef enum youth_enrollment_state {
	YOUTH_ENROLLMENT_UNSET = 0,
	YOUTH_ENROLLMENT_APPLIED = 1,
	YOUTH_ENROLLMENT_ENROLLED = 2,
	YOUTH_ENROLLMENT_COMPLETED = 3,
	YOUTH_ENROLLMENT_DROPPED = 4,
	YOUTH_ENROLLMENT_NOT_ELIGIBLE = 5
} youth_enrollment_state;

/** A person's enrollment in a cohort. */
typedef struct youth_enrollment {
	int64_t id;                    /**< Set by add. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< Generated when empty; never changes. */
	int64_t cohort_id;            /**< Required. */
	int64_t person_id;            /**< Required. */
	int64_t operator_id;          /**< Required: who recorded it (an active operator). */
	int state;                    /**< Read-only: #youth_enrollment_state. */
	const char *applied_date;     /**< Required. */
	const char *state_date;       /**< Read-only: date of the last state change. */
	int attendance;               /**< Read-only: percent attended, -1 when not recorded. */
	const char *certificate_date; /**< Read-only: when the certificate was issued, or NULL. */
	const char *reason;           /**< Read-only: reason given for dropped / not_eligible. */
} youth_enrollment;

/** Iterator (opaque); see youth_course_iter_new(), freed by youth_course_iter_free(). */
typedef struct youth_course_iter youth_course_iter;
/** Iterator (opaque); see youth_cohort_iter_new(), freed by youth_cohort_iter_free(). */
typedef struct youth_cohort_iter youth_cohort_iter;
/** Iterator (opaque); see youth_enrollment_iter_new(), freed by youth_enrollment_iter_free(). */
typedef struct youth_enrollment_iter youth_enrollment_iter;

/** Zeroes @p c. */
YOUTH_EXTERN(void) youth_course_init(youth_course *c);
/** Validates and stores a course.  #YOUTH_EEXISTS for a taken code. */
YOUTH_EXTERN(int) youth_course_add(youth_registry *reg, youth_course *c);
/** Replaces the fields of course `c->id`. */
YOUTH_EXTERN(int) youth_course_update(youth_registry *reg, const youth_course *c);
/** Reads a course by id. */
YOUTH_EXTERN(int) youth_course_get(youth_course **out, youth_registry *reg, int64_t id);
/** Reads a course by code. */
YOUTH_EXTERN(int) youth_course_get_by_code(youth_course **out, youth_registry *reg,
                                           const char *code);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_course_free(youth_course *c);
/** Iterates over the catalogue in code order. */
YOUTH_EXTERN(int) youth_course_iter_new(youth_course_iter **out, youth_registry *reg);
/** Next course or #YOUTH_ITEROVER. */
YOUTH_EXTERN(int) youth_course_next(const youth_course **out, youth_course_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_course_iter_free(youth_course_iter *it);
/** Sets a field from text by name. */
YOUTH_EXTERN(int) youth_course_set_field(youth_course *c, const char *field, const char *text);
/** Gets a field as text by name. */
YOUTH_EXTERN(int) youth_course_get_field(const char **out, const youth_course *c, const char *field,
                                         char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_course_field_name(size_t index);

/** Zeroes @p c. */
YOUTH_EXTERN(void) youth_cohort_init(youth_cohort *c);
/** Validates and stores a cohort.  #YOUTH_ENOTFOUND for an unknown course/exchange/place. */
YOUTH_EXTERN(int) youth_cohort_add(youth_registry *reg, youth_cohort *c);
/**
 * Replaces the fields of cohort `c->id` (`min_attendance` 0 means 80, as for add).  The
 * change must keep true what the cohort's enrollments rely on, else #YOUTH_ERULE naming the
 * field: the capacity is not below the places taken (enrolled or completed); the end date is
 * not before any application; recorded attendance sessions stay within the dates; the course
 * does not change once anyone applied; the minimum attendance does not change once anyone
 * completed.  The uuid never changes.
 * @return #YOUTH_OK; #YOUTH_EINVAL (a field, e.g. end before start; a different uuid);
 *         #YOUTH_ENOTFOUND (cohort, course, exchange, place); #YOUTH_ERULE; #YOUTH_EEXISTS
 *         (code used by another cohort).
 */
YOUTH_EXTERN(int) youth_cohort_update(youth_registry *reg, const youth_cohort *c);
/** Reads a cohort by id. */
YOUTH_EXTERN(int) youth_cohort_get(youth_cohort **out, youth_registry *reg, int64_t id);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_cohort_free(youth_cohort *c);
/** Iterates over cohorts of a course (0 for all) in start date order. */
YOUTH_EXTERN(int) youth_cohort_iter_new(youth_cohort_iter **out, youth_registry *reg,
                                        int64_t course_id);
/** Next cohort or #YOUTH_ITEROVER. */
YOUTH_EXTERN(int) youth_cohort_next(const youth_cohort **out, youth_cohort_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_cohort_iter_free(youth_cohort_iter *it);
/** Sets a field from text by name. */
YOUTH_EXTERN(int) youth_cohort_set_field(youth_cohort *c, const char *field, const char *text);
/** Gets a field as text by name. */
YOUTH_EXTERN(int) youth_cohort_get_field(const char **out, const youth_cohort *c, const char *field,
                                         char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_cohort_field_name(size_t index);
/** Counts enrollments of a cohort in state enrolled or completed (places taken). */
YOUTH_EXTERN(int) youth_cohort_taken(int64_t *out, youth_registry *reg, int64_t cohort_id);

/** Zeroes @p e, except `attendance`: -1, not recorded (youth_record_init()). */
YOUTH_EXTERN(void) youth_enrollment_init(youth_enrollment *e);
/**
 * Records an application (state applied).
 *
 * Checks the eligibility rules of programme "vocational" at `applied_date`
 * (youth_eligibility_check()); a violation is #YOUTH_ERULE unless @p override is given, in
 * which case the override is recorded with the rule it set aside.
 * @return #YOUTH_OK; #YOUTH_EINVAL; #YOUTH_ENOTFOUND (cohort, person, operator);
 *         #YOUTH_EEXISTS (the person already has an enrollment in this cohort);
 *         #YOUTH_ERULE (not eligible).
 */
YOUTH_EXTERN(int) youth_enrollment_apply(youth_registry *reg, youth_enrollment *e,
                                         const youth_override *override);
/**
 * Moves an enrollment to @p state on @p date.
 *
 * @param reason required for dropped and not_eligible, refused otherwise.
 * @return #YOUTH_OK; #YOUTH_ESTATE (transition not allowed: the message lists the allowed
 *         ones); #YOUTH_ERULE (cohort full, or attendance below the minimum for completed);
 *         #YOUTH_EINVAL (bad date, date before the previous state change); #YOUTH_ENOTFOUND.
 */
YOUTH_EXTERN(int) youth_enrollment_set_state(youth_registry *reg, int64_t id, int state,
                                             const char *date, const char *reason);
/**
 * Records attendance as a percentage (0-100) of an enrolled (or completed) enrollment.
 * Replaces any attendance computed from sessions.
 */
YOUTH_EXTERN(int) youth_enrollment_set_attendance(youth_registry *reg, int64_t id, int percent);
/**
 * Records one session of an enrolled person as attended or missed; attendance becomes the
 * share of recorded sessions attended.  Recording the same date again replaces it.
 */
YOUTH_EXTERN(int) youth_enrollment_record_session(youth_registry *reg, int64_t id,
                                                  const char *date, int present);
/**
 * Issues the certificate of a completed enrollment.
 * @return #YOUTH_ESTATE when not completed or already issued.
 */
YOUTH_EXTERN(int) youth_enrollment_issue_certificate(youth_registry *reg, int64_t id,
                                                     const char *date);
/** Reads an enrollment by id. */
YOUTH_EXTERN(int) youth_enrollment_get(youth_enrollment **out, youth_registry *reg, int64_t id);
/** Frees a record returned by a get.  NULL-safe. */
YOUTH_EXTERN(void) youth_enrollment_free(youth_enrollment *e);
/** Iterates over enrollments of a cohort and/or a person (0 = any), in id order. */
YOUTH_EXTERN(int) youth_enrollment_iter_new(youth_enrollment_iter **out, youth_registry *reg,
                                            int64_t cohort_id, int64_t person_id);
/** Next enrollment or #YOUTH_ITEROVER. */
YOUTH_EXTERN(int) youth_enrollment_next(const youth_enrollment **out, youth_enrollment_iter *it);
/** Frees the iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_enrollment_iter_free(youth_enrollment_iter *it);
/** Sets a field from text by name (read-only fields are refused). */
YOUTH_EXTERN(int) youth_enrollment_set_field(youth_enrollment *e, const char *field,
                                             const char *text);
/** Gets a field as text by name. */
YOUTH_EXTERN(int) youth_enrollment_get_field(const char **out, const youth_enrollment *e,
                                             const char *field, char *buf, size_t size);
/** Field names in canonical order, then NULL. */
YOUTH_EXTERN(const char *) youth_enrollment_field_name(size_t index);
/** "applied", "enrolled", "completed", "dropped", "not_eligible", or NULL. */
YOUTH_EXTERN(const char *) youth_enrollment_state_name(int state);

#ifdef __cplusplus
}
#endif
#endif
