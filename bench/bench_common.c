/* The pieces bench-import and bench-write share (bench_common.h). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include "bench_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *bench_prog = "bench";
const char *bench_gazetteer;
const char *bench_dir = ".";

int bench_option(int argc, char **argv, int *i, int *rounds)
{
	const char *o = argv[*i];
	if (*i + 1 >= argc || o[0] != '-' || !o[1] || o[2])
		return 0;
	if (o[1] == 'g')
		bench_gazetteer = argv[++*i];
	else if (o[1] == 'd')
		bench_dir = argv[++*i];
	else if (o[1] == 'n' && atoi(argv[*i + 1]) > 0 && atoi(argv[*i + 1]) <= 15)
		*rounds = atoi(argv[++*i]);
	else
		return 0;
	return 1;
}

double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bench_die_youth(const char *what)
{
	const youth_error *e = youth_error_last();
	fprintf(stderr, "%s: %s: %s\n", bench_prog, what, e && e->message ? e->message : "?");
	exit(1);
}

void bench_remove_registry(const char *path)
{
	char tmp[4200];
	unlink(path);
	snprintf(tmp, sizeof tmp, "%s-wal", path);
	unlink(tmp);
	snprintf(tmp, sizeof tmp, "%s-shm", path);
	unlink(tmp);
}

youth_registry *bench_fresh_registry(const char *path)
{
	youth_registry *reg;
	bench_remove_registry(path);
	if (youth_registry_open(&reg, path, YOUTH_OPEN_CREATE))
		bench_die_youth(path);
	if (youth_gazetteer_load(NULL, reg, bench_gazetteer))
		bench_die_youth(bench_gazetteer);
	return reg;
}

/* ---- census rows ------------------------------------------------------------------------- */

/* Strings live in 16 MiB chunks that never move. */
static char *arena_chunk;
static size_t arena_used, arena_cap;

static const char *keep(const char *s, size_t n)
{
	if (arena_used + n + 1 > arena_cap) {
		arena_cap = n + 1 > (16u << 20) ? n + 1 : (16u << 20);
		arena_chunk = malloc(arena_cap);
		if (!arena_chunk) {
			perror(bench_prog);
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
	fprintf(stderr, "%s: unexpected value \"%s\"\n", bench_prog, v);
	exit(1);
}

static int truth(const char *v) { return !strcmp(v, "true") || !strcmp(v, "yes"); }

typedef struct place_map {
	char **path;
	int64_t *id;
	int n;
} place_map;

static void set_place(bench_row *r, const place_map *m, const char *path)
{
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->path[i], path)) {
			r->place = m->path[i];
			r->place_id = m->id[i];
			return;
		}
	fprintf(stderr, "%s: unknown place %s\n", bench_prog, path);
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

static void finish_row(bench_row *r, uint64_t *state, uint64_t ms)
{
	/* name_key: the three parts folded (youth_fold()) and joined by spaces, as validate() does. */
	char *a = NULL, *b = NULL, *c = NULL;
	if (youth_fold(&a, r->given_names) || youth_fold(&b, r->first_surname) ||
	    (r->second_surname && youth_fold(&c, r->second_surname)))
		bench_die_youth("folding a name");
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

/* gen-census writes one `key: value` per line. */
static bench_row *read_rows(const char *file, const place_map *places, size_t *count)
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
	bench_row *rows = malloc(cap * sizeof *rows);
	bench_row *r = NULL;
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
				perror(bench_prog);
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
			set_place(r, places, v);
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

void bench_sql_check(sqlite3 *db, int s, const char *what)
{
	if (s != SQLITE_OK && s != SQLITE_DONE && s != SQLITE_ROW) {
		fprintf(stderr, "%s: %s: %s\n", bench_prog, what, sqlite3_errmsg(db));
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

const char bench_sql_insert[] =
	"INSERT INTO person (national_id, given_names, first_surname, second_surname, name_key, "
	"birth_date, sex, place_id, address, phone, education, studying, employment, household_size, "
	"disability, census_date, census_round, job_profiles, consent, consent_date, uuid) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
	"?19, ?20, ?21)";

bench_row *bench_read_rows(const char *file, sqlite3 *db, size_t *count)
{
	place_map places = {0};
	sqlite3_stmt *st;
	bench_sql_check(db, sqlite3_prepare_v2(db, "SELECT path, id FROM place", -1, &st, NULL),
	                "places");
	while (sqlite3_step(st) == SQLITE_ROW) {
		places.path = realloc(places.path, (size_t)(places.n + 1) * sizeof *places.path);
		places.id = realloc(places.id, (size_t)(places.n + 1) * sizeof *places.id);
		if (!places.path || !places.id) {
			perror(bench_prog);
			exit(1);
		}
		places.path[places.n] = strdup((const char *)sqlite3_column_text(st, 0));
		places.id[places.n++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return read_rows(file, &places, count);
}

void bench_bind_row(sqlite3_stmt *st, const bench_row *r)
{
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
}

void bench_insert_rows(sqlite3 *db, const bench_row *rows, size_t n, int savepoints)
{
	sqlite3_stmt *st;
	bench_sql_check(db, sqlite3_prepare_v2(db, bench_sql_insert, -1, &st, NULL), "prepare");
	for (size_t i = 0; i < n; i++) {
		bench_bind_row(st, &rows[i]);
		if (savepoints)
			bench_sql_check(db, sqlite3_exec(db, "SAVEPOINT youth_op", NULL, NULL, NULL),
			                "savepoint");
		bench_sql_check(db, sqlite3_step(st), "insert");
		sqlite3_reset(st);
		if (savepoints)
			bench_sql_check(db, sqlite3_exec(db, "RELEASE youth_op", NULL, NULL, NULL),
			                "release");
	}
	sqlite3_finalize(st);
}

/* ---- forked phases ------------------------------------------------------------------------ */

/* Runs @fn in a child; returns its result, peak RSS (KiB) and CPU seconds (user + system,
 * the whole child: set-up included). */
int bench_run_phase(bench_phase_fn fn, const char *file, bench_result *out, long *maxrss_kib, double *cpu)
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
		bench_result r = {0, 0};
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

double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

