/*
 * audit.c - `youth audit enable|log|verify|anchor`: the registry's audit trail
 * (docs/privacy.md).  The columns of `audit log` come from the published description of the
 * kind audit_entry (youth/kind.h), like every listing.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <youth.h>

#include "cli.h"
#include "output.h"
#include "records.h"

/* Every write of the tool names its actor once the file is audited: --actor or YOUTH_ACTOR
 * (main.c), set on the handle by cli_open(). */

int cmd_audit_enable(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_registry *reg = NULL;
	int status;

	if (cli_no_options(ctx, cmd, argc, argv, &status) == CLI_DONE)
		return status;
	if ((status = cli_operands(cmd, argc, argv, 0, NULL, NULL)) != CLI_OK)
		return status;
	if (!ctx->actor || !ctx->actor[0])
		return cli_usage(cmd, "no actor: use --actor NAME or set YOUTH_ACTOR");
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) != CLI_OK)
		return status;
	return cli_close(reg, youth_audit_enable(reg));
}

/* Table: the columns a reader scans; the changes and the hash only in CSV and JSON. */
static const char *const log_machine_only[] = {"record_uuid", "changes", "hash", NULL};

REC_WRAP_LIST(youth_audit_entry, audit)

int cmd_audit_log(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	cli_args a;
	out_format format;
	youth_registry *reg = NULL;
	youth_audit_iter *it = NULL;
	int status = CLI_OK;

	if (rec_list_opts(ctx, cmd, argc, argv, &a, &format, &status) == CLI_DONE)
		return status;
	youth_audit_filter f = {cli_arg(&a, "kind"), cli_arg(&a, "uuid"), cli_arg(&a, "actor"),
	                        cli_arg(&a, "from"), cli_arg(&a, "to")};
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	int rc = youth_audit_iter_new(&it, reg, &f);
	return rec_write_list(reg, rc, "audit_entry", format, log_machine_only, it, audit_w_next,
	                      audit_w_iter_free);
}

/* verify and anchor: the whole chain checked; anchor prints the head to keep elsewhere. */
static int verify(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, int print_anchor)
{
	cli_args a;
	youth_registry *reg = NULL;
	youth_audit_problem p;
	int rc, status = CLI_OK;

	if (cli_parse_operands(ctx, cmd, argc, argv, &a, 0, NULL, NULL, &status) == CLI_DONE)
		return status;
	const char *anchor = print_anchor ? NULL : cli_arg(&a, "anchor");
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	rc = youth_audit_verify(&p, reg, anchor);
	if (rc == YOUTH_OK) {
		if (print_anchor)
			printf("%s\n", p.head);
		else
			printf("audit trail intact: %lld entries, head %s\n", (long long)p.entries,
			       p.head[0] ? p.head : "(none)");
	} else if (rc == YOUTH_ECORRUPT && p.problems > 1) {
		cli_fail(rc);
		fprintf(stderr, "youth: %lld problems in all; the first is at entry %lld\n",
		        (long long)p.problems, (long long)p.entry);
		youth_registry_close(reg);
		return CLI_FAIL;
	}
	return cli_close(reg, rc);
}

int cmd_audit_verify(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	return verify(ctx, cmd, argc, argv, 0);
}

int cmd_audit_anchor(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	return verify(ctx, cmd, argc, argv, 1);
}
