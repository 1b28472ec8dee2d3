/*
 * gen-census: writes a census batch (`format: libyouth/1`, persons only) of N realistic, valid
 * invented records for the import benchmark.
 *
 *     bench/gen-census [-s SEED] -g GAZETTEER.yaml -o FILE N
 *
 * The records follow examples/data/make_census.py (same name lists, age mix, education and
 * employment shares) but are written by C so that a million of them take about a second.  The
 * community paths are read from the gazetteer through libyouth (every level-4 place), so every
 * record resolves.  National IDs (for the 18+) are unique by construction (an affine
 * permutation of 0..10^7-1) and carry a valid check digit; ages are 16-24 at the census date;
 * every record has consent and consent_date.  Deterministic for a given seed and N.
 *
 * The file ends with the interchange trailer `end:\n  records: N\n`, the truncation guard of
 * youth_import_file().
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <youth.h>

/* ---- random numbers (xorshift64*: fast and deterministic) ------------------------------ */

static uint64_t rng_state = 2009;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static unsigned below(unsigned n) { return (unsigned)((rnd() >> 11) % n); }
static double unit(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }

/* Picks an index of @w by weight. */
static int weighted(const int *w, int n)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += w[i];
	int x = (int)below((unsigned)total);
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

static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
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

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* The same calendar day @years earlier (28 February for a 29 February). */
static long years_before(long day, int years)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	y -= years;
	if (m == 2 && d == 29 && !leap(y))
		d = 28;
	return days_from_civil(y, m, d);
}

static void fmt_date(char out[11], long day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* ---- one record ------------------------------------------------------------------------ */

static void person(FILE *f, uint64_t index, char **places, size_t n_places)
{
	static const long census_start = 14277; /* 2009-02-02 */
	static const long census_days = 88;     /* to 2009-04-30 */
	int male = unit() < 0.52;
	const char *const *first = male ? male_first : female_first;
	const char *const *second = male ? male_second : female_second;
	size_t n_first = male ? COUNT(male_first) : COUNT(female_first);
	size_t n_second = male ? COUNT(male_second) : COUNT(female_second);

	const char *given = first[below((unsigned)n_first)];
	const char *other = NULL;
	if (unit() < 0.8) {
		other = second[below((unsigned)n_second)];
		if (strcmp(other, given) == 0)
			other = NULL;
	}
	const char *s1 = surnames[below(COUNT(surnames))];
	const char *s2 = unit() < 0.95 ? surnames[below(COUNT(surnames))] : NULL;

	long census = census_start + (long)below((unsigned)census_days + 1);
	static const int age_w[] = {11, 12, 13, 12, 11, 11, 10, 10, 10};
	int age = 16 + weighted(age_w, 9);
	long latest = years_before(census, age);
	long earliest = years_before(census, age + 1) + 1;
	long birth = earliest + (long)below((unsigned)(latest - earliest + 1));

	static const char *const edu_young[] = {"none", "primary", "lower_secondary",
	                                        "upper_secondary"};
	static const int edu_young_w[] = {2, 30, 48, 20};
	static const char *const edu_adult[] = {"none", "primary", "lower_secondary",
	                                        "upper_secondary", "technical", "university"};
	static const int edu_adult_w[] = {4, 24, 32, 28, 7, 5};
	const char *education;
	int studying;
	if (age < 18) {
		education = edu_young[weighted(edu_young_w, 4)];
		studying = unit() < 0.55;
	} else {
		int e = weighted(edu_adult_w, 6);
		education = edu_adult[e];
		studying = unit() < (e >= 4 ? 0.35 : 0.12);
	}
	const char *employment;
	if (studying && age < 18) {
		static const char *const v[] = {"inactive", "unemployed", "employed_informal",
		                                "self_employed"};
		static const int w[] = {60, 20, 15, 5};
		employment = v[weighted(w, 4)];
	} else {
		static const char *const v[] = {"unemployed", "employed_informal", "inactive",
		                                "self_employed", "employed_formal"};
		int w[] = {40, 24, 14, 10, age >= 18 ? 7 : 1};
		employment = v[weighted(w, 5)];
	}

	char street[64];
	unsigned si = below(COUNT(streets));
	if (streets[si].suffix == 'd')
		snprintf(street, sizeof street, "%s %d", streets[si].name, 1 + (int)below(29));
	else if (streets[si].suffix == 'c')
		snprintf(street, sizeof street, "%s %c", streets[si].name, "ABCDEFGHJK"[below(10)]);
	else
		snprintf(street, sizeof street, "%s", streets[si].name);

	char bdate[11], cdate[11];
	fmt_date(bdate, birth);
	fmt_date(cdate, census);

	fprintf(f, "  - given_names: %s%s%s\n    first_surname: %s\n", given, other ? " " : "",
	        other ? other : "", s1);
	if (s2)
		fprintf(f, "    second_surname: %s\n", s2);
	fprintf(f,
	        "    birth_date: %s\n    sex: %s\n    place: %s\n    address: %s, casa %d\n",
	        bdate, male ? "male" : "female", places[below((unsigned)n_places)], street,
	        1 + (int)below(119));
	if (unit() < 0.6)
		fprintf(f, "    phone: 7%03u-%04u\n", below(1000), below(10000));
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
	        education, studying ? "true" : "false", employment, 2 + weighted(hh_w, 8),
	        unit() < 0.03 ? "true" : "false", cdate);
	static const int ntags_w[] = {5, 4, 1};
	int ntags = 1 + weighted(ntags_w, 3);
	unsigned picked[3];
	fputs("    job_profiles: ", f);
	for (int i = 0; i < ntags; i++) {
		unsigned t;
		int dup;
		do {
			t = below(COUNT(job_tags));
			dup = 0;
			for (int j = 0; j < i; j++)
				dup |= picked[j] == t;
		} while (dup);
		picked[i] = t;
		fprintf(f, "%s%s", i ? ", " : "", job_tags[t]);
	}
	fprintf(f, "\n    consent: true\n    consent_date: %s\n", cdate);
}

/* ---- places from the gazetteer ---------------------------------------------------------- */

static int load_places(const char *gazetteer, char ***out, size_t *n)
{
	youth_registry *reg = NULL;
	youth_place_iter *it = NULL;
	int rc = youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE);
	if (rc == YOUTH_OK)
		rc = youth_gazetteer_load(NULL, reg, gazetteer);
	if (rc == YOUTH_OK)
		rc = youth_place_iter_new(&it, reg, NULL, YOUTH_PLACE_COMMUNITY);
	const youth_place *pl;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	while (rc == YOUTH_OK && (rc = youth_place_next(&pl, it)) == YOUTH_OK) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			*out = realloc(*out, cap * sizeof **out);
			if (!*out) {
				perror("gen-census");
				exit(1);
			}
		}
		(*out)[(*n)++] = strdup(pl->path);
	}
	if (rc == YOUTH_ITEROVER)
		rc = YOUTH_OK;
	if (rc)
		fprintf(stderr, "gen-census: %s: %s\n", gazetteer, youth_error_last()->message);
	else if (*n == 0) {
		fprintf(stderr, "gen-census: %s: no community (level 4) places\n", gazetteer);
		rc = YOUTH_ENOTFOUND;
	}
	youth_place_iter_free(it);
	youth_registry_close(reg);
	return rc;
}

static void usage(void)
{
	fputs("usage: gen-census [-s SEED] -g GAZETTEER.yaml -o FILE N\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *gazetteer = NULL, *output = NULL;
	uint64_t seed = 2009, n = 0;
	int have_n = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-g") && i + 1 < argc)
			gazetteer = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			output = argv[++i];
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (argv[i][0] != '-' && !have_n) {
			char *end;
			errno = 0;
			n = strtoull(argv[i], &end, 10);
			if (errno || *end || n > 10000000)
				usage(); /* the DUI permutation covers 10^7 */
			have_n = 1;
		} else
			usage();
	}
	if (!gazetteer || !output || !have_n)
		usage();
	rng_state = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;

	char **places;
	size_t n_places;
	if (load_places(gazetteer, &places, &n_places))
		return 1;
	FILE *f = fopen(output, "w");
	if (!f) {
		perror(output);
		return 1;
	}
	static char buf[1 << 20];
	setvbuf(f, buf, _IOFBF, sizeof buf);
	fprintf(f,
	        "# Invented census of %" PRIu64 " youths aged 16-24 for the import benchmark "
	        "(bench/gen-census -s %" PRIu64 ").\n"
	        "# Every name, date, DUI and phone number is made up.\n"
	        "format: libyouth/1\npersons:\n",
	        n, seed);
	for (uint64_t i = 0; i < n; i++)
		person(f, i, places, n_places);
	fprintf(f, "end:\n  records: %" PRIu64 "\n", n);
	if (fclose(f) != 0) {
		perror(output);
		return 1;
	}
	for (size_t i = 0; i < n_places; i++)
		free(places[i]);
	free(places);
	return 0;
}
