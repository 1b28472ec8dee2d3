/*
 * Shared by the benchmark generators bench/gen-census and bench/gen-national: a fast
 * deterministic random stream, proleptic Gregorian day numbers, and one invented census person
 * (names, dates, DUI, education, employment, address...) written as a `persons:` record.
 */
#ifndef YOUTH_BENCH_GEN_COMMON_H
#define YOUTH_BENCH_GEN_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/** State of the xorshift64* stream; set it (non-zero) to seed. */
extern uint64_t gen_rng_state;

/** Next 64 random bits of the stream. */
uint64_t gen_rnd(void);
/** A uniform integer in 0..n-1 (n > 0). */
unsigned gen_below(unsigned n);
/** A uniform double in [0, 1). */
double gen_unit(void);
/** An index of @p w (n weights) drawn by weight. */
int gen_weighted(const int *w, int n);

/** Days since 1970-01-01 of a civil date. */
long gen_days_from_civil(int y, int m, int d);
/** The civil date of a day number. */
void gen_civil_from_days(long z, int *y, int *m, int *d);
/** 1 for a leap year. */
int gen_leap(int y);
/** The same calendar day @p years earlier (28 February for a 29 February). */
long gen_years_before(long day, int years);
/** Writes @p day as YYYY-MM-DD. */
void gen_fmt_date(char out[11], long day);

/** What the services of a person depend on; the rest is drawn by gen_person_write(). */
typedef struct gen_person {
	int male;
	int age;                     /* whole years at the census date, 16-24 */
	long census, birth;          /* day numbers */
	const char *given, *other, *s1, *s2;
} gen_person;

/** Draws the first part of a person (sex, names, census date, age, birth date). */
void gen_person_core(gen_person *p);

/**
 * Draws the rest of the person whose core is @p p and writes the record to @p f: a place of
 * @p places, the DUI of @p index (unique for index < 10^7) for the 18+, consent.  @p uuid, when
 * not NULL, is written as the record's `uuid`.
 */
void gen_person_write(FILE *f, const gen_person *p, uint64_t index, char **places,
                      size_t n_places, const char *uuid);

/** The command line of a generator: [-s SEED] [-u 7|4] -g GAZETTEER -o FILE N. */
typedef struct gen_args {
	const char *gazetteer, *output;
	uint64_t seed, n;
	int uuid_version; /* -u: 7 (default) or 4; refused unless the generator takes it */
	int scattered;    /* -x: persons in a scattered order (with -u only, gen-national) */
} gen_args;

/**
 * Parses the command line into @p a (seed 2009, UUID v7 by default); prints @p usage and exits
 * with status 2 when it is wrong.  @p with_uuid: whether -u (and -x) are accepted.
 */
void gen_parse_args(gen_args *a, int argc, char **argv, const char *usage, int with_uuid);

/** Opens @p path for writing with a 1 MiB buffer; prints the error and exits on failure. */
FILE *gen_open_output(const char *path);

#endif
