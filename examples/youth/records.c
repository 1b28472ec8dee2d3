/*
 * records.c - generic add/show/list/edit over the record kinds of records.h.
 */
#define _POSIX_C_SOURCE 200809L

#include "records.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 24
#define MAX_COLS (MAX_FIELDS + REC_MAX_EXTRA)

/* ---- resolving ids, codes and UUIDs -------------------------------------------------------- */

/* The kind of the library's description each reference names (youth_record_lookup()). */
static const char *const ref_kinds[] = {
	[REF_EXCHANGE] = "exchange",   [REF_OPERATOR] = "operator",
	[REF_COURSE] = "course",       [REF_COHORT] = "cohort",
	[REF_PERSON] = "person",       [REF_ENROLLMENT] = "enrollment",
	[REF_ORGANISATION] = "organisation", [REF_GROUP] = "group",
	[REF_PLAN] = "plan",           [REF_SESSION] = "counselling_session",
	[REF_EMPLOYER] = "employer",   [REF_SCHOLARSHIP] = "scholarship",
};

/* The vocabularies an option names by word (a window, a plan state, an organisation type):
 * the library's naming function, and the words for the refusal. */
static const struct {
	rec_ref ref;
	const char *(*name)(int);
	const char *what;
} ref_vocabs[] = {
	{REF_WINDOW, youth_window_name, "a window (youth_seed, female_window)"},
	{REF_PLAN_STATE, youth_plan_state_name, "a plan state (draft, submitted, appraised, "
	                                        "approved, rejected, funded, operating, closed)"},
	{REF_ORG_TYPE, youth_organisation_type_name, "an organisation type (exchange, conamype, "
	                                             "centre, training_provider)"},
};

/* The one resolver of every option and operand that names a record: the library looks the key
 * up, so an id that names no record is refused here, before anything is written or listed. */
int rec_resolve(youth_registry *reg, rec_ref ref, const char *field, const char *text,
                int64_t *id)
{
	*id = 0;
	for (size_t v = 0; v < sizeof ref_vocabs / sizeof ref_vocabs[0]; v++) {
		if (ref_vocabs[v].ref != ref)
			continue;
		const char *name;
		for (int w = 1; (name = ref_vocabs[v].name(w)) != NULL; w++)
			if (strcmp(name, text) == 0) {
				*id = w;
				return CLI_OK;
			}
		return cli_failf("%s \"%s\": not %s", field, text, ref_vocabs[v].what);
	}
	const char *kind = (size_t)ref < sizeof ref_kinds / sizeof ref_kinds[0] ? ref_kinds[ref]
	                                                                         : NULL;
	if (!kind) {
		if (cli_is_digits(text) && cli_parse_id(text, id) == 0)
			return CLI_OK;
		return cli_failf("%s \"%s\": not a record id (a positive integer)", field, text);
	}
	int rc = youth_record_lookup(id, reg, kind, text);
	if (rc == YOUTH_OK)
		return CLI_OK;
	const youth_error *e = youth_error_last();
	if (rc == YOUTH_EBUSY || !e || !e->message[0])
		return cli_fail(rc);
	return cli_failf("%s: %s", field, e->message);
}

/* How the option of a reference field names its record: a reference to an exchange takes an
 * id or a code... (the kinds not listed take an id, under the field's own name). */
static rec_ref field_ref(const youth_field_info *f)
{
	static const struct {
		const char *kind;
		rec_ref ref;
	} refs[] = {{"exchange", REF_EXCHANGE},   {"course", REF_COURSE},
	            {"cohort", REF_COHORT},       {"person", REF_PERSON},
	            {"operator", REF_OPERATOR},   {"organisation", REF_ORGANISATION},
	            {"group", REF_GROUP},         {"plan", REF_PLAN},
	            {"counselling_session", REF_SESSION}, {"employer", REF_EMPLOYER},
	            {"scholarship", REF_SCHOLARSHIP}, {"enrollment", REF_ENROLLMENT}};

	if (!f || f->type != YOUTH_FIELD_REF || !f->refers_to)
		return REF_NONE;
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
		if (strcmp(f->refers_to, refs[i].kind) == 0)
			return refs[i].ref;
	return REF_NONE;
}

/* ---- the kind of a rec_ops ----------------------------------------------------------------- */

/* The library's description of the records of @p ops (static data: never freed). */
static const youth_kind_info *ops_kind(const rec_ops *ops)
{
	return youth_kind_find(ops->record);
}

static int ops_set(const rec_ops *ops, void *rec, const char *field, const char *text)
{
	return youth_record_set_field(ops_kind(ops), rec, field, text);
}

/* ---- field options ------------------------------------------------------------------------- */

/* The field of @p kind that option @p option sets: `--opened-date` sets opened_date, and a
 * reference `--exchange` sets exchange_id; NULL for an option that is no field (--force). */
static const char *option_field(const youth_kind_info *kind, const char *option,
                                const char *const *renames)
{
	char name[48];
	size_t k;

	for (; renames && renames[0]; renames += 2)
		if (strcmp(renames[0], option) == 0)
			return renames[1];

	for (k = 0; option[k] && k + 4 < sizeof name; k++)
		name[k] = option[k] == '-' ? '_' : option[k];
	name[k] = '\0';
	const youth_field_info *f = youth_kind_field(kind, name);
	if (f && f->type != YOUTH_FIELD_ID)
		return f->name;
	strcpy(name + k, "_id");
	f = youth_kind_field(kind, name);
	return f && field_ref(f) != REF_NONE ? f->name : NULL;
}

int rec_count_field(void *arg, const char *field, const char *value)
{
	(void)field;
	(void)value;
	++*(size_t *)arg;
	return CLI_OK;
}

int rec_each_field(const cli_args *a, const youth_kind_info *kind, const char *const *renames,
                   int (*fn)(void *arg, const char *field, const char *value), void *arg)
{
	int status = CLI_OK;

	for (size_t i = 0; i < a->cmd->nopts && status == CLI_OK; i++) {
		const char *field = a->value[i] && a->cmd->opts[i].value
		                            ? option_field(kind, a->cmd->opts[i].name, renames)
		                            : NULL;
		if (field)
			status = fn(arg, field, a->value[i]);
	}
	return status;
}

/* What apply_field() needs besides the field and its value (rec_each_field()). */
typedef struct field_target {
	youth_registry *reg;
	const rec_ops *ops;
	void *rec;
} field_target;

/* Applies "--field value": resolves references, then youth_record_set_field(). */
static int apply_field(void *arg, const char *field, const char *value)
{
	const field_target *t = arg;
	youth_registry *reg = t->reg;
	const rec_ops *ops = t->ops;
	void *rec = t->rec;
	rec_ref ref = field_ref(youth_kind_field(ops_kind(ops), field));
	char buf[32];
	int rc, status;

	if (ref != REF_NONE && value[0]) {
		int64_t id;
		if ((status = rec_resolve(reg, ref, field, value, &id)) != CLI_OK)
			return status;
		snprintf(buf, sizeof(buf), "%lld", (long long)id);
		value = buf;
	}
	rc = ops_set(ops, rec, field, value);
	return rc == YOUTH_OK ? CLI_OK : cli_fail(rc);
}

int rec_opts_parse(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                   const rec_opt *f, size_t n, const char **values, int *status)
{
	cli_args a;

	if (cli_parse(ctx, cmd, argc, argv, &a, status) == CLI_DONE)
		return CLI_DONE;
	for (size_t i = 0; i < n && i < REC_OPTS_MAX; i++)
		values[i] = cli_arg(&a, f[i].option);
	return CLI_OK;
}

/* Without @p reg, only the plain options: references wait for the registry. */
static int opts_apply(youth_registry *reg, const rec_ops *ops, void *rec, const rec_opt *f,
                      size_t n, const char *const *values)
{
	char buf[32];
	int64_t id;
	int rc, status;

	for (size_t i = 0; i < n; i++) {
		const char *v = values[i];
		if (!v || (!reg && f[i].ref != REF_NONE))
			continue;
		if (f[i].ref != REF_NONE && v[0]) {
			if ((status = rec_resolve(reg, f[i].ref, f[i].field, v, &id)) != CLI_OK)
				return status;
			snprintf(buf, sizeof(buf), "%lld", (long long)id);
			v = buf;
		}
		if ((rc = ops_set(ops, rec, f[i].field, v)) != YOUTH_OK)
			return cli_fail(rc);
	}
	return CLI_OK;
}

int rec_opts_apply(youth_registry *reg, const rec_ops *ops, void *rec, const rec_opt *f,
                   size_t n, const char *const *values)
{
	return opts_apply(reg, ops, rec, f, n, values);
}

int rec_opts_set(const rec_ops *ops, void *rec, const rec_opt *f, size_t n,
                 const char *const *values)
{
	return opts_apply(NULL, ops, rec, f, n, values);
}

/* A new record of @p ops, initialised (NULL when out of memory; the caller frees it). */
static void *new_record(const rec_ops *ops)
{
	const youth_kind_info *kind = ops_kind(ops);
	void *rec = kind ? calloc(1, kind->struct_size) : NULL;

	if (rec)
		youth_record_init(kind, rec);
	return rec;
}

/* Every add prints the same line, so that scripts read any of them alike: the add of @p rec
 * returned @p rc. */
static int print_added(const rec_ops *ops, void *rec, int rc)
{
	char idbuf[32], ubuf[64];
	const char *id = NULL, *uuid = NULL;

	if (rc != YOUTH_OK)
		return cli_fail(rc);
	youth_record_get_field(&id, ops_kind(ops), rec, "id", idbuf, sizeof(idbuf));
	youth_record_get_field(&uuid, ops_kind(ops), rec, "uuid", ubuf, sizeof(ubuf));
	printf("%s %s\n", id ? id : "?", uuid ? uuid : "");
	return CLI_OK;
}

static int add_print(youth_registry *reg, const rec_ops *ops, void *rec)
{
	return print_added(ops, rec, ops->add(reg, rec));
}

int rec_cmd_add_form(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                     const rec_add_form *f)
{
	cli_args a;
	youth_registry *reg = NULL;
	void *rec;
	int status = CLI_OK;

	if (cli_parse_operands(ctx, cmd, argc, argv, &a, 0, NULL, NULL, &status) == CLI_DONE)
		return status;
	if (f->one_of[0] && cli_flag(&a, f->one_of[0]) == cli_flag(&a, f->one_of[1]))
		return cli_usage(cmd, "give one of --%s and --%s", f->one_of[0], f->one_of[1]);
	if (f->need_operator && !cli_flag(&a, "operator"))
		return cli_usage(cmd, "missing --operator ID");
	if (!(rec = new_record(f->ops)))
		return cli_failf("out of memory");
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) == CLI_OK &&
	    (status = rec_set_fields(reg, f->ops, rec, &a, f->renames)) == CLI_OK)
		status = add_print(reg, f->ops, rec);
	youth_registry_close(reg);
	free(rec);
	return status;
}

int rec_set_fields(youth_registry *reg, const rec_ops *ops, void *rec, const cli_args *a,
                   const char *const *renames)
{
	field_target t = {reg, ops, rec};

	return rec_each_field(a, ops_kind(ops), renames, apply_field, &t);
}

int rec_add_operator(cli_ctx *ctx, const cli_command *cmd, const rec_ops *ops, void *rec,
                     const rec_opt *f, size_t n, const char *const *values, size_t op)
{
	youth_registry *reg = NULL;
	char buf[32];
	int64_t id;
	int rc, status;

	if ((status = rec_opts_set(ops, rec, f, n, values)) != CLI_OK)
		return status;
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) != CLI_OK)
		return status;
	/* The other references (a group, a plan, an employer) need the registry too. */
	for (size_t i = 0; i < n && status == CLI_OK; i++)
		if (i != op && f[i].ref != REF_NONE)
			status = opts_apply(reg, ops, rec, &f[i], 1, &values[i]);
	if (status == CLI_OK &&
	    (status = rec_resolve(reg, REF_OPERATOR, "operator_id", values[op], &id)) == CLI_OK) {
		snprintf(buf, sizeof(buf), "%lld", (long long)id);
		if ((rc = ops_set(ops, rec, "operator_id", buf)) != YOUTH_OK)
			status = cli_fail(rc);
		else
			status = add_print(reg, ops, rec);
	}
	youth_registry_close(reg);
	return status;
}

int rec_cmd_add_child(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                      const rec_child *c)
{
	/* The operand is one more reference, resolved with the options once the file is open. */
	rec_opt opts[REC_OPTS_MAX + 1];
	const char *values[REC_OPTS_MAX + 1] = {NULL};
	char today[YOUTH_DATE_LEN + 1];
	void *rec;
	int status = CLI_OK;

	if (rec_opts_parse(ctx, cmd, argc, argv, c->opts, c->nopts, values, &status) == CLI_DONE)
		return status;
	if ((status = rec_one_operand(cmd, argc, argv, c->owner)) != CLI_OK)
		return status;
	if (!values[c->op])
		return cli_usage(cmd, "missing --operator ID");
	if (c->date >= 0)
		values[c->date] = cli_date_or_today(values[c->date], today);
	memcpy(opts, c->opts, c->nopts * sizeof(opts[0]));
	opts[c->nopts] = (rec_opt){NULL, c->owner_field, c->owner_ref};
	values[c->nopts] = argv[optind];
	if (!(rec = new_record(c->ops)))
		return cli_failf("out of memory");
	status = rec_add_operator(ctx, cmd, c->ops, rec, opts, c->nopts + 1, values, c->op);
	free(rec);
	return status;
}

int rec_application_opts(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, int n,
                         const char *all, const char *rest, rec_application *a, int *status)
{
	cli_args o;

	if (cli_parse(ctx, cmd, argc, argv, &o, status) == CLI_DONE)
		return CLI_DONE;
	a->op = cli_arg(&o, "operator");
	a->ovr_op = cli_arg(&o, "override-operator");
	a->ovr_reason = cli_arg(&o, "override-reason");
	if ((*status = cli_operands(cmd, argc, argv, n, all, rest)) != CLI_OK)
		return CLI_DONE;
	if (!a->op)
		*status = cli_usage(cmd, "missing --operator ID");
	else if ((a->ovr_op != NULL) != (a->ovr_reason != NULL))
		*status = cli_usage(cmd, "--override-operator and --override-reason go together");
	a->date = cli_date_or_today(cli_arg(&o, "date"), a->today);
	return *status == CLI_OK ? CLI_OK : CLI_DONE;
}

int rec_cmd_apply(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                  const rec_apply *ap)
{
	/* The date and the operator, then the operands: one table of values for opts_apply(). */
	rec_opt f[2 + 2] = {{NULL, "applied_date", REF_NONE}, {NULL, "operator_id", REF_OPERATOR}};
	const char *values[2 + 2];
	rec_application a;
	youth_registry *reg = NULL;
	youth_override ovr;
	void *rec;
	int status = CLI_OK;

	if (rec_application_opts(ctx, cmd, argc, argv, ap->noperands, ap->all, ap->rest, &a,
	                         &status) == CLI_DONE)
		return status;
	values[0] = a.date;
	values[1] = a.op;
	for (int i = 0; i < ap->noperands && i < 2; i++) {
		f[2 + i] = ap->operands[i];
		values[2 + i] = argv[optind + i];
	}
	size_t n = 2 + (size_t)ap->noperands;
	if (!(rec = new_record(ap->ops)))
		return cli_failf("out of memory");
	if ((status = rec_opts_set(ap->ops, rec, f, n, values)) == CLI_OK &&
	    (status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) == CLI_OK &&
	    (status = rec_override(reg, a.ovr_op, a.ovr_reason, &ovr)) == CLI_OK &&
	    (status = rec_opts_apply(reg, ap->ops, rec, f, n, values)) == CLI_OK)
		status = print_added(ap->ops, rec, ap->apply(reg, rec, a.ovr_op ? &ovr : NULL));
	free(rec);
	youth_registry_close(reg);
	return status;
}

int rec_begin(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, unsigned flags, int n,
              const char *all, const char *rest, rec_cmdline *c, int *status)
{
	c->reg = NULL;
	c->id = 0;
	if (cli_parse(ctx, cmd, argc, argv, &c->a, status) == CLI_DONE ||
	    rec_format_arg(&c->a, &c->format, status) == CLI_DONE)
		return CLI_DONE;
	if ((*status = cli_operands(cmd, argc, argv, n, all, rest)) == CLI_OK)
		*status = cli_open(ctx, cmd, flags, &c->reg);
	return *status == CLI_OK ? CLI_OK : CLI_DONE;
}

int rec_start(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, unsigned flags,
              rec_ref ref, const char *what, rec_cmdline *c, int *status)
{
	char all[64];

	snprintf(all, sizeof(all), "%s id", what ? what : "");
	if (rec_begin(ctx, cmd, argc, argv, flags, what ? 1 : 0, all, NULL, c, status) == CLI_DONE)
		return CLI_DONE;
	if (what && (*status = rec_resolve(c->reg, ref, what, argv[optind], &c->id)) != CLI_OK) {
		youth_registry_close(c->reg);
		c->reg = NULL;
		return CLI_DONE;
	}
	return CLI_OK;
}

int rec_one_operand(const cli_command *cmd, int argc, char **argv, const char *what)
{
	char all[64];

	snprintf(all, sizeof(all), "%s id", what);
	return cli_operands(cmd, argc, argv, 1, all, NULL);
}

int rec_open_operand(cli_ctx *ctx, const cli_command *cmd, unsigned flags, rec_ref ref,
                     const char *what, const char *text, youth_registry **reg, int64_t *id)
{
	int status = cli_open(ctx, cmd, flags, reg);

	if (status == CLI_OK && (status = rec_resolve(*reg, ref, what, text, id)) != CLI_OK) {
		youth_registry_close(*reg);
		*reg = NULL;
	}
	return status;
}

int rec_cmd_remove_person(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                          rec_ref owner, const char *what,
                          int (*remove)(youth_registry *reg, int64_t owner, int64_t person))
{
	youth_registry *reg = NULL;
	int64_t oid = 0, pid = 0;
	char all[64];
	int status = CLI_OK;

	if (cli_no_options(ctx, cmd, argc, argv, &status) == CLI_DONE)
		return status;
	snprintf(all, sizeof(all), "%s and PERSON", what);
	if ((status = cli_operands(cmd, argc, argv, 2, all, "PERSON")) != CLI_OK)
		return status;
	if ((status = rec_open_operand(ctx, cmd, YOUTH_OPEN_DEFAULT, owner, what, argv[optind], &reg,
	                               &oid)) != CLI_OK)
		return status;
	if ((status = rec_resolve(reg, REF_PERSON, "person_id", argv[optind + 1], &pid)) != CLI_OK) {
		youth_registry_close(reg);
		return status;
	}
	return cli_close(reg, remove(reg, oid, pid));
}

int rec_override(youth_registry *reg, const char *op, const char *reason, youth_override *ovr)
{
	memset(ovr, 0, sizeof(*ovr));
	if (!op)
		return CLI_OK;
	int status = rec_resolve(reg, REF_OPERATOR, "override operator_id", op, &ovr->operator_id);
	ovr->reason = reason;
	return status;
}

int rec_cmd_change(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                   const rec_change *ch)
{
	cli_args a;
	char today[YOUTH_DATE_LEN + 1];
	youth_registry *reg = NULL;
	int64_t id = 0;
	int rc, status = CLI_OK;

	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE)
		return status;
	/* --reason is described for the changes that take one: the others refuse it. */
	const char *values[2] = {cli_arg(&a, "date"), cli_arg(&a, "reason")};
	if ((status = rec_one_operand(cmd, argc, argv, ch->what)) != CLI_OK)
		return status;
	if (ch->reasoned && !values[1])
		return cli_usage(cmd, "missing --reason TEXT");
	if (!ch->reasoned && values[1])
		return cli_usage(cmd, "--reason is only for %s", ch->reason_for);
	if ((status = rec_open_operand(ctx, cmd, YOUTH_OPEN_DEFAULT, ch->ref, ch->what, argv[optind],
	                               &reg, &id)) != CLI_OK)
		return status;
	values[0] = cli_date_or_today(values[0], today);
	rc = ch->reasoned ? ch->reasoned(reg, id, values[0], values[1])
	                  : ch->dated(reg, id, values[0]);
	return cli_close(reg, rc);
}

int rec_format_opts(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                    out_format *format, int *status)
{
	cli_args a;

	if (cli_parse(ctx, cmd, argc, argv, &a, status) == CLI_DONE)
		return CLI_DONE;
	return rec_format_arg(&a, format, status);
}

int rec_list_opts(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, cli_args *a,
                  out_format *format, int *status)
{
	if (cli_parse(ctx, cmd, argc, argv, a, status) == CLI_DONE ||
	    rec_format_arg(a, format, status) == CLI_DONE)
		return CLI_DONE;
	return (*status = cli_operands(cmd, argc, argv, 0, NULL, NULL)) == CLI_OK ? CLI_OK
	                                                                          : CLI_DONE;
}

int rec_format_arg(const cli_args *a, out_format *format, int *status)
{
	const char *f = cli_arg(a, "format");

	*format = OUT_TABLE;
	if (f && out_parse_format(f, format) != 0) {
		*status = CLI_FORMAT_USAGE(a->cmd, f);
		return CLI_DONE;
	}
	return CLI_OK;
}

void rec_fmt_money(char *buf, size_t size, int64_t cents)
{
	long long a = cents < 0 ? -(long long)cents : (long long)cents;
	snprintf(buf, size, "%s%lld.%02lld", cents < 0 ? "-" : "", a / 100, a % 100);
}

int rec_print_amounts(out_format format, const char *const *names, const int64_t *cents,
                      size_t n)
{
	out_column cols[REC_AMOUNTS_MAX];
	char b[REC_AMOUNTS_MAX][32];
	const char *values[REC_AMOUNTS_MAX];
	out_writer *w;
	int r;

	if (n > REC_AMOUNTS_MAX)
		return cli_fail(YOUTH_ERROR);
	for (size_t i = 0; i < n; i++) {
		cols[i] = (out_column){names[i], OUT_STR, OUT_EVERYWHERE};
		rec_fmt_money(b[i], sizeof(b[i]), cents[i]);
		values[i] = b[i];
	}
	if (!(w = out_begin(stdout, format, cols, n, 1)))
		return cli_failf("out of memory or cannot write the output");
	r = out_row(w, values);
	if (out_end(w) != 0 || r != 0)
		return cli_failf("out of memory or cannot write the output");
	return CLI_OK;
}

/* ---- output -------------------------------------------------------------------------------- */

typedef struct rec_out {
	youth_registry *reg;
	const rec_ops *ops;
	const youth_kind_info *kind;
	out_column cols[MAX_COLS];
	const char *values[MAX_COLS];
	char bufs[MAX_COLS][32];
	size_t nfields, ncols;
	out_writer *w;
} rec_out;

out_type rec_column_type(const youth_field_info *f)
{
	switch (f->type) {
	case YOUTH_FIELD_ID:
	case YOUTH_FIELD_REF:
	case YOUTH_FIELD_INT:
	case YOUTH_FIELD_COUNT:
		return OUT_INT;
	case YOUTH_FIELD_BOOL:
		return OUT_BOOL;
	default:
		return OUT_STR;
	}
}

static int in_list(const char *const *list, const char *name)
{
	for (; list && *list; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

static int rec_out_begin(rec_out *ro, youth_registry *reg, const rec_ops *ops, out_format format,
                         int record)
{
	size_t i;

	memset(ro, 0, sizeof(*ro));
	ro->reg = reg;
	ro->ops = ops;
	ro->kind = ops_kind(ops);
	if (!ro->kind)
		return -1;
	for (i = 0; i < ro->kind->n_fields && ro->ncols < MAX_FIELDS; i++) {
		const char *f = ro->kind->fields[i].name;
		ro->cols[ro->ncols].name = f;
		ro->cols[ro->ncols].type = rec_column_type(&ro->kind->fields[i]);
		ro->cols[ro->ncols].where =
			record || in_list(ops->table_fields, f) ? OUT_EVERYWHERE : OUT_IN_MACHINE;
		ro->ncols++;
	}
	ro->nfields = ro->ncols;
	for (i = 0; ops->extra_names && ops->extra_names[i] && i < REC_MAX_EXTRA; i++) {
		ro->cols[ro->ncols].name = ops->extra_names[i];
		ro->cols[ro->ncols].type = ops->extra_types ? ops->extra_types[i] : OUT_INT;
		ro->cols[ro->ncols].where = OUT_EVERYWHERE;
		ro->ncols++;
	}
	ro->w = out_begin(stdout, format, ro->cols, ro->ncols, record);
	return ro->w ? 0 : -1;
}

/* Returns 0, -1 (out of memory) or -2 (the library failed): a row of rec_write_rows(). */
static int rec_out_row(void *arg, const void *rec)
{
	rec_out *ro = arg;
	const rec_ops *ops = ro->ops;
	size_t i;

	for (i = 0; i < ro->nfields; i++)
		if (youth_record_get_field(&ro->values[i], ro->kind, rec, ro->cols[i].name,
		                           ro->bufs[i], sizeof(ro->bufs[i])) != YOUTH_OK)
			ro->values[i] = NULL;
	if (ops->extras) {
		for (i = ro->nfields; i < ro->ncols; i++)
			ro->values[i] = NULL;
		if (ops->extras(ro->reg, rec, ro->values + ro->nfields, ro->bufs + ro->nfields) !=
		    YOUTH_OK)
			return -2;
	}
	return out_row(ro->w, ro->values) != 0 ? -1 : 0;
}

int rec_write_rows(out_writer *w, void *it, int (*next)(const void **, void *),
                   int (*row)(void *arg, const void *rec), void *arg)
{
	const void *rec;
	int rc, r, status = CLI_OK;

	while ((rc = next(&rec, it)) == YOUTH_OK) {
		if ((r = row(arg, rec)) != 0) {
			status = r == -2 ? cli_fail(YOUTH_ERROR) : cli_failf("out of memory");
			break;
		}
	}
	if (status == CLI_OK && rc != YOUTH_ITEROVER)
		status = cli_fail(rc);
	if (out_end(w) != 0 && status == CLI_OK)
		status = cli_failf("cannot write the output");
	return status;
}

typedef struct kind_out {
	const youth_kind_info *kind;
	out_writer *w;
} kind_out;

static int kind_row(void *arg, const void *rec)
{
	kind_out *o = arg;
	const char *values[16];
	char bufs[16][32];

	for (size_t i = 0; i < o->kind->n_fields; i++)
		if (youth_record_get_field(&values[i], o->kind, rec, o->kind->fields[i].name, bufs[i],
		                           sizeof bufs[i]) != YOUTH_OK)
			return -2;
	return out_row(o->w, values) == 0 ? 0 : -1;
}

/* @record: one record (show), every field in every format. */
static int write_kind(const char *kind, out_format format, const char *const *machine_only,
                      void *it, int (*next)(const void **, void *), int record)
{
	out_column cols[16];
	kind_out o = {youth_kind_find(kind), NULL};

	if (!o.kind || o.kind->n_fields > 16)
		return cli_fail(YOUTH_ERROR);
	for (size_t i = 0; i < o.kind->n_fields; i++)
		cols[i] = (out_column){o.kind->fields[i].name, rec_column_type(&o.kind->fields[i]),
		                       !record && in_list(machine_only, o.kind->fields[i].name)
		                               ? OUT_IN_MACHINE
		                               : OUT_EVERYWHERE};
	if (!(o.w = out_begin(stdout, format, cols, o.kind->n_fields, record)))
		return cli_failf("out of memory");
	return rec_write_rows(o.w, it, next, kind_row, &o);
}

int rec_write_kind(const char *kind, out_format format, const char *const *machine_only,
                   void *it, int (*next)(const void **, void *))
{
	return write_kind(kind, format, machine_only, it, next, 0);
}

int rec_write_list(youth_registry *reg, int rc, const char *kind, out_format format,
                   const char *const *machine_only, void *it,
                   int (*next)(const void **, void *), void (*iter_free)(void *))
{
	int status = rc == YOUTH_OK ? rec_write_kind(kind, format, machine_only, it, next)
	                            : cli_fail(rc);

	iter_free(it);
	youth_registry_close(reg);
	return status;
}

/* The iteration of one record: it, then the end. */
static int one_next(const void **out, void *it)
{
	const void **one = it;

	if (!*one)
		return YOUTH_ITEROVER;
	*out = *one;
	*one = NULL;
	return YOUTH_OK;
}

int rec_write_kind_one(const char *kind, out_format format, const void *rec)
{
	return write_kind(kind, format, NULL, &rec, one_next, 1);
}

int rec_print(youth_registry *reg, const rec_ops *ops, const void *rec, out_format format)
{
	rec_out ro;
	int rc;

	if (rec_out_begin(&ro, reg, ops, format, 1) != 0)
		return cli_failf("out of memory");
	rc = rec_out_row(&ro, rec);
	if (out_end(ro.w) != 0 && rc == 0)
		return cli_failf("cannot write the output");
	if (rc == -2)
		return cli_fail(YOUTH_ERROR);
	if (rc != 0)
		return cli_failf("out of memory");
	return CLI_OK;
}

typedef struct section_out {
	const rec_section *s;
	const youth_kind_info *kind;
	out_column cols[REC_SECTION_COLS];
	const char *values[REC_SECTION_COLS];
	char bufs[REC_SECTION_COLS][48];
	size_t ncols;
	out_writer *w;
} section_out;

static int section_row(void *arg, const void *rec)
{
	section_out *so = arg;
	size_t i;

	if (so->s->row)
		so->s->row(rec, so->values, so->bufs);
	else
		for (i = 0; i < so->ncols; i++)
			if (youth_record_get_field(&so->values[i], so->kind, rec, so->cols[i].name,
			                           so->bufs[i], sizeof(so->bufs[i])) != YOUTH_OK)
				so->values[i] = NULL;
	return out_row(so->w, so->values) != 0 ? -1 : 0;
}

/* @lead: the section follows a record (a heading, a blank line, a JSON member). */
static int print_section(youth_registry *reg, const rec_section *s, int64_t owner,
                         out_format format, bool lead);

int rec_print_section(youth_registry *reg, const rec_section *s, int64_t owner,
                      out_format format)
{
	return print_section(reg, s, owner, format, true);
}

int rec_print_rows(youth_registry *reg, const rec_section *s, int64_t owner, out_format format)
{
	return print_section(reg, s, owner, format, false);
}

static int print_section(youth_registry *reg, const rec_section *s, int64_t owner,
                         out_format format, bool lead)
{
	section_out so;
	const out_column *cols = so.cols;
	void *it = NULL;
	size_t i;
	int rc, status;

	if (s->print)
		return s->print(reg, owner, format);
	so.s = s;
	so.kind = NULL;
	so.ncols = 0;
	if (s->cols) {
		cols = s->cols;
		so.ncols = s->ncols;
	} else if (!(so.kind = youth_kind_find(s->record))) {
		return cli_fail(youth_error_last()->code);
	} else if (s->fields) {
		for (i = 0; s->fields[i] && so.ncols < REC_SECTION_COLS; i++) {
			const youth_field_info *f = youth_kind_field(so.kind, s->fields[i]);
			if (!f)
				return cli_fail(YOUTH_ERROR);
			so.cols[so.ncols++] =
				(out_column){f->name, rec_column_type(f), OUT_EVERYWHERE};
		}
	} else {
		for (i = 0; i < so.kind->n_fields && so.ncols < REC_SECTION_COLS; i++) {
			const youth_field_info *f = &so.kind->fields[i];
			out_column *c = &so.cols[so.ncols++];
			c->name = f->name;
			/* Ids and references are integers; the other numbers of a section are text. */
			c->type = f->type == YOUTH_FIELD_ID || f->type == YOUTH_FIELD_REF ? OUT_INT
			                                                                  : OUT_STR;
			c->where = in_list(s->machine_only, f->name) ? OUT_IN_MACHINE : OUT_EVERYWHERE;
		}
	}
	if ((rc = s->iter_new(&it, reg, owner)) != YOUTH_OK)
		return cli_fail(rc);
	/* The section goes on the record the caller printed: JSON is inside its object. */
	if (!lead)
		;
	else if (format == OUT_JSON)
		printf(", \"%s\": ", s->name);
	else if (format == OUT_CSV)
		fputs("\r\n", stdout);
	else
		printf("\n%s:\n", s->name);
	if (!(so.w = out_begin(stdout, format, cols, so.ncols, 0))) {
		s->iter_free(it);
		return cli_failf("out of memory");
	}
	status = rec_write_rows(so.w, it, s->next, section_row, &so);
	s->iter_free(it);
	return status;
}

/* ---- commands ------------------------------------------------------------------------------ */

int rec_cmd_add(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, const rec_ops *ops)
{
	const rec_add_form f = {.ops = ops};

	return rec_cmd_add_form(ctx, cmd, argc, argv, &f);
}

/* Reads the operand of show/edit: an id, or a code/UUID when the kind has one. */
static int get_record(youth_registry *reg, const rec_ops *ops, const char *key, void **out)
{
	int64_t id;
	int rc, status;

	*out = NULL;
	if ((status = rec_resolve(reg, ops->self, ops->kind, key, &id)) != CLI_OK)
		return status;
	rc = ops->get(out, reg, id);
	return rc == YOUTH_OK ? CLI_OK : cli_fail(rc);
}

int rec_cmd_show(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, const rec_ops *ops)
{
	out_format format;
	youth_registry *reg = NULL;
	void *rec = NULL;
	int status = CLI_OK;

	if (rec_format_opts(ctx, cmd, argc, argv, &format, &status) == CLI_DONE)
		return status;
	if (optind >= argc)
		return cli_usage(cmd, "missing %s", cmd->synopsis);
	if (optind + 1 < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind + 1]);
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	if ((status = get_record(reg, ops, argv[optind], &rec)) == CLI_OK)
		status = rec_print(reg, ops, rec, format);
	if (rec)
		ops->free(rec);
	youth_registry_close(reg);
	return status;
}

int rec_cmd_show_sections(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv,
                          const rec_ops *ops, const char *name, const rec_section *sections,
                          size_t n)
{
	rec_cmdline c;
	void *rec = NULL;
	size_t i;
	int rc, status = CLI_OK;

	if (rec_start(ctx, cmd, argc, argv, YOUTH_OPEN_READONLY, ops->self, ops->kind, &c,
	              &status) == CLI_DONE)
		return status;
	youth_registry *reg = c.reg;
	int64_t id = c.id;
	out_format format = c.format;
	if ((rc = ops->get(&rec, reg, id)) != YOUTH_OK) {
		status = cli_fail(rc);
		goto out;
	}
	if (format == OUT_JSON)
		printf("{\"%s\": ", name);
	status = rec_print(reg, ops, rec, format);
	for (i = 0; i < n && status == CLI_OK; i++)
		status = rec_print_section(reg, &sections[i], id, format);
	if (format == OUT_JSON)
		fputs("}\n", stdout);
out:
	if (rec)
		ops->free(rec);
	youth_registry_close(reg);
	return status;
}

int rec_cmd_list(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, const rec_ops *ops,
                 const rec_filter *filters, size_t nfilters)
{
	cli_args a;
	const char *fvalue[4] = {NULL, NULL, NULL, NULL};
	int64_t fid[4] = {0, 0, 0, 0};
	out_format format = OUT_TABLE;
	youth_registry *reg = NULL;
	void *it = NULL;
	rec_out ro;
	size_t i;
	int rc, status = CLI_OK;

	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE ||
	    rec_format_arg(&a, &format, &status) == CLI_DONE)
		return status;
	for (i = 0; i < nfilters && i < 4; i++)
		fvalue[i] = cli_arg(&a, filters[i].option);
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_READONLY, &reg)) != CLI_OK)
		return status;
	for (i = 0; i < nfilters && i < 4; i++) {
		char field[48];
		if (!fvalue[i])
			continue;
		snprintf(field, sizeof(field), "--%s", filters[i].option);
		if ((status = rec_resolve(reg, filters[i].ref, field, fvalue[i],
		                          &fid[filters[i].slot])) != CLI_OK)
			goto done;
	}
	rc = ops->iter_new4   ? ops->iter_new4(&it, reg, fid[0], fid[1], fid[2], fid[3])
	     : ops->iter_new3 ? ops->iter_new3(&it, reg, fid[0], fid[1], fid[2])
	                      : ops->iter_new(&it, reg, fid[0], fid[1]);
	if (rc != YOUTH_OK) {
		status = cli_fail(rc);
		goto done;
	}
	if (rec_out_begin(&ro, reg, ops, format, 0) != 0) {
		status = cli_failf("out of memory");
		goto done;
	}
	status = rec_write_rows(ro.w, it, ops->next, rec_out_row, &ro);
done:
	if (it)
		ops->iter_free(it);
	youth_registry_close(reg);
	return status;
}

int rec_cmd_edit(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, const rec_ops *ops)
{
	cli_args a;
	youth_registry *reg = NULL;
	void *rec = NULL;
	size_t given = 0;
	int rc, status = CLI_OK;

	if (!ops->update)
		return cli_failf("%s records cannot be changed", ops->kind);
	if (cli_parse(ctx, cmd, argc, argv, &a, &status) == CLI_DONE)
		return status;
	rec_each_field(&a, ops_kind(ops), NULL, rec_count_field, &given);
	if (optind >= argc)
		return cli_usage(cmd, "missing %s id", ops->kind);
	if (optind + 1 < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind + 1]);
	if (given == 0)
		return cli_usage(cmd, "nothing to change: give at least one --FIELD VALUE");
	if ((status = cli_open(ctx, cmd, YOUTH_OPEN_DEFAULT, &reg)) != CLI_OK)
		return status;
	if ((status = get_record(reg, ops, argv[optind], &rec)) != CLI_OK)
		goto out;
	if ((status = rec_set_fields(reg, ops, rec, &a, NULL)) != CLI_OK)
		goto out;
	rc = ops->update(reg, rec);
	if (rc != YOUTH_OK)
		status = cli_fail(rc);
out:
	if (rec)
		ops->free(rec);
	youth_registry_close(reg);
	return status;
}
