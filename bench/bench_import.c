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

#include <sqlite3.h>
#include <yaml.h>
#include <youth.h>

static const char *gazetteer_path;
static const char *work_dir = ".";

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die_youth(const char *what)
{
	const youth_error *e = youth_error_last();
	fprintf(stderr, "bench-import: %s: %s\n", what, e && e->message ? e->message : "?");
	exit(1);
}

static void remove_registry(const char *path)
{
	char tmp[4200];
	unlink(path);
	snprintf(tmp, sizeof tmp, "%s-wal", path);
	unlink(tmp);
	snprintf(tmp, sizeof tmp, "%s-shm", path);
	unlink(tmp);
}

/* A fresh registry file with the schema and the gazetteer, left open. */
static youth_registry *fresh_registry(const char *path)
{
	youth_registry *reg;
	remove_registry(path);
	if (youth_registry_open(&reg, path, YOUTH_OPEN_CREATE))
		die_youth(path);
	if (youth_gazetteer_load(reg, gazetteer_path, NULL))
		die_youth(gazetteer_path);
	return reg;
}

/* ---- (a) libyouth import ---------------------------------------------------------------- */

/* import route: the one call under test (youth_import_file(), atomic add-only import). */
static int import_route(youth_registry *reg, const char *path, int64_t *records)
{
	youth_import_options options;
	youth_interchange_summary summary = {0};
	youth_import_options_init(&options);
	int rc = youth_import_file(reg, path, &options, &summary);
	*records = summary.imported;
	return rc;
}

static void phase_import(const char *file, double *secs, int64_t *records)
{
	char reg_path[4096];
	snprintf(reg_path, sizeof reg_path, "%s/bench-import.registry", work_dir);
	youth_registry *reg = fresh_registry(reg_path);
	double t0 = now();
	if (import_route(reg, file, records))
		die_youth(file);
	*secs = now() - t0;
	youth_registry_close(reg);
	remove_registry(reg_path);
}

/* ---- (b) libyaml parse-only ------------------------------------------------------------- */

static void phase_parse(const char *file, double *secs, int64_t *events)
{
	double t0 = now();
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
	*secs = now() - t0;
	*events = n;
}

/* ---- (c) raw SQLite prepared insert ----------------------------------------------------- */

/* One row, as youth_person_add() binds it (NULL = SQL NULL). */
typedef struct row {
	const char *national_id, *given_names, *first_surname, *second_surname, *name_key,
		*birth_date, *address, *phone, *census_date, *census_round, *job_profiles,
		*consent_date, *uuid;
	int64_t place_id;
	int sex, education, studying, employment, household_size, disability, consent;
} row;

/* Strings live in 16 MiB chunks that never move. */
static char *arena_chunk;
static size_t arena_used, arena_cap;

static const char *keep(const char *s, size_t n)
{
	if (arena_used + n + 1 > arena_cap) {
		arena_cap = n + 1 > (16u << 20) ? n + 1 : (16u << 20);
		arena_chunk = malloc(arena_cap);
		if (!arena_chunk) {
			perror("bench-import");
			exit(1);
		}
		arena_used = 0;
	}
	char *p = arena_chunk + arena_used;
	memcpy(p, s, n);
	p[n] = 0;
	arena_used += n + 1;
	return p;
}

static int index_of(const char *v, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v, names[i]))
			return i;
	fprintf(stderr, "bench-import: unexpected value \"%s\"\n", v);
	exit(1);
}

static int truth(const char *v) { return !strcmp(v, "true") || !strcmp(v, "yes"); }

typedef struct place_map {
	char **path;
	int64_t *id;
	int n;
} place_map;

static int64_t place_id(const place_map *m, const char *path)
{
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->path[i], path))
			return m->id[i];
	fprintf(stderr, "bench-import: unknown place %s\n", path);
	exit(1);
}

/* A UUID v7 (48-bit millisecond time, random rest), as libyouth generates them. */
static void uuid_v7(char out[37], uint64_t ms, uint64_t *state)
{
	unsigned char b[16];
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	for (int i = 6; i < 16; i++) {
		*state ^= *state << 13;
		*state ^= *state >> 7;
		*state ^= *state << 17;
		b[i] = (unsigned char)*state;
	}
	b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
	static const char hex[] = "0123456789abcdef";
	int o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = 0;
}

static void finish_row(row *r, uint64_t *state, uint64_t ms)
{
	/* name_key: the three parts folded (youth_fold()) and joined by spaces, as validate() does. */
	char *a = NULL, *b = NULL, *c = NULL;
	if (youth_fold(&a, r->given_names) || youth_fold(&b, r->first_surname) ||
	    (r->second_surname && youth_fold(&c, r->second_surname)))
		die_youth("folding a name");
	size_t n = strlen(a) + 1 + strlen(b) + (c ? 1 + strlen(c) : 0);
	char *key = malloc(n + 1);
	snprintf(key, n + 1, "%s %s%s%s", a, b, c ? " " : "", c ? c : "");
	r->name_key = keep(key, n);
	free(key);
	youth_free(a);
	youth_free(b);
	youth_free(c);
	char u[37];
	uuid_v7(u, ms, state);
	r->uuid = keep(u, 36);
	if (!r->consent)
		r->consent_date = NULL;
}

/* Reads the census file written by gen-census (one `key: value` per line) into rows.  This is
 * not a YAML parser and is not timed: it only gets the rows into memory. */
static row *read_rows(const char *file, const place_map *places, size_t *count)
{
	static const char *const edu[] = {"unknown", "none", "primary", "lower_secondary",
	                                  "upper_secondary", "technical", "university"};
	static const char *const emp[] = {"unknown", "unemployed", "employed_formal",
	                                  "employed_informal", "self_employed", "inactive"};
	FILE *f = fopen(file, "rb");
	if (!f) {
		perror(file);
		exit(1);
	}
	size_t cap = 1024, n = 0;
	row *rows = malloc(cap * sizeof *rows);
	row *r = NULL;
	char *line = NULL;
	size_t line_cap = 0;
	ssize_t len;
	uint64_t state = 0x2545F4914F6CDD1Dull;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	while ((len = getline(&line, &line_cap, f)) > 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		char *k;
		if (!strncmp(line, "  - ", 4)) {
			if (r)
				finish_row(r, &state, ms++);
			if (n == cap) {
				cap *= 2;
				rows = realloc(rows, cap * sizeof *rows);
			}
			if (!rows) {
				perror("bench-import");
				exit(1);
			}
			r = &rows[n++];
			memset(r, 0, sizeof *r);
			k = line + 4;
		} else if (r && !strncmp(line, "    ", 4)) {
			k = line + 4;
		} else {
			continue; /* comments, format:, persons:, end: */
		}
		char *colon = strstr(k, ": ");
		if (!colon)
			continue;
		*colon = 0;
		char *v = colon + 2;
		size_t vn = strlen(v);
		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
			v[vn - 1] = 0;
			v++;
			vn -= 2;
		}
		if (!strcmp(k, "given_names"))
			r->given_names = keep(v, vn);
		else if (!strcmp(k, "first_surname"))
			r->first_surname = keep(v, vn);
		else if (!strcmp(k, "second_surname"))
			r->second_surname = keep(v, vn);
		else if (!strcmp(k, "birth_date"))
			r->birth_date = keep(v, vn);
		else if (!strcmp(k, "sex"))
			r->sex = !strcmp(v, "female") ? 1 : 2;
		else if (!strcmp(k, "place"))
			r->place_id = place_id(places, v);
		else if (!strcmp(k, "address"))
			r->address = keep(v, vn);
		else if (!strcmp(k, "phone"))
			r->phone = keep(v, vn); /* gen-census writes the stored form NNNN-NNNN */
		else if (!strcmp(k, "national_id"))
			r->national_id = keep(v, vn);
		else if (!strcmp(k, "education"))
			r->education = index_of(v, edu, 7);
		else if (!strcmp(k, "studying"))
			r->studying = truth(v);
		else if (!strcmp(k, "employment"))
			r->employment = index_of(v, emp, 6);
		else if (!strcmp(k, "household_size"))
			r->household_size = atoi(v);
		else if (!strcmp(k, "disability"))
			r->disability = truth(v);
		else if (!strcmp(k, "census_date"))
			r->census_date = keep(v, vn);
		else if (!strcmp(k, "census_round"))
			r->census_round = keep(v, vn);
		else if (!strcmp(k, "job_profiles"))
			r->job_profiles = keep(v, vn); /* already "a, b": the stored form */
		else if (!strcmp(k, "consent"))
			r->consent = truth(v);
		else if (!strcmp(k, "consent_date"))
			r->consent_date = keep(v, vn);
	}
	if (r)
		finish_row(r, &state, ms);
	free(line);
	fclose(f);
	*count = n;
	return rows;
}

static void sql_check(sqlite3 *db, int s, const char *what)
{
	if (s != SQLITE_OK && s != SQLITE_DONE && s != SQLITE_ROW) {
		fprintf(stderr, "bench-import: %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* The INSERT of libyouth/person.c, verbatim. */
static const char SQL_INSERT[] =
	"INSERT INTO person (national_id, given_names, first_surname, second_surname, name_key, "
	"birth_date, sex, place_id, address, phone, education, studying, employment, household_size, "
	"disability, census_date, census_round, job_profiles, consent, consent_date, uuid) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
	"?19, ?20, ?21)";

static void phase_raw(const char *file, double *secs, int64_t *records)
{
	char reg_path[4096];
	snprintf(reg_path, sizeof reg_path, "%s/bench-raw.registry", work_dir);
	youth_registry_close(fresh_registry(reg_path));

	sqlite3 *db = NULL;
	int s = sqlite3_open_v2(reg_path, &db, SQLITE_OPEN_READWRITE, NULL);
	sql_check(db, s, reg_path);
	/* The per-connection pragmas of youth_registry_open() (WAL is kept in the file). */
	sql_check(db, sqlite3_exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; "
	                               "PRAGMA journal_mode = WAL", NULL, NULL, NULL), "pragmas");
	/* The page cache youth_import_file() sets for the length of an import (8 MiB,
	 * YOUTH__IMPORT_CACHE_KIB in libyouth/interchange.c), so both sides get the same cache;
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
	sql_check(db, sqlite3_exec(db, pragma, NULL, NULL, NULL), "cache_size");
	knob = getenv("BENCH_RAW_SAVEPOINT");
	int savepoints = knob && *knob == '1';

	place_map places = {0};
	sqlite3_stmt *st;
	sql_check(db, sqlite3_prepare_v2(db, "SELECT path, id FROM place", -1, &st, NULL), "places");
	while (sqlite3_step(st) == SQLITE_ROW) {
		places.path = realloc(places.path, (size_t)(places.n + 1) * sizeof *places.path);
		places.id = realloc(places.id, (size_t)(places.n + 1) * sizeof *places.id);
		places.path[places.n] = strdup((const char *)sqlite3_column_text(st, 0));
		places.id[places.n++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);

	size_t n;
	row *rows = read_rows(file, &places, &n);

	const char *setup = getenv("BENCH_RAW_SQL_SETUP");
	if (setup && *setup)
		sql_check(db, sqlite3_exec(db, setup, NULL, NULL, NULL), "BENCH_RAW_SQL_SETUP");
	double t0 = now();
	const char *pre = getenv("BENCH_RAW_SQL_PRE"), *post = getenv("BENCH_RAW_SQL_POST");
	sql_check(db, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
	if (pre && *pre)
		sql_check(db, sqlite3_exec(db, pre, NULL, NULL, NULL), "BENCH_RAW_SQL_PRE");
	sql_check(db, sqlite3_prepare_v2(db, SQL_INSERT, -1, &st, NULL), "prepare");
	for (size_t i = 0; i < n; i++) {
		const row *r = &rows[i];
		bind_text(st, 1, r->national_id);
		bind_text(st, 2, r->given_names);
		bind_text(st, 3, r->first_surname);
		bind_text(st, 4, r->second_surname);
		bind_text(st, 5, r->name_key);
		bind_text(st, 6, r->birth_date);
		sqlite3_bind_int(st, 7, r->sex);
		sqlite3_bind_int64(st, 8, r->place_id);
		bind_text(st, 9, r->address);
		bind_text(st, 10, r->phone);
		sqlite3_bind_int(st, 11, r->education);
		sqlite3_bind_int(st, 12, r->studying);
		sqlite3_bind_int(st, 13, r->employment);
		if (r->household_size)
			sqlite3_bind_int(st, 14, r->household_size);
		else
			sqlite3_bind_null(st, 14);
		sqlite3_bind_int(st, 15, r->disability);
		bind_text(st, 16, r->census_date);
		bind_text(st, 17, r->census_round);
		bind_text(st, 18, r->job_profiles);
		sqlite3_bind_int(st, 19, r->consent);
		bind_text(st, 20, r->consent_date);
		sqlite3_bind_text(st, 21, r->uuid, 36, SQLITE_STATIC);
		if (savepoints)
			sql_check(db, sqlite3_exec(db, "SAVEPOINT youth_op", NULL, NULL, NULL), "savepoint");
		sql_check(db, sqlite3_step(st), "insert");
		sqlite3_reset(st);
		if (savepoints)
			sql_check(db, sqlite3_exec(db, "RELEASE youth_op", NULL, NULL, NULL), "release");
	}
	sqlite3_finalize(st);
	if (post && *post)
		sql_check(db, sqlite3_exec(db, post, NULL, NULL, NULL), "BENCH_RAW_SQL_POST");
	double t1 = now();
	sql_check(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	*secs = now() - t0;
	if (getenv("BENCH_RAW_VERBOSE"))
		fprintf(stderr, "raw: inserts %.3f s, commit %.3f s\n", t1 - t0, now() - t1);
	*records = (int64_t)n;
	sqlite3_close(db);
	remove_registry(reg_path);
}

/* ---- forked phases ----------------------------------------------------------------------- */

typedef struct result {
	double secs;
	int64_t count;
} result;

typedef void (*phase_fn)(const char *file, double *secs, int64_t *count);

/* Runs @fn in a child; returns its result, peak RSS (KiB) and CPU seconds (user + system,
 * the whole child: set-up included). */
static int run_phase(phase_fn fn, const char *file, result *out, long *maxrss_kib, double *cpu)
{
	int fd[2];
	if (pipe(fd)) {
		perror("pipe");
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid == 0) {
		close(fd[0]);
		result r = {0, 0};
		fn(file, &r.secs, &r.count);
		if (write(fd[1], &r, sizeof r) != (ssize_t)sizeof r)
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	ssize_t got = read(fd[0], out, sizeof *out);
	close(fd[0]);
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return -1;
	}
	if (got != (ssize_t)sizeof *out || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	*maxrss_kib = ru.ru_maxrss;
	*cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
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
	const char *phases = "import,parse,raw", *file = NULL, *prepare = NULL;
	int rounds = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-g") && i + 1 < argc)
			gazetteer_path = argv[++i];
		else if (!strcmp(argv[i], "-d") && i + 1 < argc)
			work_dir = argv[++i];
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			phases = argv[++i];
		else if (!strcmp(argv[i], "-n") && i + 1 < argc && atoi(argv[i + 1]) > 0 &&
		         atoi(argv[i + 1]) <= 15)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--prepare") && i + 1 < argc)
			prepare = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			usage();
	}
	if (!gazetteer_path || (!file && !prepare))
		usage();
	if (prepare) {
		youth_registry_close(fresh_registry(prepare));
		return 0;
	}
	static const struct {
		const char *name, *count_name;
		phase_fn fn;
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
			result r;
			long peak;
			double cpu;
			if (run_phase(table[i].fn, file, &r, &peak, &cpu)) {
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
		double mid = median(secs[i], rounds); /* sorts: secs[i][0] is the fastest round */
		printf(" %s_s=%.3f %s_best_s=%.3f %s_%s=%" PRId64 " %s_rss_kib=%ld %s_cpu_s=%.3f",
		       table[i].name, mid, table[i].name, secs[i][0], table[i].name, table[i].count_name,
		       count[i], table[i].name, rss[i], table[i].name, median(cpus[i], rounds));
	}
	putchar('\n');
	return any_failed;
}
