/*
 * check.c - `youth check`: damage and broken invariants (youth/check.h, docs/reliability.md).
 *
 * Exit status: 0 sound (or every problem repaired), 4 problems left (including a registry too
 * damaged to open), 1 the check could not run, 2 usage, 3 busy.
 */
#include "cli.h"
#include "output.h"
#include "records.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Problems found: distinct from 1 (the library failed) so a script can tell them apart. */
#define CLI_DAMAGED 4

int cmd_check(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	static const out_column cols[] = {CLI_COLUMNS_check};
	cli_args a;
	out_format format;
	unsigned flags = YOUTH_CHECK_DEFAULT;
	int status = CLI_OK;

	if (rec_list_opts(ctx, cmd, argc, argv, &a, &format, &status) == CLI_DONE)
		return status;
	if (cli_flag(&a, "quick"))
		flags |= YOUTH_CHECK_QUICK;
	if (cli_flag(&a, "repair"))
		flags |= YOUTH_CHECK_REPAIR;
	if (!ctx->registry || !ctx->registry[0])
		return cli_usage(cmd, "no registry: use -r FILE or set YOUTH_REGISTRY");
	youth_registry *reg = NULL;
	int rc = youth_registry_open(&reg, ctx->registry,
	                             (flags & YOUTH_CHECK_REPAIR) ? YOUTH_OPEN_DEFAULT
	                                                          : YOUTH_OPEN_READONLY);
	if (rc == YOUTH_ECORRUPT) {
		/* Too damaged to open is the worst finding of a check, not a failure of it. */
		cli_fail(rc);
		return CLI_DAMAGED;
	}
	if (rc != YOUTH_OK)
		return cli_fail(rc);
	youth_check_report *report = NULL;
	rc = youth_check_run(&report, reg, flags);
	if (rc != YOUTH_OK)
		return cli_close(reg, rc);
	size_t n = youth_check_report_count(report), left = youth_check_report_unrepaired(report);
	/* A sound registry prints no empty table; CSV and JSON keep their header or []. */
	out_writer *w = n || format != OUT_TABLE
	                        ? out_begin(stdout, format, cols, sizeof cols / sizeof *cols, 0)
	                        : NULL;
	for (size_t i = 0; w && i < n; i++) {
		const youth_check_problem *p = youth_check_report_get(report, i);
		char id[24];
		snprintf(id, sizeof id, "%" PRId64, p->id);
		const char *row[] = {p->kind, p->table, p->id ? id : NULL, p->uuid, p->message,
		                     p->repaired ? "true" : "false"};
		if (out_row(w, row) != 0)
			break;
	}
	int io = w ? out_end(w) : (n || format != OUT_TABLE) ? -1 : 0;
	/* The verdict goes to stderr: stdout stays the rows, for CSV and JSON. */
	if (n == 0)
		fprintf(stderr, "youth: %s: no problem found%s\n", ctx->registry,
		        youth_check_report_sealed(report)
		                ? ((flags & YOUTH_CHECK_QUICK) ? " (page checksums present, not scanned: --quick)"
		                                               : " (every page matches its checksum)")
		                : " (the registry has no page checksums: see docs/reliability.md)");
	else
		fprintf(stderr, "youth: %s: %zu problem%s found, %zu repaired, %zu left\n",
		        ctx->registry, n, n == 1 ? "" : "s", n - left, left);
	youth_check_report_free(report);
	youth_registry_close(reg);
	if (io != 0)
		return cli_failf("writing the report failed");
	return left ? CLI_DAMAGED : CLI_OK;
}
