/*
 * person.c - `youth person add|show|list|search|edit|delete` (show adds the timeline,
 * delete --cascade the person's services).
 *
 * Every field of a person in the library's description (youth/kind.h) is an option, named as
 * the field with '_' written '-', and maps to youth_record_set_field(), so the rules stay in
 * the library: the tool only parses options.  The columns of the output are the same fields.
 */
#define _POSIX_C_SOURCE 200809L

#include "records.h"

#include <stdlib.h>
#include <string.h>

/* Most fields a person may have (the description has 21). */
#define MAX_PERSON_FIELDS 40
#define NFIELDOPTS MAX_PERSON_FIELDS


#define FIELD_BUF 32

/* ---- shared helpers ---------------------------------------------------------------------- */

/* The library's description of a person (static data: never freed). */
static const youth_kind_info *person_kind(void)
{
	return youth_kind_find("person");
}

/* Applies one "--field value" to the person @p p (rec_each_field()); prints the library's
 * message on failure. */
static int set_field(void *p, const char *field, const char *value)
{
	int rc = youth_record_set_field(person_kind(), p, field, value);
	return rc == YOUTH_OK ? CLI_OK : cli_fail(rc);
}

/* Reads the person named by @p key: an integer id or a UUID. */
static int get_person(youth_person **out, youth_registry *reg, const char *key)
{
	int rc;

	/* A DUI (NNNNNNNN-C) names a person too: `youth person show 06397166-8`. */
	if (strlen(key) == 10 && key[8] == '-' && strspn(key, "0123456789") == 8 &&
	    key[9] >= '0' && key[9] <= '9') {
		rc = youth_person_get_by_national_id(out, reg, key);
	} else if (cli_is_digits(key)) {
		long long id;
		if (cli_parse_int(key, INT64_MAX, &id) != 0)
			return cli_failf("person id '%s' is too large", key);
		rc = youth_person_get(out, reg, (int64_t)id);
	} else {
		rc = youth_person_get_by_uuid(out, reg, key);
	}
	return rc == YOUTH_OK ? CLI_OK : cli_fail(rc);
}

/* ---- record output ----------------------------------------------------------------------- */


/*
 * The columns of person output.  The table shows a summary (id, name, sex, birth date, age,
 * district/community); CSV and JSON carry every field in canonical order, then the age.
 */
typedef struct person_cols {
	out_column *cols;
	size_t ncols;
	size_t nfields;
	const char **values;
	char *bufs;       /* FIELD_BUF bytes per field */
	char *name;       /* "given first second" */
	size_t namecap;
	char age[16];
} person_cols;

enum { PC_ID, PC_NAME, PC_SEX, PC_BIRTH, PC_AGE, PC_PLACE, PC_TABLE_END };

static int person_cols_init(person_cols *pc, int record)
{
	size_t i, n;

	memset(pc, 0, sizeof(*pc));
	pc->nfields = person_kind()->n_fields;
	if (record) {
		/* show: every field, then the age, in all formats */
		pc->ncols = pc->nfields + 1;
	} else {
		pc->ncols = PC_TABLE_END + (pc->nfields - 1) + 1;
	}
	pc->cols = calloc(pc->ncols, sizeof(*pc->cols));
	pc->values = calloc(pc->ncols, sizeof(*pc->values));
	pc->bufs = malloc(pc->nfields * FIELD_BUF);
	if (!pc->cols || !pc->values || !pc->bufs)
		return -1;

	n = 0;
	if (!record) {
		static const out_column table_cols[PC_TABLE_END] = {
			{"id", OUT_INT, OUT_EVERYWHERE},
			{"name", OUT_STR, OUT_IN_TABLE},
			{"sex", OUT_STR, OUT_IN_TABLE},
			{"birth_date", OUT_STR, OUT_IN_TABLE},
			{"age", OUT_INT, OUT_IN_TABLE},
			{"place", OUT_STR, OUT_IN_TABLE},
		};
		for (i = 0; i < PC_TABLE_END; i++)
			pc->cols[n++] = table_cols[i];
	}
	for (i = 0; i < pc->nfields; i++) {
		const youth_field_info *f = &person_kind()->fields[i];
		if (!record && f->type == YOUTH_FIELD_ID)
			continue;
		pc->cols[n].name = f->name;
		pc->cols[n].type = rec_column_type(f);
		pc->cols[n].where = record ? OUT_EVERYWHERE : OUT_IN_MACHINE;
		n++;
	}
	pc->cols[n].name = "age";
	pc->cols[n].type = OUT_INT;
	pc->cols[n].where = record ? OUT_EVERYWHERE : OUT_IN_MACHINE;
	n++;
	pc->ncols = n;
	return 0;
}

static void person_cols_free(person_cols *pc)
{
	free(pc->cols);
	free(pc->values);
	free(pc->bufs);
	free(pc->name);
}

/* "sonsonate/sonsonate-centro/sonzacate/santa-eugenia" -> "sonzacate/santa-eugenia" */
static const char *short_place(const char *path)
{
	const char *last, *p;

	if (!path)
		return NULL;
	last = strrchr(path, '/');
	if (!last)
		return path;
	for (p = last; p > path; p--)
		if (p[-1] == '/')
			return p;
	return path;
}

static int person_values(person_cols *pc, const youth_person *p, const char *at, int record)
{
	size_t i, n = 0, need;
	int age;
	const char *agetext = NULL;

	if (p->birth_date && at && youth_age_at(&age, p->birth_date, at) == YOUTH_OK) {
		snprintf(pc->age, sizeof(pc->age), "%d", age);
		agetext = pc->age;
	}
	if (!record) {
		need = strlen(p->given_names ? p->given_names : "") +
		       strlen(p->first_surname ? p->first_surname : "") +
		       strlen(p->second_surname ? p->second_surname : "") + 3;
		if (need > pc->namecap) {
			char *name = realloc(pc->name, need);
			if (!name)
				return -1;
			pc->name = name;
			pc->namecap = need;
		}
		snprintf(pc->name, pc->namecap, "%s %s%s%s", p->given_names ? p->given_names : "",
		         p->first_surname ? p->first_surname : "", p->second_surname ? " " : "",
		         p->second_surname ? p->second_surname : "");
		snprintf(pc->bufs, FIELD_BUF, "%lld", (long long)p->id);
		pc->values[n++] = pc->bufs;
		pc->values[n++] = pc->name;
		pc->values[n++] = youth_sex_name(p->sex);
		pc->values[n++] = p->birth_date;
		pc->values[n++] = agetext;
		pc->values[n++] = short_place(p->place);
	}
	const youth_kind_info *kind = person_kind();
	for (i = 0; i < pc->nfields; i++) {
		const char *name = kind->fields[i].name;
		const char *v = NULL;
		if (!record && kind->fields[i].type == YOUTH_FIELD_ID)
			continue;
		if (youth_record_get_field(&v, kind, p, name, pc->bufs + i * FIELD_BUF,
		                           FIELD_BUF) !=
		    YOUTH_OK)
			v = NULL;
		pc->values[n++] = v;
	}
	pc->values[n++] = agetext;
	return 0;
}

/* The one operand of show, edit and delete. */
static int person_operand(const cli_command *cmd, int argc, char **argv)
{
	return cli_operands(cmd, argc, argv, 1, "person id, UUID or DUI", NULL);
}

/* ---- person add -------------------------------------------------------------------------- */

int cmd_person_add(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	cli_args a;
	youth_person p;
	youth_registry *reg = NULL;
	char today[YOUTH_DATE_LEN + 1];
	int status = CLI_OK, rc;

	youth_person_init(&p);
	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE)
		return status;
	if (rec_each_field(&a, person_kind(), NULL, set_field, &p) != CLI_OK)
		return CLI_FAIL;
	int force = cli_flag(&a, "force");
	unsigned flags = cli_bit(&a, "allow-age", YOUTH_PERSON_ALLOW_AGE);
	if ((status = cli_operands(cmd, argc, argv, 0, NULL, NULL)) != CLI_OK)
		return status;

	/* Defaults of a record typed in by hand. */
	cli_today(today);
	if (!p.census_date)
		p.census_date = today;
	if (!p.census_round)
		p.census_round = "manual";
	if (p.consent && !p.consent_date)
		p.consent_date = p.census_date;

	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) != CLI_OK)
		return status;
	/* "Who might this be?" before anything is written (docs/duplicates.md). */
	if (cli_similar_warn(reg, &p, force, &status) != 0) {
		youth_registry_close(reg);
		return status;
	}
	/* With --force the person and the decision (the pairs dismissed) are one transaction. */
	rc = youth_registry_begin(reg);
	if (rc == YOUTH_OK) {
		rc = youth_person_add(reg, &p, flags);
		if (rc == YOUTH_OK && force)
			rc = cli_similar_record(reg, &p);
		if (rc == YOUTH_OK)
			rc = youth_registry_commit(reg);
		else
			youth_registry_rollback(reg); /* keeps the error of the add */
	}
	status = cli_added(rc, p.id, p.uuid);
	youth_registry_close(reg);
	return status;
}

/* ---- person show ------------------------------------------------------------------------- */

/* The timeline of a person after the record (a section of `show`).  Amounts (cents) are
 * written as decimal text "150.00". */
REC_WRAP_LIST(youth_event, timeline)

REC_WRAP_OWNER_ITER(timeline_w_iter, timeline, (&x, reg, owner))

static void timeline_row(const void *rec, const char **values, char (*bufs)[48])
{
	const youth_event *e = rec;

	snprintf(bufs[0], sizeof(bufs[0]), "%lld", (long long)e->record_id);
	rec_fmt_money(bufs[1], sizeof(bufs[1]), e->amount);
	values[0] = e->date;
	values[1] = e->kind;
	values[2] = bufs[0];
	values[3] = e->uuid[0] ? e->uuid : NULL;
	values[4] = e->state;
	values[5] = e->amount != 0 ? bufs[1] : NULL;
	values[6] = e->detail;
}

static const out_column timeline_cols[] = {
	{"date", OUT_STR, OUT_EVERYWHERE},      {"kind", OUT_STR, OUT_EVERYWHERE},
	{"record_id", OUT_INT, OUT_EVERYWHERE}, {"uuid", OUT_STR, OUT_IN_MACHINE},
	{"state", OUT_STR, OUT_EVERYWHERE},     {"amount", OUT_STR, OUT_EVERYWHERE},
	{"detail", OUT_STR, OUT_EVERYWHERE},
};

static const rec_section timeline = {
	.name = "timeline", .iter_new = timeline_w_iter, .next = timeline_w_next,
	.iter_free = timeline_w_iter_free, .cols = timeline_cols,
	.ncols = sizeof(timeline_cols) / sizeof(timeline_cols[0]), .row = timeline_row,
};

int cmd_person_show(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	out_format format;
	youth_registry *reg = NULL;
	youth_person *p = NULL;
	person_cols pc;
	out_writer *w;
	char today[YOUTH_DATE_LEN + 1];
	int status = CLI_OK;

	if (rec_format_opts(ctx, cmd, argc, argv, &format, &status) == CLI_DONE)
		return status;
	if ((status = person_operand(cmd, argc, argv)) != CLI_OK)
		return status;

	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	if ((status = get_person(&p, reg, argv[optind])) != CLI_OK) {
		youth_registry_close(reg);
		return status;
	}
	cli_today(today);
	if (format == OUT_JSON)
		fputs("{\"person\": ", stdout);
	if (person_cols_init(&pc, 1) != 0 || person_values(&pc, p, today, 1) != 0 ||
	    (w = out_begin(stdout, format, pc.cols, pc.ncols, 1)) == NULL ||
	    out_row(w, pc.values) != 0 || out_end(w) != 0)
		status = cli_failf("out of memory or cannot write the output");
	person_cols_free(&pc);
	if (status == CLI_OK)
		status = rec_print_section(reg, &timeline, p->id, format);
	if (format == OUT_JSON)
		fputs("}\n", stdout);
	youth_person_free(p);
	youth_registry_close(reg);
	return status;
}

/* ---- person list / search ---------------------------------------------------------------- */

/* `person search WORDS` without filters: the ranked search of the name index, each person
 * with its rank class ("exact", "prefix", "near"), score and reasons. */
static int search_ranked(cli_ctx *ctx, const cli_command *cmd, const char *words, long limit,
                         out_format format)
{
	youth_registry *reg = NULL;
	youth_person_matches *m = NULL;
	person_cols pc;
	out_column *cols = NULL;
	const char **values = NULL;
	out_writer *w = NULL;
	char today[YOUTH_DATE_LEN + 1], score[16], reasons[160];
	int rc, status;

	cli_today(today);
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	if (person_cols_init(&pc, 0) != 0) {
		youth_registry_close(reg);
		return cli_failf("out of memory");
	}
	cols = calloc(pc.ncols + 3, sizeof(*cols));
	values = calloc(pc.ncols + 3, sizeof(*values));
	if (!cols || !values) {
		status = cli_failf("out of memory");
		goto done;
	}
	memcpy(cols, pc.cols, pc.ncols * sizeof(*cols));
	cols[pc.ncols] = (out_column){"rank", OUT_STR, OUT_EVERYWHERE};
	cols[pc.ncols + 1] = (out_column){"score", OUT_INT, OUT_EVERYWHERE};
	cols[pc.ncols + 2] = (out_column){"reasons", OUT_STR, OUT_EVERYWHERE};
	rc = youth_person_find(&m, reg, words, (size_t)limit);
	if (rc != YOUTH_OK) {
		status = cli_fail(rc);
		goto done;
	}
	w = out_begin(stdout, format, cols, pc.ncols + 3, 0);
	if (!w) {
		status = cli_failf("out of memory");
		goto done;
	}
	for (size_t i = 0; i < youth_person_matches_count(m) && status == CLI_OK; i++) {
		const youth_person_match *hit = youth_person_matches_get(m, i);
		youth_person *p = NULL;
		if ((rc = youth_person_get(&p, reg, hit->id)) != YOUTH_OK) {
			status = cli_fail(rc);
			break;
		}
		size_t o = 0;
		reasons[0] = '\0';
		for (unsigned bit = 1; bit <= 0x80u; bit <<= 1)
			if ((hit->reasons & bit) && o < sizeof(reasons))
				o += (size_t)snprintf(reasons + o, sizeof(reasons) - o, "%s%s", o ? "," : "",
				                      youth_name_reason_name(bit));
		snprintf(score, sizeof(score), "%d", hit->score);
		if (person_values(&pc, p, today, 0) != 0) {
			status = cli_failf("out of memory");
		} else {
			memcpy(values, pc.values, pc.ncols * sizeof(*values));
			values[pc.ncols] = youth_match_rank_name(hit->rank);
			values[pc.ncols + 1] = score;
			values[pc.ncols + 2] = reasons;
			if (out_row(w, values) != 0)
				status = cli_failf("out of memory");
		}
		youth_person_free(p);
	}
	if (out_end(w) != 0 && status == CLI_OK)
		status = cli_failf("cannot write the output");
done:
	youth_person_matches_free(m);
	free(cols);
	free(values);
	person_cols_free(&pc);
	youth_registry_close(reg);
	return status;
}

REC_WRAP_LIST(youth_person, person)

/* A row of a listing: the person's columns at a date. */
typedef struct person_out {
	person_cols *pc;
	const char *at;
	out_writer *w;
} person_out;

static int person_row(void *arg, const void *rec)
{
	person_out *o = arg;

	if (person_values(o->pc, rec, o->at, 0) != 0)
		return -1;
	return out_row(o->w, o->pc->values) != 0 ? -1 : 0;
}

static int list_persons(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, int search)
{
	youth_person_filter filter;
	long long limit = 0;
	int filtered = 0;
	cli_args a;
	out_format format;
	youth_registry *reg = NULL;
	youth_person_iter *it = NULL;
	person_cols pc;
	out_writer *w = NULL;
	char today[YOUTH_DATE_LEN + 1];
	char *words = NULL;
	long long n;
	int rc, status = CLI_OK;

	memset(&filter, 0, sizeof(filter));	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE ||
	    rec_format_arg(&a, &format, &status) == CLI_DONE)
		return status;
	static const char *const filters[] = {"place", "sex", "age-min", "age-max", "age-at",
	                                      "census-round"};
	for (size_t f = 0; f < sizeof filters / sizeof filters[0]; f++)
		filtered |= cli_flag(&a, filters[f]);
	const char *v = cli_arg(&a, "limit");
	if (v && (cli_parse_int(v, 1000, &limit) != 0 || limit < 1))
		return cli_usage(cmd, "--limit: '%s' is not a number of results (1-1000)", v);
	filter.place = cli_arg(&a, "place");
	filter.age_at = cli_arg(&a, "age-at");
	filter.census_round = cli_arg(&a, "census-round");
	if ((v = cli_arg(&a, "sex"))) {
		youth_person tmp;
		youth_person_init(&tmp);
		if ((rc = youth_person_set_field(&tmp, "sex", v)) != YOUTH_OK)
			return cli_fail(rc);
		filter.sex = tmp.sex;
	}
	for (int m = 0; m < 2; m++) {
		const char *opt = m ? "age-max" : "age-min";
		if (!(v = cli_arg(&a, opt)))
			continue;
		if (cli_parse_int(v, 200, &n) != 0)
			return cli_usage(cmd, "--%s: '%s' is not an age", opt, v);
		*(m ? &filter.age_max : &filter.age_min) = (int)n;
	}
	if (search) {
		size_t len = 0;
		int i;
		if (optind >= argc)
			return cli_usage(cmd, "missing words to search for");
		for (i = optind; i < argc; i++)
			len += strlen(argv[i]) + 1;
		words = malloc(len);
		if (!words)
			return cli_failf("out of memory");
		words[0] = '\0';
		for (i = optind; i < argc; i++) {
			if (i > optind)
				strcat(words, " ");
			strcat(words, argv[i]);
		}
		filter.name = words;
		if (!filtered) {
			status = search_ranked(ctx, cmd, words, (long)limit, format);
			free(words);
			return status;
		}
	} else if ((status = cli_operands(cmd, argc, argv, 0, NULL, NULL)) != CLI_OK) {
		return status;
	}

	cli_today(today);
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK) {
		free(words);
		return status;
	}
	if (person_cols_init(&pc, 0) != 0) {
		status = cli_failf("out of memory");
		goto done;
	}
	rc = youth_person_iter_new(&it, reg, &filter);
	if (rc != YOUTH_OK) {
		status = cli_fail(rc);
		goto done;
	}
	w = out_begin(stdout, format, pc.cols, pc.ncols, 0);
	if (!w) {
		status = cli_failf("out of memory");
		goto done;
	}
	person_out o = {&pc, filter.age_at ? filter.age_at : today, w};
	status = rec_write_rows(w, it, person_w_next, person_row, &o);
done:
	person_w_iter_free(it);
	person_cols_free(&pc);
	youth_registry_close(reg);
	free(words);
	return status;
}

REC_CMD(cmd_person_list, list_persons, 0)
REC_CMD(cmd_person_search, list_persons, 1)

/* ---- person edit ------------------------------------------------------------------------- */

int cmd_person_edit(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	cli_args a;
	size_t nset = 0;
	youth_registry *reg = NULL;
	youth_person *p = NULL;
	int rc, status = CLI_OK;

	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE)
		return status;
	if ((status = person_operand(cmd, argc, argv)) != CLI_OK)
		return status;
	rec_each_field(&a, person_kind(), NULL, rec_count_field, &nset);
	if (nset == 0)
		return cli_usage(cmd, "nothing to change: give at least one --FIELD VALUE");
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) != CLI_OK)
		return status;
	if ((status = get_person(&p, reg, argv[optind])) != CLI_OK ||
	    (status = rec_each_field(&a, person_kind(), NULL, set_field, p)) != CLI_OK)
		goto out;
	/* Consent withdrawn without a date: the old date of consent no longer holds. */
	if (cli_flag(&a, "consent") && !p->consent && !cli_flag(&a, "consent-date"))
		p->consent_date = NULL;
	rc = youth_person_update(reg, p, cli_bit(&a, "allow-age", YOUTH_PERSON_ALLOW_AGE));
	if (rc != YOUTH_OK)
		status = cli_fail(rc);
out:
	youth_person_free(p);
	youth_registry_close(reg);
	return status;
}

/* ---- person delete ----------------------------------------------------------------------- */

int cmd_person_delete(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_registry *reg = NULL;
	youth_person *p = NULL;
	int64_t removed = 0;
	cli_args a;
	int rc, cascade, status = CLI_OK;

	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE)
		return status;
	cascade = cli_flag(&a, "cascade");
	if ((status = person_operand(cmd, argc, argv)) != CLI_OK)
		return status;
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) != CLI_OK)
		return status;
	if ((status = get_person(&p, reg, argv[optind])) == CLI_OK) {
		if (cascade) {
			rc = youth_person_delete_cascade(&removed, reg, p->id);
			if (rc == YOUTH_OK)
				printf("%lld records deleted\n", (long long)removed);
		} else {
			rc = youth_person_delete(reg, p->id);
		}
		if (rc != YOUTH_OK)
			status = cli_fail(rc);
	}
	youth_person_free(p);
	youth_registry_close(reg);
	return status;
}

/* ---- person reindex ---------------------------------------------------------------------- */

int cmd_person_reindex(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv)
{
	youth_registry *reg = NULL;
	int64_t persons = 0;
	int rc, status = CLI_OK;

	rec_cmdline c;
	if (rec_start(ctx, cmd, argc, argv, YOUTH_OPEN_DEFAULT, REF_NONE, NULL, &c, &status) ==
	    CLI_DONE)
		return status;
	reg = c.reg;
	rc = youth_name_index_rebuild(&persons, reg);
	if (rc == YOUTH_OK)
		printf("%lld persons indexed\n", (long long)persons);
	else
		status = cli_fail(rc);
	youth_registry_close(reg);
	return status;
}
