/*
 * Career counselling and life skills: sessions and their rosters.
 *
 * As in course.c: the field tables (record.c) drive the text interface and the copy of a row
 * into a one-block record; the rules live in validate_session() and in the small state machine
 * below (open -> closed); every change goes through the single write path
 * (youth__write_begin / _row / _end), and every look-up a change depends on runs inside that
 * write, so a refused operation leaves the registry exactly as it was.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

/* ---- fields ------------------------------------------------------------------------------ */

#define NOTE_MAX 500
#define DURATION_MAX 600

#define SERVICE_PARTICIPANT "counselling_participant"

YOUTH__VOCAB_FN(youth_counselling_kind_name, youth__voc_counselling_kind)
YOUTH__VOCAB_FN(youth_counselling_mode_name, youth__voc_counselling_mode)
YOUTH__VOCAB_FN(youth_counselling_state_name, youth__voc_counselling_state)

/* ---- typed record functions (private.h) ----------------------------------------------------- */

YOUTH__RECORD_API(youth_counselling_session, youth__kind_counselling_session)
YOUTH__RECORD_API(youth_counselling_participant, youth__kind_counselling_participant)

/* ======================================================================================== */
/* ---- sessions --------------------------------------------------------------------------- */

#define SESSION_COLS                                                                           \
	"s.id, s.uuid, s.operator_id, s.exchange_id, s.date, s.kind, s.mode, s.duration_minutes, " \
	"s.topic, s.outcome, pl.path, s.state, s.closed_date, "                                   \
	"(SELECT count(*) FROM counselling_participant r WHERE r.session_id = s.id)"
#define SESSION_FROM " FROM counselling_session s LEFT JOIN place pl ON pl.id = s.place_id"

static const char SQL_SESSION_BY_ID[] = "SELECT " SESSION_COLS SESSION_FROM " WHERE s.id = ?";
static const char SQL_OPERATOR_ROLE[] = "SELECT role FROM operator WHERE id = ?";
/* What a change needs to know about a session. */
static const char SQL_SESSION_STATE[] =
	"SELECT s.state, s.date, s.mode, s.closed_date, "
	"(SELECT count(*) FROM counselling_participant r WHERE r.session_id = s.id), "
	"(SELECT min(r.person_id) FROM counselling_participant r WHERE r.session_id = s.id) "
	"FROM counselling_session s WHERE s.id = ?";
static const char SQL_SESSION_CLOSE[] =
	"UPDATE counselling_session SET state = ?2, closed_date = ?3 WHERE id = ?1";

/* What the field table cannot say, on add and update (youth__rec_add has applied it). */
static int session_rules(youth_registry *reg, const void *rec, void *ctx)
{
	const youth_counselling_session *s = rec;
	(void)reg, (void)ctx;
	int rc = youth__choice_rule("kind", s->kind, youth_counselling_kind_name(s->kind) != NULL,
	                            "not a session kind (career_guidance, life_skills, job_search, "
	                            "referral)",
	                            "missing (career_guidance, life_skills, job_search, referral)");
	if (rc == YOUTH_OK)
		rc = youth__choice_rule("mode", s->mode, youth_counselling_mode_name(s->mode) != NULL,
		                        "not a session mode (individual, group)",
		                        "missing (individual, group)");
	if (rc)
		return rc;
	if (s->duration_minutes < 1 || s->duration_minutes > DURATION_MAX)
		return youth__error(YOUTH_EINVAL, "duration_minutes",
		                    s->duration_minutes ? "duration_minutes %d: must be 1-600 minutes"
		                                        : "duration_minutes: missing (1-600 minutes)",
		                    s->duration_minutes);
	return YOUTH_OK;
}

/* The counsellor: an active operator whose role is counsellor or coordinator. */
static int counsellor_check(youth_registry *reg, int64_t operator_id, int64_t *exchange_id)
{
	int rc = youth__operator_check(reg, operator_id, exchange_id);
	sqlite3_stmt *st;
	if (rc || (rc = youth__stmt(reg, SQL_OPERATOR_ROLE, &st)))
		return rc;
	sqlite3_bind_int64(st, 1, operator_id);
	bool found;
	if ((rc = youth__step_row(reg, st, &found, "reading an operator's role")))
		return rc;
	int role = found ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (role != YOUTH_ROLE_COUNSELLOR && role != YOUTH_ROLE_COORDINATOR) {
		const char *name = youth_operator_role_name(role);
		return youth__error(YOUTH_ERULE, "operator_id",
		                    "operator_id %lld: role %s may not record counselling sessions "
		                    "(allowed roles: counsellor, coordinator)",
		                    (long long)operator_id, name ? name : "unset");
	}
	return YOUTH_OK;
}

/* What the checks inside a session's write resolve. */
typedef struct session_values {
	int64_t exchange_id; /* the counsellor's exchange (add) */
	int64_t place_id;    /* 0: no place */
} session_values;

/* The columns the UPDATE writes, the fields a caller may change; the place (?7) comes from
 * the checks. */
static youth__binding session_binding = YOUTH__BINDING(
	youth__kind_counselling_session, "date,kind,mode,duration_minutes,topic,outcome,@place_id");
/* And the INSERT's: the counsellor (?8, session_bind_new) and their exchange (?9, the
 * context's first member); a new session is open. */
static youth__binding session_new_binding =
	YOUTH__BINDING(youth__kind_counselling_session, "date,kind,mode,duration_minutes,topic,"
	               "outcome,@place_id,@operator_id,@exchange_id,state=1");

static void session_bind_place(sqlite3_stmt *st, const void *rec, const void *ctx)
{
	(void)rec;
	youth__bind_id(st, 7, ((const session_values *)ctx)->place_id);
}

/* And on add the counsellor (?8); the exchange (?9) is the context's first member. */
static void session_bind_new(sqlite3_stmt *st, const void *rec, const void *ctx)
{
	session_bind_place(st, rec, ctx);
	sqlite3_bind_int64(st, 8, ((const youth_counselling_session *)rec)->operator_id);
}

/* The session's place, when it names one. */
static int session_place(youth_registry *reg, const youth_counselling_session *s,
                         session_values *v)
{
	return youth__nz(s->place) ? youth__place_resolve(reg, s->place, "place", &v->place_id)
	                           : YOUTH_OK;
}

static int session_check_new(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	const youth_counselling_session *s = rec;
	session_values *v = ctx;
	(void)self;
	int rc = counsellor_check(reg, s->operator_id, &v->exchange_id);
	return rc ? rc : session_place(reg, s, v);
}

/* A new session names its counsellor (an update keeps it: not required there). */
static int session_rules_new(youth_registry *reg, const void *rec, void *ctx)
{
	int rc = youth__ref_rule("operator_id", ((const youth_counselling_session *)rec)->operator_id);
	return rc ? rc : session_rules(reg, rec, ctx);
}

static const youth__put session_insert = {
	&youth__kind_counselling_session, "counselling_session", "add counselling session",
	.what = "adding a counselling session",
	.check = session_check_new, .fields = &session_new_binding, .ctx_id_param = 9,
	.bind = session_bind_new,
	.one = true, .prepare = session_rules_new, .fn = "youth_counselling_session_add",
};

int youth_counselling_session_add(youth_registry *reg, youth_counselling_session *s)
{
	session_values v = {0, 0};
	int rc = youth__rec_add(reg, &session_insert, s, &v);
	if (rc == YOUTH_OK) {
		s->exchange_id = v.exchange_id;
		s->state = YOUTH_COUNSELLING_OPEN;
		s->closed_date = NULL;
		s->participants = 0;
	}
	return rc;
}

/* What a change needs to know about a session. */
typedef struct current {
	int state;
	char date[YOUTH_DATE_LEN + 1];
	int mode;
	char closed_date[YOUTH_DATE_LEN + 1];
	int64_t roster;
	int64_t first_person; /* a person on the roster, 0 when empty */
} current;

/* The columns of SQL_SESSION_STATE, in order. */
#define CUR(m, type) YOUTH__COL(current, m, YOUTH__COL_##type)
static const youth__col current_cols[] = {
	CUR(state, INT),   CUR(date, TEXT),     CUR(mode, INT),
	CUR(closed_date, TEXT), CUR(roster, INT64), CUR(first_person, INT64),
};
#undef CUR

static int load_current(youth_registry *reg, int64_t id, const char *field, current *cur)
{
	return youth__row_read(cur, reg, SQL_SESSION_STATE, id, field, "counselling session",
	                       current_cols, YOUTH__N_OF(current_cols));
}


/* A roster change on a session that is not open. */
static int frozen_error(int64_t id, const current *cur, const char *what)
{
	return youth__error(YOUTH_ESTATE, "state",
	                    "counselling session %lld: cannot %s: the session is %s since %s "
	                    "(roster changes are allowed only while open)",
	                    (long long)id, what, youth_counselling_state_name(cur->state),
	                    cur->closed_date);
}

/* The roster size rule of @mode for a roster of @n persons, checked when closing. */
static int roster_rule(int64_t id, int mode, int64_t n)
{
	if (mode == YOUTH_COUNSELLING_INDIVIDUAL && n != 1)
		return youth__error(YOUTH_ERULE, "participants",
		                    "counselling session %lld: an individual session needs exactly 1 "
		                    "participant (roster has %lld)", (long long)id, (long long)n);
	if (mode == YOUTH_COUNSELLING_GROUP &&
	    (n < YOUTH_COUNSELLING_GROUP_MIN || n > YOUTH_COUNSELLING_GROUP_MAX))
		return youth__error(YOUTH_ERULE, "participants",
		                    "counselling session %lld: a group session needs %d-%d participants "
		                    "(roster has %lld)", (long long)id, YOUTH_COUNSELLING_GROUP_MIN,
		                    YOUTH_COUNSELLING_GROUP_MAX, (long long)n);
	return YOUTH_OK;
}

/* What an update must not contradict: only an open session changes, and its roster stays
 * valid (mode, the date its eligibility was checked on). */
static int session_check_change(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	const youth_counselling_session *s = rec;
	current cur;
	int rc = load_current(reg, self, "id", &cur);
	if (rc == YOUTH_OK && cur.state != YOUTH_COUNSELLING_OPEN)
		rc = youth__error(YOUTH_ESTATE, "state",
		                  "counselling session %lld: cannot update: the session is %s since %s "
		                  "(only open sessions change)", (long long)s->id,
		                  youth_counselling_state_name(cur.state), cur.closed_date);
	if (rc == YOUTH_OK && s->mode == YOUTH_COUNSELLING_INDIVIDUAL && cur.roster > 1)
		rc = youth__error(YOUTH_ERULE, "mode",
		                  "mode individual: counselling session %lld has %lld persons on its "
		                  "roster; an individual session has exactly one participant",
		                  (long long)s->id, (long long)cur.roster);
	/* The roster's eligibility was checked at the session's date: it stays. */
	if (rc == YOUTH_OK && cur.roster > 0 && strcmp(s->date, cur.date) != 0)
		rc = youth__error(YOUTH_ERULE, "date",
		                  "date \"%s\": counselling session %lld has %lld persons on its roster, "
		                  "whose eligibility was checked on %s; empty the roster to move it",
		                  s->date, (long long)s->id, (long long)cur.roster, cur.date);
	return rc ? rc : session_place(reg, s, ctx);
}

static const youth__put session_update = {
	&youth__kind_counselling_session, "counselling_session", "update counselling session",
	.what = "updating a counselling session",
	.check = session_check_change, .fields = &session_binding,
	.bind = session_bind_place,
	.one = true, .prepare = session_rules, .fn = "youth_counselling_session_update",
};

int youth_counselling_session_update(youth_registry *reg, const youth_counselling_session *s)
{
	session_values v = {0, 0};
	return youth__rec_change(reg, &session_update, s, &v);
}

int youth_counselling_session_set_state(youth_registry *reg, int64_t id, int state,
                                        const char *date)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_counselling_session_set_state: NULL "
		                                        "registry");
	int rc;
	if (id <= 0)
		return youth__error(YOUTH_EINVAL, "id", "counselling session id %lld: not a valid id",
		                    (long long)id);
	if ((rc = youth__state_check(&youth__machine_counselling_session, state)) ||
	    (rc = youth__past_date_rule(date, "date")))
		return rc;
	youth__write w;
	if ((rc = youth__write_begin_one(&w, reg, "change counselling session state")))
		return rc;
	current cur;
	rc = load_current(reg, id, "id", &cur);
	if (rc == YOUTH_OK)
		rc = youth__state_step(&youth__machine_counselling_session, id, cur.state, state);
	if (rc == YOUTH_OK && strcmp(date, cur.date) < 0)
		rc = youth__error(YOUTH_EINVAL, "date",
		                  "date \"%s\": before the counselling session's date %s", date,
		                  cur.date);
	if (rc == YOUTH_OK && state == YOUTH_COUNSELLING_CLOSED)
		rc = roster_rule(id, cur.mode, cur.roster);
	rc = youth__write_stmt(&w, rc, SQL_SESSION_CLOSE, "closing a counselling session",
	                       "counselling_session", id, 'u', "it", state, date);
	return youth__write_end(&w, rc);
}

int youth_counselling_session_close(youth_registry *reg, int64_t id, const char *date)
{
	return youth_counselling_session_set_state(reg, id, YOUTH_COUNSELLING_CLOSED, date);
}

int youth_counselling_session_get(youth_counselling_session **out, youth_registry *reg,
                                  int64_t id)
{
	return youth__rec_get(out, reg, &youth__kind_counselling_session, SQL_SESSION_BY_ID, id,
	                      "youth_counselling_session_get");
}

YOUTH__RECORD_LIST1(youth_counselling_session, youth__kind_counselling_session,
                    "listing counselling sessions",
                    "SELECT " SESSION_COLS SESSION_FROM
                    " WHERE ?1 = 0 OR s.id IN (SELECT session_id FROM counselling_participant"
                    " WHERE person_id = ?1) ORDER BY s.date, s.id", person_id)

/* ======================================================================================== */
/* ---- roster ----------------------------------------------------------------------------- */

#define PARTICIPANT_COLS "id, uuid, session_id, person_id, attended, note"

static const char SQL_PARTICIPANT_BY_ID[] =
	"SELECT " PARTICIPANT_COLS " FROM counselling_participant WHERE id = ?";
static const char SQL_PARTICIPANT_FIND[] =
	"SELECT id FROM counselling_participant WHERE session_id = ?1 AND person_id = ?2";
static const char SQL_PARTICIPANT_DELETE[] = "DELETE FROM counselling_participant WHERE id = ?";
static const char SQL_PARTICIPANT_ATTENDED[] =
	"UPDATE counselling_participant SET attended = ?2, note = ?3 WHERE id = ?1";

static int attended_rule(int attended)
{
	if (attended != 0 && attended != 1)
		return youth__error(YOUTH_EINVAL, "attended", "attended %d: must be 0 or 1", attended);
	return YOUTH_OK;
}

/* Finds the roster row of @person_id in @session_id; ENOTFOUND naming person_id if none. */
static int find_participant(youth_registry *reg, int64_t session_id, int64_t person_id,
                            int64_t *row, bool must_exist)
{
	const int64_t key[] = {session_id, person_id};
	bool found;
	int rc = youth__query_ints(row, 1, &found, reg, SQL_PARTICIPANT_FIND, key, 2,
	                           "finding a counselling participant");
	if (rc)
		return rc;
	if (!found && must_exist)
		return youth__error(YOUTH_ENOTFOUND, "person_id",
		                    "person_id %lld: not on the roster of counselling session %lld",
		                    (long long)person_id, (long long)session_id);
	return YOUTH_OK;
}

/* EEXISTS when @p's person is on its session's roster already, naming the roster row. */
static int already_on_roster(youth_registry *reg, const youth_counselling_participant *p)
{
	int64_t other = 0;
	int rc = find_participant(reg, p->session_id, p->person_id, &other, false);
	if (rc == YOUTH_OK && other)
		rc = youth__error(YOUTH_EEXISTS, "person_id",
		                  "person_id %lld: already on the roster of counselling session %lld "
		                  "(participant %lld)", (long long)p->person_id,
		                  (long long)p->session_id, (long long)other);
	return rc;
}

/* What the write of a participant knows besides the record. */
typedef struct participant_values {
	const youth_override *override;
	current cur; /* the session */
	const current *known; /* the session as an import still knows it, or NULL: read it */
} participant_values;

/* The session is open and has room, and the person is a new member of its roster. */
static int participant_check(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	const youth_counselling_participant *p = rec;
	current *cur = &((participant_values *)ctx)->cur;
	const current *known = ((participant_values *)ctx)->known;
	(void)self;
	int rc = YOUTH_OK;
	if (known)
		*cur = *known;
	else
		rc = load_current(reg, p->session_id, "session_id", cur);
	if (rc == YOUTH_OK && cur->state != YOUTH_COUNSELLING_OPEN)
		rc = frozen_error(p->session_id, cur, "add a participant");
	if (rc == YOUTH_OK)
		rc = youth__person_ref(reg, p->person_id);
	/* A person already on the roster is said so before the roster's rules: the insert's
	 * UNIQUE finds it (participant_conflict()), but only when the rules let it run. */
	bool full = (cur->mode == YOUTH_COUNSELLING_INDIVIDUAL && cur->roster >= 1) ||
	            (cur->mode == YOUTH_COUNSELLING_GROUP && cur->roster >= YOUTH_COUNSELLING_GROUP_MAX);
	if (rc == YOUTH_OK && full)
		rc = already_on_roster(reg, p);
	if (rc == YOUTH_OK && cur->mode == YOUTH_COUNSELLING_INDIVIDUAL && cur->roster >= 1)
		rc = youth__error(YOUTH_ERULE, "participants",
		                  "counselling session %lld: an individual session has exactly one "
		                  "participant (person %lld is already on the roster)",
		                  (long long)p->session_id, (long long)cur->first_person);
	if (rc == YOUTH_OK && cur->mode == YOUTH_COUNSELLING_GROUP &&
	    cur->roster >= YOUTH_COUNSELLING_GROUP_MAX)
		rc = youth__error(YOUTH_ERULE, "participants",
		                  "counselling session %lld: a group session has at most %d "
		                  "participants (roster is full)", (long long)p->session_id,
		                  YOUTH_COUNSELLING_GROUP_MAX);
	return rc;
}

static const youth__put participant_insert;

/*
 * A person twice on a roster is refused by the table's UNIQUE (session_id, person_id) and
 * worded here, after the fact: a look-up before every insert cost each participant of an
 * import one statement more (docs/benchmarks.md, "The seventh pass").
 */
static int participant_conflict(youth_registry *reg, const void *rec, const void *ctx,
                                const char *uuid)
{
	const youth_counselling_participant *p = rec;
	(void)ctx;
	if (!strstr(sqlite3_errmsg(reg->db), "counselling_participant.person_id"))
		return youth__unique_error(reg, &participant_insert, rec, uuid);
	int rc = already_on_roster(reg, p);
	if (rc == YOUTH_OK) /* cannot be, the constraint having just seen it; said all the same */
		rc = youth__error(YOUTH_EEXISTS, "person_id",
		                  "person_id %lld: already on the roster of counselling session %lld",
		                  (long long)p->person_id, (long long)p->session_id);
	return rc;
}

static youth__binding participant_binding =
	YOUTH__BINDING(youth__kind_counselling_participant, "session_id,person_id,attended,note");

/* After the insert, so that a refusal rolls it back and an override can name the row. */
static int participant_eligible(youth__write *w, const void *rec, void *ctx, int64_t id)
{
	const youth_counselling_participant *p = rec;
	const participant_values *v = ctx;
	return youth__eligibility(w, YOUTH_PROGRAMME_COUNSELLING, p->person_id, v->cur.date,
	                          v->override, SERVICE_PARTICIPANT, id);
}

static const youth__put participant_insert = {
	&youth__kind_counselling_participant, "counselling_participant",
	"add counselling participant", .what = "adding a counselling participant",
	.check = participant_check, .fields = &participant_binding, .after = participant_eligible,
	.conflict = participant_conflict, .fn = "youth_counselling_add_participant",
};

int youth_counselling_add_participant(youth_registry *reg, youth_counselling_participant *p,
                                      const youth_override *override)
{
	participant_values v = {.override = override};
	return youth__rec_add(reg, &participant_insert, p, &v);
}

/*
 * The import's add of a roster row.  A file lists a session's roster rows one after the
 * other, and each add read its session again with a count of its roster (most of a row's
 * checks): the session as the last row left it is kept in the import's memo instead, with
 * the row counted, and serves the next row of the same session while nothing else has
 * written since (youth__imp_memo()).  Same checks, in the same order, with the same values.
 */
typedef struct roster_memo {
	int64_t session_id;
	current cur;
} roster_memo;
_Static_assert(sizeof(roster_memo) <= sizeof(((youth__imp *)0)->memo), "roster memo too big");

static int add_participant_memo(youth__imp *imp, youth_counselling_participant *p,
                                const youth_override *o)
{
	const roster_memo *m = youth__imp_memo(imp, &youth__kind_counselling_participant);
	participant_values v = {.override = o};
	if (m && m->session_id == p->session_id)
		v.known = &m->cur;
	int rc = youth__rec_add(youth__imp_registry(imp), &participant_insert, p, &v);
	if (rc) {
		youth__imp_memo_drop(imp);
		return rc;
	}
	roster_memo *keep = youth__imp_memo_take(imp, &youth__kind_counselling_participant);
	keep->session_id = p->session_id;
	keep->cur = v.cur;
	if (keep->cur.roster == 0 || p->person_id < keep->cur.first_person)
		keep->cur.first_person = p->person_id;
	keep->cur.roster++;
	youth__imp_memo_keep(imp);
	return YOUTH_OK;
}

/* Shared start of remove and set_attended: the session must be open and hold the person. */
static int open_roster_row(youth_registry *reg, int64_t session_id, int64_t person_id,
                           const char *what, int64_t *row)
{
	current cur;
	int rc = load_current(reg, session_id, "session_id", &cur);
	if (rc == YOUTH_OK && cur.state != YOUTH_COUNSELLING_OPEN)
		rc = frozen_error(session_id, &cur, what);
	if (rc == YOUTH_OK)
		rc = find_participant(reg, session_id, person_id, row, true);
	return rc;
}

/* The two changes of one roster row: the write, its words, and the values it binds after the
 * row's id ("it": attendance and note, checked first; "": none). */
typedef struct roster_change {
	const char *fn, *op, *act, *sql, *what;
	char action;
	const char *binds;
} roster_change;

static const roster_change roster_remove = {
	"youth_counselling_remove_participant", "remove counselling participant",
	"remove a participant", SQL_PARTICIPANT_DELETE, "removing a counselling participant", 'd', "",
};
static const roster_change roster_attend = {
	"youth_counselling_set_attended", "record counselling attendance", "record attendance",
	SQL_PARTICIPANT_ATTENDED, "recording counselling attendance", 'u', "it",
};

static int roster_write(youth_registry *reg, const roster_change *c, int64_t session_id,
                        int64_t person_id, int attended, const char *note)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL registry", c->fn);
	int rc;
	if ((rc = youth__ref_rule("session_id", session_id)) ||
	    (rc = youth__ref_rule("person_id", person_id)) ||
	    (*c->binds && ((rc = attended_rule(attended)) ||
	                   (rc = youth__text_rule("note", note, NOTE_MAX, false)))))
		return rc;
	youth__write w;
	if ((rc = youth__write_begin_one(&w, reg, c->op)))
		return rc;
	int64_t row = 0;
	rc = open_roster_row(reg, session_id, person_id, c->act, &row);
	rc = youth__write_stmt(&w, rc, c->sql, c->what, "counselling_participant", row, c->action,
	                       c->binds, attended, note);
	return youth__write_end(&w, rc);
}

int youth_counselling_remove_participant(youth_registry *reg, int64_t session_id,
                                         int64_t person_id)
{
	return roster_write(reg, &roster_remove, session_id, person_id, 0, NULL);
}

int youth_counselling_set_attended(youth_registry *reg, int64_t session_id, int64_t person_id,
                                   int attended, const char *note)
{
	return roster_write(reg, &roster_attend, session_id, person_id, attended, note);
}

int youth_counselling_participant_get(youth_counselling_participant **out, youth_registry *reg,
                                      int64_t id)
{
	return youth__rec_get(out, reg, &youth__kind_counselling_participant, SQL_PARTICIPANT_BY_ID,
	                      id, "youth_counselling_participant_get");
}

YOUTH__RECORD_LIST2(youth_counselling_participant, youth__kind_counselling_participant,
                    "listing counselling participants",
                    "SELECT " PARTICIPANT_COLS " FROM counselling_participant"
                    " WHERE (?1 = 0 OR session_id = ?1) AND (?2 = 0 OR person_id = ?2) ORDER BY id",
                    session_id, person_id)

/* ======================================================================================== */
/* ---- indicator -------------------------------------------------------------------------- */

static const char SQL_COUNT_PERSONS[] =
	"SELECT count(DISTINCT r.person_id) FROM counselling_participant r "
	"JOIN counselling_session s ON s.id = r.session_id "
	"WHERE r.attended = 1 AND s.state = 2 AND (?1 IS NULL OR s.date >= ?1) "
	"AND (?2 IS NULL OR s.date <= ?2)";

int youth_counselling_count_persons(int64_t *out, youth_registry *reg, const char *from,
                                    const char *to)
{
	if (out)
		*out = 0;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_counselling_count_persons: NULL argument");
	int rc = YOUTH_OK;
	if ((from && (rc = youth_date_check(from, "from"))) ||
	    (to && (rc = youth_date_check(to, "to"))))
		return rc;
	if (from && to && strcmp(from, to) > 0)
		return youth__error(YOUTH_EINVAL, "to", "to \"%s\": before from \"%s\"", to, from);
	sqlite3_stmt *st;
	if ((rc = youth__stmt(reg, SQL_COUNT_PERSONS, &st)))
		return rc;
	youth__bind_text(st, 1, from);
	youth__bind_text(st, 2, to);
	bool found;
	return youth__row_ints(out, 1, &found, reg, st, "counting counselled persons");
}

/* ---- interchange (interchange.c) --------------------------------------------------------- */

/*
 * A closed session's roster is frozen, and sections are read in file order (sessions, then
 * participants), so a session is imported open and closed by its participants: the roster row
 * that completes the roster of a closed session carries `closes_session: <closed_date>`, and
 * its import closes the session once the row is in.  Nothing has to be remembered between
 * records, so the import stays streaming.  A partial export (place or date filter) that cuts
 * the roster of a closed session carries no marker: the session arrives open rather than
 * closed with a roster that is not the real one.
 */

static const char SQL_EXPORT_SESSIONS[] =
	"SELECT s.id, s.uuid, (SELECT uuid FROM operator WHERE id = s.operator_id), NULL, s.date, "
	"s.kind, s.mode, s.duration_minutes, s.topic, s.outcome, pl.path, s.state, s.closed_date, "
	"(SELECT count(*) FROM counselling_participant r WHERE r.session_id = s.id)" SESSION_FROM
	" WHERE (?2 IS NULL OR s.date >= ?2) AND (?3 IS NULL OR s.date <= ?3)"
	" AND (?1 IS NULL OR EXISTS (SELECT 1 FROM counselling_participant r"
	"  JOIN person rp ON rp.id = r.person_id JOIN place rpl ON rpl.id = rp.place_id"
	"  WHERE r.session_id = s.id AND " YOUTH__EXPORT_PERSON_IN("rp", "rpl") "))"
	" ORDER BY s.id";

/* The override recorded for a roster row: who (operator uuid) and why.  One service row gets
 * one override row per rule set aside, all with the same operator and reason. */
#define OVERRIDE_OF(service, id)                                                             \
	"(SELECT o.uuid FROM eligibility_override e JOIN operator o ON o.id = e.operator_id"       \
	" WHERE e.service = '" service "' AND e.service_id = " id " ORDER BY e.id LIMIT 1), "      \
	"(SELECT e.reason FROM eligibility_override e WHERE e.service = '" service "'"            \
	" AND e.service_id = " id " ORDER BY e.id LIMIT 1)"

static const char SQL_EXPORT_PARTICIPANTS[] =
	"SELECT r.id, r.uuid, s.uuid, rp.uuid, r.attended, r.note, "
	OVERRIDE_OF(SERVICE_PARTICIPANT, "r.id") ", "
	"CASE WHEN s.state = 2"
	" AND r.id = (SELECT max(q.id) FROM counselling_participant q WHERE q.session_id = s.id)"
	" AND NOT EXISTS (SELECT 1 FROM counselling_participant q JOIN person qp ON qp.id = q.person_id"
	"  JOIN place qpl ON qpl.id = qp.place_id WHERE q.session_id = s.id"
	"  AND NOT (" YOUTH__EXPORT_PERSON_IN("qp", "qpl") "))"
	" THEN s.closed_date END"
	" FROM counselling_participant r JOIN counselling_session s ON s.id = r.session_id"
	" JOIN person rp ON rp.id = r.person_id JOIN place rpl ON rpl.id = rp.place_id"
	" WHERE (?2 IS NULL OR s.date >= ?2) AND (?3 IS NULL OR s.date <= ?3)"
	" AND " YOUTH__EXPORT_PERSON_IN("rp", "rpl") " ORDER BY r.id";

static const char *const participant_extra[] = {"override_by", "override_reason",
                                                "closes_session", NULL};

static const youth__ref session_refs[] = {
	{"operator_id", "operator", "SELECT id FROM operator WHERE uuid = ?1", NULL, NULL},
};
static const youth__ref participant_refs[] = {
	{"session_id", "session", "SELECT id FROM counselling_session WHERE uuid = ?1", NULL, NULL},
	{"person_id", "person", "SELECT id FROM person WHERE uuid = ?1",
	 "SELECT id FROM person WHERE national_id = ?1", "national ID"},
};

static const char SQL_SESSION_BY_UUID[] = "SELECT id FROM counselling_session WHERE uuid = ?1";
static const char SQL_PARTICIPANT_BY_UUID[] =
	"SELECT id, session_id, person_id, attended, coalesce(note, '') "
	"FROM counselling_participant WHERE uuid = ?1";

static int import_session(youth__imp *imp, void *rec, int *done)
{
	youth_counselling_session *s = rec;
	youth_registry *reg = youth__imp_registry(imp);
	const char *state_text = youth__imp_value(imp, "state");
	const char *closed = youth__imp_value(imp, "closed_date");
	const char *count = youth__imp_value(imp, "participants");
	int state = YOUTH_COUNSELLING_OPEN;
	long long n = 0;
	int rc = YOUTH_OK;
	if (state_text) {
		state = 0;
		for (int i = 1; youth__voc_counselling_state[i]; i++)
			if (strcmp(youth__voc_counselling_state[i], state_text) == 0)
				state = i;
		if (state == 0)
			return youth__error(YOUTH_EINVAL, "state", "state \"%.40s\": not a counselling "
			                    "session state (open, closed)", state_text);
	}
	if (closed && (rc = youth_date_check(closed, "closed_date")))
		return rc;
	if (count && youth__parse_int(count, 0, YOUTH_COUNSELLING_GROUP_MAX, &n))
		return youth__error(YOUTH_EINVAL, "participants", "participants \"%.20s\": not a roster "
		                    "size (0-%d)", count, YOUTH_COUNSELLING_GROUP_MAX);
	if (state == YOUTH_COUNSELLING_OPEN && closed)
		return youth__error(YOUTH_ESTATE, "closed_date", "closed_date \"%s\": the session is "
		                    "open (only a closed session has a closing date)", closed);
	if (state == YOUTH_COUNSELLING_CLOSED) {
		if (!closed)
			return youth__error(YOUTH_ESTATE, "closed_date", "closed_date: missing (required "
			                    "for a closed session)");
		if (s->date && strcmp(closed, s->date) < 0)
			return youth__error(YOUTH_EINVAL, "closed_date", "closed_date \"%s\": before the "
			                    "session's date %s", closed, s->date);
		bool ok = s->mode == YOUTH_COUNSELLING_INDIVIDUAL ? n == 1
		                                                  : n >= YOUTH_COUNSELLING_GROUP_MIN;
		if (!ok)
			return youth__error(YOUTH_ESTATE, "participants",
			                    "participants %lld: a closed %s session has %s", n,
			                    s->mode == YOUTH_COUNSELLING_INDIVIDUAL ? "individual" : "group",
			                    s->mode == YOUTH_COUNSELLING_INDIVIDUAL ? "exactly 1 participant"
			                                                            : "2-60 participants");
	}
	*done = YOUTH__IMP_ADDED;
	int64_t id = 0;
	if ((youth__imp_flags(imp) & YOUTH_IMPORT_UPSERT) && s->uuid[0] &&
	    (rc = youth__id_by_uuid(reg, SQL_SESSION_BY_UUID, s->uuid, &id)))
		return rc;
	if (id == 0)
		return youth_counselling_session_add(reg, s); /* closed by its last participant */

	/* Compare with what is stored, the place in its canonical form. */
	youth_counselling_session *old = NULL;
	youth__buf path = {0};
	int64_t place_id;
	rc = youth_counselling_session_get(&old, reg, id);
	if (rc == YOUTH_OK && youth__nz(s->place)) {
		if (youth__place_resolve(reg, s->place, "place", &place_id) == YOUTH_OK &&
		    youth__place_path(reg, place_id, &path) == YOUTH_OK)
			s->place = path.data;
		else
			youth_error_clear(); /* the update below names the bad place */
	}
	if (rc == YOUTH_OK) {
		s->id = id;
		youth__uuid_norm(s->uuid);
		s->exchange_id = old->exchange_id;
		/* The state of an open session is reached through its roster rows: compare the rest. */
		bool closing = old->state == YOUTH_COUNSELLING_OPEN;
		s->state = closing ? old->state : state;
		s->closed_date = closing ? old->closed_date : closed;
		s->participants = closing ? old->participants : (int)n;
		if (youth__rec_same(&youth__kind_counselling_session, old, s))
			*done = YOUTH__IMP_UNCHANGED;
		else if (!closing)
			rc = youth__error(YOUTH_EEXISTS, "uuid", "uuid %s: counselling session %lld is "
			                  "closed since %s and differs from the file (a closed session "
			                  "does not change)", s->uuid, (long long)id, old->closed_date);
		else if (s->operator_id != old->operator_id)
			rc = youth__error(YOUTH_EEXISTS, "operator_id", "uuid %s: counselling session %lld "
			                  "has another counsellor (a session's counsellor does not change)",
			                  s->uuid, (long long)id);
		else if ((rc = youth_counselling_session_update(reg, s)) == YOUTH_OK)
			*done = YOUTH__IMP_UPDATED;
	}
	youth_counselling_session_free(old);
	youth__buf_free(&path);
	return rc;
}

/* `closes_session`: the row that completes the roster of a closed session closes it. */
static int close_after(youth_registry *reg, int64_t session_id, const char *date)
{
	current cur;
	int rc = load_current(reg, session_id, "session_id", &cur);
	if (rc == YOUTH_OK && cur.state == YOUTH_COUNSELLING_CLOSED) {
		if (strcmp(cur.closed_date, date) != 0)
			rc = youth__error(YOUTH_ESTATE, "closes_session", "closes_session \"%s\": "
			                  "counselling session %lld is already closed since %s", date,
			                  (long long)session_id, cur.closed_date);
		return rc; /* an upsert of a session closed before */
	}
	if (rc == YOUTH_OK)
		rc = youth_counselling_session_close(reg, session_id, date);
	if (rc) {
		/* Blame the marker, whatever the closing refused. */
		char msg[600];
		snprintf(msg, sizeof msg, "%s", youth_error_last()->message);
		rc = youth__error(rc, "closes_session", "closes_session \"%s\": %s", date, msg);
	}
	return rc;
}

static int import_participant(youth__imp *imp, void *rec, int *done)
{
	youth_counselling_participant *p = rec;
	youth_registry *reg = youth__imp_registry(imp);
	const char *closes = youth__imp_value(imp, "closes_session");
	if (!youth__imp_value(imp, "attended"))
		p->attended = 1; /* as youth_counselling_participant_init() */
	youth_override ovr = {0};
	const youth_override *o;
	int rc = youth__imp_override(imp, &ovr, &o);
	if (rc == YOUTH_OK && closes)
		rc = youth_date_check(closes, "closes_session");
	if (rc)
		return rc;
	*done = YOUTH__IMP_ADDED;
	sqlite3_stmt *st = NULL;
	bool found = false;
	if ((youth__imp_flags(imp) & YOUTH_IMPORT_UPSERT) && p->uuid[0]) {
		char norm[YOUTH_UUID_LEN + 1];
		memcpy(norm, p->uuid, sizeof norm);
		youth__uuid_norm(norm);
		if ((rc = youth__stmt(reg, SQL_PARTICIPANT_BY_UUID, &st)))
			return rc;
		sqlite3_bind_text(st, 1, norm, -1, SQLITE_TRANSIENT);
		if ((rc = youth__step_row(reg, st, &found, "finding a counselling participant")))
			return rc;
	}
	if (!found) {
		rc = add_participant_memo(imp, p, o);
	} else {
		youth__imp_memo_drop(imp); /* a row already counted in */
		int64_t id = sqlite3_column_int64(st, 0);
		int64_t session = sqlite3_column_int64(st, 1), person = sqlite3_column_int64(st, 2);
		int attended = sqlite3_column_int(st, 3);
		bool same_note = strcmp((const char *)sqlite3_column_text(st, 4),
		                        p->note ? p->note : "") == 0;
		sqlite3_reset(st);
		if (session != p->session_id || person != p->person_id)
			rc = youth__error(YOUTH_EEXISTS, "uuid", "uuid %s: roster row %lld is of another "
			                  "session or person (a roster row does not move)", p->uuid,
			                  (long long)id);
		else if (attended == p->attended && same_note)
			*done = YOUTH__IMP_UNCHANGED;
		else if ((rc = youth_counselling_set_attended(reg, session, person, p->attended,
		                                              youth__nz(p->note))) == YOUTH_OK)
			*done = YOUTH__IMP_UPDATED;
	}
	if (rc == YOUTH_OK && closes) {
		youth__imp_memo_drop(imp); /* a closed session takes no more rows */
		rc = close_after(reg, p->session_id, closes);
	}
	return rc;
}

YOUTH__SECTION(counselling_sessions, "counselling session", YOUTH_KIND_COUNSELLING,
               youth__kind_counselling_session,
               YOUTH__SECTION_REFS(session_refs), .export_sql = SQL_EXPORT_SESSIONS,
               .import = import_session);

/* The index by person and the UUID index (schema 14 named it), built once after the section's
 * last record when the section adds many: as the enrollments' (course.c). */
static const char *const counselling_participant_bulk_indexes[] = {
	"counselling_participant_person", "counselling_participant_uuid", NULL};

YOUTH__SECTION(counselling_participants, "counselling participant", YOUTH_KIND_COUNSELLING,
               youth__kind_counselling_participant,
               .extra_keys = participant_extra, YOUTH__SECTION_REFS(participant_refs),
               .export_sql = SQL_EXPORT_PARTICIPANTS, .import = import_participant,
               .bulk_indexes = counselling_participant_bulk_indexes);
