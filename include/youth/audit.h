/**
 * @file youth/audit.h
 * @brief The audit trail: who wrote (and, when asked, who read) what, hash-chained.
 *
 * Auditing is switched on per registry file with youth_audit_enable() and stays on: the
 * switch is stored in the file, so every process and every front end that writes to it
 * afterwards is audited.  From then on each write names its actor (the host sets it on the
 * handle with youth_registry_set_actor()); a write without one is refused with
 * #YOUTH_EMISUSE before it changes anything.
 *
 * Every record a write creates, changes or deletes gets one entry, appended in the same
 * transaction through the library's one write path: a failed or rolled-back write leaves
 * no entry.  An entry holds the UTC time, the actor, the kind and key (id and UUID) of the
 * record, the operation (`add person`, `import`, `change enrollment state`...), the action
 * (`create`, `update`, `delete`, `read`, `erase`, `enable`) and, for an update, the changed
 * fields with their old and new values as canonical JSON: `{"given_names":["Ana","Ana
 * María"]}`; a delete records every value it removed (`null` as each new value).  A create
 * records no values: they are the record's own, and each later change records what it
 * replaced, so any earlier state can be rebuilt (and an import's trail stays small).  The
 * fields are the columns of the record's table.  youth_audit_reads() adds a `read` entry for every
 * youth_person_get() and youth_person_get_by_uuid() of the handle.
 *
 * Entries are numbered 1, 2, 3... and chained: each one's BLAKE2b hash (libsodium) covers
 * its content and the hash of the entry before.  SQL triggers refuse to change or delete an
 * entry, so only someone editing the file can tamper, and youth_audit_verify() finds where.
 * docs/privacy.md says what is and is not detected.
 *
 * The entries read as records of the kind `audit_entry` (youth/kind.h), all fields
 * read-only, through youth_audit_iter_new().
 */
#ifndef YOUTH_AUDIT_H
#define YOUTH_AUDIT_H

#include "common.h"
#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Sets the actor of the writes made through @p reg from now on: the person or system that
 * makes them, as the host application knows it (`maria.lopez@sonsonate`).  The text is
 * copied.  NULL or "" clears it.
 * @return #YOUTH_OK; #YOUTH_EINVAL for a NULL registry or an actor that is not 1-200 bytes
 *         of UTF-8 without control characters; #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_registry_set_actor(youth_registry *reg, const char *actor);

/** The actor set on @p reg (borrowed, valid until the next youth_registry_set_actor()), or
 *  NULL when none is set. */
YOUTH_EXTERN(const char *) youth_registry_actor(const youth_registry *reg);

/**
 * Switches the audit trail on for the registry file, for good: the switch is stored in the
 * file and cannot be undone through the library.  The first entry records who switched it
 * on.  Switching on a registry already audited changes nothing.
 * @return #YOUTH_OK; #YOUTH_EMISUSE when no actor is set; #YOUTH_EREADONLY; #YOUTH_EBUSY,
 *         #YOUTH_EIO.
 */
YOUTH_EXTERN(int) youth_audit_enable(youth_registry *reg);

/**
 * Tells whether the registry file is audited (read from the file, so it sees a switch made
 * by another process).
 * @return 1 when audited, 0 when not, or a negative error code (#YOUTH_EINVAL for NULL).
 */
YOUTH_EXTERN(int) youth_audit_enabled(youth_registry *reg);

/**
 * Turns the audit of reads on (@p on non-zero) or off for this handle: while on, every
 * youth_person_get() and youth_person_get_by_uuid() that finds a person appends a `read`
 * entry (in a write transaction of its own, or the caller's), and a read that cannot be
 * audited fails.  Off by default; lists and reports are not audited.
 * @return #YOUTH_OK; #YOUTH_EINVAL for NULL; #YOUTH_EMISUSE when the file is not audited;
 *         #YOUTH_EREADONLY for a handle opened read-only (it could not write the entries).
 */
YOUTH_EXTERN(int) youth_audit_reads(youth_registry *reg, int on);

/** Longest text of an anchor (youth_audit_problem.head): `SEQUENCE:HASH`, the sequence
 *  number of an entry in decimal and its hash in 64 hexadecimal digits. */
#define YOUTH_AUDIT_ANCHOR_LEN 85

/** What youth_audit_verify() found. */
typedef struct youth_audit_problem {
	int64_t entries;  /**< Entries read. */
	int64_t problems; /**< Problems found (0: the trail is intact). */
	int64_t entry;    /**< Sequence number of the entry of the first problem (0: none). */
	char what[320];   /**< The first problem in words, "" when none. */
	/** The anchor of the last entry, `SEQUENCE:HASH` ("" for an empty trail): keep it
	 *  outside the registry and give it back to a later youth_audit_verify(). */
	char head[YOUTH_AUDIT_ANCHOR_LEN + 1];
} youth_audit_problem;

/**
 * Checks the whole audit trail: every entry's hash against its content, each entry's link
 * to the one before, the sequence numbers without gaps, and values removed from an entry
 * only for a person erased afterwards.  An entry edited, deleted, inserted or moved is
 * found and named by its sequence number.  Removing the newest entries leaves a shorter
 * chain that is intact in itself: only an @p anchor kept from before (the `head` of an
 * earlier verify, `SEQUENCE:HASH`) detects it, and detects a trail rewritten from an entry
 * at or before the anchor's.
 *
 * @param[out] out what was found (filled even on failure when not NULL).
 * @param anchor NULL, or an anchor kept from an earlier verify.
 * @return #YOUTH_OK when the trail is intact; #YOUTH_ECORRUPT when a problem was found (the
 *         message is the first one); #YOUTH_EINVAL for a NULL argument or a malformed anchor;
 *         #YOUTH_EIO.
 */
YOUTH_EXTERN(int) youth_audit_verify(youth_audit_problem *out, youth_registry *reg,
                                     const char *anchor);

/**
 * One audit entry, as read by youth_audit_next().  All strings belong to the iterator and
 * are valid until its next call.
 */
typedef struct youth_audit_entry {
	int64_t id;                           /**< Sequence number: 1, 2, 3... */
	char record_uuid[YOUTH_UUID_LEN + 1]; /**< UUID of the record ("" for none). */
	const char *at;        /**< UTC time, `2026-12-06T14:03:27.512Z`. */
	const char *actor;     /**< Who made the write (youth_registry_set_actor()). */
	const char *kind;      /**< Kind of the record (`person`), or its table for rows that
	                            are part of another record (`programme_place`). */
	int64_t record_id;     /**< Key of the record (0 for none). */
	const char *operation; /**< The library operation: `add person`, `import`... */
	const char *action;    /**< `create`, `update`, `delete`, `read`, `erase` or `enable`. */
	const char *changes;   /**< Canonical JSON of the fields an update changed or a delete
	                            removed, or NULL (a create, a read, an erasure, values
	                            removed by an erasure). */
	const char *hash;      /**< BLAKE2b-256 hash of the entry and of the hash of the entry
	                            before, 64 hexadecimal digits. */
} youth_audit_entry;

/** Which entries youth_audit_iter_new() reads; a NULL or empty member does not filter. */
typedef struct youth_audit_filter {
	const char *kind;  /**< Only this kind (`person`). */
	const char *uuid;  /**< Only entries about the record with this UUID. */
	const char *actor; /**< Only this actor. */
	const char *since; /**< From this date (`YYYY-MM-DD`) or time on, inclusive. */
	const char *until; /**< Up to this date or time, inclusive (a date: the whole day). */
} youth_audit_filter;

/** An iterator over audit entries.  Opaque. */
typedef struct youth_audit_iter youth_audit_iter;

/**
 * Opens an iterator over the entries that pass @p filter (NULL: all), oldest first.
 * @param[out] out the iterator, freed with youth_audit_iter_free().
 * @return #YOUTH_OK; #YOUTH_EINVAL for a NULL argument, a UUID or a date that is not well
 *         formed; #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_audit_iter_new(youth_audit_iter **out, youth_registry *reg,
                                       const youth_audit_filter *filter);

/**
 * Reads the next entry.
 * @param[out] out the entry, owned by the iterator, valid until the next call.
 * @return #YOUTH_OK; #YOUTH_ITEROVER after the last; another negative code on failure.
 */
YOUTH_EXTERN(int) youth_audit_next(const youth_audit_entry **out, youth_audit_iter *it);

/** Frees an iterator.  NULL-safe. */
YOUTH_EXTERN(void) youth_audit_iter_free(youth_audit_iter *it);

/** Text interface of an entry, by field name (youth/kind.h, kind `audit_entry`): *@p out is
 *  NULL for an unset field.  @return #YOUTH_OK or #YOUTH_EINVAL. */
YOUTH_EXTERN(int) youth_audit_entry_get_field(const char **out, const youth_audit_entry *e,
                                              const char *field, char *buf, size_t size);

/** Name of field @p index of an audit entry, NULL past the last. */
YOUTH_EXTERN(const char *) youth_audit_entry_field_name(size_t index);

#ifdef __cplusplus
}
#endif
#endif
