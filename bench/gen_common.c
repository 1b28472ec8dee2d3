/*
 * The invented census records shared by the benchmark generators (gen-census, gen-national):
 * Spanish name lists, the age, education and employment mix of examples/data/make_census.py,
 * dates, and one person record written as YAML.  See gen_common.h.
 */
#define _POSIX_C_SOURCE 200809L

#include "gen_common.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers (xorshift64*: fast and deterministic) ------------------------------ */

uint64_t gen_rng_state = 2009;

uint64_t gen_rnd(void)
{
	gen_rng_state ^= gen_rng_state >> 12;
	gen_rng_state ^= gen_rng_state << 25;
	gen_rng_state ^= gen_rng_state >> 27;
	return gen_rng_state * UINT64_C(2685821657736338717);
}

unsigned gen_below(unsigned n) { return (unsigned)((gen_rnd() >> 11) % n); }
double gen_unit(void) { return (double)(gen_rnd() >> 11) / 9007199254740992.0; }

/* Picks an index of @w by weight. */
int gen_weighted(const int *w, int n)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += w[i];
	int x = (int)gen_below((unsigned)total);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const male_first[] = {
	"José", "Juan", "Carlos", "Luis", "Jorge", "Mario", "Miguel", "Francisco", "Óscar",
	"Julio", "Wilfredo", "Edwin", "Kevin", "Brayan", "Jonathan", "Nelson", "René", "Marvin",
	"Douglas", "Alexander", "Cristian", "Josué", "Elías", "Ángel", "Rafael", "Manuel", "Rubén",
	"Héctor", "Mauricio", "Roberto", "Ricardo", "Fernando", "Erick", "Walter", "Víctor",
	"Jaime", "Edgar", "Samuel", "Daniel", "David", "Efraín", "Germán", "Noé", "Wílber"};
static const char *const male_second[] = {
	"Antonio", "Alberto", "Ernesto", "Alfredo", "Armando", "Enrique", "Eduardo", "Alexander",
	"Mauricio", "Adonay", "Isaías", "Vladimir", "Stanley", "Rolando", "Arturo", "Andrés",
	"Benjamín", "Ismael", "Iván", "Orlando", "Salvador", "Tomás", "Geovanny", "Osmín"};
static const char *const female_first[] = {
	"María", "Ana", "Rosa", "Karla", "Claudia", "Sandra", "Jessica", "Wendy", "Yesenia",
	"Marisol", "Lorena", "Patricia", "Gabriela", "Daniela", "Fátima", "Beatriz", "Sofía",
	"Andrea", "Evelyn", "Kenia", "Roxana", "Xiomara", "Silvia", "Reina", "Flor", "Blanca",
	"Katherine", "Iris", "Zulma", "Marta", "Verónica", "Glenda", "Lucía", "Noemí", "Raquel",
	"Dinora", "Érika", "Jacqueline", "Yanira", "Carmen"};
static const char *const female_second[] = {
	"José", "Elena", "Isabel", "Guadalupe", "Margarita", "Alejandra", "Beatriz", "Carolina",
	"Esmeralda", "Lissette", "Maricela", "Noemí", "Abigail", "Yamileth", "Elizabeth",
	"Azucena", "Concepción", "de los Ángeles", "del Carmen", "Estefany", "Jazmín", "Arely"};
static const char *const surnames[] = {
	"Hernández", "Martínez", "López", "García", "Rodríguez", "Pérez", "Ramírez", "Flores",
	"Cruz", "Rivera", "Mejía", "Aguilar", "Castillo", "Guevara", "Romero", "Vásquez",
	"Menjívar", "Portillo", "Alvarado", "Escobar", "Orellana", "Ayala", "Sánchez", "Cortez",
	"Chávez", "Argueta", "Pineda", "Henríquez", "Molina", "Ramos", "Quintanilla",
	"Landaverde", "Zelaya", "Gómez", "González", "Díaz", "Morales", "Reyes", "Jiménez",
	"Navarrete", "Pacas", "Tepas", "Shul", "Ábrego", "Alfaro", "Mendoza", "Linares", "Bonilla",
	"Carranza", "Canizález", "Durán", "Marroquín", "Sorto", "Valle", "Del Cid", "De León"};
/* Streets: the name, then 'd' for a number after it, 'c' for a block letter, 0 for nothing. */
static const struct {
	const char *name;
	char suffix;
} streets[] = {
	{"Pasaje", 'd'}, {"Calle principal", 0}, {"Avenida Morazán", 0}, {"Calle al cementerio", 0},
	{"Pasaje Los Pinos", 0}, {"Calle El Progreso", 0}, {"Senda", 'd'}, {"Block", 'c'},
	{"Polígono", 'c'}, {"Calle a Sonzacate", 0}, {"Final avenida Las Palmeras", 0},
	{"Calle al puerto", 0}, {"Pasaje El Mango", 0}, {"Calle La Ceiba", 0}};
static const char *const job_tags[] = {
	"cook", "baker", "mechanic", "motorcycle repair", "call centre", "seamstress", "tailor",
	"hairdresser", "cosmetologist", "electrician", "plumber", "welder", "carpenter",
	"bricklayer", "computer repair", "office assistant", "cashier", "sales", "waiter",
	"bartender", "fisherman", "port worker", "warehouse", "driver", "security guard",
	"agriculture", "sugar cane harvest", "childcare", "screen printing", "shoe repair",
	"refrigeration technician", "English tutor", "graphic design", "barber", "pupusa stand"};

/* ---- dates (days since 1970-01-01, proleptic Gregorian) ------------------------------- */

long gen_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void gen_civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int gen_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* The same calendar day @years earlier (28 February for a 29 February). */
long gen_years_before(long day, int years)
{
	int y, m, d;
	gen_civil_from_days(day, &y, &m, &d);
	y -= years;
	if (m == 2 && d == 29 && !gen_leap(y))
		d = 28;
	return gen_days_from_civil(y, m, d);
}

void gen_fmt_date(char out[11], long day)
{
	int y, m, d;
	gen_civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* ---- one record ------------------------------------------------------------------------ */

void gen_person_core(gen_person *p)
{
	static const long census_start = 14277; /* 2009-02-02 */
	static const long census_days = 88;     /* to 2009-04-30 */
	int male = p->male = gen_unit() < 0.52;
	const char *const *first = male ? male_first : female_first;
	const char *const *second = male ? male_second : female_second;
	size_t n_first = male ? COUNT(male_first) : COUNT(female_first);
	size_t n_second = male ? COUNT(male_second) : COUNT(female_second);

	const char *given = first[gen_below((unsigned)n_first)];
	const char *other = NULL;
	if (gen_unit() < 0.8) {
		other = second[gen_below((unsigned)n_second)];
		if (strcmp(other, given) == 0)
			other = NULL;
	}
	const char *s1 = surnames[gen_below(COUNT(surnames))];
	const char *s2 = gen_unit() < 0.95 ? surnames[gen_below(COUNT(surnames))] : NULL;

	long census = census_start + (long)gen_below((unsigned)census_days + 1);
	static const int age_w[] = {11, 12, 13, 12, 11, 11, 10, 10, 10};
	int age = 16 + gen_weighted(age_w, 9);
	long latest = gen_years_before(census, age);
	long earliest = gen_years_before(census, age + 1) + 1;
	long birth = earliest + (long)gen_below((unsigned)(latest - earliest + 1));
	p->given = given;
	p->other = other;
	p->s1 = s1;
	p->s2 = s2;
	p->census = census;
	p->age = age;
	p->birth = birth;
}

void gen_person_write(FILE *f, const gen_person *p, uint64_t index, char **places,
                      size_t n_places, const char *uuid)
{
	int male = p->male, age = p->age;
	const char *given = p->given, *other = p->other, *s1 = p->s1, *s2 = p->s2;
	long census = p->census, birth = p->birth;

	static const char *const edu_young[] = {"none", "primary", "lower_secondary",
	                                        "upper_secondary"};
	static const int edu_young_w[] = {2, 30, 48, 20};
	static const char *const edu_adult[] = {"none", "primary", "lower_secondary",
	                                        "upper_secondary", "technical", "university"};
	static const int edu_adult_w[] = {4, 24, 32, 28, 7, 5};
	const char *education;
	int studying;
	if (age < 18) {
		education = edu_young[gen_weighted(edu_young_w, 4)];
		studying = gen_unit() < 0.55;
	} else {
		int e = gen_weighted(edu_adult_w, 6);
		education = edu_adult[e];
		studying = gen_unit() < (e >= 4 ? 0.35 : 0.12);
	}
	const char *employment;
	if (studying && age < 18) {
		static const char *const v[] = {"inactive", "unemployed", "employed_informal",
		                                "self_employed"};
		static const int w[] = {60, 20, 15, 5};
		employment = v[gen_weighted(w, 4)];
	} else {
		static const char *const v[] = {"unemployed", "employed_informal", "inactive",
		                                "self_employed", "employed_formal"};
		int w[] = {40, 24, 14, 10, age >= 18 ? 7 : 1};
		employment = v[gen_weighted(w, 5)];
	}

	char street[64];
	unsigned si = gen_below(COUNT(streets));
	if (streets[si].suffix == 'd')
		snprintf(street, sizeof street, "%s %d", streets[si].name, 1 + (int)gen_below(29));
	else if (streets[si].suffix == 'c')
		snprintf(street, sizeof street, "%s %c", streets[si].name, "ABCDEFGHJK"[gen_below(10)]);
	else
		snprintf(street, sizeof street, "%s", streets[si].name);

	char bdate[11], cdate[11];
	gen_fmt_date(bdate, birth);
	gen_fmt_date(cdate, census);

	if (uuid)
		fprintf(f, "  - uuid: %s\n   ", uuid);
	else
		fputs("  -", f);
	fprintf(f, " given_names: %s%s%s\n    first_surname: %s\n", given, other ? " " : "",
	        other ? other : "", s1);
	if (s2)
		fprintf(f, "    second_surname: %s\n", s2);
	fprintf(f,
	        "    birth_date: %s\n    sex: %s\n    place: %s\n    address: %s, casa %d\n",
	        bdate, male ? "male" : "female", places[gen_below((unsigned)n_places)], street,
	        1 + (int)gen_below(119));
	if (gen_unit() < 0.6)
		fprintf(f, "    phone: 7%03u-%04u\n", gen_below(1000), gen_below(10000));
	if (age >= 18) {
		/* Unique: 1234567 is odd and not a multiple of 5, so i -> i * 1234567 mod 10^7 is a
		 * permutation of 0..10^7-1.  The leading digit is 0 as on real DUIs of this age. */
		uint64_t body = (index * UINT64_C(1234567) + UINT64_C(4242)) % UINT64_C(10000000);
		char digits[9];
		snprintf(digits, sizeof digits, "%08" PRIu64, body);
		int sum = 0;
		for (int i = 0; i < 8; i++)
			sum += (digits[i] - '0') * (9 - i);
		fprintf(f, "    national_id: %s-%d\n", digits, (10 - sum % 10) % 10);
	}
	static const int hh_w[] = {5, 12, 18, 20, 17, 12, 9, 7};
	fprintf(f,
	        "    education: %s\n    studying: %s\n    employment: %s\n    household_size: %d\n"
	        "    disability: %s\n    census_date: %s\n    census_round: census-2009\n",
	        education, studying ? "true" : "false", employment, 2 + gen_weighted(hh_w, 8),
	        gen_unit() < 0.03 ? "true" : "false", cdate);
	static const int ntags_w[] = {5, 4, 1};
	int ntags = 1 + gen_weighted(ntags_w, 3);
	unsigned picked[3];
	fputs("    job_profiles: ", f);
	for (int i = 0; i < ntags; i++) {
		unsigned t;
		int dup;
		do {
			t = gen_below(COUNT(job_tags));
			dup = 0;
			for (int j = 0; j < i; j++)
				dup |= picked[j] == t;
		} while (dup);
		picked[i] = t;
		fprintf(f, "%s%s", i ? ", " : "", job_tags[t]);
	}
	fprintf(f, "\n    consent: true\n    consent_date: %s\n", cdate);
}


void gen_parse_args(gen_args *a, int argc, char **argv, const char *usage, int with_uuid)
{
	int have_n = 0, ok = 1;
	memset(a, 0, sizeof *a);
	a->seed = 2009;
	a->uuid_version = 7;
	for (int i = 1; ok && i < argc; i++) {
		if (!strcmp(argv[i], "-g") && i + 1 < argc)
			a->gazetteer = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			a->output = argv[++i];
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			a->seed = strtoull(argv[++i], NULL, 10);
		else if (with_uuid && !strcmp(argv[i], "-u") && i + 1 < argc) {
			a->uuid_version = atoi(argv[++i]);
			ok = a->uuid_version == 4 || a->uuid_version == 7;
		} else if (with_uuid && !strcmp(argv[i], "-x")) {
			a->scattered = 1;
		} else if (argv[i][0] != '-' && !have_n) {
			char *end;
			errno = 0;
			a->n = strtoull(argv[i], &end, 10);
			ok = !errno && !*end && a->n <= 10000000; /* the DUI permutation covers 10^7 */
			have_n = 1;
		} else
			ok = 0;
	}
	if (!ok || !a->gazetteer || !a->output || !have_n) {
		fprintf(stderr, "usage: %s\n", usage);
		exit(2);
	}
}

FILE *gen_open_output(const char *path)
{
	static char buf[1 << 20];
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	setvbuf(f, buf, _IOFBF, sizeof buf);
	return f;
}
