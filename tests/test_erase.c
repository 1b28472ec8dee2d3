/*
 * Erasure and retention (youth/erase.h, docs/privacy.md "Erasure" and "Retention"): what goes
 * and what stays in the records, the audit trail, exports and reports; the tombstone against
 * imports; the raw bytes of the db, -wal and -shm files after an erasure, also when the
 * process is killed right after it; purge by retain_until.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <youth.h>

#include "helpers.h"
#include "private.h" /* reg->db, to pick persons by their services and look inside */
#include "../examples/sample/services.h"

#define ACTOR "erase.test@sonsonate"

/* The distinctive values given to the person erased (A) and to one kept (B): none of A's may
 * be left in any byte of the files, every one of B's must still be there. */
typedef struct marked {
	int64_t id;
	char uuid[YOUTH_UUID_LEN + 1];
	char dui[16];
	const char *given, *first, *second, *folded, *phone, *address, *old_address, *note;
} marked;

static marked A = {.given = "Xiomara Zuleima", .first = "Quetzaltepeque", .second = "Wolfsburgo",
                   .folded = "xiomara zuleima quetzaltepeque", .phone = "7946-1385",
                   .address = "Pasaje Girasoles 4321", .old_address = "Calle Vieja Ocotal 1111",
                   .note = "Trabaja en la panaderia Zinnia"};
static marked B = {.given = "Yamileth Berenice", .first = "Ozumbilla", .second = "Tecpanzingo",
                   .folded = "yamileth berenice ozumbilla", .phone = "7111-2229",
                   .address = "Colonia Las Brisas 8765", .old_address = "Barrio Nuevo Jicaro 2222",
                   .note = "Busca empleo en el taller Xilonen"};

static int64_t int_of(youth_registry *reg, const char *sql, int64_t arg)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, arg);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return v;
}

/* An adult of the sample census (a DUI is allowed) with a follow-up, a scholarship with
 * payments and an enrollment, other than @other. */
static int64_t served_adult(youth_registry *reg, int64_t other)
{
	int64_t id = int_of(reg,
	                    "SELECT p.id FROM person p WHERE p.birth_date <= date(p.census_date, "
	                    "'-18 years') AND p.id <> ?1"
	                    " AND EXISTS (SELECT 1 FROM followup f WHERE f.person_id = p.id)"
	                    " AND EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = p.id)"
	                    " AND EXISTS (SELECT 1 FROM scholarship s JOIN scholarship_payment y ON"
	                    " y.scholarship_id = s.id WHERE s.person_id = p.id) ORDER BY p.id LIMIT 1",
	                    other);
	assert_true(id > 0);
	return id;
}

/* Gives person @m->id the distinctive values (an update, so that the old address is in the
 * audit trail and in freed space) and a note on its follow-up. */
static void mark(youth_registry *reg, marked *m, unsigned long dui_base)
{
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, reg, m->id));
	snprintf(m->uuid, sizeof m->uuid, "%s", p->uuid);
	th_dui(m->dui, dui_base);
	p->given_names = m->given;
	p->first_surname = m->first;
	p->second_surname = m->second;
	p->national_id = m->dui;
	p->phone = m->phone;
	p->address = m->old_address;
	assert_ok(youth_person_update(reg, p, YOUTH_PERSON_ALLOW_AGE));
	p->address = m->address;
	assert_ok(youth_person_update(reg, p, YOUTH_PERSON_ALLOW_AGE));
	youth_person_free(p);
	youth_followup *f = NULL;
	assert_ok(youth_followup_latest(&f, reg, m->id));
	f->notes = m->note;
	assert_ok(youth_followup_update(reg, f));
	youth_followup_free(f);
}

/* The sample programme in an audited registry at @path (":memory:" too), A and B marked. */
static youth_registry *build(const char *path)
{
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_registry_set_actor(reg, ACTOR));
	assert_ok(youth_audit_enable(reg));
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	assert_ok(youth_census_load(NULL, reg, YOUTH_EXAMPLE_DATA "/census.yaml", 0));
	assert_ok(sample_services(reg, YOUTH_EXAMPLE_DATA "/rules.yaml", NULL));
	A.id = served_adult(reg, 0);
	B.id = served_adult(reg, A.id);
	mark(reg, &A, 87654321);
	mark(reg, &B, 12348765);
	return reg;
}

static char *report_csv(youth_registry *reg)
{
	youth_report_options o;
	youth_report_options_init(&o);
	o.by = "district,sex";
	youth_report *r = NULL;
	assert_ok(youth_report_new(&r, reg, &o));
	th_text t = {0};
	assert_ok(youth_report_write(th_text_write, &t, r, YOUTH_REPORT_CSV, 0));
	youth_report_free(r);
	return t.data;
}

static char *export_all(youth_registry *reg)
{
	youth_export_options o = {.flags = YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS};
	th_text t = {0};
	assert_ok(youth_export_write(NULL, reg, th_text_write, &t, &o));
	return t.data;
}

/* The values of @m, each looked for in @data; returns how many were found. */
static int found_values(const marked *m, const void *data, size_t size, const char *what,
                        int report)
{
	const char *values[] = {m->given, m->first, m->second, m->folded, m->dui, m->phone,
	                        m->address, m->old_address, m->note};
	int n = 0;
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
		if (data && memmem(data, size, values[i], strlen(values[i]))) {
			n++;
			if (report)
				print_message("# \"%s\" found in %s\n", values[i], what);
		}
	return n;
}

/* ---- the records ----------------------------------------------------------------------- */

static void test_erase_person_with_services(void **state)
{
	(void)state;
	youth_registry *reg = build(":memory:");
	int64_t persons = th_count_persons(reg);
	int64_t rows[4];
	static const char *const counts[] = {
		"SELECT count(*) FROM enrollment WHERE person_id = ?1",
		"SELECT count(*) FROM followup WHERE person_id = ?1",
		"SELECT count(*) FROM scholarship_payment y JOIN scholarship s ON s.id = y.scholarship_id"
		" WHERE s.person_id = ?1",
		"SELECT count(*) FROM enterprise_member"};
	for (int i = 0; i < 4; i++)
		rows[i] = int_of(reg, counts[i], A.id);
	char *before = report_csv(reg);
	youth_person *was = NULL;
	assert_ok(youth_person_get(&was, reg, A.id));

	assert_ok(youth_person_erase(reg, A.id, NULL, "request of the person, letter 45/2026"));

	/* the stub: no name, identifier or contact; what the indicators count is kept */
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, reg, A.id));
	assert_string_equal(p->uuid, A.uuid);
	assert_string_equal(p->given_names, YOUTH_ERASED_TEXT);
	assert_string_equal(p->first_surname, YOUTH_ERASED_TEXT);
	assert_string_equal(p->second_surname, YOUTH_ERASED_TEXT);
	assert_null(p->national_id);
	assert_null(p->phone);
	assert_null(p->address);
	assert_string_equal(p->birth_date, was->birth_date);
	assert_int_equal(p->sex, was->sex);
	assert_string_equal(p->place, was->place);
	assert_string_equal(p->census_date, was->census_date);
	assert_int_equal(p->education, was->education);
	youth_person_free(p);
	youth_person_free(was);
	/* the services stay, their free text goes */
	assert_int_equal(th_count_persons(reg), persons);
	for (int i = 0; i < 4; i++)
		assert_int_equal(int_of(reg, counts[i], A.id), rows[i]);
	youth_followup *f = NULL;
	assert_ok(youth_followup_latest(&f, reg, A.id));
	assert_string_equal(f->notes, YOUTH_ERASED_TEXT);
	youth_followup_free(f);
	assert_int_equal(int_of(reg, "SELECT count(*) FROM followup WHERE person_id = ?1 AND notes"
	                             " IS NOT NULL AND notes <> '" YOUTH_ERASED_TEXT "'", A.id), 0);
	/* B is untouched */
	assert_ok(youth_followup_latest(&f, reg, B.id));
	assert_string_equal(f->notes, B.note);
	youth_followup_free(f);
	/* name search no longer finds A; B still */
	youth_person_filter by_name = {.name = "quetzaltepeque"};
	int64_t n = -1;
	assert_ok(youth_person_count(&n, reg, &by_name));
	assert_int_equal(n, 0);
	by_name.name = "ozumbilla";
	assert_ok(youth_person_count(&n, reg, &by_name));
	assert_int_equal(n, 1);

	/* the stub is sound for youth check (its search key is that of the marker names) */
	youth_check_report *cr = NULL;
	assert_ok(youth_check_run(&cr, reg, 0));
	assert_int_equal(youth_check_report_count(cr), 0);
	youth_check_report_free(cr);

	/* indicators and report totals unchanged */
	char *after = report_csv(reg);
	assert_string_equal(after, before);
	free(before);
	free(after);

	/* an export with every identifier and contact asked for has none of A's values */
	char *yaml = export_all(reg);
	assert_int_equal(found_values(&A, yaml, strlen(yaml), "the export", 1), 0);
	assert_int_equal(found_values(&B, yaml, strlen(yaml), "the export", 0), 9 - 2);
	assert_non_null(strstr(yaml, A.uuid));
	free(yaml);
	youth_registry_close(reg);
}

/* A member of a women's group: the membership stays, the group is not the person's. */
static void test_erase_group_member(void **state)
{
	(void)state;
	youth_registry *reg = build(":memory:");
	int64_t member = int_of(reg, "SELECT min(person_id) FROM enterprise_member", 0);
	int64_t members = int_of(reg, "SELECT count(*) FROM enterprise_member", 0);
	int64_t groups = int_of(reg, "SELECT count(*) FROM enterprise_group", 0);
	assert_true(member > 0);
	assert_ok(youth_person_erase(reg, member, NULL, "request"));
	assert_int_equal(int_of(reg, "SELECT count(*) FROM enterprise_member", 0), members);
	assert_int_equal(int_of(reg, "SELECT count(*) FROM enterprise_group", 0), groups);
	assert_int_equal(int_of(reg, "SELECT count(*) FROM enterprise_member WHERE person_id = ?1",
	                        member), 1);
	youth_audit_problem pr;
	assert_ok(youth_audit_verify(&pr, reg, NULL));
	youth_registry_close(reg);
}

/* ---- the audit trail --------------------------------------------------------------------- */

static int64_t entries_with(youth_registry *reg, const youth_audit_filter *f, const char *action,
                            const char *needle)
{
	youth_audit_iter *it;
	const youth_audit_entry *e;
	int64_t n = 0;
	assert_ok(youth_audit_iter_new(&it, reg, f));
	while (youth_audit_next(&e, it) == YOUTH_OK)
		n += (!action || strcmp(e->action, action) == 0) &&
		     (!needle || (e->changes && strstr(e->changes, needle)));
	youth_audit_iter_free(it);
	return n;
}

static void test_audit_keeps_the_fact(void **state)
{
	(void)state;
	youth_registry *reg = build(":memory:");
	youth_audit_filter f = {.uuid = A.uuid};
	assert_true(entries_with(reg, NULL, NULL, A.old_address) > 0);
	assert_true(entries_with(reg, NULL, NULL, A.note) > 0);
	assert_ok(youth_person_erase(reg, 0, A.uuid, "request"));
	/* one erase entry for the person, none of its values anywhere in the trail */
	youth_audit_filter fp = {.kind = "person", .uuid = A.uuid};
	assert_int_equal(entries_with(reg, &fp, "erase", NULL), 1);
	assert_int_equal(entries_with(reg, &f, NULL, ""), 0); /* no entry of A keeps values */
	assert_int_equal(entries_with(reg, NULL, NULL, A.old_address), 0);
	assert_int_equal(entries_with(reg, NULL, NULL, A.first), 0);
	assert_int_equal(entries_with(reg, NULL, NULL, A.note), 0);
	assert_int_equal(entries_with(reg, NULL, NULL, A.dui), 0);
	/* B's history is intact */
	assert_true(entries_with(reg, NULL, NULL, B.old_address) > 0);
	assert_true(entries_with(reg, NULL, NULL, B.note) > 0);
	youth_audit_problem pr;
	assert_ok(youth_audit_verify(&pr, reg, NULL));
	assert_int_equal(pr.problems, 0);
	youth_registry_close(reg);
}

/* An audit row edited after an erasure is still found: the erasure's own entry, and an entry
 * of a person never erased whose values someone removed to look like an erasure. */
static void test_audit_edit_after_erase_detected(void **state)
{
	(void)state;
	char *dir = th_tmpdir(), *path = th_path(dir, "reg.youth");
	youth_registry *reg = build(path);
	assert_ok(youth_person_erase(reg, A.id, NULL, "request"));
	youth_audit_problem pr;
	assert_ok(youth_audit_verify(&pr, reg, NULL));
	youth_registry_close(reg);

	char never_erased[256];
	snprintf(never_erased, sizeof never_erased,
	         "UPDATE audit_entry SET changes = NULL WHERE id = (SELECT max(id) FROM audit_entry"
	         " WHERE record_uuid = '%s' AND changes IS NOT NULL)", B.uuid);
	const char *const edits[] = {
		"UPDATE audit_entry SET actor = 'mallory' WHERE action = 'erase'",
		never_erased,
	};
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		char *copy = th_path(dir, "copy.youth");
		size_t size;
		unsigned char *bytes = th_read_file(path, &size);
		th_write_file(copy, bytes, size);
		free(bytes);
		sqlite3 *db = NULL;
		assert_int_equal(sqlite3_open_v2(copy, &db, SQLITE_OPEN_READWRITE, th_sealing_vfs()),
		                 SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_entry_no_update", NULL, NULL,
		                              NULL), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, edits[i], NULL, NULL, NULL), SQLITE_OK);
		assert_true(sqlite3_changes(db) > 0);
		sqlite3_close(db);
		assert_ok(youth_registry_open(&reg, copy, 0));
		assert_rc(youth_audit_verify(&pr, reg, NULL), YOUTH_ECORRUPT);
		assert_true(pr.problems > 0);
		youth_registry_close(reg);
		unlink(copy);
		free(copy);
	}
	th_rmtree(dir);
	free(dir);
	free(path);
}

/* ---- refusals and the tombstone ---------------------------------------------------------- */

static void test_erase_refusals(void **state)
{
	(void)state;
	youth_registry *reg = build(":memory:");
	assert_rc(youth_person_erase(reg, 999999, NULL, "request"), YOUTH_ENOTFOUND);
	assert_msg_has("person 999999: no such person");
	assert_rc(youth_person_erase(reg, 0, "01890000-0000-7000-8000-000000000000", "request"),
	          YOUTH_ENOTFOUND);
	assert_msg_has("01890000-0000-7000-8000-000000000000");
	assert_rc(youth_person_erase(reg, 0, "not-a-uuid", "request"), YOUTH_EINVAL);
	assert_rc(youth_person_erase(reg, 0, NULL, "request"), YOUTH_EINVAL);
	assert_rc(youth_person_erase(reg, A.id, NULL, NULL), YOUTH_EINVAL);
	assert_err_field("reason");
	assert_rc(youth_person_erase(NULL, A.id, NULL, "request"), YOUTH_EINVAL);
	/* inside the caller's transaction: refused, nothing erased */
	assert_ok(youth_registry_begin(reg));
	assert_rc(youth_person_erase(reg, A.id, NULL, "request"), YOUTH_EMISUSE);
	assert_ok(youth_registry_rollback(reg));
	/* without an actor in an audited registry */
	assert_ok(youth_registry_set_actor(reg, NULL));
	assert_rc(youth_person_erase(reg, A.id, NULL, "request"), YOUTH_EMISUSE);
	assert_ok(youth_registry_set_actor(reg, ACTOR));
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, reg, A.id));
	assert_string_equal(p->first_surname, A.first);
	youth_person_free(p);

	assert_ok(youth_person_erase(reg, A.id, NULL, "request"));
	assert_rc(youth_person_erase(reg, A.id, NULL, "request"), YOUTH_ESTATE);
	assert_msg_has("already erased");
	assert_msg_has(A.uuid);
	assert_rc(youth_person_erase(reg, 0, A.uuid, "request"), YOUTH_ESTATE);
	/* the stub never changes again, and its UUID is never added again */
	assert_ok(youth_person_get(&p, reg, A.id));
	p->given_names = A.given;
	assert_rc(youth_person_update(reg, p, YOUTH_PERSON_ALLOW_AGE), YOUTH_ESTATE);
	assert_msg_has(A.uuid);
	assert_msg_has("erased");
	youth_person_free(p);
	assert_ok(youth_person_delete_cascade(NULL, reg, A.id));
	youth_person q;
	th_person_valid(&q);
	snprintf(q.uuid, sizeof q.uuid, "%s", A.uuid);
	assert_rc(youth_person_add(reg, &q, 0), YOUTH_EEXISTS);
	assert_msg_has(A.uuid);
	assert_msg_has("erased");
	youth_registry_close(reg);
}

/* An import that would bring the person back: refused with the UUID named; in keep-going
 * mode the rest of the file is imported as usual. */
static void test_import_cannot_resurrect(void **state)
{
	(void)state;
	youth_registry *reg = build(":memory:");
	youth_export_options o = {.kinds = YOUTH_KIND_GAZETTEER | YOUTH_KIND_PERSONS,
	                          .flags = YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS};
	th_text t = {0};
	assert_ok(youth_export_write(NULL, reg, th_text_write, &t, &o));
	int64_t persons = th_count_persons(reg);
	assert_ok(youth_person_erase(reg, A.id, NULL, "request"));

	/* into the same registry, as an update: refused, and the whole import with it */
	youth_import_options io = {.flags = YOUTH_IMPORT_UPSERT};
	assert_rc(youth_import_buffer(NULL, reg, t.data, t.len, "old.yaml", &io), YOUTH_ESTATE);
	assert_msg_has(A.uuid);
	assert_msg_has("erased");
	/* keep going: A rejected, everyone else unchanged */
	youth_interchange_summary sum;
	char *rejects = NULL;
	size_t rsize = 0;
	io.flags = YOUTH_IMPORT_UPSERT | YOUTH_IMPORT_KEEP_GOING;
	assert_non_null(io.rejects = open_memstream(&rejects, &rsize));
	assert_ok(youth_import_buffer(&sum, reg, t.data, t.len, "old.yaml", &io));
	fclose(io.rejects);
	assert_int_equal(sum.rejected, 1);
	assert_int_equal(sum.unchanged, sum.records - 1);
	assert_non_null(strstr(rejects, A.uuid));
	assert_non_null(strstr(rejects, "erased"));
	free(rejects);
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, reg, A.id));
	assert_string_equal(p->first_surname, YOUTH_ERASED_TEXT);
	youth_person_free(p);
	assert_int_equal(th_count_persons(reg), persons);

	/* once the stub is deleted too, a plain import (adds) still refuses the UUID */
	assert_ok(youth_person_delete_cascade(NULL, reg, A.id));
	rejects = th_import_rejects(reg, t.data, t.len, "old.yaml", &sum);
	assert_non_null(strstr(rejects, A.uuid));
	free(rejects);
	assert_rc(youth_person_get_by_uuid(&p, reg, A.uuid), YOUTH_ENOTFOUND);
	free(t.data);
	youth_registry_close(reg);
}

/* An import skips the erased-UUID check of the persons it adds while the tombstone table is
 * empty, as read when the import begins: an erasure by another handle between two imports of
 * one handle is seen by the second. */
static void test_import_sees_an_erasure_by_another_handle(void **state)
{
	(void)state;
	char *dir = th_tmpdir(), *path = th_path(dir, "reg.youth");
	youth_registry *reg = build(path);
	youth_export_options o = {.kinds = YOUTH_KIND_GAZETTEER | YOUTH_KIND_PERSONS,
	                          .flags = YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS};
	th_text t = {0};
	assert_ok(youth_export_write(NULL, reg, th_text_write, &t, &o));
	/* the first import: nothing erased yet, every person already there */
	youth_interchange_summary sum;
	youth_import_options io = {.flags = YOUTH_IMPORT_UPSERT};
	assert_ok(youth_import_buffer(&sum, reg, t.data, t.len, "old.yaml", &io));
	assert_int_equal(sum.unchanged, sum.records);

	youth_registry *other = NULL;
	assert_ok(youth_registry_open(&other, path, 0));
	assert_ok(youth_registry_set_actor(other, ACTOR));
	assert_ok(youth_person_erase(other, A.id, NULL, "request"));
	assert_ok(youth_person_delete_cascade(NULL, other, A.id));
	youth_registry_close(other);

	/* the second import adds A again: refused by the tombstone the other handle wrote */
	char *rejects = th_import_rejects(reg, t.data, t.len, "old.yaml", &sum);
	assert_true(sum.rejected >= 1);
	assert_non_null(strstr(rejects, A.uuid));
	assert_non_null(strstr(rejects, "erased"));
	free(rejects);
	youth_person *p = NULL;
	assert_rc(youth_person_get_by_uuid(&p, reg, A.uuid), YOUTH_ENOTFOUND);
	free(t.data);
	youth_registry_close(reg);
	th_rmtree(dir);
	free(dir);
	free(path);
}

/* ---- the bytes of the files ------------------------------------------------------------- */

/* Looks for A's and B's values in the db, -wal and -shm files of @path: none of A's, and
 * every one of B's in one file or another (so that the search can fail). */
static void check_bytes(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	int of_b = 0;
	for (size_t i = 0; i < 3; i++) {
		char name[4096];
		snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
		size_t size = 0;
		unsigned char *bytes = th_read_file(name, &size);
		if (i == 0)
			assert_non_null(bytes);
		assert_int_equal(found_values(&A, bytes, size, name, 1), 0);
		of_b += found_values(&B, bytes, size, name, 0);
		free(bytes);
	}
	/* B's old address went with its update (secure_delete): its other 8 values stay */
	assert_true(of_b >= 8);
}

static void test_bytes_gone(void **state)
{
	(void)state;
	char *dir = th_tmpdir(), *path = th_path(dir, "reg.youth");
	youth_registry *reg = build(path);
	/* before: A's values are there, which proves the search finds them */
	size_t size;
	unsigned char *bytes = th_read_file(path, &size);
	char wal[4096];
	snprintf(wal, sizeof wal, "%s-wal", path);
	size_t wsize = 0;
	unsigned char *wbytes = th_read_file(wal, &wsize);
	assert_true(found_values(&A, bytes, size, "db", 0) + found_values(&A, wbytes, wsize, "wal", 0)
	            > 0);
	free(bytes);
	free(wbytes);

	assert_ok(youth_person_erase(reg, A.id, NULL, "request"));
	check_bytes(path); /* while the registry is open */
	youth_registry_close(reg);
	check_bytes(path);
	th_rmtree(dir);
	free(dir);
	free(path);
}

/* The process that erased is killed (SIGKILL) right after the call returned: nothing that a
 * clean close would have done is needed for the values to be gone. */
static void test_bytes_gone_after_kill(void **state)
{
	(void)state;
	char *dir = th_tmpdir(), *path = th_path(dir, "reg.youth");
	youth_registry *reg = build(path);
	youth_registry_close(reg);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		youth_registry *r = NULL;
		int rc = youth_registry_open(&r, path, 0);
		if (rc == YOUTH_OK)
			rc = youth_registry_set_actor(r, ACTOR);
		if (rc == YOUTH_OK)
			rc = youth_person_erase(r, A.id, NULL, "request");
		char c = rc == YOUTH_OK ? 'y' : 'n';
		if (write(fds[1], &c, 1) != 1)
			_exit(2);
		for (;;)
			pause(); /* the registry stays open until the kill */
	}
	close(fds[1]);
	char c = 0;
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);
	assert_int_equal(kill(pid, SIGKILL), 0);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(c, 'y');
	check_bytes(path);
	/* and the registry opens, erased, its trail intact */
	assert_ok(youth_registry_open(&reg, path, 0));
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, reg, A.id));
	assert_string_equal(p->first_surname, YOUTH_ERASED_TEXT);
	youth_person_free(p);
	youth_audit_problem pr;
	assert_ok(youth_audit_verify(&pr, reg, NULL));
	youth_registry_close(reg);
	th_rmtree(dir);
	free(dir);
	free(path);
}

/* A reader of another connection keeps the WAL from being cleared: the erasure is committed
 * and says so (EBUSY); once the reader has gone, a purge with nothing due clears it. */
static void test_busy_reader_then_purge(void **state)
{
	(void)state;
	char *dir = th_tmpdir(), *path = th_path(dir, "reg.youth");
	youth_registry *reg = build(path);
	assert_ok(youth_registry_set_busy_timeout(reg, 100));
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, th_sealing_vfs()),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN; SELECT count(*) FROM person;", NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_rc(youth_person_erase(reg, A.id, NULL, "request"), YOUTH_EBUSY);
	assert_msg_has("-wal");
	assert_msg_has("youth purge");
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, reg, A.id));
	assert_string_equal(p->first_surname, YOUTH_ERASED_TEXT); /* committed all the same */
	youth_person_free(p);
	assert_rc(youth_person_erase(reg, A.id, NULL, "request"), YOUTH_ESTATE);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(db);
	char *out = NULL;
	assert_ok(youth_purge(&out, reg, NULL, 0));
	assert_string_equal(out, "");
	youth_free(out);
	check_bytes(path);
	youth_registry_close(reg);
	th_rmtree(dir);
	free(dir);
	free(path);
}

/* ---- retention --------------------------------------------------------------------------- */

static int64_t add_retained(youth_registry *reg, const char *until, char uuid[YOUTH_UUID_LEN + 1])
{
	youth_person p;
	th_person_valid(&p);
	p.retain_until = until;
	assert_ok(youth_person_add(reg, &p, 0));
	snprintf(uuid, YOUTH_UUID_LEN + 1, "%s", p.uuid);
	return p.id;
}

static void test_purge(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	char u1[YOUTH_UUID_LEN + 1], u2[YOUTH_UUID_LEN + 1], u3[YOUTH_UUID_LEN + 1];
	int64_t due1 = add_retained(reg, "2020-01-31", u1);
	int64_t due2 = add_retained(reg, "2021-06-30", u2);
	int64_t kept = add_retained(reg, "2021-07-01", u3);
	int64_t none;
	assert_ok(th_add_person(reg, &none));
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, reg, due1));
	assert_string_equal(p->retain_until, "2020-01-31");
	youth_person_free(p);

	char *out = NULL, want[128];
	snprintf(want, sizeof want, "%s\n%s\n", u1, u2);
	assert_ok(youth_purge(&out, reg, "2021-07-01", YOUTH_PURGE_DRY_RUN));
	assert_string_equal(out, want);
	youth_free(out);
	assert_ok(youth_person_get(&p, reg, due1));
	assert_string_not_equal(p->given_names, YOUTH_ERASED_TEXT);
	youth_person_free(p);

	assert_ok(youth_purge(&out, reg, "2021-07-01", 0));
	assert_string_equal(out, want);
	youth_free(out);
	for (int i = 0; i < 2; i++) {
		assert_ok(youth_person_get(&p, reg, i ? due2 : due1));
		assert_string_equal(p->given_names, YOUTH_ERASED_TEXT);
		assert_null(p->retain_until);
		youth_person_free(p);
	}
	assert_ok(youth_person_get(&p, reg, kept));
	assert_string_not_equal(p->given_names, YOUTH_ERASED_TEXT);
	youth_person_free(p);
	assert_ok(youth_person_get(&p, reg, none));
	assert_string_not_equal(p->given_names, YOUTH_ERASED_TEXT);
	youth_person_free(p);
	/* nothing due any more on that date; the kept one the day after */
	assert_ok(youth_purge(&out, reg, "2021-07-01", 0));
	assert_string_equal(out, "");
	youth_free(out);
	assert_ok(youth_purge(&out, reg, "2021-07-02", 0));
	snprintf(want, sizeof want, "%s\n", u3);
	assert_string_equal(out, want);
	youth_free(out);

	assert_rc(youth_purge(&out, reg, "2021-02-30", 0), YOUTH_EINVAL);
	assert_null(out);
	assert_rc(youth_purge(&out, reg, NULL, 1u << 7), YOUTH_EINVAL);
	assert_rc(youth_purge(NULL, reg, NULL, 0), YOUTH_EINVAL);
	/* a retain_until that is not a date is refused on add */
	youth_person q;
	th_person_valid(&q);
	q.retain_until = "2021-13-01";
	assert_rc(youth_person_add(reg, &q, 0), YOUTH_EINVAL);
	assert_err_field("retain_until");
	youth_registry_close(reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_erase_person_with_services),
		cmocka_unit_test(test_erase_group_member),
		cmocka_unit_test(test_audit_keeps_the_fact),
		cmocka_unit_test(test_audit_edit_after_erase_detected),
		cmocka_unit_test(test_erase_refusals),
		cmocka_unit_test(test_import_cannot_resurrect),
		cmocka_unit_test(test_import_sees_an_erasure_by_another_handle),
		cmocka_unit_test(test_bytes_gone),
		cmocka_unit_test(test_bytes_gone_after_kill),
		cmocka_unit_test(test_busy_reader_then_purge),
		cmocka_unit_test(test_purge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
