/*
 * main.c - the `youth` command-line tool: global options, command table, dispatch, helpers.
 *
 *     youth [-r FILE] COMMAND [SUBCOMMAND] [OPTIONS] [ARGS]
 *
 * The help text of every command (CLI_DOC_*) comes from cli-doc.h, which docs/cli/gen.py
 * writes into the build tree from the files of docs/cli/.  The same files give the man page
 * (youth.1) and the command reference of docs/cli.md, so the three never disagree.  The same
 * header gives the command table below (each documented command bound to its function
 * cmd_<group>_<name>) and each command's options, which cli_parse() reads.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */

#include "cli.h"
#include "cli-doc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Every command of docs/cli/, bound to its function cmd_<group>_<name> (cli-doc.h). */
static const cli_command commands[] = {CLI_DOC_COMMANDS};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))


/* ---- messages ---------------------------------------------------------------------------- */

int cli_fail(int rc)
{
	const youth_error *e = youth_error_last();

	if (e && e->message && e->message[0])
		fprintf(stderr, "youth: %s\n", e->message);
	else
		fprintf(stderr, "youth: %s\n", youth_error_name(rc));
	/* A busy registry is not the command's fault: scripts may wait and run it again. */
	return rc == YOUTH_EBUSY ? CLI_BUSY : CLI_FAIL;
}

int cli_failf(const char *fmt, ...)
{
	va_list ap;

	fputs("youth: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_FAIL;
}

static void print_name(FILE *fp, const cli_command *cmd)
{
	fputs("youth", fp);
	if (cmd->group)
		fprintf(fp, " %s", cmd->group);
	fprintf(fp, " %s", cmd->name);
}

static void print_usage_line(FILE *fp, const cli_command *cmd)
{
	fputs("usage: youth [-r FILE]", fp);
	if (cmd->group)
		fprintf(fp, " %s", cmd->group);
	fprintf(fp, " %s", cmd->name);
	if (cmd->synopsis[0])
		fprintf(fp, " %s", cmd->synopsis);
	fputc('\n', fp);
}

int cli_usage(const cli_command *cmd, const char *fmt, ...)
{
	va_list ap;

	print_name(stderr, cmd);
	fputs(": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	print_usage_line(stderr, cmd);
	fputs("Try '", stderr);
	print_name(stderr, cmd);
	fputs(" --help' for more information.\n", stderr);
	return CLI_USAGE;
}

int cli_help(const cli_command *cmd)
{
	print_usage_line(stdout, cmd);
	fputc('\n', stdout);
	fputs(cmd->help, stdout);
	return CLI_OK;
}

static void main_help(FILE *fp)
{
	size_t i;

	fputs(CLI_DOC_MAIN_HEAD, fp);
	for (i = 0; i < NCOMMANDS; i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s%s%s", commands[i].group ? commands[i].group : "",
		         commands[i].group ? " " : "", commands[i].name);
		fprintf(fp, "  %-22s  %s\n", name, commands[i].summary);
	}
	fputs(CLI_DOC_MAIN_TAIL, fp);
}

static void group_help(FILE *fp, const char *group)
{
	size_t i;

	fprintf(fp, "usage: youth [-r FILE] %s SUBCOMMAND [ARGS]\n\nSubcommands:\n", group);
	for (i = 0; i < NCOMMANDS; i++)
		if (commands[i].group && strcmp(commands[i].group, group) == 0)
			fprintf(fp, "  %-11s  %s\n", commands[i].name, commands[i].summary);
	fprintf(fp, "\nRun 'youth %s SUBCOMMAND --help' for the options of a subcommand.\n", group);
}

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

static int main_usage(const char *fmt, ...) PRINTF_LIKE(1, 2);
static int group_usage(const char *group, const char *fmt, ...) PRINTF_LIKE(2, 3);

static int main_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("youth: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nusage: youth [-r FILE] COMMAND [ARGS]\n"
	      "Try 'youth --help' for more information.\n", stderr);
	return CLI_USAGE;
}

static int group_usage(const char *group, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "youth %s: ", group);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: youth [-r FILE] %s SUBCOMMAND [ARGS]\n"
	        "Try 'youth %s --help' for more information.\n", group, group);
	return CLI_USAGE;
}

static int is_help(const char *word)
{
	return strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0;
}

/* ---- helpers ----------------------------------------------------------------------------- */

void cli_getopt_reset(void)
{
#if defined(__GLIBC__)
	optind = 0; /* glibc: full reinitialisation */
#else
	optind = 1;
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__)
	optreset = 1;
#endif
#endif
	opterr = 0;
}

int cli_getopt(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, const char *shortopts,
               const struct option *longopts, int *status)
{
	for (;;) {
		int c = getopt_long(argc, argv, shortopts, longopts, NULL);

		switch (c) {
		case 'h':
			*status = cli_help(cmd);
			return CLI_DONE;
		case 'r':
			ctx->registry = optarg;
			continue;
		case ':':
			*status = cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
			return CLI_DONE;
		case '?':
			if (optopt)
				*status = cli_usage(cmd, "unknown option '-%c'", optopt);
			else
				*status = cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
			return CLI_DONE;
		default:
			return c;
		}
	}
}

int cli_no_options(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, int *status)
{
	cli_args a;

	return cli_parse(ctx, cmd, argc, argv, &a, status);
}

int cli_parse(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, cli_args *a,
              int *status)
{
	/* The common options keep their letters (cli_getopt() handles them); the others return
	 * 0x100 + their entry, so that a letter and its long name land in one slot. */
	struct option opts[CLI_DOC_MAX_OPTS + 1];
	char shortopts[2 * CLI_DOC_MAX_OPTS + 2] = ":";
	size_t i, n = 1;
	int c;

	a->cmd = cmd;
	for (i = 0; i < cmd->nopts && i < CLI_DOC_MAX_OPTS; i++) {
		const cli_opt *o = &cmd->opts[i];
		int common = o->letter == 'h' || o->letter == 'r';
		a->value[i] = NULL;
		opts[i] = (struct option){o->name, o->value ? required_argument : no_argument, NULL,
		                          common ? o->letter : 0x100 + (int)i};
		if (o->letter) {
			shortopts[n++] = o->letter;
			if (o->value)
				shortopts[n++] = ':';
		}
	}
	shortopts[n] = '\0';
	opts[i] = (struct option){NULL, 0, NULL, 0};
	while ((c = cli_getopt(ctx, cmd, argc, argv, shortopts, opts, status)) != -1) {
		if (c == CLI_DONE)
			return CLI_DONE;
		for (i = 0; c < 0x100 && i < cmd->nopts; i++)
			if (cmd->opts[i].letter == c)
				c = 0x100 + (int)i;
		if (c >= 0x100 && c < 0x100 + (int)cmd->nopts)
			a->value[c - 0x100] = cmd->opts[c - 0x100].value ? optarg : "";
	}
	return CLI_OK;
}

const char *cli_arg(const cli_args *a, const char *name)
{
	for (size_t i = 0; i < a->cmd->nopts; i++)
		if (strcmp(a->cmd->opts[i].name, name) == 0)
			return a->value[i];
	return NULL; /* not described, so refused by cli_parse(): never given */
}

int cli_flag(const cli_args *a, const char *name)
{
	return cli_arg(a, name) != NULL;
}

unsigned cli_bit(const cli_args *a, const char *name, unsigned bit)
{
	return cli_flag(a, name) ? bit : 0;
}

int cli_added(int rc, int64_t id, const char *uuid)
{
	if (rc != YOUTH_OK)
		return cli_fail(rc);
	printf("%lld %s\n", (long long)id, uuid);
	return CLI_OK;
}

int cli_counted(int rc, int64_t n)
{
	if (rc != YOUTH_OK)
		return cli_fail(rc);
	printf("%lld\n", (long long)n);
	return CLI_OK;
}

int cli_close(youth_registry *reg, int rc)
{
	int status = rc == YOUTH_OK ? CLI_OK : cli_fail(rc);

	youth_registry_close(reg);
	return status;
}

int cli_open(const cli_ctx *ctx, const cli_command *cmd, unsigned flags, youth_registry **out)
{
	int rc;

	*out = NULL;
	if (!ctx->registry || !ctx->registry[0])
		return cli_usage(cmd, "no registry: use -r FILE or set YOUTH_REGISTRY");
	rc = youth_registry_open(out, ctx->registry, flags);
	if (rc == YOUTH_OK && ctx->actor && ctx->actor[0])
		rc = youth_registry_set_actor(*out, ctx->actor);
	if (rc != YOUTH_OK) {
		youth_registry_close(*out);
		*out = NULL;
		return cli_fail(rc);
	}
	return CLI_OK;
}

void cli_today(char *buf)
{
	time_t now = time(NULL);
	struct tm tm;

	if (gmtime_r(&now, &tm) == NULL || strftime(buf, YOUTH_DATE_LEN + 1, "%Y-%m-%d", &tm) == 0)
		strcpy(buf, "1970-01-01");
}

int cli_parse_int(const char *text, long long max, long long *out)
{
	char *end;
	long long v;

	if (!text || text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int cli_is_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int cli_parse_id(const char *text, int64_t *id)
{
	long long v;

	if (cli_parse_int(text, INT64_MAX, &v) != 0 || v == 0)
		return -1;
	*id = (int64_t)v;
	return 0;
}

int cli_operands(const cli_command *cmd, int argc, char **argv, int n, const char *all,
                 const char *rest)
{
	if (optind + n > argc)
		return cli_usage(cmd, "missing %s", optind >= argc || n == 1 ? all : rest);
	if (optind + n < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind + n]);
	return CLI_OK;
}

int cli_parse_operands(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, cli_args *a,
                       int n, const char *all, const char *rest, int *status)
{
	if (cli_parse(ctx, cmd, argc, argv, a, status) == CLI_DONE)
		return CLI_DONE;
	*status = cli_operands(cmd, argc, argv, n, all, rest);
	return *status == CLI_OK ? CLI_OK : CLI_DONE;
}

const char *cli_date_or_today(const char *date, char *buf)
{
	if (date)
		return date;
	cli_today(buf);
	return buf;
}

/* The last word of a two-word subcommand's name ("member add" -> "add"). */
static const char *last_word(const char *name)
{
	const char *sp = strrchr(name, ' ');
	return sp ? sp + 1 : name;
}

int cli_subcommand(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                   const cli_command *subs, size_t n)
{
	char words[128] = "", list[128] = "";
	size_t i, w = 0, l = 0;

	for (i = 0; i < n; i++) {
		const char *word = last_word(subs[i].name);
		if (argc >= 2 && strcmp(argv[1], word) == 0)
			return subs[i].run(ctx, &subs[i], argc - 1, argv + 1);
		w += (size_t)snprintf(words + w, w < sizeof(words) ? sizeof(words) - w : 0, "%s%s",
		                      i == 0 ? "" : i + 1 == n ? " or " : ", ", word);
		l += (size_t)snprintf(list + l, l < sizeof(list) ? sizeof(list) - l : 0, "%s%s",
		                      i == 0 ? "" : ", ", word);
	}
	if (argc < 2)
		return cli_usage(cmd, "missing %s", words);
	if (is_help(argv[1]))
		return cli_help(cmd);
	return cli_usage(cmd, "unknown subcommand '%s' (%s)", argv[1], list);
}

/* ---- dispatch ---------------------------------------------------------------------------- */

static const cli_command *find_command(const char *group, const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		const cli_command *c = &commands[i];
		if ((group == NULL) != (c->group == NULL))
			continue;
		if (group && strcmp(group, c->group) != 0)
			continue;
		if (strcmp(name, c->name) == 0)
			return c;
	}
	return NULL;
}

static int is_group(const char *word)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (commands[i].group && strcmp(word, commands[i].group) == 0)
			return 1;
	return 0;
}

static void version(void)
{
	printf("youth (libyouth) %s\n", youth_version());
	if (strcmp(youth_version(), YOUTH_VERSION) != 0)
		printf("built with the headers of libyouth %s\n", YOUTH_VERSION);
}

/* `youth help [GROUP] [COMMAND]` */
static int help_command(int argc, char **argv)
{
	const cli_command *cmd;

	if (argc == 0) {
		main_help(stdout);
		return CLI_OK;
	}
	if (is_group(argv[0])) {
		if (argc == 1) {
			group_help(stdout, argv[0]);
			return CLI_OK;
		}
		cmd = find_command(argv[0], argv[1]);
		if (!cmd || argc > 2)
			return group_usage(argv[0], "unknown subcommand '%s'", argv[1]);
	} else {
		cmd = find_command(NULL, argv[0]);
		if (!cmd || argc > 1)
			return main_usage("unknown command '%s'", argv[0]);
	}
	return cli_help(cmd);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"registry", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{"actor", required_argument, NULL, 'A'},
		{NULL, 0, NULL, 0},
	};
	cli_ctx ctx;
	const cli_command *cmd;
	int c, status;

	/* Nothing in this process reads SQLite's memory statistics: without them every SQLite
	 * allocation skips a global mutex (imports 5-7 % faster).  First, before SQLite is used. */
	(void)youth_sqlite_memstatus(0);
	ctx.registry = getenv("YOUTH_REGISTRY");
	ctx.actor = getenv("YOUTH_ACTOR");
	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, "+:r:hV", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			ctx.registry = optarg;
			break;
		case 'A':
			ctx.actor = optarg;
			break;
		case 'h':
			main_help(stdout);
			return CLI_OK;
		case 'V':
			version();
			return CLI_OK;
		case ':':
			return main_usage("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt) {
				char opt[3] = {'-', (char)optopt, '\0'};
				return main_usage("unknown option '%s'", opt);
			}
			return main_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return main_usage("%s", "missing command");

	if (strcmp(argv[0], "help") == 0)
		return help_command(argc - 1, argv + 1);
	if (is_group(argv[0])) {
		if (argc == 1)
			return group_usage(argv[0], "%s", "missing subcommand");
		if (is_help(argv[1])) {
			group_help(stdout, argv[0]);
			return CLI_OK;
		}
		cmd = find_command(argv[0], argv[1]);
		if (!cmd)
			return group_usage(argv[0], "unknown subcommand '%s'", argv[1]);
		argc--;
		argv++;
	} else {
		cmd = find_command(NULL, argv[0]);
		if (!cmd)
			return main_usage("unknown command '%s'", argv[0]);
	}

	cli_getopt_reset();
	status = cmd->run(&ctx, cmd, argc, argv);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "youth: cannot write the output: %s\n", strerror(errno));
		return CLI_FAIL;
	}
	return status;
}
