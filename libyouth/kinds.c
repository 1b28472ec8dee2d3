/*
 * The field tables and kind descriptors of every kind of record, read from kinds.def: the
 * description is data in one place, so adding a field is one line there (plus its column and
 * migration), and no module writes a table of its own.  Each module keeps the rules and the
 * SQL of its kinds and reaches their descriptors as youth__kind_<kind> (private.h).
 *
 * These are constant tables that call nothing, so they sit in the records layer beside
 * record.c, below every module that names a kind.
 */
#include "private.h"

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
#include "kinds.def"
