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

int main(int argc, char **argv)
{
	gen_args a;
	gen_parse_args(&a, argc, argv, "gen-census [-s SEED] -g GAZETTEER.yaml -o FILE N", 0);
	const char *gazetteer = a.gazetteer, *output = a.output;
	uint64_t seed = a.seed, n = a.n;
	gen_rng_state = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;

	char **places;
	size_t n_places;
	if (load_places(gazetteer, &places, &n_places))
		return 1;
	FILE *f = gen_open_output(output);
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
