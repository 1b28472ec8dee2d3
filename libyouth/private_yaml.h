/*
 * Internals of libyouth, YAML layer: the guarded reader (yaml_reader.c) and the writer
 * (yaml_writer.c).  Included by private.h after the record layer, whose field tables the
 * reader fills; nothing here knows registries, sections, the gazetteer or the services
 * (docs/design.md, "Lower files never call upward"; tests/check-layers.sh checks it on the
 * objects).
 */
#ifndef YOUTH_PRIVATE_YAML_H
#define YOUTH_PRIVATE_YAML_H

/* ---- YAML reading (yaml_reader.c) ---------------------------------------------------- */

#include <yaml.h>

/* Limits applied to every YAML input (hostile-input policy, docs/format.md). */
#define YOUTH__YAML_MAX_DEPTH 32
#define YOUTH__YAML_MAX_SCALAR (64 * 1024)
/* Input read while libyaml looks for the next event, at most: libyaml gathers a scalar whole
 * before it says how long it is, so the scalar cap alone would let a 1 GiB value take 1 GiB
 * (twice, as its buffer doubles) before the refusal.  Sixteen times the cap leaves room for
 * escapes (`\U0001F600` is 10 bytes for 4), folded lines and comments around a value of the
 * largest size. */
#define YOUTH__YAML_MAX_READ (16 * YOUTH__YAML_MAX_SCALAR)
/* Tags below this learn the key order (youth__yaml.key_next); any tag is accepted. */
#define YOUTH__YAML_KEY_TAGS 128

typedef struct youth__yaml {
	yaml_parser_t parser;
	yaml_event_t event;
	bool have_event;
	bool parser_ready;
	const char *name;   /* file name for messages */
	int depth;
	FILE *file;
	bool own_file;
	const char *buf; /* the input of youth__yaml_open_buffer() */
	size_t buf_size, buf_pos;
	yaml_read_handler_t *handler; /* the input of youth__yaml_open_handler() */
	void *handler_ctx;
	/* Every input is read through one handler that counts the bytes read since the event
	 * before (the read budget, YOUTH__YAML_MAX_READ) and fails the read past it (overrun). */
	size_t read_since_event;
	bool overrun;
	int64_t events;
	/* Key order learnt from the records read so far: after the key of tag t came the key of
	 * tag key_next[t + 1] - 1 (key_next[0]: the first key; 0 = none yet).  Files list their
	 * keys in the same order record after record, so a key is found at the first compare
	 * instead of after a search through the kind's fields. */
	const void *key_ctx;
	short key_next[YOUTH__YAML_KEY_TAGS + 1];
	/* libyaml's reader (invalid UTF-8, control characters) reports a byte offset only; this
	 * turns one into a line and column by reading the input again, where it can be (NULL:
	 * the offset is all the message gives). */
	int (*locate)(void *ctx, size_t offset, size_t *line, size_t *col);
	void *locate_ctx;
	/* youth__yaml_read_map() reads a refused record to its end, keeping every key and value
	 * as read (the rejects report of a keep-going import writes it back whole). */
	bool whole_records;
} youth__yaml;

/* Line and column counting as libyaml counts them (breaks: LF, CR, CR LF, NEL, LS, PS;
 * columns in characters), fed the input in pieces of any size. */
typedef struct youth__yaml_pos {
	size_t line, col; /* 0-based */
	unsigned char prev[2];
} youth__yaml_pos;
void youth__yaml_pos_feed(youth__yaml_pos *p, const unsigned char *s, size_t n);
/* The position of byte @offset of @data (1-based line and column); for youth__yaml.locate. */
int youth__yaml_locate_in(const char *data, size_t size, size_t offset, size_t *line,
                          size_t *col);
/* The same for the next @offset bytes of @f, read from where it stands. */
int youth__yaml_locate_file(FILE *f, size_t offset, size_t *line, size_t *col);

int youth__yaml_open_file(youth__yaml *y, const char *path);
int youth__yaml_open_buffer(youth__yaml *y, const char *data, size_t size, const char *name);
/* Reads through @handler (libyaml's read callback), e.g. to count bytes for progress. */
int youth__yaml_open_handler(youth__yaml *y, yaml_read_handler_t *handler, void *ctx,
                             const char *name);
void youth__yaml_close(youth__yaml *y);
/* Advances to the next event, enforcing the limits; the event stays valid until the next call. */
int youth__yaml_next(youth__yaml *y);
/* Expects the current event to be of @type, else an EPARSE error naming @what. */
int youth__yaml_expect(youth__yaml *y, yaml_event_type_t type, const char *what);
/* Error at the current event's position: "name:line:col: message". */
int youth__yaml_error(youth__yaml *y, int code, const char *field, const char *fmt, ...)
	YOUTH__PRINTF(4, 5);
/* Reads the stream, document and top mapping start and checks `format: libyouth/1`
 * when it is the first key; leaves the parser on the next key (or mapping end). */
int youth__yaml_begin_document(youth__yaml *y);
/* After the top mapping ends: expects document end and stream end. */
int youth__yaml_end_document(youth__yaml *y);
/* At the key `end`: reads `{records: N}` and checks N against the @count records read; the
 * trailer that tells a whole file from one cut short between two records. */
int youth__yaml_read_end(youth__yaml *y, int64_t count);
/* Skips the current node (scalar, or a whole sequence/mapping). */
int youth__yaml_skip(youth__yaml *y);
/* A flat record read from a YAML mapping: field names and text values, kept in one buffer
 * and applied once the mapping is whole (set_field borrows the strings). */
#define YOUTH__YAML_MAX_KEYS 32
typedef struct youth__yaml_kv {
	size_t key, val; /* offsets into b */
	int tag;         /* what the key function made of the key (-1: refused, kept as read) */
	bool flow;       /* val is YAML text as read (a list or mapping where a value goes, a
	                  * value of a refused key): written back as it is */
	size_t line, col;
} youth__yaml_kv;
typedef struct youth__yaml_rec {
	youth__buf b;
	youth__yaml_kv kv[YOUTH__YAML_MAX_KEYS];
	int n;
	size_t line; /* where the mapping starts */
} youth__yaml_rec;

/* Reads the mapping at the current event.  Keys must be fields of @k ("id" is refused);
 * values are plain scalars, or for @list_keys (NULL-terminated, may be NULL) sequences of
 * scalars, joined with ", ".  A refused key or value (unknown, given twice, of the wrong
 * shape) fails with YOUTH_EINVAL at it; with y->whole_records the mapping is still read to
 * its end and every pair kept in @r (refused ones with tag -1 or as flow text), and the error
 * returned is the first one. */
int youth__yaml_read_rec(youth__yaml *y, youth__yaml_rec *r, const youth__kind *k,
                         const char *what, const char *const *list_keys);
/* Same with keys chosen by @accept: it returns a tag (0-63: two keys with one tag are the same
 * key given twice) and the key's canonical name in *name (a string that outlives the call),
 * or -1 for an unknown key.  @guess is the likely tag, tried first (-1: none). */
typedef int (*youth__yaml_keyfn)(const void *ctx, const char *key, int guess, const char **name);
int youth__yaml_read_map(youth__yaml *y, youth__yaml_rec *r, youth__yaml_keyfn accept,
                         const void *ctx, const char *what, const char *const *list_keys);
/* Sets every field of @rec from @r; an error is prefixed with the field's position. */
int youth__yaml_apply_rec(youth__yaml *y, const youth__yaml_rec *r, const youth__kind *k,
                          void *rec, const char *what, int64_t number);
/* Prefixes the current error with the position of the field it names, else of the record. */
void youth__yaml_blame(youth__yaml *y, const youth__yaml_rec *r, const char *what, int64_t number);
/* True when @key is one of @list_keys (NULL-terminated, may be NULL): a key whose value is a
 * sequence of scalars, read joined with ", " and written back as a flow list. */
bool youth__yaml_list_key(const char *const *list_keys, const char *key);

/* A list of flat records of one kind, each handed to the caller as it is read. */
typedef struct youth__yaml_list {
	const youth__kind *kind;
	const char *what;              /* the list, for a wrong event: "a list of persons" */
	const char *noun;              /* the record, for youth__yaml_read_rec(): "person" */
	const char *label;             /* the record in messages, numbered: "record 3" */
	const char *const *list_keys;  /* as for youth__yaml_read_rec() */
	/* Optional: a check of the record as read (a code given twice), before @add; its error
	 * words its own position. */
	int (*check)(youth__yaml *y, void *ctx, const void *rec, const youth__yaml_rec *r);
	/* Adds @rec (set by youth_record_init(), then from the file); its error is blamed on the
	 * record's field, or on the record. */
	int (*add)(void *ctx, void *rec);
} youth__yaml_list;

/* A file of one list (census, rules, gazetteer): a mapping of `format` and one key whose value
 * is the list, and where allowed an `end` trailer after it. */
typedef struct youth__yaml_file {
	const char *file;  /* "census", for an unknown key: "(a census file has ...)" */
	const char *key;   /* the list's key: "persons" */
	const char *keys;  /* the keys it has: "`format`, `persons` and optionally `end`" */
	bool once;         /* the key given twice is refused */
	bool end;          /* an optional `end: {records: N}` after the list, N = the count */
	const youth__yaml_list *records; /* the list is of flat records; else: */
	/* Reads the key's value, from its first event (the current one) through its last, and
	 * adds the records it adds to *@count. */
	int (*list)(youth__yaml *y, void *ctx, int64_t *count);
	/* Optional: a second key the file may have beside or instead of @key (the gazetteer's
	 * `levels`), read by @list2; then a file with neither is "no `<key>` list (nor
	 * `<key2>`) in the file". */
	const char *key2;
	int (*list2)(youth__yaml *y, void *ctx, int64_t *count);
} youth__yaml_file;

/* Reads the document of @f from the start, each record counted into *@count (0 on entry):
 * "unknown key `K` (a <file> file has <keys>)", "`<key>` given twice", "no `<key>` list in
 * the file", and the `end` trailer checked against the count. */
int youth__yaml_read_file(youth__yaml *y, const youth__yaml_file *f, void *ctx, int64_t *count);

static inline const char *youth__yaml_scalar(const youth__yaml *y)
{
	return (const char *)y->event.data.scalar.value;
}
static inline bool youth__yaml_is(const youth__yaml *y, yaml_event_type_t t)
{
	return y->event.type == t;
}

/* ---- YAML writing (yaml_writer.c) ---------------------------------------------------- */

/* Appends @s to @b as a YAML scalar: plain when that reads back as the same string under any
 * YAML 1.1 resolver, else double-quoted; @force_quote for strings that look like numbers. */
int youth__yaml_put_scalar(youth__buf *b, const char *s, bool force_quote);
/* Appends @s as a scalar inside a flow collection: quoted also when it holds `,[]{}`. */
int youth__yaml_put_flow_scalar(youth__buf *b, const char *s);
/* Appends list text kept as "a, b" (youth__yaml_read_rec's joining of a sequence) as the flow
 * sequence `[a, b]`, each item quoted where it needs to be. */
int youth__yaml_put_list(youth__buf *b, const char *text);
/* Appends `key: ` of a record written as a block mapping inside a section's sequence; the first
 * key of the record (*@first, then cleared) opens the item with `- `. */
int youth__yaml_put_key(youth__buf *b, const char *key, bool *first);
/* The first line of a `libyouth/1` document, read back by youth__yaml_begin_document(). */
int youth__yaml_put_begin(youth__buf *b);
/* The trailer `end: {records: N}`, read back by youth__yaml_read_end(). */
int youth__yaml_put_end(youth__buf *b, int64_t records);

#endif
