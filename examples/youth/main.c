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
#define DATEH "      --date DATE       date of the change (default: today, UTC)\n"
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
	{NULL, "import", cmd_import, "FILE|- [OPTIONS]",
	 "import a libyouth/1 YAML file (a census batch or a whole registry)",
	 "Import a YAML interchange file (format libyouth/1, docs/format.md) into the registry;\n"
	 "FILE - reads standard input.  Atomic by default: the first bad record stops the import\n"
	 "with its file, line, column, record and field, and nothing is written.  Prints one\n"
	 "summary line; on a terminal a progress bar is drawn on stderr.  Exits 1 when records\n"
	 "were rejected.\n\n"
	 "Options:\n"
	 "      --keep-going      import the valid records, skip the others\n"
	 "      --rejects FILE    with --keep-going: write the rejected records there, each\n"
	 "                        under a comment giving the reason (a libyouth/1 file that\n"
	 "                        can be fixed and imported again)\n"
	 "      --dry-run         check everything, write nothing\n"
	 "      --upsert          update records whose UUID (or national ID) exists instead of\n"
	 "                        refusing them as duplicates\n"
	 "      --quiet           no progress bar\n"
	 COMMON_HELP},
	{NULL, "export", cmd_export, "[FILE|-] [OPTIONS]",
	 "export the registry (or part of it) as a libyouth/1 YAML file",
	 "Write the registry as a YAML interchange file (docs/format.md) to FILE (written\n"
	 "beside it and renamed into place when complete) or to standard output (- or no FILE).\n"
	 "The order is deterministic: export, import into an empty registry, export again gives\n"
	 "the same bytes.\n\n"
	 "Options:\n"
	 "      --kinds LIST      only these kinds, comma-separated: gazetteer, persons,\n"
	 "                        exchanges, rules, courses, counselling, scholarships,\n"
	 "                        enterprise, followups\n"
	 "      --place PLACE     only persons living in PLACE or below, with their services\n"
	 "      --from DATE       only persons censused and services dated on or after DATE\n"
	 "      --to DATE         ... on or before DATE\n"
	 "      --quiet           no progress bar\n"
	 COMMON_HELP},
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
	 "Show every field of one person, and the age today, then the person's timeline:\n"
	 "every service, payment, plan and follow-up in date order (date, kind, record_id,\n"
	 "uuid, state, amount, detail).  With --format json the output is one object\n"
	 "{\"person\": {...}, \"timeline\": [...]}; with csv the timeline is a second table\n"
	 "after a blank line.\n\n"
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
	{"person", "delete", cmd_person_delete, "ID|UUID [--cascade]",
	 "delete a person",
	 "Delete one person from the registry.  A person with services (enrollments,\n"
	 "counselling, scholarships, plans, follow-ups...) is refused unless --cascade is\n"
	 "given: then the person and every record about them are deleted in one\n"
	 "transaction, and the number of records deleted (the person included) is printed.\n\n"
	 "Options:\n"
	 "      --cascade         also delete the person's services\n"
	 COMMON_HELP},
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
	{"exchange", "edit", cmd_exchange_edit, "ID|CODE --FIELD VALUE...",
	 "change fields of an exchange",
	 "Change the given fields of one exchange (given by id or code); the others keep\n"
	 "their values.  Services recorded there keep pointing at it, so they follow a new\n"
	 "code or name.  An empty VALUE unsets an optional field.\n\n"
	 "Options:\n"
	 "      --code CODE           unique: 1-16 letters, digits, - _\n"
	 "      --name TEXT           1-80 bytes\n"
	 "      --place PLACE         gazetteer place (usually a district)\n"
	 "      --opened-date DATE    YYYY-MM-DD\n"
	 COMMON_HELP},
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
	{"programme", "list", cmd_programme_list, "[OPTIONS]",
	 "list the programmes and their rules",
	 "List every programme loaded by `rules load`, in code order.  The table leaves out\n"
	 "the places and census rounds (see `programme show CODE`); CSV and JSON have every\n"
	 "column.\n\n"
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
	{"cohort", "edit", cmd_cohort_edit, "ID|CODE --FIELD VALUE...",
	 "change fields of a cohort",
	 "Change the given fields of one cohort; the others keep their values.  Refused when\n"
	 "the change contradicts its enrollments: a capacity below the places taken, an end\n"
	 "before an application, attendance sessions outside the dates, another course once\n"
	 "anyone applied, another minimum attendance once anyone completed.\n\n"
	 "Options:\n"
	 "      --course ID|CODE      the course\n"
	 "      --exchange ID|CODE    the exchange organising it\n"
	 "      --code CODE           unique: 1-32 letters, digits, - _\n"
	 "      --start-date DATE     YYYY-MM-DD\n"
	 "      --end-date DATE       not before the start date\n"
	 "      --place PLACE         gazetteer place\n"
	 "      --capacity N          1-500 places, not below the places taken\n"
	 "      --min-attendance P    percent needed to complete, 1-100\n"
	 COMMON_HELP},
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
	{"counselling", "add", cmd_counselling_add,
	 "--operator ID --date DATE --kind KIND --mode MODE --duration N [OPTIONS]",
	 "open a counselling session",
	 "Validate and add a counselling session (state open).  Prints the new id and UUID.\n\n"
	 "Options:\n"
	 "      --operator ID         required: an active counsellor or coordinator\n"
	 "      --date DATE           required, not in the future\n"
	 "      --kind KIND           required: career_guidance, life_skills, job_search,\n"
	 "                            referral\n"
	 "      --mode MODE           required: individual (1 person) or group (2-60)\n"
	 "      --duration N          required: minutes, 1-600\n"
	 "      --topic TEXT          1-120 bytes\n"
	 "      --outcome TEXT        1-500 bytes\n"
	 "      --place PLACE         gazetteer place\n"
	 "      --uuid UUID           keep this UUID instead of generating one\n"
	 COMMON_HELP},
	{"counselling", "participant", cmd_counselling_participant,
	 "add|remove SESSION PERSON [OPTIONS]",
	 "change the roster of an open session",
	 "`participant add SESSION PERSON` puts a person on the roster (checking the rules of\n"
	 "programme \"counselling\"; options --absent, --note TEXT, --override-operator ID\n"
	 "and --override-reason TEXT); `participant remove SESSION PERSON` takes them off.\n"
	 "A closed session refuses both.  Run `youth counselling participant add --help`.\n\n"
	 "Options:\n" COMMON_HELP},
	{"counselling", "attend", cmd_counselling_attend,
	 "SESSION PERSON --attended yes|no [--note TEXT]",
	 "correct whether a participant attended",
	 "Record whether PERSON (id or UUID), on the roster of open session SESSION,\n"
	 "attended.  Without --note the participant's note is kept.\n\n"
	 "Options:\n"
	 "      --attended yes|no     required\n"
	 "      --note TEXT           replaces the note, 1-500 bytes\n"
	 COMMON_HELP},
	{"counselling", "close", cmd_counselling_close, "SESSION [--date DATE]",
	 "close a session and freeze its roster",
	 "Close an open session: an individual session needs exactly 1 participant, a group\n"
	 "session 2-60.  Closed sessions are final and counted by `counselling count`.\n\n"
	 "Options:\n"
	 "      --date DATE       date of closing (default: today, UTC)\n"
	 COMMON_HELP},
	{"counselling", "show", cmd_counselling_show, "SESSION",
	 "show a session and its roster",
	 "Show every field of one session, then its roster.  With --format json the output\n"
	 "is {\"session\": {...}, \"roster\": [...]}.\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"counselling", "list", cmd_counselling_list, "[OPTIONS]",
	 "list counselling sessions",
	 "List sessions in date order.\n\n"
	 "Options:\n"
	 "      --person ID|UUID  only the sessions whose roster holds this person\n"
	 FORMAT_HELP COMMON_HELP},
	{"counselling", "count", cmd_counselling_count, "[--from DATE] [--to DATE]",
	 "count the youths counselled",
	 "Print the number of distinct persons who attended at least one closed session\n"
	 "dated between --from and --to.\n\n"
	 "Options:\n"
	 "      --from DATE       first date counted\n"
	 "      --to DATE         last date counted\n"
	 COMMON_HELP},
	{"scholarship", "apply", cmd_scholarship_apply, "PERSON --operator ID [OPTIONS]",
	 "record an application for a first-work scholarship",
	 "Record the application of PERSON (id or UUID): state applied.  The rules of\n"
	 "programme \"scholarship\" are checked at the date; a person who breaks one is refused\n"
	 "unless an override is given.  A person holds one scholarship at a time.  Prints the\n"
	 "new id and UUID.\n\n"
	 "Options:\n"
	 "      --operator ID              required: the (active) operator recording it\n"
	 "      --date DATE                application date (default: today, UTC)\n"
	 "      --override-operator ID     operator taking responsibility for an override\n"
	 "      --override-reason TEXT     why the rules are set aside (with the above)\n"
	 COMMON_HELP},
	{"scholarship", "award", cmd_scholarship_award, "ID [--date DATE]",
	 "award an applied scholarship",
	 "applied -> awarded.\n\n"
	 "Options:\n"
	 "      --date DATE       date of the change (default: today, UTC)\n"
	 COMMON_HELP},
	{"scholarship", "reject", cmd_scholarship_reject, "ID --reason TEXT [--date DATE]",
	 "reject an application",
	 "applied -> rejected (final), with a reason.\n\n"
	 "Options:\n"
	 "      --date DATE       date of the change (default: today, UTC)\n"
	 "      --reason TEXT     required, 1-500 bytes\n"
	 COMMON_HELP},
	{"scholarship", "activate", cmd_scholarship_activate,
	 "ID --employer ID --position TEXT --start-date DATE --end-date DATE --hours N "
	 "--stipend AMOUNT [--date DATE]",
	 "place an awarded scholar with an employer",
	 "awarded -> active: records the placement and generates the stipend schedule, one\n"
	 "installment per calendar month (prorated for partial months).\n\n"
	 "Options:\n"
	 "      --date DATE           date of the change (default: today, UTC)\n"
	 "      --employer ID         required: an existing employer\n"
	 "      --position TEXT       required, 1-120 bytes\n"
	 "      --start-date DATE     required, not before the application\n"
	 "      --end-date DATE       required; at most 24 calendar months\n"
	 "      --hours N             required: hours per week, 1-48\n"
	 "      --stipend AMOUNT      required: monthly stipend, \"150.00\", up to 10000.00\n"
	 COMMON_HELP},
	{"scholarship", "complete", cmd_scholarship_complete, "ID [--date DATE]",
	 "complete an active scholarship",
	 "active -> completed (final), not before the placement's end.\n\n"
	 "Options:\n"
	 "      --date DATE       date of the change (default: today, UTC)\n"
	 COMMON_HELP},
	{"scholarship", "terminate", cmd_scholarship_terminate, "ID --reason TEXT [--date DATE]",
	 "terminate an awarded or active scholarship",
	 "awarded or active -> terminated (final): the installments due after the date are\n"
	 "cancelled and that month's is prorated.\n\n"
	 "Options:\n"
	 "      --date DATE       date of the change (default: today, UTC)\n"
	 "      --reason TEXT     required, 1-500 bytes\n"
	 COMMON_HELP},
	{"scholarship", "pay", cmd_scholarship_pay,
	 "ID --amount AMOUNT --method METHOD --reference REF --operator ID [--date DATE]",
	 "record a stipend payment",
	 "Record a payment; it may not exceed what is payable on its date (installments due\n"
	 "by then minus what was paid).  Prints the payment's id and UUID.\n\n"
	 "Options:\n"
	 "      --amount AMOUNT       required: \"150.00\", more than 0\n"
	 "      --date DATE           date paid (default: today, UTC)\n"
	 "      --method METHOD       required: cash, transfer, cheque\n"
	 "      --reference REF       required, 1-40 bytes, used once\n"
	 "      --operator ID         required: the (active) operator recording it\n"
	 COMMON_HELP},
	{"scholarship", "balance", cmd_scholarship_balance, "ID",
	 "show what is owed and paid",
	 "Show owed (installments not cancelled), paid, and balance (owed - paid).\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"scholarship", "show", cmd_scholarship_show, "ID",
	 "show a scholarship, its schedule and payments",
	 "Show every field of one scholarship, then its stipend schedule and its payments.\n"
	 "With --format json: {\"scholarship\": {...}, \"schedule\": [...], \"payments\": [...]}.\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"scholarship", "list", cmd_scholarship_list, "[OPTIONS]",
	 "list scholarships",
	 "List scholarships in id order.\n\n"
	 "Options:\n"
	 "      --person ID|UUID  only the scholarships of this person\n"
	 "      --employer ID     only the placements with this employer\n"
	 FORMAT_HELP COMMON_HELP},
	{"group", "add", cmd_group_add,
	 "--name TEXT --window WINDOW --operator ID --formed-date DATE [OPTIONS]",
	 "register a group of applicants",
	 "Validate and add a group that may apply for seed capital.  Prints the new id and\n"
	 "UUID.\n\n"
	 "Options:\n"
	 "      --name TEXT           required, 1-120 bytes\n"
	 "      --window WINDOW       required: youth_seed or female_window (women only)\n"
	 "      --women-only BOOL     true or false (forced true for female_window)\n"
	 "      --operator ID         required: the (active) operator recording it\n"
	 "      --formed-date DATE    required, not in the future\n"
	 "      --uuid UUID           keep this UUID instead of generating one\n"
	 COMMON_HELP},
	{"group", "member", cmd_group_member, "add|remove GROUP PERSON [OPTIONS]",
	 "add a person to a group, or take them out",
	 "`member add GROUP PERSON --operator ID` adds a person (id or UUID) to a group;\n"
	 "`member remove GROUP PERSON` takes them out while no plan of the group has been\n"
	 "submitted.  Run `youth group member add --help` for the options.\n\n"
	 "Options:\n" COMMON_HELP},
	{"group", "show", cmd_group_show, "GROUP",
	 "show a group and its members",
	 "Show every field of one group, then its members.  With --format json:\n"
	 "{\"group\": {...}, \"members\": [...]}.\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"group", "list", cmd_group_list, "[OPTIONS]",
	 "list groups",
	 "List groups in id order.\n\n"
	 "Options:\n"
	 "      --window WINDOW   only the groups of this window: youth_seed, female_window\n"
	 FORMAT_HELP COMMON_HELP},
	{"plan", "add", cmd_plan_add,
	 "(--person ID | --group ID) --window W --title T --sector S --description D "
	 "--requested AMOUNT --operator ID --date DATE",
	 "draft a business plan",
	 "Store a business plan (state draft) of one youth or one group.  Prints the new id\n"
	 "and UUID.\n\n"
	 "Options:\n"
	 "      --person ID|UUID      the applicant youth, or\n"
	 "      --group ID            the applicant group (exactly one of the two)\n"
	 "      --window WINDOW       required: youth_seed or female_window\n"
	 "      --title TEXT          required, 1-120 bytes\n"
	 "      --sector TEXT         required, 1-80 bytes\n"
	 "      --description TEXT    required, 1-1000 bytes\n"
	 "      --requested AMOUNT    required: \"600.00\", more than 0\n"
	 "      --operator ID         required: the (active) operator recording it\n"
	 "      --date DATE           required: drafted date, not in the future\n"
	 "      --uuid UUID           keep this UUID instead of generating one\n"
	 COMMON_HELP},
	{"plan", "submit", cmd_plan_submit, "ID [--date DATE] [override options]",
	 "submit a draft plan",
	 "draft -> submitted.  Checks the rules of programme seed_capital (or female_window)\n"
	 "for the applicant or every member of the group, unless an override is given.\n\n"
	 "Options:\n" DATEH
	 "      --override-operator ID     operator taking responsibility for an override\n"
	 "      --override-reason TEXT     why the rules are set aside (with the above)\n"
	 COMMON_HELP},
	{"plan", "appraise", cmd_plan_appraise, "ID [--date DATE]",
	 "appraise a submitted plan", "submitted -> appraised.\n\nOptions:\n" DATEH COMMON_HELP},
	{"plan", "approve", cmd_plan_approve, "ID --amount AMOUNT [--date DATE]",
	 "approve an appraised plan",
	 "appraised -> approved with an amount (\"500.00\", at most the amount requested).\n\n"
	 "Options:\n" DATEH
	 "      --amount AMOUNT   required\n" COMMON_HELP},
	{"plan", "reject", cmd_plan_reject, "ID --reason TEXT [--date DATE]",
	 "reject an appraised plan",
	 "appraised -> rejected (final).\n\nOptions:\n" DATEH
	 "      --reason TEXT     required, 1-500 bytes\n" COMMON_HELP},
	{"plan", "operating", cmd_plan_operating, "ID [--date DATE]",
	 "mark a funded business as operating",
	 "funded -> operating.\n\nOptions:\n" DATEH COMMON_HELP},
	{"plan", "close", cmd_plan_close, "ID --reason TEXT [--date DATE]",
	 "close a funded or operating plan",
	 "funded or operating -> closed (final).\n\nOptions:\n" DATEH
	 "      --reason TEXT     required, 1-500 bytes\n" COMMON_HELP},
	{"plan", "disburse", cmd_plan_disburse,
	 "ID --amount AMOUNT --reference REF --operator ID [--date DATE]",
	 "pay seed capital to an approved plan",
	 "Record a disbursement; the first moves approved -> funded.  The disbursements may\n"
	 "not exceed the amount approved.  Prints the id and UUID.\n\n"
	 "Options:\n"
	 "      --amount AMOUNT       required: \"250.00\", more than 0\n"
	 "      --date DATE           date paid (default: today, UTC)\n"
	 "      --reference REF       required, unique, 1-40 bytes\n"
	 "      --operator ID         required: the (active) operator recording it\n"
	 COMMON_HELP},
	{"plan", "visit", cmd_plan_visit,
	 "ID --date DATE --operating yes|no --jobs N --sales AMOUNT --operator ID [--notes TEXT]",
	 "record a follow-up visit to a funded business",
	 "Record a visit to a funded, operating or closed plan; a visit that finds a funded\n"
	 "business operating moves the plan to operating.  One visit a day.  Prints the id\n"
	 "and UUID.\n\n"
	 "Options:\n"
	 "      --date DATE           required, not before the first disbursement\n"
	 "      --operating yes|no    the business was operating\n"
	 "      --jobs N              jobs created, 0-10000\n"
	 "      --sales AMOUNT        monthly sales, \"200.00\"\n"
	 "      --notes TEXT          up to 1000 bytes\n"
	 "      --operator ID         required: the (active) operator recording it\n"
	 COMMON_HELP},
	{"plan", "service", cmd_plan_service, "add|list [OPTIONS]",
	 "record or list business-development services",
	 "`service add (--plan ID | --group ID) --kind KIND --date DATE --hours N\n"
	 "--provider TEXT --operator ID` records a business-development service of the female\n"
	 "window; `service list [--group ID] [--plan ID]` lists them.  Run\n"
	 "`youth plan service add --help` for the options.\n\n"
	 "Options:\n" COMMON_HELP},
	{"plan", "show", cmd_plan_show, "ID",
	 "show a plan, its balance and its disbursements",
	 "Show every field of one plan, then its balance (approved, disbursed, remaining)\n"
	 "and its disbursements.  With --format json:\n"
	 "{\"plan\": {...}, \"balance\": {...}, \"disbursements\": [...]}.\n\n"
	 "Options:\n" FORMAT_HELP COMMON_HELP},
	{"plan", "list", cmd_plan_list, "[OPTIONS]",
	 "list business plans",
	 "List plans in id order.\n\n"
	 "Options:\n"
	 "      --person ID|UUID  only the plans of this youth\n"
	 "      --group ID        only the plans of this group\n"
	 "      --window WINDOW   only the plans of this window: youth_seed, female_window\n"
	 FORMAT_HELP COMMON_HELP},
	{"followup", "add", cmd_followup_add,
	 "PERSON --operator ID --date DATE --horizon N --status STATUS [OPTIONS]",
	 "record an outcome follow-up of a person",
	 "Record what became of PERSON (id or UUID) some months after leaving a service.\n"
	 "Prints the new id and UUID.\n\n"
	 "Options:\n"
	 "      --operator ID         required: the (active) operator recording it\n"
	 "      --date DATE           required: date of the contact, not in the future\n"
	 "      --horizon N           required: months after leaving the service, 1-60\n"
	 "      --status STATUS       required: employed_formal, employed_informal,\n"
	 "                            self_employed, studying, unemployed, neet\n"
	 "      --employer ID         required for the employed statuses, refused otherwise\n"
	 "      --service KIND        enrollment, counselling, scholarship, seed_capital, plan\n"
	 "      --service-id N        the record of that service (with --service)\n"
	 "      --notes TEXT          1-1000 bytes on one line\n"
	 "      --uuid UUID           keep this UUID instead of generating one\n"
	 COMMON_HELP},
	{"followup", "list", cmd_followup_list, "[OPTIONS]",
	 "list follow-ups",
	 "List follow-ups in date order.\n\n"
	 "Options:\n"
	 "      --person ID|UUID  only the follow-ups of this person\n"
	 FORMAT_HELP COMMON_HELP},
	{"followup", "count", cmd_followup_count, "[OPTIONS]",
	 "count follow-ups for indicator reports",
	 "Print the number of follow-ups with the given status, horizon and dates.\n\n"
	 "Options:\n"
	 "      --status STATUS   only this status (default: any)\n"
	 "      --horizon N       only this horizon in months (default: any)\n"
	 "      --from DATE       first date counted\n"
	 "      --to DATE         last date counted\n"
	 COMMON_HELP},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char *const groups[][2] = {
	{"gazetteer", "places: load a gazetteer, list places"},
	{"census", "census batches: load a YAML file of persons"},
	{"person", "persons: add, show, list, search, edit, delete"},
	{"exchange", "employment exchanges: add, list, show, edit"},
	{"operator", "operators of the exchanges: add, list, show, edit, deactivate"},
	{"employer", "employers: add, list, show, edit"},
	{"rules", "eligibility rules: load a YAML file of programmes"},
	{"programme", "programmes: list them, show the rules of one"},
	{"course", "the course catalogue: add, list, show, edit"},
	{"cohort", "cohorts of a course: add, list, show, edit"},
	{"enrollment", "enrollments: state, attendance, session, certificate, show, list"},
	{"counselling", "counselling sessions: add, participant, attend, close, show, list, count"},
	{"scholarship", "first-work scholarships: apply, award, activate, pay, show, list..."},
	{"group", "groups of applicants: add, member add, member remove, show, list"},
	{"plan", "business plans: add, submit, appraise, approve, disburse, service, show, list..."},
	{"followup", "outcome follow-ups: add, list, count"},
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
