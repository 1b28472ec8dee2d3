/*
 * Field descriptors: one table per kind of record gives each field's public name, type,
 * position in the public struct and vocabulary.  From it come the text interface
 * (set/get a field by name: CLI options, YAML keys, Python dicts) and the copy of a database
 * row into a one-block record.  The *rules* of a kind stay in its module; this file only
 * converts between text and typed members.
 */
#include "private.h"

#include <stdarg.h>

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

const youth__field *youth__rec_find(const youth__kind *k, const char *name)
{
	for (size_t i = 0; name && i < k->n_fields; i++)
		if (strcmp(k->fields[i].name, name) == 0)
			return &k->fields[i];
	return NULL;
}

const char *youth__rec_field_name(const youth__kind *k, size_t index)
{
	return index < k->n_fields ? k->fields[index].name : NULL;
}

const char *youth__vocab_at(const char *const *names, int n, int v)
{
	return v >= 0 && v < n ? names[v] : NULL;
}

const char *youth__vocab_name(const youth__field *f, int v)
{
	return youth__vocab_at(f->vocabulary, f->n_vocabulary, v);
}

#define AT(p, f, T) ((T *)((char *)(p) + (f)->offset))

/* What an `int` member holds when unset: -1 for an optional count (0 is a count), else 0. */
static int unset_int(const youth__field *f)
{
	return f->type == YF_COUNT && (f->flags & YOUTH_FIELD_OPTIONAL) ? -1 : 0;
}
#define CAT(p, f, T) ((const T *)((const char *)(p) + (f)->offset))

int youth__money_parse(const char *text, int64_t *out)
{
	const char *p = text;
	if (*p == '-')
		return YOUTH_ERANGE_NEGATIVE;
	int64_t units = 0, cents = 0;
	int digits = 0, significant = 0, decimals = -1;
	for (; *p; p++) {
		if (*p == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return YOUTH_EINVAL;
		if (decimals >= 0) {
			if (++decimals > 2)
				return YOUTH_EINVAL;
			cents = cents * 10 + (*p - '0');
		} else {
			digits++;
			if (significant || *p != '0') /* leading zeros do not count */
				significant++;
			if (significant <= 12)
				units = units * 10 + (*p - '0');
		}
	}
	if (digits == 0 || decimals == 0)
		return YOUTH_EINVAL;
	if (significant > 12) /* well formed, above 999 999 999 999.99 */
		return YOUTH_ERANGE_LARGE;
	if (decimals == 1)
		cents *= 10;
	*out = units * 100 + cents;
	return YOUTH_OK;
}

void youth__money_format(int64_t cents, char *buf, size_t size)
{
	const char *sign = cents < 0 ? "-" : "";
	uint64_t v = cents < 0 ? (uint64_t)(-(cents + 1)) + 1 : (uint64_t)cents;
	snprintf(buf, size, "%s%llu.%02llu", sign, (unsigned long long)(v / 100),
	         (unsigned long long)(v % 100));
}

static int vocab_error(const youth__field *f, const char *text)
{
	char known[240] = "";
	for (int v = 0; v < f->n_vocabulary; v++)
		if (f->vocabulary[v])
			snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
			         known[0] ? ", " : "", f->vocabulary[v]);
	return youth__error(YOUTH_EINVAL, f->name, "%s \"%.40s\": not one of %s", f->name, text,
	                    known);
}

int youth__rec_set_field(const youth__kind *k, void *rec, const char *name, const char *text)
{
	if (!rec || !name)
		return youth__error(YOUTH_EINVAL, NULL, "set_field: NULL argument");
	const youth__field *f = youth__rec_find(k, name);
	if (!f)
		return youth__error(YOUTH_EINVAL, name, "%.40s: not a %s field", name, k->label);
	return youth__rec_set(k, rec, f, text);
}

int youth__rec_set(const youth__kind *k, void *rec, const youth__field *f, const char *text)
{
	const char *name = f->name;
	(void)k;
	if (f->flags & YOUTH__F_READONLY)
		return youth__error(YOUTH_EINVAL, name, "%s: set by the library, not by callers", name);
	bool unset = !text || !*text;
	long long v = 0;
	switch (f->type) {
	case YF_ID:
	case YF_REF:
		if (!unset && youth__parse_int(text, 1, INT64_MAX, &v))
			return youth__error(YOUTH_EINVAL, name, "%s \"%.30s\": not a record id (a positive "
			                    "integer)", name, text);
		*AT(rec, f, int64_t) = v;
		return YOUTH_OK;
	case YF_UUID: {
		char *u = AT(rec, f, char);
		if (unset) {
			u[0] = '\0';
			return YOUTH_OK;
		}
		if (!youth__uuid_valid(text))
			return youth__error(YOUTH_EINVAL, name, "%s \"%.40s\": not a UUID", name, text);
		memcpy(u, text, YOUTH_UUID_LEN + 1);
		youth__uuid_norm(u);
		return YOUTH_OK;
	}
	case YF_TEXT:
	case YF_DATE:
		*AT(rec, f, const char *) = unset ? NULL : text;
		return YOUTH_OK;
	case YF_ENUM:
		if (unset) {
			*AT(rec, f, int) = 0;
			return YOUTH_OK;
		}
		for (int e = 0; e < f->n_vocabulary; e++)
			if (f->vocabulary[e] && strcmp(f->vocabulary[e], text) == 0) {
				*AT(rec, f, int) = e;
				return YOUTH_OK;
			}
		return vocab_error(f, text);
	case YF_BOOL: {
		int b = 0;
		if (!unset && youth__parse_bool(text, &b))
			return youth__error(YOUTH_EINVAL, name, "%s \"%.40s\": expected true or false", name,
			                    text);
		*AT(rec, f, int) = b;
		return YOUTH_OK;
	}
	case YF_INT:
	case YF_COUNT:
		if (!unset && youth__parse_int(text, -1000000000, 1000000000, &v))
			return youth__error(YOUTH_EINVAL, name, "%s \"%.40s\": not a whole number", name,
			                    text);
		*AT(rec, f, int) = unset ? unset_int(f) : (int)v;
		return YOUTH_OK;
	case YF_MONEY: {
		int64_t cents = 0;
		int rc = unset ? YOUTH_OK : youth__money_parse(text, &cents);
		if (rc == YOUTH_ERANGE_NEGATIVE)
			return youth__error(YOUTH_EINVAL, name, "%s \"%.40s\": money cannot be negative",
			                    name, text);
		if (rc == YOUTH_ERANGE_LARGE)
			return youth__error(YOUTH_EINVAL, name, "%s \"%.40s\": too large (at most "
			                    "999999999999.99)", name, text);
		if (rc)
			return youth__error(YOUTH_EINVAL, name,
			                    "%s \"%.40s\": not an amount of money (e.g. 125.50)", name, text);
		*AT(rec, f, int64_t) = cents;
		return YOUTH_OK;
	}
	}
	return youth__error(YOUTH_ERROR, name, "internal: field type %d", (int)f->type);
}

int youth__rec_get_field(const char **out, const youth__kind *k, const void *rec, const char *name,
                         char *buf, size_t size)
{
	if (out)
		*out = NULL;
	if (!rec || !name || !out || !buf)
		return youth__error(YOUTH_EINVAL, NULL, "get_field: NULL argument");
	const youth__field *f = youth__rec_find(k, name);
	if (!f)
		return youth__error(YOUTH_EINVAL, name, "%.40s: not a %s field", name, k->label);
	if (size < 32)
		return youth__error(YOUTH_EINVAL, NULL, "get_field: buffer under 32 bytes");
	switch (f->type) {
	case YF_ID:
	case YF_REF: {
		int64_t v = *CAT(rec, f, int64_t);
		if (v) {
			snprintf(buf, size, "%lld", (long long)v);
			*out = buf;
		}
		break;
	}
	case YF_UUID: {
		const char *u = CAT(rec, f, char);
		if (u[0])
			*out = u;
		break;
	}
	case YF_TEXT:
	case YF_DATE:
		*out = *CAT(rec, f, char *);
		break;
	case YF_ENUM: {
		/* Value 0 is the "unset" state of every vocabulary. */
		int v = *CAT(rec, f, int);
		if (v != 0) {
			const char *s = youth__vocab_name(f, v);
			if (!s)
				snprintf(buf, size, "%d", v);
			*out = s ? s : buf;
		}
		break;
	}
	case YF_BOOL:
		*out = *CAT(rec, f, int) ? "true" : "false";
		break;
	case YF_INT: {
		int v = *CAT(rec, f, int);
		if (v) {
			snprintf(buf, size, "%d", v);
			*out = buf;
		}
		break;
	}
	case YF_COUNT: { /* 0 is a count, not an unset field */
		int v = *CAT(rec, f, int);
		if (v >= 0 || !(f->flags & YOUTH_FIELD_OPTIONAL)) {
			snprintf(buf, size, "%d", v);
			*out = buf;
		}
		break;
	}
	case YF_MONEY: {
		int64_t v = *CAT(rec, f, int64_t);
		if (v != 0 || !(f->flags & YOUTH_FIELD_OPTIONAL)) {
			youth__money_format(v, buf, size);
			*out = buf;
		}
		break;
	}
	}
	return YOUTH_OK;
}

int youth__col_copy(youth__buf *b, sqlite3_stmt *st, int col, size_t *off)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	if (!t) {
		*off = 0;
		return YOUTH_OK;
	}
	*off = b->len + 1;
	return youth__buf_put(b, (const char *)t, (size_t)sqlite3_column_bytes(st, col) + 1);
}

int youth__rec_from_row(const youth__kind *k, sqlite3_stmt *st, youth__buf *b)
{
	size_t head = (k->struct_size + 15) & ~(size_t)15;
	b->len = 0;
	int rc = youth__buf_grow(b, head + 256);
	if (rc)
		return rc;
	memset(b->data, 0, head);
	b->len = head;
	/* Strings are copied first and pointed to afterwards: the buffer moves as it grows. */
	size_t offs[YOUTH__MAX_FIELDS] = {0};
	for (size_t i = 0; i < k->n_fields && rc == YOUTH_OK; i++)
		if (k->fields[i].type == YF_TEXT || k->fields[i].type == YF_DATE)
			rc = youth__col_copy(b, st, (int)i, &offs[i]);
	if (rc)
		return rc;
	void *rec = b->data;
	for (size_t i = 0; i < k->n_fields; i++) {
		const youth__field *f = &k->fields[i];
		int col = (int)i;
		switch (f->type) {
		case YF_ID:
		case YF_REF:
		case YF_MONEY:
			*AT(rec, f, int64_t) = sqlite3_column_int64(st, col);
			break;
		case YF_UUID: {
			const unsigned char *u = sqlite3_column_text(st, col);
			snprintf(AT(rec, f, char), YOUTH_UUID_LEN + 1, "%s", u ? (const char *)u : "");
			break;
		}
		case YF_TEXT:
		case YF_DATE:
			*AT(rec, f, const char *) = offs[i] ? b->data + offs[i] - 1 : NULL;
			break;
		case YF_ENUM:
		case YF_BOOL:
		case YF_INT:
		case YF_COUNT:
			*AT(rec, f, int) = sqlite3_column_type(st, col) == SQLITE_NULL
			                       ? unset_int(f)
			                       : sqlite3_column_int(st, col);
			break;
		}
	}
	return YOUTH_OK;
}

bool youth__rec_same(const youth__kind *k, const void *a, const void *b)
{
	char ba[64], bb[64];
	for (size_t i = 0; i < k->n_fields; i++) {
		const youth__field *f = &k->fields[i];
		if (f->type == YF_ID)
			continue;
		const char *ta, *tb;
		if (youth__rec_get_field(&ta, k, a, f->name, ba, sizeof ba) ||
		    youth__rec_get_field(&tb, k, b, f->name, bb, sizeof bb))
			return false;
		if (!ta || !tb ? ta != tb : strcmp(ta, tb) != 0)
			return false;
	}
	return true;
}

/* ---- iterators ------------------------------------------------------------------------ */

int youth__iter_open(youth__iter *it, youth_registry *reg, const youth__kind *k, const char *what,
                     const char *sql, int n, const int64_t *values)
{
	it->kind = k;
	it->what = what;
	int s = sqlite3_prepare_v2(reg->db, sql, -1, &it->st, NULL);
	if (s != SQLITE_OK)
		return youth__sqlite_error(reg->db, s, what);
	for (int i = 0; i < n; i++)
		sqlite3_bind_int64(it->st, i + 1, values[i]);
	return YOUTH_OK;
}

int youth__iter_next(void *out, youth__iter *it)
{
	int rc = youth__iter_step(it);
	if (rc == YOUTH_OK)
		rc = youth__rec_from_row(it->kind, it->st, &it->row);
	if (rc)
		return rc;
	memcpy(out, &it->row.data, sizeof it->row.data);
	return YOUTH_OK;
}

void youth__iter_clear(youth__iter *it)
{
	sqlite3_finalize(it->st);
	it->st = NULL;
	youth__buf_free(&it->row);
}

/* ---- shared checks and one-row reads ---------------------------------------------------- */

int youth__ref_rule(const char *name, int64_t v)
{
	if (v == 0)
		return youth__error(YOUTH_EINVAL, name, "%s: missing (required)", name);
	if (v < 0)
		return youth__error(YOUTH_EINVAL, name, "%s %lld: not a record id", name, (long long)v);
	return YOUTH_OK;
}

int youth__id_rule(int64_t id, const char *what)
{
	if (id <= 0)
		return youth__error(YOUTH_EINVAL, "id", "%s id %lld: not a valid id", what,
		                    (long long)id);
	return YOUTH_OK;
}

int youth__step_row(youth_registry *reg, sqlite3_stmt *st, bool *found, const char *what)
{
	int s = sqlite3_step(st);
	*found = s == SQLITE_ROW;
	if (s == SQLITE_ROW || s == SQLITE_DONE)
		return YOUTH_OK;
	int rc = youth__sqlite_error(reg->db, s, what);
	sqlite3_reset(st);
	return rc;
}

int youth__rec_get_one(void *out, youth_registry *reg, const youth__kind *k, sqlite3_stmt *st,
                       const char *what)
{
	int s = sqlite3_step(st);
	int rc;
	if (s == SQLITE_ROW) {
		youth__buf b = {0};
		rc = youth__rec_from_row(k, st, &b);
		if (rc == YOUTH_OK)
			memcpy(out, &b.data, sizeof b.data);
		else
			youth__buf_free(&b);
	} else if (s == SQLITE_DONE) {
		rc = YOUTH_ENOTFOUND; /* the caller words the message */
	} else {
		rc = youth__sqlite_error(reg->db, s, what);
	}
	sqlite3_reset(st);
	return rc;
}

/* ---- generic get and iterate -------------------------------------------------------------- */

int youth__rec_get(void *out, youth_registry *reg, const youth__kind *k, const char *sql,
                   int64_t id, const char *fn)
{
	if (out)
		memset(out, 0, sizeof(void *));
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL argument", fn);
	youth__kinds_sql(); /* @sql may be a youth__by_id() text */
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, sql, &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = youth__rec_get_one(out, reg, k, st, fn);
	if (rc == YOUTH_ENOTFOUND)
		rc = youth__error(YOUTH_ENOTFOUND, "id", "%s %lld: no such %s", k->label, (long long)id,
		                  k->label);
	return rc;
}

int youth__rec_iter_new(void *out, youth_registry *reg, const youth__kind *k, const char *what,
                        const char *sql, int n, const int64_t *values)
{
	youth__iter *it = youth__calloc(1, sizeof *it);
	if (!it)
		return youth__oom();
	int rc = youth__iter_open(it, reg, k, what, sql, n, values);
	if (rc) {
		youth__iter_clear(it);
		youth__free(it);
		return rc;
	}
	memcpy(out, &it, sizeof it);
	return YOUTH_OK;
}

/* ---- the published description (youth/kind.h) ------------------------------------------ */

const youth_field_info *youth_kind_field(const youth_kind_info *kind, const char *name)
{
	return kind ? youth__rec_find(kind, name) : NULL;
}

const char *youth_field_type_name(youth_field_type type)
{
	static const char *const names[] = {NULL,   "id",   "uuid", "text",  "date", "enum",
	                                    "bool", "int",  "money", "ref",  "count"};
	return (int)type > 0 && (size_t)type < YOUTH__N_OF(names) ? names[type] : NULL;
}

void youth_record_init(const youth_kind_info *kind, void *rec)
{
	if (!kind || !rec)
		return;
	memset(rec, 0, kind->struct_size);
	for (size_t i = 0; i < kind->n_fields; i++) {
		const youth__field *f = &kind->fields[i];
		if (f->flags & YOUTH_FIELD_DEFAULT_ON)
			*AT(rec, f, int) = 1;
		else if (f->type == YF_COUNT)
			*AT(rec, f, int) = unset_int(f);
	}
}

int youth_record_set_field(const youth_kind_info *kind, void *rec, const char *field,
                           const char *text)
{
	if (!kind)
		return youth__error(YOUTH_EINVAL, NULL, "youth_record_set_field: NULL kind");
	return youth__rec_set_field(kind, rec, field, text);
}

int youth_record_get_field(const char **out, const youth_kind_info *kind, const void *rec,
                           const char *field, char *buf, size_t size)
{
	if (!kind) {
		if (out)
			*out = NULL;
		return youth__error(YOUTH_EINVAL, NULL, "youth_record_get_field: NULL kind");
	}
	return youth__rec_get_field(out, kind, rec, field, buf, size);
}

/* ---- shared helpers (records-a) -------------------------------------------------------- */

int youth__rec_get_text(void *out, youth_registry *reg, const youth__kind *k, const char *sql,
                        const char *key, const char *fn, const char *field)
{
	if (out)
		memset(out, 0, sizeof(void *));
	if (!out || !reg || !key)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL argument", fn);
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, sql, &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = youth__rec_get_one(out, reg, k, st, fn);
	if (rc == YOUTH_ENOTFOUND && field)
		rc = youth__error(YOUTH_ENOTFOUND, field, "%s \"%.40s\": no such %s", k->label, key,
		                  k->label);
	return rc;
}

void youth__bind_id(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int youth__iter_step(youth__iter *it)
{
	if (it->done)
		return YOUTH_ITEROVER;
	int s = sqlite3_step(it->st);
	if (s == SQLITE_ROW)
		return YOUTH_OK;
	it->done = true; /* after SQLITE_DONE, stepping again would restart the query */
	if (s == SQLITE_DONE)
		return YOUTH_ITEROVER;
	return youth__sqlite_error(sqlite3_db_handle(it->st), s, it->what);
}

int youth__bind_copy(sqlite3_stmt *st, int i, const char *s)
{
	int r = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
	return r == SQLITE_OK ? YOUTH_OK : youth__oom();
}

int youth__row_by_id(youth_registry *reg, const char *sql, int64_t id, const char *field,
                     const char *what, sqlite3_stmt **row)
{
	sqlite3_stmt *st;
	bool found = false;
	youth__kinds_sql(); /* @sql may be a youth__by_id() text */
	int rc = youth__stmt(reg, sql, &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, id);
		rc = youth__step_row(reg, st, &found, what);
	}
	if (rc)
		return rc;
	if (found && row) {
		*row = st;
		return YOUTH_OK;
	}
	sqlite3_reset(st);
	return found ? YOUTH_OK
	             : youth__error(YOUTH_ENOTFOUND, field, "%s %lld: no such %s", field,
	                            (long long)id, what);
}

/* ---- one column of a look-up ------------------------------------------------------------ */

void youth__col_text(sqlite3_stmt *st, int col, char *out, size_t size)
{
	if (!size)
		return;
	/* memcpy, not snprintf: an import runs this five times a service record (rules.c), and
	 * snprintf's format machinery was a quarter of the eligibility check's instructions. */
	const unsigned char *t = sqlite3_column_text(st, col);
	youth__text_copy(out, size, (const char *)t, t ? (size_t)sqlite3_column_bytes(st, col) : 0);
}

/* ---- filtered listings ------------------------------------------------------------------- */

int youth__rec_list(void *out, youth_registry *reg, const youth__listing *l, const int64_t *ids)
{
	if (out)
		memset(out, 0, sizeof(void *));
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL argument", l->fn);
	for (int i = 0; i < l->n; i++)
		if (ids[i] < 0)
			return youth__error(YOUTH_EINVAL, l->filters[i], "%s %lld: not a record id",
			                    l->filters[i], (long long)ids[i]);
	return youth__rec_iter_new(out, reg, l->kind, l->what, l->sql, l->n, ids);
}

/* ---- the write of one record ------------------------------------------------------------ */

/* The search stops at the second key, so a long table costs nothing more. */
void youth__rec_set_key(const youth__kind *k, void *rec, int64_t id, const char *uuid)
{
	for (size_t i = 0, set = 0; i < k->n_fields && set < 2; i++) {
		const youth__field *f = &k->fields[i];
		if (f->type == YF_ID) {
			*AT(rec, f, int64_t) = id;
			set++;
		} else if (f->type == YF_UUID) {
			memcpy(AT(rec, f, char), uuid, YOUTH_UUID_LEN + 1);
			set++;
		}
	}
}

/* A write without savepoint (youth__put.after_appends) whose @after hook failed with @rc: the
 * record's row is deleted again, and the table's triggers take what the hook appended.  After
 * an I/O error or out of memory SQLite may have rolled back the whole transaction already;
 * if the delete fails too, the transaction is rolled back rather than left holding half a
 * record, and the message says so. */
static int undo_row(youth__write *w, const youth__put *p, int64_t id, int rc)
{
	youth_registry *reg = w->reg;
	if (sqlite3_get_autocommit(reg->db))
		return rc;
	char sql[128];
	snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = ?1", p->table);
	sqlite3_stmt *st = NULL;
	int s = sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL);
	if (s == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		s = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (s != SQLITE_DONE && !sqlite3_get_autocommit(reg->db)) {
		sqlite3_exec(reg->db, "ROLLBACK", NULL, NULL, NULL);
		youth__error_prefix("%s: the call could not be undone alone, so the whole "
		                    "transaction was rolled back", w->op);
	}
	return rc;
}

/* Inside the open write @w: @p's checks, then its statement with the key (the new @uuid, or
 * *@id) bound; words a UNIQUE failure and counts the row written. */
static int put_row(youth__write *w, const youth__put *p, const void *rec, void *ctx,
                   const char *uuid, int64_t *id, char action)
{
	youth_registry *reg = w->reg;
	sqlite3_stmt *st;
	const char *sql = p->sql;
	int key = p->key_param, first = p->sql ? p->first : 1;
	int rc = p->check ? p->check(reg, rec, ctx, *id) : YOUTH_OK;
	if (rc == YOUTH_OK && !sql)
		rc = youth__put_sql(p, action, &sql, &key);
	if (rc == YOUTH_OK)
		rc = youth__stmt(reg, sql, &st);
	if (rc == YOUTH_OK && p->fields)
		rc = youth__rec_bind(st, first, p->fields, rec);
	if (rc)
		return rc;
	if (p->ctx_id_param)
		youth__bind_id(st, p->ctx_id_param, *(const int64_t *)ctx);
	if (p->bind)
		p->bind(st, rec, ctx);
	if (action == 'c')
		sqlite3_bind_text(st, key, uuid, YOUTH_UUID_LEN, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, key, *id);
	rc = youth__step_done(reg, st, p->what);
	if (rc == YOUTH_EEXISTS)
		rc = p->conflict ? p->conflict(reg, rec, ctx, uuid)
		                 : youth__unique_error(reg, p, rec, uuid);
	if (rc)
		return rc;
	if (action == 'c')
		*id = sqlite3_last_insert_rowid(reg->db);
	youth__write_row(w, p->table, *id, action);
	if (!p->after)
		return YOUTH_OK;
	if (!(p->after_appends && w->one))
		return p->after(w, rec, ctx, *id);
	reg->one_tail = true;
	rc = p->after(w, rec, ctx, *id);
	reg->one_tail = false;
	return rc ? undo_row(w, p, *id, rc) : YOUTH_OK;
}

int youth__rec_insert(youth_registry *reg, const youth__put *p, void *rec, void *ctx,
                      char uuid[YOUTH_UUID_LEN + 1])
{
	int rc = uuid[0] ? YOUTH_OK : youth__uuid_new(uuid);
	youth__write w;
	if (rc || (rc = p->one || p->after_appends ? youth__write_begin_one(&w, reg, p->op)
	                       : youth__write_begin(&w, reg, p->op)))
		return rc;
	int64_t id = 0;
	rc = youth__write_end(&w, put_row(&w, p, rec, ctx, uuid, &id, 'c'));
	if (rc == YOUTH_OK)
		youth__rec_set_key(p->kind, rec, id, uuid);
	/* The exchange the checks resolved (the recording operator's) is the record's read-only
	 * exchange_id: the caller's record gets it back, as a get would give it. */
	const youth__field *ex = p->ctx_id_param ? youth__rec_find(p->kind, "exchange_id") : NULL;
	if (rc == YOUTH_OK && ex && (ex->flags & YOUTH__F_READONLY))
		*AT(rec, ex, int64_t) = *(const int64_t *)ctx;
	return rc;
}

int youth__rec_rules(const youth__kind *k, const void *rec, char uuid[YOUTH_UUID_LEN + 1])
{
	int rc = YOUTH_OK;
	uuid[0] = '\0';
	for (size_t i = 0; i < k->n_fields && rc == YOUTH_OK; i++) {
		const youth__field *f = &k->fields[i];
		bool req = f->flags & YOUTH_FIELD_REQUIRED;
		if (f->flags & YOUTH__F_READONLY)
			continue;
		switch (f->type) {
		case YF_UUID:
			rc = youth__uuid_rule(CAT(rec, f, char), uuid);
			break;
		case YF_REF:
			if (req)
				rc = youth__ref_rule(f->name, *CAT(rec, f, int64_t));
			break;
		case YF_TEXT:
			if (f->max_bytes && (f->flags & YOUTH_FIELD_CODE))
				rc = youth__code_rule(f->name, *CAT(rec, f, const char *), f->max_bytes);
			else if (f->max_bytes)
				rc = youth__text_rule(f->name, *CAT(rec, f, const char *), f->max_bytes, req);
			break;
		case YF_BOOL: {
			int v = *CAT(rec, f, int);
			if (v != 0 && v != 1)
				rc = youth__error(YOUTH_EINVAL, f->name, "%s %d: must be 0 or 1", f->name, v);
			break;
		}
		case YF_MONEY: {
			int64_t v = *CAT(rec, f, int64_t);
			if (req ? v <= 0 : v < 0) {
				char m[32];
				youth__money_format(v, m, sizeof m);
				rc = youth__error(YOUTH_EINVAL, f->name, req ? "%s %s: must be more than 0.00"
				                  : "%s %s: money cannot be negative", f->name, m);
			}
			break;
		}
		case YF_DATE:
			if (f->flags & YOUTH_FIELD_PAST)
				rc = youth__past_date_rule(*CAT(rec, f, const char *), f->name);
			else if (req)
				rc = youth_date_check(*CAT(rec, f, const char *), f->name);
			break;
		default:
			break;
		}
	}
	return rc;
}

int youth__write_stmt(youth__write *w, int rc, const char *sql, const char *what,
                      const char *table, int64_t id, char action, const char *binds, ...)
{
	sqlite3_stmt *st;
	if (rc != YOUTH_OK || (rc = youth__stmt(w->reg, sql, &st)) != YOUTH_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	va_list ap;
	va_start(ap, binds);
	for (int i = 0; binds[i]; i++) {
		if (binds[i] == 'i')
			sqlite3_bind_int(st, i + 2, va_arg(ap, int));
		else if (binds[i] == 'I')
			sqlite3_bind_int64(st, i + 2, va_arg(ap, int64_t));
		else
			youth__bind_text(st, i + 2, va_arg(ap, const char *));
	}
	va_end(ap);
	if ((rc = youth__step_done(w->reg, st, what)) == YOUTH_OK)
		youth__write_row(w, table, id, action);
	return rc;
}

int youth__rec_add(youth_registry *reg, const youth__put *p, void *rec, void *ctx)
{
	if (!reg || !rec)
		return youth__null_arg(p->fn, reg, p->kind->label);
	char uuid[YOUTH_UUID_LEN + 1];
	int rc = youth__rec_rules(p->kind, rec, uuid);
	if (rc == YOUTH_OK && p->prepare)
		rc = p->prepare(reg, rec, ctx);
	return rc ? rc : youth__rec_insert(reg, p, rec, ctx, uuid);
}

int youth__rec_change(youth_registry *reg, const youth__put *p, const void *rec, void *ctx)
{
	if (!reg || !rec)
		return youth__null_arg(p->fn, reg, p->kind->label);
	/* Field 0 of every stored kind is its key (YOUTH__KEYS). */
	int64_t id = *CAT(rec, &p->kind->fields[0], int64_t);
	char uuid[YOUTH_UUID_LEN + 1];
	int rc = youth__id_rule(id, p->kind->label);
	if (rc == YOUTH_OK)
		rc = youth__rec_rules(p->kind, rec, uuid);
	if (rc == YOUTH_OK && p->prepare)
		rc = p->prepare(reg, rec, ctx);
	return rc ? rc : youth__rec_update(reg, p, rec, ctx, id, p->uuid_sql ? uuid : "");
}

const char *youth__rec_uuid(const youth__kind *k, const void *rec)
{
	for (size_t i = 0; i < k->n_fields; i++)
		if (k->fields[i].type == YF_UUID)
			return CAT(rec, &k->fields[i], char);
	return "";
}

int youth__uuid_kept(const char *given, const char *stored, const char *what, int64_t id)
{
	if (!given || !given[0] || strcmp(given, stored) == 0)
		return YOUTH_OK;
	return youth__error(YOUTH_EINVAL, "uuid", "uuid %s: %s %lld has uuid %s; a uuid never changes",
	                    given, what, (long long)id, stored);
}

/* Inside the write: record @id exists ("<label> <id>: no such <label>", as youth__rec_get
 * words it) and keeps its uuid; *stored receives it. */
static int keep_uuid(youth_registry *reg, const youth__put *p, int64_t id, const char *given,
                     char stored[YOUTH_UUID_LEN + 1])
{
	sqlite3_stmt *st;
	bool found = false;
	int rc = youth__stmt(reg, p->uuid_sql, &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, id);
		rc = youth__step_row(reg, st, &found, p->what);
	}
	if (rc)
		return rc;
	if (found)
		youth__col_text(st, 0, stored, YOUTH_UUID_LEN + 1);
	sqlite3_reset(st);
	if (!found)
		return youth__error(YOUTH_ENOTFOUND, "id", "%s %lld: no such %s", p->kind->label,
		                    (long long)id, p->kind->label);
	return youth__uuid_kept(given, stored, p->kind->label, id);
}

int youth__rec_update(youth_registry *reg, const youth__put *p, const void *rec, void *ctx,
                      int64_t id, const char *uuid)
{
	youth__write w;
	int rc = p->one ? youth__write_begin_one(&w, reg, p->op) : youth__write_begin(&w, reg, p->op);
	if (rc)
		return rc;
	char stored[YOUTH_UUID_LEN + 1];
	if (p->uuid_sql && (rc = keep_uuid(reg, p, id, uuid, stored)))
		return youth__write_end(&w, rc);
	return youth__write_end(&w, put_row(&w, p, rec, ctx, p->uuid_sql ? stored : uuid, &id, 'u'));
}

/* ---- binding fields by name ------------------------------------------------------------- */

/* Looks the names of @b up in its kind into @f (NULL for an "@column" the module binds; a
 * "column=SQL" takes no parameter; "column:field" is the field); the number of parameters, or
 * -1 for an unknown name. */
static int resolve(const youth__binding *b, const youth__field **f)
{
	int n = 0;
	for (const char *p = b->names; *p && n < YOUTH__MAX_BIND;) {
		const char *end = strchr(p, ',');
		size_t all = end ? (size_t)(end - p) : strlen(p);
		bool value = memchr(p, '=', all) != NULL;
		const char *colon = value ? NULL : memchr(p, ':', all);
		const char *name = colon ? colon + 1 : p;
		size_t len = all - (size_t)(name - p);
		const youth__field *hit = NULL;
		for (size_t i = 0; i < b->kind->n_fields && !hit; i++)
			if (strncmp(b->kind->fields[i].name, name, len) == 0 &&
			    b->kind->fields[i].name[len] == '\0')
				hit = &b->kind->fields[i];
		if (!hit && *p != '@' && !value)
			return -1;
		if (!value)
			f[n++] = hit;
		p = end ? end + 1 : p + all;
	}
	return n;
}

int youth__rec_bind(sqlite3_stmt *st, int first, youth__binding *b, const void *rec)
{
	const youth__field *mine[YOUTH__MAX_BIND], *const *f = b->f;
	int n;
	if (atomic_load_explicit(&b->state, memory_order_acquire) == 2) {
		n = b->n;
	} else {
		/* First use (or another thread's first use still running): look the names up here;
		 * the one thread that claims the binding stores them for every later call. */
		if ((n = resolve(b, mine)) < 0)
			return youth__error(YOUTH_ERROR, NULL, "internal: \"%s\" names a field %s lacks",
			                    b->names, b->kind->label);
		f = mine;
		int idle = 0;
		if (atomic_compare_exchange_strong(&b->state, &idle, 1)) {
			memcpy(b->f, mine, sizeof mine);
			b->n = n;
			atomic_store_explicit(&b->state, 2, memory_order_release);
		}
	}
	for (int i = 0; i < n; i++) {
		int at = first + i;
		if (!f[i])
			continue;
		switch (f[i]->type) {
		case YF_TEXT:
		case YF_DATE:
			youth__bind_text(st, at, youth__nz(*CAT(rec, f[i], char *)));
			break;
		case YF_REF:
			youth__bind_id(st, at, *CAT(rec, f[i], int64_t));
			break;
		case YF_MONEY: /* optional money is unset at 0, stored NULL */
			if (f[i]->flags & YOUTH_FIELD_OPTIONAL) {
				youth__bind_id(st, at, *CAT(rec, f[i], int64_t));
				break;
			}
			/* fall through */
		case YF_ID:
			sqlite3_bind_int64(st, at, *CAT(rec, f[i], int64_t));
			break;
		case YF_UUID:
			youth__bind_text(st, at, youth__nz(CAT(rec, f[i], char)));
			break;
		case YF_ENUM:
		case YF_BOOL:
		case YF_INT:
		case YF_COUNT: {
			int v = *CAT(rec, f[i], int);
			if (v == unset_int(f[i]) && (f[i]->flags & YOUTH_FIELD_OPTIONAL))
				sqlite3_bind_null(st, at);
			else
				sqlite3_bind_int(st, at, v);
			break;
		}
		}
	}
	return YOUTH_OK;
}

/* ---- ids of a query (libdups) ------------------------------------------------------------- */

int youth__ids(int64_t **out, size_t *n, youth_registry *reg, sqlite3_stmt *st, const char *what)
{
	youth__buf b = {0};
	int rc = YOUTH_OK, s = SQLITE_DONE;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t v = sqlite3_column_int64(st, 0);
		rc = youth__buf_put(&b, (const char *)&v, sizeof v);
	}
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, what);
	if (rc)
		youth__buf_free(&b);
	/* The buffer's block comes from malloc: aligned for any type. */
	*out = (int64_t *)(void *)b.data;
	*n = b.len / sizeof(int64_t);
	return rc;
}

int youth__stmt_by_key(sqlite3_stmt **st, youth_registry *reg, int64_t id, const char *uuid,
                       const char *by_id, const char *by_uuid)
{
	int rc = youth__stmt(reg, id ? by_id : by_uuid, st);
	if (rc == YOUTH_OK && id)
		sqlite3_bind_int64(*st, 1, id);
	else if (rc == YOUTH_OK)
		sqlite3_bind_text(*st, 2, uuid, -1, SQLITE_STATIC);
	return rc;
}

int youth__row_ints(int64_t *cols, int n, bool *found, youth_registry *reg, sqlite3_stmt *st,
                    const char *what)
{
	int rc = youth__step_row(reg, st, found, what);
	for (int i = 0; i < n; i++)
		cols[i] = rc == YOUTH_OK && *found ? sqlite3_column_int64(st, i) : 0;
	sqlite3_reset(st);
	return rc;
}

int youth__rec_iter_texts(void *out, youth_registry *reg, const youth__kind *k, const char *what,
                          const char *sql, int64_t value, int n, const char *const *texts)
{
	youth__iter *it = NULL;
	int rc = youth__rec_iter_new(&it, reg, k, what, sql, 1, &value);
	for (int i = 0; rc == YOUTH_OK && i < n; i++)
		rc = youth__bind_copy(it->st, i + 2, texts[i]);
	if (rc == YOUTH_OK)
		memcpy(out, &it, sizeof it);
	else if (it) {
		youth__iter_clear(it);
		youth__free(it);
	}
	return rc;
}

/* ---- openings shared by the organisation, exchange, operator, employer, plan and
 * counselling writes (fold-a) ---- */

int youth__update_args(const youth__kind *k, const char *fn, const void *reg, const void *rec,
                       const char *what)
{
	if (!reg || !rec)
		return youth__null_arg(fn, reg, what);
	int64_t id = 0;
	for (size_t i = 0; i < k->n_fields; i++)
		if (k->fields[i].type == YF_ID) {
			id = *CAT(rec, &k->fields[i], int64_t);
			break;
		}
	if (id == 0)
		return youth__error(YOUTH_EINVAL, "id", "%s update: needs an id", what);
	if (id < 0)
		return youth__error(YOUTH_EINVAL, "id", "id %lld: not a valid id", (long long)id);
	return YOUTH_OK;
}

int youth__choice_rule(const char *field, int v, bool known, const char *not_a,
                       const char *missing)
{
	if (known)
		return YOUTH_OK;
	if (v)
		return youth__error(YOUTH_EINVAL, field, "%s %d: %s", field, v, not_a);
	return youth__error(YOUTH_EINVAL, field, "%s: %s", field, missing);
}

int youth__row_read(void *out, youth_registry *reg, const char *sql, int64_t id,
                    const char *field, const char *what, const youth__col *cols, size_t n)
{
	sqlite3_stmt *st;
	int rc = youth__row_by_id(reg, sql, id, field, what, &st);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		char *m = (char *)out + cols[i].offset;
		int col = (int)i;
		if (cols[i].type == YOUTH__COL_INT)
			*(int *)m = sqlite3_column_int(st, col);
		else if (cols[i].type == YOUTH__COL_INT64)
			*(int64_t *)m = sqlite3_column_int64(st, col);
		else
			youth__col_text(st, col, m, cols[i].size);
	}
	sqlite3_reset(st);
	return YOUTH_OK;
}

int youth__query_ints(int64_t *cols, int n, bool *found, youth_registry *reg, const char *sql,
                      const int64_t *params, int n_params, const char *what)
{
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, sql, &st);
	if (rc)
		return rc;
	for (int i = 0; i < n_params; i++)
		sqlite3_bind_int64(st, i + 1, params[i]);
	return youth__row_ints(cols, n, found, reg, st, what);
}

/* ---- fold-b: shared by the service modules ---------------------------------------------- */

int youth__row_of(sqlite3_stmt **row, youth_registry *reg, const char *sql, int64_t id,
                  const char *field, const char *what, const char *reading)
{
	bool found = false;
	int rc = youth__stmt(reg, sql, row);
	if (rc == YOUTH_OK) {
		sqlite3_bind_int64(*row, 1, id);
		rc = youth__step_row(reg, *row, &found, reading);
	}
	if (rc || found)
		return rc;
	sqlite3_reset(*row);
	return youth__error(YOUTH_ENOTFOUND, field, "%s %lld: no such %s",
	                    strcmp(field, "id") == 0 ? what : field, (long long)id, what);
}

int youth__state_move(const youth__machine *m, int64_t id, int from, const char *since, int to,
                      const char *date)
{
	int rc = youth__state_step(m, id, from, to);
	if (rc == YOUTH_OK && strcmp(date, since) < 0)
		rc = youth__error(YOUTH_EINVAL, "date",
		                  "date \"%s\": before the %s's last state change (%s on %s)", date,
		                  m->what, m->states[from], since);
	return rc;
}

bool youth__rec_meets(const youth__kind *k, void *rec, const void *old, int64_t id)
{
	for (size_t i = 0; i < k->n_fields; i++) {
		const youth__field *f = &k->fields[i];
		if (f->type == YF_ID)
			*AT(rec, f, int64_t) = id;
		else if (f->type == YF_UUID)
			youth__uuid_norm(AT(rec, f, char));
		else if (strcmp(f->name, "exchange_id") == 0)
			*AT(rec, f, int64_t) = *AT(old, f, const int64_t);
	}
	return youth__rec_same(k, old, rec);
}

/* ---- fold-c: rules shared by services (issue 10) ---- */

int youth__iter_args(void *out, const youth_registry *reg, const char *fn, const char *field,
                      int64_t id)
{
	void *none = NULL;
	if (out)
		memcpy(out, &none, sizeof none);
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL argument", fn);
	if (id < 0)
		return youth__error(YOUTH_EINVAL, field, "%s %lld: not a valid id", field, (long long)id);
	return YOUTH_OK;
}

int youth__stmt_key_texts(sqlite3_stmt **st, youth_registry *reg, const char *sql, int64_t key,
                          int n, const char *const *texts)
{
	int rc = youth__stmt(reg, sql, st);
	if (rc)
		return rc;
	sqlite3_bind_int64(*st, 1, key);
	for (int i = 0; i < n; i++)
		sqlite3_bind_text(*st, i + 2, texts[i], -1, SQLITE_STATIC);
	return YOUTH_OK;
}

int youth__two_persons_args(const youth_registry *reg, const char *fn, int64_t person,
                            int64_t other, const char *field, const char *same)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL registry", fn);
	int rc;
	if ((rc = youth__id_rule(person, "person")) || (rc = youth__id_rule(other, "person")))
		return rc;
	if (person == other)
		return youth__error(YOUTH_EINVAL, field, "person %lld: %s", (long long)person, same);
	return YOUTH_OK;
}

/* ---- puts: a kind's write SQL built from its description (issue 10) ---------------------- */

/* One thread builds a binding's statement while the others wait: the text must exist once, at
 * one address, before any handle prepares it. */
static pthread_mutex_t put_lock = PTHREAD_MUTEX_INITIALIZER;

/* Appends @n bytes of @s (all of it for n -1) to @out of @size bytes at *@len; false when it
 * does not fit. */
static bool sql_put(char *out, size_t size, size_t *len, const char *s, int n)
{
	size_t k = n < 0 ? strlen(s) : (size_t)n;
	if (*len + k >= size)
		return false;
	memcpy(out + *len, s, k);
	out[*len += k] = '\0';
	return true;
}

/* Writes the INSERT ('c') or UPDATE of @p into @out; the number of its parameters, or -1 when
 * it does not fit. */
static int put_build(const youth__put *p, char action, char *out, size_t size)
{
	char values[YOUTH__SQL_MAX], num[16];
	size_t len = 0, vlen = 0;
	int param = 0;
	bool ok = sql_put(out, size, &len, action == 'c' ? "INSERT INTO " : "UPDATE ", -1) &&
	          sql_put(out, size, &len, p->table, -1) &&
	          sql_put(out, size, &len, action == 'c' ? " (" : " SET ", -1);
	values[0] = '\0';
	for (const char *e = p->fields->names; ok && *e;) {
		const char *end = strchr(e, ',');
		int n = end ? (int)(end - e) : (int)strlen(e);
		const char *eq = memchr(e, '=', (size_t)n);
		const char *colon = eq ? NULL : memchr(e, ':', (size_t)n);
		int col = eq ? (int)(eq - e) : colon ? (int)(colon - e) : n;
		bool sep = param > 0 || vlen > 0;
		if (*e == '@')
			e++, col--, n--;
		if (!eq)
			snprintf(num, sizeof num, "?%d", ++param);
		if (action == 'c')
			ok = (!sep || (sql_put(out, size, &len, ", ", -1) &&
			               sql_put(values, sizeof values, &vlen, ", ", -1))) &&
			     sql_put(out, size, &len, e, col) &&
			     sql_put(values, sizeof values, &vlen, eq ? eq + 1 : num,
			             eq ? n - col - 1 : -1);
		else if (!eq)
			ok = (param == 1 || sql_put(out, size, &len, ", ", -1)) &&
			     sql_put(out, size, &len, e, col) && sql_put(out, size, &len, " = ", -1) &&
			     sql_put(out, size, &len, num, -1);
		e += n;
		e += *e == ',';
	}
	snprintf(num, sizeof num, "?%d", param + 1);
	if (action == 'c')
		ok = ok && sql_put(out, size, &len, ", uuid) VALUES (", -1) &&
		     sql_put(out, size, &len, values, -1) && sql_put(out, size, &len, ", ", -1) &&
		     sql_put(out, size, &len, num, -1) && sql_put(out, size, &len, ")", -1);
	else
		ok = ok && sql_put(out, size, &len, " WHERE id = ", -1) &&
		     sql_put(out, size, &len, num, -1);
	return ok ? param : -1;
}

int youth__put_sql(const youth__put *p, char action, const char **sql, int *key)
{
	youth__binding *b = p->fields;
	int i = action == 'c' ? 0 : 1;
	int state = atomic_load_explicit(&b->built[i], memory_order_acquire);
	if (state == 0) {
		pthread_mutex_lock(&put_lock);
		if ((state = atomic_load_explicit(&b->built[i], memory_order_relaxed)) == 0) {
			int n = put_build(p, action, b->sql[i], sizeof b->sql[i]);
			state = n < 0 ? -1 : n + 1;
			atomic_store_explicit(&b->built[i], state, memory_order_release);
		}
		pthread_mutex_unlock(&put_lock);
	}
	if (state < 0)
		return youth__error(YOUTH_ERROR, NULL, "internal: the SQL of \"%s\" exceeds %d bytes",
		                    p->op, YOUTH__SQL_MAX);
	*sql = b->sql[i];
	*key = p->key_param ? p->key_param : state;
	return YOUTH_OK;
}

int youth__unique_error(youth_registry *reg, const youth__put *p, const void *rec,
                        const char *uuid)
{
	const char *msg = sqlite3_errmsg(reg->db);
	size_t t = strlen(p->table);
	for (size_t i = 0; i < p->kind->n_fields; i++) {
		const youth__field *f = &p->kind->fields[i];
		if (!(f->flags & YOUTH_FIELD_CODE))
			continue;
		size_t n = strlen(f->name);
		for (const char *at = strstr(msg, p->table); at; at = strstr(at + 1, p->table))
			if (at[t] == '.' && strncmp(at + t + 1, f->name, n) == 0 &&
			    (at[t + 1 + n] == '\0' || at[t + 1 + n] == ','))
				return youth__error(YOUTH_EEXISTS, f->name, "%s \"%s\": already used by "
				                    "another %s", f->name, *CAT(rec, f, const char *),
				                    p->kind->label);
	}
	return youth__error(YOUTH_EEXISTS, "uuid", "uuid %s: already used by another %s", uuid,
	                    p->kind->label);
}

void youth__row_cols(sqlite3_stmt *st, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	for (int i = 0; types[i]; i++) {
		if (types[i] == 'i') {
			*va_arg(ap, int *) = sqlite3_column_int(st, i);
		} else if (types[i] == 'I') {
			*va_arg(ap, int64_t *) = sqlite3_column_int64(st, i);
		} else {
			char *out = va_arg(ap, char *);
			size_t size = types[i] == 'd' ? YOUTH_DATE_LEN + 1 : va_arg(ap, size_t);
			youth__col_text(st, i, out, size);
		}
	}
	va_end(ap);
	sqlite3_reset(st);
}
