/*
 * bench-dups: duplicate detection on a large registry with planted duplicates
 * (docs/benchmarks.md, "Duplicates benchmark").  Not part of libyouth.
 *
 *   bench-dups [-d DIR] [-p PLANTED] [-q DESK_CALLS] [-s SEED] [-v] PRISTINE_REGISTRY
 *
 * PRISTINE_REGISTRY is a gen-census file imported by `youth import` (`make bench-dups` makes
 * it once); it is never written: each run copies it to DIR/dups-work.youth.  Into the copy go
 * PLANTED duplicates through youth_person_add() in one transaction, each a copy of a distinct
 * random person with one or two of the variations a second registration by hand brings (the
 * kinds below); the truth stays in memory.  Then, in this order:
 *   scan      youth_duplicates_find() on the whole registry, in a forked child so that its
 *             peak RSS and CPU time are its own;
 *   quality   recall (planted pairs found) and precision (found pairs that are planted), with
 *             the found pairs that are not planted but identical on the folded full name and
 *             birth date counted apart: no method can tell those from one youth twice;
 *   baseline  the naive method: one GROUP BY on person.name_key and birth_date, timed;
 *   desk      DESK_CALLS youth_person_similar() calls, half fresh variants of registered
 *             persons (not added), half invented new persons; latency p50/p99/max.
 * Prints key=value lines and the tables of the docs; -v prints missed and false pairs.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "bench_common.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { V_ACCENT, V_SWAPPED, V_NO_SURNAME2, V_NICKNAME, V_TYPO, V_DAY_MONTH, V_PLACE, V_KINDS };
static const char *const kind_names[V_KINDS] = {
	"accent dropped", "surnames swapped", "second surname missing", "nickname", "one typo",
	"day/month swapped", "other community"};

static uint64_t rng = 0x2545f4914f6cdd1du;
static unsigned below(unsigned n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned)((rng * UINT64_C(0x2545f4914f6cdd1d)) >> 33) % n;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the variations ------------------------------------------------------------------------ */

/* Nicknames of libyouth/names.c's table whose full form gen-census writes as a first given
 * name ({full, nickname}, as a desk would write them). */
static const char *const nicknames[][2] = {
	{"José", "Chepe"},    {"José", "Pepe"},    {"Francisco", "Pancho"}, {"Francisco", "Paco"},
	{"Manuel", "Manolo"}, {"Rafael", "Rafa"},  {"Roberto", "Beto"},     {"Fernando", "Nando"},
	{"Gabriela", "Gaby"}, {"Juan", "Juancho"}, {"Alejandro", "Alex"},   {"Antonio", "Toño"},
};

/* Drops the accents (and the tilde of ñ) of the UTF-8 Latin letters of @s, in place. */
static int drop_accents(char *s)
{
	static const char from[] = "\xa1\xa9\xad\xb3\xba\xb1\xbc\x81\x89\x8d\x93\x9a\x91\x9c";
	static const char to[] = "aeiounuAEIOUNU";
	int changed = 0;
	char *w = s;
	for (const char *r = s; *r;) {
		const char *hit = (unsigned char)r[0] == 0xc3 && r[1] ? strchr(from, r[1]) : NULL;
		if (hit) {
			*w++ = to[hit - from];
			r += 2;
			changed = 1;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return changed;
}

/* One slip of the pen in a lower-case ASCII letter of @w past the first letter: a letter left
 * out, doubled, replaced by its neighbour on the keyboard row, or two letters in the wrong
 * order.  0 when @w has no such letter. */
static int slip(char *w, size_t cap)
{
	size_t n = strlen(w), at[80], k = 0;
	for (size_t i = 1; i < n && k < 80; i++)
		if (w[i] >= 'a' && w[i] <= 'z')
			at[k++] = i;
	if (k < 2 || n + 2 >= cap)
		return 0;
	static const char row[] = "qwertyuiopasdfghjklzxcvbnm";
	size_t i = at[below((unsigned)k)];
	switch (below(4)) {
	case 0: memmove(w + i, w + i + 1, n - i); break;
	case 1: memmove(w + i + 1, w + i, n - i + 1); break;
	case 2: {
		const char *p = strchr(row, w[i]);
		w[i] = p[1] ? p[1] : row[0];
		break;
	}
	default:
		if (i + 1 < n && w[i + 1] >= 'a' && w[i + 1] <= 'z' && w[i + 1] != w[i]) {
			char t = w[i];
			w[i] = w[i + 1];
			w[i + 1] = t;
		} else {
			memmove(w + i, w + i + 1, n - i);
		}
	}
	return 1;
}

/* Communities by municipality: "another community" is one of the same municipality. */
typedef struct community {
	char *path;
	int64_t muni;
} community;
static community *comm;
static size_t ncomm;

static void load_communities(sqlite3 *db)
{
	sqlite3_stmt *st;
	bench_sql_check(db, sqlite3_prepare_v2(db,
		"SELECT c.path, d.parent_id FROM place c JOIN place d ON d.id = c.parent_id "
		"WHERE c.level = 4 ORDER BY d.parent_id, c.path", -1, &st, NULL), "communities");
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (ncomm == cap) {
			cap = cap ? 2 * cap : 1024;
			comm = realloc(comm, cap * sizeof *comm);
		}
		comm[ncomm].path = strdup((const char *)sqlite3_column_text(st, 0));
		comm[ncomm++].muni = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
}

/* A community other than @path in the same municipality, NULL when it has only one. */
static const char *other_community(const char *path)
{
	size_t i = 0;
	while (i < ncomm && strcmp(comm[i].path, path))
		i++;
	if (i == ncomm)
		return NULL;
	size_t lo = i, hi = i;
	while (lo > 0 && comm[lo - 1].muni == comm[i].muni)
		lo--;
	while (hi + 1 < ncomm && comm[hi + 1].muni == comm[i].muni)
		hi++;
	if (hi == lo)
		return NULL;
	size_t j = lo + below((unsigned)(hi - lo));
	return comm[j >= i ? j + 1 : j].path;
}

/* A person as a second registration writes it: the copy's own strings. */
typedef struct variant {
	youth_person p;
	char given[128], s1[128], s2[128], birth[32], place[256];
	unsigned kinds;
	youth_person *src; /* the original, whose other strings p points into */
} variant;

/* Applies variation @k to @v; 0 when it does not apply to this person. */
static int vary(variant *v, int k)
{
	switch (k) {
	case V_ACCENT: {
		int a = drop_accents(v->given), b = drop_accents(v->s1), c = drop_accents(v->s2);
		return a || b || c;
	}
	case V_SWAPPED:
	case V_NO_SURNAME2:
		if (!v->s2[0] || (v->kinds & (1u << V_SWAPPED | 1u << V_NO_SURNAME2)))
			return 0;
		if (k == V_NO_SURNAME2) {
			v->s2[0] = '\0';
		} else {
			char t[128];
			memcpy(t, v->s1, sizeof t);
			memcpy(v->s1, v->s2, sizeof t);
			memcpy(v->s2, t, sizeof t);
		}
		return 1;
	case V_NICKNAME: {
		size_t n = strcspn(v->given, " ");
		size_t c = sizeof nicknames / sizeof nicknames[0], start = below((unsigned)c);
		for (size_t t = 0; t < c; t++) {
			size_t i = (start + t) % c;
			if (strlen(nicknames[i][0]) != n || strncmp(v->given, nicknames[i][0], n))
				continue;
			/* Half the time the desk writes the nickname alone, as the youth says it. */
			char g[128];
			snprintf(g, sizeof g, "%s%s", nicknames[i][1], below(2) ? v->given + n : "");
			memcpy(v->given, g, sizeof g);
			return 1;
		}
		return 0;
	}
	case V_TYPO: {
		char *f[3] = {v->given, v->s1, v->s2};
		int i = (int)below(v->s2[0] ? 3 : 2);
		/* One word of the field, the slip inside it. */
		char *w = f[i], *sp;
		while ((sp = strchr(w, ' ')) && below(2))
			w = sp + 1;
		char word[128];
		size_t wl = strcspn(w, " ");
		memcpy(word, w, wl);
		word[wl] = '\0';
		if (!slip(word, sizeof word))
			return 0;
		char out[128];
		snprintf(out, sizeof out, "%.*s%s%s", (int)(w - f[i]), f[i], word, w + wl);
		memcpy(f[i], out, sizeof out);
		return 1;
	}
	case V_DAY_MONTH: {
		int m = atoi(v->birth + 5), d = atoi(v->birth + 8);
		if (d > 12 || d == m)
			return 0;
		snprintf(v->birth + 5, sizeof v->birth - 5, "%02d-%02d", d, m);
		return 1;
	}
	default: {
		const char *o = other_community(v->place);
		if (!o)
			return 0;
		snprintf(v->place, sizeof v->place, "%s", o);
		return 1;
	}
	}
}

/* @v: a copy of @src with variation @k and, one time in three, a second one.  The copy has no
 * national ID (the number is unique: a second registration is one made without the card) and
 * keeps the phone half the time.  0 when @k does not apply to @src. */
static int make_variant(variant *v, const youth_person *src, int k)
{
	memset(v, 0, sizeof *v);
	v->p = *src;
	v->p.id = 0;
	v->p.uuid[0] = '\0';
	v->p.national_id = NULL;
	if (below(2))
		v->p.phone = NULL;
	snprintf(v->given, sizeof v->given, "%s", src->given_names);
	snprintf(v->s1, sizeof v->s1, "%s", src->first_surname);
	snprintf(v->s2, sizeof v->s2, "%s", src->second_surname ? src->second_surname : "");
	snprintf(v->birth, sizeof v->birth, "%s", src->birth_date);
	snprintf(v->place, sizeof v->place, "%s", src->place);
	if (!vary(v, k))
		return 0;
	v->kinds = 1u << k;
	if (below(3) == 0) {
		int k2 = (int)below(V_KINDS - 1);
		k2 += k2 >= k;
		variant keep = *v;
		if (vary(v, k2))
			v->kinds |= 1u << k2;
		else
			*v = keep;
	}
	v->p.given_names = v->given;
	v->p.first_surname = v->s1;
	v->p.second_surname = v->s2[0] ? v->s2 : NULL;
	v->p.birth_date = v->birth;
	v->p.place = v->place;
	return 1;
}

/* A variant of a random person not in @used (marked there); its original in *@orig. */
static void random_variant(variant *v, youth_registry *reg, int64_t persons, unsigned char *used,
                           int k, int64_t *orig)
{
	for (int tries = 0; tries < 100000; tries++) {
		int64_t id = 1 + (int64_t)below((unsigned)persons);
		if (used && used[id])
			continue;
		youth_person *src;
		if (youth_person_get(&src, reg, id) != YOUTH_OK)
			continue;
		if (make_variant(v, src, k)) {
			if (used)
				used[id] = 1;
			*orig = id;
			v->src = src;
			return;
		}
		youth_person_free(src);
	}
	fprintf(stderr, "bench-dups: no person takes variation %s\n", kind_names[k]);
	exit(1);
}

/* ---- the run ------------------------------------------------------------------------------- */

static void copy_file(const char *from, const char *to)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s-wal", from);
	struct stat sb;
	if (stat(tmp, &sb) == 0 && sb.st_size > 0) {
		fprintf(stderr, "bench-dups: %s has a WAL: close every program using it first\n", from);
		exit(1);
	}
	bench_remove_registry(to);
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || out < 0) {
		perror(in < 0 ? from : to);
		exit(1);
	}
	static char buf[1 << 20];
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			perror(to);
			exit(1);
		}
	close(in);
	if (n < 0 || fsync(out) || close(out)) {
		perror(to);
		exit(1);
	}
}

typedef struct scan_result {
	double wall, cpu;
	long rss_kib;
	youth_duplicates_summary sum;
} scan_result;

/* The whole-registry scan in a child process: its peak RSS and CPU are the scan's. */
static scan_result run_scan(const char *path)
{
	scan_result r = {0};
	int fd[2];
	if (pipe(fd))
		perror("pipe"), exit(1);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		perror("fork"), exit(1);
	if (pid == 0) {
		close(fd[0]);
		youth_registry *reg;
		if (youth_registry_open(&reg, path, 0) != YOUTH_OK)
			bench_die_youth(path);
		double t0 = bench_now();
		if (youth_duplicates_find(&r.sum, reg, NULL) != YOUTH_OK)
			bench_die_youth("youth_duplicates_find");
		r.wall = bench_now() - t0;
		youth_registry_close(reg);
		if (write(fd[1], &r, sizeof r) != (ssize_t)sizeof r)
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	ssize_t got = read(fd[0], &r, sizeof r);
	close(fd[0]);
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0 || got != (ssize_t)sizeof r || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench-dups: the scan failed\n");
		exit(1);
	}
	r.rss_kib = ru.ru_maxrss;
	r.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	        (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	return r;
}

/* The truth: planted copy i is person first_copy + i. */
static int64_t nplant, first_copy;
static int64_t *orig_of;
static unsigned *kinds_of;

/* The planted index of pair (@a, @b), a < b, or -1. */
static int64_t planted(int64_t a, int64_t b)
{
	int64_t i = b - first_copy;
	return i >= 0 && i < nplant && orig_of[i] == a ? i : -1;
}

/* Figures of one method. */
typedef struct tally {
	int64_t found, planted_found, identical;
	int64_t by_kind[V_KINDS], by_count[3];
	unsigned char *hit; /* per planted pair */
} tally;

static int64_t kind_total[V_KINDS], count_total[3];

static void tally_pair(tally *t, int64_t a, int64_t b, int identical)
{
	t->found++;
	int64_t i = planted(a, b);
	if (i < 0) {
		t->identical += identical;
		return;
	}
	if (t->hit[i])
		return;
	t->hit[i] = 1;
	t->planted_found++;
	for (int k = 0; k < V_KINDS; k++)
		t->by_kind[k] += (kinds_of[i] >> k) & 1;
	t->by_count[__builtin_popcount(kinds_of[i])]++;
}

static double pct(int64_t a, int64_t b) { return b ? 100.0 * (double)a / (double)b : 0.0; }

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void print_latency(const char *what, double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	printf("desk_%s_ms_p50=%.2f desk_%s_ms_p99=%.2f desk_%s_ms_max=%.2f\n", what,
	       v[n / 2] * 1e3, what, v[(n * 99) / 100] * 1e3, what, v[n - 1] * 1e3);
}

static double rusage_cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	bench_prog = "bench-dups";
	const char *pristine = NULL;
	int64_t want = 20000;
	int desk_calls = 1000, verbose = 0, rounds = 1;
	for (int i = 1; i < argc; i++) {
		if (bench_option(argc, argv, &i, &rounds))
			continue;
		if (!strcmp(argv[i], "-p") && i + 1 < argc)
			want = atoll(argv[++i]);
		else if (!strcmp(argv[i], "-q") && i + 1 < argc)
			desk_calls = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			rng = strtoull(argv[++i], NULL, 0) | 1;
		else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (argv[i][0] != '-' && !pristine)
			pristine = argv[i];
		else
			pristine = NULL, argc = 0;
	}
	if (!pristine || want < 1 || desk_calls < 2) {
		fprintf(stderr, "usage: bench-dups [-d DIR] [-p PLANTED] [-q DESK_CALLS] [-s SEED] [-v] "
		                "PRISTINE_REGISTRY\n");
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/dups-work.youth", bench_dir);
	double t0 = bench_now();
	copy_file(pristine, path);
	printf("copy_s=%.1f\n", bench_now() - t0);

	youth_registry *reg;
	if (youth_registry_open(&reg, path, 0) != YOUTH_OK)
		bench_die_youth(path);
	sqlite3 *db;
	bench_sql_check(NULL, sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), path);
	load_communities(db);
	int64_t persons = 0;
	if (youth_person_count(&persons, reg, NULL) != YOUTH_OK || persons < 2)
		bench_die_youth("counting persons");

	/* Plant: distinct originals, kinds taken in turn, one transaction. */
	unsigned char *used = calloc((size_t)persons + 1, 1);
	orig_of = calloc((size_t)want, sizeof *orig_of);
	kinds_of = calloc((size_t)want, sizeof *kinds_of);
	t0 = bench_now();
	if (youth_registry_begin(reg) != YOUTH_OK)
		bench_die_youth("begin");
	for (nplant = 0; nplant < want; nplant++) {
		variant v;
		random_variant(&v, reg, persons, used, (int)(nplant % V_KINDS), &orig_of[nplant]);
		if (youth_person_add(reg, &v.p, YOUTH_PERSON_ALLOW_AGE) != YOUTH_OK)
			bench_die_youth("adding a planted duplicate");
		youth_person_free(v.src);
		if (nplant == 0)
			first_copy = v.p.id;
		else if (v.p.id != first_copy + nplant)
			return fprintf(stderr, "bench-dups: planted ids are not consecutive\n"), 1;
		kinds_of[nplant] = v.kinds;
		for (int k = 0; k < V_KINDS; k++)
			kind_total[k] += (v.kinds >> k) & 1;
		count_total[__builtin_popcount(v.kinds)]++;
	}
	if (youth_registry_commit(reg) != YOUTH_OK)
		bench_die_youth("commit");
	printf("persons=%lld planted=%lld plant_s=%.1f\n", (long long)persons, (long long)nplant,
	       bench_now() - t0);
	youth_registry_close(reg);

	/* The scan. */
	double load[3];
	getloadavg(load, 3);
	scan_result sr = run_scan(path);
	printf("load_before_scan=%.1f/%.1f/%.1f\n", load[0], load[1], load[2]);
	printf("scan_wall_s=%.2f scan_cpu_s=%.2f scan_rss_mib=%.1f compared=%lld found=%lld "
	       "likely=%lld big_blocks=%lld\n", sr.wall, sr.cpu, (double)sr.rss_kib / 1024,
	       (long long)sr.sum.compared, (long long)sr.sum.found, (long long)sr.sum.likely,
	       (long long)sr.sum.big_blocks);

	/* What the scan found, judged against the truth. */
	tally scan = {0}, base = {0};
	scan.hit = calloc((size_t)nplant, 1);
	base.hit = calloc((size_t)nplant, 1);
	sqlite3_stmt *st;
	bench_sql_check(db, sqlite3_prepare_v2(db,
		"SELECT d.person_id, d.other_id, a.name_key = b.name_key AND "
		"a.birth_date = b.birth_date, d.score, d.reasons, a.name_key, a.birth_date, b.name_key, "
		"b.birth_date FROM duplicate_pair d JOIN person a ON a.id = d.person_id "
		"JOIN person b ON b.id = d.other_id", -1, &st, NULL), "reading pairs");
	int shown = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t a = sqlite3_column_int64(st, 0), b = sqlite3_column_int64(st, 1);
		int same = sqlite3_column_int(st, 2);
		tally_pair(&scan, a, b, same);
		if (verbose && !same && planted(a, b) < 0 && shown++ < 40)
			fprintf(stderr, "false %d %s | %s %s | %s %s\n", sqlite3_column_int(st, 3),
			        sqlite3_column_text(st, 4), sqlite3_column_text(st, 5),
			        sqlite3_column_text(st, 6), sqlite3_column_text(st, 7),
			        sqlite3_column_text(st, 8));
	}
	sqlite3_finalize(st);

	/* The baseline: equal folded full name and birth date. */
	double c0 = rusage_cpu();
	t0 = bench_now();
	bench_sql_check(db, sqlite3_prepare_v2(db,
		"SELECT group_concat(id) FROM (SELECT id, name_key, birth_date FROM person ORDER BY id) "
		"GROUP BY name_key, birth_date HAVING count(*) > 1", -1, &st, NULL), "baseline");
	char **groups = NULL;
	size_t ngroups = 0, capg = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (ngroups == capg) {
			capg = capg ? 2 * capg : 1024;
			groups = realloc(groups, capg * sizeof *groups);
		}
		groups[ngroups++] = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	double base_wall = bench_now() - t0, base_cpu = rusage_cpu() - c0;
	for (size_t g = 0; g < ngroups; g++) {
		int64_t idv[64];
		int n = 0;
		for (char *p = groups[g]; *p && n < 64; p += strcspn(p, ",") + (p[strcspn(p, ",")] != 0))
			idv[n++] = atoll(p);
		for (int x = 0; x < n; x++)
			for (int y = x + 1; y < n; y++)
				tally_pair(&base, idv[x], idv[y], 1);
		free(groups[g]);
	}
	free(groups);
	printf("baseline_wall_s=%.2f baseline_cpu_s=%.2f baseline_found=%lld\n", base_wall, base_cpu,
	       (long long)base.found);

	printf("\n| variation | planted | scan found | scan recall %% | baseline found | "
	       "baseline recall %% |\n|---|---|---|---|---|---|\n");
	for (int k = 0; k < V_KINDS; k++)
		printf("| %s | %lld | %lld | %.1f | %lld | %.1f |\n", kind_names[k],
		       (long long)kind_total[k], (long long)scan.by_kind[k],
		       pct(scan.by_kind[k], kind_total[k]), (long long)base.by_kind[k],
		       pct(base.by_kind[k], kind_total[k]));
	for (int c = 1; c <= 2; c++)
		printf("| %s variation%s | %lld | %lld | %.1f | %lld | %.1f |\n", c == 1 ? "one" : "two",
		       c == 1 ? "" : "s", (long long)count_total[c], (long long)scan.by_count[c],
		       pct(scan.by_count[c], count_total[c]), (long long)base.by_count[c],
		       pct(base.by_count[c], count_total[c]));
	printf("| all | %lld | %lld | %.1f | %lld | %.1f |\n\n", (long long)nplant,
	       (long long)scan.planted_found, pct(scan.planted_found, nplant),
	       (long long)base.planted_found, pct(base.planted_found, nplant));
	printf("| method | pairs found | planted | not planted, same name and birth date | other | "
	       "precision %% | precision %% without the indistinguishable |\n|---|---|---|---|---|---|---|\n");
	const tally *tt[2] = {&scan, &base};
	for (int m = 0; m < 2; m++) {
		const tally *t = tt[m];
		int64_t other = t->found - t->planted_found - t->identical;
		printf("| %s | %lld | %lld | %lld | %lld | %.1f | %.1f |\n", m ? "baseline" : "scan",
		       (long long)t->found, (long long)t->planted_found, (long long)t->identical,
		       (long long)other, pct(t->planted_found, t->found),
		       pct(t->planted_found, t->found - t->identical));
	}
	printf("\nscan_recall=%.2f scan_precision=%.2f scan_precision_distinguishable=%.2f "
	       "baseline_recall=%.2f baseline_precision=%.2f\n",
	       pct(scan.planted_found, nplant), pct(scan.planted_found, scan.found),
	       pct(scan.planted_found, scan.found - scan.identical), pct(base.planted_found, nplant),
	       pct(base.planted_found, base.found));
	if (verbose)
		for (int64_t i = 0, n = 0; i < nplant && n < 40; i++)
			if (!scan.hit[i]) {
				n++;
				bench_sql_check(db, sqlite3_prepare_v2(db,
					"SELECT a.given_names || ' / ' || a.first_surname || ' / ' || "
					"coalesce(a.second_surname, '') || ' ' || a.birth_date || ' ' || a.sex || "
					"' ' || a.place_id || ' | ' || b.given_names || ' / ' || b.first_surname || "
					"' / ' || coalesce(b.second_surname, '') || ' ' || b.birth_date || ' ' || "
					"b.sex || ' ' || b.place_id FROM person a, person b WHERE a.id = ? AND b.id = ?",
					-1, &st, NULL), "missed");
				sqlite3_bind_int64(st, 1, orig_of[i]);
				sqlite3_bind_int64(st, 2, first_copy + i);
				if (sqlite3_step(st) == SQLITE_ROW)
					fprintf(stderr, "missed %#x %s\n", kinds_of[i], sqlite3_column_text(st, 0));
				sqlite3_finalize(st);
			}

	/* The desk check: fresh variants (not added) and invented persons, alternately. */
	if (youth_registry_open(&reg, path, 0) != YOUTH_OK)
		bench_die_youth(path);
	double *wall = calloc((size_t)desk_calls, sizeof *wall);
	double *cpu = calloc((size_t)desk_calls, sizeof *cpu);
	double *find_cpu = calloc((size_t)desk_calls, sizeof *find_cpu);
	int variants = 0, named = 0, invented = 0, invented_alarm = 0;
	for (int q = 0; q < desk_calls; q++) {
		variant v;
		int64_t orig = 0;
		youth_person *parts[3] = {NULL, NULL, NULL};
		if (q % 2 == 0) {
			random_variant(&v, reg, persons, NULL, (int)below(V_KINDS), &orig);
		} else {
			/* Given names and sex of one person, surnames of a second, birth date and
			 * place of a third: a youth the registry does not know (most likely). */
			for (int i = 0; i < 3; i++)
				if (youth_person_get(&parts[i], reg, 1 + (int64_t)below((unsigned)persons)))
					bench_die_youth("reading a person");
			memset(&v, 0, sizeof v);
			v.p = *parts[0];
			v.p.national_id = NULL;
			v.p.first_surname = parts[1]->first_surname;
			v.p.second_surname = parts[1]->second_surname;
			v.p.birth_date = parts[2]->birth_date;
			v.p.place = parts[2]->place;
		}
		youth_duplicate_list *l;
		double w0 = bench_now(), c0q = cpu_now();
		if (youth_person_similar(&l, reg, &v.p, 10) != YOUTH_OK)
			bench_die_youth("youth_person_similar");
		cpu[q] = cpu_now() - c0q;
		wall[q] = bench_now() - w0;
		/* The name search the check runs inside (the same query), timed alone: the share
		 * of the check that belongs to the name index of names.c. */
		char qtext[400];
		snprintf(qtext, sizeof qtext, "%s %s %s", v.p.given_names, v.p.first_surname,
		         v.p.second_surname ? v.p.second_surname : "");
		youth_person_matches *m;
		c0q = cpu_now();
		if (youth_person_find(&m, reg, qtext, 50) != YOUTH_OK)
			bench_die_youth("youth_person_find");
		find_cpu[q] = cpu_now() - c0q;
		youth_person_matches_free(m);
		if (orig) {
			variants++;
			for (size_t i = 0; i < youth_duplicate_list_count(l); i++)
				named += youth_duplicate_list_get(l, i)->other_id == orig;
		} else {
			invented++;
			invented_alarm += youth_duplicate_list_count(l) &&
			                  youth_duplicate_list_get(l, 0)->score >= YOUTH_DUPLICATE_LIKELY;
		}
		youth_duplicate_list_free(l);
		youth_person_free(v.src);
		for (int i = 0; i < 3; i++)
			youth_person_free(parts[i]);
	}
	printf("desk_calls=%d desk_variants=%d desk_variants_named=%d desk_invented=%d "
	       "desk_invented_likely=%d\n", desk_calls, variants, named, invented, invented_alarm);
	print_latency("wall", wall, desk_calls);
	print_latency("cpu", cpu, desk_calls);
	print_latency("name_search_cpu", find_cpu, desk_calls);
	getloadavg(load, 3);
	printf("load_after=%.1f/%.1f/%.1f\n", load[0], load[1], load[2]);
	youth_registry_close(reg);
	sqlite3_close(db);
	return 0;
}
