/*
 * Load test (docs/reliability.md, "Load test"): writer processes, reader processes and one
 * process of threads, each with its own registry handle, on one registry file for a bounded
 * time.  Writers add persons, enroll them, give them scholarships and pay them, and import small
 * files; readers export and build reports.  Every write the library acknowledges is logged by
 * its UUID; at the end each one must be in the registry exactly once, the registry must hold
 * no row that was not acknowledged (a refused write leaves nothing), and it must pass
 * integrity_check, foreign_key_check and youth check.  Prints the write latencies (p50, p99,
 * max), the busy refusals and the spread of waits among the writers.
 *
 *   youth-load [-s SECONDS] [-w WRITERS] [-r READERS] [-t THREADS] DIR
 *
 * Exit status 0 when every check holds, 1 otherwise.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <youth.h>

#include "tests/helpers.h"

static struct {
	double seconds;
	int writers, readers, threads;
	const char *dir;
	char path[4096];
	int64_t op, cohort, employer;
	double deadline; /* CLOCK_MONOTONIC seconds */
} cfg = {5, 4, 4, 4, NULL, "", 0, 0, 0, 0};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What one agent (a process, or a thread of the threaded process) did. */
typedef struct agent {
	int id, writer;
	FILE *acks;      /* "table uuid" per acknowledged write */
	double *lat;     /* latency of every write call, ms */
	size_t n_lat, cap_lat;
	long acked, busy, errors, reads;
	double max_wait; /* longest call, ms */
	unsigned seed;
} agent;

static void record(agent *a, double ms)
{
	if (a->n_lat == a->cap_lat) {
		a->cap_lat = a->cap_lat ? a->cap_lat * 2 : 1024;
		a->lat = realloc(a->lat, a->cap_lat * sizeof *a->lat);
		if (!a->lat)
			abort();
	}
	a->lat[a->n_lat++] = ms;
	if (ms > a->max_wait)
		a->max_wait = ms;
}

/* Counts the result of a call; returns 1 when it succeeded. */
static int outcome(agent *a, int rc, const char *what)
{
	if (rc == YOUTH_OK)
		return 1;
	if (rc == YOUTH_EBUSY) {
		a->busy++;
	} else {
		a->errors++;
		const youth_error *e = youth_error_last();
		fprintf(stderr, "load: agent %d: %s: %s: %s\n", a->id, what, youth_error_name(rc),
		        e && e->message ? e->message : "");
	}
	return 0;
}

static void ack(agent *a, const char *table, const char *uuid)
{
	fprintf(a->acks, "%s %s\n", table, uuid);
	fflush(a->acks);
	a->acked++;
}

/* One timed write call. */
#define WRITE(a, rc, call)                 \
	do {                                   \
		double t0_ = now();                \
		(rc) = (call);                     \
		record((a), (now() - t0_) * 1e3);  \
	} while (0)

static void v4(char *out, unsigned *seed)
{
	unsigned char b[16];
	for (int i = 0; i < 16; i++)
		b[i] = (unsigned char)rand_r(seed);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	static const char hex[] = "0123456789abcdef";
	char *p = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[b[i] >> 4];
		*p++ = hex[b[i] & 15];
	}
	*p = '\0';
}

/* A small interchange file of two persons with fresh UUIDs, as another system sends them. */
static void small_import(agent *a, youth_registry *reg)
{
	char uuid[2][40], doc[2048];
	int len = snprintf(doc, sizeof doc, "format: libyouth/1\npersons:\n");
	for (int i = 0; i < 2; i++) {
		v4(uuid[i], &a->seed);
		len += snprintf(doc + len, sizeof doc - (size_t)len,
		                "  - uuid: %s\n    given_names: Carlos\n    first_surname: Rodríguez\n"
		                "    birth_date: 1990-11-25\n    sex: male\n"
		                "    place: " TH_SANTA_EUGENIA "\n    education: primary\n"
		                "    studying: false\n    employment: inactive\n"
		                "    census_date: 2009-02-02\n    census_round: census-2009\n"
		                "    consent: false\n",
		                uuid[i]);
	}
	len += snprintf(doc + len, sizeof doc - (size_t)len, "end: {records: 2}\n");
	int rc;
	WRITE(a, rc, youth_import_buffer(NULL, reg, doc, (size_t)len, "small.yaml", NULL));
	if (outcome(a, rc, "import"))
		for (int i = 0; i < 2; i++)
			ack(a, "person", uuid[i]);
}

/* A person, then services for it: an application to the cohort, a scholarship awarded,
 * activated and paid once. */
static void services(agent *a, youth_registry *reg)
{
	youth_person p;
	th_person_valid(&p);
	int rc;
	WRITE(a, rc, youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT));
	if (!outcome(a, rc, "person add"))
		return;
	ack(a, "person", p.uuid);

	youth_enrollment e;
	th_enrollment(&e, cfg.cohort, p.id, cfg.op);
	WRITE(a, rc, youth_enrollment_apply(reg, &e, NULL));
	if (outcome(a, rc, "enroll"))
		ack(a, "enrollment", e.uuid);

	youth_scholarship s;
	th_scholarship(&s, p.id, cfg.op);
	WRITE(a, rc, youth_scholarship_apply(reg, &s, NULL));
	if (!outcome(a, rc, "scholarship apply"))
		return;
	ack(a, "scholarship", s.uuid);
	WRITE(a, rc, youth_scholarship_award(reg, s.id, "2010-01-20"));
	if (!outcome(a, rc, "scholarship award"))
		return;
	youth_scholarship_placement pl;
	th_placement(&pl, cfg.employer);
	WRITE(a, rc, youth_scholarship_activate(reg, s.id, "2010-02-01", &pl));
	if (!outcome(a, rc, "scholarship activate"))
		return;
	youth_scholarship_payment pay;
	char ref[48];
	snprintf(ref, sizeof ref, "L%d-%" PRId64, a->id, s.id);
	th_payment(&pay, s.id, cfg.op, ref);
	WRITE(a, rc, youth_scholarship_pay(reg, &pay));
	if (outcome(a, rc, "pay"))
		ack(a, "scholarship_payment", pay.uuid);
}

static int discard(void *ctx, const char *data, size_t size)
{
	(void)data;
	*(size_t *)ctx += size;
	return 0;
}

static void read_once(agent *a, youth_registry *reg, int which)
{
	size_t bytes = 0;
	int rc;
	if (which % 2 == 0) {
		rc = youth_export_write(NULL, reg, discard, &bytes, NULL);
	} else {
		youth_report *r = NULL;
		rc = youth_report_new(&r, reg, NULL);
		if (rc == YOUTH_OK)
			rc = youth_report_write(discard, &bytes, r, YOUTH_REPORT_CSV, 0);
		youth_report_free(r);
	}
	if (outcome(a, rc, which % 2 ? "report" : "export"))
		a->reads++;
}

static char *agent_file(int id, const char *what)
{
	char name[64];
	snprintf(name, sizeof name, "%s-%d", what, id);
	return th_path(cfg.dir, name);
}

/* The agent's life: its own handle, its mix until the deadline, its figures to a file. */
static void *run_agent(void *arg)
{
	agent *a = arg;
	char *acks = agent_file(a->id, "acks");
	a->acks = fopen(acks, "w");
	free(acks);
	a->seed = (unsigned)(a->id * 7919 + getpid());
	youth_registry *reg = NULL;
	int rc = youth_registry_open(&reg, cfg.path, YOUTH_OPEN_DEFAULT);
	if (outcome(a, rc, "open")) {
		for (unsigned i = 0; now() < cfg.deadline; i++) {
			if (!a->writer)
				read_once(a, reg, (int)i);
			else if (i % 8 == 7)
				read_once(a, reg, (int)(i / 8));
			else if (i % 4 == 3)
				small_import(a, reg);
			else
				services(a, reg);
		}
	}
	youth_registry_close(reg);
	fclose(a->acks);
	char *stats = agent_file(a->id, "stats");
	FILE *fp = fopen(stats, "w");
	free(stats);
	fprintf(fp, "%d %ld %ld %ld %ld %.3f %zu\n", a->writer, a->acked, a->busy, a->errors,
	        a->reads, a->max_wait, a->n_lat);
	for (size_t i = 0; i < a->n_lat; i++)
		fprintf(fp, "%.3f\n", a->lat[i]);
	fclose(fp);
	free(a->lat);
	return NULL;
}

static void setup(void)
{
	youth_registry *reg = th_open_file_gazetteer(cfg.path);
	int64_t exchange, inactive;
	th_add_staffed_exchange(reg, YOUTH_ROLE_COUNSELLOR, YOUTH_ROLE_INTAKE, &exchange, &cfg.op,
	                        &inactive);
	youth_employer em;
	youth_employer_init(&em);
	em.name = "Almacenes Sonsonate";
	if (youth_employer_add(reg, &em) != YOUTH_OK)
		abort();
	cfg.employer = em.id;
	cfg.cohort = th_add_cohort(reg, exchange);
	youth_registry_close(reg);
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* ---- the verdict ------------------------------------------------------------------------- */

static int64_t count(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (arg)
			sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return n;
}

static const char *const tables[] = {"person", "enrollment", "scholarship",
                                     "scholarship_payment"};
#define N_TABLES (sizeof tables / sizeof tables[0])

/* Every acknowledged UUID once in its table; no row in those tables beyond the base and the
 * acknowledged ones.  Returns the number of problems. */
static long verify(int agents, const int64_t *base_rows)
{
	long problems = 0, acked[N_TABLES] = {0};
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(cfg.path, &db, SQLITE_OPEN_READONLY, th_sealing_vfs()) != SQLITE_OK) {
		fprintf(stderr, "load: cannot open %s\n", cfg.path);
		return 1;
	}
	for (int id = 0; id < agents; id++) {
		char *path = agent_file(id, "acks");
		FILE *fp = fopen(path, "r");
		free(path);
		char table[64], uuid[64];
		while (fp && fscanf(fp, "%63s %63s", table, uuid) == 2) {
			size_t t = 0;
			while (t < N_TABLES && strcmp(tables[t], table) != 0)
				t++;
			if (t == N_TABLES)
				abort();
			acked[t]++;
			char sql[128];
			snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE uuid = ?", table);
			int64_t n = count(db, sql, uuid);
			if (n != 1) {
				problems++;
				fprintf(stderr, "load: acknowledged %s %s found %lld times\n", table, uuid,
				        (long long)n);
			}
		}
		if (fp)
			fclose(fp);
	}
	for (size_t t = 0; t < N_TABLES; t++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[t]);
		int64_t n = count(db, sql, NULL);
		printf("%-20s %6ld acknowledged, %6lld rows (base %lld)\n", tables[t], acked[t],
		       (long long)n, (long long)base_rows[t]);
		if (n != base_rows[t] + acked[t]) {
			problems++;
			fprintf(stderr, "load: %s holds %lld rows, not %lld + %ld acknowledged\n", tables[t],
			        (long long)n, (long long)base_rows[t], acked[t]);
		}
	}
	sqlite3_close(db);

	youth_registry *reg = NULL;
	youth_check_report *r = NULL;
	if (youth_registry_open(&reg, cfg.path, YOUTH_OPEN_READONLY) != YOUTH_OK ||
	    youth_registry_check(reg) != YOUTH_OK || youth_check_run(&r, reg, 0) != YOUTH_OK ||
	    youth_check_report_count(r) != 0) {
		problems++;
		fprintf(stderr, "load: the registry fails its checks: %s\n",
		        youth_error_last() && youth_error_last()->message[0]
		            ? youth_error_last()->message : "youth check found problems:");
		for (size_t i = 0; r && i < youth_check_report_count(r); i++) {
			const youth_check_problem *p = youth_check_report_get(r, i);
			fprintf(stderr, "load:   %s %s %lld: %s\n", p->kind, p->table ? p->table : "-",
			        (long long)p->id, p->message);
		}
	}
	youth_check_report_free(r);
	youth_registry_close(reg);
	return problems;
}

static void usage(void)
{
	fprintf(stderr, "usage: youth-load [-s SECONDS] [-w WRITERS] [-r READERS] [-t THREADS] "
	                "DIR\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "s:w:r:t:")) != -1) {
		switch (c) {
		case 's': cfg.seconds = atof(optarg); break;
		case 'w': cfg.writers = atoi(optarg); break;
		case 'r': cfg.readers = atoi(optarg); break;
		case 't': cfg.threads = atoi(optarg); break;
		default: usage();
		}
	}
	if (optind != argc - 1 || cfg.seconds <= 0 || cfg.writers < 0 || cfg.readers < 0 ||
	    cfg.threads < 0)
		usage();
	cfg.dir = argv[optind];
	snprintf(cfg.path, sizeof cfg.path, "%s/load.youth", cfg.dir);
	setup();

	sqlite3 *db = NULL;
	int64_t base_rows[N_TABLES];
	sqlite3_open_v2(cfg.path, &db, SQLITE_OPEN_READONLY, th_sealing_vfs());
	for (size_t t = 0; t < N_TABLES; t++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[t]);
		base_rows[t] = count(db, sql, NULL);
	}
	sqlite3_close(db);

	/* Agents 0..writers-1 write, then the readers, then the threads (writers). */
	int procs = cfg.writers + cfg.readers, agents = procs + cfg.threads;
	cfg.deadline = now() + cfg.seconds;
	for (int i = 0; i <= procs; i++) {
		if (i == procs && cfg.threads == 0)
			break;
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid > 0)
			continue;
		if (i < procs) {
			agent a = {.id = i, .writer = i < cfg.writers};
			run_agent(&a);
		} else {
			pthread_t th[64];
			agent ag[64];
			int n = cfg.threads < 64 ? cfg.threads : 64;
			for (int t = 0; t < n; t++) {
				ag[t] = (agent){.id = procs + t, .writer = 1};
				pthread_create(&th[t], NULL, run_agent, &ag[t]);
			}
			for (int t = 0; t < n; t++)
				pthread_join(th[t], NULL);
		}
		_exit(0);
	}
	/* The verdict reads a registry nobody writes any more: every child waited for, a wait
	 * interrupted by a signal resumed. */
	int status, failed_children = 0;
	for (;;) {
		pid_t done = wait(&status);
		if (done < 0 && errno == EINTR)
			continue;
		if (done < 0)
			break;
		failed_children += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	}
	/* The last handles closed at once may each leave the checkpoint to another: the registry
	 * is then checked with its -wal holding pages (youth check must judge it all the same). */
	char wal[4200];
	struct stat ws;
	snprintf(wal, sizeof wal, "%s-wal", cfg.path);
	long long wal_bytes = stat(wal, &ws) == 0 ? (long long)ws.st_size : -1;

	/* The figures. */
	double *lat = NULL, max_wait_max = 0, max_wait_min = -1;
	long acks_min = -1, acks_max = 0;
	size_t n_lat = 0;
	long acked = 0, busy = 0, errors = 0, reads = 0, read_busy = 0;
	printf("load: %.0f s, %d writer and %d reader processes, %d threads of one process\n",
	       cfg.seconds, cfg.writers, cfg.readers, cfg.threads);
	printf("%-6s %6s %6s %6s %6s %10s\n", "agent", "kind", "acks", "busy", "reads", "max ms");
	for (int id = 0; id < agents; id++) {
		char *path = agent_file(id, "stats");
		FILE *fp = fopen(path, "r");
		free(path);
		int writer;
		long a_acked, a_busy, a_errors, a_reads;
		double a_max;
		size_t n;
		if (!fp || fscanf(fp, "%d %ld %ld %ld %ld %lf %zu", &writer, &a_acked, &a_busy,
		                  &a_errors, &a_reads, &a_max, &n) != 7) {
			fprintf(stderr, "load: agent %d left no figures\n", id);
			errors++;
			if (fp)
				fclose(fp);
			continue;
		}
		printf("%-6d %6s %6ld %6ld %6ld %10.1f\n", id,
		       id >= procs ? "thread" : writer ? "writer" : "reader", a_acked, a_busy, a_reads,
		       a_max);
		acked += a_acked;
		errors += a_errors;
		reads += a_reads;
		if (writer) {
			busy += a_busy;
			if (a_max > max_wait_max)
				max_wait_max = a_max;
			if (max_wait_min < 0 || a_max < max_wait_min)
				max_wait_min = a_max;
			if (a_acked > acks_max)
				acks_max = a_acked;
			if (acks_min < 0 || a_acked < acks_min)
				acks_min = a_acked;
		} else {
			read_busy += a_busy;
		}
		lat = realloc(lat, (n_lat + n + 1) * sizeof *lat);
		for (size_t i = 0; i < n && fscanf(fp, "%lf", &lat[n_lat]) == 1; i++)
			n_lat++;
		fclose(fp);
	}
	qsort(lat, n_lat, sizeof *lat, cmp_double);
	if (n_lat)
		printf("write latency (%zu calls): p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", n_lat,
		       lat[n_lat / 2], lat[(size_t)((double)n_lat * 0.99)], lat[n_lat - 1]);
	printf("writes acknowledged %ld; busy refusals: %ld of writes, %ld of reads; reads done %ld\n",
	       acked, busy, read_busy, reads);
	printf("longest wait per writer: from %.1f to %.1f ms; acknowledged writes per writer: "
	       "from %ld to %ld\n", max_wait_min < 0 ? 0 : max_wait_min, max_wait_max,
	       acks_min < 0 ? 0 : acks_min, acks_max);
	printf("-wal left by the agents: %lld bytes%s\n", wal_bytes, wal_bytes < 0 ? " (none)" : "");
	free(lat);
	long problems = verify(agents, base_rows);
	if (errors || failed_children)
		fprintf(stderr, "load: %ld errors other than busy, %d agents failed\n", errors,
		        failed_children);
	printf("verdict: %s\n", problems || errors || failed_children ? "FAILED" : "ok");
	return problems || errors || failed_children ? 1 : 0;
}
