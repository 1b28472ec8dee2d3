/*
 * Page checksums (docs/reliability.md): a VFS shim between SQLite and the operating system's
 * VFS that keeps an 8-byte checksum in the reserved bytes at the end of every page of a
 * registry's main file, writes it whenever a page goes to that file and verifies it whenever a
 * page comes back from it.  A page whose bytes changed behind SQLite's back (a flipped bit on
 * the disk, a bad copy, a stray write) then fails to read with SQLITE_IOERR_DATA instead of
 * being served as data, whatever byte was hit: a letter inside a name as much as a B-tree
 * pointer.
 *
 * Written for libyouth in the spirit of SQLite's ext/misc/cksumvfs.c (not shipped by Debian),
 * with two differences that keep the write-ahead log sound:
 *  - only the main file is sealed and verified.  Frames in the -wal keep the bytes SQLite gave
 *    them: SQLite's own frame checksum is computed over those bytes before they reach the VFS,
 *    so sealing them here would make every frame look torn to a later recovery.  The WAL is
 *    protected by that frame checksum (checked when the WAL is recovered); its pages are sealed
 *    when the checkpoint copies them into the main file.
 *  - a page is sealed in a copy, never in SQLite's buffer, which is const.
 * A file is sealed when its header says 8 reserved bytes per page (byte 20): registries created
 * by this library are; older ones have no room for them and are left as they are.  Other
 * files (the -wal, the -journal, temporary files) pass through untouched.
 * The pages of a sealed file are sealed by this library only: another program that writes the
 * file (the sqlite3 shell) leaves its pages failing their checksum; docs/reliability.md.
 *
 * Layer: registry (registry.c opens every registry through it; check.c scans with it).
 */
#include "private.h"

#include <stdio.h>
#include <string.h>

#define PAGESUM_VFS_NAME "youth-pagesum"

typedef struct pagesum_file {
	sqlite3_file base;    /* pMethods: ours, or NULL until the real file opened */
	bool main_db;         /* the database file proper (not -wal, -journal, temp) */
	bool sealed;          /* its header says YOUTH__PAGESUM_RESERVE reserved bytes */
	unsigned page_size;   /* from the header, once sealed */
	unsigned char *copy;  /* one page, for sealing a write without touching SQLite's buffer */
	sqlite3_file *real;   /* the real file, allocated right after this struct */
} pagesum_file;

/* Our methods at each version a real file may have ([v - 1]), so that SQLite asks only for what
 * the real file has (no xShmMap of a file without shared memory). */
static sqlite3_io_methods pagesum_methods[3];

static bool is_ours(const sqlite3_file *f)
{
	return f && f->pMethods >= pagesum_methods && f->pMethods < pagesum_methods + 3;
}

/* The VFS under the shim: one shim per underlying VFS, so that an application (or a test) that
 * installs its own default VFS before opening a registry keeps it, wrapped. */
#define REAL_VFS ((sqlite3_vfs *)vfs->pAppData)
#define REAL(f) (((pagesum_file *)(f))->real)

/* Two running 64-bit sums over the page's 8-byte little-endian words (the last word, the
 * checksum itself, excluded): the first changes with any word that changes, the second with
 * the order of the words, so a byte moved or swapped is caught as well as a byte changed.
 * The page number seeds both, so a page written at the wrong place (or a copy of another
 * page) fails too. */
void youth__pagesum_compute(const unsigned char *page, unsigned size, int64_t pgno,
                            unsigned char out[8])
{
	uint64_t a = 0x59u + (uint64_t)pgno, b = 0x4f55u ^ ((uint64_t)pgno << 32);
	for (unsigned i = 0; i < size - 8; i += 8) {
		/* Written out so that compilers make it one load on a little-endian machine: the loop
		 * over the bytes it replaced was not, and took half of the time of an export that
		 * reads its pages in random order (docs/benchmarks.md, "The sixth pass"). */
		const unsigned char *q = page + i;
		uint64_t w = (uint64_t)q[0] | (uint64_t)q[1] << 8 | (uint64_t)q[2] << 16 |
		             (uint64_t)q[3] << 24 | (uint64_t)q[4] << 32 | (uint64_t)q[5] << 40 |
		             (uint64_t)q[6] << 48 | (uint64_t)q[7] << 56;
		a += w + (uint64_t)i;
		b += a;
	}
	uint64_t s = a ^ (b << 1 | b >> 63);
	for (int k = 0; k < 8; k++)
		out[k] = (unsigned char)(s >> (8 * k));
}

/* True when @p page (of @p size bytes) holds its own checksum. */
bool youth__pagesum_ok(const unsigned char *page, unsigned size, int64_t pgno)
{
	unsigned char sum[8];
	youth__pagesum_compute(page, size, pgno, sum);
	return memcmp(sum, page + size - 8, 8) == 0;
}

/* Reads the sealing state from the first bytes of the file (the 100-byte header). */
static void read_header(pagesum_file *p, const unsigned char *h)
{
	unsigned size = (unsigned)h[16] << 8 | h[17];
	if (size == 1)
		size = 65536;
	p->sealed = h[20] == YOUTH__PAGESUM_RESERVE && size >= 512 && (size & (size - 1)) == 0;
	p->page_size = p->sealed ? size : 0;
	if (p->sealed && !p->copy)
		p->copy = sqlite3_malloc((int)size);
	if (!p->copy)
		p->sealed = false;
}

static bool is_page(const pagesum_file *p, int amt, sqlite3_int64 off)
{
	return p->sealed && (unsigned)amt == p->page_size && off % amt == 0;
}

static int ps_close(sqlite3_file *f)
{
	pagesum_file *p = (pagesum_file *)f;
	sqlite3_free(p->copy);
	p->copy = NULL;
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int ps_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	pagesum_file *p = (pagesum_file *)f;
	int rc = REAL(f)->pMethods->xRead(REAL(f), buf, amt, off);
	if (rc != SQLITE_OK || !p->main_db)
		return rc;
	if (off == 0 && amt >= 100)
		read_header(p, buf);
	if (is_page(p, amt, off) && !youth__pagesum_ok(buf, (unsigned)amt, off / amt + 1))
		return SQLITE_IOERR_DATA;
	return rc;
}

static int ps_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	pagesum_file *p = (pagesum_file *)f;
	if (p->main_db && off == 0 && amt >= 100)
		read_header(p, buf);
	if (p->main_db && is_page(p, amt, off)) {
		memcpy(p->copy, buf, (size_t)amt);
		youth__pagesum_compute(p->copy, (unsigned)amt, off / amt + 1, p->copy + amt - 8);
		buf = p->copy;
	}
	return REAL(f)->pMethods->xWrite(REAL(f), buf, amt, off);
}

/* The methods that checksums do not concern go straight to the real file. */
#define PASS(name, method, params, ...)                             \
	static int name params                                          \
	{                                                               \
		return REAL(f)->pMethods->method(REAL(f), __VA_ARGS__);     \
	}
PASS(ps_truncate, xTruncate, (sqlite3_file *f, sqlite3_int64 size), size)
PASS(ps_sync, xSync, (sqlite3_file *f, int flags), flags)
PASS(ps_file_size, xFileSize, (sqlite3_file *f, sqlite3_int64 *size), size)
PASS(ps_lock, xLock, (sqlite3_file *f, int level), level)
PASS(ps_unlock, xUnlock, (sqlite3_file *f, int level), level)
PASS(ps_check_reserved_lock, xCheckReservedLock, (sqlite3_file *f, int *out), out)
PASS(ps_shm_map, xShmMap, (sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp),
     pg, pgsz, extend, pp)
PASS(ps_shm_lock, xShmLock, (sqlite3_file *f, int offset, int n, int flags), offset, n, flags)
PASS(ps_shm_unmap, xShmUnmap, (sqlite3_file *f, int delete_flag), delete_flag)
PASS(ps_unfetch, xUnfetch, (sqlite3_file *f, sqlite3_int64 off, void *page), off, page)
#undef PASS
static int ps_file_control(sqlite3_file *f, int op, void *arg)
{
	int rc = REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
	/* PRAGMA vfs_list and error messages name the whole stack. */
	if (op == SQLITE_FCNTL_VFSNAME && rc == SQLITE_OK)
		*(char **)arg = sqlite3_mprintf(PAGESUM_VFS_NAME "/%z", *(char **)arg);
	return rc;
}
static int ps_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int ps_device_characteristics(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static void ps_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
/* A memory-mapped page would reach SQLite without passing ps_read: refuse the mapping of a
 * sealed file, so every page is read (and verified) through xRead. */
static int ps_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
	pagesum_file *p = (pagesum_file *)f;
	if (p->sealed) {
		*pp = NULL;
		return SQLITE_OK;
	}
	return REAL(f)->pMethods->xFetch(REAL(f), off, amt, pp);
}

static int ps_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags,
                   int *out_flags)
{
	pagesum_file *p = (pagesum_file *)f;
	memset(p, 0, sizeof *p);
	p->real = (sqlite3_file *)(p + 1);
	p->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
	int rc = REAL_VFS->xOpen(REAL_VFS, name, p->real, flags, out_flags);
	if (rc == SQLITE_OK && p->real->pMethods) {
		int v = p->real->pMethods->iVersion;
		f->pMethods = &pagesum_methods[v < 1 ? 0 : v > 3 ? 2 : v - 1];
	}
	return rc;
}

static int ps_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	return REAL_VFS->xDelete(REAL_VFS, name, sync_dir);
}
static int ps_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	return REAL_VFS->xAccess(REAL_VFS, name, flags, out);
}
static int ps_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	return REAL_VFS->xFullPathname(REAL_VFS, name, n, out);
}
static void *ps_dl_open(sqlite3_vfs *vfs, const char *name)
{
	return REAL_VFS->xDlOpen(REAL_VFS, name);
}
static void ps_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
	REAL_VFS->xDlError(REAL_VFS, n, msg);
}
static void (*ps_dl_sym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	return REAL_VFS->xDlSym(REAL_VFS, h, sym);
}
static void ps_dl_close(sqlite3_vfs *vfs, void *h)
{
	REAL_VFS->xDlClose(REAL_VFS, h);
}
static int ps_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	return REAL_VFS->xRandomness(REAL_VFS, n, out);
}
static int ps_sleep(sqlite3_vfs *vfs, int us)
{
	return REAL_VFS->xSleep(REAL_VFS, us);
}
static int ps_current_time(sqlite3_vfs *vfs, double *out)
{
	return REAL_VFS->xCurrentTime(REAL_VFS, out);
}
static int ps_get_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	return REAL_VFS->xGetLastError ? REAL_VFS->xGetLastError(REAL_VFS, n, out) : 0;
}
static int ps_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	return REAL_VFS->xCurrentTimeInt64(REAL_VFS, out);
}

#define MAX_SHIMS 8

static struct shim {
	sqlite3_vfs vfs;
	char name[80];
} shims[MAX_SHIMS];
static size_t n_shims;
static pthread_mutex_t shims_lock = PTHREAD_MUTEX_INITIALIZER;

static void init_methods(void)
{
	pagesum_methods[2] = (sqlite3_io_methods){
		.iVersion = 3,
		.xClose = ps_close,
		.xRead = ps_read,
		.xWrite = ps_write,
		.xTruncate = ps_truncate,
		.xSync = ps_sync,
		.xFileSize = ps_file_size,
		.xLock = ps_lock,
		.xUnlock = ps_unlock,
		.xCheckReservedLock = ps_check_reserved_lock,
		.xFileControl = ps_file_control,
		.xSectorSize = ps_sector_size,
		.xDeviceCharacteristics = ps_device_characteristics,
		.xShmMap = ps_shm_map,
		.xShmLock = ps_shm_lock,
		.xShmBarrier = ps_shm_barrier,
		.xShmUnmap = ps_shm_unmap,
		.xFetch = ps_fetch,
		.xUnfetch = ps_unfetch,
	};
	pagesum_methods[0] = pagesum_methods[1] = pagesum_methods[2];
	pagesum_methods[0].iVersion = 1;
	pagesum_methods[1].iVersion = 2;
}

const char *youth__pagesum_vfs(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, init_methods);
	const char *name = NULL;
	pthread_mutex_lock(&shims_lock);
	sqlite3_vfs *real = sqlite3_vfs_find(NULL);
	for (size_t i = 0; real && i < n_shims; i++)
		if (shims[i].vfs.pAppData == real || &shims[i].vfs == real)
			name = shims[i].name;
	/* xCurrentTimeInt64 (version 2) is forwarded, so older VFSes go unwrapped. */
	if (!name && real && real->iVersion >= 2 && n_shims < MAX_SHIMS) {
		struct shim *sh = &shims[n_shims];
		snprintf(sh->name, sizeof sh->name, PAGESUM_VFS_NAME "-%.60s", real->zName);
		sh->vfs = (sqlite3_vfs){
			.iVersion = 2,
			.szOsFile = (int)sizeof(pagesum_file) + real->szOsFile,
			.mxPathname = real->mxPathname,
			.zName = sh->name,
			.pAppData = real,
			.xOpen = ps_open,
			.xDelete = ps_delete,
			.xAccess = ps_access,
			.xFullPathname = ps_full_pathname,
			.xDlOpen = ps_dl_open,
			.xDlError = ps_dl_error,
			.xDlSym = ps_dl_sym,
			.xDlClose = ps_dl_close,
			.xRandomness = ps_randomness,
			.xSleep = ps_sleep,
			.xCurrentTime = ps_current_time,
			.xGetLastError = ps_get_last_error,
			.xCurrentTimeInt64 = ps_current_time_int64,
		};
		if (sqlite3_vfs_register(&sh->vfs, 0) == SQLITE_OK) {
			n_shims++;
			name = sh->name;
		}
	}
	pthread_mutex_unlock(&shims_lock);
	return name;
}

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/*
 * Marks in @p held (one bit a page, @p pages of them) every page that a frame of the -wal's
 * current generation (the salts of its header) holds.  The main file's copy of such a page is
 * not what SQLite reads, and need not be sound: a checkpoint done while a reader still needed
 * older pages copies only the pages no later commit changed, so the file can keep a stale copy
 * or none at all (a hole of zeros below pages copied after it), and a checkpoint running now
 * may be halfway through writing it.  Checkpoints copy only pages of the -wal, and none beyond
 * the snapshot of a read transaction that is open, so with the caller's read transaction open
 * every other page of the file stays as the checkpoints left it.  Frames not yet committed are
 * counted too: skipping a page is the safe side.  A -wal that is missing, not open or not valid
 * holds nothing.
 */
static int wal_pages(sqlite3 *db, unsigned page_size, sqlite3_int64 pages, unsigned char *held)
{
	sqlite3_file *wal = NULL;
	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK ||
	    !wal || !wal->pMethods)
		return SQLITE_OK;
	sqlite3_int64 size = 0;
	unsigned char h[32], fh[24];
	int rc = wal->pMethods->xFileSize(wal, &size);
	if (rc != SQLITE_OK || size < 32)
		return rc;
	rc = wal->pMethods->xRead(wal, h, 32, 0);
	if (rc != SQLITE_OK)
		return rc == SQLITE_IOERR_SHORT_READ ? SQLITE_OK : rc;
	if ((be32(h) & 0xfffffffe) != 0x377f0682 || be32(h + 8) != page_size)
		return SQLITE_OK;
	for (sqlite3_int64 off = 32; rc == SQLITE_OK && off + 24 + page_size <= size;
	     off += 24 + page_size) {
		rc = wal->pMethods->xRead(wal, fh, 24, off);
		if (rc == SQLITE_OK && memcmp(fh + 8, h + 16, 8) == 0) {
			uint32_t pgno = be32(fh);
			if (pgno >= 1 && pgno <= pages)
				held[(pgno - 1) / 8] |= (unsigned char)(1u << ((pgno - 1) % 8));
		}
	}
	return rc == SQLITE_IOERR_SHORT_READ ? SQLITE_OK : rc;
}

int64_t youth__pending_byte = 0x40000000;

int youth__pagesum_scan(sqlite3 *db, youth__pagesum_visit visit, void *ctx)
{
	sqlite3_file *f = NULL;
	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !is_ours(f))
		return 0; /* :memory:, or opened without the shim: nothing sealed to verify */
	pagesum_file *p = (pagesum_file *)f;
	if (!p->sealed)
		return 0;
	sqlite3_int64 size = 0;
	int rc = p->real->pMethods->xFileSize(p->real, &size);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_int64 pages = size / p->page_size;
	unsigned char *page = sqlite3_malloc((int)p->page_size);
	unsigned char *held = sqlite3_malloc64((sqlite3_uint64)(pages / 8 + 1));
	if (!page || !held) {
		sqlite3_free(page);
		sqlite3_free(held);
		return SQLITE_NOMEM;
	}
	memset(held, 0, (size_t)(pages / 8 + 1));
	rc = wal_pages(db, p->page_size, pages, held);
	/* SQLite keeps its file locks on bytes of this page and never writes it: in a file past
	 * 1 GiB (a national registry) it is a hole of zeros, never sealed, never read. */
	sqlite3_int64 lock_page = youth__pending_byte / p->page_size + 1;
	for (sqlite3_int64 i = 0; rc == SQLITE_OK && i < pages; i++) {
		if ((held[i / 8] & (1u << (i % 8))) || i + 1 == lock_page)
			continue;
		rc = p->real->pMethods->xRead(p->real, page, (int)p->page_size, i * p->page_size);
		if (rc == SQLITE_OK && !youth__pagesum_ok(page, p->page_size, i + 1))
			visit(ctx, (int64_t)i + 1);
	}
	sqlite3_free(page);
	sqlite3_free(held);
	return rc == SQLITE_IOERR_SHORT_READ ? SQLITE_OK : rc;
}

int youth__pagesum_state(sqlite3 *db)
{
	sqlite3_file *f = NULL;
	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !is_ours(f))
		return -1;
	return ((pagesum_file *)f)->sealed ? 1 : 0;
}
