/*
 * report.c - `youth report`: the programme's indicators, disaggregated, with disclosure control.
 *
 * Everything is the library's (youth/report.h): the counting, the suppression and the CSV,
 * JSON, YAML and HTML writers.  The command turns options into youth_report_options, and
 * writes the aligned table itself through output.c, as every other command does; the table
 * shows a suppressed cell with the word the CSV writer uses and states k below it.
 */
#include "cli.h"
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The word a cell without a value shows in the table (as the CSV writer words it). */
static const char *cell_word(unsigned flags)
{
	if (flags & YOUTH_CELL_SUPPRESSED)
		return "suppressed";
	if (flags & YOUTH_CELL_NOT_APPLICABLE)
		return "n/a";
	return "undefined";
}

int cli_report_table(FILE *fp, const youth_report *r, unsigned flags)
{
	size_t nd = youth_report_dimension_count(r), nind = youth_report_indicator_count(r);
	size_t ncols = nd + nind, nrows = youth_report_row_count(r), row, d, i;
	out_column *cols = calloc(ncols ? ncols : 1, sizeof(*cols));
	const char **values = calloc(ncols ? ncols : 1, sizeof(*values));
	char (*text)[32] = calloc(nind ? nind : 1, sizeof(*text));
	char (*indented)[256] = calloc(nd ? nd : 1, sizeof(*indented));
	out_writer *w = NULL;
	int status = CLI_OK, suppressed = 0, rc = YOUTH_OK;

	if (!cols || !values || !text || !indented) {
		status = cli_failf("out of memory");
		goto done;
	}
	for (d = 0; d < nd; d++)
		cols[d] = (out_column){youth_report_dimension_name(r, d), OUT_STR, OUT_EVERYWHERE};
	for (i = 0; i < nind; i++)
		cols[nd + i] = (out_column){youth_report_indicator(r, i)->name, OUT_INT, OUT_EVERYWHERE};
	if (youth_report_internal(r))
		fputs("INTERNAL USE ONLY: no disclosure control (k = 0); do not publish\n", fp);
	w = out_begin(fp, OUT_TABLE, cols, ncols, 0);
	if (!w) {
		status = cli_failf("out of memory");
		goto done;
	}
	for (row = 0; row < nrows && rc == YOUTH_OK; row++) {
		int all_zero = 1;
		for (d = 0; d < nd && rc == YOUTH_OK; d++) {
			size_t cat;
			if ((rc = youth_report_row_category(&cat, r, row, d)) == YOUTH_OK)
				rc = youth_report_category(&values[d], NULL, r, d, cat);
			/* along a hierarchy of places, a part is indented under its group */
			size_t depth = 0, n = youth_report_category_count(r, d), p = cat;
			while (rc == YOUTH_OK && (p = youth_report_category_parent(r, d, p)) < n)
				depth++;
			if (rc == YOUTH_OK && depth) {
				snprintf(indented[d], sizeof(indented[d]), "%*s%s", (int)(2 * depth), "",
				         values[d]);
				values[d] = indented[d];
			}
		}
		for (i = 0; i < nind && rc == YOUTH_OK; i++) {
			const youth_report_cell *c;
			if ((rc = youth_report_cell_get(&c, r, row, i)) != YOUTH_OK)
				break;
			all_zero &= !(c->flags & YOUTH_CELL_SUPPRESSED) && (c->flags || !c->value);
			suppressed |= (c->flags & YOUTH_CELL_SUPPRESSED) != 0;
			if (c->flags)
				values[nd + i] = cell_word(c->flags);
			else if ((rc = youth_report_cell_text(text[i], sizeof(text[i]), r, row, i)) ==
			         YOUTH_OK)
				values[nd + i] = text[i];
		}
		if (rc != YOUTH_OK ||
		    ((flags & YOUTH_REPORT_SKIP_EMPTY) && all_zero && nind && row + 1 < nrows))
			continue;
		if (out_row(w, values) != 0) {
			status = cli_failf("out of memory");
			break;
		}
	}
	if (rc != YOUTH_OK && status == CLI_OK)
		status = cli_fail(rc);
	if (out_end(w) != 0 && status == CLI_OK)
		status = cli_failf("cannot write the output");
	if (status == CLI_OK && suppressed)
		fprintf(fp, "suppressed: fewer than %lld persons, or a figure from which such a count "
		        "could be worked out (k = %lld)\n", (long long)youth_report_k(r),
		        (long long)youth_report_k(r));
done:
	free(cols);
	free(values);
	free(text);
	free(indented);
	return status;
}

int cli_report_k(const cli_command *cmd, const char *k_text, youth_report_options *o)
{
	long long k;

	if (k_text && (o->flags & YOUTH_REPORT_INTERNAL))
		return cli_usage(cmd, "--k and --internal exclude each other");
	if (o->flags & YOUTH_REPORT_INTERNAL) {
		o->k = 0;
		return CLI_OK;
	}
	if (!k_text)
		return CLI_OK;
	if (cli_parse_int(k_text, 1000000, &k) != 0)
		return cli_usage(cmd, "--k '%s': not a whole number from 2 to 1000000", k_text);
	if (k < 2) /* 0 and 1 suppress nothing */
		return cli_usage(cmd, "--k %lld publishes every small count: say --internal", k);
	o->k = k;
	return CLI_OK;
}

/* Formats of --format: the table of output.c, or a writer of the library. */
static int parse_format(const char *name, int *format)
{
	static const struct {
		const char *name;
		int format;
	} formats[] = {
		{"table", 0},
		{"csv", YOUTH_REPORT_CSV},
		{"json", YOUTH_REPORT_JSON},
		{"yaml", YOUTH_REPORT_YAML},
		{"html", YOUTH_REPORT_HTML},
	};
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(name, formats[i].name) == 0) {
			*format = formats[i].format;
			return 0;
		}
	return -1;
}

int cli_report_run(const cli_command *cmd, youth_registry *reg, const youth_report_options *o,
                   int format, unsigned flags, const char *output)
{
	youth_report *r = NULL;
	int rc = youth_report_new(&r, reg, o);
	int status = CLI_OK;

	if (rc == YOUTH_EINVAL && !(o->definitions_path &&
	                            strstr(youth_error_last()->message, o->definitions_path)))
		/* Every input here is an option: name it as a usage error (a bad definition in a
		 * file is the file's fault, reported with its line). */
		return cli_usage(cmd, "%s", youth_error_last()->message);
	if (rc != YOUTH_OK)
		return cli_fail(rc);
	if (format == 0)
		status = cli_report_table(stdout, r, flags);
	else if (output)
		rc = youth_report_write_file(output, r, (youth_report_format)format, flags);
	else
		rc = youth_report_write_stream(stdout, r, (youth_report_format)format, flags);
	if (rc != YOUTH_OK)
		status = cli_fail(rc);
	youth_report_free(r);
	return status;
}

int cmd_report(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_report_options o;
	youth_registry *reg = NULL;
	cli_args a;
	int rc, format = 0, status = CLI_OK;
	struct stat st;

	youth_report_options_init(&o);
	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE)
		return status;
	const char *indicators = cli_arg(&a, "indicators"), *output = cli_arg(&a, "output");
	const char *k_text = cli_arg(&a, "k"), *f = cli_arg(&a, "format");
	o.definitions_path = cli_arg(&a, "definitions");
	o.by = cli_arg(&a, "by");
	o.from = cli_arg(&a, "from");
	o.to = cli_arg(&a, "to");
	o.at = cli_arg(&a, "at");
	o.place = cli_arg(&a, "place");
	o.census_round = cli_arg(&a, "census-round");
	o.age_bands = cli_arg(&a, "age-bands");
	o.flags |= cli_bit(&a, "internal", YOUTH_REPORT_INTERNAL) |
	           cli_bit(&a, "age-at-service", YOUTH_REPORT_AGE_AT_SERVICE);
	unsigned wflags = cli_bit(&a, "bom", YOUTH_REPORT_BOM) |
	                  cli_bit(&a, "skip-empty", YOUTH_REPORT_SKIP_EMPTY);
	if (f && parse_format(f, &format) != 0)
		return cli_usage(cmd, "unknown format '%s' (table, csv, json, yaml, html)", f);
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if ((status = cli_report_k(cmd, k_text, &o)) != CLI_OK)
		return status;
	if (output && format == 0)
		return cli_usage(cmd, "--output needs --format csv, json, yaml or html");
	if ((wflags & YOUTH_REPORT_BOM) && format != YOUTH_REPORT_CSV)
		return cli_usage(cmd, "--bom is for --format csv");
	/* --indicators FILE: the file's indicators, all of them. */
	if (indicators && !o.definitions_path && stat(indicators, &st) == 0 && S_ISREG(st.st_mode))
		o.definitions_path = indicators;
	else
		o.indicators = indicators;
	if ((o.from && (rc = youth_date_check(o.from, "--from")) != YOUTH_OK) ||
	    (o.to && (rc = youth_date_check(o.to, "--to")) != YOUTH_OK) ||
	    (o.at && (rc = youth_date_check(o.at, "--at")) != YOUTH_OK))
		return cli_fail(rc);

	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	status = cli_report_run(cmd, reg, &o, format, wflags, output);
	youth_registry_close(reg);
	return status;
}
