/*
 * Vocational courses, their cohorts, and the enrollments of persons in cohorts.
 *
 * As in person.c: the field tables (record.c) drive the text interface and the copy of a row
 * into a one-block record; the rules live in the validate_*() functions and in the state
 * machine below; every change goes through the single write path (youth__write_begin / _row /
 * _end), so a refused operation leaves the registry exactly as it was.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

/* ---- fields ------------------------------------------------------------------------------ */

/* Limits of the free-text fields. */
#define COHORT_CODE_MAX 32
#define REASON_MAX 500
#define HOURS_MAX 2000
#define CAPACITY_MAX 500
#define DEFAULT_MIN_ATTENDANCE 80

YOUTH__VOCAB_FN(youth_enrollment_state_name, youth__voc_enrollment_state)

/* ---- typed record functions (private.h) ----------------------------------------------------- */

YOUTH__RECORD_API(youth_course, youth__kind_course)
YOUTH__RECORD_API(youth_cohort, youth__kind_cohort)
YOUTH__RECORD_API(youth_enrollment, youth__kind_enrollment)

/* ======================================================================================== */
/* ---- courses ---------------------------------------------------------------------------- */

#define COURSE_COLS "id, uuid, code, title, provider, job_profile, hours"

static const char SQL_COURSE_BY_CODE[] = "SELECT " COURSE_COLS " FROM course WHERE code = ?";

/* What the field table cannot say (youth__rec_add has applied it). */
static int course_prepare(youth_registry *reg, const void *rec, void *ctx)
{
	const youth_course *c = rec;
	(void)reg, (void)ctx;
	if (c->hours < 1 || c->hours > HOURS_MAX)
		return youth__error(YOUTH_EINVAL, "hours",
		                    c->hours ? "hours %d: must be 1-2000" : "hours: missing (1-2000)",
		                    c->hours);
	return YOUTH_OK;
}

/* The columns the INSERT and the UPDATE write (youth__put_sql). */
static youth__binding course_binding =
	YOUTH__BINDING(youth__kind_course, "code,title,provider,job_profile,hours");

static const youth__put course_insert = {
	&youth__kind_course, "course", "add course", .what = "adding a course",
	.fields = &course_binding, .one = true, .prepare = course_prepare, .fn = "youth_course_add",
};
/* The course must exist, and its UUID never changes (checked inside the write). */
static const youth__put course_update = {
	&youth__kind_course, "course", "update course", .what = "updating a course",
	.uuid_sql = "SELECT uuid FROM course WHERE id = ?", .fields = &course_binding,
	.one = true, .prepare = course_prepare, .fn = "youth_course_update",
};

int youth_course_add(youth_registry *reg, youth_course *c)
{
	return youth__rec_add(reg, &course_insert, c, NULL);
}

int youth_course_update(youth_registry *reg, const youth_course *c)
{
	return youth__rec_change(reg, &course_update, c, NULL);
}

YOUTH__RECORD_GET(youth_course, youth__kind_course, youth__by_id(course))

int youth_course_get_by_code(youth_course **out, youth_registry *reg, const char *code)
{
	return youth__rec_get_text(out, reg, &youth__kind_course, SQL_COURSE_BY_CODE, code,
	                           "youth_course_get_by_code", "code");
}

YOUTH__RECORD_LIST0(youth_course, youth__kind_course, "listing courses",
                    "SELECT " COURSE_COLS " FROM course ORDER BY code, id")

/* ======================================================================================== */
/* ---- cohorts ---------------------------------------------------------------------------- */

#define COHORT_COLS                                                                          \
	"c.id, c.uuid, c.course_id, c.exchange_id, c.code, c.start_date, c.end_date, pl.path, " \
	"c.capacity, c.min_attendance"
#define COHORT_FROM " FROM cohort c JOIN place pl ON pl.id = c.place_id"

static const char SQL_EXCHANGE_EXISTS[] = "SELECT 1 FROM exchange WHERE id = ?";
static const char SQL_COHORT_TAKEN[] =
	"SELECT (SELECT count(*) FROM enrollment WHERE cohort_id = ?1 AND state IN (2, 3)), "
	"EXISTS (SELECT 1 FROM cohort WHERE id = ?1)";

/* What the field table cannot say (youth__rec_add has applied it). */
static int cohort_rules(const youth_cohort *c)
{
	if (strcmp(c->end_date, c->start_date) < 0)
		return youth__error(YOUTH_EINVAL, "end_date", "end_date \"%s\": before start_date \"%s\"",
		                    c->end_date, c->start_date);
	if (c->capacity < 1 || c->capacity > CAPACITY_MAX)
		return youth__error(YOUTH_EINVAL, "capacity",
		                    c->capacity ? "capacity %d: must be 1-500 places"
		                                : "capacity: missing (1-500 places)",
		                    c->capacity);
	if (c->min_attendance < 0 || c->min_attendance > 100)
		return youth__error(YOUTH_EINVAL, "min_attendance",
		                    "min_attendance %d: must be 1-100 percent (0 means 80)",
		                    c->min_attendance);
	return YOUTH_OK;
}

/* The course, exchange and place a cohort names must exist; *place_id is the place's key. */
static int cohort_refs(youth_registry *reg, const youth_cohort *c, int64_t *place_id)
{
	int rc = youth__row_by_id(reg, youth__by_id(course), c->course_id, "course_id", "course", NULL);
	if (rc == YOUTH_OK)
		rc = youth__row_by_id(reg, SQL_EXCHANGE_EXISTS, c->exchange_id, "exchange_id",
		                      "exchange", NULL);
	if (rc == YOUTH_OK)
		rc = youth__place_resolve(reg, c->place, "place", place_id);
	return rc;
}

/* What a cohort's checks resolve: the place's key and the attendance threshold stored. */
typedef struct cohort_values {
	int64_t place_id;
	int min_attendance;
} cohort_values;

/* The columns the INSERT and the UPDATE write; bind_cohort binds the two the checks resolve. */
static youth__binding cohort_binding = YOUTH__BINDING(
	youth__kind_cohort,
	"course_id,exchange_id,code,start_date,end_date,@place_id,capacity,@min_attendance");

static void bind_cohort(sqlite3_stmt *st, const void *rec, const void *ctx)
{
	const cohort_values *v = ctx;
	(void)rec;
	sqlite3_bind_int64(st, 6, v->place_id);
	sqlite3_bind_int(st, 8, v->min_attendance);
}

/* The rules and the threshold stored.  An update checks the records it names inside the write
 * (cohort_check_change). */
static int cohort_put_change(youth_registry *reg, const void *rec, void *ctx)
{
	const youth_cohort *c = rec;
	(void)reg;
	((cohort_values *)ctx)->min_attendance =
		c->min_attendance ? c->min_attendance : DEFAULT_MIN_ATTENDANCE;
	return cohort_rules(c);
}

/* An add also looks up the records the cohort names, last: a record with a bad field never
 * costs a query. */
static int cohort_put_add(youth_registry *reg, const void *rec, void *ctx)
{
	int rc = cohort_put_change(reg, rec, ctx);
	return rc ? rc : cohort_refs(reg, rec, &((cohort_values *)ctx)->place_id);
}

static const youth__put cohort_insert = {
	&youth__kind_cohort, "cohort", "add cohort", .what = "adding a cohort",
	.fields = &cohort_binding, .bind = bind_cohort, .one = true, .prepare = cohort_put_add,
	.fn = "youth_cohort_add",
};

int youth_cohort_add(youth_registry *reg, youth_cohort *c)
{
	cohort_values v = {0, 0};
	int rc = youth__rec_add(reg, &cohort_insert, c, &v);
	if (rc == YOUTH_OK)
		c->min_attendance = v.min_attendance;
	return rc;
}

/* What the cohort's enrollments already rely on: a change to the cohort must keep them true. */
static const char SQL_COHORT_IN_USE[] =
	"SELECT (SELECT count(*) FROM enrollment WHERE cohort_id = ?1 AND state IN (2, 3)), "
	"(SELECT count(*) FROM enrollment WHERE cohort_id = ?1), "
	"(SELECT count(*) FROM enrollment WHERE cohort_id = ?1 AND state = 3), "
	"(SELECT max(applied_date) FROM enrollment WHERE cohort_id = ?1), "
	"(SELECT min(s.date) FROM enrollment_session s JOIN enrollment e ON e.id = s.enrollment_id "
	" WHERE e.cohort_id = ?1), "
	"(SELECT max(s.date) FROM enrollment_session s JOIN enrollment e ON e.id = s.enrollment_id "
	" WHERE e.cohort_id = ?1)";

/* Refuses a change that would contradict what the enrollments of cohort @old already hold:
 * places taken beyond the capacity, applications after the end, attendance sessions outside
 * the dates, trainees moved to another course, completions judged by another threshold. */
static int cohort_keeps_enrollments(youth_registry *reg, const youth_cohort *old,
                                    const youth_cohort *c, int min_attendance)
{
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, SQL_COHORT_IN_USE, &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, old->id);
	bool found;
	if ((rc = youth__step_row(reg, st, &found, "reading a cohort's enrollments")))
		return rc;
	int64_t taken = sqlite3_column_int64(st, 0), any = sqlite3_column_int64(st, 1);
	int64_t completed = sqlite3_column_int64(st, 2);
	char applied[YOUTH_DATE_LEN + 1], first[YOUTH_DATE_LEN + 1], last[YOUTH_DATE_LEN + 1];
	youth__col_text(st, 3, applied, sizeof applied);
	youth__col_text(st, 4, first, sizeof first);
	youth__col_text(st, 5, last, sizeof last);
	sqlite3_reset(st);
	if (c->capacity < taken)
		return youth__error(YOUTH_ERULE, "capacity",
		                    "capacity %d: below the %lld places already taken (enrolled or "
		                    "completed) in cohort %s",
		                    c->capacity, (long long)taken, old->code);
	if (any && c->course_id != old->course_id)
		return youth__error(YOUTH_ERULE, "course_id",
		                    "course_id %lld: cohort %s has %lld enrollments in course %lld; "
		                    "open a new cohort instead of moving its trainees",
		                    (long long)c->course_id, old->code, (long long)any,
		                    (long long)old->course_id);
	if (applied[0] && strcmp(c->end_date, applied) < 0)
		return youth__error(YOUTH_ERULE, "end_date",
		                    "end_date \"%s\": before an application to cohort %s on %s",
		                    c->end_date, old->code, applied);
	if (first[0] && strcmp(c->start_date, first) > 0)
		return youth__error(YOUTH_ERULE, "start_date",
		                    "start_date \"%s\": after attendance recorded in cohort %s on %s",
		                    c->start_date, old->code, first);
	if (last[0] && strcmp(c->end_date, last) < 0)
		return youth__error(YOUTH_ERULE, "end_date",
		                    "end_date \"%s\": before attendance recorded in cohort %s on %s",
		                    c->end_date, old->code, last);
	if (completed && min_attendance != old->min_attendance)
		return youth__error(YOUTH_ERULE, "min_attendance",
		                    "min_attendance %d: cohort %s has %lld completed enrollments judged "
		                    "against %d%%",
		                    min_attendance, old->code, (long long)completed,
		                    old->min_attendance);
	return YOUTH_OK;
}

/* Inside the write, so the enrollments checked are the ones the update sees. */
static int cohort_check_change(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	const youth_cohort *c = rec;
	cohort_values *v = ctx;
	youth_cohort *old = NULL;
	int rc = youth__rec_get(&old, reg, &youth__kind_cohort, youth__by_id(cohort), self,
	                        "youth_cohort_update");
	if (rc == YOUTH_OK)
		rc = cohort_refs(reg, c, &v->place_id);
	if (rc == YOUTH_OK)
		rc = cohort_keeps_enrollments(reg, old, c, v->min_attendance);
	youth_cohort_free(old);
	return rc;
}

static const youth__put cohort_update = {
	&youth__kind_cohort, "cohort", "update cohort", .what = "updating a cohort",
	.uuid_sql = "SELECT uuid FROM cohort WHERE id = ?", .check = cohort_check_change,
	.fields = &cohort_binding, .bind = bind_cohort, .one = true, .prepare = cohort_put_change,
	.fn = "youth_cohort_update",
};

int youth_cohort_update(youth_registry *reg, const youth_cohort *c)
{
	cohort_values v = {0, 0};
	return youth__rec_change(reg, &cohort_update, c, &v);
}

YOUTH__RECORD_GET(youth_cohort, youth__kind_cohort, youth__by_id(cohort))

YOUTH__RECORD_LIST1(youth_cohort, youth__kind_cohort, "listing cohorts",
                    "SELECT " COHORT_COLS COHORT_FROM
                    " WHERE ?1 = 0 OR c.course_id = ?1 ORDER BY c.start_date, c.id", course_id)

int youth_cohort_taken(int64_t *out, youth_registry *reg, int64_t cohort_id)
{
	if (out)
		*out = 0;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_cohort_taken: NULL argument");
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, SQL_COHORT_TAKEN, &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, cohort_id);
	bool found;
	int64_t v[2]; /* places taken, whether the cohort exists */
	if ((rc = youth__row_ints(v, 2, &found, reg, st, "counting places taken")))
		return rc;
	int64_t taken = v[0];
	if (!v[1])
		return youth__error(YOUTH_ENOTFOUND, "cohort_id", "cohort_id %lld: no such cohort",
		                    (long long)cohort_id);
	*out = taken;
	return YOUTH_OK;
}

/* ======================================================================================== */
/* ---- enrollments ------------------------------------------------------------------------ */

#define ENROLLMENT_COLS                                                                       \
	"id, uuid, cohort_id, person_id, operator_id, state, applied_date, state_date, "         \
	"attendance, certificate_date, reason"

static const char SQL_COHORT_BRIEF[] = "SELECT code, end_date FROM cohort WHERE id = ?";
static const char SQL_ENROLLMENT_DUP[] =
	"SELECT id FROM enrollment WHERE cohort_id = ?1 AND person_id = ?2";
/* The current state of an enrollment with what the transitions need from its cohort. */
static const char SQL_ENROLLMENT_STATE[] =
	"SELECT e.state, e.state_date, e.cohort_id, coalesce(e.attendance, -1), e.certificate_date, "
	"c.code, c.start_date, c.end_date, c.capacity, c.min_attendance, "
	"(SELECT count(*) FROM enrollment t WHERE t.cohort_id = e.cohort_id AND t.state IN (2, 3)) "
	"FROM enrollment e JOIN cohort c ON c.id = e.cohort_id WHERE e.id = ?";
static const char SQL_ENROLLMENT_SET_STATE[] = YOUTH__SET_STATE_SQL("enrollment");
static const char SQL_ENROLLMENT_SET_ATTENDANCE[] =
	"UPDATE enrollment SET attendance = ?2 WHERE id = ?1";
static const char SQL_SESSION_PUT[] =
	"INSERT INTO enrollment_session (enrollment_id, date, present) VALUES (?1, ?2, ?3) "
	"ON CONFLICT (enrollment_id, date) DO UPDATE SET present = excluded.present";
/* Rounds half up: attendance = round(100 * present / total). */
static const char SQL_SESSION_ATTENDANCE[] =
	"UPDATE enrollment SET attendance = (SELECT (200 * sum(present) + count(*)) / (2 * count(*)) "
	"FROM enrollment_session WHERE enrollment_id = ?1) WHERE id = ?1";
static const char SQL_ENROLLMENT_CERTIFICATE[] =
	"UPDATE enrollment SET certificate_date = ?2 WHERE id = ?1";


/* What a state change needs to know about the enrollment and its cohort. */
typedef struct current {
	int state;
	char state_date[YOUTH_DATE_LEN + 1];
	int64_t cohort_id;
	int attendance; /* -1 when not recorded */
	char certificate_date[YOUTH_DATE_LEN + 1];
	char cohort_code[COHORT_CODE_MAX + 1];
	char start_date[YOUTH_DATE_LEN + 1];
	char end_date[YOUTH_DATE_LEN + 1];
	int capacity;
	int min_attendance;
	int64_t taken;
} current;

static int load_current(youth_registry *reg, int64_t id, current *cur)
{
	sqlite3_stmt *st;
	int rc = youth__row_of(&st, reg, SQL_ENROLLMENT_STATE, id, "id", "enrollment",
	                       "reading an enrollment");
	if (rc)
		return rc;
	youth__row_cols(st, "idIidtddiiI", &cur->state, cur->state_date, &cur->cohort_id,
	                &cur->attendance, cur->certificate_date, cur->cohort_code,
	                sizeof cur->cohort_code, cur->start_date, cur->end_date, &cur->capacity,
	                &cur->min_attendance, &cur->taken);
	return YOUTH_OK;
}

/* load_current(); then ESTATE "enrollment <id>: <needs> (state X)" unless its state is one
 * of @states (YOUTH__TO bits). */
static int load_in_state(youth_registry *reg, int64_t id, current *cur, unsigned states,
                         const char *needs)
{
	int rc = load_current(reg, id, cur);
	/* A stored state out of any machine's range is refused as well, not shifted. */
	if (rc == YOUTH_OK && ((unsigned)cur->state >= 32 || !(states & YOUTH__TO(cur->state))))
		rc = youth__error(YOUTH_ESTATE, "state", "enrollment %lld: %s (state %s)",
		                  (long long)id, needs, youth_enrollment_state_name(cur->state));
	return rc;
}

/* The arguments every change of an enrollment takes: a registry (@fn names the function) and
 * a valid id. */
static int enrollment_args(const youth_registry *reg, const char *fn, int64_t id)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL registry", fn);
	return youth__id_rule(id, "enrollment");
}

/* The acts on an enrollment that its state allows: the write's operation (one statement, or
 * @many), the states (YOUTH__TO bits) and the refusal in any other. */
typedef struct act {
	const char *op;
	bool many;
	unsigned states;
	const char *needs;
} act;
static const act ACT_ATTENDANCE = {
	"record attendance", false,
	YOUTH__TO(YOUTH_ENROLLMENT_ENROLLED) | YOUTH__TO(YOUTH_ENROLLMENT_COMPLETED),
	"attendance is recorded only for enrolled or completed enrollments"};
static const act ACT_SESSION = {"record a session", true, YOUTH__TO(YOUTH_ENROLLMENT_ENROLLED),
                                "sessions are recorded only while enrolled"};
static const act ACT_CERTIFICATE = {"issue a certificate", false,
                                    YOUTH__TO(YOUTH_ENROLLMENT_COMPLETED),
                                    "a certificate needs a completed enrollment"};

/* Opens the write of @a and loads enrollment @id into @cur, refused unless @a may act on it.
 * On YOUTH_OK the caller ends the write; a refusal has ended it already. */
static int enrollment_write(youth__write *w, youth_registry *reg, const act *a, int64_t id,
                            current *cur)
{
	int rc = a->many ? youth__write_begin(w, reg, a->op) : youth__write_begin_one(w, reg, a->op);
	if (rc == YOUTH_OK && (rc = load_in_state(reg, id, cur, a->states, a->needs)))
		return youth__write_end(w, rc);
	return rc;
}

/* What the write of an application knows besides the record. */
typedef struct apply_values {
	youth__apply apply; /* first: youth__apply_eligible reads it */
	char code[COHORT_CODE_MAX + 1]; /* the cohort's */
} apply_values;

/* The cohort has not ended, the person and the operator exist, and the person has not
 * applied to the cohort yet; inside the write, so that what they saw still holds at the
 * insert. */
static int apply_check(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	const youth_enrollment *e = rec;
	char *code = ((apply_values *)ctx)->code, end[YOUTH_DATE_LEN + 1] = "";
	(void)self;
	sqlite3_stmt *st;
	int rc = youth__row_by_id(reg, SQL_COHORT_BRIEF, e->cohort_id, "cohort_id", "cohort", &st);
	if (rc == YOUTH_OK) {
		youth__col_text(st, 0, code, COHORT_CODE_MAX + 1);
		youth__col_text(st, 1, end, sizeof end);
		sqlite3_reset(st);
	}
	if (rc == YOUTH_OK && strcmp(e->applied_date, end) > 0)
		rc = youth__error(YOUTH_EINVAL, "applied_date",
		                  "applied_date \"%s\": after the end of cohort %s (%s)", e->applied_date,
		                  code, end);
	if (rc == YOUTH_OK)
		rc = youth__person_ref(reg, e->person_id);
	if (rc == YOUTH_OK)
		rc = youth__operator_check(reg, e->operator_id, NULL);
	return rc;
}

static const youth__put enrollment_insert;

/*
 * A second application of a person to a cohort is refused by the table's UNIQUE (cohort_id,
 * person_id) and worded here, after the fact: a look-up before every insert cost each
 * enrollment of an import one statement more (docs/benchmarks.md, "The seventh pass").
 */
static int apply_conflict(youth_registry *reg, const void *rec, const void *ctx,
                          const char *uuid)
{
	const youth_enrollment *e = rec;
	const apply_values *v = ctx;
	if (!strstr(sqlite3_errmsg(reg->db), "enrollment.person_id"))
		return youth__unique_error(reg, &enrollment_insert, rec, uuid);
	const int64_t key[] = {e->cohort_id, e->person_id};
	bool found = false;
	int64_t other = 0;
	int rc = youth__query_ints(&other, 1, &found, reg, SQL_ENROLLMENT_DUP, key, 2,
	                           "finding an enrollment");
	if (rc)
		return rc;
	if (!found) /* cannot be, the constraint having just seen it; said all the same */
		return youth__error(YOUTH_EEXISTS, "person_id",
		                    "person_id %lld: already has an enrollment in cohort %s",
		                    (long long)e->person_id, v->code);
	return youth__error(YOUTH_EEXISTS, "person_id",
	                    "person_id %lld: already has enrollment %lld in cohort %s",
	                    (long long)e->person_id, (long long)other, v->code);
}

/* A new enrollment is applied for on its date. */
static youth__binding apply_binding = YOUTH__BINDING(
	youth__kind_enrollment,
	"cohort_id,person_id,operator_id,state=1,applied_date,state_date=?4");

static const youth__put enrollment_insert = {
	&youth__kind_enrollment, "enrollment", "apply for a course", .what = "adding an enrollment",
	.check = apply_check, .fields = &apply_binding, .after = youth__apply_eligible,
	.conflict = apply_conflict, .fn = "youth_enrollment_apply",
};

int youth_enrollment_apply(youth_registry *reg, youth_enrollment *e,
                           const youth_override *override)
{
	apply_values v = {{0, override, &youth__kind_enrollment, YOUTH_PROGRAMME_VOCATIONAL}, ""};
	int rc = youth__rec_add(reg, &enrollment_insert, e, &v);
	if (rc == YOUTH_OK) {
		e->state = YOUTH_ENROLLMENT_APPLIED;
		e->state_date = e->applied_date;
		e->attendance = -1;
		e->certificate_date = NULL;
		e->reason = NULL;
	}
	return rc;
}

int youth_enrollment_set_state(youth_registry *reg, int64_t id, int state, const char *date,
                               const char *reason)
{
	int rc;
	if ((rc = enrollment_args(reg, "youth_enrollment_set_state", id)))
		return rc;
	if ((rc = youth__state_check(&youth__machine_enrollment, state)))
		return rc;
	bool needs_reason = state == YOUTH_ENROLLMENT_DROPPED || state == YOUTH_ENROLLMENT_NOT_ELIGIBLE;
	if (needs_reason && (!reason || !*reason))
		return youth__error(YOUTH_EINVAL, "reason", "reason: missing (required for %s)",
		                    youth_enrollment_state_name(state));
	if (needs_reason && (rc = youth__text_rule("reason", reason, REASON_MAX, true)))
		return rc;
	if (!needs_reason && reason)
		return youth__error(YOUTH_EINVAL, "reason",
		                    "reason \"%.40s\": only dropped and not_eligible take a reason",
		                    reason);
	if ((rc = youth__past_date_rule(date, "date")))
		return rc;
	youth__write w;
	if ((rc = youth__write_begin_one(&w, reg, "change enrollment state")))
		return rc;
	current cur;
	rc = load_current(reg, id, &cur);
	if (rc == YOUTH_OK)
		rc = youth__state_move(&youth__machine_enrollment, id, cur.state, cur.state_date,
		                       state, date);
	if (rc == YOUTH_OK && state == YOUTH_ENROLLMENT_ENROLLED && cur.taken >= cur.capacity)
		rc = youth__error(YOUTH_ERULE, "capacity",
		                  "enrollment %lld: cohort %s is full (capacity %d, %lld places taken)",
		                  (long long)id, cur.cohort_code, cur.capacity, (long long)cur.taken);
	if (rc == YOUTH_OK && state == YOUTH_ENROLLMENT_COMPLETED) {
		if (cur.attendance < 0)
			rc = youth__error(YOUTH_ERULE, "attendance",
			                  "enrollment %lld: attendance not recorded; the cohort's minimum "
			                  "is %d%%", (long long)id, cur.min_attendance);
		else if (cur.attendance < cur.min_attendance)
			rc = youth__error(YOUTH_ERULE, "attendance",
			                  "attendance %d%% is below the cohort's minimum %d%%",
			                  cur.attendance, cur.min_attendance);
	}
	rc = youth__write_stmt(&w, rc, SQL_ENROLLMENT_SET_STATE, "changing an enrollment's state",
	                       "enrollment", id, 'u', "itt", state, date,
	                       needs_reason ? reason : NULL);
	return youth__write_end(&w, rc);
}

int youth_enrollment_set_attendance(youth_registry *reg, int64_t id, int percent)
{
	int rc;
	if ((rc = enrollment_args(reg, "youth_enrollment_set_attendance", id)))
		return rc;
	if (percent < 0 || percent > 100)
		return youth__error(YOUTH_EINVAL, "attendance", "attendance %d%%: must be 0-100",
		                    percent);
	youth__write w;
	current cur;
	if ((rc = enrollment_write(&w, reg, &ACT_ATTENDANCE, id, &cur)))
		return rc;
	rc = youth__write_stmt(&w, rc, SQL_ENROLLMENT_SET_ATTENDANCE, "recording attendance",
	                       "enrollment", id, 'u', "i", percent);
	return youth__write_end(&w, rc);
}

int youth_enrollment_record_session(youth_registry *reg, int64_t id, const char *date,
                                    int present)
{
	int rc;
	if ((rc = enrollment_args(reg, "youth_enrollment_record_session", id)))
		return rc;
	if (present != 0 && present != 1)
		return youth__error(YOUTH_EINVAL, "present", "present %d: must be 0 or 1", present);
	if ((rc = youth__past_date_rule(date, "date")))
		return rc;
	youth__write w;
	current cur;
	if ((rc = enrollment_write(&w, reg, &ACT_SESSION, id, &cur)))
		return rc;
	if (strcmp(date, cur.start_date) < 0 || strcmp(date, cur.end_date) > 0)
		rc = youth__error(YOUTH_EINVAL, "date",
		                  "date \"%s\": outside cohort %s (%s to %s)", date, cur.cohort_code,
		                  cur.start_date, cur.end_date);
	rc = youth__write_stmt(&w, rc, SQL_SESSION_PUT, "recording a session", "enrollment_session",
	                       id, 'c', "ti", date, present);
	rc = youth__write_stmt(&w, rc, SQL_SESSION_ATTENDANCE, "computing attendance", "enrollment",
	                       id, 'u', "");
	return youth__write_end(&w, rc);
}

int youth_enrollment_issue_certificate(youth_registry *reg, int64_t id, const char *date)
{
	int rc;
	if ((rc = enrollment_args(reg, "youth_enrollment_issue_certificate", id)) ||
	    (rc = youth__past_date_rule(date, "date")))
		return rc;
	youth__write w;
	current cur;
	if ((rc = enrollment_write(&w, reg, &ACT_CERTIFICATE, id, &cur)))
		return rc;
	if (cur.certificate_date[0])
		rc = youth__error(YOUTH_ESTATE, "certificate_date",
		                  "enrollment %lld: certificate already issued on %s", (long long)id,
		                  cur.certificate_date);
	if (rc == YOUTH_OK && strcmp(date, cur.state_date) < 0)
		rc = youth__error(YOUTH_EINVAL, "date", "date \"%s\": before completion on %s", date,
		                  cur.state_date);
	rc = youth__write_stmt(&w, rc, SQL_ENROLLMENT_CERTIFICATE, "issuing a certificate",
	                       "enrollment", id, 'u', "t", date);
	return youth__write_end(&w, rc);
}

YOUTH__RECORD_GET(youth_enrollment, youth__kind_enrollment, youth__by_id(enrollment))

YOUTH__RECORD_LIST2(youth_enrollment, youth__kind_enrollment, "listing enrollments",
                    "SELECT " ENROLLMENT_COLS " FROM enrollment"
                    " WHERE (?1 = 0 OR cohort_id = ?1) AND (?2 = 0 OR person_id = ?2) ORDER BY id",
                    cohort_id, person_id)

/* ---- interchange (interchange.c) --------------------------------------------------------- */

#include <stdlib.h>

/* ---- courses ---- */

static const char SQL_COURSE_EXPORT[] = "SELECT " COURSE_COLS " FROM course ORDER BY id";

YOUTH__UPSERT_CALL(imp_course_add, youth_course_add)
YOUTH__UPSERT_CALL(imp_course_update, youth_course_update)

static const youth__upsert course_upsert = {
	&youth__kind_course, "SELECT id, uuid FROM course WHERE uuid = lower(?)",
	"SELECT id, uuid FROM course WHERE code = ?", "code", youth__by_id(course),
	.add = imp_course_add, .update = imp_course_update,
};

YOUTH__SECTION(courses, "course", YOUTH_KIND_COURSES, youth__kind_course,
               .export_sql = SQL_COURSE_EXPORT, .upsert = &course_upsert);

/* ---- cohorts ---- */

static const youth__ref cohort_links[] = {
	{"course_id", "course", "SELECT id FROM course WHERE uuid = ?1",
	 "SELECT id FROM course WHERE code = ?1", "course code"},
	{"exchange_id", "exchange", "SELECT id FROM exchange WHERE uuid = ?1",
	 "SELECT id FROM exchange WHERE code = ?1", "exchange code"},
};

static const char SQL_COHORT_EXPORT[] =
	"SELECT c.id, c.uuid, (SELECT uuid FROM course WHERE id = c.course_id), "
	"(SELECT uuid FROM exchange WHERE id = c.exchange_id), c.code, c.start_date, c.end_date, "
	"pl.path, c.capacity, c.min_attendance" COHORT_FROM " ORDER BY c.id";

YOUTH__UPSERT_CALL(imp_cohort_add, youth_cohort_add)

/* The place in its canonical form, and the threshold as youth_cohort_add() stores it. */
static void cohort_prepare(youth_registry *reg, const youth__kind *k, void *rec,
                           youth__buf *scratch)
{
	youth_cohort *c = rec;
	youth__place_prepare(reg, k, rec, scratch);
	if (c->min_attendance == 0)
		c->min_attendance = DEFAULT_MIN_ATTENDANCE;
}

/* Cohorts have no update by import: upsert leaves an equal one alone, else refuses. */
static const youth__upsert cohort_upsert = {
	&youth__kind_cohort, "SELECT id, uuid FROM cohort WHERE uuid = lower(?)",
	"SELECT id, uuid FROM cohort WHERE code = ?", "code", youth__by_id(cohort),
	.add = imp_cohort_add, .a_label = "a cohort", .prepare = cohort_prepare,
};

YOUTH__SECTION(cohorts, "cohort", YOUTH_KIND_COURSES, youth__kind_cohort,
               YOUTH__SECTION_REFS(cohort_links), .export_sql = SQL_COHORT_EXPORT,
               .upsert = &cohort_upsert);

/* ---- enrollments ---- */

static const youth__ref enrollment_refs[] = {
	{"cohort_id", "cohort", "SELECT id FROM cohort WHERE uuid = ?1",
	 "SELECT id FROM cohort WHERE code = ?1", "cohort code"},
	YOUTH__REF_PERSON,
	YOUTH__REF_OPERATOR,
};

/*
 * The extra keys: the override given when the application was recorded (one per call, so
 * the first override row of the enrollment says who and why), and the sessions recorded one
 * by one.  The sessions travel inside the enrollment, not in a section after it, because the
 * public API records sessions only while the enrollment is `enrolled`: they must be replayed
 * before the enrollment completes or drops out.
 */
static const char *const enrollment_extra[] = {"override_by", "override_reason", "attended",
                                               "missed", NULL};
static const char *const enrollment_lists[] = {"attended", "missed", NULL};

#define SESSION_LIST(present)                                                                  \
	"(SELECT group_concat(date, ', ') FROM (SELECT date FROM enrollment_session "             \
	"WHERE enrollment_id = e.id AND present = " #present " ORDER BY date))"
#define OVERRIDE_COL(col)                                                                      \
	"(SELECT " col " FROM eligibility_override eo JOIN operator o ON o.id = eo.operator_id "  \
	"WHERE eo.service = 'enrollment' AND eo.service_id = e.id ORDER BY eo.id LIMIT 1)"

/* An enrollment goes with its person: only when the person is exported, and only when it was
 * applied for within the dates asked. */
static const char SQL_ENROLLMENT_EXPORT[] =
	"SELECT e.id, e.uuid, (SELECT uuid FROM cohort WHERE id = e.cohort_id), p.uuid, "
	"(SELECT uuid FROM operator WHERE id = e.operator_id), e.state, e.applied_date, "
	"e.state_date, e.attendance, e.certificate_date, e.reason, " OVERRIDE_COL("o.uuid") ", "
	OVERRIDE_COL("eo.reason") ", " SESSION_LIST(1) ", " SESSION_LIST(0)
	" FROM enrollment e JOIN person p ON p.id = e.person_id JOIN place pl ON pl.id = p.place_id"
	" WHERE " YOUTH__EXPORT_PERSON_IN("p", "pl")
	" AND (?2 IS NULL OR e.applied_date >= ?2) AND (?3 IS NULL OR e.applied_date <= ?3)"
	" ORDER BY e.id";

/* What the registry holds of an enrollment, as the file would write it. */
static const char SQL_ENROLLMENT_STORED[] =
	"SELECT e.state, e.state_date, coalesce(e.attendance, -1), e.certificate_date, e.reason, "
	"e.cohort_id, e.person_id, e.operator_id, e.applied_date, " SESSION_LIST(1) ", "
	SESSION_LIST(0) " FROM enrollment e WHERE e.id = ?";
#undef SESSION_LIST
#undef OVERRIDE_COL

typedef struct session_item {
	char date[YOUTH_DATE_LEN + 1];
	int present;
} session_item;

/* What the file says beyond the writable fields. */
typedef struct enrollment_file {
	int state;
	const char *state_date;
	int attendance; /* -1: not given */
	const char *certificate_date;
	const char *reason;
	const char *attended, *missed;
	session_item *sessions;
	size_t n_sessions;
	youth_override ovr;
	bool has_ovr;
} enrollment_file;

static int session_cmp(const void *a, const void *b)
{
	return strcmp(((const session_item *)a)->date, ((const session_item *)b)->date);
}

/* Splits the "a, b" text of one list into sessions. */
static int add_sessions(enrollment_file *f, const char *list, const char *key, int present,
                        size_t *cap)
{
	for (const char *p = list; p && *p;) {
		const char *comma = strstr(p, ", ");
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char date[16];
		snprintf(date, sizeof date, "%.*s", (int)(n < 15 ? n : 15), p);
		int rc = n == YOUTH_DATE_LEN ? youth_date_check(date, key)
		                             : youth__error(YOUTH_EINVAL, key, "%s \"%.20s\": not a date "
		                                            "(YYYY-MM-DD)", key, date);
		if (rc)
			return rc;
		if (f->n_sessions == *cap) {
			size_t ncap = *cap ? *cap * 2 : 32;
			session_item *s = youth__realloc(f->sessions, ncap * sizeof *s);
			if (!s)
				return youth__oom();
			f->sessions = s;
			*cap = ncap;
		}
		memcpy(f->sessions[f->n_sessions].date, date, sizeof f->sessions[0].date);
		f->sessions[f->n_sessions++].present = present;
		p = comma ? comma + 2 : p + n;
	}
	return YOUTH_OK;
}

/* Reads the read-only and extra keys, and refuses what the state contradicts before anything
 * is written. */
static int read_enrollment_file(youth__imp *imp, const youth_enrollment *e, enrollment_file *f)
{
	youth_registry *reg = youth__imp_registry(imp);
	memset(f, 0, sizeof *f);
	f->attendance = -1;
	const char *state = youth__imp_value(imp, "state");
	f->state = YOUTH_ENROLLMENT_APPLIED;
	if (state) {
		f->state = 0;
		for (int s = 1; youth_enrollment_state_name(s); s++)
			if (strcmp(state, youth_enrollment_state_name(s)) == 0)
				f->state = s;
		if (!f->state)
			return youth__error(YOUTH_EINVAL, "state", "state \"%.30s\": not an enrollment state "
			                    "(applied, enrolled, completed, dropped, not_eligible)", state);
	}
	int rc;
	f->state_date = youth__imp_value(imp, "state_date");
	if (f->state_date && (rc = youth_date_check(f->state_date, "state_date")))
		return rc;
	if (!f->state_date && f->state != YOUTH_ENROLLMENT_APPLIED)
		return youth__error(YOUTH_EINVAL, "state_date", "state_date: missing (required for an "
		                    "enrollment in state %s)", youth_enrollment_state_name(f->state));
	if (!f->state_date)
		f->state_date = e->applied_date;
	const char *att = youth__imp_value(imp, "attendance");
	long long pct;
	if (att && youth__parse_int(att, 0, 100, &pct))
		return youth__error(YOUTH_EINVAL, "attendance", "attendance \"%.20s\": must be a "
		                    "percentage 0-100", att);
	if (att)
		f->attendance = (int)pct;
	f->certificate_date = youth__imp_value(imp, "certificate_date");
	f->reason = youth__imp_value(imp, "reason");
	size_t cap = 0;
	f->attended = youth__imp_value(imp, "attended");
	f->missed = youth__imp_value(imp, "missed");
	if ((rc = add_sessions(f, f->attended, "attended", 1, &cap)) ||
	    (rc = add_sessions(f, f->missed, "missed", 0, &cap)))
		return rc;
	if (f->n_sessions > 1) /* qsort() of no array is undefined, even of length 0 */
		qsort(f->sessions, f->n_sessions, sizeof *f->sessions, session_cmp);
	for (size_t i = 1; i < f->n_sessions; i++)
		if (strcmp(f->sessions[i].date, f->sessions[i - 1].date) == 0)
			return youth__error(YOUTH_EINVAL, f->sessions[i].present ? "attended" : "missed",
			                    "%s: the session of %s is listed twice (attended or missed, "
			                    "not both)", f->sessions[i].present ? "attended" : "missed",
			                    f->sessions[i].date);
	/* An applied enrollment was never anything else: what only a later state can hold would be
	 * lost on the way in. */
	if (f->state == YOUTH_ENROLLMENT_APPLIED) {
		if (strcmp(f->state_date ? f->state_date : "", e->applied_date ? e->applied_date : "") != 0)
			return youth__error(YOUTH_ESTATE, "state_date", "state_date \"%s\": an enrollment "
			                    "in state applied changed state on its applied_date (%s) only",
			                    f->state_date, e->applied_date ? e->applied_date : "none");
		const char *bad = f->attendance >= 0 ? "attendance"
		                  : f->n_sessions ? (f->attended ? "attended" : "missed")
		                  : f->certificate_date ? "certificate_date" : f->reason ? "reason" : NULL;
		if (bad)
			return youth__error(YOUTH_ESTATE, bad, "%s: an enrollment in state applied has "
			                    "none (only an enrolled one can)", bad);
	}
	const char *by = youth__imp_value(imp, "override_by");
	const char *why = youth__imp_value(imp, "override_reason");
	if (!by != !why)
		return youth__error(YOUTH_EINVAL, by ? "override_by" : "override_reason",
		                    "%s: an override needs both override_by (the operator's uuid) and "
		                    "override_reason", by ? "override_reason missing" : "override_by "
		                    "missing");
	if (by) {
		f->has_ovr = true;
		f->ovr.reason = why;
		char norm[YOUTH_UUID_LEN + 1];
		if (!youth__uuid_valid(by))
			return youth__error(YOUTH_EINVAL, "override_by", "override_by \"%.40s\": not a UUID "
			                    "(the operator who overrode the rules)", by);
		memcpy(norm, by, sizeof norm);
		youth__uuid_norm(norm);
		sqlite3_stmt *st;
		bool found;
		if ((rc = youth__stmt(reg, "SELECT id FROM operator WHERE uuid = ?", &st)))
			return rc;
		sqlite3_bind_text(st, 1, norm, -1, SQLITE_STATIC);
		if ((rc = youth__step_row(reg, st, &found, "finding an operator")))
			return rc;
		f->ovr.operator_id = found ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (!found)
			return youth__error(YOUTH_ENOTFOUND, "override_by", "override_by \"%s\": no such "
			                    "operator UUID (neither in the registry nor earlier in the file)",
			                    norm);
	}
	return YOUTH_OK;
}

/* Re-records the current error under @field, so that the file position blamed is its key. */
static int blame_key(int rc, const char *field)
{
	if (rc == YOUTH_OK || rc == YOUTH_ENOMEM)
		return rc;
	/* @field may point into the report itself, which youth__error() rewrites. */
	char saved[600], key[32];
	snprintf(saved, sizeof saved, "%s", youth_error_last()->message);
	snprintf(key, sizeof key, "%s", field);
	return youth__error(rc, key, "%s", saved);
}

/* The key to blame for a refused state change: its date is the file's state_date. */
static const char *state_field(void)
{
	const char *field = youth_error_last()->field;
	return !field || strcmp(field, "date") == 0 ? "state_date" : field;
}

/*
 * Replays the recorded history through the public API, from state @from (0: not yet in the
 * registry) to the state of the file.  Only the final state and its date are stored, so the
 * steps between take the final date; a dropped enrollment passes through enrolled only when
 * it has attendance or sessions (which only an enrolled one can have).
 */
static int finish_applied(youth_registry *reg, const youth_enrollment *e,
                          const enrollment_file *f, current *known);

/* @known (may be NULL): finish_applied()'s cohort, as the import knows it; its cohort_id is
 * 0 on return when what it holds no longer is the cohort's. */
static int replay(youth_registry *reg, youth_enrollment *e, const enrollment_file *f, int from,
                  current *known)
{
	int rc = YOUTH_OK;
	if (from == 0) {
		/* Operators who have left since recorded it while active. */
		bool woke = false, woke_ovr = false;
		if (e->operator_id > 0)
			rc = youth__operator_wake(reg, e->operator_id, &woke);
		if (rc == YOUTH_OK && f->has_ovr && f->ovr.operator_id != e->operator_id)
			rc = youth__operator_wake(reg, f->ovr.operator_id, &woke_ovr);
		if (rc)
			return rc;
		rc = youth_enrollment_apply(reg, e, f->has_ovr ? &f->ovr : NULL);
		if (rc == YOUTH_OK && woke)
			rc = youth__operator_rest(reg, e->operator_id);
		if (rc == YOUTH_OK && woke_ovr)
			rc = youth__operator_rest(reg, f->ovr.operator_id);
		from = YOUTH_ENROLLMENT_APPLIED;
		if (rc)
			return rc;
	}
	/* An audited registry keeps one entry per step (docs/privacy.md): the steps are taken. */
	if (from == YOUTH_ENROLLMENT_APPLIED && f->n_sessions == 0 && !reg->audit.on)
		return finish_applied(reg, e, f, known);
	if (known)
		known->cohort_id = 0; /* the steps below may take a place */
	bool via_enrolled = f->state == YOUTH_ENROLLMENT_ENROLLED ||
	                    f->state == YOUTH_ENROLLMENT_COMPLETED || f->attendance >= 0 ||
	                    f->n_sessions > 0;
	if (from == YOUTH_ENROLLMENT_APPLIED && via_enrolled) {
		rc = youth_enrollment_set_state(reg, e->id, YOUTH_ENROLLMENT_ENROLLED, f->state_date,
		                                NULL);
		if (rc)
			return blame_key(rc, state_field());
		from = YOUTH_ENROLLMENT_ENROLLED;
	}
	if (from == YOUTH_ENROLLMENT_ENROLLED) {
		int present = 0;
		for (size_t i = 0; i < f->n_sessions; i++) {
			rc = youth_enrollment_record_session(reg, e->id, f->sessions[i].date,
			                                     f->sessions[i].present);
			if (rc)
				return blame_key(rc, f->sessions[i].present ? "attended" : "missed");
			present += f->sessions[i].present;
		}
		int n = (int)f->n_sessions;
		int computed = n ? (200 * present + n) / (2 * n) : -1;
		if (f->attendance >= 0 && f->attendance != computed &&
		    (rc = youth_enrollment_set_attendance(reg, e->id, f->attendance)))
			return blame_key(rc, "attendance");
	}
	if (f->state != from && f->state != YOUTH_ENROLLMENT_ENROLLED) {
		rc = youth_enrollment_set_state(reg, e->id, f->state, f->state_date, f->reason);
		if (rc)
			return blame_key(rc, state_field());
	} else if (f->reason && f->state != YOUTH_ENROLLMENT_DROPPED &&
	           f->state != YOUTH_ENROLLMENT_NOT_ELIGIBLE) {
		return youth__error(YOUTH_EINVAL, "reason", "reason \"%.40s\": only dropped and "
		                    "not_eligible take a reason", f->reason);
	}
	if (f->certificate_date) {
		rc = youth_enrollment_issue_certificate(reg, e->id, f->certificate_date);
		if (rc)
			return blame_key(rc, "certificate_date");
	}
	return rc;
}

static const char SQL_ENROLLMENT_FINISH[] =
	"UPDATE enrollment SET state = ?2, state_date = ?3, reason = ?4, attendance = nullif(?5, -1), "
	"certificate_date = ?6 WHERE id = ?1";

/*
 * replay() from applied when the file has no sessions, as one read and one UPDATE of the final
 * row instead of a state change, attendance, a second state change and a certificate (each a
 * read of the enrollment and its cohort and a write): most of a national file's enrollments
 * are completed ones, and those steps were most of their import.  Every step's rules are
 * checked in replay()'s order with its messages and blamed keys; the values a step would read
 * back are those the steps before it wrote.  Not for an audited registry, whose trail keeps
 * an entry per step.
 */
static int finish_applied(youth_registry *reg, const youth_enrollment *e,
                          const enrollment_file *f, current *known)
{
	int64_t id = e->id;
	bool via_enrolled = f->state == YOUTH_ENROLLMENT_ENROLLED ||
	                    f->state == YOUTH_ENROLLMENT_COMPLETED || f->attendance >= 0;
	if (known && known->cohort_id != e->cohort_id)
		known->cohort_id = 0;
	if (!via_enrolled && f->state == YOUTH_ENROLLMENT_APPLIED && !f->reason &&
	    !f->certificate_date)
		return YOUTH_OK; /* nothing beyond the application */
	int rc;
	/* The first step's checks before its write scope, as youth_enrollment_set_state(). */
	if (via_enrolled && (rc = youth__past_date_rule(f->state_date, "date"))) {
		if (known)
			known->cohort_id = 0;
		return blame_key(rc, state_field());
	}
	youth__write w;
	if ((rc = youth__write_begin_one(&w, reg, "change enrollment state")))
		return rc;
	current cur = {0};
	const char *err_key = NULL;
	if (known && known->cohort_id) {
		/* The application just written, in the cohort the import still knows. */
		cur = *known;
		cur.state = YOUTH_ENROLLMENT_APPLIED;
		snprintf(cur.state_date, sizeof cur.state_date, "%s", e->applied_date);
		cur.attendance = -1;
		cur.certificate_date[0] = '\0';
	} else if ((rc = load_current(reg, id, &cur))) {
		err_key = state_field();
	} else if (known) {
		*known = cur;
	}
	int state = cur.state;
	char state_date[YOUTH_DATE_LEN + 1];
	memcpy(state_date, cur.state_date, sizeof state_date);
	int attendance = cur.attendance;
	const char *reason = NULL;
	if (rc == YOUTH_OK && via_enrolled) {
		/* youth_enrollment_set_state(ENROLLED) */
		const char *date = f->state_date;
		rc = youth__state_step(&youth__machine_enrollment, id, state, YOUTH_ENROLLMENT_ENROLLED);
		if (rc == YOUTH_OK && strcmp(date, state_date) < 0)
			rc = youth__error(YOUTH_EINVAL, "date", "date \"%s\": before the enrollment's last "
			                  "state change (%s on %s)", date, youth_enrollment_state_name(state),
			                  state_date);
		if (rc == YOUTH_OK && cur.taken >= cur.capacity)
			rc = youth__error(YOUTH_ERULE, "capacity",
			                  "enrollment %lld: cohort %s is full (capacity %d, %lld places taken)",
			                  (long long)id, cur.cohort_code, cur.capacity, (long long)cur.taken);
		if (rc)
			err_key = state_field();
		state = YOUTH_ENROLLMENT_ENROLLED;
		snprintf(state_date, sizeof state_date, "%s", date);
		/* youth_enrollment_set_attendance(): no sessions, so any attendance given differs
		 * from the computed one (none) */
		if (rc == YOUTH_OK && f->attendance >= 0) {
			if (f->attendance > 100) {
				rc = youth__error(YOUTH_EINVAL, "attendance", "attendance %d%%: must be 0-100",
				                  f->attendance);
				err_key = "attendance";
			}
			attendance = f->attendance;
		}
	}
	bool changes = via_enrolled;
	if (rc == YOUTH_OK && f->state != state && f->state != YOUTH_ENROLLMENT_ENROLLED) {
		/* youth_enrollment_set_state(the file's state) */
		const char *date = f->state_date;
		int to = f->state;
		bool needs_reason = to == YOUTH_ENROLLMENT_DROPPED || to == YOUTH_ENROLLMENT_NOT_ELIGIBLE;
		rc = youth__state_check(&youth__machine_enrollment, to);
		if (rc == YOUTH_OK && needs_reason && (!f->reason || !*f->reason))
			rc = youth__error(YOUTH_EINVAL, "reason", "reason: missing (required for %s)",
			                  youth_enrollment_state_name(to));
		if (rc == YOUTH_OK && needs_reason)
			rc = youth__text_rule("reason", f->reason, REASON_MAX, true);
		if (rc == YOUTH_OK && !needs_reason && f->reason)
			rc = youth__error(YOUTH_EINVAL, "reason",
			                  "reason \"%.40s\": only dropped and not_eligible take a reason",
			                  f->reason);
		if (rc == YOUTH_OK)
			rc = youth__past_date_rule(date, "date");
		if (rc == YOUTH_OK)
			rc = youth__state_step(&youth__machine_enrollment, id, state, to);
		if (rc == YOUTH_OK && strcmp(date, state_date) < 0)
			rc = youth__error(YOUTH_EINVAL, "date", "date \"%s\": before the enrollment's last "
			                  "state change (%s on %s)", date, youth_enrollment_state_name(state),
			                  state_date);
		if (rc == YOUTH_OK && to == YOUTH_ENROLLMENT_COMPLETED) {
			if (attendance < 0)
				rc = youth__error(YOUTH_ERULE, "attendance",
				                  "enrollment %lld: attendance not recorded; the cohort's "
				                  "minimum is %d%%", (long long)id, cur.min_attendance);
			else if (attendance < cur.min_attendance)
				rc = youth__error(YOUTH_ERULE, "attendance",
				                  "attendance %d%% is below the cohort's minimum %d%%",
				                  attendance, cur.min_attendance);
		}
		if (rc)
			err_key = state_field();
		state = to;
		snprintf(state_date, sizeof state_date, "%s", date);
		reason = needs_reason ? f->reason : NULL;
		changes = true;
	} else if (rc == YOUTH_OK && f->reason && f->state != YOUTH_ENROLLMENT_DROPPED &&
	           f->state != YOUTH_ENROLLMENT_NOT_ELIGIBLE) {
		rc = youth__error(YOUTH_EINVAL, "reason", "reason \"%.40s\": only dropped and "
		                  "not_eligible take a reason", f->reason);
	}
	if (rc == YOUTH_OK && f->certificate_date) {
		/* youth_enrollment_issue_certificate() */
		const char *date = f->certificate_date;
		rc = youth__past_date_rule(date, "date");
		if (rc == YOUTH_OK && state != YOUTH_ENROLLMENT_COMPLETED)
			rc = youth__error(YOUTH_ESTATE, "state", "enrollment %lld: a certificate needs a "
			                  "completed enrollment (state %s)", (long long)id,
			                  youth_enrollment_state_name(state));
		if (rc == YOUTH_OK && strcmp(date, state_date) < 0)
			rc = youth__error(YOUTH_EINVAL, "date", "date \"%s\": before completion on %s",
			                  date, state_date);
		if (rc)
			err_key = "certificate_date";
		changes = true;
	}
	if (changes)
		rc = youth__write_stmt(&w, rc, SQL_ENROLLMENT_FINISH, "changing an enrollment's state",
		                       "enrollment", id, 'u', "ittit", state, state_date, reason,
		                       attendance, f->certificate_date);
	rc = youth__write_end(&w, rc);
	if (known && rc)
		known->cohort_id = 0;
	else if (known && (state == YOUTH_ENROLLMENT_ENROLLED || state == YOUTH_ENROLLMENT_COMPLETED))
		known->taken++; /* SQL_ENROLLMENT_STATE's count of places taken */
	return err_key ? blame_key(rc, err_key) : rc;
}

static bool text_eq(const char *a, const unsigned char *b)
{
	return !a || !b ? (const void *)a == (const void *)b : strcmp(a, (const char *)b) == 0;
}

/* With upsert: an enrollment already in the registry (by uuid, else by cohort and person) is
 * left alone when the file says the same, moved on when the file has it further along the
 * same history, and refused otherwise. */
static int upsert_enrollment(youth_registry *reg, youth_enrollment *e, const enrollment_file *f,
                             int64_t id, int *done)
{
	sqlite3_stmt *st;
	int rc = youth__row_of(&st, reg, SQL_ENROLLMENT_STORED, id, "id", "enrollment",
	                       "reading an enrollment");
	if (rc)
		return rc;
	int state = sqlite3_column_int(st, 0);
	bool same_who = sqlite3_column_int64(st, 5) == e->cohort_id &&
	                sqlite3_column_int64(st, 6) == e->person_id &&
	                sqlite3_column_int64(st, 7) == e->operator_id &&
	                text_eq(e->applied_date, sqlite3_column_text(st, 8));
	bool same_state = state == f->state && text_eq(f->state_date, sqlite3_column_text(st, 1));
	bool same = same_who && same_state && sqlite3_column_int(st, 2) == f->attendance &&
	            text_eq(f->certificate_date, sqlite3_column_text(st, 3)) &&
	            text_eq(f->reason, sqlite3_column_text(st, 4)) &&
	            text_eq(f->attended, sqlite3_column_text(st, 9)) &&
	            text_eq(f->missed, sqlite3_column_text(st, 10));
	bool cert = sqlite3_column_type(st, 3) != SQLITE_NULL;
	sqlite3_reset(st);
	e->id = id;
	*done = YOUTH__IMP_UNCHANGED;
	if (same)
		return YOUTH_OK;
	/* Further along the same history: applied -> anything, enrolled -> enrolled, completed
	 * or dropped, completed -> completed with its certificate. */
	bool onward = same_who && (state == YOUTH_ENROLLMENT_APPLIED ||
	                           (state == YOUTH_ENROLLMENT_ENROLLED &&
	                            (f->state == YOUTH_ENROLLMENT_ENROLLED ||
	                             f->state == YOUTH_ENROLLMENT_COMPLETED ||
	                             f->state == YOUTH_ENROLLMENT_DROPPED)) ||
	                           (same_state && state == YOUTH_ENROLLMENT_COMPLETED && !cert));
	if (!onward)
		return youth__error(YOUTH_EEXISTS, "state", "enrollment %s: already in the registry as "
		                    "%s, and the file's enrollment (%s on %s) is not a continuation of it",
		                    e->uuid, youth_enrollment_state_name(state),
		                    youth_enrollment_state_name(f->state), f->state_date);
	*done = YOUTH__IMP_UPDATED;
	return replay(reg, e, f, state, NULL);
}

/*
 * A file lists a cohort's enrollments one after the other, and the final state of each read
 * its cohort again with a count of the places taken: the import keeps the cohort as the last
 * enrollment left it (places taken counted in) and hands it to the next enrollment of the
 * same cohort while nothing else has written since (youth__imp_memo()).
 */
_Static_assert(sizeof(current) <= sizeof(((youth__imp *)0)->memo), "cohort memo too big");

static int import_enrollment(youth__imp *imp, void *rec, int *done)
{
	youth_enrollment *e = rec;
	youth_registry *reg = youth__imp_registry(imp);
	/* Taken before this record writes anything: its own writes make the memo stale. */
	const current *memo = youth__imp_memo(imp, &youth__kind_enrollment);
	current known = {0};
	if (memo)
		known = *memo;
	enrollment_file f;
	int rc = read_enrollment_file(imp, e, &f);
	*done = YOUTH__IMP_ADDED;
	int64_t id = 0;
	if (rc == YOUTH_OK && (youth__imp_flags(imp) & YOUTH_IMPORT_UPSERT)) {
		char uuid[YOUTH_UUID_LEN + 1] = "";
		rc = youth__find_record(reg, "SELECT id, uuid FROM enrollment WHERE uuid = lower(?)", e->uuid,
		                 NULL, NULL, &id, uuid);
		if (rc == YOUTH_OK && id == 0 && !e->uuid[0]) {
			/* No uuid: the person's enrollment in the cohort is the same record. */
			sqlite3_stmt *st;
			bool found = false;
			rc = youth__stmt(reg, "SELECT id, uuid FROM enrollment WHERE cohort_id = ?1 AND "
			                      "person_id = ?2", &st);
			if (rc == YOUTH_OK) {
				sqlite3_bind_int64(st, 1, e->cohort_id);
				sqlite3_bind_int64(st, 2, e->person_id);
				rc = youth__step_row(reg, st, &found, "finding an enrollment");
			}
			if (rc == YOUTH_OK && found) {
				id = sqlite3_column_int64(st, 0);
				youth__col_text(st, 1, uuid, sizeof uuid);
			}
			if (rc == YOUTH_OK)
				sqlite3_reset(st);
		}
		if (rc == YOUTH_OK && id)
			memcpy(e->uuid, uuid, sizeof e->uuid);
	}
	if (rc == YOUTH_OK)
		rc = id ? upsert_enrollment(reg, e, &f, id, done) : replay(reg, e, &f, 0, &known);
	youth__free(f.sessions);
	if (rc == YOUTH_OK && id == 0 && known.cohort_id) {
		*(current *)youth__imp_memo_take(imp, &youth__kind_enrollment) = known;
		youth__imp_memo_keep(imp);
	} else {
		youth__imp_memo_drop(imp);
	}
	return rc;
}

/* Built once after the section's last record when the section adds many, as the persons'
 * (person.c): the index by person, filled in the order of the cohorts, lands each insert on a
 * random page of it; the UUID index (schema 14 named it) likewise with random (v4) UUIDs, and
 * only for an atomic insert-only import.  No statement of the section reads either
 * (tests/test_plans.c, test_import_plans_with_indexes_deferred). */
static const char *const enrollment_bulk_indexes[] = {"enrollment_person", "enrollment_uuid", NULL};

YOUTH__SECTION(enrollments, "enrollment", YOUTH_KIND_COURSES, youth__kind_enrollment,
               .list_keys = enrollment_lists, .extra_keys = enrollment_extra,
               YOUTH__SECTION_REFS(enrollment_refs), .export_sql = SQL_ENROLLMENT_EXPORT,
               .import = import_enrollment,
               .bulk_indexes = enrollment_bulk_indexes);
