/*
 * report_html.c - the HTML writer of a report: one self-contained page a mayoralty can read.
 *
 * The page holds the report's table (every row, margins in bold; six indicators to a table,
 * so that it fits a screen and a printed page) and, per indicator, a bar chart in inline SVG
 * by the first dimension.  It needs nothing else: no stylesheet, font,
 * image or script is fetched, so it can be mailed, printed or opened from a USB stick.
 * Suppressed cells are drawn as "n.p." (not published) on a hatched ground and explained in a
 * legend, with the threshold k; an internal report (k = 0) says so before anything else.
 *
 * It reads the report only through the public accessors of youth/report.h, like any caller
 * would, so the page cannot show a figure the other writers hide.  The text goes out through
 * the caller's write function in 8 KiB pieces: memory does not grow with the report.
 * tests/cli/test_report.sh checks the page's text and escaping; tests/cli/test_report_browser.sh
 * renders it in headless Chromium and reads the table back from the screenshot.
 */
#include "private_report.h"

#include <youth/report.h>
#include <youth/version.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct html_out {
	youth_write_fn write;
	void *ctx;
	size_t used;
	int failed;
	char buf[8192];
} html_out;

static void flush(html_out *o)
{
	if (!o->failed && o->used && o->write(o->ctx, o->buf, o->used) != 0)
		o->failed = 1;
	o->used = 0;
}

static void putn(html_out *o, const char *s, size_t n)
{
	while (n && !o->failed) {
		size_t room = sizeof(o->buf) - o->used, k = n < room ? n : room;
		memcpy(o->buf + o->used, s, k);
		o->used += k;
		s += k;
		n -= k;
		if (o->used == sizeof(o->buf))
			flush(o);
	}
}

static void put(html_out *o, const char *s)
{
	putn(o, s, strlen(s));
}

static void putf(html_out *o, const char *fmt, ...) YOUTH__PRINTF(2, 3);
static void putf(html_out *o, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n > 0)
		putn(o, text, (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1);
}

/* Text as HTML character data or a quoted attribute value: the five special characters are
 * written as references, so a place called `<b> & "Co"` reads as written. */
static void put_text(html_out *o, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *ref;
		switch (*s) {
		case '&': ref = "&amp;"; break;
		case '<': ref = "&lt;"; break;
		case '>': ref = "&gt;"; break;
		case '"': ref = "&quot;"; break;
		case '\'': ref = "&#39;"; break;
		default: continue;
		}
		putn(o, run, (size_t)(s - run));
		put(o, ref);
		run = s + 1;
	}
	putn(o, run, (size_t)(s - run));
}

/* Number of characters (UTF-8 code points) of @p s: the width estimate of a chart's labels. */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Digits of @p v grouped by thousands with commas ("1,234,567"). */
static void group_digits(char *buf, size_t size, int64_t v)
{
	char digits[24], *d;
	size_t n, i, j = 0;

	snprintf(digits, sizeof(digits), "%" PRId64, v);
	d = digits;
	if (*d == '-' && j + 1 < size)
		buf[j++] = *d++;
	n = strlen(d);
	for (i = 0; i < n && j + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = d[i];
	}
	buf[j] = '\0';
}

/* What a cell shows when it has no value. */
enum { MARK_NONE, MARK_SUPPRESSED, MARK_UNDEFINED, MARK_NA };

static int cell_mark(const youth_report_cell *c)
{
	if (c->flags & YOUTH_CELL_SUPPRESSED)
		return MARK_SUPPRESSED;
	if (c->flags & YOUTH_CELL_NOT_APPLICABLE)
		return MARK_NA;
	if (c->flags & YOUTH_CELL_UNDEFINED)
		return MARK_UNDEFINED;
	return MARK_NONE;
}

static const char *const mark_text[] = {"", "n.p.", "&#8211;", "n.a."};
static const char *const mark_class[] = {"", "np", "nd", "na"};

/* A published value as people read it: counts with thousands grouped, money in dollars, a
 * ratio as a percentage with one decimal (rounded half up, in integers). */
static void value_text(char *buf, size_t size, const youth_indicator_info *ind,
                       const youth_report_cell *c)
{
	char whole[32];

	switch (ind->unit) {
	case YOUTH_UNIT_MONEY: { /* a balance may be negative: "-$12.50" */
		int64_t cents = c->value < 0 ? -c->value : c->value;
		group_digits(whole, sizeof(whole), cents / 100);
		snprintf(buf, size, "%s$%s.%02d", c->value < 0 ? "-" : "", whole, (int)(cents % 100));
		break;
	}
	case YOUTH_UNIT_RATIO: {
		int64_t tenths = (c->value * 1000 + c->denominator / 2) / c->denominator;
		snprintf(buf, size, "%" PRId64 ".%d%%", tenths / 10, (int)(tenths % 10));
		break;
	}
	default:
		group_digits(buf, size, c->value);
		break;
	}
}

/* The cell of @p row, @p ind; NULL (and the error recorded) when the report refuses. */
static const youth_report_cell *cell_at(const youth_report *r, size_t row, size_t ind)
{
	const youth_report_cell *c = NULL;

	return youth_report_cell_get(&c, r, row, ind) == YOUTH_OK ? c : NULL;
}

/* 1 when no figure of @p row is suppressed or above 0 (the rates of such a row have nobody to
 * divide by): YOUTH_REPORT_SKIP_EMPTY leaves it out. */
static int row_empty(const youth_report *r, size_t row, size_t nind)
{
	size_t i;

	if (row + 1 == youth_report_row_count(r))
		return 0; /* the grand total always, as in the other writers */
	for (i = 0; i < nind; i++) {
		const youth_report_cell *c = cell_at(r, row, i);
		if (!c || (c->flags & YOUTH_CELL_SUPPRESSED) || (!c->flags && c->value))
			return 0;
	}
	return 1;
}

static const char style[] =
	"body{font-family:\"DejaVu Sans\",Arial,sans-serif;font-size:16px;line-height:1.4;"
	"color:#1a1a1a;background:#fff;margin:1.5em auto;max-width:75em;padding:0 1em}\n"
	"h1{font-size:1.6em;margin:0 0 .3em}\n"
	"h2{font-size:1.2em;margin:1.5em 0 .5em}\n"
	".meta{margin:.2em 0;color:#333}\n"
	".internal{border:3px solid #b00000;color:#b00000;padding:.4em .6em;font-weight:bold}\n"
	"table.report{border-collapse:collapse;margin:1em 0 1.5em}\n"
	"table.report caption{text-align:left;font-weight:bold;padding-bottom:.3em}\n"
	"table.report th,table.report td{border:1px solid #888;padding:.3em .7em;"
	"text-align:left;vertical-align:top}\n"
	"table.report thead th{background:#e8eef4}\n"
	"table.report td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"table.report tbody th,table.report tbody td{white-space:nowrap}\n"
	"table.report tr.margin th,table.report tr.margin td{background:#f3f3f3;font-weight:bold}\n"
	".np{color:#444;font-style:italic;background:repeating-linear-gradient(45deg,#fff,#fff 4px,"
	"#e2e2e2 4px,#e2e2e2 8px)}\n"
	".na,.nd{color:#666}\n"
	".legend{font-size:.95em}\n"
	".legend span{display:inline-block;min-width:2.5em;text-align:center;margin-right:.4em}\n"
	"figure{margin:1em 0 1.5em}\n"
	"figcaption{font-weight:bold;margin-bottom:.3em}\n"
	"svg text{font-family:\"DejaVu Sans\",Arial,sans-serif;font-size:13px}\n"
	"footer{margin-top:2em;font-size:.85em;color:#555}\n"
	"@media print{body{margin:0;max-width:none}figure,tr{break-inside:avoid}}\n";

static void write_head(html_out *o, const youth_report *r)
{
	size_t d, nd = youth_report_dimension_count(r);

	if (youth_report_internal(r))
		put(o, "<!-- INTERNAL USE ONLY: no disclosure control (k = 0); do not publish -->\n");
	put(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	       "<meta name=\"generator\" content=\"libyouth ");
	put_text(o, youth_version());
	put(o, "\">\n<title>Youth employability indicators</title>\n<style>\n");
	put(o, style);
	put(o, "</style>\n</head>\n<body>\n");
	if (youth_report_internal(r))
		put(o, "<p class=\"internal\">INTERNAL USE ONLY: no disclosure control was applied "
		       "(k = 0). Small counts are shown as they are: do not publish this page.</p>\n");
	put(o, "<h1>Youth employability indicators</h1>\n<p class=\"meta\">Ages at ");
	put_text(o, youth_report_at(r) ? youth_report_at(r) : "");
	put(o, nd ? ". By " : ". Totals only.");
	for (d = 0; d < nd; d++) {
		put(o, d == 0 ? "" : d + 1 == nd ? " and " : ", ");
		put_text(o, youth_report_dimension_label(r, d));
	}
	put(o, nd ? ", with totals.</p>\n" : "</p>\n");
	if (!youth_report_internal(r))
		putf(o, "<p class=\"meta\">Disclosure control: counts from 1 to %" PRId64 " are not "
		        "published (k = %" PRId64 "), nor any figure from which one of them could be "
		        "worked out.</p>\n", youth_report_k(r) - 1, youth_report_k(r));
}

/* Indicators per table: the dimensions and 6 columns of figures fit a screen and a page, where
 * the 35 built-in indicators side by side would not. */
enum { TABLE_COLUMNS = 6 };

/* The table of indicators @p first .. @p end - 1 (rows left out by YOUTH_REPORT_SKIP_EMPTY are
 * judged on every indicator, so that the tables keep the same rows); sets marks[] to the marks
 * it used (for the legend). */
static int write_table(html_out *o, const youth_report *r, unsigned flags, size_t first,
                       size_t end, int marks[4])
{
	size_t d, nd = youth_report_dimension_count(r);
	size_t i, nind = youth_report_indicator_count(r);
	size_t row, nrows = youth_report_row_count(r);

	put(o, "<table class=\"report\">\n");
	if (first || end < nind)
		putf(o, "<caption>Indicators %zu to %zu of %zu</caption>\n", first + 1, end, nind);
	put(o, "<thead><tr>");
	for (d = 0; d < nd; d++) {
		put(o, "<th scope=\"col\">");
		put_text(o, youth_report_dimension_label(r, d));
		put(o, "</th>");
	}
	for (i = first; i < end; i++) {
		const youth_indicator_info *ind = youth_report_indicator(r, i);
		put(o, "<th scope=\"col\" title=\"");
		put_text(o, ind->doc);
		put(o, "\">");
		put_text(o, ind->label);
		put(o, "</th>");
	}
	put(o, "</tr></thead>\n<tbody>\n");
	for (row = 0; row < nrows && !o->failed; row++) {
		int margin = 0;
		if ((flags & YOUTH_REPORT_SKIP_EMPTY) && row_empty(r, row, nind))
			continue;
		for (d = 0; d < nd; d++) {
			size_t cat;
			if (youth_report_row_category(&cat, r, row, d) != YOUTH_OK)
				return youth_error_last()->code;
			margin |= cat == youth_report_category_count(r, d);
		}
		put(o, margin ? "<tr class=\"margin\">" : "<tr>");
		for (d = 0; d < nd; d++) {
			size_t cat;
			const char *label;
			if (youth_report_row_category(&cat, r, row, d) != YOUTH_OK ||
			    youth_report_category(&label, NULL, r, d, cat) != YOUTH_OK)
				return youth_error_last()->code;
			put(o, d ? "<td>" : "<th scope=\"row\">");
			put_text(o, label);
			put(o, d ? "</td>" : "</th>");
		}
		for (i = first; i < end; i++) {
			const youth_report_cell *c = cell_at(r, row, i);
			int mark;
			if (!c)
				return youth_error_last()->code;
			mark = cell_mark(c);
			marks[mark] = 1;
			if (mark != MARK_NONE) {
				putf(o, "<td class=\"n %s\">%s</td>", mark_class[mark], mark_text[mark]);
			} else {
				char text[48];
				value_text(text, sizeof(text), youth_report_indicator(r, i), c);
				putf(o, "<td class=\"n\">%s</td>", text);
			}
		}
		put(o, "</tr>\n");
	}
	put(o, "</tbody>\n</table>\n");
	return YOUTH_OK;
}

static void write_legend(html_out *o, const youth_report *r, const int marks[4])
{
	if (!marks[MARK_SUPPRESSED] && !marks[MARK_UNDEFINED] && !marks[MARK_NA])
		return;
	put(o, "<p class=\"legend\">");
	if (marks[MARK_SUPPRESSED])
		putf(o, "<span class=\"np\">n.p.</span>not published: fewer than %" PRId64 " persons, "
		        "or a figure from which such a count could be worked out.<br>\n",
		     youth_report_k(r));
	if (marks[MARK_UNDEFINED])
		put(o, "<span class=\"nd\">&#8211;</span>no rate: nobody to divide by.<br>\n");
	if (marks[MARK_NA])
		put(o, "<span class=\"na\">n.a.</span>not applicable: the indicator is not counted "
		       "along this breakdown (see its total).<br>\n");
	put(o, "</p>\n");
}

/* The chart of indicator @p i: one bar per category of the first dimension (the rows where
 * every other dimension is at its total), scaled to the largest published value (a rate to
 * 100 % at least, so that its bars read as shares).  YOUTH_REPORT_SKIP_EMPTY leaves out the
 * categories whose row the table leaves out. */
static int write_chart(html_out *o, const youth_report *r, size_t i, unsigned flags)
{
	enum { BAR_MAX = 420, ROW_H = 22, CHAR_W = 8 };
	const youth_indicator_info *ind = youth_report_indicator(r, i);
	size_t d, nd = youth_report_dimension_count(r), ncat = youth_report_category_count(r, 0);
	size_t stride = 1, cat, label_chars = 4, nbars = 0, nind = youth_report_indicator_count(r);
	double max = ind->unit == YOUTH_UNIT_RATIO ? 1.0 : 0.0;
	unsigned width, height, label_w;

	/* Rows run last dimension fastest, each margin after its categories: the row of
	 * (cat, total, ..., total) is cat * stride + (stride - 1). */
	for (d = 1; d < nd; d++)
		stride *= youth_report_category_count(r, d) + 1;
	for (cat = 0; cat < ncat; cat++) {
		const char *label;
		const youth_report_cell *c = cell_at(r, cat * stride + stride - 1, i);
		if (!c || youth_report_category(&label, NULL, r, 0, cat) != YOUTH_OK)
			return youth_error_last()->code;
		if ((flags & YOUTH_REPORT_SKIP_EMPTY) && row_empty(r, cat * stride + stride - 1, nind))
			continue;
		nbars++;
		if (chars(label) > label_chars)
			label_chars = chars(label);
		if (cell_mark(c) == MARK_NONE) {
			double v = ind->unit == YOUTH_UNIT_RATIO ? (double)c->value / (double)c->denominator
			                                         : (double)c->value;
			if (v > max)
				max = v;
		}
	}
	if (label_chars > 32)
		label_chars = 32;
	label_w = (unsigned)label_chars * CHAR_W + 10;
	width = label_w + BAR_MAX + 110;
	height = (unsigned)nbars * ROW_H + 8;

	put(o, "<figure>\n<figcaption>");
	put_text(o, ind->label);
	put(o, " by ");
	put_text(o, youth_report_dimension_label(r, 0));
	putf(o, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" "
	        "height=\"%u\" viewBox=\"0 0 %u %u\" role=\"img\">\n<title>",
	     width, height, width, height);
	put_text(o, ind->label);
	put(o, "</title>\n");
	for (cat = 0, nbars = 0; cat < ncat && !o->failed; cat++) {
		const char *label;
		const youth_report_cell *c = cell_at(r, cat * stride + stride - 1, i);
		unsigned y;
		int mark;
		if (!c || youth_report_category(&label, NULL, r, 0, cat) != YOUTH_OK)
			return youth_error_last()->code;
		if ((flags & YOUTH_REPORT_SKIP_EMPTY) && row_empty(r, cat * stride + stride - 1, nind))
			continue;
		y = (unsigned)nbars++ * ROW_H + 4;
		putf(o, "<text x=\"%u\" y=\"%u\" text-anchor=\"end\">", label_w - 8, y + 14);
		put_text(o, label);
		put(o, "</text>");
		mark = cell_mark(c);
		if (mark != MARK_NONE) {
			putf(o, "<text x=\"%u\" y=\"%u\" fill=\"#555\" font-style=\"italic\">%s</text>\n",
			     label_w + 4, y + 14, mark_text[mark]);
		} else {
			char text[48];
			double v = ind->unit == YOUTH_UNIT_RATIO ? (double)c->value / (double)c->denominator
			                                         : (double)c->value;
			unsigned w = max > 0 && v > 0 ? (unsigned)(v / max * BAR_MAX + 0.5) : 0;
			value_text(text, sizeof(text), ind, c);
			putf(o, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"16\" fill=\"#3a6ea5\"/>"
			        "<text x=\"%u\" y=\"%u\">%s</text>\n",
			     label_w, y + 2, w, label_w + w + 6, y + 14, text);
		}
	}
	put(o, "</svg>\n</figure>\n");
	return YOUTH_OK;
}

/**
 * Writes @p r as one HTML page through @p write (youth_report_write() with
 * #YOUTH_REPORT_HTML).  YOUTH_REPORT_SKIP_EMPTY leaves out the table's rows of zeros; the BOM
 * flag is for CSV and changes nothing here (the page declares its encoding).
 */
int youth__report_write_html(youth_write_fn write, void *ctx, const youth_report *r,
                              unsigned flags)
{
	html_out *o;
	int marks[4] = {0, 0, 0, 0};
	size_t i, nind;
	int rc = YOUTH_OK;

	if (!write || !r)
		return youth__error(YOUTH_EINVAL, NULL, "report html: NULL argument");
	o = youth__malloc(sizeof(*o));
	if (!o)
		return youth__error(YOUTH_ENOMEM, NULL, "report html: out of memory");
	o->write = write;
	o->ctx = ctx;
	o->used = 0;
	o->failed = 0;
	nind = youth_report_indicator_count(r);
	write_head(o, r);
	for (i = 0; i < nind && rc == YOUTH_OK; i += TABLE_COLUMNS)
		rc = write_table(o, r, flags, i, i + TABLE_COLUMNS < nind ? i + TABLE_COLUMNS : nind,
		                 marks);
	if (rc == YOUTH_OK) {
		write_legend(o, r, marks);
		if (youth_report_dimension_count(r) && youth_report_category_count(r, 0)) {
			put(o, "<h2>Charts</h2>\n");
			for (i = 0; i < nind && rc == YOUTH_OK && !o->failed; i++)
				rc = write_chart(o, r, i, flags);
		}
	}
	if (rc == YOUTH_OK) {
		put(o, "<footer>Made with libyouth ");
		put_text(o, youth_version());
		put(o, " from the registry's records.</footer>\n</body>\n</html>\n");
		flush(o);
		if (o->failed)
			rc = youth__error(YOUTH_EIO, NULL, "report html: the output could not be written");
	}
	youth__free(o);
	return rc;
}
