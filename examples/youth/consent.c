/*
 * consent.c - `youth consent give|withdraw|list|purposes`: consent per purpose, its history
 * kept (docs/privacy.md, "Consent").  The columns of `consent list` come from the published
 * description of the kind consent (youth/kind.h), like every listing.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <youth.h>

#include "cli.h"
#include "output.h"
#include "records.h"

/* PERSON: a DUI (NNNNNNNN-C), else an id or a UUID, as `person show` reads it. */
static int person_of(youth_registry *reg, const char *key, int64_t *id)
{
	youth_person *p = NULL;
	int rc;

	if (strlen(key) != 10 || key[8] != '-' || strspn(key, "0123456789") != 8 || key[9] < '0' ||
	    key[9] > '9')
		return rec_resolve(reg, REF_PERSON, "person", key, id);
	if ((rc = youth_person_get_by_national_id(&p, reg, key)) != YOUTH_OK)
		return cli_fail(rc);
	*id = p->id;
	youth_person_free(p);
	return CLI_OK;
}

/* give and withdraw: PERSON PURPOSE [--date D] [--by NAME] [--evidence TEXT]. */
static int record(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                  int (*write)(youth_registry *, youth_consent *))
{
	youth_consent c;
	char today[YOUTH_DATE_LEN + 1];
	const char *date;
	cli_args a;
	youth_registry *reg = NULL;
	int rc, status = CLI_OK;

	youth_consent_init(&c);
	if (cli_parse_operands(ctx, cmd, argc, argv, &a, 2, "PERSON PURPOSE", "PURPOSE", &status) ==
	    CLI_DONE)
		return status;
	date = cli_arg(&a, "date");
	c.recorded_by = cli_arg(&a, "by");
	c.evidence = cli_arg(&a, "evidence");
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) != CLI_OK)
		return status;
	if ((status = person_of(reg, argv[optind], &c.person_id)) !=
	    CLI_OK) {
		youth_registry_close(reg);
		return status;
	}
	c.purpose = argv[optind + 1];
	c.date = cli_date_or_today(date, today);
	rc = write(reg, &c);
	status = cli_added(rc, c.id, c.uuid);
	youth_registry_close(reg);
	return status;
}

int cmd_consent_give(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	return record(ctx, cmd, argc, argv, youth_consent_give);
}

int cmd_consent_withdraw(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	return record(ctx, cmd, argc, argv, youth_consent_withdraw);
}

REC_WRAP_LIST(youth_consent, consent)

int cmd_consent_list(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	cli_args a;
	const char *purpose;
	out_format format;
	youth_registry *reg = NULL;
	youth_consent_iter *it = NULL;
	int64_t person = 0;
	int rc, status = CLI_OK;

	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE ||
	    rec_format_arg(&a, &format, &status) == CLI_DONE)
		return status;
	purpose = cli_arg(&a, "purpose");
	if (optind + 1 < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind + 1]);
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	if (optind < argc && (status = person_of(reg, argv[optind], &person)) != CLI_OK) {
		youth_registry_close(reg);
		return status;
	}
	rc = youth_consent_iter_new(&it, reg, person, purpose);
	return rec_write_list(reg, rc, "consent", format, NULL, it, consent_w_next,
	                      consent_w_iter_free);
}

int cmd_consent_purposes(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_registry *reg = NULL;
	char list[4096];
	int rc, status;

	rec_cmdline c;
	if (rec_start(ctx, cmd, argc, argv, YOUTH_OPEN_READONLY, REF_NONE, NULL, &c, &status) ==
	    CLI_DONE)
		return status;
	reg = c.reg;
	if ((rc = youth_purpose_list(list, sizeof list, reg)) == YOUTH_OK)
		printf("%s\n", list);
	return cli_close(reg, rc);
}
