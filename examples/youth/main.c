/*
 * main.c - the `youth` command-line tool: global options, command table, dispatch, helpers.
 *
 *     youth [-r FILE] COMMAND [SUBCOMMAND] [OPTIONS] [ARGS]
 *
 * See docs/youth.1 and docs/cli.md.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */

#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FORMAT_HELP "  -f, --format FMT      table (default), csv or json\n"
#define COMMON_HELP \
	"  -r, --registry FILE   registry file (default: $YOUTH_REGISTRY)\n" \
	"  -h, --help            show this help and exit\n"
#define PERSON_FIELDS_HELP \
	"      --given-names TEXT      given names (\"José Antonio\")\n" \
	"      --first-surname TEXT    first surname (\"Hernández\")\n" \
	"      --second-surname TEXT   second surname\n" \
	"      --birth-date DATE       YYYY-MM-DD\n" \
	"      --sex SEX               female or male\n" \
	"      --place PLACE           gazetteer place: path or unambiguous name\n" \
	"      --national-id DUI       DUI NNNNNNNN-C (adults only)\n" \
	"      --address TEXT          address line\n" \
	"      --phone PHONE           8 digits, NNNN-NNNN\n" \
	"      --education LEVEL       none, primary, lower_secondary, upper_secondary,\n" \
	"                              technical, university\n" \
	"      --studying BOOL         true or false\n" \
	"      --employment STATUS     unemployed, employed_formal, employed_informal,\n" \
	"                              self_employed, inactive\n" \
	"      --household-size N      people in the household, 1-30\n" \
	"      --disability BOOL       true or false\n" \
	"      --census-date DATE      date of the census interview\n" \
	"      --census-round LABEL    census round (letters, digits, - _ .)\n" \
	"      --job-profiles TAGS     comma-separated tags: \"cook, baker\"\n" \
	"      --consent BOOL          consent to the registry given\n" \
	"      --consent-date DATE     date of the consent\n" \
	"      --allow-age             accept an age at census outside 13-29\n"
#define OPERATOR_FIELDS_HELP \
	"      --exchange ID|CODE      the exchange the operator works at\n" \
	"      --given-names TEXT      given names\n" \
	"      --first-surname TEXT    first surname\n" \
	"      --second-surname TEXT   second surname\n" \
	"      --role ROLE             counsellor, intake, placement, coordinator\n" \
	"      --phone PHONE           8 digits, NNNN-NNNN\n" \
	"      --active BOOL           true while the operator may record services\n"
#define EMPLOYER_FIELDS_HELP \
	"      --name TEXT             1-120 bytes; unique together with the NIT\n" \
	"      --sector TEXT           \"retail\", \"hotels and restaurants\"...\n" \
	"      --nit NIT               tax id NNNN-NNNNNN-NNN-N, unique\n" \
	"      --place PLACE           gazetteer place\n" \
	"      --contact-name TEXT     contact person\n" \
	"      --phone PHONE           8 digits, NNNN-NNNN\n" \
	"      --email EMAIL           e-mail address\n"
#define COURSE_FIELDS_HELP \
	"      --code CODE           1-16 letters, digits, - _ (unique)\n" \
	"      --title TEXT          1-120 bytes\n" \
	"      --provider TEXT       training provider (\"INSAFORP\", \"ITCA\"...)\n" \
	"      --job-profile TEXT    job or sector the course prepares for\n" \
	"      --hours N             1-2000\n"
#define FILTER_HELP \
	"      --place PLACE     only persons living in this place or below it\n" \
	"      --sex SEX         female or male\n" \
	"      --age-min N       minimum age at the reference date\n" \
	"      --age-max N       maximum age at the reference date\n" \
	"      --age-at DATE     reference date for ages (default: today, UTC)\n" \
	"      --census-round R  only this census round\n"

static const cli_command commands[] = {
	{NULL, "init", cmd_init, "",
	 "create a new, empty registry",
	 "Create the registry file (or initialise an empty file) with the current schema.\n"
	 "An existing registry is opened, migrated if it is older, and left as it is.\n\n"
	 "Options:\n" COMMON_HELP},
	{"gazetteer", "load", cmd_gazetteer_load, "FILE",
	 "add the places of a gazetteer YAML file",
	 "Load a gazetteer YAML file (docs/gazetteer.md) and add the places the registry lacks.\n"
	 "Loading is idempotent and all or nothing.  Prints the number of places added.\n\n"
	 "Options:\n" COMMON_HELP},
	{"gazetteer", "list", cmd_gazetteer_list, "",
	 "list places",
	 "List the places of the gazetteer in path order.\n\n"
	 "Options:\n"
	 "  -u, --under PLACE     only this place and the places below it\n"
	 "  -l, --level LEVEL     only places of this level: department, municipality,\n"
	 "                        district, community (or 1-4)\n"
	 FORMAT_HELP COMMON_HELP},
	{"census", "load", cmd_census_load, "FILE",
	 "add the persons of a census batch YAML file",
	 "Load a census batch (YAML, format libyouth/1, docs/format.md): every record is\n"
	 "validated like `youth person add`.  All or nothing: the first bad record stops the\n"
	 "load, nothing is kept, and the error names the file, line, record and field.\n\n"
	 "Options:\n"
	 "      --allow-age       accept ages at census outside 13-29\n"
	 COMMON_HELP},
	{"person", "add", cmd_person_add, "--given-names TEXT --first-surname TEXT ... [OPTIONS]",
	 "register a person",
	 "Validate and register one person.  Prints the new id and UUID.\n"
	 "Required: given names, first surname, birth date, sex, place.  The census date\n"
	 "defaults to today (UTC), the census round to \"manual\", and with --consent true\n"
	 "the consent date to the census date.\n\n"
	 "Options:\n" PERSON_FIELDS_HELP
	 "      --uuid UUID             keep this UUID instead of generating one\n"
	 COMMON_HELP},
	{"person", "show", cmd_person_show, "ID|UUID",
	 "show one person",
	 "Show every field of one person, and the age today.\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"person", "list", cmd_person_list, "[OPTIONS]",
	 "list persons",
	 "List persons in id order.  The table shows a summary of each person; csv and json\n"
	 "carry every field and the age at the reference date.\n\n"
	 "Options:\n" FILTER_HELP FORMAT_HELP COMMON_HELP},
	{"person", "search", cmd_person_search, "WORDS... [OPTIONS]",
	 "find persons by name",
	 "List the persons whose names contain all the WORDS, ignoring accents and case:\n"
	 "\"jose hernandez\" finds \"José Antonio Hernández\".\n\n"
	 "Options:\n" FILTER_HELP FORMAT_HELP COMMON_HELP},
	{"person", "edit", cmd_person_edit, "ID|UUID --FIELD VALUE...",
	 "change fields of a person",
	 "Change the given fields of one person; the others keep their values.  An empty\n"
	 "VALUE unsets an optional field.  Setting --consent false also unsets the consent\n"
	 "date unless --consent-date is given.\n\n"
	 "Options:\n" PERSON_FIELDS_HELP COMMON_HELP},
	{"person", "delete", cmd_person_delete, "ID|UUID",
	 "delete a person",
	 "Delete one person from the registry.\n\n"
	 "Options:\n" COMMON_HELP},
	{NULL, "summary", cmd_summary, "[OPTIONS]",
	 "count persons by place, sex and age band",
	 "Count the persons of the registry, in total and by municipality, district and\n"
	 "critical community: by sex and by age band 16-17, 18-20, 21-24 (and other ages)\n"
	 "at the reference date.  Places without persons are left out unless --all.\n\n"
	 "Options:\n"
	 "  -a, --at DATE         reference date for ages (default: today, UTC)\n"
	 "      --census-round R  only this census round\n"
	 "      --all             list places without persons too\n"
	 FORMAT_HELP COMMON_HELP},
	{"exchange", "add", cmd_exchange_add, "--code CODE --name TEXT --place PLACE [OPTIONS]",
	 "register a municipal employment exchange",
	 "Validate and register an employment exchange.  Prints the new id and UUID.\n\n"
	 "Options:\n"
	 "      --code CODE           required, unique: 1-16 letters, digits, - _\n"
	 "      --name TEXT           required, 1-80 bytes\n"
	 "      --place PLACE         required gazetteer place (usually a district)\n"
	 "      --opened-date DATE    YYYY-MM-DD\n"
	 "      --uuid UUID           keep this UUID instead of generating one\n"
	 COMMON_HELP},
	{"exchange", "list", cmd_exchange_list, "[OPTIONS]",
	 "list exchanges",
	 "List the employment exchanges in code order.\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"exchange", "show", cmd_exchange_show, "ID|CODE",
	 "show one exchange",
	 "Show every field of one exchange, given by id or code.\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"operator", "add", cmd_operator_add,
	 "--exchange ID|CODE --given-names TEXT --first-surname TEXT --role ROLE [OPTIONS]",
	 "register an operator of an exchange",
	 "Validate and register an operator (a person working at an exchange who records\n"
	 "services).  Prints the new id and UUID.\n\n"
	 "Options:\n" OPERATOR_FIELDS_HELP
	 "      --uuid UUID             keep this UUID instead of generating one\n"
	 COMMON_HELP},
	{"operator", "list", cmd_operator_list, "[OPTIONS]",
	 "list operators",
	 "List operators in id order.\n\n"
	 "Options:\n"
	 "      --exchange ID|CODE  only the operators of this exchange\n"
	 FORMAT_HELP COMMON_HELP},
	{"operator", "show", cmd_operator_show, "ID",
	 "show one operator",
	 "Show every field of one operator.\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"operator", "edit", cmd_operator_edit, "ID --FIELD VALUE...",
	 "change fields of an operator",
	 "Change the given fields of one operator; the others keep their values.  An empty\n"
	 "VALUE unsets an optional field.\n\n"
	 "Options:\n" OPERATOR_FIELDS_HELP COMMON_HELP},
	{"operator", "deactivate", cmd_operator_deactivate, "ID",
	 "stop an operator from recording services",
	 "Set the operator's `active` field to false: an inactive operator can no longer record\n"
	 "services (`youth operator edit ID --active true` reverses it).\n\n"
	 "Options:\n" COMMON_HELP},
	{"employer", "add", cmd_employer_add, "--name TEXT [OPTIONS]",
	 "register an employer",
	 "Validate and register an employer offering first jobs.  Prints the new id and UUID.\n\n"
	 "Options:\n" EMPLOYER_FIELDS_HELP
	 "      --uuid UUID             keep this UUID instead of generating one\n"
	 COMMON_HELP},
	{"employer", "list", cmd_employer_list, "[OPTIONS]",
	 "list employers",
	 "List employers in name order.\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"employer", "show", cmd_employer_show, "ID",
	 "show one employer",
	 "Show every field of one employer.\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"employer", "edit", cmd_employer_edit, "ID --FIELD VALUE...",
	 "change fields of an employer",
	 "Change the given fields of one employer; the others keep their values.  An empty\n"
	 "VALUE unsets an optional field.\n\n"
	 "Options:\n" EMPLOYER_FIELDS_HELP COMMON_HELP},
	{"rules", "load", cmd_rules_load, "FILE",
	 "load the eligibility rules of programmes",
	 "Load a rules YAML file (docs/rules.md).  A programme whose code exists is replaced,\n"
	 "every rule of it.  All or nothing.  Prints the number of programmes loaded.\n\n"
	 "Options:\n" COMMON_HELP},
	{"programme", "show", cmd_programme_show, "CODE",
	 "show the rules of one programme",
	 "Show the eligibility rules of one programme (counselling, vocational, scholarship,\n"
	 "seed_capital, female_window...).  Unset rules are empty (null in JSON).\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{NULL, "eligibility", cmd_eligibility, "PERSON PROGRAMME [OPTIONS]",
	 "check a person against the rules of a programme",
	 "Check whether PERSON (id or UUID) may receive a service of PROGRAMME on a date.\n"
	 "Prints \"eligible\" and exits 0, or prints the rule broken and exits 1.  A programme\n"
	 "without loaded rules admits everyone.\n\n"
	 "Options:\n"
	 "  -d, --date DATE       date of the service (default: today, UTC)\n"
	 COMMON_HELP},
	{"course", "add", cmd_course_add,
	 "--code CODE --title TEXT --provider TEXT --hours N [OPTIONS]",
	 "add a course to the catalogue",
	 "Validate and add a vocational course.  Prints the new id and UUID.\n\n"
	 "Options:\n" COURSE_FIELDS_HELP
	 "      --uuid UUID           keep this UUID instead of generating one\n"
	 COMMON_HELP},
	{"course", "list", cmd_course_list, "[OPTIONS]",
	 "list the course catalogue",
	 "List the courses in code order.\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"course", "show", cmd_course_show, "ID|CODE",
	 "show one course",
	 "Show every field of one course, given by id or code.\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"course", "edit", cmd_course_edit, "ID|CODE --FIELD VALUE...",
	 "change fields of a course",
	 "Change the given fields of one course; the others keep their values.  An empty\n"
	 "VALUE unsets an optional field.\n\n"
	 "Options:\n" COURSE_FIELDS_HELP COMMON_HELP},
	{"cohort", "add", cmd_cohort_add,
	 "--course ID|CODE --exchange ID|CODE --code CODE --start-date DATE --end-date DATE "
	 "--place PLACE --capacity N [OPTIONS]",
	 "open a cohort (one run) of a course",
	 "Validate and add a cohort of a course.  Prints the new id and UUID.\n\n"
	 "Options:\n"
	 "      --course ID|CODE      required: the course\n"
	 "      --exchange ID|CODE    required: the exchange organising it\n"
	 "      --code CODE           required, unique: 1-32 letters, digits, - _\n"
	 "      --start-date DATE     required, YYYY-MM-DD\n"
	 "      --end-date DATE       required, not before the start date\n"
	 "      --place PLACE         required gazetteer place\n"
	 "      --capacity N          required, 1-500 places\n"
	 "      --min-attendance P    percent needed to complete, 1-100 (default 80)\n"
	 "      --uuid UUID           keep this UUID instead of generating one\n"
	 COMMON_HELP},
	{"cohort", "list", cmd_cohort_list, "[OPTIONS]",
	 "list cohorts",
	 "List cohorts in start date order, with the places taken (enrolled + completed) and\n"
	 "free.\n\n"
	 "Options:\n"
	 "      --course ID|CODE  only the cohorts of this course\n"
	 FORMAT_HELP COMMON_HELP},
	{"cohort", "show", cmd_cohort_show, "ID|CODE",
	 "show one cohort and its places taken",
	 "Show every field of one cohort, given by id or code, then `taken` (enrollments\n"
	 "enrolled or completed) and `free` (capacity minus taken).\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{NULL, "enroll", cmd_enroll, "PERSON COHORT --operator ID [OPTIONS]",
	 "record the application of a person to a cohort",
	 "Record an application (state applied) of PERSON (id or UUID) to COHORT (id or code).\n"
	 "The rules of programme \"vocational\" are checked at the application date; a person\n"
	 "who breaks one is refused with the rule, unless an override is given: then the\n"
	 "application goes through and the override is recorded.  Prints the new enrollment\n"
	 "id and UUID.\n\n"
	 "Options:\n"
	 "      --operator ID              required: the (active) operator recording it\n"
	 "      --date DATE                application date (default: today, UTC)\n"
	 "      --override-operator ID     operator taking responsibility for an override\n"
	 "      --override-reason TEXT     why the rules are set aside (with the above)\n"
	 COMMON_HELP},
	{"enrollment", "state", cmd_enrollment_state, "ID STATE [OPTIONS]",
	 "move an enrollment to another state",
	 "Move enrollment ID to STATE: enrolled (needs a free place), completed (needs the\n"
	 "cohort's minimum attendance), dropped or not_eligible (need --reason).  From\n"
	 "applied: enrolled, not_eligible, dropped; from enrolled: completed, dropped;\n"
	 "completed, dropped and not_eligible are final.\n\n"
	 "Options:\n"
	 "      --date DATE       date of the change (default: today, UTC)\n"
	 "      --reason TEXT     reason, for dropped and not_eligible\n"
	 COMMON_HELP},
	{"enrollment", "attendance", cmd_enrollment_attendance, "ID PERCENT",
	 "record the attendance of an enrollment",
	 "Record the attendance (0-100 percent) of an enrolled or completed enrollment.  It\n"
	 "replaces any attendance computed from sessions.\n\n"
	 "Options:\n" COMMON_HELP},
	{"enrollment", "session", cmd_enrollment_session, "ID DATE present|absent",
	 "record one session attended or missed",
	 "Record one session of an enrolled person on DATE (within the cohort's dates) as\n"
	 "attended or missed.  Attendance becomes the share of recorded sessions attended.\n"
	 "Recording the same date again replaces it.\n\n"
	 "Options:\n" COMMON_HELP},
	{"enrollment", "certificate", cmd_enrollment_certificate, "ID [OPTIONS]",
	 "issue the certificate of a completed enrollment",
	 "Record that the certificate of a completed enrollment was issued.  It is issued\n"
	 "once.\n\n"
	 "Options:\n"
	 "      --date DATE       date of issue (default: today, UTC)\n"
	 COMMON_HELP},
	{"enrollment", "show", cmd_enrollment_show, "ID",
	 "show one enrollment",
	 "Show every field of one enrollment.\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"enrollment", "list", cmd_enrollment_list, "[OPTIONS]",
	 "list enrollments",
	 "List enrollments in id order.\n\n"
	 "Options:\n"
	 "      --cohort ID|CODE  only the enrollments of this cohort\n"
	 "      --person ID|UUID  only the enrollments of this person\n"
	 FORMAT_HELP COMMON_HELP},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char *const groups[][2] = {
	{"gazetteer", "places: load a gazetteer, list places"},
	{"census", "census batches: load a YAML file of persons"},
	{"person", "persons: add, show, list, search, edit, delete"},
	{"exchange", "employment exchanges: add, list, show"},
	{"operator", "operators of the exchanges: add, list, show, edit, deactivate"},
	{"employer", "employers: add, list, show, edit"},
	{"rules", "eligibility rules: load a YAML file of programmes"},
	{"programme", "programmes: show the rules of one"},
	{"course", "the course catalogue: add, list, show, edit"},
	{"cohort", "cohorts of a course: add, list, show"},
	{"enrollment", "enrollments: state, attendance, session, certificate, show, list"},
};

#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

/* ---- messages ---------------------------------------------------------------------------- */

int cli_fail(int rc)
{
	const youth_error *e = youth_error_last();

	if (e && e->message && e->message[0])
		fprintf(stderr, "youth: %s\n", e->message);
	else
		fprintf(stderr, "youth: %s\n", youth_error_name(rc));
	return CLI_FAIL;
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

	fputs("usage: youth [-r FILE] COMMAND [ARGS]\n"
	      "\n"
	      "Keep the registry of a youth employability programme: places, census records of\n"
	      "youths and summaries of them; employment exchanges, operators and employers;\n"
	      "eligibility rules; courses, cohorts and enrollments.\n"
	      "\n"
	      "Options:\n"
	      "  -r, --registry FILE   registry file (default: $YOUTH_REGISTRY)\n"
	      "  -h, --help            show this help and exit\n"
	      "  -V, --version         show the version and exit\n"
	      "\n"
	      "Commands:\n", fp);
	for (i = 0; i < NCOMMANDS; i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s%s%s", commands[i].group ? commands[i].group : "",
		         commands[i].group ? " " : "", commands[i].name);
		fprintf(fp, "  %-22s  %s\n", name, commands[i].summary);
	}
	fputs("  help COMMAND            show the help of a command\n"
	      "\n"
	      "Run 'youth COMMAND --help' for the options of a command.\n"
	      "Exit status: 0 success, 1 error, 2 usage error.\n", fp);
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

int cli_open(const cli_ctx *ctx, const cli_command *cmd, unsigned flags, youth_registry **out)
{
	int rc;

	*out = NULL;
	if (!ctx->registry || !ctx->registry[0])
		return cli_usage(cmd, "no registry: use -r FILE or set YOUTH_REGISTRY");
	rc = youth_registry_open(out, ctx->registry, flags);
	if (rc != YOUTH_OK)
		return cli_fail(rc);
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

	for (i = 0; i < NGROUPS; i++)
		if (strcmp(word, groups[i][0]) == 0)
			return 1;
	return 0;
}

static int is_help(const char *word)
{
	return strcmp(word, "--help") == 0 || strcmp(word, "-h") == 0;
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
		{NULL, 0, NULL, 0},
	};
	cli_ctx ctx;
	const cli_command *cmd;
	int c, status;

	ctx.registry = getenv("YOUTH_REGISTRY");
	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, "+:r:hV", options, NULL)) != -1) {
		switch (c) {
		case 'r':
			ctx.registry = optarg;
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
