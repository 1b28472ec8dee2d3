/*
 * Disclosure control of one table (libyouth/sdc.c, docs/disclosure.md): hand cases, refusals,
 * and a property test over random tables whose judge is this file's own exact solver.
 *
 * The judge does not share anything with the library: it writes the table's equations as they
 * are (margin minus the sum of its line, for every line of every dimension), moves the
 * published cells to the right-hand side, and runs fraction-free Gauss-Jordan elimination over
 * the integers on the whole system.  A suppressed cell is derivable exactly when its column
 * ends as a pivot whose row has no other unknown; the value then read from that row must be
 * the true count, which checks the judge itself.
 * White-box: linked with the bottom layer's objects, since youth__* are hidden from libyouth.so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "private.h"
#include "private_sdc.h"

/* ---- tables ------------------------------------------------------------------------------ */

typedef struct table {
	size_t D, size[YOUTH__SDC_MAXDIMS], m[YOUTH__SDC_MAXDIMS], stride[YOUTH__SDC_MAXDIMS], n;
	int64_t *count;
	unsigned char *flag;
} table;

static void table_shape(table *t, size_t D, const size_t *size)
{
	memset(t, 0, sizeof *t);
	t->D = D;
	t->n = 1;
	for (size_t d = D; d-- > 0;) {
		t->size[d] = size[d];
		t->m[d] = size[d] + 1;
		t->stride[d] = t->n;
		t->n *= t->m[d];
	}
	t->count = calloc(t->n, sizeof *t->count);
	t->flag = calloc(t->n, 1);
	assert_non_null(t->count);
	assert_non_null(t->flag);
}

static size_t coord(const table *t, size_t cell, size_t d)
{
	return cell / t->stride[d] % t->m[d];
}

static int is_interior(const table *t, size_t cell)
{
	for (size_t d = 0; d < t->D; d++)
		if (coord(t, cell, d) == t->size[d])
			return 0;
	return 1;
}

/* Fills every margin from the interior cells already in t->count. */
static void add_margins(table *t)
{
	for (size_t c = 0; c < t->n; c++)
		if (!is_interior(t, c))
			t->count[c] = 0;
	for (size_t c = 0; c < t->n; c++) {
		if (!is_interior(t, c))
			continue;
		/* the cell adds to every cell reached by replacing any subset of its indices by
		 * the margin */
		for (unsigned mask = 1; mask < (1u << t->D); mask++) {
			size_t to = c;
			for (size_t d = 0; d < t->D; d++)
				if (mask & (1u << d))
					to += (t->size[d] - coord(t, c, d)) * t->stride[d];
			t->count[to] += t->count[c];
		}
	}
}

/* A table of @D dimensions from its interior counts, row-major. */
static table make(size_t D, const size_t *size, const int64_t *interior)
{
	table t;
	table_shape(&t, D, size);
	size_t k = 0;
	for (size_t c = 0; c < t.n; c++)
		if (is_interior(&t, c))
			t.count[c] = interior[k++];
	add_margins(&t);
	return t;
}

static void table_free(table *t)
{
	free(t->count);
	free(t->flag);
}

static int suppress(table *t, int64_t k)
{
	youth__sdc_table s = {.ndims = t->D, .count = t->count, .flag = t->flag};
	memcpy(s.size, t->size, sizeof s.size);
	return youth__sdc_suppress(&s, k);
}

static size_t cell_at(const table *t, const size_t *idx)
{
	size_t c = 0;
	for (size_t d = 0; d < t->D; d++)
		c += idx[d] * t->stride[d];
	return c;
}

/* ---- the judge ----------------------------------------------------------------------------- */

static int64_t gcd64(int64_t a, int64_t b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b) {
		int64_t r = a % b;
		a = b;
		b = r;
	}
	return a;
}

/* Sets derivable[c] for every suppressed cell (flag != SHOWN) that the published cells
 * determine exactly; returns how many.  Fails the test on integer overflow (the judge must not
 * guess). */
static size_t judge(const table *t, const unsigned char *flag, unsigned char *derivable)
{
	size_t *col = malloc(t->n * sizeof *col), nu = 0;
	assert_non_null(col);
	for (size_t c = 0; c < t->n; c++)
		col[c] = flag[c] ? nu++ : SIZE_MAX;
	memset(derivable, 0, t->n);
	size_t width = nu + 1, rows = 0, cap = 0;
	int64_t *a = NULL;
	for (size_t d = 0; d < t->D; d++)
		for (size_t c = 0; c < t->n; c++) {
			if (coord(t, c, d) != 0)
				continue;
			if (rows == cap) {
				cap = cap ? 2 * cap : 64;
				a = realloc(a, cap * width * sizeof *a);
				assert_non_null(a);
			}
			int64_t *r = a + rows * width, rhs = 0;
			memset(r, 0, width * sizeof *r);
			int unknowns = 0;
			for (size_t j = 0; j < t->m[d]; j++) {
				size_t cell = c + j * t->stride[d];
				int64_t coef = j == t->size[d] ? -1 : 1;
				if (flag[cell]) {
					r[col[cell]] += coef;
					unknowns = 1;
				} else {
					rhs -= coef * t->count[cell];
				}
			}
			r[nu] = rhs;
			rows += unknowns;
		}
	size_t rank = 0, *pivot_row = malloc((nu + 1) * sizeof *pivot_row);
	assert_non_null(pivot_row);
	for (size_t j = 0; j < nu; j++) {
		pivot_row[j] = SIZE_MAX;
		size_t p = rank;
		while (p < rows && a[p * width + j] == 0)
			p++;
		if (p == rows)
			continue;
		if (p != rank)
			for (size_t x = 0; x < width; x++) {
				int64_t tmp = a[p * width + x];
				a[p * width + x] = a[rank * width + x];
				a[rank * width + x] = tmp;
			}
		int64_t *pr = a + rank * width;
		for (size_t i = 0; i < rows; i++) {
			int64_t *r = a + i * width, f = r[j];
			if (i == rank || f == 0)
				continue;
			int64_t g = 0;
			for (size_t x = 0; x < width; x++) {
				int64_t u, v;
				assert_false(__builtin_mul_overflow(r[x], pr[j], &u));
				assert_false(__builtin_mul_overflow(pr[x], f, &v));
				assert_false(__builtin_sub_overflow(u, v, &r[x]));
				g = gcd64(g, r[x]);
			}
			if (g > 1)
				for (size_t x = 0; x < width; x++)
					r[x] /= g;
		}
		pivot_row[j] = rank++;
	}
	size_t found = 0;
	for (size_t c = 0; c < t->n; c++) {
		if (!flag[c] || pivot_row[col[c]] == SIZE_MAX)
			continue;
		const int64_t *r = a + pivot_row[col[c]] * width;
		int alone = 1;
		for (size_t x = 0; x < nu && alone; x++)
			alone = x == col[c] || r[x] == 0;
		if (!alone)
			continue;
		/* The row reads pivot * x = rhs: the judge must recover the true count. */
		assert_int_equal(r[nu] % r[col[c]], 0);
		assert_int_equal(r[nu] / r[col[c]], t->count[c]);
		derivable[c] = 1;
		found++;
	}
	free(pivot_row);
	free(a);
	free(col);
	return found;
}

/* Every count 1..k-1 is primary, nothing else is, and no suppressed cell is derivable. */
static void assert_safe(const table *t, int64_t k)
{
	unsigned char *der = malloc(t->n);
	assert_non_null(der);
	for (size_t c = 0; c < t->n; c++) {
		int small = t->count[c] > 0 && t->count[c] < k;
		assert_int_equal(t->flag[c] == YOUTH__SDC_PRIMARY, small);
		assert_true(t->flag[c] <= YOUTH__SDC_COMPLEMENT);
	}
	size_t n = judge(t, t->flag, der);
	if (n) {
		for (size_t c = 0; c < t->n; c++)
			if (der[c])
				print_error("derivable: cell %zu (count %lld)\n", c, (long long)t->count[c]);
	}
	assert_int_equal(n, 0);
	free(der);
}

static size_t suppressed(const table *t)
{
	size_t n = 0;
	for (size_t c = 0; c < t->n; c++)
		n += t->flag[c] != YOUTH__SDC_SHOWN;
	return n;
}

/* ---- hand cases ---------------------------------------------------------------------------- */

static void test_one_dimension(void **state)
{
	(void)state;
	const size_t size[] = {3};
	table t = make(1, size, (const int64_t[]){2, 10, 7});
	assert_int_equal(suppress(&t, 5), YOUTH_OK);
	/* the small cell and the cheapest partner in the line: 7, not 10, not the total 19 */
	const unsigned char want[] = {YOUTH__SDC_PRIMARY, YOUTH__SDC_SHOWN, YOUTH__SDC_COMPLEMENT,
	                              YOUTH__SDC_SHOWN};
	assert_memory_equal(t.flag, want, sizeof want);
	assert_safe(&t, 5);
	table_free(&t);
}

static void test_two_dimensions(void **state)
{
	(void)state;
	const size_t size[] = {3, 3};
	table t = make(2, size, (const int64_t[]){2, 9, 6, 8, 20, 30, 7, 40, 50});
	assert_int_equal(suppress(&t, 5), YOUTH_OK);
	/* one complement in the row, one in the column and the fourth cell that closes them: the
	 * cheapest such rectangle (9 + 8 + 20), though the row's and the column's smallest cells
	 * (6 and 7) would need the 50 */
	assert_int_equal(t.flag[0], YOUTH__SDC_PRIMARY);
	assert_int_equal(t.flag[1], YOUTH__SDC_COMPLEMENT);
	assert_int_equal(t.flag[4], YOUTH__SDC_COMPLEMENT);
	assert_int_equal(t.flag[5], YOUTH__SDC_COMPLEMENT);
	assert_int_equal(suppressed(&t), 4);
	assert_safe(&t, 5);
	table_free(&t);
}

static void test_zero_complements_avoided(void **state)
{
	(void)state;
	const size_t size[] = {3, 3};
	table t = make(2, size, (const int64_t[]){2, 0, 9, 0, 0, 8, 6, 7, 30});
	assert_int_equal(suppress(&t, 5), YOUTH_OK);
	for (size_t c = 0; c < t.n; c++)
		if (t.count[c] == 0)
			assert_int_equal(t.flag[c], YOUTH__SDC_SHOWN);
	assert_int_equal(t.flag[2], YOUTH__SDC_COMPLEMENT);
	assert_int_equal(t.flag[8], YOUTH__SDC_COMPLEMENT);
	assert_int_equal(t.flag[10], YOUTH__SDC_COMPLEMENT);
	assert_int_equal(suppressed(&t), 4);
	assert_safe(&t, 5);
	table_free(&t);
	/* When only zeros can close the line, zeros it is: the small cell must not be left
	 * derivable. */
	const size_t size1[] = {2};
	t = make(1, size1, (const int64_t[]){3, 0});
	assert_int_equal(suppress(&t, 5), YOUTH_OK);
	assert_int_equal(suppressed(&t), 2);
	assert_safe(&t, 5);
	table_free(&t);
}

static void test_primary_margin(void **state)
{
	(void)state;
	const size_t size[] = {2, 3};
	table t = make(2, size, (const int64_t[]){1, 0, 2, 6, 7, 9});
	assert_int_equal(suppress(&t, 5), YOUTH_OK);
	assert_int_equal(t.flag[3], YOUTH__SDC_PRIMARY); /* row 0's total, 3 */
	assert_safe(&t, 5);
	table_free(&t);
}

static void test_nothing_to_hide(void **state)
{
	(void)state;
	const size_t size[] = {2, 2};
	for (int64_t k = -1; k <= 1; k++) {
		table t = make(2, size, (const int64_t[]){1, 2, 0, 1});
		memset(t.flag, 0xff, t.n);
		assert_int_equal(suppress(&t, k), YOUTH_OK);
		assert_int_equal(suppressed(&t), 0);
		table_free(&t);
	}
	table t = make(2, size, (const int64_t[]){0, 0, 0, 0});
	assert_int_equal(suppress(&t, 5), YOUTH_OK);
	assert_int_equal(suppressed(&t), 0);
	table_free(&t);
	/* a dimension without categories: every cell is an empty total */
	const size_t empty[] = {0, 3};
	t = make(2, empty, NULL);
	assert_int_equal(suppress(&t, 5), YOUTH_OK);
	assert_int_equal(suppressed(&t), 0);
	table_free(&t);
}

static void test_no_dimension(void **state)
{
	(void)state;
	table t = make(0, NULL, (const int64_t[]){3});
	assert_int_equal(t.n, 1);
	assert_int_equal(suppress(&t, 5), YOUTH_OK);
	assert_int_equal(t.flag[0], YOUTH__SDC_PRIMARY);
	t.count[0] = 5;
	assert_int_equal(suppress(&t, 5), YOUTH_OK);
	assert_int_equal(t.flag[0], YOUTH__SDC_SHOWN);
	table_free(&t);
}

/* Suppressed 2x2 squares in two separate corners of a table, joined by one cell: every row
 * and column holds 0 or at least 2 suppressed cells, yet the joining cell is the difference of
 * two sums of shown cells (a bridge between the two squares). */
static const int64_t dumbbell_counts[] = {
	1, 1, 1, 9, 8, /* */
	1, 1, 7, 6, 9, /* */
	9, 8, 1, 1, 7, /* */
	6, 9, 1, 1, 8, /* */
	8, 7, 9, 6, 9};

static void test_judge_bites(void **state)
{
	(void)state;
	const size_t size[] = {5, 5};
	table t = make(2, size, dumbbell_counts);
	unsigned char *der = malloc(t.n);
	assert_non_null(der);
	for (size_t r = 0; r < 5; r++)
		for (size_t c = 0; c < 5; c++)
			t.flag[r * 6 + c] = dumbbell_counts[r * 5 + c] == 1;
	/* the two squares are safe, the bridge (row 0, column 2) is not */
	assert_int_equal(judge(&t, t.flag, der), 1);
	assert_int_equal(der[2], 1);
	/* a lone suppressed cell with its row shown is the plainest case */
	memset(t.flag, 0, t.n);
	t.flag[7] = 1;
	assert_int_equal(judge(&t, t.flag, der), 1);
	assert_int_equal(der[7], 1);
	/* the library protects the bridge */
	assert_int_equal(suppress(&t, 2), YOUTH_OK);
	assert_safe(&t, 2);
	free(der);
	table_free(&t);
}

/* Sixteen cells of a 3x3x3 table in which every line holds none or two of them: the rule "at
 * least two suppressed cells per line" is met, yet every one of the sixteen is derivable. */
static const size_t latin[16][3] = {
	{0, 0, 0}, {0, 0, 2}, {0, 1, 0}, {0, 1, 2}, {1, 0, 1}, {1, 0, 2}, {1, 1, 0}, {1, 1, 1},
	{1, 2, 0}, {1, 2, 2}, {2, 0, 0}, {2, 0, 1}, {2, 1, 1}, {2, 1, 2}, {2, 2, 0}, {2, 2, 2}};

static void test_three_dimensions(void **state)
{
	(void)state;
	const size_t size[] = {3, 3, 3};
	table t;
	table_shape(&t, 3, size);
	for (size_t c = 0; c < t.n; c++)
		t.count[c] = is_interior(&t, c) ? 7 + (int64_t)(c % 5) : 0;
	for (size_t i = 0; i < 16; i++) {
		size_t c = cell_at(&t, latin[i]);
		t.count[c] = 1;
		t.flag[c] = 1;
	}
	add_margins(&t);
	/* every line holds 0 or 2 flagged cells */
	for (size_t d = 0; d < 3; d++)
		for (size_t c = 0; c < t.n; c++) {
			if (coord(&t, c, d) != 0)
				continue;
			size_t in = 0;
			for (size_t j = 0; j < t.m[d]; j++)
				in += t.flag[c + j * t.stride[d]];
			assert_true(in == 0 || in == 2);
		}
	unsigned char *der = malloc(t.n);
	assert_non_null(der);
	assert_int_equal(judge(&t, t.flag, der), 16);
	free(der);
	/* the library does not stop at the per-line rule */
	assert_int_equal(suppress(&t, 2), YOUTH_OK);
	assert_safe(&t, 2);
	assert_true(suppressed(&t) > 16);
	table_free(&t);
}

static void test_refusals(void **state)
{
	(void)state;
	assert_int_equal(youth__sdc_suppress(NULL, 5), YOUTH_EINVAL);
	assert_non_null(strstr(youth_error_last()->message, "NULL"));

	const size_t size[] = {2, 2};
	table t = make(2, size, (const int64_t[]){3, 4, 5, 6});
	t.count[4] = -1; /* row 1, column 1 */
	assert_int_equal(suppress(&t, 5), YOUTH_EINVAL);
	assert_non_null(strstr(youth_error_last()->message, "[1, 1]"));
	assert_non_null(strstr(youth_error_last()->message, "negative"));
	table_free(&t);

	t = make(2, size, (const int64_t[]){3, 4, 5, 6});
	t.count[2 * 3 + 1] += 1; /* column 1's total */
	assert_int_equal(suppress(&t, 5), YOUTH_EINVAL);
	assert_non_null(strstr(youth_error_last()->message, "[total, 1]"));
	assert_non_null(strstr(youth_error_last()->message, "not additive"));
	table_free(&t);

	youth__sdc_table s = {.ndims = 2, .size = {2, 2}, .count = NULL, .flag = NULL};
	assert_int_equal(youth__sdc_suppress(&s, 5), YOUTH_EINVAL);
	s.ndims = YOUTH__SDC_MAXDIMS + 1;
	assert_int_equal(youth__sdc_suppress(&s, 5), YOUTH_EINVAL);
	s.ndims = 2;
	s.size[0] = s.size[1] = SIZE_MAX / 4;
	assert_int_equal(youth__sdc_suppress(&s, 5), YOUTH_EINVAL);
	assert_non_null(strstr(youth_error_last()->message, "overflow"));
}

/* ---- random tables ------------------------------------------------------------------------- */

static uint64_t rng_state;

static uint32_t rng(void)
{
	/* xorshift64*: a fixed sequence, so a failure is reproduced by the case number */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static table random_table(unsigned seed)
{
	rng_state = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)seed * 0xD1B54A32D192ED03ULL);
	size_t D = 1 + rng() % 4, size[4], cells = 1;
	for (size_t d = 0; d < D; d++) {
		size[d] = 1 + rng() % 6;
		cells *= size[d] + 1;
	}
	/* keep the judge's dense system small enough for make check */
	while (cells > 900) {
		size_t d = rng() % D;
		size[d] = size[d] > 1 ? size[d] - 1 : 1;
		cells = 1;
		for (size_t e = 0; e < D; e++)
			cells *= size[e] + 1;
	}
	table t;
	table_shape(&t, D, size);
	unsigned zeros = rng() % 4, big = rng() % 4;
	for (size_t c = 0; c < t.n; c++) {
		if (!is_interior(&t, c))
			continue;
		uint32_t r = rng() % 8;
		t.count[c] = r < zeros ? 0 : r < 6 ? 1 + rng() % 6 : (int64_t)(rng() % (10u << big));
	}
	add_margins(&t);
	return t;
}

static void test_random_tables(void **state)
{
	(void)state;
	const int64_t ks[] = {2, 3, 5, 5, 10};
	size_t total = 0, hidden = 0;
	for (unsigned seed = 0; seed < 400; seed++) {
		table t = random_table(seed);
		int64_t k = ks[seed % 5];
		assert_int_equal(suppress(&t, k), YOUTH_OK);
		assert_safe(&t, k);
		/* same input, same output */
		unsigned char *again = malloc(t.n);
		assert_non_null(again);
		memcpy(again, t.flag, t.n);
		memset(t.flag, 0xee, t.n);
		assert_int_equal(suppress(&t, k), YOUTH_OK);
		assert_memory_equal(again, t.flag, t.n);
		free(again);
		total += t.n;
		hidden += suppressed(&t);
		table_free(&t);
	}
	print_message("# 400 random tables, %zu cells, %zu suppressed\n", total, hidden);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_dimension),
		cmocka_unit_test(test_two_dimensions),
		cmocka_unit_test(test_zero_complements_avoided),
		cmocka_unit_test(test_primary_margin),
		cmocka_unit_test(test_nothing_to_hide),
		cmocka_unit_test(test_no_dimension),
		cmocka_unit_test(test_judge_bites),
		cmocka_unit_test(test_three_dimensions),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_random_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
