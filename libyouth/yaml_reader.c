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
	if (!yaml_parser_initialize(&y->parser))
		return youth__oom();
	y->parser_ready = true;
	return YOUTH_OK;
}

/* Leaves @y safe to close whatever happens next. */
static void reset(youth__yaml *y)
{
	y->parser_ready = false;
	y->have_event = false;
	y->own_file = false;
	y->file = NULL;
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
	int rc = open_common(y, path);
	if (rc) {
		fclose(f);
		return rc;
	}
	y->file = f;
	y->own_file = true;
	yaml_parser_set_input_file(&y->parser, f);
	return YOUTH_OK;
}

int youth__yaml_open_buffer(youth__yaml *y, const char *data, size_t size, const char *name)
{
	reset(y);
	if (!data)
		return youth__error(YOUTH_EINVAL, NULL, "NULL YAML buffer");
	int rc = open_common(y, name);
	if (rc == YOUTH_OK)
		yaml_parser_set_input_string(&y->parser, (const unsigned char *)data, size);
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
	if (y->have_event) {
		yaml_event_delete(&y->event);
		y->have_event = false;
	}
	if (!yaml_parser_parse(&y->parser, &y->event)) {
		const char *problem = y->parser.problem ? y->parser.problem : "malformed YAML";
		size_t line = y->parser.problem_mark.line + 1, col = y->parser.problem_mark.column + 1;
		if (y->parser.error == YAML_MEMORY_ERROR)
			return youth__oom();
		if (y->parser.error == YAML_READER_ERROR)
			return youth__error(YOUTH_EPARSE, NULL, "%s: byte %zu: %s (the file must be UTF-8 "
			                    "text)", y->name, y->parser.problem_offset, problem);
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

int youth__yaml_begin_document(youth__yaml *y)
{
	int rc = youth__yaml_next(y);
	if (rc == YOUTH_OK)
		rc = youth__yaml_expect(y, YAML_STREAM_START_EVENT, "start of stream");
	if (rc == YOUTH_OK)
		rc = youth__yaml_next(y);
	if (rc == YOUTH_OK)
		rc = youth__yaml_expect(y, YAML_DOCUMENT_START_EVENT, "a YAML document");
	if (rc == YOUTH_OK)
		rc = youth__yaml_next(y);
	if (rc == YOUTH_OK)
		rc = youth__yaml_expect(y, YAML_MAPPING_START_EVENT, "a mapping with `format: libyouth/1`");
	if (rc == YOUTH_OK)
		rc = youth__yaml_next(y);
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
	int rc = youth__yaml_expect(y, YAML_MAPPING_END_EVENT, "end of the top mapping");
	if (rc == YOUTH_OK)
		rc = youth__yaml_next(y);
	if (rc == YOUTH_OK)
		rc = youth__yaml_expect(y, YAML_DOCUMENT_END_EVENT, "end of document");
	if (rc == YOUTH_OK)
		rc = youth__yaml_next(y);
	if (rc == YOUTH_OK && !youth__yaml_is(y, YAML_STREAM_END_EVENT))
		rc = youth__yaml_error(y, YOUTH_EPARSE, NULL, "only one document per file is accepted");
	return rc;
}
