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
	{"business_service", sizeof(youth_bds)},
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
				 * kinds: the only references that name no kind. */
				if (f->refers_to)
					assert_non_null(youth_kind_find(f->refers_to));
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
					assert_ok(youth_record_get_field(k, rec, f->name, buf, sizeof buf, &out));
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
			assert_ok(youth_record_get_field(k, rec, f->name, buf, sizeof buf, &out));
			assert_non_null(out);
			assert_string_equal(out, text);
			assert_ok(youth_record_set_field(k, rec, f->name, NULL));
			assert_ok(youth_record_get_field(k, rec, f->name, buf, sizeof buf, &out));
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
	assert_ok(youth_record_get_field(pk, &p, "consent", buf, sizeof buf, &out));
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
	assert_ok(youth_record_get_field(vk, &v, "jobs_created", buf, sizeof buf, &out));
	assert_string_equal(out, "0");
	assert_ok(youth_record_set_field(vk, &v, "jobs_created", "3"));
	assert_int_equal(v.jobs_created, 3);
	/* Money: int64 cents. */
	assert_ok(youth_record_set_field(vk, &v, "monthly_sales", "125.50"));
	assert_int_equal(v.monthly_sales, 12550);
	assert_ok(youth_record_get_field(vk, &v, "monthly_sales", buf, sizeof buf, &out));
	assert_string_equal(out, "125.50");
	assert_rc(youth_record_set_field(vk, &v, "monthly_sales", "-1"), YOUTH_EINVAL);
	assert_msg_has("negative");
	assert_rc(youth_record_set_field(vk, &v, "monthly_sales", "1.255"), YOUTH_EINVAL);
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
	assert_rc(youth_record_get_field(ck, &cs, "colour", buf, sizeof buf, &out), YOUTH_EINVAL);
	assert_null(out);
	assert_rc(youth_record_get_field(ck, &cs, "topic", buf, 16, &out), YOUTH_EINVAL);

	/* NULL arguments. */
	assert_rc(youth_record_set_field(NULL, &cs, "topic", "x"), YOUTH_EINVAL);
	assert_rc(youth_record_set_field(ck, NULL, "topic", "x"), YOUTH_EINVAL);
	assert_rc(youth_record_get_field(NULL, &cs, "topic", buf, sizeof buf, &out), YOUTH_EINVAL);
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
	{"id", YOUTH_FIELD_ID, offsetof(opt_rec, id), NULL, 0, 0, NULL, "key"},
	{"attended", YOUTH_FIELD_COUNT, offsetof(opt_rec, attended), NULL, 0, YOUTH_FIELD_OPTIONAL,
	 NULL, "optional count"},
	{"jobs", YOUTH_FIELD_COUNT, offsetof(opt_rec, jobs), NULL, 0, 0, NULL, "count"},
	{"amount", YOUTH_FIELD_MONEY, offsetof(opt_rec, amount), NULL, 0, YOUTH_FIELD_OPTIONAL,
	 NULL, "optional money"},
	{"sales", YOUTH_FIELD_MONEY, offsetof(opt_rec, sales), NULL, 0, 0, NULL, "money"},
};
static const youth_kind_info opt_kind = {"opt", "opt", "test kind", sizeof(opt_rec), opt_fields,
                                         sizeof opt_fields / sizeof opt_fields[0]};

static const char *get_text(const youth_kind_info *k, const void *rec, const char *name,
                            char *buf, size_t size)
{
	const char *out = "x";
	assert_ok(youth_record_get_field(k, rec, name, buf, size, &out));
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

/* The library's optional fields: an enrollment's attendance (0 % is a value, unset when not
 * recorded), as the typed function always read it. */
static void attendance_is_an_optional_count(void **state)
{
	(void)state;
	char buf[64];
	const char *out;
	const youth_kind_info *k = youth_kind_find("enrollment");
	const youth_field_info *f = youth_kind_field(k, "attendance");
	assert_int_equal(f->type, YOUTH_FIELD_COUNT);
	assert_true(f->flags & YOUTH_FIELD_OPTIONAL);
	assert_true(f->flags & YOUTH_FIELD_READONLY);
	assert_string_equal(youth_field_type_name(f->type), "count");
	youth_enrollment e;
	youth_enrollment_init(&e);
	assert_int_equal(e.attendance, -1);
	static const struct {
		int member;
		const char *text;
	} cases[] = {{-1, NULL}, {0, "0"}, {79, "79"}, {100, "100"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		e.attendance = cases[i].member;
		assert_ok(youth_enrollment_get_field(&e, "attendance", buf, sizeof buf, &out));
		if (cases[i].text)
			assert_string_equal(out, cases[i].text);
		else
			assert_null(out);
		assert_ok(youth_record_get_field(k, &e, "attendance", buf, sizeof buf, &out));
		if (cases[i].text)
			assert_string_equal(out, cases[i].text);
		else
			assert_null(out);
	}
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
		assert_ok(youth_person_get_field(&full, name, b1, sizeof b1, &t1));
		assert_ok(youth_record_get_field(k, &full, name, b2, sizeof b2, &t2));
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
		cmocka_unit_test(optional_fields_round_trip),
		cmocka_unit_test(attendance_is_an_optional_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
