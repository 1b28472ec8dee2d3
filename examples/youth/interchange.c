/*
 * youth import / youth export: whole registries as libyouth/1 YAML files (docs/format.md).
 *
 * On a terminal the commands draw a progress bar on stderr; when stderr is not a terminal
 * (scripts, CI, pipes) they stay quiet and print only the one-line summary on stdout.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, isatty */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct bar {
	int64_t total;    /* bytes to read, 0 when unknown (export, pipes) */
	double started;
	double last_draw;
	int drawn;
} bar;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Redraws at most ten times a second: a bar must not cost the import its speed. */
static int draw(void *ctx, int64_t records, int64_t bytes)
{
	bar *b = ctx;
	double t = now();
	if (b->drawn && t - b->last_draw < 0.1)
		return 0;
	b->last_draw = t;
	b->drawn = 1;
	double secs = t - b->started;
	double rate = secs > 0 ? (double)records / secs : 0;
	if (b->total > 0) {
		int width = 30, fill = (int)(width * (double)bytes / (double)b->total);
		fill = fill > width ? width : fill;
		fprintf(stderr, "\r[%.*s%*s] %3d%%  %lld records  %.0f/s ", fill,
		        "##############################", width - fill, "",
		        (int)(100.0 * (double)bytes / (double)b->total), (long long)records, rate);
	} else {
		fprintf(stderr, "\r%lld records  %.1f MiB  %.0f/s ", (long long)records,
		        (double)bytes / (1024.0 * 1024.0), rate);
	}
	fflush(stderr);
	return 0;
}

static void bar_end(bar *b)
{
	if (b->drawn)
		fputs("\r\033[K", stderr);
}

/* The passphrase held by environment variable @var (never given on the command line, where
 * other users could read it in the process list); NULL, with a message, when unset or empty. */
static const char *passphrase_from(const char *var)
{
	const char *v = getenv(var);
	if (!v || !*v)
		fprintf(stderr, "youth: --passphrase-env %s: the variable is unset or empty\n", var);
	return v && *v ? v : NULL;
}

int cmd_import(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_import_options o;
	youth_import_options_init(&o);
	cli_args a;
	int status = CLI_OK;
	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE)
		return status;
	o.flags |= cli_bit(&a, "keep-going", YOUTH_IMPORT_KEEP_GOING) |
	           cli_bit(&a, "dry-run", YOUTH_IMPORT_DRY_RUN) |
	           cli_bit(&a, "upsert", YOUTH_IMPORT_UPSERT);
	o.rejects_path = cli_arg(&a, "rejects");
	o.key_file = cli_arg(&a, "key-file");
	const char *pass_var = cli_arg(&a, "passphrase-env");
	int quiet = cli_flag(&a, "quiet"), check_dups = cli_flag(&a, "check-duplicates");
	if ((status = cli_operands(cmd, argc, argv, 1, "FILE", NULL)) != CLI_OK)
		return status;
	if (check_dups && (o.flags & YOUTH_IMPORT_DRY_RUN))
		return cli_usage(cmd, "--check-duplicates needs the persons imported: not with --dry-run");
	if (pass_var && !(o.passphrase = passphrase_from(pass_var)))
		return CLI_FAIL;
	if (o.rejects_path && !(o.flags & YOUTH_IMPORT_KEEP_GOING))
		return cli_usage(cmd, "--rejects needs --keep-going");
	const char *file = argv[optind];
	int from_stdin = strcmp(file, "-") == 0;

	bar b = {0};
	struct stat st;
	if (!from_stdin && stat(file, &st) == 0 && S_ISREG(st.st_mode))
		b.total = (int64_t)st.st_size;
	b.started = now();
	if (!quiet && isatty(STDERR_FILENO)) {
		o.progress = draw;
		o.progress_ctx = &b;
	}
	youth_registry *reg = NULL;
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) != CLI_OK)
		return status;
	youth_interchange_summary s;
	int64_t mark = 0;
	int rc = check_dups ? youth_duplicates_mark(&mark, reg) : YOUTH_OK;
	if (rc == YOUTH_OK)
		rc = from_stdin ? youth_import_stream(&s, reg, stdin, "<stdin>", &o)
		                : youth_import_file(&s, reg, file, &o);
	bar_end(&b);
	/* The persons just imported against the rest and each other: likely pairs stored open. */
	youth_duplicates_summary d = {0};
	if (rc == YOUTH_OK && check_dups) {
		youth_duplicates_options dopt = {.from_person_id = mark};
		rc = youth_duplicates_find(&d, reg, &dopt);
	}
	if (rc != YOUTH_OK) {
		status = cli_fail(rc);
	} else {
		printf("%s%lld records: %lld imported, %lld updated, %lld unchanged, %lld rejected "
		       "(%.2f s)\n", o.flags & YOUTH_IMPORT_DRY_RUN ? "dry run, nothing written: " : "",
		       (long long)s.records, (long long)s.imported, (long long)s.updated,
		       (long long)s.unchanged, (long long)s.rejected, now() - b.started);
		if (check_dups)
			printf("duplicates: %lld candidate pairs with the imported persons (%lld likely), "
			       "%lld new; review them with `youth duplicates list --state open`\n",
			       (long long)d.found, (long long)d.likely, (long long)d.added);
		/* Rejected records are a partial failure: scripts must notice. */
		if (s.rejected) {
			if (o.rejects_path)
				fprintf(stderr, "youth: %lld records rejected, see %s\n",
				        (long long)s.rejected, o.rejects_path);
			else
				fprintf(stderr, "youth: %lld records rejected (use --rejects FILE to keep them)\n",
				        (long long)s.rejected);
			status = CLI_FAIL;
		}
	}
	youth_registry_close(reg);
	return status;
}

/* "persons,courses" -> YOUTH_KIND_* bits; 0 with a message on an unknown name. */
static unsigned parse_kinds(const char *text, const char **bad)
{
	static const struct {
		const char *name;
		unsigned flag;
	} kinds[] = {
		{"gazetteer", YOUTH_KIND_GAZETTEER},     {"persons", YOUTH_KIND_PERSONS},
		{"exchanges", YOUTH_KIND_EXCHANGES},     {"rules", YOUTH_KIND_RULES},
		{"courses", YOUTH_KIND_COURSES},         {"counselling", YOUTH_KIND_COUNSELLING},
		{"scholarships", YOUTH_KIND_SCHOLARSHIPS}, {"enterprise", YOUTH_KIND_ENTERPRISE},
		{"followups", YOUTH_KIND_FOLLOWUPS},   {"consents", YOUTH_KIND_CONSENTS},
	};
	unsigned mask = 0;
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, ",");
		size_t i = 0;
		while (i < sizeof kinds / sizeof kinds[0] &&
		       !(strlen(kinds[i].name) == n && strncmp(kinds[i].name, p, n) == 0))
			i++;
		if (i == sizeof kinds / sizeof kinds[0]) {
			*bad = p;
			return 0;
		}
		mask |= kinds[i].flag;
		p += n + (p[n] == ',');
	}
	if (!mask)
		*bad = text;
	return mask;
}

int cmd_export(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_export_options o;
	youth_export_options_init(&o);
	cli_args a;
	int status = CLI_OK;
	char *end;
	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE)
		return status;
	const char *v = cli_arg(&a, "kinds"), *bad = NULL, *pass_var = cli_arg(&a, "passphrase-env");
	if (v && !(o.kinds = parse_kinds(v, &bad)))
		return cli_usage(cmd, "--kinds: unknown kind '%s' (gazetteer, persons, exchanges, rules, "
		                 "courses, counselling, scholarships, enterprise, followups, consents)",
		                 bad);
	o.place = cli_arg(&a, "place");
	o.from = cli_arg(&a, "from");
	o.to = cli_arg(&a, "to");
	o.flags |= cli_bit(&a, "with-identifiers", YOUTH_EXPORT_IDENTIFIERS) |
	           cli_bit(&a, "with-contacts", YOUTH_EXPORT_CONTACTS) |
	           cli_bit(&a, "pseudonymise", YOUTH_EXPORT_PSEUDONYMISE) |
	           cli_bit(&a, "csv", YOUTH_EXPORT_CSV) | cli_bit(&a, "encrypt", YOUTH_EXPORT_ENCRYPT);
	o.pseudonym_key_file = cli_arg(&a, "pseudonym-key");
	if ((v = cli_arg(&a, "k"))) {
		o.k = (int)strtol(v, &end, 10);
		if (*end || end == v || o.k < 1 || o.k > 1000)
			return cli_usage(cmd, "--k %s: expected a whole number 1-1000", v);
	}
	o.key_file = cli_arg(&a, "key-file");
	o.purpose = cli_arg(&a, "purpose");
	int quiet = cli_flag(&a, "quiet");
	if (optind + 1 < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind + 1]);
	if ((o.flags & YOUTH_EXPORT_PSEUDONYMISE) && !o.pseudonym_key_file)
		o.pseudonym_key_file = getenv("YOUTH_PSEUDONYM_KEY");
	if ((o.flags & YOUTH_EXPORT_PSEUDONYMISE) && !o.pseudonym_key_file)
		return cli_usage(cmd, "--pseudonymise needs --pseudonym-key FILE (or YOUTH_PSEUDONYM_KEY)");
	if ((o.flags & (YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS)) &&
	    (o.flags & YOUTH_EXPORT_PSEUDONYMISE))
		return cli_usage(cmd, "--pseudonymise drops identifiers and contacts: "
		                 "--with-identifiers and --with-contacts do not apply");
	if ((o.flags & YOUTH_EXPORT_CSV) && !(o.flags & YOUTH_EXPORT_PSEUDONYMISE))
		return cli_usage(cmd, "--csv is the form of a pseudonymised export (--pseudonymise)");
	if ((o.flags & YOUTH_EXPORT_ENCRYPT) && !o.key_file == !pass_var)
		return cli_usage(cmd, "--encrypt needs --key-file FILE or --passphrase-env VAR (one)");
	if (!(o.flags & YOUTH_EXPORT_ENCRYPT) && (o.key_file || pass_var))
		return cli_usage(cmd, "--key-file and --passphrase-env go with --encrypt");
	if (pass_var && !(o.passphrase = passphrase_from(pass_var)))
		return CLI_FAIL;
	const char *file = optind < argc ? argv[optind] : "-";
	int to_stdout = strcmp(file, "-") == 0;
	bar b = {.started = now()};
	if (!quiet && isatty(STDERR_FILENO)) {
		o.progress = draw;
		o.progress_ctx = &b;
	}
	/* National IDs or contacts leaving an audited registry are written in its audit trail
	 * first (docs/privacy.md), which needs a handle that can write. */
	unsigned open_flags = (o.flags & (YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS))
	                              ? YOUTH_OPEN_DEFAULT : YOUTH_OPEN_READONLY;
	youth_registry *reg = NULL;
	if ((status = cli_open(ctx, cmd, open_flags, &reg)) != CLI_OK)
		return status;
	youth_interchange_summary s;
	int rc = to_stdout ? youth_export_stream(&s, reg, stdout, &o)
	                   : youth_export_file(&s, reg, file, &o);
	bar_end(&b);
	if (rc != YOUTH_OK)
		status = cli_fail(rc);
	else if (!to_stdout)
		printf("exported %lld records (%lld bytes) to %s (%.2f s)\n", (long long)s.records,
		       (long long)s.bytes, file, now() - b.started);
	if (rc == YOUTH_OK && o.purpose)
		fprintf(to_stdout ? stderr : stdout, "left out %lld persons without consent for %s "
		        "(%lld records)\n", (long long)s.excluded_persons, o.purpose,
		        (long long)s.excluded);
	youth_registry_close(reg);
	return status;
}

int cmd_key_new(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	int status = CLI_OK;
	if (cli_no_options(ctx, cmd, argc, argv, &status) == CLI_DONE)
		return status;
	if ((status = cli_operands(cmd, argc, argv, 1, "FILE", NULL)) != CLI_OK)
		return status;
	int rc = youth_key_new(argv[optind]);
	if (rc != YOUTH_OK)
		return cli_fail(rc);
	printf("new key in %s (mode 0600): keep it apart from the registry and the exports\n",
	       argv[optind]);
	return CLI_OK;
}
