/*
 * Merging two person records of one youth, and undoing it.
 *
 * A merge never overwrites: each field where the two records differ is journalled with both
 * values and the one taken (person_merge_field), each row that moves from the merged person
 * to the kept one is journalled (person_merge_row), and the merged person's row itself is kept
 * whole in person_merged.  So an unmerge is exact: the same ids, UUIDs and values come back,
 * and an export after merge + unmerge is byte for byte the export before.  Everything runs in
 * one write through the one write path, so the audit trail sees each row as the operation
 * "merge persons" (or "unmerge persons").
 */
#include "private_names.h"
#include "private_interchange.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "youth/duplicates.h"

/* The tables whose rows belong to a person (their column person_id), which a merge moves.
 * tests/test_duplicates.c checks this list against every foreign key to person, so a new kind
 * that belongs to a person cannot be forgotten here. */
static const char *const owned[] = {
	"eligibility_override", "enrollment",       "followup",        "counselling_participant",
	"scholarship",          "enterprise_member", "enterprise_plan", "person_alias",
	"consent",
};

const char *const *youth__merge_owned(size_t *n)
{
	*n = YOUTH__N_OF(owned);
	return owned;
}

static int owned_index(const char *table)
{
	for (size_t i = 0; i < YOUTH__N_OF(owned); i++)
		if (strcmp(owned[i], table) == 0)
			return (int)i;
	return -1;
}

/* One statement of the merge's write about one row (parameters from ?1: 'I' an int64_t, 't' a
 * text), then the row counted for the audit trail: for an INSERT ('c') the row it made,
 * otherwise row @id of @table. */
static int run(youth__write *w, int rc, const char *table, char action, int64_t id,
               const char *sql, const char *binds, ...)
{
	sqlite3_stmt *st;
	if (rc != YOUTH_OK || (rc = youth__stmt(w->reg, sql, &st)) != YOUTH_OK)
		return rc;
	va_list ap;
	va_start(ap, binds);
	for (int i = 0; binds[i]; i++) {
		if (binds[i] == 'I')
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
		else
			youth__bind_text(st, i + 1, va_arg(ap, const char *));
	}
	va_end(ap);
	if ((rc = youth__step_done(w->reg, st, action == 'd' ? "unmerging persons" : "merging persons")))
		return rc;
	youth__write_row(w, table, action == 'c' ? sqlite3_last_insert_rowid(w->reg->db) : id, action);
	return YOUTH_OK;
}

/* The id of the pair of persons @a and @b (0 when none is stored). */
static int pair_of(youth_registry *reg, int64_t a, int64_t b, int64_t *id)
{
	*id = 0;
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, "SELECT id FROM duplicate_pair WHERE person_id = ? AND other_id = ?",
	                     &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, a < b ? a : b);
	sqlite3_bind_int64(st, 2, a < b ? b : a);
	bool found;
	if ((rc = youth__step_row(reg, st, &found, "reading a duplicate pair")) == YOUTH_OK && found) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return rc;
}

static void utc_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Whether field @name is one a merge decides: the person's own values, not its keys nor what
 * the library derives. */
static bool decided_field(const youth__field *f)
{
	return f->type != YF_ID && f->type != YF_UUID && !(f->flags & YOUTH__F_READONLY);
}

typedef struct take_ctx {
	const char *bad;
	size_t bad_len;
} take_ctx;

static int take_check(void *ctx, const char *item, size_t n)
{
	char name[64];
	if (n >= sizeof name)
		n = sizeof name - 1;
	memcpy(name, item, n);
	name[n] = '\0';
	const youth__field *f = youth__rec_find(&youth__kind_person, name);
	if (!f || !decided_field(f)) {
		take_ctx *t = ctx;
		t->bad = item;
		t->bad_len = n;
		return YOUTH_EINVAL;
	}
	return YOUTH_OK;
}

/* True when @name is in the comma-separated @take. */
typedef struct take_find {
	const char *name;
	bool found;
} take_find;

static int take_match(void *ctx, const char *item, size_t n)
{
	take_find *t = ctx;
	if (strlen(t->name) == n && memcmp(t->name, item, n) == 0)
		t->found = true;
	return YOUTH_OK;
}

static bool taken(const char *take, const char *name)
{
	take_find t = {name, false};
	if (take)
		youth__each_item(take, take_match, &t);
	return t.found;
}

/* YOUTH_ESTATE when @uuid is tombstoned (person_erased, erase.c). */
static int not_erased(youth_registry *reg, const char *uuid)
{
	return youth__person_not_erased(reg, 0, uuid, YOUTH_ESTATE, "merged or unmerged");
}

static int person_uuid(youth_registry *reg, int64_t id, char uuid[YOUTH_UUID_LEN + 1])
{
	sqlite3_stmt *st;
	int rc = youth__row_by_id(reg, "SELECT uuid FROM person WHERE id = ?", id, "person_id",
	                          "person", &st);
	if (rc == YOUTH_OK) {
		youth__col_text(st, 0, uuid, YOUTH_UUID_LEN + 1);
		sqlite3_reset(st);
	}
	return rc;
}

/* The column list of table person, as the schema has it ("id, uuid, ..."): person_merged
 * holds the same columns, so a row goes back with exactly what it had.  Read once a handle. */
static int person_columns(youth_registry *reg, const char **out)
{
	youth__buf *cols = &reg->person_cols;
	*out = cols->data;
	if (cols->len)
		return YOUTH_OK;
	sqlite3_stmt *st;
	int s = sqlite3_prepare_v2(reg->db, "SELECT name FROM pragma_table_info('person') ORDER BY cid",
	                           -1, &st, NULL);
	if (s != SQLITE_OK)
		return youth__sqlite_error(reg->db, s, "reading the columns of person");
	int rc = YOUTH_OK;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW)
		rc = youth__buf_printf(cols, "%s\"%s\"", cols->len ? ", " : "",
		                       (const char *)sqlite3_column_text(st, 0));
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, "reading the columns of person");
	sqlite3_finalize(st);
	if (rc)
		youth__buf_free(cols);
	*out = cols->data;
	return rc;
}

/* Moves the rows of @from in the owned tables to @to; with @merge_id, journals each. */
static int move_rows(youth__write *w, int64_t merge_id, int64_t from, int64_t to)
{
	youth_registry *reg = w->reg;
	int rc = YOUTH_OK;
	for (size_t t = 0; t < YOUTH__N_OF(owned) && rc == YOUTH_OK; t++) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE person_id = ? ORDER BY id", owned[t]);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL) != SQLITE_OK)
			return youth__sqlite_error(reg->db, sqlite3_errcode(reg->db), "merging persons");
		sqlite3_bind_int64(st, 1, from);
		int64_t *rows;
		size_t n;
		rc = youth__ids(&rows, &n, reg, st, "merging persons");
		sqlite3_finalize(st);
		int s;
		snprintf(sql, sizeof sql, "UPDATE %s SET person_id = ?2 WHERE id = ?1", owned[t]);
		for (size_t i = 0; i < n && rc == YOUTH_OK; i++) {
			if (sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL) != SQLITE_OK) {
				rc = youth__sqlite_error(reg->db, sqlite3_errcode(reg->db), "merging persons");
				break;
			}
			sqlite3_bind_int64(st, 1, rows[i]);
			sqlite3_bind_int64(st, 2, to);
			s = sqlite3_step(st);
			sqlite3_finalize(st);
			if ((s & 0xff) == SQLITE_CONSTRAINT) {
				rc = youth__error(YOUTH_ERULE, "person_id",
				                  "%s %lld of person %lld cannot move to person %lld, who has "
				                  "one for the same record (a cohort, session or group both "
				                  "are in): remove one of the two first",
				                  owned[t], (long long)rows[i], (long long)from, (long long)to);
				break;
			}
			if (s != SQLITE_DONE) {
				rc = youth__sqlite_error(reg->db, s, "merging persons");
				break;
			}
			youth__write_row(w, owned[t], rows[i], 'u');
			if (merge_id)
				rc = run(w, rc, "person_merge_row", 'c', 0, "INSERT INTO person_merge_row "
				         "(merge_id, tbl, row_id) VALUES (?1, ?2, ?3)", "ItI", merge_id,
				         owned[t], rows[i]);
		}
		youth__free(rows);
	}
	return rc;
}

/* Deletes the open pairs of person @id (the merged one). */
static int drop_open_pairs(youth__write *w, int64_t id)
{
	sqlite3_stmt *st;
	int rc = youth__stmt(w->reg, "SELECT id FROM duplicate_pair WHERE state = 1 AND "
	                     "(person_id = ?1 OR other_id = ?1) ORDER BY id", &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	int64_t *v;
	size_t n;
	rc = youth__ids(&v, &n, w->reg, st, "merging persons");
	sqlite3_reset(st);
	for (size_t i = 0; i < n && rc == YOUTH_OK; i++)
		rc = run(w, rc, "duplicate_pair", 'd', v[i], "DELETE FROM duplicate_pair WHERE id = ?1",
		         "I", v[i]);
	youth__free(v);
	return rc;
}

int youth_person_merge(int64_t *merge_id, youth_registry *reg, int64_t keep, int64_t other,
                       const char *take)
{
	if (merge_id)
		*merge_id = 0;
	int rc = youth__two_persons_args(reg, "youth_person_merge", keep, other, "other",
	                                 "cannot be merged into itself");
	if (rc)
		return rc;
	take_ctx tc = {0};
	if (take && youth__each_item(take, take_check, &tc))
		return youth__error(YOUTH_EINVAL, "take", "take \"%.*s\": not a field a merge decides "
		                    "(a field of person other than id, uuid and read-only ones)",
		                    (int)tc.bad_len, tc.bad);
	youth__write w;
	if ((rc = youth__write_begin(&w, reg, "merge persons")))
		return rc;
	youth_person *k = NULL, *o = NULL;
	youth__buf journal = {0};
	char kuuid[YOUTH_UUID_LEN + 1], ouuid[YOUTH_UUID_LEN + 1];
	if ((rc = person_uuid(reg, keep, kuuid)) == YOUTH_OK)
		rc = person_uuid(reg, other, ouuid);
	/* Hook for the erasure: a person erased (a tombstone) is no person any more, so
	 * youth_person_get refuses it here like any missing id. */
	if (rc == YOUTH_OK && (rc = youth_person_get(&k, reg, keep)) == YOUTH_OK)
		rc = youth_person_get(&o, reg, other);
	/* An erased person is a stub kept for the figures: nothing can be merged into or out of
	 * it (docs/privacy.md, "Erasure"). */
	if (rc == YOUTH_OK)
		rc = not_erased(reg, kuuid);
	if (rc == YOUTH_OK)
		rc = not_erased(reg, ouuid);
	int64_t mid = 0;
	char now[32], muuid[YOUTH_UUID_LEN + 1];
	utc_now(now);
	if (rc == YOUTH_OK && (rc = youth__uuid_new(muuid)) == YOUTH_OK) {
		sqlite3_stmt *st;
		if ((rc = youth__stmt(reg, "INSERT INTO person_merge (uuid, kept_id, kept_uuid, "
		                      "merged_id, merged_uuid, at, actor, state) VALUES "
		                      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)", &st)) == YOUTH_OK) {
			sqlite3_bind_text(st, 1, muuid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 2, keep);
			sqlite3_bind_text(st, 3, kuuid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 4, other);
			sqlite3_bind_text(st, 5, ouuid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT);
			youth__bind_text(st, 7, reg->audit.actor);
			if ((rc = youth__step_done(reg, st, "journalling a merge")) == YOUTH_OK) {
				mid = sqlite3_last_insert_rowid(reg->db);
				youth__write_row(&w, "person_merge", mid, 'c');
			}
		}
	}
	/* The fields: journalled, and the merged values the kept record takes. */
	youth_person next = {0};
	bool changed = false;
	if (rc == YOUTH_OK)
		next = *k;
	for (size_t i = 0; rc == YOUTH_OK && i < youth__kind_person.n_fields; i++) {
		const youth__field *f = &youth__kind_person.fields[i];
		if (!decided_field(f))
			continue;
		char kb[64], ob[64];
		const char *kv = NULL, *ov = NULL;
		if ((rc = youth__rec_get_field(&kv, &youth__kind_person, k, f->name, kb, sizeof kb)) ||
		    (rc = youth__rec_get_field(&ov, &youth__kind_person, o, f->name, ob, sizeof ob)))
			break;
		kv = youth__nz(kv);
		ov = youth__nz(ov);
		if (!ov || (kv && strcmp(kv, ov) == 0))
			continue;
		bool take_merged = !kv || taken(take, f->name);
		rc = run(&w, rc, "person_merge_field", 'c', 0, "INSERT INTO person_merge_field "
		         "(merge_id, field, kept_value, merged_value, taken) VALUES (?1, ?2, ?3, ?4, ?5)",
		         "Itttt", mid, f->name, kv, ov, take_merged ? "merged" : "kept");
		if (rc == YOUTH_OK && take_merged) {
			rc = youth__rec_set(&youth__kind_person, &next, f, ov);
			changed = true;
		}
	}
	if (rc == YOUTH_OK)
		rc = move_rows(&w, mid, other, keep);
	/* The merged record leaves the person table whole into the journal. */
	/* By name: person_merged has person's columns, in whatever order migrations left them. */
	if (rc == YOUTH_OK) {
		youth__buf sql = {0};
		const char *cols;
		sqlite3_stmt *st = NULL;
		if ((rc = person_columns(reg, &cols)) == YOUTH_OK)
			rc = youth__buf_printf(&sql, "INSERT INTO person_merged (%s, merge_id) SELECT %s, ?1 "
			                       "FROM person WHERE id = ?2", cols, cols);
		if (rc == YOUTH_OK && sqlite3_prepare_v2(reg->db, sql.data, -1, &st, NULL) != SQLITE_OK)
			rc = youth__sqlite_error(reg->db, sqlite3_errcode(reg->db), "merging persons");
		if (rc == YOUTH_OK) {
			sqlite3_bind_int64(st, 1, mid);
			sqlite3_bind_int64(st, 2, other);
			int s = sqlite3_step(st);
			if (s != SQLITE_DONE)
				rc = youth__sqlite_error(reg->db, s, "merging persons");
			else
				youth__write_row(&w, "person_merged", sqlite3_last_insert_rowid(reg->db), 'c');
		}
		sqlite3_finalize(st);
		youth__buf_free(&sql);
	}
	rc = run(&w, rc, "person", 'd', other, "DELETE FROM person WHERE id = ?1", "I", other);
	rc = run(&w, rc, "person_alias", 'c', 0, "INSERT INTO person_alias (uuid, person_id, "
	         "merge_id) VALUES (?1, ?2, ?3)", "tII", ouuid, keep, mid);
	/* The pair of the two is the record of the decision; the other open pairs of the merged
	 * person are moot (the next scan finds the kept one's). */
	int64_t pair = 0;
	if (rc == YOUTH_OK && (rc = pair_of(reg, keep, other, &pair)) == YOUTH_OK && pair)
		rc = run(&w, rc, "duplicate_pair", 'u', pair, "UPDATE duplicate_pair SET state = 4 "
		         "WHERE id = ?1", "I", pair);
	if (rc == YOUTH_OK)
		rc = drop_open_pairs(&w, other);
	if (rc == YOUTH_OK && changed)
		rc = youth_person_update(reg, &next, YOUTH_PERSON_ALLOW_AGE);
	youth_person_free(k);
	youth_person_free(o);
	youth__buf_free(&journal);
	rc = youth__write_end(&w, rc);
	if (rc == YOUTH_OK && merge_id)
		*merge_id = mid;
	return rc;
}

int youth_person_unmerge(youth_registry *reg, int64_t merge_id)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_person_unmerge: NULL registry");
	int rc;
	if ((rc = youth__id_rule(merge_id, "merge")))
		return rc;
	youth__write w;
	if ((rc = youth__write_begin(&w, reg, "unmerge persons")))
		return rc;
	sqlite3_stmt *st;
	int64_t keep = 0, other = 0;
	char ouuid[YOUTH_UUID_LEN + 1] = "";
	if ((rc = youth__row_by_id(reg, "SELECT kept_id, merged_id, merged_uuid, state FROM "
	                           "person_merge WHERE id = ?", merge_id, "merge_id", "merge",
	                           &st)) == YOUTH_OK) {
		keep = sqlite3_column_int64(st, 0);
		other = sqlite3_column_int64(st, 1);
		youth__col_text(st, 2, ouuid, sizeof ouuid);
		int state = sqlite3_column_int(st, 3);
		sqlite3_reset(st);
		if (state != 1)
			rc = youth__error(YOUTH_ESTATE, "merge_id", "merge %lld: already undone",
			                  (long long)merge_id);
		else if (other == 0)
			rc = youth__error(YOUTH_ERULE, "merge_id", "merge %lld: made in another registry "
			                  "and imported without the merged person's record: undo it where "
			                  "it was made", (long long)merge_id);
	}
	char kuuid_u[YOUTH_UUID_LEN + 1];
	if (rc == YOUTH_OK && (rc = person_uuid(reg, keep, kuuid_u)) == YOUTH_OK)
		rc = not_erased(reg, kuuid_u);
	if (rc == YOUTH_OK)
		rc = not_erased(reg, ouuid);
	/* The kept record's fields first: it may hold a value (a DUI) the merged one gets back. */
	youth_person *k = NULL;
	if (rc == YOUTH_OK)
		rc = youth_person_get(&k, reg, keep);
	youth_person back = {0};
	bool changed = false;
	youth__buf vals = {0};
	if (rc == YOUTH_OK) {
		back = *k;
		rc = youth__stmt(reg, "SELECT field, kept_value, merged_value FROM person_merge_field "
		                 "WHERE merge_id = ? AND taken = 'merged' ORDER BY field", &st);
	}
	if (rc == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, merge_id);
		/* The values are copied first: the record borrows them while the statement moves on. */
		int s;
		while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW)
			for (int c = 0; c < 3 && rc == YOUTH_OK; c++) {
				const char *v = (const char *)sqlite3_column_text(st, c);
				rc = youth__buf_put(&vals, v ? v : "", strlen(v ? v : "") + 1);
			}
		if (rc == YOUTH_OK && s != SQLITE_DONE)
			rc = youth__sqlite_error(reg->db, s, "reading a merge's journal");
		sqlite3_reset(st);
	}
	for (size_t off = 0; rc == YOUTH_OK && off < vals.len;) {
		const char *field = vals.data + off, *kv = field + strlen(field) + 1,
		           *mv = kv + strlen(kv) + 1;
		off = (size_t)(mv - vals.data) + strlen(mv) + 1;
		char buf[64];
		const char *now = NULL;
		const youth__field *f = youth__rec_find(&youth__kind_person, field);
		if (!f) {
			rc = youth__error(YOUTH_ECORRUPT, "merge_id", "merge %lld: journal names field "
			                  "\"%s\", which person does not have", (long long)merge_id, field);
			break;
		}
		if ((rc = youth__rec_get_field(&now, &youth__kind_person, k, field, buf, sizeof buf)))
			break;
		if (strcmp(youth__nz(now) ? now : "", mv) != 0) {
			rc = youth__error(YOUTH_ERULE, field, "merge %lld: %s of person %lld changed "
			                  "since the merge (now \"%s\", the merge set \"%s\"): set it back "
			                  "or leave the merge", (long long)merge_id, field, (long long)keep,
			                  now ? now : "", mv);
			break;
		}
		rc = youth__rec_set(&youth__kind_person, &back, f, kv);
		changed = true;
	}
	if (rc == YOUTH_OK && changed)
		rc = youth_person_update(reg, &back, YOUTH_PERSON_ALLOW_AGE);
	int64_t alias = 0;
	if (rc == YOUTH_OK && (rc = youth__stmt(reg, "SELECT id FROM person_alias WHERE merge_id = ?",
	                                        &st)) == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, merge_id);
		bool found;
		if ((rc = youth__step_row(reg, st, &found, "reading an alias")) == YOUTH_OK && found) {
			alias = sqlite3_column_int64(st, 0);
			sqlite3_reset(st);
		}
	}
	if (alias)
		rc = run(&w, rc, "person_alias", 'd', alias, "DELETE FROM person_alias WHERE id = ?1",
		         "I", alias);
	/* The merged person back with its own id, UUID and values. */
	youth__buf sql = {0};
	const char *cols;
	if (rc == YOUTH_OK && (rc = person_columns(reg, &cols)) == YOUTH_OK)
		rc = youth__buf_printf(&sql, "INSERT INTO person (%s) SELECT %s FROM person_merged "
		                       "WHERE merge_id = ?", cols, cols);
	if (rc == YOUTH_OK) {
		if (sqlite3_prepare_v2(reg->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
			rc = youth__sqlite_error(reg->db, sqlite3_errcode(reg->db), "unmerging persons");
		} else {
			sqlite3_bind_int64(st, 1, merge_id);
			int s = sqlite3_step(st);
			sqlite3_finalize(st);
			if (s != SQLITE_DONE)
				rc = youth__sqlite_error(reg->db, s, "unmerging persons");
			else if (sqlite3_changes(reg->db) != 1)
				rc = youth__error(YOUTH_ECORRUPT, "merge_id", "merge %lld: the merged person's "
				                  "record is missing from the journal", (long long)merge_id);
			else
				youth__write_row(&w, "person", other, 'c');
		}
	}
	youth__buf_free(&sql);
	int64_t archived = 0;
	if (rc == YOUTH_OK && (rc = youth__stmt(reg, "SELECT rowid FROM person_merged WHERE "
	                                        "merge_id = ?", &st)) == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, merge_id);
		bool found;
		if ((rc = youth__step_row(reg, st, &found, "reading a merge's journal")) == YOUTH_OK &&
		    found) {
			archived = sqlite3_column_int64(st, 0);
			sqlite3_reset(st);
		}
	}
	rc = run(&w, rc, "person_merged", 'd', archived, "DELETE FROM person_merged WHERE rowid = ?1",
	         "I", archived);
	if (rc == YOUTH_OK) {
		youth_person *o = NULL;
		if ((rc = youth_person_get(&o, reg, other)) == YOUTH_OK)
			rc = youth__names_index(reg, other, o->given_names, o->first_surname,
			                        o->second_surname);
		youth_person_free(o);
	}
	/* The rows back where they were. */
	if (rc == YOUTH_OK)
		rc = youth__stmt(reg, "SELECT tbl, row_id FROM person_merge_row WHERE merge_id = ? "
		                 "ORDER BY tbl, row_id", &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, merge_id);
		youth__buf moves = {0};
		int s;
		while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
			int t = owned_index((const char *)sqlite3_column_text(st, 0));
			int64_t row = sqlite3_column_int64(st, 1);
			if (t < 0)
				rc = youth__error(YOUTH_ECORRUPT, "merge_id", "merge %lld: journal names "
				                  "table \"%s\", which a merge does not move",
				                  (long long)merge_id, (const char *)sqlite3_column_text(st, 0));
			else
				rc = youth__buf_printf(&moves, "%d %lld\n", t, (long long)row);
		}
		if (rc == YOUTH_OK && s != SQLITE_DONE)
			rc = youth__sqlite_error(reg->db, s, "reading a merge's journal");
		sqlite3_reset(st);
		for (char *p = moves.data; rc == YOUTH_OK && p && *p;) {
			int t;
			long long row;
			int used = 0;
			if (sscanf(p, "%d %lld\n%n", &t, &row, &used) != 2 || used == 0)
				break;
			p += used;
			char q[160];
			snprintf(q, sizeof q, "UPDATE %s SET person_id = ?2 WHERE id = ?1", owned[t]);
			sqlite3_stmt *u;
			if (sqlite3_prepare_v2(reg->db, q, -1, &u, NULL) != SQLITE_OK) {
				rc = youth__sqlite_error(reg->db, sqlite3_errcode(reg->db), "unmerging persons");
				break;
			}
			sqlite3_bind_int64(u, 1, row);
			sqlite3_bind_int64(u, 2, other);
			s = sqlite3_step(u);
			sqlite3_finalize(u);
			if (s != SQLITE_DONE)
				rc = youth__sqlite_error(reg->db, s, "unmerging persons");
			else
				youth__write_row(&w, owned[t], row, 'u');
		}
		youth__buf_free(&moves);
	}
	char now[32];
	utc_now(now);
	rc = run(&w, rc, "person_merge", 'u', merge_id, "UPDATE person_merge SET state = 2, "
	         "undone_at = ?2 WHERE id = ?1", "It", merge_id, now);
	/* The pair of the two is open again: whoever undid the merge reviews it. */
	int64_t pair = 0;
	if (rc == YOUTH_OK && (rc = pair_of(reg, keep, other, &pair)) == YOUTH_OK && pair)
		rc = run(&w, rc, "duplicate_pair", 'u', pair, "UPDATE duplicate_pair SET state = 1, "
		         "decided_on = NULL, decided_by = NULL, note = NULL WHERE id = ?1", "I", pair);
	youth_person_free(k);
	youth__buf_free(&vals);
	return youth__write_end(&w, rc);
}

/* Prepares @sql with @u, the normal form of @uuid (a valid UUID), bound to ?1. */
static int by_alias(sqlite3_stmt **st, youth_registry *reg, const char *uuid, const char *sql,
                    char u[YOUTH_UUID_LEN + 1])
{
	memcpy(u, uuid, YOUTH_UUID_LEN + 1);
	youth__uuid_norm(u);
	int rc = youth__stmt(reg, sql, st);
	if (rc == YOUTH_OK)
		sqlite3_bind_text(*st, 1, u, -1, SQLITE_TRANSIENT);
	return rc;
}

int youth__alias_of(youth_registry *reg, const char *uuid, int64_t *person_id)
{
	*person_id = 0;
	if (!uuid || strlen(uuid) != YOUTH_UUID_LEN || !youth__uuid_valid(uuid))
		return YOUTH_OK;
	char u[YOUTH_UUID_LEN + 1];
	sqlite3_stmt *st;
	int rc = by_alias(&st, reg, uuid, "SELECT person_id FROM person_alias WHERE uuid = ?", u);
	if (rc)
		return rc;
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW)
		*person_id = sqlite3_column_int64(st, 0);
	else if (s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, "looking up an alias");
	sqlite3_reset(st);
	return rc;
}

int youth_person_alias(int64_t *merge_id, int64_t *person_id, youth_registry *reg,
                       const char *uuid)
{
	if (merge_id)
		*merge_id = 0;
	if (person_id)
		*person_id = 0;
	if (!reg || !uuid)
		return youth__error(YOUTH_EINVAL, NULL, "youth_person_alias: NULL argument");
	char u[YOUTH_UUID_LEN + 1];
	if (!youth__uuid_valid(uuid) || strlen(uuid) != YOUTH_UUID_LEN)
		return youth__error(YOUTH_EINVAL, "uuid", "uuid \"%s\": not a UUID", uuid);
	sqlite3_stmt *st;
	int rc = by_alias(&st, reg, uuid,
	                  "SELECT merge_id, person_id FROM person_alias WHERE uuid = ?", u);
	if (rc)
		return rc;
	bool found;
	if ((rc = youth__step_row(reg, st, &found, "looking up an alias")))
		return rc;
	if (!found)
		return youth__error(YOUTH_ENOTFOUND, "uuid", "uuid %s: no merged person has it", u);
	if (merge_id)
		*merge_id = sqlite3_column_int64(st, 0);
	if (person_id)
		*person_id = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return YOUTH_OK;
}

/* ---- the kind merge and its section --------------------------------------------------------- */

YOUTH__RECORD_FIELD_NAME(youth_merge, youth__kind_merge)
YOUTH__RECORD_GET_FIELD(youth_merge, youth__kind_merge)
YOUTH__RECORD_FREE(youth_merge)
YOUTH__RECORD_ITER(youth_merge)

/* The columns of a merge, in the order of its field table: a get, a list and an export. */
#define MERGE_SELECT                                                                           \
	"SELECT m.id, m.uuid, m.kept_uuid, m.merged_uuid, m.at, m.actor, m.state FROM person_merge m"
static const char SQL_MERGE_BY_ID[] = MERGE_SELECT " WHERE m.id = ?";
static const char SQL_MERGE_LIST[] = MERGE_SELECT " WHERE (?1 = 0 OR m.kept_id = ?1) ORDER BY m.id";

int youth_merge_get(youth_merge **out, youth_registry *reg, int64_t id)
{
	return youth__rec_get(out, reg, &youth__kind_merge, SQL_MERGE_BY_ID, id, "youth_merge_get");
}

YOUTH__RECORD_LIST1(youth_merge, youth__kind_merge, "listing merges", SQL_MERGE_LIST, person_id)

/* The merges in force; an export of part of the registry (a place, a period) carries those
 * whose kept person it carries. */
static const char SQL_MERGE_EXPORT[] =
	MERGE_SELECT " LEFT JOIN person p ON p.id = m.kept_id LEFT JOIN place pl ON pl.id = p.place_id"
	" WHERE m.state = 1 AND " YOUTH__EXPORT_PERSON_IN("p", "pl") " ORDER BY m.id";

/* A merge made elsewhere: done here too when both persons are here; when only the kept one is
 * (the file left the merged person out), its UUID becomes an alias all the same. */
static int import_merge(youth__imp *imp, void *rec, int *done)
{
	youth_merge *m = rec;
	youth_registry *reg = youth__imp_registry(imp);
	int rc;
	if (!youth__uuid_valid(m->uuid))
		return youth__error(YOUTH_EINVAL, "uuid", "uuid: a merge needs its UUID");
	if (!m->kept_uuid || !youth__uuid_valid(m->kept_uuid))
		return youth__error(YOUTH_EINVAL, "kept_uuid", "kept_uuid \"%.40s\": not a UUID",
		                    m->kept_uuid ? m->kept_uuid : "");
	if (!m->merged_uuid || !youth__uuid_valid(m->merged_uuid))
		return youth__error(YOUTH_EINVAL, "merged_uuid", "merged_uuid \"%.40s\": not a UUID",
		                    m->merged_uuid ? m->merged_uuid : "");
	if (m->at && (rc = youth__text_rule("at", m->at, 40, false)))
		return rc;
	if (m->actor && (rc = youth__text_rule("actor", m->actor, 200, false)))
		return rc;
	youth__uuid_norm(m->uuid);
	int64_t id = 0, kept = 0, merged = 0;
	if ((rc = youth__id_by_uuid(reg, "SELECT id FROM person_merge WHERE uuid = ?1", m->uuid, &id)))
		return rc;
	if (id) {
		*done = YOUTH__IMP_UNCHANGED;
		return YOUTH_OK;
	}
	if ((rc = youth__id_by_uuid(reg, "SELECT id FROM person WHERE uuid = ?1", m->kept_uuid, &kept)))
		return rc;
	if (!kept && (rc = youth__alias_of(reg, m->kept_uuid, &kept)))
		return rc;
	if (!kept)
		return youth__error(YOUTH_ENOTFOUND, "kept_uuid", "kept_uuid %s: no such person (neither "
		                    "in the registry nor earlier in the file)", m->kept_uuid);
	if ((rc = youth__id_by_uuid(reg, "SELECT id FROM person WHERE uuid = ?1", m->merged_uuid,
	                            &merged)))
		return rc;
	int64_t already = 0;
	if (!merged && (rc = youth__alias_of(reg, m->merged_uuid, &already)))
		return rc;
	if (!merged && already) {
		*done = YOUTH__IMP_UNCHANGED; /* merged here already, under another merge */
		return YOUTH_OK;
	}
	youth__write w;
	if ((rc = youth__write_begin(&w, reg, "merge persons")))
		return rc;
	int64_t mid = 0;
	if (merged) {
		rc = youth_person_merge(&mid, reg, kept, merged, NULL);
		/* The merge keeps the identity it has everywhere. */
		rc = run(&w, rc, "person_merge", 'u', mid, "UPDATE person_merge SET uuid = ?2, "
		         "at = coalesce(?3, at), actor = ?4 WHERE id = ?1", "Ittt", mid, m->uuid, m->at,
		         m->actor);
	} else {
		char now[32];
		utc_now(now);
		char kuuid[YOUTH_UUID_LEN + 1], ouuid[YOUTH_UUID_LEN + 1];
		rc = person_uuid(reg, kept, kuuid);
		snprintf(ouuid, sizeof ouuid, "%s", m->merged_uuid);
		youth__uuid_norm(ouuid);
		rc = run(&w, rc, "person_merge", 'c', 0, "INSERT INTO person_merge (uuid, kept_id, "
		         "kept_uuid, merged_id, merged_uuid, at, actor, state) VALUES (?1, ?2, ?3, 0, ?4, "
		         "?5, ?6, 1)", "tIttt" "t", m->uuid, kept, kuuid, ouuid, m->at ? m->at : now,
		         m->actor);
		mid = rc == YOUTH_OK ? sqlite3_last_insert_rowid(reg->db) : 0;
		rc = run(&w, rc, "person_alias", 'c', 0, "INSERT INTO person_alias (uuid, person_id, "
		         "merge_id) VALUES (?1, ?2, ?3)", "tII", ouuid, kept, mid);
	}
	rc = youth__write_end(&w, rc);
	if (rc == YOUTH_OK)
		*done = YOUTH__IMP_ADDED;
	return rc;
}

YOUTH__SECTION(merges, "merge", YOUTH_KIND_PERSONS, youth__kind_merge,
               .export_sql = SQL_MERGE_EXPORT, .import = import_merge);
