/*
 * output.c - aligned tables, CSV (RFC 4180) and JSON (RFC 8259) for the `youth` tool.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "output.h"

#include <stdlib.h>
#include <string.h>

struct out_writer {
	FILE *fp;
	out_format format;
	const out_column *cols;
	size_t ncols;
	int record;
	size_t nrows;   /* rows seen so far */
	/* table mode: every cell is buffered (row-major, ncols per row) */
	char **cells;
	size_t ncells, capcells;
};

int out_parse_format(const char *name, out_format *format)
{
	if (strcmp(name, "table") == 0)
		*format = OUT_TABLE;
	else if (strcmp(name, "csv") == 0)
		*format = OUT_CSV;
	else if (strcmp(name, "json") == 0)
		*format = OUT_JSON;
	else
		return -1;
	return 0;
}

size_t out_display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t width = 0;

	while (*p) {
		if ((*p & 0xC0) == 0x80) { /* continuation byte */
			p++;
			continue;
		}
		/* U+0300..U+036F combining diacritical marks: 0xCC 0x80 .. 0xCD 0xAF */
		if ((p[0] == 0xCC && (p[1] & 0xC0) == 0x80) ||
		    (p[0] == 0xCD && p[1] >= 0x80 && p[1] <= 0xAF)) {
			p += 2;
			continue;
		}
		width++;
		p++;
	}
	return width;
}

void out_json_string(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', fp);
	for (; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\b': fputs("\\b", fp); break;
		case '\f': fputs("\\f", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (*p < 0x20 || *p == 0x7F)
				fprintf(fp, "\\u%04x", *p);
			/* U+2028 and U+2029 are valid JSON but break JavaScript string literals. */
			else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
				fprintf(fp, "\\u%04x", p[2] == 0xA8 ? 0x2028 : 0x2029);
				p += 2;
			} else
				fputc(*p, fp); /* UTF-8 passes through: libyouth validates it on input */
		}
	}
	fputc('"', fp);
}

void out_csv_field(FILE *fp, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL && s[0] != ' ' && (s[0] == '\0' || s[strlen(s) - 1] != ' ')) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static int shown(const out_writer *w, size_t col)
{
	unsigned where = w->format == OUT_TABLE ? OUT_IN_TABLE : OUT_IN_MACHINE;
	return (w->cols[col].where & where) != 0;
}

static int is_true(const char *v)
{
	return strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "yes") == 0;
}

static int is_integer(const char *v)
{
	const char *p = v;

	if (*p == '-')
		p++;
	if (!*p)
		return 0;
	if (p[0] == '0' && p[1])
		return 0; /* no leading zeros in JSON */
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

static void json_value(FILE *fp, const out_column *col, const char *v)
{
	if (v == NULL)
		fputs("null", fp);
	else if (col->type == OUT_INT && is_integer(v))
		fputs(v, fp);
	else if (col->type == OUT_BOOL)
		fputs(is_true(v) ? "true" : "false", fp);
	else
		out_json_string(fp, v);
}

out_writer *out_begin(FILE *fp, out_format format, const out_column *cols, size_t ncols,
                      int record)
{
	out_writer *w = calloc(1, sizeof(*w));
	size_t i;
	int first = 1;

	if (!w)
		return NULL;
	w->fp = fp;
	w->format = format;
	w->cols = cols;
	w->ncols = ncols;
	w->record = record;

	if (format == OUT_CSV) {
		for (i = 0; i < ncols; i++) {
			if (!shown(w, i))
				continue;
			if (!first)
				fputc(',', fp);
			out_csv_field(fp, cols[i].name);
			first = 0;
		}
		fputs("\r\n", fp);
	} else if (format == OUT_JSON && !record) {
		fputc('[', fp);
	}
	return w;
}

static int table_push(out_writer *w, const char *v)
{
	char *copy = NULL;

	if (w->ncells == w->capcells) {
		size_t cap = w->capcells ? w->capcells * 2 : 64;
		char **cells = realloc(w->cells, cap * sizeof(*cells));
		if (!cells)
			return -1;
		w->cells = cells;
		w->capcells = cap;
	}
	if (v) {
		copy = strdup(v);
		if (!copy)
			return -1;
	}
	w->cells[w->ncells++] = copy;
	return 0;
}

int out_row(out_writer *w, const char *const *values)
{
	size_t i;
	int first = 1;

	switch (w->format) {
	case OUT_TABLE:
		for (i = 0; i < w->ncols; i++)
			if (table_push(w, values[i]) != 0)
				return -1;
		break;
	case OUT_CSV:
		for (i = 0; i < w->ncols; i++) {
			if (!shown(w, i))
				continue;
			if (!first)
				fputc(',', w->fp);
			if (values[i])
				out_csv_field(w->fp, values[i]);
			first = 0;
		}
		fputs("\r\n", w->fp);
		break;
	case OUT_JSON:
		if (w->nrows > 0 && !w->record)
			fputc(',', w->fp);
		fputs(w->record ? "{" : "\n  {", w->fp);
		for (i = 0; i < w->ncols; i++) {
			if (!shown(w, i))
				continue;
			fputs(first ? (w->record ? "\n  " : "") : (w->record ? ",\n  " : ", "), w->fp);
			out_json_string(w->fp, w->cols[i].name);
			fputs(": ", w->fp);
			json_value(w->fp, &w->cols[i], values[i]);
			first = 0;
		}
		fputs(w->record ? "\n}" : "}", w->fp);
		break;
	}
	w->nrows++;
	return 0;
}

/* Booleans read "yes"/"no" in tables. */
static const char *table_text(const out_column *col, const char *v)
{
	if (v && col->type == OUT_BOOL)
		return is_true(v) ? "yes" : "no";
	return v;
}

static void pad(FILE *fp, size_t n)
{
	while (n--)
		fputc(' ', fp);
}

static void table_print(out_writer *w)
{
	size_t *width = calloc(w->ncols ? w->ncols : 1, sizeof(*width));
	size_t r, c, last = 0;
	int any = 0;

	if (!width)
		return;
	for (c = 0; c < w->ncols; c++)
		if (shown(w, c)) {
			last = c;
			any = 1;
		}
	if (!any) {
		free(width);
		return;
	}

	if (w->record) {
		/* one record: "name   value" lines, names padded to the longest */
		size_t namew = 0;
		for (c = 0; c < w->ncols; c++)
			if (shown(w, c) && out_display_width(w->cols[c].name) > namew)
				namew = out_display_width(w->cols[c].name);
		for (r = 0; r < w->nrows; r++) {
			if (r > 0)
				fputc('\n', w->fp);
			for (c = 0; c < w->ncols; c++) {
				const char *v = table_text(&w->cols[c], w->cells[r * w->ncols + c]);
				if (!shown(w, c))
					continue;
				fputs(w->cols[c].name, w->fp);
				fputc(':', w->fp);
				if (v && *v) {
					pad(w->fp, namew - out_display_width(w->cols[c].name) + 1);
					fputs(v, w->fp);
				}
				fputc('\n', w->fp);
			}
		}
		free(width);
		return;
	}

	for (c = 0; c < w->ncols; c++)
		width[c] = out_display_width(w->cols[c].name);
	for (r = 0; r < w->nrows; r++)
		for (c = 0; c < w->ncols; c++) {
			const char *v = table_text(&w->cols[c], w->cells[r * w->ncols + c]);
			size_t n = v ? out_display_width(v) : 0;
			if (n > width[c])
				width[c] = n;
		}

	/* header, rule, rows; two spaces between columns, no trailing blanks */
	for (r = 0; r < w->nrows + 2; r++) {
		for (c = 0; c < w->ncols; c++) {
			const char *v;
			size_t n;
			int right = w->cols[c].type == OUT_INT;

			if (!shown(w, c))
				continue;
			if (r == 0)
				v = w->cols[c].name;
			else if (r == 1)
				v = NULL;
			else
				v = table_text(&w->cols[c], w->cells[(r - 2) * w->ncols + c]);
			if (r == 1) {
				for (n = 0; n < width[c]; n++)
					fputc('-', w->fp);
			} else {
				n = v ? out_display_width(v) : 0;
				if (right)
					pad(w->fp, width[c] - n);
				if (v)
					fputs(v, w->fp);
				if (!right && c != last)
					pad(w->fp, width[c] - n);
			}
			if (c != last)
				fputs("  ", w->fp);
		}
		fputc('\n', w->fp);
	}
	free(width);
}

int out_end(out_writer *w)
{
	int rc;
	size_t i;

	if (!w)
		return 0;
	switch (w->format) {
	case OUT_TABLE:
		table_print(w);
		break;
	case OUT_CSV:
		break;
	case OUT_JSON:
		if (w->record) {
			if (w->nrows == 0)
				fputs("null", w->fp);
			fputc('\n', w->fp);
		} else
			fputs(w->nrows ? "\n]\n" : "]\n", w->fp);
		break;
	}
	for (i = 0; i < w->ncells; i++)
		free(w->cells[i]);
	free(w->cells);
	rc = fflush(w->fp) == 0 && !ferror(w->fp) ? 0 : -1;
	free(w);
	return rc;
}
