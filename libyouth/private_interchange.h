/*
 * Internals of libyouth, interchange: how a module describes its sections of a `libyouth/1`
 * file, and the engines that read and write them.  Included at the end of private.h.
 *
 * Two layers live here, the lower one first (docs/design.md, "Lower files never call
 * upward"):
 *  - the section contract (interchange.c): the types a module fills in to declare a section,
 *    the view of the import a section's import function gets, and the look-ups it resolves
 *    references with.  Below the gazetteer and the services, which declare sections.
 *  - the engines: the catalogue of every module's sections (catalogue.c), import (import.c)
 *    and export (export.c).  Above every service; nothing below calls into them.
 */
#ifndef YOUTH_PRIVATE_INTERCHANGE_H
#define YOUTH_PRIVATE_INTERCHANGE_H

/* ---- the section contract (interchange.c) ------------------------------------------------ */

/*
 * One section of a `libyouth/1` file: a list of records of one kind.  Each module describes
 * its own sections (next to its rules); the engines read and write them.  Files name other
 * records by UUID or natural key, never by integer id: a reference field `x_id` of the kind is
 * written `x:` and resolved through @refs.
 */
typedef struct youth__ref {
	const char *field;       /* the kind's field: "person_id" */
	const char *key;         /* its key in files: "person" */
	const char *sql_uuid;    /* static SQL: id of the record with uuid ?1 */
	const char *sql_natural; /* static SQL: id by natural key ?1, or NULL */
	const char *natural;     /* what the natural key is, for messages: "national ID" */
} youth__ref;

/*
 * What a section's import function sees of the import running it: the registry, the mode and
 * the record as read from the file.  The engine (import.c) keeps the rest of its state to
 * itself; a module reads this only through the functions below, so that it never calls up
 * into the engine that calls it.
 */
typedef struct youth__imp {
	youth_registry *reg;
	unsigned flags;            /* youth_import_options.flags */
	const youth__yaml_rec *r;  /* the record being imported, keys and text as in the file */
	/* YOUTH_FIELD_IDENTIFYING / _CONTACT: the fields the file's `withheld:` says its export
	 * left out, which an upsert then keeps as stored (set before the first record). */
	unsigned withheld;
	/* Whether person_alias was found empty (person.c, import_person()); the engine forgets
	 * it at every new section, and only the merges section writes aliases. */
	bool aliases_known, no_aliases;
	/* What a section's import function keeps from one record to the next to spare the next
	 * one a read (youth__imp_memo()): zero at the start of the import. */
	const void *memo_owner;
	sqlite3_int64 memo_changes;
	union {
		int64_t align;
		unsigned char bytes[128];
	} memo;
} youth__imp;

static inline youth_registry *youth__imp_registry(const youth__imp *imp)
{
	return imp->reg;
}
static inline unsigned youth__imp_flags(const youth__imp *imp)
{
	return imp->flags;
}
/*
 * The memo @owner (any address of its own) kept with youth__imp_memo_keep(), or NULL when
 * there is none or it is stale: the registry has changed since it was kept, by anyone (a
 * record refused and rolled back changed it as well: SQLite's count of changed rows never
 * goes back), or a write of the record it was kept in failed.
 */
static inline void *youth__imp_memo(youth__imp *imp, const void *owner)
{
	return imp->memo_owner == owner && !imp->reg->bulk_failed &&
	               imp->memo_changes == sqlite3_total_changes64(imp->reg->db)
	           ? imp->memo.bytes
	           : NULL;
}
/* The memo's storage for @owner to fill (at most sizeof imp->memo bytes), stale until
 * youth__imp_memo_keep(). */
static inline void *youth__imp_memo_take(youth__imp *imp, const void *owner)
{
	imp->memo_owner = owner;
	imp->memo_changes = -1;
	return imp->memo.bytes;
}
/* Keeps the memo: it holds as long as nothing more is written.  Call it last, once the
 * record is in; a failed write left the memo stale. */
static inline void youth__imp_memo_keep(youth__imp *imp)
{
	imp->memo_changes = imp->reg->bulk_failed ? -1 : sqlite3_total_changes64(imp->reg->db);
}
/* Forgets the memo, whoever kept it. */
static inline void youth__imp_memo_drop(youth__imp *imp)
{
	imp->memo_owner = NULL;
}

/* Text of @key in the current record as written in the file, or NULL when absent. */
const char *youth__imp_value(const youth__imp *imp, const char *key);

/* What the import of one record did. */
enum { YOUTH__IMP_ADDED = 1, YOUTH__IMP_UPDATED, YOUTH__IMP_UNCHANGED };

/*
 * The import of a record that has a natural key, in upsert mode: found by uuid, else by its
 * natural key; added when neither names one; else compared with the stored record and updated
 * when it differs, or (a kind with no update by import) left alone when equal and refused
 * when not.  Without YOUTH_IMPORT_UPSERT it is only added.
 */
typedef struct youth__upsert {
	const youth__kind *kind;
	const char *by_uuid; /* "SELECT id, uuid FROM course WHERE uuid = lower(?)" */
	const char *by_key;  /* "SELECT id, uuid FROM course WHERE code = ?", or NULL: uuid only */
	const char *key;     /* the natural key's field: "code" */
	const char *by_id;   /* the kind's columns by id (youth__rec_get), to compare with */
	int (*add)(youth__imp *imp, void *rec, void *ctx);
	/* NULL: "<label> <key> (uuid U): already in the registry with other values, and
	 * <a_label> cannot be updated by import" (field @key) for a record that differs. */
	int (*update)(youth__imp *imp, void *rec, void *ctx);
	const char *a_label; /* "an exchange" */
	/* Optional: makes the file's record comparable with the stored one (a place in its
	 * canonical form, a default the add stores); what it builds goes in @scratch. */
	void (*prepare)(youth_registry *reg, const youth__kind *k, void *rec, youth__buf *scratch);
} youth__upsert;
/* An add or update of youth__upsert that calls the public @fn(reg, rec). */
#define YOUTH__UPSERT_CALL(name, fn)                               \
	static int name(youth__imp *imp, void *rec, void *ctx)         \
	{                                                              \
		(void)ctx;                                                 \
		return fn(youth__imp_registry(imp), rec);                  \
	}
/* Imports @rec as @u says; *@done as a section's import function sets it; @ctx goes to the
 * callbacks. */
int youth__imp_upsert(youth__imp *imp, const youth__upsert *u, void *rec, void *ctx, int *done);

typedef struct youth__section {
	const char *name;             /* key of the section: "persons" */
	const char *what;             /* one record, for messages: "person" */
	unsigned kind_flag;           /* YOUTH_KIND_* */
	const youth__kind *kind;      /* the fields (the record struct is kind->struct_size) */
	const char *const *list_keys; /* fields written as YAML lists (NULL-terminated) or NULL */
	const char *const *extra_keys;/* keys beyond the kind's fields, read by the section */
	const youth__ref *refs;
	int n_refs;
	/* Columns in the order of kind->fields, references as the referred record's uuid, ordered
	 * by id.  Binds ?1 place path (NULL: all), ?2 first day, ?3 last day (NULL: open). */
	const char *export_sql;
	/* Imports one record.  @rec has every writable field set from the file and the references
	 * resolved; read-only and extra keys are read with youth__imp_value().  Sets *done. */
	int (*import)(youth__imp *imp, void *rec, int *done);
	/* Instead of @import, for a kind found by uuid or natural key: youth__imp_upsert(). */
	const youth__upsert *upsert;
	/* Indexes of the section's table that a large import drops and builds again at the end
	 * of the section (NULL-terminated, or NULL).  A unique one only if the file's records
	 * cannot conflict on it except by repeating its key (the table's <table>_uuid): it is
	 * deferred only by an all-or-nothing insert-only import, which fails as a whole when the
	 * index is built again (import.c, rebuild_indexes()). */
	const char *const *bulk_indexes;
} youth__section;

/* Defines youth__section_<id>, the section named "<id>" of records of kind @k (a
 * youth__kind, not its address); the other members follow as designated initialisers. */
#define YOUTH__SECTION(id, wh, flag, k, ...)                                               \
	const youth__section youth__section_##id = {.name = #id, .what = wh, .kind_flag = flag, \
	                                            .kind = &k, __VA_ARGS__}
/* The members .refs and .n_refs of a section, from the array @arr. */
#define YOUTH__SECTION_REFS(arr) .refs = arr, .n_refs = (int)YOUTH__N_OF(arr)

/* The reference of @s stored in the kind's field @field ("person_id"), or NULL. */
const youth__ref *youth__section_ref(const youth__section *s, const char *field);

/* The id of the record with @uuid in the table of @sql (static "SELECT id ... WHERE uuid = ?1"),
 * 0 when none (or @uuid is not a UUID). */
int youth__id_by_uuid(youth_registry *reg, const char *sql, const char *uuid, int64_t *id);
/* Looks up a record by uuid (@by_uuid: "SELECT id, uuid ... WHERE uuid = lower(?)"), else by
 * natural key (@by_key, may be NULL); *id = 0 when neither names one.  The stored uuid is
 * copied to @uuid. */
int youth__find_record(youth_registry *reg, const char *by_uuid, const char *uuid_given,
                       const char *by_key, const char *key, int64_t *id,
                       char uuid[YOUTH_UUID_LEN + 1]);
/* EEXISTS (field @key) when a file gives a uuid that is not the one stored for the record its
 * natural key @value names. */
int youth__same_uuid(const char *given, const char *stored, const char *what, const char *key,
                     const char *value);
/* A service's `override_by` (operator UUID) and `override_reason`: both or neither.  *out is
 * @ovr when they are given, NULL otherwise. */
int youth__imp_override(youth__imp *imp, youth_override *ovr, const youth_override **out);


/* A file of one list that a module loads by itself (census, rules, gazetteer): its public
 * function's name, the write it runs in, and the file's shape. */
typedef struct youth__load {
	const char *fn;              /* "youth_census_load" (and "..._buffer"), for a NULL argument */
	const char *op;              /* the one write of the load: "load census" */
	const youth__yaml_file *file;
} youth__load;
/* What the file's callbacks get as their context: the load's write (its registry is
 * w->reg) and the caller's @ctx. */
typedef struct youth__loading {
	youth__write *w;
	void *ctx;
} youth__loading;
/* Loads @path (or, in the _buffer form, the @size bytes at @data, named @name in messages) in
 * one write: all the records or none.  *@count (may be NULL) is 0, and on success the
 * records read; EINVAL "<fn>[_buffer]: NULL registry|path|data". */
int youth__load_file(const youth__load *l, youth_registry *reg, const char *path, void *ctx,
                     int64_t *count);
int youth__load_buffer(const youth__load *l, youth_registry *reg, const char *data, size_t size,
                       const char *name, void *ctx, int64_t *count);

/* The sections each module declares, in the order export writes them (references point
 * backwards). */
extern const youth__section youth__section_places;
extern const youth__section youth__section_programmes;
extern const youth__section youth__section_exchanges;
extern const youth__section youth__section_organisations;
extern const youth__section youth__section_operators;
extern const youth__section youth__section_employers;
extern const youth__section youth__section_persons;
extern const youth__section youth__section_consents;
extern const youth__section youth__section_courses;
extern const youth__section youth__section_cohorts;
extern const youth__section youth__section_enrollments;
extern const youth__section youth__section_counselling_sessions;
extern const youth__section youth__section_counselling_participants;
extern const youth__section youth__section_scholarships;
extern const youth__section youth__section_scholarship_payments;
extern const youth__section youth__section_groups;
extern const youth__section youth__section_group_members;
extern const youth__section youth__section_plans;
extern const youth__section youth__section_plan_disbursements;
extern const youth__section youth__section_plan_visits;
extern const youth__section youth__section_business_services;
extern const youth__section youth__section_followups;
extern const youth__section youth__section_merges;

/* exchange.c: an import replaying a service recorded by an operator who has since been
 * deactivated makes them active for the call (*woken tells whether it had to), then
 * youth__operator_rest() deactivates them again; both through youth_operator_update(). */
int youth__operator_wake(youth_registry *reg, int64_t operator_id, bool *woken);
int youth__operator_rest(youth_registry *reg, int64_t operator_id);

/* ---- the engines (catalogue.c, import.c, export.c) ---------------------------------------- */

/* Every section, in the order export writes them: each reference points to an earlier one. */
extern const youth__section *const youth__sections[];
extern const size_t youth__n_sections;
/* The index of the section called @name in youth__sections, youth__n_sections when none. */
size_t youth__section_find(const char *name);

/* Records of one section an import adds before it defers the section's bulk_indexes (a
 * variable so that tests can make it small). */
extern int64_t youth__bulk_index_after;
/* The page cache of an import's index sorts, KiB: what SQLite's sorter keeps in memory before
 * it writes a sorted run to a temporary file (a variable so that tests can make the runs
 * many). */
extern int youth__sort_cache_kib;
/* Write-back hints an import has given the kernel for its WAL (counted for the tests). */
extern int64_t youth__writeback_hints;
/* Persons an import's references memo loaded from the registry, over the process (import.c;
 * read by the tests). */
extern int64_t youth__person_memo_loaded;
/* The most persons that memo holds, whatever the memory (a variable so that tests can make it
 * small). */
extern size_t youth__person_memo_max;
/* The memory of an import's page cache and memos, KiB (a variable so that tests can change
 * it), and how the last import shared it out (import.c, split_memory()). */
extern size_t youth__import_memory_kib;
typedef struct youth__memory_split {
	int cache_kib;      /* the page cache */
	size_t memo_bytes;  /* the persons added, by UUID */
	size_t facts_bytes; /* the persons' facts (rules.c), at most */
} youth__memory_split;
extern _Thread_local youth__memory_split youth__import_split;

/* ---- fold-b ------------------------------------------------------------------------------ */

/* The id of the stored record that the import of @uuid meets: under YOUTH_IMPORT_UPSERT the
 * record of @uuid in the table of @by_uuid (youth__id_by_uuid), else 0 (a new record). */
static inline int youth__imp_existing(const youth__imp *imp, const char *by_uuid,
                                      const char *uuid, int64_t *id)
{
	*id = 0;
	if (!(imp->flags & YOUTH_IMPORT_UPSERT) || !uuid || !uuid[0])
		return YOUTH_OK;
	return youth__id_by_uuid(imp->reg, by_uuid, uuid, id);
}

/* ---- the references many sections share (issue 10) ---- */

/* A person named in files by uuid or national ID, an operator by uuid, an employer by uuid or
 * NIT: entries of a section's youth__ref table. */
#define YOUTH__REF_PERSON                                                                   \
	{"person_id", "person", "SELECT id FROM person WHERE uuid = ?1",                        \
	 "SELECT id FROM person WHERE national_id = ?1", "national ID"}
#define YOUTH__REF_OPERATOR \
	{"operator_id", "operator", "SELECT id FROM operator WHERE uuid = ?1", NULL, NULL}
#define YOUTH__REF_EMPLOYER                                                                 \
	{"employer_id", "employer", "SELECT id FROM employer WHERE uuid = ?1",                  \
	 "SELECT id FROM employer WHERE nit = ?1", "NIT"}

#endif
