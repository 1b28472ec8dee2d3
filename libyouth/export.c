/*
 * The export engine: writes a registry, or the part of it a caller selects (kinds of record,
 * a place, a period), as one `libyouth/1` document.
 *
 * Each module's section gives the query that reads its records (columns in the order of its
 * field table, references as the referred record's UUID); this file turns each row into a
 * YAML record through the YAML writer, section after section in the catalogue's order
 * (catalogue.c), so that every reference points back to a record already written.
 *
 * Memory is bounded by one record and the 64 KiB output buffer.  This is the top of the
 * library's layers, beside import.c: nothing below calls into it.
 */
#include "private.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define PROGRESS_EVERY 4096
#define FLUSH_AT (64 * 1024)

typedef struct exporter {
	youth_registry *reg;
	youth_write_fn write;
	void *ctx;
	youth__buf out;
	youth_interchange_summary sum;
	const youth_export_options *opt;
} exporter;

static int ex_flush(exporter *x)
{
	if (x->out.len == 0)
		return YOUTH_OK;
	if (x->write(x->ctx, x->out.data, x->out.len) != 0)
		return youth__error(YOUTH_EIO, NULL, "export: writing failed after %lld bytes",
		                    (long long)x->sum.bytes);
	x->sum.bytes += (int64_t)x->out.len;
	x->out.len = 0;
	return YOUTH_OK;
}

static int ex_progress(exporter *x)
{
	if (x->opt->progress &&
	    x->opt->progress(x->opt->progress_ctx, x->sum.records, x->sum.bytes + (int64_t)x->out.len))
		return youth__error(YOUTH_ECANCELLED, NULL, "export stopped by the progress callback "
		                    "after %lld records", (long long)x->sum.records);
	return YOUTH_OK;
}

static int ex_value(exporter *x, const youth__section *s, const youth__field *f,
                    sqlite3_stmt *st, int col, bool *first)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return YOUTH_OK;
	youth__buf *b = &x->out;
	const char *key = f->name;
	char num[40];
	const char *text = NULL;
	bool quote = false;
	switch (f->type) {
	case YF_ID:
		return YOUTH_OK;
	case YF_REF: {
		const youth__ref *ref = youth__section_ref(s, f->name);
		if (!ref)
			return YOUTH_OK;
		key = ref->key;
		text = (const char *)sqlite3_column_text(st, col);
		break;
	}
	case YF_UUID:
	case YF_DATE:
		text = (const char *)sqlite3_column_text(st, col);
		break;
	case YF_TEXT:
		text = (const char *)sqlite3_column_text(st, col);
		quote = true;
		break;
	case YF_ENUM:
		text = youth__vocab_name(f, sqlite3_column_int(st, col));
		if (!text)
			return YOUTH_OK; /* 0: unset */
		break;
	case YF_BOOL:
		text = sqlite3_column_int(st, col) ? "true" : "false";
		break;
	case YF_INT:
	case YF_COUNT:
		if (sqlite3_column_int(st, col) < 0 && (f->flags & YOUTH_FIELD_OPTIONAL))
			return YOUTH_OK; /* an optional count's unset value */
		snprintf(num, sizeof num, "%d", sqlite3_column_int(st, col));
		text = num;
		break;
	case YF_MONEY:
		if (sqlite3_column_int64(st, col) == 0 && (f->flags & YOUTH_FIELD_OPTIONAL))
			return YOUTH_OK; /* an optional amount's unset value */
		youth__money_format(sqlite3_column_int64(st, col), num, sizeof num);
		text = num;
		quote = true;
		break;
	}
	if (!text)
		return YOUTH_OK;
	int rc = youth__yaml_put_key(b, key, first);
	if (rc == YOUTH_OK) {
		if (youth__yaml_list_key(s->list_keys, f->name))
			rc = youth__yaml_put_list(b, text);
		else if (quote || f->type == YF_TEXT)
			rc = f->type == YF_MONEY ? youth__buf_printf(b, "\"%s\"", text)
			                         : youth__yaml_put_scalar(b, text, true);
		else
			rc = youth__buf_puts(b, text);
	}
	return rc ? rc : youth__buf_put(b, "\n", 1);
}

static int ex_section(exporter *x, const youth__section *s, const char *place_path)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(x->reg->db, s->export_sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return youth__sqlite_error(x->reg->db, rc, "exporting");
	youth__bind_text(st, 1, place_path);
	youth__bind_text(st, 2, x->opt->from);
	youth__bind_text(st, 3, x->opt->to);
	int ncols = sqlite3_column_count(st);
	rc = YOUTH_OK;
	bool any = false;
	int s_rc;
	while (rc == YOUTH_OK && (s_rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!any && (rc = youth__buf_printf(&x->out, "%s:\n", s->name)))
			break;
		any = true;
		bool first = true;
		for (size_t i = 0; rc == YOUTH_OK && i < s->kind->n_fields; i++)
			rc = ex_value(x, s, &s->kind->fields[i], st, (int)i, &first);
		/* Columns past the fields are the section's extra keys, in order. */
		const char *const *extra = s->extra_keys;
		for (int c = (int)s->kind->n_fields; rc == YOUTH_OK && c < ncols && extra && *extra;
		     c++, extra++) {
			if (sqlite3_column_type(st, c) == SQLITE_NULL)
				continue;
			rc = youth__yaml_put_key(&x->out, *extra, &first);
			const char *v = (const char *)sqlite3_column_text(st, c);
			if (rc == YOUTH_OK)
				rc = youth__yaml_list_key(s->list_keys, *extra)
				             ? youth__yaml_put_list(&x->out, v)
				             : youth__yaml_put_scalar(&x->out, v, true);
			if (rc == YOUTH_OK)
				rc = youth__buf_put(&x->out, "\n", 1);
		}
		x->sum.records++;
		if (rc == YOUTH_OK && x->out.len >= FLUSH_AT)
			rc = ex_flush(x);
		if (rc == YOUTH_OK && x->sum.records % PROGRESS_EVERY == 0)
			rc = ex_progress(x);
	}
	if (rc == YOUTH_OK && s_rc != SQLITE_DONE)
		rc = youth__sqlite_error(x->reg->db, s_rc, "exporting");
	sqlite3_finalize(st);
	return rc;
}

void youth_export_options_init(youth_export_options *o)
{
	if (o)
		memset(o, 0, sizeof *o);
}

static int export_run(youth_registry *reg, youth_write_fn write, void *ctx,
                      const youth_export_options *options, youth_interchange_summary *summary)
{
	if (summary)
		memset(summary, 0, sizeof *summary);
	if (!reg || !write)
		return youth__error(YOUTH_EINVAL, NULL, "export: NULL %s", reg ? "output" : "registry");
	youth_export_options none = {0};
	exporter x = {.reg = reg, .write = write, .ctx = ctx, .opt = options ? options : &none};
	unsigned all = YOUTH_KIND_GAZETTEER | YOUTH_KIND_PERSONS | YOUTH_KIND_EXCHANGES |
	               YOUTH_KIND_RULES | YOUTH_KIND_COURSES | YOUTH_KIND_COUNSELLING |
	               YOUTH_KIND_SCHOLARSHIPS | YOUTH_KIND_ENTERPRISE | YOUTH_KIND_FOLLOWUPS;
	unsigned kinds = x.opt->kinds ? x.opt->kinds : all;
	int rc = YOUTH_OK;
	if (kinds & ~all)
		rc = youth__error(YOUTH_EINVAL, "kinds", "export: unknown kinds 0x%x", kinds & ~all);
	if (rc == YOUTH_OK && x.opt->from)
		rc = youth_date_check(x.opt->from, "from");
	if (rc == YOUTH_OK && x.opt->to)
		rc = youth_date_check(x.opt->to, "to");
	if (rc == YOUTH_OK && x.opt->from && x.opt->to && strcmp(x.opt->from, x.opt->to) > 0)
		rc = youth__error(YOUTH_EINVAL, "to", "to \"%s\": before from \"%s\"", x.opt->to,
		                  x.opt->from);
	youth__buf path = {0};
	if (rc == YOUTH_OK && x.opt->place) {
		int64_t id;
		rc = youth__place_resolve(reg, x.opt->place, "place", &id);
		if (rc == YOUTH_OK)
			rc = youth__place_path(reg, id, &path);
	}
	/* One read transaction: the file is a snapshot even while others write. */
	bool began = false;
	if (rc == YOUTH_OK && sqlite3_get_autocommit(reg->db)) {
		if ((rc = youth__exec(reg, "BEGIN")) == YOUTH_OK)
			began = true;
	}
	if (rc == YOUTH_OK)
		rc = youth__yaml_put_begin(&x.out);
	for (size_t i = 0; rc == YOUTH_OK && i < youth__n_sections; i++)
		if (kinds & youth__sections[i]->kind_flag)
			rc = ex_section(&x, youth__sections[i], x.opt->place ? path.data : NULL);
	if (rc == YOUTH_OK)
		rc = youth__yaml_put_end(&x.out, x.sum.records);
	if (rc == YOUTH_OK)
		rc = ex_flush(&x);
	if (rc == YOUTH_OK)
		rc = ex_progress(&x);
	if (began) {
		sqlite3_exec(reg->db, "COMMIT", NULL, NULL, NULL);
	}
	youth__buf_free(&path);
	youth__buf_free(&x.out);
	if (summary)
		*summary = x.sum;
	return rc;
}

int youth_export_write(youth_interchange_summary *summary, youth_registry *reg,
                       youth_write_fn write, void *ctx, const youth_export_options *options)
{
	return export_run(reg, write, ctx, options, summary);
}

static int write_stream(void *ctx, const char *data, size_t size)
{
	return fwrite(data, 1, size, ctx) == size ? 0 : -1;
}

int youth_export_stream(youth_interchange_summary *summary, youth_registry *reg, FILE *stream,
                        const youth_export_options *options)
{
	if (!stream) {
		if (summary)
			memset(summary, 0, sizeof *summary);
		return youth__error(YOUTH_EINVAL, NULL, "youth_export_stream: NULL stream");
	}
	int rc = export_run(reg, write_stream, stream, options, summary);
	if (rc == YOUTH_OK && fflush(stream) != 0)
		rc = youth__error(errno == ENOSPC ? YOUTH_EFULL : YOUTH_EIO, NULL, "export: %s",
		                  strerror(errno));
	return rc;
}

struct export_to_file {
	youth_interchange_summary *summary;
	youth_registry *reg;
	const youth_export_options *options;
};

static int export_fill(FILE *f, void *ctx)
{
	struct export_to_file *x = ctx;
	return youth_export_stream(x->summary, x->reg, f, x->options);
}

int youth_export_file(youth_interchange_summary *summary, youth_registry *reg, const char *path,
                      const youth_export_options *options)
{
	if (summary)
		memset(summary, 0, sizeof *summary);
	if (!reg || !path)
		return youth__null_arg("youth_export_file", reg, "path");
	/* A reader never sees half a file, and a killed export leaves nothing (outfile.c). */
	struct export_to_file x = {summary, reg, options};
	return youth__file_replace(path, export_fill, &x);
}
