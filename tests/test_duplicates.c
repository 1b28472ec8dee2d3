/*
 * Duplicates: each kind of variation a census table produces is found, near-misses are not,
 * a review decision sticks, and a merge moves everything and can be undone exactly.
 */
#include "private.h"
#include "helpers.h"
#include "youth/duplicates.h"
#include "../examples/sample/services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EL_SAUCE "sonsonate/sonsonate-centro/sonzacate/el-sauce"
#define ZEDAN "sonsonate/sonsonate-centro/sonzacate/zedan"
#define METALIO "sonsonate/sonsonate-oeste/acajutla/metalio"

typedef struct who {
	const char *given, *s1, *s2, *birth, *place;
	int sex;
} who;

static int64_t add(youth_registry *reg, const who *w)
{
	youth_person p;
	th_person_valid(&p);
	p.given_names = w->given;
	p.first_surname = w->s1;
	p.second_surname = w->s2;
	p.birth_date = w->birth;
	p.place = w->place ? w->place : EL_SAUCE;
	p.sex = w->sex ? w->sex : YOUTH_SEX_MALE;
	p.phone = NULL;
	p.address = NULL;
	assert_ok(youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT));
	return p.id;
}

/* Persons that are nobody's duplicate: other names, other dates. */
static void add_noise(youth_registry *reg)
{
	static const who noise[] = {
		{"María José", "López", "Díaz", "1991-02-03", NULL, YOUTH_SEX_FEMALE},
		{"Carlos Ernesto", "Martínez", "Ramos", "1993-07-21", ZEDAN, 0},
		{"Ana Gabriela", "Hernández", "Cruz", "1992-05-14", NULL, YOUTH_SEX_FEMALE},
		{"Luis Alonso", "Pérez", "Hernández", "1990-11-30", METALIO, 0},
		{"Rosa Elena", "Mejía", NULL, "1994-01-09", NULL, YOUTH_SEX_FEMALE},
	};
	for (size_t i = 0; i < sizeof noise / sizeof noise[0]; i++)
		add(reg, &noise[i]);
}

static const who base = {"José Antonio", "Hernández", "Pérez", "1992-05-14", EL_SAUCE, 0};

/* The pairs stored, as "a-b:score:reasons" lines. */
static char *pairs_text(youth_registry *reg)
{
	youth_duplicate_iter *it;
	const youth_duplicate *d;
	assert_ok(youth_duplicate_iter_new(&it, reg, 0, 0));
	youth__buf b = {0};
	int rc;
	while ((rc = youth_duplicate_next(&d, it)) == YOUTH_OK)
		assert_ok(youth__buf_printf(&b, "%lld-%lld:%d:%s:%s\n", (long long)d->person_id,
		                            (long long)d->other_id, d->score, d->reasons,
		                            youth_duplicate_state_name(d->state)));
	assert_int_equal(rc, YOUTH_ITEROVER);
	youth_duplicate_iter_free(it);
	assert_ok(youth__buf_put(&b, "", 1));
	return b.data;
}

/* Each variation alone: the base and its variant are the one pair found, with the reason. */
static void test_each_variation_found(void **state)
{
	(void)state;
	static const struct {
		who w;
		const char *reason;
	} cases[] = {
		{{"Jose Antonio", "Hernandez", "Perez", "1992-05-14", EL_SAUCE, 0}, "same_name"},
		{{"José Antonio", "Pérez", "Hernández", "1992-05-14", EL_SAUCE, 0}, "swapped_surnames"},
		{{"José Antonio", "Hernández", NULL, "1992-05-14", EL_SAUCE, 0}, "missing_second_surname"},
		{{"Chepe Antonio", "Hernández", "Pérez", "1992-05-14", EL_SAUCE, 0}, "nickname"},
		{{"José Antonio", "Hernádez", "Pérez", "1992-05-14", EL_SAUCE, 0}, "one_typo"},
		{{"José Antonio", "Hernández", "Pérez", "1992-14-05" + 0, EL_SAUCE, 0}, NULL},
		{{"José Antonio", "Hernández", "Pérez", "1992-05-14", METALIO, 0}, "same_birth_date"},
		{{"José Antonio", "Hernández", "Pérez", "1993-05-14", EL_SAUCE, 0},
		 "birth_date_one_field_off"},
		{{"José", "Hernández", "Pérez", "1992-05-14", ZEDAN, 0}, "missing_given_name"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (!cases[i].reason)
			continue; /* 1992-14-05 is no date; the swap has its own test */
		youth_registry *reg = th_open_memory_gazetteer();
		add_noise(reg);
		int64_t a = add(reg, &base), b = add(reg, &cases[i].w);
		youth_duplicates_summary sum;
		assert_ok(youth_duplicates_find(&sum, reg, NULL));
		char *text = pairs_text(reg);
		char want[64];
		snprintf(want, sizeof want, "%lld-%lld:", (long long)a, (long long)b);
		if (sum.found != 1 || !th_contains(text, want) || !th_contains(text, cases[i].reason))
			fail_msg("case %zu (%s %s %s %s): want one pair %s with %s, got %lld:\n%s", i,
			         cases[i].w.given, cases[i].w.s1, cases[i].w.s2 ? cases[i].w.s2 : "-",
			         cases[i].w.birth, want, cases[i].reason, (long long)sum.found, text);
		assert_int_equal(sum.added, 1);
		free(text);
		youth_registry_close(reg);
	}
}

static void test_day_month_swap_found(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	add_noise(reg);
	who swapped = base;
	swapped.birth = "1992-05-04";
	who orig = base;
	orig.birth = "1992-04-05";
	int64_t a = add(reg, &orig), b = add(reg, &swapped);
	youth_duplicates_summary sum;
	assert_ok(youth_duplicates_find(&sum, reg, NULL));
	assert_int_equal(sum.found, 1);
	char *text = pairs_text(reg), want[64];
	snprintf(want, sizeof want, "%lld-%lld:", (long long)a, (long long)b);
	assert_true(th_contains(text, want));
	assert_true(th_contains(text, "birth_day_month_swapped"));
	free(text);
	youth_registry_close(reg);
}

/* Twins (same surnames and birth date, other given names) and cousins (same given name and
 * surnames a generation apart... here: another second surname and birth year) are not
 * candidates. */
static void test_near_misses_not_candidates(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	add(reg, &base);
	who twin = base;
	twin.given = "Luis Alberto";
	add(reg, &twin);
	who sister = base;
	sister.given = "María José";
	sister.sex = YOUTH_SEX_FEMALE;
	add(reg, &sister);
	who cousin = base;
	cousin.s2 = "Ramírez";
	cousin.birth = "1994-09-02";
	add(reg, &cousin);
	youth_duplicates_summary sum;
	assert_ok(youth_duplicates_find(&sum, reg, NULL));
	char *text = pairs_text(reg);
	if (sum.found)
		fail_msg("near misses became candidates:\n%s", text);
	free(text);
	youth_registry_close(reg);
}

/* A dismissed pair is not proposed again, until one of the two records changes. */
static void test_dismissed_stays_dismissed(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	assert_ok(youth_registry_set_actor(reg, "desk@sonzacate"));
	int64_t a = add(reg, &base);
	who v = base;
	v.s2 = NULL;
	add(reg, &v);
	youth_duplicates_summary sum;
	assert_ok(youth_duplicates_find(&sum, reg, NULL));
	assert_int_equal(sum.added, 1);
	youth_duplicate_iter *it;
	const youth_duplicate *d;
	assert_ok(youth_duplicate_iter_new(&it, reg, YOUTH_DUPLICATE_OPEN, a));
	assert_ok(youth_duplicate_next(&d, it));
	int64_t pair = d->id;
	youth_duplicate_iter_free(it);
	assert_ok(youth_duplicate_dismiss(reg, pair, "brothers, checked with the family"));
	youth_duplicate *got;
	assert_ok(youth_duplicate_get(&got, reg, pair));
	assert_int_equal(got->state, YOUTH_DUPLICATE_DISMISSED);
	assert_string_equal(got->decided_by, "desk@sonzacate");
	assert_string_equal(got->note, "brothers, checked with the family");
	youth_duplicate_free(got);
	/* again: nothing new */
	assert_ok(youth_duplicates_find(&sum, reg, NULL));
	assert_int_equal(sum.added, 0);
	assert_int_equal(sum.reopened, 0);
	assert_int_equal(sum.kept, 1);
	/* a dismissed pair cannot be dismissed twice; confirming is allowed */
	assert_rc(youth_duplicate_dismiss(reg, pair, NULL), YOUTH_ESTATE);
	assert_msg_has("cannot go from dismissed to dismissed");
	/* one record changes: proposed again */
	youth_person *p;
	assert_ok(youth_person_get(&p, reg, a));
	youth_person q = *p;
	q.phone = "7555-1234";
	assert_ok(youth_person_update(reg, &q, YOUTH_PERSON_DEFAULT));
	youth_person_free(p);
	assert_ok(youth_duplicates_find(&sum, reg, NULL));
	assert_int_equal(sum.reopened, 1);
	assert_ok(youth_duplicate_get(&got, reg, pair));
	assert_int_equal(got->state, YOUTH_DUPLICATE_OPEN);
	assert_null(got->decided_by);
	youth_duplicate_free(got);
	/* unknown pair, bad state filter */
	assert_rc(youth_duplicate_confirm(reg, 999, NULL), YOUTH_ENOTFOUND);
	assert_msg_has("999");
	assert_rc(youth_duplicate_iter_new(&it, reg, 9, 0), YOUTH_EINVAL);
	assert_null(it);
	youth_registry_close(reg);
}

/* The same registry gives the same pairs in the same order, whatever the insertion order of
 * the pairs' keys. */
static void test_deterministic(void **state)
{
	(void)state;
	char *first = NULL;
	for (int round = 0; round < 2; round++) {
		youth_registry *reg = th_open_memory_gazetteer();
		add_noise(reg);
		add(reg, &base);
		who v1 = base, v2 = base, v3 = base;
		v1.s2 = NULL;
		v2.given = "Chepe";
		v3.place = METALIO;
		add(reg, &v1);
		add(reg, &v2);
		add(reg, &v3);
		youth_duplicates_summary sum;
		assert_ok(youth_duplicates_find(&sum, reg, NULL));
		assert_true(sum.found >= 3);
		char *text = pairs_text(reg);
		if (!first)
			first = text;
		else {
			assert_string_equal(first, text);
			free(text);
		}
		youth_registry_close(reg);
	}
	free(first);
}

/* Scope: an import's persons (ids from N on) against the rest; a census round. */
static void test_scopes(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	int64_t a = add(reg, &base);
	who v = base;
	v.s2 = NULL;
	add(reg, &v); /* a pair among the old persons */
	who w = base;
	w.place = METALIO;
	int64_t c = add(reg, &w);
	youth_duplicates_options opt = {.from_person_id = c, .dry_run = 1};
	youth_duplicates_summary sum;
	assert_ok(youth_duplicates_find(&sum, reg, &opt));
	assert_int_equal(sum.found, 2); /* c with a, c with b; not a with b */
	assert_int_equal(sum.added, 0); /* dry run */
	char *text = pairs_text(reg);
	assert_string_equal(text, "");
	free(text);
	opt = (youth_duplicates_options){.census_round = "census-2010"};
	assert_ok(youth_duplicates_find(&sum, reg, &opt));
	assert_int_equal(sum.found, 0);
	opt.census_round = "";
	assert_rc(youth_duplicates_find(&sum, reg, &opt), YOUTH_EINVAL);
	opt = (youth_duplicates_options){.from_person_id = -1};
	assert_rc(youth_duplicates_find(&sum, reg, &opt), YOUTH_EINVAL);
	(void)a;
	youth_registry_close(reg);
}

/* "Who might this be?" before registering. */
static void test_desk_check(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	add_noise(reg);
	int64_t a = add(reg, &base);
	youth_person p;
	th_person_valid(&p);
	p.given_names = "Chepe Antonio";
	p.second_surname = NULL;
	p.place = METALIO;
	p.phone = NULL;
	youth_duplicate_list *l;
	assert_ok(youth_person_similar(&l, reg, &p, 10));
	assert_int_equal(youth_duplicate_list_count(l), 1);
	const youth_duplicate *d = youth_duplicate_list_get(l, 0);
	assert_int_equal(d->other_id, a);
	assert_true(th_contains(d->reasons, "nickname"));
	assert_null(youth_duplicate_list_get(l, 1));
	youth_duplicate_list_free(l);
	/* year off: found through the name index, not the birth date */
	p.given_names = "José Antonio";
	p.second_surname = "Pérez";
	p.birth_date = "1991-05-14";
	p.place = EL_SAUCE;
	assert_ok(youth_person_similar(&l, reg, &p, 10));
	assert_int_equal(youth_duplicate_list_count(l), 1);
	youth_duplicate_list_free(l);
	/* nobody */
	p.given_names = "Wilfredo";
	p.first_surname = "Zelaya";
	assert_ok(youth_person_similar(&l, reg, &p, 10));
	assert_int_equal(youth_duplicate_list_count(l), 0);
	youth_duplicate_list_free(l);
	assert_rc(youth_person_similar(&l, reg, &p, 0), YOUTH_EINVAL);
	p.birth_date = "1992-02-30";
	assert_rc(youth_person_similar(&l, reg, &p, 5), YOUTH_EINVAL);
	assert_err_field("birth_date");
	youth_registry_close(reg);
}

static int64_t count(youth_registry *reg, const char *sql, int64_t id)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static const char OWNED_ROWS[] =
	"SELECT (SELECT count(*) FROM eligibility_override WHERE person_id = ?1) + "
	"(SELECT count(*) FROM enrollment WHERE person_id = ?1) + "
	"(SELECT count(*) FROM followup WHERE person_id = ?1) + "
	"(SELECT count(*) FROM counselling_participant WHERE person_id = ?1) + "
	"(SELECT count(*) FROM scholarship WHERE person_id = ?1) + "
	"(SELECT count(*) FROM enterprise_member WHERE person_id = ?1) + "
	"(SELECT count(*) FROM enterprise_plan WHERE person_id = ?1)";

static char *export_text(youth_registry *reg)
{
	th_text out = {0};
	assert_ok(youth_export_write(NULL, reg, th_text_write, &out, NULL));
	return out.data;
}

/* Merge two persons of the sample programme with services, then unmerge: every row moved and
 * back, the alias, the journal, and the export byte for byte as before. */
static void test_merge_and_unmerge(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	assert_ok(youth_registry_set_actor(reg, "desk@sonzacate"));
	assert_ok(youth_census_load(NULL, reg, YOUTH_EXAMPLE_DATA "/census.yaml", 0));
	assert_ok(sample_services(reg, YOUTH_EXAMPLE_DATA "/rules.yaml", NULL));
	char *before = export_text(reg);
	/* two persons with services that can be merged (not in one cohort, session or group) */
	int64_t keep = 0, other = 0, mid = 0, rows_k = 0, rows_o = 0;
	for (int64_t i = 1; i < 600 && !mid; i++) {
		rows_k = count(reg, OWNED_ROWS, i);
		if (rows_k < 2)
			continue;
		for (int64_t j = i + 1; j < 600 && !mid; j++) {
			rows_o = count(reg, OWNED_ROWS, j);
			if (rows_o < 2)
				continue;
			int rc = youth_person_merge(&mid, reg, i, j, "given_names");
			if (rc == YOUTH_OK)
				keep = i, other = j;
			else
				assert_int_equal(rc, YOUTH_ERULE); /* a shared cohort, session or group */
		}
	}
	assert_true(mid > 0);
	assert_int_equal(count(reg, OWNED_ROWS, keep), rows_k + rows_o);
	assert_int_equal(count(reg, OWNED_ROWS, other), 0);
	assert_int_equal(count(reg, "SELECT count(*) FROM person WHERE id = ?", other), 0);
	/* the journal: the given names taken from the merged one, the rest kept */
	assert_int_equal(count(reg, "SELECT count(*) FROM person_merge_field WHERE merge_id = ? AND "
	                            "field = 'given_names' AND taken = 'merged'", mid), 1);
	assert_int_equal(count(reg, "SELECT count(*) FROM person_merge_row WHERE merge_id = ?", mid),
	                 rows_o);
	/* the merged UUID answers for the kept person */
	char ouuid[YOUTH_UUID_LEN + 1];
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(reg->db, "SELECT merged_uuid FROM person_merge WHERE id = ?",
	                                    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, mid);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(ouuid, sizeof ouuid, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	youth_person *p;
	assert_ok(youth_person_get_by_uuid(&p, reg, ouuid));
	assert_int_equal(p->id, keep);
	youth_person_free(p);
	int64_t alias_merge, alias_person;
	assert_ok(youth_person_alias(&alias_merge, &alias_person, reg, ouuid));
	assert_int_equal(alias_merge, mid);
	assert_int_equal(alias_person, keep);
	/* merging the merged one again: it is no person any more */
	assert_rc(youth_person_merge(NULL, reg, keep, other, NULL), YOUTH_ENOTFOUND);
	char *merged = export_text(reg);
	assert_true(strcmp(before, merged) != 0);
	/* unmerge: everything back */
	assert_ok(youth_person_unmerge(reg, mid));
	assert_int_equal(count(reg, OWNED_ROWS, keep), rows_k);
	assert_int_equal(count(reg, OWNED_ROWS, other), rows_o);
	assert_rc(youth_person_alias(NULL, NULL, reg, ouuid), YOUTH_ENOTFOUND);
	char *after = export_text(reg);
	assert_string_equal(before, after);
	assert_rc(youth_person_unmerge(reg, mid), YOUTH_ESTATE);
	assert_msg_has("already undone");
	/* the name index is whole again: the merged person is found by name */
	youth_person *o;
	assert_ok(youth_person_get(&o, reg, other));
	char q[200];
	snprintf(q, sizeof q, "%s %s", o->given_names, o->first_surname);
	youth_person_matches *m;
	assert_ok(youth_person_find(&m, reg, q, 100));
	bool seen = false;
	for (size_t i = 0; i < youth_person_matches_count(m); i++)
		seen = seen || youth_person_matches_get(m, i)->id == other;
	assert_true(seen);
	youth_person_matches_free(m);
	youth_person_free(o);
	free(before);
	free(merged);
	free(after);
	youth_registry_close(reg);
}

/* An empty field of the kept person takes the merged one's value; a conflicting one stays
 * unless taken; both are journalled.  After a later change of a taken field, an unmerge is
 * refused rather than overwriting it. */
static void test_merge_fields(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	int64_t a = add(reg, &base);
	youth_person p;
	th_person_valid(&p);
	p.second_surname = NULL;
	p.phone = "7999-0000";
	p.address = "Colonia El Sauce, pasaje 2";
	p.household_size = 7;
	assert_ok(youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT));
	int64_t b = p.id;
	int64_t mid;
	assert_rc(youth_person_merge(&mid, reg, a, b, "height"), YOUTH_EINVAL);
	assert_msg_has("height");
	assert_rc(youth_person_merge(&mid, reg, a, b, "id"), YOUTH_EINVAL);
	assert_rc(youth_person_merge(&mid, reg, a, a, NULL), YOUTH_EINVAL);
	assert_rc(youth_person_merge(&mid, reg, a, 999, NULL), YOUTH_ENOTFOUND);
	assert_int_equal(mid, 0);
	assert_ok(youth_person_merge(&mid, reg, a, b, "household_size"));
	youth_person *got;
	assert_ok(youth_person_get(&got, reg, a));
	assert_string_equal(got->second_surname, "Pérez");       /* kept: b had none */
	assert_string_equal(got->phone, "7999-0000");             /* a had none: taken */
	assert_string_equal(got->address, "Colonia El Sauce, pasaje 2");
	assert_int_equal(got->household_size, 7);                 /* taken on request */
	youth_person q = *got;
	q.household_size = 4;
	assert_ok(youth_person_update(reg, &q, YOUTH_PERSON_DEFAULT));
	youth_person_free(got);
	assert_rc(youth_person_unmerge(reg, mid), YOUTH_ERULE);
	assert_msg_has("household_size");
	assert_err_field("household_size");
	assert_ok(youth_person_get(&got, reg, a));
	q = *got;
	q.household_size = 7;
	assert_ok(youth_person_update(reg, &q, YOUTH_PERSON_DEFAULT));
	youth_person_free(got);
	assert_ok(youth_person_unmerge(reg, mid));
	assert_ok(youth_person_get(&got, reg, a));
	assert_null(got->phone);
	assert_int_equal(got->household_size, 5);
	youth_person_free(got);
	assert_ok(youth_person_get(&got, reg, b));
	assert_string_equal(got->phone, "7999-0000");
	youth_person_free(got);
	youth_registry_close(reg);
}

/* The list of tables a merge moves is every table that refers to person, and person_merged
 * has person's columns: a new kind or column cannot be forgotten by the merge. */
static void test_merge_covers_the_schema(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(reg->db,
	                                    "SELECT m.name FROM sqlite_schema m, "
	                                    "pragma_foreign_key_list(m.name) f WHERE m.type = 'table' "
	                                    "AND f.\"table\" = 'person' AND f.\"from\" = 'person_id' "
	                                    "ORDER BY m.name", -1, &st, NULL), SQLITE_OK);
	size_t n;
	const char *const *owned = youth__merge_owned(&n);
	size_t seen = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		bool in = false;
		for (size_t i = 0; i < n; i++)
			in = in || strcmp(owned[i], t) == 0;
		if (!in)
			fail_msg("table %s refers to person but a merge does not move its rows", t);
		seen++;
	}
	sqlite3_finalize(st);
	assert_int_equal(seen, n);
	assert_int_equal(sqlite3_prepare_v2(reg->db,
	                                    "SELECT group_concat(name) FROM (SELECT name FROM "
	                                    "pragma_table_info('person') ORDER BY cid)", -1, &st, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char *person = youth__strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(reg->db,
	                                    "SELECT group_concat(name) FROM (SELECT name FROM "
	                                    "pragma_table_info('person_merged') ORDER BY cid)", -1, &st,
	                                    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	char want[4096];
	snprintf(want, sizeof want, "%s,merge_id", person);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), want);
	sqlite3_finalize(st);
	youth__free(person);
	youth_registry_close(reg);
}

/* Merges travel: another exchange's copy that has both persons merges them on import (and
 * then exports the same bytes); a copy that gets only the kept person learns the alias. */
static void test_merges_travel(void **state)
{
	(void)state;
	youth_registry *a = th_open_memory_gazetteer();
	assert_ok(youth_registry_set_actor(a, "desk@sonzacate"));
	add_noise(a);
	int64_t keep = add(a, &base);
	who v = base;
	v.s2 = NULL;
	v.place = METALIO;
	int64_t other = add(a, &v);
	youth_person *o;
	assert_ok(youth_person_get(&o, a, other));
	char ouuid[YOUTH_UUID_LEN + 1];
	snprintf(ouuid, sizeof ouuid, "%s", o->uuid);
	youth_person_free(o);
	/* b: a copy made before the merge */
	char *first = export_text(a);
	youth_registry *b = NULL;
	assert_ok(youth_registry_open(&b, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(th_import_text(b, first, 0, NULL));
	int64_t mid;
	assert_ok(youth_person_merge(&mid, a, keep, other, NULL));
	char *merged = export_text(a);
	assert_true(th_contains(merged, "merges:"));
	assert_true(th_contains(merged, ouuid));
	/* b converges */
	assert_ok(th_import_text(b, merged, YOUTH_IMPORT_UPSERT, NULL));
	char *b_out = export_text(b);
	assert_string_equal(merged, b_out);
	/* importing it again changes nothing */
	assert_ok(th_import_text(b, merged, YOUTH_IMPORT_UPSERT, NULL));
	char *b_again = export_text(b);
	assert_string_equal(merged, b_again);
	/* c: a new copy from the merged export: the merged UUID answers for the kept person */
	youth_registry *c = NULL;
	assert_ok(youth_registry_open(&c, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(th_import_text(c, merged, 0, NULL));
	youth_person *p;
	assert_ok(youth_person_get_by_uuid(&p, c, ouuid));
	assert_int_equal(p->id, keep);
	youth_person_free(p);
	/* ...and a later file that still has the merged person does not bring it back */
	assert_ok(th_import_text(c, first, YOUTH_IMPORT_UPSERT, NULL));
	assert_int_equal(th_count_persons(c), th_count_persons(a));
	/* the imported merge cannot be undone where it did not happen */
	youth_merge_iter *it;
	const youth_merge *m;
	assert_ok(youth_merge_iter_new(&it, c, 0));
	assert_ok(youth_merge_next(&m, it));
	int64_t cm = m->id;
	assert_string_equal(m->merged_uuid, ouuid);
	assert_string_equal(m->actor, "desk@sonzacate");
	youth_merge_iter_free(it);
	assert_rc(youth_person_unmerge(c, cm), YOUTH_ERULE);
	assert_msg_has("another registry");
	free(first);
	free(merged);
	free(b_out);
	free(b_again);
	youth_registry_close(a);
	youth_registry_close(b);
	youth_registry_close(c);
}

/* A merge in an audited registry: every row it wrote has its entry, the chain holds. */
static void test_merge_audited(void **state)
{
	(void)state;
	youth_registry *reg = th_open_memory_gazetteer();
	assert_ok(youth_registry_set_actor(reg, "desk@sonzacate"));
	assert_ok(youth_audit_enable(reg));
	int64_t a = add(reg, &base);
	who v = base;
	v.s2 = NULL;
	int64_t b = add(reg, &v);
	youth_duplicates_summary sum;
	assert_ok(youth_duplicates_find(&sum, reg, NULL));
	int64_t mid;
	assert_ok(youth_person_merge(&mid, reg, a, b, NULL));
	assert_ok(youth_person_unmerge(reg, mid));
	youth_audit_problem prob;
	assert_ok(youth_audit_verify(&prob, reg, NULL));
	assert_int_equal(prob.problems, 0);
	assert_int_equal(count(reg, "SELECT count(*) FROM audit_entry WHERE operation = "
	                            "'merge persons' AND kind = 'person' AND action = 'delete' AND "
	                            "record_id = ?", b), 1);
	youth_registry_close(reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_variation_found),
		cmocka_unit_test(test_day_month_swap_found),
		cmocka_unit_test(test_near_misses_not_candidates),
		cmocka_unit_test(test_dismissed_stays_dismissed),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_desk_check),
		cmocka_unit_test(test_merge_and_unmerge),
		cmocka_unit_test(test_merge_fields),
		cmocka_unit_test(test_merge_covers_the_schema),
		cmocka_unit_test(test_merge_audited),
		cmocka_unit_test(test_merges_travel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
