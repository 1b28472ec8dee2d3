/*
 * places.c - `youth init`, `youth gazetteer load|list|levels`, `youth census load`,
 * `youth summary`.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"
#include "output.h"
#include "records.h"

#include <stdlib.h>
#include <string.h>

/* ---- init -------------------------------------------------------------------------------- */

int cmd_init(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_registry *reg = NULL;
	int status = CLI_OK;

	if (cli_no_options(ctx, cmd, argc, argv, &status) == CLI_DONE)
		return status;
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_CREATE, &reg)) != CLI_OK)
		return status;
	printf("registry %s (schema version %d)\n", youth_registry_path(reg),
	       youth_registry_schema_version(reg));
	youth_registry_close(reg);
	return CLI_OK;
}

/* ---- gazetteer load / census load -------------------------------------------------------- */

static int load_file(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, int census)
{
	youth_registry *reg = NULL;
	cli_args a;
	int64_t added = 0;
	int rc, status = CLI_OK;

	if (cli_parse_operands(ctx, cmd, argc, argv, &a, 1, "FILE", NULL, &status) == CLI_DONE)
		return status;
	unsigned flags = cli_bit(&a, "allow-age", YOUTH_PERSON_ALLOW_AGE);

	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) != CLI_OK)
		return status;
	if (census)
		rc = youth_census_load(&added, reg, argv[optind], flags);
	else
		rc = youth_gazetteer_load(&added, reg, argv[optind]);
	if (rc != YOUTH_OK)
		status = cli_fail(rc);
	else
		printf("added %lld %s\n", (long long)added,
		       census ? (added == 1 ? "person" : "persons") : (added == 1 ? "place" : "places"));
	youth_registry_close(reg);
	return status;
}

int cmd_gazetteer_load(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	return load_file(ctx, cmd, argc, argv, 0);
}

int cmd_census_load(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	return load_file(ctx, cmd, argc, argv, 1);
}

/* ---- gazetteer list ---------------------------------------------------------------------- */

/* "municipality" or "2" -> 2; 0 when unknown. */
static int parse_level(const char *text)
{
	int level;

	if (text[0] >= '1' && text[0] <= '4' && text[1] == '\0')
		return text[0] - '0';
	for (level = 1; level <= 4; level++) {
		const char *name = youth_place_level_name(level);
		if (name && strcmp(name, text) == 0)
			return level;
	}
	return 0;
}

REC_WRAP_LIST(youth_place, place)

/* A row of `gazetteer list` on the writer @p arg. */
static int place_row(void *arg, const void *rec)
{
	const youth_place *pl = rec;
	char id[32];
	const char *values[6] = {id, pl->uuid, pl->path, pl->name, youth_place_level_name(pl->level),
	                         pl->critical ? "true" : "false"};

	snprintf(id, sizeof(id), "%lld", (long long)pl->id);
	return out_row(arg, values) != 0 ? -1 : 0;
}

int cmd_gazetteer_list(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	static const out_column cols[] = {CLI_COLUMNS_gazetteer_list};
	cli_args a;
	out_format format;
	int level = 0;
	youth_registry *reg = NULL;
	youth_place_iter *it = NULL;
	out_writer *w = NULL;
	int rc, status = CLI_OK;

	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE ||
	    rec_format_arg(&a, &format, &status) == CLI_DONE)
		return status;
	const char *under = cli_arg(&a, "under"), *lv = cli_arg(&a, "level");
	if (lv && !(level = parse_level(lv)))
		return cli_usage(cmd, "unknown level '%s' (department, municipality, district, "
		                 "community)", lv);
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);

	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	rc = youth_place_iter_new(&it, reg, under, level);
	if (rc != YOUTH_OK) {
		status = cli_fail(rc);
		goto done;
	}
	w = out_begin(stdout, format, cols, sizeof(cols) / sizeof(cols[0]), 0);
	if (!w) {
		status = cli_failf("out of memory");
		goto done;
	}
	status = rec_write_rows(w, it, place_w_next, place_row, w);
done:
	place_w_iter_free(it);
	youth_registry_close(reg);
	return status;
}

/* ---- gazetteer levels -------------------------------------------------------------------- */

int cmd_gazetteer_levels(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	static const out_column cols[] = {CLI_COLUMNS_gazetteer_levels};
	cli_args a;
	out_format format;
	youth_registry *reg = NULL;
	out_writer *w = NULL;
	int level, rc = YOUTH_OK, status = CLI_OK;

	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE ||
	    rec_format_arg(&a, &format, &status) == CLI_DONE)
		return status;
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);

	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	w = out_begin(stdout, format, cols, sizeof(cols) / sizeof(cols[0]), 0);
	if (!w)
		status = cli_failf("out of memory");
	for (level = YOUTH_PLACE_DEPARTMENT; level <= YOUTH_PLACE_COMMUNITY && status == CLI_OK;
	     level++) {
		char number[8], *label = NULL, *alt = NULL;
		const char *values[4];
		if ((rc = youth_place_level_label(&label, reg, level, 0)) == YOUTH_OK)
			rc = youth_place_level_label(&alt, reg, level, 1);
		if (rc != YOUTH_OK) {
			status = cli_fail(rc);
		} else {
			snprintf(number, sizeof(number), "%d", level);
			values[0] = number;
			values[1] = youth_place_level_name(level);
			values[2] = label;
			values[3] = alt;
			if (out_row(w, values) != 0)
				status = cli_failf("out of memory");
		}
		youth_free(label);
		youth_free(alt);
	}
	if (w && out_end(w) != 0 && status == CLI_OK)
		status = cli_failf("cannot write the output");
	youth_registry_close(reg);
	return status;
}

/* ---- summary ----------------------------------------------------------------------------- */

/*
 * The summary is the census indicator of the report engine (youth/report.h) by place, sex and
 * age band.  Its rows are places of three levels, each the sum of the level below: published
 * from separate tables, a figure hidden in one could be worked out from another (a
 * municipality's total minus its other districts).  So the levels are ONE hierarchical
 * dimension of one report, municipality>district>community x sex x age band, whose disclosure
 * control knows that every group is the sum of its parts (docs/disclosure.md).  No count is
 * made here.
 */

typedef struct summary_place {
	char *path;
	int critical;
} summary_place;

/* Columns of figures, in the order of the output. */
enum { S_TOTAL, S_FEMALE, S_MALE, S_16_17, S_18_20, S_21_24, S_OTHER, S_NCOUNTS };

/* The report and where its categories are.  Dimensions: the places (one hierarchy of the
 * levels in use; none without places), then sex, then age band. */
typedef struct summary_table {
	youth_report *report;
	size_t ndims, sex_dim, band_dim;
	int place_dim;                           /* -1 without places */
	size_t stride[8];                        /* row distance of one step along a dimension */
	size_t sex_cat[2];                       /* category of female, male */
	size_t band_cat[4];                      /* category of 16-17, 18-20, 21-24, other */
} summary_table;

static void free_places(summary_place *places, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(places[i].path);
	free(places);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const summary_place *)a)->path, ((const summary_place *)b)->path);
}

/* Copies the path and criticality of every place, sorted by path (looked up by the report's
 * categories); @p per_level[L] counts every place of level L. */
static int collect_places(youth_registry *reg, summary_place **out, size_t *count,
                          size_t per_level[YOUTH_PLACE_COMMUNITY + 1])
{
	youth_place_iter *it = NULL;
	const youth_place *pl;
	summary_place *places = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	*count = 0;
	if ((rc = youth_place_iter_new(&it, reg, NULL, 0)) != YOUTH_OK)
		return cli_fail(rc);
	while ((rc = youth_place_next(&pl, it)) == YOUTH_OK) {
		if (pl->level >= 0 && pl->level <= YOUTH_PLACE_COMMUNITY)
			per_level[pl->level]++;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			summary_place *np = realloc(places, ncap * sizeof(*np));
			if (!np)
				break;
			places = np;
			cap = ncap;
		}
		places[n].path = strdup(pl->path);
		places[n].critical = pl->critical;
		n++;
		if (!places[n - 1].path)
			break;
	}
	youth_place_iter_free(it);
	if (rc != YOUTH_ITEROVER && rc != YOUTH_OK) {
		free_places(places, n);
		return cli_fail(rc);
	}
	if (rc == YOUTH_OK) { /* left the loop on an allocation failure */
		free_places(places, n);
		return cli_failf("out of memory");
	}
	if (n)
		qsort(places, n, sizeof(*places), by_path);
	*out = places;
	*count = n;
	return CLI_OK;
}

/* Whether the place of @p path is a critical community. */
static int is_critical(const summary_place *places, size_t n, const char *path)
{
	summary_place key = {(char *)path, 0};
	const summary_place *pl = n ? bsearch(&key, places, n, sizeof(*places), by_path) : NULL;

	return pl && pl->critical;
}

/* The category of dimension @p dim whose key is @p key; the margin when there is none. */
static size_t find_category(const youth_report *r, size_t dim, const char *key)
{
	size_t cat, n = youth_report_category_count(r, dim);
	const char *label, *k;

	for (cat = 0; cat < n; cat++)
		if (youth_report_category(&label, &k, r, dim, cat) == YOUTH_OK && k &&
		    strcmp(k, key) == 0)
			return cat;
	return n;
}

/* Builds the census report by municipality>district>community (the levels that have places)
 * x sex x age band at @p o->at, under disclosure control. */
static int summary_table_new(summary_table *t, youth_registry *reg, youth_report_options *o,
                             const size_t *per_level)
{
	static const char *const bands[] = {"16-17", "18-20", "21-24", "other"};
	char by[128] = "";
	size_t i, d;
	int level, rc;

	t->place_dim = -1;
	for (level = YOUTH_PLACE_MUNICIPALITY; level <= YOUTH_PLACE_COMMUNITY; level++) {
		if (!per_level[level])
			continue;
		if (*by)
			strcat(by, ">");
		strcat(by, youth_place_level_name(level));
	}
	if (*by) {
		t->place_dim = (int)t->ndims++;
		strcat(by, ",");
	}
	strcat(by, "sex,age_band");
	t->sex_dim = t->ndims++;
	t->band_dim = t->ndims++;
	o->by = by;
	o->indicators = "census";
	o->age_bands = "16-17,18-20,21-24";
	if ((rc = youth_report_new(&t->report, reg, o)) != YOUTH_OK)
		return rc;
	for (d = t->ndims, i = 1; d-- > 0;) {
		t->stride[d] = i;
		i *= youth_report_category_count(t->report, d) + 1;
	}
	t->sex_cat[0] = find_category(t->report, t->sex_dim, "female");
	t->sex_cat[1] = find_category(t->report, t->sex_dim, "male");
	for (i = 0; i < 4; i++)
		t->band_cat[i] = find_category(t->report, t->band_dim, bands[i]);
	return YOUTH_OK;
}

/* The row of place category @p place (SIZE_MAX: every place) with @p sex and @p band
 * (SIZE_MAX: the margin), or SIZE_MAX when a category is missing from the report (a sex or
 * band the report does not have: the figure is 0). */
static size_t summary_row(const summary_table *t, size_t place, size_t sex, size_t band)
{
	size_t d, row = 0;

	for (d = 0; d < t->ndims; d++) {
		size_t n = youth_report_category_count(t->report, d), cat = n;
		int given = 1;
		if ((int)d == t->place_dim && place != SIZE_MAX)
			cat = place;
		else if (d == t->sex_dim && sex != SIZE_MAX)
			cat = sex;
		else if (d == t->band_dim && band != SIZE_MAX)
			cat = band;
		else
			given = 0;
		if (given && cat == n)
			return SIZE_MAX;
		row += cat * t->stride[d];
	}
	return row;
}

/* The figures of place category @p place (SIZE_MAX: every place) as text: digits, or for a
 * suppressed one @p mark (NULL: unset, which CSV and JSON write as empty and null).  Returns 1
 * when a figure is suppressed, else 0; the total in @p total. */
static int summary_figures(const summary_table *t, size_t place, const char *mark,
                           char text[S_NCOUNTS][24], const char *values[S_NCOUNTS],
                           int64_t *total)
{
	size_t rows[S_NCOUNTS];
	int k, suppressed = 0;

	rows[S_TOTAL] = summary_row(t, place, SIZE_MAX, SIZE_MAX);
	rows[S_FEMALE] = summary_row(t, place, t->sex_cat[0], SIZE_MAX);
	rows[S_MALE] = summary_row(t, place, t->sex_cat[1], SIZE_MAX);
	for (k = 0; k < 4; k++)
		rows[S_16_17 + k] = summary_row(t, place, SIZE_MAX, t->band_cat[k]);
	*total = 0;
	for (k = 0; k < S_NCOUNTS; k++) {
		const youth_report_cell *c = NULL;
		if (rows[k] != SIZE_MAX)
			youth_report_cell_get(&c, t->report, rows[k], 0);
		if (c && (c->flags & YOUTH_CELL_SUPPRESSED)) {
			values[k] = mark;
			suppressed = 1;
			continue;
		}
		snprintf(text[k], sizeof(text[k]), "%lld", c ? (long long)c->value : 0LL);
		values[k] = text[k];
		if (k == S_TOTAL && c)
			*total = c->value;
	}
	return suppressed;
}

int cmd_summary(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	/* Table: an indented place name; CSV/JSON: path, name, level, critical. */
	static const out_column cols[] = {CLI_COLUMNS_summary};
	enum { NCOLS = sizeof(cols) / sizeof(cols[0]) };
	cli_args a;
	out_format format;
	char today[YOUTH_DATE_LEN + 1], ktext[24];
	const char *mark;
	int suppressed = 0;
	youth_report_options o;
	summary_table t;
	size_t per_level[YOUTH_PLACE_COMMUNITY + 1] = {0};
	youth_registry *reg = NULL;
	summary_place *places = NULL;
	size_t nplaces = 0, ncats, i;
	out_writer *w = NULL;
	int rc = YOUTH_OK, status = CLI_OK;

	memset(&t, 0, sizeof(t));
	youth_report_options_init(&o);
	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE ||
	    rec_format_arg(&a, &format, &status) == CLI_DONE)
		return status;
	o.at = cli_arg(&a, "at");
	o.census_round = cli_arg(&a, "census-round");
	o.flags |= cli_bit(&a, "internal", YOUTH_REPORT_INTERNAL);
	const char *k_text = cli_arg(&a, "k");
	int all = cli_flag(&a, "all");
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if ((status = cli_report_k(cmd, k_text, &o)) != CLI_OK)
		return status;
	cli_today(today);
	if (!o.at)
		o.at = today;
	else if ((rc = youth_date_check(o.at, "--at")) != YOUTH_OK)
		return cli_fail(rc);

	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	if ((status = collect_places(reg, &places, &nplaces, per_level)) != CLI_OK)
		goto done;
	if ((rc = summary_table_new(&t, reg, &o, per_level)) != YOUTH_OK) {
		status = cli_fail(rc);
		goto done;
	}
	snprintf(ktext, sizeof(ktext), "%lld", (long long)youth_report_k(t.report));
	mark = format == OUT_TABLE ? "suppressed" : NULL;
	if (youth_report_internal(t.report) && format == OUT_TABLE)
		printf("INTERNAL USE ONLY: no disclosure control (k = 0); do not publish\n");
	w = out_begin(stdout, format, cols, NCOLS, 0);
	if (!w) {
		status = cli_failf("out of memory");
		goto done;
	}
	ncats = t.place_dim < 0 ? 0 : youth_report_category_count(t.report, (size_t)t.place_dim);
	/* Row 0 is the whole registry, then one row per place, each group before its parts. */
	for (i = 0; i <= ncats; i++) {
		size_t cat = i ? i - 1 : SIZE_MAX, depth = 0, p = cat;
		const char *name = "All places", *path = NULL;
		char text[S_NCOUNTS][24];
		char label[256];
		const char *values[NCOLS], *figures[S_NCOUNTS];
		int64_t total;
		int k, hidden, level = 0, critical = 0;

		if (i) {
			youth_report_category(&name, &path, t.report, (size_t)t.place_dim, cat);
			level = youth_report_category_level(t.report, (size_t)t.place_dim, cat);
			critical = *path && is_critical(places, nplaces, path);
			while ((p = youth_report_category_parent(t.report, (size_t)t.place_dim, p)) <
			       ncats)
				depth++;
			/* of the communities, the critical areas; every one with --all */
			if (level == YOUTH_PLACE_COMMUNITY && *path && !critical && !all)
				continue;
		}
		hidden = summary_figures(&t, cat, mark, text, figures, &total);

		if (i && total == 0 && !hidden && !all)
			continue;
		suppressed |= hidden;
		snprintf(label, sizeof(label), "%*s%s", (int)(2 * depth), "", name);
		values[0] = label;
		values[1] = path && *path ? path : NULL;
		values[2] = name;
		values[3] = i ? youth_place_level_name(level) : "total";
		values[4] = i ? (critical ? "true" : "false") : NULL;
		for (k = 0; k < S_NCOUNTS; k++)
			values[5 + k] = figures[k];
		for (k = 0; k < 4; k++)
			values[12 + k] = figures[S_16_17 + k];
		values[16] = o.at;
		values[17] = ktext;
		if (out_row(w, values) != 0) {
			status = cli_failf("out of memory");
			break;
		}
	}
	if (out_end(w) != 0 && status == CLI_OK)
		status = cli_failf("cannot write the output");
	if (status == CLI_OK && suppressed && format == OUT_TABLE)
		printf("suppressed: fewer than %s persons, or a figure from which such a count could "
		       "be worked out (k = %s)\n", ktext, ktext);
done:
	youth_report_free(t.report);
	free_places(places, nplaces);
	youth_registry_close(reg);
	return status;
}
