/*
 * The audit trail (youth/audit.h, docs/privacy.md): one entry per record written, appended
 * through the one write path in the same transaction as the write, hash-chained with
 * BLAKE2b (libsodium's crypto_generichash), and the verification of that chain.
 *
 * Where the values come from.  The write path knows the operation, the table, the record's
 * id and whether it was created, updated or deleted, but not the values: an update by a
 * state change or a roster edit is a hand-written statement.  SQLite's pre-update hook sees
 * every row change with its old and new values, so while a file is audited the hook copies
 * each change as JSON (named by the table's columns, read once) and youth__write_row() claims
 * it for the entry.  The hook does nothing else: it may not touch the database, and a file
 * that is not audited does not register it at all.
 *
 * Registry layer: this file knows tables and columns, never field tables (the kind
 * `audit_entry` and its iterator are in audit_entry.c, in the record layer).
 */
#include "private.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define HASH_LEN 32
#define MAX_ACTOR 200

/* Tables that store a kind under another name (youth/kind.h names the kinds). */
static const char *const kind_names[][2] = {
	{"eligibility_override", "override"}, {"enterprise_group", "group"},
	{"enterprise_member", "group_member"}, {"enterprise_plan", "plan"},
	{"enterprise_disbursement", "plan_disbursement"}, {"enterprise_visit", "plan_visit"},
	{"enterprise_service", "business_service"}, {"duplicate_pair", "duplicate"}};

const char *youth__audit_kind(const char *table)
{
	for (size_t i = 0; i < YOUTH__N_OF(kind_names); i++)
		if (strcmp(table, kind_names[i][0]) == 0)
			return kind_names[i][1];
	return table;
}

/* ---- the handle's actor ----------------------------------------------------------------- */

int youth_registry_set_actor(youth_registry *reg, const char *actor)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_registry_set_actor: NULL registry");
	char *copy = NULL;
	if (actor && *actor) {
		int rc = youth__text_rule("actor", actor, MAX_ACTOR, true);
		if (rc)
			return rc;
		if (!(copy = youth__strdup(actor)))
			return youth__oom();
	}
	/* Entries still waiting point at the actor they were made by. */
	int rc = reg->audit.n_pending ? youth__audit_flush(reg) : YOUTH_OK;
	if (rc) {
		youth__free(copy);
		return rc;
	}
	youth__free(reg->audit.actor);
	reg->audit.actor = copy;
	return YOUTH_OK;
}

const char *youth_registry_actor(const youth_registry *reg)
{
	return reg ? reg->audit.actor : NULL;
}

/* ---- the columns of each table ------------------------------------------------------------ */

static void tables_free(struct youth__audit *a)
{
	for (int i = 0; i < a->n_tables; i++) {
		youth__free_strv(a->tables[i].cols, a->tables[i].n);
		youth__free(a->tables[i].name);
	}
	youth__free(a->tables);
	a->tables = NULL;
	a->n_tables = 0;
}

static int table_columns(youth_registry *reg, struct youth__audit_table *t)
{
	sqlite3_stmt *st;
	int s, rc = youth__prepare(&st, reg->db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
	                           "reading the columns of a table");
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		char **grown = youth__realloc(t->cols, (size_t)(t->n + 1) * sizeof *grown);
		if (!grown) {
			rc = youth__oom();
			break;
		}
		t->cols = grown;
		if (!(t->cols[t->n] = youth__strdup((const char *)sqlite3_column_text(st, 0)))) {
			rc = youth__oom();
			break;
		}
		if (strcmp(t->cols[t->n], "uuid") == 0)
			t->uuid_col = t->n;
		t->n++;
	}
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, "reading the columns of a table");
	sqlite3_finalize(st);
	return rc;
}

/* Reads the columns of every table but the trail's own: the hook may not query, so it names
 * values from this copy.  The schema is fixed while a handle is open (migrations run before). */
static int tables_load(youth_registry *reg)
{
	struct youth__audit *a = &reg->audit;
	tables_free(a);
	sqlite3_stmt *st;
	int s, rc = youth__prepare(&st, reg->db,
	                           "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
	                           "LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'audit\\_%' "
	                           "ESCAPE '\\' ORDER BY name",
	                           "reading the tables");
	if (rc)
		return rc;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		struct youth__audit_table *grown =
			youth__realloc(a->tables, (size_t)(a->n_tables + 1) * sizeof *grown);
		if (!grown) {
			rc = youth__oom();
			break;
		}
		a->tables = grown;
		struct youth__audit_table *t = &a->tables[a->n_tables];
		*t = (struct youth__audit_table){.uuid_col = -1};
		if (!(t->name = youth__strdup((const char *)sqlite3_column_text(st, 0)))) {
			rc = youth__oom();
			break;
		}
		a->n_tables++;
		t->kind = t->name;
		for (size_t i = 0; i < YOUTH__N_OF(kind_names); i++)
			if (strcmp(t->name, kind_names[i][0]) == 0)
				t->kind = kind_names[i][1];
		rc = table_columns(reg, t);
	}
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, "reading the tables");
	sqlite3_finalize(st);
	return rc;
}

static const struct youth__audit_table *table_find(const struct youth__audit *a, const char *name)
{
	for (int i = 0; i < a->n_tables; i++)
		if (strcmp(a->tables[i].name, name) == 0)
			return &a->tables[i];
	return NULL;
}

/* ---- canonical JSON of a row change ----------------------------------------------------- */

static int json_string(youth__buf *b, const char *s, size_t n)
{
	int rc = youth__buf_put(b, "\"", 1);
	size_t run = 0;
	for (size_t i = 0; rc == YOUTH_OK && i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		rc = youth__buf_put(b, s + run, i - run);
		run = i + 1;
		if (rc == YOUTH_OK)
			rc = c == '"' ? youth__buf_put(b, "\\\"", 2)
			     : c == '\\' ? youth__buf_put(b, "\\\\", 2)
			     : c == '\n' ? youth__buf_put(b, "\\n", 2)
			     : c == '\t' ? youth__buf_put(b, "\\t", 2)
			                 : youth__buf_printf(b, "\\u%04x", c);
	}
	if (rc == YOUTH_OK)
		rc = youth__buf_put(b, s + run, n - run);
	return rc ? rc : youth__buf_put(b, "\"", 1);
}

static int json_value(youth__buf *b, sqlite3_value *v)
{
	switch (v ? sqlite3_value_type(v) : SQLITE_NULL) {
	case SQLITE_INTEGER:
		return youth__buf_printf(b, "%lld", (long long)sqlite3_value_int64(v));
	case SQLITE_FLOAT:
		return youth__buf_printf(b, "%.17g", sqlite3_value_double(v));
	case SQLITE_TEXT:
		return json_string(b, (const char *)sqlite3_value_text(v),
		                   (size_t)sqlite3_value_bytes(v));
	case SQLITE_BLOB: {
		/* No column of a registry is a blob; written as hex so that the text stays JSON. */
		const unsigned char *p = sqlite3_value_blob(v);
		int n = sqlite3_value_bytes(v), rc = youth__buf_puts(b, "\"x'");
		for (int i = 0; rc == YOUTH_OK && i < n; i++)
			rc = youth__buf_printf(b, "%02x", p[i]);
		return rc ? rc : youth__buf_puts(b, "'\"");
	}
	default:
		return youth__buf_puts(b, "null");
	}
}

static bool same_value(sqlite3_value *a, sqlite3_value *b)
{
	int t = sqlite3_value_type(a);
	if (t != sqlite3_value_type(b))
		return false;
	switch (t) {
	case SQLITE_NULL:
		return true;
	case SQLITE_INTEGER:
		return sqlite3_value_int64(a) == sqlite3_value_int64(b);
	case SQLITE_FLOAT:
		return sqlite3_value_double(a) == sqlite3_value_double(b);
	default: {
		int n = sqlite3_value_bytes(a);
		return n == sqlite3_value_bytes(b) &&
		       memcmp(t == SQLITE_TEXT ? (const void *)sqlite3_value_text(a)
		                               : sqlite3_value_blob(a),
		              t == SQLITE_TEXT ? (const void *)sqlite3_value_text(b)
		                               : sqlite3_value_blob(b),
		              (size_t)n) == 0;
	}
	}
}

/* `{"col":[old,new],...}` of the columns an update changed, or of every set column of a
 * deleted row (new null); the key column `id` is the entry's own. */
static int change_json(youth__buf *b, sqlite3 *db, int op, const struct youth__audit_table *t)
{
	int rc = youth__buf_put(b, "{", 1);
	bool first = true;
	int n = sqlite3_preupdate_count(db);
	for (int i = 0; rc == YOUTH_OK && i < n; i++) {
		const char *name = i < t->n ? t->cols[i] : NULL;
		if (name && strcmp(name, "id") == 0)
			continue;
		sqlite3_value *o = NULL, *v = NULL;
		if (op != SQLITE_INSERT && sqlite3_preupdate_old(db, i, &o) != SQLITE_OK)
			return YOUTH_ERROR;
		if (op != SQLITE_DELETE && sqlite3_preupdate_new(db, i, &v) != SQLITE_OK)
			return YOUTH_ERROR;
		if (op == SQLITE_UPDATE ? same_value(o, v)
		                        : sqlite3_value_type(o ? o : v) == SQLITE_NULL)
			continue;
		if (!first)
			rc = youth__buf_put(b, ",", 1);
		first = false;
		if (rc == YOUTH_OK)
			rc = name ? json_string(b, name, strlen(name)) : youth__buf_printf(b, "\"%d\"", i);
		if (rc == YOUTH_OK)
			rc = youth__buf_put(b, ":[", 2);
		if (rc == YOUTH_OK)
			rc = json_value(b, o);
		if (rc == YOUTH_OK)
			rc = youth__buf_put(b, ",", 1);
		if (rc == YOUTH_OK)
			rc = json_value(b, v);
		if (rc == YOUTH_OK)
			rc = youth__buf_put(b, "]", 1);
	}
	return rc ? rc : youth__buf_put(b, "}", 1);
}

static void preupdate(void *ctx, sqlite3 *db, int op, const char *zdb, const char *name,
                      sqlite3_int64 key1, sqlite3_int64 key2)
{
	youth_registry *reg = ctx;
	struct youth__audit *a = &reg->audit;
	if (!a->on || reg->op_depth == 0 || a->err || strcmp(zdb, "main") != 0 ||
	    strncmp(name, "audit_", 6) == 0)
		return;
	const struct youth__audit_table *t = table_find(a, name);
	if (!t)
		return; /* a table created after the handle was opened: none of the library's */
	if (a->n_caps == a->cap_caps) {
		int cap = a->cap_caps ? a->cap_caps * 2 : 8;
		struct youth__audit_capture *grown = youth__realloc(a->caps, (size_t)cap * sizeof *grown);
		if (!grown) {
			a->err = YOUTH_ENOMEM;
			return;
		}
		a->caps = grown;
		a->cap_caps = cap;
	}
	struct youth__audit_capture *c = &a->caps[a->n_caps];
	*c = (struct youth__audit_capture){t, op == SQLITE_INSERT ? key2 : key1, a->arena.len, 0,
	                                   "", false};
	if (t->uuid_col >= 0) {
		sqlite3_value *u = NULL;
		int s = op == SQLITE_DELETE ? sqlite3_preupdate_old(db, t->uuid_col, &u)
		                            : sqlite3_preupdate_new(db, t->uuid_col, &u);
		if (s == SQLITE_OK && sqlite3_value_type(u) == SQLITE_TEXT)
			youth__text_copy(c->uuid, sizeof c->uuid, (const char *)sqlite3_value_text(u),
			          (size_t)sqlite3_value_bytes(u));
	}
	/* A create records no values: they are the record's own, and every later change is
	 * recorded with its old and new values (docs/privacy.md); this keeps an import's trail
	 * small. */
	int rc = op == SQLITE_INSERT ? YOUTH_OK : change_json(&a->arena, db, op, t);
	if (rc) {
		a->err = rc == YOUTH_ENOMEM ? rc : YOUTH_ERROR;
		return;
	}
	c->len = a->arena.len - c->off;
	a->n_caps++;
}

static int hook(youth_registry *reg)
{
	if (reg->audit.hooked)
		return YOUTH_OK;
	int rc = tables_load(reg);
	if (rc == YOUTH_OK) {
		sqlite3_preupdate_hook(reg->db, preupdate, reg);
		reg->audit.hooked = true;
	}
	return rc;
}

/* ---- the switch ----------------------------------------------------------------------------- */

static int read_switch(youth_registry *reg)
{
	sqlite3_stmt *st;
	bool found = false;
	int rc = youth__stmt(reg, "SELECT 1 FROM audit_state", &st);
	if (rc == YOUTH_OK) {
		int s = sqlite3_step(st);
		found = s == SQLITE_ROW;
		if (s != SQLITE_ROW && s != SQLITE_DONE)
			rc = youth__sqlite_error(reg->db, s, "reading the audit switch");
		sqlite3_reset(st);
	}
	if (rc == YOUTH_OK && found && !reg->audit.on)
		rc = hook(reg);
	if (rc == YOUTH_OK)
		reg->audit.on = found;
	return rc;
}

int youth__audit_open(youth_registry *reg)
{
	if (youth__sodium_ready())
		return YOUTH_ERROR;
	reg->audit.ready = true;
	return read_switch(reg);
}

void youth__audit_close(youth_registry *reg)
{
	struct youth__audit *a = &reg->audit;
	if (a->hooked)
		sqlite3_preupdate_hook(reg->db, NULL, NULL);
	tables_free(a);
	youth__free(a->actor);
	youth__free(a->caps);
	youth__buf_free(&a->arena);
	youth__buf_free(&a->row);
	youth__free(a->pending);
	youth__buf_free(&a->pending_text);
	youth__free(a->batch_sql);
}

static int no_actor(const char *op)
{
	return youth__error(YOUTH_EMISUSE, "actor",
	                    "%s: this registry is audited and no actor is set; every write names who "
	                    "makes it (youth_registry_set_actor(), youth --actor or YOUTH_ACTOR)",
	                    op);
}

int youth__audit_begin(youth_registry *reg, const char *op)
{
	struct youth__audit *a = &reg->audit;
	if (!a->ready)
		return YOUTH_OK; /* migrating: the tables may not exist yet */
	int rc = a->n_pending ? youth__audit_flush(reg) : YOUTH_OK;
	/* Outside a transaction another process may have switched the trail on or appended to
	 * it since the last write; inside the caller's (BEGIN IMMEDIATE: no other writer until
	 * it ends) what was read at its first write holds until it ends or rolls back. */
	if (rc == YOUTH_OK && (reg->depth == 0 || !a->tx_known)) {
		rc = read_switch(reg);
		a->head_valid = false;
		a->tx_known = rc == YOUTH_OK && reg->depth > 0;
	}
	if (rc)
		return rc;
	a->op = op;
	a->err = 0;
	return a->on && !a->actor ? no_actor(op) : YOUTH_OK;
}

void youth__audit_end(youth_registry *reg)
{
	struct youth__audit *a = &reg->audit;
	a->n_caps = 0;
	a->arena.len = 0;
	a->err = 0;
}

/* ---- appending an entry ------------------------------------------------------------------- */

/* The bytes an entry's hash covers: each field as its length (8 bytes, little-endian; all
 * ones for NULL) followed by its bytes, so that no two different entries give the same
 * stream.  Gathered into one reused buffer and hashed in one call: an import hashes one
 * entry per record. */
static void feed(youth__buf *b, const void *p, size_t n)
{
	uint64_t v = p ? (uint64_t)n : UINT64_MAX;
	for (int i = 0; i < 8; i++)
		b->data[b->len++] = (char)(unsigned char)(v >> (8 * i));
	if (p && n) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
	}
}

/* Decimal digits of @v (not negative) into @out; the text's length. */
static size_t decimal(int64_t v, char out[24])
{
	char rev[24];
	size_t n = 0;
	uint64_t u = v < 0 ? 0 : (uint64_t)v;
	do
		rev[n++] = (char)('0' + u % 10);
	while ((u /= 10) && n < sizeof rev);
	for (size_t i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
	return n;
}

/* What an entry's hash covers, in this order.  Changing it changes every hash: it is part of
 * the file format ("libyouth-audit-1" names this version). */
typedef struct entry {
	int64_t seq;
	const char *at, *actor, *kind;
	int64_t record_id; /* 0: none */
	const char *record_uuid, *operation, *action;
	const unsigned char *changes_hash; /* NULL: no changes */
	const unsigned char *prev;
} entry;

static int entry_hash(const entry *e, youth__buf *b, unsigned char out[HASH_LEN])
{
	char seq[24], rid[24];
	decimal(e->seq, seq);
	decimal(e->record_id, rid);
	const char *texts[] = {"libyouth-audit-1", seq, e->at, e->actor, e->kind,
	                       e->record_id ? rid : NULL, e->record_uuid, e->operation, e->action};
	size_t lens[YOUTH__N_OF(texts)], total = 3 * 8 + 2 * HASH_LEN;
	for (size_t i = 0; i < YOUTH__N_OF(texts); i++)
		total += 8 + (lens[i] = texts[i] ? strlen(texts[i]) : 0);
	b->len = 0;
	int rc = youth__buf_grow(b, total);
	if (rc)
		return rc;
	for (size_t i = 0; i < YOUTH__N_OF(texts); i++)
		feed(b, texts[i], lens[i]);
	feed(b, e->changes_hash, HASH_LEN);
	feed(b, e->prev, HASH_LEN);
	crypto_generichash(out, HASH_LEN, (const unsigned char *)b->data, b->len, NULL, 0);
	return YOUTH_OK;
}

static void changes_hash(const char *changes, size_t n, unsigned char out[HASH_LEN])
{
	static const char tag[] = "libyouth-audit-changes-1";
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, HASH_LEN);
	crypto_generichash_update(&h, (const unsigned char *)tag, sizeof tag - 1);
	crypto_generichash_update(&h, (const unsigned char *)changes, n);
	crypto_generichash_final(&h, out, HASH_LEN);
}

/* UTC with milliseconds; the date and time of day are formatted once per second. */
static void now_utc(struct youth__audit *a, char out[32])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != a->second || !a->second_text[0]) {
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		strftime(a->second_text, sizeof a->second_text, "%Y-%m-%dT%H:%M:%S", &tm);
		a->second = ts.tv_sec;
	}
	/* "%.19s.%03dZ", written by hand: this runs once per entry of an import */
	int ms = (int)(ts.tv_nsec / 1000000) % 1000;
	size_t n = strnlen(a->second_text, 19);
	memcpy(out, a->second_text, n);
	out[n] = '.';
	out[n + 1] = (char)('0' + ms / 100);
	out[n + 2] = (char)('0' + ms / 10 % 10);
	out[n + 3] = (char)('0' + ms % 10);
	out[n + 4] = 'Z';
	out[n + 5] = '\0';
}

static const char *action_name(char action)
{
	switch (action) {
	case 'c': return "create";
	case 'u': return "update";
	case 'd': return "delete";
	case 'r': return "read";
	case 'e': return "erase";
	default: return "enable";
	}
}

static const char SQL_HEAD[] = "SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1";
#define APPEND_COLS                                                                          \
	"INSERT OR FAIL INTO audit_entry (id, at, actor, kind, record_id, record_uuid, operation, " \
	"action, changes, changes_hash, hash) VALUES "
static const char SQL_APPEND[] = APPEND_COLS "(?,?,?,?,?,?,?,?,?,?,?)";
#define N_COLS 11
/* An import writes its entries this many at a time, in one multi-row INSERT: one statement
 * step instead of 64 halves what each entry costs the import. */
#define BATCH 64

static void bind_entry(sqlite3_stmt *st, int base, const struct youth__audit_pending *p,
                       const char *text)
{
	sqlite3_bind_int64(st, base + 1, p->seq);
	sqlite3_bind_text(st, base + 2, p->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 3, p->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 4, p->kind, -1, SQLITE_STATIC);
	if (p->record_id)
		sqlite3_bind_int64(st, base + 5, p->record_id);
	youth__bind_text(st, base + 6, youth__nz(p->uuid));
	sqlite3_bind_text(st, base + 7, p->operation, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 8, p->action, -1, SQLITE_STATIC);
	if (p->has_changes) {
		sqlite3_bind_text(st, base + 9, text + p->changes_off, (int)p->changes_len,
		                  SQLITE_STATIC);
		sqlite3_bind_blob(st, base + 10, p->changes_hash, HASH_LEN, SQLITE_STATIC);
	}
	sqlite3_bind_blob(st, base + 11, p->hash, HASH_LEN, SQLITE_STATIC);
}

static int batch_sql(struct youth__audit *a)
{
	if (a->batch_sql)
		return YOUTH_OK;
	youth__buf b = {0};
	int rc = youth__buf_puts(&b, APPEND_COLS);
	for (int i = 0; rc == YOUTH_OK && i < BATCH; i++)
		rc = youth__buf_puts(&b, i ? ",(?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?)");
	if (rc == YOUTH_OK)
		rc = youth__buf_put(&b, "", 1);
	if (rc) {
		youth__buf_free(&b);
		return rc;
	}
	a->batch_sql = b.data;
	return YOUTH_OK;
}

int youth__audit_flush(youth_registry *reg)
{
	struct youth__audit *a = &reg->audit;
	int rc = YOUTH_OK, done = 0;
	sqlite3_stmt *st;
	if (a->n_pending == BATCH && (rc = batch_sql(a)) == YOUTH_OK &&
	    (rc = youth__stmt(reg, a->batch_sql, &st)) == YOUTH_OK) {
		for (int i = 0; i < BATCH; i++)
			bind_entry(st, i * N_COLS, &a->pending[i], a->pending_text.data);
		rc = youth__step_done(reg, st, "appending to the audit trail");
		done = BATCH;
	}
	for (int i = done; rc == YOUTH_OK && i < a->n_pending; i++) {
		if ((rc = youth__stmt(reg, SQL_APPEND, &st)))
			break;
		bind_entry(st, 0, &a->pending[i], a->pending_text.data);
		rc = youth__step_done(reg, st, "appending to the audit trail");
	}
	a->n_pending = 0;
	a->pending_text.len = 0;
	if (rc)
		a->head_valid = false;
	return rc;
}

/* Appends one entry after the current head, read from the table unless the handle still
 * knows it (youth__audit_forget() says when it may not).  With @batch (an atomic import,
 * whose failure rolls back its whole transaction) the entry waits in memory to be written
 * with the next ones. */
static int append(youth_registry *reg, entry *e, const char *changes, size_t n, bool batch)
{
	struct youth__audit *a = &reg->audit;
	sqlite3_stmt *st;
	int rc;
	if (a->n_pending && !batch && (rc = youth__audit_flush(reg)))
		return rc;
	if (!a->head_valid) {
		if ((rc = youth__stmt(reg, SQL_HEAD, &st)))
			return rc;
		int s = sqlite3_step(st);
		a->head_seq = 0;
		memset(a->head_hash, 0, HASH_LEN);
		if (s == SQLITE_ROW) {
			a->head_seq = sqlite3_column_int64(st, 0);
			if (sqlite3_column_bytes(st, 1) == HASH_LEN)
				memcpy(a->head_hash, sqlite3_column_blob(st, 1), HASH_LEN);
		} else if (s != SQLITE_DONE) {
			rc = youth__sqlite_error(reg->db, s, "reading the head of the audit trail");
		}
		sqlite3_reset(st);
		if (rc)
			return rc;
		a->head_valid = true;
	}
	if (a->n_pending == a->cap_pending) {
		int cap = a->cap_pending ? a->cap_pending * 2 : BATCH;
		struct youth__audit_pending *grown = youth__realloc(a->pending, (size_t)cap * sizeof *grown);
		if (!grown)
			return youth__oom();
		a->pending = grown;
		a->cap_pending = cap;
	}
	struct youth__audit_pending *p = &a->pending[a->n_pending];
	*p = (struct youth__audit_pending){.seq = a->head_seq + 1, .record_id = e->record_id,
	                                   .actor = e->actor, .kind = e->kind,
	                                   .operation = e->operation, .action = e->action};
	youth__text_copy(p->at, sizeof p->at, e->at, strlen(e->at));
	youth__text_copy(p->uuid, sizeof p->uuid, e->record_uuid ? e->record_uuid : "",
	          e->record_uuid ? strlen(e->record_uuid) : 0);
	e->seq = p->seq;
	if (changes) {
		p->changes_off = a->pending_text.len;
		p->changes_len = n;
		p->has_changes = true;
		if ((rc = youth__buf_put(&a->pending_text, changes, n)))
			return rc;
		changes_hash(changes, n, p->changes_hash);
		e->changes_hash = p->changes_hash;
	}
	e->prev = a->head_hash;
	if ((rc = entry_hash(e, &a->row, p->hash)))
		return rc;
	a->n_pending++;
	a->head_seq = p->seq;
	memcpy(a->head_hash, p->hash, HASH_LEN);
	return batch && a->n_pending < BATCH ? YOUTH_OK : youth__audit_flush(reg);
}

void youth__audit_row(youth__write *w, const char *table, int64_t id, char action)
{
	youth_registry *reg = w->reg;
	struct youth__audit *a = &reg->audit;
	if (!a->on || w->audit_rc)
		return;
	if (a->err) {
		w->audit_rc = youth__error(a->err, NULL, "%s: the audit trail could not record %s %lld",
		                           w->op, table, (long long)id);
		return;
	}
	struct youth__audit_capture *c = NULL;
	for (int i = a->n_caps - 1; i >= 0 && !c; i--)
		if (!a->caps[i].claimed && a->caps[i].rowid == id &&
		    strcmp(a->caps[i].table->name, table) == 0)
			c = &a->caps[i];
	const struct youth__audit_table *t = c ? c->table : table_find(a, table);
	char at[32];
	now_utc(a, at);
	entry e = {.at = at,
	           .actor = a->actor,
	           .kind = t ? t->kind : table,
	           .record_id = id,
	           .record_uuid = c && c->uuid[0] ? c->uuid : NULL,
	           .operation = a->op ? a->op : w->op,
	           .action = action_name(action)};
	const char *changes = NULL;
	size_t n = 0;
	if (c) {
		c->claimed = true;
		/* An erasure keeps the fact, never the values it erased. */
		if (action != 'e' && c->len) {
			changes = a->arena.data + c->off;
			n = c->len;
		}
	}
	int rc = append(reg, &e, changes, n, w->bulk && reg->depth == 1);
	/* A row is claimed right after its statement: dropping the claimed ones at the end keeps
	 * a long write (a census load is one write) from holding every row it wrote. */
	while (a->n_caps > 0 && a->caps[a->n_caps - 1].claimed)
		a->arena.len = a->caps[--a->n_caps].off;
	if (rc) {
		youth__error_prefix("%s", w->op);
		w->audit_rc = rc;
	}
}

/* An entry that no row change makes (a read, a note), in a write of its own named @e->operation:
 * stamped now by the handle's actor.  @may_defer: it may wait for the bulk write's flush when
 * that write is the outermost one. */
static int entry_alone(youth_registry *reg, entry e, const char *changes, bool may_defer)
{
	youth__write w;
	int rc = youth__write_begin(&w, reg, e.operation);
	if (rc)
		return rc;
	if (reg->audit.on) {
		char at[32];
		now_utc(&reg->audit, at);
		e.at = at;
		e.actor = reg->audit.actor;
		w.rows++;
		rc = append(reg, &e, changes, changes ? strlen(changes) : 0,
		            may_defer && w.bulk && reg->depth == 1);
	}
	return youth__write_end(&w, rc);
}

int youth__audit_read(youth_registry *reg, const char *table, int64_t id, const char *uuid)
{
	if (!reg->audit.reads)
		return YOUTH_OK;
	entry e = {.kind = table, .record_id = id, .record_uuid = youth__nz(uuid),
	           .operation = "read", .action = "read"};
	return entry_alone(reg, e, NULL, true);
}

int youth__audit_note(youth_registry *reg, const char *op, const char *kind, const char *action,
                      const char *changes)
{
	entry e = {.kind = kind, .operation = op, .action = action};
	return entry_alone(reg, e, changes, false);
}

int youth__audit_redact(youth__write *w, const char *uuid)
{
	if (!w->reg->audit.on || !uuid || !*uuid)
		return YOUTH_OK;
	sqlite3_stmt *st;
	int rc = youth__stmt(w->reg,
	                     "UPDATE audit_entry SET changes = NULL WHERE record_uuid = ?1 AND "
	                     "changes IS NOT NULL",
	                     &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	return youth__step_done(w->reg, st, "removing erased values from the audit trail");
}

/* ---- switching on ----------------------------------------------------------------------- */

int youth_audit_enabled(youth_registry *reg)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_audit_enabled: NULL registry");
	int rc = read_switch(reg);
	return rc ? rc : reg->audit.on;
}

int youth_audit_enable(youth_registry *reg)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_audit_enable: NULL registry");
	if (!reg->audit.actor)
		return no_actor("enable the audit trail");
	youth__write w;
	int rc = youth__write_begin(&w, reg, "enable the audit trail");
	if (rc)
		return rc;
	if (!reg->audit.on) {
		char at[32];
		now_utc(&reg->audit, at);
		sqlite3_stmt *st;
		rc = youth__stmt(reg,
		                 "INSERT INTO audit_state (id, enabled_at, enabled_by) VALUES (1, ?1, ?2)",
		                 &st);
		if (rc == YOUTH_OK) {
			sqlite3_bind_text(st, 1, at, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, reg->audit.actor, -1, SQLITE_STATIC);
			rc = youth__step_done(reg, st, "switching the audit trail on");
		}
		if (rc == YOUTH_OK)
			rc = hook(reg);
		if (rc == YOUTH_OK) {
			entry e = {.at = at, .actor = reg->audit.actor, .kind = "registry",
			           .operation = "enable the audit trail", .action = "enable"};
			w.rows++;
			rc = append(reg, &e, NULL, 0, false);
		}
		if (rc == YOUTH_OK)
			reg->audit.on = true;
	}
	rc = youth__write_end(&w, rc);
	if (rc) /* read again: the switch may have been rolled back */
		reg->audit.on = false;
	return rc;
}

int youth_audit_reads(youth_registry *reg, int on)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_audit_reads: NULL registry");
	if (on && reg->readonly)
		return youth__error(YOUTH_EREADONLY, NULL,
		                    "%s: opened read-only, so its reads cannot be audited", reg->path);
	int rc = on ? read_switch(reg) : YOUTH_OK;
	if (rc == YOUTH_OK && on && !reg->audit.on)
		rc = youth__error(YOUTH_EMISUSE, NULL,
		                  "%s: reads are audited only in an audited registry (switch the audit "
		                  "trail on first)", reg->path);
	if (rc == YOUTH_OK)
		reg->audit.reads = on != 0;
	return rc;
}

/* ---- verification --------------------------------------------------------------------------- */

static void hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static void problem(youth_audit_problem *out, int64_t seq, const char *fmt, ...)
	YOUTH__PRINTF(3, 4);
static void problem(youth_audit_problem *out, int64_t seq, const char *fmt, ...)
{
	if (out->problems++ > 0)
		return;
	out->entry = seq;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->what, sizeof out->what, fmt, ap);
	va_end(ap);
}

static const unsigned char *blob32(sqlite3_stmt *st, int col)
{
	return sqlite3_column_bytes(st, col) == HASH_LEN ? sqlite3_column_blob(st, col) : NULL;
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* An entry whose values are gone is in order only if a later entry erased its record. */
static int check_redacted(youth_registry *reg, youth_audit_problem *out, int64_t seq,
                          const char *uuid)
{
	sqlite3_stmt *st;
	int rc = youth__stmt(reg,
	                     "SELECT 1 FROM audit_entry WHERE action = 'erase' AND record_uuid = ?1 "
	                     "AND id > ?2",
	                     &st);
	if (rc)
		return rc;
	youth__bind_text(st, 1, uuid);
	sqlite3_bind_int64(st, 2, seq);
	int s = sqlite3_step(st);
	sqlite3_reset(st);
	if (s == SQLITE_DONE)
		problem(out, seq, "entry %lld: its values were removed, but no later entry erased "
		        "its record (edited)", (long long)seq);
	else if (s != SQLITE_ROW)
		return youth__sqlite_error(reg->db, s, "verifying the audit trail");
	return YOUTH_OK;
}

static int parse_anchor(const char *anchor, int64_t *seq, unsigned char hash[HASH_LEN])
{
	const char *colon = strchr(anchor, ':');
	long long n = 0;
	char num[24];
	bool ok = colon && colon - anchor < (ptrdiff_t)sizeof num && strlen(colon + 1) == 2 * HASH_LEN;
	if (ok) {
		memcpy(num, anchor, (size_t)(colon - anchor));
		num[colon - anchor] = '\0';
		ok = youth__parse_int(num, 1, INT64_MAX, &n) == YOUTH_OK;
	}
	for (int i = 0; ok && i < HASH_LEN; i++) {
		unsigned v;
		ok = sscanf(colon + 1 + 2 * i, "%2x", &v) == 1 && isxdigit((unsigned char)colon[1 + 2 * i]) &&
		     isxdigit((unsigned char)colon[2 + 2 * i]);
		hash[i] = (unsigned char)v;
	}
	if (!ok)
		return youth__error(YOUTH_EINVAL, "anchor",
		                    "anchor \"%s\": not SEQUENCE:HASH (a number, ':', 64 hexadecimal "
		                    "digits), as `youth audit anchor` prints it", anchor);
	*seq = n;
	return YOUTH_OK;
}

int youth_audit_verify(youth_audit_problem *out, youth_registry *reg, const char *anchor)
{
	youth_audit_problem local;
	if (!out)
		out = &local;
	memset(out, 0, sizeof *out);
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_audit_verify: NULL registry");
	int64_t anchor_seq = 0;
	unsigned char anchor_hash[HASH_LEN];
	int rc = anchor ? parse_anchor(anchor, &anchor_seq, anchor_hash) : YOUTH_OK;
	if (rc || (rc = youth__sodium_ready()) || (reg->audit.n_pending && (rc = youth__audit_flush(reg))))
		return rc;
	sqlite3_stmt *st;
	int s;
	if ((rc = youth__prepare(&st, reg->db,
	                         "SELECT id, at, actor, kind, record_id, record_uuid, operation, "
	                         "action, changes, changes_hash, hash FROM audit_entry ORDER BY id",
	                         "verifying the audit trail")))
		return rc;
	unsigned char prev[HASH_LEN] = {0}, h[HASH_LEN], ch[HASH_LEN];
	youth__buf scratch = {0};
	int64_t expect = 1;
	bool anchor_seen = false;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0);
		out->entries++;
		const unsigned char *stored = blob32(st, 10), *stored_ch = blob32(st, 9);
		const char *changes = col(st, 8);
		entry e = {.seq = seq, .at = col(st, 1), .actor = col(st, 2), .kind = col(st, 3),
		           .record_id = sqlite3_column_int64(st, 4), .record_uuid = col(st, 5),
		           .operation = col(st, 6), .action = col(st, 7), .changes_hash = stored_ch,
		           .prev = prev};
		if (changes) {
			changes_hash(changes, (size_t)sqlite3_column_bytes(st, 8), ch);
			if (!stored_ch || memcmp(ch, stored_ch, HASH_LEN) != 0)
				problem(out, seq, "entry %lld: its changes do not match their hash (edited)",
				        (long long)seq);
		} else if (stored_ch) {
			rc = check_redacted(reg, out, seq, e.record_uuid);
		}
		/* Each entry's hash covers the one before: after a gap the first failure is the
		 * gap's, not the next entry's. */
		if (seq != expect)
			problem(out, expect, seq > expect
			        ? "entry %lld: missing (the trail jumps from %lld to %lld: deleted)"
			        : "entry %lld: out of sequence (%lld, then %lld)",
			        (long long)expect, (long long)expect - 1, (long long)seq);
		else if (!stored)
			problem(out, seq, "entry %lld: its hash is damaged", (long long)seq);
		else if ((rc = entry_hash(&e, &scratch, h)) == YOUTH_OK && memcmp(h, stored, HASH_LEN) != 0)
			problem(out, seq, "entry %lld: does not match its hash (edited, inserted, or moved "
			        "from another place in the trail)", (long long)seq);
		if (anchor && seq == anchor_seq) {
			anchor_seen = true;
			if (!stored || memcmp(stored, anchor_hash, HASH_LEN) != 0)
				problem(out, seq, "entry %lld: differs from the anchor kept (rewritten)",
				        (long long)seq);
		}
		if (stored)
			memcpy(prev, stored, HASH_LEN);
		expect = seq + 1;
		if (stored) {
			char h64[2 * HASH_LEN + 1], head[128];
			hex(stored, HASH_LEN, h64);
			size_t n = (size_t)snprintf(head, sizeof head, "%lld:%s", (long long)seq, h64);
			memcpy(out->head, head, n < sizeof out->head ? n + 1 : 0);
		}
	}
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, "verifying the audit trail");
	sqlite3_finalize(st);
	youth__buf_free(&scratch);
	if (rc == YOUTH_OK && anchor && !anchor_seen)
		problem(out, anchor_seq, "entry %lld: named by the anchor but the trail ends at entry "
		        "%lld (newest entries removed)", (long long)anchor_seq, (long long)expect - 1);
	if (rc == YOUTH_OK && out->problems)
		rc = youth__error(YOUTH_ECORRUPT, NULL, "%s: audit trail: %s%s", reg->path, out->what,
		                  out->problems > 1 ? " (and more: see the count)" : "");
	return rc;
}
