/*
 * cli.h - shared declarations of the `youth` command-line tool.
 *
 * The tool is the reference front end of libyouth: it uses only the public API (youth.h).
 * main.c parses the global options and dispatches to one function per command; the person
 * commands live in person.c, the gazetteer, census and summary commands in places.c, the
 * exchange, operator, employer, rules and eligibility commands in services.c, the course,
 * cohort and enrollment commands in courses.c (both built on the generic record commands of
 * records.c), counselling in counselling.c, scholarships in scholarships.c, groups and
 * business plans in enterprise.c, outcome follow-ups in followups.c, import and export of
 * whole registries in interchange.c, indicator reports in report.c, and the three output
 * formats (aligned table, CSV, JSON) in output.c.
 *
 * Exit status: 0 success, 1 the library refused or failed (message from youth_error_last()),
 * 2 usage error (unknown option, missing or malformed argument).
 */
#ifndef YOUTH_CLI_H
#define YOUTH_CLI_H

#include <getopt.h>
#include <stdio.h>

#include <youth.h>

#include "cli-doc.h"

#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2
/* The registry was busy (YOUTH_EBUSY): nothing was done, running the command again may work. */
#define CLI_BUSY 3

/** What every command receives. */
typedef struct cli_ctx {
	const char *registry; /**< -r/--registry or $YOUTH_REGISTRY; NULL when neither. */
	const char *actor;    /**< --actor or $YOUTH_ACTOR: who writes (docs/privacy.md). */
} cli_ctx;

/** One option of a command as its help in docs/cli/ describes it: docs/cli/gen.py writes the
 *  table of every command into cli-doc.h, so that the options a command accepts are the ones
 *  it documents, described once. */
typedef struct cli_opt {
	const char *name; /**< the long name: "dry-run" */
	char letter;      /**< the short option ('n'), or 0 */
	char value;       /**< 1: the option takes a value */
} cli_opt;

/** One command ("person add") and its help. */
typedef struct cli_command {
	const char *group;    /**< "person", "gazetteer", "census", or NULL for top-level. */
	const char *name;     /**< "add", "init"... */
	int (*run)(cli_ctx *ctx, const struct cli_command *cmd, int argc, char **argv);
	const char *synopsis; /**< Arguments after the command name. */
	const char *summary;  /**< One line for the command list. */
	const char *help;     /**< Options and description, printed by --help. */
	const cli_opt *opts;  /**< Its options, the common ones (-r, -h) included. */
	size_t nopts;
} cli_command;

/* main.c: messages and common helpers. */

/** Prints "youth: <youth_error_last()>" to stderr; returns CLI_FAIL (CLI_BUSY for YOUTH_EBUSY). */
int cli_fail(int rc);
/** Prints "youth: <message>" to stderr; returns CLI_FAIL. */
int cli_failf(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;
/** Prints "youth GROUP NAME: <message>", the usage line and a hint; returns CLI_USAGE. */
int cli_usage(const cli_command *cmd, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/** The usage error of a --format value out_parse_format() refused (one wording everywhere). */
#define CLI_FORMAT_USAGE(cmd, arg) cli_usage(cmd, "unknown format '%s' (table, csv, json)", arg)
/** Prints the full help of @p cmd to stdout; returns CLI_OK. */
int cli_help(const cli_command *cmd);
/** Resets getopt so that a new argv can be parsed. */
void cli_getopt_reset(void);

/** Options every command accepts: put first in each long option table. */
#define CLI_COMMON_SHORTOPTS ":hr:" /* leading ":" reports missing values */
#define CLI_COMMON_LONGOPTS \
	{"help", no_argument, NULL, 'h'}, \
	{"registry", required_argument, NULL, 'r'}

/**
 * getopt_long for a command line whose argv[0] is the command name.  Handles the common
 * options itself (--help prints the help, -r sets ctx->registry), and reports unknown options
 * and missing values as usage errors.  Returns the next option of the command, -1 at the end of
 * the options, or CLI_DONE when the caller must stop and return *status.  main() resets
 * getopt's state before it runs a command.  Options may follow operands (GNU permutation);
 * "--" ends the options.
 */
#define CLI_DONE (-2)
int cli_getopt(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, const char *shortopts,
               const struct option *longopts, int *status);

/** getopt for a command without options of its own: the common ones alone.  CLI_OK with
 *  optind at the operands, or CLI_DONE when the caller must return *status. */
int cli_no_options(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, int *status);

/** The options given to a command, read by cli_parse() from its table (cli_command.opts). */
typedef struct cli_args {
	const cli_command *cmd;
	const char *value[CLI_DOC_MAX_OPTS]; /**< by entry of cmd->opts: NULL when not given,
	                                          "" for a flag given; the last one given wins */
} cli_args;

/**
 * The one option parser of the commands: reads every option of @p cmd's table (the common
 * ones handled as cli_getopt() does) into @p a.  CLI_OK with optind at the operands, or
 * CLI_DONE when the caller must return *status.
 */
int cli_parse(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, cli_args *a,
              int *status);

/** The value of option @p name (its long name) given to the command, or NULL (also for an
 *  option its help does not describe: cli_parse() refused it as unknown). */
const char *cli_arg(const cli_args *a, const char *name);

/** 1 when flag (or option) @p name was given, else 0. */
int cli_flag(const cli_args *a, const char *name);

/** @p bit when flag @p name was given, else 0: `o.flags |= cli_bit(&a, "dry-run", X)`. */
unsigned cli_bit(const cli_args *a, const char *name, unsigned bit);

/** Reports the add that returned @p rc: on success prints "ID UUID", the line of every add
 *  (so that scripts read any of them alike), and returns CLI_OK; else cli_fail(rc). */
int cli_added(int rc, int64_t id, const char *uuid);

/** Reports the count that returned @p rc: on success prints @p n on a line and returns
 *  CLI_OK; else cli_fail(rc). */
int cli_counted(int rc, int64_t n);

/** Ends a command whose last call on @p reg returned @p rc: reports a failure (before the
 *  close, which may replace the library's last error), closes @p reg and returns the status. */
int cli_close(youth_registry *reg, int rc);

/** Opens the registry of @p ctx with @p flags; prints the error itself. */
int cli_open(const cli_ctx *ctx, const cli_command *cmd, unsigned flags, youth_registry **out);

/** Writes today's date (UTC) as YYYY-MM-DD into @p buf (at least 11 bytes). */
void cli_today(char *buf);

/** Parses a non-negative decimal integer; returns 0 on success, -1 otherwise. */
int cli_parse_int(const char *text, long long max, long long *out);

/** 1 when @p s is a non-empty run of decimal digits (an id rather than a code or a UUID),
 *  else 0. */
int cli_is_digits(const char *s);

/** Parses a record id (a positive decimal integer); returns 0 on success, -1 otherwise (the
 *  caller words the refusal: an operand is a usage error, an option value a failure). */
int cli_parse_id(const char *text, int64_t *id);

/**
 * Checks that exactly @p n operands follow the options (argv[optind]...): with fewer, the
 * usage error "missing ALL" when none is given and "missing REST" when some are (@p rest is
 * only read when @p n > 1); with more, "unexpected argument" naming the first one too many.
 * Returns CLI_OK or the usage status.
 */
int cli_operands(const cli_command *cmd, int argc, char **argv, int n, const char *all,
                 const char *rest);

/** The opening of most commands: the options into @p a (cli_parse()), then exactly @p n
 *  operands (cli_operands()).  CLI_OK, or CLI_DONE when the caller must return *@p status. */
int cli_parse_operands(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, cli_args *a,
                       int n, const char *all, const char *rest, int *status);

/** Returns @p date, or today's date (UTC) written into @p buf (YOUTH_DATE_LEN + 1 bytes) when
 *  @p date is NULL: the default of every --date option. */
const char *cli_date_or_today(const char *date, char *buf);

/**
 * Runs the two-word subcommand argv[1] of @p cmd ("group member add"): the one of the @p n
 * @p subs whose name ends with it, on argv + 1.  Without one, --help prints the help of
 * @p cmd; a missing or unknown word is a usage error naming the words of @p subs.
 */
int cli_subcommand(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                   const cli_command *subs, size_t n);

/* report.c */
/** Writes @p r as an aligned table on @p fp (YOUTH_REPORT_SKIP_EMPTY honoured): suppressed
 *  cells as "suppressed", an internal report's first line says so, k stated below. */
int cli_report_table(FILE *fp, const youth_report *r, unsigned flags);
/** Sets @p o->k from --k @p k_text (NULL: not given) and --internal (already in @p o->flags):
 *  a bad number, --k 0 and --k with --internal are usage errors of @p cmd.  Returns the
 *  status. */
int cli_report_k(const cli_command *cmd, const char *k_text, youth_report_options *o);
/** Builds the report @p o on @p reg and writes it in @p format (0: the table; else a
 *  youth_report_format) to stdout or to the file @p output.  A refused option is a usage
 *  error of @p cmd.  Returns the exit status. */
int cli_report_run(const cli_command *cmd, youth_registry *reg, const youth_report_options *o,
                   int format, unsigned flags, const char *output);

/* The function of every command of the table (cmd_<group>_<name>, from docs/cli). */
CLI_DOC_PROTOTYPES

/* counselling.c: the subcommands of `counselling participant`. */
int cmd_counselling_participant_add(cli_ctx *, const cli_command *, int, char **);
int cmd_counselling_participant_remove(cli_ctx *, const cli_command *, int, char **);

/* duplicates.c */
/* The desk's check before `person add`: warns about likely duplicates of @p p; without
 * @p force refuses (returns nonzero with *status set).  After a forced add, records the
 * decision: each likely pair dismissed. */
int cli_similar_warn(youth_registry *reg, const youth_person *p, int force, int *status);
int cli_similar_record(youth_registry *reg, const youth_person *p);

#endif
