/* Tests of youth/course.h: the course catalogue, cohorts, enrollments and their state machine,
 * capacity, attendance (manual and from sessions), certificates, eligibility and overrides,
 * field access by name, and that every refused call leaves the registry unchanged. */
#define _GNU_SOURCE
#include "helpers.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define EXCHANGE_PLACE TH_EXCHANGE_PLACE /* where th_add_staffed_exchange() puts SON-01 */
#define COHORT_START "2009-05-04"
#define COHORT_END "2009-07-31"
#define APPLIED "2009-04-20"
#define ENROLLED "2009-05-04"

/* ---- fixture ------------------------------------------------------------------------------ */

typedef struct fx {
	TH_FX_HEAD; /* first, for th_fx_setup() and th_fx_teardown() */
	int64_t exchange_id;
	int64_t operator_id;  /* active */
	int64_t inactive_id;  /* an operator who may no longer record services */
	int64_t course_id;    /* "SOLD" */
	int64_t cohort_id;    /* "SOLD-2009-1": 2009-05-04 to 2009-07-31, 500 places, 80% */
} fx;

static void populate(th_fx *head)
{
	fx *f = (fx *)head;
	th_add_staffed_exchange(f->reg, YOUTH_ROLE_INTAKE, YOUTH_ROLE_COUNSELLOR, &f->exchange_id,
	                        &f->operator_id, &f->inactive_id);

	youth_course c;
	youth_course_init(&c);
	c.code = "SOLD";
	c.title = "Soldadura eléctrica";
	c.provider = "INSAFORP";
	c.job_profile = "welder";
	c.hours = 240;
	assert_ok(youth_course_add(f->reg, &c));
	f->course_id = c.id;

	youth_cohort h;
	youth_cohort_init(&h);
	h.course_id = c.id;
	h.exchange_id = f->exchange_id;
	h.code = "SOLD-2009-1";
	h.start_date = COHORT_START;
	h.end_date = COHORT_END;
	h.place = EXCHANGE_PLACE;
	h.capacity = 500;
	assert_ok(youth_cohort_add(f->reg, &h));
	f->cohort_id = h.id;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static void valid_course(youth_course *c, const char *code)
{
	youth_course_init(c);
	c->code = code;
	c->title = "Cocina básica";
	c->provider = "ITCA";
	c->hours = 120;
}

static void valid_cohort(fx *f, youth_cohort *h, const char *code)
{
	youth_cohort_init(h);
	h->course_id = f->course_id;
	h->exchange_id = f->exchange_id;
	h->code = code;
	h->start_date = COHORT_START;
	h->end_date = COHORT_END;
	h->place = EXCHANGE_PLACE;
	h->capacity = 20;
}

static void valid_enrollment(fx *f, youth_enrollment *e, int64_t cohort, int64_t person)
{
	youth_enrollment_init(e);
	e->cohort_id = cohort;
	e->person_id = person;
	e->operator_id = f->operator_id;
	e->applied_date = APPLIED;
}

/* Applies for @cohort with a new person; returns the enrollment id. */
static int64_t apply_new(fx *f, int64_t cohort)
{
	youth_enrollment e;
	valid_enrollment(f, &e, cohort, th_new_person(f->reg));
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));
	assert_true(e.id > 0);
	return e.id;
}

static int64_t add_cohort(fx *f, const char *code, int capacity, int min_attendance)
{
	youth_cohort h;
	valid_cohort(f, &h, code);
	h.capacity = capacity;
	h.min_attendance = min_attendance;
	assert_ok(youth_cohort_add(f->reg, &h));
	return h.id;
}

TH_GET_FN(get_enrollment, youth_enrollment, fx)

static int enrollment_state(fx *f, int64_t id)
{
	youth_enrollment *e = get_enrollment(f, id);
	int s = e->state;
	youth_enrollment_free(e);
	return s;
}

static int enrollment_attendance(fx *f, int64_t id)
{
	youth_enrollment *e = get_enrollment(f, id);
	int a = e->attendance;
	youth_enrollment_free(e);
	return a;
}

TH_COUNT_FN(count_courses, youth_course, (youth_registry *reg), (reg))
TH_COUNT_FN(count_cohorts, youth_cohort, (youth_registry *reg, int64_t course), (reg, course))
TH_COUNT_FN(count_enrollments, youth_enrollment,
            (youth_registry *reg, int64_t cohort, int64_t person), (reg, cohort, person))

/* Everything a refused call must leave as it was, besides persons and changes. */
static void tally(th_fx *head, th_values *out)
{
	fx *f = (fx *)head;
	th_values_num(out, "courses", count_courses(f->reg));
	th_values_num(out, "cohorts", count_cohorts(f->reg, 0));
	th_values_num(out, "enrollments", count_enrollments(f->reg, 0, 0));
}

/* An enrollment's state-related members, to prove a refused change touched nothing. */
typedef th_values snap;

static snap take_snap(fx *f, int64_t id)
{
	youth_enrollment *e = get_enrollment(f, id);
	snap s;
	th_values_clear(&s);
	th_values_num(&s, "state", e->state);
	th_values_num(&s, "attendance", e->attendance);
	th_values_text(&s, "state_date", e->state_date);
	th_values_text(&s, "certificate_date", e->certificate_date);
	th_values_text(&s, "reason", e->reason);
	youth_enrollment_free(e);
	return s;
}

static void assert_snap_same(fx *f, int64_t id, const snap *s)
{
	snap now = take_snap(f, id);
	th_values_check_same(s, &now, "a refused change touched the enrollment", __FILE__, __LINE__);
}

/* ======================================================================================== */
/* ---- courses ---------------------------------------------------------------------------- */

static void test_course_add_get(void **state)
{
	fx *f = *state;
	youth_course c, *got = NULL, *bycode = NULL;
	valid_course(&c, "COC-01");
	assert_ok(youth_course_add(f->reg, &c));
	assert_true(c.id > 0 && c.id != f->course_id);
	assert_uuid(c.uuid);

	assert_ok(youth_course_get(&got, f->reg, c.id));
	assert_non_null(got);
	assert_int_equal(got->id, c.id);
	assert_string_equal(got->uuid, c.uuid);
	assert_string_equal(got->code, "COC-01");
	assert_string_equal(got->title, "Cocina básica");
	assert_string_equal(got->provider, "ITCA");
	assert_null(got->job_profile);
	assert_int_equal(got->hours, 120);

	assert_ok(youth_course_get_by_code(&bycode, f->reg, "COC-01"));
	assert_int_equal(bycode->id, c.id);
	assert_string_equal(bycode->uuid, c.uuid);
	youth_course_free(got);
	youth_course_free(bycode);

	/* the fixture's course, with its job profile */
	assert_ok(youth_course_get_by_code(&got, f->reg, "SOLD"));
	assert_int_equal(got->id, f->course_id);
	assert_string_equal(got->job_profile, "welder");
	assert_string_equal(got->title, "Soldadura eléctrica");
	youth_course_free(got);

	/* a given UUID is kept (and lowered) */
	valid_course(&c, "PAN");
	memcpy(c.uuid, "123E4567-E89B-42D3-A456-426614174000", YOUTH_UUID_LEN + 1);
	assert_ok(youth_course_add(f->reg, &c));
	assert_ok(youth_course_get(&got, f->reg, c.id));
	assert_string_equal(got->uuid, "123e4567-e89b-42d3-a456-426614174000");
	youth_course_free(got);
	assert_int_equal(count_courses(f->reg), 3);

	/* boundaries that are valid */
	char *code16 = th_repeat('A', 16), *title120 = th_repeat('t', 120);
	valid_course(&c, code16);
	c.title = title120;
	c.hours = 2000;
	assert_ok(youth_course_add(f->reg, &c));
	valid_course(&c, "a_b-9");
	c.hours = 1;
	assert_ok(youth_course_add(f->reg, &c));
	free(code16);
	free(title120);
	assert_int_equal(count_courses(f->reg), 5);
}

static void test_course_add_invalid(void **state)
{
	fx *f = *state;
	youth_course c;
	char *code17 = th_repeat('A', 17), *title121 = th_repeat('t', 121);
	char *long_text = th_repeat('x', 121);
	static const char *bad_codes[] = {"SOLD 1", "sold/1", "sold.1", "Niño", "a+b", "-\n"};

	valid_course(&c, NULL);
	EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EINVAL, "code");
	valid_course(&c, "");
	EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EINVAL, "code");
	valid_course(&c, code17);
	EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EINVAL, "code");
	for (size_t i = 0; i < sizeof bad_codes / sizeof bad_codes[0]; i++) {
		valid_course(&c, bad_codes[i]);
		EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EINVAL, "code");
	}
	valid_course(&c, "X1");
	c.title = NULL;
	EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EINVAL, "title");
	c.title = title121;
	EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EINVAL, "title");
	assert_msg_has("120");
	c.title = "caf\xc3"; /* truncated UTF-8 */
	EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EINVAL, "title");
	c.title = "   ";
	EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EINVAL, "title");
	valid_course(&c, "X1");
	c.provider = NULL;
	EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EINVAL, "provider");
	c.provider = "";
	EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EINVAL, "provider");
	valid_course(&c, "X1");
	c.job_profile = long_text;
	EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EINVAL, "job_profile");
	static const int bad_hours[] = {0, -1, 2001, 100000};
	for (size_t i = 0; i < sizeof bad_hours / sizeof bad_hours[0]; i++) {
		valid_course(&c, "X1");
		c.hours = bad_hours[i];
		EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EINVAL, "hours");
	}
	valid_course(&c, "X1");
	memcpy(c.uuid, "not-a-uuid", 11);
	EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EINVAL, "uuid");
	/* a refused add does not set the id */
	assert_int_equal(c.id, 0);

	EXPECT_FAIL(f, youth_course_add(NULL, &c), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_course_add(f->reg, NULL), YOUTH_EINVAL, NULL);
	free(code17);
	free(title121);
	free(long_text);
}

static void test_course_duplicates(void **state)
{
	fx *f = *state;
	youth_course c;
	valid_course(&c, "SOLD");
	EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EEXISTS, "code");
	assert_msg_has("SOLD");
	/* codes are compared exactly: another case is another code */
	valid_course(&c, "sold");
	assert_ok(youth_course_add(f->reg, &c));

	youth_course *sold = NULL;
	assert_ok(youth_course_get(&sold, f->reg, f->course_id));
	valid_course(&c, "OTHER");
	memcpy(c.uuid, sold->uuid, sizeof c.uuid);
	EXPECT_FAIL(f, youth_course_add(f->reg, &c), YOUTH_EEXISTS, "uuid");
	youth_course_free(sold);
}

static void test_course_update(void **state)
{
	fx *f = *state;
	youth_course *c = NULL, *got = NULL;
	assert_ok(youth_course_get(&c, f->reg, f->course_id));
	char uuid[YOUTH_UUID_LEN + 1];
	memcpy(uuid, c->uuid, sizeof uuid);
	int64_t changes = youth_registry_total_changes(f->reg);

	c->title = "Soldadura eléctrica y autógena";
	c->hours = 300;
	c->job_profile = NULL;
	c->code = "SOLD-2";
	assert_ok(youth_course_update(f->reg, c));
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 1);
	assert_ok(youth_course_get(&got, f->reg, f->course_id));
	assert_string_equal(got->title, "Soldadura eléctrica y autógena");
	assert_int_equal(got->hours, 300);
	assert_null(got->job_profile);
	assert_string_equal(got->code, "SOLD-2");
	assert_string_equal(got->uuid, uuid); /* never changes */
	youth_course_free(got);
	assert_rc(youth_course_get_by_code(&got, f->reg, "SOLD"), YOUTH_ENOTFOUND);
	assert_null(got);

	/* rules apply to updates too, and a refused update changes nothing */
	youth_course other;
	valid_course(&other, "COC");
	assert_ok(youth_course_add(f->reg, &other));
	c->code = "COC";
	EXPECT_FAIL(f, youth_course_update(f->reg, c), YOUTH_EEXISTS, "code");
	c->code = "SOLD-2";
	c->hours = 0;
	EXPECT_FAIL(f, youth_course_update(f->reg, c), YOUTH_EINVAL, "hours");
	c->hours = 300;
	c->title = "";
	EXPECT_FAIL(f, youth_course_update(f->reg, c), YOUTH_EINVAL, "title");
	c->title = "Soldadura";
	memcpy(c->uuid, "123e4567-e89b-42d3-a456-426614174000", YOUTH_UUID_LEN + 1);
	EXPECT_FAIL(f, youth_course_update(f->reg, c), YOUTH_EINVAL, "uuid");
	memcpy(c->uuid, uuid, sizeof uuid);
	int64_t id = c->id;
	c->id = 9999;
	EXPECT_FAIL(f, youth_course_update(f->reg, c), YOUTH_ENOTFOUND, "id");
	c->id = 0;
	EXPECT_FAIL(f, youth_course_update(f->reg, c), YOUTH_EINVAL, "id");
	c->id = id;
	EXPECT_FAIL(f, youth_course_update(NULL, c), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_course_update(f->reg, NULL), YOUTH_EINVAL, NULL);

	assert_ok(youth_course_get(&got, f->reg, f->course_id));
	assert_string_equal(got->title, "Soldadura eléctrica y autógena");
	assert_int_equal(got->hours, 300);
	youth_course_free(got);

	/* an update without a uuid keeps the stored one */
	c->uuid[0] = '\0';
	assert_ok(youth_course_update(f->reg, c));
	assert_ok(youth_course_get(&got, f->reg, f->course_id));
	assert_string_equal(got->uuid, uuid);
	assert_string_equal(got->title, "Soldadura");
	youth_course_free(got);
	youth_course_free(c);
}

static void test_course_get_errors(void **state)
{
	fx *f = *state;
	youth_course *c = (youth_course *)1;
	assert_rc(youth_course_get(&c, f->reg, 9999), YOUTH_ENOTFOUND);
	assert_null(c);
	assert_msg_has("9999");
	c = (youth_course *)1;
	assert_rc(youth_course_get_by_code(&c, f->reg, "NOPE"), YOUTH_ENOTFOUND);
	assert_null(c);
	assert_msg_has("NOPE");
	assert_rc(youth_course_get(NULL, f->reg, 1), YOUTH_EINVAL);
	assert_rc(youth_course_get(&c, NULL, 1), YOUTH_EINVAL);
	assert_rc(youth_course_get_by_code(&c, f->reg, NULL), YOUTH_EINVAL);
	assert_rc(youth_course_get_by_code(NULL, f->reg, "SOLD"), YOUTH_EINVAL);
	assert_rc(youth_course_get_by_code(&c, NULL, "SOLD"), YOUTH_EINVAL);
	youth_course_free(NULL);
	youth_course_init(NULL);
}

static void test_course_iter(void **state)
{
	fx *f = *state;
	static const char *codes[] = {"ZAP", "COC", "ELEC", "A1"};
	youth_course c;
	for (size_t i = 0; i < 4; i++) {
		valid_course(&c, codes[i]);
		assert_ok(youth_course_add(f->reg, &c));
	}
	static const char *order[] = {"A1", "COC", "ELEC", "SOLD", "ZAP"};
	youth_course_iter *it = NULL;
	const youth_course *r = NULL;
	assert_ok(youth_course_iter_new(&it, f->reg));
	for (size_t i = 0; i < 5; i++) {
		assert_ok(youth_course_next(&r, it));
		assert_non_null(r);
		assert_string_equal(r->code, order[i]);
		assert_uuid(r->uuid);
	}
	assert_rc(youth_course_next(&r, it), YOUTH_ITEROVER);
	assert_null(r);
	/* latched: no restart */
	assert_rc(youth_course_next(&r, it), YOUTH_ITEROVER);
	assert_rc(youth_course_next(&r, it), YOUTH_ITEROVER);
	assert_rc(youth_course_next(NULL, it), YOUTH_EINVAL);
	youth_course_iter_free(it);
	youth_course_iter_free(NULL);
	assert_rc(youth_course_next(&r, NULL), YOUTH_EINVAL);
	assert_rc(youth_course_iter_new(NULL, f->reg), YOUTH_EINVAL);
	assert_rc(youth_course_iter_new(&it, NULL), YOUTH_EINVAL);
	assert_null(it);
}

static void test_course_fields(void **state)
{
	fx *f = *state;
	static const char *names[] = {"id", "uuid", "code", "title", "provider", "job_profile",
	                              "hours"};
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(youth_course_field_name(i), names[i]);
	assert_null(youth_course_field_name(7));
	assert_null(youth_course_field_name((size_t)-1));

	youth_course c;
	youth_course_init(&c);
	assert_ok(youth_course_set_field(&c, "code", "PAN-1"));
	assert_ok(youth_course_set_field(&c, "title", "Panadería"));
	assert_ok(youth_course_set_field(&c, "provider", "INSAFORP"));
	assert_ok(youth_course_set_field(&c, "job_profile", "baker"));
	assert_ok(youth_course_set_field(&c, "hours", "160"));
	assert_int_equal(c.hours, 160);
	assert_rc(youth_course_set_field(&c, "hours", "many"), YOUTH_EINVAL);
	assert_err_field("hours");
	assert_rc(youth_course_set_field(&c, "colour", "red"), YOUTH_EINVAL);
	assert_rc(youth_course_set_field(NULL, "code", "x"), YOUTH_EINVAL);
	assert_ok(youth_course_add(f->reg, &c));

	youth_course *got = NULL;
	char buf[64];
	const char *out = NULL;
	assert_ok(youth_course_get(&got, f->reg, c.id));
	assert_ok(youth_course_get_field(&out, got, "title", buf, sizeof buf));
	assert_string_equal(out, "Panadería");
	assert_ok(youth_course_get_field(&out, got, "hours", buf, sizeof buf));
	assert_string_equal(out, "160");
	assert_ok(youth_course_get_field(&out, got, "uuid", buf, sizeof buf));
	assert_string_equal(out, c.uuid);
	assert_ok(youth_course_get_field(&out, got, "id", buf, sizeof buf));
	char idtext[32];
	snprintf(idtext, sizeof idtext, "%lld", (long long)c.id);
	assert_string_equal(out, idtext);
	assert_rc(youth_course_get_field(&out, got, "nope", buf, sizeof buf), YOUTH_EINVAL);
	assert_rc(youth_course_get_field(&out, got, "title", buf, 8), YOUTH_EINVAL);
	/* unsetting by text */
	assert_ok(youth_course_set_field(got, "job_profile", ""));
	assert_ok(youth_course_get_field(&out, got, "job_profile", buf, sizeof buf));
	assert_null(out);
	youth_course_free(got);
}

/* ======================================================================================== */
/* ---- cohorts ---------------------------------------------------------------------------- */

static void test_cohort_add_get(void **state)
{
	fx *f = *state;
	youth_cohort h, *got = NULL;
	valid_cohort(f, &h, "SOLD-2009-2");
	h.place = "Sonzacate"; /* a trailing part of a path */
	assert_ok(youth_cohort_add(f->reg, &h));
	assert_true(h.id > 0 && h.id != f->cohort_id);
	assert_uuid(h.uuid);
	assert_int_equal(h.min_attendance, 80); /* 0 means 80, and the caller sees it */

	assert_ok(youth_cohort_get(&got, f->reg, h.id));
	assert_int_equal(got->id, h.id);
	assert_string_equal(got->uuid, h.uuid);
	assert_int_equal(got->course_id, f->course_id);
	assert_int_equal(got->exchange_id, f->exchange_id);
	assert_string_equal(got->code, "SOLD-2009-2");
	assert_string_equal(got->start_date, COHORT_START);
	assert_string_equal(got->end_date, COHORT_END);
	assert_string_equal(got->place, "sonsonate/sonsonate-centro/sonzacate");
	assert_int_equal(got->capacity, 20);
	assert_int_equal(got->min_attendance, 80);
	youth_cohort_free(got);

	/* boundaries that are valid: one-day cohort, 1 and 500 places, 1% and 100% */
	valid_cohort(f, &h, "ONE-DAY");
	h.end_date = h.start_date;
	h.capacity = 1;
	h.min_attendance = 100;
	assert_ok(youth_cohort_add(f->reg, &h));
	assert_ok(youth_cohort_get(&got, f->reg, h.id));
	assert_int_equal(got->min_attendance, 100);
	assert_int_equal(got->capacity, 1);
	youth_cohort_free(got);
	char *code32 = th_repeat('C', 32);
	valid_cohort(f, &h, code32);
	h.capacity = 500;
	h.min_attendance = 1;
	assert_ok(youth_cohort_add(f->reg, &h));
	assert_int_equal(h.min_attendance, 1);
	free(code32);
	assert_int_equal(count_cohorts(f->reg, 0), 4);

	youth_cohort *none = (youth_cohort *)1;
	assert_rc(youth_cohort_get(&none, f->reg, 9999), YOUTH_ENOTFOUND);
	assert_null(none);
	assert_rc(youth_cohort_get(NULL, f->reg, 1), YOUTH_EINVAL);
	assert_rc(youth_cohort_get(&none, NULL, 1), YOUTH_EINVAL);
	youth_cohort_free(NULL);
	youth_cohort_init(NULL);
}

static void test_cohort_add_invalid(void **state)
{
	fx *f = *state;
	youth_cohort h;
	char *code33 = th_repeat('C', 33);

	valid_cohort(f, &h, "X");
	h.course_id = 0;
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "course_id");
	h.course_id = 9999;
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_ENOTFOUND, "course_id");
	assert_msg_has("9999");
	valid_cohort(f, &h, "X");
	h.exchange_id = 0;
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "exchange_id");
	h.exchange_id = 777;
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_ENOTFOUND, "exchange_id");
	assert_msg_has("777");

	valid_cohort(f, &h, NULL);
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "code");
	valid_cohort(f, &h, code33);
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "code");
	valid_cohort(f, &h, "SOLD 2009");
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "code");
	valid_cohort(f, &h, "SOLD-2009-1"); /* the fixture's */
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EEXISTS, "code");

	static const char *bad_dates[] = {"2009-02-30", "2009-5-4", "04/05/2009", "", "2009-13-01"};
	for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
		valid_cohort(f, &h, "X");
		h.start_date = bad_dates[i];
		EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "start_date");
		valid_cohort(f, &h, "X");
		h.end_date = bad_dates[i];
		EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "end_date");
	}
	valid_cohort(f, &h, "X");
	h.start_date = NULL;
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "start_date");
	valid_cohort(f, &h, "X");
	h.end_date = NULL;
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "end_date");
	valid_cohort(f, &h, "X");
	h.end_date = "2009-05-03"; /* the day before the start */
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "end_date");

	static const int bad_capacity[] = {0, -1, 501};
	for (size_t i = 0; i < 3; i++) {
		valid_cohort(f, &h, "X");
		h.capacity = bad_capacity[i];
		EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "capacity");
	}
	static const int bad_min[] = {-1, 101, 1000};
	for (size_t i = 0; i < 3; i++) {
		valid_cohort(f, &h, "X");
		h.min_attendance = bad_min[i];
		EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "min_attendance");
	}
	valid_cohort(f, &h, "X");
	h.place = NULL;
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "place");
	h.place = "atlantis/nowhere";
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_ENOTFOUND, "place");
	valid_cohort(f, &h, "X");
	memcpy(h.uuid, "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", YOUTH_UUID_LEN + 1);
	EXPECT_FAIL(f, youth_cohort_add(f->reg, &h), YOUTH_EINVAL, "uuid");
	assert_int_equal(h.id, 0);
	EXPECT_FAIL(f, youth_cohort_add(NULL, &h), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_cohort_add(f->reg, NULL), YOUTH_EINVAL, NULL);
	free(code33);
}

static void test_cohort_iter(void **state)
{
	fx *f = *state;
	youth_course c;
	valid_course(&c, "COC");
	assert_ok(youth_course_add(f->reg, &c));
	youth_cohort h;
	valid_cohort(f, &h, "SOLD-2010-1");
	h.start_date = "2010-02-01";
	h.end_date = "2010-04-30";
	assert_ok(youth_cohort_add(f->reg, &h));
	valid_cohort(f, &h, "SOLD-2008-2");
	h.start_date = "2008-09-01";
	h.end_date = "2008-11-30";
	assert_ok(youth_cohort_add(f->reg, &h));
	valid_cohort(f, &h, "COC-2009-1");
	h.course_id = c.id;
	assert_ok(youth_cohort_add(f->reg, &h));

	static const char *sold[] = {"SOLD-2008-2", "SOLD-2009-1", "SOLD-2010-1"};
	youth_cohort_iter *it = NULL;
	const youth_cohort *r = NULL;
	assert_ok(youth_cohort_iter_new(&it, f->reg, f->course_id));
	for (size_t i = 0; i < 3; i++) {
		assert_ok(youth_cohort_next(&r, it));
		assert_string_equal(r->code, sold[i]);
		assert_int_equal(r->course_id, f->course_id);
		assert_string_equal(r->place, EXCHANGE_PLACE);
	}
	assert_rc(youth_cohort_next(&r, it), YOUTH_ITEROVER);
	assert_null(r);
	assert_rc(youth_cohort_next(&r, it), YOUTH_ITEROVER);
	youth_cohort_iter_free(it);

	assert_int_equal(count_cohorts(f->reg, c.id), 1);
	assert_int_equal(count_cohorts(f->reg, 0), 4);
	assert_int_equal(count_cohorts(f->reg, 9999), 0);
	it = (youth_cohort_iter *)1;
	assert_rc(youth_cohort_iter_new(&it, f->reg, -1), YOUTH_EINVAL);
	assert_null(it);
	assert_rc(youth_cohort_iter_new(NULL, f->reg, 0), YOUTH_EINVAL);
	assert_rc(youth_cohort_iter_new(&it, NULL, 0), YOUTH_EINVAL);
	assert_rc(youth_cohort_next(&r, NULL), YOUTH_EINVAL);
	youth_cohort_iter_free(NULL);
}

static void test_cohort_fields(void **state)
{
	fx *f = *state;
	static const char *names[] = {"id",       "uuid",  "course_id", "exchange_id",
	                              "code",     "start_date", "end_date", "place",
	                              "capacity", "min_attendance"};
	for (size_t i = 0; i < 10; i++)
		assert_string_equal(youth_cohort_field_name(i), names[i]);
	assert_null(youth_cohort_field_name(10));

	char num[32];
	youth_cohort h;
	youth_cohort_init(&h);
	snprintf(num, sizeof num, "%lld", (long long)f->course_id);
	assert_ok(youth_cohort_set_field(&h, "course_id", num));
	snprintf(num, sizeof num, "%lld", (long long)f->exchange_id);
	assert_ok(youth_cohort_set_field(&h, "exchange_id", num));
	assert_ok(youth_cohort_set_field(&h, "code", "SOLD-T"));
	assert_ok(youth_cohort_set_field(&h, "start_date", "2009-08-03"));
	assert_ok(youth_cohort_set_field(&h, "end_date", "2009-10-30"));
	assert_ok(youth_cohort_set_field(&h, "place", "Sonzacate"));
	assert_ok(youth_cohort_set_field(&h, "capacity", "25"));
	assert_ok(youth_cohort_set_field(&h, "min_attendance", "75"));
	assert_rc(youth_cohort_set_field(&h, "capacity", "x"), YOUTH_EINVAL);
	assert_rc(youth_cohort_set_field(&h, "course_id", "-3"), YOUTH_EINVAL);
	assert_rc(youth_cohort_set_field(&h, "size", "3"), YOUTH_EINVAL);
	assert_ok(youth_cohort_add(f->reg, &h));

	youth_cohort *got = NULL;
	char buf[64];
	const char *out;
	assert_ok(youth_cohort_get(&got, f->reg, h.id));
	assert_ok(youth_cohort_get_field(&out, got, "min_attendance", buf, sizeof buf));
	assert_string_equal(out, "75");
	assert_ok(youth_cohort_get_field(&out, got, "place", buf, sizeof buf));
	assert_string_equal(out, "sonsonate/sonsonate-centro/sonzacate");
	assert_ok(youth_cohort_get_field(&out, got, "course_id", buf, sizeof buf));
	snprintf(num, sizeof num, "%lld", (long long)f->course_id);
	assert_string_equal(out, num);
	assert_ok(youth_cohort_get_field(&out, got, "end_date", buf, sizeof buf));
	assert_string_equal(out, "2009-10-30");
	assert_rc(youth_cohort_get_field(&out, got, "size", buf, sizeof buf), YOUTH_EINVAL);
	youth_cohort_free(got);
}

static void test_cohort_taken(void **state)
{
	fx *f = *state;
	int64_t n = -1;
	assert_ok(youth_cohort_taken(&n, f->reg, f->cohort_id));
	assert_int_equal(n, 0);
	int64_t a = apply_new(f, f->cohort_id), b = apply_new(f, f->cohort_id),
	        c = apply_new(f, f->cohort_id);
	assert_ok(youth_cohort_taken(&n, f->reg, f->cohort_id));
	assert_int_equal(n, 0); /* applications take no place */
	assert_ok(youth_enrollment_set_state(f->reg, a, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));
	assert_ok(youth_enrollment_set_state(f->reg, b, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));
	assert_ok(youth_cohort_taken(&n, f->reg, f->cohort_id));
	assert_int_equal(n, 2);
	assert_ok(youth_enrollment_set_attendance(f->reg, a, 90));
	assert_ok(youth_enrollment_set_state(f->reg, a, YOUTH_ENROLLMENT_COMPLETED, COHORT_END,
	                                     NULL));
	assert_ok(youth_enrollment_set_state(f->reg, b, YOUTH_ENROLLMENT_DROPPED, "2009-06-01",
	                                     "found a job"));
	assert_ok(youth_enrollment_set_state(f->reg, c, YOUTH_ENROLLMENT_NOT_ELIGIBLE, "2009-04-22",
	                                     "lives outside the area"));
	assert_ok(youth_cohort_taken(&n, f->reg, f->cohort_id));
	assert_int_equal(n, 1); /* completed keeps its place; dropped frees one */

	int64_t other = add_cohort(f, "OTHER", 5, 0);
	assert_ok(youth_cohort_taken(&n, f->reg, other));
	assert_int_equal(n, 0);
	n = 5;
	assert_rc(youth_cohort_taken(&n, f->reg, 9999), YOUTH_ENOTFOUND);
	assert_int_equal(n, 0);
	assert_err_field("cohort_id");
	assert_rc(youth_cohort_taken(NULL, f->reg, f->cohort_id), YOUTH_EINVAL);
	assert_rc(youth_cohort_taken(&n, NULL, f->cohort_id), YOUTH_EINVAL);
}

/* ======================================================================================== */
/* ---- applications ----------------------------------------------------------------------- */

static void test_apply_valid(void **state)
{
	fx *f = *state;
	int64_t person = th_new_person(f->reg);
	youth_enrollment e;
	valid_enrollment(f, &e, f->cohort_id, person);
	int64_t changes = youth_registry_total_changes(f->reg);
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));
	assert_true(e.id > 0);
	assert_uuid(e.uuid);
	assert_int_equal(e.state, YOUTH_ENROLLMENT_APPLIED);
	assert_string_equal(e.state_date, APPLIED);
	assert_int_equal(e.attendance, -1);
	assert_null(e.certificate_date);
	assert_null(e.reason);
	assert_true(youth_registry_total_changes(f->reg) > changes);

	youth_enrollment *got = get_enrollment(f, e.id);
	assert_int_equal(got->id, e.id);
	assert_string_equal(got->uuid, e.uuid);
	assert_int_equal(got->cohort_id, f->cohort_id);
	assert_int_equal(got->person_id, person);
	assert_int_equal(got->operator_id, f->operator_id);
	assert_int_equal(got->state, YOUTH_ENROLLMENT_APPLIED);
	assert_string_equal(got->applied_date, APPLIED);
	assert_string_equal(got->state_date, APPLIED);
	assert_int_equal(got->attendance, -1);
	assert_null(got->certificate_date);
	assert_null(got->reason);
	youth_enrollment_free(got);

	/* twice to one cohort: the table's UNIQUE refuses it, worded with the enrollment held;
	 * nothing is written, and the person's enrollment and the rows stay as they were */
	int64_t first = e.id;
	youth_enrollment again;
	valid_enrollment(f, &again, f->cohort_id, person);
	int64_t before = youth_registry_total_changes(f->reg);
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &again, NULL), YOUTH_EEXISTS, "person_id");
	char msg[120];
	snprintf(msg, sizeof msg, "person_id %lld: already has enrollment %lld in cohort ",
	         (long long)person, (long long)first);
	assert_msg_has(msg);
	assert_int_equal(again.id, 0);
	assert_int_equal(youth_registry_total_changes(f->reg), before);
	assert_int_equal(count_enrollments(f->reg, 0, person), 1);
	/* the same person may apply to another cohort; the last day of a cohort is still open */
	int64_t other = add_cohort(f, "SOLD-2009-2", 20, 0);
	valid_enrollment(f, &e, other, person);
	e.applied_date = COHORT_END;
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));
	/* today is not in the future */
	char today[11];
	th_today_utc(today, 0);
	youth_cohort h;
	valid_cohort(f, &h, "OPEN");
	h.end_date = "2199-12-31";
	assert_ok(youth_cohort_add(f->reg, &h));
	valid_enrollment(f, &e, h.id, person);
	e.applied_date = today;
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));
	assert_int_equal(count_enrollments(f->reg, 0, person), 3);

	/* a given uuid is kept; taking it again is EEXISTS */
	static const char u[] = "0190a4c2-1f00-7000-8000-000000000001";
	valid_enrollment(f, &e, f->cohort_id, th_new_person(f->reg));
	memcpy(e.uuid, u, sizeof u);
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));
	assert_string_equal(e.uuid, u);
	valid_enrollment(f, &e, f->cohort_id, th_new_person(f->reg));
	memcpy(e.uuid, u, sizeof u);
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_EEXISTS, "uuid");
	/* read-only members given on input are ignored: an application always starts applied */
	valid_enrollment(f, &e, f->cohort_id, th_new_person(f->reg));
	e.state = YOUTH_ENROLLMENT_COMPLETED;
	e.attendance = 100;
	e.reason = "ignored";
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));
	assert_int_equal(enrollment_state(f, e.id), YOUTH_ENROLLMENT_APPLIED);
	assert_int_equal(enrollment_attendance(f, e.id), -1);
}

static void test_apply_invalid(void **state)
{
	fx *f = *state;
	int64_t person = th_new_person(f->reg);
	youth_enrollment e;
	char future[11];
	th_today_utc(future, 2);

	valid_enrollment(f, &e, 0, person);
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_EINVAL, "cohort_id");
	valid_enrollment(f, &e, 9999, person);
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_ENOTFOUND, "cohort_id");
	valid_enrollment(f, &e, f->cohort_id, 0);
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_EINVAL, "person_id");
	valid_enrollment(f, &e, f->cohort_id, 9999);
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_ENOTFOUND, "person_id");
	valid_enrollment(f, &e, f->cohort_id, -4);
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_EINVAL, "person_id");
	valid_enrollment(f, &e, f->cohort_id, person);
	e.operator_id = 0;
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_EINVAL, "operator_id");
	e.operator_id = 9999;
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_ENOTFOUND, "operator_id");
	e.operator_id = f->inactive_id; /* no longer active */
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_ERULE, "operator_id");
	assert_msg_has("inactive");

	static const char *bad_dates[] = {"2009-02-29", "2009-4-20", "20-04-2009", "", "yesterday"};
	for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
		valid_enrollment(f, &e, f->cohort_id, person);
		e.applied_date = bad_dates[i];
		EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_EINVAL, "applied_date");
	}
	valid_enrollment(f, &e, f->cohort_id, person);
	e.applied_date = NULL;
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_EINVAL, "applied_date");
	e.applied_date = future;
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_EINVAL, "applied_date");
	assert_msg_has("future");
	e.applied_date = "2009-08-01"; /* the day after the cohort ends */
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_EINVAL, "applied_date");
	assert_msg_has(COHORT_END);
	valid_enrollment(f, &e, f->cohort_id, person);
	memcpy(e.uuid, "123", 4);
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_EINVAL, "uuid");

	/* one enrollment per person and cohort, whatever its state */
	valid_enrollment(f, &e, f->cohort_id, person);
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));
	int64_t first = e.id;
	valid_enrollment(f, &e, f->cohort_id, person);
	e.applied_date = "2009-04-25";
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_EEXISTS, "person_id");
	assert_int_equal(e.id, 0);
	assert_ok(youth_enrollment_set_state(f->reg, first, YOUTH_ENROLLMENT_DROPPED, "2009-04-26",
	                                     "moved away"));
	valid_enrollment(f, &e, f->cohort_id, person);
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_EEXISTS, "person_id");

	EXPECT_FAIL(f, youth_enrollment_apply(NULL, &e, NULL), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, NULL, NULL), YOUTH_EINVAL, NULL);
	assert_int_equal(count_enrollments(f->reg, 0, 0), 1);
}

/* ======================================================================================== */
/* ---- the state machine ------------------------------------------------------------------ */

/* Creates an enrollment and walks it to @state. */
static int64_t reach(fx *f, int64_t cohort, int state)
{
	int64_t id = apply_new(f, cohort);
	switch (state) {
	case YOUTH_ENROLLMENT_APPLIED:
		break;
	case YOUTH_ENROLLMENT_ENROLLED:
		assert_ok(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_ENROLLED, ENROLLED,
		                                     NULL));
		assert_ok(youth_enrollment_set_attendance(f->reg, id, 100));
		break;
	case YOUTH_ENROLLMENT_COMPLETED:
		assert_ok(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_ENROLLED, ENROLLED,
		                                     NULL));
		assert_ok(youth_enrollment_set_attendance(f->reg, id, 100));
		assert_ok(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_COMPLETED, COHORT_END,
		                                     NULL));
		break;
	case YOUTH_ENROLLMENT_DROPPED:
		assert_ok(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_DROPPED, "2009-04-25",
		                                     "moved away"));
		break;
	case YOUTH_ENROLLMENT_NOT_ELIGIBLE:
		assert_ok(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_NOT_ELIGIBLE,
		                                     "2009-04-25", "outside the age range"));
		break;
	default:
		fail_msg("reach: state %d", state);
	}
	assert_int_equal(enrollment_state(f, id), state);
	return id;
}

static void test_cohort_update(void **state)
{
	fx *f = *state;
	int64_t id = add_cohort(f, "COC-2009-1", 3, 0);
	youth_cohort *h = NULL, *got = NULL;
	assert_ok(youth_cohort_get(&h, f->reg, id));
	char uuid[YOUTH_UUID_LEN + 1];
	memcpy(uuid, h->uuid, sizeof uuid);

	/* without enrollments every field may change */
	youth_course other;
	valid_course(&other, "COC");
	assert_ok(youth_course_add(f->reg, &other));
	int64_t changes = youth_registry_total_changes(f->reg);
	h->course_id = other.id;
	h->code = "COC-2009-2";
	h->start_date = "2009-06-01";
	h->end_date = "2009-08-31";
	h->place = "acajutla";
	h->capacity = 4;
	h->min_attendance = 0; /* means 80, as on add */
	assert_ok(youth_cohort_update(f->reg, h));
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 1);
	assert_ok(youth_cohort_get(&got, f->reg, id));
	assert_int_equal(got->course_id, other.id);
	assert_string_equal(got->code, "COC-2009-2");
	assert_string_equal(got->start_date, "2009-06-01");
	assert_string_equal(got->end_date, "2009-08-31");
	assert_string_equal(got->place, "sonsonate/sonsonate-oeste/acajutla");
	assert_int_equal(got->capacity, 4);
	assert_int_equal(got->min_attendance, 80);
	assert_string_equal(got->uuid, uuid);
	youth_cohort_free(got);

	/* field rules, references and identity, as on add */
	EXPECT_FAIL(f, youth_cohort_update(NULL, h), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_cohort_update(f->reg, NULL), YOUTH_EINVAL, NULL);
	h->end_date = "2009-05-31";
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_EINVAL, "end_date");
	assert_msg_has("before start_date");
	h->end_date = "2009-08-31";
	h->capacity = 501;
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_EINVAL, "capacity");
	h->capacity = 4;
	h->code = "SOLD-2009-1";
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_EEXISTS, "code");
	h->code = "COC-2009-2";
	h->exchange_id = 999;
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_ENOTFOUND, "exchange_id");
	h->exchange_id = f->exchange_id;
	h->place = "atlantis";
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_ENOTFOUND, "place");
	h->place = "acajutla";
	memcpy(h->uuid, "123e4567-e89b-42d3-a456-426614174000", YOUTH_UUID_LEN + 1);
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_EINVAL, "uuid");
	memcpy(h->uuid, uuid, sizeof uuid);
	h->id = 9999;
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_ENOTFOUND, "id");
	h->id = 0;
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_EINVAL, "id");
	h->id = id;

	/* what the enrollments rely on: 2 places taken, one completed, sessions recorded */
	h->start_date = COHORT_START;
	h->end_date = COHORT_END;
	assert_ok(youth_cohort_update(f->reg, h));
	int64_t done = reach(f, id, YOUTH_ENROLLMENT_COMPLETED);
	int64_t in = reach(f, id, YOUTH_ENROLLMENT_ENROLLED);
	reach(f, id, YOUTH_ENROLLMENT_DROPPED); /* takes no place */
	assert_ok(youth_enrollment_record_session(f->reg, in, "2009-05-11", 1));
	assert_ok(youth_enrollment_record_session(f->reg, in, "2009-07-20", 1));
	(void)done;

	h->capacity = 1;
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_ERULE, "capacity");
	assert_msg_has("below the 2 places already taken");
	h->capacity = 2; /* exactly the places taken */
	assert_ok(youth_cohort_update(f->reg, h));

	h->course_id = f->course_id;
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_ERULE, "course_id");
	assert_msg_has("3 enrollments");
	h->course_id = other.id;

	h->end_date = "2009-04-19"; /* before the applications of APPLIED */
	h->start_date = "2009-04-01";
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_ERULE, "end_date");
	assert_msg_has(APPLIED);
	h->start_date = "2009-05-12"; /* after the first session */
	h->end_date = COHORT_END;
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_ERULE, "start_date");
	assert_msg_has("2009-05-11");
	h->start_date = COHORT_START;
	h->end_date = "2009-07-19"; /* before the last session */
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_ERULE, "end_date");
	assert_msg_has("2009-07-20");
	h->end_date = "2009-07-20";
	assert_ok(youth_cohort_update(f->reg, h));

	h->min_attendance = 90;
	EXPECT_FAIL(f, youth_cohort_update(f->reg, h), YOUTH_ERULE, "min_attendance");
	assert_msg_has("completed");
	h->min_attendance = 80;

	/* still usable after the refusals; name and other fields may change */
	h->code = "COC-2009-B";
	h->capacity = 10;
	assert_ok(youth_cohort_update(f->reg, h));
	assert_ok(youth_cohort_get(&got, f->reg, id));
	assert_string_equal(got->code, "COC-2009-B");
	assert_string_equal(got->end_date, "2009-07-20");
	assert_int_equal(got->capacity, 10);
	youth_cohort_free(got);
	youth_cohort_free(h);
}

static void test_state_table(void **state)
{
	fx *f = *state;
	/* The documented machine, spelled out independently of the library's table. */
	static const int ok[6][6] = {
		[YOUTH_ENROLLMENT_APPLIED] = {[YOUTH_ENROLLMENT_ENROLLED] = 1,
		                              [YOUTH_ENROLLMENT_NOT_ELIGIBLE] = 1,
		                              [YOUTH_ENROLLMENT_DROPPED] = 1},
		[YOUTH_ENROLLMENT_ENROLLED] = {[YOUTH_ENROLLMENT_COMPLETED] = 1,
		                               [YOUTH_ENROLLMENT_DROPPED] = 1},
	};
	static const char *allowed_text[6] = {
		NULL,
		"; allowed from applied: enrolled, dropped, not_eligible",
		"; allowed from enrolled: completed, dropped",
		"; nothing is allowed from completed (a final state)",
		"; nothing is allowed from dropped (a final state)",
		"; nothing is allowed from not_eligible (a final state)",
	};
	int valid = 0, refused = 0;
	for (int from = 1; from <= 5; from++) {
		for (int to = 1; to <= 5; to++) {
			int64_t id = reach(f, f->cohort_id, from);
			const char *reason = to == YOUTH_ENROLLMENT_DROPPED || to == YOUTH_ENROLLMENT_NOT_ELIGIBLE
			                         ? "the reason"
			                         : NULL;
			snap before = take_snap(f, id);
			th_values cb;
			th_tally(&f->th, &cb);
			int rc = youth_enrollment_set_state(f->reg, id, to, "2009-08-03", reason);
			if (ok[from][to]) {
				if (rc != YOUTH_OK)
					fail_msg("%s -> %s refused: %s", youth_enrollment_state_name(from),
					         youth_enrollment_state_name(to), youth_error_last()->message);
				youth_enrollment *e = get_enrollment(f, id);
				assert_int_equal(e->state, to);
				assert_string_equal(e->state_date, "2009-08-03");
				if (reason)
					assert_string_equal(e->reason, reason);
				else
					assert_null(e->reason);
				youth_enrollment_free(e);
				valid++;
			} else {
				if (rc != YOUTH_ESTATE)
					fail_msg("%s -> %s: expected ESTATE, got %s: %s",
					         youth_enrollment_state_name(from), youth_enrollment_state_name(to),
					         youth_error_name(rc), youth_error_last()->message);
				char expect[160];
				snprintf(expect, sizeof expect, "enrollment %lld: cannot go from %s to %s%s",
				         (long long)id, youth_enrollment_state_name(from),
				         youth_enrollment_state_name(to), allowed_text[from]);
				assert_string_equal(youth_error_last()->message, expect);
				assert_err_field("state");
				assert_snap_same(f, id, &before);
				th_tally_check(&f->th, &cb, __FILE__, __LINE__);
				refused++;
			}
		}
	}
	assert_int_equal(valid, 5);
	assert_int_equal(refused, 20);
}

static void test_set_state_errors(void **state)
{
	fx *f = *state;
	int64_t id = apply_new(f, f->cohort_id);
	snap s = take_snap(f, id);
	char future[11];
	th_today_utc(future, 3);

	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, 9999, YOUTH_ENROLLMENT_ENROLLED, ENROLLED,
	                                          NULL), YOUTH_ENOTFOUND, "id");
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, 0, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL),
	            YOUTH_EINVAL, "id");
	EXPECT_FAIL(f, youth_enrollment_set_state(NULL, id, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL),
	            YOUTH_EINVAL, NULL);
	static const int bad_states[] = {0, 6, -1, 100};
	for (size_t i = 0; i < 4; i++)
		EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, id, bad_states[i], ENROLLED, NULL),
		            YOUTH_EINVAL, "state");
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_ENROLLED, NULL, NULL),
	            YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_ENROLLED, "2009-05-32",
	                                          NULL), YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_ENROLLED, future, NULL),
	            YOUTH_EINVAL, "date");
	/* the day before the application */
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_ENROLLED, "2009-04-19",
	                                          NULL), YOUTH_EINVAL, "date");
	assert_msg_has(APPLIED);
	/* reasons: required for dropped and not_eligible, refused otherwise */
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_DROPPED, "2009-04-25",
	                                          NULL), YOUTH_EINVAL, "reason");
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_NOT_ELIGIBLE,
	                                          "2009-04-25", ""), YOUTH_EINVAL, "reason");
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_DROPPED, "2009-04-25",
	                                          "  "), YOUTH_EINVAL, "reason");
	char *long_reason = th_repeat('r', 501);
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_DROPPED, "2009-04-25",
	                                          long_reason), YOUTH_EINVAL, "reason");
	free(long_reason);
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_ENROLLED, ENROLLED,
	                                          "because"), YOUTH_EINVAL, "reason");
	assert_snap_same(f, id, &s);

	/* the same day as the last change is fine */
	assert_ok(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_ENROLLED, APPLIED, NULL));
	youth_enrollment *e = get_enrollment(f, id);
	assert_int_equal(e->state, YOUTH_ENROLLMENT_ENROLLED);
	assert_string_equal(e->state_date, APPLIED);
	assert_string_equal(e->reason ? e->reason : "", "");
	youth_enrollment_free(e);
	assert_ok(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_DROPPED, APPLIED,
	                                     "found a job"));
	e = get_enrollment(f, id);
	assert_string_equal(e->reason, "found a job");
	youth_enrollment_free(e);
}

static void test_capacity(void **state)
{
	fx *f = *state;
	int64_t cohort = add_cohort(f, "SMALL", 2, 0);
	int64_t a = apply_new(f, cohort), b = apply_new(f, cohort), c = apply_new(f, cohort);
	assert_ok(youth_enrollment_set_state(f->reg, a, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));
	assert_ok(youth_enrollment_set_state(f->reg, b, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));
	snap s = take_snap(f, c);
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, c, YOUTH_ENROLLMENT_ENROLLED, ENROLLED,
	                                          NULL), YOUTH_ERULE, "capacity");
	assert_msg_has("capacity 2");
	assert_msg_has("SMALL");
	assert_snap_same(f, c, &s);

	/* other cohorts are not affected */
	int64_t d = apply_new(f, f->cohort_id);
	assert_ok(youth_enrollment_set_state(f->reg, d, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));

	/* a completed enrollment keeps its place */
	assert_ok(youth_enrollment_set_attendance(f->reg, a, 85));
	assert_ok(youth_enrollment_set_state(f->reg, a, YOUTH_ENROLLMENT_COMPLETED, COHORT_END, NULL));
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, c, YOUTH_ENROLLMENT_ENROLLED, "2009-06-01",
	                                          NULL), YOUTH_ERULE, "capacity");
	/* a dropped one frees it */
	assert_ok(youth_enrollment_set_state(f->reg, b, YOUTH_ENROLLMENT_DROPPED, "2009-06-01",
	                                     "found a job"));
	assert_ok(youth_enrollment_set_state(f->reg, c, YOUTH_ENROLLMENT_ENROLLED, "2009-06-02", NULL));
	int64_t n;
	assert_ok(youth_cohort_taken(&n, f->reg, cohort));
	assert_int_equal(n, 2);

	/* a one-place cohort */
	int64_t single = add_cohort(f, "SINGLE", 1, 0);
	int64_t x = apply_new(f, single), y = apply_new(f, single);
	assert_ok(youth_enrollment_set_state(f->reg, x, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, y, YOUTH_ENROLLMENT_ENROLLED, ENROLLED,
	                                          NULL), YOUTH_ERULE, "capacity");
	assert_msg_has("capacity 1");
}

static void test_attendance_threshold(void **state)
{
	fx *f = *state;
	int64_t id = reach(f, f->cohort_id, YOUTH_ENROLLMENT_APPLIED);
	assert_ok(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));
	/* unknown attendance is refused */
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_COMPLETED, COHORT_END,
	                                          NULL), YOUTH_ERULE, "attendance");
	assert_msg_has("not recorded");
	assert_ok(youth_enrollment_set_attendance(f->reg, id, 79));
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_COMPLETED, COHORT_END,
	                                          NULL), YOUTH_ERULE, "attendance");
	assert_string_equal(youth_error_last()->message,
	                    "attendance 79% is below the cohort's minimum 80%");
	assert_int_equal(enrollment_state(f, id), YOUTH_ENROLLMENT_ENROLLED);
	assert_ok(youth_enrollment_set_attendance(f->reg, id, 80));
	assert_ok(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_COMPLETED, COHORT_END, NULL));
	assert_int_equal(enrollment_state(f, id), YOUTH_ENROLLMENT_COMPLETED);

	/* the cohort's own minimum */
	int64_t cohort = add_cohort(f, "LOW", 10, 60);
	int64_t e = apply_new(f, cohort);
	assert_ok(youth_enrollment_set_state(f->reg, e, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));
	assert_ok(youth_enrollment_set_attendance(f->reg, e, 59));
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, e, YOUTH_ENROLLMENT_COMPLETED, COHORT_END,
	                                          NULL), YOUTH_ERULE, "attendance");
	assert_msg_has("minimum 60%");
	assert_ok(youth_enrollment_set_attendance(f->reg, e, 60));
	assert_ok(youth_enrollment_set_state(f->reg, e, YOUTH_ENROLLMENT_COMPLETED, COHORT_END, NULL));

	/* 0% is a recorded value, and it is below any minimum */
	cohort = add_cohort(f, "ONE", 10, 1);
	e = apply_new(f, cohort);
	assert_ok(youth_enrollment_set_state(f->reg, e, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));
	assert_ok(youth_enrollment_set_attendance(f->reg, e, 0));
	assert_int_equal(enrollment_attendance(f, e), 0);
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, e, YOUTH_ENROLLMENT_COMPLETED, COHORT_END,
	                                          NULL), YOUTH_ERULE, "attendance");
	assert_msg_has("attendance 0% is below the cohort's minimum 1%");
}

static void test_set_attendance(void **state)
{
	fx *f = *state;
	int64_t applied = reach(f, f->cohort_id, YOUTH_ENROLLMENT_APPLIED);
	int64_t enrolled = reach(f, f->cohort_id, YOUTH_ENROLLMENT_ENROLLED);
	int64_t completed = reach(f, f->cohort_id, YOUTH_ENROLLMENT_COMPLETED);
	int64_t dropped = reach(f, f->cohort_id, YOUTH_ENROLLMENT_DROPPED);
	int64_t refused = reach(f, f->cohort_id, YOUTH_ENROLLMENT_NOT_ELIGIBLE);

	assert_ok(youth_enrollment_set_attendance(f->reg, enrolled, 0));
	assert_int_equal(enrollment_attendance(f, enrolled), 0);
	assert_ok(youth_enrollment_set_attendance(f->reg, enrolled, 100));
	assert_int_equal(enrollment_attendance(f, enrolled), 100);
	assert_ok(youth_enrollment_set_attendance(f->reg, completed, 95));
	assert_int_equal(enrollment_attendance(f, completed), 95);

	EXPECT_FAIL(f, youth_enrollment_set_attendance(f->reg, enrolled, -1), YOUTH_EINVAL,
	            "attendance");
	EXPECT_FAIL(f, youth_enrollment_set_attendance(f->reg, enrolled, 101), YOUTH_EINVAL,
	            "attendance");
	assert_int_equal(enrollment_attendance(f, enrolled), 100);
	EXPECT_FAIL(f, youth_enrollment_set_attendance(f->reg, applied, 50), YOUTH_ESTATE, "state");
	assert_msg_has("applied");
	EXPECT_FAIL(f, youth_enrollment_set_attendance(f->reg, dropped, 50), YOUTH_ESTATE, "state");
	EXPECT_FAIL(f, youth_enrollment_set_attendance(f->reg, refused, 50), YOUTH_ESTATE, "state");
	assert_int_equal(enrollment_attendance(f, applied), -1);
	EXPECT_FAIL(f, youth_enrollment_set_attendance(f->reg, 9999, 50), YOUTH_ENOTFOUND, "id");
	EXPECT_FAIL(f, youth_enrollment_set_attendance(f->reg, 0, 50), YOUTH_EINVAL, "id");
	EXPECT_FAIL(f, youth_enrollment_set_attendance(NULL, enrolled, 50), YOUTH_EINVAL, NULL);
}

static void test_sessions(void **state)
{
	fx *f = *state;
	int64_t id = apply_new(f, f->cohort_id);
	/* only while enrolled */
	EXPECT_FAIL(f, youth_enrollment_record_session(f->reg, id, "2009-05-05", 1), YOUTH_ESTATE,
	            "state");
	assert_ok(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));
	assert_int_equal(enrollment_attendance(f, id), -1);

	assert_ok(youth_enrollment_record_session(f->reg, id, "2009-05-04", 1)); /* first day */
	assert_int_equal(enrollment_attendance(f, id), 100);
	assert_ok(youth_enrollment_record_session(f->reg, id, "2009-05-05", 0));
	assert_int_equal(enrollment_attendance(f, id), 50);
	assert_ok(youth_enrollment_record_session(f->reg, id, "2009-05-06", 0));
	assert_int_equal(enrollment_attendance(f, id), 33); /* 1/3 = 33.3 */
	/* the same date again replaces the session: 2/3 = 66.7 rounds to 67 */
	assert_ok(youth_enrollment_record_session(f->reg, id, "2009-05-06", 1));
	assert_int_equal(enrollment_attendance(f, id), 67);
	assert_ok(youth_enrollment_record_session(f->reg, id, "2009-07-31", 1)); /* last day */
	assert_int_equal(enrollment_attendance(f, id), 75);
	/* 4 of 5 = 80%: exactly the minimum */
	assert_ok(youth_enrollment_record_session(f->reg, id, "2009-07-30", 1));
	assert_int_equal(enrollment_attendance(f, id), 80);
	/* 4 of 6 = 66.7%: below */
	assert_ok(youth_enrollment_record_session(f->reg, id, "2009-07-29", 0));
	assert_int_equal(enrollment_attendance(f, id), 67);
	EXPECT_FAIL(f, youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_COMPLETED, COHORT_END,
	                                          NULL), YOUTH_ERULE, "attendance");
	assert_msg_has("attendance 67% is below the cohort's minimum 80%");
	assert_ok(youth_enrollment_record_session(f->reg, id, "2009-07-29", 1));
	assert_int_equal(enrollment_attendance(f, id), 83); /* 5/6 */

	/* refused sessions change nothing */
	snap s = take_snap(f, id);
	EXPECT_FAIL(f, youth_enrollment_record_session(f->reg, id, "2009-05-03", 1), YOUTH_EINVAL,
	            "date"); /* the day before the start */
	assert_msg_has(COHORT_START);
	EXPECT_FAIL(f, youth_enrollment_record_session(f->reg, id, "2009-08-01", 1), YOUTH_EINVAL,
	            "date");
	EXPECT_FAIL(f, youth_enrollment_record_session(f->reg, id, "2009-06-31", 1), YOUTH_EINVAL,
	            "date");
	EXPECT_FAIL(f, youth_enrollment_record_session(f->reg, id, NULL, 1), YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_enrollment_record_session(f->reg, id, "2009-06-01", 2), YOUTH_EINVAL,
	            "present");
	EXPECT_FAIL(f, youth_enrollment_record_session(f->reg, id, "2009-06-01", -1), YOUTH_EINVAL,
	            "present");
	EXPECT_FAIL(f, youth_enrollment_record_session(f->reg, 9999, "2009-06-01", 1),
	            YOUTH_ENOTFOUND, "id");
	EXPECT_FAIL(f, youth_enrollment_record_session(f->reg, 0, "2009-06-01", 1), YOUTH_EINVAL, "id");
	EXPECT_FAIL(f, youth_enrollment_record_session(NULL, id, "2009-06-01", 1), YOUTH_EINVAL, NULL);
	assert_snap_same(f, id, &s);

	/* a manual percentage replaces the computed one; completion uses it */
	assert_ok(youth_enrollment_set_attendance(f->reg, id, 90));
	assert_int_equal(enrollment_attendance(f, id), 90);
	assert_ok(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_COMPLETED, COHORT_END, NULL));
	/* and no more sessions once completed */
	EXPECT_FAIL(f, youth_enrollment_record_session(f->reg, id, "2009-07-28", 0), YOUTH_ESTATE,
	            "state");
	assert_int_equal(enrollment_attendance(f, id), 90);

	/* sessions of one enrollment do not count for another */
	int64_t other = reach(f, f->cohort_id, YOUTH_ENROLLMENT_APPLIED);
	assert_ok(youth_enrollment_set_state(f->reg, other, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));
	assert_ok(youth_enrollment_record_session(f->reg, other, "2009-05-05", 0));
	assert_int_equal(enrollment_attendance(f, other), 0);
	assert_int_equal(enrollment_attendance(f, id), 90);
}

static void test_certificate(void **state)
{
	fx *f = *state;
	for (int s = YOUTH_ENROLLMENT_APPLIED; s <= YOUTH_ENROLLMENT_NOT_ELIGIBLE; s++) {
		if (s == YOUTH_ENROLLMENT_COMPLETED)
			continue;
		int64_t id = reach(f, f->cohort_id, s);
		EXPECT_FAIL(f, youth_enrollment_issue_certificate(f->reg, id, "2009-08-15"),
		            YOUTH_ESTATE, NULL);
		assert_msg_has(youth_enrollment_state_name(s));
		youth_enrollment *e = get_enrollment(f, id);
		assert_null(e->certificate_date);
		youth_enrollment_free(e);
	}
	int64_t id = reach(f, f->cohort_id, YOUTH_ENROLLMENT_COMPLETED);
	char future[11];
	th_today_utc(future, 1);
	EXPECT_FAIL(f, youth_enrollment_issue_certificate(f->reg, id, "2009-07-30"), YOUTH_EINVAL,
	            "date"); /* before completion */
	EXPECT_FAIL(f, youth_enrollment_issue_certificate(f->reg, id, future), YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_enrollment_issue_certificate(f->reg, id, "2009-08-32"), YOUTH_EINVAL,
	            "date");
	EXPECT_FAIL(f, youth_enrollment_issue_certificate(f->reg, id, NULL), YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_enrollment_issue_certificate(f->reg, 9999, "2009-08-15"),
	            YOUTH_ENOTFOUND, "id");
	EXPECT_FAIL(f, youth_enrollment_issue_certificate(f->reg, -1, "2009-08-15"), YOUTH_EINVAL,
	            "id");
	EXPECT_FAIL(f, youth_enrollment_issue_certificate(NULL, id, "2009-08-15"), YOUTH_EINVAL, NULL);

	assert_ok(youth_enrollment_issue_certificate(f->reg, id, COHORT_END)); /* same day is fine */
	youth_enrollment *e = get_enrollment(f, id);
	assert_string_equal(e->certificate_date, COHORT_END);
	assert_int_equal(e->state, YOUTH_ENROLLMENT_COMPLETED);
	youth_enrollment_free(e);
	/* only once */
	EXPECT_FAIL(f, youth_enrollment_issue_certificate(f->reg, id, "2009-09-01"), YOUTH_ESTATE,
	            "certificate_date");
	assert_msg_has("already issued");
	e = get_enrollment(f, id);
	assert_string_equal(e->certificate_date, COHORT_END);
	youth_enrollment_free(e);
}

static void test_enrollment_iter(void **state)
{
	fx *f = *state;
	int64_t other = add_cohort(f, "SOLD-2009-2", 20, 0);
	int64_t p1 = th_new_person(f->reg), p2 = th_new_person(f->reg);
	int64_t ids[4];
	youth_enrollment e;
	valid_enrollment(f, &e, f->cohort_id, p1);
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));
	ids[0] = e.id;
	valid_enrollment(f, &e, other, p1);
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));
	ids[1] = e.id;
	valid_enrollment(f, &e, f->cohort_id, p2);
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));
	ids[2] = e.id;
	valid_enrollment(f, &e, other, p2);
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));
	ids[3] = e.id;
	assert_ok(youth_enrollment_set_state(f->reg, ids[2], YOUTH_ENROLLMENT_ENROLLED, ENROLLED,
	                                     NULL));

	youth_enrollment_iter *it = NULL;
	const youth_enrollment *r = NULL;
	assert_ok(youth_enrollment_iter_new(&it, f->reg, f->cohort_id, 0));
	assert_ok(youth_enrollment_next(&r, it));
	assert_int_equal(r->id, ids[0]);
	assert_int_equal(r->state, YOUTH_ENROLLMENT_APPLIED);
	assert_int_equal(r->attendance, -1);
	assert_ok(youth_enrollment_next(&r, it));
	assert_int_equal(r->id, ids[2]);
	assert_int_equal(r->state, YOUTH_ENROLLMENT_ENROLLED);
	assert_string_equal(r->state_date, ENROLLED);
	assert_int_equal(r->person_id, p2);
	assert_rc(youth_enrollment_next(&r, it), YOUTH_ITEROVER);
	assert_null(r);
	assert_rc(youth_enrollment_next(&r, it), YOUTH_ITEROVER);
	youth_enrollment_iter_free(it);

	assert_ok(youth_enrollment_iter_new(&it, f->reg, 0, p1));
	assert_ok(youth_enrollment_next(&r, it));
	assert_int_equal(r->id, ids[0]);
	assert_ok(youth_enrollment_next(&r, it));
	assert_int_equal(r->id, ids[1]);
	assert_int_equal(r->cohort_id, other);
	assert_rc(youth_enrollment_next(&r, it), YOUTH_ITEROVER);
	youth_enrollment_iter_free(it);

	assert_ok(youth_enrollment_iter_new(&it, f->reg, other, p2));
	assert_ok(youth_enrollment_next(&r, it));
	assert_int_equal(r->id, ids[3]);
	assert_rc(youth_enrollment_next(&r, it), YOUTH_ITEROVER);
	youth_enrollment_iter_free(it);

	assert_int_equal(count_enrollments(f->reg, 0, 0), 4);
	assert_int_equal(count_enrollments(f->reg, 9999, 0), 0);
	assert_int_equal(count_enrollments(f->reg, 0, 9999), 0);
	it = (youth_enrollment_iter *)1;
	assert_rc(youth_enrollment_iter_new(&it, f->reg, -1, 0), YOUTH_EINVAL);
	assert_null(it);
	assert_rc(youth_enrollment_iter_new(&it, f->reg, 0, -1), YOUTH_EINVAL);
	assert_rc(youth_enrollment_iter_new(NULL, f->reg, 0, 0), YOUTH_EINVAL);
	assert_rc(youth_enrollment_iter_new(&it, NULL, 0, 0), YOUTH_EINVAL);
	assert_rc(youth_enrollment_next(&r, NULL), YOUTH_EINVAL);
	youth_enrollment_iter_free(NULL);

	youth_enrollment *none = (youth_enrollment *)1;
	assert_rc(youth_enrollment_get(&none, f->reg, 9999), YOUTH_ENOTFOUND);
	assert_null(none);
	assert_rc(youth_enrollment_get(NULL, f->reg, ids[0]), YOUTH_EINVAL);
	assert_rc(youth_enrollment_get(&none, NULL, ids[0]), YOUTH_EINVAL);
	youth_enrollment_free(NULL);
	youth_enrollment_init(NULL);
}

/* An iterator may outlive its registry handle (garbage-collected bindings). */
static void test_iter_after_close(void **state)
{
	fx *f = *state;
	apply_new(f, f->cohort_id);
	youth_course_iter *ci = NULL;
	youth_cohort_iter *hi = NULL;
	youth_enrollment_iter *ei = NULL;
	const youth_enrollment *e;
	assert_ok(youth_course_iter_new(&ci, f->reg));
	assert_ok(youth_cohort_iter_new(&hi, f->reg, 0));
	assert_ok(youth_enrollment_iter_new(&ei, f->reg, 0, 0));
	assert_ok(youth_enrollment_next(&e, ei));
	youth_registry_close(f->reg);
	f->reg = NULL;
	youth_enrollment_iter_free(ei);
	youth_cohort_iter_free(hi);
	youth_course_iter_free(ci);
}

static void test_enrollment_fields(void **state)
{
	fx *f = *state;
	static const char *names[] = {"id",         "uuid",       "cohort_id",  "person_id",
	                              "operator_id", "state",     "applied_date", "state_date",
	                              "attendance", "certificate_date", "reason"};
	for (size_t i = 0; i < 11; i++)
		assert_string_equal(youth_enrollment_field_name(i), names[i]);
	assert_null(youth_enrollment_field_name(11));

	static const char *states[] = {NULL,      "applied", "enrolled", "completed",
	                               "dropped", "not_eligible"};
	for (int s = 0; s <= 5; s++) {
		if (states[s])
			assert_string_equal(youth_enrollment_state_name(s), states[s]);
		else
			assert_null(youth_enrollment_state_name(s));
	}
	assert_null(youth_enrollment_state_name(6));
	assert_null(youth_enrollment_state_name(-1));

	youth_enrollment e;
	youth_enrollment_init(&e);
	char num[32];
	snprintf(num, sizeof num, "%lld", (long long)f->cohort_id);
	assert_ok(youth_enrollment_set_field(&e, "cohort_id", num));
	snprintf(num, sizeof num, "%lld", (long long)th_new_person(f->reg));
	assert_ok(youth_enrollment_set_field(&e, "person_id", num));
	snprintf(num, sizeof num, "%lld", (long long)f->operator_id);
	assert_ok(youth_enrollment_set_field(&e, "operator_id", num));
	assert_ok(youth_enrollment_set_field(&e, "applied_date", APPLIED));
	/* read-only fields are refused, and leave the record alone */
	static const char *ro[][2] = {{"state", "completed"},
	                              {"state_date", "2009-05-01"},
	                              {"attendance", "100"},
	                              {"certificate_date", "2009-08-01"},
	                              {"reason", "because"}};
	for (size_t i = 0; i < 5; i++) {
		assert_rc(youth_enrollment_set_field(&e, ro[i][0], ro[i][1]), YOUTH_EINVAL);
		assert_err_field(ro[i][0]);
	}
	assert_int_equal(e.state, 0);
	assert_int_equal(e.attendance, -1); /* as youth_enrollment_init left it: not recorded */
	assert_null(e.reason);
	assert_rc(youth_enrollment_set_field(&e, "cohort_id", "abc"), YOUTH_EINVAL);
	assert_rc(youth_enrollment_set_field(&e, "grade", "A"), YOUTH_EINVAL);
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));

	char buf[64];
	const char *out = NULL;
	youth_enrollment *got = get_enrollment(f, e.id);
	assert_ok(youth_enrollment_get_field(&out, got, "state", buf, sizeof buf));
	assert_string_equal(out, "applied");
	assert_ok(youth_enrollment_get_field(&out, got, "state_date", buf, sizeof buf));
	assert_string_equal(out, APPLIED);
	/* attendance not recorded: -1 in the struct, no text */
	assert_int_equal(got->attendance, -1);
	out = "x";
	assert_ok(youth_enrollment_get_field(&out, got, "attendance", buf, sizeof buf));
	assert_null(out);
	assert_ok(youth_enrollment_get_field(&out, got, "reason", buf, sizeof buf));
	assert_null(out);
	assert_ok(youth_enrollment_get_field(&out, got, "certificate_date", buf, sizeof buf));
	assert_null(out);
	assert_rc(youth_enrollment_get_field(&out, got, "grade", buf, sizeof buf), YOUTH_EINVAL);
	assert_rc(youth_enrollment_get_field(&out, got, "attendance", buf, 4), YOUTH_EINVAL);
	assert_rc(youth_enrollment_get_field(&out, NULL, "attendance", buf, sizeof buf),
	          YOUTH_EINVAL);
	youth_enrollment_free(got);

	/* 0% reads back as "0", not as unset */
	assert_ok(youth_enrollment_set_state(f->reg, e.id, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));
	assert_ok(youth_enrollment_set_attendance(f->reg, e.id, 0));
	got = get_enrollment(f, e.id);
	assert_ok(youth_enrollment_get_field(&out, got, "attendance", buf, sizeof buf));
	assert_non_null(out);
	assert_string_equal(out, "0");
	assert_ok(youth_enrollment_get_field(&out, got, "state", buf, sizeof buf));
	assert_string_equal(out, "enrolled");
	youth_enrollment_free(got);
	assert_ok(youth_enrollment_set_attendance(f->reg, e.id, 85));
	got = get_enrollment(f, e.id);
	assert_ok(youth_enrollment_get_field(&out, got, "attendance", buf, sizeof buf));
	assert_string_equal(out, "85");
	youth_enrollment_free(got);
}

/* ======================================================================================== */
/* ---- eligibility ------------------------------------------------------------------------ */

/* Programme "vocational" for ages 18-24 at the application date (docs/rules.md). */
static const char RULES_18_24[] = "format: libyouth/1\n"
                                  "programmes:\n"
                                  "  - code: vocational\n"
                                  "    title: Formación vocacional\n"
                                  "    age_min: 18\n"
                                  "    age_max: 24\n";

static void test_eligibility(void **state)
{
	fx *f = *state;
	th_load_rules(f->reg, RULES_18_24, 1);
	/* born 1992-05-14: 16 on 2009-04-20, below the minimum */
	int64_t person = th_new_person(f->reg);
	youth_enrollment e;
	valid_enrollment(f, &e, f->cohort_id, person);
	int64_t overrides = th_raw_count(f->path, "SELECT count(*) FROM eligibility_override");
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, NULL), YOUTH_ERULE, NULL);
	assert_msg_has("vocational");
	assert_msg_has("age 16 on " APPLIED); /* checked at the application date */
	assert_int_equal(e.id, 0);
	assert_int_equal(count_enrollments(f->reg, f->cohort_id, person), 0);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM enrollment"), 0);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM eligibility_override"), overrides);

	/* an explicit override lets it through and is recorded against the enrollment */
	youth_override ovr = {f->operator_id, "Referred by the municipal youth office"};
	assert_ok(youth_enrollment_apply(f->reg, &e, &ovr));
	assert_true(e.id > 0);
	assert_int_equal(e.state, YOUTH_ENROLLMENT_APPLIED);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM eligibility_override"),
	                 overrides + 1);
	char sql[200];
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM eligibility_override WHERE service = 'enrollment' AND "
	         "service_id = %lld AND person_id = %lld AND operator_id = %lld AND "
	         "programme = 'vocational'",
	         (long long)e.id, (long long)person, (long long)f->operator_id);
	assert_int_equal(th_raw_count(f->path, sql), 1);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM enrollment"), 1);

	/* an eligible person needs no override, and none is recorded */
	youth_person p;
	th_person_valid(&p);
	p.birth_date = "1988-01-10"; /* 21 in 2009 */
	assert_ok(youth_person_add(f->reg, &p, 0));
	valid_enrollment(f, &e, f->cohort_id, p.id);
	assert_ok(youth_enrollment_apply(f->reg, &e, NULL));
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM eligibility_override"),
	                 overrides + 1);

	/* a refused application after an override changes nothing either (duplicate) */
	valid_enrollment(f, &e, f->cohort_id, person);
	EXPECT_FAIL(f, youth_enrollment_apply(f->reg, &e, &ovr), YOUTH_EEXISTS, "person_id");
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM eligibility_override"),
	                 overrides + 1);
}

static void test_out_of_memory(void **state)
{
	fx *f = *state;
	long failures;
	th_load_rules(f->reg, RULES_18_24, 1);
	youth_course c;
	valid_course(&c, "OOM");
	OOM_LOOP(f, youth_course_add(f->reg, &c), failures);
	youth_cohort h;
	valid_cohort(f, &h, "OOM-1");
	h.place = "Sonzacate";
	OOM_LOOP(f, youth_cohort_add(f->reg, &h), failures);
	assert_true(failures > 0); /* resolving the place allocates */

	youth_person p;
	th_person_valid(&p);
	p.birth_date = "1988-01-10"; /* eligible */
	assert_ok(youth_person_add(f->reg, &p, 0));
	youth_enrollment e;
	valid_enrollment(f, &e, h.id, p.id);
	OOM_LOOP(f, youth_enrollment_apply(f->reg, &e, NULL), failures);
	assert_int_equal(enrollment_state(f, e.id), YOUTH_ENROLLMENT_APPLIED);
	OOM_LOOP(f, youth_enrollment_set_state(f->reg, e.id, YOUTH_ENROLLMENT_ENROLLED, ENROLLED,
	                                       NULL), failures);
	OOM_LOOP(f, youth_enrollment_record_session(f->reg, e.id, ENROLLED, 1), failures);
	assert_int_equal(enrollment_attendance(f, e.id), 100);

	/* reads: a failed allocation returns no record and leaks nothing */
	youth_enrollment *got = NULL;
	OOM_LOOP(f, youth_enrollment_get(&got, f->reg, e.id), failures);
	assert_true(failures > 0);
	assert_int_equal(got->attendance, 100);
	youth_enrollment_free(got);
	youth_course *gc = NULL;
	OOM_LOOP(f, youth_course_get_by_code(&gc, f->reg, "OOM"), failures);
	assert_true(failures > 0);
	youth_course_free(gc);
	youth_cohort *gh = NULL;
	OOM_LOOP(f, youth_cohort_get(&gh, f->reg, h.id), failures);
	youth_cohort_free(gh);
	youth_enrollment_iter *it = NULL;
	OOM_LOOP(f, youth_enrollment_iter_new(&it, f->reg, h.id, 0), failures);
	assert_true(failures > 0);
	const youth_enrollment *r = NULL;
	th_alloc_state st;
	th_alloc_install(&st, 1, 1); /* the row buffer cannot grow */
	int rc = youth_enrollment_next(&r, it);
	th_alloc_restore();
	assert_rc(rc, YOUTH_ENOMEM);
	assert_null(r);
	youth_enrollment_iter_free(it);
}

/* Inside a caller's transaction a refused call undoes only itself. */
static void test_in_transaction(void **state)
{
	fx *f = *state;
	assert_ok(youth_registry_begin(f->reg));
	int64_t id = apply_new(f, f->cohort_id);
	assert_rc(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_COMPLETED, COHORT_END,
	                                     NULL), YOUTH_ESTATE);
	assert_rc(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_DROPPED, "2009-04-21",
	                                     NULL), YOUTH_EINVAL);
	assert_ok(youth_enrollment_set_state(f->reg, id, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));
	assert_ok(youth_registry_commit(f->reg));
	assert_int_equal(enrollment_state(f, id), YOUTH_ENROLLMENT_ENROLLED);

	assert_ok(youth_registry_begin(f->reg));
	assert_ok(youth_enrollment_set_attendance(f->reg, id, 90));
	assert_ok(youth_registry_rollback(f->reg));
	assert_int_equal(enrollment_attendance(f, id), -1);
}

/* A person with services: delete refuses, the explicit cascade removes the person with the
 * enrollments and their sessions, and leaves the cohort and other persons' records alone. */
static void test_person_delete_cascade(void **state)
{
	fx *f = *state;
	int64_t keep = apply_new(f, f->cohort_id);
	int64_t e1 = apply_new(f, f->cohort_id);
	youth_enrollment *e = get_enrollment(f, e1);
	int64_t person = e->person_id;
	youth_enrollment_free(e);
	int64_t other_cohort = add_cohort(f, "SOLD-2009-2", 10, 0);
	youth_enrollment en;
	valid_enrollment(f, &en, other_cohort, person);
	assert_ok(youth_enrollment_apply(f->reg, &en, NULL));
	assert_ok(youth_enrollment_set_state(f->reg, e1, YOUTH_ENROLLMENT_ENROLLED, ENROLLED, NULL));
	assert_ok(youth_enrollment_record_session(f->reg, e1, ENROLLED, 1));
	assert_ok(youth_enrollment_record_session(f->reg, e1, "2009-05-05", 0));

	int64_t persons = th_count_persons(f->reg);
	assert_rc(youth_person_delete(f->reg, person), YOUTH_EREFERENCED);
	assert_err_field("id");
	assert_int_equal(th_count_persons(f->reg), persons);

	int64_t removed = -1, changes = youth_registry_total_changes(f->reg);
	assert_ok(youth_person_delete_cascade(&removed, f->reg, person));
	/* the person, two enrollments, two sessions */
	assert_int_equal(removed, 5);
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 5);
	assert_int_equal(th_count_persons(f->reg), persons - 1);
	youth_person *gone = NULL;
	assert_rc(youth_person_get(&gone, f->reg, person), YOUTH_ENOTFOUND);
	assert_int_equal(count_enrollments(f->reg, 0, person), 0);
	assert_int_equal(count_enrollments(f->reg, f->cohort_id, 0), 1);
	assert_int_equal(enrollment_state(f, keep), YOUTH_ENROLLMENT_APPLIED);
	youth_cohort *c = NULL;
	assert_ok(youth_cohort_get(&c, f->reg, other_cohort));
	youth_cohort_free(c);
	assert_ok(youth_registry_check(f->reg));

	/* errors: unknown person, bad id, NULL registry; nothing removed */
	assert_rc(youth_person_delete_cascade(&removed, f->reg, person), YOUTH_ENOTFOUND);
	assert_int_equal(removed, 0);
	assert_rc(youth_person_delete_cascade(NULL, f->reg, 0), YOUTH_EINVAL);
	assert_rc(youth_person_delete_cascade(NULL, NULL, 1), YOUTH_EINVAL);
	assert_int_equal(th_count_persons(f->reg), persons - 1);

	/* a person without services goes with the cascade as with a plain delete */
	int64_t lone = th_new_person(f->reg);
	assert_ok(youth_person_delete_cascade(&removed, f->reg, lone));
	assert_int_equal(removed, 1);
}

/* Inside a caller's transaction the cascade is undone with it. */
static void test_person_delete_cascade_rollback(void **state)
{
	fx *f = *state;
	int64_t e1 = apply_new(f, f->cohort_id);
	youth_enrollment *e = get_enrollment(f, e1);
	int64_t person = e->person_id;
	youth_enrollment_free(e);
	int64_t persons = th_count_persons(f->reg);
	assert_ok(youth_registry_begin(f->reg));
	assert_ok(youth_person_delete_cascade(NULL, f->reg, person));
	assert_int_equal(th_count_persons(f->reg), persons - 1);
	assert_ok(youth_registry_rollback(f->reg));
	assert_int_equal(th_count_persons(f->reg), persons);
	assert_int_equal(enrollment_state(f, e1), YOUTH_ENROLLMENT_APPLIED);
}

int main(void)
{
	static th_suite in_memory = {sizeof(fx), populate, tally, 0};
	static th_suite in_file = {sizeof(fx), populate, tally, 1};
#define T(t) TH_FX_TEST(t, &in_memory)
	const struct CMUnitTest tests[] = {
		T(test_person_delete_cascade),
		T(test_person_delete_cascade_rollback),
		T(test_course_add_get),
		T(test_course_add_invalid),
		T(test_course_duplicates),
		T(test_course_update),
		T(test_course_get_errors),
		T(test_course_iter),
		T(test_course_fields),
		T(test_cohort_add_get),
		T(test_cohort_add_invalid),
		T(test_cohort_update),
		T(test_cohort_iter),
		T(test_cohort_fields),
		T(test_cohort_taken),
		T(test_apply_valid),
		T(test_apply_invalid),
		T(test_state_table),
		T(test_set_state_errors),
		T(test_capacity),
		T(test_attendance_threshold),
		T(test_set_attendance),
		T(test_sessions),
		T(test_certificate),
		T(test_enrollment_iter),
		T(test_iter_after_close),
		T(test_enrollment_fields),
		TH_FX_TEST(test_eligibility, &in_file),
		T(test_in_transaction),
		T(test_out_of_memory),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
