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

#include "gen_common.h"

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
	gen_rng_state = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;

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
	for (uint64_t i = 0; i < n; i++) {
		gen_person p;
		gen_person_core(&p);
		gen_person_write(f, &p, i, places, n_places, NULL);
	}
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
