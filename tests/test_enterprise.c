/* Tests of youth/enterprise.h: groups and their members (women-only rule), seed-capital plans
 * and their state machine (every pair of states), eligibility with overrides at submission,
 * disbursements never above the approved amount, follow-up visits, business-development
 * services of the female window, the programme's counts, field access by name, and that every
 * refused call leaves the registry unchanged. */
#define _GNU_SOURCE
#include "helpers.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define FORMED "2009-02-01"
#define DRAFTED "2009-03-01"
#define SUBMITTED "2009-03-05"
#define APPRAISED "2009-03-10"
#define APPROVED "2009-03-15"
#define FUNDED "2009-03-20"
#define OPERATING "2009-04-01"
#define CLOSED "2009-05-01"
#define LATER "2009-06-01"
#define FUTURE "2999-01-01"
#define UUID_A "123e4567-e89b-42d3-a456-426614174000"

/* ---- fixture ------------------------------------------------------------------------------ */

typedef struct fx {
	TH_FX_HEAD; /* first, for th_fx_setup() and th_fx_teardown() */
	int64_t exchange_id;
	int64_t operator_id;
	int64_t inactive_id;
	int64_t woman;  /* born 1992-05-14 */
	int64_t woman2;
	int64_t man;
	int64_t seed_group;   /* youth_seed group, not women-only, members: woman, man */
	int64_t female_group; /* female_window group, members: woman, woman2 */
} fx;

static int64_t add_person(fx *f, int sex, const char *birth)
{
	youth_person p;
	th_person_valid(&p);
	p.sex = sex;
	if (birth)
		p.birth_date = birth;
	if (sex == YOUTH_SEX_FEMALE)
		p.given_names = "María José";
	assert_ok(youth_person_add(f->reg, &p, 0));
	return p.id;
}

static void valid_group(fx *f, youth_group *g, int window)
{
	youth_group_init(g);
	g->name = window == YOUTH_WINDOW_FEMALE ? "Mujeres emprendedoras de Sonzacate"
	                                        : "Jóvenes panaderos";
	g->window = window;
	g->operator_id = f->operator_id;
	g->formed_date = FORMED;
}

static int64_t add_group(fx *f, int window)
{
	youth_group g;
	valid_group(f, &g, window);
	assert_ok(youth_group_add(f->reg, &g));
	return g.id;
}

static void valid_member(fx *f, youth_group_member *m, int64_t group, int64_t person)
{
	youth_group_member_init(m);
	m->group_id = group;
	m->person_id = person;
	m->joined_date = FORMED;
	m->operator_id = f->operator_id;
}

static void add_member(fx *f, int64_t group, int64_t person)
{
	youth_group_member m;
	valid_member(f, &m, group, person);
	assert_ok(youth_group_member_add(f->reg, &m));
}

static void populate(th_fx *head)
{
	fx *f = (fx *)head;
	th_add_staffed_exchange(f->reg, YOUTH_ROLE_PLACEMENT, YOUTH_ROLE_COUNSELLOR, &f->exchange_id,
	                        &f->operator_id, &f->inactive_id);

	f->woman = add_person(f, YOUTH_SEX_FEMALE, NULL);
	f->woman2 = add_person(f, YOUTH_SEX_FEMALE, "1988-01-10");
	f->man = add_person(f, YOUTH_SEX_MALE, NULL);
	f->seed_group = add_group(f, YOUTH_WINDOW_YOUTH_SEED);
	add_member(f, f->seed_group, f->woman);
	add_member(f, f->seed_group, f->man);
	f->female_group = add_group(f, YOUTH_WINDOW_FEMALE);
	add_member(f, f->female_group, f->woman);
	add_member(f, f->female_group, f->woman2);
}

/* ---- helpers ------------------------------------------------------------------------------ */

static void valid_plan(fx *f, youth_plan *p, int window, int64_t person, int64_t group)
{
	youth_plan_init(p);
	p->window = window;
	p->person_id = person;
	p->group_id = group;
	p->title = "Panadería La Espiga";
	p->sector = "food";
	p->description = "Bakery selling bread and pastries in the market of Sonzacate";
	p->requested = 100000; /* 1000.00 */
	p->drafted_date = DRAFTED;
	p->operator_id = f->operator_id;
}

static int64_t add_plan(fx *f, int window, int64_t person, int64_t group)
{
	youth_plan p;
	valid_plan(f, &p, window, person, group);
	assert_ok(youth_plan_add(f->reg, &p));
	assert_true(p.id > 0);
	return p.id;
}

static void valid_disb(fx *f, youth_plan_disbursement *d, int64_t plan, int64_t amount,
                       const char *date, const char *ref)
{
	youth_plan_disbursement_init(d);
	d->plan_id = plan;
	d->amount = amount;
	d->date = date;
	d->reference = ref;
	d->operator_id = f->operator_id;
}

static int disburse(fx *f, int64_t plan, int64_t amount, const char *date, const char *ref)
{
	youth_plan_disbursement d;
	valid_disb(f, &d, plan, amount, date, ref);
	return youth_plan_disbursement_add(f->reg, &d);
}

static void valid_visit(fx *f, youth_plan_visit *v, int64_t plan, const char *date, int operating)
{
	youth_plan_visit_init(v);
	v->plan_id = plan;
	v->date = date;
	v->operating = operating;
	v->jobs_created = 2;
	v->monthly_sales = 45050;
	v->notes = "Oven installed";
	v->operator_id = f->operator_id;
}

static void valid_business_service(fx *f, youth_business_service *s, int64_t group, int64_t plan)
{
	youth_business_service_init(s);
	s->group_id = group;
	s->plan_id = plan;
	s->kind = YOUTH_BUSINESS_SERVICE_MENTORING;
	s->date = LATER;
	s->hours = 12;
	s->provider = "CONAMYPE CDMYPE Sonsonate";
	s->operator_id = f->operator_id;
}

TH_GET_FN(get_plan, youth_plan, fx)

static int plan_state(fx *f, int64_t id)
{
	youth_plan *p = get_plan(f, id);
	int s = p->state;
	youth_plan_free(p);
	return s;
}

/* Brings a new person plan (youth_seed) to @state through the valid path. */
static int64_t reach(fx *f, int state)
{
	int64_t id = add_plan(f, YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
	static int ref = 0;
	char refbuf[32];
	if (state == YOUTH_PLAN_DRAFT)
		return id;
	assert_ok(youth_plan_submit(f->reg, id, SUBMITTED, NULL));
	if (state == YOUTH_PLAN_SUBMITTED)
		return id;
	assert_ok(youth_plan_appraise(f->reg, id, APPRAISED));
	if (state == YOUTH_PLAN_APPRAISED)
		return id;
	if (state == YOUTH_PLAN_REJECTED) {
		assert_ok(youth_plan_reject(f->reg, id, APPROVED, "not viable"));
		return id;
	}
	assert_ok(youth_plan_approve(f->reg, id, APPROVED, 80000));
	if (state == YOUTH_PLAN_APPROVED)
		return id;
	snprintf(refbuf, sizeof refbuf, "REACH-%d", ++ref);
	assert_ok(disburse(f, id, 30000, FUNDED, refbuf));
	if (state == YOUTH_PLAN_FUNDED)
		return id;
	assert_ok(youth_plan_set_operating(f->reg, id, OPERATING));
	if (state == YOUTH_PLAN_OPERATING)
		return id;
	assert_ok(youth_plan_close(f->reg, id, CLOSED, "follow-up period ended"));
	assert_int_equal(state, YOUTH_PLAN_CLOSED);
	return id;
}

TH_COUNT_FN(count_groups, youth_group, (youth_registry *reg), (reg, 0))
TH_COUNT_FN(count_members, youth_group_member, (youth_registry *reg), (reg, 0, 0))
TH_COUNT_FN(count_plans, youth_plan, (youth_registry *reg), (reg, 0, 0, 0))
TH_COUNT_FN(count_disbs, youth_plan_disbursement, (youth_registry *reg), (reg, 0))
TH_COUNT_FN(count_visits, youth_plan_visit, (youth_registry *reg), (reg, 0))
TH_COUNT_FN(count_business_service, youth_business_service, (youth_registry *reg), (reg, 0, 0))

/* Everything a refused call must leave as it was, besides persons and changes. */
static void tally(th_fx *head, th_values *out)
{
	youth_registry *reg = head->reg;
	th_values_num(out, "groups", count_groups(reg));
	th_values_num(out, "members", count_members(reg));
	th_values_num(out, "plans", count_plans(reg));
	th_values_num(out, "disbursements", count_disbs(reg));
	th_values_num(out, "visits", count_visits(reg));
	th_values_num(out, "services", count_business_service(reg));
}

/* A plan's state-related members, to prove a refused change touched nothing. */
typedef th_values snap;

static snap take_snap(fx *f, int64_t id)
{
	youth_plan *p = get_plan(f, id);
	snap s;
	th_values_clear(&s);
	th_values_num(&s, "state", p->state);
	th_values_num(&s, "approved", p->approved);
	th_values_text(&s, "state_date", p->state_date);
	th_values_text(&s, "approved_date", p->approved_date);
	th_values_text(&s, "reason", p->reason);
	youth_plan_free(p);
	return s;
}

static void assert_snap_same(fx *f, int64_t id, const snap *s)
{
	snap now = take_snap(f, id);
	th_values_check_same(s, &now, "a refused change touched the plan", __FILE__, __LINE__);
}

/* ======================================================================================== */
/* ---- groups ----------------------------------------------------------------------------- */

static void test_group_add_get(void **state)
{
	fx *f = *state;
	youth_group g, *got = NULL;
	valid_group(f, &g, YOUTH_WINDOW_FEMALE);
	g.women_only = 0; /* forced to 1 in the female window */
	assert_ok(youth_group_add(f->reg, &g));
	assert_true(g.id > 0);
	assert_uuid(g.uuid);
	assert_int_equal(g.women_only, 1);
	assert_int_equal(g.exchange_id, f->exchange_id);
	assert_ok(youth_group_get(&got, f->reg, g.id));
	assert_int_equal(got->id, g.id);
	assert_string_equal(got->uuid, g.uuid);
	assert_string_equal(got->name, "Mujeres emprendedoras de Sonzacate");
	assert_int_equal(got->window, YOUTH_WINDOW_FEMALE);
	assert_int_equal(got->women_only, 1);
	assert_int_equal(got->operator_id, f->operator_id);
	assert_int_equal(got->exchange_id, f->exchange_id);
	assert_string_equal(got->formed_date, FORMED);
	youth_group_free(got);

	/* a youth_seed group may be women-only by choice, or not */
	valid_group(f, &g, YOUTH_WINDOW_YOUTH_SEED);
	g.women_only = 1;
	memcpy(g.uuid, "123E4567-E89B-42D3-A456-426614174000", YOUTH_UUID_LEN + 1);
	assert_ok(youth_group_add(f->reg, &g));
	assert_ok(youth_group_get(&got, f->reg, g.id));
	assert_int_equal(got->women_only, 1);
	assert_string_equal(got->uuid, UUID_A);
	youth_group_free(got);
	assert_ok(youth_group_get(&got, f->reg, f->seed_group));
	assert_int_equal(got->women_only, 0);
	youth_group_free(got);

	/* iterators by window */
	assert_int_equal(count_groups(f->reg), 4);
	youth_group_iter *it = NULL;
	const youth_group *r;
	int n = 0;
	assert_ok(youth_group_iter_new(&it, f->reg, YOUTH_WINDOW_FEMALE));
	while (youth_group_next(&r, it) == YOUTH_OK) {
		assert_int_equal(r->window, YOUTH_WINDOW_FEMALE);
		n++;
	}
	/* latched */
	assert_int_equal(youth_group_next(&r, it), YOUTH_ITEROVER);
	assert_null(r);
	youth_group_iter_free(it);
	assert_int_equal(n, 2);

	assert_rc(youth_group_get(&got, f->reg, 9999), YOUTH_ENOTFOUND);
	assert_null(got);
	assert_msg_has("9999");
	assert_rc(youth_group_get(NULL, f->reg, 1), YOUTH_EINVAL);
	assert_rc(youth_group_get(&got, NULL, 1), YOUTH_EINVAL);
	assert_rc(youth_group_iter_new(&it, f->reg, 3), YOUTH_EINVAL);
	assert_null(it);
	assert_rc(youth_group_iter_new(NULL, f->reg, 0), YOUTH_EINVAL);
	assert_rc(youth_group_next(NULL, NULL), YOUTH_EINVAL);
	youth_group_iter_free(NULL);
	youth_group_free(NULL);
}

static void test_group_invalid(void **state)
{
	fx *f = *state;
	youth_group g;
	char *long_name = th_repeat('n', 121);
	valid_group(f, &g, YOUTH_WINDOW_FEMALE);
	EXPECT_FAIL(f, youth_group_add(NULL, &g), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_group_add(f->reg, NULL), YOUTH_EINVAL, NULL);
	g.name = NULL;
	EXPECT_FAIL(f, youth_group_add(f->reg, &g), YOUTH_EINVAL, "name");
	g.name = "  ";
	EXPECT_FAIL(f, youth_group_add(f->reg, &g), YOUTH_EINVAL, "name");
	g.name = long_name;
	EXPECT_FAIL(f, youth_group_add(f->reg, &g), YOUTH_EINVAL, "name");
	valid_group(f, &g, 0);
	EXPECT_FAIL(f, youth_group_add(f->reg, &g), YOUTH_EINVAL, "window");
	assert_msg_has("window: missing (youth_seed, female_window)");
	valid_group(f, &g, 3);
	EXPECT_FAIL(f, youth_group_add(f->reg, &g), YOUTH_EINVAL, "window");
	assert_msg_has("window 3: not a window (youth_seed, female_window)");
	valid_group(f, &g, YOUTH_WINDOW_YOUTH_SEED);
	g.women_only = 2;
	EXPECT_FAIL(f, youth_group_add(f->reg, &g), YOUTH_EINVAL, "women_only");
	static const char *bad_dates[] = {NULL, "", "2009-02-30", "2009-2-1", "01/02/2009", FUTURE};
	for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
		valid_group(f, &g, YOUTH_WINDOW_YOUTH_SEED);
		g.formed_date = bad_dates[i];
		EXPECT_FAIL(f, youth_group_add(f->reg, &g), YOUTH_EINVAL, "formed_date");
	}
	valid_group(f, &g, YOUTH_WINDOW_YOUTH_SEED);
	g.operator_id = 0;
	EXPECT_FAIL(f, youth_group_add(f->reg, &g), YOUTH_EINVAL, "operator_id");
	g.operator_id = -4;
	EXPECT_FAIL(f, youth_group_add(f->reg, &g), YOUTH_EINVAL, "operator_id");
	g.operator_id = 9999;
	EXPECT_FAIL(f, youth_group_add(f->reg, &g), YOUTH_ENOTFOUND, "operator_id");
	g.operator_id = f->inactive_id;
	EXPECT_FAIL(f, youth_group_add(f->reg, &g), YOUTH_ERULE, "operator_id");
	valid_group(f, &g, YOUTH_WINDOW_YOUTH_SEED);
	memcpy(g.uuid, "not-a-uuid", 11);
	EXPECT_FAIL(f, youth_group_add(f->reg, &g), YOUTH_EINVAL, "uuid");
	assert_int_equal(g.id, 0);
	/* duplicate uuid */
	youth_group *old = NULL;
	assert_ok(youth_group_get(&old, f->reg, f->seed_group));
	valid_group(f, &g, YOUTH_WINDOW_YOUTH_SEED);
	memcpy(g.uuid, old->uuid, sizeof g.uuid);
	EXPECT_FAIL(f, youth_group_add(f->reg, &g), YOUTH_EEXISTS, "uuid");
	youth_group_free(old);
	free(long_name);
}

static void test_members(void **state)
{
	fx *f = *state;
	youth_group_member m, *got = NULL;
	int64_t g = add_group(f, YOUTH_WINDOW_FEMALE);
	valid_member(f, &m, g, f->woman);
	m.joined_date = "2009-02-10";
	assert_ok(youth_group_member_add(f->reg, &m));
	assert_true(m.id > 0);
	assert_uuid(m.uuid);
	assert_int_equal(m.exchange_id, f->exchange_id);
	assert_ok(youth_group_member_get(&got, f->reg, m.id));
	assert_int_equal(got->group_id, g);
	assert_int_equal(got->person_id, f->woman);
	assert_string_equal(got->joined_date, "2009-02-10");
	assert_int_equal(got->operator_id, f->operator_id);
	youth_group_member_free(got);

	/* women-only rule, checked, naming the person and the rule */
	valid_member(f, &m, g, f->man);
	EXPECT_FAIL(f, youth_group_member_add(f->reg, &m), YOUTH_ERULE, "person_id");
	char pid[32];
	snprintf(pid, sizeof pid, "person_id %lld", (long long)f->man);
	assert_msg_has(pid);
	assert_msg_has("women_only");
	/* a women-only youth_seed group applies the rule too */
	youth_group sg;
	valid_group(f, &sg, YOUTH_WINDOW_YOUTH_SEED);
	sg.women_only = 1;
	assert_ok(youth_group_add(f->reg, &sg));
	valid_member(f, &m, sg.id, f->man);
	EXPECT_FAIL(f, youth_group_member_add(f->reg, &m), YOUTH_ERULE, "person_id");
	/* duplicate */
	valid_member(f, &m, g, f->woman);
	EXPECT_FAIL(f, youth_group_member_add(f->reg, &m), YOUTH_EEXISTS, "person_id");
	assert_msg_has("already a member");
	/* several groups per person */
	valid_member(f, &m, sg.id, f->woman);
	assert_ok(youth_group_member_add(f->reg, &m));
	/* bad input */
	valid_member(f, &m, 9999, f->woman2);
	EXPECT_FAIL(f, youth_group_member_add(f->reg, &m), YOUTH_ENOTFOUND, "group_id");
	valid_member(f, &m, g, 9999);
	EXPECT_FAIL(f, youth_group_member_add(f->reg, &m), YOUTH_ENOTFOUND, "person_id");
	valid_member(f, &m, 0, f->woman2);
	EXPECT_FAIL(f, youth_group_member_add(f->reg, &m), YOUTH_EINVAL, "group_id");
	valid_member(f, &m, g, -1);
	EXPECT_FAIL(f, youth_group_member_add(f->reg, &m), YOUTH_EINVAL, "person_id");
	valid_member(f, &m, g, f->woman2);
	m.joined_date = "2009-01-31"; /* before FORMED */
	EXPECT_FAIL(f, youth_group_member_add(f->reg, &m), YOUTH_EINVAL, "joined_date");
	m.joined_date = "2009-13-01";
	EXPECT_FAIL(f, youth_group_member_add(f->reg, &m), YOUTH_EINVAL, "joined_date");
	m.joined_date = FUTURE;
	EXPECT_FAIL(f, youth_group_member_add(f->reg, &m), YOUTH_EINVAL, "joined_date");
	m.joined_date = NULL;
	EXPECT_FAIL(f, youth_group_member_add(f->reg, &m), YOUTH_EINVAL, "joined_date");
	valid_member(f, &m, g, f->woman2);
	m.operator_id = f->inactive_id;
	EXPECT_FAIL(f, youth_group_member_add(f->reg, &m), YOUTH_ERULE, "operator_id");
	m.operator_id = 0;
	EXPECT_FAIL(f, youth_group_member_add(f->reg, &m), YOUTH_EINVAL, "operator_id");
	EXPECT_FAIL(f, youth_group_member_add(NULL, &m), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_group_member_add(f->reg, NULL), YOUTH_EINVAL, NULL);

	/* iterators: by group, by person, both */
	youth_group_member_iter *it = NULL;
	const youth_group_member *r;
	int n = 0;
	assert_ok(youth_group_member_iter_new(&it, f->reg, 0, f->woman));
	while (youth_group_member_next(&r, it) == YOUTH_OK) {
		assert_int_equal(r->person_id, f->woman);
		n++;
	}
	youth_group_member_iter_free(it);
	assert_int_equal(n, 4); /* fixture's two groups, g, sg */
	assert_ok(youth_group_member_iter_new(&it, f->reg, f->female_group, 0));
	n = 0;
	while (youth_group_member_next(&r, it) == YOUTH_OK)
		n++;
	assert_int_equal(youth_group_member_next(&r, it), YOUTH_ITEROVER);
	youth_group_member_iter_free(it);
	assert_int_equal(n, 2);
	assert_ok(youth_group_member_iter_new(&it, f->reg, f->female_group, f->man));
	assert_int_equal(youth_group_member_next(&r, it), YOUTH_ITEROVER);
	youth_group_member_iter_free(it);
	assert_rc(youth_group_member_iter_new(&it, f->reg, -1, 0), YOUTH_EINVAL);
	assert_rc(youth_group_member_get(&got, f->reg, 9999), YOUTH_ENOTFOUND);
	assert_null(got);
}

/* ---- plans ------------------------------------------------------------------------------- */

static void test_member_remove(void **state)
{
	fx *f = *state;
	int64_t changes = youth_registry_total_changes(f->reg);
	/* while the group is being formed a member may leave, and come back */
	assert_ok(youth_group_member_remove(f->reg, f->seed_group, f->man));
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 1);
	assert_int_equal(count_members(f->reg), 3);
	youth_group_member_iter *it = NULL;
	const youth_group_member *m;
	assert_ok(youth_group_member_iter_new(&it, f->reg, f->seed_group, f->man));
	assert_rc(youth_group_member_next(&m, it), YOUTH_ITEROVER);
	youth_group_member_iter_free(it);
	add_member(f, f->seed_group, f->man);

	/* refused calls change nothing */
	EXPECT_FAIL(f, youth_group_member_remove(NULL, f->seed_group, f->man), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_group_member_remove(f->reg, 0, f->man), YOUTH_EINVAL, "group_id");
	EXPECT_FAIL(f, youth_group_member_remove(f->reg, f->seed_group, -1), YOUTH_EINVAL,
	            "person_id");
	EXPECT_FAIL(f, youth_group_member_remove(f->reg, 999, f->man), YOUTH_ENOTFOUND, "group_id");
	assert_msg_has("999");
	EXPECT_FAIL(f, youth_group_member_remove(f->reg, f->female_group, f->man), YOUTH_ENOTFOUND,
	            "person_id");
	assert_msg_has("not a member");

	/* a draft plan does not fix the members yet */
	int64_t plan = add_plan(f, YOUTH_WINDOW_YOUTH_SEED, 0, f->seed_group);
	assert_ok(youth_group_member_remove(f->reg, f->seed_group, f->man));
	add_member(f, f->seed_group, f->man);

	/* once submitted, they were checked for eligibility and count as reached by the plan */
	assert_ok(youth_plan_submit(f->reg, plan, SUBMITTED, NULL));
	int64_t reached = 0;
	assert_ok(youth_plan_count_persons(&reached, f->reg, YOUTH_WINDOW_YOUTH_SEED, 0));
	EXPECT_FAIL(f, youth_group_member_remove(f->reg, f->seed_group, f->man), YOUTH_ESTATE,
	            "person_id");
	assert_msg_has("submitted");
	char buf[32];
	snprintf(buf, sizeof buf, "plan %lld", (long long)plan);
	assert_msg_has(buf);
	int64_t after = 0;
	assert_ok(youth_plan_count_persons(&after, f->reg, YOUTH_WINDOW_YOUTH_SEED, 0));
	assert_int_equal(after, reached);
	/* and stay fixed through the rest of the plan's life */
	assert_ok(youth_plan_appraise(f->reg, plan, APPRAISED));
	assert_ok(youth_plan_reject(f->reg, plan, APPROVED, "not viable"));
	EXPECT_FAIL(f, youth_group_member_remove(f->reg, f->seed_group, f->woman), YOUTH_ESTATE,
	            "person_id");
	assert_msg_has("rejected");
	/* another group is not affected */
	assert_ok(youth_group_member_remove(f->reg, f->female_group, f->woman2));
}

static void test_plan_add_get(void **state)
{
	fx *f = *state;
	youth_plan p, *got;
	valid_plan(f, &p, YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
	assert_ok(youth_plan_add(f->reg, &p));
	assert_uuid(p.uuid);
	assert_int_equal(p.state, YOUTH_PLAN_DRAFT);
	assert_string_equal(p.state_date, DRAFTED);
	assert_int_equal(p.exchange_id, f->exchange_id);
	got = get_plan(f, p.id);
	assert_string_equal(got->uuid, p.uuid);
	assert_int_equal(got->window, YOUTH_WINDOW_YOUTH_SEED);
	assert_int_equal(got->person_id, f->man);
	assert_int_equal(got->group_id, 0);
	assert_string_equal(got->title, "Panadería La Espiga");
	assert_string_equal(got->sector, "food");
	assert_int_equal(got->requested, 100000);
	assert_int_equal(got->approved, 0);
	assert_int_equal(got->state, YOUTH_PLAN_DRAFT);
	assert_string_equal(got->drafted_date, DRAFTED);
	assert_string_equal(got->state_date, DRAFTED);
	assert_null(got->approved_date);
	assert_null(got->reason);
	assert_int_equal(got->operator_id, f->operator_id);
	assert_int_equal(got->exchange_id, f->exchange_id);
	youth_plan_free(got);

	/* group plans, female window plans from a woman or a women's group */
	int64_t gp = add_plan(f, YOUTH_WINDOW_YOUTH_SEED, 0, f->seed_group);
	int64_t fw = add_plan(f, YOUTH_WINDOW_FEMALE, f->woman, 0);
	int64_t fg = add_plan(f, YOUTH_WINDOW_FEMALE, 0, f->female_group);
	got = get_plan(f, fg);
	assert_int_equal(got->group_id, f->female_group);
	assert_int_equal(got->person_id, 0);
	youth_plan_free(got);

	/* iterators by window, person, group */
	youth_plan_iter *it = NULL;
	const youth_plan *r;
	int64_t seen[8];
	int n = 0;
	assert_ok(youth_plan_iter_new(&it, f->reg, YOUTH_WINDOW_FEMALE, 0, 0));
	while (youth_plan_next(&r, it) == YOUTH_OK)
		seen[n++] = r->id;
	youth_plan_iter_free(it);
	assert_int_equal(n, 2);
	assert_int_equal(seen[0], fw);
	assert_int_equal(seen[1], fg);
	assert_ok(youth_plan_iter_new(&it, f->reg, 0, 0, f->seed_group));
	assert_ok(youth_plan_next(&r, it));
	assert_int_equal(r->id, gp);
	assert_int_equal(youth_plan_next(&r, it), YOUTH_ITEROVER);
	assert_int_equal(youth_plan_next(&r, it), YOUTH_ITEROVER);
	youth_plan_iter_free(it);
	assert_ok(youth_plan_iter_new(&it, f->reg, 0, f->woman, 0));
	assert_ok(youth_plan_next(&r, it));
	assert_int_equal(r->id, fw);
	assert_int_equal(youth_plan_next(&r, it), YOUTH_ITEROVER);
	youth_plan_iter_free(it);
	assert_int_equal(count_plans(f->reg), 4);
	assert_rc(youth_plan_iter_new(&it, f->reg, 7, 0, 0), YOUTH_EINVAL);
	assert_rc(youth_plan_iter_new(&it, f->reg, 0, -2, 0), YOUTH_EINVAL);
	assert_rc(youth_plan_iter_new(&it, NULL, 0, 0, 0), YOUTH_EINVAL);
	assert_rc(youth_plan_get(&got, f->reg, 9999), YOUTH_ENOTFOUND);
	assert_null(got);
	youth_plan_free(NULL);
}

static void test_plan_add_invalid(void **state)
{
	fx *f = *state;
	youth_plan p;
	char *t121 = th_repeat('t', 121), *s81 = th_repeat('s', 81), *d1001 = th_repeat('d', 1001);
#define PLAN(w, pe, gr) valid_plan(f, &p, (w), (pe), (gr))
	PLAN(YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
	EXPECT_FAIL(f, youth_plan_add(NULL, &p), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_plan_add(f->reg, NULL), YOUTH_EINVAL, NULL);
	/* exactly one applicant */
	PLAN(YOUTH_WINDOW_YOUTH_SEED, 0, 0);
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "person_id");
	PLAN(YOUTH_WINDOW_YOUTH_SEED, f->man, f->seed_group);
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "person_id");
	assert_msg_has("exactly one applicant");
	PLAN(YOUTH_WINDOW_YOUTH_SEED, -1, 0);
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "person_id");
	PLAN(YOUTH_WINDOW_YOUTH_SEED, 0, -1);
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "group_id");
	/* windows */
	PLAN(0, f->man, 0);
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "window");
	PLAN(9, f->man, 0);
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "window");
	/* female window: a woman or a women's group */
	PLAN(YOUTH_WINDOW_FEMALE, f->man, 0);
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_ERULE, "person_id");
	assert_msg_has("female_window");
	PLAN(YOUTH_WINDOW_FEMALE, 0, f->seed_group);
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_ERULE, "group_id");
	PLAN(YOUTH_WINDOW_YOUTH_SEED, 0, f->female_group);
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_ERULE, "group_id");
	/* unknown applicants */
	PLAN(YOUTH_WINDOW_YOUTH_SEED, 9999, 0);
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_ENOTFOUND, "person_id");
	PLAN(YOUTH_WINDOW_YOUTH_SEED, 0, 9999);
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_ENOTFOUND, "group_id");
	/* texts */
	PLAN(YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
	p.title = NULL;
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "title");
	p.title = t121;
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "title");
	PLAN(YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
	p.sector = "";
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "sector");
	p.sector = s81;
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "sector");
	PLAN(YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
	p.description = NULL;
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "description");
	p.description = d1001;
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "description");
	p.description = "caf\xc3";
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "description");
	/* money */
	static const int64_t bad_money[] = {0, -1, -100000};
	for (size_t i = 0; i < 3; i++) {
		PLAN(YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
		p.requested = bad_money[i];
		EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "requested");
	}
	assert_msg_has("-1000.00");
	/* dates */
	static const char *bad_dates[] = {NULL, "2009-02-29", "20090301", FUTURE};
	for (size_t i = 0; i < 4; i++) {
		PLAN(YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
		p.drafted_date = bad_dates[i];
		EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "drafted_date");
	}
	PLAN(YOUTH_WINDOW_YOUTH_SEED, 0, f->seed_group);
	p.drafted_date = "2009-01-15"; /* before the group was formed */
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "drafted_date");
	/* operator */
	PLAN(YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
	p.operator_id = 9999;
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_ENOTFOUND, "operator_id");
	p.operator_id = f->inactive_id;
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_ERULE, "operator_id");
	p.operator_id = 0;
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "operator_id");
	/* uuid */
	PLAN(YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
	memcpy(p.uuid, UUID_A, YOUTH_UUID_LEN + 1);
	assert_ok(youth_plan_add(f->reg, &p));
	PLAN(YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
	memcpy(p.uuid, UUID_A, YOUTH_UUID_LEN + 1);
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EEXISTS, "uuid");
	memcpy(p.uuid, "zz", 3);
	EXPECT_FAIL(f, youth_plan_add(f->reg, &p), YOUTH_EINVAL, "uuid");
	assert_int_equal(p.id, 0);
#undef PLAN
	free(t121);
	free(s81);
	free(d1001);
}

static void test_plan_update(void **state)
{
	fx *f = *state;
	int64_t id = add_plan(f, YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
	youth_plan *p = get_plan(f, id);
	int64_t changes = youth_registry_total_changes(f->reg);
	p->title = "Panadería y repostería La Espiga";
	p->sector = "bakery";
	p->description = "Bread, cakes and pastries";
	p->requested = 95050;
	p->window = YOUTH_WINDOW_FEMALE; /* ignored: the window never changes */
	assert_ok(youth_plan_update(f->reg, p));
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 1);
	youth_plan *got = get_plan(f, id);
	assert_string_equal(got->title, "Panadería y repostería La Espiga");
	assert_string_equal(got->sector, "bakery");
	assert_string_equal(got->description, "Bread, cakes and pastries");
	assert_int_equal(got->requested, 95050);
	assert_int_equal(got->window, YOUTH_WINDOW_YOUTH_SEED);
	assert_int_equal(got->person_id, f->man);
	assert_int_equal(got->state, YOUTH_PLAN_DRAFT);
	youth_plan_free(got);

	snap s = take_snap(f, id);
	p->requested = 0;
	EXPECT_FAIL(f, youth_plan_update(f->reg, p), YOUTH_EINVAL, "requested");
	p->requested = -1;
	EXPECT_FAIL(f, youth_plan_update(f->reg, p), YOUTH_EINVAL, "requested");
	p->requested = 100;
	p->title = "";
	EXPECT_FAIL(f, youth_plan_update(f->reg, p), YOUTH_EINVAL, "title");
	p->title = "x";
	p->sector = NULL;
	EXPECT_FAIL(f, youth_plan_update(f->reg, p), YOUTH_EINVAL, "sector");
	p->sector = "x";
	p->description = " ";
	EXPECT_FAIL(f, youth_plan_update(f->reg, p), YOUTH_EINVAL, "description");
	p->description = "x";
	p->id = 9999;
	EXPECT_FAIL(f, youth_plan_update(f->reg, p), YOUTH_ENOTFOUND, "id");
	p->id = 0;
	EXPECT_FAIL(f, youth_plan_update(f->reg, p), YOUTH_EINVAL, "id");
	EXPECT_FAIL(f, youth_plan_update(NULL, p), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_plan_update(f->reg, NULL), YOUTH_EINVAL, NULL);
	assert_snap_same(f, id, &s);
	/* once submitted, a plan is no longer edited */
	int64_t sub = reach(f, YOUTH_PLAN_SUBMITTED);
	p->id = sub;
	EXPECT_FAIL(f, youth_plan_update(f->reg, p), YOUTH_ESTATE, "state");
	assert_msg_has("submitted");
	assert_msg_has("cannot edit a plan in state submitted (allowed in: draft)");
	got = get_plan(f, sub);
	assert_string_equal(got->title, "Panadería La Espiga");
	youth_plan_free(got);
	youth_plan_free(p);
}

/* Calls the function that moves a plan to @to (funded: a disbursement). */
static int go(fx *f, int64_t id, int to, const char *date)
{
	switch (to) {
	case YOUTH_PLAN_SUBMITTED:
		return youth_plan_submit(f->reg, id, date, NULL);
	case YOUTH_PLAN_APPRAISED:
		return youth_plan_appraise(f->reg, id, date);
	case YOUTH_PLAN_APPROVED:
		return youth_plan_approve(f->reg, id, date, 50000);
	case YOUTH_PLAN_REJECTED:
		return youth_plan_reject(f->reg, id, date, "the reason");
	case YOUTH_PLAN_FUNDED: {
		static int n = 0;
		char ref[32];
		snprintf(ref, sizeof ref, "GO-%d", ++n);
		return disburse(f, id, 100, date, ref);
	}
	case YOUTH_PLAN_OPERATING:
		return youth_plan_set_operating(f->reg, id, date);
	case YOUTH_PLAN_CLOSED:
		return youth_plan_close(f->reg, id, date, "the reason");
	}
	fail_msg("no function for state %d", to);
	return -1;
}

static void test_state_table(void **state)
{
	fx *f = *state;
	/* ok[from][to]: the allowed transitions; approved/funded -> funded is a disbursement */
	static const int ok[9][9] = {
		[YOUTH_PLAN_DRAFT][YOUTH_PLAN_SUBMITTED] = 1,
		[YOUTH_PLAN_SUBMITTED][YOUTH_PLAN_APPRAISED] = 1,
		[YOUTH_PLAN_APPRAISED][YOUTH_PLAN_APPROVED] = 1,
		[YOUTH_PLAN_APPRAISED][YOUTH_PLAN_REJECTED] = 1,
		[YOUTH_PLAN_APPROVED][YOUTH_PLAN_FUNDED] = 1,
		[YOUTH_PLAN_FUNDED][YOUTH_PLAN_FUNDED] = 1,
		[YOUTH_PLAN_FUNDED][YOUTH_PLAN_OPERATING] = 1,
		[YOUTH_PLAN_FUNDED][YOUTH_PLAN_CLOSED] = 1,
		[YOUTH_PLAN_OPERATING][YOUTH_PLAN_CLOSED] = 1,
	};
	static const char *allowed_text[9] = {
		NULL,
		"; allowed from draft: submitted",
		"; allowed from submitted: appraised",
		"; allowed from appraised: approved, rejected",
		"; allowed from approved: funded",
		"; nothing is allowed from rejected (a final state)",
		"; allowed from funded: operating, closed",
		"; allowed from operating: closed",
		"; nothing is allowed from closed (a final state)",
	};
	int valid = 0, refused = 0;
	for (int from = 1; from <= 8; from++) {
		for (int to = 2; to <= 8; to++) {
			int64_t id = reach(f, from);
			assert_int_equal(plan_state(f, id), from);
			snap before = take_snap(f, id);
			th_values cb;
			th_tally(&f->th, &cb);
			youth_error_clear();
			int rc = go(f, id, to, LATER);
			if (ok[from][to]) {
				if (rc != YOUTH_OK)
					fail_msg("%s -> %s refused: %s", youth_plan_state_name(from),
					         youth_plan_state_name(to), youth_error_last()->message);
				youth_plan *p = get_plan(f, id);
				assert_int_equal(p->state, to);
				if (from != to)
					assert_string_equal(p->state_date, LATER);
				else
					assert_string_equal(p->state_date, FUNDED); /* funded on the first payment */
				if (to == YOUTH_PLAN_REJECTED || to == YOUTH_PLAN_CLOSED)
					assert_string_equal(p->reason, "the reason");
				if (to == YOUTH_PLAN_APPROVED) {
					assert_int_equal(p->approved, 50000);
					assert_string_equal(p->approved_date, LATER);
				}
				youth_plan_free(p);
				valid++;
			} else {
				if (rc != YOUTH_ESTATE)
					fail_msg("%s -> %s: expected ESTATE, got %s: %s",
					         youth_plan_state_name(from), youth_plan_state_name(to),
					         youth_error_name(rc), youth_error_last()->message);
				assert_err_field("state");
				if (to != YOUTH_PLAN_FUNDED) {
					char expect[200];
					snprintf(expect, sizeof expect, "plan %lld: cannot go from %s to %s%s",
					         (long long)id, youth_plan_state_name(from),
					         youth_plan_state_name(to), allowed_text[from]);
					assert_string_equal(youth_error_last()->message, expect);
				} else {
					assert_msg_has(youth_plan_state_name(from));
					assert_msg_has("approved, funded");
				}
				assert_snap_same(f, id, &before);
				th_tally_check(&f->th, &cb, __FILE__, __LINE__);
				refused++;
			}
		}
	}
	assert_int_equal(valid, 9);
	assert_int_equal(refused, 8 * 7 - 9);
}

static void test_transition_errors(void **state)
{
	fx *f = *state;
	int64_t id = reach(f, YOUTH_PLAN_APPRAISED);
	snap s = take_snap(f, id);
	EXPECT_FAIL(f, youth_plan_approve(NULL, id, LATER, 100), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_plan_approve(f->reg, 0, LATER, 100), YOUTH_EINVAL, "id");
	EXPECT_FAIL(f, youth_plan_approve(f->reg, -3, LATER, 100), YOUTH_EINVAL, "id");
	EXPECT_FAIL(f, youth_plan_approve(f->reg, 9999, LATER, 100), YOUTH_ENOTFOUND, "id");
	EXPECT_FAIL(f, youth_plan_approve(f->reg, id, "2009-04-31", 100), YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_plan_approve(f->reg, id, NULL, 100), YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_plan_approve(f->reg, id, FUTURE, 100), YOUTH_EINVAL, "date");
	/* before the last state change (appraised on APPRAISED) */
	EXPECT_FAIL(f, youth_plan_approve(f->reg, id, "2009-03-09", 100), YOUTH_EINVAL, "date");
	assert_msg_has("date \"2009-03-09\": before the plan's last state change (appraised on "
	               APPRAISED ")");
	EXPECT_FAIL(f, youth_plan_approve(f->reg, id, LATER, 0), YOUTH_EINVAL, "amount");
	EXPECT_FAIL(f, youth_plan_approve(f->reg, id, LATER, -5000), YOUTH_EINVAL, "amount");
	EXPECT_FAIL(f, youth_plan_approve(f->reg, id, LATER, 100001), YOUTH_ERULE, "amount");
	assert_msg_has("1000.01");
	assert_msg_has("1000.00");
	EXPECT_FAIL(f, youth_plan_reject(f->reg, id, LATER, NULL), YOUTH_EINVAL, "reason");
	EXPECT_FAIL(f, youth_plan_reject(f->reg, id, LATER, " "), YOUTH_EINVAL, "reason");
	EXPECT_FAIL(f, youth_plan_appraise(f->reg, id, "bad"), YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_plan_submit(f->reg, 9999, LATER, NULL), YOUTH_ENOTFOUND, "id");
	assert_snap_same(f, id, &s);
	/* the full request and the same day as the last change are allowed */
	assert_ok(youth_plan_approve(f->reg, id, APPRAISED, 100000));
	int64_t op = reach(f, YOUTH_PLAN_OPERATING);
	EXPECT_FAIL(f, youth_plan_close(f->reg, op, LATER, ""), YOUTH_EINVAL, "reason");
	EXPECT_FAIL(f, youth_plan_close(NULL, op, LATER, "x"), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_plan_set_operating(f->reg, 0, LATER), YOUTH_EINVAL, "id");
}

/* ---- eligibility at submission ----------------------------------------------------------- */

static const char RULES[] = "format: libyouth/1\n"
                            "programmes:\n"
                            "  - code: seed_capital\n"
                            "    title: Capital semilla\n"
                            "    age_min: 18\n"
                            "    age_max: 24\n"
                            "  - code: female_window\n"
                            "    title: Ventanilla Mujer Emprende\n"
                            "    women_only: true\n";

static int64_t override_rows(fx *f, int64_t plan, int64_t person)
{
	char sql[240];
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM eligibility_override WHERE service = 'plan' AND "
	         "service_id = %lld AND person_id = %lld AND operator_id = %lld",
	         (long long)plan, (long long)person, (long long)f->operator_id);
	return th_raw_count(f->path, sql);
}

static void test_submit_eligibility(void **state)
{
	fx *f = *state;
	th_load_rules(f->reg, RULES, 2);
	/* the man is 16 in 2009: below seed_capital's minimum */
	int64_t id = add_plan(f, YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
	EXPECT_FAIL(f, youth_plan_submit(f->reg, id, SUBMITTED, NULL), YOUTH_ERULE, NULL);
	assert_msg_has("seed_capital");
	assert_int_equal(plan_state(f, id), YOUTH_PLAN_DRAFT);
	/* an override lets it through; the override is a row of its own */
	youth_override ovr = {f->operator_id, "Approved by the municipal committee"};
	int64_t changes = youth_registry_total_changes(f->reg);
	assert_ok(youth_plan_submit(f->reg, id, SUBMITTED, &ovr));
	assert_int_equal(plan_state(f, id), YOUTH_PLAN_SUBMITTED);
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 2);
	assert_int_equal(override_rows(f, id, f->man), 1);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM eligibility_override WHERE "
	                                    "programme = 'seed_capital'"), 1);
	/* an override with a bad operator is refused even so */
	int64_t id2 = add_plan(f, YOUTH_WINDOW_YOUTH_SEED, f->man, 0);
	youth_override bad = {f->inactive_id, "x"};
	EXPECT_FAIL(f, youth_plan_submit(f->reg, id2, SUBMITTED, &bad), YOUTH_ERULE, NULL);
	assert_int_equal(plan_state(f, id2), YOUTH_PLAN_DRAFT);

	/* a group: every member is checked (woman2 is 21, woman and man are 16) */
	int64_t g = add_plan(f, YOUTH_WINDOW_YOUTH_SEED, 0, f->seed_group);
	EXPECT_FAIL(f, youth_plan_submit(f->reg, g, SUBMITTED, NULL), YOUTH_ERULE, NULL);
	{
		char want[96];
		snprintf(want, sizeof want, "group %lld, member person_id %lld: seed_capital: age 16",
		         (long long)f->seed_group, (long long)f->woman);
		assert_msg_has(want);
	}
	changes = youth_registry_total_changes(f->reg);
	assert_ok(youth_plan_submit(f->reg, g, SUBMITTED, &ovr));
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 3); /* plan + 2 overrides */
	assert_int_equal(override_rows(f, g, f->woman), 1);
	assert_int_equal(override_rows(f, g, f->man), 1);
	/* the refused submissions recorded nothing */
	assert_int_equal(override_rows(f, id2, f->man), 0);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM eligibility_override"), 3);

	/* an empty group cannot submit */
	int64_t empty = add_group(f, YOUTH_WINDOW_YOUTH_SEED);
	int64_t e = add_plan(f, YOUTH_WINDOW_YOUTH_SEED, 0, empty);
	EXPECT_FAIL(f, youth_plan_submit(f->reg, e, SUBMITTED, &ovr), YOUTH_ERULE, "group_id");
	assert_msg_has("no members");

	/* female window: women only; an eligible woman needs no override */
	int64_t fw = add_plan(f, YOUTH_WINDOW_FEMALE, f->woman2, 0);
	changes = youth_registry_total_changes(f->reg);
	assert_ok(youth_plan_submit(f->reg, fw, SUBMITTED, NULL));
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 1);
	int64_t fg = add_plan(f, YOUTH_WINDOW_FEMALE, 0, f->female_group);
	assert_ok(youth_plan_submit(f->reg, fg, SUBMITTED, NULL));
}

/* ---- disbursements ----------------------------------------------------------------------- */

static void test_disbursements(void **state)
{
	fx *f = *state;
	int64_t id = reach(f, YOUTH_PLAN_APPROVED); /* 800.00 approved on APPROVED */
	youth_plan_balance_info b;
	assert_ok(youth_plan_balance(&b, f->reg, id));
	assert_int_equal(b.approved, 80000);
	assert_int_equal(b.disbursed, 0);
	assert_int_equal(b.remaining, 80000);

	youth_plan_disbursement d, *got = NULL;
	/* bad input */
	valid_disb(f, &d, id, 0, FUNDED, "T-1");
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_EINVAL, "amount");
	d.amount = -100;
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_EINVAL, "amount");
	valid_disb(f, &d, id, 100, "2009-03-14", "T-1"); /* before approval */
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_EINVAL, "date");
	d.date = "2009-3-20";
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_EINVAL, "date");
	d.date = FUTURE;
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_EINVAL, "date");
	valid_disb(f, &d, id, 100, FUNDED, NULL);
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_EINVAL, "reference");
	valid_disb(f, &d, 9999, 100, FUNDED, "T-1");
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_ENOTFOUND, "plan_id");
	valid_disb(f, &d, 0, 100, FUNDED, "T-1");
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_EINVAL, "plan_id");
	valid_disb(f, &d, id, 100, FUNDED, "T-1");
	d.operator_id = f->inactive_id;
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_ERULE, "operator_id");
	EXPECT_FAIL(f, youth_plan_disbursement_add(NULL, &d), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, NULL), YOUTH_EINVAL, NULL);
	/* above the approved amount, even on the first payment */
	valid_disb(f, &d, id, 80001, FUNDED, "T-1");
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_ERULE, "amount");
	assert_int_equal(plan_state(f, id), YOUTH_PLAN_APPROVED);

	/* the first payment funds the plan */
	valid_disb(f, &d, id, 30000, FUNDED, "T-1");
	assert_ok(youth_plan_disbursement_add(f->reg, &d));
	assert_uuid(d.uuid);
	assert_int_equal(d.exchange_id, f->exchange_id);
	youth_plan *p = get_plan(f, id);
	assert_int_equal(p->state, YOUTH_PLAN_FUNDED);
	assert_string_equal(p->state_date, FUNDED);
	youth_plan_free(p);
	assert_ok(youth_plan_disbursement_get(&got, f->reg, d.id));
	assert_int_equal(got->amount, 30000);
	assert_string_equal(got->reference, "T-1");
	assert_string_equal(got->date, FUNDED);
	assert_int_equal(got->plan_id, id);
	youth_plan_disbursement_free(got);

	/* cumulative sum never above the approved amount; message names the three amounts */
	valid_disb(f, &d, id, 50001, "2009-04-01", "T-2");
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_ERULE, "amount");
	assert_msg_has("500.01");
	assert_msg_has("800.00 approved");
	assert_msg_has("300.00 already disbursed");
	/* duplicate reference; out of date order */
	valid_disb(f, &d, id, 100, "2009-04-01", "T-1");
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_EEXISTS, "reference");
	valid_disb(f, &d, id, 100, "2009-03-19", "T-2");
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_EINVAL, "date");
	/* the rest, exactly */
	valid_disb(f, &d, id, 50000, "2009-04-01", "T-2");
	assert_ok(youth_plan_disbursement_add(f->reg, &d));
	assert_ok(youth_plan_balance(&b, f->reg, id));
	assert_int_equal(b.approved, 80000);
	assert_int_equal(b.disbursed, 80000);
	assert_int_equal(b.remaining, 0);
	valid_disb(f, &d, id, 1, "2009-04-02", "T-3");
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_ERULE, "amount");
	assert_msg_has("0.01");
	/* state still funded after later payments */
	p = get_plan(f, id);
	assert_int_equal(p->state, YOUTH_PLAN_FUNDED);
	assert_string_equal(p->state_date, FUNDED);
	youth_plan_free(p);

	/* plans not approved/funded take no money */
	int64_t draft = reach(f, YOUTH_PLAN_DRAFT);
	valid_disb(f, &d, draft, 100, LATER, "T-9");
	EXPECT_FAIL(f, youth_plan_disbursement_add(f->reg, &d), YOUTH_ESTATE, "state");
	assert_msg_has("draft");
	assert_msg_has("cannot record a disbursement in state draft (allowed in: approved, funded)");

	/* iterator in date order; balance errors */
	youth_plan_disbursement_iter *it = NULL;
	const youth_plan_disbursement *r;
	assert_ok(youth_plan_disbursement_iter_new(&it, f->reg, id));
	assert_ok(youth_plan_disbursement_next(&r, it));
	assert_string_equal(r->reference, "T-1");
	assert_ok(youth_plan_disbursement_next(&r, it));
	assert_string_equal(r->reference, "T-2");
	assert_int_equal(youth_plan_disbursement_next(&r, it), YOUTH_ITEROVER);
	assert_int_equal(youth_plan_disbursement_next(&r, it), YOUTH_ITEROVER);
	youth_plan_disbursement_iter_free(it);
	assert_rc(youth_plan_disbursement_iter_new(&it, f->reg, -1), YOUTH_EINVAL);
	assert_rc(youth_plan_balance(&b, f->reg, 9999), YOUTH_ENOTFOUND);
	assert_rc(youth_plan_balance(&b, f->reg, 0), YOUTH_EINVAL);
	assert_rc(youth_plan_balance(NULL, f->reg, id), YOUTH_EINVAL);
	assert_rc(youth_plan_disbursement_get(&got, f->reg, 9999), YOUTH_ENOTFOUND);
	assert_null(got);
}

/* ---- visits ------------------------------------------------------------------------------ */

static void test_visits(void **state)
{
	fx *f = *state;
	youth_plan_visit v, *got = NULL;
	/* not funded yet */
	int64_t approved = reach(f, YOUTH_PLAN_APPROVED);
	valid_visit(f, &v, approved, LATER, 1);
	EXPECT_FAIL(f, youth_plan_visit_add(f->reg, &v), YOUTH_ESTATE, "state");
	assert_msg_has("approved");
	assert_msg_has("cannot record a follow-up visit in state approved (allowed in: funded, "
	               "operating, closed)");

	int64_t id = reach(f, YOUTH_PLAN_FUNDED); /* first disbursement on FUNDED */
	valid_visit(f, &v, id, "2009-03-19", 1);
	EXPECT_FAIL(f, youth_plan_visit_add(f->reg, &v), YOUTH_EINVAL, "date");
	assert_msg_has(FUNDED);
	/* bad input */
	valid_visit(f, &v, id, "2009-03-25", 1);
	v.jobs_created = -1;
	EXPECT_FAIL(f, youth_plan_visit_add(f->reg, &v), YOUTH_EINVAL, "jobs_created");
	v.jobs_created = 10001;
	EXPECT_FAIL(f, youth_plan_visit_add(f->reg, &v), YOUTH_EINVAL, "jobs_created");
	valid_visit(f, &v, id, "2009-03-25", 1);
	v.monthly_sales = -1;
	EXPECT_FAIL(f, youth_plan_visit_add(f->reg, &v), YOUTH_EINVAL, "monthly_sales");
	assert_msg_has("-0.01");
	valid_visit(f, &v, id, "2009-03-25", 2);
	EXPECT_FAIL(f, youth_plan_visit_add(f->reg, &v), YOUTH_EINVAL, "operating");
	valid_visit(f, &v, id, "2009-02-30", 1);
	EXPECT_FAIL(f, youth_plan_visit_add(f->reg, &v), YOUTH_EINVAL, "date");
	valid_visit(f, &v, 9999, "2009-03-25", 1);
	EXPECT_FAIL(f, youth_plan_visit_add(f->reg, &v), YOUTH_ENOTFOUND, "plan_id");
	valid_visit(f, &v, id, "2009-03-25", 1);
	v.operator_id = 0;
	EXPECT_FAIL(f, youth_plan_visit_add(f->reg, &v), YOUTH_EINVAL, "operator_id");
	EXPECT_FAIL(f, youth_plan_visit_add(NULL, &v), YOUTH_EINVAL, NULL);

	/* a visit that finds the business not operating leaves the plan funded */
	valid_visit(f, &v, id, "2009-03-25", 0);
	v.jobs_created = 0;
	v.monthly_sales = 0;
	v.notes = NULL;
	assert_ok(youth_plan_visit_add(f->reg, &v));
	assert_int_equal(plan_state(f, id), YOUTH_PLAN_FUNDED);
	assert_ok(youth_plan_visit_get(&got, f->reg, v.id));
	assert_int_equal(got->operating, 0);
	assert_int_equal(got->jobs_created, 0);
	assert_int_equal(got->monthly_sales, 0);
	assert_null(got->notes);
	char buf[32];
	const char *out;
	assert_ok(youth_plan_visit_get_field(&out, got, "jobs_created", buf, sizeof buf));
	assert_string_equal(out, "0");
	assert_ok(youth_plan_visit_get_field(&out, got, "monthly_sales", buf, sizeof buf));
	assert_string_equal(out, "0.00");
	youth_plan_visit_free(got);
	/* one visit a day */
	valid_visit(f, &v, id, "2009-03-25", 1);
	EXPECT_FAIL(f, youth_plan_visit_add(f->reg, &v), YOUTH_EEXISTS, "date");
	/* found operating: the plan is operating from the visit on */
	valid_visit(f, &v, id, "2009-04-10", 1);
	assert_ok(youth_plan_visit_add(f->reg, &v));
	youth_plan *p = get_plan(f, id);
	assert_int_equal(p->state, YOUTH_PLAN_OPERATING);
	assert_string_equal(p->state_date, "2009-04-10");
	youth_plan_free(p);
	/* a later visit not operating does not close it: closing is explicit */
	valid_visit(f, &v, id, "2009-05-10", 0);
	assert_ok(youth_plan_visit_add(f->reg, &v));
	assert_int_equal(plan_state(f, id), YOUTH_PLAN_OPERATING);
	assert_ok(youth_plan_close(f->reg, id, "2009-05-11", "business ceased"));
	/* closed plans may still be visited */
	valid_visit(f, &v, id, LATER, 0);
	assert_ok(youth_plan_visit_add(f->reg, &v));
	assert_int_equal(plan_state(f, id), YOUTH_PLAN_CLOSED);

	youth_plan_visit_iter *it = NULL;
	const youth_plan_visit *r;
	const char *dates[] = {"2009-03-25", "2009-04-10", "2009-05-10", LATER};
	assert_ok(youth_plan_visit_iter_new(&it, f->reg, id));
	for (int i = 0; i < 4; i++) {
		assert_ok(youth_plan_visit_next(&r, it));
		assert_string_equal(r->date, dates[i]);
	}
	assert_int_equal(youth_plan_visit_next(&r, it), YOUTH_ITEROVER);
	assert_int_equal(youth_plan_visit_next(&r, it), YOUTH_ITEROVER);
	youth_plan_visit_iter_free(it);
	assert_rc(youth_plan_visit_iter_new(&it, f->reg, -5), YOUTH_EINVAL);
	assert_rc(youth_plan_visit_get(&got, f->reg, 9999), YOUTH_ENOTFOUND);
}

/* ---- business-development services ------------------------------------------------------- */

static void test_business_service(void **state)
{
	fx *f = *state;
	youth_business_service s, *got = NULL;
	int64_t fplan = add_plan(f, YOUTH_WINDOW_FEMALE, 0, f->female_group);
	int64_t wplan = add_plan(f, YOUTH_WINDOW_FEMALE, f->woman, 0);
	int64_t splan = add_plan(f, YOUTH_WINDOW_YOUTH_SEED, f->man, 0);

	valid_business_service(f, &s, f->female_group, 0);
	assert_ok(youth_business_service_add(f->reg, &s));
	assert_uuid(s.uuid);
	assert_int_equal(s.exchange_id, f->exchange_id);
	assert_ok(youth_business_service_get(&got, f->reg, s.id));
	assert_int_equal(got->group_id, f->female_group);
	assert_int_equal(got->plan_id, 0);
	assert_int_equal(got->kind, YOUTH_BUSINESS_SERVICE_MENTORING);
	assert_int_equal(got->hours, 12);
	assert_string_equal(got->provider, "CONAMYPE CDMYPE Sonsonate");
	assert_null(got->notes);
	youth_business_service_free(got);
	valid_business_service(f, &s, 0, fplan);
	s.kind = YOUTH_BUSINESS_SERVICE_MARKET_ACCESS;
	s.date = "2009-05-01";
	s.notes = "Stand at the Sonsonate fair";
	assert_ok(youth_business_service_add(f->reg, &s));
	valid_business_service(f, &s, 0, wplan);
	s.kind = YOUTH_BUSINESS_SERVICE_TRAINING;
	s.hours = 200;
	assert_ok(youth_business_service_add(f->reg, &s));

	/* female window only */
	valid_business_service(f, &s, f->seed_group, 0);
	EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_ERULE, "group_id");
	assert_msg_has("female_window");
	valid_business_service(f, &s, 0, splan);
	EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_ERULE, "plan_id");
	/* exactly one target */
	valid_business_service(f, &s, 0, 0);
	EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_EINVAL, "group_id");
	valid_business_service(f, &s, f->female_group, fplan);
	EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_EINVAL, "group_id");
	valid_business_service(f, &s, -1, 0);
	EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_EINVAL, "group_id");
	valid_business_service(f, &s, 9999, 0);
	EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_ENOTFOUND, "group_id");
	valid_business_service(f, &s, 0, 9999);
	EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_ENOTFOUND, "plan_id");
	/* fields */
	static const int bad_kinds[] = {0, 4, -1};
	for (int i = 0; i < 3; i++) {
		valid_business_service(f, &s, f->female_group, 0);
		s.kind = bad_kinds[i];
		EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_EINVAL, "kind");
	}
	static const int bad_hours[] = {0, -1, 201};
	for (int i = 0; i < 3; i++) {
		valid_business_service(f, &s, f->female_group, 0);
		s.hours = bad_hours[i];
		EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_EINVAL, "hours");
	}
	valid_business_service(f, &s, f->female_group, 0);
	s.provider = NULL;
	EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_EINVAL, "provider");
	valid_business_service(f, &s, f->female_group, 0);
	s.date = "2009-01-31"; /* before the group was formed */
	EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_EINVAL, "date");
	s.date = "2009-02-29";
	EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_EINVAL, "date");
	valid_business_service(f, &s, 0, wplan);
	s.date = "2009-02-28"; /* before the plan was drafted */
	EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_EINVAL, "date");
	valid_business_service(f, &s, f->female_group, 0);
	s.operator_id = f->inactive_id;
	EXPECT_FAIL(f, youth_business_service_add(f->reg, &s), YOUTH_ERULE, "operator_id");
	EXPECT_FAIL(f, youth_business_service_add(NULL, &s), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_business_service_add(f->reg, NULL), YOUTH_EINVAL, NULL);

	/* services of a group include those to its plans, in date order */
	youth_business_service_iter *it = NULL;
	const youth_business_service *r;
	assert_ok(youth_business_service_iter_new(&it, f->reg, f->female_group, 0));
	assert_ok(youth_business_service_next(&r, it));
	assert_int_equal(r->plan_id, fplan);
	assert_ok(youth_business_service_next(&r, it));
	assert_int_equal(r->group_id, f->female_group);
	assert_int_equal(youth_business_service_next(&r, it), YOUTH_ITEROVER);
	assert_int_equal(youth_business_service_next(&r, it), YOUTH_ITEROVER);
	youth_business_service_iter_free(it);
	assert_ok(youth_business_service_iter_new(&it, f->reg, 0, wplan));
	assert_ok(youth_business_service_next(&r, it));
	assert_int_equal(r->kind, YOUTH_BUSINESS_SERVICE_TRAINING);
	assert_int_equal(youth_business_service_next(&r, it), YOUTH_ITEROVER);
	youth_business_service_iter_free(it);
	assert_int_equal(count_business_service(f->reg), 3);
	assert_rc(youth_business_service_iter_new(&it, f->reg, 0, -1), YOUTH_EINVAL);
	assert_rc(youth_business_service_get(&got, f->reg, 9999), YOUTH_ENOTFOUND);
}

/* ---- counts ------------------------------------------------------------------------------ */

static void test_counts(void **state)
{
	fx *f = *state;
	int64_t n = -1;
	assert_ok(youth_plan_count(&n, f->reg, 0, 0));
	assert_int_equal(n, 0);
	assert_ok(youth_plan_count_persons(&n, f->reg, 0, 0));
	assert_int_equal(n, 0);

	reach(f, YOUTH_PLAN_DRAFT);     /* man */
	reach(f, YOUTH_PLAN_FUNDED);    /* man */
	reach(f, YOUTH_PLAN_OPERATING); /* man */
	int64_t fg = add_plan(f, YOUTH_WINDOW_FEMALE, 0, f->female_group); /* woman, woman2 */
	add_plan(f, YOUTH_WINDOW_FEMALE, f->woman, 0);
	assert_ok(youth_plan_count(&n, f->reg, 0, 0));
	assert_int_equal(n, 5);
	assert_ok(youth_plan_count(&n, f->reg, YOUTH_WINDOW_YOUTH_SEED, 0));
	assert_int_equal(n, 3);
	assert_ok(youth_plan_count(&n, f->reg, YOUTH_WINDOW_FEMALE, YOUTH_PLAN_DRAFT));
	assert_int_equal(n, 2);
	assert_ok(youth_plan_count(&n, f->reg, 0, YOUTH_PLAN_FUNDED));
	assert_int_equal(n, 1);
	assert_ok(youth_plan_count(&n, f->reg, 0, YOUTH_PLAN_CLOSED));
	assert_int_equal(n, 0);

	/* distinct persons: the man (3 plans) once; woman in the group and alone once */
	assert_ok(youth_plan_count_persons(&n, f->reg, 0, 0));
	assert_int_equal(n, 3);
	assert_ok(youth_plan_count_persons(&n, f->reg, YOUTH_WINDOW_FEMALE, 0));
	assert_int_equal(n, 2);
	assert_ok(youth_plan_count_persons(&n, f->reg, 0, 1));
	assert_int_equal(n, 1); /* only the man's plans received money */
	/* fund the women's group plan: its members are reached */
	assert_ok(youth_plan_submit(f->reg, fg, SUBMITTED, NULL));
	assert_ok(youth_plan_appraise(f->reg, fg, APPRAISED));
	assert_ok(youth_plan_approve(f->reg, fg, APPROVED, 50000));
	assert_ok(disburse(f, fg, 50000, FUNDED, "FG-1"));
	assert_ok(youth_plan_count_persons(&n, f->reg, YOUTH_WINDOW_FEMALE, 1));
	assert_int_equal(n, 2);
	assert_ok(youth_plan_count_persons(&n, f->reg, 0, 1));
	assert_int_equal(n, 3);
	assert_ok(youth_plan_count_persons(&n, f->reg, YOUTH_WINDOW_YOUTH_SEED, 1));
	assert_int_equal(n, 1);

	assert_rc(youth_plan_count(&n, f->reg, 3, 0), YOUTH_EINVAL);
	assert_err_field("window");
	assert_rc(youth_plan_count(&n, f->reg, 0, 9), YOUTH_EINVAL);
	assert_err_field("state");
	assert_rc(youth_plan_count(NULL, f->reg, 0, 0), YOUTH_EINVAL);
	assert_rc(youth_plan_count(&n, NULL, 0, 0), YOUTH_EINVAL);
	assert_rc(youth_plan_count_persons(&n, f->reg, 0, 2), YOUTH_EINVAL);
	assert_err_field("funded_only");
	assert_rc(youth_plan_count_persons(&n, f->reg, -1, 0), YOUTH_EINVAL);
	assert_rc(youth_plan_count_persons(NULL, f->reg, 0, 0), YOUTH_EINVAL);
}

/* ---- text interface ---------------------------------------------------------------------- */

static void test_fields(void **state)
{
	fx *f = *state;
	youth_plan p;
	youth_plan_init(&p);
	assert_ok(youth_plan_set_field(&p, "window", "female_window"));
	assert_int_equal(p.window, YOUTH_WINDOW_FEMALE);
	assert_rc(youth_plan_set_field(&p, "window", "seed"), YOUTH_EINVAL);
	assert_ok(youth_plan_set_field(&p, "requested", "125.50"));
	assert_int_equal(p.requested, 12550);
	assert_ok(youth_plan_set_field(&p, "requested", "7"));
	assert_int_equal(p.requested, 700);
	assert_rc(youth_plan_set_field(&p, "requested", "-1.00"), YOUTH_EINVAL);
	assert_msg_has("negative");
	assert_rc(youth_plan_set_field(&p, "requested", "12.345"), YOUTH_EINVAL);
	assert_rc(youth_plan_set_field(&p, "requested", "1,5"), YOUTH_EINVAL);
	assert_rc(youth_plan_set_field(&p, "requested", "abc"), YOUTH_EINVAL);
	assert_int_equal(p.requested, 700);
	assert_rc(youth_plan_set_field(&p, "approved", "5.00"), YOUTH_EINVAL);
	assert_rc(youth_plan_set_field(&p, "state", "approved"), YOUTH_EINVAL);
	assert_rc(youth_plan_set_field(&p, "exchange_id", "1"), YOUTH_EINVAL);
	assert_rc(youth_plan_set_field(&p, "nonsense", "1"), YOUTH_EINVAL);
	assert_ok(youth_plan_set_field(&p, "person_id", "3"));
	assert_int_equal(p.person_id, 3);

	/* a plan built from text, stored and read back as text */
	char pid[32], opid[32];
	snprintf(pid, sizeof pid, "%lld", (long long)f->woman);
	snprintf(opid, sizeof opid, "%lld", (long long)f->operator_id);
	youth_plan_init(&p);
	static const char *kv[][2] = {{"window", "female_window"}, {"title", "Pupusería"},
	                              {"sector", "food"},          {"description", "Pupusas"},
	                              {"requested", "350.75"},     {"drafted_date", DRAFTED}};
	for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
		assert_ok(youth_plan_set_field(&p, kv[i][0], kv[i][1]));
	assert_ok(youth_plan_set_field(&p, "person_id", pid));
	assert_ok(youth_plan_set_field(&p, "operator_id", opid));
	assert_ok(youth_plan_add(f->reg, &p));
	youth_plan *got = get_plan(f, p.id);
	char buf[64];
	const char *out;
	assert_ok(youth_plan_get_field(&out, got, "requested", buf, sizeof buf));
	assert_string_equal(out, "350.75");
	assert_ok(youth_plan_get_field(&out, got, "approved", buf, sizeof buf));
	assert_string_equal(out, "0.00");
	assert_ok(youth_plan_get_field(&out, got, "state", buf, sizeof buf));
	assert_string_equal(out, "draft");
	assert_ok(youth_plan_get_field(&out, got, "window", buf, sizeof buf));
	assert_string_equal(out, "female_window");
	assert_ok(youth_plan_get_field(&out, got, "group_id", buf, sizeof buf));
	assert_null(out);
	assert_rc(youth_plan_get_field(&out, got, "bogus", buf, sizeof buf), YOUTH_EINVAL);
	youth_plan_free(got);

	/* field names of every kind, in order, ending with NULL */
	assert_string_equal(youth_plan_field_name(0), "id");
	assert_string_equal(youth_plan_field_name(1), "uuid");
	assert_string_equal(youth_plan_field_name(2), "window");
	assert_string_equal(youth_plan_field_name(16), "exchange_id");
	assert_null(youth_plan_field_name(17));
	assert_string_equal(youth_group_field_name(3), "window");
	assert_null(youth_group_field_name(8));
	assert_string_equal(youth_group_member_field_name(4), "joined_date");
	assert_null(youth_group_member_field_name(7));
	assert_string_equal(youth_plan_disbursement_field_name(3), "amount");
	assert_null(youth_plan_disbursement_field_name(8));
	assert_string_equal(youth_plan_visit_field_name(6), "monthly_sales");
	assert_null(youth_plan_visit_field_name(10));
	assert_string_equal(youth_business_service_field_name(4), "kind");
	assert_null(youth_business_service_field_name(11));

	/* other kinds through text */
	youth_group g;
	youth_group_init(&g);
	assert_ok(youth_group_set_field(&g, "window", "youth_seed"));
	assert_ok(youth_group_set_field(&g, "women_only", "true"));
	assert_int_equal(g.women_only, 1);
	assert_rc(youth_group_set_field(&g, "exchange_id", "1"), YOUTH_EINVAL);
	assert_ok(youth_group_get_field(&out, &g, "window", buf, sizeof buf));
	assert_string_equal(out, "youth_seed");
	youth_group_member m;
	youth_group_member_init(&m);
	assert_ok(youth_group_member_set_field(&m, "person_id", "12"));
	assert_int_equal(m.person_id, 12);
	assert_ok(youth_group_member_get_field(&out, &m, "person_id", buf, sizeof buf));
	assert_string_equal(out, "12");
	youth_plan_disbursement d;
	youth_plan_disbursement_init(&d);
	assert_ok(youth_plan_disbursement_set_field(&d, "amount", "0.05"));
	assert_int_equal(d.amount, 5);
	assert_rc(youth_plan_disbursement_set_field(&d, "amount", "-3"), YOUTH_EINVAL);
	assert_ok(youth_plan_disbursement_get_field(&out, &d, "amount", buf, sizeof buf));
	assert_string_equal(out, "0.05");
	youth_plan_visit v;
	youth_plan_visit_init(&v);
	assert_ok(youth_plan_visit_set_field(&v, "operating", "true"));
	assert_int_equal(v.operating, 1);
	assert_ok(youth_plan_visit_set_field(&v, "monthly_sales", "1200"));
	assert_int_equal(v.monthly_sales, 120000);
	assert_rc(youth_plan_visit_set_field(&v, "jobs_created", "many"), YOUTH_EINVAL);
	youth_business_service s;
	youth_business_service_init(&s);
	assert_ok(youth_business_service_set_field(&s, "kind", "market_access"));
	assert_int_equal(s.kind, YOUTH_BUSINESS_SERVICE_MARKET_ACCESS);
	assert_rc(youth_business_service_set_field(&s, "kind", "coaching"), YOUTH_EINVAL);
	assert_ok(youth_business_service_get_field(&out, &s, "kind", buf, sizeof buf));
	assert_string_equal(out, "market_access");

	/* vocabularies */
	assert_string_equal(youth_window_name(YOUTH_WINDOW_YOUTH_SEED), "youth_seed");
	assert_string_equal(youth_window_name(YOUTH_WINDOW_FEMALE), "female_window");
	assert_null(youth_window_name(0));
	assert_null(youth_window_name(3));
	static const char *states[] = {NULL,       "draft",  "submitted", "appraised", "approved",
	                               "rejected", "funded", "operating", "closed"};
	for (int i = 1; i <= 8; i++)
		assert_string_equal(youth_plan_state_name(i), states[i]);
	assert_null(youth_plan_state_name(0));
	assert_null(youth_plan_state_name(9));
	assert_null(youth_plan_state_name(-1));
	assert_string_equal(youth_business_service_kind_name(YOUTH_BUSINESS_SERVICE_MENTORING),
	                    "mentoring");
	assert_string_equal(youth_business_service_kind_name(YOUTH_BUSINESS_SERVICE_TRAINING),
	                    "training");
	assert_string_equal(youth_business_service_kind_name(YOUTH_BUSINESS_SERVICE_MARKET_ACCESS),
	                    "market_access");
	assert_null(youth_business_service_kind_name(4));
	youth_plan_init(NULL);
	youth_group_init(NULL);
}

static void test_out_of_memory(void **state)
{
	fx *f = *state;
	long failures;
	youth_group g;
	valid_group(f, &g, YOUTH_WINDOW_FEMALE);
	OOM_LOOP(f, youth_group_add(f->reg, &g), failures);
	youth_group_member m;
	valid_member(f, &m, g.id, f->woman2);
	OOM_LOOP(f, youth_group_member_add(f->reg, &m), failures);
	youth_plan p;
	valid_plan(f, &p, YOUTH_WINDOW_FEMALE, 0, g.id);
	OOM_LOOP(f, youth_plan_add(f->reg, &p), failures);
	OOM_LOOP(f, youth_plan_submit(f->reg, p.id, SUBMITTED, NULL), failures);
	assert_true(failures > 0); /* the members are read into a buffer */
	OOM_LOOP(f, youth_plan_appraise(f->reg, p.id, APPRAISED), failures);
	OOM_LOOP(f, youth_plan_approve(f->reg, p.id, APPROVED, 100000), failures);
	youth_plan_disbursement d;
	valid_disb(f, &d, p.id, 100, FUNDED, "OOM-1");
	OOM_LOOP(f, youth_plan_disbursement_add(f->reg, &d), failures);
	assert_int_equal(plan_state(f, p.id), YOUTH_PLAN_FUNDED);
	youth_plan_visit v;
	valid_visit(f, &v, p.id, OPERATING, 1);
	OOM_LOOP(f, youth_plan_visit_add(f->reg, &v), failures);
	assert_int_equal(plan_state(f, p.id), YOUTH_PLAN_OPERATING);
	youth_business_service s;
	valid_business_service(f, &s, 0, p.id);
	OOM_LOOP(f, youth_business_service_add(f->reg, &s), failures);

	/* reads: a failed allocation returns no record and leaks nothing */
	youth_plan *got = NULL;
	OOM_LOOP(f, youth_plan_get(&got, f->reg, p.id), failures);
	assert_true(failures > 0);
	assert_int_equal(got->state, YOUTH_PLAN_OPERATING);
	youth_plan_free(got);
	youth_business_service_iter *it = NULL;
	OOM_LOOP(f, youth_business_service_iter_new(&it, f->reg, g.id, 0), failures);
	assert_true(failures > 0);
	const youth_business_service *r = NULL;
	th_alloc_state st;
	th_alloc_install(&st, 1, 1); /* the row buffer cannot grow */
	int rc = youth_business_service_next(&r, it);
	th_alloc_restore();
	assert_rc(rc, YOUTH_ENOMEM);
	assert_null(r);
	youth_business_service_iter_free(it);
}

/* Inside a caller's transaction a refused call undoes only itself. */
static void test_in_transaction(void **state)
{
	fx *f = *state;
	assert_ok(youth_registry_begin(f->reg));
	int64_t id = reach(f, YOUTH_PLAN_APPROVED);
	assert_rc(disburse(f, id, 80001, FUNDED, "TX-1"), YOUTH_ERULE);
	assert_ok(disburse(f, id, 80000, FUNDED, "TX-1"));
	assert_ok(youth_registry_commit(f->reg));
	assert_int_equal(plan_state(f, id), YOUTH_PLAN_FUNDED);
	assert_ok(youth_registry_begin(f->reg));
	assert_ok(youth_plan_set_operating(f->reg, id, LATER));
	assert_ok(youth_registry_rollback(f->reg));
	assert_int_equal(plan_state(f, id), YOUTH_PLAN_FUNDED);
}

int main(void)
{
	static th_suite in_memory = {sizeof(fx), populate, tally, 0};
	static th_suite in_file = {sizeof(fx), populate, tally, 1};
#define T(t) TH_FX_TEST(t, &in_memory)
	const struct CMUnitTest tests[] = {
		T(test_group_add_get),
		T(test_group_invalid),
		T(test_members),
		T(test_member_remove),
		T(test_plan_add_get),
		T(test_plan_add_invalid),
		T(test_plan_update),
		T(test_state_table),
		T(test_transition_errors),
		TH_FX_TEST(test_submit_eligibility, &in_file),
		T(test_disbursements),
		T(test_visits),
		T(test_business_service),
		T(test_counts),
		T(test_fields),
		T(test_out_of_memory),
		T(test_in_transaction),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
