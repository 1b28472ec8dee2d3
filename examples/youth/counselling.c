/*
 * counselling.c - `youth counselling add|participant add|participant remove|attend|close|show|
 * list|count`: counselling sessions and their rosters (youth/counselling.h).
 *
 * `add` maps each option to youth_counselling_session_set_field() (option --duration is
 * field duration_minutes), so the validation stays in the library; `list` and the session
 * part of `show` are the generic commands of records.c.  The two-word subcommands
 * `participant add` and `participant remove` are registered as "counselling participant",
 * which runs the `add` or `remove` below with their own help.
 */
#define _POSIX_C_SOURCE 200809L

#include "records.h"
#include "cli-doc.h"

#include <stdlib.h>
#include <string.h>

REC_WRAP(youth_counselling_session, counselling_session)

REC_WRAP_ITER(session_w_iter, counselling_session, (&x, reg, a))

static const char *const session_table[] = {"id", "operator_id", "date", "kind", "mode",
                                            "duration_minutes", "state", "participants", NULL};

static const rec_ops session_ops = {.kind = "counselling session",
	.record = "counselling_session", .self = REF_SESSION, REC_OPS_READ(counselling_session),
	.add = counselling_session_w_add, .iter_new = session_w_iter,
	.table_fields = session_table};

/* ---- add ----------------------------------------------------------------------------------- */

/* The options of `add` are the session's fields; --duration is duration_minutes. */
static const char *const add_renames[] = {"duration", "duration_minutes", NULL};
static const rec_add_form add_form = {.ops = &session_ops, .renames = add_renames};
REC_CMD(cmd_counselling_add, rec_cmd_add_form, &add_form)

/* ---- roster -------------------------------------------------------------------------------- */

/* SESSION PERSON, the operands of the roster commands: both resolved once the file is open. */
static int roster_operands(const cli_command *cmd, int argc, char **argv)
{
	return cli_operands(cmd, argc, argv, 2, "SESSION and PERSON", "PERSON");
}

int cmd_counselling_participant_add(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	cli_args a;
	youth_registry *reg = NULL;
	youth_counselling_participant p;
	youth_override ovr;
	int64_t session = 0, person = 0;
	int rc, status = CLI_OK;

	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE)
		return status;
	const char *ovr_op = cli_arg(&a, "override-operator");
	const char *ovr_reason = cli_arg(&a, "override-reason"), *note = cli_arg(&a, "note");
	if ((status = roster_operands(cmd, argc, argv)) != CLI_OK)
		return status;
	if ((ovr_op != NULL) != (ovr_reason != NULL))
		return cli_usage(cmd, "--override-operator and --override-reason go together");
	if ((status = rec_open_operand(ctx, cmd, YOUTH_OPEN_DEFAULT, REF_SESSION, "session",
	                               argv[optind], &reg, &session)) != CLI_OK)
		return status;
	if ((status = rec_override(reg, ovr_op, ovr_reason, &ovr)) != CLI_OK)
		goto out;
	if ((status = rec_resolve(reg, REF_PERSON, "person_id", argv[optind + 1], &person)) != CLI_OK)
		goto out;
	youth_counselling_participant_init(&p);
	p.session_id = session;
	p.person_id = person;
	p.attended = !cli_flag(&a, "absent");
	if (note && (rc = youth_counselling_participant_set_field(&p, "note", note)) != YOUTH_OK) {
		status = cli_fail(rc);
		goto out;
	}
	rc = youth_counselling_add_participant(reg, &p, ovr_op ? &ovr : NULL);
	status = cli_added(rc, p.id, p.uuid);
out:
	youth_registry_close(reg);
	return status;
}

REC_CMD(cmd_counselling_participant_remove, rec_cmd_remove_person, REF_SESSION, "SESSION",
        youth_counselling_remove_participant)

/* youth_counselling_set_attended() replaces the note; an officer correcting attendance
 * without --note expects the note taken at the session to stay, so it is read back first. */
int cmd_counselling_attend(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	cli_args a;
	const char *attended, *note;
	youth_registry *reg = NULL;
	youth_counselling_participant_iter *it = NULL;
	const youth_counselling_participant *row;
	char *kept = NULL;
	int64_t session = 0, person = 0;
	int rc, value, status = CLI_OK;

	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE)
		return status;
	attended = cli_arg(&a, "attended");
	note = cli_arg(&a, "note");
	if ((status = roster_operands(cmd, argc, argv)) != CLI_OK)
		return status;
	if (!attended)
		return cli_usage(cmd, "missing --attended yes|no");
	if (strcmp(attended, "yes") == 0 || strcmp(attended, "true") == 0)
		value = 1;
	else if (strcmp(attended, "no") == 0 || strcmp(attended, "false") == 0)
		value = 0;
	else
		return cli_usage(cmd, "--attended '%s': expected yes or no", attended);
	if ((status = rec_open_operand(ctx, cmd, YOUTH_OPEN_DEFAULT, REF_SESSION, "session",
	                               argv[optind], &reg, &session)) != CLI_OK)
		return status;
	if ((status = rec_resolve(reg, REF_PERSON, "person_id", argv[optind + 1], &person)) != CLI_OK)
		goto out;
	if (!note) {
		rc = youth_counselling_participant_iter_new(&it, reg, session, person);
		if (rc == YOUTH_OK && (rc = youth_counselling_participant_next(&row, it)) == YOUTH_OK &&
		    row->note && !(note = kept = strdup(row->note))) {
			status = cli_failf("out of memory");
			goto out;
		}
		/* Not on the roster: youth_counselling_set_attended() below says so in its words. */
		if (rc != YOUTH_OK && rc != YOUTH_ITEROVER) {
			status = cli_fail(rc);
			goto out;
		}
	}
	rc = youth_counselling_set_attended(reg, session, person, value, note);
	if (rc != YOUTH_OK)
		status = cli_fail(rc);
out:
	youth_counselling_participant_iter_free(it);
	free(kept);
	youth_registry_close(reg);
	return status;
}

/* ---- close, show, list, count -------------------------------------------------------------- */

static const rec_change close_change = {.what = "session", .ref = REF_SESSION,
                                        .dated = youth_counselling_session_close};
REC_CMD(cmd_counselling_close, rec_cmd_change, &close_change)

REC_WRAP_LIST(youth_counselling_participant, counselling_participant)

REC_WRAP_OWNER_ITER(participant_w_iter, counselling_participant, (&x, reg, owner, 0))

/* The roster names who came; the session is the record the roster follows. */
static const char *const roster_fields[] = {"id", "person_id", "attended", "note", NULL};

static const rec_section roster = {
	.name = "roster", .iter_new = participant_w_iter, .next = counselling_participant_w_next,
	.iter_free = counselling_participant_w_iter_free, .record = "counselling_participant",
	.fields = roster_fields,
};

REC_CMD(cmd_counselling_show, rec_cmd_show_sections, &session_ops, "session", &roster, 1)

static const rec_filter counselling_list_filters[] = {{"person", REF_PERSON, 0}};
REC_CMD(cmd_counselling_list, rec_cmd_list, &session_ops, counselling_list_filters, 1)

int cmd_counselling_count(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	cli_args a;
	const char *from, *to;
	youth_registry *reg = NULL;
	int64_t n = 0;
	int rc, status = CLI_OK;

	if (cli_parse_operands(ctx, cmd, argc, argv, &a, 0, NULL, NULL, &status) == CLI_DONE)
		return status;
	from = cli_arg(&a, "from");
	to = cli_arg(&a, "to");
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	rc = youth_counselling_count_persons(&n, reg, from, to);
	status = cli_counted(rc, n);
	youth_registry_close(reg);
	return status;
}

static const cli_command participant_cmds[] = {
	{"counselling", "participant add", cmd_counselling_participant_add,
	 CLI_DOC_counselling_participant_add},
	{"counselling", "participant remove", cmd_counselling_participant_remove,
	 CLI_DOC_counselling_participant_remove},
};

int cmd_counselling_participant(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	return cli_subcommand(ctx, cmd, argc, argv, participant_cmds,
	                      sizeof(participant_cmds) / sizeof(participant_cmds[0]));
}
