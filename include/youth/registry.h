/**
 * @file youth/registry.h
 * @brief Opening, closing and transactions of a registry (one SQLite file or `:memory:`).
 *
 * A registry handle is not safe to use from two threads at once; give each thread (or
 * process) its own handle on the same file.  Writers wait up to the busy timeout
 * (5 seconds by default) for each other.  A transaction belongs to the thread that began it:
 * until it ends, a write, begin, commit or rollback of another thread on the same handle
 * fails with #YOUTH_EMISUSE instead of running inside it (where a rollback would undo a write
 * its thread was told had succeeded).
 */
#ifndef YOUTH_REGISTRY_H
#define YOUTH_REGISTRY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An open registry.  Opaque; created by youth_registry_open(). */
typedef struct youth_registry youth_registry;

/** Flags for youth_registry_open(). */
typedef enum youth_open_flags {
	YOUTH_OPEN_DEFAULT = 0,     /**< Open an existing registry read-write. */
	YOUTH_OPEN_CREATE = 1 << 0, /**< Create the file (or initialise an empty one) if needed. */
	YOUTH_OPEN_READONLY = 1 << 1 /**< Never write; fails with #YOUTH_EVERSION if a migration is due. */
} youth_open_flags;

/** Schema version this library writes; older files are migrated forward on open. */
#define YOUTH_SCHEMA_VERSION 14

/**
 * Opens (and with #YOUTH_OPEN_CREATE, creates) a registry.
 *
 * @p path is a file name or ":memory:".  Before SQLite touches the file, its header is checked:
 * a file that is not SQLite, is a SQLite database of another application, is truncated, or was
 * written by a newer libyouth is refused and left byte-for-byte untouched.  An older schema is
 * migrated forward in one transaction.
 *
 * @param[out] out the new handle, released with youth_registry_close(); NULL on failure.
 * @return #YOUTH_OK; #YOUTH_EINVAL (NULL path or unknown flags); #YOUTH_ENOTFOUND (no such file
 *         and no #YOUTH_OPEN_CREATE); #YOUTH_ECORRUPT (not a registry, damaged or truncated);
 *         #YOUTH_EVERSION (newer schema); #YOUTH_EIO; #YOUTH_EREADONLY; #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_registry_open(youth_registry **out, const char *path, unsigned flags);

/**
 * Turns SQLite's memory statistics on (SQLite's default) or off for the whole process.
 *
 * SQLite counts every allocation under a process-wide mutex so that sqlite3_memory_used() and
 * sqlite3_soft_heap_limit64() can work.  Off, every allocation skips that mutex: an import of
 * the national benchmark file is 5-7 % faster (docs/benchmarks.md), and the `youth` tool turns
 * them off.  The setting is SQLite's, for every user of SQLite in the process (off,
 * sqlite3_memory_used() reads 0 and a soft heap limit is not enforced), so it is the
 * application's choice: libyouth never changes it on its own.  Like sqlite3_config(), it must
 * come before SQLite is first used in the process, in practice before the first registry is
 * opened; not thread-safe.
 *
 * @param on 1 to keep the statistics, 0 to turn them off.
 * @return #YOUTH_OK; #YOUTH_EINVAL (@p on neither 0 nor 1); #YOUTH_EMISUSE when SQLite is
 *         already in use in this process (nothing changed; the message says so).
 */
YOUTH_EXTERN(int) youth_sqlite_memstatus(int on);

/**
 * Closes a registry and frees its handle.  NULL-safe.  An open transaction is rolled back.
 * Iterators still alive keep the underlying database open until they are freed
 * (close is deferred as with sqlite3_close_v2()), so bindings may free objects in any order.
 */
YOUTH_EXTERN(void) youth_registry_close(youth_registry *reg);

/** Returns the path the registry was opened with (borrowed; valid until close). */
YOUTH_EXTERN(const char *) youth_registry_path(const youth_registry *reg);

/** Returns the schema version of the open file (equal to #YOUTH_SCHEMA_VERSION once open). */
YOUTH_EXTERN(int) youth_registry_schema_version(const youth_registry *reg);

/**
 * Starts a transaction: the writes that follow become visible together at
 * youth_registry_commit(), or not at all after youth_registry_rollback().
 *
 * Transactions nest: an inner begin/commit pair is a savepoint, and only the outermost
 * commit writes to disk.  Each write function is itself atomic, so a failed call inside a
 * transaction undoes just its own changes and leaves the transaction usable.
 *
 * The transaction belongs to the calling thread until its outermost commit or rollback
 * (see the file's description).
 *
 * @return #YOUTH_OK, #YOUTH_EBUSY, #YOUTH_EREADONLY, #YOUTH_EIO, #YOUTH_EMISUSE (another
 *         thread's transaction is open on this handle).
 */
YOUTH_EXTERN(int) youth_registry_begin(youth_registry *reg);

/**
 * Commits the innermost open transaction.
 * @return #YOUTH_OK; #YOUTH_EMISUSE when no transaction is open; #YOUTH_EBUSY, #YOUTH_EFULL,
 *         #YOUTH_EIO on a failed outermost commit (the transaction is then rolled back).
 */
YOUTH_EXTERN(int) youth_registry_commit(youth_registry *reg);

/**
 * Rolls back the innermost open transaction.
 * @return #YOUTH_OK or #YOUTH_EMISUSE when no transaction is open.
 */
YOUTH_EXTERN(int) youth_registry_rollback(youth_registry *reg);

/** Returns the depth of open transactions (0 when none). */
YOUTH_EXTERN(int) youth_registry_in_transaction(const youth_registry *reg);

/**
 * Sets how long a write waits for another connection's lock before #YOUTH_EBUSY (5000 ms
 * by default; 0 refuses at once).  The wait is measured on the clock; a waiting writer looks
 * at the lock at random intervals that shorten as it waits (0.75-3.75 ms at first,
 * 0.125-0.625 ms after half a second), so that writers that have waited long win against
 * newcomers (docs/reliability.md, "Load test").
 * @return #YOUTH_OK or #YOUTH_EINVAL for a negative value.
 */
YOUTH_EXTERN(int) youth_registry_set_busy_timeout(youth_registry *reg, int milliseconds);

/**
 * Runs SQLite's full integrity check and libyouth's own consistency checks.
 * @return #YOUTH_OK, or #YOUTH_ECORRUPT with the first problem found in the message.
 */
YOUTH_EXTERN(int) youth_registry_check(youth_registry *reg);

/**
 * Counts the records written (created, updated or deleted) through this handle since it was
 * opened.  Writes that were rolled back (a failed call, youth_registry_rollback(), a failed
 * commit) are not counted.  Every write goes through one internal path that maintains this
 * count (and where the audit trail will hook in).
 */
YOUTH_EXTERN(int64_t) youth_registry_total_changes(const youth_registry *reg);

#ifdef __cplusplus
}
#endif
#endif
