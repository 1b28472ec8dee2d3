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
 *     bench/bench-import -g GAZETTEER.yaml [-d WORKDIR] [-p import,parse,raw] [-n ROUNDS] FILE
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
	/* The page cache youth_import_file() sets for the length of an import (8 MiB,
	 * YOUTH__IMPORT_CACHE_KIB in libyouth/import.c), so both sides get the same cache;
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

static void usage(void)
{
	fputs("usage: bench-import -g GAZETTEER.yaml [-d WORKDIR] [-p import,parse,raw] [-n ROUNDS] "
	      "FILE\n"
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
	             {"raw", "rows", phase_raw}};
	/* Rounds run the phases in turn (import, parse, raw, import, ...), so that a neighbour
	 * who slows the machine for a while slows every phase alike; the medians are printed. */
	double secs[3][15], cpus[3][15];
	long rss[3] = {0, 0, 0};
	int64_t count[3] = {0, 0, 0};
	int failed[3] = {0, 0, 0};
	for (int round = 0; round < rounds; round++)
		for (size_t i = 0; i < 3; i++) {
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
	for (size_t i = 0; i < 3; i++) {
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
