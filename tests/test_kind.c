/* Tests of youth/kind.h, the published description of every kind of record: walking and
 * finding kinds, that every field is fully described (documentation, type, vocabulary, the
 * kind it refers to, an offset inside the struct), that each description covers its C struct
 * exactly, and that the generic youth_record_* functions read and write real structs the way
 * the typed functions of each kind do.  Front ends (the CLI, SWIG, the Python package) build
 * everything from this description, so a hole here is a hole in all of them. */
#include "helpers.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The C struct of each kind, from the public headers: the description must cover it. */
static const struct {
	const char *kind;
	size_t size;
} structs[] = {
	{"place", sizeof(youth_place)},
	{"programme", sizeof(youth_programme)},
	{"override", sizeof(youth_override_record)},
	{"person", sizeof(youth_person)},
	{"exchange", sizeof(youth_exchange)},
	{"operator", sizeof(youth_operator)},
	{"employer", sizeof(youth_employer)},
	{"course", sizeof(youth_course)},
	{"cohort", sizeof(youth_cohort)},
	{"enrollment", sizeof(youth_enrollment)},
	{"counselling_session", sizeof(youth_counselling_session)},
	{"counselling_participant", sizeof(youth_counselling_participant)},
	{"scholarship", sizeof(youth_scholarship)},
	{"scholarship_placement", sizeof(youth_scholarship_placement)},
	{"scholarship_installment", sizeof(youth_scholarship_installment)},
	{"scholarship_payment", sizeof(youth_scholarship_payment)},
	{"followup", sizeof(youth_followup)},
	{"group", sizeof(youth_group)},
	{"group_member", sizeof(youth_group_member)},
	{"plan", sizeof(youth_plan)},
	{"plan_disbursement", sizeof(youth_plan_disbursement)},
	{"plan_visit", sizeof(youth_plan_visit)},
	{"business_service", sizeof(youth_business_service)},
	{"audit_entry", sizeof(youth_audit_entry)},
	{"duplicate", sizeof(youth_duplicate)},
	{"merge", sizeof(youth_merge)},
};
#define N_STRUCTS (sizeof structs / sizeof structs[0])

/* Bytes the member of a field of this type occupies in the struct. */
static size_t member_size(youth_field_type t)
{
	switch (t) {
	case YOUTH_FIELD_ID:
	case YOUTH_FIELD_REF:
	case YOUTH_FIELD_MONEY:
		return sizeof(int64_t);
	case YOUTH_FIELD_UUID:
		return YOUTH_UUID_LEN + 1;
	case YOUTH_FIELD_TEXT:
	case YOUTH_FIELD_DATE:
		return sizeof(const char *);
	case YOUTH_FIELD_ENUM:
	case YOUTH_FIELD_BOOL:
	case YOUTH_FIELD_INT:
	case YOUTH_FIELD_COUNT:
		return sizeof(int);
	}
	return 0;
}

/* A text of the field's form that reads back unchanged. */
static const char *sample_text(const youth_field_info *f)
{
	switch (f->type) {
	case YOUTH_FIELD_ID:
		return "42";
	case YOUTH_FIELD_REF:
		return "9";
	case YOUTH_FIELD_UUID:
		return "123e4567-e89b-42d3-a456-426614174000";
	case YOUTH_FIELD_TEXT:
		return "Hernández, Pérez";
	case YOUTH_FIELD_DATE:
		return "2009-03-02";
	case YOUTH_FIELD_ENUM:
		for (int v = f->n_vocabulary - 1; v > 0; v--)
			if (f->vocabulary[v])
				return f->vocabulary[v];
		return NULL;
	case YOUTH_FIELD_BOOL:
		return "true";
	case YOUTH_FIELD_INT:
		return "-7";
	case YOUTH_FIELD_MONEY:
		return "125.50";
	case YOUTH_FIELD_COUNT:
		return "0";
	}
	return NULL;
}

/* ---- walking and finding --------------------------------------------------------------- */

static void walk_visits_each_kind_once(void **state)
{
	(void)state;
	size_t n = 0;
	const youth_kind_info *seen[64];
	for (const youth_kind_info *k = youth_kind_next(NULL); k; k = youth_kind_next(k)) {
		assert_true(n < 64);
		for (size_t i = 0; i < n; i++)
			assert_ptr_not_equal(seen[i], k);
		seen[n++] = k;
	}
	assert_int_equal(n, N_STRUCTS);
	/* A pointer that is not one of the library's kinds ends the walk instead of crashing. */
	youth_kind_info foreign = *seen[0];
	assert_null(youth_kind_next(&foreign));
}

static void find_every_kind_and_refuse_others(void **state)
{
	(void)state;
	for (const youth_kind_info *k = youth_kind_next(NULL); k; k = youth_kind_next(k))
		assert_ptr_equal(youth_kind_find(k->name), k);

	assert_null(youth_kind_find("persons"));
	assert_int_equal(youth_error_last()->code, YOUTH_ENOTFOUND);
	assert_msg_has("persons");
	/* The message lists the known kinds, first and last. */
	assert_msg_has("place");
	assert_msg_has("business_service");

	assert_null(youth_kind_find(""));
	assert_int_equal(youth_error_last()->code, YOUTH_ENOTFOUND);
	assert_null(youth_kind_find("Person")); /* case-sensitive */
	assert_null(youth_kind_find(NULL));
	assert_int_equal(youth_error_last()->code, YOUTH_EINVAL);
}

/* ---- the fields ------------------------------------------------------------------------ */

static void every_field_is_described(void **state)
{
	(void)state;
	for (const youth_kind_info *k = youth_kind_next(NULL); k; k = youth_kind_next(k)) {
		assert_non_null(k->name);
		assert_non_null(k->label);
		assert_non_null(k->doc);
		assert_true(k->doc[0]);
		assert_true(k->n_fields > 0);
		/* The key comes first; a placement (part of a scholarship) has none. */
		for (size_t i = 1; i < k->n_fields; i++)
			assert_int_not_equal(k->fields[i].type, YOUTH_FIELD_ID);
		if (strcmp(k->name, "scholarship_placement") != 0) {
			assert_string_equal(k->fields[0].name, "id");
			assert_int_equal(k->fields[0].type, YOUTH_FIELD_ID);
		}
		for (size_t i = 0; i < k->n_fields; i++) {
			const youth_field_info *f = &k->fields[i];
			assert_non_null(f->name);
			assert_true(f->name[0]);
			assert_non_null(f->doc);
			assert_true(f->doc[0]);
			assert_non_null(youth_field_type_name(f->type));
			assert_ptr_equal(youth_kind_field(k, f->name), f); /* names are unique */
			assert_true(f->offset + member_size(f->type) <= k->struct_size);
			if (f->type == YOUTH_FIELD_REF) {
				/* A follow-up's (and an override's) service may be a record of several
				 * kinds, and so may an audit entry's record (its kind field names it):
				 * the only references that name no kind. */
				if (f->refers_to)
					assert_non_null(youth_kind_find(f->refers_to));
				else if (strcmp(k->name, "audit_entry") == 0)
					assert_string_equal(f->name, "record_id");
				else
					assert_string_equal(f->name, "service_id");
			} else {
				assert_null(f->refers_to);
			}
			if (f->type == YOUTH_FIELD_ENUM) {
				assert_non_null(f->vocabulary);
				assert_true(f->n_vocabulary >= 2);
				/* 0 is unset.  A person's education and employment name it "unknown",
				 * accepted on input for unset: it must read back as unset. */
				if (f->vocabulary[0]) {
					void *rec = calloc(1, k->struct_size);
					const char *out = "x";
					char buf[64];
					assert_ok(youth_record_set_field(k, rec, f->name, f->vocabulary[0]));
					assert_ok(youth_record_get_field(&out, k, rec, f->name, buf,
					                                 sizeof buf));
					assert_null(out);
					free(rec);
				}
				assert_non_null(sample_text(f));
			} else {
				assert_null(f->vocabulary);
				assert_int_equal(f->n_vocabulary, 0);
			}
			if (f->flags & YOUTH_FIELD_LIST)
				assert_int_equal(f->type, YOUTH_FIELD_TEXT);
			if (f->flags & YOUTH_FIELD_DEFAULT_ON)
				assert_int_equal(f->type, YOUTH_FIELD_BOOL);
			if (f->flags & YOUTH_FIELD_OPTIONAL)
				assert_true(f->type == YOUTH_FIELD_COUNT || f->type == YOUTH_FIELD_MONEY);
		}
		assert_null(youth_kind_field(k, "no_such_field"));
		assert_null(youth_kind_field(k, NULL));
	}
	assert_null(youth_kind_field(NULL, "id"));
}

static void type_names(void **state)
{
	(void)state;
	static const char *const names[] = {"id",   "uuid", "text",  "date", "enum",
	                                    "bool", "int",  "money", "ref",  "count"};
	for (int t = YOUTH_FIELD_ID; t <= YOUTH_FIELD_COUNT; t++)
		assert_string_equal(youth_field_type_name((youth_field_type)t), names[t - 1]);
	assert_null(youth_field_type_name((youth_field_type)0));
	assert_null(youth_field_type_name((youth_field_type)(YOUTH_FIELD_COUNT + 1)));
}

static int by_offset(const void *a, const void *b)
{
	const youth_field_info *x = *(const youth_field_info *const *)a;
	const youth_field_info *y = *(const youth_field_info *const *)b;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Each kind's fields cover its C struct: same size, no overlap, and no gap larger than
 * alignment padding (a member missing from the description would leave one). */
static void descriptions_cover_their_structs(void **state)
{
	(void)state;
	for (size_t s = 0; s < N_STRUCTS; s++) {
		const youth_kind_info *k = youth_kind_find(structs[s].kind);
		assert_non_null(k);
		assert_int_equal(k->struct_size, structs[s].size);
		const youth_field_info **sorted = malloc(k->n_fields * sizeof *sorted);
		assert_non_null(sorted);
		for (size_t i = 0; i < k->n_fields; i++)
			sorted[i] = &k->fields[i];
		qsort(sorted, k->n_fields, sizeof *sorted, by_offset);
		size_t end = 0;
		for (size_t i = 0; i < k->n_fields; i++) {
			if (sorted[i]->offset < end || sorted[i]->offset - end >= sizeof(int64_t))
				fail_msg("%s.%s: at offset %zu, the field before ends at %zu", k->name,
				         sorted[i]->name, sorted[i]->offset, end);
			end = sorted[i]->offset + member_size(sorted[i]->type);
		}
		if (k->struct_size - end >= sizeof(int64_t))
			fail_msg("%s: %zu bytes after the last field are not described", k->name,
			         k->struct_size - end);
		free(sorted);
	}
}

/* ---- generic access on real structs ------------------------------------------------------ */

/* Every writable field of every kind takes a text of its form and gives it back; unsetting it
 * reads back as unset (a count as 0, a flag as false, money as 0.00, unless optional). */
static void every_field_round_trips(void **state)
{
	(void)state;
	for (const youth_kind_info *k = youth_kind_next(NULL); k; k = youth_kind_next(k)) {
		void *rec = malloc(k->struct_size);
		assert_non_null(rec);
		youth_record_init(k, rec);
		for (size_t i = 0; i < k->n_fields; i++) {
			const youth_field_info *f = &k->fields[i];
			const char *text = sample_text(f), *out = "x";
			char buf[64];
			if (f->flags & YOUTH_FIELD_READONLY) {
				assert_rc(youth_record_set_field(k, rec, f->name, text), YOUTH_EINVAL);
				assert_err_field(f->name);
				assert_msg_has("set by the library");
				continue;
			}
			assert_ok(youth_record_set_field(k, rec, f->name, text));
			assert_ok(youth_record_get_field(&out, k, rec, f->name, buf, sizeof buf));
			assert_non_null(out);
			assert_string_equal(out, text);
			assert_ok(youth_record_set_field(k, rec, f->name, NULL));
			assert_ok(youth_record_get_field(&out, k, rec, f->name, buf, sizeof buf));
			if (f->flags & YOUTH_FIELD_OPTIONAL)
				assert_null(out);
			else if (f->type == YOUTH_FIELD_COUNT)
				assert_string_equal(out, "0");
			else if (f->type == YOUTH_FIELD_BOOL)
				assert_string_equal(out, "false");
			else if (f->type == YOUTH_FIELD_MONEY)
				assert_string_equal(out, "0.00");
			else
				assert_null(out);
		}
		free(rec);
	}
}

static void generic_access_on_real_structs(void **state)
{
	(void)state;
	char buf[64];
	const char *out;

	const youth_kind_info *pk = youth_kind_find("person");
	youth_person p;
	youth_record_init(pk, &p);
	assert_ok(youth_record_set_field(pk, &p, "given_names", "José Antonio"));
	assert_ok(youth_record_set_field(pk, &p, "sex", "female"));
	assert_ok(youth_record_set_field(pk, &p, "birth_date", "1990-05-17"));
	assert_ok(youth_record_set_field(pk, &p, "household_size", "5"));
	assert_ok(youth_record_set_field(pk, &p, "consent", "yes"));
	assert_string_equal(p.given_names, "José Antonio");
	assert_int_equal(p.sex, YOUTH_SEX_FEMALE);
	assert_string_equal(p.birth_date, "1990-05-17");
	assert_int_equal(p.household_size, 5);
	assert_int_equal(p.consent, 1);
	assert_ok(youth_record_get_field(&out, pk, &p, "consent", buf, sizeof buf));
	assert_string_equal(out, "true");
	assert_rc(youth_record_set_field(pk, &p, "sex", "other"), YOUTH_EINVAL);
	assert_msg_has("female");
	assert_rc(youth_record_set_field(pk, &p, "household_size", "five"), YOUTH_EINVAL);
	assert_err_field("household_size");

	/* A count: 0 is a value. */
	const youth_kind_info *vk = youth_kind_find("plan_visit");
	youth_plan_visit v;
	youth_record_init(vk, &v);
	assert_ok(youth_record_set_field(vk, &v, "jobs_created", "0"));
	assert_ok(youth_record_get_field(&out, vk, &v, "jobs_created", buf, sizeof buf));
	assert_string_equal(out, "0");
	assert_ok(youth_record_set_field(vk, &v, "jobs_created", "3"));
	assert_int_equal(v.jobs_created, 3);
	/* Money: int64 cents. */
	assert_ok(youth_record_set_field(vk, &v, "monthly_sales", "125.50"));
	assert_int_equal(v.monthly_sales, 12550);
	assert_ok(youth_record_get_field(&out, vk, &v, "monthly_sales", buf, sizeof buf));
	assert_string_equal(out, "125.50");
	assert_rc(youth_record_set_field(vk, &v, "monthly_sales", "-1"), YOUTH_EINVAL);
	assert_msg_has("negative");
	assert_rc(youth_record_set_field(vk, &v, "monthly_sales", "1.255"), YOUTH_EINVAL);
	assert_msg_has("not an amount of money");
	/* The largest amount, and above it "too large", not "not an amount of money" (leading
	 * zeros do not make an amount large). */
	assert_ok(youth_record_set_field(vk, &v, "monthly_sales", "999999999999.99"));
	assert_int_equal(v.monthly_sales, INT64_C(99999999999999));
	assert_ok(youth_record_set_field(vk, &v, "monthly_sales", "0000000000000125.5"));
	assert_int_equal(v.monthly_sales, 12550);
	static const char *const large[] = {"1000000000000", "1000000000000.00",
	                                    "99999999999999999999999999.5"};
	for (size_t i = 0; i < sizeof large / sizeof large[0]; i++) {
		assert_rc(youth_record_set_field(vk, &v, "monthly_sales", large[i]), YOUTH_EINVAL);
		assert_err_field("monthly_sales");
		assert_msg_has("too large (at most 999999999999.99)");
	}
	assert_rc(youth_record_set_field(vk, &v, "monthly_sales", "10000000000000x"), YOUTH_EINVAL);
	assert_msg_has("not an amount of money");
	/* Read-only: the exchange follows from the operator. */
	assert_rc(youth_record_set_field(vk, &v, "exchange_id", "1"), YOUTH_EINVAL);
	assert_err_field("exchange_id");
	assert_int_equal(v.exchange_id, 0);

	/* The label, not the identifier, names the kind in messages. */
	const youth_kind_info *ck = youth_kind_find("counselling_session");
	youth_counselling_session cs;
	youth_record_init(ck, &cs);
	assert_rc(youth_record_set_field(ck, &cs, "colour", "red"), YOUTH_EINVAL);
	assert_msg_has("colour: not a counselling session field");
	assert_rc(youth_record_get_field(&out, ck, &cs, "colour", buf, sizeof buf), YOUTH_EINVAL);
	assert_null(out);
	assert_rc(youth_record_get_field(&out, ck, &cs, "topic", buf, 16), YOUTH_EINVAL);

	/* NULL arguments. */
	assert_rc(youth_record_set_field(NULL, &cs, "topic", "x"), YOUTH_EINVAL);
	assert_rc(youth_record_set_field(ck, NULL, "topic", "x"), YOUTH_EINVAL);
	assert_rc(youth_record_get_field(&out, NULL, &cs, "topic", buf, sizeof buf), YOUTH_EINVAL);
	assert_null(out);
	youth_record_init(NULL, &cs);
	youth_record_init(ck, NULL);
}

/* ---- optional counts and amounts (YOUTH_FIELD_OPTIONAL) ----------------------------------- */

/* A kind of the test's own, so that the optional fields can be written (the library's are
 * set by the library only): every path of the flag through set, get and init. */
typedef struct opt_rec {
	int64_t id;
	int attended;   /* optional count: -1 unset */
	int jobs;       /* plain count: 0 is a value, never unset */
	int64_t amount; /* optional money: 0 unset */
	int64_t sales;  /* plain money: 0 is 0.00 */
} opt_rec;
static const youth_field_info opt_fields[] = {
	{"id", YOUTH_FIELD_ID, offsetof(opt_rec, id), NULL, 0, 0, NULL, "key", 0},
	{"attended", YOUTH_FIELD_COUNT, offsetof(opt_rec, attended), NULL, 0, YOUTH_FIELD_OPTIONAL,
	 NULL, "optional count", 0},
	{"jobs", YOUTH_FIELD_COUNT, offsetof(opt_rec, jobs), NULL, 0, 0, NULL, "count", 0},
	{"amount", YOUTH_FIELD_MONEY, offsetof(opt_rec, amount), NULL, 0, YOUTH_FIELD_OPTIONAL,
	 NULL, "optional money", 0},
	{"sales", YOUTH_FIELD_MONEY, offsetof(opt_rec, sales), NULL, 0, 0, NULL, "money", 0},
};
static const youth_kind_info opt_kind = {"opt", "opt", "test kind", sizeof(opt_rec), opt_fields,
                                         sizeof opt_fields / sizeof opt_fields[0]};

static const char *get_text(const youth_kind_info *k, const void *rec, const char *name,
                            char *buf, size_t size)
{
	const char *out = "x";
	assert_ok(youth_record_get_field(&out, k, rec, name, buf, size));
	return out;
}

static void optional_fields_round_trip(void **state)
{
	(void)state;
	char buf[64];
	opt_rec r;
	memset(&r, 0x5a, sizeof r);
	youth_record_init(&opt_kind, &r);
	/* A new record: the optional count at -1, everything else 0; both optional fields unset,
	 * the plain ones read as values. */
	assert_int_equal(r.attended, -1);
	assert_int_equal(r.jobs, 0);
	assert_int_equal(r.amount, 0);
	assert_null(get_text(&opt_kind, &r, "attended", buf, sizeof buf));
	assert_string_equal(get_text(&opt_kind, &r, "jobs", buf, sizeof buf), "0");
	assert_null(get_text(&opt_kind, &r, "amount", buf, sizeof buf));
	assert_string_equal(get_text(&opt_kind, &r, "sales", buf, sizeof buf), "0.00");

	/* 0 is a count, optional or not; a value reads back as written. */
	assert_ok(youth_record_set_field(&opt_kind, &r, "attended", "0"));
	assert_int_equal(r.attended, 0);
	assert_string_equal(get_text(&opt_kind, &r, "attended", buf, sizeof buf), "0");
	assert_ok(youth_record_set_field(&opt_kind, &r, "attended", "57"));
	assert_string_equal(get_text(&opt_kind, &r, "attended", buf, sizeof buf), "57");
	/* Unset text stores the unset value, -1, not 0. */
	assert_ok(youth_record_set_field(&opt_kind, &r, "attended", NULL));
	assert_int_equal(r.attended, -1);
	assert_null(get_text(&opt_kind, &r, "attended", buf, sizeof buf));
	assert_ok(youth_record_set_field(&opt_kind, &r, "attended", "57"));
	assert_ok(youth_record_set_field(&opt_kind, &r, "attended", ""));
	assert_int_equal(r.attended, -1);
	assert_ok(youth_record_set_field(&opt_kind, &r, "jobs", ""));
	assert_int_equal(r.jobs, 0);
	/* Any negative member is unset, as the library never stores another. */
	r.attended = -5;
	assert_null(get_text(&opt_kind, &r, "attended", buf, sizeof buf));

	/* An optional amount: 0 is unset rather than 0.00. */
	assert_ok(youth_record_set_field(&opt_kind, &r, "amount", "150"));
	assert_int_equal(r.amount, 15000);
	assert_string_equal(get_text(&opt_kind, &r, "amount", buf, sizeof buf), "150.00");
	assert_ok(youth_record_set_field(&opt_kind, &r, "amount", NULL));
	assert_int_equal(r.amount, 0);
	assert_null(get_text(&opt_kind, &r, "amount", buf, sizeof buf));
	assert_ok(youth_record_set_field(&opt_kind, &r, "amount", "0.00"));
	assert_null(get_text(&opt_kind, &r, "amount", buf, sizeof buf));
	assert_ok(youth_record_set_field(&opt_kind, &r, "sales", NULL));
	assert_string_equal(get_text(&opt_kind, &r, "sales", buf, sizeof buf), "0.00");
	/* The form is checked as for any count or amount. */
	assert_rc(youth_record_set_field(&opt_kind, &r, "attended", "many"), YOUTH_EINVAL);
	assert_err_field("attended");
	assert_rc(youth_record_set_field(&opt_kind, &r, "amount", "-1"), YOUTH_EINVAL);
	assert_msg_has("negative");
}

/* @got is the text @want, or unset for a NULL @want. */
static void assert_text(const char *got, const char *want)
{
	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
}

/* The description of @kind has @field, read-only and optional, of @type. */
static const youth_kind_info *library_optional(const char *kind, const char *field,
                                               youth_field_type type)
{
	const youth_kind_info *k = youth_kind_find(kind);
	const youth_field_info *f = youth_kind_field(k, field);
	assert_non_null(f);
	assert_int_equal(f->type, type);
	assert_true(f->flags & YOUTH_FIELD_OPTIONAL);
	assert_true(f->flags & YOUTH_FIELD_READONLY);
	return k;
}

/* The library's optional fields: an enrollment's attendance (0 % is a value, unset when not
 * recorded), as the typed function always read it. */
static void attendance_is_an_optional_count(void **state)
{
	(void)state;
	char buf[64];
	const char *out;
	const youth_kind_info *k = library_optional("enrollment", "attendance", YOUTH_FIELD_COUNT);
	youth_enrollment e;
	youth_enrollment_init(&e);
	assert_int_equal(e.attendance, -1);
	static const struct {
		int member;
		const char *text;
	} cases[] = {{-1, NULL}, {0, "0"}, {79, "79"}, {100, "100"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		e.attendance = cases[i].member;
		assert_ok(youth_enrollment_get_field(&out, &e, "attendance", buf, sizeof buf));
		assert_text(out, cases[i].text);
		assert_ok(youth_record_get_field(&out, k, &e, "attendance", buf, sizeof buf));
		assert_text(out, cases[i].text);
	}
}

/* A scholarship's stipend: none before a placement (rather than 0.00). */
static void stipend_is_optional_money(void **state)
{
	(void)state;
	char buf[64];
	const char *out;
	const youth_kind_info *k = library_optional("scholarship", "monthly_stipend",
	                                            YOUTH_FIELD_MONEY);
	/* A placement's stipend is required and never 0: not optional. */
	const youth_field_info *f =
		youth_kind_field(youth_kind_find("scholarship_placement"), "monthly_stipend");
	assert_false(f->flags & YOUTH_FIELD_OPTIONAL);
	youth_scholarship s;
	youth_scholarship_init(&s);
	assert_int_equal(s.monthly_stipend, 0);
	assert_ok(youth_scholarship_get_field(&out, &s, "monthly_stipend", buf, sizeof buf));
	assert_null(out);
	s.monthly_stipend = 15000;
	assert_ok(youth_scholarship_get_field(&out, &s, "monthly_stipend", buf, sizeof buf));
	assert_string_equal(out, "150.00");
	assert_ok(youth_record_get_field(&out, k, &s, "monthly_stipend", buf, sizeof buf));
	assert_string_equal(out, "150.00");
}

/* The fields kept as one text of ", "-separated items say so (YOUTH_FIELD_LIST): a person's
 * job profiles and a programme's places and census rounds, and no other. */
static void list_fields_are_flagged(void **state)
{
	(void)state;
	static const char *const lists[][2] = {
		{"programme", "places"}, {"programme", "census_rounds"}, {"person", "job_profiles"}};
	size_t n = 0;
	for (const youth_kind_info *k = youth_kind_next(NULL); k; k = youth_kind_next(k))
		for (size_t i = 0; i < k->n_fields; i++)
			if (k->fields[i].flags & YOUTH_FIELD_LIST) {
				assert_true(n < 3);
				assert_string_equal(k->name, lists[n][0]);
				assert_string_equal(k->fields[i].name, lists[n][1]);
				n++;
			}
	assert_int_equal(n, 3);
}

/* The rules a field states alone (youth__rec_rules applies them on every add and update) are
 * consistent: lengths and codes on texts only, "not in the future" only on required dates, no
 * rule on a read-only field, and REQUIRED only where "given" has a meaning. */
static void field_rules_are_consistent(void **state)
{
	(void)state;
	size_t required = 0, bounded = 0;
	for (const youth_kind_info *k = youth_kind_next(NULL); k; k = youth_kind_next(k))
		for (size_t i = 0; i < k->n_fields; i++) {
			const youth_field_info *f = &k->fields[i];
			unsigned rules = YOUTH_FIELD_REQUIRED | YOUTH_FIELD_PAST | YOUTH_FIELD_CODE;
			if (f->max_bytes || (f->flags & YOUTH_FIELD_CODE))
				assert_int_equal(f->type, YOUTH_FIELD_TEXT);
			if (f->flags & YOUTH_FIELD_CODE)
				assert_true(f->max_bytes > 0);
			if (f->flags & YOUTH_FIELD_PAST)
				assert_true(f->type == YOUTH_FIELD_DATE && (f->flags & YOUTH_FIELD_REQUIRED));
			if (f->flags & YOUTH_FIELD_READONLY)
				assert_true(!(f->flags & rules) && f->max_bytes == 0);
			if (f->flags & YOUTH_FIELD_REQUIRED) {
				assert_true(f->type == YOUTH_FIELD_TEXT || f->type == YOUTH_FIELD_DATE ||
				            f->type == YOUTH_FIELD_REF || f->type == YOUTH_FIELD_MONEY);
				required++;
			}
			bounded += f->max_bytes > 0;
		}
	/* Every service kind states its required references and dates in its table. */
	assert_true(required >= 40);
	assert_true(bounded >= 20);
}

/* youth_record_init() gives the same record as each kind's own _init, whatever was in the
 * memory before: an operator starts active, a participant attended (YOUTH_FIELD_DEFAULT_ON). */
#define SAME_INIT(T, kind, member)                                                  \
	do {                                                                            \
		const youth_kind_info *k_ = youth_kind_find(kind);                          \
		T a_, b_;                                                                   \
		memset(&a_, 0xa5, sizeof a_);                                               \
		memset(&b_, 0x5a, sizeof b_);                                               \
		T##_init(&a_);                                                              \
		youth_record_init(k_, &b_);                                                 \
		assert_true(youth_kind_field(k_, #member)->flags & YOUTH_FIELD_DEFAULT_ON); \
		assert_int_equal(a_.member, 1);                                             \
		assert_memory_equal(&a_, &b_, sizeof a_);                                   \
	} while (0)

static void init_matches_typed_init(void **state)
{
	(void)state;
	SAME_INIT(youth_operator, "operator", active);
	SAME_INIT(youth_counselling_participant, "counselling_participant", attended);
	youth_person p, q;
	memset(&p, 0xa5, sizeof p);
	memset(&q, 0x5a, sizeof q);
	youth_person_init(&p);
	youth_record_init(youth_kind_find("person"), &q);
	assert_memory_equal(&p, &q, sizeof p);
}

/* The typed functions of a person and the generic ones are the same code: for every field,
 * writing through either gives the same struct and reading through either the same text. */
static void typed_and_generic_agree_for_person(void **state)
{
	(void)state;
	const youth_kind_info *k = youth_kind_find("person");
	youth_person full;
	th_person_valid(&full);
	size_t n = 0;
	for (const char *name; (name = youth_person_field_name(n)); n++) {
		assert_string_equal(name, k->fields[n].name);
		char b1[64], b2[64];
		const char *t1, *t2;
		assert_ok(youth_person_get_field(&t1, &full, name, b1, sizeof b1));
		assert_ok(youth_record_get_field(&t2, k, &full, name, b2, sizeof b2));
		if (t1)
			assert_string_equal(t1, t2);
		else
			assert_null(t2);
		if (k->fields[n].flags & YOUTH_FIELD_READONLY)
			continue;
		youth_person a, b;
		youth_person_init(&a);
		youth_record_init(k, &b);
		int r1 = youth_person_set_field(&a, name, t1);
		int r2 = youth_record_set_field(k, &b, name, t1);
		assert_int_equal(r1, r2);
		assert_memory_equal(&a, &b, sizeof a);
	}
	assert_int_equal(n, k->n_fields);
}

/* ---- the typed functions of every kind are the generic ones ----------------------------- */

/* Each kind's typed _get_field / _set_field behind one signature, to walk them in a table. */
typedef int (*typed_get)(const char **, const void *, const char *, char *, size_t);
typedef int (*typed_set)(void *, const char *, const char *);
#define GET_OF(T)                                                                     \
	static int get_##T(const char **o, const void *r, const char *f, char *b, size_t n) \
	{                                                                                 \
		return T##_get_field(o, (const T *)r, f, b, n);                               \
	}
#define SET_OF(T)                                                         \
	static int set_##T(void *r, const char *f, const char *t)            \
	{                                                                     \
		return T##_set_field((T *)r, f, t);                               \
	}
#define BOTH_OF(T) GET_OF(T) SET_OF(T)
BOTH_OF(youth_person)
BOTH_OF(youth_exchange)
BOTH_OF(youth_operator)
BOTH_OF(youth_employer)
BOTH_OF(youth_course)
BOTH_OF(youth_cohort)
BOTH_OF(youth_enrollment)
BOTH_OF(youth_counselling_session)
BOTH_OF(youth_counselling_participant)
BOTH_OF(youth_scholarship)
SET_OF(youth_scholarship_placement)
GET_OF(youth_scholarship_installment)
BOTH_OF(youth_scholarship_payment)
BOTH_OF(youth_followup)
BOTH_OF(youth_group)
BOTH_OF(youth_group_member)
BOTH_OF(youth_plan)
BOTH_OF(youth_plan_disbursement)
BOTH_OF(youth_plan_visit)
BOTH_OF(youth_business_service)
GET_OF(youth_audit_entry)
GET_OF(youth_duplicate)
GET_OF(youth_merge)

static const struct {
	const char *kind;
	typed_get get; /* NULL: the kind has no typed getter */
	typed_set set; /* NULL: no typed setter */
	const char *(*field_name)(size_t);
} typed[] = {
	{"person", get_youth_person, set_youth_person, youth_person_field_name},
	{"exchange", get_youth_exchange, set_youth_exchange, youth_exchange_field_name},
	{"operator", get_youth_operator, set_youth_operator, youth_operator_field_name},
	{"employer", get_youth_employer, set_youth_employer, youth_employer_field_name},
	{"course", get_youth_course, set_youth_course, youth_course_field_name},
	{"cohort", get_youth_cohort, set_youth_cohort, youth_cohort_field_name},
	{"enrollment", get_youth_enrollment, set_youth_enrollment, youth_enrollment_field_name},
	{"counselling_session", get_youth_counselling_session, set_youth_counselling_session,
	 youth_counselling_session_field_name},
	{"counselling_participant", get_youth_counselling_participant,
	 set_youth_counselling_participant, youth_counselling_participant_field_name},
	{"scholarship", get_youth_scholarship, set_youth_scholarship, youth_scholarship_field_name},
	{"scholarship_placement", NULL, set_youth_scholarship_placement,
	 youth_scholarship_placement_field_name},
	{"scholarship_installment", get_youth_scholarship_installment, NULL,
	 youth_scholarship_installment_field_name},
	{"scholarship_payment", get_youth_scholarship_payment, set_youth_scholarship_payment,
	 youth_scholarship_payment_field_name},
	{"followup", get_youth_followup, set_youth_followup, youth_followup_field_name},
	{"group", get_youth_group, set_youth_group, youth_group_field_name},
	{"group_member", get_youth_group_member, set_youth_group_member,
	 youth_group_member_field_name},
	{"plan", get_youth_plan, set_youth_plan, youth_plan_field_name},
	{"plan_disbursement", get_youth_plan_disbursement, set_youth_plan_disbursement,
	 youth_plan_disbursement_field_name},
	{"plan_visit", get_youth_plan_visit, set_youth_plan_visit, youth_plan_visit_field_name},
	{"business_service", get_youth_business_service, set_youth_business_service, youth_business_service_field_name},
	{"audit_entry", get_youth_audit_entry, NULL, youth_audit_entry_field_name},
	{"duplicate", get_youth_duplicate, NULL, youth_duplicate_field_name},
	{"merge", get_youth_merge, NULL, youth_merge_field_name},
};
#define N_TYPED (sizeof typed / sizeof typed[0])

/* Writes member values straight into @rec, read-only fields included, so that the getters
 * meet every edge a registry can hand them: @v 0 leaves the record as init made it, 1 puts
 * zeros and values, 2 the negative and "none" values, 3 ordinary values. */
static void fill_raw(const youth_kind_info *k, void *rec, int v)
{
	static const int ints[] = {0, 0, -1, 57};
	static const int64_t money[] = {0, 0, 12550, 1};
	youth_record_init(k, rec);
	if (v == 0)
		return;
	for (size_t i = 0; i < k->n_fields; i++) {
		const youth_field_info *f = &k->fields[i];
		char *m = (char *)rec + f->offset;
		switch (f->type) {
		case YOUTH_FIELD_ID:
		case YOUTH_FIELD_REF:
			*(int64_t *)m = v == 2 ? 0 : 9 + v;
			break;
		case YOUTH_FIELD_UUID:
			strcpy(m, v == 2 ? "" : "123e4567-e89b-42d3-a456-426614174000");
			break;
		case YOUTH_FIELD_TEXT:
			*(const char **)m = v == 2 ? NULL : "cook, baker";
			break;
		case YOUTH_FIELD_DATE:
			*(const char **)m = v == 2 ? NULL : "2009-03-02";
			break;
		case YOUTH_FIELD_ENUM:
			*(int *)m = v == 2 ? 0 : f->n_vocabulary - 1;
			break;
		case YOUTH_FIELD_BOOL:
			*(int *)m = v != 2;
			break;
		case YOUTH_FIELD_INT:
		case YOUTH_FIELD_COUNT:
			*(int *)m = ints[v];
			break;
		case YOUTH_FIELD_MONEY:
			*(int64_t *)m = money[v];
			break;
		}
	}
}

/* The typed functions of every kind and the generic ones are the same code: for every field,
 * reading through either gives the same text whatever the members hold, and writing through
 * either gives the same struct (or the same refusal). */
static void typed_and_generic_agree_for_every_kind(void **state)
{
	(void)state;
	size_t covered = 0;
	for (size_t t = 0; t < N_TYPED; t++) {
		const youth_kind_info *k = youth_kind_find(typed[t].kind);
		assert_non_null(k);
		size_t n = 0;
		for (const char *name; (name = typed[t].field_name(n)); n++)
			assert_string_equal(name, k->fields[n].name);
		assert_int_equal(n, k->n_fields);
		void *rec = malloc(k->struct_size), *a = malloc(k->struct_size),
		     *b = malloc(k->struct_size);
		assert_true(rec && a && b);
		for (int v = 0; typed[t].get && v < 4; v++) {
			fill_raw(k, rec, v);
			for (size_t i = 0; i < k->n_fields; i++) {
				const char *name = k->fields[i].name, *t1 = "x", *t2 = "y";
				char b1[64], b2[64];
				assert_ok(typed[t].get(&t1, rec, name, b1, sizeof b1));
				assert_ok(youth_record_get_field(&t2, k, rec, name, b2, sizeof b2));
				if (t1 && t2)
					assert_string_equal(t1, t2);
				else if (t1 || t2)
					fail_msg("%s.%s (values %d): typed \"%s\", generic \"%s\"", k->name, name,
					         v, t1 ? t1 : "(unset)", t2 ? t2 : "(unset)");
			}
		}
		for (size_t i = 0; typed[t].set && i < k->n_fields; i++) {
			const youth_field_info *f = &k->fields[i];
			const char *texts[] = {sample_text(f), NULL, "not of any form"};
			for (size_t j = 0; j < sizeof texts / sizeof texts[0]; j++) {
				memset(a, 0xa5, k->struct_size);
				memset(b, 0xa5, k->struct_size);
				youth_record_init(k, a);
				youth_record_init(k, b);
				int r1 = typed[t].set(a, f->name, texts[j]);
				int r2 = youth_record_set_field(k, b, f->name, texts[j]);
				assert_int_equal(r1, r2);
				assert_memory_equal(a, b, k->struct_size);
			}
		}
		free(rec);
		free(a);
		free(b);
		covered++;
	}
	/* Every kind with typed functions is in the table: the others are a place, a programme
	 * and an override, which have none. */
	size_t kinds = 0;
	for (const youth_kind_info *k = youth_kind_next(NULL); k; k = youth_kind_next(k))
		kinds++;
	assert_int_equal(covered + 3, kinds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walk_visits_each_kind_once),
		cmocka_unit_test(find_every_kind_and_refuse_others),
		cmocka_unit_test(every_field_is_described),
		cmocka_unit_test(type_names),
		cmocka_unit_test(descriptions_cover_their_structs),
		cmocka_unit_test(every_field_round_trips),
		cmocka_unit_test(generic_access_on_real_structs),
		cmocka_unit_test(init_matches_typed_init),
		cmocka_unit_test(typed_and_generic_agree_for_person),
		cmocka_unit_test(typed_and_generic_agree_for_every_kind),
		cmocka_unit_test(optional_fields_round_trip),
		cmocka_unit_test(attendance_is_an_optional_count),
		cmocka_unit_test(stipend_is_optional_money),
		cmocka_unit_test(list_fields_are_flagged),
		cmocka_unit_test(field_rules_are_consistent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
