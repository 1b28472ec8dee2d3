/*
 * Seed-capital business plans, groups of applicants, disbursements, follow-up visits, and the
 * business-development services of the female entrepreneurship window.
 *
 * As in course.c: field tables (record.c) drive the text interface and the copy of a row into
 * a one-block record; rules live in the validate steps and the plan state machine below; every
 * change goes through the single write path (youth__write_begin / _row / _end), and database
 * look-ups run inside the write so that what they saw still holds at the insert.  A refused
 * operation therefore leaves the registry exactly as it was.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

/* ---- vocabularies and fields ------------------------------------------------------------- */

#define NAME_MAX_ 120
#define REASON_MAX 500
#define JOBS_MAX 10000
#define HOURS_MAX 200

#define GROUP_COLS "id, uuid, name, fund_window, women_only, operator_id, exchange_id, formed_date"

#define MEMBER_COLS "id, uuid, group_id, person_id, joined_date, operator_id, exchange_id"

#define PLAN_COLS                                                                            \
	"id, uuid, fund_window, person_id, group_id, title, sector, description, requested, "   \
	"coalesce(approved, 0), state, drafted_date, state_date, approved_date, reason, "       \
	"operator_id, exchange_id"

#define DISB_COLS "id, uuid, plan_id, amount, date, reference, operator_id, exchange_id"

#define VISIT_COLS                                                                          \
	"id, uuid, plan_id, date, operating, jobs_created, monthly_sales, notes, operator_id, " \
	"exchange_id"

#define SERVICE_COLS                                                                           \
	"s.id, s.uuid, s.group_id, s.plan_id, s.kind, s.date, s.hours, s.provider, s.notes, "      \
	"s.operator_id, s.exchange_id"

/* Limits. */

YOUTH__VOCAB_FN(youth_window_name, youth__voc_plan_window)
YOUTH__VOCAB_FN(youth_plan_state_name, youth__voc_plan_state)
YOUTH__VOCAB_FN(youth_business_service_kind_name, youth__voc_business_service_kind)

/* ---- shared machinery -------------------------------------------------------------------- */

YOUTH__RECORD_API(youth_group, youth__kind_group)
YOUTH__RECORD_API(youth_group_member, youth__kind_group_member)
YOUTH__RECORD_API(youth_plan, youth__kind_plan)
YOUTH__RECORD_API(youth_plan_disbursement, youth__kind_plan_disbursement)
YOUTH__RECORD_API(youth_plan_visit, youth__kind_plan_visit)
YOUTH__RECORD_API(youth_business_service, youth__kind_business_service)

static int window_rule(int window)
{
	return youth__choice_rule("window", window, youth_window_name(window) != NULL,
	                          "not a window (youth_seed, female_window)",
	                          "missing (youth_seed, female_window)");
}

static int money_positive_rule(const char *name, int64_t cents)
{
	if (cents <= 0) {
		char m[32];
		youth__money_format(cents, m, sizeof m);
		return youth__error(YOUTH_EINVAL, name, "%s %s: must be more than 0.00", name, m);
	}
	return YOUTH_OK;
}

/* Turns a UNIQUE failure into EEXISTS naming the column found in SQLite's message. */
static int unique_error(youth_registry *reg, const char *table, const char *column,
                        const char *value, const char *uuid)
{
	char key[96];
	snprintf(key, sizeof key, "%s.%s", table, column ? column : "");
	if (column && strstr(sqlite3_errmsg(reg->db), key))
		return youth__error(YOUTH_EEXISTS, column, "%s \"%s\": already recorded", column,
		                    value);
	return youth__error(YOUTH_EEXISTS, "uuid", "uuid %s: already used by another record", uuid);
}

/* A UNIQUE failure of a record whose only unique key is its uuid. */
static int uuid_conflict(youth_registry *reg, const void *rec, const void *ctx,
                         const char *uuid)
{
	(void)rec;
	return unique_error(reg, "", NULL, NULL, uuid);
}

/* ======================================================================================== */
/* ---- groups ----------------------------------------------------------------------------- */

static const char SQL_GROUP_BY_ID[] = "SELECT " GROUP_COLS " FROM enterprise_group WHERE id = ?";
static const char SQL_GROUP_INSERT[] =
	"INSERT INTO enterprise_group (uuid, name, fund_window, operator_id, formed_date, "
	"exchange_id, women_only) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_GROUP_BRIEF[] =
	"SELECT name, fund_window, women_only, formed_date FROM enterprise_group WHERE id = ?";

typedef struct group_brief {
	char name[NAME_MAX_ + 1];
	int window;
	int women_only;
	char formed_date[YOUTH_DATE_LEN + 1];
} group_brief;

/* The columns of SQL_GROUP_BRIEF, in order. */
#define GB(m, type) YOUTH__COL(group_brief, m, YOUTH__COL_##type)
static const youth__col group_brief_cols[] = {
	GB(name, TEXT), GB(window, INT), GB(women_only, INT), GB(formed_date, TEXT),
};
#undef GB

static int group_load(youth_registry *reg, int64_t id, const char *field, group_brief *g)
{
	return youth__row_read(g, reg, SQL_GROUP_BRIEF, id, field, "group", group_brief_cols,
	                       YOUTH__N_OF(group_brief_cols));
}

/* What the write of a group knows besides the record. */
typedef struct group_values {
	int64_t exchange; /* the operator's exchange */
	int women_only;   /* as stored: a female_window group is for women only */
} group_values;

static int group_check(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	(void)self;
	return youth__operator_check(reg, ((const youth_group *)rec)->operator_id,
	                             &((group_values *)ctx)->exchange);
}

static youth__binding group_binding =
	YOUTH__BINDING(youth__kind_group, "name,window,operator_id,formed_date");

/* As stored: a female_window group is for women only. */
static void bind_women_only(sqlite3_stmt *st, const void *rec, const void *ctx)
{
	(void)rec;
	sqlite3_bind_int(st, 7, ((const group_values *)ctx)->women_only);
}

/* What the field table cannot say; a group of the female window is women-only. */
static int group_rules(youth_registry *reg, const void *rec, void *ctx)
{
	const youth_group *g = rec;
	(void)reg;
	((group_values *)ctx)->women_only = g->window == YOUTH_WINDOW_FEMALE ? 1 : g->women_only;
	return window_rule(g->window);
}

static const youth__put group_insert = {
	&youth__kind_group, "enterprise_group", "add group", SQL_GROUP_INSERT, "adding a group", 1,
	.check = group_check, .fields = &group_binding, .first = 2,
	.ctx_id_param = 6, .bind = bind_women_only, .conflict = uuid_conflict,
	.one = true, .prepare = group_rules, .fn = "youth_group_add",
};

int youth_group_add(youth_registry *reg, youth_group *g)
{
	group_values v = {0};
	int rc = youth__rec_add(reg, &group_insert, g, &v);
	if (rc == YOUTH_OK)
		g->women_only = v.women_only;
	return rc;
}

YOUTH__RECORD_GET(youth_group, youth__kind_group, SQL_GROUP_BY_ID)

int youth_group_iter_new(youth_group_iter **out, youth_registry *reg, int window)
{
	int rc = youth__iter_args(out, reg, "youth_group_iter_new", NULL, 0);
	if (rc == YOUTH_OK && window != 0)
		rc = window_rule(window);
	if (rc)
		return rc;
	int64_t v = window;
	return youth__rec_iter_new(out, reg, &youth__kind_group, "listing groups",
	                "SELECT " GROUP_COLS " FROM enterprise_group"
	                " WHERE ?1 = 0 OR fund_window = ?1 ORDER BY id",
	                1, &v);
}

/* ---- members ----------------------------------------------------------------------------- */

static const char SQL_MEMBER_BY_ID[] =
	"SELECT " MEMBER_COLS " FROM enterprise_member WHERE id = ?";

/* What the write of a member knows besides the record. */
typedef struct member_values {
	int64_t exchange; /* the operator's exchange */
	group_brief g;    /* the group joined */
} member_values;

/* The operator, the group and the person exist, and the person may join the group then. */
static int member_check(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	const youth_group_member *m = rec;
	member_values *v = ctx;
	int sex = 0;
	(void)self;
	int rc = youth__operator_check(reg, m->operator_id, &v->exchange);
	if (rc == YOUTH_OK)
		rc = group_load(reg, m->group_id, "group_id", &v->g);
	if (rc == YOUTH_OK)
		rc = youth__person_check(reg, m->person_id, &sex);
	if (rc == YOUTH_OK && v->g.women_only && sex != YOUTH_SEX_FEMALE)
		rc = youth__error(YOUTH_ERULE, "person_id",
		                  "person_id %lld: group %lld \"%s\" is for women only (women_only rule) "
		                  "and the person is not a woman",
		                  (long long)m->person_id, (long long)m->group_id, v->g.name);
	if (rc == YOUTH_OK && strcmp(m->joined_date, v->g.formed_date) < 0)
		rc = youth__error(YOUTH_EINVAL, "joined_date",
		                  "joined_date \"%s\": before group %lld was formed (%s)", m->joined_date,
		                  (long long)m->group_id, v->g.formed_date);
	return rc;
}

static youth__binding member_binding =
	YOUTH__BINDING(youth__kind_group_member,
	               "group_id,person_id,joined_date,operator_id,@exchange_id");

static int member_conflict(youth_registry *reg, const void *rec, const void *ctx,
                           const char *uuid)
{
	const youth_group_member *m = rec;
	if (!strstr(sqlite3_errmsg(reg->db), "enterprise_member.group_id"))
		return unique_error(reg, "enterprise_member", NULL, NULL, uuid);
	return youth__error(YOUTH_EEXISTS, "person_id",
	                    "person_id %lld: already a member of group %lld \"%s\"",
	                    (long long)m->person_id, (long long)m->group_id,
	                    ((const member_values *)ctx)->g.name);
}

static const youth__put member_insert = {
	&youth__kind_group_member, "enterprise_member", "add group member",
	.what = "adding a group member", .check = member_check, .fields = &member_binding,
	.ctx_id_param = 5,
	.conflict = member_conflict,
	.one = true, .fn = "youth_group_member_add",
};

YOUTH__RECORD_ADD(youth_group_member, member_insert, member_values)

YOUTH__RECORD_GET(youth_group_member, youth__kind_group_member, SQL_MEMBER_BY_ID)

/* The first plan of a group that is past draft (and the membership it depends on). */
static const char SQL_MEMBER_FROZEN[] =
	"SELECT m.id, g.name, "
	"(SELECT p.id FROM enterprise_plan p WHERE p.group_id = m.group_id AND p.state <> 1 "
	" ORDER BY p.id LIMIT 1), "
	"(SELECT p.state FROM enterprise_plan p WHERE p.group_id = m.group_id AND p.state <> 1 "
	" ORDER BY p.id LIMIT 1) "
	"FROM enterprise_group g LEFT JOIN enterprise_member m ON m.group_id = g.id "
	"AND m.person_id = ?2 WHERE g.id = ?1";
static const char SQL_MEMBER_DELETE[] = "DELETE FROM enterprise_member WHERE id = ?";

/* Membership is frozen once a plan of the group leaves draft: submission checked every member
 * against the window's rules (overrides name them), and the persons reached by a plan are
 * counted through the members, so removing one would rewrite both.  While every plan is a
 * draft the group is still being formed and a member may leave. */
int youth_group_member_remove(youth_registry *reg, int64_t group_id, int64_t person_id)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_group_member_remove: NULL registry");
	int rc;
	if ((rc = youth__ref_rule("group_id", group_id)) ||
	    (rc = youth__ref_rule("person_id", person_id)))
		return rc;
	youth__write w;
	if ((rc = youth__write_begin_one(&w, reg, "remove group member")))
		return rc;
	sqlite3_stmt *st;
	bool found = false;
	int64_t member = 0, plan = 0;
	int state = 0;
	char name[NAME_MAX_ + 1] = "";
	if ((rc = youth__stmt(reg, SQL_MEMBER_FROZEN, &st)) == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, group_id);
		sqlite3_bind_int64(st, 2, person_id);
		if ((rc = youth__step_row(reg, st, &found, "finding a group member")) == YOUTH_OK &&
		    found) {
			member = sqlite3_column_int64(st, 0);
			youth__col_text(st, 1, name, sizeof name);
			plan = sqlite3_column_int64(st, 2);
			state = sqlite3_column_int(st, 3);
		}
		sqlite3_reset(st);
	}
	if (rc == YOUTH_OK && !found)
		rc = youth__error(YOUTH_ENOTFOUND, "group_id", "group_id %lld: no such group",
		                  (long long)group_id);
	if (rc == YOUTH_OK && !member)
		rc = youth__error(YOUTH_ENOTFOUND, "person_id",
		                  "person_id %lld: not a member of group %lld \"%s\"",
		                  (long long)person_id, (long long)group_id, name);
	if (rc == YOUTH_OK && plan)
		rc = youth__error(YOUTH_ESTATE, "person_id",
		                  "person_id %lld: group %lld \"%s\" has plan %lld in state %s; its "
		                  "members are fixed once a plan is submitted (they were checked for "
		                  "eligibility and are counted as reached by it)",
		                  (long long)person_id, (long long)group_id, name, (long long)plan,
		                  youth_plan_state_name(state));
	rc = youth__write_stmt(&w, rc, SQL_MEMBER_DELETE, "removing a group member",
	                       "enterprise_member", member, 'd', "");
	return youth__write_end(&w, rc);
}

static int ids_rule(int64_t a, const char *an, int64_t b, const char *bn)
{
	if (a < 0 || b < 0)
		return youth__error(YOUTH_EINVAL, a < 0 ? an : bn, "%s %lld: not a record id",
		                    a < 0 ? an : bn, (long long)(a < 0 ? a : b));
	return YOUTH_OK;
}

YOUTH__RECORD_LIST2(youth_group_member, youth__kind_group_member, "listing group members",
                    "SELECT " MEMBER_COLS " FROM enterprise_member"
                    " WHERE (?1 = 0 OR group_id = ?1) AND (?2 = 0 OR person_id = ?2) ORDER BY id",
                    group_id, person_id)

/* ======================================================================================== */
/* ---- plans ------------------------------------------------------------------------------ */

static const char SQL_PLAN_BY_ID[] = "SELECT " PLAN_COLS " FROM enterprise_plan WHERE id = ?";
/* What the state machine, disbursements and visits need to know about a plan. */
#define PLAN_CUR_HEAD                                                                       \
	"SELECT p.state, p.state_date, p.fund_window, coalesce(p.person_id, 0), "             \
	"coalesce(p.group_id, 0), p.requested, coalesce(p.approved, 0), p.approved_date, "   \
	"p.drafted_date"
static const char SQL_PLAN_CURRENT[] =
	PLAN_CUR_HEAD ", "
	"(SELECT coalesce(sum(amount), 0) FROM enterprise_disbursement d WHERE d.plan_id = p.id), "
	"(SELECT min(date) FROM enterprise_disbursement d WHERE d.plan_id = p.id), "
	"(SELECT max(date) FROM enterprise_disbursement d WHERE d.plan_id = p.id) "
	"FROM enterprise_plan p WHERE p.id = ?";
/* The same without the payments, which a change of state does not look at (its first
 * PLAN_STATE_COLS columns). */
static const char SQL_PLAN_STATE[] = PLAN_CUR_HEAD " FROM enterprise_plan p WHERE p.id = ?";
#define PLAN_STATE_COLS 9
static const char SQL_PLAN_SET_STATE[] =
	"UPDATE enterprise_plan SET state = ?2, state_date = ?3, "
	"reason = CASE WHEN ?4 IS NULL THEN reason ELSE ?4 END, "
	"approved = CASE WHEN ?2 = 4 THEN ?5 ELSE approved END, "
	"approved_date = CASE WHEN ?2 = 4 THEN ?3 ELSE approved_date END WHERE id = ?1";
static const char SQL_GROUP_MEMBERS[] =
	"SELECT person_id FROM enterprise_member WHERE group_id = ? ORDER BY person_id";

typedef struct plan_cur {
	int state, window;
	int64_t person_id, group_id, requested, approved, disbursed;
	char state_date[YOUTH_DATE_LEN + 1];
	char approved_date[YOUTH_DATE_LEN + 1];
	char drafted_date[YOUTH_DATE_LEN + 1];
	char first_disb[YOUTH_DATE_LEN + 1];
	char last_disb[YOUTH_DATE_LEN + 1];
} plan_cur;

/* The columns of SQL_PLAN_CURRENT, in order. */
#define PC(m, type) YOUTH__COL(plan_cur, m, YOUTH__COL_##type)
static const youth__col plan_cur_cols[] = {
	PC(state, INT),          PC(state_date, TEXT),    PC(window, INT),         PC(person_id, INT64),
	PC(group_id, INT64),     PC(requested, INT64),    PC(approved, INT64),     PC(approved_date, TEXT),
	PC(drafted_date, TEXT),  PC(disbursed, INT64),    PC(first_disb, TEXT),    PC(last_disb, TEXT),
};
#undef PC

static int plan_load(youth_registry *reg, int64_t id, const char *field, plan_cur *c)
{
	return youth__row_read(c, reg, SQL_PLAN_CURRENT, id, field, "plan", plan_cur_cols,
	                       YOUTH__N_OF(plan_cur_cols));
}

/* plan_load() of what a change of state needs: the payments' columns stay empty. */
static int plan_state_load(youth_registry *reg, int64_t id, const char *field, plan_cur *c)
{
	return youth__row_read(c, reg, SQL_PLAN_STATE, id, field, "plan", plan_cur_cols,
	                       PLAN_STATE_COLS);
}

/* plan_load(), then the plan must be in one of the states @states (YOUTH__TO bits) for @act
 * ("edit a plan"): the refusal lists them in their order. */
static int plan_load_in(youth_registry *reg, int64_t id, const char *field, plan_cur *c,
                        const char *act, unsigned states)
{
	int rc = plan_load(reg, id, field, c);
	if (rc || (c->state >= 0 && c->state < 32 && (states & (1u << c->state))))
		return rc;
	char list[128] = "";
	for (int s = 1; s < 32; s++)
		if ((states & (1u << s)) && youth_plan_state_name(s))
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", *list ? ", " : "",
			         youth_plan_state_name(s));
	return youth__error(YOUTH_ESTATE, "state", "plan %lld: cannot %s in state %s (allowed in: %s)",
	                    (long long)id, act, youth_plan_state_name(c->state), list);
}

/* The applicant: a person or a group, exactly one (what the field table cannot say). */
static int plan_rules(youth_registry *reg, const void *rec, void *ctx)
{
	const youth_plan *p = rec;
	int rc;
	(void)reg, (void)ctx;
	if ((rc = window_rule(p->window)) ||
	    (rc = ids_rule(p->person_id, "person_id", p->group_id, "group_id")))
		return rc;
	if (!p->person_id && !p->group_id)
		return youth__error(YOUTH_EINVAL, "person_id",
		                    "person_id, group_id: missing (a plan has one applicant: a person or "
		                    "a group)");
	if (p->person_id && p->group_id)
		return youth__error(YOUTH_EINVAL, "person_id",
		                    "person_id %lld and group_id %lld: a plan has exactly one applicant, "
		                    "a person or a group", (long long)p->person_id,
		                    (long long)p->group_id);
	return rc;
}

/* The operator, and the applicant: a woman for the female window, or a group of the plan's
 * window formed by the draft's date.  The operator's exchange goes to *@ctx. */
static int plan_check_new(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	const youth_plan *p = rec;
	(void)self;
	int rc = youth__operator_check(reg, p->operator_id, ctx);
	if (rc == YOUTH_OK && p->person_id) {
		int sex = 0;
		rc = youth__person_check(reg, p->person_id, &sex);
		if (rc == YOUTH_OK && p->window == YOUTH_WINDOW_FEMALE && sex != YOUTH_SEX_FEMALE)
			rc = youth__error(YOUTH_ERULE, "person_id",
			                  "person_id %lld: a female_window plan must come from a woman or a "
			                  "women's group, and the person is not a woman",
			                  (long long)p->person_id);
	} else if (rc == YOUTH_OK) {
		group_brief g;
		rc = group_load(reg, p->group_id, "group_id", &g);
		if (rc == YOUTH_OK && g.window != p->window)
			rc = youth__error(YOUTH_ERULE, "group_id",
			                  "group_id %lld: group \"%s\" belongs to window %s; a group's plans go "
			                  "to its own window, not %s",
			                  (long long)p->group_id, g.name, youth_window_name(g.window),
			                  youth_window_name(p->window));
		if (rc == YOUTH_OK && strcmp(p->drafted_date, g.formed_date) < 0)
			rc = youth__error(YOUTH_EINVAL, "drafted_date",
			                  "drafted_date \"%s\": before group %lld was formed (%s)",
			                  p->drafted_date, (long long)p->group_id, g.formed_date);
	}
	return rc;
}

/* A new plan is a draft since the day it was drafted. */
static youth__binding plan_binding =
	YOUTH__BINDING(youth__kind_plan, "fund_window:window,person_id,group_id,title,sector,"
	                                 "description,requested,state=1,drafted_date,state_date=?8,"
	                                 "operator_id,@exchange_id");

static const youth__put plan_insert = {
	&youth__kind_plan, "enterprise_plan", "add plan", .what = "adding a plan",
	.check = plan_check_new, .fields = &plan_binding, .ctx_id_param = 10, .conflict = uuid_conflict,
	.one = true, .prepare = plan_rules, .fn = "youth_plan_add",
};

int youth_plan_add(youth_registry *reg, youth_plan *p)
{
	int64_t exchange = 0;
	int rc = youth__rec_add(reg, &plan_insert, p, &exchange);
	if (rc == YOUTH_OK) {
		p->state = YOUTH_PLAN_DRAFT;
		p->state_date = p->drafted_date;
		p->approved = 0;
		p->approved_date = NULL;
		p->reason = NULL;
	}
	return rc;
}


/* Sets state @to on @date (and what goes with it) and counts the row. */
static int set_state(youth__write *w, int64_t id, int to, const char *date, const char *reason,
                     int64_t amount)
{
	return youth__write_stmt(w, YOUTH_OK, SQL_PLAN_SET_STATE, "changing a plan's state",
	                         "enterprise_plan", id, 'u', "ittI", to, date, reason, amount);
}

/* Eligibility at submission: the person, or every member of the group. */
static int submit_rules(youth__write *w, int64_t id, const plan_cur *c, const char *date,
                        const youth_override *ovr)
{
	youth_registry *reg = w->reg;
	const char *programme = c->window == YOUTH_WINDOW_FEMALE ? YOUTH_PROGRAMME_FEMALE_WINDOW
	                                                         : YOUTH_PROGRAMME_SEED_CAPITAL;
	if (c->person_id)
		return youth__eligibility(w, programme, c->person_id, date, ovr, "plan", id);
	/* Members are read first: the checks below use statements of their own. */
	youth__buf ids = {0};
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, SQL_GROUP_MEMBERS, &st);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, c->group_id);
	int s = SQLITE_DONE;
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t pid = sqlite3_column_int64(st, 0);
		rc = youth__buf_put(&ids, (const char *)&pid, sizeof pid);
	}
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, "reading group members");
	sqlite3_reset(st);
	size_t n = ids.len / sizeof(int64_t);
	if (rc == YOUTH_OK && n == 0)
		rc = youth__error(YOUTH_ERULE, "group_id",
		                  "plan %lld: group %lld has no members; a group's plan is submitted for "
		                  "its members", (long long)id, (long long)c->group_id);
	for (size_t i = 0; rc == YOUTH_OK && i < n; i++) {
		int64_t pid;
		memcpy(&pid, ids.data + i * sizeof pid, sizeof pid);
		rc = youth__eligibility(w, programme, pid, date, ovr, "plan", id);
		if (rc && rc != YOUTH_ENOMEM)
			youth__error_prefix("group %lld, member person_id %lld", (long long)c->group_id,
			                    (long long)pid);
	}
	youth__buf_free(&ids);
	return rc;
}

/* An approval grants at most what the plan requested. */
static int approval_rule(int64_t id, int64_t amount, int64_t requested)
{
	if (amount <= requested)
		return YOUTH_OK;
	char a[32], r[32];
	youth__money_format(amount, a, sizeof a);
	youth__money_format(requested, r, sizeof r);
	return youth__error(YOUTH_ERULE, "amount",
	                    "amount %s: above the %s requested by plan %lld (the approved amount "
	                    "may not exceed the request)", a, r, (long long)id);
}

static int transition(youth_registry *reg, const char *fn, int64_t id, int to, const char *date,
                      const char *reason, int64_t amount, const youth_override *ovr)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL registry", fn);
	int rc;
	if ((rc = youth__id_rule(id, "plan")) || (rc = youth__past_date_rule(date, "date")))
		return rc;
	bool needs_reason = to == YOUTH_PLAN_REJECTED || to == YOUTH_PLAN_CLOSED;
	if (needs_reason && (rc = youth__text_rule("reason", reason, REASON_MAX, true)))
		return rc;
	if (to == YOUTH_PLAN_APPROVED && (rc = money_positive_rule("amount", amount)))
		return rc;
	/* Submission records an override per rule set aside; the other changes are one UPDATE. */
	youth__write w;
	if ((rc = (to == YOUTH_PLAN_SUBMITTED ? youth__write_begin : youth__write_begin_one)(
	         &w, reg, fn)))
		return rc;
	plan_cur c = {0};
	rc = plan_state_load(reg, id, "id", &c);
	if (rc == YOUTH_OK)
		rc = youth__state_move(&youth__machine_plan, id, c.state, c.state_date, to, date);
	if (rc == YOUTH_OK && to == YOUTH_PLAN_APPROVED)
		rc = approval_rule(id, amount, c.requested);
	if (rc == YOUTH_OK && to == YOUTH_PLAN_SUBMITTED)
		rc = submit_rules(&w, id, &c, date, ovr);
	if (rc == YOUTH_OK)
		rc = set_state(&w, id, to, date, needs_reason ? reason : NULL, amount);
	return youth__write_end(&w, rc);
}

int youth_plan_submit(youth_registry *reg, int64_t id, const char *date,
                      const youth_override *override)
{
	return transition(reg, "submit plan", id, YOUTH_PLAN_SUBMITTED, date, NULL, 0, override);
}

int youth_plan_appraise(youth_registry *reg, int64_t id, const char *date)
{
	return transition(reg, "appraise plan", id, YOUTH_PLAN_APPRAISED, date, NULL, 0, NULL);
}

int youth_plan_approve(youth_registry *reg, int64_t id, const char *date, int64_t amount)
{
	return transition(reg, "approve plan", id, YOUTH_PLAN_APPROVED, date, NULL, amount, NULL);
}

int youth_plan_reject(youth_registry *reg, int64_t id, const char *date, const char *reason)
{
	return transition(reg, "reject plan", id, YOUTH_PLAN_REJECTED, date, reason, 0, NULL);
}

int youth_plan_set_operating(youth_registry *reg, int64_t id, const char *date)
{
	return transition(reg, "set plan operating", id, YOUTH_PLAN_OPERATING, date, NULL, 0, NULL);
}

int youth_plan_close(youth_registry *reg, int64_t id, const char *date, const char *reason)
{
	return transition(reg, "close plan", id, YOUTH_PLAN_CLOSED, date, reason, 0, NULL);
}

/* Only a draft is edited. */
static int plan_check_change(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	plan_cur c = {0};
	(void)rec;
	(void)ctx;
	return plan_load_in(reg, self, "id", &c, "edit a plan", YOUTH__TO(YOUTH_PLAN_DRAFT));
}

/* What an update may change: the columns of its UPDATE. */
static youth__binding plan_text_binding =
	YOUTH__BINDING(youth__kind_plan, "title,sector,description,requested");

static const youth__put plan_update = {
	&youth__kind_plan, "enterprise_plan", "update plan", .what = "updating a plan",
	.check = plan_check_change, .fields = &plan_text_binding, .conflict = uuid_conflict,
	.one = true, .fn = "youth_plan_update",
};

int youth_plan_update(youth_registry *reg, const youth_plan *p)
{
	return youth__rec_change(reg, &plan_update, p, NULL);
}

YOUTH__RECORD_GET(youth_plan, youth__kind_plan, SQL_PLAN_BY_ID)

int youth_plan_iter_new(youth_plan_iter **out, youth_registry *reg, int window,
                        int64_t person_id, int64_t group_id)
{
	int rc;
	if ((rc = youth__iter_args(out, reg, "youth_plan_iter_new", NULL, 0)) ||
	    (window != 0 && (rc = window_rule(window))) ||
	    (rc = ids_rule(person_id, "person_id", group_id, "group_id")))
		return rc;
	const int64_t v[] = {window, person_id, group_id};
	return youth__rec_iter_new(out, reg, &youth__kind_plan, "listing plans",
	                "SELECT " PLAN_COLS " FROM enterprise_plan"
	                " WHERE (?1 = 0 OR fund_window = ?1) AND (?2 = 0 OR person_id = ?2)"
	                " AND (?3 = 0 OR group_id = ?3) ORDER BY id",
	                3, v);
}

int youth_plan_balance(youth_plan_balance_info *out, youth_registry *reg, int64_t plan_id)
{
	if (out)
		memset(out, 0, sizeof *out);
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_plan_balance: NULL argument");
	int rc;
	if ((rc = youth__ref_rule("plan_id", plan_id)))
		return rc;
	plan_cur c;
	if ((rc = plan_load(reg, plan_id, "plan_id", &c)))
		return rc;
	out->approved = c.approved;
	out->disbursed = c.disbursed;
	out->remaining = c.approved - c.disbursed;
	return YOUTH_OK;
}

/* The two filters of the plan counts beside the window (0: none). */
static int state_filter_rule(int state)
{
	if (state != 0 && !youth_plan_state_name(state))
		return youth__error(YOUTH_EINVAL, "state", "state %d: not a plan state", state);
	return YOUTH_OK;
}

static int funded_only_rule(int funded_only)
{
	if (funded_only != 0 && funded_only != 1)
		return youth__error(YOUTH_EINVAL, "funded_only", "funded_only %d: must be 0 or 1",
		                    funded_only);
	return YOUTH_OK;
}

/* A count of public function @fn into *@out (0 until it succeeds): @sql with ?1 the window
 * and ?2 the filter @b, each checked first (the window by window_rule, @b by @b_rule). */
static int count_query(int64_t *out, youth_registry *reg, const char *fn, int window, int b,
                       int (*b_rule)(int), const char *sql, const char *what)
{
	if (out)
		*out = 0;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL argument", fn);
	int rc;
	if ((window != 0 && (rc = window_rule(window))) || (rc = b_rule(b)))
		return rc;
	const int64_t params[] = {window, b};
	bool found;
	return youth__query_ints(out, 1, &found, reg, sql, params, 2, what);
}

int youth_plan_count(int64_t *out, youth_registry *reg, int window, int state)
{
	static const char sql[] = "SELECT count(*) FROM enterprise_plan"
	                          " WHERE (?1 = 0 OR fund_window = ?1) AND (?2 = 0 OR state = ?2)";
	return count_query(out, reg, "youth_plan_count", window, state, state_filter_rule, sql,
	                   "counting plans");
}

int youth_plan_count_persons(int64_t *out, youth_registry *reg, int window, int funded_only)
{
	static const char sql[] =
		"SELECT count(DISTINCT pid) FROM ("
		" SELECT p.person_id AS pid FROM enterprise_plan p WHERE p.person_id IS NOT NULL"
		"  AND (?1 = 0 OR p.fund_window = ?1) AND (?2 = 0 OR p.state IN (6, 7, 8))"
		" UNION ALL"
		" SELECT m.person_id FROM enterprise_plan p JOIN enterprise_member m"
		"  ON m.group_id = p.group_id"
		"  WHERE (?1 = 0 OR p.fund_window = ?1) AND (?2 = 0 OR p.state IN (6, 7, 8)))";
	return count_query(out, reg, "youth_plan_count_persons", window, funded_only,
	                   funded_only_rule, sql, "counting persons reached");
}

/* ======================================================================================== */
/* ---- disbursements ---------------------------------------------------------------------- */

static const char SQL_DISB_BY_ID[] =
	"SELECT " DISB_COLS " FROM enterprise_disbursement WHERE id = ?";

/* What the write of a disbursement or a visit knows besides the record. */
typedef struct plan_values {
	int64_t exchange; /* the operator's exchange */
	plan_cur c;       /* the plan, as the write sees it */
} plan_values;

/* The operator and the plan of a disbursement or a visit, into @v: the plan in one of the
 * states @states for @act (plan_load_in). */
static int plan_values_load(youth_registry *reg, plan_values *v, int64_t operator_id,
                            int64_t plan_id, const char *act, unsigned states)
{
	int rc = youth__operator_check(reg, operator_id, &v->exchange);
	return rc ? rc : plan_load_in(reg, plan_id, "plan_id", &v->c, act, states);
}

/* A second disbursement with the same reference is refused by its name. */
static int disb_conflict(youth_registry *reg, const void *rec, const void *ctx,
                         const char *uuid)
{
	(void)ctx;
	return unique_error(reg, "enterprise_disbursement", "reference",
	                    ((const youth_plan_disbursement *)rec)->reference, uuid);
}

/* The plan is approved or funded, the payment comes after the approval and the last one, and
 * stays within the approved amount. */
static int disb_check(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	const youth_plan_disbursement *d = rec;
	plan_values *v = ctx;
	const plan_cur *c = &v->c;
	(void)self;
	int rc = plan_values_load(reg, v, d->operator_id, d->plan_id, "record a disbursement",
	                          YOUTH__TO(YOUTH_PLAN_APPROVED) | YOUTH__TO(YOUTH_PLAN_FUNDED));
	if (rc == YOUTH_OK && strcmp(d->date, c->approved_date) < 0)
		rc = youth__error(YOUTH_EINVAL, "date", "date \"%s\": before plan %lld was approved (%s)",
		                  d->date, (long long)d->plan_id, c->approved_date);
	if (rc == YOUTH_OK && c->last_disb[0] && strcmp(d->date, c->last_disb) < 0)
		rc = youth__error(YOUTH_EINVAL, "date",
		                  "date \"%s\": before the plan's last disbursement (%s); disbursements "
		                  "are recorded in date order", d->date, c->last_disb);
	if (rc == YOUTH_OK && d->amount > c->approved - c->disbursed) {
		char a[32], ap[32], di[32];
		youth__money_format(d->amount, a, sizeof a);
		youth__money_format(c->approved, ap, sizeof ap);
		youth__money_format(c->disbursed, di, sizeof di);
		rc = youth__error(YOUTH_ERULE, "amount",
		                  "amount %s: plan %lld has %s approved and %s already disbursed; "
		                  "disbursements may not exceed the approved amount",
		                  a, (long long)d->plan_id, ap, di);
	}
	return rc;
}

static youth__binding disb_binding =
	YOUTH__BINDING(youth__kind_plan_disbursement,
	               "plan_id,amount,date,reference,operator_id,@exchange_id");

/* The first payment funds the plan. */
static int disb_funds(youth__write *w, const void *rec, void *ctx, int64_t id)
{
	const youth_plan_disbursement *d = rec;
	(void)id;
	if (((const plan_values *)ctx)->c.state != YOUTH_PLAN_APPROVED)
		return YOUTH_OK;
	return set_state(w, d->plan_id, YOUTH_PLAN_FUNDED, d->date, NULL, 0);
}

static const youth__put disb_insert = {
	&youth__kind_plan_disbursement, "enterprise_disbursement", "add disbursement",
	.what = "adding a disbursement", .check = disb_check, .fields = &disb_binding,
	.ctx_id_param = 6,
	.after = disb_funds, .conflict = disb_conflict, .fn = "youth_plan_disbursement_add",
};

/* The add, get and list of a record of a plan (disbursement, visit): the add's hooks fill a
 * plan_values; the list is by plan (0: every plan), in date order. */
#define PLAN_RECORD_API(T, kind, put, by_id, what, cols, table)                        \
	YOUTH__RECORD_ADD(T, put, plan_values)                                         \
	YOUTH__RECORD_GET(T, kind, by_id)                                              \
	YOUTH__RECORD_LIST1(T, kind, what,                                             \
	                    "SELECT " cols " FROM " table                              \
	                    " WHERE ?1 = 0 OR plan_id = ?1 ORDER BY plan_id, date, id", plan_id)

PLAN_RECORD_API(youth_plan_disbursement, youth__kind_plan_disbursement, disb_insert,
                SQL_DISB_BY_ID, "listing disbursements", DISB_COLS, "enterprise_disbursement")

/* ---- visits ------------------------------------------------------------------------------ */

static const char SQL_VISIT_BY_ID[] = "SELECT " VISIT_COLS " FROM enterprise_visit WHERE id = ?";

/* The plan has been funded, and the visit comes after its first disbursement. */
static int visit_check(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	const youth_plan_visit *v = rec;
	plan_values *pv = ctx;
	(void)self;
	int rc = plan_values_load(reg, pv, v->operator_id, v->plan_id, "record a follow-up visit",
	                          YOUTH__TO(YOUTH_PLAN_FUNDED) | YOUTH__TO(YOUTH_PLAN_OPERATING) |
	                              YOUTH__TO(YOUTH_PLAN_CLOSED));
	if (rc == YOUTH_OK && strcmp(v->date, pv->c.first_disb) < 0)
		rc = youth__error(YOUTH_EINVAL, "date",
		                  "date \"%s\": before the plan's first disbursement (%s)", v->date,
		                  pv->c.first_disb);
	return rc;
}

static youth__binding visit_binding = YOUTH__BINDING(
	youth__kind_plan_visit,
	"plan_id,date,operating,jobs_created,monthly_sales,notes,operator_id,@exchange_id");

static int visit_conflict(youth_registry *reg, const void *rec, const void *ctx,
                          const char *uuid)
{
	const youth_plan_visit *v = rec;
	(void)ctx;
	if (strstr(sqlite3_errmsg(reg->db), "enterprise_visit.plan_id"))
		return youth__error(YOUTH_EEXISTS, "date", "date \"%s\": plan %lld already has a visit "
		                    "that day", v->date, (long long)v->plan_id);
	return unique_error(reg, "enterprise_visit", NULL, NULL, uuid);
}

/* A funded business found operating is operating from the visit on. */
static int visit_operating(youth__write *w, const void *rec, void *ctx, int64_t id)
{
	const youth_plan_visit *v = rec;
	(void)id;
	if (((const plan_values *)ctx)->c.state != YOUTH_PLAN_FUNDED || !v->operating)
		return YOUTH_OK;
	return set_state(w, v->plan_id, YOUTH_PLAN_OPERATING, v->date, NULL, 0);
}

static int visit_rules(youth_registry *reg, const void *rec, void *ctx)
{
	const youth_plan_visit *v = rec;
	(void)reg, (void)ctx;
	if (v->jobs_created < 0 || v->jobs_created > JOBS_MAX)
		return youth__error(YOUTH_EINVAL, "jobs_created", "jobs_created %d: must be 0-10000",
		                    v->jobs_created);
	return YOUTH_OK;
}

static const youth__put visit_insert = {
	&youth__kind_plan_visit, "enterprise_visit", "add visit", .what = "adding a visit",
	.check = visit_check, .fields = &visit_binding, .ctx_id_param = 8, .after = visit_operating,
	.conflict = visit_conflict, .prepare = visit_rules, .fn = "youth_plan_visit_add",
};

PLAN_RECORD_API(youth_plan_visit, youth__kind_plan_visit, visit_insert, SQL_VISIT_BY_ID,
                "listing visits", VISIT_COLS, "enterprise_visit")

/* ---- business-development services ------------------------------------------------------- */

static const char SQL_SERVICE_BY_ID[] =
	"SELECT " SERVICE_COLS " FROM enterprise_service s WHERE s.id = ?";

/* A service goes to a group or a plan of the female window, on or after the day it was
 * formed or drafted. */
static int service_check(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	const youth_business_service *s = rec;
	(void)self;
	int rc = youth__operator_check(reg, s->operator_id, ctx);
	int window = 0;
	char since[YOUTH_DATE_LEN + 1] = "";
	const char *what = s->group_id ? "group" : "plan";
	if (rc == YOUTH_OK && s->group_id) {
		group_brief g;
		if ((rc = group_load(reg, s->group_id, "group_id", &g)) == YOUTH_OK) {
			window = g.window;
			memcpy(since, g.formed_date, sizeof since);
		}
	} else if (rc == YOUTH_OK) {
		plan_cur c;
		if ((rc = plan_load(reg, s->plan_id, "plan_id", &c)) == YOUTH_OK) {
			window = c.window;
			memcpy(since, c.drafted_date, sizeof since);
		}
	}
	if (rc == YOUTH_OK && window != YOUTH_WINDOW_FEMALE)
		rc = youth__error(YOUTH_ERULE, s->group_id ? "group_id" : "plan_id",
		                  "%s_id %lld: business-development services are for the female_window "
		                  "only, and the %s is of window %s",
		                  what, (long long)(s->group_id ? s->group_id : s->plan_id), what,
		                  youth_window_name(window));
	if (rc == YOUTH_OK && strcmp(s->date, since) < 0)
		rc = youth__error(YOUTH_EINVAL, "date", "date \"%s\": before the %s was %s (%s)", s->date,
		                  what, s->group_id ? "formed" : "drafted", since);
	return rc;
}

static youth__binding service_binding = YOUTH__BINDING(
	youth__kind_business_service,
	"group_id,plan_id,kind,date,hours,provider,notes,operator_id,@exchange_id");

/* Exactly one of group and plan; what the field table cannot say. */
static int service_rules(youth_registry *reg, const void *rec, void *ctx)
{
	const youth_business_service *s = rec;
	int rc;
	(void)reg, (void)ctx;
	if ((rc = ids_rule(s->group_id, "group_id", s->plan_id, "plan_id")))
		return rc;
	if (!s->group_id == !s->plan_id)
		return youth__error(YOUTH_EINVAL, "group_id",
		                    "group_id %lld, plan_id %lld: a service goes to exactly one group or "
		                    "one plan", (long long)s->group_id, (long long)s->plan_id);
	if (!youth_business_service_kind_name(s->kind))
		return youth__error(YOUTH_EINVAL, "kind",
		                    "kind %d: not a service kind (mentoring, training, market_access)",
		                    s->kind);
	if (s->hours < 1 || s->hours > HOURS_MAX)
		return youth__error(YOUTH_EINVAL, "hours", "hours %d: must be 1-200", s->hours);
	return YOUTH_OK;
}

static const youth__put service_insert = {
	&youth__kind_business_service, "enterprise_service", "add business-development service",
	.what = "adding a business-development service", .check = service_check,
	.fields = &service_binding, .ctx_id_param = 9, .conflict = uuid_conflict,
	.one = true, .prepare = service_rules, .fn = "youth_business_service_add",
};

YOUTH__RECORD_ADD(youth_business_service, service_insert, int64_t)

YOUTH__RECORD_GET(youth_business_service, youth__kind_business_service, SQL_SERVICE_BY_ID)

YOUTH__RECORD_LIST2(youth_business_service, youth__kind_business_service,
                    "listing business-development services",
                    "SELECT " SERVICE_COLS " FROM enterprise_service s"
                    " WHERE (?1 = 0 OR s.group_id = ?1 OR s.plan_id IN"
                    "  (SELECT id FROM enterprise_plan WHERE group_id = ?1))"
                    " AND (?2 = 0 OR s.plan_id = ?2) ORDER BY s.date, s.id", group_id, plan_id)

/* ---- interchange (interchange.c) ---- */

/*
 * Sections groups, group_members, plans, plan_disbursements, plan_visits and business_services
 * (docs/format.md).  Every record is imported through the public functions above, so a file
 * is held to the same rules as the C API.  A plan's state is not written into the registry:
 * it is replayed (submit, appraise, approve or reject) with the dates and amounts the file
 * records.  States past approved can only be reached by payments, so the plans section
 * brings a plan to approved, the plan's first disbursement funds it (as in the API), and its
 * last disbursement carries the plan's later transition (`plan_state: operating | closed`).
 */

/* The export's selection (?1 place path, ?2/?3 dates).  Without any, everything goes out. */
#define SEL_ALL "(?1 IS NULL AND ?2 IS NULL AND ?3 IS NULL)"
#define SEL_DATES(d) "(?2 IS NULL OR " d " >= ?2) AND (?3 IS NULL OR " d " <= ?3)"
/* A person in the selection, as the persons section chooses them. */
#define SEL_PERSON(pid)                                                                      \
	"EXISTS (SELECT 1 FROM person sp JOIN place spl ON spl.id = sp.place_id"                   \
	" WHERE sp.id = " pid " AND " YOUTH__EXPORT_PERSON_IN("sp", "spl") ")"
/* A membership in the selection: its person is, and it was joined within the dates. */
#define SEL_MEMBER(m) "(" SEL_PERSON(m ".person_id") " AND " SEL_DATES(m ".joined_date") ")"
/* A plan in the selection: drafted within the dates, and its applicant selected, the person or
 * every member of the group (the submission is replayed against the same members). */
#define SEL_PLAN(p)                                                                          \
	"(" SEL_ALL " OR (" SEL_DATES(p ".drafted_date") " AND CASE WHEN " p ".person_id IS NOT"  \
	" NULL THEN " SEL_PERSON(p ".person_id") " ELSE NOT EXISTS (SELECT 1 FROM"                \
	" enterprise_member sm WHERE sm.group_id = " p ".group_id AND NOT " SEL_MEMBER("sm")     \
	") END))"

/* Groups are not tied to one person: always exported whole. */
static const char SQL_EX_GROUPS[] =
	"SELECT g.id, g.uuid, g.name, g.fund_window, g.women_only, o.uuid, NULL, g.formed_date"
	" FROM enterprise_group g JOIN operator o ON o.id = g.operator_id ORDER BY g.id";

static const char SQL_EX_MEMBERS[] =
	"SELECT m.id, m.uuid, g.uuid, p.uuid, m.joined_date, o.uuid, NULL FROM enterprise_member m"
	" JOIN enterprise_group g ON g.id = m.group_id JOIN person p ON p.id = m.person_id"
	" JOIN operator o ON o.id = m.operator_id"
	" WHERE " SEL_ALL " OR " SEL_MEMBER("m") " ORDER BY m.id";

/* The override of a submission (all its rows share operator, reason and date) gives the
 * submission date, which the plan does not keep otherwise. */
static const char SQL_EX_PLANS[] =
	"SELECT p.id, p.uuid, p.fund_window, (SELECT uuid FROM person WHERE id = p.person_id),"
	" (SELECT uuid FROM enterprise_group WHERE id = p.group_id), p.title, p.sector,"
	" p.description, p.requested, p.approved, p.state, p.drafted_date, p.state_date,"
	" p.approved_date, p.reason, o.uuid, NULL,"
	" ov.date, (SELECT uuid FROM operator WHERE id = ov.operator_id), ov.reason"
	" FROM enterprise_plan p JOIN operator o ON o.id = p.operator_id"
	" LEFT JOIN (SELECT service_id, min(id) AS oid FROM eligibility_override"
	"  WHERE service = 'plan' GROUP BY service_id) ovm ON ovm.service_id = p.id"
	" LEFT JOIN eligibility_override ov ON ov.id = ovm.oid"
	" WHERE " SEL_PLAN("p") " ORDER BY p.id";

/* Payments and visits belong to their plan (its state depends on them): they go out with it,
 * whatever their own dates.  The last payment of an operating or closed plan carries the
 * plan's final transition. */
static const char SQL_EX_DISBURSEMENTS[] =
	"SELECT d.id, d.uuid, p.uuid, d.amount, d.date, d.reference, o.uuid, NULL,"
	" CASE WHEN l.last THEN CASE p.state WHEN 7 THEN 'operating' WHEN 8 THEN 'closed' END END,"
	" CASE WHEN l.last AND p.state IN (7, 8) THEN p.state_date END,"
	" CASE WHEN l.last AND p.state = 8 THEN p.reason END"
	" FROM enterprise_disbursement d JOIN enterprise_plan p ON p.id = d.plan_id"
	" JOIN operator o ON o.id = d.operator_id"
	" JOIN (SELECT d2.id AS id, d2.id = (SELECT max(d3.id) FROM enterprise_disbursement d3"
	"  WHERE d3.plan_id = d2.plan_id) AS last FROM enterprise_disbursement d2) l ON l.id = d.id"
	" WHERE " SEL_PLAN("p") " ORDER BY d.id";

static const char SQL_EX_VISITS[] =
	"SELECT v.id, v.uuid, p.uuid, v.date, v.operating, v.jobs_created, v.monthly_sales,"
	" v.notes, o.uuid, NULL FROM enterprise_visit v JOIN enterprise_plan p ON p.id = v.plan_id"
	" JOIN operator o ON o.id = v.operator_id WHERE " SEL_PLAN("p") " ORDER BY v.id";

/* A service to a group is dated like any service; one to a plan also follows its plan. */
static const char SQL_EX_SERVICES[] =
	"SELECT s.id, s.uuid, (SELECT uuid FROM enterprise_group WHERE id = s.group_id), p.uuid,"
	" s.kind, s.date, s.hours, s.provider, s.notes, o.uuid, NULL FROM enterprise_service s"
	" LEFT JOIN enterprise_plan p ON p.id = s.plan_id JOIN operator o ON o.id = s.operator_id"
	" WHERE " SEL_ALL " OR (" SEL_DATES("s.date") " AND (s.plan_id IS NULL OR " SEL_PLAN("p")
	")) ORDER BY s.id";

#define REF_OPERATOR                                                                        \
	{"operator_id", "operator", "SELECT id FROM operator WHERE uuid = ?1", NULL, NULL}
#define REF_GROUP                                                                           \
	{"group_id", "group", "SELECT id FROM enterprise_group WHERE uuid = ?1", NULL, NULL}
#define REF_PERSON                                                                          \
	{"person_id", "person", "SELECT id FROM person WHERE uuid = ?1",                        \
	 "SELECT id FROM person WHERE national_id = ?1", "national ID"}
#define REF_PLAN {"plan_id", "plan", "SELECT id FROM enterprise_plan WHERE uuid = ?1", NULL, NULL}

static const youth__ref group_refs[] = {REF_OPERATOR};
static const youth__ref member_refs[] = {REF_GROUP, REF_PERSON, REF_OPERATOR};
static const youth__ref plan_refs[] = {REF_PERSON, REF_GROUP, REF_OPERATOR};
static const youth__ref disb_refs[] = {REF_PLAN, REF_OPERATOR};
static const youth__ref visit_refs[] = {REF_PLAN, REF_OPERATOR};
static const youth__ref service_refs[] = {REF_GROUP, REF_PLAN, REF_OPERATOR};

static const char *const plan_extra[] = {"submitted_date", "override_by", "override_reason",
                                         NULL};
static const char *const disb_extra[] = {"plan_state", "plan_state_date", "plan_reason", NULL};

/* How a kind without an update function is imported. */
typedef struct fixed_kind {
	const youth__kind *kind;
	const char *by_uuid; /* static SQL: id by uuid ?1 */
	const char *by_id;   /* static SQL: the kind's columns by id ?1 */
	int (*add)(youth_registry *reg, void *rec);
} fixed_kind;

/* Adds the record; with upsert, one whose uuid exists must be equal to it (these records
 * cannot be changed once recorded). */
static int import_fixed(youth__imp *imp, const fixed_kind *fk, void *rec, int *done)
{
	youth_registry *reg = youth__imp_registry(imp);
	const youth__field *fu = youth__rec_find(fk->kind, "uuid");
	const youth__field *fx = youth__rec_find(fk->kind, "exchange_id");
	char *uuid = (char *)rec + fu->offset;
	int64_t id = 0;
	int rc = YOUTH_OK;
	*done = YOUTH__IMP_ADDED;
	if (youth__imp_flags(imp) & YOUTH_IMPORT_UPSERT)
		rc = youth__id_by_uuid(reg, fk->by_uuid, uuid, &id);
	if (rc || id == 0)
		return rc ? rc : fk->add(reg, rec);
	void *old = NULL;
	if ((rc = youth__rec_get(&old, reg, fk->kind, fk->by_id, id, fk->kind->label)))
		return rc;
	/* What the registry adds to a record is not the file's to compare. */
	*(int64_t *)rec = id;
	memcpy(uuid, (char *)old + fu->offset, YOUTH_UUID_LEN + 1);
	memcpy((char *)rec + fx->offset, (char *)old + fx->offset, sizeof(int64_t));
	if (youth__rec_same(fk->kind, old, rec))
		*done = YOUTH__IMP_UNCHANGED;
	else
		rc = youth__error(YOUTH_EEXISTS, "uuid",
		                  "uuid %s: a %s already in the registry with other values (a recorded "
		                  "%s cannot be changed)", uuid, fk->kind->label, fk->kind->label);
	youth__free(old);
	return rc;
}

static int add_group_(youth_registry *reg, void *r) { return youth_group_add(reg, r); }
static int add_member_(youth_registry *reg, void *r) { return youth_group_member_add(reg, r); }
static int add_disb_(youth_registry *reg, void *r) { return youth_plan_disbursement_add(reg, r); }
static int add_visit_(youth_registry *reg, void *r) { return youth_plan_visit_add(reg, r); }
static int add_service_(youth_registry *reg, void *r) { return youth_business_service_add(reg, r); }

static const fixed_kind fixed_group = {&youth__kind_group,
	"SELECT id FROM enterprise_group WHERE uuid = ?", SQL_GROUP_BY_ID, add_group_};
static const fixed_kind fixed_member = {&youth__kind_group_member,
	"SELECT id FROM enterprise_member WHERE uuid = ?", SQL_MEMBER_BY_ID, add_member_};
static const fixed_kind fixed_disb = {&youth__kind_plan_disbursement,
	"SELECT id FROM enterprise_disbursement WHERE uuid = ?", SQL_DISB_BY_ID, add_disb_};
static const fixed_kind fixed_visit = {&youth__kind_plan_visit,
	"SELECT id FROM enterprise_visit WHERE uuid = ?", SQL_VISIT_BY_ID, add_visit_};
static const fixed_kind fixed_service = {&youth__kind_business_service,
	"SELECT id FROM enterprise_service WHERE uuid = ?", SQL_SERVICE_BY_ID, add_service_};

static int import_group(youth__imp *imp, void *rec, int *done)
{
	youth_group *g = rec;
	/* The add makes every female-window group women-only: compare what it would store. */
	if (g->window == YOUTH_WINDOW_FEMALE)
		g->women_only = 1;
	return import_fixed(imp, &fixed_group, rec, done);
}

static int import_member(youth__imp *imp, void *rec, int *done)
{
	return import_fixed(imp, &fixed_member, rec, done);
}

static int import_visit(youth__imp *imp, void *rec, int *done)
{
	return import_fixed(imp, &fixed_visit, rec, done);
}

static int import_service(youth__imp *imp, void *rec, int *done)
{
	return import_fixed(imp, &fixed_service, rec, done);
}

/* ---- plans: the recorded state and its replay ---- */

/* Order along the plan's life; rejected sits beside approved. */
static int state_rank(int s)
{
	static const int rank[] = {0, 0, 1, 2, 3, 3, 4, 5, 6};
	return s > 0 && s < (int)YOUTH__N_OF(rank) ? rank[s] : -1;
}

static int state_by_name(const char *key, const char *text, int *out)
{
	for (int s = 1; youth__voc_plan_state[s]; s++)
		if (strcmp(youth__voc_plan_state[s], text) == 0) {
			*out = s;
			return YOUTH_OK;
		}
	return youth__error(YOUTH_EINVAL, key, "%s \"%.40s\": not a plan state (draft, submitted, "
	                    "appraised, approved, rejected, funded, operating, closed)", key, text);
}

static bool same_text(const char *a, const char *b)
{
	return !a || !b ? a == b : strcmp(a, b) == 0;
}

/* A key the API computes, read as text: NULL when absent or empty. */
static const char *ro_value(youth__imp *imp, const char *key)
{
	const char *v = youth__imp_value(imp, key);
	return v && *v ? v : NULL;
}

static int ro_date(youth__imp *imp, const char *key, const char **out)
{
	*out = ro_value(imp, key);
	return *out ? youth_date_check(*out, key) : YOUTH_OK;
}

/* A key that the recorded state requires, or forbids. */
static int state_key_rule(const char *key, const void *value, bool wanted, int state)
{
	if (wanted && !value)
		return youth__error(YOUTH_EINVAL, key, "%s: missing; a plan in state %s has one", key,
		                    youth__voc_plan_state[state]);
	if (!wanted && value)
		return youth__error(YOUTH_EINVAL, key, "%s: given, but a plan in state %s has none "
		                    "(the record contradicts its state)", key, youth__voc_plan_state[state]);
	return YOUTH_OK;
}

/* What the file records about a plan's progress. */
typedef struct plan_rec {
	int state;
	const char *state_date, *approved_date, *reason, *submitted_date;
	int64_t approved;
	youth_override ovr;
	bool has_ovr;
} plan_rec;

static int plan_rec_read(youth__imp *imp, plan_rec *r)
{
	memset(r, 0, sizeof *r);
	const char *v = ro_value(imp, "state");
	int rc = v ? state_by_name("state", v, &r->state) : YOUTH_OK;
	if (!v)
		r->state = YOUTH_PLAN_DRAFT; /* a new plan written by hand */
	if (rc || (rc = ro_date(imp, "state_date", &r->state_date)) ||
	    (rc = ro_date(imp, "approved_date", &r->approved_date)) ||
	    (rc = ro_date(imp, "submitted_date", &r->submitted_date)))
		return rc;
	r->reason = ro_value(imp, "reason");
	if ((v = ro_value(imp, "approved"))) {
		rc = youth__money_parse(v, &r->approved);
		if (rc == YOUTH_ERANGE_LARGE)
			return youth__error(YOUTH_EINVAL, "approved", "approved \"%.40s\": too large (at "
			                    "most 999999999999.99)", v);
		if (rc || r->approved <= 0)
			return youth__error(YOUTH_EINVAL, "approved",
			                    "approved \"%.40s\": expected an amount above 0.00 like 125.50", v);
	}
	int s = r->state;
	bool approved = s == YOUTH_PLAN_APPROVED || s >= YOUTH_PLAN_FUNDED;
	bool reason = s == YOUTH_PLAN_REJECTED || s == YOUTH_PLAN_CLOSED;
	/* (a draft's state date is its drafted date: checked after the replay) */
	if ((s != YOUTH_PLAN_DRAFT && (rc = state_key_rule("state_date", r->state_date, true, s))) ||
	    (rc = state_key_rule("approved", v, approved, s)) ||
	    (rc = state_key_rule("approved_date", r->approved_date, approved, s)) ||
	    (rc = state_key_rule("reason", r->reason, reason, s)))
		return rc;
	if (s == YOUTH_PLAN_DRAFT && r->submitted_date)
		return state_key_rule("submitted_date", r->submitted_date, false, s);
	const char *by = ro_value(imp, "override_by");
	r->ovr.reason = ro_value(imp, "override_reason");
	if (!by != !r->ovr.reason)
		return youth__error(YOUTH_EINVAL, by ? "override_reason" : "override_by",
		                    "%s: missing; an override names both its operator (override_by) and "
		                    "its reason (override_reason)", by ? "override_reason" : "override_by");
	if (by && s == YOUTH_PLAN_DRAFT)
		return state_key_rule("override_by", by, false, s);
	if (by) {
		if (!youth__uuid_valid(by))
			return youth__error(YOUTH_EINVAL, "override_by",
			                    "override_by \"%.40s\": not a UUID (the operator who overrode "
			                    "the eligibility rules)", by);
		static const char sql[] = "SELECT id FROM operator WHERE uuid = ?1";
		char norm[YOUTH_UUID_LEN + 1];
		snprintf(norm, sizeof norm, "%s", by);
		youth__uuid_norm(norm);
		sqlite3_stmt *st;
		bool found;
		youth_registry *reg = youth__imp_registry(imp);
		if ((rc = youth__stmt(reg, sql, &st)))
			return rc;
		sqlite3_bind_text(st, 1, norm, -1, SQLITE_TRANSIENT);
		if ((rc = youth__step_row(reg, st, &found, "finding an operator")))
			return rc;
		if (found)
			r->ovr.operator_id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (!found)
			return youth__error(YOUTH_ENOTFOUND, "override_by",
			                    "override_by \"%s\": no such operator UUID (neither in the "
			                    "registry nor earlier in the file)", norm);
		r->has_ovr = true;
	}
	return YOUTH_OK;
}

/* Re-raises the error of a replayed step against the file key that gave its value. */
static int replay_error(int rc, const char *key, const char *step, const char *date)
{
	char msg[600];
	snprintf(msg, sizeof msg, "%s", youth_error_last()->message);
	return youth__error(rc, key, "%s: replaying %s on %s: %s", key, step, date, msg);
}

/* The file key of a refused approval: its amount, or its date. */
static const char *approval_key(void)
{
	const char *field = youth_error_last()->field;
	return field && strcmp(field, "amount") == 0 ? "approved" : "approved_date";
}

/* What the registry holds of a plan's progress once a replay step has run. */
typedef struct plan_end {
	int state;
	const char *state_date, *approved_date, *reason;
	int64_t approved;
} plan_end;

/*
 * The appraisal and then the approval or rejection that plan_replay() would take from
 * submitted, as one read and one UPDATE of the final row instead of a read and a write per
 * step: most of a national file's plans are approved ones, and those steps were most of
 * their import.  Every step's rules are checked in transition()'s order with its
 * messages, and re-raised against the same key as the step; each reads back what the steps
 * before it wrote.  Not for an audited registry, whose trail keeps an entry per step.
 */
static int plan_decide(youth_registry *reg, int64_t id, int target, const plan_rec *r,
                       const char *decided, plan_end *end)
{
	const char *key = r->state == YOUTH_PLAN_APPRAISED ? "state_date" : "approved_date";
	const char *step = "the appraisal", *date = decided;
	int rc = youth__past_date_rule(date, "date");
	if (rc)
		return replay_error(rc, key, step, date);
	youth__write w;
	if ((rc = youth__write_begin_one(&w, reg, "appraise plan")))
		return replay_error(rc, key, step, date);
	plan_cur c = {0};
	rc = plan_state_load(reg, id, "id", &c);
	if (rc == YOUTH_OK) {
		/* youth_plan_appraise() */
		rc = youth__state_move(&youth__machine_plan, id, c.state, c.state_date,
		                       YOUTH_PLAN_APPRAISED, date);
		c.state = YOUTH_PLAN_APPRAISED;
		snprintf(c.state_date, sizeof c.state_date, "%s", date);
	}
	const char *reason = NULL;
	int64_t amount = 0;
	if (rc == YOUTH_OK && target == YOUTH_PLAN_APPROVED) {
		/* youth_plan_approve() */
		step = "the approval", date = r->approved_date, amount = r->approved;
		if ((rc = youth__past_date_rule(date, "date")) == YOUTH_OK &&
		    (rc = money_positive_rule("amount", amount)) == YOUTH_OK)
			rc = youth__state_move(&youth__machine_plan, id, c.state, c.state_date, target,
			                       date);
		if (rc == YOUTH_OK)
			rc = approval_rule(id, amount, c.requested);
		if (rc)
			key = approval_key();
	} else if (rc == YOUTH_OK && target == YOUTH_PLAN_REJECTED) {
		/* youth_plan_reject() */
		step = "the rejection", date = r->state_date, reason = r->reason, key = "state_date";
		if ((rc = youth__past_date_rule(date, "date")) == YOUTH_OK &&
		    (rc = youth__text_rule("reason", reason, REASON_MAX, true)) == YOUTH_OK)
			rc = youth__state_move(&youth__machine_plan, id, c.state, c.state_date, target,
			                       date);
	}
	if (rc == YOUTH_OK)
		rc = set_state(&w, id, target, date, reason, amount);
	if ((rc = youth__write_end(&w, rc)))
		return replay_error(rc, key, step, date);
	end->state = target;
	end->state_date = date;
	if (target == YOUTH_PLAN_APPROVED)
		end->approved = amount, end->approved_date = date;
	if (reason)
		end->reason = reason;
	return YOUTH_OK;
}

/*
 * Brings plan @id from state @from to the recorded state (approved at most: payments do the
 * rest), with the recorded dates and amounts.  The submission and appraisal dates are not
 * kept by the registry unless an override recorded them: the plan is submitted on its drafted
 * date if its applicant was eligible then, else on the appraisal date; it is appraised on the
 * day of the decision.  *moved tells whether a step was taken; @end, what the plan holds
 * after the steps taken (when it held @end before them).
 */
static int plan_replay(youth_registry *reg, int64_t id, int from, const youth_plan *p,
                       const plan_rec *r, bool *moved, plan_end *end)
{
	int target = r->state >= YOUTH_PLAN_FUNDED ? YOUTH_PLAN_APPROVED : r->state;
	int rc = YOUTH_OK;
	*moved = false;
	if (state_rank(from) > state_rank(target) ||
	    (state_rank(from) == state_rank(target) && from != target)) {
		if (from == r->state || (r->state >= YOUTH_PLAN_FUNDED && from >= YOUTH_PLAN_FUNDED &&
		                         state_rank(from) <= state_rank(r->state)))
			return YOUTH_OK; /* payments moved it on, or will */
		return youth__error(YOUTH_EEXISTS, "state",
		                    "state %s: plan %s is %s in the registry; a file cannot take a plan "
		                    "back or onto another branch", youth__voc_plan_state[r->state], p->uuid,
		                    youth__voc_plan_state[from]);
	}
	/* the decision day: approval, rejection or (appraised) the appraisal itself */
	const char *decided = r->state == YOUTH_PLAN_APPRAISED || r->state == YOUTH_PLAN_REJECTED
	                          ? r->state_date
	                          : r->approved_date;
	if (from == YOUTH_PLAN_DRAFT && target >= YOUTH_PLAN_SUBMITTED) {
		const youth_override *ovr = r->has_ovr ? &r->ovr : NULL;
		const char *key = r->submitted_date ? "submitted_date" : "state_date";
		const char *date = r->submitted_date ? r->submitted_date
		                   : target == YOUTH_PLAN_SUBMITTED ? r->state_date
		                                                    : p->drafted_date;
		bool failed_before = reg->bulk_failed;
		int changes = sqlite3_total_changes(reg->db);
		rc = youth_plan_submit(reg, id, date, ovr);
		if (rc == YOUTH_ERULE && !r->submitted_date && target > YOUTH_PLAN_SUBMITTED &&
		    strcmp(date, decided) != 0) {
			/* An applicant refused by the rules is refused before any row is written: in an
			 * import (bulk mode, no savepoint) the refusal leaves nothing half-written, and
			 * must not make the import refuse the record that the second try completes. */
			if (sqlite3_total_changes(reg->db) == changes)
				reg->bulk_failed = failed_before;
			date = decided;
			rc = youth_plan_submit(reg, id, date, ovr);
		}
		if (rc)
			return replay_error(rc, key, "the submission", date);
		from = YOUTH_PLAN_SUBMITTED;
		*moved = true;
		end->state = from, end->state_date = date;
	}
	/* An audited registry keeps one entry per step (docs/privacy.md): the steps are taken. */
	if (from == YOUTH_PLAN_SUBMITTED && target >= YOUTH_PLAN_APPRAISED && !reg->audit.on) {
		*moved = true;
		return plan_decide(reg, id, target, r, decided, end);
	}
	if (from == YOUTH_PLAN_SUBMITTED && target >= YOUTH_PLAN_APPRAISED) {
		if ((rc = youth_plan_appraise(reg, id, decided)))
			return replay_error(rc, r->state == YOUTH_PLAN_APPRAISED ? "state_date"
			                                                          : "approved_date",
			                    "the appraisal", decided);
		from = YOUTH_PLAN_APPRAISED;
		*moved = true;
		end->state = from, end->state_date = decided;
	}
	if (from == YOUTH_PLAN_APPRAISED && target == YOUTH_PLAN_APPROVED) {
		if ((rc = youth_plan_approve(reg, id, r->approved_date, r->approved)))
			return replay_error(rc, approval_key(), "the approval", r->approved_date);
		*moved = true;
		end->state = target, end->state_date = r->approved_date;
		end->approved = r->approved, end->approved_date = r->approved_date;
	} else if (from == YOUTH_PLAN_APPRAISED && target == YOUTH_PLAN_REJECTED) {
		if ((rc = youth_plan_reject(reg, id, r->state_date, r->reason)))
			return replay_error(rc, "state_date", "the rejection", r->state_date);
		*moved = true;
		end->state = target, end->state_date = r->state_date, end->reason = r->reason;
	}
	return YOUTH_OK;
}

/* After the replay the plan must read as the file says (for a funded or later plan: as
 * approved, with its approval).  Anything else is a record that contradicts itself. */
static int plan_verify_end(const plan_end *now, const plan_rec *r)
{
	const char *key = NULL, *want = NULL, *got = NULL;
	char a[32], b[32];
	bool later = r->state >= YOUTH_PLAN_FUNDED && now->state != r->state;
	if (now->state != r->state && !(later && (now->state == YOUTH_PLAN_APPROVED ||
	                                          now->state >= YOUTH_PLAN_FUNDED))) {
		key = "state", want = youth__voc_plan_state[r->state], got = youth__voc_plan_state[now->state];
	} else if (!later && r->state_date && strcmp(now->state_date, r->state_date) != 0) {
		key = "state_date", want = r->state_date, got = now->state_date;
	} else if (now->approved != r->approved) {
		youth__money_format(r->approved, a, sizeof a);
		youth__money_format(now->approved, b, sizeof b);
		key = "approved", want = a, got = b;
	} else if (r->approved_date && strcmp(now->approved_date, r->approved_date) != 0) {
		key = "approved_date", want = r->approved_date, got = now->approved_date;
	} else if (!later && r->reason && (!now->reason || strcmp(now->reason, r->reason) != 0)) {
		key = "reason", want = r->reason, got = now->reason ? now->reason : "none";
	}
	if (key)
		return youth__error(YOUTH_EINVAL, key, "%s \"%.60s\": the plan's history gives \"%.60s\" "
		                    "(the record contradicts itself)", key, want, got);
	return YOUTH_OK;
}

/* plan_verify_end() of the plan as the registry holds it. */
static int plan_verify(youth_registry *reg, int64_t id, const plan_rec *r)
{
	youth_plan *now = NULL;
	int rc = youth_plan_get(&now, reg, id);
	if (rc)
		return rc;
	plan_end e = {now->state, now->state_date, now->approved_date, now->reason, now->approved};
	rc = plan_verify_end(&e, r);
	youth_plan_free(now);
	return rc;
}

static int import_plan(youth__imp *imp, void *rec, int *done)
{
	youth_plan *p = rec;
	youth_registry *reg = youth__imp_registry(imp);
	plan_rec r;
	int rc = plan_rec_read(imp, &r);
	if (rc)
		return rc;
	int64_t id = 0;
	*done = YOUTH__IMP_ADDED;
	if (youth__imp_flags(imp) & YOUTH_IMPORT_UPSERT)
		rc = youth__id_by_uuid(reg, "SELECT id FROM enterprise_plan WHERE uuid = ?", p->uuid, &id);
	bool moved = false;
	plan_end end = {0};
	if (rc == YOUTH_OK && id == 0) {
		if ((rc = youth_plan_add(reg, p)))
			return rc;
		id = p->id;
		/* A new plan holds what the add wrote and the steps after it: no need to read it. */
		end = (plan_end){YOUTH_PLAN_DRAFT, p->drafted_date, NULL, NULL, 0};
		rc = plan_replay(reg, id, YOUTH_PLAN_DRAFT, p, &r, &moved, &end);
		return rc ? rc : plan_verify_end(&end, &r);
	} else if (rc == YOUTH_OK) {
		/* Upsert: the applicant, window, draft date and operator of a plan never change; its
		 * text and request may while it is a draft; its state only moves forward. */
		youth_plan *old = NULL;
		if ((rc = youth_plan_get(&old, reg, id)))
			return rc;
		const char *fixed = p->window != old->window ? "window"
		                    : p->person_id != old->person_id ? "person"
		                    : p->group_id != old->group_id ? "group"
		                    : p->operator_id != old->operator_id ? "operator"
		                    : !p->drafted_date || strcmp(p->drafted_date, old->drafted_date) != 0
		                        ? "drafted_date"
		                        : NULL;
		bool edited = !same_text(p->title, old->title) ||
		              !same_text(p->sector, old->sector) ||
		              !same_text(p->description, old->description) ||
		              p->requested != old->requested;
		int from = old->state;
		if (fixed)
			rc = youth__error(YOUTH_EEXISTS, fixed, "uuid %s: plan already in the registry with "
			                  "another %s (it cannot change)", old->uuid, fixed);
		else if (edited && from != YOUTH_PLAN_DRAFT)
			rc = youth__error(YOUTH_EEXISTS, "title", "uuid %s: plan already in the registry "
			                  "with other text or request, and only a draft may be edited (it "
			                  "is %s)", old->uuid, youth__voc_plan_state[from]);
		else if (edited) {
			p->id = id;
			rc = youth_plan_update(reg, p);
		}
		youth_plan_free(old);
		if (rc == YOUTH_OK)
			rc = plan_replay(reg, id, from, p, &r, &moved, &end);
		*done = edited || moved ? YOUTH__IMP_UPDATED : YOUTH__IMP_UNCHANGED;
	}
	return rc ? rc : plan_verify(reg, id, &r);
}

/* The last payment of a plan moves it on to what the plan's record says. */
static int import_disbursement(youth__imp *imp, void *rec, int *done)
{
	youth_plan_disbursement *d = rec;
	youth_registry *reg = youth__imp_registry(imp);
	const char *state_text = ro_value(imp, "plan_state");
	const char *reason = ro_value(imp, "plan_reason");
	const char *date;
	int state = 0;
	int rc = ro_date(imp, "plan_state_date", &date);
	if (rc == YOUTH_OK && state_text && (rc = state_by_name("plan_state", state_text, &state)))
		return rc;
	if (rc)
		return rc;
	if (state && state != YOUTH_PLAN_OPERATING && state != YOUTH_PLAN_CLOSED)
		return youth__error(YOUTH_EINVAL, "plan_state", "plan_state %s: a payment can only be "
		                    "followed by operating or closed", state_text);
	if (!state && (date || reason))
		return youth__error(YOUTH_EINVAL, date ? "plan_state_date" : "plan_reason",
		                    "%s: given without plan_state", date ? "plan_state_date"
		                                                         : "plan_reason");
	if (state && !date)
		return youth__error(YOUTH_EINVAL, "plan_state_date", "plan_state_date: missing (the "
		                    "date the plan became %s)", state_text);
	if (state == YOUTH_PLAN_OPERATING && reason)
		return youth__error(YOUTH_EINVAL, "plan_reason", "plan_reason: only a closure has one");
	if ((rc = import_fixed(imp, &fixed_disb, rec, done)) || !state)
		return rc;
	/* A payment just added leaves its plan funded (the add refuses any later state): only one
	 * already recorded may find the plan where the file says. */
	if (*done != YOUTH__IMP_ADDED) {
		youth_plan *p = NULL;
		if ((rc = youth_plan_get(&p, reg, d->plan_id)))
			return rc;
		bool there = p->state == state && strcmp(p->state_date, date) == 0 &&
		             (!reason || (p->reason && strcmp(p->reason, reason) == 0));
		youth_plan_free(p);
		if (there)
			return YOUTH_OK;
	}
	rc = state == YOUTH_PLAN_CLOSED ? youth_plan_close(reg, d->plan_id, date, reason)
	                                : youth_plan_set_operating(reg, d->plan_id, date);
	if (rc)
		return replay_error(rc, youth_error_last()->field &&
		                            strcmp(youth_error_last()->field, "reason") == 0
		                        ? "plan_reason"
		                        : "plan_state",
		                    state == YOUTH_PLAN_CLOSED ? "the closure" : "the start of operations",
		                    date);
	if (*done == YOUTH__IMP_UNCHANGED)
		*done = YOUTH__IMP_UPDATED;
	return YOUTH_OK;
}

YOUTH__SECTION(groups, "group", YOUTH_KIND_ENTERPRISE, youth__kind_group,
               YOUTH__SECTION_REFS(group_refs), .export_sql = SQL_EX_GROUPS,
               .import = import_group);

YOUTH__SECTION(group_members, "group member", YOUTH_KIND_ENTERPRISE, youth__kind_group_member,
               YOUTH__SECTION_REFS(member_refs), .export_sql = SQL_EX_MEMBERS,
               .import = import_member);

YOUTH__SECTION(plans, "plan", YOUTH_KIND_ENTERPRISE, youth__kind_plan, .extra_keys = plan_extra,
               YOUTH__SECTION_REFS(plan_refs), .export_sql = SQL_EX_PLANS, .import = import_plan);

YOUTH__SECTION(plan_disbursements, "disbursement", YOUTH_KIND_ENTERPRISE,
               youth__kind_plan_disbursement,
               .extra_keys = disb_extra, YOUTH__SECTION_REFS(disb_refs),
               .export_sql = SQL_EX_DISBURSEMENTS, .import = import_disbursement);

YOUTH__SECTION(plan_visits, "visit", YOUTH_KIND_ENTERPRISE, youth__kind_plan_visit,
               YOUTH__SECTION_REFS(visit_refs), .export_sql = SQL_EX_VISITS,
               .import = import_visit);

YOUTH__SECTION(business_services, "business service", YOUTH_KIND_ENTERPRISE,
               youth__kind_business_service,
               YOUTH__SECTION_REFS(service_refs), .export_sql = SQL_EX_SERVICES, .import = import_service);
