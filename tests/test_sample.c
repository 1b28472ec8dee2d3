/*
 * The sample registry reproduces the programme's figures.  The generator
 * (examples/sample/services.c) writes through the public API; this test counts back through
 * the public API's own counting and iteration functions.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <youth.h>

#include "helpers.h"
#include "../examples/sample/services.h"

static youth_registry *build(void)
{
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, YOUTH_EXAMPLE_DATA "/gazetteer.yaml"));
	assert_ok(youth_census_load(NULL, reg, YOUTH_EXAMPLE_DATA "/census.yaml", 0));
	assert_ok(sample_services(reg, YOUTH_EXAMPLE_DATA "/rules.yaml", NULL));
	return reg;
}

static int64_t distinct_enrolled(youth_registry *reg)
{
	youth_enrollment_iter *it;
	const youth_enrollment *e;
	assert_ok(youth_enrollment_iter_new(&it, reg, 0, 0));
	int64_t seen[1024], n = 0;
	int rc;
	while ((rc = youth_enrollment_next(&e, it)) == YOUTH_OK) {
		if (e->state == YOUTH_ENROLLMENT_APPLIED || e->state == YOUTH_ENROLLMENT_NOT_ELIGIBLE)
			continue;
		bool dup = false;
		for (int64_t i = 0; i < n && !dup; i++)
			dup = seen[i] == e->person_id;
		if (!dup) {
			assert_true(n < 1024);
			seen[n++] = e->person_id;
		}
	}
	assert_int_equal(rc, YOUTH_ITEROVER);
	youth_enrollment_iter_free(it);
	return n;
}

static void test_programme_figures(void **state)
{
	(void)state;
	youth_registry *reg = build();
	int64_t n;

	assert_ok(youth_person_count(&n, reg, NULL));
	assert_int_equal(n, 600);

	assert_ok(youth_counselling_count_persons(&n, reg, NULL, NULL));
	assert_int_equal(n, SAMPLE_COUNSELLED);

	assert_int_equal(distinct_enrolled(reg), SAMPLE_VOCATIONAL);

	youth_scholarship_iter *si;
	const youth_scholarship *sc;
	assert_ok(youth_scholarship_iter_new(&si, reg, 0, 0));
	n = 0;
	while (youth_scholarship_next(&sc, si) == YOUTH_OK) {
		n++;
		youth_scholarship_balance_info bal;
		assert_ok(youth_scholarship_balance(&bal, reg, sc->id));
		assert_int_equal(bal.balance, 0); /* every installment due was paid */
	}
	youth_scholarship_iter_free(si);
	assert_int_equal(n, SAMPLE_SCHOLARSHIPS);

	assert_ok(youth_plan_count_persons(&n, reg, YOUTH_WINDOW_YOUTH_SEED, 1));
	assert_int_equal(n, SAMPLE_SEED_YOUTHS);
	assert_ok(youth_plan_count(&n, reg, YOUTH_WINDOW_FEMALE, 0));
	assert_int_equal(n, SAMPLE_WOMEN_PLANS);

	youth_exchange_iter *xi;
	const youth_exchange *x;
	assert_ok(youth_exchange_iter_new(&xi, reg));
	n = 0;
	while (youth_exchange_next(&x, xi) == YOUTH_OK)
		n++;
	youth_exchange_iter_free(xi);
	assert_int_equal(n, SAMPLE_EXCHANGES);
	youth_operator_iter *oi;
	const youth_operator *o;
	assert_ok(youth_operator_iter_new(&oi, reg, 0));
	n = 0;
	while (youth_operator_next(&o, oi) == YOUTH_OK)
		n++;
	youth_operator_iter_free(oi);
	assert_int_equal(n, SAMPLE_OPERATORS);

	assert_ok(youth_registry_check(reg));
	youth_registry_close(reg);
}

/* The same census gives the same registry. */
static void test_deterministic(void **state)
{
	(void)state;
	youth_registry *a = build(), *b = build();
	int64_t na, nb;
	assert_ok(youth_followup_count(&na, a, YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 0, NULL, NULL));
	assert_ok(youth_followup_count(&nb, b, YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 0, NULL, NULL));
	assert_int_equal(na, nb);
	assert_true(na > 0);
	assert_ok(youth_plan_count(&na, a, YOUTH_WINDOW_YOUTH_SEED, 0));
	assert_ok(youth_plan_count(&nb, b, YOUTH_WINDOW_YOUTH_SEED, 0));
	assert_int_equal(na, nb);
	youth_registry_close(a);
	youth_registry_close(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_programme_figures),
		cmocka_unit_test(test_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
