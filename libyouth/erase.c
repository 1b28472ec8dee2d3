/*
 * Erasure of a person and retention (docs/privacy.md, "Erasure" and "Retention").
 *
 * What an erasure removes is read from the kind descriptions, not from a list kept here: every
 * field flagged identifying, contact, name or free text, in the person's record and in every
 * record that refers to it directly or through another (found from the foreign keys SQLite
 * knows by youth__refs_walk(), the walk of the delete cascade), so a kind added later with a
 * note about the person is covered by its field table.  The records stay, as an anonymous stub of
 * the person and their services, so that every indicator counts the same before and after.
 *
 * The values must be gone from the bytes of the files too: the handle deletes securely
 * (registry.c sets `secure_delete` on every open, and an erasure sets it again, whatever
 * SQLite was built with), so freed cells and pages are zeroed; after the commit the WAL, which
 * still holds the pages as they were, is checkpointed into the database and truncated.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

/* The privacy classes whose values an erasure removes (kind.h). */
#define ERASED_CLASSES \
	(YOUTH_FIELD_IDENTIFYING | YOUTH_FIELD_CONTACT | YOUTH_FIELD_NAME | YOUTH_FIELD_FREE_TEXT)

static const youth_kind_info *kind_named(const char *name)
{
	for (const youth_kind_info *k = youth_kind_next(NULL); k; k = youth_kind_next(k))
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static bool has_column(youth_registry *reg, const char *table, const char *col)
{
	sqlite3_stmt *st;
	if (youth__stmt(reg, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", &st))
		return false;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

/*
 * The UPDATE that erases one row of @table (?1 = its id), in @sql; empty when the table's kind
 * has no field to erase.  An identifier or contact detail becomes NULL (each has a format that
 * no marker would pass); a name or a free text that was there reads YOUTH_ERASED_TEXT, since a
 * record's rules may require it (a terminated scholarship's reason).  The row is updated even
 * when it holds no such value today: its update is what gives the audit trail the record's
 * 'erase' entry, which lets the values of its earlier entries go (a note since removed).
 */
static int erase_sql(youth_registry *reg, const char *table, youth__buf *sql)
{
	const youth_kind_info *k = kind_named(youth__audit_kind(table));
	int rc = YOUTH_OK;
	for (size_t i = 0; k && rc == YOUTH_OK && i < k->n_fields; i++) {
		const youth_field_info *f = &k->fields[i];
		if (!(f->flags & ERASED_CLASSES) || !has_column(reg, table, f->name))
			continue;
		bool nulled = f->flags & (YOUTH_FIELD_IDENTIFYING | YOUTH_FIELD_CONTACT);
		if (nulled)
			rc = youth__buf_printf(sql, "%s\"%s\" = NULL", sql->len ? ", " : "", f->name);
		else
			rc = youth__buf_printf(sql, "%s\"%s\" = CASE WHEN \"%s\" IS NULL THEN NULL ELSE '"
			                       YOUTH_ERASED_TEXT "' END", sql->len ? ", " : "", f->name,
			                       f->name);
	}
	/* The person's folded name is a derived column, not a field: it becomes the fold of the
	 * names left, the markers, as youth check derives it.  The SET expressions read the row
	 * as it was: second_surname is the old one. */
	if (rc == YOUTH_OK && strcmp(table, "person") == 0) {
		youth__buf key = {0};
		rc = youth__fold_into(&key, YOUTH_ERASED_TEXT);
		if (rc == YOUTH_OK)
			rc = youth__buf_printf(sql, ", name_key = '%s %s' || CASE WHEN second_surname IS "
			                       "NULL OR second_surname = '' THEN '' ELSE ' %s' END, "
			                       "retain_until = NULL", key.data, key.data, key.data);
		youth__buf_free(&key);
	}
	if (rc == YOUTH_OK && sql->len) {
		youth__buf head = {0};
		rc = youth__buf_printf(&head, "UPDATE \"%s\" SET %s WHERE id = ?1", table,
		                       sql->data);
		youth__buf_free(sql);
		*sql = head;
	}
	return rc;
}

/*
 * The name index of the ranked search (names.c) keeps its own copy of the names: the person's
 * keys, and the words and typo variants nobody else has.  The schema's rename trigger drops
 * them when erase_sql() writes the markers over the names, inside this transaction, and no
 * key is written for the markers (a rebuild skips tombstoned persons); this hook checks that
 * nothing of the person is left there, so a changed trigger cannot leave names behind.
 */
static int erase_search_index(youth__write *w, int64_t person_id)
{
	sqlite3_stmt *st;
	int rc = youth__stmt(w->reg, "SELECT count(*) FROM person_name WHERE person_id = ?1", &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, person_id);
	int s = sqlite3_step(st);
	int64_t left = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (left != 0)
		return youth__error(YOUTH_ECORRUPT, NULL, "erasing person %lld: the name index still "
		                    "holds %lld of their keys", (long long)person_id, (long long)left);
	return YOUTH_OK;
}

/* Erases row @id of @table, which the walk of the records about the person reached. */
static int erase_row(youth__write *w, const char *table, int64_t id)
{
	youth_registry *reg = w->reg;
	youth__buf sql = {0};
	sqlite3_stmt *st;
	bool changed = false;
	int s, rc = erase_sql(reg, table, &sql);
	if (rc == YOUTH_OK && sql.len) {
		/* Prepared here, not cached: a handful of statements per erasure, each its table's. */
		if ((s = sqlite3_prepare_v2(reg->db, sql.data, -1, &st, NULL)) != SQLITE_OK) {
			rc = youth__sqlite_error(reg->db, s, "erasing");
		} else {
			sqlite3_bind_int64(st, 1, id);
			rc = youth__step_done(reg, st, "erasing");
			changed = rc == YOUTH_OK && sqlite3_changes(reg->db) > 0;
			sqlite3_finalize(st);
			if (changed)
				youth__write_row(w, table, id, 'e');
		}
	}
	youth__buf_free(&sql);
	if (rc || !changed || !has_column(reg, table, "uuid"))
		return rc;
	/* The trail's earlier entries about the record lose their values (the 'erase' entry
	 * just appended, which keeps none, is what makes that a legitimate change). */
	char q[128], uuid[YOUTH_UUID_LEN + 1] = "";
	snprintf(q, sizeof q, "SELECT uuid FROM \"%s\" WHERE id = ?", table);
	if ((s = sqlite3_prepare_v2(reg->db, q, -1, &st, NULL)) != SQLITE_OK)
		return youth__sqlite_error(reg->db, s, "erasing");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		youth__col_text(st, 0, uuid, sizeof uuid);
	sqlite3_finalize(st);
	return uuid[0] ? youth__audit_redact(w, uuid) : YOUTH_OK;
}

/* Link tables (no id of their own) hold keys, never text about the person: left alone. */
static const youth__refs erasure = {erase_row, NULL, "erasing"};

/* The key and UUID of the person @id (or, for 0, @uuid), refusing an erased one. */
static int find_person(youth_registry *reg, int64_t id, const char *uuid, int64_t *out,
                       char found[YOUTH_UUID_LEN + 1])
{
	sqlite3_stmt *st;
	int rc = youth__stmt_by_key(&st, reg, id, uuid,
	                            "SELECT p.id, p.uuid, e.erased_at FROM person p LEFT JOIN "
	                            "person_erased e ON e.uuid = p.uuid WHERE p.id = ?1",
	                            "SELECT p.id, p.uuid, e.erased_at FROM person p LEFT JOIN "
	                            "person_erased e ON e.uuid = p.uuid WHERE p.uuid = lower(?2)");
	if (rc)
		return rc;
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		youth__col_text(st, 1, found, YOUTH_UUID_LEN + 1);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			rc = youth__error(YOUTH_ESTATE, "id", "person %s: already erased on %.10s", found,
			                  (const char *)sqlite3_column_text(st, 2));
	} else if (s == SQLITE_DONE) {
		rc = id ? youth__error(YOUTH_ENOTFOUND, "id", "person %lld: no such person",
		                       (long long)id)
		        : youth__error(YOUTH_ENOTFOUND, "uuid", "person %.36s: no such person", uuid);
	} else {
		rc = youth__sqlite_error(reg->db, s, "finding a person");
	}
	sqlite3_reset(st);
	return rc;
}

/* The merges that kept this person hold the other record of the same youth: its row (in
 * person_merged), the values of both records in the field journal, and the audit entries about
 * the merged UUID (the merge's delete of that record carries every value).  All of it goes
 * with the erasure; the merged UUID is tombstoned too, so that no file brings it back. */
static int erase_merges(youth__write *w, int64_t id, const char *reason)
{
	youth_registry *reg = w->reg;
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, "SELECT m.id, m.merged_uuid, (SELECT rowid FROM person_merged pm "
	                          "WHERE pm.merge_id = m.id) FROM person_merge m WHERE m.kept_id = ?1 "
	                          "ORDER BY m.id", &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	youth__buf list = {0};
	int s;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW)
		rc = youth__buf_printf(&list, "%lld %s %lld\n", (long long)sqlite3_column_int64(st, 0),
		                       (const char *)sqlite3_column_text(st, 1),
		                       (long long)sqlite3_column_int64(st, 2));
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, "finding the merges of a person");
	sqlite3_reset(st);
	for (char *p = list.data; rc == YOUTH_OK && p && *p;) {
		long long mid, archived;
		char uuid[YOUTH_UUID_LEN + 1];
		int used = 0;
		if (sscanf(p, "%lld %36s %lld\n%n", &mid, uuid, &archived, &used) != 3 || !used)
			break;
		p += used;
		rc = youth__audit_redact(w, uuid);
		if (rc == YOUTH_OK && archived &&
		    (rc = youth__stmt(reg, "DELETE FROM person_merged WHERE rowid = ?1", &st)) == YOUTH_OK) {
			sqlite3_bind_int64(st, 1, archived);
			if ((rc = youth__step_done(reg, st, "erasing a merged record")) == YOUTH_OK)
				youth__write_row(w, "person_merged", archived, 'e');
		}
		if (rc == YOUTH_OK && (rc = youth__stmt(reg, "UPDATE person_merge_field SET kept_value = "
		                                        "'(erased)', merged_value = '(erased)' WHERE "
		                                        "merge_id = ?1", &st)) == YOUTH_OK) {
			sqlite3_bind_int64(st, 1, mid);
			rc = youth__step_done(reg, st, "erasing a merge's journal");
		}
		if (rc == YOUTH_OK && (rc = youth__stmt(reg, "INSERT OR IGNORE INTO person_erased (uuid, "
		                                        "erased_at, reason) VALUES (?1, strftime("
		                                        "'%Y-%m-%dT%H:%M:%SZ', 'now'), ?2)", &st)) == YOUTH_OK) {
			sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
			if ((rc = youth__step_done(reg, st, "tombstoning a merged UUID")) == YOUTH_OK &&
			    sqlite3_changes(reg->db) == 1)
				youth__write_row(w, "person_erased", sqlite3_last_insert_rowid(reg->db), 'c');
		}
	}
	youth__buf_free(&list);
	return rc;
}

/* Erases one person inside the open write @w. */
static int erase_person(youth__write *w, int64_t id, const char *uuid, const char *reason)
{
	int rc = youth__refs_walk(&erasure, w, "person", id);
	if (rc == YOUTH_OK)
		rc = erase_search_index(w, id);
	if (rc == YOUTH_OK)
		rc = erase_merges(w, id, reason);
	sqlite3_stmt *st;
	if (rc == YOUTH_OK)
		rc = youth__stmt(w->reg, "INSERT INTO person_erased (uuid, erased_at, reason) VALUES "
		                         "(?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2)", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
	rc = youth__step_done(w->reg, st, "keeping the tombstone of an erased person");
	if (rc == YOUTH_OK)
		youth__write_row(w, "person_erased", sqlite3_last_insert_rowid(w->reg->db), 'c');
	return rc;
}

/* Clears the WAL after an erasure's commit: the frames there still hold the pages as they
 * were.  TRUNCATE waits (busy timeout) for readers and leaves a WAL of zero bytes. */
static int clear_wal(youth_registry *reg, const char *what)
{
	int s = sqlite3_wal_checkpoint_v2(reg->db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	if (s == SQLITE_OK)
		return YOUTH_OK;
	if (s == SQLITE_BUSY || s == SQLITE_LOCKED)
		return youth__error(YOUTH_EBUSY, NULL,
		                    "%s: done, but another connection kept the old values in the "
		                    "registry's -wal file; close it, then run `youth purge` (which "
		                    "clears it) or close every connection", what);
	return youth__sqlite_error(reg->db, s, what);
}

/* Opens the write of an erasure: never inside the caller's transaction, whose commit the
 * WAL could not be cleared after. */
static int erase_begin(youth__write *w, youth_registry *reg, const char *op)
{
	if (youth_registry_in_transaction(reg))
		return youth__error(YOUTH_EMISUSE, NULL, "%s: inside a transaction; an erasure commits "
		                    "and clears the WAL on its own, so call it outside one", op);
	int rc = youth__exec(reg, "PRAGMA secure_delete = ON");
	return rc ? rc : youth__write_begin(w, reg, op);
}

int youth_person_erase(youth_registry *reg, int64_t id, const char *uuid, const char *reason)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_person_erase: NULL registry");
	if (id < 0 || (!id && (!uuid || !*uuid)))
		return youth__error(YOUTH_EINVAL, "id", "erase: give a person's id or uuid");
	if (!id && !youth__uuid_valid(uuid))
		return youth__error(YOUTH_EINVAL, "uuid", "uuid \"%.40s\": not a UUID", uuid);
	int rc = youth__text_rule("reason", reason, 200, true);
	if (rc)
		return rc;
	youth__write w;
	if ((rc = erase_begin(&w, reg, "erase person")))
		return rc;
	char found[YOUTH_UUID_LEN + 1];
	int64_t key = 0;
	rc = find_person(reg, id, uuid, &key, found);
	if (rc == YOUTH_OK)
		rc = erase_person(&w, key, found, reason);
	rc = youth__write_end(&w, rc);
	return rc ? rc : clear_wal(reg, "erase person");
}

/*
 * The queries that say who is due, each "SELECT id FROM person ..." with ?1 the date of the
 * purge.  Another source of due dates (a retention period per consent purpose) is one more
 * line here: purge takes the union, in key order, and skips the already erased.
 */
static const char *const due_queries[] = {
	"SELECT id FROM person WHERE retain_until < ?1",
	NULL,
};

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The keys of the persons due at @as_of, sorted and without repeats. */
static int due_persons(youth_registry *reg, const char *as_of, youth__buf *ids)
{
	int rc = YOUTH_OK;
	for (const char *const *q = due_queries; *q && rc == YOUTH_OK; q++) {
		sqlite3_stmt *st;
		if ((rc = youth__stmt(reg, *q, &st)))
			break;
		sqlite3_bind_text(st, 1, as_of, -1, SQLITE_STATIC);
		int s;
		while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t v = sqlite3_column_int64(st, 0);
			rc = youth__buf_put(ids, (const char *)&v, sizeof v);
		}
		if (rc == YOUTH_OK && s != SQLITE_DONE)
			rc = youth__sqlite_error(reg->db, s, "finding the persons due for erasure");
		sqlite3_reset(st);
	}
	size_t n = ids->len / sizeof(int64_t), kept = 0;
	if (rc == YOUTH_OK && n) {
		qsort(ids->data, n, sizeof(int64_t), cmp_id);
		int64_t *v = (int64_t *)(void *)ids->data;
		for (size_t i = 0; i < n; i++)
			if (i == 0 || v[i] != v[kept - 1])
				v[kept++] = v[i];
		ids->len = kept * sizeof(int64_t);
	}
	return rc;
}

int youth_purge(char **out, youth_registry *reg, const char *as_of, unsigned flags)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_purge: NULL argument");
	int rc = youth__flags_rule("purge", flags, YOUTH_PURGE_DRY_RUN);
	if (rc)
		return rc;
	char date[YOUTH_DATE_LEN + 1];
	if (as_of) {
		if ((rc = youth_date_check(as_of, "as_of")))
			return rc;
		snprintf(date, sizeof date, "%s", as_of);
	} else {
		youth__today(date);
	}
	/* A dry run only reads: no write, so it needs no actor and works read-only. */
	bool dry = flags & YOUTH_PURGE_DRY_RUN;
	youth__write w;
	if (!dry && (rc = erase_begin(&w, reg, "purge")))
		return rc;
	youth__buf ids = {0}, list = {0}, reason = {0};
	rc = due_persons(reg, date, &ids);
	if (rc == YOUTH_OK)
		rc = youth__buf_printf(&reason, "retention ended (purge as of %s)", date);
	if (rc == YOUTH_OK)
		rc = youth__buf_puts(&list, "");
	for (size_t off = 0; rc == YOUTH_OK && off < ids.len; off += sizeof(int64_t)) {
		int64_t id;
		memcpy(&id, ids.data + off, sizeof id);
		char uuid[YOUTH_UUID_LEN + 1];
		int64_t key;
		rc = find_person(reg, id, NULL, &key, uuid);
		if (rc == YOUTH_ESTATE) { /* erased already: nothing is due */
			rc = YOUTH_OK;
			continue;
		}
		if (rc == YOUTH_OK && !dry)
			rc = erase_person(&w, key, uuid, reason.data);
		if (rc == YOUTH_OK)
			rc = youth__buf_printf(&list, "%s\n", uuid);
	}
	if (!dry)
		rc = youth__write_end(&w, rc);
	if (rc == YOUTH_OK && !dry)
		rc = clear_wal(reg, "purge");
	youth__buf_free(&ids);
	youth__buf_free(&reason);
	if (rc == YOUTH_OK || (rc == YOUTH_EBUSY && !dry)) {
		*out = list.data;
		list.data = NULL;
	}
	youth__buf_free(&list);
	return rc;
}
