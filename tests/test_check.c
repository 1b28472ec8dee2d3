/*
 * youth check (include/youth/check.h, docs/reliability.md): the sample registry is sound; each
 * invariant broken with raw SQL is reported with its kind, table, id and UUID, and repaired
 * only when derivable; random byte flips in random pages are all detected or provably
 * harmless.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream, strdup */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <youth.h>

#include "helpers.h"
#include "../examples/sample/services.h"

typedef struct fixture {
	char *dir;
	char *sample;       /* the sample registry, built once */
	unsigned char *export; /* its export, the reference of record content */
	size_t export_len;
} fixture;

/* The whole registry as YAML: what a mutation must not change silently. */
static char *export_text(youth_registry *reg, size_t *len)
{
	char *text = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&text, &size);
	assert_non_null(fp);
	int rc = youth_export_stream(NULL, reg, fp, NULL);
	fclose(fp);
	*len = size;
	if (rc != YOUTH_OK) {
		free(text);
		return NULL;
	}
	return text;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = th_tmpdir();
	f->sample = th_path(f->dir, "sample.youth");
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, f->sample, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, YOUTH_EXAMPLE_DATA "/gazetteer.yaml"));
	assert_ok(youth_census_load(NULL, reg, YOUTH_EXAMPLE_DATA "/census.yaml", 0));
	assert_ok(sample_services(reg, YOUTH_EXAMPLE_DATA "/rules.yaml", NULL));
	f->export = (unsigned char *)export_text(reg, &f->export_len);
	assert_non_null(f->export);
	youth_registry_close(reg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	th_rmtree(f->dir);
	free(f->dir);
	free(f->sample);
	free(f->export);
	free(f);
	return 0;
}

/* A copy of the sample registry named @p name in the fixture's directory. */
static char *copy_sample(const fixture *f, const char *name)
{
	size_t size;
	unsigned char *bytes = th_read_file(f->sample, &size);
	char *path = th_path(f->dir, name);
	th_write_file(path, bytes, size);
	free(bytes);
	return path;
}

static youth_check_report *check_path(const char *path, unsigned flags)
{
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path,
	                              (flags & YOUTH_CHECK_REPAIR) ? YOUTH_OPEN_DEFAULT
	                                                           : YOUTH_OPEN_READONLY));
	youth_check_report *r = NULL;
	assert_ok(youth_check_run(&r, reg, flags));
	youth_registry_close(reg);
	return r;
}

/* The problem of @p kind on @p table (id @p id when not 0) whose message holds @p needle. */
static const youth_check_problem *find(const youth_check_report *r, const char *kind,
                                       const char *table, int64_t id, const char *needle)
{
	for (size_t i = 0; i < youth_check_report_count(r); i++) {
		const youth_check_problem *p = youth_check_report_get(r, i);
		if (strcmp(p->kind, kind) == 0 && th_streq(p->table, table) && (!id || p->id == id) &&
		    strstr(p->message, needle))
			return p;
	}
	return NULL;
}

static void print_report(const youth_check_report *r)
{
	for (size_t i = 0; i < youth_check_report_count(r); i++) {
		const youth_check_problem *p = youth_check_report_get(r, i);
		print_message("# %s %s %lld %s: %s\n", p->kind, p->table ? p->table : "-",
		              (long long)p->id, p->uuid ? p->uuid : "-", p->message);
	}
}

static void test_sample_is_sound(void **state)
{
	fixture *f = *state;
	for (unsigned flags = 0; flags <= YOUTH_CHECK_QUICK; flags++) {
		youth_check_report *r = check_path(f->sample, flags);
		print_report(r);
		assert_int_equal(youth_check_report_count(r), 0);
		assert_int_equal(youth_check_report_unrepaired(r), 0);
		assert_int_equal(youth_check_report_sealed(r), 1);
		assert_null(youth_check_report_get(r, 0));
		youth_check_report_free(r);
	}
}

static void test_arguments(void **state)
{
	fixture *f = *state;
	youth_check_report *r = (youth_check_report *)f; /* not NULL: must be reset */
	assert_rc(youth_check_run(&r, NULL, 0), YOUTH_EINVAL);
	assert_null(r);
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, f->sample, YOUTH_OPEN_READONLY));
	assert_rc(youth_check_run(NULL, reg, 0), YOUTH_EINVAL);
	assert_rc(youth_check_run(&r, reg, 0x80), YOUTH_EINVAL);
	th_check_msg("unknown flags", __FILE__, __LINE__);
	assert_rc(youth_check_run(&r, reg, YOUTH_CHECK_REPAIR), YOUTH_EREADONLY);
	youth_registry_close(reg);
	assert_int_equal(youth_check_report_count(NULL), 0);
	assert_int_equal(youth_check_report_unrepaired(NULL), 0);
	assert_null(youth_check_report_get(NULL, 0));
	youth_check_report_free(NULL);

	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(youth_registry_begin(reg));
	assert_rc(youth_check_run(&r, reg, YOUTH_CHECK_REPAIR), YOUTH_ESTATE);
	/* Checking (without repairs) inside the caller's transaction is fine. */
	assert_ok(youth_check_run(&r, reg, 0));
	assert_int_equal(youth_check_report_count(r), 0);
	/* Nothing is sealed in memory. */
	assert_int_equal(youth_check_report_sealed(r), 0);
	youth_check_report_free(r);
	assert_ok(youth_registry_rollback(reg));
	youth_registry_close(reg);
}

/* One value of a query on @p path, as text (freed by the caller). */
static char *raw_text(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, th_sealing_vfs()),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void test_invariants(void **state)
{
	fixture *f = *state;
	char *path = copy_sample(f, "broken.youth");
	/* Records of each kind to break, chosen in the sample. */
	char *enr = raw_text(path, "SELECT id FROM enrollment WHERE state = 3 LIMIT 1");
	char *enr_uuid = raw_text(path, "SELECT uuid FROM enrollment WHERE state = 3 LIMIT 1");
	char *sch = raw_text(path, "SELECT scholarship_id FROM scholarship_payment LIMIT 1");
	char *plan = raw_text(path, "SELECT plan_id FROM enterprise_disbursement LIMIT 1");
	char *adult = raw_text(path, "SELECT id FROM person WHERE national_id IS NOT NULL LIMIT 1");
	char *named = raw_text(path, "SELECT max(id) FROM person");
	char *session = raw_text(path, "SELECT s.id FROM counselling_session s WHERE state = 2 "
	                         "AND mode = 2 LIMIT 1");
	char sql[1024];
	snprintf(sql, sizeof sql,
	         "UPDATE enrollment SET attendance = NULL WHERE id = %s;"
	         "INSERT INTO scholarship_payment (uuid, scholarship_id, operator_id, exchange_id, "
	         "amount, paid_date, method, reference) SELECT '00000000-0000-7000-8000-00000000c0de', "
	         "scholarship_id, operator_id, exchange_id, 99999999, paid_date, method, 'CHECK-1' "
	         "FROM scholarship_payment WHERE scholarship_id = %s LIMIT 1;"
	         "DELETE FROM enterprise_disbursement WHERE plan_id = %s;"
	         "UPDATE person SET birth_date = date(census_date, '-15 years') WHERE id = %s;"
	         "UPDATE person SET name_key = 'SOMEONE ELSE' WHERE id = %s;"
	         "UPDATE counselling_session SET mode = 1 WHERE id = %s;",
	         enr, sch, plan, adult, named, session);
	th_raw_exec(path, sql, SQLITE_OK);
	youth_check_report *r = check_path(path, 0);
	print_report(r);
	const youth_check_problem *p;
	assert_non_null(p = find(r, "state", "enrollment", atoll(enr), "without recorded attendance"));
	assert_string_equal(p->uuid, enr_uuid);
	assert_non_null(find(r, "balance", "scholarship", atoll(sch), "the balance is negative"));
	assert_non_null(find(r, "state", "enterprise_plan", atoll(plan), "without any disbursement"));
	assert_non_null(find(r, "national_id", "person", atoll(adult), "aged 15"));
	assert_non_null(p = find(r, "derived", "person", atoll(named), "SOMEONE ELSE"));
	assert_non_null(p->uuid);
	assert_non_null(find(r, "state", "counselling_session", atoll(session), "individual"));
	assert_int_equal(youth_check_report_count(r), 6);
	youth_check_report_free(r);

	/* --repair recomputes the key and leaves the rest to a person. */
	r = check_path(path, YOUTH_CHECK_REPAIR);
	assert_int_equal(youth_check_report_count(r), 6);
	assert_int_equal(youth_check_report_unrepaired(r), 5);
	assert_int_equal(find(r, "derived", "person", atoll(named), "")->repaired, 1);
	assert_int_equal(find(r, "balance", "scholarship", 0, "")->repaired, 0);
	youth_check_report_free(r);
	r = check_path(path, 0);
	assert_int_equal(youth_check_report_count(r), 5);
	assert_null(find(r, "derived", "person", 0, ""));
	youth_check_report_free(r);
	free(enr);
	free(enr_uuid);
	free(sch);
	free(plan);
	free(adult);
	free(named);
	free(session);
	free(path);
}

/* The name index is derived from the names: a person missing from it, or keys of a person who
 * is gone, are found, and --repair builds it again so the search finds the person. */
static void test_name_index_checked(void **state)
{
	fixture *f = *state;
	char *path = copy_sample(f, "names.youth");
	char *id = raw_text(path, "SELECT min(id) FROM person");
	char *given = raw_text(path, "SELECT given_names || ' ' || first_surname FROM person "
	                             "WHERE id = (SELECT min(id) FROM person)");
	char sql[256];
	snprintf(sql, sizeof sql, "DELETE FROM person_name WHERE person_id = %s;"
	         "INSERT INTO person_name (person_id, key, words) SELECT 999999, key, words "
	         "FROM person_name LIMIT 1;", id);
	th_raw_exec(path, sql, SQLITE_OK);
	youth_check_report *r = check_path(path, 0);
	assert_non_null(find(r, "derived", "person", atoll(id), "not in the name index"));
	assert_non_null(find(r, "derived", "person", 999999, "not in the registry"));
	assert_int_equal(youth_check_report_count(r), 2);
	youth_check_report_free(r);
	r = check_path(path, YOUTH_CHECK_REPAIR);
	assert_int_equal(youth_check_report_unrepaired(r), 0);
	youth_check_report_free(r);
	r = check_path(path, 0);
	assert_int_equal(youth_check_report_count(r), 0);
	youth_check_report_free(r);
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_READONLY));
	youth_person_matches *m = NULL;
	assert_ok(youth_person_find(&m, reg, given, 50));
	bool seen = false;
	for (size_t i = 0; i < youth_person_matches_count(m); i++)
		seen = seen || youth_person_matches_get(m, i)->id == atoll(id);
	assert_true(seen);
	youth_person_matches_free(m);
	youth_registry_close(reg);
	free(id);
	free(given);
	free(path);
}

static void test_references_and_schema(void **state)
{
	fixture *f = *state;
	char *path = copy_sample(f, "refs.youth");
	th_raw_exec(path, "PRAGMA foreign_keys = OFF;"
	                  "UPDATE enrollment SET person_id = 99999999 WHERE id = (SELECT min(id) FROM enrollment);"
	                  "CREATE TABLE notes (x TEXT);"
	                  "DROP INDEX place_slug;", SQLITE_OK);
	youth_check_report *r = check_path(path, 0);
	print_report(r);
	assert_non_null(find(r, "reference", "enrollment", 0, "person"));
	assert_non_null(find(r, "schema", NULL, 0, "table notes: not part of the library's schema"));
	assert_non_null(find(r, "schema", NULL, 0, "index place_slug: missing from the registry"));
	assert_int_equal(youth_check_report_count(r), 3);
	/* Neither is derivable: --repair leaves both. */
	youth_check_report_free(r);
	r = check_path(path, YOUTH_CHECK_REPAIR);
	assert_int_equal(youth_check_report_unrepaired(r), 3);
	youth_check_report_free(r);
	free(path);
}

/* ---- random page damage ------------------------------------------------------------------ */

/* A small deterministic generator (xorshift64*), so that every run flips the same bytes. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

enum outcome { OPEN_REFUSED, CHECK_FOUND, HARMLESS };

/*
 * One mutated copy: detected when opening fails as damaged or the check finds a problem;
 * otherwise it must be harmless, which is decided by content rather than by where the byte
 * was: the export of the whole registry (every record, every field) is byte-identical to the
 * original's.  Anything else is damage silently accepted, and fails the test.
 */
static enum outcome judge(const fixture *f, const char *path, const char *what)
{
	youth_registry *reg = NULL;
	int rc = youth_registry_open(&reg, path, YOUTH_OPEN_READONLY);
	if (rc != YOUTH_OK) {
		if (rc != YOUTH_ECORRUPT)
			fail_msg("%s: open failed with %s, not as damage: %s", what, youth_error_name(rc),
			         youth_error_last()->message);
		return OPEN_REFUSED;
	}
	youth_check_report *r = NULL;
	assert_ok(youth_check_run(&r, reg, YOUTH_CHECK_DEFAULT));
	size_t found = youth_check_report_unrepaired(r);
	youth_check_report_free(r);
	if (found) {
		youth_registry_close(reg);
		return CHECK_FOUND;
	}
	size_t len = 0;
	char *text = export_text(reg, &len);
	youth_registry_close(reg);
	if (!text || len != f->export_len || memcmp(text, f->export, len) != 0)
		fail_msg("%s: not detected, and the registry's content changed", what);
	free(text);
	return HARMLESS;
}

/* judge() of the registry whose file is @p bytes (freed here). */
static enum outcome judge_bytes(const fixture *f, unsigned char *bytes, size_t size,
                                const char *what)
{
	char *path = th_path(f->dir, "damaged.youth");
	th_write_file(path, bytes, size);
	free(bytes);
	enum outcome o = judge(f, path, what);
	free(path);
	return o;
}

static void test_random_page_damage(void **state)
{
	fixture *f = *state;
	size_t size;
	unsigned char *orig = th_read_file(f->sample, &size);
	unsigned page_size = (unsigned)orig[16] << 8 | orig[17];
	size_t pages = size / page_size;
	uint64_t seed = UINT64_C(0x5eed0f14);
	int counts[3] = {0};
	enum { CASES = 48 };
	for (int c = 0; c < CASES; c++) {
		unsigned char *bytes = malloc(size);
		memcpy(bytes, orig, size);
		/* 1 to 3 bytes, each in a random page at a random offset, changed by a random
		 * non-zero mask: a flipped bit, a flipped byte, or anything between. */
		int flips = 1 + (int)(next_random(&seed) % 3);
		char what[160];
		int n = snprintf(what, sizeof what, "case %d:", c);
		for (int i = 0; i < flips; i++) {
			size_t page = next_random(&seed) % pages;
			size_t off = next_random(&seed) % page_size;
			unsigned char mask = (unsigned char)(1 + next_random(&seed) % 255);
			bytes[page * page_size + off] ^= mask;
			n += snprintf(what + n, sizeof what - (size_t)n, " page %zu+%zu^%02x", page + 1,
			              off, mask);
		}
		enum outcome o = judge_bytes(f, bytes, size, what);
		counts[o]++;
		print_message("# %s: %s\n", what,
		              o == OPEN_REFUSED ? "refused on open" : o == CHECK_FOUND ? "found by check" : "harmless");
	}
	print_message("# %d mutations: %d refused on open, %d found by youth check, %d harmless "
	              "(export identical)\n", CASES, counts[OPEN_REFUSED], counts[CHECK_FOUND],
	              counts[HARMLESS]);
	free(orig);
}

/* The byte inside a name that nothing saw before page checksums (issue 14). */
static void test_flipped_letter_in_a_name(void **state)
{
	fixture *f = *state;
	size_t size;
	unsigned char *bytes = th_read_file(f->sample, &size);
	char *name = raw_text(f->sample, "SELECT first_surname FROM person "
	                      "WHERE length(first_surname) > 5 ORDER BY id DESC LIMIT 1");
	unsigned char *hit = NULL;
	for (size_t i = 0; i + strlen(name) < size && !hit; i++)
		if (memcmp(bytes + i, name, strlen(name)) == 0)
			hit = bytes + i;
	assert_non_null(hit);
	hit[1] ^= 0x20; /* "Hernández" -> "HErnández": same length, still valid UTF-8 */
	assert_int_not_equal(judge_bytes(f, bytes, size, "a letter of a name"), HARMLESS);
	free(name);
}

/* A whole page written at the wrong place: each page is valid on its own, but its checksum
 * belongs to its number. */
static void test_page_at_the_wrong_place(void **state)
{
	fixture *f = *state;
	size_t size;
	unsigned char *bytes = th_read_file(f->sample, &size);
	unsigned page_size = (unsigned)bytes[16] << 8 | bytes[17];
	size_t pages = size / page_size;
	assert_true(pages > 4);
	memcpy(bytes + (pages - 2) * page_size, bytes + (pages - 3) * page_size, page_size);
	assert_int_not_equal(judge_bytes(f, bytes, size, "a page copied over the next one"),
	                     HARMLESS);
}

/* The state of a registry in use (the load test, docs/reliability.md): a checkpoint done while
 * a reader still needed older pages copies only the pages no later commit changed, so the main
 * file can hold a stale copy of a page, or none (a hole of zeros), while the -wal holds the
 * page itself.  That is sound: nothing reads that copy.  The page scan of youth check must not
 * report it as damage, and must still report a damaged page the -wal does not hold. */
static void test_pages_held_by_the_wal(void **state)
{
	(void)state;
	char *dir = th_tmpdir();
	char *path = th_path(dir, "busy.youth");
	youth_registry *w = th_open_file_gazetteer(path);
	youth_registry_close(w);
	assert_ok(youth_registry_open(&w, path, YOUTH_OPEN_DEFAULT));

	/* One commit of new pages at the end of the file... */
	assert_ok(youth_registry_begin(w));
	int64_t first = 0, id = 0;
	for (int i = 0; i < 400; i++) {
		assert_ok(th_add_person(w, &id));
		if (!first)
			first = id;
	}
	assert_ok(youth_registry_commit(w));
	/* ...read by a reader that stays... */
	sqlite3 *reader = NULL;
	assert_int_equal(sqlite3_open_v2(path, &reader, SQLITE_OPEN_READONLY, th_sealing_vfs()),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM person", NULL, NULL,
	                              NULL), SQLITE_OK);
	/* ...then a commit that changes one of those pages again, and a checkpoint, which may
	 * copy only what the reader's snapshot holds: the changed page stays in the -wal. */
	char sql[160];
	snprintf(sql, sizeof sql, "UPDATE person SET address = 'Pasaje 4, casa 1' WHERE id = %lld;"
	         "PRAGMA wal_checkpoint(PASSIVE)", (long long)(first + 40));
	th_raw_exec(path, sql, SQLITE_OK);

	/* The main file now lacks a page that the -wal holds (its copy there is zeros). */
	size_t size;
	unsigned char *bytes = th_read_file(path, &size);
	unsigned page_size = (unsigned)bytes[16] << 8 | bytes[17];
	size_t holes = 0, hole = 0;
	static const unsigned char zero[16] = {0};
	for (size_t pg = 0; pg < size / page_size; pg++)
		if (memcmp(bytes + pg * page_size, zero, sizeof zero) == 0 &&
		    memcmp(bytes + pg * page_size, bytes + pg * page_size + 16, page_size - 16) == 0) {
			holes++;
			hole = pg;
		}
	print_message("# %zu pages of %zu in the main file are holes the -wal fills\n", holes,
	              size / page_size);
	assert_true(holes > 0);

	youth_check_report *r = check_path(path, 0);
	print_report(r);
	assert_int_equal(youth_check_report_count(r), 0);
	assert_true(youth_check_report_sealed(r));
	youth_check_report_free(r);

	/* A page of the main file that the -wal does not hold is still checked: a letter of a
	 * place name (the gazetteer was written, and checkpointed, before all this). */
	const char *place = "Salcoatit";
	size_t at = 0;
	while (at + strlen(place) < size && memcmp(bytes + at, place, strlen(place)) != 0)
		at++;
	assert_true(at + strlen(place) < size);
	assert_true(at / page_size != hole);
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, (long)at, SEEK_SET), 0);
	assert_int_equal(fputc('s', fp), 's');
	assert_int_equal(fclose(fp), 0);
	r = check_path(path, 0);
	print_report(r);
	assert_non_null(find(r, "page", NULL, (int64_t)(at / page_size) + 1, "does not match"));
	youth_check_report_free(r);

	sqlite3_close(reader);
	youth_registry_close(w);
	free(bytes);
	th_rmtree(dir);
	free(dir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_is_sound),
		cmocka_unit_test(test_arguments),
		cmocka_unit_test(test_invariants),
		cmocka_unit_test(test_name_index_checked),
		cmocka_unit_test(test_references_and_schema),
		cmocka_unit_test(test_flipped_letter_in_a_name),
		cmocka_unit_test(test_page_at_the_wrong_place),
		cmocka_unit_test(test_random_page_damage),
		cmocka_unit_test(test_pages_held_by_the_wal),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
