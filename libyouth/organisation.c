/*
 * Organisations whose operators record work (youth/organisation.h, docs/organisations.md), and
 * the look-up of any record by the key a user types (youth_record_lookup()).
 *
 * The organisations live in the exchange table (migration 7 added its type and parent): a
 * municipal exchange is the organisation of type 1, so operators, and every record they make,
 * keep pointing at the same rows, and CONAMYPE is one more row beside the exchanges.
 * exchange.c reads and writes the exchanges alone; this module every type.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>


YOUTH__VOCAB_FN(youth_organisation_type_name, youth__voc_organisation_type)

YOUTH__RECORD_API(youth_organisation, youth__kind_organisation)

/* What the checks resolve: the place (bound as ?7 by ctx_id_param) and the current type. */
typedef struct org_checked {
	int64_t place_id;
	int64_t self; /* 0 for an add */
} org_checked;

static int organisation_rules(youth_registry *reg, const void *rec, void *ctx)
{
	const youth_organisation *o = rec;
	org_checked *c = ctx;
	int rc = youth__choice_rule("type", o->type, youth_organisation_type_name(o->type) != NULL,
	                            "not an organisation type (exchange, conamype, centre, "
	                            "training_provider)",
	                            "missing (exchange, conamype, centre or training_provider)");
	if (rc)
		return rc;
	if (o->parent_id < 0)
		return youth__error(YOUTH_EINVAL, "parent_id", "parent_id %lld: not a valid id",
		                    (long long)o->parent_id);
	if (o->parent_id && o->parent_id == c->self)
		return youth__error(YOUTH_EINVAL, "parent_id",
		                    "parent_id %lld: an organisation cannot belong to itself",
		                    (long long)o->parent_id);
	if (o->opened_date && *o->opened_date && (rc = youth_date_check(o->opened_date, "opened_date")))
		return rc;
	if (!o->place || !*o->place)
		return youth__error(YOUTH_EINVAL, "place", "place: missing (required)");
	if (o->parent_id && (rc = youth__row_by_id(reg, "SELECT 1 FROM exchange WHERE id = ?",
	                                           o->parent_id, "parent_id", "organisation", NULL)))
		return rc;
	return youth__place_resolve(reg, o->place, "place", &c->place_id);
}

/* Names the organisation already holding the code (or uuid) that made a write fail. */
static int organisation_conflict(youth_registry *reg, const void *rec, const void *ctx,
                                 const char *uuid)
{
	(void)ctx;
	return youth__org_conflict(reg, ((const youth_organisation *)rec)->code, uuid,
	                           "organisation", 99);
}

static void bind_parent(sqlite3_stmt *st, const void *rec, const void *ctx)
{
	const youth_organisation *o = rec;
	(void)ctx;
	if (o->parent_id)
		sqlite3_bind_int64(st, 5, o->parent_id);
	else
		sqlite3_bind_null(st, 5);
}

/* The columns the INSERT and the UPDATE write (youth__put_sql): the parent (?5, NULL for
 * none) and the place (?6, the context) after the fields.  An update writes the type it was
 * given, which youth_organisation_update() has found equal to the stored one: it never
 * changes. */
static youth__binding organisation_binding =
	YOUTH__BINDING(youth__kind_organisation, "code,name,opened_date,type,@parent_id,@place_id");

static const youth__put organisation_insert = {
	&youth__kind_organisation, "exchange", "add organisation", .what = "adding an organisation",
	.fields = &organisation_binding, .ctx_id_param = 6, .bind = bind_parent,
	.conflict = organisation_conflict, .one = true, .prepare = organisation_rules,
	.fn = "youth_organisation_add",
};
static const youth__put organisation_update = {
	&youth__kind_organisation, "exchange", "update organisation",
	.what = "updating an organisation", .uuid_sql = "SELECT uuid FROM exchange WHERE id = ?",
	.fields = &organisation_binding, .ctx_id_param = 6, .bind = bind_parent,
	.conflict = organisation_conflict, .one = true,
};

YOUTH__RECORD_ADD(youth_organisation, organisation_insert, org_checked)

int youth_organisation_update(youth_registry *reg, const youth_organisation *o)
{
	int rc = youth__update_args(&youth__kind_organisation, "youth_organisation_update", reg, o,
	                            "organisation");
	if (rc)
		return rc;
	char uuid[YOUTH_UUID_LEN + 1];
	org_checked c = {0, o->id};
	sqlite3_stmt *st;
	rc = youth__row_by_id(reg, "SELECT type FROM exchange WHERE id = ?", o->id, "id",
	                      "organisation", &st);
	if (rc)
		return rc;
	int type = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	/* An exchange that became CONAMYPE would carry its services into another window. */
	if (o->type != type)
		return youth__error(YOUTH_EINVAL, "type",
		                    "type %d: organisation %lld is a %s and stays one", o->type,
		                    (long long)o->id, youth_organisation_type_name(type));
	if ((rc = youth__rec_rules(&youth__kind_organisation, o, uuid)) == YOUTH_OK)
		rc = organisation_rules(reg, o, &c);
	return rc ? rc : youth__rec_update(reg, &organisation_update, o, &c.place_id, o->id, uuid);
}

#define ORG_SELECT                                                                            \
	"SELECT e.id, e.uuid, e.code, e.name, e.type, e.parent_id, pl.path, e.opened_date "     \
	"FROM exchange e JOIN place pl ON pl.id = e.place_id"

YOUTH__RECORD_GET(youth_organisation, youth__kind_organisation, ORG_SELECT " WHERE e.id = ?")

int youth_organisation_get_by_code(youth_organisation **out, youth_registry *reg,
                                   const char *code)
{
	return youth__rec_get_text(out, reg, &youth__kind_organisation,
	                           ORG_SELECT " WHERE e.code = ?", code,
	                           "youth_organisation_get_by_code", "code");
}

int youth_organisation_iter_new(youth_organisation_iter **out, youth_registry *reg, int type)
{
	int rc = youth__iter_args(out, reg, "youth_organisation_iter_new", NULL, 0);
	if (rc)
		return rc;
	if (type && !youth_organisation_type_name(type))
		return youth__error(YOUTH_EINVAL, "type", "type %d: not an organisation type", type);
	int64_t t = type;
	return youth__rec_iter_new(out, reg, &youth__kind_organisation, "listing organisations",
	                           ORG_SELECT " WHERE ?1 = 0 OR e.type = ?1 ORDER BY e.code", 1, &t);
}

/* ---- interchange (interchange.c) --------------------------------------------------------- */

/* The exchanges have their own section (exchange.c); this one carries the other types, so a
 * registry without them exports as before.  A parent comes before its children (by id). */
static const youth__ref organisation_refs[] = {
	{"parent_id", "organisation", "SELECT id FROM exchange WHERE uuid = ?1",
	 "SELECT id FROM exchange WHERE code = ?1", "organisation code"},
};

static const char SQL_ORGANISATION_EXPORT[] =
	"SELECT e.id, e.uuid, e.code, e.name, e.type, (SELECT uuid FROM exchange WHERE id = "
	"e.parent_id), pl.path, e.opened_date FROM exchange e JOIN place pl ON pl.id = e.place_id "
	"WHERE e.type <> 1 ORDER BY e.id";

YOUTH__UPSERT_CALL(imp_organisation_add, youth_organisation_add)
YOUTH__UPSERT_CALL(imp_organisation_update, youth_organisation_update)

static const youth__upsert organisation_upsert = {
	&youth__kind_organisation, "SELECT id, uuid FROM exchange WHERE uuid = lower(?)",
	"SELECT id, uuid FROM exchange WHERE code = ?", "code", ORG_SELECT " WHERE e.id = ?",
	.add = imp_organisation_add, .update = imp_organisation_update,
	.a_label = "an organisation", .prepare = youth__place_prepare,
};

static int import_organisation(youth__imp *imp, void *rec, int *done)
{
	return youth__imp_upsert(imp, &organisation_upsert, rec, NULL, done);
}

YOUTH__SECTION(organisations, "organisation", YOUTH_KIND_EXCHANGES, youth__kind_organisation,
               YOUTH__SECTION_REFS(organisation_refs), .export_sql = SQL_ORGANISATION_EXPORT,
               .import = import_organisation);

/* ---- youth_record_lookup ----------------------------------------------------------------- */

/* Where the records of a kind are, and the text key that names one besides its id and UUID
 * (NULL: none).  The statements are static text: the statement cache is keyed by address. */
#define LK_SQL(table, where) "SELECT id FROM " table " WHERE " where
#define LK(kind, table, key, label, extra)                                                    \
	{kind, key, label, LK_SQL(table, "id = CAST(?1 AS INTEGER)" extra),                     \
	 LK_SQL(table, "uuid = lower(?1)" extra), LK_SQL(table, key " = ?1" extra)}
#define LK0(kind, table)                                                                      \
	{kind, NULL, NULL, LK_SQL(table, "id = CAST(?1 AS INTEGER)"), LK_SQL(table, "uuid = lower(?1)"), \
	 NULL}
static const struct lookup_kind {
	const char *kind, *key, *key_label, *by_id, *by_uuid, *by_key;
} lookup_kinds[] = {
	LK("person", "person", "national_id", "national ID", ""),
	/* An organisation of another type is no exchange. */
	LK("exchange", "exchange", "code", "code", " AND type = 1"),
	LK("organisation", "exchange", "code", "code", ""),
	LK0("operator", "operator"),
	LK("employer", "employer", "nit", "NIT", ""),
	LK("programme", "programme", "code", "code", ""),
	LK("course", "course", "code", "code", ""),
	LK("cohort", "cohort", "code", "code", ""),
	LK0("enrollment", "enrollment"),
	LK0("counselling_session", "counselling_session"),
	LK0("scholarship", "scholarship"),
	LK0("followup", "followup"),
	LK("group", "enterprise_group", "name", "name", ""),
	LK0("plan", "enterprise_plan"),
	LK("plan_disbursement", "enterprise_disbursement", "reference", "reference", ""),
	LK0("plan_visit", "enterprise_visit"),
	LK0("business_service", "enterprise_service"),
};
#undef LK
#undef LK0
#undef LK_SQL

/* One row of @p sql bound to @p key: its id into *@p id (0: none); EEXISTS when two rows. */
static int lookup_one(youth_registry *reg, const char *sql, const char *key, int64_t *id,
                      const struct lookup_kind *k)
{
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, sql, &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	bool found;
	*id = 0;
	if ((rc = youth__step_row(reg, st, &found, "looking a record up")) == YOUTH_OK && found) {
		*id = sqlite3_column_int64(st, 0);
		if ((rc = youth__step_row(reg, st, &found, "looking a record up")) == YOUTH_OK && found)
			rc = youth__error(YOUTH_EEXISTS, k->key, "%s \"%.60s\": several %ss have this %s; "
			                  "give the id or the UUID", k->kind, key, k->kind, k->key_label);
	}
	sqlite3_reset(st);
	return rc;
}

int youth_record_lookup(int64_t *id, youth_registry *reg, const char *kind, const char *key)
{
	if (id)
		*id = 0;
	if (!id || !reg || !kind || !key)
		return youth__error(YOUTH_EINVAL, NULL, "youth_record_lookup: NULL argument");
	const struct lookup_kind *k = NULL;
	for (size_t i = 0; i < YOUTH__N_OF(lookup_kinds) && !k; i++)
		if (strcmp(lookup_kinds[i].kind, kind) == 0)
			k = &lookup_kinds[i];
	if (!k)
		return youth__error(YOUTH_EINVAL, NULL, "kind \"%.40s\": no records to look up", kind);
	if (!*key)
		return youth__error(YOUTH_EINVAL, kind, "%s: empty (an id, a UUID%s%s)", kind,
		                    k->key ? " or a " : "", k->key ? k->key_label : "");
	int rc = YOUTH_OK;
	bool digits = strspn(key, "0123456789") == strlen(key);
	/* An id first (digits), then a UUID, then the kind's own key: none can be mistaken for
	 * another, since a UUID has dashes and an all-digit code would be its id's shadow. */
	if (digits && strlen(key) <= 18)
		rc = lookup_one(reg, k->by_id, key, id, k);
	if (rc == YOUTH_OK && !*id && strlen(key) == YOUTH_UUID_LEN)
		rc = lookup_one(reg, k->by_uuid, key, id, k);
	if (rc == YOUTH_OK && !*id && k->by_key)
		rc = lookup_one(reg, k->by_key, key, id, k);
	/* Say why CONAMYPE's id is refused where an exchange is wanted. */
	if (rc == YOUTH_OK && !*id && digits && strlen(key) <= 18 && strcmp(kind, "exchange") == 0 &&
	    (rc = lookup_one(reg, lookup_kinds[2].by_id, key, id, k)) == YOUTH_OK && *id) {
		*id = 0;
		return youth__error(YOUTH_ENOTFOUND, kind, "exchange %s: an organisation of another "
		                    "type, not a municipal exchange", key);
	}
	if (rc == YOUTH_OK && !*id)
		rc = youth__error(YOUTH_ENOTFOUND, kind, "%s %s%.60s%s: no such %s (not an id, a UUID%s%s)",
		                  kind, digits ? "" : "\"", key, digits ? "" : "\"", kind,
		                  k->key ? " or a " : "", k->key ? k->key_label : "");
	return rc;
}

/* ---- shared with exchange.c (folds) ------------------------------------------------------ */

void youth__holder_text(youth_registry *reg, const char *sql, const char *key, char *out,
                        size_t size)
{
	sqlite3_stmt *st;
	snprintf(out, size, "?");
	if (youth__stmt(reg, sql, &st) != YOUTH_OK)
		return;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		youth__col_text(st, 0, out, size);
	sqlite3_reset(st);
}

int youth__org_conflict(youth_registry *reg, const char *code, const char *uuid,
                        const char *noun, int who_max)
{
	char who[100];
	if (strstr(sqlite3_errmsg(reg->db), "exchange.code")) {
		youth__holder_text(reg, "SELECT name FROM exchange WHERE code = ?", code, who, sizeof who);
		return youth__error(YOUTH_EEXISTS, "code", "code \"%s\": already used by %s \"%.*s\"",
		                    code, noun, who_max, who);
	}
	youth__holder_text(reg, "SELECT code FROM exchange WHERE uuid = ?", uuid, who, sizeof who);
	return youth__error(YOUTH_EEXISTS, "uuid", "uuid %s: already used by %s %.*s", uuid, noun,
	                    who_max, who);
}
