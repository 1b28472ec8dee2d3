/*
 * erase.c - `youth erase PERSON` and `youth purge`: erasure of a person and retention
 * (docs/privacy.md, "Erasure" and "Retention").  The library does the work; the tool names the
 * person (id, UUID or DUI) and prints what was erased.
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <youth.h>

#include "cli.h"

/* The key of the person named by @key: an id as it is, a DUI or a UUID looked up. */
static int person_key(youth_registry *reg, const char *key, int64_t *id, const char **uuid)
{
	*id = 0;
	*uuid = NULL;
	if (cli_is_digits(key) && strlen(key) != 10)
		return cli_parse_id(key, id) == 0 ? CLI_OK : cli_failf("person id '%s': not valid", key);
	if (strlen(key) == 10 && key[8] == '-' && strspn(key, "0123456789") == 8) {
		youth_person *p = NULL;
		int rc = youth_person_get_by_national_id(&p, reg, key);
		if (rc != YOUTH_OK)
			return cli_fail(rc);
		*id = p->id;
		youth_person_free(p);
		return CLI_OK;
	}
	*uuid = key;
	return CLI_OK;
}

int cmd_erase(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	cli_args a;
	const char *reason, *uuid = NULL;
	youth_registry *reg = NULL;
	int64_t id = 0;
	int status = CLI_OK;

	if (cli_parse_operands(ctx, cmd, argc, argv, &a, 1, "person id, UUID or DUI", NULL,
	                       &status) == CLI_DONE)
		return status;
	reason = cli_arg(&a, "reason");
	if (!reason || !reason[0])
		return cli_usage(cmd, "missing --reason: say why the person is erased");
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) != CLI_OK)
		return status;
	if ((status = person_key(reg, argv[optind], &id, &uuid)) != CLI_OK) {
		youth_registry_close(reg);
		return status;
	}
	/* Printed from the library's record of it: the UUID is the one erased, whichever key. */
	youth_person *p = NULL;
	int rc = youth_person_erase(reg, id, uuid, reason);
	if (rc == YOUTH_OK || rc == YOUTH_EBUSY) {
		int got = id ? youth_person_get(&p, reg, id) : youth_person_get_by_uuid(&p, reg, uuid);
		if (got == YOUTH_OK)
			printf("erased %s\n", p->uuid);
		youth_person_free(p);
	}
	return cli_close(reg, rc);
}

int cmd_purge(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	cli_args a;
	const char *as_of;
	unsigned flags = YOUTH_PURGE_DEFAULT;
	youth_registry *reg = NULL;
	int status = CLI_OK;

	if (cli_parse_operands(ctx, cmd, argc, argv, &a, 0, NULL, NULL, &status) == CLI_DONE)
		return status;
	as_of = cli_arg(&a, "as-of");
	if (cli_flag(&a, "dry-run"))
		flags |= YOUTH_PURGE_DRY_RUN;
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) != CLI_OK)
		return status;
	char *list = NULL;
	int rc = youth_purge(&list, reg, as_of, flags);
	if (list) {
		long n = 0;
		for (const char *s = list; (s = strchr(s, '\n')) != NULL; s++)
			n++;
		fputs(list, stdout);
		if (flags & YOUTH_PURGE_DRY_RUN)
			printf("%ld due, none erased (dry run)\n", n);
		else
			printf("%ld erased\n", n);
		youth_free(list);
	}
	return cli_close(reg, rc);
}
