/*
 * The export engine: writes a registry, or the part of it a caller selects (kinds of record,
 * a place, a period), as one `libyouth/1` document.
 *
 * Each module's section gives the query that reads its records (columns in the order of its
 * field table, references as the referred record's UUID); this file turns each row into a
 * YAML record through the YAML writer, section after section in the catalogue's order
 * (catalogue.c), so that every reference points back to a record already written.
 *
 * What leaves the registry is decided by the published description (youth/kind.h): fields
 * flagged identifying or contact stay home unless the caller asks for them; a pseudonymised
 * export also drops names and free text, turns every UUID into a keyed pseudonym and
 * generalises quasi-identifiers (docs/privacy.md).  An encrypted export passes the text
 * through crypt.c's stream on its way out.
 *
 * Memory is bounded by one record and the 64 KiB output buffer.  This is the top of the
 * library's layers, beside import.c: nothing below calls into it.
 */
#include "private.h"
#include "private_crypt.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define PROGRESS_EVERY 4096
#define FLUSH_AT (64 * 1024)

typedef struct exporter {
	youth_registry *reg;
	youth_write_fn write;
	void *ctx;
	youth__buf out;
	youth_interchange_summary sum;
	const youth_export_options *opt;
	bool pseudo, csv;
	unsigned char key[YOUTH__KEY_BYTES]; /* the pseudonym key (pseudonymised export) */
	const char *place_path;              /* the export's own place filter, or NULL */
	sqlite3_stmt *count_st;              /* persons of the export at or below a place */
	/* Each place path a pseudonymised export has generalised -> the length of the part of it
	 * shown (an ancestor's path is a prefix of it), for the next person there, in any order. */
	youth__textmap places;
	youth__buf shown;                    /* a generalised place, built */
	bool csv_header;
	/* An export for a purpose: persons without active consent for it are left out, and the
	 * UUIDs of what is left out go to a temporary table, so that a later record referring to
	 * one is left out too (references point backwards: a record's person, or the record that
	 * leads to the person, was met before it). */
	const char *purpose;
	sqlite3_stmt *consented_st, *excluded_st, *exclude_st, *person_st;
} exporter;

static int ex_flush(exporter *x)
{
	if (x->out.len == 0)
		return YOUTH_OK;
	if (x->write(x->ctx, x->out.data, x->out.len) != 0)
		return youth__error(YOUTH_EIO, NULL, "export: writing failed after %lld bytes",
		                    (long long)x->sum.bytes);
	x->sum.bytes += (int64_t)x->out.len;
	x->out.len = 0;
	return YOUTH_OK;
}

static int ex_progress(exporter *x)
{
	if (x->opt->progress &&
	    x->opt->progress(x->opt->progress_ctx, x->sum.records, x->sum.bytes + (int64_t)x->out.len))
		return youth__error(YOUTH_ECANCELLED, NULL, "export stopped by the progress callback "
		                    "after %lld records", (long long)x->sum.records);
	return YOUTH_OK;
}

/* Whether field @f leaves the registry in this export (docs/privacy.md, "Exports that
 * travel"): the rule reads the field's flags, never a list of names. */
static bool ex_keeps(const exporter *x, const youth__field *f)
{
	unsigned fl = f->flags, asked = x->opt->flags;
	if ((fl & YOUTH_FIELD_IDENTIFYING) && (x->pseudo || !(asked & YOUTH_EXPORT_IDENTIFIERS)))
		return false;
	if ((fl & YOUTH_FIELD_CONTACT) && (x->pseudo || !(asked & YOUTH_EXPORT_CONTACTS)))
		return false;
	return !(x->pseudo && (fl & (YOUTH_FIELD_NAME | YOUTH_FIELD_FREE_TEXT)));
}

/* The key of a generalised date: birth_date -> birth_year. */
static const char *year_key(const char *name, char *out, size_t size)
{
	size_t n = strlen(name);
	if (n > 5 && strcmp(name + n - 5, "_date") == 0)
		n -= 5;
	snprintf(out, size, "%.*s_year", (int)n, name);
	return out;
}

/* The persons of the export living at or below @path. */
static int ex_count_at(exporter *x, const char *path, int64_t *n)
{
	static const char sql[] =
		"SELECT count(*) FROM person p JOIN place pl ON pl.id = p.place_id"
		" WHERE (pl.path = ?4 OR (pl.path > ?4 || '/' AND pl.path < ?4 || '0'))"
		" AND " YOUTH__EXPORT_PERSON_IN("p", "pl")
		" AND (?5 IS NULL OR " YOUTH__CONSENT_ACTIVE("p", "?5") ")";
	int s = SQLITE_OK;
	if (!x->count_st && (s = sqlite3_prepare_v2(x->reg->db, sql, -1, &x->count_st, NULL)))
		return youth__sqlite_error(x->reg->db, s, "generalising places");
	sqlite3_stmt *st = x->count_st;
	sqlite3_reset(st);
	youth__bind_text(st, 1, x->place_path);
	youth__bind_text(st, 2, x->opt->from);
	youth__bind_text(st, 3, x->opt->to);
	sqlite3_bind_text(st, 4, path, -1, SQLITE_TRANSIENT);
	youth__bind_text(st, 5, x->purpose);
	if ((s = sqlite3_step(st)) != SQLITE_ROW)
		return youth__sqlite_error(x->reg->db, s, "generalising places");
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return YOUTH_OK;
}

/* @path, or its nearest ancestor where at least k persons of the export live (the top of the
 * path when none has that many): a small community shows as its district. */
static int ex_generalise(exporter *x, const char *path, const char **out)
{
	int64_t shown_len;
	x->shown.len = 0;
	if (youth__textmap_get(&x->places, path, &shown_len)) {
		int rc = youth__buf_put(&x->shown, path, (size_t)shown_len);
		*out = x->shown.data;
		return rc;
	}
	int k = x->opt->k > 0 ? x->opt->k : 5;
	int rc = youth__buf_puts(&x->shown, path);
	int64_t n = 0;
	while (rc == YOUTH_OK && (rc = ex_count_at(x, x->shown.data, &n)) == YOUTH_OK && n < k) {
		char *slash = strrchr(x->shown.data, '/');
		if (!slash)
			break;
		*slash = 0;
		x->shown.len = (size_t)(slash - x->shown.data);
	}
	if (rc)
		return rc;
	youth__textmap_put(&x->places, path, (int64_t)x->shown.len);
	*out = x->shown.data;
	return YOUTH_OK;
}

/* A value as it leaves: *key and *text (NULL: nothing to write), *quote for text that YAML
 * must quote.  @num and @alt hold what is built here. */
static int ex_field(exporter *x, const youth__section *s, const youth__field *f,
                    sqlite3_stmt *st, int col, const char **key, const char **text,
                    bool *quote, char *num, size_t n_num, char *alt, size_t n_alt)
{
	*key = f->name;
	*text = NULL;
	*quote = false;
	if (sqlite3_column_type(st, col) == SQLITE_NULL || !ex_keeps(x, f))
		return YOUTH_OK;
	switch (f->type) {
	case YF_ID:
		return YOUTH_OK;
	case YF_REF: {
		const youth__ref *ref = youth__section_ref(s, f->name);
		if (!ref)
			return YOUTH_OK;
		*key = ref->key;
		*text = (const char *)sqlite3_column_text(st, col);
		break;
	}
	case YF_UUID:
	case YF_DATE:
		*text = (const char *)sqlite3_column_text(st, col);
		break;
	case YF_TEXT:
		*text = (const char *)sqlite3_column_text(st, col);
		*quote = true;
		break;
	case YF_ENUM:
		*text = youth__vocab_name(f, sqlite3_column_int(st, col));
		return YOUTH_OK; /* NULL for 0: unset */
	case YF_BOOL:
		*text = sqlite3_column_int(st, col) ? "true" : "false";
		break;
	case YF_INT:
	case YF_COUNT:
		if (sqlite3_column_int(st, col) < 0 && (f->flags & YOUTH_FIELD_OPTIONAL))
			return YOUTH_OK; /* an optional count's unset value */
		snprintf(num, n_num, "%d", sqlite3_column_int(st, col));
		*text = num;
		break;
	case YF_MONEY:
		if (sqlite3_column_int64(st, col) == 0 && (f->flags & YOUTH_FIELD_OPTIONAL))
			return YOUTH_OK; /* an optional amount's unset value */
		youth__money_format(sqlite3_column_int64(st, col), num, n_num);
		*text = num;
		*quote = true;
		break;
	}
	if (!x->pseudo || !*text)
		return YOUTH_OK;
	/* Pseudonymised: identity by keyed pseudonym, quasi-identifiers generalised. */
	if (f->type == YF_UUID || (f->type == YF_REF && youth__uuid_valid(*text))) {
		if (f->type == YF_UUID)
			*key = "pseudonym";
		youth__pseudonym(x->key, *text, alt);
		*text = alt;
	} else if ((f->flags & YOUTH_FIELD_QUASI) && f->type == YF_DATE) {
		*key = year_key(f->name, alt, n_alt);
		snprintf(num, n_num, "%.4s", *text);
		*text = num;
	} else if ((f->flags & YOUTH_FIELD_QUASI) && f->type == YF_TEXT) {
		return ex_generalise(x, *text, text);
	}
	return YOUTH_OK;
}

/* A CSV cell: quoted when it holds a comma, a quote, a line break or edge spaces. */
static int ex_csv_cell(youth__buf *b, const char *text, bool *first)
{
	int rc = *first ? YOUTH_OK : youth__buf_put(b, ",", 1);
	*first = false;
	if (rc || !text)
		return rc;
	size_t n = strlen(text);
	if (strpbrk(text, ",\"\r\n") == NULL && (n == 0 || (text[0] != ' ' && text[n - 1] != ' ')))
		return youth__buf_put(b, text, n);
	rc = youth__buf_put(b, "\"", 1);
	for (const char *p = text; rc == YOUTH_OK && *p; p++)
		rc = *p == '"' ? youth__buf_put(b, "\"\"", 2) : youth__buf_put(b, p, 1);
	return rc ? rc : youth__buf_put(b, "\"", 1);
}

static int ex_value(exporter *x, const youth__section *s, const youth__field *f,
                    sqlite3_stmt *st, int col, bool *first)
{
	youth__buf *b = &x->out;
	char num[40], alt[YOUTH__PSEUDONYM_LEN + 40];
	const char *key, *text;
	bool quote;
	int rc = ex_field(x, s, f, st, col, &key, &text, &quote, num, sizeof num, alt, sizeof alt);
	if (rc || !text)
		return rc;
	rc = youth__yaml_put_key(b, key, first);
	if (rc == YOUTH_OK) {
		if (youth__yaml_list_key(s->list_keys, f->name))
			rc = youth__yaml_put_list(b, text);
		else if (quote || f->type == YF_TEXT)
			rc = f->type == YF_MONEY ? youth__buf_printf(b, "\"%s\"", text)
			                         : youth__yaml_put_scalar(b, text, true);
		else
			rc = youth__buf_puts(b, text);
	}
	return rc ? rc : youth__buf_put(b, "\n", 1);
}

/* One row of a pseudonymised CSV table (the header line first, from the first row's keys:
 * every row has the same columns, empty where unset). */
static int ex_csv_row(exporter *x, const youth__section *s, sqlite3_stmt *st)
{
	char num[40], alt[YOUTH__PSEUDONYM_LEN + 40];
	const char *key, *text;
	bool quote, first = true;
	int rc = YOUTH_OK;
	for (int pass = x->csv_header ? 1 : 0; rc == YOUTH_OK && pass < 2; pass++) {
		first = true;
		for (size_t i = 0; rc == YOUTH_OK && i < s->kind->n_fields; i++) {
			const youth__field *f = &s->kind->fields[i];
			if (f->type == YF_ID || !ex_keeps(x, f) ||
			    (f->type == YF_REF && !youth__section_ref(s, f->name)))
				continue;
			rc = ex_field(x, s, f, st, (int)i, &key, &text, &quote, num, sizeof num, alt,
			              sizeof alt);
			if (rc == YOUTH_OK && pass == 0) { /* the header: the key a set value would get */
				if (f->type == YF_UUID)
					key = "pseudonym";
				else if ((f->flags & YOUTH_FIELD_QUASI) && f->type == YF_DATE)
					key = year_key(f->name, alt, sizeof alt);
				else if (f->type == YF_REF)
					key = youth__section_ref(s, f->name)->key;
				text = key;
			}
			if (rc == YOUTH_OK)
				rc = ex_csv_cell(&x->out, text, &first);
		}
		if (rc == YOUTH_OK)
			rc = youth__buf_put(&x->out, "\n", 1);
	}
	x->csv_header = true;
	return rc;
}

/* ---- an export for a purpose ------------------------------------------------------------- */

static const char SQL_EXCLUDED_TABLE[] =
	"CREATE TEMP TABLE IF NOT EXISTS youth_export_excluded (uuid TEXT PRIMARY KEY) WITHOUT ROWID;"
	"DELETE FROM temp.youth_export_excluded";

static int ex_prepare(exporter *x, const char *sql, sqlite3_stmt **st)
{
	int s = *st ? SQLITE_OK : sqlite3_prepare_v2(x->reg->db, sql, -1, st, NULL);
	if (s != SQLITE_OK)
		return youth__sqlite_error(x->reg->db, s, "exporting for a purpose");
	sqlite3_reset(*st);
	return YOUTH_OK;
}

/* Steps a one-row look-up into *@yes (its first column, or false for no row). */
static int ex_ask(exporter *x, sqlite3_stmt *st, bool *yes)
{
	int s = sqlite3_step(st);
	*yes = s == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return s == SQLITE_ROW || s == SQLITE_DONE
	               ? YOUTH_OK
	               : youth__sqlite_error(x->reg->db, s, "exporting for a purpose");
}

/* Whether @text is the UUID of a record left out. */
static int ex_is_excluded(exporter *x, const char *text, bool *out)
{
	*out = false;
	if (!text || !youth__uuid_valid(text))
		return YOUTH_OK;
	int rc = ex_prepare(x, "SELECT 1 FROM temp.youth_export_excluded WHERE uuid = ?1",
	                    &x->excluded_st);
	if (rc)
		return rc;
	sqlite3_bind_text(x->excluded_st, 1, text, -1, SQLITE_STATIC);
	return ex_ask(x, x->excluded_st, out);
}

/* Whether the row @st of @s is left out: a person without active consent for the purpose, or
 * a record that refers (by a reference or an extra key) to a record left out.  A row left out
 * has its own UUID remembered for the rows after it. */
static int ex_consent_filter(exporter *x, const youth__section *s, sqlite3_stmt *st, int ncols,
                             bool *skip)
{
	const youth__kind *k = s->kind;
	int rc = YOUTH_OK, uuid_col = -1;
	*skip = false;
	bool person = k == &youth__kind_person;
	if (person && (rc = ex_prepare(x, "SELECT " YOUTH__CONSENT_ACTIVE("p", "?2")
	                                  " FROM person p WHERE p.id = ?1", &x->consented_st)) ==
	                      YOUTH_OK) {
		bool given;
		sqlite3_bind_int64(x->consented_st, 1, sqlite3_column_int64(st, 0));
		sqlite3_bind_text(x->consented_st, 2, x->purpose, -1, SQLITE_STATIC);
		rc = ex_ask(x, x->consented_st, &given);
		*skip = !given;
	}
	for (int c = 0; rc == YOUTH_OK && c < ncols && !*skip; c++) {
		const youth__field *f = (size_t)c < k->n_fields ? &k->fields[c] : NULL;
		const char *text = (const char *)sqlite3_column_text(st, c);
		/* A person named by a record is asked directly: an export of some kinds only
		 * (youth_export_options.kinds) has met no person before. */
		if (f && f->type == YF_REF && f->refers_to && strcmp(f->refers_to, "person") == 0 &&
		    text && (rc = ex_prepare(x, "SELECT NOT " YOUTH__CONSENT_ACTIVE("p", "?2")
		                                " FROM person p WHERE p.uuid = ?1", &x->person_st)) ==
		                    YOUTH_OK) {
			sqlite3_bind_text(x->person_st, 1, text, -1, SQLITE_STATIC);
			sqlite3_bind_text(x->person_st, 2, x->purpose, -1, SQLITE_STATIC);
			rc = ex_ask(x, x->person_st, skip);
		} else if (!f || (f->type == YF_REF && youth__section_ref(s, f->name))) {
			rc = ex_is_excluded(x, text, skip);
		}
	}
	for (int c = 0; uuid_col < 0 && (size_t)c < k->n_fields; c++)
		if (k->fields[c].type == YF_UUID)
			uuid_col = c;
	if (rc || !*skip)
		return rc;
	x->sum.excluded++;
	x->sum.excluded_persons += person;
	if (uuid_col < 0 || sqlite3_column_type(st, uuid_col) == SQLITE_NULL)
		return YOUTH_OK;
	if ((rc = ex_prepare(x, "INSERT OR IGNORE INTO temp.youth_export_excluded (uuid) VALUES (?1)",
	                     &x->exclude_st)))
		return rc;
	sqlite3_bind_text(x->exclude_st, 1, (const char *)sqlite3_column_text(st, uuid_col), -1,
	                  SQLITE_STATIC);
	int step = sqlite3_step(x->exclude_st);
	sqlite3_reset(x->exclude_st);
	return step == SQLITE_DONE ? YOUTH_OK
	                           : youth__sqlite_error(x->reg->db, step, "exporting for a purpose");
}

static int ex_section(exporter *x, const youth__section *s, const char *place_path)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(x->reg->db, s->export_sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return youth__sqlite_error(x->reg->db, rc, "exporting");
	youth__bind_text(st, 1, place_path);
	youth__bind_text(st, 2, x->opt->from);
	youth__bind_text(st, 3, x->opt->to);
	int ncols = sqlite3_column_count(st);
	rc = YOUTH_OK;
	bool any = false;
	int s_rc;
	while (rc == YOUTH_OK && (s_rc = sqlite3_step(st)) == SQLITE_ROW) {
		bool skip = false;
		if (x->purpose && ((rc = ex_consent_filter(x, s, st, ncols, &skip)) || skip))
			continue;
		if (x->csv) {
			x->sum.records++;
			if ((rc = ex_csv_row(x, s, st)) == YOUTH_OK && x->out.len >= FLUSH_AT)
				rc = ex_flush(x);
			continue;
		}
		if (!any && (rc = youth__buf_printf(&x->out, "%s:\n", s->name)))
			break;
		any = true;
		bool first = true;
		for (size_t i = 0; rc == YOUTH_OK && i < s->kind->n_fields; i++)
			rc = ex_value(x, s, &s->kind->fields[i], st, (int)i, &first);
		/* Columns past the fields are the section's extra keys, in order. */
		const char *const *extra = s->extra_keys;
		for (int c = (int)s->kind->n_fields; rc == YOUTH_OK && c < ncols && extra && *extra;
		     c++, extra++) {
			if (sqlite3_column_type(st, c) == SQLITE_NULL)
				continue;
			const char *v = (const char *)sqlite3_column_text(st, c);
			char alias[YOUTH__PSEUDONYM_LEN + 1];
			/* Pseudonymised: a reason is free text, an operator's UUID a pseudonym. */
			if (x->pseudo && strstr(*extra, "reason"))
				continue;
			if (x->pseudo && youth__uuid_valid(v)) {
				youth__pseudonym(x->key, v, alias);
				v = alias;
			}
			rc = youth__yaml_put_key(&x->out, *extra, &first);
			if (rc == YOUTH_OK)
				rc = youth__yaml_list_key(s->list_keys, *extra)
				             ? youth__yaml_put_list(&x->out, v)
				             : youth__yaml_put_scalar(&x->out, v, true);
			if (rc == YOUTH_OK)
				rc = youth__buf_put(&x->out, "\n", 1);
		}
		x->sum.records++;
		if (rc == YOUTH_OK && x->out.len >= FLUSH_AT)
			rc = ex_flush(x);
		if (rc == YOUTH_OK && x->sum.records % PROGRESS_EVERY == 0)
			rc = ex_progress(x);
	}
	if (rc == YOUTH_OK && s_rc != SQLITE_DONE)
		rc = youth__sqlite_error(x->reg->db, s_rc, "exporting");
	sqlite3_finalize(st);
	return rc;
}

/* ---- the identifying export ------------------------------------------------------------- */

/* A JSON string member, or nothing for NULL. */
static int ex_json_member(youth__buf *b, const char *key, const char *value)
{
	if (!value)
		return YOUTH_OK;
	int rc = youth__buf_printf(b, ",\"%s\":\"", key);
	for (const char *p = value; rc == YOUTH_OK && *p; p++)
		rc = *p == '"' || *p == '\\' ? youth__buf_printf(b, "\\%c", *p)
		     : (unsigned char)*p < 0x20 ? youth__buf_printf(b, "\\u%04x", *p)
		                                : youth__buf_put(b, p, 1);
	return rc ? rc : youth__buf_put(b, "\"", 1);
}

/*
 * An export that carries national IDs or contacts, from an audited registry, first writes an
 * audit entry (actor, time, what was asked, the purpose, the filters and how many persons the
 * export holds) in a short write of its own, committed before any byte leaves: an export that
 * could not be audited does not happen.  So it needs a handle that can write (a read-only one
 * is refused, YOUTH_EREADONLY) and no open transaction of the caller's, whose rollback would
 * take the entry back after the data had left (YOUTH_EMISUSE).
 */
static int ex_audit(exporter *x)
{
	youth_registry *reg = x->reg;
	int on = youth_audit_enabled(reg);
	if (on <= 0)
		return on;
	const char *asked = (x->opt->flags & YOUTH_EXPORT_IDENTIFIERS)
	                            ? (x->opt->flags & YOUTH_EXPORT_CONTACTS ? "identifiers, contacts"
	                                                                     : "identifiers")
	                            : "contacts";
	if (reg->readonly)
		return youth__error(YOUTH_EREADONLY, "flags", "%s: an export with %s from an audited "
		                    "registry is recorded in its audit trail, which a read-only handle "
		                    "cannot write; open the registry for writing", reg->path, asked);
	if (!sqlite3_get_autocommit(reg->db))
		return youth__error(YOUTH_EMISUSE, "flags", "an export with %s from an audited registry "
		                    "must run outside a transaction, so that its audit entry is "
		                    "committed before the data leaves", asked);
	static const char sql[] =
		"SELECT count(*) FROM person p JOIN place pl ON pl.id = p.place_id"
		" WHERE " YOUTH__EXPORT_PERSON_IN("p", "pl")
		" AND (?4 IS NULL OR " YOUTH__CONSENT_ACTIVE("p", "?4") ")";
	sqlite3_stmt *st = NULL;
	int64_t persons = 0;
	int s = sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL);
	if (s == SQLITE_OK) {
		youth__bind_text(st, 1, x->place_path);
		youth__bind_text(st, 2, x->opt->from);
		youth__bind_text(st, 3, x->opt->to);
		youth__bind_text(st, 4, x->purpose);
		if ((s = sqlite3_step(st)) == SQLITE_ROW)
			persons = (x->opt->kinds && !(x->opt->kinds & YOUTH_KIND_PERSONS))
			                  ? 0 : sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (s != SQLITE_ROW)
		return youth__sqlite_error(reg->db, s, "counting the persons of an export");
	youth__buf b = {0};
	int rc = youth__buf_printf(&b, "{\"with\":\"%s\",\"persons\":%lld", asked,
	                           (long long)persons);
	if (rc == YOUTH_OK && x->opt->kinds)
		rc = youth__buf_printf(&b, ",\"kinds\":%u", x->opt->kinds);
	if (rc == YOUTH_OK)
		rc = ex_json_member(&b, "purpose", x->purpose);
	if (rc == YOUTH_OK)
		rc = ex_json_member(&b, "place", x->opt->place);
	if (rc == YOUTH_OK)
		rc = ex_json_member(&b, "from", x->opt->from);
	if (rc == YOUTH_OK)
		rc = ex_json_member(&b, "to", x->opt->to);
	if (rc == YOUTH_OK && (x->opt->flags & YOUTH_EXPORT_ENCRYPT))
		rc = youth__buf_puts(&b, ",\"encrypted\":true");
	if (rc == YOUTH_OK)
		rc = youth__buf_put(&b, "}", 2);
	if (rc == YOUTH_OK)
		rc = youth__audit_note(reg, "export with identifying fields", "export", "read", b.data);
	youth__buf_free(&b);
	return rc;
}

void youth_export_options_init(youth_export_options *o)
{
	if (o)
		memset(o, 0, sizeof *o);
}

static int export_run(youth_registry *reg, youth_write_fn write, void *ctx,
                      const youth_export_options *options, youth_interchange_summary *summary)
{
	if (summary)
		memset(summary, 0, sizeof *summary);
	if (!reg || !write)
		return youth__error(YOUTH_EINVAL, NULL, "export: NULL %s", reg ? "output" : "registry");
	youth_export_options none = {0};
	exporter x = {.reg = reg, .write = write, .ctx = ctx, .opt = options ? options : &none};
	unsigned all = YOUTH_KIND_GAZETTEER | YOUTH_KIND_PERSONS | YOUTH_KIND_EXCHANGES |
	               YOUTH_KIND_RULES | YOUTH_KIND_COURSES | YOUTH_KIND_COUNSELLING |
	               YOUTH_KIND_SCHOLARSHIPS | YOUTH_KIND_ENTERPRISE | YOUTH_KIND_FOLLOWUPS |
	               YOUTH_KIND_CONSENTS;
	unsigned kinds = x.opt->kinds ? x.opt->kinds : all;
	int rc = YOUTH_OK;
	if (kinds & ~all)
		rc = youth__error(YOUTH_EINVAL, "kinds", "export: unknown kinds 0x%x", kinds & ~all);
	if (rc == YOUTH_OK && x.opt->from)
		rc = youth_date_check(x.opt->from, "from");
	if (rc == YOUTH_OK && x.opt->to)
		rc = youth_date_check(x.opt->to, "to");
	if (rc == YOUTH_OK && x.opt->from && x.opt->to && strcmp(x.opt->from, x.opt->to) > 0)
		rc = youth__error(YOUTH_EINVAL, "to", "to \"%s\": before from \"%s\"", x.opt->to,
		                  x.opt->from);
	unsigned known = YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS | YOUTH_EXPORT_PSEUDONYMISE |
	                 YOUTH_EXPORT_CSV | YOUTH_EXPORT_ENCRYPT;
	x.pseudo = x.opt->flags & YOUTH_EXPORT_PSEUDONYMISE;
	x.csv = x.opt->flags & YOUTH_EXPORT_CSV;
	if (rc == YOUTH_OK && (x.opt->flags & ~known))
		rc = youth__error(YOUTH_EINVAL, "flags", "export: unknown flags 0x%x",
		                  x.opt->flags & ~known);
	if (rc == YOUTH_OK && x.csv && !x.pseudo)
		rc = youth__error(YOUTH_EINVAL, "flags", "export: CSV is the form of a pseudonymised "
		                  "export only");
	if (rc == YOUTH_OK && x.pseudo) {
		unsigned char file_key[YOUTH__KEY_BYTES];
		if (!x.opt->pseudonym_key_file)
			rc = youth__error(YOUTH_EINVAL, "pseudonym_key_file", "pseudonymised export: no "
			                  "key file (make one with `youth key new FILE`)");
		else if ((rc = youth__key_read(x.opt->pseudonym_key_file, file_key)) == YOUTH_OK)
			youth__pseudonym_key(file_key, x.key);
		sodium_memzero(file_key, sizeof file_key);
	}
	if (rc == YOUTH_OK && x.csv)
		kinds = YOUTH_KIND_PERSONS; /* one table */
	x.purpose = x.opt->purpose;
	if (rc == YOUTH_OK && x.purpose)
		rc = youth_purpose_check(reg, x.purpose);
	youth__buf path = {0};
	if (rc == YOUTH_OK && x.opt->place) {
		int64_t id;
		rc = youth__place_resolve(reg, x.opt->place, "place", &id);
		if (rc == YOUTH_OK)
			rc = youth__place_path(reg, id, &path);
		x.place_path = path.data;
	}
	/* National IDs or contacts leaving the registry are a fact the audit trail records
	 * (docs/privacy.md, "The identifying export"); a pseudonymised export never carries them. */
	if (rc == YOUTH_OK && !x.pseudo &&
	    (x.opt->flags & (YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS)))
		rc = ex_audit(&x);
	youth__enc enc = {0};
	bool encrypting = rc == YOUTH_OK && (x.opt->flags & YOUTH_EXPORT_ENCRYPT);
	if (encrypting) {
		rc = youth__enc_begin(&enc, x.write, x.ctx, x.opt->key_file, x.opt->passphrase);
		x.write = youth__enc_write;
		x.ctx = &enc;
	}
	/* One read transaction: the file is a snapshot even while others write. */
	bool began = false;
	if (rc == YOUTH_OK && sqlite3_get_autocommit(reg->db)) {
		if ((rc = youth__exec(reg, "BEGIN")) == YOUTH_OK)
			began = true;
	}
	bool excluding = rc == YOUTH_OK && x.purpose;
	if (excluding)
		rc = youth__exec(reg, SQL_EXCLUDED_TABLE);
	if (rc == YOUTH_OK && !x.csv)
		rc = x.pseudo ? youth__buf_puts(&x.out, "format: libyouth-pseudonymised/1\n")
		              : youth__yaml_put_begin(&x.out);
	/* What this export leaves out of its sections, so that importing it back keeps those
	 * fields as stored. */
	unsigned present = 0, withheld = 0;
	for (size_t i = 0; i < youth__n_sections; i++)
		for (size_t j = 0; (kinds & youth__sections[i]->kind_flag) &&
		                   j < youth__sections[i]->kind->n_fields; j++)
			present |= youth__sections[i]->kind->fields[j].flags;
	if (!x.pseudo && (present & YOUTH_FIELD_IDENTIFYING))
		withheld |= ~x.opt->flags & YOUTH_EXPORT_IDENTIFIERS;
	if (!x.pseudo && (present & YOUTH_FIELD_CONTACT))
		withheld |= ~x.opt->flags & YOUTH_EXPORT_CONTACTS;
	if (rc == YOUTH_OK && withheld)
		rc = youth__buf_printf(&x.out, "withheld: [%s%s%s]\n",
		                       withheld & YOUTH_EXPORT_IDENTIFIERS ? "identifiers" : "",
		                       withheld == (YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS)
		                               ? ", " : "",
		                       withheld & YOUTH_EXPORT_CONTACTS ? "contacts" : "");
	for (size_t i = 0; rc == YOUTH_OK && i < youth__n_sections; i++)
		if (kinds & youth__sections[i]->kind_flag)
			rc = ex_section(&x, youth__sections[i], x.opt->place ? path.data : NULL);
	if (rc == YOUTH_OK && !x.csv)
		rc = youth__yaml_put_end(&x.out, x.sum.records);
	if (rc == YOUTH_OK)
		rc = ex_flush(&x);
	if (rc == YOUTH_OK && encrypting)
		rc = youth__enc_end(&enc);
	if (encrypting)
		youth__enc_free(&enc);
	if (rc == YOUTH_OK)
		rc = ex_progress(&x);
	sqlite3_finalize(x.consented_st);
	sqlite3_finalize(x.excluded_st);
	sqlite3_finalize(x.exclude_st);
	sqlite3_finalize(x.person_st);
	if (excluding) /* nothing of the export stays on the connection */
		sqlite3_exec(reg->db, "DELETE FROM temp.youth_export_excluded", NULL, NULL, NULL);
	if (began) {
		sqlite3_exec(reg->db, "COMMIT", NULL, NULL, NULL);
	}
	youth__buf_free(&path);
	youth__buf_free(&x.out);
	sqlite3_finalize(x.count_st);
	youth__textmap_free(&x.places);
	youth__buf_free(&x.shown);
	sodium_memzero(x.key, sizeof x.key);
	if (summary)
		*summary = x.sum;
	return rc;
}

int youth_export_write(youth_interchange_summary *summary, youth_registry *reg,
                       youth_write_fn write, void *ctx, const youth_export_options *options)
{
	return export_run(reg, write, ctx, options, summary);
}

static int write_stream(void *ctx, const char *data, size_t size)
{
	return fwrite(data, 1, size, ctx) == size ? 0 : -1;
}

int youth_export_stream(youth_interchange_summary *summary, youth_registry *reg, FILE *stream,
                        const youth_export_options *options)
{
	if (!stream) {
		if (summary)
			memset(summary, 0, sizeof *summary);
		return youth__error(YOUTH_EINVAL, NULL, "youth_export_stream: NULL stream");
	}
	int rc = export_run(reg, write_stream, stream, options, summary);
	if (rc == YOUTH_OK && fflush(stream) != 0)
		rc = youth__error(errno == ENOSPC ? YOUTH_EFULL : YOUTH_EIO, NULL, "export: %s",
		                  strerror(errno));
	return rc;
}

struct export_to_file {
	youth_interchange_summary *summary;
	youth_registry *reg;
	const youth_export_options *options;
};

static int export_fill(FILE *f, void *ctx)
{
	struct export_to_file *x = ctx;
	return youth_export_stream(x->summary, x->reg, f, x->options);
}

int youth_export_file(youth_interchange_summary *summary, youth_registry *reg, const char *path,
                      const youth_export_options *options)
{
	if (summary)
		memset(summary, 0, sizeof *summary);
	if (!reg || !path)
		return youth__null_arg("youth_export_file", reg, "path");
	/* A reader never sees half a file, and a killed export leaves nothing (outfile.c). */
	struct export_to_file x = {summary, reg, options};
	return youth__file_replace(path, export_fill, &x);
}
