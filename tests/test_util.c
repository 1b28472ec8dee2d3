/* Tests of youth/common.h and youth/version.h: errors, version, dates, DUI, folding, allocator. */
#define _GNU_SOURCE
#include "helpers.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- error report ----------------------------------------------------------------------- */

/* Must run first: nothing has failed yet on this thread. */
static void test_error_initial_state(void **state)
{
	(void)state;
	const youth_error *e = youth_error_last();
	assert_non_null(e);
	assert_int_equal(e->code, YOUTH_OK);
	assert_non_null(e->message);
	assert_string_equal(e->message, "");
	assert_null(e->field);
}

static void test_error_last_and_clear(void **state)
{
	(void)state;
	const youth_error *e;

	assert_rc(youth_date_check("2009-02-30", "birth_date"), YOUTH_EINVAL);
	e = youth_error_last();
	assert_non_null(e);
	assert_int_equal(e->code, YOUTH_EINVAL);
	assert_non_null(e->message);
	assert_true(strlen(e->message) > 0);

	/* A success leaves the report alone. */
	assert_ok(youth_date_check("2009-02-28", "birth_date"));
	e = youth_error_last();
	assert_int_equal(e->code, YOUTH_EINVAL);
	assert_true(th_contains(e->message, "2009-02-30"));

	/* The next failure replaces it. */
	assert_rc(youth_dui_check("1234"), YOUTH_EINVAL);
	e = youth_error_last();
	assert_int_equal(e->code, YOUTH_EINVAL);
	assert_false(th_contains(e->message, "2009-02-30"));

	youth_error_clear();
	e = youth_error_last();
	assert_non_null(e);
	assert_int_equal(e->code, YOUTH_OK);
	assert_non_null(e->message);
	assert_string_equal(e->message, "");
	assert_null(e->field);

	/* Clearing twice is harmless. */
	youth_error_clear();
	assert_int_equal(youth_error_last()->code, YOUTH_OK);
}

struct thread_result {
	int initial_code;
	int rc;
	int code_after;
	int saw_main_value;
};

static void *thread_body(void *arg)
{
	struct thread_result *r = arg;
	r->initial_code = youth_error_last()->code;
	r->saw_main_value = th_contains(youth_error_last()->message, "1901-02-29");
	r->rc = youth_dui_check("99999999-x");
	r->code_after = youth_error_last()->code;
	return NULL;
}

/* The report is per thread: another thread neither sees nor replaces this thread's. */
static void test_error_per_thread(void **state)
{
	(void)state;
	pthread_t t;
	struct thread_result r = {99, 99, 99, 99};

	assert_rc(youth_date_check("1901-02-29", "birth_date"), YOUTH_EINVAL);
	assert_int_equal(pthread_create(&t, NULL, thread_body, &r), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(r.initial_code, YOUTH_OK);
	assert_int_equal(r.saw_main_value, 0);
	assert_int_equal(r.rc, YOUTH_EINVAL);
	assert_int_equal(r.code_after, YOUTH_EINVAL);
	/* ours is intact */
	assert_int_equal(youth_error_last()->code, YOUTH_EINVAL);
	assert_msg_has("1901-02-29");
	assert_err_field("birth_date");
}

static void test_error_name_every_code(void **state)
{
	(void)state;
	static const struct {
		int code;
		const char *name;
	} codes[] = {
#define C(x) {YOUTH_##x, #x}
		C(OK),      C(ERROR),     C(ENOMEM),  C(EINVAL),      C(ENOTFOUND),
		C(EEXISTS), C(EIO),       C(ECORRUPT), C(EVERSION),   C(EBUSY),
		C(EREADONLY), C(EFULL),   C(EMISUSE), C(EREFERENCED), C(ESTATE),
		C(ERULE),   C(EPARSE),    C(ELIMIT),  C(ECANCELLED), C(EACCESS),  C(ITEROVER),
#undef C
	};
	size_t n = sizeof codes / sizeof codes[0];
	for (size_t i = 0; i < n; i++) {
		const char *name = youth_error_name(codes[i].code);
		assert_non_null(name);
		if (strcmp(name, codes[i].name) != 0)
			fail_msg("youth_error_name(%d) = \"%s\", expected \"%s\"", codes[i].code, name,
			         codes[i].name);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(name, youth_error_name(codes[j].code));
	}
	static const int unknown[] = {1, 2, 100, -20, -30, -32, -1000, 12345};
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
		const char *name = youth_error_name(unknown[i]);
		assert_non_null(name);
		assert_string_equal(name, "EUNKNOWN");
	}
}

/* ---- version ---------------------------------------------------------------------------- */

static void test_version(void **state)
{
	(void)state;
	char expect[64];
	assert_non_null(youth_version());
	assert_string_equal(youth_version(), YOUTH_VERSION);
	snprintf(expect, sizeof expect, "%d.%d.%d", YOUTH_VERSION_MAJOR, YOUTH_VERSION_MINOR,
	         YOUTH_VERSION_PATCH);
	assert_string_equal(expect, YOUTH_VERSION);
	assert_int_equal(YOUTH_VERSION_NUMBER, YOUTH_VERSION_MAJOR * 10000 +
	                                           YOUTH_VERSION_MINOR * 100 + YOUTH_VERSION_PATCH);
	assert_true(YOUTH_VERSION_NUMBER > 0);
}

/* ---- dates ------------------------------------------------------------------------------ */

static void test_date_check_valid(void **state)
{
	(void)state;
	static const char *ok[] = {
		"2009-03-02", "2000-02-29", "2024-02-29", "1996-02-29", "2009-12-31",
		"2009-01-01", "2009-04-30", "2009-01-31", "1900-01-01", "2199-12-31",
		"2100-02-28", "2009-02-28",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		youth_error_clear();
		if (youth_date_check(ok[i], "birth_date") != YOUTH_OK)
			fail_msg("\"%s\" refused: %s", ok[i], youth_error_last()->message);
		/* A success does not report anything. */
		assert_int_equal(youth_error_last()->code, YOUTH_OK);
	}
	/* field may be NULL */
	assert_ok(youth_date_check("2009-03-02", NULL));
}

static void test_date_check_invalid(void **state)
{
	(void)state;
	static const char *bad[] = {
		"2009-02-30", "2009-13-01", "09-01-01",   "2009-01-01x", "2009-01-01 ",
		" 2009-01-01", "1900-02-29", "2023-02-29", "2100-02-29", "2009-00-10",
		"2009-01-00", "2009-04-31", "2009-06-31", "2009-1-01",  "2009-01-1",
		"2009/01/01", "20090101",  "2009-01",    "2009",       "1899-12-31",
		"2200-01-01", "0000-01-01", "9999-12-31", "-009-01-01", "+009-01-01",
		"2009-0a-01", "2009-01-32", "2009--1-01", "2009-01-01T00:00", "\xef\xbc\x92" "009-01-01",
		"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = youth_date_check(bad[i], "census_date");
		if (rc != YOUTH_EINVAL)
			fail_msg("date \"%s\": returned %d (%s), expected EINVAL", bad[i], rc,
			         youth_error_name(rc));
		assert_int_equal(youth_error_last()->code, YOUTH_EINVAL);
		assert_msg_has("census_date");
	}
	assert_rc(youth_date_check(NULL, "birth_date"), YOUTH_EINVAL);
	assert_rc(youth_date_check(NULL, NULL), YOUTH_EINVAL);
}

static void test_date_check_message(void **state)
{
	(void)state;
	assert_rc(youth_date_check("2009-02-30", "birth_date"), YOUTH_EINVAL);
	assert_msg_has("birth_date");
	assert_msg_has("2009-02-30");
	assert_err_field("birth_date");

	assert_rc(youth_date_check("2009-13-01", "census_date"), YOUTH_EINVAL);
	assert_msg_has("census_date");
	assert_msg_has("2009-13-01");
	assert_err_field("census_date");

	/* Without a field name the value is still named. */
	assert_rc(youth_date_check("09-01-01", NULL), YOUTH_EINVAL);
	assert_msg_has("09-01-01");
}

static void test_age_at(void **state)
{
	(void)state;
	static const struct {
		const char *birth, *at;
		int age;
	} cases[] = {
		{"2000-05-14", "2000-05-14", 0},  {"2000-05-14", "2009-05-13", 8},
		{"2000-05-14", "2009-05-14", 9},  {"2000-05-14", "2009-05-15", 9},
		{"1992-05-14", "2009-03-02", 16}, {"1984-03-02", "2009-03-02", 25},
		{"1984-03-03", "2009-03-02", 24}, {"1999-12-31", "2000-01-01", 0},
		{"1999-12-31", "2018-12-31", 19}, {"1900-01-01", "2199-12-31", 299},
		/* 29 February births turn older on 1 March in common years */
		{"2000-02-29", "2001-02-28", 0},  {"2000-02-29", "2001-03-01", 1},
		{"2000-02-29", "2004-02-28", 3},  {"2000-02-29", "2004-02-29", 4},
		{"2000-02-29", "2018-02-28", 17}, {"2000-02-29", "2018-03-01", 18},
		{"1996-02-29", "2009-03-01", 13}, {"1996-02-29", "2009-02-28", 12},
		/* someone born 28 Feb turns older on 28 Feb, also in leap years */
		{"2003-02-28", "2004-02-28", 1},  {"2003-02-28", "2004-02-27", 0},
		{"2003-03-01", "2004-02-29", 0},  {"2003-03-01", "2004-03-01", 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int age = -999;
		assert_ok(youth_age_at(&age, cases[i].birth, cases[i].at));
		if (age != cases[i].age)
			fail_msg("age of %s at %s: got %d, expected %d", cases[i].birth, cases[i].at, age,
			         cases[i].age);
	}
}

static void test_age_at_negative(void **state)
{
	(void)state;
	int age = 0;
	assert_ok(youth_age_at(&age, "2010-01-01", "2009-01-01"));
	assert_int_equal(age, -1);
	age = 0;
	assert_ok(youth_age_at(&age, "2010-01-01", "2009-12-31"));
	assert_true(age < 0);
	age = 0;
	assert_ok(youth_age_at(&age, "2010-06-01", "2000-06-01"));
	assert_int_equal(age, -10);
}

static void test_age_at_bad_dates(void **state)
{
	(void)state;
	int age = 12345;
	assert_rc(youth_age_at(&age, "2009-02-30", "2010-01-01"), YOUTH_EINVAL);
	assert_msg_has("2009-02-30");
	assert_rc(youth_age_at(&age, "2009-01-01", "2010-13-01"), YOUTH_EINVAL);
	assert_msg_has("2010-13-01");
	assert_rc(youth_age_at(&age, "09-01-01", "2010-01-01"), YOUTH_EINVAL);
	assert_rc(youth_age_at(&age, "2009-01-01", ""), YOUTH_EINVAL);
	assert_rc(youth_age_at(&age, NULL, "2010-01-01"), YOUTH_EINVAL);
	assert_rc(youth_age_at(&age, "2009-01-01", NULL), YOUTH_EINVAL);
	assert_rc(youth_age_at(NULL, "2009-01-01", "2010-01-01"), YOUTH_EINVAL);
}

/* ---- DUI -------------------------------------------------------------------------------- */

static void test_dui_check_digit_helper(void **state)
{
	(void)state;
	/* The helper itself against a hand computation: 0*9+0*8+0*7+1*6+6*5+2*4+9*3+7*2 = 85,
	 * (10 - 85 % 10) % 10 = 5. */
	assert_int_equal(th_dui_digit(16297), 5);
	/* 1*9+2*8+3*7+4*6+5*5+6*4+7*3+8*2 = 156 -> 4 */
	assert_int_equal(th_dui_digit(12345678), 4);
	/* sum 0 -> check digit 0 */
	assert_int_equal(th_dui_digit(0), 0);
}

static void test_dui_valid(void **state)
{
	(void)state;
	char dui[16];
	assert_ok(youth_dui_check("00016297-5"));
	assert_ok(youth_dui_check("12345678-4"));
	assert_ok(youth_dui_check("00000000-0"));
	/* a spread of computed ones, covering every check digit */
	int seen[10] = {0};
	for (unsigned long base = 3141592; base < 100000000UL; base += 7654321UL) {
		th_dui(dui, base);
		seen[th_dui_digit(base)] = 1;
		if (youth_dui_check(dui) != YOUTH_OK)
			fail_msg("valid DUI %s refused: %s", dui, youth_error_last()->message);
	}
	for (unsigned long base = 10000000; base < 10000100; base += 10) {
		th_dui(dui, base);
		seen[th_dui_digit(base)] = 1;
		assert_ok(youth_dui_check(dui));
	}
	for (int d = 0; d < 10; d++)
		assert_true(seen[d]);
}

static void test_dui_wrong_digit(void **state)
{
	(void)state;
	char dui[16];
	for (unsigned long base = 2718281; base < 100000000UL; base += 9876543UL) {
		int good = th_dui_digit(base);
		for (int d = 0; d < 10; d++) {
			if (d == good)
				continue;
			snprintf(dui, sizeof dui, "%08lu-%d", base, d);
			int rc = youth_dui_check(dui);
			if (rc != YOUTH_EINVAL)
				fail_msg("DUI %s with wrong check digit (right: %d): got %s", dui, good,
				         youth_error_name(rc));
			assert_msg_has("check digit");
			assert_msg_has(dui);
		}
	}
	assert_rc(youth_dui_check("00016297-4"), YOUTH_EINVAL);
	assert_rc(youth_dui_check("12345678-5"), YOUTH_EINVAL);
}

static void test_dui_wrong_format(void **state)
{
	(void)state;
	static const char *bad[] = {
		"",            "1234",         "123456784",   "12345678",    "12345678-",
		"1234567-8",   "123456789-0",  "12345678-44", "1234567a-4",  "12345678-x",
		" 12345678-4", "12345678-4 ",  "12345678 4",  "12345678_4",  "1234-5678-4",
		"-12345678-4", "１2345678-4", "12345678--4", "12345678-4\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = youth_dui_check(bad[i]);
		if (rc != YOUTH_EINVAL)
			fail_msg("DUI \"%s\": got %s, expected EINVAL", bad[i], youth_error_name(rc));
		assert_true(strlen(youth_error_last()->message) > 0);
	}
	assert_rc(youth_dui_check(NULL), YOUTH_EINVAL);
}

/* ---- folding ---------------------------------------------------------------------------- */

static void check_fold(const char *in, const char *want)
{
	char *out = NULL;
	int rc = youth_fold(&out, in);
	if (rc != YOUTH_OK)
		fail_msg("youth_fold(\"%s\") returned %s: %s", in, youth_error_name(rc),
		         youth_error_last()->message);
	assert_non_null(out);
	if (strcmp(out, want) != 0)
		fail_msg("youth_fold(\"%s\") = \"%s\", expected \"%s\"", in, out, want);
	youth_free(out);
}

static void test_fold(void **state)
{
	(void)state;
	check_fold("José HERNÁNDEZ  Pérez", "jose hernandez perez");
	check_fold("José HERNÁNDEZ", "jose hernandez");
	check_fold("Hernández", "hernandez");
	check_fold("HERNANDEZ", "hernandez");
	check_fold("Muñoz", "munoz");
	check_fold("MUÑOZ", "munoz");
	check_fold("Ñandú", "nandu");
	check_fold("Güegüecho", "gueguecho");
	check_fold("PINGÜINO", "pinguino");
	check_fold("ÁÉÍÓÚÜÑ áéíóúüñ", "aeiouun aeiouun");
	check_fold("àèìòù âêîôû äëïöü ç Ç ã õ", "aeiou aeiou aeiou c c a o");
	check_fold("abc-xyz 123", "abc-xyz 123");
	check_fold("a \t\n  b", "a b");
	check_fold("María  José", "maria jose");
	check_fold("", "");
}

static void test_fold_invalid(void **state)
{
	(void)state;
	static const char *bad[] = {
		"\xff",                 /* never valid */
		"caf\xc3",              /* truncated sequence at the end */
		"caf\xc3" "x",          /* bad continuation */
		"\xc0\xaf",             /* overlong '/' */
		"\xe0\x80\xaf",         /* overlong, 3 bytes */
		"\xed\xa0\x80",         /* UTF-16 surrogate */
		"\xf4\x90\x80\x80",     /* above U+10FFFF */
		"Jos\xe9",              /* Latin-1 é */
		"\x80",                 /* lone continuation byte */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *out = NULL;
		int rc = youth_fold(&out, bad[i]);
		if (rc != YOUTH_EINVAL)
			fail_msg("youth_fold of invalid UTF-8 #%zu returned %s, expected EINVAL", i,
			         youth_error_name(rc));
	}
	char *out = NULL;
	assert_rc(youth_fold(&out, NULL), YOUTH_EINVAL);
	assert_rc(youth_fold(NULL, "abc"), YOUTH_EINVAL);
}

/* ---- allocator -------------------------------------------------------------------------- */

static void *null_malloc(size_t s, void *c)
{
	(void)s;
	(void)c;
	return NULL;
}
static void *null_realloc(void *p, size_t s, void *c)
{
	(void)p;
	(void)s;
	(void)c;
	return NULL;
}
static void null_free(void *p, void *c)
{
	(void)p;
	(void)c;
}

static void test_allocator_restore_null(void **state)
{
	(void)state;
	char *out = NULL;
	assert_ok(youth_set_allocator(NULL));
	assert_ok(youth_fold(&out, "ABC"));
	assert_string_equal(out, "abc");
	youth_free(out);
	youth_free(NULL); /* NULL-safe */
}

static void test_allocator_null_function(void **state)
{
	(void)state;
	th_alloc_state st;
	youth_allocator a = {null_malloc, null_realloc, null_free, NULL};
	char *out = NULL;

	/* Install a counting allocator; invalid replacements must leave it in place. */
	th_alloc_install(&st, 0, 0);

	a.malloc_fn = NULL;
	assert_rc(youth_set_allocator(&a), YOUTH_EINVAL);
	a.malloc_fn = null_malloc;
	a.realloc_fn = NULL;
	assert_rc(youth_set_allocator(&a), YOUTH_EINVAL);
	a.realloc_fn = null_realloc;
	a.free_fn = NULL;
	assert_rc(youth_set_allocator(&a), YOUTH_EINVAL);
	a.malloc_fn = NULL;
	a.realloc_fn = NULL;
	assert_rc(youth_set_allocator(&a), YOUTH_EINVAL);

	long before = st.calls;
	assert_ok(youth_fold(&out, "Pérez"));
	assert_string_equal(out, "perez");
	assert_true(st.calls > before); /* still the counting allocator */
	youth_free(out);
	th_alloc_restore();
}

static void test_allocator_counts(void **state)
{
	(void)state;
	th_alloc_state st;
	char *out = NULL;
	th_alloc_install(&st, 0, 0);
	assert_ok(youth_fold(&out, "José HERNÁNDEZ  Pérez"));
	assert_string_equal(out, "jose hernandez perez");
	assert_true(st.calls >= 1);
	assert_true(st.live >= 1);
	youth_free(out);
	assert_int_equal(st.live, 0);
	assert_true(st.frees >= 1);
	th_alloc_restore();

	/* After restoring, the counting allocator is no longer called. */
	long calls = st.calls;
	assert_ok(youth_fold(&out, "ABC"));
	youth_free(out);
	assert_int_equal(st.calls, calls);
}

static void test_allocator_fails_nth(void **state)
{
	(void)state;
	th_alloc_state st;
	char *out = (char *)"sentinel";

	/* Every allocation fails: folding reports ENOMEM. */
	th_alloc_install(&st, 1, 1);
	assert_rc(youth_fold(&out, "José"), YOUTH_ENOMEM);
	assert_int_equal(youth_error_last()->code, YOUTH_ENOMEM);
	assert_true(st.failed >= 1);
	assert_int_equal(st.live, 0);
	th_alloc_restore();

	/* Fail the Nth allocation for growing N until folding needs no more. */
	for (long n = 1; n < 1000; n++) {
		th_alloc_install(&st, n, 0);
		out = NULL;
		int rc = youth_fold(&out, "José HERNÁNDEZ  Pérez de la Ñ");
		if (st.failed == 0) {
			assert_ok(rc);
			assert_string_equal(out, "jose hernandez perez de la n");
			youth_free(out);
			assert_int_equal(st.live, 0);
			th_alloc_restore();
			return;
		}
		if (rc == YOUTH_OK) {
			/* a failed allocation may be retried or avoided, but the result must be right */
			assert_string_equal(out, "jose hernandez perez de la n");
			youth_free(out);
		} else {
			assert_rc(rc, YOUTH_ENOMEM);
		}
		assert_int_equal(st.live, 0);
		th_alloc_restore();
	}
	fail_msg("youth_fold never completed without failing an allocation");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_initial_state),
		cmocka_unit_test(test_error_last_and_clear),
		cmocka_unit_test(test_error_per_thread),
		cmocka_unit_test(test_error_name_every_code),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_date_check_valid),
		cmocka_unit_test(test_date_check_invalid),
		cmocka_unit_test(test_date_check_message),
		cmocka_unit_test(test_age_at),
		cmocka_unit_test(test_age_at_negative),
		cmocka_unit_test(test_age_at_bad_dates),
		cmocka_unit_test(test_dui_check_digit_helper),
		cmocka_unit_test(test_dui_valid),
		cmocka_unit_test(test_dui_wrong_digit),
		cmocka_unit_test(test_dui_wrong_format),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_fold_invalid),
		cmocka_unit_test(test_allocator_restore_null),
		cmocka_unit_test(test_allocator_null_function),
		cmocka_unit_test(test_allocator_counts),
		cmocka_unit_test(test_allocator_fails_nth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
