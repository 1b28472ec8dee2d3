/**
 * @file youth/common.h
 * @brief Error codes, the error report, the allocator and small shared types.
 *
 * Every fallible libyouth function returns an `int`: 0 (#YOUTH_OK) on success, or one of the
 * negative #youth_error_code values.  After a failure, youth_error_last() describes it in words
 * that name the field, the value and the rule broken, e.g.
 * `birth_date "2009-02-30": not a calendar date`.
 *
 * The error report is kept **per thread** (like libgit2's git_error_last()): it survives until
 * the next failing libyouth call on the same thread, and functions that succeed leave it alone.
 * This lets functions that have no registry handle (youth_registry_open(), the validators)
 * explain their failures the same way as the rest.
 */
#ifndef YOUTH_COMMON_H
#define YOUTH_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @def YOUTH_EXTERN(type)
 * Declares a function of libyouth's API returning @p type: exported with default visibility
 * (the library is built with hidden visibility, so only the API is exported).
 */
#if defined(__GNUC__) && !defined(SWIG)
#define YOUTH_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
#define YOUTH_EXTERN(type) extern type
#endif

/** Result codes.  Every failure is negative; 0 is success. */
typedef enum youth_error_code {
	YOUTH_OK = 0,          /**< Success. */
	YOUTH_ERROR = -1,      /**< Failure not covered by a more precise code. */
	YOUTH_ENOMEM = -2,     /**< An allocation failed; nothing was written. */
	YOUTH_EINVAL = -3,     /**< An argument or a field value broke a rule (see the message). */
	YOUTH_ENOTFOUND = -4,  /**< No record, place or file with that id, UUID, path or name. */
	YOUTH_EEXISTS = -5,    /**< A unique value (UUID, national ID, code...) is already taken. */
	YOUTH_EIO = -6,        /**< The operating system failed to read or write the file. */
	YOUTH_ECORRUPT = -7,   /**< The file is not a registry, or is damaged or truncated. */
	YOUTH_EVERSION = -8,   /**< The file was written by a newer libyouth. */
	YOUTH_EBUSY = -9,      /**< Another connection held the lock longer than the busy timeout;
	                            nothing was written: try again (the CLI exits with 3). */
	YOUTH_EREADONLY = -10, /**< The registry was opened read-only, or the file is not writable. */
	YOUTH_EFULL = -11,     /**< The disk (or a size limit) is full; nothing was written. */
	YOUTH_EMISUSE = -12,   /**< The API was called out of order (e.g. commit with no transaction). */
	YOUTH_EREFERENCED = -13, /**< The record is still referred to by others (use a cascade). */
	YOUTH_ESTATE = -14,    /**< A state transition is not allowed from the current state. */
	YOUTH_ERULE = -15,     /**< An eligibility or business rule refused the operation. */
	YOUTH_EPARSE = -16,    /**< Input text (YAML) is malformed. */
	YOUTH_ELIMIT = -17,    /**< Input exceeds a safety limit (depth, length, count). */
	YOUTH_ECANCELLED = -18, /**< A progress callback asked to stop; nothing was imported. */
	YOUTH_EACCESS = -19,   /**< The operating system refused access to the file (permissions). */
	YOUTH_ITEROVER = -31   /**< Not an error: an iterator has no more items. */
} youth_error_code;

/** The description of the last failure on the calling thread. */
typedef struct youth_error {
	int code;            /**< One of #youth_error_code. */
	const char *message; /**< Human-readable text, never NULL (empty when no error). */
	const char *field;   /**< Name of the offending field, or NULL when not about one field. */
} youth_error;

/**
 * Returns the last failure reported on the calling thread.
 *
 * The pointer and its strings are owned by libyouth and stay valid until the next libyouth
 * call on the same thread.  When nothing has failed yet, `code` is #YOUTH_OK and `message` is "".
 */
YOUTH_EXTERN(const youth_error *) youth_error_last(void);

/** Forgets the last failure on the calling thread. */
YOUTH_EXTERN(void) youth_error_clear(void);

/**
 * Returns a short constant name for a result code ("EINVAL", "ENOTFOUND"...), or "EUNKNOWN".
 */
YOUTH_EXTERN(const char *) youth_error_name(int code);

/**
 * Memory functions libyouth uses for all of its own allocations.
 *
 * Tests install an allocator that fails on the Nth call to prove that every allocation failure
 * is reported as #YOUTH_ENOMEM and leaves the registry unchanged.  SQLite's and libyaml's own
 * allocations are not routed through it.
 */
typedef struct youth_allocator {
	void *(*malloc_fn)(size_t size, void *ctx);              /**< Like malloc(3). */
	void *(*realloc_fn)(void *ptr, size_t size, void *ctx);  /**< Like realloc(3). */
	void (*free_fn)(void *ptr, void *ctx);                   /**< Like free(3); NULL-safe. */
	void *ctx;                                               /**< Passed to every call. */
} youth_allocator;

/**
 * Replaces the allocator (NULL restores the C library's malloc/realloc/free).
 *
 * Not thread-safe: call it before any other libyouth call, or when no other thread is using
 * libyouth, and never while objects allocated by the previous allocator are alive.
 *
 * @return #YOUTH_OK, or #YOUTH_EINVAL when one of the three functions is NULL.
 */
YOUTH_EXTERN(int) youth_set_allocator(const youth_allocator *allocator);

/** Releases memory that libyouth returned to the caller as a plain buffer (e.g. strings). */
YOUTH_EXTERN(void) youth_free(void *ptr);

/** Length of a UUID in text form, without the terminating NUL. */
#define YOUTH_UUID_LEN 36
/** Length of an ISO 8601 calendar date `YYYY-MM-DD`, without the terminating NUL. */
#define YOUTH_DATE_LEN 10

/**
 * Returns the run-time version of the library ("0.1.0"); compare with #YOUTH_VERSION to detect
 * a header/library mismatch.
 */
YOUTH_EXTERN(const char *) youth_version(void);

/**
 * Checks that @p text is a real calendar date in the form `YYYY-MM-DD` (years 1900-2199).
 *
 * @param field name used in the error message (e.g. "birth_date"); may be NULL.
 * @return #YOUTH_OK or #YOUTH_EINVAL with a message naming the field and the value.
 */
YOUTH_EXTERN(int) youth_date_check(const char *text, const char *field);

/**
 * Computes the age in whole years of someone born on @p birth_date at @p at_date.
 *
 * Someone born on 29 February turns a year older on 1 March in common years.
 *
 * @param[out] out the age; negative when @p at_date is before @p birth_date.
 * @return #YOUTH_OK or #YOUTH_EINVAL when either date is not a valid calendar date.
 */
YOUTH_EXTERN(int) youth_age_at(int *out, const char *birth_date, const char *at_date);

/**
 * Checks a Salvadoran DUI `NNNNNNNN-C` including its check digit.
 *
 * @return #YOUTH_OK or #YOUTH_EINVAL naming the rule broken (format or check digit).
 */
YOUTH_EXTERN(int) youth_dui_check(const char *dui);

/**
 * Folds text for searching: lower case, Spanish and other Latin accents removed
 * ("José HERNÁNDEZ" -> "jose hernandez"), runs of white space collapsed to one space.
 *
 * @param[out] out newly allocated folded text, released with youth_free().
 * @return #YOUTH_OK, #YOUTH_EINVAL (NULL or invalid UTF-8), or #YOUTH_ENOMEM.
 */
YOUTH_EXTERN(int) youth_fold(char **out, const char *text);

#ifdef __cplusplus
}
#endif
#endif
