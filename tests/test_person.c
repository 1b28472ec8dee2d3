/* Tests of youth/person.h: validation rules, CRUD, filters, iteration, field access by name,
 * and census batch loading. */
#define _GNU_SOURCE
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

static youth_person *get_person(youth_registry *reg, int64_t id)
{
	youth_person *p = NULL;
	int rc = youth_person_get(&p, reg, id);
	if (rc != YOUTH_OK)
		fail_msg("youth_person_get(%lld) returned %s: %s", (long long)id, youth_error_name(rc),
		         youth_error_last()->message);
	assert_non_null(p);
	return p;
}

static int64_t place_id(youth_registry *reg, const char *text)
{
	youth_place *pl = NULL;
	assert_ok(youth_place_get(&pl, reg, text));
	int64_t id = pl->id;
	youth_place_free(pl);
	return id;
}

/* Adds @p p expecting @p code; on failure checks the field named and that nothing was added. */
static void expect_add(youth_registry *reg, youth_person *p, unsigned flags, int code,
                       const char *field, const char *file, int line)
{
	int64_t before = th_count_persons(reg);
	int64_t changes = youth_registry_total_changes(reg);
	int rc = youth_person_add(reg, p, flags);
	if (rc != code)
		fail_msg("%s:%d: youth_person_add returned %s, expected %s: %s", file, line,
		         youth_error_name(rc), youth_error_name(code), youth_error_last()->message);
	if (code == YOUTH_OK) {
		assert_int_equal(th_count_persons(reg), before + 1);
		return;
	}
	if (youth_error_last()->code != code)
		fail_msg("%s:%d: error report has code %d", file, line, youth_error_last()->code);
	if (field) {
		th_check_msg(field, file, line);
		th_check_field(field, file, line);
	}
	if (th_count_persons(reg) != before)
		fail_msg("%s:%d: a refused add changed the number of persons", file, line);
	if (youth_registry_total_changes(reg) != changes)
		fail_msg("%s:%d: a refused add counted as a change", file, line);
}
#define EXPECT_ADD(reg, p, flags, code, field)                                                 \
	expect_add((reg), (p), (flags), (code), (field), __FILE__, __LINE__)

static char *repeat(const char *unit, int n)
{
	size_t u = strlen(unit);
	char *s = malloc(u * (size_t)n + 1);
	assert_non_null(s);
	for (int i = 0; i < n; i++)
		memcpy(s + u * (size_t)i, unit, u);
	s[u * (size_t)n] = 0;
	return s;
}

/* ---- add and get ------------------------------------------------------------------------ */

static void test_add_valid(void **state)
{
	youth_registry *reg = *state;
	youth_person p, *byid, *byuuid = NULL;

	th_person_valid(&p);
	assert_int_equal(p.uuid[0], 0);
	assert_ok(youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT));
	assert_true(p.id > 0);
	assert_uuid(p.uuid);
	assert_int_equal(th_count_persons(reg), 1);

	/* docs/person.md: generated UUIDs are version 7 (RFC 9562 variant) */
	assert_int_equal(p.uuid[14], '7');
	assert_non_null(strchr("89ab", p.uuid[19]));

	byid = get_person(reg, p.id);
	assert_person_eq(byid, &p); /* every field as given (place given in canonical form) */
	assert_null(byid->national_id);

	assert_ok(youth_person_get_by_uuid(&byuuid, reg, p.uuid));
	assert_non_null(byuuid);
	assert_person_eq(byuuid, byid);
	youth_person_free(byid);
	youth_person_free(byuuid);

	/* a second person gets another id and uuid */
	youth_person q;
	th_person_valid(&q);
	assert_ok(youth_person_add(reg, &q, 0));
	assert_true(q.id > 0 && q.id != p.id);
	assert_uuid(q.uuid);
	assert_string_not_equal(q.uuid, p.uuid);
	assert_int_equal(th_count_persons(reg), 2);
}

static void test_add_minimal_and_normalised(void **state)
{
	youth_registry *reg = *state;
	youth_person p, *got;
	char dui[16];

	youth_person_init(&p);
	p.given_names = "Ana";
	p.first_surname = "López";
	p.birth_date = "1990-01-31";
	p.sex = YOUTH_SEX_FEMALE;
	p.place = "Santa Eugenia"; /* a trailing part of the path */
	p.census_date = "2009-03-02";
	p.census_round = "census-2009";
	assert_ok(youth_person_add(reg, &p, 0));
	got = get_person(reg, p.id);
	assert_string_equal(got->given_names, "Ana");
	assert_string_equal(got->first_surname, "López");
	assert_null(got->second_surname);
	assert_null(got->national_id);
	assert_null(got->address);
	assert_null(got->phone);
	assert_null(got->job_profiles);
	assert_null(got->consent_date);
	assert_int_equal(got->consent, 0);
	assert_int_equal(got->education, YOUTH_EDU_UNKNOWN);
	assert_int_equal(got->employment, YOUTH_EMP_UNKNOWN);
	assert_int_equal(got->household_size, 0);
	assert_non_null(got->place);
	/* docs/person.md: read back as its full path */
	assert_string_equal(got->place, TH_SANTA_EUGENIA);
	youth_person_free(got);

	/* phone digits are stored as NNNN-NNNN; a DUI is kept */
	th_person_valid(&p);
	th_dui(dui, 16297);
	p.national_id = dui;
	p.birth_date = "1985-06-01";
	p.phone = "71234567";
	assert_ok(youth_person_add(reg, &p, 0));
	got = get_person(reg, p.id);
	assert_string_equal(got->phone, "7123-4567");
	assert_string_equal(got->national_id, "00016297-5");
	youth_person_free(got);
}

static void test_add_given_uuid(void **state)
{
	youth_registry *reg = *state;
	youth_person p, *got = NULL;
	static const char u[] = "123e4567-e89b-42d3-a456-426614174000";
	th_person_valid(&p);
	memcpy(p.uuid, u, sizeof u);
	assert_ok(youth_person_add(reg, &p, 0));
	assert_string_equal(p.uuid, u);
	assert_ok(youth_person_get_by_uuid(&got, reg, u));
	assert_string_equal(got->uuid, u);
	assert_int_equal(got->id, p.id);
	youth_person_free(got);

	/* the same uuid again */
	th_person_valid(&p);
	memcpy(p.uuid, u, sizeof u);
	EXPECT_ADD(reg, &p, 0, YOUTH_EEXISTS, NULL);
	assert_msg_has(u);

	static const char *bad[] = {
		"1234", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "123e4567e89b42d3a456426614174000----",
		"123e4567-e89b-42d3-a456-42661417400g", "123e4567-e89b-42d3-a456_426614174000",
		"{23e4567-e89b-42d3-a456-426614174000", "123e4567-e89b-42d3-a456-42661417400-",
		"123e4567-e89b-42d3-a456-42661417400\xc3", "123e4567-e89b-42d3-a4561426614174000",
		"123e4567-e89b-42d3-a456-42661417400 ",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		th_person_valid(&p);
		snprintf(p.uuid, sizeof p.uuid, "%s", bad[i]);
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "uuid");
	}

	/* upper-case hex digits are a UUID, kept in lower case */
	th_person_valid(&p);
	snprintf(p.uuid, sizeof p.uuid, "%s", "ABCDEF01-E89B-42D3-A456-426614174000");
	assert_ok(youth_person_add(reg, &p, 0));
	assert_string_equal(p.uuid, "abcdef01-e89b-42d3-a456-426614174000");
}

static void test_add_missing_required(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	static const char *fields[] = {"given_names", "first_surname", "birth_date", "place",
	                               "census_date", "census_round"};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		for (int empty = 0; empty < 2; empty++) {
			th_person_valid(&p);
			const char **m = NULL;
			switch (i) {
			case 0: m = &p.given_names; break;
			case 1: m = &p.first_surname; break;
			case 2: m = &p.birth_date; break;
			case 3: m = &p.place; break;
			case 4: m = &p.census_date; break;
			case 5: m = &p.census_round; break;
			}
			*m = empty ? "" : NULL;
			EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, fields[i]);
		}
	}
	th_person_valid(&p);
	p.sex = YOUTH_SEX_UNSET;
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "sex");
	/* docs/person.md: names are "not only blanks" */
	th_person_valid(&p);
	p.given_names = "   ";
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "given_names");
	th_person_valid(&p);
	p.first_surname = " \t ";
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "first_surname");
	/* Blanks are every character that shows nothing: no-break, zero-width and other spaces,
	 * joiners, direction marks, the BOM, soft hyphens, fillers. */
	static const char *const invisible[] = {
		"\xc2\xa0",                 /* U+00A0 no-break space */
		"\xe2\x80\x8b\xe2\x80\x8b",     /* U+200B zero-width space, twice */
		"\xe2\x80\x8c\xe2\x80\x8d",     /* U+200C/D zero-width non-joiner, joiner */
		"\xe2\x80\xaf \xe3\x80\x80",    /* U+202F narrow no-break, U+3000 ideographic */
		"\xef\xbb\xbf",               /* U+FEFF BOM / zero-width no-break space */
		"\xe2\x80\x8e\xe2\x80\x8f",     /* U+200E/F direction marks */
		"\xe2\x81\xa0\xc2\xad",         /* U+2060 word joiner, U+00AD soft hyphen */
		"\xe3\x85\xa4",               /* U+3164 Hangul filler */
	};
	for (size_t i = 0; i < sizeof invisible / sizeof invisible[0]; i++) {
		th_person_valid(&p);
		p.given_names = invisible[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "given_names");
		assert_msg_has("only blanks");
	}
	/* Control characters (docs/person.md) anywhere in a name: TAB, C1 (NEL, U+0085), DEL;
	 * and the line and paragraph separators, which YAML reads as line breaks. */
	static const char *const control[] = {
		"Ana\tMaría", "\t", "Ana\xc2\x85", "\xc2\x85", "Ana\x7f", "Ana\xc2\x9f",
		"Ana\xe2\x80\xa8María", "Ana\xe2\x80\xa9", "Ana\nMaría",
	};
	for (size_t i = 0; i < sizeof control / sizeof control[0]; i++) {
		th_person_valid(&p);
		p.second_surname = control[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "second_surname");
		assert_msg_has("control characters");
	}

	assert_rc(youth_person_add(reg, NULL, 0), YOUTH_EINVAL);
	assert_int_equal(th_count_persons(reg), 0);
	/* Visible text around invisible characters is a name, stored as given. */
	th_person_valid(&p);
	p.given_names = "\xc2\xa0" "Ana\xe2\x80\x8b" " Mar\xc3\xad" "a";
	EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
}

static void test_add_bad_birth_date(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	static const char *bad[] = {"2009-02-30", "1992-5-14", "14/05/1992", "1992-05-14x",
	                            "1991-02-29", "1992-13-01", "92-05-14"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		th_person_valid(&p);
		p.birth_date = bad[i];
		EXPECT_ADD(reg, &p, YOUTH_PERSON_ALLOW_AGE, YOUTH_EINVAL, "birth_date");
		assert_msg_has(bad[i]);
	}
	/* 29 February of a leap year is fine */
	th_person_valid(&p);
	p.birth_date = "1992-02-29";
	EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
}

static void test_add_census_date(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	char tomorrow[16], today[16];

	th_person_valid(&p);
	p.census_date = "2009-02-30";
	EXPECT_ADD(reg, &p, YOUTH_PERSON_ALLOW_AGE, YOUTH_EINVAL, "census_date");
	assert_msg_has("2009-02-30");

	/* before birth */
	th_person_valid(&p);
	p.census_date = "1992-05-13";
	EXPECT_ADD(reg, &p, YOUTH_PERSON_ALLOW_AGE, YOUTH_EINVAL, "census_date");

	/* in the future */
	th_today_utc(tomorrow, 1);
	th_person_valid(&p);
	p.birth_date = "2000-01-01";
	p.census_date = tomorrow;
	p.consent = 0;
	p.consent_date = NULL;
	EXPECT_ADD(reg, &p, YOUTH_PERSON_ALLOW_AGE, YOUTH_EINVAL, "census_date");
	th_person_valid(&p);
	p.census_date = "2199-01-01";
	EXPECT_ADD(reg, &p, YOUTH_PERSON_ALLOW_AGE, YOUTH_EINVAL, "census_date");

	/* today is allowed */
	th_today_utc(today, 0);
	th_person_valid(&p);
	p.birth_date = "2005-01-01";
	p.census_date = today;
	p.consent_date = today;
	EXPECT_ADD(reg, &p, YOUTH_PERSON_ALLOW_AGE, YOUTH_OK, NULL);
	/* on the day of birth, with the age rule waived */
	th_person_valid(&p);
	p.census_date = p.birth_date;
	p.consent_date = p.birth_date;
	EXPECT_ADD(reg, &p, YOUTH_PERSON_ALLOW_AGE, YOUTH_OK, NULL);
}

static void test_add_age_rule(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	static const struct {
		const char *birth;
		int ok;
	} cases[] = {
		{"1996-03-03", 0}, /* 12 at 2009-03-02 */
		{"1996-03-02", 1}, /* 13 today */
		{"1979-03-03", 1}, /* 29 */
		{"1979-03-02", 0}, /* 30 today */
		{"1970-01-01", 0}, /* 39 */
		{"2005-01-01", 0}, /* 4 */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		th_person_valid(&p);
		p.birth_date = cases[i].birth;
		int64_t before = th_count_persons(reg);
		int rc = youth_person_add(reg, &p, 0);
		if (cases[i].ok) {
			if (rc != YOUTH_OK)
				fail_msg("born %s, census 2009-03-02: refused: %s", cases[i].birth,
				         youth_error_last()->message);
		} else {
			if (rc != YOUTH_EINVAL)
				fail_msg("born %s, census 2009-03-02: got %s, expected EINVAL",
				         cases[i].birth, youth_error_name(rc));
			assert_int_equal(th_count_persons(reg), before);
			/* the flag waives the rule */
			th_person_valid(&p);
			p.birth_date = cases[i].birth;
			assert_ok(youth_person_add(reg, &p, YOUTH_PERSON_ALLOW_AGE));
			assert_int_equal(th_count_persons(reg), before + 1);
		}
	}
}

static void test_add_dui(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	char dui[16], wrong[16];

	th_person_valid(&p);
	p.birth_date = "1985-01-10";
	p.national_id = "1234567-8";
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "national_id");
	p.national_id = "123456789";
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "national_id");
	p.national_id = "12345678-5"; /* check digit is 4 */
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "national_id");
	assert_msg_has("check digit");

	th_dui(dui, 4815162);
	snprintf(wrong, sizeof wrong, "%.9s%d", dui, (th_dui_digit(4815162) + 1) % 10);
	p.national_id = wrong;
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "national_id");

	th_person_valid(&p);
	p.birth_date = "1985-01-10";
	p.national_id = dui;
	EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);

	/* the same DUI for someone else */
	th_person_valid(&p);
	p.given_names = "Otra";
	p.birth_date = "1986-02-11";
	p.national_id = dui;
	EXPECT_ADD(reg, &p, 0, YOUTH_EEXISTS, NULL);
	assert_msg_has(dui);
	/* docs/person.md: the message names the person that holds it */
	{
		youth_person_filter f;
		youth_person_iter *it = NULL;
		const youth_person *holder;
		char idtext[32];
		const char *msg;
		memset(&f, 0, sizeof f);
		f.name = "jose antonio";
		/* copy the message: the iteration below must not be what we inspect */
		char saved[1024];
		snprintf(saved, sizeof saved, "%s", youth_error_last()->message);
		assert_ok(youth_person_iter_new(&it, reg, &f));
		assert_ok(youth_person_next(&holder, it));
		msg = saved;
		snprintf(idtext, sizeof idtext, "%lld", (long long)holder->id);
		if (!th_contains(msg, holder->uuid) && !th_contains(msg, holder->given_names))
			fail_msg("duplicate DUI message does not name the holder (id %s, uuid %s): %s",
			         idtext, holder->uuid, msg);
		youth_person_iter_free(it);
	}
}

static void test_add_place(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	th_person_valid(&p);
	p.place = "Nowhere";
	EXPECT_ADD(reg, &p, 0, YOUTH_ENOTFOUND, NULL);
	assert_msg_has("Nowhere");
	p.place = "sonsonate/sonsonate-centro/sonzacate/no-such-community";
	EXPECT_ADD(reg, &p, 0, YOUTH_ENOTFOUND, NULL);
	p.place = "San Julián"; /* ambiguous */
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "place");
	/* any level is accepted */
	p.place = "Sonsonate Este/San Julián";
	EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
	th_person_valid(&p);
	p.place = "sonsonate/sonsonate-norte";
	EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
}

static void test_add_phone(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	/* docs/person.md: 8 digits starting with 2, 6 or 7; +503, spaces and dashes allowed */
	static const char *good[] = {"7123-4567", "71234567", "2451-0000", "6012 3456",
	                             "+503 7123-4567", "+50371234567"};
	static const char *bad[] = {"1234567", "123456789", "7123-456a", "phone", "1234-5678",
	                            "8123-4567", "7123-45678", "", "+504 7123-4567", "0123-4567"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		th_person_valid(&p);
		p.phone = good[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
		youth_person *got = get_person(reg, p.id);
		char want[16];
		const char *d = good[i] + strlen(good[i]);
		int k = 0;
		char digits[9];
		while (d > good[i] && k < 8) {
			d--;
			if (*d >= '0' && *d <= '9')
				digits[7 - k++] = *d;
		}
		digits[8] = 0;
		snprintf(want, sizeof want, "%.4s-%.4s", digits, digits + 4);
		assert_string_equal(got->phone, want);
		youth_person_free(got);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		th_person_valid(&p);
		p.phone = bad[i];
		if (bad[i][0] == 0) {
			/* "" may mean "not given": either accepted as unset or refused */
			int64_t before = th_count_persons(reg);
			int rc = youth_person_add(reg, &p, 0);
			if (rc == YOUTH_OK) {
				youth_person *got = get_person(reg, p.id);
				assert_null(got->phone);
				youth_person_free(got);
			} else {
				assert_rc(rc, YOUTH_EINVAL);
				assert_int_equal(th_count_persons(reg), before);
			}
			continue;
		}
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "phone");
	}
}

static void test_add_enums_out_of_range(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	static const int sexes[] = {3, -1, 100};
	static const int edus[] = {7, -1, 99};
	static const int emps[] = {6, -1, 99};
	for (int i = 0; i < 3; i++) {
		th_person_valid(&p);
		p.sex = sexes[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "sex");
		th_person_valid(&p);
		p.education = edus[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "education");
		th_person_valid(&p);
		p.employment = emps[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "employment");
	}
	/* every defined value is accepted */
	for (int v = YOUTH_EDU_UNKNOWN; v <= YOUTH_EDU_UNIVERSITY; v++) {
		th_person_valid(&p);
		p.education = v;
		EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
	}
	for (int v = YOUTH_EMP_UNKNOWN; v <= YOUTH_EMP_INACTIVE; v++) {
		th_person_valid(&p);
		p.employment = v;
		EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
	}
	th_person_valid(&p);
	p.sex = YOUTH_SEX_FEMALE;
	EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
}

static void test_add_household_size(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	static const int bad[] = {-1, 31, 1000};
	static const int good[] = {0, 1, 30};
	for (int i = 0; i < 3; i++) {
		th_person_valid(&p);
		p.household_size = bad[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "household_size");
		th_person_valid(&p);
		p.household_size = good[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
	}
}

static void test_add_booleans(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	th_person_valid(&p);
	p.studying = 2;
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "studying");
	th_person_valid(&p);
	p.disability = -1;
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "disability");
	th_person_valid(&p);
	p.consent = 2;
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "consent");
}

static void test_add_census_round(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	char *r32 = repeat("a", 32), *r33 = repeat("b", 33);
	const char *bad[] = {"census 2009", "censo/2009", "census-2009\n", "a;b", "2009,a", r33};
	const char *good[] = {"A", "ronda-2009_a.1", r32};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		th_person_valid(&p);
		p.census_round = bad[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "census_round");
	}
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		th_person_valid(&p);
		p.census_round = good[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
	}
	free(r32);
	free(r33);
}

static void test_add_lengths(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	char *n80 = repeat("a", YOUTH_NAME_MAX), *n81 = repeat("a", YOUTH_NAME_MAX + 1);
	char *e40 = repeat("é", YOUTH_NAME_MAX / 2), *e41 = repeat("é", YOUTH_NAME_MAX / 2 + 1);
	char *a200 = repeat("x", YOUTH_ADDRESS_MAX), *a201 = repeat("x", YOUTH_ADDRESS_MAX + 1);
	char *j400 = repeat("c", YOUTH_PROFILES_MAX), *j401 = repeat("c", YOUTH_PROFILES_MAX + 1);

	for (int f = 0; f < 3; f++) {
		static const char *names[] = {"given_names", "first_surname", "second_surname"};
		const char *too_long[] = {n81, e41};
		const char *fits[] = {n80, e40};
		for (int k = 0; k < 2; k++) {
			th_person_valid(&p);
			const char **m = f == 0 ? &p.given_names : f == 1 ? &p.first_surname
			                                                   : &p.second_surname;
			*m = too_long[k];
			EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, names[f]);
			th_person_valid(&p);
			m = f == 0 ? &p.given_names : f == 1 ? &p.first_surname : &p.second_surname;
			*m = fits[k];
			EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
		}
	}
	th_person_valid(&p);
	p.address = a201;
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "address");
	p.address = a200;
	EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
	th_person_valid(&p);
	p.job_profiles = j401;
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "job_profiles");
	p.job_profiles = j400;
	EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
	free(n80);
	free(n81);
	free(e40);
	free(e41);
	free(a200);
	free(a201);
	free(j400);
	free(j401);
}

static void test_add_invalid_utf8(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	static const char *bad[] = {"Jos\xe9", "\xff", "Pe\xc3", "\xed\xa0\x80"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		th_person_valid(&p);
		p.given_names = bad[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "given_names");
		th_person_valid(&p);
		p.first_surname = bad[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "first_surname");
		th_person_valid(&p);
		p.second_surname = bad[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "second_surname");
		th_person_valid(&p);
		p.address = bad[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "address");
		th_person_valid(&p);
		p.job_profiles = bad[i];
		EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "job_profiles");
	}
}

static void test_add_control_characters(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	th_person_valid(&p);
	p.given_names = "Ana\nMaría";
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "given_names");
	th_person_valid(&p);
	p.first_surname = "L\x01pez";
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "first_surname");
	th_person_valid(&p);
	p.address = "Calle 1\x1b[31m";
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "address");
}

static void test_add_job_profiles_normalised(void **state)
{
	youth_registry *reg = *state;
	youth_person p, *got;
	static const char *in[] = {"cook,baker", " cook ,, baker ", "cook, baker", ",cook,baker,"};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		th_person_valid(&p);
		p.job_profiles = in[i];
		assert_ok(youth_person_add(reg, &p, 0));
		got = get_person(reg, p.id);
		if (!th_streq(got->job_profiles, "cook, baker"))
			fail_msg("job_profiles \"%s\" stored as \"%s\", expected \"cook, baker\"", in[i],
			         got->job_profiles ? got->job_profiles : "(null)");
		youth_person_free(got);
	}
}

static void test_add_consent(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	char tomorrow[16];
	th_today_utc(tomorrow, 1);
	th_person_valid(&p);
	p.consent_date = tomorrow;
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "consent_date");
	th_person_valid(&p);
	p.consent = 1;
	p.consent_date = NULL;
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "consent_date");
	p.consent_date = "2009-02-30";
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "consent_date");
	th_person_valid(&p);
	p.consent = 0;
	p.consent_date = "2009-03-02";
	EXPECT_ADD(reg, &p, 0, YOUTH_EINVAL, "consent_date");
	th_person_valid(&p);
	p.consent = 0;
	p.consent_date = NULL;
	EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
	th_person_valid(&p);
	EXPECT_ADD(reg, &p, 0, YOUTH_OK, NULL);
}

static void test_get_errors(void **state)
{
	youth_registry *reg = *state;
	youth_person *got = (youth_person *)reg;
	int64_t id;
	assert_ok(th_add_person(reg, &id));
	assert_rc(youth_person_get(&got, reg, id + 1000), YOUTH_ENOTFOUND);
	assert_null(got);
	got = (youth_person *)reg;
	assert_rc(youth_person_get(&got, reg, 0), YOUTH_ENOTFOUND);
	assert_null(got);
	got = (youth_person *)reg;
	assert_rc(youth_person_get_by_uuid(&got, reg, "123e4567-e89b-42d3-a456-426614174000"),
	          YOUTH_ENOTFOUND);
	assert_null(got);
	assert_rc(youth_person_get_by_uuid(&got, reg, NULL), YOUTH_EINVAL);
	assert_rc_in2(youth_person_get_by_uuid(&got, reg, "not-a-uuid"), YOUTH_EINVAL,
	              YOUTH_ENOTFOUND);
	assert_null(got);
	youth_person_free(NULL);
}

/* ---- update and delete ------------------------------------------------------------------ */

static void test_update(void **state)
{
	youth_registry *reg = *state;
	youth_person p, *got, *again;
	char uuid[YOUTH_UUID_LEN + 1];

	th_person_valid(&p);
	assert_ok(youth_person_add(reg, &p, 0));
	memcpy(uuid, p.uuid, sizeof uuid);

	got = get_person(reg, p.id);
	got->first_surname = "Martínez";
	got->second_surname = NULL;
	got->phone = "7777-8888";
	got->employment = YOUTH_EMP_EMPLOYED_FORMAL;
	got->place = "El Sauce";
	got->studying = 0;
	got->household_size = 0;
	assert_ok(youth_person_update(reg, got, 0));
	youth_person_free(got);

	again = get_person(reg, p.id);
	assert_string_equal(again->first_surname, "Martínez");
	assert_null(again->second_surname);
	assert_string_equal(again->phone, "7777-8888");
	assert_int_equal(again->employment, YOUTH_EMP_EMPLOYED_FORMAL);
	assert_int_equal(again->studying, 0);
	assert_int_equal(again->household_size, 0);
	assert_int_equal(place_id(reg, again->place), place_id(reg, "sonzacate/el-sauce"));
	assert_string_equal(again->uuid, uuid);
	assert_string_equal(again->given_names, "José Antonio"); /* untouched */
	assert_int_equal(th_count_persons(reg), 1);
	/* filters see the move */
	{
		youth_person_filter f;
		int64_t n = -1;
		memset(&f, 0, sizeof f);
		f.place = "Santa Eugenia";
		assert_ok(youth_person_count(&n, reg, &f));
		assert_int_equal(n, 0);
		f.place = "El Sauce";
		assert_ok(youth_person_count(&n, reg, &f));
		assert_int_equal(n, 1);
	}

	/* by uuid, with id 0 */
	again->id = 0;
	again->given_names = "Juan José";
	assert_ok(youth_person_update(reg, again, 0));
	youth_person_free(again);
	got = get_person(reg, p.id);
	assert_string_equal(got->given_names, "Juan José");
	assert_string_equal(got->uuid, uuid);

	/* a different uuid in the record never replaces the stored one */
	snprintf(got->uuid, sizeof got->uuid, "%s", "123e4567-e89b-42d3-a456-426614174000");
	int rc = youth_person_update(reg, got, 0);
	assert_true(rc == YOUTH_OK || rc == YOUTH_EINVAL);
	youth_person_free(got);
	got = get_person(reg, p.id);
	assert_string_equal(got->uuid, uuid);
	youth_person_free(got);
	youth_person *none = NULL;
	assert_rc(youth_person_get_by_uuid(&none, reg, "123e4567-e89b-42d3-a456-426614174000"),
	          YOUTH_ENOTFOUND);
}

static void test_update_errors(void **state)
{
	youth_registry *reg = *state;
	youth_person p, q, *orig, *got, *after;
	char dui1[16], dui2[16];
	th_dui(dui1, 11111111);
	th_dui(dui2, 22222222);

	th_person_valid(&p);
	p.birth_date = "1985-01-10";
	p.national_id = dui1;
	assert_ok(youth_person_add(reg, &p, 0));
	th_person_valid(&q);
	q.birth_date = "1986-01-10";
	q.national_id = dui2;
	assert_ok(youth_person_add(reg, &q, 0));
	orig = get_person(reg, q.id);

	/* unknown id, unknown uuid */
	got = get_person(reg, q.id);
	got->id = q.id + 1000;
	assert_rc(youth_person_update(reg, got, 0), YOUTH_ENOTFOUND);
	got->id = 0;
	snprintf(got->uuid, sizeof got->uuid, "%s", "123e4567-e89b-42d3-a456-426614174000");
	assert_rc(youth_person_update(reg, got, 0), YOUTH_ENOTFOUND);
	youth_person_free(got);
	assert_rc(youth_person_update(reg, NULL, 0), YOUTH_EINVAL);

	/* each invalid value changes nothing */
	int64_t changes = youth_registry_total_changes(reg);
	for (int k = 0; k < 7; k++) {
		got = get_person(reg, q.id);
		got->given_names = "Cambiado";
		got->employment = YOUTH_EMP_INACTIVE;
		int want = YOUTH_EINVAL;
		switch (k) {
		case 0: got->birth_date = "2009-02-30"; break;
		case 1: got->sex = 7; break;
		case 2: got->national_id = dui1; want = YOUTH_EEXISTS; break;
		case 3: got->place = "Nowhere"; want = YOUTH_ENOTFOUND; break;
		case 4: got->household_size = 31; break;
		case 5: got->birth_date = "1960-01-01"; break; /* age 49 at census */
		case 6: got->first_surname = NULL; break;
		}
		int rc = youth_person_update(reg, got, 0);
		if (rc != want)
			fail_msg("invalid update #%d returned %s, expected %s: %s", k,
			         youth_error_name(rc), youth_error_name(want),
			         youth_error_last()->message);
		youth_person_free(got);
		after = get_person(reg, q.id);
		assert_person_eq(after, orig);
		youth_person_free(after);
	}
	assert_int_equal(youth_registry_total_changes(reg), changes);

	/* the age rule can be waived on update as on add */
	got = get_person(reg, q.id);
	got->birth_date = "1960-01-01";
	assert_ok(youth_person_update(reg, got, YOUTH_PERSON_ALLOW_AGE));
	youth_person_free(got);
	after = get_person(reg, q.id);
	assert_string_equal(after->birth_date, "1960-01-01");
	youth_person_free(after);

	/* keeping one's own DUI is not a conflict */
	got = get_person(reg, p.id);
	got->address = "Otra dirección";
	assert_ok(youth_person_update(reg, got, 0));
	youth_person_free(got);
	youth_person_free(orig);
}

static void test_delete(void **state)
{
	youth_registry *reg = *state;
	int64_t a, b;
	youth_person *got = NULL, *pb;
	assert_ok(th_add_person(reg, &a));
	assert_ok(th_add_person(reg, &b));
	pb = get_person(reg, b);
	assert_ok(youth_person_delete(reg, a));
	assert_int_equal(th_count_persons(reg), 1);
	assert_rc(youth_person_get(&got, reg, a), YOUTH_ENOTFOUND);
	assert_null(got);
	assert_rc(youth_person_delete(reg, a), YOUTH_ENOTFOUND);
	assert_rc(youth_person_delete(reg, b + 1000), YOUTH_ENOTFOUND);
	assert_int_equal(th_count_persons(reg), 1);
	/* the other is intact and findable by uuid */
	assert_ok(youth_person_get_by_uuid(&got, reg, pb->uuid));
	assert_person_eq(got, pb);
	youth_person_free(got);
	youth_person_free(pb);
	/* a deleted person's DUI and uuid can be registered again */
	youth_person p;
	char dui[16];
	th_dui(dui, 31415926);
	th_person_valid(&p);
	p.birth_date = "1985-03-03";
	p.national_id = dui;
	assert_ok(youth_person_add(reg, &p, 0));
	char uuid[YOUTH_UUID_LEN + 1];
	memcpy(uuid, p.uuid, sizeof uuid);
	assert_ok(youth_person_delete(reg, p.id));
	th_person_valid(&p);
	p.birth_date = "1985-03-03";
	p.national_id = dui;
	memcpy(p.uuid, uuid, sizeof uuid);
	assert_ok(youth_person_add(reg, &p, 0));
}

/* ---- count, iterate, filter ------------------------------------------------------------- */

typedef struct sample {
	const char *given, *first, *second, *birth;
	int sex;
	const char *place, *census_date, *round;
} sample;

/* Ages at 2009-03-02: P1 16 (birthday), P2 15 (birthday tomorrow), P3 24, P4 25 (birthday),
 * P5 18, P6 14. */
static const sample samples[] = {
	{"José", "Hernández", "Pérez", "1993-03-02", YOUTH_SEX_MALE, "Santa Eugenia", "2009-03-02",
	 "census-2009"},
	{"María José", "Hernández", "López", "1993-03-03", YOUTH_SEX_FEMALE, "sonzacate/el-sauce",
	 "2009-03-02", "census-2009"},
	{"Ana", "Martínez", NULL, "1984-03-03", YOUTH_SEX_FEMALE, "Sonsonate Centro/Sonsonate/Atonal",
	 "2009-03-02", "census-2009"},
	{"Carlos", "HERNÁNDEZ", NULL, "1984-03-02", YOUTH_SEX_MALE,
	 "sonsonate/sonsonate-centro/sonzacate", "2010-06-01", "census-2010"},
	{"Luis José", "Ramírez", "Hernández", "1990-07-15", YOUTH_SEX_MALE, "acajutla/san-julian",
	 "2010-06-01", "census-2010"},
	{"Josefa", "Pérez", NULL, "1995-01-20", YOUTH_SEX_FEMALE, "Juayúa", "2009-03-02",
	 "census-2009"},
};
#define NSAMPLES 6

static int setup_samples(void **state)
{
	youth_registry *reg = th_open_memory_gazetteer();
	int64_t *ids = calloc(NSAMPLES + 1, sizeof *ids);
	for (int i = 0; i < NSAMPLES; i++) {
		youth_person p;
		th_person_valid(&p);
		p.given_names = samples[i].given;
		p.first_surname = samples[i].first;
		p.second_surname = samples[i].second;
		p.birth_date = samples[i].birth;
		p.sex = samples[i].sex;
		p.place = samples[i].place;
		p.census_date = samples[i].census_date;
		p.consent_date = samples[i].census_date;
		p.census_round = samples[i].round;
		if (youth_person_add(reg, &p, 0) != YOUTH_OK) {
			fprintf(stderr, "setup: sample %d refused: %s\n", i + 1,
			        youth_error_last()->message);
			youth_registry_close(reg);
			free(ids);
			return -1;
		}
		ids[i] = p.id;
	}
	/* state: the registry, followed by ids */
	void **box = calloc(2, sizeof *box);
	box[0] = reg;
	box[1] = ids;
	*state = box;
	return 0;
}

static int teardown_samples(void **state)
{
	void **box = *state;
	youth_registry_close(box[0]);
	free(box[1]);
	free(box);
	return 0;
}

/* Checks count and iteration for @p f against the bit set @p want (bit i = sample i+1). */
static void check_filter(void **state, const youth_person_filter *f, unsigned want,
                         const char *what)
{
	void **box = *state;
	youth_registry *reg = box[0];
	const int64_t *ids = box[1];
	int64_t n = -1, prev = 0;
	youth_person_iter *it = NULL;
	const youth_person *p;
	unsigned got = 0;
	int rc, expect_n = __builtin_popcount(want);

	rc = youth_person_count(&n, reg, f);
	if (rc != YOUTH_OK)
		fail_msg("filter %s: count returned %s: %s", what, youth_error_name(rc),
		         youth_error_last()->message);
	if (n != expect_n)
		fail_msg("filter %s: count %lld, expected %d", what, (long long)n, expect_n);

	assert_ok(youth_person_iter_new(&it, reg, f));
	while ((rc = youth_person_next(&p, it)) == YOUTH_OK) {
		int k = -1;
		for (int i = 0; i < NSAMPLES; i++)
			if (ids[i] == p->id)
				k = i;
		if (k < 0)
			fail_msg("filter %s: unknown id %lld", what, (long long)p->id);
		if (p->id <= prev)
			fail_msg("filter %s: ids not in ascending order", what);
		prev = p->id;
		assert_string_equal(p->birth_date, samples[k].birth);
		got |= 1u << k;
	}
	assert_rc(rc, YOUTH_ITEROVER);
	youth_person_iter_free(it);
	if (got != want)
		fail_msg("filter %s: iterated set 0x%x, expected 0x%x", what, got, want);
}

#define P(n) (1u << ((n)-1))
#define ALL (P(1) | P(2) | P(3) | P(4) | P(5) | P(6))

static void test_filter_none(void **state)
{
	youth_person_filter f;
	memset(&f, 0, sizeof f);
	check_filter(state, NULL, ALL, "NULL");
	check_filter(state, &f, ALL, "empty");
}

static void test_filter_place(void **state)
{
	youth_person_filter f;
	memset(&f, 0, sizeof f);
	f.place = "department:sonsonate"; /* bare "sonsonate" is also the district */
	check_filter(state, &f, ALL, "department");
	f.place = "sonsonate/sonsonate-centro";
	check_filter(state, &f, P(1) | P(2) | P(3) | P(4), "municipality");
	f.place = "Sonsonate Centro";
	check_filter(state, &f, P(1) | P(2) | P(3) | P(4), "municipality by name");
	f.place = "Sonzacate";
	check_filter(state, &f, P(1) | P(2) | P(4), "district");
	f.place = "Sonsonate Centro/Sonsonate";
	check_filter(state, &f, P(3), "district Sonsonate");
	f.place = "Santa Eugenia";
	check_filter(state, &f, P(1), "community");
	f.place = "Sonsonate Oeste";
	check_filter(state, &f, P(5), "municipality Oeste");
	f.place = "Sonsonate Este";
	check_filter(state, &f, 0, "municipality with nobody");
	f.place = "Zedan";
	check_filter(state, &f, 0, "community with nobody");
}

static void test_filter_sex(void **state)
{
	youth_person_filter f;
	memset(&f, 0, sizeof f);
	f.sex = YOUTH_SEX_FEMALE;
	check_filter(state, &f, P(2) | P(3) | P(6), "female");
	f.sex = YOUTH_SEX_MALE;
	check_filter(state, &f, P(1) | P(4) | P(5), "male");
}

static void test_filter_age(void **state)
{
	youth_person_filter f;
	memset(&f, 0, sizeof f);
	f.age_at = "2009-03-02";
	f.age_min = 16;
	f.age_max = 24;
	check_filter(state, &f, P(1) | P(3) | P(5), "16-24");
	f.age_min = 16;
	f.age_max = 0;
	check_filter(state, &f, P(1) | P(3) | P(4) | P(5), "16+");
	f.age_min = 0;
	f.age_max = 15;
	check_filter(state, &f, P(2) | P(6), "0-15");
	f.age_min = 15;
	f.age_max = 15;
	check_filter(state, &f, P(2), "15");
	f.age_min = 25;
	f.age_max = 25;
	check_filter(state, &f, P(4), "25");
	f.age_min = 0;
	f.age_max = 0;
	check_filter(state, &f, ALL, "both ages 0");
	/* a day later P2 turns 16 */
	f.age_at = "2009-03-03";
	f.age_min = 16;
	f.age_max = 24;
	check_filter(state, &f, P(1) | P(2) | P(5), "16-24 a day later");
	/* a day earlier P1 is still 15 and P4 still 24 */
	f.age_at = "2009-03-01";
	check_filter(state, &f, P(3) | P(4) | P(5), "16-24 a day earlier");
}

static void test_filter_age_today(void **state)
{
	youth_person_filter f;
	char today[16];
	unsigned want = 0;
	th_today_utc(today, 0);
	for (int i = 0; i < NSAMPLES; i++) {
		int age;
		assert_ok(youth_age_at(&age, samples[i].birth, today));
		if (age >= 30 && age <= 40)
			want |= 1u << i;
	}
	memset(&f, 0, sizeof f);
	f.age_min = 30;
	f.age_max = 40;
	check_filter(state, &f, want, "30-40 today (age_at NULL)");
}

static void test_filter_round(void **state)
{
	youth_person_filter f;
	memset(&f, 0, sizeof f);
	f.census_round = "census-2010";
	check_filter(state, &f, P(4) | P(5), "census-2010");
	f.census_round = "census-2009";
	check_filter(state, &f, P(1) | P(2) | P(3) | P(6), "census-2009");
	f.census_round = "census-2011";
	check_filter(state, &f, 0, "census-2011");
}

static void test_filter_name(void **state)
{
	youth_person_filter f;
	memset(&f, 0, sizeof f);
	f.name = "jose hernandez";
	check_filter(state, &f, P(1) | P(2) | P(5), "jose hernandez");
	f.name = "JOSÉ  HERNÁNDEZ";
	check_filter(state, &f, P(1) | P(2) | P(5), "JOSÉ  HERNÁNDEZ");
	f.name = "hernandez jose";
	check_filter(state, &f, P(1) | P(2) | P(5), "words in any order");
	f.name = "hernandez perez";
	check_filter(state, &f, P(1), "hernandez perez");
	f.name = "Martínez";
	check_filter(state, &f, P(3), "martinez");
	f.name = "hernandez";
	check_filter(state, &f, P(1) | P(2) | P(4) | P(5), "hernandez");
	f.name = "maria hernandez lopez";
	check_filter(state, &f, P(2), "three words");
	/* docs/person.md: every word must start a word of the name */
	f.name = "hern";
	check_filter(state, &f, P(1) | P(2) | P(4) | P(5), "hern (prefix)");
	f.name = "jose";
	check_filter(state, &f, P(1) | P(2) | P(5) | P(6), "jose (prefix of Josefa)");
	f.name = "ose";
	check_filter(state, &f, 0, "ose (not a word start)");
	f.name = "nandez";
	check_filter(state, &f, 0, "nandez (not a word start)");
	f.name = "zzz";
	check_filter(state, &f, 0, "zzz");
	/* LIKE wildcards in the words are taken literally */
	f.name = "%";
	check_filter(state, &f, 0, "%");
	f.name = "h_rnandez";
	check_filter(state, &f, 0, "h_rnandez");
	f.name = "%ernandez";
	check_filter(state, &f, 0, "%ernandez");
	f.name = "jose zzz";
	check_filter(state, &f, 0, "jose zzz");
}

static void test_filter_combined(void **state)
{
	youth_person_filter f;
	memset(&f, 0, sizeof f);
	f.place = "Sonzacate";
	f.sex = YOUTH_SEX_MALE;
	check_filter(state, &f, P(1) | P(4), "Sonzacate + male");
	f.age_at = "2009-03-02";
	f.age_min = 16;
	f.age_max = 24;
	check_filter(state, &f, P(1), "Sonzacate + male + 16-24");
	memset(&f, 0, sizeof f);
	f.name = "jose hernandez";
	f.sex = YOUTH_SEX_FEMALE;
	check_filter(state, &f, P(2), "name + female");
	memset(&f, 0, sizeof f);
	f.census_round = "census-2009";
	f.place = "sonsonate/sonsonate-centro";
	f.sex = YOUTH_SEX_FEMALE;
	check_filter(state, &f, P(2) | P(3), "round + municipality + female");
	f.name = "ana";
	check_filter(state, &f, P(3), "round + municipality + female + name");
	f.name = "jose hernandez";
	f.census_round = "census-2010";
	check_filter(state, &f, 0, "contradiction");
}

static void test_filter_bad(void **state)
{
	void **box = *state;
	youth_registry *reg = box[0];
	youth_person_filter f;
	int64_t n = 12345;
	youth_person_iter *it = NULL;
	struct {
		youth_person_filter f;
		int code;
	} cases[6];
	memset(cases, 0, sizeof cases);
	cases[0].f.age_min = 20, cases[0].f.age_max = 10, cases[0].code = YOUTH_EINVAL;
	cases[1].f.age_at = "2009-02-30", cases[1].f.age_min = 16, cases[1].code = YOUTH_EINVAL;
	cases[2].f.place = "Nowhere", cases[2].code = YOUTH_ENOTFOUND;
	cases[3].f.sex = 3, cases[3].code = YOUTH_EINVAL;
	cases[4].f.place = "San Julián", cases[4].code = YOUTH_EINVAL;
	cases[5].f.age_at = "yesterday", cases[5].f.age_max = 20, cases[5].code = YOUTH_EINVAL;
	for (int i = 0; i < 6; i++) {
		f = cases[i].f;
		int rc = youth_person_count(&n, reg, &f);
		if (rc != cases[i].code)
			fail_msg("bad filter #%d: count returned %s, expected %s", i,
			         youth_error_name(rc), youth_error_name(cases[i].code));
		it = (youth_person_iter *)reg;
		rc = youth_person_iter_new(&it, reg, &f);
		if (rc != cases[i].code)
			fail_msg("bad filter #%d: iter_new returned %s, expected %s", i,
			         youth_error_name(rc), youth_error_name(cases[i].code));
		assert_null(it);
	}
	f = cases[2].f;
	assert_rc(youth_person_count(&n, reg, &f), YOUTH_ENOTFOUND);
	assert_msg_has("Nowhere");
	/* the message of the last case names the date */
	f = cases[5].f;
	assert_rc(youth_person_count(&n, reg, &f), YOUTH_EINVAL);
	assert_msg_has("yesterday");
}

static void test_iter_latched(void **state)
{
	void **box = *state;
	youth_registry *reg = box[0];
	youth_person_iter *it = NULL;
	const youth_person *p;
	youth_person_filter f;
	int n = 0;
	assert_ok(youth_person_iter_new(&it, reg, NULL));
	while (youth_person_next(&p, it) == YOUTH_OK)
		n++;
	assert_int_equal(n, NSAMPLES);
	for (int i = 0; i < 5; i++)
		assert_rc(youth_person_next(&p, it), YOUTH_ITEROVER);
	youth_person_iter_free(it);

	memset(&f, 0, sizeof f);
	f.census_round = "none";
	it = NULL;
	assert_ok(youth_person_iter_new(&it, reg, &f));
	for (int i = 0; i < 3; i++)
		assert_rc(youth_person_next(&p, it), YOUTH_ITEROVER);
	youth_person_iter_free(it);
	youth_person_iter_free(NULL);
}

/* The iterator's records equal get()'s, and the filter is copied. */
static void test_iter_records(void **state)
{
	void **box = *state;
	youth_registry *reg = box[0];
	youth_person_iter *it = NULL;
	const youth_person *p;
	youth_person_filter *f = calloc(1, sizeof *f);
	char *name = strdup("hernandez");
	f->name = name;
	assert_ok(youth_person_iter_new(&it, reg, f));
	memset(name, 'x', strlen(name));
	free(name);
	memset(f, 0xff, sizeof *f);
	free(f);
	int n = 0;
	while (youth_person_next(&p, it) == YOUTH_OK) {
		youth_person *g = get_person(reg, p->id);
		assert_person_eq(p, g);
		youth_person_free(g);
		n++;
	}
	assert_int_equal(n, 4);
	youth_person_iter_free(it);
}

/* ---- fields by name --------------------------------------------------------------------- */

static const struct {
	const char *name, *sample;
} field_samples[] = {
	{"id", "42"},
	{"uuid", "123e4567-e89b-42d3-a456-426614174000"},
	{"national_id", "00016297-5"},
	{"given_names", "María José"},
	{"first_surname", "Hernández"},
	{"second_surname", "López"},
	{"birth_date", "1988-05-14"},
	{"sex", "female"},
	{"place", TH_SANTA_EUGENIA},
	{"address", "Colonia Santa Eugenia, pasaje 3"},
	{"phone", "7123-4567"},
	{"education", "upper_secondary"},
	{"studying", "true"},
	{"employment", "employed_formal"},
	{"household_size", "7"},
	{"disability", "true"},
	{"census_date", "2009-03-02"},
	{"census_round", "census-2009"},
	{"job_profiles", "cook, baker"},
	{"consent", "true"},
	{"consent_date", "2009-03-02"},
	{"retain_until", "2031-12-31"},
};
#define NFIELDS (sizeof field_samples / sizeof field_samples[0])

static void test_field_names(void **state)
{
	(void)state;
	size_t n = 0;
	int seen[NFIELDS] = {0};
	assert_string_equal(youth_person_field_name(0), "id");
	assert_string_equal(youth_person_field_name(1), "uuid");
	for (const char *name; (name = youth_person_field_name(n)) != NULL; n++) {
		size_t k;
		for (k = 0; k < NFIELDS; k++)
			if (!strcmp(field_samples[k].name, name))
				break;
		if (k == NFIELDS)
			fail_msg("unexpected field name \"%s\"", name);
		assert_false(seen[k]);
		seen[k] = 1;
		assert_true(n < 100);
	}
	assert_int_equal(n, NFIELDS);
	assert_null(youth_person_field_name(NFIELDS));
	assert_null(youth_person_field_name(NFIELDS + 1000));
}

static void test_field_roundtrip(void **state)
{
	youth_registry *reg = *state;
	youth_person p;
	char buf[64];
	const char *out;
	youth_person_init(&p);
	for (size_t i = 0; youth_person_field_name(i); i++) {
		const char *name = youth_person_field_name(i);
		size_t k;
		for (k = 0; k < NFIELDS; k++)
			if (!strcmp(field_samples[k].name, name))
				break;
		assert_true(k < NFIELDS);
		if (youth_person_set_field(&p, name, field_samples[k].sample) != YOUTH_OK)
			fail_msg("set_field(%s, \"%s\") refused: %s", name, field_samples[k].sample,
			         youth_error_last()->message);
		out = NULL;
		assert_ok(youth_person_get_field(&out, &p, name, buf, sizeof buf));
		if (!th_streq(out, field_samples[k].sample))
			fail_msg("field %s: set \"%s\", got \"%s\"", name, field_samples[k].sample,
			         out ? out : "(null)");
	}
	/* the struct members hold the values */
	assert_int_equal(p.id, 42);
	assert_string_equal(p.uuid, "123e4567-e89b-42d3-a456-426614174000");
	assert_int_equal(p.sex, YOUTH_SEX_FEMALE);
	assert_int_equal(p.education, YOUTH_EDU_UPPER_SECONDARY);
	assert_int_equal(p.employment, YOUTH_EMP_EMPLOYED_FORMAL);
	assert_int_equal(p.studying, 1);
	assert_int_equal(p.disability, 1);
	assert_int_equal(p.consent, 1);
	assert_int_equal(p.household_size, 7);
	assert_string_equal(p.given_names, "María José");

	/* a record filled by name can be added (id is assigned by add) */
	p.id = 0;
	assert_ok(youth_person_add(reg, &p, 0));
	youth_person *got = get_person(reg, p.id);
	assert_string_equal(got->uuid, "123e4567-e89b-42d3-a456-426614174000");
	assert_string_equal(got->national_id, "00016297-5");
	/* and read back by name */
	assert_ok(youth_person_get_field(&out, got, "sex", buf, sizeof buf));
	assert_string_equal(out, "female");
	assert_ok(youth_person_get_field(&out, got, "household_size", buf, sizeof buf));
	assert_string_equal(out, "7");
	assert_ok(youth_person_get_field(&out, got, "given_names", buf, sizeof buf));
	assert_string_equal(out, "María José");
	youth_person_free(got);
}

static void test_field_values(void **state)
{
	(void)state;
	youth_person p;
	char buf[64];
	const char *out;
	youth_person_init(&p);

	static const struct {
		const char *text;
		int v;
	} bools[] = {{"true", 1}, {"false", 0}, {"yes", 1}, {"no", 0}, {"1", 1}, {"0", 0}};
	for (size_t i = 0; i < sizeof bools / sizeof bools[0]; i++) {
		p.studying = !bools[i].v;
		assert_ok(youth_person_set_field(&p, "studying", bools[i].text));
		assert_int_equal(p.studying, bools[i].v);
		p.consent = !bools[i].v;
		assert_ok(youth_person_set_field(&p, "consent", bools[i].text));
		assert_int_equal(p.consent, bools[i].v);
	}
	for (int v = YOUTH_EDU_NONE; v <= YOUTH_EDU_UNIVERSITY; v++) {
		p.education = -5;
		assert_ok(youth_person_set_field(&p, "education", youth_education_name(v)));
		assert_int_equal(p.education, v);
	}
	for (int v = YOUTH_EMP_UNEMPLOYED; v <= YOUTH_EMP_INACTIVE; v++) {
		p.employment = -5;
		assert_ok(youth_person_set_field(&p, "employment", youth_employment_name(v)));
		assert_int_equal(p.employment, v);
	}
	assert_ok(youth_person_set_field(&p, "sex", "male"));
	assert_int_equal(p.sex, YOUTH_SEX_MALE);
	assert_ok(youth_person_get_field(&out, &p, "sex", buf, sizeof buf));
	assert_string_equal(out, "male");
	assert_ok(youth_person_set_field(&p, "household_size", "30"));
	assert_int_equal(p.household_size, 30);
	assert_ok(youth_person_set_field(&p, "id", "9000000000"));
	assert_int_equal(p.id, 9000000000LL);

	/* NULL or "" unsets */
	assert_ok(youth_person_set_field(&p, "given_names", "Ana"));
	assert_string_equal(p.given_names, "Ana");
	assert_ok(youth_person_set_field(&p, "given_names", NULL));
	assert_null(p.given_names);
	assert_ok(youth_person_get_field(&out, &p, "given_names", buf, sizeof buf));
	assert_null(out);
	assert_ok(youth_person_set_field(&p, "address", "x"));
	assert_ok(youth_person_set_field(&p, "address", ""));
	assert_null(p.address);
	assert_ok(youth_person_set_field(&p, "sex", ""));
	assert_int_equal(p.sex, YOUTH_SEX_UNSET);
	assert_ok(youth_person_get_field(&out, &p, "sex", buf, sizeof buf));
	assert_null(out);
	assert_ok(youth_person_set_field(&p, "household_size", NULL));
	assert_int_equal(p.household_size, 0);
	assert_ok(youth_person_set_field(&p, "education", ""));
	assert_int_equal(p.education, YOUTH_EDU_UNKNOWN);
	assert_ok(youth_person_set_field(&p, "employment", NULL));
	assert_int_equal(p.employment, YOUTH_EMP_UNKNOWN);
	assert_ok(youth_person_set_field(&p, "uuid", ""));
	assert_string_equal(p.uuid, "");

	/* strings are borrowed, not copied */
	static const char addr[] = "Pasaje 7";
	assert_ok(youth_person_set_field(&p, "address", addr));
	assert_ptr_equal(p.address, addr);
}

static void test_field_errors(void **state)
{
	(void)state;
	youth_person p;
	char buf[64];
	const char *out = NULL;
	youth_person_init(&p);

	assert_rc(youth_person_set_field(&p, "colour", "red"), YOUTH_EINVAL);
	assert_msg_has("colour");
	assert_rc(youth_person_set_field(&p, NULL, "x"), YOUTH_EINVAL);
	assert_rc(youth_person_set_field(&p, "Sex", "female"), YOUTH_EINVAL);
	assert_rc(youth_person_get_field(&out, &p, "colour", buf, sizeof buf), YOUTH_EINVAL);
	assert_rc(youth_person_get_field(&out, &p, NULL, buf, sizeof buf), YOUTH_EINVAL);

	static const struct {
		const char *field, *text;
	} wrong[] = {
		{"sex", "alien"},          {"sex", "F"},              {"education", "phd"},
		{"employment", "retired"}, {"studying", "maybe"},     {"studying", "2"},
		{"disability", "si"},      {"consent", "truee"},      {"household_size", "abc"},
		{"household_size", "12x"}, {"household_size", "-"},   {"household_size", "1.5"},
		{"household_size", "99999999999999999999"},           {"id", "x"},
		{"id", "12 "},             {"uuid", "123e4567-e89b-42d3-a456-4266141740001234"},
	};
	for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
		int rc = youth_person_set_field(&p, wrong[i].field, wrong[i].text);
		if (rc != YOUTH_EINVAL)
			fail_msg("set_field(%s, \"%s\") returned %s, expected EINVAL", wrong[i].field,
			         wrong[i].text, youth_error_name(rc));
		assert_msg_has(wrong[i].field);
	}

	/* a buffer too small for the text */
	p.id = 123456789;
	assert_rc(youth_person_get_field(&out, &p, "id", buf, 3), YOUTH_EINVAL);
	assert_ok(youth_person_get_field(&out, &p, "id", buf, sizeof buf));
	assert_string_equal(out, "123456789");
}

static void test_enum_names(void **state)
{
	(void)state;
	assert_string_equal(youth_sex_name(YOUTH_SEX_FEMALE), "female");
	assert_string_equal(youth_sex_name(YOUTH_SEX_MALE), "male");
	assert_null(youth_sex_name(YOUTH_SEX_UNSET));
	assert_null(youth_sex_name(3));
	assert_null(youth_sex_name(-1));

	static const char *edu[] = {"unknown", "none", "primary", "lower_secondary",
	                            "upper_secondary", "technical", "university"};
	/* 0 is "not recorded": docs/person.md gives it no name, so NULL or "unknown" */
	assert_true(youth_education_name(0) == NULL ||
	            strcmp(youth_education_name(0), "unknown") == 0);
	assert_true(youth_employment_name(0) == NULL ||
	            strcmp(youth_employment_name(0), "unknown") == 0);
	for (int v = 1; v <= YOUTH_EDU_UNIVERSITY; v++) {
		assert_non_null(youth_education_name(v));
		assert_string_equal(youth_education_name(v), edu[v]);
	}
	assert_null(youth_education_name(7));
	assert_null(youth_education_name(-1));

	static const char *emp[] = {"unknown", "unemployed", "employed_formal", "employed_informal",
	                            "self_employed", "inactive"};
	for (int v = 1; v <= YOUTH_EMP_INACTIVE; v++) {
		assert_non_null(youth_employment_name(v));
		assert_string_equal(youth_employment_name(v), emp[v]);
	}
	assert_null(youth_employment_name(6));
	assert_null(youth_employment_name(-1));
}

static void test_init(void **state)
{
	(void)state;
	youth_person p;
	memset(&p, 0x5a, sizeof p);
	youth_person_init(&p);
	assert_int_equal(p.id, 0);
	assert_int_equal(p.uuid[0], 0);
	assert_null(p.national_id);
	assert_null(p.given_names);
	assert_null(p.first_surname);
	assert_null(p.second_surname);
	assert_null(p.birth_date);
	assert_int_equal(p.sex, 0);
	assert_null(p.place);
	assert_null(p.address);
	assert_null(p.phone);
	assert_int_equal(p.education, 0);
	assert_int_equal(p.studying, 0);
	assert_int_equal(p.employment, 0);
	assert_int_equal(p.household_size, 0);
	assert_int_equal(p.disability, 0);
	assert_null(p.census_date);
	assert_null(p.census_round);
	assert_null(p.job_profiles);
	assert_int_equal(p.consent, 0);
	assert_null(p.consent_date);
}

/* ---- census batches --------------------------------------------------------------------- */

static void test_census_load_file(void **state)
{
	youth_registry *reg = *state;
	int64_t added = -1;
	const char *path = YOUTH_EXAMPLE_DATA "/census.yaml";
	int example = th_exists(path);
	if (!example)
		path = YOUTH_TEST_DATA "/census-small.yaml";
	int rc = youth_census_load(&added, reg, path, 0);
	if (rc != YOUTH_OK)
		fail_msg("loading %s: %s: %s", path, youth_error_name(rc), youth_error_last()->message);
	assert_int_equal(th_count_persons(reg), added);
	if (example)
		assert_int_equal(added, 600);
	else
		assert_int_equal(added, 5);
	assert_ok(youth_registry_check(reg));
}

static void test_census_load_small(void **state)
{
	youth_registry *reg = *state;
	int64_t added = -1, n;
	youth_person_filter f;
	youth_person_iter *it = NULL;
	const youth_person *p;

	assert_ok(youth_census_load(&added, reg, YOUTH_TEST_DATA "/census-small.yaml", 0));
	assert_int_equal(added, 5);
	assert_int_equal(th_count_persons(reg), 5);

	memset(&f, 0, sizeof f);
	f.name = "jose martinez";
	assert_ok(youth_person_iter_new(&it, reg, &f));
	assert_ok(youth_person_next(&p, it));
	assert_string_equal(p->given_names, "José Antonio");
	assert_string_equal(p->national_id, "00016297-5");
	assert_string_equal(p->phone, "7123-4567");
	assert_string_equal(p->birth_date, "1988-11-02");
	assert_int_equal(p->sex, YOUTH_SEX_MALE);
	assert_int_equal(p->education, YOUTH_EDU_UPPER_SECONDARY);
	assert_int_equal(p->employment, YOUTH_EMP_EMPLOYED_INFORMAL);
	assert_int_equal(p->studying, 0);
	assert_int_equal(p->consent, 0);
	assert_string_equal(p->job_profiles, "cook, baker");
	assert_int_equal(place_id(reg, p->place), place_id(reg, "sonsonate-centro/sonsonate/atonal"));
	assert_uuid(p->uuid);
	assert_rc(youth_person_next(&p, it), YOUTH_ITEROVER);
	youth_person_iter_free(it);

	memset(&f, 0, sizeof f);
	f.sex = YOUTH_SEX_FEMALE;
	assert_ok(youth_person_count(&n, reg, &f));
	assert_int_equal(n, 3);
	f.sex = 0;
	f.place = "Sonzacate";
	assert_ok(youth_person_count(&n, reg, &f));
	assert_int_equal(n, 2);

	/* loading again fails on the DUIs and adds nothing */
	assert_rc(youth_census_load(&added, reg, YOUTH_TEST_DATA "/census-small.yaml", 0),
	          YOUTH_EEXISTS);
	assert_int_equal(th_count_persons(reg), 5);
}

#define CENSUS_HEAD "format: libyouth/1\npersons:\n"
#define REC(given, birth)                                                                      \
	"  - given_names: " given "\n"                                                         \
	"    first_surname: Hernández\n"                                                       \
	"    birth_date: " birth "\n"                                                          \
	"    sex: female\n"                                                                    \
	"    place: Santa Eugenia\n"                                                           \
	"    census_date: 2009-03-02\n"                                                        \
	"    census_round: census-2009\n"

/* Loads a census buffer expecting @p code and no person added. */
static void expect_census_bad(youth_registry *reg, const char *doc, int code, const char *name)
{
	int64_t before = th_count_persons(reg), added = 0;
	int rc = youth_census_load_buffer(&added, reg, doc, strlen(doc), name, 0);
	if (rc != code)
		fail_msg("census batch refused with %s, expected %s: %s", youth_error_name(rc),
		         youth_error_name(code), youth_error_last()->message);
	assert_int_equal(th_count_persons(reg), before);
	assert_msg_has(name);
}

static void test_census_load_buffer(void **state)
{
	youth_registry *reg = *state;
	static const char good[] = CENSUS_HEAD REC("Ana", "1990-01-01") REC("Berta", "1991-01-01")
		REC("Carla", "1992-01-01");
	int64_t added = -1, changes = youth_registry_total_changes(reg);
	assert_ok(youth_census_load_buffer(&added, reg, good, sizeof good - 1, "good.yaml", 0));
	assert_int_equal(added, 3);
	assert_int_equal(th_count_persons(reg), 3);
	assert_int_equal(youth_registry_total_changes(reg), changes + 3);
	/* the name is optional */
	assert_ok(youth_census_load_buffer(&added, reg, good, sizeof good - 1, NULL, 0));
	assert_int_equal(added, 3);
	assert_int_equal(th_count_persons(reg), 6);
	assert_int_equal(youth_registry_total_changes(reg), changes + 6);
	/* added may be NULL; loading again adds three more (no unique keys in them) */
	assert_ok(youth_census_load_buffer(NULL, reg, good, sizeof good - 1, "good.yaml", 0));
	assert_int_equal(th_count_persons(reg), 9);
	/* an empty list adds nothing */
	static const char empty[] = CENSUS_HEAD "  []\n";
	added = -1;
	assert_ok(youth_census_load_buffer(&added, reg, empty, sizeof empty - 1, "empty.yaml", 0));
	assert_int_equal(added, 0);
	assert_rc(youth_census_load_buffer(&added, reg, NULL, 5, "x", 0), YOUTH_EINVAL);
}

static void test_census_bad_record_in_middle(void **state)
{
	youth_registry *reg = *state;
	/* record 3 (lines 17-23) has a non-calendar birth date on line 19 */
	static const char doc[] = CENSUS_HEAD REC("Ana", "1990-01-01") REC("Berta", "1991-01-01")
		REC("Carla", "1992-02-30") REC("Diana", "1993-01-01") REC("Elena", "1994-01-01");
	int64_t added = 99;
	assert_rc(youth_census_load_buffer(&added, reg, doc, sizeof doc - 1, "batch.yaml", 0),
	          YOUTH_EINVAL);
	assert_msg_has("batch.yaml");
	assert_msg_has("birth_date");
	assert_msg_has("1992-02-30");
	assert_msg_line(19);
	/* docs/errors.md: file:line:column: record N: field "value": rule */
	assert_msg_has("batch.yaml:19:");
	assert_msg_has("record 3");
	assert_err_field("birth_date");
	assert_int_equal(th_count_persons(reg), 0);
	assert_true(added == 0 || added == 99);

	/* inside a transaction of the caller: the batch is undone, the transaction lives */
	int64_t id;
	assert_ok(youth_registry_begin(reg));
	assert_ok(th_add_person(reg, &id));
	assert_rc(youth_census_load_buffer(NULL, reg, doc, sizeof doc - 1, "batch.yaml", 0),
	          YOUTH_EINVAL);
	assert_int_equal(youth_registry_in_transaction(reg), 1);
	assert_int_equal(th_count_persons(reg), 1);
	assert_ok(youth_registry_commit(reg));
	assert_int_equal(th_count_persons(reg), 1);
}

static void test_census_errors(void **state)
{
	youth_registry *reg = *state;
	int64_t added;
	assert_rc(youth_census_load(&added, reg, YOUTH_TEST_DATA "/no-such-census.yaml", 0),
	          YOUTH_ENOTFOUND);
	assert_msg_has("no-such-census.yaml");

	/* unknown key in record 2 */
	expect_census_bad(reg,
	                  CENSUS_HEAD REC("Ana", "1990-01-01") REC("Berta", "1991-01-01")
	                          "    colour: red\n",
	                  YOUTH_EINVAL, "unknown-key.yaml");
	assert_msg_has("colour");
	assert_msg_line(17);
	/* a value of the wrong type */
	expect_census_bad(reg, CENSUS_HEAD REC("Ana", "1990-01-01") "    household_size: many\n",
	                  YOUTH_EINVAL, "type.yaml");
	assert_msg_has("household_size");
	/* unknown place */
	expect_census_bad(reg,
	                  CENSUS_HEAD REC("Ana", "1990-01-01")
	                  "  - given_names: Berta\n"
	                  "    first_surname: López\n"
	                  "    birth_date: 1990-01-01\n"
	                  "    sex: female\n"
	                  "    place: Nowhere\n"
	                  "    census_date: 2009-03-02\n"
	                  "    census_round: census-2009\n",
	                  YOUTH_ENOTFOUND, "place.yaml");
	assert_msg_has("Nowhere");
	/* the same DUI twice in one batch */
	expect_census_bad(reg,
	                  CENSUS_HEAD REC("Ana", "1980-01-01") "    national_id: 00016297-5\n"
	                  REC("Berta", "1981-01-01") "    national_id: 00016297-5\n",
	                  YOUTH_EEXISTS, "dui.yaml");
	/* age out of range, unless allowed */
	static const char old[] = CENSUS_HEAD REC("Ana", "1960-01-01");
	expect_census_bad(reg, old, YOUTH_EINVAL, "old.yaml");
	added = 0;
	assert_ok(youth_census_load_buffer(&added, reg, old, sizeof old - 1, "old.yaml",
	                                   YOUTH_PERSON_ALLOW_AGE));
	assert_int_equal(added, 1);
	/* docs/format.md: id is refused (local to a registry) */
	expect_census_bad(reg, CENSUS_HEAD REC("Ana", "1990-01-01") "    id: 5\n", YOUTH_EINVAL,
	                  "id.yaml");
	assert_msg_has("id");
	/* more than 32 keys in one record */
	{
		char big[4096];
		strcpy(big, CENSUS_HEAD REC("Ana", "1990-01-01"));
		for (int i = 0; i < 30; i++)
			strcat(big, "    address: Calle 1\n");
		/* the keys repeat, so a library that refuses duplicate keys first says EINVAL */
		int64_t n0 = th_count_persons(reg);
		int krc = youth_census_load_buffer(NULL, reg, big, strlen(big), "keys.yaml", 0);
		assert_rc_in2(krc, YOUTH_ELIMIT, YOUTH_EINVAL);
		assert_int_equal(th_count_persons(reg), n0);
	}
	/* malformed and hostile YAML */
	expect_census_bad(reg, CENSUS_HEAD REC("Ana", "1990-01-01") "  - given_names: a: b\n",
	                  YOUTH_EPARSE, "syntax.yaml");
	int64_t before = th_count_persons(reg);
	static const char alias[] = CENSUS_HEAD "  - &p\n    given_names: Ana\n  - *p\n";
	int rc = youth_census_load_buffer(&added, reg, alias, sizeof alias - 1, "alias.yaml", 0);
	assert_rc(rc, YOUTH_EPARSE);
	assert_int_equal(th_count_persons(reg), before);
	static const char v9[] = "format: libyouth/9\npersons:\n" REC("Ana", "1990-01-01");
	rc = youth_census_load_buffer(&added, reg, v9, sizeof v9 - 1, "version.yaml", 0);
	assert_rc(rc, YOUTH_EPARSE);
	assert_msg_has("format");
	assert_int_equal(th_count_persons(reg), before);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, th_setup_gazetteer, th_teardown_registry)
#define S(name) cmocka_unit_test_setup_teardown(name, setup_samples, teardown_samples)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		T(test_add_valid),
		T(test_add_minimal_and_normalised),
		T(test_add_given_uuid),
		T(test_add_missing_required),
		T(test_add_bad_birth_date),
		T(test_add_census_date),
		T(test_add_age_rule),
		T(test_add_dui),
		T(test_add_place),
		T(test_add_phone),
		T(test_add_enums_out_of_range),
		T(test_add_household_size),
		T(test_add_booleans),
		T(test_add_census_round),
		T(test_add_lengths),
		T(test_add_invalid_utf8),
		T(test_add_control_characters),
		T(test_add_job_profiles_normalised),
		T(test_add_consent),
		T(test_get_errors),
		T(test_update),
		T(test_update_errors),
		T(test_delete),
		S(test_filter_none),
		S(test_filter_place),
		S(test_filter_sex),
		S(test_filter_age),
		S(test_filter_age_today),
		S(test_filter_round),
		S(test_filter_name),
		S(test_filter_combined),
		S(test_filter_bad),
		S(test_iter_latched),
		S(test_iter_records),
		cmocka_unit_test(test_field_names),
		T(test_field_roundtrip),
		cmocka_unit_test(test_field_values),
		cmocka_unit_test(test_field_errors),
		cmocka_unit_test(test_enum_names),
		T(test_census_load_file),
		T(test_census_load_small),
		T(test_census_load_buffer),
		T(test_census_bad_record_in_middle),
		T(test_census_errors),
	};
#undef T
#undef S
	return cmocka_run_group_tests(tests, NULL, NULL);
}
