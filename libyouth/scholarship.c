/*
 * First-work scholarships: the application and its state machine, the placement with an
 * employer, the stipend schedule (entitlement) and the payments (what was paid).
 *
 * As in course.c: field tables drive the text interface and the copy of rows into one-block
 * records; the rules live in the validate_*() functions and in the state machine below; every
 * change goes through the single write path (youth__write_begin / _row / _end), so a refused
 * operation leaves the registry exactly as it was.  Money is int64 cents throughout; the
 * proration of partial months uses integer arithmetic only.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

/* ---- fields ------------------------------------------------------------------------------ */

#define REASON_MAX 500
#define HOURS_MAX 48

YOUTH__VOCAB_FN(youth_scholarship_state_name, youth__voc_scholarship_state)
YOUTH__VOCAB_FN(youth_scholarship_installment_state_name, youth__voc_installment_state)
YOUTH__VOCAB_FN(youth_scholarship_method_name, youth__voc_scholarship_method)

/* ---- shared helpers ---------------------------------------------------------------------- */

static void money(int64_t cents, char buf[32])
{
	youth__money_format(cents, buf, 32);
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* round(stipend * covered / days), halves up, in integers only. */
static int64_t prorate(int64_t stipend, int covered, int days)
{
	return (2 * stipend * covered + days) / (2 * (int64_t)days);
}

/* ---- typed record functions (private.h) ----------------------------------------------------- */

/* A placement is only written, an installment only read. */
YOUTH__RECORD_API(youth_scholarship, youth__kind_scholarship)
YOUTH__RECORD_INIT(youth_scholarship_placement, youth__kind_scholarship_placement)
YOUTH__RECORD_FIELD_NAME(youth_scholarship_placement, youth__kind_scholarship_placement)
YOUTH__RECORD_SET_FIELD(youth_scholarship_placement, youth__kind_scholarship_placement)
YOUTH__RECORD_FIELD_NAME(youth_scholarship_installment, youth__kind_scholarship_installment)
YOUTH__RECORD_GET_FIELD(youth_scholarship_installment, youth__kind_scholarship_installment)
YOUTH__RECORD_ITER(youth_scholarship_installment)
YOUTH__RECORD_API(youth_scholarship_payment, youth__kind_scholarship_payment)

/* ---- statements -------------------------------------------------------------------------- */

#define SCHOLARSHIP_COLS                                                                       \
	"id, uuid, person_id, operator_id, exchange_id, state, applied_date, state_date, "        \
	"coalesce(employer_id, 0), position, start_date, end_date, coalesce(hours_per_week, 0), " \
	"coalesce(monthly_stipend, 0), reason"
#define INSTALLMENT_COLS                                                                       \
	"id, uuid, scholarship_id, month, period_start, period_end, due_date, amount, state, "    \
	"cancelled_date"
#define PAYMENT_COLS                                                                           \
	"id, uuid, scholarship_id, operator_id, exchange_id, amount, paid_date, method, reference"

/* BETWEEN, not IN (1, 2, 3, 4): a list of more than two constants costs SQLite a temporary
 * B-tree each time the statement runs (schema.c, constant_lists_unrolled()). */
static const char SQL_OPEN_OF_PERSON[] =
	"SELECT id, state FROM scholarship WHERE person_id = ? AND state BETWEEN 1 AND 4 "
	"ORDER BY id LIMIT 1";
static const char SQL_CURRENT[] =
	"SELECT s.state, s.state_date, s.applied_date, s.start_date, s.end_date, "
	"coalesce(s.monthly_stipend, 0), "
	"(SELECT max(paid_date) FROM scholarship_payment p WHERE p.scholarship_id = s.id) "
	"FROM scholarship s WHERE s.id = ?";
static const char SQL_SET_STATE[] = YOUTH__SET_STATE_SQL("scholarship");
static const char SQL_SET_PLACEMENT[] =
	"UPDATE scholarship SET state = 3, state_date = ?2, employer_id = ?3, position = ?4, "
	"start_date = ?5, end_date = ?6, hours_per_week = ?7, monthly_stipend = ?8 WHERE id = ?1";
static const char SQL_INSTALLMENT_INSERT[] =
	"INSERT INTO scholarship_installment (scholarship_id, month, period_start, period_end, "
	"due_date, amount, state, uuid) VALUES (?1, substr(?2, 1, 7), ?2, ?3, ?3, ?4, 1, ?5)";
static const char SQL_INSTALLMENTS_AFTER[] =
	"SELECT id, period_start FROM scholarship_installment "
	"WHERE scholarship_id = ?1 AND state = 1 AND due_date > ?2 ORDER BY month";
static const char SQL_INSTALLMENT_CANCEL[] =
	"UPDATE scholarship_installment SET state = 2, cancelled_date = ?2 WHERE id = ?1";
/* Due by a date (installments not cancelled), paid (all payments), and whether it exists. */
static const char SQL_MONEY[] =
	"SELECT (SELECT coalesce(sum(amount), 0) FROM scholarship_installment "
	"        WHERE scholarship_id = ?1 AND state = 1 AND due_date <= ?2), "
	"(SELECT coalesce(sum(amount), 0) FROM scholarship_payment WHERE scholarship_id = ?1), "
	"EXISTS (SELECT 1 FROM scholarship WHERE id = ?1)";
static const char SQL_PAYMENT_BY_REF[] =
	"SELECT id, scholarship_id FROM scholarship_payment WHERE reference = ?";

/* ======================================================================================== */
/* ---- scholarships ------------------------------------------------------------------------ */


/* The person and the operator exist, and the person has no open scholarship. */
static int apply_check(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	const youth_scholarship *s = rec;
	youth__apply *v = ctx;
	(void)self;
	int rc = youth__person_ref(reg, s->person_id);
	if (rc == YOUTH_OK)
		rc = youth__operator_check(reg, s->operator_id, &v->exchange_id);
	sqlite3_stmt *st;
	bool found;
	int64_t other[2]; /* id, state */
	if (rc == YOUTH_OK && (rc = youth__stmt(reg, SQL_OPEN_OF_PERSON, &st)) == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, s->person_id);
		rc = youth__row_ints(other, 2, &found, reg, st, "finding a scholarship");
		if (rc == YOUTH_OK && found)
			rc = youth__error(YOUTH_EEXISTS, "person_id",
			                  "person_id %lld: already has scholarship %lld (%s)",
			                  (long long)s->person_id, (long long)other[0],
			                  youth_scholarship_state_name((int)other[1]));
	}
	return rc;
}

/* Applied for on its date, at the exchange of the operator who records it. */
static youth__binding apply_binding = YOUTH__BINDING(
	youth__kind_scholarship, "person_id,operator_id,applied_date,state_date=?3,state=1,@exchange_id");

static const youth__put scholarship_insert = {
	&youth__kind_scholarship, "scholarship", "apply for a scholarship",
	.what = "adding a scholarship", .check = apply_check, .fields = &apply_binding,
	.ctx_id_param = 4, .after = youth__apply_eligible, .fn = "youth_scholarship_apply",
};

int youth_scholarship_apply(youth_registry *reg, youth_scholarship *s,
                            const youth_override *override)
{
	youth__apply v = {0, override, &youth__kind_scholarship, YOUTH_PROGRAMME_SCHOLARSHIP};
	int rc = youth__rec_add(reg, &scholarship_insert, s, &v);
	if (rc == YOUTH_OK) {
		s->state = YOUTH_SCHOLARSHIP_APPLIED;
		s->state_date = s->applied_date;
		s->employer_id = 0;
		s->position = s->start_date = s->end_date = s->reason = NULL;
		s->hours_per_week = 0;
		s->monthly_stipend = 0;
	}
	return rc;
}

/* What a state change or a payment needs to know about a scholarship. */
typedef struct current {
	int state;
	char state_date[YOUTH_DATE_LEN + 1];
	char applied_date[YOUTH_DATE_LEN + 1];
	char start_date[YOUTH_DATE_LEN + 1];
	char end_date[YOUTH_DATE_LEN + 1];
	int64_t stipend;
	char last_paid[YOUTH_DATE_LEN + 1]; /* "" when nothing was paid */
} current;

static int load_current(youth_registry *reg, int64_t id, const char *field, current *cur)
{
	sqlite3_stmt *st;
	int rc = youth__row_of(&st, reg, SQL_CURRENT, id, field, "scholarship",
	                       "reading a scholarship");
	if (rc)
		return rc;
	youth__row_cols(st, "iddddId", &cur->state, cur->state_date, cur->applied_date,
	                cur->start_date, cur->end_date, &cur->stipend, cur->last_paid);
	return YOUTH_OK;
}

static int validate_placement(const youth_scholarship_placement *p)
{
	int rc;
	if (!p)
		return youth__error(YOUTH_EINVAL, "placement", "placement: missing (required to activate)");
	char none[YOUTH_UUID_LEN + 1]; /* a placement is no record of its own: no uuid */
	if ((rc = youth__rec_rules(&youth__kind_scholarship_placement, p, none)))
		return rc;
	if (strcmp(p->end_date, p->start_date) < 0)
		return youth__error(YOUTH_EINVAL, "end_date", "end_date \"%s\": before start_date \"%s\"",
		                    p->end_date, p->start_date);
	youth__date a, b;
	youth__date_parse(p->start_date, &a);
	youth__date_parse(p->end_date, &b);
	int months = (b.y * 12 + b.m) - (a.y * 12 + a.m) + 1;
	if (months > YOUTH_SCHOLARSHIP_MAX_MONTHS)
		return youth__error(YOUTH_EINVAL, "end_date",
		                    "end_date \"%s\": the placement from %s spans %d calendar months "
		                    "(at most %d)", p->end_date, p->start_date, months,
		                    YOUTH_SCHOLARSHIP_MAX_MONTHS);
	if (p->hours_per_week < 1 || p->hours_per_week > HOURS_MAX)
		return youth__error(YOUTH_EINVAL, "hours_per_week",
		                    p->hours_per_week ? "hours_per_week %d: must be 1-48"
		                                      : "hours_per_week: missing (1-48)",
		                    p->hours_per_week);
	char m[32];
	money(p->monthly_stipend, m);
	if (p->monthly_stipend > YOUTH_SCHOLARSHIP_MAX_STIPEND)
		return youth__error(YOUTH_EINVAL, "monthly_stipend",
		                    "monthly_stipend %s: more than the maximum 10000.00", m);
	return YOUTH_OK;
}

/* Inserts one installment per calendar month of the placement. */
static int generate_schedule(youth__write *w, int64_t id, const youth_scholarship_placement *p)
{
	youth_registry *reg = w->reg;
	youth__date a, b;
	youth__date_parse(p->start_date, &a);
	youth__date_parse(p->end_date, &b);
	int rc = YOUTH_OK;
	for (int y = a.y, m = a.m; rc == YOUTH_OK && (y * 12 + m) <= (b.y * 12 + b.m);) {
		int dim = days_in_month(y, m);
		youth__date from = {y, m, (y == a.y && m == a.m) ? a.d : 1};
		youth__date to = {y, m, (y == b.y && m == b.m) ? b.d : dim};
		char from_s[YOUTH_DATE_LEN + 1], to_s[YOUTH_DATE_LEN + 1], uuid[YOUTH_UUID_LEN + 1];
		youth__date_format(&from, from_s);
		youth__date_format(&to, to_s);
		int64_t amount = prorate(p->monthly_stipend, to.d - from.d + 1, dim);
		sqlite3_stmt *st;
		if ((rc = youth__uuid_new(uuid)) == YOUTH_OK &&
		    (rc = youth__stmt(reg, SQL_INSTALLMENT_INSERT, &st)) == YOUTH_OK) {
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_text(st, 2, from_s, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 3, to_s, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 4, amount);
			sqlite3_bind_text(st, 5, uuid, YOUTH_UUID_LEN, SQLITE_TRANSIENT);
			rc = youth__step_done(reg, st, "adding an installment");
			if (rc == YOUTH_OK)
				youth__write_row(w, "scholarship_installment", sqlite3_last_insert_rowid(reg->db),
				                 'c');
		}
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	return rc;
}

/* Cancels the installments due after @date; the one of the month of @date (if it runs past
 * @date) is replaced by one prorated up to @date. */
static int cancel_after(youth__write *w, int64_t id, const char *date, int64_t stipend)
{
	youth_registry *reg = w->reg;
	struct {
		int64_t id;
		char start[YOUTH_DATE_LEN + 1];
	} rows[YOUTH_SCHOLARSHIP_MAX_MONTHS + 1];
	int n = 0;
	sqlite3_stmt *st;
	int rc = youth__stmt_key_texts(&st, reg, SQL_INSTALLMENTS_AFTER, id, 1, &date);
	if (rc)
		return rc;
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW && n < (int)YOUTH__N_OF(rows)) {
		rows[n].id = sqlite3_column_int64(st, 0);
		youth__col_text(st, 1, rows[n].start, sizeof rows[n].start);
		n++;
	}
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		rc = youth__sqlite_error(reg->db, s, "reading installments");
	sqlite3_reset(st);
	for (int i = 0; rc == YOUTH_OK && i < n; i++) {
		if ((rc = youth__stmt(reg, SQL_INSTALLMENT_CANCEL, &st)))
			break;
		sqlite3_bind_int64(st, 1, rows[i].id);
		sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
		if ((rc = youth__step_done(reg, st, "cancelling an installment")))
			break;
		youth__write_row(w, "scholarship_installment", rows[i].id, 'u');
		if (strcmp(rows[i].start, date) > 0)
			continue; /* wholly after the termination */
		youth__date a, t;
		youth__date_parse(rows[i].start, &a);
		youth__date_parse(date, &t);
		char uuid[YOUTH_UUID_LEN + 1];
		int64_t amount = prorate(stipend, t.d - a.d + 1, days_in_month(a.y, a.m));
		if ((rc = youth__uuid_new(uuid)) || (rc = youth__stmt(reg, SQL_INSTALLMENT_INSERT, &st)))
			break;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, rows[i].start, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, amount);
		sqlite3_bind_text(st, 5, uuid, YOUTH_UUID_LEN, SQLITE_TRANSIENT);
		if ((rc = youth__step_done(reg, st, "replacing an installment")))
			break;
		youth__write_row(w, "scholarship_installment", sqlite3_last_insert_rowid(reg->db), 'c');
	}
	return rc;
}

/* The one state-change path: checks, then the update and its consequences, in one write. */
/* Parameters 3-8 of SQL_SET_PLACEMENT. */
static youth__binding placement_binding =
	YOUTH__BINDING(youth__kind_scholarship_placement,
	               "employer_id,position,start_date,end_date,hours_per_week,monthly_stipend");

static int transition(youth_registry *reg, const char *fn, int64_t id, int to, const char *date,
                      const char *reason, const youth_scholarship_placement *p)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL registry", fn);
	int rc;
	if ((rc = youth__id_rule(id, "scholarship")))
		return rc;
	bool needs_reason = to == YOUTH_SCHOLARSHIP_TERMINATED || to == YOUTH_SCHOLARSHIP_REJECTED;
	if (needs_reason && (rc = youth__text_rule("reason", reason, REASON_MAX, true)))
		return rc;
	if ((rc = youth__past_date_rule(date, "date")))
		return rc;
	if (to == YOUTH_SCHOLARSHIP_ACTIVE && (rc = validate_placement(p)))
		return rc;
	/* Activation writes the schedule and termination cancels installments; the other changes
	 * are one UPDATE of the scholarship. */
	bool one = to != YOUTH_SCHOLARSHIP_ACTIVE && to != YOUTH_SCHOLARSHIP_TERMINATED;
	youth__write w;
	if ((rc = (one ? youth__write_begin_one : youth__write_begin)(&w, reg,
	                                                              "change scholarship state")))
		return rc;
	current cur;
	rc = load_current(reg, id, "id", &cur);
	if (rc == YOUTH_OK)
		rc = youth__state_move(&youth__machine_scholarship, id, cur.state, cur.state_date, to,
		                       date);
	sqlite3_stmt *st;
	if (rc == YOUTH_OK && to == YOUTH_SCHOLARSHIP_ACTIVE) {
		if (strcmp(p->start_date, cur.applied_date) < 0)
			rc = youth__error(YOUTH_EINVAL, "start_date",
			                  "start_date \"%s\": before the application on %s", p->start_date,
			                  cur.applied_date);
		if (rc == YOUTH_OK)
			rc = youth__row_by_id(reg, youth__by_id(employer), p->employer_id, "employer_id",
			                      "employer", NULL);
	}
	if (rc == YOUTH_OK && to == YOUTH_SCHOLARSHIP_COMPLETED && strcmp(date, cur.end_date) < 0)
		rc = youth__error(YOUTH_EINVAL, "date",
		                  "date \"%s\": before the end of the placement (%s); end it early with "
		                  "terminate", date, cur.end_date);
	if (rc == YOUTH_OK && to == YOUTH_SCHOLARSHIP_TERMINATED && cur.last_paid[0] &&
	    strcmp(date, cur.last_paid) < 0)
		rc = youth__error(YOUTH_EINVAL, "date",
		                  "date \"%s\": before the last payment, made on %s", date,
		                  cur.last_paid);
	if (rc == YOUTH_OK && to == YOUTH_SCHOLARSHIP_ACTIVE &&
	    (rc = youth__stmt(reg, SQL_SET_PLACEMENT, &st)) == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, id);
		youth__bind_text(st, 2, date);
		rc = youth__rec_bind(st, 3, &placement_binding, p);
		if (rc == YOUTH_OK)
			rc = youth__step_done(reg, st, "activating a scholarship");
		if (rc == YOUTH_OK)
			rc = generate_schedule(&w, id, p);
	} else if (rc == YOUTH_OK && (rc = youth__stmt(reg, SQL_SET_STATE, &st)) == YOUTH_OK) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, to);
		youth__bind_text(st, 3, date);
		youth__bind_text(st, 4, needs_reason ? reason : NULL);
		rc = youth__step_done(reg, st, "changing a scholarship's state");
		if (rc == YOUTH_OK && to == YOUTH_SCHOLARSHIP_TERMINATED)
			rc = cancel_after(&w, id, date, cur.stipend);
	}
	if (rc == YOUTH_OK)
		youth__write_row(&w, "scholarship", id, 'u');
	return youth__write_end(&w, rc);
}

/* The public moves (documented in youth/scholarship.h): youth_scholarship_<verb>() goes to
 * state @to, passing its reason and placement, or NULL; its parameters after the date follow
 * the empty argument. */
#define MOVE(verb, to, reason, p, ...)                                                         \
	int youth_scholarship_##verb(youth_registry *reg, int64_t id, const char *date __VA_ARGS__) \
	{                                                                                          \
		return transition(reg, "youth_scholarship_" #verb, id, to, date, reason, p);           \
	}
MOVE(award, YOUTH_SCHOLARSHIP_AWARDED, NULL, NULL, )
MOVE(reject, YOUTH_SCHOLARSHIP_REJECTED, reason, NULL, , const char *reason)
MOVE(activate, YOUTH_SCHOLARSHIP_ACTIVE, NULL, p, , const youth_scholarship_placement *p)
MOVE(complete, YOUTH_SCHOLARSHIP_COMPLETED, NULL, NULL, )
MOVE(terminate, YOUTH_SCHOLARSHIP_TERMINATED, reason, NULL, , const char *reason)
#undef MOVE

YOUTH__RECORD_GET(youth_scholarship, youth__kind_scholarship, youth__by_id(scholarship))

YOUTH__RECORD_LIST2(youth_scholarship, youth__kind_scholarship, "listing scholarships",
                    "SELECT " SCHOLARSHIP_COLS " FROM scholarship"
                    " WHERE (?1 = 0 OR person_id = ?1) AND (?2 = 0 OR employer_id = ?2)"
                    " ORDER BY id",
                    person_id, employer_id)

/* ---- money ------------------------------------------------------------------------------- */

/* Installments due by @date (not cancelled) and all payments of scholarship @id. */
static int money_of(youth_registry *reg, int64_t id, const char *date, int64_t *due,
                    int64_t *paid)
{
	sqlite3_stmt *st;
	int rc = youth__stmt_key_texts(&st, reg, SQL_MONEY, id, 1, &date);
	if (rc)
		return rc;
	bool found;
	int64_t v[3]; /* due, paid, whether the scholarship exists */
	if ((rc = youth__row_ints(v, 3, &found, reg, st, "computing a balance")))
		return rc;
	*due = v[0];
	*paid = v[1];
	if (!v[2])
		return youth__error(YOUTH_ENOTFOUND, "id", "scholarship %lld: no such scholarship",
		                    (long long)id);
	return YOUTH_OK;
}

int youth_scholarship_balance(youth_scholarship_balance_info *out, youth_registry *reg,
                              int64_t id)
{
	if (out)
		memset(out, 0, sizeof *out);
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_scholarship_balance: NULL %s",
		                    out ? "registry" : "output");
	int rc;
	if ((rc = youth__id_rule(id, "scholarship")))
		return rc;
	int64_t due, paid;
	if ((rc = money_of(reg, id, "9999-12-31", &due, &paid)))
		return rc;
	out->owed_total = due;
	out->paid_total = paid;
	out->balance = due - paid;
	return YOUTH_OK;
}

int youth_scholarship_payable(int64_t *payable, youth_registry *reg, int64_t id,
                              const char *date)
{
	if (payable)
		*payable = 0;
	if (!reg || !payable)
		return youth__error(YOUTH_EINVAL, NULL, "youth_scholarship_payable: NULL argument");
	int rc;
	if ((rc = youth__id_rule(id, "scholarship")) || (rc = youth_date_check(date, "date")))
		return rc;
	int64_t due, paid;
	if ((rc = money_of(reg, id, date, &due, &paid)))
		return rc;
	*payable = due > paid ? due - paid : 0;
	return YOUTH_OK;
}

/* ---- installments ------------------------------------------------------------------------ */

int youth_scholarship_installment_iter_new(youth_scholarship_installment_iter **out,
                                           youth_registry *reg, int64_t scholarship_id)
{
	if (out)
		*out = NULL;
	if (!out || !reg)
		return youth__error(YOUTH_EINVAL, NULL,
		                    "youth_scholarship_installment_iter_new: NULL argument");
	int rc;
	if ((rc = youth__ref_rule("scholarship_id", scholarship_id)))
		return rc;
	return youth__rec_iter_new(out, reg, &youth__kind_scholarship_installment,
	                           "listing installments",
	                           "SELECT " INSTALLMENT_COLS " FROM scholarship_installment"
	                           " WHERE scholarship_id = ?1 ORDER BY month, id", 1, &scholarship_id);
}

/* ---- payments ---------------------------------------------------------------------------- */

/* What the field table cannot say (youth__rec_add has applied it). */
static int payment_rules(youth_registry *reg, const void *rec, void *ctx)
{
	const youth_scholarship_payment *p = rec;
	(void)reg, (void)ctx;
	if (!youth_scholarship_method_name(p->method))
		return youth__error(YOUTH_EINVAL, "method",
		                    p->method ? "method %d: not one of cash, transfer, cheque"
		                              : "method: missing (cash, transfer or cheque)",
		                    p->method);
	return YOUTH_OK;
}

/* The scholarship is being paid, the operator may record it, the reference is new and the
 * amount is payable on the date; the operator's exchange goes to *@ctx. */
static int payment_check(youth_registry *reg, const void *rec, void *ctx, int64_t self)
{
	const youth_scholarship_payment *p = rec;
	current cur;
	(void)self;
	int rc = load_current(reg, p->scholarship_id, "scholarship_id", &cur);
	if (rc == YOUTH_OK && cur.state == YOUTH_SCHOLARSHIP_TERMINATED)
		rc = youth__error(YOUTH_ESTATE, "state",
		                  "scholarship %lld: terminated on %s; a terminated scholarship is not "
		                  "paid", (long long)p->scholarship_id, cur.state_date);
	else if (rc == YOUTH_OK && cur.state != YOUTH_SCHOLARSHIP_ACTIVE &&
	         cur.state != YOUTH_SCHOLARSHIP_COMPLETED)
		rc = youth__error(YOUTH_ESTATE, "state",
		                  "scholarship %lld: state %s; only active or completed scholarships are "
		                  "paid", (long long)p->scholarship_id,
		                  youth_scholarship_state_name(cur.state));
	if (rc == YOUTH_OK)
		rc = youth__operator_check(reg, p->operator_id, ctx);
	sqlite3_stmt *st;
	bool found;
	int64_t other[2]; /* the payment, its scholarship */
	if (rc == YOUTH_OK && (rc = youth__stmt(reg, SQL_PAYMENT_BY_REF, &st)) == YOUTH_OK) {
		youth__bind_text(st, 1, p->reference);
		rc = youth__row_ints(other, 2, &found, reg, st, "finding a payment");
		if (rc == YOUTH_OK && found)
			rc = youth__error(YOUTH_EEXISTS, "reference",
			                  "reference \"%s\": already used by payment %lld of scholarship "
			                  "%lld", p->reference, (long long)other[0], (long long)other[1]);
	}
	int64_t due = 0, paid = 0;
	if (rc == YOUTH_OK)
		rc = money_of(reg, p->scholarship_id, p->paid_date, &due, &paid);
	if (rc == YOUTH_OK && p->amount > due - paid) {
		char a[32], d[32], pd[32], b[32];
		money(p->amount, a);
		money(due, d);
		money(paid, pd);
		money(due > paid ? due - paid : 0, b);
		rc = youth__error(YOUTH_ERULE, "amount",
		                  "amount %s: more than payable on %s for scholarship %lld (due by then "
		                  "%s, paid %s, payable %s)", a, p->paid_date,
		                  (long long)p->scholarship_id, d, pd, b);
	}
	return rc;
}

static youth__binding payment_binding =
	YOUTH__BINDING(youth__kind_scholarship_payment,
	               "scholarship_id,operator_id,amount,paid_date,method,reference,@exchange_id");

static const youth__put payment_insert = {
	&youth__kind_scholarship_payment, "scholarship_payment", "pay a scholarship",
	.what = "adding a payment", .check = payment_check, .fields = &payment_binding,
	.ctx_id_param = 7, .one = true, .prepare = payment_rules, .fn = "youth_scholarship_pay",
};

int youth_scholarship_pay(youth_registry *reg, youth_scholarship_payment *p)
{
	int64_t exchange_id = 0;
	return youth__rec_add(reg, &payment_insert, p, &exchange_id);
}

int youth_scholarship_payment_get(youth_scholarship_payment **out, youth_registry *reg,
                                  int64_t id)
{
	return youth__rec_get(out, reg, &youth__kind_scholarship_payment,
	                      youth__by_id(scholarship_payment), id,
	                      "youth_scholarship_payment_get");
}

YOUTH__RECORD_LIST1(youth_scholarship_payment, youth__kind_scholarship_payment, "listing payments",
                    "SELECT " PAYMENT_COLS " FROM scholarship_payment"
                    " WHERE ?1 = 0 OR scholarship_id = ?1 ORDER BY paid_date, id", scholarship_id)

/* ---- interchange (interchange.c) --------------------------------------------------------- */

/*
 * A scholarship is imported by replaying its state machine with the recorded dates: apply on
 * applied_date, then award, activate (with the placement), complete, terminate or reject.  Only
 * the date of the last change is stored (state_date), so the steps before it are replayed on
 * applied_date; the stored row comes out the same.  The stipend schedule is derived from the
 * placement and the termination date, so it is not a section: activation and termination
 * rebuild it.  A terminated scholarship refuses payments, and its payments come later in the
 * file: when it had been paid, the termination is replayed by its last payment, which carries
 * `terminates_scholarship: <date>` and `termination_reason`, and the scholarship itself says
 * how many payments to expect (`payments`).
 */

/* A scholarship is exported with its person, when applied for within the dates. */
#define SCHOLARSHIP_IN(s)                                                                   \
	"(?2 IS NULL OR " s ".applied_date >= ?2) AND (?3 IS NULL OR " s ".applied_date <= ?3)"   \
	" AND " YOUTH__EXPORT_PERSON_IN("pp", "ppl")

static const char SQL_EXPORT_SCHOLARSHIPS[] =
	"SELECT s.id, s.uuid, pp.uuid, (SELECT uuid FROM operator WHERE id = s.operator_id), NULL, "
	"s.state, s.applied_date, s.state_date, (SELECT uuid FROM employer WHERE id = s.employer_id), "
	"s.position, s.start_date, s.end_date, s.hours_per_week, s.monthly_stipend, s.reason, "
	"(SELECT o.uuid FROM eligibility_override e JOIN operator o ON o.id = e.operator_id"
	" WHERE e.service = 'scholarship' AND e.service_id = s.id ORDER BY e.id LIMIT 1), "
	"(SELECT e.reason FROM eligibility_override e WHERE e.service = 'scholarship'"
	" AND e.service_id = s.id ORDER BY e.id LIMIT 1), "
	"nullif((SELECT count(*) FROM scholarship_payment p WHERE p.scholarship_id = s.id), 0)"
	" FROM scholarship s JOIN person pp ON pp.id = s.person_id"
	" JOIN place ppl ON ppl.id = pp.place_id WHERE " SCHOLARSHIP_IN("s") " ORDER BY s.id";

static const char SQL_EXPORT_PAYMENTS[] =
	"SELECT p.id, p.uuid, s.uuid, (SELECT uuid FROM operator WHERE id = p.operator_id), NULL, "
	"p.amount, p.paid_date, p.method, p.reference, "
	"CASE WHEN s.state = 5 AND s.employer_id IS NOT NULL AND p.id = (SELECT max(q.id)"
	" FROM scholarship_payment q WHERE q.scholarship_id = s.id) THEN s.state_date END, "
	"CASE WHEN s.state = 5 AND s.employer_id IS NOT NULL AND p.id = (SELECT max(q.id)"
	" FROM scholarship_payment q WHERE q.scholarship_id = s.id) THEN s.reason END"
	" FROM scholarship_payment p JOIN scholarship s ON s.id = p.scholarship_id"
	" JOIN person pp ON pp.id = s.person_id JOIN place ppl ON ppl.id = pp.place_id"
	" WHERE " SCHOLARSHIP_IN("s") " ORDER BY p.id";

static const char *const scholarship_extra[] = {"override_by", "override_reason", "payments",
                                                NULL};
static const char *const payment_extra[] = {"terminates_scholarship", "termination_reason",
                                            NULL};

static const youth__ref scholarship_refs[] = {
	YOUTH__REF_PERSON,
	YOUTH__REF_OPERATOR,
	YOUTH__REF_EMPLOYER,
};
static const youth__ref payment_refs[] = {
	{"scholarship_id", "scholarship", "SELECT id FROM scholarship WHERE uuid = ?1", NULL, NULL},
	YOUTH__REF_OPERATOR,
};

static const char SQL_SCHOLARSHIP_BY_UUID[] = "SELECT id FROM scholarship WHERE uuid = ?1";
static const char SQL_PAYMENT_BY_UUID[] = "SELECT id FROM scholarship_payment WHERE uuid = ?1";

/* What a scholarship record of the file says beyond its writable fields. */
typedef struct recorded {
	int state;
	const char *state_date;
	const char *reason;
	bool placed; /* a placement is given */
	youth_scholarship_placement pl;
	long long payments;
} recorded;

static const char *const placement_keys[] = {"position", "start_date", "end_date",
                                             "hours_per_week", "monthly_stipend"};

/* Reads the read-only keys and checks that they fit the state they come with. */
static int read_recorded(youth__imp *imp, const youth_scholarship *s, recorded *r)
{
	const char *text = youth__imp_value(imp, "state");
	int rc;
	memset(r, 0, sizeof *r);
	r->state = YOUTH_SCHOLARSHIP_APPLIED;
	if (text) {
		r->state = 0;
		for (int i = 1; youth__voc_scholarship_state[i]; i++)
			if (strcmp(youth__voc_scholarship_state[i], text) == 0)
				r->state = i;
		if (r->state == 0)
			return youth__error(YOUTH_EINVAL, "state", "state \"%.40s\": not a scholarship state "
			                    "(applied, awarded, active, completed, terminated, rejected)",
			                    text);
	}
	const char *state = youth__voc_scholarship_state[r->state];
	r->state_date = youth__imp_value(imp, "state_date");
	r->reason = youth__imp_value(imp, "reason");
	if (!r->state_date)
		r->state_date = s->applied_date;
	else if ((rc = youth_date_check(r->state_date, "state_date")))
		return rc;
	if (r->state == YOUTH_SCHOLARSHIP_APPLIED && r->state_date && s->applied_date &&
	    strcmp(r->state_date, s->applied_date) != 0)
		return youth__error(YOUTH_ESTATE, "state_date", "state_date \"%s\": an applied "
		                    "scholarship's last change is its application on %s", r->state_date,
		                    s->applied_date);
	/* The placement: all its keys or none. */
	int given = s->employer_id != 0;
	r->pl.employer_id = s->employer_id;
	for (size_t i = 0; i < YOUTH__N_OF(placement_keys); i++) {
		const char *v = youth__imp_value(imp, placement_keys[i]);
		if (!v)
			continue;
		given++;
		if ((rc = youth__rec_set_field(&youth__kind_scholarship_placement, &r->pl, placement_keys[i], v)))
			return rc;
	}
	r->placed = given > 0;
	if (given && given != (int)YOUTH__N_OF(placement_keys) + 1) {
		const char *missing = s->employer_id ? NULL : "employer";
		for (size_t i = 0; !missing && i < YOUTH__N_OF(placement_keys); i++)
			if (!youth__imp_value(imp, placement_keys[i]))
				missing = placement_keys[i];
		return youth__error(YOUTH_EINVAL, strcmp(missing, "employer") ? missing : "employer_id",
		                    "%s: missing (a placement gives employer, position, start_date, "
		                    "end_date, hours_per_week and monthly_stipend)", missing);
	}
	bool needs_placement = r->state == YOUTH_SCHOLARSHIP_ACTIVE ||
	                       r->state == YOUTH_SCHOLARSHIP_COMPLETED;
	bool may_place = needs_placement || r->state == YOUTH_SCHOLARSHIP_TERMINATED;
	if (needs_placement && !r->placed)
		return youth__error(YOUTH_ESTATE, "state", "state %s: no placement given (an %s "
		                    "scholarship has employer, position, dates, hours and stipend)",
		                    state, state);
	if (!may_place && r->placed)
		return youth__error(YOUTH_ESTATE, "employer_id", "placement given to a scholarship in "
		                    "state %s (only active, completed or terminated ones have one)", state);
	bool needs_reason = r->state == YOUTH_SCHOLARSHIP_TERMINATED ||
	                    r->state == YOUTH_SCHOLARSHIP_REJECTED;
	if (needs_reason && !r->reason)
		return youth__error(YOUTH_ESTATE, "reason", "reason: missing (required for a %s "
		                    "scholarship)", state);
	if (!needs_reason && r->reason)
		return youth__error(YOUTH_ESTATE, "reason", "reason given to a scholarship in state %s "
		                    "(only terminated or rejected ones have one)", state);
	const char *count = youth__imp_value(imp, "payments");
	if (count && youth__parse_int(count, 0, INT32_MAX, &r->payments))
		return youth__error(YOUTH_EINVAL, "payments", "payments \"%.20s\": not a count", count);
	if (r->payments && !r->placed)
		return youth__error(YOUTH_ESTATE, "payments", "payments %lld: a scholarship in state %s "
		                    "without a placement is never paid", r->payments, state);
	return YOUTH_OK;
}

/* The path from applied to each state, as the steps after the application. */
static int steps_to(const recorded *r, int out[3])
{
	int n = 0;
	switch (r->state) {
	case YOUTH_SCHOLARSHIP_REJECTED:
		out[n++] = YOUTH_SCHOLARSHIP_REJECTED;
		break;
	case YOUTH_SCHOLARSHIP_AWARDED:
	case YOUTH_SCHOLARSHIP_ACTIVE:
	case YOUTH_SCHOLARSHIP_COMPLETED:
	case YOUTH_SCHOLARSHIP_TERMINATED:
		out[n++] = YOUTH_SCHOLARSHIP_AWARDED;
		if (r->placed)
			out[n++] = YOUTH_SCHOLARSHIP_ACTIVE;
		if (r->state == YOUTH_SCHOLARSHIP_COMPLETED || r->state == YOUTH_SCHOLARSHIP_TERMINATED)
			out[n++] = r->state;
		break;
	}
	return n;
}

/* Replays the steps after state @from; the last one on state_date, the others on
 * applied_date.  A paid termination is left to the last payment. */
static int replay(youth_registry *reg, int64_t id, const char *applied, int from,
                  const recorded *r)
{
	int steps[3];
	int n = steps_to(r, steps), i = 0, rc = YOUTH_OK;
	while (i < n && from != YOUTH_SCHOLARSHIP_APPLIED && steps[i] != from)
		i++;
	if (from != YOUTH_SCHOLARSHIP_APPLIED)
		i++; /* @from is reached: go on after it */
	for (; rc == YOUTH_OK && i < n; i++) {
		const char *date = i == n - 1 ? r->state_date : applied;
		switch (steps[i]) {
		case YOUTH_SCHOLARSHIP_AWARDED:
			rc = youth_scholarship_award(reg, id, date);
			break;
		case YOUTH_SCHOLARSHIP_REJECTED:
			rc = youth_scholarship_reject(reg, id, date, r->reason);
			break;
		case YOUTH_SCHOLARSHIP_ACTIVE:
			rc = youth_scholarship_activate(reg, id, date, &r->pl);
			break;
		case YOUTH_SCHOLARSHIP_COMPLETED:
			rc = youth_scholarship_complete(reg, id, date);
			break;
		case YOUTH_SCHOLARSHIP_TERMINATED:
			if (!r->placed || r->payments == 0)
				rc = youth_scholarship_terminate(reg, id, date, r->reason);
			break;
		}
		if (rc) {
			/* The API names `date`; in the file it is the state's date. */
			const youth_error *e = youth_error_last();
			char msg[600];
			snprintf(msg, sizeof msg, "%s", e->message);
			const char *field = e->field && strcmp(e->field, "date") ? e->field : "state_date";
			rc = youth__error(rc, field, "replaying %s on %s: %s",
			                  youth_scholarship_state_name(steps[i]), date, msg);
		}
	}
	return rc;
}

static int import_scholarship(youth__imp *imp, void *rec, int *done)
{
	youth_scholarship *s = rec;
	youth_registry *reg = youth__imp_registry(imp);
	recorded r;
	youth_override ovr = {0};
	const youth_override *o;
	int rc = read_recorded(imp, s, &r);
	if (rc == YOUTH_OK)
		rc = youth__imp_override(imp, &ovr, &o);
	if (rc)
		return rc;
	*done = YOUTH__IMP_ADDED;
	int64_t id;
	if ((rc = youth__imp_existing(imp, SQL_SCHOLARSHIP_BY_UUID, s->uuid, &id)))
		return rc;
	if (id == 0) {
		/* apply() keeps only the writable fields; the rest is reached by the replay. */
		if ((rc = youth_scholarship_apply(reg, s, o)) == YOUTH_OK)
			rc = replay(reg, s->id, s->applied_date, YOUTH_SCHOLARSHIP_APPLIED, &r);
		return rc;
	}

	youth_scholarship *old = NULL;
	if ((rc = youth_scholarship_get(&old, reg, id)))
		return rc;
	s->state = r.state;
	s->state_date = r.state_date;
	s->position = r.pl.position;
	s->start_date = r.pl.start_date;
	s->end_date = r.pl.end_date;
	s->hours_per_week = r.pl.hours_per_week;
	s->monthly_stipend = r.pl.monthly_stipend;
	s->reason = r.reason;
	bool paid_termination = r.state == YOUTH_SCHOLARSHIP_TERMINATED && r.placed && r.payments;
	if (youth__rec_meets(&youth__kind_scholarship, s, old, id)) {
		*done = YOUTH__IMP_UNCHANGED;
		youth_scholarship_free(old);
		return YOUTH_OK;
	}
	/* Moving on along the state machine is the one change a scholarship allows. */
	int steps[3];
	int n = steps_to(&r, steps);
	bool on_path = old->state == YOUTH_SCHOLARSHIP_APPLIED;
	for (int i = 0; i < n - 1 && !on_path; i++)
		on_path = steps[i] == old->state;
	if (paid_termination && old->state == YOUTH_SCHOLARSHIP_ACTIVE)
		on_path = true; /* the termination waits for the last payment */
	bool same_base = old->person_id == s->person_id && old->operator_id == s->operator_id &&
	                 strcmp(old->applied_date, s->applied_date) == 0;
	bool same_placement = !old->employer_id ||
	                      (old->employer_id == s->employer_id &&
	                       strcmp(old->position, s->position) == 0 &&
	                       strcmp(old->start_date, s->start_date) == 0 &&
	                       strcmp(old->end_date, s->end_date) == 0 &&
	                       old->hours_per_week == s->hours_per_week &&
	                       old->monthly_stipend == s->monthly_stipend);
	if (!on_path || !same_base || !same_placement)
		rc = youth__error(YOUTH_EEXISTS, "uuid", "uuid %s: scholarship %lld (%s since %s) differs "
		                  "from the file in a way its state machine cannot reach", s->uuid,
		                  (long long)id, youth_scholarship_state_name(old->state),
		                  old->state_date);
	else if (paid_termination && old->state == YOUTH_SCHOLARSHIP_ACTIVE)
		*done = YOUTH__IMP_UNCHANGED;
	else if ((rc = replay(reg, id, s->applied_date, old->state, &r)) == YOUTH_OK)
		*done = YOUTH__IMP_UPDATED;
	youth_scholarship_free(old);
	return rc;
}

static int import_payment(youth__imp *imp, void *rec, int *done)
{
	youth_scholarship_payment *p = rec;
	youth_registry *reg = youth__imp_registry(imp);
	const char *ends = youth__imp_value(imp, "terminates_scholarship");
	const char *why = youth__imp_value(imp, "termination_reason");
	int rc = YOUTH_OK;
	if (!ends != !why)
		return youth__error(YOUTH_EINVAL, ends ? "termination_reason" : "terminates_scholarship",
		                    "%s: missing (a termination gives its date and its reason)",
		                    ends ? "termination_reason" : "terminates_scholarship");
	if (ends && (rc = youth_date_check(ends, "terminates_scholarship")))
		return rc;
	*done = YOUTH__IMP_ADDED;
	int64_t id;
	if ((rc = youth__imp_existing(imp, SQL_PAYMENT_BY_UUID, p->uuid, &id)))
		return rc;
	if (id == 0) {
		rc = youth_scholarship_pay(reg, p);
	} else {
		youth_scholarship_payment *old = NULL;
		if ((rc = youth_scholarship_payment_get(&old, reg, id)))
			return rc;
		if (youth__rec_meets(&youth__kind_scholarship_payment, p, old, id))
			*done = YOUTH__IMP_UNCHANGED;
		else
			rc = youth__error(YOUTH_EEXISTS, "uuid", "uuid %s: payment %lld differs from the "
			                  "file (a payment is never changed)", p->uuid, (long long)id);
		youth_scholarship_payment_free(old);
	}
	if (rc || !ends)
		return rc;
	current cur;
	if ((rc = load_current(reg, p->scholarship_id, "scholarship_id", &cur)))
		return rc;
	if (cur.state == YOUTH_SCHOLARSHIP_TERMINATED && strcmp(cur.state_date, ends) == 0)
		return YOUTH_OK; /* an upsert of a scholarship terminated before */
	if ((rc = youth_scholarship_terminate(reg, p->scholarship_id, ends, why))) {
		char msg[600];
		snprintf(msg, sizeof msg, "%s", youth_error_last()->message);
		rc = youth__error(rc, "terminates_scholarship", "terminates_scholarship \"%s\": %s",
		                  ends, msg);
	}
	return rc;
}

YOUTH__SECTION(scholarships, "scholarship", YOUTH_KIND_SCHOLARSHIPS, youth__kind_scholarship,
               .extra_keys = scholarship_extra, YOUTH__SECTION_REFS(scholarship_refs),
               .export_sql = SQL_EXPORT_SCHOLARSHIPS, .import = import_scholarship);

YOUTH__SECTION(scholarship_payments, "scholarship payment", YOUTH_KIND_SCHOLARSHIPS,
               youth__kind_scholarship_payment,
               .extra_keys = payment_extra, YOUTH__SECTION_REFS(payment_refs),
               .export_sql = SQL_EXPORT_PAYMENTS, .import = import_payment);
