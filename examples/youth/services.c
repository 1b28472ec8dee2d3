/*
 * services.c - `youth exchange add|list|show|edit`, `youth operator add|list|show|edit|
 * deactivate`, `youth employer add|list|show|edit`, `youth rules load`, `youth programme
 * show|list` and `youth eligibility`.
 *
 * The record commands are the generic ones of records.c: their options are the fields of the
 * C records (youth/exchange.h), set with the kinds' `_set_field`.
 */
#define _POSIX_C_SOURCE 200809L

#include "records.h"

#include <stdlib.h>
#include <string.h>

/* ---- kinds --------------------------------------------------------------------------------- */

REC_WRAP_EDITABLE(youth_exchange, exchange, (&x, reg))
REC_WRAP_EDITABLE(youth_operator, operator, (&x, reg, a))
REC_WRAP_EDITABLE(youth_employer, employer, (&x, reg))
REC_WRAP_EDITABLE(youth_organisation, organisation, (&x, reg, (int)a))

static const char *const exchange_table[] = {"id", "code", "name", "place", "opened_date", NULL};
static const char *const operator_table[] = {"id", "exchange_id", "given_names", "first_surname",
                                             "second_surname", "role", "phone", "active", NULL};
static const char *const employer_table[] = {"id", "name", "sector", "nit", "phone", NULL};

static const rec_ops exchange_ops = {.kind = "exchange", .record = "exchange",
	.self = REF_EXCHANGE, REC_OPS_READ(exchange), .add = exchange_w_add,
	.update = exchange_w_update, .iter_new = exchange_w_iter, .table_fields = exchange_table};

static const rec_ops operator_ops = {.kind = "operator", .record = "operator",
	.self = REF_OPERATOR, REC_OPS_READ(operator), .add = operator_w_add,
	.update = operator_w_update, .iter_new = operator_w_iter, .table_fields = operator_table};

static const char *const organisation_table[] = {"id", "code", "name", "type", "parent_id",
                                                 "place", NULL};

static const rec_ops organisation_ops = {.kind = "organisation", .record = "organisation",
	.self = REF_ORGANISATION, REC_OPS_READ(organisation), .add = organisation_w_add,
	.update = organisation_w_update, .iter_new = organisation_w_iter,
	.table_fields = organisation_table};

static const rec_ops employer_ops = {.kind = "employer", .record = "employer",
	.self = REF_EMPLOYER, REC_OPS_READ(employer), .add = employer_w_add,
	.update = employer_w_update, .iter_new = employer_w_iter, .table_fields = employer_table};

/* ---- exchange ------------------------------------------------------------------------------ */

REC_CMDS_ADD_SHOW_EDIT(exchange, &exchange_ops)
REC_CMD(cmd_exchange_list, rec_cmd_list, &exchange_ops, NULL, 0)

/* ---- organisation: CONAMYPE, its centres, training providers and the exchanges ------------- */

REC_CMDS_ADD_SHOW_EDIT(organisation, &organisation_ops)
static const rec_filter organisation_list_filters[] = {{"type", REF_ORG_TYPE, 0}};
REC_CMD(cmd_organisation_list, rec_cmd_list, &organisation_ops, organisation_list_filters, 1)

/* ---- operator ------------------------------------------------------------------------------ */

REC_CMDS_ADD_SHOW_EDIT(operator, &operator_ops)
static const rec_filter operator_list_filters[] = {{"exchange", REF_ORGANISATION, 0},
                                                         {"organisation", REF_ORGANISATION, 0}};
REC_CMD(cmd_operator_list, rec_cmd_list, &operator_ops, operator_list_filters, 2)

int cmd_operator_deactivate(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_operator *o = NULL;
	int rc, status = CLI_OK;

	rec_cmdline c;
	if (rec_start(ctx, cmd, argc, argv, YOUTH_OPEN_DEFAULT, REF_OPERATOR, "operator", &c,
	              &status) == CLI_DONE)
		return status;
	rc = youth_operator_get(&o, c.reg, c.id);
	if (rc == YOUTH_OK)
		rc = youth_operator_set_field(o, "active", "false");
	if (rc == YOUTH_OK)
		rc = youth_operator_update(c.reg, o);
	if (rc != YOUTH_OK)
		status = cli_fail(rc);
	youth_operator_free(o);
	youth_registry_close(c.reg);
	return status;
}

/* ---- employer ------------------------------------------------------------------------------ */

REC_CMDS_ADD_SHOW_EDIT(employer, &employer_ops)
REC_CMD(cmd_employer_list, rec_cmd_list, &employer_ops, NULL, 0)

/* ---- rules, programmes, eligibility -------------------------------------------------------- */

int cmd_rules_load(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_registry *reg = NULL;
	int64_t loaded = 0;
	int rc, status = CLI_OK;

	rec_cmdline c;
	if (rec_begin(ctx, cmd, argc, argv, YOUTH_OPEN_DEFAULT, 1, "FILE", NULL, &c, &status) ==
	    CLI_DONE)
		return status;
	reg = c.reg;
	rc = youth_rules_load(&loaded, reg, argv[optind]);
	if (rc != YOUTH_OK)
		status = cli_fail(rc);
	else
		printf("loaded %lld %s\n", (long long)loaded, loaded == 1 ? "programme" : "programmes");
	youth_registry_close(reg);
	return status;
}

/* `programme list` leaves the long columns to the machine formats; `show` prints them all.
 * Unset age rules stay empty (null in JSON): the library's description reads 0 as unset. */
static const char *const programme_machine_only[] = {"uuid", "places", "census_rounds", NULL};

int cmd_programme_show(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_programme *p = NULL;
	int rc, status;

	rec_cmdline c;
	if (rec_begin(ctx, cmd, argc, argv, YOUTH_OPEN_READONLY, 1, "programme CODE", NULL, &c,
	              &status) == CLI_DONE)
		return status;
	rc = youth_programme_get(&p, c.reg, argv[optind]);
	status = rc == YOUTH_OK ? rec_write_kind_one("programme", c.format, p) : cli_fail(rc);
	youth_programme_free(p);
	youth_registry_close(c.reg);
	return status;
}

REC_WRAP_LIST(youth_programme, programme)

int cmd_programme_list(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_programme_iter *it = NULL;
	int rc, status;

	rec_cmdline c;
	if (rec_begin(ctx, cmd, argc, argv, YOUTH_OPEN_READONLY, 0, NULL, NULL, &c, &status) ==
	    CLI_DONE)
		return status;
	rc = youth_programme_iter_new(&it, c.reg);
	return rec_write_list(c.reg, rc, "programme", c.format, programme_machine_only, it,
	                      programme_w_next, programme_w_iter_free);
}

int cmd_eligibility(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_registry *reg = NULL;
	cli_args a;
	char today[YOUTH_DATE_LEN + 1];
	int64_t person;
	int rc, status = CLI_OK;

	if (cli_parse_operands(ctx, cmd, argc, argv, &a, 2, "PERSON and PROGRAMME", "PROGRAMME",
	                       &status) == CLI_DONE)
		return status;
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	if ((status = rec_resolve(reg, REF_PERSON, "person", argv[optind], &person)) == CLI_OK) {
		rc = youth_eligibility_check(reg, argv[optind + 1], person,
		                             cli_date_or_today(cli_arg(&a, "date"), today));
		if (rc != YOUTH_OK)
			status = cli_fail(rc);
		else
			printf("eligible\n");
	}
	youth_registry_close(reg);
	return status;
}
