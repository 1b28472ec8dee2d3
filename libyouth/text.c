/* Text rules shared by every module: UTF-8, search folding, slugs, dates, DUI, numbers. */
#include "private.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Decodes one UTF-8 sequence; returns its length, or 0 when malformed (overlong forms,
 * surrogates and code points above U+10FFFF included). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if ((c & 0xe0) == 0xc0) { len = 2; v = c & 0x1f; min = 0x80; }
	else if ((c & 0xf0) == 0xe0) { len = 3; v = c & 0x0f; min = 0x800; }
	else if ((c & 0xf8) == 0xf0) { len = 4; v = c & 0x07; min = 0x10000; }
	else return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* Unicode's control characters (category Cc): C0, DEL and C1, NEL (U+0085) among them. */
static bool is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* Characters that show nothing on their own: the spaces (Zs: no-break, en, em, thin,
 * ideographic...), the line and paragraph separators, the format characters (Cf: soft hyphen,
 * zero-width spaces and joiners, direction marks and embeddings, word joiner, the BOM...),
 * the combining grapheme joiner, variation selectors and the Hangul fillers. */
static bool is_invisible(uint32_t cp)
{
	static const uint32_t ranges[][2] = {
		{0x0020, 0x0020}, {0x00a0, 0x00a0}, {0x00ad, 0x00ad}, {0x034f, 0x034f},
		{0x061c, 0x061c}, {0x115f, 0x1160}, {0x1680, 0x1680}, {0x180b, 0x180e},
		{0x2000, 0x200f}, {0x2028, 0x202f}, {0x205f, 0x206f}, {0x3000, 0x3000},
		{0x3164, 0x3164}, {0xfe00, 0xfe0f}, {0xfeff, 0xfeff}, {0xffa0, 0xffa0},
		{0xfff9, 0xfffb}, {0x1d173, 0x1d17a}, {0xe0001, 0xe0001}, {0xe0020, 0xe007f},
		{0xe0100, 0xe01ef},
	};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		if (cp >= ranges[i][0] && cp <= ranges[i][1])
			return true;
	return false;
}

bool youth__utf8_valid(const char *s, size_t n, bool multiline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = utf8_decode(p + i, n - i, &cp);
		if (k == 0)
			return false;
		/* No control character (a tab, NEL...) but the line ends and tabs of text that may
		 * hold several lines; nor the line and paragraph separators, which YAML reads as
		 * line breaks (a value would not come back as it went out). */
		if (is_control(cp) && !(multiline && (cp == '\n' || cp == '\r' || cp == '\t')))
			return false;
		if (cp == 0x2028 || cp == 0x2029)
			return false;
		i += k;
	}
	return true;
}

void youth__text_copy(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

bool youth__text_visible(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0, k; i < n; i += k) {
		uint32_t cp = 0;
		if ((k = utf8_decode(p + i, n - i, &cp)) == 0)
			return false;
		if (!is_invisible(cp) && !is_control(cp))
			return true;
	}
	return false;
}

/* Base letters of U+0100..U+017F (Latin Extended-A), one per code point. */
static const char latin_ext_a[] =
	"aaaaaa" "cccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii" "ii" "jj" "kkk"
	"llllllllll" "nnnnnnnnn" "oooooo" "oo" "rrrrrr" "ssssssss" "tttttt" "uuuuuuuuuuuu" "ww"
	"yyy" "zzzzzz" "s";

/* Folded form of one code point: up to 2 ASCII bytes, or 0 bytes meaning "copy as is". */
static size_t fold_cp(uint32_t cp, char out[2])
{
	if (cp < 0x80) {
		out[0] = (cp >= 'A' && cp <= 'Z') ? (char)(cp + 32) : (char)cp;
		return 1;
	}
	if (cp >= 0xc0 && cp <= 0xff) {
		static const char l1[] = "aaaaaa" "?" "ceeeeiiii" "dnooooo" "x" "ouuuuy" "??" /* C0-DF */
		                         "aaaaaa" "?" "ceeeeiiii" "dnooooo" "/" "ouuuuy" "?y";  /* E0-FF */
		switch (cp) {
		case 0xc6: case 0xe6: out[0] = 'a'; out[1] = 'e'; return 2;
		case 0xde: case 0xfe: out[0] = 't'; out[1] = 'h'; return 2;
		case 0xdf: out[0] = 's'; out[1] = 's'; return 2;
		case 0xd7: case 0xf7: return 0;
		default: out[0] = l1[cp - 0xc0]; return 1;
		}
	}
	if (cp >= 0x100 && cp <= 0x17f) {
		out[0] = latin_ext_a[cp - 0x100];
		return 1;
	}
	return 0;
}

static bool is_blank_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xa0;
}

int youth__fold_into(youth__buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	bool pending_space = false, any = false;
	while (i < n) {
		uint32_t cp;
		size_t k = utf8_decode(p + i, n - i, &cp);
		if (k == 0)
			return youth__error(YOUTH_EINVAL, NULL, "text is not valid UTF-8");
		if (is_blank_cp(cp)) {
			pending_space = any;
			i += k;
			continue;
		}
		if (pending_space && youth__buf_put(b, " ", 1))
			return YOUTH_ENOMEM;
		pending_space = false;
		any = true;
		char out[2];
		size_t m = fold_cp(cp, out);
		int rc = m ? youth__buf_put(b, out, m) : youth__buf_put(b, s + i, k);
		if (rc)
			return rc;
		i += k;
	}
	if (b->data == NULL)
		return youth__buf_put(b, "", 0);
	return YOUTH_OK;
}

int youth_fold(char **out, const char *text)
{
	if (out)
		*out = NULL;
	if (!out || !text)
		return youth__error(YOUTH_EINVAL, NULL, "youth_fold: NULL argument");
	youth__buf b = {0};
	int rc = youth__fold_into(&b, text);
	if (rc) {
		youth__buf_free(&b);
		return rc;
	}
	*out = b.data;
	return YOUTH_OK;
}

int youth__slug_into(youth__buf *b, const char *s, size_t n)
{
	char *tmp = youth__strndup(s, n);
	if (!tmp)
		return youth__oom();
	youth__buf f = {0};
	int rc = youth__fold_into(&f, tmp);
	youth__free(tmp);
	if (rc) {
		youth__buf_free(&f);
		return rc;
	}
	bool dash = false, any = false;
	for (size_t i = 0; i < f.len && rc == YOUTH_OK; i++) {
		unsigned char c = (unsigned char)f.data[i];
		bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
		if (!keep) {
			dash = any;
			continue;
		}
		if (dash)
			rc = youth__buf_put(b, "-", 1);
		dash = false;
		any = true;
		if (rc == YOUTH_OK)
			rc = youth__buf_put(b, (const char *)&f.data[i], 1);
	}
	youth__buf_free(&f);
	if (rc == YOUTH_OK && b->data == NULL)
		rc = youth__buf_put(b, "", 0);
	return rc;
}

/* ---- dates ------------------------------------------------------------------------- */

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

static bool digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

/* Shape check only: YYYY-MM-DD with digits where digits belong. */
static bool date_shape(const char *s, youth__date *d)
{
	return strlen(s) == YOUTH_DATE_LEN && s[4] == '-' && s[7] == '-' && digits(s, 4, &d->y) &&
	       digits(s + 5, 2, &d->m) && digits(s + 8, 2, &d->d);
}

bool youth__date_parse(const char *s, youth__date *out)
{
	youth__date d;
	if (!s || !date_shape(s, &d))
		return false;
	if (d.y < 1900 || d.y > 2199 || d.m < 1 || d.m > 12 || d.d < 1 ||
	    d.d > days_in_month(d.y, d.m))
		return false;
	if (out)
		*out = d;
	return true;
}

void youth__date_format(const youth__date *d, char out[YOUTH_DATE_LEN + 1])
{
	snprintf(out, YOUTH_DATE_LEN + 1, "%04u-%02u-%02u", (unsigned)d->y % 10000u,
	         (unsigned)d->m % 100u, (unsigned)d->d % 100u);
}

void youth__today(char out[YOUTH_DATE_LEN + 1])
{
	/* Asked for by nearly every write: an import's writer spent about 1.5 % of its time
	 * (perf, 100 000 persons with their services) turning the same second into the same date. */
	static _Thread_local time_t last = (time_t)-1;
	static _Thread_local char text[YOUTH_DATE_LEN + 1];
	time_t now = time(NULL);
	if (now != last || now == (time_t)-1) {
		struct tm tm;
		gmtime_r(&now, &tm);
		youth__date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
		youth__date_format(&d, text);
		last = now;
	}
	memcpy(out, text, sizeof text);
}

int youth__age(const youth__date *b, const youth__date *at)
{
	int age = at->y - b->y;
	if (at->m < b->m || (at->m == b->m && at->d < b->d))
		age--;
	return age;
}

int youth_date_check(const char *text, const char *field)
{
	const char *f = field ? field : "date";
	youth__date d;
	if (!text)
		return youth__error(YOUTH_EINVAL, field, "%s: missing (expected YYYY-MM-DD)", f);
	if (!date_shape(text, &d))
		return youth__error(YOUTH_EINVAL, field, "%s \"%.40s\": not a date of the form YYYY-MM-DD",
		                    f, text);
	if (d.y < 1900 || d.y > 2199)
		return youth__error(YOUTH_EINVAL, field, "%s \"%s\": year outside 1900-2199", f, text);
	if (!youth__date_parse(text, NULL))
		return youth__error(YOUTH_EINVAL, field, "%s \"%s\": not a calendar date", f, text);
	return YOUTH_OK;
}

int youth_age_at(int *out, const char *birth_date, const char *at_date)
{
	youth__date b, a;
	if (!out)
		return youth__error(YOUTH_EINVAL, NULL, "youth_age_at: NULL output");
	int rc = youth_date_check(birth_date, "birth_date");
	if (rc == YOUTH_OK)
		rc = youth_date_check(at_date, "at_date");
	if (rc)
		return rc;
	youth__date_parse(birth_date, &b);
	youth__date_parse(at_date, &a);
	*out = youth__age(&b, &a);
	return YOUTH_OK;
}

/* ---- national ID ------------------------------------------------------------------- */

int youth_dui_check(const char *dui)
{
	if (!dui)
		return youth__error(YOUTH_EINVAL, "national_id", "national_id: missing");
	size_t n = strlen(dui);
	bool shape = n == 10 && dui[8] == '-';
	for (size_t i = 0; shape && i < 10; i++)
		if (i != 8 && (dui[i] < '0' || dui[i] > '9'))
			shape = false;
	if (!shape)
		return youth__error(YOUTH_EINVAL, "national_id",
		                    "national_id \"%.40s\": not a DUI of the form NNNNNNNN-C", dui);
	int sum = 0;
	for (int i = 0; i < 8; i++)
		sum += (dui[i] - '0') * (9 - i);
	int check = (10 - sum % 10) % 10;
	if (dui[9] - '0' != check)
		return youth__error(YOUTH_EINVAL, "national_id",
		                    "national_id \"%s\": wrong check digit (expected %d)", dui, check);
	return YOUTH_OK;
}

/* ---- scalars ----------------------------------------------------------------------- */

int youth__parse_bool(const char *t, int *out)
{
	static const char *yes[] = {"true", "yes", "1", "on"};
	static const char *no[] = {"false", "no", "0", "off"};
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(t, yes[i]) == 0) { *out = 1; return YOUTH_OK; }
		if (strcasecmp(t, no[i]) == 0) { *out = 0; return YOUTH_OK; }
	}
	return YOUTH_EINVAL;
}

int youth__parse_int(const char *t, long long min, long long max, long long *out)
{
	const char *p = t;
	bool neg = false;
	if (*p == '-') { neg = true; p++; }
	if (!*p || strlen(p) > 18)
		return YOUTH_EINVAL;
	long long v = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return YOUTH_EINVAL;
		v = v * 10 + (*p - '0');
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return YOUTH_EINVAL;
	*out = v;
	return YOUTH_OK;
}

/* ---- rules shared by every kind of record ------------------------------------------------ */

int youth__text_rule(const char *name, const char *v, size_t max, bool required)
{
	if (!v || !*v) {
		if (required)
			return youth__error(YOUTH_EINVAL, name, "%s: missing (required)", name);
		return YOUTH_OK;
	}
	size_t n = strlen(v);
	if (n > max)
		return youth__error(YOUTH_EINVAL, name, "%s \"%.30s...\": longer than %zu bytes", name, v,
		                    max);
	if (!youth__utf8_valid(v, n, false))
		return youth__error(YOUTH_EINVAL, name,
		                    "%s: not valid UTF-8 text on one line (control characters such as "
		                    "tabs, and line breaks, are refused)", name);
	if (!youth__text_visible(v, n))
		return youth__error(YOUTH_EINVAL, name, "%s: only blanks (spaces, no-break or "
		                    "zero-width spaces and other invisible characters)", name);
	return YOUTH_OK;
}

int youth__code_rule(const char *name, const char *v, size_t max)
{
	if (!v || !*v)
		return youth__error(YOUTH_EINVAL, name, "%s: missing (required)", name);
	size_t n = strlen(v);
	bool ok = n <= max;
	for (size_t i = 0; ok && i < n; i++) {
		char c = v[i];
		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		     c == '-' || c == '_';
	}
	if (!ok)
		return youth__error(YOUTH_EINVAL, name,
		                    "%s \"%.40s\": use 1-%zu letters, digits, '-' or '_'", name, v, max);
	return YOUTH_OK;
}

int youth__phone_rule(const char *v, char out[10])
{
	char d[16];
	size_t n = 0;
	const char *s = v;
	if (strncmp(s, "+503", 4) == 0)
		s += 4;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (n == sizeof d - 1)
				break;
			d[n++] = *s;
		} else if (*s != ' ' && *s != '-') {
			n = 0;
			break;
		}
	}
	if (n != 8 || (d[0] != '2' && d[0] != '6' && d[0] != '7'))
		return youth__error(YOUTH_EINVAL, "phone",
		                    "phone \"%.30s\": expected 8 digits starting with 2, 6 or 7 "
		                    "(e.g. 7123-4567)", v);
	snprintf(out, 10, "%.4s-%.4s", d, d + 4);
	return YOUTH_OK;
}

int youth__past_date_rule(const char *date, const char *field)
{
	int rc = youth_date_check(date, field);
	if (rc)
		return rc;
	char today[YOUTH_DATE_LEN + 1];
	youth__today(today);
	if (strcmp(date, today) > 0)
		return youth__error(YOUTH_EINVAL, field, "%s \"%s\": in the future", field, date);
	return YOUTH_OK;
}

int youth__each_item(const char *list, youth__item_fn fn, void *ctx)
{
	const char *p = list;
	int rc = YOUTH_OK;
	while (rc == YOUTH_OK && *p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *a = p, *b = p + n;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b > a)
			rc = fn(ctx, a, (size_t)(b - a));
		p = end ? end + 1 : p + n;
	}
	return rc;
}

/* ---- fold-c: base helpers shared across layers (issue 10) ---- */

int youth__prepare(sqlite3_stmt **out, sqlite3 *db, const char *sql, const char *what)
{
	int s = sqlite3_prepare_v2(db, sql, -1, out, NULL);
	return s == SQLITE_OK ? YOUTH_OK : youth__sqlite_error(db, s, what);
}

void youth__free_strv(char **v, int n)
{
	for (int i = 0; v && i < n; i++)
		youth__free(v[i]);
	youth__free(v);
}

bool youth__round_chars_ok(const char *s, size_t n)
{
	bool ok = n <= 32;
	for (size_t i = 0; ok && i < n; i++) {
		char c = s[i];
		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		     c == '-' || c == '_' || c == '.';
	}
	return ok;
}

/* ---- folds: one walk over the rows of a one-off query (issue 10) ---- */

int youth__query_each(sqlite3 *db, const char *sql, const char *what, const char *text,
                      int64_t key, youth__row_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	int s, rc = youth__prepare(&st, db, sql, what);
	if (rc)
		return rc;
	if (sqlite3_bind_parameter_count(st) > 0) {
		if (text)
			sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, 1, key);
	}
	while (rc == YOUTH_OK && (s = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ctx, st);
	if (rc == YOUTH_OK && s != SQLITE_DONE)
		rc = youth__sqlite_error(db, s, what);
	sqlite3_finalize(st);
	return rc;
}
