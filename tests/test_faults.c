/*
 * Systematic fault injection on libyouth's public operations (docs/reliability.md, "Fault
 * injection"), SQLite's own method applied one level up:
 *
 *  - out of memory: one countdown shared by libyouth's allocator, SQLite's (SQLITE_CONFIG_MALLOC)
 *    and libyaml's calls of malloc/realloc/calloc (interposed below); the Nth allocation fails;
 *  - I/O: a VFS under the page checksum shim fails the Nth write, sync or truncate with an I/O
 *    error or with "disk full";
 *  - crash: at the Nth write the registry's files are copied as they are on disk, the write
 *    fails, and the copy is opened as another process would after a crash.
 *
 * At every point the call must fail cleanly (a documented code) or succeed, leak nothing, and
 * leave a registry that passes integrity_check, foreign_key_check and youth check, holding
 * exactly the state before the call or the state after it.  `make check` tries a sample of the
 * points; YOUTH_FAULTS=full (make faults) tries every one.  The closing table gives, per
 * operation and fault, the points tried and the violations.
 *
 * A program of its own: SQLite's allocator can only be replaced before SQLite is initialised.
 */
#define _GNU_SOURCE /* dl_iterate_phdr */

#include <errno.h>
#include <link.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <youth.h>

#include "helpers.h"

/* ---- the shared countdown ---------------------------------------------------------------- */

/* Counting is on between arm() and disarm(); the allocation numbered `fail_at` fails (one
 * shot: the later ones succeed, as after memory freed by the failure's clean-up). */
static struct {
	int on;
	long calls, fail_at, failed;
} oom;

static int oom_tick(void)
{
	if (!oom.on)
		return 0;
	if (++oom.calls == oom.fail_at) {
		oom.failed++;
		return 1;
	}
	return 0;
}

/* libyouth's allocator: counted, with its live blocks, so that a leak of the library shows here
 * without valgrind. */
static long youth_live;

static void *ya_malloc(size_t n, void *ctx)
{
	(void)ctx;
	if (oom_tick())
		return NULL;
	void *p = malloc(n);
	youth_live += p != NULL;
	return p;
}

static void *ya_realloc(void *p, size_t n, void *ctx)
{
	(void)ctx;
	if (oom_tick())
		return NULL;
	void *q = realloc(p, n);
	youth_live += q != NULL && p == NULL;
	return q;
}

static void ya_free(void *p, void *ctx)
{
	(void)ctx;
	youth_live -= p != NULL;
	free(p);
}

/* SQLite's allocator: its own, behind the countdown. */
static sqlite3_mem_methods sq_orig;

static void *sq_malloc(int n)
{
	return oom_tick() ? NULL : sq_orig.xMalloc(n);
}

static void *sq_realloc(void *p, int n)
{
	return oom_tick() ? NULL : sq_orig.xRealloc(p, n);
}

/*
 * libyaml has no allocator hook and is a shared library, so a link-time --wrap does not reach
 * its calls.  The program defines malloc, realloc and calloc itself: the dynamic linker binds
 * libyaml's calls (through its PLT) to these, which count those whose caller lies in libyaml's
 * code and pass everything to the C library.  Not under AddressSanitizer, whose allocator must
 * see every block, nor under valgrind, which replaces these too: libyaml's points are covered
 * by the plain run.
 */
#if defined(__SANITIZE_ADDRESS__)
#define TH_YAML_OOM 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TH_YAML_OOM 0
#endif
#endif
#ifndef TH_YAML_OOM
#define TH_YAML_OOM 1
#endif

static uintptr_t yaml_lo, yaml_hi;
/* libyaml's allocations seen under the countdown, for the closing table. */
static long yaml_calls;

#if TH_YAML_OOM
extern void *__libc_malloc(size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_calloc(size_t, size_t);

static int yaml_fails(const void *caller)
{
	uintptr_t a = (uintptr_t)caller;
	if (a < yaml_lo || a >= yaml_hi || !oom.on)
		return 0;
	yaml_calls++;
	return oom_tick();
}

void *malloc(size_t n)
{
	if (yaml_fails(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(n);
}

void *realloc(void *p, size_t n)
{
	if (yaml_fails(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, n);
}

void *calloc(size_t n, size_t size)
{
	if (yaml_fails(__builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(n, size);
}
#endif

/* libyaml's executable segment, found once libyouth (and so libyaml) is loaded. */
static int find_yaml(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	if (!info->dlpi_name || !strstr(info->dlpi_name, "libyaml"))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			yaml_lo = info->dlpi_addr + ph->p_vaddr;
			yaml_hi = yaml_lo + ph->p_memsz;
			return 1;
		}
	}
	return 0;
}

/* ---- the I/O fault VFS ------------------------------------------------------------------- */

enum fault { F_OOM, F_IOERR, F_FULL, F_CRASH, F_KINDS };
static const char *const fault_name[F_KINDS] = {"oom", "ioerr", "full", "crash"};

/* Writes, syncs and truncates of every file are numbered in one sequence while armed; the
 * event numbered `fail_at` fails (for a crash, only writes count and the files are copied
 * first). */
static struct {
	int on;
	enum fault kind;
	long events, fail_at, failed;
	const char *path, *snap; /* the registry under test, and where a crash copies it */
} io;

typedef struct fv_file {
	sqlite3_file base;
	sqlite3_file *real;
} fv_file;

static sqlite3_vfs *fv_real;
static sqlite3_vfs fv_vfs;
static sqlite3_io_methods fv_io;

#define REAL(f) (((fv_file *)(f))->real)

static void copy_file(const char *from, const char *to)
{
	size_t size;
	unsigned char *bytes = th_read_file(from, &size);
	if (bytes) {
		th_write_file(to, bytes, size);
		free(bytes);
	} else {
		unlink(to);
	}
}

/* The registry's three files as a crash would leave them (the -shm index is rebuilt). */
static void crash_copy(void)
{
	static const char *const ext[] = {"", "-wal", "-journal"};
	for (size_t i = 0; i < 3; i++) {
		char from[4096], to[4096];
		snprintf(from, sizeof from, "%s%s", io.path, ext[i]);
		snprintf(to, sizeof to, "%s%s", io.snap, ext[i]);
		copy_file(from, to);
	}
}

/* The error of event @p ioerr (SQLITE_IOERR_x) or 0 when this event passes. */
static int io_event(int ioerr, int is_write)
{
	if (!io.on || (io.kind == F_CRASH && !is_write))
		return 0;
	if (++io.events != io.fail_at)
		return 0;
	io.failed++;
	if (io.kind == F_CRASH)
		crash_copy();
	return io.kind == F_FULL && ioerr != SQLITE_IOERR_FSYNC ? SQLITE_FULL : ioerr;
}

static int fv_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}
static int fv_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}
static int fv_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	int rc = io_event(SQLITE_IOERR_WRITE, 1);
	return rc ? rc : REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}
static int fv_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	int rc = io_event(SQLITE_IOERR_TRUNCATE, 0);
	return rc ? rc : REAL(f)->pMethods->xTruncate(REAL(f), size);
}
/* A sync that is not failed is not made either: the crash model copies what the operating
 * system holds (a process killed, not a power cut), and real syncs made the full sweep take
 * hours on a busy disk. */
static int fv_sync(sqlite3_file *f, int flags)
{
	(void)f;
	(void)flags;
	return io_event(SQLITE_IOERR_FSYNC, 0);
}
static int fv_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int fv_lock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xLock(REAL(f), lock);
}
static int fv_unlock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), lock);
}
static int fv_check_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int fv_file_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int fv_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int fv_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int fv_shm_map(sqlite3_file *f, int pg, int size, int extend, void volatile **out)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, size, extend, out);
}
static int fv_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void fv_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int fv_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int fv_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, out);
}
static int fv_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static int fv_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags,
                   int *out_flags)
{
	(void)vfs;
	fv_file *p = (fv_file *)f;
	p->real = (sqlite3_file *)(p + 1);
	int rc = fv_real->xOpen(fv_real, name, p->real, flags, out_flags);
	f->pMethods = p->real->pMethods ? &fv_io : NULL;
	return rc;
}

/* Registered as the default VFS before libyouth's first open, so that its page checksum shim
 * stacks over this one (pagesum.c wraps whatever is the default) and the faults reach the
 * bytes as they go to disk, checksums included. */
static void fv_install(void)
{
	fv_real = sqlite3_vfs_find(NULL);
	fv_vfs = *fv_real; /* the unix VFS's other methods use only mxPathname of their vfs */
	fv_vfs.pNext = NULL;
	fv_vfs.zName = "th-faults";
	fv_vfs.szOsFile = (int)sizeof(fv_file) + fv_real->szOsFile;
	fv_vfs.xOpen = fv_open;
	fv_io = (sqlite3_io_methods){3, fv_close, fv_read, fv_write, fv_truncate, fv_sync,
	                             fv_file_size, fv_lock, fv_unlock, fv_check_reserved,
	                             fv_file_control, fv_sector_size, fv_device, fv_shm_map,
	                             fv_shm_lock, fv_shm_barrier, fv_shm_unmap, fv_fetch, fv_unfetch};
	assert_int_equal(sqlite3_vfs_register(&fv_vfs, 1), SQLITE_OK);
}

static void arm(enum fault kind, long fail_at)
{
	if (kind == F_OOM) {
		oom.calls = oom.failed = 0;
		oom.fail_at = fail_at;
		oom.on = 1;
	} else {
		io.kind = kind;
		io.events = io.failed = 0;
		io.fail_at = fail_at;
		io.on = 1;
	}
}

/* Ends the counting; returns the number of points the call went through. */
static long disarm(void)
{
	long n = oom.on ? oom.calls : io.events;
	oom.on = io.on = 0;
	return n;
}

/* ---- what a registry holds --------------------------------------------------------------- */

#define MAX_TABLES 96

/* Every table's row count and a digest of every row: the "before" state must be the same to
 * the byte; the "after" state of a call that makes new UUIDs and timestamps is compared by
 * its counts. */
typedef struct regstate {
	int n;
	char name[MAX_TABLES][64];
	int64_t rows[MAX_TABLES];
	uint64_t digest;
	int exists; /* 0: no registry (missing or empty file) */
} regstate;

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211u;
	return h;
}

/* Reads @p path (which must exist) with a raw read-only connection through the checksum
 * shim; returns non-zero if SQLite refuses it. */
static int state_read(const char *path, regstate *s)
{
	memset(s, 0, sizeof *s);
	s->digest = 1469598103934665603u;
	long size = th_file_size(path);
	if (size <= 0)
		return 0;
	s->exists = 1;
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, th_sealing_vfs());
	sqlite3_stmt *tables = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
		                        "name NOT LIKE 'sqlite_%' ORDER BY name", -1, &tables, NULL);
	while (rc == SQLITE_OK && sqlite3_step(tables) == SQLITE_ROW && s->n < MAX_TABLES) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		snprintf(s->name[s->n], sizeof s->name[0], "%s", name);
		char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
		sqlite3_stmt *rows = NULL;
		rc = sqlite3_prepare_v2(db, sql, -1, &rows, NULL);
		sqlite3_free(sql);
		int step;
		while (rc == SQLITE_OK && (step = sqlite3_step(rows)) == SQLITE_ROW) {
			s->rows[s->n]++;
			for (int c = 0; c < sqlite3_column_count(rows); c++) {
				const void *v = sqlite3_column_blob(rows, c);
				int len = sqlite3_column_bytes(rows, c);
				int type = sqlite3_column_type(rows, c);
				s->digest = fnv(s->digest, &type, sizeof type);
				s->digest = fnv(s->digest, v, (size_t)len);
			}
		}
		if (rc == SQLITE_OK && step != SQLITE_DONE)
			rc = step;
		sqlite3_finalize(rows);
		s->n++;
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	return rc;
}

static int counts_equal(const regstate *a, const regstate *b)
{
	if (a->exists != b->exists || a->n != b->n)
		return 0;
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->name[i], b->name[i]) != 0 || a->rows[i] != b->rows[i])
			return 0;
	return 1;
}

/* ---- the operations ---------------------------------------------------------------------- */

/* The base registry every point starts from: gazetteer, a staffed exchange, persons, a course
 * with a cohort, an active scholarship; and a small interchange file of two other persons. */
static struct base {
	char *dir, *path, *work, *snap, *fresh;
	unsigned char *bytes;
	size_t size;
	char *doc;
	size_t doc_len;
	int64_t exchange, op, person, spare, cohort, scholarship;
	regstate before;
	/* the start of a first load: the gazetteer, nobody in it (docs/design.md, "The first
	 * load writes its pages once") */
	char *empty_path;
	unsigned char *empty_bytes;
	size_t empty_size;
	regstate empty_before;
} base;

static int64_t add_active_scholarship(youth_registry *reg, int64_t person)
{
	youth_employer em;
	youth_employer_init(&em);
	em.name = "Almacenes Sonsonate";
	assert_ok(youth_employer_add(reg, &em));
	youth_scholarship s;
	th_scholarship(&s, person, base.op);
	assert_ok(youth_scholarship_apply(reg, &s, NULL));
	assert_ok(youth_scholarship_award(reg, s.id, "2010-01-20"));
	youth_scholarship_placement pl;
	th_placement(&pl, em.id);
	assert_ok(youth_scholarship_activate(reg, s.id, "2010-02-01", &pl));
	return s.id;
}

static int text_write(void *ctx, const char *data, size_t size)
{
	return th_text_write(ctx, data, size);
}

/* The interchange file: two persons of another registry (other UUIDs, other DUIs). */
static void make_doc(void)
{
	char *path = th_path(base.dir, "other.youth");
	youth_registry *reg = th_open_file_gazetteer(path);
	for (int i = 0; i < 2; i++)
		th_new_person(reg);
	th_text t = {0};
	youth_export_options o;
	youth_export_options_init(&o);
	assert_ok(youth_export_write(NULL, reg, text_write, &t, &o));
	youth_registry_close(reg);
	base.doc = t.data;
	base.doc_len = t.len;
	free(path);
}

static void base_build(void)
{
	base.dir = th_tmpdir();
	base.path = th_path(base.dir, "base.youth");
	base.work = th_path(base.dir, "work.youth");
	base.snap = th_path(base.dir, "snap.youth");
	base.fresh = th_path(base.dir, "fresh.youth");
	make_doc();
	youth_registry *reg = th_open_file_gazetteer(base.path);
	int64_t inactive;
	th_add_staffed_exchange(reg, YOUTH_ROLE_COUNSELLOR, YOUTH_ROLE_INTAKE, &base.exchange,
	                        &base.op, &inactive);
	base.person = th_new_person(reg);
	base.spare = th_new_person(reg);
	base.cohort = th_add_cohort(reg, base.exchange);
	base.scholarship = add_active_scholarship(reg, th_new_person(reg));
	youth_registry_close(reg);
	base.bytes = th_read_file(base.path, &base.size);
	assert_non_null(base.bytes);
	assert_int_equal(state_read(base.path, &base.before), SQLITE_OK);
	base.empty_path = th_path(base.dir, "empty.youth");
	reg = th_open_file_gazetteer(base.empty_path);
	youth_registry_close(reg);
	base.empty_bytes = th_read_file(base.empty_path, &base.empty_size);
	assert_non_null(base.empty_bytes);
	assert_int_equal(state_read(base.empty_path, &base.empty_before), SQLITE_OK);
}

static void remove_files(const char *path)
{
	static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < 4; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%s%s", path, ext[i]);
		unlink(p);
	}
}

/* The work registry back to the base (@empty: the empty one), byte for byte. */
static void restore(bool empty)
{
	remove_files(base.work);
	remove_files(base.snap);
	remove_files(base.fresh);
	th_write_file(base.work, empty ? base.empty_bytes : base.bytes,
	              empty ? base.empty_size : base.size);
}

/* An operation: the call under test on the open work registry (or, for the open operations,
 * on the path it opens). */
typedef struct op {
	const char *name;
	int (*run)(youth_registry *reg);
	/* 0: runs on base.work, open; 1: opens base.work, 2: creates base.fresh (@p reg NULL);
	 * 3: runs on base.work, open, restored from the empty registry */
	int opens;
} op;

static int op_open_new(youth_registry *reg)
{
	(void)reg;
	youth_registry *r = NULL;
	int rc = youth_registry_open(&r, base.fresh, YOUTH_OPEN_CREATE);
	youth_registry_close(r);
	return rc;
}

static int op_open_existing(youth_registry *reg)
{
	(void)reg;
	youth_registry *r = NULL;
	int rc = youth_registry_open(&r, base.work, YOUTH_OPEN_DEFAULT);
	youth_registry_close(r);
	return rc;
}

static int op_person_add(youth_registry *reg)
{
	int64_t id;
	return th_add_person(reg, &id);
}

static int op_person_update(youth_registry *reg)
{
	youth_person *p = NULL;
	int rc = youth_person_get(&p, reg, base.person);
	if (rc == YOUTH_OK) {
		p->given_names = "María José";
		p->phone = "7777-1234";
		rc = youth_person_update(reg, p, 0);
	}
	youth_person_free(p);
	return rc;
}

static int op_person_delete(youth_registry *reg)
{
	return youth_person_delete(reg, base.spare);
}

static int op_enroll(youth_registry *reg)
{
	youth_enrollment e;
	th_enrollment(&e, base.cohort, base.person, base.op);
	return youth_enrollment_apply(reg, &e, NULL);
}

static int op_pay(youth_registry *reg)
{
	youth_scholarship_payment p;
	th_payment(&p, base.scholarship, base.op, "TR-0001");
	return youth_scholarship_pay(reg, &p);
}

static int op_import(youth_registry *reg)
{
	return youth_import_buffer(NULL, reg, base.doc, base.doc_len, "small.yaml", NULL);
}

static int op_export(youth_registry *reg)
{
	th_text t = {0};
	int rc = youth_export_write(NULL, reg, text_write, &t, NULL);
	free(t.data);
	return rc;
}

static int op_report(youth_registry *reg)
{
	youth_report *r = NULL;
	youth_report_options o;
	youth_report_options_init(&o);
	o.k = 1;
	o.flags = YOUTH_REPORT_INTERNAL;
	int rc = youth_report_new(&r, reg, &o);
	th_text t = {0};
	if (rc == YOUTH_OK)
		rc = youth_report_write(text_write, &t, r, YOUTH_REPORT_CSV, 0);
	free(t.data);
	youth_report_free(r);
	return rc;
}

static const op ops[] = {
	{"open (new)", op_open_new, 2},
	{"open (existing)", op_open_existing, 1},
	{"person add", op_person_add, 0},
	{"person update", op_person_update, 0},
	{"person delete", op_person_delete, 0},
	{"enroll", op_enroll, 0},
	{"scholarship pay", op_pay, 0},
	{"import", op_import, 0},
	{"import (first load)", op_import, 3},
	{"export", op_export, 0},
	{"report", op_report, 0},
};
#define N_OPS (sizeof ops / sizeof ops[0])

/* ---- one injection point ----------------------------------------------------------------- */

/* The figures of the closing table. */
static struct tally {
	long points, total, violations, before, after, ok;
	int ran;
} tallies[N_OPS][F_KINDS];

/* Most violations printed per case: the first ones say what is wrong. */
#define SHOW_MAX 5

static void violation(struct tally *t, const op *o, enum fault k, long n, const char *fmt, ...)
{
	if (t->violations++ < SHOW_MAX) {
		va_list ap;
		va_start(ap, fmt);
		fprintf(stderr, "# VIOLATION %s, %s at point %ld: ", o->name, fault_name[k], n);
		vfprintf(stderr, fmt, ap);
		const youth_error *e = youth_error_last();
		fprintf(stderr, " (last error: %s)\n", e && e->message ? e->message : "none");
		va_end(ap);
	}
}

/* The codes a failed call may return under fault @p k. */
static int clean_code(enum fault k, int rc)
{
	if (k == F_OOM)
		return rc == YOUTH_ENOMEM;
	return rc == YOUTH_EIO || (k == F_FULL && rc == YOUTH_EFULL);
}

/* The registry at @p path as the checks see it: opened by libyouth (recovering a crash's WAL or
 * journal), integrity_check and foreign_key_check, youth check's invariants, then the raw
 * state.  Returns a description of the first problem, or NULL. */
static const char *inspect(const char *path, regstate *s)
{
	if (th_file_size(path) <= 0) {
		memset(s, 0, sizeof *s);
		return NULL;
	}
	youth_registry *reg = NULL;
	if (youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT) != YOUTH_OK)
		return "the registry does not open";
	const char *bad = NULL;
	youth_check_report *r = NULL;
	if (youth_registry_check(reg) != YOUTH_OK)
		bad = "integrity_check or foreign_key_check fails";
	else if (youth_check_run(&r, reg, 0) != YOUTH_OK)
		bad = "youth check fails to run";
	else if (youth_check_report_count(r) != 0)
		bad = "youth check reports problems";
	youth_check_report_free(r);
	youth_registry_close(reg);
	if (!bad && state_read(path, s) != SQLITE_OK)
		bad = "SQLite cannot read every table";
	return bad;
}

/* The states an operation may leave: base.before, or the state of a call that succeeded. */
typedef struct outcome {
	const regstate *before, *after;
} outcome;

static int point(const op *o, enum fault k, long n, const outcome *want, struct tally *t)
{
	restore(o->opens == 3);
	io.path = o->opens == 2 ? base.fresh : base.work;
	io.snap = base.snap;
	youth_registry *reg = NULL;
	long live0 = youth_live;
	sqlite3_int64 mem0 = sqlite3_memory_used();
	if (o->opens == 0 || o->opens == 3)
		assert_ok(youth_registry_open(&reg, base.work, YOUTH_OPEN_DEFAULT));
	youth_error_clear();
	arm(k, n);
	int rc = o->run(reg);
	long hit = k == F_OOM ? oom.failed : io.failed;
	disarm();
	youth_registry_close(reg);
	t->points++;
	if (!hit)
		return 0; /* past the last point */
	if (rc != YOUTH_OK && !clean_code(k, rc))
		violation(t, o, k, n, "returned %s", youth_error_name(rc));
	t->ok += rc == YOUTH_OK;
	if (youth_live != live0)
		violation(t, o, k, n, "%ld libyouth blocks leaked", youth_live - live0);
	if (sqlite3_memory_used() != mem0)
		violation(t, o, k, n, "%lld bytes of SQLite leaked",
		          (long long)(sqlite3_memory_used() - mem0));
	const char *path = k == F_CRASH ? base.snap : io.path;
	regstate s;
	const char *bad = inspect(path, &s);
	if (bad) {
		violation(t, o, k, n, "%s", bad);
	} else if (s.exists == want->before->exists && counts_equal(&s, want->before) &&
	           s.digest == want->before->digest) {
		t->before++;
		if (rc == YOUTH_OK && k != F_CRASH && !counts_equal(want->before, want->after))
			violation(t, o, k, n, "succeeded but left the state before the call");
	} else if (counts_equal(&s, want->after)) {
		t->after++;
	} else {
		violation(t, o, k, n, "a state that is neither before nor after the call");
	}
	return 1;
}

/* The state a successful call leaves, and the number of points it goes through. */
static long reference(const op *o, enum fault k, regstate *after)
{
	restore(o->opens == 3);
	io.path = o->opens == 2 ? base.fresh : base.work;
	io.snap = base.snap;
	youth_registry *reg = NULL;
	if (o->opens == 0 || o->opens == 3)
		assert_ok(youth_registry_open(&reg, base.work, YOUTH_OPEN_DEFAULT));
	arm(k, 0);
	int rc = o->run(reg);
	long n = disarm();
	youth_registry_close(reg);
	assert_ok(rc);
	assert_null(inspect(io.path, after));
	return n;
}

static int full_sweep(void)
{
	const char *v = getenv("YOUTH_FAULTS");
	return v && strcmp(v, "full") == 0;
}

/* YOUTH_FAULTS=K (a number): every Kth point, a sweep between the sample and the full one. */
static long stride(void)
{
	const char *v = getenv("YOUTH_FAULTS");
	long k = v ? strtol(v, NULL, 10) : 0;
	return k > 0 ? k : 0;
}

/* Points tried per case in the fast subset of `make check`. */
#define FAST_POINTS 6

typedef struct fcase {
	size_t op;
	enum fault kind;
} fcase;

static void test_faults(void **cmstate)
{
	const fcase *c = *cmstate;
	const op *o = &ops[c->op];
	struct tally *t = &tallies[c->op][c->kind];
	regstate after;
	long total = reference(o, c->kind, &after);
	outcome want = {&base.before, &after};
	regstate none = {0};
	if (o->opens == 2)
		want.before = &none; /* no registry yet */
	if (o->opens == 3)
		want.before = &base.empty_before;
	t->total = total;
	t->ran = 1;
	long step = full_sweep() || total <= FAST_POINTS ? 1 : stride() ? stride() : total / FAST_POINTS;
	/* The sample starts at the first point and spreads over all of them, offset by the kind
	 * so that the four kinds of one operation see different points. */
	long first = step > 1 ? 1 + (long)c->kind % step : 1;
	for (long n = first; n <= total; n += step)
		if (!point(o, c->kind, n, &want, t))
			break;
	printf("# %s, %s: %ld of %ld points, %ld violations (state before %ld, after %ld; "
	       "succeeded %ld)\n", o->name, fault_name[c->kind], t->points, t->total,
	       t->violations, t->before, t->after, t->ok);
	if (t->violations)
		fail_msg("%s, %s: %ld violations in %ld points", o->name, fault_name[c->kind],
		         t->violations, t->points);
}

/* The random part of the UUID of a new person of @p reg (characters 15 on: after the version). */
static void new_uuid_tail(youth_registry *reg, char out[24])
{
	youth_person p;
	th_person_valid(&p);
	assert_ok(youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT));
	memcpy(out, p.uuid + 15, YOUTH_UUID_LEN - 15 + 1);
}

/* A process that forks after making UUIDs: its children must not make the parent's next ones
 * (the load test's writer processes made duplicates: the random bits were drawn in batches that
 * fork() copied). */
static void test_uuid_after_fork(void **cmstate)
{
	(void)cmstate;
	youth_registry *reg = th_open_memory_gazetteer(); /* draws UUIDs for the places */
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	char mine[24] = "", child[24] = "";
	new_uuid_tail(reg, mine);
	if (pid == 0) {
		ssize_t w = write(fds[1], mine, sizeof mine);
		youth_registry_close(reg);
		_exit(w == (ssize_t)sizeof mine ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	/* Under valgrind the child's own exit status tells of its errors and leaks. */
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(read(fds[0], child, sizeof child), (ssize_t)sizeof child);
	close(fds[0]);
	close(fds[1]);
	youth_registry_close(reg);
	assert_string_not_equal(mine, child);
}

static int group_setup(void **cmstate)
{
	(void)cmstate;
	base_build();
	return 0;
}

static int group_teardown(void **cmstate)
{
	(void)cmstate;
	th_rmtree(base.dir);
	free(base.dir);
	free(base.path);
	free(base.work);
	free(base.snap);
	free(base.fresh);
	free(base.bytes);
	free(base.doc);
	free(base.empty_path);
	free(base.empty_bytes);
	return 0;
}

/* The closing table: per operation and fault, points tried of the points there are, and
 * violations; TAP comments, so the test driver keeps them in the log. */
static void print_table(void)
{
	/* valgrind replaces malloc in the program too, and ASan is left alone (above): libyaml's
	 * allocations are then not among the points. */
	printf("# fault injection (%s sweep): points tried/points, violations; libyaml's "
	       "allocations counted: %ld%s\n", full_sweep() ? "full" : stride() ? "strided" : "fast",
	       yaml_calls, yaml_calls ? "" : " (ASan or valgrind own malloc here)");
	printf("# %-18s", "operation");
	for (int k = 0; k < F_KINDS; k++)
		printf(" %18s", fault_name[k]);
	printf("\n");
	long points = 0, violations = 0;
	for (size_t i = 0; i < N_OPS; i++) {
		printf("# %-18s", ops[i].name);
		for (int k = 0; k < F_KINDS; k++) {
			const struct tally *t = &tallies[i][k];
			char cell[40];
			snprintf(cell, sizeof cell, "%ld/%ld, %ld", t->points, t->total, t->violations);
			printf(" %18s", t->ran ? cell : "-");
			points += t->points;
			violations += t->violations;
		}
		printf("\n");
	}
	printf("# total: %ld points, %ld violations\n", points, violations);
}

int main(void)
{
	/* Before anything initialises SQLite. */
	sqlite3_mem_methods m;
	sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sq_orig);
	m = sq_orig;
	m.xMalloc = sq_malloc;
	m.xRealloc = sq_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK) {
		fprintf(stderr, "SQLITE_CONFIG_MALLOC refused\n");
		return 1;
	}
	youth_allocator a = {ya_malloc, ya_realloc, ya_free, NULL};
	youth_set_allocator(&a);
	fv_install();
	dl_iterate_phdr(find_yaml, NULL);

	static fcase cases[N_OPS][F_KINDS];
	struct CMUnitTest tests[N_OPS * F_KINDS + 1];
	static char names[N_OPS * F_KINDS][64];
	size_t n = 0;
	for (size_t i = 0; i < N_OPS; i++)
		for (int k = 0; k < F_KINDS; k++, n++) {
			cases[i][k] = (fcase){i, (enum fault)k};
			snprintf(names[n], sizeof names[n], "%s, %s", ops[i].name, fault_name[k]);
			tests[n] = (struct CMUnitTest){names[n], test_faults, NULL, NULL, &cases[i][k]};
		}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_uuid_after_fork);
	/* YOUTH_FAULTS_ONLY / YOUTH_FAULTS_SKIP: cases by name ("import, *"), to split a sweep. */
	if (getenv("YOUTH_FAULTS_ONLY"))
		cmocka_set_test_filter(getenv("YOUTH_FAULTS_ONLY"));
	if (getenv("YOUTH_FAULTS_SKIP"))
		cmocka_set_skip_filter(getenv("YOUTH_FAULTS_SKIP"));
	int failed = _cmocka_run_group_tests("faults", tests, n, group_setup, group_teardown);
	print_table();
	return failed;
}
