/*
 * courses.c - `youth course add|list|show|edit`, `youth cohort add|list|show|edit`, `youth enroll`
 * and `youth enrollment state|attendance|session|certificate|show|list`.
 *
 * Records are filled with the kinds' `_set_field` (youth/course.h); the state machine, the
 * capacity, attendance and eligibility rules stay in the library, whose messages are printed
 * as they are.
 */
#define _POSIX_C_SOURCE 200809L

#include "records.h"

#include <stdlib.h>
#include <string.h>

/* ---- kinds --------------------------------------------------------------------------------- */

REC_WRAP_EDITABLE(youth_course, course, (&x, reg))
REC_WRAP_EDITABLE(youth_cohort, cohort, (&x, reg, a))

/* An enrollment is added by youth_enrollment_apply() (`youth enroll`). */
REC_WRAP_LIST(youth_enrollment, enrollment)
REC_WRAP_GET(youth_enrollment, enrollment)
REC_WRAP_ITER(enrollment_w_iter, enrollment, (&x, reg, a, b))

/* Computed columns of a cohort: places taken (enrolled + completed) and places free. */
static int cohort_extras(youth_registry *reg, const void *rec, const char **values,
                         char (*bufs)[32])
{
	const youth_cohort *c = rec;
	int64_t taken = 0;
	int rc = youth_cohort_taken(&taken, reg, c->id);

	if (rc != YOUTH_OK)
		return rc;
	snprintf(bufs[0], 32, "%lld", (long long)taken);
	snprintf(bufs[1], 32, "%lld", (long long)(c->capacity - taken));
	values[0] = bufs[0];
	values[1] = bufs[1];
	return YOUTH_OK;
}

static const char *const course_table[] = {"id", "code", "title", "provider", "hours",
                                           "job_profile", NULL};
static const char *const cohort_table[] = {"id", "code", "course_id", "exchange_id",
                                           "start_date", "end_date", "capacity",
                                           "min_attendance", NULL};
static const char *const cohort_extra[] = {"taken", "free", NULL};
static const char *const enrollment_table[] = {"id", "cohort_id", "person_id", "state",
                                               "applied_date", "state_date", "attendance",
                                               "certificate_date", NULL};

static const rec_ops course_ops = {.kind = "course", .record = "course", .self = REF_COURSE,
	REC_OPS_READ(course), .add = course_w_add, .update = course_w_update,
	.iter_new = course_w_iter, .table_fields = course_table};

static const rec_ops cohort_ops = {.kind = "cohort", .record = "cohort", .self = REF_COHORT,
	REC_OPS_READ(cohort), .add = cohort_w_add, .update = cohort_w_update,
	.iter_new = cohort_w_iter, .table_fields = cohort_table, .extra_names = cohort_extra,
	.extras = cohort_extras};

static const rec_ops enrollment_ops = {.kind = "enrollment", .record = "enrollment",
	.self = REF_ENROLLMENT, REC_OPS_READ(enrollment), .iter_new = enrollment_w_iter,
	.table_fields = enrollment_table};

/* ---- course -------------------------------------------------------------------------------- */

REC_CMDS_ADD_SHOW_EDIT(course, &course_ops)
REC_CMD(cmd_course_list, rec_cmd_list, &course_ops, NULL, 0)

/* ---- cohort -------------------------------------------------------------------------------- */

REC_CMDS_ADD_SHOW_EDIT(cohort, &cohort_ops)
static const rec_filter cohort_list_filters[] = {{"course", REF_COURSE, 0}};
REC_CMD(cmd_cohort_list, rec_cmd_list, &cohort_ops, cohort_list_filters, 1)

/* ---- enroll -------------------------------------------------------------------------------- */

static int enroll_w(youth_registry *reg, void *rec, const youth_override *ovr)
{
	return youth_enrollment_apply(reg, rec, ovr);
}

static const rec_opt enroll_operands[] = {{NULL, "person_id", REF_PERSON},
                                          {NULL, "cohort_id", REF_COHORT}};
static const rec_apply enroll = {
	.ops = &enrollment_ops, .all = "PERSON and COHORT", .rest = "COHORT",
	.operands = enroll_operands, .noperands = 2, .apply = enroll_w,
};
REC_CMD(cmd_enroll, rec_cmd_apply, &enroll)

/* ---- enrollment ---------------------------------------------------------------------------- */

/* Opens the registry and resolves the enrollment operand (an id or a UUID). */
static int open_enrollment(cli_ctx *ctx, const cli_command *cmd, char **argv,
                           youth_registry **reg, int64_t *id)
{
	return rec_open_operand(ctx, cmd, YOUTH_OPEN_DEFAULT, REF_ENROLLMENT, "enrollment",
	                        argv[optind], reg, id);
}

static int state_number(const char *name)
{
	int s;
	const char *n;

	for (s = 1; (n = youth_enrollment_state_name(s)) != NULL; s++)
		if (strcmp(n, name) == 0)
			return s;
	return 0;
}

int cmd_enrollment_state(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	cli_args a;
	const char *date, *reason;
	char today[YOUTH_DATE_LEN + 1];
	youth_registry *reg = NULL;
	int64_t id = 0;
	int rc, state, status = CLI_OK;

	if (cli_parse_operands(ctx, cmd, argc, argv, &a, 2, "ID and STATE", "STATE", &status) ==
	    CLI_DONE)
		return status;
	date = cli_arg(&a, "date");
	reason = cli_arg(&a, "reason");
	state = state_number(argv[optind + 1]);
	if (!state)
		return cli_usage(cmd, "unknown state '%s' (enrolled, completed, dropped, not_eligible)",
		                 argv[optind + 1]);
	if ((status = open_enrollment(ctx, cmd, argv, &reg, &id)) != CLI_OK)
		return status;
	rc = youth_enrollment_set_state(reg, id, state, cli_date_or_today(date, today), reason);
	return cli_close(reg, rc);
}

int cmd_enrollment_attendance(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_registry *reg = NULL;
	int64_t id = 0;
	long long pct;
	int rc, status = CLI_OK;

	if (cli_no_options(ctx, cmd, argc, argv, &status) == CLI_DONE)
		return status;
	status = cli_operands(cmd, argc, argv, 2, "ID and PERCENT", "PERCENT");
	if (status != CLI_OK)
		return status;
	{
		const char *t = argv[optind + 1];
		size_t len = strlen(t);
		char num[16];
		if (len > 0 && len < sizeof(num) && t[len - 1] == '%')
			len--;
		if (len == 0 || len >= sizeof(num))
			return cli_usage(cmd, "'%s' is not a percentage", t);
		memcpy(num, t, len);
		num[len] = '\0';
		if (cli_parse_int(num, 1000000, &pct) != 0)
			return cli_usage(cmd, "'%s' is not a percentage", t);
	}
	if ((status = open_enrollment(ctx, cmd, argv, &reg, &id)) != CLI_OK)
		return status;
	rc = youth_enrollment_set_attendance(reg, id, (int)pct);
	return cli_close(reg, rc);
}

int cmd_enrollment_session(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_registry *reg = NULL;
	int64_t id = 0;
	int rc, present, status = CLI_OK;

	if (cli_no_options(ctx, cmd, argc, argv, &status) == CLI_DONE)
		return status;
	status = cli_operands(cmd, argc, argv, 3, "ID, DATE or present|absent",
	                      "ID, DATE or present|absent");
	if (status != CLI_OK)
		return status;
	if (strcmp(argv[optind + 2], "present") == 0)
		present = 1;
	else if (strcmp(argv[optind + 2], "absent") == 0)
		present = 0;
	else
		return cli_usage(cmd, "'%s': expected present or absent", argv[optind + 2]);
	if ((status = open_enrollment(ctx, cmd, argv, &reg, &id)) != CLI_OK)
		return status;
	rc = youth_enrollment_record_session(reg, id, argv[optind + 1], present);
	return cli_close(reg, rc);
}

static const rec_change certificate_change = {.what = "enrollment", .ref = REF_ENROLLMENT,
                                              .dated = youth_enrollment_issue_certificate};
REC_CMD(cmd_enrollment_certificate, rec_cmd_change, &certificate_change)

REC_CMD(cmd_enrollment_show, rec_cmd_show, &enrollment_ops)

int cmd_enrollment_list(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	static const rec_filter filters[] = {
		{"cohort", REF_COHORT, 0},
		{"person", REF_PERSON, 1},
	};
	return rec_cmd_list(ctx, cmd, argc, argv, &enrollment_ops, filters, 2);
}
