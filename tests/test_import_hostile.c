/* Hostile input for the YAML import (docs/format.md, "Hostile-input policy"): one test per
 * case.  Each one asserts the specific error code, that the message names the position
 * (file:line:col), and that the registry *file* on disk is byte-for-byte what it was: the
 * registry is closed, its bytes are copied, it is reopened, the hostile buffer is imported,
 * the registry is closed again and the bytes are compared (and no -wal or -journal is left
 * behind). */
#define _GNU_SOURCE
#include "helpers.h"

#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <youth/interchange.h>

/* The name given to every import: messages must start the position with it. */
#define NAME "hostile.yaml"

#define HEAD "format: libyouth/1\npersons:\n"
/* A valid record (the fixture's registry has the sample gazetteer, and nobody born on this
 * day), so that a refused document with it would otherwise have added a person. */
#define REC1                                                                                  \
	"  - given_names: María José\n"                                                        \
	"    first_surname: Hernández\n"                                                       \
	"    birth_date: 1992-05-14\n"                                                         \
	"    sex: female\n"                                                                    \
	"    place: sonsonate/sonsonate-centro/sonzacate/santa-eugenia\n"                      \
	"    census_date: 2009-03-02\n"                                                        \
	"    census_round: census-2009\n"
#define REC2                                                                                  \
	"  - given_names: Carlos\n"                                                             \
	"    first_surname: Rodríguez\n"                                                       \
	"    birth_date: 1986-11-25\n"                                                         \
	"    sex: male\n"                                                                      \
	"    place: sonsonate/sonsonate-centro/sonsonate/atonal\n"                             \
	"    census_date: 2009-02-02\n"                                                        \
	"    census_round: census-2009\n"
#define END(n) "end:\n  records: " #n "\n"

typedef struct fixture {
	char *dir;
	char *path;
} fixture;

static int do_import(youth_registry *reg, const char *doc, size_t len, unsigned flags)
{
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = flags;
	youth_interchange_summary s;
	return youth_import_buffer(&s, reg, doc, len, NAME, &o);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = th_tmpdir();
	f->path = th_path(f->dir, "registry.youth");
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, f->path, YOUTH_OPEN_CREATE));
	int64_t added = 0;
	assert_ok(youth_gazetteer_load(&added, reg, TH_GAZETTEER));
	assert_ok(th_add_person(reg, NULL));
	youth_registry_close(reg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	th_rmtree(f->dir);
	free(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* Fails unless the last message has NAME:LINE:COL (LINE and COL positive numbers), and
 * LINE == @p line when @p line > 0. */
static void check_position(int want_line, const char *file, int line)
{
	const char *msg = youth_error_last()->message;
	const char *p = msg;
	while ((p = strstr(p, NAME ":")) != NULL) {
		p += strlen(NAME ":");
		char *end;
		long l = strtol(p, &end, 10);
		if (end == p || *end != ':' || l <= 0)
			continue;
		const char *q = end + 1;
		long c = strtol(q, &end, 10);
		if (end == q || c <= 0)
			continue;
		if (want_line > 0 && l != want_line)
			fail_msg("%s:%d: the message names line %ld, expected %d: %s", file, line, l,
			         want_line, msg);
		return;
	}
	fail_msg("%s:%d: the message does not name the position as %s:LINE:COL: %s", file, line,
	         NAME, msg);
}

/*
 * The whole protocol of one case: snapshot the closed registry, reopen, import @p doc with
 * @p flags, expect @p code and a message with the position (and @p needle, if given), close,
 * compare the bytes.  Returns the CPU seconds spent in the import.
 */
static double refused(fixture *f, const char *doc, size_t len, unsigned flags, int code,
                      const char *needle, int want_line, const char *file, int line)
{
	th_snapshot snap;
	th_snapshot_take(&snap, f->path);
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, f->path, 0));
	youth_error_clear();
	clock_t t0 = clock();
	int rc = do_import(reg, doc, len, flags);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	if (rc != code)
		fail_msg("%s:%d: import returned %s, expected %s: %s", file, line,
		         youth_error_name(rc), youth_error_name(code), youth_error_last()->message);
	assert_int_equal(youth_error_last()->code, code);
	check_position(want_line, file, line);
	if (needle)
		th_check_msg(needle, file, line);
	youth_registry_close(reg);
	th_snapshot_check(&snap, f->path, file, line);
	th_snapshot_free(&snap);
	return secs;
}

#define REFUSED(doc, code, needle) \
	refused(*state, (doc), strlen(doc), 0, (code), (needle), 0, __FILE__, __LINE__)
#define REFUSED_AT(doc, code, needle, ln) \
	refused(*state, (doc), strlen(doc), 0, (code), (needle), (ln), __FILE__, __LINE__)
#define REFUSED_N(doc, len, flags, code, needle) \
	refused(*state, (doc), (len), (flags), (code), (needle), 0, __FILE__, __LINE__)
/* Refused by libyaml's reader, which gives a byte offset only: the message must still name
 * the line and column, read again from the buffer (@p pos: "NAME:LINE:COL:"). */
#define REFUSED_BYTES(doc, len, code, pos)                                                     \
	do {                                                                                   \
		refused(*state, (doc), (len), 0, (code), "UTF-8 text", 0, __FILE__, __LINE__);   \
		assert_msg_has(NAME ":" pos ":");                                                \
		assert_msg_has(" at byte ");                                                     \
	} while (0)

/* ---- control: the comparison can see a change -------------------------------------------- */

static void test_control_valid_import_changes_file(void **state)
{
	fixture *f = *state;
	th_snapshot snap;
	th_snapshot_take(&snap, f->path);
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, f->path, 0));
	static const char doc[] = HEAD REC1 REC2 END(2);
	assert_ok(do_import(reg, doc, sizeof doc - 1, 0));
	assert_int_equal(th_count_persons(reg), 3);
	youth_registry_close(reg);
	size_t size;
	unsigned char *now = th_read_file(f->path, &size);
	assert_non_null(now);
	assert_true(size != snap.size || memcmp(now, snap.data, size) != 0);
	free(now);
	th_snapshot_free(&snap);
}

/* ---- nesting ------------------------------------------------------------------------------ */

/* libyaml 0.2.5 has no nesting limit and spends tens of seconds on 200 KB of '[': the event
 * loop must stop at once. */
static void test_depth_200k_brackets(void **state)
{
	const size_t n = 200 * 1024;
	size_t head = strlen(HEAD "  - given_names: ");
	char *doc = malloc(head + n + 1);
	assert_non_null(doc);
	memcpy(doc, HEAD "  - given_names: ", head);
	memset(doc + head, '[', n);
	doc[head + n] = 0;
	double secs = 0;
	/* keep-going skips a refused record's value event by event: the depth cap stops it */
	secs += REFUSED_N(doc, head + n, YOUTH_IMPORT_KEEP_GOING, YOUTH_ELIMIT, "nesting");
	/* atomic: the value is refused at its first event, not a plain value */
	secs += REFUSED_N(doc, head + n, 0, YOUTH_EINVAL, "given_names");
	/* the whole file is brackets: refused at the first event, where a mapping is due */
	secs += REFUSED_N(doc + head - 1, n + 1, 0, YOUTH_EPARSE, "mapping");
	memset(doc, '[', head);
	secs += REFUSED_N(doc, head + n, YOUTH_IMPORT_KEEP_GOING, YOUTH_EPARSE, NULL);
	free(doc);
	if (secs > 1.0)
		fail_msg("refusing 200 KB of '[' took %.2f s of CPU", secs);
}

static void test_depth_block_mappings(void **state)
{
	/* 40 levels of block mappings under a record's key */
	char doc[8192], *p = doc;
	p += sprintf(p, HEAD "  - given_names: x\n    address:\n");
	for (int i = 0; i < 40; i++)
		p += sprintf(p, "%*sb:\n", 6 + 2 * i, "");
	double secs = REFUSED_N(doc, strlen(doc), YOUTH_IMPORT_KEEP_GOING, YOUTH_ELIMIT, "nesting");
	/* atomic: the first structure that is not a plain value is refused */
	secs += REFUSED(doc, YOUTH_EINVAL, "address");
	assert_true(secs < 1.0);
}

/* ---- anchors, aliases, tags --------------------------------------------------------------- */

static void test_anchor_refused(void **state)
{
	REFUSED_AT(HEAD REC1 "  - &p\n    given_names: Ana\n" END(2), YOUTH_EPARSE, "anchor", 10);
	REFUSED_AT(HEAD "  - given_names: &n Ana\n" END(1), YOUTH_EPARSE, "anchor", 3);
}

static void test_alias_refused(void **state)
{
	/* an alias to an anchor never defined: libyaml passes it on, the policy refuses it */
	REFUSED_AT(HEAD REC1 "  - *p\n" END(2), YOUTH_EPARSE, "alias", 10);
	/* billion laughs: refused at the first anchor, nothing is expanded */
	REFUSED_AT(HEAD "  - given_names: x\n"
	                "    job_profiles: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	                "    address: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	                "    phone: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n" END(1),
	           YOUTH_EPARSE, "anchor", 4);
}

static void test_tags_refused(void **state)
{
	REFUSED_AT(HEAD "  - given_names: !!python/object/apply:os.system [\"echo hi\"]\n" END(1),
	           YOUTH_EPARSE, "tag", 3);
	REFUSED_AT(HEAD REC1 "  - !person {given_names: x}\n" END(2), YOUTH_EPARSE, "tag", 10);
	REFUSED_AT(HEAD "  - given_names: !!str Ana\n" END(1), YOUTH_EPARSE, "tag", 3);
	REFUSED(HEAD "  - given_names: !<tag:yaml.org,2002:str> Ana\n" END(1), YOUTH_EPARSE, "tag");
	REFUSED("%TAG !e! tag:example.com,2000:\n---\n" HEAD REC1 END(1), YOUTH_EPARSE, "TAG");
}

/* ---- limits ------------------------------------------------------------------------------- */

static void test_scalar_cap(void **state)
{
	const size_t n = 64 * 1024 + 1;
	size_t head = strlen(HEAD "  - given_names: ");
	char *doc = malloc(head + n + 64);
	assert_non_null(doc);
	memcpy(doc, HEAD "  - given_names: ", head);
	memset(doc + head, 'a', n);
	strcpy(doc + head + n, "\n" END(1));
	REFUSED_AT(doc, YOUTH_ELIMIT, "limit", 3);
	/* double-quoted, and as a key */
	doc[head - 1] = '"';
	doc[head + n] = '"';
	REFUSED(doc, YOUTH_ELIMIT, "limit");
	memcpy(doc, HEAD "  - ", strlen(HEAD "  - "));
	memset(doc + strlen(HEAD "  - "), 'k', n + head - strlen(HEAD "  - "));
	strcpy(doc + head + n, ": x\n" END(1));
	REFUSED(doc, YOUTH_ELIMIT, "limit");
	free(doc);
}

/* Writes the head of a document and then up to @p total bytes of one value to @p fd, until
 * the reader goes away; reports how many bytes of the value went through on @p report. */
static void write_huge_value(int fd, int report, size_t total)
{
	signal(SIGPIPE, SIG_IGN);
	static const char head[] = HEAD "  - given_names: ";
	char chunk[65536];
	memset(chunk, 'a', sizeof chunk);
	size_t sent = 0;
	if (write(fd, head, sizeof head - 1) == (ssize_t)(sizeof head - 1))
		while (sent < total) {
			ssize_t n = write(fd, chunk, sizeof chunk);
			if (n <= 0)
				break;
			sent += (size_t)n;
		}
	if (write(report, &sent, sizeof sent) != sizeof sent)
		_exit(2);
	_exit(0);
}

/* A value far over the cap, streamed through a pipe: refused while it is being read, so the
 * importer reads about the read budget of it (not the whole value) and memory stays flat.
 * libyaml gathers a scalar whole before handing it out; before the read budget a 1 GiB value
 * cost 2 GB of memory before the refusal. */
static void test_scalar_cap_while_reading(void **state)
{
	fixture *f = *state;
	const size_t total = 256u << 20; /* 256 MiB of one value */
	int data[2], report[2];
	assert_int_equal(pipe(data), 0);
	assert_int_equal(pipe(report), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(data[0]);
		close(report[0]);
		write_huge_value(data[1], report[1], total);
	}
	close(data[1]);
	close(report[1]);
	struct rusage before, after;
	assert_int_equal(getrusage(RUSAGE_SELF, &before), 0);
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, f->path, 0));
	FILE *in = fdopen(data[0], "rb");
	assert_non_null(in);
	youth_import_options o;
	youth_import_options_init(&o);
	youth_interchange_summary s;
	assert_int_equal(youth_import_stream(&s, reg, in, NAME, &o), YOUTH_ELIMIT);
	assert_msg_has(NAME ":3:");
	assert_msg_has("limit of 65536");
	assert_int_equal(getrusage(RUSAGE_SELF, &after), 0);
	fclose(in); /* the writer sees the reader gone and reports */
	size_t sent = 0;
	assert_int_equal(read(report[0], &sent, sizeof sent), sizeof sent);
	close(report[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The budget (1 MiB), libyaml's and stdio's read-ahead and the pipe's buffer: a few
	 * MiB at most went through, never the whole value. */
	assert_true(sent < (8u << 20));
	/* ru_maxrss is in KiB and never goes down: whatever the import allocated on top of the
	 * peak before it shows here.  Reading the value whole took over 256 MiB. */
	assert_true(after.ru_maxrss - before.ru_maxrss < 32 * 1024);
	assert_int_equal(th_count_persons(reg), 1); /* the fixture's person alone */
	youth_registry_close(reg);
}

static void test_key_cap(void **state)
{
	/* more keys in one record than a record can have (32): a limit, before any lookup */
	char doc[4096], *p = doc;
	p += sprintf(p, HEAD "  - {");
	for (int i = 0; i < 40; i++)
		p += sprintf(p, "%sgiven_names: x", i ? ", " : "");
	strcpy(p, "}\n" END(1));
	/* the second given_names is refused as given twice before the cap can be reached */
	REFUSED_AT(doc, YOUTH_EINVAL, "twice", 3);
}

/* Caps on events and records: the import keeps one record in memory whatever the number of
 * records, so there is no cap on their number.  What must hold is that a long document that goes
 * wrong at its very end (here its trailer) is refused and leaves nothing of the thousands of
 * records read before. */
static void test_long_document_refused_at_end(void **state)
{
	const int records = 2000;
	size_t cap = (size_t)records * 256 + 256;
	char *doc = malloc(cap), *p = doc;
	assert_non_null(doc);
	p += sprintf(p, HEAD);
	for (int i = 0; i < records; i++)
		p += sprintf(p, "  - {given_names: Ana %d, first_surname: Pérez, birth_date: 1990-01-31, "
		             "sex: female, place: acajutla/san-julian, census_date: 2009-03-04, "
		             "census_round: census-2009}\n", i);
	sprintf(p, END(1999));
	/* the position is the trailer's (its end, line records + 5, today) */
	double secs = REFUSED(doc, YOUTH_EPARSE, "1999 records but holds 2000");
	free(doc);
	if (secs > 5.0)
		fail_msg("refusing %d records took %.2f s of CPU", records, secs);
}

/* ---- encodings ---------------------------------------------------------------------------- */

static void test_invalid_utf8_refused(void **state)
{
	static const char latin1[] = HEAD "  - given_names: Mar\xed" "a\n" END(1);
	static const char overlong[] = HEAD REC1 "  - given_names: \"\xc0\xaf\"\n" END(2);
	static const char surrogate[] = HEAD "  - given_names: \xed\xa0\x80\n" END(1);
	static const char cut[] = HEAD "  - given_names: Mar\xc3";
	/* libyaml names the byte that breaks the sequence: the "a" after \xed */
	REFUSED_BYTES(latin1, sizeof latin1 - 1, YOUTH_EPARSE, "3:22");
	REFUSED_BYTES(overlong, sizeof overlong - 1, YOUTH_EPARSE, "10:19");
	REFUSED_BYTES(surrogate, sizeof surrogate - 1, YOUTH_EPARSE, "3:18");
	REFUSED_BYTES(cut, sizeof cut - 1, YOUTH_EPARSE, "3:21");
	/* columns count characters (é is one), CR LF is one line break */
	static const char crlf[] = "format: libyouth/1\r\npersons:\r\n  - given_names: José \xff\r\n";
	REFUSED_BYTES(crlf, sizeof crlf - 1, YOUTH_EPARSE, "3:23");
}

static void test_binary_refused(void **state)
{
	unsigned char bin[512];
	for (size_t i = 0; i < sizeof bin; i++)
		bin[i] = (unsigned char)(i * 7 + 3);
	REFUSED_BYTES((const char *)bin, sizeof bin, YOUTH_EPARSE, "1:1");
	/* a valid head, then binary */
	char doc[600];
	size_t head = strlen(HEAD REC1);
	memcpy(doc, HEAD REC1, head);
	memcpy(doc + head, bin, sizeof doc - head);
	REFUSED_BYTES(doc, sizeof doc, YOUTH_EPARSE, "10:1");
}

static void test_nul_refused(void **state)
{
	static const char raw[] = HEAD "  - given_names: Ma\0ria\n" END(1);
	REFUSED_BYTES(raw, sizeof raw - 1, YOUTH_EPARSE, "3:20");
	assert_msg_has("control characters");
	/* an escaped NUL reaches the value: refused there */
	REFUSED_AT(HEAD "  - given_names: \"Ma\\0ria\"\n" END(1), YOUTH_EPARSE, "NUL", 3);
	REFUSED(HEAD "  - given_names: \"Ma\\x00ria\"\n" END(1), YOUTH_EPARSE, "NUL");
	REFUSED(HEAD "  - given_names: \"Ma\\u0000ria\"\n" END(1), YOUTH_EPARSE, "NUL");
}

/* ---- truncation --------------------------------------------------------------------------- */

static void test_truncated_mid_record(void **state)
{
	static const char doc[] = HEAD REC1 REC2 END(2);
	/* block style cut inside a key: no `:` follows, malformed YAML */
	REFUSED_N(doc, strlen(HEAD REC1 "  - given_names: Carlos\n    birth_da"), 0, YOUTH_EPARSE,
	          NULL);
	/* flow style and quoted values: malformed YAML */
	REFUSED(HEAD "  - {given_names: Ana, first_surname: Pé", YOUTH_EPARSE, NULL);
	REFUSED(HEAD "  - {given_names: \"Ana", YOUTH_EPARSE, NULL);
	REFUSED(HEAD "  - given_names: 'Ana", YOUTH_EPARSE, NULL);
	/* block style cut inside a value: the YAML is whole, the record is not (fields missing) */
	REFUSED_N(doc, strlen(HEAD REC1 "  - given_names: Carlos\n    first_surname: Rod"), 0,
	          YOUTH_EINVAL, "birth_date");
}

/* A block record cut inside its last value still has every required field: only the trailer
 * (here cut away with it) can tell. */
static void test_truncated_last_value(void **state)
{
	static const char doc[] = HEAD REC1 REC2 END(2);
	REFUSED_N(doc, strlen(HEAD REC1 REC2) - 3, 0, YOUTH_EPARSE, "end");
	/* in the trailer itself */
	REFUSED_N(doc, sizeof doc - 4, 0, YOUTH_EPARSE, "end");
	REFUSED_N(doc, strlen(HEAD REC1 REC2 "end:\n  rec"), 0, YOUTH_EPARSE, NULL);
}

static void test_truncated_between_records(void **state)
{
	/* a file cut cleanly at a line end between two records is a valid shorter YAML document:
	 * only the trailer can tell */
	REFUSED(HEAD REC1, YOUTH_EPARSE, "end");
	REFUSED(HEAD REC1 REC2 "end:\n", YOUTH_EPARSE, "end");
	/* the trailer says more records than the file holds */
	REFUSED(HEAD REC1 END(2), YOUTH_EPARSE, "records");
	REFUSED(HEAD REC1 REC2 END(1), YOUTH_EPARSE, "records");
	REFUSED(HEAD REC1 "end: {records: -1}\n", YOUTH_EPARSE, "records");
	REFUSED(HEAD REC1 "end: {records: 99999999999999999999999}\n", YOUTH_EPARSE, "records");
	/* the trailer must be last */
	REFUSED(HEAD REC1 "end: {records: 1}\npersons:\n" REC2, YOUTH_EPARSE, "end");
}

/* ---- documents and format ----------------------------------------------------------------- */

static void test_second_document_refused(void **state)
{
	REFUSED_AT(HEAD REC1 END(1) "---\n" HEAD REC2 END(1), YOUTH_EPARSE, "one document", 12);
	REFUSED(HEAD REC1 END(1) "...\n---\nformat: libyouth/1\n", YOUTH_EPARSE, "one document");
}

static void test_format_missing_or_other(void **state)
{
	REFUSED_AT("persons:\n" REC1 END(1), YOUTH_EPARSE, "format", 1);
	REFUSED_AT("format: libyouth/2\npersons:\n" REC1 END(1), YOUTH_EPARSE, "format", 1);
	REFUSED_AT("format: otherapp/1\npersons:\n" REC1 END(1), YOUTH_EPARSE, "format", 1);
	REFUSED("format: [libyouth/1]\npersons:\n" REC1 END(1), YOUTH_EPARSE, "format");
	REFUSED("persons:\n" REC1 "format: libyouth/1\n" END(1), YOUTH_EPARSE, "format");
	REFUSED("- format: libyouth/1\n", YOUTH_EPARSE, NULL);
	REFUSED("", YOUTH_EPARSE, NULL);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_control_valid_import_changes_file),
		T(test_depth_200k_brackets),
		T(test_depth_block_mappings),
		T(test_anchor_refused),
		T(test_alias_refused),
		T(test_tags_refused),
		T(test_scalar_cap),
		T(test_scalar_cap_while_reading),
		T(test_key_cap),
		T(test_long_document_refused_at_end),
		T(test_invalid_utf8_refused),
		T(test_binary_refused),
		T(test_nul_refused),
		T(test_truncated_mid_record),
		T(test_truncated_last_value),
		T(test_truncated_between_records),
		T(test_second_document_refused),
		T(test_format_missing_or_other),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
