/* Tests of what a large import does differently from a small one: the person index it drops
 * and builds again at the end of the section, the key order the reader learns, the page size
 * of new registries, and the hand-over between the reader thread and the writer at the end of
 * a file, the early write-back of its WAL, list items of any length in the rejects report;
 * also the counting that turns libyaml's byte offsets into lines and columns.
 *
 * White-box: linked with the library's objects rather than the shared library, to lower the
 * record count at which an import defers its indexes (youth__bulk_index_after: 200 000 in use,
 * a few here) and to watch the SQL the import runs (sqlite3_trace_v2 on the registry's
 * connection). */
#include "private.h"
#include "private_names.h"

#include "helpers.h"

#include <signal.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define INDEX "person_place_sex_birth"
#define BIRTH_INDEX "person_birth" /* deferred as well */

/* ---- fixtures ---------------------------------------------------------------------------- */

typedef struct fx {
	char *dir, *path;
	youth_registry *reg;
} fx;

static int64_t in_use; /* the library's own threshold, put back after each test */

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = th_tmpdir();
	f->path = th_path(f->dir, "bulk.youth");
	assert_ok(youth_registry_open(&f->reg, f->path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, f->reg, TH_GAZETTEER));
	if (!in_use)
		in_use = youth__bulk_index_after;
	youth__bulk_index_after = 10;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	youth__bulk_index_after = in_use;
	youth_registry_close(f->reg);
	th_rmtree(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

static const char *const places[] = {"acajutla", "sonzacate", TH_SANTA_EUGENIA,
                                     "sonsonate/sonsonate-oeste/acajutla/acaxual"};

/* A census of @n persons from @first on: several places, both sexes, many birth dates, so
 * that the index has something to sort.  @bad (1-based, 0 = none) gets an impossible date. */
static char *census(int first, int n, int bad)
{
	size_t cap = (size_t)n * 260 + 200, len = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	len += (size_t)sprintf(buf, "format: libyouth/1\npersons:\n");
	for (int i = first; i < first + n; i++)
		len += (size_t)sprintf(buf + len,
		                       "  - given_names: Persona %d\n    first_surname: Pérez\n"
		                       "    birth_date: 19%02d-%02d-%02d\n    sex: %s\n"
		                       "    place: %s\n    census_date: 2009-03-02\n"
		                       "    census_round: census-2009\n",
		                       i, 85 + i % 7, i - first + 1 == bad ? 2 : 1 + i % 12,
		                       i - first + 1 == bad ? 30 : 1 + i % 28,
		                       i % 3 ? "female" : "male", places[i % 4]);
	sprintf(buf + len, "end:\n  records: %d\n", n);
	return buf;
}

/* The statements that drop or create an index, as the import runs them. */
typedef struct trace {
	int drops, creates;             /* of INDEX */
	int birth_drops, birth_creates; /* of BIRTH_INDEX */
	int uuid_drops, uuid_creates;   /* of any table's UUID index (<table>_uuid) */
} trace;

static int on_trace(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	(void)x;
	trace *t = ctx;
	char *sql = sqlite3_expanded_sql(p);
	if (sql) {
		if (th_contains(sql, "DROP INDEX") && th_contains(sql, INDEX))
			t->drops++;
		if (th_contains(sql, "CREATE INDEX") && th_contains(sql, INDEX))
			t->creates++;
		if (th_contains(sql, "DROP INDEX") && th_contains(sql, BIRTH_INDEX))
			t->birth_drops++;
		if (th_contains(sql, "CREATE INDEX") && th_contains(sql, BIRTH_INDEX))
			t->birth_creates++;
		if (th_contains(sql, "DROP INDEX") && th_contains(sql, "_uuid\""))
			t->uuid_drops++;
		if (th_contains(sql, "CREATE UNIQUE INDEX") && th_contains(sql, "_uuid\""))
			t->uuid_creates++;
		sqlite3_free(sql);
	}
	return 0;
}

/* The integer a one-value PRAGMA reads. */
static int pragma_int(youth_registry *reg, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void watch(youth_registry *reg, trace *t)
{
	memset(t, 0, sizeof *t);
	sqlite3_trace_v2(reg->db, SQLITE_TRACE_STMT, on_trace, t);
}

/* The definition of index @name as stored, or NULL when it is missing (caller frees). */
static char *index_sql_of(youth_registry *reg, const char *name)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(reg->db, "SELECT sql FROM sqlite_schema WHERE name = ?1",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	char *sql = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		sql = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return sql;
}

static bool has_index(youth_registry *reg, const char *name)
{
	char *sql = index_sql_of(reg, name);
	free(sql);
	return sql != NULL;
}

static char *index_sql(youth_registry *reg)
{
	return index_sql_of(reg, INDEX);
}

static int64_t persons(youth_registry *reg)
{
	int64_t n = -1;
	assert_ok(youth_person_count(&n, reg, NULL));
	return n;
}

/* Counts by place and sex answered from the index, as the indicator reports ask them. */
static void assert_index_serves_counts(youth_registry *reg)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(reg->db,
	                                    "EXPLAIN QUERY PLAN SELECT count(*) FROM person "
	                                    "WHERE place_id = 5 AND sex = 2",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	int uses = 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		uses |= th_contains((const char *)sqlite3_column_text(st, 3), INDEX);
	sqlite3_finalize(st);
	assert_true(uses);
	assert_ok(youth_registry_check(reg)); /* integrity_check compares index and table */
}

static char *export_text(youth_registry *reg)
{
	th_text b = {0};
	youth_export_options o;
	youth_export_options_init(&o);
	o.kinds = YOUTH_KIND_PERSONS;
	assert_ok(youth_export_write(NULL, reg, th_text_write, &b, &o));
	assert_non_null(b.data);
	return b.data;
}

/* Every index the persons section defers, the unique person_uuid included. */
static void assert_index_present(youth_registry *reg)
{
	static const char *const names[] = {INDEX, BIRTH_INDEX, "person_uuid"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *sql = index_sql_of(reg, names[i]);
		assert_non_null(sql);
		free(sql);
	}
}

/* ---- the deferred index ------------------------------------------------------------------ */

static void test_index_dropped_and_built_again(void **state)
{
	fx *f = *state;
	char *before = index_sql(f->reg), *birth_before = index_sql_of(f->reg, BIRTH_INDEX);
	assert_non_null(before);
	assert_non_null(birth_before);
	char *text = census(1, 60, 0);
	trace t;
	watch(f->reg, &t);
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, f->reg, text, strlen(text), "census", NULL));
	assert_int_equal(s.imported, 60);
	assert_int_equal(t.drops, 1);
	assert_int_equal(t.creates, 1);
	assert_int_equal(t.birth_drops, 1);
	assert_int_equal(t.birth_creates, 1);
	char *birth_after = index_sql_of(f->reg, BIRTH_INDEX);
	assert_non_null(birth_after);
	assert_string_equal(birth_after, birth_before);
	free(birth_before);
	free(birth_after);
	/* The sort spills its runs to files, not memory: the peak stays flat at a million. */
	assert_int_equal(pragma_int(f->reg, "PRAGMA temp_store"), 1);
	char *after = index_sql(f->reg);
	assert_non_null(after);
	assert_string_equal(after, before); /* the very definition the schema gave it */
	assert_index_serves_counts(f->reg);
	int64_t n = 0;
	youth_person_filter flt = {.sex = YOUTH_SEX_MALE};
	assert_ok(youth_person_count(&n, f->reg, &flt));
	assert_int_equal(n, 20);

	/* The same persons (with their uuids now) imported with and without the deferral read
	 * back byte for byte the same. */
	char *exported = export_text(f->reg);
	youth_registry *a = th_open_memory_gazetteer(), *b = th_open_memory_gazetteer();
	assert_ok(youth_import_buffer(NULL, a, exported, strlen(exported), "a", NULL));
	youth__bulk_index_after = 1000000;
	assert_ok(youth_import_buffer(NULL, b, exported, strlen(exported), "b", NULL));
	char *ea = export_text(a), *eb = export_text(b);
	assert_string_equal(ea, exported);
	assert_string_equal(eb, exported);
	free(ea);
	free(eb);
	youth_registry_close(a);
	youth_registry_close(b);
	free(exported);
	free(before);
	free(after);
	free(text);
}

/* ---- the deferred UUID index ------------------------------------------------------------- */

/* The UUID of person @i of the files below: scattered, as v4 UUIDs are. */
static void uuid_of(char out[37], int i)
{
	snprintf(out, 37, "%08x-0000-4000-8000-%012d", (unsigned)i * 2654435761u, i);
}

/* Writes person record @i, with the UUID of person @u, at @at; returns its length. */
static size_t put_scattered_person(char *at, int i, int u)
{
	char uuid[37];
	uuid_of(uuid, u);
	return (size_t)sprintf(at,
	                       "  - uuid: %s\n"
	                       "    given_names: Persona %d\n    first_surname: Pérez\n"
	                       "    birth_date: 1990-%02d-%02d\n    sex: %s\n"
	                       "    place: %s\n    census_date: 2009-03-02\n"
	                       "    census_round: census-2009\n",
	                       uuid, i, 1 + i % 12, 1 + i % 28, i % 3 ? "female" : "male",
	                       places[i % 4]);
}

/* @n persons with scattered UUIDs; record @repeat (1-based, 0 = none) takes the UUID of record
 * @of instead of its own. */
static char *census_uuids(int n, int repeat, int of)
{
	size_t cap = (size_t)n * 300 + 200, len = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	len += (size_t)sprintf(buf, "format: libyouth/1\npersons:\n");
	for (int i = 1; i <= n; i++)
		len += put_scattered_person(buf + len, i, i == repeat ? of : i);
	sprintf(buf + len, "end:\n  records: %d\n", n);
	assert_true(strlen(buf) < cap);
	return buf;
}

/*
 * Schema 12 gave person, enrollment and counselling_participant a named UUID index
 * (<table>_uuid) in place of the column's UNIQUE, so that a large all-or-nothing import drops
 * it and builds it again, sorted, when the section ends.  Built again, it is the same index:
 * the same stored definition, and a UUID the registry has is refused as before.
 */
static void test_uuid_index_dropped_and_built_again(void **state)
{
	fx *f = *state;
	/* the migrations that made the registry turn foreign keys off for a moment: on again */
	assert_int_equal(pragma_int(f->reg, "PRAGMA foreign_keys"), 1);
	char *before = index_sql_of(f->reg, "person_uuid");
	assert_non_null(before);
	assert_true(th_contains(before, "CREATE UNIQUE INDEX"));
	char *text = census_uuids(60, 0, 0);
	trace t;
	watch(f->reg, &t);
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, f->reg, text, strlen(text), "census", NULL));
	assert_int_equal(s.imported, 60);
	assert_int_equal(t.uuid_drops, 1);
	assert_int_equal(t.uuid_creates, 1);
	char *after = index_sql_of(f->reg, "person_uuid");
	assert_non_null(after);
	assert_string_equal(after, before);
	assert_ok(youth_registry_check(f->reg));
	/* unique again: the UUID of person 7 cannot be given to another */
	youth_person p;
	th_person_valid(&p);
	uuid_of(p.uuid, 7);
	assert_rc(youth_person_add(f->reg, &p, 0), YOUTH_EEXISTS);
	assert_msg_has("uuid");
	free(before);
	free(after);
	free(text);
}

/* A file that gives one UUID to two persons after the index was dropped fails as a whole when
 * the index is built again, with a message that names the UUID; one that takes a UUID the
 * registry already has says so.  Nothing of either is kept, the index included. */
static void test_uuid_repeated_while_deferred(void **state)
{
	fx *f = *state;
	char u[37];
	youth_interchange_summary s;
	trace t;
	watch(f->reg, &t);
	char *twice = census_uuids(60, 45, 3);
	assert_rc(youth_import_buffer(&s, f->reg, twice, strlen(twice), "census", NULL),
	          YOUTH_EEXISTS);
	uuid_of(u, 3);
	assert_msg_has(u);
	assert_msg_has("given to more than one person");
	assert_msg_has("census: section persons");
	assert_int_equal(t.uuid_drops, 1);
	assert_int_equal(persons(f->reg), 0);
	char *idx = index_sql_of(f->reg, "person_uuid");
	assert_non_null(idx);
	free(idx);

	/* a UUID of the registry, taken by a record after the drop */
	char *first = census_uuids(5, 0, 0);
	assert_ok(youth_import_buffer(&s, f->reg, first, strlen(first), "first", NULL));
	char *taken = census_uuids(60, 40, 2); /* record 2's UUID, already person 2 */
	/* records 1-5 would repeat the five persons: start the file at record 6 */
	char *from6 = strstr(taken, "  - uuid: ");
	for (int i = 0; i < 5; i++)
		from6 = strstr(from6 + 1, "  - uuid: ");
	char *file = malloc(strlen(taken) + 40);
	assert_non_null(file);
	sprintf(file, "format: libyouth/1\npersons:\n%s", from6);
	char *end = strstr(file, "end:\n  records: 60");
	assert_non_null(end);
	strcpy(end, "end:\n  records: 55\n");
	assert_rc(youth_import_buffer(&s, f->reg, file, strlen(file), "more", NULL), YOUTH_EEXISTS);
	uuid_of(u, 2);
	assert_msg_has(u);
	assert_msg_has("already used by person 2 of the registry");
	assert_int_equal(persons(f->reg), 5);
	assert_ok(youth_registry_check(f->reg));
	free(file);
	free(taken);
	free(first);
	free(twice);
}

/* Keep-going, upsert and dry-run imports keep the UUID index: each finds a repeated UUID at
 * the record that repeats it (refused alone, updated, or reported with its line). */
static void test_uuid_index_kept_by_other_modes(void **state)
{
	fx *f = *state;
	char *twice = census_uuids(60, 45, 3);
	youth_interchange_summary s;
	youth_import_options o;
	trace t;
	watch(f->reg, &t);

	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_DRY_RUN;
	assert_rc(youth_import_buffer(&s, f->reg, twice, strlen(twice), "census", &o),
	          YOUTH_EEXISTS);
	assert_msg_has("person 45");
	assert_int_equal(t.uuid_drops, 0);

	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_KEEP_GOING;
	assert_rc(youth_import_buffer(&s, f->reg, twice, strlen(twice), "census", &o),
	          YOUTH_OK);
	assert_int_equal(s.imported, 59);
	assert_int_equal(s.rejected, 1);
	assert_int_equal(t.uuid_drops, 0);

	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_UPSERT;
	char *again = census_uuids(60, 0, 0);
	assert_ok(youth_import_buffer(&s, f->reg, again, strlen(again), "census", &o));
	assert_int_equal(s.imported, 1); /* person 45, refused above */
	assert_int_equal(t.uuid_drops, 0);
	assert_int_equal(persons(f->reg), 60);
	free(again);
	free(twice);
}

/* A services file: the persons' UUID index is deferred and so are the enrollments' (the UUID
 * index schema 14 named, and the one by person), and everything comes back byte for byte.  A repeated enrollment UUID is refused
 * at its record, with its line, while the index is in place (the 5th enrollment given the
 * 2nd's UUID); once deferred (the 25th), when the index is built again, naming the UUID. */
static void test_services_defer_their_uuid_index(void **state)
{
	(void)state;
	youth_registry *a = th_open_memory_gazetteer();
	int64_t ex, op, inactive;
	th_add_staffed_exchange(a, YOUTH_ROLE_COUNSELLOR, YOUTH_ROLE_INTAKE, &ex, &op, &inactive);
	int64_t cohort = th_add_cohort(a, ex);
	for (int i = 0; i < 30; i++) {
		youth_enrollment e;
		th_enrollment(&e, cohort, th_new_person(a), op);
		assert_ok(youth_enrollment_apply(a, &e, NULL));
	}
	th_text b = {0};
	assert_ok(youth_export_write(NULL, a, th_text_write, &b, NULL));
	youth_registry_close(a);

	/* a registry with no places: the file's own (with their UUIDs) come in */
	youth_registry *r = NULL;
	assert_ok(youth_registry_open(&r, ":memory:", YOUTH_OPEN_CREATE));
	trace t;
	watch(r, &t);
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, r, b.data, b.len, "services", NULL));
	assert_int_equal(t.uuid_drops, 2); /* the persons' (30) and the enrollments' (30) */
	assert_int_equal(t.uuid_creates, 2);
	assert_true(has_index(r, "enrollment_uuid"));
	assert_true(has_index(r, "enrollment_person")); /* deferred too, not unique */
	th_text back = {0};
	assert_ok(youth_export_write(NULL, r, th_text_write, &back, NULL));
	assert_string_equal(back.data, b.data);
	assert_ok(youth_registry_check(r));
	youth_registry_close(r);

	char *sec = strstr(b.data, "\nenrollments:\n");
	assert_non_null(sec);
	const int copies[2] = {5, 25};
	for (int c = 0; c < 2; c++) {
		char *text = strdup(b.data);
		assert_non_null(text);
		char *second = text + (sec - b.data), *other = second;
		for (int i = 0; i < 2; i++)
			second = strstr(second + 1, "\n  - uuid: ");
		for (int i = 0; i < copies[c]; i++)
			other = strstr(other + 1, "\n  - uuid: ");
		assert_non_null(second);
		assert_non_null(other);
		memcpy(other + 11, second + 11, 36);
		char dup[37];
		memcpy(dup, second + 11, 36);
		dup[36] = '\0';
		assert_ok(youth_registry_open(&r, ":memory:", YOUTH_OPEN_CREATE));
		assert_rc(youth_import_buffer(&s, r, text, strlen(text), "services", NULL),
		          YOUTH_EEXISTS);
		assert_msg_has("services");
		assert_msg_has("enrollment");
		assert_msg_has(dup);
		if (c == 0) {
			assert_msg_has("already used");
		} else {
			assert_msg_has("given to more than one enrollment");
			assert_msg_has("built again");
		}
		assert_int_equal(th_count_persons(r), 0);
		assert_true(has_index(r, "enrollment_uuid"));
		assert_true(has_index(r, "enrollment_person"));
		youth_registry_close(r);
		free(text);
	}
	free(back.data);
	free(b.data);
}

/* A failure after the index was dropped, a dry run, a caller's rollback: the file is as it
 * was, index included. */
static void test_index_back_after_failure_dry_run_and_rollback(void **state)
{
	fx *f = *state;
	th_snapshot snap;
	youth_registry_close(f->reg);
	th_snapshot_take(&snap, f->path);
	assert_ok(youth_registry_open(&f->reg, f->path, YOUTH_OPEN_DEFAULT));
	youth_interchange_summary s;
	trace t;
	watch(f->reg, &t);

	char *bad = census(1, 60, 45);
	assert_rc(youth_import_buffer(&s, f->reg, bad, strlen(bad), "census", NULL), YOUTH_EINVAL);
	assert_msg_has("person 45");
	assert_int_equal(t.drops, 1);
	assert_int_equal(t.creates, 0);
	assert_index_present(f->reg);

	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_DRY_RUN;
	char *good = census(1, 60, 0);
	assert_ok(youth_import_buffer(&s, f->reg, good, strlen(good), "census", &o));
	assert_int_equal(s.imported, 60);
	assert_int_equal(t.drops, 2);

	assert_ok(youth_registry_begin(f->reg));
	assert_ok(youth_import_buffer(&s, f->reg, good, strlen(good), "census", NULL));
	assert_int_equal(t.drops, 3);
	assert_int_equal(t.creates, 1);
	youth_registry_rollback(f->reg);
	assert_int_equal(persons(f->reg), 0);
	assert_index_serves_counts(f->reg);
	youth_registry_close(f->reg);
	/* the failed import was a first load: SQLite counted its two switches of journal mode */
	assert_unchanged_data(&snap, f->path);
	assert_ok(youth_registry_open(&f->reg, f->path, YOUTH_OPEN_DEFAULT));

	/* Keep-going: the bad record is rejected, the rest imported, the index built. */
	watch(f->reg, &t);
	o.flags = YOUTH_IMPORT_KEEP_GOING;
	assert_ok(youth_import_buffer(&s, f->reg, bad, strlen(bad), "census", &o));
	assert_int_equal(s.imported, 59);
	assert_int_equal(s.rejected, 1);
	assert_int_equal(t.drops, 1);
	assert_int_equal(t.creates, 1);
	assert_index_serves_counts(f->reg);
	th_snapshot_free(&snap);
	free(bad);
	free(good);
}

/* A registry that already holds more persons than the import adds keeps its index: updating
 * it costs less than building it again whole. */
static void test_big_table_keeps_its_index(void **state)
{
	fx *f = *state;
	char *first = census(1, 50, 0), *second = census(51, 12, 0);
	youth__bulk_index_after = 1000000;
	assert_ok(youth_import_buffer(NULL, f->reg, first, strlen(first), "first", NULL));
	youth__bulk_index_after = 10;
	trace t;
	watch(f->reg, &t);
	assert_ok(youth_import_buffer(NULL, f->reg, second, strlen(second), "second", NULL));
	assert_int_equal(t.drops, 0);
	assert_int_equal(persons(f->reg), 62);
	assert_index_serves_counts(f->reg);
	free(first);
	free(second);
}

/* An iterator of the caller that is still reading: SQLite refuses a schema change, so the
 * import keeps the index and goes on. */
static void test_open_iterator_keeps_the_index(void **state)
{
	fx *f = *state;
	char *first = census(1, 3, 0), *second = census(4, 30, 0);
	assert_ok(youth_import_buffer(NULL, f->reg, first, strlen(first), "first", NULL));
	youth_person_iter *it;
	const youth_person *p;
	assert_ok(youth_person_iter_new(&it, f->reg, NULL));
	assert_ok(youth_person_next(&p, it));
	trace t;
	watch(f->reg, &t);
	/* the name index's key index would be dropped after five persons: it is kept as well */
	int64_t names_after = youth__names_rebuild_after;
	youth__names_rebuild_after = 5;
	assert_ok(youth_import_buffer(NULL, f->reg, second, strlen(second), "second", NULL));
	youth__names_rebuild_after = names_after;
	assert_int_equal(t.creates, 0);
	char *keys = index_sql_of(f->reg, "person_name_key");
	assert_non_null(keys);
	free(keys);
	assert_int_equal(pragma_int(f->reg, "SELECT count(DISTINCT person_id) FROM person_name "
	                                    "INDEXED BY person_name_key WHERE key IS NOT NULL"), 33);
	int more = 1; /* the iterator still works */
	while (youth_person_next(&p, it) == YOUTH_OK)
		more++;
	assert_true(more >= 3);
	youth_person_iter_free(it);
	assert_int_equal(persons(f->reg), 33);
	assert_index_serves_counts(f->reg);
	free(first);
	free(second);
}

static void test_out_of_memory_with_the_index_dropped(void **state)
{
	fx *f = *state;
	char *text = census(1, 30, 0);
	th_alloc_state st;
	int completed = 0;
	/* the name index too: its keys batched as the persons come, its key index dropped after
	 * five of them (names.c) */
	int64_t names_after = youth__names_rebuild_after;
	youth__names_rebuild_after = 5;
	for (long n = 1; n <= 20000 && !completed; n++) {
		th_alloc_install(&st, 0, 0);
		st.fail_at = st.calls + n;
		youth_interchange_summary s;
		int rc = youth_import_buffer(&s, f->reg, text, strlen(text), "oom", NULL);
		st.fail_at = 0;
		th_alloc_restore();
		if (rc == YOUTH_OK) {
			completed = 1;
			assert_int_equal(persons(f->reg), 30);
		} else {
			assert_rc(rc, YOUTH_ENOMEM);
			assert_int_equal(persons(f->reg), 0);
			assert_index_present(f->reg);
			assert_int_equal(pragma_int(f->reg, "SELECT count(*) FROM person_name"), 0);
			assert_int_equal(pragma_int(f->reg, "SELECT count(*) FROM name_token"), 0);
			char *keys = index_sql_of(f->reg, "person_name_key");
			assert_non_null(keys);
			free(keys);
		}
		assert_int_equal(st.live, 0);
	}
	youth__names_rebuild_after = names_after;
	assert_true(completed);
	assert_index_serves_counts(f->reg);
	/* every person indexed as added, each key once */
	assert_int_equal(pragma_int(f->reg, "SELECT count(DISTINCT person_id) FROM person_name"), 30);
	assert_int_equal(pragma_int(f->reg, "SELECT count(*) FROM person_name"),
	                 pragma_int(f->reg, "SELECT count(*) FROM person_name INDEXED BY person_name_key "
	                                  "WHERE key IS NOT NULL"));
	free(text);
}

/* ---- key order -------------------------------------------------------------------------- */

/* The reader guesses each key from the order of the record before; a record in another order,
 * or with a key the kind does not have, must read exactly as without the guess. */
static void test_keys_in_any_order(void **state)
{
	fx *f = *state;
	static const char doc[] =
		"format: libyouth/1\npersons:\n"
		"  - given_names: Ana\n    first_surname: López\n    birth_date: 1990-04-01\n"
		"    sex: female\n    place: acajutla\n    census_date: 2009-03-02\n"
		"    census_round: census-2009\n"
		"  - census_round: census-2009\n    census_date: 2009-03-03\n    place: sonzacate\n"
		"    sex: male\n    birth_date: 1991-05-02\n    first_surname: Díaz\n"
		"    given_names: Juan\n"
		"  - given_names: Rosa\n    birth_date: 1992-06-03\n    first_surname: Cruz\n"
		"    sex: female\n    census_date: 2009-03-04\n    census_round: census-2009\n"
		"    place: acajutla\n"
		"end: {records: 3}\n";
	assert_ok(youth_import_buffer(NULL, f->reg, doc, strlen(doc), "order", NULL));
	static const struct {
		const char *given, *surname, *birth, *census;
		int sex;
	} want[] = {{"Ana", "López", "1990-04-01", "2009-03-02", YOUTH_SEX_FEMALE},
	            {"Juan", "Díaz", "1991-05-02", "2009-03-03", YOUTH_SEX_MALE},
	            {"Rosa", "Cruz", "1992-06-03", "2009-03-04", YOUTH_SEX_FEMALE}};
	youth_person_iter *it;
	const youth_person *p;
	assert_ok(youth_person_iter_new(&it, f->reg, NULL));
	for (size_t i = 0; i < 3; i++) {
		assert_ok(youth_person_next(&p, it));
		assert_string_equal(p->given_names, want[i].given);
		assert_string_equal(p->first_surname, want[i].surname);
		assert_string_equal(p->birth_date, want[i].birth);
		assert_string_equal(p->census_date, want[i].census);
		assert_int_equal(p->sex, want[i].sex);
	}
	assert_rc(youth_person_next(&p, it), YOUTH_ITEROVER);
	youth_person_iter_free(it);

	/* A misspelt key where the guess would have put the next field. */
	static const char bad[] =
		"format: libyouth/1\npersons:\n"
		"  - given_names: Ana\n    first_surname: López\n    birth_date: 1990-04-01\n"
		"    sex: female\n    place: acajutla\n    census_date: 2009-03-02\n"
		"    census_round: census-2009\n"
		"  - given_names: Eva\n    first_surnam: López\n    birth_date: 1990-04-01\n"
		"    sex: female\n    place: acajutla\n    census_date: 2009-03-02\n"
		"    census_round: census-2009\n"
		"end: {records: 2}\n";
	assert_rc(youth_import_buffer(NULL, f->reg, bad, strlen(bad), "bad", NULL), YOUTH_EINVAL);
	assert_msg_has("unknown key `first_surnam`");
	assert_msg_line(11);
	assert_int_equal(persons(f->reg), 3);
}

/* ---- positions of bytes libyaml's reader refuses ----------------------------------------- */

/* Line breaks as YAML counts them (LF, CR, CR LF, NEL, LS, PS), columns in characters, the
 * same whether the input comes whole or a byte at a time (a file is read in pieces). */
static void test_position_counting(void **state)
{
	(void)state;
	static const char text[] = "a\r\nb\rc\nd\xc2\x85" "e\xe2\x80\xa8" "f\xe2\x80\xa9" "gé";
	youth__yaml_pos whole = {0, 0, {0, 0}}, bytes = {0, 0, {0, 0}};
	youth__yaml_pos_feed(&whole, (const unsigned char *)text, sizeof text - 1);
	for (size_t i = 0; i < sizeof text - 1; i++)
		youth__yaml_pos_feed(&bytes, (const unsigned char *)text + i, 1);
	assert_int_equal(whole.line, 6);
	assert_int_equal(whole.col, 2);
	assert_int_equal(bytes.line, whole.line);
	assert_int_equal(bytes.col, whole.col);
	size_t line, col;
	assert_int_equal(youth__yaml_locate_in(text, sizeof text - 1, 4, &line, &col), 0);
	assert_int_equal(line, 2); /* "b", after CR LF */
	assert_int_equal(col, 2);
	assert_int_equal(youth__yaml_locate_in(text, 3, 4, &line, &col), -1); /* past the end */
}

/* ---- page size --------------------------------------------------------------------------- */

static void test_new_registries_have_16k_pages(void **state)
{
	fx *f = *state;
	assert_int_equal(pragma_int(f->reg, "PRAGMA page_size"), 16384);
	youth_registry *mem = th_open_memory_gazetteer();
	assert_int_equal(pragma_int(mem, "PRAGMA page_size"), 16384);
	youth_registry_close(mem);
}

/* ---- early write-back of the WAL ---------------------------------------------------------- */

static int cache_size(youth_registry *reg)
{
	return pragma_int(reg, "PRAGMA cache_size");
}

/* A file registry gets one hint per 2048 records (where the system has sync_file_range()); an
 * in-memory one has no WAL and gets none.  Either way the import is whole and the connection's
 * page cache and sorter threads are the caller's again afterwards. */
static void test_writeback_hints(void **state)
{
	fx *f = *state;
	enum { N = 5000 };
	char *text = census(1, N, 0);
	int cache = cache_size(f->reg);
	/* the caller's sorter threads, other than SQLite's default and the import's own */
	assert_int_equal(sqlite3_exec(f->reg->db, "PRAGMA threads = 1", NULL, NULL, NULL), SQLITE_OK);
	int64_t before = youth__writeback_hints;
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, f->reg, text, strlen(text), "census", NULL));
	assert_int_equal(s.imported, N);
	assert_int_equal(persons(f->reg), N);
	assert_int_equal(cache_size(f->reg), cache);
	assert_int_equal(pragma_int(f->reg, "PRAGMA threads"), 1);
#ifdef HAVE_SYNC_FILE_RANGE
	assert_int_equal(youth__writeback_hints - before, N / 2048);
#else
	assert_int_equal(youth__writeback_hints - before, 0);
#endif
	youth_registry *mem = th_open_memory_gazetteer();
	before = youth__writeback_hints;
	assert_ok(youth_import_buffer(&s, mem, text, strlen(text), "census", NULL));
	assert_int_equal(s.imported, N);
	assert_int_equal(persons(mem), N);
	assert_int_equal(youth__writeback_hints, before);
	youth_registry_close(mem);
	free(text);
}

/* ---- the end of a file read on a second thread ------------------------------------------- */

/* The writer's first record takes a while: meanwhile the reader fills every slot of the queue
 * (512) and comes to the end of the file with no slot for it. */
static int slow_start(void *ctx)
{
	int *calls = ctx;
	if (++*calls == 1) {
		struct timespec ts = {0, 300 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "test_import_bulk: the import hung (reader and writer both "
	                          "waiting at the end of the file)\n";
	(void)!write(2, msg, sizeof msg - 1);
	_exit(1);
}

static void test_full_queue_at_the_end_of_the_file(void **state)
{
	fx *f = *state;
	youth__bulk_index_after = in_use;
	enum { N = 512 }; /* the queue's slots, exactly */
	char *records = census(1, N, 0);
	/* Over 256 KiB, so that it is read on a second thread; a comment costs no record. */
	size_t pad = 300 * 1024, len = strlen(records);
	char *text = malloc(pad + len + 1);
	assert_non_null(text);
	memset(text, ' ', pad);
	text[0] = '#';
	text[pad - 1] = '\n';
	memcpy(text + pad, records, len + 1);
	int calls = 0;
	sqlite3_progress_handler(f->reg->db, 1000, slow_start, &calls);
	signal(SIGALRM, on_alarm);
	alarm(60);
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, f->reg, text, strlen(text), "full", NULL));
	alarm(0);
	sqlite3_progress_handler(f->reg->db, 0, NULL, NULL);
	assert_true(calls > 1);
	assert_int_equal(s.imported, N);
	assert_int_equal(persons(f->reg), N);
	free(records);
	free(text);
}

/* ---- long list items ---------------------------------------------------------------------- */

/* A list item is written whole however long it is (the writer once copied each item into a
 * 512-byte buffer and cut it at 511 bytes), and reads back as written. */
static void test_long_list_item_written_whole(void **state)
{
	(void)state;
	enum { LONG = 2000 };
	char *item = malloc(LONG + 1);
	assert_non_null(item);
	for (int i = 0; i < LONG; i++)
		item[i] = (char)('a' + i % 26);
	item[LONG] = '\0';
	item[LONG - 1] = 'Z'; /* the last byte, which a cut would lose */
	youth__buf text = {0}, out = {0};
	assert_ok(youth__buf_printf(&text, "%s, b, %s", item, item));
	assert_ok(youth__yaml_put_list(&out, text.data));
	youth__buf want = {0};
	assert_ok(youth__buf_printf(&want, "[%s, b, %s]", item, item));
	assert_string_equal(out.data, want.data);
	/* an item that must be quoted is quoted whole too */
	text.len = out.len = want.len = 0;
	item[700] = ',';
	assert_ok(youth__buf_printf(&text, "%s", item));
	assert_ok(youth__yaml_put_list(&out, text.data));
	assert_ok(youth__buf_printf(&want, "[\"%s\"]", item));
	assert_string_equal(out.data, want.data);
	youth__buf_free(&text);
	youth__buf_free(&out);
	youth__buf_free(&want);
	free(item);
}

/* Through an import and its rejects report (the writer's user that meets items of any length:
 * a programme refused for a place path of 600 bytes), imported again: the item comes back whole
 * each time, and the second report is the first. */
static void test_long_list_item_round_trip(void **state)
{
	fx *f = *state;
	enum { LONG = 600 };
	char place[LONG + 1];
	for (int i = 0; i < LONG; i++)
		place[i] = i % 50 == 49 ? '/' : (char)('a' + i % 26);
	place[LONG] = '\0';
	youth__buf doc = {0};
	assert_ok(youth__buf_printf(&doc,
	                            "format: libyouth/1\nprogrammes:\n  - code: LONG\n"
	                            "    title: Long\n    places: [sonzacate, %s]\n"
	                            "end: {records: 1}\n", place));
	youth_interchange_summary s;
	char *first = th_import_rejects(f->reg, doc.data, doc.len, "long.yaml", &s);
	assert_int_equal(s.rejected, 1);
	youth__buf line = {0};
	assert_ok(youth__buf_printf(&line, "    places: [sonzacate, %s]\n", place));
	if (!th_contains(first, line.data))
		fail_msg("the rejects report cut the item:\n%s", first);
	char *second = th_import_rejects(f->reg, first, strlen(first), "rejects.yaml", &s);
	assert_int_equal(s.rejected, 1);
	assert_true(th_contains(second, line.data));
	youth__buf_free(&line);
	youth__buf_free(&doc);
	free(first);
	free(second);
}

/* ---- the persons of the file, remembered for the services' references -------------------- */

#define MEMO_COORDINATOR "018f0000-0000-7000-8000-0000000000a2"

/* An exchange and its coordinator, @n persons with scattered (v4-like) UUIDs, then, when @merge,
 * a merge of the second into the first, then one follow-up of each person by the coordinator,
 * the person named by UUID in capitals for every third. */
static char *persons_and_followups(int n, bool merge)
{
	size_t cap = (size_t)n * 640 + 400, len = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	len += (size_t)sprintf(buf, "format: libyouth/1\n"
	                            "exchanges:\n  - uuid: 018f0000-0000-7000-8000-0000000000c1\n"
	                            "    code: SON-01\n    name: Bolsa de empleo de Sonsonate\n"
	                            "    place: " TH_EXCHANGE_PLACE "\n"
	                            "operators:\n  - uuid: " MEMO_COORDINATOR "\n"
	                            "    exchange: 018f0000-0000-7000-8000-0000000000c1\n"
	                            "    given_names: Ana\n    first_surname: López\n"
	                            "    role: coordinator\n"
	                            "persons:\n");
	for (int i = 1; i <= n; i++)
		len += put_scattered_person(buf + len, i, i);
	if (merge) {
		char kept[37], merged[37];
		uuid_of(kept, 1);
		uuid_of(merged, 2);
		len += (size_t)sprintf(buf + len,
		                       "merges:\n  - uuid: 018f0000-0000-7000-8000-000000000e10\n"
		                       "    kept_uuid: %s\n    merged_uuid: %s\n", kept, merged);
	}
	len += (size_t)sprintf(buf + len, "followups:\n");
	for (int i = 1; i <= n; i++) {
		char uuid[37];
		uuid_of(uuid, i);
		if (i % 3 == 0)
			for (char *c = uuid; *c; c++)
				*c = (char)(*c >= 'a' && *c <= 'f' ? *c - 'a' + 'A' : *c);
		len += (size_t)sprintf(buf + len,
		                       "  - uuid: 00000000-0000-4000-9000-%012d\n"
		                       "    person: %s\n    operator: " MEMO_COORDINATOR "\n"
		                       "    date: 2009-12-01\n    horizon_months: %d\n"
		                       "    status: studying\n",
		                       i, uuid, i == 2 ? 6 : 3); /* 2 may be merged into 1 */
	}
	len += (size_t)sprintf(buf + len, "end:\n  records: %d\n", 2 + 2 * n + (merge ? 1 : 0));
	assert_true(len < cap);
	return buf;
}

static char *memo_export(youth_registry *reg)
{
	th_text b = {0};
	youth_export_options o;
	youth_export_options_init(&o);
	o.kinds = YOUTH_KIND_PERSONS | YOUTH_KIND_FOLLOWUPS;
	assert_ok(youth_export_write(NULL, reg, th_text_write, &b, &o));
	assert_non_null(b.data);
	return b.data;
}

/* Imports @text into a new registry with a memo of at most @most persons and @kib KiB of
 * import memory; returns its export and sets *@loaded to the persons the memo loaded. */
static char *memo_import_in(const char *text, size_t most, size_t kib, int64_t *loaded)
{
	size_t in_use_most = youth__person_memo_max, in_use_kib = youth__import_memory_kib;
	youth__person_memo_max = most;
	youth__import_memory_kib = kib;
	youth_registry *reg = th_open_memory_gazetteer();
	int64_t before = youth__person_memo_loaded;
	youth_interchange_summary s;
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_KEEP_GOING; /* a wrong person would be a refusal, not a stop */
	assert_ok(youth_import_buffer(&s, reg, text, strlen(text), "file", &o));
	*loaded = youth__person_memo_loaded - before;
	youth__person_memo_max = in_use_most;
	youth__import_memory_kib = in_use_kib;
	assert_int_equal(s.rejected, 0);
	char *out = memo_export(reg);
	youth_registry_close(reg);
	return out;
}

static char *memo_import(const char *text, size_t most, int64_t *loaded)
{
	return memo_import_in(text, most, youth__import_memory_kib, loaded);
}

/*
 * The memo of the persons a file adds (import.c, person_memo_load()) is loaded when the first
 * section that names persons begins, only then, and never after a merges section; full, it
 * leaves the persons it has no room for to the registry.  With a memo of any size, or none,
 * the follow-ups name the same persons: the exports are the same bytes.
 */
static void test_persons_memo(void **state)
{
	(void)state;
	enum { N = 3300 };
	char *text = persons_and_followups(N, false);
	int64_t loaded;
	char *none = memo_import(text, 0, &loaded);
	assert_int_equal(loaded, 0);
	char *small = memo_import(text, 3000, &loaded);
	assert_int_equal(loaded, 3000);
	char *whole = memo_import(text, youth__person_memo_max, &loaded);
	assert_int_equal(loaded, N);
	assert_string_equal(small, none);
	assert_string_equal(whole, none);
	assert_non_null(strstr(whole, "followups:\n"));

	/* a census: no section names a person, nothing loaded */
	char *only = census(1, 50, 0);
	youth_registry *reg = th_open_memory_gazetteer();
	int64_t before = youth__person_memo_loaded;
	assert_ok(youth_import_buffer(NULL, reg, only, strlen(only), "census", NULL));
	assert_int_equal(youth__person_memo_loaded, before);
	youth_registry_close(reg);

	/* a merges section before the follow-ups: not loaded, the merged person's UUID names the
	 * one kept */
	char *merged = persons_and_followups(40, true);
	char *m = memo_import(merged, youth__person_memo_max, &loaded);
	assert_int_equal(loaded, 0);
	reg = th_open_memory_gazetteer();
	assert_ok(youth_import_buffer(NULL, reg, merged, strlen(merged), "merged", NULL));
	youth_person *p = NULL;
	char uuid[37];
	uuid_of(uuid, 1);
	assert_ok(youth_person_get_by_uuid(&p, reg, uuid));
	youth_followup_iter *it = NULL;
	const youth_followup *fu;
	int n = 0;
	assert_ok(youth_followup_iter_new(&it, reg, p->id));
	while (youth_followup_next(&fu, it) == YOUTH_OK)
		n++;
	youth_followup_iter_free(it);
	assert_int_equal(n, 2); /* its own and the merged person's */
	youth_person_free(p);
	youth_registry_close(reg);
	free(m);
	free(merged);
	free(only);
	free(none);
	free(small);
	free(whole);
	free(text);
}

/*
 * The import's memory (import.c, split_memory()): once the first section that names persons
 * begins, the page cache, the persons memo and the facts memo share youth__import_memory_kib
 * and never take more, the cache a quarter of it at least.  With a budget too small for all
 * the persons, the memo holds some of them and the rest are read from the registry: the same
 * export, byte for byte.
 */
static void test_import_memory_split(void **state)
{
	(void)state;
	enum { N = 3300 };
	char *text = persons_and_followups(N, false);
	int64_t loaded;
	char *none = memo_import(text, 0, &loaded);

	/* the default budget: every person in the memo, the rest for the cache */
	size_t kib = youth__import_memory_kib;
	char *all = memo_import_in(text, SIZE_MAX, kib, &loaded);
	youth__memory_split sp = youth__import_split;
	assert_int_equal(loaded, N);
	assert_true(sp.memo_bytes >= (size_t)N * 20 && sp.memo_bytes < (size_t)N * 30);
	assert_true(sp.facts_bytes > 0);
	assert_true((size_t)sp.cache_kib * 1024 + sp.memo_bytes + sp.facts_bytes <= kib * 1024);
	assert_true((size_t)sp.cache_kib * 1024 + sp.memo_bytes + sp.facts_bytes > kib * 1024 - 1024);
	assert_string_equal(all, none);

	/* 64 KiB: the facts of the 3 300 persons (41 KiB) first, the memo what is left of the
	 * three quarters, the cache the rest */
	char *few = memo_import_in(text, SIZE_MAX, 64, &loaded);
	sp = youth__import_split;
	assert_true(loaded > 0 && loaded < N);
	assert_true(sp.memo_bytes >= (size_t)loaded * 20);
	assert_true(sp.memo_bytes + sp.facts_bytes <= 48 * 1024);
	assert_true(sp.cache_kib >= 16);
	assert_true((size_t)sp.cache_kib * 1024 + sp.memo_bytes + sp.facts_bytes <= 64 * 1024);
	assert_string_equal(few, none);

	/* 1 KiB: no room for a block of facts (64 persons, 792 bytes in three quarters of it),
	 * the memo takes the 768 bytes: 38 slots, 29 persons */
	char *tiny = memo_import_in(text, SIZE_MAX, 1, &loaded);
	sp = youth__import_split;
	assert_int_equal(sp.facts_bytes, 0);
	assert_int_equal(loaded, 29);
	assert_true(sp.memo_bytes <= 768);
	assert_string_equal(tiny, none);
	free(tiny);
	free(few);
	free(all);
	free(none);
	free(text);
}

/* The order in which an import set its sorter threads and built the persons' and the
 * follow-ups' UUID indexes: one letter each, "1" and "2" for PRAGMA threads, "P" and "F" for
 * the CREATEs. */
static int on_sort_trace(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	(void)x;
	char *seq = ctx, *sql = sqlite3_expanded_sql(p);
	char c = 0;
	if (!sql)
		return 0;
	if (th_contains(sql, "PRAGMA threads = 1"))
		c = '1';
	else if (th_contains(sql, "PRAGMA threads = 2"))
		c = '2';
	else if (th_contains(sql, "CREATE UNIQUE INDEX \"person_uuid\""))
		c = 'P';
	else if (th_contains(sql, "CREATE UNIQUE INDEX \"followup_uuid\""))
		c = 'F';
	size_t n = strlen(seq);
	if (c && n < 15) {
		seq[n] = c;
		seq[n + 1] = '\0';
	}
	sqlite3_free(sql);
	return 0;
}

/*
 * The indexes a section deferred are sorted again between two sections with one helper thread
 * of SQLite's sorter (the memos are held then), at the end of the import with two.  With a
 * sort cache of 16 KiB (SQLite's smallest runs, ten pages) the sorts of 6 000 persons do not
 * fit in memory and spill sorted runs to a temporary file (strace shows it, and the helper
 * thread): the registry is the one an import without any deferral writes.
 */
static void test_sorts_between_sections(void **state)
{
	fx *f = *state;
	enum { N = 6000 };
	char *text = persons_and_followups(N, false);
	youth_registry *plain = th_open_memory_gazetteer();
	youth__bulk_index_after = 1000000;
	assert_ok(youth_import_buffer(NULL, plain, text, strlen(text), "plain", NULL));
	youth__bulk_index_after = 10;
	char *want = memo_export(plain);
	youth_registry_close(plain);

	int sort_kib = youth__sort_cache_kib;
	youth__sort_cache_kib = 16;
	char seq[16] = "";
	sqlite3_trace_v2(f->reg->db, SQLITE_TRACE_STMT, on_sort_trace, seq);
	youth_interchange_summary s;
	int rc = youth_import_buffer(&s, f->reg, text, strlen(text), "sorted", NULL);
	sqlite3_trace_v2(f->reg->db, 0, NULL, NULL);
	youth__sort_cache_kib = sort_kib;
	assert_ok(rc);
	assert_int_equal(s.imported, 2 + 2 * N);
	/* two for the import, one for the persons' sort, two after it; the follow-ups' at the end */
	assert_string_equal(seq, "21P2F");
	char *got = memo_export(f->reg);
	assert_string_equal(got, want);
	assert_ok(youth_registry_check(f->reg));
	assert_int_equal(pragma_int(f->reg, "PRAGMA threads"), 0); /* the connection's own again */
	free(got);
	free(want);
	free(text);
}

/* A load whose transaction SQLite rolled back behind the library's back (as after an out-of-memory
 * failure that a caller did not pass on) runs no further statement: it would autocommit and
 * keep part of the load. */
static void test_no_statement_after_a_silent_rollback(void **state)
{
	fx *f = *state;
	assert_ok(youth_registry_begin(f->reg));
	f->reg->bulk = true;
	assert_int_equal(sqlite3_exec(f->reg->db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *st = NULL;
	assert_rc(youth__stmt(f->reg, "SELECT count(*) FROM person", &st), YOUTH_ERROR);
	assert_msg_has("rolled the load's transaction back");
	f->reg->bulk = false;
	assert_ok(youth__stmt(f->reg, "SELECT count(*) FROM person", &st));
	sqlite3_reset(st);
	youth_registry_rollback(f->reg); /* the library's own bookkeeping */
}

/* The persons of a file from elsewhere come in any order, not grouped by place: the place
 * texts are remembered whatever their order, each looked up in the place table once (a direct-
 * mapped cache of 64 texts sent 79 % of a national file's persons in scattered order to the
 * table, 100 000 instructions a look-up).  At its bound the memo is emptied and filled again,
 * with the same answers; a rollback empties it. */
#define MEMO_PLACES 300
#define MEMO_PERSONS 3000
static char *scattered_places(int n, int round)
{
	size_t cap = (size_t)n * 300 + 200, len = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	len += (size_t)sprintf(buf, "format: libyouth/1\npersons:\n");
	for (int i = 0; i < n; i++)
		len += (size_t)sprintf(buf + len,
		                       "  - given_names: Persona %d\n    first_surname: Ruiz\n"
		                       "    birth_date: 1991-%02d-%02d\n    sex: female\n"
		                       "    place: sonsonate/sonsonate-centro/sonzacate/comunidad-%d\n"
		                       "    census_date: 2009-03-02\n    census_round: census-2009\n",
		                       round * n + i, 1 + i % 12, 1 + i % 28,
		                       (int)((unsigned)i * 7919u % MEMO_PLACES));
	sprintf(buf + len, "end:\n  records: %d\n", n);
	assert_true(strlen(buf) < cap);
	return buf;
}

static void expect_persons_per_place(youth_registry *reg, int64_t each)
{
	for (int k = 0; k < MEMO_PLACES; k++) {
		char path[96];
		snprintf(path, sizeof path, "sonsonate/sonsonate-centro/sonzacate/comunidad-%d", k);
		youth_person_filter pf;
		memset(&pf, 0, sizeof pf);
		pf.place = path;
		int64_t n = -1;
		assert_ok(youth_person_count(&n, reg, &pf));
		if (n != each)
			fail_msg("%s: %lld persons, expected %lld", path, (long long)n, (long long)each);
	}
}

static void add_memo_places(fx *f)
{
	for (int k = 0; k < MEMO_PLACES; k++) {
		char name[32];
		snprintf(name, sizeof name, "Comunidad %d", k);
		assert_ok(youth_place_add(NULL, f->reg, "sonsonate/sonsonate-centro/sonzacate", name, 0));
	}
}

static void test_places_remembered_in_any_order(void **state)
{
	fx *f = *state;
	add_memo_places(f);
	f->reg->place_queries = 0;
	char *text = scattered_places(MEMO_PERSONS, 0);
	youth_interchange_summary sum;
	assert_ok(youth_import_buffer(&sum, f->reg, text, strlen(text), "scattered.yaml", NULL));
	free(text);
	assert_int_equal(sum.imported, MEMO_PERSONS);
	assert_int_equal(f->reg->place_queries, MEMO_PLACES);
	assert_int_equal(f->reg->places.n, MEMO_PLACES);
	expect_persons_per_place(f->reg, MEMO_PERSONS / MEMO_PLACES);

	/* at its bound (64 slots, 48 texts) it starts again: more look-ups, the same answers */
	youth__textmap_free(&f->reg->places);
	youth__textmap_init(&f->reg->places, 64);
	f->reg->place_queries = 0;
	text = scattered_places(MEMO_PERSONS, 1);
	assert_ok(youth_import_buffer(&sum, f->reg, text, strlen(text), "scattered.yaml", NULL));
	free(text);
	assert_true(f->reg->places.cap <= 64);
	assert_true(f->reg->places.n <= 48);
	assert_true(f->reg->place_queries > MEMO_PLACES);
	expect_persons_per_place(f->reg, 2 * MEMO_PERSONS / MEMO_PLACES);

	/* emptied by a rollback in O(1); after the generation wraps every slot reads as free */
	assert_true(f->reg->places.n > 0);
	assert_ok(youth_registry_begin(f->reg));
	assert_ok(youth_registry_rollback(f->reg));
	assert_int_equal(f->reg->places.n, 0);
	f->reg->places.gen = UINT32_MAX;
	youth__place_cache_clear(f->reg);
	assert_int_equal(f->reg->places.gen, 1);
	f->reg->place_queries = 0;
	expect_persons_per_place(f->reg, 2 * MEMO_PERSONS / MEMO_PLACES);
	assert_int_equal(f->reg->place_queries, MEMO_PLACES);
}

/* Counts the executions of the pseudonymised export's count of the persons at a place. */
static int on_count_trace(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	(void)x;
	const char *sql = sqlite3_sql(p);
	if (sql && th_contains(sql, "SELECT count(*) FROM person p JOIN place pl"))
		++*(int *)ctx;
	return 0;
}

static void pseudonymised(fx *f, const char *key, int k, th_text *out, int *counts)
{
	youth_export_options o;
	youth_export_options_init(&o);
	o.flags = YOUTH_EXPORT_PSEUDONYMISE;
	o.pseudonym_key_file = key;
	o.k = k;
	memset(out, 0, sizeof *out);
	*counts = 0;
	sqlite3_trace_v2(f->reg->db, SQLITE_TRACE_STMT, on_count_trace, counts);
	assert_ok(youth_export_write(NULL, f->reg, th_text_write, out, &o));
	sqlite3_trace_v2(f->reg->db, 0, NULL, NULL);
}

static int occurrences(const char *text, const char *what)
{
	int n = 0;
	for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

/* A pseudonymised export names a place only where at least k persons live, counting them for
 * each place it meets: once a place, in whatever order its persons come (it remembered the
 * last 64 places, and a registry loaded in a scattered order counted again for most persons:
 * 17 s for a million district by district, 136 s scattered). */
static void test_pseudonymised_export_counts_each_place_once(void **state)
{
	fx *f = *state;
	add_memo_places(f);
	char *text = scattered_places(MEMO_PERSONS, 0);
	assert_ok(youth_import_buffer(NULL, f->reg, text, strlen(text), "scattered.yaml", NULL));
	free(text);
	char *key = th_path(f->dir, "pseudonym.key");
	assert_ok(youth_key_new(key));
	th_text out;
	int counts;
	/* 10 persons a community: k = 10 names each, one count each */
	pseudonymised(f, key, 10, &out, &counts);
	assert_int_equal(counts, MEMO_PLACES);
	assert_int_equal(occurrences(out.data, "place: sonsonate/sonsonate-centro/sonzacate/comunidad-"),
	                 MEMO_PERSONS);
	char *named = out.data;
	/* k = 11: each community shows as its district, two counts a community */
	pseudonymised(f, key, 11, &out, &counts);
	assert_int_equal(counts, 2 * MEMO_PLACES);
	assert_int_equal(occurrences(out.data, "place: sonsonate/sonsonate-centro/sonzacate/"), 0);
	assert_int_equal(occurrences(out.data, "place: sonsonate/sonsonate-centro/sonzacate\n"),
	                 MEMO_PERSONS);
	free(out.data);
	/* the same text as an export that counts every person again: same bytes */
	pseudonymised(f, key, 10, &out, &counts);
	assert_string_equal(out.data, named);
	free(out.data);
	free(named);
	free(key);
}


/* ---- the operators of the services, read once an import --------------------------------- */

#define OPS_EXCHANGE_1 "018f0000-0000-7000-8000-0000000000c1"
#define OPS_EXCHANGE_2 "018f0000-0000-7000-8000-0000000000c2"
#define OPS_N 4

/* Two exchanges, OPS_N operators (the even ones of the first exchange, the odd ones of the
 * second; the last one has left), @n persons from @first on, and a follow-up of each by
 * operator (person % OPS_N); @with_staff 0 leaves the exchanges and operators out. */
static char *followups_by_operators(int first, int n, bool with_staff, int horizon)
{
	size_t cap = (size_t)n * 900 + 2000, len = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	len += (size_t)sprintf(buf, "format: libyouth/1\n");
	if (with_staff) {
		len += (size_t)sprintf(buf + len, "exchanges:\n");
		for (int e = 1; e <= 2; e++)
			len += (size_t)sprintf(buf + len, "  - uuid: 018f0000-0000-7000-8000-0000000000c%d\n"
			                                  "    code: EX-%d\n    name: Bolsa %d\n"
			                                  "    place: " TH_EXCHANGE_PLACE "\n", e, e, e);
		len += (size_t)sprintf(buf + len, "operators:\n");
		for (int o = 0; o < OPS_N; o++)
			len += (size_t)sprintf(buf + len,
			                       "  - uuid: 018f0000-0000-7000-8000-0000000000d%d\n"
			                       "    exchange: %s\n    given_names: Operador %d\n"
			                       "    first_surname: Pérez\n    role: counsellor\n"
			                       "    active: %s\n", o, o % 2 ? OPS_EXCHANGE_2 : OPS_EXCHANGE_1,
			                       o, o == OPS_N - 1 ? "false" : "true");
		len += (size_t)sprintf(buf + len, "persons:\n");
		for (int i = first; i < first + n; i++)
			len += put_scattered_person(buf + len, i, i);
	}
	len += (size_t)sprintf(buf + len, "followups:\n");
	for (int i = first; i < first + n; i++) {
		char uuid[37];
		uuid_of(uuid, i);
		len += (size_t)sprintf(buf + len,
		                       "  - uuid: 00000000-0000-4000-9000-%06d%06d\n"
		                       "    person: %s\n"
		                       "    operator: 018f0000-0000-7000-8000-0000000000d%d\n"
		                       "    date: 2009-12-01\n    horizon_months: %d\n"
		                       "    status: studying\n", horizon, i, uuid, i % OPS_N, horizon);
	}
	int records = n + (with_staff ? 2 + OPS_N + n : 0);
	len += (size_t)sprintf(buf + len, "end:\n  records: %d\n", records);
	assert_true(len < cap);
	return buf;
}

/* Follow-ups whose exchange is not their operator's (0 when every one is right). */
static int64_t followups_off_exchange(fx *f)
{
	return th_raw_count(f->path, "SELECT count(*) FROM followup fu JOIN operator o ON "
	                             "o.id = fu.operator_id WHERE fu.exchange_id IS NOT o.exchange_id");
}

/*
 * Every service names the operator who recorded it, and a national file has a few hundred
 * operators for millions of services: an import reads each operator once (the registry's
 * operator memo, exchange.c), not once a service.  The memo is read only inside the import's
 * transaction, so an operator changed between two imports (by another process here: no call of
 * this handle could tell it) is read again, and the services take its new exchange.
 */
static void test_operators_read_once_an_import(void **state)
{
	fx *f = *state;
	enum { N = 60 };
	char *text = followups_by_operators(1, N, true, 3);
	youth_interchange_summary sum;
	f->reg->operator_queries = 0;
	assert_ok(youth_import_buffer(&sum, f->reg, text, strlen(text), "ops.yaml", NULL));
	free(text);
	assert_int_equal(sum.imported, 2 + OPS_N + 2 * N);
	assert_int_equal(f->reg->operator_queries, OPS_N);
	assert_int_equal(followups_off_exchange(f), 0);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM followup"), N);
	/* the one who has left recorded them while active, and stays inactive */
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM operator WHERE active = 0"), 1);

	/* another process moves operator 0 to the second exchange */
	sqlite3 *other;
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "UPDATE operator SET exchange_id = (SELECT id FROM "
	                                     "exchange WHERE code = 'EX-2') WHERE uuid = "
	                                     "'018f0000-0000-7000-8000-0000000000d0'", NULL, NULL,
	                              NULL), SQLITE_OK);
	assert_int_equal(sqlite3_changes(other), 1);
	sqlite3_close(other);
	text = followups_by_operators(1, N, false, 6);
	f->reg->operator_queries = 0;
	assert_ok(youth_import_buffer(&sum, f->reg, text, strlen(text), "ops-2.yaml", NULL));
	free(text);
	assert_int_equal(sum.imported, N);
	assert_int_equal(f->reg->operator_queries, OPS_N);
	/* the follow-ups of the first import keep the exchange they were recorded in */
	assert_int_equal(followups_off_exchange(f), N / OPS_N);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM followup fu JOIN operator o ON "
	                                       "o.id = fu.operator_id WHERE fu.horizon_months = 6 AND "
	                                       "fu.exchange_id IS NOT o.exchange_id"), 0);
	/* outside an import the memo is not read: every check reads the operator */
	f->reg->operator_queries = 0;
	youth_operator *o = NULL;
	assert_ok(youth_operator_get(&o, f->reg, 1));
	int64_t exchange = o->exchange_id;
	o->exchange_id = exchange == 1 ? 2 : 1;
	assert_ok(youth_operator_update(f->reg, o));
	youth_operator_free(o);
	assert_int_equal(f->reg->operator_queries, 0);
}

/*
 * A commit that fails rolls the transaction back: a place or an operator it added is gone, and
 * its id will be given to the next one.  The memos of place texts and operators must forget
 * them, or a text naming the place that is gone would name the place that took its id.
 */
static void test_failed_commit_forgets_the_memos(void **state)
{
	fx *f = *state;
	static const char parent[] = "sonsonate/sonsonate-centro/sonzacate";
	static const char census_gone[] =
		"format: libyouth/1\npersons:\n"
		"  - given_names: Marta\n    first_surname: Ruiz\n    birth_date: 1991-02-03\n"
		"    sex: female\n    place: sonsonate/sonsonate-centro/sonzacate/colonia-efimera\n"
		"    census_date: 2009-03-02\n    census_round: census-2009\n"
		"end:\n  records: 1\n";
	youth_interchange_summary sum;
	int64_t gone, taken;
	assert_ok(youth_registry_begin(f->reg));
	assert_ok(youth_place_add(&gone, f->reg, parent, "Colonia Efímera", 0));
	assert_ok(youth_import_buffer(&sum, f->reg, census_gone, strlen(census_gone), "a.yaml", NULL));
	assert_int_equal(sum.imported, 1);
	assert_true(f->reg->places.n > 0);
	char *services = followups_by_operators(1, OPS_N, true, 3);
	assert_ok(youth_import_buffer(&sum, f->reg, services, strlen(services), "b.yaml", NULL));
	free(services);
	assert_true(f->reg->operators_used);
	/* a broken reference, found only at the commit */
	assert_int_equal(sqlite3_exec(f->reg->db, "PRAGMA defer_foreign_keys = ON; "
	                                          "INSERT INTO programme_place VALUES (9999, 9999)",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(youth_registry_commit(f->reg), YOUTH_OK);
	assert_msg_has("commit failed");
	assert_int_equal(youth_registry_in_transaction(f->reg), 0);
	assert_int_equal(f->reg->places.n, 0);
	assert_false(f->reg->operators_used);
	/* the text names no place now (it named the id of the place that is gone) */
	assert_int_equal(youth_import_buffer(&sum, f->reg, census_gone, strlen(census_gone),
	                                     "a.yaml", NULL), YOUTH_ENOTFOUND);
	assert_msg_has("not in the gazetteer");

	assert_ok(youth_place_add(&taken, f->reg, parent, "Colonia Nueva", 0));
	assert_int_equal(taken, gone);
	assert_int_equal(youth_import_buffer(&sum, f->reg, census_gone, strlen(census_gone),
	                                     "a.yaml", NULL), YOUTH_ENOTFOUND);
	assert_msg_has("not in the gazetteer");
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM person"), 0);
}

/* ---- the first load: a rollback journal instead of the WAL --------------------------------- */

/* What the import's writer saw of its connection, from the progress callback. */
typedef struct seen {
	youth_registry *reg;
	const char *path;
	char mode[16];    /* journal_mode during the import */
	int synchronous;  /* during the import */
	bool journal;     /* a -journal file beside the registry */
	int calls;
	int die_after;    /* > 0: flush the pages to the file and SIGKILL the process at that call */
	bool try_reader;  /* at the first call: flush the pages, then open a reader */
	int reader_rc;    /* what youth_registry_open() of the reader returned */
	char reader_msg[300];
} seen;

static char *side(const char *path, const char *suffix)
{
	char *name = malloc(strlen(path) + strlen(suffix) + 1);
	assert_non_null(name);
	return strcat(strcpy(name, path), suffix);
}

static int look(void *ctx, int64_t records, int64_t bytes)
{
	(void)records;
	(void)bytes;
	seen *w = ctx;
	if (w->calls++ == 0) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(w->reg->db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			snprintf(w->mode, sizeof w->mode, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		w->synchronous = pragma_int(w->reg, "PRAGMA synchronous");
	}
	char *j = side(w->path, "-journal");
	w->journal |= th_exists(j);
	free(j);
	if (w->try_reader && w->calls == 1) {
		sqlite3_db_cacheflush(w->reg->db);
		youth_registry *r = NULL;
		w->reader_rc = youth_registry_open(&r, w->path, YOUTH_OPEN_READONLY);
		snprintf(w->reader_msg, sizeof w->reader_msg, "%s", youth_error_last()->message);
		youth_registry_close(r);
	}
	if (w->die_after && w->calls == w->die_after) {
		/* the load's pages in the file, as a large load spills them, then the end of the
		 * process as a power cut or kill -9 ends it */
		sqlite3_db_cacheflush(w->reg->db);
		raise(SIGKILL);
	}
	return 0;
}

static void import_watched(youth_registry *reg, const char *path, const char *text, seen *w,
                           int want)
{
	memset(w, 0, sizeof *w);
	w->reg = reg;
	w->path = path;
	youth_import_options o;
	youth_import_options_init(&o);
	o.progress = look;
	o.progress_ctx = w;
	youth_interchange_summary s;
	assert_int_equal(youth_import_buffer(&s, reg, text, strlen(text), "census", &o), want);
	assert_true(w->calls > 0);
}

/* Pages in the -wal file (frames of 24 + 16 384 bytes after its 32-byte header). */
static long wal_pages(const char *path)
{
	char *wal = side(path, "-wal");
	long size = th_file_size(wal);
	free(wal);
	return size <= 32 ? 0 : (size - 32) / (24 + 16384);
}

static void assert_back_in_wal(youth_registry *reg, const char *path)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(reg->db, "PRAGMA journal_mode", -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(pragma_int(reg, "PRAGMA synchronous"), 2); /* FULL */
	assert_false(reg->first_load);
	char *j = side(path, "-journal");
	assert_false(th_exists(j));
	free(j);
}

/*
 * An import into a registry with nobody in it writes through a rollback journal (its pages once,
 * not into the WAL and again at the checkpoint), with synchronous EXTRA; the registry is in WAL
 * mode again afterwards, whole and sound.  The next import, into a registry that now has
 * persons, keeps the WAL; so does a failed first load, rolled back, the registry as it was.
 */
static void test_first_load_writes_once(void **state)
{
	fx *f = *state;
	enum { N = 5000 }; /* a progress call at 4096, before the bad record */
	char *bad = census(1, N, N - 5);
	seen w;
	import_watched(f->reg, f->path, bad, &w, YOUTH_EINVAL);
	assert_string_equal(w.mode, "delete");
	assert_int_equal(w.synchronous, 3); /* EXTRA */
	assert_true(w.journal);
	assert_back_in_wal(f->reg, f->path);
	assert_int_equal(persons(f->reg), 0);
	assert_ok(youth_registry_check(f->reg));
	free(bad);

	/* The load's pages go to the file, none through the WAL: afterwards it holds at most
	 * page 1, which the switch back to the WAL wrote. */
	char *text = census(1, N, 0);
	import_watched(f->reg, f->path, text, &w, YOUTH_OK);
	assert_string_equal(w.mode, "delete");
	assert_true(w.journal);
	assert_back_in_wal(f->reg, f->path);
	assert_true(wal_pages(f->path) <= 1);
	assert_int_equal(persons(f->reg), N);
	assert_ok(youth_registry_check(f->reg));
	free(text);

	/* a registry with persons: the WAL, every page of the import in it */
	text = census(N + 1, 2000, 0);
	long wal_then = wal_pages(f->path);
	import_watched(f->reg, f->path, text, &w, YOUTH_OK);
	assert_string_equal(w.mode, "wal");
	assert_int_equal(w.synchronous, 2);
	assert_false(w.journal);
	assert_true(wal_pages(f->path) > wal_then + 20);
	assert_int_equal(persons(f->reg), N + 2000);
	free(text);

	/* everything there for a new handle too */
	youth_registry_close(f->reg);
	assert_ok(youth_registry_open(&f->reg, f->path, YOUTH_OPEN_READONLY));
	assert_int_equal(persons(f->reg), N + 2000);
	assert_ok(youth_registry_check(f->reg));
}

/* A registry another handle has open is loaded through the WAL, which lets that handle read it
 * meanwhile; so is a dry run, which writes nothing, and an import inside the caller's
 * transaction. */
static void test_first_load_only_alone(void **state)
{
	fx *f = *state;
	char *text = census(1, 500, 0);
	seen w;
	youth_registry *other;
	assert_ok(youth_registry_open(&other, f->path, YOUTH_OPEN_READONLY));
	assert_int_equal(persons(other), 0);
	import_watched(f->reg, f->path, text, &w, YOUTH_OK);
	assert_string_equal(w.mode, "wal");
	assert_false(w.journal);
	assert_int_equal(persons(other), 500);
	youth_registry_close(other);
	assert_back_in_wal(f->reg, f->path);

	youth_registry_close(f->reg);
	th_rmtree(f->dir);
	free(f->dir);
	free(f->path);
	f->dir = th_tmpdir();
	f->path = th_path(f->dir, "bulk.youth");
	assert_ok(youth_registry_open(&f->reg, f->path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, f->reg, TH_GAZETTEER));
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_DRY_RUN;
	o.progress = look;
	o.progress_ctx = &w;
	memset(&w, 0, sizeof w);
	w.reg = f->reg;
	w.path = f->path;
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, f->reg, text, strlen(text), "census", &o));
	assert_string_equal(w.mode, "wal");
	assert_int_equal(persons(f->reg), 0);

	assert_ok(youth_registry_begin(f->reg));
	import_watched(f->reg, f->path, text, &w, YOUTH_OK);
	assert_string_equal(w.mode, "wal");
	assert_ok(youth_registry_commit(f->reg));
	assert_int_equal(persons(f->reg), 500);
	assert_back_in_wal(f->reg, f->path);
	free(text);
}

/* While a first load holds the registry (its pages spilled to the file), another connection
 * cannot read it: it waits for its busy timeout (5 s) and fails with YOUTH_EBUSY, saying the
 * registry is busy, not reading a registry half loaded.  The load is not disturbed. */
static void test_first_load_holds_readers_off(void **state)
{
	fx *f = *state;
	enum { N = 5000 };
	char *text = census(1, N, 0);
	seen w = {.reg = f->reg, .path = f->path, .try_reader = true};
	youth_import_options o;
	youth_import_options_init(&o);
	o.progress = look;
	o.progress_ctx = &w;
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, f->reg, text, strlen(text), "census", &o));
	assert_string_equal(w.mode, "delete");
	assert_int_equal(w.reader_rc, YOUTH_EBUSY);
	assert_true(th_contains(w.reader_msg, "busy"));
	assert_int_equal(persons(f->reg), N);
	assert_back_in_wal(f->reg, f->path);
	free(text);
}

/*
 * A first load killed after some of its pages reached the file leaves its rollback journal.
 * A read-only open refuses the file and says what to do (an immutable open would read the torn
 * pages); the next read-write open rolls the load back: no person, the file sound and in WAL
 * mode, and the load can be run again.
 */
static void test_first_load_killed(void **state)
{
	fx *f = *state;
	enum { N = 20000 };
	char *text = census(1, N, 0);
	youth_registry_close(f->reg); /* the child must have the file to itself */
	f->reg = NULL;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		youth_registry *reg;
		if (youth_registry_open(&reg, f->path, 0) != YOUTH_OK)
			_exit(3);
		seen w = {.reg = reg, .path = f->path, .die_after = 3};
		youth_import_options o;
		youth_import_options_init(&o);
		o.progress = look;
		o.progress_ctx = &w;
		youth_import_buffer(NULL, reg, text, strlen(text), "census", &o);
		_exit(4); /* the import ended before the kill: the test is wrong */
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	char *j = side(f->path, "-journal");
	assert_true(th_file_size(j) > 0);

	youth_registry *ro = NULL;
	assert_int_equal(youth_registry_open(&ro, f->path, YOUTH_OPEN_READONLY), YOUTH_EREADONLY);
	assert_null(ro);
	assert_msg_has("-journal");
	assert_msg_has("open it once read-write");
	assert_true(th_file_size(j) > 0);

	assert_ok(youth_registry_open(&f->reg, f->path, 0));
	assert_false(th_exists(j));
	assert_int_equal(persons(f->reg), 0);
	assert_ok(youth_registry_check(f->reg));
	assert_back_in_wal(f->reg, f->path);
	youth_interchange_summary s;
	assert_ok(youth_import_buffer(&s, f->reg, text, strlen(text), "census", NULL));
	assert_int_equal(persons(f->reg), N);
	assert_ok(youth_registry_check(f->reg));
	free(j);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_index_dropped_and_built_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_back_after_failure_dry_run_and_rollback,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_uuid_index_dropped_and_built_again, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_uuid_repeated_while_deferred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uuid_index_kept_by_other_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_services_defer_their_uuid_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_big_table_keeps_its_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_iterator_keeps_the_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_memory_with_the_index_dropped, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_keys_in_any_order, setup, teardown),
		cmocka_unit_test(test_position_counting),
		cmocka_unit_test_setup_teardown(test_new_registries_have_16k_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_queue_at_the_end_of_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writeback_hints, setup, teardown),
		cmocka_unit_test(test_long_list_item_written_whole),
		cmocka_unit_test_setup_teardown(test_long_list_item_round_trip, setup, teardown),
		cmocka_unit_test(test_persons_memo),
		cmocka_unit_test(test_import_memory_split),
		cmocka_unit_test_setup_teardown(test_sorts_between_sections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_places_remembered_in_any_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pseudonymised_export_counts_each_place_once, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_no_statement_after_a_silent_rollback, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_operators_read_once_an_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_commit_forgets_the_memos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_load_writes_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_load_only_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_load_holds_readers_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_load_killed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
