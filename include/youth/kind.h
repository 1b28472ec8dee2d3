/**
 * @file youth/kind.h
 * @brief The published description of every kind of record and of its fields.
 *
 * libyouth describes its own records, so that front ends need not copy the description: the
 * command-line tool builds its options and columns from it, the Python package its dataclass
 * metadata and the SWIG layer its conversions, and a host application can build forms, CSV
 * columns or a schema for its own store.  The description is static data owned by the library:
 * every pointer stays valid for the life of the process and nothing is freed.
 *
 * Walk the kinds with youth_kind_next() (as curl's `curl_easy_option_next`), find one with
 * youth_kind_find(), and its fields with youth_kind_field() or by walking `fields`.  The
 * generic youth_record_init() / youth_record_set_field() / youth_record_get_field() work on the
 * C struct of any kind (a `youth_person`, a `youth_plan`, ...) through its description; the
 * typed functions of each kind (youth_person_set_field()...) are the same code.
 *
 * Adding a field to a kind is one edit of its field table in the library plus its migration:
 * every front end picks it up from here.
 */
#ifndef YOUTH_KIND_H
#define YOUTH_KIND_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How the text form of a field maps to its C member. */
typedef enum youth_field_type {
	YOUTH_FIELD_ID = 1, /**< `int64_t` key of this record; text: a positive integer. */
	YOUTH_FIELD_UUID,   /**< `char[YOUTH_UUID_LEN + 1]`; text: 8-4-4-4-12 hex digits. */
	YOUTH_FIELD_TEXT,   /**< `const char *` (borrowed on input), UTF-8. */
	YOUTH_FIELD_DATE,   /**< `const char *`, `YYYY-MM-DD`. */
	YOUTH_FIELD_ENUM,   /**< `int`; text: one of the field's vocabulary names. */
	YOUTH_FIELD_BOOL,   /**< `int` 0/1; text: `true`/`false` (also yes/no, 1/0). */
	YOUTH_FIELD_INT,    /**< `int`; text: a whole number (0 reads back as unset). */
	YOUTH_FIELD_MONEY,  /**< `int64_t` cents; text: dollars with up to two decimals, `125.50`;
	                         0 reads back as `0.00` (but see #YOUTH_FIELD_OPTIONAL). */
	YOUTH_FIELD_REF,    /**< `int64_t` key of another record (see youth_field_info.refers_to). */
	YOUTH_FIELD_COUNT   /**< `int` count: 0 is a value, read back as `0`, not unset (but see
	                         #YOUTH_FIELD_OPTIONAL). */
} youth_field_type;

/** Flags of a field (youth_field_info.flags). */
enum {
	/** Set by the library (a state, a computed total): youth_record_set_field() refuses it. */
	YOUTH_FIELD_READONLY = 1u << 0,
	/** A list kept as one #YOUTH_FIELD_TEXT, items separated by ", " (a person's
	 *  `job_profiles`, a programme's `places`); Python reads it as a list.  The interchange
	 *  file writes each one as docs/format.md says (a programme's lists as YAML sequences, a
	 *  person's job profiles as one text, as census batches always had them). */
	YOUTH_FIELD_LIST = 1u << 1,
	/** A #YOUTH_FIELD_BOOL that a new record starts with set (an operator starts active). */
	YOUTH_FIELD_DEFAULT_ON = 1u << 2,
	/**
	 * Gives an unset state to the two types where 0 is a value, #YOUTH_FIELD_COUNT and
	 * #YOUTH_FIELD_MONEY (every other type has one already: 0, NULL or "").  An optional count
	 * (an enrollment's attendance, 0 % being a real figure) is unset at -1: a negative member
	 * reads back as unset, and unset text, youth_record_init() and a NULL column store -1.  An
	 * optional amount (a scholarship's stipend, none before a placement) is unset at 0: 0
	 * reads back as unset rather than `0.00`.
	 */
	YOUTH_FIELD_OPTIONAL = 1u << 3,
	/** Must be given on every add and update: a non-empty #YOUTH_FIELD_TEXT, a
	 *  #YOUTH_FIELD_DATE, a #YOUTH_FIELD_REF other than 0. */
	YOUTH_FIELD_REQUIRED = 1u << 4,
	/** A #YOUTH_FIELD_DATE that may not lie after today (a service is recorded once given). */
	YOUTH_FIELD_PAST = 1u << 5,
	/** A #YOUTH_FIELD_TEXT code: 1 to `max_bytes` ASCII letters, digits, '-' and '_'. */
	YOUTH_FIELD_CODE = 1u << 6,
	/*
	 * The fields below say what a field tells about a natural person, so that exports decide
	 * from this table, not from a list of their own (docs/privacy.md, "Exports that travel").
	 */
	/** A national identity number (a person's DUI): left out of record-level exports unless
	 *  asked for (#YOUTH_EXPORT_IDENTIFIERS); never in a pseudonymised export. */
	YOUTH_FIELD_IDENTIFYING = 1u << 7,
	/** A natural person's contact details (phone, postal address, e-mail, the name of an
	 *  employer's contact person): left out of record-level exports unless asked for
	 *  (#YOUTH_EXPORT_CONTACTS); never in a pseudonymised export. */
	YOUTH_FIELD_CONTACT = 1u << 8,
	/** A natural person's name (a youth's, an operator's): kept in plain exports, dropped
	 *  from a pseudonymised one. */
	YOUTH_FIELD_NAME = 1u << 9,
	/** Free text that may name or describe a person (notes, reasons): dropped from a
	 *  pseudonymised export. */
	YOUTH_FIELD_FREE_TEXT = 1u << 10,
	/** A quasi-identifier that a pseudonymised export generalises: a birth date becomes a
	 *  year, a place of residence its parent when few persons live there. */
	YOUTH_FIELD_QUASI = 1u << 11
};

/** One field of a kind of record. */
typedef struct youth_field_info {
	const char *name;      /**< Field name: the C member, YAML key, Python attribute. */
	youth_field_type type; /**< How its text maps to the member. */
	size_t offset;         /**< Offset of the member in the kind's C struct. */
	/** For #YOUTH_FIELD_ENUM: names indexed by the C value; entry 0 is NULL (unset), and
	 *  entries up to `n_vocabulary` (exclusive) may be NULL for unused values.  NULL otherwise. */
	const char *const *vocabulary;
	int n_vocabulary;      /**< Size of `vocabulary` (values 0 .. n_vocabulary - 1). */
	unsigned flags;        /**< #YOUTH_FIELD_READONLY, #YOUTH_FIELD_LIST, #YOUTH_FIELD_DEFAULT_ON,
	                            #YOUTH_FIELD_OPTIONAL, #YOUTH_FIELD_REQUIRED, #YOUTH_FIELD_PAST,
	                            #YOUTH_FIELD_CODE, #YOUTH_FIELD_IDENTIFYING, #YOUTH_FIELD_CONTACT,
	                            #YOUTH_FIELD_NAME, #YOUTH_FIELD_FREE_TEXT, #YOUTH_FIELD_QUASI. */
	const char *refers_to; /**< For #YOUTH_FIELD_REF: the name of the kind referred to. */
	const char *doc;       /**< One line of documentation, never NULL. */
	/** For #YOUTH_FIELD_TEXT: the longest value the library accepts, in bytes (a form can
	 *  limit its input to it); 0 when the field's own rule says more (a phone number, an
	 *  e-mail address: see `doc`). */
	size_t max_bytes;
} youth_field_info;

/** One kind of record. */
typedef struct youth_kind_info {
	const char *name;   /**< Identifier: `person`, `counselling_session`, `business_service`. */
	const char *label;  /**< In messages: `counselling session`. */
	const char *doc;    /**< One line of documentation. */
	size_t struct_size; /**< sizeof the kind's C struct (`youth_person`...). */
	const youth_field_info *fields; /**< The fields in canonical order (id first). */
	size_t n_fields;    /**< Number of entries in `fields`. */
} youth_kind_info;

/**
 * Walks the kinds of record: the first with @p prev NULL, then the one after @p prev.
 * @return the next kind, or NULL after the last (and for a @p prev not from this library).
 */
YOUTH_EXTERN(const youth_kind_info *) youth_kind_next(const youth_kind_info *prev);

/**
 * Finds a kind by its identifier (`"plan_visit"`), case-sensitive.
 * @return the kind, or NULL (with #YOUTH_ENOTFOUND recorded by youth_error_last(), naming the
 *         known kinds) when there is none or @p name is NULL.
 */
YOUTH_EXTERN(const youth_kind_info *) youth_kind_find(const char *name);

/**
 * Finds a field of @p kind by name.
 * @return the field, or NULL when @p kind or @p name is NULL or the kind has no such field
 *         (no error is recorded: this is a question, not a failure).
 */
YOUTH_EXTERN(const youth_field_info *) youth_kind_field(const youth_kind_info *kind,
                                                        const char *name);

/** The name of a field type: `"id"`, `"uuid"`, `"text"`, `"date"`, `"enum"`, `"bool"`,
 *  `"int"`, `"money"`, `"ref"`, `"count"`; NULL for a value outside #youth_field_type. */
YOUTH_EXTERN(const char *) youth_field_type_name(youth_field_type type);

/**
 * Initialises @p rec, a C struct of @p kind (`kind->struct_size` bytes): every field unset
 * (an optional count at -1), except the few with a default (an operator starts active).  The same as the kind's own
 * `_init` (youth_operator_init()...).  NULL arguments are ignored.
 */
YOUTH_EXTERN(void) youth_record_init(const youth_kind_info *kind, void *rec);

/**
 * Sets field @p field of @p rec (a C struct of @p kind) from its text form; NULL or "" unsets
 * it.  Text fields and dates are borrowed: @p text must outlive the use of @p rec.  Only the
 * form is checked here (a number, a vocabulary name, a UUID, money); the rules of the kind are
 * checked when the record is added or updated.
 * @return #YOUTH_OK; #YOUTH_EINVAL for a NULL argument, an unknown field, a read-only field,
 *         or text that is not of the field's form (the message names the field and the text).
 */
YOUTH_EXTERN(int) youth_record_set_field(const youth_kind_info *kind, void *rec,
                                         const char *field, const char *text);

/**
 * Reads field @p field of @p rec as text.  *@p out is NULL for an unset field, else it points
 * into @p rec or into @p buf (at least 32 bytes) and is valid while both are.
 * @return #YOUTH_OK; #YOUTH_EINVAL for a NULL argument, an unknown field or a small buffer.
 */
YOUTH_EXTERN(int) youth_record_get_field(const char **out, const youth_kind_info *kind,
                                         const void *rec, const char *field, char *buf,
                                         size_t size);

#ifdef __cplusplus
}
#endif

#endif
