/*
 * Indicator definitions: the definition language (docs/indicators.md) and the built-in
 * catalogue, which is written in that same language and read by the same parser, so a counting
 * rule exists once whether the programme or an analyst wrote it.
 *
 * A definition names the kind of record it counts (`of`), how (`count: persons|records`,
 * `sum: FIELD`, or `ratio` / `difference` of two other indicators), which records (`where`:
 * one mapping of conditions that must all hold, or a list of such mappings of which one must
 * hold), and the field that dates a record (`date`).  Fields are resolved through the
 * published kind description (youth/kind.h): a new field of a kind can be filtered on as soon
 * as it is in its field table.
 */
#include "private_report.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the kinds a report can count ----------------------------------------------------- */

/* Each counted kind with its table and the parent its person, exchange, course and window come
 * from when it lacks them (the engine looks a field up on the kind first, then on the parent). */
static const youth__rsource sources[] = {
	{"person", "person", NULL, NULL},
	{"counselling_participant", "counselling_participant", "session_id", "counselling"},
	{"enrollment", "enrollment", "cohort_id", "vocational"},
	{"scholarship", "scholarship", NULL, "scholarship"},
	{"scholarship_installment", "scholarship_installment", "scholarship_id", "scholarship"},
	{"scholarship_payment", "scholarship_payment", "scholarship_id", "scholarship"},
	{"plan", "enterprise_plan", NULL, "window"},
	{"plan_disbursement", "enterprise_disbursement", "plan_id", "window"},
	{"plan_visit", "enterprise_visit", "plan_id", "window"},
	{"group_member", "enterprise_member", "group_id", "window"},
	{"followup", "followup", NULL, NULL},
};

/* Tables of the kinds that are parents of a counted kind. */
static const char *const parent_tables[][2] = {
	{"counselling_session", "counselling_session"}, {"cohort", "cohort"},
	{"scholarship", "scholarship"}, {"plan", "enterprise_plan"}, {"group", "enterprise_group"},
};

const youth__rsource *youth__rsource_find(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof sources / sizeof sources[0]; i++)
		if (strcmp(sources[i].kind, kind) == 0)
			return &sources[i];
	return NULL;
}

const char *youth__rtable(const char *kind)
{
	for (size_t i = 0; i < sizeof parent_tables / sizeof parent_tables[0]; i++)
		if (strcmp(parent_tables[i][0], kind) == 0)
			return parent_tables[i][1];
	const youth__rsource *s = youth__rsource_find(kind);
	return s ? s->table : NULL;
}

const char *youth__rcolumn(const char *kind, const char *field)
{
	/* A field whose column has another name, or that is computed (a session's roster size)
	 * or shown as a path (places: use the report's place option or dimension instead). */
	if (strcmp(field, "window") == 0 && (strcmp(kind, "plan") == 0 || strcmp(kind, "group") == 0))
		return "fund_window";
	if (strcmp(field, "place") == 0 || strcmp(field, "participants") == 0)
		return NULL;
	return field;
}

const youth_kind_info *youth__rparent(const youth__rsource *s)
{
	if (!s || !s->parent_ref)
		return NULL;
	const youth_kind_info *k = youth_kind_find(s->kind);
	const youth_field_info *f = youth_kind_field(k, s->parent_ref);
	return f && f->refers_to ? youth_kind_find(f->refers_to) : NULL;
}

/* ---- the parser ---------------------------------------------------------------------- */

typedef struct parser {
	youth__yaml y;
	youth__rdefs *out;
	size_t first; /* the first definition of this document in out */
} parser;

static int err_at(parser *p, size_t line, size_t col, const char *field, const char *fmt, ...)
	YOUTH__PRINTF(5, 6);
static int err_at(parser *p, size_t line, size_t col, const char *field, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return youth__error(YOUTH_EINVAL, field, "%s:%zu:%zu: %s", p->y.name, line, col, msg);
}

static size_t ev_line(const youth__yaml *y)
{
	return y->event.start_mark.line + 1;
}
static size_t ev_col(const youth__yaml *y)
{
	return y->event.start_mark.column + 1;
}

/* A raw term: the texts as written, resolved once the definition's kind is known. */
typedef struct raw_term {
	char *field;
	size_t line, col;
	char **values; /* a scalar or a list */
	size_t n;
	char *min, *max, *set;
} raw_term;

static void raw_free(raw_term *r)
{
	youth__free(r->field);
	for (size_t i = 0; i < r->n; i++)
		youth__free(r->values[i]);
	youth__free(r->values);
	youth__free(r->min);
	youth__free(r->max);
	youth__free(r->set);
	memset(r, 0, sizeof *r);
}

static void term_free(youth__rterm *t)
{
	youth__free(t->field);
	youth__free(t->vals);
	for (size_t i = 0; t->texts && i < t->n; i++)
		youth__free(t->texts[i]);
	youth__free(t->texts);
}

static void def_free(youth__rdef *d)
{
	youth__free(d->name);
	youth__free(d->label);
	youth__free(d->doc);
	for (size_t a = 0; a < d->n_alts; a++) {
		for (size_t i = 0; i < d->alts[a].n; i++)
			term_free(&d->alts[a].t[i]);
		youth__free(d->alts[a].t);
	}
	youth__free(d->alts);
	youth__free(d->operand[0]);
	youth__free(d->operand[1]);
	memset(d, 0, sizeof *d);
}

void youth__rdefs_free(youth__rdefs *defs)
{
	if (!defs)
		return;
	for (size_t i = 0; i < defs->n; i++)
		def_free(&defs->d[i]);
	youth__free(defs->d);
	defs->d = NULL;
	defs->n = 0;
}

const youth__rdef *youth__rdefs_find(const youth__rdefs *defs, const char *name, size_t n)
{
	for (size_t i = 0; i < defs->n; i++)
		if (strlen(defs->d[i].name) == n && memcmp(defs->d[i].name, name, n) == 0)
			return &defs->d[i];
	return NULL;
}

/* The current scalar, copied. */
static int scalar_dup(parser *p, const char *what, char **out)
{
	int rc = youth__yaml_expect(&p->y, YAML_SCALAR_EVENT, what);
	if (rc)
		return rc;
	youth__free(*out);
	*out = youth__strdup(youth__yaml_scalar(&p->y));
	return *out ? YOUTH_OK : youth__oom();
}

/* A scalar or a sequence of scalars, at the current event. */
static int read_values(parser *p, raw_term *r, const char *what)
{
	if (youth__yaml_is(&p->y, YAML_SCALAR_EVENT)) {
		r->values = youth__calloc(1, sizeof *r->values);
		if (!r->values)
			return youth__oom();
		r->n = 1;
		return scalar_dup(p, what, &r->values[0]);
	}
	int rc = youth__yaml_expect(&p->y, YAML_SEQUENCE_START_EVENT, what);
	while (rc == YOUTH_OK && (rc = youth__yaml_next(&p->y)) == YOUTH_OK &&
	       !youth__yaml_is(&p->y, YAML_SEQUENCE_END_EVENT)) {
		if (r->n == YOUTH__RPT_MAX_VALUES)
			return youth__yaml_error(&p->y, YOUTH_ELIMIT, r->field,
			                         "more than %d values for `%s`", YOUTH__RPT_MAX_VALUES,
			                         r->field);
		char **v = youth__realloc(r->values, (r->n + 1) * sizeof *v);
		if (!v)
			return youth__oom();
		r->values = v;
		r->values[r->n] = NULL;
		if ((rc = scalar_dup(p, "a value", &r->values[r->n])) == YOUTH_OK)
			r->n++;
	}
	if (rc == YOUTH_OK && r->n == 0)
		rc = youth__yaml_error(&p->y, YOUTH_EINVAL, r->field, "`%s`: an empty list of values",
		                       r->field);
	return rc;
}

/* The value of one field in `where`: a scalar, a list, or {min, max} / {set}. */
static int read_term(parser *p, raw_term *r)
{
	if (!youth__yaml_is(&p->y, YAML_MAPPING_START_EVENT))
		return read_values(p, r, "a value, a list of values or a mapping");
	int rc;
	while ((rc = youth__yaml_next(&p->y)) == YOUTH_OK &&
	       !youth__yaml_is(&p->y, YAML_MAPPING_END_EVENT)) {
		if ((rc = youth__yaml_expect(&p->y, YAML_SCALAR_EVENT, "`min`, `max` or `set`")))
			return rc;
		const char *k = youth__yaml_scalar(&p->y);
		char **slot = strcmp(k, "min") == 0 || strcmp(k, "from") == 0 ? &r->min
		              : strcmp(k, "max") == 0 || strcmp(k, "to") == 0 ? &r->max
		              : strcmp(k, "set") == 0                         ? &r->set
		                                                              : NULL;
		if (!slot)
			return youth__yaml_error(&p->y, YOUTH_EINVAL, r->field,
			                         "`%s`: unknown condition `%.30s` (use min, max or set)",
			                         r->field, k);
		if (*slot)
			return youth__yaml_error(&p->y, YOUTH_EINVAL, r->field, "`%s`: `%.30s` given twice",
			                         r->field, k);
		if ((rc = youth__yaml_next(&p->y)) || (rc = scalar_dup(p, "a value", slot)))
			return rc;
	}
	if (rc == YOUTH_OK && !r->min && !r->max && !r->set)
		rc = youth__yaml_error(&p->y, YOUTH_EINVAL, r->field, "`%s`: an empty condition",
		                       r->field);
	if (rc == YOUTH_OK && r->set && (r->min || r->max))
		rc = youth__yaml_error(&p->y, YOUTH_EINVAL, r->field,
		                       "`%s`: `set` cannot go with `min` or `max`", r->field);
	return rc;
}

typedef struct raw_alt {
	raw_term t[YOUTH__RPT_MAX_TERMS];
	size_t n;
} raw_alt;

static int read_alt(parser *p, raw_alt *a)
{
	int rc = youth__yaml_expect(&p->y, YAML_MAPPING_START_EVENT,
	                            "a mapping of fields and their values");
	while (rc == YOUTH_OK && (rc = youth__yaml_next(&p->y)) == YOUTH_OK &&
	       !youth__yaml_is(&p->y, YAML_MAPPING_END_EVENT)) {
		if ((rc = youth__yaml_expect(&p->y, YAML_SCALAR_EVENT, "a field name")))
			break;
		if (a->n == YOUTH__RPT_MAX_TERMS)
			return youth__yaml_error(&p->y, YOUTH_ELIMIT, NULL,
			                         "more than %d fields in one condition",
			                         YOUTH__RPT_MAX_TERMS);
		raw_term *r = &a->t[a->n++];
		r->line = ev_line(&p->y);
		r->col = ev_col(&p->y);
		if ((rc = scalar_dup(p, "a field name", &r->field)))
			break;
		for (size_t i = 0; i + 1 < a->n; i++)
			if (strcmp(a->t[i].field, r->field) == 0)
				return youth__yaml_error(&p->y, YOUTH_EINVAL, r->field,
				                         "`%s` given twice in one condition", r->field);
		if ((rc = youth__yaml_next(&p->y)) == YOUTH_OK)
			rc = read_term(p, r);
	}
	return rc;
}

/* A date as the integer yyyymmdd, which orders as the date does. */
static int date_value(const char *s, int64_t *out)
{
	youth__date d;
	if (!youth__date_parse(s, &d))
		return YOUTH_EINVAL;
	*out = (int64_t)d.y * 10000 + d.m * 100 + d.d;
	return YOUTH_OK;
}

/* Turns one value of field @f into the integer the engine compares. */
static int field_value(const youth_field_info *f, const char *s, int64_t *out)
{
	long long v;
	int b;
	switch (f->type) {
	case YOUTH_FIELD_ENUM:
		for (int i = 0; i < f->n_vocabulary; i++)
			if (f->vocabulary[i] && strcmp(f->vocabulary[i], s) == 0) {
				*out = i;
				return YOUTH_OK;
			}
		return YOUTH_EINVAL;
	case YOUTH_FIELD_BOOL:
		if (youth__parse_bool(s, &b))
			return YOUTH_EINVAL;
		*out = b;
		return YOUTH_OK;
	case YOUTH_FIELD_MONEY:
		return youth__money_parse(s, out) == YOUTH_OK ? YOUTH_OK : YOUTH_EINVAL;
	case YOUTH_FIELD_DATE:
		return date_value(s, out);
	case YOUTH_FIELD_ID:
	case YOUTH_FIELD_REF:
	case YOUTH_FIELD_INT:
	case YOUTH_FIELD_COUNT:
		if (youth__parse_int(s, f->type == YOUTH_FIELD_INT ? INT32_MIN : 0,
		                     f->type == YOUTH_FIELD_INT || f->type == YOUTH_FIELD_COUNT
		                             ? INT32_MAX
		                             : INT64_MAX,
		                     &v))
			return YOUTH_EINVAL;
		*out = v;
		return YOUTH_OK;
	default:
		return YOUTH_EINVAL;
	}
}

static const char *type_hint(const youth_field_info *f)
{
	switch (f->type) {
	case YOUTH_FIELD_ENUM: return "one of its names";
	case YOUTH_FIELD_BOOL: return "true or false";
	case YOUTH_FIELD_MONEY: return "an amount like 125.50";
	case YOUTH_FIELD_DATE: return "a date YYYY-MM-DD";
	default: return "a whole number";
	}
}

/* Finds `field` or `parent.field` of the definition's kind. */
static int resolve_field(parser *p, const youth__rdef *d, const char *text, size_t line,
                         size_t col, const youth_field_info **out, bool *parent)
{
	const youth__rsource *s = youth__rsource_find(d->kind->name);
	const youth_kind_info *k = d->kind;
	const char *name = text, *dot = strchr(text, '.');
	*parent = false;
	if (dot) {
		const youth_kind_info *pk = youth__rparent(s);
		size_t alias = s->parent_ref ? strlen(s->parent_ref) - 3 : 0; /* without "_id" */
		if (!pk || (size_t)(dot - text) != alias || memcmp(text, s->parent_ref, alias) != 0)
			return err_at(p, line, col, text, "`%s`: a %s has no parent record `%.*s`%s%.*s%s",
			              text, d->kind->label, (int)(dot - text), text,
			              pk ? " (its parent is `" : "", pk ? (int)alias : 0,
			              pk ? s->parent_ref : "", pk ? "`)" : "");
		k = pk;
		name = dot + 1;
		*parent = true;
	}
	const youth_field_info *f = youth_kind_field(k, name);
	if (!f) {
		char known[400] = "";
		size_t used = 0;
		for (size_t i = 0; i < k->n_fields && used + 40 < sizeof known; i++)
			if (youth__rcolumn(k->name, k->fields[i].name))
				used += (size_t)snprintf(known + used, sizeof known - used, "%s%s",
				                         used ? ", " : "", k->fields[i].name);
		return err_at(p, line, col, text, "`%s`: not a field of %s (fields: %s)", text,
		              k->label, known);
	}
	if (!youth__rcolumn(k->name, name))
		return err_at(p, line, col, text,
		              "`%s`: a %s's %s cannot be filtered in a report (use the report's place "
		              "option or a dimension)",
		              text, k->label, name);
	*out = f;
	return YOUTH_OK;
}

static int resolve_term(parser *p, const youth__rdef *d, raw_term *r, youth__rterm *t)
{
	int rc = resolve_field(p, d, r->field, r->line, r->col, &t->f, &t->parent);
	if (rc)
		return rc;
	t->field = r->field;
	r->field = NULL;
	const youth_field_info *f = t->f;
	bool text = f->type == YOUTH_FIELD_TEXT || f->type == YOUTH_FIELD_UUID;
	if (r->set) {
		int b;
		if (youth__parse_bool(r->set, &b))
			return err_at(p, r->line, r->col, t->field, "`%s`: set \"%.40s\": true or false",
			              t->field, r->set);
		t->op = YOUTH__RT_SET;
		t->want_set = b;
		return YOUTH_OK;
	}
	if (r->min || r->max) {
		if (text || f->type == YOUTH_FIELD_ENUM || f->type == YOUTH_FIELD_BOOL)
			return err_at(p, r->line, r->col, t->field,
			              "`%s`: a %s field has no order (give a value or a list)", t->field,
			              youth_field_type_name(f->type));
		t->op = YOUTH__RT_RANGE;
		t->lo = INT64_MIN;
		t->hi = INT64_MAX;
		const char *bad = r->min && field_value(f, r->min, &t->lo) ? r->min
		                  : r->max && field_value(f, r->max, &t->hi) ? r->max
		                                                             : NULL;
		if (bad)
			return err_at(p, r->line, r->col, t->field, "`%s`: \"%.40s\" is not %s", t->field,
			              bad, type_hint(f));
		if (t->lo > t->hi)
			return err_at(p, r->line, r->col, t->field, "`%s`: min %s is above max %s",
			              t->field, r->min, r->max);
		return YOUTH_OK;
	}
	t->n = r->n;
	if (text) {
		t->op = YOUTH__RT_TEXT;
		t->texts = r->values;
		r->values = NULL;
		r->n = 0;
		return YOUTH_OK;
	}
	t->op = YOUTH__RT_IN;
	t->vals = youth__calloc(r->n, sizeof *t->vals);
	if (!t->vals)
		return youth__oom();
	for (size_t i = 0; i < r->n; i++)
		if (field_value(f, r->values[i], &t->vals[i])) {
			if (f->type != YOUTH_FIELD_ENUM)
				return err_at(p, r->line, r->col, t->field, "`%s`: \"%.40s\" is not %s",
				              t->field, r->values[i], type_hint(f));
			char names[300] = "";
			size_t used = 0;
			for (int v = 0; v < f->n_vocabulary && used + 40 < sizeof names; v++)
				if (f->vocabulary[v])
					used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
					                         used ? ", " : "", f->vocabulary[v]);
			return err_at(p, r->line, r->col, t->field, "`%s`: \"%.40s\" is not one of %s",
			              t->field, r->values[i], names);
		}
	return YOUTH_OK;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > YOUTH__RPT_NAME_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* What one definition mapping holds before it is checked as a whole. */
typedef struct raw_def {
	char *count, *sum, *of, *date, *latest;
	size_t at[5][2]; /* positions of count, sum, of, date, latest */
	raw_alt *alts;
	size_t n_alts;
	size_t where_line, where_col;
	size_t op_line, op_col;
} raw_def;

static void raw_def_free(raw_def *r)
{
	youth__free(r->count);
	youth__free(r->sum);
	youth__free(r->of);
	youth__free(r->date);
	youth__free(r->latest);
	for (size_t a = 0; a < r->n_alts; a++)
		for (size_t i = 0; i < r->alts[a].n; i++)
			raw_free(&r->alts[a].t[i]);
	youth__free(r->alts);
}

static int add_alt(parser *p, raw_def *r)
{
	if (r->n_alts == YOUTH__RPT_MAX_ALTS)
		return youth__yaml_error(&p->y, YOUTH_ELIMIT, "where",
		                         "more than %d alternatives in `where`", YOUTH__RPT_MAX_ALTS);
	raw_alt *a = youth__realloc(r->alts, (r->n_alts + 1) * sizeof *a);
	if (!a)
		return youth__oom();
	r->alts = a;
	memset(&a[r->n_alts], 0, sizeof *a);
	r->n_alts++;
	return read_alt(p, &a[r->n_alts - 1]);
}

static int read_where(parser *p, raw_def *r)
{
	r->where_line = ev_line(&p->y);
	r->where_col = ev_col(&p->y);
	if (youth__yaml_is(&p->y, YAML_MAPPING_START_EVENT))
		return add_alt(p, r);
	int rc = youth__yaml_expect(&p->y, YAML_SEQUENCE_START_EVENT,
	                            "a mapping of conditions, or a list of them");
	while (rc == YOUTH_OK && (rc = youth__yaml_next(&p->y)) == YOUTH_OK &&
	       !youth__yaml_is(&p->y, YAML_SEQUENCE_END_EVENT))
		rc = add_alt(p, r);
	if (rc == YOUTH_OK && r->n_alts == 0)
		rc = youth__yaml_error(&p->y, YOUTH_EINVAL, "where", "`where`: an empty list");
	return rc;
}

static int read_operands(parser *p, youth__rdef *d, const char *key)
{
	int rc = youth__yaml_expect(&p->y, YAML_SEQUENCE_START_EVENT,
	                            "a list of two indicator names");
	int n = 0;
	while (rc == YOUTH_OK && (rc = youth__yaml_next(&p->y)) == YOUTH_OK &&
	       !youth__yaml_is(&p->y, YAML_SEQUENCE_END_EVENT)) {
		if (n == 2)
			return youth__yaml_error(&p->y, YOUTH_EINVAL, key,
			                         "`%s`: a list of exactly two indicator names", key);
		rc = scalar_dup(p, "an indicator name", &d->operand[n++]);
	}
	if (rc == YOUTH_OK && n != 2)
		rc = youth__yaml_error(&p->y, YOUTH_EINVAL, key,
		                       "`%s`: a list of exactly two indicator names", key);
	return rc;
}

/* Checks and resolves what the mapping gave, now that it is whole. */
static int finish_def(parser *p, youth__rdef *d, raw_def *r, int hows)
{
	size_t L = d->line, C = d->col;
	int rc;
	if (!d->name)
		return err_at(p, L, C, "name", "an indicator without a `name`");
	if (!valid_name(d->name))
		return err_at(p, L, C, "name",
		              "name \"%.40s\": 1-%d lower-case letters, digits and '_', starting with a "
		              "letter",
		              d->name, YOUTH__RPT_NAME_MAX);
	for (size_t i = 0; i + 1 < p->out->n; i++)
		if (strcmp(p->out->d[i].name, d->name) == 0)
			return err_at(p, L, C, "name", "indicator `%s`: %s", d->name,
			              i < p->first ? "a built-in indicator has that name"
			                           : "defined twice");
	if (hows != 1)
		return err_at(p, L, C, d->name,
		              "indicator `%s`: give exactly one of `count`, `sum`, `ratio` and "
		              "`difference`",
		              d->name);
	d->info.name = d->name;
	d->info.label = d->label ? d->label : d->name;
	d->info.doc = d->doc ? d->doc : "";
	if (d->operand[0]) {
		if (r->of || r->date || r->latest || r->n_alts)
			return err_at(p, L, C, d->name,
			              "indicator `%s`: a %s takes no `of`, `date`, `latest` or `where` "
			              "(its operands have them)",
			              d->name, d->info.type == YOUTH_INDICATOR_RATIO ? "ratio" : "difference");
		d->info.unit = YOUTH_UNIT_RATIO; /* a difference takes its operands' unit later */
		return YOUTH_OK;
	}
	if (!r->of)
		return err_at(p, L, C, d->name, "indicator `%s`: `of` (the kind of record counted) is "
		              "missing", d->name);
	const youth__rsource *s = youth__rsource_find(r->of);
	if (!s) {
		char names[400] = "";
		size_t used = 0;
		for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
			used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
			                         sources[i].kind);
		return err_at(p, r->at[2][0], r->at[2][1], "of",
		              "of \"%.40s\": not a kind a report counts (%s)", r->of, names);
	}
	d->kind = youth_kind_find(s->kind);
	if (!d->kind)
		return YOUTH_ERROR; /* the table above names a kind the library lacks: a bug */
	d->info.programme = s->programme && strcmp(s->programme, "window") != 0 ? s->programme : NULL;
	if (r->count) {
		if (strcmp(r->count, "persons") == 0)
			d->info.type = YOUTH_INDICATOR_PERSONS;
		else if (strcmp(r->count, "records") == 0)
			d->info.type = YOUTH_INDICATOR_RECORDS;
		else
			return err_at(p, r->at[0][0], r->at[0][1], "count",
			              "count \"%.40s\": persons or records", r->count);
		d->info.unit = YOUTH_UNIT_COUNT;
	} else {
		if ((rc = resolve_field(p, d, r->sum, r->at[1][0], r->at[1][1], &d->sum,
		                        &d->sum_parent)))
			return rc;
		if (d->sum->type != YOUTH_FIELD_MONEY && d->sum->type != YOUTH_FIELD_INT &&
		    d->sum->type != YOUTH_FIELD_COUNT)
			return err_at(p, r->at[1][0], r->at[1][1], "sum",
			              "sum `%s`: a %s field, not an amount or a number", r->sum,
			              youth_field_type_name(d->sum->type));
		d->info.type = YOUTH_INDICATOR_SUM;
		d->info.unit = d->sum->type == YOUTH_FIELD_MONEY ? YOUTH_UNIT_MONEY : YOUTH_UNIT_COUNT;
	}
	if (r->date) {
		if ((rc = resolve_field(p, d, r->date, r->at[3][0], r->at[3][1], &d->date,
		                        &d->date_parent)))
			return rc;
		if (d->date->type != YOUTH_FIELD_DATE)
			return err_at(p, r->at[3][0], r->at[3][1], "date", "date `%s`: a %s field, not a date",
			              r->date, youth_field_type_name(d->date->type));
	} else {
		/* The kind's first date field: the date it happened (a follow-up's date, a
		 * disbursement's date, an enrollment's application). */
		for (size_t i = 0; !d->date && i < d->kind->n_fields; i++)
			if (d->kind->fields[i].type == YOUTH_FIELD_DATE)
				d->date = &d->kind->fields[i];
		if (!d->date)
			return err_at(p, L, C, "date", "indicator `%s`: a %s has no date; name one with "
			              "`date: parent.field`", d->name, d->kind->label);
	}
	if (r->latest) {
		int b;
		if (youth__parse_bool(r->latest, &b))
			return err_at(p, r->at[4][0], r->at[4][1], "latest", "latest \"%.40s\": true or false",
			              r->latest);
		if (b && !s->parent_ref)
			return err_at(p, r->at[4][0], r->at[4][1], "latest",
			              "latest: a %s has no parent record to take the latest of",
			              d->kind->label);
		if (b && d->date_parent)
			return err_at(p, r->at[4][0], r->at[4][1], "latest",
			              "latest: needs the record's own date, not its parent's");
		d->latest = b;
	}
	if (r->n_alts) {
		d->alts = youth__calloc(r->n_alts, sizeof *d->alts);
		if (!d->alts)
			return youth__oom();
		d->n_alts = r->n_alts;
		for (size_t a = 0; a < r->n_alts; a++) {
			d->alts[a].t = youth__calloc(r->alts[a].n ? r->alts[a].n : 1, sizeof(youth__rterm));
			if (!d->alts[a].t)
				return youth__oom();
			for (size_t i = 0; i < r->alts[a].n; i++) {
				d->alts[a].n = i + 1;
				if ((rc = resolve_term(p, d, &r->alts[a].t[i], &d->alts[a].t[i])))
					return rc;
				/* The engine keeps each parent's latest row as numbers only. */
				if (d->latest && d->alts[a].t[i].op == YOUTH__RT_TEXT)
					return err_at(p, r->alts[a].t[i].line, r->alts[a].t[i].col,
					              d->alts[a].t[i].field,
					              "`%s`: a text condition cannot go with `latest`",
					              d->alts[a].t[i].field);
			}
		}
	}
	return YOUTH_OK;
}

/* One definition, from its mapping start to its mapping end. */
static int read_def(parser *p)
{
	if (p->out->n - p->first >= YOUTH__RPT_MAX_DEFS)
		return youth__yaml_error(&p->y, YOUTH_ELIMIT, NULL, "more than %d indicators in a file",
		                         YOUTH__RPT_MAX_DEFS);
	int rc = youth__yaml_expect(&p->y, YAML_MAPPING_START_EVENT, "an indicator (a mapping)");
	if (rc)
		return rc;
	youth__rdef *defs = youth__realloc(p->out->d, (p->out->n + 1) * sizeof *defs);
	if (!defs)
		return youth__oom();
	p->out->d = defs;
	youth__rdef *d = &defs[p->out->n++];
	memset(d, 0, sizeof *d);
	d->line = ev_line(&p->y);
	d->col = ev_col(&p->y);
	raw_def r;
	memset(&r, 0, sizeof r);
	int hows = 0;
	while (rc == YOUTH_OK && (rc = youth__yaml_next(&p->y)) == YOUTH_OK &&
	       !youth__yaml_is(&p->y, YAML_MAPPING_END_EVENT)) {
		if ((rc = youth__yaml_expect(&p->y, YAML_SCALAR_EVENT, "a key")))
			break;
		static const char *const keys[] = {"count", "sum",  "of",    "date",       "latest",
		                                   "name",  "label", "doc",  "where",      "ratio",
		                                   "difference"};
		const char *key = youth__yaml_scalar(&p->y);
		size_t k = 0, line = ev_line(&p->y), col = ev_col(&p->y);
		while (k < sizeof keys / sizeof keys[0] && strcmp(keys[k], key) != 0)
			k++;
		if (k == sizeof keys / sizeof keys[0]) {
			rc = youth__yaml_error(&p->y, YOUTH_EINVAL, NULL,
			                       "unknown key `%.30s` (an indicator has name, label, doc, count, "
			                       "sum, ratio, difference, of, where, date, latest)",
			                       key);
			break;
		}
		char **slot[] = {&r.count, &r.sum, &r.of, &r.date, &r.latest, &d->name, &d->label, &d->doc};
		bool twice = (k < 8 && *slot[k]) || (k == 8 && r.n_alts) ||
		             (k >= 9 && d->operand[0] &&
		              d->info.type == (k == 9 ? YOUTH_INDICATOR_RATIO : YOUTH_INDICATOR_DIFFERENCE));
		if (twice) {
			rc = youth__yaml_error(&p->y, YOUTH_EINVAL, keys[k], "`%s` given twice", keys[k]);
			break;
		}
		if (k < 5) {
			r.at[k][0] = line;
			r.at[k][1] = col;
		}
		if ((rc = youth__yaml_next(&p->y)))
			break;
		if (k < 8) {
			rc = scalar_dup(p, "a value", slot[k]);
			hows += k < 2;
		} else if (k == 8) {
			rc = read_where(p, &r);
		} else {
			hows++;
			if (d->operand[0]) /* a ratio and a difference: counted, refused in finish_def */
				rc = youth__yaml_skip(&p->y);
			else {
				d->info.type = k == 9 ? YOUTH_INDICATOR_RATIO : YOUTH_INDICATOR_DIFFERENCE;
				rc = read_operands(p, d, keys[k]);
			}
		}
	}
	if (rc == YOUTH_OK)
		rc = finish_def(p, d, &r, hows);
	raw_def_free(&r);
	return rc;
}

/* Operands name indicators of this document or earlier ones (the built-ins); a difference
 * takes the unit of its operands, which must agree. */
static int link_operands(parser *p)
{
	for (size_t i = p->first; i < p->out->n; i++) {
		youth__rdef *d = &p->out->d[i];
		if (!d->operand[0])
			continue;
		const youth__rdef *o[2];
		for (int j = 0; j < 2; j++) {
			o[j] = youth__rdefs_find(p->out, d->operand[j], strlen(d->operand[j]));
			if (!o[j])
				return err_at(p, d->line, d->col, d->name,
				              "indicator `%s`: operand `%.40s` is not an indicator", d->name,
				              d->operand[j]);
			if (o[j]->operand[0])
				return err_at(p, d->line, d->col, d->name,
				              "indicator `%s`: operand `%s` is itself a %s (operands are counts "
				              "or sums)",
				              d->name, o[j]->name,
				              o[j]->info.type == YOUTH_INDICATOR_RATIO ? "ratio" : "difference");
		}
		if (d->info.type == YOUTH_INDICATOR_DIFFERENCE) {
			if (o[0]->info.unit != o[1]->info.unit)
				return err_at(p, d->line, d->col, d->name,
				              "indicator `%s`: `%s` and `%s` are not in the same unit", d->name,
				              o[0]->name, o[1]->name);
			d->info.unit = o[0]->info.unit;
		}
	}
	return YOUTH_OK;
}

static int read_document(parser *p)
{
	bool seen = false;
	int rc = youth__yaml_begin_document(&p->y);
	while (rc == YOUTH_OK && !youth__yaml_is(&p->y, YAML_MAPPING_END_EVENT)) {
		if ((rc = youth__yaml_expect(&p->y, YAML_SCALAR_EVENT, "a key")))
			break;
		/* Other sections of a libyouth/1 file (persons, courses...) are the importer's. */
		bool mine = strcmp(youth__yaml_scalar(&p->y), "indicators") == 0;
		if (mine && seen) {
			rc = youth__yaml_error(&p->y, YOUTH_EINVAL, "indicators", "`indicators` given twice");
			break;
		}
		if ((rc = youth__yaml_next(&p->y)))
			break;
		if (!mine) {
			rc = youth__yaml_skip(&p->y);
		} else {
			seen = true;
			rc = youth__yaml_expect(&p->y, YAML_SEQUENCE_START_EVENT, "a list of indicators");
			while (rc == YOUTH_OK && (rc = youth__yaml_next(&p->y)) == YOUTH_OK &&
			       !youth__yaml_is(&p->y, YAML_SEQUENCE_END_EVENT))
				rc = read_def(p);
		}
		if (rc == YOUTH_OK)
			rc = youth__yaml_next(&p->y);
	}
	if (rc == YOUTH_OK && !seen)
		rc = youth__yaml_error(&p->y, YOUTH_EINVAL, "indicators",
		                       "no `indicators` list in the file");
	if (rc == YOUTH_OK)
		rc = youth__yaml_end_document(&p->y);
	if (rc == YOUTH_OK)
		rc = link_operands(p);
	return rc;
}

int youth__rdefs_load(youth__rdefs *out, const char *path, const char *data, size_t size,
                      const char *name)
{
	parser p;
	memset(&p, 0, sizeof p);
	p.out = out;
	p.first = out->n;
	int rc = path ? youth__yaml_open_file(&p.y, path)
	              : youth__yaml_open_buffer(&p.y, data, size, name ? name : "(definitions)");
	if (rc == YOUTH_OK)
		rc = read_document(&p);
	youth__yaml_close(&p.y);
	if (rc) {
		while (out->n > p.first)
			def_free(&out->d[--out->n]);
	}
	return rc;
}

/* ---- the built-in catalogue ------------------------------------------------------------ */

/* docs/indicators.md explains each rule; this text is the rule. */
static const char builtin_yaml[] =
	"format: libyouth/1\n"
	"indicators:\n"
	"  - name: census\n"
	"    label: Youths in the census\n"
	"    doc: Persons in the census, dated by their census date.\n"
	"    count: persons\n"
	"    of: person\n"
	"    date: census_date\n"
	"  - name: counselled\n"
	"    label: Youths counselled\n"
	"    doc: Distinct persons who attended (attended true) a counselling session that was closed; dated by the session's date. Absent participants and open sessions do not count.\n"
	"    count: persons\n"
	"    of: counselling_participant\n"
	"    where: {attended: true, session.state: closed}\n"
	"    date: session.date\n"
	"  - name: courses_applied\n"
	"    label: Youths who applied to a course\n"
	"    doc: Distinct persons with an enrollment in any state, dated by the application date.\n"
	"    count: persons\n"
	"    of: enrollment\n"
	"    date: applied_date\n"
	"  - name: courses_enrolled\n"
	"    label: Youths enrolled in a course\n"
	"    doc: Distinct persons admitted to a cohort (state enrolled or completed, or dropped after attendance was recorded); dated by the application date.\n"
	"    count: persons\n"
	"    of: enrollment\n"
	"    where:\n"
	"      - {state: [enrolled, completed]}\n"
	"      - {state: dropped, attendance: {set: true}}\n"
	"    date: applied_date\n"
	"  - name: courses_started\n"
	"    label: Youths who started a course\n"
	"    doc: Distinct persons with attendance of at least 1% recorded on an enrollment (whatever its state now, dropped included); dated by the application date.\n"
	"    count: persons\n"
	"    of: enrollment\n"
	"    where: {attendance: {min: 1}}\n"
	"    date: applied_date\n"
	"  - name: courses_completed\n"
	"    label: Youths who completed a course\n"
	"    doc: Distinct persons with an enrollment in state completed, dated by the completion (state) date.\n"
	"    count: persons\n"
	"    of: enrollment\n"
	"    where: {state: completed}\n"
	"    date: state_date\n"
	"  - name: courses_certified\n"
	"    label: Youths certified\n"
	"    doc: Distinct persons with a certificate issued for an enrollment, dated by the certificate date.\n"
	"    count: persons\n"
	"    of: enrollment\n"
	"    where: {certificate_date: {set: true}}\n"
	"    date: certificate_date\n"
	"  - name: completion_rate\n"
	"    label: Course completion rate\n"
	"    doc: courses_completed divided by courses_enrolled, cell by cell.\n"
	"    ratio: [courses_completed, courses_enrolled]\n"
	"  - name: scholarships_awarded\n"
	"    label: Scholarships awarded\n"
	"    doc: Distinct persons with a first-work scholarship that was awarded (state awarded, active, completed or terminated; rejected and applied ones do not count); dated by the application date.\n"
	"    count: persons\n"
	"    of: scholarship\n"
	"    where: {state: [awarded, active, completed, terminated]}\n"
	"    date: applied_date\n"
	"  - name: scholarships_active\n"
	"    label: Scholarships active\n"
	"    doc: Distinct persons with a scholarship in state active (placed and being paid), dated by the placement's start date.\n"
	"    count: persons\n"
	"    of: scholarship\n"
	"    where: {state: active}\n"
	"    date: start_date\n"
	"  - name: scholarships_completed\n"
	"    label: Scholarships completed\n"
	"    doc: Distinct persons with a scholarship in state completed, dated by the completion (state) date.\n"
	"    count: persons\n"
	"    of: scholarship\n"
	"    where: {state: completed}\n"
	"    date: state_date\n"
	"  - name: scholarships_terminated\n"
	"    label: Scholarships terminated\n"
	"    doc: Distinct persons with a scholarship in state terminated, dated by the termination (state) date.\n"
	"    count: persons\n"
	"    of: scholarship\n"
	"    where: {state: terminated}\n"
	"    date: state_date\n"
	"  - name: stipend_owed\n"
	"    label: Stipend owed\n"
	"    doc: Sum of the monthly installments not cancelled (the entitlement), dated by their due date.\n"
	"    sum: amount\n"
	"    of: scholarship_installment\n"
	"    where: {state: due}\n"
	"    date: due_date\n"
	"  - name: stipend_paid\n"
	"    label: Stipend paid\n"
	"    doc: Sum of the scholarship payments, dated by the payment date.\n"
	"    sum: amount\n"
	"    of: scholarship_payment\n"
	"    date: paid_date\n"
	"  - name: stipend_balance\n"
	"    label: Stipend balance\n"
	"    doc: stipend_owed minus stipend_paid, cell by cell.\n"
	"    difference: [stipend_owed, stipend_paid]\n"
	"  - name: seed_capital_youths\n"
	"    label: Youths with seed capital\n"
	"    doc: Distinct persons reached by a plan of the youth seed-capital window that received seed capital (state funded, operating or closed) - the applicant of an individual plan, every member of a group's; dated by the approval date.\n"
	"    count: persons\n"
	"    of: plan\n"
	"    where: {window: youth_seed, state: [funded, operating, closed]}\n"
	"    date: approved_date\n"
	"  - name: plans_approved\n"
	"    label: Seed-capital plans approved\n"
	"    doc: Plans of the youth seed-capital window that were approved (state approved, funded, operating or closed), dated by the approval date.\n"
	"    count: records\n"
	"    of: plan\n"
	"    where: {window: youth_seed, state: [approved, funded, operating, closed]}\n"
	"    date: approved_date\n"
	"  - name: plans_funded\n"
	"    label: Seed-capital plans funded\n"
	"    doc: Plans of the youth seed-capital window that received seed capital (state funded, operating or closed), dated by the approval date.\n"
	"    count: records\n"
	"    of: plan\n"
	"    where: {window: youth_seed, state: [funded, operating, closed]}\n"
	"    date: approved_date\n"
	"  - name: seed_capital_disbursed\n"
	"    label: Seed capital disbursed\n"
	"    doc: Sum of the disbursements to plans of the youth seed-capital window, dated by the disbursement date.\n"
	"    sum: amount\n"
	"    of: plan_disbursement\n"
	"    where: {plan.window: youth_seed}\n"
	"    date: date\n"
	"  - name: plans_operating\n"
	"    label: Seed-capital businesses operating\n"
	"    doc: Plans of the youth seed-capital window whose latest visit found the business operating, dated by that visit.\n"
	"    count: records\n"
	"    of: plan_visit\n"
	"    latest: true\n"
	"    where: {operating: true, plan.window: youth_seed}\n"
	"    date: date\n"
	"  - name: women_group_plans\n"
	"    label: Women's group plans funded\n"
	"    doc: Plans of women's groups in the female entrepreneurship window that received seed capital (state funded, operating or closed), dated by the approval date.\n"
	"    count: records\n"
	"    of: plan\n"
	"    where: {window: female_window, state: [funded, operating, closed]}\n"
	"    date: approved_date\n"
	"  - name: women_reached\n"
	"    label: Women reached by the female window\n"
	"    doc: Distinct members of the women's groups whose plan in the female entrepreneurship window received seed capital; dated by the approval date.\n"
	"    count: persons\n"
	"    of: plan\n"
	"    where: {window: female_window, state: [funded, operating, closed]}\n"
	"    date: approved_date\n"
	"  - name: female_window_disbursed\n"
	"    label: Female window capital disbursed\n"
	"    doc: Sum of the disbursements to plans of the female entrepreneurship window, dated by the disbursement date.\n"
	"    sum: amount\n"
	"    of: plan_disbursement\n"
	"    where: {plan.window: female_window}\n"
	"    date: date\n"
	"  - name: followed_3m\n"
	"    label: Youths followed up at 3 months\n"
	"    doc: Distinct persons with a follow-up at the 3-month horizon, dated by the follow-up.\n"
	"    count: persons\n"
	"    of: followup\n"
	"    where: {horizon_months: 3}\n"
	"    date: date\n"
	"  - name: employed_3m\n"
	"    label: Youths employed at 3 months\n"
	"    doc: Distinct persons whose follow-up at the 3-month horizon found them employed (formal, informal or self-employed), dated by the follow-up.\n"
	"    count: persons\n"
	"    of: followup\n"
	"    where: {horizon_months: 3, status: [employed_formal, employed_informal, self_employed]}\n"
	"    date: date\n"
	"  - name: employed_formal_3m\n"
	"    label: Youths in formal employment at 3 months\n"
	"    doc: Distinct persons whose follow-up at the 3-month horizon found them in formal employment, dated by the follow-up.\n"
	"    count: persons\n"
	"    of: followup\n"
	"    where: {horizon_months: 3, status: employed_formal}\n"
	"    date: date\n"
	"  - name: employment_rate_3m\n"
	"    label: Employment rate at 3 months\n"
	"    doc: employed_3m divided by followed_3m, cell by cell.\n"
	"    ratio: [employed_3m, followed_3m]\n"
	"  - name: followed_6m\n"
	"    label: Youths followed up at 6 months\n"
	"    doc: Distinct persons with a follow-up at the 6-month horizon, dated by the follow-up.\n"
	"    count: persons\n"
	"    of: followup\n"
	"    where: {horizon_months: 6}\n"
	"    date: date\n"
	"  - name: employed_6m\n"
	"    label: Youths employed at 6 months\n"
	"    doc: Distinct persons whose follow-up at the 6-month horizon found them employed (formal, informal or self-employed), dated by the follow-up.\n"
	"    count: persons\n"
	"    of: followup\n"
	"    where: {horizon_months: 6, status: [employed_formal, employed_informal, self_employed]}\n"
	"    date: date\n"
	"  - name: employed_formal_6m\n"
	"    label: Youths in formal employment at 6 months\n"
	"    doc: Distinct persons whose follow-up at the 6-month horizon found them in formal employment, dated by the follow-up.\n"
	"    count: persons\n"
	"    of: followup\n"
	"    where: {horizon_months: 6, status: employed_formal}\n"
	"    date: date\n"
	"  - name: employment_rate_6m\n"
	"    label: Employment rate at 6 months\n"
	"    doc: employed_6m divided by followed_6m, cell by cell.\n"
	"    ratio: [employed_6m, followed_6m]\n"
	"  - name: followed_12m\n"
	"    label: Youths followed up at 12 months\n"
	"    doc: Distinct persons with a follow-up at the 12-month horizon, dated by the follow-up.\n"
	"    count: persons\n"
	"    of: followup\n"
	"    where: {horizon_months: 12}\n"
	"    date: date\n"
	"  - name: employed_12m\n"
	"    label: Youths employed at 12 months\n"
	"    doc: Distinct persons whose follow-up at the 12-month horizon found them employed (formal, informal or self-employed), dated by the follow-up.\n"
	"    count: persons\n"
	"    of: followup\n"
	"    where: {horizon_months: 12, status: [employed_formal, employed_informal, self_employed]}\n"
	"    date: date\n"
	"  - name: employed_formal_12m\n"
	"    label: Youths in formal employment at 12 months\n"
	"    doc: Distinct persons whose follow-up at the 12-month horizon found them in formal employment, dated by the follow-up.\n"
	"    count: persons\n"
	"    of: followup\n"
	"    where: {horizon_months: 12, status: employed_formal}\n"
	"    date: date\n"
	"  - name: employment_rate_12m\n"
	"    label: Employment rate at 12 months\n"
	"    doc: employed_12m divided by followed_12m, cell by cell.\n"
	"    ratio: [employed_12m, followed_12m]\n";

int youth__rdefs_builtin(youth__rdefs *out)
{
	int rc = youth__rdefs_load(out, NULL, builtin_yaml, sizeof builtin_yaml - 1,
	                           "built-in indicators");
	if (rc)
		youth__error_prefix("libyouth's built-in indicators (a bug)");
	return rc;
}

/* The published list: copied once from a parse of the built-ins into static storage, so that
 * the pointers live as long as the process and owe nothing to the caller's allocator. */
#define N_BUILTIN_MAX 64
static youth_indicator_info published[N_BUILTIN_MAX];
static char published_text[24 * 1024];
static size_t n_published;
static bool published_ready;
static pthread_mutex_t published_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *keep(size_t *used, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	if (*used + n > sizeof published_text)
		return "";
	char *at = published_text + *used;
	memcpy(at, s, n);
	*used += n;
	return at;
}

static void publish(void)
{
	youth__rdefs defs = {0};
	if (youth__rdefs_builtin(&defs) == YOUTH_OK && defs.n <= N_BUILTIN_MAX) {
		size_t used = 0;
		for (size_t i = 0; i < defs.n; i++) {
			youth_indicator_info *o = &published[i];
			*o = defs.d[i].info;
			o->name = keep(&used, o->name);
			o->label = keep(&used, o->label);
			o->doc = keep(&used, o->doc);
			o->programme = keep(&used, o->programme);
		}
		n_published = defs.n;
		published_ready = true;
	}
	youth__rdefs_free(&defs);
}

const youth_indicator_info *youth_indicator_next(const youth_indicator_info *prev)
{
	pthread_mutex_lock(&published_lock);
	if (!published_ready)
		publish();
	pthread_mutex_unlock(&published_lock);
	if (!prev)
		return n_published ? &published[0] : NULL;
	if (prev < published || prev >= published + n_published)
		return NULL;
	size_t i = (size_t)(prev - published) + 1;
	return i < n_published ? &published[i] : NULL;
}

int youth_indicators_check(size_t *count, const char *path)
{
	if (count)
		*count = 0;
	if (!path)
		return youth__error(YOUTH_EINVAL, NULL, "youth_indicators_check: NULL path");
	youth__rdefs defs = {0};
	int rc = youth__rdefs_builtin(&defs);
	size_t builtins = defs.n;
	if (rc == YOUTH_OK)
		rc = youth__rdefs_load(&defs, path, NULL, 0, NULL);
	if (rc == YOUTH_OK && count)
		*count = defs.n - builtins;
	youth__rdefs_free(&defs);
	return rc;
}
