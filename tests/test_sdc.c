/*
 * Disclosure control of one table (libyouth/sdc.c, docs/disclosure.md): hand cases, refusals,
 * and a property test over random tables whose judge is this file's own exact solver.
 *
 * The judge does not share anything with the library: it writes the table's equations as they
 * are (margin minus the sum of its line, for every line of every dimension; along a hierarchy,
 * every group minus the sum of its children, in every combination of the other indices), moves the
 * published cells to the right-hand side, and runs fraction-free Gauss-Jordan elimination over
 * the integers on the whole system.  A suppressed cell is derivable exactly when its column
 * ends as a pivot whose row has no other unknown; the value then read from that row must be
 * the true count, which checks the judge itself.
 * White-box: linked with the bottom layer's objects, since youth__* are hidden from libyouth.so.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "private.h"
#include "private_sdc.h"

/* ---- tables ------------------------------------------------------------------------------ */

typedef struct table {
	size_t D, size[YOUTH__SDC_MAXDIMS], m[YOUTH__SDC_MAXDIMS], stride[YOUTH__SDC_MAXDIMS], n;
	int64_t *count;
	unsigned char *flag;
	const size_t *parent[YOUTH__SDC_MAXDIMS]; /* hierarchies, as in youth__sdc_table */
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
	memcpy(s.parent, t->parent, sizeof s.parent);
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

/* Along a hierarchy, the equation of @cell when its index on @d is a group: the group minus
 * the sum of its children, unknowns on the left.  Appended to *@a (*@rows of @width, room
 * for *@cap) when it has an unknown; returns whether it was a group. */
static int group_equation(const table *t, const unsigned char *flag, const size_t *col,
                          size_t d, size_t cell, size_t width, int64_t **a, size_t *rows,
                          size_t *cap)
{
	size_t g = coord(t, cell, d);
	int group = 0;
	for (size_t i = 0; i < t->size[d] && !group; i++)
		group = t->parent[d][i] == g;
	if (!group)
		return 0;
	if (*rows == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*a = realloc(*a, *cap * width * sizeof **a);
		assert_non_null(*a);
	}
	int64_t *r = *a + *rows * width, rhs = 0;
	memset(r, 0, width * sizeof *r);
	int unknowns = 0;
	for (size_t i = 0; i <= t->size[d]; i++) {
		int64_t coef = i == g ? -1 : i < t->size[d] && t->parent[d][i] == g ? 1 : 0;
		size_t o = cell - g * t->stride[d] + i * t->stride[d];
		if (coef == 0)
			continue;
		if (flag[o]) {
			r[col[o]] += coef;
			unknowns = 1;
		} else {
			rhs -= coef * t->count[o];
		}
	}
	r[width - 1] = rhs;
	*rows += unknowns;
	return 1;
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
			if (t->parent[d]) {
				group_equation(t, flag, col, d, c, width, &a, &rows, &cap);
				continue;
			}
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

/* Every complement is needed: shown, it would leave some suppressed cell derivable. */
static void assert_minimal(const table *t)
{
	unsigned char *flag = malloc(t->n), *der = malloc(t->n);
	assert_non_null(flag);
	assert_non_null(der);
	for (size_t c = 0; c < t->n; c++) {
		if (t->flag[c] != YOUTH__SDC_COMPLEMENT)
			continue;
		memcpy(flag, t->flag, t->n);
		flag[c] = YOUTH__SDC_SHOWN;
		assert_int_not_equal(judge(t, flag, der), 0);
	}
	free(der);
	free(flag);
}

static size_t suppressed(const table *t)
{
	size_t n = 0;
	for (size_t c = 0; c < t->n; c++)
		n += t->flag[c] != YOUTH__SDC_SHOWN;
	return n;
}

/* ---- hand cases ---------------------------------------------------------------------------- */

/* Suppresses @t at @k and checks that exactly the cells @want (ascending, -1 ends) are
 * suppressed, safely; frees @t. */
static void expect(table *t, int64_t k, const int *want)
{
	assert_int_equal(suppress(t, k), YOUTH_OK);
	for (size_t c = 0; c < t->n; c++) {
		int listed = *want == (int)c;
		want += listed;
		if ((t->flag[c] != YOUTH__SDC_SHOWN) != listed)
			print_error("cell %zu: flag %d\n", c, t->flag[c]);
		assert_int_equal(t->flag[c] != YOUTH__SDC_SHOWN, listed);
	}
	assert_int_equal(*want, -1);
	assert_safe(t, k);
	table_free(t);
}

static void test_one_dimension(void **state)
{
	(void)state;
	const size_t size[] = {3};
	table t = make(1, size, (const int64_t[]){2, 10, 7});
	/* the small cell and the cheapest partner in the line: 7, not 10, not the total 19 */
	expect(&t, 5, (const int[]){0, 2, -1});
}

static void test_two_dimensions(void **state)
{
	(void)state;
	const size_t size[] = {3, 3};
	table t = make(2, size, (const int64_t[]){2, 9, 6, 8, 20, 30, 7, 40, 50});
	/* one complement in the row, one in the column and the fourth cell that closes them: the
	 * cheapest such rectangle (9 + 8 + 20), though the row's and the column's smallest cells
	 * (6 and 7) would need the 50 */
	expect(&t, 5, (const int[]){0, 1, 4, 5, -1});
}

static void test_zero_complements_avoided(void **state)
{
	(void)state;
	const size_t size[] = {3, 3};
	table t = make(2, size, (const int64_t[]){2, 0, 9, 0, 0, 8, 6, 7, 30});
	/* the zeros next to the small cell stay shown: 9, 6 and 30 close the rectangle instead */
	expect(&t, 5, (const int[]){0, 2, 8, 10, -1});
	/* a small count alone with zeros: its total (also small) is the partner, not the zero */
	const size_t size1[] = {2};
	t = make(1, size1, (const int64_t[]){3, 0});
	expect(&t, 5, (const int[]){0, 2, -1});
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

/* Six small cells that already protect each other (a cycle through three rows and three
 * columns): the exact check sees it and adds nothing, where a complement per rectangle
 * would have added one. */
static void test_protected_already(void **state)
{
	(void)state;
	const size_t size[] = {3, 3};
	table t = make(2, size, (const int64_t[]){2, 3, 20, 30, 4, 2, 3, 40, 1});
	assert_int_equal(suppress(&t, 5), YOUTH_OK);
	assert_int_equal(suppressed(&t), 6);
	assert_safe(&t, 5);
	table_free(&t);
}

/* An allocator that fails its @fail-th call and counts the blocks alive (the shared test
 * helpers would pull the whole library into this bottom-layer suite). */
typedef struct failing {
	long calls, fail, live, failed;
} failing;

static void *failing_malloc(size_t size, void *ctx)
{
	failing *f = ctx;
	if (++f->calls == f->fail) {
		f->failed++;
		return NULL;
	}
	void *p = malloc(size ? size : 1);
	f->live += p != NULL;
	return p;
}

static void *failing_realloc(void *ptr, size_t size, void *ctx)
{
	failing *f = ctx;
	if (++f->calls == f->fail) {
		f->failed++;
		return NULL;
	}
	void *p = realloc(ptr, size ? size : 1);
	f->live += p != NULL && ptr == NULL;
	return p;
}

static void failing_free(void *ptr, void *ctx)
{
	failing *f = ctx;
	f->live -= ptr != NULL;
	free(ptr);
}

/* Every allocation failing in turn: YOUTH_ENOMEM, nothing leaked, and once memory suffices
 * the same cells as without the test allocator.  The tables reach every allocation: the exact
 * check's groups (the cycle), the boxes (the bridge between two squares) and a wide
 * dimension's lists. */
static void test_out_of_memory(void **state)
{
	(void)state;
	const size_t cycle_size[] = {3, 3}, bridge_size[] = {5, 5}, wide_size[] = {2, 40};
	int64_t wide[80];
	for (size_t i = 0; i < 80; i++)
		wide[i] = (int64_t)(i * 7 % 11);
	table tables[] = {
		make(2, cycle_size, (const int64_t[]){2, 3, 20, 30, 4, 2, 3, 40, 1}),
		make(2, bridge_size, dumbbell_counts),
		make(2, wide_size, wide), /* 41 places: the lists of the cheapest cells */
	};
	const int64_t ks[] = {5, 2, 5};
	for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
		table *t = &tables[i];
		int64_t k = ks[i];
		unsigned char *want = malloc(t->n);
		assert_non_null(want);
		assert_int_equal(suppress(t, k), YOUTH_OK);
		memcpy(want, t->flag, t->n);
		failing st;
		int rc = YOUTH_ENOMEM;
		for (long fail = 1; rc == YOUTH_ENOMEM; fail++) {
			st = (failing){.fail = fail};
			const youth_allocator a = {failing_malloc, failing_realloc, failing_free, &st};
			assert_int_equal(youth_set_allocator(&a), YOUTH_OK);
			rc = suppress(t, k);
			assert_int_equal(youth_set_allocator(NULL), YOUTH_OK);
			assert_int_equal(st.live, 0);
			if (rc == YOUTH_ENOMEM) {
				assert_int_equal(st.failed, 1);
				assert_int_equal(youth_error_last()->code, YOUTH_ENOMEM);
				assert_int_equal(suppressed(t), t->n); /* fails closed */
			} else {
				assert_int_equal(rc, YOUTH_OK);
				assert_int_equal(st.failed, 0);
				assert_true(fail > 10); /* 10 allocations: the boxes and one group */
			}
		}
		assert_memory_equal(want, t->flag, t->n);
		free(want);
		table_free(t);
	}
}

/* Counts near the limit of int64_t: costs saturate instead of overflowing, and a margin that
 * cannot hold its line's sum is refused. */
static void test_huge_counts(void **state)
{
	(void)state;
	const size_t size[] = {3};
	const int64_t big = INT64_C(1) << 61;
	table t = make(1, size, (const int64_t[]){2, big + 5, big});
	/* both partners cost the cap: the tie goes to the lower position */
	expect(&t, 5, (const int[]){0, 1, -1});
	t = make(1, size, (const int64_t[]){2, big, big});
	t.count[3] = INT64_MAX;
	t.count[1] = INT64_MAX - 1;
	assert_int_equal(suppress(&t, 5), YOUTH_EINVAL);
	assert_non_null(strstr(youth_error_last()->message, "[total]"));
	assert_non_null(strstr(youth_error_last()->message, "more than"));
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
	assert_int_equal(suppressed(&t), t.n); /* fails closed */
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
	size_t total = 0, hidden = 0, complements = 0;
	for (unsigned seed = 0; seed < 400; seed++) {
		table t = random_table(seed);
		int64_t k = ks[seed % 5];
		assert_int_equal(suppress(&t, k), YOUTH_OK);
		assert_safe(&t, k);
		/* small tables are pruned whole (libyouth/sdc.c, PRUNE_MAX_CELLS and PRUNE_WORK) */
		if (t.n <= 128)
			assert_minimal(&t);
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
		for (size_t c = 0; c < t.n; c++)
			complements += t.flag[c] == YOUTH__SDC_COMPLEMENT;
		table_free(&t);
	}
	print_message("# 400 random tables, %zu cells, %zu suppressed, %zu of them complements\n",
	              total, hidden, complements);
}

/* ---- hierarchies --------------------------------------------------------------------------- */

/* Whether index @i of dimension @d is a leaf (a category without parts). */
static int is_leaf(const table *t, size_t d, size_t i)
{
	if (i == t->size[d])
		return 0;
	for (size_t j = 0; t->parent[d] && j < t->size[d]; j++)
		if (t->parent[d][j] == i)
			return 0;
	return 1;
}

/* Fills every group (and margin) from the leaf cells already in t->count: a cell with a group
 * index is the sum of the cells of its children there, repeated until nothing changes (one
 * more level right each time, whatever the order of the nodes). */
static void add_groups(table *t)
{
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t c = 0; c < t->n; c++) {
			size_t d = 0;
			while (d < t->D && is_leaf(t, d, coord(t, c, d)))
				d++;
			if (d == t->D)
				continue;
			size_t g = coord(t, c, d);
			int64_t sum = 0;
			for (size_t i = 0; i < t->size[d]; i++)
				if (t->parent[d] ? t->parent[d][i] == g : 1)
					sum += t->count[c - (g - i) * t->stride[d]];
			changed |= t->count[c] != sum;
			t->count[c] = sum;
		}
	}
}

/* A table whose dimension d has the hierarchy @parent[d] (NULL: flat), from its leaf cells'
 * counts in row-major order. */
static table make_tree(size_t D, const size_t *size, const size_t *const *parent,
                       const int64_t *leaves)
{
	table t;
	table_shape(&t, D, size);
	memcpy(t.parent, parent, D * sizeof *parent);
	size_t k = 0;
	for (size_t c = 0; c < t.n; c++) {
		size_t d = 0;
		while (d < D && is_leaf(&t, d, coord(&t, c, d)))
			d++;
		if (d == D)
			t.count[c] = leaves[k++];
	}
	add_groups(&t);
	return t;
}

/* Two districts of two communities each (nodes 0-3 communities, 4-5 districts, 6 the total)
 * by sex: a small count is paired with its sibling community, and the districts and the
 * total stay shown, where a table of districts x communities would push complements up into
 * them. */
static const size_t two_levels[] = {4, 4, 5, 5, 6, 6};

static void test_hierarchy_two_levels(void **state)
{
	(void)state;
	const size_t size[] = {6, 2};
	const size_t *parent[] = {two_levels, NULL};
	table t = make_tree(2, size, parent, (const int64_t[]){2, 10, 8, 9, 12, 15, 20, 11});
	assert_int_equal(t.count[4 * 3 + 2], 29);  /* district 4, both sexes */
	assert_int_equal(t.count[6 * 3 + 0], 42);  /* the total of girls */
	/* the box of communities 0 and 1 x both sexes: 8 + 10 + 9, cheaper than the margins */
	expect(&t, 5, (const int[]){0, 1, 3, 4, -1});
}

/* Municipality > district > community by sex: community 2 is alone in district 6, so its small
 * count is the district's too; the pair found is the next district of the municipality and one
 * of its communities, and the municipalities and the nation stay shown. */
static const size_t three_levels[] = {5, 5, 6, 7, 7, 8, 8, 9, 9, 10};

static void test_hierarchy_three_levels(void **state)
{
	(void)state;
	const size_t size[] = {10, 2};
	const size_t *parent[] = {three_levels, NULL};
	table t = make_tree(2, size, parent,
	                    (const int64_t[]){10, 12, 7, 9, 3, 8, 15, 14, 11, 6});
	assert_int_equal(suppress(&t, 5), YOUTH_OK);
	assert_safe(&t, 5);
	for (size_t node = 8; node <= 10; node++)
		for (size_t sex = 0; sex < 3; sex++)
			assert_int_equal(t.flag[node * 3 + sex], YOUTH__SDC_SHOWN);
	/* community 2 and district 6 (primary), district 5 and community 1 (its cheapest), by
	 * sex: girls and boys, their totals shown */
	expect(&t, 5, (const int[]){3, 4, 6, 7, 15, 16, 18, 19, -1});
}

/* The judge knows the group equations: two small communities of different districts, each
 * district shown with its other community, are each the difference of two shown counts,
 * though the line of communities holds two suppressed cells. */
static void test_hierarchy_judge_bites(void **state)
{
	(void)state;
	const size_t size[] = {6};
	const size_t *parent[] = {two_levels};
	table t = make_tree(1, size, parent, (const int64_t[]){2, 10, 3, 9});
	unsigned char *der = malloc(t.n);
	assert_non_null(der);
	t.flag[0] = t.flag[2] = 1;
	assert_int_equal(judge(&t, t.flag, der), 2);
	assert_true(der[0] && der[2]);
	/* flat, the same two cells with the total shown are not derivable from it alone */
	table flat = make(1, (const size_t[]){4}, (const int64_t[]){2, 10, 3, 9});
	flat.flag[0] = flat.flag[2] = 1;
	assert_int_equal(judge(&flat, flat.flag, der), 0);
	table_free(&flat);
	/* the library protects both */
	assert_int_equal(suppress(&t, 5), YOUTH_OK);
	assert_safe(&t, 5);
	free(der);
	table_free(&t);
}

/* A hierarchy whose every node is a part of the total is the flat dimension: same flags. */
static void test_hierarchy_flat(void **state)
{
	(void)state;
	const size_t size[] = {3, 3};
	const int64_t counts[] = {2, 3, 20, 30, 4, 2, 3, 40, 1};
	table t = make(2, size, counts), u = make(2, size, counts);
	const size_t all_total[] = {3, 3, 3};
	u.parent[0] = u.parent[1] = all_total;
	assert_int_equal(suppress(&t, 5), YOUTH_OK);
	assert_int_equal(suppress(&u, 5), YOUTH_OK);
	assert_memory_equal(t.flag, u.flag, t.n);
	table_free(&t);
	table_free(&u);
}

static void test_hierarchy_refusals(void **state)
{
	(void)state;
	const size_t size[] = {6};
	const size_t *parent[] = {two_levels};
	table t = make_tree(1, size, parent, (const int64_t[]){2, 10, 3, 9});
	t.count[4]++; /* district 4 no longer the sum of its communities */
	assert_int_equal(suppress(&t, 5), YOUTH_EINVAL);
	assert_non_null(strstr(youth_error_last()->message, "parts"));
	for (size_t c = 0; c < t.n; c++)
		assert_int_equal(t.flag[c], YOUTH__SDC_COMPLEMENT);
	t.count[4]--;
	const size_t loop[] = {4, 4, 5, 5, 5, 4}; /* districts 4 and 5 parts of each other */
	t.parent[0] = loop;
	assert_int_equal(suppress(&t, 5), YOUTH_EINVAL);
	assert_non_null(strstr(youth_error_last()->message, "not under the total"));
	const size_t self[] = {4, 4, 5, 5, 4, 6};
	t.parent[0] = self;
	assert_int_equal(suppress(&t, 5), YOUTH_EINVAL);
	assert_non_null(strstr(youth_error_last()->message, "parent"));
	table_free(&t);
}

/* A random tree of @leaves leaves under up to @levels levels of groups: nodes numbered
 * leaves first, each level's groups after the level below, or all the other way round; the
 * total last (@size nodes). */
static size_t *random_tree(size_t leaves, size_t levels, size_t *size)
{
	size_t *parent = malloc(64 * sizeof *parent), n = 0, first = 0, width = leaves;
	assert_non_null(parent);
	n = leaves;
	for (size_t l = 0; l < levels && width > 1; l++) {
		size_t groups = 1 + rng() % (width - 1 > 3 ? 3 : width - 1);
		/* every group gets at least one child: the first @groups in order, then at random */
		for (size_t i = 0; i < width; i++)
			parent[first + i] = n + (i < groups ? i : rng() % groups);
		first = n;
		n += groups;
		width = groups;
	}
	for (size_t i = 0; i < width; i++)
		parent[first + i] = n;
	*size = n;
	if (rng() % 2) {
		/* numbered the other way round: the groups before their parts, as a report lists
		 * places (node i becomes n - 1 - i, the total stays n) */
		size_t *rev = malloc(64 * sizeof *rev);
		assert_non_null(rev);
		for (size_t i = 0; i < n; i++)
			rev[n - 1 - i] = parent[i] == n ? n : n - 1 - parent[i];
		free(parent);
		parent = rev;
	}
	return parent;
}

/* Random tables with a hierarchy (one to three levels of groups, some with a single child) by
 * zero to two flat dimensions: the judge, with every group equation, finds nothing
 * derivable. */
static void test_hierarchy_random(void **state)
{
	(void)state;
	const int64_t ks[] = {2, 3, 5, 5, 10};
	size_t total = 0, hidden = 0;
	for (unsigned seed = 0; seed < 300; seed++) {
		rng_state = 0x2545F4914F6CDD1DULL ^ ((uint64_t)seed * 0x9E3779B97F4A7C15ULL);
		size_t D = 1 + rng() % 3, size[3], cells;
		size_t *tree = random_tree(2 + rng() % 9, 1 + rng() % 3, &size[0]);
		for (size_t d = 1; d < D; d++)
			size[d] = 1 + rng() % 4;
		do {
			cells = size[0] + 1;
			for (size_t d = 1; d < D; d++)
				cells *= size[d] + 1;
			if (cells > 700)
				size[1 + rng() % (D - 1)] = 1;
		} while (cells > 700);
		table t;
		table_shape(&t, D, size);
		t.parent[0] = tree;
		unsigned zeros = rng() % 4;
		for (size_t c = 0; c < t.n; c++) {
			uint32_t r = rng() % 8;
			t.count[c] = r < zeros ? 0 : r < 6 ? 1 + rng() % 6 : (int64_t)(rng() % 40);
		}
		add_groups(&t);
		int64_t k = ks[seed % 5];
		assert_int_equal(suppress(&t, k), YOUTH_OK);
		assert_safe(&t, k);
		unsigned char *again = malloc(t.n);
		assert_non_null(again);
		memcpy(again, t.flag, t.n);
		assert_int_equal(suppress(&t, k), YOUTH_OK);
		assert_memory_equal(again, t.flag, t.n);
		free(again);
		total += t.n;
		hidden += suppressed(&t);
		table_free(&t);
		free(tree);
	}
	print_message("# 300 random hierarchies, %zu cells, %zu suppressed\n", total, hidden);
}

/* ---- a national table --------------------------------------------------------------------- */

/* Places x 3 sexes x 6 age bands as the report engine asks for them, for an indicator reaching
 * one youth in @per of a place's population: places of 300 to about 10,000 youths, the third
 * sex rare, counts spread around their expected value. */
static table national(size_t places, unsigned per, unsigned seed)
{
	rng_state = 0x243F6A8885A308D3ULL ^ seed;
	const size_t size[] = {places, 3, 6};
	const unsigned share[] = {49, 49, 2};
	table t;
	table_shape(&t, 3, size);
	for (size_t p = 0; p < places; p++) {
		uint64_t pop = (300u << (rng() % 6)) + rng() % 300;
		for (size_t x = 0; x < 3; x++)
			for (size_t a = 0; a < 6; a++) {
				uint64_t mean = pop * share[x] / (100u * 6u * per);
				t.count[(p * 4 + x) * 7 + a] = (int64_t)(rng() % (2 * mean + 2));
			}
	}
	add_margins(&t);
	return t;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Suppresses @t at k = 5 @rounds times; the fastest time in milliseconds. */
static double best_time(table *t, int rounds)
{
	double best = 1e9;
	for (int round = 0; round < rounds; round++) {
		double t0 = now_ms();
		assert_int_equal(suppress(t, 5), YOUTH_OK);
		double ms = now_ms() - t0;
		best = ms < best ? ms : best;
	}
	return best;
}

/* No line holds exactly one suppressed cell (necessary, not sufficient: the judge decides). */
static void assert_lines(const table *t)
{
	for (size_t d = 0; d < t->D; d++)
		for (size_t c = 0; c < t->n; c++) {
			if (coord(t, c, d) != 0)
				continue;
			size_t in = 0;
			for (size_t j = 0; j < t->m[d]; j++)
				in += t->flag[c + j * t->stride[d]] != YOUTH__SDC_SHOWN;
			assert_int_not_equal(in, 1);
		}
}

/* The report engine's largest table: 263 districts.  Prints the time per table (not asserted:
 * docs/disclosure.md quotes it); the judge is too slow for it, and decides 60-place ones. */
static void test_national(void **state)
{
	(void)state;
	const unsigned pers[] = {2, 10, 30, 100, 300, 1000};
	double total = 0;
	for (size_t i = 0; i < sizeof pers / sizeof *pers; i++) {
		table t = national(263, pers[i], (unsigned)i);
		double best = best_time(&t, 5);
		size_t primary = 0;
		for (size_t c = 0; c < t.n; c++)
			primary += t.flag[c] == YOUTH__SDC_PRIMARY;
		print_message("# 263x3x6 with margins, 1 in %u: %zu cells, %zu primary, %zu "
		              "complementary, %.2f ms\n",
		              pers[i], t.n, primary, suppressed(&t) - primary, best);
		total += best;
		for (size_t c = 0; c < t.n; c++)
			assert_int_equal(t.flag[c] == YOUTH__SDC_PRIMARY, t.count[c] > 0 && t.count[c] < 5);
		assert_lines(&t);
		table_free(&t);
	}
	print_message("# the six tables: %.2f ms\n", total);
	/* a report by community: 3000 places */
	table big = national(3000, 100, 7);
	double ms = best_time(&big, 3);
	print_message("# 3000x3x6 with margins, 1 in 100: %zu cells, %zu suppressed, %.2f ms\n",
	              big.n, suppressed(&big), ms);
	assert_lines(&big);
	table_free(&big);
	for (unsigned per = 10; per <= 1000; per *= 10) {
		table t = national(60, per, per);
		assert_int_equal(suppress(&t, 5), YOUTH_OK);
		assert_safe(&t, 5);
		table_free(&t);
	}
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
		cmocka_unit_test(test_protected_already),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_huge_counts),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_random_tables),
		cmocka_unit_test(test_national),
		cmocka_unit_test(test_hierarchy_two_levels),
		cmocka_unit_test(test_hierarchy_three_levels),
		cmocka_unit_test(test_hierarchy_judge_bites),
		cmocka_unit_test(test_hierarchy_flat),
		cmocka_unit_test(test_hierarchy_refusals),
		cmocka_unit_test(test_hierarchy_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
