/*
 * output.h - the three output formats of the `youth` tool.
 *
 * A command declares its columns once, then hands over rows of text values:
 *   - table: columns aligned on the display width of UTF-8 text, numbers right-aligned;
 *            rows are buffered until out_end() because the widths depend on every row;
 *   - csv:   a header line, then one record per row, RFC 4180 quoting, CRLF line ends;
 *   - json:  an array of objects (or one object in "record" mode), strings escaped per RFC 8259,
 *            integer and boolean columns written as JSON numbers and true/false, unset as null.
 * CSV and JSON are streamed: memory does not grow with the number of rows.
 */
#ifndef YOUTH_CLI_OUTPUT_H
#define YOUTH_CLI_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

typedef enum out_format {
	OUT_TABLE = 0,
	OUT_CSV,
	OUT_JSON
} out_format;

typedef enum out_type {
	OUT_STR = 0, /**< text; JSON string */
	OUT_INT,     /**< decimal integer; JSON number; right-aligned in tables */
	OUT_BOOL     /**< "true"/"false" (also "1"/"0"); JSON boolean */
} out_type;

/** Where a column appears. */
#define OUT_IN_TABLE 1u
#define OUT_IN_MACHINE 2u /* csv and json */
#define OUT_EVERYWHERE (OUT_IN_TABLE | OUT_IN_MACHINE)

typedef struct out_column {
	const char *name; /**< header (table, csv) and key (json) */
	out_type type;
	unsigned where;   /**< OUT_IN_TABLE, OUT_IN_MACHINE or both */
} out_column;

typedef struct out_writer out_writer;

/** Parses "table", "csv" or "json"; returns 0, or -1 for another name. */
int out_parse_format(const char *name, out_format *format);

/**
 * Starts an output on @p fp.  @p record selects "one record" mode: a table prints
 * "name  value" lines, JSON prints a single object instead of an array.  @p cols must outlive
 * the writer.  Returns NULL when out of memory.
 */
out_writer *out_begin(FILE *fp, out_format format, const out_column *cols, size_t ncols,
                      int record);

/** Adds a row: one value per column (NULL = unset).  Returns 0, or -1 when out of memory. */
int out_row(out_writer *w, const char *const *values);

/** Finishes the output (prints the table) and frees the writer.  Returns 0 or -1 (I/O error). */
int out_end(out_writer *w);

/** Writes @p s as a JSON string literal (with quotes). */
void out_json_string(FILE *fp, const char *s);

/** Writes @p s as a CSV field (quoted when needed, RFC 4180). */
void out_csv_field(FILE *fp, const char *s);

/** Number of terminal columns @p s takes (UTF-8; combining accents take none). */
size_t out_display_width(const char *s);

#endif
