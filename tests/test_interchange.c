/* Tests of youth/interchange.h, the engine and its first sections (places, persons): round
 * trip, modes (atomic, keep-going with a rejects report, dry run, upsert), the trailer,
 * streams and callbacks, progress and cancelling, export filters, and failures that must
 * leave the registry exactly as it was.  Hostile YAML has its own suite
 * (test_import_hostile.c); the service sections are tested with their modules. */
#define _GNU_SOURCE
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- fixtures ---------------------------------------------------------------------------- */

static youth_registry *open_empty(void)
{
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	return reg;
}

/* With no options: everything, national IDs and contacts included (a default export leaves
 * them out: test_travel.c). */
static char *export_all(youth_registry *reg, const youth_export_options *o,
                        youth_interchange_summary *sum)
{
	th_text s = {0};
	youth_interchange_summary local;
	youth_export_options all;
	youth_export_options_init(&all);
	all.flags = YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS;
	o = o ? o : &all;
	assert_ok(youth_export_write(sum ? sum : &local, reg, th_text_write, &s, o));
	assert_non_null(s.data);
	return s.data;
}

static void add_person(youth_registry *reg, const char *given, const char *first,
                       const char *birth, const char *dui, const char *place, unsigned flags)
{
	youth_person p;
	youth_person_init(&p);
	p.given_names = given;
	p.first_surname = first;
	p.birth_date = birth;
	p.sex = YOUTH_SEX_FEMALE;
	p.place = place;
	p.national_id = dui;
	p.census_date = "2009-03-02";
	p.census_round = "census-2009";
	p.consent = 1;
	p.consent_date = "2009-03-02";
	assert_ok(youth_person_add(reg, &p, flags));
}

/* A registry with the sample gazetteer and persons whose text needs care in YAML. */
static youth_registry *sample(void)
{
	youth_registry *reg = open_empty();
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	add_person(reg, "María José", "Hernández", "1990-05-14", "04567891-1", TH_SANTA_EUGENIA, 0);
	/* Words YAML 1.1 would read as booleans, leading indicators, ": " and " #". */
	add_person(reg, "Yes", "No", "1990-01-01", NULL, "acajutla", 0);
	add_person(reg, "Ana: la #1", "O'Neil \"Nena\"", "1988-02-29", NULL, "sonzacate", 0);
	/* Registered at 31 with explicit permission: the file must carry it. */
	add_person(reg, "Rosa", "Pérez", "1977-07-07", NULL, "sonzacate", YOUTH_PERSON_ALLOW_AGE);
	youth_person p;
	youth_person_init(&p);
	p.given_names = "Luis";
	p.first_surname = "Martínez";
	p.second_surname = "Ramos";
	p.birth_date = "1993-12-31";
	p.sex = YOUTH_SEX_MALE;
	p.place = "department:Sonsonate"; /* exported as its path, "sonsonate" */
	p.address = "Colonia 10 de Mayo, pasaje 3";
	p.phone = "71234567";
	p.education = YOUTH_EDU_UPPER_SECONDARY;
	p.employment = YOUTH_EMP_EMPLOYED_INFORMAL;
	p.household_size = 6;
	p.disability = 1;
	p.studying = 1;
	p.census_date = "2009-03-10";
	p.census_round = "census-2009";
	p.job_profiles = "cook, baker";
	assert_ok(youth_person_add(reg, &p, 0));
	return reg;
}

static int64_t persons(youth_registry *reg)
{
	return th_count_persons(reg);
}

/* ---- round trip -------------------------------------------------------------------------- */

static void test_round_trip_is_byte_identical(void **state)
{
	(void)state;
	youth_registry *a = sample(), *b = open_empty();
	youth_interchange_summary s1, s2, s3;
	char *first = export_all(a, NULL, &s1);
	assert_int_equal(s1.records, TH_GAZ_PLACES + 5);
	assert_int_equal(s1.bytes, (int64_t)strlen(first));
	assert_true(th_contains(first, "format: libyouth/1\n"));
	assert_true(th_contains(first, "\nend:\n  records: 63\n"));
	assert_true(th_contains(first, "given_names: \"Yes\"\n"));
	assert_true(th_contains(first, "allow_age: \"true\"\n") ||
	            th_contains(first, "allow_age: true\n"));
	assert_true(th_contains(first, "national_id: \"04567891-1\"\n"));

	assert_ok(youth_import_buffer(&s2, b, first, strlen(first), "first", NULL));
	assert_int_equal(s2.records, s1.records);
	assert_int_equal(s2.imported, s1.records);
	assert_int_equal(s2.rejected + s2.updated + s2.unchanged, 0);
	assert_int_equal(s2.bytes, (int64_t)strlen(first));
	char *second = export_all(b, NULL, &s3);
	assert_string_equal(first, second);

	/* The same registry exported twice gives the same bytes too. */
	char *again = export_all(a, NULL, NULL);
	assert_string_equal(first, again);
	free(first);
	free(second);
	free(again);
	youth_registry_close(a);
	youth_registry_close(b);
}

static void test_persons_keep_uuid_and_fields(void **state)
{
	(void)state;
	youth_registry *a = sample(), *b = open_empty();
	char *text = export_all(a, NULL, NULL);
	assert_ok(youth_import_buffer(NULL, b, text, strlen(text), NULL, NULL));
	youth_person_iter *ia, *ib;
	const youth_person *pa, *pb;
	assert_ok(youth_person_iter_new(&ia, a, NULL));
	assert_ok(youth_person_iter_new(&ib, b, NULL));
	int n = 0, rc;
	while ((rc = youth_person_next(&pa, ia)) == YOUTH_OK) {
		assert_ok(youth_person_next(&pb, ib));
		assert_string_equal(pa->uuid, pb->uuid);
		assert_string_equal(pa->given_names, pb->given_names);
		assert_string_equal(pa->first_surname, pb->first_surname);
		assert_string_equal(pa->place, pb->place);
		assert_int_equal(pa->household_size, pb->household_size);
		n++;
	}
	assert_int_equal(rc, YOUTH_ITEROVER);
	assert_rc(youth_person_next(&pb, ib), YOUTH_ITEROVER);
	assert_int_equal(n, 5);
	youth_person_iter_free(ia);
	youth_person_iter_free(ib);
	free(text);
	youth_registry_close(a);
	youth_registry_close(b);
}

/* ---- modes ------------------------------------------------------------------------------- */

static const char two_good_one_bad[] =
	"format: libyouth/1\n"
	"persons:\n"
	"  - given_names: Ana\n"
	"    first_surname: López\n"
	"    birth_date: 1990-04-01\n"
	"    sex: female\n"
	"    place: acajutla\n"
	"    census_date: 2009-03-02\n"
	"    census_round: census-2009\n"
	"  - given_names: Beto\n"
	"    first_surname: Ruiz\n"
	"    birth_date: 1990-02-30\n" /* line 12 */
	"    sex: male\n"
	"    place: acajutla\n"
	"    census_date: 2009-03-02\n"
	"    census_round: census-2009\n"
	"  - given_names: Carla\n"
	"    first_surname: Díaz\n"
	"    birth_date: 1991-06-01\n"
	"    sex: female\n"
	"    place: sonzacate\n"
	"    census_date: 2009-03-02\n"
	"    census_round: census-2009\n"
	"end:\n"
	"  records: 3\n";

static youth_registry *gazetteer_only(void)
{
	youth_registry *reg = open_empty();
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	return reg;
}

static void test_atomic_failure_writes_nothing(void **state)
{
	(void)state;
	youth_registry *reg = gazetteer_only();
	int64_t changes = youth_registry_total_changes(reg);
	youth_interchange_summary s;
	assert_rc(youth_import_buffer(&s, reg, two_good_one_bad, sizeof two_good_one_bad - 1,
	                              "batch.yaml", NULL),
	          YOUTH_EINVAL);
	assert_msg_has("batch.yaml:12:5: person 2: birth_date \"1990-02-30\"");
	assert_err_field("birth_date");
	assert_int_equal(persons(reg), 0);
	assert_int_equal(youth_registry_total_changes(reg), changes);
	assert_int_equal(s.records, 2);
	youth_registry_close(reg);
}

static void test_keep_going_writes_rejects(void **state)
{
	(void)state;
	youth_registry *reg = gazetteer_only();
	char *buf = NULL;
	size_t len = 0;
	FILE *rej = open_memstream(&buf, &len);
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_KEEP_GOING;
	o.rejects = rej;
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, reg, two_good_one_bad, sizeof two_good_one_bad - 1,
	                              "b.yaml", &o));
	fclose(rej);
	assert_int_equal(s.records, 3);
	assert_int_equal(s.imported, 2);
	assert_int_equal(s.rejected, 1);
	assert_int_equal(persons(reg), 2);
	/* The report is itself a libyouth/1 file: the reason, then the record as read. */
	assert_true(th_contains(buf, "format: libyouth/1\npersons:\n"));
	assert_true(th_contains(buf, "# b.yaml:12:5: person 2: birth_date \"1990-02-30\""));
	assert_true(th_contains(buf, "given_names: Beto\n"));
	assert_true(th_contains(buf, "end:\n  records: 1\n"));
	youth_registry *other = gazetteer_only();
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_DRY_RUN | YOUTH_IMPORT_KEEP_GOING;
	assert_ok(youth_import_buffer(&s, other, buf, len, "rejects", &o));
	assert_int_equal(s.records, 1);
	assert_int_equal(s.rejected, 1);
	free(buf);
	youth_registry_close(other);
	youth_registry_close(reg);
}

static void test_keep_going_rejects_bad_keys(void **state)
{
	(void)state;
	static const char doc[] =
		"format: libyouth/1\n"
		"persons:\n"
		"  - given_names: Ana\n"
		"    colour: blue\n"
		"    nested: {a: [1, 2]}\n"
		"  - given_names: Carla\n"
		"    first_surname: Díaz\n"
		"    birth_date: 1991-06-01\n"
		"    sex: female\n"
		"    place: sonzacate\n"
		"    census_date: 2009-03-02\n"
		"    census_round: census-2009\n"
		"end: {records: 2}\n";
	youth_registry *reg = gazetteer_only();
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_KEEP_GOING;
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, reg, doc, sizeof doc - 1, "k", &o));
	assert_int_equal(s.rejected, 1);
	assert_int_equal(s.imported, 1);
	assert_int_equal(persons(reg), 1);
	/* Atomic, the same file fails on the unknown key, naming it. */
	youth_registry *r2 = gazetteer_only();
	assert_rc(youth_import_buffer(&s, r2, doc, sizeof doc - 1, "k", NULL), YOUTH_EINVAL);
	assert_msg_has("k:4:5: unknown key `colour` in a person");
	youth_registry_close(r2);
	youth_registry_close(reg);
}

/* Imports @doc in keep-going mode into a registry with the gazetteer; returns the rejects
 * report (malloc'd) and the number rejected in *@n. */
static char *rejects_of(const char *doc, size_t len, const char *name, int64_t *n)
{
	youth_registry *reg = gazetteer_only();
	youth_interchange_summary s;
	char *buf = th_import_rejects(reg, doc, len, name, &s);
	*n = s.rejected;
	youth_registry_close(reg);
	return buf;
}

/* @text without its comment lines (the reasons, which name the file and line they came from). */
static char *without_comments(const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	assert_non_null(out);
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p + 1) : strlen(p);
		const char *q = p;
		while (*q == ' ')
			q++;
		if (*q != '#') {
			memcpy(o, p, n);
			o += n;
		}
		p += n;
	}
	*o = '\0';
	return out;
}

/* Every record refused by the reader (unknown key, a key twice, `id`, a value of the wrong
 * shape, a list item of the wrong shape) is written to the rejects report whole, every key
 * and value as read, so that it can be fixed and imported again: importing the report gives
 * the same records back, refused for the same reasons. */
static void test_rejects_keep_records_whole(void **state)
{
	(void)state;
	static const char doc[] =
		"format: libyouth/1\n"
		"programmes:\n"
		"  - code: P1\n"
		"    title: Uno\n"
		"    places: [sonzacate, {bad: item}, acajutla]\n"
		"    census_rounds: [census-2009]\n"
		"  - code: P2\n"
		"    title: Dos\n"
		"    places: sonzacate\n"
		"  - code: P3\n"
		"    title: Tres\n"
		"    places: [sonzacate, \"a, b\"]\n"
		"  - code: P4\n"
		"    title: Cuatro\n"
		"    places: [sonzacate, nowhere]\n"
		"persons:\n"
		"  - given_names: Ana\n"
		"    colour: blue\n"
		"    nested: {a: [1, 2], b: \"x: y\"}\n"
		"    first_surname: Díaz\n"
		"  - id: 7\n"
		"    given_names: Beto\n"
		"  - given_names: Carla\n"
		"    given_names: Carlota\n"
		"    sex: [female]\n"
		"  - {}\n"
		"end: {records: 8}\n";
	int64_t n1, n2;
	char *first = rejects_of(doc, sizeof doc - 1, "k.yaml", &n1);
	assert_int_equal(n1, 8);
	/* nothing lost: every key and value is there, shapes included */
	static const char *const kept[] = {
		"  - code: P1\n    title: Uno\n    places: [sonzacate, {bad: item}, acajutla]\n"
		"    census_rounds: [census-2009]\n",
		"  - code: P2\n    title: Dos\n    places: sonzacate\n",
		"    places: [sonzacate, \"a, b\"]\n",
		/* refused when written (no such place): its list is written back as a list */
		"  - code: P4\n    title: Cuatro\n    places: [sonzacate, nowhere]\n",
		"  - given_names: Ana\n    colour: blue\n    nested: {a: [\"1\", \"2\"], b: \"x: y\"}\n"
		"    first_surname: Díaz\n",
		"  - id: \"7\"\n    given_names: Beto\n",
		"  - given_names: Carla\n    given_names: Carlota\n    sex: [female]\n",
		"  - {}\n",
	};
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
		if (!th_contains(first, kept[i]))
			fail_msg("the rejects report lacks\n%s\nin:\n%s", kept[i], first);
	/* under the first reason of each */
	assert_true(th_contains(first, "# programme 1: k.yaml:5:25: places: each item must be"));
	assert_true(th_contains(first, "# person 5: k.yaml:18:5: unknown key `colour`"));
	/* the report, imported again, is refused record for record into the same report */
	char *second = rejects_of(first, strlen(first), "rejects.yaml", &n2);
	assert_int_equal(n2, n1);
	char *a = without_comments(first), *b = without_comments(second);
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(first);
	free(second);
}

static void test_dry_run_writes_nothing(void **state)
{
	(void)state;
	youth_registry *a = sample(), *b = gazetteer_only();
	char *text = export_all(a, NULL, NULL);
	int64_t changes = youth_registry_total_changes(b);
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_DRY_RUN;
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, b, text, strlen(text), NULL, &o));
	assert_int_equal(s.imported, 5);
	assert_int_equal(s.unchanged, TH_GAZ_PLACES);
	assert_int_equal(persons(b), 0);
	assert_int_equal(youth_registry_total_changes(b), changes);
	free(text);
	youth_registry_close(a);
	youth_registry_close(b);
}

static void test_duplicates_and_upsert(void **state)
{
	(void)state;
	youth_registry *a = sample(), *b = open_empty();
	char *text = export_all(a, NULL, NULL);
	assert_ok(youth_import_buffer(NULL, b, text, strlen(text), NULL, NULL));
	youth_interchange_summary s;
	/* Again without upsert: the first person is a conflict. */
	assert_rc(youth_import_buffer(&s, b, text, strlen(text), "again", NULL), YOUTH_EEXISTS);
	assert_msg_has("person 59: national_id");
	assert_int_equal(persons(b), 5);

	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_UPSERT;
	assert_ok(youth_import_buffer(&s, b, text, strlen(text), "again", &o));
	assert_int_equal(s.unchanged, s.records);
	assert_int_equal(s.imported + s.updated, 0);

	/* Change one person in the registry: the upsert puts the file's version back. */
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, b, 1));
	youth_person q = *p;
	q.address = "Otra dirección";
	assert_ok(youth_person_update(b, &q, 0));
	youth_person_free(p);
	assert_ok(youth_import_buffer(&s, b, text, strlen(text), "again", &o));
	assert_int_equal(s.updated, 1);
	assert_int_equal(s.unchanged, s.records - 1);
	char *back = export_all(b, NULL, NULL);
	assert_string_equal(text, back);
	free(back);
	free(text);
	youth_registry_close(a);
	youth_registry_close(b);
}

static void test_upsert_by_national_id(void **state)
{
	(void)state;
	youth_registry *reg = gazetteer_only();
	add_person(reg, "María José", "Hernández", "1990-05-14", "04567891-1", TH_SANTA_EUGENIA, 0);
	static const char by_dui[] =
		"format: libyouth/1\n"
		"persons:\n"
		"  - national_id: 04567891-1\n"
		"    given_names: María José\n"
		"    first_surname: Hernández\n"
		"    birth_date: 1990-05-14\n"
		"    sex: female\n"
		"    place: " TH_SANTA_EUGENIA "\n"
		"    phone: 7123-4567\n"
		"    census_date: 2009-03-02\n"
		"    census_round: census-2009\n"
		"    consent: true\n"
		"    consent_date: 2009-03-02\n"
		"end: {records: 1}\n";
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_UPSERT;
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, reg, by_dui, sizeof by_dui - 1, "dui", &o));
	assert_int_equal(s.updated, 1);
	assert_int_equal(persons(reg), 1);
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, reg, 1));
	assert_string_equal(p->phone, "7123-4567");
	youth_person_free(p);

	/* The same national ID under another UUID is a conflict, not a silent merge. */
	static const char other_uuid[] =
		"format: libyouth/1\n"
		"persons:\n"
		"  - uuid: 01a22391-8081-7785-bee9-34cfc7f69149\n"
		"    national_id: 04567891-1\n"
		"    given_names: María\n"
		"    first_surname: Hernández\n"
		"    birth_date: 1990-05-14\n"
		"    sex: female\n"
		"    place: acajutla\n"
		"    census_date: 2009-03-02\n"
		"    census_round: census-2009\n"
		"end: {records: 1}\n";
	assert_rc(youth_import_buffer(&s, reg, other_uuid, sizeof other_uuid - 1, "u", &o),
	          YOUTH_EEXISTS);
	assert_msg_has("registered to person");
	assert_err_field("national_id");
	youth_registry_close(reg);
}

/* ---- the trailer and the document's shape ---------------------------------------------------- */

static void expect_parse(youth_registry *reg, const char *doc, int code, const char *needle)
{
	int64_t changes = youth_registry_total_changes(reg);
	int64_t n = persons(reg);
	youth_interchange_summary s;
	int rc = youth_import_buffer(&s, reg, doc, strlen(doc), "t.yaml", NULL);
	if (rc != code)
		fail_msg("import returned %s, expected %s: %s", youth_error_name(rc),
		         youth_error_name(code), youth_error_last()->message);
	assert_msg_has(needle);
	assert_int_equal(persons(reg), n);
	assert_int_equal(youth_registry_total_changes(reg), changes);
}

#define ONE_PERSON                                                                             \
	"  - given_names: Ana\n    first_surname: López\n    birth_date: 1990-04-01\n"            \
	"    sex: female\n    place: acajutla\n    census_date: 2009-03-02\n"                    \
	"    census_round: census-2009\n"

static void test_trailer(void **state)
{
	(void)state;
	youth_registry *reg = gazetteer_only();
	expect_parse(reg, "format: libyouth/1\npersons:\n" ONE_PERSON, YOUTH_EPARSE,
	             "no `end: {records: N}` trailer");
	expect_parse(reg, "format: libyouth/1\npersons:\n" ONE_PERSON ONE_PERSON "end:\n  records: 1\n",
	             YOUTH_EPARSE, "end: the file says 1 records but holds 2");
	assert_msg_has(":18:12: end: the file says"); /* at the count itself */
	expect_parse(reg, "format: libyouth/1\npersons:\n" ONE_PERSON "end: {records: 1}\npersons: []\n",
	             YOUTH_EPARSE, "after `end`");
	expect_parse(reg, "format: libyouth/1\nend: {records: x}\n", YOUTH_EPARSE,
	             "records must be a count");
	expect_parse(reg, "format: libyouth/1\nend: {count: 0}\n", YOUTH_EPARSE, "not `count`");
	expect_parse(reg, "format: libyouth/1\nend: 0\n", YOUTH_EPARSE, "`end:` with `records: N`");
	expect_parse(reg, "format: libyouth/1\nwidgets: []\nend: {records: 0}\n", YOUTH_EPARSE,
	             "unknown section `widgets` (known: places, programmes, exchanges");
	expect_parse(reg, "format: libyouth/1\npersons: []\npersons: []\nend: {records: 0}\n",
	             YOUTH_EPARSE, "section `persons` given twice");
	expect_parse(reg, "format: libyouth/1\npersons: {a: 1}\nend: {records: 0}\n", YOUTH_EPARSE,
	             "expected a list of records");
	/* A file cut in the middle of a record: the record is incomplete, and no trailer. */
	expect_parse(reg, "format: libyouth/1\npersons:\n  - given_names: Ana\n    first_sur",
	             YOUTH_EPARSE, "t.yaml:");
	/* Empty sections and an empty file (trailer only) are fine. */
	youth_interchange_summary s;
	static const char empty[] = "format: libyouth/1\npersons:\nplaces: []\nend: {records: 0}\n";
	assert_ok(youth_import_buffer(&s, reg, empty, sizeof empty - 1, NULL, NULL));
	assert_int_equal(s.records, 0);
	youth_registry_close(reg);
}

static void test_places_section(void **state)
{
	(void)state;
	youth_registry *reg = open_empty();
	static const char doc[] =
		"format: libyouth/1\n"
		"places:\n"
		"  - path: la-libertad\n    name: La Libertad\n"
		"  - path: la-libertad/la-libertad-costa\n    name: La Libertad Costa\n"
		"    critical: true\n"
		"end: {records: 2}\n";
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, reg, doc, sizeof doc - 1, "p", NULL));
	assert_int_equal(s.imported, 2);
	youth_place *pl = NULL;
	assert_ok(youth_place_get(&pl, reg, "la-libertad-costa"));
	assert_int_equal(pl->level, YOUTH_PLACE_MUNICIPALITY);
	assert_int_equal(pl->critical, 1);
	youth_place_free(pl);
	/* Loading the same places again changes nothing (a place is its path). */
	assert_ok(youth_import_buffer(&s, reg, doc, sizeof doc - 1, "p", NULL));
	assert_int_equal(s.unchanged, 2);

	youth_registry *r2 = open_empty();
	static const char orphan[] = "format: libyouth/1\nplaces:\n"
	                             "  - path: nowhere/here\n    name: Here\nend: {records: 1}\n";
	assert_rc(youth_import_buffer(&s, r2, orphan, sizeof orphan - 1, "o",
	                              NULL), YOUTH_ENOTFOUND);
	assert_msg_has("no place nowhere above it");
	static const char mismatch[] = "format: libyouth/1\nplaces:\n"
	                               "  - path: sonsonate\n    name: Ahuachapán\nend: {records: 1}\n";
	assert_rc(youth_import_buffer(&s, r2, mismatch, sizeof mismatch - 1, "m",
	                              NULL), YOUTH_EINVAL);
	assert_msg_has("makes it ahuachapan");
	assert_int_equal(th_count_places(r2, NULL, 0), 0);
	youth_registry_close(r2);
	youth_registry_close(reg);
}

/* ---- streams, callbacks, progress ------------------------------------------------------------ */

typedef struct trickle {
	const char *data;
	size_t size, pos;
	long fail_after; /* bytes, -1 never */
} trickle;

/* Hands out at most 7 bytes per call: records span many reads. */
static long trickle_read(void *ctx, char *buf, size_t size)
{
	trickle *t = ctx;
	if (t->fail_after >= 0 && t->pos >= (size_t)t->fail_after)
		return -1;
	size_t n = t->size - t->pos;
	n = n < size ? n : size;
	n = n < 7 ? n : 7;
	memcpy(buf, t->data + t->pos, n);
	t->pos += n;
	return (long)n;
}

static void test_read_callback_and_stream(void **state)
{
	(void)state;
	youth_registry *a = sample(), *b = open_empty(), *c = open_empty();
	char *text = export_all(a, NULL, NULL);
	trickle t = {text, strlen(text), 0, -1};
	youth_interchange_summary s;
	assert_ok(youth_import_read(&s, b, trickle_read, &t, "trickle", NULL));
	assert_int_equal(s.imported, TH_GAZ_PLACES + 5);
	assert_int_equal(s.bytes, (int64_t)strlen(text));

	FILE *f = fmemopen(text, strlen(text), "r");
	assert_ok(youth_import_stream(&s, c, f, NULL, NULL));
	fclose(f);
	assert_int_equal(persons(c), 5);

	youth_registry *d = open_empty();
	trickle bad = {text, strlen(text), 0, 9000};
	assert_rc(youth_import_read(&s, d, trickle_read, &bad, "trickle", NULL), YOUTH_EIO);
	assert_msg_has("trickle: read error");
	assert_int_equal(th_count_places(d, NULL, 0), 0);
	free(text);
	youth_registry_close(a);
	youth_registry_close(b);
	youth_registry_close(c);
	youth_registry_close(d);
}

typedef struct calls {
	long n;
	int64_t last_records, last_bytes;
	long stop_at;
	int monotonic;
} calls;

static int on_progress(void *ctx, int64_t records, int64_t bytes)
{
	calls *c = ctx;
	if (records < c->last_records || bytes < c->last_bytes)
		c->monotonic = 0;
	c->last_records = records;
	c->last_bytes = bytes;
	return ++c->n == c->stop_at;
}

static char *census_text(int n)
{
	size_t cap = (size_t)n * 300 + 200, len = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	len += (size_t)sprintf(buf, "format: libyouth/1\npersons:\n");
	for (int i = 0; i < n; i++)
		len += (size_t)sprintf(buf + len, ONE_PERSON);
	sprintf(buf + len, "end:\n  records: %d\n", n);
	return buf;
}

static void test_progress_and_cancel(void **state)
{
	(void)state;
	youth_registry *reg = gazetteer_only();
	char *text = census_text(10000);
	calls c = {.monotonic = 1};
	youth_import_options o;
	youth_import_options_init(&o);
	o.progress = on_progress;
	o.progress_ctx = &c;
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, reg, text, strlen(text), "many", &o));
	assert_true(c.n >= 3); /* every few thousand records, and once at the end */
	assert_true(c.monotonic);
	assert_int_equal(c.last_records, 10000);
	assert_int_equal(c.last_bytes, (int64_t)strlen(text));
	assert_int_equal(persons(reg), 10000);

	youth_registry *r2 = gazetteer_only();
	calls stop = {.monotonic = 1, .stop_at = 1};
	o.progress_ctx = &stop;
	assert_rc(youth_import_buffer(&s, r2, text, strlen(text), "many", &o), YOUTH_ECANCELLED);
	assert_msg_has("stopped by the progress callback");
	assert_int_equal(persons(r2), 0);
	free(text);
	youth_registry_close(r2);
	youth_registry_close(reg);
}

/* Over 256 KiB the file is read on a second thread: the same results, the same errors. */
static void test_large_input_read_on_a_second_thread(void **state)
{
	(void)state;
	enum { N = 3000 };
	char *text = census_text(N);
	size_t len = strlen(text);
	assert_true(len > 256 * 1024);
	youth_interchange_summary s;

	/* A record the writer refuses, late in the file. */
	char *bad = strdup(text);
	char *at = bad;
	for (int i = 0; i < 2500; i++)
		at = strstr(at + 1, "birth_date: 1990-04-01");
	memcpy(at, "birth_date: 1990-04-31", 22);
	youth_registry *reg = gazetteer_only();
	int64_t changes = youth_registry_total_changes(reg);
	assert_rc(youth_import_buffer(&s, reg, bad, len, "big", NULL), YOUTH_EINVAL);
	assert_msg_has("person 2500: birth_date \"1990-04-31\"");
	assert_err_field("birth_date");
	assert_int_equal(persons(reg), 0);
	assert_int_equal(youth_registry_total_changes(reg), changes);
	assert_int_equal(s.imported, 0);

	/* Keep-going: that record is rejected, the others are in. */
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_KEEP_GOING;
	assert_ok(youth_import_buffer(&s, reg, bad, len, "big", &o));
	assert_int_equal(s.records, N);
	assert_int_equal(s.rejected, 1);
	assert_int_equal(s.imported, N - 1);
	assert_int_equal(persons(reg), N - 1);
	youth_registry_close(reg);

	/* A mistake only the reader sees (an unknown key), late: keep-going rejects it too. */
	memcpy(at, "birth_date: 1990-04-01", 22);
	char *key = strstr(at, "census_round:");
	memcpy(key, "census_rownd:", 13);
	reg = gazetteer_only();
	assert_rc(youth_import_buffer(&s, reg, bad, len, "big", NULL), YOUTH_EINVAL);
	assert_msg_has("unknown key `census_rownd`");
	assert_int_equal(persons(reg), 0);
	assert_ok(youth_import_buffer(&s, reg, bad, len, "big", &o));
	assert_int_equal(s.rejected, 1);
	assert_int_equal(persons(reg), N - 1);
	youth_registry_close(reg);

	/* Malformed YAML at the very end: nothing of the records before it is kept. */
	reg = gazetteer_only();
	char *cut = strdup(text);
	strcpy(strstr(cut, "end:"), "end: [records\n");
	assert_rc(youth_import_buffer(&s, reg, cut, strlen(cut), "big", NULL), YOUTH_EPARSE);
	assert_int_equal(persons(reg), 0);
	assert_int_equal(s.records, N);
	/* And the whole file is fine. */
	assert_ok(youth_import_buffer(&s, reg, text, len, "big", NULL));
	assert_int_equal(s.imported, N);
	youth_registry_close(reg);
	free(cut);
	free(bad);
	free(text);
}

static void test_export_write_failure_and_cancel(void **state)
{
	(void)state;
	youth_registry *reg = gazetteer_only();
	char *text = census_text(3000);
	assert_ok(youth_import_buffer(NULL, reg, text, strlen(text), NULL, NULL));
	free(text);
	th_text s = {.fail_at = 2};
	youth_interchange_summary sum;
	assert_rc(youth_export_write(&sum, reg, th_text_write, &s, NULL), YOUTH_EIO);
	assert_msg_has("writing failed");
	free(s.data);

	/* A cancelled export to a path leaves neither the file nor a temporary behind. */
	char *dir = th_tmpdir();
	char *path = th_path(dir, "out.yaml");
	calls stop = {.monotonic = 1, .stop_at = 1};
	youth_export_options o;
	youth_export_options_init(&o);
	o.progress = on_progress;
	o.progress_ctx = &stop;
	assert_rc(youth_export_file(&sum, reg, path, &o), YOUTH_ECANCELLED);
	assert_false(th_exists(path));
	youth_export_options_init(&o);
	assert_ok(youth_export_file(&sum, reg, path, &o));
	assert_int_equal(th_file_size(path), sum.bytes);
	youth_registry *back = open_empty();
	assert_ok(youth_import_file(NULL, back, path, NULL));
	assert_int_equal(persons(back), 3000);
	char *missing = th_path(dir, "nope/out.yaml");
	assert_rc(youth_export_file(&sum, reg, missing, NULL), YOUTH_EIO);
	assert_rc(youth_import_file(&sum, back, missing, NULL), YOUTH_ENOTFOUND);
	th_rmtree(dir);
	free(missing);
	free(path);
	free(dir);
	youth_registry_close(back);
	youth_registry_close(reg);
}

/* ---- export filters ------------------------------------------------------------------------ */

static void test_export_filters(void **state)
{
	(void)state;
	youth_registry *reg = sample();
	youth_export_options o;
	youth_export_options_init(&o);
	youth_interchange_summary s;

	o.kinds = YOUTH_KIND_PERSONS;
	char *only = export_all(reg, &o, &s);
	assert_int_equal(s.records, 5);
	assert_false(th_contains(only, "places:"));
	free(only);

	/* Sonzacate: its three persons, its own branch of the gazetteer with the ancestors. */
	youth_export_options_init(&o);
	o.place = "sonzacate";
	char *sz = export_all(reg, &o, &s);
	assert_true(th_contains(sz, "first_surname: Pérez"));
	assert_true(th_contains(sz, "first_surname: Hernández\n"));
	assert_false(th_contains(sz, "given_names: \"Yes\""));
	assert_true(th_contains(sz, "path: sonsonate\n"));
	assert_false(th_contains(sz, "acajutla"));
	youth_registry *part = open_empty();
	assert_ok(youth_import_buffer(NULL, part, sz, strlen(sz), NULL, NULL));
	assert_int_equal(persons(part), 3);
	youth_registry_close(part);
	free(sz);

	youth_export_options_init(&o);
	o.from = "2009-03-05";
	o.kinds = YOUTH_KIND_PERSONS;
	char *late = export_all(reg, &o, &s);
	assert_int_equal(s.records, 1);
	assert_true(th_contains(late, "given_names: Luis"));
	free(late);

	th_text k = {0};
	o.to = "2009-03-01";
	assert_rc(youth_export_write(&s, reg, th_text_write, &k, &o), YOUTH_EINVAL);
	assert_msg_has("before from");
	o.to = "2009-13-01";
	assert_rc(youth_export_write(&s, reg, th_text_write, &k, &o), YOUTH_EINVAL);
	youth_export_options_init(&o);
	o.place = "atlantis";
	assert_rc(youth_export_write(&s, reg, th_text_write, &k, &o), YOUTH_ENOTFOUND);
	youth_export_options_init(&o);
	o.kinds = 1u << 20;
	assert_rc(youth_export_write(&s, reg, th_text_write, &k, &o), YOUTH_EINVAL);
	free(k.data);
	youth_registry_close(reg);
}

/* ---- census batches ---------------------------------------------------------------------- */

static void test_census_batch_is_a_valid_subset(void **state)
{
	(void)state;
	/* The bundled census ends with the trailer: both loaders read it. */
	youth_registry *a = gazetteer_only(), *b = gazetteer_only();
	youth_interchange_summary s;
	assert_ok(youth_import_file(&s, a, YOUTH_EXAMPLE_DATA "/census.yaml", NULL));
	assert_int_equal(s.imported, 600);
	int64_t added = 0;
	assert_ok(youth_census_load(&added, b, YOUTH_EXAMPLE_DATA "/census.yaml", 0));
	assert_int_equal(added, 600);
	assert_int_equal(persons(a), persons(b));
	/* The census loader checks the trailer when there is one, and wants it last. */
	youth_registry *c = gazetteer_only();
	static const char wrong[] = "format: libyouth/1\npersons:\n" ONE_PERSON "end: {records: 2}\n";
	assert_rc(youth_census_load_buffer(&added, c, wrong, sizeof wrong - 1, "w",
	                                   0), YOUTH_EPARSE);
	assert_msg_has("says 2 records but holds 1");
	static const char after[] =
		"format: libyouth/1\npersons:\n" ONE_PERSON "end: {records: 1}\npersons: []\n";
	assert_rc(youth_census_load_buffer(&added, c, after, sizeof after - 1, "w",
	                                   0), YOUTH_EPARSE);
	assert_msg_has("must be the last key");
	static const char good[] = "format: libyouth/1\npersons:\n" ONE_PERSON "end: {records: 1}\n";
	assert_ok(youth_census_load_buffer(&added, c, good, sizeof good - 1, "w", 0));
	assert_int_equal(added, 1);
	youth_registry_close(a);
	youth_registry_close(b);
	youth_registry_close(c);
}

/* ---- bad arguments --------------------------------------------------------------------------- */

/* Invalid UTF-8 is found by libyaml's reader, which knows only the byte offset: the message
 * names the line and column wherever the input can be read again (a buffer, a file, a
 * seekable stream), and the byte offset alone from a pipe or a read callback. */
static long whole_read(void *ctx, char *buf, size_t size)
{
	const char **rest = ctx;
	size_t n = strlen(*rest) < size ? strlen(*rest) : size;
	memcpy(buf, *rest, n);
	*rest += n;
	return (long)n;
}

static void test_bad_bytes_named_by_line_and_column(void **state)
{
	(void)state;
	static const char doc[] = "format: libyouth/1\npersons:\n" ONE_PERSON
	                          "  - given_names: Ren\xe9\n";
	youth_registry *reg = gazetteer_only();
	youth_interchange_summary s;
	assert_rc(youth_import_buffer(&s, reg, doc, strlen(doc), "b.yaml", NULL), YOUTH_EPARSE);
	assert_msg_has("b.yaml:10:21: incomplete UTF-8 octet sequence at byte ");

	char *dir = th_tmpdir(), *path = th_path(dir, "bad.yaml");
	th_write_file(path, doc, strlen(doc));
	assert_rc(youth_import_file(&s, reg, path, NULL), YOUTH_EPARSE);
	assert_msg_has(":10:21: incomplete UTF-8 octet sequence");
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_rc(youth_import_stream(&s, reg, f, "s.yaml", NULL), YOUTH_EPARSE);
	assert_msg_has("s.yaml:10:21:");
	fclose(f);

	/* a pipe cannot be read again */
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], doc, strlen(doc)), (ssize_t)strlen(doc));
	close(fds[1]);
	f = fdopen(fds[0], "rb");
	assert_non_null(f);
	assert_rc(youth_import_stream(&s, reg, f, "p.yaml", NULL), YOUTH_EPARSE);
	assert_msg_has("p.yaml: byte ");
	fclose(f);
	const char *rest = doc;
	assert_rc(youth_import_read(&s, reg, whole_read, &rest, "r.yaml", NULL), YOUTH_EPARSE);
	assert_msg_has("r.yaml: byte ");

	/* the gazetteer and census loaders read files and buffers the same way */
	static const char gaz[] = "format: libyouth/1\ngazetteer:\n  - name: Sonsonate\n"
	                          "  - name: Ahuachap\xe1n\n";
	th_write_file(path, gaz, strlen(gaz));
	assert_rc(youth_gazetteer_load(NULL, reg, path), YOUTH_EPARSE);
	assert_msg_has(":4:20: invalid trailing UTF-8 octet");
	assert_rc(youth_gazetteer_load_buffer(NULL, reg, gaz, strlen(gaz), "g.yaml"), YOUTH_EPARSE);
	assert_msg_has("g.yaml:4:20:");
	assert_int_equal(persons(reg), 0);
	youth_registry_close(reg);
	th_rmtree(dir);
	free(path);
	free(dir);
}

static void test_null_and_bad_arguments(void **state)
{
	(void)state;
	youth_registry *reg = gazetteer_only();
	youth_interchange_summary s;
	assert_rc(youth_import_file(&s, NULL, "x", NULL), YOUTH_EINVAL);
	assert_rc(youth_import_file(&s, reg, NULL, NULL), YOUTH_EINVAL);
	assert_rc(youth_import_stream(&s, reg, NULL, NULL, NULL), YOUTH_EINVAL);
	assert_rc(youth_import_buffer(&s, reg, NULL, 0, NULL, NULL), YOUTH_EINVAL);
	assert_rc(youth_import_read(&s, reg, NULL, NULL, NULL, NULL), YOUTH_EINVAL);
	assert_rc(youth_export_file(&s, reg, NULL, NULL), YOUTH_EINVAL);
	assert_rc(youth_export_stream(&s, reg, NULL, NULL), YOUTH_EINVAL);
	assert_rc(youth_export_write(&s, reg, NULL, NULL, NULL), YOUTH_EINVAL);
	assert_rc(youth_export_write(&s, NULL, th_text_write, NULL, NULL), YOUTH_EINVAL);
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = 1u << 9;
	assert_rc(youth_import_buffer(&s, reg, "", 0, NULL, &o), YOUTH_EINVAL);
	assert_msg_has("unknown flags");
	youth_import_options_init(&o);
	o.rejects_path = "/tmp/never-written";
	assert_rc(youth_import_buffer(&s, reg, "", 0, NULL, &o), YOUTH_EINVAL);
	assert_msg_has("needs the keep-going mode");
	youth_import_options_init(NULL);
	youth_export_options_init(NULL);
	/* Summaries may be NULL. */
	static const char empty[] = "format: libyouth/1\nend: {records: 0}\n";
	assert_ok(youth_import_buffer(NULL, reg, empty, sizeof empty - 1, NULL, NULL));
	youth_registry_close(reg);

	/* A read-only registry refuses an import before reading anything. */
	char *dir = th_tmpdir();
	char *path = th_path(dir, "r.youth");
	youth_registry *w = NULL;
	assert_ok(youth_registry_open(&w, path, YOUTH_OPEN_CREATE));
	youth_registry_close(w);
	assert_ok(youth_registry_open(&w, path, YOUTH_OPEN_READONLY));
	assert_rc(youth_import_buffer(&s, w, empty, sizeof empty - 1, NULL, NULL), YOUTH_EREADONLY);
	youth_registry_close(w);
	th_rmtree(dir);
	free(path);
	free(dir);
}

/* ---- failures of the machine ----------------------------------------------------------------- */

static void test_out_of_memory_everywhere(void **state)
{
	(void)state;
	youth_registry *src = sample();
	char *text = export_all(src, NULL, NULL);
	youth_registry_close(src);
	th_alloc_state st;
	int completed = 0;
	for (long n = 1; n <= 5000 && !completed; n++) {
		th_alloc_install(&st, 0, 0);
		youth_registry *reg = gazetteer_only();
		int64_t changes = youth_registry_total_changes(reg);
		st.fail_at = st.calls + n;
		youth_interchange_summary s;
		int rc = youth_import_buffer(&s, reg, text, strlen(text), "oom", NULL);
		st.fail_at = 0;
		if (rc == YOUTH_OK) {
			completed = 1;
			assert_int_equal(persons(reg), 5);
		} else {
			assert_rc(rc, YOUTH_ENOMEM);
			assert_int_equal(persons(reg), 0);
			assert_int_equal(youth_registry_total_changes(reg), changes);
		}
		/* and the export of what is there */
		th_text k = {0};
		st.fail_at = st.calls + 1;
		rc = youth_export_write(&s, reg, th_text_write, &k, NULL);
		st.fail_at = 0;
		assert_true(rc == YOUTH_OK || rc == YOUTH_ENOMEM);
		free(k.data);
		youth_registry_close(reg);
		th_alloc_restore();
		assert_int_equal(st.live, 0);
	}
	assert_true(completed);
	free(text);
}

static void test_disk_full_leaves_the_file(void **state)
{
	(void)state;
	youth_registry *src = gazetteer_only();
	char *text = census_text(2000);
	char *dir = th_tmpdir();
	char *path = th_path(dir, "full.youth");
	th_vfs_install();
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	youth_registry_close(reg);
	th_snapshot snap;
	th_snapshot_take(&snap, path);
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT));
	th_vfs_arm(TH_FAULT_FULL, 64 * 1024);
	youth_interchange_summary s;
	assert_rc(youth_import_buffer(&s, reg, text, strlen(text), "big", NULL), YOUTH_EFULL);
	th_vfs_disarm();
	assert_int_equal(persons(reg), 0);
	assert_ok(youth_registry_check(reg));
	youth_registry_close(reg);
	/* a first load: SQLite counted its two switches of journal mode */
	assert_unchanged_data(&snap, path);
	th_snapshot_free(&snap);
	th_rmtree(dir);
	free(path);
	free(dir);
	free(text);
	youth_registry_close(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_is_byte_identical),
		cmocka_unit_test(test_persons_keep_uuid_and_fields),
		cmocka_unit_test(test_atomic_failure_writes_nothing),
		cmocka_unit_test(test_keep_going_writes_rejects),
		cmocka_unit_test(test_keep_going_rejects_bad_keys),
		cmocka_unit_test(test_rejects_keep_records_whole),
		cmocka_unit_test(test_dry_run_writes_nothing),
		cmocka_unit_test(test_duplicates_and_upsert),
		cmocka_unit_test(test_upsert_by_national_id),
		cmocka_unit_test(test_trailer),
		cmocka_unit_test(test_places_section),
		cmocka_unit_test(test_read_callback_and_stream),
		cmocka_unit_test(test_progress_and_cancel),
		cmocka_unit_test(test_large_input_read_on_a_second_thread),
		cmocka_unit_test(test_export_write_failure_and_cancel),
		cmocka_unit_test(test_export_filters),
		cmocka_unit_test(test_census_batch_is_a_valid_subset),
		cmocka_unit_test(test_bad_bytes_named_by_line_and_column),
		cmocka_unit_test(test_null_and_bad_arguments),
		cmocka_unit_test(test_out_of_memory_everywhere),
		cmocka_unit_test(test_disk_full_leaves_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
