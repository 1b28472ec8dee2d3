/*
 * youth check: damage and broken invariants (include/youth/check.h, docs/reliability.md).
 *
 * Every check is a query that yields (id, uuid, message) rows for one table and one kind of
 * problem, so adding an invariant is adding a line to invariants[].  The checks only read; the
 * repairs (YOUTH_CHECK_REPAIR) are limited to what is derived from other columns or rebuilt
 * from the tables (indexes), and run in one transaction after the checks.
 *
 * Layer: maintenance (above every other: it reads the tables of all modules).
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

struct youth_check_report {
	youth_check_problem *items;
	size_t n, cap;
	int sealed;
};

static char *dup_or_null(const char *s)
{
	return s ? youth__strdup(s) : NULL;
}

static int add_problem(youth_check_report *r, const char *kind, const char *table, int64_t id,
                       const char *uuid, const char *message)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		youth_check_problem *items = youth__realloc(r->items, cap * sizeof *items);
		if (!items)
			return youth__oom();
		r->items = items;
		r->cap = cap;
	}
	youth_check_problem *p = &r->items[r->n];
	*p = (youth_check_problem){.kind = kind, .id = id};
	p->table = dup_or_null(table);
	p->uuid = dup_or_null(uuid);
	p->message = dup_or_null(message ? message : "?");
	if ((table && !p->table) || (uuid && !p->uuid) || !p->message) {
		youth__free((char *)p->table);
		youth__free((char *)p->uuid);
		youth__free((char *)p->message);
		return youth__oom();
	}
	r->n++;
	return YOUTH_OK;
}

/* A query that could not run is damage too (a page that fails its checksum, a B-tree SQLite
 * cannot walk): it becomes a problem of the kind being checked, and the check goes on. */
static int query_failed(youth_check_report *r, youth_registry *reg, const char *kind,
                        const char *table, int s)
{
	if ((s & 0xff) == SQLITE_NOMEM)
		return youth__oom();
	char msg[600];
	snprintf(msg, sizeof msg, "could not be read: %s%s", sqlite3_errmsg(reg->db),
	         s == SQLITE_IOERR_DATA ? " (a page does not match its checksum)" : "");
	return add_problem(r, kind, table, 0, NULL, msg);
}

/* Runs @p sql, whose rows are (id, uuid, message), adding one problem per row. */
static int run_query(youth_check_report *r, youth_registry *reg, const char *kind,
                     const char *table, const char *sql)
{
	sqlite3_stmt *st;
	int s = sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL);
	if (s != SQLITE_OK)
		return query_failed(r, reg, kind, table, s);
	int rc = YOUTH_OK;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW)
		rc = add_problem(r, kind, table, sqlite3_column_int64(st, 0),
		                 (const char *)sqlite3_column_text(st, 1),
		                 (const char *)sqlite3_column_text(st, 2));
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = query_failed(r, reg, kind, table, s);
	sqlite3_finalize(st);
	return rc;
}

/* ---- SQLite's own checks ---------------------------------------------------------------- */

static int check_integrity(youth_check_report *r, youth_registry *reg, bool quick,
                           bool *index_only)
{
	sqlite3_stmt *st;
	const char *sql = quick ? "PRAGMA quick_check(1000)" : "PRAGMA integrity_check(1000)";
	int s = sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL);
	if (s != SQLITE_OK)
		return query_failed(r, reg, "integrity", NULL, s);
	int rc = YOUTH_OK;
	*index_only = true;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(st, 0);
		if (line && strcmp(line, "ok") == 0)
			continue;
		/* What REINDEX cures: an index that disagrees with its table. */
		if (!line || !(strstr(line, "missing from index") || strstr(line, "wrong # of entries in index")))
			*index_only = false;
		rc = add_problem(r, "integrity", NULL, 0, NULL, line);
	}
	if (rc == YOUTH_OK && s != SQLITE_DONE) {
		*index_only = false;
		rc = query_failed(r, reg, "integrity", NULL, s);
	}
	sqlite3_finalize(st);
	return rc;
}

static int check_foreign_keys(youth_check_report *r, youth_registry *reg)
{
	sqlite3_stmt *st;
	int s = sqlite3_prepare_v2(reg->db, "PRAGMA foreign_key_check", -1, &st, NULL);
	if (s != SQLITE_OK)
		return query_failed(r, reg, "reference", NULL, s);
	int rc = YOUTH_OK;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		char msg[300];
		snprintf(msg, sizeof msg, "refers to a %s that does not exist",
		         (const char *)sqlite3_column_text(st, 2));
		rc = add_problem(r, "reference", (const char *)sqlite3_column_text(st, 0),
		                 sqlite3_column_int64(st, 1), NULL, msg);
	}
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = query_failed(r, reg, "reference", NULL, s);
	sqlite3_finalize(st);
	return rc;
}

static void bad_page(void *ctx, int64_t page)
{
	youth_check_report *r = ctx;
	char msg[160];
	snprintf(msg, sizeof msg, "page %lld of the file does not match its checksum: its bytes "
	         "changed after the library wrote it", (long long)page);
	/* An allocation failure here only loses the line: the integrity check reports the page
	 * again if it is in use. */
	add_problem(r, "page", NULL, page, NULL, msg);
}

/* ---- the schema --------------------------------------------------------------------------- */

#define SCHEMA_SQL                                                                          \
	"SELECT type || ' ' || name, coalesce(sql, '') FROM sqlite_schema "                 \
	"WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"

/* The schema of @p db as "type name\tsql\n" lines, in @p out. */
static int schema_lines(sqlite3 *db, youth__buf *out)
{
	sqlite3_stmt *st;
	int s = sqlite3_prepare_v2(db, SCHEMA_SQL, -1, &st, NULL);
	if (s != SQLITE_OK)
		return youth__sqlite_error(db, s, "reading the schema");
	int rc = YOUTH_OK;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW)
		rc = youth__buf_printf(out, "%s\t%s\n", (const char *)sqlite3_column_text(st, 0),
		                       (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = youth__sqlite_error(db, s, "reading the schema");
	return rc;
}

/* Reports each object of @p a that @p b lacks or holds with other SQL. */
static int schema_diff(youth_check_report *r, const char *a, const char *b, const char *what)
{
	int rc = YOUTH_OK;
	for (const char *line = a; rc == YOUTH_OK && *line;) {
		const char *end = strchr(line, '\n');
		const char *tab = memchr(line, '\t', (size_t)(end - line));
		size_t name_len = (size_t)(tab - line);
		bool same = false, named = false;
		for (const char *l = b; *l && !same;) {
			const char *e = strchr(l, '\n');
			if ((size_t)(e - l) > name_len && strncmp(l, line, name_len) == 0 &&
			    l[name_len] == '\t') {
				named = true;
				same = (e - l) == (end - line) && memcmp(l, line, (size_t)(end - line)) == 0;
			}
			l = e + 1;
		}
		if (!same) {
			char msg[300];
			snprintf(msg, sizeof msg, "%.*s: %s", (int)name_len, line,
			         named ? "its definition differs from the library's" : what);
			rc = add_problem(r, "schema", NULL, 0, NULL, msg);
		}
		line = end + 1;
	}
	return rc;
}

static int check_schema(youth_check_report *r, youth_registry *reg)
{
	youth_registry *fresh = NULL;
	youth__buf mine = {0}, theirs = {0};
	int rc = youth_registry_open(&fresh, ":memory:", YOUTH_OPEN_CREATE);
	if (rc == YOUTH_OK)
		rc = schema_lines(fresh->db, &theirs);
	if (rc == YOUTH_OK) {
		rc = schema_lines(reg->db, &mine);
		if (rc == YOUTH_ECORRUPT || rc == YOUTH_EIO)
			rc = add_problem(r, "schema", NULL, 0, NULL, youth_error_last()->message);
		else if (rc == YOUTH_OK && (rc = youth__buf_put(&mine, "", 0)) == YOUTH_OK &&
		         (rc = youth__buf_put(&theirs, "", 0)) == YOUTH_OK) {
			rc = schema_diff(r, theirs.data ? theirs.data : "", mine.data ? mine.data : "",
			                 "missing from the registry");
			if (rc == YOUTH_OK)
				rc = schema_diff(r, mine.data ? mine.data : "",
				                 theirs.data ? theirs.data : "", "not part of the library's schema");
		}
	}
	youth_registry_close(fresh);
	youth__buf_free(&mine);
	youth__buf_free(&theirs);
	return rc;
}

/* ---- the library's invariants -------------------------------------------------------------- */

/* Money in cents as text, for messages. */
#define MONEY(x) "printf('%d.%02d', (" x ") / 100, abs(" x ") % 100)"

typedef struct invariant {
	const char *kind, *table, *sql; /* sql yields (id, uuid, message) */
} invariant;

static const invariant invariants[] = {
	/* Scholarships (docs/scholarships.md, "The balance"): never more paid than owed. */
	{"balance", "scholarship",
	 "SELECT s.id, s.uuid, 'paid ' || " MONEY("p.paid") " || ' but owed ' || "
	 MONEY("coalesce(o.owed, 0)") " || ': the balance is negative' "
	 "FROM scholarship s JOIN (SELECT scholarship_id, sum(amount) AS paid FROM "
	 "scholarship_payment GROUP BY 1) p ON p.scholarship_id = s.id "
	 "LEFT JOIN (SELECT scholarship_id, sum(amount) AS owed FROM scholarship_installment "
	 "WHERE state = 1 GROUP BY 1) o ON o.scholarship_id = s.id "
	 "WHERE p.paid > coalesce(o.owed, 0)"},
	{"state", "scholarship",
	 "SELECT s.id, s.uuid, 'has payments but is ' || CASE s.state WHEN 1 THEN 'applied' "
	 "WHEN 2 THEN 'awarded' ELSE 'rejected' END || ' (payments start with the placement)' "
	 "FROM scholarship s WHERE s.state IN (1, 2, 6) AND EXISTS (SELECT 1 FROM "
	 "scholarship_payment p WHERE p.scholarship_id = s.id)"},
	/* Seed capital (docs/enterprise.md): disbursements within the approved amount; funded
	 * from the first disbursement on, and only then. */
	{"balance", "enterprise_plan",
	 "SELECT pl.id, pl.uuid, 'disbursed ' || " MONEY("d.total") " || ' of ' || "
	 MONEY("coalesce(pl.approved, 0)") " || ' approved' FROM enterprise_plan pl JOIN "
	 "(SELECT plan_id, sum(amount) AS total FROM enterprise_disbursement GROUP BY 1) d "
	 "ON d.plan_id = pl.id WHERE d.total > coalesce(pl.approved, 0)"},
	{"state", "enterprise_plan",
	 "SELECT pl.id, pl.uuid, CASE WHEN pl.state IN (6, 7, 8) THEN "
	 "'is funded, operating or closed without any disbursement' ELSE "
	 "'has a disbursement but was never funded' END FROM enterprise_plan pl "
	 "WHERE (pl.state IN (6, 7, 8)) <> EXISTS (SELECT 1 FROM enterprise_disbursement d "
	 "WHERE d.plan_id = pl.id)"},
	{"state", "enterprise_plan",
	 "SELECT pl.id, pl.uuid, 'has follow-up visits but was never funded' FROM enterprise_plan pl "
	 "WHERE pl.state NOT IN (6, 7, 8) AND EXISTS (SELECT 1 FROM enterprise_visit v "
	 "WHERE v.plan_id = pl.id)"},
	/* Courses (docs/courses.md, "States"). */
	{"state", "enrollment",
	 "SELECT e.id, e.uuid, CASE WHEN e.attendance IS NULL THEN "
	 "'completed without recorded attendance' ELSE printf('completed with attendance %d%% "
	 "below the cohort''s minimum %d%%', e.attendance, c.min_attendance) END "
	 "FROM enrollment e JOIN cohort c ON c.id = e.cohort_id "
	 "WHERE e.state = 3 AND (e.attendance IS NULL OR e.attendance < c.min_attendance)"},
	{"state", "enrollment",
	 "SELECT id, uuid, CASE WHEN reason IS NULL THEN 'dropped or not eligible without a reason' "
	 "ELSE 'has a reason but is neither dropped nor not eligible' END FROM enrollment "
	 "WHERE (reason IS NOT NULL) <> (state IN (4, 5))"},
	{"state", "enrollment",
	 "SELECT id, uuid, 'has a certificate but is not completed' FROM enrollment "
	 "WHERE certificate_date IS NOT NULL AND state <> 3"},
	{"state", "enrollment",
	 "SELECT id, uuid, 'state date ' || state_date || ' is before the application ' || "
	 "applied_date FROM enrollment WHERE state_date < applied_date"},
	{"state", "cohort",
	 "SELECT c.id, c.uuid, printf('%d places taken (enrolled and completed) in a capacity of %d', "
	 "n.taken, c.capacity) FROM cohort c JOIN (SELECT cohort_id, count(*) AS taken FROM "
	 "enrollment WHERE state IN (2, 3) GROUP BY 1) n ON n.cohort_id = c.id "
	 "WHERE n.taken > c.capacity"},
	/* Counselling (docs/counselling.md): a closed roster is frozen and counted. */
	{"state", "counselling_session",
	 "SELECT s.id, s.uuid, printf('closed %s session with %d on its roster (%s)', "
	 "CASE s.mode WHEN 1 THEN 'an individual' ELSE 'a group' END, "
	 "(SELECT count(*) FROM counselling_participant p WHERE p.session_id = s.id), "
	 "CASE s.mode WHEN 1 THEN 'needs exactly 1' ELSE 'needs 2-60' END) "
	 "FROM counselling_session s WHERE s.state = 2 AND (SELECT count(*) FROM "
	 "counselling_participant p WHERE p.session_id = s.id) NOT BETWEEN "
	 "CASE s.mode WHEN 1 THEN 1 ELSE 2 END AND CASE s.mode WHEN 1 THEN 1 ELSE 60 END"},
	/* Persons (docs/person.md): a DUI is issued at 18; its check digit holds. */
	{"national_id", "person",
	 "SELECT id, uuid, 'national ID ' || national_id || ' but aged ' || "
	 "((substr(census_date, 1, 4) - substr(birth_date, 1, 4)) - "
	 "(substr(census_date, 6) < substr(birth_date, 6))) || ' at the census date ' || "
	 "census_date || ' (a DUI is issued at 18)' FROM person WHERE national_id IS NOT NULL AND "
	 "(substr(census_date, 1, 4) - substr(birth_date, 1, 4)) - "
	 "(substr(census_date, 6) < substr(birth_date, 6)) < 18"},
	{"national_id", "person",
	 "SELECT id, uuid, 'national ID ' || national_id || ': wrong check digit' FROM person "
	 "WHERE national_id IS NOT NULL AND NOT youth_check_dui(national_id)"},
	/* Derived keys: the search key of a name is its folded form (repairable). */
	{"derived", "person",
	 "SELECT id, uuid, 'search key ''' || name_key || ''' is not the folded name ''' || "
	 "youth_check_person_key(given_names, first_surname, second_surname) || '''' FROM person "
	 "WHERE name_key IS NOT youth_check_person_key(given_names, first_surname, second_surname)"},
	{"derived", "employer",
	 "SELECT id, uuid, 'search key ''' || coalesce(name_key, '') || ''' is not the folded "
	 "name ''' || youth_check_fold(name) || '''' FROM employer "
	 "WHERE name_key IS NOT youth_check_fold(name)"},
	/* The name index (names.c, docs/duplicates.md): every person has keys, and no key is of
	 * a person who is gone (repairable: rebuilt from the names). */
	{"derived", "person",
	 "SELECT id, uuid, 'not in the name index (person search would not find them)' FROM person p "
	 "WHERE NOT EXISTS (SELECT 1 FROM person_name k WHERE k.person_id = p.id) "
	 "AND NOT EXISTS (SELECT 1 FROM person_erased e WHERE e.uuid = p.uuid)"},
	{"derived", "person",
	 "SELECT DISTINCT k.person_id, NULL, 'the name index has keys of person ' || k.person_id || "
	 "', who is not in the registry' FROM person_name k WHERE NOT EXISTS "
	 "(SELECT 1 FROM person p WHERE p.id = k.person_id)"},
};

/* The repairs of the "derived" problems: the same expressions, written back. */
static const char *const derived_repairs[] = {
	"UPDATE person SET name_key = youth_check_person_key(given_names, first_surname, "
	"second_surname) WHERE name_key IS NOT youth_check_person_key(given_names, first_surname, "
	"second_surname)",
	"UPDATE employer SET name_key = youth_check_fold(name) WHERE name_key IS NOT "
	"youth_check_fold(name)",
};

/* youth_check_fold(text) and youth_check_person_key(given, first, second): the keys the
 * services compute when they write (person.c, exchange.c), for the queries above. */
static void sql_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	youth__buf b = {0};
	int rc = YOUTH_OK;
	for (int i = 0; i < argc && rc == YOUTH_OK; i++) {
		const char *text = (const char *)sqlite3_value_text(argv[i]);
		if (!text || !*text) {
			if (i == 0)
				break;
			continue;
		}
		if (i > 0)
			rc = youth__buf_put(&b, " ", 1);
		if (rc == YOUTH_OK)
			rc = youth__fold_into(&b, text);
	}
	if (rc == YOUTH_OK && b.data)
		sqlite3_result_text(ctx, b.data, (int)b.len, SQLITE_TRANSIENT);
	else if (rc == YOUTH_ENOMEM)
		sqlite3_result_error_nomem(ctx);
	else if (rc != YOUTH_OK)
		sqlite3_result_text(ctx, "(not UTF-8)", -1, SQLITE_STATIC);
	youth__buf_free(&b);
}

static void sql_dui(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	YOUTH__UNUSED(argc);
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	sqlite3_result_int(ctx, !text || youth_dui_check(text) == YOUTH_OK);
}

static int set_functions(youth_registry *reg, bool on)
{
	int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
	int s = sqlite3_create_function(reg->db, "youth_check_fold", 1, flags, NULL,
	                                on ? sql_key : NULL, NULL, NULL);
	if (s == SQLITE_OK)
		s = sqlite3_create_function(reg->db, "youth_check_person_key", 3, flags, NULL,
		                            on ? sql_key : NULL, NULL, NULL);
	if (s == SQLITE_OK)
		s = sqlite3_create_function(reg->db, "youth_check_dui", 1, flags, NULL,
		                            on ? sql_dui : NULL, NULL, NULL);
	return s == SQLITE_OK ? YOUTH_OK : youth__sqlite_error(reg->db, s, "check");
}

static void clear(youth_check_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		youth__free((char *)r->items[i].table);
		youth__free((char *)r->items[i].uuid);
		youth__free((char *)r->items[i].message);
	}
	youth__free(r->items);
	r->items = NULL;
	r->n = r->cap = 0;
}

/* ---- repair --------------------------------------------------------------------------------- */

static void mark_repaired(youth_check_report *r, const char *kind)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->items[i].kind, kind) == 0)
			r->items[i].repaired = 1;
}

static bool has_kind(const youth_check_report *r, const char *kind)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->items[i].kind, kind) == 0)
			return true;
	return false;
}

/* Repairs what is derived: recomputed keys, and indexes rebuilt from their tables when the
 * integrity check found nothing but indexes that disagree with them.  Nothing else is
 * touched: a damaged page, a broken balance or state needs a person to decide. */
static int repair(youth_check_report *r, youth_registry *reg, bool index_only)
{
	bool keys = has_kind(r, "derived");
	bool indexes = has_kind(r, "integrity") && index_only && !has_kind(r, "page");
	if (!keys && !indexes)
		return YOUTH_OK;
	youth__write w;
	int rc = youth__write_begin(&w, reg, "check --repair");
	if (rc)
		return rc;
	if (indexes)
		rc = youth__exec(reg, "REINDEX");
	for (size_t i = 0; keys && rc == YOUTH_OK && i < sizeof derived_repairs / sizeof *derived_repairs; i++)
		rc = youth__exec(reg, derived_repairs[i]);
	/* The name index is derived from the names as name_key is: built again from them. */
	int64_t persons = 0;
	if (keys && rc == YOUTH_OK)
		rc = youth_name_index_rebuild(&persons, reg);
	rc = youth__write_end(&w, rc);
	if (rc == YOUTH_OK && keys)
		mark_repaired(r, "derived");
	if (rc == YOUTH_OK && indexes) {
		/* Repaired only if the check now comes out clean. */
		youth_check_report again = {0};
		bool still_index_only;
		rc = check_integrity(&again, reg, false, &still_index_only);
		if (rc == YOUTH_OK && again.n == 0)
			mark_repaired(r, "integrity");
		clear(&again);
	}
	return rc;
}

/* ---- the public functions -------------------------------------------------------------------- */

int youth_check_run(youth_check_report **out, youth_registry *reg, unsigned flags)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_check_run: NULL %s",
		                    out ? "registry" : "output");
	int rc = youth__flags_rule("youth_check_run", flags, YOUTH_CHECK_QUICK | YOUTH_CHECK_REPAIR);
	if (rc)
		return rc;
	bool quick = flags & YOUTH_CHECK_QUICK, fix = flags & YOUTH_CHECK_REPAIR;
	if (fix && reg->readonly)
		return youth__error(YOUTH_EREADONLY, NULL, "%s: opened read-only: cannot repair",
		                    reg->path);
	if (fix && reg->depth)
		return youth__error(YOUTH_ESTATE, NULL, "check --repair: not inside a transaction");
	youth_check_report *r = youth__calloc(1, sizeof *r);
	if (!r)
		return youth__oom();
	rc = set_functions(reg, true);
	/* One read transaction: every check sees the same registry.  Started by a read before
	 * the page scan, which needs it (youth__pagesum_scan). */
	bool began = rc == YOUTH_OK && !reg->depth && sqlite3_get_autocommit(reg->db);
	if (began && sqlite3_exec(reg->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		began = false;
	if (rc == YOUTH_OK)
		sqlite3_exec(reg->db, "PRAGMA schema_version", NULL, NULL, NULL);
	int state = youth__pagesum_state(reg->db);
	r->sealed = state == 1;
	if (rc == YOUTH_OK && !quick && state == 1) {
		int s = youth__pagesum_scan(reg->db, bad_page, r);
		if (s != SQLITE_OK)
			rc = query_failed(r, reg, "page", NULL, s);
	}
	bool index_only = false;
	if (rc == YOUTH_OK)
		rc = check_integrity(r, reg, quick, &index_only);
	if (rc == YOUTH_OK)
		rc = check_foreign_keys(r, reg);
	if (rc == YOUTH_OK)
		rc = check_schema(r, reg);
	for (size_t i = 0; rc == YOUTH_OK && i < sizeof invariants / sizeof *invariants; i++)
		rc = run_query(r, reg, invariants[i].kind, invariants[i].table, invariants[i].sql);
	if (began)
		sqlite3_exec(reg->db, "COMMIT", NULL, NULL, NULL);
	if (rc == YOUTH_OK && fix)
		rc = repair(r, reg, index_only);
	set_functions(reg, false);
	if (rc) {
		youth_check_report_free(r);
		return rc;
	}
	*out = r;
	return YOUTH_OK;
}

size_t youth_check_report_count(const youth_check_report *report)
{
	return report ? report->n : 0;
}

size_t youth_check_report_unrepaired(const youth_check_report *report)
{
	size_t n = 0;
	for (size_t i = 0; report && i < report->n; i++)
		n += !report->items[i].repaired;
	return n;
}

const youth_check_problem *youth_check_report_get(const youth_check_report *report, size_t i)
{
	return report && i < report->n ? &report->items[i] : NULL;
}

int youth_check_report_sealed(const youth_check_report *report)
{
	return report ? report->sealed : 0;
}

void youth_check_report_free(youth_check_report *report)
{
	if (!report)
		return;
	clear(report);
	youth__free(report);
}
