/*
 * scholarships.c - `youth scholarship apply|award|reject|activate|complete|terminate|pay|
 * balance|show|list`: first-work scholarships (youth/scholarship.h).
 *
 * Every value goes through the library's text interface (youth_scholarship_set_field(),
 * youth_scholarship_placement_set_field(), youth_scholarship_payment_set_field()), so money
 * ("150.00"), dates and names are validated in C and the messages name the C field.
 */
#define _POSIX_C_SOURCE 200809L

#include "records.h"

#include <stdlib.h>
#include <string.h>

/* REC_WRAP without add: a scholarship is added by youth_scholarship_apply(). */
REC_WRAP_LIST(youth_scholarship, scholarship)
REC_WRAP_GET(youth_scholarship, scholarship)

static int scholarship_w_add(youth_registry *reg, void *r)
{
	return youth_scholarship_apply(reg, (youth_scholarship *)r, NULL);
}

REC_WRAP_ITER(scholarship_w_iter, scholarship, (&x, reg, a, b))

static const char *const scholarship_table[] = {"id", "person_id", "state", "applied_date",
                                                "state_date", "employer_id", "position",
                                                "monthly_stipend", NULL};

static const rec_ops scholarship_ops = {.kind = "scholarship", .record = "scholarship",
	.self = REF_SCHOLARSHIP, REC_OPS_READ(scholarship), .add = scholarship_w_add,
	.iter_new = scholarship_w_iter, .table_fields = scholarship_table};

/* ---- apply --------------------------------------------------------------------------------- */

static int apply_w(youth_registry *reg, void *rec, const youth_override *ovr)
{
	return youth_scholarship_apply(reg, rec, ovr);
}

static const rec_opt apply_operands[] = {{NULL, "person_id", REF_PERSON}};
static const rec_apply apply = {
	.ops = &scholarship_ops, .all = "person id or UUID", .operands = apply_operands,
	.noperands = 1, .apply = apply_w,
};
REC_CMD(cmd_scholarship_apply, rec_cmd_apply, &apply)

/* ---- transitions --------------------------------------------------------------------------- */

#define CHANGE(verb, field) \
	{.what = "scholarship", .ref = REF_SCHOLARSHIP, .field = youth_scholarship_##verb, \
	 .reason_for = "reject and terminate"}
static const rec_change award = CHANGE(award, dated), reject = CHANGE(reject, reasoned),
                        complete = CHANGE(complete, dated),
                        terminate = CHANGE(terminate, reasoned);

REC_CMD(cmd_scholarship_award, rec_cmd_change, &award)
REC_CMD(cmd_scholarship_reject, rec_cmd_change, &reject)
REC_CMD(cmd_scholarship_complete, rec_cmd_change, &complete)
REC_CMD(cmd_scholarship_terminate, rec_cmd_change, &terminate)

/* The placement's options, then --date (the date of the change, not a placement field). */
static const rec_opt activate_fields[] = {
	{"employer", "employer_id", REF_EMPLOYER},   {"position", "position", REF_NONE},
	{"start-date", "start_date", REF_NONE},  {"end-date", "end_date", REF_NONE},
	{"hours", "hours_per_week", REF_NONE},   {"stipend", "monthly_stipend", REF_NONE},
	{"date", "", REF_NONE},
};
#define NACTIVATE (sizeof(activate_fields) / sizeof(activate_fields[0]))
static const rec_ops placement_ops = {.kind = "placement", .record = "scholarship_placement"};

int cmd_scholarship_activate(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	const char *values[NACTIVATE] = {NULL};
	char today[YOUTH_DATE_LEN + 1];
	youth_registry *reg = NULL;
	youth_scholarship_placement p;
	int64_t id = 0;
	int rc, status = CLI_OK;

	if (rec_opts_parse(ctx, cmd, argc, argv, activate_fields, NACTIVATE, values, &status) ==
	    CLI_DONE)
		return status;
	if ((status = rec_one_operand(cmd, argc, argv, "scholarship")) != CLI_OK)
		return status;
	youth_scholarship_placement_init(&p);
	status = rec_opts_set(&placement_ops, &p, activate_fields, NACTIVATE - 1, values);
	if (status != CLI_OK)
		return status;
	if ((status = rec_open_operand(ctx, cmd, YOUTH_OPEN_DEFAULT, REF_SCHOLARSHIP, "scholarship",
	                               argv[optind], &reg, &id)) != CLI_OK)
		return status;
	/* The employer (an id, a UUID or a NIT) needs the registry. */
	status = rec_opts_apply(reg, &placement_ops, &p, activate_fields, 1, values);
	if (status != CLI_OK) {
		youth_registry_close(reg);
		return status;
	}
	rc = youth_scholarship_activate(reg, id, cli_date_or_today(values[NACTIVATE - 1], today),
	                                &p);
	return cli_close(reg, rc);
}

/* ---- payments and balance ------------------------------------------------------------------ */

REC_WRAP_LIST(youth_scholarship_payment, scholarship_payment)

/* A payment is added by youth_scholarship_pay(). */
static int scholarship_payment_w_add(youth_registry *reg, void *r)
{
	return youth_scholarship_pay(reg, (youth_scholarship_payment *)r);
}
REC_ADD_OPS(payment_ops, "payment", scholarship_payment);

static const rec_opt pay_fields[] = {
	{"amount", "amount", REF_NONE},          {"date", "paid_date", REF_NONE},
	{"method", "method", REF_NONE},          {"reference", "reference", REF_NONE},
	{"operator", "operator_id", REF_OPERATOR},
};
static const rec_child pay = {
	.owner = "scholarship", .owner_field = "scholarship_id", .owner_ref = REF_SCHOLARSHIP,
	.ops = &payment_ops,
	.opts = pay_fields, .nopts = REC_OPTS_N(pay_fields), .op = 4, .date = 1,
};
REC_CMD(cmd_scholarship_pay, rec_cmd_add_child, &pay)

int cmd_scholarship_balance(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	static const char *const names[] = {"owed", "paid", "balance"};
	youth_scholarship_balance_info bal;
	int rc, status;

	rec_cmdline c;
	if (rec_start(ctx, cmd, argc, argv, YOUTH_OPEN_READONLY, REF_SCHOLARSHIP, "scholarship", &c,
	              &status) == CLI_DONE)
		return status;
	if ((rc = youth_scholarship_balance(&bal, c.reg, c.id)) != YOUTH_OK)
		status = cli_fail(rc);
	else
		status = rec_print_amounts(c.format, names,
		                           (const int64_t[]){bal.owed_total, bal.paid_total,
		                                             bal.balance},
		                           3);
	youth_registry_close(c.reg);
	return status;
}

/* ---- show and list ------------------------------------------------------------------------- */

REC_WRAP_LIST(youth_scholarship_installment, scholarship_installment)
REC_WRAP_OWNER_ITER(installment_w_iter, scholarship_installment, (&x, reg, owner))

REC_WRAP_OWNER_ITER(payment_w_iter, scholarship_payment, (&x, reg, owner))

/* The scholarship is the record printed above, and the uuid (like a payment's exchange) is
 * for machines. */
static const char *const installment_machine[] = {"uuid", "scholarship_id", NULL};
static const char *const payment_machine[] = {"uuid", "scholarship_id", "exchange_id", NULL};

static const rec_section sections[] = {
	{.name = "schedule", .iter_new = installment_w_iter,
	 .next = scholarship_installment_w_next, .iter_free = scholarship_installment_w_iter_free,
	 .record = "scholarship_installment", .machine_only = installment_machine},
	{.name = "payments", .iter_new = payment_w_iter, .next = scholarship_payment_w_next,
	 .iter_free = scholarship_payment_w_iter_free,
	 .record = "scholarship_payment", .machine_only = payment_machine},
};

REC_CMD(cmd_scholarship_show, rec_cmd_show_sections, &scholarship_ops, "scholarship",
	                             sections, 2)

static const rec_filter list_filters[] = {{"person", REF_PERSON, 0}, {"employer", REF_EMPLOYER, 1}};
REC_CMD(cmd_scholarship_list, rec_cmd_list, &scholarship_ops, list_filters, 2)
