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
 * The method: primary cells (1..k-1); an exact check of which of them already protect one
 * another (below); then, for each suppressed cell not known safe, the cheapest box through it
 * is completed with complements.  Adding cells never makes a safe cell derivable (the tables
 * above stay valid), so one pass suffices and the result is safe by construction, not by a
 * heuristic count of cells per line.  Last, on small tables, complements that later boxes
 * made unnecessary are shown again, each removal confirmed by the exact check.
 *
 * A dimension may be a hierarchy (places: communities in districts in municipalities): its
 * indices are all the nodes, each group the sum of its parts.  Lines become families (a group
 * and its parts, signed by depth), and a box takes a chain of nodes along it instead of two
 * indices (see "boxes along a hierarchy" below); a flat dimension is the hierarchy of one
 * level, and keeps its own code paths and flags.
 */
#include "private.h"
#include "private_sdc.h"

#include <stdio.h>
#include <string.h>

/* What a complement costs, so that the cheapest box is the one that hides least information.
 * In a table with a hierarchy a group's count costs LEVEL_SHIFT bits more per level above the
 * deepest leaves, and as much per margin of the other dimensions: hiding a municipality's
 * figure, or the nation's girls, hides what most readers want, so the boxes keep to the
 * communities and the categories wherever they can (the grand total costs most).  Flat
 * tables keep plain counts.
 * A cell already suppressed costs nothing.  A zero costs more than any sum of counts: as a
 * complement it hides almost nothing (its line's shown total is then the suppressed cells'
 * sum with the zero's share known to be the least possible, so the partner's upper bound is
 * its true value).  Otherwise the count (capped so that 256 corners cannot overflow), plus one
 * per cell so that equal sums prefer fewer cells. */
#define COST_CAP ((uint64_t)1 << 40)
#define COST_ZERO ((uint64_t)1 << 52)
#define LEVEL_SHIFT 3
/* A box search looks at the CHOICES cheapest other indices of each dimension (by the corner
 * that differs from the cell in that dimension alone) and stops refining after SEARCH_BUDGET
 * nodes, keeping the best box found: deterministic, always a valid box, and bounded work on
 * wide tables (263 places) and on tables of many equal counts. */
#define CHOICES 8
#define SEARCH_BUDGET 4096
/* A dimension of more than WIDE indices (the places) keeps, per line, its CHOICES + 1 cheapest
 * cells, so that a box search does not scan 3000 places for every small cell.  Costs only ever
 * drop (to 0, when a cell is suppressed), which such a list follows by taking the cell in: it
 * stays exactly the cheapest cells of the line. */
#define WIDE (4 * CHOICES)
#define NO_TOP 0xff
/* Along a hierarchy a box takes a chain of nodes per dimension (below), at most MAXSUP besides
 * the cell's own; a box of more than MAXCORNERS corners is not considered. */
#define MAXSUP (2 * YOUTH__SDC_MAXDEPTH + 2)
#define MAXCORNERS ((size_t)1 << 12)

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
	unsigned char *safe; /* known not derivable, whatever is added later */
	uint64_t *cost;      /* count_cost() of every cell, 0 once suppressed */
	/* box search */
	choice *top[YOUTH__SDC_MAXDIMS];   /* wide dimensions: per line, its cheapest cells */
	unsigned char *ntop[YOUTH__SDC_MAXDIMS]; /* entries of each, NO_TOP before the first use */
	choice choices[YOUTH__SDC_MAXDIMS][CHOICES]; /* per dimension: cheapest other indices */
	size_t nchoices[YOUTH__SDC_MAXDIMS];
	size_t a[YOUTH__SDC_MAXDIMS];     /* the cell's indices */
	size_t b[YOUTH__SDC_MAXDIMS], best_b[YOUTH__SDC_MAXDIMS]; /* the choice taken per dimension */
	size_t corner[MAXCORNERS];
	uint64_t best;
	long budget;
	/* hierarchical dimensions (NULL for flat ones): each node's parent, its children as
	 * kids[kfirst[g] .. kfirst[g + 1]), and per box search the cheapest chain down from every
	 * node (its cost, and the next node) */
	const size_t *par[YOUTH__SDC_MAXDIMS];
	bool hier; /* any dimension has a hierarchy */
	size_t *kfirst[YOUTH__SDC_MAXDIMS], *kids[YOUTH__SDC_MAXDIMS];
	size_t *order[YOUTH__SDC_MAXDIMS]; /* the nodes, deepest first */
	uint64_t *dcost[YOUTH__SDC_MAXDIMS];
	unsigned char *shift[YOUTH__SDC_MAXDIMS]; /* per node: LEVEL_SHIFT x its levels above */
	size_t *dnext[YOUTH__SDC_MAXDIMS];
	/* the nodes of each choice along a hierarchical dimension, besides the cell's own */
	size_t nsup[YOUTH__SDC_MAXDIMS][CHOICES];
	size_t sup[YOUTH__SDC_MAXDIMS][CHOICES][MAXSUP];
} sdc;

/* The index of @cell on dimension @d. */
static size_t coord(const sdc *s, size_t cell, size_t d)
{
	return cell / s->stride[d] % s->m[d];
}

/* Whether node @i of dimension @d is a group (the total of a flat dimension, or a node with
 * children). */
static bool is_group(const sdc *s, size_t d, size_t i)
{
	if (!s->par[d])
		return i + 1 == s->m[d];
	return s->kfirst[d][i] < s->kfirst[d][i + 1];
}

/* The families of @cell along @d: the equations "group = sum of its children" it is in, each
 * named d * n + the cell of its group (of index 0 along a flat dimension: its line).  Along a
 * flat dimension one; along a hierarchy up to two (as a child, and as a group). */
/* Inlined: the exact check calls it for every suppressed cell and dimension. */
static inline __attribute__((always_inline)) size_t families(const sdc *s, size_t cell, size_t d,
                                                            size_t out[2])
{
	size_t i = coord(s, cell, d);
	if (!s->par[d]) {
		out[0] = d * s->n + cell - i * s->stride[d];
		return 1;
	}
	size_t nf = 0;
	if (is_group(s, d, i))
		out[nf++] = d * s->n + cell;
	if (i + 1 != s->m[d])
		out[nf++] = d * s->n + cell + (s->par[d][i] - i) * s->stride[d];
	return nf;
}

/* The @i-th cell of family @l along @d (see families()), SIZE_MAX past its last. */
static inline __attribute__((always_inline)) size_t member(const sdc *s, size_t d, size_t l,
                                                          size_t i)
{
	size_t first = l - d * s->n;
	if (!s->par[d])
		return i < s->m[d] ? first + i * s->stride[d] : SIZE_MAX;
	if (i == 0)
		return first;
	size_t g = coord(s, first, d), k = s->kfirst[d][g] + i - 1;
	return k < s->kfirst[d][g + 1] ? first - (g - s->kids[d][k]) * s->stride[d] : SIZE_MAX;
}

static uint64_t count_cost(const sdc *s, size_t cell)
{
	if (s->flag[cell] != YOUTH__SDC_SHOWN)
		return 0;
	int64_t c = s->count[cell];
	if (c == 0)
		return COST_ZERO;
	uint64_t x = (uint64_t)c < COST_CAP ? (uint64_t)c : COST_CAP;
	if (s->hier) {
		unsigned sh = 0;
		for (size_t d = 0; d < s->D; d++)
			sh += s->par[d] ? s->shift[d][coord(s, cell, d)]
			                : coord(s, cell, d) + 1 == s->m[d] ? LEVEL_SHIFT : 0;
		x = sh >= 40 || x > COST_CAP >> sh ? COST_CAP : x << sh;
	}
	return 2 * x + 1;
}

/* "[2, total, 0]": the indices of @cell, "total" for a margin. */
static void cell_name(const sdc *s, size_t cell, char *out, size_t size)
{
	size_t len = 0;
	len += (size_t)snprintf(out, size, "[");
	for (size_t d = 0; d < s->D && len < size; d++) {
		size_t i = coord(s, cell, d);
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
			size_t i = coord(s, c, d);
			int64_t sum = 0;
			bool over = false;
			if (!s->par[d]) {
				if (i + 1 != s->m[d])
					continue;
				for (size_t j = 0; j < i && !over; j++)
					over = __builtin_add_overflow(sum, s->count[c - (i - j) * s->stride[d]],
					                              &sum);
			} else {
				if (!is_group(s, d, i))
					continue;
				size_t o;
				for (size_t j = 1; (o = member(s, d, d * s->n + c, j)) != SIZE_MAX && !over;
				     j++)
					over = __builtin_add_overflow(sum, s->count[o], &sum);
			}
			if (over || sum != s->count[c]) {
				cell_name(s, c, name, sizeof name);
				return youth__error(YOUTH_EINVAL, NULL,
				                    "disclosure control: the table is not additive: cell %s "
				                    "is %lld but its %s over dimension %zu sum%s to %s%lld",
				                    name, (long long)s->count[c],
				                    s->par[d] ? "parts" : "line", d, s->par[d] ? "" : "s",
				                    over ? "more than " : "",
				                    (long long)(over ? INT64_MAX : sum));
			}
		}
	return YOUTH_OK;
}

static size_t nodes_of(const sdc *s, size_t d, size_t k)
{
	return s->par[d] ? s->nsup[d][k] : 1;
}

/* Adds to the @nc corners chosen so far those that choice @k of dimension @d adds: one copy
 * of them per node of the choice.  Returns the number of corners now. */
static inline __attribute__((always_inline)) size_t extend(sdc *s, size_t d, size_t k, size_t nc)
{
	size_t nn = nc;
	for (size_t e = 0; e < nodes_of(s, d, k); e++) {
		size_t node = s->par[d] ? s->sup[d][k][e] : s->choices[d][k].index;
		ptrdiff_t step = ((ptrdiff_t)node - (ptrdiff_t)s->a[d]) * (ptrdiff_t)s->stride[d];
		for (size_t mask = 0; mask < nc; mask++)
			s->corner[nn++] = (size_t)((ptrdiff_t)s->corner[mask] + step);
	}
	return nn;
}

/* Depth-first over the dimensions: choose b[d], adding the corners that differ from the
 * @nc so far in dimension d.  Candidates come cheapest first by the corners that differ
 * from the cell only in d, which are among the new ones, so once they alone reach the best
 * cost the rest can go. */
static void search(sdc *s, size_t d, size_t nc, uint64_t cost)
{
	if (d == s->D) {
		if (cost < s->best) {
			s->best = cost;
			memcpy(s->best_b, s->b, sizeof s->b);
		}
		return;
	}
	for (size_t k = 0; k < s->nchoices[d] && s->best > 0 && s->budget > 0; k++) {
		if (cost + s->choices[d][k].cost >= s->best)
			break;
		if (nc * (nodes_of(s, d, k) + 1) > MAXCORNERS)
			continue;
		s->budget--;
		uint64_t c = cost;
		size_t nn = extend(s, d, k, nc);
		for (size_t x = nc; x < nn; x++)
			c += s->cost[s->corner[x]];
		if (c >= s->best)
			continue;
		s->b[d] = k;
		search(s, d + 1, nn, c);
	}
}

/* Puts @x in the list @ch of *@n entries (at most @cap), ordered by cost then index, where an
 * entry of the same index is replaced. */
static void take(choice *ch, size_t *n, size_t cap, choice x)
{
	size_t j = *n;
	for (size_t i = 0; i < *n; i++)
		if (ch[i].index == x.index) {
			memmove(ch + i, ch + i + 1, (*n - i - 1) * sizeof *ch);
			j = --*n;
			break;
		}
	if (j == cap) {
		const choice *last = &ch[cap - 1];
		if (x.cost > last->cost || (x.cost == last->cost && x.index > last->index))
			return;
		j--;
	} else {
		++*n;
	}
	while (j > 0 && (ch[j - 1].cost > x.cost ||
	                 (ch[j - 1].cost == x.cost && ch[j - 1].index > x.index))) {
		ch[j] = ch[j - 1];
		j--;
	}
	ch[j] = x;
}

/* The number of the line of @cell along @d among the lines along @d (0 .. n / m[d] - 1). */
static size_t line_number(const sdc *s, size_t cell, size_t d)
{
	size_t span = s->stride[d] * s->m[d];
	return cell / span * s->stride[d] + cell % s->stride[d];
}

/* Keeps the CHOICES cheapest other indices of dimension @d for the box through @cell, cheapest
 * corner first, ties to the lower index (deterministic). */
static void gather(sdc *s, size_t cell, size_t d)
{
	choice *ch = s->choices[d];
	size_t n = 0, base = cell - s->a[d] * s->stride[d];
	if (s->top[d]) {
		size_t l = line_number(s, cell, d), nt = s->ntop[d][l];
		choice *top = s->top[d] + l * (CHOICES + 1);
		if (nt == NO_TOP) {
			nt = 0;
			for (size_t i = 0; i < s->m[d]; i++)
				take(top, &nt, CHOICES + 1, (choice){s->cost[base + i * s->stride[d]], i});
			s->ntop[d][l] = (unsigned char)nt;
		}
		for (size_t i = 0; i < nt && n < CHOICES; i++)
			if (top[i].index != s->a[d])
				ch[n++] = top[i];
		s->nchoices[d] = n;
		return;
	}
	for (size_t i = 0; i < s->m[d]; i++)
		if (i != s->a[d])
			take(ch, &n, CHOICES, (choice){s->cost[base + i * s->stride[d]], i});
	s->nchoices[d] = n;
}

/* Suppresses @cell as a complement (when shown), its cost now 0 in the lists that hold it. */
static void suppress_cell(sdc *s, size_t cell)
{
	if (s->flag[cell] != YOUTH__SDC_SHOWN)
		return;
	s->flag[cell] = YOUTH__SDC_COMPLEMENT;
	s->cost[cell] = 0;
	for (size_t d = 0; d < s->D; d++) {
		if (!s->top[d])
			continue;
		size_t l = line_number(s, cell, d), nt = s->ntop[d][l];
		if (nt == NO_TOP)
			continue;
		take(s->top[d] + l * (CHOICES + 1), &nt, CHOICES + 1, (choice){0, coord(s, cell, d)});
		s->ntop[d][l] = (unsigned char)nt;
	}
}

/* ---- boxes along a hierarchy ------------------------------------------------------------
 *
 * With every node signed by the parity of its depth (the total at depth 0), each family
 * "group = sum of its children" reads "the group and its children sum to zero", and a table
 * that is zero on the shown cells and satisfies every family is what the argument above
 * needs.  Along one hierarchical dimension the simplest such vectors are chains: +1 on a leaf
 * l and every node above it (the total included), or that minus the same from a leaf l'
 * elsewhere, which cancels at and above the nodes l and l' share.  So a box's factor along
 * the hierarchy through node a is one of
 *   - a, one chain down from a to a leaf (a leaf: none), and every node above a;
 *   - a and a chain down from it, the nodes above a up to some v, and a sibling of v (same
 *     parent) with a chain down from it.
 * Two sibling leaves, or a leaf and every node above it: the flat case's two indices (a leaf
 * and the total) are the special case of one level.  The chain down from a node is the
 * cheapest, on the line of the cell, so that leaves are preferred (they count least). */

/* The cheapest chain down from every node of dimension @d on the line at @base (deepest
 * first, so children before their parents). */
static void chains_down(sdc *s, size_t d, size_t base)
{
	for (size_t x = 0; x < s->m[d]; x++) {
		size_t u = s->order[d][x];
		uint64_t best = UINT64_MAX;
		size_t next = SIZE_MAX;
		for (size_t k = s->kfirst[d][u]; k < s->kfirst[d][u + 1]; k++) {
			size_t v = s->kids[d][k];
			if (s->dcost[d][v] < best) {
				best = s->dcost[d][v];
				next = v;
			}
		}
		s->dcost[d][u] = s->cost[base + u * s->stride[d]] + (next == SIZE_MAX ? 0 : best);
		s->dnext[d][u] = next;
	}
}

/* Appends to @out (*@n nodes) the chain down from @u, @u included. */
static void chain(const sdc *s, size_t d, size_t u, size_t *out, size_t *n)
{
	for (; u != SIZE_MAX; u = s->dnext[d][u])
		out[(*n)++] = u;
}

/* Keeps candidate @x (@n nodes at @nodes) among the CHOICES cheapest of dimension @d, ties to
 * the earlier candidate. */
static void take_chain(sdc *s, size_t d, choice x, const size_t *nodes, size_t n)
{
	size_t j = s->nchoices[d];
	if (n > MAXSUP || (j == CHOICES && s->choices[d][CHOICES - 1].cost <= x.cost))
		return;
	if (j < CHOICES)
		s->nchoices[d]++;
	else
		j--;
	for (; j > 0 && s->choices[d][j - 1].cost > x.cost; j--) {
		s->choices[d][j] = s->choices[d][j - 1];
		s->nsup[d][j] = s->nsup[d][j - 1];
		memcpy(s->sup[d][j], s->sup[d][j - 1], s->nsup[d][j] * sizeof(size_t));
	}
	s->choices[d][j] = x;
	s->nsup[d][j] = n;
	memcpy(s->sup[d][j], nodes, n * sizeof(size_t));
}

/* The cheapest chains through the cell's node a along the hierarchical dimension @d. */
static void gather_hier(sdc *s, size_t cell, size_t d)
{
	size_t a = s->a[d], root = s->m[d] - 1, stride = s->stride[d], base = cell - a * stride;
	size_t nodes[MAXSUP + 2], n = 0, seq = 0;
	s->nchoices[d] = 0;
	chains_down(s, d, base);
	/* a, a chain down, and every node above */
	size_t up[YOUTH__SDC_MAXDEPTH + 1], nup = 0;
	uint64_t upc = 0;
	for (size_t v = a; v != root;) {
		v = s->par[d][v];
		up[nup++] = v;
		upc += s->cost[base + v * stride];
	}
	if (!is_group(s, d, a)) {
		if (a != root)
			take_chain(s, d, (choice){upc, seq++}, up, nup);
	} else {
		/* every leaf under a: the cheapest chain on this line may meet zeros on the lines of
		 * the other corners, and a group's cells are few */
		size_t path[YOUTH__SDC_MAXDEPTH + 1], it[YOUTH__SDC_MAXDEPTH + 1], depth = 0;
		uint64_t pc[YOUTH__SDC_MAXDEPTH + 1];
		path[0] = a, it[0] = s->kfirst[d][a], pc[0] = upc;
		while (true) {
			size_t u = path[depth];
			if (it[depth] == s->kfirst[d][u + 1]) {
				if (depth-- == 0)
					break;
				continue;
			}
			size_t v = s->kids[d][it[depth]++];
			uint64_t cv = pc[depth] + s->cost[base + v * stride];
			if (is_group(s, d, v)) {
				depth++;
				path[depth] = v, it[depth] = s->kfirst[d][v], pc[depth] = cv;
				continue;
			}
			n = 0;
			for (size_t x = 1; x <= depth; x++)
				nodes[n++] = path[x];
			nodes[n++] = v;
			memcpy(nodes + n, up, nup * sizeof *up);
			take_chain(s, d, (choice){cv, seq++}, nodes, n + nup);
		}
	}
	/* a and its chain down, the nodes above a up to v, a sibling of v and its chain down;
	 * v = a first (two sibling leaves), then up (a community alone in its district pairs
	 * with a community of the next district) */
	size_t own = 0;
	chain(s, d, s->dnext[d][a], nodes, &own);
	uint64_t ownc = s->dcost[d][a] - s->cost[cell];
	for (size_t v = a; v != root; v = s->par[d][v]) {
		size_t p = s->par[d][v];
		for (size_t k = s->kfirst[d][p]; k < s->kfirst[d][p + 1]; k++) {
			size_t sib = s->kids[d][k];
			if (sib == v)
				continue;
			n = own;
			chain(s, d, sib, nodes, &n);
			take_chain(s, d, (choice){ownc + s->dcost[d][sib], seq++}, nodes, n);
		}
		if (p != root) {
			nodes[own++] = p;
			ownc += s->cost[base + p * stride];
		}
	}
}

/* Completes the cheapest box through @cell with complements and marks its corners safe.
 * Returns false when there is none within the limits (a hierarchy too deep for them). */
static bool protect(sdc *s, size_t cell)
{
	for (size_t d = 0; d < s->D; d++) {
		s->a[d] = coord(s, cell, d);
		if (s->par[d])
			gather_hier(s, cell, d);
		else
			gather(s, cell, d);
	}
	s->corner[0] = cell;
	s->best = UINT64_MAX;
	s->budget = SEARCH_BUDGET;
	search(s, 0, 1, 0);
	if (s->best == UINT64_MAX)
		return false;
	s->corner[0] = cell;
	size_t nc = 1;
	for (size_t d = 0; d < s->D; d++)
		nc = extend(s, d, s->best_b[d], nc);
	for (size_t c = 0; c < nc; c++) {
		suppress_cell(s, s->corner[c]);
		s->safe[s->corner[c]] = 1;
	}
	return true;
}

/* ---- the exact check ------------------------------------------------------------------
 *
 * Before any box is added, finds the suppressed cells that are already safe: those on which
 * some table supported by the suppressed cells, summing to zero on every line, is non-zero.
 * Written with the signs above, every line's equation has coefficient 1 on each of its cells,
 * so the question is about the 0/1 matrix whose rows are lines and whose columns are the
 * suppressed cells: a cell is derivable exactly when its column is not a combination of the
 * others (it lies in every basis of the columns).
 *  1. A line with one suppressed cell left makes that cell derivable; such a cell drops out
 *     without changing the others' answer (no combination of columns could use it), which may
 *     leave another line with one.  Repeated until none.
 *  2. The rest splits into groups linked by sharing a line; each is solved alone.
 *  3. Per group, exact elimination over the integers (reduced row echelon form, rows kept
 *     divided by their greatest common divisor, every product checked for overflow), cut
 *     into slabs along the widest dimension so that no system is large (solve_group()).
 *     A group beyond the work allowed, or an intermediate value that would overflow, is
 *     treated as all derivable: those cells then get boxes, which is safe, only more
 *     suppression.
 */
#define EXACT_MAX_CELLS ((size_t)1 << 22)   /* tables larger than this: boxes only */
#define EXACT_WORK ((uint64_t)4 << 20)      /* elimination steps for one group */

static size_t root(size_t *parent, size_t x)
{
	while (parent[x] != x)
		x = parent[x] = parent[parent[x]];
	return x;
}

static int by_size(const void *x, const void *y)
{
	return YOUTH__CMP(*(const size_t *)x, *(const size_t *)y);
}

static size_t find_sorted(const size_t *v, size_t n, size_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int64_t gcd(int64_t a, int64_t b)
{
	a = a < 0 ? -a : a;
	b = b < 0 ? -b : b;
	while (b) {
		int64_t r = a % b;
		a = b;
		b = r;
	}
	return a;
}

/* Brings the @rows x @cols matrix @a to reduced row echelon form over the integers: each
 * pivot column is zero outside its row, rows are divided by the gcd of their entries.  Stores
 * the pivot column of each of the first *rank rows in @pc.  Returns false on overflow. */
static bool reduce(int64_t *a, size_t rows, size_t cols, size_t *pc, size_t *rank)
{
	size_t r = 0;
	for (size_t j = 0; j < cols && r < rows; j++) {
		size_t p = r;
		while (p < rows && a[p * cols + j] == 0)
			p++;
		if (p == rows)
			continue;
		for (size_t x = 0; p != r && x < cols; x++) {
			int64_t v = a[p * cols + x];
			a[p * cols + x] = a[r * cols + x];
			a[r * cols + x] = v;
		}
		const int64_t *pr = a + r * cols;
		for (size_t i = 0; i < rows; i++) {
			int64_t *row = a + i * cols, f = row[j], g = 0;
			if (i == r || f == 0)
				continue;
			for (size_t x = 0; x < cols; x++) {
				int64_t u, v;
				if (__builtin_mul_overflow(row[x], pr[j], &u) ||
				    __builtin_mul_overflow(pr[x], f, &v) ||
				    __builtin_sub_overflow(u, v, &row[x]))
					return false;
				if (g != 1)
					g = gcd(g, row[x]);
			}
			for (size_t x = 0; g > 1 && x < cols; x++)
				row[x] /= g;
		}
		pc[r++] = j;
	}
	*rank = r;
	return true;
}

/* The distinct lines of @cells (@nc) along the dimensions @d of @dims (a bit set), sorted;
 * returns how many, or SIZE_MAX when out of memory. */
static size_t lines_of(const sdc *s, const size_t *cells, size_t nc, unsigned dims,
                       size_t **out)
{
	size_t nl = 0, *lines = youth__malloc((2 * nc * s->D + 1) * sizeof *lines);
	if (!lines)
		return SIZE_MAX;
	for (size_t j = 0; j < nc; j++)
		for (size_t d = 0; d < s->D; d++)
			if (dims & (1u << d))
				nl += families(s, cells[j], d, lines + nl);
	qsort(lines, nl, sizeof *lines, by_size);
	size_t rows = 0;
	for (size_t i = 0; i < nl; i++)
		if (i == 0 || lines[i] != lines[i - 1])
			lines[rows++] = lines[i];
	*out = lines;
	return rows;
}

/* One slab of a group: its cells (a run of the group's cells sorted by slab) and the null
 * space of its local lines, one row of @null (@k entries) per cell. */
typedef struct slab {
	size_t first, nc; /* cells */
	size_t k, col;    /* null space dimension; its first column in the global matrix */
	int64_t *null;    /* nc x k */
} slab;

/* The null space of the local lines of slab @sl (cells @cells): integer vectors, one per
 * free column of the reduced local matrix.  Returns YOUTH_OK, YOUTH_ENOMEM, or 1 when too
 * large or on overflow (the group is then left to the boxes). */
static int slab_null(const sdc *s, const size_t *cells, slab *sl, unsigned local, uint64_t *work)
{
	size_t *lines = NULL, nc = sl->nc, rows = 0;
	if (local) {
		rows = lines_of(s, cells, nc, local, &lines);
		if (rows == SIZE_MAX)
			return youth__oom();
	}
	uint64_t w = (uint64_t)rows * nc * (rows < nc ? rows : nc) + nc * nc;
	if (w > *work) {
		youth__free(lines);
		return 1;
	}
	*work -= w;
	int64_t *a = youth__calloc(rows * nc + 1, sizeof *a);
	size_t *pc = youth__malloc((rows + 1) * sizeof *pc);
	unsigned char *is_pivot = youth__calloc(nc, 1);
	int rc = YOUTH_OK;
	if (!a || !pc || !is_pivot) {
		rc = youth__oom();
		goto out;
	}
	for (size_t j = 0; j < nc; j++)
		for (size_t d = 0; d < s->D; d++) {
			size_t f[2], nf = local & (1u << d) ? families(s, cells[j], d, f) : 0;
			for (size_t x = 0; x < nf; x++)
				a[find_sorted(lines, rows, f[x]) * nc + j] = 1;
		}
	size_t rank;
	if (!reduce(a, rows, nc, pc, &rank)) {
		rc = 1;
		goto out;
	}
	for (size_t r = 0; r < rank; r++)
		is_pivot[pc[r]] = 1;
	sl->k = nc - rank;
	sl->null = youth__calloc(nc * sl->k + 1, sizeof *sl->null);
	if (!sl->null) {
		rc = youth__oom();
		goto out;
	}
	/* free column f: x_f = the lcm of the pivots of the rows that use it, each pivot
	 * variable then an integer */
	for (size_t f = 0, v = 0; f < nc; f++) {
		if (is_pivot[f])
			continue;
		int64_t scale = 1;
		for (size_t r = 0; r < rank && rc == YOUTH_OK; r++) {
			int64_t p = a[r * nc + pc[r]], e = a[r * nc + f];
			p = p < 0 ? -p : p;
			if (e != 0 && __builtin_mul_overflow(scale / gcd(scale, p), p, &scale))
				rc = 1;
		}
		sl->null[f * sl->k + v] = scale;
		for (size_t r = 0; r < rank && rc == YOUTH_OK; r++) {
			int64_t e = a[r * nc + f];
			if (e != 0 && __builtin_mul_overflow(-e, scale / a[r * nc + pc[r]],
			                                     &sl->null[pc[r] * sl->k + v]))
				rc = 1;
		}
		v++;
	}
out:
	youth__free(is_pivot);
	youth__free(pc);
	youth__free(a);
	youth__free(lines);
	return rc;
}

static int by_key(const void *x, const void *y)
{
	return YOUTH__CMP(*(const uint64_t *)x, *(const uint64_t *)y);
}

/* Marks safe the cells of group @cells (@nc) that are not derivable.  Returns YOUTH_ENOMEM or
 * YOUTH_OK (also when the group is left to the boxes).
 *
 * The group is cut into slabs along its widest dimension W (the places of a places x sex x
 * age table): every line not along W lies in one slab.  The tables that vanish on every such
 * local line are, slab by slab, combinations of each slab's null vectors; the lines along W
 * (few: one per combination of the other indices) then leave those combinations z with
 * M z = 0, M having one row per line along W.  Cell i is derivable exactly when the value it
 * takes, a fixed linear form f_i of its slab's part of z, is the same (zero) on every such z,
 * that is when f_i lies in the row space of M: reduce f_i by M's rows in reduced echelon
 * form and see whether anything is left.  Eliminating this way costs the slabs' small systems
 * plus one system of few rows, where one system over all the group's cells would not fit
 * the time of a report. */
static int solve_group(sdc *s, const size_t *cells, size_t nc)
{
	size_t W = 0;
	for (size_t d = 1; d < s->D; d++)
		if (s->m[d] > s->m[W])
			W = d;
	unsigned local = ((1u << s->D) - 1) & ~(1u << W);
	uint64_t work = EXACT_WORK;
	uint64_t *key = youth__malloc(nc * sizeof *key);
	size_t *sorted = youth__malloc(nc * sizeof *sorted), *glines = NULL, *pc = NULL;
	slab *slabs = youth__calloc(nc, sizeof *slabs);
	int64_t *M = NULL, *g = NULL;
	unsigned char *derivable = youth__calloc(nc, 1);
	size_t nslabs = 0, K = 0, G = 0, rank = 0;
	int rc = YOUTH_OK;
	if (!key || !sorted || !slabs || !derivable) {
		rc = youth__oom();
		goto out;
	}
	/* the cells by slab, then by position */
	for (size_t i = 0; i < nc; i++)
		key[i] = (uint64_t)coord(s, cells[i], W) * s->n + cells[i];
	qsort(key, nc, sizeof *key, by_key);
	for (size_t i = 0; i < nc; i++) {
		sorted[i] = (size_t)(key[i] % s->n);
		if (i == 0 || key[i] / s->n != key[i - 1] / s->n)
			slabs[nslabs++].first = i;
		slabs[nslabs - 1].nc++;
	}
	G = lines_of(s, sorted, nc, 1u << W, &glines);
	if (G == SIZE_MAX) {
		rc = youth__oom();
		goto out;
	}
	/* K is at most nc, and usually about half: give up before the slabs' work when even
	 * half would not fit */
	if ((uint64_t)G * G * nc > 2 * work) {
		rc = 1;
		goto out;
	}
	for (size_t p = 0; p < nslabs && rc == YOUTH_OK; p++) {
		rc = slab_null(s, sorted + slabs[p].first, &slabs[p], local, &work);
		slabs[p].col = K;
		K += slabs[p].k;
	}
	if (rc != YOUTH_OK)
		goto out;
	uint64_t w = (uint64_t)G * K * (G < K ? G : K);
	if (w > work) {
		rc = 1;
		goto out;
	}
	work -= w;
	M = youth__calloc(G * K + 1, sizeof *M);
	pc = youth__malloc((G + 1) * sizeof *pc);
	g = youth__malloc((K + 1) * sizeof *g);
	if (!M || !pc || !g) {
		rc = youth__oom();
		goto out;
	}
	for (size_t p = 0; p < nslabs && rc == YOUTH_OK; p++)
		for (size_t i = 0; i < slabs[p].nc && rc == YOUTH_OK; i++) {
			size_t cell = sorted[slabs[p].first + i], f[2], nf = families(s, cell, W, f);
			for (size_t x = 0; x < nf; x++) {
				int64_t *row = M + find_sorted(glines, G, f[x]) * K + slabs[p].col;
				for (size_t j = 0; j < slabs[p].k && rc == YOUTH_OK; j++)
					if (__builtin_add_overflow(row[j], slabs[p].null[i * slabs[p].k + j],
					                           &row[j]))
						rc = 1;
			}
		}
	if (rc != YOUTH_OK || !reduce(M, G, K, pc, &rank)) {
		rc = 1;
		goto out;
	}
	/* the pivots of M's rows fall in increasing columns, so in increasing slabs */
	for (size_t p = 0, r = 0; p < nslabs && rc == YOUTH_OK; p++) {
		size_t end = slabs[p].col + slabs[p].k, r0 = r;
		while (r < rank && pc[r] < end)
			r++;
		for (size_t i = 0; i < slabs[p].nc && rc == YOUTH_OK; i++) {
			const int64_t *f = slabs[p].null + i * slabs[p].k;
			bool zero = true;
			for (size_t j = 0; j < slabs[p].k && zero; j++)
				zero = f[j] == 0;
			if (zero) {
				derivable[slabs[p].first + i] = 1;
				continue;
			}
			if (r == r0)
				continue; /* no row of M reaches this slab: nothing fixes f_i */
			if (work < (uint64_t)(r - r0) * K) {
				rc = 1;
				break;
			}
			work -= (uint64_t)(r - r0) * K;
			memset(g, 0, K * sizeof *g);
			memcpy(g + slabs[p].col, f, slabs[p].k * sizeof *g);
			for (size_t q = r0; q < r && rc == YOUTH_OK; q++) {
				const int64_t *R = M + q * K;
				int64_t e = g[pc[q]], h = 0;
				for (size_t x = 0; e != 0 && x < K && rc == YOUTH_OK; x++) {
					int64_t u, v;
					if (__builtin_mul_overflow(g[x], R[pc[q]], &u) ||
					    __builtin_mul_overflow(R[x], e, &v) ||
					    __builtin_sub_overflow(u, v, &g[x]))
						rc = 1;
					if (h != 1)
						h = gcd(h, g[x]);
				}
				for (size_t x = 0; e != 0 && h > 1 && x < K; x++)
					g[x] /= h;
			}
			bool left = false;
			for (size_t x = 0; x < K && !left; x++)
				left = g[x] != 0;
			derivable[slabs[p].first + i] = !left;
		}
	}
	if (rc == YOUTH_OK)
		for (size_t i = 0; i < nc; i++)
			if (!derivable[i])
				s->safe[sorted[i]] = 1;
out:
	for (size_t p = 0; slabs && p < nslabs; p++)
		youth__free(slabs[p].null);
	youth__free(g);
	youth__free(pc);
	youth__free(M);
	youth__free(glines);
	youth__free(derivable);
	youth__free(slabs);
	youth__free(sorted);
	youth__free(key);
	return rc < 0 ? rc : YOUTH_OK;
}

/* Marks safe every suppressed cell that is not derivable from the shown ones. */
static int exact_check(sdc *s)
{
	if (s->n > EXACT_MAX_CELLS)
		return YOUTH_OK;
	size_t nlines = s->D * s->n, n = s->n;
	uint32_t *left = youth__calloc(nlines, sizeof *left);
	size_t *stack = youth__malloc(nlines * sizeof *stack);
	size_t *parent = youth__malloc(n * sizeof *parent);
	size_t *order = youth__malloc(n * sizeof *order);
	unsigned char *alive = youth__malloc(n);
	int rc = YOUTH_OK;
	if (!left || !stack || !parent || !order || !alive) {
		rc = youth__oom();
		goto out;
	}
	for (size_t c = 0; c < n; c++) {
		alive[c] = s->flag[c] != YOUTH__SDC_SHOWN;
		parent[c] = c;
		for (size_t d = 0; d < s->D && alive[c]; d++) {
			size_t f[2], nf = families(s, c, d, f);
			for (size_t x = 0; x < nf; x++)
				left[f[x]]++;
		}
	}
	/* 1. peel */
	size_t top = 0;
	for (size_t l = 0; l < nlines; l++)
		if (left[l] == 1)
			stack[top++] = l;
	while (top > 0) {
		size_t l = stack[--top], d = l / n, c = SIZE_MAX, o;
		if (left[l] != 1)
			continue;
		for (size_t i = 0; c == SIZE_MAX && (o = member(s, d, l, i)) != SIZE_MAX; i++)
			if (alive[o])
				c = o;
		alive[c] = 0;
		for (size_t e = 0; e < s->D; e++) {
			size_t f[2], nf = families(s, c, e, f);
			for (size_t x = 0; x < nf; x++)
				if (--left[f[x]] == 1)
					stack[top++] = f[x];
		}
	}
	/* 2. groups: the cells of a line with two or more left are one group */
	for (size_t l = 0; l < nlines; l++) {
		if (left[l] < 2)
			continue;
		size_t d = l / n, head = SIZE_MAX, o;
		for (size_t i = 0; (o = member(s, d, l, i)) != SIZE_MAX; i++) {
			if (!alive[o])
				continue;
			if (head == SIZE_MAX)
				head = root(parent, o);
			else
				parent[root(parent, o)] = head;
		}
	}
	/* a counting sort: groups in the order of their first cell, cells ascending in each
	 * (left[] is free again: it numbers the groups by their root) */
	size_t ngroups = 0;
	for (size_t c = 0; c < n; c++)
		left[c] = UINT32_MAX;
	for (size_t c = 0; c < n; c++) {
		if (!alive[c])
			continue;
		size_t r = root(parent, c);
		if (left[r] == UINT32_MAX) {
			left[r] = (uint32_t)ngroups;
			stack[ngroups++] = 0;
		}
		stack[left[r]]++;
	}
	for (size_t g = 0, at = 0; g < ngroups; g++) {
		size_t size = stack[g];
		stack[g] = at;
		at += size;
	}
	for (size_t c = 0; c < n; c++)
		if (alive[c])
			order[stack[left[root(parent, c)]]++] = c;
	for (size_t g = 0, at = 0; g < ngroups && rc == YOUTH_OK; g++) {
		rc = solve_group(s, order + at, stack[g] - at);
		at = stack[g];
	}
out:
	youth__free(alive);
	youth__free(order);
	youth__free(parent);
	youth__free(stack);
	youth__free(left);
	return rc;
}

/* ---- dropping complements that turned out unnecessary -------------------------------------
 *
 * A box chosen early may be made redundant by boxes chosen later (their cells, with it, form
 * other circuits).  Each complement is tried shown, the most costly first, and stays shown
 * when the exact check still finds every suppressed cell safe.  A trial costs a whole check
 * (some 0.1 ms on a table of a hundred cells, milliseconds on a national one), so only tables
 * of up to PRUNE_MAX_CELLS cells are pruned, with at most PRUNE_WORK cells checked in all.
 * Never less safe: a check that gives up keeps the complement.
 */
#define PRUNE_MAX_CELLS 1024
#define PRUNE_WORK ((uint64_t)1 << 15)

/* Whether a family of @cell has two suppressed cells (@cell and one other). */
static bool family_of_two(const sdc *s, size_t cell)
{
	for (size_t d = 0; d < s->D; d++) {
		size_t f[2], nf = families(s, cell, d, f);
		for (size_t x = 0; x < nf; x++) {
			size_t in = 0, o;
			for (size_t i = 0; (o = member(s, d, f[x], i)) != SIZE_MAX; i++)
				in += s->flag[o] != YOUTH__SDC_SHOWN;
			if (in == 2)
				return true;
		}
	}
	return false;
}

static int by_cost_down(const void *x, const void *y)
{
	const choice *a = x, *b = y;
	return a->cost != b->cost ? YOUTH__CMP(b->cost, a->cost) : YOUTH__CMP(a->index, b->index);
}

static int prune(sdc *s)
{
	size_t nc = 0;
	for (size_t c = 0; c < s->n; c++)
		nc += s->flag[c] == YOUTH__SDC_COMPLEMENT;
	if (nc == 0 || s->n > PRUNE_MAX_CELLS)
		return YOUTH_OK;
	choice *order = youth__malloc(nc * sizeof *order);
	if (!order)
		return youth__oom();
	nc = 0;
	for (size_t c = 0; c < s->n; c++)
		if (s->flag[c] == YOUTH__SDC_COMPLEMENT)
			order[nc++] = (choice){count_cost(s, c) == 0 ? 0 : (uint64_t)s->count[c], c};
	qsort(order, nc, sizeof *order, by_cost_down);
	int rc = YOUTH_OK;
	uint64_t budget = PRUNE_WORK;
	for (size_t i = 0; i < nc && rc == YOUTH_OK && budget >= s->n; i++) {
		size_t c = order[i].index;
		/* a line left with one suppressed cell would give it away: no need to check */
		if (family_of_two(s, c))
			continue;
		budget -= s->n;
		s->flag[c] = YOUTH__SDC_SHOWN;
		memset(s->safe, 0, s->n);
		rc = exact_check(s);
		bool all = true;
		for (size_t e = 0; e < s->n && all; e++)
			all = s->flag[e] == YOUTH__SDC_SHOWN || s->safe[e];
		if (!all)
			s->flag[c] = YOUTH__SDC_COMPLEMENT;
	}
	youth__free(order);
	return rc;
}

/* Takes the hierarchy @parent of dimension @d (see private_sdc.h): checks that it is a tree
 * under the total, builds the children lists and the order deepest first.  One whose every
 * node is a part of the total is the flat dimension, and treated as such (the same flags). */
static int hierarchy(sdc *s, size_t d, const size_t *parent)
{
	size_t m = s->m[d], root = m - 1;
	bool flat = true;
	for (size_t i = 0; parent && i < root; i++) {
		if (parent[i] == i || parent[i] > root)
			return youth__error(YOUTH_EINVAL, NULL,
			                    "disclosure control: node %zu of dimension %zu has parent "
			                    "%zu, not another node (at most %zu, the total)",
			                    i, d, parent[i], root);
		flat = flat && parent[i] == root;
	}
	if (!parent || flat)
		return YOUTH_OK;
	s->kfirst[d] = youth__calloc(m + 1, sizeof(size_t));
	s->kids[d] = youth__malloc(m * sizeof(size_t));
	s->order[d] = youth__malloc(m * sizeof(size_t));
	s->dcost[d] = youth__malloc(m * sizeof(uint64_t));
	s->dnext[d] = youth__malloc(m * sizeof(size_t));
	s->shift[d] = youth__malloc(m);
	size_t *depth = youth__calloc(m, sizeof(size_t));
	size_t bydepth[YOUTH__SDC_MAXDEPTH + 2] = {0};
	int rc = YOUTH_OK;
	if (!s->kfirst[d] || !s->kids[d] || !s->order[d] || !s->dcost[d] || !s->dnext[d] ||
	    !s->shift[d] || !depth) {
		rc = youth__oom();
		goto out;
	}
	/* the depth of every node by walking up, which also finds a cycle (no end) */
	for (size_t i = 0; i < root; i++) {
		size_t v = i;
		while (v != root && depth[i] <= YOUTH__SDC_MAXDEPTH) {
			v = parent[v];
			depth[i]++;
		}
		if (v != root) {
			rc = youth__error(YOUTH_EINVAL, NULL,
			                  "disclosure control: node %zu of dimension %zu is not under the "
			                  "total within %d levels",
			                  i, d, YOUTH__SDC_MAXDEPTH);
			goto out;
		}
	}
	/* counting sorts: each group's children ascending; the nodes deepest first */
	for (size_t i = 0; i < root; i++)
		s->kfirst[d][parent[i] + 1]++;
	for (size_t g = 0; g < m; g++)
		s->kfirst[d][g + 1] += s->kfirst[d][g];
	size_t *fill = s->dnext[d]; /* free until the first box search */
	memcpy(fill, s->kfirst[d], m * sizeof *fill);
	for (size_t i = 0; i < root; i++)
		s->kids[d][fill[parent[i]]++] = i;
	for (size_t i = 0; i < m; i++)
		bydepth[YOUTH__SDC_MAXDEPTH - depth[i]]++;
	for (size_t x = 0, at = 0; x < YOUTH__SDC_MAXDEPTH + 1; x++) {
		size_t nx = bydepth[x];
		bydepth[x] = at;
		at += nx;
	}
	for (size_t i = 0; i < m; i++)
		s->order[d][bydepth[YOUTH__SDC_MAXDEPTH - depth[i]]++] = i;
	size_t deepest = depth[s->order[d][0]];
	for (size_t i = 0; i < m; i++)
		s->shift[d][i] = (unsigned char)(LEVEL_SHIFT * (deepest - depth[i]));
	s->par[d] = parent;
	s->hier = true;
out:
	youth__free(depth);
	return rc;
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
	/* From here on a failure leaves every cell suppressed, so that a caller that publishes
	 * the table anyway publishes nothing. */
	char name[YOUTH__SDC_MAXDIMS * 24 + 4];
	int rc = YOUTH_OK;
	for (size_t d = 0; d < s.D && rc == YOUTH_OK; d++)
		rc = hierarchy(&s, d, t->parent[d]);
	if (rc == YOUTH_OK)
		rc = check_input(&s);
	if (rc != YOUTH_OK)
		goto out;
	memset(t->flag, YOUTH__SDC_SHOWN, n);
	bool any = false;
	for (size_t c = 0; c < n; c++)
		if (t->count[c] > 0 && t->count[c] < k) {
			t->flag[c] = YOUTH__SDC_PRIMARY;
			any = true;
		}
	/* With no dimension there is no equation: a suppressed grand total stays hidden. */
	if (!any || s.D == 0)
		goto out;

	s.safe = youth__calloc(n, 1);
	s.cost = youth__malloc(n * sizeof *s.cost);
	rc = s.safe && s.cost ? YOUTH_OK : youth__oom();
	for (size_t d = 0; d < s.D && rc == YOUTH_OK; d++) {
		if (s.m[d] <= WIDE || s.par[d])
			continue;
		s.top[d] = youth__malloc(n / s.m[d] * (CHOICES + 1) * sizeof *s.top[d]);
		s.ntop[d] = youth__malloc(n / s.m[d]);
		if (!s.top[d] || !s.ntop[d])
			rc = youth__oom();
		else
			memset(s.ntop[d], NO_TOP, n / s.m[d]);
	}
	for (size_t c = 0; c < n && rc == YOUTH_OK; c++)
		s.cost[c] = count_cost(&s, c);
	if (rc == YOUTH_OK)
		rc = exact_check(&s);
	for (size_t c = 0; c < n && rc == YOUTH_OK; c++)
		if (t->flag[c] != YOUTH__SDC_SHOWN && !s.safe[c] && !protect(&s, c)) {
			cell_name(&s, c, name, sizeof name);
			rc = youth__error(YOUTH_EINVAL, NULL, "disclosure control: no box protects cell "
			                  "%s within %zu corners", name, MAXCORNERS);
		}
	if (rc == YOUTH_OK)
		rc = prune(&s);
	youth__free(s.cost);
	youth__free(s.safe);
out:
	for (size_t d = 0; d < s.D; d++) {
		youth__free(s.top[d]);
		youth__free(s.ntop[d]);
		youth__free(s.kfirst[d]);
		youth__free(s.kids[d]);
		youth__free(s.order[d]);
		youth__free(s.shift[d]);
		youth__free(s.dcost[d]);
		youth__free(s.dnext[d]);
	}
	if (rc != YOUTH_OK)
		memset(t->flag, YOUTH__SDC_COMPLEMENT, n);
	return rc;
}
