/*
 * followups.c - `youth followup add|list|count`: outcome follow-ups (youth/followup.h).
 *
 * `add` maps each option to youth_followup_set_field() (option --horizon is field
 * horizon_months, --employer is employer_id), so the validation stays in the library; `list`
 * is the generic listing of records.c.
 */
#define _POSIX_C_SOURCE 200809L

#include "records.h"

#include <stdlib.h>
#include <string.h>

REC_WRAP(youth_followup, followup)

REC_WRAP_ITER(followup_w_iter, followup, (&x, reg, a))

static const char *const followup_table[] = {"id", "person_id", "date", "horizon_months",
                                             "status", "employer_id", "service", "service_id",
                                             NULL};

static const rec_ops followup_ops = {.kind = "followup", .record = "followup", .self = REF_NONE,
	REC_OPS_READ(followup), .add = followup_w_add, .iter_new = followup_w_iter,
	.table_fields = followup_table};

/* The options of `followup add` are the follow-up's fields; --horizon is horizon_months. */
static const char *const add_renames[] = {"horizon", "horizon_months", NULL};

int cmd_followup_add(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	rec_cmdline c;
	youth_followup f;
	int64_t id;
	int rc, status = CLI_OK;

	if (rec_begin(ctx, cmd, argc, argv, YOUTH_OPEN_DEFAULT, 1, "person id or UUID", NULL, &c,
	              &status) == CLI_DONE)
		return status;
	youth_registry *reg = c.reg;
	youth_followup_init(&f);
	if ((status = rec_resolve(reg, REF_PERSON, "person_id", argv[optind], &id)) != CLI_OK)
		goto out;
	f.person_id = id;
	if ((status = rec_set_fields(reg, &followup_ops, &f, &c.a, add_renames)) == CLI_OK) {
		rc = youth_followup_add(reg, &f);
		status = cli_added(rc, f.id, f.uuid);
	}
out:
	youth_registry_close(reg);
	return status;
}

static const rec_filter followup_list_filters[] = {{"person", REF_PERSON, 0}};
REC_CMD(cmd_followup_list, rec_cmd_list, &followup_ops, followup_list_filters, 1)

int cmd_followup_count(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_registry *reg = NULL;
	youth_followup tmp;
	cli_args a;
	long long horizon = 0;
	int64_t n = 0;
	int rc, status = CLI_OK;

	youth_followup_init(&tmp);
	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE)
		return status;
	const char *v = cli_arg(&a, "status"), *from = cli_arg(&a, "from"), *to = cli_arg(&a, "to");
	if (v && (rc = youth_followup_set_field(&tmp, "status", v)) != YOUTH_OK)
		return cli_fail(rc);
	if ((v = cli_arg(&a, "horizon")) &&
	    cli_parse_int(v, YOUTH_FOLLOWUP_HORIZON_MAX, &horizon) != 0)
		return cli_usage(cmd, "--horizon: '%s' is not a number of months (0-60)", v);
	if ((status = cli_operands(cmd, argc, argv, 0, NULL, NULL)) != CLI_OK)
		return status;
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	rc = youth_followup_count(&n, reg, tmp.status, (int)horizon, from, to);
	status = cli_counted(rc, n);
	youth_registry_close(reg);
	return status;
}
