/*
 * Indicator reports (include/youth/report.h, docs/indicators.md): the programme's figures from
 * the sample registry, every dimension, margins that add up, disclosure control applied and
 * marked, user definitions good and bad, the writers, and the refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <youth.h>

#include "helpers.h"
#include "../examples/sample/services.h"

static youth_registry *sample;

static int group_setup(void **state)
{
	(void)state;
	if (youth_registry_open(&sample, ":memory:", YOUTH_OPEN_CREATE) ||
	    youth_gazetteer_load(NULL, sample, YOUTH_EXAMPLE_DATA "/gazetteer.yaml") ||
	    youth_census_load(NULL, sample, YOUTH_EXAMPLE_DATA "/census.yaml", 0) ||
	    sample_services(sample, YOUTH_EXAMPLE_DATA "/rules.yaml", NULL))
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	youth_registry_close(sample);
	return 0;
}

/* A report of @indicators by @by at 2009-04-30; internal (k = 0) when @k is 0. */
static youth_report *make(const char *indicators, const char *by, int64_t k)
{
	youth_report_options o;
	youth_report_options_init(&o);
	o.indicators = indicators;
	o.by = by;
	o.at = "2009-04-30";
	o.k = k;
	if (k == 0)
		o.flags |= YOUTH_REPORT_INTERNAL;
	youth_report *r = NULL;
	assert_ok(youth_report_new(&r, sample, &o));
	return r;
}

static size_t ind_index(const youth_report *r, const char *name)
{
	for (size_t i = 0; i < youth_report_indicator_count(r); i++)
		if (strcmp(youth_report_indicator(r, i)->name, name) == 0)
			return i;
	fail_msg("no indicator %s", name);
	return 0;
}

static const youth_report_cell *cell(const youth_report *r, size_t row, size_t i)
{
	const youth_report_cell *c = NULL;
	assert_ok(youth_report_cell_get(&c, r, row, i));
	return c;
}

static int64_t total(const youth_report *r, const char *name)
{
	const youth_report_cell *c = cell(r, youth_report_row_count(r) - 1, ind_index(r, name));
	assert_int_equal(c->flags, 0);
	return c->value;
}

/* The programme's figures come out of the engine's counting rules. */
static void test_sample_figures(void **state)
{
	(void)state;
	youth_report *r = make(NULL, NULL, 0);
	assert_int_equal(youth_report_row_count(r), 1);
	assert_int_equal(total(r, "census"), 600);
	assert_int_equal(total(r, "counselled"), 450);
	assert_int_equal(total(r, "courses_enrolled"), 400);
	assert_int_equal(total(r, "scholarships_awarded"), 25);
	assert_int_equal(total(r, "seed_capital_youths"), 100);
	assert_int_equal(total(r, "women_group_plans"), 15);
	/* The same figures as the services' own counting functions. */
	int64_t n;
	assert_ok(youth_counselling_count_persons(&n, sample, NULL, NULL));
	assert_int_equal(total(r, "counselled"), n);
	assert_ok(youth_plan_count_persons(&n, sample, YOUTH_WINDOW_YOUTH_SEED, 1));
	assert_int_equal(total(r, "seed_capital_youths"), n);
	assert_ok(youth_followup_count(&n, sample, 0, 6, NULL, NULL));
	assert_int_equal(total(r, "followed_6m"), n);
	assert_ok(youth_followup_count(&n, sample, YOUTH_FOLLOWUP_EMPLOYED_FORMAL, 6, NULL, NULL));
	assert_int_equal(total(r, "employed_formal_6m"), n);
	/* Derived indicators from their operands. */
	int64_t done = total(r, "courses_completed"), in = total(r, "courses_enrolled");
	const youth_report_cell *c = cell(r, 0, ind_index(r, "completion_rate"));
	assert_int_equal(c->value, done);
	assert_int_equal(c->denominator, in);
	assert_int_equal(total(r, "stipend_balance"), total(r, "stipend_owed") - total(r, "stipend_paid"));
	char buf[32];
	assert_ok(youth_report_cell_text(buf, sizeof buf, r, 0, ind_index(r, "completion_rate")));
	assert_string_equal(buf, "0.9100");
	/* No follow-up at 3 months: the rate is undefined, not 0. */
	assert_int_equal(cell(r, 0, ind_index(r, "employment_rate_3m"))->flags, YOUTH_CELL_UNDEFINED);
	assert_true(youth_report_internal(r));
	assert_int_equal(youth_report_k(r), 0);
	youth_report_free(r);

	/* The built-in list is published, and the report uses the same one. */
	size_t count = 0;
	for (const youth_indicator_info *i = youth_indicator_next(NULL); i; i = youth_indicator_next(i)) {
		assert_non_null(i->doc);
		assert_true(strlen(i->doc) > 10);
		count++;
	}
	assert_int_equal(count, youth_report_indicator_count(r = make(NULL, NULL, 0)));
	youth_report_free(r);
}

/* Each margin equals the sum of its categories, for every count and sum and every margin of
 * the lattice (rows decoded through the accessors). */
static void check_margins(const youth_report *r)
{
	size_t nd = youth_report_dimension_count(r), rows = youth_report_row_count(r);
	for (size_t i = 0; i < youth_report_indicator_count(r); i++) {
		int t = youth_report_indicator(r, i)->type;
		if (t == YOUTH_INDICATOR_RATIO)
			continue;
		for (size_t row = 0; row < rows; row++) {
			for (size_t d = 0; d < nd; d++) {
				size_t cat, n = youth_report_category_count(r, d);
				assert_ok(youth_report_row_category(&cat, r, row, d));
				if (cat != n)
					continue;
				const youth_report_cell *m = cell(r, row, i);
				if (m->flags)
					continue;
				/* The rows of the line: same coordinates, category 0..n-1 on d. */
				size_t stride = 1;
				for (size_t e = d + 1; e < nd; e++)
					stride *= youth_report_category_count(r, e) + 1;
				int64_t sum = 0;
				bool na = false;
				for (size_t k = 0; k < n; k++) {
					const youth_report_cell *x = cell(r, row - (n - k) * stride, i);
					na |= (x->flags & YOUTH_CELL_NOT_APPLICABLE) != 0;
					sum += x->value;
				}
				if (!na)
					assert_int_equal(sum, m->value);
			}
		}
	}
}

/* Every kind of dimension, alone: categories named, totals as without it, margins adding up. */
static void test_every_dimension(void **state)
{
	(void)state;
	static const char *const dims[] = {"department", "municipality", "district", "community",
	                                   "municipality (before 2024)", "sex", "age_band",
	                                   "exchange", "programme", "window", "course", "month",
	                                   "quarter", "year"};
	youth_report *all = make(NULL, NULL, 0);
	for (size_t k = 0; k < sizeof dims / sizeof dims[0]; k++) {
		youth_report *r = make(NULL, dims[k], 0);
		assert_int_equal(youth_report_dimension_count(r), 1);
		assert_true(youth_report_category_count(r, 0) > 0);
		assert_int_equal(youth_report_row_count(r), youth_report_category_count(r, 0) + 1);
		const char *label, *key;
		assert_ok(youth_report_category(&label, &key, r, 0, youth_report_category_count(r, 0)));
		assert_string_equal(label, "Total");
		assert_string_equal(key, "total");
		/* The grand total does not depend on the breakdown. */
		size_t last = youth_report_row_count(r) - 1;
		for (size_t i = 0; i < youth_report_indicator_count(r); i++) {
			const youth_report_cell *a = cell(r, last, i), *b = cell(all, 0, i);
			assert_int_equal(a->flags, b->flags);
			assert_int_equal(a->value, b->value);
		}
		check_margins(r);
		youth_report_free(r);
	}
	youth_report_free(all);

	/* The second label of a level is the heading; the categories are the level's places. */
	youth_report *r = make("census", "municipality (before 2024)", 0);
	assert_string_equal(youth_report_dimension_name(r, 0), "district");
	assert_string_equal(youth_report_dimension_label(r, 0), "municipality (before 2024)");
	assert_int_equal(youth_report_category_count(r, 0), TH_GAZ_DISTRICTS);
	const char *label, *key;
	size_t sonsonate = 99;
	for (size_t c = 0; c < youth_report_category_count(r, 0); c++) {
		assert_ok(youth_report_category(&label, &key, r, 0, c));
		if (strcmp(key, "sonsonate/sonsonate-centro/sonsonate") == 0)
			sonsonate = c;
	}
	assert_int_not_equal(sonsonate, 99);
	assert_int_equal(cell(r, sonsonate, 0)->value, 360);
	youth_report_free(r);

	/* Programme and window put each service where it belongs. */
	r = make("counselled,seed_capital_youths,women_reached,census", "programme", 0);
	for (size_t c = 0; c < youth_report_category_count(r, 0); c++) {
		assert_ok(youth_report_category(&label, NULL, r, 0, c));
		int64_t want = strcmp(label, "counselling") == 0 ? 450 : 0;
		assert_int_equal(cell(r, c, 0)->value, want);
		want = strcmp(label, "seed_capital") == 0 ? 100 : 0;
		assert_int_equal(cell(r, c, 1)->value, want);
		want = strcmp(label, "female_window") == 0 ? 75 : 0;
		assert_int_equal(cell(r, c, 2)->value, want);
		/* The census belongs to no programme: only its total has a value. */
		assert_int_equal(cell(r, c, 3)->flags, YOUTH_CELL_NOT_APPLICABLE);
	}
	youth_report_free(r);
}

/* Combinations: three and four dimensions, all margins of the lattice. */
static void test_combinations(void **state)
{
	(void)state;
	youth_report *r = make(NULL, "municipality,sex,age_band", 0);
	assert_int_equal(youth_report_row_count(r), (TH_GAZ_MUNICIPALITIES + 1) * 3 * 5);
	check_margins(r);
	youth_report_free(r);
	r = make("counselled,courses_completed,stipend_paid,plans_funded", "exchange,quarter,sex", 0);
	check_margins(r);
	youth_report_free(r);
	r = make("census,counselled", "district,sex,age_band,year", 0);
	check_margins(r);
	youth_report_free(r);
}

/* Disclosure control: small counts suppressed and marked, never shown as 0; complements so
 * that no line of the table has a single suppressed cell; sums and ratios follow. */
static void test_suppression(void **state)
{
	(void)state;
	const char *ind = "census,counselled,courses_completed,completion_rate,stipend_paid,"
	                  "scholarships_awarded";
	youth_report *in = make(ind, "district,sex,age_band", 0);
	youth_report *r = make(ind, "district,sex,age_band", YOUTH_REPORT_DEFAULT_K);
	assert_false(youth_report_internal(r));
	assert_int_equal(youth_report_k(r), 5);
	size_t rows = youth_report_row_count(r), primary = 0, complement = 0, derived = 0;
	for (size_t row = 0; row < rows; row++)
		for (size_t i = 0; i < youth_report_indicator_count(r); i++) {
			const youth_report_cell *c = cell(r, row, i), *t = cell(in, row, i);
			int type = youth_report_indicator(r, i)->type;
			if (c->flags & YOUTH_CELL_SUPPRESSED) {
				assert_int_equal(c->value, 0);
				char buf[32];
				assert_ok(youth_report_cell_text(buf, sizeof buf, r, row, i));
				assert_string_equal(buf, "");
			}
			if (type == YOUTH_INDICATOR_PERSONS || type == YOUTH_INDICATOR_RECORDS) {
				bool small = t->value > 0 && t->value < 5;
				assert_int_equal(small, (c->flags & YOUTH_CELL_PRIMARY) != 0);
				if (!c->flags)
					assert_int_equal(c->value, t->value);
				primary += small;
				complement += (c->flags & YOUTH_CELL_COMPLEMENT) != 0;
			} else if (c->flags & YOUTH_CELL_SUPPRESSED) {
				assert_int_equal(c->flags, YOUTH_CELL_DERIVED);
				derived++;
			}
		}
	assert_true(primary > 0);
	assert_true(complement > 0);
	assert_true(derived > 0);
	/* No line (all categories of one dimension and its margin, the others fixed) holds
	 * exactly one suppressed cell: it could be read off as margin minus the others. */
	size_t nd = youth_report_dimension_count(r);
	for (size_t i = 0; i < youth_report_indicator_count(r); i++) {
		if (youth_report_indicator(r, i)->type != YOUTH_INDICATOR_PERSONS)
			continue;
		for (size_t row = 0; row < rows; row++)
			for (size_t d = 0; d < nd; d++) {
				size_t cat, n = youth_report_category_count(r, d), stride = 1;
				assert_ok(youth_report_row_category(&cat, r, row, d));
				if (cat != n)
					continue;
				for (size_t e = d + 1; e < nd; e++)
					stride *= youth_report_category_count(r, e) + 1;
				int hidden = 0;
				for (size_t k = 0; k <= n; k++)
					hidden += (cell(r, row - (n - k) * stride, i)->flags & YOUTH_CELL_SUPPRESSED) != 0;
				assert_true(hidden != 1);
			}
	}
	youth_report_free(in);
	youth_report_free(r);
}

/* A sum is suppressed where the persons behind it are few, however many records they have. */
static void test_sum_rests_on_persons(void **state)
{
	(void)state;
	static const char defs[] = "format: libyouth/1\nindicators:\n"
	                           "  - name: paid_persons\n    count: persons\n"
	                           "    of: scholarship_payment\n";
	youth_report_options o;
	youth_report_options_init(&o);
	o.definitions = defs;
	o.definitions_size = strlen(defs);
	o.indicators = "paid_persons,stipend_paid";
	o.by = "district,sex";
	youth_report *r = NULL, *in = NULL;
	assert_ok(youth_report_new(&r, sample, &o));
	o.k = 0;
	o.flags = YOUTH_REPORT_INTERNAL;
	assert_ok(youth_report_new(&in, sample, &o));
	size_t shown = 0;
	for (size_t row = 0; row < youth_report_row_count(r); row++) {
		const youth_report_cell *sum = cell(r, row, 1), *persons = cell(in, row, 0);
		if (persons->value > 0 && persons->value < 5)
			assert_int_equal(sum->flags, YOUTH_CELL_DERIVED);
		assert_int_equal(sum->flags != 0, cell(r, row, 0)->flags != 0);
		shown += !sum->flags && sum->value > 0;
	}
	assert_true(shown > 0);
	youth_report_free(r);
	youth_report_free(in);
}

/* k = 0 (or 1) only for internal use, and the output then says so on its first line. */
static void test_internal(void **state)
{
	(void)state;
	youth_report_options o;
	youth_report_options_init(&o);
	youth_report *r = NULL;
	for (int64_t k = 0; k < 2; k++) {
		o.k = k;
		assert_rc(youth_report_new(&r, sample, &o), YOUTH_EINVAL);
		assert_null(r);
		assert_msg_has("internal");
		assert_err_field("k");
	}
	o.k = -1;
	assert_rc(youth_report_new(&r, sample, &o), YOUTH_EINVAL);
	assert_msg_has("negative");
	o.k = 0;
	o.flags = YOUTH_REPORT_INTERNAL;
	o.indicators = "census";
	assert_ok(youth_report_new(&r, sample, &o));
	char *dir = th_tmpdir(), *path = th_path(dir, "out");
	static const youth_report_format formats[] = {YOUTH_REPORT_CSV, YOUTH_REPORT_JSON,
	                                               YOUTH_REPORT_YAML};
	for (size_t f = 0; f < 3; f++) {
		assert_ok(youth_report_write_file(path, r, formats[f], 0));
		size_t size;
		char *text = (char *)th_read_file(path, &size);
		char *nl = strchr(text, '\n');
		assert_non_null(nl);
		*nl = 0;
		assert_true(th_contains(text, "internal"));
		free(text);
	}
	youth_report_free(r);
	/* A published report does not say it. */
	r = make("census", NULL, 5);
	assert_ok(youth_report_write_file(path, r, YOUTH_REPORT_CSV, 0));
	size_t size;
	char *text = (char *)th_read_file(path, &size);
	assert_false(th_contains(text, "internal"));
	free(text);
	youth_report_free(r);
	th_rmtree(dir);
	free(path);
	free(dir);
}

static youth_report *make_defs(const char *yaml, const char *indicators, const char *by)
{
	youth_report_options o;
	youth_report_options_init(&o);
	o.definitions = yaml;
	o.definitions_size = strlen(yaml);
	o.indicators = indicators;
	o.by = by;
	o.k = 0;
	o.flags = YOUTH_REPORT_INTERNAL;
	youth_report *r = NULL;
	assert_ok(youth_report_new(&r, sample, &o));
	return r;
}

static const char good_defs[] =
	"format: libyouth/1\n"
	"indicators:\n"
	"  - name: finished\n"
	"    label: Finished a course\n"
	"    count: persons\n"
	"    of: enrollment\n"
	"    where: {state: completed}\n"
	"    date: state_date\n"
	"  - name: finished_welding\n"
	"    count: persons\n"
	"    of: enrollment\n"
	"    where: {state: [completed], cohort.course_id: 3, attendance: {min: 80, max: 100}}\n"
	"  - name: enrollments\n"
	"    count: records\n"
	"    of: enrollment\n"
	"  - name: dropouts\n"
	"    count: persons\n"
	"    of: enrollment\n"
	"    where:\n"
	"      - {state: dropped}\n"
	"      - {state: not_eligible}\n"
	"  - name: certified_2009\n"
	"    count: persons\n"
	"    of: enrollment\n"
	"    where: {certificate_date: {from: 2009-01-01, to: 2009-12-31}}\n"
	"  - name: uncertified\n"
	"    count: records\n"
	"    of: enrollment\n"
	"    where: {certificate_date: {set: false}}\n"
	"  - name: transfers\n"
	"    sum: amount\n"
	"    of: scholarship_payment\n"
	"    where: {method: transfer, reference: [BEC-SON-10-1, BEC-SON-11-1]}\n"
	"  - name: paid\n"
	"    sum: amount\n"
	"    of: scholarship_payment\n"
	"  - name: paid_share\n"
	"    ratio: [paid, stipend_owed]\n"
	"  - name: unpaid\n"
	"    difference: [stipend_owed, paid]\n"
	"  - name: women_census\n"
	"    count: persons\n"
	"    of: person\n"
	"    where: {sex: female}\n";

static void test_user_definitions(void **state)
{
	(void)state;
	youth_report *r = make_defs(good_defs, NULL, NULL);
	assert_int_equal(youth_report_indicator_count(r), 11); /* the file's, not the built-ins */
	youth_report *b = make(NULL, NULL, 0);
	assert_int_equal(total(r, "finished"), total(b, "courses_completed"));
	assert_int_equal(total(r, "enrollments"), 400);
	assert_int_equal(total(r, "dropouts"), 400 - total(b, "courses_completed"));
	assert_int_equal(total(r, "certified_2009"), total(b, "courses_certified"));
	assert_int_equal(total(r, "uncertified"), 400 - total(b, "courses_certified"));
	assert_int_equal(total(r, "paid"), total(b, "stipend_paid"));
	assert_int_equal(total(r, "unpaid"), 0);
	assert_int_equal(total(r, "women_census"), 300);
	assert_true(total(r, "finished_welding") > 0);
	assert_true(total(r, "finished_welding") < total(r, "finished"));
	assert_true(total(r, "transfers") > 0);
	assert_int_equal(youth_report_indicator(r, 0)->type, YOUTH_INDICATOR_PERSONS);
	assert_string_equal(youth_report_indicator(r, 0)->label, "Finished a course");
	assert_string_equal(youth_report_indicator(r, 0)->programme, "vocational");
	assert_int_equal(youth_report_indicator(r, 6)->unit, YOUTH_UNIT_MONEY);
	assert_int_equal(youth_report_indicator(r, 9)->type, YOUTH_INDICATOR_DIFFERENCE);
	assert_int_equal(youth_report_indicator(r, 9)->unit, YOUTH_UNIT_MONEY);
	youth_report_free(r);
	/* Chosen by name, mixed with built-ins, in the order asked. */
	r = make_defs(good_defs, "census,finished,completion_rate", "sex");
	assert_string_equal(youth_report_indicator(r, 1)->name, "finished");
	check_margins(r);
	youth_report_free(r);
	youth_report_free(b);

	/* From a file, and checked without a registry. */
	char *dir = th_tmpdir(), *path = th_path(dir, "ind.yaml");
	th_write_file(path, good_defs, strlen(good_defs));
	size_t n;
	assert_ok(youth_indicators_check(&n, path));
	assert_int_equal(n, 11);
	youth_report_options o;
	youth_report_options_init(&o);
	o.definitions_path = path;
	o.indicators = "women_census";
	assert_ok(youth_report_new(&r, sample, &o));
	assert_int_equal(total(r, "women_census"), 300);
	youth_report_free(r);
	th_rmtree(dir);
	free(path);
	free(dir);
}

/* A bad definition is refused with its line, its column and the problem. */
static void test_bad_definitions(void **state)
{
	(void)state;
	static const struct {
		const char *yaml;
		int rc, line;
		const char *msg;
	} cases[] = {
		{"format: libyouth/1\nindicators:\n  - name: a\n    count: persons\n    of: nothing\n",
		 YOUTH_EINVAL, 5, "not a kind"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    count: persons\n    of: enrollment\n"
		 "    where: {colour: red}\n",
		 YOUTH_EINVAL, 6, "not a field of enrollment"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    count: persons\n    of: enrollment\n"
		 "    where: {state: finished}\n",
		 YOUTH_EINVAL, 6, "not one of applied, enrolled"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    count: people\n    of: enrollment\n",
		 YOUTH_EINVAL, 4, "persons or records"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    count: persons\n    of: enrollment\n"
		 "    where: {attendance: {min: lots}}\n",
		 YOUTH_EINVAL, 6, "not a whole number"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    count: persons\n    of: enrollment\n"
		 "    where: {state: {min: 1}}\n",
		 YOUTH_EINVAL, 6, "no order"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    of: enrollment\n",
		 YOUTH_EINVAL, 3, "exactly one of"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    ratio: [census, nothing]\n",
		 YOUTH_EINVAL, 3, "operand `nothing`"},
		{"format: libyouth/1\nindicators:\n  - name: census\n    count: persons\n    of: person\n",
		 YOUTH_EINVAL, 3, "built-in"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    count: persons\n    of: person\n"
		 "    colour: red\n",
		 YOUTH_EINVAL, 6, "unknown key"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    sum: state\n    of: enrollment\n",
		 YOUTH_EINVAL, 4, "not an amount"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    count: persons\n    of: enrollment\n"
		 "    where: {session.state: closed}\n",
		 YOUTH_EINVAL, 6, "no parent record"},
		{"format: libyouth/1\nindicators:\n  - name: Bad Name\n    count: persons\n    of: person\n",
		 YOUTH_EINVAL, 3, "lower-case"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    count: persons\n    of: person\n"
		 "    where: {place: Sonsonate}\n",
		 YOUTH_EINVAL, 6, "cannot be filtered"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    count: persons\n    of: person\n"
		 "    date: sex\n",
		 YOUTH_EINVAL, 6, "not a date"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    count: persons\n    of: person\n"
		 "    where: {sex: [female}\n",
		 YOUTH_EPARSE, 6, ""},
		{"format: libyouth/1\nindicators:\n  - &x {name: a, count: persons, of: person}\n  - *x\n",
		 YOUTH_EPARSE, 3, "anchors"},
		{"format: libyouth/1\npersons: []\n", YOUTH_EINVAL, 0, "no `indicators` list"},
		{"format: libyouth/2\nindicators: []\n", YOUTH_EPARSE, 1, "unsupported"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    count: records\n    of: plan_visit\n"
		 "    latest: true\n    where: {notes: good}\n",
		 YOUTH_EINVAL, 7, "cannot go with `latest`"},
		{"format: libyouth/1\nindicators:\n  - name: a\n    count: records\n    of: followup\n"
		 "    latest: true\n",
		 YOUTH_EINVAL, 6, "no parent record"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		youth_report_options o;
		youth_report_options_init(&o);
		o.definitions = cases[i].yaml;
		o.definitions_size = strlen(cases[i].yaml);
		youth_report *r = (youth_report *)&o; /* must come back NULL */
		print_message("case %zu\n", i);
		assert_rc(youth_report_new(&r, sample, &o), cases[i].rc);
		assert_null(r);
		assert_msg_has(cases[i].msg);
		if (cases[i].line)
			assert_msg_line(cases[i].line);
	}
	/* Bounded like the importer: a huge list of values is refused, not grown without end. */
	char *big = malloc(200000);
	size_t n = (size_t)snprintf(big, 200000, "format: libyouth/1\nindicators:\n  - name: a\n"
	                            "    count: records\n    of: enrollment\n    where: {attendance: [");
	for (int v = 0; v < 1000; v++)
		n += (size_t)snprintf(big + n, 200000 - n, "%s%d", v ? ", " : "", v % 100);
	n += (size_t)snprintf(big + n, 200000 - n, "]}\n");
	youth_report_options o;
	youth_report_options_init(&o);
	o.definitions = big;
	o.definitions_size = n;
	youth_report *r = NULL;
	assert_rc(youth_report_new(&r, sample, &o), YOUTH_ELIMIT);
	free(big);
	assert_rc(youth_indicators_check(NULL, YOUTH_TEST_DATA "/no-such-file.yaml"),
	          YOUTH_ENOTFOUND);
}

static int to_buf(void *ctx, const char *data, size_t size)
{
	char **s = ctx;
	size_t had = *s ? strlen(*s) : 0;
	char *n = realloc(*s, had + size + 1);
	memcpy(n + had, data, size);
	n[had + size] = 0;
	*s = n;
	return 0;
}

static int failing(void *ctx, const char *data, size_t size)
{
	(void)ctx, (void)data, (void)size;
	return -1;
}

/* The writers: CSV neutralised for spreadsheets, with the BOM on request; JSON that parses. */
static void test_writers(void **state)
{
	(void)state;
	/* A course whose title a spreadsheet would run as a formula. */
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, YOUTH_EXAMPLE_DATA "/gazetteer.yaml"));
	assert_ok(youth_census_load(NULL, reg, YOUTH_EXAMPLE_DATA "/census.yaml", 0));
	assert_ok(sample_services(reg, YOUTH_EXAMPLE_DATA "/rules.yaml", NULL));
	static const char *const titles[] = {"=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)",
	                                     "Plain, with \"quotes\""};
	for (int i = 0; i < 5; i++) {
		youth_course c;
		youth_course_init(&c);
		char code[8];
		snprintf(code, sizeof code, "ZZ%d", i);
		c.code = code;
		c.title = titles[i];
		c.provider = "Test";
		c.hours = 10;
		assert_ok(youth_course_add(reg, &c));
	}
	youth_report_options o;
	youth_report_options_init(&o);
	o.indicators = "courses_enrolled,stipend_balance,completion_rate";
	o.by = "course";
	o.at = "2009-12-31";
	youth_report *r = NULL;
	assert_ok(youth_report_new(&r, reg, &o));
	char *csv = NULL;
	assert_ok(youth_report_write(to_buf, &csv, r, YOUTH_REPORT_CSV, YOUTH_REPORT_BOM));
	assert_memory_equal(csv, "\xEF\xBB\xBF" "course,courses_enrolled,", 27);
	assert_non_null(strstr(csv, "\r\n\"'=HYPERLINK(\"\"http://x\"\")\","));
	assert_non_null(strstr(csv, "\r\n\"'+1\","));
	assert_non_null(strstr(csv, "\r\n\"'-1\","));
	assert_non_null(strstr(csv, "\r\n\"'@SUM(A1)\","));
	assert_non_null(strstr(csv, "\r\n\"Plain, with \"\"quotes\"\"\","));
	assert_non_null(strstr(csv, "\r\nTotal,400,"));
	free(csv);
	csv = NULL;
	assert_ok(youth_report_write(to_buf, &csv, r, YOUTH_REPORT_CSV, YOUTH_REPORT_SKIP_EMPTY));
	assert_null(strstr(csv, "HYPERLINK")); /* an empty course: left out */
	assert_true(csv[0] == 'c');            /* no BOM unless asked */
	free(csv);

	/* JSON and YAML: checked by Python's parsers when they are there. */
	char *dir = th_tmpdir(), *json = th_path(dir, "r.json"), *yaml = th_path(dir, "r.yaml");
	assert_ok(youth_report_write_file(json, r, YOUTH_REPORT_JSON, 0));
	assert_ok(youth_report_write_file(yaml, r, YOUTH_REPORT_YAML, 0));
	if (system("/usr/bin/python3 -c 'import json, yaml' 2>/dev/null") == 0) {
		char cmd[1024];
		snprintf(cmd, sizeof cmd,
		         "/usr/bin/python3 -c 'import json, yaml, sys\n"
		         "j = json.load(open(sys.argv[1])); y = yaml.safe_load(open(sys.argv[2]))\n"
		         "assert j == y, (j, y)\n"
		         "t = j[\"rows\"][-1]\n"
		         "assert t[\"course\"] == \"Total\" and t[\"values\"][\"courses_enrolled\"] == 400, t\n"
		         "assert \"=HYPERLINK(\\\"http://x\\\")\" in [c[\"label\"] for c in j[\"dimensions\"][0][\"categories\"]]\n"
		         "assert any(\"flags\" in row for row in j[\"rows\"])\n"
		         "' %s %s",
		         json, yaml);
		assert_int_equal(system(cmd), 0);
	}
	th_rmtree(dir);
	free(json);
	free(yaml);
	free(dir);

	/* A failing output is EIO; an unknown format or flag EINVAL. */
	assert_rc(youth_report_write(failing, NULL, r, YOUTH_REPORT_JSON, 0), YOUTH_EIO);
	assert_rc(youth_report_write(to_buf, &csv, r, (youth_report_format)42, 0), YOUTH_EINVAL);
	assert_msg_has("format 42");
	assert_rc(youth_report_write(to_buf, &csv, r, YOUTH_REPORT_CSV, 0x80), YOUTH_EINVAL);
	assert_rc(youth_report_write(NULL, NULL, r, YOUTH_REPORT_CSV, 0), YOUTH_EINVAL);
	assert_rc(youth_report_write_file(NULL, r, YOUTH_REPORT_CSV, 0), YOUTH_EINVAL);
	assert_rc(youth_report_write_file("/nonexistent/dir/x.csv", r, YOUTH_REPORT_CSV, 0),
	          YOUTH_EIO);
	youth_report_free(r);
	youth_registry_close(reg);
}

/* Filters and options: place, census round, age bands, dates, age at the service date. */
static void test_options(void **state)
{
	(void)state;
	youth_report_options o;
	youth_report_options_init(&o);
	o.k = 0;
	o.flags = YOUTH_REPORT_INTERNAL;
	o.indicators = "census,counselled";
	o.place = "district:Sonsonate";
	o.at = "2009-04-30";
	youth_report *r = NULL;
	assert_ok(youth_report_new(&r, sample, &o));
	assert_int_equal(total(r, "census"), 360);
	youth_report_free(r);
	o.place = "Sonsonate"; /* the department and a district: refused with both */
	assert_rc(youth_report_new(&r, sample, &o), YOUTH_EINVAL);
	assert_msg_has("department");
	o.place = NULL;
	o.census_round = "no-such-round";
	assert_ok(youth_report_new(&r, sample, &o));
	assert_int_equal(total(r, "census"), 0);
	youth_report_free(r);
	o.census_round = NULL;

	/* Bands of one's own; everyone else is "other". */
	o.by = "age_band";
	o.age_bands = "16-20, 21-24";
	assert_ok(youth_report_new(&r, sample, &o));
	assert_int_equal(youth_report_category_count(r, 0), 3);
	const char *label;
	assert_ok(youth_report_category(&label, NULL, r, 0, 2));
	assert_string_equal(label, "other");
	int64_t sum = cell(r, 0, 0)->value + cell(r, 1, 0)->value + cell(r, 2, 0)->value;
	assert_int_equal(sum, 600);
	assert_int_equal(cell(r, 2, 0)->value, 10); /* turned 25 before 2009-04-30 (docs/cli.md) */
	youth_report_free(r);
	/* Ages at each service's date: the counselled are all of an age the rules admit. */
	o.flags |= YOUTH_REPORT_AGE_AT_SERVICE;
	o.age_bands = "16-24";
	assert_ok(youth_report_new(&r, sample, &o));
	assert_int_equal(cell(r, 0, 1)->value, 450);
	assert_int_equal(cell(r, 1, 1)->value, 0);
	youth_report_free(r);
	o.flags = YOUTH_REPORT_INTERNAL;
	o.age_bands = NULL;

	/* A date range counts the records dated inside it; periods follow the range. */
	o.by = "month";
	o.from = "2009-05-01";
	o.to = "2009-05-31";
	o.indicators = "counselled";
	assert_ok(youth_report_new(&r, sample, &o));
	assert_int_equal(youth_report_category_count(r, 0), 1);
	int64_t may = total(r, "counselled");
	youth_counselling_count_persons(&sum, sample, "2009-05-01", "2009-05-31");
	assert_int_equal(may, sum);
	assert_true(may > 0 && may < 450);
	youth_report_free(r);
}

/* Refusals name what is wrong; the registry is only read. */
static void test_errors(void **state)
{
	(void)state;
	youth_report_options o;
	youth_report *r = NULL;
	int64_t before = youth_registry_total_changes(sample);
	assert_rc(youth_report_new(NULL, sample, NULL), YOUTH_EINVAL);
	assert_rc(youth_report_new(&r, NULL, NULL), YOUTH_EINVAL);
	assert_msg_has("NULL registry");
	static const struct {
		const char *indicators, *by, *from, *to, *at, *bands, *msg, *field;
	} cases[] = {
		{"census,nothing", NULL, NULL, NULL, NULL, NULL, "indicator \"nothing\"", "indicators"},
		{"census,census", NULL, NULL, NULL, NULL, NULL, "given twice", "indicators"},
		{NULL, "colour", NULL, NULL, NULL, NULL, "dimension \"colour\": unknown", "by"},
		{NULL, "sex,sex", NULL, NULL, NULL, NULL, "given twice", "by"},
		{NULL, "district,municipality (before 2024)", NULL, NULL, NULL, NULL, "given twice", "by"},
		{NULL, "sex,age_band,exchange,course,window,programme,year,quarter,month", NULL, NULL,
		 NULL, NULL, "more than 8", "by"},
		{NULL, NULL, "2009-02-30", NULL, NULL, NULL, "2009-02-30", "from"},
		{NULL, NULL, NULL, "yesterday", NULL, NULL, "yesterday", "to"},
		{NULL, NULL, "2010-01-01", "2009-01-01", NULL, NULL, "before from", "to"},
		{NULL, NULL, NULL, NULL, "2009-13-01", NULL, "2009-13-01", "at"},
		{NULL, NULL, NULL, NULL, NULL, "18-16", "age_bands", "age_bands"},
		{NULL, NULL, NULL, NULL, NULL, "16-20,18-24", "overlaps", "age_bands"},
		{NULL, NULL, NULL, NULL, NULL, "young", "age_bands", "age_bands"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		youth_report_options_init(&o);
		o.indicators = cases[i].indicators;
		o.by = cases[i].by;
		o.from = cases[i].from;
		o.to = cases[i].to;
		o.at = cases[i].at;
		o.age_bands = cases[i].bands;
		print_message("case %zu\n", i);
		assert_rc(youth_report_new(&r, sample, &o), YOUTH_EINVAL);
		assert_null(r);
		assert_msg_has(cases[i].msg);
		assert_err_field(cases[i].field);
	}
	youth_report_options_init(&o);
	o.version = 99;
	assert_rc(youth_report_new(&r, sample, &o), YOUTH_EINVAL);
	assert_msg_has("youth_report_options_init");
	youth_report_options_init(&o);
	o.flags = 0x100;
	assert_rc(youth_report_new(&r, sample, &o), YOUTH_EINVAL);
	assert_int_equal(youth_registry_total_changes(sample), before);

	/* Accessors refuse what is out of range, and take NULL quietly where they can. */
	r = make("census", "sex", 5);
	const youth_report_cell *c;
	size_t cat;
	const char *label;
	char buf[64];
	assert_rc(youth_report_cell_get(&c, r, 3, 0), YOUTH_EINVAL);
	assert_null(c);
	assert_rc(youth_report_cell_get(&c, r, 0, 1), YOUTH_EINVAL);
	assert_rc(youth_report_row_category(&cat, r, 0, 1), YOUTH_EINVAL);
	assert_rc(youth_report_category(&label, NULL, r, 0, 3), YOUTH_EINVAL);
	assert_rc(youth_report_cell_text(buf, 8, r, 0, 0), YOUTH_EINVAL);
	assert_null(youth_report_dimension_name(r, 1));
	assert_null(youth_report_indicator(r, 1));
	assert_int_equal(youth_report_row_count(NULL), 0);
	assert_null(youth_report_at(NULL));
	assert_string_equal(youth_report_at(r), "2009-04-30");
	youth_report_free(r);
	youth_report_free(NULL);
	assert_null(youth_indicator_next((const youth_indicator_info *)&o));
}

/* A registry without places or persons: every dimension is empty, every count 0. */
static void test_empty_registry(void **state)
{
	(void)state;
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	youth_report_options o;
	youth_report_options_init(&o);
	o.by = "community,sex,age_band,exchange,month";
	youth_report *r = NULL;
	assert_ok(youth_report_new(&r, reg, &o));
	assert_int_equal(youth_report_category_count(r, 0), 0);
	assert_int_equal(youth_report_category_count(r, 3), 0);
	assert_int_equal(youth_report_category_count(r, 4), 0);
	size_t last = youth_report_row_count(r) - 1;
	assert_int_equal(youth_report_row_count(r), 1 * 3 * 5 * 1 * 1);
	assert_int_equal(cell(r, last, ind_index(r, "census"))->value, 0);
	assert_int_equal(cell(r, last, ind_index(r, "completion_rate"))->flags, YOUTH_CELL_UNDEFINED);
	char *csv = NULL;
	assert_ok(youth_report_write(to_buf, &csv, r, YOUTH_REPORT_CSV, 0));
	assert_non_null(strstr(csv, "Total,Total,Total,Total,Total,0,"));
	free(csv);
	youth_report_free(r);
	youth_registry_close(reg);
}

/* A registry file in @dir with the gazetteer and one person, changed by @sql behind the
 * library's back, opened read-only. */
static youth_registry *one_person(const char *dir, const char *sql)
{
	char *path = th_path(dir, "r.registry");
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(NULL, reg, TH_GAZETTEER));
	youth_person p;
	th_person_valid(&p);
	assert_ok(youth_person_add(reg, &p, 0));
	youth_registry_close(reg);
	sqlite3 *db; /* through the page checksum VFS, so the pages stay sealed */
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, th_sealing_vfs()),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_READONLY));
	free(path);
	return reg;
}

/* Arrays are indexed by record keys: a crafted key far beyond the rows is refused, not
 * allocated for. */
static void test_key_limit(void **state)
{
	(void)state;
	char *dir = th_tmpdir();
	youth_registry *reg = one_person(dir, "UPDATE person SET id = 5000000000");
	youth_report_options o;
	youth_report_options_init(&o);
	youth_report *r = NULL;
	assert_rc(youth_report_new(&r, reg, &o), YOUTH_ELIMIT);
	assert_msg_has("5000000000");
	assert_null(r);
	youth_registry_close(reg);
	th_rmtree(dir);
	free(dir);
}

/* The places of three levels as one hierarchical dimension: every group before its parts and
 * the sum of them (for every sex, every indicator), the municipalities' figures those of the
 * flat report, the suppression that of the whole table at once. */
static void test_hierarchy(void **state)
{
	(void)state;
	const char *by = "municipality>district>community,sex";
	youth_report *in = make("census,counselled", by, 0);
	youth_report *r = make("census,counselled", by, YOUTH_REPORT_DEFAULT_K);
	youth_report *flat = make("census,counselled", "municipality,sex", 0);
	assert_int_equal(youth_report_dimension_count(r), 2);
	assert_string_equal(youth_report_dimension_name(r, 0), "municipality>district>community");
	size_t n = youth_report_category_count(r, 0), sexes = youth_report_category_count(r, 1) + 1;
	size_t levels[YOUTH_PLACE_COMMUNITY + 1] = {0};
	for (size_t cat = 0; cat < n; cat++) {
		size_t p = youth_report_category_parent(r, 0, cat);
		int level = youth_report_category_level(r, 0, cat);
		levels[level]++;
		if (p == n) {
			assert_int_equal(level, YOUTH_PLACE_MUNICIPALITY);
			continue;
		}
		assert_true(p < cat); /* a group before its parts */
		assert_int_equal(youth_report_category_level(r, 0, p) + 1, level);
	}
	assert_int_equal(levels[YOUTH_PLACE_MUNICIPALITY], youth_report_category_count(flat, 0));
	assert_true(levels[YOUTH_PLACE_DISTRICT] > 0 && levels[YOUTH_PLACE_COMMUNITY] > 0);
	assert_int_equal(youth_report_category_parent(r, 0, n), SIZE_MAX);
	assert_int_equal(youth_report_category_parent(r, 1, 0), youth_report_category_count(r, 1));
	assert_int_equal(youth_report_category_level(r, 1, 0), 0);
	/* additivity, on the internal report: each group (and the margin) the sum of its parts */
	for (size_t i = 0; i < 2; i++)
		for (size_t sex = 0; sex < sexes; sex++)
			for (size_t g = 0; g <= n; g++) {
				int64_t sum = 0;
				int parts = 0;
				for (size_t cat = 0; cat < n; cat++)
					if (youth_report_category_parent(in, 0, cat) == g) {
						sum += cell(in, cat * sexes + sex, i)->value;
						parts = 1;
					}
				if (parts)
					assert_int_equal(cell(in, g * sexes + sex, i)->value, sum);
			}
	/* the municipalities as in the flat report */
	for (size_t cat = 0, m = 0; cat < n; cat++) {
		if (youth_report_category_parent(in, 0, cat) != n)
			continue;
		for (size_t sex = 0; sex < sexes; sex++)
			assert_int_equal(cell(in, cat * sexes + sex, 0)->value,
			                 cell(flat, m * sexes + sex, 0)->value);
		m++;
	}
	/* protected: primaries exactly the small counts, and no family (a group and its parts,
	 * one sex) with a single suppressed cell; the grand total shown */
	size_t primary = 0;
	for (size_t i = 0; i < 2; i++) {
		for (size_t row = 0; row < youth_report_row_count(r); row++) {
			int64_t v = cell(in, row, i)->value;
			bool small = v > 0 && v < 5;
			assert_int_equal(small, (cell(r, row, i)->flags & YOUTH_CELL_PRIMARY) != 0);
			primary += small;
		}
		for (size_t sex = 0; sex < sexes; sex++)
			for (size_t g = 0; g <= n; g++) {
				int hidden = (cell(r, g * sexes + sex, i)->flags & YOUTH_CELL_SUPPRESSED) != 0;
				int parts = 0;
				for (size_t cat = 0; cat < n; cat++)
					if (youth_report_category_parent(r, 0, cat) == g) {
						parts = 1;
						hidden += (cell(r, cat * sexes + sex, i)->flags &
						           YOUTH_CELL_SUPPRESSED) != 0;
					}
				if (parts)
					assert_int_not_equal(hidden, 1);
			}
		assert_int_equal(cell(r, youth_report_row_count(r) - 1, i)->flags, 0);
	}
	assert_true(primary > 0);
	youth_report_free(flat);
	youth_report_free(in);
	youth_report_free(r);
}

/* A person recorded at a district, in a hierarchy down to the communities: counted in a leaf
 * "(no community)" under the district, so that the district is still the sum of its parts. */
static void test_hierarchy_own_leaf(void **state)
{
	(void)state;
	char *dir = th_tmpdir();
	youth_registry *reg = one_person(dir, "UPDATE person SET place_id = (SELECT id FROM place "
	                                      "WHERE level = 3 AND id IN (SELECT parent_id FROM "
	                                      "place WHERE level = 4) ORDER BY path LIMIT 1)");
	youth_report_options o;
	youth_report_options_init(&o);
	o.by = "municipality>district>community";
	o.flags |= YOUTH_REPORT_INTERNAL;
	o.k = 0;
	youth_report *r = NULL;
	assert_ok(youth_report_new(&r, reg, &o));
	size_t n = youth_report_category_count(r, 0), own = n;
	for (size_t cat = 0; cat < n; cat++) {
		const char *label, *key;
		assert_ok(youth_report_category(&label, &key, r, 0, cat));
		if (strcmp(label, "(no community)") == 0) {
			assert_int_equal(own, n); /* only one */
			own = cat;
			assert_string_equal(key, "");
		}
	}
	assert_true(own < n);
	size_t district = youth_report_category_parent(r, 0, own);
	assert_int_equal(youth_report_category_level(r, 0, district), YOUTH_PLACE_DISTRICT);
	assert_int_equal(youth_report_category_level(r, 0, own), YOUTH_PLACE_COMMUNITY);
	assert_int_equal(cell(r, own, 0)->value, 1);
	assert_int_equal(cell(r, district, 0)->value, 1);
	assert_int_equal(cell(r, n, 0)->value, 1);
	youth_report_free(r);
	youth_registry_close(reg);
	th_rmtree(dir);
	free(dir);
}

/* Out of memory at every allocation: ENOMEM, nothing leaked (valgrind), registry unchanged. */
static void test_out_of_memory(void **state)
{
	(void)state;
	youth_report_options o;
	youth_report_options_init(&o);
	o.indicators = "census,counselled,seed_capital_youths,completion_rate";
	o.by = "municipality,sex";
	youth_report *r = NULL;
	int rc = YOUTH_ENOMEM;
	long n;
	for (n = 1; n < 20000 && rc == YOUTH_ENOMEM; n++) {
		th_alloc_state st;
		th_alloc_install(&st, n, 0);
		rc = youth_report_new(&r, sample, &o);
		th_alloc_restore();
		if (rc == YOUTH_ENOMEM)
			assert_null(r);
	}
	assert_ok(rc);
	assert_true(n > 10);
	youth_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_figures),
		cmocka_unit_test(test_every_dimension),
		cmocka_unit_test(test_combinations),
		cmocka_unit_test(test_suppression),
		cmocka_unit_test(test_sum_rests_on_persons),
		cmocka_unit_test(test_internal),
		cmocka_unit_test(test_user_definitions),
		cmocka_unit_test(test_bad_definitions),
		cmocka_unit_test(test_writers),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_empty_registry),
		cmocka_unit_test(test_key_limit),
		cmocka_unit_test(test_hierarchy),
		cmocka_unit_test(test_hierarchy_own_leaf),
		cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
