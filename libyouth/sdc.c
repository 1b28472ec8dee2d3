/*
 * Statistical disclosure control of one table with margins (docs/disclosure.md).
 *
 * The table is an array with one extra index per dimension for the margin.  Negating every
 * cell that has an odd number of margin indices turns "margin = sum of its line" into "the
 * whole line sums to zero", the same equation for every line of every dimension.  A suppressed
 * cell can be derived from the shown ones exactly when no table that is zero on the shown cells
 * and sums to zero on every line is non-zero on it (such a table can be added to the true one
 * without changing anything published).  The simplest such tables are boxes: pick two indices
 * a != b in every dimension and put +1/-1 on the 2^D corners, the sign flipping with each b.
 * Every line through the box meets it in exactly one +1 and one -1.  So a suppressed cell is
 * safe as soon as all corners of one box through it are suppressed, whatever else is shown.
 *
 * The method: primary cells (1..k-1), then for each suppressed cell not yet inside a fully
 * suppressed box, the cheapest box through it is completed with complements.  Adding cells
 * never makes a safe cell derivable (the tables above stay valid), so one pass suffices and
 * the result is safe by construction, not by a heuristic count of cells per line.
 */
#include "private.h"
#include "private_sdc.h"

#include <stdio.h>
#include <string.h>

/* What a complement costs, so that the cheapest box is the one that hides least information.
 * A cell already suppressed costs nothing.  A zero costs more than any sum of counts: as a
 * complement it hides almost nothing (its line's shown total is then the suppressed cells'
 * sum with the zero's share known to be the least possible, so the partner's upper bound is
 * its true value).  Otherwise the count (capped so that 256 corners cannot overflow), plus one
 * per cell so that equal sums prefer fewer cells. */
#define COST_CAP ((uint64_t)1 << 40)
#define COST_ZERO ((uint64_t)1 << 52)
/* A box search looks at the CHOICES cheapest other indices of each dimension (by the corner
 * that differs from the cell in that dimension alone) and stops refining after SEARCH_BUDGET
 * nodes, keeping the best box found: deterministic, always a valid box, and bounded work on
 * wide tables (263 places) and on tables of many equal counts. */
#define CHOICES 8
#define SEARCH_BUDGET 4096

typedef struct choice {
	uint64_t cost; /* of the corner that differs from the cell only in this dimension */
	size_t index;
} choice;

typedef struct sdc {
	size_t D;
	size_t m[YOUTH__SDC_MAXDIMS];      /* indices per dimension, margin included */
	size_t stride[YOUTH__SDC_MAXDIMS]; /* row-major */
	size_t n;                          /* cells */
	const int64_t *count;
	unsigned char *flag;
	unsigned char *safe; /* inside a fully suppressed box */
	/* box search */
	choice choices[YOUTH__SDC_MAXDIMS][CHOICES]; /* per dimension: cheapest other indices */
	size_t nchoices[YOUTH__SDC_MAXDIMS];
	size_t a[YOUTH__SDC_MAXDIMS];     /* the cell's indices */
	size_t b[YOUTH__SDC_MAXDIMS], best_b[YOUTH__SDC_MAXDIMS];
	size_t corner[1u << YOUTH__SDC_MAXDIMS];
	uint64_t best;
	long budget;
} sdc;

static uint64_t cell_cost(const sdc *s, size_t cell)
{
	if (s->flag[cell] != YOUTH__SDC_SHOWN)
		return 0;
	int64_t c = s->count[cell];
	if (c == 0)
		return COST_ZERO;
	return 2 * ((uint64_t)c < COST_CAP ? (uint64_t)c : COST_CAP) + 1;
}

/* "[2, total, 0]": the indices of @cell, "total" for a margin. */
static void cell_name(const sdc *s, size_t cell, char *out, size_t size)
{
	size_t len = 0;
	len += (size_t)snprintf(out, size, "[");
	for (size_t d = 0; d < s->D && len < size; d++) {
		size_t i = cell / s->stride[d] % s->m[d];
		if (i + 1 == s->m[d])
			len += (size_t)snprintf(out + len, size - len, "%stotal", d ? ", " : "");
		else
			len += (size_t)snprintf(out + len, size - len, "%s%zu", d ? ", " : "", i);
	}
	if (len < size)
		snprintf(out + len, size - len, "]");
}

static int check_input(const sdc *s)
{
	char name[YOUTH__SDC_MAXDIMS * 24 + 4];
	for (size_t c = 0; c < s->n; c++)
		if (s->count[c] < 0) {
			cell_name(s, c, name, sizeof name);
			return youth__error(YOUTH_EINVAL, NULL,
			                    "disclosure control: cell %s has a negative count (%lld)",
			                    name, (long long)s->count[c]);
		}
	for (size_t c = 0; c < s->n; c++)
		for (size_t d = 0; d < s->D; d++) {
			size_t i = c / s->stride[d] % s->m[d];
			if (i + 1 != s->m[d])
				continue;
			int64_t sum = 0;
			bool over = false;
			for (size_t j = 0; j < i && !over; j++)
				over = __builtin_add_overflow(sum, s->count[c - (i - j) * s->stride[d]], &sum);
			if (over || sum != s->count[c]) {
				cell_name(s, c, name, sizeof name);
				return youth__error(YOUTH_EINVAL, NULL,
				                    "disclosure control: the table is not additive: cell %s "
				                    "is %lld but its line over dimension %zu sums to %s%lld",
				                    name, (long long)s->count[c], d, over ? "more than " : "",
				                    (long long)(over ? INT64_MAX : sum));
			}
		}
	return YOUTH_OK;
}

/* Depth-first over the dimensions: choose b[d], adding the 2^d corners that differ from the
 * cell in dimension d.  Candidates come cheapest first by the corner that differs only in d,
 * which is one of the new corners, so once it alone reaches the best cost the rest can go. */
static void search(sdc *s, size_t d, uint64_t cost)
{
	if (d == s->D) {
		if (cost < s->best) {
			s->best = cost;
			memcpy(s->best_b, s->b, sizeof s->b);
		}
		return;
	}
	size_t half = (size_t)1 << d;
	for (size_t k = 0; k < s->nchoices[d] && s->best > 0 && s->budget > 0; k++) {
		size_t bd = s->choices[d][k].index;
		ptrdiff_t step = ((ptrdiff_t)bd - (ptrdiff_t)s->a[d]) * (ptrdiff_t)s->stride[d];
		if (cost + s->choices[d][k].cost >= s->best)
			break;
		s->budget--;
		uint64_t c = cost;
		for (size_t mask = 0; mask < half; mask++) {
			s->corner[half | mask] = (size_t)((ptrdiff_t)s->corner[mask] + step);
			c += cell_cost(s, s->corner[half | mask]);
		}
		if (c >= s->best)
			continue;
		s->b[d] = bd;
		search(s, d + 1, c);
	}
}

/* Keeps the CHOICES cheapest other indices of dimension @d for the box through @cell, cheapest
 * corner first, ties to the lower index (deterministic). */
static void gather(sdc *s, size_t cell, size_t d)
{
	choice *ch = s->choices[d];
	size_t n = 0, base = cell - s->a[d] * s->stride[d];
	for (size_t i = 0; i < s->m[d]; i++) {
		if (i == s->a[d])
			continue;
		uint64_t cost = cell_cost(s, base + i * s->stride[d]);
		if (n == CHOICES && cost >= ch[n - 1].cost)
			continue;
		size_t j = n < CHOICES ? n++ : n - 1;
		while (j > 0 && ch[j - 1].cost > cost) {
			ch[j] = ch[j - 1];
			j--;
		}
		ch[j] = (choice){cost, i};
	}
	s->nchoices[d] = n;
}

/* Completes the cheapest box through @cell with complements and marks its corners safe. */
static void protect(sdc *s, size_t cell)
{
	for (size_t d = 0; d < s->D; d++) {
		s->a[d] = cell / s->stride[d] % s->m[d];
		gather(s, cell, d);
	}
	s->corner[0] = cell;
	s->best = UINT64_MAX;
	s->budget = SEARCH_BUDGET;
	search(s, 0, 0);
	if (s->best == UINT64_MAX)
		return; /* a dimension without categories: its cells are all zero, never suppressed */
	s->corner[0] = cell;
	for (size_t d = 0; d < s->D; d++) {
		size_t half = (size_t)1 << d;
		ptrdiff_t step = ((ptrdiff_t)s->best_b[d] - (ptrdiff_t)s->a[d]) * (ptrdiff_t)s->stride[d];
		for (size_t mask = 0; mask < half; mask++)
			s->corner[half | mask] = (size_t)((ptrdiff_t)s->corner[mask] + step);
	}
	for (size_t c = 0; c < ((size_t)1 << s->D); c++) {
		if (s->flag[s->corner[c]] == YOUTH__SDC_SHOWN)
			s->flag[s->corner[c]] = YOUTH__SDC_COMPLEMENT;
		s->safe[s->corner[c]] = 1;
	}
}

int youth__sdc_suppress(youth__sdc_table *t, int64_t k)
{
	if (!t)
		return youth__error(YOUTH_EINVAL, NULL, "disclosure control: NULL table");
	if (t->ndims > YOUTH__SDC_MAXDIMS)
		return youth__error(YOUTH_EINVAL, NULL,
		                    "disclosure control: %zu dimensions, at most %d", t->ndims,
		                    YOUTH__SDC_MAXDIMS);
	sdc s = {.D = t->ndims, .count = t->count, .flag = t->flag};
	size_t n = 1;
	for (size_t d = t->ndims; d-- > 0;) {
		if (t->size[d] >= SIZE_MAX / 2 || __builtin_mul_overflow(n, t->size[d] + 1, &n) ||
		    n > SIZE_MAX / (2 * sizeof(size_t)))
			return youth__error(YOUTH_EINVAL, NULL,
			                    "disclosure control: the table's size overflows");
	}
	s.n = n;
	for (size_t d = s.D, st = 1; d-- > 0;) {
		s.m[d] = t->size[d] + 1;
		s.stride[d] = st;
		st *= s.m[d];
	}
	if (!t->count || !t->flag)
		return youth__error(YOUTH_EINVAL, NULL, "disclosure control: NULL %s",
		                    t->count ? "flags" : "counts");
	int rc = check_input(&s);
	if (rc != YOUTH_OK)
		return rc;
	memset(t->flag, YOUTH__SDC_SHOWN, n);
	bool any = false;
	for (size_t c = 0; c < n; c++)
		if (t->count[c] > 0 && t->count[c] < k) {
			t->flag[c] = YOUTH__SDC_PRIMARY;
			any = true;
		}
	/* With no dimension there is no equation: a suppressed grand total stays hidden. */
	if (!any || s.D == 0)
		return YOUTH_OK;

	s.safe = youth__calloc(n, 1);
	if (!s.safe)
		return youth__oom();
	for (size_t c = 0; c < n; c++)
		if (t->flag[c] != YOUTH__SDC_SHOWN && !s.safe[c])
			protect(&s, c);
	youth__free(s.safe);
	return YOUTH_OK;
}
