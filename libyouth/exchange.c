/*
 * Municipal employment exchanges, the operators who record services there, and employers.
 *
 * Each kind has a field table (record.c) for the text interface and the copy of a row into a
 * one-block record, and a validate_*() function holding its rules, called by every write.
 * Writes go through youth__write_begin() / youth__write_row() / youth__write_end().
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

#define EXCHANGE_NAME_MAX 80
#define EMPLOYER_NAME_MAX 120
#define SECTOR_MAX 120
#define CONTACT_MAX 160
#define EMAIL_MAX 254

/* ---- field tables ---------------------------------------------------------------------- */

static const char *const role_names[] = {NULL, "counsellor", "intake", "placement", "coordinator",
                                         NULL};

/* Order matters: it is the column order of the SELECTs below. */
#define F(m, t, d) YOUTH__FIELD(youth_exchange, m, t, d)
static const youth__field exchange_fields[] = {
	F(id, YF_ID, "Set by add."),
	F(uuid, YF_UUID, "Generated when empty."),
	F(code, YF_TEXT, "Required, unique: 1-16 letters, digits, '-', '_'."),
	F(name, YF_TEXT, "Required, 1-80 bytes."),
	F(place, YF_TEXT, "Required gazetteer place (usually a district)."),
	F(opened_date, YF_DATE, "Optional YYYY-MM-DD."),
};
#undef F

#define F(m, t, d) YOUTH__FIELD(youth_operator, m, t, d)
static const youth__field operator_fields[] = {
	F(id, YF_ID, "Record key, set when the record is added."),
	F(uuid, YF_UUID, "Globally unique id (UUID); generated when empty, never changes."),
	YOUTH__REF(youth_operator, exchange_id, "exchange",
	  "Required: the exchange the operator works at."),
	F(given_names, YF_TEXT, "Required."),
	F(first_surname, YF_TEXT, "Required."),
	F(second_surname, YF_TEXT, "Optional."),
	YOUTH__ENUM(youth_operator, role, role_names, "Required youth_operator_role."),
	F(phone, YF_TEXT, "Optional, as for persons."),
	/* A new operator may record services at once: youth_operator_init() sets it. */
	YOUTH__FIELDX(youth_operator, active, YF_BOOL, NULL, 0, YOUTH_FIELD_DEFAULT_ON, NULL,
	              "1 while the operator may record services; 1 for a new operator."),
};
#undef F

#define F(m, t, d) YOUTH__FIELD(youth_employer, m, t, d)
static const youth__field employer_fields[] = {
	F(id, YF_ID, "Record key, set when the record is added."),
	F(uuid, YF_UUID, "Globally unique id (UUID); generated when empty, never changes."),
	F(name, YF_TEXT, "Required, 1-120 bytes; unique together with the NIT."),
	F(sector, YF_TEXT, "Optional free text (\"retail\", \"hotels and restaurants\")."),
	F(nit, YF_TEXT, "Optional tax id NNNN-NNNNNN-NNN-N; unique when given."),
	F(place, YF_TEXT, "Optional gazetteer place."),
	F(contact_name, YF_TEXT, "Optional."),
	F(phone, YF_TEXT, "Optional, as for persons."),
	F(email, YF_TEXT, "Optional, must contain one '@'."),
};
#undef F

const youth__kind youth__kind_exchange =
	YOUTH__KIND("exchange", "exchange", youth_exchange, exchange_fields,
	            "A municipal employment exchange (bolsa de empleo).");
const youth__kind youth__kind_operator =
	YOUTH__KIND("operator", "operator", youth_operator, operator_fields,
	            "A person working at an exchange who records services.");
const youth__kind youth__kind_employer =
	YOUTH__KIND("employer", "employer", youth_employer, employer_fields,
	            "An employer offering first jobs.");

/* ---- shared rules ---------------------------------------------------------------------- */

static const char SQL_EXCHANGE_EXISTS[] = "SELECT 1 FROM exchange WHERE id = ?";

/* Runs a one-row SELECT of an id and returns the text of column 0 in @out (or "?"). */
static void holder_text(youth_registry *reg, const char *sql, const char *key, char *out,
                        size_t size)
{
	sqlite3_stmt *st;
	snprintf(out, size, "?");
	if (youth__stmt(reg, sql, &st) != YOUTH_OK)
		return;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
}

/* Refuses an update that would change the UUID of record @id of @table. */
static int uuid_unchanged(youth_registry *reg, const char *sql, const char *what, int64_t id,
                          const char *uuid)
{
	if (!uuid[0])
		return YOUTH_OK;
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, sql, &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), uuid) != 0)
		rc = youth__error(YOUTH_EINVAL, "uuid", "uuid %s: %s %lld has uuid %s; a uuid never changes",
		                  uuid, what, (long long)id, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc;
}

/* ---- exchanges ------------------------------------------------------------------------- */

YOUTH__RECORD_API(youth_exchange, youth__kind_exchange)

static int validate_exchange(youth_registry *reg, const youth_exchange *e, int64_t *place_id,
                             char uuid[YOUTH_UUID_LEN + 1])
{
	int rc;
	if ((rc = youth__uuid_rule(e->uuid, uuid)) || (rc = youth__code_rule("code", e->code, 16)) ||
	    (rc = youth__text_rule("name", e->name, EXCHANGE_NAME_MAX, true)))
		return rc;
	if (e->opened_date && *e->opened_date && (rc = youth_date_check(e->opened_date, "opened_date")))
		return rc;
	if (!e->place || !*e->place)
		return youth__error(YOUTH_EINVAL, "place", "place: missing (required)");
	return youth__place_resolve(reg, e->place, "place", place_id);
}

/* Names the exchange already holding the code (or uuid) that made a write fail. */
static int exchange_conflict(youth_registry *reg, const youth_exchange *e, const char *uuid)
{
	char who[80];
	if (strstr(sqlite3_errmsg(reg->db), "exchange.code")) {
		holder_text(reg, "SELECT name FROM exchange WHERE code = ?", e->code, who, sizeof who);
		return youth__error(YOUTH_EEXISTS, "code", "code \"%s\": already used by exchange \"%s\"",
		                    e->code, who);
	}
	holder_text(reg, "SELECT code FROM exchange WHERE uuid = ?", uuid, who, sizeof who);
	return youth__error(YOUTH_EEXISTS, "uuid", "uuid %s: already used by exchange %s", uuid,
	                    who);
}

int youth_exchange_add(youth_registry *reg, youth_exchange *e)
{
	if (!reg || !e)
		return youth__error(YOUTH_EINVAL, NULL, "youth_exchange_add: NULL %s",
		                    reg ? "exchange" : "registry");
	char uuid[YOUTH_UUID_LEN + 1];
	int64_t place_id = 0;
	int rc = validate_exchange(reg, e, &place_id, uuid);
	if (rc == YOUTH_OK && !uuid[0])
		rc = youth__uuid_new(uuid);
	youth__write w;
	if (rc || (rc = youth__write_begin_one(&w, reg, "add exchange")))
		return rc;
	static const char sql[] = "INSERT INTO exchange (uuid, code, name, place_id, opened_date) "
	                          "VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *st;
	rc = youth__stmt(reg, sql, &st);
	if (rc == YOUTH_OK) {
		sqlite3_bind_text(st, 1, uuid, YOUTH_UUID_LEN, SQLITE_STATIC);
		youth__bind_text(st, 2, e->code);
		youth__bind_text(st, 3, e->name);
		sqlite3_bind_int64(st, 4, place_id);
		youth__bind_text(st, 5, youth__nz(e->opened_date));
		rc = youth__step_done(reg, st, "adding an exchange");
		if (rc == YOUTH_EEXISTS)
			rc = exchange_conflict(reg, e, uuid);
	}
	int64_t id = rc ? 0 : sqlite3_last_insert_rowid(reg->db);
	if (rc == YOUTH_OK)
		youth__write_row(&w, "exchange", id, 'c');
	rc = youth__write_end(&w, rc);
	if (rc == YOUTH_OK) {
		e->id = id;
		memcpy(e->uuid, uuid, sizeof e->uuid);
	}
	return rc;
}

/* Services keep pointing at the exchange by id, so a new code or name relabels the history
 * instead of splitting it; only the uuid, which other registries know it by, is fixed. */
int youth_exchange_update(youth_registry *reg, const youth_exchange *e)
{
	if (!reg || !e)
		return youth__error(YOUTH_EINVAL, NULL, "youth_exchange_update: NULL %s",
		                    reg ? "exchange" : "registry");
	if (e->id <= 0)
		return youth__error(YOUTH_EINVAL, "id", e->id ? "id %lld: not a valid id"
		                                              : "exchange update: needs an id",
		                    (long long)e->id);
	char uuid[YOUTH_UUID_LEN + 1];
	int64_t place_id = 0;
	int rc = youth__row_by_id(reg, SQL_EXCHANGE_EXISTS, e->id, "id", "exchange", NULL);
	if (rc == YOUTH_OK)
		rc = validate_exchange(reg, e, &place_id, uuid);
	if (rc == YOUTH_OK)
		rc = uuid_unchanged(reg, "SELECT uuid FROM exchange WHERE id = ?", "exchange", e->id,
		                    uuid);
	youth__write w;
	if (rc || (rc = youth__write_begin_one(&w, reg, "update exchange")))
		return rc;
	static const char sql[] = "UPDATE exchange SET code = ?1, name = ?2, place_id = ?3, "
	                          "opened_date = ?4 WHERE id = ?5";
	sqlite3_stmt *st;
	rc = youth__stmt(reg, sql, &st);
	if (rc == YOUTH_OK) {
		youth__bind_text(st, 1, e->code);
		youth__bind_text(st, 2, e->name);
		sqlite3_bind_int64(st, 3, place_id);
		youth__bind_text(st, 4, youth__nz(e->opened_date));
		sqlite3_bind_int64(st, 5, e->id);
		rc = youth__step_done(reg, st, "updating an exchange");
		if (rc == YOUTH_EEXISTS)
			rc = exchange_conflict(reg, e, uuid);
	}
	if (rc == YOUTH_OK)
		youth__write_row(&w, "exchange", e->id, 'u');
	return youth__write_end(&w, rc);
}

#define EXCHANGE_SELECT                                                                       \
	"SELECT e.id, e.uuid, e.code, e.name, pl.path, e.opened_date FROM exchange e "          \
	"JOIN place pl ON pl.id = e.place_id"

int youth_exchange_get(youth_exchange **out, youth_registry *reg, int64_t id)
{
	return youth__rec_get(out, reg, &youth__kind_exchange, EXCHANGE_SELECT " WHERE e.id = ?", id,
	                      "youth_exchange_get");
}

int youth_exchange_get_by_code(youth_exchange **out, youth_registry *reg, const char *code)
{
	int rc = youth__rec_get_text(out, reg, &youth__kind_exchange,
	                             EXCHANGE_SELECT " WHERE e.code = ?", code,
	                             "youth_exchange_get_by_code");
	if (rc == YOUTH_ENOTFOUND)
		rc = youth__error(YOUTH_ENOTFOUND, "code", "exchange \"%.40s\": no such exchange", code);
	return rc;
}

int youth_exchange_iter_new(youth_exchange_iter **out, youth_registry *reg)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_exchange_iter_new: NULL argument");
	return youth__rec_iter_new(out, reg, &youth__kind_exchange, "listing exchanges",
	                           EXCHANGE_SELECT " ORDER BY e.code", 0, NULL);
}

/* ---- operators ------------------------------------------------------------------------- */

const char *youth_operator_role_name(int role)
{
	return YOUTH__VOCAB_NAME(role_names, role);
}

YOUTH__RECORD_API(youth_operator, youth__kind_operator)

static int validate_operator(youth_registry *reg, const youth_operator *o, char phone[10],
                             char uuid[YOUTH_UUID_LEN + 1])
{
	int rc;
	phone[0] = '\0';
	if ((rc = youth__uuid_rule(o->uuid, uuid)))
		return rc;
	if (o->exchange_id <= 0)
		return youth__error(YOUTH_EINVAL, "exchange_id",
		                    o->exchange_id ? "exchange_id %lld: not a valid id"
		                                   : "exchange_id: missing (required)",
		                    (long long)o->exchange_id);
	if ((rc = youth__text_rule("given_names", o->given_names, YOUTH_NAME_MAX, true)) ||
	    (rc = youth__text_rule("first_surname", o->first_surname, YOUTH_NAME_MAX, true)) ||
	    (rc = youth__text_rule("second_surname", o->second_surname, YOUTH_NAME_MAX, false)))
		return rc;
	if (!youth_operator_role_name(o->role))
		return youth__error(YOUTH_EINVAL, "role",
		                    o->role ? "role %d: not a role (counsellor, intake, placement, "
		                              "coordinator)"
		                            : "role: missing (counsellor, intake, placement or "
		                              "coordinator)",
		                    o->role);
	if (o->phone && *o->phone && (rc = youth__phone_rule(o->phone, phone)))
		return rc;
	if (o->active != 0 && o->active != 1)
		return youth__error(YOUTH_EINVAL, "active", "active %d: must be 0 or 1", o->active);
	/* Database look-ups last. */
	return youth__row_by_id(reg, SQL_EXCHANGE_EXISTS, o->exchange_id, "exchange_id", "exchange",
	                        NULL);
}

static void bind_operator(sqlite3_stmt *st, const youth_operator *o, const char *phone)
{
	sqlite3_bind_int64(st, 1, o->exchange_id);
	youth__bind_text(st, 2, o->given_names);
	youth__bind_text(st, 3, o->first_surname);
	youth__bind_text(st, 4, youth__nz(o->second_surname));
	sqlite3_bind_int(st, 5, o->role);
	youth__bind_text(st, 6, phone[0] ? phone : NULL);
	sqlite3_bind_int(st, 7, o->active);
}

int youth_operator_add(youth_registry *reg, youth_operator *o)
{
	if (!reg || !o)
		return youth__error(YOUTH_EINVAL, NULL, "youth_operator_add: NULL %s",
		                    reg ? "operator" : "registry");
	char phone[10], uuid[YOUTH_UUID_LEN + 1];
	int rc = validate_operator(reg, o, phone, uuid);
	if (rc == YOUTH_OK && !uuid[0])
		rc = youth__uuid_new(uuid);
	youth__write w;
	if (rc || (rc = youth__write_begin_one(&w, reg, "add operator")))
		return rc;
	static const char sql[] = "INSERT INTO operator (exchange_id, given_names, first_surname, "
	                          "second_surname, role, phone, active, uuid) "
	                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st;
	rc = youth__stmt(reg, sql, &st);
	if (rc == YOUTH_OK) {
		bind_operator(st, o, phone);
		sqlite3_bind_text(st, 8, uuid, YOUTH_UUID_LEN, SQLITE_STATIC);
		rc = youth__step_done(reg, st, "adding an operator");
		if (rc == YOUTH_EEXISTS)
			rc = youth__error(YOUTH_EEXISTS, "uuid", "uuid %s: already used by another operator",
			                  uuid);
	}
	int64_t id = rc ? 0 : sqlite3_last_insert_rowid(reg->db);
	if (rc == YOUTH_OK)
		youth__write_row(&w, "operator", id, 'c');
	rc = youth__write_end(&w, rc);
	if (rc == YOUTH_OK) {
		o->id = id;
		memcpy(o->uuid, uuid, sizeof o->uuid);
	}
	return rc;
}

int youth_operator_update(youth_registry *reg, const youth_operator *o)
{
	if (!reg || !o)
		return youth__error(YOUTH_EINVAL, NULL, "youth_operator_update: NULL %s",
		                    reg ? "operator" : "registry");
	if (o->id <= 0)
		return youth__error(YOUTH_EINVAL, "id", o->id ? "id %lld: not a valid id"
		                                              : "operator update: needs an id",
		                    (long long)o->id);
	char phone[10], uuid[YOUTH_UUID_LEN + 1];
	int rc = validate_operator(reg, o, phone, uuid);
	if (rc == YOUTH_OK)
		rc = youth__row_by_id(reg, "SELECT 1 FROM operator WHERE id = ?", o->id, "id", "operator",
		                      NULL);
	if (rc == YOUTH_OK)
		rc = uuid_unchanged(reg, "SELECT uuid FROM operator WHERE id = ?", "operator", o->id,
		                    uuid);
	youth__write w;
	if (rc || (rc = youth__write_begin_one(&w, reg, "update operator")))
		return rc;
	static const char sql[] = "UPDATE operator SET exchange_id = ?1, given_names = ?2, "
	                          "first_surname = ?3, second_surname = ?4, role = ?5, phone = ?6, "
	                          "active = ?7 WHERE id = ?8";
	sqlite3_stmt *st;
	rc = youth__stmt(reg, sql, &st);
	if (rc == YOUTH_OK) {
		bind_operator(st, o, phone);
		sqlite3_bind_int64(st, 8, o->id);
		rc = youth__step_done(reg, st, "updating an operator");
	}
	if (rc == YOUTH_OK)
		youth__write_row(&w, "operator", o->id, 'u');
	return youth__write_end(&w, rc);
}

#define OPERATOR_SELECT                                                                       \
	"SELECT id, uuid, exchange_id, given_names, first_surname, second_surname, role, phone, " \
	"active FROM operator"

int youth_operator_get(youth_operator **out, youth_registry *reg, int64_t id)
{
	return youth__rec_get(out, reg, &youth__kind_operator, OPERATOR_SELECT " WHERE id = ?", id,
	                      "youth_operator_get");
}

int youth_operator_iter_new(youth_operator_iter **out, youth_registry *reg, int64_t exchange_id)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_operator_iter_new: NULL argument");
	if (exchange_id < 0)
		return youth__error(YOUTH_EINVAL, "exchange_id", "exchange_id %lld: not a valid id",
		                    (long long)exchange_id);
	int rc = YOUTH_OK;
	if (exchange_id)
		rc = youth__row_by_id(reg, SQL_EXCHANGE_EXISTS, exchange_id, "exchange_id", "exchange",
		                      NULL);
	if (rc)
		return rc;
	return youth__rec_iter_new(out, reg, &youth__kind_operator, "listing operators",
	                           OPERATOR_SELECT " WHERE ?1 = 0 OR exchange_id = ?1 ORDER BY id", 1,
	                           &exchange_id);
}

int youth__operator_check(youth_registry *reg, int64_t operator_id, int64_t *exchange_id)
{
	sqlite3_stmt *st;
	int rc = youth__row_by_id(reg, "SELECT exchange_id, active FROM operator WHERE id = ?",
	                          operator_id, "operator_id", "operator", &st);
	if (rc)
		return rc;
	int64_t ex = sqlite3_column_int64(st, 0);
	int active = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	/* An import replays history (reg->bulk): the operator was active when they recorded it. */
	if (!active && !reg->bulk)
		return youth__error(YOUTH_ERULE, "operator_id",
		                    "operator_id %lld: the operator is inactive and may not record "
		                    "services", (long long)operator_id);
	if (exchange_id)
		*exchange_id = ex;
	return YOUTH_OK;
}

/* ---- employers ------------------------------------------------------------------------- */

YOUTH__RECORD_API(youth_employer, youth__kind_employer)

int youth_nit_check(const char *nit)
{
	if (!nit)
		return youth__error(YOUTH_EINVAL, "nit", "nit: missing");
	/* NNNN-NNNNNN-NNN-N: municipality, date, correlative, check digit. */
	static const char shape[] = "0000-000000-000-0";
	bool ok = strlen(nit) == sizeof shape - 1;
	for (size_t i = 0; ok && i < sizeof shape - 1; i++)
		ok = shape[i] == '-' ? nit[i] == '-' : nit[i] >= '0' && nit[i] <= '9';
	if (!ok)
		return youth__error(YOUTH_EINVAL, "nit",
		                    "nit \"%.40s\": not a NIT of the form NNNN-NNNNNN-NNN-N", nit);
	return YOUTH_OK;
}

/* One '@' with something before it, and a dot after it with something on both sides. */
static int email_rule(const char *v)
{
	size_t n = strlen(v);
	const char *at = strchr(v, '@');
	bool ok = n <= EMAIL_MAX && at && at > v && !strchr(at + 1, '@');
	if (ok) {
		const char *dot = strchr(at + 1, '.');
		ok = dot && dot > at + 1 && v[n - 1] != '.';
	}
	for (size_t i = 0; ok && i < n; i++)
		ok = (unsigned char)v[i] > ' ' && v[i] != 0x7f;
	if (!ok)
		return youth__error(YOUTH_EINVAL, "email",
		                    "email \"%.60s\": expected one '@' followed by a domain with a dot "
		                    "(e.g. empleo@empresa.com.sv), no blanks", v);
	return YOUTH_OK;
}

typedef struct emp_checked {
	int64_t place_id;
	char phone[10];
	char uuid[YOUTH_UUID_LEN + 1];
} emp_checked;

/* Employers without a NIT are told apart by name: refuse a second one with the same folded
 * name ("Pollo Campero" = "POLLO CAMPERO"), so that the pair (name, NIT) stays unique. */
static int name_unique(youth_registry *reg, const youth_employer *e, int64_t self)
{
	youth__buf mine = {0}, other = {0};
	int rc = youth__fold_into(&mine, e->name);
	sqlite3_stmt *st = NULL;
	if (rc == YOUTH_OK)
		rc = youth__stmt(reg, "SELECT id, name FROM employer WHERE nit IS NULL AND id != ?", &st);
	if (rc)
		goto out;
	sqlite3_bind_int64(st, 1, self);
	int s;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		other.len = 0;
		rc = youth__fold_into(&other, (const char *)sqlite3_column_text(st, 1));
		if (rc == YOUTH_OK && other.len == mine.len && memcmp(other.data, mine.data, mine.len) == 0)
			rc = youth__error(YOUTH_EEXISTS, "name",
			                  "name \"%.60s\": employer %lld (\"%.60s\") already has this name "
			                  "and no NIT; give the NIT to tell them apart", e->name,
			                  (long long)sqlite3_column_int64(st, 0),
			                  (const char *)sqlite3_column_text(st, 1));
	}
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, "checking employer names");
	sqlite3_reset(st);
out:
	youth__buf_free(&mine);
	youth__buf_free(&other);
	return rc;
}

static int validate_employer(youth_registry *reg, const youth_employer *e, int64_t self,
                             emp_checked *c)
{
	int rc;
	memset(c, 0, sizeof *c);
	if ((rc = youth__uuid_rule(e->uuid, c->uuid)) ||
	    (rc = youth__text_rule("name", e->name, EMPLOYER_NAME_MAX, true)) ||
	    (rc = youth__text_rule("sector", e->sector, SECTOR_MAX, false)))
		return rc;
	if (e->nit && *e->nit && (rc = youth_nit_check(e->nit)))
		return rc;
	if ((rc = youth__text_rule("contact_name", e->contact_name, CONTACT_MAX, false)))
		return rc;
	if (e->phone && *e->phone && (rc = youth__phone_rule(e->phone, c->phone)))
		return rc;
	if (e->email && *e->email && (rc = email_rule(e->email)))
		return rc;
	if (e->place && *e->place && (rc = youth__place_resolve(reg, e->place, "place", &c->place_id)))
		return rc;
	if (!youth__nz(e->nit))
		rc = name_unique(reg, e, self);
	return rc;
}

static void bind_employer(sqlite3_stmt *st, const youth_employer *e, const emp_checked *c)
{
	youth__bind_text(st, 1, e->name);
	youth__bind_text(st, 2, youth__nz(e->sector));
	youth__bind_text(st, 3, youth__nz(e->nit));
	if (c->place_id)
		sqlite3_bind_int64(st, 4, c->place_id);
	else
		sqlite3_bind_null(st, 4);
	youth__bind_text(st, 5, youth__nz(e->contact_name));
	youth__bind_text(st, 6, c->phone[0] ? c->phone : NULL);
	youth__bind_text(st, 7, youth__nz(e->email));
}

static int employer_conflict(youth_registry *reg, const youth_employer *e, const char *uuid)
{
	char who[160];
	if (strstr(sqlite3_errmsg(reg->db), "employer.nit")) {
		holder_text(reg, "SELECT id || ' (\"' || name || '\")' FROM employer WHERE nit = ?",
		            e->nit, who, sizeof who);
		return youth__error(YOUTH_EEXISTS, "nit", "nit \"%s\": already registered to employer %s",
		                    e->nit, who);
	}
	return youth__error(YOUTH_EEXISTS, "uuid", "uuid %s: already used by another employer", uuid);
}

int youth_employer_add(youth_registry *reg, youth_employer *e)
{
	if (!reg || !e)
		return youth__error(YOUTH_EINVAL, NULL, "youth_employer_add: NULL %s",
		                    reg ? "employer" : "registry");
	emp_checked c;
	int rc = validate_employer(reg, e, 0, &c);
	if (rc == YOUTH_OK && !c.uuid[0])
		rc = youth__uuid_new(c.uuid);
	youth__write w;
	if (rc || (rc = youth__write_begin_one(&w, reg, "add employer")))
		return rc;
	static const char sql[] = "INSERT INTO employer (name, sector, nit, place_id, contact_name, "
	                          "phone, email, uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st;
	rc = youth__stmt(reg, sql, &st);
	if (rc == YOUTH_OK) {
		bind_employer(st, e, &c);
		sqlite3_bind_text(st, 8, c.uuid, YOUTH_UUID_LEN, SQLITE_STATIC);
		rc = youth__step_done(reg, st, "adding an employer");
		if (rc == YOUTH_EEXISTS)
			rc = employer_conflict(reg, e, c.uuid);
	}
	int64_t id = rc ? 0 : sqlite3_last_insert_rowid(reg->db);
	if (rc == YOUTH_OK)
		youth__write_row(&w, "employer", id, 'c');
	rc = youth__write_end(&w, rc);
	if (rc == YOUTH_OK) {
		e->id = id;
		memcpy(e->uuid, c.uuid, sizeof e->uuid);
	}
	return rc;
}

int youth_employer_update(youth_registry *reg, const youth_employer *e)
{
	if (!reg || !e)
		return youth__error(YOUTH_EINVAL, NULL, "youth_employer_update: NULL %s",
		                    reg ? "employer" : "registry");
	if (e->id <= 0)
		return youth__error(YOUTH_EINVAL, "id", e->id ? "id %lld: not a valid id"
		                                              : "employer update: needs an id",
		                    (long long)e->id);
	emp_checked c;
	int rc = youth__row_by_id(reg, "SELECT 1 FROM employer WHERE id = ?", e->id, "id", "employer",
	                          NULL);
	if (rc == YOUTH_OK)
		rc = validate_employer(reg, e, e->id, &c);
	if (rc == YOUTH_OK)
		rc = uuid_unchanged(reg, "SELECT uuid FROM employer WHERE id = ?", "employer", e->id,
		                    c.uuid);
	youth__write w;
	if (rc || (rc = youth__write_begin_one(&w, reg, "update employer")))
		return rc;
	static const char sql[] = "UPDATE employer SET name = ?1, sector = ?2, nit = ?3, "
	                          "place_id = ?4, contact_name = ?5, phone = ?6, email = ?7 "
	                          "WHERE id = ?8";
	sqlite3_stmt *st;
	rc = youth__stmt(reg, sql, &st);
	if (rc == YOUTH_OK) {
		bind_employer(st, e, &c);
		sqlite3_bind_int64(st, 8, e->id);
		rc = youth__step_done(reg, st, "updating an employer");
		if (rc == YOUTH_EEXISTS)
			rc = employer_conflict(reg, e, c.uuid);
	}
	if (rc == YOUTH_OK)
		youth__write_row(&w, "employer", e->id, 'u');
	return youth__write_end(&w, rc);
}

#define EMPLOYER_SELECT                                                                       \
	"SELECT e.id, e.uuid, e.name, e.sector, e.nit, pl.path, e.contact_name, e.phone, "     \
	"e.email FROM employer e LEFT JOIN place pl ON pl.id = e.place_id"

int youth_employer_get(youth_employer **out, youth_registry *reg, int64_t id)
{
	return youth__rec_get(out, reg, &youth__kind_employer, EMPLOYER_SELECT " WHERE e.id = ?", id,
	                      "youth_employer_get");
}

int youth_employer_iter_new(youth_employer_iter **out, youth_registry *reg)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_employer_iter_new: NULL argument");
	return youth__rec_iter_new(out, reg, &youth__kind_employer, "listing employers",
	                           EMPLOYER_SELECT " ORDER BY e.name, e.id", 0, NULL);
}

/* ---- interchange (interchange.c) --------------------------------------------------------- */

/* The canonical path of a place given as text, so that "Sonzacate" compares equal to the
 * path the registry stores.  Unresolvable text is left for the add or update to name. */
static int canonical_place(youth_registry *reg, const char **place, youth__buf *path)
{
	int64_t id;
	if (!*place || !**place)
		return YOUTH_OK;
	if (youth__place_resolve(reg, *place, "place", &id) == YOUTH_OK &&
	    youth__place_path(reg, id, path) == YOUTH_OK)
		*place = path->data;
	else
		youth_error_clear();
	return YOUTH_OK;
}

static const char SQL_EXCHANGE_EXPORT[] =
	"SELECT e.id, e.uuid, e.code, e.name, pl.path, e.opened_date FROM exchange e "
	"JOIN place pl ON pl.id = e.place_id ORDER BY e.id";

/* Exchanges have no update function: upsert leaves an equal one alone, else refuses. */
static int import_exchange(youth__imp *imp, void *rec, int *done)
{
	youth_exchange *e = rec;
	youth_registry *reg = youth__imp_registry(imp);
	*done = YOUTH__IMP_ADDED;
	if (!(youth__imp_flags(imp) & YOUTH_IMPORT_UPSERT))
		return youth_exchange_add(reg, e);
	int64_t id;
	char uuid[YOUTH_UUID_LEN + 1] = "";
	int rc = youth__find_record(reg, "SELECT id, uuid FROM exchange WHERE uuid = lower(?)", e->uuid,
	                     "SELECT id, uuid FROM exchange WHERE code = ?", e->code, &id, uuid);
	if (rc || id == 0)
		return rc ? rc : youth_exchange_add(reg, e);
	if ((rc = youth__same_uuid(e->uuid, uuid, "exchange", "code", e->code ? e->code : "")))
		return rc;
	youth_exchange *old = NULL;
	youth__buf path = {0};
	rc = youth_exchange_get(&old, reg, id);
	if (rc == YOUTH_OK)
		rc = canonical_place(reg, &e->place, &path);
	e->id = id;
	memcpy(e->uuid, uuid, sizeof e->uuid);
	*done = YOUTH__IMP_UNCHANGED;
	if (rc == YOUTH_OK && !youth__rec_same(&youth__kind_exchange, old, e))
		rc = youth__error(YOUTH_EEXISTS, "code", "exchange %s (uuid %s): already in the registry "
		                  "with other values, and an exchange cannot be updated by import",
		                  old->code, uuid);
	youth_exchange_free(old);
	youth__buf_free(&path);
	return rc;
}

const youth__section youth__section_exchanges = {
	.name = "exchanges",
	.what = "exchange",
	.kind_flag = YOUTH_KIND_EXCHANGES,
	.kind = &youth__kind_exchange,
	.export_sql = SQL_EXCHANGE_EXPORT,
	.import = import_exchange,
};

/* Operators are named by uuid only: two operators may share a name. */
static const youth__ref operator_refs[] = {
	{"exchange_id", "exchange", "SELECT id FROM exchange WHERE uuid = ?1",
	 "SELECT id FROM exchange WHERE code = ?1", "exchange code"},
};

static const char SQL_OPERATOR_EXPORT[] =
	"SELECT o.id, o.uuid, (SELECT uuid FROM exchange WHERE id = o.exchange_id), o.given_names, "
	"o.first_surname, o.second_surname, o.role, o.phone, o.active FROM operator o ORDER BY o.id";

static int import_operator(youth__imp *imp, void *rec, int *done)
{
	youth_operator *o = rec;
	youth_registry *reg = youth__imp_registry(imp);
	/* Absent means active, as youth_operator_init() says; export always writes it. */
	if (!youth__imp_value(imp, "active"))
		o->active = 1;
	*done = YOUTH__IMP_ADDED;
	if (!(youth__imp_flags(imp) & YOUTH_IMPORT_UPSERT))
		return youth_operator_add(reg, o);
	int64_t id;
	char uuid[YOUTH_UUID_LEN + 1] = "";
	int rc = youth__find_record(reg, "SELECT id, uuid FROM operator WHERE uuid = lower(?)", o->uuid,
	                     NULL, NULL, &id, uuid);
	if (rc || id == 0)
		return rc ? rc : youth_operator_add(reg, o);
	youth_operator *old = NULL;
	rc = youth_operator_get(&old, reg, id);
	o->id = id;
	memcpy(o->uuid, uuid, sizeof o->uuid);
	if (rc == YOUTH_OK && youth__rec_same(&youth__kind_operator, old, o)) {
		*done = YOUTH__IMP_UNCHANGED;
	} else if (rc == YOUTH_OK) {
		*done = YOUTH__IMP_UPDATED;
		rc = youth_operator_update(reg, o);
	}
	youth_operator_free(old);
	return rc;
}

const youth__section youth__section_operators = {
	.name = "operators",
	.what = "operator",
	.kind_flag = YOUTH_KIND_EXCHANGES,
	.kind = &youth__kind_operator,
	.refs = operator_refs,
	.n_refs = 1,
	.export_sql = SQL_OPERATOR_EXPORT,
	.import = import_operator,
};

static const char SQL_EMPLOYER_EXPORT[] =
	"SELECT e.id, e.uuid, e.name, e.sector, e.nit, pl.path, e.contact_name, e.phone, e.email "
	"FROM employer e LEFT JOIN place pl ON pl.id = e.place_id ORDER BY e.id";

/* An employer is its uuid, else its NIT; one without a NIT is added (its folded name must then
 * be new, as for youth_employer_add()). */
static int import_employer(youth__imp *imp, void *rec, int *done)
{
	youth_employer *e = rec;
	youth_registry *reg = youth__imp_registry(imp);
	*done = YOUTH__IMP_ADDED;
	if (!(youth__imp_flags(imp) & YOUTH_IMPORT_UPSERT))
		return youth_employer_add(reg, e);
	int64_t id;
	char uuid[YOUTH_UUID_LEN + 1] = "";
	int rc = youth__find_record(reg, "SELECT id, uuid FROM employer WHERE uuid = lower(?)", e->uuid,
	                     "SELECT id, uuid FROM employer WHERE nit = ?", e->nit, &id, uuid);
	if (rc || id == 0)
		return rc ? rc : youth_employer_add(reg, e);
	if ((rc = youth__same_uuid(e->uuid, uuid, "employer", "nit", e->nit ? e->nit : "")))
		return rc;
	youth_employer *old = NULL;
	youth__buf path = {0};
	rc = youth_employer_get(&old, reg, id);
	if (rc == YOUTH_OK)
		rc = canonical_place(reg, &e->place, &path);
	e->id = id;
	memcpy(e->uuid, uuid, sizeof e->uuid);
	if (rc == YOUTH_OK && youth__rec_same(&youth__kind_employer, old, e)) {
		*done = YOUTH__IMP_UNCHANGED;
	} else if (rc == YOUTH_OK) {
		*done = YOUTH__IMP_UPDATED;
		rc = youth_employer_update(reg, e);
	}
	youth_employer_free(old);
	youth__buf_free(&path);
	return rc;
}

const youth__section youth__section_employers = {
	.name = "employers",
	.what = "employer",
	.kind_flag = YOUTH_KIND_EXCHANGES,
	.kind = &youth__kind_employer,
	.export_sql = SQL_EMPLOYER_EXPORT,
	.import = import_employer,
};

/* Services name the operator who recorded them, and only an active operator may record one: a
 * service whose operator has since left was recorded while they were active.  The import
 * replays that history through the public API: active again for the one call, then not. */
int youth__operator_wake(youth_registry *reg, int64_t operator_id, bool *woken)
{
	*woken = false;
	youth_operator *o = NULL;
	int rc = youth_operator_get(&o, reg, operator_id);
	if (rc == YOUTH_ENOTFOUND)
		rc = youth__error(YOUTH_ENOTFOUND, "operator_id", "operator_id %lld: no such operator",
		                  (long long)operator_id);
	if (rc == YOUTH_OK && !o->active) {
		o->active = 1;
		rc = youth_operator_update(reg, o);
		*woken = rc == YOUTH_OK;
	}
	youth_operator_free(o);
	return rc;
}

int youth__operator_rest(youth_registry *reg, int64_t operator_id)
{
	youth_operator *o = NULL;
	int rc = youth_operator_get(&o, reg, operator_id);
	if (rc == YOUTH_OK) {
		o->active = 0;
		rc = youth_operator_update(reg, o);
	}
	youth_operator_free(o);
	return rc;
}
