/*
 * duplicates.c - `youth duplicates find|list|show|confirm|dismiss` and `youth person
 * merge|unmerge|similar` (docs/duplicates.md).  The columns of the listings come from the
 * published description of the kind duplicate (youth/kind.h), like every listing.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <youth.h>

#include "cli.h"
#include "output.h"
#include "records.h"

/* ---- find ----------------------------------------------------------------------------------- */

int cmd_duplicates_find(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_duplicates_options o = {0};
	youth_duplicates_summary s;
	youth_registry *reg = NULL;
	cli_args a;
	long long n = 0;
	int rc, status = CLI_OK;

	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE)
		return status;
	o.census_round = cli_arg(&a, "round");
	o.dry_run = cli_flag(&a, "dry-run");
	const char *v = cli_arg(&a, "from-person");
	if (v && cli_parse_id(v, &o.from_person_id) != 0)
		return cli_usage(cmd, "--from-person \"%s\": not a person id", v);
	if ((v = cli_arg(&a, "min-score")) && cli_parse_int(v, 1000, &n) != 0)
		return cli_usage(cmd, "--min-score \"%s\": not a number of points", v);
	o.min_score = (int)n;
	if ((status = cli_operands(cmd, argc, argv, 0, NULL, NULL)) != CLI_OK)
		return status;
	if ((status = cli_open(ctx, cmd, o.dry_run ? YOUTH_OPEN_READONLY : YOUTH_OPEN_DEFAULT,
	                       &reg)) != CLI_OK)
		return status;
	rc = youth_duplicates_find(&s, reg, &o);
	if (rc == YOUTH_OK)
		printf("persons: %lld\ncompared: %lld\nfound: %lld\nlikely: %lld\nadded: %lld\n"
		       "reopened: %lld\nkept: %lld\nbig blocks: %lld\n",
		       (long long)s.persons, (long long)s.compared, (long long)s.found,
		       (long long)s.likely, (long long)s.added, (long long)s.reopened,
		       (long long)s.kept, (long long)s.big_blocks);
	return cli_close(reg, rc);
}

/* ---- list and show -------------------------------------------------------------------------- */

/* The table leaves out what only a program needs. */
static const char *const pair_machine_only[] = {"uuid", "found_on", "decided_on", "note", NULL};

REC_WRAP_LIST(youth_duplicate, duplicate)

static int state_of(const char *text, int *state)
{
	for (int s = 1; youth_duplicate_state_name(s); s++)
		if (strcmp(text, youth_duplicate_state_name(s)) == 0) {
			*state = s;
			return 0;
		}
	return -1;
}

int cmd_duplicates_list(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	cli_args a;
	out_format format;
	youth_registry *reg = NULL;
	youth_duplicate_iter *it = NULL;
	int64_t pid = 0;
	int rc, state = 0, status = CLI_OK;

	if (rec_list_opts(ctx, cmd, argc, argv, &a, &format, &status) == CLI_DONE)
		return status;
	const char *person = cli_arg(&a, "person"), *s = cli_arg(&a, "state");
	if (s && state_of(s, &state) != 0)
		return cli_usage(cmd, "--state \"%s\": not one of open, confirmed, dismissed, merged", s);
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	if (person && (status = rec_resolve(reg, REF_PERSON, "--person", person, &pid)) != CLI_OK) {
		youth_registry_close(reg);
		return status;
	}
	/* An unknown person is an error, not an empty list: rec_resolve() looked it up. */
	rc = youth_duplicate_iter_new(&it, reg, state, pid);
	return rec_write_list(reg, rc, "duplicate", format, pair_machine_only, it,
	                      duplicate_w_next, duplicate_w_iter_free);
}

int cmd_duplicates_show(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	rec_cmdline c;
	youth_duplicate *d = NULL;
	int rc, status = CLI_OK;

	if (rec_start(ctx, cmd, argc, argv, YOUTH_OPEN_READONLY, REF_NONE, "duplicate pair", &c,
	              &status) == CLI_DONE)
		return status;
	if ((rc = youth_duplicate_get(&d, c.reg, c.id)) != YOUTH_OK)
		return cli_close(c.reg, rc);
	status = rec_write_kind_one("duplicate", c.format, d);
	youth_duplicate_free(d);
	youth_registry_close(c.reg);
	return status;
}

/* confirm and dismiss: one pair, an optional --note. */
static int decide(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                  int (*fn)(youth_registry *, int64_t, const char *))
{
	rec_cmdline c;
	int status = CLI_OK;

	if (rec_start(ctx, cmd, argc, argv, YOUTH_OPEN_DEFAULT, REF_NONE, "duplicate pair", &c,
	              &status) == CLI_DONE)
		return status;
	return cli_close(c.reg, fn(c.reg, c.id, cli_arg(&c.a, "note")));
}

int cmd_duplicates_confirm(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	return decide(ctx, cmd, argc, argv, youth_duplicate_confirm);
}

int cmd_duplicates_dismiss(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	return decide(ctx, cmd, argc, argv, youth_duplicate_dismiss);
}

/* ---- merge and unmerge ---------------------------------------------------------------------- */

int cmd_person_merge(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	cli_args a;
	youth_registry *reg = NULL;
	int64_t keep, other, merge_id = 0;
	int rc, status = CLI_OK;

	if (cli_parse_operands(ctx, cmd, argc, argv, &a, 2,
	                       "the person kept and the person merged into it",
	                       "the person merged into it", &status) == CLI_DONE)
		return status;
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) != CLI_OK)
		return status;
	if ((status = rec_resolve(reg, REF_PERSON, "kept person", argv[optind], &keep)) != CLI_OK ||
	    (status = rec_resolve(reg, REF_PERSON, "merged person", argv[optind + 1], &other)) !=
	        CLI_OK) {
		youth_registry_close(reg);
		return status;
	}
	rc = youth_person_merge(&merge_id, reg, keep, other, cli_arg(&a, "take"));
	if (rc == YOUTH_OK)
		printf("%lld\n", (long long)merge_id);
	return cli_close(reg, rc);
}

int cmd_person_unmerge(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	rec_cmdline c;
	int status = CLI_OK;

	if (rec_start(ctx, cmd, argc, argv, YOUTH_OPEN_DEFAULT, REF_NONE, "merge", &c, &status) ==
	    CLI_DONE)
		return status;
	return cli_close(c.reg, youth_person_unmerge(c.reg, c.id));
}

/* ---- the desk's check (person add) ------------------------------------------------------- */

int cli_similar_warn(youth_registry *reg, const youth_person *p, int force, int *status)
{
	youth_duplicate_list *l = NULL;
	int rc = youth_person_similar(&l, reg, p, 10);
	size_t n = 0;

	*status = CLI_OK;
	if (rc != YOUTH_OK) {
		*status = cli_fail(rc);
		return -1;
	}
	for (size_t i = 0; i < youth_duplicate_list_count(l); i++)
		if (youth_duplicate_list_get(l, i)->score >= YOUTH_DUPLICATE_LIKELY)
			n++;
	if (n == 0) {
		youth_duplicate_list_free(l);
		return 0;
	}
	fprintf(stderr, "youth: %s: %s may already be registered:\n", force ? "warning" : "person add",
	        p->given_names ? p->given_names : "this youth");
	for (size_t i = 0; i < youth_duplicate_list_count(l); i++) {
		const youth_duplicate *d = youth_duplicate_list_get(l, i);
		youth_person *q = NULL;
		if (d->score < YOUTH_DUPLICATE_LIKELY || youth_person_get(&q, reg, d->other_id) != YOUTH_OK)
			continue;
		fprintf(stderr, "  person %lld: %s %s%s%s, born %s (%d points: %s)\n",
		        (long long)q->id, q->given_names, q->first_surname, q->second_surname ? " " : "",
		        q->second_surname ? q->second_surname : "", q->birth_date, d->score, d->reasons);
		youth_person_free(q);
	}
	if (!force) {
		fprintf(stderr, "youth: nothing was added; `youth person show ID` to compare, or add again "
		                "with --force to register a new youth (the decision is recorded)\n");
		youth_duplicate_list_free(l);
		*status = CLI_FAIL;
		return 1;
	}
	youth_duplicate_list_free(l);
	return 0;
}

int cli_similar_record(youth_registry *reg, const youth_person *p)
{
	youth_duplicate_list *l = NULL;
	int rc = youth_person_similar(&l, reg, p, 10);

	for (size_t i = 0; rc == YOUTH_OK && i < youth_duplicate_list_count(l); i++) {
		const youth_duplicate *d = youth_duplicate_list_get(l, i);
		if (d->other_id != p->id && d->score >= YOUTH_DUPLICATE_LIKELY)
			rc = youth_duplicate_decide_pair(NULL, reg, p->id, d->other_id,
			                                 YOUTH_DUPLICATE_DISMISSED,
			                                 "registered as a new youth at the desk (--force)");
	}
	youth_duplicate_list_free(l);
	return rc;
}
