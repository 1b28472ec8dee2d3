/*
 * The audit trail (youth/audit.h, docs/privacy.md): an entry for every record written, in the
 * write's own transaction; writes refused without an actor; the hash chain and what
 * youth_audit_verify() finds when the file is edited behind the library's back; filters; the
 * audit of reads; and the modes of a new registry's files.
 */
#define _GNU_SOURCE /* umask, mode_t */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <youth.h>

#include "helpers.h"
#include "private.h" /* the write path, for an erasure as issue 12's will be */
#include "../examples/sample/services.h"

#define ACTOR "maria.lopez@sonsonate"

/* ---- helpers ------------------------------------------------------------------------------ */

static youth_registry *audited(const char *path)
{
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path ? path : ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(youth_registry_set_actor(reg, ACTOR));
	assert_ok(youth_audit_enable(reg));
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	return reg;
}

/* The last entry passing @f, copied into @buf as "action|kind|operation|actor|uuid|changes". */
static void last_entry(youth_registry *reg, const youth_audit_filter *f, char *buf, size_t size)
{
	youth_audit_iter *it;
	const youth_audit_entry *e;
	buf[0] = '\0';
	assert_ok(youth_audit_iter_new(&it, reg, f));
	while (youth_audit_next(&e, it) == YOUTH_OK) {
		assert_int_equal(strlen(e->hash), 64);
		assert_int_equal(strlen(e->at), 24); /* 2026-12-06T14:03:27.512Z */
		assert_int_equal(e->at[23], 'Z');
		snprintf(buf, size, "%s|%s|%s|%s|%s|%s", e->action, e->kind, e->operation, e->actor,
		         e->record_uuid, e->changes ? e->changes : "-");
	}
	youth_audit_iter_free(it);
}

/* How many entries pass @f and, unless @needle is NULL, have @needle in their changes. */
static int64_t with_change(youth_registry *reg, const youth_audit_filter *f, const char *needle)
{
	youth_audit_iter *it;
	const youth_audit_entry *e;
	int64_t n = 0;
	int rc;
	assert_ok(youth_audit_iter_new(&it, reg, f));
	while ((rc = youth_audit_next(&e, it)) == YOUTH_OK)
		n += !needle || (e->changes && strstr(e->changes, needle));
	assert_int_equal(rc, YOUTH_ITEROVER);
	youth_audit_iter_free(it);
	return n;
}

static int64_t count(youth_registry *reg, const youth_audit_filter *f)
{
	return with_change(reg, f, NULL);
}

static int64_t entries(youth_registry *reg)
{
	return count(reg, NULL);
}

static void verify_ok(youth_registry *reg)
{
	youth_audit_problem p;
	assert_ok(youth_audit_verify(&p, reg, NULL));
	assert_int_equal(p.problems, 0);
	assert_int_equal(p.entries, entries(reg));
}

/* ---- every write ------------------------------------------------------------------------- */

/* The sample programme (census, courses and their state changes, counselling, scholarships and
 * their payments, seed capital...) written to an audited registry: one entry per record
 * written, every one of them through the write path, and the chain intact. */
static void test_every_write_has_its_entry(void **state)
{
	(void)state;
	youth_registry *reg = audited(NULL);
	assert_ok(youth_census_load(NULL, reg, YOUTH_EXAMPLE_DATA "/census.yaml", 0));
	assert_ok(sample_services(reg, YOUTH_EXAMPLE_DATA "/rules.yaml", NULL));
	/* the switch's own entry, then one per record the write path counted */
	assert_int_equal(entries(reg), youth_registry_total_changes(reg) + 1);
	verify_ok(reg);

	char buf[4096];
	youth_audit_filter f = {.kind = "registry"};
	last_entry(reg, &f, buf, sizeof buf);
	assert_string_equal(buf, "enable|registry|enable the audit trail|" ACTOR "||-");
	f = (youth_audit_filter){.kind = "person"};
	last_entry(reg, &f, buf, sizeof buf);
	assert_true(strncmp(buf, "create|person|", 14) == 0);
	/* a state change: the old and the new state (applied 1 -> enrolled 2, and so on) */
	f = (youth_audit_filter){.kind = "enrollment"};
	assert_true(with_change(reg, &f, "\"state\":[1,2]") > 0);
	assert_true(with_change(reg, &f, "\"state\":[2,3]") > 0);
	/* a payment */
	f = (youth_audit_filter){.kind = "scholarship_payment"};
	assert_true(count(reg, &f) > 0);
	last_entry(reg, &f, buf, sizeof buf);
	assert_true(strstr(buf, "create|scholarship_payment|pay a scholarship|" ACTOR "|") == buf);
	/* rows stored under another name are entered under their kind */
	f = (youth_audit_filter){.kind = "plan"};
	assert_true(count(reg, &f) > 0);
	youth_registry_close(reg);
}

static void test_update_and_delete_keep_old_values(void **state)
{
	(void)state;
	youth_registry *reg = audited(NULL);
	youth_person p;
	th_person_valid(&p);
	assert_ok(youth_person_add(reg, &p, 0));
	youth_audit_filter f = {.uuid = p.uuid};
	char buf[4096];
	last_entry(reg, &f, buf, sizeof buf);
	char want[512];
	snprintf(want, sizeof want, "create|person|add person|" ACTOR "|%s|-", p.uuid);
	assert_string_equal(buf, want);

	p.given_names = "José \"Toño\"";
	p.household_size = 6;
	assert_ok(youth_person_update(reg, &p, 0));
	last_entry(reg, &f, buf, sizeof buf);
	assert_true(strncmp(buf, "update|person|update person|", 28) == 0);
	/* only what changed, old then new, as JSON (the quote escaped) */
	assert_non_null(strstr(buf, "\"given_names\":[\"José Antonio\",\"José \\\"Toño\\\"\"]"));
	assert_non_null(strstr(buf, "\"household_size\":[5,6]"));
	assert_null(strstr(buf, "\"birth_date\""));

	assert_ok(youth_person_delete(reg, p.id));
	last_entry(reg, &f, buf, sizeof buf);
	assert_true(strncmp(buf, "delete|person|delete person|", 28) == 0);
	assert_non_null(strstr(buf, "\"birth_date\":[\"1992-05-14\",null]"));
	assert_int_equal(count(reg, &f), 3);
	verify_ok(reg);
	youth_registry_close(reg);
}

/* ---- the actor ----------------------------------------------------------------------------- */

static void test_write_without_actor_refused(void **state)
{
	(void)state;
	youth_registry *reg = audited(NULL);
	int64_t before = entries(reg), persons = th_count_persons(reg);
	assert_ok(youth_registry_set_actor(reg, NULL));
	assert_null(youth_registry_actor(reg));
	youth_person p;
	th_person_valid(&p);
	assert_rc(youth_person_add(reg, &p, 0), YOUTH_EMISUSE);
	assert_msg_has("add person");
	assert_msg_has("no actor");
	assert_err_field("actor");
	/* inside a transaction too, which stays usable */
	assert_ok(youth_registry_begin(reg));
	assert_rc(youth_person_add(reg, &p, 0), YOUTH_EMISUSE);
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(th_count_persons(reg), persons);
	assert_int_equal(entries(reg), before);
	/* an import is refused before it reads a record */
	assert_rc(th_import_text(reg, "format: libyouth/1\npersons: []\n", 0, NULL), YOUTH_EMISUSE);
	assert_msg_has("import");
	/* actors are checked text */
	assert_rc(youth_registry_set_actor(reg, "bad\nactor"), YOUTH_EINVAL);
	assert_ok(youth_registry_set_actor(reg, "luis"));
	assert_string_equal(youth_registry_actor(reg), "luis");
	assert_ok(youth_person_add(reg, &p, 0));
	youth_registry_close(reg);
}

/* The switch is in the file: another handle, opened before or after, cannot write unseen. */
static void test_switch_is_in_the_file(void **state)
{
	(void)state;
	char *dir = th_tmpdir(), *path = th_path(dir, "r.youth");
	youth_registry *a = NULL, *b = NULL, *c = NULL;
	assert_ok(youth_registry_open(&a, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, a, TH_GAZETTEER));
	assert_int_equal(youth_audit_enabled(a), 0);
	assert_ok(youth_registry_open(&b, path, 0));
	assert_rc(youth_audit_enable(a), YOUTH_EMISUSE); /* enabling is a write too */
	assert_ok(youth_registry_set_actor(a, ACTOR));
	assert_ok(youth_audit_enable(a));
	assert_ok(youth_audit_enable(a)); /* once on, on */
	assert_int_equal(youth_audit_enabled(b), 1);
	int64_t id;
	assert_rc(th_add_person(b, &id), YOUTH_EMISUSE);
	assert_ok(youth_registry_open(&c, path, 0));
	assert_rc(th_add_person(c, &id), YOUTH_EMISUSE);
	/* switching it off through SQL is refused by the file itself (SQL through the page
	 * checksum VFS, as a file editor that knows the checksums would write) */
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, th_sealing_vfs()),
	                 SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_state", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_entry", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE audit_entry SET actor = 'x'", NULL, NULL, NULL),
	                     SQLITE_OK);
	sqlite3_close(db);
	youth_registry_close(a);
	youth_registry_close(b);
	youth_registry_close(c);
	th_rmtree(dir);
	free(path);
	free(dir);
}

/* ---- rollbacks ----------------------------------------------------------------------------- */

static void test_refused_or_rolled_back_write_leaves_no_entry(void **state)
{
	(void)state;
	youth_registry *reg = audited(NULL);
	youth_person p, q;
	/* Adults: a DUI is issued at 18 (person.c refuses one for a minor). */
	th_person_valid(&p);
	p.birth_date = "1988-05-14";
	p.national_id = "00000000-0";
	assert_ok(youth_person_add(reg, &p, 0));
	int64_t before = entries(reg);
	th_person_valid(&q);
	q.birth_date = "1988-05-14";
	q.national_id = "00000000-0"; /* refused by the unique index, inside the write */
	assert_rc(youth_person_add(reg, &q, 0), YOUTH_EEXISTS);
	assert_int_equal(entries(reg), before);
	assert_ok(youth_registry_begin(reg));
	assert_rc(youth_person_add(reg, &q, 0), YOUTH_EEXISTS);
	int64_t id;
	assert_ok(th_add_person(reg, &id));
	assert_int_equal(entries(reg), before + 1);
	assert_ok(youth_registry_rollback(reg));
	assert_int_equal(entries(reg), before);
	/* the chain goes on from what is really there */
	assert_ok(th_add_person(reg, &id));
	assert_int_equal(entries(reg), before + 1);
	verify_ok(reg);
	youth_registry_close(reg);

	/* switched on inside a transaction that is rolled back: off again, writes need no actor */
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	assert_ok(youth_registry_set_actor(reg, ACTOR));
	assert_ok(youth_registry_begin(reg));
	assert_ok(th_add_person(reg, &id));
	assert_ok(youth_audit_enable(reg));
	assert_ok(th_add_person(reg, &id));
	assert_int_equal(entries(reg), 2);
	assert_ok(youth_registry_rollback(reg));
	assert_int_equal(youth_audit_enabled(reg), 0);
	assert_int_equal(entries(reg), 0);
	assert_ok(youth_registry_set_actor(reg, NULL));
	assert_ok(th_add_person(reg, &id));
	assert_int_equal(entries(reg), 0);
	youth_registry_close(reg);
}

/* ---- imports ------------------------------------------------------------------------------- */

static void test_import_one_entry_per_record(void **state)
{
	(void)state;
	youth_registry *reg = audited(NULL);
	int64_t before = entries(reg);
	youth_import_options o;
	youth_import_options_init(&o);
	youth_interchange_summary sum = {0};
	/* a dry run writes nothing, entries included */
	o.flags = YOUTH_IMPORT_DRY_RUN;
	assert_ok(youth_import_file(&sum, reg, YOUTH_EXAMPLE_DATA "/census.yaml", &o));
	assert_int_equal(entries(reg), before);
	o.flags = 0;
	assert_ok(youth_import_file(&sum, reg, YOUTH_EXAMPLE_DATA "/census.yaml", &o));
	assert_true(sum.imported > 100); /* more than one batch of entries */
	assert_int_equal(entries(reg), before + sum.imported);
	youth_audit_filter f = {.kind = "person"};
	char buf[4096];
	last_entry(reg, &f, buf, sizeof buf);
	assert_true(strncmp(buf, "create|person|import|" ACTOR "|", 21 + strlen(ACTOR) + 1) == 0);
	verify_ok(reg);
	youth_registry_close(reg);
}

/* Keep-going: a refused record's rows and entries go, the others' stay, the chain holds. */
static void test_import_keep_going(void **state)
{
	(void)state;
	youth_registry *reg = audited(NULL);
	int64_t before = entries(reg);
	static const char text[] =
		"format: libyouth/1\n"
		"persons:\n"
		"  - {given_names: Ana, first_surname: Ruiz, birth_date: 1990-01-02, sex: female,\n"
		"     place: sonsonate/sonsonate-centro/sonzacate/santa-eugenia,\n"
		"     census_date: 2009-03-02, census_round: census-2009}\n"
		"  - {given_names: Bad, first_surname: Date, birth_date: 1990-02-30, sex: female,\n"
		"     place: sonsonate/sonsonate-centro/sonzacate/santa-eugenia,\n"
		"     census_date: 2009-03-02, census_round: census-2009}\n"
		"  - {given_names: Eva, first_surname: Ruiz, birth_date: 1991-01-02, sex: female,\n"
		"     place: sonsonate/sonsonate-centro/sonzacate/santa-eugenia,\n"
		"     census_date: 2009-03-02, census_round: census-2009}\n"
		"end: {records: 3}\n";
	youth_interchange_summary sum = {0};
	assert_ok(th_import_text(reg, text, YOUTH_IMPORT_KEEP_GOING, &sum));
	assert_int_equal(sum.imported, 2);
	assert_int_equal(entries(reg), before + 2);
	verify_ok(reg);
	youth_registry_close(reg);
}

/* ---- verification -------------------------------------------------------------------------- */

/* The base trail's length, and the entry its anchor names. */
static int64_t trail_n, anchor_at;

/* A file of entries (the switch, the gazetteer's places, six persons), closed: the base of
 * each tampering below; @anchor is kept after the fourth person. */
static char *make_trail(const char *dir, char anchor[YOUTH_AUDIT_ANCHOR_LEN + 1])
{
	char *path = th_path(dir, "base.youth");
	youth_registry *reg = audited(path);
	int64_t id;
	for (int i = 0; i < 4; i++)
		assert_ok(th_add_person(reg, &id));
	youth_audit_problem p;
	assert_ok(youth_audit_verify(&p, reg, NULL));
	snprintf(anchor, YOUTH_AUDIT_ANCHOR_LEN + 1, "%s", p.head);
	anchor_at = p.entries;
	for (int i = 0; i < 2; i++)
		assert_ok(th_add_person(reg, &id));
	trail_n = entries(reg);
	youth_registry_close(reg);
	return path;
}

/* Copies @base to a new file, runs @sql on it with the triggers dropped (as a file editor
 * could), and returns what verify says (its rc; the problem in @p). */
static int tampered(const char *dir, const char *base, const char *sql, const char *anchor,
                    youth_audit_problem *p)
{
	static int n;
	char name[32];
	snprintf(name, sizeof name, "t%d.youth", ++n);
	char *path = th_path(dir, name);
	size_t size;
	unsigned char *bytes = th_read_file(base, &size);
	assert_non_null(bytes);
	th_write_file(path, bytes, size);
	free(bytes);
	/* An editor that keeps the page checksums (they detect accidents, not edits): the hash
	 * chain is what must find the change. */
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, th_sealing_vfs()),
	                 SQLITE_OK);
	char *err = NULL;
	int s = sqlite3_exec(db,
	                     "DROP TRIGGER audit_entry_no_update; DROP TRIGGER audit_entry_no_delete;",
	                     NULL, NULL, &err);
	if (s == SQLITE_OK)
		s = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (s != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, 0));
	int rc = youth_audit_verify(p, reg, anchor);
	youth_registry_close(reg);
	free(path);
	return rc;
}

static void test_verify_finds_tampering(void **state)
{
	(void)state;
	char *dir = th_tmpdir(), anchor[YOUTH_AUDIT_ANCHOR_LEN + 1];
	char *base = make_trail(dir, anchor);
	youth_audit_problem p;
	char sql[256], want[32];
	/* intact: the base file, with and without its anchor */
	assert_ok(tampered(dir, base, "SELECT 1", NULL, &p));
	assert_int_equal(p.entries, trail_n);
	snprintf(want, sizeof want, "%lld:", (long long)trail_n);
	assert_true(strncmp(p.head, want, strlen(want)) == 0);
	assert_ok(tampered(dir, base, "SELECT 1", anchor, &p));
	snprintf(want, sizeof want, "%lld:", (long long)anchor_at);
	assert_true(strncmp(anchor, want, strlen(want)) == 0);

	/* edited: another actor, another time */
	assert_rc(tampered(dir, base, "UPDATE audit_entry SET actor = 'nobody' WHERE id = 3", NULL,
	                   &p), YOUTH_ECORRUPT);
	assert_int_equal(p.entry, 3);
	assert_int_equal(p.problems, 1); /* the entries after it still follow its stored hash */
	assert_non_null(strstr(p.what, "edited"));
	assert_msg_has("entry 3");
	snprintf(sql, sizeof sql, "UPDATE audit_entry SET at = '2001-01-01T00:00:00.000Z' "
	         "WHERE id = %lld", (long long)trail_n - 1);
	assert_rc(tampered(dir, base, sql, NULL, &p), YOUTH_ECORRUPT);
	assert_int_equal(p.entry, trail_n - 1);
	/* edited values of a change: an update's entry */
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, base, 0));
	assert_ok(youth_registry_set_actor(reg, ACTOR));
	youth_person *pe;
	assert_ok(youth_person_get(&pe, reg, 1));
	youth_person up = *pe;
	up.household_size = 9;
	assert_ok(youth_person_update(reg, &up, 0));
	youth_person_free(pe);
	youth_registry_close(reg);
	int64_t update_at = trail_n + 1;
	snprintf(sql, sizeof sql, "UPDATE audit_entry SET changes = '{}' WHERE id = %lld",
	         (long long)update_at);
	assert_rc(tampered(dir, base, sql, NULL, &p), YOUTH_ECORRUPT);
	assert_int_equal(p.entry, update_at);
	assert_non_null(strstr(p.what, "changes"));
	/* values removed with no erasure that explains it */
	snprintf(sql, sizeof sql, "UPDATE audit_entry SET changes = NULL WHERE id = %lld",
	         (long long)update_at);
	assert_rc(tampered(dir, base, sql, NULL, &p), YOUTH_ECORRUPT);
	assert_int_equal(p.entry, update_at);
	assert_non_null(strstr(p.what, "erased"));
	/* deleted */
	assert_rc(tampered(dir, base, "DELETE FROM audit_entry WHERE id = 4", NULL, &p),
	          YOUTH_ECORRUPT);
	assert_int_equal(p.entry, 4);
	assert_non_null(strstr(p.what, "missing"));
	/* deleted, and the later ones renumbered to hide the gap */
	assert_rc(tampered(dir, base,
	                   "DELETE FROM audit_entry WHERE id = 4;"
	                   "UPDATE audit_entry SET id = id - 1 WHERE id > 4", NULL, &p),
	          YOUTH_ECORRUPT);
	assert_int_equal(p.entry, 4);
	/* inserted: a copy of entry 2 slipped in as 3, the later ones pushed up */
	assert_rc(tampered(dir, base,
	                   "UPDATE audit_entry SET id = -id WHERE id >= 3;"
	                   "UPDATE audit_entry SET id = 1 - id WHERE id < 0;"
	                   "INSERT INTO audit_entry SELECT 3, at, actor, kind, record_id, record_uuid,"
	                   " operation, action, changes, changes_hash, hash FROM audit_entry "
	                   "WHERE id = 2", NULL, &p), YOUTH_ECORRUPT);
	assert_int_equal(p.entry, 3);
	/* reordered: entries 2 and 3 swap places */
	assert_rc(tampered(dir, base,
	                   "UPDATE audit_entry SET id = 100000 WHERE id = 2;"
	                   "UPDATE audit_entry SET id = 2 WHERE id = 3;"
	                   "UPDATE audit_entry SET id = 3 WHERE id = 100000", NULL, &p),
	          YOUTH_ECORRUPT);
	assert_int_equal(p.entry, 2);
	/* the newest entries removed: a shorter chain, intact in itself; the anchor kept from
	 * before finds it */
	snprintf(sql, sizeof sql, "DELETE FROM audit_entry WHERE id >= %lld", (long long)anchor_at);
	assert_ok(tampered(dir, base, sql, NULL, &p));
	assert_rc(tampered(dir, base, sql, anchor, &p), YOUTH_ECORRUPT);
	assert_int_equal(p.entry, anchor_at);
	assert_non_null(strstr(p.what, "anchor"));
	/* an anchor of another trail (rewritten from there on) */
	char other[YOUTH_AUDIT_ANCHOR_LEN + 1];
	snprintf(other, sizeof other, "%.*s%064d", (int)strlen(want), anchor, 0);
	assert_rc(tampered(dir, base, "SELECT 1", other, &p), YOUTH_ECORRUPT);
	assert_int_equal(p.entry, anchor_at);
	/* a malformed anchor is an argument error */
	assert_ok(youth_registry_open(&reg, base, 0));
	assert_rc(youth_audit_verify(&p, reg, "5:zz"), YOUTH_EINVAL);
	assert_rc(youth_audit_verify(&p, reg, "x"), YOUTH_EINVAL);
	youth_registry_close(reg);
	free(base);
	th_rmtree(dir);
	free(dir);
}

/* ---- erasure ------------------------------------------------------------------------------ */

/* What the erasure of a person will do through the write path: the fact recorded without the
 * values, the values earlier entries hold about the person removed, the chain still valid. */
static void test_erasure_keeps_the_fact_not_the_values(void **state)
{
	(void)state;
	youth_registry *reg = audited(NULL);
	youth_person p;
	th_person_valid(&p);
	assert_ok(youth_person_add(reg, &p, 0));
	p.address = "Calle secreta 7";
	assert_ok(youth_person_update(reg, &p, 0));
	youth_audit_filter f = {.uuid = p.uuid};
	assert_int_equal(with_change(reg, &f, "Calle secreta 7"), 1);

	youth__write w;
	assert_ok(youth__write_begin(&w, reg, "erase person"));
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, "DELETE FROM person WHERE id = ?", &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, p.id);
		rc = youth__step_done(reg, st, "erasing");
	}
	if (rc == YOUTH_OK) {
		youth__write_row(&w, "person", p.id, 'e');
		rc = youth__audit_redact(&w, p.uuid);
	}
	assert_ok(youth__write_end(&w, rc));

	char buf[1024], want[256];
	last_entry(reg, &f, buf, sizeof buf);
	snprintf(want, sizeof want, "erase|person|erase person|" ACTOR "|%s|-", p.uuid);
	assert_string_equal(buf, want);
	assert_int_equal(count(reg, &f), 3);
	assert_int_equal(with_change(reg, &f, "Calle"), 0);
	assert_int_equal(with_change(reg, NULL, "Calle"), 0);
	verify_ok(reg);
	youth_registry_close(reg);
}

/* ---- filters ------------------------------------------------------------------------------- */

static void test_filters(void **state)
{
	(void)state;
	youth_registry *reg = audited(NULL);
	int64_t a, b;
	assert_ok(th_add_person(reg, &a));
	assert_ok(youth_registry_set_actor(reg, "luis"));
	assert_ok(th_add_person(reg, &b));
	youth_person *p;
	assert_ok(youth_person_get(&p, reg, a));
	youth_audit_filter f = {.uuid = p->uuid};
	assert_int_equal(count(reg, &f), 1);
	youth_person_free(p);
	f = (youth_audit_filter){.actor = "luis"};
	assert_int_equal(count(reg, &f), 1);
	f = (youth_audit_filter){.actor = ACTOR, .kind = "person"};
	assert_int_equal(count(reg, &f), 1);
	f = (youth_audit_filter){.kind = "place"};
	assert_int_equal(count(reg, &f), TH_GAZ_PLACES);
	char today[11], tomorrow[11], yesterday[11];
	th_today_utc(today, 0);
	th_today_utc(tomorrow, 1);
	th_today_utc(yesterday, -1);
	int64_t all = entries(reg);
	f = (youth_audit_filter){.since = today, .until = today};
	assert_int_equal(count(reg, &f), all);
	f = (youth_audit_filter){.since = tomorrow};
	assert_int_equal(count(reg, &f), 0);
	f = (youth_audit_filter){.until = yesterday};
	assert_int_equal(count(reg, &f), 0);
	youth_audit_iter *it = NULL;
	f = (youth_audit_filter){.since = "2026-13-01"};
	assert_rc(youth_audit_iter_new(&it, reg, &f), YOUTH_EINVAL);
	assert_err_field("since");
	f = (youth_audit_filter){.uuid = "not-a-uuid"};
	assert_rc(youth_audit_iter_new(&it, reg, &f), YOUTH_EINVAL);
	assert_null(it);
	/* read through the published description, as every kind */
	const youth_kind_info *k = youth_kind_find("audit_entry");
	assert_non_null(k);
	for (size_t i = 0; i < k->n_fields; i++)
		assert_true(k->fields[i].flags & YOUTH_FIELD_READONLY);
	youth_registry_close(reg);
}

/* ---- reads --------------------------------------------------------------------------------- */

static void test_read_audit(void **state)
{
	(void)state;
	youth_registry *reg = audited(NULL);
	int64_t id;
	assert_ok(th_add_person(reg, &id));
	int64_t before = entries(reg);
	youth_person *p;
	assert_ok(youth_person_get(&p, reg, id)); /* off by default */
	youth_person_free(p);
	assert_int_equal(entries(reg), before);
	assert_ok(youth_audit_reads(reg, 1));
	assert_ok(youth_person_get(&p, reg, id));
	char uuid[YOUTH_UUID_LEN + 1];
	snprintf(uuid, sizeof uuid, "%s", p->uuid);
	youth_person_free(p);
	assert_ok(youth_person_get_by_uuid(&p, reg, uuid));
	youth_person_free(p);
	assert_int_equal(entries(reg), before + 2);
	char buf[1024], want[256];
	youth_audit_filter f = {.uuid = uuid};
	last_entry(reg, &f, buf, sizeof buf);
	snprintf(want, sizeof want, "read|person|read|" ACTOR "|%s|-", uuid);
	assert_string_equal(buf, want);
	/* a person not found is no read; lists are not audited */
	assert_rc(youth_person_get(&p, reg, id + 100), YOUTH_ENOTFOUND);
	assert_int_equal(entries(reg), before + 2);
	/* a read that cannot be audited is not given */
	assert_ok(youth_registry_set_actor(reg, NULL));
	p = (youth_person *)1;
	assert_rc(youth_person_get(&p, reg, id), YOUTH_EMISUSE);
	assert_null(p);
	assert_ok(youth_audit_reads(reg, 0));
	assert_ok(youth_person_get(&p, reg, id));
	youth_person_free(p);
	verify_ok(reg);
	youth_registry_close(reg);
	/* only an audited, writable registry audits its reads */
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	assert_rc(youth_audit_reads(reg, 1), YOUTH_EMISUSE);
	youth_registry_close(reg);
}

/* ---- files --------------------------------------------------------------------------------- */

static void check_mode(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	if ((st.st_mode & 0777) != 0600)
		fail_msg("%s: mode %o, expected 600", path, (unsigned)(st.st_mode & 0777));
}

static void test_new_registry_files_are_private(void **state)
{
	(void)state;
	mode_t old = umask(022);
	char *dir = th_tmpdir(), *path = th_path(dir, "new.youth");
	char wal[4096], shm[4096];
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(shm, sizeof shm, "%s-shm", path);
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	assert_true(th_exists(wal) && th_exists(shm)); /* while open, in WAL mode */
	check_mode(path);
	check_mode(wal);
	check_mode(shm);
	youth_registry_close(reg);
	umask(old);
	th_rmtree(dir);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_write_has_its_entry),
		cmocka_unit_test(test_update_and_delete_keep_old_values),
		cmocka_unit_test(test_write_without_actor_refused),
		cmocka_unit_test(test_switch_is_in_the_file),
		cmocka_unit_test(test_refused_or_rolled_back_write_leaves_no_entry),
		cmocka_unit_test(test_import_one_entry_per_record),
		cmocka_unit_test(test_import_keep_going),
		cmocka_unit_test(test_verify_finds_tampering),
		cmocka_unit_test(test_erasure_keeps_the_fact_not_the_values),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_read_audit),
		cmocka_unit_test(test_new_registry_files_are_private),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
