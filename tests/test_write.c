/* Tests of the single write path (youth__write_begin / _begin_one / _end in registry.c): a
 * failed call undoes exactly its own rows, inside a caller's transaction or on its own, and a
 * failure injected at every row a call writes leaves the registry as it was before the call.
 *
 * White-box like test_rules: linked with the library's objects, because the one-statement
 * write (youth__write_begin_one) is internal, and the tests read every table and install
 * fault-injecting triggers through the registry's own connection. */
#include "private.h"

#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#define CENSUS_SMALL YOUTH_TEST_DATA "/census-small.yaml"
#define GAZETTEER_EXTRA YOUTH_TEST_DATA "/gazetteer-extra.yaml"

/* ---- the whole registry as text ---------------------------------------------------------- */

static void exec_ok(youth_registry *reg, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(reg->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static void put(youth__buf *b, const char *s)
{
	assert_ok(youth__buf_put(b, s, strlen(s)));
}

/* The registry's tables (not the test's temp tables), by name. */
static sqlite3_stmt *main_tables(youth_registry *reg)
{
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(reg->db,
	                                    "SELECT name FROM main.sqlite_schema WHERE type = 'table' "
	                                    "AND name NOT LIKE 'sqlite_%' ORDER BY name",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	return st;
}

/* Every row of every table of the registry, as one string: two equal digests are two
 * registries with the same content. */
static char *digest(youth_registry *reg)
{
	youth__buf b = {0};
	sqlite3_stmt *tables = main_tables(reg);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		char *sql = sqlite3_mprintf("SELECT * FROM main.\"%w\"", name);
		sqlite3_stmt *st = NULL;
		assert_int_equal(sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL), SQLITE_OK);
		sqlite3_free(sql);
		put(&b, name);
		put(&b, ":\n");
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(st); i++) {
				const char *v = (const char *)sqlite3_column_text(st, i);
				put(&b, v ? v : "NULL");
				put(&b, "|");
			}
			put(&b, "\n");
		}
		sqlite3_finalize(st);
	}
	sqlite3_finalize(tables);
	assert_ok(youth__buf_put(&b, "", 1));
	return b.data;
}

typedef struct snap {
	char *digest;
	int64_t changes;
} snap;

static snap take(youth_registry *reg)
{
	return (snap){digest(reg), youth_registry_total_changes(reg)};
}

static void same(youth_registry *reg, snap *s, const char *file, int line)
{
	char *now = digest(reg);
	int equal = strcmp(now, s->digest) == 0;
	youth__free(now);
	if (!equal)
		fail_msg("%s:%d: a failed call left rows behind or took earlier ones away", file, line);
	if (youth_registry_total_changes(reg) != s->changes)
		fail_msg("%s:%d: change counter %lld, %lld before the call", file, line,
		         (long long)youth_registry_total_changes(reg), (long long)s->changes);
}
#define assert_same(reg, s) same((reg), (s), __FILE__, __LINE__)

static void drop(snap *s)
{
	youth__free(s->digest);
}

static int first_value(void *out, int n, char **values, char **names)
{
	(void)n;
	(void)names;
	*(int64_t *)out = values[0] ? strtoll(values[0], NULL, 10) : 0;
	return 0;
}

/* The value of a query of one row and one column. */
static int64_t sql_value(youth_registry *reg, const char *sql)
{
	int64_t v = -1;
	assert_int_equal(sqlite3_exec(reg->db, sql, first_value, &v, NULL), SQLITE_OK);
	return v;
}

/* ---- fault injection ----------------------------------------------------------------------- */

/*
 * A temporary trigger before every INSERT, UPDATE and DELETE of every row of every table
 * counts down temp.th_fault.n and fails the statement (RAISE(ABORT)) when it reaches 0: with
 * n = k the k-th row the call writes fails, after the k - 1 before it were written.  The
 * triggers live in the temp schema of this connection only; the registry is not changed.
 */
static void faults_install(youth_registry *reg)
{
	exec_ok(reg, "CREATE TEMP TABLE th_fault (n INTEGER); INSERT INTO th_fault VALUES (-1)");
	sqlite3_stmt *st = main_tables(reg);
	static const char *const ops[] = {"INSERT", "UPDATE", "DELETE"};
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		for (int i = 0; i < 3; i++) {
			char *sql = sqlite3_mprintf(
				"CREATE TEMP TRIGGER \"th_fault_%w_%s\" BEFORE %s ON main.\"%w\" BEGIN "
				"UPDATE th_fault SET n = n - 1; "
				"SELECT RAISE(ABORT, 'injected fault') WHERE (SELECT n FROM th_fault) = 0; END",
				name, ops[i], ops[i], name);
			exec_ok(reg, sql);
			sqlite3_free(sql);
		}
		n++;
	}
	sqlite3_finalize(st);
	assert_true(n > 10);
}

static void faults_arm(youth_registry *reg, int k)
{
	char sql[64];
	snprintf(sql, sizeof sql, "UPDATE th_fault SET n = %d", k);
	exec_ok(reg, sql);
}

typedef int (*call_fn)(youth_registry *reg);

/*
 * Runs @call with a fault at its first row, then its second, ... until it succeeds; after
 * every failure the registry must be exactly as before the call and a caller's transaction
 * still open.  Returns the number of faults injected (the rows the call writes).
 */
static int fault_each_row(youth_registry *reg, call_fn call)
{
	int depth = youth_registry_in_transaction(reg);
	for (int k = 1; k < 1000; k++) {
		snap before = take(reg);
		faults_arm(reg, k);
		int rc = call(reg);
		faults_arm(reg, -1);
		if (rc == YOUTH_OK) {
			drop(&before);
			return k - 1;
		}
		assert_msg_has("injected fault");
		assert_same(reg, &before);
		assert_int_equal(youth_registry_in_transaction(reg), depth);
		drop(&before);
	}
	fail_msg("the call never succeeded");
	return 0;
}

/* ---- the calls under test ----------------------------------------------------------------- */

/* One person: one row. */
static int add_person(youth_registry *reg)
{
	youth_person p;
	th_person_valid(&p);
	p.national_id = NULL;
	return youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT);
}

/* Three new places (gazetteer-extra.yaml over the sample gazetteer): one call, several rows,
 * each written by its own nested write. */
static int load_places(youth_registry *reg)
{
	return youth_gazetteer_load(NULL, reg, GAZETTEER_EXTRA);
}

/* Five persons from one census file: one call whose nested writes each add a person. */
static int load_census(youth_registry *reg)
{
	return youth_census_load(NULL, reg, CENSUS_SMALL, 0);
}

/* ---- a failed call inside a caller's transaction ------------------------------------------- */

static void test_failed_add_keeps_earlier_rows(void **state)
{
	youth_registry *reg = *state;
	assert_ok(youth_registry_begin(reg));
	youth_person p;
	th_person_valid(&p);
	p.national_id = "00016297-5";
	assert_ok(youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT));
	int64_t first = p.id;
	snap before = take(reg);
	/* the same DUI again: refused by the UNIQUE index, when the row is written */
	th_person_valid(&p);
	p.national_id = "00016297-5";
	assert_rc(youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT), YOUTH_EEXISTS);
	assert_same(reg, &before);
	drop(&before);
	assert_int_equal(youth_registry_in_transaction(reg), 1);
	/* the transaction goes on and commits the earlier row and a later one */
	assert_ok(add_person(reg));
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(th_count_persons(reg), 2);
	youth_person *got = NULL;
	assert_ok(youth_person_get(&got, reg, first));
	assert_string_equal(got->national_id, "00016297-5");
	youth_person_free(got);
}

static void test_failed_multirow_keeps_earlier_rows(void **state)
{
	youth_registry *reg = *state;
	int64_t places = th_count_places(reg, NULL, 0);
	assert_ok(youth_registry_begin(reg));
	assert_ok(add_person(reg));
	faults_install(reg);
	snap before = take(reg);
	/* the third place fails: two of the call's rows are written and must go again */
	faults_arm(reg, 3);
	assert_true(load_places(reg) != YOUTH_OK);
	faults_arm(reg, -1);
	assert_msg_has("injected fault");
	assert_same(reg, &before);
	drop(&before);
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(th_count_persons(reg), 1);
	assert_int_equal(th_count_places(reg, NULL, 0), places);
}

/* ---- a fault at every row ------------------------------------------------------------------ */

static int64_t count_places(youth_registry *reg)
{
	return th_count_places(reg, NULL, 0);
}

/* The faults of fault_each_row() for @call, inside a transaction (after an earlier write of
 * that transaction, which every failure must leave alone) and alone, each on a fresh
 * registry; in the end the call has written @rows rows, counted by @count. */
static void run_faults(call_fn call, int64_t (*count)(youth_registry *), int rows)
{
	for (int in_transaction = 0; in_transaction < 2; in_transaction++) {
		youth_registry *reg = th_open_memory_gazetteer();
		faults_install(reg);
		if (in_transaction) {
			assert_ok(youth_registry_begin(reg));
			assert_ok(add_person(reg));
		}
		int64_t before = count(reg);
		assert_true(fault_each_row(reg, call) >= rows);
		if (in_transaction)
			assert_ok(youth_registry_commit(reg));
		assert_int_equal(count(reg), before + rows);
		if (in_transaction)
			assert_int_equal(th_count_persons(reg), 1 + (count == th_count_persons ? rows : 0));
		assert_ok(youth_registry_check(reg));
		youth_registry_close(reg);
	}
}

static void test_faults_add(void **state)
{
	(void)state;
	run_faults(add_person, th_count_persons, 1);
}

static void test_faults_places(void **state)
{
	(void)state;
	run_faults(load_places, count_places, 3);
}

static void test_faults_census(void **state)
{
	(void)state;
	run_faults(load_census, th_count_persons, 5);
}

/* ---- the one-statement write --------------------------------------------------------------- */

static const char SQL_ONE[] =
	"INSERT INTO person (uuid, national_id, given_names, first_surname, name_key, birth_date, "
	"sex, place_id, census_date, census_round) "
	"VALUES (?1, ?2, 'Ana', 'López', 'ana lopez', '1992-05-14', ?3, ?4, '2009-03-02', 'c')";

/* What a service does with youth__write_begin_one(): one INSERT, no savepoint. */
static int one_insert(youth_registry *reg, const char *uuid, const char *dui, int sex,
                      int64_t place_id)
{
	youth__write w;
	int rc = youth__write_begin_one(&w, reg, "add test person");
	if (rc)
		return rc;
	sqlite3_stmt *st;
	rc = youth__stmt(reg, SQL_ONE, &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
		youth__bind_text(st, 2, dui);
		sqlite3_bind_int(st, 3, sex);
		sqlite3_bind_int64(st, 4, place_id);
		rc = youth__step_done(reg, st, "adding a test person");
	}
	if (rc == YOUTH_OK)
		youth__write_row(&w, "person", sqlite3_last_insert_rowid(reg->db), 'c');
	return youth__write_end(&w, rc);
}

/* SQLite checks every constraint of a one-row INSERT before it writes anything, so a refused
 * one-statement write leaves no row behind although it had no savepoint. */
static void test_one_statement_refused_in_transaction(void **state)
{
	youth_registry *reg = *state;
	int64_t place = sql_value(reg, "SELECT min(id) FROM place");
	static const char u1[] = "01890000-0000-7000-8000-000000000001",
	                  u2[] = "01890000-0000-7000-8000-000000000002";
	int64_t changes = youth_registry_total_changes(reg);
	assert_ok(youth_registry_begin(reg));
	assert_ok(one_insert(reg, u1, "00016297-5", 1, place));
	assert_int_equal(reg->op_depth, 0);
	snap before = take(reg);
	assert_rc(one_insert(reg, u1, NULL, 1, place), YOUTH_EEXISTS);          /* UNIQUE uuid */
	assert_same(reg, &before);
	assert_rc(one_insert(reg, u2, "00016297-5", 1, place), YOUTH_EEXISTS);  /* UNIQUE DUI */
	assert_same(reg, &before);
	assert_rc(one_insert(reg, u2, NULL, 3, place), YOUTH_EINVAL);           /* CHECK */
	assert_same(reg, &before);
	assert_rc(one_insert(reg, u2, NULL, 1, 999999), YOUTH_EREFERENCED);     /* FOREIGN KEY */
	assert_same(reg, &before);
	drop(&before);
	assert_int_equal(reg->one_depth, 0);
	assert_ok(one_insert(reg, u2, NULL, 2, place));
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(th_count_persons(reg), 2);
	assert_int_equal(youth_registry_total_changes(reg), changes + 2);
}

/* Outside a transaction a one-statement write is an ordinary BEGIN ... COMMIT of its own. */
static void test_one_statement_alone(void **state)
{
	youth_registry *reg = *state;
	int64_t place = sql_value(reg, "SELECT min(id) FROM place");
	assert_ok(one_insert(reg, "01890000-0000-7000-8000-000000000003", NULL, 1, place));
	assert_true(sqlite3_get_autocommit(reg->db));
	assert_rc(one_insert(reg, "01890000-0000-7000-8000-000000000003", NULL, 1, place),
	          YOUTH_EEXISTS);
	assert_true(sqlite3_get_autocommit(reg->db));
	assert_int_equal(th_count_persons(reg), 1);
}

/* A one-statement write that fetches a second writing statement is refused before that
 * statement runs: a service that breaks its promise fails its tests. */
static void test_one_statement_second_write_refused(void **state)
{
	youth_registry *reg = *state;
	int64_t place = sql_value(reg, "SELECT min(id) FROM place");
	assert_ok(youth_registry_begin(reg));
	youth__write w;
	assert_ok(youth__write_begin_one(&w, reg, "two statements"));
	sqlite3_stmt *st;
	static const char reading[] = "SELECT count(*) FROM person";
	assert_ok(youth__stmt(reg, reading, &st)); /* reading is free */
	assert_ok(youth__stmt(reg, SQL_ONE, &st));
	static const char second[] = "UPDATE person SET address = 'x'";
	assert_rc(youth__stmt(reg, second, &st), YOUTH_EMISUSE);
	assert_msg_has("second writing statement");
	assert_rc(youth__write_end(&w, YOUTH_EMISUSE), YOUTH_EMISUSE);
	/* a one-statement write nested in another shares the outer one's single statement */
	youth__write inner;
	assert_ok(youth__write_begin_one(&w, reg, "outer"));
	assert_ok(youth__stmt(reg, SQL_ONE, &st));
	assert_ok(youth__write_begin_one(&inner, reg, "inner"));
	assert_rc(youth__stmt(reg, second, &st), YOUTH_EMISUSE);
	assert_rc(youth__write_end(&inner, YOUTH_EMISUSE), YOUTH_EMISUSE);
	assert_int_equal(reg->one_depth, reg->op_depth);
	assert_rc(youth__write_end(&w, YOUTH_EMISUSE), YOUTH_EMISUSE);
	assert_int_equal(reg->one_depth, 0);
	/* the next write scope is checked afresh */
	assert_ok(one_insert(reg, "01890000-0000-7000-8000-000000000004", NULL, 1, place));
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(th_count_persons(reg), 1);
}

/* Temporary storage is files (temp_store = FILE), whatever SQLite was built with: memory must
 * not grow with the size of a sort or of a statement journal. */
static void test_temp_store_file(void **state)
{
	youth_registry *reg = *state;
	assert_int_equal(sql_value(reg, "PRAGMA temp_store"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_failed_add_keeps_earlier_rows, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_failed_multirow_keeps_earlier_rows,
		                                th_setup_gazetteer, th_teardown_registry),
		cmocka_unit_test(test_faults_add),
		cmocka_unit_test(test_faults_places),
		cmocka_unit_test(test_faults_census),
		cmocka_unit_test_setup_teardown(test_one_statement_refused_in_transaction,
		                                th_setup_gazetteer, th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_one_statement_alone, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_one_statement_second_write_refused,
		                                th_setup_gazetteer, th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_temp_store_file, th_setup_gazetteer,
		                                th_teardown_registry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
