/*
 * desk.c - a minimal employment-exchange desk: the officer finds a youth of the census,
 * enrolls them in a cohort, awards them a first-work scholarship, records a payment and
 * prints their timeline.
 *
 *     desk REGISTRY DATA-DIR YOUTH
 *
 * REGISTRY is created (it must not exist) and filled from the sample data of DATA-DIR
 * (gazetteer, census, eligibility rules); YOUTH names a youth of the census by id, UUID or
 * national ID (youth_record_lookup()).  Records are filled through their text interface
 * (youth_record_set_field()), as a desk's form would.  Exit status 0, or 1 with the library's
 * message on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <youth.h>

/* On a failure: the message, then leave (the registry is closed by the process's exit). */
static void check(int rc, const char *what)
{
	if (rc == YOUTH_OK)
		return;
	fprintf(stderr, "desk: %s: %s\n", what, youth_error_last()->message);
	exit(1);
}

/* Fills @p rec of kind @p kind from "field=value" pairs ending with NULL. */
static void fill(const char *kind, void *rec, const char *const *pairs)
{
	const youth_kind_info *k = youth_kind_find(kind);
	youth_record_init(k, rec);
	for (; *pairs; pairs++) {
		char field[64];
		const char *eq = strchr(*pairs, '=');
		snprintf(field, sizeof field, "%.*s", (int)(eq - *pairs), *pairs);
		check(youth_record_set_field(k, rec, field, eq + 1), field);
	}
}

/* "field=<id>" into @p buf. */
static const char *id_pair(char *buf, size_t size, const char *field, int64_t id)
{
	snprintf(buf, size, "%s=%lld", field, (long long)id);
	return buf;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: desk REGISTRY DATA-DIR YOUTH\n");
		return 2;
	}
	youth_registry *reg = NULL;
	char path[4096], a[64], b[64], c[64];
	check(youth_registry_open(&reg, argv[1], YOUTH_OPEN_CREATE), argv[1]);
	snprintf(path, sizeof path, "%s/gazetteer.yaml", argv[2]);
	check(youth_gazetteer_load(NULL, reg, path), path);
	snprintf(path, sizeof path, "%s/census.yaml", argv[2]);
	check(youth_census_load(NULL, reg, path, 0), path);
	snprintf(path, sizeof path, "%s/rules.yaml", argv[2]);
	check(youth_rules_load(NULL, reg, path), path);

	/* The desk: its exchange, its officer, a course run there, an employer. */
	youth_exchange ex;
	fill("exchange", &ex, (const char *const[]){"code=SON", "name=Bolsa de Empleo de Sonsonate",
	                                            "place=sonsonate/sonsonate-centro/sonsonate", NULL});
	check(youth_exchange_add(reg, &ex), "exchange");
	youth_operator op;
	fill("operator", &op, (const char *const[]){id_pair(a, sizeof a, "exchange_id", ex.id),
	                                            "given_names=Ana", "first_surname=Paz",
	                                            "role=placement", NULL});
	check(youth_operator_add(reg, &op), "operator");
	youth_course course;
	fill("course", &course, (const char *const[]){"code=SOLD", "title=Soldadura",
	                                              "provider=INSAFORP", "hours=120", NULL});
	check(youth_course_add(reg, &course), "course");
	youth_cohort cohort;
	fill("cohort", &cohort, (const char *const[]){
		id_pair(a, sizeof a, "course_id", course.id), id_pair(b, sizeof b, "exchange_id", ex.id),
		"code=SOLD-2009-1", "start_date=2009-05-04", "end_date=2009-07-31",
		"place=sonsonate/sonsonate-centro/sonsonate", "capacity=20", NULL});
	check(youth_cohort_add(reg, &cohort), "cohort");
	youth_employer emp;
	fill("employer", &emp, (const char *const[]){"name=Panadería El Sol", "sector=food", NULL});
	check(youth_employer_add(reg, &emp), "employer");

	/* The youth, found in the census. */
	int64_t person = 0;
	check(youth_record_lookup(&person, reg, "person", argv[3]), argv[3]);
	youth_person *p = NULL;
	check(youth_person_get(&p, reg, person), "person");
	printf("youth %lld: %s %s\n", (long long)p->id, p->given_names, p->first_surname);
	youth_person_free(p);

	youth_enrollment en;
	fill("enrollment", &en, (const char *const[]){
		id_pair(a, sizeof a, "cohort_id", cohort.id), id_pair(b, sizeof b, "person_id", person),
		id_pair(c, sizeof c, "operator_id", op.id), "applied_date=2009-04-20", NULL});
	check(youth_enrollment_apply(reg, &en, NULL), "enrollment");

	youth_scholarship sch;
	fill("scholarship", &sch, (const char *const[]){
		id_pair(a, sizeof a, "person_id", person), id_pair(b, sizeof b, "operator_id", op.id),
		"applied_date=2009-08-03", NULL});
	check(youth_scholarship_apply(reg, &sch, NULL), "scholarship");
	check(youth_scholarship_award(reg, sch.id, "2009-08-04"), "award");
	youth_scholarship_placement pl;
	fill("scholarship_placement", &pl, (const char *const[]){
		id_pair(a, sizeof a, "employer_id", emp.id), "position=panadero",
		"start_date=2009-08-10", "end_date=2009-10-31", "hours_per_week=40",
		"monthly_stipend=150.00", NULL});
	check(youth_scholarship_activate(reg, sch.id, "2009-08-05", &pl), "activate");
	youth_scholarship_payment pay;
	fill("scholarship_payment", &pay, (const char *const[]){
		id_pair(a, sizeof a, "scholarship_id", sch.id), id_pair(b, sizeof b, "operator_id", op.id),
		"amount=150.00", "paid_date=2009-09-30", "method=transfer", "reference=T-0001", NULL});
	check(youth_scholarship_pay(reg, &pay), "payment");

	/* The timeline, oldest first. */
	youth_timeline_iter *it = NULL;
	const youth_event *e;
	int rc;
	check(youth_timeline_iter_new(&it, reg, person), "timeline");
	while ((rc = youth_timeline_next(&e, it)) == YOUTH_OK)
		printf("%s %-20s %-10s %s\n", e->date, e->kind, e->state ? e->state : "",
		       e->detail ? e->detail : "");
	youth_timeline_iter_free(it);
	check(rc == YOUTH_ITEROVER ? YOUTH_OK : rc, "timeline");
	youth_registry_close(reg);
	return 0;
}
