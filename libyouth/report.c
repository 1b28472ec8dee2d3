/*
 * The report engine: indicator definitions (indicator.c) -> one scan per kind of record ->
 * cells of every indicator over the lattice of the chosen dimensions, margins included ->
 * disclosure control (sdc.c) -> the report object, its accessors and its writers.
 *
 * Why one pass in C rather than one GROUP BY per indicator: every indicator of a kind is
 * evaluated on the same rows, so each table is read once whatever the number of indicators,
 * and a person's cell coordinates (place at the chosen level, sex, age band) are computed
 * once, from a scan of the covering index person(place_id, sex, birth_date), into an array
 * indexed by the person's key.  Distinct persons are counted with one bit per person and
 * indicator.  docs/indicators.md gives the counting rules; docs/benchmarks.md the figures.
 */
#include "private_report.h"
#include "private_sdc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXDIMS YOUTH__SDC_MAXDIMS
/* Rows x indicators of one report, beyond which the caller is asking for something else. */
#define MAX_CELLS ((size_t)10 * 1000 * 1000)
#define NONE UINT32_MAX

enum dim_kind { D_LEVEL, D_SEX, D_AGE, D_EXCHANGE, D_PROGRAMME, D_WINDOW, D_COURSE, D_MONTH,
                D_QUARTER, D_YEAR };

static const char *const dim_names[] = {"", "sex", "age_band", "exchange", "programme",
                                        "window", "course", "month", "quarter", "year"};

static const char *const programmes[] = {YOUTH_PROGRAMME_COUNSELLING, YOUTH_PROGRAMME_VOCATIONAL,
                                         YOUTH_PROGRAMME_SCHOLARSHIP,
                                         YOUTH_PROGRAMME_SEED_CAPITAL,
                                         YOUTH_PROGRAMME_FEMALE_WINDOW};
#define N_PROGRAMMES (sizeof programmes / sizeof programmes[0])

#define MAXLEVELS 8

typedef struct rdim {
	int kind;
	int level;          /* D_LEVEL: the deepest level */
	int levels[MAXLEVELS]; /* D_LEVEL: every level, the top first (one: a flat dimension) */
	size_t nlevels;
	size_t *parent;     /* a hierarchy (nlevels > 1): each category's parent category, n for
	                     * the top ones; categories in path order, each group before its parts */
	unsigned char *depth; /* a hierarchy: each category's depth (0 for the top level) */
	char *name, *label;
	size_t n;           /* categories, without the margin */
	char **labels, **keys;
	bool per_record;    /* the category comes from the record, not from its person */
	uint32_t *by_id;    /* exchange, course or place id -> category (NONE) */
	size_t n_by_id;
	int64_t first;      /* period: number of the first category */
} rdim;

struct youth_report {
	size_t ndims;
	rdim dims[MAXDIMS];
	size_t nind;
	youth_indicator_info *ind; /* strings in defs */
	youth__rdefs defs;
	size_t nrows;
	youth_report_cell *cells;  /* nrows x nind */
	int64_t k;
	bool internal;
	char at[YOUTH_DATE_LEN + 1];
};

/* ---- small helpers --------------------------------------------------------------------- */

/* "YYYY-MM-DD" -> yyyymmdd; 0 for NULL or a malformed text (stored dates are checked on the
 * way in, so this is a fast path, not a validator). */
static int32_t ymd(const unsigned char *s)
{
	if (!s)
		return 0;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	return (s[0] - '0') * 10000000 + (s[1] - '0') * 1000000 + (s[2] - '0') * 100000 +
	       (s[3] - '0') * 10000 + (s[5] - '0') * 1000 + (s[6] - '0') * 100 + (s[8] - '0') * 10 +
	       (s[9] - '0');
}

/* Age in whole years at @at of someone born on @birth (both yyyymmdd); 29 February birthdays
 * come on 1 March in common years, as youth_age_at() has it. */
static int age_at(int32_t birth, int32_t at)
{
	return (at - birth) / 10000;
}

static int sql_error(youth_registry *reg, int s, const char *what)
{
	return youth__sqlite_error(reg->db, s, what);
}

/* Arrays are indexed by record keys: a key beyond 2^31 (never given by SQLite's rowids to a
 * registry filled through libyouth, but possible in a crafted file) is refused rather than
 * allocated for. */
#define MAX_KEY ((int64_t)INT32_MAX)

static int key_limit(int64_t max, const char *table, size_t *out)
{
	if (max < 0 || max > MAX_KEY)
		return youth__error(YOUTH_ELIMIT, NULL,
		                    "%s: record key %lld beyond what a report indexes (%lld)", table,
		                    (long long)max, (long long)MAX_KEY);
	*out = (size_t)max + 1;
	return YOUTH_OK;
}

/* ---- options -------------------------------------------------------------------------- */

typedef struct bands {
	int lo[16], hi[16];
	size_t n;
} bands;

static int parse_bands(bands *b, const char *text)
{
	const char *p = text;
	b->n = 0;
	while (*p) {
		int lo, hi, used = 0;
		while (*p == ' ')
			p++;
		if (sscanf(p, "%3d-%3d%n", &lo, &hi, &used) != 2 || used == 0 || lo < 0 || hi < lo ||
		    hi > 150)
			return youth__error(YOUTH_EINVAL, "age_bands",
			                    "age_bands \"%.60s\": expected ranges like 16-17,18-20 (whole "
			                    "years 0-150, low-high), at \"%.20s\"",
			                    text, p);
		if (b->n && lo <= b->hi[b->n - 1])
			return youth__error(YOUTH_EINVAL, "age_bands",
			                    "age_bands \"%.60s\": %d-%d overlaps or precedes the band before "
			                    "it (bands are disjoint, in increasing order)",
			                    text, lo, hi);
		if (b->n == 15)
			return youth__error(YOUTH_EINVAL, "age_bands", "age_bands: more than 15 bands");
		b->lo[b->n] = lo;
		b->hi[b->n++] = hi;
		p += used;
		while (*p == ' ')
			p++;
		if (*p == ',')
			p++;
		else if (*p)
			return youth__error(YOUTH_EINVAL, "age_bands",
			                    "age_bands \"%.60s\": expected ',' at \"%.20s\"", text, p);
	}
	if (b->n == 0)
		return youth__error(YOUTH_EINVAL, "age_bands", "age_bands: no band given");
	return YOUTH_OK;
}

static int band_of(const bands *b, int age)
{
	for (size_t i = 0; i < b->n; i++)
		if (age >= b->lo[i] && age <= b->hi[i])
			return (int)i;
	return (int)b->n; /* other */
}

/* ---- the computation's state ------------------------------------------------------------ */


/* One indicator computed from records: a count or a sum over a lattice of the dimensions
 * along which it varies. */
typedef struct rbase {
	const youth__rdef *def;
	const youth__rsource *src;
	unsigned app;            /* dimensions of the report it varies along (bit d) */
	size_t nd;
	size_t dim[MAXDIMS];     /* report dimension of each of its own */
	size_t size[MAXDIMS];
	size_t stride[MAXDIMS];
	size_t ncells;
	int64_t *count;          /* persons or records (for a sum: the persons, or with
	                          * record-level dimensions the records, it adds up) */
	int64_t *sum;
	unsigned char *flag;     /* YOUTH__SDC_* of count */
	uint8_t *seen;           /* persons counted (bit per person) */
	int32_t *first_date;     /* persons with record-level dimensions: their first record */
	uint32_t *first_cell;    /*   and its record-level part of the cell index */
	bool per_record;         /* any of its dimensions comes from the record */
	uint32_t *poff;          /* person cell (ctx.pcell) -> its part of the cell index */
	size_t rdim[MAXDIMS];    /* its own dimensions that come from the record */
	size_t nrd;
	size_t op[2];            /* ratio, difference: the bases of its operands */
	/* columns of the scan */
	int c_date, c_sum;
	int scan;                /* which scan reads it */
} rbase;

typedef struct rcols {
	char *expr[64];
	int type[64]; /* 0 int, 1 date, 2 text */
	int n;
} rcols;

typedef struct rscan {
	const youth__rsource *src;
	bool latest;
	rcols cols;
	int c_person, c_group, c_exchange, c_course, c_window;
	/* person scan only */
	int c_place, c_sex, c_birth, c_round;
	size_t *bases; /* the bases it feeds */
	size_t nbases;
} rscan;

/* The parent's columns of a scan, read once into arrays indexed by the parent's key: the
 * parents (sessions, cohorts, scholarships, plans) are few beside their children, and a join
 * would seek into the parent table for every child row. */
typedef struct parent_cols {
	int64_t *v;        /* [id * n + j] */
	uint8_t *null;
	size_t n_ids, n;
	int col[64];       /* column of the scan of parent column j */
	char *key;         /* the parent table and columns, for reuse by another scan */
} parent_cols;

typedef struct ctx {
	youth_registry *reg;
	const youth_report_options *o;
	youth_report *r;
	bands bands;
	int32_t at, from, to;
	bool age_at_service;
	/* Each person's cell over the person-level dimensions (place levels, sex, age band at
	 * the reference date), NONE for no such person or one the filters leave out: 4 bytes a
	 * person, so the array stays in cache better than a struct would. */
	uint32_t *pcell;
	int32_t *birth;   /* yyyymmdd, only for ages at the service date */
	size_t n_persons; /* max id + 1 */
	size_t npd, pdim[MAXDIMS], pstride[MAXDIMS], pcells;
	/* group id -> members (person ids), ordered by member id */
	size_t *grp_start;
	int64_t *grp_members;
	size_t n_groups;
	rbase *bases;
	size_t nbases;
	rscan scans[32];
	size_t nscans;
	int place_dim, sex_dim, age_dim; /* report dimension, or -1 */
	int64_t place_filter;            /* place id, or 0 */
	uint8_t *in_place;               /* place id -> inside the filter */
	parent_cols parents[8];          /* read by load_parent(), kept for the next scan */
	size_t n_parents;
	size_t n_places;
} ctx;

/* ---- dimensions ----------------------------------------------------------------------- */

/* Frees each of the @n blocks of @owned: the structures below own many arrays each, listed
 * once in a table rather than freed line by line. */
static void free_all(void *const *owned, size_t n)
{
	for (size_t i = 0; i < n; i++)
		youth__free(owned[i]);
}

static void dim_free(rdim *d)
{
	for (size_t i = 0; i < d->n; i++) {
		youth__free(d->labels ? d->labels[i] : NULL);
		youth__free(d->keys ? d->keys[i] : NULL);
	}
	void *const owned[] = {d->labels, d->keys, d->name, d->label, d->by_id, d->parent, d->depth};
	free_all(owned, YOUTH__N_OF(owned));
	memset(d, 0, sizeof *d);
}

static int dim_add(rdim *d, const char *key, const char *label)
{
	char **k = youth__realloc(d->keys, (d->n + 1) * sizeof *k);
	if (!k)
		return youth__oom();
	d->keys = k;
	char **l = youth__realloc(d->labels, (d->n + 1) * sizeof *l);
	if (!l)
		return youth__oom();
	d->labels = l;
	k[d->n] = youth__strdup(key);
	l[d->n] = youth__strdup(label ? label : key);
	if (!k[d->n] || !l[d->n]) {
		youth__free(k[d->n]);
		youth__free(l[d->n]);
		return youth__oom();
	}
	d->n++;
	return YOUTH_OK;
}

static int map_id(rdim *d, int64_t id, uint32_t cat)
{
	if (id <= 0)
		return YOUTH_OK;
	if (id > MAX_KEY)
		return youth__error(YOUTH_ELIMIT, "by", "%s: record key %lld beyond what a report "
		                    "indexes", d->name, (long long)id);
	if ((size_t)id >= d->n_by_id) {
		size_t n = (size_t)id * 2 + 16;
		uint32_t *m = youth__realloc(d->by_id, n * sizeof *m);
		if (!m)
			return youth__oom();
		for (size_t i = d->n_by_id; i < n; i++)
			m[i] = NONE;
		d->by_id = m;
		d->n_by_id = n;
	}
	d->by_id[id] = cat;
	return YOUTH_OK;
}

static uint32_t lookup(const rdim *d, int64_t id)
{
	return id > 0 && (size_t)id < d->n_by_id ? d->by_id[id] : NONE;
}

static int dim_row(void *vd, sqlite3_stmt *st)
{
	rdim *d = vd;
	const char *key = (const char *)sqlite3_column_text(st, 1);
	const char *label = (const char *)sqlite3_column_text(st, 2);
	int rc = map_id(d, sqlite3_column_int64(st, 0), (uint32_t)d->n);
	return rc ? rc : dim_add(d, key ? key : "", label);
}

/* Categories from a query of (id, key, label) rows. */
static int dim_from_sql(youth_registry *reg, rdim *d, const char *sql)
{
	return youth__query_each(reg->db, sql, "reading the categories of a report", NULL, 0,
	                         dim_row, d);
}

/* Reads the gazetteer: every place's parent and level by id (*@up and *@level, @n entries; -1
 * and 0 for an id that is no place), and adds to @d the places of the @nlevels @levels, in
 * path order, mapping their ids to their categories. */
static int read_places(ctx *c, rdim *d, const int *levels, size_t nlevels, int64_t **up,
                       int **level, size_t *n)
{
	sqlite3_stmt *st;
	int s, rc = youth__prepare(&st, c->reg->db,
	                           "SELECT id, parent_id, level, path, name FROM place ORDER BY path",
	                           "reading the gazetteer");
	if (rc)
		return rc;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (id <= 0 || id > MAX_KEY) {
			rc = youth__error(YOUTH_ELIMIT, "by", "place %lld: a key beyond what a report "
			                  "indexes", (long long)id);
			break;
		}
		if ((size_t)id >= *n) {
			size_t nn = (size_t)id * 2 + 64;
			int64_t *p = youth__realloc(*up, nn * sizeof *p);
			int *l = p ? youth__realloc(*level, nn * sizeof *l) : NULL;
			if (p)
				*up = p;
			if (!l) {
				rc = youth__oom();
				break;
			}
			*level = l;
			for (size_t i = *n; i < nn; i++)
				(*up)[i] = -1, (*level)[i] = 0;
			*n = nn;
		}
		(*up)[id] = sqlite3_column_int64(st, 1);
		int lv = (*level)[id] = sqlite3_column_int(st, 2);
		bool chosen = false;
		for (size_t k = 0; k < nlevels; k++)
			chosen = chosen || levels[k] == lv;
		if (chosen && (rc = map_id(d, id, (uint32_t)d->n)) == YOUTH_OK)
			rc = dim_add(d, (const char *)sqlite3_column_text(st, 3),
			             (const char *)sqlite3_column_text(st, 4));
	}
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = sql_error(c->reg, s, "reading the gazetteer");
	sqlite3_finalize(st);
	return rc;
}

/* Places of @level, and every place's ancestor at that level. */
static int dim_places(ctx *c, rdim *d)
{
	int64_t *parent = NULL;
	int *level = NULL;
	size_t n = 0;
	int rc = read_places(c, d, &d->level, 1, &parent, &level, &n), s;
	/* A place below the level falls in its ancestor's category; above it, in none. */
	bool above = false;
	for (size_t id = 1; rc == YOUTH_OK && id < n; id++) {
		if (!level[id] || level[id] == d->level)
			continue;
		int64_t a = (int64_t)id;
		while (a > 0 && (size_t)a < n && level[a] > d->level)
			a = parent[a];
		uint32_t cat = a > 0 && (size_t)a < n && level[a] == d->level ? lookup(d, a) : NONE;
		if (cat == NONE)
			above = true;
		rc = map_id(d, (int64_t)id, cat);
	}
	youth__free(parent);
	youth__free(level);
	if (rc == YOUTH_OK && above) {
		/* Persons recorded at a place above the level (a department only) get a category of
		 * their own, so that the categories still add up to the total. */
		sqlite3_stmt *q;
		s = sqlite3_prepare_v2(c->reg->db,
		                       "SELECT 1 FROM person WHERE place_id IN (SELECT id FROM place "
		                       "WHERE level < ?) LIMIT 1",
		                       -1, &q, NULL);
		if (s != SQLITE_OK)
			return sql_error(c->reg, s, "reading the census");
		sqlite3_bind_int(q, 1, d->level);
		s = sqlite3_step(q);
		sqlite3_finalize(q);
		if (s == SQLITE_ROW) {
			char label[120];
			snprintf(label, sizeof label, "(no %s)", d->label);
			uint32_t cat = (uint32_t)d->n;
			rc = dim_add(d, "", label);
			for (size_t id = 1; rc == YOUTH_OK && id < d->n_by_id; id++)
				if (d->by_id[id] == NONE)
					d->by_id[id] = cat;
		} else if (s != SQLITE_DONE) {
			rc = sql_error(c->reg, s, "reading the census");
		}
	}
	return rc;
}

/* Whether a person is recorded at place @id (the index person(place_id, ...) answers). */
static int anyone_at(ctx *c, sqlite3_stmt *q, int64_t id, bool *out)
{
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, id);
	int s = sqlite3_step(q);
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		return sql_error(c->reg, s, "reading the census");
	*out = s == SQLITE_ROW;
	return YOUTH_OK;
}

/* The places of every level of a hierarchical dimension, each group (a municipality) followed
 * by its parts (its districts, each followed by its communities), in path order.  Persons
 * count at the leaves: a person recorded at a group itself, or above the top level, falls in
 * a leaf "(no <level below>)" made for them, so that every group is the sum of its parts. */
static int dim_place_tree(ctx *c, rdim *d)
{
	sqlite3_stmt *q = NULL;
	int64_t *up = NULL; /* place id -> parent place id */
	int *lv = NULL;
	size_t n = 0;       /* place ids */
	rdim tmp;           /* the categories in path order */
	memset(&tmp, 0, sizeof tmp);
	int rc = read_places(c, &tmp, d->levels, d->nlevels, &up, &lv, &n), s;
	/* category -> place id */
	int64_t *cat_id = rc == YOUTH_OK ? youth__malloc((tmp.n + 1) * sizeof *cat_id) : NULL;
	if (rc == YOUTH_OK && !cat_id)
		rc = youth__oom();
	for (size_t id = 1; rc == YOUTH_OK && id < n; id++)
		if (lookup(&tmp, (int64_t)id) != NONE)
			cat_id[lookup(&tmp, (int64_t)id)] = (int64_t)id;
	size_t m = tmp.n;
	/* per category (path order): parent category (NONE: top), depth, first child, next
	 * sibling, whether persons need a leaf of their own under it; one more entry for the
	 * top */
	uint32_t *par = youth__malloc((m + 1) * sizeof *par);
	uint32_t *kid = youth__malloc((m + 1) * sizeof *kid), *next = youth__malloc((m + 1) * sizeof *next);
	uint32_t *last = youth__malloc((m + 1) * sizeof *last), *stack = youth__malloc(2 * (m + 1) * sizeof *stack);
	unsigned char *own = youth__calloc(m + 1, 1), *dep = youth__calloc(m + 1, 1);
	uint32_t *newcat = youth__malloc((m + 1) * sizeof *newcat);
	uint32_t *synth = youth__malloc((m + 1) * sizeof *synth);
	if (rc == YOUTH_OK && (!par || !kid || !next || !last || !stack || !own || !dep || !newcat ||
	                       !synth))
		rc = youth__oom();
	/* the nearest chosen place above place @id, or NONE */
#define ABOVE(id, out)                                                                         \
	do {                                                                                   \
		int64_t a_ = up[id];                                                           \
		size_t steps_ = 0;                                                             \
		while (a_ > 0 && (size_t)a_ < n && lookup(&tmp, a_) == NONE && steps_++ < n)           \
			a_ = up[a_];                                                           \
		(out) = a_ > 0 && (size_t)a_ < n ? lookup(&tmp, a_) : NONE;                            \
	} while (0)
	for (size_t i = 0; rc == YOUTH_OK && i <= m; i++)
		kid[i] = next[i] = last[i] = NONE;
	for (size_t i = 0; rc == YOUTH_OK && i < m; i++) {
		uint32_t p;
		ABOVE(cat_id[i], p);
		par[i] = p;
		uint32_t g = p == NONE ? (uint32_t)m : p;
		if (kid[g] == NONE)
			kid[g] = (uint32_t)i;
		else
			next[last[g]] = (uint32_t)i;
		last[g] = (uint32_t)i;
	}
	/* persons at a group, or at a place whose nearest chosen place is a group or none */
	if (rc == YOUTH_OK) {
		s = sqlite3_prepare_v2(c->reg->db, "SELECT 1 FROM person WHERE place_id = ? LIMIT 1",
		                       -1, &q, NULL);
		if (s != SQLITE_OK)
			rc = sql_error(c->reg, s, "reading the census");
	}
	for (size_t id = 1; rc == YOUTH_OK && id < n; id++) {
		uint32_t v = lookup(&tmp, (int64_t)id);
		if (up[id] < 0)
			continue; /* no such place */
		if (v == NONE)
			ABOVE(id, v);
		uint32_t g = v == NONE ? (uint32_t)m : v;
		if ((g < m && kid[g] == NONE) || own[g])
			continue; /* a leaf, or its own leaf already needed */
		bool any = false;
		rc = anyone_at(c, q, (int64_t)id, &any);
		own[g] = any;
	}
	sqlite3_finalize(q);
	/* the final order: depth first from the top, each group's own leaf after its parts */
	size_t out = 0, top = 0;
	if (rc == YOUTH_OK) {
		d->parent = youth__malloc((m + m + 2) * sizeof *d->parent);
		d->depth = youth__malloc(m + m + 2);
		if (!d->parent || !d->depth)
			rc = youth__oom();
	}
	if (rc == YOUTH_OK)
		stack[top++] = (uint32_t)m;
	while (rc == YOUTH_OK && top > 0) {
		uint32_t g = stack[--top];
		if (g & 0x80000000u) {
			/* after its parts: the leaf of the group's own persons */
			g &= 0x7fffffffu;
			char label[120];
			size_t below = g == m ? 0 : (size_t)dep[g] + 1;
			snprintf(label, sizeof label, "(no %s)",
			         youth_place_level_name(
			             d->levels[below < d->nlevels ? below : d->nlevels - 1]));
			synth[g] = (uint32_t)out;
			d->parent[out] = g == m ? SIZE_MAX : newcat[g];
			d->depth[out] = (unsigned char)below;
			out++;
			rc = dim_add(d, "", label);
			continue;
		}
		if (g != m) {
			newcat[g] = (uint32_t)out;
			d->parent[out] = par[g] == NONE ? SIZE_MAX : newcat[par[g]];
			dep[g] = par[g] == NONE ? 0 : (unsigned char)(dep[par[g]] + 1);
			d->depth[out] = dep[g];
			out++;
			rc = dim_add(d, tmp.keys[g], tmp.labels[g]);
		}
		if (own[g])
			stack[top++] = g | 0x80000000u;
		/* children in reverse, so that they come out in path order */
		size_t nk = 0;
		for (uint32_t k = kid[g]; k != NONE; k = next[k])
			nk++;
		top += nk;
		size_t at = top;
		for (uint32_t k = kid[g]; k != NONE; k = next[k])
			stack[--at] = k;
	}
	/* the top's parent is the margin */
	for (size_t i = 0; rc == YOUTH_OK && i < d->n; i++)
		if (d->parent[i] == SIZE_MAX)
			d->parent[i] = d->n;
	/* every place to the leaf its persons count in */
	for (size_t id = 1; rc == YOUTH_OK && id < n; id++) {
		uint32_t v = lookup(&tmp, (int64_t)id);
		if (up[id] < 0)
			continue;
		if (v == NONE)
			ABOVE(id, v);
		uint32_t g = v == NONE ? (uint32_t)m : v;
		uint32_t leaf = g < m && kid[g] == NONE ? newcat[g] : own[g] ? synth[g] : NONE;
		if (leaf != NONE)
			rc = map_id(d, (int64_t)id, leaf);
	}
#undef ABOVE
	youth__free(synth);
	youth__free(newcat);
	youth__free(dep);
	youth__free(own);
	youth__free(stack);
	youth__free(last);
	youth__free(next);
	youth__free(kid);
	youth__free(par);
	youth__free(cat_id);
	youth__free(lv);
	youth__free(up);
	dim_free(&tmp);
	return rc;
}

static int64_t period_of(int kind, int32_t date)
{
	int y = date / 10000, m = date / 100 % 100;
	return kind == D_MONTH ? (int64_t)y * 12 + m - 1 : kind == D_QUARTER ? (int64_t)y * 4 + (m - 1) / 3
	                                                                  : y;
}

static int dim_periods(rdim *d, int32_t from, int32_t to)
{
	int64_t a = period_of(d->kind, from), b = period_of(d->kind, to);
	if (b - a > 10000)
		return youth__error(YOUTH_ELIMIT, "by", "%s: %lld periods between %d and %d", d->name,
		                    (long long)(b - a + 1), from, to);
	d->first = a;
	int rc = YOUTH_OK;
	for (int64_t p = a; rc == YOUTH_OK && p <= b; p++) {
		char key[16];
		if (d->kind == D_MONTH)
			snprintf(key, sizeof key, "%04d-%02d", (int)(p / 12), (int)(p % 12) + 1);
		else if (d->kind == D_QUARTER)
			snprintf(key, sizeof key, "%04d-Q%d", (int)(p / 4), (int)(p % 4) + 1);
		else
			snprintf(key, sizeof key, "%04d", (int)p);
		rc = dim_add(d, key, NULL);
	}
	return rc;
}

/* A hierarchical place dimension, "municipality>district>community": the levels top first,
 * each by its name or a label. */
static int add_place_tree(ctx *c, rdim *d, const char *text)
{
	youth_report *r = c->r;
	char part[128], canon[256] = "";
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, ">");
		int level = 0, rc;
		memcpy(part, p, len);
		part[len] = 0;
		if (d->nlevels == MAXLEVELS)
			return youth__error(YOUTH_EINVAL, "by", "dimension \"%s\": too many levels", text);
		rc = youth_place_level_find(&level, c->reg, part);
		if (rc == YOUTH_ENOTFOUND)
			return youth__error(YOUTH_EINVAL, "by",
			                    "dimension \"%s\": \"%s\" is not a gazetteer level (a "
			                    "hierarchy of places is levels from the top down, joined by "
			                    "'>': municipality>district>community)",
			                    text, part);
		if (rc)
			return rc;
		if (d->nlevels && level <= d->levels[d->nlevels - 1])
			return youth__error(YOUTH_EINVAL, "by",
			                    "dimension \"%s\": \"%s\" is not below the level before it "
			                    "(levels go from the top down)",
			                    text, part);
		d->levels[d->nlevels++] = level;
		if (d->nlevels > 1)
			strcat(canon, ">");
		strcat(canon, youth_place_level_name(level));
		p += len + (p[len] == '>');
	}
	d->kind = D_LEVEL;
	d->level = d->levels[d->nlevels - 1];
	for (size_t i = 0; i < r->ndims; i++)
		for (size_t j = 0; r->dims[i].kind == D_LEVEL && j < r->dims[i].nlevels; j++)
			for (size_t k = 0; k < d->nlevels; k++)
				if (r->dims[i].levels[j] == d->levels[k])
					return youth__error(YOUTH_EINVAL, "by",
					                    "dimension \"%s\": the level %s is given twice", text,
					                    youth_place_level_name(d->levels[k]));
	r->ndims++;
	d->name = youth__strdup(canon);
	d->label = youth__strdup(text);
	if (!d->name || !d->label)
		return youth__oom();
	return YOUTH_OK;
}

static int add_dim(void *vctx, const char *item, size_t len)
{
	ctx *c = vctx;
	youth_report *r = c->r;
	char name[128];
	if (len >= sizeof name)
		return youth__error(YOUTH_EINVAL, "by", "dimension \"%.40s...\": too long", item);
	memcpy(name, item, len);
	name[len] = 0;
	if (r->ndims == MAXDIMS)
		return youth__error(YOUTH_EINVAL, "by", "by: more than %d dimensions", MAXDIMS);
	rdim *d = &r->dims[r->ndims];
	memset(d, 0, sizeof *d);
	int kind = -1, level = 0;
	for (int k = 1; k < (int)(sizeof dim_names / sizeof dim_names[0]); k++)
		if (strcmp(name, dim_names[k]) == 0)
			kind = k;
	if (kind < 0 && strchr(name, '>'))
		return add_place_tree(c, d, name);
	if (kind < 0) {
		int rc = youth_place_level_find(&level, c->reg, name);
		if (rc == YOUTH_ENOTFOUND)
			return youth__error(YOUTH_EINVAL, "by",
			                    "dimension \"%s\": unknown (a gazetteer level by name or label "
			                    "- department, municipality, district, community - or sex, "
			                    "age_band, exchange, programme, window, course, month, quarter, "
			                    "year)",
			                    name);
		if (rc)
			return rc;
		kind = D_LEVEL;
	}
	for (size_t i = 0; i < r->ndims; i++)
		if (r->dims[i].kind == kind && r->dims[i].level == level)
			return youth__error(YOUTH_EINVAL, "by", "dimension \"%s\": given twice", name);
	d->kind = kind;
	d->level = level;
	d->levels[0] = level;
	d->nlevels = 1;
	if (kind == D_LEVEL) {
		d->name = youth__strdup(youth_place_level_name(level));
		d->label = youth__strdup(name);
	} else {
		d->name = youth__strdup(dim_names[kind]);
		d->label = youth__strdup(dim_names[kind]);
	}
	r->ndims++;
	if (!d->name || !d->label)
		return youth__oom();
	return YOUTH_OK;
}

/* Fills the categories of every dimension (periods wait for the dates: fill_periods). */
static int fill_dims(ctx *c)
{
	youth_report *r = c->r;
	int rc = YOUTH_OK;
	const youth_field_info *sex = youth_kind_field(youth_kind_find("person"), "sex");
	const youth_field_info *win = youth_kind_field(youth_kind_find("plan"), "window");
	c->place_dim = c->sex_dim = c->age_dim = -1;
	for (size_t i = 0; rc == YOUTH_OK && i < r->ndims; i++) {
		rdim *d = &r->dims[i];
		switch (d->kind) {
		case D_LEVEL:
			/* The label stays the one the caller chose ("municipality (before 2024)"); the
			 * name is the level's. */
			c->place_dim = (int)i;
			rc = d->nlevels > 1 ? dim_place_tree(c, d) : dim_places(c, d);
			break;
		case D_SEX:
			c->sex_dim = (int)i;
			for (int v = 1; rc == YOUTH_OK && sex && v < sex->n_vocabulary; v++)
				if (sex->vocabulary[v] && (rc = map_id(d, v, (uint32_t)d->n)) == YOUTH_OK)
					rc = dim_add(d, sex->vocabulary[v], NULL);
			break;
		case D_AGE:
			c->age_dim = (int)i;
			d->per_record = c->age_at_service;
			for (size_t b = 0; rc == YOUTH_OK && b < c->bands.n; b++) {
				char key[16];
				snprintf(key, sizeof key, "%d-%d", c->bands.lo[b], c->bands.hi[b]);
				rc = dim_add(d, key, NULL);
			}
			if (rc == YOUTH_OK)
				rc = dim_add(d, "other", NULL);
			break;
		case D_EXCHANGE:
			d->per_record = true;
			rc = dim_from_sql(c->reg, d, "SELECT id, code, name FROM exchange ORDER BY code");
			break;
		case D_COURSE:
			d->per_record = true;
			rc = dim_from_sql(c->reg, d, "SELECT id, code, title FROM course ORDER BY code");
			break;
		case D_PROGRAMME:
			d->per_record = true;
			for (size_t p = 0; rc == YOUTH_OK && p < N_PROGRAMMES; p++)
				rc = dim_add(d, programmes[p], NULL);
			break;
		case D_WINDOW:
			d->per_record = true;
			for (int v = 1; rc == YOUTH_OK && win && v < win->n_vocabulary; v++)
				if (win->vocabulary[v] && (rc = map_id(d, v, (uint32_t)d->n)) == YOUTH_OK)
					rc = dim_add(d, win->vocabulary[v], NULL);
			break;
		default:
			d->per_record = true;
			break;
		}
	}
	return rc;
}

/* ---- scans ------------------------------------------------------------------------------ */

enum { T_INT, T_DATE, T_TEXT };
#define UNWANTED (-1000)

static int col_add(rscan *s, const char *alias, const char *column, int type)
{
	char expr[96];
	snprintf(expr, sizeof expr, "%s.%s", alias, column);
	for (int i = 0; i < s->cols.n; i++)
		if (strcmp(s->cols.expr[i], expr) == 0)
			return i;
	if (s->cols.n == (int)(sizeof s->cols.expr / sizeof s->cols.expr[0]))
		return youth__error(YOUTH_ELIMIT, NULL, "a report reads more than 64 fields of one kind");
	if (!(s->cols.expr[s->cols.n] = youth__strdup(expr)))
		return youth__oom();
	s->cols.type[s->cols.n] = type;
	return s->cols.n++;
}

static int type_of(const youth_field_info *f)
{
	return f->type == YOUTH_FIELD_DATE ? T_DATE
	       : f->type == YOUTH_FIELD_TEXT || f->type == YOUTH_FIELD_UUID ? T_TEXT
	                                                                    : T_INT;
}

static bool has_dim(const ctx *c, int kind)
{
	for (size_t d = 0; d < c->r->ndims; d++)
		if (c->r->dims[d].kind == kind)
			return true;
	return false;
}

/* The column of field @name of the counted kind, else of its parent; -1 when neither has it,
 * UNWANTED when it has it but the report does not need it (@want false: no such dimension). */
static int attr_col(rscan *s, const char *name, bool want)
{
	const youth_kind_info *k = youth_kind_find(s->src->kind), *pk = youth__rparent(s->src);
	const youth_field_info *f = youth_kind_field(k, name);
	const char *alias = "t", *kind = s->src->kind;
	if (!f && pk) {
		f = youth_kind_field(pk, name);
		alias = "p";
		kind = pk->name;
	}
	if (!f)
		return -1;
	if (!want)
		return UNWANTED;
	const char *col = youth__rcolumn(kind, name);
	return col ? col_add(s, alias, col, type_of(f)) : -1;
}

static int field_col(rscan *s, const youth_field_info *f, bool parent)
{
	const youth_kind_info *k = parent ? youth__rparent(s->src) : youth_kind_find(s->src->kind);
	return col_add(s, parent ? "p" : "t", youth__rcolumn(k->name, f->name), type_of(f));
}

static int scan_for(ctx *c, const youth__rsource *src, bool latest, int *out)
{
	for (size_t i = 0; i < c->nscans; i++)
		if (c->scans[i].src == src && c->scans[i].latest == latest)
			return *out = (int)i, YOUTH_OK;
	if (c->nscans == sizeof c->scans / sizeof c->scans[0])
		return youth__error(YOUTH_ELIMIT, NULL, "a report reads more than 32 kinds of record");
	rscan *s = &c->scans[c->nscans++]; /* counted now: ctx_free() frees what it holds */
	memset(s, 0, sizeof *s);
	s->src = src;
	s->latest = latest;
	s->c_group = s->c_exchange = s->c_course = s->c_window = -1;
	s->c_place = s->c_sex = s->c_birth = s->c_round = -1;
	int rc = YOUTH_OK;
	if (strcmp(src->kind, "person") == 0) {
		/* These four come from the covering index person(place_id, sex, birth_date). */
		if ((s->c_person = col_add(s, "t", "id", T_INT)) < 0 ||
		    (s->c_place = col_add(s, "t", "place_id", T_INT)) < 0 ||
		    (s->c_sex = col_add(s, "t", "sex", T_INT)) < 0 ||
		    (s->c_birth = col_add(s, "t", "birth_date", T_DATE)) < 0)
			return youth__oom();
		if (c->o->census_round && (s->c_round = col_add(s, "t", "census_round", T_TEXT)) < 0)
			return s->c_round;
	} else {
		/* Every counted kind reaches a person (indicator.c's table of sources). */
		if ((s->c_person = attr_col(s, "person_id", true)) < 0)
			return s->c_person == -1 ? YOUTH_ERROR : s->c_person;
		/* A plan reaches its applicant, or the members of its group. */
		const youth_kind_info *pk = youth__rparent(src);
		bool plan = strcmp(src->kind, "plan") == 0 || (pk && strcmp(pk->name, "plan") == 0);
		if (plan && (s->c_group = attr_col(s, "group_id", true)) < 0)
			return s->c_group == -1 ? YOUTH_ERROR : s->c_group;
		/* Read only for a dimension that needs them: a column less may be a join less. */
		s->c_exchange = attr_col(s, "exchange_id", has_dim(c, D_EXCHANGE));
		s->c_course = attr_col(s, "course_id", has_dim(c, D_COURSE));
		s->c_window = attr_col(s, "window",
		                       has_dim(c, D_WINDOW) ||
		                           (has_dim(c, D_PROGRAMME) && src->programme &&
		                            strcmp(src->programme, "window") == 0));
		if (s->c_exchange < -1 && s->c_exchange != UNWANTED)
			return s->c_exchange;
		if (s->c_course < -1 && s->c_course != UNWANTED)
			return s->c_course;
		if (s->c_window < -1 && s->c_window != UNWANTED)
			return s->c_window;
	}
	*out = (int)(c->nscans - 1);
	return rc;
}

static bool need_dates(const ctx *c)
{
	if (c->from || c->to || c->age_at_service)
		return true;
	for (size_t i = 0; i < c->r->ndims; i++)
		if (c->r->dims[i].kind >= D_MONTH)
			return true;
	return false;
}

/* Adds the base computing @def (once), and those of its operands. */
static int base_add(ctx *c, const youth__rdef *def, size_t *out)
{
	for (size_t i = 0; i < c->nbases; i++)
		if (c->bases[i].def == def)
			return *out = i, YOUTH_OK;
	int rc;
	size_t ops[2] = {0, 0};
	for (int j = 0; j < 2 && def->operand[0]; j++) {
		const youth__rdef *o = youth__rdefs_find(&c->r->defs, def->operand[j],
		                                         strlen(def->operand[j]));
		if (!o)
			return YOUTH_ERROR; /* linked when parsed */
		if ((rc = base_add(c, o, &ops[j])))
			return rc;
	}
	rbase *b = youth__realloc(c->bases, (c->nbases + 1) * sizeof *b);
	if (!b)
		return youth__oom();
	c->bases = b;
	b = &c->bases[c->nbases];
	memset(b, 0, sizeof *b);
	b->def = def;
	b->c_date = b->c_sum = -1;
	b->scan = -1;
	if (def->operand[0]) {
		b->app = c->bases[ops[0]].app & c->bases[ops[1]].app;
		b->op[0] = ops[0];
		b->op[1] = ops[1];
		c->nbases++;
		*out = c->nbases - 1;
		return YOUTH_OK;
	}
	b->src = youth__rsource_find(def->kind->name);
	if ((rc = scan_for(c, b->src, def->latest, &b->scan)))
		return rc;
	rscan *s = &c->scans[b->scan];
	size_t *sb = youth__realloc(s->bases, (s->nbases + 1) * sizeof *sb);
	if (!sb)
		return youth__oom();
	s->bases = sb;
	sb[s->nbases++] = c->nbases;
	if (need_dates(c) || def->latest) {
		if ((b->c_date = field_col(s, def->date, def->date_parent)) < 0)
			return b->c_date;
	}
	if (def->sum && (b->c_sum = field_col(s, def->sum, def->sum_parent)) < 0)
		return b->c_sum;
	for (size_t a = 0; a < def->n_alts; a++)
		for (size_t i = 0; i < def->alts[a].n; i++) {
			youth__rterm *t = &((youth__rdef *)def)->alts[a].t[i];
			if ((t->col = field_col(s, t->f, t->parent)) < 0)
				return t->col;
		}
	for (size_t d = 0; d < c->r->ndims; d++) {
		const rdim *dim = &c->r->dims[d];
		bool app = dim->kind == D_EXCHANGE    ? s->c_exchange >= 0
		           : dim->kind == D_COURSE    ? s->c_course >= 0
		           : dim->kind == D_WINDOW    ? s->c_window >= 0
		           : dim->kind == D_PROGRAMME ? b->src->programme != NULL
		                                      : true;
		if (app)
			b->app |= 1u << d;
	}
	c->nbases++;
	*out = c->nbases - 1;
	return YOUTH_OK;
}

/* Lays out a base's lattice once the categories are known. */
static int base_alloc(ctx *c, rbase *b)
{
	b->nd = 0;
	b->ncells = 1;
	for (size_t d = 0; d < c->r->ndims; d++)
		if (b->app & (1u << d)) {
			b->dim[b->nd] = d;
			b->size[b->nd] = c->r->dims[d].n;
			if (c->r->dims[d].per_record)
				b->per_record = true;
			b->nd++;
		}
	for (size_t j = b->nd; j-- > 0;) {
		b->stride[j] = b->ncells;
		b->ncells *= b->size[j] + 1;
	}
	if (!b->src)
		return YOUTH_OK;
	b->nrd = 0;
	for (size_t j = 0; j < b->nd; j++)
		if (c->r->dims[b->dim[j]].per_record)
			b->rdim[b->nrd++] = j;
	/* Every base varies along every person-level dimension. */
	if (!(b->poff = youth__calloc(c->pcells, sizeof *b->poff)))
		return youth__oom();
	for (size_t pc = 0; pc < c->pcells; pc++)
		for (size_t k = 0, j = 0; k < c->npd; k++) {
			/* A level without places has no category (and no person in it). */
			size_t n = c->r->dims[c->pdim[k]].n;
			while (b->dim[j] != c->pdim[k])
				j++;
			b->poff[pc] += (uint32_t)((n ? pc / c->pstride[k] % n : 0) * b->stride[j]);
		}
	b->count = youth__calloc(b->ncells, sizeof *b->count);
	b->flag = youth__calloc(b->ncells, 1);
	if (!b->count || !b->flag)
		return youth__oom();
	if (b->def->sum && !(b->sum = youth__calloc(b->ncells, sizeof *b->sum)))
		return youth__oom();
	if (b->def->info.type == YOUTH_INDICATOR_PERSONS) {
		if (!(b->seen = youth__calloc(c->n_persons / 8 + 1, 1)))
			return youth__oom();
		if (b->per_record && (!(b->first_date = youth__calloc(c->n_persons, sizeof(int32_t))) ||
		                      !(b->first_cell = youth__calloc(c->n_persons, sizeof(uint32_t)))))
			return youth__oom();
	}
	/* A sum rests on the persons it adds up (three payments to one youth are one youth's
	 * stipend): with only person-level dimensions each person has one cell, and the count
	 * of persons is additive; otherwise it rests on the records. */
	if (b->sum && !b->per_record && !(b->seen = youth__calloc(c->n_persons / 8 + 1, 1)))
		return youth__oom();
	return YOUTH_OK;
}

typedef struct rrow {
	int64_t v[64];
	const unsigned char *t[64];
	bool null[64];
} rrow;

static bool term_holds(const youth__rterm *t, const rrow *w)
{
	int i = t->col;
	switch (t->op) {
	case YOUTH__RT_SET:
		return !w->null[i] == (t->want_set != 0);
	case YOUTH__RT_RANGE:
		return !w->null[i] && w->v[i] >= t->lo && w->v[i] <= t->hi;
	case YOUTH__RT_TEXT:
		for (size_t k = 0; !w->null[i] && k < t->n; k++)
			if (strcmp((const char *)w->t[i], t->texts[k]) == 0)
				return true;
		return false;
	default:
		for (size_t k = 0; !w->null[i] && k < t->n; k++)
			if (w->v[i] == t->vals[k])
				return true;
		return false;
	}
}

static bool matches(const youth__rdef *d, const rrow *w)
{
	if (d->n_alts == 0)
		return true;
	for (size_t a = 0; a < d->n_alts; a++) {
		size_t i = 0;
		while (i < d->alts[a].n && term_holds(&d->alts[a].t[i], w))
			i++;
		if (i == d->alts[a].n)
			return true;
	}
	return false;
}

/* Category of a record-level dimension for a record of scan @s. */
static uint32_t record_cat(const ctx *c, const rdim *d, const rscan *s, const rrow *w,
                           int32_t date, int64_t pid)
{
	switch (d->kind) {
	case D_EXCHANGE: return lookup(d, w->v[s->c_exchange]);
	case D_COURSE: return lookup(d, w->v[s->c_course]);
	case D_WINDOW: return lookup(d, w->v[s->c_window]);
	case D_PROGRAMME:
		if (strcmp(s->src->programme, "window") == 0) {
			int64_t win = s->c_window >= 0 ? w->v[s->c_window] : 0;
			return win == 1 ? 3 : win == 2 ? 4 : NONE;
		}
		for (uint32_t i = 0; i < N_PROGRAMMES; i++)
			if (strcmp(programmes[i], s->src->programme) == 0)
				return i;
		return NONE;
	case D_AGE:
		return (uint32_t)band_of(&c->bands, age_at(c->birth[pid], date ? date : c->at));
	default: {
		if (!date)
			return NONE;
		int64_t n = period_of(d->kind, date) - d->first;
		return n >= 0 && (size_t)n < d->n ? (uint32_t)n : NONE;
	}
	}
}

/* The record-level part of the cell of a record of @b for person @pid; false when a category
 * is missing (a record without an exchange, outside the periods). */
static bool record_part(const ctx *c, const rbase *b, const rscan *s, const rrow *w,
                        int32_t date, int64_t pid, size_t *rec)
{
	*rec = 0;
	for (size_t k = 0; k < b->nrd; k++) {
		size_t j = b->rdim[k];
		uint32_t cat = record_cat(c, &c->r->dims[b->dim[j]], s, w, date, pid);
		if (cat == NONE)
			return false;
		*rec += cat * b->stride[j];
	}
	return true;
}

static void count_person(ctx *c, rbase *b, const rscan *s, const rrow *w, int32_t date,
                         int64_t pid)
{
	if (pid <= 0 || (size_t)pid >= c->n_persons) /* a member of a damaged registry */
		return;
	uint32_t pc = c->pcell[pid];
	if (pc == NONE)
		return;
	if (!b->per_record) {
		if (!(b->seen[pid >> 3] & (1u << (pid & 7)))) {
			b->seen[pid >> 3] |= (uint8_t)(1u << (pid & 7));
			b->count[b->poff[pc]]++;
		}
		return;
	}
	size_t rec;
	if (!record_part(c, b, s, w, date, pid, &rec))
		return;
	/* Counted once, in the categories of their first record (by date, then as read), so
	 * that the categories add up to the margins. */
	bool seen = b->seen[pid >> 3] & (1u << (pid & 7));
	if (!seen || (date && date < b->first_date[pid])) {
		b->seen[pid >> 3] |= (uint8_t)(1u << (pid & 7));
		b->first_date[pid] = date;
		b->first_cell[pid] = (uint32_t)rec;
	}
}

static void count_record(ctx *c, rbase *b, const rscan *s, const rrow *w, int32_t date,
                         int64_t pid)
{
	if (pid <= 0 || (size_t)pid >= c->n_persons)
		return;
	uint32_t pc = c->pcell[pid];
	size_t rec;
	if (pc == NONE || !record_part(c, b, s, w, date, pid, &rec))
		return;
	size_t idx = b->poff[pc] + rec;
	if (!b->seen)
		b->count[idx]++;
	else if (!(b->seen[pid >> 3] & (1u << (pid & 7)))) {
		b->seen[pid >> 3] |= (uint8_t)(1u << (pid & 7));
		b->count[idx]++;
	}
	if (b->sum)
		b->sum[idx] += w->v[b->c_sum];
}

typedef struct minmax {
	int32_t lo, hi;
} minmax;

/* One row of scan @s, for every base it feeds. */
static void feed(ctx *c, rscan *s, const rrow *w, minmax *mm)
{
	int64_t pid = w->null[s->c_person] ? 0 : w->v[s->c_person];
	const int64_t *members = NULL;
	size_t n_members = 0;
	if (pid <= 0 && s->c_group >= 0 && !w->null[s->c_group]) {
		int64_t g = w->v[s->c_group];
		if (g > 0 && (size_t)g < c->n_groups) {
			members = c->grp_members + c->grp_start[g];
			n_members = c->grp_start[g + 1] - c->grp_start[g];
		}
	} else if (pid > 0 && (size_t)pid < c->n_persons) {
		members = &pid;
		n_members = 1;
	}
	if (!n_members)
		return;
	for (size_t i = 0; i < s->nbases; i++) {
		rbase *b = &c->bases[s->bases[i]];
		if (!matches(b->def, w))
			continue;
		int32_t date = b->c_date >= 0 ? (int32_t)w->v[b->c_date] : 0;
		if (b->c_date >= 0 && ((c->from && (!date || date < c->from)) ||
		                       (c->to && (!date || date > c->to))))
			continue;
		if (mm) {
			if (date && (!mm->lo || date < mm->lo))
				mm->lo = date;
			if (date > mm->hi)
				mm->hi = date;
			continue;
		}
		if (b->def->info.type == YOUTH_INDICATOR_PERSONS)
			for (size_t m = 0; m < n_members; m++)
				count_person(c, b, s, w, date, members[m]);
		else
			count_record(c, b, s, w, date, members[0]);
	}
}

static void person_row(ctx *c, const rscan *s, const rrow *w)
{
	int64_t id = w->v[s->c_person];
	if (id <= 0 || (size_t)id >= c->n_persons)
		return;
	int32_t birth = (int32_t)w->v[s->c_birth];
	int64_t place = w->v[s->c_place];
	if (c->birth)
		c->birth[id] = birth;
	c->pcell[id] = NONE;
	if (c->in_place && (place <= 0 || (size_t)place >= c->n_places || !c->in_place[place]))
		return;
	if (s->c_round >= 0 && (w->null[s->c_round] ||
	                        strcmp((const char *)w->t[s->c_round], c->o->census_round) != 0))
		return;
	uint32_t pc = 0;
	for (size_t k = 0; k < c->npd; k++) {
		const rdim *d = &c->r->dims[c->pdim[k]];
		uint32_t cat = d->kind == D_LEVEL ? lookup(d, place)
		               : d->kind == D_SEX ? lookup(d, w->v[s->c_sex])
		                                  : (uint32_t)band_of(&c->bands, age_at(birth, c->at));
		if (cat == NONE)
			return;
		pc += cat * (uint32_t)c->pstride[k];
	}
	c->pcell[id] = pc;
}

/* Reads the parent columns of scan @s into *@out, or finds them read by an earlier scan
 * (disbursements and visits both want their plan's person, group and window). */
static int load_parent(ctx *c, const rscan *s, parent_cols **out)
{
	const youth_kind_info *pk = youth__rparent(s->src);
	youth__buf sql = {0};
	int rc = youth__buf_printf(&sql, "SELECT (SELECT max(id) FROM %s), id",
	                           youth__rtable(pk->name));
	int col[64], n = 0;
	for (int i = 0; rc == YOUTH_OK && i < s->cols.n; i++)
		if (s->cols.expr[i][0] == 'p') {
			col[n++] = i;
			rc = youth__buf_printf(&sql, ", %s", s->cols.expr[i] + 2);
		}
	if (rc == YOUTH_OK)
		rc = youth__buf_printf(&sql, " FROM %s", youth__rtable(pk->name));
	for (size_t i = 0; rc == YOUTH_OK && i < c->n_parents; i++)
		if (strcmp(c->parents[i].key, sql.data) == 0) {
			youth__buf_free(&sql);
			*out = &c->parents[i];
			memcpy((*out)->col, col, sizeof col);
			return YOUTH_OK;
		}
	if (rc == YOUTH_OK && c->n_parents == sizeof c->parents / sizeof c->parents[0])
		rc = youth__error(YOUTH_ELIMIT, NULL, "a report reads more than 8 kinds of parent");
	parent_cols *pc = rc ? NULL : &c->parents[c->n_parents++];
	if (pc) {
		memset(pc, 0, sizeof *pc);
		memcpy(pc->col, col, sizeof col);
		pc->n = (size_t)n;
		if (!(pc->key = youth__strdup(sql.data)))
			rc = youth__oom();
	}
	*out = pc;
	sqlite3_stmt *st = NULL;
	int e = rc ? SQLITE_OK : sqlite3_prepare_v2(c->reg->db, sql.data, -1, &st, NULL);
	youth__buf_free(&sql);
	if (rc || e != SQLITE_OK)
		return rc ? rc : sql_error(c->reg, e, "preparing a report");
	while ((e = sqlite3_step(st)) == SQLITE_ROW) {
		if (!pc->v) {
			if ((rc = key_limit(sqlite3_column_int64(st, 0), youth__rtable(pk->name), &pc->n_ids)))
				break;
			pc->v = youth__calloc(pc->n_ids * pc->n, sizeof *pc->v);
			pc->null = youth__malloc(pc->n_ids * pc->n);
			if (!pc->v || !pc->null) {
				rc = youth__oom();
				break;
			}
			memset(pc->null, 1, pc->n_ids * pc->n); /* an id without a row: all NULL */
		}
		int64_t id = sqlite3_column_int64(st, 1);
		if (id <= 0 || (size_t)id >= pc->n_ids)
			continue;
		for (size_t j = 0; j < pc->n; j++) {
			int k = (int)j + 2;
			bool null = sqlite3_column_type(st, k) == SQLITE_NULL;
			pc->null[(size_t)id * pc->n + j] = null;
			pc->v[(size_t)id * pc->n + j] =
				null ? 0
				: s->cols.type[pc->col[j]] == T_DATE ? ymd(sqlite3_column_text(st, k))
				                                     : sqlite3_column_int64(st, k);
		}
	}
	if (rc == YOUTH_OK && e != SQLITE_DONE)
		rc = sql_error(c->reg, e, "reading records for a report");
	sqlite3_finalize(st);
	return rc;
}

/* Each parent's latest row so far, for a `latest` scan: the scan's columns only. */
typedef struct latest_rows {
	int64_t *v;     /* [id * ncols + i] */
	uint8_t *null;
	uint8_t *have;
	size_t n;
} latest_rows;

static int run_scan(ctx *c, rscan *s, minmax *mm)
{
	const youth_kind_info *pk = youth__rparent(s->src);
	bool join = false, text_parent = false;
	for (int i = 0; i < s->cols.n; i++)
		if (s->cols.expr[i][0] == 'p') {
			join = true;
			text_parent |= s->cols.type[i] == T_TEXT;
		}
	/* Text fields of the parent are joined in SQL (they cannot sit in an array of numbers);
	 * numbers and dates come from the arrays of load_parent(). */
	bool sql_join = join && text_parent;
	parent_cols *pc = NULL;
	int rc = YOUTH_OK;
	int c_parent = -1, c_date = -1;
	if (pk && (join || s->latest) && (c_parent = col_add(s, "t", s->src->parent_ref, T_INT)) < 0)
		return c_parent;
	if (s->latest) {
		const rbase *b = &c->bases[s->bases[0]];
		if ((c_date = col_add(s, "t", b->def->date->name, T_DATE)) < 0)
			return c_date;
	}
	if (join && !sql_join && (rc = load_parent(c, s, &pc)))
		return rc;
	youth__buf sql = {0};
	int sel[64], nsel = 0;
	rc = youth__buf_puts(&sql, "SELECT ");
	for (int i = 0; rc == YOUTH_OK && i < s->cols.n; i++)
		if (sql_join || s->cols.expr[i][0] == 't') {
			rc = youth__buf_printf(&sql, "%s%s", nsel ? ", " : "", s->cols.expr[i]);
			sel[nsel++] = i;
		}
	if (rc == YOUTH_OK)
		rc = youth__buf_printf(&sql, " FROM %s t", s->src->table);
	if (rc == YOUTH_OK && sql_join)
		rc = youth__buf_printf(&sql, " LEFT JOIN %s p ON p.id = t.%s", youth__rtable(pk->name),
		                       s->src->parent_ref);
	sqlite3_stmt *st = NULL;
	int e = SQLITE_OK;
	if (rc == YOUTH_OK && (e = sqlite3_prepare_v2(c->reg->db, sql.data, -1, &st, NULL)) != SQLITE_OK)
		rc = sql_error(c->reg, e, "preparing a report");
	youth__buf_free(&sql);
	bool person = s->c_place >= 0;
	rrow *w = rc ? NULL : youth__malloc(sizeof *w);
	latest_rows lr = {NULL, NULL, NULL, 0};
	size_t nc = (size_t)s->cols.n;
	if (rc == YOUTH_OK && !w)
		rc = youth__oom();
	if (rc == YOUTH_OK && s->latest) {
		sqlite3_stmt *q;
		char max[160];
		snprintf(max, sizeof max, "SELECT max(id) FROM %s", youth__rtable(pk->name));
		if ((e = sqlite3_prepare_v2(c->reg->db, max, -1, &q, NULL)) != SQLITE_OK)
			rc = sql_error(c->reg, e, "preparing a report");
		else {
			sqlite3_step(q);
			rc = key_limit(sqlite3_column_int64(q, 0), youth__rtable(pk->name), &lr.n);
			sqlite3_finalize(q);
			if (rc == YOUTH_OK) {
				lr.v = youth__malloc(lr.n * nc * sizeof *lr.v);
				lr.null = youth__malloc(lr.n * nc);
				lr.have = youth__calloc(lr.n, 1);
				if (!lr.v || !lr.null || !lr.have)
					rc = youth__oom();
			}
		}
	}
	while (rc == YOUTH_OK && (e = sqlite3_step(st)) == SQLITE_ROW) {
		for (int k = 0; k < nsel; k++) {
			int i = sel[k];
			switch (s->cols.type[i]) {
			case T_INT:
				/* A NULL reads as 0: only then is its type worth asking. */
				w->v[i] = sqlite3_column_int64(st, k);
				w->null[i] = w->v[i] == 0 && sqlite3_column_type(st, k) == SQLITE_NULL;
				break;
			case T_DATE:
				w->v[i] = ymd(sqlite3_column_text(st, k));
				w->null[i] = w->v[i] == 0;
				break;
			default:
				w->t[i] = sqlite3_column_text(st, k);
				w->null[i] = w->t[i] == NULL;
				break;
			}
		}
		if (pc) {
			int64_t id = w->v[c_parent];
			bool in = pc->v && id > 0 && (size_t)id < pc->n_ids;
			for (size_t j = 0; j < pc->n; j++) {
				w->v[pc->col[j]] = in ? pc->v[(size_t)id * pc->n + j] : 0;
				w->null[pc->col[j]] = in ? pc->null[(size_t)id * pc->n + j] : 1;
			}
		}
		if (person)
			person_row(c, s, w);
		if (!s->latest) {
			feed(c, s, w, mm);
			continue;
		}
		/* Keep the latest row of its parent (by date; on the same date, the last read).
		 * Text columns would point into SQLite's row: indicator.c keeps text filters out
		 * of latest definitions. */
		int64_t id = w->v[c_parent];
		if (id > 0 && (size_t)id < lr.n &&
		    (!lr.have[id] || w->v[c_date] >= lr.v[(size_t)id * nc + (size_t)c_date])) {
			memcpy(&lr.v[(size_t)id * nc], w->v, nc * sizeof *lr.v);
			memcpy(&lr.null[(size_t)id * nc], w->null, nc);
			lr.have[id] = 1;
		}
	}
	if (rc == YOUTH_OK)
		rc = e == SQLITE_DONE ? YOUTH_OK : sql_error(c->reg, e, "reading records for a report");
	for (size_t id = 1; rc == YOUTH_OK && id < lr.n; id++)
		if (lr.have[id]) {
			memcpy(w->v, &lr.v[id * nc], nc * sizeof *lr.v);
			memcpy(w->null, &lr.null[id * nc], nc);
			feed(c, s, w, mm);
		}
	youth__free(lr.v);
	youth__free(lr.null);
	youth__free(lr.have);
	youth__free(w);
	sqlite3_finalize(st);
	return rc;
}

static int load_groups(ctx *c)
{
	sqlite3_stmt *st;
	int e = sqlite3_prepare_v2(c->reg->db,
	                           "SELECT (SELECT max(id) FROM enterprise_group), count(*) FROM "
	                           "enterprise_member",
	                           -1, &st, NULL);
	if (e != SQLITE_OK)
		return sql_error(c->reg, e, "reading groups");
	e = sqlite3_step(st);
	size_t groups = 0, n = (size_t)sqlite3_column_int64(st, 1);
	int rc = key_limit(sqlite3_column_int64(st, 0), "enterprise_group", &groups);
	sqlite3_finalize(st);
	if (e != SQLITE_ROW)
		return sql_error(c->reg, e, "reading groups");
	if (rc)
		return rc;
	groups++;
	c->grp_start = youth__calloc(groups + 1, sizeof *c->grp_start);
	c->grp_members = youth__calloc(n + 1, sizeof *c->grp_members);
	if (!c->grp_start || !c->grp_members)
		return youth__oom();
	c->n_groups = groups - 1;
	e = sqlite3_prepare_v2(c->reg->db,
	                       "SELECT group_id, person_id FROM enterprise_member ORDER BY group_id, id",
	                       -1, &st, NULL);
	if (e != SQLITE_OK)
		return sql_error(c->reg, e, "reading groups");
	size_t i = 0;
	while ((e = sqlite3_step(st)) == SQLITE_ROW && i < n) {
		size_t g = (size_t)sqlite3_column_int64(st, 0);
		if (g + 1 >= groups)
			continue;
		c->grp_start[g + 1]++;
		c->grp_members[i++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (e != SQLITE_DONE && e != SQLITE_ROW)
		return sql_error(c->reg, e, "reading groups");
	for (size_t g = 1; g <= groups; g++)
		c->grp_start[g] += c->grp_start[g - 1];
	return YOUTH_OK;
}

static int load_place_filter(ctx *c)
{
	int64_t id;
	int rc = youth__place_resolve(c->reg, c->o->place, "place", &id);
	youth__buf path = {0};
	if (rc == YOUTH_OK)
		rc = youth__place_path(c->reg, id, &path);
	sqlite3_stmt *st = NULL;
	int e = SQLITE_OK;
	if (rc == YOUTH_OK &&
	    (e = sqlite3_prepare_v2(c->reg->db,
	                            "SELECT id FROM place WHERE path = ?1 OR (path > ?1 || '/' AND "
	                            "path < ?1 || '0') ORDER BY id DESC",
	                            -1, &st, NULL)) != SQLITE_OK)
		rc = sql_error(c->reg, e, "reading the gazetteer");
	if (rc == YOUTH_OK) {
		sqlite3_bind_text(st, 1, path.data, -1, SQLITE_STATIC);
		while (rc == YOUTH_OK && (e = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t pid = sqlite3_column_int64(st, 0);
			if (!c->in_place) {
				c->n_places = (size_t)pid + 1;
				if (!(c->in_place = youth__calloc(c->n_places, 1)))
					rc = youth__oom();
			}
			if (rc == YOUTH_OK && (size_t)pid < c->n_places)
				c->in_place[pid] = 1;
		}
		if (rc == YOUTH_OK && e != SQLITE_DONE)
			rc = sql_error(c->reg, e, "reading the gazetteer");
	}
	if (rc == YOUTH_OK && !c->in_place) {
		c->n_places = 1;
		if (!(c->in_place = youth__calloc(1, 1)))
			rc = youth__oom();
	}
	sqlite3_finalize(st);
	youth__buf_free(&path);
	return rc;
}

/* ---- margins, disclosure control, cells ------------------------------------------------- */

/* Fills every margin of @t by summing its categories, dimension after dimension; along a
 * hierarchy, every group by summing its parts (counted at the leaves only). */
static void add_margins(int64_t *t, const rbase *b, const youth_report *r)
{
	for (size_t j = 0; j < b->nd; j++) {
		size_t n = b->size[j], st = b->stride[j];
		const size_t *par = r->dims[b->dim[j]].parent;
		if (par) {
			/* groups come before their parts, so from the last cell down each part is
			 * complete when it is added to its parent (or the margin) */
			for (size_t i = b->ncells; i-- > 0;) {
				size_t u = (i / st) % (n + 1);
				if (u != n)
					t[i - u * st + par[u] * st] += t[i];
			}
			continue;
		}
		for (size_t i = 0; i < b->ncells; i++) {
			if ((i / st) % (n + 1) != n)
				continue;
			int64_t s = 0;
			for (size_t k = 1; k <= n; k++)
				s += t[i - k * st];
			t[i] = s;
		}
	}
}

static int finish_base(ctx *c, rbase *b)
{
	if (!b->src)
		return YOUTH_OK;
	if (b->first_date) {
		for (size_t pid = 1; pid < c->n_persons; pid++) {
			if (!(b->seen[pid >> 3] & (1u << (pid & 7))))
				continue;
			b->count[b->poff[c->pcell[pid]] + b->first_cell[pid]]++;
		}
	}
	add_margins(b->count, b, c->r);
	if (b->sum)
		add_margins(b->sum, b, c->r);
	if (c->r->internal)
		return YOUTH_OK;
	youth__sdc_table t;
	memset(&t, 0, sizeof t);
	t.ndims = b->nd;
	for (size_t j = 0; j < b->nd; j++) {
		t.size[j] = b->size[j];
		t.parent[j] = c->r->dims[b->dim[j]].parent;
	}
	t.count = b->count;
	t.flag = b->flag;
	int rc = youth__sdc_suppress(&t, c->r->k);
	if (rc)
		youth__error_prefix("indicator %s", b->def->name);
	return rc;
}

static const youth_report_cell na_cell = {0, 0, YOUTH_CELL_NOT_APPLICABLE};

static youth_report_cell cell_at(const ctx *c, const rbase *b, const size_t *coord)
{
	youth_report_cell out = {0, 1, 0};
	for (size_t d = 0; d < c->r->ndims; d++)
		if (!(b->app & (1u << d)) && coord[d] != c->r->dims[d].n)
			return na_cell;
	if (!b->src) {
		youth_report_cell x = cell_at(c, &c->bases[b->op[0]], coord);
		youth_report_cell y = cell_at(c, &c->bases[b->op[1]], coord);
		bool ratio = b->def->info.type == YOUTH_INDICATOR_RATIO;
		if ((x.flags | y.flags) & (YOUTH_CELL_SUPPRESSED | YOUTH_CELL_UNDEFINED))
			out.flags = YOUTH_CELL_DERIVED;
		else if ((x.flags | y.flags) & YOUTH_CELL_NOT_APPLICABLE)
			out.flags = YOUTH_CELL_NOT_APPLICABLE;
		else if (ratio && y.value == 0)
			out.flags = YOUTH_CELL_UNDEFINED;
		else if (ratio)
			out.value = x.value, out.denominator = y.value;
		else
			out.value = x.value - y.value;
		if (out.flags)
			out.denominator = 0;
		return out;
	}
	size_t idx = 0;
	for (size_t j = 0; j < b->nd; j++)
		idx += coord[b->dim[j]] * b->stride[j];
	unsigned char f = b->flag[idx];
	if (f == YOUTH__SDC_PRIMARY)
		out.flags = b->sum ? YOUTH_CELL_DERIVED : YOUTH_CELL_PRIMARY;
	else if (f == YOUTH__SDC_COMPLEMENT)
		out.flags = b->sum ? YOUTH_CELL_DERIVED : YOUTH_CELL_COMPLEMENT;
	else
		out.value = b->sum ? b->sum[idx] : b->count[idx];
	if (out.flags)
		out.denominator = 0;
	return out;
}

static int make_cells(ctx *c, const size_t *out_base)
{
	youth_report *r = c->r;
	r->nrows = 1;
	for (size_t d = 0; d < r->ndims; d++) {
		if (r->nrows > MAX_CELLS / (r->dims[d].n + 1))
			return youth__error(YOUTH_ELIMIT, "by", "by: more than %zu rows", MAX_CELLS);
		r->nrows *= r->dims[d].n + 1;
	}
	if (r->nind && r->nrows > MAX_CELLS / r->nind)
		return youth__error(YOUTH_ELIMIT, "by", "more than %zu cells (rows x indicators)",
		                    MAX_CELLS);
	r->cells = youth__calloc(r->nrows * (r->nind ? r->nind : 1), sizeof *r->cells);
	if (!r->cells)
		return youth__oom();
	size_t coord[MAXDIMS] = {0};
	for (size_t row = 0; row < r->nrows; row++) {
		size_t rest = row;
		for (size_t d = r->ndims; d-- > 0;) {
			coord[d] = rest % (r->dims[d].n + 1);
			rest /= r->dims[d].n + 1;
		}
		for (size_t i = 0; i < r->nind; i++)
			r->cells[row * r->nind + i] = cell_at(c, &c->bases[out_base[i]], coord);
	}
	return YOUTH_OK;
}

/* ---- building a report ------------------------------------------------------------------ */

void youth_report_options_init(youth_report_options *o)
{
	if (!o)
		return;
	memset(o, 0, sizeof *o);
	o->version = YOUTH_REPORT_OPTIONS_VERSION;
	o->size = sizeof *o;
	o->k = YOUTH_REPORT_DEFAULT_K;
}

typedef struct pick {
	ctx *c;
	size_t *out;
	size_t n;
} pick;

static int pick_indicator(void *vctx, const char *item, size_t len)
{
	pick *p = vctx;
	const youth__rdef *d = youth__rdefs_find(&p->c->r->defs, item, len);
	if (!d)
		return youth__error(YOUTH_EINVAL, "indicators",
		                    "indicator \"%.*s\": unknown (youth_indicator_next() lists the "
		                    "built-in ones; a definitions file may add others)",
		                    (int)(len > 60 ? 60 : len), item);
	for (size_t i = 0; i < p->n; i++)
		if (p->c->bases[p->out[i]].def == d)
			return youth__error(YOUTH_EINVAL, "indicators", "indicator \"%s\": given twice",
			                    d->name);
	size_t *o = youth__realloc(p->out, (p->n + 1) * sizeof *o);
	if (!o)
		return youth__oom();
	p->out = o;
	return base_add(p->c, d, &p->out[p->n++]);
}

static int check_options(const youth_report_options *o)
{
	if (o->version != YOUTH_REPORT_OPTIONS_VERSION ||
	    o->size < offsetof(youth_report_options, definitions_size) + sizeof o->definitions_size)
		return youth__error(YOUTH_EINVAL, "version",
		                    "youth_report_options version %u, size %zu: unknown (this library "
		                    "reads version %d; fill the options with "
		                    "youth_report_options_init())",
		                    o->version, o->size, YOUTH_REPORT_OPTIONS_VERSION);
	if (o->k < 0)
		return youth__error(YOUTH_EINVAL, "k", "k %lld: negative (counts 1 to k-1 are "
		                    "suppressed; the default is %d)",
		                    (long long)o->k, YOUTH_REPORT_DEFAULT_K);
	if (o->k < 2 && !(o->flags & YOUTH_REPORT_INTERNAL))
		return youth__error(YOUTH_EINVAL, "k",
		                    "k %lld suppresses nothing: only for internal use, with the flag "
		                    "YOUTH_REPORT_INTERNAL",
		                    (long long)o->k);
	if (o->flags & ~(unsigned)(YOUTH_REPORT_INTERNAL | YOUTH_REPORT_AGE_AT_SERVICE))
		return youth__error(YOUTH_EINVAL, "flags", "flags 0x%x: unknown flags", o->flags);
	int rc = YOUTH_OK;
	if (o->from && (rc = youth_date_check(o->from, "from")))
		return rc;
	if (o->to && (rc = youth_date_check(o->to, "to")))
		return rc;
	if (o->at && (rc = youth_date_check(o->at, "at")))
		return rc;
	if (o->from && o->to && strcmp(o->from, o->to) > 0)
		return youth__error(YOUTH_EINVAL, "to", "to \"%s\": before from \"%s\"", o->to, o->from);
	return YOUTH_OK;
}

static void ctx_free(ctx *c)
{
	for (size_t i = 0; i < c->nbases; i++) {
		rbase *b = &c->bases[i];
		void *const owned[] = {b->count,      b->sum,        b->flag, b->seen,
		                       b->first_date, b->first_cell, b->poff};
		free_all(owned, YOUTH__N_OF(owned));
	}
	youth__free(c->bases);
	for (size_t i = 0; i < c->nscans; i++) {
		for (int j = 0; j < c->scans[i].cols.n; j++)
			youth__free(c->scans[i].cols.expr[j]);
		youth__free(c->scans[i].bases);
	}
	void *const owned[] = {c->pcell, c->birth, c->grp_start, c->grp_members, c->in_place};
	free_all(owned, YOUTH__N_OF(owned));
	for (size_t i = 0; i < c->n_parents; i++) {
		youth__free(c->parents[i].v);
		youth__free(c->parents[i].null);
		youth__free(c->parents[i].key);
	}
}

static int count_persons(ctx *c)
{
	sqlite3_stmt *st;
	int e = sqlite3_prepare_v2(c->reg->db, "SELECT max(id) FROM person", -1, &st, NULL);
	if (e != SQLITE_OK)
		return sql_error(c->reg, e, "reading the census");
	e = sqlite3_step(st);
	int rc = key_limit(sqlite3_column_int64(st, 0), "person", &c->n_persons);
	sqlite3_finalize(st);
	if (e != SQLITE_ROW)
		return sql_error(c->reg, e, "reading the census");
	if (rc)
		return rc;
	c->pcell = youth__malloc(c->n_persons * sizeof *c->pcell);
	if (!c->pcell)
		return youth__oom();
	memset(c->pcell, 0xff, c->n_persons * sizeof *c->pcell); /* NONE: no such person */
	if (c->age_at_service && !(c->birth = youth__calloc(c->n_persons, sizeof *c->birth)))
		return youth__oom();
	/* The person-level dimensions and the strides of a person's cell over them. */
	c->npd = 0;
	for (size_t d = 0; d < c->r->ndims; d++)
		if (!c->r->dims[d].per_record)
			c->pdim[c->npd++] = d;
	c->pcells = 1;
	for (size_t k = c->npd; k-- > 0;) {
		c->pstride[k] = c->pcells;
		c->pcells *= c->r->dims[c->pdim[k]].n ? c->r->dims[c->pdim[k]].n : 1;
		if (c->pcells > UINT32_MAX / 2)
			return youth__error(YOUTH_ELIMIT, "by", "by: too many categories of places, sexes "
			                    "and ages together");
	}
	return YOUTH_OK;
}

/* The categories of the periods: the options' dates, else those of the records counted. */
static int fill_periods(ctx *c)
{
	bool any = false;
	for (size_t d = 0; d < c->r->ndims; d++)
		any |= c->r->dims[d].kind >= D_MONTH;
	if (!any)
		return YOUTH_OK;
	minmax mm = {c->from, c->to};
	int rc = YOUTH_OK;
	if (!c->from || !c->to) {
		minmax seen = {0, 0};
		for (size_t i = 0; rc == YOUTH_OK && i < c->nscans; i++)
			rc = run_scan(c, &c->scans[i], &seen);
		if (!mm.lo)
			mm.lo = seen.lo;
		if (!mm.hi)
			mm.hi = seen.hi;
	}
	for (size_t d = 0; rc == YOUTH_OK && d < c->r->ndims; d++)
		if (c->r->dims[d].kind >= D_MONTH && mm.lo && mm.hi && mm.lo <= mm.hi)
			rc = dim_periods(&c->r->dims[d], mm.lo, mm.hi);
	return rc;
}

static int build(ctx *c, size_t **out_base)
{
	const youth_report_options *o = c->o;
	youth_report *r = c->r;
	int rc = youth__rdefs_builtin(&r->defs);
	size_t builtins = r->defs.n;
	if (rc == YOUTH_OK && (o->definitions_path || o->definitions))
		rc = youth__rdefs_load(&r->defs, o->definitions_path, o->definitions,
		                       o->definitions_size, NULL);
	if (rc == YOUTH_OK)
		rc = parse_bands(&c->bands, o->age_bands ? o->age_bands : "16-17,18-20,21-24");
	if (rc == YOUTH_OK && o->by)
		rc = youth__each_item(o->by, add_dim, c);
	if (rc == YOUTH_OK)
		rc = fill_dims(c);
	if (rc == YOUTH_OK)
		rc = count_persons(c);
	if (rc == YOUTH_OK && o->place)
		rc = load_place_filter(c);
	int person_scan;
	if (rc == YOUTH_OK)
		rc = scan_for(c, youth__rsource_find("person"), false, &person_scan);
	pick p = {c, NULL, 0};
	if (rc == YOUTH_OK && youth__nz(o->indicators))
		rc = youth__each_item(o->indicators, pick_indicator, &p);
	else /* the definitions given, else the built-ins */
		for (size_t i = r->defs.n > builtins ? builtins : 0; rc == YOUTH_OK && i < r->defs.n; i++)
			rc = pick_indicator(&p, r->defs.d[i].name, strlen(r->defs.d[i].name));
	*out_base = p.out;
	if (rc == YOUTH_OK && p.n == 0)
		rc = youth__error(YOUTH_EINVAL, "indicators", "indicators: none given");
	r->nind = p.n;
	for (size_t i = 0; rc == YOUTH_OK && i < c->nscans; i++)
		if (c->scans[i].c_group >= 0) {
			rc = load_groups(c);
			break;
		}
	if (rc == YOUTH_OK)
		rc = fill_periods(c);
	for (size_t i = 0; rc == YOUTH_OK && i < c->nbases; i++)
		rc = base_alloc(c, &c->bases[i]);
	for (size_t i = 0; rc == YOUTH_OK && i < c->nscans; i++)
		rc = run_scan(c, &c->scans[i], NULL);
	for (size_t i = 0; rc == YOUTH_OK && i < c->nbases; i++)
		rc = finish_base(c, &c->bases[i]);
	if (rc == YOUTH_OK && !(r->ind = youth__calloc(r->nind ? r->nind : 1, sizeof *r->ind)))
		rc = youth__oom();
	for (size_t i = 0; rc == YOUTH_OK && i < r->nind; i++)
		r->ind[i] = c->bases[p.out[i]].def->info;
	if (rc == YOUTH_OK)
		rc = make_cells(c, p.out);
	return rc;
}

int youth_report_new(youth_report **out, youth_registry *reg, const youth_report_options *options)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_report_new: NULL %s",
		                    out ? "registry" : "out");
	youth_report_options defaults;
	if (!options) {
		youth_report_options_init(&defaults);
		options = &defaults;
	}
	int rc = check_options(options);
	if (rc)
		return rc;
	youth_report *r = youth__calloc(1, sizeof *r);
	if (!r)
		return youth__oom();
	r->k = options->k;
	r->internal = options->k < 2;
	if (options->at)
		snprintf(r->at, sizeof r->at, "%s", options->at);
	else if (options->to)
		snprintf(r->at, sizeof r->at, "%s", options->to);
	else
		youth__today(r->at);
	ctx c;
	memset(&c, 0, sizeof c);
	c.reg = reg;
	c.o = options;
	c.r = r;
	c.age_at_service = options->flags & YOUTH_REPORT_AGE_AT_SERVICE;
	c.at = ymd((const unsigned char *)r->at);
	c.from = options->from ? ymd((const unsigned char *)options->from) : 0;
	c.to = options->to ? ymd((const unsigned char *)options->to) : 0;
	/* One read transaction: every table is read from the same snapshot. */
	bool began = false;
	if (sqlite3_get_autocommit(reg->db)) {
		if ((rc = youth__exec(reg, "BEGIN")) == YOUTH_OK)
			began = true;
	}
	size_t *out_base = NULL;
	if (rc == YOUTH_OK)
		rc = build(&c, &out_base);
	if (began)
		sqlite3_exec(reg->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	youth__free(out_base);
	ctx_free(&c);
	if (rc) {
		youth_report_free(r);
		return rc;
	}
	*out = r;
	return YOUTH_OK;
}

void youth_report_free(youth_report *r)
{
	if (!r)
		return;
	for (size_t d = 0; d < r->ndims; d++)
		dim_free(&r->dims[d]);
	youth__rdefs_free(&r->defs);
	youth__free(r->ind);
	youth__free(r->cells);
	youth__free(r);
}

/* ---- accessors -------------------------------------------------------------------------- */

size_t youth_report_dimension_count(const youth_report *r)
{
	return r ? r->ndims : 0;
}

const char *youth_report_dimension_name(const youth_report *r, size_t dim)
{
	return r && dim < r->ndims ? r->dims[dim].name : NULL;
}

const char *youth_report_dimension_label(const youth_report *r, size_t dim)
{
	return r && dim < r->ndims ? r->dims[dim].label : NULL;
}

size_t youth_report_category_count(const youth_report *r, size_t dim)
{
	return r && dim < r->ndims ? r->dims[dim].n : 0;
}

int youth_report_category(const char **label, const char **key, const youth_report *r, size_t dim,
                          size_t cat)
{
	if (!label || !r)
		return youth__error(YOUTH_EINVAL, NULL, "youth_report_category: NULL %s",
		                    label ? "report" : "label");
	if (dim >= r->ndims || cat > r->dims[dim].n)
		return youth__error(YOUTH_EINVAL, NULL,
		                    "youth_report_category: dimension %zu, category %zu: out of range "
		                    "(%zu dimensions)",
		                    dim, cat, r->ndims);
	bool total = cat == r->dims[dim].n;
	*label = total ? "Total" : r->dims[dim].labels[cat];
	if (key)
		*key = total ? "total" : r->dims[dim].keys[cat];
	return YOUTH_OK;
}

size_t youth_report_category_parent(const youth_report *r, size_t dim, size_t cat)
{
	if (!r || dim >= r->ndims || cat >= r->dims[dim].n)
		return SIZE_MAX;
	return r->dims[dim].parent ? r->dims[dim].parent[cat] : r->dims[dim].n;
}

int youth_report_category_level(const youth_report *r, size_t dim, size_t cat)
{
	if (!r || dim >= r->ndims || cat >= r->dims[dim].n || r->dims[dim].kind != D_LEVEL)
		return 0;
	const rdim *d = &r->dims[dim];
	return d->depth ? d->levels[d->depth[cat] < d->nlevels ? d->depth[cat] : d->nlevels - 1]
	                : d->level;
}

size_t youth_report_indicator_count(const youth_report *r)
{
	return r ? r->nind : 0;
}

const youth_indicator_info *youth_report_indicator(const youth_report *r, size_t i)
{
	return r && i < r->nind ? &r->ind[i] : NULL;
}

size_t youth_report_row_count(const youth_report *r)
{
	return r ? r->nrows : 0;
}

/* The arguments of an accessor of @row's @i-th dimension or indicator (@what, of @n). */
static int row_args(const char *fn, const void *out, const youth_report *r, size_t row,
                    const char *what, size_t i, size_t n)
{
	if (!out || !r)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL %s", fn, out ? "report" : "out");
	if (row >= r->nrows || i >= n)
		return youth__error(YOUTH_EINVAL, NULL,
		                    "%s: row %zu, %s %zu: out of range (%zu rows, %zu %ss)", fn, row,
		                    what, i, r->nrows, n, what);
	return YOUTH_OK;
}

int youth_report_row_category(size_t *out, const youth_report *r, size_t row, size_t dim)
{
	int rc = row_args("youth_report_row_category", out, r, row, "dimension", dim,
	                  r ? r->ndims : 0);
	if (rc)
		return rc;
	size_t rest = row;
	for (size_t d = r->ndims; d-- > dim + 1;)
		rest /= r->dims[d].n + 1;
	*out = rest % (r->dims[dim].n + 1);
	return YOUTH_OK;
}

int youth_report_cell_get(const youth_report_cell **out, const youth_report *r, size_t row,
                          size_t indicator)
{
	if (out)
		*out = NULL;
	int rc = row_args("youth_report_cell_get", out, r, row, "indicator", indicator,
	                  r ? r->nind : 0);
	if (rc)
		return rc;
	*out = &r->cells[row * r->nind + indicator];
	return YOUTH_OK;
}

/* A ratio as a decimal fraction with four places, rounded half up, in integers. */
static void ratio_text(char *buf, size_t size, int64_t num, int64_t den)
{
	bool neg = (num < 0) != (den < 0);
	uint64_t n = (uint64_t)(num < 0 ? -num : num), d = (uint64_t)(den < 0 ? -den : den);
	uint64_t scaled = (n * 10000 * 2 + d) / (2 * d);
	snprintf(buf, size, "%s%llu.%04llu", neg && scaled ? "-" : "",
	         (unsigned long long)(scaled / 10000), (unsigned long long)(scaled % 10000));
}

static void value_text(char *buf, size_t size, const youth_indicator_info *ind,
                       const youth_report_cell *cell)
{
	if (cell->flags)
		buf[0] = 0;
	else if (ind->unit == YOUTH_UNIT_RATIO)
		ratio_text(buf, size, cell->value, cell->denominator);
	else if (ind->unit == YOUTH_UNIT_MONEY) {
		int64_t v = cell->value < 0 ? -cell->value : cell->value;
		snprintf(buf, size, "%s%lld.%02lld", cell->value < 0 ? "-" : "", (long long)(v / 100),
		         (long long)(v % 100));
	} else
		snprintf(buf, size, "%lld", (long long)cell->value);
}

int youth_report_cell_text(char *buf, size_t size, const youth_report *r, size_t row,
                           size_t indicator)
{
	if (!buf || size < 32)
		return youth__error(YOUTH_EINVAL, NULL, "youth_report_cell_text: %s",
		                    buf ? "buffer smaller than 32 bytes" : "NULL buffer");
	const youth_report_cell *cell;
	int rc = youth_report_cell_get(&cell, r, row, indicator);
	if (rc)
		return rc;
	value_text(buf, size, &r->ind[indicator], cell);
	return YOUTH_OK;
}

int64_t youth_report_k(const youth_report *r)
{
	return r && !r->internal ? r->k : 0;
}

int youth_report_internal(const youth_report *r)
{
	return r && r->internal;
}

const char *youth_report_at(const youth_report *r)
{
	return r ? r->at : NULL;
}

/* ---- writers ---------------------------------------------------------------------------- */

static const char internal_notice[] =
	"INTERNAL USE ONLY: k = 0, no cell is suppressed; not for publication";

typedef struct writer {
	const youth_report *r;
	youth_write_fn write;
	void *ctx;
	youth__buf b;
	unsigned flags;
	int rc;
} writer;

static int flush(writer *w, bool force)
{
	if (w->rc == YOUTH_OK && w->b.len && (force || w->b.len >= 64 * 1024)) {
		if (w->write(w->ctx, w->b.data, w->b.len) != 0)
			w->rc = youth__error(YOUTH_EIO, NULL, "writing a report: the output failed");
		w->b.len = 0;
	}
	return w->rc;
}

static void put(writer *w, const char *s)
{
	if (w->rc == YOUTH_OK)
		w->rc = youth__buf_puts(&w->b, s);
}

/* What a cell with flags reads as.  Primary and complementary suppression read the same: the
 * difference would tell a reader which cells are small. */
static const char *flag_word(unsigned flags)
{
	return flags & YOUTH_CELL_SUPPRESSED        ? "suppressed"
	       : flags & YOUTH_CELL_UNDEFINED       ? "undefined"
	       : flags & YOUTH_CELL_NOT_APPLICABLE ? "n/a"
	                                             : NULL;
}

static bool row_empty(const youth_report *r, size_t row)
{
	if (row == r->nrows - 1)
		return false; /* the grand total always */
	for (size_t i = 0; i < r->nind; i++) {
		const youth_report_cell *c = &r->cells[row * r->nind + i];
		if ((c->flags & YOUTH_CELL_SUPPRESSED) || (!c->flags && c->value))
			return false;
	}
	return true;
}

/* The level of the row's place along a hierarchical dimension: "district", "total". */
static const char *row_level(const youth_report *r, size_t row, size_t dim)
{
	size_t cat = 0;
	youth_report_row_category(&cat, r, row, dim);
	int level = youth_report_category_level(r, dim, cat);
	return level ? youth_place_level_name(level) : "total";
}

static const char *row_label(const youth_report *r, size_t row, size_t dim)
{
	size_t cat = 0;
	const char *label = "";
	youth_report_row_category(&cat, r, row, dim);
	youth_report_category(&label, NULL, r, dim, cat);
	return label;
}

/* A CSV field: quoted when it holds a separator, quote or line break; text a spreadsheet
 * would run as a formula (= + - @, or a leading tab or carriage return) gets a leading '. */
static void csv_field(writer *w, const char *s)
{
	bool formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
	               s[0] == '\r';
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		put(w, "\"");
	if (formula)
		put(w, "'");
	for (const char *p = s; *p && w->rc == YOUTH_OK; p++)
		w->rc = *p == '"' ? youth__buf_put(&w->b, "\"\"", 2) : youth__buf_put(&w->b, p, 1);
	if (quote)
		put(w, "\"");
}

static void write_csv(writer *w)
{
	const youth_report *r = w->r;
	if (w->flags & YOUTH_REPORT_BOM)
		put(w, "\xEF\xBB\xBF");
	if (r->internal) {
		put(w, "# ");
		put(w, internal_notice);
		put(w, "\r\n");
	}
	for (size_t d = 0; d < r->ndims; d++) {
		csv_field(w, r->dims[d].label);
		put(w, r->dims[d].parent ? ",level," : ",");
	}
	for (size_t i = 0; i < r->nind; i++) {
		csv_field(w, r->ind[i].name);
		put(w, i + 1 < r->nind ? "," : "\r\n");
	}
	for (size_t row = 0; row < r->nrows && flush(w, false) == YOUTH_OK; row++) {
		if ((w->flags & YOUTH_REPORT_SKIP_EMPTY) && row_empty(r, row))
			continue;
		for (size_t d = 0; d < r->ndims; d++) {
			csv_field(w, row_label(r, row, d));
			put(w, ",");
			if (r->dims[d].parent) {
				put(w, row_level(r, row, d));
				put(w, ",");
			}
		}
		for (size_t i = 0; i < r->nind; i++) {
			const youth_report_cell *c = &r->cells[row * r->nind + i];
			char v[48];
			value_text(v, sizeof v, &r->ind[i], c);
			/* Our own numbers: a negative balance stays a number, not text. */
			put(w, c->flags ? flag_word(c->flags) : v);
			put(w, i + 1 < r->nind ? "," : "\r\n");
		}
	}
}

static void json_str(writer *w, const char *s)
{
	put(w, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p && w->rc == YOUTH_OK; p++) {
		char esc[8];
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\', esc[1] = (char)*p, esc[2] = 0;
			put(w, esc);
		} else if (*p < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", *p);
			put(w, esc);
		} else {
			w->rc = youth__buf_put(&w->b, (const char *)p, 1);
		}
	}
	put(w, "\"");
}

static const char *type_name(int t)
{
	static const char *const names[] = {"", "persons", "records", "sum", "ratio", "difference"};
	return t >= 1 && t <= 5 ? names[t] : "";
}

static const char *unit_name(int u)
{
	return u == YOUTH_UNIT_MONEY ? "money" : u == YOUTH_UNIT_RATIO ? "ratio" : "count";
}

/* Keys and scalars of both JSON and YAML: JSON quotes every string, YAML only where needed. */
static void text(writer *w, bool json, const char *s)
{
	if (json)
		json_str(w, s);
	else if (w->rc == YOUTH_OK)
		w->rc = youth__yaml_put_scalar(&w->b, s, true);
}

static void write_tree(writer *w, bool json)
{
	const youth_report *r = w->r;
	char num[64];
	if (json) {
		put(w, r->internal ? "{\"internal\": true, \"notice\": " : "{\"internal\": false");
		if (r->internal)
			json_str(w, internal_notice);
	} else {
		put(w, r->internal ? "# " : "");
		put(w, r->internal ? internal_notice : "");
		put(w, r->internal ? "\ninternal: true\n" : "internal: false\n");
	}
	snprintf(num, sizeof num, json ? ",\n \"k\": %lld,\n \"at\": " : "k: %lld\nat: ",
	         (long long)youth_report_k(r));
	put(w, num);
	text(w, json, r->at);
	put(w, json ? ",\n \"dimensions\": [" : "\ndimensions:");
	for (size_t d = 0; d < r->ndims; d++) {
		put(w, json ? (d ? ",\n  {\"name\": " : "\n  {\"name\": ") : "\n  - name: ");
		text(w, json, r->dims[d].name);
		put(w, json ? ", \"label\": " : "\n    label: ");
		text(w, json, r->dims[d].label);
		put(w, json ? ", \"categories\": [" : "\n    categories:");
		for (size_t k = 0; k < r->dims[d].n; k++) {
			put(w, json ? (k ? ", {\"key\": " : "{\"key\": ") : "\n      - key: ");
			text(w, json, r->dims[d].keys[k]);
			put(w, json ? ", \"label\": " : "\n        label: ");
			text(w, json, r->dims[d].labels[k]);
			put(w, json ? "}" : "");
		}
		put(w, json ? "]}" : r->dims[d].n ? "" : " []");
	}
	put(w, json ? "],\n \"indicators\": [" : r->ndims ? "\nindicators:" : " []\nindicators:");
	for (size_t i = 0; i < r->nind; i++) {
		const youth_indicator_info *in = &r->ind[i];
		put(w, json ? (i ? ",\n  {\"name\": " : "\n  {\"name\": ") : "\n  - name: ");
		text(w, json, in->name);
		put(w, json ? ", \"label\": " : "\n    label: ");
		text(w, json, in->label);
		put(w, json ? ", \"type\": " : "\n    type: ");
		text(w, json, type_name(in->type));
		put(w, json ? ", \"unit\": " : "\n    unit: ");
		text(w, json, unit_name(in->unit));
		put(w, json ? ", \"doc\": " : "\n    doc: ");
		text(w, json, in->doc);
		put(w, json ? "}" : "");
	}
	put(w, json ? "],\n \"rows\": [" : "\nrows:");
	bool first = true;
	for (size_t row = 0; row < r->nrows && flush(w, false) == YOUTH_OK; row++) {
		if ((w->flags & YOUTH_REPORT_SKIP_EMPTY) && row_empty(r, row))
			continue;
		put(w, json ? (first ? "\n  {" : ",\n  {") : "\n  - ");
		first = false;
		for (size_t d = 0; d < r->ndims; d++) {
			if (json)
				json_str(w, r->dims[d].name);
			else
				put(w, r->dims[d].name);
			put(w, ": ");
			text(w, json, row_label(r, row, d));
			put(w, json ? ", " : "\n    ");
			if (r->dims[d].parent) {
				put(w, json ? "\"level\": " : "level: ");
				text(w, json, row_level(r, row, d));
				put(w, json ? ", " : "\n    ");
			}
		}
		put(w, json ? "\"values\": {" : "values: {");
		bool flagged = false;
		for (size_t i = 0; i < r->nind; i++) {
			const youth_report_cell *c = &r->cells[row * r->nind + i];
			char v[48];
			value_text(v, sizeof v, &r->ind[i], c);
			if (i)
				put(w, ", ");
			text(w, json, r->ind[i].name);
			put(w, ": ");
			put(w, c->flags ? "null" : v);
			flagged |= c->flags != 0;
		}
		put(w, "}");
		if (flagged) {
			put(w, json ? ", \"flags\": {" : "\n    flags: {");
			bool any = false;
			for (size_t i = 0; i < r->nind; i++) {
				const youth_report_cell *c = &r->cells[row * r->nind + i];
				if (!c->flags)
					continue;
				put(w, any ? ", " : "");
				any = true;
				text(w, json, r->ind[i].name);
				put(w, ": ");
				text(w, json, flag_word(c->flags));
			}
			put(w, "}");
		}
		put(w, json ? "}" : "");
	}
	put(w, json ? (first ? "]}\n" : "\n ]}\n") : (first ? " []\n" : "\n"));
}

int youth_report_write(youth_write_fn write, void *write_ctx, const youth_report *report,
                       youth_report_format format, unsigned flags)
{
	if (!write || !report)
		return youth__error(YOUTH_EINVAL, NULL, "youth_report_write: NULL %s",
		                    write ? "report" : "write function");
	if (flags & ~(unsigned)(YOUTH_REPORT_BOM | YOUTH_REPORT_SKIP_EMPTY))
		return youth__error(YOUTH_EINVAL, "flags", "youth_report_write: flags 0x%x: unknown",
		                    flags);
	writer w = {report, write, write_ctx, {0}, flags, YOUTH_OK};
	switch (format) {
	case YOUTH_REPORT_CSV:
		write_csv(&w);
		break;
	case YOUTH_REPORT_JSON:
		write_tree(&w, true);
		break;
	case YOUTH_REPORT_YAML:
		write_tree(&w, false);
		break;
	case YOUTH_REPORT_HTML:
		youth__buf_free(&w.b);
		return youth__report_write_html(write, write_ctx, report, flags);
	default:
		youth__buf_free(&w.b);
		return youth__error(YOUTH_EINVAL, "format",
		                    "youth_report_write: format %d: not one of the formats this library "
		                    "writes (csv, json, yaml, html)",
		                    (int)format);
	}
	flush(&w, true);
	youth__buf_free(&w.b);
	return w.rc;
}

static int write_stream(void *stream, const char *data, size_t size)
{
	return fwrite(data, 1, size, stream) == size ? 0 : -1;
}

int youth_report_write_stream(FILE *stream, const youth_report *report,
                              youth_report_format format, unsigned flags)
{
	if (!stream)
		return youth__error(YOUTH_EINVAL, NULL, "youth_report_write_stream: NULL stream");
	int rc = youth_report_write(write_stream, stream, report, format, flags);
	if (rc == YOUTH_OK && fflush(stream) != 0)
		rc = youth__error(YOUTH_EIO, NULL, "writing a report: %s", strerror(errno));
	return rc;
}

struct report_to_file {
	const youth_report *report;
	youth_report_format format;
	unsigned flags;
};

static int report_fill(FILE *f, void *arg)
{
	struct report_to_file *x = arg;
	return youth_report_write(write_stream, f, x->report, x->format, x->flags);
}

int youth_report_write_file(const char *path, const youth_report *report,
                            youth_report_format format, unsigned flags)
{
	if (!path)
		return youth__error(YOUTH_EINVAL, NULL, "youth_report_write_file: NULL path");
	if (!report)
		return youth__error(YOUTH_EINVAL, NULL, "youth_report_write_file: NULL report");
	struct report_to_file x = {report, format, flags};
	return youth__file_replace(path, report_fill, &x);
}
