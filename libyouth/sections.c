/*
 * The catalogue of sections: every module's sections of a `libyouth/1` file, in the one order
 * that both engines follow.  Export writes them in this order; import accepts them in any
 * order but finds them here by name.
 *
 * This table names every service, so it sits above them, beside the timeline; the services
 * never reach it (they declare their own section and know nothing of the others).
 */
#include "private.h"

#include <string.h>

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
};
const size_t youth__n_sections = sizeof youth__sections / sizeof youth__sections[0];

size_t youth__section_find(const char *name)
{
	size_t i = 0;
	while (i < youth__n_sections && strcmp(youth__sections[i]->name, name) != 0)
		i++;
	return i;
}
