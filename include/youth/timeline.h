/**
 * @file youth/timeline.h
 * @brief A person's timeline: every service, payment, plan and follow-up in date order.
 *
 * The timeline is read, never written: it gathers the census record, enrollments and
 * certificates, counselling sessions, scholarships and their payments, group memberships,
 * business plans with their disbursements, visits and business-development services (the
 * person's own plans and those of the groups they belong to), outcome follow-ups and the
 * eligibility overrides recorded for the person.
 */
#ifndef YOUTH_TIMELINE_H
#define YOUTH_TIMELINE_H

#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One dated event of a person's timeline. */
typedef struct youth_event {
	const char *date;              /**< `YYYY-MM-DD`. */
	const char *kind;              /**< "census", "enrollment", "certificate", "counselling",
	                                    "scholarship", "scholarship_payment", "group", "plan",
	                                    "disbursement", "visit", "business_service",
	                                    "followup", "override". */
	int64_t record_id;             /**< Id of the record in its own kind. */
	char uuid[YOUTH_UUID_LEN + 1]; /**< UUID of that record. */
	const char *state;             /**< Current state or status ("enrolled", "attended",
	                                    "employed_formal"...), or NULL. */
	int64_t amount;                /**< Cents for payments, disbursements and monthly sales
	                                    of a visit; 0 otherwise. */
	const char *detail;            /**< Short description: cohort code, counselling kind,
	                                    plan title, payment reference, rule set aside... */
} youth_event;

/** Iterator over a timeline; see youth_timeline_iter_new(). */
typedef struct youth_timeline_iter youth_timeline_iter;

/**
 * Starts reading the timeline of @p person_id, oldest first (events of one day in the order
 * of the list in youth_event::kind, then by record id).
 * @return #YOUTH_OK, #YOUTH_ENOTFOUND (no such person), #YOUTH_EINVAL, #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_timeline_iter_new(youth_timeline_iter **out, youth_registry *reg,
                                          int64_t person_id);

/**
 * Next event, owned by the iterator and valid until the next call.
 * @return #YOUTH_OK, #YOUTH_ITEROVER (then on every later call), or an error.
 */
YOUTH_EXTERN(int) youth_timeline_next(const youth_event **out, youth_timeline_iter *it);

/** Frees the iterator.  NULL-safe; may be called after the registry is closed. */
YOUTH_EXTERN(void) youth_timeline_iter_free(youth_timeline_iter *it);

#ifdef __cplusplus
}
#endif
#endif
