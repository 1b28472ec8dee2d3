/*
 * The section contract: what a module uses to describe and import its sections of a
 * `libyouth/1` file (private_interchange.h).  The look-ups by UUID or natural key that
 * sections resolve their references with, the view of the running import that a section's
 * import function reads, and the override keys that every service section shares.
 *
 * This sits below the gazetteer and the services, which declare sections, and far below the
 * engines that walk them (catalogue.c, import.c, export.c): nothing here may call into those.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

const char *youth__imp_value(const youth__imp *imp, const char *key)
{
	/* An enrollment asks for ten keys among its fifteen or so: the first letter settles most
	 * comparisons without a call. */
	for (int i = 0; i < imp->r->n; i++) {
		const char *k = imp->r->b.data + imp->r->kv[i].key;
		if (k[0] == key[0] && strcmp(k, key) == 0)
			return imp->r->b.data + imp->r->kv[i].val;
	}
	return NULL;
}

/* Steps @sql with the text @v bound to ?1: *id (and, with @uuid, the stored uuid of column 1)
 * of its row, left alone when there is none. */
static int lookup(youth_registry *reg, const char *sql, const char *v, const char *what,
                  int64_t *id, char *uuid)
{
	sqlite3_stmt *st;
	bool found;
	int rc = youth__stmt(reg, sql, &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_text(st, 1, v, -1, SQLITE_STATIC);
		rc = youth__step_row(reg, st, &found, what);
	}
	if (rc)
		return rc;
	if (found)
		*id = sqlite3_column_int64(st, 0);
	if (found && uuid)
		youth__col_text(st, 1, uuid, YOUTH_UUID_LEN + 1);
	sqlite3_reset(st);
	return YOUTH_OK;
}

/* The id of the record with @uuid (any case) in the table of @sql (a static "SELECT id ...
 * WHERE uuid = ?1"), or 0 when there is none or @uuid is not a UUID. */
int youth__id_by_uuid(youth_registry *reg, const char *sql, const char *uuid, int64_t *id)
{
	*id = 0;
	if (!uuid || !youth__uuid_valid(uuid))
		return YOUTH_OK;
	char norm[YOUTH_UUID_LEN + 1];
	memcpy(norm, uuid, sizeof norm);
	youth__uuid_norm(norm);
	return lookup(reg, sql, norm, "finding a record by uuid", id, NULL);
}

/* Looks up a record by uuid (@by_uuid), else by natural key (@by_key, may be NULL); *id = 0
 * when neither names one.  The stored uuid is copied to @uuid. */
int youth__find_record(youth_registry *reg, const char *by_uuid, const char *uuid_given,
                       const char *by_key, const char *key, int64_t *id,
                       char uuid[YOUTH_UUID_LEN + 1])
{
	*id = 0;
	int rc = YOUTH_OK;
	if (by_uuid && uuid_given && *uuid_given)
		rc = lookup(reg, by_uuid, uuid_given, "finding a record", id, uuid);
	if (rc == YOUTH_OK && *id == 0 && by_key && key && *key)
		rc = lookup(reg, by_key, key, "finding a record", id, uuid);
	return rc;
}

/* A file that gives both a uuid and a natural key must not tie them to two records. */
int youth__same_uuid(const char *given, const char *stored, const char *what, const char *key,
                     const char *value)
{
	if (!given[0])
		return YOUTH_OK;
	char norm[YOUTH_UUID_LEN + 1];
	memcpy(norm, given, sizeof norm);
	youth__uuid_norm(norm);
	if (strcmp(norm, stored) == 0)
		return YOUTH_OK;
	return youth__error(YOUTH_EEXISTS, key, "%s \"%s\": registered to %s %s, but the file gives "
	                    "uuid %s", key, value, what, stored, norm);
}

int youth__imp_override(youth__imp *imp, youth_override *ovr, const youth_override **out)
{
	static const char by_uuid[] = "SELECT id FROM operator WHERE uuid = ?1";
	const char *by = youth__imp_value(imp, "override_by");
	const char *why = youth__imp_value(imp, "override_reason");
	*out = NULL;
	if (!by && !why)
		return YOUTH_OK;
	if (!by || !why)
		return youth__error(YOUTH_EINVAL, by ? "override_reason" : "override_by",
		                    "%s: missing (an override names the operator and the reason)",
		                    by ? "override_reason" : "override_by");
	if (!youth__uuid_valid(by))
		return youth__error(YOUTH_EINVAL, "override_by", "override_by \"%.40s\": not a UUID",
		                    by);
	int rc = youth__id_by_uuid(imp->reg, by_uuid, by, &ovr->operator_id);
	if (rc == YOUTH_OK && ovr->operator_id == 0)
		rc = youth__error(YOUTH_ENOTFOUND, "override_by", "override_by \"%s\": no such operator "
		                  "UUID (neither in the registry nor earlier in the file)", by);
	ovr->reason = why;
	if (rc == YOUTH_OK)
		*out = ovr;
	return rc;
}

const youth__ref *youth__section_ref(const youth__section *s, const char *field)
{
	for (int i = 0; i < s->n_refs; i++)
		if (strcmp(s->refs[i].field, field) == 0)
			return &s->refs[i];
	return NULL;
}

/* ---- files of one list ------------------------------------------------------------------ */

/* Reads the opened @y (or reports why it did not open) in the load's one write. */
static int load(const youth__load *l, youth_registry *reg, youth__yaml *y, int rc, void *ctx,
                int64_t *count)
{
	int64_t n = 0;
	youth__write w;
	youth__loading ld = {&w, ctx};
	if (rc == YOUTH_OK && (rc = youth__write_begin(&w, reg, l->op)) == YOUTH_OK) {
		/* All or nothing: the load's own write undoes a failed record, so the records' writes
		 * need no savepoint each (bulk mode, as an import); a failed one fails the load. */
		bool outer = !reg->bulk;
		if (outer) {
			reg->bulk = true;
			youth__operator_memo_clear(reg); /* read only in bulk mode: from now on */
			reg->bulk_failed = false;
		}
		int read = youth__yaml_read_file(y, l->file, &ld, &n);
		if (outer) {
			if (read == YOUTH_OK && reg->bulk_failed)
				read = youth__error(YOUTH_ERROR, NULL, "%s: a record's write failed", l->op);
			reg->bulk = false;
		}
		rc = youth__write_end(&w, read);
	}
	youth__yaml_close(y);
	if (rc == YOUTH_OK && count)
		*count = n;
	return rc;
}

int youth__load_file(const youth__load *l, youth_registry *reg, const char *path, void *ctx,
                     int64_t *count)
{
	if (count)
		*count = 0;
	if (!reg || !path)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL %s", l->fn, reg ? "path" : "registry");
	youth__yaml y;
	return load(l, reg, &y, youth__yaml_open_file(&y, path), ctx, count);
}

int youth__load_buffer(const youth__load *l, youth_registry *reg, const char *data, size_t size,
                       const char *name, void *ctx, int64_t *count)
{
	if (count)
		*count = 0;
	if (!reg || !data)
		return youth__error(YOUTH_EINVAL, NULL, "%s_buffer: NULL %s", l->fn,
		                    reg ? "data" : "registry");
	youth__yaml y;
	return load(l, reg, &y, youth__yaml_open_buffer(&y, data, size, name), ctx, count);
}

/* ---- upsert by uuid or natural key ---------------------------------------------------------- */

/* Exports leave national IDs and contact details out unless asked, and say so in `withheld:`
 * (docs/privacy.md): a withheld field absent from a record keeps the stored value, so that
 * importing such an export back never erases them.  A key given empty still clears it. */
static void keep_withheld(const youth__imp *imp, const youth__kind *k, const void *old, void *rec)
{
	for (size_t i = 0; i < k->n_fields; i++) {
		const youth__field *f = &k->fields[i];
		if (f->type == YF_TEXT && (f->flags & imp->withheld) && !youth__imp_value(imp, f->name))
		{
			const char *v;
			memcpy(&v, (const char *)old + f->offset, sizeof v);
			memcpy((char *)rec + f->offset, &v, sizeof v);
		}
	}
}

int youth__imp_upsert(youth__imp *imp, const youth__upsert *u, void *rec, void *ctx, int *done)
{
	youth_registry *reg = imp->reg;
	*done = YOUTH__IMP_ADDED;
	if (!(imp->flags & YOUTH_IMPORT_UPSERT))
		return u->add(imp, rec, ctx);
	const youth__kind *k = u->kind;
	char kb[32], ob[32];
	const char *key = NULL, *given = youth__rec_uuid(k, rec);
	int64_t id;
	char uuid[YOUTH_UUID_LEN + 1] = "";
	int rc = u->by_key ? youth__rec_get_field(&key, k, rec, u->key, kb, sizeof kb) : YOUTH_OK;
	if (rc == YOUTH_OK)
		rc = youth__find_record(reg, u->by_uuid, given, u->by_key, key, &id, uuid);
	if (rc || id == 0)
		return rc ? rc : u->add(imp, rec, ctx);
	if (u->by_key && (rc = youth__same_uuid(given, uuid, k->label, u->key, key ? key : "")))
		return rc;
	void *old = NULL;
	youth__buf scratch = {0};
	rc = youth__rec_get(&old, reg, k, u->by_id, id, k->label);
	if (rc == YOUTH_OK)
		keep_withheld(imp, k, old, rec);
	if (rc == YOUTH_OK && u->prepare)
		u->prepare(reg, k, rec, &scratch);
	youth__rec_set_key(k, rec, id, uuid);
	bool same = rc == YOUTH_OK && youth__rec_same(k, old, rec);
	*done = same || !u->update ? YOUTH__IMP_UNCHANGED : YOUTH__IMP_UPDATED;
	if (rc == YOUTH_OK && !same && u->update) {
		rc = u->update(imp, rec, ctx);
	} else if (rc == YOUTH_OK && !same) {
		const char *was = NULL;
		youth__rec_get_field(&was, k, old, u->key, ob, sizeof ob);
		rc = youth__error(YOUTH_EEXISTS, u->key, "%s %s (uuid %s): already in the registry with "
		                  "other values, and %s cannot be updated by import", k->label,
		                  was ? was : "", uuid, u->a_label);
	}
	youth__free(old);
	youth__buf_free(&scratch);
	return rc;
}
