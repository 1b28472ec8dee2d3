/**
 * @file check.h
 * @brief Checking a registry for damage and broken invariants (`youth check`).
 *
 * youth_check_run() reads the whole registry and lists what is wrong with it: pages whose
 * checksum no longer matches, what SQLite's integrity and foreign key checks find, a schema
 * that is not the library's, and the library's own invariants (balances, states and their
 * dates, derived keys, national IDs of minors).  docs/reliability.md lists every check, what
 * it detects and what it cannot.
 */
#ifndef YOUTH_CHECK_H
#define YOUTH_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Flags of youth_check_run(). */
typedef enum youth_check_flags {
	YOUTH_CHECK_DEFAULT = 0,
	/** SQLite's quick_check instead of integrity_check (no index content), and no page
	 *  checksum scan of the whole file: minutes become seconds on a large registry. */
	YOUTH_CHECK_QUICK = 1 << 0,
	/** Repair what can be derived safely from the rest of the registry (derived keys,
	 *  indexes), in one transaction; never deletes or changes recorded data.  Needs a
	 *  registry opened for writing. */
	YOUTH_CHECK_REPAIR = 1 << 1
} youth_check_flags;

/** One problem found by youth_check_run().  All strings are owned by the report. */
typedef struct youth_check_problem {
	/** What kind of check found it: "page", "integrity", "reference", "schema", "balance",
	 *  "state", "derived", "national_id" (docs/reliability.md lists them). */
	const char *kind;
	/** The table of the record concerned, or NULL (a page, the schema). */
	const char *table;
	/** The record's id (row id), the page number for "page", or 0. */
	int64_t id;
	/** The record's UUID, or NULL when it has none or it could not be read. */
	const char *uuid;
	/** What is wrong, in a sentence. */
	const char *message;
	/** 1 when YOUTH_CHECK_REPAIR repaired it, else 0. */
	int repaired;
} youth_check_problem;

/** The result of youth_check_run(); free with youth_check_report_free(). */
typedef struct youth_check_report youth_check_report;

/**
 * Checks @p reg and reports every problem found into a new report @p out.
 *
 * Returns YOUTH_OK when the check ran, whatever it found: the problems are in the report
 * (youth_check_report_count()).  A part of the registry too damaged to be read is itself
 * reported as a problem, and the other checks still run.
 *
 * @param out     receives the report (NULL on error), owned by the caller.
 * @param reg     an open registry.
 * @param flags   #youth_check_flags or'ed.
 * @return YOUTH_OK; YOUTH_EINVAL for a NULL argument or unknown flags; YOUTH_EREADONLY for
 *         YOUTH_CHECK_REPAIR on a read-only registry; YOUTH_ESTATE inside a transaction with
 *         YOUTH_CHECK_REPAIR; YOUTH_ENOMEM; YOUTH_EIO when the file cannot be read at all.
 */
YOUTH_EXTERN(int) youth_check_run(youth_check_report **out, youth_registry *reg, unsigned flags);

/** The number of problems in @p report (repaired ones included); 0 for NULL. */
YOUTH_EXTERN(size_t) youth_check_report_count(const youth_check_report *report);

/** The number of problems of @p report left unrepaired: 0 means the registry is sound. */
YOUTH_EXTERN(size_t) youth_check_report_unrepaired(const youth_check_report *report);

/** Problem @p i (0-based) of @p report, borrowed from the report; NULL past the end. */
YOUTH_EXTERN(const youth_check_problem *)
youth_check_report_get(const youth_check_report *report, size_t i);

/** 1 when the registry's pages carry checksums (and were all verified, unless the check was
 *  quick), 0 when it was created before page checksums and has none. */
YOUTH_EXTERN(int) youth_check_report_sealed(const youth_check_report *report);

/** Frees @p report and every string it holds; NULL is fine. */
YOUTH_EXTERN(void) youth_check_report_free(youth_check_report *report);

#ifdef __cplusplus
}
#endif

#endif
