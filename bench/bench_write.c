/*
 * bench-write: the cost of libyouth's write path against raw SQLite, one record at a time.
 * Two phases, each in its own forked child, taking turns (api, raw, api, raw, ...):
 *
 *   api  N youth_person_add() calls inside one youth_registry_begin() / youth_registry_commit()
 *        on a fresh registry file with the gazetteer loaded (both untimed);
 *   raw  the same rows, read beforehand into memory with UUIDs (v7, as libyouth makes them)
 *        and folded name keys,
 *        inserted with one prepared INSERT (the statement of libyouth/person.c) in one
 *        BEGIN IMMEDIATE ... COMMIT, into a registry created the same way: same table, same
 *        indexes, the pragmas youth_registry_open() sets, the same (default) page cache.
 *
 * Both are timed from the BEGIN to the end of the COMMIT.  api/raw is the price of validation,
 * the place look-up, UUID generation and the write path's per-call guarantee (a failed call
 * undoes only its own rows).
 *
 *     bench/bench-write -g GAZETTEER.yaml [-d WORKDIR] [-p api,raw] [-n ROUNDS] FILE
 *
 * -p runs only the phases named (for a profiler: `-p api -n 1`); the ratios need both.
 * FILE is a census written by bench/gen-census.  Prints one line of key=value pairs: medians
 * (api_s, raw_s), fastest rounds (api_best_s, raw_best_s), the ratios of both, the CPU seconds
 * (user + system) of the median child and the records.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"

static bench_row *rows;
static size_t n_rows;

static void registry_path(char *out, size_t size, const char *phase)
{
	snprintf(out, size, "%s/bench-write-%s.registry", bench_dir, phase);
}

static void phase_api(const char *file, double *secs, int64_t *records)
{
	(void)file;
	char path[4096];
	registry_path(path, sizeof path, "api");
	youth_registry *reg = bench_fresh_registry(path);
	double t0 = bench_now();
	if (youth_registry_begin(reg))
		bench_die_youth("begin");
	for (size_t i = 0; i < n_rows; i++) {
		const bench_row *r = &rows[i];
		youth_person p;
		youth_person_init(&p);
		p.national_id = r->national_id;
		p.given_names = r->given_names;
		p.first_surname = r->first_surname;
		p.second_surname = r->second_surname;
		p.birth_date = r->birth_date;
		p.sex = r->sex;
		p.place = r->place;
		p.address = r->address;
		p.phone = r->phone;
		p.education = r->education;
		p.studying = r->studying;
		p.employment = r->employment;
		p.household_size = r->household_size;
		p.disability = r->disability;
		p.census_date = r->census_date;
		p.census_round = r->census_round;
		p.job_profiles = r->job_profiles;
		p.consent = r->consent;
		p.consent_date = r->consent_date;
		if (youth_person_add(reg, &p, 0))
			bench_die_youth("youth_person_add");
	}
	if (youth_registry_commit(reg))
		bench_die_youth("commit");
	*secs = bench_now() - t0;
	*records = (int64_t)n_rows;
	youth_registry_close(reg);
	bench_remove_registry(path);
}

static void phase_raw(const char *file, double *secs, int64_t *records)
{
	(void)file;
	char path[4096];
	registry_path(path, sizeof path, "raw");
	youth_registry_close(bench_fresh_registry(path));
	sqlite3 *db = NULL;
	bench_sql_check(db, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), path);
	/* The per-connection pragmas of youth_registry_open() (set_pragmas() in registry.c; WAL
	 * and the page size are kept in the file).  temp_store changes nothing here (no statement
	 * journal without savepoints) and is set only so that the two sides differ in nothing. */
	bench_sql_check(db,
	                sqlite3_exec(db, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
	                                 "PRAGMA synchronous = FULL; PRAGMA temp_store = FILE",
	                             NULL, NULL, NULL),
	                "pragmas");
	double t0 = bench_now();
	bench_sql_check(db, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
	bench_insert_rows(db, rows, n_rows, 0);
	bench_sql_check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	*secs = bench_now() - t0;
	*records = (int64_t)n_rows;
	sqlite3_close(db);
	bench_remove_registry(path);
}

static void usage(void)
{
	fputs("usage: bench-write -g GAZETTEER.yaml [-d WORKDIR] [-p api,raw] [-n ROUNDS] FILE\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	bench_prog = "bench-write";
	const char *file = NULL, *phases = "api,raw";
	int rounds = 5;
	for (int i = 1; i < argc; i++) {
		if (bench_option(argc, argv, &i, &rounds))
			continue;
		if (!strcmp(argv[i], "-p") && i + 1 < argc)
			phases = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			usage();
	}
	if (!bench_gazetteer || !file)
		usage();

	/* The rows, read once (untimed) with the place ids of a fresh registry; the children
	 * inherit them. */
	char path[4096];
	registry_path(path, sizeof path, "rows");
	youth_registry_close(bench_fresh_registry(path));
	sqlite3 *db = NULL;
	bench_sql_check(db, sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), path);
	rows = bench_read_rows(file, db, &n_rows);
	sqlite3_close(db);
	bench_remove_registry(path);

	static const struct {
		const char *name;
		bench_phase_fn fn;
	} table[] = {{"api", phase_api}, {"raw", phase_raw}};
	double secs[2][15] = {{0}}, cpus[2][15] = {{0}};
	for (int round = 0; round < rounds; round++)
		for (size_t i = 0; i < 2; i++) {
			if (!strstr(phases, table[i].name))
				continue;
			bench_result r;
			long peak;
			if (bench_run_phase(table[i].fn, file, &r, &peak, &cpus[i][round])) {
				fprintf(stderr, "bench-write: phase %s failed\n", table[i].name);
				return 1;
			}
			secs[i][round] = r.secs;
		}
	double mid[2], best[2];
	for (size_t i = 0; i < 2; i++) {
		mid[i] = bench_median(secs[i], rounds); /* sorts: secs[i][0] is the fastest round */
		best[i] = secs[i][0];
	}
	printf("file=%s rounds=%d records=%zu", file, rounds, n_rows);
	for (size_t i = 0; i < 2; i++)
		printf(" %s_s=%.3f %s_best_s=%.3f %s_cpu_s=%.3f", table[i].name, mid[i], table[i].name,
		       best[i], table[i].name, bench_median(cpus[i], rounds));
	if (mid[0] > 0 && mid[1] > 0)
		printf(" ratio=%.2f best_ratio=%.2f", mid[0] / mid[1], best[0] / best[1]);
	putchar('\n');
	return 0;
}
