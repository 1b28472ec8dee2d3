/*
 * Interchange sections of the programme services (docs/format.md): programmes, exchanges,
 * operators, employers, courses, cohorts and enrollments.  The acceptance test is the round
 * trip: export -> import into an empty registry -> export gives the same bytes, for a registry
 * holding every state of every kind (and for the whole sample registry).  Then bad input:
 * unknown references, records whose data contradicts their state, duplicates, upsert,
 * keep-going.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "../examples/sample/services.h"

#define SONSONATE "sonsonate/sonsonate-centro/sonsonate"
#define START "2009-05-04"
#define END "2009-07-31"
#define APPLIED "2009-04-20"

/* ---- output buffer ------------------------------------------------------------------------ */

static th_text export_all(youth_registry *reg)
{
	th_text o = {0};
	youth_interchange_summary sum;
	assert_ok(youth_export_write(&sum, reg, th_text_write, &o, NULL));
	assert_int_equal(sum.bytes, (int64_t)o.len);
	return o;
}

static youth_registry *empty(void)
{
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	return reg;
}

/* Records of one section in an export of @reg. */
static int64_t count(youth_registry *reg, const char *section)
{
	th_text x = export_all(reg);
	int64_t n = 0;
	char key[64];
	snprintf(key, sizeof key, "\n%s:\n", section);
	const char *p = strstr(x.data, key);
	for (p = p ? p + strlen(key) : NULL; p && *p == ' '; p = strchr(p, '\n') + 1)
		n += strncmp(p, "  - ", 4) == 0;
	free(x.data);
	return n;
}

/* A copy of @text with the @nth (from 1) occurrence of @from replaced by @to. */
static char *replace(const char *text, const char *from, const char *to, int nth)
{
	const char *p = text;
	for (int i = 0; p && i < nth; i++)
		p = strstr(i ? p + 1 : p, from);
	if (!p)
		fail_msg("\"%s\" (%d) not found", from, nth);
	size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
	char *s = malloc(n);
	assert_non_null(s);
	snprintf(s, n, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
	return s;
}

/* Line number (from 1) of the first @needle in @text. */
static int line_of(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);
	assert_non_null(p);
	int line = 1;
	for (const char *c = text; c < p; c++)
		line += *c == '\n';
	return line;
}

static void assert_line(const char *text, const char *needle)
{
	char want[32];
	snprintf(want, sizeof want, ".yaml:%d:", line_of(text, needle));
	assert_msg_has(want);
}

/* ---- the registry ------------------------------------------------------------------------- */

typedef struct fx {
	youth_registry *reg;
	int64_t exchange, op, op2, op3, cohort, cohort2;
	int64_t person[12];
} fx;

static int64_t add_person(youth_registry *reg, const char *birth, const char *place, int n)
{
	youth_person p;
	th_person_valid(&p);
	char dui[16];
	th_dui(dui, 10000000ul + (unsigned long)n);
	p.birth_date = birth;
	/* A DUI from 18 only (at the helper's census date, 2009-03-02). */
	p.national_id = strcmp(birth, "1991-03-02") <= 0 ? dui : NULL;
	p.place = place;
	if (n % 2) {
		p.phone = NULL; /* optional fields unset */
		p.address = NULL;
	}
	assert_ok(youth_person_add(reg, &p, YOUTH_PERSON_ALLOW_AGE));
	return p.id;
}

static int64_t apply(fx *f, int64_t cohort, int i, const youth_override *ovr)
{
	youth_enrollment e;
	youth_enrollment_init(&e);
	e.cohort_id = cohort;
	e.person_id = f->person[i];
	e.operator_id = i == 7 ? f->op3 : f->op;
	e.applied_date = APPLIED;
	assert_ok(youth_enrollment_apply(f->reg, &e, ovr));
	return e.id;
}

static void build(fx *f)
{
	youth_registry *reg = f->reg = th_open_memory_gazetteer();
	assert_ok(youth_rules_load(NULL, reg, YOUTH_EXAMPLE_DATA "/rules.yaml"));
	youth_programme pg;
	youth_programme_init(&pg);
	pg.code = "bare";
	pg.title = "A programme without rules: \"everyone\", say";
	assert_ok(youth_programme_put(reg, &pg));

	youth_exchange x;
	youth_exchange_init(&x);
	x.code = "SON-01";
	x.name = "Bolsa de empleo de Sonsonate";
	x.place = SONSONATE;
	x.opened_date = "2008-11-03";
	assert_ok(youth_exchange_add(reg, &x));
	f->exchange = x.id;
	youth_exchange_init(&x);
	x.code = "ACA";
	x.name = "Bolsa: Acajutla";
	x.place = "acajutla";
	assert_ok(youth_exchange_add(reg, &x));

	youth_operator o;
	youth_operator_init(&o);
	o.exchange_id = f->exchange;
	o.given_names = "Marta";
	o.first_surname = "Ramírez";
	o.second_surname = "Soto";
	o.phone = "7777-1234";
	o.role = YOUTH_ROLE_COORDINATOR;
	assert_ok(youth_operator_add(reg, &o));
	f->op = o.id;
	youth_operator_init(&o);
	o.exchange_id = x.id;
	o.given_names = "Luis";
	o.first_surname = "Castro";
	o.role = YOUTH_ROLE_COUNSELLOR;
	assert_ok(youth_operator_add(reg, &o));
	f->op2 = o.id;
	youth_operator_init(&o);
	o.exchange_id = x.id;
	o.given_names = "Ana";
	o.first_surname = "Flores";
	o.role = YOUTH_ROLE_INTAKE;
	assert_ok(youth_operator_add(reg, &o));
	f->op3 = o.id;

	youth_employer em;
	youth_employer_init(&em);
	em.name = "Panadería El Sol";
	em.sector = "food";
	em.nit = "0315-010190-101-3";
	em.place = SONSONATE;
	em.contact_name = "Rosa Díaz";
	em.phone = "2451-0000";
	em.email = "rosa@elsol.com.sv";
	assert_ok(youth_employer_add(reg, &em));
	youth_employer_init(&em);
	em.name = "Taller Mecánico Hermanos López";
	assert_ok(youth_employer_add(reg, &em));

	youth_course c;
	youth_course_init(&c);
	c.code = "SOLD";
	c.title = "Soldadura eléctrica";
	c.provider = "INSAFORP";
	c.job_profile = "welder";
	c.hours = 240;
	assert_ok(youth_course_add(reg, &c));
	youth_course_init(&c);
	c.code = "PAN";
	c.title = "Panadería";
	c.provider = "ITCA";
	c.hours = 160;
	assert_ok(youth_course_add(reg, &c));

	youth_cohort h;
	youth_cohort_init(&h);
	h.course_id = c.id;
	h.exchange_id = f->exchange;
	h.code = "PAN-2009-1";
	h.start_date = START;
	h.end_date = END;
	h.place = SONSONATE;
	h.capacity = 20;
	assert_ok(youth_cohort_add(reg, &h));
	f->cohort = h.id;
	youth_cohort_init(&h);
	h.course_id = c.id - 1;
	h.exchange_id = x.id;
	h.code = "SOLD-2009-1";
	h.start_date = START;
	h.end_date = END;
	h.place = "acajutla";
	h.capacity = 5;
	h.min_attendance = 70;
	assert_ok(youth_cohort_add(reg, &h));
	f->cohort2 = h.id;

	for (int i = 0; i < 11; i++)
		f->person[i] = add_person(reg, "1992-05-14", TH_SANTA_EUGENIA, i);
	/* 29 at the census: too old for the vocational programme, enrolled with an override. */
	f->person[11] = add_person(reg, "1980-01-01", TH_SANTA_EUGENIA, 11);

	int64_t id;
	apply(f, f->cohort, 0, NULL); /* applied */
	id = apply(f, f->cohort, 1, NULL); /* enrolled, nothing recorded */
	assert_ok(youth_enrollment_set_state(reg, id, YOUTH_ENROLLMENT_ENROLLED, START, NULL));
	id = apply(f, f->cohort, 2, NULL); /* enrolled with sessions and a manual attendance */
	assert_ok(youth_enrollment_set_state(reg, id, YOUTH_ENROLLMENT_ENROLLED, START, NULL));
	assert_ok(youth_enrollment_record_session(reg, id, "2009-05-04", 1));
	assert_ok(youth_enrollment_record_session(reg, id, "2009-05-05", 0));
	assert_ok(youth_enrollment_record_session(reg, id, "2009-05-06", 1));
	assert_ok(youth_enrollment_set_attendance(reg, id, 50));
	id = apply(f, f->cohort, 3, NULL); /* completed from sessions, no certificate */
	assert_ok(youth_enrollment_set_state(reg, id, YOUTH_ENROLLMENT_ENROLLED, START, NULL));
	assert_ok(youth_enrollment_record_session(reg, id, "2009-05-04", 1));
	assert_ok(youth_enrollment_record_session(reg, id, "2009-05-05", 1));
	assert_ok(youth_enrollment_set_state(reg, id, YOUTH_ENROLLMENT_COMPLETED, END, NULL));
	id = apply(f, f->cohort, 4, NULL); /* completed with a certificate */
	assert_ok(youth_enrollment_set_state(reg, id, YOUTH_ENROLLMENT_ENROLLED, START, NULL));
	assert_ok(youth_enrollment_set_attendance(reg, id, 95));
	assert_ok(youth_enrollment_set_state(reg, id, YOUTH_ENROLLMENT_COMPLETED, END, NULL));
	assert_ok(youth_enrollment_issue_certificate(reg, id, "2009-08-10"));
	id = apply(f, f->cohort, 5, NULL); /* dropped before starting */
	assert_ok(youth_enrollment_set_state(reg, id, YOUTH_ENROLLMENT_DROPPED, "2009-04-30",
	                                     "moved to San Salvador"));
	id = apply(f, f->cohort, 6, NULL); /* dropped out with attendance */
	assert_ok(youth_enrollment_set_state(reg, id, YOUTH_ENROLLMENT_ENROLLED, START, NULL));
	assert_ok(youth_enrollment_set_attendance(reg, id, 0));
	assert_ok(youth_enrollment_set_state(reg, id, YOUTH_ENROLLMENT_DROPPED, "2009-06-01",
	                                     "found a job: \"not coming back\""));
	id = apply(f, f->cohort, 7, NULL); /* not eligible */
	assert_ok(youth_enrollment_set_state(reg, id, YOUTH_ENROLLMENT_NOT_ELIGIBLE, "2009-04-22",
	                                     "no primary school certificate"));
	id = apply(f, f->cohort2, 8, NULL); /* another cohort, 70% needed */
	assert_ok(youth_enrollment_set_state(reg, id, YOUTH_ENROLLMENT_ENROLLED, START, NULL));
	assert_ok(youth_enrollment_set_attendance(reg, id, 70));
	assert_ok(youth_enrollment_set_state(reg, id, YOUTH_ENROLLMENT_COMPLETED, END, NULL));
	youth_override ovr = {f->op2, "age limit waived by the coordinator: last cohort of the year"};
	id = apply(f, f->cohort2, 11, &ovr); /* with an override */
	assert_ok(youth_enrollment_set_state(reg, id, YOUTH_ENROLLMENT_ENROLLED, START, NULL));

	/* Ana recorded an application, Luis an override; both have left since. */
	youth_operator *left;
	for (int i = 0; i < 2; i++) {
		assert_ok(youth_operator_get(&left, reg, i ? f->op3 : f->op2));
		left->active = 0;
		assert_ok(youth_operator_update(reg, left));
		youth_operator_free(left);
	}
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	build(f);
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

/* ---- round trip --------------------------------------------------------------------------- */

static void test_roundtrip(void **state)
{
	fx *f = *state;
	th_text a = export_all(f->reg);
	/* Every kind and state is there, and no integer id. */
	const char *want[] = {"\nprogrammes:\n", "\nexchanges:\n", "\noperators:\n", "\nemployers:\n",
	                      "\ncourses:\n", "\ncohorts:\n", "\nenrollments:\n",
	                      "state: applied\n", "state: enrolled\n", "state: completed\n",
	                      "state: dropped\n", "state: not_eligible\n", "certificate_date: ",
	                      "attended: [\"2009-05-04\", \"2009-05-06\"]\n",
	                      "missed: [\"2009-05-05\"]\n",
	                      "override_by: ", "override_reason: ", "active: false\n",
	                      "places: [sonsonate/sonsonate-centro/sonsonate, ",
	                      "census_rounds: [census-2009]\n", "attendance: 0\n", "cohort: ",
	                      "person: ", "operator: ", "exchange: ", "course: "};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(a.data, want[i])) {
			fputs(a.data, stderr);
			fail_msg("export lacks \"%s\"", want[i]);
		}
	assert_null(strstr(a.data, "\n    id: "));
	const char *ids[] = {"cohort_id", "person_id", "operator_id", "exchange_id", "course_id"};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
		assert_null(strstr(a.data, ids[i]));

	youth_registry *b = empty();
	youth_interchange_summary sum;
	assert_ok(youth_import_buffer(&sum, b, a.data, a.len, "a.yaml", NULL));
	assert_int_equal(sum.imported, sum.records);
	th_text again = export_all(b);
	if (again.len != a.len || memcmp(again.data, a.data, a.len) != 0) {
		fprintf(stderr, "--- first\n%s\n--- second\n%s", a.data, again.data);
		fail_msg("round trip differs");
	}

	/* The override came back as an override row, naming the same rule. */
	youth_override_iter *it;
	const youth_override_record *r;
	int n = 0;
	assert_ok(youth_override_iter_new(&it, b, 0));
	while (youth_override_next(&r, it) == YOUTH_OK) {
		assert_string_equal(r->rule, "age_max");
		assert_string_equal(r->service, "enrollment");
		n++;
	}
	youth_override_iter_free(it);
	assert_int_equal(n, 1);
	youth_registry_close(b);
	free(a.data);
	free(again.data);
}

/* Only the courses kind: persons are not there, so enrollments cannot be read back into an
 * empty registry, but the kind filter keeps them with their area. */
static void test_kinds(void **state)
{
	fx *f = *state;
	youth_export_options o;
	youth_export_options_init(&o);
	o.kinds = YOUTH_KIND_RULES | YOUTH_KIND_EXCHANGES;
	th_text x = {0};
	assert_ok(youth_export_write(NULL, f->reg, th_text_write, &x, &o));
	assert_non_null(strstr(x.data, "programmes:"));
	assert_non_null(strstr(x.data, "employers:"));
	assert_null(strstr(x.data, "courses:"));
	assert_null(strstr(x.data, "enrollments:"));
	free(x.data);
	/* Enrollments follow their persons: a place where nobody lives exports none. */
	youth_export_options_init(&o);
	o.place = "acajutla";
	x = (th_text){0};
	assert_ok(youth_export_write(NULL, f->reg, th_text_write, &x, &o));
	assert_non_null(strstr(x.data, "cohorts:"));
	assert_null(strstr(x.data, "enrollments:"));
	free(x.data);
	o.place = NULL;
	o.to = "2009-04-01"; /* before every application */
	x = (th_text){0};
	assert_ok(youth_export_write(NULL, f->reg, th_text_write, &x, &o));
	assert_null(strstr(x.data, "enrollments:"));
	free(x.data);
}

/* ---- bad input ---------------------------------------------------------------------------- */

/* The head of a file with one exchange, operator, course and cohort, for hand-written tests. */
#define HEAD                                                                                   \
	"format: libyouth/1\n"                                                                     \
	"exchanges:\n"                                                                             \
	"  - code: SON\n"                                                                          \
	"    name: Bolsa\n"                                                                        \
	"    place: " SONSONATE "\n"                                                               \
	"operators:\n"                                                                             \
	"  - uuid: 01890000-0000-7000-8000-000000000001\n"                                         \
	"    exchange: SON\n"                                                                      \
	"    given_names: Marta\n"                                                                 \
	"    first_surname: Ramírez\n"                                                             \
	"    role: coordinator\n"                                                                  \
	"persons:\n"                                                                               \
	"  - given_names: José\n"                                                                  \
	"    first_surname: Pérez\n"                                                               \
	"    birth_date: 1990-05-14\n"                                                             \
	"    sex: male\n"                                                                          \
	"    place: " TH_SANTA_EUGENIA "\n"                                                        \
	"    national_id: 04567891-1\n"                                                            \
	"    census_date: 2009-03-02\n"                                                            \
	"    census_round: census-2009\n"                                                          \
	"    consent: true\n"                                                                      \
	"    consent_date: 2009-03-02\n"                                                           \
	"courses:\n"                                                                               \
	"  - code: PAN\n"                                                                          \
	"    title: Panadería\n"                                                                   \
	"    provider: INSAFORP\n"                                                                 \
	"    hours: 160\n"                                                                         \
	"cohorts:\n"                                                                               \
	"  - code: PAN-1\n"                                                                        \
	"    course: PAN\n"                                                                        \
	"    exchange: SON\n"                                                                      \
	"    start_date: " START "\n"                                                              \
	"    end_date: " END "\n"                                                                  \
	"    place: " SONSONATE "\n"                                                               \
	"    capacity: 10\n"
#define HEAD_RECORDS 5

#define ENROLLMENT(extra)                                                                      \
	"enrollments:\n"                                                                           \
	"  - cohort: PAN-1\n"                                                                      \
	"    person: 04567891-1\n"                                                                 \
	"    operator: 01890000-0000-7000-8000-000000000001\n"                                     \
	"    applied_date: " APPLIED "\n" extra

static char *doc(const char *body, int records)
{
	size_t n = strlen(HEAD) + strlen(body) + 64;
	char *s = malloc(n);
	assert_non_null(s);
	snprintf(s, n, "%s%send:\n  records: %d\n", HEAD, body, records);
	return s;
}

static void test_hand_written(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	char *s = doc(ENROLLMENT("    state: completed\n    state_date: " END "\n"
	                         "    attended: [2009-05-04, 2009-05-05]\n"
	                         "    certificate_date: 2009-08-01\n"), HEAD_RECORDS + 1);
	youth_interchange_summary sum;
	assert_ok(th_import_text(reg, s, 0, &sum));
	assert_int_equal(sum.imported, HEAD_RECORDS + 1);
	youth_enrollment_iter *it;
	const youth_enrollment *e;
	assert_ok(youth_enrollment_iter_new(&it, reg, 0, 0));
	assert_ok(youth_enrollment_next(&e, it));
	assert_int_equal(e->state, YOUTH_ENROLLMENT_COMPLETED);
	assert_int_equal(e->attendance, 100);
	assert_string_equal(e->certificate_date, "2009-08-01");
	youth_enrollment_iter_free(it);
	free(s);
	youth_registry_close(reg);
}

static void test_unknown_ref(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	char *s = doc("enrollments:\n"
	              "  - cohort: 01890000-0000-7000-8000-0000000000ff\n"
	              "    person: 04567891-1\n"
	              "    operator: 01890000-0000-7000-8000-000000000001\n"
	              "    applied_date: " APPLIED "\n", HEAD_RECORDS + 1);
	assert_rc(th_import_text(reg, s, 0, NULL), YOUTH_ENOTFOUND);
	assert_msg_has("cohort \"01890000-0000-7000-8000-0000000000ff\"");
	assert_line(s, "  - cohort: 0189");
	assert_err_field("cohort");
	assert_int_equal(count(reg, "exchanges"), 0); /* atomic: nothing written */
	free(s);

	s = doc(ENROLLMENT("    override_by: 01890000-0000-7000-8000-0000000000ee\n"
	                   "    override_reason: why not\n"), HEAD_RECORDS + 1);
	assert_rc(th_import_text(reg, s, 0, NULL), YOUTH_ENOTFOUND);
	assert_msg_has("override_by");
	assert_line(s, "    override_by:");
	free(s);
	s = doc("cohorts2: []\n", HEAD_RECORDS);
	assert_rc(th_import_text(reg, s, 0, NULL), YOUTH_EPARSE);
	free(s);
	youth_registry_close(reg);
}

/* Records whose data contradicts their state are refused and write nothing. */
static void test_contradictions(void **state)
{
	(void)state;
	static const struct {
		const char *extra;
		int rc;
		const char *field, *msg;
	} cases[] = {
		{"    state: applied\n    certificate_date: 2009-08-01\n", YOUTH_ESTATE,
		 "certificate_date", "state applied"},
		{"    state: applied\n    attendance: 90\n", YOUTH_ESTATE, "attendance", "applied"},
		{"    state: applied\n    state_date: 2009-05-01\n", YOUTH_ESTATE, "state_date",
		 "applied_date"},
		{"    state: completed\n    state_date: " END "\n    attendance: 50\n", YOUTH_ERULE,
		 "attendance", "below"},
		{"    state: completed\n    state_date: " END "\n", YOUTH_ERULE, "attendance",
		 "not recorded"},
		{"    state: dropped\n    state_date: " END "\n    reason: x\n"
		 "    certificate_date: 2009-08-01\n",
		 YOUTH_ESTATE, "certificate_date", "completed"},
		{"    state: dropped\n    state_date: " END "\n", YOUTH_EINVAL, "reason", "reason"},
		{"    state: enrolled\n    state_date: " START "\n    reason: because\n", YOUTH_EINVAL,
		 "reason", "only dropped"},
		{"    state: not_eligible\n    state_date: " END "\n    reason: x\n    attendance: 5\n",
		 YOUTH_ESTATE, "state", "cannot go from enrolled to not_eligible"},
		{"    state: enrolled\n    state_date: " START "\n    attended: [2009-05-04]\n"
		 "    missed: [2009-05-04]\n", YOUTH_EINVAL, "missed", "twice"},
		{"    state: enrolled\n    state_date: " START "\n    attended: [2010-01-01]\n",
		 YOUTH_EINVAL, "attended", "outside cohort"},
		{"    state: enrolled\n", YOUTH_EINVAL, "state_date", "missing"},
		{"    state: finished\n    state_date: " END "\n", YOUTH_EINVAL, "state", "finished"},
		{"    override_by: 01890000-0000-7000-8000-000000000001\n", YOUTH_EINVAL,
		 "override_by", "override_reason"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		youth_registry *reg = th_open_memory_gazetteer();
		char body[1024];
		snprintf(body, sizeof body, "%s%s", ENROLLMENT(""), cases[i].extra);
		char *s = doc(body, HEAD_RECORDS + 1);
		const char *buf = s;
		youth_interchange_summary sum;
		int rc = th_import_text(reg, buf, 0, &sum);
		if (rc != cases[i].rc || !th_streq(youth_error_last()->field, cases[i].field) ||
		    !th_contains(youth_error_last()->message, cases[i].msg))
			fail_msg("case %zu: rc %d field %s: %s", i, rc, youth_error_last()->field,
			         youth_error_last()->message);
		assert_int_equal(count(reg, "enrollments"), 0);
		assert_int_equal(count(reg, "courses"), 0);
		free(s);
		youth_registry_close(reg);
	}
}

/* Writes every UUID of @text as zeros in place: two registries made alike differ only there. */
static void mask_uuids(char *text)
{
	for (char *p = text; *p; p++) {
		static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
		size_t n = 0;
		while (n < sizeof shape - 1 && p[n] &&
		       (shape[n] == '-' ? p[n] == '-' : strchr("0123456789abcdef", p[n]) != NULL))
			n++;
		if (n == sizeof shape - 1)
			for (size_t i = 0; i < n; i++)
				p[i] = shape[i] == '-' ? '-' : '0';
	}
}

/* A registry with the gazetteer, with an audit trail when @audited. */
static youth_registry *open_audited(int audited)
{
	youth_registry *reg = th_open_memory_gazetteer();
	if (audited) {
		assert_ok(youth_registry_set_actor(reg, "test"));
		assert_ok(youth_audit_enable(reg));
	}
	return reg;
}

/* An import without an audit trail writes an enrollment's final state at once; an audited one
 * replays each step through the API.  Both must accept and refuse the same records, with the
 * same message, blamed key and file position, and store the same rows. */
static void test_final_state_as_steps(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"    state: completed\n    state_date: " END "\n    attendance: 90\n"
		"    certificate_date: 2009-08-01\n",
		"    state: completed\n    state_date: " END "\n    attendance: 90\n"
		"    certificate_date: 2009-07-01\n",
		"    state: completed\n    state_date: " END "\n    attendance: 101\n",
		"    state: completed\n    state_date: 2009-04-01\n    attendance: 90\n",
		"    state: completed\n    state_date: 2999-01-01\n    attendance: 90\n",
		"    state: completed\n    state_date: " END "\n    attendance: 90\n"
		"    certificate_date: 2999-01-01\n",
		"    state: completed\n    state_date: " END "\n    attendance: 50\n",
		"    state: completed\n    state_date: " END "\n",
		"    state: dropped\n    state_date: " END "\n    reason: moved\n    attendance: 40\n",
		"    state: dropped\n    state_date: " END "\n    reason: moved\n",
		"    state: dropped\n    state_date: " END "\n    reason: \" \"\n",
		"    state: dropped\n    state_date: " END "\n    reason: x\n"
		"    certificate_date: 2009-08-01\n",
		"    state: not_eligible\n    state_date: " START "\n    reason: too old\n",
		"    state: not_eligible\n    state_date: " END "\n    reason: x\n    attendance: 5\n",
		"    state: enrolled\n    state_date: " START "\n",
		"    state: enrolled\n    state_date: " START "\n    attendance: 70\n",
		"    state: enrolled\n    state_date: " START "\n    reason: because\n",
		"    state: enrolled\n    state_date: " START "\n    certificate_date: 2009-08-01\n",
		"    state: applied\n",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char body[1024];
		snprintf(body, sizeof body, "%s%s", ENROLLMENT(""), cases[i]);
		char *s = doc(body, HEAD_RECORDS + 1);
		int rc[2];
		char msg[2][700], field[2][64];
		th_text out[2];
		for (int audited = 0; audited < 2; audited++) {
			youth_registry *reg = open_audited(audited);
			youth_interchange_summary sum;
			rc[audited] = th_import_text(reg, s, 0, &sum);
			snprintf(msg[audited], sizeof msg[0], "%s", youth_error_last()->message);
			snprintf(field[audited], sizeof field[0], "%s",
			         youth_error_last()->field ? youth_error_last()->field : "");
			out[audited] = export_all(reg);
			youth_registry_close(reg);
		}
		if (rc[0] != rc[1] || (rc[0] && (strcmp(msg[0], msg[1]) != 0 ||
		                                  strcmp(field[0], field[1]) != 0)))
			fail_msg("case %zu: at once %d %s: %s\nas steps %d %s: %s", i, rc[0], field[0],
			         msg[0], rc[1], field[1], msg[1]);
		mask_uuids(out[0].data);
		mask_uuids(out[1].data);
		if (strcmp(out[0].data, out[1].data) != 0)
			fail_msg("case %zu: stored\n%s\n--- as steps\n%s", i, out[0].data, out[1].data);
		free(out[0].data);
		free(out[1].data);
		free(s);
	}
}

/* A person of the file below, referred to by uuid. */
#define KNOWN_PERSON(n)                                                                        \
	"  - uuid: 01890000-0000-7000-8000-00000000010" #n "\n"                                    \
	"    given_names: Ana\n"                                                                   \
	"    first_surname: López\n"                                                               \
	"    birth_date: 1990-05-14\n"                                                             \
	"    sex: female\n"                                                                        \
	"    place: " TH_SANTA_EUGENIA "\n"                                                        \
	"    census_date: 2009-03-02\n"                                                            \
	"    census_round: census-2009\n"                                                          \
	"    consent: true\n"                                                                      \
	"    consent_date: 2009-03-02\n"
#define KNOWN_ENROLLMENT(cohort, n, extra)                                                     \
	"  - cohort: " cohort "\n"                                                                 \
	"    person: 01890000-0000-7000-8000-00000000010" #n "\n"                                  \
	"    operator: 01890000-0000-7000-8000-000000000001\n"                                     \
	"    applied_date: " APPLIED "\n" extra

/* Without an audit trail, an enrollment's final state takes its cohort (and the places
 * taken) as the enrollment before it in the same cohort left it; an audited import reads the
 * cohort at each step.  Both accept and refuse the same records of a file whose cohorts fill
 * up, with refused records between (whose rollback the kept cohort must not survive), and
 * store the same rows. */
static void test_cohort_known_as_steps(void **state)
{
	(void)state;
	static const char text[] =
		"format: libyouth/1\n"
		"exchanges:\n"
		"  - code: SON\n"
		"    name: Bolsa\n"
		"    place: " SONSONATE "\n"
		"operators:\n"
		"  - uuid: 01890000-0000-7000-8000-000000000001\n"
		"    exchange: SON\n"
		"    given_names: Marta\n"
		"    first_surname: Ramírez\n"
		"    role: coordinator\n"
		"persons:\n" KNOWN_PERSON(1) KNOWN_PERSON(2) KNOWN_PERSON(3) KNOWN_PERSON(4)
		KNOWN_PERSON(5)
		"courses:\n"
		"  - code: PAN\n"
		"    title: Panadería\n"
		"    provider: INSAFORP\n"
		"    hours: 160\n"
		"cohorts:\n"
		"  - code: PAN-1\n"
		"    course: PAN\n"
		"    exchange: SON\n"
		"    start_date: " START "\n"
		"    end_date: " END "\n"
		"    place: " SONSONATE "\n"
		"    capacity: 10\n"
		"    min_attendance: 80\n"
		"  - code: PAN-2\n"
		"    course: PAN\n"
		"    exchange: SON\n"
		"    start_date: " START "\n"
		"    end_date: " END "\n"
		"    place: " SONSONATE "\n"
		"    capacity: 2\n"
		"enrollments:\n"
		KNOWN_ENROLLMENT("PAN-2", 1, "    state: completed\n    state_date: " END "\n"
		                 "    attendance: 90\n")
		KNOWN_ENROLLMENT("PAN-2", 2, "    state: enrolled\n    state_date: " START "\n")
		/* full: refused, and so is the second try */
		KNOWN_ENROLLMENT("PAN-2", 3, "    state: completed\n    state_date: " END "\n"
		                 "    attendance: 90\n")
		KNOWN_ENROLLMENT("PAN-2", 3, "    state: enrolled\n    state_date: " START "\n")
		KNOWN_ENROLLMENT("PAN-2", 3, "")
		KNOWN_ENROLLMENT("PAN-2", 4, "    state: dropped\n    state_date: " START "\n"
		                 "    reason: moved\n")
		KNOWN_ENROLLMENT("PAN-2", 4, "") /* applied twice */
		KNOWN_ENROLLMENT("PAN-1", 1, "    state: completed\n    state_date: " END "\n"
		                 "    attendance: 50\n") /* below the minimum */
		KNOWN_ENROLLMENT("PAN-1", 1, "    state: completed\n    state_date: " END "\n"
		                 "    attendance: 85\n    certificate_date: 2009-08-01\n")
		KNOWN_ENROLLMENT("PAN-1", 2, "    state: enrolled\n    state_date: " START "\n")
		KNOWN_ENROLLMENT("PAN-2", 5, "    state: enrolled\n    state_date: " START "\n")
		KNOWN_ENROLLMENT("PAN-1", 5, "    state: completed\n    state_date: " END "\n"
		                 "    attendance: 80\n")
		"end:\n  records: 22\n";
	youth_interchange_summary sum[2];
	char *rejects[2];
	th_text out[2];
	for (int audited = 0; audited < 2; audited++) {
		youth_registry *reg = open_audited(audited);
		rejects[audited] = th_import_rejects(reg, text, strlen(text), "k.yaml", &sum[audited]);
		out[audited] = export_all(reg);
		youth_registry_close(reg);
	}
	assert_int_equal(sum[0].rejected, 5);
	assert_int_equal(sum[0].imported, 17);
	assert_int_equal(sum[1].rejected, sum[0].rejected);
	assert_int_equal(sum[1].imported, sum[0].imported);
	assert_string_equal(rejects[0], rejects[1]);
	assert_non_null(strstr(rejects[0], "cohort PAN-2 is full (capacity 2, 2 places taken)"));
	assert_non_null(strstr(rejects[0], "attendance 50% is below the cohort's minimum 80%"));
	mask_uuids(out[0].data);
	mask_uuids(out[1].data);
	assert_string_equal(out[0].data, out[1].data);
	for (int i = 0; i < 2; i++) {
		free(rejects[i]);
		free(out[i].data);
	}
}

static void test_duplicates_and_upsert(void **state)
{
	fx *f = *state;
	th_text a = export_all(f->reg);
	youth_interchange_summary sum;
	/* Without upsert, the same file again is a conflict. */
	assert_rc(youth_import_buffer(&sum, f->reg, a.data, a.len, "a.yaml", NULL), YOUTH_EEXISTS);
	/* With upsert, nothing changes. */
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_UPSERT;
	assert_ok(youth_import_buffer(&sum, f->reg, a.data, a.len, "a.yaml", &o));
	assert_int_equal(sum.unchanged, sum.records);
	assert_int_equal(sum.imported + sum.updated, 0);
	th_text b = export_all(f->reg);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	free(b.data);

	/* A course retitled, an operator back at work and the applied enrollment taken to
	 * completion: three updates. */
	char *t1 = replace(a.data, "title: Panadería\n", "title: Panaderia\n", 1);
	char *t2 = replace(t1, "    active: false\n", "    active: true\n", 1);
	char *next = replace(t2, "state: applied\n    applied_date: " APPLIED "\n    state_date: "
	                     APPLIED "\n", "state: completed\n    applied_date: " APPLIED
	                     "\n    state_date: " END "\n    attendance: 81\n", 1);
	free(t1);
	free(t2);
	assert_ok(youth_import_buffer(&sum, f->reg, next, strlen(next), "b.yaml", &o));
	assert_int_equal(sum.updated, 3);
	assert_int_equal(sum.unchanged, sum.records - 3);
	b = export_all(f->reg);
	if (strcmp(b.data, next) != 0)
		fail_msg("after upsert:\n%s\n--- expected\n%s", b.data, next);
	free(b.data);

	/* Not a continuation: completed cannot go back to applied. */
	assert_rc(youth_import_buffer(&sum, f->reg, a.data, a.len, "a.yaml", &o), YOUTH_EEXISTS);
	assert_msg_has("not a continuation");
	free(next);
	free(a.data);
}

static void test_keep_going(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	char *s = doc("enrollments:\n"
	              "  - cohort: PAN-1\n"
	              "    person: 04567891-1\n"
	              "    operator: 01890000-0000-7000-8000-000000000001\n"
	              "    applied_date: " APPLIED "\n"
	              "    state: completed\n"
	              "    state_date: " END "\n"
	              "  - cohort: NOPE\n"
	              "    person: 04567891-1\n"
	              "    operator: 01890000-0000-7000-8000-000000000001\n"
	              "    applied_date: " APPLIED "\n"
	              "  - cohort: PAN-1\n"
	              "    person: 04567891-1\n"
	              "    operator: 01890000-0000-7000-8000-000000000001\n"
	              "    applied_date: " APPLIED "\n"
	              "    state: enrolled\n"
	              "    state_date: " START "\n",
	              HEAD_RECORDS + 3);
	char *dir = th_tmpdir();
	char *rej = th_path(dir, "rejects.yaml");
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_KEEP_GOING;
	o.rejects_path = rej;
	youth_interchange_summary sum;
	assert_ok(youth_import_buffer(&sum, reg, s, strlen(s), "k.yaml", &o));
	assert_int_equal(sum.rejected, 2);
	assert_int_equal(sum.imported, HEAD_RECORDS + 1);
	size_t n;
	char *report = (char *)th_read_file(rej, &n);
	assert_non_null(report);
	report = realloc(report, n + 1);
	report[n] = 0;
	assert_non_null(strstr(report, "attendance not recorded"));
	assert_non_null(strstr(report, "cohort \"NOPE\""));
	/* The report is itself an importable file. */
	youth_enrollment_iter *it;
	const youth_enrollment *e;
	assert_ok(youth_enrollment_iter_new(&it, reg, 0, 0));
	assert_ok(youth_enrollment_next(&e, it));
	assert_int_equal(e->state, YOUTH_ENROLLMENT_ENROLLED);
	assert_rc(youth_enrollment_next(&e, it), YOUTH_ITEROVER);
	youth_enrollment_iter_free(it);
	free(report);
	th_rmtree(dir);
	free(dir);
	free(rej);
	free(s);
	youth_registry_close(reg);
}

/* Programmes are replaced only with upsert; employers are found by NIT. */
static void test_programmes_employers(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	const char *text = "format: libyouth/1\n"
	                   "programmes:\n"
	                   "  - code: vocational\n"
	                   "    title: Courses\n"
	                   "    age_max: 24\n"
	                   "    places: [sonzacate, acajutla]\n"
	                   "employers:\n"
	                   "  - name: El Sol\n"
	                   "    nit: 0315-010190-101-3\n"
	                   "end:\n  records: 2\n";
	youth_interchange_summary sum;
	assert_ok(th_import_text(reg, text, 0, &sum));
	youth_programme *p;
	assert_ok(youth_programme_get(&p, reg, "vocational"));
	assert_string_equal(p->places,
	                    "sonsonate/sonsonate-centro/sonzacate, sonsonate/sonsonate-oeste/acajutla");
	youth_programme_free(p);
	assert_rc(th_import_text(reg, text, 0, &sum), YOUTH_EEXISTS);
	assert_err_field("code");
	assert_ok(th_import_text(reg, text, YOUTH_IMPORT_UPSERT, &sum));
	/* The places were given by name: stored as paths, so the programme reads as updated. */
	assert_int_equal(sum.updated + sum.unchanged, 2);
	assert_int_equal(sum.unchanged, 1);
	th_text x = export_all(reg);
	assert_ok(th_import_text(reg, x.data, YOUTH_IMPORT_UPSERT, &sum));
	assert_int_equal(sum.unchanged, sum.records);
	free(x.data);
	const char *moved = "format: libyouth/1\n"
	                    "employers:\n"
	                    "  - name: El Sol S.A. de C.V.\n"
	                    "    nit: 0315-010190-101-3\n"
	                    "end:\n  records: 1\n";
	assert_ok(th_import_text(reg, moved, YOUTH_IMPORT_UPSERT, &sum));
	assert_int_equal(sum.updated, 1);
	const char *other = "format: libyouth/1\n"
	                    "employers:\n"
	                    "  - uuid: 01890000-0000-7000-8000-0000000000aa\n"
	                    "    name: El Sol\n"
	                    "    nit: 0315-010190-101-3\n"
	                    "end:\n  records: 1\n";
	assert_rc(th_import_text(reg, other, YOUTH_IMPORT_UPSERT, &sum), YOUTH_EEXISTS);
	assert_msg_has("registered to employer");
	youth_registry_close(reg);
}

/* The whole sample registry: every section of this area comes back byte for byte. */
static void test_sample_roundtrip(void **state)
{
	(void)state;
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, YOUTH_EXAMPLE_DATA "/gazetteer.yaml"));
	assert_ok(youth_census_load(NULL, reg, YOUTH_EXAMPLE_DATA "/census.yaml", 0));
	assert_ok(sample_services(reg, YOUTH_EXAMPLE_DATA "/rules.yaml", NULL));
	/* The programme is over and every operator has left: the services they recorded must
	 * still travel (an inactive operator may not record new services, but history is
	 * history). */
	for (int64_t id = 1;; id++) {
		youth_operator *op = NULL;
		if (youth_operator_get(&op, reg, id) != YOUTH_OK)
			break;
		youth_operator o = *op;
		o.active = 0;
		assert_ok(youth_operator_update(reg, &o));
		youth_operator_free(op);
	}
	th_text a = export_all(reg);
	assert_non_null(strstr(a.data, "active: false"));
	youth_registry *b = empty();
	assert_ok(youth_import_buffer(NULL, b, a.data, a.len, "sample.yaml", NULL));
	th_text again = export_all(b);
	assert_int_equal(a.len, again.len);
	assert_memory_equal(a.data, again.data, a.len);
	assert_int_equal(count(b, "enrollments"), SAMPLE_VOCATIONAL);
	youth_registry_close(b);
	youth_registry_close(reg);
	free(a.data);
	free(again.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kinds, setup, teardown),
		cmocka_unit_test(test_hand_written),
		cmocka_unit_test(test_unknown_ref),
		cmocka_unit_test(test_contradictions),
		cmocka_unit_test(test_final_state_as_steps),
		cmocka_unit_test(test_cohort_known_as_steps),
		cmocka_unit_test_setup_teardown(test_duplicates_and_upsert, setup, teardown),
		cmocka_unit_test(test_keep_going),
		cmocka_unit_test(test_programmes_employers),
		cmocka_unit_test(test_sample_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
