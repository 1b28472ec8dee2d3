/* Opening, closing, transactions, the statement cache and the single write path. */
#include "private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_BUSY_MS 5000

/* ---- waiting for the write lock ------------------------------------------------------- */

/*
 * SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100, 100... ms: a
 * writer that has waited a while looks at the lock every 100 ms, while the writer that just
 * released it (or a newcomer) asks again within a millisecond and gets it.  Under load one
 * writer then takes the lock hundreds of times while others wait the whole timeout
 * (docs/reliability.md, "Load test").  This handler looks every 0.75-3.75 ms at first, then
 * more and more often (every 0.125-0.625 ms after half a second), at random so that waiters
 * do not wake in step, until the timeout has passed on the clock.  The timeout travels in the
 * handler's argument, so the handle needs no field for it.
 */
static _Thread_local struct timespec busy_since;
static _Thread_local uint32_t busy_rand;

static int busy_wait(void *arg, int count)
{
	long timeout_ms = (long)(intptr_t)arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0) {
		busy_since = now;
		if (busy_rand == 0) /* any non-zero seed will do; xorshift only needs one */
			busy_rand = (uint32_t)now.tv_nsec ^ (uint32_t)(uintptr_t)&busy_rand ^ 0x9e3779b9u;
	}
	long waited_us = (now.tv_sec - busy_since.tv_sec) * 1000000L +
	                 (now.tv_nsec - busy_since.tv_nsec) / 1000;
	if (waited_us >= timeout_ms * 1000)
		return 0;
	busy_rand ^= busy_rand << 13;
	busy_rand ^= busy_rand >> 17;
	busy_rand ^= busy_rand << 5;
	/* The longer a writer has waited, the more often it looks: it wins against those that
	 * came after it, and the many newcomers cost little. */
	long span = waited_us < 50000 ? 3000 : waited_us < 500000 ? 1000 : 500;
	long sleep_us = span / 4 + (long)(busy_rand % (uint32_t)span);
	if (sleep_us > timeout_ms * 1000 - waited_us)
		sleep_us = timeout_ms * 1000 - waited_us;
	struct timespec d = {0, sleep_us * 1000};
	nanosleep(&d, NULL);
	return 1;
}

/* Waits up to @p ms for a lock (0: refuses at once, as sqlite3_busy_timeout(0) did). */
static void set_busy(sqlite3 *db, int ms)
{
	if (ms > 0)
		sqlite3_busy_handler(db, busy_wait, (void *)(intptr_t)ms);
	else
		sqlite3_busy_handler(db, NULL, NULL);
}

/* ---- checks made before SQLite touches a file ---------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

enum file_state { FILE_MISSING, FILE_EMPTY, FILE_NEW_DB, FILE_REGISTRY };

/*
 * The first bytes of @path, read through SQLite's own VFS rather than open()/close(): closing
 * any descriptor of a file drops every POSIX lock the process holds on it, so a close() here
 * while another handle of this process (another thread's) has the registry open would silently
 * release that handle's locks, and another process could then checkpoint and reset the WAL
 * under it: commits lost, indexes torn (the load test, docs/reliability.md).  SQLite's unix VFS
 * keeps such a descriptor open until the process's other connections let go of their locks.
 * Sets *@got to the bytes read (at most 100, fewer for a shorter file).
 */
static int read_header(const char *path, unsigned char h[100], off_t size, ssize_t *got)
{
	*got = 0;
	sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
	if (!vfs)
		return youth__error(YOUTH_ERROR, NULL, "%s: SQLite has no file system layer", path);
	sqlite3_file *f = youth__calloc(1, (size_t)vfs->szOsFile);
	char *full = youth__malloc((size_t)vfs->mxPathname + 1);
	int s = f && full ? vfs->xFullPathname(vfs, path, vfs->mxPathname + 1, full) : SQLITE_NOMEM;
	if ((s & 0xff) == SQLITE_OK) /* SQLITE_OK_SYMLINK: a link resolved */
		s = SQLITE_OK;
	int flags = 0;
	if (s == SQLITE_OK)
		s = vfs->xOpen(vfs, full, f, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB, &flags);
	if (s == SQLITE_OK) {
		int n = size < 100 ? (int)size : 100;
		s = f->pMethods->xRead(f, h, n, 0);
		*got = n;
	}
	if (f && f->pMethods)
		f->pMethods->xClose(f);
	youth__free(f);
	youth__free(full);
	if (s == SQLITE_OK)
		return YOUTH_OK;
	if (s == SQLITE_NOMEM)
		return youth__error(YOUTH_ENOMEM, NULL, "%s: out of memory reading its header", path);
	return youth__error(YOUTH_EIO, NULL, "%s: cannot read its header (%s)", path,
	                    sqlite3_errstr(s));
}

/* Whether the file @path@suffix exists and holds anything. */
static bool side_file(const char *path, const char *suffix)
{
	char name[4096];
	struct stat st;
	return snprintf(name, sizeof name, "%s%s", path, suffix) < (int)sizeof name &&
	       stat(name, &st) == 0 && st.st_size > 0;
}

/*
 * Reads the 100-byte SQLite header ourselves so that a file we are going to refuse is never
 * opened by SQLite (which could create journals or change the header).
 */
static int inspect_file(const char *path, enum file_state *state)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT) {
			*state = FILE_MISSING;
			return YOUTH_OK;
		}
		return youth__error(YOUTH_EIO, NULL, "%s: %s", path, strerror(errno));
	}
	if (!S_ISREG(sb.st_mode))
		return youth__error(YOUTH_EIO, NULL, "%s: not a regular file", path);
	if (sb.st_size == 0) {
		*state = FILE_EMPTY;
		return YOUTH_OK;
	}
	if (access(path, R_OK) != 0 && (errno == EACCES || errno == EPERM))
		return youth__error(YOUTH_EACCESS, NULL, "%s: permission denied: this user may not read "
		                    "the file (see its owner and mode)", path);
	unsigned char h[100];
	ssize_t got = 0;
	int hrc = read_header(path, h, sb.st_size, &got);
	if (hrc)
		return hrc;
	if (got < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0) {
		if (got >= 16 && memcmp(h, "SQLite format 3", 16) == 0)
			return youth__error(YOUTH_ECORRUPT, NULL,
			                    "%s: truncated (%lld bytes, shorter than a database header)",
			                    path, (long long)sb.st_size);
		return youth__error(YOUTH_ECORRUPT, NULL,
		                    "%s: not a libyouth registry (not a SQLite database)", path);
	}
	uint32_t page = (uint32_t)h[16] << 8 | h[17];
	if (page == 1)
		page = 65536;
	if (page < 512 || page > 65536 || (page & (page - 1)) != 0)
		return youth__error(YOUTH_ECORRUPT, NULL, "%s: damaged database header (page size %u)",
		                    path, page);
	uint32_t pages = be32(h + 28), change = be32(h + 24), valid_for = be32(h + 92);
	uint32_t user_version = be32(h + 60), app_id = be32(h + 68), schema_cookie = be32(h + 40);

	/* With a live WAL, pages may legitimately still be only in the -wal file; with a rollback
	 * journal (a first load, running or interrupted: youth__first_load_begin()), page 1 may
	 * already count pages not yet written, which the journal's rollback takes back. */
	bool live_log = side_file(path, "-wal") || side_file(path, "-journal");
	if (!live_log && pages > 0 && change == valid_for &&
	    (uint64_t)sb.st_size < (uint64_t)pages * page)
		return youth__error(YOUTH_ECORRUPT, NULL,
		                    "%s: truncated (%lld bytes, the header says %llu)", path,
		                    (long long)sb.st_size, (unsigned long long)pages * page);
	if (app_id != YOUTH__APPLICATION_ID) {
		if (app_id == 0 && schema_cookie == 0 && user_version == 0) {
			*state = FILE_NEW_DB;
			return YOUTH_OK;
		}
		return youth__error(YOUTH_ECORRUPT, NULL,
		                    "%s: not a libyouth registry (a SQLite database of another "
		                    "application)", path);
	}
	if (user_version > YOUTH_SCHEMA_VERSION)
		return youth__error(YOUTH_EVERSION, NULL,
		                    "%s: written by a newer libyouth (schema %u; this library reads up "
		                    "to %d)", path, user_version, YOUTH_SCHEMA_VERSION);
	*state = FILE_REGISTRY;
	return YOUTH_OK;
}

/* A new registry holds personal data: the file is created here, owner-only whatever the
 * umask, before SQLite opens it, and SQLite gives its -wal and -shm files the mode of the
 * database file.  docs/privacy.md says how to share one with a group. */
static int create_private(const char *path, enum file_state *state)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST)
		return youth__error(errno == EACCES ? YOUTH_EREADONLY : YOUTH_EIO, NULL, "%s: %s", path,
		                    strerror(errno));
	if (fd >= 0) {
		close(fd);
		*state = FILE_EMPTY;
		return YOUTH_OK;
	}
	return inspect_file(path, state); /* created by another process meanwhile */
}

/* ---- statements ---------------------------------------------------------------------- */

/* An operation begun with youth__write_begin_one() has no savepoint: a second writing
 * statement would leave the first one's row behind on failure.  Refused before it runs, so a
 * service that breaks the promise fails its tests instead of the guarantee. */
static int one_check(youth_registry *reg, sqlite3_stmt *st)
{
	if (sqlite3_stmt_readonly(st) || ++reg->one_writes == 1 || reg->one_tail)
		return YOUTH_OK;
	return youth__error(YOUTH_EMISUSE, NULL,
	                    "internal: a second writing statement in a one-statement write (%s)",
	                    sqlite3_sql(st));
}

/* A transaction belongs to the thread that began it.  Another thread's write in the meantime
 * would run inside it, be reported done, and vanish with a rollback it knows nothing about:
 * it is refused instead, as are the other thread's begin, commit and rollback (the Python
 * package makes such calls wait for the transaction).  Checked where every write begins. */
static int other_thread(youth_registry *reg, const char *op)
{
	if (reg->depth == 0 || pthread_equal(pthread_self(), reg->tx_thread))
		return YOUTH_OK;
	return youth__error(YOUTH_EMISUSE, NULL, "%s: the registry is in a transaction begun by "
	                    "another thread; a registry handle serves one thread at a time (give "
	                    "each thread its own handle, or wait until the transaction ends)", op);
}

int youth__stmt(youth_registry *reg, const char *sql, sqlite3_stmt **out)
{
	/* A bulk load's statements all run inside its transaction.  SQLite rolls a transaction back
	 * by itself after some failures (out of memory, I/O): if one of them was not passed on, a
	 * further statement would run in autocommit mode and keep part of the load. */
	if (reg->bulk && sqlite3_get_autocommit(reg->db))
		return youth__error(YOUTH_ERROR, NULL, "SQLite rolled the load's transaction back after "
		                                       "an earlier failure: nothing of it is kept");
	/* Keyed by the address of the static SQL text: a pointer compare per slot. */
	for (int i = 0; i < reg->n_stmts; i++) {
		struct youth__stmt_slot *s = &reg->stmts[i];
		if (s->sql == sql) {
			sqlite3_reset(s->stmt);
			sqlite3_clear_bindings(s->stmt);
			*out = s->stmt;
			return reg->one_depth ? one_check(reg, s->stmt) : YOUTH_OK;
		}
	}
	if (reg->n_stmts == reg->cap_stmts) {
		int cap = reg->cap_stmts ? reg->cap_stmts * 2 : 32;
		struct youth__stmt_slot *grown = youth__realloc(reg->stmts, (size_t)cap * sizeof *grown);
		if (!grown)
			return youth__oom();
		reg->stmts = grown;
		reg->cap_stmts = cap;
	}
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v3(reg->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK)
		return youth__sqlite_error(reg->db, rc, "preparing a statement");
	reg->stmts[reg->n_stmts++] = (struct youth__stmt_slot){sql, st};
	*out = st;
	return reg->one_depth ? one_check(reg, st) : YOUTH_OK;
}

int youth__exec(youth_registry *reg, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(reg->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		int code = youth__sqlite_error(reg->db, rc, "executing SQL");
		sqlite3_free(msg);
		return code;
	}
	return YOUTH_OK;
}

int youth__step_done(youth_registry *reg, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(st);
		return YOUTH_OK;
	}
	int code = youth__sqlite_error(reg->db, sqlite3_extended_errcode(reg->db), what);
	sqlite3_reset(st);
	return code;
}

int youth__bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

/* ---- open / close -------------------------------------------------------------------- */

static int set_pragmas(youth_registry *reg, bool fresh, bool memory)
{
	int rc = youth__exec(reg, "PRAGMA foreign_keys = ON");
	if (rc == YOUTH_OK)
		set_busy(reg->db, DEFAULT_BUSY_MS);
	/* 16 KiB pages, set before the file has its first page: a census of a million persons
	 * loads 13% faster than with SQLite's default of 4 KiB (shallower B-trees, a fifth of
	 * the WAL frames), and the indicator reports scan fewer pages. */
	if (rc == YOUTH_OK && fresh)
		rc = youth__exec(reg, "PRAGMA page_size = 16384");
	/* Room for the page checksums (pagesum.c), after the page size, which would otherwise
	 * keep SQLite's reserve of its own. */
	if (rc == YOUTH_OK && fresh && !memory) {
		int reserve = YOUTH__PAGESUM_RESERVE;
		sqlite3_file_control(reg->db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
	}
	if (rc == YOUTH_OK && fresh) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA application_id = %d", YOUTH__APPLICATION_ID);
		rc = youth__exec(reg, sql);
	}
	if (rc == YOUTH_OK && !memory && !reg->readonly)
		rc = youth__exec(reg, "PRAGMA journal_mode = WAL");
	/* FULL: a committed census batch survives a power cut, not just a crash. */
	if (rc == YOUTH_OK)
		rc = youth__exec(reg, "PRAGMA synchronous = FULL");
	/* FILE, whatever SQLite was built with: with MEMORY, every sort or temporary table that
	 * outgrows its cache (a filtered list of a million persons, an index built after a load)
	 * grows the process instead of a temporary file (docs/design.md, "One write path"). */
	if (rc == YOUTH_OK)
		rc = youth__exec(reg, "PRAGMA temp_store = FILE");
	/* ON, whatever SQLite was built with: a deleted or overwritten value is zeroed in the file
	 * at once, so an erasure (erase.c) leaves no copy in free space, including the copies
	 * that earlier updates and page splits of the same records freed. */
	if (rc == YOUTH_OK)
		rc = youth__exec(reg, "PRAGMA secure_delete = ON");
	/* A page cache of YOUTH__CACHE_KIB rather than SQLite's 2 MB: each person added writes
	 * ten or so name index keys at scattered places of person_name_key, and with 2 MB a
	 * registry of 100 000 persons already reads and writes back a page of it for most keys
	 * (adding 100 000 persons took 2.7 times the CPU; docs/benchmarks.md, "Write benchmark").
	 * Pages are allocated as they are used: a small registry costs no more memory. */
	if (rc == YOUTH_OK) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", -YOUTH__CACHE_KIB);
		rc = youth__exec(reg, sql);
	}
	return rc;
}

static int read_int_pragma(youth_registry *reg, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int(st, 0);
			rc = SQLITE_OK;
		}
	}
	if (rc != SQLITE_OK)
		rc = youth__sqlite_error(reg->db, sqlite3_extended_errcode(reg->db), reg->path);
	sqlite3_finalize(st);
	return rc;
}

/*
 * The first load.  In WAL mode every page a transaction writes goes to the -wal file and is
 * copied into the registry by the checkpoint after the commit: a national load writes its
 * gigabyte twice, and the checkpoint is the last seconds of it.  A rollback journal keeps only
 * the old content of the pages a transaction changes, and pages past the file's end when the
 * transaction began have no old content: loaded into a registry that holds no person, nearly
 * every page is such a page and is written once, into the file itself.  The price is the
 * concurrency of the WAL: once the load spills its first pages, other connections wait for
 * its end (busy timeout) instead of reading the registry as it was, which for a registry with
 * nobody in it yet loses them nothing.  Only a handle that has the file to itself can leave
 * the WAL (SQLite needs its exclusive lock), so a registry other handles hold open is loaded
 * through the WAL as before.  EXTRA, not FULL: in rollback mode the commit is the deletion of
 * the journal, and only EXTRA syncs the directory after it, so that a power cut cannot bring
 * the journal back and undo a load already reported done.
 */
static bool set_journal(youth_registry *reg, const char *sql, const char *want)
{
	sqlite3_stmt *st = NULL;
	bool ok = sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL) == SQLITE_OK &&
	          sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
	          strcmp((const char *)sqlite3_column_text(st, 0), want) == 0;
	sqlite3_finalize(st);
	return ok;
}

bool youth__first_load_begin(youth_registry *reg)
{
	if (reg->first_load || reg->readonly || reg->depth || !sqlite3_get_autocommit(reg->db))
		return false;
	const char *file = sqlite3_db_filename(reg->db, "main");
	if (!file || !*file) /* in memory */
		return false;
	sqlite3_stmt *st = NULL;
	/* max(rowid): the last leaf read, where EXISTS would plan a scan */
	bool empty = sqlite3_prepare_v2(reg->db, "SELECT max(rowid) IS NULL FROM person", -1, &st,
	                                NULL) == SQLITE_OK &&
	             sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
	sqlite3_finalize(st);
	if (!empty || !set_journal(reg, "PRAGMA journal_mode = DELETE", "delete"))
		return false;
	if (sqlite3_exec(reg->db, "PRAGMA synchronous = EXTRA", NULL, NULL, NULL) != SQLITE_OK) {
		set_journal(reg, "PRAGMA journal_mode = WAL", "wal");
		return false;
	}
	reg->first_load = true;
	return true;
}

/* Back to the WAL after a first load.  Where it cannot come back (a full disk, another
 * connection that came in meanwhile), EXTRA stays with the rollback journal, which needs it,
 * and the handle tries again before its next transaction and at its close. */
static void restore_wal(youth_registry *reg)
{
	reg->wal_lost = !set_journal(reg, "PRAGMA journal_mode = WAL", "wal");
	/* A read opens the WAL and takes the shared lock a WAL handle holds while open, as before
	 * the load: without it, another connection closing meanwhile would take itself for the
	 * last one and checkpoint the WAL, through a VFS that may not seal pages (pagesum.c). */
	if (!reg->wal_lost)
		sqlite3_exec(reg->db, "PRAGMA synchronous = FULL; PRAGMA schema_version", NULL, NULL,
		             NULL);
}

/* Before a transaction of its own: the WAL a first load could not bring back is tried again
 * (never inside a transaction, where the journal mode cannot change, nor during the load). */
static void retry_wal(youth_registry *reg)
{
	if (reg->wal_lost && !reg->first_load && sqlite3_get_autocommit(reg->db))
		restore_wal(reg);
}

void youth__first_load_end(youth_registry *reg)
{
	if (!reg->first_load || !sqlite3_get_autocommit(reg->db))
		return;
	reg->first_load = false;
	restore_wal(reg);
}

/*
 * A WAL registry is read through its -shm index, which a reader creates when it is missing.
 * Where it cannot (a read-only directory: an archive, a CD, another user's folder) SQLite
 * refuses even to read ("attempt to write a readonly database").  With no -wal holding
 * changes, nobody is writing the file and its pages are all in it: it is then opened
 * immutable (no locks, no -shm), which is what a read-only copy is.
 */
static int reopen_immutable(youth_registry *reg, const char *path)
{
	/* A rollback journal left by an interrupted first load (youth__first_load_begin()): the
	 * file holds pages of a load that never committed, and only a read-write open (which
	 * SQLite makes roll them back) makes it readable; read-only, SQLite refuses the file with
	 * SQLITE_READONLY_ROLLBACK, and an immutable open would serve the torn pages. */
	if (side_file(path, "-journal"))
		return youth__error(YOUTH_EREADONLY, NULL, "%s: an interrupted write left %s-journal, "
		                    "which must be rolled back before the registry can be read; open "
		                    "it once read-write (as any `youth` command that writes does), "
		                    "which rolls it back", path, path);
	if (side_file(path, "-wal"))
		return youth__error(YOUTH_EREADONLY, NULL, "%s: cannot be read from here: its directory "
		                    "is not writable (for the -shm file) and %s-wal holds changes not "
		                    "yet in the registry; open it once where it may be written", path,
		                    path);
	youth__buf uri = {0};
	int rc = youth__buf_puts(&uri, "file:");
	for (const char *c = path; rc == YOUTH_OK && *c; c++)
		rc = strchr("%?#", *c) ? youth__buf_printf(&uri, "%%%02X", (unsigned char)*c)
		                       : youth__buf_put(&uri, c, 1);
	if (rc == YOUTH_OK)
		rc = youth__buf_puts(&uri, "?immutable=1");
	if (rc) {
		youth__buf_free(&uri);
		return rc;
	}
	sqlite3_close_v2(reg->db);
	reg->db = NULL;
	int s = sqlite3_open_v2(uri.data, &reg->db,
	                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE |
	                                SQLITE_OPEN_URI,
	                        youth__pagesum_vfs());
	youth__buf_free(&uri);
	if (s != SQLITE_OK)
		return youth__sqlite_error(reg->db, s, path);
	sqlite3_extended_result_codes(reg->db, 1);
	return set_pragmas(reg, false, false);
}

int youth_sqlite_memstatus(int on)
{
	if (on != 0 && on != 1)
		return youth__error(YOUTH_EINVAL, NULL, "youth_sqlite_memstatus: %d is neither 0 nor 1",
		                    on);
	if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on) != SQLITE_OK)
		return youth__error(YOUTH_EMISUSE, NULL,
		                    "youth_sqlite_memstatus: too late, SQLite is already in use in this "
		                    "process (call it before the first registry is opened)");
	return YOUTH_OK;
}

int youth_registry_open(youth_registry **out, const char *path, unsigned flags)
{
	if (out)
		*out = NULL;
	if (!out || !path)
		return youth__error(YOUTH_EINVAL, NULL, "youth_registry_open: NULL %s",
		                    out ? "path" : "output");
	int rc = youth__flags_rule("youth_registry_open", flags,
	                           YOUTH_OPEN_CREATE | YOUTH_OPEN_READONLY);
	if (rc)
		return rc;
	bool create = flags & YOUTH_OPEN_CREATE, readonly = flags & YOUTH_OPEN_READONLY;
	if (create && readonly)
		return youth__error(YOUTH_EINVAL, NULL,
		                    "youth_registry_open: CREATE and READONLY exclude each other");
	if (!*path)
		return youth__error(YOUTH_EINVAL, NULL, "youth_registry_open: empty path");
	bool memory = strcmp(path, ":memory:") == 0;
	enum file_state state = FILE_MISSING;
	if (!memory) {
		rc = inspect_file(path, &state);
		if (rc)
			return rc;
		if (state == FILE_MISSING && create && (rc = create_private(path, &state)))
			return rc;
		if (state == FILE_MISSING && !create)
			return youth__error(YOUTH_ENOTFOUND, NULL,
			                    "%s: no such registry (create one with `youth init`)", path);
		if ((state == FILE_EMPTY || state == FILE_NEW_DB) && !create)
			return youth__error(YOUTH_ECORRUPT, NULL,
			                    "%s: not a libyouth registry (empty file; open with create "
			                    "to initialise it)", path);
	}

	youth_registry *reg = youth__calloc(1, sizeof *reg);
	if (!reg)
		return youth__oom();
	reg->path = youth__strdup(path);
	reg->readonly = readonly;
	if (!reg->path) {
		youth__free(reg);
		return youth__oom();
	}
	youth__textmap_init(&reg->places, 0);
	int oflags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX |
	             SQLITE_OPEN_EXRESCODE;
	if (create)
		oflags |= SQLITE_OPEN_CREATE;
	int s = sqlite3_open_v2(path, &reg->db, oflags, youth__pagesum_vfs());
	if (s != SQLITE_OK) {
		rc = youth__sqlite_error(reg->db, s, path);
	} else {
		sqlite3_extended_result_codes(reg->db, 1);
		bool fresh = memory || state != FILE_REGISTRY;
		rc = set_pragmas(reg, fresh, memory);
		int version = 0, app = 0;
		if (rc == YOUTH_OK)
			rc = read_int_pragma(reg, "PRAGMA user_version", &version);
		if (rc == YOUTH_EREADONLY && readonly && !memory && (rc = reopen_immutable(reg, path)) == 0)
			rc = read_int_pragma(reg, "PRAGMA user_version", &version);
		if (rc == YOUTH_EREADONLY && !readonly)
			youth__error(YOUTH_EREADONLY, NULL, "%s: not writable by this user (the file or its "
			             "directory is read-only); open it read-only to read it", path);
		if (rc == YOUTH_OK)
			rc = read_int_pragma(reg, "PRAGMA application_id", &app);
		if (rc == YOUTH_OK && app != YOUTH__APPLICATION_ID)
			rc = youth__error(YOUTH_ECORRUPT, NULL, "%s: not a libyouth registry", path);
		if (rc == YOUTH_OK && version > YOUTH_SCHEMA_VERSION)
			rc = youth__error(YOUTH_EVERSION, NULL,
			                  "%s: written by a newer libyouth (schema %d; this library reads "
			                  "up to %d)", path, version, YOUTH_SCHEMA_VERSION);
		reg->schema_version = version;
		if (rc == YOUTH_OK && version < YOUTH_SCHEMA_VERSION) {
			if (readonly)
				rc = youth__error(YOUTH_EVERSION, NULL,
				                  "%s: schema %d must be migrated to %d; open it read-write once",
				                  path, version, YOUTH_SCHEMA_VERSION);
			else
				rc = youth__schema_migrate(reg, version);
		}
		if (rc == YOUTH_OK)
			rc = youth__schema_verify(reg);
		if (rc == YOUTH_OK)
			rc = youth__audit_open(reg);
	}
	if (rc == YOUTH_OK)
		*out = reg;
	else
		youth_registry_close(reg);
	return rc;
}

void youth_registry_close(youth_registry *reg)
{
	if (!reg)
		return;
	for (int i = 0; i < reg->n_stmts; i++)
		sqlite3_finalize(reg->stmts[i].stmt);
	youth__free(reg->stmts);
	youth__audit_close(reg);
	youth__buf_free(&reg->person_cols);
	youth__textmap_free(&reg->places);
	if (reg->db) {
		if (!sqlite3_get_autocommit(reg->db))
			sqlite3_exec(reg->db, "ROLLBACK", NULL, NULL, NULL);
		if (reg->wal_lost)
			restore_wal(reg);
		sqlite3_close_v2(reg->db);
	}
	youth__free(reg->path);
	youth__free(reg);
}

const char *youth_registry_path(const youth_registry *reg)
{
	return reg ? reg->path : NULL;
}

int youth_registry_schema_version(const youth_registry *reg)
{
	return reg ? reg->schema_version : 0;
}

int youth_registry_set_busy_timeout(youth_registry *reg, int ms)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_registry_set_busy_timeout: NULL registry");
	if (ms < 0)
		return youth__error(YOUTH_EINVAL, NULL, "busy timeout %d: must not be negative", ms);
	set_busy(reg->db, ms);
	return YOUTH_OK;
}

int64_t youth_registry_total_changes(const youth_registry *reg)
{
	return reg ? reg->total_changes : 0;
}

/* ---- transactions and the write path --------------------------------------------------- */

static int readonly_error(youth_registry *reg, const char *op)
{
	return youth__error(YOUTH_EREADONLY, NULL, "%s: registry opened read-only, cannot %s",
	                    reg->path, op);
}

int youth_registry_begin(youth_registry *reg)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_registry_begin: NULL registry");
	if (reg->readonly)
		return readonly_error(reg, "begin a transaction");
	if (other_thread(reg, "begin a transaction"))
		return YOUTH_EMISUSE;
	if (reg->depth == YOUTH__MAX_TX_DEPTH)
		return youth__error(YOUTH_EMISUSE, NULL, "begin: transactions nested deeper than %d",
		                    YOUTH__MAX_TX_DEPTH);
	retry_wal(reg);
	/* An import's audit entries still waiting belong to the transaction outside. */
	int rc = reg->audit.n_pending ? youth__audit_flush(reg) : YOUTH_OK;
	if (rc == YOUTH_OK)
		rc = youth__exec(reg, sqlite3_get_autocommit(reg->db) ? "BEGIN IMMEDIATE"
		                                                      : "SAVEPOINT youth_tx");
	if (rc == YOUTH_OK && reg->depth == 0)
		reg->tx_thread = pthread_self();
	if (rc == YOUTH_OK)
		reg->tx_changes[reg->depth++] = reg->total_changes;
	else
		youth__error_prefix("begin a transaction");
	return rc;
}

/* The checks that open commit and rollback: a registry (@fn names the function), a public
 * transaction open (@op names the operation), begun by this thread. */
static int open_transaction(youth_registry *reg, const char *fn, const char *op)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "%s: NULL registry", fn);
	if (reg->depth == 0)
		return youth__error(YOUTH_EMISUSE, NULL, "%s: no transaction is open", op);
	return other_thread(reg, op) ? YOUTH_EMISUSE : YOUTH_OK;
}

int youth_registry_commit(youth_registry *reg)
{
	int rc = open_transaction(reg, "youth_registry_commit", "commit");
	if (rc)
		return rc;
	if (reg->depth > 1) {
		rc = youth__exec(reg, "RELEASE youth_tx");
		if (rc == YOUTH_OK)
			reg->depth--;
		return rc;
	}
	rc = reg->audit.n_pending ? youth__audit_flush(reg) : YOUTH_OK;
	if (rc == YOUTH_OK)
		rc = youth__exec(reg, "COMMIT");
	if (rc) {
		/* A failed outermost commit must not leave a half-open transaction behind. */
		if (!sqlite3_get_autocommit(reg->db))
			sqlite3_exec(reg->db, "ROLLBACK", NULL, NULL, NULL);
		reg->total_changes = reg->tx_changes[0];
		youth__memos_forget(reg); /* a place or operator of the transaction is gone */
		youth__audit_forget(reg);
		youth__error_prefix("commit failed, transaction rolled back");
	}
	reg->depth = 0;
	reg->audit.tx_known = false; /* the next transaction reads the switch again */
	return rc;
}

/* The place cache is the registry's (places are added through it): a rollback may have taken
 * back a place the cache still names. */
void youth__place_cache_clear(youth_registry *reg)
{
	youth__textmap_clear(&reg->places);
}

/* The operator memo is the registry's as well (exchange.c fills it in bulk mode). */
void youth__operator_memo_clear(youth_registry *reg)
{
	if (reg->operators_used) {
		memset(reg->operators, 0, sizeof reg->operators);
		reg->operators_used = false;
	}
}

void youth__memos_forget(youth_registry *reg)
{
	youth__place_cache_clear(reg);
	youth__operator_memo_clear(reg);
	if (reg->memo_forget)
		reg->memo_forget(reg); /* the import's memo may hold what the write read */
}

int youth_registry_rollback(youth_registry *reg)
{
	int rc = open_transaction(reg, "youth_registry_rollback", "rollback");
	if (rc)
		return rc;
	if (reg->depth > 1)
		rc = youth__exec(reg, "ROLLBACK TO youth_tx; RELEASE youth_tx");
	else
		rc = sqlite3_get_autocommit(reg->db) ? YOUTH_OK : youth__exec(reg, "ROLLBACK");
	reg->total_changes = reg->tx_changes[--reg->depth];
	youth__memos_forget(reg);
	youth__audit_forget(reg);
	return rc;
}

int youth_registry_in_transaction(const youth_registry *reg)
{
	return reg ? reg->depth : 0;
}

/* Transaction control runs once per record on bulk paths: prepared once, not parsed each time. */
static int run_cached(youth_registry *reg, const char *sql, const char *what)
{
	sqlite3_stmt *st;
	int rc = youth__stmt(reg, sql, &st);
	return rc ? rc : youth__step_done(reg, st, what);
}

static int write_begin(youth__write *w, youth_registry *reg, const char *op, bool one)
{
	w->reg = reg;
	w->op = op;
	w->rows = 0;
	w->audit_rc = 0;
	if (reg->readonly)
		return readonly_error(reg, op);
	if (other_thread(reg, op))
		return YOUTH_EMISUSE;
	w->own_tx = sqlite3_get_autocommit(reg->db);
	w->changes_at_begin = reg->total_changes;
	w->bulk = reg->bulk && !w->own_tx;
	w->one_outer = reg->one_depth;
	static const char begin[] = "BEGIN IMMEDIATE", savepoint[] = "SAVEPOINT youth_op";
	int rc;
	if (w->own_tx)
		retry_wal(reg);
	if (w->own_tx && (rc = run_cached(reg, begin, "starting a write"))) {
		youth__error_prefix("%s", op);
		return rc;
	}
	/* Audit trail: the switch is read inside the transaction, so a file switched on by
	 * another process is audited here too; an import reads it once for all its records. */
	if (reg->op_depth == 0 && !w->bulk && (rc = youth__audit_begin(reg, op))) {
		if (w->own_tx)
			sqlite3_exec(reg->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	/* An audited write appends its entries with more statements: it keeps its savepoint. */
	w->one = one && !w->own_tx && !w->bulk && !reg->audit.on;
	if (w->bulk || w->one) {
		reg->op_depth++;
		/* A one-statement write nested in another counts towards the outer one's statement. */
		if (w->one && !reg->one_depth) {
			reg->one_depth = reg->op_depth;
			reg->one_writes = 0;
		}
		return YOUTH_OK;
	}
	rc = w->own_tx ? YOUTH_OK : run_cached(reg, savepoint, "starting a write");
	if (rc)
		youth__error_prefix("%s", op);
	else
		reg->op_depth++;
	return rc;
}

int youth__write_begin(youth__write *w, youth_registry *reg, const char *op)
{
	return write_begin(w, reg, op, false);
}

int youth__write_begin_one(youth__write *w, youth_registry *reg, const char *op)
{
	return write_begin(w, reg, op, true);
}

int youth__write_end(youth__write *w, int rc)
{
	youth_registry *reg = w->reg;
	if (rc == YOUTH_OK)
		rc = w->audit_rc;
	if (--reg->op_depth == 0)
		youth__audit_end(reg);
	if (rc != YOUTH_OK)
		youth__audit_forget(reg);
	if (w->bulk) {
		if (rc != YOUTH_OK) {
			reg->bulk_failed = true;
			reg->total_changes = w->changes_at_begin;
		}
		return rc;
	}
	if (w->one) {
		/* Nothing to release; on failure SQLite has already undone the one statement (or,
		 * after an I/O error or out of memory, the whole transaction, as it would have
		 * with a savepoint too). */
		reg->one_depth = w->one_outer;
		if (rc != YOUTH_OK) {
			reg->total_changes = w->changes_at_begin;
			youth__memos_forget(reg);
		}
		return rc;
	}
	if (rc == YOUTH_OK) {
		static const char commit[] = "COMMIT", release[] = "RELEASE youth_op";
		rc = run_cached(reg, w->own_tx ? commit : release, "committing");
		if (rc == YOUTH_OK)
			return YOUTH_OK;
		youth__error_prefix("%s", w->op);
	}
	/* Undo just this operation; keep the message of the failure that caused it. */
	reg->total_changes = w->changes_at_begin;
	youth__memos_forget(reg);
	if (w->own_tx) {
		if (!sqlite3_get_autocommit(reg->db))
			sqlite3_exec(reg->db, "ROLLBACK", NULL, NULL, NULL);
	} else {
		sqlite3_exec(reg->db, "ROLLBACK TO youth_op; RELEASE youth_op", NULL, NULL, NULL);
	}
	return rc;
}

void youth__write_row(youth__write *w, const char *table, int64_t id, char action)
{
	w->rows++;
	w->reg->total_changes++;
	if (w->reg->memo_written)
		w->reg->memo_written(w->reg, table, id);
	if (w->reg->audit.on)
		youth__audit_row(w, table, id, action);
}

/* ---- integrity ------------------------------------------------------------------------ */

int youth_registry_check(youth_registry *reg)
{
	if (!reg)
		return youth__error(YOUTH_EINVAL, NULL, "youth_registry_check: NULL registry");
	static const char *const checks[] = {"PRAGMA integrity_check", "PRAGMA foreign_key_check"};
	for (size_t i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		int s = sqlite3_prepare_v2(reg->db, checks[i], -1, &st, NULL);
		if (s != SQLITE_OK)
			return youth__sqlite_error(reg->db, s, "checking the registry");
		s = sqlite3_step(st);
		int rc = YOUTH_OK;
		if (s == SQLITE_ROW) {
			const char *first = (const char *)sqlite3_column_text(st, 0);
			if (i == 0 && first && strcmp(first, "ok") != 0)
				rc = youth__error(YOUTH_ECORRUPT, NULL, "%s: damaged: %s", reg->path, first);
			else if (i == 1)
				rc = youth__error(YOUTH_ECORRUPT, NULL,
				                  "%s: table %s row %lld refers to a missing %s", reg->path,
				                  first ? first : "?", (long long)sqlite3_column_int64(st, 1),
				                  (const char *)sqlite3_column_text(st, 2));
		} else if (s != SQLITE_DONE) {
			rc = youth__sqlite_error(reg->db, s, "checking the registry");
		}
		sqlite3_finalize(st);
		if (rc)
			return rc;
	}
	return YOUTH_OK;
}
