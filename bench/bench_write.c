/*
 * bench-write: the cost of libyouth's write path against raw SQLite, one record at a time.
 * Three phases, each in its own forked child, taking turns (api, raw, person, api, ...):
 *
 *   api     N youth_person_add() calls inside one youth_registry_begin() / youth_registry_commit()
 *           on a fresh registry file with the gazetteer loaded (both untimed);
 *   raw     the same rows written by plain prepared INSERTs in one BEGIN IMMEDIATE ... COMMIT,
 *           into a registry created the same way (same tables, indexes, pragmas, page cache):
 *           each person's row (the statement of libyouth/person.c, UUID and folded name key
 *           computed beforehand) with its name index rows (names.c: the new words of
 *           name_token and their variants, then the person's keys in person_name), all read
 *           beforehand from a registry the api phase's calls filled, untimed;
 *   person  the person rows alone, as raw but without the name index: what the add costs
 *           against a table without it.
 *
 * All are timed from the BEGIN to the end of the COMMIT.  api/raw is the price of validation,
 * the place look-up, UUID generation, the name keys' computation and the write path's per-call
 * guarantee (a failed call undoes only its own rows); api/person adds the name index's writes.
 *
 *     bench/bench-write -g GAZETTEER.yaml [-d WORKDIR] [-p api,raw,person] [-n ROUNDS] FILE
 *
 * -p runs only the phases named (for a profiler: `-p api -n 1`); the ratios need api and the
 * other.  FILE is a census written by bench/gen-census.  Prints one line of key=value pairs:
 * medians (api_s, raw_s, person_s), fastest rounds, the CPU seconds (user + system) of the
 * median child, the ratios api/raw (ratio, best_ratio, cpu_ratio) and api/person (the same
 * with person_), the records and the name index keys written.
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

/* youth_person_add() for every row, in one transaction. */
static void add_all(youth_registry *reg)
{
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
}

static void phase_api(const char *file, double *secs, int64_t *records)
{
	(void)file;
	char path[4096];
	registry_path(path, sizeof path, "api");
	youth_registry *reg = bench_fresh_registry(path);
	double t0 = bench_now();
	add_all(reg);
	*secs = bench_now() - t0;
	*records = (int64_t)n_rows;
	youth_registry_close(reg);
	bench_remove_registry(path);
}

/* ---- the name index rows, as the api phase writes them ---------------------------------- */

typedef struct {
	int64_t id;
	char *token, *sound;
	size_t first_near, n_near; /* its variants: near[first_near ...] */
} token_row;

typedef struct {
	int64_t person_id, key, words;
} key_row;

static token_row *tokens;      /* in id order, which is the order they were added */
static size_t n_tokens;
static char *(*near)[2];       /* variant, token */
static size_t n_near;
static key_row *keys;          /* in person order */
static size_t n_keys;
static size_t *token_owner;    /* per token: the person row (0-based) whose add created it */

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 1024;
	p = realloc(p, *cap * size);
	if (!p) {
		fputs("bench-write: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static char *dup_text(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	char *c = strdup(t ? t : "");
	if (!c) {
		fputs("bench-write: out of memory\n", stderr);
		exit(1);
	}
	return c;
}

/* Adds every row through the api once (untimed) and reads back what it wrote to the name
 * index, so that the raw phase writes exactly the same rows. */
static void read_name_rows(void)
{
	char path[4096];
	registry_path(path, sizeof path, "names");
	youth_registry *reg = bench_fresh_registry(path);
	add_all(reg);
	youth_registry_close(reg);
	sqlite3 *db = NULL;
	bench_sql_check(db, sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), path);
	sqlite3_stmt *st;
	size_t cap = 0;
	bench_sql_check(db, sqlite3_prepare_v2(db, "SELECT id, token, sound FROM name_token ORDER BY id",
	                                       -1, &st, NULL), "tokens");
	while (sqlite3_step(st) == SQLITE_ROW) {
		tokens = grow(tokens, &cap, n_tokens, sizeof *tokens);
		token_row *t = &tokens[n_tokens++];
		t->id = sqlite3_column_int64(st, 0);
		t->token = dup_text(st, 1);
		t->sound = dup_text(st, 2);
		t->first_near = t->n_near = 0;
	}
	sqlite3_finalize(st);
	cap = 0;
	bench_sql_check(db, sqlite3_prepare_v2(db, "SELECT n.variant, n.token, t.id FROM name_token_near n "
	                                       "JOIN name_token t ON t.token = n.token ORDER BY t.id",
	                                       -1, &st, NULL), "variants");
	size_t t = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		near = grow(near, &cap, n_near, sizeof *near);
		near[n_near][0] = dup_text(st, 0);
		near[n_near][1] = dup_text(st, 1);
		int64_t id = sqlite3_column_int64(st, 2);
		while (t < n_tokens && tokens[t].id < id)
			t++;
		if (t < n_tokens && tokens[t].id == id) {
			if (tokens[t].n_near++ == 0)
				tokens[t].first_near = n_near;
		}
		n_near++;
	}
	sqlite3_finalize(st);
	cap = 0;
	bench_sql_check(db, sqlite3_prepare_v2(db, "SELECT person_id, key, words FROM person_name "
	                                       "ORDER BY person_id, key", -1, &st, NULL), "keys");
	while (sqlite3_step(st) == SQLITE_ROW) {
		keys = grow(keys, &cap, n_keys, sizeof *keys);
		keys[n_keys++] = (key_row){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		                           sqlite3_column_int64(st, 2)};
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	bench_remove_registry(path);
	/* A word's token was added by the first person whose keys name it (word keys are the
	 * positive ones, token ids); persons are numbered 1..N in row order. */
	token_owner = calloc(n_tokens ? n_tokens : 1, sizeof *token_owner);
	if (!token_owner)
		exit(1);
	for (size_t i = 0; i < n_tokens; i++)
		token_owner[i] = SIZE_MAX;
	for (size_t k = 0; k < n_keys; k++) {
		if (keys[k].key <= 0)
			continue;
		size_t lo = 0, hi = n_tokens;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (tokens[mid].id < keys[k].key)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n_tokens && tokens[lo].id == keys[k].key && token_owner[lo] == SIZE_MAX)
			token_owner[lo] = (size_t)(keys[k].person_id - 1);
	}
}

/* A registry made by youth_registry_open(), then reopened by plain SQLite with the pragmas
 * youth_registry_open() sets (set_pragmas() in registry.c; WAL and the page size are kept in
 * the file), its page cache included. */
static sqlite3 *raw_open(const char *path)
{
	youth_registry_close(bench_fresh_registry(path));
	sqlite3 *db = NULL;
	bench_sql_check(db, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), path);
	bench_sql_check(db,
	                sqlite3_exec(db, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
	                                 "PRAGMA synchronous = FULL; PRAGMA temp_store = FILE; "
	                                 "PRAGMA secure_delete = ON; PRAGMA cache_size = -32768",
	                             NULL, NULL, NULL),
	                "pragmas");
	return db;
}

static void step_reset(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
	bench_sql_check(db, sqlite3_step(st), what);
	sqlite3_reset(st);
}

/* The person rows with their name index rows, in the order the api writes them: for each
 * person its new words and their variants, its row, its keys. */
static void write_same_rows(sqlite3 *db)
{
	sqlite3_stmt *person, *token, *variant, *key;
	bench_sql_check(db, sqlite3_prepare_v2(db, bench_sql_insert, -1, &person, NULL), "prepare");
	bench_sql_check(db, sqlite3_prepare_v2(db, "INSERT INTO name_token (id, token, sound) "
	                                       "VALUES (?1, ?2, ?3)", -1, &token, NULL), "prepare");
	bench_sql_check(db, sqlite3_prepare_v2(db, "INSERT INTO name_token_near (variant, token) "
	                                       "VALUES (?1, ?2)", -1, &variant, NULL), "prepare");
	bench_sql_check(db, sqlite3_prepare_v2(db, "INSERT INTO person_name (person_id, key, words) "
	                                       "VALUES (?1, ?2, ?3)", -1, &key, NULL), "prepare");
	size_t t = 0, k = 0;
	for (size_t i = 0; i < n_rows; i++) {
		for (; t < n_tokens && token_owner[t] == i; t++) {
			sqlite3_bind_int64(token, 1, tokens[t].id);
			sqlite3_bind_text(token, 2, tokens[t].token, -1, SQLITE_STATIC);
			sqlite3_bind_text(token, 3, tokens[t].sound, -1, SQLITE_STATIC);
			step_reset(db, token, "token");
			for (size_t v = 0; v < tokens[t].n_near; v++) {
				sqlite3_bind_text(variant, 1, near[tokens[t].first_near + v][0], -1, SQLITE_STATIC);
				sqlite3_bind_text(variant, 2, near[tokens[t].first_near + v][1], -1, SQLITE_STATIC);
				step_reset(db, variant, "variant");
			}
		}
		bench_bind_row(person, &rows[i]);
		step_reset(db, person, "insert");
		for (; k < n_keys && keys[k].person_id == (int64_t)i + 1; k++) {
			sqlite3_bind_int64(key, 1, keys[k].person_id);
			sqlite3_bind_int64(key, 2, keys[k].key);
			sqlite3_bind_int64(key, 3, keys[k].words);
			step_reset(db, key, "key");
		}
	}
	if (t != n_tokens || k != n_keys) {
		fprintf(stderr, "bench-write: raw wrote %zu of %zu words and %zu of %zu keys\n", t,
		        n_tokens, k, n_keys);
		exit(1);
	}
	sqlite3_finalize(person);
	sqlite3_finalize(token);
	sqlite3_finalize(variant);
	sqlite3_finalize(key);
}

/* The person rows alone. */
static void write_person_rows(sqlite3 *db)
{
	bench_insert_rows(db, rows, n_rows, 0);
}

/* A raw phase: @write's statements timed from BEGIN IMMEDIATE to the end of COMMIT. */
static void raw_phase(const char *name, void (*write)(sqlite3 *), double *secs, int64_t *records)
{
	char path[4096];
	registry_path(path, sizeof path, name);
	sqlite3 *db = raw_open(path);
	double t0 = bench_now();
	bench_sql_check(db, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
	write(db);
	bench_sql_check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	*secs = bench_now() - t0;
	*records = (int64_t)n_rows;
	sqlite3_close(db);
	bench_remove_registry(path);
}

static void phase_raw(const char *file, double *secs, int64_t *records)
{
	(void)file;
	raw_phase("raw", write_same_rows, secs, records);
}

static void phase_person(const char *file, double *secs, int64_t *records)
{
	(void)file;
	raw_phase("person", write_person_rows, secs, records);
}

static void usage(void)
{
	fputs("usage: bench-write -g GAZETTEER.yaml [-d WORKDIR] [-p api,raw,person] [-n ROUNDS] FILE\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	bench_prog = "bench-write";
	const char *file = NULL, *phases = "api,raw,person";
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

	if (strstr(phases, "raw"))
		read_name_rows();

	static const struct {
		const char *name;
		bench_phase_fn fn;
	} table[] = {{"api", phase_api}, {"raw", phase_raw}, {"person", phase_person}};
	enum { PHASES = sizeof table / sizeof table[0] };
	double secs[PHASES][15] = {{0}}, cpus[PHASES][15] = {{0}};
	for (int round = 0; round < rounds; round++)
		for (size_t i = 0; i < PHASES; i++) {
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
	double mid[PHASES], best[PHASES], cpu[PHASES];
	for (size_t i = 0; i < PHASES; i++) {
		mid[i] = bench_median(secs[i], rounds); /* sorts: secs[i][0] is the fastest round */
		best[i] = secs[i][0];
		cpu[i] = bench_median(cpus[i], rounds);
	}
	printf("file=%s rounds=%d records=%zu keys=%zu", file, rounds, n_rows, n_keys);
	for (size_t i = 0; i < PHASES; i++)
		printf(" %s_s=%.3f %s_best_s=%.3f %s_cpu_s=%.3f", table[i].name, mid[i], table[i].name,
		       best[i], table[i].name, cpu[i]);
	/* ratio: api over raw; person_ratio: api over person (median, fastest, CPU) */
	for (size_t i = 1; i < PHASES; i++)
		if (mid[0] > 0 && mid[i] > 0)
			printf(" %sratio=%.2f %sbest_ratio=%.2f %scpu_ratio=%.2f", i == 1 ? "" : "person_",
			       mid[0] / mid[i], i == 1 ? "" : "person_", best[0] / best[i],
			       i == 1 ? "" : "person_", cpu[0] / cpu[i]);
	putchar('\n');
	return 0;
}
