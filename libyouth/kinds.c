/*
 * The field tables and kind descriptors of every kind of record, read from kinds.def: the
 * description is data in one place, so adding a field is one line there (plus its column and
 * migration), and no module writes a table of its own.  Each module keeps the rules and the
 * SQL of its kinds and reaches their descriptors as youth__kind_<kind> (private.h).
 *
 * These are constant tables that call nothing, so they sit in the records layer beside
 * record.c, below every module that names a kind; the one thing built from them at run time
 * is the text of each stored kind's SELECT by key (youth__kinds_sql), written once.
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

/* The flags of kinds.def, short: the file lists many of them on every line. */
#define READONLY YOUTH_FIELD_READONLY
#define LIST YOUTH_FIELD_LIST
#define DEFAULT_ON YOUTH_FIELD_DEFAULT_ON
#define OPTIONAL YOUTH_FIELD_OPTIONAL
#define REQUIRED YOUTH_FIELD_REQUIRED
#define PAST YOUTH_FIELD_PAST
#define CODE YOUTH_FIELD_CODE
#define IDENTIFYING YOUTH_FIELD_IDENTIFYING
#define CONTACT YOUTH_FIELD_CONTACT
#define NAME YOUTH_FIELD_NAME
#define FREE_TEXT YOUTH_FIELD_FREE_TEXT
#define QUASI YOUTH_FIELD_QUASI

#define VOCAB(name, ...) const char *const youth__voc_##name[] = {__VA_ARGS__, NULL};
#define FIELDS(k) static const youth__field k##_fields[] = {
#define KEYS(st) YOUTH__KEYS(st),
#define KEYS_RO(st) YOUTH__KEYS_RO(st),
#define FIELD(st, m, t, fl, d) YOUTH__FIELDX(st, m, YOUTH_FIELD_##t, NULL, 0, fl, NULL, d),
#define TEXT(st, m, max, fl, d) {#m, YF_TEXT, offsetof(st, m), NULL, 0, fl, NULL, d, max},
#define ENUM(st, m, voc, fl, d) \
	YOUTH__FIELDX(st, m, YF_ENUM, youth__voc_##voc, YOUTH__VOCAB_N(youth__voc_##voc), fl, NULL, d),
#define REF(st, m, kind, fl, d) YOUTH__FIELDX(st, m, YF_REF, NULL, 0, fl, kind, d),
#define KIND(k, st, label, d) \
	};                        \
	const youth__kind youth__kind_##k = {#k, label, d, sizeof(st), k##_fields, YOUTH__N_OF(k##_fields)};

/* What a ROWS line says: the kind, its FROM clause (the table, then its alias and joins when
 * a column comes from another table) and the columns that are not the field's own name. */
struct rows {
	const youth__kind *kind;
	const char *from;
	const char *cols;
};
#define ROWS_BEGIN static const struct rows rows[] = {
#define ROWS(k, from, cols) [YOUTH__ROWS_##k] = {&youth__kind_##k, from, cols},
#define ROWS_END };
/* A life cycle: its allowed[] declared first so that the machine can name it, then defined by
 * the MOVES lines.  MOVES takes up to four targets; YOUTH__TO_ANY pads the list with -1 (no
 * state) and refuses a fifth at compile time. */
#define YOUTH__TO_OR(s) ((s) < 0 ? 0u : YOUTH__TO((s) < 0 ? 0 : (s)))
#define YOUTH__TO_4(a, b, c, d, e, ...)                                                   \
	(YOUTH__TO_OR(a) | YOUTH__TO_OR(b) | YOUTH__TO_OR(c) | YOUTH__TO_OR(d) |          \
	 0u * sizeof(char[(e) == -1 ? 1 : -1]))
#define YOUTH__TO_ANY(...) YOUTH__TO_4(__VA_ARGS__, -1, -1, -1, -1)
#define MACHINE(name, what, voc)                                                          \
	static const unsigned name##_moves[YOUTH__VOCAB_N(youth__voc_##voc)];              \
	const youth__machine youth__machine_##name =                                       \
		YOUTH__MACHINE(what, youth__voc_##voc, name##_moves);                      \
	static const unsigned name##_moves[YOUTH__VOCAB_N(youth__voc_##voc)] = {
#define MOVES(from, ...) [from] = YOUTH__TO_ANY(__VA_ARGS__),
#define MACHINE_END };
#include "kinds.def"

/* ---- the SELECT of a record by its key ---------------------------------------------------- */

char youth__rows_sql[YOUTH__N_ROWS][YOUTH__SQL_MAX];

/* The column of field @name in the ";"-separated "field=SQL" list @cols, or NULL. */
static const char *column_of(const char *cols, const char *name, int *len)
{
	size_t n = strlen(name);
	for (const char *c = cols; *c;) {
		const char *end = strchr(c, ';');
		int all = end ? (int)(end - c) : (int)strlen(c);
		if (strncmp(c, name, n) == 0 && c[n] == '=') {
			*len = all - (int)n - 1;
			return c + n + 1;
		}
		c += all + (end != NULL);
	}
	return NULL;
}

/* One SELECT: the fields in order, each its override, else the alias (the FROM clause's
 * second word, when there are joins) and its name. */
static void build_by_id(const struct rows *r, char *sql)
{
	const char *sp = strchr(r->from, ' ');
	const char *a = sp ? sp + 1 : "";
	int alias = 0;
	while (a[alias] && a[alias] != ' ')
		alias++;
	size_t len = 0, size = YOUTH__SQL_MAX;
	len += (size_t)snprintf(sql, size, "SELECT ");
	for (size_t i = 0; i < r->kind->n_fields && len < size; i++) {
		const char *name = r->kind->fields[i].name;
		int n;
		const char *col = column_of(r->cols, name, &n);
		len += (size_t)(col ? snprintf(sql + len, size - len, "%s%.*s", i ? ", " : "", n, col)
		                    : snprintf(sql + len, size - len, "%s%.*s%s%s", i ? ", " : "",
		                               alias, a, alias ? "." : "", name));
	}
	if (len < size)
		len += (size_t)snprintf(sql + len, size - len, " FROM %s WHERE %.*s%sid = ?", r->from,
		                        alias, a, alias ? "." : "");
	/* Too long for its buffer: an empty text, which fails to prepare in the first test. */
	if (len >= size)
		sql[0] = '\0';
}

static void build_all(void)
{
	for (size_t i = 0; i < YOUTH__N_OF(rows); i++)
		build_by_id(&rows[i], youth__rows_sql[i]);
}

void youth__kinds_sql(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, build_all);
}
