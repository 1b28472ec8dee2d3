/*
 * Consent per purpose (issue 12): a person gives or withdraws consent for each purpose of the
 * registry's vocabulary (rules.c), and every giving and withdrawal is a row of its own, never
 * changed, so the history shows who recorded what, when and on what evidence.  The active
 * state of a (person, purpose) is its latest row.
 *
 * The person's legacy `consent` / `consent_date` are the `census` purpose seen through the
 * person record (docs/privacy.md, "Consent"): while a person has no `census` row the flag
 * decides; the first `census` row written for a person whose flag is set is preceded by a row
 * that states the flag (as migration 10 did for every registry), so the history never loses
 * what the flag said, and every `census` row sets the flag to the new state in the same write,
 * so readers of the old fields (eligibility's consent_required, reports) follow withdrawals.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

/* ---- fields ------------------------------------------------------------------------------ */

#define RECORDED_BY_MAX 200

YOUTH__RECORD_API(youth_consent, youth__kind_consent)
YOUTH__VOCAB_FN(youth_consent_state_name, youth__voc_consent_state)

/* ---- statements -------------------------------------------------------------------------- */

#define CONSENT_COLS "id, uuid, person_id, purpose, state, date, recorded_by, evidence"

/* The row that decides, through the index consent_history. */
static const char SQL_LATEST[] =
	"SELECT state, date FROM consent WHERE person_id = ?1 AND purpose = ?2 "
	"ORDER BY id DESC LIMIT 1";
static const char SQL_PERSON[] =
	"SELECT birth_date, consent, consent_date FROM person WHERE id = ?";
/* The row that states the person's flag, as migration 10 writes it (schema.c). */
#define FLAG_RECORDER "migration 10"
#define FLAG_EVIDENCE "the consent flag of the person record"
/* The flag as the first row of the `census` history, for a person who has none yet: the row
 * migration 10 wrote for the persons it found, for a person added later with the flag. */
static const char SQL_FLAG_ROW[] =
	"INSERT INTO consent (uuid, person_id, purpose, state, date, recorded_by, evidence) "
	"SELECT ?1, id, 'census', 1, consent_date, '" FLAG_RECORDER "', '" FLAG_EVIDENCE "'"
	" FROM person WHERE id = ?2 AND consent = 1"
	" AND NOT EXISTS (SELECT 1 FROM consent WHERE person_id = ?2 AND purpose = 'census')";
static const char SQL_FLAG[] = "UPDATE person SET consent = ?1, consent_date = ?2 WHERE id = ?3";

/* ---- the active state -------------------------------------------------------------------- */

/* The state (0: none) and date of the row or flag that decides for (person, purpose); the
 * person is known to exist. */
static int latest(youth_registry *reg, int64_t person_id, const char *purpose, int *state,
                  char since[YOUTH_DATE_LEN + 1])
{
	sqlite3_stmt *st;
	bool found = false;
	*state = 0;
	since[0] = 0;
	int rc = youth__stmt(reg, SQL_LATEST, &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, person_id);
	sqlite3_bind_text(st, 2, purpose, -1, SQLITE_STATIC);
	if ((rc = youth__step_row(reg, st, &found, "reading consent")) == YOUTH_OK && found) {
		*state = sqlite3_column_int(st, 0);
		youth__col_text(st, 1, since, YOUTH_DATE_LEN + 1);
	}
	sqlite3_reset(st);
	if (rc || found || strcmp(purpose, YOUTH_PURPOSE_CENSUS) != 0)
		return rc;
	if ((rc = youth__stmt(reg, SQL_PERSON, &st)))
		return rc;
	sqlite3_bind_int64(st, 1, person_id);
	if ((rc = youth__step_row(reg, st, &found, "reading consent")) == YOUTH_OK && found &&
	    sqlite3_column_int(st, 1)) {
		*state = YOUTH_CONSENT_GIVEN;
		youth__col_text(st, 2, since, YOUTH_DATE_LEN + 1);
	}
	sqlite3_reset(st);
	return rc;
}

int youth_consent_active(int *given, char *since, youth_registry *reg, int64_t person_id,
                         const char *purpose)
{
	if (given)
		*given = 0;
	if (since)
		since[0] = 0;
	if (!given || !reg || !purpose)
		return youth__error(YOUTH_EINVAL, NULL, "youth_consent_active: NULL argument");
	int rc, state;
	char date[YOUTH_DATE_LEN + 1];
	if ((rc = youth__ref_rule("person_id", person_id)) ||
	    (rc = youth__person_check(reg, person_id, NULL)) ||
	    (rc = youth_purpose_check(reg, purpose)) ||
	    (rc = latest(reg, person_id, purpose, &state, date)))
		return rc;
	*given = state == YOUTH_CONSENT_GIVEN;
	if (since)
		memcpy(since, date, sizeof date);
	return YOUTH_OK;
}

/* ---- recording --------------------------------------------------------------------------- */

typedef struct consent_ctx {
	const char *recorded_by; /* the record's, or the handle's actor */
} consent_ctx;

/* What the field table cannot say: the purpose is one of the vocabulary, and someone is named
 * as having recorded it. */
static int consent_rules(youth_registry *reg, const void *rec, void *ctx)
{
	const youth_consent *c = rec;
	consent_ctx *x = ctx;
	int rc = youth_purpose_check(reg, c->purpose);
	if (rc)
		return rc;
	x->recorded_by = youth__nz(c->recorded_by) ? c->recorded_by : reg->audit.actor;
	if (!x->recorded_by)
		return youth__error(YOUTH_EINVAL, "recorded_by", "recorded_by: missing (who recorded "
		                    "the consent; or set the actor on the handle)");
	return youth__text_rule("recorded_by", x->recorded_by, RECORDED_BY_MAX, true);
}

/* Inside the write: the person exists and was born by then, the history stays in date order,
 * and only active consent can be withdrawn. */
static int consent_check(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	const youth_consent *c = rec;
	(void)ctx, (void)self;
	sqlite3_stmt *st;
	int rc = youth__row_by_id(reg, SQL_PERSON, c->person_id, "person_id", "person", &st);
	if (rc)
		return rc;
	char born[YOUTH_DATE_LEN + 1];
	youth__col_text(st, 0, born, sizeof born);
	sqlite3_reset(st);
	if (strcmp(c->date, born) < 0)
		return youth__error(YOUTH_EINVAL, "date", "date \"%s\": before the birth of person %lld "
		                    "(%s)", c->date, (long long)c->person_id, born);
	int state;
	char since[YOUTH_DATE_LEN + 1];
	if ((rc = latest(reg, c->person_id, c->purpose, &state, since)))
		return rc;
	if (state && strcmp(c->date, since) < 0)
		return youth__error(YOUTH_EINVAL, "date", "date \"%s\": before the latest consent of "
		                    "person %lld for %s (%s on %s); the history is kept in date order",
		                    c->date, (long long)c->person_id, c->purpose,
		                    youth_consent_state_name(state), since);
	if (c->state == YOUTH_CONSENT_WITHDRAWN && state != YOUTH_CONSENT_GIVEN)
		return youth__error(YOUTH_ESTATE, "state", "person %lld has no active consent for %s "
		                    "(%s%s): there is nothing to withdraw", (long long)c->person_id,
		                    c->purpose, state ? "withdrawn on " : "never given", since);
	return YOUTH_OK;
}

static void bind_recorder(sqlite3_stmt *st, const void *rec, const void *ctx)
{
	(void)rec;
	sqlite3_bind_text(st, 6, ((const consent_ctx *)ctx)->recorded_by, -1, SQLITE_STATIC);
}

/* `census` is also the person's flag: it follows every row. */
static int set_flag(youth__write *w, const void *rec, void *ctx, int64_t id)
{
	const youth_consent *c = rec;
	(void)ctx, (void)id;
	if (strcmp(c->purpose, YOUTH_PURPOSE_CENSUS) != 0)
		return YOUTH_OK;
	sqlite3_stmt *st;
	int rc = youth__stmt(w->reg, SQL_FLAG, &st);
	if (rc)
		return rc;
	bool given = c->state == YOUTH_CONSENT_GIVEN;
	sqlite3_bind_int(st, 1, given);
	youth__bind_text(st, 2, given ? c->date : NULL);
	sqlite3_bind_int64(st, 3, c->person_id);
	if ((rc = youth__step_done(w->reg, st, "setting the person's consent flag")) == YOUTH_OK)
		youth__write_row(w, "person", c->person_id, 'u');
	return rc;
}

/* The columns of the INSERT; bind_recorder binds who recorded it. */
static youth__binding consent_binding =
	YOUTH__BINDING(youth__kind_consent, "person_id,purpose,state,date,evidence,@recorded_by");

static const youth__put consent_insert = {
	&youth__kind_consent, "consent", "record consent", .what = "recording consent",
	.check = consent_check, .fields = &consent_binding, .bind = bind_recorder,
	.after = set_flag,
};

/* Before the first `census` row of a person whose flag is set: the flag as a row. */
static int flag_row(youth__write *w, int64_t person_id)
{
	char uuid[YOUTH_UUID_LEN + 1];
	sqlite3_stmt *st;
	int rc = youth__uuid_new(uuid);
	if (rc == YOUTH_OK)
		rc = youth__stmt(w->reg, SQL_FLAG_ROW, &st);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, person_id);
	if ((rc = youth__step_done(w->reg, st, "recording consent")) == YOUTH_OK &&
	    sqlite3_changes(w->reg->db) == 1)
		youth__write_row(w, "consent", sqlite3_last_insert_rowid(w->reg->db), 'c');
	return rc;
}

static int record(youth_registry *reg, youth_consent *c, int state, const char *fn,
                  const char *op)
{
	if (!reg || !c)
		return youth__null_arg(fn, reg, "consent");
	char uuid[YOUTH_UUID_LEN + 1];
	consent_ctx ctx = {NULL};
	c->state = state;
	int rc = youth__rec_rules(&youth__kind_consent, c, uuid);
	if (rc == YOUTH_OK)
		rc = consent_rules(reg, c, &ctx);
	if (rc)
		return rc;
	youth__write w;
	if ((rc = youth__write_begin(&w, reg, op)))
		return rc;
	if (strcmp(c->purpose, YOUTH_PURPOSE_CENSUS) == 0)
		rc = flag_row(&w, c->person_id);
	if (rc == YOUTH_OK)
		rc = youth__rec_insert(reg, &consent_insert, c, &ctx, uuid);
	return youth__write_end(&w, rc);
}

int youth_consent_give(youth_registry *reg, youth_consent *c)
{
	return record(reg, c, YOUTH_CONSENT_GIVEN, "youth_consent_give", "give consent");
}

int youth_consent_withdraw(youth_registry *reg, youth_consent *c)
{
	return record(reg, c, YOUTH_CONSENT_WITHDRAWN, "youth_consent_withdraw",
	              "withdraw consent");
}

/* ---- reading ----------------------------------------------------------------------------- */

YOUTH__RECORD_GET(youth_consent, youth__kind_consent, youth__by_id(consent))

int youth_consent_iter_new(youth_consent_iter **out, youth_registry *reg, int64_t person_id,
                           const char *purpose)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_consent_iter_new: NULL argument");
	int rc = YOUTH_OK;
	if (person_id < 0)
		rc = youth__error(YOUTH_EINVAL, "person_id", "person_id %lld: not a record id",
		                  (long long)person_id);
	if (rc == YOUTH_OK && purpose)
		rc = youth_purpose_check(reg, purpose);
	if (rc == YOUTH_OK)
		rc = youth__rec_iter_texts(out, reg, &youth__kind_consent, "listing consent",
		                           "SELECT " CONSENT_COLS " FROM consent"
		                           " WHERE (?1 = 0 OR person_id = ?1)"
		                           " AND (?2 IS NULL OR purpose = ?2) ORDER BY id",
		                           person_id, 1, &purpose);
	return rc;
}

/* ---- interchange (interchange.c) --------------------------------------------------------- */

/* A person's whole history travels with the person: the place and census filters of the
 * persons apply, never a filter on the consent's own date, which would cut the row that
 * decides.  A row that only restates the person's flag (written by migration 10, the person's
 * only `census` row) stays home: the flag travels in the person record and says the same
 * (latest()), so a registry migrated from schema 6 exports the same bytes as before. */
#define FLAG_ROW(c)                                                                          \
	c ".purpose = 'census' AND " c ".recorded_by = '" FLAG_RECORDER "' AND " c ".evidence = '" \
	FLAG_EVIDENCE "'"
static const char SQL_EXPORT[] =
	"SELECT c.id, c.uuid, p.uuid, c.purpose, c.state, c.date, c.recorded_by, c.evidence"
	" FROM consent c JOIN person p ON p.id = c.person_id JOIN place pl ON pl.id = p.place_id"
	" WHERE " YOUTH__EXPORT_PERSON_IN("p", "pl")
	" AND NOT (" FLAG_ROW("c") " AND NOT EXISTS (SELECT 1 FROM consent o"
	"  WHERE o.person_id = c.person_id AND o.purpose = 'census' AND o.id <> c.id))"
	" ORDER BY c.id";

static const youth__ref consent_refs[] = {
	YOUTH__REF_PERSON,
};
static const char SQL_BY_UUID[] = "SELECT id FROM consent WHERE uuid = ?1";

/* A row is appended in file order by the call its state names; a row already there (upsert)
 * must be the same, since history never changes. */
static int import_consent(youth__imp *imp, void *rec, int *done)
{
	youth_consent *c = rec;
	youth_registry *reg = youth__imp_registry(imp);
	const char *state = youth__imp_value(imp, "state");
	int s = 0;
	for (int i = 1; state && i < YOUTH__VOCAB_N(youth__voc_consent_state); i++)
		if (strcmp(state, youth__voc_consent_state[i]) == 0)
			s = i;
	if (!s)
		return youth__error(YOUTH_EINVAL, "state", "state \"%.20s\": not given or withdrawn",
		                    state ? state : "");
	int64_t id;
	int rc = youth__imp_existing(imp, SQL_BY_UUID, c->uuid, &id);
	if (rc)
		return rc;
	if (id == 0) {
		*done = YOUTH__IMP_ADDED;
		return s == YOUTH_CONSENT_GIVEN ? youth_consent_give(reg, c)
		                                : youth_consent_withdraw(reg, c);
	}
	youth_consent *old = NULL;
	if ((rc = youth_consent_get(&old, reg, id)))
		return rc;
	c->state = s;
	if (!youth__nz(c->recorded_by))
		c->recorded_by = old->recorded_by;
	if (youth__rec_meets(&youth__kind_consent, c, old, id))
		*done = YOUTH__IMP_UNCHANGED;
	else
		rc = youth__error(YOUTH_EEXISTS, "uuid", "consent %s: already in the registry with "
		                  "other values; consent history is never changed", c->uuid);
	youth_consent_free(old);
	return rc;
}

YOUTH__SECTION(consents, "consent", YOUTH_KIND_CONSENTS, youth__kind_consent,
               YOUTH__SECTION_REFS(consent_refs), .export_sql = SQL_EXPORT,
               .import = import_consent);
