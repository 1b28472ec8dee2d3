/*
 * Youth census records.
 *
 * The field table (record.c) drives the text interface (set/get by name, used by the CLI,
 * the YAML loader and Python), so a field's name, type and vocabulary live in one place.  The
 * rules themselves live in validate(), which every write calls.
 */
#include "private_names.h"

#include <stdio.h>
#include <string.h>

/* ---- vocabularies and fields ------------------------------------------------------------ */

/* A field with privacy flags (kind.h: what it tells about the person, for exports). */

const char *youth_sex_name(int sex) { return YOUTH__VOCAB_NAME(youth__voc_person_sex, sex); }
const char *youth_education_name(int e) { return YOUTH__VOCAB_NAME(youth__voc_person_education, e); }
const char *youth_employment_name(int e) { return YOUTH__VOCAB_NAME(youth__voc_person_employment, e); }

YOUTH__RECORD_API(youth_person, youth__kind_person)

/* ---- validation ---------------------------------------------------------------------- */

/* Values derived from a record by validate(): normalised forms and the place key. */
typedef struct checked {
	int64_t place_id;
	char phone[10];
	youth__buf profiles;
	youth__buf name_key;
	char uuid[YOUTH_UUID_LEN + 1];
} checked;

static void checked_free(checked *c)
{
	youth__buf_free(&c->profiles);
	youth__buf_free(&c->name_key);
}

/* Appends one tag to the list being built in @ctx, after ", " unless it is the first. */
static int profile_item(void *ctx, const char *item, size_t n)
{
	youth__buf *out = ctx;
	int rc = out->len ? youth__buf_put(out, ", ", 2) : YOUTH_OK;
	return rc ? rc : youth__buf_put(out, item, n);
}

/* Splits on commas, trims each tag, drops empty ones, joins with ", ". */
static int profiles_rule(const char *v, youth__buf *out)
{
	return youth__each_item(v, profile_item, out);
}

static int round_rule(const char *v)
{
	if (!v || !*v)
		return youth__error(YOUTH_EINVAL, "census_round", "census_round: missing (required)");
	if (!youth__round_chars_ok(v, strlen(v)))
		return youth__error(YOUTH_EINVAL, "census_round",
		                    "census_round \"%.40s\": use 1-32 letters, digits, '-', '_' or '.'", v);
	return YOUTH_OK;
}

static int validate(youth_registry *reg, const youth_person *p, unsigned flags, checked *c)
{
	int rc;
	memset(c, 0, sizeof *c);
	if ((rc = youth__flags_rule("person", flags, YOUTH_PERSON_ALLOW_AGE)))
		return rc;
	if (p->uuid[0]) {
		if (memchr(p->uuid, 0, sizeof p->uuid) == NULL || !youth__uuid_valid(p->uuid))
			return youth__error(YOUTH_EINVAL, "uuid", "uuid \"%.36s\": not a UUID", p->uuid);
		memcpy(c->uuid, p->uuid, sizeof c->uuid);
		youth__uuid_norm(c->uuid);
	}
	if ((rc = youth__text_rule("given_names", p->given_names, YOUTH_NAME_MAX, true)) ||
	    (rc = youth__text_rule("first_surname", p->first_surname, YOUTH_NAME_MAX, true)) ||
	    (rc = youth__text_rule("second_surname", p->second_surname, YOUTH_NAME_MAX, false)))
		return rc;
	if (p->national_id && *p->national_id && (rc = youth_dui_check(p->national_id)))
		return rc;
	if ((rc = youth_date_check(p->birth_date, "birth_date")))
		return rc;
	if (p->sex != YOUTH_SEX_FEMALE && p->sex != YOUTH_SEX_MALE)
		return youth__error(YOUTH_EINVAL, "sex", p->sex ? "sex %d: must be female or male"
		                                                  : "sex: missing (female or male)",
		                    p->sex);
	if ((rc = youth__text_rule("address", p->address, YOUTH_ADDRESS_MAX, false)))
		return rc;
	if (p->phone && *p->phone && (rc = youth__phone_rule(p->phone, c->phone)))
		return rc;
	if (!youth_education_name(p->education))
		return youth__error(YOUTH_EINVAL, "education", "education %d: not a known level",
		                    p->education);
	if (!youth_employment_name(p->employment))
		return youth__error(YOUTH_EINVAL, "employment", "employment %d: not a known status",
		                    p->employment);
	if (p->studying != 0 && p->studying != 1)
		return youth__error(YOUTH_EINVAL, "studying", "studying %d: must be 0 or 1", p->studying);
	if (p->disability != 0 && p->disability != 1)
		return youth__error(YOUTH_EINVAL, "disability", "disability %d: must be 0 or 1",
		                    p->disability);
	if (p->household_size < 0 || p->household_size > 30)
		return youth__error(YOUTH_EINVAL, "household_size",
		                    "household_size %d: must be 1-30 (0 when not recorded)",
		                    p->household_size);
	if ((rc = youth_date_check(p->census_date, "census_date")))
		return rc;
	char today[YOUTH_DATE_LEN + 1];
	youth__today(today);
	if (strcmp(p->census_date, today) > 0)
		return youth__error(YOUTH_EINVAL, "census_date", "census_date \"%s\": in the future",
		                    p->census_date);
	if (strcmp(p->census_date, p->birth_date) < 0)
		return youth__error(YOUTH_EINVAL, "census_date",
		                    "census_date \"%s\": before birth_date \"%s\"", p->census_date,
		                    p->birth_date);
	youth__date b, at;
	youth__date_parse(p->birth_date, &b);
	youth__date_parse(p->census_date, &at);
	int age = youth__age(&b, &at);
	if ((age < 13 || age > 29) && !(flags & YOUTH_PERSON_ALLOW_AGE))
		return youth__error(YOUTH_EINVAL, "birth_date",
		                    "birth_date \"%s\": age %d at census_date %s is outside 13-29 "
		                    "(allow it explicitly to register it)", p->birth_date, age,
		                    p->census_date);
	/* The DUI is issued at 18 (docs/person.md): a minor's is a typing error or someone
	 * else's, and a national ID must never wrongly tie a child to an adult's records. */
	if (p->national_id && *p->national_id && age < 18)
		return youth__error(YOUTH_EINVAL, "national_id",
		                    "national_id \"%s\": the person is %d at census_date %s (born %s); "
		                    "a DUI is only issued at 18, leave it empty for a minor",
		                    p->national_id, age, p->census_date, p->birth_date);
	if ((rc = round_rule(p->census_round)))
		return rc;
	if ((rc = youth__text_rule("job_profiles", p->job_profiles, YOUTH_PROFILES_MAX, false)))
		return rc;
	if (p->consent != 0 && p->consent != 1)
		return youth__error(YOUTH_EINVAL, "consent", "consent %d: must be 0 or 1", p->consent);
	if (p->consent) {
		if (!p->consent_date || !*p->consent_date)
			return youth__error(YOUTH_EINVAL, "consent_date",
			                    "consent_date: missing (required when consent is given)");
		if ((rc = youth_date_check(p->consent_date, "consent_date")))
			return rc;
		if (strcmp(p->consent_date, today) > 0)
			return youth__error(YOUTH_EINVAL, "consent_date", "consent_date \"%s\": in the future",
			                    p->consent_date);
	} else if (p->consent_date && *p->consent_date) {
		return youth__error(YOUTH_EINVAL, "consent_date",
		                    "consent_date \"%.20s\": given but consent is false", p->consent_date);
	}
	if (p->retain_until && *p->retain_until &&
	    (rc = youth_date_check(p->retain_until, "retain_until")))
		return rc;
	/* Database look-ups last: a record with a bad field never costs a query. */
	if ((rc = youth__place_resolve(reg, p->place, "place", &c->place_id)))
		return rc;
	if (p->job_profiles && (rc = profiles_rule(p->job_profiles, &c->profiles)))
		return rc;
	rc = youth__fold_into(&c->name_key, p->given_names);
	if (rc == YOUTH_OK)
		rc = youth__buf_put(&c->name_key, " ", 1);
	if (rc == YOUTH_OK)
		rc = youth__fold_into(&c->name_key, p->first_surname);
	if (rc == YOUTH_OK && p->second_surname && *p->second_surname) {
		rc = youth__buf_put(&c->name_key, " ", 1);
		if (rc == YOUTH_OK)
			rc = youth__fold_into(&c->name_key, p->second_surname);
	}
	return rc;
}

/* ---- writing ------------------------------------------------------------------------- */

/* Binds every column but uuid, starting at parameter 1, in the order of SQL_INSERT. */
static void bind_person(sqlite3_stmt *st, const void *rec, const void *ctx)
{
	const youth_person *p = rec;
	const checked *c = ctx;
	youth__bind_text(st, 1, youth__nz(p->national_id));
	youth__bind_text(st, 2, p->given_names);
	youth__bind_text(st, 3, p->first_surname);
	youth__bind_text(st, 4, youth__nz(p->second_surname));
	sqlite3_bind_text(st, 5, c->name_key.data, (int)c->name_key.len, SQLITE_STATIC);
	youth__bind_text(st, 6, p->birth_date);
	sqlite3_bind_int(st, 7, p->sex);
	sqlite3_bind_int64(st, 8, c->place_id);
	youth__bind_text(st, 9, youth__nz(p->address));
	youth__bind_text(st, 10, c->phone[0] ? c->phone : NULL);
	sqlite3_bind_int(st, 11, p->education);
	sqlite3_bind_int(st, 12, p->studying);
	sqlite3_bind_int(st, 13, p->employment);
	youth__bind_id(st, 14, p->household_size);
	sqlite3_bind_int(st, 15, p->disability);
	youth__bind_text(st, 16, p->census_date);
	youth__bind_text(st, 17, p->census_round);
	youth__bind_text(st, 18, c->profiles.len ? c->profiles.data : NULL);
	sqlite3_bind_int(st, 19, p->consent);
	youth__bind_text(st, 20, p->consent ? p->consent_date : NULL);
	youth__bind_text(st, 21, youth__nz(p->retain_until));
}

static const char SQL_INSERT[] =
	"INSERT INTO person (national_id, given_names, first_surname, second_surname, name_key, "
	"birth_date, sex, place_id, address, phone, education, studying, employment, household_size, "
	"disability, census_date, census_round, job_profiles, consent, consent_date, retain_until, uuid) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
	"?19, ?20, ?21, ?22)";
static const char SQL_UPDATE[] =
	"UPDATE person SET national_id = ?1, given_names = ?2, first_surname = ?3, "
	"second_surname = ?4, name_key = ?5, birth_date = ?6, sex = ?7, place_id = ?8, address = ?9, "
	"phone = ?10, education = ?11, studying = ?12, employment = ?13, household_size = ?14, "
	"disability = ?15, census_date = ?16, census_round = ?17, job_profiles = ?18, consent = ?19, "
	"consent_date = ?20, retain_until = ?21 WHERE id = ?22";

/* Turns a UNIQUE failure into a message that says which value is taken and by whom. */
static int conflict_error(youth_registry *reg, const void *rec, const void *ctx,
                          const char *uuid)
{
	const youth_person *p = rec;
	(void)ctx;
	const char *msg = sqlite3_errmsg(reg->db);
	if (strstr(msg, "person.national_id")) {
		static const char sql[] = "SELECT uuid FROM person WHERE national_id = ?";
		sqlite3_stmt *st;
		char who[YOUTH_UUID_LEN + 1] = "?";
		if (youth__stmt(reg, sql, &st) == YOUTH_OK) {
			sqlite3_bind_text(st, 1, p->national_id, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				youth__col_text(st, 0, who, sizeof who);
			sqlite3_reset(st);
		}
		return youth__error(YOUTH_EEXISTS, "national_id",
		                    "national_id \"%s\": already registered to person %s", p->national_id,
		                    who);
	}
	return youth__error(YOUTH_EEXISTS, "uuid", "uuid %s: already used by another person", uuid);
}

/* The name index (names.c) is written in the same write as the person. */
static int index_name(youth__write *w, const void *rec, void *ctx, int64_t id)
{
	const youth_person *p = rec;
	(void)ctx;
	return youth__names_index(w->reg, id, p->given_names, p->first_surname, p->second_surname);
}

/* On a rename the schema's trigger has dropped the old keys. */
static int reindex_name(youth__write *w, const void *rec, void *ctx, int64_t id)
{
	const youth_person *p = rec;
	(void)ctx;
	return youth__names_reindex(w->reg, id, p->given_names, p->first_surname, p->second_surname);
}

/* An erased person's UUID is never written again (docs/privacy.md, "Erasure"): an add that
 * brings it back, an import included, and any change of the stub left in its place are
 * refused, naming the UUID.  Read inside the write, so an erasure by another process counts. */
static int not_erased(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	(void)rec;
	const checked *c = ctx;
	if (!self && !c->uuid[0])
		return YOUTH_OK; /* a new UUID: never erased */
	return youth__person_not_erased(reg, self, c->uuid, self ? YOUTH_ESTATE : YOUTH_EEXISTS,
	                                "added, changed or imported again");
}

int youth__person_not_erased(youth_registry *reg, int64_t id, const char *uuid, int code,
                             const char *refused)
{
	if (reg->bulk && reg->erased_none)
		return YOUTH_OK; /* an import, and nobody erased: one statement less a person */
	sqlite3_stmt *st;
	int rc = youth__stmt_by_key(&st, reg, id, uuid,
	                            "SELECT e.uuid, e.erased_at FROM person p JOIN person_erased e "
	                            "ON e.uuid = p.uuid WHERE p.id = ?1",
	                            "SELECT uuid, erased_at FROM person_erased WHERE uuid = ?2");
	if (rc)
		return rc;
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW)
		rc = youth__error(code, "uuid", "person %s: erased on %.10s; an erased person cannot be %s",
		                  (const char *)sqlite3_column_text(st, 0),
		                  (const char *)sqlite3_column_text(st, 1), refused);
	else if (s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, "looking for an erased person");
	sqlite3_reset(st);
	return rc;
}

/* A person and its name index keys go together or not at all.  Without a savepoint inside a
 * caller's transaction (.after_appends): the person's INSERT is the only statement that can
 * refuse, every check done before it, and the keys are appended by statements nothing can
 * refuse (names.c); a savepoint there made SQLite copy every page the add touched into a
 * statement journal, most of the cost of an add (docs/benchmarks.md, "Write benchmark").
 * A load or an import writes in the registry's bulk mode: the whole load is undone on failure. */
static const youth__put person_insert = {
	&youth__kind_person, "person", "add person", SQL_INSERT, "adding a person", 22,
	.after_appends = true,
	.check = not_erased, .bind = bind_person, .after = index_name, .conflict = conflict_error,
};
/* The consent flag is the `census` purpose of consent.c seen through the person: once the
 * person has a `census` history the flag follows its latest row, so an update may keep the
 * flag as it is but not change it (the change would have no row, no date of recording, no
 * evidence).  Without a history the flag is the person's own, as before. */
static int census_consent_kept(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	static const char sql[] = "SELECT state, date FROM consent WHERE person_id = ?1 AND "
	                          "purpose = 'census' ORDER BY id DESC LIMIT 1";
	const youth_person *p = rec;
	sqlite3_stmt *st;
	bool found = false;
	(void)ctx;
	int rc = youth__stmt(reg, sql, &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, self);
	if ((rc = youth__step_row(reg, st, &found, "reading consent")) || !found) {
		sqlite3_reset(st);
		return rc;
	}
	bool given = sqlite3_column_int(st, 0) == 1;
	char date[YOUTH_DATE_LEN + 1];
	youth__col_text(st, 1, date, sizeof date);
	sqlite3_reset(st);
	if (p->consent == given && (!given || strcmp(youth__nz(p->consent_date) ? p->consent_date
	                                                                          : "", date) == 0))
		return YOUTH_OK;
	return youth__error(YOUTH_EINVAL, "consent", "consent: person %lld has a consent history "
	                    "for census (%s on %s); record a change with youth_consent_give() or "
	                    "youth_consent_withdraw() (youth consent give|withdraw)", (long long)self,
	                    given ? "given" : "withdrawn", date);
}

/* The checks of an update inside its write: not an erased person's stub, the consent flag
 * kept in step with the census history. */
static int update_check(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	int rc = not_erased(reg, rec, ctx, self);
	return rc ? rc : census_consent_kept(reg, rec, ctx, self);
}

/* The UUID names the record forever: the update refuses one that would change it. */
static const youth__put person_update = {
	&youth__kind_person, "person", "update person", SQL_UPDATE, "updating a person", 22,
	.uuid_sql = "SELECT uuid FROM person WHERE id = ?", .bind = bind_person,
	.after = reindex_name, .conflict = conflict_error, .check = update_check,
};

int youth_person_add(youth_registry *reg, youth_person *p, unsigned flags)
{
	if (!reg || !p)
		return youth__null_arg("youth_person_add", reg, "person");
	checked c;
	int rc = validate(reg, p, flags, &c);
	if (rc == YOUTH_OK)
		rc = youth__rec_insert(reg, &person_insert, p, &c, c.uuid);
	checked_free(&c);
	return rc;
}

/* Finds the integer key of the person named by p->id or else p->uuid. */
static int locate(youth_registry *reg, int64_t id, const char *uuid, int64_t *out)
{
	sqlite3_stmt *st;
	int rc = youth__stmt_by_key(&st, reg, id, uuid, "SELECT id FROM person WHERE id = ?1",
	                            "SELECT id FROM person WHERE uuid = lower(?2)");
	if (rc)
		return rc;
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (s == SQLITE_DONE) {
		if (id)
			return youth__error(YOUTH_ENOTFOUND, "id", "person %lld: no such person",
			                    (long long)id);
		return youth__error(YOUTH_ENOTFOUND, "uuid", "person %.36s: no such person", uuid);
	}
	return s == SQLITE_ROW ? YOUTH_OK : youth__sqlite_error(reg->db, s, "finding a person");
}

int youth_person_update(youth_registry *reg, const youth_person *p, unsigned flags)
{
	if (!reg || !p)
		return youth__null_arg("youth_person_update", reg, "person");
	if (!p->id && !p->uuid[0])
		return youth__error(YOUTH_EINVAL, "id", "person update: needs an id or a uuid");
	if (p->id < 0)
		return youth__error(YOUTH_EINVAL, "id", "id %lld: not a valid id", (long long)p->id);
	checked c;
	int64_t id = 0;
	int rc = validate(reg, p, flags, &c);
	if (rc == YOUTH_OK)
		rc = locate(reg, p->id, c.uuid, &id);
	if (rc == YOUTH_OK)
		rc = youth__rec_update(reg, &person_update, p, &c, id, c.uuid);
	checked_free(&c);
	return rc;
}

int youth_person_delete(youth_registry *reg, int64_t id)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_person_delete: NULL registry");
	if (id <= 0)
		return youth__error(YOUTH_EINVAL, "id", "id %lld: not a valid id", (long long)id);
	youth__write w;
	int rc = youth__write_begin(&w, reg, "delete person");
	if (rc)
		return rc;
	static const char sql[] = "DELETE FROM person WHERE id = ?";
	sqlite3_stmt *st;
	rc = youth__stmt(reg, sql, &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, id);
		rc = youth__step_done(reg, st, "deleting a person");
		if (rc == YOUTH_EREFERENCED)
			rc = youth__error(YOUTH_EREFERENCED, "id",
			                  "person %lld: services refer to this person; delete them first "
			                  "or ask for a cascade", (long long)id);
		else if (rc == YOUTH_OK && sqlite3_changes(reg->db) == 0)
			rc = youth__error(YOUTH_ENOTFOUND, "id", "person %lld: no such person", (long long)id);
	}
	if (rc == YOUTH_OK)
		youth__write_row(&w, "person", id, 'd');
	return youth__write_end(&w, rc);
}

int youth__person_ref(youth_registry *reg, int64_t person_id)
{
	/* In bulk mode (an import) every person id was resolved from the file's UUID inside this
	 * write transaction, so the person exists; the foreign key stands behind it all the same.
	 * A national file names a person 1.7 times in its services: a read each saved. */
	if (reg->bulk && person_id > 0)
		return YOUTH_OK;
	return youth__person_check(reg, person_id, NULL);
}

int youth__person_check(youth_registry *reg, int64_t person_id, int *sex)
{
	sqlite3_stmt *st;
	int rc = youth__row_by_id(reg, "SELECT sex FROM person WHERE id = ?", person_id, "person_id",
	                          "person", &st);
	if (rc)
		return rc;
	if (sex)
		*sex = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return YOUTH_OK;
}

/* ---- the records about a person: the cascade, and the erasure's walk (erase.c) ---------- */

/*
 * The walk follows the foreign keys SQLite knows about instead of a hand-kept list, so a
 * table added by a later schema is covered the day it is created.  Referring rows are visited
 * first; a referring table without an integer `id` (a link table) cannot be referred to in
 * turn and is handed over whole, by its column.
 */

#define REFS_MAX_DEPTH 8

static int refs_row(const youth__refs *r, youth__write *w, const char *table, int64_t id,
                    int depth);

/* Visits the rows of @child whose column @col is @id, and what refers to them. */
static int refs_children(const youth__refs *r, youth__write *w, const char *child,
                         const char *col, int64_t id, int depth)
{
	youth_registry *reg = w->reg;
	char sql[256];
	sqlite3_stmt *st = NULL;
	int rc = YOUTH_OK;
	bool has_id = false;
	snprintf(sql, sizeof sql, "SELECT 1 FROM pragma_table_info(?) WHERE name = 'id' AND pk = 1");
	int s = sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL);
	if (s == SQLITE_OK) {
		sqlite3_bind_text(st, 1, child, -1, SQLITE_STATIC);
		has_id = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	if (s != SQLITE_OK)
		return youth__sqlite_error(reg->db, s, "reading the schema");
	if (!has_id)
		return r->links ? r->links(w, child, col, id) : YOUTH_OK;
	snprintf(sql, sizeof sql, "SELECT id FROM \"%s\" WHERE \"%s\" = ?", child, col);
	if ((rc = youth__prepare(&st, reg->db, sql, r->what)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	/* Collect first: changing rows while stepping the same table is not reliable. */
	int64_t *ids;
	size_t n;
	rc = youth__ids(&ids, &n, reg, st, r->what);
	sqlite3_finalize(st);
	for (size_t i = 0; rc == YOUTH_OK && i < n; i++)
		rc = refs_row(r, w, child, ids[i], depth + 1);
	youth__free(ids);
	return rc;
}

/* Keeps the (table, column) of a foreign key as "child\0col\0" in the youth__buf @ctx. */
static int ref_pair(void *ctx, sqlite3_stmt *st)
{
	int rc = youth__buf_put(ctx, (const char *)sqlite3_column_text(st, 0),
	                        (size_t)sqlite3_column_bytes(st, 0) + 1);
	return rc ? rc
	          : youth__buf_put(ctx, (const char *)sqlite3_column_text(st, 1),
	                           (size_t)sqlite3_column_bytes(st, 1) + 1);
}

static int refs_row(const youth__refs *r, youth__write *w, const char *table, int64_t id,
                    int depth)
{
	youth_registry *reg = w->reg;
	if (depth > REFS_MAX_DEPTH)
		return youth__error(YOUTH_ERROR, NULL, "%s: references nested deeper than %d", r->what,
		                    REFS_MAX_DEPTH);
	/* Every (table, column) whose foreign key points at @table. */
	static const char refs_sql[] =
		"SELECT m.name, f.\"from\" FROM sqlite_schema m, pragma_foreign_key_list(m.name) f "
		"WHERE m.type = 'table' AND f.\"table\" = ? ORDER BY m.name";
	youth__buf refs = {0}; /* "child\0col\0" pairs */
	int rc = youth__query_each(reg->db, refs_sql, "reading the schema", table, 0, ref_pair,
	                           &refs);
	for (size_t off = 0; rc == YOUTH_OK && off < refs.len;) {
		const char *child = refs.data + off;
		const char *col = child + strlen(child) + 1;
		off = (size_t)(col - refs.data) + strlen(col) + 1;
		rc = refs_children(r, w, child, col, id, depth);
	}
	youth__buf_free(&refs);
	return rc ? rc : r->row(w, table, id);
}

int youth__refs_walk(const youth__refs *r, youth__write *w, const char *table, int64_t id)
{
	return refs_row(r, w, table, id, 0);
}

/* The cascade: every row the walk meets is deleted, link rows included. */
static int cascade_links(youth__write *w, const char *child, const char *col, int64_t id)
{
	youth_registry *reg = w->reg;
	char sql[256];
	sqlite3_stmt *st;
	snprintf(sql, sizeof sql, "DELETE FROM \"%s\" WHERE \"%s\" = ?", child, col);
	int rc = youth__prepare(&st, reg->db, sql, "deleting with cascade");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	int s = sqlite3_step(st);
	sqlite3_finalize(st);
	if (s != SQLITE_DONE)
		return youth__sqlite_error(reg->db, s, "deleting with cascade");
	for (int n = sqlite3_changes(reg->db); n > 0; n--)
		youth__write_row(w, child, id, 'd');
	return YOUTH_OK;
}

static int cascade_row(youth__write *w, const char *table, int64_t id)
{
	youth_registry *reg = w->reg;
	char sql[128];
	sqlite3_stmt *st;
	snprintf(sql, sizeof sql, "DELETE FROM \"%s\" WHERE id = ?", table);
	int rc = youth__prepare(&st, reg->db, sql, "deleting with cascade");
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	int s = sqlite3_step(st);
	int changed = sqlite3_changes(reg->db);
	sqlite3_finalize(st);
	if (s != SQLITE_DONE)
		return youth__sqlite_error(reg->db, sqlite3_extended_errcode(reg->db),
		                           "deleting with cascade");
	if (changed)
		youth__write_row(w, table, id, 'd');
	return YOUTH_OK;
}

static const youth__refs cascade = {cascade_row, cascade_links, "deleting with cascade"};

int youth_person_delete_cascade(int64_t *removed, youth_registry *reg, int64_t id)
{
	if (removed)
		*removed = 0;
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_person_delete_cascade: NULL registry");
	if (id <= 0)
		return youth__error(YOUTH_EINVAL, "id", "id %lld: not a valid id", (long long)id);
	int rc = youth__person_check(reg, id, NULL);
	if (rc) {
		if (rc == YOUTH_ENOTFOUND)
			youth__error(YOUTH_ENOTFOUND, "id", "person %lld: no such person", (long long)id);
		return rc;
	}
	youth__write w;
	if ((rc = youth__write_begin(&w, reg, "delete person with cascade")))
		return rc;
	rc = youth__refs_walk(&cascade, &w, "person", id);
	int64_t rows = w.rows;
	rc = youth__write_end(&w, rc);
	if (rc == YOUTH_OK && removed)
		*removed = rows;
	return rc;
}

/* ---- reading ------------------------------------------------------------------------- */

#define PERSON_COLS                                                                          \
	"p.id, p.uuid, p.national_id, p.given_names, p.first_surname, p.second_surname, "        \
	"p.birth_date, p.sex, pl.path, p.address, p.phone, p.education, p.studying, "            \
	"p.employment, p.household_size, p.disability, p.census_date, p.census_round, "          \
	"p.job_profiles, p.consent, p.consent_date, p.retain_until"
#define PERSON_FROM " FROM person p JOIN place pl ON pl.id = p.place_id"

static const char SQL_BY_ID[] = "SELECT " PERSON_COLS PERSON_FROM " WHERE p.id = ?";

/* A person read in full is audited when the host asked for it (youth_audit_reads()); a read
 * that cannot be audited is not given. */
static int audited_read(int rc, youth_person **out, youth_registry *reg)
{
	if (rc == YOUTH_OK && (rc = youth__audit_read(reg, "person", (*out)->id, (*out)->uuid))) {
		youth_person_free(*out);
		*out = NULL;
	}
	return rc;
}

int youth_person_get(youth_person **out, youth_registry *reg, int64_t id)
{
	int rc = youth__rec_get(out, reg, &youth__kind_person, SQL_BY_ID, id, "youth_person_get");
	return audited_read(rc, out, reg);
}

int youth_person_get_by_uuid(youth_person **out, youth_registry *reg, const char *uuid)
{
	static const char sql[] = "SELECT " PERSON_COLS PERSON_FROM " WHERE p.uuid = lower(?)";
	if (out && reg && uuid && !youth__uuid_valid(uuid)) {
		*out = NULL;
		return youth__error(YOUTH_EINVAL, "uuid", "uuid \"%.40s\": not a UUID", uuid);
	}
	int rc = youth__rec_get_text(out, reg, &youth__kind_person, sql, uuid, NULL,
	                             "youth_person_get_by_uuid");
	/* The UUID of a person merged into another answers for the kept one (merge.c). */
	int64_t kept = 0;
	if (rc == YOUTH_ENOTFOUND && youth__alias_of(reg, uuid, &kept) == YOUTH_OK && kept)
		return youth_person_get(out, reg, kept);
	if (rc == YOUTH_ENOTFOUND)
		rc = youth__error(YOUTH_ENOTFOUND, "uuid", "person %.36s: no such person", uuid);
	return audited_read(rc, out, reg);
}

int youth_person_get_by_national_id(youth_person **out, youth_registry *reg,
                                    const char *national_id)
{
	static const char sql[] = "SELECT " PERSON_COLS PERSON_FROM " WHERE p.national_id = ?";
	if (out && reg && national_id) {
		int rc = youth_dui_check(national_id);
		if (rc) {
			*out = NULL;
			return rc;
		}
	}
	int rc = youth__rec_get_text(out, reg, &youth__kind_person, sql, national_id, NULL,
	                             "youth_person_get_by_national_id");
	if (rc == YOUTH_ENOTFOUND)
		rc = youth__error(YOUTH_ENOTFOUND, "national_id", "national_id %s: no such person",
		                  national_id);
	return rc;
}

/* ---- filters, counting and iteration --------------------------------------------------- */

/* A compiled filter: WHERE text plus the values to bind, in order. */
typedef struct compiled {
	youth__buf where;
	youth__buf values; /* NUL-separated strings, bound in order */
	int n_values;
	int sex;
} compiled;

static int add_value(compiled *c, const char *s)
{
	c->n_values++;
	return youth__buf_put(&c->values, s, strlen(s) + 1);
}

/* Appends a LIKE pattern matching words that start with @tok (escaping % and _). */
static int add_word(compiled *c, const char *tok, size_t n)
{
	youth__buf pat = {0};
	int rc = youth__buf_put(&pat, "% ", 2);
	for (size_t i = 0; rc == YOUTH_OK && i < n; i++) {
		if (tok[i] == '%' || tok[i] == '_' || tok[i] == '\\')
			rc = youth__buf_put(&pat, "\\", 1);
		if (rc == YOUTH_OK)
			rc = youth__buf_put(&pat, tok + i, 1);
	}
	if (rc == YOUTH_OK)
		rc = youth__buf_put(&pat, "%", 1);
	if (rc == YOUTH_OK)
		rc = youth__buf_printf(&c->where, " AND (' ' || p.name_key) LIKE ?%d ESCAPE '\\'",
		                       c->n_values + 1);
	if (rc == YOUTH_OK)
		rc = add_value(c, pat.data);
	youth__buf_free(&pat);
	return rc;
}

static void date_minus_years(const youth__date *d, int years, char out[YOUTH_DATE_LEN + 1])
{
	/* Kept as text even for 29 February in a common year: string comparison still orders it
	 * between the 28th and 1 March, which is exactly the birthday rule of youth_age_at(). */
	snprintf(out, YOUTH_DATE_LEN + 1, "%04u-%02u-%02u", (unsigned)(d->y - years) % 10000u,
	         (unsigned)d->m % 100u, (unsigned)d->d % 100u);
}

static int compile_filter(youth_registry *reg, const youth_person_filter *f, compiled *c)
{
	memset(c, 0, sizeof *c);
	int rc = youth__buf_puts(&c->where, " WHERE 1");
	if (!f || rc)
		return rc;
	if (f->sex != 0 && !youth_sex_name(f->sex))
		return youth__error(YOUTH_EINVAL, "sex", "filter sex %d: must be female or male", f->sex);
	if (f->age_min < 0 || f->age_max < 0)
		return youth__error(YOUTH_EINVAL, "age_min", "filter ages must not be negative");
	if (f->age_max && f->age_min > f->age_max)
		return youth__error(YOUTH_EINVAL, "age_min", "filter age_min %d is above age_max %d",
		                    f->age_min, f->age_max);
	if (f->place) {
		int64_t id;
		youth__buf path = {0};
		rc = youth__place_resolve(reg, f->place, "place", &id);
		if (rc == YOUTH_OK)
			rc = youth__place_path(reg, id, &path);
		if (rc == YOUTH_OK)
			rc = youth__buf_printf(&c->where,
			                       " AND p.place_id IN (SELECT id FROM place WHERE path = ?%d OR "
			                       "(path > ?%d || '/' AND path < ?%d || '0'))",
			                       c->n_values + 1, c->n_values + 1, c->n_values + 1);
		if (rc == YOUTH_OK)
			rc = add_value(c, path.data);
		youth__buf_free(&path);
		if (rc)
			return rc;
	}
	if (f->sex)
		rc = youth__buf_printf(&c->where, " AND p.sex = %d", f->sex);
	if (rc == YOUTH_OK && (f->age_min || f->age_max)) {
		char at_text[YOUTH_DATE_LEN + 1], bound[YOUTH_DATE_LEN + 1];
		youth__date at;
		if (f->age_at) {
			if ((rc = youth_date_check(f->age_at, "age_at")))
				return rc;
			snprintf(at_text, sizeof at_text, "%s", f->age_at);
		} else {
			youth__today(at_text);
		}
		youth__date_parse(at_text, &at);
		if (f->age_min) { /* age >= min  <=>  born on or before at - min years */
			date_minus_years(&at, f->age_min, bound);
			rc = youth__buf_printf(&c->where, " AND p.birth_date <= ?%d", c->n_values + 1);
			if (rc == YOUTH_OK)
				rc = add_value(c, bound);
		}
		if (rc == YOUTH_OK && f->age_max) { /* age <= max  <=>  born after at - (max+1) years */
			date_minus_years(&at, f->age_max + 1, bound);
			rc = youth__buf_printf(&c->where, " AND p.birth_date > ?%d", c->n_values + 1);
			if (rc == YOUTH_OK)
				rc = add_value(c, bound);
		}
	} else if (rc == YOUTH_OK && f->age_at && (rc = youth_date_check(f->age_at, "age_at"))) {
		return rc;
	}
	if (rc == YOUTH_OK && f->census_round) {
		rc = youth__buf_printf(&c->where, " AND p.census_round = ?%d", c->n_values + 1);
		if (rc == YOUTH_OK)
			rc = add_value(c, f->census_round);
	}
	if (rc == YOUTH_OK && f->name) {
		youth__buf folded = {0};
		rc = youth__fold_into(&folded, f->name);
		if (rc == YOUTH_EINVAL)
			youth__error(YOUTH_EINVAL, "name", "name filter: not valid UTF-8 text");
		const char *s = folded.data;
		while (rc == YOUTH_OK && s && *s) {
			const char *sp = strchr(s, ' ');
			size_t n = sp ? (size_t)(sp - s) : strlen(s);
			rc = add_word(c, s, n);
			s = sp ? sp + 1 : s + n;
		}
		youth__buf_free(&folded);
	}
	return rc;
}

static void compiled_free(compiled *c)
{
	youth__buf_free(&c->where);
	youth__buf_free(&c->values);
}

/* The SQL of @head, the filter's WHERE and @tail, in @sql (the values wait in c->values). */
static int filtered_sql(youth_registry *reg, const char *head, const char *tail,
                        const youth_person_filter *f, compiled *c, youth__buf *sql)
{
	int rc = compile_filter(reg, f, c);
	return rc ? rc : youth__buf_printf(sql, "%s%s%s", head, c->where.data, tail);
}

/* Binds the filter's values to ?1..?n, copied: a statement may outlive the filter. */
static int bind_values(sqlite3_stmt *st, const compiled *c)
{
	int rc = YOUTH_OK;
	const char *v = c->values.data;
	for (int i = 1; rc == YOUTH_OK && i <= c->n_values; i++, v += strlen(v) + 1)
		rc = youth__bind_copy(st, i, v);
	return rc;
}

int youth_person_count(int64_t *out, youth_registry *reg, const youth_person_filter *filter)
{
	if (out)
		*out = 0;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_person_count: NULL argument");
	sqlite3_stmt *st = NULL;
	compiled c;
	youth__buf sql = {0};
	int rc = filtered_sql(reg, "SELECT count(*) FROM person p", "", filter, &c, &sql);
	if (rc == YOUTH_OK) {
		int s = sqlite3_prepare_v2(reg->db, sql.data, (int)sql.len, &st, NULL);
		if (s != SQLITE_OK)
			rc = youth__sqlite_error(reg->db, s, "filtering persons");
	}
	if (rc == YOUTH_OK && (rc = bind_values(st, &c)) == YOUTH_OK) {
		int s = sqlite3_step(st);
		if (s == SQLITE_ROW)
			*out = sqlite3_column_int64(st, 0);
		else
			rc = youth__sqlite_error(reg->db, s, "counting persons");
	}
	sqlite3_finalize(st);
	youth__buf_free(&sql);
	compiled_free(&c);
	return rc;
}

int youth_person_iter_new(youth_person_iter **out, youth_registry *reg,
                          const youth_person_filter *filter)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_person_iter_new: NULL argument");
	compiled c;
	youth__buf sql = {0};
	int rc = filtered_sql(reg, "SELECT " PERSON_COLS PERSON_FROM, " ORDER BY p.id", filter, &c,
	                      &sql);
	if (rc == YOUTH_OK)
		rc = youth__rec_iter_new(out, reg, &youth__kind_person, "listing persons", sql.data, 0,
		                         NULL);
	if (rc == YOUTH_OK && (rc = bind_values((*out)->i.st, &c))) {
		youth_person_iter_free(*out);
		*out = NULL;
	}
	youth__buf_free(&sql);
	compiled_free(&c);
	return rc;
}

/* ---- census batches ------------------------------------------------------------------ */

/* Adds a person read from a census file, with the flags of the load. */
static int census_add(void *ctx, void *rec)
{
	const youth__loading *l = ctx;
	return youth_person_add(l->w->reg, rec, *(const unsigned *)l->ctx);
}

static const youth__yaml_list census_persons = {
	&youth__kind_person, "a list of persons", "person", "record", NULL, .add = census_add,
};
/* The `end` trailer is optional here (census files predate it), checked when given. */
static const youth__yaml_file census_file = {
	"census", "persons", "`format`, `persons` and optionally `end`", .end = true,
	.records = &census_persons,
};
static const youth__load census_load = {"youth_census_load", "load census", &census_file};

int youth_census_load(int64_t *added, youth_registry *reg, const char *path, unsigned flags)
{
	return youth__load_file(&census_load, reg, path, &flags, added);
}

int youth_census_load_buffer(int64_t *added, youth_registry *reg, const char *data, size_t size,
                             const char *name, unsigned flags)
{
	return youth__load_buffer(&census_load, reg, data, size, name, &flags, added);
}

/* ---- interchange (interchange.c) --------------------------------------------------------- */

/* An age at census outside 13-29 needed explicit permission once (YOUTH_PERSON_ALLOW_AGE);
 * the export says so, so that the record imports elsewhere.  Same birthday rule as C: the
 * anniversary date is built as text, which orders 29 February between the 28th and 1 March. */
#define ANNIVERSARY(n) "printf('%04d', substr(p.birth_date, 1, 4) + " #n ") || substr(p.birth_date, 5)"
static const char SQL_EXPORT[] =
	"SELECT " PERSON_COLS ", CASE WHEN p.census_date < " ANNIVERSARY(13)
	" OR p.census_date >= " ANNIVERSARY(30) " THEN 'true' END" PERSON_FROM
	" WHERE " YOUTH__EXPORT_PERSON_IN("p", "pl") " ORDER BY p.id";
#undef ANNIVERSARY

static const char *const person_extra[] = {"allow_age", NULL};

static int imp_person_add(youth__imp *imp, void *rec, void *flags)
{
	return youth_person_add(youth__imp_registry(imp), rec, *(unsigned *)flags);
}

static int imp_person_update(youth__imp *imp, void *rec, void *flags)
{
	return youth_person_update(youth__imp_registry(imp), rec, *(unsigned *)flags);
}

/* The person a record names: by UUID, else by national ID. */
static const youth__upsert person_upsert = {
	&youth__kind_person, "SELECT id, uuid FROM person WHERE uuid = lower(?)",
	"SELECT id, uuid FROM person WHERE national_id = ?", "national_id", SQL_BY_ID,
	.add = imp_person_add, .update = imp_person_update, .prepare = youth__place_prepare,
};

/* youth__alias_of() for an import: a registry with no alias at all (every new registry, and
 * most imports) is asked once per section instead of once per person (100 000 statements of
 * a 100 000-person import, about 1 % of its writer's time). */
static int import_alias_of(youth__imp *imp, const char *uuid, int64_t *person_id)
{
	*person_id = 0;
	if (!imp->aliases_known) {
		int64_t any = 0;
		bool found;
		int rc = youth__query_ints(&any, 1, &found, imp->reg,
		                           "SELECT max(id) IS NOT NULL FROM person_alias", NULL, 0,
		                           "looking up an alias");
		if (rc)
			return rc;
		imp->no_aliases = found && !any;
		imp->aliases_known = true;
	}
	return imp->no_aliases ? YOUTH_OK : youth__alias_of(imp->reg, uuid, person_id);
}

static int import_person(youth__imp *imp, void *rec, int *done)
{
	unsigned flags = 0;
	const char *allow = youth__imp_value(imp, "allow_age");
	int b = 0;
	if (allow && youth__parse_bool(allow, &b))
		return youth__error(YOUTH_EINVAL, "allow_age", "allow_age \"%.20s\": expected true or "
		                    "false", allow);
	if (b)
		flags |= YOUTH_PERSON_ALLOW_AGE;
	/* A person merged into another here comes back from a registry that has not merged yet:
	 * the merge stands (the file's merges section, or this registry's), nothing to import. */
	const youth_person *p = rec;
	int64_t kept = 0;
	int rc = p->uuid[0] ? import_alias_of(imp, p->uuid, &kept) : YOUTH_OK;
	if (rc) /* out of memory, say: SQLite may have rolled the import's transaction back */
		return rc;
	if (kept) {
		*done = YOUTH__IMP_UNCHANGED;
		return YOUTH_OK;
	}
	return youth__imp_upsert(imp, &person_upsert, rec, &flags, done);
}

static const char *const person_bulk_indexes[] = {"person_place_sex_birth", "person_birth",
                                                     "person_uuid", NULL};

/* The bulk indexes: filled record by record, in random order (by place, sex and birth date;
 * by birth date), they cost a large load a B-tree search and a page write-back per person
 * once they outgrow the page cache; built once at the end of the section, a sort.  The first
 * cost a million-person load about 3 of its 9 seconds of SQLite work, built at the end about
 * 1; deferring the second too took the persons of the national benchmark file from 12.8 to
 * 6.5 s (v7 UUIDs) and from 28.2 to 18.0 (v4) (docs/design.md, docs/benchmarks.md).  The
 * UUID index (schema 12 named it), with random (v4) UUIDs, the same: the national benchmark's
 * v4 import 81.5 -> 64.6 s.  Unique: deferred only by an atomic insert-only import, which a
 * repeated UUID then fails as a whole (import.c, duplicate_uuid()). */
YOUTH__SECTION(persons, "person", YOUTH_KIND_PERSONS, youth__kind_person,
               .extra_keys = person_extra, .export_sql = SQL_EXPORT, .import = import_person,
               .bulk_indexes = person_bulk_indexes);
