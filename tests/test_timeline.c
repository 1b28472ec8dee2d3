/* The person timeline: one youth through every service, in date order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <youth.h>

#include "helpers.h"

typedef struct fx {
	youth_registry *reg;
	int64_t person, other, op, counsellor, employer;
} fx;

static int64_t add_woman(youth_registry *reg, const char *given)
{
	youth_person p;
	th_person_valid(&p);
	p.given_names = given;
	p.sex = YOUTH_SEX_FEMALE;
	p.national_id = NULL;
	assert_ok(youth_person_add(reg, &p, 0));
	return p.id;
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	f->reg = th_open_memory_gazetteer();
	f->person = add_woman(f->reg, "Karla Beatriz");
	f->other = add_woman(f->reg, "Sonia Elizabeth");

	youth_exchange x;
	youth_exchange_init(&x);
	x.code = "SZC";
	x.name = "Bolsa de empleo de Sonzacate";
	x.place = "sonzacate";
	assert_ok(youth_exchange_add(f->reg, &x));
	youth_operator o;
	youth_operator_init(&o);
	o.exchange_id = x.id;
	o.given_names = "Ana";
	o.first_surname = "Guevara";
	o.role = YOUTH_ROLE_COORDINATOR;
	assert_ok(youth_operator_add(f->reg, &o));
	f->op = o.id;
	youth_operator_init(&o);
	o.exchange_id = x.id;
	o.given_names = "Raúl";
	o.first_surname = "Mejía";
	o.role = YOUTH_ROLE_COUNSELLOR;
	assert_ok(youth_operator_add(f->reg, &o));
	f->counsellor = o.id;
	youth_employer e;
	youth_employer_init(&e);
	e.name = "Panadería San Antonio";
	assert_ok(youth_employer_add(f->reg, &e));
	f->employer = e.id;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	youth_registry_close(f->reg);
	free(f);
	return 0;
}

typedef struct expect {
	const char *date, *kind, *state, *detail;
	int64_t amount;
} expect;

static void check_timeline(fx *f, int64_t person, const expect *want, size_t n)
{
	youth_timeline_iter *it = NULL;
	assert_ok(youth_timeline_iter_new(&it, f->reg, person));
	const youth_event *ev;
	size_t i = 0;
	int rc;
	while ((rc = youth_timeline_next(&ev, it)) == YOUTH_OK) {
		assert_true(i < n);
		assert_string_equal(ev->date, want[i].date);
		assert_string_equal(ev->kind, want[i].kind);
		if (want[i].state)
			assert_string_equal(ev->state, want[i].state);
		else
			assert_null(ev->state);
		if (want[i].detail)
			assert_string_equal(ev->detail, want[i].detail);
		assert_int_equal(ev->amount, want[i].amount);
		assert_int_equal(strlen(ev->uuid), YOUTH_UUID_LEN);
		assert_true(ev->record_id > 0);
		i++;
	}
	assert_int_equal(rc, YOUTH_ITEROVER);
	assert_int_equal(youth_timeline_next(&ev, it), YOUTH_ITEROVER); /* latched */
	assert_null(ev);
	assert_int_equal(i, n);
	youth_timeline_iter_free(it);
}

static void test_census_only(void **state)
{
	fx *f = *state;
	const expect want[] = {{"2009-03-02", "census", NULL, "census-2009", 0}};
	check_timeline(f, f->other, want, 1);
}

static void test_every_service(void **state)
{
	fx *f = *state;
	youth_registry *reg = f->reg;

	/* a vocational course, completed with a certificate */
	youth_course c;
	youth_course_init(&c);
	c.code = "PAN";
	c.title = "Panadería";
	c.provider = "INSAFORP";
	c.hours = 120;
	assert_ok(youth_course_add(reg, &c));
	youth_cohort h;
	youth_cohort_init(&h);
	h.course_id = c.id;
	h.exchange_id = 1;
	h.code = "PAN-2009-1";
	h.start_date = "2009-04-01";
	h.end_date = "2009-05-29";
	h.place = "sonzacate";
	h.capacity = 20;
	assert_ok(youth_cohort_add(reg, &h));
	youth_enrollment en;
	youth_enrollment_init(&en);
	en.cohort_id = h.id;
	en.person_id = f->person;
	en.operator_id = f->op;
	en.applied_date = "2009-03-20";
	assert_ok(youth_enrollment_apply(reg, &en, NULL));
	assert_ok(youth_enrollment_set_state(reg, en.id, YOUTH_ENROLLMENT_ENROLLED, "2009-04-01", NULL));
	assert_ok(youth_enrollment_set_attendance(reg, en.id, 92));
	assert_ok(youth_enrollment_set_state(reg, en.id, YOUTH_ENROLLMENT_COMPLETED, "2009-05-29",
	                                     NULL));
	assert_ok(youth_enrollment_issue_certificate(reg, en.id, "2009-06-05"));

	/* a group session of career guidance */
	youth_counselling_session s;
	youth_counselling_session_init(&s);
	s.operator_id = f->counsellor;
	s.date = "2009-03-10";
	s.kind = YOUTH_COUNSELLING_CAREER_GUIDANCE;
	s.mode = YOUTH_COUNSELLING_GROUP;
	s.duration_minutes = 90;
	s.topic = "Perfiles laborales";
	assert_ok(youth_counselling_session_add(reg, &s));
	youth_counselling_participant cp;
	youth_counselling_participant_init(&cp);
	cp.session_id = s.id;
	cp.person_id = f->person;
	assert_ok(youth_counselling_add_participant(reg, &cp, NULL));
	youth_counselling_participant_init(&cp);
	cp.session_id = s.id;
	cp.person_id = f->other;
	cp.attended = 0;
	assert_ok(youth_counselling_add_participant(reg, &cp, NULL));
	assert_ok(youth_counselling_session_close(reg, s.id, "2009-03-10"));

	/* a first-work scholarship with one payment */
	youth_scholarship sc;
	youth_scholarship_init(&sc);
	sc.person_id = f->person;
	sc.operator_id = f->op;
	sc.applied_date = "2009-06-10";
	assert_ok(youth_scholarship_apply(reg, &sc, NULL));
	assert_ok(youth_scholarship_award(reg, sc.id, "2009-06-15"));
	youth_scholarship_placement pl = {f->employer, "Ayudante de panadería", "2009-07-01",
	                                  "2009-09-30", 40, 15000};
	assert_ok(youth_scholarship_activate(reg, sc.id, "2009-07-01", &pl));
	youth_scholarship_payment pay;
	youth_scholarship_payment_init(&pay);
	pay.scholarship_id = sc.id;
	pay.operator_id = f->op;
	pay.amount = 15000;
	pay.paid_date = "2009-07-31";
	pay.method = YOUTH_SCHOLARSHIP_METHOD_TRANSFER;
	pay.reference = "TRF-0731-01";
	assert_ok(youth_scholarship_pay(reg, &pay));

	/* a women's group, its plan, money, a visit and mentoring */
	youth_group g;
	youth_group_init(&g);
	g.name = "Mujeres Emprendedoras de Santa Eugenia";
	g.window = YOUTH_WINDOW_FEMALE;
	g.operator_id = f->op;
	g.formed_date = "2009-08-01";
	assert_ok(youth_group_add(reg, &g));
	youth_group_member m;
	youth_group_member_init(&m);
	m.group_id = g.id;
	m.person_id = f->person;
	m.joined_date = "2009-08-01";
	m.operator_id = f->op;
	assert_ok(youth_group_member_add(reg, &m));
	youth_plan p;
	youth_plan_init(&p);
	p.window = YOUTH_WINDOW_FEMALE;
	p.group_id = g.id;
	p.title = "Panadería comunitaria";
	p.sector = "food";
	p.description = "Pan dulce y francés para las tiendas de la colonia";
	p.requested = 150000;
	p.drafted_date = "2009-08-10";
	p.operator_id = f->op;
	assert_ok(youth_plan_add(reg, &p));
	assert_ok(youth_plan_submit(reg, p.id, "2009-08-12", NULL));
	assert_ok(youth_plan_appraise(reg, p.id, "2009-08-20"));
	assert_ok(youth_plan_approve(reg, p.id, "2009-08-25", 120000));
	youth_plan_disbursement d;
	youth_plan_disbursement_init(&d);
	d.plan_id = p.id;
	d.amount = 60000;
	d.date = "2009-09-01";
	d.reference = "CONAMYPE-001";
	d.operator_id = f->op;
	assert_ok(youth_plan_disbursement_add(reg, &d));
	youth_plan_visit v;
	youth_plan_visit_init(&v);
	v.plan_id = p.id;
	v.date = "2009-10-15";
	v.operating = 1;
	v.jobs_created = 3;
	v.monthly_sales = 45050;
	v.operator_id = f->op;
	assert_ok(youth_plan_visit_add(reg, &v));
	youth_business_service b;
	youth_business_service_init(&b);
	b.group_id = g.id;
	b.kind = YOUTH_BUSINESS_SERVICE_MENTORING;
	b.date = "2009-09-20";
	b.hours = 4;
	b.provider = "CONAMYPE";
	b.operator_id = f->op;
	assert_ok(youth_business_service_add(reg, &b));

	/* an outcome follow-up 6 months after the course */
	youth_followup fu;
	youth_followup_init(&fu);
	fu.person_id = f->person;
	fu.operator_id = f->op;
	fu.date = "2009-11-30";
	fu.horizon_months = 6;
	fu.status = YOUTH_FOLLOWUP_SELF_EMPLOYED;
	assert_ok(youth_followup_add(reg, &fu));

	const expect want[] = {
		{"2009-03-02", "census", NULL, "census-2009", 0},
		{"2009-03-10", "counselling", "attended", "career_guidance: Perfiles laborales", 0},
		{"2009-03-20", "enrollment", "completed", "PAN-2009-1", 0},
		{"2009-06-05", "certificate", NULL, "PAN-2009-1", 0},
		{"2009-06-10", "scholarship", "active", "Ayudante de panadería", 0},
		{"2009-07-31", "scholarship_payment", NULL, "TRF-0731-01", 15000},
		{"2009-08-01", "group", NULL, "Mujeres Emprendedoras de Santa Eugenia", 0},
		{"2009-08-10", "plan", "operating", "Panadería comunitaria", 0},
		{"2009-09-01", "disbursement", NULL, "CONAMYPE-001", 60000},
		{"2009-09-20", "business_service", "mentoring", "CONAMYPE", 0},
		{"2009-10-15", "visit", "operating", NULL, 45050},
		{"2009-11-30", "followup", "self_employed", "6 months", 0},
	};
	check_timeline(f, f->person, want, sizeof want / sizeof want[0]);

	/* the other youth missed the session: it is on her timeline as absent */
	const expect other[] = {
		{"2009-03-02", "census", NULL, "census-2009", 0},
		{"2009-03-10", "counselling", "absent", "career_guidance: Perfiles laborales", 0},
	};
	check_timeline(f, f->other, other, 2);

	/* the cascade removes her services and leaves the group, its plan and the session */
	int64_t removed = 0;
	assert_ok(youth_person_delete_cascade(&removed, reg, f->person));
	/* person, enrollment, roster row, scholarship + 3 installments + payment, membership,
	 * follow-up */
	assert_int_equal(removed, 10);
	youth_plan *kept = NULL;
	assert_ok(youth_plan_get(&kept, reg, p.id));
	youth_plan_free(kept);
	check_timeline(f, f->other, other, 2);
}

static void test_overrides_and_errors(void **state)
{
	fx *f = *state;
	static const char rules[] = "format: libyouth/1\nprogrammes:\n"
	                            "  - {code: scholarship, title: Becas, age_min: 18, age_max: 18}\n";
	assert_ok(youth_rules_load_buffer(NULL, f->reg, rules, sizeof rules - 1, "rules.yaml"));
	youth_scholarship sc;
	youth_scholarship_init(&sc);
	sc.person_id = f->person;
	sc.operator_id = f->op;
	sc.applied_date = "2009-06-10";
	youth_override ov = {f->op, "Referred by the municipal youth office"};
	assert_ok(youth_scholarship_apply(f->reg, &sc, &ov));
	const expect want[] = {
		{"2009-03-02", "census", NULL, "census-2009", 0},
		{"2009-06-10", "scholarship", "applied", NULL, 0},
		{"2009-06-10", "override", NULL, "scholarship: age_min", 0},
	};
	check_timeline(f, f->person, want, 3);

	youth_timeline_iter *it = (youth_timeline_iter *)f;
	assert_rc(youth_timeline_iter_new(&it, f->reg, 999), YOUTH_ENOTFOUND);
	assert_null(it);
	assert_rc(youth_timeline_iter_new(&it, f->reg, 0), YOUTH_EINVAL);
	assert_rc(youth_timeline_iter_new(NULL, f->reg, 1), YOUTH_EINVAL);
	assert_rc(youth_timeline_iter_new(&it, NULL, 1), YOUTH_EINVAL);
	const youth_event *ev;
	assert_rc(youth_timeline_next(&ev, NULL), YOUTH_EINVAL);
	youth_timeline_iter_free(NULL);
	/* an iterator may outlive its registry */
	assert_ok(youth_timeline_iter_new(&it, f->reg, f->person));
	youth_registry_close(f->reg);
	f->reg = th_open_memory_gazetteer();
	assert_ok(youth_timeline_next(&ev, it));
	youth_timeline_iter_free(it);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_census_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_service, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overrides_and_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
