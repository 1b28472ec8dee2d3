/*
 * A guarded reader of libyaml events, shared by every YAML input (gazetteer, census batches).
 *
 * Only the event API is used, never the document loader, so memory stays bounded by the
 * largest scalar.  The hostile-input policy (docs/format.md) is enforced event by event:
 * the depth cap stops a file of ten thousand '[' after a few dozen events instead of letting
 * libyaml grind through it, and anchors, aliases and explicit tags are refused outright.
 */
#include "private.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int open_common(youth__yaml *y, const char *name)
{
	memset(&y->event, 0, sizeof y->event);
	y->have_event = false;
	y->depth = 0;
	y->events = 0;
	y->name = name ? name : "<buffer>";
	y->read_since_event = 0;
	y->overrun = false;
	y->whole_records = false;
	if (!yaml_parser_initialize(&y->parser))
		return youth__oom();
	y->parser_ready = true;
	return YOUTH_OK;
}

/*
 * The one read handler of every input (file, buffer or the caller's handler).  libyaml reads
 * through it while it scans, and gathers a scalar whole before it hands out the event, so
 * this is the only place that sees a huge value while it is being read: past the read budget
 * the read fails, libyaml stops with a reader error and youth__yaml_next() words it.  Memory
 * therefore stays bounded by the budget whatever the input.
 */
static int guarded_read(void *ctx, unsigned char *buffer, size_t size, size_t *size_read)
{
	youth__yaml *y = ctx;
	*size_read = 0;
	if (y->read_since_event > YOUTH__YAML_MAX_READ) {
		y->overrun = true;
		return 0;
	}
	if (y->handler) {
		if (!y->handler(y->handler_ctx, buffer, size, size_read))
			return 0;
	} else if (y->file) {
		*size_read = fread(buffer, 1, size, y->file);
		if (*size_read == 0 && ferror(y->file))
			return 0;
	} else {
		size_t n = y->buf_size - y->buf_pos < size ? y->buf_size - y->buf_pos : size;
		memcpy(buffer, y->buf + y->buf_pos, n);
		y->buf_pos += n;
		*size_read = n;
	}
	y->read_since_event += *size_read;
	return 1;
}

void youth__yaml_pos_feed(youth__yaml_pos *p, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char b = s[i];
		bool brk = b == '\r' || (b == '\n' && p->prev[1] != '\r') ||
		           (b == 0x85 && p->prev[1] == 0xc2) ||                      /* NEL */
		           ((b == 0xa8 || b == 0xa9) && p->prev[1] == 0x80 && p->prev[0] == 0xe2);
		if (brk) {
			p->line++;
			p->col = 0;
		} else if (b != '\n' && (b & 0xc0) != 0x80) {
			p->col++; /* one character starts here */
		}
		p->prev[0] = p->prev[1];
		p->prev[1] = b;
	}
}

int youth__yaml_locate_in(const char *data, size_t size, size_t offset, size_t *line,
                          size_t *col)
{
	if (offset > size)
		return -1;
	youth__yaml_pos p = {0, 0, {0, 0}};
	youth__yaml_pos_feed(&p, (const unsigned char *)data, offset);
	*line = p.line + 1;
	*col = p.col + 1;
	return 0;
}

static int locate_buffer(void *ctx, size_t offset, size_t *line, size_t *col)
{
	const youth__yaml *y = ctx;
	return youth__yaml_locate_in(y->buf, y->buf_size, offset, line, col);
}

int youth__yaml_locate_file(FILE *f, size_t offset, size_t *line, size_t *col)
{
	youth__yaml_pos p = {0, 0, {0, 0}};
	unsigned char chunk[16384];
	size_t left = offset;
	while (left > 0) {
		size_t n = fread(chunk, 1, left < sizeof chunk ? left : sizeof chunk, f);
		if (n == 0)
			return -1; /* shorter than before: changed since */
		youth__yaml_pos_feed(&p, chunk, n);
		left -= n;
	}
	*line = p.line + 1;
	*col = p.col + 1;
	return 0;
}

static int locate_path(void *ctx, size_t offset, size_t *line, size_t *col)
{
	const youth__yaml *y = ctx;
	FILE *f = fopen(y->name, "rb");
	if (!f)
		return -1;
	int rc = youth__yaml_locate_file(f, offset, line, col);
	fclose(f);
	return rc;
}

/* Leaves @y safe to close whatever happens next. */
static void reset(youth__yaml *y)
{
	y->locate = NULL;
	y->locate_ctx = NULL;
	y->key_ctx = NULL;
	y->handler = NULL;
	y->handler_ctx = NULL;
	y->buf = NULL;
	y->buf_size = y->buf_pos = 0;
	y->parser_ready = false;
	y->have_event = false;
	y->own_file = false;
	y->file = NULL;
}

/* The end of every open: the parser ready, reading through guarded_read(), positions of
 * errors found by @locate (NULL: the input cannot be read again). */
static int start(youth__yaml *y, const char *name,
                 int (*locate)(void *ctx, size_t offset, size_t *line, size_t *col))
{
	int rc = open_common(y, name);
	if (rc == YOUTH_OK) {
		y->locate = locate;
		y->locate_ctx = locate ? y : NULL;
		yaml_parser_set_input(&y->parser, guarded_read, y);
	}
	return rc;
}

int youth__yaml_open_file(youth__yaml *y, const char *path)
{
	reset(y);
	if (!path)
		return youth__error(YOUTH_EINVAL, NULL, "NULL file name");
	FILE *f = fopen(path, "rb");
	if (!f)
		return youth__error(errno == ENOENT ? YOUTH_ENOTFOUND : YOUTH_EIO, NULL, "%s: %s", path,
		                    strerror(errno));
	int rc = start(y, path, locate_path);
	if (rc) {
		fclose(f);
		return rc;
	}
	y->file = f;
	y->own_file = true;
	return YOUTH_OK;
}

int youth__yaml_open_handler(youth__yaml *y, yaml_read_handler_t *handler, void *ctx,
                             const char *name)
{
	reset(y);
	int rc = start(y, name, NULL);
	if (rc == YOUTH_OK) {
		y->handler = handler;
		y->handler_ctx = ctx;
	}
	return rc;
}

int youth__yaml_open_buffer(youth__yaml *y, const char *data, size_t size, const char *name)
{
	reset(y);
	if (!data)
		return youth__error(YOUTH_EINVAL, NULL, "NULL YAML buffer");
	int rc = start(y, name, locate_buffer);
	if (rc == YOUTH_OK) {
		y->buf = data;
		y->buf_size = size;
	}
	return rc;
}

void youth__yaml_close(youth__yaml *y)
{
	if (y->have_event)
		yaml_event_delete(&y->event);
	y->have_event = false;
	if (y->parser_ready)
		yaml_parser_delete(&y->parser);
	y->parser_ready = false;
	if (y->own_file && y->file)
		fclose(y->file);
	y->file = NULL;
}

int youth__yaml_error(youth__yaml *y, int code, const char *field, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	size_t line = y->have_event ? y->event.start_mark.line + 1 : y->parser.mark.line + 1;
	size_t col = y->have_event ? y->event.start_mark.column + 1 : y->parser.mark.column + 1;
	return youth__error(code, field, "%s:%zu:%zu: %s", y->name, line, col, msg);
}

static const char *event_name(yaml_event_type_t t)
{
	switch (t) {
	case YAML_STREAM_START_EVENT: return "start of stream";
	case YAML_STREAM_END_EVENT: return "end of file";
	case YAML_DOCUMENT_START_EVENT: return "start of document";
	case YAML_DOCUMENT_END_EVENT: return "end of document";
	case YAML_ALIAS_EVENT: return "alias";
	case YAML_SCALAR_EVENT: return "scalar";
	case YAML_SEQUENCE_START_EVENT: return "sequence";
	case YAML_SEQUENCE_END_EVENT: return "end of sequence";
	case YAML_MAPPING_START_EVENT: return "mapping";
	case YAML_MAPPING_END_EVENT: return "end of mapping";
	default: return "nothing";
	}
}

int youth__yaml_next(youth__yaml *y)
{
	/* Where the next value starts, for a read over the budget (the value is not known yet). */
	yaml_mark_t from = y->have_event ? y->event.end_mark : y->parser.mark;
	if (y->have_event) {
		yaml_event_delete(&y->event);
		y->have_event = false;
	}
	y->read_since_event = 0;
	if (!yaml_parser_parse(&y->parser, &y->event)) {
		if (y->overrun)
			return youth__error(YOUTH_ELIMIT, NULL, "%s:%zu:%zu: a value exceeds the limit of "
			                    "%d bytes (no value ends within the next %d bytes of input)",
			                    y->name, from.line + 1, from.column + 1, YOUTH__YAML_MAX_SCALAR,
			                    YOUTH__YAML_MAX_READ);
		const char *problem = y->parser.problem ? y->parser.problem : "malformed YAML";
		size_t line = y->parser.problem_mark.line + 1, col = y->parser.problem_mark.column + 1;
		if (y->parser.error == YAML_MEMORY_ERROR)
			return youth__oom();
		if (y->parser.error == YAML_READER_ERROR) {
			size_t off = y->parser.problem_offset;
			if (y->locate && y->locate(y->locate_ctx, off, &line, &col) == 0)
				return youth__error(YOUTH_EPARSE, NULL, "%s:%zu:%zu: %s at byte %zu (the file "
				                    "must be UTF-8 text)", y->name, line, col, problem, off);
			return youth__error(YOUTH_EPARSE, NULL, "%s: byte %zu: %s (the file must be UTF-8 "
			                    "text)", y->name, off, problem);
		}
		return youth__error(YOUTH_EPARSE, NULL, "%s:%zu:%zu: %s%s%s", y->name, line, col, problem,
		                    y->parser.context ? " " : "",
		                    y->parser.context ? y->parser.context : "");
	}
	y->have_event = true;
	y->events++;
	yaml_event_t *e = &y->event;
	const unsigned char *anchor = NULL, *tag = NULL;
	switch (e->type) {
	case YAML_ALIAS_EVENT:
		return youth__yaml_error(y, YOUTH_EPARSE, NULL, "aliases (*%s) are not accepted",
		                         (const char *)e->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		anchor = e->data.scalar.anchor;
		tag = e->data.scalar.tag;
		if (e->data.scalar.length > YOUTH__YAML_MAX_SCALAR)
			return youth__yaml_error(y, YOUTH_ELIMIT, NULL,
			                         "a value of %zu bytes exceeds the limit of %d",
			                         e->data.scalar.length, YOUTH__YAML_MAX_SCALAR);
		if (memchr(e->data.scalar.value, 0, e->data.scalar.length))
			return youth__yaml_error(y, YOUTH_EPARSE, NULL, "a value contains a NUL byte");
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (e->type == YAML_SEQUENCE_START_EVENT) {
			anchor = e->data.sequence_start.anchor;
			tag = e->data.sequence_start.tag;
		} else {
			anchor = e->data.mapping_start.anchor;
			tag = e->data.mapping_start.tag;
		}
		if (++y->depth > YOUTH__YAML_MAX_DEPTH)
			return youth__yaml_error(y, YOUTH_ELIMIT, NULL, "nesting deeper than %d levels",
			                         YOUTH__YAML_MAX_DEPTH);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		y->depth--;
		break;
	case YAML_DOCUMENT_START_EVENT:
		if (e->data.document_start.tag_directives.start != e->data.document_start.tag_directives.end)
			return youth__yaml_error(y, YOUTH_EPARSE, NULL, "%%TAG directives are not accepted");
		break;
	default:
		break;
	}
	if (anchor)
		return youth__yaml_error(y, YOUTH_EPARSE, NULL, "anchors (&%s) are not accepted",
		                         (const char *)anchor);
	if (tag)
		return youth__yaml_error(y, YOUTH_EPARSE, NULL, "tags (%s) are not accepted",
		                         (const char *)tag);
	return YOUTH_OK;
}

int youth__yaml_expect(youth__yaml *y, yaml_event_type_t type, const char *what)
{
	if (y->event.type == type)
		return YOUTH_OK;
	return youth__yaml_error(y, YOUTH_EPARSE, NULL, "expected %s, found %s", what,
	                         event_name(y->event.type));
}

int youth__yaml_skip(youth__yaml *y)
{
	if (y->event.type == YAML_SCALAR_EVENT)
		return YOUTH_OK;
	int base = y->depth - 1, rc = YOUTH_OK;
	while (rc == YOUTH_OK && y->depth > base)
		rc = youth__yaml_next(y);
	return rc;
}

/* The events that frame a document's top mapping, opening and closing, with what the error
 * says was expected: one table each, walked by frame_events(). */
typedef struct frame_event {
	yaml_event_type_t type;
	const char *what;
} frame_event;

static const frame_event FRAME_OPEN[] = {
	{YAML_STREAM_START_EVENT, "start of stream"},
	{YAML_DOCUMENT_START_EVENT, "a YAML document"},
	{YAML_MAPPING_START_EVENT, "a mapping with `format: libyouth/1`"},
};
static const frame_event FRAME_CLOSE[] = {
	{YAML_MAPPING_END_EVENT, "end of the top mapping"},
	{YAML_DOCUMENT_END_EVENT, "end of document"},
};

/* Expects each of the @n events in turn, stepping past each one. */
static int frame_events(youth__yaml *y, const frame_event *e, size_t n)
{
	int rc = YOUTH_OK;
	for (size_t i = 0; rc == YOUTH_OK && i < n; i++)
		if ((rc = youth__yaml_expect(y, e[i].type, e[i].what)) == YOUTH_OK)
			rc = youth__yaml_next(y);
	return rc;
}

int youth__yaml_begin_document(youth__yaml *y)
{
	int rc = youth__yaml_next(y);
	if (rc == YOUTH_OK)
		rc = frame_events(y, FRAME_OPEN, YOUTH__N_OF(FRAME_OPEN));
	if (rc)
		return rc;
	if (!youth__yaml_is(y, YAML_SCALAR_EVENT) || strcmp(youth__yaml_scalar(y), "format") != 0)
		return youth__yaml_error(y, YOUTH_EPARSE, "format",
		                         "the first key must be `format: libyouth/1`");
	rc = youth__yaml_next(y);
	if (rc)
		return rc;
	if (!youth__yaml_is(y, YAML_SCALAR_EVENT) ||
	    strcmp(youth__yaml_scalar(y), "libyouth/1") != 0)
		return youth__yaml_error(y, YOUTH_EPARSE, "format",
		                         "format \"%.40s\": unsupported (this library reads libyouth/1)",
		                         youth__yaml_is(y, YAML_SCALAR_EVENT) ? youth__yaml_scalar(y) : "");
	return youth__yaml_next(y);
}

int youth__yaml_end_document(youth__yaml *y)
{
	int rc = frame_events(y, FRAME_CLOSE, YOUTH__N_OF(FRAME_CLOSE));
	if (rc == YOUTH_OK && !youth__yaml_is(y, YAML_STREAM_END_EVENT))
		rc = youth__yaml_error(y, YOUTH_EPARSE, NULL, "only one document per file is accepted");
	return rc;
}

/* ---- flat records --------------------------------------------------------------------- */

bool youth__yaml_list_key(const char *const *keys, const char *key)
{
	for (; keys && *keys; keys++)
		if (strcmp(*keys, key) == 0)
			return true;
	return false;
}

/* A sequence of plain scalars becomes one comma-separated value: the text form of the
 * list-valued fields (places of a programme, census rounds...).  *@inside tells a refused
 * list (a value that is no sequence) from a refused item. */
static int read_list(youth__yaml *y, youth__buf *b, const char *key, bool *inside)
{
	*inside = false;
	if (!youth__yaml_is(y, YAML_SEQUENCE_START_EVENT))
		return youth__yaml_error(y, YOUTH_EINVAL, key, "%s: expected a list, e.g. [a, b]", key);
	*inside = true;
	int rc, n = 0;
	while ((rc = youth__yaml_next(y)) == YOUTH_OK && !youth__yaml_is(y, YAML_SEQUENCE_END_EVENT)) {
		if (!youth__yaml_is(y, YAML_SCALAR_EVENT))
			return youth__yaml_error(y, YOUTH_EINVAL, key, "%s: each item must be a plain value",
			                         key);
		const char *v = youth__yaml_scalar(y);
		size_t len = y->event.data.scalar.length;
		if (memchr(v, ',', len))
			return youth__yaml_error(y, YOUTH_EINVAL, key,
			                         "%s \"%.40s\": one item per list entry (no commas)", key, v);
		bool blank = true;
		for (size_t i = 0; i < len && blank; i++)
			blank = v[i] == ' ' || v[i] == '\t';
		if (blank)
			return youth__yaml_error(y, YOUTH_EINVAL, key, "%s: an empty item", key);
		if (n++ && (rc = youth__buf_put(b, ", ", 2)))
			return rc;
		if ((rc = youth__buf_put(b, v, len)))
			return rc;
	}
	if (rc == YOUTH_OK && n == 0)
		rc = youth__yaml_error(y, YOUTH_EINVAL, key,
		                       "%s: an empty list; leave the key out instead", key);
	return rc;
}

/* The node at the current event (a scalar, or a whole sequence or mapping, read through its
 * last event) appended to @b as YAML flow text: a refused value kept as it was read. */
static int raw_node(youth__yaml *y, youth__buf *b)
{
	if (youth__yaml_is(y, YAML_SCALAR_EVENT))
		return youth__yaml_put_flow_scalar(b, youth__yaml_scalar(y));
	bool map = youth__yaml_is(y, YAML_MAPPING_START_EVENT);
	if (!map && !youth__yaml_is(y, YAML_SEQUENCE_START_EVENT))
		return youth__yaml_error(y, YOUTH_EPARSE, NULL, "expected a value, found %s",
		                         event_name(y->event.type));
	yaml_event_type_t end = map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
	int rc = youth__buf_puts(b, map ? "{" : "[");
	for (int n = 0; rc == YOUTH_OK && (rc = youth__yaml_next(y)) == YOUTH_OK &&
	                !youth__yaml_is(y, end);
	     n++) {
		if (n && (rc = youth__buf_puts(b, ", ")))
			break;
		rc = raw_node(y, b);
		if (rc == YOUTH_OK && map && (rc = youth__buf_puts(b, ": ")) == YOUTH_OK &&
		    (rc = youth__yaml_next(y)) == YOUTH_OK)
			rc = raw_node(y, b);
	}
	return rc ? rc : youth__buf_puts(b, map ? "}" : "]");
}

/* A list refused at the current event, its items up to there already joined in @b from
 * @from: the whole list again as flow text, `[a, b, {bad: item}, c]`, read to its end. */
static int list_as_read(youth__yaml *y, youth__buf *b, size_t from, bool inside)
{
	youth__buf flow = {0}, item = {0};
	int rc = YOUTH_OK;
	if (!inside) { /* not a list at all: the value as it is */
		rc = youth__yaml_is(y, YAML_SCALAR_EVENT)
		             ? youth__yaml_put_scalar(&flow, youth__yaml_scalar(y), true)
		             : raw_node(y, &flow);
		goto out;
	}
	rc = youth__buf_puts(&flow, "[");
	int n = 0;
	for (size_t i = from; rc == YOUTH_OK && i < b->len; n++) { /* no item holds a comma */
		const char *comma = memchr(b->data + i, ',', b->len - i);
		size_t len = comma ? (size_t)(comma - (b->data + i)) : b->len - i;
		item.len = 0;
		if ((n && (rc = youth__buf_puts(&flow, ", "))) ||
		    (rc = youth__buf_put(&item, b->data + i, len)))
			break;
		rc = youth__yaml_put_flow_scalar(&flow, item.data);
		i += len + 2;
	}
	for (; rc == YOUTH_OK && !youth__yaml_is(y, YAML_SEQUENCE_END_EVENT); n++) {
		if (n)
			rc = youth__buf_puts(&flow, ", ");
		if (rc == YOUTH_OK)
			rc = raw_node(y, &flow);
		if (rc == YOUTH_OK)
			rc = youth__yaml_next(y);
	}
	if (rc == YOUTH_OK)
		rc = youth__buf_puts(&flow, "]");
out:
	if (rc == YOUTH_OK) {
		b->len = from;
		rc = youth__buf_put(b, flow.data, flow.len);
	}
	youth__buf_free(&flow);
	youth__buf_free(&item);
	return rc;
}

int youth__yaml_read_map(youth__yaml *y, youth__yaml_rec *r, youth__yaml_keyfn accept,
                         const void *ctx, const char *what, const char *const *list_keys)
{
	r->n = 0;
	r->b.len = 0;
	r->line = y->event.start_mark.line + 1;
	uint64_t seen = 0;
	int prev = -1; /* tag of the previous key */
	/* The first refusal, kept while the rest of the record is read (y->whole_records). */
	int first = YOUTH_OK;
	char first_msg[700], first_field[64];
	int rc = youth__yaml_expect(y, YAML_MAPPING_START_EVENT, "a mapping of fields");
	while (rc == YOUTH_OK && (rc = youth__yaml_next(y)) == YOUTH_OK &&
	       !youth__yaml_is(y, YAML_MAPPING_END_EVENT)) {
		if ((rc = youth__yaml_expect(y, YAML_SCALAR_EVENT, "a field name")))
			break;
		const char *key = youth__yaml_scalar(y);
		const char *name = NULL;
		int tag = -1;
		if (strcmp(key, "id") == 0) {
			rc = youth__yaml_error(y, YOUTH_EINVAL, "id",
			                       "id: assigned by the registry; identify records by uuid");
		} else {
			if (y->key_ctx != ctx) { /* another kind of record: its own order */
				memset(y->key_next, 0, sizeof y->key_next);
				y->key_ctx = ctx;
			}
			tag = accept(ctx, key, prev >= -1 ? y->key_next[prev + 1] - 1 : -1, &name);
			bool learnt = tag >= 0 && tag < YOUTH__YAML_KEY_TAGS;
			if (learnt && prev >= -1)
				y->key_next[prev + 1] = (short)(tag + 1);
			prev = learnt ? tag : -2; /* -2: no guess for the next key */
			if (tag < 0)
				rc = youth__yaml_error(y, YOUTH_EINVAL, key, "unknown key `%.30s` in a %s", key,
				                       what);
			else if (tag < 64 ? (seen >> tag) & 1 : false)
				rc = youth__yaml_error(y, YOUTH_EINVAL, name, "%s: given twice", name);
		}
		if (rc != YOUTH_OK && !y->whole_records)
			break;
		if (r->n == YOUTH__YAML_MAX_KEYS) {
			rc = youth__yaml_error(y, YOUTH_ELIMIT, NULL, "more than %d keys in one %s",
			                       YOUTH__YAML_MAX_KEYS, what);
			break;
		}
		bool refused = rc != YOUTH_OK;
		if (!refused)
			seen |= tag < 64 ? (uint64_t)1 << tag : 0;
		youth__yaml_kv *e = &r->kv[r->n];
		e->tag = refused ? -1 : tag;
		e->flow = refused;
		e->key = r->b.len;
		e->line = y->event.start_mark.line + 1;
		e->col = y->event.start_mark.column + 1;
		const char *k = refused ? key : name;
		int io = youth__buf_put(&r->b, k, strlen(k) + 1);
		if (io == YOUTH_OK)
			io = youth__yaml_next(y);
		if (io) {
			rc = io;
			break;
		}
		e->val = r->b.len;
		bool inside = false; /* a list refused at an item, not as a whole */
		if (refused)
			io = youth__yaml_is(y, YAML_SCALAR_EVENT)
			             ? youth__yaml_put_scalar(&r->b, youth__yaml_scalar(y), true)
			             : raw_node(y, &r->b);
		else if (youth__yaml_list_key(list_keys, name))
			rc = read_list(y, &r->b, name, &inside);
		else if (!youth__yaml_is(y, YAML_SCALAR_EVENT))
			rc = youth__yaml_error(y, YOUTH_EINVAL, name, "%s: expected a plain value", name);
		else
			rc = youth__buf_put(&r->b, youth__yaml_scalar(y), y->event.data.scalar.length);
		if (rc == YOUTH_EINVAL && !refused && y->whole_records) {
			/* the value refused: kept as it was read */
			e->tag = -1;
			e->flow = true;
			io = list_as_read(y, &r->b, e->val, inside);
		}
		if (io == YOUTH_OK && (rc == YOUTH_OK || rc == YOUTH_EINVAL))
			io = youth__buf_put(&r->b, "", 1);
		if (io) {
			rc = io;
			break;
		}
		if (rc != YOUTH_OK && (rc != YOUTH_EINVAL || !y->whole_records))
			break;
		if (rc == YOUTH_EINVAL && first == YOUTH_OK) {
			const youth_error *err = youth_error_last();
			first = rc;
			snprintf(first_msg, sizeof first_msg, "%s", err->message);
			snprintf(first_field, sizeof first_field, "%s", err->field ? err->field : "");
		}
		rc = YOUTH_OK;
		r->n++;
	}
	if (rc == YOUTH_OK && first != YOUTH_OK)
		rc = youth__error(first, first_field[0] ? first_field : NULL, "%s", first_msg);
	return rc;
}

static int kind_key(const void *ctx, const char *key, int guess, const char **name)
{
	const youth__kind *k = ctx;
	const youth__field *f = guess >= 0 && (size_t)guess < k->n_fields &&
	                                strcmp(k->fields[guess].name, key) == 0
	                            ? &k->fields[guess]
	                            : youth__rec_find(k, key);
	if (!f)
		return -1;
	*name = f->name;
	return (int)(f - k->fields);
}

int youth__yaml_read_rec(youth__yaml *y, youth__yaml_rec *r, const youth__kind *k,
                         const char *what, const char *const *list_keys)
{
	return youth__yaml_read_map(y, r, kind_key, k, what, list_keys);
}

int youth__yaml_apply_rec(youth__yaml *y, const youth__yaml_rec *r, const youth__kind *k,
                          void *rec, const char *what, int64_t number)
{
	for (int i = 0; i < r->n; i++) {
		const youth__yaml_kv *e = &r->kv[i];
		int rc = youth__rec_set_field(k, rec, r->b.data + e->key, r->b.data + e->val);
		if (rc) {
			youth__error_prefix("%s:%zu:%zu: %s %lld", y->name, e->line, e->col, what,
			                    (long long)number);
			return rc;
		}
	}
	return YOUTH_OK;
}

void youth__yaml_blame(youth__yaml *y, const youth__yaml_rec *r, const char *what, int64_t number)
{
	const youth_error *err = youth_error_last();
	size_t line = r->line, col = 1;
	for (int i = 0; err->field && i < r->n; i++)
		if (strcmp(r->b.data + r->kv[i].key, err->field) == 0)
			line = r->kv[i].line, col = r->kv[i].col;
	youth__error_prefix("%s:%zu:%zu: %s %lld", y->name, line, col, what, (long long)number);
}

/* `end: {records: N}`: the proof that the file is whole. */
int youth__yaml_read_end(youth__yaml *y, int64_t count)
{
	int rc = youth__yaml_next(y);
	if (rc == YOUTH_OK)
		rc = youth__yaml_expect(y, YAML_MAPPING_START_EVENT, "`end:` with `records: N`");
	long long n = -1;
	yaml_mark_t at = y->event.start_mark; /* of the count, for the message */
	while (rc == YOUTH_OK && (rc = youth__yaml_next(y)) == YOUTH_OK &&
	       !youth__yaml_is(y, YAML_MAPPING_END_EVENT)) {
		if ((rc = youth__yaml_expect(y, YAML_SCALAR_EVENT, "`records`")))
			break;
		if (strcmp(youth__yaml_scalar(y), "records") != 0 || n >= 0) {
			rc = youth__yaml_error(y, YOUTH_EPARSE, "end",
			                       "end: only `records: N` may be given (once), not `%.30s`",
			                       youth__yaml_scalar(y));
			break;
		}
		if ((rc = youth__yaml_next(y)))
			break;
		if (!youth__yaml_is(y, YAML_SCALAR_EVENT) ||
		    youth__parse_int(youth__yaml_scalar(y), 0, INT64_MAX / 2, &n)) {
			rc = youth__yaml_error(y, YOUTH_EPARSE, "end", "end: records must be a count");
			break;
		}
		at = y->event.start_mark;
	}
	if (rc == YOUTH_OK && n < 0)
		rc = youth__yaml_error(y, YOUTH_EPARSE, "end", "end: `records: N` is missing");
	if (rc == YOUTH_OK && n != count)
		rc = youth__error(YOUTH_EPARSE, "end",
		                  "%s:%zu:%zu: end: the file says %lld records but holds %lld (cut "
		                  "short or edited)", y->name, at.line + 1, at.column + 1, n,
		                  (long long)count);
	return rc;
}

/* ---- files of one list ------------------------------------------------------------------ */

/* Reads the list of flat records at the current event through its last event. */
static int read_records(youth__yaml *y, const youth__yaml_list *l, void *ctx, int64_t *count)
{
	youth__yaml_rec r = {0};
	void *rec = youth__malloc(l->kind->struct_size);
	int rc = rec ? youth__yaml_expect(y, YAML_SEQUENCE_START_EVENT, l->what) : youth__oom();
	while (rc == YOUTH_OK && (rc = youth__yaml_next(y)) == YOUTH_OK &&
	       !youth__yaml_is(y, YAML_SEQUENCE_END_EVENT)) {
		youth_record_init(l->kind, rec);
		rc = youth__yaml_read_rec(y, &r, l->kind, l->noun, l->list_keys);
		if (rc == YOUTH_OK)
			rc = youth__yaml_apply_rec(y, &r, l->kind, rec, l->label, *count + 1);
		if (rc == YOUTH_OK && l->check)
			rc = l->check(y, ctx, rec, &r);
		if (rc == YOUTH_OK && (rc = l->add(ctx, rec)))
			youth__yaml_blame(y, &r, l->label, *count + 1);
		if (rc == YOUTH_OK)
			++*count;
	}
	youth__free(rec);
	youth__buf_free(&r.b);
	return rc;
}

int youth__yaml_read_file(youth__yaml *y, const youth__yaml_file *f, void *ctx, int64_t *count)
{
	bool seen = false, seen1 = false, seen2 = false;
	int rc = youth__yaml_begin_document(y);
	while (rc == YOUTH_OK && !youth__yaml_is(y, YAML_MAPPING_END_EVENT)) {
		if ((rc = youth__yaml_expect(y, YAML_SCALAR_EVENT, "a key")))
			break;
		if (f->end && seen && strcmp(youth__yaml_scalar(y), "end") == 0) {
			if ((rc = youth__yaml_read_end(y, *count)) == YOUTH_OK &&
			    (rc = youth__yaml_next(y)) == YOUTH_OK &&
			    !youth__yaml_is(y, YAML_MAPPING_END_EVENT))
				rc = youth__yaml_error(y, YOUTH_EPARSE, NULL,
				                       "`end` must be the last key of the file");
			break;
		}
		bool second = f->key2 && strcmp(youth__yaml_scalar(y), f->key2) == 0;
		if (!second && strcmp(youth__yaml_scalar(y), f->key) != 0) {
			rc = youth__yaml_error(y, YOUTH_EINVAL, NULL, "unknown key `%.30s` (a %s file has %s)",
			                       youth__yaml_scalar(y), f->file, f->keys);
			break;
		}
		/* Each key once: a file with two lists may give them in either order. */
		bool *mark = second ? &seen2 : &seen1;
		if (f->once && *mark) {
			const char *key = second ? f->key2 : f->key;
			rc = youth__yaml_error(y, YOUTH_EINVAL, key, "`%s` given twice", key);
			break;
		}
		*mark = seen = true;
		if ((rc = youth__yaml_next(y)) == YOUTH_OK)
			rc = second      ? f->list2(y, ctx, count)
			     : f->records ? read_records(y, f->records, ctx, count)
			                  : f->list(y, ctx, count);
		if (rc == YOUTH_OK)
			rc = youth__yaml_next(y);
	}
	if (rc == YOUTH_OK && !seen && f->key2)
		rc = youth__yaml_error(y, YOUTH_EINVAL, f->key, "no `%s` list (nor `%s`) in the file",
		                       f->key, f->key2);
	else if (rc == YOUTH_OK && !seen)
		rc = youth__yaml_error(y, YOUTH_EINVAL, f->key, "no `%s` list in the file", f->key);
	if (rc == YOUTH_OK)
		rc = youth__yaml_end_document(y);
	return rc;
}
