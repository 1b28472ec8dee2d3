/*
 * Internals of libyouth.  Nothing here is exported: the linker version script keeps youth__*
 * out of the shared object.
 *
 * The library is built in layers; a file calls only into its own layer and the ones below
 * (docs/design.md, "Lower files never call upward"; tests/check-layers.sh checks the
 * objects):
 *   base         error.c alloc.c text.c uuid.c sdc.c outfile.c   (private_sdc.h)
 *   registry     pagesum.c registry.c schema.c audit.c
 *   records      record.c state.c kinds.c (every kind's tables, from kinds.def) audit_entry.c
 *   YAML         yaml_reader.c yaml_writer.c            (private_yaml.h; kept apart from
 *                                                       the registry)
 *   interchange  interchange.c: the section contract    (private_interchange.h)
 *   gazetteer    gazetteer.c
 *   services     person.c exchange.c rules.c course.c counselling.c scholarship.c
 *                enterprise.c followup.c organisation.c consent.c
 *   views        timeline.c catalogue.c erase.c (erase.c: every kind's privacy flags)
 *   engines      import.c export.c                      (private_interchange.h)
 *   reports      indicator.c report.c report_html.c     (private_report.h)
 *   maintenance  check.c
 */
#ifndef YOUTH_PRIVATE_H
#define YOUTH_PRIVATE_H

#include "config.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
/* The audit trail reads row values through the pre-update hook (configure checks SQLite has it). */
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include "youth.h"
#include "youth/kind.h"

#define YOUTH__UNUSED(x) ((void)(x))
#if defined(__GNUC__)
#define YOUTH__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define YOUTH__PRINTF(f, a)

#endif

/* ---- errors (error.c) ---------------------------------------------------------------- */

/* Records the thread's last error and returns @code so callers can `return youth__error(...)`.
 * Formatting never allocates: an out-of-memory failure must still be explainable. */
int youth__error(int code, const char *field, const char *fmt, ...) YOUTH__PRINTF(3, 4);
int youth__verror(int code, const char *field, const char *fmt, va_list ap) YOUTH__PRINTF(3, 0);
/* Prefixes the current message with "prefix: ", keeping code and field. */
void youth__error_prefix(const char *fmt, ...) YOUTH__PRINTF(1, 2);
/* Maps a SQLite result of @db to a youth code and records the message. */
int youth__sqlite_error(sqlite3 *db, int rc, const char *what);
int youth__oom(void);
/* EINVAL "<fn>: NULL <what>", or "<fn>: NULL registry" when @reg is NULL: the refusal of a
 * NULL argument of a public function taking a registry and one record (or path, or data). */
int youth__null_arg(const char *fn, const void *reg, const char *what);
/* YOUTH_EINVAL "<what>: unknown flags 0x..." when @flags has a bit outside @known. */
int youth__flags_rule(const char *what, unsigned flags, unsigned known);

/* ---- memory (alloc.c) ---------------------------------------------------------------- */

void *youth__malloc(size_t size);
void *youth__calloc(size_t n, size_t size);
void *youth__realloc(void *ptr, size_t size);
void youth__free(void *ptr);
char *youth__strdup(const char *s);
char *youth__strndup(const char *s, size_t n);
/* True unless youth_set_allocator() installed the caller's functions, which need not be
 * thread-safe: the library then keeps all its work on the caller's thread. */
bool youth__alloc_is_default(void);
/* Starts libsodium once per process, whatever the thread (EIO when it cannot start): every
 * cryptographic step (audit hash chain, keys, encrypted streams) calls it first. */
int youth__sodium_ready(void);

/* A growable byte buffer. */
typedef struct youth__buf {
	char *data;
	size_t len;
	size_t cap;
} youth__buf;

int youth__buf_grow(youth__buf *b, size_t extra);
int youth__buf_put(youth__buf *b, const char *s, size_t n);
int youth__buf_puts(youth__buf *b, const char *s);
int youth__buf_printf(youth__buf *b, const char *fmt, ...) YOUTH__PRINTF(2, 3);
void youth__buf_free(youth__buf *b);

/*
 * A memo of text -> number (alloc.c), for look-ups a bulk operation repeats: an open-addressing
 * table of hashes, values and offsets into one arena of the texts, doubled as it fills up to
 * max_slots (a power of two), where it is emptied and filled again instead, so memory does not
 * grow with the input.  Emptying is O(1) (a new generation), whatever its size.  It only saves
 * work: a text it cannot keep (no memory, longer than YOUTH__TEXTMAP_KEY_MAX) is simply not
 * kept, and no error is set.
 */
typedef struct youth__textmap {
	struct youth__textmap_slot {
		int64_t value;
		uint32_t hash, off; /* the text at off in the arena */
		uint32_t gen;       /* live only while it is the map's */
	} *slot;
	size_t cap, n, max_slots;
	uint32_t gen;
	youth__buf text;
} youth__textmap;
#define YOUTH__TEXTMAP_KEY_MAX 1024
#define YOUTH__TEXTMAP_TEXT_MAX (4u << 20) /* the arena, at most */

/* Gives @m its first table and arena (best effort) and its bound.  A zeroed map works too,
 * allocating them when it first remembers a text; max_slots 0 means 65 536 (1.5 MiB). */
void youth__textmap_init(youth__textmap *m, size_t max_slots);
bool youth__textmap_get(const youth__textmap *m, const char *text, int64_t *value);
/* Remembers @text -> @value (@text not in @m). */
void youth__textmap_put(youth__textmap *m, const char *text, int64_t value);
void youth__textmap_clear(youth__textmap *m);
void youth__textmap_free(youth__textmap *m);

/* ---- output files (outfile.c) --------------------------------------------------------- */

/* A file written whole or not at all: open, write to @f, then commit (synced, then given its
 * name, replacing a file of that name in one step) or abort (nothing is left).  On Linux it
 * has no name until the commit (O_TMPFILE), so even SIGKILL leaves nothing behind; elsewhere
 * a temporary "<path>.tmp-XXXXXX" is removed on errors, exit() and terminating signals (best
 * effort).  Mode 0600 whatever the umask. */
typedef struct youth__outfile {
	FILE *f;
	int fd;
	const char *path; /* borrowed */
	youth__buf tmp;   /* the temporary's name, when it has one */
	bool named;       /* a named temporary exists (the fallback) */
	int slot;         /* its place in the list the signal handler removes */
} youth__outfile;
int youth__outfile_open(youth__outfile *o, const char *path);
int youth__outfile_commit(youth__outfile *o);
void youth__outfile_abort(youth__outfile *o);
/* Tests: take the named-temporary way even where O_TMPFILE works. */
extern bool youth__outfile_no_tmpfile;
/* Writes a new file at @path through @fill, whole or not at all: an outfile opened, filled,
 * then committed (aborted on any error). */
int youth__file_replace(const char *path, int (*fill)(FILE *f, void *ctx), void *ctx);

/* ---- text (text.c) ------------------------------------------------------------------- */

/* Returns true when @s (@n bytes) is valid UTF-8 without control characters (C0, DEL, C1)
 * nor the line and paragraph separators U+2028/U+2029; with @multiline, LF, CR and tab are
 * allowed. */
bool youth__utf8_valid(const char *s, size_t n, bool multiline);
/* True when @s (@n bytes of valid UTF-8) has a character that shows: not only spaces of any
 * kind, format characters (zero-width, direction marks) and controls. */
bool youth__text_visible(const char *s, size_t n);
/* @n bytes of @src (at most @size - 1, @size > 0) into @dst, terminated: for the fixed-size
 * fields filled on hot paths (an import copies several a record), where snprintf("%s") cost
 * more than the copy. */
void youth__text_copy(char *dst, size_t size, const char *src, size_t n);
/* Appends the search form of @s to @b: lower case, accents removed, blanks collapsed. */
int youth__fold_into(youth__buf *b, const char *s);
/* Appends the slug of @s to @b: folded, every run of non-alphanumerics turned into '-'. */
int youth__slug_into(youth__buf *b, const char *s, size_t n);

typedef struct youth__date {
	int y, m, d;
} youth__date;

bool youth__date_parse(const char *s, youth__date *out);
void youth__date_format(const youth__date *d, char out[YOUTH_DATE_LEN + 1]);
void youth__today(char out[YOUTH_DATE_LEN + 1]);
int youth__age(const youth__date *birth, const youth__date *at);
int youth__parse_bool(const char *text, int *out);
int youth__parse_int(const char *text, long long min, long long max, long long *out);
/* 1-@max bytes of UTF-8 text without control characters, not only blanks. */
int youth__text_rule(const char *name, const char *v, size_t max, bool required);
/* 1-@max letters, digits, '-' or '_' (codes of exchanges, courses, programmes...). */
int youth__code_rule(const char *name, const char *v, size_t max);
/* Salvadoran phone: 8 digits starting with 2, 6 or 7 (+503, blanks, '-' allowed) -> NNNN-NNNN. */
int youth__phone_rule(const char *v, char out[10]);
/* A calendar date not after today. */
int youth__past_date_rule(const char *date, const char *field);
/* Calls @fn on each item of the comma-separated @list, trimmed of blanks; empty items are
 * skipped.  Stops at the first error @fn returns. */
typedef int (*youth__item_fn)(void *ctx, const char *item, size_t n);
int youth__each_item(const char *list, youth__item_fn fn, void *ctx);
static inline const char *youth__nz(const char *s)
{
	return s && *s ? s : NULL;
}

/* ---- records (record.c) -------------------------------------------------------------- */

/* The field and kind descriptors are the published ones (youth/kind.h): the library reads
 * the same tables that it gives to front ends, so there is no second copy to keep in step. */
typedef youth_field_type youth__ftype;
#define YF_ID YOUTH_FIELD_ID
#define YF_UUID YOUTH_FIELD_UUID
#define YF_TEXT YOUTH_FIELD_TEXT
#define YF_DATE YOUTH_FIELD_DATE
#define YF_ENUM YOUTH_FIELD_ENUM
#define YF_BOOL YOUTH_FIELD_BOOL
#define YF_INT YOUTH_FIELD_INT
#define YF_MONEY YOUTH_FIELD_MONEY
#define YF_REF YOUTH_FIELD_REF
#define YF_COUNT YOUTH_FIELD_COUNT
typedef youth_field_info youth__field;
typedef youth_kind_info youth__kind;

/* Set by the library only (state, computed values): set_field refuses it. */
#define YOUTH__F_READONLY YOUTH_FIELD_READONLY

#define YOUTH__MAX_FIELDS 40
/* Internal status of youth__money_parse(): the text was a negative amount. */
#define YOUTH_ERANGE_NEGATIVE (-1000)
#define YOUTH_ERANGE_LARGE (-1001)

/* Entries of a field table: struct, member, type (or vocabulary, or referred kind), one line
 * of documentation. */
#define YOUTH__FIELDX(st, m, t, voc, nvoc, fl, ref, d) \
	{#m, t, offsetof(st, m), voc, nvoc, fl, ref, d, 0}
#define YOUTH__N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define YOUTH__VOCAB_N(voc) ((int)YOUTH__N_OF(voc) - 1)
/* The name of value @v of a NULL-terminated vocabulary array (NULL outside it, and for 0). */
#define YOUTH__VOCAB_NAME(voc, v) youth__vocab_at(voc, YOUTH__VOCAB_N(voc), v)
/* The public `const char *fn(int v)` naming value v of a vocabulary (documented with its
 * header's enum). */
#define YOUTH__VOCAB_FN(fn, voc)               \
	const char *fn(int v)                      \
	{                                          \
		return YOUTH__VOCAB_NAME(voc, v);      \
	}
/* The two fields every stored kind begins with, documented alike in every kind (docs/records.md
 * lists them once): the registry's key and the UUID that travels with the record. */
#define YOUTH__KEYS_X(st, fl)                                                                  \
	YOUTH__FIELDX(st, id, YF_ID, NULL, 0, fl, NULL, "Record key, set when the record is added."), \
	YOUTH__FIELDX(st, uuid, YF_UUID, NULL, 0, fl, NULL,                                       \
	              "Globally unique id (UUID); generated when empty, never changes.")
#define YOUTH__KEYS(st) YOUTH__KEYS_X(st, 0)
#define YOUTH__KEYS_RO(st) YOUTH__KEYS_X(st, YOUTH__F_READONLY)
/* Every kind, in the order youth_kind_next() walks them (catalogue.c); each is described in
 * kinds.def (defined by kinds.c) and served by its module. */
#define YOUTH__KINDS(X)                                                                 \
	X(place) X(programme) X(override) X(person) X(exchange) X(operator) X(employer)     \
	X(course) X(cohort) X(enrollment) X(counselling_session) X(counselling_participant) \
	X(scholarship) X(scholarship_placement) X(scholarship_installment)                  \
	X(scholarship_payment) X(followup) X(group) X(group_member) X(plan)                 \
	X(plan_disbursement) X(plan_visit) X(business_service) X(audit_entry)   \
	X(duplicate) X(merge) X(organisation) X(consent)
#define YOUTH__KIND_DECL(k) extern const youth__kind youth__kind_##k;
YOUTH__KINDS(YOUTH__KIND_DECL)
#undef YOUTH__KIND_DECL

/* The vocabularies of kinds.def, youth__voc_<name>: value v is named youth__voc_<name>[v]; the
 * array's size is declared so that YOUTH__VOCAB_N() and YOUTH__VOCAB_NAME() work on it. */
#define VOCAB(name, ...)                                  \
	extern const char *const youth__voc_##name[sizeof((const char *const[]){__VA_ARGS__, NULL}) / \
	                                           sizeof(const char *)];
#define FIELDS(k)
#define KEYS(st)
#define KEYS_RO(st)
#define FIELD(st, m, t, fl, d)
#define TEXT(st, m, max, fl, d)
#define ENUM(st, m, voc, fl, d)
#define REF(st, m, kind, fl, d)
#define KIND(k, st, label, d)
/* The kinds read by key with a text kinds.c builds (youth__by_id). */
#define ROWS_BEGIN enum youth__rows {
#define ROWS(k, from, cols) YOUTH__ROWS_##k,
#define ROWS_END YOUTH__N_ROWS };
#define MACHINE(name, what, voc)
#define MOVES(from, ...)
#define MACHINE_END
#include "kinds.def"
#undef MACHINE
#undef MOVES
#undef MACHINE_END
#undef ROWS_BEGIN
#undef ROWS
#undef ROWS_END
#undef VOCAB
#undef FIELDS
#undef KEYS
#undef KEYS_RO
#undef FIELD
#undef TEXT
#undef ENUM
#undef REF
#undef KIND

/*
 * The typed public functions every kind of record has (youth/person.h describes them):
 * T_init, T_free, T_field_name, T_set_field, T_get_field, T_next and T_iter_free, all through
 * the kind's descriptor K.  A kind whose public header has only some of them (a placement is
 * never read back, an installment never written), or that words one field itself, takes the
 * one-function macros (YOUTH__RECORD_INIT, _FREE, _FIELD_NAME, _SET_FIELD, _GET_FIELD,
 * _ITER_AS) instead of writing the functions again.
 */
#define YOUTH__RECORD_FIELD_NAME(T, K)                                                  \
	const char *T##_field_name(size_t index)                                            \
	{                                                                                   \
		return youth__rec_field_name(&K, index);                                        \
	}
#define YOUTH__RECORD_SET_FIELD(T, K)                                                   \
	int T##_set_field(T *r, const char *field, const char *text)                        \
	{                                                                                   \
		return youth__rec_set_field(&K, r, field, text);                                \
	}
#define YOUTH__RECORD_GET_FIELD(T, K)                                                   \
	int T##_get_field(const char **out, const T *r, const char *field, char *buf,       \
	                  size_t size)                                                      \
	{                                                                                   \
		return youth__rec_get_field(out, &K, r, field, buf, size);                      \
	}
#define YOUTH__RECORD_INIT(T, K)                                                        \
	void T##_init(T *r)                                                                 \
	{                                                                                   \
		youth_record_init(&K, r);                                                       \
	}
#define YOUTH__RECORD_TEXT(T, K) \
	YOUTH__RECORD_FIELD_NAME(T, K) YOUTH__RECORD_SET_FIELD(T, K) YOUTH__RECORD_GET_FIELD(T, K)
#define YOUTH__RECORD_LIFE(T, K) YOUTH__RECORD_INIT(T, K) YOUTH__RECORD_FREE(T)
#define YOUTH__RECORD_ITER(T) YOUTH__RECORD_ITER_AS(T, T) /* records-a: body below */
#define YOUTH__RECORD_API(T, K) YOUTH__RECORD_LIFE(T, K) YOUTH__RECORD_TEXT(T, K) YOUTH__RECORD_ITER(T)

const youth__field *youth__rec_find(const youth__kind *k, const char *name);
const char *youth__rec_field_name(const youth__kind *k, size_t index);
const char *youth__vocab_name(const youth__field *f, int v);
const char *youth__vocab_at(const char *const *names, int n, int v);
int youth__rec_set_field(const youth__kind *k, void *rec, const char *name, const char *text);
/* The same for a field already looked up (bulk paths know it by position). */
int youth__rec_set(const youth__kind *k, void *rec, const youth__field *f, const char *text);
int youth__rec_get_field(const char **out, const youth__kind *k, const void *rec, const char *name,
                         char *buf, size_t size);
/* True when every field but the id reads the same in both records. */
bool youth__rec_same(const youth__kind *k, const void *a, const void *b);
/* Copies the current row into @b as one block: the struct followed by its strings. */
int youth__rec_from_row(const youth__kind *k, sqlite3_stmt *st, youth__buf *b);
int youth__money_parse(const char *text, int64_t *cents);

/* An iterator over rows of one kind: a private statement and a reusable one-block record. */
typedef struct youth__iter {
	sqlite3_stmt *st;
	bool done; /* latched: SQLite would restart a statement stepped after SQLITE_DONE */
	youth__buf row;
	const youth__kind *kind;
	const char *what;
} youth__iter;

/* Prepares @sql (uncached: the iterator owns it) and binds @n int64 values to ?1..?n. */
int youth__iter_open(youth__iter *it, youth_registry *reg, const youth__kind *k, const char *what,
                     const char *sql, int n, const int64_t *values);
/* @out points at the caller's `const youth_x *`; the record lives until the next call. */
int youth__iter_next(void *out, youth__iter *it);
void youth__iter_clear(youth__iter *it);
/* A required reference to another record: not 0, not negative. */
int youth__ref_rule(const char *name, int64_t v);
/* A record id given to a state change or a get: positive. */
int youth__id_rule(int64_t id, const char *what);
/* Steps a one-row look-up; *found tells whether a row came.  On a row the statement is left
 * on it (the caller reads the columns and resets it). */
int youth__step_row(youth_registry *reg, sqlite3_stmt *st, bool *found, const char *what);
/* Reads the single row of @st into a new one-block record of @k; @out points at the
 * caller's record pointer.  YOUTH_ENOTFOUND without a message: the caller words it. */
int youth__rec_get_one(void *out, youth_registry *reg, const youth__kind *k, sqlite3_stmt *st,
                       const char *what);
void youth__money_format(int64_t cents, char *buf, size_t size);
/* Reads record @id of @k with @sql (one `?` for the id) into a new one-block record stored in
 * *@out (a `T **`); ENOTFOUND "<label> <id>: no such <label>" when there is none.  @fn names
 * the caller in messages. */
int youth__rec_get(void *out, youth_registry *reg, const youth__kind *k, const char *sql,
                   int64_t id, const char *fn);
/* Opens an iterator over the rows of @sql (@n int64 values bound to ?1..?n) and stores it in
 * *@out (a `T_iter **`: every kind's iterator struct is one youth__iter). */
int youth__rec_iter_new(void *out, youth_registry *reg, const youth__kind *k, const char *what,
                        const char *sql, int n, const int64_t *values);
/* Copies column text (NULL stays NULL) into @b, storing the offset+1 in *off (0 = NULL). */
int youth__col_copy(youth__buf *b, sqlite3_stmt *st, int col, size_t *off);

#include "private_yaml.h"

/* ---- records: shared helpers (records-a; record.c, end of file) ------------------------ */

/* The iterator of records of type T whose functions are named P_next / P_iter_free (an
 * override record, youth_override_record, is iterated by youth_override_next()). */
#define YOUTH__RECORD_ITER_AS(T, P)                                                     \
	struct P##_iter {                                                                   \
		youth__iter i;                                                                  \
	};                                                                                  \
	int P##_next(const T **out, P##_iter *it)                                           \
	{                                                                                   \
		if (out)                                                                        \
			*out = NULL;                                                                \
		if (!out || !it)                                                                \
			return youth__error(YOUTH_EINVAL, NULL, #P "_next: NULL argument");         \
		return youth__iter_next(out, &it->i);                                           \
	}                                                                                   \
	void P##_iter_free(P##_iter *it)                                                    \
	{                                                                                   \
		if (!it)                                                                        \
			return;                                                                     \
		youth__iter_clear(&it->i);                                                      \
		youth__free(it);                                                                \
	}
/* T_free alone, for a kind whose public header has no T_init (places). */
#define YOUTH__RECORD_FREE(T) \
	void T##_free(T *r)       \
	{                         \
		youth__free(r);       \
	}
/* Reads the single record of @k that @sql (one `?`) finds for the text @key into a new
 * one-block record stored in *@out (a `T **`).  EINVAL "@fn: NULL argument" for a NULL
 * @out, @reg or @key; YOUTH_ENOTFOUND naming @field, "<label> \"<key>\": no such <label>"
 * (a code), or without a message when @field is NULL (the caller words it). */
int youth__rec_get_text(void *out, youth_registry *reg, const youth__kind *k, const char *sql,
                        const char *key, const char *fn, const char *field);
/* Binds @v to parameter @i, or NULL for 0 (an optional reference or count). */
void youth__bind_id(sqlite3_stmt *st, int i, int64_t v);
/* Steps the iterator's statement: YOUTH_OK with the statement on a row (the caller reads it),
 * YOUTH_ITEROVER once the rows are over (latched), or the error of the step. */
int youth__iter_step(youth__iter *it);
/* Binds a copy of @s (NULL binds NULL) to parameter @i: for values that must outlive the
 * caller's strings, as an iterator's filter does. */
int youth__bind_copy(sqlite3_stmt *st, int i, const char *s);
/* Steps @sql (one `?`, bound to @id) to its row; ENOTFOUND "<field> <id>: no such <what>"
 * naming @field when there is none.  With @row the statement is left on the row (the caller
 * reads its columns, then resets it); with @row NULL it only checks that the row exists. */
int youth__row_by_id(youth_registry *reg, const char *sql, int64_t id, const char *field,
                     const char *what, sqlite3_stmt **row);

/* ---- state machines (state.c) ------------------------------------------------------- */

/*
 * The life cycle of a record with a state (enrollment, scholarship, plan, counselling
 * session): which state may follow which.  One table per kind, one checked look-up and one
 * refusal message for all of them, so a caller learns the same things in the same words
 * whichever record refused.  docs/design.md ("State machines") shows every table.
 */
typedef struct youth__machine {
	const char *what;           /* the record, in messages: "enrollment" */
	const char *const *states;  /* the state vocabulary: names by value, [0] NULL */
	int n_states;               /* values 1 .. n_states - 1 are states */
	const unsigned *allowed;    /* allowed[from]: YOUTH__TO(to) set when from -> to is allowed */
} youth__machine;

/* The bit of state @s in a youth__machine.allowed entry. */
#define YOUTH__TO(s) (1u << (s))
/* A machine over the vocabulary @names (the NULL-terminated state_names array of the kind)
 * with @allowed declared as `static const unsigned allowed[YOUTH__VOCAB_N(names)]`. */
#define YOUTH__MACHINE(what, names, allowed) {what, names, YOUTH__VOCAB_N(names), allowed}

/* YOUTH_OK when @to is a state of @m, else YOUTH_EINVAL (field "state"): "state 9: not one of
 * the enrollment states (applied, enrolled, ...)".  For the checks before any look-up. */
int youth__state_check(const youth__machine *m, int to);
/* YOUTH_OK when record @id may go from state @from to state @to.  Otherwise YOUTH_ESTATE
 * (field "state"): "<what> <id>: cannot go from X to Y; allowed from X: A, B" or "...; nothing
 * is allowed from X (a final state)"; YOUTH_EINVAL when @to is not a state of the machine and
 * YOUTH_ECORRUPT when @from (a stored state) is not, each naming the number. */
int youth__state_step(const youth__machine *m, int64_t id, int from, int to);

/* The state change of a record of @table whose life cycle is kept as (state, state_date,
 * reason): ?1 the id, ?2 the new state, ?3 its date, ?4 the reason or NULL.  Enrollments and
 * scholarships; plans and sessions keep other columns beside their state. */
#define YOUTH__SET_STATE_SQL(table) \
	"UPDATE " table " SET state = ?2, state_date = ?3, reason = ?4 WHERE id = ?1"
/* The life cycles of kinds.def (defined by kinds.c). */
extern const youth__machine youth__machine_enrollment;
extern const youth__machine youth__machine_counselling_session;
extern const youth__machine youth__machine_scholarship;
extern const youth__machine youth__machine_plan;
extern const youth__machine youth__machine_duplicate;
/* The tables whose rows a merge moves (merge.c); tests compare it with the schema. */
const char *const *youth__merge_owned(size_t *n);
/* The person a merged UUID answers for (*person_id = 0 when @uuid is no alias), without an
 * error for a miss: for the hot paths of reads and imports. */
int youth__alias_of(youth_registry *reg, const char *uuid, int64_t *person_id);

/* ---- record.c additions: column copy, filtered listings ------------------------------- */

/* Copies the text of column @col of the current row into @out (NULL reads as ""), for the
 * fixed-size fields of the small look-ups that rules need. */
void youth__col_text(sqlite3_stmt *st, int col, char *out, size_t size);

/* T_get(out, reg, id): the record of kind @K with key @id, read by @sql (one `?`), through
 * youth__rec_get() ("<label> <id>: no such <label>"). */
#define YOUTH__RECORD_GET(T, K, sql)                                                     \
	int T##_get(T **out, youth_registry *reg, int64_t id)                               \
	{                                                                                   \
		return youth__rec_get(out, reg, &K, sql, id, #T "_get");                        \
	}
/* An iterator constructor whose arguments are optional record ids to filter by (0: any). */
typedef struct youth__listing {
	const youth__kind *kind;
	const char *fn;   /* the public function, for a NULL argument */
	const char *what; /* "listing enrollments", for SQLite errors */
	const char *sql;  /* the filters bound to ?1..?n */
	int n;
	const char *filters[3]; /* their names, for a negative one: "cohort_id" */
} youth__listing;
/* Checks @out and @reg, then the @l->n ids (EINVAL "<name> <id>: not a record id" for a
 * negative one), and opens the iterator into *@out (a `T_iter **`) with youth__rec_iter_new(). */
int youth__rec_list(void *out, youth_registry *reg, const youth__listing *l, const int64_t *ids);
/* T_iter_new(out, reg[, a[, b]]): the rows of @sql, filtered by the record ids a and b (their
 * parameter names are the names in messages), through youth__rec_list(). */
#define YOUTH__RECORD_LIST0(T, K, what, sql)                                             \
	int T##_iter_new(T##_iter **out, youth_registry *reg)                               \
	{                                                                                   \
		static const youth__listing l = {&K, #T "_iter_new", what, sql, 0, {NULL}};     \
		return youth__rec_list(out, reg, &l, NULL);                                     \
	}
#define YOUTH__RECORD_LIST1(T, K, what, sql, a)                                          \
	int T##_iter_new(T##_iter **out, youth_registry *reg, int64_t a)                    \
	{                                                                                   \
		static const youth__listing l = {&K, #T "_iter_new", what, sql, 1, {#a}};       \
		return youth__rec_list(out, reg, &l, (const int64_t[]){a});                     \
	}
#define YOUTH__RECORD_LIST2(T, K, what, sql, a, b)                                       \
	int T##_iter_new(T##_iter **out, youth_registry *reg, int64_t a, int64_t b)         \
	{                                                                                   \
		static const youth__listing l = {&K, #T "_iter_new", what, sql, 2, {#a, #b}};   \
		return youth__rec_list(out, reg, &l, (const int64_t[]){a, b});                  \
	}

/* ---- uuid (uuid.c) ------------------------------------------------------------------- */

/* Writes a new UUID (version 7: time-ordered, random low bits) as 36 lower-case characters. */
int youth__uuid_new(char out[YOUTH_UUID_LEN + 1]);
/* True for the 8-4-4-4-12 hex form; upper case is accepted and lowered in place by _norm. */
bool youth__uuid_valid(const char *s);
void youth__uuid_norm(char *s);
/* A caller's UUID checked and lowered into @out; an empty one leaves @out empty. */
int youth__uuid_rule(const char uuid[YOUTH_UUID_LEN + 1], char out[YOUTH_UUID_LEN + 1]);

/* ---- registry (registry.c) ----------------------------------------------------------- */

struct youth__stmt_slot {
	const char *sql; /* static text: the pointer is the key */
	sqlite3_stmt *stmt;
};

#define YOUTH__MAX_TX_DEPTH 64
/* Slots of the registry's operator memo (direct-mapped by id). */
#define YOUTH__OPERATOR_MEMO 1024

/* ---- the audit trail's state on a handle (audit.c) ------------------------------------- */

/* The columns of one table, for naming the values the pre-update hook sees. */
struct youth__audit_table {
	char *name;
	const char *kind; /* the kind the table stores (static text), or its own name */
	int n;
	char **cols;
	int uuid_col; /* -1: none */
};

/* A row change seen by the pre-update hook, waiting for youth__write_row() to claim it. */
struct youth__audit_capture {
	const struct youth__audit_table *table;
	int64_t rowid;
	size_t off, len; /* its JSON in youth__audit.arena */
	char uuid[YOUTH_UUID_LEN + 1];
	bool claimed;
};

/* An entry of an import waiting to be written with others in one statement. */
struct youth__audit_pending {
	int64_t seq, record_id;
	char at[32];
	char uuid[YOUTH_UUID_LEN + 1];
	const char *actor, *kind, *operation, *action; /* static, or the handle's own */
	size_t changes_off, changes_len; /* in youth__audit.pending_text */
	bool has_changes;
	unsigned char changes_hash[32], hash[32];
};

struct youth__audit {
	char *actor;
	bool ready;  /* the schema has the audit tables (false while migrating) */
	bool on;     /* the file is audited (as last read, inside a write) */
	bool reads;  /* youth_audit_reads(): person gets append a read entry */
	bool hooked; /* the pre-update hook is registered */
	const char *op; /* the outermost write's operation (or "import" for an import) */
	/* The last entry appended, kept while nothing can have taken it back: from the first
	 * append after youth__audit_begin() until a write fails or a transaction is rolled back
	 * (the write path calls youth__audit_forget()).  An import's records share it. */
	bool head_valid;
	bool tx_known; /* the switch and the head read inside the caller's open transaction */
	int64_t head_seq;
	unsigned char head_hash[32];
	int err;        /* a failure inside the hook (out of memory), failing the write */
	struct youth__audit_table *tables;
	int n_tables;
	youth__buf arena;
	struct youth__audit_capture *caps;
	int n_caps, cap_caps;
	youth__buf row; /* scratch: the bytes an entry's hash covers */
	/* An import's entries, written YOUTH__AUDIT_BATCH at a time (youth__audit_flush()). */
	struct youth__audit_pending *pending;
	int n_pending, cap_pending;
	youth__buf pending_text;
	char *batch_sql;
	/* The second of the last time written, and its text. */
	int64_t second;
	char second_text[24];
};

struct youth_registry {
	sqlite3 *db;
	char *path;
	int schema_version;
	int depth;          /* public transaction nesting */
	int op_depth;       /* internal write scopes */
	bool readonly;
	/* Set by an import for its duration: the import's own transaction (or, in keep-going
	 * mode, its savepoint per record) is what rolls a failed record back, so each write skips
	 * its savepoint, which on a bulk load costs a statement journal write per page.  A write
	 * that fails in bulk mode sets bulk_failed: the import then refuses the record even if
	 * the caller of that write went on. */
	bool bulk;
	bool bulk_failed;
	/* Set by an import at its start when person_erased holds no row, and cleared at its end:
	 * meanwhile the erased-UUID check of each person it adds has nothing to find (person.c).
	 * An import writes no tombstone (only erase.c does), and no other connection writes while
	 * it holds the write lock. */
	bool erased_none;
	/* Set by an import for its duration (names.c): persons it adds from this id on are
	 * indexed in batches as they come, or all at its end, and the key index is built again
	 * sorted once when they are many (0: not an import); the import's persons memo loads the
	 * persons from this id on (import.c). */
	int64_t names_deferred_from;
	/* With it, when the import indexes its persons as they come (names.c): their keys not
	 * written yet, the words met so far, and the key index's CREATE while it is dropped. */
	struct youth__names_bulk *names_bulk;
	/* Set by an import for its duration (rules.c): the programmes' rules read once. */
	struct youth__rules_memo *rules_memo;
	/* And, set with it, how that memo hears of writes, since this layer cannot call it:
	 * memo_written for each row youth__write_row() claims, memo_forget when a write or a
	 * transaction is rolled back (youth__memos_forget()).  NULL: nothing to tell. */
	void (*memo_written)(youth_registry *reg, const char *table, int64_t id);
	void (*memo_forget)(youth_registry *reg);
	/* op_depth of the outermost youth__write_begin_one() operation running without a savepoint
	 * (0 = none), and how many writing statements youth__stmt() handed out since it began. */
	int one_depth;
	int one_writes;
	/* Set while the @after hook of a youth__put with .after_appends runs: its writes only
	 * append rows nothing can refuse, so one_check() lets them follow the record's statement. */
	bool one_tail;
	int64_t total_changes;
	/* The thread that began the open public transaction (depth > 0): it alone may use the
	 * handle until the transaction ends, so that a write of another thread never joins it
	 * (and is never rolled back with it after being reported done). */
	pthread_t tx_thread;
	/* total_changes when each open public transaction began, to undo it on rollback */
	int64_t tx_changes[YOUTH__MAX_TX_DEPTH];
	struct youth__stmt_slot *stmts; /* grows: one slot per distinct static SQL text */
	int n_stmts, cap_stmts;
	/* Place text -> id (gazetteer.c): every text that named one place, for loads that name
	 * the same places again and again in any order.  Places are never renamed or removed, so
	 * only a rollback (of a place just added) or new level labels empty it. */
	youth__textmap places;
	int64_t place_queries; /* texts it did not know, each then looked up (tests, benchmarks) */
	/* Operator id -> exchange and active flag (exchange.c), for the services of an import or
	 * load: every service names its operator, and a national file has a few hundred operators
	 * for millions of services.  Read only while reg->bulk, that is inside the load's write
	 * transaction, where no other connection can change an operator; emptied when bulk mode
	 * begins or ends, by every write of an operator and by every rollback. */
	struct youth__operator_memo {
		int64_t id; /* 0: free */
		int64_t exchange_id;
		int active;
	} operators[YOUTH__OPERATOR_MEMO];
	bool operators_used;     /* an entry was stored since the memo was last emptied */
	int64_t operator_queries; /* operators it did not know, each then read (tests) */
	struct youth__audit audit;
	/* merge.c: person's column list, read once (the schema is fixed while a handle is open). */
	youth__buf person_cols;
	/* Set between youth__first_load_begin() and _end(): the handle writes through a rollback
	 * journal instead of the WAL (registry.c); wal_lost when _end() could not go back to the
	 * WAL, which the handle's next transaction, or its close, tries again. */
	bool first_load;
	bool wal_lost;
};

/*
 * The first load of a registry (registry.c; docs/design.md, "The first load writes its pages
 * once"): called by an import before it begins its transaction, switches a file registry that
 * holds no person, and that this handle alone has open, from the WAL to a rollback journal
 * (synchronous EXTRA) for the length of the load, and returns true; returns false, with
 * nothing changed and no error set, when any condition does not hold.  _end() switches back
 * to the WAL after the load's commit or rollback; where that fails the registry stays in
 * rollback mode, still sound, until its next read-write open sets the WAL again.
 */
bool youth__first_load_begin(youth_registry *reg);
void youth__first_load_end(youth_registry *reg);
/* Returns a cached prepared statement for static @sql, reset and with bindings cleared. */
int youth__stmt(youth_registry *reg, const char *sql, sqlite3_stmt **out);
/* Runs SQL that returns no rows (not cached; for DDL and pragmas). */
int youth__exec(youth_registry *reg, const char *sql);
int youth__step_done(youth_registry *reg, sqlite3_stmt *st, const char *what);
/* An import's copy of the programmes' rules (rules.c): begun and ended by the import, cleared
 * by any change of a programme. */
int youth__rules_memo_begin(youth_registry *reg);
void youth__rules_memo_clear(youth_registry *reg);
void youth__rules_memo_end(youth_registry *reg);
/* Bounds an import's memo of the persons' facts to persons 1 to @persons and to @bytes at most
 * (and a million persons of its own bound); returns the bytes it may take. */
size_t youth__rules_memo_bound(youth_registry *reg, int64_t persons, size_t bytes);
/* Forgets the place text -> id memo (filled by the gazetteer). */
void youth__place_cache_clear(youth_registry *reg);
/* Forgets the operator memo (exchange.c). */
void youth__operator_memo_clear(youth_registry *reg);
/* Forgets every memo of rows a rollback may have taken back (places, operators). */
void youth__memos_forget(youth_registry *reg);

/*
 * The single write path.  Every function that changes the registry brackets its work with
 * youth__write_begin() / youth__write_end(); the end commits (or rolls back, on failure) just
 * this operation.  Outside a caller's transaction that is a BEGIN IMMEDIATE ... COMMIT of its
 * own; inside one, a savepoint, so that a failed call undoes only its own rows.
 * youth__write_row() is called once per record written; the audit trail hooks in here.
 *
 * youth__write_begin_one() is the same for an operation that changes the registry with
 * exactly one statement which writes one row (a single-row INSERT, an UPDATE or DELETE by
 * key, without triggers): SQLite applies or undoes such a statement as a whole, so inside a
 * caller's transaction it needs no savepoint, and a savepoint there is the dearest part of
 * the call (its statement journal copies every page the row touches).  The write path checks
 * the promise: a second writing statement fetched with youth__stmt() in such an operation
 * fails with YOUTH_EMISUSE (see docs/design.md, "One write path").
 */
typedef struct youth__write {
	youth_registry *reg;
	const char *op;
	bool own_tx; /* BEGIN IMMEDIATE issued here (no enclosing transaction) */
	bool bulk;   /* no savepoint: the enclosing import rolls back (youth_registry.bulk) */
	bool one;    /* no savepoint: one single-row statement (youth__write_begin_one) */
	int64_t rows;
	int64_t changes_at_begin; /* restored when this write is rolled back */
	int one_outer;            /* youth_registry.one_depth when this write began */
	int audit_rc;             /* an audit entry that could not be written fails the write */
} youth__write;

int youth__write_begin(youth__write *w, youth_registry *reg, const char *op);
int youth__write_begin_one(youth__write *w, youth_registry *reg, const char *op);
int youth__write_end(youth__write *w, int rc);
void youth__write_row(youth__write *w, const char *table, int64_t id, char action);

/* Binds text or NULL. */
int youth__bind_text(sqlite3_stmt *st, int i, const char *s);

/* ---- the audit trail (audit.c, registry layer) --------------------------------------------
 * Hooked into the write path: youth__write_begin() calls youth__audit_begin() for its
 * outermost write (inside the transaction, so the switch read from the file is current),
 * youth__write_row() youth__audit_row(), youth__write_end() youth__audit_end().  The values
 * of each row come from SQLite's pre-update hook, named by the table's columns. */
/* At open, once the schema is current: reads the switch, hooks when audited. */
int youth__audit_open(youth_registry *reg);
void youth__audit_close(youth_registry *reg);
/* Reads the switch; refuses a write without an actor (YOUTH_EMISUSE naming @op). */
int youth__audit_begin(youth_registry *reg, const char *op);
/* Appends the entry of record @id of @table ('c' create, 'u' update, 'd' delete, 'e' erase:
 * the fact without the values, 'r' read); a failure is kept in w->audit_rc. */
void youth__audit_row(youth__write *w, const char *table, int64_t id, char action);
void youth__audit_end(youth_registry *reg);
/* A rollback may have taken entries back: the head is read again at the next append, and
 * the entries still waiting (all of the transaction rolled back) are dropped. */
static inline void youth__audit_forget(youth_registry *reg)
{
	reg->audit.head_valid = false;
	reg->audit.tx_known = false;
	reg->audit.n_pending = 0;
	reg->audit.pending_text.len = 0;
}
/* Writes the entries an import keeps waiting; before a commit, a nested transaction, or a
 * read of the trail. */
int youth__audit_flush(youth_registry *reg);
/* A read of record @id (@uuid) of @table, audited when youth_audit_reads() is on: its own
 * write (or part of the caller's transaction). */
int youth__audit_read(youth_registry *reg, const char *table, int64_t id, const char *uuid);
/* For an erasure (in its write @w): removes the values of every entry about @uuid, which
 * the chain tolerates (it covers their hash); the erasure's own entry ('e') records the
 * fact. */
int youth__audit_redact(youth__write *w, const char *uuid);
/* The kind of record a table holds (its own name but for the few spelt otherwise:
 * enterprise_plan holds plans); erase.c reads the kind's privacy flags through it. */
const char *youth__audit_kind(const char *table);

/* ---- the write of one record (record.c) ----------------------------------------------- */

/*
 * What every add and update of a record does after its checks, written once: open the write
 * (youth__write_begin, or youth__write_begin_one when @one), run the INSERT or UPDATE with the
 * module's bindings, word a UNIQUE failure, count the row (youth__write_row), close the write
 * (commit, or undo exactly this call's rows).  The module keeps its rules, its SQL and its
 * messages; a write that is not one statement of one row of its kind writes by hand.
 */
/*
 * Fields of a record bound to consecutive parameters of a statement by their names, each by
 * its type: text and dates as text (NULL for NULL or ""), integers, flags, enums and counts
 * as int, money as int64, references as int64 (NULL for 0); an optional field's unset value
 * (YOUTH_FIELD_OPTIONAL: money 0, count -1) as NULL, as youth__rec_from_row() reads it back.  The names are looked up once,
 * at the first use, and kept; declare one with YOUTH__BINDING (static, not const).
 */
#define YOUTH__MAX_BIND 16
#define YOUTH__SQL_MAX 640
typedef struct youth__binding {
	const youth__kind *kind;
	const char *names; /* "code,title,provider,job_profile,hours" */
	_Atomic int state; /* 0: not looked up, 1: being looked up, 2: ready */
	int n;
	const youth__field *f[YOUTH__MAX_BIND]; /* NULL: a column the module binds ("@place_id") */
	/* The INSERT and the UPDATE a youth__put without SQL of its own runs (youth__put_sql),
	 * built at their first use and kept for the process. */
	_Atomic int built[2];
	char sql[2][YOUTH__SQL_MAX];
} youth__binding;
#define YOUTH__BINDING(k, names_) {.kind = &k, .names = names_}
/* Binds the fields of @b from @rec to parameters @first, @first + 1, ... (an "@column" entry
 * takes its parameter unbound, a "column=SQL" entry none: see youth__put_sql); YOUTH_ERROR for
 * a name that is not a field of the kind (a bug, found by the first test). */
int youth__rec_bind(sqlite3_stmt *st, int first, youth__binding *b, const void *rec);

/* The page cache of every registry handle, in KiB (registry.c; an import sets its own for
 * its duration).  bench/bench_write.c gives its raw SQLite phases the same. */
#define YOUTH__CACHE_KIB 32768

typedef struct youth__put {
	const youth__kind *kind; /* its label words the refusals */
	const char *table;       /* the table, for youth__write_row */
	const char *op;          /* the operation, for youth__write_begin: "add course" */
	const char *sql;         /* the INSERT or UPDATE; NULL: built from @fields (youth__put_sql) */
	const char *what;        /* for a SQLite error: "adding a course" */
	int key_param;           /* the parameter of the new uuid (INSERT) or of the id (UPDATE);
	                            0 with a built @sql: the one after @fields' */
	bool one;                /* one single-row statement, every check done: begin_one */
	/* INSERT only: as @one, but @after then appends rows that no constraint can refuse (the
	 * name index keys of a person).  A failure after the record's statement can then only
	 * be an I/O error or out of memory: SQLite has rolled back the whole transaction, or, if
	 * it is still open, the record's row is deleted again (its triggers take what @after
	 * wrote) so that the call leaves nothing behind without the cost of a savepoint. */
	bool after_appends;
	/* UPDATE only: "SELECT uuid FROM <table> WHERE id = ?", read inside the write, which
	 * refuses a missing record ("<label> <id>: no such <label>") and a changed uuid. */
	const char *uuid_sql;
	/* Optional: the checks that must see what the write sees (other records), run inside it
	 * before the statement; @self is the record's id (0 on add); may fill @ctx. */
	int (*check)(youth_registry *reg, const void *rec, void *ctx, int64_t self);
	/* The record's own fields, bound from parameter @first on (may be NULL). */
	youth__binding *fields;
	int first;
	/* Parameter of an id the checks resolved, the first member (an int64_t) of @ctx: the
	 * exchange of the operator who recorded the record, a place (bound NULL for 0; 0 here:
	 * none). */
	int ctx_id_param;
	/* Binds the other parameters but the key; @ctx is what the module's checks resolved
	 * (may be NULL when @fields and @ctx_id_param bind them all). */
	void (*bind)(sqlite3_stmt *st, const void *rec, const void *ctx);
	/* Optional: the rows that go with the record (eligibility overrides, the state a first
	 * payment gives a plan), written inside the same write once the statement has given the
	 * record its id @id and its row has been counted. */
	int (*after)(youth__write *w, const void *rec, void *ctx, int64_t id);
	/* Words a UNIQUE failure (the uuid is the new one, or the stored one on an update);
	 * NULL: youth__unique_error(). */
	int (*conflict)(youth_registry *reg, const void *rec, const void *ctx, const char *uuid);
	/* youth__rec_add/_change: the kind's rules beyond its field table (an enum's wording, a
	 * range, rules between fields) and the look-ups that can run before the write, filling
	 * @ctx; NULL when the table says it all. */
	int (*prepare)(youth_registry *reg, const void *rec, void *ctx);
	const char *fn; /* youth__rec_add/_change: the public function, for a NULL argument */
} youth__put;

/* Adds @rec with @p (an INSERT): a new uuid when the checked @uuid is empty, then one write;
 * on success the record's id and uuid members are set. */
int youth__rec_insert(youth_registry *reg, const youth__put *p, void *rec, void *ctx,
                      char uuid[YOUTH_UUID_LEN + 1]);
/* Updates record @id with @p (an UPDATE); @uuid is the caller's (checked, may be empty). */
int youth__rec_update(youth_registry *reg, const youth__put *p, const void *rec, void *ctx,
                      int64_t id, const char *uuid);
/* Sets the id and uuid members of @rec (found by type in the kind's table: every kind has
 * one of each). */
void youth__rec_set_key(const youth__kind *k, void *rec, int64_t id, const char *uuid);
/* One statement of the open write @w about one row, then that row counted: when @rc is
 * YOUTH_OK, runs @sql with ?1 = @id and ?2... bound from @binds, one letter a value: 'i' an
 * int, 'I' an int64_t, 't' a text (NULL or "" bound as NULL); @what words a SQLite error
 * ("closing a counselling session"), then youth__write_row(w, @table, @id, @action).
 * Returns @rc unchanged when it was not YOUTH_OK, so a chain of checks can end in it. */
int youth__write_stmt(youth__write *w, int rc, const char *sql, const char *what,
                      const char *table, int64_t id, char action, const char *binds, ...);
/* The whole of a typed add (youth_<kind>_add and alike): refuses NULL arguments (naming
 * @p->fn), applies youth__rec_rules and @p->prepare, then youth__rec_insert. */
int youth__rec_add(youth_registry *reg, const youth__put *p, void *rec, void *ctx);
/* The same for an update: the record's id must be valid; the UUID it carries is checked
 * against the stored one when @p->uuid_sql is set (otherwise the record's uuid is ignored). */
int youth__rec_change(youth_registry *reg, const youth__put *p, const void *rec, void *ctx);
/* The rules a record's own fields carry in their kind's table, in field order, before any
 * query: its UUID well formed (copied to @uuid, "" when not given), YOUTH_FIELD_REQUIRED
 * references, texts with a max_bytes (YOUTH_FIELD_CODE: a code), required dates
 * (YOUTH_FIELD_PAST: not after today), booleans 0 or 1, money never negative
 * (YOUTH_FIELD_REQUIRED: more than 0.00).  Read-only fields are the library's, never checked.
 * What involves several fields or other records stays with the kind's module. */
int youth__rec_rules(const youth__kind *k, const void *rec, char uuid[YOUTH_UUID_LEN + 1]);
/* The uuid member of @rec ("" for a kind without one). */
const char *youth__rec_uuid(const youth__kind *k, const void *rec);
/* EINVAL "uuid <given>: <what> <id> has uuid <stored>; a uuid never changes" when @given is
 * set and differs from @stored. */
int youth__uuid_kept(const char *given, const char *stored, const char *what, int64_t id);

/* ---- schema (schema.c) --------------------------------------------------------------- */

#define YOUTH__APPLICATION_ID 0x59555448 /* "YUTH" */
/* Runs the migrations from schema version @from up to YOUTH_SCHEMA_VERSION in one transaction.
 * schema.c holds every table's, index's and trigger's DDL; its header says how to add one. */
int youth__schema_migrate(youth_registry *reg, int from);
/* Refuses (YOUTH_ECORRUPT) a file at the current version that lacks one of the core tables. */
int youth__schema_verify(youth_registry *reg);

/* ---- page checksums (pagesum.c; docs/reliability.md) ------------------------------------- */

/* Reserved bytes at the end of every page of a registry, holding the page's checksum. */
#define YOUTH__PAGESUM_RESERVE 8
/* The name of the checksumming VFS, registered on first use; NULL if it could not be (the
 * registry is then opened on SQLite's default VFS, unsealed). */
const char *youth__pagesum_vfs(void);
/* The checksum of page number @p pgno (1-based) of @p size bytes (its last 8 bytes excluded)
 * into @p out. */
void youth__pagesum_compute(const unsigned char *page, unsigned size, int64_t pgno,
                            unsigned char out[8]);
/* True when the last 8 bytes of @p page (number @p pgno) are its checksum. */
bool youth__pagesum_ok(const unsigned char *page, unsigned size, int64_t pgno);
typedef void (*youth__pagesum_visit)(void *ctx, int64_t page);
/* Reads every page of @p db's main file (free pages included) but those its -wal holds and
 * the lock-byte page, and calls @p visit with the number of each one whose checksum is wrong;
 * to be called inside a read transaction, which keeps checkpoints off the pages it reads.
 * Returns a SQLite code; 0 without seals. */
int youth__pagesum_scan(sqlite3 *db, youth__pagesum_visit visit, void *ctx);
/* The offset of SQLite's lock bytes ("pending byte", 1 GiB): the page holding them is never
 * written, so it is no page of the registry (a variable so that a test can move it, with
 * SQLITE_TESTCTRL_PENDING_BYTE, into a small file). */
extern int64_t youth__pending_byte;
/* 1 when @p db's main file is sealed, 0 when it is not, -1 when not opened through the shim. */
int youth__pagesum_state(sqlite3 *db);

/* ---- gazetteer (gazetteer.c) --------------------------------------------------------- */

/* Resolves place text to a place id (see gazetteer.h for the accepted forms). */
int youth__place_resolve(youth_registry *reg, const char *text, const char *field, int64_t *id);
/* The canonical path of a place as a SQL range: ids whose path is @path or below it. */
int youth__place_path(youth_registry *reg, int64_t id, youth__buf *path);
/* Points the field `place` of @rec (a record of @k) at its canonical path, built in @path, so
 * that "Sonzacate" compares equal to the path the registry stores; text that names no place
 * is left for the add or update to refuse, with no error kept.  A youth__upsert.prepare. */
void youth__place_prepare(youth_registry *reg, const youth__kind *k, void *rec, youth__buf *path);

/* ---- cross-module checks used by the services ------------------------------------------ */

/* person.c: ENOTFOUND (field "person_id") unless the person exists; *sex may be NULL. */
int youth__person_check(youth_registry *reg, int64_t person_id, int *sex);
/* The same for a service that names the person, but trusting the id in bulk mode (an import
 * resolved it from a UUID in the same transaction). */
int youth__person_ref(youth_registry *reg, int64_t person_id);
/* A walk over a row of @table and every row that refers to it, directly or through other rows,
 * found from the schema's foreign keys (person.c): each referring row that has an integer id
 * is handed to @row before the row it refers to, and the rows of a referring table without one
 * (a link table) to @links by their column (NULL: left alone).  The delete cascade deletes
 * what it is handed; an erasure (erase.c) removes the personal values. */
typedef struct youth__refs {
	int (*row)(youth__write *w, const char *table, int64_t id);
	int (*links)(youth__write *w, const char *table, const char *col, int64_t id);
	const char *what; /* for a SQLite error: "deleting with cascade" */
} youth__refs;
int youth__refs_walk(const youth__refs *r, youth__write *w, const char *table, int64_t id);
/* exchange.c: ENOTFOUND unless the operator exists, ERULE when inactive; returns the
 * operator's exchange in *exchange_id (may be NULL). */
int youth__operator_check(youth_registry *reg, int64_t operator_id, int64_t *exchange_id);
/* rules.c: checks the rules of @programme for the person on @date.  With @ovr (checked even
 * when no rule is broken: operator active, reason given), each violated rule is recorded as an
 * override of @service/@service_id (> 0: call after inserting the service row, inside the
 * same write @w) instead of failing.  Without rules for @programme, everyone is eligible. */
int youth__eligibility(youth__write *w, const char *programme, int64_t person_id,
                       const char *date, const youth_override *ovr, const char *service,
                       int64_t service_id);

/* SQL that is 1 when person @p (an alias of the person table) has active consent for the
 * purpose bound to parameter @param: its latest consent row for the purpose is a giving, or
 * for `census` without rows the person's flag is set.  The same rule as consent.c's
 * latest(), for queries over many persons (exports). */
#define YOUTH__CONSENT_ACTIVE(p, param)                                                      \
	"coalesce((SELECT c.state FROM consent c WHERE c.person_id = " p ".id AND c.purpose = "  \
	param " ORDER BY c.id DESC LIMIT 1), CASE WHEN " param " = 'census' AND " p               \
	".consent = 1 THEN 1 END, 0) = 1"
/* audit.c: in an audited registry, one entry of @kind that is about no single record (an
 * export that carried identifiers), with @changes as its JSON values, written in a short
 * write of its own and committed before the caller goes on; nothing when not audited. */
int youth__audit_note(youth_registry *reg, const char *op, const char *kind, const char *action,
                      const char *changes);

#include "private_interchange.h"

/* ---- ids of a query (record.c; libdups) ---- */

/* Steps @st (bound, not yet stepped) to its end and gives column 0 of every row as a new array
 * of *@n ids in *@out (youth__free() it; NULL when there are none).  A write that visits rows
 * one by one reads their ids whole first, since its own changes would move the rows under a
 * running query.  The caller resets or finalizes @st. */
int youth__ids(int64_t **out, size_t *n, youth_registry *reg, sqlite3_stmt *st, const char *what);
/* The statement (cached) of a record named by key or else by UUID, the two ways callers name
 * one: @by_id with @id bound to ?1, or for id 0 @by_uuid with @uuid (borrowed until the
 * statement is reset) bound to ?2. */
int youth__stmt_by_key(sqlite3_stmt **st, youth_registry *reg, int64_t id, const char *uuid,
                       const char *by_id, const char *by_uuid);
/* Steps @st (bound), a look-up of at most one row, and gives its first @n columns as int64 in
 * @cols (zeros when no row came; *@found tells); @st is reset.  The look-ups of a key, a state
 * or a count that checks and counters make. */
int youth__row_ints(int64_t *cols, int n, bool *found, youth_registry *reg, sqlite3_stmt *st,
                    const char *what);
/* youth__rec_iter_new() with one int64 @value at ?1 and @n texts at ?2, ?3...: copies (the
 * caller's strings are borrowed only for the call), NULL bound as NULL. */
int youth__rec_iter_texts(void *out, youth_registry *reg, const youth__kind *k, const char *what,
                          const char *sql, int64_t value, int n, const char *const *texts);

/* YOUTH_ESTATE or @code when person @id (0: the person of @uuid) is erased (person_erased,
 * docs/privacy.md): "person <uuid>: erased on <date>; an erased person cannot be <refused>".
 * Every write that names a person by key or UUID refuses an erased one in these words. */
int youth__person_not_erased(youth_registry *reg, int64_t id, const char *uuid, int code,
                             const char *refused);

/* ---- openings shared by the organisation, exchange, operator, employer, plan and
 * counselling writes (record.c; fold-a) ---- */

/* The public `int T_add(youth_registry *reg, T *rec)` of a kind whose insert is the one write
 * @put, with a zeroed @ctx_T as the context its hooks fill in. */
#define YOUTH__RECORD_ADD(T, put, ctx_T)                  \
	int T##_add(youth_registry *reg, T *rec)          \
	{                                                 \
		ctx_T ctx = {0};                          \
		return youth__rec_add(reg, &put, rec, &ctx); \
	}
/* The refusal of an update's arguments, checked before any read: a NULL @reg or @rec
 * (youth__null_arg(@fn, ..., @what)), then the record's id (its YF_ID field of @k) missing
 * ("<what> update: needs an id") or negative ("id <id>: not a valid id"). */
int youth__update_args(const youth__kind *k, const char *fn, const void *reg, const void *rec,
                       const char *what);
/* YOUTH_OK when @known (value @v of the vocabulary field @field has a name), else EINVAL on
 * @field: "<field> <v>: <not_a>" or, for 0, "<field>: <missing>": the words of each vocabulary
 * (with its list of names) stay the caller's. */
int youth__choice_rule(const char *field, int v, bool known, const char *not_a,
                       const char *missing);

/* One column of a look-up read into a member of a private struct: youth__row_read() copies
 * column i of the row into member @offset as an int, an int64 or a text of @size bytes. */
typedef struct youth__col {
	enum { YOUTH__COL_INT, YOUTH__COL_INT64, YOUTH__COL_TEXT } type;
	size_t offset, size;
} youth__col;
#define YOUTH__COL(S, m, type) {type, offsetof(S, m), sizeof(((S *)0)->m)}
/* The row of @sql (one `?` for @id) read into *@out, column i into @cols[i] (@n of them):
 * the one-row "what a write needs to know" reads.  ENOTFOUND as youth__row_by_id() words it. */
int youth__row_read(void *out, youth_registry *reg, const char *sql, int64_t id,
                    const char *field, const char *what, const youth__col *cols, size_t n);
/* youth__row_ints() over @sql (cached) with the @n_params int64 @params bound to ?1, ?2...:
 * the whole of a look-up of a count or a key by ids. */
int youth__query_ints(int64_t *cols, int n, bool *found, youth_registry *reg, const char *sql,
                      const int64_t *params, int n_params, const char *what);

/* ---- fold-b: shared by the service modules -------------------------------------------- */

/* What the write of an application to a programme (an enrollment, a scholarship) knows
 * besides the record: the ctx of youth__apply_eligible (first member of a larger ctx when a
 * service needs more). */
typedef struct youth__apply {
	int64_t exchange_id;            /* the operator's (first: youth__put.ctx_id_param) */
	const youth_override *override; /* may be NULL */
	const youth__kind *kind;        /* its person_id and applied_date name the applicant */
	const char *programme;          /* YOUTH_PROGRAMME_*: whose eligibility rules apply */
} youth__apply;

/* The row of @sql (one `?`, bound to @id), left for the caller to read and reset; a step
 * error names @reading ("reading an enrollment").  ENOTFOUND when there is none, naming
 * @field: "<what> <id>: no such <what>" for the record's own "id", else "<field> <id>: no
 * such <what>" (a payment's scholarship_id). */
int youth__row_of(sqlite3_stmt **row, youth_registry *reg, const char *sql, int64_t id,
                  const char *field, const char *what, const char *reading);
/* youth__state_step() of record @id from @from, entered on @since, to @to on @date; then
 * EINVAL (field "date") when @date comes before @since: "date \"D\": before the <what>'s
 * last state change (X on S)". */
int youth__state_move(const youth__machine *m, int64_t id, int from, const char *since, int to,
                      const char *date);

/* An import's upsert of @rec meets the stored record @old (key @id): @rec takes the key and
 * the exchange (which the write sets, never the file), its UUID is normalised; then whether
 * the two read the same (youth__rec_same), i.e. the upsert leaves the record unchanged. */
bool youth__rec_meets(const youth__kind *k, void *rec, const void *old, int64_t id);

/* youth__put.after of an application: after the insert, so that a refusal rolls the insert
 * back and an override can name the row.  Inline so that it stays in the services' layer. */
static inline int youth__apply_eligible(youth__write *w, const void *rec, void *ctx, int64_t id)
{
	const youth__apply *a = ctx;
	const char *r = rec;
	const youth__field *person = youth__rec_find(a->kind, "person_id");
	const youth__field *date = youth__rec_find(a->kind, "applied_date");
	return youth__eligibility(w, a->programme, *(const int64_t *)(r + person->offset),
	                          *(const char *const *)(r + date->offset), a->override,
	                          a->kind->name, id);
}
/* ---- fold-c: base helpers shared across layers (text.c; issue 10) ---- */

/* An uncached statement (the caller finalizes it) for a query run once or rarely: a failed
 * prepare is reported as youth__sqlite_error(@db, ..., @what), *@out left NULL.  Cached ones
 * come from youth__stmt(). */
int youth__prepare(sqlite3_stmt **out, sqlite3 *db, const char *sql, const char *what);
/* Frees the @n strings of @v and @v itself (NULL is fine): the owned name lists of the audit
 * column cache and the rules memo. */
void youth__free_strv(char **v, int n);
/* Whether the @n bytes at @s are a census round's characters: 1-32 (the caller checks empty)
 * letters, digits, '-', '_' or '.'.  One rule for a person's round and a programme's list. */
bool youth__round_chars_ok(const char *s, size_t n);

/* ---- fold-c: rules shared by services (record.c; issue 10) ---- */

/* The arguments of public function @fn that names two persons by key for one act (a duplicate
 * decision, a merge): a registry, both valid ids, and not the same one, refused as
 * "person <id>: <@same>" on @field. */
int youth__two_persons_args(const youth_registry *reg, const char *fn, int64_t person,
                            int64_t other, const char *field, const char *same);
/* The arguments of public function @fn that opens an iterator into *@out (a `T **`, set to
 * NULL first) over the rows of an optional key @id named @field (0: all): "fn: NULL argument"
 * without @out or @reg, "field <id>: not a valid id" for a negative one. */
int youth__iter_args(void *out, const youth_registry *reg, const char *fn, const char *field,
                     int64_t id);
/* The cached statement @sql with @key bound to ?1 and the @n @texts (borrowed until the
 * statement is reset; NULL binds NULL) to ?2, ?3...: the look-ups by a record's key and a
 * date, a path or a code. */
int youth__stmt_key_texts(sqlite3_stmt **st, youth_registry *reg, const char *sql, int64_t key,
                          int n, const char *const *texts);

/* ---- puts: a kind's write SQL built from its description (record.c; issue 10) ---- */

/*
 * The INSERT (@action 'c') or UPDATE ('u') of @p, whose @sql is NULL, into *@sql and the
 * parameter of its key into *@key: built from @p->table and the entries of @p->fields, once
 * per process at the first use (every later call gets the same text, so youth__stmt() finds
 * its prepared statement by address).  An entry of the binding's names is
 *   member        a field of the kind, stored in the column of its name, bound from the record;
 *   column:member the same, stored in a column of another name ("fund_window:window");
 *   @column       a column whose parameter the module binds (@p->bind, @p->ctx_id_param);
 *   column=SQL    a column the INSERT sets to SQL (a constant, "?3"), that the UPDATE leaves.
 * Parameters are numbered from 1 in that order, the key last: the INSERT sets `uuid` to it,
 * the UPDATE changes the row `WHERE id =` it.
 */
int youth__put_sql(const youth__put *p, char action, const char **sql, int *key);
/* A UNIQUE failure of @p's statement, worded: a YOUTH_FIELD_CODE field of the kind whose
 * column SQLite names (code "X": already used by another course), else the uuid
 * ("uuid <uuid>: already used by another <label>"). */
int youth__unique_error(youth_registry *reg, const youth__put *p, const void *rec,
                        const char *uuid);
/* Writes the SELECT of one record by key, youth__by_id(kind), of every kind with a ROWS line
 * in kinds.def (kinds.c): its fields in table order, read from their columns.  Once per
 * process (later calls return at once), by the functions that are given such a text
 * (youth__rec_get, youth__row_by_id) before they prepare it: the texts sit at fixed addresses
 * that static tables can name before they are written. */
void youth__kinds_sql(void);
extern char youth__rows_sql[YOUTH__N_ROWS][YOUTH__SQL_MAX];
/* Copies the columns of the current row of @st, from 0 on, into the places that follow, one
 * letter of @types a column: 'i' an int *, 'I' an int64_t *, 'd' a date buffer of
 * YOUTH_DATE_LEN + 1 bytes, 't' a text buffer then its size (a size_t); NULL reads as 0 and
 * "".  Then resets @st: the small look-ups that a change needs in a struct of its own. */
void youth__row_cols(sqlite3_stmt *st, const char *types, ...);
/* The SELECT of one record of @kind (a kind with a ROWS line) by its key, one `?`: a constant
 * address, so static tables may name it. */
#define youth__by_id(kind) (youth__rows_sql[YOUTH__ROWS_##kind])
/* ---- folds: code that several modules had written alike, once (issue 10) ---- */

/* -1, 0 or 1 as @a is below, equal to or above @b: the one three-way comparison the qsort
 * orders are written with (no subtraction, which overflows on wide keys). */
#define YOUTH__CMP(a, b) (((a) > (b)) - ((a) < (b)))

/* The count, get and free of public result list T: a struct holding n items E in @items (grown
 * by the producer) and the strings they point into in youth__buf @text, freed with it. */
#define YOUTH__LIST_API(T, E, items, text)                                              \
	size_t T##_count(const T *l)                                                        \
	{                                                                                   \
		return l ? l->n : 0;                                                            \
	}                                                                                   \
	const E *T##_get(const T *l, size_t i)                                              \
	{                                                                                   \
		return l && i < l->n ? &l->items[i] : NULL;                                     \
	}                                                                                   \
	void T##_free(T *l)                                                                 \
	{                                                                                   \
		if (!l)                                                                         \
			return;                                                                     \
		youth__free(l->items);                                                          \
		youth__buf_free(&l->text);                                                      \
		youth__free(l);                                                                 \
	}

/* Column 0 of the one row @sql (a cached statement) finds for text @key into @out (@size
 * bytes), or "?" when there is none: names the holder of a key a write collided with. */
void youth__holder_text(youth_registry *reg, const char *sql, const char *key, char *out,
                        size_t size);
/* The EEXISTS of a write of an organisation (@noun: "exchange" for the municipal ones) whose
 * @code or @uuid another row of the exchange table holds, named (at most @who_max bytes) by
 * its name or code (organisation.c). */
int youth__org_conflict(youth_registry *reg, const char *code, const char *uuid,
                        const char *noun, int who_max);

/* Runs @sql once (an uncached statement: a query run rarely), ?1 bound to @text, or to @key
 * when @text is NULL (when @sql has a parameter), and calls @fn on each row until it fails.
 * A failed prepare or step is youth__sqlite_error(@db, ..., @what). (text.c) */
typedef int (*youth__row_fn)(void *ctx, sqlite3_stmt *st);
int youth__query_each(sqlite3 *db, const char *sql, const char *what, const char *text,
                      int64_t key, youth__row_fn fn, void *ctx);

/* The selection of a partial export (?1 a place path, ?2 and ?3 census dates; NULL: no
 * bound), as the persons section makes it: person @p, whose place is @pl, in the subtree of ?1
 * with a census date within the bounds.  The sections that follow persons select with it. */
#define YOUTH__EXPORT_PERSON_IN(p, pl)                                                   \
	"(?1 IS NULL OR " pl ".path = ?1 OR (" pl ".path > ?1 || '/' AND " pl ".path < ?1 || '0'))" \
	" AND (?2 IS NULL OR " p ".census_date >= ?2) AND (?3 IS NULL OR " p ".census_date <= ?3)"

#endif
