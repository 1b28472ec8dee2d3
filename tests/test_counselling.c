/* Tests of youth/counselling.h: counselling sessions, their rosters and the open -> closed
 * state machine, the roster size rules, eligibility and overrides, the "youths counselled"
 * indicator, field access by name, and that every refused call leaves the registry
 * unchanged. */
#define _GNU_SOURCE
#include "helpers.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define EXCHANGE_PLACE "sonsonate/sonsonate-centro/sonsonate"
#define DAY "2009-06-10"
#define DAY_AFTER "2009-06-11"

/* ---- fixture ------------------------------------------------------------------------------ */

typedef struct fx {
	TH_FX_HEAD; /* first, for th_fx_setup() and th_fx_teardown() */
	int64_t exchange_id;
	int64_t other_exchange_id;
	int64_t counsellor_id;   /* active counsellor at exchange SON-01 */
	int64_t coordinator_id;  /* active coordinator at exchange ACA-01 */
	int64_t intake_id;       /* active, but role intake */
	int64_t inactive_id;     /* counsellor no longer active */
} fx;

/* Every operator here is a Ramírez (th_add_staffed_exchange() has a Luis Castro): the records
 * this suite checks stay as they were. */
static int64_t add_operator(fx *f, int64_t exchange, const char *name, int role, int active)
{
	return th_add_operator(f->reg, exchange, name, "Ramírez", role, active);
}

static void populate(th_fx *head)
{
	fx *f = (fx *)head;
	f->exchange_id =
	        th_add_exchange(f->reg, "SON-01", "Bolsa de empleo de Sonsonate", EXCHANGE_PLACE);
	f->other_exchange_id =
	        th_add_exchange(f->reg, "ACA-01", "Bolsa de empleo de Acajutla", "Acajutla");

	f->counsellor_id = add_operator(f, f->exchange_id, "Marta", YOUTH_ROLE_COUNSELLOR, 1);
	f->coordinator_id = add_operator(f, f->other_exchange_id, "Ana", YOUTH_ROLE_COORDINATOR, 1);
	f->intake_id = add_operator(f, f->exchange_id, "Pedro", YOUTH_ROLE_INTAKE, 1);
	f->inactive_id = add_operator(f, f->exchange_id, "Luis", YOUTH_ROLE_COUNSELLOR, 0);
}

/* ---- helpers ------------------------------------------------------------------------------ */

static void valid_session(fx *f, youth_counselling_session *s, int mode)
{
	youth_counselling_session_init(s);
	s->operator_id = f->counsellor_id;
	s->date = DAY;
	s->kind = YOUTH_COUNSELLING_LIFE_SKILLS;
	s->mode = mode;
	s->duration_minutes = 90;
	s->topic = "Comunicación asertiva";
}

static int64_t add_session(fx *f, int mode, const char *date)
{
	youth_counselling_session s;
	valid_session(f, &s, mode);
	s.date = date;
	assert_ok(youth_counselling_session_add(f->reg, &s));
	assert_true(s.id > 0);
	return s.id;
}

static void valid_participant(youth_counselling_participant *p, int64_t session, int64_t person)
{
	youth_counselling_participant_init(p);
	p->session_id = session;
	p->person_id = person;
}

/* Adds @person to @session's roster; returns the roster row id. */
static int64_t enrol(fx *f, int64_t session, int64_t person, int attended)
{
	youth_counselling_participant p;
	valid_participant(&p, session, person);
	p.attended = attended;
	assert_ok(youth_counselling_add_participant(f->reg, &p, NULL));
	assert_true(p.id > 0);
	return p.id;
}

TH_GET_FN(get_session, youth_counselling_session, fx)

static int session_state(fx *f, int64_t id)
{
	youth_counselling_session *s = get_session(f, id);
	int st = s->state;
	youth_counselling_session_free(s);
	return st;
}

TH_COUNT_FN(count_sessions, youth_counselling_session, (youth_registry *reg, int64_t person),
            (reg, person))
TH_COUNT_FN(count_participants, youth_counselling_participant,
            (youth_registry *reg, int64_t session, int64_t person), (reg, session, person))

static int64_t counted(fx *f, const char *from, const char *to)
{
	int64_t n = -1;
	assert_ok(youth_counselling_count_persons(&n, f->reg, from, to));
	return n;
}

/* Everything a refused call must leave as it was, besides persons and changes. */
static void tally(th_fx *head, th_values *out)
{
	fx *f = (fx *)head;
	th_values_num(out, "sessions", count_sessions(f->reg, 0));
	th_values_num(out, "participants", count_participants(f->reg, 0, 0));
	th_values_num(out, "counselled", counted(f, NULL, NULL));
}

/* A session's changeable members, to prove a refused change touched nothing. */
typedef th_values snap;

static snap take_snap(fx *f, int64_t id)
{
	youth_counselling_session *s = get_session(f, id);
	snap n;
	th_values_clear(&n);
	th_values_num(&n, "state", s->state);
	th_values_num(&n, "kind", s->kind);
	th_values_num(&n, "mode", s->mode);
	th_values_num(&n, "duration", s->duration_minutes);
	th_values_num(&n, "participants", s->participants);
	th_values_text(&n, "date", s->date);
	th_values_text(&n, "closed_date", s->closed_date);
	th_values_text(&n, "topic", s->topic);
	th_values_text(&n, "outcome", s->outcome);
	youth_counselling_session_free(s);
	return n;
}

static void assert_snap_same(fx *f, int64_t id, const snap *s)
{
	snap now = take_snap(f, id);
	th_values_check_same(s, &now, "a refused change touched the session", __FILE__, __LINE__);
}

/* ======================================================================================== */
/* ---- sessions --------------------------------------------------------------------------- */

static void test_session_add_get(void **state)
{
	fx *f = *state;
	youth_counselling_session s;
	valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
	s.outcome = "Cada participante preparó su plan de vida";
	s.place = "Sonzacate";
	int64_t changes = youth_registry_total_changes(f->reg);
	assert_ok(youth_counselling_session_add(f->reg, &s));
	assert_true(s.id > 0);
	assert_uuid(s.uuid);
	assert_int_equal(s.exchange_id, f->exchange_id);
	assert_int_equal(s.state, YOUTH_COUNSELLING_OPEN);
	assert_null(s.closed_date);
	assert_int_equal(s.participants, 0);
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 1);

	youth_counselling_session *got = get_session(f, s.id);
	assert_int_equal(got->id, s.id);
	assert_string_equal(got->uuid, s.uuid);
	assert_int_equal(got->operator_id, f->counsellor_id);
	assert_int_equal(got->exchange_id, f->exchange_id);
	assert_string_equal(got->date, DAY);
	assert_int_equal(got->kind, YOUTH_COUNSELLING_LIFE_SKILLS);
	assert_int_equal(got->mode, YOUTH_COUNSELLING_GROUP);
	assert_int_equal(got->duration_minutes, 90);
	assert_string_equal(got->topic, "Comunicación asertiva");
	assert_string_equal(got->outcome, "Cada participante preparó su plan de vida");
	assert_non_null(got->place);
	assert_true(th_contains(got->place, "sonzacate"));
	assert_int_equal(got->state, YOUTH_COUNSELLING_OPEN);
	assert_null(got->closed_date);
	assert_int_equal(got->participants, 0);
	youth_counselling_session_free(got);

	/* optional fields left out; a coordinator may counsel; exchange comes from the operator;
	 * read-only members given on input are ignored */
	valid_session(f, &s, YOUTH_COUNSELLING_INDIVIDUAL);
	s.operator_id = f->coordinator_id;
	s.topic = NULL;
	s.kind = YOUTH_COUNSELLING_REFERRAL;
	s.exchange_id = f->exchange_id;
	s.state = YOUTH_COUNSELLING_CLOSED;
	s.closed_date = DAY;
	s.participants = 7;
	assert_ok(youth_counselling_session_add(f->reg, &s));
	assert_int_equal(s.exchange_id, f->other_exchange_id);
	got = get_session(f, s.id);
	assert_int_equal(got->exchange_id, f->other_exchange_id);
	assert_null(got->topic);
	assert_null(got->outcome);
	assert_null(got->place);
	assert_int_equal(got->state, YOUTH_COUNSELLING_OPEN);
	assert_null(got->closed_date);
	assert_int_equal(got->participants, 0);
	assert_int_equal(got->kind, YOUTH_COUNSELLING_REFERRAL);
	youth_counselling_session_free(got);

	/* the session keeps the exchange the counsellor worked at when it was recorded */
	youth_operator *op = NULL;
	assert_ok(youth_operator_get(&op, f->reg, f->coordinator_id));
	op->exchange_id = f->exchange_id;
	assert_ok(youth_operator_update(f->reg, op));
	youth_operator_free(op);
	got = get_session(f, s.id);
	assert_int_equal(got->exchange_id, f->other_exchange_id);
	youth_counselling_session_free(got);

	/* boundaries that are valid: 1 and 600 minutes, today, 120-byte topic, 500-byte outcome */
	char today[11];
	th_today_utc(today, 0);
	char *topic = th_repeat('t', 120), *outcome = th_repeat('o', 500);
	valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
	s.duration_minutes = 1;
	s.date = today;
	s.topic = topic;
	s.outcome = outcome;
	s.kind = YOUTH_COUNSELLING_CAREER_GUIDANCE;
	assert_ok(youth_counselling_session_add(f->reg, &s));
	valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
	s.duration_minutes = 600;
	s.kind = YOUTH_COUNSELLING_JOB_SEARCH;
	assert_ok(youth_counselling_session_add(f->reg, &s));
	free(topic);
	free(outcome);

	/* a given uuid is kept (and lowered); taking it again is EEXISTS */
	valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
	memcpy(s.uuid, "0190A4C2-1F00-7000-8000-0000000000AB", YOUTH_UUID_LEN + 1);
	assert_ok(youth_counselling_session_add(f->reg, &s));
	assert_string_equal(s.uuid, "0190a4c2-1f00-7000-8000-0000000000ab");
	got = get_session(f, s.id);
	assert_string_equal(got->uuid, "0190a4c2-1f00-7000-8000-0000000000ab");
	youth_counselling_session_free(got);
	valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
	memcpy(s.uuid, "0190a4c2-1f00-7000-8000-0000000000ab", YOUTH_UUID_LEN + 1);
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EEXISTS, "uuid");
	assert_int_equal(s.id, 0);
	assert_int_equal(count_sessions(f->reg, 0), 5);
}

static void test_session_add_invalid(void **state)
{
	fx *f = *state;
	youth_counselling_session s;
	char future[11];
	th_today_utc(future, 2);
	char *topic121 = th_repeat('t', 121), *outcome501 = th_repeat('o', 501);

	valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
	s.operator_id = 0;
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL, "operator_id");
	s.operator_id = -3;
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL, "operator_id");
	s.operator_id = 9999;
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_ENOTFOUND, "operator_id");
	assert_msg_has("9999");
	s.operator_id = f->inactive_id;
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_ERULE, "operator_id");
	assert_msg_has("inactive");
	s.operator_id = f->intake_id;
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_ERULE, "operator_id");
	assert_msg_has("role intake");
	assert_msg_has("counsellor, coordinator");

	static const char *bad_dates[] = {"2009-02-29", "2009-13-01", "2009-6-10", "10-06-2009",
	                                  "",           "yesterday",  "2009-06-10x"};
	for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
		valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
		s.date = bad_dates[i];
		EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL, "date");
	}
	valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
	s.date = NULL;
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL, "date");
	s.date = future;
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL, "date");
	assert_msg_has("future");

	static const int bad_kinds[] = {0, -1, 5, 100};
	for (size_t i = 0; i < 4; i++) {
		valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
		s.kind = bad_kinds[i];
		EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL, "kind");
		assert_msg_has(bad_kinds[i] ? ": not a session kind (career_guidance, life_skills, "
		                              "job_search, referral)"
		                            : "kind: missing (career_guidance, life_skills, job_search, "
		                              "referral)");
	}
	static const int bad_modes[] = {0, -1, 3};
	for (size_t i = 0; i < 3; i++) {
		valid_session(f, &s, bad_modes[i]);
		EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL, "mode");
		assert_msg_has(bad_modes[i] ? ": not a session mode (individual, group)"
		                            : "mode: missing (individual, group)");
	}
	static const int bad_durations[] = {0, -1, 601, 100000};
	for (size_t i = 0; i < 4; i++) {
		valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
		s.duration_minutes = bad_durations[i];
		EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL,
		            "duration_minutes");
		assert_msg_has("1-600");
	}
	valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
	s.topic = topic121;
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL, "topic");
	assert_msg_has("120");
	s.topic = "caf\xc3"; /* truncated UTF-8 */
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL, "topic");
	s.topic = "  ";
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL, "topic");
	s.topic = "line\nbreak";
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL, "topic");
	valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
	s.outcome = outcome501;
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL, "outcome");
	valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
	s.place = "Atlantis";
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_ENOTFOUND, "place");
	valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
	memcpy(s.uuid, "not-a-uuid", 11);
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, &s), YOUTH_EINVAL, "uuid");
	assert_int_equal(s.id, 0);

	EXPECT_FAIL(f, youth_counselling_session_add(NULL, &s), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_counselling_session_add(f->reg, NULL), YOUTH_EINVAL, NULL);
	assert_int_equal(count_sessions(f->reg, 0), 0);
	free(topic121);
	free(outcome501);
}

static void test_session_update(void **state)
{
	fx *f = *state;
	int64_t id = add_session(f, YOUTH_COUNSELLING_GROUP, DAY);
	youth_counselling_session *s = get_session(f, id);
	char uuid[YOUTH_UUID_LEN + 1];
	memcpy(uuid, s->uuid, sizeof uuid);
	int64_t changes = youth_registry_total_changes(f->reg);
	s->date = "2009-06-09";
	s->kind = YOUTH_COUNSELLING_JOB_SEARCH;
	s->duration_minutes = 120;
	s->topic = NULL;
	s->outcome = "Tres CV terminados";
	s->place = "Acajutla";
	assert_ok(youth_counselling_session_update(f->reg, s));
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 1);
	youth_counselling_session *got = get_session(f, id);
	assert_string_equal(got->date, "2009-06-09");
	assert_int_equal(got->kind, YOUTH_COUNSELLING_JOB_SEARCH);
	assert_int_equal(got->duration_minutes, 120);
	assert_null(got->topic);
	assert_string_equal(got->outcome, "Tres CV terminados");
	assert_true(th_contains(got->place, "acajutla"));
	assert_string_equal(got->uuid, uuid);
	assert_int_equal(got->operator_id, f->counsellor_id);
	youth_counselling_session_free(got);

	/* a group with two persons cannot become individual */
	enrol(f, id, th_new_person(f->reg), 1);
	enrol(f, id, th_new_person(f->reg), 1);
	snap before = take_snap(f, id);
	s->mode = YOUTH_COUNSELLING_INDIVIDUAL;
	EXPECT_FAIL(f, youth_counselling_session_update(f->reg, s), YOUTH_ERULE, "mode");
	assert_msg_has("exactly one participant");
	assert_snap_same(f, id, &before);
	s->mode = YOUTH_COUNSELLING_GROUP;
	/* the rules of add apply */
	s->duration_minutes = 0;
	EXPECT_FAIL(f, youth_counselling_session_update(f->reg, s), YOUTH_EINVAL, "duration_minutes");
	s->duration_minutes = 60;
	s->date = "2009-02-30";
	EXPECT_FAIL(f, youth_counselling_session_update(f->reg, s), YOUTH_EINVAL, "date");
	/* with persons on the roster, the date (at which they were found eligible) stays */
	s->date = DAY;
	EXPECT_FAIL(f, youth_counselling_session_update(f->reg, s), YOUTH_ERULE, "date");
	assert_msg_has("checked on 2009-06-09");
	s->date = "2009-06-09";
	s->outcome = "Dos CV terminados";
	assert_ok(youth_counselling_session_update(f->reg, s));
	before = take_snap(f, id);
	s->place = "Atlantis";
	EXPECT_FAIL(f, youth_counselling_session_update(f->reg, s), YOUTH_ENOTFOUND, "place");
	s->place = NULL;
	s->kind = 9;
	EXPECT_FAIL(f, youth_counselling_session_update(f->reg, s), YOUTH_EINVAL, "kind");
	s->kind = YOUTH_COUNSELLING_LIFE_SKILLS;
	s->id = 9999;
	EXPECT_FAIL(f, youth_counselling_session_update(f->reg, s), YOUTH_ENOTFOUND, "id");
	s->id = 0;
	EXPECT_FAIL(f, youth_counselling_session_update(f->reg, s), YOUTH_EINVAL, "id");
	s->id = -2;
	EXPECT_FAIL(f, youth_counselling_session_update(f->reg, s), YOUTH_EINVAL, "id");
	s->id = id;
	EXPECT_FAIL(f, youth_counselling_session_update(NULL, s), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_counselling_session_update(f->reg, NULL), YOUTH_EINVAL, NULL);
	assert_snap_same(f, id, &before);

	/* a closed session no longer changes */
	assert_ok(youth_counselling_session_close(f->reg, id, DAY));
	before = take_snap(f, id);
	EXPECT_FAIL(f, youth_counselling_session_update(f->reg, s), YOUTH_ESTATE, "state");
	assert_msg_has("closed");
	assert_snap_same(f, id, &before);
	youth_counselling_session_free(s);
}

static void test_session_get_errors(void **state)
{
	fx *f = *state;
	youth_counselling_session *s = (youth_counselling_session *)1;
	assert_rc(youth_counselling_session_get(&s, f->reg, 9999), YOUTH_ENOTFOUND);
	assert_null(s);
	assert_msg_has("9999");
	assert_err_field("id");
	assert_rc(youth_counselling_session_get(NULL, f->reg, 1), YOUTH_EINVAL);
	s = (youth_counselling_session *)1;
	assert_rc(youth_counselling_session_get(&s, NULL, 1), YOUTH_EINVAL);
	assert_null(s);
	youth_counselling_participant *p = (youth_counselling_participant *)1;
	assert_rc(youth_counselling_participant_get(&p, f->reg, 9999), YOUTH_ENOTFOUND);
	assert_null(p);
	assert_msg_has("9999");
	assert_rc(youth_counselling_participant_get(NULL, f->reg, 1), YOUTH_EINVAL);
	assert_rc(youth_counselling_participant_get(&p, NULL, 1), YOUTH_EINVAL);
	youth_counselling_session_free(NULL);
	youth_counselling_participant_free(NULL);
	youth_counselling_session_init(NULL);
	youth_counselling_participant_init(NULL);
	youth_counselling_session_iter_free(NULL);
	youth_counselling_participant_iter_free(NULL);
}

/* ======================================================================================== */
/* ---- the state machine ------------------------------------------------------------------ */

/* Creates a group session with a valid roster of two and walks it to @st. */
static int64_t reach(fx *f, int st)
{
	int64_t id = add_session(f, YOUTH_COUNSELLING_GROUP, DAY);
	enrol(f, id, th_new_person(f->reg), 1);
	enrol(f, id, th_new_person(f->reg), 0);
	if (st == YOUTH_COUNSELLING_CLOSED)
		assert_ok(youth_counselling_session_close(f->reg, id, DAY));
	else if (st != YOUTH_COUNSELLING_OPEN)
		fail_msg("reach: state %d", st);
	assert_int_equal(session_state(f, id), st);
	return id;
}

static void test_state_table(void **state)
{
	fx *f = *state;
	/* The documented machine, spelled out independently of the library's table. */
	static const int ok[3][3] = {[YOUTH_COUNSELLING_OPEN] = {[YOUTH_COUNSELLING_CLOSED] = 1}};
	static const char *allowed_text[3] = {NULL, "; allowed from open: closed",
	                                      "; nothing is allowed from closed (a final state)"};
	int valid = 0, refused = 0;
	for (int from = 1; from <= 2; from++) {
		for (int to = 1; to <= 2; to++) {
			int64_t id = reach(f, from);
			snap before = take_snap(f, id);
			th_values cb;
			th_tally(&f->th, &cb);
			youth_error_clear();
			int rc = youth_counselling_session_set_state(f->reg, id, to, DAY_AFTER);
			if (ok[from][to]) {
				if (rc != YOUTH_OK)
					fail_msg("%s -> %s refused: %s", youth_counselling_state_name(from),
					         youth_counselling_state_name(to), youth_error_last()->message);
				youth_counselling_session *s = get_session(f, id);
				assert_int_equal(s->state, to);
				assert_string_equal(s->closed_date, DAY_AFTER);
				youth_counselling_session_free(s);
				valid++;
			} else {
				if (rc != YOUTH_ESTATE)
					fail_msg("%s -> %s: expected ESTATE, got %s: %s",
					         youth_counselling_state_name(from), youth_counselling_state_name(to),
					         youth_error_name(rc), youth_error_last()->message);
				char expect[160];
				snprintf(expect, sizeof expect,
				         "counselling session %lld: cannot go from %s to %s%s", (long long)id,
				         youth_counselling_state_name(from), youth_counselling_state_name(to),
				         allowed_text[from]);
				assert_string_equal(youth_error_last()->message, expect);
				assert_err_field("state");
				assert_snap_same(f, id, &before);
				th_tally_check(&f->th, &cb, __FILE__, __LINE__);
				refused++;
			}
		}
	}
	assert_int_equal(valid, 1);
	assert_int_equal(refused, 3);

	/* the close wrapper is the same transition */
	int64_t id = reach(f, YOUTH_COUNSELLING_OPEN);
	assert_ok(youth_counselling_session_close(f->reg, id, DAY));
	EXPECT_FAIL(f, youth_counselling_session_close(f->reg, id, DAY), YOUTH_ESTATE, "state");
	assert_msg_has("cannot go from closed to closed; nothing is allowed from closed (a final "
	               "state)");
}

static void test_set_state_errors(void **state)
{
	fx *f = *state;
	int64_t id = reach(f, YOUTH_COUNSELLING_OPEN);
	snap s = take_snap(f, id);
	char future[11];
	th_today_utc(future, 2);
	static const char *bad_dates[] = {"2009-02-29", "2009-06-1", "", "tomorrow"};
	for (size_t i = 0; i < 4; i++)
		EXPECT_FAIL(f, youth_counselling_session_close(f->reg, id, bad_dates[i]), YOUTH_EINVAL,
		            "date");
	EXPECT_FAIL(f, youth_counselling_session_close(f->reg, id, NULL), YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_counselling_session_close(f->reg, id, future), YOUTH_EINVAL, "date");
	assert_msg_has("future");
	EXPECT_FAIL(f, youth_counselling_session_close(f->reg, id, "2009-06-09"), YOUTH_EINVAL,
	            "date");
	assert_msg_has(DAY); /* names the session's date */
	EXPECT_FAIL(f, youth_counselling_session_set_state(f->reg, id, 0, DAY), YOUTH_EINVAL,
	            "state");
	EXPECT_FAIL(f, youth_counselling_session_set_state(f->reg, id, 3, DAY), YOUTH_EINVAL,
	            "state");
	EXPECT_FAIL(f, youth_counselling_session_set_state(f->reg, id, -1, DAY), YOUTH_EINVAL,
	            "state");
	EXPECT_FAIL(f, youth_counselling_session_close(f->reg, 9999, DAY), YOUTH_ENOTFOUND, "id");
	EXPECT_FAIL(f, youth_counselling_session_close(f->reg, 0, DAY), YOUTH_EINVAL, "id");
	EXPECT_FAIL(f, youth_counselling_session_close(f->reg, -1, DAY), YOUTH_EINVAL, "id");
	EXPECT_FAIL(f, youth_counselling_session_close(NULL, id, DAY), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_counselling_session_set_state(NULL, id, 2, DAY), YOUTH_EINVAL, NULL);
	assert_snap_same(f, id, &s);
	/* the session's own date is fine, today too */
	char today[11];
	th_today_utc(today, 0);
	assert_ok(youth_counselling_session_close(f->reg, id, today));
	youth_counselling_session *got = get_session(f, id);
	assert_string_equal(got->closed_date, today);
	youth_counselling_session_free(got);
}

/* The roster size rule is enforced when closing: individual exactly 1, group 2-60. */
static void test_close_roster_rule(void **state)
{
	fx *f = *state;
	/* individual: 0 is refused, 1 closes */
	int64_t ind = add_session(f, YOUTH_COUNSELLING_INDIVIDUAL, DAY);
	snap s = take_snap(f, ind);
	EXPECT_FAIL(f, youth_counselling_session_close(f->reg, ind, DAY), YOUTH_ERULE,
	            "participants");
	assert_msg_has("individual session needs exactly 1 participant (roster has 0)");
	assert_snap_same(f, ind, &s);
	enrol(f, ind, th_new_person(f->reg), 1);
	assert_ok(youth_counselling_session_close(f->reg, ind, DAY));

	/* group: 0 and 1 are refused, 2 closes */
	int64_t grp = add_session(f, YOUTH_COUNSELLING_GROUP, DAY);
	EXPECT_FAIL(f, youth_counselling_session_close(f->reg, grp, DAY), YOUTH_ERULE,
	            "participants");
	assert_msg_has("roster has 0");
	enrol(f, grp, th_new_person(f->reg), 1);
	s = take_snap(f, grp);
	EXPECT_FAIL(f, youth_counselling_session_close(f->reg, grp, DAY), YOUTH_ERULE,
	            "participants");
	assert_msg_has("group session needs 2-60 participants (roster has 1)");
	assert_snap_same(f, grp, &s);
	enrol(f, grp, th_new_person(f->reg), 0);
	assert_ok(youth_counselling_session_close(f->reg, grp, DAY));
	assert_int_equal(session_state(f, grp), YOUTH_COUNSELLING_CLOSED);

	/* group of 60 closes; the 61st person is refused on add */
	int64_t big = add_session(f, YOUTH_COUNSELLING_GROUP, DAY);
	for (int i = 0; i < YOUTH_COUNSELLING_GROUP_MAX; i++)
		enrol(f, big, th_new_person(f->reg), 1);
	youth_counselling_participant p;
	valid_participant(&p, big, th_new_person(f->reg));
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_ERULE,
	            "participants");
	assert_msg_has("at most 60");
	assert_int_equal(p.id, 0);
	youth_counselling_session *got = get_session(f, big);
	assert_int_equal(got->participants, 60);
	youth_counselling_session_free(got);
	assert_ok(youth_counselling_session_close(f->reg, big, DAY));
}

/* ======================================================================================== */
/* ---- roster ----------------------------------------------------------------------------- */

static void test_add_participant(void **state)
{
	fx *f = *state;
	int64_t grp = add_session(f, YOUTH_COUNSELLING_GROUP, DAY);
	int64_t a = th_new_person(f->reg), b = th_new_person(f->reg);
	youth_counselling_participant p;
	valid_participant(&p, grp, a);
	assert_int_equal(p.attended, 1); /* init default */
	p.note = "Llegó tarde";
	int64_t changes = youth_registry_total_changes(f->reg);
	assert_ok(youth_counselling_add_participant(f->reg, &p, NULL));
	assert_true(p.id > 0);
	int64_t on_roster = p.id;
	assert_uuid(p.uuid);
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 1);
	youth_counselling_participant *got = NULL;
	assert_ok(youth_counselling_participant_get(&got, f->reg, p.id));
	assert_int_equal(got->id, p.id);
	assert_string_equal(got->uuid, p.uuid);
	assert_int_equal(got->session_id, grp);
	assert_int_equal(got->person_id, a);
	assert_int_equal(got->attended, 1);
	assert_string_equal(got->note, "Llegó tarde");
	youth_counselling_participant_free(got);

	valid_participant(&p, grp, b);
	p.attended = 0;
	assert_ok(youth_counselling_add_participant(f->reg, &p, NULL));
	assert_ok(youth_counselling_participant_get(&got, f->reg, p.id));
	assert_int_equal(got->attended, 0);
	assert_null(got->note);
	youth_counselling_participant_free(got);
	youth_counselling_session *s = get_session(f, grp);
	assert_int_equal(s->participants, 2);
	youth_counselling_session_free(s);

	/* duplicate person in the same session: the table's UNIQUE refuses it, worded with the
	 * roster row the person has */
	valid_participant(&p, grp, a);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_EEXISTS,
	            "person_id");
	char dup[120];
	snprintf(dup, sizeof dup, "person_id %lld: already on the roster of counselling session %lld "
	         "(participant %lld)", (long long)a, (long long)grp, (long long)on_roster);
	assert_msg_has(dup);
	assert_int_equal(p.id, 0);
	/* ... but the same person may join another session */
	int64_t other = add_session(f, YOUTH_COUNSELLING_GROUP, "2009-06-12");
	enrol(f, other, a, 1);

	/* an individual session has exactly one participant */
	int64_t ind = add_session(f, YOUTH_COUNSELLING_INDIVIDUAL, DAY);
	enrol(f, ind, a, 1);
	valid_participant(&p, ind, b);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_ERULE,
	            "participants");
	assert_msg_has("individual session has exactly one participant");
	char who[64];
	snprintf(who, sizeof who, "person %lld is already on the roster", (long long)a);
	assert_msg_has(who);
	/* the same person twice in an individual session is a duplicate, not a second person */
	valid_participant(&p, ind, a);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_EEXISTS,
	            "person_id");

	/* bad input */
	char *note501 = th_repeat('n', 501);
	valid_participant(&p, 0, b);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_EINVAL,
	            "session_id");
	valid_participant(&p, -1, b);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_EINVAL,
	            "session_id");
	valid_participant(&p, 9999, b);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_ENOTFOUND,
	            "session_id");
	assert_msg_has("9999");
	valid_participant(&p, grp, 0);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_EINVAL,
	            "person_id");
	valid_participant(&p, grp, -5);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_EINVAL,
	            "person_id");
	valid_participant(&p, grp, 9999);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_ENOTFOUND,
	            "person_id");
	int64_t c = th_new_person(f->reg);
	static const int bad_attended[] = {2, -1, 100};
	for (size_t i = 0; i < 3; i++) {
		valid_participant(&p, grp, c);
		p.attended = bad_attended[i];
		EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_EINVAL,
		            "attended");
	}
	valid_participant(&p, grp, c);
	p.note = note501;
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_EINVAL, "note");
	p.note = "\x01";
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_EINVAL, "note");
	valid_participant(&p, grp, c);
	memcpy(p.uuid, "zz", 3);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_EINVAL, "uuid");
	valid_participant(&p, grp, c);
	assert_ok(youth_counselling_participant_get(&got, f->reg, 1));
	memcpy(p.uuid, got->uuid, sizeof p.uuid);
	youth_counselling_participant_free(got);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_EEXISTS, "uuid");
	EXPECT_FAIL(f, youth_counselling_add_participant(NULL, &p, NULL), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, NULL, NULL), YOUTH_EINVAL, NULL);
	free(note501);

	/* a closed session refuses new participants */
	assert_ok(youth_counselling_session_close(f->reg, grp, DAY));
	valid_participant(&p, grp, c);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_ESTATE, "state");
	assert_msg_has("closed since " DAY);
	assert_int_equal(count_participants(f->reg, grp, 0), 2);
}

static void test_remove_participant(void **state)
{
	fx *f = *state;
	int64_t grp = add_session(f, YOUTH_COUNSELLING_GROUP, DAY);
	int64_t a = th_new_person(f->reg), b = th_new_person(f->reg), c = th_new_person(f->reg);
	enrol(f, grp, a, 1);
	enrol(f, grp, b, 1);
	int64_t last = enrol(f, grp, c, 1);
	int64_t changes = youth_registry_total_changes(f->reg);
	assert_ok(youth_counselling_remove_participant(f->reg, grp, c));
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 1);
	assert_int_equal(count_participants(f->reg, grp, 0), 2);
	assert_int_equal(count_participants(f->reg, 0, c), 0);
	youth_counselling_participant *got = NULL;
	assert_rc(youth_counselling_participant_get(&got, f->reg, last), YOUTH_ENOTFOUND);
	/* a roster id is never handed out again, even after the last row was removed */
	int64_t again = enrol(f, grp, c, 1);
	assert_true(again > last);

	int64_t stranger = th_new_person(f->reg);
	EXPECT_FAIL(f, youth_counselling_remove_participant(f->reg, grp, stranger),
	            YOUTH_ENOTFOUND, "person_id");
	assert_msg_has("not on the roster");
	EXPECT_FAIL(f, youth_counselling_remove_participant(f->reg, 9999, a), YOUTH_ENOTFOUND,
	            "session_id");
	EXPECT_FAIL(f, youth_counselling_remove_participant(f->reg, 0, a), YOUTH_EINVAL,
	            "session_id");
	EXPECT_FAIL(f, youth_counselling_remove_participant(f->reg, grp, 0), YOUTH_EINVAL,
	            "person_id");
	EXPECT_FAIL(f, youth_counselling_remove_participant(f->reg, grp, -1), YOUTH_EINVAL,
	            "person_id");
	EXPECT_FAIL(f, youth_counselling_remove_participant(NULL, grp, a), YOUTH_EINVAL, NULL);

	/* an individual session whose person was removed takes another */
	int64_t ind = add_session(f, YOUTH_COUNSELLING_INDIVIDUAL, DAY);
	enrol(f, ind, a, 1);
	assert_ok(youth_counselling_remove_participant(f->reg, ind, a));
	enrol(f, ind, b, 1);

	/* a closed session's roster is frozen */
	assert_ok(youth_counselling_session_close(f->reg, grp, DAY));
	EXPECT_FAIL(f, youth_counselling_remove_participant(f->reg, grp, a), YOUTH_ESTATE, "state");
	assert_msg_has("cannot remove a participant");
	assert_int_equal(count_participants(f->reg, grp, 0), 3);
}

static void test_set_attended(void **state)
{
	fx *f = *state;
	int64_t grp = add_session(f, YOUTH_COUNSELLING_GROUP, DAY);
	int64_t a = th_new_person(f->reg), b = th_new_person(f->reg);
	int64_t ra = enrol(f, grp, a, 1);
	enrol(f, grp, b, 1);
	int64_t changes = youth_registry_total_changes(f->reg);
	assert_ok(youth_counselling_set_attended(f->reg, grp, a, 0, "Enfermo"));
	assert_int_equal(youth_registry_total_changes(f->reg), changes + 1);
	youth_counselling_participant *got = NULL;
	assert_ok(youth_counselling_participant_get(&got, f->reg, ra));
	assert_int_equal(got->attended, 0);
	assert_string_equal(got->note, "Enfermo");
	youth_counselling_participant_free(got);
	assert_ok(youth_counselling_set_attended(f->reg, grp, a, 1, NULL));
	assert_ok(youth_counselling_participant_get(&got, f->reg, ra));
	assert_int_equal(got->attended, 1);
	assert_null(got->note);
	youth_counselling_participant_free(got);

	EXPECT_FAIL(f, youth_counselling_set_attended(f->reg, grp, a, 2, NULL), YOUTH_EINVAL,
	            "attended");
	EXPECT_FAIL(f, youth_counselling_set_attended(f->reg, grp, a, -1, NULL), YOUTH_EINVAL,
	            "attended");
	EXPECT_FAIL(f, youth_counselling_set_attended(f->reg, grp, a, 1, " "), YOUTH_EINVAL,
	            "note");
	int64_t stranger = th_new_person(f->reg);
	EXPECT_FAIL(f, youth_counselling_set_attended(f->reg, grp, stranger, 1, NULL),
	            YOUTH_ENOTFOUND, "person_id");
	EXPECT_FAIL(f, youth_counselling_set_attended(f->reg, 9999, a, 1, NULL), YOUTH_ENOTFOUND,
	            "session_id");
	EXPECT_FAIL(f, youth_counselling_set_attended(f->reg, 0, a, 1, NULL), YOUTH_EINVAL,
	            "session_id");
	EXPECT_FAIL(f, youth_counselling_set_attended(f->reg, grp, 0, 1, NULL), YOUTH_EINVAL,
	            "person_id");
	EXPECT_FAIL(f, youth_counselling_set_attended(NULL, grp, a, 1, NULL), YOUTH_EINVAL, NULL);

	assert_ok(youth_counselling_session_close(f->reg, grp, DAY));
	EXPECT_FAIL(f, youth_counselling_set_attended(f->reg, grp, a, 0, NULL), YOUTH_ESTATE,
	            "state");
	assert_ok(youth_counselling_participant_get(&got, f->reg, ra));
	assert_int_equal(got->attended, 1);
	youth_counselling_participant_free(got);
}

/* Every roster-changing operation in every state: allowed while open, ESTATE once closed. */
enum { OP_ADD, OP_REMOVE, OP_ATTENDED, OP_UPDATE, N_OPS };
static const char *const op_names[N_OPS] = {"add_participant", "remove_participant",
                                            "set_attended", "session_update"};

static int run_op(fx *f, int op, int64_t session, int64_t on_roster, int64_t newcomer)
{
	youth_counselling_participant p;
	youth_counselling_session *s;
	int rc;
	switch (op) {
	case OP_ADD:
		valid_participant(&p, session, newcomer);
		return youth_counselling_add_participant(f->reg, &p, NULL);
	case OP_REMOVE:
		return youth_counselling_remove_participant(f->reg, session, on_roster);
	case OP_ATTENDED:
		return youth_counselling_set_attended(f->reg, session, on_roster, 0, "ausente");
	case OP_UPDATE:
		s = get_session(f, session);
		s->outcome = "actualizado";
		rc = youth_counselling_session_update(f->reg, s);
		youth_counselling_session_free(s);
		return rc;
	}
	fail_msg("run_op %d", op);
	return YOUTH_ERROR;
}

static void test_roster_ops_by_state(void **state)
{
	fx *f = *state;
	for (int st = YOUTH_COUNSELLING_OPEN; st <= YOUTH_COUNSELLING_CLOSED; st++) {
		for (int op = 0; op < N_OPS; op++) {
			/* three on the roster so that removing one still leaves a closable group */
			int64_t id = add_session(f, YOUTH_COUNSELLING_GROUP, DAY);
			int64_t first = th_new_person(f->reg), newcomer = th_new_person(f->reg);
			enrol(f, id, first, 1);
			enrol(f, id, th_new_person(f->reg), 1);
			enrol(f, id, th_new_person(f->reg), 1);
			if (st == YOUTH_COUNSELLING_CLOSED)
				assert_ok(youth_counselling_session_close(f->reg, id, DAY));
			snap before = take_snap(f, id);
			th_values cb;
			th_tally(&f->th, &cb);
			youth_error_clear();
			int rc = run_op(f, op, id, first, newcomer);
			if (st == YOUTH_COUNSELLING_OPEN) {
				if (rc != YOUTH_OK)
					fail_msg("%s on an open session refused: %s", op_names[op],
					         youth_error_last()->message);
				assert_ok(youth_counselling_session_close(f->reg, id, DAY));
			} else {
				if (rc != YOUTH_ESTATE)
					fail_msg("%s on a closed session: expected ESTATE, got %s: %s",
					         op_names[op], youth_error_name(rc), youth_error_last()->message);
				assert_err_field("state");
				assert_msg_has("closed since " DAY);
				assert_snap_same(f, id, &before);
				th_tally_check(&f->th, &cb, __FILE__, __LINE__);
			}
		}
	}
}

/* ======================================================================================== */
/* ---- iterators -------------------------------------------------------------------------- */

static void test_iterators(void **state)
{
	fx *f = *state;
	int64_t s3 = add_session(f, YOUTH_COUNSELLING_GROUP, "2009-06-15");
	int64_t s1 = add_session(f, YOUTH_COUNSELLING_GROUP, "2009-06-01");
	int64_t s2 = add_session(f, YOUTH_COUNSELLING_INDIVIDUAL, "2009-06-05");
	int64_t a = th_new_person(f->reg), b = th_new_person(f->reg), c = th_new_person(f->reg);
	enrol(f, s1, a, 1);
	enrol(f, s1, b, 1);
	enrol(f, s2, a, 1);
	enrol(f, s3, c, 1);
	enrol(f, s3, a, 0);

	/* sessions in date order */
	const int64_t order[] = {s1, s2, s3};
	youth_counselling_session_iter *it = NULL;
	const youth_counselling_session *s = NULL;
	assert_ok(youth_counselling_session_iter_new(&it, f->reg, 0));
	for (size_t i = 0; i < 3; i++) {
		assert_ok(youth_counselling_session_next(&s, it));
		assert_non_null(s);
		assert_int_equal(s->id, order[i]);
		assert_uuid(s->uuid);
	}
	assert_rc(youth_counselling_session_next(&s, it), YOUTH_ITEROVER);
	assert_null(s);
	assert_rc(youth_counselling_session_next(&s, it), YOUTH_ITEROVER); /* latched */
	assert_rc(youth_counselling_session_next(NULL, it), YOUTH_EINVAL);
	youth_counselling_session_iter_free(it);

	/* sessions of a person */
	assert_int_equal(count_sessions(f->reg, a), 3);
	assert_int_equal(count_sessions(f->reg, b), 1);
	assert_int_equal(count_sessions(f->reg, c), 1);
	assert_int_equal(count_sessions(f->reg, th_new_person(f->reg)), 0);
	assert_ok(youth_counselling_session_iter_new(&it, f->reg, b));
	assert_ok(youth_counselling_session_next(&s, it));
	assert_int_equal(s->id, s1);
	assert_int_equal(s->participants, 2);
	assert_rc(youth_counselling_session_next(&s, it), YOUTH_ITEROVER);
	youth_counselling_session_iter_free(it);

	/* participants of a session, of a person, both, all */
	assert_int_equal(count_participants(f->reg, s1, 0), 2);
	assert_int_equal(count_participants(f->reg, s2, 0), 1);
	assert_int_equal(count_participants(f->reg, 0, a), 3);
	assert_int_equal(count_participants(f->reg, s3, a), 1);
	assert_int_equal(count_participants(f->reg, s2, b), 0);
	assert_int_equal(count_participants(f->reg, 0, 0), 5);
	youth_counselling_participant_iter *pi = NULL;
	const youth_counselling_participant *p = NULL;
	assert_ok(youth_counselling_participant_iter_new(&pi, f->reg, s3, 0));
	assert_ok(youth_counselling_participant_next(&p, pi));
	assert_int_equal(p->person_id, c);
	assert_int_equal(p->attended, 1);
	assert_ok(youth_counselling_participant_next(&p, pi));
	assert_int_equal(p->person_id, a);
	assert_int_equal(p->attended, 0);
	assert_int_equal(p->session_id, s3);
	assert_rc(youth_counselling_participant_next(&p, pi), YOUTH_ITEROVER);
	assert_null(p);
	assert_rc(youth_counselling_participant_next(&p, pi), YOUTH_ITEROVER);
	assert_rc(youth_counselling_participant_next(NULL, pi), YOUTH_EINVAL);
	youth_counselling_participant_iter_free(pi);

	/* bad arguments */
	assert_rc(youth_counselling_session_iter_new(NULL, f->reg, 0), YOUTH_EINVAL);
	assert_rc(youth_counselling_session_iter_new(&it, NULL, 0), YOUTH_EINVAL);
	assert_null(it);
	assert_rc(youth_counselling_session_iter_new(&it, f->reg, -1), YOUTH_EINVAL);
	assert_err_field("person_id");
	assert_null(it);
	assert_rc(youth_counselling_session_next(&s, NULL), YOUTH_EINVAL);
	assert_rc(youth_counselling_participant_iter_new(NULL, f->reg, 0, 0), YOUTH_EINVAL);
	assert_rc(youth_counselling_participant_iter_new(&pi, NULL, 0, 0), YOUTH_EINVAL);
	assert_null(pi);
	assert_rc(youth_counselling_participant_iter_new(&pi, f->reg, -1, 0), YOUTH_EINVAL);
	assert_err_field("session_id");
	assert_rc(youth_counselling_participant_iter_new(&pi, f->reg, 0, -1), YOUTH_EINVAL);
	assert_err_field("person_id");
	assert_rc(youth_counselling_participant_next(&p, NULL), YOUTH_EINVAL);
}

static void test_iter_after_close(void **state)
{
	fx *f = *state;
	int64_t s = add_session(f, YOUTH_COUNSELLING_GROUP, DAY);
	enrol(f, s, th_new_person(f->reg), 1);
	youth_counselling_session_iter *si = NULL;
	youth_counselling_participant_iter *pi = NULL;
	const youth_counselling_session *r;
	assert_ok(youth_counselling_session_iter_new(&si, f->reg, 0));
	assert_ok(youth_counselling_participant_iter_new(&pi, f->reg, 0, 0));
	assert_ok(youth_counselling_session_next(&r, si));
	youth_registry_close(f->reg);
	f->reg = NULL;
	youth_counselling_participant_iter_free(pi);
	youth_counselling_session_iter_free(si);
}

/* ======================================================================================== */
/* ---- indicator -------------------------------------------------------------------------- */

static void test_count_persons(void **state)
{
	fx *f = *state;
	int64_t a = th_new_person(f->reg), b = th_new_person(f->reg);
	int64_t c = th_new_person(f->reg), d = th_new_person(f->reg);
	/* June: a and b attend, c absent: closed */
	int64_t june = add_session(f, YOUTH_COUNSELLING_GROUP, "2009-06-01");
	enrol(f, june, a, 1);
	enrol(f, june, b, 1);
	enrol(f, june, c, 0);
	/* July: a again (counted once), individual: closed */
	int64_t july = add_session(f, YOUTH_COUNSELLING_INDIVIDUAL, "2009-07-01");
	enrol(f, july, a, 1);
	/* August: d attends, but the session stays open: not counted */
	int64_t aug = add_session(f, YOUTH_COUNSELLING_GROUP, "2009-08-01");
	enrol(f, aug, d, 1);
	enrol(f, aug, c, 1);
	assert_int_equal(counted(f, NULL, NULL), 0);
	assert_ok(youth_counselling_session_close(f->reg, june, "2009-06-01"));
	assert_int_equal(counted(f, NULL, NULL), 2);
	assert_ok(youth_counselling_session_close(f->reg, july, "2009-07-02"));
	assert_int_equal(counted(f, NULL, NULL), 2); /* a counted once */
	assert_int_equal(counted(f, "2009-07-01", NULL), 1);
	assert_int_equal(counted(f, NULL, "2009-06-30"), 2);
	assert_int_equal(counted(f, "2009-06-01", "2009-06-01"), 2); /* bounds are inclusive */
	assert_int_equal(counted(f, "2009-06-02", "2009-06-30"), 0);
	assert_int_equal(counted(f, "2009-07-01", "2009-07-01"), 1);
	assert_ok(youth_counselling_session_close(f->reg, aug, "2009-08-01"));
	assert_int_equal(counted(f, NULL, NULL), 4);
	assert_int_equal(counted(f, "2009-08-01", "2009-12-31"), 2);

	int64_t n = 77;
	assert_rc(youth_counselling_count_persons(&n, f->reg, "2009-02-30", NULL), YOUTH_EINVAL);
	assert_err_field("from");
	assert_int_equal(n, 0);
	assert_rc(youth_counselling_count_persons(&n, f->reg, NULL, "2009/12/31"), YOUTH_EINVAL);
	assert_err_field("to");
	assert_rc(youth_counselling_count_persons(&n, f->reg, "", NULL), YOUTH_EINVAL);
	assert_rc(youth_counselling_count_persons(&n, f->reg, "2009-07-01", "2009-06-01"),
	          YOUTH_EINVAL);
	assert_err_field("to");
	assert_rc(youth_counselling_count_persons(NULL, f->reg, NULL, NULL), YOUTH_EINVAL);
	assert_rc(youth_counselling_count_persons(&n, NULL, NULL, NULL), YOUTH_EINVAL);
}

/* ======================================================================================== */
/* ---- fields ----------------------------------------------------------------------------- */

static void test_fields(void **state)
{
	fx *f = *state;
	static const char *names[] = {"id",         "uuid",    "operator_id",      "exchange_id",
	                              "date",       "kind",    "mode",             "duration_minutes",
	                              "topic",      "outcome", "place",            "state",
	                              "closed_date", "participants"};
	for (size_t i = 0; i < 14; i++)
		assert_string_equal(youth_counselling_session_field_name(i), names[i]);
	assert_null(youth_counselling_session_field_name(14));
	assert_null(youth_counselling_session_field_name((size_t)-1));
	static const char *pnames[] = {"id", "uuid", "session_id", "person_id", "attended", "note"};
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(youth_counselling_participant_field_name(i), pnames[i]);
	assert_null(youth_counselling_participant_field_name(6));

	static const char *kinds[] = {NULL, "career_guidance", "life_skills", "job_search",
	                              "referral"};
	for (int k = 0; k <= 4; k++) {
		if (kinds[k])
			assert_string_equal(youth_counselling_kind_name(k), kinds[k]);
		else
			assert_null(youth_counselling_kind_name(k));
	}
	assert_null(youth_counselling_kind_name(5));
	assert_null(youth_counselling_kind_name(-1));
	assert_string_equal(youth_counselling_mode_name(1), "individual");
	assert_string_equal(youth_counselling_mode_name(2), "group");
	assert_null(youth_counselling_mode_name(0));
	assert_null(youth_counselling_mode_name(3));
	assert_string_equal(youth_counselling_state_name(1), "open");
	assert_string_equal(youth_counselling_state_name(2), "closed");
	assert_null(youth_counselling_state_name(0));
	assert_null(youth_counselling_state_name(3));

	/* a session built from text */
	youth_counselling_session s;
	youth_counselling_session_init(&s);
	char num[32];
	snprintf(num, sizeof num, "%lld", (long long)f->counsellor_id);
	assert_ok(youth_counselling_session_set_field(&s, "operator_id", num));
	assert_ok(youth_counselling_session_set_field(&s, "date", DAY));
	assert_ok(youth_counselling_session_set_field(&s, "kind", "job_search"));
	assert_int_equal(s.kind, YOUTH_COUNSELLING_JOB_SEARCH);
	assert_ok(youth_counselling_session_set_field(&s, "mode", "individual"));
	assert_ok(youth_counselling_session_set_field(&s, "duration_minutes", "45"));
	assert_ok(youth_counselling_session_set_field(&s, "topic", "CV"));
	assert_ok(youth_counselling_session_set_field(&s, "place", "Sonzacate"));
	assert_rc(youth_counselling_session_set_field(&s, "kind", "therapy"), YOUTH_EINVAL);
	assert_err_field("kind");
	assert_msg_has("career_guidance");
	assert_rc(youth_counselling_session_set_field(&s, "mode", "pair"), YOUTH_EINVAL);
	assert_rc(youth_counselling_session_set_field(&s, "duration_minutes", "long"), YOUTH_EINVAL);
	assert_err_field("duration_minutes");
	assert_rc(youth_counselling_session_set_field(&s, "operator_id", "-1"), YOUTH_EINVAL);
	assert_rc(youth_counselling_session_set_field(&s, "colour", "red"), YOUTH_EINVAL);
	assert_rc(youth_counselling_session_set_field(NULL, "topic", "x"), YOUTH_EINVAL);
	static const char *ro[][2] = {{"exchange_id", "1"},
	                              {"state", "closed"},
	                              {"closed_date", DAY},
	                              {"participants", "3"}};
	for (size_t i = 0; i < 4; i++) {
		assert_rc(youth_counselling_session_set_field(&s, ro[i][0], ro[i][1]), YOUTH_EINVAL);
		assert_err_field(ro[i][0]);
	}
	assert_int_equal(s.state, 0);
	assert_int_equal(s.exchange_id, 0);
	assert_ok(youth_counselling_session_add(f->reg, &s));

	char buf[64];
	const char *out = NULL;
	youth_counselling_session *got = get_session(f, s.id);
	assert_ok(youth_counselling_session_get_field(&out, got, "kind", buf, sizeof buf));
	assert_string_equal(out, "job_search");
	assert_ok(youth_counselling_session_get_field(&out, got, "mode", buf, sizeof buf));
	assert_string_equal(out, "individual");
	assert_ok(youth_counselling_session_get_field(&out, got, "state", buf, sizeof buf));
	assert_string_equal(out, "open");
	assert_ok(youth_counselling_session_get_field(&out, got, "duration_minutes", buf,
	                                              sizeof buf));
	assert_string_equal(out, "45");
	assert_ok(youth_counselling_session_get_field(&out, got, "exchange_id", buf, sizeof buf));
	snprintf(num, sizeof num, "%lld", (long long)f->exchange_id);
	assert_string_equal(out, num);
	assert_ok(youth_counselling_session_get_field(&out, got, "place", buf, sizeof buf));
	assert_true(th_contains(out, "sonzacate"));
	assert_ok(youth_counselling_session_get_field(&out, got, "closed_date", buf, sizeof buf));
	assert_null(out);
	assert_ok(youth_counselling_session_get_field(&out, got, "outcome", buf, sizeof buf));
	assert_null(out);
	assert_rc(youth_counselling_session_get_field(&out, got, "nope", buf, sizeof buf),
	          YOUTH_EINVAL);
	assert_rc(youth_counselling_session_get_field(&out, got, "kind", buf, 8), YOUTH_EINVAL);
	assert_rc(youth_counselling_session_get_field(&out, NULL, "kind", buf, sizeof buf),
	          YOUTH_EINVAL);
	youth_counselling_session_free(got);

	/* a roster row built from text */
	youth_counselling_participant p;
	youth_counselling_participant_init(&p);
	snprintf(num, sizeof num, "%lld", (long long)s.id);
	assert_ok(youth_counselling_participant_set_field(&p, "session_id", num));
	snprintf(num, sizeof num, "%lld", (long long)th_new_person(f->reg));
	assert_ok(youth_counselling_participant_set_field(&p, "person_id", num));
	assert_ok(youth_counselling_participant_set_field(&p, "attended", "false"));
	assert_int_equal(p.attended, 0);
	assert_ok(youth_counselling_participant_set_field(&p, "note", "Derivado a INJUVE"));
	assert_rc(youth_counselling_participant_set_field(&p, "attended", "maybe"), YOUTH_EINVAL);
	assert_err_field("attended");
	assert_rc(youth_counselling_participant_set_field(&p, "person_id", "abc"), YOUTH_EINVAL);
	assert_rc(youth_counselling_participant_set_field(&p, "grade", "A"), YOUTH_EINVAL);
	assert_ok(youth_counselling_add_participant(f->reg, &p, NULL));
	youth_counselling_participant *gp = NULL;
	assert_ok(youth_counselling_participant_get(&gp, f->reg, p.id));
	assert_ok(youth_counselling_participant_get_field(&out, gp, "attended", buf, sizeof buf));
	assert_string_equal(out, "false");
	assert_ok(youth_counselling_participant_get_field(&out, gp, "note", buf, sizeof buf));
	assert_string_equal(out, "Derivado a INJUVE");
	assert_ok(youth_counselling_participant_get_field(&out, gp, "uuid", buf, sizeof buf));
	assert_string_equal(out, p.uuid);
	assert_rc(youth_counselling_participant_get_field(&out, gp, "nope", buf, sizeof buf),
	          YOUTH_EINVAL);
	youth_counselling_participant_free(gp);
	got = get_session(f, s.id);
	assert_ok(youth_counselling_session_get_field(&out, got, "participants", buf, sizeof buf));
	assert_string_equal(out, "1");
	youth_counselling_session_free(got);
}

/* ======================================================================================== */
/* ---- eligibility and references --------------------------------------------------------- */

/* Programme "counselling" for ages 18-24 at the session date (docs/rules.md). */
static const char RULES_18_24[] = "format: libyouth/1\n"
                                  "programmes:\n"
                                  "  - code: counselling\n"
                                  "    title: Orientación y habilidades para la vida\n"
                                  "    age_min: 18\n"
                                  "    age_max: 24\n";

static void test_eligibility(void **state)
{
	fx *f = *state;
	th_load_rules(f->reg, RULES_18_24, 1);
	int64_t grp = add_session(f, YOUTH_COUNSELLING_GROUP, DAY);
	/* born 1992-05-14: 17 on 2009-06-10, below the minimum */
	int64_t young = th_new_person(f->reg);
	youth_counselling_participant p;
	valid_participant(&p, grp, young);
	int64_t overrides = th_raw_count(f->path, "SELECT count(*) FROM eligibility_override");
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_ERULE, NULL);
	assert_msg_has("counselling");
	assert_msg_has("age 17 on " DAY); /* checked at the session date */
	assert_int_equal(p.id, 0);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM counselling_participant"), 0);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM eligibility_override"), overrides);

	/* an explicit override lets it through and is recorded against the roster row */
	youth_override ovr = {f->counsellor_id, "Referida por la oficina municipal de juventud"};
	assert_ok(youth_counselling_add_participant(f->reg, &p, &ovr));
	assert_true(p.id > 0);
	char sql[240];
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM eligibility_override WHERE service = 'counselling_participant'"
	         " AND service_id = %lld AND person_id = %lld AND operator_id = %lld AND "
	         "programme = 'counselling' AND date = '" DAY "'",
	         (long long)p.id, (long long)young, (long long)f->counsellor_id);
	assert_int_equal(th_raw_count(f->path, sql), 1);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM eligibility_override"),
	                 overrides + 1);

	/* an eligible person needs no override, and none is recorded */
	youth_person adult;
	th_person_valid(&adult);
	adult.birth_date = "1988-01-10"; /* 21 in 2009 */
	assert_ok(youth_person_add(f->reg, &adult, 0));
	valid_participant(&p, grp, adult.id);
	assert_ok(youth_counselling_add_participant(f->reg, &p, NULL));
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM eligibility_override"),
	                 overrides + 1);

	/* a bad override is refused (inactive operator) and writes nothing */
	int64_t other = th_new_person(f->reg);
	youth_override bad = {f->inactive_id, "x"};
	valid_participant(&p, grp, other);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, &bad), YOUTH_ERULE,
	            "operator_id");
	/* a refused add after an override changes nothing either (duplicate) */
	valid_participant(&p, grp, young);
	EXPECT_FAIL(f, youth_counselling_add_participant(f->reg, &p, &ovr), YOUTH_EEXISTS,
	            "person_id");
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM eligibility_override"),
	                 overrides + 1);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM counselling_participant"), 2);
}

/* Persons and operators named by sessions cannot be deleted. */
static void test_references(void **state)
{
	fx *f = *state;
	int64_t grp = add_session(f, YOUTH_COUNSELLING_GROUP, DAY);
	int64_t a = th_new_person(f->reg);
	enrol(f, grp, a, 1);
	EXPECT_FAIL(f, youth_person_delete(f->reg, a), YOUTH_EREFERENCED, NULL);
	assert_ok(youth_counselling_remove_participant(f->reg, grp, a));
	assert_ok(youth_person_delete(f->reg, a));

	/* the operator: refused by the foreign key even through a raw connection */
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL), SQLITE_OK);
	char sql[96];
	snprintf(sql, sizeof sql, "DELETE FROM operator WHERE id = %lld", (long long)f->counsellor_id);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
	/* the CHECK constraints stand behind the C rules */
	rc = sqlite3_exec(db, "UPDATE counselling_session SET duration_minutes = 0", NULL, NULL,
	                  NULL);
	assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
	rc = sqlite3_exec(db, "UPDATE counselling_session SET state = 2", NULL, NULL, NULL);
	assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT); /* closed needs a closed_date */
	sqlite3_close(db);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM operator"), 4);
}

/* ======================================================================================== */
/* ---- transactions and memory ------------------------------------------------------------ */

/* Inside a caller's transaction a refused call undoes only itself. */
static void test_in_transaction(void **state)
{
	fx *f = *state;
	int64_t a = th_new_person(f->reg), b = th_new_person(f->reg);
	assert_ok(youth_registry_begin(f->reg));
	int64_t grp = add_session(f, YOUTH_COUNSELLING_GROUP, DAY);
	enrol(f, grp, a, 1);
	assert_rc(youth_counselling_session_close(f->reg, grp, DAY), YOUTH_ERULE);
	youth_counselling_participant p;
	valid_participant(&p, grp, a);
	assert_rc(youth_counselling_add_participant(f->reg, &p, NULL), YOUTH_EEXISTS);
	enrol(f, grp, b, 1);
	assert_ok(youth_counselling_session_close(f->reg, grp, DAY));
	assert_ok(youth_registry_commit(f->reg));
	assert_int_equal(session_state(f, grp), YOUTH_COUNSELLING_CLOSED);
	assert_int_equal(counted(f, NULL, NULL), 2);

	int64_t other = add_session(f, YOUTH_COUNSELLING_INDIVIDUAL, DAY);
	assert_ok(youth_registry_begin(f->reg));
	enrol(f, other, a, 1);
	assert_ok(youth_counselling_session_close(f->reg, other, DAY));
	assert_ok(youth_registry_rollback(f->reg));
	assert_int_equal(session_state(f, other), YOUTH_COUNSELLING_OPEN);
	assert_int_equal(count_participants(f->reg, other, 0), 0);
}

static void test_out_of_memory(void **state)
{
	fx *f = *state;
	long failures;
	youth_counselling_session s;
	valid_session(f, &s, YOUTH_COUNSELLING_GROUP);
	s.place = "Sonzacate";
	OOM_LOOP(f, youth_counselling_session_add(f->reg, &s), failures);
	assert_true(failures > 0); /* resolving the place allocates */
	int64_t a = th_new_person(f->reg), b = th_new_person(f->reg);
	youth_counselling_participant p;
	valid_participant(&p, s.id, a);
	OOM_LOOP(f, youth_counselling_add_participant(f->reg, &p, NULL), failures);
	valid_participant(&p, s.id, b);
	OOM_LOOP(f, youth_counselling_add_participant(f->reg, &p, NULL), failures);
	int64_t row_b = p.id;
	OOM_LOOP(f, youth_counselling_set_attended(f->reg, s.id, b, 0, "tarde"), failures);
	int64_t c = th_new_person(f->reg);
	valid_participant(&p, s.id, c);
	OOM_LOOP(f, youth_counselling_add_participant(f->reg, &p, NULL), failures);
	OOM_LOOP(f, youth_counselling_remove_participant(f->reg, s.id, c), failures);
	s.outcome = "Plan de vida";
	s.place = "Acajutla";
	OOM_LOOP(f, youth_counselling_session_update(f->reg, &s), failures);
	OOM_LOOP(f, youth_counselling_session_close(f->reg, s.id, DAY), failures);
	assert_int_equal(session_state(f, s.id), YOUTH_COUNSELLING_CLOSED);

	youth_counselling_session *got = NULL;
	OOM_LOOP(f, youth_counselling_session_get(&got, f->reg, s.id), failures);
	assert_true(failures > 0);
	assert_int_equal(got->participants, 2);
	youth_counselling_session_free(got);
	youth_counselling_participant *gp = NULL;
	OOM_LOOP(f, youth_counselling_participant_get(&gp, f->reg, row_b), failures);
	assert_true(failures > 0);
	youth_counselling_participant_free(gp);
	youth_counselling_participant_iter *it = NULL;
	OOM_LOOP(f, youth_counselling_participant_iter_new(&it, f->reg, s.id, 0), failures);
	assert_true(failures > 0);
	const youth_counselling_participant *r = NULL;
	th_alloc_state st;
	th_alloc_install(&st, 1, 1); /* the row buffer cannot grow */
	int rc = youth_counselling_participant_next(&r, it);
	th_alloc_restore();
	assert_rc(rc, YOUTH_ENOMEM);
	assert_null(r);
	youth_counselling_participant_iter_free(it);
	youth_counselling_session_iter *si = NULL;
	OOM_LOOP(f, youth_counselling_session_iter_new(&si, f->reg, a), failures);
	const youth_counselling_session *rs = NULL;
	assert_ok(youth_counselling_session_next(&rs, si));
	assert_string_equal(rs->outcome, "Plan de vida");
	youth_counselling_session_iter_free(si);
	int64_t n = 0;
	OOM_LOOP(f, youth_counselling_count_persons(&n, f->reg, NULL, NULL), failures);
	assert_int_equal(n, 1);
}

int main(void)
{
	static th_suite in_memory = {sizeof(fx), populate, tally, 0};
	static th_suite in_file = {sizeof(fx), populate, tally, 1};
#define T(t) TH_FX_TEST(t, &in_memory)
	const struct CMUnitTest tests[] = {
		T(test_session_add_get),
		T(test_session_add_invalid),
		T(test_session_update),
		T(test_session_get_errors),
		T(test_state_table),
		T(test_set_state_errors),
		T(test_close_roster_rule),
		T(test_add_participant),
		T(test_remove_participant),
		T(test_set_attended),
		T(test_roster_ops_by_state),
		T(test_iterators),
		T(test_iter_after_close),
		T(test_count_persons),
		T(test_fields),
		TH_FX_TEST(test_eligibility, &in_file),
		TH_FX_TEST(test_references, &in_file),
		T(test_in_transaction),
		T(test_out_of_memory),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
