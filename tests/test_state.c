/*
 * The state-machine helper (libyouth/state.c) on its own: bounds of both states, every table
 * walked against the documented machines (spelled out here, independently of the library's
 * tables), the one refusal message shape, and docs/design.md showing the tables the code has.
 * White-box: linked with the library's objects, since youth__* are hidden from libyouth.so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "private.h"
#include "tests/paths.h"

#define MAX_STATES 9

/* A documented machine: the public name of each state and the allowed steps. */
typedef struct doc_machine {
	const youth__machine *m;
	const char *(*name)(int state); /* the public youth_*_state_name() */
	int n;                          /* states 1 .. n */
	int ok[MAX_STATES][MAX_STATES];
} doc_machine;

static const doc_machine machines[] = {
	{&youth__machine_enrollment, youth_enrollment_state_name, 5,
	 {[YOUTH_ENROLLMENT_APPLIED] = {[YOUTH_ENROLLMENT_ENROLLED] = 1,
	                                [YOUTH_ENROLLMENT_DROPPED] = 1,
	                                [YOUTH_ENROLLMENT_NOT_ELIGIBLE] = 1},
	  [YOUTH_ENROLLMENT_ENROLLED] = {[YOUTH_ENROLLMENT_COMPLETED] = 1,
	                                 [YOUTH_ENROLLMENT_DROPPED] = 1}}},
	{&youth__machine_counselling_session, youth_counselling_state_name, 2,
	 {[YOUTH_COUNSELLING_OPEN] = {[YOUTH_COUNSELLING_CLOSED] = 1}}},
	{&youth__machine_scholarship, youth_scholarship_state_name, 6,
	 {[YOUTH_SCHOLARSHIP_APPLIED] = {[YOUTH_SCHOLARSHIP_AWARDED] = 1,
	                                 [YOUTH_SCHOLARSHIP_REJECTED] = 1},
	  [YOUTH_SCHOLARSHIP_AWARDED] = {[YOUTH_SCHOLARSHIP_ACTIVE] = 1,
	                                 [YOUTH_SCHOLARSHIP_TERMINATED] = 1},
	  [YOUTH_SCHOLARSHIP_ACTIVE] = {[YOUTH_SCHOLARSHIP_COMPLETED] = 1,
	                                [YOUTH_SCHOLARSHIP_TERMINATED] = 1}}},
	{&youth__machine_plan, youth_plan_state_name, 8,
	 {[YOUTH_PLAN_DRAFT] = {[YOUTH_PLAN_SUBMITTED] = 1},
	  [YOUTH_PLAN_SUBMITTED] = {[YOUTH_PLAN_APPRAISED] = 1},
	  [YOUTH_PLAN_APPRAISED] = {[YOUTH_PLAN_APPROVED] = 1, [YOUTH_PLAN_REJECTED] = 1},
	  [YOUTH_PLAN_APPROVED] = {[YOUTH_PLAN_FUNDED] = 1},
	  [YOUTH_PLAN_FUNDED] = {[YOUTH_PLAN_OPERATING] = 1, [YOUTH_PLAN_CLOSED] = 1},
	  [YOUTH_PLAN_OPERATING] = {[YOUTH_PLAN_CLOSED] = 1}}},
};

/* "a, b, c": the states @d allows from @from, in state order (empty for a final state). */
static void allowed_list(const doc_machine *d, int from, char *out, size_t size)
{
	out[0] = '\0';
	for (int to = 1; to <= d->n; to++)
		if (d->ok[from][to])
			snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? ", " : "",
			         d->name(to));
}

static void expect_error(int rc, int code, const char *message)
{
	if (rc != code)
		fail_msg("expected %s, got %s: %s", youth_error_name(code), youth_error_name(rc),
		         youth_error_last()->message);
	assert_string_equal(youth_error_last()->message, message);
	assert_non_null(youth_error_last()->field);
	assert_string_equal(youth_error_last()->field, "state");
}

/* The machine's vocabulary is the kind's: the same names, and no state beyond the last. */
static void test_vocabulary(void **state)
{
	(void)state;
	for (size_t i = 0; i < YOUTH__N_OF(machines); i++) {
		const doc_machine *d = &machines[i];
		assert_int_equal(d->m->n_states, d->n + 1);
		assert_null(d->m->states[0]);
		for (int s = 1; s <= d->n; s++)
			assert_string_equal(d->m->states[s], d->name(s));
		assert_null(d->name(d->n + 1));
	}
}

/* Negative, 0 and past-the-end states on either side: named by number, never indexed. */
static void test_bounds(void **state)
{
	(void)state;
	static const int bad[] = {INT32_MIN, -1, 0, 32, 1000, INT32_MAX};
	for (size_t i = 0; i < YOUTH__N_OF(machines); i++) {
		const doc_machine *d = &machines[i];
		const char *what = d->m->what;
		char all[200] = "", msg[400];
		for (int s = 1; s <= d->n; s++)
			snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", s > 1 ? ", " : "",
			         d->name(s));
		int past = d->n + 1;
		for (size_t b = 0; b <= YOUTH__N_OF(bad); b++) {
			int v = b < YOUTH__N_OF(bad) ? bad[b] : past;
			/* a target that is not a state: the caller's mistake */
			snprintf(msg, sizeof msg, "state %d: not one of the %s states (%s)", v, what, all);
			expect_error(youth__state_check(d->m, v), YOUTH_EINVAL, msg);
			expect_error(youth__state_step(d->m, 7, 1, v), YOUTH_EINVAL, msg);
			/* a stored state that is not one: the registry is damaged */
			snprintf(msg, sizeof msg,
			         "%s 7: stored state %d is not a %s state (the registry is damaged)", what, v,
			         what);
			for (int to = 1; to <= d->n; to++)
				expect_error(youth__state_step(d->m, 7, v, to), YOUTH_ECORRUPT, msg);
		}
		for (int s = 1; s <= d->n; s++)
			assert_int_equal(youth__state_check(d->m, s), YOUTH_OK);
	}
}

/* Every pair of states of every machine: allowed ones pass, the others are refused in the one
 * message shape, naming both states and what is allowed. */
static void test_walk(void **state)
{
	(void)state;
	int ok = 0, refused = 0, final = 0;
	for (size_t i = 0; i < YOUTH__N_OF(machines); i++) {
		const doc_machine *d = &machines[i];
		for (int from = 1; from <= d->n; from++) {
			char list[200], msg[400];
			allowed_list(d, from, list, sizeof list);
			for (int to = 1; to <= d->n; to++) {
				youth_error_clear();
				int rc = youth__state_step(d->m, 42, from, to);
				if (d->ok[from][to]) {
					if (rc != YOUTH_OK)
						fail_msg("%s: %s -> %s refused: %s", d->m->what, d->name(from),
						         d->name(to), youth_error_last()->message);
					ok++;
					continue;
				}
				if (list[0]) {
					snprintf(msg, sizeof msg, "%s 42: cannot go from %s to %s; allowed from %s: %s",
					         d->m->what, d->name(from), d->name(to), d->name(from), list);
				} else {
					snprintf(msg, sizeof msg, "%s 42: cannot go from %s to %s; nothing is "
					         "allowed from %s (a final state)", d->m->what, d->name(from),
					         d->name(to), d->name(from));
					final++;
				}
				expect_error(rc, YOUTH_ESTATE, msg);
				refused++;
			}
		}
	}
	/* 5 + 1 + 6 + 8 allowed steps; the rest of 25 + 4 + 36 + 64 pairs refused */
	assert_int_equal(ok, 20);
	assert_int_equal(refused, 129 - 20);
	assert_int_equal(final, 3 * 5 + 1 * 2 + 3 * 6 + 2 * 8);
}

/* docs/design.md shows each table as the code has it: one row per state. */
static void test_documented(void **state)
{
	(void)state;
	FILE *f = fopen(YOUTH_TEST_DATA "/../../docs/design.md", "rb");
	assert_non_null(f);
	static char doc[256 * 1024];
	size_t n = fread(doc, 1, sizeof doc - 1, f);
	fclose(f);
	doc[n] = '\0';
	for (size_t i = 0; i < YOUTH__N_OF(machines); i++) {
		const doc_machine *d = &machines[i];
		for (int from = 1; from <= d->n; from++) {
			char list[200], row[300];
			allowed_list(d, from, list, sizeof list);
			snprintf(row, sizeof row, "| %s | %s | %s |", d->m->what, d->name(from),
			         list[0] ? list : "nothing (final)");
			if (!strstr(doc, row))
				fail_msg("docs/design.md lacks the row \"%s\"", row);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vocabulary),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_documented),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
