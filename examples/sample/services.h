/* Adds the programme's services to a registry holding the sample census (examples/data). */
#ifndef YOUTH_SAMPLE_SERVICES_H
#define YOUTH_SAMPLE_SERVICES_H

#include <stdio.h>
#include <youth.h>

/* The programme's record of work, as the final report gives it. */
#define SAMPLE_COUNSELLED 450
#define SAMPLE_VOCATIONAL 400
#define SAMPLE_SCHOLARSHIPS 25
#define SAMPLE_SEED_YOUTHS 100
#define SAMPLE_WOMEN_PLANS 15
#define SAMPLE_EXCHANGES 3
#define SAMPLE_OPERATORS 40

/*
 * Loads @rules_path and adds exchanges, operators, employers, counselling sessions,
 * vocational courses with their cohorts and enrollments, first-work scholarships with their
 * payments, seed-capital plans of youths and youth groups, the women's groups of the female
 * entrepreneurship window with their plans and services, and 6-month follow-ups, in one
 * transaction.  Deterministic: the same census gives the same registry.  Progress lines go
 * to @log (may be NULL).  Returns a libyouth code.
 */
int sample_services(youth_registry *reg, const char *rules_path, FILE *log);

#endif
