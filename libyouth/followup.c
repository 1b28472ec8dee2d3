/*
 * Outcome follow-ups: what became of a youth some months after leaving a service.
 *
 * As in course.c: the field table (record.c) drives the text interface and the copy of a row
 * into a one-block record; the rules that need no database live in validate(), the ones that
 * look at other records in check_refs(), which runs inside the write so that what it saw still
 * holds at the insert; every change goes through youth__write_begin / _row / _end, so a
 * refused call leaves the registry exactly as it was.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

/* ---- fields ------------------------------------------------------------------------------ */

#define NOTES_MAX 1000

/* The kinds of service a follow-up may refer to.  Only enrollments are checked against their
 * table; the others are kept by modules written in parallel and get checked once they land. */
static const char *const service_kinds[] = {"enrollment", "counselling", "scholarship",
                                            "seed_capital", "plan"};
#define SERVICE_LIST "enrollment, counselling, scholarship, seed_capital, plan"

YOUTH__VOCAB_FN(youth_followup_status_name, youth__voc_followup_status)

static bool employed(int status)
{
	return status == YOUTH_FOLLOWUP_EMPLOYED_FORMAL || status == YOUTH_FOLLOWUP_EMPLOYED_INFORMAL;
}

/* ---- statements -------------------------------------------------------------------------- */

#define FOLLOWUP_COLS                                                                          \
	"id, uuid, person_id, operator_id, exchange_id, date, horizon_months, status, "         \
	"coalesce(employer_id, 0), service, coalesce(service_id, 0), notes"

static const char SQL_LATEST[] = "SELECT " FOLLOWUP_COLS " FROM followup WHERE person_id = ? "
                                 "ORDER BY date DESC, id DESC LIMIT 1";
static const char SQL_DELETE[] = "DELETE FROM followup WHERE id = ?";
static const char SQL_UUID[] = "SELECT uuid FROM followup WHERE id = ?";
static const char SQL_CENSUS[] = "SELECT census_date FROM person WHERE id = ?";
static const char SQL_ENROLLMENT[] = "SELECT person_id FROM enrollment WHERE id = ?";
static const char SQL_DUP[] =
	"SELECT id FROM followup WHERE person_id = ?1 AND coalesce(service, '') = ?2 "
	"AND coalesce(service_id, 0) = ?3 AND horizon_months = ?4 AND id != ?5";
static const char SQL_COUNT[] =
	"SELECT count(*) FROM followup WHERE (?1 = 0 OR status = ?1) "
	"AND (?2 = 0 OR horizon_months = ?2) AND (?3 IS NULL OR date >= ?3) "
	"AND (?4 IS NULL OR date <= ?4)";

/* ---- shared rules ------------------------------------------------------------------------ */

static int status_rule(int status, bool zero_ok)
{
	if (status == 0 && !zero_ok)
		return youth__error(YOUTH_EINVAL, "status", "status: missing (one of employed_formal, "
		                    "employed_informal, self_employed, studying, unemployed, neet)");
	if (status != 0 && !youth_followup_status_name(status))
		return youth__error(YOUTH_EINVAL, "status", "status %d: not a follow-up status (1-6%s)",
		                    status, zero_ok ? ", or 0 for any" : "");
	return YOUTH_OK;
}

/* A date filter bound: NULL is an open end. */
static int range_rule(const char *from, const char *to)
{
	int rc;
	if ((from && (rc = youth_date_check(from, "from"))) ||
	    (to && (rc = youth_date_check(to, "to"))))
		return rc;
	if (from && to && strcmp(from, to) > 0)
		return youth__error(YOUTH_EINVAL, "to", "to \"%s\": before from \"%s\"", to, from);
	return YOUTH_OK;
}

/* The rules that need no database and that the field table cannot say (youth__rec_add has
 * applied it). */
static int followup_rules(youth_registry *reg, const void *rec, void *ctx)
{
	const youth_followup *f = rec;
	int rc;
	(void)reg, (void)ctx;
	if (f->horizon_months < 1 || f->horizon_months > YOUTH_FOLLOWUP_HORIZON_MAX)
		return youth__error(YOUTH_EINVAL, "horizon_months",
		                    f->horizon_months
		                        ? "horizon_months %d: must be 1-60 months (usually 3, 6 or 12)"
		                        : "horizon_months: missing (1-60 months; usually 3, 6 or 12)",
		                    f->horizon_months);
	if ((rc = status_rule(f->status, false)))
		return rc;
	const char *sname = youth_followup_status_name(f->status);
	if (employed(f->status)) {
		if (f->employer_id == 0)
			return youth__error(YOUTH_EINVAL, "employer_id",
			                    "employer_id: missing (required when status is %s)", sname);
		if ((rc = youth__ref_rule("employer_id", f->employer_id)))
			return rc;
	} else if (f->employer_id != 0) {
		return youth__error(YOUTH_EINVAL, "employer_id",
		                    "employer_id %lld: only employed_formal and employed_informal name "
		                    "an employer (status is %s)", (long long)f->employer_id, sname);
	}
	if (f->service && *f->service) {
		bool known = false;
		for (size_t i = 0; i < YOUTH__N_OF(service_kinds) && !known; i++)
			known = strcmp(f->service, service_kinds[i]) == 0;
		if (!known)
			return youth__error(YOUTH_EINVAL, "service", "service \"%.40s\": not one of "
			                    SERVICE_LIST, f->service);
		if (f->service_id == 0)
			return youth__error(YOUTH_EINVAL, "service_id",
			                    "service_id: missing (required with service \"%s\")", f->service);
		if ((rc = youth__ref_rule("service_id", f->service_id)))
			return rc;
	} else if (f->service_id != 0) {
		return youth__error(YOUTH_EINVAL, "service_id",
		                    "service_id %lld: given without a service (one of " SERVICE_LIST ")",
		                    (long long)f->service_id);
	}
	return youth__text_rule("notes", f->notes, NOTES_MAX, false);
}

/* Follow-up @f repeats another one of its person (same service, same horizon) other than
 * @self: that one named in the error, or YOUTH_OK when there is none. */
static int dup_error(youth_registry *reg, const youth_followup *f, int64_t self)
{
	sqlite3_stmt *st;
	const char *service = youth__nz(f->service);
	int rc = youth__stmt(reg, SQL_DUP, &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, f->person_id);
	sqlite3_bind_text(st, 2, service ? service : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, service ? f->service_id : 0);
	sqlite3_bind_int(st, 4, f->horizon_months);
	sqlite3_bind_int64(st, 5, self);
	int64_t other = 0;
	bool found = false;
	rc = youth__row_ints(&other, 1, &found, reg, st, "finding a follow-up");
	if (rc || !found)
		return rc;
	if (service)
		return youth__error(YOUTH_EEXISTS, "horizon_months",
		                    "horizon_months %d: person %lld already has follow-up %lld at "
		                    "%d months after %s %lld", f->horizon_months,
		                    (long long)f->person_id, (long long)other, f->horizon_months,
		                    service, (long long)f->service_id);
	return youth__error(YOUTH_EEXISTS, "horizon_months",
	                    "horizon_months %d: person %lld already has follow-up %lld at "
	                    "%d months without a service", f->horizon_months,
	                    (long long)f->person_id, (long long)other, f->horizon_months);
}

static const youth__put followup_insert;

/* A UNIQUE refusal of a new follow-up: its repeat (followup_once), worded as dup_error()
 * words it, or another constraint (its UUID) as any record's. */
static int dup_conflict(youth_registry *reg, const void *rec, const void *ctx, const char *uuid)
{
	(void)ctx;
	if (!strstr(sqlite3_errmsg(reg->db), "followup_once"))
		return youth__unique_error(reg, &followup_insert, rec, uuid);
	const youth_followup *f = rec;
	int rc = dup_error(reg, f, 0);
	if (rc == YOUTH_OK) /* cannot be, the index having just seen it; said all the same */
		rc = youth__error(YOUTH_EEXISTS, "horizon_months",
		                  "horizon_months %d: person %lld already has a follow-up at %d months "
		                  "of the same service", f->horizon_months, (long long)f->person_id,
		                  f->horizon_months);
	return rc;
}

/* The rules that look at other records; @self is the follow-up being updated (0 on add).
 * Returns the operator's exchange in *exchange_id. */
static int check_refs(youth_registry *reg, const void *rec, void *exchange_id, int64_t self)
{
	const youth_followup *f = rec;
	sqlite3_stmt *st;
	int rc = youth__row_by_id(reg, SQL_CENSUS, f->person_id, "person_id", "person", &st);
	if (rc == YOUTH_OK) {
		char census[YOUTH_DATE_LEN + 1] = "";
		const unsigned char *t = sqlite3_column_text(st, 0);
		snprintf(census, sizeof census, "%s", t ? (const char *)t : "");
		sqlite3_reset(st);
		if (strcmp(f->date, census) < 0)
			rc = youth__error(YOUTH_EINVAL, "date",
			                  "date \"%s\": before the census date of person %lld (%s)", f->date,
			                  (long long)f->person_id, census);
	}
	if (rc == YOUTH_OK)
		rc = youth__operator_check(reg, f->operator_id, exchange_id);
	if (rc == YOUTH_OK && f->employer_id)
		rc = youth__row_by_id(reg, youth__by_id(employer), f->employer_id, "employer_id",
		                      "employer", NULL);
	const char *service = youth__nz(f->service);
	if (rc == YOUTH_OK && service && strcmp(service, "enrollment") == 0 &&
	    (rc = youth__row_by_id(reg, SQL_ENROLLMENT, f->service_id, "service_id", "enrollment",
	                           &st)) == YOUTH_OK) {
		int64_t owner = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (owner != f->person_id)
			rc = youth__error(YOUTH_EINVAL, "service_id",
			                  "service_id %lld: the enrollment belongs to person %lld, not to "
			                  "person_id %lld", (long long)f->service_id, (long long)owner,
			                  (long long)f->person_id);
	}
	/* A new follow-up's repeat is refused by followup_once and worded by dup_conflict(): a
	 * look-up before every insert cost each follow-up of an import one statement more. */
	if (rc == YOUTH_OK && self)
		rc = dup_error(reg, f, self);
	return rc;
}

/* The columns the INSERT and the UPDATE write: the record's, then the operator's exchange
 * (ctx_id_param) and the service's id (bind_service_id). */
static youth__binding followup_binding =
	YOUTH__BINDING(youth__kind_followup, "person_id,operator_id,date,horizon_months,status,"
	                                     "employer_id,service,notes,@exchange_id,@service_id");

/* The service's id only with a service. */
static void bind_service_id(sqlite3_stmt *st, const void *rec, const void *ctx)
{
	const youth_followup *f = rec;
	(void)ctx;
	youth__bind_id(st, 10, youth__nz(f->service) ? f->service_id : 0);
}

/* ---- public API -------------------------------------------------------------------------- */

YOUTH__RECORD_API(youth_followup, youth__kind_followup)

static const youth__put followup_insert = {
	&youth__kind_followup, "followup", "add follow-up", .what = "adding a follow-up",
	.check = check_refs, .fields = &followup_binding, .ctx_id_param = 9, .bind = bind_service_id,
	.one = true, .prepare = followup_rules, .conflict = dup_conflict, .fn = "youth_followup_add",
};
/* The follow-up must exist, and its UUID never changes (checked inside the write). */
static const youth__put followup_update = {
	&youth__kind_followup, "followup", "update follow-up", .what = "updating a follow-up",
	.uuid_sql = SQL_UUID, .check = check_refs, .fields = &followup_binding, .ctx_id_param = 9,
	.bind = bind_service_id,
	.one = true, .prepare = followup_rules, .fn = "youth_followup_update",
};

int youth_followup_add(youth_registry *reg, youth_followup *f)
{
	int64_t exchange_id = 0;
	return youth__rec_add(reg, &followup_insert, f, &exchange_id);
}

int youth_followup_update(youth_registry *reg, const youth_followup *f)
{
	int64_t exchange_id = 0;
	return youth__rec_change(reg, &followup_update, f, &exchange_id);
}

int youth_followup_delete(youth_registry *reg, int64_t id)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_followup_delete: NULL registry");
	if (id <= 0)
		return youth__error(YOUTH_EINVAL, "id", "follow-up id %lld: not a valid id",
		                    (long long)id);
	youth__write w;
	int rc = youth__write_begin_one(&w, reg, "delete follow-up");
	if (rc)
		return rc;
	sqlite3_stmt *st;
	if ((rc = youth__stmt(reg, SQL_DELETE, &st)) == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, id);
		rc = youth__step_done(reg, st, "deleting a follow-up");
		if (rc == YOUTH_OK && sqlite3_changes(reg->db) == 0)
			rc = youth__error(YOUTH_ENOTFOUND, "id", "follow-up %lld: no such follow-up",
			                  (long long)id);
	}
	if (rc == YOUTH_OK)
		youth__write_row(&w, "followup", id, 'd');
	return youth__write_end(&w, rc);
}

YOUTH__RECORD_GET(youth_followup, youth__kind_followup, youth__by_id(followup))

int youth_followup_latest(youth_followup **out, youth_registry *reg, int64_t person_id)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_followup_latest: NULL argument");
	int rc = youth__ref_rule("person_id", person_id);
	sqlite3_stmt *st;
	if (rc || (rc = youth__stmt(reg, SQL_LATEST, &st)))
		return rc;
	sqlite3_bind_int64(st, 1, person_id);
	rc = youth__rec_get_one(out, reg, &youth__kind_followup, st, "reading a follow-up");
	if (rc == YOUTH_ENOTFOUND) {
		/* Say which: no such person, or a person never followed up. */
		rc = youth__person_check(reg, person_id, NULL);
		if (rc == YOUTH_OK)
			rc = youth__error(YOUTH_ENOTFOUND, "person_id",
			                  "person_id %lld: no follow-up recorded for this person",
			                  (long long)person_id);
	}
	return rc;
}

/* ---- iteration and counts ---------------------------------------------------------------- */

YOUTH__RECORD_LIST1(youth_followup, youth__kind_followup, "listing follow-ups",
                    "SELECT " FOLLOWUP_COLS " FROM followup"
                    " WHERE ?1 = 0 OR person_id = ?1 ORDER BY date, id", person_id)

int youth_followup_iter_range(youth_followup_iter **out, youth_registry *reg, int status,
                              const char *from, const char *to)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_followup_iter_range: NULL argument");
	int rc;
	if ((rc = status_rule(status, true)) || (rc = range_rule(from, to)))
		return rc;
	return youth__rec_iter_texts(out, reg, &youth__kind_followup, "listing follow-ups",
	                             "SELECT " FOLLOWUP_COLS " FROM followup"
	                             " WHERE (?1 = 0 OR status = ?1) AND (?2 IS NULL OR date >= ?2)"
	                             " AND (?3 IS NULL OR date <= ?3) ORDER BY date, id",
	                             status, 2, (const char *const[]){from, to});
}

int youth_followup_count(int64_t *out, youth_registry *reg, int status, int horizon_months,
                         const char *from, const char *to)
{
	if (out)
		*out = 0;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_followup_count: NULL argument");
	int rc;
	if ((rc = status_rule(status, true)))
		return rc;
	if (horizon_months < 0 || horizon_months > YOUTH_FOLLOWUP_HORIZON_MAX)
		return youth__error(YOUTH_EINVAL, "horizon_months",
		                    "horizon_months %d: must be 1-60 months, or 0 for any",
		                    horizon_months);
	if ((rc = range_rule(from, to)))
		return rc;
	sqlite3_stmt *st;
	if ((rc = youth__stmt(reg, SQL_COUNT, &st)))
		return rc;
	sqlite3_bind_int(st, 1, status);
	sqlite3_bind_int(st, 2, horizon_months);
	youth__bind_text(st, 3, from);
	youth__bind_text(st, 4, to);
	bool found;
	rc = youth__row_ints(out, 1, &found, reg, st, "counting follow-ups");
	sqlite3_clear_bindings(st); /* the bounds were the caller's strings */
	return rc;
}

/* ---- interchange (interchange.c) --------------------------------------------------------- */

/*
 * `service_id` is an id of another table, chosen by `service`; a file names that record by its
 * UUID instead, in the extra key `service_uuid`, resolved on import in the table of the kind:
 * enrollment -> enrollment, counselling -> counselling_session, scholarship -> scholarship,
 * seed_capital and plan -> enterprise_plan.
 */
#define SERVICE_UUID(f)                                                                        \
	"CASE " f ".service"                                                                     \
	" WHEN 'enrollment' THEN (SELECT uuid FROM enrollment WHERE id = " f ".service_id)"      \
	" WHEN 'counselling' THEN (SELECT uuid FROM counselling_session WHERE id = " f             \
	".service_id)"                                                                           \
	" WHEN 'scholarship' THEN (SELECT uuid FROM scholarship WHERE id = " f ".service_id)"    \
	" ELSE (SELECT uuid FROM enterprise_plan WHERE id = " f ".service_id) END"

static const char SQL_EXPORT[] =
	"SELECT f.id, f.uuid, p.uuid, (SELECT uuid FROM operator WHERE id = f.operator_id), NULL, "
	"f.date, f.horizon_months, f.status, (SELECT uuid FROM employer WHERE id = f.employer_id), "
	"f.service, f.service_id, f.notes, " SERVICE_UUID("f")
	" FROM followup f JOIN person p ON p.id = f.person_id JOIN place pl ON pl.id = p.place_id"
	" WHERE " YOUTH__EXPORT_PERSON_IN("p", "pl")
	" AND (?2 IS NULL OR f.date >= ?2) AND (?3 IS NULL OR f.date <= ?3) ORDER BY f.id";

static const char *const followup_extra[] = {"service_uuid", NULL};

static const youth__ref followup_refs[] = {
	YOUTH__REF_PERSON,
	YOUTH__REF_OPERATOR,
	YOUTH__REF_EMPLOYER,
};

/* The table of each service kind, in the order of service_kinds. */
static const char *const service_by_uuid[] = {
	"SELECT id FROM enrollment WHERE uuid = ?1",
	"SELECT id FROM counselling_session WHERE uuid = ?1",
	"SELECT id FROM scholarship WHERE uuid = ?1",
	"SELECT id FROM enterprise_plan WHERE uuid = ?1",
	"SELECT id FROM enterprise_plan WHERE uuid = ?1",
};
static const char SQL_FOLLOWUP_BY_UUID[] = "SELECT id FROM followup WHERE uuid = ?1";

/* `service_uuid` -> service_id, in the table of `service`. */
static int resolve_service(youth_registry *reg, youth_followup *f, const char *uuid)
{
	if (!uuid && !youth__nz(f->service))
		return YOUTH_OK;
	if (!youth__nz(f->service))
		return youth__error(YOUTH_EINVAL, "service_uuid", "service_uuid \"%.40s\": given without "
		                    "a service (one of " SERVICE_LIST ")", uuid);
	size_t kind = 0;
	while (kind < YOUTH__N_OF(service_kinds) && strcmp(service_kinds[kind], f->service) != 0)
		kind++;
	if (kind == YOUTH__N_OF(service_kinds))
		return youth__error(YOUTH_EINVAL, "service", "service \"%.40s\": not one of "
		                    SERVICE_LIST, f->service);
	if (!uuid)
		return youth__error(YOUTH_EINVAL, "service_uuid", "service_uuid: missing (the UUID of "
		                    "the %s followed up)", f->service);
	if (!youth__uuid_valid(uuid))
		return youth__error(YOUTH_EINVAL, "service_uuid", "service_uuid \"%.40s\": not a UUID",
		                    uuid);
	int rc = youth__id_by_uuid(reg, service_by_uuid[kind], uuid, &f->service_id);
	if (rc == YOUTH_OK && f->service_id == 0)
		rc = youth__error(YOUTH_ENOTFOUND, "service_uuid", "service_uuid \"%s\": no such %s "
		                  "UUID (neither in the registry nor earlier in the file)", uuid,
		                  f->service);
	return rc;
}

static int import_followup(youth__imp *imp, void *rec, int *done)
{
	youth_followup *f = rec;
	youth_registry *reg = youth__imp_registry(imp);
	int rc = resolve_service(reg, f, youth__imp_value(imp, "service_uuid"));
	if (rc)
		return rc;
	*done = YOUTH__IMP_ADDED;
	int64_t id;
	if ((rc = youth__imp_existing(imp, SQL_FOLLOWUP_BY_UUID, f->uuid, &id)))
		return rc;
	if (id == 0)
		return youth_followup_add(reg, f);
	youth_followup *old = NULL;
	if ((rc = youth_followup_get(&old, reg, id)))
		return rc;
	if (youth__rec_meets(&youth__kind_followup, f, old, id))
		*done = YOUTH__IMP_UNCHANGED;
	else if ((rc = youth_followup_update(reg, f)) == YOUTH_OK)
		*done = YOUTH__IMP_UPDATED;
	youth_followup_free(old);
	return rc;
}

/* The indexes by person and by status, and the UUID index (schema 14 named it), built once
 * after the section's last record when the section adds many: as the enrollments' (course.c).
 * followup_once stays: a repeated follow-up is found by it at its insert (dup_conflict()). */
static const char *const followup_bulk_indexes[] = {"followup_person_date", "followup_status_date",
                                                       "followup_uuid", NULL};

YOUTH__SECTION(followups, "follow-up", YOUTH_KIND_FOLLOWUPS, youth__kind_followup,
               .extra_keys = followup_extra, YOUTH__SECTION_REFS(followup_refs),
               .export_sql = SQL_EXPORT, .import = import_followup,
               .bulk_indexes = followup_bulk_indexes);
