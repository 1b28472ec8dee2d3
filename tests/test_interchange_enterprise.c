/* Tests of the interchange sections of the enterprise area (groups, group_members, plans,
 * plan_disbursements, plan_visits, business_services): a registry holding every plan state,
 * an eligibility override, optional fields unset, exported, imported into an empty registry
 * and exported again gives the same bytes; bad references, records contradicting their state,
 * duplicates, upsert counts and keep-going rejects; and the sample registry's round trip. */
#define _GNU_SOURCE
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "../examples/sample/services.h"

#define UUID_NONE "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"

/* ---- fixture ------------------------------------------------------------------------------ */

typedef struct fx {
	youth_registry *reg;
	int64_t exchange, op, op2;
	int64_t woman, woman2, man, elder;
	int64_t seed_group, female_group, empty_group;
	int64_t plans[16];
	int n_plans;
} fx;


/* Places, the exchange, the operators and the programme: what other sections carry.  The
 * places come from @places_from's export (same UUIDs), else from the sample gazetteer. */
static youth_registry *base_registry(const char *op_uuid, const char *op2_uuid, fx *f,
                                     youth_registry *places_from)
{
	youth_registry *reg;
	if (places_from) {
		th_text t = {0};
		youth_export_options o;
		youth_export_options_init(&o);
		o.kinds = YOUTH_KIND_GAZETTEER;
		assert_ok(youth_export_write(NULL, places_from, th_text_write, &t, &o));
		assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
		assert_ok(youth_import_buffer(NULL, reg, t.data, t.len, "places.yaml", NULL));
		free(t.data);
	} else {
		reg = th_open_memory_gazetteer();
	}
	youth_exchange x;
	youth_exchange_init(&x);
	snprintf(x.uuid, sizeof x.uuid, "%s", "0190a1b2-c3d4-7e5f-8a9b-000000000001");
	x.code = "SON-01";
	x.name = "Bolsa de empleo de Sonsonate";
	x.place = "sonsonate/sonsonate-centro/sonsonate";
	assert_ok(youth_exchange_add(reg, &x));
	youth_operator o;
	youth_operator_init(&o);
	snprintf(o.uuid, sizeof o.uuid, "%s", op_uuid);
	o.exchange_id = x.id;
	o.given_names = "Marta";
	o.first_surname = "Ramírez";
	o.role = YOUTH_ROLE_PLACEMENT;
	assert_ok(youth_operator_add(reg, &o));
	int64_t op = o.id;
	youth_operator_init(&o);
	snprintf(o.uuid, sizeof o.uuid, "%s", op2_uuid);
	o.exchange_id = x.id;
	o.given_names = "Luis";
	o.first_surname = "Castro";
	o.role = YOUTH_ROLE_COUNSELLOR;
	assert_ok(youth_operator_add(reg, &o));
	youth_programme pr;
	youth_programme_init(&pr);
	pr.code = YOUTH_PROGRAMME_SEED_CAPITAL;
	pr.title = "Seed capital";
	pr.age_min = 16;
	pr.age_max = 24;
	assert_ok(youth_programme_put(reg, &pr));
	if (f) {
		f->exchange = x.id;
		f->op = op;
		f->op2 = o.id;
	}
	return reg;
}

#define OP_UUID "0190a1b2-c3d4-7e5f-8a9b-0000000000a1"
#define OP2_UUID "0190a1b2-c3d4-7e5f-8a9b-0000000000a2"

static int64_t person(fx *f, int sex, const char *birth, const char *dui)
{
	youth_person p;
	th_person_valid(&p);
	p.sex = sex;
	p.birth_date = birth;
	p.national_id = dui;
	assert_ok(youth_person_add(f->reg, &p, 0));
	return p.id;
}

static int64_t group(fx *f, int window, const char *name, int women_only)
{
	youth_group g;
	youth_group_init(&g);
	g.name = name;
	g.window = window;
	g.women_only = women_only;
	g.operator_id = f->op;
	g.formed_date = "2009-02-01";
	assert_ok(youth_group_add(f->reg, &g));
	return g.id;
}

static void member(fx *f, int64_t g, int64_t p, const char *date)
{
	youth_group_member m;
	youth_group_member_init(&m);
	m.group_id = g;
	m.person_id = p;
	m.joined_date = date;
	m.operator_id = f->op2;
	assert_ok(youth_group_member_add(f->reg, &m));
}

static int64_t plan(fx *f, int window, int64_t p, int64_t g, const char *title)
{
	youth_plan pl;
	youth_plan_init(&pl);
	pl.window = window;
	pl.person_id = p;
	pl.group_id = g;
	pl.title = title;
	pl.sector = "food";
	pl.description = "Venta de pupusas: \"la mejor\" de Sonzacate";
	pl.requested = 150050;
	pl.drafted_date = "2009-03-01";
	pl.operator_id = f->op;
	assert_ok(youth_plan_add(f->reg, &pl));
	f->plans[f->n_plans++] = pl.id;
	return pl.id;
}

static void approved(fx *f, int64_t id, int64_t amount)
{
	assert_ok(youth_plan_submit(f->reg, id, "2009-03-05", NULL));
	assert_ok(youth_plan_appraise(f->reg, id, "2009-03-10"));
	assert_ok(youth_plan_approve(f->reg, id, "2009-03-15", amount));
}

static void pay(fx *f, int64_t id, int64_t amount, const char *date, const char *ref)
{
	youth_plan_disbursement d;
	youth_plan_disbursement_init(&d);
	d.plan_id = id;
	d.amount = amount;
	d.date = date;
	d.reference = ref;
	d.operator_id = f->op2;
	assert_ok(youth_plan_disbursement_add(f->reg, &d));
}

static void visit(fx *f, int64_t id, const char *date, int operating, const char *notes)
{
	youth_plan_visit v;
	youth_plan_visit_init(&v);
	v.plan_id = id;
	v.date = date;
	v.operating = operating;
	v.jobs_created = operating ? 2 : 0;
	v.monthly_sales = operating ? 45075 : 0;
	v.notes = notes;
	v.operator_id = f->op;
	assert_ok(youth_plan_visit_add(f->reg, &v));
}

static void service(fx *f, int64_t g, int64_t p, int kind, const char *notes)
{
	youth_business_service s;
	youth_business_service_init(&s);
	s.group_id = g;
	s.plan_id = p;
	s.kind = kind;
	s.date = "2009-04-02";
	s.hours = 12;
	s.provider = "CONAMYPE Sonsonate";
	s.notes = notes;
	s.operator_id = f->op2;
	assert_ok(youth_business_service_add(f->reg, &s));
}

/* Every plan state, reached every way the API allows. */
static void populate(fx *f)
{
	f->woman = person(f, YOUTH_SEX_FEMALE, "1990-05-14", "04567891-1");
	f->woman2 = person(f, YOUTH_SEX_FEMALE, "1988-01-10", NULL);
	f->man = person(f, YOUTH_SEX_MALE, "1990-07-01", NULL);
	f->elder = person(f, YOUTH_SEX_MALE, "1981-01-01", NULL); /* 28: above seed capital's 24 */
	f->seed_group = group(f, YOUTH_WINDOW_YOUTH_SEED, "Jóvenes panaderos", 0);
	f->female_group = group(f, YOUTH_WINDOW_FEMALE, "Mujeres: emprendedoras #1", 0);
	f->empty_group = group(f, YOUTH_WINDOW_YOUTH_SEED, "yes", 1);
	member(f, f->seed_group, f->woman, "2009-02-01");
	member(f, f->seed_group, f->man, "2009-02-10");
	member(f, f->female_group, f->woman, "2009-02-01");
	member(f, f->female_group, f->woman2, "2009-02-03");

	int64_t p;
	plan(f, YOUTH_WINDOW_YOUTH_SEED, f->woman, 0, "draft");
	plan(f, YOUTH_WINDOW_YOUTH_SEED, 0, f->empty_group, "draft of an empty group");
	p = plan(f, YOUTH_WINDOW_YOUTH_SEED, f->man, 0, "submitted");
	assert_ok(youth_plan_submit(f->reg, p, "2009-03-07", NULL));
	p = plan(f, YOUTH_WINDOW_YOUTH_SEED, f->man, 0, "appraised");
	assert_ok(youth_plan_submit(f->reg, p, "2009-03-05", NULL));
	assert_ok(youth_plan_appraise(f->reg, p, "2009-03-12"));
	p = plan(f, YOUTH_WINDOW_YOUTH_SEED, f->woman, 0, "approved");
	approved(f, p, 100000);
	p = plan(f, YOUTH_WINDOW_YOUTH_SEED, f->man, 0, "rejected");
	assert_ok(youth_plan_submit(f->reg, p, "2009-03-05", NULL));
	assert_ok(youth_plan_appraise(f->reg, p, "2009-03-10"));
	assert_ok(youth_plan_reject(f->reg, p, "2009-03-20", "Mercado saturado"));
	p = plan(f, YOUTH_WINDOW_YOUTH_SEED, 0, f->seed_group, "funded");
	approved(f, p, 150050);
	pay(f, p, 50000, "2009-03-20", "TR-1");
	pay(f, p, 25, "2009-03-25", "TR-2");
	visit(f, p, "2009-04-01", 0, NULL);
	p = plan(f, YOUTH_WINDOW_YOUTH_SEED, f->woman, 0, "operating by visit");
	approved(f, p, 90000);
	pay(f, p, 90000, "2009-03-20", "TR-3");
	visit(f, p, "2009-04-01", 0, "still building");
	visit(f, p, "2009-04-15", 1, NULL);
	visit(f, p, "2009-04-10", 1, "recorded late");
	p = plan(f, YOUTH_WINDOW_YOUTH_SEED, f->man, 0, "operating by decision");
	approved(f, p, 90000);
	pay(f, p, 40000, "2009-03-20", "TR-4");
	assert_ok(youth_plan_set_operating(f->reg, p, "2009-04-03"));
	visit(f, p, "2009-04-02", 1, NULL);
	p = plan(f, YOUTH_WINDOW_YOUTH_SEED, f->woman, 0, "closed from funded");
	approved(f, p, 90000);
	pay(f, p, 40000, "2009-03-20", "TR-5");
	pay(f, p, 40000, "2009-06-20", "TR-6");
	visit(f, p, "2009-07-01", 0, NULL);
	assert_ok(youth_plan_close(f->reg, p, "2009-05-01", "Cerró: la socia emigró"));
	visit(f, p, "2009-08-01", 1, "reopened informally");
	p = plan(f, YOUTH_WINDOW_YOUTH_SEED, f->man, 0, "closed from operating");
	approved(f, p, 90000);
	pay(f, p, 90000, "2009-03-20", "TR-7");
	visit(f, p, "2009-04-01", 1, NULL);
	assert_ok(youth_plan_close(f->reg, p, "2009-09-01", "Quiebra"));
	int64_t fp = plan(f, YOUTH_WINDOW_FEMALE, 0, f->female_group, "women's group plan");
	approved(f, fp, 120000);
	pay(f, fp, 120000, "2009-03-21", "TR-8");
	service(f, f->female_group, 0, YOUTH_BUSINESS_SERVICE_MENTORING, NULL);
	service(f, 0, fp, YOUTH_BUSINESS_SERVICE_MARKET_ACCESS, "Feria de Sonsonate");
	plan(f, YOUTH_WINDOW_FEMALE, f->woman2, 0, "female draft");

	/* An override: the elder is above the age limit. */
	p = plan(f, YOUTH_WINDOW_YOUTH_SEED, f->elder, 0, "override");
	youth_override ov = {f->op2, "Joven padre de familia, caso excepcional"};
	assert_rc(youth_plan_submit(f->reg, p, "2009-03-06", NULL), YOUTH_ERULE);
	assert_ok(youth_plan_submit(f->reg, p, "2009-03-06", &ov));
	assert_ok(youth_plan_appraise(f->reg, p, "2009-03-11"));
	assert_ok(youth_plan_approve(f->reg, p, "2009-03-16", 70000));
	youth_error_clear();
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->reg = base_registry(OP_UUID, OP2_UUID, f, NULL);
	populate(f);
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

/* ---- export to memory ---------------------------------------------------------------------- */

/* The file holds what the destination lacks: the exchanges, operators and rules of the base
 * registry are made there through the C API. */
#define ENT_KINDS (YOUTH_KIND_GAZETTEER | YOUTH_KIND_PERSONS | YOUTH_KIND_ENTERPRISE)

static th_text export_all(youth_registry *reg, unsigned kinds)
{
	th_text t = {0};
	youth_export_options o;
	youth_export_options_init(&o);
	o.kinds = kinds;
	o.flags = YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS; /* the whole records */
	assert_ok(youth_export_write(NULL, reg, th_text_write, &t, &o));
	return t;
}

static int64_t count(youth_registry *reg, const char *table)
{
	/* Through the API: plans by their count, groups by iterating. */
	int64_t n = 0;
	if (strcmp(table, "plans") == 0) {
		assert_ok(youth_plan_count(&n, reg, 0, 0));
	} else if (strcmp(table, "groups") == 0) {
		youth_group_iter *it;
		const youth_group *g;
		assert_ok(youth_group_iter_new(&it, reg, 0));
		while (youth_group_next(&g, it) == YOUTH_OK)
			n++;
		youth_group_iter_free(it);
	}
	return n;
}

/* ---- tests --------------------------------------------------------------------------------- */

static void test_round_trip(void **state)
{
	fx *f = *state;
	th_text a = export_all(f->reg, ENT_KINDS);
	/* every section and state is in the file */
	static const char *const want[] = {
		"groups:", "group_members:", "plans:", "plan_disbursements:", "plan_visits:",
		"business_services:", "state: draft", "state: submitted", "state: appraised",
		"state: approved", "state: rejected", "state: funded", "state: operating",
		"state: closed", "plan_state: closed", "plan_state: operating", "override_by: ",
		"override_reason: ", "submitted_date: ", "window: female_window", NULL};
	for (const char *const *w = want; *w; w++)
		if (!strstr(a.data, *w))
			fail_msg("export lacks \"%s\":\n%s", *w, a.data);

	youth_registry *dst = base_registry(OP_UUID, OP2_UUID, NULL, f->reg);
	youth_interchange_summary sum;
	assert_ok(th_import_text(dst, a.data, 0, &sum));
	assert_int_equal(sum.rejected, 0);
	th_text b = export_all(dst, ENT_KINDS);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
		fail_msg("round trip differs:\n--- first\n%s\n--- second\n%s", a.data, b.data);

	/* the override came back with its operator, reason and date */
	youth_override_iter *it;
	const youth_override_record *r;
	assert_ok(youth_override_iter_new(&it, dst, 0));
	assert_ok(youth_override_next(&r, it));
	assert_string_equal(r->service, "plan");
	assert_string_equal(r->rule, "age_max");
	assert_string_equal(r->date, "2009-03-06");
	assert_string_equal(r->reason, "Joven padre de familia, caso excepcional");
	assert_rc(youth_override_next(&r, it), YOUTH_ITEROVER);
	youth_override_iter_free(it);

	/* a second import is a conflict; with upsert everything is unchanged */
	assert_rc(th_import_text(dst, a.data, 0, NULL), YOUTH_EEXISTS);
	assert_ok(th_import_text(dst, a.data, YOUTH_IMPORT_UPSERT, &sum));
	assert_int_equal(sum.imported, 0);
	assert_int_equal(sum.updated, 0);
	assert_int_equal(sum.unchanged, sum.records);
	th_text c = export_all(dst, ENT_KINDS);
	assert_true(c.len == a.len && memcmp(a.data, c.data, a.len) == 0);
	free(a.data);
	free(b.data);
	free(c.data);
	youth_registry_close(dst);
}

/* The file names the person by national ID instead of UUID: accepted. */
static void test_natural_key(void **state)
{
	fx *f = *state;
	youth_registry *dst = base_registry(OP_UUID, OP2_UUID, NULL, f->reg);
	th_text a = export_all(f->reg, YOUTH_KIND_GAZETTEER | YOUTH_KIND_PERSONS);
	assert_ok(th_import_text(dst, a.data, 0, NULL));
	char buf[1024];
	snprintf(buf, sizeof buf,
	         "format: libyouth/1\n"
	         "plans:\n"
	         "  - window: youth_seed\n    person: 04567891-1\n    title: Panadería\n"
	         "    sector: food\n    description: Pan dulce\n    requested: \"100.00\"\n"
	         "    drafted_date: 2009-03-01\n    operator: %s\n"
	         "end:\n  records: 1\n", OP_UUID);
	assert_ok(th_import_text(dst, buf, 0, NULL));
	assert_int_equal(count(dst, "plans"), 1);
	free(a.data);
	youth_registry_close(dst);
}

static void test_unknown_ref(void **state)
{
	(void)state;
	youth_registry *dst = base_registry(OP_UUID, OP2_UUID, NULL, NULL);
	const char *doc = "format: libyouth/1\n"
	                  "groups:\n"
	                  "  - name: Panaderas\n"
	                  "    window: youth_seed\n"
	                  "    women_only: false\n"
	                  "    operator: " UUID_NONE "\n"
	                  "    formed_date: 2009-02-01\n"
	                  "end:\n  records: 1\n";
	assert_rc(th_import_text(dst, doc, 0, NULL), YOUTH_ENOTFOUND);
	assert_msg_has("operator");
	assert_msg_has(UUID_NONE);
	assert_msg_has("test.yaml:6:");
	assert_int_equal(count(dst, "groups"), 0);
	youth_registry_close(dst);
}

/* Records whose data contradicts their state: refused, nothing written. */
static void test_contradictions(void **state)
{
	(void)state;
	youth_registry *dst = base_registry(OP_UUID, OP2_UUID, NULL, NULL);
	youth_registry *src = th_open_memory_gazetteer();
	/* the person, through a persons section */
	youth_person p;
	th_person_valid(&p);
	p.birth_date = "1990-05-14"; /* 18: old enough for a DUI */
	p.national_id = "04567891-1";
	assert_ok(youth_person_add(src, &p, 0));
	th_text persons = export_all(src, YOUTH_KIND_PERSONS);
	assert_ok(th_import_text(dst, persons.data, 0, NULL));

	static const struct {
		const char *state_keys;
		int rc;
		const char *field;
	} cases[] = {
		/* approved without its amount */
		{"    state: approved\n    state_date: 2009-03-15\n    approved_date: 2009-03-15\n",
		 YOUTH_EINVAL, "approved"},
		/* a draft with a reason */
		{"    state: draft\n    reason: nope\n", YOUTH_EINVAL, "reason"},
		/* approved above the request: the replayed approval refuses it */
		{"    state: approved\n    state_date: 2009-03-15\n    approved: \"900.00\"\n"
		 "    approved_date: 2009-03-15\n", YOUTH_ERULE, "approved"},
		/* state date of a submitted plan before its draft */
		{"    state: submitted\n    state_date: 2009-02-01\n", YOUTH_EINVAL, "state_date"},
		/* a state date that the history does not give */
		{"    state: approved\n    state_date: 2009-03-17\n    approved: \"90.00\"\n"
		 "    approved_date: 2009-03-15\n", YOUTH_EINVAL, "state_date"},
		{"    state: finished\n", YOUTH_EINVAL, "state"},
		{"    state: submitted\n    state_date: 2009-03-15\n    override_by: " OP2_UUID "\n",
		 YOUTH_EINVAL, "override_reason"},
		{"    state: submitted\n    state_date: 2009-03-15\n    override_by: " UUID_NONE "\n"
		 "    override_reason: x\n", YOUTH_ENOTFOUND, "override_by"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char doc[2048];
		snprintf(doc, sizeof doc,
		         "format: libyouth/1\n"
		         "plans:\n"
		         "  - window: youth_seed\n    person: %s\n    title: Panadería\n"
		         "    sector: food\n    description: Pan dulce\n    requested: \"100.00\"\n"
		         "    drafted_date: 2009-03-01\n    operator: %s\n%s"
		         "end:\n  records: 1\n", p.uuid, OP_UUID, cases[i].state_keys);
		int rc = th_import_text(dst, doc, 0, NULL);
		if (rc != cases[i].rc)
			fail_msg("case %zu: rc %d, wanted %d: %s", i, rc, cases[i].rc,
			         youth_error_last()->message);
		char key[64];
		snprintf(key, sizeof key, ": %s", cases[i].field);
		assert_msg_has(key);
		assert_int_equal(count(dst, "plans"), 0);
	}
	youth_error_clear();
	free(persons.data);
	youth_registry_close(src);
	youth_registry_close(dst);
}

/* Upsert: a draft edited in the source updates the copy; a plan that moved on is moved on;
 * a disbursement carrying the closure closes the plan. */
static void test_upsert(void **state)
{
	fx *f = *state;
	th_text a = export_all(f->reg, ENT_KINDS);
	youth_registry *dst = base_registry(OP_UUID, OP2_UUID, NULL, f->reg);
	assert_ok(th_import_text(dst, a.data, 0, NULL));

	youth_plan *pl;
	assert_ok(youth_plan_get(&pl, f->reg, f->plans[0]));
	pl->title = "draft, corrected";
	assert_ok(youth_plan_update(f->reg, pl));
	youth_plan_free(pl);
	/* the approved plan gets paid and closed */
	int64_t ap = f->plans[4];
	pay(f, ap, 100000, "2009-04-01", "TR-9");
	assert_ok(youth_plan_close(f->reg, ap, "2009-05-02", "Fin"));
	/* the appraised plan is approved */
	assert_ok(youth_plan_approve(f->reg, f->plans[3], "2009-03-20", 1000));
	th_text b = export_all(f->reg, ENT_KINDS);

	youth_interchange_summary sum;
	assert_ok(th_import_text(dst, b.data, YOUTH_IMPORT_UPSERT, &sum));
	assert_int_equal(sum.imported, 1); /* the payment */
	assert_int_equal(sum.updated, 2);  /* the edited draft, the approved plan */
	assert_int_equal(sum.unchanged, sum.records - 3);
	th_text c = export_all(dst, ENT_KINDS);
	if (b.len != c.len || memcmp(b.data, c.data, b.len) != 0)
		fail_msg("upsert differs:\n--- source\n%s\n--- copy\n%s", b.data, c.data);

	/* a plan cannot be taken back: the older file conflicts */
	assert_rc(th_import_text(dst, a.data, YOUTH_IMPORT_UPSERT, NULL), YOUTH_EEXISTS);
	th_text d = export_all(dst, ENT_KINDS);
	assert_true(d.len == c.len && memcmp(d.data, c.data, c.len) == 0);
	free(a.data);
	free(b.data);
	free(c.data);
	free(d.data);
	youth_registry_close(dst);
}

static void test_keep_going(void **state)
{
	fx *f = *state;
	youth_registry *dst = base_registry(OP_UUID, OP2_UUID, NULL, f->reg);
	th_text a = export_all(f->reg, YOUTH_KIND_GAZETTEER | YOUTH_KIND_PERSONS);
	assert_ok(th_import_text(dst, a.data, 0, NULL));
	youth_person *w;
	assert_ok(youth_person_get(&w, f->reg, f->woman));
	char doc[4096];
	snprintf(doc, sizeof doc,
	         "format: libyouth/1\n"
	         "groups:\n"
	         "  - name: Buenas\n    window: female_window\n    operator: %s\n"
	         "    formed_date: 2009-02-01\n"
	         "  - name: Malas\n    window: female_window\n    operator: %s\n"
	         "    formed_date: 2999-02-01\n"
	         "plans:\n"
	         "  - window: youth_seed\n    person: %s\n    title: Bien\n"
	         "    sector: food\n    description: x\n    requested: \"100.00\"\n"
	         "    drafted_date: 2009-03-01\n    operator: %s\n"
	         "    state: submitted\n    state_date: 2009-03-02\n"
	         "  - window: youth_seed\n    person: %s\n    title: Mal\n"
	         "    sector: food\n    description: x\n    requested: \"100.00\"\n"
	         "    drafted_date: 2009-03-01\n    operator: %s\n"
	         "    state: funded\n    state_date: 2009-03-02\n"
	         "end:\n  records: 4\n",
	         OP_UUID, OP_UUID, w->uuid, OP_UUID, w->uuid, OP_UUID);
	youth_person_free(w);
	youth_interchange_summary sum;
	char *rej = th_import_rejects(dst, doc, strlen(doc), "k.yaml", &sum);
	assert_int_equal(sum.imported, 2);
	assert_int_equal(sum.rejected, 2);
	assert_non_null(strstr(rej, "formed_date"));
	assert_non_null(strstr(rej, "approved: missing"));
	assert_int_equal(count(dst, "groups"), 1);
	assert_int_equal(count(dst, "plans"), 1);
	free(rej);
	free(a.data);
	youth_registry_close(dst);
}

/* A disbursement's plan keys must hang together. */
static void test_disbursement_keys(void **state)
{
	fx *f = *state;
	th_text a = export_all(f->reg, ENT_KINDS);
	/* drop the date of the closure of the first closed plan */
	char *at = strstr(a.data, "plan_state: closed\n");
	assert_non_null(at);
	char *date = strstr(at, "    plan_state_date: ");
	assert_non_null(date);
	char *eol = strchr(date, '\n');
	memmove(date, eol + 1, strlen(eol + 1) + 1);
	youth_registry *dst = base_registry(OP_UUID, OP2_UUID, NULL, f->reg);
	assert_rc(th_import_text(dst, a.data, 0, NULL), YOUTH_EINVAL);
	assert_msg_has("plan_state_date: missing");
	assert_int_equal(count(dst, "plans"), 0);
	free(a.data);
	youth_registry_close(dst);
}

/* Place and date selection: plans go with their persons, payments with their plans. */
static void test_selection(void **state)
{
	fx *f = *state;
	th_text t = {0};
	youth_export_options o;
	youth_export_options_init(&o);
	o.from = "2010-01-01";
	assert_ok(youth_export_write(NULL, f->reg, th_text_write, &t, &o));
	assert_null(strstr(t.data, "plans:"));
	assert_null(strstr(t.data, "plan_disbursements:"));
	assert_null(strstr(t.data, "group_members:"));
	assert_non_null(strstr(t.data, "groups:")); /* groups go out whole */
	free(t.data);
	/* a selection import: the registry gets only what was selected, and reads back */
	t = (th_text){0};
	o.from = NULL;
	o.place = "sonsonate/sonsonate-oeste";
	assert_ok(youth_export_write(NULL, f->reg, th_text_write, &t, &o));
	/* nobody lives there: only the plan of the group without members goes out */
	assert_non_null(strstr(t.data, "title: draft of an empty group"));
	assert_null(strstr(t.data, "title: approved"));
	assert_null(strstr(t.data, "title: women's group plan"));
	assert_null(strstr(t.data, "plan_disbursements:"));
	free(t.data);
}

/* The sample registry's enterprise sections survive the round trip. */
static void test_sample(void **state)
{
	(void)state;
	youth_registry *src = NULL;
	assert_ok(youth_registry_open(&src, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, src, YOUTH_EXAMPLE_DATA "/gazetteer.yaml"));
	assert_ok(youth_census_load(NULL, src, YOUTH_EXAMPLE_DATA "/census.yaml", 0));
	assert_ok(sample_services(src, YOUTH_EXAMPLE_DATA "/rules.yaml", NULL));
	unsigned kinds = YOUTH_KIND_GAZETTEER | YOUTH_KIND_PERSONS | YOUTH_KIND_ENTERPRISE;
	th_text a = export_all(src, kinds);

	/* The destination: places and persons from the file, then the exchanges, operators and
	 * rules through the API (their sections are not in this test's area), then the rest. */
	th_text people = export_all(src, YOUTH_KIND_GAZETTEER | YOUTH_KIND_PERSONS);
	th_text services = export_all(src, YOUTH_KIND_ENTERPRISE);
	youth_registry *dst = NULL;
	assert_ok(youth_registry_open(&dst, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(th_import_text(dst, people.data, 0, NULL));
	assert_ok(youth_rules_load(NULL, dst, YOUTH_EXAMPLE_DATA "/rules.yaml"));
	youth_exchange_iter *xi;
	const youth_exchange *x;
	assert_ok(youth_exchange_iter_new(&xi, src));
	while (youth_exchange_next(&x, xi) == YOUTH_OK) {
		youth_exchange copy = *x;
		youth_exchange *full;
		assert_ok(youth_exchange_get(&full, src, x->id));
		copy.place = full->place;
		assert_ok(youth_exchange_add(dst, &copy));
		youth_exchange_free(full);
	}
	youth_exchange_iter_free(xi);
	youth_operator_iter *oi;
	const youth_operator *op;
	assert_ok(youth_operator_iter_new(&oi, src, 0));
	while (youth_operator_next(&op, oi) == YOUTH_OK) {
		youth_operator copy = *op;
		copy.active = 1;
		assert_ok(youth_operator_add(dst, &copy));
	}
	youth_operator_iter_free(oi);

	youth_interchange_summary sum;
	assert_ok(th_import_text(dst, services.data, 0, &sum));
	assert_int_equal(sum.imported, sum.records);
	th_text b = export_all(dst, kinds);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) {
		size_t i = 0;
		while (i < a.len && i < b.len && a.data[i] == b.data[i])
			i++;
		size_t from = i > 400 ? i - 400 : 0;
		fail_msg("sample round trip differs (%zu vs %zu bytes) at byte %zu:\n%.800s\n---\n%.800s",
		         a.len, b.len, i, a.data + from, b.data + from);
	}
	assert_non_null(strstr(a.data, "business_services:"));
	int64_t n1, n2;
	assert_ok(youth_plan_count(&n1, src, 0, YOUTH_PLAN_OPERATING));
	assert_ok(youth_plan_count(&n2, dst, 0, YOUTH_PLAN_OPERATING));
	assert_int_equal(n1, n2);
	free(a.data);
	free(b.data);
	free(people.data);
	free(services.data);
	youth_registry_close(src);
	youth_registry_close(dst);
}

/* An import without an audit trail writes a plan's appraisal and decision as one change; an
 * audited one takes each step through the API.  Both must accept and refuse the same records,
 * with the same message, blamed key and file position, and store the same rows; a plan whose
 * applicant became eligible between its draft and its decision is accepted by both. */
static void test_final_state_as_steps(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"    state: approved\n    state_date: 2009-03-15\n    approved: \"90.00\"\n"
		"    approved_date: 2009-03-15\n",
		"    state: approved\n    state_date: 2009-03-15\n    approved: \"900.00\"\n"
		"    approved_date: 2009-03-15\n",
		"    state: approved\n    state_date: 2009-03-17\n    approved: \"90.00\"\n"
		"    approved_date: 2009-03-15\n",
		"    state: approved\n    state_date: 2999-01-01\n    approved: \"90.00\"\n"
		"    approved_date: 2999-01-01\n",
		"    state: approved\n    state_date: 2009-02-15\n    approved: \"90.00\"\n"
		"    approved_date: 2009-02-15\n",
		"    state: approved\n    state_date: 2009-03-15\n    approved: \"90.00\"\n"
		"    approved_date: 2009-03-15\n    submitted_date: 2009-03-20\n",
		"    state: approved\n    state_date: 2009-03-15\n    approved: \"90.00\"\n"
		"    approved_date: 2009-03-15\n    submitted_date: 2009-03-02\n"
		"    override_by: " OP2_UUID "\n    override_reason: committee\n",
		"    state: funded\n    state_date: 2009-03-20\n    approved: \"100.00\"\n"
		"    approved_date: 2009-03-15\n",
		"    state: closed\n    state_date: 2009-06-20\n    approved: \"100.00\"\n"
		"    approved_date: 2009-03-15\n    reason: sold\n",
		"    state: appraised\n    state_date: 2009-03-10\n",
		"    state: appraised\n    state_date: 2009-02-10\n",
		"    state: appraised\n    state_date: 2999-02-10\n",
		"    state: rejected\n    state_date: 2009-03-12\n    reason: no market\n",
		"    state: rejected\n    state_date: 2009-03-12\n    reason: \" \"\n",
		"    state: rejected\n    state_date: 2009-02-12\n    reason: late\n",
		"    state: rejected\n    state_date: 2999-03-12\n    reason: late\n",
		"    state: submitted\n    state_date: 2009-03-05\n",
		"    state: draft\n",
	};
	/* The second applicant turns 16, the programme's minimum age, between the draft and the
	 * decision: the plan is submitted on the day of the decision. */
	static const char *const births[] = {"1990-05-14", "1993-03-10"};
	for (size_t who = 0; who < 2; who++) {
		youth_registry *src = th_open_memory_gazetteer();
		youth_person p;
		th_person_valid(&p);
		p.birth_date = births[who];
		p.national_id = who == 0 ? "04567891-1" : NULL; /* a DUI from 18 */
		assert_ok(youth_person_add(src, &p, 0));
		th_text persons = export_all(src, YOUTH_KIND_PERSONS);
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			char doc[2048];
			snprintf(doc, sizeof doc,
			         "format: libyouth/1\n"
			         "plans:\n"
			         "  - uuid: 0190a1b2-c3d4-7e5f-8a9b-0000000000c1\n"
			         "    window: youth_seed\n    person: %s\n    title: Panadería\n"
			         "    sector: food\n    description: Pan dulce\n    requested: \"100.00\"\n"
			         "    drafted_date: 2009-03-01\n    operator: %s\n%s"
			         "end:\n  records: 1\n", p.uuid, OP_UUID, cases[i]);
			int rc[2];
			char msg[2][700], field[2][64];
			th_text out[2];
			for (int audited = 0; audited < 2; audited++) {
				youth_registry *reg = base_registry(OP_UUID, OP2_UUID, NULL, NULL);
				assert_ok(th_import_text(reg, persons.data, 0, NULL));
				if (audited) {
					assert_ok(youth_registry_set_actor(reg, "test"));
					assert_ok(youth_audit_enable(reg));
				}
				rc[audited] = th_import_text(reg, doc, 0, NULL);
				snprintf(msg[audited], sizeof msg[0], "%s", youth_error_last()->message);
				snprintf(field[audited], sizeof field[0], "%s",
				         youth_error_last()->field ? youth_error_last()->field : "");
				out[audited] = export_all(reg, YOUTH_KIND_ENTERPRISE);
				youth_registry_close(reg);
			}
			if (rc[0] != rc[1] || (rc[0] && (strcmp(msg[0], msg[1]) != 0 ||
			                                  strcmp(field[0], field[1]) != 0)))
				fail_msg("applicant %zu, case %zu: at once %d %s: %s\nas steps %d %s: %s", who, i,
				         rc[0], field[0], msg[0], rc[1], field[1], msg[1]);
			if (strcmp(out[0].data, out[1].data) != 0)
				fail_msg("applicant %zu, case %zu: stored\n%s\n--- as steps\n%s", who, i,
				         out[0].data, out[1].data);
			if (i == 0 && rc[0] != YOUTH_OK)
				fail_msg("applicant %zu: an approved plan refused: %s", who, msg[0]);
			if (i == 0)
				assert_non_null(strstr(out[0].data, "state: approved"));
			free(out[0].data);
			free(out[1].data);
		}
		youth_error_clear();
		free(persons.data);
		youth_registry_close(src);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_natural_key, setup, teardown),
		cmocka_unit_test(test_unknown_ref),
		cmocka_unit_test(test_contradictions),
		cmocka_unit_test_setup_teardown(test_upsert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_going, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disbursement_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selection, setup, teardown),
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_final_state_as_steps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
