/*
 * bench-import: times the import of one census file three ways, each in its own forked child
 * so that the peak RSS of one phase never mixes with another's:
 *
 *   import  libyouth's import (youth_import_file()) into a fresh registry, after open +
 *           gazetteer load; the call is the one in import_route();
 *   parse   libyaml parse-only of the same file: yaml_parser_parse() in a loop, counting events;
 *   raw     raw SQLite: the same rows, read beforehand into memory (untimed), inserted with one
 *           prepared INSERT into the same person table (a registry created by
 *           youth_registry_open(), same pragmas) in one transaction, filling exactly the
 *           columns youth_person_add() fills (uuid, folded name_key, place_id, ...).
 *
 *   scan    (FILE a registry) every row of every table read, every column, nothing written;
 *   copy    (FILE a registry) raw SQLite writing the same rows into a fresh file with the same
 *           schema: the national benchmark's yardstick (see phase_copy() below).
 *
 *     bench/bench-import -g GAZETTEER.yaml [-d WORKDIR] [-p import,parse,raw] [-n ROUNDS] FILE
 *     bench/bench-import -g GAZETTEER.yaml [-d WORKDIR] -p scan,copy [-n ROUNDS] REGISTRY
 *     bench/bench-import -g GAZETTEER.yaml --prepare REGISTRY
 *
 * Prints one line of key=value pairs (seconds of wall clock, CLOCK_MONOTONIC; peak RSS in KiB
 * from the child's rusage).  With -n ROUNDS (at most 15) every phase runs that many times,
 * the phases taking turns; times are the medians (and, as PHASE_best_s, the fastest round), peak
 * RSS the largest.  --prepare creates a registry with the gazetteer loaded (used by
 * python_route.py so that the Python route writes into the same schema).
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <yaml.h>

#include "bench_common.h"

/* ---- (a) libyouth import ---------------------------------------------------------------- */

/* import route: the one call under test (youth_import_file(), atomic add-only import). */
static int import_route(youth_registry *reg, const char *path, int64_t *records)
{
	youth_import_options options;
	youth_interchange_summary summary = {0};
	youth_import_options_init(&options);
	int rc = youth_import_file(&summary, reg, path, &options);
	*records = summary.imported;
	return rc;
}

static void phase_import(const char *file, double *secs, int64_t *records)
{
	char reg_path[4096];
	snprintf(reg_path, sizeof reg_path, "%s/bench-import.registry", bench_dir);
	youth_registry *reg = bench_fresh_registry(reg_path);
	/* BENCH_AUDIT=1: the registry is audited (docs/privacy.md), one entry per record. */
	const char *audit = getenv("BENCH_AUDIT");
	if (audit && strcmp(audit, "1") == 0 &&
	    (youth_registry_set_actor(reg, "bench") || youth_audit_enable(reg)))
		bench_die_youth(reg_path);
	double t0 = bench_now();
	if (import_route(reg, file, records))
		bench_die_youth(file);
	*secs = bench_now() - t0;
	youth_registry_close(reg);
	bench_remove_registry(reg_path);
}

/* ---- (b) libyaml parse-only ------------------------------------------------------------- */

static void phase_parse(const char *file, double *secs, int64_t *events)
{
	double t0 = bench_now();
	FILE *f = fopen(file, "rb");
	if (!f) {
		perror(file);
		exit(1);
	}
	yaml_parser_t parser;
	yaml_event_t event;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	int64_t n = 0;
	for (;;) {
		if (!yaml_parser_parse(&parser, &event)) {
			fprintf(stderr, "bench-import: %s:%zu: %s\n", file, parser.problem_mark.line + 1,
			        parser.problem ? parser.problem : "parse error");
			exit(1);
		}
		n++;
		int end = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
		if (end)
			break;
	}
	yaml_parser_delete(&parser);
	fclose(f);
	*secs = bench_now() - t0;
	*events = n;
}

/* ---- (c) raw SQLite prepared insert ----------------------------------------------------- */

static void phase_raw(const char *file, double *secs, int64_t *records)
{
	char reg_path[4096];
	snprintf(reg_path, sizeof reg_path, "%s/bench-raw.registry", bench_dir);
	youth_registry_close(bench_fresh_registry(reg_path));

	sqlite3 *db = NULL;
	int s = sqlite3_open_v2(reg_path, &db, SQLITE_OPEN_READWRITE, NULL);
	bench_sql_check(db, s, reg_path);
	/* The per-connection pragmas of youth_registry_open() (WAL is kept in the file). */
	bench_sql_check(db,
	                sqlite3_exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; "
	                                 "PRAGMA journal_mode = WAL", NULL, NULL, NULL),
	                "pragmas");
	/* A page cache of 8 MiB by default; bench/run gives each size the one under which raw
	 * SQLite is fastest (docs/benchmarks.md);
	 * BENCH_RAW_CACHE_KIB overrides it.  Experiment knobs (not used by bench/run):
	 * BENCH_RAW_SAVEPOINT=1 wraps every insert in SAVEPOINT/RELEASE (sqlite3_exec());
	 * BENCH_RAW_SQL_SETUP runs SQL before the timed part (PRAGMA foreign_keys = OFF, say),
	 * BENCH_RAW_SQL_PRE and BENCH_RAW_SQL_POST inside the timed transaction before and after
	 * the inserts (DROP INDEX ..., CREATE INDEX ...); BENCH_RAW_VERBOSE prints the inserts'
	 * and the commit's seconds apart.  They are how the deferred person index was chosen
	 * (docs/benchmarks.md). */
	const char *knob = getenv("BENCH_RAW_CACHE_KIB");
	long cache_kib = knob && *knob ? atol(knob) : 8 * 1024;
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA cache_size = -%ld", cache_kib);
	bench_sql_check(db, sqlite3_exec(db, pragma, NULL, NULL, NULL), "cache_size");
	knob = getenv("BENCH_RAW_SAVEPOINT");
	int savepoints = knob && *knob == '1';

	size_t n;
	bench_row *rows = bench_read_rows(file, db, &n);

	const char *setup = getenv("BENCH_RAW_SQL_SETUP");
	if (setup && *setup)
		bench_sql_check(db, sqlite3_exec(db, setup, NULL, NULL, NULL), "BENCH_RAW_SQL_SETUP");
	double t0 = bench_now();
	const char *pre = getenv("BENCH_RAW_SQL_PRE"), *post = getenv("BENCH_RAW_SQL_POST");
	bench_sql_check(db, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
	if (pre && *pre)
		bench_sql_check(db, sqlite3_exec(db, pre, NULL, NULL, NULL), "BENCH_RAW_SQL_PRE");
	bench_insert_rows(db, rows, n, savepoints);
	if (post && *post)
		bench_sql_check(db, sqlite3_exec(db, post, NULL, NULL, NULL), "BENCH_RAW_SQL_POST");
	double t1 = bench_now();
	bench_sql_check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	*secs = bench_now() - t0;
	if (getenv("BENCH_RAW_VERBOSE"))
		fprintf(stderr, "raw: inserts %.3f s, commit %.3f s\n", t1 - t0, bench_now() - t1);
	*records = (int64_t)n;
	sqlite3_close(db);
	bench_remove_registry(reg_path);
}

/* ---- (d) raw SQLite writing a registry's whole content ----------------------------------- */

/*
 * The national benchmark's yardstick (bench/run, BENCH_ONLY=national): FILE is a registry that
 * `youth import` wrote, and raw SQLite writes the same rows into the same tables of a fresh file,
 * with the connection settings of an import (16 KiB pages, WAL, synchronous FULL, foreign keys
 * on, the import's 32 MiB page cache), by one INSERT ... SELECT a table, in one transaction,
 * each table read in the order of its own B-tree (table_order()).  The indexes and triggers are
 * created after the rows, sorted with the import's sort settings, the fastest way SQLite has
 * to load a table, so that the ratio never flatters the import (BENCH_COPY_INDEXES=before
 * creates them first).  The "WHERE 1" keeps SQLite from copying a table's pages as they are
 * (its transfer optimisation): every row goes through the B-tree inserts an import makes.  The scan phase
 * reads the same rows, every column, and writes nothing: the copy's share of reading.
 */

/* Tables of @src in an order where each comes after the tables it references. */
static char **copy_tables(sqlite3 *src, size_t *n)
{
	sqlite3_stmt *st;
	bench_sql_check(src, sqlite3_prepare_v2(src, "SELECT name FROM sqlite_schema WHERE type = "
	                                        "'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
	                                        -1, &st, NULL), "tables");
	char **all = NULL;
	size_t count = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		all = realloc(all, (count + 1) * sizeof *all);
		if (!all || !(all[count] = strdup((const char *)sqlite3_column_text(st, 0)))) {
			fprintf(stderr, "%s: out of memory\n", bench_prog);
			exit(1);
		}
		count++;
	}
	sqlite3_finalize(st);
	char **order = calloc(count ? count : 1, sizeof *order);
	int *placed = calloc(count ? count : 1, sizeof *placed);
	if (!order || !placed) {
		fprintf(stderr, "%s: out of memory\n", bench_prog);
		exit(1);
	}
	size_t done = 0;
	while (done < count) {
		size_t before = done;
		for (size_t i = 0; i < count; i++) {
			if (placed[i])
				continue;
			int ready = 1;
			bench_sql_check(src, sqlite3_prepare_v2(src, "SELECT \"table\" FROM "
			                                        "pragma_foreign_key_list(?1)", -1, &st, NULL),
			                "foreign keys");
			sqlite3_bind_text(st, 1, all[i], -1, SQLITE_STATIC);
			while (ready && sqlite3_step(st) == SQLITE_ROW) {
				const char *parent = (const char *)sqlite3_column_text(st, 0);
				for (size_t j = 0; j < count; j++)
					if (j != i && !placed[j] && !strcmp(all[j], parent))
						ready = 0;
			}
			sqlite3_finalize(st);
			if (ready) {
				placed[i] = 1;
				order[done++] = all[i];
			}
		}
		if (done == before) {
			fprintf(stderr, "%s: the tables' foreign keys form a cycle\n", bench_prog);
			exit(1);
		}
	}
	free(placed);
	free(all);
	*n = count;
	return order;
}

/* Whether @name is one of the comma-separated names of @list. */
static int listed(const char *list, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && !strncmp(p, name, len))
			return 1;
		p += n + (end != NULL);
	}
	return 0;
}

static sqlite3 *copy_open_source(const char *file)
{
	sqlite3 *src = NULL;
	char uri[4200];
	snprintf(uri, sizeof uri, "file:%s?mode=ro", file);
	int s = sqlite3_open_v2(uri, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	bench_sql_check(src, s, file);
	return src;
}

static void phase_scan(const char *file, double *secs, int64_t *rows)
{
	sqlite3 *src = copy_open_source(file);
	bench_sql_check(src, sqlite3_exec(src, "PRAGMA cache_size = -32768", NULL, NULL, NULL),
	                "cache_size");
	size_t n;
	char **tables = copy_tables(src, &n);
	double t0 = bench_now();
	int64_t count = 0;
	for (size_t i = 0; i < n; i++) {
		char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", tables[i]);
		sqlite3_stmt *st;
		bench_sql_check(src, sqlite3_prepare_v2(src, sql, -1, &st, NULL), sql);
		int cols = sqlite3_column_count(st), s;
		while ((s = sqlite3_step(st)) == SQLITE_ROW) {
			for (int c = 0; c < cols; c++) /* each value read, as an INSERT ... SELECT reads it */
				(void)sqlite3_column_bytes(st, c);
			count++;
		}
		bench_sql_check(src, s, sql);
		sqlite3_finalize(st);
		sqlite3_free(sql);
		free(tables[i]);
	}
	*secs = bench_now() - t0;
	*rows = count;
	free(tables);
	sqlite3_close(src);
}

/* "ORDER BY ..." reading table @table of @db in the order of its own B-tree: its rowid, or the
 * columns of its primary key for a WITHOUT ROWID table.  Without it SQLite may read a table
 * through a smaller covering index (person_name through person_name_key), and a copy then
 * inserts the rows in the index's order, at random places of the new table: a million-person
 * registry's copy took 68 s instead of 21 (docs/benchmarks.md, "The eighth pass"). */
static char *table_order(sqlite3 *db, const char *table)
{
	sqlite3_stmt *st = NULL;
	char *probe = sqlite3_mprintf("SELECT rowid FROM \"%w\" LIMIT 0", table);
	int has_rowid = sqlite3_prepare_v2(db, probe, -1, &st, NULL) == SQLITE_OK;
	sqlite3_finalize(st);
	sqlite3_free(probe);
	if (has_rowid)
		return sqlite3_mprintf("ORDER BY rowid");
	bench_sql_check(db, sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 "
	                                        "ORDER BY pk", -1, &st, NULL), "primary key");
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	char *order = sqlite3_mprintf("ORDER BY");
	for (int i = 0; sqlite3_step(st) == SQLITE_ROW; i++)
		order = sqlite3_mprintf("%z%s \"%w\"", order, i ? "," : "",
		                        (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return order;
}

static void phase_copy(const char *file, double *secs, int64_t *rows)
{
	char dest_path[4096];
	snprintf(dest_path, sizeof dest_path, "%s/bench-copy.registry", bench_dir);
	bench_remove_registry(dest_path);
	sqlite3 *src = copy_open_source(file);
	size_t n;
	char **tables = copy_tables(src, &n);

	sqlite3 *db = NULL;
	int s = sqlite3_open_v2(dest_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	bench_sql_check(db, s, dest_path);
	bench_sql_check(db, sqlite3_exec(db, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; "
	                                     "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
	                                     NULL, NULL, NULL),
	                "pragmas");
	/* BENCH_COPY_FK=off: no foreign key checked (experiments: what SQLite's own look-up of
	 * each row's parents costs; an import keeps them on). */
	const char *knob = getenv("BENCH_COPY_FK");
	if (knob && !strcmp(knob, "off"))
		bench_sql_check(db, sqlite3_exec(db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL),
		                "foreign_keys");
	/* The import's memory (YOUTH__IMPORT_MEMORY_KIB, which the import shares between its page
	 * cache and its memos): all of it for the copy's cache, which needs no memo;
	 * BENCH_COPY_CACHE_KIB for experiments. */
	knob = getenv("BENCH_COPY_CACHE_KIB");
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA cache_size = -%ld", knob && *knob ? atol(knob) : 49152L);
	bench_sql_check(db, sqlite3_exec(db, pragma, NULL, NULL, NULL), "cache_size");
	/* The tables first; indexes and triggers after the rows unless BENCH_COPY_INDEXES=before. */
	knob = getenv("BENCH_COPY_INDEXES");
	int indexes_first = knob && !strcmp(knob, "before");
	sqlite3_stmt *st;
	bench_sql_check(src, sqlite3_prepare_v2(src, "SELECT type, sql FROM sqlite_schema WHERE sql "
	                                        "IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY "
	                                        "type <> 'table', rowid", -1, &st, NULL), "schema");
	char *later = sqlite3_mprintf("%s", "");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(st, 0);
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		if (!strcmp(type, "table") || indexes_first)
			bench_sql_check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), sql);
		else
			later = sqlite3_mprintf("%z%s;\n", later, sql);
	}
	sqlite3_finalize(st);
	sqlite3_close(src);
	char *attach = sqlite3_mprintf("ATTACH 'file:%q?mode=ro' AS src", file);
	bench_sql_check(db, sqlite3_exec(db, attach, NULL, NULL, NULL), attach);
	sqlite3_free(attach);

	double t0 = bench_now();
	int64_t count = 0;
	bench_sql_check(db, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
	/* BENCH_COPY_SKIP=T1,T2: tables left empty (experiments: what one table's rows cost). */
	const char *skip = getenv("BENCH_COPY_SKIP");
	for (size_t i = 0; i < n; i++) {
		if (skip && listed(skip, tables[i])) {
			free(tables[i]);
			continue;
		}
		char *order = table_order(db, tables[i]);
		char *sql = sqlite3_mprintf("INSERT INTO main.\"%w\" SELECT * FROM src.\"%w\" WHERE 1 %s",
		                            tables[i], tables[i], order);
		sqlite3_free(order);
		bench_sql_check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), sql);
		count += sqlite3_changes64(db);
		sqlite3_free(sql);
		free(tables[i]);
	}
	/* The indexes sorted as an import sorts its deferred ones (libyouth/import.c): a 4 MiB
	 * cache and two sorter threads, the fastest there (the index of a million persons' name
	 * keys: 10.3-10.9 s with the 32 MiB cache and one thread, 3.8-4.0 s so);
	 * BENCH_COPY_SORT_CACHE_KIB for experiments. */
	knob = getenv("BENCH_COPY_SORT_CACHE_KIB");
	snprintf(pragma, sizeof pragma, "PRAGMA cache_size = -%ld", knob && *knob ? atol(knob) : 4096L);
	bench_sql_check(db, sqlite3_exec(db, pragma, NULL, NULL, NULL), "cache_size");
	bench_sql_check(db, sqlite3_exec(db, "PRAGMA threads = 2", NULL, NULL, NULL), "threads");
	bench_sql_check(db, sqlite3_exec(db, later, NULL, NULL, NULL), "indexes and triggers");
	bench_sql_check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	*secs = bench_now() - t0;
	*rows = count;
	sqlite3_free(later);
	free(tables);
	sqlite3_close(db);
	bench_remove_registry(dest_path);
}

static void usage(void)
{
	fputs("usage: bench-import -g GAZETTEER.yaml [-d WORKDIR] [-p import,parse,raw] [-n ROUNDS] "
	      "FILE\n"
	      "       bench-import -g GAZETTEER.yaml [-d WORKDIR] -p scan,copy [-n ROUNDS] REGISTRY\n"
	      "       bench-import -g GAZETTEER.yaml --prepare REGISTRY\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	bench_prog = "bench-import";
	const char *phases = "import,parse,raw", *file = NULL, *prepare = NULL;
	int rounds = 1;
	for (int i = 1; i < argc; i++) {
		if (bench_option(argc, argv, &i, &rounds))
			continue;
		if (!strcmp(argv[i], "-p") && i + 1 < argc)
			phases = argv[++i];
		else if (!strcmp(argv[i], "--prepare") && i + 1 < argc)
			prepare = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			usage();
	}
	if (!bench_gazetteer || (!file && !prepare))
		usage();
	if (prepare) {
		youth_registry_close(bench_fresh_registry(prepare));
		return 0;
	}
	static const struct {
		const char *name, *count_name;
		bench_phase_fn fn;
	} table[] = {{"import", "records", phase_import},
	             {"parse", "events", phase_parse},
	             {"raw", "rows", phase_raw},
	             {"scan", "rows", phase_scan},
	             {"copy", "rows", phase_copy}};
	enum { PHASES = sizeof table / sizeof table[0] };
	/* Rounds run the phases in turn (import, parse, raw, import, ...), so that a neighbour
	 * who slows the machine for a while slows every phase alike; the medians are printed. */
	double secs[PHASES][15], cpus[PHASES][15];
	long rss[PHASES] = {0};
	int64_t count[PHASES] = {0};
	int failed[PHASES] = {0};
	for (int round = 0; round < rounds; round++)
		for (size_t i = 0; i < PHASES; i++) {
			if (!strstr(phases, table[i].name) || failed[i])
				continue;
			bench_result r;
			long peak;
			double cpu;
			if (bench_run_phase(table[i].fn, file, &r, &peak, &cpu)) {
				fprintf(stderr, "bench-import: phase %s failed\n", table[i].name);
				failed[i] = 1;
				continue;
			}
			secs[i][round] = r.secs;
			cpus[i][round] = cpu;
			count[i] = r.count;
			if (peak > rss[i])
				rss[i] = peak;
		}
	printf("file=%s rounds=%d", file, rounds);
	int any_failed = 0;
	for (size_t i = 0; i < PHASES; i++) {
		if (!strstr(phases, table[i].name))
			continue;
		if (failed[i]) {
			printf(" %s_s=NA", table[i].name);
			any_failed = 1;
			continue;
		}
		double mid = bench_median(secs[i], rounds); /* sorts: secs[i][0] is the fastest round */
		printf(" %s_s=%.3f %s_best_s=%.3f %s_%s=%" PRId64 " %s_rss_kib=%ld %s_cpu_s=%.3f",
		       table[i].name, mid, table[i].name, secs[i][0], table[i].name, table[i].count_name,
		       count[i], table[i].name, rss[i], table[i].name, bench_median(cpus[i], rounds));
	}
	putchar('\n');
	return any_failed;
}
