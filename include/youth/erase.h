/**
 * @file youth/erase.h
 * @brief Erasure of a person (the right to erasure) and retention (purge of what is due).
 *
 * youth_person_erase() removes what identifies a person from the registry file and its WAL,
 * and keeps the rest as an anonymous stub so that indicators and reports stay continuous:
 * the person's record keeps its integer key, UUID, sex, birth date, place, census date and
 * round and the census answers (education, employment...); every field that the kind
 * description (youth/kind.h) marks #YOUTH_FIELD_IDENTIFYING, #YOUTH_FIELD_CONTACT,
 * #YOUTH_FIELD_NAME or #YOUTH_FIELD_FREE_TEXT goes, in the person's record and in every record
 * about the person (enrollments, follow-ups, scholarships and their payments, plans and their
 * visits and services, memberships, overrides...).  A value that must stay present (a name,
 * the reason a scholarship was terminated) reads `(erased)`; an identifier or a contact
 * detail becomes unset.  docs/privacy.md ("Erasure") lists what stays and why, and what is not
 * guaranteed.
 *
 * The UUID is kept in a tombstone: adding or importing a person with that UUID, and any
 * change of the stub, is refused afterwards, so an import cannot bring the person back.
 */
#ifndef YOUTH_ERASE_H
#define YOUTH_ERASE_H

#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What an erased value reads in a field that cannot be empty. */
#define YOUTH_ERASED_TEXT "(erased)"

/**
 * Erases the person with integer key @p id, or, when @p id is 0, with UUID @p uuid.
 *
 * In one write transaction through the library's write path: the person's identifying,
 * contact, name and free-text fields and those of every record about them are removed
 * (see the file comment), the audit trail (when on) gains one `erase` entry per record
 * changed and loses the values its earlier entries held about those records, and the UUID
 * is kept in the tombstone with @p reason.  Then the WAL is checkpointed into the database
 * file and truncated, and the handle deletes securely (`PRAGMA secure_delete`), so the old
 * values are neither in the file's pages nor in its free space, nor in the `-wal` file.
 *
 * @param reason why (a request of the person, a retention period...): 1-200 bytes of text,
 *        stored in the tombstone; it must not itself identify the person.
 * @return #YOUTH_OK; #YOUTH_EINVAL (no id or uuid, a malformed UUID, a missing reason);
 *         #YOUTH_ENOTFOUND (no such person); #YOUTH_ESTATE (already erased: the message
 *         says when); #YOUTH_EMISUSE inside a transaction of the caller (an erasure commits
 *         and clears the WAL on its own) or without an actor in an audited registry;
 *         #YOUTH_EBUSY when the erasure was committed but another connection kept the WAL
 *         from being cleared (the message says so: do not erase again; close the other
 *         connection, then youth_purge(), which clears the WAL even when nothing is due, or
 *         the close of the last connection clears it); I/O codes.
 */
YOUTH_EXTERN(int) youth_person_erase(youth_registry *reg, int64_t id, const char *uuid,
                                     const char *reason);

/** Flags of youth_purge(). */
typedef enum youth_purge_flags {
	YOUTH_PURGE_DEFAULT = 0,
	/** List what is due, erase nothing. */
	YOUTH_PURGE_DRY_RUN = 1 << 0
} youth_purge_flags;

/**
 * Erases (as youth_person_erase()) every person whose retention has ended at @p as_of: a
 * `retain_until` before @p as_of.  All of them in one write transaction, then one clearing of
 * the WAL; all or nothing.
 *
 * @param[out] out the UUIDs erased (or, with #YOUTH_PURGE_DRY_RUN, that would be), each
 *        followed by a newline, in the order of their integer keys; "" when none.  Release it
 *        with youth_free().  Set to NULL on failure.
 * @param as_of `YYYY-MM-DD`, or NULL for today (UTC).
 * @return #YOUTH_OK; #YOUTH_EINVAL (bad date, unknown flags); the codes of
 *         youth_person_erase().
 */
YOUTH_EXTERN(int) youth_purge(char **out, youth_registry *reg, const char *as_of,
                              unsigned flags);

#ifdef __cplusplus
}
#endif
#endif
