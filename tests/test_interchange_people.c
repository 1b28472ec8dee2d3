/* Tests of the interchange sections of the services to people: counselling sessions and their
 * rosters, scholarships and their payments, follow-ups.  Every state of every kind goes
 * through export -> import into a fresh registry -> export, which must give the same bytes;
 * then bad input: unknown references, records whose data contradict their state, duplicates,
 * upsert, keep-going. */
#define _GNU_SOURCE
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#define KINDS (YOUTH_KIND_COUNSELLING | YOUTH_KIND_SCHOLARSHIPS | YOUTH_KIND_FOLLOWUPS)
#define N_PERSONS 9

/* The records other sections carry (exchanges, operators, employers, persons, programmes)
 * are made through the C API in both registries, with the same UUIDs. */
typedef struct base {
	int64_t counsellor, coordinator, employer, other_employer;
	int64_t person[N_PERSONS];
} base;

static const char *const person_uuid[N_PERSONS] = {
	"018f0000-0000-7000-8000-000000000001", "018f0000-0000-7000-8000-000000000002",
	"018f0000-0000-7000-8000-000000000003", "018f0000-0000-7000-8000-000000000004",
	"018f0000-0000-7000-8000-000000000005", "018f0000-0000-7000-8000-000000000006",
	"018f0000-0000-7000-8000-000000000007", "018f0000-0000-7000-8000-000000000008",
	"018f0000-0000-7000-8000-000000000009",
};
#define COUNSELLOR_UUID "018f0000-0000-7000-8000-0000000000a1"
#define COORDINATOR_UUID "018f0000-0000-7000-8000-0000000000a2"
#define EMPLOYER_UUID "018f0000-0000-7000-8000-0000000000b1"

static youth_registry *make_base(base *b)
{
	youth_registry *reg = th_open_memory_gazetteer();
	youth_exchange x;
	youth_exchange_init(&x);
	snprintf(x.uuid, sizeof x.uuid, "018f0000-0000-7000-8000-0000000000c1");
	x.code = "SON-01";
	x.name = "Bolsa de empleo de Sonsonate";
	x.place = "sonsonate/sonsonate-centro/sonsonate";
	assert_ok(youth_exchange_add(reg, &x));
	youth_operator o;
	youth_operator_init(&o);
	snprintf(o.uuid, sizeof o.uuid, COUNSELLOR_UUID);
	o.exchange_id = x.id;
	o.given_names = "Marta";
	o.first_surname = "Ramírez";
	o.role = YOUTH_ROLE_COUNSELLOR;
	assert_ok(youth_operator_add(reg, &o));
	b->counsellor = o.id;
	youth_operator_init(&o);
	snprintf(o.uuid, sizeof o.uuid, COORDINATOR_UUID);
	o.exchange_id = x.id;
	o.given_names = "Ana";
	o.first_surname = "López";
	o.role = YOUTH_ROLE_COORDINATOR;
	assert_ok(youth_operator_add(reg, &o));
	b->coordinator = o.id;
	youth_employer e;
	youth_employer_init(&e);
	snprintf(e.uuid, sizeof e.uuid, EMPLOYER_UUID);
	e.name = "Panadería La Espiga";
	e.nit = "0315-140592-101-2";
	assert_ok(youth_employer_add(reg, &e));
	b->employer = e.id;
	youth_employer_init(&e);
	snprintf(e.uuid, sizeof e.uuid, "018f0000-0000-7000-8000-0000000000b2");
	e.name = "Hotel Sonsonate";
	assert_ok(youth_employer_add(reg, &e));
	b->other_employer = e.id;
	for (int i = 0; i < N_PERSONS; i++) {
		youth_person p;
		th_person_valid(&p);
		snprintf(p.uuid, sizeof p.uuid, "%s", person_uuid[i]);
		char dui[11];
		th_dui(dui, 4567000UL + (unsigned long)i);
		p.national_id = i == 0 ? NULL : dui; /* a DUI only from 18 */
		/* Person 0 is 16 at the services: the programmes' minimum age 17 needs an override. */
		p.birth_date = i == 0 ? "1993-01-10" : "1989-02-20";
		assert_ok(youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT));
		b->person[i] = p.id;
	}
	static const char *const codes[] = {YOUTH_PROGRAMME_COUNSELLING, YOUTH_PROGRAMME_SCHOLARSHIP};
	for (int i = 0; i < 2; i++) {
		youth_programme g;
		youth_programme_init(&g);
		g.code = codes[i];
		g.title = codes[i];
		g.age_min = 17;
		g.age_max = 29;
		assert_ok(youth_programme_put(reg, &g));
	}
	youth_error_clear();
	return reg;
}

/* ---- the source registry: every state of every kind -------------------------------------- */

typedef struct built {
	int64_t group_closed, scholarship_completed;
} built;

static int64_t session(youth_registry *reg, const base *b, int mode, const char *date,
                       const char *topic)
{
	youth_counselling_session s;
	youth_counselling_session_init(&s);
	s.operator_id = b->counsellor;
	s.date = date;
	s.kind = mode == YOUTH_COUNSELLING_GROUP ? YOUTH_COUNSELLING_LIFE_SKILLS
	                                         : YOUTH_COUNSELLING_CAREER_GUIDANCE;
	s.mode = mode;
	s.duration_minutes = 90;
	s.topic = topic;
	if (topic) {
		s.outcome = "Plan de búsqueda: \"CV\" listo";
		s.place = "Sonzacate";
	}
	assert_ok(youth_counselling_session_add(reg, &s));
	return s.id;
}

static void participant(youth_registry *reg, const base *b, int64_t sess, int who, int attended,
                        const char *note)
{
	youth_counselling_participant p;
	youth_counselling_participant_init(&p);
	p.session_id = sess;
	p.person_id = b->person[who];
	p.attended = attended;
	p.note = note;
	youth_override o = {b->coordinator, "Referred by the municipal youth office"};
	assert_ok(youth_counselling_add_participant(reg, &p, who == 0 ? &o : NULL));
}

static int64_t scholarship(youth_registry *reg, const base *b, int who)
{
	youth_scholarship s;
	youth_scholarship_init(&s);
	s.person_id = b->person[who];
	s.operator_id = b->coordinator;
	s.applied_date = "2009-04-01";
	youth_override o = {b->coordinator, "Orphan, head of household"};
	assert_ok(youth_scholarship_apply(reg, &s, who == 0 ? &o : NULL));
	return s.id;
}

static void placement(const base *b, youth_scholarship_placement *p)
{
	youth_scholarship_placement_init(p);
	p->employer_id = b->employer;
	p->position = "Ayudante de panadería";
	p->start_date = "2009-05-11";
	p->end_date = "2009-08-20";
	p->hours_per_week = 40;
	p->monthly_stipend = 15050;
}

static void pay(youth_registry *reg, const base *b, int64_t sch, int64_t cents, const char *date,
                const char *ref)
{
	youth_scholarship_payment p;
	youth_scholarship_payment_init(&p);
	p.scholarship_id = sch;
	p.operator_id = b->coordinator;
	p.amount = cents;
	p.paid_date = date;
	p.method = YOUTH_SCHOLARSHIP_METHOD_TRANSFER;
	p.reference = ref;
	assert_ok(youth_scholarship_pay(reg, &p));
}

static void followup(youth_registry *reg, const base *b, int who, int status, const char *service,
                     int64_t service_id, const char *notes)
{
	youth_followup f;
	youth_followup_init(&f);
	f.person_id = b->person[who];
	f.operator_id = b->coordinator;
	f.date = "2009-12-01";
	f.horizon_months = 6;
	f.status = status;
	if (status == YOUTH_FOLLOWUP_EMPLOYED_FORMAL)
		f.employer_id = b->other_employer;
	f.service = service;
	f.service_id = service_id;
	f.notes = notes;
	assert_ok(youth_followup_add(reg, &f));
}

static void build(youth_registry *reg, const base *b, built *out)
{
	/* Sessions: open individual; closed group (with an override, a removed row); closed
	 * individual; open group with an empty roster and no optional field. */
	int64_t s1 = session(reg, b, YOUTH_COUNSELLING_INDIVIDUAL, "2009-06-01", "Orientación");
	participant(reg, b, s1, 4, 0, "No vino: enfermo");
	int64_t s2 = session(reg, b, YOUTH_COUNSELLING_GROUP, "2009-06-02", "Habilidades para la vida");
	participant(reg, b, s2, 0, 1, NULL);
	participant(reg, b, s2, 1, 1, NULL);
	participant(reg, b, s2, 8, 1, NULL);
	assert_ok(youth_counselling_remove_participant(reg, s2, b->person[8]));
	participant(reg, b, s2, 2, 0, "Llegó tarde");
	assert_ok(youth_counselling_session_close(reg, s2, "2009-06-03"));
	int64_t s3 = session(reg, b, YOUTH_COUNSELLING_INDIVIDUAL, "2009-06-05", NULL);
	participant(reg, b, s3, 3, 1, NULL);
	assert_ok(youth_counselling_session_close(reg, s3, "2009-06-05"));
	session(reg, b, YOUTH_COUNSELLING_GROUP, "2009-06-09", NULL);
	out->group_closed = s2;

	/* Scholarships in every state. */
	youth_scholarship_placement p;
	placement(b, &p);
	scholarship(reg, b, 0); /* applied, with an override */
	int64_t id = scholarship(reg, b, 1);
	assert_ok(youth_scholarship_award(reg, id, "2009-04-10"));
	id = scholarship(reg, b, 2);
	assert_ok(youth_scholarship_reject(reg, id, "2009-04-12", "Ya tiene empleo"));
	id = scholarship(reg, b, 3); /* active, paid */
	assert_ok(youth_scholarship_award(reg, id, "2009-04-10"));
	assert_ok(youth_scholarship_activate(reg, id, "2009-05-02", &p));
	pay(reg, b, id, 10000, "2009-05-31", "TR-0001");
	id = scholarship(reg, b, 4); /* completed, paid in full */
	assert_ok(youth_scholarship_award(reg, id, "2009-04-10"));
	assert_ok(youth_scholarship_activate(reg, id, "2009-05-02", &p));
	pay(reg, b, id, 10194, "2009-05-31", "TR-0002");
	pay(reg, b, id, 15050, "2009-06-30", "TR-0003");
	assert_ok(youth_scholarship_complete(reg, id, "2009-08-25"));
	out->scholarship_completed = id;
	id = scholarship(reg, b, 5); /* terminated before a placement */
	assert_ok(youth_scholarship_award(reg, id, "2009-04-10"));
	assert_ok(youth_scholarship_terminate(reg, id, "2009-04-20", "Se mudó a San Salvador"));
	id = scholarship(reg, b, 6); /* terminated after payments: replayed by the last one */
	assert_ok(youth_scholarship_award(reg, id, "2009-04-10"));
	assert_ok(youth_scholarship_activate(reg, id, "2009-05-02", &p));
	pay(reg, b, id, 5000, "2009-05-31", "TR-0004");
	pay(reg, b, id, 4000, "2009-06-15", "TR-0005");
	assert_ok(youth_scholarship_terminate(reg, id, "2009-06-20", "Abandonó el puesto"));
	id = scholarship(reg, b, 7); /* terminated while active, never paid */
	assert_ok(youth_scholarship_award(reg, id, "2009-04-10"));
	assert_ok(youth_scholarship_activate(reg, id, "2009-05-02", &p));
	assert_ok(youth_scholarship_terminate(reg, id, "2009-05-15", "No se presentó"));

	/* Follow-ups: of a counselling session, of a scholarship, of nothing. */
	followup(reg, b, 0, YOUTH_FOLLOWUP_EMPLOYED_FORMAL, "counselling", s2, NULL);
	followup(reg, b, 4, YOUTH_FOLLOWUP_SELF_EMPLOYED, "scholarship", out->scholarship_completed,
	         "Abrió su propia panadería");
	followup(reg, b, 1, YOUTH_FOLLOWUP_NEET, NULL, 0, NULL);
	youth_error_clear();
}

/* ---- helpers ------------------------------------------------------------------------------ */

static th_text export(youth_registry *reg)
{
	th_text t = {0};
	youth_export_options o;
	youth_export_options_init(&o);
	o.kinds = KINDS;
	assert_ok(youth_export_write(NULL, reg, th_text_write, &t, &o));
	return t;
}

static int64_t count(youth_registry *reg, const char *table)
{
	int64_t n = 0;
	if (strcmp(table, "sessions") == 0) {
		youth_counselling_session_iter *it;
		const youth_counselling_session *s;
		assert_ok(youth_counselling_session_iter_new(&it, reg, 0));
		while (youth_counselling_session_next(&s, it) == YOUTH_OK)
			n++;
		youth_counselling_session_iter_free(it);
	} else {
		youth_scholarship_iter *it;
		const youth_scholarship *s;
		assert_ok(youth_scholarship_iter_new(&it, reg, 0, 0));
		while (youth_scholarship_next(&s, it) == YOUTH_OK)
			n++;
		youth_scholarship_iter_free(it);
	}
	return n;
}

/* ---- round trip --------------------------------------------------------------------------- */

static void test_round_trip(void **state)
{
	(void)state;
	base b1, b2;
	built made;
	youth_registry *src = make_base(&b1), *dst = make_base(&b2);
	build(src, &b1, &made);
	th_text one = export(src);
	/* TH_DUMP=1 shows the file, to see what a change of the sections writes. */
	if (getenv("TH_DUMP"))
		fputs(one.data, stderr);
	/* The file says what the replay needs. */
	assert_non_null(strstr(one.data, "counselling_sessions:\n"));
	assert_non_null(strstr(one.data, "    closes_session: \"2009-06-03\"\n"));
	assert_non_null(strstr(one.data, "    terminates_scholarship: \"2009-06-20\"\n"));
	assert_non_null(strstr(one.data, "    override_by: \"" COORDINATOR_UUID "\"\n"));
	assert_non_null(strstr(one.data, "    service_uuid: "));
	assert_non_null(strstr(one.data, "    monthly_stipend: \"150.50\"\n"));
	assert_null(strstr(one.data, "installment"));

	youth_interchange_summary sum;
	assert_ok(th_import_text(dst, one.data, 0, &sum));
	assert_int_equal(sum.imported, sum.records);
	th_text two = export(dst);
	if (strcmp(one.data, two.data) != 0)
		fprintf(stderr, "--- first\n%s--- second\n%s", one.data, two.data);
	assert_string_equal(one.data, two.data);

	/* Derived data came out the same: the stipend schedule and the balance. */
	youth_scholarship_balance_info sb1, sb2;
	assert_ok(youth_scholarship_balance(&sb1, src, made.scholarship_completed));
	assert_ok(youth_scholarship_balance(&sb2, dst, made.scholarship_completed));
	assert_int_equal(sb1.owed_total, sb2.owed_total);
	assert_int_equal(sb1.paid_total, sb2.paid_total);
	int64_t counted1, counted2;
	assert_ok(youth_counselling_count_persons(&counted1, src, NULL, NULL));
	assert_ok(youth_counselling_count_persons(&counted2, dst, NULL, NULL));
	assert_int_equal(counted1, counted2);

	/* Again without upsert: every record is a duplicate. */
	assert_rc(th_import_text(dst, one.data, 0, NULL), YOUTH_EEXISTS);
	assert_msg_has("test.yaml:");
	/* With upsert: nothing changes. */
	assert_ok(th_import_text(dst, one.data, YOUTH_IMPORT_UPSERT, &sum));
	assert_int_equal(sum.unchanged, sum.records);
	assert_int_equal(sum.imported + sum.updated, 0);

	/* A changed follow-up note is an update. */
	char *edited = strdup(one.data);
	char *at = strstr(edited, "Abrió su propia panadería");
	assert_non_null(at);
	memcpy(at, "Cerró", strlen("Cerró"));
	assert_ok(th_import_text(dst, edited, YOUTH_IMPORT_UPSERT, &sum));
	assert_int_equal(sum.updated, 1);
	assert_int_equal(sum.unchanged, sum.records - 1);
	th_text three = export(dst);
	assert_non_null(strstr(three.data, "Cerró su propia panadería"));
	free(three.data);
	free(edited);

	free(one.data);
	free(two.data);
	youth_registry_close(src);
	youth_registry_close(dst);
}

/* Upsert moves an earlier copy of a scholarship and a session on to their recorded states. */
static void test_upsert_advances(void **state)
{
	(void)state;
	base b1, b2;
	youth_registry *src = make_base(&b1), *dst = make_base(&b2);
	int64_t s = session(src, &b1, YOUTH_COUNSELLING_INDIVIDUAL, "2009-06-01", NULL);
	participant(src, &b1, s, 3, 1, NULL);
	int64_t sch = scholarship(src, &b1, 3);
	th_text early = export(src);
	assert_ok(th_import_text(dst, early.data, 0, NULL));

	youth_scholarship_placement p;
	placement(&b1, &p);
	assert_ok(youth_scholarship_award(src, sch, "2009-04-10"));
	assert_ok(youth_scholarship_activate(src, sch, "2009-05-02", &p));
	pay(src, &b1, sch, 10000, "2009-05-31", "TR-0101");
	assert_ok(youth_counselling_set_attended(src, s, b1.person[3], 0, "Faltó"));
	assert_ok(youth_counselling_session_close(src, s, "2009-06-02"));
	th_text late = export(src);
	youth_interchange_summary sum;
	assert_ok(th_import_text(dst, late.data, YOUTH_IMPORT_UPSERT, &sum));
	assert_int_equal(sum.imported, 1); /* the payment */
	assert_int_equal(sum.updated, 2);  /* the scholarship, the roster row */
	assert_int_equal(sum.unchanged, 1); /* the session: closed by its roster row */
	th_text again = export(dst);
	assert_string_equal(late.data, again.data);
	free(early.data);
	free(late.data);
	free(again.data);
	youth_registry_close(src);
	youth_registry_close(dst);
}

/* ---- bad input ---------------------------------------------------------------------------- */

#define HEAD "format: libyouth/1\n"
#define SESSION_UUID "018f0000-0000-7000-8000-0000000000d1"
#define SESSION(state_lines)                                                                   \
	"counselling_sessions:\n"                                                                  \
	"  - uuid: " SESSION_UUID "\n"                                                             \
	"    operator: " COUNSELLOR_UUID "\n"                                                       \
	"    date: 2009-06-01\n"                                                                   \
	"    kind: career_guidance\n"                                                              \
	"    mode: individual\n"                                                                   \
	"    duration_minutes: 60\n" state_lines

static void test_unknown_reference(void **state)
{
	(void)state;
	base b;
	youth_registry *reg = make_base(&b);
	const char *doc = HEAD SESSION("    state: open\n")
		"counselling_participants:\n"
		"  - uuid: 018f0000-0000-7000-8000-0000000000e1\n"
		"    session: 018f0000-0000-7000-8000-0000000000ff\n"
		"    person: " "018f0000-0000-7000-8000-000000000002\n"
		"end:\n  records: 2\n";
	assert_rc(th_import_text(reg, doc, 0, NULL), YOUTH_ENOTFOUND);
	assert_msg_has("test.yaml:12:");
	assert_msg_has("session \"018f0000-0000-7000-8000-0000000000ff\"");
	assert_int_equal(count(reg, "sessions"), 0);

	/* A person by national ID works; an unknown service of a follow-up names service_uuid. */
	char dui[11];
	th_dui(dui, 4567001UL);
	char buf[2048];
	snprintf(buf, sizeof buf, HEAD "followups:\n"
	         "  - person: %s\n"
	         "    operator: " COORDINATOR_UUID "\n"
	         "    date: 2009-12-01\n"
	         "    horizon_months: 3\n"
	         "    status: studying\n"
	         "    service: scholarship\n"
	         "    service_uuid: 018f0000-0000-7000-8000-0000000000ff\n"
	         "end:\n  records: 1\n", dui);
	assert_rc(th_import_text(reg, buf, 0, NULL), YOUTH_ENOTFOUND);
	assert_msg_has("test.yaml:9:");
	assert_msg_has("service_uuid");
	youth_registry_close(reg);
}

static void test_state_contradicted(void **state)
{
	(void)state;
	base b;
	youth_registry *reg = make_base(&b);
	/* Closed without a closing date. */
	assert_rc(th_import_text(reg, HEAD SESSION("    state: closed\n    participants: 1\n")
	                         "end:\n  records: 1\n", 0, NULL), YOUTH_ESTATE);
	assert_msg_has("closed_date");
	/* An open session with a closing date. */
	assert_rc(th_import_text(reg, HEAD SESSION("    state: open\n    closed_date: 2009-06-02\n")
	                         "end:\n  records: 1\n", 0, NULL), YOUTH_ESTATE);
	/* A closed individual session with two participants. */
	assert_rc(th_import_text(reg, HEAD SESSION("    state: closed\n    closed_date: 2009-06-02\n"
	                                           "    participants: 2\n")
	                         "end:\n  records: 1\n", 0, NULL),
	          YOUTH_ESTATE);
	assert_msg_has("participants 2");
	assert_int_equal(count(reg, "sessions"), 0);

	/* An active scholarship without a placement; a rejected one with a placement. */
	const char *sch = HEAD "scholarships:\n"
		"  - person: 018f0000-0000-7000-8000-000000000002\n"
		"    operator: " COORDINATOR_UUID "\n"
		"    state: active\n"
		"    applied_date: 2009-04-01\n"
		"    state_date: 2009-05-01\n"
		"end:\n  records: 1\n";
	assert_rc(th_import_text(reg, sch, 0, NULL), YOUTH_ESTATE);
	assert_msg_has("placement");
	const char *rej = HEAD "scholarships:\n"
		"  - person: 018f0000-0000-7000-8000-000000000002\n"
		"    operator: " COORDINATOR_UUID "\n"
		"    state: rejected\n"
		"    applied_date: 2009-04-01\n"
		"    state_date: 2009-05-01\n"
		"    employer: " EMPLOYER_UUID "\n"
		"    position: Cajero\n"
		"    start_date: 2009-05-01\n"
		"    end_date: 2009-06-30\n"
		"    hours_per_week: 40\n"
		"    monthly_stipend: \"100.00\"\n"
		"    reason: No\n"
		"end:\n  records: 1\n";
	assert_rc(th_import_text(reg, rej, 0, NULL), YOUTH_ESTATE);
	/* Completed before the end of its placement: the replay refuses it, naming state_date. */
	const char *early = HEAD "scholarships:\n"
		"  - person: 018f0000-0000-7000-8000-000000000002\n"
		"    operator: " COORDINATOR_UUID "\n"
		"    state: completed\n"
		"    applied_date: 2009-04-01\n"
		"    state_date: 2009-06-01\n"
		"    employer: " EMPLOYER_UUID "\n"
		"    position: Cajero\n"
		"    start_date: 2009-05-01\n"
		"    end_date: 2009-06-30\n"
		"    hours_per_week: 40\n"
		"    monthly_stipend: \"100.00\"\n"
		"end:\n  records: 1\n";
	assert_rc(th_import_text(reg, early, 0, NULL), YOUTH_EINVAL);
	assert_msg_has("test.yaml:7:");
	assert_msg_has("end of the placement");
	assert_int_equal(count(reg, "scholarships"), 0);
	youth_registry_close(reg);
}

static void test_keep_going(void **state)
{
	(void)state;
	base b;
	youth_registry *reg = make_base(&b);
	const char *doc = HEAD SESSION("    state: open\n")
		"counselling_participants:\n"
		"  - session: " SESSION_UUID "\n"
		"    person: 018f0000-0000-7000-8000-000000000002\n"
		"  - session: " SESSION_UUID "\n"
		"    person: 018f0000-0000-7000-8000-000000000003\n"
		"  - session: " SESSION_UUID "\n"
		"    person: 018f0000-0000-7000-8000-000000000001\n"
		"    override_by: \"" COORDINATOR_UUID "\"\n"
		"end:\n  records: 4\n";
	char *dir = th_tmpdir();
	char *rej = th_path(dir, "rejects.yaml");
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_KEEP_GOING;
	o.rejects_path = rej;
	youth_interchange_summary sum;
	assert_ok(youth_import_buffer(&sum, reg, doc, strlen(doc), "test.yaml", &o));
	assert_int_equal(sum.imported, 2);
	assert_int_equal(sum.rejected, 2);
	size_t n;
	char *report = (char *)th_read_file(rej, &n);
	assert_non_null(report);
	assert_true(th_contains(report, "individual session has exactly one participant"));
	assert_true(th_contains(report, "override_reason: missing"));
	free(report);
	free(rej);
	th_rmtree(dir);
	free(dir);
	youth_registry_close(reg);
}

/* A roster row of the file below: its uuid ends in @n, then the session and the person. */
#define ROW(n, session, person, extra)                                                         \
	"  - uuid: 018f0000-0000-7000-8000-0000000000e" #n "\n"                                    \
	"    session: " session "\n"                                                               \
	"    person: 018f0000-0000-7000-8000-00000000000" #person "\n" extra
#define GROUP_UUID "018f0000-0000-7000-8000-0000000000d2"
#define GROUP_SESSION                                                                          \
	"  - uuid: " GROUP_UUID "\n"                                                               \
	"    operator: " COUNSELLOR_UUID "\n"                                                       \
	"    date: 2009-06-01\n"                                                                   \
	"    kind: life_skills\n"                                                                  \
	"    mode: group\n"                                                                        \
	"    duration_minutes: 90\n"                                                               \
	"    state: closed\n"                                                                      \
	"    closed_date: 2009-06-02\n"                                                            \
	"    participants: 4\n"

/* Within one file, a roster row takes its session as the row before it in the same session
 * left it, roster counted in; a row imported on its own reads the session.  Both accept and
 * refuse the same rows, refused rows (rolled back after their insert) between, and store the
 * same registry. */
static void test_session_known_as_read(void **state)
{
	(void)state;
	static const char *const rows[] = {
		ROW(1, GROUP_UUID, 2, ""),
		ROW(2, GROUP_UUID, 3, ""),
		ROW(3, GROUP_UUID, 2, ""), /* on the roster already */
		ROW(4, SESSION_UUID, 4, ""),
		ROW(5, SESSION_UUID, 5, ""), /* an individual session's second */
		ROW(6, GROUP_UUID, 1, ""),   /* too young: refused after its insert */
		ROW(7, GROUP_UUID, 5, "    attended: 0\n"),
		ROW(8, SESSION_UUID, 6, ""),
		ROW(9, GROUP_UUID, 6, "    closes_session: 2009-06-02\n"),
		ROW(a, GROUP_UUID, 7, ""), /* the session is closed */
	};
	enum { N_ROWS = sizeof rows / sizeof rows[0] };
	const char *sessions = SESSION("    state: open\n") GROUP_SESSION;
	char *one = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&one, &size);
	assert_non_null(f);
	fputs(HEAD, f);
	fputs(sessions, f);
	fputs("counselling_participants:\n", f);
	for (int i = 0; i < N_ROWS; i++)
		fputs(rows[i], f);
	fprintf(f, "end:\n  records: %d\n", N_ROWS + 2);
	assert_int_equal(fclose(f), 0);

	base b;
	youth_registry *reg = make_base(&b);
	youth_interchange_summary sum;
	char *report = th_import_rejects(reg, one, size, "test.yaml", &sum);
	assert_int_equal(sum.rejected, 5);
	assert_int_equal(sum.imported, N_ROWS + 2 - 5);
	th_text kept = export(reg);
	youth_registry_close(reg);

	/* The same rows, each imported by itself after the sessions. */
	reg = make_base(&b);
	char buf[2048];
	snprintf(buf, sizeof buf, HEAD "%send:\n  records: 2\n", sessions);
	assert_ok(th_import_text(reg, buf, 0, NULL));
	int refused = 0;
	for (int i = 0; i < N_ROWS; i++) {
		snprintf(buf, sizeof buf, HEAD "counselling_participants:\n%send:\n  records: 1\n",
		         rows[i]);
		if (th_import_text(reg, buf, 0, NULL) == YOUTH_OK)
			continue;
		refused++;
		/* The message after its position and record number ("test.yaml:<line>: counselling
		 * participant <n>: ") is the one the file got. */
		const char *msg = strstr(youth_error_last()->message, "counselling participant ");
		assert_non_null(msg);
		msg = strstr(msg, ": ");
		assert_non_null(msg);
		if (!th_contains(report, msg + 2))
			fail_msg("row %d: \"%s\" is not in the rejects of the file:\n%s", i, msg + 2,
			         report);
	}
	assert_int_equal(refused, 5);
	th_text read = export(reg);
	youth_registry_close(reg);
	assert_string_equal(kept.data, read.data);
	assert_true(th_contains(report, "individual session has exactly one participant"));
	assert_true(th_contains(report, "already on the roster"));
	free(kept.data);
	free(read.data);
	free(report);
	free(one);
}

/* The follow-ups of @person_id, by person: how many, and the first's person. */
static int followups_of(youth_registry *reg, int64_t person_id)
{
	youth_followup_iter *it = NULL;
	const youth_followup *f;
	int n = 0;
	assert_ok(youth_followup_iter_new(&it, reg, person_id));
	while (youth_followup_next(&f, it) == YOUTH_OK) {
		assert_int_equal(f->person_id, person_id);
		n++;
	}
	youth_followup_iter_free(it);
	return n;
}

#define FILE_PERSON(uuid, given)                                                                  \
	"  - uuid: " uuid "\n"                                                                    \
	"    given_names: " given "\n"                                                            \
	"    first_surname: Cañas\n"                                                               \
	"    birth_date: 1989-02-20\n"                                                             \
	"    sex: female\n"                                                                        \
	"    place: " TH_SANTA_EUGENIA "\n"                                                         \
	"    census_date: 2009-03-02\n"                                                            \
	"    census_round: census-2009\n"
#define FILE_FOLLOWUP(person)                                                                     \
	"  - person: " person "\n"                                                                 \
	"    operator: " COORDINATOR_UUID "\n"                                                      \
	"    date: 2009-12-01\n"                                                                   \
	"    horizon_months: 3\n"                                                                  \
	"    status: studying\n"

/*
 * The import remembers the persons it adds, by UUID, for the services that name them
 * (import.c, person_memo_put()): a reference in capitals finds the same person, and a person
 * merged by the file's merges section is found as the one kept, as it is without the memo.
 */
static void test_persons_of_the_file(void **state)
{
	(void)state;
	base b;
	youth_registry *reg = make_base(&b);
	const char *doc = HEAD "persons:\n"
		FILE_PERSON("018f0000-0000-7000-8000-000000000e01", "Rosa")
		FILE_PERSON("018f0000-0000-7000-8000-000000000e02", "Lidia")
		FILE_PERSON("018f0000-0000-7000-8000-0000000abc03", "Elsa")
		"merges:\n"
		"  - uuid: 018f0000-0000-7000-8000-000000000e10\n"
		"    kept_uuid: 018f0000-0000-7000-8000-000000000e02\n"
		"    merged_uuid: 018f0000-0000-7000-8000-000000000e01\n"
		"followups:\n"
		FILE_FOLLOWUP("018f0000-0000-7000-8000-000000000e01")
		FILE_FOLLOWUP("018F0000-0000-7000-8000-0000000ABC03")
		"end:\n  records: 6\n";
	youth_interchange_summary sum;
	assert_ok(th_import_text(reg, doc, 0, &sum));
	assert_int_equal(sum.imported, 6);
	youth_person *kept = NULL, *elsa = NULL, *merged = NULL;
	assert_ok(youth_person_get_by_uuid(&kept, reg, "018f0000-0000-7000-8000-000000000e02"));
	assert_ok(youth_person_get_by_uuid(&elsa, reg, "018f0000-0000-7000-8000-0000000abc03"));
	/* the merged person's UUID names the one kept */
	assert_ok(youth_person_get_by_uuid(&merged, reg, "018f0000-0000-7000-8000-000000000e01"));
	assert_int_equal(merged->id, kept->id);
	assert_int_equal(followups_of(reg, kept->id), 1);
	assert_int_equal(followups_of(reg, elsa->id), 1);
	youth_person_free(kept);
	youth_person_free(elsa);
	youth_person_free(merged);
	youth_registry_close(reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_upsert_advances),
		cmocka_unit_test(test_unknown_reference),
		cmocka_unit_test(test_state_contradicted),
		cmocka_unit_test(test_keep_going),
		cmocka_unit_test(test_session_known_as_read),
		cmocka_unit_test(test_persons_of_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
