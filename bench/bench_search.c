/*
 * bench-search: the name search at the desk on a large registry (docs/benchmarks.md, "Search
 * benchmark").  Side by side in one run, on the same queries:
 *   index  youth_person_find(), the name index of libyouth/names.c, 20 results;
 *   like   today's word filter (youth_person_iter_new with a name: a LIKE per word over the
 *          folded name), its first 20 rows;
 *   fts5   an FTS5 trigram table of the folded names, built beside the registry in a file of
 *          its own (bench only), 20 rows.
 * The queries come from the registry's own names with the variations a desk sees: given name
 * + surname, surname only, one typo in the surname, accents dropped and capitals, surnames
 * swapped.  Not part of libyouth.
 *
 *   bench-search -g GAZETTEER [-d DIR] [-q QUERIES] [-l LIKE_QUERIES] CENSUS_FILE
 * imports CENSUS_FILE (a gen-census file) into DIR/search.youth unless it is there already.
 */
#define _POSIX_C_SOURCE 200809L

#include "bench_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LIMIT 20

enum { Q_GIVEN_SURNAME, Q_SURNAME, Q_TYPO, Q_FOLDED, Q_SWAPPED, Q_KINDS };
static const char *const kind_names[Q_KINDS] = {"given+surname", "surname only", "one typo",
                                                "no accents, capitals", "swapped surnames"};

static uint64_t rng = 0x9e3779b97f4a7c15u;
static unsigned below(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* The first word of @s into @out. */
static void first_word(const char *s, char *out, size_t cap)
{
	size_t n = strcspn(s, " ");
	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* One typo in the ASCII letters of @w (past its first letter): delete, substitute, swap two
 * neighbours or insert, chosen at random. */
static void typo(char *w, size_t cap)
{
	size_t n = strlen(w);
	size_t pos[64], k = 0;
	for (size_t i = 1; i < n && k < 64; i++)
		if ((w[i] >= 'a' && w[i] <= 'z'))
			pos[k++] = i;
	if (k < 2 || n + 2 >= cap)
		return;
	size_t i = pos[below((unsigned)k)];
	switch (below(4)) {
	case 0: memmove(w + i, w + i + 1, n - i); break;
	case 1: w[i] = (char)('a' + (w[i] - 'a' + 1 + below(25)) % 26); break;
	case 2:
		if (i + 1 < n && w[i + 1] >= 'a' && w[i + 1] <= 'z' && w[i] != w[i + 1]) {
			char t = w[i];
			w[i] = w[i + 1];
			w[i + 1] = t;
		} else {
			memmove(w + i, w + i + 1, n - i);
		}
		break;
	default:
		memmove(w + i + 1, w + i, n - i + 1);
		w[i] = (char)('a' + below(26));
	}
}

typedef struct query {
	int kind;
	char text[320];
} query;

static void make_queries(sqlite3 *db, query *q, int n, int64_t persons)
{
	sqlite3_stmt *st;
	bench_sql_check(db, sqlite3_prepare_v2(db, "SELECT given_names, first_surname, "
	                                           "second_surname FROM person WHERE id = ?", -1,
	                                       &st, NULL),
	                "preparing");
	for (int i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, 1 + (int64_t)below((unsigned)persons));
		bench_sql_check(db, sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : SQLITE_ERROR,
		                "reading a person");
		char given[80], s1[80], s2[80];
		first_word((const char *)sqlite3_column_text(st, 0), given, sizeof given);
		snprintf(s1, sizeof s1, "%s", (const char *)sqlite3_column_text(st, 1));
		const char *t2 = (const char *)sqlite3_column_text(st, 2);
		snprintf(s2, sizeof s2, "%s", t2 ? t2 : "");
		sqlite3_reset(st);
		q[i].kind = i % Q_KINDS;
		switch (q[i].kind) {
		case Q_GIVEN_SURNAME:
			snprintf(q[i].text, sizeof q[i].text, "%s %s", given, s1);
			break;
		case Q_SURNAME:
			snprintf(q[i].text, sizeof q[i].text, "%s", s1);
			break;
		case Q_TYPO: {
			char *f = NULL;
			if (youth_fold(&f, s1) != YOUTH_OK)
				bench_die_youth("folding");
			char w[80];
			snprintf(w, sizeof w, "%s", f);
			youth_free(f);
			typo(w, sizeof w);
			snprintf(q[i].text, sizeof q[i].text, "%s %s", given, w);
			break;
		}
		case Q_FOLDED: {
			char full[320], *f = NULL;
			snprintf(full, sizeof full, "%s %s %s", given, s1, s2);
			if (youth_fold(&f, full) != YOUTH_OK)
				bench_die_youth("folding");
			for (char *c = f; *c; c++)
				if (*c >= 'a' && *c <= 'z')
					*c = (char)(*c - 32);
			snprintf(q[i].text, sizeof q[i].text, "%s", f);
			youth_free(f);
			break;
		}
		default:
			snprintf(q[i].text, sizeof q[i].text, "%s %s %s", given, *s2 ? s2 : s1, s1);
		}
	}
	sqlite3_finalize(st);
}

/* CPU seconds of this thread: on a shared machine, what a query cost apart from waiting for a
 * core. */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The load average, printed beside the figures: the machine is shared. */
static void print_load(const char *when)
{
	char line[128] = "?";
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (!fgets(line, sizeof line, f))
			line[0] = '\0';
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
	printf("load average %s: %s\n", when, line);
	fflush(stdout);
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* p50 / p99 / max of @n times (ms), printed as one row. */
static void report(const char *method, const char *what, double *t, int n)
{
	if (n == 0)
		return;
	qsort(t, (size_t)n, sizeof *t, by_double);
	int i99 = (int)(0.99 * (n - 1) + 0.5);
	printf("| %s | %s | %d | %.3f | %.3f | %.3f |\n", method, what, n, t[(n - 1) / 2], t[i99],
	       t[n - 1]);
}

static int run_index(youth_registry *reg, const query *q, double *ms, int *found)
{
	youth_person_matches *m = NULL;
	double t0 = bench_now();
	if (youth_person_find(&m, reg, q->text, LIMIT) != YOUTH_OK)
		bench_die_youth(q->text);
	*ms = (bench_now() - t0) * 1e3;
	*found = (int)youth_person_matches_count(m);
	youth_person_matches_free(m);
	return 0;
}

static void run_like(youth_registry *reg, const query *q, double *ms, int *found)
{
	youth_person_filter f;
	memset(&f, 0, sizeof f);
	f.name = q->text;
	youth_person_iter *it = NULL;
	const youth_person *p;
	double t0 = bench_now();
	if (youth_person_iter_new(&it, reg, &f) != YOUTH_OK)
		bench_die_youth("like");
	int n = 0;
	while (n < LIMIT && youth_person_next(&p, it) == YOUTH_OK)
		n++;
	youth_person_iter_free(it);
	*ms = (bench_now() - t0) * 1e3;
	*found = n;
}

/* The folded words of @text of 3 letters or more, as an FTS5 query: "w1" AND "w2". */
static int fts_query(const char *text, char *out, size_t cap)
{
	char *f = NULL;
	if (youth_fold(&f, text) != YOUTH_OK)
		bench_die_youth("folding");
	size_t o = 0;
	int words = 0;
	out[0] = '\0';
	for (char *w = strtok(f, " "); w; w = strtok(NULL, " "))
		if (strlen(w) >= 3 && o + strlen(w) + 10 < cap) {
			o += (size_t)snprintf(out + o, cap - o, "%s\"%s\"", words ? " AND " : "", w);
			words++;
		}
	youth_free(f);
	return words;
}

static void run_fts(sqlite3 *db, const query *q, double *ms, int *found)
{
	static sqlite3_stmt *st;
	if (!st)
		bench_sql_check(db, sqlite3_prepare_v2(db, "SELECT rowid FROM fts.names WHERE names "
		                                           "MATCH ?1 LIMIT 20", -1, &st, NULL),
		                "preparing the FTS5 query");
	char m[400];
	int n = 0;
	double t0 = bench_now();
	if (fts_query(q->text, m, sizeof m)) {
		sqlite3_bind_text(st, 1, m, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(st) == SQLITE_ROW)
			n++;
		sqlite3_reset(st);
	}
	*ms = (bench_now() - t0) * 1e3;
	*found = n;
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	bench_sql_check(db, sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return v;
}

int main(int argc, char **argv)
{
	bench_prog = "bench-search";
	int n_queries = 1000, n_like = 1000, rounds = 1, i;
	const char *file = NULL;
	for (i = 1; i < argc; i++) {
		if (bench_option(argc, argv, &i, &rounds))
			continue;
		if (!strcmp(argv[i], "-q") && i + 1 < argc)
			n_queries = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-l") && i + 1 < argc)
			n_like = atoi(argv[++i]);
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else {
			fprintf(stderr, "usage: bench-search -g GAZETTEER [-d DIR] [-q QUERIES] "
			                "[-l LIKE_QUERIES] CENSUS_FILE\n");
			return 2;
		}
	}
	if (!file || !bench_gazetteer || n_queries < 1 || n_queries > 100000)
		return fprintf(stderr, "bench-search: a census file and -g GAZETTEER are needed\n"), 2;
	if (n_like > n_queries)
		n_like = n_queries;
	char path[4096], fts_path[4096];
	snprintf(path, sizeof path, "%s/search.youth", bench_dir ? bench_dir : ".");
	snprintf(fts_path, sizeof fts_path, "%s/search-fts5.db", bench_dir ? bench_dir : ".");
	youth_registry *reg;
	if (access(path, F_OK) != 0) {
		reg = bench_fresh_registry(path);
		youth_interchange_summary sum;
		double t0 = bench_now();
		if (youth_import_file(&sum, reg, file, NULL) != YOUTH_OK)
			bench_die_youth("import");
		printf("import_s=%.2f (with the name index)\n", bench_now() - t0);
		youth_registry_close(reg);
	}
	if (youth_registry_open(&reg, path, 0) != YOUTH_OK)
		bench_die_youth(path);
	sqlite3 *db;
	bench_sql_check(NULL, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), path);
	int64_t persons = scalar(db, "SELECT max(id) FROM person");
	if (access(fts_path, F_OK) != 0) {
		char *sql = sqlite3_mprintf(
			"ATTACH %Q AS fts; CREATE VIRTUAL TABLE fts.names USING fts5(name, "
			"tokenize = 'trigram'); BEGIN; INSERT INTO fts.names (rowid, name) SELECT id, "
			"name_key FROM person; COMMIT; DETACH fts;", fts_path);
		double t0 = bench_now();
		bench_sql_check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), "building the FTS5 table");
		sqlite3_free(sql);
		printf("fts5_build_s=%.2f\n", bench_now() - t0);
	}
	char *att = sqlite3_mprintf("ATTACH %Q AS fts", fts_path);
	bench_sql_check(db, sqlite3_exec(db, att, NULL, NULL, NULL), "attaching the FTS5 table");
	sqlite3_free(att);

	query *q = calloc((size_t)n_queries, sizeof *q);
	double *t[3][Q_KINDS + 1], *tc[3][Q_KINDS + 1];
	int nt[3][Q_KINDS + 1] = {{0}}, empty[3] = {0};
	for (int m = 0; m < 3; m++)
		for (int k = 0; k <= Q_KINDS; k++)
			t[m][k] = calloc((size_t)n_queries, sizeof(double)),
			tc[m][k] = calloc((size_t)n_queries, sizeof(double));
	make_queries(db, q, n_queries, persons);
	print_load("before the queries");
	/* One warm-up pass of the index over the first queries: every method then starts with
	 * the same warm page cache of the person table (the LIKE scan warms it fully anyway). */
	for (i = 0; i < n_queries && i < 50; i++) {
		double ms;
		int found;
		run_index(reg, &q[i], &ms, &found);
	}
	for (i = 0; i < n_queries; i++) {
		double ms;
		int found;
		for (int m = 0; m < 3; m++) {
			if (m == 1 && i >= n_like)
				continue;
			double c0 = cpu_now();
			if (m == 0)
				run_index(reg, &q[i], &ms, &found);
			else if (m == 1)
				run_like(reg, &q[i], &ms, &found);
			else
				run_fts(db, &q[i], &ms, &found);
			double cpu = (cpu_now() - c0) * 1e3;
			tc[m][q[i].kind][nt[m][q[i].kind]] = cpu;
			t[m][q[i].kind][nt[m][q[i].kind]++] = ms;
			tc[m][Q_KINDS][nt[m][Q_KINDS]] = cpu;
			t[m][Q_KINDS][nt[m][Q_KINDS]++] = ms;
			empty[m] += found == 0;
		}
	}
	print_load("after the queries");
	static const char *const method[3] = {"name index", "LIKE scan", "FTS5 trigram"};
	printf("\npersons=%lld queries=%d like_queries=%d limit=%d\n\n", (long long)persons,
	       n_queries, n_like, LIMIT);
	printf("| method | queries | n | p50 ms | p99 ms | max ms |\n|---|---|---:|---:|---:|---:|\n");
	for (int m = 0; m < 3; m++)
		report(method[m], "all", t[m][Q_KINDS], nt[m][Q_KINDS]);
	for (int k = 0; k < Q_KINDS; k++)
		for (int m = 0; m < 3; m++)
			report(method[m], kind_names[k], t[m][k], nt[m][k]);
	printf("\nCPU time of this thread per query (ms):\n\n| method | queries | n | p50 ms | "
	       "p99 ms | max ms |\n|---|---|---:|---:|---:|---:|\n");
	for (int m = 0; m < 3; m++)
		report(method[m], "all", tc[m][Q_KINDS], nt[m][Q_KINDS]);
	for (int k = 0; k < Q_KINDS; k++)
		for (int m = 0; m < 3; m++)
			report(method[m], kind_names[k], tc[m][k], nt[m][k]);
	printf("\nqueries with no result: index %d, LIKE %d, FTS5 %d\n", empty[0], empty[1], empty[2]);
	int64_t idx = scalar(db, "SELECT sum(pgsize) FROM dbstat WHERE name IN ('person_name', "
	                         "'person_name_key', 'name_token', 'sqlite_autoindex_name_token_1', "
	                         "'name_token_sound', 'name_token_near', 'name_token_near_token')");
	int64_t ptab = scalar(db, "SELECT sum(pgsize) FROM dbstat WHERE name = 'person'");
	int64_t rows = scalar(db, "SELECT count(*) FROM person_name");
	/* The schema as the pragmas' argument: "fts.pragma_page_count" reads the main file. */
	int64_t fts = scalar(db, "SELECT page_count * page_size FROM pragma_page_count('fts'), "
	                         "pragma_page_size('fts')");
	printf("name index bytes=%lld (%.1f MiB, %lld person_name rows); person table bytes=%lld "
	       "(%.1f MiB); FTS5 trigram file bytes=%lld (%.1f MiB)\n",
	       (long long)idx, idx / 1048576.0, (long long)rows, (long long)ptab, ptab / 1048576.0,
	       (long long)fts, fts / 1048576.0);
	for (int m = 0; m < 3; m++)
		for (int k = 0; k <= Q_KINDS; k++)
			free(t[m][k]), free(tc[m][k]);
	free(q);
	sqlite3_close(db);
	youth_registry_close(reg);
	return 0;
}
