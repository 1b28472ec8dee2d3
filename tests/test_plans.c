/*
 * Query plans of the interchange: no statement an import or an export runs may walk a table
 * that grows with the registry once per record (issue 14: the override look-up of every
 * exported enrollment scanned the whole override table, so exports were quadratic).
 *
 * White-box: the statements are not listed by hand but caught as they run.  The sample
 * registry (every section, overrides included) is exported, the file imported into an empty
 * registry, then again with upsert (the look-ups and comparisons of records already there)
 * and in keep-going mode (the refusals), and a partial export is made by place and period;
 * sqlite3_trace_v2() records the text of every statement run.  Each one's EXPLAIN QUERY PLAN
 * must then search, not scan: a `SCAN` is allowed only
 *   - as the outer loop of a section's own export query (the walk of the section, once per
 *     export: linear), and
 *   - of the small tables listed in tiny_tables[] below, each with its reason, and
 *   - in the statements of once_per_run[], run once per import or export, each with its reason.
 */
#define _GNU_SOURCE
#include "helpers.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "private.h"
#include "private_names.h"
#include "../examples/sample/services.h"

/* Tables whose size does not grow with the persons and services of a registry. */
static const char *const tiny_tables[] = {
	"place_level", /* at most 4 rows, one per level of the gazetteer (CHECK level 1-4) */
	"audit_state", /* at most 1 row: the audit trail's switch (CHECK id = 1) */
	"sqlite_schema", /* the schema itself: the import reads an index's CREATE once per run */
	NULL,
};

/* Statements run once per import or export, not per record (by the start of their text). */
static const char *const once_per_run[] = {
	/* import.c: whether the table was empty enough to defer its index, once per section */
	"SELECT count(*) FROM",
	"SELECT count(*) >", /* import.c, defer_indexes(): whether the table held few rows */
	NULL,
};

typedef struct traced {
	char **sql;
	size_t n, cap;
} traced;

static int on_stmt(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	(void)x;
	traced *t = ctx;
	const char *sql = sqlite3_sql(p);
	if (!sql)
		return 0;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->sql[i], sql) == 0)
			return 0;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->sql = realloc(t->sql, t->cap * sizeof *t->sql);
		assert_non_null(t->sql);
	}
	t->sql[t->n] = strdup(sql);
	assert_non_null(t->sql[t->n]);
	t->n++;
	return 0;
}

static void trace(youth_registry *reg, traced *t)
{
	assert_int_equal(sqlite3_trace_v2(reg->db, SQLITE_TRACE_STMT, on_stmt, t), SQLITE_OK);
}

static bool starts_with_any(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strncmp(s, *list, strlen(*list)) == 0)
			return true;
	return false;
}

static bool is_export_query(const char *sql)
{
	for (size_t i = 0; i < youth__n_sections; i++)
		if (youth__sections[i]->export_sql && strcmp(youth__sections[i]->export_sql, sql) == 0)
			return true;
	return false;
}

/* The table a plan line names: "SCAN t", "SCAN t USING ...": the word after SCAN. */
static void scanned(const char *detail, char *out, size_t size)
{
	const char *p = detail + strlen("SCAN ");
	size_t n = strcspn(p, " ");
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

/* The real table behind alias @a in @sql ("FROM enrollment e" -> enrollment), else @a. */
static void table_of(const char *sql, const char *a, char *out, size_t size)
{
	snprintf(out, size, "%s", a);
	size_t n = strlen(a);
	for (const char *p = sql; (p = strstr(p, a)) != NULL; p += n) {
		/* "<table> <alias>" followed by a separator */
		if (p == sql || p[-1] != ' ' || (p[n] != ' ' && p[n] != ',' && p[n] != ')' && p[n]))
			continue;
		const char *end = p - 1, *start = end;
		while (start > sql && start[-1] != ' ' && start[-1] != '(')
			start--;
		if (end > start && strncmp(start, "AS", 2) != 0) {
			const char *before = start;
			while (before > sql && before[-1] == ' ')
				before--;
			/* the word before must be FROM or JOIN for this to be a table's alias */
			if ((before - sql >= 4 && strncmp(before - 4, "FROM", 4) == 0) ||
			    (before - sql >= 4 && strncmp(before - 4, "JOIN", 4) == 0)) {
				snprintf(out, size, "%.*s", (int)(end - start), start);
				return;
			}
		}
	}
}

static bool tiny(const char *table)
{
	for (const char *const *t = tiny_tables; *t; t++)
		if (strcmp(*t, table) == 0)
			return true;
	return false;
}

/* Where @sql tests a list of more than two constants with IN ("state IN (1, 2, 3)"), or NULL.
 * SQLite evaluates such a list through a temporary B-tree of the constants, built again each
 * time the statement runs (schema.c, constant_lists_unrolled()); two or fewer it compares in
 * place, and a list with a SELECT is a subquery, planned like any other. */
static const char *constant_in_list(const char *sql)
{
	for (const char *p = sql; *p; p++) {
		if (strncasecmp(p, "IN", 2) != 0 || (p > sql && (isalnum((unsigned char)p[-1]) ||
		                                                  p[-1] == '_')))
			continue;
		const char *q = p + 2;
		while (*q == ' ' || *q == '\n' || *q == '\t')
			q++;
		if (*q != '(')
			continue;
		int depth = 0, commas = 0;
		bool select = false;
		for (const char *r = q; *r; r++) {
			if (*r == '(')
				depth++;
			else if (*r == ')' && --depth == 0)
				break;
			else if (*r == ',' && depth == 1)
				commas++;
			else if (strncasecmp(r, "SELECT", 6) == 0)
				select = true;
		}
		if (!select && commas >= 2)
			return p;
	}
	return NULL;
}

/* Counts the scans of @sql that are not allowed, printing each. */
static int check_plan(youth_registry *reg, const char *sql)
{
	if (strncmp(sql, "--", 2) == 0 || starts_with_any(sql, once_per_run))
		return 0;
	char *eqp = malloc(strlen(sql) + 32);
	assert_non_null(eqp);
	sprintf(eqp, "EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(reg->db, eqp, -1, &st, NULL);
	free(eqp);
	if (rc != SQLITE_OK) /* PRAGMA, BEGIN, SAVEPOINT...: nothing to plan */
		return 0;
	bool export_query = is_export_query(sql), outer_seen = false;
	int bad = 0;
	const char *list = constant_in_list(sql);
	if (list) {
		print_message("# a list of constants, %.40s, in:\n#   %.300s\n", list, sql);
		bad++;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		int parent = sqlite3_column_int(st, 1);
		const char *detail = (const char *)sqlite3_column_text(st, 3);
		bool loop = strncmp(detail, "SCAN ", 5) == 0 || strncmp(detail, "SEARCH ", 7) == 0;
		bool outer = loop && parent == 0 && !outer_seen;
		if (loop && parent == 0)
			outer_seen = true;
		/* "SCAN (subquery-N)" reads the rows a subquery selected, and its own lines are
		 * checked; "SCAN CONSTANT ROW" reads no table. */
		if (strncmp(detail, "SCAN ", 5) != 0 || strncmp(detail, "SCAN (subquery-", 15) == 0 ||
		    strcmp(detail, "SCAN CONSTANT ROW") == 0 || strstr(detail, " CONSTANT ROWS"))
			continue;
		char alias[64], table[64];
		scanned(detail, alias, sizeof alias);
		table_of(sql, alias, table, sizeof table);
		if ((outer && export_query) || tiny(table))
			continue;
		print_message("# %s (table %s) in:\n", detail, table);
		print_message("#   %.300s\n", sql);
		bad++;
	}
	sqlite3_finalize(st);
	return bad;
}

static youth_registry *sample(void)
{
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, YOUTH_EXAMPLE_DATA "/gazetteer.yaml"));
	assert_ok(youth_census_load(NULL, reg, YOUTH_EXAMPLE_DATA "/census.yaml", 0));
	assert_ok(sample_services(reg, YOUTH_EXAMPLE_DATA "/rules.yaml", NULL));
	return reg;
}

static int to_buf(void *ctx, const char *data, size_t size)
{
	return youth__buf_put(ctx, data, size);
}

static void import(youth_registry *reg, const youth__buf *file, unsigned flags, int want)
{
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = flags;
	youth_interchange_summary s;
	assert_int_equal(youth_import_buffer(&s, reg, file->data, file->len, "sample.yaml", &o),
	                 want);
}

static void test_interchange_plans(void **state)
{
	(void)state;
	traced t = {0};
	youth_registry *a = sample();
	youth__buf file = {0}, part = {0};
	youth_interchange_summary s;
	trace(a, &t);
	assert_ok(youth_export_write(&s, a, to_buf, &file, NULL));
	youth_export_options eo;
	youth_export_options_init(&eo);
	eo.place = "department:sonsonate";
	eo.from = "2009-01-01";
	eo.to = "2010-06-30";
	assert_ok(youth_export_write(&s, a, to_buf, &part, &eo));
	/* An export for a purpose: a consent look-up per person, the excluded UUIDs per reference. */
	youth__buf consented = {0};
	youth_export_options_init(&eo);
	eo.purpose = "census";
	assert_ok(youth_export_write(&s, a, to_buf, &consented, &eo));
	youth__buf_free(&consented);

	youth_registry *b = NULL;
	assert_ok(youth_registry_open(&b, ":memory:", YOUTH_OPEN_CREATE));
	trace(b, &t);
	import(b, &file, 0, YOUTH_OK);
	import(b, &file, YOUTH_IMPORT_UPSERT, YOUTH_OK);
	import(b, &file, YOUTH_IMPORT_KEEP_GOING, YOUTH_OK);
	/* The trace saw the interchange's statements: every section's export query among them. */
	size_t queries = 0;
	for (size_t i = 0; i < t.n; i++)
		queries += is_export_query(t.sql[i]);
	assert_int_equal(queries, youth__n_sections);
	assert_true(t.n > 50);

	int bad = 0;
	for (size_t i = 0; i < t.n; i++) {
		bad += check_plan(b, t.sql[i]);
		free(t.sql[i]);
	}
	free(t.sql);
	if (bad)
		fail_msg("%d scans of growing tables or lists of constants in the interchange's "
		         "statements (listed above)", bad);
	youth__buf_free(&file);
	youth__buf_free(&part);
	youth_registry_close(a);
	youth_registry_close(b);
}

/* The statements an import runs while it has indexes dropped (a section's bulk indexes, the
 * name keys' index), each with the indexes missing when it ran. */
typedef struct deferred {
	char *dropped[16];
	int n_dropped;
	struct {
		char *sql, *missing;
	} *e;
	size_t n, cap;
	int drops; /* DROP INDEX statements seen */
} deferred;

/* The name in "DROP INDEX name", "CREATE [UNIQUE] INDEX name ON", quoted or not. */
static void index_name(const char *p, char *out, size_t size)
{
	if (*p == '"')
		p++;
	size_t n = strcspn(p, "\" (");
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

static int on_stmt_deferred(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	(void)x;
	deferred *t = ctx;
	const char *sql = sqlite3_sql(p);
	char name[64];
	if (!sql)
		return 0;
	if (strncmp(sql, "DROP INDEX ", 11) == 0) {
		index_name(sql + 11, name, sizeof name);
		assert_true(t->n_dropped < 16);
		t->dropped[t->n_dropped++] = strdup(name);
		t->drops++;
		return 0;
	}
	const char *create = strncmp(sql, "CREATE INDEX ", 13) == 0          ? sql + 13
	                     : strncmp(sql, "CREATE UNIQUE INDEX ", 20) == 0 ? sql + 20
	                                                                     : NULL;
	if (create) {
		index_name(create, name, sizeof name);
		for (int i = 0; i < t->n_dropped; i++)
			if (strcmp(t->dropped[i], name) == 0) {
				free(t->dropped[i]);
				t->dropped[i] = t->dropped[--t->n_dropped];
				break;
			}
		return 0;
	}
	if (!t->n_dropped)
		return 0;
	char missing[512] = "";
	for (int i = 0; i < t->n_dropped; i++)
		snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
		         i ? "," : "", t->dropped[i]);
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->e[i].sql, sql) == 0 && strcmp(t->e[i].missing, missing) == 0)
			return 0;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->e = realloc(t->e, t->cap * sizeof *t->e);
		assert_non_null(t->e);
	}
	t->e[t->n].sql = strdup(sql);
	t->e[t->n].missing = strdup(missing);
	t->n++;
	return 0;
}

/* While an import has a section's bulk indexes dropped (import.c, defer_indexes()), its
 * statements must not scan for want of them: each statement run then is planned again with
 * the indexes that were missing at its run dropped (in a transaction rolled back after).
 * The sample's sections are made to defer after 5 records (and the name keys' index after 5
 * persons); an atomic import defers every bulk index, a keep-going one only the non-unique
 * ones. */
static void test_import_plans_with_indexes_deferred(void **state)
{
	(void)state;
	youth_registry *a = sample();
	youth__buf file = {0};
	youth_interchange_summary s;
	assert_ok(youth_export_write(&s, a, to_buf, &file, NULL));
	youth_registry_close(a);

	int64_t in_use = youth__bulk_index_after, names_in_use = youth__names_rebuild_after;
	youth__bulk_index_after = 5;
	youth__names_rebuild_after = 5;
	deferred t = {0};
	youth_registry *b = NULL, *c = NULL;
	assert_ok(youth_registry_open(&b, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(youth_registry_open(&c, ":memory:", YOUTH_OPEN_CREATE));
	assert_int_equal(sqlite3_trace_v2(b->db, SQLITE_TRACE_STMT, on_stmt_deferred, &t), SQLITE_OK);
	assert_int_equal(sqlite3_trace_v2(c->db, SQLITE_TRACE_STMT, on_stmt_deferred, &t), SQLITE_OK);
	import(b, &file, 0, YOUTH_OK);
	int atomic_drops = t.drops;
	import(c, &file, YOUTH_IMPORT_KEEP_GOING, YOUTH_OK);
	youth__bulk_index_after = in_use;
	youth__names_rebuild_after = names_in_use;
	assert_int_equal(sqlite3_trace_v2(b->db, 0, NULL, NULL), SQLITE_OK);
	assert_int_equal(t.n_dropped, 0); /* every index built again */
	/* the atomic import dropped every section's bulk indexes and the name keys' index */
	size_t want = 1;
	for (size_t i = 0; i < youth__n_sections; i++)
		for (const char *const *x = youth__sections[i]->bulk_indexes; x && *x; x++)
			want++;
	assert_int_equal(atomic_drops, (int)want);
	assert_true(t.drops > atomic_drops);
	assert_true(t.n > 20);

	int bad = 0;
	for (size_t i = 0; i < t.n; i++) {
		assert_ok(youth__exec(b, "BEGIN"));
		char *list = strdup(t.e[i].missing);
		for (char *name = strtok(list, ","); name; name = strtok(NULL, ",")) {
			char *drop = sqlite3_mprintf("DROP INDEX \"%w\"", name);
			assert_ok(youth__exec(b, drop));
			sqlite3_free(drop);
		}
		int n = check_plan(b, t.e[i].sql);
		if (n)
			print_message("#   (run while %s were dropped)\n", t.e[i].missing);
		bad += n;
		assert_ok(youth__exec(b, "ROLLBACK"));
		free(list);
		free(t.e[i].sql);
		free(t.e[i].missing);
	}
	free(t.e);
	if (bad)
		fail_msg("%d scans of growing tables in statements run with indexes deferred (listed "
		         "above)", bad);
	youth__buf_free(&file);
	youth_registry_close(b);
	youth_registry_close(c);
}

/* The CHECKs of a table run with every insert into it (and every update of their columns):
 * none may test a list of more than two constants with IN, whatever writes the table. */
static void test_checks_without_constant_lists(void **state)
{
	(void)state;
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(reg->db, "SELECT name, sql FROM sqlite_schema WHERE"
	                                             " type = 'table' AND sql IS NOT NULL",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	int tables = 0, bad = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		const char *list = constant_in_list(sql);
		tables++;
		if (list) {
			print_message("# table %s: %.60s\n", sqlite3_column_text(st, 0), list);
			bad++;
		}
	}
	sqlite3_finalize(st);
	youth_registry_close(reg);
	assert_true(tables > 30);
	assert_int_equal(bad, 0);
	/* and the scanner finds what it is there to find */
	assert_non_null(constant_in_list("CHECK (service IS NULL OR service IN\n  ('a', 'b', 'c'))"));
	assert_non_null(constant_in_list("WHERE state NOT IN (4, 6, 7, 8)"));
	assert_null(constant_in_list("CHECK (fund_window IN (1, 2))"));
	assert_null(constant_in_list("WHERE id IN (SELECT a FROM t WHERE b IN (1, 2))"));
	assert_non_null(constant_in_list("WHERE id IN (SELECT a FROM t WHERE b IN (1, 2, 3))"));
	assert_null(constant_in_list("WHERE ok_in (1, 2, 3) AND MIN(a, b, c)"));
}

/* A registry in @dir with the sample's census and services, taken back to schema @version
 * (the path, to free). */
static char *sample_at_version(const char *dir, int version)
{
	char name[32];
	snprintf(name, sizeof name, "v%d.youth", version);
	char *path = th_path(dir, name);
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, YOUTH_EXAMPLE_DATA "/gazetteer.yaml"));
	assert_ok(youth_census_load(NULL, reg, YOUTH_EXAMPLE_DATA "/census.yaml", 0));
	assert_ok(sample_services(reg, YOUTH_EXAMPLE_DATA "/rules.yaml", NULL));
	youth_registry_close(reg);
	th_schema_downgrade(path, version);
	return path;
}

/* Migration 13 rebuilds the plans' and follow-ups' tables with the same conditions in their
 * CHECKs: every row keeps its id and values, the rows that point to them stay, the registry
 * checks clean, and the rebuilt CHECKs still refuse what the old ones refused. */
static void test_migration_13_keeps_rows(void **state)
{
	(void)state;
	char *dir = th_tmpdir();
	char *path = sample_at_version(dir, 12);
	youth_registry *reg = NULL;
	static const char plans[] =
		"SELECT count(*) * 1000003 + sum(id * 31 + state * 7 + coalesce(approved, 0) + "
		"length(title) + unicode(uuid)) FROM enterprise_plan";
	static const char followups[] =
		"SELECT count(*) * 1000003 + sum(id * 31 + status * 7 + length(coalesce(service, '')) + "
		"coalesce(service_id, 0) + unicode(uuid)) FROM followup";
	static const char children[] =
		"SELECT (SELECT count(*) FROM enterprise_disbursement) * 1000 + "
		"(SELECT count(*) FROM enterprise_visit)";
	static const char old_text[] =
		"SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%NOT IN (4, 6, 7, 8)%' OR sql LIKE "
		"'%service IN    (''enrollment''%'";
	int64_t p = th_raw_count(path, plans), fu = th_raw_count(path, followups),
	        ch = th_raw_count(path, children);
	assert_true(p > 1000003 && fu > 1000003 && ch > 1000);
	int64_t fu_seed = th_raw_count(path, "SELECT count(*) FROM followup WHERE service = "
	                                     "'seed_capital' OR id = (SELECT min(id) FROM followup)");
	assert_int_equal(th_raw_count(path, old_text), 2);

	assert_ok(youth_registry_open(&reg, path, 0));
	assert_int_equal(youth_registry_schema_version(reg), YOUTH_SCHEMA_VERSION);
	assert_ok(youth_registry_check(reg));
	youth_registry_close(reg);
	assert_int_equal(th_raw_count(path, plans), p);
	assert_int_equal(th_raw_count(path, followups), fu);
	assert_int_equal(th_raw_count(path, children), ch);
	assert_int_equal(th_raw_count(path, old_text), 0);
	/* the same conditions: an approved state without an amount, a service of no kind */
	th_raw_exec(path, "UPDATE enterprise_plan SET state = 6, approved = NULL, approved_date = NULL"
	                  " WHERE id = (SELECT min(id) FROM enterprise_plan)", SQLITE_CONSTRAINT);
	th_raw_exec(path, "UPDATE followup SET service = 'course', service_id = 1 WHERE id = "
	                  "(SELECT min(id) FROM followup)", SQLITE_CONSTRAINT);
	th_raw_exec(path, "UPDATE followup SET service = 'seed_capital', service_id = 1 WHERE id = "
	                  "(SELECT min(id) FROM followup)", SQLITE_OK);
	assert_int_equal(th_raw_count(path, "SELECT count(*) FROM followup WHERE service = "
	                                    "'seed_capital'"), fu_seed);
	free(path);
	th_rmtree(dir);
	free(dir);
}

/* Migration 14 rebuilds the enrollments', counselling participants' and follow-ups' tables with
 * a named UUID index (<table>_uuid) instead of the column's UNIQUE: every row keeps its id and
 * values, the rows that point to them stay, the counter of the participants' AUTOINCREMENT
 * stays where it was (above the largest id, as after a deletion), UUIDs are still unique, and
 * the registry checks clean. */
static void test_migration_14_keeps_rows(void **state)
{
	(void)state;
	char *dir = th_tmpdir();
	char *path = sample_at_version(dir, 13);
	youth_registry *reg = NULL;
	/* a participant removed after the last one was added: the counter is above max(id) */
	th_raw_exec(path, "UPDATE sqlite_sequence SET seq = seq + 40 WHERE name = "
	                  "'counselling_participant'", SQLITE_OK);
	/* rows that point to the rebuilt tables' rows by id */
	th_raw_exec(path, "INSERT INTO enrollment_session (enrollment_id, date, present) SELECT "
	                  "min(id), '2010-01-05', 1 FROM enrollment", SQLITE_OK);
	th_raw_exec(path, "UPDATE followup SET service = 'counselling', service_id = (SELECT max(id) "
	                  "FROM counselling_participant) WHERE id = (SELECT min(id) FROM followup)",
	            SQLITE_OK);
	static const char rows[] =
		"SELECT (SELECT count(*) * 1000003 + sum(id * 31 + state * 7 + person_id + "
		"unicode(uuid) + unicode(substr(uuid, 36))) FROM enrollment) + "
		"(SELECT count(*) * 1000003 + sum(id * 37 + session_id + person_id * 5 + attended + "
		"unicode(substr(uuid, 36))) FROM counselling_participant) + "
		"(SELECT count(*) * 1000003 + sum(id * 41 + status + person_id + "
		"unicode(substr(uuid, 36))) FROM followup)";
	static const char children[] =
		"SELECT (SELECT count(*) FROM enrollment_session s JOIN enrollment e ON "
		"e.id = s.enrollment_id) * 1000 + (SELECT count(*) FROM followup f JOIN "
		"counselling_participant c ON f.service = 'counselling' AND c.id = f.service_id)";
	static const char named[] =
		"SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN "
		"('enrollment_uuid', 'counselling_participant_uuid', 'followup_uuid')";
	static const char seq[] =
		"SELECT seq FROM sqlite_sequence WHERE name = 'counselling_participant'";
	int64_t r = th_raw_count(path, rows), ch = th_raw_count(path, children),
	        counter = th_raw_count(path, seq);
	assert_true(th_raw_count(path, "SELECT count(*) FROM enrollment") > 100);
	assert_true(th_raw_count(path, "SELECT count(*) FROM counselling_participant") > 100);
	assert_true(th_raw_count(path, "SELECT count(*) FROM followup") > 100);
	assert_int_equal(ch, 1001);
	assert_true(counter > th_raw_count(path, "SELECT max(id) FROM counselling_participant"));
	assert_int_equal(th_raw_count(path, named), 0);

	assert_ok(youth_registry_open(&reg, path, 0));
	assert_int_equal(youth_registry_schema_version(reg), YOUTH_SCHEMA_VERSION);
	assert_ok(youth_registry_check(reg));
	youth_registry_close(reg);
	assert_int_equal(th_raw_count(path, rows), r);
	assert_int_equal(th_raw_count(path, children), ch);
	assert_int_equal(th_raw_count(path, seq), counter);
	assert_int_equal(th_raw_count(path, named), 3);
	assert_int_equal(th_raw_count(path, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE "
	                                    "'%uuid TEXT NOT NULL UNIQUE%' AND name IN ('enrollment',"
	                                    " 'counselling_participant', 'followup')"), 0);
	/* a UUID still names one row of each */
	th_raw_exec(path, "UPDATE enrollment SET uuid = (SELECT uuid FROM enrollment WHERE id = "
	                  "(SELECT max(id) FROM enrollment)) WHERE id = (SELECT min(id) FROM "
	                  "enrollment)", SQLITE_CONSTRAINT);
	th_raw_exec(path, "UPDATE counselling_participant SET uuid = (SELECT uuid FROM "
	                  "counselling_participant WHERE id = (SELECT max(id) FROM "
	                  "counselling_participant)) WHERE id = (SELECT min(id) FROM "
	                  "counselling_participant)", SQLITE_CONSTRAINT);
	th_raw_exec(path, "UPDATE followup SET uuid = (SELECT uuid FROM followup WHERE id = "
	                  "(SELECT max(id) FROM followup)) WHERE id = (SELECT min(id) FROM followup)",
	            SQLITE_CONSTRAINT);
	free(path);
	th_rmtree(dir);
	free(dir);
}

/* A registry of schema 12 whose follow-ups' CHECK is not the text migration 13 expects (some
 * other tool rebuilt the table): the migration refuses it, names the table, and leaves the
 * file as it was, the plans' table included, which the same migration had rebuilt first. */
static void test_migration_13_refuses_an_unknown_schema(void **state)
{
	(void)state;
	char *dir = th_tmpdir();
	char *path = th_path(dir, "odd.youth");
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	youth_registry_close(reg);
	th_schema_downgrade(path, 12);
	th_table_edit(path, "followup", "service IN    (", "service IN (");
	static const char schema[] = "SELECT count(*) * 1000 + sum(length(sql) + unicode(name)) "
	                             "FROM sqlite_schema";
	int64_t before = th_raw_count(path, schema);

	assert_rc(youth_registry_open(&reg, path, 0), YOUTH_ECORRUPT);
	assert_null(reg);
	assert_msg_has("table followup");
	assert_msg_has("migrating schema 12 to 13");
	assert_int_equal(th_raw_count(path, "PRAGMA user_version"), 12);
	assert_int_equal(th_raw_count(path, schema), before);
	assert_int_equal(th_raw_count(path, "SELECT count(*) FROM sqlite_schema WHERE sql LIKE "
	                                    "'%NOT IN (4, 6, 7, 8)%'"), 1);
	free(path);
	th_rmtree(dir);
	free(dir);
}

/* The virtual-machine steps of every statement of @reg's connection since the last call:
 * SQLite's own count of the work done, which does not depend on the host's speed. */
static int64_t vm_steps(youth_registry *reg)
{
	int64_t n = 0;
	for (sqlite3_stmt *st = sqlite3_next_stmt(reg->db, NULL); st;
	     st = sqlite3_next_stmt(reg->db, st))
		n += sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 1);
	return n;
}

static void add_employers(youth_registry *reg, int from, int n)
{
	assert_ok(youth_registry_begin(reg));
	for (int i = from; i < from + n; i++) {
		char name[64];
		snprintf(name, sizeof name, "Taller número %d", i);
		youth_employer e;
		youth_employer_init(&e);
		e.name = name;
		assert_ok(youth_employer_add(reg, &e));
	}
	assert_ok(youth_registry_commit(reg));
}

/* Employers without a NIT are told apart by their folded name: adding one used to fold and
 * compare the name of every NIT-less employer, so a load of N was quadratic.  The work of one
 * add (counted in SQLite's steps) must be the same with 10 or 2 000 of them. */
static void test_employer_add_does_not_grow(void **state)
{
	(void)state;
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	add_employers(reg, 0, 10);
	vm_steps(reg);
	add_employers(reg, 10, 1);
	int64_t small = vm_steps(reg);
	add_employers(reg, 11, 2000);
	vm_steps(reg);
	add_employers(reg, 2011, 1);
	int64_t big = vm_steps(reg);
	print_message("# one add: %lld steps among 10 employers, %lld among 2011\n",
	              (long long)small, (long long)big);
	assert_true(big < small + 20);
	/* and the check still refuses the same folded name */
	youth_employer e;
	youth_employer_init(&e);
	e.name = "TALLER NUMERO 1500";
	assert_rc(youth_employer_add(reg, &e), YOUTH_EEXISTS);
	youth_registry_close(reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interchange_plans),
		cmocka_unit_test(test_import_plans_with_indexes_deferred),
		cmocka_unit_test(test_employer_add_does_not_grow),
		cmocka_unit_test(test_checks_without_constant_lists),
		cmocka_unit_test(test_migration_13_keeps_rows),
		cmocka_unit_test(test_migration_14_keeps_rows),
		cmocka_unit_test(test_migration_13_refuses_an_unknown_schema),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
