/* Tests of youth/consent.h: consent per purpose given, withdrawn and given again with its whole
 * history kept, every rule and its refusal (each leaving the registry unchanged), the purpose
 * vocabulary and the rules file that grows it, the person's legacy flag as the census purpose
 * (migration 10 included), exports for a purpose that leave out persons without consent and all
 * their records, the round trip of the history through an export, and the audited identifying
 * export (a read-only handle, an open transaction, a pseudonymised export). */
#define _GNU_SOURCE
#include "helpers.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define BORN "1992-05-14" /* th_person_valid() */

typedef struct fx {
	youth_registry *reg;
	int64_t a, b, c, d; /* persons without the legacy flag */
	int64_t operator_id;
} fx;

static int64_t add_person(youth_registry *reg, const char *given, int flag)
{
	youth_person p;
	th_person_valid(&p);
	p.given_names = given;
	p.national_id = NULL;
	p.consent = flag;
	p.consent_date = flag ? "2009-03-02" : NULL;
	assert_ok(youth_person_add(reg, &p, 0));
	return p.id;
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	f->reg = th_open_memory_gazetteer();
	f->a = add_person(f->reg, "Alba", 0);
	f->b = add_person(f->reg, "Berta", 0);
	f->c = add_person(f->reg, "Carmen", 0);
	f->d = add_person(f->reg, "Dora", 0);
	int64_t x = th_add_exchange(f->reg, "SON-01", "Bolsa de empleo", TH_EXCHANGE_PLACE);
	f->operator_id = th_add_operator(f->reg, x, "Marta", "Ramírez", YOUTH_ROLE_PLACEMENT, 1);
	youth_error_clear();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	youth_registry_close(f->reg);
	free(f);
	return 0;
}

static youth_consent consent(int64_t person, const char *purpose, const char *date)
{
	youth_consent c;
	youth_consent_init(&c);
	c.person_id = person;
	c.purpose = purpose;
	c.date = date;
	c.recorded_by = "Marta Ramírez";
	c.evidence = "form 2009-0042";
	return c;
}

static int give(youth_registry *reg, int64_t person, const char *purpose, const char *date)
{
	youth_consent c = consent(person, purpose, date);
	return youth_consent_give(reg, &c);
}

static int withdraw(youth_registry *reg, int64_t person, const char *purpose, const char *date)
{
	youth_consent c = consent(person, purpose, date);
	return youth_consent_withdraw(reg, &c);
}

static int active(youth_registry *reg, int64_t person, const char *purpose)
{
	int given = -1;
	assert_ok(youth_consent_active(&given, NULL, reg, person, purpose));
	return given;
}

static int64_t count_rows(youth_registry *reg)
{
	youth_consent_iter *it;
	const youth_consent *c;
	int64_t n = 0;
	assert_ok(youth_consent_iter_new(&it, reg, 0, NULL));
	while (youth_consent_next(&c, it) == YOUTH_OK)
		n++;
	youth_consent_iter_free(it);
	return n;
}

/* ---- giving and withdrawing ---------------------------------------------------------------- */

static void test_give_withdraw_give_again(void **state)
{
	fx *f = *state;
	char since[11];
	int given;
	assert_int_equal(active(f->reg, f->a, "training"), 0);
	youth_consent c = consent(f->a, "training", "2009-04-01");
	assert_ok(youth_consent_give(f->reg, &c));
	assert_true(c.id > 0);
	assert_uuid(c.uuid);
	assert_int_equal(c.state, YOUTH_CONSENT_GIVEN);
	assert_ok(youth_consent_active(&given, since, f->reg, f->a, "training"));
	assert_int_equal(given, 1);
	assert_string_equal(since, "2009-04-01");
	assert_ok(withdraw(f->reg, f->a, "training", "2010-01-15"));
	assert_ok(youth_consent_active(&given, since, f->reg, f->a, "training"));
	assert_int_equal(given, 0);
	assert_string_equal(since, "2010-01-15");
	assert_ok(give(f->reg, f->a, "training", "2010-01-15")); /* the same day: later row wins */
	assert_int_equal(active(f->reg, f->a, "training"), 1);
	/* other purposes and persons are untouched */
	assert_int_equal(active(f->reg, f->a, "research"), 0);
	assert_int_equal(active(f->reg, f->b, "training"), 0);

	/* the history, oldest first, nothing overwritten */
	youth_consent_iter *it;
	const youth_consent *r;
	static const int states[] = {YOUTH_CONSENT_GIVEN, YOUTH_CONSENT_WITHDRAWN,
	                             YOUTH_CONSENT_GIVEN};
	static const char *const dates[] = {"2009-04-01", "2010-01-15", "2010-01-15"};
	int n = 0;
	assert_ok(youth_consent_iter_new(&it, f->reg, f->a, "training"));
	while (youth_consent_next(&r, it) == YOUTH_OK) {
		assert_true(n < 3);
		assert_int_equal(r->state, states[n]);
		assert_string_equal(r->date, dates[n]);
		assert_string_equal(r->recorded_by, "Marta Ramírez");
		assert_string_equal(r->evidence, "form 2009-0042");
		n++;
	}
	assert_int_equal(n, 3);
	assert_rc(youth_consent_next(&r, it), YOUTH_ITEROVER);
	assert_rc(youth_consent_next(&r, it), YOUTH_ITEROVER); /* latched */
	youth_consent_iter_free(it);

	youth_consent *got = NULL;
	assert_ok(youth_consent_get(&got, f->reg, c.id));
	assert_string_equal(got->uuid, c.uuid);
	assert_string_equal(youth_consent_state_name(got->state), "given");
	youth_consent_free(got);
}

static void test_recorded_by_defaults_to_the_actor(void **state)
{
	fx *f = *state;
	youth_consent c = consent(f->b, "stipend", "2009-05-01");
	c.recorded_by = NULL;
	assert_rc(youth_consent_give(f->reg, &c), YOUTH_EINVAL);
	assert_err_field("recorded_by");
	assert_msg_has("recorded_by: missing");
	assert_ok(youth_registry_set_actor(f->reg, "maria.lopez@sonsonate"));
	assert_ok(youth_consent_give(f->reg, &c));
	youth_consent *got = NULL;
	assert_ok(youth_consent_get(&got, f->reg, c.id));
	assert_string_equal(got->recorded_by, "maria.lopez@sonsonate");
	youth_consent_free(got);
}

/* ---- rules --------------------------------------------------------------------------------- */

static void test_rules_refused_unchanged(void **state)
{
	fx *f = *state;
	char tomorrow[11];
	th_today_utc(tomorrow, 1);
	assert_ok(give(f->reg, f->a, "research", "2009-06-01"));
	int64_t before = count_rows(f->reg);

	assert_rc(give(f->reg, f->b, "research", tomorrow), YOUTH_EINVAL);
	assert_err_field("date");
	assert_msg_has("in the future");
	assert_rc(give(f->reg, f->b, "research", "1991-01-01"), YOUTH_EINVAL);
	assert_err_field("date");
	assert_msg_has("before the birth of person");
	assert_rc(give(f->reg, f->b, "research", "2009-02-30"), YOUTH_EINVAL);
	assert_err_field("date");
	assert_rc(withdraw(f->reg, f->a, "research", "2009-05-31"), YOUTH_EINVAL);
	assert_msg_has("before the latest consent of person");
	assert_rc(give(f->reg, f->b, "marketing", "2009-06-01"), YOUTH_EINVAL);
	assert_err_field("purpose");
	assert_msg_has("purpose \"marketing\": not a purpose of this registry (allowed: census, "
	               "national_sharing, research, stipend, training");
	assert_rc(give(f->reg, f->b, NULL, "2009-06-01"), YOUTH_EINVAL);
	assert_err_field("purpose");
	assert_rc(give(f->reg, 9999, "research", "2009-06-01"), YOUTH_ENOTFOUND);
	assert_err_field("person_id");
	assert_rc(give(f->reg, 0, "research", "2009-06-01"), YOUTH_EINVAL);
	assert_rc(withdraw(f->reg, f->b, "research", "2009-06-01"), YOUTH_ESTATE);
	assert_msg_has("no active consent for research (never given)");
	assert_ok(withdraw(f->reg, f->a, "research", "2009-07-01"));
	assert_rc(withdraw(f->reg, f->a, "research", "2009-07-02"), YOUTH_ESTATE);
	assert_msg_has("(withdrawn on 2009-07-01)");
	youth_consent c = consent(f->b, "research", "2009-06-01");
	char *long_text = th_repeat('x', 501);
	c.evidence = long_text;
	assert_rc(youth_consent_give(f->reg, &c), YOUTH_EINVAL);
	assert_err_field("evidence");
	free(long_text);
	assert_rc(youth_consent_give(NULL, &c), YOUTH_EINVAL);
	assert_rc(youth_consent_give(f->reg, NULL), YOUTH_EINVAL);
	int given;
	assert_rc(youth_consent_active(&given, NULL, f->reg, f->a, "nope"), YOUTH_EINVAL);
	assert_rc(youth_consent_active(&given, NULL, f->reg, 9999, "research"), YOUTH_ENOTFOUND);
	youth_consent_iter *it;
	assert_rc(youth_consent_iter_new(&it, f->reg, -1, NULL), YOUTH_EINVAL);
	assert_rc(youth_consent_iter_new(&it, f->reg, 0, "nope"), YOUTH_EINVAL);
	assert_int_equal(count_rows(f->reg), before + 1); /* only the accepted withdrawal */
}

static void test_history_cannot_be_rewritten(void **state)
{
	char *dir = th_tmpdir(), *path = th_path(dir, "c.youth");
	youth_registry *reg = th_open_file_gazetteer(path);
	int64_t id = add_person(reg, "Elena", 0);
	assert_ok(give(reg, id, "training", "2009-04-01"));
	youth_registry_close(reg);
	(void)state;
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, th_sealing_vfs()),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE consent SET state = 2", NULL, NULL, NULL),
	                 SQLITE_CONSTRAINT);
	assert_true(th_contains(sqlite3_errmsg(db), "history is kept"));
	sqlite3_close(db);
	th_rmtree(dir);
	free(dir);
	free(path);
}

/* ---- the purposes ------------------------------------------------------------------------- */

static void test_purposes_from_a_rules_file(void **state)
{
	fx *f = *state;
	char list[256];
	assert_ok(youth_purpose_list(list, sizeof list, f->reg));
	assert_string_equal(list, "census, national_sharing, research, stipend, training");
	assert_rc(youth_purpose_list(list, 10, f->reg), YOUTH_ELIMIT);
	static const char rules[] = "format: libyouth/1\npurposes: [youth_survey, research]\n";
	assert_ok(youth_rules_load_buffer(NULL, f->reg, rules, sizeof rules - 1, "rules.yaml"));
	assert_ok(youth_purpose_check(f->reg, "youth_survey"));
	assert_ok(give(f->reg, f->a, "youth_survey", "2009-04-01"));
	assert_ok(youth_purpose_list(list, sizeof list, f->reg));
	assert_string_equal(list, "census, national_sharing, research, stipend, training, youth_survey");
	/* programmes and purposes in either order, each once */
	static const char both[] = "format: libyouth/1\npurposes: [census]\nprogrammes:\n"
	                           "  - code: vocational\n    title: Vocational training\n";
	assert_ok(youth_rules_load_buffer(NULL, f->reg, both, sizeof both - 1, "both.yaml"));
	static const char twice[] = "format: libyouth/1\npurposes: [census]\npurposes: [research]\n";
	assert_rc(youth_rules_load_buffer(NULL, f->reg, twice, sizeof twice - 1, "t.yaml"),
	          YOUTH_EINVAL);
	assert_msg_has("`purposes` given twice");
	static const char bad[] = "format: libyouth/1\npurposes: [census, \"Bad purpose!\"]\n";
	assert_rc(youth_rules_load_buffer(NULL, f->reg, bad, sizeof bad - 1, "bad.yaml"),
	          YOUTH_EINVAL);
	assert_msg_has("bad.yaml:2:");
	assert_rc(youth_purpose_check(f->reg, "Bad purpose!"), YOUTH_EINVAL);
}

/* ---- the legacy flag ------------------------------------------------------------------------ */

static void test_legacy_flag_is_the_census_purpose(void **state)
{
	fx *f = *state;
	int64_t e = add_person(f->reg, "Elena", 1); /* flag given 2009-03-02, no row */
	char since[11];
	int given;
	assert_ok(youth_consent_active(&given, since, f->reg, e, "census"));
	assert_int_equal(given, 1);
	assert_string_equal(since, "2009-03-02");
	assert_int_equal(active(f->reg, e, "training"), 0); /* the flag is the census purpose only */
	assert_int_equal(active(f->reg, f->a, "census"), 0);

	assert_rc(withdraw(f->reg, e, "census", "2009-03-01"), YOUTH_EINVAL); /* before the flag */
	assert_int_equal(count_rows(f->reg), 0);
	assert_ok(withdraw(f->reg, e, "census", "2010-02-01"));
	/* the flag became the first row of the history, and follows the new one */
	youth_consent_iter *it;
	const youth_consent *r;
	assert_ok(youth_consent_iter_new(&it, f->reg, e, "census"));
	assert_ok(youth_consent_next(&r, it));
	assert_int_equal(r->state, YOUTH_CONSENT_GIVEN);
	assert_string_equal(r->date, "2009-03-02");
	assert_string_equal(r->recorded_by, "migration 10"); /* as migration 10 states a flag */
	assert_ok(youth_consent_next(&r, it));
	assert_int_equal(r->state, YOUTH_CONSENT_WITHDRAWN);
	assert_rc(youth_consent_next(&r, it), YOUTH_ITEROVER);
	youth_consent_iter_free(it);
	youth_person *p = NULL;
	assert_ok(youth_person_get(&p, f->reg, e));
	assert_int_equal(p->consent, 0);
	assert_null(p->consent_date);
	/* the flag cannot be set back around the history, but the rest of the person can change */
	youth_person q = *p;
	q.consent = 1;
	q.consent_date = "2010-03-01";
	assert_rc(youth_person_update(f->reg, &q, 0), YOUTH_EINVAL);
	assert_err_field("consent");
	assert_msg_has("has a consent history for census (withdrawn on 2010-02-01)");
	q = *p;
	q.household_size = 7;
	assert_ok(youth_person_update(f->reg, &q, 0));
	youth_person_free(p);
	assert_ok(give(f->reg, e, "census", "2010-03-01"));
	assert_ok(youth_person_get(&p, f->reg, e));
	assert_int_equal(p->consent, 1);
	assert_string_equal(p->consent_date, "2010-03-01");
	youth_person_free(p);
	assert_int_equal(count_rows(f->reg), 3);
}

static void test_migration_10_turns_flags_into_rows(void **state)
{
	(void)state;
	char *dir = th_tmpdir(), *path = th_path(dir, "old.youth");
	youth_registry *reg = th_open_file_gazetteer(path);
	int64_t with = add_person(reg, "Elena", 1), without = add_person(reg, "Fina", 0);
	th_text before = {0};
	assert_ok(youth_export_write(NULL, reg, th_text_write, &before, NULL));
	youth_registry_close(reg);
	th_schema_downgrade(path, 9);
	assert_ok(youth_registry_open(&reg, path, 0));
	youth_consent_iter *it;
	const youth_consent *r;
	assert_ok(youth_consent_iter_new(&it, reg, 0, NULL));
	assert_ok(youth_consent_next(&r, it));
	assert_int_equal(r->person_id, with);
	assert_string_equal(r->purpose, "census");
	assert_int_equal(r->state, YOUTH_CONSENT_GIVEN);
	assert_string_equal(r->date, "2009-03-02");
	assert_string_equal(r->recorded_by, "migration 10");
	assert_uuid(r->uuid);
	assert_rc(youth_consent_next(&r, it), YOUTH_ITEROVER);
	youth_consent_iter_free(it);
	assert_int_equal(active(reg, with, "census"), 1);
	assert_int_equal(active(reg, without, "census"), 0);
	/* the row only restates the flag, which travels in the person: the same bytes as before */
	th_text after = {0};
	assert_ok(youth_export_write(NULL, reg, th_text_write, &after, NULL));
	assert_string_equal(after.data, before.data);
	free(before.data);
	free(after.data);
	youth_registry_close(reg);
	th_rmtree(dir);
	free(dir);
	free(path);
}

/* ---- exports for a purpose -------------------------------------------------------------------- */

static char *export_text(youth_registry *reg, const char *purpose, youth_interchange_summary *s)
{
	youth_export_options o;
	youth_export_options_init(&o);
	o.purpose = purpose;
	th_text t = {0};
	assert_ok(youth_export_write(s, reg, th_text_write, &t, &o));
	return t.data;
}

static int64_t add_followup(fx *f, int64_t person)
{
	youth_followup u;
	youth_followup_init(&u);
	u.person_id = person;
	u.operator_id = f->operator_id;
	u.date = "2010-02-01";
	u.horizon_months = 6;
	u.status = YOUTH_FOLLOWUP_STUDYING;
	assert_ok(youth_followup_add(f->reg, &u));
	return u.id;
}

static void test_export_for_a_purpose(void **state)
{
	fx *f = *state;
	assert_ok(give(f->reg, f->a, "training", "2009-04-01"));
	assert_ok(give(f->reg, f->c, "training", "2009-04-01")); /* C withdraws */
	assert_ok(withdraw(f->reg, f->c, "training", "2009-05-01"));
	assert_ok(give(f->reg, f->d, "training", "2009-04-01")); /* D withdraws, then gives again */
	assert_ok(withdraw(f->reg, f->d, "training", "2009-05-01"));
	assert_ok(give(f->reg, f->d, "training", "2009-06-01"));
	assert_ok(give(f->reg, f->b, "research", "2009-04-01")); /* B: another purpose only */
	add_followup(f, f->a);
	add_followup(f, f->b);
	add_followup(f, f->c);

	youth_interchange_summary all, some;
	char *full = export_text(f->reg, NULL, &all);
	char *text = export_text(f->reg, "training", &some);
	/* without a purpose: everyone, and the consents section */
	assert_true(th_contains(full, "Berta") && th_contains(full, "Carmen"));
	assert_true(th_contains(full, "consents:\n"));
	assert_int_equal(all.excluded, 0);
	/* for training: A and D, their consents and A's follow-up; nothing of B and C */
	assert_true(th_contains(text, "given_names: Alba"));
	assert_true(th_contains(text, "given_names: Dora"));
	assert_false(th_contains(text, "Berta"));
	assert_false(th_contains(text, "Carmen"));
	assert_false(th_contains(text, "purpose: research")); /* B's row went with B */
	assert_int_equal(some.excluded_persons, 2);
	/* B, C, B's consent, C's two consents, B's and C's follow-ups */
	assert_int_equal(some.excluded, 7);
	assert_int_equal(some.records + some.excluded, all.records);
	/* an export of some kinds only, which meets no person, still asks for each one */
	youth_export_options ko;
	youth_export_options_init(&ko);
	ko.purpose = "training";
	ko.kinds = YOUTH_KIND_FOLLOWUPS;
	th_text kt = {0};
	youth_interchange_summary ks;
	assert_ok(youth_export_write(&ks, f->reg, th_text_write, &kt, &ko));
	assert_int_equal(ks.records, 1); /* A's follow-up, not B's nor C's */
	assert_int_equal(ks.excluded, 2);
	free(kt.data);
	/* the consents of the persons kept travel: D's three rows */
	youth_registry *other = th_open_memory_gazetteer();
	youth_interchange_summary in;
	assert_ok(youth_import_buffer(&in, other, text, strlen(text), "training.yaml", NULL));
	int64_t d2 = 0;
	youth_person_iter *pit;
	const youth_person *p;
	assert_ok(youth_person_iter_new(&pit, other, NULL));
	while (youth_person_next(&p, pit) == YOUTH_OK)
		if (strcmp(p->given_names, "Dora") == 0)
			d2 = p->id;
	youth_person_iter_free(pit);
	assert_true(d2 > 0);
	assert_int_equal(active(other, d2, "training"), 1);
	youth_consent_iter *it;
	const youth_consent *r;
	int n = 0;
	assert_ok(youth_consent_iter_new(&it, other, d2, "training"));
	while (youth_consent_next(&r, it) == YOUTH_OK)
		n++;
	youth_consent_iter_free(it);
	assert_int_equal(n, 3);
	youth_registry_close(other);

	/* the whole registry round-trips: export, import, export gives the same bytes */
	other = NULL;
	assert_ok(youth_registry_open(&other, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(youth_import_buffer(&in, other, full, strlen(full), "full.yaml", NULL));
	char *again = export_text(other, NULL, NULL);
	assert_string_equal(again, full);
	free(again);
	youth_registry_close(other);

	/* an unknown purpose is refused with the allowed ones, before anything is written */
	youth_export_options o;
	youth_export_options_init(&o);
	o.purpose = "marketing";
	th_text t = {0};
	assert_rc(youth_export_write(NULL, f->reg, th_text_write, &t, &o), YOUTH_EINVAL);
	assert_err_field("purpose");
	assert_msg_has("allowed: census, national_sharing");
	assert_int_equal(t.len, 0);
	free(t.data);
	free(full);
	free(text);
}

static void test_pseudonymised_export_for_a_purpose(void **state)
{
	fx *f = *state;
	char *dir = th_tmpdir(), *key = th_path(dir, "k.key");
	assert_ok(youth_key_new(key));
	assert_ok(give(f->reg, f->a, "research", "2009-04-01"));
	youth_export_options o;
	youth_export_options_init(&o);
	o.flags = YOUTH_EXPORT_PSEUDONYMISE | YOUTH_EXPORT_CSV;
	o.pseudonym_key_file = key;
	o.purpose = "research";
	th_text t = {0};
	youth_interchange_summary s;
	assert_ok(youth_export_write(&s, f->reg, th_text_write, &t, &o));
	assert_int_equal(s.records, 1); /* A only, as one CSV line */
	assert_int_equal(s.excluded_persons, 3);
	free(t.data);
	th_rmtree(dir);
	free(dir);
	free(key);
}

/* ---- the audited identifying export ------------------------------------------------------------ */

static int64_t export_entries(youth_registry *reg, const char *needle)
{
	youth_audit_filter flt = {.kind = "export"};
	youth_audit_iter *it;
	const youth_audit_entry *e;
	int64_t n = 0;
	assert_ok(youth_audit_iter_new(&it, reg, &flt));
	while (youth_audit_next(&e, it) == YOUTH_OK) {
		assert_string_equal(e->action, "read");
		assert_string_equal(e->operation, "export with identifying fields");
		assert_string_equal(e->actor, "dpo@sonsonate");
		if (!needle || th_contains(e->changes, needle))
			n++;
	}
	youth_audit_iter_free(it);
	return n;
}

static void test_identifying_export_is_audited(void **state)
{
	(void)state;
	char *dir = th_tmpdir(), *path = th_path(dir, "a.youth"), *key = th_path(dir, "k.key");
	assert_ok(youth_key_new(key));
	youth_registry *reg = th_open_file_gazetteer(path);
	int64_t a = add_person(reg, "Alba", 0);
	add_person(reg, "Berta", 0);
	assert_ok(give(reg, a, "national_sharing", "2009-04-01"));
	youth_export_options o;
	youth_export_options_init(&o);
	o.flags = YOUTH_EXPORT_IDENTIFIERS;
	th_text t = {0};
	/* not audited: nothing to record */
	assert_ok(youth_export_write(NULL, reg, th_text_write, &t, &o));
	assert_ok(youth_registry_set_actor(reg, "dpo@sonsonate"));
	assert_ok(youth_audit_enable(reg));
	assert_int_equal(export_entries(reg, NULL), 0);

	o.flags = YOUTH_EXPORT_IDENTIFIERS | YOUTH_EXPORT_CONTACTS;
	o.purpose = "national_sharing";
	assert_ok(youth_export_write(NULL, reg, th_text_write, &t, &o));
	assert_int_equal(export_entries(reg, "{\"with\":\"identifiers, contacts\",\"persons\":1,"
	                                     "\"purpose\":\"national_sharing\"}"), 1);
	o.flags = YOUTH_EXPORT_CONTACTS;
	o.purpose = NULL;
	assert_ok(youth_export_write(NULL, reg, th_text_write, &t, &o));
	assert_int_equal(export_entries(reg, "{\"with\":\"contacts\",\"persons\":2}"), 1);
	/* neither a plain default export nor a pseudonymised one carries identifiers */
	o.flags = 0;
	assert_ok(youth_export_write(NULL, reg, th_text_write, &t, &o));
	o.flags = YOUTH_EXPORT_PSEUDONYMISE | YOUTH_EXPORT_IDENTIFIERS;
	o.pseudonym_key_file = key;
	assert_ok(youth_export_write(NULL, reg, th_text_write, &t, &o));
	assert_int_equal(export_entries(reg, NULL), 2);
	youth_audit_problem pr;
	assert_ok(youth_audit_verify(&pr, reg, NULL));
	assert_int_equal(pr.problems, 0);

	/* inside the caller's transaction the entry could be rolled back after the data left */
	o.flags = YOUTH_EXPORT_IDENTIFIERS;
	o.pseudonym_key_file = NULL;
	assert_ok(youth_registry_begin(reg));
	size_t len = t.len;
	assert_rc(youth_export_write(NULL, reg, th_text_write, &t, &o), YOUTH_EMISUSE);
	assert_msg_has("outside a transaction");
	assert_int_equal(t.len, len);
	assert_ok(youth_registry_rollback(reg));
	/* without an actor the entry cannot name who exported */
	youth_registry_close(reg);
	assert_ok(youth_registry_open(&reg, path, 0));
	assert_rc(youth_export_write(NULL, reg, th_text_write, &t, &o), YOUTH_EMISUSE);
	assert_err_field("actor");
	youth_registry_close(reg);

	/* a read-only handle cannot write the entry: refused, with nothing written out */
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_READONLY));
	assert_rc(youth_export_write(NULL, reg, th_text_write, &t, &o), YOUTH_EREADONLY);
	assert_err_field("flags");
	assert_msg_has("read-only handle cannot write");
	assert_int_equal(t.len, len);
	o.flags = 0; /* a default export reads only */
	o.purpose = "national_sharing";
	youth_interchange_summary s;
	assert_ok(youth_export_write(&s, reg, th_text_write, &t, &o));
	assert_int_equal(s.excluded_persons, 1);
	youth_registry_close(reg);
	free(t.data);
	th_rmtree(dir);
	free(dir);
	free(path);
	free(key);
}

/* ---- reports: aggregates only ---------------------------------------------------------------- */

static char *report_text(youth_registry *reg, youth_report_format format)
{
	youth_report_options o;
	youth_report_options_init(&o);
	o.by = "community,sex,age_band";
	o.k = 1; /* the most revealing report there is: no cell suppressed */
	o.flags = YOUTH_REPORT_INTERNAL;
	o.at = "2009-12-31";
	youth_report *r = NULL;
	assert_ok(youth_report_new(&r, reg, &o));
	th_text t = {0};
	assert_ok(youth_report_write(th_text_write, &t, r, format, 0));
	youth_report_free(r);
	return t.data;
}

/* Persons without consent are counted like every other (indicators must be complete), and no
 * report path hands out a record of them: every format holds counts by category, never a
 * name, a UUID or a national ID. */
static void test_reports_are_aggregates_only(void **state)
{
	fx *f = *state;
	youth_person *b = NULL;
	assert_ok(youth_person_get(&b, f->reg, f->b));
	char *before = report_text(f->reg, YOUTH_REPORT_CSV);
	assert_ok(give(f->reg, f->a, "census", "2009-04-01"));
	assert_ok(withdraw(f->reg, f->a, "census", "2009-05-01"));
	char *after = report_text(f->reg, YOUTH_REPORT_CSV);
	assert_string_equal(before, after); /* consent changes no count */
	static const youth_report_format formats[] = {YOUTH_REPORT_CSV, YOUTH_REPORT_JSON,
	                                              YOUTH_REPORT_YAML, YOUTH_REPORT_HTML};
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		char *text = report_text(f->reg, formats[i]);
		assert_false(th_contains(text, "Berta"));
		assert_false(th_contains(text, "Hernández"));
		assert_false(th_contains(text, b->uuid));
		free(text);
	}
	youth_person_free(b);
	free(before);
	free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_give_withdraw_give_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recorded_by_defaults_to_the_actor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_refused_unchanged, setup, teardown),
		cmocka_unit_test(test_history_cannot_be_rewritten),
		cmocka_unit_test_setup_teardown(test_purposes_from_a_rules_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_flag_is_the_census_purpose, setup, teardown),
		cmocka_unit_test(test_migration_10_turns_flags_into_rows),
		cmocka_unit_test_setup_teardown(test_export_for_a_purpose, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pseudonymised_export_for_a_purpose, setup, teardown),
		cmocka_unit_test(test_identifying_export_is_audited),
		cmocka_unit_test_setup_teardown(test_reports_are_aggregates_only, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
