/*
 * bench-report: times the full indicator report (every built-in indicator x municipality x sex
 * x age band at 2009-12-31, with disclosure control at k = 5) against the GROUP BY SQL an
 * analyst would write for the same table (bench/report-baseline.sql), on the same registry in
 * the same run, taking turns, and prints the medians and their ratio (docs/benchmarks.md).
 *
 *     bench/bench-report [-n ROUNDS] REGISTRY BASELINE.sql
 *
 * Both wall-clock and CPU time are printed: on a shared machine the wall clock also counts the
 * time other processes held the CPU.  Before timing, each query's cells are added up and
 * compared with the engine's total for its indicator (`-- indicator: NAME` before the query),
 * so the two sides are known to count the same thing.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>
#include <youth.h>

#define MAX_ROUNDS 15
#define MAX_QUERIES 64

static double clock_of(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void die(const char *what)
{
	fprintf(stderr, "bench-report: %s: %s\n", what, youth_error_last()->message);
	exit(1);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *s = malloc((size_t)n + 1);
	if (!s || fread(s, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(1);
	}
	s[n] = 0;
	fclose(f);
	return s;
}

typedef struct query_total {
	char name[64];
	long long total;
} query_total;

/* Runs every statement of @sql on a new read-only connection to @path; with @totals, adds up
 * the fourth column of each query named by a `-- indicator:` line. */
static int run_baseline(const char *path, const char *sql, query_total *totals)
{
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench-report: %s: %s\n", path, sqlite3_errmsg(db));
		exit(1);
	}
	const char *p = sql;
	int queries = 0;
	while (*p) {
		sqlite3_stmt *st;
		const char *tail;
		const char *start = p;
		if (sqlite3_prepare_v2(db, p, -1, &st, &tail) != SQLITE_OK) {
			fprintf(stderr, "bench-report: baseline: %s\n", sqlite3_errmsg(db));
			exit(1);
		}
		p = tail;
		if (!st)
			continue;
		long long sum = 0;
		int s;
		while ((s = sqlite3_step(st)) == SQLITE_ROW)
			if (sqlite3_column_count(st) >= 4)
				sum += sqlite3_column_int64(st, 3);
		if (s != SQLITE_DONE) {
			fprintf(stderr, "bench-report: baseline: %s\n", sqlite3_errmsg(db));
			exit(1);
		}
		int columns = sqlite3_column_count(st);
		sqlite3_finalize(st);
		const char *mark = strstr(start, "-- indicator: ");
		if (columns >= 4 && mark && mark < tail && queries < MAX_QUERIES) {
			if (totals) {
				sscanf(mark + 14, "%63s", totals[queries].name);
				totals[queries].total = sum;
			}
			queries++;
		}
	}
	sqlite3_close(db);
	return queries;
}

int main(int argc, char **argv)
{
	int rounds = 5, i = 1;
	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		rounds = atoi(argv[2]);
		i = 3;
	}
	if (argc - i != 2 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "usage: bench-report [-n ROUNDS(1-%d)] REGISTRY BASELINE.sql\n",
		        MAX_ROUNDS);
		return 2;
	}
	const char *path = argv[i], *sql = read_all(argv[i + 1]);
	youth_registry *reg;
	if (youth_registry_open(&reg, path, YOUTH_OPEN_READONLY))
		die(path);
	youth_report_options o;
	youth_report_options_init(&o);
	o.by = "municipality,sex,age_band";
	o.at = "2009-12-31";
	o.k = YOUTH_REPORT_DEFAULT_K;

	/* The two sides count the same: each query's cells add up to the engine's total. */
	youth_report *r;
	if (youth_report_new(&r, reg, &o))
		die("report");
	query_total totals[MAX_QUERIES];
	int queries = run_baseline(path, sql, totals), checked = 0;
	size_t last = youth_report_row_count(r) - 1;
	for (int q = 0; q < queries; q++)
		for (size_t k = 0; k < youth_report_indicator_count(r); k++) {
			const youth_report_cell *c;
			if (strcmp(youth_report_indicator(r, k)->name, totals[q].name) != 0 ||
			    youth_report_cell_get(&c, r, last, k) || c->flags)
				continue;
			if (c->value != totals[q].total) {
				fprintf(stderr, "bench-report: %s: engine %lld, baseline %lld\n",
				        totals[q].name, (long long)c->value, totals[q].total);
				return 1;
			}
			checked++;
		}
	const youth_report_cell *census;
	youth_report_cell_get(&census, r, last, 0);
	long long persons = (long long)census->value;
	size_t rows = youth_report_row_count(r), inds = youth_report_indicator_count(r);
	youth_report_free(r);

	double ew[MAX_ROUNDS], ec[MAX_ROUNDS], bw[MAX_ROUNDS], bc[MAX_ROUNDS];
	for (int n = 0; n < rounds; n++) {
		double w0 = clock_of(CLOCK_MONOTONIC), c0 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
		if (youth_report_new(&r, reg, &o))
			die("report");
		youth_report_free(r);
		double w1 = clock_of(CLOCK_MONOTONIC), c1 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
		run_baseline(path, sql, NULL);
		double w2 = clock_of(CLOCK_MONOTONIC), c2 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
		ew[n] = w1 - w0, ec[n] = c1 - c0, bw[n] = w2 - w1, bc[n] = c2 - c1;
	}
	youth_registry_close(reg);
	double mew = median(ew, rounds), mec = median(ec, rounds), mbw = median(bw, rounds),
	       mbc = median(bc, rounds);
	printf("registry: %s (%lld persons)\n", path, persons);
	printf("report: %zu indicators x %zu rows (municipality x sex x age band, every margin), "
	       "k = 5\n",
	       inds, rows);
	printf("baseline: %d GROUP BY queries, totals equal to the engine's for %d of them\n",
	       queries, checked);
	printf("%d rounds, medians:     wall s   cpu s\n", rounds);
	printf("  engine (youth_report)  %7.3f %7.3f\n", mew, mec);
	printf("  GROUP BY baseline      %7.3f %7.3f\n", mbw, mbc);
	printf("  ratio baseline/engine  %6.2fx %6.2fx\n", mbw / mew, mbc / mec);
	free((char *)sql);
	return 0;
}
