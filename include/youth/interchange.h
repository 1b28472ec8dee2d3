/**
 * @file youth/interchange.h
 * @brief Streaming YAML import and export of a whole registry (format `libyouth/1`).
 *
 * One file format carries every kind of record (docs/format.md): a census batch (persons
 * only) is a valid subset of it.  Import reads libyaml events, never a document tree, so
 * memory stays bounded whatever the file size; every record goes through the same validation
 * as the C API.  Export streams the registry in a deterministic order, so that
 * export -> import into an empty registry -> export gives the same bytes.
 *
 * A large file or stream (and a buffer over 256 KiB) is parsed on a second thread while the
 * calling thread writes the registry, so parsing and writing overlap.  Every callback (progress,
 * and the read callback of youth_import_read(), which always reads on the calling thread) runs
 * on the calling thread, and with an allocator installed by youth_set_allocator() the library
 * stays on the calling thread altogether.
 *
 * Files end with `end: {records: N}`: a file cut short, even cleanly between two records, is
 * refused as truncated.  The import functions require it; youth_census_load() still reads a
 * census batch written without it (and checks it when present).
 */
#ifndef YOUTH_INTERCHANGE_H
#define YOUTH_INTERCHANGE_H

#include <stdio.h>

#include "registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Import flags (combine with `|`); 0 is an atomic import that adds new records only. */
enum youth_import_flags {
	/** Import the valid records, skip the others (listed in the rejects report). */
	YOUTH_IMPORT_KEEP_GOING = 1u << 0,
	/** Validate-only: read and check everything, write nothing (a dry run). */
	YOUTH_IMPORT_DRY_RUN = 1u << 1,
	/** A record whose UUID (or national ID, code, path...) exists updates it instead of being a
	 *  conflict (#YOUTH_EEXISTS). */
	YOUTH_IMPORT_UPSERT = 1u << 2
};

/** What an import or export did. */
typedef struct youth_interchange_summary {
	int64_t records;  /**< Records read (import) or written (export). */
	int64_t imported; /**< Records added. */
	int64_t updated;  /**< Records that updated an existing one (#YOUTH_IMPORT_UPSERT). */
	int64_t unchanged;/**< Records equal to the one already there (upsert), left alone. */
	int64_t rejected; /**< Records refused (#YOUTH_IMPORT_KEEP_GOING). */
	int64_t bytes;    /**< Bytes read or written. */
	/** Export for a purpose (youth_export_options.purpose): records left out because their
	 *  person has no active consent for it, the persons included. */
	int64_t excluded;
	int64_t excluded_persons; /**< Of @ref excluded, the persons. */
} youth_interchange_summary;

/**
 * Progress callback, called every few thousand records and once at the end.
 * @param records records processed so far.
 * @param bytes   bytes read (import) or written (export) so far.
 * @return 0 to go on; anything else stops the operation, which then fails with
 *         #YOUTH_ECANCELLED and writes nothing (import) or an incomplete file (export).
 */
typedef int (*youth_progress_fn)(void *ctx, int64_t records, int64_t bytes);

/**
 * Reads up to @p size bytes into @p buf.
 * @return the number of bytes read, 0 at the end of the input, or -1 on a read error.
 */
typedef long (*youth_read_fn)(void *ctx, char *buf, size_t size);

/**
 * Writes @p size bytes from @p data.
 * @return 0 on success, anything else on a write error (the export then fails with
 *         #YOUTH_EIO).
 */
typedef int (*youth_write_fn)(void *ctx, const char *data, size_t size);

/** Options of an import; a zeroed struct (or NULL) is an atomic, add-only import. */
typedef struct youth_import_options {
	unsigned flags;              /**< #youth_import_flags. */
	/** With #YOUTH_IMPORT_KEEP_GOING: the rejects report is written here (a `libyouth/1`
	 *  file of the rejected records, each preceded by a comment with its reason). */
	const char *rejects_path;
	FILE *rejects;               /**< Same, to an open stream (used when rejects_path is NULL). */
	youth_progress_fn progress;  /**< May be NULL. */
	void *progress_ctx;          /**< Passed to @ref progress. */
	/** An encrypted file (youth_export_options.flags #YOUTH_EXPORT_ENCRYPT), recognised by
	 *  its magic header, is opened with the key file at this path (see youth_key_new())... */
	const char *key_file;
	/** ... or with this passphrase (UTF-8), whichever it was written with.  Both are ignored
	 *  for a plain file.  The whole file is authenticated before the first record is
	 *  imported: a wrong key, a changed byte or a cut file imports nothing (#YOUTH_ECORRUPT).
	 *  A key file that others may read is refused (#YOUTH_EACCESS). */
	const char *passphrase;
} youth_import_options;

/** Sets every member of @p o to its default (zero / NULL). */
YOUTH_EXTERN(void) youth_import_options_init(youth_import_options *o);

/**
 * Imports a `libyouth/1` YAML file.
 *
 * Atomic by default: the first bad record fails the call with an error naming file, line,
 * column, record number and field, and the registry is left exactly as it was.  With
 * #YOUTH_IMPORT_KEEP_GOING the valid records are imported and each refused one is written to
 * the rejects report with its reason; errors that make the rest of the file unreadable
 * (malformed YAML, limits, truncation) still fail the whole import.
 *
 * Memory does not grow with the file: the input is parsed in 16 KiB pieces, and the import's
 * page cache and its memos of persons share a fixed 48 MiB (the registry's cache size is
 * restored afterwards); peak RSS was 71 MiB for 100 000 persons with their services and 69 MiB
 * for a million (docs/benchmarks.md).
 *
 * Records are numbered from the start of the file across sections ("person 59" is the 59th
 * record of the file).  Places are the shared gazetteer: a place whose path exists with the
 * same name and critical flag counts as unchanged, never as a conflict.
 *
 * @param[out] summary counts (may be NULL).  On failure it tells how many records were read
 *         before the failure; imported, updated and unchanged are then 0 (rolled back).
 * @return #YOUTH_OK; #YOUTH_ENOTFOUND/#YOUTH_EIO (file); #YOUTH_EPARSE (malformed, hostile
 *         or truncated YAML); #YOUTH_ELIMIT; #YOUTH_EINVAL/#YOUTH_ERULE/#YOUTH_ESTATE (a record
 *         breaks a rule); #YOUTH_EEXISTS (duplicate without upsert); #YOUTH_ENOTFOUND (a
 *         reference to a record that is neither in the registry nor earlier in the file);
 *         #YOUTH_ECANCELLED; #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_import_file(youth_interchange_summary *summary, youth_registry *reg,
                                    const char *path, const youth_import_options *options);

/** Same as youth_import_file() on an open stream; @p name is shown in messages (may be NULL). */
YOUTH_EXTERN(int) youth_import_stream(youth_interchange_summary *summary, youth_registry *reg,
                                      FILE *stream, const char *name,
                                      const youth_import_options *options);

/** Same as youth_import_file() on a document held in memory. */
YOUTH_EXTERN(int) youth_import_buffer(youth_interchange_summary *summary, youth_registry *reg,
                                      const char *data, size_t size, const char *name,
                                      const youth_import_options *options);

/** Same as youth_import_file() on input pulled from @p read. */
YOUTH_EXTERN(int) youth_import_read(youth_interchange_summary *summary, youth_registry *reg,
                                    youth_read_fn read, void *ctx, const char *name,
                                    const youth_import_options *options);

/** Kinds of record, for export filters (combine with `|`; 0 means all). */
enum youth_kind_flags {
	YOUTH_KIND_GAZETTEER = 1u << 0,   /**< places */
	YOUTH_KIND_PERSONS = 1u << 1,     /**< persons */
	YOUTH_KIND_EXCHANGES = 1u << 2,   /**< exchanges, operators, employers */
	YOUTH_KIND_RULES = 1u << 3,       /**< programmes and their eligibility rules */
	YOUTH_KIND_COURSES = 1u << 4,     /**< courses, cohorts, enrollments, sessions attended */
	YOUTH_KIND_COUNSELLING = 1u << 5, /**< counselling sessions and their participants */
	YOUTH_KIND_SCHOLARSHIPS = 1u << 6,/**< scholarships and payments */
	YOUTH_KIND_ENTERPRISE = 1u << 7,  /**< groups, members, plans, disbursements, visits, services */
	YOUTH_KIND_FOLLOWUPS = 1u << 8,   /**< outcome follow-ups */
	YOUTH_KIND_CONSENTS = 1u << 9     /**< consent history (youth/consent.h) */
};

/**
 * Export flags (youth_export_options.flags; combine with `|`).  Without any, a record-level
 * export leaves out every field the published description (youth/kind.h) flags
 * #YOUTH_FIELD_IDENTIFYING or #YOUTH_FIELD_CONTACT: national IDs, phones, addresses, e-mail
 * addresses and the names of employers' contact persons (docs/privacy.md).
 */
enum youth_export_flags {
	/** Include national IDs (#YOUTH_FIELD_IDENTIFYING fields). */
	YOUTH_EXPORT_IDENTIFIERS = 1u << 0,
	/** Include contact details (#YOUTH_FIELD_CONTACT fields). */
	YOUTH_EXPORT_CONTACTS = 1u << 1,
	/**
	 * A pseudonymised export for analysts (format `libyouth-pseudonymised/1`, which no import
	 * accepts): every UUID, a record's own and every reference, becomes a keyed pseudonym
	 * (BLAKE2b keyed with the key file youth_export_options.pseudonym_key_file, 32 hex digits),
	 * the same for the same key in every export and unlinkable without it; names, national
	 * IDs, contact details and free text are dropped whatever the other flags; a birth date
	 * becomes `birth_year`, and a person's place becomes its parent while fewer than
	 * youth_export_options.k persons live there (docs/privacy.md has the threat model).
	 */
	YOUTH_EXPORT_PSEUDONYMISE = 1u << 2,
	/** With #YOUTH_EXPORT_PSEUDONYMISE: write the persons as one CSV table (a header line,
	 *  then one line per person) instead of YAML; only the persons section is written. */
	YOUTH_EXPORT_CSV = 1u << 3,
	/** Encrypt the output (libsodium secretstream, XChaCha20-Poly1305, in 64 KiB chunks) with
	 *  the key file youth_export_options.key_file or the passphrase
	 *  youth_export_options.passphrase (argon2id); docs/format.md gives the layout. */
	YOUTH_EXPORT_ENCRYPT = 1u << 4
};

/** Options of an export; a zeroed struct (or NULL) exports the whole registry. */
typedef struct youth_export_options {
	unsigned kinds;             /**< #youth_kind_flags; 0 = every kind. */
	/** Only persons living in this place or below it, and the services, payments, plans and
	 *  follow-ups of those persons (NULL = everywhere). */
	const char *place;
	/** Only records dated on or after / on or before these days (`YYYY-MM-DD`; NULL = open):
	 *  persons by census date, services by their date.  @{ */
	const char *from, *to;
	/** @} */
	youth_progress_fn progress; /**< May be NULL. */
	void *progress_ctx;         /**< Passed to progress as it is. */
	unsigned flags;             /**< #youth_export_flags; 0: no identifiers nor contacts. */
	/** For #YOUTH_EXPORT_PSEUDONYMISE: the key file (youth_key_new()), kept apart from both
	 *  the registry and the export. */
	const char *pseudonym_key_file;
	/** For #YOUTH_EXPORT_PSEUDONYMISE: a place is named only where at least k persons of the
	 *  export live at or below it (else its parent is); 0 means 5. */
	int k;
	/** For #YOUTH_EXPORT_ENCRYPT: the key file (youth_key_new()), or else... */
	const char *key_file;
	/** ... the passphrase (UTF-8, at least 1 byte) stretched by argon2id. */
	const char *passphrase;
	/** A record-level export for this purpose of consent (youth/consent.h): every person
	 *  without active consent for it is left out, with every record that refers to them
	 *  (counted in youth_interchange_summary.excluded).  NULL: every person, as a backup of
	 *  the registry or a transfer to another exchange of the same controller is. */
	const char *purpose;
} youth_export_options;

/** Sets every member of @p o to its default (zero / NULL). */
YOUTH_EXTERN(void) youth_export_options_init(youth_export_options *o);

/**
 * Exports the registry (or the part chosen by @p options) to a new YAML file at @p path.
 * The file gets its name only once complete and synced, replacing a file of that name in one
 * step, so a reader never sees half of it and a failed export leaves nothing behind.  On Linux
 * the file has no name at all while it is written (O_TMPFILE), so even a process killed with
 * SIGKILL leaves nothing; elsewhere it is a temporary `<path>.tmp-XXXXXX` beside the
 * destination, removed on errors, on exit() and on SIGINT, SIGTERM, SIGHUP and SIGQUIT where
 * they end the process (best effort: SIGKILL cannot be caught).  The file has mode 0600
 * whatever the umask: it holds personal data.
 */
YOUTH_EXTERN(int) youth_export_file(youth_interchange_summary *summary, youth_registry *reg,
                                    const char *path, const youth_export_options *options);

/** Same as youth_export_file() to an open stream (not closed). */
YOUTH_EXTERN(int) youth_export_stream(youth_interchange_summary *summary, youth_registry *reg,
                                      FILE *stream, const youth_export_options *options);

/** Same as youth_export_file(), handing the text to @p write in pieces. */
YOUTH_EXTERN(int) youth_export_write(youth_interchange_summary *summary, youth_registry *reg,
                                     youth_write_fn write, void *ctx,
                                     const youth_export_options *options);

/**
 * Writes a new random 256-bit key to a new file at @p path (64 hex digits and a newline,
 * mode 0600 whatever the umask), for pseudonyms or encryption.  Keep it apart from the
 * registry and from the exports: whoever holds it can link pseudonyms or decrypt.  A key
 * file that others may read (any group or other permission bit) is refused when used.
 * @return #YOUTH_OK; #YOUTH_EINVAL (NULL @p path); #YOUTH_EEXISTS (a file is there: a key is
 *         never overwritten); #YOUTH_EIO.
 */
YOUTH_EXTERN(int) youth_key_new(const char *path);

#ifdef __cplusplus
}
#endif

#endif
