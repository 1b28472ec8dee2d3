/*
 * The catalogues: every module's kinds of record (youth_kind_next(), youth/kind.h) and every
 * module's sections of a `libyouth/1` file, each in the one order that front ends and the
 * engines follow.
 *
 * These tables name every service, so they sit above the services, beside the timeline; no
 * module reaches them (each declares its own kinds and sections and knows nothing of the
 * others), and the record layer that describes a kind never needs the list of all of them.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

/* ---- kinds of record (youth/kind.h) ------------------------------------------------------- */

/* One table of kinds drives the generic path, as libgit2's table of object types does: the
 * order is the order youth_kind_next() walks, which front ends show. */
#define YOUTH__KIND_PTR(k) &youth__kind_##k,
static const youth__kind *const kinds[] = {YOUTH__KINDS(YOUTH__KIND_PTR)};
#undef YOUTH__KIND_PTR

const youth_kind_info *youth_kind_next(const youth_kind_info *prev)
{
	if (!prev)
		return kinds[0];
	for (size_t i = 0; i + 1 < YOUTH__N_OF(kinds); i++)
		if (kinds[i] == prev)
			return kinds[i + 1];
	return NULL;
}

const youth_kind_info *youth_kind_find(const char *name)
{
	if (!name) {
		youth__error(YOUTH_EINVAL, NULL, "youth_kind_find: NULL name");
		return NULL;
	}
	for (size_t i = 0; i < YOUTH__N_OF(kinds); i++)
		if (strcmp(kinds[i]->name, name) == 0)
			return kinds[i];
	/* Only a miss pays for the list of known kinds (snprintf truncates, never overflows). */
	char known[512] = "";
	for (size_t i = 0; i < YOUTH__N_OF(kinds); i++)
		snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "",
		         kinds[i]->name);
	youth__error(YOUTH_ENOTFOUND, NULL, "kind \"%.40s\": not a kind of record (one of %s)", name,
	             known);
	return NULL;
}

/* ---- interchange sections ------------------------------------------------------------------ */

/* Every reference points to an earlier section: a file written in this order can be read
 * back record by record, each reference already resolvable when it is met. */
const youth__section *const youth__sections[] = {
	&youth__section_places,
	&youth__section_programmes,
	&youth__section_exchanges,
	&youth__section_operators,
	&youth__section_employers,
	&youth__section_persons,
	&youth__section_courses,
	&youth__section_cohorts,
	&youth__section_enrollments,
	&youth__section_counselling_sessions,
	&youth__section_counselling_participants,
	&youth__section_scholarships,
	&youth__section_scholarship_payments,
	&youth__section_groups,
	&youth__section_group_members,
	&youth__section_plans,
	&youth__section_plan_disbursements,
	&youth__section_plan_visits,
	&youth__section_business_services,
	&youth__section_followups,
	&youth__section_merges,
};
const size_t youth__n_sections = sizeof youth__sections / sizeof youth__sections[0];

size_t youth__section_find(const char *name)
{
	size_t i = 0;
	while (i < youth__n_sections && strcmp(youth__sections[i]->name, name) != 0)
		i++;
	return i;
}
