/*
 * What the two benchmark programs (bench-import, bench-write) share: the clock, fresh registry
 * files, the census rows read into memory for the raw SQLite phases, the person INSERT of
 * libyouth/person.c, and phases run in forked children.  Not part of libyouth.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>
#include <youth.h>

extern const char *bench_prog;     /* program name for messages */
extern const char *bench_gazetteer; /* -g: loaded into every fresh registry */
extern const char *bench_dir;       /* -d: where registries are created */

/* Takes the options both programs accept at argv[*i]: -g GAZETTEER, -d DIR, -n ROUNDS (1-15);
 * moves *i past the value.  0 when argv[*i] is none of them. */
int bench_option(int argc, char **argv, int *i, int *rounds);

double bench_now(void);
void bench_die_youth(const char *what);
void bench_sql_check(sqlite3 *db, int s, const char *what);
void bench_remove_registry(const char *path);
/* A fresh registry file at @path with the schema and the gazetteer, left open. */
youth_registry *bench_fresh_registry(const char *path);

/* One person, as youth_person_add() binds it (NULL = SQL NULL); @place is the gazetteer path
 * the census file names, @place_id its key in a fresh registry. */
typedef struct bench_row {
	const char *national_id, *given_names, *first_surname, *second_surname, *name_key,
		*birth_date, *address, *phone, *census_date, *census_round, *job_profiles,
		*consent_date, *uuid, *place;
	int64_t place_id;
	int sex, education, studying, employment, household_size, disability, consent;
} bench_row;

/* Reads the census file written by gen-census into rows, with the place ids of registry @db
 * (a fresh one: the gazetteer load numbers places the same way every time).  Not a YAML
 * parser and never timed: it only gets the rows into memory. */
bench_row *bench_read_rows(const char *file, sqlite3 *db, size_t *count);

/* The INSERT of libyouth/person.c, verbatim, and the binding of one row to it. */
extern const char bench_sql_insert[];
void bench_bind_row(sqlite3_stmt *st, const bench_row *r);
/* Inserts @rows with one prepared bench_sql_insert, inside the caller's transaction; with
 * @savepoints each insert runs in SAVEPOINT/RELEASE (sqlite3_exec()), as the old write path. */
void bench_insert_rows(sqlite3 *db, const bench_row *rows, size_t n, int savepoints);

/* A phase run in its own forked child, so that the peak RSS of one never mixes with another. */
typedef struct bench_result {
	double secs;
	int64_t count;
} bench_result;
typedef void (*bench_phase_fn)(const char *file, double *secs, int64_t *count);
/* Returns the child's result, peak RSS (KiB) and CPU seconds (user + system, set-up
 * included); -1 when the child failed. */
int bench_run_phase(bench_phase_fn fn, const char *file, bench_result *out, long *maxrss_kib,
                    double *cpu);
/* Sorts @v: v[0] is then the smallest. */
double bench_median(double *v, int n);

#endif
