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
	p.birth_date = "1990-05-14"; /* 18: old enough for a DUI */
	p.national_id = "00016297-5";
	assert_ok(youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT));
	int64_t first = p.id;
	snap before = take(reg);
	/* the same DUI again: refused by the UNIQUE index, when the row is written */
	th_person_valid(&p);
	p.birth_date = "1990-05-14"; /* 18: old enough for a DUI */
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

/*
 * A person's add writes its row, then its name index rows (new words, their variants, the
 * keys) without a savepoint (person.c): only the person's row can be refused, and it comes
 * first.  The rows after it cannot be refused by any constraint; they fail only by I/O or
 * memory, where SQLite ends the whole transaction itself, or, transiently, where the add's
 * row is deleted again (test_failed_index_undone_alone below).  The triggers of
 * faults_install() make them fail persistently, which nothing real does: every write after the
 * injected fault may fail too, the delete that would undo the add included.  The add must then
 * be undone alone or roll back the whole transaction and say so, never keep half a person; a
 * fault at the person's row must leave the transaction and its earlier rows as they were.
 */
static void test_faults_add(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	faults_install(reg);
	int64_t before = th_count_persons(reg);
	assert_true(fault_each_row(reg, add_person) >= 1); /* alone: its own transaction */
	assert_int_equal(th_count_persons(reg), before + 1);
	youth_registry_close(reg);

	int tail = 0;
	for (int k = 1;; k++) {
		assert_true(k < 1000);
		reg = th_open_memory_gazetteer();
		faults_install(reg);
		assert_ok(youth_registry_begin(reg));
		assert_ok(add_person(reg));
		snap earlier = take(reg);
		faults_arm(reg, k);
		int rc = add_person(reg);
		faults_arm(reg, -1);
		if (rc == YOUTH_OK) {
			assert_ok(youth_registry_commit(reg));
			assert_int_equal(th_count_persons(reg), 2);
			assert_ok(youth_registry_check(reg));
			drop(&earlier);
			youth_registry_close(reg);
			break;
		}
		assert_msg_has("injected fault");
		if (k == 1) {
			assert_same(reg, &earlier); /* the person's own row refused: nothing to undo */
			assert_int_equal(youth_registry_in_transaction(reg), 1);
			assert_ok(youth_registry_commit(reg));
			assert_int_equal(th_count_persons(reg), 1);
		} else if (!strstr(youth_error_last()->message, "whole transaction was rolled back")) {
			assert_same(reg, &earlier); /* undone alone: the delete was not faulted */
			assert_ok(youth_registry_commit(reg));
			assert_int_equal(th_count_persons(reg), 1);
			tail++;
		} else {
			/* as after any error that ends a transaction: the caller's rollback closes it */
			assert_int_equal(th_count_persons(reg), 0);
			assert_ok(youth_registry_rollback(reg));
			tail++;
		}
		drop(&earlier);
		assert_ok(youth_registry_check(reg));
		youth_registry_close(reg);
	}
	assert_true(tail >= 2); /* a new word, its variants, the keys */
}

/* Fails the statement that runs it once, after th_fail_armed was set: a transient fault,
 * which (unlike faults_install()'s) the statements after it do not see. */
static int th_fail_armed;
static void fail_once(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_int(ctx, th_fail_armed);
	th_fail_armed = 0;
}

/* A transient failure while a person's name index rows are written, inside a caller's
 * transaction: the add's row, its new words and their variants go again, the earlier rows
 * of the transaction stay, and the transaction goes on. */
static void test_failed_index_undone_alone(void **state)
{
	youth_registry *reg = *state;
	assert_int_equal(sqlite3_create_function(reg->db, "th_fail_once", 0, SQLITE_UTF8, NULL,
	                                         fail_once, NULL, NULL),
	                 SQLITE_OK);
	static const char *const table[] = {"name_token", "name_token_near", "person_name"};
	static const char *const name[] = {"Wenceslao", "Eustaquio", "Zacarías"};
	assert_ok(youth_registry_begin(reg));
	assert_ok(add_person(reg));
	for (size_t t = 0; t < sizeof table / sizeof table[0]; t++) {
		char *sql = sqlite3_mprintf("CREATE TEMP TRIGGER th_once BEFORE INSERT ON main.%s "
		                            "BEGIN SELECT RAISE(ABORT, 'injected fault') WHERE "
		                            "th_fail_once(); END", table[t]);
		exec_ok(reg, sql);
		sqlite3_free(sql);
		snap before = take(reg);
		youth_person p;
		th_person_valid(&p);
		p.national_id = NULL;
		p.given_names = name[t]; /* a new word: its token and variants are written first */
		th_fail_armed = 1;
		assert_true(youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT) != YOUTH_OK);
		assert_int_equal(th_fail_armed, 0); /* the fault did fire */
		assert_msg_has("injected fault");
		assert_same(reg, &before);
		assert_int_equal(youth_registry_in_transaction(reg), 1);
		drop(&before);
		exec_ok(reg, "DROP TRIGGER th_once");
	}
	assert_ok(add_person(reg));
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(th_count_persons(reg), 2);
	assert_ok(youth_registry_check(reg));
	assert_int_equal(sql_value(reg, "SELECT count(*) FROM name_token WHERE token IN "
	                                "('wenceslao', 'eustaquio', 'zacarias')"), 0);
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

/* ---- every service write that is one statement writing one row ------------------------------ */

/*
 * The services' writes that use youth__write_begin_one() (docs/design.md, "One write path"),
 * each inside a caller's transaction and alone, with a fault at its first row: it must write
 * exactly one row (the fault at row 1 leaves the registry as it was, the call then succeeds at
 * the second try), and inside a transaction a refused call leaves the transaction's earlier
 * row (a person) and none of its own.  A service whose write grew a second statement fails
 * here with YOUTH_EMISUSE instead of "injected fault".
 */

/* The records the calls work on, added before the faults are installed. */
static struct one_fx {
	int64_t exchange, op, person[3], employer, course, cohort, applied, enrolled, completed,
		session, awarded_from, active, group, female_group, draft, submitted, followup;
} fx;

static int64_t add_enrollment(youth_registry *reg, int64_t person, int to_state)
{
	youth_enrollment e;
	youth_enrollment_init(&e);
	e.cohort_id = fx.cohort;
	e.person_id = person;
	e.operator_id = fx.op;
	e.applied_date = "2010-01-15";
	assert_ok(youth_enrollment_apply(reg, &e, NULL));
	if (to_state >= YOUTH_ENROLLMENT_ENROLLED)
		assert_ok(youth_enrollment_set_state(reg, e.id, YOUTH_ENROLLMENT_ENROLLED, "2010-02-01",
		                                     NULL));
	if (to_state == YOUTH_ENROLLMENT_COMPLETED) {
		assert_ok(youth_enrollment_set_attendance(reg, e.id, 90));
		assert_ok(youth_enrollment_set_state(reg, e.id, YOUTH_ENROLLMENT_COMPLETED,
		                                     "2010-06-30", NULL));
	}
	return e.id;
}

static int64_t add_scholarship(youth_registry *reg, int64_t person)
{
	youth_scholarship s;
	youth_scholarship_init(&s);
	s.person_id = person;
	s.operator_id = fx.op;
	s.applied_date = "2010-01-10";
	assert_ok(youth_scholarship_apply(reg, &s, NULL));
	return s.id;
}

static int64_t add_plan(youth_registry *reg, int64_t person)
{
	youth_plan p;
	youth_plan_init(&p);
	p.window = YOUTH_WINDOW_YOUTH_SEED;
	p.person_id = person;
	p.title = "Pupusería";
	p.sector = "food";
	p.description = "A pupusa stand at the market.";
	p.requested = 50000;
	p.drafted_date = "2010-02-01";
	p.operator_id = fx.op;
	assert_ok(youth_plan_add(reg, &p));
	return p.id;
}

static int64_t add_group(youth_registry *reg, int window)
{
	youth_group g;
	youth_group_init(&g);
	g.name = window == YOUTH_WINDOW_FEMALE ? "Mujeres de Sonzacate" : "Jóvenes de Sonzacate";
	g.window = window;
	g.operator_id = fx.op;
	g.formed_date = "2010-01-05";
	assert_ok(youth_group_add(reg, &g));
	return g.id;
}

static void one_setup(youth_registry *reg)
{
	int64_t inactive;
	memset(&fx, 0, sizeof fx);
	th_add_staffed_exchange(reg, YOUTH_ROLE_COUNSELLOR, YOUTH_ROLE_INTAKE, &fx.exchange, &fx.op,
	                        &inactive);
	for (int i = 0; i < 3; i++)
		fx.person[i] = th_new_person(reg);
	youth_employer em;
	youth_employer_init(&em);
	em.name = "Almacenes Sonsonate";
	assert_ok(youth_employer_add(reg, &em));
	fx.employer = em.id;
	youth_course c;
	youth_course_init(&c);
	c.code = "SOLD";
	c.title = "Soldadura";
	c.provider = "INSAFORP";
	c.hours = 120;
	assert_ok(youth_course_add(reg, &c));
	fx.course = c.id;
	youth_cohort h;
	youth_cohort_init(&h);
	h.course_id = fx.course;
	h.exchange_id = fx.exchange;
	h.code = "SOLD-2010-1";
	h.start_date = "2010-02-01";
	h.end_date = "2010-06-30";
	h.place = TH_EXCHANGE_PLACE;
	h.capacity = 10;
	assert_ok(youth_cohort_add(reg, &h));
	fx.cohort = h.id;
	fx.applied = add_enrollment(reg, fx.person[0], YOUTH_ENROLLMENT_APPLIED);
	fx.enrolled = add_enrollment(reg, fx.person[1], YOUTH_ENROLLMENT_ENROLLED);
	fx.completed = add_enrollment(reg, fx.person[2], YOUTH_ENROLLMENT_COMPLETED);
	youth_counselling_session s;
	youth_counselling_session_init(&s);
	s.operator_id = fx.op;
	s.date = "2010-03-01";
	s.kind = YOUTH_COUNSELLING_CAREER_GUIDANCE;
	s.mode = YOUTH_COUNSELLING_INDIVIDUAL;
	s.duration_minutes = 45;
	assert_ok(youth_counselling_session_add(reg, &s));
	fx.session = s.id;
	youth_counselling_participant cp;
	youth_counselling_participant_init(&cp);
	cp.session_id = fx.session;
	cp.person_id = fx.person[0];
	assert_ok(youth_counselling_add_participant(reg, &cp, NULL));
	fx.awarded_from = add_scholarship(reg, fx.person[0]);
	fx.active = add_scholarship(reg, fx.person[1]);
	assert_ok(youth_scholarship_award(reg, fx.active, "2010-01-20"));
	youth_scholarship_placement pl;
	youth_scholarship_placement_init(&pl);
	pl.employer_id = fx.employer;
	pl.position = "sales assistant";
	pl.start_date = "2010-02-01";
	pl.end_date = "2010-04-30";
	pl.hours_per_week = 40;
	pl.monthly_stipend = 15000;
	assert_ok(youth_scholarship_activate(reg, fx.active, "2010-02-01", &pl));
	fx.group = add_group(reg, YOUTH_WINDOW_YOUTH_SEED);
	youth_group_member m;
	youth_group_member_init(&m);
	m.group_id = fx.group;
	m.person_id = fx.person[0];
	m.joined_date = "2010-01-06";
	m.operator_id = fx.op;
	assert_ok(youth_group_member_add(reg, &m));
	fx.female_group = add_group(reg, YOUTH_WINDOW_FEMALE);
	fx.draft = add_plan(reg, fx.person[0]);
	fx.submitted = add_plan(reg, fx.person[1]);
	assert_ok(youth_plan_submit(reg, fx.submitted, "2010-03-01", NULL));
	youth_followup f;
	youth_followup_init(&f);
	f.person_id = fx.person[0];
	f.operator_id = fx.op;
	f.date = "2010-06-01";
	f.horizon_months = 3;
	f.status = YOUTH_FOLLOWUP_UNEMPLOYED;
	assert_ok(youth_followup_add(reg, &f));
	fx.followup = f.id;
}

/* A call that reads record @id of type T, sets @member to @value and updates it. */
#define ONE_UPDATE(fn, T, id, member, value)       \
	static int fn(youth_registry *reg)             \
	{                                              \
		T *r = NULL;                               \
		int rc = T##_get(&r, reg, (id));           \
		if (rc == YOUTH_OK) {                      \
			r->member = (value);                   \
			rc = T##_update(reg, r);               \
		}                                          \
		T##_free(r);                               \
		return rc;                                 \
	}
ONE_UPDATE(one_course_update, youth_course, fx.course, title, "Changed")
ONE_UPDATE(one_cohort_update, youth_cohort, fx.cohort, capacity, 20)
ONE_UPDATE(one_session_update, youth_counselling_session, fx.session, topic, "Changed")
ONE_UPDATE(one_plan_update, youth_plan, fx.draft, title, "Changed")
ONE_UPDATE(one_exchange_update, youth_exchange, fx.exchange, name, "Changed")
ONE_UPDATE(one_operator_update, youth_operator, fx.op, given_names, "Changed")
ONE_UPDATE(one_employer_update, youth_employer, fx.employer, name, "Changed")
ONE_UPDATE(one_followup_update, youth_followup, fx.followup, notes, "Changed")

/* A call of one function on the fixture's records. */
#define ONE_CALL(fn, call)                 \
	static int fn(youth_registry *reg) \
	{                                  \
		return call;                   \
	}
static int one_course_add(youth_registry *reg)
{
	youth_course c;
	youth_course_init(&c);
	c.code = "CARP";
	c.title = "Carpintería";
	c.provider = "INSAFORP";
	c.hours = 80;
	return youth_course_add(reg, &c);
}

static int one_cohort_add(youth_registry *reg)
{
	youth_cohort h;
	youth_cohort_init(&h);
	h.course_id = fx.course;
	h.exchange_id = fx.exchange;
	h.code = "SOLD-2010-2";
	h.start_date = "2010-07-01";
	h.end_date = "2010-09-30";
	h.place = TH_EXCHANGE_PLACE;
	h.capacity = 12;
	return youth_cohort_add(reg, &h);
}

ONE_CALL(one_enrollment_state, youth_enrollment_set_state(reg, fx.applied,
                                                          YOUTH_ENROLLMENT_ENROLLED,
                                                          "2010-02-02", NULL))
ONE_CALL(one_enrollment_attendance, youth_enrollment_set_attendance(reg, fx.enrolled, 75))
ONE_CALL(one_certificate, youth_enrollment_issue_certificate(reg, fx.completed, "2010-07-05"))
static int one_session_add(youth_registry *reg)
{
	youth_counselling_session s;
	youth_counselling_session_init(&s);
	s.operator_id = fx.op;
	s.date = "2010-03-02";
	s.kind = YOUTH_COUNSELLING_JOB_SEARCH;
	s.mode = YOUTH_COUNSELLING_GROUP;
	s.duration_minutes = 90;
	return youth_counselling_session_add(reg, &s);
}

ONE_CALL(one_session_close, youth_counselling_session_close(reg, fx.session, "2010-03-01"))
ONE_CALL(one_participant_attended,
         youth_counselling_set_attended(reg, fx.session, fx.person[0], 0, "Changed"))
ONE_CALL(one_participant_remove,
         youth_counselling_remove_participant(reg, fx.session, fx.person[0]))
ONE_CALL(one_scholarship_award, youth_scholarship_award(reg, fx.awarded_from, "2010-01-25"))
ONE_CALL(one_scholarship_complete, youth_scholarship_complete(reg, fx.active, "2010-05-03"))
static int one_payment(youth_registry *reg)
{
	youth_scholarship_payment p;
	youth_scholarship_payment_init(&p);
	p.scholarship_id = fx.active;
	p.operator_id = fx.op;
	p.amount = 10000;
	p.paid_date = "2010-05-15";
	p.method = YOUTH_SCHOLARSHIP_METHOD_TRANSFER;
	p.reference = "TR-0001";
	return youth_scholarship_pay(reg, &p);
}

static int one_group_add(youth_registry *reg)
{
	youth_group g;
	youth_group_init(&g);
	g.name = "Panaderos";
	g.window = YOUTH_WINDOW_YOUTH_SEED;
	g.operator_id = fx.op;
	g.formed_date = "2010-02-05";
	return youth_group_add(reg, &g);
}

static int one_member_add(youth_registry *reg)
{
	youth_group_member m;
	youth_group_member_init(&m);
	m.group_id = fx.group;
	m.person_id = fx.person[1];
	m.joined_date = "2010-01-07";
	m.operator_id = fx.op;
	return youth_group_member_add(reg, &m);
}

ONE_CALL(one_member_remove, youth_group_member_remove(reg, fx.group, fx.person[0]))
static int one_plan_add(youth_registry *reg)
{
	youth_plan p;
	youth_plan_init(&p);
	p.window = YOUTH_WINDOW_YOUTH_SEED;
	p.group_id = fx.group;
	p.title = "Panadería";
	p.sector = "food";
	p.description = "Bread for the neighbourhood.";
	p.requested = 80000;
	p.drafted_date = "2010-02-10";
	p.operator_id = fx.op;
	return youth_plan_add(reg, &p);
}

ONE_CALL(one_plan_appraise, youth_plan_appraise(reg, fx.submitted, "2010-03-03"))
static int one_bds_add(youth_registry *reg)
{
	youth_bds s;
	youth_bds_init(&s);
	s.group_id = fx.female_group;
	s.kind = YOUTH_BDS_TRAINING;
	s.date = "2010-02-15";
	s.hours = 8;
	s.provider = "CONAMYPE";
	s.operator_id = fx.op;
	return youth_bds_add(reg, &s);
}

static int one_exchange_add(youth_registry *reg)
{
	youth_exchange x;
	youth_exchange_init(&x);
	x.code = "SON-02";
	x.name = "Bolsa de empleo de Sonzacate";
	x.place = TH_EXCHANGE_PLACE;
	return youth_exchange_add(reg, &x);
}

static int one_operator_add(youth_registry *reg)
{
	youth_operator o;
	youth_operator_init(&o);
	o.exchange_id = fx.exchange;
	o.given_names = "Rosa";
	o.first_surname = "Melgar";
	o.role = YOUTH_ROLE_PLACEMENT;
	return youth_operator_add(reg, &o);
}

static int one_employer_add(youth_registry *reg)
{
	youth_employer e;
	youth_employer_init(&e);
	e.name = "Panadería El Sol";
	return youth_employer_add(reg, &e);
}

static int one_followup_add(youth_registry *reg)
{
	youth_followup f;
	youth_followup_init(&f);
	f.person_id = fx.person[1];
	f.operator_id = fx.op;
	f.date = "2010-06-02";
	f.horizon_months = 6;
	f.status = YOUTH_FOLLOWUP_STUDYING;
	return youth_followup_add(reg, &f);
}

ONE_CALL(one_followup_delete, youth_followup_delete(reg, fx.followup))
ONE_CALL(one_place_add, youth_place_add(NULL, reg, TH_EXCHANGE_PLACE, "Colonia Nueva", 0))
/* A call, and a count that its one row moves by @delta. */
static const struct one_case {
	const char *name;
	call_fn call;
	const char *count;
	int delta;
} one_cases[] = {
	{"course add", one_course_add, "SELECT count(*) FROM course", 1},
	{"course update", one_course_update, "SELECT count(*) FROM course WHERE title = 'Changed'",
	 1},
	{"cohort add", one_cohort_add, "SELECT count(*) FROM cohort", 1},
	{"cohort update", one_cohort_update, "SELECT count(*) FROM cohort WHERE capacity = 20", 1},
	{"enrollment state", one_enrollment_state,
	 "SELECT count(*) FROM enrollment WHERE state_date = '2010-02-02'", 1},
	{"enrollment attendance", one_enrollment_attendance,
	 "SELECT count(*) FROM enrollment WHERE attendance = 75", 1},
	{"enrollment certificate", one_certificate,
	 "SELECT count(*) FROM enrollment WHERE certificate_date IS NOT NULL", 1},
	{"counselling session add", one_session_add, "SELECT count(*) FROM counselling_session", 1},
	{"counselling session update", one_session_update,
	 "SELECT count(*) FROM counselling_session WHERE topic = 'Changed'", 1},
	{"counselling session close", one_session_close,
	 "SELECT count(*) FROM counselling_session WHERE closed_date IS NOT NULL", 1},
	{"counselling attendance", one_participant_attended,
	 "SELECT count(*) FROM counselling_participant WHERE note = 'Changed'", 1},
	{"counselling participant remove", one_participant_remove,
	 "SELECT count(*) FROM counselling_participant", -1},
	{"scholarship award", one_scholarship_award,
	 "SELECT count(*) FROM scholarship WHERE state_date = '2010-01-25'", 1},
	{"scholarship complete", one_scholarship_complete,
	 "SELECT count(*) FROM scholarship WHERE state_date = '2010-05-03'", 1},
	{"scholarship payment", one_payment, "SELECT count(*) FROM scholarship_payment", 1},
	{"group add", one_group_add, "SELECT count(*) FROM enterprise_group", 1},
	{"group member add", one_member_add, "SELECT count(*) FROM enterprise_member", 1},
	{"group member remove", one_member_remove, "SELECT count(*) FROM enterprise_member", -1},
	{"plan add", one_plan_add, "SELECT count(*) FROM enterprise_plan", 1},
	{"plan update", one_plan_update,
	 "SELECT count(*) FROM enterprise_plan WHERE title = 'Changed'", 1},
	{"plan appraise", one_plan_appraise,
	 "SELECT count(*) FROM enterprise_plan WHERE state_date = '2010-03-03'", 1},
	{"business service add", one_bds_add, "SELECT count(*) FROM enterprise_service", 1},
	{"exchange add", one_exchange_add, "SELECT count(*) FROM exchange", 1},
	{"exchange update", one_exchange_update,
	 "SELECT count(*) FROM exchange WHERE name = 'Changed'", 1},
	{"operator add", one_operator_add, "SELECT count(*) FROM operator", 1},
	{"operator update", one_operator_update,
	 "SELECT count(*) FROM operator WHERE given_names = 'Changed'", 1},
	{"employer add", one_employer_add, "SELECT count(*) FROM employer", 1},
	{"employer update", one_employer_update,
	 "SELECT count(*) FROM employer WHERE name = 'Changed'", 1},
	{"follow-up add", one_followup_add, "SELECT count(*) FROM followup", 1},
	{"follow-up update", one_followup_update,
	 "SELECT count(*) FROM followup WHERE notes = 'Changed'", 1},
	{"follow-up delete", one_followup_delete, "SELECT count(*) FROM followup", -1},
	{"place add", one_place_add, "SELECT count(*) FROM place", 1},
};

static void test_faults_one_statement_services(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof one_cases / sizeof one_cases[0]; i++) {
		const struct one_case *c = &one_cases[i];
		/* In a transaction first: there the one-statement promise is checked (EMISUSE). */
		for (int in_transaction = 1; in_transaction >= 0; in_transaction--) {
			youth_registry *reg = th_open_memory_gazetteer();
			one_setup(reg);
			int64_t persons = th_count_persons(reg);
			faults_install(reg);
			if (in_transaction) {
				assert_ok(youth_registry_begin(reg));
				assert_ok(add_person(reg));
			}
			int64_t before = sql_value(reg, c->count);
			int rows = fault_each_row(reg, c->call);
			if (rows != 1)
				fail_msg("%s: %d rows written, not one", c->name, rows);
			if (in_transaction)
				assert_ok(youth_registry_commit(reg));
			if (sql_value(reg, c->count) != before + c->delta)
				fail_msg("%s: %s gives %lld, %lld before", c->name, c->count,
				         (long long)sql_value(reg, c->count), (long long)before);
			assert_int_equal(th_count_persons(reg), persons + in_transaction);
			assert_ok(youth_registry_check(reg));
			youth_registry_close(reg);
		}
	}
}

/* Temporary storage is files (temp_store = FILE), whatever SQLite was built with: memory must
 * not grow with the size of a sort or of a statement journal. */
static void test_temp_store_file(void **state)
{
	youth_registry *reg = *state;
	assert_int_equal(sql_value(reg, "PRAGMA temp_store"), 1);
}

/* ---- the SQL built from a kind's description (youth__put_sql, youth__kinds_sql) ---------- */

/* A put without SQL of its own writes the columns its binding names, in their order: the
 * record's fields, the ones the module binds ("@"), the INSERT's own values ("="), the key
 * last; the text is built once and kept, so the statement cache finds it by address. */
static void test_put_sql_built(void **state)
{
	youth_registry *reg = *state;
	static youth__binding b =
		YOUTH__BINDING(youth__kind_course, "code,title,@resolved,state=1,hours,since=?1");
	const youth__put p = {&youth__kind_course, "course", "add course", .what = "adding",
	                      .fields = &b};
	const char *sql = NULL, *again = NULL;
	int key = 0;
	assert_ok(youth__put_sql(&p, 'c', &sql, &key));
	assert_string_equal(sql, "INSERT INTO course (code, title, resolved, state, hours, since, "
	                         "uuid) VALUES (?1, ?2, ?3, 1, ?4, ?1, ?5)");
	assert_int_equal(key, 5);
	assert_ok(youth__put_sql(&p, 'c', &again, &key));
	assert_ptr_equal(again, sql);
	assert_ok(youth__put_sql(&p, 'u', &sql, &key));
	assert_string_equal(sql, "UPDATE course SET code = ?1, title = ?2, resolved = ?3, "
	                         "hours = ?4 WHERE id = ?5");
	assert_int_equal(key, 5);

	/* The fields are bound from the record; the module's parameter is left to it. */
	youth_course c;
	youth_course_init(&c);
	c.code = "WELD-1";
	c.title = "Welding";
	c.hours = 120;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(reg->db, "SELECT ?1, ?2, ?3, ?4", -1, &st, NULL),
	                 SQLITE_OK);
	assert_ok(youth__rec_bind(st, 1, &b, &c));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "WELD-1");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "Welding");
	assert_int_equal(sqlite3_column_type(st, 2), SQLITE_NULL);
	assert_int_equal(sqlite3_column_int(st, 3), 120);
	sqlite3_finalize(st);

	/* A field stored in a column of another name. */
	static youth__binding renamed = YOUTH__BINDING(youth__kind_plan, "fund_window:window,title");
	const youth__put q = {&youth__kind_plan, "enterprise_plan", "add plan", .fields = &renamed};
	assert_ok(youth__put_sql(&q, 'c', &sql, &key));
	assert_string_equal(sql, "INSERT INTO enterprise_plan (fund_window, title, uuid) "
	                         "VALUES (?1, ?2, ?3)");
	youth_plan plan;
	youth_plan_init(&plan);
	plan.window = YOUTH_WINDOW_FEMALE;
	plan.title = "Bakery";
	assert_int_equal(sqlite3_prepare_v2(reg->db, "SELECT ?1, ?2", -1, &st, NULL), SQLITE_OK);
	assert_ok(youth__rec_bind(st, 1, &renamed, &plan));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), YOUTH_WINDOW_FEMALE);
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "Bakery");
	sqlite3_finalize(st);

	/* A name that is no field of the kind is a bug, refused rather than bound elsewhere. */
	static youth__binding wrong = YOUTH__BINDING(youth__kind_course, "code,no_such_field");
	assert_int_equal(youth__rec_bind(NULL, 1, &wrong, &c), YOUTH_ERROR);
}

/* A statement longer than its buffer is refused with a message, never cut short. */
static void test_put_sql_too_long(void **state)
{
	(void)state;
	static char names[YOUTH__SQL_MAX + 2];
	names[0] = '@';
	memset(names + 1, 'x', YOUTH__SQL_MAX);
	static youth__binding b = YOUTH__BINDING(youth__kind_course, names);
	const youth__put p = {&youth__kind_course, "course", "add course", .fields = &b};
	const char *sql = NULL;
	int key = 0;
	assert_int_equal(youth__put_sql(&p, 'c', &sql, &key), YOUTH_ERROR);
	assert_non_null(strstr(youth_error_last()->message, "add course"));
	assert_null(sql);
}

/* The SELECT by key of each kind with a ROWS line reads its fields in the table's order from
 * their columns, as the hand-written ones did, and prepares against a registry. */
static void test_by_id_texts(void **state)
{
	youth_registry *reg = *state;
	youth__kinds_sql();
	assert_string_equal(youth__by_id(course), "SELECT id, uuid, code, title, provider, "
	                                         "job_profile, hours FROM course WHERE id = ?");
	assert_string_equal(youth__by_id(cohort),
	                    "SELECT c.id, c.uuid, c.course_id, c.exchange_id, c.code, c.start_date, "
	                    "c.end_date, pl.path, c.capacity, c.min_attendance FROM cohort c JOIN "
	                    "place pl ON pl.id = c.place_id WHERE c.id = ?");
	assert_string_equal(youth__by_id(employer),
	                    "SELECT e.id, e.uuid, e.name, e.sector, e.nit, pl.path, e.contact_name, "
	                    "e.phone, e.email FROM employer e LEFT JOIN place pl ON pl.id = "
	                    "e.place_id WHERE e.id = ?");
	const char *all[] = {youth__by_id(employer), youth__by_id(course), youth__by_id(cohort), youth__by_id(enrollment),
	                     youth__by_id(scholarship), youth__by_id(scholarship_payment),
	                     youth__by_id(followup), youth__by_id(consent)};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(reg->db, all[i], -1, &st, NULL) != SQLITE_OK)
			fail_msg("%s: %s", all[i], sqlite3_errmsg(reg->db));
		sqlite3_finalize(st);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_failed_add_keeps_earlier_rows, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_failed_multirow_keeps_earlier_rows,
		                                th_setup_gazetteer, th_teardown_registry),
		cmocka_unit_test(test_faults_add),
		cmocka_unit_test_setup_teardown(test_failed_index_undone_alone, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test(test_faults_places),
		cmocka_unit_test(test_faults_census),
		cmocka_unit_test_setup_teardown(test_one_statement_refused_in_transaction,
		                                th_setup_gazetteer, th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_one_statement_alone, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_one_statement_second_write_refused,
		                                th_setup_gazetteer, th_teardown_registry),
		cmocka_unit_test(test_faults_one_statement_services),
		cmocka_unit_test_setup_teardown(test_temp_store_file, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test_setup_teardown(test_put_sql_built, th_setup_gazetteer,
		                                th_teardown_registry),
		cmocka_unit_test(test_put_sql_too_long),
		cmocka_unit_test_setup_teardown(test_by_id_texts, th_setup_gazetteer,
		                                th_teardown_registry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
