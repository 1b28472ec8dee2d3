/*
 * Shared helpers of the cmocka suites: assertions that print libyouth's error report, temporary
 * directories and files, allocators that count or fail, a fault-injecting SQLite VFS, and
 * ready-made valid records.
 */
#ifndef YOUTH_TESTS_HELPERS_H
#define YOUTH_TESTS_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include <youth.h>

#ifndef YOUTH_TEST_DATA
#error "YOUTH_TEST_DATA must be defined by the build"
#endif
#ifndef YOUTH_EXAMPLE_DATA
#error "YOUTH_EXAMPLE_DATA must be defined by the build"
#endif

/** Absolute path of the sample gazetteer. */
#define TH_GAZETTEER YOUTH_EXAMPLE_DATA "/gazetteer.yaml"

/** Numbers of the sample gazetteer (examples/data/gazetteer.yaml). */
#define TH_GAZ_PLACES 58
#define TH_GAZ_DEPARTMENTS 1
#define TH_GAZ_MUNICIPALITIES 4
#define TH_GAZ_DISTRICTS 16
#define TH_GAZ_COMMUNITIES 37
#define TH_GAZ_CRITICAL 37

/** Canonical path of the place used by the sample persons. */
#define TH_SANTA_EUGENIA "sonsonate/sonsonate-centro/sonzacate/santa-eugenia"

/* ---- assertions ------------------------------------------------------------------------ */

/** Fails, printing the error report, unless @p rc equals @p expected. */
void th_check_rc(int rc, int expected, const char *expr, const char *file, int line);
#define assert_rc(expr, expected) th_check_rc((expr), (expected), #expr, __FILE__, __LINE__)
#define assert_ok(expr) th_check_rc((expr), YOUTH_OK, #expr, __FILE__, __LINE__)

/** Fails unless @p rc is one of the @p n codes given. */
void th_check_rc_in(int rc, const char *expr, const char *file, int line, int n, ...);
#define assert_rc_in2(expr, a, b) th_check_rc_in((expr), #expr, __FILE__, __LINE__, 2, (a), (b))
#define assert_rc_in3(expr, a, b, c) \
	th_check_rc_in((expr), #expr, __FILE__, __LINE__, 3, (a), (b), (c))

/** Fails unless the last error message contains @p needle (case-insensitive). */
void th_check_msg(const char *needle, const char *file, int line);
#define assert_msg_has(needle) th_check_msg((needle), __FILE__, __LINE__)

/** Fails unless the last error's `field` member equals @p field. */
void th_check_field(const char *field, const char *file, int line);
#define assert_err_field(field) th_check_field((field), __FILE__, __LINE__)

/** Fails unless the message mentions line @p line ("line 4", ":4:", "4:"...). */
void th_check_msg_line(int lineno, const char *file, int line);
#define assert_msg_line(n) th_check_msg_line((n), __FILE__, __LINE__)

/** Case-insensitive substring test. */
int th_contains(const char *haystack, const char *needle);

/* ---- files ------------------------------------------------------------------------------ */

/** Creates a fresh temporary directory (mkdtemp); free with th_rmtree() then free(). */
char *th_tmpdir(void);
/** Removes a directory tree (best effort). */
void th_rmtree(const char *path);
/** Joins dir and name into a malloc'd path. */
char *th_path(const char *dir, const char *name);
/** Reads a whole file; returns malloc'd bytes (NULL if missing) and sets *size. */
unsigned char *th_read_file(const char *path, size_t *size);
/** Writes bytes to a file (truncating); fails the test on error. */
void th_write_file(const char *path, const void *data, size_t size);
/** Returns 1 when the file exists. */
int th_exists(const char *path);
/** Size of a file, or -1. */
long th_file_size(const char *path);

/** A snapshot of a file's bytes, to prove that a refused open left it untouched. */
typedef struct th_snapshot {
	unsigned char *data;
	size_t size;
} th_snapshot;
void th_snapshot_take(th_snapshot *s, const char *path);
/** Fails unless the file still has exactly the snapshot's bytes (and no -wal/-shm appeared). */
void th_snapshot_check(const th_snapshot *s, const char *path, const char *file, int line);
#define assert_unchanged(snap, path) th_snapshot_check((snap), (path), __FILE__, __LINE__)
void th_snapshot_free(th_snapshot *s);

/* ---- allocators ------------------------------------------------------------------------- */

/** State of the test allocator: counts calls and live blocks, can fail the Nth call. */
typedef struct th_alloc_state {
	long calls;   /**< malloc + realloc calls seen. */
	long frees;   /**< free calls with a non-NULL pointer. */
	long live;    /**< blocks currently allocated. */
	long fail_at; /**< 1-based call number to fail (0 = never). */
	int fail_all_after; /**< When set, every call from fail_at on fails. */
	long failed;  /**< How many calls were made to fail. */
} th_alloc_state;

/** Installs the test allocator with @p st as its context (after zeroing the counters). */
void th_alloc_install(th_alloc_state *st, long fail_at, int fail_all_after);
/** Restores the C library allocator. */
void th_alloc_restore(void);

/* ---- fault-injecting VFS ---------------------------------------------------------------- */

/** What the fault VFS does to writes. */
typedef enum th_fault {
	TH_FAULT_NONE = 0,
	TH_FAULT_FULL,  /**< writes return SQLITE_FULL once the byte budget is used. */
	TH_FAULT_IOERR  /**< writes return SQLITE_IOERR_WRITE once the byte budget is used. */
} th_fault;

/** Registers a pass-through VFS named "th-fault" as SQLite's default.  Idempotent. */
void th_vfs_install(void);
/** Arms the VFS: after @p budget more bytes written to any file, writes fail with @p fault. */
void th_vfs_arm(th_fault fault, long budget);
/** Makes every read of a file fail with SQLITE_IOERR_READ (1) or succeed again (0). */
void th_vfs_fail_reads(int on);
/** Disarms the VFS (writes and reads succeed again). */
void th_vfs_disarm(void);
/** Number of writes the VFS refused since it was last armed. */
long th_vfs_refused(void);

/* ---- registries and records ------------------------------------------------------------- */

/** Opens ":memory:" and loads the sample gazetteer. */
youth_registry *th_open_memory_gazetteer(void);
/** cmocka setup for suites whose state is the bare registry: th_open_memory_gazetteer(), with
 * the loading's error report cleared so that each test starts from none. */
int th_setup_gazetteer(void **state);
/** cmocka teardown that pairs with th_setup_gazetteer(). */
int th_teardown_registry(void **state);
/** Imports the YAML string @p text, named "test.yaml" in messages, with import @p flags. */
int th_import_text(youth_registry *reg, const char *text, unsigned flags,
                   youth_interchange_summary *sum);

/** An export collected in memory: NUL-terminated text of @p len bytes (free() @p data). */
typedef struct th_text {
	char *data;
	size_t len, cap;
	long calls;
	long fail_at; /**< 1-based write that fails, to test write errors; 0 = never */
} th_text;

/** The youth_write_fn of a th_text (@p ctx): appends, or fails at call @p fail_at. */
int th_text_write(void *ctx, const char *data, size_t size);
/** Counts persons (fails the test on error). */
int64_t th_count_persons(youth_registry *reg);
/** Counts places (fails the test on error). */
int64_t th_count_places(youth_registry *reg, const char *under, int level);

/** Fills @p p with a valid person (borrowed static strings), census 2009-03-02, age 16. */
void th_person_valid(youth_person *p);

/** Adds a fresh valid person (new struct each time, so a new UUID); returns the rc. */
int th_add_person(youth_registry *reg, int64_t *id);

/** Writes into @p out (>= 11 bytes) the DUI with base number @p base and its check digit. */
void th_dui(char *out, unsigned long base);
/** The check digit of an 8-digit base. */
int th_dui_digit(unsigned long base);

/** Fails unless @p uuid is 8-4-4-4-12 lowercase hex. */
void th_check_uuid(const char *uuid, const char *file, int line);
#define assert_uuid(u) th_check_uuid((u), __FILE__, __LINE__)

/** Fails unless two persons have equal fields (id, uuid and every member). */
void th_check_person_eq(const youth_person *a, const youth_person *b, int compare_place,
                        const char *file, int line);
#define assert_person_eq(a, b) th_check_person_eq((a), (b), 1, __FILE__, __LINE__)

/** NULL-safe string equality. */
int th_streq(const char *a, const char *b);

/* ---- values ----------------------------------------------------------------------------- */

/** Today (UTC) plus @p days_ahead into @p buf (>= 11 bytes): date rules follow the clock. */
void th_today_utc(char *buf, int days_ahead);
/** A malloc'd string of @p n copies of @p ch (free() it), to probe length limits. */
char *th_repeat(char ch, size_t n);

/* ---- fixtures of the service suites ----------------------------------------------------- */

/** Place of the SON-01 exchange that th_add_staffed_exchange() creates. */
#define TH_EXCHANGE_PLACE "sonsonate/sonsonate-centro/sonsonate"

/** Creates @p path with the sample gazetteer, so a raw SQLite connection can look inside. */
youth_registry *th_open_file_gazetteer(const char *path);

/**
 * Head of a service suite's fixture.  Each suite's own `fx` has it as its first member, so that
 * one setup and one teardown serve every suite while each keeps its own fields and populate().
 */
typedef struct th_fx th_fx;
typedef struct th_values th_values;

/** Adds to @p out the suite's own counts (rows of its tables...) for EXPECT_FAIL and OOM_LOOP. */
typedef void (*th_fx_tally)(th_fx *head, th_values *out);

struct th_fx {
	youth_registry *reg;
	char *dir;  /**< Temporary directory of a file registry; NULL for ":memory:". */
	char *path; /**< The registry file, for raw SQLite connections; NULL for ":memory:". */
	/** What a refused call must leave as it was, beyond persons and the change counter; not
	 * in TH_FX_HEAD's bare view, which the tests do not need it in. */
	th_fx_tally tally;
};

/** The first member of a service suite's `fx`: the head under two names, `th` for the
 * th_fx_*() helpers and the bare fields for the tests themselves (`f->reg`), so that sharing
 * the set-up did not rename the registry in a thousand test lines.  Anonymous members are C11;
 * reading one union member through the other is defined for a common initial sequence. */
#define TH_FX_HEAD                   \
	union {                          \
		th_fx th;                    \
		struct {                     \
			youth_registry *reg;     \
			char *dir;               \
			char *path;              \
		};                           \
	}

/** Fills a fixture once its registry is open; @p head is the suite's `fx`, seen as its head. */
typedef void (*th_fx_populate)(th_fx *head);

/** A service suite as th_fx_setup() builds it: the tests' initial state, so that one setup
 * serves every suite (see TH_FX_TEST). */
typedef struct th_suite {
	size_t size;             /**< sizeof the suite's fixture, a struct that begins with TH_FX_HEAD */
	th_fx_populate populate; /**< fills the fixture once its registry is open */
	th_fx_tally tally;       /**< what th_tally() counts besides persons and changes; may be NULL */
	/** A registry file in a fresh temporary directory rather than ":memory:", for the tests that
	 * open a second, raw SQLite connection to see what is on disk. */
	int in_file;
} th_suite;

/** cmocka setup of a service suite, entered with the th_suite as *@p state: allocates a zeroed
 * fixture, opens the registry with the sample gazetteer, populates it and clears the error
 * report, so that each test starts from the same registry and from no error. */
int th_fx_setup(void **state);
/** The cmocka test entry of @p test in the service suite @p suite (a th_suite *). */
#define TH_FX_TEST(test, suite) \
	cmocka_unit_test_prestate_setup_teardown(test, th_fx_setup, th_fx_teardown, (suite))
/** cmocka teardown of either: closes the registry (tests may have closed it and set reg NULL),
 * removes a file registry's directory and frees the fixture. */
int th_fx_teardown(void **state);
/** Adds an exchange and returns its id, for suites whose exchanges are not the staffed SON-01. */
int64_t th_add_exchange(youth_registry *reg, const char *code, const char *name, const char *place);
/** Adds an operator; with @p active 0 it is deactivated afterwards, as one who has left. */
int64_t th_add_operator(youth_registry *reg, int64_t exchange, const char *given_names,
                        const char *first_surname, int role, int active);
/** SON-01, active Marta Ramírez and inactive Luis Castro; roles vary as each service needs. */
void th_add_staffed_exchange(youth_registry *reg, int role, int inactive_role, int64_t *exchange_id,
                             int64_t *operator_id, int64_t *inactive_id);
/** Adds a fresh valid person and returns its id, where a person is set-up, not the subject. */
int64_t th_new_person(youth_registry *reg);
/** th_check_field() unless @p field is NULL: some refusals in a table name no field. */
void th_check_field_opt(const char *field, const char *file, int line);
/** One number from @p sql on a read-only raw connection: what is on disk, not what we report. */
int64_t th_raw_count(const char *path, const char *sql);

/* ---- what a refused call must leave as it was ------------------------------------------ */

/** Most values one th_values holds, and the longest text it keeps (longer fails the test, so
 * that a comparison never passes on a truncated copy). */
#define TH_VALUES_MAX 16
#define TH_VALUE_TEXT 1024

/** Named numbers and texts taken before a call and compared after it: row counts of a
 * registry (th_tally()) or the members of one record (a suite's snapshot of it). */
struct th_values {
	int n;
	struct th_value {
		const char *name;
		int64_t num;
		int kind; /**< 0 number, 1 text, 2 NULL text */
		char text[TH_VALUE_TEXT];
	} v[TH_VALUES_MAX];
};

/** Empties @p vs. */
void th_values_clear(th_values *vs);
/** Appends the number @p num under @p name. */
void th_values_num(th_values *vs, const char *name, int64_t num);
/** Appends the text @p text (NULL kept apart from "") under @p name. */
void th_values_text(th_values *vs, const char *name, const char *text);
/** Fails, naming every value that differs, unless @p now equals @p before; @p what says what
 * changed ("a refused call changed the registry"). */
void th_values_check_same(const th_values *before, const th_values *now, const char *what,
                          const char *file, int line);

/** The fixture's tally: its th_fx_tally's counts, then persons and the registry's change
 * counter. */
void th_tally(th_fx *head, th_values *out);
/** Fails unless th_tally() still gives @p before: a refused call changed nothing. */
void th_tally_check(th_fx *head, const th_values *before, const char *file, int line);

/** Fails unless the call that returned @p rc (source text @p expr) was refused with @p code,
 * the error report has @p code, names @p field (unless NULL) and its message contains
 * @p needle (unless NULL). */
void th_check_refusal(int rc, const char *expr, int code, const char *field, const char *needle,
                      const char *file, int line);

/** Runs th_check_refusal() on @p expr, then the statement @p unchanged, the suite's proof that
 * the refused call changed nothing. */
#define TH_REFUSED(expr, code, field, needle, unchanged)                                       \
	do {                                                                                       \
		th_check_refusal((expr), #expr, (code), (field), (needle), __FILE__, __LINE__);        \
		unchanged;                                                                             \
	} while (0)

/** In a service suite (@p f its fixture): runs @p expr expecting refusal @p want naming
 * @p field (unless NULL), and checks that the registry's tally did not change. */
#define EXPECT_FAIL(f, expr, want, field)                                                      \
	do {                                                                                       \
		th_values before_;                                                                     \
		th_tally(&(f)->th, &before_);                                                          \
		youth_error_clear();                                                                   \
		th_check_refusal((expr), #expr, (want), (field), NULL, __FILE__, __LINE__);            \
		th_tally_check(&(f)->th, &before_, __FILE__, __LINE__);                                \
	} while (0)

/** Fails the Nth allocation of @p op for N = 1, 2... until @p op succeeds (within 500):
 * each failure must be YOUTH_ENOMEM and leave the tally of fixture @p f as it was; counts the
 * failures into @p failures. */
#define OOM_LOOP(f, op, failures)                                                              \
	do {                                                                                       \
		th_alloc_state st_;                                                                    \
		int ok_ = 0;                                                                           \
		(failures) = 0;                                                                        \
		for (long n_ = 1; n_ < 500 && !ok_; n_++) {                                            \
			th_values before_;                                                                 \
			th_tally(&(f)->th, &before_);                                                      \
			th_alloc_install(&st_, n_, 0);                                                     \
			int rc_ = (op);                                                                    \
			th_alloc_restore();                                                                \
			assert_rc_in2(rc_, YOUTH_OK, YOUTH_ENOMEM);                                        \
			ok_ = rc_ == YOUTH_OK;                                                             \
			if (!ok_) {                                                                        \
				th_tally_check(&(f)->th, &before_, __FILE__, __LINE__);                        \
				(failures)++;                                                                  \
			}                                                                                  \
		}                                                                                      \
		assert_true(ok_);                                                                      \
	} while (0)

/** Defines `static int64_t NAME PARAMS` that counts the rows of a T##_iter opened with
 * T##_iter_new(&it, ARGS...), checking that it ends with YOUTH_ITEROVER; e.g.
 * TH_COUNT_FN(count_cohorts, youth_cohort, (youth_registry *reg, int64_t course), (reg, course)). */
#define TH_UNPAREN(...) __VA_ARGS__
#define TH_COUNT_FN(name, T, params, args)                                                     \
	static int64_t name params                                                                 \
	{                                                                                          \
		T##_iter *it_ = NULL;                                                                  \
		const T *row_;                                                                         \
		int64_t n_ = 0;                                                                        \
		int rc_;                                                                               \
		assert_ok(T##_iter_new(&it_, TH_UNPAREN args));                                        \
		while ((rc_ = T##_next(&row_, it_)) == YOUTH_OK)                                       \
			n_++;                                                                              \
		assert_int_equal(rc_, YOUTH_ITEROVER);                                                 \
		T##_iter_free(it_);                                                                    \
		return n_;                                                                             \
	}

#endif
