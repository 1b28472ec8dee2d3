/*
 * gen-national: writes one `format: libyouth/1` file of a national registry of N invented youths
 * and the programme's services to them, for the national-scale benchmarks (docs/benchmarks.md).
 *
 *     bench/gen-national [-s SEED] [-u 7|4] [-x] -g GAZETTEER.yaml -o FILE N
 *
 * The gazetteer (examples/data/gazetteer-sv.yaml: 14 departments, 44 municipalities, 262
 * districts) gets 4 invented communities under every district that has none (one of them a
 * critical area); the persons are spread over the districts in proportion to their department's
 * population (2007 census, equal shares within a department), so that each district's persons
 * are consecutive and a municipality's services draw on its own youths.  Every municipality has
 * an employment exchange with 8 operators, 5 employers and 4 courses; the five programmes cover
 * the whole country (ages and rules of examples/data/rules.yaml).
 *
 * Services follow the programme's proportions (per 600 census youths, see
 * ../shared/programme-final-report.txt and examples/sample/services.c): 450 counselled in group
 * sessions of 10-25, 400 in course cohorts of 15-30 (about 1 in 10 drops out below the minimum
 * attendance, the others complete with a certificate), 25 first-work scholarships with their
 * monthly payments (1 in 12 terminated after the first), 100 youths with seed capital (70
 * individual plans and groups of 5), women's groups of 5 (75 women) in the female window with a
 * plan and three business services each, and 50 course completers followed up at 3, 6 and 12
 * months.  That is 2.0 records of a service to a person per person (participants, enrollments,
 * scholarships, individual plans, group members, follow-ups), plus the sessions, cohorts,
 * payments, groups, group plans, disbursements, visits and business services around them.
 * A youth is only given a service for which the programme's rules make them eligible on its
 * dates (16-24, 16-35 in the female window).
 *
 * Memory is flat in N: every person is a pure function of (seed, index), so each section is
 * written by walking the persons again (the file is written section by section, each reference
 * pointing backwards).  UUIDs are deterministic: -u 7 (default) makes time-ordered v7 UUIDs as
 * libyouth does (48 bits of milliseconds, increasing through the file), -u 4 random-looking v4
 * UUIDs as another system would send them.  -x writes the persons section in a scattered order
 * (the services sections are the same): a file from a system that does not group its youths by
 * place, where each person's place differs from the one before (and v7 UUIDs no longer rise
 * through the section).  The record counts per section go to stderr.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <youth.h>

#include "gen_common.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t seed = 2009;
static int uuid_version = 7;

/* ---- deterministic hashing and UUIDs ---------------------------------------------------- */

static uint64_t mix(uint64_t x)
{
	x += UINT64_C(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

static uint64_t hash3(uint64_t a, uint64_t b, uint64_t c)
{
	return mix(mix(mix(seed ^ a) ^ b) ^ c);
}

/* A uniform double in [0, 1) for person @i and purpose @salt. */
static double roll(uint64_t i, uint64_t salt)
{
	return (double)(hash3(i, salt, 77) >> 11) / 9007199254740992.0;
}

/* The kinds of record, in file order: they number the UUIDs. */
enum kind {
	K_PLACE = 1, K_PROGRAMME, K_EXCHANGE, K_OPERATOR, K_EMPLOYER, K_PERSON, K_COURSE, K_COHORT,
	K_ENROLLMENT, K_SESSION, K_PARTICIPANT, K_SCHOLARSHIP, K_PAYMENT, K_GROUP, K_MEMBER, K_PLAN,
	K_DISBURSEMENT, K_VISIT, K_BUSINESS, K_FOLLOWUP, K_KINDS
};

static const char *const section_name[K_KINDS] = {
	NULL, "places", "programmes", "exchanges", "operators", "employers", "persons", "courses",
	"cohorts", "enrollments", "counselling_sessions", "counselling_participants", "scholarships",
	"scholarship_payments", "groups", "group_members", "plans", "plan_disbursements",
	"plan_visits", "business_services", "followups"};

static uint64_t written[K_KINDS];

/* Writes the section's key before its first record: an empty section is left out. */
static void section(FILE *f, int kind)
{
	if (written[kind]++ == 0)
		fprintf(f, "%s:\n", section_name[kind]);
}

/* The UUID of record @idx of @kind.  v7: milliseconds from 2026-01-01, one kind after the other
 * (about 12 days apart) and 16 records per millisecond, so that file order is creation order. */
static void make_uuid(char out[37], int kind, uint64_t idx)
{
	unsigned char b[16];
	uint64_t r1 = hash3((uint64_t)kind, idx, 1), r2 = hash3((uint64_t)kind, idx, 2);
	for (int i = 0; i < 8; i++) {
		b[i] = (unsigned char)(r1 >> (56 - 8 * i));
		b[8 + i] = (unsigned char)(r2 >> (56 - 8 * i));
	}
	if (uuid_version == 7) {
		uint64_t ms = UINT64_C(1767225600000) + (uint64_t)kind * UINT64_C(1000000000) + idx / 16;
		for (int i = 0; i < 6; i++)
			b[i] = (unsigned char)(ms >> (40 - 8 * i));
		b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));
	} else {
		b[6] = (unsigned char)(0x40 | (b[6] & 0x0f));
	}
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
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

/* Starts record @idx of @kind: writes "  - uuid: ..." and counts it. */
static void begin(FILE *f, int kind, uint64_t idx)
{
	char u[37];
	make_uuid(u, kind, idx);
	section(f, kind);
	fprintf(f, "  - uuid: %s\n", u);
}

/* Writes "    key: <uuid of kind idx>". */
static void ref(FILE *f, const char *key, int kind, uint64_t idx)
{
	char u[37];
	make_uuid(u, kind, idx);
	fprintf(f, "    %s: %s\n", key, u);
}

static long day(int y, int m, int d) { return gen_days_from_civil(y, m, d); }

static void date_key(FILE *f, const char *key, long d)
{
	char s[11];
	gen_fmt_date(s, d);
	fprintf(f, "    %s: %s\n", key, s);
}

/* ---- the gazetteer ------------------------------------------------------------------------ */

typedef struct district {
	char *path;
	char **communities;
	size_t n_communities;
	int muni;
	uint64_t p0, p1; /* its persons: indexes p0..p1-1 */
} district;

typedef struct muni {
	char *path, *name;
	int first, n; /* its districts */
	uint64_t p0, p1;
} muni;

static district *districts;
static int n_districts;
static muni *munis;
static int n_munis;
static char **departments;
static int n_departments;

/* Population of the departments at the 2007 census, in thousands, rounded (by slug). */
static const struct {
	const char *slug;
	int thousands;
} population[] = {
	{"ahuachapan", 319}, {"santa-ana", 524}, {"sonsonate", 439}, {"chalatenango", 192},
	{"la-libertad", 661}, {"san-salvador", 1567}, {"cuscatlan", 231}, {"la-paz", 309},
	{"cabanas", 150}, {"san-vicente", 162}, {"usulutan", 344}, {"san-miguel", 434},
	{"morazan", 174}, {"la-union", 238}};

static const char *const community_names[] = {
	"Barrio El Centro", "Colonia San José", "Cantón El Rosario", "Caserío Los Naranjos",
	"Colonia Las Brisas", "Cantón San Antonio", "Barrio El Calvario", "Colonia Santa Lucía",
	"Cantón Las Flores", "Caserío El Jícaro", "Colonia Guadalupe", "Cantón La Montañita",
	"Barrio San Sebastián", "Colonia El Milagro", "Cantón El Zapote", "Caserío Los Mangos"};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		perror("gen-national");
		exit(1);
	}
	return p;
}

static int fail(const char *what)
{
	fprintf(stderr, "gen-national: %s: %s\n", what, youth_error_last()->message);
	return 1;
}

/* Collects the paths of @level (under @under, NULL for all) into a new array. */
static int collect(youth_registry *reg, const char *under, int level, char ***out, int *n,
                   char ***names)
{
	youth_place_iter *it;
	const youth_place *pl;
	int rc = youth_place_iter_new(&it, reg, under, level);
	*out = NULL;
	*n = 0;
	if (names)
		*names = NULL;
	while (rc == YOUTH_OK && (rc = youth_place_next(&pl, it)) == YOUTH_OK) {
		*out = xrealloc(*out, (size_t)(*n + 1) * sizeof **out);
		(*out)[*n] = strdup(pl->path);
		if (names) {
			*names = xrealloc(*names, (size_t)(*n + 1) * sizeof **names);
			(*names)[*n] = strdup(pl->name);
		}
		(*n)++;
	}
	youth_place_iter_free(it);
	return rc == YOUTH_ITEROVER ? YOUTH_OK : rc;
}

/* Loads the gazetteer, adds the invented communities, writes the places section and lays the
 * persons out over the districts. */
static int places(youth_registry *reg, const char *gazetteer, FILE *f, uint64_t n)
{
	if (youth_gazetteer_load(NULL, reg, gazetteer))
		return fail(gazetteer);
	char **paths, **mpaths, **mnames;
	int np;
	if (collect(reg, NULL, YOUTH_PLACE_DEPARTMENT, &departments, &n_departments, NULL) ||
	    collect(reg, NULL, YOUTH_PLACE_MUNICIPALITY, &mpaths, &n_munis, &mnames) ||
	    collect(reg, NULL, YOUTH_PLACE_DISTRICT, &paths, &np, NULL))
		return fail(gazetteer);
	if (n_departments == 0 || np == 0 || n_munis == 0) {
		fprintf(stderr, "gen-national: %s: needs departments, municipalities and districts\n",
		        gazetteer);
		return 1;
	}
	munis = calloc((size_t)n_munis, sizeof *munis);
	for (int m = 0; m < n_munis; m++)
		munis[m].path = mpaths[m], munis[m].name = mnames[m], munis[m].first = -1;
	free(mpaths);
	free(mnames);
	n_districts = np;
	districts = calloc((size_t)np, sizeof *districts);
	/* Invented communities where the gazetteer has none, so every district has a few. */
	for (int d = 0; d < np; d++) {
		district *di = &districts[d];
		di->path = paths[d];
		int got;
		if (collect(reg, di->path, YOUTH_PLACE_COMMUNITY, &di->communities, &got, NULL))
			return fail(di->path);
		for (int k = 0; got == 0 && k < 4; k++) {
			const char *name = community_names[(mix((uint64_t)d) + (uint64_t)k * 5) %
			                                   COUNT(community_names)];
			if (youth_place_add(NULL, reg, di->path, name, k == 0))
				return fail(di->path);
		}
		if (got == 0) {
			free(di->communities);
			if (collect(reg, di->path, YOUTH_PLACE_COMMUNITY, &di->communities, &got, NULL))
				return fail(di->path);
		}
		di->n_communities = (size_t)got;
		size_t plen = strlen(di->path);
		for (int m = 0; m < n_munis; m++) {
			size_t ml = strlen(munis[m].path);
			if (ml < plen && !strncmp(munis[m].path, di->path, ml) && di->path[ml] == '/') {
				di->muni = m;
				if (munis[m].first < 0)
					munis[m].first = d;
				munis[m].n++;
			}
		}
	}
	free(paths);

	/* The places section, with the invented communities marked. */
	youth_place_iter *it;
	const youth_place *pl;
	int rc = youth_place_iter_new(&it, reg, NULL, 0);
	uint64_t idx = 0;
	while (rc == YOUTH_OK && (rc = youth_place_next(&pl, it)) == YOUTH_OK) {
		begin(f, K_PLACE, idx++);
		int invented = 0;
		for (size_t k = 0; pl->level == YOUTH_PLACE_COMMUNITY && k < COUNT(community_names); k++)
			invented |= !strcmp(pl->name, community_names[k]);
		fprintf(f, "    path: %s\n    name: %s%s\n    critical: %s\n", pl->path, pl->name,
		        invented ? "  # invented by gen-national" : "", pl->critical ? "true" : "false");
	}
	youth_place_iter_free(it);
	if (rc != YOUTH_ITEROVER)
		return fail("places");

	/* Persons per district: the department's share of the population, split evenly. */
	double *w = calloc((size_t)np, sizeof *w), total = 0;
	for (int d = 0; d < np; d++) {
		int thousands = 100, in_dept = 0;
		for (size_t k = 0; k < COUNT(population); k++) {
			size_t l = strlen(population[k].slug);
			if (!strncmp(districts[d].path, population[k].slug, l) && districts[d].path[l] == '/')
				thousands = population[k].thousands;
		}
		for (int e = 0; e < np; e++)
			in_dept += !strncmp(districts[e].path, districts[d].path,
			                    (size_t)(strchr(districts[d].path, '/') - districts[d].path + 1));
		w[d] = thousands / (double)in_dept;
		total += w[d];
	}
	double acc = 0;
	for (int d = 0; d < np; d++) {
		districts[d].p0 = (uint64_t)((double)n * acc / total + 0.5);
		acc += w[d];
		districts[d].p1 = d == np - 1 ? n : (uint64_t)((double)n * acc / total + 0.5);
	}
	free(w);
	for (int m = 0; m < n_munis; m++) {
		munis[m].p0 = districts[munis[m].first].p0;
		munis[m].p1 = districts[munis[m].first + munis[m].n - 1].p1;
	}
	return 0;
}

/* ---- programmes, exchanges, operators, employers, courses -------------------------------- */

enum { OPS = 8, EMPLOYERS = 5, COURSES = 4 }; /* per municipality */
enum { OP_COORDINATOR, OP_PLACEMENT, OP_COUNSELLOR, OP_INTAKE = 6 };

static void programmes(FILE *f)
{
	static const struct {
		const char *code, *title;
		int age_max, women;
	} p[] = {
		{"counselling", "Career guidance and life skills", 24, 0},
		{"vocational", "Vocational training courses", 24, 0},
		{"scholarship", "First-work scholarships", 24, 0},
		{"seed_capital", "Seed capital for youth enterprises", 24, 0},
		{"female_window", "Female entrepreneurship window", 35, 1}};
	for (size_t i = 0; i < COUNT(p); i++) {
		begin(f, K_PROGRAMME, i);
		fprintf(f, "    code: %s\n    title: %s\n    age_min: 16\n    age_max: %d\n    places: [",
		        p[i].code, p[i].title, p[i].age_max);
		for (int d = 0; d < n_departments; d++)
			fprintf(f, "%s%s", d ? ", " : "", departments[d]);
		fprintf(f, "]\n    census_rounds: [census-2009]\n    consent_required: true\n"
		           "    women_only: %s\n", p[i].women ? "true" : "false");
	}
}

static const char *const staff_given[2][6] = {
	{"Carlos Alberto", "José Roberto", "Mario Ernesto", "Luis Alonso", "Francisco Javier",
	 "Óscar Armando"},
	{"Ana Gladys", "Marta Alicia", "Rosa Elena", "Karla Patricia", "Sandra Yanira",
	 "Evelyn Roxana"}};
static const char *const staff_surnames[] = {"Hernández", "Martínez", "López", "Ramírez",
                                             "Pérez", "Flores", "Rivera", "Castro", "Mejía",
                                             "Guzmán", "Aguilar", "Alvarado"};

static const struct {
	const char *code, *title, *provider, *profile;
	int hours;
} course_types[] = {
	{"PAN", "Panadería y repostería", "INSAFORP", "baker", 160},
	{"COS", "Cosmetología", "INSAFORP", "beautician", 200},
	{"SOL", "Soldadura eléctrica", "ITCA-FEPADE", "welder", 240},
	{"MEC", "Mecánica automotriz", "ITCA-FEPADE", "mechanic", 320},
	{"ELE", "Electricidad residencial", "INSAFORP", "electrician", 240},
	{"COM", "Computación y atención al cliente", "Casa de la Cultura", "call centre", 120},
	{"COR", "Corte y confección", "INSAFORP", "seamstress", 200},
	{"HOS", "Cocina y hostelería", "INSAFORP", "cook", 180}};

static void institutions(FILE *f)
{
	for (int m = 0; m < n_munis; m++) {
		begin(f, K_EXCHANGE, (uint64_t)m);
		fprintf(f, "    code: BME%02d\n    name: Bolsa Municipal de Empleo de %s\n"
		           "    place: %s\n    opened_date: 2008-09-15\n", m + 1, munis[m].name,
		        munis[m].path);
	}
	static const char *const roles[OPS] = {"coordinator", "placement", "counsellor", "counsellor",
	                                       "counsellor", "counsellor", "intake", "intake"};
	for (int m = 0; m < n_munis; m++)
		for (int k = 0; k < OPS; k++) {
			uint64_t h = hash3(K_OPERATOR, (uint64_t)(m * OPS + k), 0);
			begin(f, K_OPERATOR, (uint64_t)(m * OPS + k));
			ref(f, "exchange", K_EXCHANGE, (uint64_t)m);
			fprintf(f, "    given_names: %s\n    first_surname: %s\n    second_surname: %s\n"
			           "    role: %s\n    active: true\n",
			        staff_given[h % 3 != 0][(h >> 8) % 6],
			        staff_surnames[(h >> 16) % COUNT(staff_surnames)],
			        staff_surnames[(h >> 24) % COUNT(staff_surnames)], roles[k]);
		}
	static const struct {
		const char *name, *sector;
	} firms[] = {{"Panadería La Espiga", "food"}, {"Supermercado El Ahorro", "retail"},
	             {"Taller Mecánico Hermanos Pérez", "automotive"},
	             {"Comedor Doña Tere", "hotels and restaurants"},
	             {"Ferretería El Progreso", "retail"}, {"Centro de Llamadas", "services"},
	             {"Confecciones La Moderna", "textiles"}, {"Farmacia San Antonio", "retail"}};
	for (int m = 0; m < n_munis; m++)
		for (int k = 0; k < EMPLOYERS; k++) {
			int e = m * EMPLOYERS + k;
			begin(f, K_EMPLOYER, (uint64_t)e);
			fprintf(f, "    name: %s %s\n    sector: %s\n", firms[(m + k) % COUNT(firms)].name,
			        munis[m].name, firms[(m + k) % COUNT(firms)].sector);
			if (k < 2) /* a NIT for the larger ones: municipality, date, serial, digit */
				fprintf(f, "    nit: \"%04d-%02d%02d%02d-%03d-%d\"\n", 101 + m, 1 + k, 1 + m % 12,
				        90 + k, 100 + e % 900, e % 10);
			fprintf(f, "    place: %s\n", districts[munis[m].first].path);
		}
}

static void courses(FILE *f)
{
	for (int m = 0; m < n_munis; m++)
		for (int k = 0; k < COURSES; k++) {
			int t = (m + 3 * k) % (int)COUNT(course_types);
			begin(f, K_COURSE, (uint64_t)(m * COURSES + k));
			fprintf(f, "    code: %s-%02d\n    title: %s\n    provider: %s\n    job_profile: %s\n"
			           "    hours: %d\n", course_types[t].code, m + 1, course_types[t].title,
			        course_types[t].provider, course_types[t].profile, course_types[t].hours);
		}
}

/* ---- persons and their roles --------------------------------------------------------------- */

typedef struct youth {
	uint64_t i;
	gen_person p;
	int counsel, voc, seed_ind, seed_grp, women;
	int attendance; /* percent, drawn for the vocational */
	int schol, follow, terminated, operating;
} youth;

/* Age at @d is at most @max: born after the same day (max + 1) years earlier. */
static int age_ok(const gen_person *p, long d, int max)
{
	return p->birth > gen_years_before(d, max + 1);
}

/* The two course rounds: applied, start, end (2009). */
static long round_date(int round, int which)
{
	static const int md[2][3][2] = {{{5, 15}, {6, 1}, {8, 28}}, {{8, 14}, {9, 1}, {11, 27}}};
	return day(2009, md[round][which][0], md[round][which][1]);
}

static void draw(youth *y, uint64_t i)
{
	y->i = i;
	gen_rng_state = hash3(K_PERSON, i, 0) | 1;
	gen_person_core(&y->p);
	y->counsel = roll(i, 1) < 0.79 && age_ok(&y->p, day(2009, 7, 31), 24);
	/* Eligible for both rounds' end, so the cohort round can be chosen later. */
	y->voc = roll(i, 2) < 0.75 && age_ok(&y->p, day(2010, 3, 31), 24);
	y->attendance = roll(i, 3) < 0.1 ? 55 + (int)(roll(i, 4) * 25) : 80 + (int)(roll(i, 4) * 21);
	y->schol = roll(i, 5) < 25.0 / 360;
	y->follow = roll(i, 6) < 50.0 / 360;
	y->terminated = roll(i, 7) < 1.0 / 12;
	double e = roll(i, 8);
	int seed_ok = age_ok(&y->p, day(2009, 10, 26), 24);
	y->seed_ind = e < 0.117 && seed_ok;
	y->seed_grp = e >= 0.117 && e < 0.177 && seed_ok;
	y->women = !y->p.male && e >= 0.2 && e < 0.46;
	y->operating = roll(i, 9) >= 1.0 / 9;
}

static int scattered;

static void person(FILE *f, int d, uint64_t i)
{
	youth y;
	draw(&y, i);
	char u[37];
	make_uuid(u, K_PERSON, i);
	section(f, K_PERSON);
	gen_person_write(f, &y.p, i, districts[d].communities, districts[d].n_communities, u);
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* The persons district by district; with -x in a scattered order instead, as another system's
 * export would give them (by date of registration, say): the j-th written is person
 * (j * a + c) mod n, a prime to n, so each is written once and memory stays flat. */
static void persons(FILE *f, uint64_t n)
{
	if (!scattered) {
		for (int d = 0; d < n_districts; d++)
			for (uint64_t i = districts[d].p0; i < districts[d].p1; i++)
				person(f, d, i);
		return;
	}
	uint64_t a = n > 2 ? UINT64_C(2654435761) % n : 1, c = n / 3;
	while (a < 2 && n > 2)
		a++;
	while (gcd(a, n) != 1)
		a++;
	for (uint64_t j = 0; j < n; j++) {
		uint64_t i = (uint64_t)(((unsigned __int128)j * a + c) % n);
		int lo = 0, hi = n_districts - 1; /* the district with p0 <= i < p1 */
		while (lo < hi) {
			int mid = (lo + hi + 1) / 2;
			if (districts[mid].p0 <= i)
				lo = mid;
			else
				hi = mid - 1;
		}
		while (districts[lo].p1 <= i) /* districts with no persons share their p0 */
			lo++;
		person(f, lo, i);
	}
}

/* ---- services: one walk over the persons, writing the records of one section --------------- */

typedef struct walk {
	FILE *f;
	int kind; /* the section being written */
	int m;    /* municipality */
	/* global counters: the index of the next record of each kind */
	uint64_t n[K_KINDS];
	int cohorts_here, sessions_here; /* per municipality */
} walk;

static int on(const walk *w, int kind) { return w->kind == kind; }

static uint64_t op(const walk *w, int k) { return (uint64_t)(w->m * OPS + k); }

/* Counts the next record of @kind (a roster row: @parent and a person) and, when its section
 * is being written, starts it; returns whether it is. */
static int row(walk *w, int kind, const char *parent, int parent_kind, uint64_t parent_idx,
               uint64_t person)
{
	uint64_t q = w->n[kind]++;
	if (!on(w, kind))
		return 0;
	begin(w->f, kind, q);
	ref(w->f, parent, parent_kind, parent_idx);
	ref(w->f, "person", K_PERSON, person);
	return 1;
}

static void session(walk *w, youth *c, int n)
{
	uint64_t s = w->n[K_SESSION]++;
	int k = w->sessions_here++;
	long d = day(2009, 5, 4) + (k * 3) % 88;
	static const char *const topics[] = {"Autoestima y proyecto de vida", "Comunicación asertiva",
	                                     "Resolución de conflictos", "Perfiles laborales",
	                                     "Búsqueda de empleo y entrevista"};
	if (on(w, K_SESSION)) {
		begin(w->f, K_SESSION, s);
		ref(w->f, "operator", K_OPERATOR, op(w, OP_COUNSELLOR + k % 4));
		date_key(w->f, "date", d);
		fprintf(w->f, "    kind: %s\n    mode: group\n    duration_minutes: 120\n    topic: %s\n"
		              "    place: %s\n    state: closed\n",
		        k % 2 ? "life_skills" : "career_guidance", topics[k % 5], munis[w->m].path);
		date_key(w->f, "closed_date", d);
		fprintf(w->f, "    participants: %d\n", n);
	}
	for (int j = 0; j < n; j++) {
		if (!row(w, K_PARTICIPANT, "session", K_SESSION, s, c[j].i))
			continue;
		fputs("    attended: true\n", w->f);
		if (j == n - 1)
			date_key(w->f, "closes_session", d);
	}
}

static const char *const statuses[] = {"employed_formal", "employed_informal", "self_employed",
                                       "studying", "unemployed", "neet"};

static void cohort(walk *w, youth *c, int n)
{
	uint64_t h = w->n[K_COHORT]++;
	int k = w->cohorts_here++, round = k % 2;
	long applied = round_date(round, 0), start = round_date(round, 1), end = round_date(round, 2);
	if (on(w, K_COHORT)) {
		int t = (w->m + 3 * (k % COURSES)) % (int)COUNT(course_types);
		begin(w->f, K_COHORT, h);
		ref(w->f, "course", K_COURSE, (uint64_t)(w->m * COURSES + k % COURSES));
		ref(w->f, "exchange", K_EXCHANGE, (uint64_t)w->m);
		fprintf(w->f, "    code: %s-%02d-2009-%d\n", course_types[t].code, w->m + 1, k + 1);
		date_key(w->f, "start_date", start);
		date_key(w->f, "end_date", end);
		fprintf(w->f, "    place: %s\n    capacity: 30\n    min_attendance: 80\n",
		        munis[w->m].path);
	}
	for (int j = 0; j < n; j++) {
		youth *y = &c[j];
		uint64_t e = w->n[K_ENROLLMENT]++;
		int done = y->attendance >= 80;
		if (on(w, K_ENROLLMENT)) {
			begin(w->f, K_ENROLLMENT, e);
			ref(w->f, "cohort", K_COHORT, h);
			ref(w->f, "person", K_PERSON, y->i);
			ref(w->f, "operator", K_OPERATOR, op(w, OP_COORDINATOR));
			fprintf(w->f, "    state: %s\n", done ? "completed" : "dropped");
			date_key(w->f, "applied_date", applied);
			date_key(w->f, "state_date", end);
			fprintf(w->f, "    attendance: %d\n", y->attendance);
			if (done)
				date_key(w->f, "certificate_date", end);
			else
				fputs("    reason: attendance below 80%\n", w->f);
		}
		if (!done)
			continue;
		if (y->schol) {
			/* Applies on the day after the course, placed for three months from the next. */
			uint64_t s = w->n[K_SCHOLARSHIP]++;
			long apply = end + 4;
			int y0, m0, d0;
			gen_civil_from_days(apply, &y0, &m0, &d0);
			long pstart = m0 == 12 ? day(y0 + 1, 1, 1) : day(y0, m0 + 1, 1);
			long month_end[3];
			for (int p = 0; p < 3; p++) {
				int yy, mm, dd;
				gen_civil_from_days(pstart, &yy, &mm, &dd);
				mm += p + 1;
				yy += (mm - 1) / 12;
				mm = (mm - 1) % 12 + 1;
				month_end[p] = day(yy, mm, 1) - 1;
			}
			int pays = y->terminated ? 1 : 3;
			if (on(w, K_SCHOLARSHIP)) {
				begin(w->f, K_SCHOLARSHIP, s);
				ref(w->f, "person", K_PERSON, y->i);
				ref(w->f, "operator", K_OPERATOR, op(w, OP_PLACEMENT));
				fprintf(w->f, "    state: %s\n", y->terminated ? "terminated" : "completed");
				date_key(w->f, "applied_date", apply);
				date_key(w->f, "state_date", month_end[pays - 1]);
				ref(w->f, "employer", K_EMPLOYER, (uint64_t)(w->m * EMPLOYERS) + s % EMPLOYERS);
				fputs("    position: Auxiliar\n", w->f);
				date_key(w->f, "start_date", pstart);
				date_key(w->f, "end_date", month_end[2]);
				fputs("    hours_per_week: 40\n    monthly_stipend: \"150.00\"\n", w->f);
				if (y->terminated)
					fputs("    reason: left the placement for another job\n", w->f);
				fprintf(w->f, "    payments: \"%d\"\n", pays);
			}
			for (int p = 0; p < pays; p++) {
				uint64_t q = w->n[K_PAYMENT]++;
				if (!on(w, K_PAYMENT))
					continue;
				begin(w->f, K_PAYMENT, q);
				ref(w->f, "scholarship", K_SCHOLARSHIP, s);
				ref(w->f, "operator", K_OPERATOR, op(w, OP_PLACEMENT));
				fputs("    amount: \"150.00\"\n", w->f);
				date_key(w->f, "paid_date", month_end[p]);
				fprintf(w->f, "    method: transfer\n    reference: BEC-%02d-%" PRIu64 "-%d\n",
				        w->m + 1, s + 1, p + 1);
				if (y->terminated) {
					char dd[11];
					gen_fmt_date(dd, month_end[p]);
					fprintf(w->f, "    terminates_scholarship: \"%s\"\n"
					              "    termination_reason: left the placement for another job\n", dd);
				}
			}
		}
		if (y->follow) {
			static const int horizons[] = {3, 6, 12};
			for (int k2 = 0; k2 < 3; k2++) {
				uint64_t q = w->n[K_FOLLOWUP]++;
				if (!on(w, K_FOLLOWUP))
					continue;
				int yy, mm, dd;
				gen_civil_from_days(end, &yy, &mm, &dd);
				mm += horizons[k2];
				yy += (mm - 1) / 12;
				mm = (mm - 1) % 12 + 1;
				int status = (int)(roll(y->i, 20 + (uint64_t)k2) * 6);
				begin(w->f, K_FOLLOWUP, q);
				ref(w->f, "person", K_PERSON, y->i);
				ref(w->f, "operator", K_OPERATOR, op(w, OP_INTAKE + k2 % 2));
				date_key(w->f, "date", day(yy, mm, dd > 28 ? 28 : dd));
				fprintf(w->f, "    horizon_months: %d\n    status: %s\n", horizons[k2],
				        statuses[status]);
				if (status < 2)
					ref(w->f, "employer", K_EMPLOYER,
					    (uint64_t)(w->m * EMPLOYERS) + q % EMPLOYERS);
				fputs("    service: enrollment\n", w->f);
				ref(w->f, "service_uuid", K_ENROLLMENT, e);
			}
		}
	}
}

/* A plan of @person (individual) or @group, approved, funded and visited. */
static void plan(walk *w, int window, int64_t person, int64_t group, const char *title,
                 const char *sector, int requested, int approved, int operating, long drafted)
{
	uint64_t p = w->n[K_PLAN]++;
	long approved_d = day(2009, 10, 26), paid = day(2009, 11, 9), visit = day(2010, 2, 15);
	if (on(w, K_PLAN)) {
		begin(w->f, K_PLAN, p);
		fprintf(w->f, "    window: %s\n", window ? "female_window" : "youth_seed");
		if (person >= 0)
			ref(w->f, "person", K_PERSON, (uint64_t)person);
		else
			ref(w->f, "group", K_GROUP, (uint64_t)group);
		fprintf(w->f, "    title: %s\n    sector: %s\n"
		              "    description: Plan de negocio elaborado con acompañamiento de la bolsa "
		              "de empleo\n    requested: \"%d.00\"\n    approved: \"%d.00\"\n"
		              "    state: %s\n", title, sector, requested, approved,
		        operating ? "operating" : "funded");
		date_key(w->f, "drafted_date", drafted);
		date_key(w->f, "state_date", operating ? visit : paid);
		date_key(w->f, "approved_date", approved_d);
		ref(w->f, "operator", K_OPERATOR, op(w, OP_COORDINATOR));
	}
	uint64_t d = w->n[K_DISBURSEMENT]++;
	if (on(w, K_DISBURSEMENT)) {
		begin(w->f, K_DISBURSEMENT, d);
		ref(w->f, "plan", K_PLAN, p);
		fprintf(w->f, "    amount: \"%d.00\"\n", approved);
		date_key(w->f, "date", paid);
		fprintf(w->f, "    reference: CS-2009-%06" PRIu64 "\n", d + 1);
		ref(w->f, "operator", K_OPERATOR, op(w, OP_COORDINATOR));
		if (operating)
			fputs("    plan_state: operating\n    plan_state_date: \"2010-02-15\"\n", w->f);
	}
	uint64_t v = w->n[K_VISIT]++;
	if (on(w, K_VISIT)) {
		begin(w->f, K_VISIT, v);
		ref(w->f, "plan", K_PLAN, p);
		date_key(w->f, "date", visit);
		fprintf(w->f, "    operating: %s\n    jobs_created: %d\n    monthly_sales: \"%d.00\"\n",
		        operating ? "true" : "false", operating ? 1 + (int)(v % 3) : 0,
		        operating ? 200 + 25 * (int)(v % 13) : 0);
		ref(w->f, "operator", K_OPERATOR, op(w, OP_COORDINATOR));
	}
}

static void group(walk *w, youth *c, int n, int women)
{
	uint64_t g = w->n[K_GROUP]++;
	long formed = women ? day(2009, 8, 3) : day(2009, 9, 14);
	if (on(w, K_GROUP)) {
		begin(w->f, K_GROUP, g);
		if (women)
			fprintf(w->f, "    name: Mujer Emprende %s %" PRIu64 "\n    window: female_window\n"
			              "    women_only: true\n", munis[w->m].name, g + 1);
		else
			fprintf(w->f, "    name: Grupo juvenil emprendedor %" PRIu64 " de %s\n"
			              "    window: youth_seed\n    women_only: false\n", g + 1,
			        munis[w->m].name);
		ref(w->f, "operator", K_OPERATOR, op(w, OP_COORDINATOR));
		date_key(w->f, "formed_date", formed);
	}
	for (int j = 0; j < n; j++) {
		if (!row(w, K_MEMBER, "group", K_GROUP, g, c[j].i))
			continue;
		date_key(w->f, "joined_date", formed);
		ref(w->f, "operator", K_OPERATOR, op(w, OP_COORDINATOR));
	}
	static const char *const businesses[] = {"Comedor", "Tortillería",
	                                         "Venta de productos de limpieza", "Taller de costura",
	                                         "Elaboración de dulces típicos"};
	if (women)
		plan(w, 1, -1, (int64_t)g, businesses[g % 5], "food", 3000, 2800, c[0].operating,
		     day(2009, 9, 21));
	else
		plan(w, 0, -1, (int64_t)g, "Vivero y venta de plantas", "agriculture", 2500, 2400,
		     c[0].operating, day(2009, 9, 21));
	if (!women)
		return;
	static const char *const kinds[] = {"mentoring", "training", "market_access"};
	static const int md[3][2] = {{8, 17}, {9, 7}, {12, 5}};
	for (int k = 0; k < 3; k++) {
		uint64_t b = w->n[K_BUSINESS]++;
		if (!on(w, K_BUSINESS))
			continue;
		begin(w->f, K_BUSINESS, b);
		ref(w->f, "group", K_GROUP, g);
		fprintf(w->f, "    kind: %s\n", kinds[k]);
		date_key(w->f, "date", day(2009, md[k][0], md[k][1]));
		fprintf(w->f, "    hours: %d\n    provider: CONAMYPE, ventanilla de emprendimiento "
		              "femenino\n", 4 * (k + 1));
		ref(w->f, "operator", K_OPERATOR, op(w, OP_COORDINATOR));
	}
}

/* Gathers consecutive youths of one kind of service into groups of a drawn size. */
typedef struct chunk {
	youth c[30];
	int n, want, min, max;
	uint64_t salt;
} chunk;

static void chunk_size(chunk *ch, uint64_t k)
{
	ch->want = ch->min + (int)(hash3(ch->salt, k, 3) % (uint64_t)(ch->max - ch->min + 1));
}

static void services(FILE *f, int kind)
{
	static const struct {
		const char *title, *sector;
	} ideas[] = {{"Venta de pupusas", "food"}, {"Taller de bicicletas", "repairs"},
	             {"Sala de belleza", "services"}, {"Cíber y fotocopias", "services"},
	             {"Venta de ropa usada", "retail"}, {"Reparación de celulares", "repairs"}};
	walk w;
	memset(&w, 0, sizeof w);
	w.f = f;
	w.kind = kind;
	int counselling = kind == K_SESSION || kind == K_PARTICIPANT;
	int vocational = kind == K_COHORT || kind == K_ENROLLMENT || kind == K_SCHOLARSHIP ||
	                 kind == K_PAYMENT || kind == K_FOLLOWUP;
	int enterprise = !counselling && !vocational;
	for (w.m = 0; w.m < n_munis; w.m++) {
		chunk cs = {.min = 10, .max = 25, .salt = 100 + (uint64_t)w.m * 8};
		chunk co = {.min = 15, .max = 30, .salt = 101 + (uint64_t)w.m * 8};
		chunk sg = {.min = 5, .max = 5}, wg = {.min = 5, .max = 5};
		chunk_size(&cs, 0);
		chunk_size(&co, 0);
		sg.want = wg.want = 5;
		w.cohorts_here = w.sessions_here = 0;
		for (uint64_t i = munis[w.m].p0; i < munis[w.m].p1; i++) {
			youth y;
			draw(&y, i);
			if (counselling && y.counsel) {
				cs.c[cs.n++] = y;
				if (cs.n == cs.want) {
					session(&w, cs.c, cs.n);
					cs.n = 0;
					chunk_size(&cs, (uint64_t)w.sessions_here);
				}
			}
			if (vocational && y.voc) {
				co.c[co.n++] = y;
				if (co.n == co.want) {
					cohort(&w, co.c, co.n);
					co.n = 0;
					chunk_size(&co, (uint64_t)w.cohorts_here);
				}
			}
			if (enterprise && y.seed_ind) {
				int k = (int)(i % COUNT(ideas));
				plan(&w, 0, (int64_t)i, -1, ideas[k].title, ideas[k].sector, 600,
				     500 + 5 * (int)(i % 21), y.operating, day(2009, 9, 21));
			}
			if (enterprise && y.seed_grp) {
				sg.c[sg.n++] = y;
				if (sg.n == sg.want) {
					group(&w, sg.c, sg.n, 0);
					sg.n = 0;
				}
			}
			if (enterprise && y.women) {
				wg.c[wg.n++] = y;
				if (wg.n == wg.want) {
					group(&w, wg.c, wg.n, 1);
					wg.n = 0;
				}
			}
		}
		/* What is left at the end of the municipality: a smaller session (a group session
		 * needs 2), cohort or group. */
		if (cs.n >= 2)
			session(&w, cs.c, cs.n);
		if (co.n > 0)
			cohort(&w, co.c, co.n);
		if (sg.n > 0)
			group(&w, sg.c, sg.n, 0);
		if (wg.n > 0)
			group(&w, wg.c, wg.n, 1);
	}
}

int main(int argc, char **argv)
{
	gen_args a;
	gen_parse_args(&a, argc, argv,
	               "gen-national [-s SEED] [-u 7|4] [-x] -g GAZETTEER.yaml -o FILE N",
	               1);
	const char *gazetteer = a.gazetteer, *output = a.output;
	uint64_t n = a.n;
	seed = a.seed;
	uuid_version = a.uuid_version;
	scattered = a.scattered;

	FILE *f = gen_open_output(output);
	fprintf(f,
	        "# Invented national registry of %" PRIu64 " youths and the programme's services to "
	        "them, for the benchmarks\n# (bench/gen-national -s %" PRIu64 " -u %d%s).  Every name, "
	        "date, DUI and amount is made up.\nformat: libyouth/1\n",
	        n, seed, uuid_version, scattered ? " -x" : "");
	youth_registry *reg = NULL;
	if (youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE))
		return fail(":memory:");
	if (places(reg, gazetteer, f, n))
		return 1;
	youth_registry_close(reg);
	programmes(f);
	institutions(f);
	persons(f, n);
	courses(f);
	static const int order[] = {K_COHORT, K_ENROLLMENT, K_SESSION, K_PARTICIPANT, K_SCHOLARSHIP,
	                            K_PAYMENT, K_GROUP, K_MEMBER, K_PLAN, K_DISBURSEMENT, K_VISIT,
	                            K_BUSINESS, K_FOLLOWUP};
	for (size_t k = 0; k < COUNT(order); k++)
		services(f, order[k]);
	uint64_t total = 0;
	for (int k = 1; k < K_KINDS; k++) {
		total += written[k];
		fprintf(stderr, "%s=%" PRIu64 "\n", section_name[k], written[k]);
	}
	fprintf(stderr, "records=%" PRIu64 "\n", total);
	fprintf(f, "end:\n  records: %" PRIu64 "\n", total);
	if (fclose(f) != 0) {
		perror(output);
		return 1;
	}
	return 0;
}
