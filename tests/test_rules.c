/* Tests of youth/rules.h — programmes, the rules YAML loader and eligibility — and of the
 * internal checks the services use (youth__eligibility with overrides, youth__operator_check).
 *
 * White-box: this program is linked with the library's objects rather than the shared library,
 * because the override path is internal (the services call it inside their own write) and
 * hidden from libyouth.so.  It also reads the tables directly to count rows. */
#include "private.h"

#include "helpers.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RULES_YAML YOUTH_EXAMPLE_DATA "/rules.yaml"

static int setup_rules(void **state)
{
	youth_registry *reg = th_open_memory_gazetteer();
	int64_t loaded = 0;
	assert_ok(youth_rules_load(&loaded, reg, RULES_YAML));
	assert_int_equal(loaded, 5);
	*state = reg;
	youth_error_clear();
	return 0;
}

/* ---- helpers ----------------------------------------------------------------------------- */

static int64_t count_sql(youth_registry *reg, const char *sql)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Rows of the rule tables, and a digest of their content: a refused call changes neither.
 * (The change counter is not compared: it counts rows written, rolled back or not.) */
typedef struct snap {
	int64_t programmes, places, overrides, changes;
	char *digest;
} snap;

static char *digest(youth_registry *reg)
{
	sqlite3_stmt *st = NULL;
	static const char sql[] =
		"SELECT coalesce(group_concat(x, '|'), '') FROM (SELECT id || ',' || uuid || ',' || code "
		"|| ',' || title || ',' || age_min || ',' || age_max || ',' || "
		"coalesce(census_rounds, '-') || ',' || consent_required || ',' || women_only || ',' || "
		"(SELECT coalesce(group_concat(place_id), '') FROM programme_place WHERE programme_id = "
		"programme.id) AS x FROM programme ORDER BY id)";
	assert_int_equal(sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *d = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return d;
}

static snap take(youth_registry *reg)
{
	snap s = {count_sql(reg, "SELECT count(*) FROM programme"),
	          count_sql(reg, "SELECT count(*) FROM programme_place"),
	          count_sql(reg, "SELECT count(*) FROM eligibility_override"),
	          youth_registry_total_changes(reg), digest(reg)};
	return s;
}

static void same(youth_registry *reg, snap *s, const char *file, int line)
{
	snap now = take(reg);
	if (now.programmes != s->programmes || now.places != s->places ||
	    now.overrides != s->overrides || strcmp(now.digest, s->digest) != 0)
		fail_msg("%s:%d: a refused call changed the registry", file, line);
	free(now.digest);
}
#define assert_same(reg, s) same((reg), (s), __FILE__, __LINE__)

/* Checks code, field and message of the last failure, and that nothing changed. */
#define REFUSED(reg, s, expr, code, field, needle) \
	TH_REFUSED(expr, code, field, needle, assert_same((reg), (s)))

/* Adds a person; @consent_date NULL means no consent.  Returns the id. */
static int64_t add_person(youth_registry *reg, const char *birth, int sex, const char *place,
                          const char *round, const char *consent_date)
{
	youth_person p;
	th_person_valid(&p);
	p.birth_date = birth;
	p.sex = sex;
	p.place = place;
	p.census_round = round;
	p.consent = consent_date != NULL;
	p.consent_date = consent_date;
	assert_ok(youth_person_add(reg, &p, YOUTH_PERSON_ALLOW_AGE));
	return p.id;
}

/* A male youth of Santa Eugenia (Sonzacate), born 1993-06-10: 16 on 2009-06-10, 25 on
 * 2018-06-10; census-2009 with consent on 2009-03-02. */
static int64_t add_youth(youth_registry *reg)
{
	return add_person(reg, "1993-06-10", YOUTH_SEX_MALE, TH_SANTA_EUGENIA, "census-2009",
	                  "2009-03-02");
}

static void check_rule(youth_registry *reg, const char *programme, int64_t person,
                       const char *date, const char *rule, const char *needle, const char *file,
                       int line)
{
	int64_t changes = youth_registry_total_changes(reg);
	int rc = youth_eligibility_check(reg, programme, person, date);
	th_check_rc(rc, rule ? YOUTH_ERULE : YOUTH_OK, "youth_eligibility_check", file, line);
	if (rule) {
		th_check_field(rule, file, line);
		th_check_msg(programme, file, line);
		if (needle)
			th_check_msg(needle, file, line);
	}
	if (youth_registry_total_changes(reg) != changes)
		fail_msg("%s:%d: a check wrote to the registry", file, line);
}
#define ELIGIBLE(reg, prog, person, date) \
	check_rule((reg), (prog), (person), (date), NULL, NULL, __FILE__, __LINE__)
#define VIOLATES(reg, prog, person, date, rule, needle) \
	check_rule((reg), (prog), (person), (date), (rule), (needle), __FILE__, __LINE__)

static youth_programme *get_programme(youth_registry *reg, const char *code)
{
	youth_programme *p = NULL;
	int rc = youth_programme_get(&p, reg, code);
	if (rc)
		fail_msg("youth_programme_get(%s): %s", code, youth_error_last()->message);
	return p;
}

static int64_t add_exchange(youth_registry *reg)
{
	youth_exchange e;
	youth_exchange_init(&e);
	e.code = "SZC";
	e.name = "Bolsa de Empleo de Sonzacate";
	e.place = "sonsonate/sonsonate-centro/sonzacate";
	assert_ok(youth_exchange_add(reg, &e));
	return e.id;
}

static int64_t add_operator(youth_registry *reg, int64_t exchange, int active)
{
	youth_operator o;
	youth_operator_init(&o);
	o.exchange_id = exchange;
	o.given_names = "Rosa Elena";
	o.first_surname = "Guzmán";
	o.role = YOUTH_ROLE_COORDINATOR;
	o.active = active;
	assert_ok(youth_operator_add(reg, &o));
	return o.id;
}

/* ---- programmes -------------------------------------------------------------------------- */

static void test_programme_init(void **state)
{
	(void)state;
	youth_programme p;
	memset(&p, 0x77, sizeof p);
	youth_programme_init(&p);
	assert_int_equal(p.id, 0);
	assert_int_equal(p.uuid[0], 0);
	assert_null(p.code);
	assert_null(p.title);
	assert_null(p.places);
	assert_null(p.census_rounds);
	assert_int_equal(p.age_min + p.age_max + p.consent_required + p.women_only, 0);
	youth_programme_init(NULL);
}

static void test_programme_put_get(void **state)
{
	youth_registry *reg = *state;
	youth_programme p;
	youth_programme_init(&p);
	p.code = "vocational";
	p.title = "Cursos vocacionales";
	p.age_min = 16;
	p.age_max = 24;
	p.places = " sonzacate ,Sonsonate Oeste/Acajutla";
	p.census_rounds = "census-2010,  census-2009 ";
	p.consent_required = 1;
	int64_t changes = youth_registry_total_changes(reg);
	assert_ok(youth_programme_put(reg, &p));
	assert_true(p.id > 0);
	assert_uuid(p.uuid);
	/* one programme row and two place rows */
	assert_int_equal(youth_registry_total_changes(reg), changes + 3);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM programme_place"), 2);

	youth_programme *got = get_programme(reg, "vocational");
	assert_int_equal(got->id, p.id);
	assert_string_equal(got->uuid, p.uuid);
	assert_string_equal(got->title, "Cursos vocacionales");
	assert_int_equal(got->age_min, 16);
	assert_int_equal(got->age_max, 24);
	/* canonical paths, in path order */
	assert_string_equal(got->places,
	                    "sonsonate/sonsonate-centro/sonzacate, sonsonate/sonsonate-oeste/acajutla");
	assert_string_equal(got->census_rounds, "census-2010, census-2009");
	assert_int_equal(got->consent_required, 1);
	assert_int_equal(got->women_only, 0);
	youth_programme_free(got);

	/* no optional rules: NULL lists */
	youth_programme_init(&p);
	p.code = "counselling";
	p.title = "Orientación";
	assert_ok(youth_programme_put(reg, &p));
	got = get_programme(reg, "counselling");
	assert_null(got->places);
	assert_null(got->census_rounds);
	assert_int_equal(got->age_min, 0);
	youth_programme_free(got);
	youth_programme_free(NULL);
}

static void test_programme_replace(void **state)
{
	youth_registry *reg = *state;
	youth_programme p;
	youth_programme_init(&p);
	p.code = "seed_capital";
	p.title = "Capital semilla";
	p.age_min = 18;
	p.places = "sonzacate, acajutla, sonsonate/sonsonate-centro/sonsonate";
	assert_ok(youth_programme_put(reg, &p));
	int64_t id = p.id;
	char uuid[YOUTH_UUID_LEN + 1];
	strcpy(uuid, p.uuid);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM programme_place"), 3);

	youth_programme q;
	youth_programme_init(&q);
	q.code = "seed_capital";
	q.title = "Capital semilla (2010)";
	q.age_max = 29;
	q.places = "acajutla";
	q.women_only = 1;
	int64_t changes = youth_registry_total_changes(reg);
	assert_ok(youth_programme_put(reg, &q));
	/* rows written: the programme updated, three places removed, one added */
	assert_int_equal(youth_registry_total_changes(reg), changes + 5);
	assert_int_equal(q.id, id); /* same record, same uuid */
	assert_string_equal(q.uuid, uuid);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM programme"), 1);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM programme_place"), 1);
	youth_programme *got = get_programme(reg, "seed_capital");
	assert_string_equal(got->title, "Capital semilla (2010)");
	assert_int_equal(got->age_min, 0); /* replaced, not merged */
	assert_int_equal(got->age_max, 29);
	assert_int_equal(got->women_only, 1);
	assert_string_equal(got->places, "sonsonate/sonsonate-oeste/acajutla");
	youth_programme_free(got);

	/* a replacement may not change the uuid */
	snap s = take(reg);
	strcpy(q.uuid, "0190f3a2-7b1c-7d2e-8f40-123456789abc");
	REFUSED(reg, &s, youth_programme_put(reg, &q), YOUTH_EINVAL, "uuid", "never changes");
	/* a replacement with an unknown place leaves the old rules whole */
	q.uuid[0] = 0;
	q.places = "acajutla, sonsonate/nowhere";
	REFUSED(reg, &s, youth_programme_put(reg, &q), YOUTH_ENOTFOUND, "places", "nowhere");
	free(s.digest);
}

static void test_programme_invalid(void **state)
{
	youth_registry *reg = *state;
	youth_programme ok;
	youth_programme_init(&ok);
	ok.code = "vocational";
	ok.title = "Cursos";
	ok.places = "sonzacate";
	assert_ok(youth_programme_put(reg, &ok));
	snap s = take(reg);
	youth_programme p;
#define RESET()                                 \
	do {                                        \
		youth_programme_init(&p);               \
		p.code = "new_one";                     \
		p.title = "Nuevo";                      \
	} while (0)
	RESET();
	p.code = NULL;
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "code", "missing");
	p.code = "voc ational";
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "code", "letters");
	p.code = "abcdefghijklmnopqrstuvwxyz0123456"; /* 33 */
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "code", NULL);
	RESET();
	p.title = "";
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "title", "missing");
	p.title = "T\xc0\x80";
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "title", "UTF-8");
	RESET();
	p.age_min = -1;
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "age_min", "-1");
	p.age_min = 121;
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "age_min", "121");
	RESET();
	p.age_max = 200;
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "age_max", "200");
	p.age_min = 25;
	p.age_max = 24;
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "age_min", "above age_max 24");
	RESET();
	p.consent_required = 2;
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "consent_required", NULL);
	RESET();
	p.women_only = -1;
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "women_only", NULL);
	RESET();
	p.census_rounds = "census 2009";
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "census_rounds", "census 2009");
	p.census_rounds = "census-2009, census-2009";
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "census_rounds", "twice");
	p.census_rounds = " , ,";
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "census_rounds", "no round");
	RESET();
	p.places = "sonzacate, atlantis";
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_ENOTFOUND, "places", "atlantis");
	p.places = "sonzacate, sonsonate/sonsonate-centro/sonzacate";
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "places", "twice");
	p.places = ",";
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "places", "no place");
	p.places = "san-julian";
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "places", "ambiguous");
	p.places = "sonz\xffte";
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "places", "UTF-8");
	RESET();
	strcpy(p.uuid, "zz");
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EINVAL, "uuid", NULL);
	RESET();
	memcpy(p.uuid, ok.uuid, sizeof p.uuid); /* another programme's uuid */
	REFUSED(reg, &s, youth_programme_put(reg, &p), YOUTH_EEXISTS, "uuid", ok.uuid);
	assert_rc(youth_programme_put(NULL, &p), YOUTH_EINVAL);
	assert_rc(youth_programme_put(reg, NULL), YOUTH_EINVAL);
#undef RESET
	free(s.digest);
}

static void test_programme_get_errors(void **state)
{
	youth_registry *reg = *state;
	youth_programme *p = (youth_programme *)reg;
	assert_rc(youth_programme_get(&p, reg, "vocational"), YOUTH_ENOTFOUND);
	assert_msg_has("vocational");
	assert_null(p);
	assert_rc(youth_programme_get(&p, reg, NULL), YOUTH_EINVAL);
	assert_rc(youth_programme_get(&p, NULL, "x"), YOUTH_EINVAL);
	assert_rc(youth_programme_get(NULL, reg, "x"), YOUTH_EINVAL);
}

/* ---- loading ----------------------------------------------------------------------------- */

static void test_programme_iter(void **state)
{
	youth_registry *reg = *state;
	static const char *const codes[] = {"counselling", "female_window", "scholarship",
	                                    "seed_capital", "vocational"};
	youth_programme_iter *it = NULL;
	const youth_programme *p;
	size_t n = 0;
	int rc;
	assert_ok(youth_programme_iter_new(&it, reg));
	while ((rc = youth_programme_next(&p, it)) == YOUTH_OK) {
		assert_true(n < 5);
		assert_string_equal(p->code, codes[n]);
		/* the same record as a get, places included */
		youth_programme *got = get_programme(reg, p->code);
		assert_int_equal(p->id, got->id);
		assert_string_equal(p->uuid, got->uuid);
		assert_string_equal(p->title, got->title);
		assert_int_equal(p->age_min, got->age_min);
		assert_int_equal(p->age_max, got->age_max);
		if (got->places)
			assert_string_equal(p->places, got->places);
		else
			assert_null(p->places);
		if (got->census_rounds)
			assert_string_equal(p->census_rounds, got->census_rounds);
		else
			assert_null(p->census_rounds);
		assert_int_equal(p->consent_required, got->consent_required);
		assert_int_equal(p->women_only, got->women_only);
		youth_programme_free(got);
		n++;
	}
	assert_rc(rc, YOUTH_ITEROVER);
	assert_rc(youth_programme_next(&p, it), YOUTH_ITEROVER); /* latched */
	assert_null(p);
	assert_int_equal(n, 5);
	assert_rc(youth_programme_next(NULL, it), YOUTH_EINVAL);
	assert_rc(youth_programme_next(&p, NULL), YOUTH_EINVAL);
	youth_programme_iter_free(it);
	youth_programme_iter_free(NULL);
	assert_rc(youth_programme_iter_new(NULL, reg), YOUTH_EINVAL);
	assert_rc(youth_programme_iter_new(&it, NULL), YOUTH_EINVAL);
	assert_null(it);
}

static void test_programme_iter_empty(void **state)
{
	youth_registry *reg = *state;
	youth_programme_iter *it = NULL;
	const youth_programme *p = NULL;
	assert_ok(youth_programme_iter_new(&it, reg));
	assert_rc(youth_programme_next(&p, it), YOUTH_ITEROVER);
	youth_programme_iter_free(it);
}

static void test_load_example(void **state)
{
	youth_registry *reg = *state;
	int64_t loaded = -1;
	assert_ok(youth_rules_load(&loaded, reg, RULES_YAML));
	assert_int_equal(loaded, 5);
	static const char *const codes[] = {YOUTH_PROGRAMME_COUNSELLING, YOUTH_PROGRAMME_VOCATIONAL,
	                                    YOUTH_PROGRAMME_SCHOLARSHIP, YOUTH_PROGRAMME_SEED_CAPITAL,
	                                    YOUTH_PROGRAMME_FEMALE_WINDOW};
	int64_t ids[5];
	for (int i = 0; i < 5; i++) {
		youth_programme *p = get_programme(reg, codes[i]);
		ids[i] = p->id;
		assert_int_equal(p->age_min, 16);
		assert_int_equal(p->age_max, i == 4 ? 35 : 24);
		assert_int_equal(p->women_only, i == 4);
		assert_int_equal(p->consent_required, 1);
		assert_string_equal(p->census_rounds, "census-2009");
		assert_string_equal(p->places, "sonsonate/sonsonate-centro/sonsonate, "
		                               "sonsonate/sonsonate-centro/sonzacate, "
		                               "sonsonate/sonsonate-oeste/acajutla");
		youth_programme_free(p);
	}
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM programme_place"), 15);
	/* loading again replaces by code: same records, no duplicates */
	assert_ok(youth_rules_load(&loaded, reg, RULES_YAML));
	assert_int_equal(loaded, 5);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM programme"), 5);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM programme_place"), 15);
	for (int i = 0; i < 5; i++) {
		youth_programme *p = get_programme(reg, codes[i]);
		assert_int_equal(p->id, ids[i]);
		youth_programme_free(p);
	}
	assert_rc(youth_rules_load(&loaded, reg, YOUTH_EXAMPLE_DATA "/no-such-rules.yaml"),
	          YOUTH_ENOTFOUND);
	assert_int_equal(loaded, 0);
	assert_rc(youth_rules_load(&loaded, NULL, RULES_YAML), YOUTH_EINVAL);
	assert_rc(youth_rules_load(&loaded, reg, NULL), YOUTH_EINVAL);
	assert_rc(youth_rules_load_buffer(&loaded, reg, NULL, 0, "x"), YOUTH_EINVAL);
	assert_rc(youth_rules_load_buffer(&loaded, NULL, "", 0, "x"), YOUTH_EINVAL);
}

static void test_load_buffer(void **state)
{
	youth_registry *reg = *state;
	static const char doc[] =
		"format: libyouth/1\n"
		"programmes:\n"
		"  - code: vocational\n"
		"    title: Cursos\n"
		"    age_min: 16\n"
		"    places: [sonzacate]\n"
		"  - {code: counselling, title: Orientación, women_only: yes, census_rounds: [c1, c2],\n"
		"     uuid: 0190F3A2-7B1C-7D2E-8F40-123456789ABC}\n"
		"  - code: empty\n"
		"    title: Sin reglas\n";
	int64_t loaded = 0;
	assert_ok(youth_rules_load_buffer(&loaded, reg, doc, sizeof doc - 1, "inline.yaml"));
	assert_int_equal(loaded, 3);
	youth_programme *p = get_programme(reg, "counselling");
	assert_int_equal(p->women_only, 1);
	assert_string_equal(p->census_rounds, "c1, c2");
	assert_string_equal(p->uuid, "0190f3a2-7b1c-7d2e-8f40-123456789abc");
	youth_programme_free(p);
	p = get_programme(reg, "empty");
	assert_null(p->places);
	assert_null(p->census_rounds);
	youth_programme_free(p);
	/* an empty list of programmes is a valid (empty) file */
	static const char none[] = "format: libyouth/1\nprogrammes: []\n";
	assert_ok(youth_rules_load_buffer(&loaded, reg, none, sizeof none - 1, "none.yaml"));
	assert_int_equal(loaded, 0);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM programme"), 3);
}

typedef struct bad_doc {
	const char *name;
	const char *text;
	int code;
	const char *needle;
	int line; /* 0: not checked */
} bad_doc;

static void test_load_hostile(void **state)
{
	youth_registry *reg = *state;
	assert_ok(youth_rules_load(NULL, reg, RULES_YAML));
	snap s = take(reg);
#define HEAD "format: libyouth/1\nprogrammes:\n"
#define GOOD "  - {code: vocational, title: Replaced, age_min: 18}\n"
	const bad_doc docs[] = {
		{"alias", HEAD "  - &p {code: a, title: b}\n  - *p\n", YOUTH_EPARSE, "anchor", 3},
		{"alias2", HEAD "  - {code: a, title: &t b}\n  - {code: c, title: *t}\n", YOUTH_EPARSE,
		 "anchor", 0},
		{"tag", HEAD "  - {code: a, title: !!python/object:os.system b}\n", YOUTH_EPARSE, "tag",
		 3},
		{"tag2", HEAD "  - !programme {code: a, title: b}\n", YOUTH_EPARSE, "tag", 0},
		{"unknown key", HEAD GOOD "  - code: a\n    title: b\n    colour: red\n", YOUTH_EINVAL,
		 "colour", 6},
		{"unknown top", HEAD GOOD "courses: []\n", YOUTH_EINVAL, "courses", 4},
		{"id key", HEAD "  - {code: a, title: b, id: 3}\n", YOUTH_EINVAL, "id", 3},
		{"no format", "programmes:\n" GOOD, YOUTH_EPARSE, "format", 1},
		{"other format", "format: libyouth/9\nprogrammes: []\n", YOUTH_EPARSE, "libyouth/9", 1},
		{"no programmes", "format: libyouth/1\n", YOUTH_EINVAL, "programmes", 0},
		{"programmes twice", HEAD GOOD "programmes: []\n", YOUTH_EINVAL, "twice", 4},
		{"programmes not a list", HEAD "  code: a\n", YOUTH_EPARSE, "list of programmes", 3},
		{"places scalar", HEAD "  - {code: a, title: b, places: sonzacate}\n", YOUTH_EINVAL,
		 "expected a list", 3},
		{"places empty", HEAD "  - {code: a, title: b, places: []}\n", YOUTH_EINVAL, "empty", 3},
		{"places comma", HEAD "  - {code: a, title: b, places: ['sonzacate, acajutla']}\n",
		 YOUTH_EINVAL, "comma", 3},
		{"places nested", HEAD "  - {code: a, title: b, places: [[sonzacate]]}\n", YOUTH_EINVAL,
		 "plain value", 3},
		{"places blank item", HEAD "  - {code: a, title: b, places: ['  ']}\n", YOUTH_EINVAL,
		 "empty item", 3},
		{"unknown place", HEAD GOOD "  - code: a\n    title: b\n    places:\n      - acajutla\n"
		                            "      - sonsonate/atlantis\n",
		 YOUTH_ENOTFOUND, "atlantis", 6},
		{"rounds scalar", HEAD "  - {code: a, title: b, census_rounds: census-2009}\n",
		 YOUTH_EINVAL, "expected a list", 3},
		{"bad round", HEAD "  - {code: a, title: b, census_rounds: ['census 2009']}\n",
		 YOUTH_EINVAL, "census 2009", 3},
		{"age text", HEAD GOOD "  - code: a\n    title: b\n    age_min: sixteen\n", YOUTH_EINVAL,
		 "sixteen", 6},
		{"age range", HEAD "  - {code: a, title: b, age_min: 30, age_max: 20}\n", YOUTH_EINVAL,
		 "age_max", 3},
		{"bool text", HEAD "  - {code: a, title: b, women_only: sometimes}\n", YOUTH_EINVAL,
		 "sometimes", 3},
		{"value mapping", HEAD "  - {code: a, title: {es: b}}\n", YOUTH_EINVAL, "plain value", 3},
		{"key twice", HEAD "  - {code: a, title: b, title: c}\n", YOUTH_EINVAL, "twice", 3},
		{"code twice", HEAD GOOD "  - {code: vocational, title: Again}\n", YOUTH_EINVAL,
		 "defined twice", 4},
		{"no code", HEAD GOOD "  - {title: b}\n", YOUTH_EINVAL, "code", 4},
		{"no title", HEAD GOOD "  - {code: b}\n", YOUTH_EINVAL, "title", 4},
		{"item not mapping", HEAD GOOD "  - vocational\n", YOUTH_EPARSE, "mapping", 4},
		{"two documents", HEAD GOOD "---\nformat: libyouth/1\n", YOUTH_EPARSE, "one document", 0},
		{"malformed", HEAD "  - {code: a, title: b\n", YOUTH_EPARSE, NULL, 0},
		{"bad utf8", HEAD "  - {code: a, title: \xff\xfe}\n", YOUTH_EPARSE, "UTF-8", 0},
		{"tag directive", "%TAG !e! tag:example.com,2000:\n---\n" HEAD GOOD, YOUTH_EPARSE, "TAG",
		 0},
	};
#undef HEAD
#undef GOOD
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		int64_t loaded = -1;
		int rc = youth_rules_load_buffer(&loaded, reg, docs[i].text, strlen(docs[i].text),
		                                 "rules.yaml");
		if (rc != docs[i].code)
			fail_msg("%s: returned %s, expected %s: %s", docs[i].name, youth_error_name(rc),
			         youth_error_name(docs[i].code), youth_error_last()->message);
		assert_int_equal(loaded, 0);
		if (docs[i].needle && !th_contains(youth_error_last()->message, docs[i].needle))
			fail_msg("%s: message \"%s\" lacks \"%s\"", docs[i].name,
			         youth_error_last()->message, docs[i].needle);
		if (!th_contains(youth_error_last()->message, "rules.yaml"))
			fail_msg("%s: message \"%s\" does not name the file", docs[i].name,
			         youth_error_last()->message);
		if (docs[i].line) {
			char at[32];
			snprintf(at, sizeof at, "rules.yaml:%d:", docs[i].line);
			if (!th_contains(youth_error_last()->message, at))
				fail_msg("%s: message \"%s\" lacks \"%s\"", docs[i].name,
				         youth_error_last()->message, at);
		}
		/* nothing of the file was kept, the earlier programmes included */
		same(reg, &s, docs[i].name, (int)i);
	}
	/* ten thousand '[' where a list or a programme belongs: refused at the first level that
	 * is not what the format expects (or at the depth cap), without grinding through them */
	static const char *const heads[] = {
		"format: libyouth/1\nprogrammes:\n  - code: x\n    title: y\n    places: ",
		"format: libyouth/1\nprogrammes: ", "format: libyouth/1\nextra: ", ""};
	for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
		size_t hl = strlen(heads[h]), n = 10000;
		char *deep = malloc(hl + n + 1);
		assert_non_null(deep);
		memcpy(deep, heads[h], hl);
		memset(deep + hl, '[', n);
		deep[hl + n] = 0;
		clock_t t0 = clock();
		int rc = youth_rules_load_buffer(NULL, reg, deep, hl + n, "rules.yaml");
		double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
		assert_rc_in3(rc, YOUTH_EINVAL, YOUTH_EPARSE, YOUTH_ELIMIT);
		assert_true(secs < 1.0);
		assert_same(reg, &s);
		free(deep);
	}
	/* nesting inside a value the loader would walk into is capped at 32 levels */
	{
		char doc[400] = "format: libyouth/1\nprogrammes:\n  - code: x\n    title: ";
		for (int i = 0; i < 40; i++)
			strcat(doc, "[");
		strcat(doc, "\n");
		int rc = youth_rules_load_buffer(NULL, reg, doc, strlen(doc), "rules.yaml");
		assert_rc_in2(rc, YOUTH_EINVAL, YOUTH_ELIMIT);
		assert_same(reg, &s);
	}
	/* a NUL byte inside the buffer */
	static const char nul[] = "format: libyouth/1\nprogrammes:\n  - {code: a\0b, title: c}\n";
	assert_rc_in2(youth_rules_load_buffer(NULL, reg, nul, sizeof nul - 1, "rules.yaml"),
	              YOUTH_EPARSE, YOUTH_EINVAL);
	assert_same(reg, &s);
	free(s.digest);
}

static void test_load_out_of_memory(void **state)
{
	youth_registry *reg = *state;
	size_t size = 0;
	unsigned char *doc = th_read_file(RULES_YAML, &size);
	assert_non_null(doc);
	th_alloc_state st;
	int ok = 0;
	for (long n = 1; n < 2000 && !ok; n++) {
		int64_t before = count_sql(reg, "SELECT count(*) FROM programme");
		th_alloc_install(&st, n, 0);
		int rc = youth_rules_load_buffer(NULL, reg, (const char *)doc, size, "rules.yaml");
		th_alloc_restore();
		assert_rc_in2(rc, YOUTH_OK, YOUTH_ENOMEM);
		assert_int_equal(count_sql(reg, "SELECT count(*) FROM programme"),
		                 rc == YOUTH_OK ? 5 : before);
		ok = rc == YOUTH_OK;
	}
	assert_true(ok);
	free(doc);
}

/* ---- eligibility ------------------------------------------------------------------------- */

static void test_eligible(void **state)
{
	youth_registry *reg = *state;
	int64_t youth = add_youth(reg);
	ELIGIBLE(reg, YOUTH_PROGRAMME_VOCATIONAL, youth, "2009-07-01");
	ELIGIBLE(reg, YOUTH_PROGRAMME_COUNSELLING, youth, "2010-01-15");
	ELIGIBLE(reg, YOUTH_PROGRAMME_SCHOLARSHIP, youth, "2011-03-01");
	ELIGIBLE(reg, YOUTH_PROGRAMME_SEED_CAPITAL, youth, "2012-09-30");
	/* a programme without rules admits everyone */
	ELIGIBLE(reg, "no_such_programme", youth, "2009-07-01");
	int64_t old = add_person(reg, "1950-01-01", YOUTH_SEX_MALE, "sonsonate/sonsonate-este/izalco",
	                         "other", NULL);
	ELIGIBLE(reg, "no_such_programme", old, "2009-07-01");
}

static void test_age_boundaries(void **state)
{
	youth_registry *reg = *state;
	int64_t youth = add_youth(reg); /* born 1993-06-10 */
	VIOLATES(reg, YOUTH_PROGRAMME_VOCATIONAL, youth, "2009-06-09", "age_min",
	         "age 15 on 2009-06-09 is below the minimum 16");
	ELIGIBLE(reg, YOUTH_PROGRAMME_VOCATIONAL, youth, "2009-06-10"); /* 16th birthday */
	ELIGIBLE(reg, YOUTH_PROGRAMME_VOCATIONAL, youth, "2018-06-09"); /* last day at 24 */
	char msg[128];
	snprintf(msg, sizeof msg, "vocational: age 25 on 2018-06-10 is above the maximum 24 "
	                          "(person %lld)", (long long)youth);
	VIOLATES(reg, YOUTH_PROGRAMME_VOCATIONAL, youth, "2018-06-10", "age_max", msg);
	assert_string_equal(youth_error_last()->message, msg);

	/* 29 February: a year older on 1 March in common years */
	youth_programme p;
	youth_programme_init(&p);
	p.code = "leap";
	p.title = "Leap";
	p.age_min = 17;
	assert_ok(youth_programme_put(reg, &p));
	int64_t leap = add_person(reg, "1992-02-29", YOUTH_SEX_FEMALE, TH_SANTA_EUGENIA,
	                          "census-2009", "2009-03-02");
	VIOLATES(reg, "leap", leap, "2009-02-28", "age_min", "age 16");
	ELIGIBLE(reg, "leap", leap, "2009-03-01");
}

static void test_women_only(void **state)
{
	youth_registry *reg = *state;
	int64_t man = add_youth(reg);
	int64_t woman = add_person(reg, "1990-01-20", YOUTH_SEX_FEMALE,
	                           "sonsonate/sonsonate-oeste/acajutla/metalio", "census-2009",
	                           "2009-03-02");
	char msg[96];
	snprintf(msg, sizeof msg, "female_window: for women only (person %lld is male)",
	         (long long)man);
	VIOLATES(reg, YOUTH_PROGRAMME_FEMALE_WINDOW, man, "2010-02-01", "women_only", msg);
	assert_string_equal(youth_error_last()->message, msg);
	/* 34 in 2024: inside the window's 16-35, outside the 16-24 of the others */
	ELIGIBLE(reg, YOUTH_PROGRAMME_FEMALE_WINDOW, woman, "2024-06-01");
	VIOLATES(reg, YOUTH_PROGRAMME_SEED_CAPITAL, woman, "2024-06-01", "age_max", "34");
	VIOLATES(reg, YOUTH_PROGRAMME_FEMALE_WINDOW, woman, "2026-01-20", "age_max", "36");
}

static void test_places(void **state)
{
	youth_registry *reg = *state;
	int64_t izalco = add_person(reg, "1991-04-04", YOUTH_SEX_FEMALE,
	                            "sonsonate/sonsonate-este/izalco", "census-2009", "2009-03-02");
	char msg[160];
	snprintf(msg, sizeof msg, "vocational: place sonsonate/sonsonate-este/izalco is outside the "
	                          "places served (person %lld)", (long long)izalco);
	VIOLATES(reg, YOUTH_PROGRAMME_VOCATIONAL, izalco, "2009-06-01", "places", msg);
	assert_string_equal(youth_error_last()->message, msg);

	/* a rule place itself, and communities below each rule place */
	static const char *const inside[] = {"sonsonate/sonsonate-centro/sonsonate",
	                                     "sonsonate/sonsonate-centro/sonsonate/atonal",
	                                     "sonsonate/sonsonate-centro/sonzacate/el-sauce",
	                                     "sonsonate/sonsonate-oeste/acajutla/metalio",
	                                     "sonsonate/sonsonate-oeste/acajutla"};
	for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
		int64_t id = add_person(reg, "1991-04-04", YOUTH_SEX_FEMALE, inside[i], "census-2009",
		                        "2009-03-02");
		ELIGIBLE(reg, YOUTH_PROGRAMME_VOCATIONAL, id, "2009-06-01");
	}
	/* above a rule place, a sibling, and names that merely start like a rule place */
	assert_ok(youth_place_add(NULL, reg, "sonsonate/sonsonate-centro", "Sonsonate X", 0));
	assert_ok(youth_place_add(NULL, reg, "sonsonate/sonsonate-centro", "Sonsonatea", 0));
	static const char *const outside[] = {"sonsonate/sonsonate-centro",
	                                      "department:sonsonate",
	                                      "sonsonate/sonsonate-centro/nahulingo",
	                                      "sonsonate/sonsonate-centro/sonsonate-x",
	                                      "sonsonate/sonsonate-centro/sonsonatea"};
	for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
		int64_t id = add_person(reg, "1991-04-04", YOUTH_SEX_FEMALE, outside[i], "census-2009",
		                        "2009-03-02");
		const char *colon = strchr(outside[i], ':'); /* the message names the path */
		VIOLATES(reg, YOUTH_PROGRAMME_VOCATIONAL, id, "2009-06-01", "places",
		         colon ? colon + 1 : outside[i]);
	}
}

static void test_census_round_and_consent(void **state)
{
	youth_registry *reg = *state;
	int64_t r2010 = add_person(reg, "1991-04-04", YOUTH_SEX_MALE, TH_SANTA_EUGENIA, "census-2010",
	                           "2009-03-02");
	VIOLATES(reg, YOUTH_PROGRAMME_SCHOLARSHIP, r2010, "2010-06-01", "census_rounds",
	         "scholarship: census round census-2010 not accepted, only census-2009");
	int64_t none = add_person(reg, "1991-04-04", YOUTH_SEX_MALE, TH_SANTA_EUGENIA, "census-2009",
	                          NULL);
	char msg[96];
	snprintf(msg, sizeof msg, "counselling: consent not given (person %lld)", (long long)none);
	VIOLATES(reg, YOUTH_PROGRAMME_COUNSELLING, none, "2010-06-01", "consent_required", msg);
	assert_string_equal(youth_error_last()->message, msg);
	/* consent recorded after the service date did not cover it */
	int64_t late = add_person(reg, "1991-04-04", YOUTH_SEX_MALE, TH_SANTA_EUGENIA, "census-2009",
	                          "2009-08-01");
	VIOLATES(reg, YOUTH_PROGRAMME_COUNSELLING, late, "2009-07-31", "consent_required",
	         "given on 2009-08-01");
	ELIGIBLE(reg, YOUTH_PROGRAMME_COUNSELLING, late, "2009-08-01");
}

static void test_first_violation_reported(void **state)
{
	youth_registry *reg = *state;
	/* a man of 30, in Izalco, of another round, without consent: breaks all six rules */
	int64_t id = add_person(reg, "1979-01-01", YOUTH_SEX_MALE, "sonsonate/sonsonate-este/izalco",
	                        "census-2010", NULL);
	VIOLATES(reg, YOUTH_PROGRAMME_FEMALE_WINDOW, id, "2015-01-01", "age_max", "age 36");
	youth_programme p;
	youth_programme_init(&p);
	p.code = "strict";
	p.title = "Strict";
	p.age_min = 40;
	p.places = "acajutla";
	p.census_rounds = "census-2009";
	p.consent_required = 1;
	p.women_only = 1;
	assert_ok(youth_programme_put(reg, &p));
	VIOLATES(reg, "strict", id, "2015-01-01", "age_min", "below the minimum 40");
	p.age_min = 0;
	assert_ok(youth_programme_put(reg, &p));
	VIOLATES(reg, "strict", id, "2015-01-01", "places", "izalco");
	p.places = NULL;
	assert_ok(youth_programme_put(reg, &p));
	VIOLATES(reg, "strict", id, "2015-01-01", "census_rounds", "census-2010");
	p.census_rounds = NULL;
	assert_ok(youth_programme_put(reg, &p));
	VIOLATES(reg, "strict", id, "2015-01-01", "consent_required", "consent not given");
	p.consent_required = 0;
	assert_ok(youth_programme_put(reg, &p));
	VIOLATES(reg, "strict", id, "2015-01-01", "women_only", "is male");
	p.women_only = 0;
	assert_ok(youth_programme_put(reg, &p));
	ELIGIBLE(reg, "strict", id, "2015-01-01");
}

static void test_eligibility_bad_input(void **state)
{
	youth_registry *reg = *state;
	int64_t youth = add_youth(reg);
	int64_t changes = youth_registry_total_changes(reg);
	assert_rc(youth_eligibility_check(NULL, "vocational", youth, "2010-01-01"), YOUTH_EINVAL);
	assert_rc(youth_eligibility_check(reg, NULL, youth, "2010-01-01"), YOUTH_EINVAL);
	assert_err_field("programme");
	assert_rc(youth_eligibility_check(reg, "vocational", youth, NULL), YOUTH_EINVAL);
	assert_err_field("date");
	static const char *const bad_dates[] = {"2010-02-30", "2010/01/01", "01-01-2010", "",
	                                        "2010-1-1"};
	for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
		assert_rc(youth_eligibility_check(reg, "vocational", youth, bad_dates[i]), YOUTH_EINVAL);
		assert_err_field("date");
	}
	/* the unknown programme is no excuse for a bad date or an unknown person */
	assert_rc(youth_eligibility_check(reg, "nothing", youth, "2010-02-30"), YOUTH_EINVAL);
	assert_rc(youth_eligibility_check(reg, "vocational", youth + 1000, "2010-01-01"),
	          YOUTH_ENOTFOUND);
	assert_err_field("person_id");
	assert_msg_has("no such person");
	assert_rc(youth_eligibility_check(reg, "nothing", youth + 1000, "2010-01-01"),
	          YOUTH_ENOTFOUND);
	assert_rc(youth_eligibility_check(reg, "vocational", 0, "2010-01-01"), YOUTH_EINVAL);
	assert_rc(youth_eligibility_check(reg, "vocational", youth, "1990-01-01"), YOUTH_EINVAL);
	assert_msg_has("before the birth");
	assert_int_equal(youth_registry_total_changes(reg), changes);
}

/* ---- overrides (internal API of the services) -------------------------------------------- */

static int run_eligibility(youth_registry *reg, const char *programme, int64_t person,
                           const char *date, const youth_override *ovr, const char *service,
                           int64_t service_id, int64_t *rows)
{
	youth__write w;
	int rc = youth__write_begin(&w, reg, "test service");
	assert_ok(rc);
	rc = youth__eligibility(&w, programme, person, date, ovr, service, service_id);
	*rows = w.rows;
	return youth__write_end(&w, rc);
}

static void test_operator_check(void **state)
{
	youth_registry *reg = *state;
	int64_t ex = add_exchange(reg);
	int64_t active = add_operator(reg, ex, 1), inactive = add_operator(reg, ex, 0);
	int64_t got = 0;
	assert_ok(youth__operator_check(reg, active, &got));
	assert_int_equal(got, ex);
	assert_ok(youth__operator_check(reg, active, NULL));
	assert_rc(youth__operator_check(reg, 999, &got), YOUTH_ENOTFOUND);
	assert_string_equal(youth_error_last()->message, "operator_id 999: no such operator");
	assert_err_field("operator_id");
	assert_rc(youth__operator_check(reg, inactive, &got), YOUTH_ERULE);
	assert_err_field("operator_id");
	assert_msg_has("inactive");
	/* reactivated, the operator may record services again */
	youth_operator *o = NULL;
	assert_ok(youth_operator_get(&o, reg, inactive));
	o->active = 1;
	assert_ok(youth_operator_update(reg, o));
	youth_operator_free(o);
	assert_ok(youth__operator_check(reg, inactive, NULL));
}

static void test_override_recorded(void **state)
{
	youth_registry *reg = *state;
	int64_t ex = add_exchange(reg);
	int64_t op = add_operator(reg, ex, 1);
	/* 25 and without consent on the service date: two rules broken */
	int64_t id = add_person(reg, "1984-01-01", YOUTH_SEX_MALE, TH_SANTA_EUGENIA, "census-2009",
	                        NULL);
	int64_t rows = -1, changes = youth_registry_total_changes(reg);

	/* without an override: refused, nothing recorded */
	assert_rc(run_eligibility(reg, "vocational", id, "2009-05-04", NULL, "enrollment", 7, &rows),
	          YOUTH_ERULE);
	assert_err_field("age_max");
	assert_msg_has("age 25 on 2009-05-04 is above the maximum 24");
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM eligibility_override"), 0);
	assert_int_equal(youth_registry_total_changes(reg), changes);

	youth_override ovr = {op, "Cohort short of two places; approved by the municipal council "
	                          "on 2009-05-02 (acta 14)."};
	assert_ok(run_eligibility(reg, "vocational", id, "2009-05-04", &ovr, "enrollment", 7, &rows));
	assert_int_equal(rows, 2);
	assert_int_equal(youth_registry_total_changes(reg), changes + 2);

	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(reg->db,
	                                    "SELECT uuid, programme, person_id, service, service_id, "
	                                    "operator_id, rule, reason, date FROM "
	                                    "eligibility_override ORDER BY id",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	static const char *const rules[] = {"age_max", "consent_required"};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_uuid((const char *)sqlite3_column_text(st, 0));
		assert_string_equal(sqlite3_column_text(st, 1), "vocational");
		assert_int_equal(sqlite3_column_int64(st, 2), id);
		assert_string_equal(sqlite3_column_text(st, 3), "enrollment");
		assert_int_equal(sqlite3_column_int64(st, 4), 7);
		assert_int_equal(sqlite3_column_int64(st, 5), op);
		assert_string_equal(sqlite3_column_text(st, 6), rules[i]);
		assert_string_equal(sqlite3_column_text(st, 7), ovr.reason);
		assert_string_equal(sqlite3_column_text(st, 8), "2009-05-04");
	}
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);

	/* an eligible person with an override records nothing */
	int64_t ok = add_youth(reg);
	assert_ok(run_eligibility(reg, "vocational", ok, "2010-01-01", &ovr, "enrollment", 8, &rows));
	assert_int_equal(rows, 0);
	/* nor does a programme without rules */
	assert_ok(run_eligibility(reg, "unruled", id, "2010-01-01", &ovr, "enrollment", 9, &rows));
	assert_int_equal(rows, 0);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM eligibility_override"), 2);

	/* the public API reads the same records back: who, why, which rule */
	youth_override_iter *it = NULL;
	const youth_override_record *r;
	assert_ok(youth_override_iter_new(&it, reg, id));
	for (int i = 0; i < 2; i++) {
		assert_ok(youth_override_next(&r, it));
		assert_uuid(r->uuid);
		assert_string_equal(r->programme, "vocational");
		assert_int_equal(r->person_id, id);
		assert_string_equal(r->service, "enrollment");
		assert_int_equal(r->service_id, 7);
		assert_int_equal(r->operator_id, op);
		assert_string_equal(r->rule, rules[i]);
		assert_string_equal(r->reason, ovr.reason);
		assert_string_equal(r->date, "2009-05-04");
	}
	assert_rc(youth_override_next(&r, it), YOUTH_ITEROVER);
	assert_rc(youth_override_next(&r, it), YOUTH_ITEROVER);
	youth_override_iter_free(it);
	/* another person has none; 0 lists everyone's */
	assert_ok(youth_override_iter_new(&it, reg, ok));
	assert_rc(youth_override_next(&r, it), YOUTH_ITEROVER);
	youth_override_iter_free(it);
	assert_ok(youth_override_iter_new(&it, reg, 0));
	int n = 0;
	while (youth_override_next(&r, it) == YOUTH_OK)
		n++;
	assert_int_equal(n, 2);
	youth_override_iter_free(it);
	assert_rc(youth_override_iter_new(&it, reg, -1), YOUTH_EINVAL);
	assert_null(it);
	assert_rc(youth_override_iter_new(NULL, reg, 0), YOUTH_EINVAL);
	assert_rc(youth_override_next(&r, NULL), YOUTH_EINVAL);
	youth_override_iter_free(NULL);
}

static void test_override_refused(void **state)
{
	youth_registry *reg = *state;
	int64_t ex = add_exchange(reg);
	int64_t op = add_operator(reg, ex, 1), gone = add_operator(reg, ex, 0);
	int64_t id = add_person(reg, "1975-01-01", YOUTH_SEX_MALE, TH_SANTA_EUGENIA, "census-2009",
	                        "2009-03-02");
	snap s = take(reg);
	int64_t rows;
	char *long_reason = malloc(502);
	assert_non_null(long_reason);
	memset(long_reason, 'r', 501);
	long_reason[501] = 0;
	const struct {
		youth_override ovr;
		const char *service;
		int64_t service_id;
		int code;
		const char *field;
	} cases[] = {
		{{op, NULL}, "enrollment", 1, YOUTH_EINVAL, "reason"},
		{{op, ""}, "enrollment", 1, YOUTH_EINVAL, "reason"},
		{{op, "  \n "}, "enrollment", 1, YOUTH_EINVAL, "reason"},
		{{op, long_reason}, "enrollment", 1, YOUTH_EINVAL, "reason"},
		{{op, "bad \xff byte"}, "enrollment", 1, YOUTH_EINVAL, "reason"},
		{{0, "why"}, "enrollment", 1, YOUTH_EINVAL, "operator_id"},
		{{-5, "why"}, "enrollment", 1, YOUTH_EINVAL, "operator_id"},
		{{op + gone + 100, "why"}, "enrollment", 1, YOUTH_ENOTFOUND, "operator_id"},
		{{gone, "why"}, "enrollment", 1, YOUTH_ERULE, "operator_id"},
		{{op, "why"}, NULL, 1, YOUTH_EINVAL, "service"},
		{{op, "why"}, "enrollment", 0, YOUTH_EINVAL, "service_id"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = run_eligibility(reg, "vocational", id, "2009-05-04", &cases[i].ovr,
		                         cases[i].service, cases[i].service_id, &rows);
		if (rc != cases[i].code)
			fail_msg("case %zu: %s, expected %s: %s", i, youth_error_name(rc),
			         youth_error_name(cases[i].code), youth_error_last()->message);
		assert_err_field(cases[i].field);
		same(reg, &s, __FILE__, (int)i);
	}
	/* an override is checked even when no rule is broken */
	int64_t fine = add_youth(reg);
	free(s.digest);
	s = take(reg);
	youth_override bad = {gone, "why"};
	assert_rc(run_eligibility(reg, "vocational", fine, "2010-01-01", &bad, "enrollment", 1, &rows),
	          YOUTH_ERULE);
	assert_same(reg, &s);
	/* exactly 500 bytes is accepted */
	long_reason[500] = 0;
	youth_override max = {op, long_reason};
	assert_ok(run_eligibility(reg, "vocational", id, "2009-05-04", &max, "enrollment", 3, &rows));
	assert_int_equal(rows, 1);
	free(long_reason);
	free(s.digest);
}

/* The override rows belong to the service's write: when the service fails afterwards, they go
 * with it. */
static void test_override_rolled_back_with_service(void **state)
{
	youth_registry *reg = *state;
	int64_t ex = add_exchange(reg);
	int64_t op = add_operator(reg, ex, 1);
	int64_t id = add_person(reg, "1975-01-01", YOUTH_SEX_FEMALE, TH_SANTA_EUGENIA, "census-2009",
	                        "2009-03-02");
	youth_override ovr = {op, "why"};
	youth__write w;
	assert_ok(youth__write_begin(&w, reg, "failing service"));
	assert_ok(youth__eligibility(&w, "vocational", id, "2009-05-04", &ovr, "enrollment", 1));
	assert_int_equal(w.rows, 1);
	assert_int_equal(youth__write_end(&w, YOUTH_ESTATE), YOUTH_ESTATE);
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM eligibility_override"), 0);
	/* inside a caller's transaction too (savepoint) */
	assert_ok(youth_registry_begin(reg));
	assert_ok(youth__write_begin(&w, reg, "failing service"));
	assert_ok(youth__eligibility(&w, "vocational", id, "2009-05-04", &ovr, "enrollment", 1));
	assert_int_equal(youth__write_end(&w, YOUTH_ESTATE), YOUTH_ESTATE);
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(count_sql(reg, "SELECT count(*) FROM eligibility_override"), 0);
}

/* ---- an import's memo of the persons' facts ------------------------------------------------- */

/* The rules with an import's memo of programmes and persons' facts in place, as while an
 * import runs: the eligibility tests run again with it, and must give the same verdicts. */
static int setup_rules_memo(void **state)
{
	setup_rules(state);
	assert_ok(youth__rules_memo_begin(*state));
	return 0;
}

static int teardown_rules_memo(void **state)
{
	youth__rules_memo_end(*state);
	return th_teardown_registry(state);
}

static void set_birth(youth_registry *reg, int64_t id, const char *birth)
{
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, reg, id));
	p->birth_date = (char *)birth;
	assert_ok(youth_person_update(reg, p, YOUTH_PERSON_ALLOW_AGE));
	p->birth_date = NULL; /* the literal is not the record's to free */
	youth_person_free(p);
}

/* A person's facts kept by the memo are forgotten when the person is written, by whatever
 * write (an update, a consent withdrawn, a person added into a block already read), and all
 * of them when a write is rolled back: a verdict never rests on facts the registry no longer
 * holds. */
static void test_memo_follows_writes(void **state)
{
	youth_registry *reg = *state;
	int64_t a = add_youth(reg);
	ELIGIBLE(reg, YOUTH_PROGRAMME_COUNSELLING, a, "2010-06-01"); /* a's block is read */
	assert_non_null(reg->rules_memo);

	/* an update: born ten years earlier, 26 on the date */
	set_birth(reg, a, "1983-06-10");
	VIOLATES(reg, YOUTH_PROGRAMME_COUNSELLING, a, "2010-06-01", "age_max", "age 26");
	set_birth(reg, a, "1993-06-10");
	ELIGIBLE(reg, YOUTH_PROGRAMME_COUNSELLING, a, "2010-06-01");

	/* the census consent withdrawn: the person's legacy flag goes with it */
	youth_consent c;
	youth_consent_init(&c);
	c.person_id = a;
	c.purpose = "census";
	c.date = "2010-01-04";
	c.recorded_by = "Rosa Elena Guzmán";
	c.evidence = "letter 2010-0007";
	assert_ok(youth_consent_withdraw(reg, &c));
	VIOLATES(reg, YOUTH_PROGRAMME_COUNSELLING, a, "2010-06-01", "consent_required",
	         "consent not given");

	/* a person added after the block was read: found, with their own facts */
	int64_t b = add_person(reg, "1991-04-04", YOUTH_SEX_FEMALE, TH_SANTA_EUGENIA, "census-2010",
	                       "2009-03-02");
	assert_true((b - 1) / 64 == (a - 1) / 64);
	VIOLATES(reg, YOUTH_PROGRAMME_COUNSELLING, b, "2010-06-01", "census_rounds",
	         "census round census-2010");

	/* read inside a transaction that is then rolled back: the rolled-back facts go too */
	assert_ok(youth_registry_begin(reg));
	set_birth(reg, b, "1970-01-01");
	VIOLATES(reg, YOUTH_PROGRAMME_COUNSELLING, b, "2010-06-01", "age_max", "age 40");
	assert_ok(youth_registry_rollback(reg));
	VIOLATES(reg, YOUTH_PROGRAMME_COUNSELLING, b, "2010-06-01", "census_rounds",
	         "census round census-2010");

	/* an unknown person is still "no such person", a block read or not */
	assert_rc(youth_eligibility_check(reg, YOUTH_PROGRAMME_COUNSELLING, b + 1, "2010-06-01"),
	          YOUTH_ENOTFOUND);
	assert_msg_has("no such person");
	assert_rc(youth_eligibility_check(reg, YOUTH_PROGRAMME_COUNSELLING, 100000, "2010-06-01"),
	          YOUTH_ENOTFOUND);
}

int main(void)
{
#define G(name) cmocka_unit_test_setup_teardown(name, th_setup_gazetteer, th_teardown_registry)
#define R(name) cmocka_unit_test_setup_teardown(name, setup_rules, th_teardown_registry)
#define M(name) cmocka_unit_test_setup_teardown(name, setup_rules_memo, teardown_rules_memo)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_programme_init),
		G(test_programme_put_get),
		G(test_programme_replace),
		G(test_programme_invalid),
		G(test_programme_get_errors),
		G(test_programme_iter_empty),
		R(test_programme_iter),
		G(test_load_example),
		G(test_load_buffer),
		G(test_load_hostile),
		G(test_load_out_of_memory),
		R(test_eligible),
		R(test_age_boundaries),
		R(test_women_only),
		R(test_places),
		R(test_census_round_and_consent),
		R(test_first_violation_reported),
		R(test_eligibility_bad_input),
		R(test_operator_check),
		R(test_override_recorded),
		R(test_override_refused),
		R(test_override_rolled_back_with_service),
		/* the same verdicts with an import's memo of the persons' facts */
		M(test_eligible),
		M(test_age_boundaries),
		M(test_women_only),
		M(test_places),
		M(test_census_round_and_consent),
		M(test_first_violation_reported),
		M(test_eligibility_bad_input),
		M(test_memo_follows_writes),
	};
#undef G
#undef R
#undef M
	return cmocka_run_group_tests(tests, NULL, NULL);
}
