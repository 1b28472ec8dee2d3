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

#define EMPLOYER_NAME_MAX 120
#define SECTOR_MAX 120
#define CONTACT_MAX 160
#define EMAIL_MAX 254

/* ---- shared rules ---------------------------------------------------------------------- */

static const char SQL_EXCHANGE_EXISTS[] = "SELECT 1 FROM exchange WHERE id = ?";

/* ---- exchanges ------------------------------------------------------------------------- */

YOUTH__RECORD_API(youth_exchange, youth__kind_exchange)

/* What the field table cannot say; the place's key into @ctx (an int64_t). */
static int exchange_rules(youth_registry *reg, const void *rec, void *ctx)
{
	const youth_exchange *e = rec;
	int rc;
	if (e->opened_date && *e->opened_date && (rc = youth_date_check(e->opened_date, "opened_date")))
		return rc;
	if (!e->place || !*e->place)
		return youth__error(YOUTH_EINVAL, "place", "place: missing (required)");
	return youth__place_resolve(reg, e->place, "place", ctx);
}

/* Names the exchange already holding the code (or uuid) that made a write fail. */
static int exchange_conflict(youth_registry *reg, const void *rec, const void *ctx,
                             const char *uuid)
{
	(void)ctx;
	return youth__org_conflict(reg, ((const youth_exchange *)rec)->code, uuid, "exchange", 79);
}

/* The columns the INSERT and the UPDATE write (youth__put_sql): the place's key (the context)
 * after the fields.  The type (1) is the table's default and never changes, so the update of
 * a row youth_exchange_update() found to be an exchange needs no type of its own. */
static youth__binding exchange_binding =
	YOUTH__BINDING(youth__kind_exchange, "code,name,opened_date,@place_id");

static const youth__put exchange_insert = {
	&youth__kind_exchange, "exchange", "add exchange", .what = "adding an exchange",
	.fields = &exchange_binding, .ctx_id_param = 4, .conflict = exchange_conflict, .one = true,
	.prepare = exchange_rules, .fn = "youth_exchange_add",
};
static const youth__put exchange_update = {
	&youth__kind_exchange, "exchange", "update exchange", .what = "updating an exchange",
	.uuid_sql = "SELECT uuid FROM exchange WHERE id = ?", .fields = &exchange_binding,
	.ctx_id_param = 4, .conflict = exchange_conflict, .one = true,
};

YOUTH__RECORD_ADD(youth_exchange, exchange_insert, int64_t)

/* Services keep pointing at the exchange by id, so a new code or name relabels the history
 * instead of splitting it; only the uuid, which other registries know it by, is fixed. */
int youth_exchange_update(youth_registry *reg, const youth_exchange *e)
{
	char uuid[YOUTH_UUID_LEN + 1];
	int64_t place_id = 0;
	int rc = youth__update_args(&youth__kind_exchange, "youth_exchange_update", reg, e, "exchange");
	if (rc == YOUTH_OK)
		rc = youth__row_by_id(reg, "SELECT 1 FROM exchange WHERE id = ? AND type = 1", e->id,
		                      "id", "exchange", NULL);
	if (rc == YOUTH_OK && (rc = youth__rec_rules(&youth__kind_exchange, e, uuid)) == YOUTH_OK)
		rc = exchange_rules(reg, e, &place_id);
	return rc ? rc : youth__rec_update(reg, &exchange_update, e, &place_id, e->id, uuid);
}

#define EXCHANGE_SELECT                                                                       \
	"SELECT e.id, e.uuid, e.code, e.name, pl.path, e.opened_date FROM exchange e "          \
	"JOIN place pl ON pl.id = e.place_id"

/* The other organisations (organisation.c) share the table: an exchange is type 1. */
YOUTH__RECORD_GET(youth_exchange, youth__kind_exchange,
                  EXCHANGE_SELECT " WHERE e.id = ? AND e.type = 1")

int youth_exchange_get_by_code(youth_exchange **out, youth_registry *reg, const char *code)
{
	return youth__rec_get_text(out, reg, &youth__kind_exchange, EXCHANGE_SELECT " WHERE e.code = ? AND e.type = 1",
	                           code, "youth_exchange_get_by_code", "code");
}

YOUTH__RECORD_LIST0(youth_exchange, youth__kind_exchange, "listing exchanges",
                    EXCHANGE_SELECT " WHERE e.type = 1 ORDER BY e.code")

/* ---- operators ------------------------------------------------------------------------- */

YOUTH__VOCAB_FN(youth_operator_role_name, youth__voc_operator_role)

YOUTH__RECORD_API(youth_operator, youth__kind_operator)

/* What the field table cannot say; the phone in its stored form into @ctx (char[10]). */
static int operator_rules(youth_registry *reg, const void *rec, void *ctx)
{
	const youth_operator *o = rec;
	char *phone = ctx;
	int rc;
	phone[0] = '\0';
	if (o->exchange_id <= 0)
		return youth__error(YOUTH_EINVAL, "exchange_id",
		                    o->exchange_id ? "exchange_id %lld: not a valid id"
		                                   : "exchange_id: missing (required)",
		                    (long long)o->exchange_id);
	rc = youth__choice_rule("role", o->role, youth_operator_role_name(o->role) != NULL,
	                        "not a role (counsellor, intake, placement, coordinator)",
	                        "missing (counsellor, intake, placement or coordinator)");
	if (rc == YOUTH_OK && o->phone && *o->phone)
		rc = youth__phone_rule(o->phone, phone);
	if (rc)
		return rc;
	/* Database look-ups last. */
	return youth__row_by_id(reg, SQL_EXCHANGE_EXISTS, o->exchange_id, "exchange_id",
	                        "organisation", NULL);
}

/* Parameters 1-6 of the INSERT and of the UPDATE, then the phone in its stored form (the
 * context) at 7. */
static youth__binding operator_binding = YOUTH__BINDING(
	youth__kind_operator, "exchange_id,given_names,first_surname,second_surname,role,active");

static void bind_phone(sqlite3_stmt *st, const void *rec, const void *phone)
{
	(void)rec;
	youth__bind_text(st, 7, youth__nz(phone));
}

static const youth__put operator_insert = {
	&youth__kind_operator, "operator", "add operator",
	"INSERT INTO operator (exchange_id, given_names, first_surname, second_surname, role, "
	"active, phone, uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	"adding an operator", 8, .fields = &operator_binding, .first = 1, .bind = bind_phone,
	.one = true, .prepare = operator_rules, .fn = "youth_operator_add",
};
static const youth__put operator_update = {
	&youth__kind_operator, "operator", "update operator",
	"UPDATE operator SET exchange_id = ?1, given_names = ?2, first_surname = ?3, "
	"second_surname = ?4, role = ?5, active = ?6, phone = ?7 WHERE id = ?8",
	"updating an operator", 8, .uuid_sql = "SELECT uuid FROM operator WHERE id = ?",
	.fields = &operator_binding, .first = 1, .bind = bind_phone,
	.one = true,
};

int youth_operator_add(youth_registry *reg, youth_operator *o)
{
	char phone[10];
	return youth__rec_add(reg, &operator_insert, o, phone);
}

/* The slot of operator @id in the registry's memo (direct-mapped). */
static struct youth__operator_memo *operator_slot(youth_registry *reg, int64_t id)
{
	return &reg->operators[(uint64_t)id % YOUTH__OPERATOR_MEMO];
}

int youth_operator_update(youth_registry *reg, const youth_operator *o)
{
	char phone[10], uuid[YOUTH_UUID_LEN + 1];
	int rc = youth__update_args(&youth__kind_operator, "youth_operator_update", reg, o, "operator");
	if (rc == YOUTH_OK)
		rc = youth__rec_rules(&youth__kind_operator, o, uuid);
	if (rc == YOUTH_OK)
		rc = operator_rules(reg, o, phone);
	if (rc == YOUTH_OK)
		rc = youth__row_by_id(reg, "SELECT 1 FROM operator WHERE id = ?", o->id, "id", "operator",
		                      NULL);
	if (rc == YOUTH_OK) { /* its exchange or active flag may change */
		struct youth__operator_memo *m = operator_slot(reg, o->id);
		if (m->id == o->id)
			m->id = 0;
	}
	return rc ? rc : youth__rec_update(reg, &operator_update, o, phone, o->id, uuid);
}

#define OPERATOR_SELECT                                                                       \
	"SELECT id, uuid, exchange_id, given_names, first_surname, second_surname, role, phone, " \
	"active FROM operator"

YOUTH__RECORD_GET(youth_operator, youth__kind_operator, OPERATOR_SELECT " WHERE id = ?")

int youth_operator_iter_new(youth_operator_iter **out, youth_registry *reg, int64_t exchange_id)
{
	int rc = youth__iter_args(out, reg, "youth_operator_iter_new", "exchange_id", exchange_id);
	if (rc == YOUTH_OK && exchange_id)
		rc = youth__row_by_id(reg, SQL_EXCHANGE_EXISTS, exchange_id, "exchange_id", "organisation",
		                      NULL);
	if (rc)
		return rc;
	return youth__rec_iter_new(out, reg, &youth__kind_operator, "listing operators",
	                           OPERATOR_SELECT " WHERE ?1 = 0 OR exchange_id = ?1 ORDER BY id", 1,
	                           &exchange_id);
}

/* Operator @id's exchange and active flag: from the memo in bulk mode (see youth_registry),
 * otherwise, or when the memo does not know it, read (and, in bulk mode, remembered). */
static int operator_state(youth_registry *reg, int64_t id, int64_t *exchange_id, int *active)
{
	struct youth__operator_memo *m = NULL;
	if (reg->bulk && id > 0) {
		m = operator_slot(reg, id);
		if (m->id == id) {
			*exchange_id = m->exchange_id;
			*active = m->active;
			return YOUTH_OK;
		}
		reg->operator_queries++;
	}
	sqlite3_stmt *st;
	int rc = youth__row_by_id(reg, "SELECT exchange_id, active FROM operator WHERE id = ?", id,
	                          "operator_id", "operator", &st);
	if (rc)
		return rc;
	*exchange_id = sqlite3_column_int64(st, 0);
	*active = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	if (m) {
		*m = (struct youth__operator_memo){id, *exchange_id, *active};
		reg->operators_used = true;
	}
	return YOUTH_OK;
}

int youth__operator_check(youth_registry *reg, int64_t operator_id, int64_t *exchange_id)
{
	int64_t ex;
	int active;
	int rc = operator_state(reg, operator_id, &ex, &active);
	if (rc)
		return rc;
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
	youth__buf name_key; /* the folded name, stored beside it (migration 5) */
} emp_checked;

/* Employers without a NIT are told apart by name: refuse a second one with the same folded
 * name ("Pollo Campero" = "POLLO CAMPERO"), so that the pair (name, NIT) stays unique.  The
 * folded name is stored (name_key) and indexed for the NIT-less ones, so this is one search,
 * not a walk through every NIT-less employer (issue 14: adding employers was quadratic). */
static int name_unique(youth_registry *reg, const youth_employer *e, int64_t self,
                       const youth__buf *key)
{
	sqlite3_stmt *st = NULL;
	int rc = youth__stmt(reg, "SELECT id, name FROM employer WHERE name_key = ? AND nit IS NULL "
	                          "AND id != ? LIMIT 1", &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key->data, (int)key->len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, self);
	bool found;
	if ((rc = youth__step_row(reg, st, &found, "checking employer names")) == YOUTH_OK && found)
		rc = youth__error(YOUTH_EEXISTS, "name",
		                  "name \"%.60s\": employer %lld (\"%.60s\") already has this name "
		                  "and no NIT; give the NIT to tell them apart", e->name,
		                  (long long)sqlite3_column_int64(st, 0),
		                  (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
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
	if ((rc = youth__fold_into(&c->name_key, e->name)) == YOUTH_OK && !youth__nz(e->nit))
		rc = name_unique(reg, e, self, &c->name_key);
	return rc;
}

/* Parameters 1-5 of the INSERT and of the UPDATE; the place (?6) and the phone (?7) come
 * from the checks. */
static youth__binding employer_binding =
	YOUTH__BINDING(youth__kind_employer, "name,sector,nit,contact_name,email");

static void bind_employer_checked(sqlite3_stmt *st, const void *rec, const void *ctx)
{
	(void)rec;
	const emp_checked *c = ctx;
	youth__bind_text(st, 7, youth__nz(c->phone));
	sqlite3_bind_text(st, 9, c->name_key.data, (int)c->name_key.len, SQLITE_STATIC);
}

static int employer_conflict(youth_registry *reg, const void *rec, const void *ctx,
                             const char *uuid)
{
	const youth_employer *e = rec;
	char who[160];
	if (strstr(sqlite3_errmsg(reg->db), "employer.nit")) {
		youth__holder_text(reg, "SELECT id || ' (\"' || name || '\")' FROM employer WHERE nit = ?",
		                   e->nit, who, sizeof who);
		return youth__error(YOUTH_EEXISTS, "nit", "nit \"%s\": already registered to employer %s",
		                    e->nit, who);
	}
	return youth__error(YOUTH_EEXISTS, "uuid", "uuid %s: already used by another employer", uuid);
}

static const youth__put employer_insert = {
	&youth__kind_employer, "employer", "add employer",
	"INSERT INTO employer (name, sector, nit, contact_name, email, place_id, phone, uuid, "
	"name_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	"adding an employer", 8, .fields = &employer_binding, .first = 1, .ctx_id_param = 6,
	.bind = bind_employer_checked, .conflict = employer_conflict,
	.one = true,
};
static const youth__put employer_update = {
	&youth__kind_employer, "employer", "update employer",
	"UPDATE employer SET name = ?1, sector = ?2, nit = ?3, contact_name = ?4, email = ?5, "
	"place_id = ?6, phone = ?7, name_key = ?9 WHERE id = ?8",
	"updating an employer", 8, .uuid_sql = "SELECT uuid FROM employer WHERE id = ?",
	.fields = &employer_binding, .first = 1, .ctx_id_param = 6, .bind = bind_employer_checked,
	.conflict = employer_conflict,
	.one = true,
};

int youth_employer_add(youth_registry *reg, youth_employer *e)
{
	if (!reg || !e)
		return youth__null_arg("youth_employer_add", reg, "employer");
	emp_checked c;
	int rc = validate_employer(reg, e, 0, &c);
	if (rc == YOUTH_OK)
		rc = youth__rec_insert(reg, &employer_insert, e, &c, c.uuid);
	youth__buf_free(&c.name_key);
	return rc;
}

int youth_employer_update(youth_registry *reg, const youth_employer *e)
{
	emp_checked c = {0};
	int rc = youth__update_args(&youth__kind_employer, "youth_employer_update", reg, e, "employer");
	if (rc == YOUTH_OK)
		rc = youth__row_by_id(reg, "SELECT 1 FROM employer WHERE id = ?", e->id, "id",
		                      "employer", NULL);
	if (rc == YOUTH_OK)
		rc = validate_employer(reg, e, e->id, &c);
	if (rc == YOUTH_OK)
		rc = youth__rec_update(reg, &employer_update, e, &c, e->id, c.uuid);
	youth__buf_free(&c.name_key);
	return rc;
}

#define EMPLOYER_SELECT                                                                       \
	"SELECT e.id, e.uuid, e.name, e.sector, e.nit, pl.path, e.contact_name, e.phone, "     \
	"e.email FROM employer e LEFT JOIN place pl ON pl.id = e.place_id"

YOUTH__RECORD_GET(youth_employer, youth__kind_employer, EMPLOYER_SELECT " WHERE e.id = ?")

YOUTH__RECORD_LIST0(youth_employer, youth__kind_employer, "listing employers",
                    EMPLOYER_SELECT " ORDER BY e.name, e.id")

/* ---- interchange (interchange.c) --------------------------------------------------------- */

YOUTH__UPSERT_CALL(imp_exchange_add, youth_exchange_add)

/* Exchanges have no update function: upsert leaves an equal one alone, else refuses. */
static const youth__upsert exchange_upsert = {
	&youth__kind_exchange, "SELECT id, uuid FROM exchange WHERE uuid = lower(?) AND type = 1",
	"SELECT id, uuid FROM exchange WHERE code = ? AND type = 1", "code", EXCHANGE_SELECT " WHERE e.id = ?",
	.add = imp_exchange_add, .a_label = "an exchange", .prepare = youth__place_prepare,
};

/* An export reads the columns a get reads (the order of the field table). */
YOUTH__SECTION(exchanges, "exchange", YOUTH_KIND_EXCHANGES, youth__kind_exchange,
               .export_sql = EXCHANGE_SELECT " WHERE e.type = 1 ORDER BY e.id",
               .upsert = &exchange_upsert);

/* Operators are named by uuid only: two operators may share a name. */
static const youth__ref operator_refs[] = {
	{"exchange_id", "exchange", "SELECT id FROM exchange WHERE uuid = ?1",
	 "SELECT id FROM exchange WHERE code = ?1", "exchange code"},
};

static const char SQL_OPERATOR_EXPORT[] =
	"SELECT o.id, o.uuid, (SELECT uuid FROM exchange WHERE id = o.exchange_id), o.given_names, "
	"o.first_surname, o.second_surname, o.role, o.phone, o.active FROM operator o ORDER BY o.id";

YOUTH__UPSERT_CALL(imp_operator_add, youth_operator_add)
YOUTH__UPSERT_CALL(imp_operator_update, youth_operator_update)

static const youth__upsert operator_upsert = {
	&youth__kind_operator, "SELECT id, uuid FROM operator WHERE uuid = lower(?)", NULL, NULL,
	OPERATOR_SELECT " WHERE id = ?", .add = imp_operator_add, .update = imp_operator_update,
};

static int import_operator(youth__imp *imp, void *rec, int *done)
{
	youth_operator *o = rec;
	/* Absent means active, as youth_operator_init() says; export always writes it. */
	if (!youth__imp_value(imp, "active"))
		o->active = 1;
	return youth__imp_upsert(imp, &operator_upsert, rec, NULL, done);
}

YOUTH__SECTION(operators, "operator", YOUTH_KIND_EXCHANGES, youth__kind_operator,
               YOUTH__SECTION_REFS(operator_refs), .export_sql = SQL_OPERATOR_EXPORT,
               .import = import_operator);

YOUTH__UPSERT_CALL(imp_employer_add, youth_employer_add)
YOUTH__UPSERT_CALL(imp_employer_update, youth_employer_update)

/* An employer is its uuid, else its NIT; one without a NIT is added (its folded name must then
 * be new, as for youth_employer_add()). */
static const youth__upsert employer_upsert = {
	&youth__kind_employer, "SELECT id, uuid FROM employer WHERE uuid = lower(?)",
	"SELECT id, uuid FROM employer WHERE nit = ?", "nit", EMPLOYER_SELECT " WHERE e.id = ?",
	.add = imp_employer_add, .update = imp_employer_update, .prepare = youth__place_prepare,
};

YOUTH__SECTION(employers, "employer", YOUTH_KIND_EXCHANGES, youth__kind_employer,
               .export_sql = EMPLOYER_SELECT " ORDER BY e.id", .upsert = &employer_upsert);

/* Services name the operator who recorded them, and only an active operator may record one: a
 * service whose operator has since left was recorded while they were active.  The import
 * replays that history through the public API: active again for the one call, then not. */
int youth__operator_wake(youth_registry *reg, int64_t operator_id, bool *woken)
{
	*woken = false;
	int64_t ex;
	int active;
	/* Most operators of a file are still active: the memo answers without reading the record. */
	if (reg->bulk && operator_state(reg, operator_id, &ex, &active) == YOUTH_OK && active)
		return YOUTH_OK;
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
