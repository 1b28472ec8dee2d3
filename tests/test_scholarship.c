/* Tests of youth/scholarship.h: applications, the state machine (every pair of states),
 * placements and the generated stipend schedule (exact proration), termination cancelling
 * installments, payments and their rules, balances, iterators, field access by name,
 * eligibility with overrides, out-of-memory, and that every refused call leaves the registry
 * unchanged. */
#define _GNU_SOURCE
#include "helpers.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define APPLIED "2009-04-20"
#define AWARDED "2009-05-04"
#define ACTIVATED "2009-05-15"
#define START "2009-05-18"
#define END "2009-08-10"
#define STIPEND 30000 /* 300.00 */

/* ---- fixture ------------------------------------------------------------------------------ */

typedef struct fx {
	TH_FX_HEAD; /* first, for th_fx_setup() and th_fx_teardown() */
	int64_t exchange_id;
	int64_t operator_id; /* active */
	int64_t inactive_id;
	int64_t employer_id;
	int64_t employer2_id;
} fx;

static void populate(th_fx *head)
{
	fx *f = (fx *)head;
	th_add_staffed_exchange(f->reg, YOUTH_ROLE_PLACEMENT, YOUTH_ROLE_PLACEMENT, &f->exchange_id,
	                        &f->operator_id, &f->inactive_id);

	youth_employer e;
	youth_employer_init(&e);
	e.name = "Almacenes del Occidente";
	e.sector = "retail";
	assert_ok(youth_employer_add(f->reg, &e));
	f->employer_id = e.id;
	youth_employer_init(&e);
	e.name = "Hotel Acajutla";
	e.sector = "hotels and restaurants";
	assert_ok(youth_employer_add(f->reg, &e));
	f->employer2_id = e.id;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static void valid_scholarship(fx *f, youth_scholarship *s, int64_t person)
{
	youth_scholarship_init(s);
	s->person_id = person;
	s->operator_id = f->operator_id;
	s->applied_date = APPLIED;
}

static void valid_placement(fx *f, youth_scholarship_placement *p)
{
	youth_scholarship_placement_init(p);
	p->employer_id = f->employer_id;
	p->position = "Dependiente de ventas";
	p->start_date = START;
	p->end_date = END;
	p->hours_per_week = 40;
	p->monthly_stipend = STIPEND;
}

static int64_t apply_new(fx *f)
{
	youth_scholarship s;
	valid_scholarship(f, &s, th_new_person(f->reg));
	assert_ok(youth_scholarship_apply(f->reg, &s, NULL));
	assert_true(s.id > 0);
	return s.id;
}

static void valid_payment(fx *f, youth_scholarship_payment *p, int64_t sch, int64_t amount,
                          const char *date, const char *ref)
{
	youth_scholarship_payment_init(p);
	p->scholarship_id = sch;
	p->operator_id = f->operator_id;
	p->amount = amount;
	p->paid_date = date;
	p->method = YOUTH_SCHOLARSHIP_METHOD_TRANSFER;
	p->reference = ref;
}

/* A new scholarship brought to @state by the documented path. */
static int64_t reach(fx *f, int state)
{
	int64_t id = apply_new(f);
	youth_scholarship_placement p;
	valid_placement(f, &p);
	switch (state) {
	case YOUTH_SCHOLARSHIP_APPLIED:
		break;
	case YOUTH_SCHOLARSHIP_REJECTED:
		assert_ok(youth_scholarship_reject(f->reg, id, "2009-04-25", "no first-work profile"));
		break;
	case YOUTH_SCHOLARSHIP_AWARDED:
		assert_ok(youth_scholarship_award(f->reg, id, AWARDED));
		break;
	case YOUTH_SCHOLARSHIP_ACTIVE:
	case YOUTH_SCHOLARSHIP_COMPLETED:
	case YOUTH_SCHOLARSHIP_TERMINATED:
		assert_ok(youth_scholarship_award(f->reg, id, AWARDED));
		assert_ok(youth_scholarship_activate(f->reg, id, ACTIVATED, &p));
		if (state == YOUTH_SCHOLARSHIP_COMPLETED)
			assert_ok(youth_scholarship_complete(f->reg, id, END));
		if (state == YOUTH_SCHOLARSHIP_TERMINATED)
			assert_ok(youth_scholarship_terminate(f->reg, id, "2009-06-15", "left the job"));
		break;
	default:
		fail_msg("reach: state %d", state);
	}
	return id;
}

TH_GET_FN(get_sch, youth_scholarship, fx)

static int sch_state(fx *f, int64_t id)
{
	youth_scholarship *s = get_sch(f, id);
	int st = s->state;
	youth_scholarship_free(s);
	return st;
}

static int64_t count_installments(youth_registry *reg, int64_t sch, int only_state)
{
	youth_scholarship_installment_iter *it = NULL;
	const youth_scholarship_installment *i;
	int64_t n = 0;
	int rc;
	assert_ok(youth_scholarship_installment_iter_new(&it, reg, sch));
	while ((rc = youth_scholarship_installment_next(&i, it)) == YOUTH_OK)
		if (!only_state || i->state == only_state)
			n++;
	assert_int_equal(rc, YOUTH_ITEROVER);
	youth_scholarship_installment_iter_free(it);
	return n;
}

TH_COUNT_FN(count_payments, youth_scholarship_payment, (youth_registry *reg), (reg, 0))

/* Everything a refused call must leave as it was, besides persons and changes. */
static void tally(th_fx *head, th_values *out)
{
	int64_t scholarships = 0, installments = 0, cancelled = 0;
	youth_scholarship_iter *it = NULL;
	const youth_scholarship *s;
	int rc;
	assert_ok(youth_scholarship_iter_new(&it, head->reg, 0, 0));
	while ((rc = youth_scholarship_next(&s, it)) == YOUTH_OK) {
		scholarships++;
		installments += count_installments(head->reg, s->id, 0);
		cancelled +=
			count_installments(head->reg, s->id, YOUTH_SCHOLARSHIP_INSTALLMENT_CANCELLED);
	}
	assert_int_equal(rc, YOUTH_ITEROVER);
	youth_scholarship_iter_free(it);
	th_values_num(out, "scholarships", scholarships);
	th_values_num(out, "installments", installments);
	th_values_num(out, "cancelled", cancelled);
	th_values_num(out, "payments", count_payments(head->reg));
}

static void balance_is(fx *f, int64_t id, int64_t owed, int64_t paid)
{
	youth_scholarship_balance_info bal = {-1, -1, -1};
	assert_ok(youth_scholarship_balance(&bal, f->reg, id));
	assert_int_equal(bal.owed_total, owed);
	assert_int_equal(bal.paid_total, paid);
	assert_int_equal(bal.balance, owed - paid);
}

/* Expected installment. */
typedef struct inst {
	const char *month, *start, *end;
	int64_t amount;
	int state;
	const char *cancelled;
} inst;

static void check_schedule(fx *f, int64_t id, const inst *want, size_t n)
{
	youth_scholarship_installment_iter *it = NULL;
	const youth_scholarship_installment *i;
	assert_ok(youth_scholarship_installment_iter_new(&it, f->reg, id));
	size_t k = 0;
	int rc;
	while ((rc = youth_scholarship_installment_next(&i, it)) == YOUTH_OK) {
		assert_true(k < n);
		assert_int_equal(i->scholarship_id, id);
		assert_uuid(i->uuid);
		assert_string_equal(i->month, want[k].month);
		assert_string_equal(i->period_start, want[k].start);
		assert_string_equal(i->period_end, want[k].end);
		assert_string_equal(i->due_date, want[k].end);
		if (i->amount != want[k].amount)
			fail_msg("installment %s: amount %lld, expected %lld", want[k].month,
			         (long long)i->amount, (long long)want[k].amount);
		assert_int_equal(i->state, want[k].state);
		if (want[k].cancelled)
			assert_string_equal(i->cancelled_date, want[k].cancelled);
		else
			assert_null(i->cancelled_date);
		k++;
	}
	assert_int_equal(rc, YOUTH_ITEROVER);
	assert_int_equal(youth_scholarship_installment_next(&i, it), YOUTH_ITEROVER); /* latched */
	youth_scholarship_installment_iter_free(it);
	assert_int_equal(k, n);
}

#define DUE YOUTH_SCHOLARSHIP_INSTALLMENT_DUE
#define CANC YOUTH_SCHOLARSHIP_INSTALLMENT_CANCELLED

/* ======================================================================================== */

static void test_apply_get(void **state)
{
	fx *f = *state;
	int64_t person = th_new_person(f->reg);
	youth_scholarship s;
	valid_scholarship(f, &s, person);
	s.state = YOUTH_SCHOLARSHIP_ACTIVE; /* read-only: ignored */
	s.reason = "ignored";
	assert_ok(youth_scholarship_apply(f->reg, &s, NULL));
	assert_true(s.id > 0);
	assert_uuid(s.uuid);
	assert_int_equal(s.state, YOUTH_SCHOLARSHIP_APPLIED);
	assert_int_equal(s.exchange_id, f->exchange_id);
	assert_string_equal(s.state_date, APPLIED);
	assert_null(s.reason);

	youth_scholarship *g = get_sch(f, s.id);
	assert_int_equal(g->id, s.id);
	assert_string_equal(g->uuid, s.uuid);
	assert_int_equal(g->person_id, person);
	assert_int_equal(g->operator_id, f->operator_id);
	assert_int_equal(g->exchange_id, f->exchange_id);
	assert_int_equal(g->state, YOUTH_SCHOLARSHIP_APPLIED);
	assert_string_equal(g->applied_date, APPLIED);
	assert_string_equal(g->state_date, APPLIED);
	assert_int_equal(g->employer_id, 0);
	assert_null(g->position);
	assert_null(g->start_date);
	assert_null(g->end_date);
	assert_int_equal(g->hours_per_week, 0);
	assert_int_equal(g->monthly_stipend, 0);
	assert_null(g->reason);
	youth_scholarship_free(g);
	youth_scholarship_free(NULL);
	balance_is(f, s.id, 0, 0);
	assert_int_equal(count_installments(f->reg, s.id, 0), 0);

	/* a given UUID is kept (lower-cased) */
	youth_scholarship u;
	valid_scholarship(f, &u, th_new_person(f->reg));
	strcpy(u.uuid, "0190F0B2-7C1D-7A3B-8C4D-5E6F70819203");
	assert_ok(youth_scholarship_apply(f->reg, &u, NULL));
	assert_string_equal(u.uuid, "0190f0b2-7c1d-7a3b-8c4d-5e6f70819203");

	youth_scholarship *none = (youth_scholarship *)1;
	assert_rc(youth_scholarship_get(&none, f->reg, 9999), YOUTH_ENOTFOUND);
	assert_null(none);
	assert_msg_has("scholarship 9999: no such scholarship");
	assert_rc(youth_scholarship_get(NULL, f->reg, 1), YOUTH_EINVAL);
	assert_rc(youth_scholarship_get(&none, NULL, 1), YOUTH_EINVAL);
	assert_int_equal(youth_scholarship_state_name(YOUTH_SCHOLARSHIP_REJECTED)[0], 'r');
	assert_string_equal(youth_scholarship_state_name(YOUTH_SCHOLARSHIP_AWARDED), "awarded");
	assert_null(youth_scholarship_state_name(0));
	assert_null(youth_scholarship_state_name(7));
	assert_null(youth_scholarship_state_name(-1));
}

static void test_apply_invalid(void **state)
{
	fx *f = *state;
	int64_t person = th_new_person(f->reg);
	youth_scholarship s;
	char future[11];
	th_today_utc(future, 2);

	EXPECT_FAIL(f, youth_scholarship_apply(NULL, &s, NULL), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_scholarship_apply(f->reg, NULL, NULL), YOUTH_EINVAL, NULL);

	valid_scholarship(f, &s, 0);
	EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &s, NULL), YOUTH_EINVAL, "person_id");
	assert_msg_has("person_id: missing");
	valid_scholarship(f, &s, -4);
	EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &s, NULL), YOUTH_EINVAL, "person_id");
	valid_scholarship(f, &s, person);
	s.operator_id = 0;
	EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &s, NULL), YOUTH_EINVAL, "operator_id");
	static const char *bad_dates[] = {"2009-02-30", "2009/04/20", "20-04-2009", "", "2009-4-20"};
	for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
		valid_scholarship(f, &s, person);
		s.applied_date = bad_dates[i];
		EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &s, NULL), YOUTH_EINVAL, "applied_date");
	}
	valid_scholarship(f, &s, person);
	s.applied_date = NULL;
	EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &s, NULL), YOUTH_EINVAL, "applied_date");
	s.applied_date = future;
	EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &s, NULL), YOUTH_EINVAL, "applied_date");
	assert_msg_has("in the future");
	valid_scholarship(f, &s, person);
	strcpy(s.uuid, "not-a-uuid");
	EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &s, NULL), YOUTH_EINVAL, "uuid");

	valid_scholarship(f, &s, 4242);
	EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &s, NULL), YOUTH_ENOTFOUND, "person_id");
	assert_msg_has("person_id 4242");
	valid_scholarship(f, &s, person);
	s.operator_id = 777;
	EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &s, NULL), YOUTH_ENOTFOUND, "operator_id");
	s.operator_id = f->inactive_id;
	EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &s, NULL), YOUTH_ERULE, "operator_id");
	assert_msg_has("inactive");

	/* one scholarship at a time: applied, awarded, active, completed block a new one */
	valid_scholarship(f, &s, person);
	assert_ok(youth_scholarship_apply(f->reg, &s, NULL));
	int64_t first = s.id;
	char uuid[YOUTH_UUID_LEN + 1];
	strcpy(uuid, s.uuid);
	valid_scholarship(f, &s, person);
	EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &s, NULL), YOUTH_EEXISTS, "person_id");
	char msg[120];
	snprintf(msg, sizeof msg, "already has scholarship %lld (applied)", (long long)first);
	assert_msg_has(msg);
	/* a taken UUID */
	valid_scholarship(f, &s, th_new_person(f->reg));
	strcpy(s.uuid, uuid);
	EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &s, NULL), YOUTH_EEXISTS, "uuid");
	/* after a rejection, the person may apply again */
	assert_ok(youth_scholarship_reject(f->reg, first, "2009-04-22", "incomplete file"));
	valid_scholarship(f, &s, person);
	assert_ok(youth_scholarship_apply(f->reg, &s, NULL));
	/* completed blocks for good; terminated does not */
	for (int st = YOUTH_SCHOLARSHIP_AWARDED; st <= YOUTH_SCHOLARSHIP_TERMINATED; st++) {
		int64_t id = reach(f, st);
		youth_scholarship *g = get_sch(f, id);
		youth_scholarship again;
		valid_scholarship(f, &again, g->person_id);
		again.applied_date = "2009-08-20";
		if (st == YOUTH_SCHOLARSHIP_TERMINATED)
			assert_ok(youth_scholarship_apply(f->reg, &again, NULL));
		else
			EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &again, NULL), YOUTH_EEXISTS,
			            "person_id");
		youth_scholarship_free(g);
	}
}

static void test_state_table(void **state)
{
	fx *f = *state;
	static const int ok[7][7] = {
		[YOUTH_SCHOLARSHIP_APPLIED] = {[YOUTH_SCHOLARSHIP_AWARDED] = 1,
		                               [YOUTH_SCHOLARSHIP_REJECTED] = 1},
		[YOUTH_SCHOLARSHIP_AWARDED] = {[YOUTH_SCHOLARSHIP_ACTIVE] = 1,
		                               [YOUTH_SCHOLARSHIP_TERMINATED] = 1},
		[YOUTH_SCHOLARSHIP_ACTIVE] = {[YOUTH_SCHOLARSHIP_COMPLETED] = 1,
		                              [YOUTH_SCHOLARSHIP_TERMINATED] = 1},
	};
	static const char *allowed_text[7] = {
		NULL,
		"; allowed from applied: awarded, rejected",
		"; allowed from awarded: active, terminated",
		"; allowed from active: completed, terminated",
		"; nothing is allowed from completed (a final state)",
		"; nothing is allowed from terminated (a final state)",
		"; nothing is allowed from rejected (a final state)",
	};
	int valid = 0, refused = 0;
	youth_scholarship_placement p;
	valid_placement(f, &p);
	const char *date = "2009-08-10"; /* after every reach() date, the placement end */
	for (int from = 1; from <= 6; from++) {
		for (int to = 2; to <= 6; to++) {
			int64_t id = reach(f, from);
			youth_scholarship *before = get_sch(f, id);
			th_values cb;
			th_tally(&f->th, &cb);
			int rc;
			switch (to) {
			case YOUTH_SCHOLARSHIP_AWARDED:
				rc = youth_scholarship_award(f->reg, id, date);
				break;
			case YOUTH_SCHOLARSHIP_ACTIVE:
				rc = youth_scholarship_activate(f->reg, id, date, &p);
				break;
			case YOUTH_SCHOLARSHIP_COMPLETED:
				rc = youth_scholarship_complete(f->reg, id, date);
				break;
			case YOUTH_SCHOLARSHIP_TERMINATED:
				rc = youth_scholarship_terminate(f->reg, id, date, "the reason");
				break;
			default:
				rc = youth_scholarship_reject(f->reg, id, date, "the reason");
				break;
			}
			youth_scholarship *after = get_sch(f, id);
			if (ok[from][to]) {
				if (rc != YOUTH_OK)
					fail_msg("%s -> %s refused: %s", youth_scholarship_state_name(from),
					         youth_scholarship_state_name(to), youth_error_last()->message);
				assert_int_equal(after->state, to);
				assert_string_equal(after->state_date, date);
				if (to == YOUTH_SCHOLARSHIP_TERMINATED || to == YOUTH_SCHOLARSHIP_REJECTED)
					assert_string_equal(after->reason, "the reason");
				else
					assert_null(after->reason);
				valid++;
			} else {
				if (rc != YOUTH_ESTATE)
					fail_msg("%s -> %s: expected ESTATE, got %s: %s",
					         youth_scholarship_state_name(from), youth_scholarship_state_name(to),
					         youth_error_name(rc), youth_error_last()->message);
				char expect[160];
				snprintf(expect, sizeof expect, "scholarship %lld: cannot go from %s to %s%s",
				         (long long)id, youth_scholarship_state_name(from),
				         youth_scholarship_state_name(to), allowed_text[from]);
				assert_string_equal(youth_error_last()->message, expect);
				assert_err_field("state");
				assert_int_equal(after->state, before->state);
				assert_string_equal(after->state_date, before->state_date);
				assert_true(th_streq(after->reason, before->reason));
				assert_int_equal(after->employer_id, before->employer_id);
				th_tally_check(&f->th, &cb, __FILE__, __LINE__);
				refused++;
			}
			youth_scholarship_free(before);
			youth_scholarship_free(after);
		}
	}
	assert_int_equal(valid, 6);
	assert_int_equal(refused, 24);
}

static void test_transition_errors(void **state)
{
	fx *f = *state;
	int64_t id = apply_new(f);
	char future[11];
	th_today_utc(future, 3);
	EXPECT_FAIL(f, youth_scholarship_award(NULL, id, AWARDED), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_scholarship_award(f->reg, 0, AWARDED), YOUTH_EINVAL, "id");
	EXPECT_FAIL(f, youth_scholarship_award(f->reg, -3, AWARDED), YOUTH_EINVAL, "id");
	EXPECT_FAIL(f, youth_scholarship_award(f->reg, 9999, AWARDED), YOUTH_ENOTFOUND, "id");
	assert_msg_has("scholarship 9999: no such scholarship");
	EXPECT_FAIL(f, youth_scholarship_award(f->reg, id, NULL), YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_scholarship_award(f->reg, id, "2009-13-01"), YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_scholarship_award(f->reg, id, "yesterday"), YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_scholarship_award(f->reg, id, future), YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_scholarship_award(f->reg, id, "2009-04-19"), YOUTH_EINVAL, "date");
	assert_msg_has("before the scholarship's last state change (applied on 2009-04-20)");
	/* reasons */
	EXPECT_FAIL(f, youth_scholarship_reject(f->reg, id, AWARDED, NULL), YOUTH_EINVAL, "reason");
	EXPECT_FAIL(f, youth_scholarship_reject(f->reg, id, AWARDED, "  "), YOUTH_EINVAL, "reason");
	char *longr = th_repeat('x', 501);
	EXPECT_FAIL(f, youth_scholarship_reject(f->reg, id, AWARDED, longr), YOUTH_EINVAL, "reason");
	EXPECT_FAIL(f, youth_scholarship_reject(f->reg, id, AWARDED, "bad \x01 text"), YOUTH_EINVAL,
	            "reason");
	free(longr);
	assert_int_equal(sch_state(f, id), YOUTH_SCHOLARSHIP_APPLIED);
	/* same day is fine */
	assert_ok(youth_scholarship_award(f->reg, id, APPLIED));

	/* terminate: reason required; not before the last payment */
	int64_t act = reach(f, YOUTH_SCHOLARSHIP_ACTIVE);
	EXPECT_FAIL(f, youth_scholarship_terminate(f->reg, act, "2009-06-15", NULL), YOUTH_EINVAL,
	            "reason");
	youth_scholarship_payment pay;
	valid_payment(f, &pay, act, 13548, "2009-06-05", "TR-0001");
	assert_ok(youth_scholarship_pay(f->reg, &pay));
	EXPECT_FAIL(f, youth_scholarship_terminate(f->reg, act, "2009-06-04", "left"), YOUTH_EINVAL,
	            "date");
	assert_msg_has("before the last payment, made on 2009-06-05");
	/* complete: not before the placement's end */
	EXPECT_FAIL(f, youth_scholarship_complete(f->reg, act, "2009-08-09"), YOUTH_EINVAL, "date");
	assert_msg_has("before the end of the placement (2009-08-10)");
	EXPECT_FAIL(f, youth_scholarship_complete(f->reg, act, "2009-05-14"), YOUTH_EINVAL, "date");
	assert_int_equal(sch_state(f, act), YOUTH_SCHOLARSHIP_ACTIVE);
	assert_ok(youth_scholarship_complete(f->reg, act, "2009-08-12"));
}

static void test_activate_errors(void **state)
{
	fx *f = *state;
	int64_t id = reach(f, YOUTH_SCHOLARSHIP_AWARDED);
	youth_scholarship_placement p;
#define BAD(mutate, code, field)                                                               \
	do {                                                                                       \
		valid_placement(f, &p);                                                                \
		mutate;                                                                                \
		EXPECT_FAIL(f, youth_scholarship_activate(f->reg, id, ACTIVATED, &p), code, field);     \
		assert_int_equal(sch_state(f, id), YOUTH_SCHOLARSHIP_AWARDED);                         \
	} while (0)
	EXPECT_FAIL(f, youth_scholarship_activate(f->reg, id, ACTIVATED, NULL), YOUTH_EINVAL,
	            "placement");
	BAD(p.employer_id = 0, YOUTH_EINVAL, "employer_id");
	BAD(p.employer_id = -1, YOUTH_EINVAL, "employer_id");
	BAD(p.employer_id = 999, YOUTH_ENOTFOUND, "employer_id");
	assert_msg_has("employer_id 999: no such employer");
	BAD(p.position = NULL, YOUTH_EINVAL, "position");
	BAD(p.position = "", YOUTH_EINVAL, "position");
	BAD(p.start_date = "2009-06-31", YOUTH_EINVAL, "start_date");
	BAD(p.start_date = NULL, YOUTH_EINVAL, "start_date");
	BAD(p.end_date = "2009-8-10", YOUTH_EINVAL, "end_date");
	BAD(p.end_date = "2009-05-17", YOUTH_EINVAL, "end_date");
	assert_msg_has("before start_date \"2009-05-18\"");
	BAD(p.end_date = "2011-05-01", YOUTH_EINVAL, "end_date"); /* 25 calendar months */
	assert_msg_has("spans 25 calendar months (at most 24)");
	BAD(p.start_date = "2009-04-19", YOUTH_EINVAL, "start_date");
	assert_msg_has("before the application on 2009-04-20");
	BAD(p.hours_per_week = 0, YOUTH_EINVAL, "hours_per_week");
	BAD(p.hours_per_week = 49, YOUTH_EINVAL, "hours_per_week");
	assert_msg_has("hours_per_week 49: must be 1-48");
	BAD(p.hours_per_week = -1, YOUTH_EINVAL, "hours_per_week");
	BAD(p.monthly_stipend = 0, YOUTH_EINVAL, "monthly_stipend");
	BAD(p.monthly_stipend = -5000, YOUTH_EINVAL, "monthly_stipend");
	assert_msg_has("monthly_stipend -50.00: must be more than 0.00");
	BAD(p.monthly_stipend = YOUTH_SCHOLARSHIP_MAX_STIPEND + 1, YOUTH_EINVAL, "monthly_stipend");
#undef BAD
	/* boundaries accepted: 24 months, 48 hours, the maximum stipend */
	valid_placement(f, &p);
	p.end_date = "2011-04-30";
	p.hours_per_week = 48;
	p.monthly_stipend = YOUTH_SCHOLARSHIP_MAX_STIPEND;
	assert_ok(youth_scholarship_activate(f->reg, id, ACTIVATED, &p));
	assert_int_equal(count_installments(f->reg, id, 0), 24);
	youth_scholarship *s = get_sch(f, id);
	assert_int_equal(s->state, YOUTH_SCHOLARSHIP_ACTIVE);
	assert_int_equal(s->employer_id, f->employer_id);
	assert_string_equal(s->position, "Dependiente de ventas");
	assert_string_equal(s->start_date, START);
	assert_string_equal(s->end_date, "2011-04-30");
	assert_int_equal(s->hours_per_week, 48);
	assert_int_equal(s->monthly_stipend, YOUTH_SCHOLARSHIP_MAX_STIPEND);
	assert_string_equal(s->state_date, ACTIVATED);
	youth_scholarship_free(s);
}

static int64_t activate_with(fx *f, const char *start, const char *end, int64_t stipend)
{
	int64_t id = reach(f, YOUTH_SCHOLARSHIP_AWARDED);
	youth_scholarship_placement p;
	valid_placement(f, &p);
	p.start_date = start;
	p.end_date = end;
	p.monthly_stipend = stipend;
	assert_ok(youth_scholarship_activate(f->reg, id, ACTIVATED, &p));
	return id;
}

static void test_schedule(void **state)
{
	fx *f = *state;
	/* 300.00 from 2009-05-18 to 2009-08-10:
	 *   May: 14 of 31 days: (2*30000*14 + 31) / 62 = 13548  (13548.39)
	 *   June, July: whole months: 30000
	 *   August: 10 of 31 days: (2*30000*10 + 31) / 62 = 9677  (9677.42) */
	int64_t id = activate_with(f, START, END, STIPEND);
	const inst want[] = {
		{"2009-05", "2009-05-18", "2009-05-31", 13548, DUE, NULL},
		{"2009-06", "2009-06-01", "2009-06-30", 30000, DUE, NULL},
		{"2009-07", "2009-07-01", "2009-07-31", 30000, DUE, NULL},
		{"2009-08", "2009-08-01", "2009-08-10", 9677, DUE, NULL},
	};
	check_schedule(f, id, want, 4);
	balance_is(f, id, 13548 + 30000 + 30000 + 9677, 0);

	/* halves round up: 250.05 for 1 of 30 days is 833.5 -> 834; 1 of 31 is 806.6 -> 807 */
	id = activate_with(f, "2009-06-30", "2009-07-01", 25005);
	const inst half[] = {
		{"2009-06", "2009-06-30", "2009-06-30", 834, DUE, NULL},
		{"2009-07", "2009-07-01", "2009-07-01", 807, DUE, NULL},
	};
	check_schedule(f, id, half, 2);
	balance_is(f, id, 834 + 807, 0);

	/* a leap February: 15 of 29 days of 300.00 = 15517.24 -> 15517 */
	id = activate_with(f, "2012-02-15", "2012-02-29", STIPEND);
	const inst feb[] = {{"2012-02", "2012-02-15", "2012-02-29", 15517, DUE, NULL}};
	check_schedule(f, id, feb, 1);

	/* within one month; across a year; a one-day placement; a tiny stipend */
	id = activate_with(f, "2009-05-10", "2009-05-20", STIPEND);
	const inst one[] = {{"2009-05", "2009-05-10", "2009-05-20", 10645, DUE, NULL}};
	check_schedule(f, id, one, 1);
	id = activate_with(f, "2009-12-01", "2010-01-31", 12345);
	const inst year[] = {
		{"2009-12", "2009-12-01", "2009-12-31", 12345, DUE, NULL},
		{"2010-01", "2010-01-01", "2010-01-31", 12345, DUE, NULL},
	};
	check_schedule(f, id, year, 2);
	id = activate_with(f, "2010-02-28", "2010-02-28", 1);
	const inst tiny[] = {{"2010-02", "2010-02-28", "2010-02-28", 0, DUE, NULL}}; /* 1/28 cent */
	check_schedule(f, id, tiny, 1);
	id = activate_with(f, "2010-03-01", "2010-03-01", 16);
	const inst sixteen[] = {{"2010-03", "2010-03-01", "2010-03-01", 1, DUE, NULL}}; /* 0.516 */
	check_schedule(f, id, sixteen, 1);
}

static void test_terminate_schedule(void **state)
{
	fx *f = *state;
	/* in the middle of July: July is replaced by 1-15 July, August cancelled */
	int64_t id = activate_with(f, START, END, STIPEND);
	assert_ok(youth_scholarship_terminate(f->reg, id, "2009-07-15", "left the job"));
	const inst want[] = {
		{"2009-05", "2009-05-18", "2009-05-31", 13548, DUE, NULL},
		{"2009-06", "2009-06-01", "2009-06-30", 30000, DUE, NULL},
		{"2009-07", "2009-07-01", "2009-07-31", 30000, CANC, "2009-07-15"},
		{"2009-07", "2009-07-01", "2009-07-15", 14516, DUE, NULL}, /* 15/31: 14516.13 */
		{"2009-08", "2009-08-01", "2009-08-10", 9677, CANC, "2009-07-15"},
	};
	check_schedule(f, id, want, 5);
	balance_is(f, id, 13548 + 30000 + 14516, 0);
	youth_scholarship *s = get_sch(f, id);
	assert_int_equal(s->state, YOUTH_SCHOLARSHIP_TERMINATED);
	assert_string_equal(s->reason, "left the job");
	assert_int_equal(s->employer_id, f->employer_id); /* the placement stays on record */
	youth_scholarship_free(s);

	/* on a due date: that month stays whole, nothing replaced */
	id = activate_with(f, START, END, STIPEND);
	assert_ok(youth_scholarship_terminate(f->reg, id, "2009-06-30", "moved"));
	const inst due[] = {
		{"2009-05", "2009-05-18", "2009-05-31", 13548, DUE, NULL},
		{"2009-06", "2009-06-01", "2009-06-30", 30000, DUE, NULL},
		{"2009-07", "2009-07-01", "2009-07-31", 30000, CANC, "2009-06-30"},
		{"2009-08", "2009-08-01", "2009-08-10", 9677, CANC, "2009-06-30"},
	};
	check_schedule(f, id, due, 4);
	balance_is(f, id, 43548, 0);

	/* before the placement starts: everything cancelled */
	id = activate_with(f, START, END, STIPEND);
	assert_ok(youth_scholarship_terminate(f->reg, id, "2009-05-16", "did not show up"));
	assert_int_equal(count_installments(f->reg, id, CANC), 4);
	assert_int_equal(count_installments(f->reg, id, DUE), 0);
	balance_is(f, id, 0, 0);

	/* on the first day: one day of May, (2*30000*1+31)/62 = 968 (967.74) */
	id = activate_with(f, START, END, STIPEND);
	assert_ok(youth_scholarship_terminate(f->reg, id, START, "one day"));
	assert_int_equal(count_installments(f->reg, id, CANC), 4);
	assert_int_equal(count_installments(f->reg, id, DUE), 1);
	balance_is(f, id, 968, 0);

	/* after a payment: what was paid stays owed and paid; the rest of the balance remains */
	id = activate_with(f, START, END, STIPEND);
	youth_scholarship_payment pay;
	valid_payment(f, &pay, id, 13548, "2009-06-02", "TR-T1");
	assert_ok(youth_scholarship_pay(f->reg, &pay));
	assert_ok(youth_scholarship_terminate(f->reg, id, "2009-06-02", "closed shop"));
	/* June 2 of 30 days: (2*30000*2 + 30) / 60 = 2000 */
	const inst paid[] = {
		{"2009-05", "2009-05-18", "2009-05-31", 13548, DUE, NULL},
		{"2009-06", "2009-06-01", "2009-06-30", 30000, CANC, "2009-06-02"},
		{"2009-06", "2009-06-01", "2009-06-02", 2000, DUE, NULL},
		{"2009-07", "2009-07-01", "2009-07-31", 30000, CANC, "2009-06-02"},
		{"2009-08", "2009-08-01", "2009-08-10", 9677, CANC, "2009-06-02"},
	};
	check_schedule(f, id, paid, 5);
	balance_is(f, id, 15548, 13548);
	valid_payment(f, &pay, id, 2000, "2009-06-02", "TR-T2");
	EXPECT_FAIL(f, youth_scholarship_pay(f->reg, &pay), YOUTH_ESTATE, "state");
	balance_is(f, id, 15548, 13548);

	/* awarded, never placed: nothing to cancel */
	id = reach(f, YOUTH_SCHOLARSHIP_AWARDED);
	assert_ok(youth_scholarship_terminate(f->reg, id, "2009-05-10", "found a job alone"));
	assert_int_equal(count_installments(f->reg, id, 0), 0);
	balance_is(f, id, 0, 0);
}

static void test_pay(void **state)
{
	fx *f = *state;
	int64_t id = reach(f, YOUTH_SCHOLARSHIP_ACTIVE);
	youth_scholarship_payment p;
	int64_t payable = -1;

	/* nothing payable before the first due date: paying ahead is refused */
	assert_ok(youth_scholarship_payable(&payable, f->reg, id, "2009-05-30"));
	assert_int_equal(payable, 0);
	valid_payment(f, &p, id, 100, "2009-05-30", "TR-0001");
	EXPECT_FAIL(f, youth_scholarship_pay(f->reg, &p), YOUTH_ERULE, "amount");
	assert_msg_has("amount 1.00: more than payable on 2009-05-30");
	assert_msg_has("payable 0.00");

	/* May is due on 2009-05-31 */
	assert_ok(youth_scholarship_payable(&payable, f->reg, id, "2009-05-31"));
	assert_int_equal(payable, 13548);
	valid_payment(f, &p, id, 13549, "2009-05-31", "TR-0001");
	EXPECT_FAIL(f, youth_scholarship_pay(f->reg, &p), YOUTH_ERULE, "amount");
	assert_msg_has("due by then 135.48, paid 0.00, payable 135.48");
	valid_payment(f, &p, id, 13548, "2009-05-31", "TR-0001");
	assert_ok(youth_scholarship_pay(f->reg, &p));
	assert_true(p.id > 0);
	assert_uuid(p.uuid);
	assert_int_equal(p.exchange_id, f->exchange_id);
	balance_is(f, id, 83225, 13548);
	assert_ok(youth_scholarship_payable(&payable, f->reg, id, "2009-06-29"));
	assert_int_equal(payable, 0);

	youth_scholarship_payment *g = NULL;
	assert_ok(youth_scholarship_payment_get(&g, f->reg, p.id));
	assert_int_equal(g->scholarship_id, id);
	assert_int_equal(g->operator_id, f->operator_id);
	assert_int_equal(g->exchange_id, f->exchange_id);
	assert_int_equal(g->amount, 13548);
	assert_string_equal(g->paid_date, "2009-05-31");
	assert_int_equal(g->method, YOUTH_SCHOLARSHIP_METHOD_TRANSFER);
	assert_string_equal(g->reference, "TR-0001");
	assert_string_equal(g->uuid, p.uuid);
	youth_scholarship_payment_free(g);
	youth_scholarship_payment_free(NULL);
	assert_rc(youth_scholarship_payment_get(&g, f->reg, 999), YOUTH_ENOTFOUND);
	assert_null(g);
	assert_rc(youth_scholarship_payment_get(NULL, f->reg, 1), YOUTH_EINVAL);

	/* a reference is used once, across all scholarships */
	valid_payment(f, &p, id, 100, "2009-06-30", "TR-0001");
	EXPECT_FAIL(f, youth_scholarship_pay(f->reg, &p), YOUTH_EEXISTS, "reference");
	char msg[120];
	snprintf(msg, sizeof msg, "reference \"TR-0001\": already used by payment 1 of scholarship %lld",
	         (long long)id);
	assert_msg_has(msg);
	int64_t other = reach(f, YOUTH_SCHOLARSHIP_ACTIVE);
	valid_payment(f, &p, other, 100, "2009-06-30", "TR-0001");
	EXPECT_FAIL(f, youth_scholarship_pay(f->reg, &p), YOUTH_EEXISTS, "reference");
	assert_msg_has(msg);

	/* bad fields */
	char future[11];
	th_today_utc(future, 2);
	char *long_ref = th_repeat('R', 41);
#define BADP(mutate, code, field)                                                              \
	do {                                                                                       \
		valid_payment(f, &p, id, 100, "2009-06-30", "TR-0002");                                \
		mutate;                                                                                \
		EXPECT_FAIL(f, youth_scholarship_pay(f->reg, &p), code, field);                        \
	} while (0)
	EXPECT_FAIL(f, youth_scholarship_pay(NULL, &p), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_scholarship_pay(f->reg, NULL), YOUTH_EINVAL, NULL);
	BADP(p.amount = 0, YOUTH_EINVAL, "amount");
	BADP(p.amount = -100, YOUTH_EINVAL, "amount");
	assert_msg_has("amount -1.00: must be more than 0.00");
	BADP(p.paid_date = NULL, YOUTH_EINVAL, "paid_date");
	BADP(p.paid_date = "2009-06-31", YOUTH_EINVAL, "paid_date");
	BADP(p.paid_date = "30/06/2009", YOUTH_EINVAL, "paid_date");
	BADP(p.paid_date = future, YOUTH_EINVAL, "paid_date");
	BADP(p.method = 0, YOUTH_EINVAL, "method");
	BADP(p.method = 4, YOUTH_EINVAL, "method");
	BADP(p.reference = NULL, YOUTH_EINVAL, "reference");
	BADP(p.reference = "", YOUTH_EINVAL, "reference");
	BADP(p.reference = long_ref, YOUTH_EINVAL, "reference");
	BADP(p.scholarship_id = 0, YOUTH_EINVAL, "scholarship_id");
	BADP(p.scholarship_id = 9999, YOUTH_ENOTFOUND, "scholarship_id");
	assert_msg_has("scholarship_id 9999: no such scholarship");
	BADP(p.operator_id = 0, YOUTH_EINVAL, "operator_id");
	BADP(p.operator_id = 555, YOUTH_ENOTFOUND, "operator_id");
	BADP(p.operator_id = f->inactive_id, YOUTH_ERULE, "operator_id");
	BADP(strcpy(p.uuid, "zz"), YOUTH_EINVAL, "uuid");
#undef BADP
	free(long_ref);

	/* cash and cheque, up to exactly what is payable */
	valid_payment(f, &p, id, 20000, "2009-06-30", "CASH-1");
	p.method = YOUTH_SCHOLARSHIP_METHOD_CASH;
	assert_ok(youth_scholarship_pay(f->reg, &p));
	valid_payment(f, &p, id, 10000, "2009-06-30", "CHQ-1");
	p.method = YOUTH_SCHOLARSHIP_METHOD_CHEQUE;
	assert_ok(youth_scholarship_pay(f->reg, &p));
	valid_payment(f, &p, id, 1, "2009-06-30", "CHQ-2");
	EXPECT_FAIL(f, youth_scholarship_pay(f->reg, &p), YOUTH_ERULE, "amount");
	balance_is(f, id, 83225, 43548);

	/* completed: arrears are still paid, never more than owed */
	assert_ok(youth_scholarship_complete(f->reg, id, END));
	valid_payment(f, &p, id, 39678, "2009-08-14", "TR-0003");
	EXPECT_FAIL(f, youth_scholarship_pay(f->reg, &p), YOUTH_ERULE, "amount");
	p.amount = 39677;
	assert_ok(youth_scholarship_pay(f->reg, &p));
	balance_is(f, id, 83225, 83225);
	assert_ok(youth_scholarship_payable(&payable, f->reg, id, "2009-12-31"));
	assert_int_equal(payable, 0);
	valid_payment(f, &p, id, 1, "2009-12-31", "TR-0004");
	EXPECT_FAIL(f, youth_scholarship_pay(f->reg, &p), YOUTH_ERULE, "amount");
}

static void test_pay_states(void **state)
{
	fx *f = *state;
	static const int states[] = {YOUTH_SCHOLARSHIP_APPLIED, YOUTH_SCHOLARSHIP_AWARDED,
	                             YOUTH_SCHOLARSHIP_REJECTED, YOUTH_SCHOLARSHIP_TERMINATED};
	for (size_t i = 0; i < 4; i++) {
		int64_t id = reach(f, states[i]);
		youth_scholarship_payment p;
		valid_payment(f, &p, id, 100, "2009-06-30", "TR-X");
		EXPECT_FAIL(f, youth_scholarship_pay(f->reg, &p), YOUTH_ESTATE, "state");
		if (states[i] == YOUTH_SCHOLARSHIP_TERMINATED)
			assert_msg_has("terminated on 2009-06-15; a terminated scholarship is not paid");
		else
			assert_msg_has("only active or completed scholarships are paid");
	}
	/* terminated with a balance left: the balance is still computable, but not paid */
	int64_t id = reach(f, YOUTH_SCHOLARSHIP_TERMINATED);
	balance_is(f, id, 13548 + 15000, 0); /* May, and 15 of 30 days of June */
}

static void test_balance_errors(void **state)
{
	fx *f = *state;
	youth_scholarship_balance_info bal = {5, 5, 5};
	int64_t payable = 5;
	EXPECT_FAIL(f, youth_scholarship_balance(&bal, NULL, 1), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_scholarship_balance(&bal, f->reg, 0), YOUTH_EINVAL, "id");
	EXPECT_FAIL(f, youth_scholarship_balance(&bal, f->reg, 77), YOUTH_ENOTFOUND, "id");
	assert_int_equal(bal.owed_total, 0);
	assert_int_equal(bal.paid_total, 0);
	assert_int_equal(bal.balance, 0);
	EXPECT_FAIL(f, youth_scholarship_balance(NULL, f->reg, 1), YOUTH_EINVAL, NULL);
	int64_t id = reach(f, YOUTH_SCHOLARSHIP_ACTIVE);
	assert_ok(youth_scholarship_balance(&bal, f->reg, id));
	assert_int_equal(bal.balance, 83225);
	EXPECT_FAIL(f, youth_scholarship_payable(&payable, f->reg, id, "2009-02-29"), YOUTH_EINVAL,
	            "date");
	EXPECT_FAIL(f, youth_scholarship_payable(&payable, f->reg, id, NULL), YOUTH_EINVAL, "date");
	EXPECT_FAIL(f, youth_scholarship_payable(NULL, f->reg, id, "2009-06-30"), YOUTH_EINVAL, NULL);
	EXPECT_FAIL(f, youth_scholarship_payable(&payable, f->reg, -1, "2009-06-30"), YOUTH_EINVAL,
	            "id");
	EXPECT_FAIL(f, youth_scholarship_payable(&payable, f->reg, 77, "2009-06-30"),
	            YOUTH_ENOTFOUND, "id");
	/* future dates are fine for asking: the whole schedule is payable after the end */
	assert_ok(youth_scholarship_payable(&payable, f->reg, id, "2099-01-01"));
	assert_int_equal(payable, 83225);
	assert_ok(youth_scholarship_payable(&payable, f->reg, id, "2009-07-31"));
	assert_int_equal(payable, 73548);
}

static void test_iterators(void **state)
{
	fx *f = *state;
	int64_t a = reach(f, YOUTH_SCHOLARSHIP_ACTIVE);
	int64_t b = reach(f, YOUTH_SCHOLARSHIP_APPLIED);
	int64_t c = reach(f, YOUTH_SCHOLARSHIP_AWARDED);
	youth_scholarship_placement pl;
	valid_placement(f, &pl);
	pl.employer_id = f->employer2_id;
	assert_ok(youth_scholarship_activate(f->reg, c, ACTIVATED, &pl));
	youth_scholarship *sa = get_sch(f, a);
	int64_t person_a = sa->person_id;
	youth_scholarship_free(sa);

	youth_scholarship_iter *it = NULL;
	const youth_scholarship *s;
	assert_ok(youth_scholarship_iter_new(&it, f->reg, 0, 0));
	int64_t seen[3];
	int n = 0;
	while (youth_scholarship_next(&s, it) == YOUTH_OK) {
		assert_true(n < 3);
		seen[n++] = s->id;
	}
	assert_int_equal(n, 3);
	assert_int_equal(seen[0], a);
	assert_int_equal(seen[1], b);
	assert_int_equal(seen[2], c);
	assert_rc(youth_scholarship_next(&s, it), YOUTH_ITEROVER); /* latched */
	assert_null(s);
	youth_scholarship_iter_free(it);

	assert_ok(youth_scholarship_iter_new(&it, f->reg, person_a, 0));
	assert_ok(youth_scholarship_next(&s, it));
	assert_int_equal(s->id, a);
	assert_string_equal(s->position, "Dependiente de ventas");
	assert_rc(youth_scholarship_next(&s, it), YOUTH_ITEROVER);
	youth_scholarship_iter_free(it);

	assert_ok(youth_scholarship_iter_new(&it, f->reg, 0, f->employer2_id));
	assert_ok(youth_scholarship_next(&s, it));
	assert_int_equal(s->id, c);
	assert_rc(youth_scholarship_next(&s, it), YOUTH_ITEROVER);
	youth_scholarship_iter_free(it);
	assert_ok(youth_scholarship_iter_new(&it, f->reg, person_a, f->employer2_id));
	assert_rc(youth_scholarship_next(&s, it), YOUTH_ITEROVER);
	youth_scholarship_iter_free(it);
	youth_scholarship_iter_free(NULL);

	assert_rc(youth_scholarship_iter_new(&it, f->reg, -1, 0), YOUTH_EINVAL);
	assert_err_field("person_id");
	assert_null(it);
	assert_rc(youth_scholarship_iter_new(&it, f->reg, 0, -1), YOUTH_EINVAL);
	assert_err_field("employer_id");
	assert_rc(youth_scholarship_iter_new(NULL, f->reg, 0, 0), YOUTH_EINVAL);
	assert_rc(youth_scholarship_iter_new(&it, NULL, 0, 0), YOUTH_EINVAL);
	assert_rc(youth_scholarship_next(NULL, NULL), YOUTH_EINVAL);

	/* installments */
	youth_scholarship_installment_iter *ii = NULL;
	assert_rc(youth_scholarship_installment_iter_new(&ii, f->reg, 0), YOUTH_EINVAL);
	assert_err_field("scholarship_id");
	assert_rc(youth_scholarship_installment_iter_new(NULL, f->reg, a), YOUTH_EINVAL);
	assert_rc(youth_scholarship_installment_iter_new(&ii, NULL, a), YOUTH_EINVAL);
	assert_null(ii);
	assert_int_equal(count_installments(f->reg, b, 0), 0);
	assert_int_equal(count_installments(f->reg, 9999, 0), 0);
	assert_rc(youth_scholarship_installment_next(NULL, NULL), YOUTH_EINVAL);
	youth_scholarship_installment_iter_free(NULL);

	/* payments, by date then id */
	youth_scholarship_payment p;
	valid_payment(f, &p, a, 10000, "2009-06-01", "B");
	assert_ok(youth_scholarship_pay(f->reg, &p));
	/* recorded later, dated earlier: what was paid since still counts against it */
	valid_payment(f, &p, a, 3549, "2009-05-31", "A");
	assert_rc(youth_scholarship_pay(f->reg, &p), YOUTH_ERULE);
	p.amount = 3548;
	assert_ok(youth_scholarship_pay(f->reg, &p));
	valid_payment(f, &p, c, 100, "2009-06-01", "C");
	assert_ok(youth_scholarship_pay(f->reg, &p));
	youth_scholarship_payment_iter *pi = NULL;
	const youth_scholarship_payment *r;
	assert_ok(youth_scholarship_payment_iter_new(&pi, f->reg, a));
	assert_ok(youth_scholarship_payment_next(&r, pi));
	assert_string_equal(r->reference, "A");
	assert_ok(youth_scholarship_payment_next(&r, pi));
	assert_string_equal(r->reference, "B");
	assert_rc(youth_scholarship_payment_next(&r, pi), YOUTH_ITEROVER);
	assert_rc(youth_scholarship_payment_next(&r, pi), YOUTH_ITEROVER);
	youth_scholarship_payment_iter_free(pi);
	assert_ok(youth_scholarship_payment_iter_new(&pi, f->reg, 0));
	n = 0;
	while (youth_scholarship_payment_next(&r, pi) == YOUTH_OK)
		n++;
	assert_int_equal(n, 3);
	youth_scholarship_payment_iter_free(pi);
	youth_scholarship_payment_iter_free(NULL);
	assert_rc(youth_scholarship_payment_iter_new(&pi, f->reg, -2), YOUTH_EINVAL);
	assert_rc(youth_scholarship_payment_iter_new(NULL, f->reg, 0), YOUTH_EINVAL);
	assert_rc(youth_scholarship_payment_next(NULL, NULL), YOUTH_EINVAL);
}

static void test_fields(void **state)
{
	fx *f = *state;
	static const char *const names[] = {
		"id",           "uuid",       "person_id",  "operator_id",    "exchange_id",
		"state",        "applied_date", "state_date", "employer_id",  "position",
		"start_date",   "end_date",   "hours_per_week", "monthly_stipend", "reason", NULL};
	for (size_t i = 0; names[i]; i++)
		assert_string_equal(youth_scholarship_field_name(i), names[i]);
	assert_null(youth_scholarship_field_name(15));

	youth_scholarship s;
	youth_scholarship_init(&s);
	char pid[24];
	snprintf(pid, sizeof pid, "%lld", (long long)th_new_person(f->reg));
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", (long long)f->operator_id);
	assert_ok(youth_scholarship_set_field(&s, "person_id", pid));
	assert_ok(youth_scholarship_set_field(&s, "operator_id", oid));
	assert_ok(youth_scholarship_set_field(&s, "applied_date", APPLIED));
	static const char *const ro[] = {"exchange_id", "state",       "state_date",
	                                 "employer_id", "position",    "start_date",
	                                 "end_date",    "hours_per_week", "monthly_stipend",
	                                 "reason"};
	for (size_t i = 0; i < sizeof ro / sizeof ro[0]; i++) {
		assert_rc(youth_scholarship_set_field(&s, ro[i], "1"), YOUTH_EINVAL);
		assert_err_field(ro[i]);
		assert_msg_has("set by the library");
	}
	assert_rc(youth_scholarship_set_field(&s, "nope", "1"), YOUTH_EINVAL);
	assert_rc(youth_scholarship_set_field(&s, "person_id", "abc"), YOUTH_EINVAL);
	assert_ok(youth_scholarship_apply(f->reg, &s, NULL));
	char buf[64];
	const char *out;
	assert_ok(youth_scholarship_get_field(&out, &s, "state", buf, sizeof buf));
	assert_string_equal(out, "applied");
	assert_ok(youth_scholarship_get_field(&out, &s, "monthly_stipend", buf, sizeof buf));
	assert_null(out);
	assert_ok(youth_scholarship_award(f->reg, s.id, AWARDED));

	/* placement by text */
	static const char *const pnames[] = {"employer_id", "start_date", "end_date",
	                                     "hours_per_week", "monthly_stipend", NULL};
	assert_string_equal(youth_scholarship_placement_field_name(0), "employer_id");
	assert_string_equal(youth_scholarship_placement_field_name(1), "position");
	assert_string_equal(youth_scholarship_placement_field_name(5), "monthly_stipend");
	assert_null(youth_scholarship_placement_field_name(6));
	(void)pnames;
	youth_scholarship_placement p;
	youth_scholarship_placement_init(&p);
	char eid[24];
	snprintf(eid, sizeof eid, "%lld", (long long)f->employer_id);
	assert_ok(youth_scholarship_placement_set_field(&p, "employer_id", eid));
	assert_ok(youth_scholarship_placement_set_field(&p, "position", "Cajera"));
	assert_ok(youth_scholarship_placement_set_field(&p, "start_date", "2009-06-01"));
	assert_ok(youth_scholarship_placement_set_field(&p, "end_date", "2009-06-30"));
	assert_ok(youth_scholarship_placement_set_field(&p, "hours_per_week", "36"));
	assert_rc(youth_scholarship_placement_set_field(&p, "monthly_stipend", "-5"), YOUTH_EINVAL);
	assert_msg_has("cannot be negative");
	assert_rc(youth_scholarship_placement_set_field(&p, "monthly_stipend", "12.345"),
	          YOUTH_EINVAL);
	assert_rc(youth_scholarship_placement_set_field(&p, "monthly_stipend", "1e3"), YOUTH_EINVAL);
	assert_ok(youth_scholarship_placement_set_field(&p, "monthly_stipend", "250.5"));
	assert_int_equal(p.monthly_stipend, 25050);
	assert_ok(youth_scholarship_activate(f->reg, s.id, ACTIVATED, &p));
	youth_scholarship *g = get_sch(f, s.id);
	assert_ok(youth_scholarship_get_field(&out, g, "monthly_stipend", buf, sizeof buf));
	assert_string_equal(out, "250.50");
	assert_ok(youth_scholarship_get_field(&out, g, "hours_per_week", buf, sizeof buf));
	assert_string_equal(out, "36");
	assert_ok(youth_scholarship_get_field(&out, g, "state", buf, sizeof buf));
	assert_string_equal(out, "active");
	assert_ok(youth_scholarship_get_field(&out, g, "position", buf, sizeof buf));
	assert_string_equal(out, "Cajera");
	youth_scholarship_free(g);

	/* installments by text */
	assert_string_equal(youth_scholarship_installment_field_name(3), "month");
	assert_string_equal(youth_scholarship_installment_field_name(9), "cancelled_date");
	assert_null(youth_scholarship_installment_field_name(10));
	youth_scholarship_installment_iter *ii = NULL;
	const youth_scholarship_installment *in;
	assert_ok(youth_scholarship_installment_iter_new(&ii, f->reg, s.id));
	assert_ok(youth_scholarship_installment_next(&in, ii));
	assert_ok(youth_scholarship_installment_get_field(&out, in, "amount", buf, sizeof buf));
	assert_string_equal(out, "250.50");
	assert_ok(youth_scholarship_installment_get_field(&out, in, "state", buf, sizeof buf));
	assert_string_equal(out, "due");
	assert_ok(youth_scholarship_installment_get_field(&out, in, "month", buf, sizeof buf));
	assert_string_equal(out, "2009-06");
	assert_rc(youth_scholarship_installment_get_field(&out, in, "nope", buf, sizeof buf),
	          YOUTH_EINVAL);
	youth_scholarship_installment_iter_free(ii);
	assert_string_equal(youth_scholarship_installment_state_name(1), "due");
	assert_string_equal(youth_scholarship_installment_state_name(2), "cancelled");
	assert_null(youth_scholarship_installment_state_name(3));

	/* payments by text */
	static const char *const paynames[] = {"id",     "uuid",      "scholarship_id",
	                                       "operator_id", "exchange_id", "amount",
	                                       "paid_date", "method", "reference", NULL};
	for (size_t i = 0; paynames[i]; i++)
		assert_string_equal(youth_scholarship_payment_field_name(i), paynames[i]);
	assert_null(youth_scholarship_payment_field_name(9));
	youth_scholarship_payment pay;
	youth_scholarship_payment_init(&pay);
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)s.id);
	assert_ok(youth_scholarship_payment_set_field(&pay, "scholarship_id", sid));
	assert_ok(youth_scholarship_payment_set_field(&pay, "operator_id", oid));
	assert_ok(youth_scholarship_payment_set_field(&pay, "amount", "125.50"));
	assert_int_equal(pay.amount, 12550);
	assert_rc(youth_scholarship_payment_set_field(&pay, "amount", "-1.00"), YOUTH_EINVAL);
	assert_rc(youth_scholarship_payment_set_field(&pay, "amount", "12,50"), YOUTH_EINVAL);
	assert_int_equal(pay.amount, 12550);
	assert_ok(youth_scholarship_payment_set_field(&pay, "paid_date", "2009-06-30"));
	assert_rc(youth_scholarship_payment_set_field(&pay, "method", "bitcoin"), YOUTH_EINVAL);
	assert_msg_has("not one of cash, transfer, cheque");
	assert_ok(youth_scholarship_payment_set_field(&pay, "method", "cheque"));
	assert_ok(youth_scholarship_payment_set_field(&pay, "reference", "CHQ-000123"));
	assert_rc(youth_scholarship_payment_set_field(&pay, "exchange_id", "1"), YOUTH_EINVAL);
	assert_ok(youth_scholarship_pay(f->reg, &pay));
	assert_ok(youth_scholarship_payment_get_field(&out, &pay, "method", buf, sizeof buf));
	assert_string_equal(out, "cheque");
	assert_ok(youth_scholarship_payment_get_field(&out, &pay, "amount", buf, sizeof buf));
	assert_string_equal(out, "125.50");
	assert_string_equal(youth_scholarship_method_name(1), "cash");
	assert_string_equal(youth_scholarship_method_name(2), "transfer");
	assert_null(youth_scholarship_method_name(0));
	assert_null(youth_scholarship_method_name(4));
}

static const char RULES_18_24[] = "format: libyouth/1\n"
                                  "programmes:\n"
                                  "  - code: scholarship\n"
                                  "    title: Becas de primer empleo\n"
                                  "    age_min: 18\n"
                                  "    age_max: 24\n";

static void test_eligibility(void **state)
{
	fx *f = *state;
	th_load_rules(f->reg, RULES_18_24, 1);
	int64_t person = th_new_person(f->reg); /* 16 on 2009-04-20 */
	youth_scholarship s;
	valid_scholarship(f, &s, person);
	EXPECT_FAIL(f, youth_scholarship_apply(f->reg, &s, NULL), YOUTH_ERULE, NULL);
	assert_msg_has("scholarship");
	assert_msg_has("age 16 on " APPLIED);
	assert_int_equal(s.id, 0);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM scholarship"), 0);
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM eligibility_override"), 0);

	youth_override ovr = {f->operator_id, "Referred by the municipal youth office"};
	assert_ok(youth_scholarship_apply(f->reg, &s, &ovr));
	char sql[200];
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM eligibility_override WHERE service = 'scholarship' AND "
	         "service_id = %lld AND person_id = %lld AND programme = 'scholarship'",
	         (long long)s.id, (long long)person);
	assert_int_equal(th_raw_count(f->path, sql), 1);

	youth_person p;
	th_person_valid(&p);
	p.birth_date = "1988-01-10";
	assert_ok(youth_person_add(f->reg, &p, 0));
	valid_scholarship(f, &s, p.id);
	assert_ok(youth_scholarship_apply(f->reg, &s, NULL));
	assert_int_equal(th_raw_count(f->path, "SELECT count(*) FROM eligibility_override"), 1);
	/* the registry's own checks agree with the data */
	assert_ok(youth_registry_check(f->reg));
}

static void test_out_of_memory(void **state)
{
	fx *f = *state;
	long failures;
	youth_scholarship s;
	valid_scholarship(f, &s, th_new_person(f->reg));
	OOM_LOOP(f, youth_scholarship_apply(f->reg, &s, NULL), failures);
	OOM_LOOP(f, youth_scholarship_award(f->reg, s.id, AWARDED), failures);
	youth_scholarship_placement p;
	valid_placement(f, &p);
	OOM_LOOP(f, youth_scholarship_activate(f->reg, s.id, ACTIVATED, &p), failures);
	assert_int_equal(count_installments(f->reg, s.id, 0), 4);
	youth_scholarship_payment pay;
	valid_payment(f, &pay, s.id, 100, "2009-06-01", "OOM-1");
	OOM_LOOP(f, youth_scholarship_pay(f->reg, &pay), failures);
	OOM_LOOP(f, youth_scholarship_terminate(f->reg, s.id, "2009-07-15", "left"), failures);
	assert_int_equal(count_installments(f->reg, s.id, 0), 5);

	youth_scholarship *g = NULL;
	OOM_LOOP(f, youth_scholarship_get(&g, f->reg, s.id), failures);
	assert_true(failures > 0);
	assert_int_equal(g->state, YOUTH_SCHOLARSHIP_TERMINATED);
	youth_scholarship_free(g);
	youth_scholarship_payment *gp = NULL;
	OOM_LOOP(f, youth_scholarship_payment_get(&gp, f->reg, pay.id), failures);
	assert_true(failures > 0);
	youth_scholarship_payment_free(gp);
	youth_scholarship_installment_iter *it = NULL;
	OOM_LOOP(f, youth_scholarship_installment_iter_new(&it, f->reg, s.id), failures);
	assert_true(failures > 0);
	const youth_scholarship_installment *r = NULL;
	th_alloc_state st;
	th_alloc_install(&st, 1, 1);
	int rc = youth_scholarship_installment_next(&r, it);
	th_alloc_restore();
	assert_rc(rc, YOUTH_ENOMEM);
	assert_null(r);
	youth_scholarship_installment_iter_free(it);
}

static void test_in_transaction(void **state)
{
	fx *f = *state;
	assert_ok(youth_registry_begin(f->reg));
	int64_t id = apply_new(f);
	assert_rc(youth_scholarship_complete(f->reg, id, END), YOUTH_ESTATE);
	assert_ok(youth_scholarship_award(f->reg, id, AWARDED));
	youth_scholarship_placement p;
	valid_placement(f, &p);
	p.hours_per_week = 60;
	assert_rc(youth_scholarship_activate(f->reg, id, ACTIVATED, &p), YOUTH_EINVAL);
	assert_ok(youth_registry_commit(f->reg));
	assert_int_equal(sch_state(f, id), YOUTH_SCHOLARSHIP_AWARDED);

	assert_ok(youth_registry_begin(f->reg));
	valid_placement(f, &p);
	assert_ok(youth_scholarship_activate(f->reg, id, ACTIVATED, &p));
	assert_int_equal(count_installments(f->reg, id, 0), 4);
	assert_ok(youth_registry_rollback(f->reg));
	assert_int_equal(sch_state(f, id), YOUTH_SCHOLARSHIP_AWARDED);
	assert_int_equal(count_installments(f->reg, id, 0), 0);
}

int main(void)
{
	static th_suite in_memory = {sizeof(fx), populate, tally, 0};
	static th_suite in_file = {sizeof(fx), populate, tally, 1};
#define T(t) TH_FX_TEST(t, &in_memory)
	const struct CMUnitTest tests[] = {
		T(test_apply_get),
		T(test_apply_invalid),
		T(test_state_table),
		T(test_transition_errors),
		T(test_activate_errors),
		T(test_schedule),
		T(test_terminate_schedule),
		T(test_pay),
		T(test_pay_states),
		T(test_balance_errors),
		T(test_iterators),
		T(test_fields),
		TH_FX_TEST(test_eligibility, &in_file),
		T(test_out_of_memory),
		T(test_in_transaction),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
