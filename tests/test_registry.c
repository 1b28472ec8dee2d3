/* Tests of youth/registry.h: open/close, refusing foreign or damaged files, transactions,
 * locking, integrity check, change counting, full disk, I/O errors and allocation failures. */
#define _GNU_SOURCE
#include "helpers.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

/* A gazetteer just large enough for the sample person. */
static const char small_gazetteer[] =
	"format: libyouth/1\n"
	"gazetteer:\n"
	"  - name: Sonsonate\n"
	"    places:\n"
	"      - name: Sonsonate Centro\n"
	"        places:\n"
	"          - name: Sonzacate\n"
	"            places:\n"
	"              - {name: Santa Eugenia, critical: true}\n";

typedef struct fixture {
	char *dir;
} fixture;

static int setup_dir(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	f->dir = th_tmpdir();
	*state = f;
	youth_error_clear();
	return 0;
}

static int teardown_dir(void **state)
{
	fixture *f = *state;
	th_vfs_disarm();
	th_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Creates a registry file with the sample gazetteer and @p npersons persons; returns its path. */
static char *make_registry(const fixture *f, const char *name, int npersons)
{
	youth_registry *reg = NULL;
	char *path = th_path(f->dir, name);
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	if (npersons > 1)
		assert_ok(youth_registry_begin(reg));
	for (int i = 0; i < npersons; i++)
		assert_ok(th_add_person(reg, NULL));
	if (npersons > 1)
		assert_ok(youth_registry_commit(reg));
	youth_registry_close(reg);
	return path;
}

static int64_t raw_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return v;
}

/* Opening @p path with @p flags must fail with @p code and leave the file untouched. */
static void expect_refused(const char *path, unsigned flags, int code)
{
	th_snapshot snap;
	youth_registry *reg = (youth_registry *)&snap; /* not NULL: must be reset */
	th_snapshot_take(&snap, path);
	assert_rc(youth_registry_open(&reg, path, flags), code);
	assert_null(reg);
	assert_true(strlen(youth_error_last()->message) > 0);
	assert_unchanged(&snap, path);
	th_snapshot_free(&snap);
}

/* ---- open ------------------------------------------------------------------------------- */

static void test_open_memory(void **state)
{
	(void)state;
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	assert_non_null(reg);
	assert_string_equal(youth_registry_path(reg), ":memory:");
	assert_int_equal(youth_registry_schema_version(reg), YOUTH_SCHEMA_VERSION);
	assert_int_equal(youth_registry_in_transaction(reg), 0);
	assert_int_equal(youth_registry_total_changes(reg), 0);
	assert_int_equal(th_count_persons(reg), 0);
	assert_int_equal(th_count_places(reg, NULL, 0), 0);
	youth_registry_close(reg);

	/* ":memory:" needs no CREATE flag: there is nothing to find. */
	reg = NULL;
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_DEFAULT));
	assert_non_null(reg);
	assert_int_equal(youth_registry_schema_version(reg), YOUTH_SCHEMA_VERSION);
	youth_registry_close(reg);
}

static void test_open_create_and_reopen(void **state)
{
	fixture *f = *state;
	youth_registry *reg = NULL;
	char *path = th_path(f->dir, "new.youth");
	int64_t id = 0;
	size_t size;
	unsigned char *bytes;

	assert_false(th_exists(path));
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_non_null(reg);
	assert_true(th_exists(path));
	assert_string_equal(youth_registry_path(reg), path);
	assert_int_equal(youth_registry_schema_version(reg), YOUTH_SCHEMA_VERSION);
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	assert_ok(th_add_person(reg, &id));
	assert_true(id > 0);
	youth_registry_close(reg);

	/* It is a SQLite file carrying the schema version and an application id. */
	bytes = th_read_file(path, &size);
	assert_non_null(bytes);
	assert_true(size >= 100);
	assert_memory_equal(bytes, "SQLite format 3", 16);
	free(bytes);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), YOUTH_SCHEMA_VERSION);
	assert_int_not_equal(raw_int(path, "PRAGMA application_id"), 0);

	/* Reopen without CREATE: the data is there. */
	reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT));
	assert_non_null(reg);
	assert_string_equal(youth_registry_path(reg), path);
	assert_int_equal(youth_registry_schema_version(reg), YOUTH_SCHEMA_VERSION);
	assert_int_equal(th_count_persons(reg), 1);
	assert_int_equal(th_count_places(reg, NULL, 0), TH_GAZ_PLACES);
	youth_registry_close(reg);

	/* CREATE on an existing registry opens it, never wipes it. */
	reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_int_equal(th_count_persons(reg), 1);
	youth_registry_close(reg);

	/* And read-only. */
	reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_READONLY));
	assert_int_equal(th_count_persons(reg), 1);
	assert_int_equal(youth_registry_schema_version(reg), YOUTH_SCHEMA_VERSION);
	youth_registry_close(reg);
	free(path);
}

static void test_open_missing_without_create(void **state)
{
	fixture *f = *state;
	youth_registry *reg = (youth_registry *)f;
	char *path = th_path(f->dir, "missing.youth");
	assert_rc(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT), YOUTH_ENOTFOUND);
	assert_null(reg);
	assert_int_equal(youth_error_last()->code, YOUTH_ENOTFOUND);
	assert_msg_has("missing.youth");
	assert_false(th_exists(path));

	reg = (youth_registry *)f;
	assert_rc(youth_registry_open(&reg, path, YOUTH_OPEN_READONLY), YOUTH_ENOTFOUND);
	assert_null(reg);
	assert_false(th_exists(path));

	/* A missing directory too. */
	char *deep = th_path(f->dir, "no/such/dir.youth");
	reg = NULL;
	assert_rc_in2(youth_registry_open(&reg, deep, YOUTH_OPEN_DEFAULT), YOUTH_ENOTFOUND,
	              YOUTH_EIO);
	assert_null(reg);
	free(deep);
	free(path);
}

static void test_open_bad_arguments(void **state)
{
	fixture *f = *state;
	youth_registry *reg = (youth_registry *)f;
	char *path = th_path(f->dir, "args.youth");

	assert_rc(youth_registry_open(NULL, ":memory:", YOUTH_OPEN_CREATE), YOUTH_EINVAL);
	assert_rc(youth_registry_open(&reg, NULL, YOUTH_OPEN_CREATE), YOUTH_EINVAL);
	assert_null(reg);
	reg = (youth_registry *)f;
	assert_rc(youth_registry_open(&reg, path, 1u << 7), YOUTH_EINVAL);
	assert_null(reg);
	assert_false(th_exists(path));
	reg = (youth_registry *)f;
	assert_rc(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE | (1u << 20)), YOUTH_EINVAL);
	assert_null(reg);
	assert_false(th_exists(path));
	assert_true(strlen(youth_error_last()->message) > 0);
	free(path);
}

static void test_open_text_file(void **state)
{
	fixture *f = *state;
	char *path = th_path(f->dir, "notes.txt");
	static const char text[] = "This is not a registry.\nJust some notes, 2009-03-02.\n";
	th_write_file(path, text, sizeof text - 1);
	expect_refused(path, YOUTH_OPEN_DEFAULT, YOUTH_ECORRUPT);
	expect_refused(path, YOUTH_OPEN_CREATE, YOUTH_ECORRUPT);
	expect_refused(path, YOUTH_OPEN_READONLY, YOUTH_ECORRUPT);

	/* A file shorter than a SQLite header. */
	th_write_file(path, "SQLite", 6);
	expect_refused(path, YOUTH_OPEN_DEFAULT, YOUTH_ECORRUPT);
	free(path);
}

static void test_open_sqlite_header_then_garbage(void **state)
{
	fixture *f = *state;
	char *path = th_path(f->dir, "garbage.db");
	unsigned char buf[8192];
	memcpy(buf, "SQLite format 3", 16);
	for (size_t i = 16; i < sizeof buf; i++)
		buf[i] = (unsigned char)(i * 131u + 7u);
	th_write_file(path, buf, sizeof buf);
	expect_refused(path, YOUTH_OPEN_DEFAULT, YOUTH_ECORRUPT);
	expect_refused(path, YOUTH_OPEN_CREATE, YOUTH_ECORRUPT);
	free(path);
}

static void test_open_foreign_sqlite(void **state)
{
	fixture *f = *state;
	char *path = th_path(f->dir, "other-app.db");
	th_raw_exec(path, "CREATE TABLE invoices(id INTEGER PRIMARY KEY, amount INTEGER);"
	                  "INSERT INTO invoices(amount) VALUES (100), (250);", SQLITE_OK);
	expect_refused(path, YOUTH_OPEN_DEFAULT, YOUTH_ECORRUPT);
	expect_refused(path, YOUTH_OPEN_CREATE, YOUTH_ECORRUPT);
	expect_refused(path, YOUTH_OPEN_READONLY, YOUTH_ECORRUPT);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM invoices"), 2);

	/* Another application that uses user_version 1 and its own application id. */
	char *path2 = th_path(f->dir, "other-app2.db");
	th_raw_exec(path2, "PRAGMA application_id = 1234567; PRAGMA user_version = 1;"
	                   "CREATE TABLE t(x);", SQLITE_OK);
	expect_refused(path2, YOUTH_OPEN_DEFAULT, YOUTH_ECORRUPT);
	free(path2);
	free(path);
}

static void test_open_newer_version(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "newer.youth", 2);
	int64_t app = raw_int(path, "PRAGMA application_id");
	assert_int_not_equal(app, 0);
	th_raw_exec(path, "PRAGMA user_version = 999", SQLITE_OK);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 999);
	assert_int_equal(raw_int(path, "PRAGMA application_id"), app);

	expect_refused(path, YOUTH_OPEN_DEFAULT, YOUTH_EVERSION);
	assert_msg_has("999");
	expect_refused(path, YOUTH_OPEN_READONLY, YOUTH_EVERSION);
	expect_refused(path, YOUTH_OPEN_CREATE, YOUTH_EVERSION);
	free(path);
}

static void test_open_truncated(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "full.youth", 200);
	size_t size;
	unsigned char *bytes = th_read_file(path, &size);
	char *cut = th_path(f->dir, "cut.youth");
	assert_non_null(bytes);
	/* several pages, or cutting in half proves nothing */
	assert_true(size >= 4 * 4096);
	th_write_file(cut, bytes, size / 2);
	free(bytes);
	expect_refused(cut, YOUTH_OPEN_DEFAULT, YOUTH_ECORRUPT);
	expect_refused(cut, YOUTH_OPEN_READONLY, YOUTH_ECORRUPT);
	expect_refused(cut, YOUTH_OPEN_CREATE, YOUTH_ECORRUPT);

	/* The original still opens. */
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT));
	assert_int_equal(th_count_persons(reg), 200);
	youth_registry_close(reg);
	free(cut);
	free(path);
}

/* READONLY never writes, so a registry whose schema must be migrated is refused. */
static void test_open_readonly_migration_due(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "old.youth", 2);
	th_raw_exec(path, "PRAGMA user_version = 0", SQLITE_OK);
	assert_int_not_equal(raw_int(path, "PRAGMA application_id"), 0);
	expect_refused(path, YOUTH_OPEN_READONLY, YOUTH_EVERSION);
	free(path);
}


/* FNV-1a fingerprints of schema_text() for every schema version as shipped, each taken from an
 * empty database on which migrations 1..v had run.  A shipped version's value never changes: a
 * failure means a shipped migration was edited (never do that: add a new one, see schema.c), or
 * th_added_by_version[] no longer rebuilds that version.  A new version adds its line. */
static const uint64_t schema_fingerprint[] = {
	/* 0 */ UINT64_C(0xcbf29ce484222325), /* nothing */
	/* 1 */ UINT64_C(0x0306759b461a0d61),
	/* 2 */ UINT64_C(0x05a246beba9e2532),
	/* 3 */ UINT64_C(0x88b70e65d83d0db4),
	/* 4 */ UINT64_C(0x0ac0692b86c3a337),
	/* 5 */ UINT64_C(0x5986654aabd5b22f),
	/* 6 */ UINT64_C(0x18e3e8e429ec4731),
	/* 7 */ UINT64_C(0x5442089554490b31),
	/* 8 */ UINT64_C(0x45ad721a2bc02722),
	/* 9 */ UINT64_C(0x0564d9c871965225),
	/* 10 */ UINT64_C(0xaac03841690abf82),
	/* 11 */ UINT64_C(0x697bef7d81e22eba),
	/* 12 */ UINT64_C(0x7136a656d03624e1),
	/* 13 */ UINT64_C(0x9920f889c0167d30),
	/* 14 */ UINT64_C(0x1a804675c58a4cd7),
};

/* The schema of @p path as text, one line per entry of sqlite_schema (type, name, table, SQL)
 * in a fixed order, so that two files compare equal when their schemas are the same whatever
 * order their objects were created in.  SQLite's own sqlite_sequence is left out: it appears
 * with the first AUTOINCREMENT table and cannot be dropped, so it survives th_added_by_version[].
 * Free with sqlite3_free(). */
static char *schema_text(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT type, name, tbl_name, sql FROM sqlite_schema "
	                                    "WHERE name <> 'sqlite_sequence' ORDER BY type, name",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_str *text = sqlite3_str_new(db);
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sql = (const char *)sqlite3_column_text(st, 3);
		sqlite3_str_appendf(text, "%s %s %s %s\n", sqlite3_column_text(st, 0),
		                    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
		                    sql ? sql : "-");
	}
	assert_int_equal(s, SQLITE_DONE);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_str_errcode(text), SQLITE_OK);
	char *out = sqlite3_str_finish(text);
	if (!out) /* an empty schema: sqlite3_str_finish() gives NULL for "" */
		out = sqlite3_mprintf("%s", "");
	assert_non_null(out);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return out;
}

static uint64_t schema_fingerprint_of(const char *path)
{
	char *text = schema_text(path);
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		h = (h ^ *c) * UINT64_C(0x100000001b3);
	sqlite3_free(text);
	return h;
}

/* Migration 5 fills the folded name of the employers already there, so that a NIT-less
 * employer added after it is checked against them: "POLLO CAMPERO" after "Pollo Campero". */
static void test_migration_5_employer_keys(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "v4.youth", 0);
	for (int v = YOUTH_SCHEMA_VERSION; v >= 5; v--) /* back to version 4 */
		th_undo_version(path, v);
	th_raw_exec(path, "PRAGMA user_version = 4;"
	                  "INSERT INTO employer (uuid, name) VALUES"
	                  " ('01a24b53-4fa8-7000-8000-000000000001', 'Pollo  Campero'),"
	                  " ('01a24b53-4fa8-7000-8000-000000000002', 'Café Águila');"
	                  "INSERT INTO employer (uuid, name, nit) VALUES"
	                  " ('01a24b53-4fa8-7000-8000-000000000003', 'Banco Agrícola',"
	                  " '0614-010101-001-1');", SQLITE_OK);
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, 0));
	assert_int_equal(youth_registry_schema_version(reg), YOUTH_SCHEMA_VERSION);
	youth_employer e;
	youth_employer_init(&e);
	e.name = "POLLO CAMPERO";
	assert_rc(youth_employer_add(reg, &e), YOUTH_EEXISTS);
	assert_msg_has("employer 1");
	e.name = "cafe aguila";
	assert_rc(youth_employer_add(reg, &e), YOUTH_EEXISTS);
	assert_msg_has("employer 2");
	e.name = "BANCO AGRICOLA"; /* the one of that name has a NIT: no clash */
	assert_ok(youth_employer_add(reg, &e));
	youth_registry_close(reg);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM employer WHERE name_key = 'pollo campero'"
	                               " OR name_key = 'cafe aguila' OR name_key = 'banco agricola'"),
	                 4);
	/* the folding function is the migration's alone: not left in the schema */
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%youth_fold%'"),
	                 0);
	free(path);
}

/* Migration 12 rebuilds the persons' table for its named UUID index: every person keeps its id
 * and UUID, the rows beside them stay (foreign keys are off for the rebuild: with them on, DROP
 * TABLE would first delete every person, and no trigger on person may fire), and the index is
 * unique (test_import_bulk.c checks foreign keys are on again). */
static void test_migration_12_keeps_rows(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "v11.youth", 3);
	th_schema_downgrade(path, 11);
	static const char rows[] = "SELECT sum(id * 7 + unicode(substr(uuid, 8))) FROM person";
	int64_t before = raw_int(path, rows), names = raw_int(path, "SELECT count(*) FROM person_name");
	assert_true(names > 0);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = "
	                               "'sqlite_autoindex_person_1'"), 1);

	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, 0));
	assert_int_equal(youth_registry_schema_version(reg), YOUTH_SCHEMA_VERSION);
	youth_registry_close(reg);
	assert_int_equal(raw_int(path, rows), before);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM person_name"), names);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'person_uuid'"
	                               " AND sql LIKE 'CREATE UNIQUE INDEX%'"), 1);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = "
	                               "'sqlite_autoindex_person_1'"), 0);

	assert_ok(youth_registry_open(&reg, path, 0));
	assert_ok(youth_registry_check(reg));
	youth_person p;
	th_person_valid(&p);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT uuid FROM person ORDER BY id LIMIT 1", -1,
	                                    &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(p.uuid, sizeof p.uuid, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_rc(youth_person_add(reg, &p, 0), YOUTH_EEXISTS);
	assert_msg_has("uuid");
	youth_registry_close(reg);
	free(path);
}

/* Forward migration from every older schema version: data kept, new tables usable, and the
 * schema that results exactly that of a fresh registry. */
static void test_migrate_from_every_version(void **state)
{
	fixture *f = *state;
	assert_int_equal(th_added_by_version_count,
	                 YOUTH_SCHEMA_VERSION + 1);
	assert_int_equal(sizeof schema_fingerprint / sizeof schema_fingerprint[0],
	                 YOUTH_SCHEMA_VERSION + 1);
	char *fresh = make_registry(f, "fresh.youth", 0);
	char *fresh_schema = schema_text(fresh);
	assert_int_equal(schema_fingerprint_of(fresh), schema_fingerprint[YOUTH_SCHEMA_VERSION]);
	for (int v = 0; v < YOUTH_SCHEMA_VERSION; v++) {
		char name[32];
		snprintf(name, sizeof name, "v%d.youth", v);
		char *path = make_registry(f, name, 3);
		for (int w = YOUTH_SCHEMA_VERSION; w > v; w--)
			th_undo_version(path, w);
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
		th_raw_exec(path, sql, SQLITE_OK);
		assert_int_equal(schema_fingerprint_of(path), schema_fingerprint[v]);

		youth_registry *reg = NULL;
		assert_ok(youth_registry_open(&reg, path, 0));
		assert_int_equal(youth_registry_schema_version(reg), YOUTH_SCHEMA_VERSION);
		assert_ok(youth_registry_check(reg));
		if (v >= 1) /* the census survived the migration */
			assert_int_equal(th_count_persons(reg), 3);
		else
			assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
		youth_exchange e;
		youth_exchange_init(&e);
		e.code = "BE-SON";
		e.name = "Bolsa de Empleo de Sonsonate";
		e.place = "sonsonate/sonsonate-centro/sonsonate";
		assert_ok(youth_exchange_add(reg, &e));
		youth_registry_close(reg);
		assert_int_equal(raw_int(path, "PRAGMA user_version"), YOUTH_SCHEMA_VERSION);
		char *migrated = schema_text(path);
		assert_string_equal(migrated, fresh_schema);
		sqlite3_free(migrated);
		free(path);
	}
	sqlite3_free(fresh_schema);
	free(fresh);
}

/* Opening a second handle in a process must not drop the locks of the first: POSIX locks go
 * with any close() of the file, so a header read by open()/close() released them, and another
 * process could then lock the file exclusively (closing as the "last" connection, it
 * checkpoints and resets the WAL under the first handle: commits lost, found by the load
 * test).  A child process asks the kernel whether the first handle's shared lock still holds. */
static void test_second_handle_keeps_locks(void **state)
{
	fixture *f = *state;
	char *path = th_path(f->dir, "locks.youth");
	youth_registry *a = NULL, *b = NULL;
	assert_ok(youth_registry_open(&a, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, a, TH_GAZETTEER));
	/* a holds the file's shared lock for its read transaction */
	assert_ok(youth_registry_begin(a));
	int64_t n = 0;
	assert_ok(youth_person_count(&n, a, NULL));
	/* a second handle of this process (as another thread would open it) */
	assert_ok(youth_registry_open(&b, path, YOUTH_OPEN_DEFAULT));
	youth_registry_close(b);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(path, O_RDWR);
		free(path); /* the child's copy: valgrind follows a fork */
		/* SQLite's SHARED range: 510 bytes from PENDING_BYTE + 2 */
		struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET,
		                   .l_start = 0x40000000 + 2, .l_len = 510};
		int held = fd >= 0 && fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
		_exit(held ? 0 : 1);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("the first handle's lock was dropped when a second handle opened the file");
	assert_ok(youth_registry_commit(a));
	youth_registry_close(a);
	free(path);
}

static void test_open_directory(void **state)
{
	fixture *f = *state;
	youth_registry *reg = (youth_registry *)f;
	assert_rc(youth_registry_open(&reg, f->dir, YOUTH_OPEN_DEFAULT), YOUTH_EIO);
	assert_null(reg);
	reg = (youth_registry *)f;
	assert_rc(youth_registry_open(&reg, f->dir, YOUTH_OPEN_CREATE), YOUTH_EIO);
	assert_null(reg);
}

static void test_open_empty_file(void **state)
{
	fixture *f = *state;
	char *path = th_path(f->dir, "empty.youth");
	youth_registry *reg = (youth_registry *)f;
	th_write_file(path, "", 0);

	/* Without CREATE a 0-byte file is refused and stays 0 bytes. */
	assert_rc_in2(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT), YOUTH_ECORRUPT,
	              YOUTH_ENOTFOUND);
	assert_null(reg);
	assert_int_equal(th_file_size(path), 0);
	reg = (youth_registry *)f;
	assert_rc_in2(youth_registry_open(&reg, path, YOUTH_OPEN_READONLY), YOUTH_ECORRUPT,
	              YOUTH_ENOTFOUND);
	assert_null(reg);
	assert_int_equal(th_file_size(path), 0);

	/* With CREATE it is initialised. */
	reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_non_null(reg);
	assert_int_equal(youth_registry_schema_version(reg), YOUTH_SCHEMA_VERSION);
	assert_ok(youth_gazetteer_load_buffer(NULL, reg, small_gazetteer,
	                                      sizeof small_gazetteer - 1, "small"));
	assert_ok(th_add_person(reg, NULL));
	youth_registry_close(reg);
	assert_true(th_file_size(path) > 0);
	free(path);
}

static void test_readonly_refuses_writes(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "ro.youth", 3);
	youth_registry *reg = NULL;
	youth_person p;
	th_snapshot snap;

	th_snapshot_take(&snap, path);
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_READONLY));
	assert_int_equal(th_count_persons(reg), 3);

	/* the first person's id */
	youth_person_iter *it = NULL;
	const youth_person *first = NULL;
	int64_t id;
	assert_ok(youth_person_iter_new(&it, reg, NULL));
	assert_ok(youth_person_next(&first, it));
	id = first->id;
	youth_person_iter_free(it);

	th_person_valid(&p);
	assert_rc(youth_person_add(reg, &p, 0), YOUTH_EREADONLY);
	assert_rc(youth_place_add(NULL, reg, NULL, "La Libertad", 0), YOUTH_EREADONLY);
	assert_rc(youth_person_delete(reg, id), YOUTH_EREADONLY);
	youth_person *got = NULL;
	assert_ok(youth_person_get(&got, reg, id));
	got->household_size = 7;
	assert_rc(youth_person_update(reg, got, 0), YOUTH_EREADONLY);
	youth_person_free(got);
	int64_t added = -1;
	static const char more[] = "format: libyouth/1\ngazetteer:\n  - name: Ahuachapan\n";
	assert_rc(youth_gazetteer_load_buffer(&added, reg, more, sizeof more - 1, "more"),
	          YOUTH_EREADONLY);

	assert_int_equal(th_count_persons(reg), 3);
	assert_int_equal(youth_registry_total_changes(reg), 0);
	got = NULL;
	assert_ok(youth_person_get(&got, reg, id));
	assert_int_equal(got->household_size, 5);
	youth_person_free(got);
	youth_registry_close(reg);
	assert_unchanged(&snap, path);
	th_snapshot_free(&snap);
	free(path);
}

/* ---- transactions ----------------------------------------------------------------------- */

static void test_tx_commit(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	assert_int_equal(youth_registry_in_transaction(reg), 0);
	assert_ok(youth_registry_begin(reg));
	assert_int_equal(youth_registry_in_transaction(reg), 1);
	assert_ok(th_add_person(reg, NULL));
	assert_ok(th_add_person(reg, NULL));
	assert_int_equal(th_count_persons(reg), 2); /* visible inside the transaction */
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(youth_registry_in_transaction(reg), 0);
	assert_int_equal(th_count_persons(reg), 2);
	youth_registry_close(reg);
}

static void test_tx_rollback(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	int64_t id = 0;
	youth_person *got = NULL;
	assert_ok(th_add_person(reg, NULL));
	assert_ok(youth_registry_begin(reg));
	assert_ok(th_add_person(reg, &id));
	assert_ok(th_add_person(reg, NULL));
	assert_ok(youth_place_add(NULL, reg, NULL, "La Libertad", 0));
	assert_int_equal(th_count_persons(reg), 3);
	assert_ok(youth_registry_rollback(reg));
	assert_int_equal(youth_registry_in_transaction(reg), 0);
	assert_int_equal(th_count_persons(reg), 1);
	assert_rc(youth_person_get(&got, reg, id), YOUTH_ENOTFOUND);
	assert_null(got);
	assert_int_equal(th_count_places(reg, NULL, 0), TH_GAZ_PLACES);
	youth_registry_close(reg);
}

static void test_tx_nested(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	int64_t a = 0, b = 0, c = 0;
	youth_person *got = NULL, pb;

	/* inner rollback keeps the outer transaction's writes */
	assert_ok(youth_registry_begin(reg));
	assert_ok(th_add_person(reg, &a));
	assert_ok(youth_registry_begin(reg));
	assert_int_equal(youth_registry_in_transaction(reg), 2);
	th_person_valid(&pb);
	assert_ok(youth_person_add(reg, &pb, 0));
	b = pb.id;
	assert_true(b > 0);
	assert_int_equal(th_count_persons(reg), 2);
	assert_ok(youth_registry_rollback(reg));
	assert_int_equal(youth_registry_in_transaction(reg), 1);
	assert_int_equal(th_count_persons(reg), 1);
	assert_ok(th_add_person(reg, &c));
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(youth_registry_in_transaction(reg), 0);
	assert_int_equal(th_count_persons(reg), 2);
	assert_ok(youth_person_get(&got, reg, a));
	youth_person_free(got);
	got = NULL;
	/* (SQLite may reuse b's rolled-back id for c: look b up by its uuid) */
	assert_rc(youth_person_get_by_uuid(&got, reg, pb.uuid), YOUTH_ENOTFOUND);
	assert_ok(youth_person_get(&got, reg, c));
	youth_person_free(got);

	/* inner commit then outer rollback discards everything */
	assert_ok(youth_registry_begin(reg));
	assert_ok(th_add_person(reg, NULL));
	assert_ok(youth_registry_begin(reg));
	assert_ok(th_add_person(reg, NULL));
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(youth_registry_in_transaction(reg), 1);
	assert_int_equal(th_count_persons(reg), 4);
	assert_ok(youth_registry_rollback(reg));
	assert_int_equal(youth_registry_in_transaction(reg), 0);
	assert_int_equal(th_count_persons(reg), 2);

	/* three levels deep */
	assert_ok(youth_registry_begin(reg));
	assert_ok(youth_registry_begin(reg));
	assert_ok(youth_registry_begin(reg));
	assert_int_equal(youth_registry_in_transaction(reg), 3);
	assert_ok(th_add_person(reg, NULL));
	assert_ok(youth_registry_commit(reg));
	assert_ok(youth_registry_rollback(reg));
	assert_int_equal(th_count_persons(reg), 2);
	assert_ok(th_add_person(reg, NULL));
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(youth_registry_in_transaction(reg), 0);
	assert_int_equal(th_count_persons(reg), 3);
	youth_registry_close(reg);
}

static void test_tx_misuse(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	assert_rc(youth_registry_commit(reg), YOUTH_EMISUSE);
	assert_int_equal(youth_error_last()->code, YOUTH_EMISUSE);
	assert_rc(youth_registry_rollback(reg), YOUTH_EMISUSE);
	assert_ok(youth_registry_begin(reg));
	assert_ok(youth_registry_commit(reg));
	assert_rc(youth_registry_commit(reg), YOUTH_EMISUSE);
	assert_ok(youth_registry_begin(reg));
	assert_ok(youth_registry_rollback(reg));
	assert_rc(youth_registry_rollback(reg), YOUTH_EMISUSE);
	assert_int_equal(youth_registry_in_transaction(reg), 0);
	/* the registry still works */
	assert_ok(th_add_person(reg, NULL));
	assert_int_equal(th_count_persons(reg), 1);
	youth_registry_close(reg);
}

static void test_tx_failed_write_keeps_transaction(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	youth_person p;
	char dui[16];
	th_dui(dui, 4815162);

	assert_ok(youth_registry_begin(reg));
	th_person_valid(&p);
	p.birth_date = "1985-01-10";
	p.national_id = dui;
	assert_ok(youth_person_add(reg, &p, 0));

	/* a rule broken in C validation */
	th_person_valid(&p);
	p.birth_date = "2009-02-30";
	assert_rc(youth_person_add(reg, &p, 0), YOUTH_EINVAL);
	assert_int_equal(youth_registry_in_transaction(reg), 1);

	/* a uniqueness conflict found by the database */
	th_person_valid(&p);
	p.birth_date = "1985-01-10";
	p.national_id = dui;
	assert_rc(youth_person_add(reg, &p, 0), YOUTH_EEXISTS);
	assert_int_equal(youth_registry_in_transaction(reg), 1);

	/* an unknown place */
	th_person_valid(&p);
	p.place = "nowhere/at-all";
	assert_rc(youth_person_add(reg, &p, 0), YOUTH_ENOTFOUND);
	assert_int_equal(youth_registry_in_transaction(reg), 1);

	assert_ok(th_add_person(reg, NULL));
	assert_int_equal(th_count_persons(reg), 2);
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(youth_registry_in_transaction(reg), 0);
	assert_int_equal(th_count_persons(reg), 2);
	youth_registry_close(reg);
}

/* Only the outermost commit makes writes visible to other connections. */
static void test_tx_visibility_across_handles(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "vis.youth", 0);
	youth_registry *w = NULL, *r = NULL;
	assert_ok(youth_registry_open(&w, path, YOUTH_OPEN_DEFAULT));
	assert_ok(youth_registry_open(&r, path, YOUTH_OPEN_DEFAULT));
	assert_ok(youth_registry_begin(w));
	assert_ok(th_add_person(w, NULL));
	assert_ok(youth_registry_begin(w));
	assert_ok(th_add_person(w, NULL));
	assert_ok(youth_registry_commit(w));
	assert_int_equal(th_count_persons(w), 2);
	assert_int_equal(th_count_persons(r), 0); /* inner commit wrote nothing */
	assert_ok(youth_registry_commit(w));
	assert_int_equal(th_count_persons(r), 2);
	youth_registry_close(r);
	youth_registry_close(w);
	free(path);
}

static void test_close_rolls_back(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "close.youth", 1);
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT));
	assert_ok(youth_registry_begin(reg));
	assert_ok(th_add_person(reg, NULL));
	assert_ok(youth_registry_begin(reg));
	assert_ok(th_add_person(reg, NULL));
	youth_registry_close(reg);
	reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT));
	assert_int_equal(th_count_persons(reg), 1);
	assert_int_equal(youth_registry_in_transaction(reg), 0);
	youth_registry_close(reg);
	free(path);
}

/* ---- locking ---------------------------------------------------------------------------- */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void test_busy(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "busy.youth", 0);
	youth_registry *a = NULL, *b = NULL;
	youth_person p;
	double t0, elapsed;

	assert_ok(youth_registry_open(&a, path, YOUTH_OPEN_DEFAULT));
	assert_ok(youth_registry_open(&b, path, YOUTH_OPEN_DEFAULT));
	assert_ok(youth_registry_set_busy_timeout(b, 50));

	assert_ok(youth_registry_begin(a));
	assert_ok(th_add_person(a, NULL)); /* a now holds the write lock */

	/* readers are not blocked (WAL) and see the committed state */
	assert_int_equal(th_count_persons(b), 0);

	th_person_valid(&p);
	t0 = now_ms();
	assert_rc(youth_person_add(b, &p, 0), YOUTH_EBUSY);
	elapsed = now_ms() - t0;
	assert_int_equal(youth_error_last()->code, YOUTH_EBUSY);
	/* what happened and what to do, not the SQL that waited */
	assert_msg_has("add person: starting a write: the registry is busy");
	assert_msg_has("try again");
	if (strstr(youth_error_last()->message, "BEGIN"))
		fail_msg("the message names SQL: %s", youth_error_last()->message);
	if (elapsed < 40.0 || elapsed > 3000.0)
		fail_msg("EBUSY after %.1f ms with a 50 ms busy timeout", elapsed);
	assert_int_equal(youth_registry_in_transaction(b), 0);

	/* b's own transaction: the write fails, the transaction stays usable (a library that
	 * takes the write lock at begin may refuse the begin itself with EBUSY instead) */
	assert_ok(youth_registry_set_busy_timeout(b, 0));
	int rc = youth_registry_begin(b);
	if (rc == YOUTH_OK) {
		th_person_valid(&p);
		assert_rc(youth_person_add(b, &p, 0), YOUTH_EBUSY);
		assert_int_equal(youth_registry_in_transaction(b), 1);
		assert_int_equal(th_count_persons(b), 0);
		assert_ok(youth_registry_rollback(b));
	} else {
		assert_rc(rc, YOUTH_EBUSY);
	}
	assert_int_equal(youth_registry_in_transaction(b), 0);

	assert_ok(youth_registry_commit(a));
	assert_ok(youth_registry_set_busy_timeout(b, 50));
	th_person_valid(&p);
	assert_ok(youth_person_add(b, &p, 0));
	assert_int_equal(th_count_persons(a), 2);
	assert_int_equal(th_count_persons(b), 2);

	youth_registry_close(b);
	youth_registry_close(a);
	free(path);
}

/* Runs @checks on @path in a child process, as user nobody when the tests run as root (root
 * reads and writes whatever the modes say); the child's exit status is the number of the
 * first check that failed, 0 when all passed, 77 when the user could not be changed. */
static int as_user(const char *path, int (*checks)(const char *path))
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(77);
		_exit(checks(path));
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int read_only_checks(const char *path)
{
	youth_registry *reg = NULL;
	if (youth_registry_open(&reg, path, YOUTH_OPEN_READONLY) != YOUTH_OK)
		return 1;
	int64_t n = 0;
	if (youth_person_count(&n, reg, NULL) != YOUTH_OK || n != 3)
		return 2;
	youth_registry_close(reg);
	/* read-write: refused as not writable, saying so */
	if (youth_registry_open(&reg, path, 0) != YOUTH_EREADONLY || reg)
		return 3;
	if (!strstr(youth_error_last()->message, "not writable by this user"))
		return 4;
	return 0;
}

static int no_access_checks(const char *path)
{
	youth_registry *reg = NULL;
	for (int ro = 0; ro < 2; ro++) {
		if (youth_registry_open(&reg, path, ro ? YOUTH_OPEN_READONLY : 0) != YOUTH_EACCESS)
			return 1 + ro;
		if (!strstr(youth_error_last()->message, "permission denied"))
			return 3;
	}
	return 0;
}

/* A registry of mode 0444 in a directory this user cannot write (no -shm can be made) opens
 * read-only and reads; read-write it is refused as not writable.  Mode 000: a permission
 * error (EACCESS), not "read-only". */
static void test_open_by_permissions(void **state)
{
	fixture *f = *state;
	char *sub = th_path(f->dir, "ro");
	assert_int_equal(mkdir(sub, 0777), 0);
	char *path = th_path(sub, "r.youth");
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	for (int i = 0; i < 3; i++)
		assert_ok(th_add_person(reg, NULL));
	youth_registry_close(reg); /* the last connection: the -wal and -shm go */
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_int_equal(chmod(path, 0444), 0);
	assert_int_equal(chmod(sub, 0555), 0);
	int failed = as_user(path, read_only_checks);
	if (failed == 77)
		skip();
	if (failed)
		fail_msg("read-only check %d failed", failed);
	assert_int_equal(chmod(path, 0), 0);
	failed = as_user(path, no_access_checks);
	assert_int_equal(chmod(sub, 0755), 0);
	assert_int_equal(chmod(path, 0644), 0);
	if (failed)
		fail_msg("permission check %d failed", failed);
	free(path);
	free(sub);
}

typedef struct shared {
	youth_registry *reg;
	int add, begin, rollback;
	char message[300];
} shared;

/* Thread B: uses the handle that thread A shares with it. */
static void *thread_b(void *arg)
{
	shared *s = arg;
	youth_person p;
	th_person_valid(&p);
	p.given_names = "Beto";
	s->add = youth_person_add(s->reg, &p, 0);
	snprintf(s->message, sizeof s->message, "%s", youth_error_last()->message);
	s->begin = youth_registry_begin(s->reg);
	s->rollback = youth_registry_rollback(s->reg);
	return NULL;
}

static void run_b(shared *s)
{
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, thread_b, s), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
}

/* Issue 14: thread A begins a transaction, thread B's add returns an id, A rolls back, and
 * B's row is gone: a confirmed write lost.  A transaction belongs to its thread: while it is
 * open, B's writes, begin and rollback are refused (EMISUSE, saying why), never run inside it;
 * once it has ended, B may use the handle. */
static void test_threads_sharing_a_transaction(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "threads.youth", 0);
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, 0));
	shared s = {.reg = reg};

	assert_ok(youth_registry_begin(reg)); /* thread A */
	assert_ok(th_add_person(reg, NULL));
	run_b(&s);
	assert_rc(s.add, YOUTH_EMISUSE);
	if (!strstr(s.message, "add person: the registry is in a transaction begun by another "
	                       "thread"))
		fail_msg("B was told: %s", s.message);
	assert_rc(s.begin, YOUTH_EMISUSE);
	assert_rc(s.rollback, YOUTH_EMISUSE); /* nor may B end A's transaction */
	assert_int_equal(youth_registry_in_transaction(reg), 1);
	assert_ok(youth_registry_rollback(reg)); /* A's row goes; B was never told "done" */
	assert_int_equal(th_count_persons(reg), 0);

	/* the transaction over, the handle may pass to B */
	run_b(&s);
	assert_ok(s.add);
	assert_ok(s.begin);
	assert_ok(s.rollback);
	assert_int_equal(th_count_persons(reg), 1);
	youth_registry_close(reg);
	free(path);
}

/* registry.h: writers wait up to the busy timeout, 5 seconds by default. */
static void test_busy_default_timeout(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "busy5.youth", 0);
	youth_registry *a = NULL, *b = NULL;
	double t0, elapsed;
	assert_ok(youth_registry_open(&a, path, YOUTH_OPEN_DEFAULT));
	assert_ok(youth_registry_open(&b, path, YOUTH_OPEN_DEFAULT));
	assert_ok(youth_registry_begin(a));
	assert_ok(th_add_person(a, NULL));
	t0 = now_ms();
	assert_rc(th_add_person(b, NULL), YOUTH_EBUSY);
	elapsed = now_ms() - t0;
	if (elapsed < 4500.0 || elapsed > 15000.0)
		fail_msg("EBUSY after %.0f ms; the default busy timeout is 5 s", elapsed);
	assert_ok(youth_registry_rollback(a));
	assert_ok(th_add_person(b, NULL));
	youth_registry_close(b);
	youth_registry_close(a);
	free(path);
}

static void test_busy_timeout_negative(void **state)
{
	(void)state;
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	assert_rc(youth_registry_set_busy_timeout(reg, -1), YOUTH_EINVAL);
	assert_rc(youth_registry_set_busy_timeout(reg, -5000), YOUTH_EINVAL);
	assert_ok(youth_registry_set_busy_timeout(reg, 0));
	assert_ok(youth_registry_set_busy_timeout(reg, 100000));
	youth_registry_close(reg);
}

/* ---- integrity check -------------------------------------------------------------------- */

static void test_check_good(void **state)
{
	fixture *f = *state;
	youth_registry *reg = th_open_memory_gazetteer();
	assert_ok(th_add_person(reg, NULL));
	assert_ok(youth_registry_check(reg));
	youth_registry_close(reg);

	char *path = make_registry(f, "good.youth", 20);
	reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT));
	assert_ok(youth_registry_check(reg));
	youth_registry_close(reg);
	reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_READONLY));
	assert_ok(youth_registry_check(reg));
	youth_registry_close(reg);
	free(path);
}

/* Scribbles over the cell content of a person index page: the check must find it. */
static void test_check_corrupt(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "bad.youth", 40);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t root = 0, pagesize;
	char name[256] = "";

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT name, rootpage FROM sqlite_schema WHERE type = "
	                                    "'index' AND tbl_name LIKE '%person%' AND rootpage > 1 "
	                                    "ORDER BY rootpage",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(name, sizeof name, "%s", (const char *)sqlite3_column_text(st, 0));
		root = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (root == 0)
		skip(); /* no index on persons to damage */
	pagesize = raw_int(path, "PRAGMA page_size");

	size_t size;
	unsigned char *bytes = th_read_file(path, &size);
	assert_true((size_t)(root * pagesize) <= size);
	unsigned char *page = bytes + (root - 1) * pagesize;
	/* keep the page header, wreck the cell content area at the end of the page */
	for (int64_t i = pagesize - 400; i < pagesize; i++)
		page[i] = (unsigned char)(0xA5 ^ (i * 37));
	th_write_file(path, bytes, size);
	free(bytes);

	youth_registry *reg = NULL;
	int rc = youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT);
	if (rc == YOUTH_OK) {
		assert_rc(youth_registry_check(reg), YOUTH_ECORRUPT);
		assert_true(strlen(youth_error_last()->message) > 0);
		youth_registry_close(reg);
	} else {
		assert_rc(rc, YOUTH_ECORRUPT); /* found on open: also fine */
	}
	free(path);
}

/* ---- change counting -------------------------------------------------------------------- */

static void test_total_changes(void **state)
{
	(void)state;
	youth_registry *reg = NULL;
	int64_t added = 0, id = 0, base;
	youth_person p, *got = NULL;

	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	assert_int_equal(youth_registry_total_changes(reg), 0);
	assert_ok(youth_gazetteer_load(&added, reg, TH_GAZETTEER));
	/* the places and the one level with labels (the districts' second label) */
	assert_int_equal(youth_registry_total_changes(reg), added + 1);
	assert_ok(youth_gazetteer_load(&added, reg, TH_GAZETTEER));
	assert_int_equal(youth_registry_total_changes(reg), TH_GAZ_PLACES + 1); /* again: nothing */
	base = youth_registry_total_changes(reg);

	assert_ok(th_add_person(reg, &id));
	assert_int_equal(youth_registry_total_changes(reg), base + 1);

	/* reads change nothing */
	assert_ok(youth_person_get(&got, reg, id));
	th_count_persons(reg);
	assert_int_equal(youth_registry_total_changes(reg), base + 1);

	got->household_size = 9;
	assert_ok(youth_person_update(reg, got, 0));
	youth_person_free(got);
	assert_int_equal(youth_registry_total_changes(reg), base + 2);

	/* failed writes change nothing */
	th_person_valid(&p);
	p.birth_date = "2009-02-30";
	assert_rc(youth_person_add(reg, &p, 0), YOUTH_EINVAL);
	assert_rc(youth_person_delete(reg, id + 1000), YOUTH_ENOTFOUND);
	assert_int_equal(youth_registry_total_changes(reg), base + 2);

	/* rolled-back writes are not counted */
	assert_ok(youth_registry_begin(reg));
	assert_ok(th_add_person(reg, NULL));
	assert_ok(th_add_person(reg, NULL));
	assert_int_equal(youth_registry_total_changes(reg), base + 4);
	assert_ok(youth_registry_rollback(reg));
	assert_int_equal(youth_registry_total_changes(reg), base + 2);

	assert_ok(youth_person_delete(reg, id));
	assert_int_equal(youth_registry_total_changes(reg), base + 3);

	assert_ok(youth_place_add(NULL, reg, NULL, "La Libertad", 0));
	assert_int_equal(youth_registry_total_changes(reg), base + 4);

	/* reloading an already loaded gazetteer writes nothing */
	assert_ok(youth_gazetteer_load(&added, reg, TH_GAZETTEER));
	assert_int_equal(added, 0);
	assert_int_equal(youth_registry_total_changes(reg), base + 4);
	youth_registry_close(reg);
}

/* NULL handles and output pointers are argument errors, never crashes. */
static void test_null_arguments(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	youth_person p, *pp = NULL;
	youth_place *pl = NULL;
	youth_person_iter *pit = NULL;
	youth_place_iter *lit = NULL;
	const youth_person *cp;
	const youth_place *cpl;
	int64_t n;
	th_person_valid(&p);

	assert_rc(youth_registry_begin(NULL), YOUTH_EINVAL);
	assert_rc(youth_registry_commit(NULL), YOUTH_EINVAL);
	assert_rc(youth_registry_rollback(NULL), YOUTH_EINVAL);
	assert_rc(youth_registry_set_busy_timeout(NULL, 10), YOUTH_EINVAL);
	assert_rc(youth_registry_check(NULL), YOUTH_EINVAL);
	assert_rc(youth_gazetteer_load(NULL, NULL, TH_GAZETTEER), YOUTH_EINVAL);
	assert_rc(youth_gazetteer_load_buffer(NULL, NULL, "x", 1, "x"), YOUTH_EINVAL);
	assert_rc(youth_place_add(NULL, NULL, NULL, "X", 0), YOUTH_EINVAL);
	assert_rc(youth_place_get(&pl, NULL, "Santa Eugenia"), YOUTH_EINVAL);
	assert_rc(youth_place_get(NULL, reg, "Santa Eugenia"), YOUTH_EINVAL);
	assert_rc(youth_place_iter_new(&lit, NULL, NULL, 0), YOUTH_EINVAL);
	assert_rc(youth_place_iter_new(NULL, reg, NULL, 0), YOUTH_EINVAL);
	assert_rc(youth_place_next(&cpl, NULL), YOUTH_EINVAL);
	assert_rc(youth_person_add(NULL, &p, 0), YOUTH_EINVAL);
	assert_rc(youth_person_update(NULL, &p, 0), YOUTH_EINVAL);
	assert_rc(youth_person_delete(NULL, 1), YOUTH_EINVAL);
	assert_rc(youth_person_get(&pp, NULL, 1), YOUTH_EINVAL);
	assert_rc(youth_person_get(NULL, reg, 1), YOUTH_EINVAL);
	assert_rc(youth_person_get_by_uuid(&pp, NULL, "123e4567-e89b-42d3-a456-426614174000"),
	          YOUTH_EINVAL);
	assert_rc(youth_person_count(&n, NULL, NULL), YOUTH_EINVAL);
	assert_rc(youth_person_count(NULL, reg, NULL), YOUTH_EINVAL);
	assert_rc(youth_person_iter_new(&pit, NULL, NULL), YOUTH_EINVAL);
	assert_rc(youth_person_iter_new(NULL, reg, NULL), YOUTH_EINVAL);
	assert_rc(youth_person_next(&cp, NULL), YOUTH_EINVAL);
	assert_rc(youth_census_load(NULL, NULL, "x.yaml", 0), YOUTH_EINVAL);
	assert_rc(youth_census_load(NULL, reg, NULL, 0), YOUTH_EINVAL);
	assert_rc(youth_census_load_buffer(NULL, NULL, "x", 1, "x", 0), YOUTH_EINVAL);
	assert_rc(youth_person_set_field(NULL, "sex", "male"), YOUTH_EINVAL);
	char buf[64];
	const char *out;
	assert_rc(youth_person_get_field(&out, NULL, "sex", buf, sizeof buf), YOUTH_EINVAL);
	assert_rc(youth_person_get_field(NULL, &p, "sex", buf, sizeof buf), YOUTH_EINVAL);
	assert_int_equal(th_count_persons(reg), 0);
	youth_registry_close(reg);
}

/* ---- close ------------------------------------------------------------------------------ */

static void test_close_null(void **state)
{
	(void)state;
	youth_registry_close(NULL);
	youth_person_iter_free(NULL);
	youth_place_iter_free(NULL);
	youth_place_free(NULL);
	youth_person_free(NULL);
}

static void test_close_with_open_iterators(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "iter.youth", 3);
	youth_registry *reg = NULL;
	youth_person_iter *pit = NULL;
	youth_place_iter *lit = NULL;
	const youth_person *person = NULL;
	const youth_place *place = NULL;

	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT));
	assert_ok(youth_person_iter_new(&pit, reg, NULL));
	assert_ok(youth_place_iter_new(&lit, reg, NULL, 0));
	assert_ok(youth_person_next(&person, pit));
	assert_non_null(person);
	assert_ok(youth_place_next(&place, lit));
	assert_non_null(place);
	youth_registry_close(reg);
	/* the iterators outlive the handle; freeing them afterwards is fine */
	youth_person_iter_free(pit);
	youth_place_iter_free(lit);

	/* and the file is intact and not left locked */
	reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT));
	assert_ok(th_add_person(reg, NULL));
	assert_int_equal(th_count_persons(reg), 4);
	youth_registry_close(reg);

	/* :memory: too, with an iterator that was never advanced */
	reg = th_open_memory_gazetteer();
	pit = NULL;
	assert_ok(youth_person_iter_new(&pit, reg, NULL));
	youth_registry_close(reg);
	youth_person_iter_free(pit);
	free(path);
}

/* ---- full disk, I/O errors -------------------------------------------------------------- */

static void disk_fault(fixture *f, th_fault fault, int code)
{
	char *path = make_registry(f, fault == TH_FAULT_FULL ? "full.youth" : "eio.youth", 1);
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT));
	assert_int_equal(th_count_persons(reg), 1);

	/* a single write */
	th_vfs_arm(fault, 0);
	assert_rc(th_add_person(reg, NULL), code);
	assert_true(th_vfs_refused() > 0);
	th_vfs_disarm();
	assert_int_equal(th_count_persons(reg), 1);

	/* a transaction whose commit fails is rolled back */
	assert_ok(youth_registry_begin(reg));
	for (int i = 0; i < 10; i++)
		assert_ok(th_add_person(reg, NULL));
	th_vfs_arm(fault, 0);
	int rc = youth_registry_commit(reg);
	th_vfs_disarm();
	if (th_vfs_refused() == 0)
		fail_msg("the commit wrote nothing (pages already spilled?)");
	assert_rc(rc, code);
	assert_int_equal(youth_registry_in_transaction(reg), 0);
	assert_int_equal(th_count_persons(reg), 1);

	/* a gazetteer load stopped half-way adds nothing */
	static const char more[] = "format: libyouth/1\n"
	                           "gazetteer:\n"
	                           "  - name: Ahuachapán\n"
	                           "    places:\n"
	                           "      - name: Ahuachapán Centro\n";
	int64_t places = th_count_places(reg, NULL, 0);
	th_vfs_arm(fault, 0);
	assert_rc(youth_gazetteer_load_buffer(NULL, reg, more, sizeof more - 1, "more"), code);
	th_vfs_disarm();
	assert_int_equal(th_count_places(reg, NULL, 0), places);

	/* once space is back, writing works and the file is sound */
	assert_ok(th_add_person(reg, NULL));
	assert_int_equal(th_count_persons(reg), 2);
	assert_ok(youth_registry_check(reg));
	youth_registry_close(reg);

	reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT));
	assert_int_equal(th_count_persons(reg), 2);
	assert_ok(youth_registry_check(reg));
	youth_registry_close(reg);
	free(path);
}

static void test_disk_full(void **state)
{
	disk_fault(*state, TH_FAULT_FULL, YOUTH_EFULL);
}

static void test_disk_write_error(void **state)
{
	disk_fault(*state, TH_FAULT_IOERR, YOUTH_EIO);
}

/* A read error of the operating system is reported as EIO and is not fatal. */
static void test_disk_read_error(void **state)
{
	fixture *f = *state;
	char *path = make_registry(f, "rd.youth", 300);
	youth_registry *reg = NULL;
	youth_person_iter *it = NULL;
	const youth_person *p;
	int64_t n = -1;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT));
	th_vfs_fail_reads(1);
	int rc = youth_person_count(&n, reg, NULL);
	if (rc == YOUTH_OK && th_vfs_refused() == 0) {
		/* the count was answered from cache: iterate, which must read the records */
		rc = youth_person_iter_new(&it, reg, NULL);
		while (rc == YOUTH_OK)
			rc = youth_person_next(&p, it);
		youth_person_iter_free(it);
	}
	th_vfs_fail_reads(0);
	if (th_vfs_refused() == 0)
		skip();
	print_message("# read error reported as %s\n", youth_error_name(rc));
	assert_rc(rc, YOUTH_EIO);
	assert_ok(youth_person_count(&n, reg, NULL));
	assert_int_equal(n, 300);
	youth_registry_close(reg);
	free(path);
}

/* ---- allocation failures ---------------------------------------------------------------- */

static void test_oom_open_load_add(void **state)
{
	(void)state;
	th_alloc_state st;
	long n;
	int completed = 0;

	for (n = 1; n <= 20000 && !completed; n++) {
		youth_registry *reg = NULL;
		int64_t added = -1, id = 0;
		int rc;

		th_alloc_install(&st, n, 0);
		rc = youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE);
		if (rc != YOUTH_OK) {
			assert_rc(rc, YOUTH_ENOMEM);
			assert_null(reg);
			assert_int_equal(youth_error_last()->code, YOUTH_ENOMEM);
			goto next;
		}
		rc = youth_gazetteer_load_buffer(&added, reg, small_gazetteer,
		                                 sizeof small_gazetteer - 1, "small");
		if (rc != YOUTH_OK) {
			assert_rc(rc, YOUTH_ENOMEM);
			st.fail_at = 0; /* verify with working allocations */
			assert_int_equal(th_count_places(reg, NULL, 0), 0);
			youth_registry_close(reg);
			goto next;
		}
		assert_int_equal(added, 4);
		rc = th_add_person(reg, &id);
		st.fail_at = 0; /* verify with working allocations */
		assert_int_equal(th_count_places(reg, NULL, 0), 4);
		if (rc != YOUTH_OK) {
			assert_rc(rc, YOUTH_ENOMEM);
			assert_int_equal(th_count_persons(reg), 0);
		} else {
			assert_int_equal(th_count_persons(reg), 1);
			youth_person *got = NULL;
			assert_ok(youth_person_get(&got, reg, id));
			youth_person_free(got);
		}
		youth_registry_close(reg);
	next:
		if (st.live != 0)
			fail_msg("failing allocation #%ld: %ld blocks leaked", n, st.live);
		if (st.failed == 0)
			completed = 1;
		th_alloc_restore();
	}
	if (!completed)
		fail_msg("never completed without a failed allocation");
	print_message("# OOM loop: %ld allocation sites exercised\n", n - 1);
}

/* Allocation failures in every other operation on an open registry: each call succeeds or
 * reports ENOMEM, and a failed write leaves the data as it was. */
static void test_oom_operations(void **state)
{
	(void)state;
	static const char batch[] =
		"format: libyouth/1\n"
		"persons:\n"
		"  - {given_names: Ana, first_surname: López, birth_date: 1990-01-01, sex: female,\n"
		"     place: Santa Eugenia, census_date: 2009-03-02, census_round: r1}\n"
		"  - {given_names: Berta, first_surname: Pérez, birth_date: 1991-01-01, sex: female,\n"
		"     place: Santa Eugenia, census_date: 2009-03-02, census_round: r1,\n"
		"     national_id: 00016297-5, phone: 71234567, job_profiles: 'cook,baker'}\n";
	th_alloc_state st;
	int completed = 0;
	long n;

	for (n = 1; n <= 20000 && !completed; n++) {
		youth_registry *reg = NULL;
		int64_t id = 0, count = -1, added = -1;
		youth_person *got = NULL;
		youth_person_iter *it = NULL;
		const youth_person *cur;
		youth_place *pl = NULL;
		youth_person_filter filt;
		char *folded = NULL;
		int rc;

		th_alloc_install(&st, 0, 0);
		assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
		assert_ok(youth_gazetteer_load_buffer(NULL, reg, small_gazetteer,
		                                      sizeof small_gazetteer - 1, "small"));
		assert_ok(th_add_person(reg, &id));
		st.fail_at = st.calls + n; /* the nth allocation from here fails */

		rc = youth_census_load_buffer(&added, reg, batch, sizeof batch - 1, "batch", 0);
		if (rc != YOUTH_OK) {
			assert_rc(rc, YOUTH_ENOMEM);
			assert_int_equal(th_count_persons(reg), 1);
			goto done;
		}
		assert_int_equal(added, 2);

		rc = youth_person_get(&got, reg, id);
		if (rc != YOUTH_OK) {
			assert_rc(rc, YOUTH_ENOMEM);
			assert_null(got);
			goto done;
		}
		got->household_size = 11;
		rc = youth_person_update(reg, got, 0);
		youth_person_free(got);
		got = NULL;
		if (rc != YOUTH_OK) {
			assert_rc(rc, YOUTH_ENOMEM);
			assert_ok(youth_person_get(&got, reg, id));
			assert_int_equal(got->household_size, 5);
			youth_person_free(got);
			goto done;
		}

		memset(&filt, 0, sizeof filt);
		filt.name = "ana lopez";
		filt.place = "Sonzacate";
		filt.age_at = "2009-03-02";
		filt.age_min = 16;
		filt.age_max = 24;
		rc = youth_person_count(&count, reg, &filt);
		if (rc != YOUTH_OK) {
			assert_rc(rc, YOUTH_ENOMEM);
			goto done;
		}
		assert_int_equal(count, 1);
		rc = youth_person_iter_new(&it, reg, &filt);
		if (rc != YOUTH_OK) {
			assert_rc(rc, YOUTH_ENOMEM);
			assert_null(it);
			goto done;
		}
		while ((rc = youth_person_next(&cur, it)) == YOUTH_OK)
			;
		youth_person_iter_free(it);
		if (rc != YOUTH_ITEROVER) {
			assert_rc(rc, YOUTH_ENOMEM);
			goto done;
		}

		rc = youth_place_get(&pl, reg, "sonzacate/santa eugenia");
		if (rc != YOUTH_OK) {
			assert_rc(rc, YOUTH_ENOMEM);
			assert_null(pl);
			goto done;
		}
		youth_place_free(pl);

		rc = youth_place_add(NULL, reg, "Sonzacate", "El Sauce", 1);
		if (rc != YOUTH_OK) {
			assert_rc(rc, YOUTH_ENOMEM);
			assert_int_equal(th_count_places(reg, NULL, 0), 4);
			goto done;
		}

		rc = youth_fold(&folded, "José HERNÁNDEZ");
		if (rc != YOUTH_OK) {
			assert_rc(rc, YOUTH_ENOMEM);
			goto done;
		}
		youth_free(folded);

		rc = youth_person_delete(reg, id);
		if (rc != YOUTH_OK) {
			assert_rc(rc, YOUTH_ENOMEM);
			assert_ok(youth_person_get(&got, reg, id));
			youth_person_free(got);
			goto done;
		}

		/* nothing failed: check the final state with working allocations */
		st.fail_at = 0;
		assert_int_equal(th_count_persons(reg), 2);
		assert_int_equal(th_count_places(reg, NULL, 0), 5);
		if (st.failed == 0)
			completed = 1;
	done:
		st.fail_at = 0;
		assert_ok(youth_registry_check(reg));
		youth_registry_close(reg);
		if (st.live != 0)
			fail_msg("failing allocation #%ld: %ld blocks leaked", n, st.live);
		th_alloc_restore();
	}
	if (!completed)
		fail_msg("never completed without a failed allocation");
	print_message("# OOM operations: %ld allocation sites exercised\n", n - 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup_dir, teardown_dir)
	const struct CMUnitTest tests[] = {
		T(test_open_memory),
		T(test_open_create_and_reopen),
		T(test_open_missing_without_create),
		T(test_open_bad_arguments),
		T(test_open_text_file),
		T(test_open_sqlite_header_then_garbage),
		T(test_open_foreign_sqlite),
		T(test_open_newer_version),
		T(test_open_truncated),
		T(test_open_readonly_migration_due),
		T(test_migrate_from_every_version),
		T(test_migration_5_employer_keys),
		T(test_migration_12_keeps_rows),
		T(test_second_handle_keeps_locks),
		T(test_open_directory),
		T(test_open_empty_file),
		T(test_readonly_refuses_writes),
		T(test_open_by_permissions),
		T(test_threads_sharing_a_transaction),
		T(test_tx_commit),
		T(test_tx_rollback),
		T(test_tx_nested),
		T(test_tx_misuse),
		T(test_tx_failed_write_keeps_transaction),
		T(test_tx_visibility_across_handles),
		T(test_close_rolls_back),
		T(test_busy),
		T(test_busy_default_timeout),
		T(test_busy_timeout_negative),
		T(test_check_good),
		T(test_check_corrupt),
		T(test_total_changes),
		T(test_null_arguments),
		T(test_close_null),
		T(test_close_with_open_iterators),
		T(test_disk_full),
		T(test_disk_write_error),
		T(test_disk_read_error),
		T(test_oom_open_load_add),
		T(test_oom_operations),
	};
#undef T
	/* Route SQLite's file I/O through the fault-injecting VFS (pass-through unless armed). */
	th_vfs_install();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
