/*
 * enterprise.c - `youth group add|member add|member remove|show|list`: groups of applicants
 * for seed capital and the female entrepreneurship window (youth/enterprise.h).
 *
 * `group add` and `group list` are the generic commands of records.c (options = fields of
 * youth_group, set with youth_group_set_field()).  `youth plan add|submit|appraise|approve|
 * reject|operating|close|disburse|visit|service add|service list|show|list` follow.
 */
#define _POSIX_C_SOURCE 200809L

#include "records.h"
#include "cli-doc.h"

#include <stdlib.h>
#include <string.h>

REC_WRAP(youth_group, group)

/* a: the window (0 = all). */
REC_WRAP_ITER(group_w_iter, group, (&x, reg, (int)a))

static const char *const group_table[] = {"id", "name", "window", "women_only", "operator_id",
                                          "formed_date", NULL};

static const rec_ops group_ops = {.kind = "group", .record = "group", .self = REF_GROUP,
	REC_OPS_READ(group), .add = group_w_add, .iter_new = group_w_iter,
	.table_fields = group_table};

REC_CMD(cmd_group_add, rec_cmd_add, &group_ops)
static const rec_filter group_list_filters[] = {{"window", REF_WINDOW, 0}};
REC_CMD(cmd_group_list, rec_cmd_list, &group_ops, group_list_filters, 1)


static int member_add(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	cli_args a;
	const char *date, *op;
	char today[YOUTH_DATE_LEN + 1];
	youth_registry *reg = NULL;
	youth_group_member m;
	int64_t gid = 0, pid = 0, oid = 0;
	int rc, status = CLI_OK;

	if (cli_parse_operands(ctx, cmd, argc, argv, &a, 2, "GROUP and PERSON", "PERSON",
	                       &status) == CLI_DONE)
		return status;
	date = cli_arg(&a, "date");
	op = cli_arg(&a, "operator");
	if (!op)
		return cli_usage(cmd, "missing --operator ID");
	youth_group_member_init(&m);
	rc = youth_group_member_set_field(&m, "joined_date", cli_date_or_today(date, today));
	if (rc != YOUTH_OK)
		return cli_fail(rc);
	if ((status = rec_open_operand(ctx, cmd, YOUTH_OPEN_DEFAULT, REF_GROUP, "group", argv[optind],
	                               &reg, &gid)) != CLI_OK)
		return status;
	if ((status = rec_resolve(reg, REF_PERSON, "person_id", argv[optind + 1], &pid)) != CLI_OK ||
	    (status = rec_resolve(reg, REF_OPERATOR, "operator_id", op, &oid)) != CLI_OK)
		goto out;
	m.group_id = gid;
	m.person_id = pid;
	m.operator_id = oid;
	rc = youth_group_member_add(reg, &m);
	status = cli_added(rc, m.id, m.uuid);
out:
	youth_registry_close(reg);
	return status;
}

static REC_CMD(member_remove, rec_cmd_remove_person, REF_GROUP, "GROUP", youth_group_member_remove)

static const cli_command member_cmds[] = {
	{"group", "member add", member_add, CLI_DOC_group_member_add},
	{"group", "member remove", member_remove, CLI_DOC_group_member_remove},
};

int cmd_group_member(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	return cli_subcommand(ctx, cmd, argc, argv, member_cmds,
	                      sizeof(member_cmds) / sizeof(member_cmds[0]));
}

REC_WRAP_LIST(youth_group_member, group_member)

REC_WRAP_OWNER_ITER(member_w_iter, group_member, (&x, reg, owner, 0))

/* Who joined, when, through whom; the group is the record the list follows. */
static const char *const member_fields[] = {"id", "person_id", "joined_date", "operator_id", NULL};

static const rec_section members = {
	.name = "members", .iter_new = member_w_iter, .next = group_member_w_next,
	.iter_free = group_member_w_iter_free, .record = "group_member", .fields = member_fields,
};

REC_CMD(cmd_group_show, rec_cmd_show_sections, &group_ops, "group", &members, 1)

/* ---- plans --------------------------------------------------------------------------------- */

REC_WRAP_ADD(youth_plan, plan)
REC_WRAP_GET(youth_plan, plan)
REC_WRAP_LIST(youth_plan_disbursement, plan_disbursement)
REC_WRAP_ADD(youth_plan_disbursement, plan_disbursement)

/* The plans of `plan list`, filtered by state here: the library filters by person, group and
 * window (c), and an officer asks for "the approved ones" (d, 0 = any). */
typedef struct plan_w_it {
	youth_plan_iter *it;
	int state;
} plan_w_it;

static int plan_w_iter4(void **it, youth_registry *reg, int64_t a, int64_t b, int64_t c,
                        int64_t d)
{
	plan_w_it *w = calloc(1, sizeof *w);
	*it = NULL;
	if (!w)
		return cli_failf("out of memory"), YOUTH_ENOMEM;
	int rc = youth_plan_iter_new(&w->it, reg, (int)c, a, b);
	w->state = (int)d;
	if (rc != YOUTH_OK) {
		free(w);
		return rc;
	}
	*it = w;
	return rc;
}

static int plan_w_iter(void **it, youth_registry *reg, int64_t a, int64_t b)
{
	return plan_w_iter4(it, reg, a, b, 0, 0);
}

static int plan_w_next(const void **o, void *it)
{
	plan_w_it *w = it;
	const youth_plan *p = NULL;
	int rc;
	while ((rc = youth_plan_next(&p, w->it)) == YOUTH_OK && w->state && p->state != w->state)
		;
	*o = p;
	return rc;
}

static void plan_w_iter_free(void *it)
{
	plan_w_it *w = it;
	if (w)
		youth_plan_iter_free(w->it);
	free(w);
}

/* The group's name (what an officer knows a group by), what was paid and what remains. */
static const char *const plan_extra[] = {"group", "disbursed", "remaining", NULL};
static const out_type plan_extra_types[] = {OUT_STR, OUT_STR, OUT_STR};

static int plan_extras(youth_registry *reg, const void *rec, const char **values,
                       char (*bufs)[32])
{
	static char group[128];
	const youth_plan *p = rec;
	youth_plan_balance_info bal;
	int rc = YOUTH_OK;
	if (p->group_id) {
		youth_group *g = NULL;
		if ((rc = youth_group_get(&g, reg, p->group_id)) != YOUTH_OK)
			return rc;
		snprintf(group, sizeof group, "%s", g->name);
		youth_group_free(g);
		values[0] = group;
	}
	if ((rc = youth_plan_balance(&bal, reg, p->id)) != YOUTH_OK)
		return rc;
	rec_fmt_money(bufs[1], sizeof bufs[1], bal.disbursed);
	rec_fmt_money(bufs[2], sizeof bufs[2], bal.remaining);
	values[1] = bufs[1];
	values[2] = bufs[2];
	return YOUTH_OK;
}

REC_WRAP_OWNER_ITER(disb_w_iter, plan_disbursement, (&x, reg, owner))

static const char *const plan_table[] = {"id", "window", "person_id", "group_id", "title",
                                         "requested", "approved", "state", "state_date", NULL};

static const rec_ops plan_ops = {.kind = "plan", .record = "plan", .self = REF_PLAN,
	REC_OPS_READ(plan), .add = plan_w_add, .iter_new = plan_w_iter,
	.iter_new4 = plan_w_iter4, .table_fields = plan_table, .extra_names = plan_extra,
	.extras = plan_extras, .extra_types = plan_extra_types};

/* The plan and its exchange are in the record printed above, and the uuid is for machines. */
static const char *const disb_machine[] = {"uuid", "plan_id", "exchange_id", NULL};
static const char *const visit_machine[] = {"uuid", "plan_id", "exchange_id", NULL};

REC_WRAP_LIST(youth_plan_visit, plan_visit)
REC_WRAP_OWNER_ITER(visit_w_iter, plan_visit, (&x, reg, owner))

/* The options of `plan add` are the plan's fields; --date is drafted_date. */
static const char *const plan_renames[] = {"date", "drafted_date", NULL};
static const rec_add_form plan_form = {
	.ops = &plan_ops, .renames = plan_renames, .one_of = {"person", "group"},
};
REC_CMD(cmd_plan_add, rec_cmd_add_form, &plan_form)

enum { P_SUBMIT, P_APPRAISE, P_APPROVE, P_REJECT, P_OPERATING, P_CLOSE };

/* The six changes of a plan share one option table, so that each refuses the --amount,
 * --reason or overrides it does not take by naming the change that does: rec_cmd_change()
 * knows only --date and --reason, and would call the others unknown options. */
static int plan_transition(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, int which)
{
	enum { DATE, AMOUNT, REASON, OVR_OP, OVR_REASON, NOPTS };
	cli_args a;
	char today[YOUTH_DATE_LEN + 1];
	youth_registry *reg = NULL;
	youth_override ovr;
	youth_plan_disbursement tmp;
	int64_t id = 0;
	int rc, status = CLI_OK;

	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE)
		return status;
	const char *v[NOPTS] = {cli_arg(&a, "date"), cli_arg(&a, "amount"), cli_arg(&a, "reason"),
	                        cli_arg(&a, "override-operator"), cli_arg(&a, "override-reason")};
	if ((status = rec_one_operand(cmd, argc, argv, "plan")) != CLI_OK)
		return status;
	if ((which == P_APPROVE) != (v[AMOUNT] != NULL))
		return cli_usage(cmd, which == P_APPROVE ? "missing --amount AMOUNT"
		                                         : "--amount is only for approve");
	if ((which == P_REJECT || which == P_CLOSE) != (v[REASON] != NULL))
		return cli_usage(cmd, v[REASON] ? "--reason is only for reject and close"
		                                : "missing --reason TEXT");
	if (which != P_SUBMIT && (v[OVR_OP] || v[OVR_REASON]))
		return cli_usage(cmd, "overrides are only for submit");
	if ((v[OVR_OP] != NULL) != (v[OVR_REASON] != NULL))
		return cli_usage(cmd, "--override-operator and --override-reason go together");
	youth_plan_disbursement_init(&tmp); /* parses the amount as money ("500.00") */
	if (v[AMOUNT] && (rc = youth_plan_disbursement_set_field(&tmp, "amount", v[AMOUNT])) !=
	                     YOUTH_OK)
		return cli_fail(rc);
	if ((status = rec_open_operand(ctx, cmd, YOUTH_OPEN_DEFAULT, REF_PLAN, "plan", argv[optind],
	                               &reg, &id)) != CLI_OK)
		return status;
	if ((status = rec_override(reg, v[OVR_OP], v[OVR_REASON], &ovr)) != CLI_OK) {
		youth_registry_close(reg);
		return status;
	}
	v[DATE] = cli_date_or_today(v[DATE], today);
	switch (which) {
	case P_SUBMIT: rc = youth_plan_submit(reg, id, v[DATE], v[OVR_OP] ? &ovr : NULL); break;
	case P_APPRAISE: rc = youth_plan_appraise(reg, id, v[DATE]); break;
	case P_APPROVE: rc = youth_plan_approve(reg, id, v[DATE], tmp.amount); break;
	case P_REJECT: rc = youth_plan_reject(reg, id, v[DATE], v[REASON]); break;
	case P_OPERATING: rc = youth_plan_set_operating(reg, id, v[DATE]); break;
	default: rc = youth_plan_close(reg, id, v[DATE], v[REASON]); break;
	}
	if (rc != YOUTH_OK)
		status = cli_fail(rc);
	youth_registry_close(reg);
	return status;
}

REC_CMD(cmd_plan_submit, plan_transition, P_SUBMIT)
REC_CMD(cmd_plan_appraise, plan_transition, P_APPRAISE)
REC_CMD(cmd_plan_approve, plan_transition, P_APPROVE)
REC_CMD(cmd_plan_reject, plan_transition, P_REJECT)
REC_CMD(cmd_plan_operating, plan_transition, P_OPERATING)
REC_CMD(cmd_plan_close, plan_transition, P_CLOSE)

REC_ADD_OPS(disbursement_ops, "disbursement", plan_disbursement);

static const rec_opt disburse_fields[] = {
	{"amount", "amount", REF_NONE},          {"date", "date", REF_NONE},
	{"reference", "reference", REF_NONE},    {"operator", "operator_id", REF_OPERATOR},
};
static const rec_child disburse = {
	.owner = "plan", .owner_field = "plan_id", .owner_ref = REF_PLAN, .ops = &disbursement_ops,
	.opts = disburse_fields, .nopts = REC_OPTS_N(disburse_fields), .op = 3, .date = 1,
};
REC_CMD(cmd_plan_disburse, rec_cmd_add_child, &disburse)

int cmd_plan_list(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	static const rec_filter filters[] = {{"person", REF_PERSON, 0}, {"group", REF_GROUP, 1},
	                                     {"window", REF_WINDOW, 2}, {"state", REF_PLAN_STATE, 3}};
	return rec_cmd_list(ctx, cmd, argc, argv, &plan_ops, filters, 4);
}

/* What was approved, paid and remains of a plan (table under "balance:", CSV after a blank
 * line, JSON member "balance"), so an officer sees what may still be disbursed. */
static int print_balance(youth_registry *reg, int64_t plan, out_format format)
{
	static const char *const names[] = {"approved", "disbursed", "remaining"};
	youth_plan_balance_info bal;
	int rc;

	if ((rc = youth_plan_balance(&bal, reg, plan)) != YOUTH_OK)
		return cli_fail(rc);
	if (format == OUT_JSON)
		fputs(", \"balance\": ", stdout);
	else if (format == OUT_CSV)
		fputs("\r\n", stdout);
	else
		fputs("\nbalance:\n", stdout);
	return rec_print_amounts(format, names,
	                         (const int64_t[]){bal.approved, bal.disbursed, bal.remaining}, 3);
}

int cmd_plan_show(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	static const rec_section sections[] = {
		{.name = "balance", .print = print_balance},
		{.name = "disbursements", .iter_new = disb_w_iter, .next = plan_disbursement_w_next,
		 .iter_free = plan_disbursement_w_iter_free,
		 .record = "plan_disbursement", .machine_only = disb_machine},
		{.name = "visits", .iter_new = visit_w_iter, .next = plan_visit_w_next,
		 .iter_free = plan_visit_w_iter_free, .record = "plan_visit",
		 .machine_only = visit_machine},
	};
	return rec_cmd_show_sections(ctx, cmd, argc, argv, &plan_ops, "plan", sections, 3);
}

/* `plan visits PLAN`: the follow-up visits of one plan alone, for the officer who plans the
 * next one. */
int cmd_plan_visits(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	static const rec_section visits = {
		.name = "visits", .iter_new = visit_w_iter, .next = plan_visit_w_next,
		.iter_free = plan_visit_w_iter_free, .record = "plan_visit",
		.machine_only = visit_machine,
	};
	int status = CLI_OK;

	rec_cmdline c;
	if (rec_start(ctx, cmd, argc, argv, YOUTH_OPEN_READONLY, REF_PLAN, "plan", &c, &status) ==
	    CLI_DONE)
		return status;
	status = rec_print_rows(c.reg, &visits, c.id, c.format);
	youth_registry_close(c.reg);
	return status;
}

REC_WRAP_ADD(youth_plan_visit, plan_visit)

REC_ADD_OPS(visit_ops, "visit", plan_visit);

static const rec_opt visit_fields[] = {
	{"date", "date", REF_NONE},              {"operating", "operating", REF_NONE},
	{"jobs", "jobs_created", REF_NONE},      {"sales", "monthly_sales", REF_NONE},
	{"notes", "notes", REF_NONE},            {"operator", "operator_id", REF_OPERATOR},
};
/* `plan visit ID --date D --operating yes|no --jobs N --sales AMOUNT --operator ID [--notes]`
 * (the library reads yes and no as a flag's true and false). */
static const rec_child visit = {
	.owner = "plan", .owner_field = "plan_id", .owner_ref = REF_PLAN, .ops = &visit_ops,
	.opts = visit_fields, .nopts = REC_OPTS_N(visit_fields), .op = 5, .date = -1,
};
REC_CMD(cmd_plan_visit, rec_cmd_add_child, &visit)

/* ---- business-development services ------------------------------------------------------- */

REC_WRAP(youth_business_service, business_service)

REC_WRAP_ITER(service_w_iter, business_service, (&x, reg, a, b))

static const char *const service_table[] = {"id", "group_id", "plan_id", "kind", "date", "hours",
                                           "provider", NULL};

static const rec_ops service_ops = {.kind = "business-development service",
	.record = "business_service", .self = REF_NONE, REC_OPS_READ(business_service),
	.add = business_service_w_add, .iter_new = service_w_iter, .table_fields = service_table};

/* `business-service add (--plan ID | --group ID) --kind K --date D --hours N --provider P
 * --operator ID [--notes TEXT] [--uuid UUID]`: the options are youth_business_service
 * fields. */
static const rec_add_form service_form = {
	.ops = &service_ops, .one_of = {"plan", "group"}, .need_operator = 1,
};
REC_CMD(cmd_business_service_add, rec_cmd_add_form, &service_form)

static const rec_filter service_filters[] = {{"group", REF_GROUP, 0}, {"plan", REF_PLAN, 1}};
REC_CMD(cmd_business_service_list, rec_cmd_list, &service_ops, service_filters, 2)
