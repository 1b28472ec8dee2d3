/*
 * Writing YAML text, the counterpart of yaml_reader.c: scalars quoted only where a reader
 * would take them for something else, flow lists, and the lines of a `libyouth/1` document
 * (header, record keys, trailer).
 *
 * Text is appended to a youth__buf that the caller flushes: the writers (export, the rejects
 * report of a keep-going import) decide when to write and where.  Like the reader, this file
 * knows nothing of registries, sections or services; it sits just above records in the layer
 * order (docs/design.md, "Lower files never call upward") and tests/check-layers.sh keeps it
 * there.
 */
#include "private.h"

#include <string.h>
#include <strings.h>

/* Words that a YAML 1.1 resolver (PyYAML, for one) would read as booleans or null. */
static bool special_word(const char *s, size_t n)
{
	static const char *const words[] = {"y", "n", "yes", "no", "true", "false", "on", "off",
	                                    "null", "~"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i]) == n && strncasecmp(s, words[i], n) == 0)
			return true;
	return false;
}

/* True when s[0..n) reads back as the same string written plain (unquoted) in block context.
 * Lengths, not terminators: a flow list's items are written in place, from inside the text. */
static bool plain_ok(const char *s, size_t n, bool force_quote)
{
	if (n == 0 || s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == ':' || special_word(s, n))
		return false;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
		return false;
	if (force_quote && ((s[0] >= '0' && s[0] <= '9') || s[0] == '+' || s[0] == '.'))
		return false;
	const unsigned char *c = (const unsigned char *)s, *end = c + n;
	for (; c < end; c++) {
		if (*c < 0x20 || *c == 0x7f)
			return false;
		if ((c[0] == ':' && (c + 1 == end || c[1] == ' ')) || (c[0] == ' ' && c + 1 < end &&
		                                                      c[1] == '#'))
			return false;
	}
	return true;
}

static int put_quoted(youth__buf *b, const char *s, size_t n)
{
	int rc = youth__buf_put(b, "\"", 1);
	const unsigned char *end = (const unsigned char *)s + n;
	for (const unsigned char *c = (const unsigned char *)s; rc == YOUTH_OK && c < end; c++) {
		if (*c == '"' || *c == '\\') {
			char esc[2] = {'\\', (char)*c};
			rc = youth__buf_put(b, esc, 2);
		} else if (*c == '\n') {
			rc = youth__buf_put(b, "\\n", 2);
		} else if (*c == '\t') {
			rc = youth__buf_put(b, "\\t", 2);
		} else if (*c < 0x20 || *c == 0x7f) {
			rc = youth__buf_printf(b, "\\x%02x", *c);
		} else {
			rc = youth__buf_put(b, (const char *)c, 1);
		}
	}
	return rc ? rc : youth__buf_put(b, "\"", 1);
}

int youth__yaml_put_scalar(youth__buf *b, const char *s, bool force_quote)
{
	size_t n = strlen(s);
	return plain_ok(s, n, force_quote) ? youth__buf_put(b, s, n) : put_quoted(b, s, n);
}

/* Inside [...] or {...} the flow indicators end a plain scalar: quote the ones holding them. */
static int put_flow_scalar(youth__buf *b, const char *s, size_t n)
{
	bool flow_char = false;
	for (size_t i = 0; i < n && !flow_char; i++)
		flow_char = strchr(",[]{}", s[i]) != NULL && s[i];
	return plain_ok(s, n, true) && !flow_char ? youth__buf_put(b, s, n) : put_quoted(b, s, n);
}

int youth__yaml_put_flow_scalar(youth__buf *b, const char *s)
{
	return put_flow_scalar(b, s, strlen(s));
}

/* Each item is written from inside @text, whatever its length (no copy to a fixed buffer,
 * which once cut items at 511 bytes). */
int youth__yaml_put_list(youth__buf *b, const char *text)
{
	int rc = youth__buf_put(b, "[", 1);
	const char *p = text;
	while (rc == YOUTH_OK && *p) {
		const char *comma = strstr(p, ", ");
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		rc = put_flow_scalar(b, p, n);
		p += n;
		if (comma) {
			p += 2;
			if (rc == YOUTH_OK)
				rc = youth__buf_put(b, ", ", 2);
		}
	}
	return rc ? rc : youth__buf_put(b, "]", 1);
}

int youth__yaml_put_key(youth__buf *b, const char *key, bool *first)
{
	int rc = youth__buf_printf(b, "%s%s: ", *first ? "  - " : "    ", key);
	*first = false;
	return rc;
}

int youth__yaml_put_begin(youth__buf *b)
{
	return youth__buf_puts(b, "format: libyouth/1\n");
}

int youth__yaml_put_end(youth__buf *b, int64_t records)
{
	return youth__buf_printf(b, "end:\n  records: %lld\n", (long long)records);
}
