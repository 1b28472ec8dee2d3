/* Tests of youth/followup.h: outcome follow-ups (add, get, update, delete), every rule of a
 * follow-up and each kind of bad input, the employer and service references, one follow-up
 * per person, service and horizon, the latest follow-up of a person, iteration by person and
 * by status and date range, the indicator count, field access by name, transactions, out of
 * memory, and that every refused call leaves the registry unchanged. */
#define _GNU_SOURCE
#include "helpers.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define EXCHANGE_PLACE "sonsonate/sonsonate-centro/sonsonate"
#define CENSUS "2009-03-02" /* census date of th_person_valid() */
#define APPLIED "2009-04-20"
#define FOLLOWED "2010-02-01"

/* ---- fixture ------------------------------------------------------------------------------ */

typedef struct fx {
	TH_FX_HEAD; /* first, for th_fx_setup() and th_fx_teardown() */
	int64_t exchange_id;  /* SON-01 */
	int64_t exchange2_id; /* ACA-01 */
	int64_t operator_id;  /* active, at SON-01 */
	int64_t operator2_id; /* active, at ACA-01 */
	int64_t inactive_id;  /* may no longer record services */
	int64_t employer_id;
	int64_t employer2_id;
	int64_t person_id;    /* census 2009-03-02 */
	int64_t person2_id;
	int64_t cohort_id;
	int64_t enrollment_id;  /* of person_id */
	int64_t enrollment2_id; /* of person2_id */
} fx;

static int64_t add_exchange(fx *f, const char *code)
{
	youth_exchange x;
	youth_exchange_init(&x);
	x.code = code;
	x.name = "Bolsa de empleo";
	x.place = EXCHANGE_PLACE;
	assert_ok(youth_exchange_add(f->reg, &x));
	return x.id;
}

static int64_t add_operator(fx *f, int64_t exchange, const char *name)
{
	youth_operator o;
	youth_operator_init(&o);
	o.exchange_id = exchange;
	o.given_names = name;
	o.first_surname = "Ramírez";
	o.role = YOUTH_ROLE_PLACEMENT;
	assert_ok(youth_operator_add(f->reg, &o));
	return o.id;
}

static int64_t add_employer(fx *f, const char *name)
{
	youth_employer e;
	youth_employer_init(&e);
	e.name = name;
	e.sector = "hotels and restaurants";
	assert_ok(youth_employer_add(f->reg, &e));
	return e.id;
}

static int64_t add_enrollment(fx *f, int64_t person)
{
	youth_enrollment e;
	youth_enrollment_init(&e);
	e.cohort_id = f->cohort_id;
	e.person_id = person;
	e.operator_id = f->operator_id;
	e.applied_date = APPLIED;
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));
	return e.id;
}

static void populate(th_fx *head)
{
	fx *f = (fx *)head;
	f->exchange_id = add_exchange(f, "SON-01");
	f->exchange2_id = add_exchange(f, "ACA-01");
	f->operator_id = add_operator(f, f->exchange_id, "Marta");
	f->operator2_id = add_operator(f, f->exchange2_id, "Ana");
	f->inactive_id = add_operator(f, f->exchange_id, "Luis");
	youth_operator *o = NULL;
	assert_ok(youth_operator_get(&o, f->reg, f->inactive_id));
	o->active = 0;
	assert_ok(youth_operator_update(f->reg, o));
	youth_operator_free(o);
	f->employer_id = add_employer(f, "Hotel Acajutla");
	f->employer2_id = add_employer(f, "Panadería San José");
	assert_ok(th_add_person(f->reg, &f->person_id));
	assert_ok(th_add_person(f->reg, &f->person2_id));

	youth_course c;
	youth_course_init(&c);
	c.code = "SOLD";
	c.title = "Soldadura eléctrica";
	c.provider = "INSAFORP";
	c.hours = 240;
	assert_ok(youth_course_add(f->reg, &c));
	youth_cohort h;
	youth_cohort_init(&h);
	h.course_id = c.id;
	h.exchange_id = f->exchange_id;
	h.code = "SOLD-2009-1";
	h.start_date = "2009-05-04";
	h.end_date = "2009-07-31";
	h.place = EXCHANGE_PLACE;
	h.capacity = 20;
	assert_ok(youth_cohort_add(f->reg, &h));
	f->cohort_id = h.id;
	f->enrollment_id = add_enrollment(f, f->person_id);
	f->enrollment2_id = add_enrollment(f, f->person2_id);
}

/* ---- helpers ------------------------------------------------------------------------------ */

/* A valid follow-up: person_id found in formal employment 6 months after the enrollment. */
static void valid_followup(fx *f, youth_followup *u)
{
	youth_followup_init(u);
	u->person_id = f->person_id;
	u->operator_id = f->operator_id;
	u->date = FOLLOWED;
	u->horizon_months = 6;
	u->status = YOUTH_FOLLOWUP_EMPLOYED_FORMAL;
	u->employer_id = f->employer_id;
	u->service = "enrollment";
	u->service_id = f->enrollment_id;
	u->notes = "Ayudante de cocina, contrato indefinido";
}

/* A follow-up without service or employer. */
static void plain_followup(fx *f, youth_followup *u, int64_t person, int status, int horizon,
                           const char *date)
{
	youth_followup_init(u);
	u->person_id = person;
	u->operator_id = f->operator_id;
	u->date = date;
	u->horizon_months = horizon;
	u->status = status;
	if (status == YOUTH_FOLLOWUP_EMPLOYED_FORMAL || status == YOUTH_FOLLOWUP_EMPLOYED_INFORMAL)
		u->employer_id = f->employer_id;
}

static int64_t add_plain(fx *f, int64_t person, int status, int horizon, const char *date)
{
	youth_followup u;
	plain_followup(f, &u, person, status, horizon, date);
	assert_ok(youth_followup_add(f->reg, &u));
	assert_true(u.id > 0);
	return u.id;
}

TH_GET_FN(get_followup, youth_followup, fx)

static int64_t count_all(youth_registry *reg)
{
	int64_t n = -1;
	assert_ok(youth_followup_count(&n, reg, 0, 0, NULL, NULL));
	return n;
}

/* Counts the follow-ups of @person (0: all) by iterating, checking the latch and the order. */
static int64_t count_iter(youth_registry *reg, int64_t person)
{
	youth_followup_iter *it = NULL;
	const youth_followup *u;
	int64_t n = 0;
	char last[16] = "";
	int rc;
	assert_ok(youth_followup_iter_new(&it, reg, person));
	while ((rc = youth_followup_next(&u, it)) == YOUTH_OK) {
		assert_true(person == 0 || u->person_id == person);
		assert_true(strcmp(last, u->date) <= 0);
		snprintf(last, sizeof last, "%s", u->date);
		n++;
	}
	assert_int_equal(rc, YOUTH_ITEROVER);
	assert_int_equal(youth_followup_next(&u, it), YOUTH_ITEROVER); /* latched */
	assert_null(u);
	youth_followup_iter_free(it);
	return n;
}

TH_COUNT_FN(count_enrollments, youth_enrollment, (youth_registry *reg), (reg, 0, 0))

/* Everything a refused call must leave as it was, besides persons and changes. */
static void tally(th_fx *head, th_values *out)
{
	th_values_num(out, "follow-ups", count_all(head->reg));
	th_values_num(out, "iterated", count_iter(head->reg, 0));
	th_values_num(out, "enrollments", count_enrollments(head->reg));
}

static void assert_followup_eq(const youth_followup *a, const youth_followup *b)
{
	assert_int_equal(a->id, b->id);
	assert_string_equal(a->uuid, b->uuid);
	assert_int_equal(a->person_id, b->person_id);
	assert_int_equal(a->operator_id, b->operator_id);
	assert_int_equal(a->exchange_id, b->exchange_id);
	assert_true(th_streq(a->date, b->date));
	assert_int_equal(a->horizon_months, b->horizon_months);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->employer_id, b->employer_id);
	assert_true(th_streq(a->service, b->service));
	assert_int_equal(a->service_id, b->service_id);
	assert_true(th_streq(a->notes, b->notes));
}

/* ======================================================================================== */

static void test_add_get(void **state)
{
	fx *f = *state;
	youth_followup u, *got = NULL;
	valid_followup(f, &u);
	int64_t changes = youth_registry_total_changes(f->reg);
	assert_ok(youth_followup_add(f->reg, &u));
	assert_true(u.id > 0);
	assert_uuid(u.uuid);
	assert_int_equal(u.exchange_id, f->exchange_id); /* from the operator */
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 1);

	got = get_followup(f, u.id);
	assert_followup_eq(got, &u);
	assert_string_equal(got->date, FOLLOWED);
	assert_string_equal(got->service, "enrollment");
	assert_string_equal(got->notes, "Ayudante de cocina, contrato indefinido");
	youth_followup_free(got);

	/* no service, no employer, no notes: read back as 0 / NULL */
	youth_followup v;
	plain_followup(f, &v, f->person_id, YOUTH_FOLLOWUP_STUDYING, 12, "2010-08-01");
	v.operator_id = f->operator2_id;
	assert_ok(youth_followup_add(f->reg, &v));
	assert_int_equal(v.exchange_id, f->exchange2_id);
	got = get_followup(f, v.id);
	assert_int_equal(got->employer_id, 0);
	assert_null(got->service);
	assert_int_equal(got->service_id, 0);
	assert_null(got->notes);
	assert_int_equal(got->status, YOUTH_FOLLOWUP_STUDYING);
	assert_int_equal(got->exchange_id, f->exchange2_id);
	youth_followup_free(got);

	/* an empty service and notes count as not given */
	plain_followup(f, &v, f->person2_id, YOUTH_FOLLOWUP_NEET, 3, "2009-09-01");
	v.service = "";
	v.notes = "";
	assert_ok(youth_followup_add(f->reg, &v));
	got = get_followup(f, v.id);
	assert_null(got->service);
	assert_null(got->notes);
	youth_followup_free(got);

	/* a given UUID is kept (and lowered) */
	plain_followup(f, &v, f->person2_id, YOUTH_FOLLOWUP_UNEMPLOYED, 6, "2009-12-01");
	memcpy(v.uuid, "123E4567-E89B-42D3-A456-426614174000", YOUTH_UUID_LEN + 1);
	assert_ok(youth_followup_add(f->reg, &v));
	got = get_followup(f, v.id);
	assert_string_equal(got->uuid, "123e4567-e89b-42d3-a456-426614174000");
	youth_followup_free(got);

	/* boundaries that are valid: the census date, today, horizons 1 and 60, 1000 bytes of
	 * notes, each status with or without an employer as it requires */
	char today[16];
	th_today_utc(today, 0);
	char *notes = th_repeat('n', 1000);
	plain_followup(f, &v, f->person2_id, YOUTH_FOLLOWUP_SELF_EMPLOYED, 1, CENSUS);
	v.notes = notes;
	assert_ok(youth_followup_add(f->reg, &v));
	plain_followup(f, &v, f->person2_id, YOUTH_FOLLOWUP_EMPLOYED_INFORMAL, 60, today);
	assert_ok(youth_followup_add(f->reg, &v));
	got = get_followup(f, v.id);
	assert_int_equal(got->employer_id, f->employer_id);
	assert_int_equal(got->horizon_months, 60);
	youth_followup_free(got);
	free(notes);

	/* other kinds of service: the reference is taken as given (only > 0 is checked) */
	static const char *kinds[] = {"counselling", "scholarship", "seed_capital", "plan"};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		plain_followup(f, &v, f->person_id, YOUTH_FOLLOWUP_UNEMPLOYED, 3, FOLLOWED);
		v.service = kinds[i];
		v.service_id = 999;
		assert_ok(youth_followup_add(f->reg, &v));
		got = get_followup(f, v.id);
		assert_string_equal(got->service, kinds[i]);
		assert_int_equal(got->service_id, 999);
		youth_followup_free(got);
	}
	assert_int_equal(count_all(f->reg), 10);
	assert_int_equal(count_iter(f->reg, f->person_id), 6);
	assert_int_equal(count_iter(f->reg, f->person2_id), 4);
}

static void test_add_invalid(void **state)
{
	fx *f = *state;
	youth_followup u;
	char future[16];
	th_today_utc(future, 2);
	char *long_notes = th_repeat('n', 1001);

	EXPECT_FAIL(f, youth_followup_add(NULL, &u), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_followup_add(f->reg, NULL), YOUTH_EINVAL, NULL);

	valid_followup(f, &u);
	memcpy(u.uuid, "not-a-uuid", 11);
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "uuid");

	valid_followup(f, &u);
	u.person_id = 0;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "person_id");
	assert_msg_has("missing");
	u.person_id = -3;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "person_id");
	assert_msg_has("not a record id");

	valid_followup(f, &u);
	u.operator_id = 0;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "operator_id");
	u.operator_id = -1;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "operator_id");

	static const char *bad_dates[] = {"", "2010-02-30", "2010/02/01", "01-02-2010", "2010-2-1",
	                                  "yesterday"};
	valid_followup(f, &u);
	u.date = NULL;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "date");
	for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
		u.date = bad_dates[i];
		EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "date");
	}
	u.date = future;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "date");
	assert_msg_has("future");
	u.date = "2009-03-01"; /* the day before the census */
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "date");
	assert_msg_has("census");
	assert_msg_has("2009-03-01");

	static const int bad_horizons[] = {0, -1, 61, 120, -60};
	valid_followup(f, &u);
	for (size_t i = 0; i < sizeof bad_horizons / sizeof bad_horizons[0]; i++) {
		u.horizon_months = bad_horizons[i];
		EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "horizon_months");
		assert_msg_has("1-60");
	}

	static const int bad_status[] = {0, -1, 7, 100};
	valid_followup(f, &u);
	for (size_t i = 0; i < sizeof bad_status / sizeof bad_status[0]; i++) {
		u.status = bad_status[i];
		EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "status");
	}

	/* employer: required for the employed statuses, refused for the others */
	valid_followup(f, &u);
	u.employer_id = 0;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "employer_id");
	assert_msg_has("required when status is employed_formal");
	u.status = YOUTH_FOLLOWUP_EMPLOYED_INFORMAL;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "employer_id");
	assert_msg_has("employed_informal");
	u.employer_id = -2;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "employer_id");
	static const int no_employer[] = {YOUTH_FOLLOWUP_SELF_EMPLOYED, YOUTH_FOLLOWUP_STUDYING,
	                                  YOUTH_FOLLOWUP_UNEMPLOYED, YOUTH_FOLLOWUP_NEET};
	for (size_t i = 0; i < sizeof no_employer / sizeof no_employer[0]; i++) {
		valid_followup(f, &u);
		u.status = no_employer[i];
		EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "employer_id");
		assert_msg_has("only employed_formal and employed_informal name an employer");
		assert_msg_has(youth_followup_status_name(no_employer[i]));
	}

	/* service and service_id go together */
	static const char *bad_services[] = {"course", "Enrollment", "enrollment ", "scholarships",
	                                     "plán"};
	for (size_t i = 0; i < sizeof bad_services / sizeof bad_services[0]; i++) {
		valid_followup(f, &u);
		u.service = bad_services[i];
		EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "service");
		assert_msg_has("not one of enrollment");
	}
	valid_followup(f, &u);
	u.service_id = 0;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "service_id");
	assert_msg_has("missing");
	u.service_id = -5;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "service_id");
	u.service = "plan";
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "service_id");
	valid_followup(f, &u);
	u.service = NULL;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "service_id");
	assert_msg_has("without a service");
	u.service = "";
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "service_id");

	/* notes */
	valid_followup(f, &u);
	u.notes = long_notes;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "notes");
	u.notes = "   ";
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "notes");
	u.notes = "line one\nline two";
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "notes");
	u.notes = "bad \xff byte";
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "notes");
	free(long_notes);

	/* nothing of the refused records got an id */
	assert_int_equal(count_all(f->reg), 0);
	valid_followup(f, &u);
	assert_ok(youth_followup_add(f->reg, &u));
}

static void test_add_references(void **state)
{
	fx *f = *state;
	youth_followup u;

	valid_followup(f, &u);
	u.person_id = 9999;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_ENOTFOUND, "person_id");
	assert_msg_has("9999");

	valid_followup(f, &u);
	u.operator_id = 9999;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_ENOTFOUND, "operator_id");
	u.operator_id = f->inactive_id;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_ERULE, "operator_id");
	assert_msg_has("inactive");

	valid_followup(f, &u);
	u.employer_id = 9999;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_ENOTFOUND, "employer_id");
	assert_msg_has("no such employer");

	valid_followup(f, &u);
	u.service_id = 9999;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_ENOTFOUND, "service_id");
	assert_msg_has("no such enrollment");
	u.service_id = f->enrollment2_id; /* of another person */
	EXPECT_FAIL(f, youth_followup_add(f->reg, &u), YOUTH_EINVAL, "service_id");
	assert_msg_has("belongs to person");

	/* the same enrollment for its own person is fine */
	u.person_id = f->person2_id;
	assert_ok(youth_followup_add(f->reg, &u));
	assert_int_equal(count_all(f->reg), 1);
}

static void test_duplicates(void **state)
{
	fx *f = *state;
	youth_followup u, v;
	valid_followup(f, &u);
	assert_ok(youth_followup_add(f->reg, &u));

	/* same person, service, service id and horizon: refused even with another date/status */
	valid_followup(f, &v);
	v.date = "2010-03-01";
	v.status = YOUTH_FOLLOWUP_UNEMPLOYED;
	v.employer_id = 0;
	EXPECT_FAIL(f, youth_followup_add(f->reg, &v), YOUTH_EEXISTS, "horizon_months");
	char id[32];
	snprintf(id, sizeof id, "follow-up %lld", (long long)u.id);
	assert_msg_has(id);
	assert_msg_has("after enrollment");
	assert_int_equal(count_all(f->reg), 1); /* refused by the index: nothing written */

	/* another horizon, another service, another person: accepted */
	v.horizon_months = 12;
	assert_ok(youth_followup_add(f->reg, &v));
	valid_followup(f, &v);
	v.service = "scholarship";
	v.service_id = f->enrollment_id; /* same number, another kind of service */
	assert_ok(youth_followup_add(f->reg, &v));
	valid_followup(f, &v);
	v.service = "scholarship";
	v.service_id = 77;
	assert_ok(youth_followup_add(f->reg, &v));
	valid_followup(f, &v);
	v.person_id = f->person2_id;
	v.service_id = f->enrollment2_id;
	assert_ok(youth_followup_add(f->reg, &v));

	/* without a service: one per person and horizon */
	add_plain(f, f->person_id, YOUTH_FOLLOWUP_NEET, 6, FOLLOWED);
	plain_followup(f, &v, f->person_id, YOUTH_FOLLOWUP_STUDYING, 6, "2010-05-05");
	EXPECT_FAIL(f, youth_followup_add(f->reg, &v), YOUTH_EEXISTS, "horizon_months");
	assert_msg_has("without a service");
	assert_int_equal(count_all(f->reg), 6);
	v.horizon_months = 3;
	assert_ok(youth_followup_add(f->reg, &v));

	/* a UUID already used */
	valid_followup(f, &v);
	v.horizon_months = 24;
	memcpy(v.uuid, u.uuid, sizeof v.uuid);
	EXPECT_FAIL(f, youth_followup_add(f->reg, &v), YOUTH_EEXISTS, "uuid");
	assert_int_equal(count_all(f->reg), 7);
}

static void test_update(void **state)
{
	fx *f = *state;
	youth_followup u;
	valid_followup(f, &u);
	assert_ok(youth_followup_add(f->reg, &u));
	int64_t other = add_plain(f, f->person_id, YOUTH_FOLLOWUP_NEET, 12, FOLLOWED);

	/* the youth lost the job: unemployed, no employer; recorded at the other exchange */
	youth_followup v = u;
	v.uuid[0] = '\0'; /* keeps the stored one */
	v.status = YOUTH_FOLLOWUP_UNEMPLOYED;
	v.employer_id = 0;
	v.operator_id = f->operator2_id;
	v.exchange_id = 12345; /* read-only: ignored */
	v.notes = NULL;
	v.date = "2010-02-15";
	int64_t changes = youth_registry_total_changes(f->reg);
	assert_ok(youth_followup_update(f->reg, &v));
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 1);
	youth_followup *got = get_followup(f, u.id);
	assert_string_equal(got->uuid, u.uuid);
	assert_int_equal(got->status, YOUTH_FOLLOWUP_UNEMPLOYED);
	assert_int_equal(got->employer_id, 0);
	assert_int_equal(got->operator_id, f->operator2_id);
	assert_int_equal(got->exchange_id, f->exchange2_id);
	assert_string_equal(got->date, "2010-02-15");
	assert_null(got->notes);
	assert_string_equal(got->service, "enrollment");
	youth_followup_free(got);

	/* updating a record to itself (same person, service, horizon) is not a duplicate */
	got = get_followup(f, u.id);
	assert_ok(youth_followup_update(f->reg, got));
	youth_followup_free(got);

	/* every rule of add applies, and a refused update changes nothing */
	youth_followup *before = get_followup(f, u.id);
	v = *before;
	v.status = YOUTH_FOLLOWUP_EMPLOYED_FORMAL;
	EXPECT_FAIL(f, youth_followup_update(f->reg, &v), YOUTH_EINVAL, "employer_id");
	v = *before;
	v.horizon_months = 0;
	EXPECT_FAIL(f, youth_followup_update(f->reg, &v), YOUTH_EINVAL, "horizon_months");
	v = *before;
	v.date = "2008-01-01";
	EXPECT_FAIL(f, youth_followup_update(f->reg, &v), YOUTH_EINVAL, "date");
	v = *before;
	v.operator_id = f->inactive_id;
	EXPECT_FAIL(f, youth_followup_update(f->reg, &v), YOUTH_ERULE, "operator_id");
	v = *before;
	v.person_id = f->person2_id; /* the enrollment is not theirs */
	EXPECT_FAIL(f, youth_followup_update(f->reg, &v), YOUTH_EINVAL, "service_id");
	v = *before;
	v.service = NULL;
	v.service_id = 0;
	v.horizon_months = 12; /* collides with `other` */
	EXPECT_FAIL(f, youth_followup_update(f->reg, &v), YOUTH_EEXISTS, "horizon_months");
	char id[32];
	snprintf(id, sizeof id, "follow-up %lld", (long long)other);
	assert_msg_has(id);
	v = *before;
	memcpy(v.uuid, "123e4567-e89b-42d3-a456-426614174000", YOUTH_UUID_LEN + 1);
	EXPECT_FAIL(f, youth_followup_update(f->reg, &v), YOUTH_EINVAL, "uuid");
	assert_msg_has("never changes");
	v = *before;
	v.id = 0;
	EXPECT_FAIL(f, youth_followup_update(f->reg, &v), YOUTH_EINVAL, "id");
	v.id = -4;
	EXPECT_FAIL(f, youth_followup_update(f->reg, &v), YOUTH_EINVAL, "id");
	v.id = 9999;
	v.uuid[0] = '\0';
	EXPECT_FAIL(f, youth_followup_update(f->reg, &v), YOUTH_ENOTFOUND, "id");
	EXPECT_FAIL(f, youth_followup_update(NULL, &v), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_followup_update(f->reg, NULL), YOUTH_EINVAL, NULL);
	got = get_followup(f, u.id);
	assert_followup_eq(got, before);
	youth_followup_free(got);
	youth_followup_free(before);
}

static void test_delete(void **state)
{
	fx *f = *state;
	youth_followup u;
	valid_followup(f, &u);
	assert_ok(youth_followup_add(f->reg, &u));
	int64_t keep = add_plain(f, f->person_id, YOUTH_FOLLOWUP_STUDYING, 3, FOLLOWED);

	/* a person with follow-ups cannot be deleted */
	EXPECT_FAIL(f, youth_person_delete(f->reg, f->person_id), YOUTH_EREFERENCED, "id");

	int64_t changes = youth_registry_total_changes(f->reg);
	assert_ok(youth_followup_delete(f->reg, u.id));
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 1);
	assert_int_equal(count_all(f->reg), 1);
	youth_followup *got = NULL;
	assert_rc(youth_followup_get(&got, f->reg, u.id), YOUTH_ENOTFOUND);
	assert_null(got);
	got = get_followup(f, keep);
	youth_followup_free(got);

	EXPECT_FAIL(f, youth_followup_delete(f->reg, u.id), YOUTH_ENOTFOUND, "id");
	EXPECT_FAIL(f, youth_followup_delete(f->reg, 0), YOUTH_EINVAL, "id");
	EXPECT_FAIL(f, youth_followup_delete(f->reg, -1), YOUTH_EINVAL, "id");
	EXPECT_FAIL(f, youth_followup_delete(NULL, keep), YOUTH_EINVAL, NULL);

	/* once deleted, the same follow-up may be recorded again */
	valid_followup(f, &u);
	assert_ok(youth_followup_add(f->reg, &u));
	assert_int_equal(count_all(f->reg), 2);
}

static void test_get_errors(void **state)
{
	fx *f = *state;
	youth_followup *got = (youth_followup *)1;
	EXPECT_FAIL(f, youth_followup_get(&got, f->reg, 1), YOUTH_ENOTFOUND, "id");
	assert_null(got);
	assert_msg_has("no such follow-up");
	got = (youth_followup *)1;
	EXPECT_FAIL(f, youth_followup_get(&got, NULL, 1), YOUTH_EINVAL, NULL);
	assert_null(got);
	EXPECT_FAIL(f, youth_followup_get(NULL, f->reg, 1), YOUTH_EINVAL, NULL);
	youth_followup_free(NULL);
	youth_followup_init(NULL);
}

static void test_latest(void **state)
{
	fx *f = *state;
	youth_followup *got = (youth_followup *)1;

	EXPECT_FAIL(f, youth_followup_latest(&got, f->reg, f->person_id), YOUTH_ENOTFOUND,
	            "person_id");
	assert_null(got);
	assert_msg_has("no follow-up recorded");
	EXPECT_FAIL(f, youth_followup_latest(&got, f->reg, 9999), YOUTH_ENOTFOUND, "person_id");
	assert_msg_has("no such person");
	EXPECT_FAIL(f, youth_followup_latest(&got, f->reg, 0), YOUTH_EINVAL, "person_id");
	EXPECT_FAIL(f, youth_followup_latest(&got, f->reg, -2), YOUTH_EINVAL, "person_id");
	EXPECT_FAIL(f, youth_followup_latest(NULL, f->reg, f->person_id), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_followup_latest(&got, NULL, f->person_id), YOUTH_EINVAL, NULL);

	/* recorded out of order: the latest date wins, not the latest id */
	add_plain(f, f->person_id, YOUTH_FOLLOWUP_UNEMPLOYED, 3, "2009-10-01");
	int64_t twelve = add_plain(f, f->person_id, YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 12, "2010-07-01");
	add_plain(f, f->person_id, YOUTH_FOLLOWUP_STUDYING, 6, "2010-01-01");
	add_plain(f, f->person2_id, YOUTH_FOLLOWUP_NEET, 12, "2011-01-01");
	assert_ok(youth_followup_latest(&got, f->reg, f->person_id));
	assert_int_equal(got->id, twelve);
	assert_int_equal(got->status, YOUTH_FOLLOWUP_EMPLOYED_FORMAL);
	assert_string_equal(got->date, "2010-07-01");
	youth_followup_free(got);

	/* two on the same date: the last recorded */
	int64_t same = add_plain(f, f->person_id, YOUTH_FOLLOWUP_SELF_EMPLOYED, 24, "2010-07-01");
	assert_ok(youth_followup_latest(&got, f->reg, f->person_id));
	assert_int_equal(got->id, same);
	youth_followup_free(got);

	/* after a delete, the one before */
	assert_ok(youth_followup_delete(f->reg, same));
	assert_ok(youth_followup_latest(&got, f->reg, f->person_id));
	assert_int_equal(got->id, twelve);
	youth_followup_free(got);
}

static void test_iter_person(void **state)
{
	fx *f = *state;
	youth_followup_iter *it = NULL;
	const youth_followup *u;

	assert_int_equal(count_iter(f->reg, 0), 0);
	int64_t a = add_plain(f, f->person_id, YOUTH_FOLLOWUP_STUDYING, 12, "2010-03-01");
	int64_t b = add_plain(f, f->person_id, YOUTH_FOLLOWUP_UNEMPLOYED, 3, "2009-09-01");
	int64_t c = add_plain(f, f->person2_id, YOUTH_FOLLOWUP_NEET, 3, "2009-10-01");
	int64_t d = add_plain(f, f->person_id, YOUTH_FOLLOWUP_NEET, 6, "2010-03-01");

	/* date order, then id order */
	const int64_t want[] = {b, a, d};
	assert_ok(youth_followup_iter_new(&it, f->reg, f->person_id));
	for (size_t i = 0; i < 3; i++) {
		assert_ok(youth_followup_next(&u, it));
		assert_int_equal(u->id, want[i]);
		assert_int_equal(u->person_id, f->person_id);
		assert_int_equal(u->exchange_id, f->exchange_id);
	}
	assert_rc(youth_followup_next(&u, it), YOUTH_ITEROVER);
	assert_rc(youth_followup_next(&u, it), YOUTH_ITEROVER);
	youth_followup_iter_free(it);

	const int64_t all[] = {b, c, a, d};
	assert_ok(youth_followup_iter_new(&it, f->reg, 0));
	for (size_t i = 0; i < 4; i++) {
		assert_ok(youth_followup_next(&u, it));
		assert_int_equal(u->id, all[i]);
	}
	assert_rc(youth_followup_next(&u, it), YOUTH_ITEROVER);
	youth_followup_iter_free(it);

	assert_int_equal(count_iter(f->reg, 9999), 0); /* unknown person: nothing */

	it = (youth_followup_iter *)1;
	EXPECT_FAIL(f, youth_followup_iter_new(&it, f->reg, -1), YOUTH_EINVAL, "person_id");
	assert_null(it);
	EXPECT_FAIL(f, youth_followup_iter_new(NULL, f->reg, 0), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_followup_iter_new(&it, NULL, 0), YOUTH_EINVAL, NULL);
	assert_ok(youth_followup_iter_new(&it, f->reg, 0));
	EXPECT_FAIL(f, youth_followup_next(NULL, it), YOUTH_EINVAL, NULL);
	u = (const youth_followup *)1;
	EXPECT_FAIL(f, youth_followup_next(&u, NULL), YOUTH_EINVAL, NULL);
	assert_null(u);
	youth_followup_iter_free(it);
	youth_followup_iter_free(NULL);
}

/* Iterators may outlive their registry handle (bindings free objects in any order). */
static void test_iter_after_close(void **state)
{
	fx *f = *state;
	add_plain(f, f->person_id, YOUTH_FOLLOWUP_STUDYING, 3, FOLLOWED);
	youth_followup_iter *a = NULL, *b = NULL;
	const youth_followup *u;
	assert_ok(youth_followup_iter_new(&a, f->reg, 0));
	assert_ok(youth_followup_iter_range(&b, f->reg, 0, NULL, NULL));
	assert_ok(youth_followup_next(&u, a));
	youth_registry_close(f->reg);
	f->reg = NULL;
	youth_followup_iter_free(a);
	youth_followup_iter_free(b);
}

/* Ids returned by a range iterator, in order, into @ids; returns how many. */
static size_t range_ids(fx *f, int status, const char *from, const char *to, int64_t *ids,
                        size_t max)
{
	youth_followup_iter *it = NULL;
	const youth_followup *u;
	size_t n = 0;
	int rc;
	assert_ok(youth_followup_iter_range(&it, f->reg, status, from, to));
	while ((rc = youth_followup_next(&u, it)) == YOUTH_OK) {
		assert_true(n < max);
		assert_true(status == 0 || u->status == status);
		assert_true(!from || strcmp(u->date, from) >= 0);
		assert_true(!to || strcmp(u->date, to) <= 0);
		ids[n++] = u->id;
	}
	assert_int_equal(rc, YOUTH_ITEROVER);
	assert_int_equal(youth_followup_next(&u, it), YOUTH_ITEROVER);
	youth_followup_iter_free(it);
	return n;
}

static void test_iter_range(void **state)
{
	fx *f = *state;
	int64_t a = add_plain(f, f->person_id, YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 6, "2009-09-01");
	int64_t b = add_plain(f, f->person_id, YOUTH_FOLLOWUP_STUDYING, 12, "2010-03-01");
	int64_t c = add_plain(f, f->person2_id, YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 6, "2010-01-15");
	int64_t d = add_plain(f, f->person2_id, YOUTH_FOLLOWUP_NEET, 12, "2010-07-01");
	int64_t ids[8];

	assert_int_equal(range_ids(f, 0, NULL, NULL, ids, 8), 4);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], c);
	assert_int_equal(ids[2], b);
	assert_int_equal(ids[3], d);
	assert_int_equal(range_ids(f, YOUTH_FOLLOWUP_EMPLOYED_FORMAL, NULL, NULL, ids, 8), 2);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], c);
	/* bounds are inclusive */
	assert_int_equal(range_ids(f, 0, "2010-01-15", "2010-03-01", ids, 8), 2);
	assert_int_equal(ids[0], c);
	assert_int_equal(ids[1], b);
	assert_int_equal(range_ids(f, 0, "2010-01-16", NULL, ids, 8), 2);
	assert_int_equal(ids[0], b);
	assert_int_equal(ids[1], d);
	assert_int_equal(range_ids(f, 0, NULL, "2009-09-01", ids, 8), 1);
	assert_int_equal(ids[0], a);
	assert_int_equal(range_ids(f, YOUTH_FOLLOWUP_EMPLOYED_FORMAL, "2010-01-01", "2010-12-31",
	                           ids, 8), 1);
	assert_int_equal(ids[0], c);
	assert_int_equal(range_ids(f, YOUTH_FOLLOWUP_UNEMPLOYED, NULL, NULL, ids, 8), 0);
	assert_int_equal(range_ids(f, 0, "2010-05-05", "2010-05-05", ids, 8), 0);

	/* the bounds are copied: the caller's buffers may change after iter_range returns */
	char from[16] = "2010-01-01";
	youth_followup_iter *it = NULL;
	const youth_followup *u;
	assert_ok(youth_followup_iter_range(&it, f->reg, 0, from, NULL));
	strcpy(from, "2099-01-01");
	assert_ok(youth_followup_next(&u, it));
	assert_int_equal(u->id, c);
	youth_followup_iter_free(it);

	it = (youth_followup_iter *)1;
	EXPECT_FAIL(f, youth_followup_iter_range(&it, f->reg, 7, NULL, NULL), YOUTH_EINVAL,
	            "status");
	assert_null(it);
	EXPECT_FAIL(f, youth_followup_iter_range(&it, f->reg, -1, NULL, NULL), YOUTH_EINVAL,
	            "status");
	EXPECT_FAIL(f, youth_followup_iter_range(&it, f->reg, 0, "2010-13-01", NULL), YOUTH_EINVAL,
	            "from");
	EXPECT_FAIL(f, youth_followup_iter_range(&it, f->reg, 0, NULL, "2010-02-30"), YOUTH_EINVAL,
	            "to");
	EXPECT_FAIL(f, youth_followup_iter_range(&it, f->reg, 0, "2010-02-02", "2010-02-01"),
	            YOUTH_EINVAL, "to");
	assert_msg_has("before from");
	EXPECT_FAIL(f, youth_followup_iter_range(NULL, f->reg, 0, NULL, NULL), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_followup_iter_range(&it, NULL, 0, NULL, NULL), YOUTH_EINVAL, NULL);
}

static void test_count(void **state)
{
	fx *f = *state;
	int64_t n = -1;
	assert_ok(youth_followup_count(&n, f->reg, 0, 0, NULL, NULL));
	assert_int_equal(n, 0);

	/* three youths at 6 months: two in formal jobs (one in 2009, one in 2010), one informal;
	 * at 12 months: one formal, one neet */
	int64_t p3 = 0;
	assert_ok(th_add_person(f->reg, &p3));
	add_plain(f, f->person_id, YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 6, "2009-11-01");
	add_plain(f, f->person2_id, YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 6, "2010-01-10");
	add_plain(f, p3, YOUTH_FOLLOWUP_EMPLOYED_INFORMAL, 6, "2009-12-01");
	add_plain(f, f->person_id, YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 12, "2010-05-01");
	add_plain(f, f->person2_id, YOUTH_FOLLOWUP_NEET, 12, "2010-07-10");

	struct {
		int status, horizon;
		const char *from, *to;
		int64_t want;
	} cases[] = {
		{0, 0, NULL, NULL, 5},
		{YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 0, NULL, NULL, 3},
		{YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 6, NULL, NULL, 2},
		{YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 6, "2009-01-01", "2009-12-31", 1},
		{YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 12, NULL, NULL, 1},
		{YOUTH_FOLLOWUP_EMPLOYED_INFORMAL, 6, NULL, NULL, 1},
		{0, 6, NULL, NULL, 3},
		{0, 12, NULL, NULL, 2},
		{0, 3, NULL, NULL, 0},
		{YOUTH_FOLLOWUP_NEET, 0, "2010-07-10", "2010-07-10", 1},
		{0, 0, "2010-01-10", NULL, 3},
		{0, 0, NULL, "2010-01-09", 2},
		{YOUTH_FOLLOWUP_STUDYING, 0, NULL, NULL, 0},
		{0, 60, NULL, NULL, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = -1;
		assert_ok(youth_followup_count(&n, f->reg, cases[i].status, cases[i].horizon,
		                               cases[i].from, cases[i].to));
		if (n != cases[i].want)
			fail_msg("case %zu: count %lld, expected %lld", i, (long long)n,
			         (long long)cases[i].want);
	}

	n = 42;
	EXPECT_FAIL(f, youth_followup_count(&n, f->reg, 7, 0, NULL, NULL), YOUTH_EINVAL, "status");
	assert_int_equal(n, 0);
	EXPECT_FAIL(f, youth_followup_count(&n, f->reg, -1, 0, NULL, NULL), YOUTH_EINVAL, "status");
	EXPECT_FAIL(f, youth_followup_count(&n, f->reg, 0, -1, NULL, NULL), YOUTH_EINVAL,
	            "horizon_months");
	EXPECT_FAIL(f, youth_followup_count(&n, f->reg, 0, 61, NULL, NULL), YOUTH_EINVAL,
	            "horizon_months");
	EXPECT_FAIL(f, youth_followup_count(&n, f->reg, 0, 0, "2010-1-1", NULL), YOUTH_EINVAL,
	            "from");
	EXPECT_FAIL(f, youth_followup_count(&n, f->reg, 0, 0, NULL, ""), YOUTH_EINVAL, "to");
	EXPECT_FAIL(f, youth_followup_count(&n, f->reg, 0, 0, "2011-01-01", "2010-01-01"),
	            YOUTH_EINVAL, "to");
	EXPECT_FAIL(f, youth_followup_count(NULL, f->reg, 0, 0, NULL, NULL), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_followup_count(&n, NULL, 0, 0, NULL, NULL), YOUTH_EINVAL, NULL);
}

static void test_fields(void **state)
{
	fx *f = *state;
	static const char *names[] = {"id",          "uuid",           "person_id", "operator_id",
	                              "exchange_id", "date",           "horizon_months",
	                              "status",      "employer_id",    "service",   "service_id",
	                              "notes"};
	size_t n = sizeof names / sizeof names[0];
	for (size_t i = 0; i < n; i++)
		assert_string_equal(youth_followup_field_name(i), names[i]);
	assert_null(youth_followup_field_name(n));
	assert_null(youth_followup_field_name((size_t)-1));

	static const char *status[] = {NULL,       "employed_formal", "employed_informal",
	                               "self_employed", "studying",   "unemployed", "neet"};
	for (int s = 0; s <= 6; s++)
		assert_true(th_streq(youth_followup_status_name(s), status[s]));
	assert_null(youth_followup_status_name(7));
	assert_null(youth_followup_status_name(-1));

	/* a record built from text, as the YAML loader and the CLI do */
	char ids[4][24];
	snprintf(ids[0], sizeof ids[0], "%lld", (long long)f->person_id);
	snprintf(ids[1], sizeof ids[1], "%lld", (long long)f->operator_id);
	snprintf(ids[2], sizeof ids[2], "%lld", (long long)f->employer_id);
	snprintf(ids[3], sizeof ids[3], "%lld", (long long)f->enrollment_id);
	youth_followup u;
	youth_followup_init(&u);
	assert_ok(youth_followup_set_field(&u, "person_id", ids[0]));
	assert_ok(youth_followup_set_field(&u, "operator_id", ids[1]));
	assert_ok(youth_followup_set_field(&u, "date", FOLLOWED));
	assert_ok(youth_followup_set_field(&u, "horizon_months", "6"));
	assert_ok(youth_followup_set_field(&u, "status", "employed_informal"));
	assert_ok(youth_followup_set_field(&u, "employer_id", ids[2]));
	assert_ok(youth_followup_set_field(&u, "service", "enrollment"));
	assert_ok(youth_followup_set_field(&u, "service_id", ids[3]));
	assert_ok(youth_followup_set_field(&u, "notes", "vendedora"));
	assert_int_equal(u.status, YOUTH_FOLLOWUP_EMPLOYED_INFORMAL);
	assert_int_equal(u.horizon_months, 6);
	assert_ok(youth_followup_add(f->reg, &u));

	youth_followup *got = get_followup(f, u.id);
	char buf[64];
	const char *out;
	assert_ok(youth_followup_get_field(&out, got, "status", buf, sizeof buf));
	assert_string_equal(out, "employed_informal");
	assert_ok(youth_followup_get_field(&out, got, "horizon_months", buf, sizeof buf));
	assert_string_equal(out, "6");
	assert_ok(youth_followup_get_field(&out, got, "exchange_id", buf, sizeof buf));
	snprintf(ids[0], sizeof ids[0], "%lld", (long long)f->exchange_id);
	assert_string_equal(out, ids[0]);
	assert_ok(youth_followup_get_field(&out, got, "employer_id", buf, sizeof buf));
	assert_string_equal(out, ids[2]);
	assert_ok(youth_followup_get_field(&out, got, "service", buf, sizeof buf));
	assert_string_equal(out, "enrollment");
	assert_ok(youth_followup_get_field(&out, got, "date", buf, sizeof buf));
	assert_string_equal(out, FOLLOWED);
	assert_ok(youth_followup_get_field(&out, got, "uuid", buf, sizeof buf));
	assert_string_equal(out, got->uuid);
	assert_ok(youth_followup_get_field(&out, got, "notes", buf, sizeof buf));
	assert_string_equal(out, "vendedora");
	youth_followup_free(got);

	/* unset values read back as NULL */
	youth_followup_init(&u);
	assert_ok(youth_followup_get_field(&out, &u, "employer_id", buf, sizeof buf));
	assert_null(out);
	assert_ok(youth_followup_get_field(&out, &u, "status", buf, sizeof buf));
	assert_null(out);
	assert_ok(youth_followup_get_field(&out, &u, "service", buf, sizeof buf));
	assert_null(out);

	/* bad text */
	youth_error_clear();
	assert_rc(youth_followup_set_field(&u, "status", "employed"), YOUTH_EINVAL);
	assert_err_field("status");
	assert_msg_has("employed_formal");
	assert_rc(youth_followup_set_field(&u, "exchange_id", "1"), YOUTH_EINVAL);
	assert_err_field("exchange_id");
	assert_msg_has("set by the library");
	assert_rc(youth_followup_set_field(&u, "horizon_months", "six"), YOUTH_EINVAL);
	assert_err_field("horizon_months");
	assert_rc(youth_followup_set_field(&u, "employer_id", "-1"), YOUTH_EINVAL);
	assert_err_field("employer_id");
	assert_rc(youth_followup_set_field(&u, "uuid", "xyz"), YOUTH_EINVAL);
	assert_err_field("uuid");
	assert_rc(youth_followup_set_field(&u, "employer", "1"), YOUTH_EINVAL);
	assert_msg_has("not a follow-up field");
	assert_rc(youth_followup_set_field(NULL, "status", "neet"), YOUTH_EINVAL);
	assert_rc(youth_followup_get_field(&out, &u, "nope", buf, sizeof buf), YOUTH_EINVAL);
	assert_rc(youth_followup_get_field(&out, &u, "status", buf, 8), YOUTH_EINVAL);
	assert_int_equal(u.status, 0);
	assert_int_equal(count_all(f->reg), 1);
}

/* Inside a caller's transaction a refused call undoes only itself. */
static void test_in_transaction(void **state)
{
	fx *f = *state;
	youth_followup u;
	assert_ok(youth_registry_begin(f->reg));
	valid_followup(f, &u);
	assert_ok(youth_followup_add(f->reg, &u));
	assert_rc(youth_followup_add(f->reg, &u), YOUTH_EEXISTS); /* duplicate */
	youth_followup v;
	valid_followup(f, &v);
	v.horizon_months = 12;
	v.employer_id = 9999;
	assert_rc(youth_followup_add(f->reg, &v), YOUTH_ENOTFOUND);
	v.employer_id = f->employer2_id;
	assert_ok(youth_followup_add(f->reg, &v));
	assert_ok(youth_registry_commit(f->reg));
	assert_int_equal(count_all(f->reg), 2);

	assert_ok(youth_registry_begin(f->reg));
	assert_ok(youth_followup_delete(f->reg, u.id));
	add_plain(f, f->person2_id, YOUTH_FOLLOWUP_NEET, 3, FOLLOWED);
	assert_int_equal(count_all(f->reg), 2);
	assert_ok(youth_registry_rollback(f->reg));
	assert_int_equal(count_all(f->reg), 2);
	youth_followup *got = get_followup(f, u.id);
	youth_followup_free(got);
}

static void test_out_of_memory(void **state)
{
	fx *f = *state;
	long failures;
	youth_followup u;
	valid_followup(f, &u);
	OOM_LOOP(f, youth_followup_add(f->reg, &u), failures);
	assert_int_equal(count_all(f->reg), 1);
	u.status = YOUTH_FOLLOWUP_UNEMPLOYED;
	u.employer_id = 0;
	OOM_LOOP(f, youth_followup_update(f->reg, &u), failures);

	youth_followup *got = NULL;
	OOM_LOOP(f, youth_followup_get(&got, f->reg, u.id), failures);
	assert_true(failures > 0); /* the record is allocated */
	assert_int_equal(got->status, YOUTH_FOLLOWUP_UNEMPLOYED);
	youth_followup_free(got);
	got = NULL;
	OOM_LOOP(f, youth_followup_latest(&got, f->reg, f->person_id), failures);
	assert_true(failures > 0);
	assert_int_equal(got->id, u.id);
	youth_followup_free(got);

	youth_followup_iter *it = NULL;
	OOM_LOOP(f, youth_followup_iter_new(&it, f->reg, f->person_id), failures);
	assert_true(failures > 0);
	const youth_followup *r = (const youth_followup *)1;
	th_alloc_state st;
	th_alloc_install(&st, 1, 1); /* the row buffer cannot grow */
	int rc = youth_followup_next(&r, it);
	th_alloc_restore();
	assert_rc(rc, YOUTH_ENOMEM);
	assert_null(r);
	youth_followup_iter_free(it);
	it = NULL;
	OOM_LOOP(f, youth_followup_iter_range(&it, f->reg, 0, "2009-01-01", NULL), failures);
	assert_ok(youth_followup_next(&r, it));
	assert_int_equal(r->id, u.id);
	youth_followup_iter_free(it);

	OOM_LOOP(f, youth_followup_delete(f->reg, u.id), failures);
	assert_int_equal(count_all(f->reg), 0);
}

/* The schema is the last line of defence: it refuses what the C rules refuse. */
static void test_schema(void **state)
{
	fx *f = *state;
	youth_followup u;
	valid_followup(f, &u);
	assert_ok(youth_followup_add(f->reg, &u));

	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL), SQLITE_OK);
	char sql[512];
#define EMPLOYER "(SELECT min(id) FROM employer)"
	/* The columns after person_id, operator_id and exchange_id. */
	static const char *bad[] = {
		/* employer for neet */
		"'2010-01-01', 3, 6, " EMPLOYER ", NULL, NULL",
		/* no employer for employed_formal */
		"'2010-01-01', 3, 1, NULL, NULL, NULL",
		/* horizon 0 */
		"'2010-01-01', 0, 1, " EMPLOYER ", NULL, NULL",
		/* status 7 */
		"'2010-01-01', 3, 7, NULL, NULL, NULL",
		/* unknown service */
		"'2010-01-01', 3, 5, NULL, 'course', 1",
		/* service without id */
		"'2010-01-01', 3, 5, NULL, 'plan', NULL",
		/* duplicate of the stored one (the fixture's first enrollment) */
		"'" FOLLOWED "', 6, 5, NULL, 'enrollment', (SELECT min(id) FROM enrollment)",
		/* a date that is not a date */
		"'1.1.2010', 3, 5, NULL, NULL, NULL",
		/* horizon as text (STRICT) */
		"'2010-01-01', 'six', 5, NULL, NULL, NULL",
		/* an employer that does not exist */
		"'2010-01-01', 3, 1, 9999, NULL, NULL",
	};
#undef EMPLOYER
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(sql, sizeof sql,
		         "INSERT INTO followup (person_id, operator_id, exchange_id, date, "
		         "horizon_months, status, employer_id, service, service_id, uuid) VALUES "
		         "(%lld, %lld, %lld, %s, '00000000-0000-4000-8000-%012zu')",
		         (long long)f->person_id, (long long)f->operator_id, (long long)f->exchange_id,
		         bad[i], i);
		int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_CONSTRAINT)
			fail_msg("case %zu: rc %d (%s) for %s", i, rc, sqlite3_errmsg(db), sql);
	}
	/* a person with follow-ups cannot disappear under them */
	snprintf(sql, sizeof sql, "DELETE FROM person WHERE id = %lld", (long long)f->person_id);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL) & 0xff, SQLITE_CONSTRAINT);
	sqlite3_close(db);
	assert_int_equal(count_all(f->reg), 1);
	assert_ok(youth_registry_check(f->reg));
}

int main(void)
{
	static th_suite in_memory = {sizeof(fx), populate, tally, 0};
	static th_suite in_file = {sizeof(fx), populate, tally, 1};
#define T(t) TH_FX_TEST(t, &in_memory)
	const struct CMUnitTest tests[] = {
		T(test_add_get),
		T(test_add_invalid),
		T(test_add_references),
		T(test_duplicates),
		T(test_update),
		T(test_delete),
		T(test_get_errors),
		T(test_latest),
		T(test_iter_person),
		T(test_iter_range),
		T(test_iter_after_close),
		T(test_count),
		T(test_fields),
		T(test_in_transaction),
		T(test_out_of_memory),
		TH_FX_TEST(test_schema, &in_file),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
