/* Shared helpers of the cmocka suites (see helpers.h). */
#define _GNU_SOURCE
#include "helpers.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

/* ---- assertions ------------------------------------------------------------------------ */

static const char *last_message(void)
{
	const youth_error *e = youth_error_last();
	return (e && e->message) ? e->message : "(null)";
}

void th_check_rc(int rc, int expected, const char *expr, const char *file, int line)
{
	if (rc != expected) {
		const youth_error *e = youth_error_last();
		fail_msg("%s:%d: %s returned %d (%s), expected %d (%s); last error: code %d, "
		         "message \"%s\"",
		         file, line, expr, rc, youth_error_name(rc), expected,
		         youth_error_name(expected), e ? e->code : 0, last_message());
	}
}

void th_check_rc_in(int rc, const char *expr, const char *file, int line, int n, ...)
{
	va_list ap;
	char want[256] = "";
	int ok = 0;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		int c = va_arg(ap, int);
		if (c == rc)
			ok = 1;
		strncat(want, youth_error_name(c), sizeof want - strlen(want) - 2);
		strncat(want, " ", sizeof want - strlen(want) - 1);
	}
	va_end(ap);
	if (!ok)
		fail_msg("%s:%d: %s returned %d (%s), expected one of { %s}; message \"%s\"", file,
		         line, expr, rc, youth_error_name(rc), want, last_message());
}

int th_contains(const char *haystack, const char *needle)
{
	if (!haystack || !needle)
		return 0;
	return strcasestr(haystack, needle) != NULL;
}

void th_check_msg(const char *needle, const char *file, int line)
{
	if (!th_contains(last_message(), needle))
		fail_msg("%s:%d: error message \"%s\" does not contain \"%s\"", file, line,
		         last_message(), needle);
}

void th_check_field(const char *field, const char *file, int line)
{
	const youth_error *e = youth_error_last();
	if (!e || !th_streq(e->field, field))
		fail_msg("%s:%d: error field is \"%s\", expected \"%s\" (message \"%s\")", file, line,
		         e && e->field ? e->field : "(null)", field ? field : "(null)",
		         last_message());
}

void th_check_msg_line(int lineno, const char *file, int line)
{
	const char *msg = last_message();
	char a[32], b[32], c[32];
	snprintf(a, sizeof a, "line %d", lineno);
	snprintf(b, sizeof b, ":%d:", lineno);
	snprintf(c, sizeof c, ":%d,", lineno);
	if (!th_contains(msg, a) && !th_contains(msg, b) && !th_contains(msg, c))
		fail_msg("%s:%d: error message \"%s\" does not name line %d", file, line, msg,
		         lineno);
}

int th_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* ---- files ------------------------------------------------------------------------------ */

char *th_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl;
	if (!base || !*base)
		base = "/tmp";
	tmpl = th_path(base, "youth-test-XXXXXX");
	if (!mkdtemp(tmpl))
		fail_msg("mkdtemp(%s): %s", tmpl, strerror(errno));
	return tmpl;
}

void th_rmtree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	if (!d) {
		unlink(path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char *p;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		p = th_path(path, de->d_name);
		th_rmtree(p);
		free(p);
	}
	closedir(d);
	rmdir(path);
}

char *th_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

unsigned char *th_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, len = 0;
	if (!f) {
		*size = 0;
		return NULL;
	}
	for (;;) {
		size_t n;
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			assert_non_null(buf);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	if (!buf)
		buf = malloc(1);
	buf[len] = 0;
	*size = len;
	return buf;
}

void th_write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("fopen(%s): %s", path, strerror(errno));
	if (size && fwrite(data, 1, size, f) != size)
		fail_msg("fwrite(%s): %s", path, strerror(errno));
	if (fclose(f) != 0)
		fail_msg("fclose(%s): %s", path, strerror(errno));
}

int th_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

long th_file_size(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return -1;
	return (long)st.st_size;
}

void th_snapshot_take(th_snapshot *s, const char *path)
{
	s->data = th_read_file(path, &s->size);
	if (!s->data)
		fail_msg("cannot read %s", path);
}

/* Whether byte @i of a registry file is SQLite's change counter (header bytes 24-27, and its
 * copy at 92-95) or the page checksum of page 1 that covers it (its last 8 bytes). */
static bool th_counter_byte(const unsigned char *file, size_t size, size_t i)
{
	if (size < 100)
		return false;
	size_t page = (size_t)file[16] << 8 | file[17];
	if (page == 1)
		page = 65536;
	return (i >= 24 && i < 28) || (i >= 92 && i < 96) || (i >= page - 8 && i < page);
}

static void th_snapshot_compare(const th_snapshot *s, const char *path, bool counter,
                                const char *file, int line)
{
	size_t size;
	unsigned char *now = th_read_file(path, &size);
	char side[4096];
	if (!now)
		fail_msg("%s:%d: %s disappeared", file, line, path);
	if (size != s->size) {
		free(now);
		fail_msg("%s:%d: %s changed size: %zu bytes before, %zu after", file, line, path,
		         s->size, size);
	}
	size_t from = 0;
	if (counter) {
		while (from < size && (now[from] == s->data[from] || th_counter_byte(now, size, from)))
			from++;
		if (from == size)
			from = 0, size = 0; /* the same data */
	}
	if (memcmp(now + from, s->data + from, size - from) != 0) {
		size_t i = from;
		while (now[i] == s->data[i])
			i++;
		free(now);
		fail_msg("%s:%d: %s changed: first different byte at offset %zu", file, line, path,
		         i);
	}
	free(now);
	snprintf(side, sizeof side, "%s-wal", path);
	if (th_exists(side) && th_file_size(side) > 0)
		fail_msg("%s:%d: %s appeared next to the refused file", file, line, side);
	snprintf(side, sizeof side, "%s-journal", path);
	if (th_exists(side) && th_file_size(side) > 0)
		fail_msg("%s:%d: %s appeared next to the refused file", file, line, side);
}

void th_snapshot_check(const th_snapshot *s, const char *path, const char *file, int line)
{
	th_snapshot_compare(s, path, false, file, line);
}

void th_snapshot_check_data(const th_snapshot *s, const char *path, const char *file, int line)
{
	th_snapshot_compare(s, path, true, file, line);
}

void th_snapshot_free(th_snapshot *s)
{
	free(s->data);
	s->data = NULL;
	s->size = 0;
}

/* ---- allocators ------------------------------------------------------------------------- */

static int th_should_fail(th_alloc_state *st)
{
	st->calls++;
	if (st->fail_at > 0 &&
	    (st->calls == st->fail_at || (st->fail_all_after && st->calls > st->fail_at))) {
		st->failed++;
		return 1;
	}
	return 0;
}

static void *th_malloc(size_t size, void *ctx)
{
	th_alloc_state *st = ctx;
	void *p;
	if (th_should_fail(st))
		return NULL;
	p = malloc(size ? size : 1);
	if (p)
		st->live++;
	return p;
}

static void *th_realloc(void *ptr, size_t size, void *ctx)
{
	th_alloc_state *st = ctx;
	void *p;
	if (th_should_fail(st))
		return NULL;
	p = realloc(ptr, size ? size : 1);
	if (p && !ptr)
		st->live++;
	return p;
}

static void th_free(void *ptr, void *ctx)
{
	th_alloc_state *st = ctx;
	if (!ptr)
		return;
	st->frees++;
	st->live--;
	free(ptr);
}

void th_alloc_install(th_alloc_state *st, long fail_at, int fail_all_after)
{
	youth_allocator a;
	memset(st, 0, sizeof *st);
	st->fail_at = fail_at;
	st->fail_all_after = fail_all_after;
	a.malloc_fn = th_malloc;
	a.realloc_fn = th_realloc;
	a.free_fn = th_free;
	a.ctx = st;
	assert_int_equal(youth_set_allocator(&a), YOUTH_OK);
}

void th_alloc_restore(void)
{
	assert_int_equal(youth_set_allocator(NULL), YOUTH_OK);
}

/* ---- fault-injecting VFS ---------------------------------------------------------------- */

typedef struct th_file {
	sqlite3_file base;
	sqlite3_file *real;
} th_file;

static sqlite3_vfs th_vfs;
static sqlite3_vfs *th_orig;
static th_fault th_mode;
static long th_budget;
static long th_refusals;
static int th_read_fault;

static int th_inject(int amt)
{
	if (th_mode == TH_FAULT_NONE)
		return SQLITE_OK;
	if (th_budget >= amt) {
		th_budget -= amt;
		return SQLITE_OK;
	}
	th_refusals++;
	return th_mode == TH_FAULT_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
}

static int tf_close(sqlite3_file *f)
{
	th_file *p = (th_file *)f;
	int rc = SQLITE_OK;
	if (p->real->pMethods)
		rc = p->real->pMethods->xClose(p->real);
	return rc;
}
static int tf_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 ofs)
{
	th_file *p = (th_file *)f;
	if (th_read_fault) {
		th_refusals++;
		return SQLITE_IOERR_READ;
	}
	return p->real->pMethods->xRead(p->real, buf, amt, ofs);
}
static int tf_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 ofs)
{
	th_file *p = (th_file *)f;
	int rc = th_inject(amt);
	if (rc != SQLITE_OK)
		return rc;
	return p->real->pMethods->xWrite(p->real, buf, amt, ofs);
}
static int tf_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	th_file *p = (th_file *)f;
	return p->real->pMethods->xTruncate(p->real, size);
}
static int tf_sync(sqlite3_file *f, int flags)
{
	th_file *p = (th_file *)f;
	return p->real->pMethods->xSync(p->real, flags);
}
static int tf_filesize(sqlite3_file *f, sqlite3_int64 *size)
{
	th_file *p = (th_file *)f;
	return p->real->pMethods->xFileSize(p->real, size);
}
static int tf_lock(sqlite3_file *f, int lock)
{
	th_file *p = (th_file *)f;
	return p->real->pMethods->xLock(p->real, lock);
}
static int tf_unlock(sqlite3_file *f, int lock)
{
	th_file *p = (th_file *)f;
	return p->real->pMethods->xUnlock(p->real, lock);
}
static int tf_check_reserved(sqlite3_file *f, int *out)
{
	th_file *p = (th_file *)f;
	return p->real->pMethods->xCheckReservedLock(p->real, out);
}
static int tf_fcntl(sqlite3_file *f, int op, void *arg)
{
	th_file *p = (th_file *)f;
	return p->real->pMethods->xFileControl(p->real, op, arg);
}
static int tf_sector(sqlite3_file *f)
{
	th_file *p = (th_file *)f;
	return p->real->pMethods->xSectorSize(p->real);
}
static int tf_devchar(sqlite3_file *f)
{
	th_file *p = (th_file *)f;
	return p->real->pMethods->xDeviceCharacteristics(p->real);
}
static int tf_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	th_file *p = (th_file *)f;
	return p->real->pMethods->xShmMap(p->real, pg, pgsz, extend, pp);
}
static int tf_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	th_file *p = (th_file *)f;
	return p->real->pMethods->xShmLock(p->real, offset, n, flags);
}
static void tf_shm_barrier(sqlite3_file *f)
{
	th_file *p = (th_file *)f;
	p->real->pMethods->xShmBarrier(p->real);
}
static int tf_shm_unmap(sqlite3_file *f, int del)
{
	th_file *p = (th_file *)f;
	return p->real->pMethods->xShmUnmap(p->real, del);
}
static int tf_fetch(sqlite3_file *f, sqlite3_int64 ofs, int amt, void **pp)
{
	/* No memory-mapped I/O: every write must go through tf_write. */
	(void)f;
	(void)ofs;
	(void)amt;
	*pp = NULL;
	return SQLITE_OK;
}
static int tf_unfetch(sqlite3_file *f, sqlite3_int64 ofs, void *ptr)
{
	(void)f;
	(void)ofs;
	(void)ptr;
	return SQLITE_OK;
}

static const sqlite3_io_methods tf_methods = {
	3,
	tf_close, tf_read, tf_write, tf_truncate, tf_sync, tf_filesize, tf_lock, tf_unlock,
	tf_check_reserved, tf_fcntl, tf_sector, tf_devchar,
	tf_shm_map, tf_shm_lock, tf_shm_barrier, tf_shm_unmap,
	tf_fetch, tf_unfetch,
};

static int tv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	th_file *p = (th_file *)f;
	int rc;
	(void)vfs;
	p->real = (sqlite3_file *)(p + 1);
	memset(p->real, 0, (size_t)th_orig->szOsFile);
	rc = th_orig->xOpen(th_orig, name, p->real, flags, out);
	p->base.pMethods = p->real->pMethods ? &tf_methods : NULL;
	return rc;
}
static int tv_delete(sqlite3_vfs *v, const char *n, int sync)
{
	(void)v;
	return th_orig->xDelete(th_orig, n, sync);
}
static int tv_access(sqlite3_vfs *v, const char *n, int flags, int *out)
{
	(void)v;
	return th_orig->xAccess(th_orig, n, flags, out);
}
static int tv_fullpath(sqlite3_vfs *v, const char *n, int size, char *out)
{
	(void)v;
	return th_orig->xFullPathname(th_orig, n, size, out);
}
static void *tv_dlopen(sqlite3_vfs *v, const char *n)
{
	(void)v;
	return th_orig->xDlOpen(th_orig, n);
}
static void tv_dlerror(sqlite3_vfs *v, int n, char *msg)
{
	(void)v;
	th_orig->xDlError(th_orig, n, msg);
}
static void (*tv_dlsym(sqlite3_vfs *v, void *h, const char *s))(void)
{
	(void)v;
	return th_orig->xDlSym(th_orig, h, s);
}
static void tv_dlclose(sqlite3_vfs *v, void *h)
{
	(void)v;
	th_orig->xDlClose(th_orig, h);
}
static int tv_random(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return th_orig->xRandomness(th_orig, n, out);
}
static int tv_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return th_orig->xSleep(th_orig, us);
}
static int tv_time(sqlite3_vfs *v, double *out)
{
	(void)v;
	return th_orig->xCurrentTime(th_orig, out);
}
static int tv_lasterr(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return th_orig->xGetLastError ? th_orig->xGetLastError(th_orig, n, out) : 0;
}
static int tv_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	(void)v;
	return th_orig->xCurrentTimeInt64(th_orig, out);
}

const char *th_sealing_vfs(void)
{
	static char name[96];
	snprintf(name, sizeof name, "youth-pagesum-%s", sqlite3_vfs_find(NULL)->zName);
	if (!sqlite3_vfs_find(name)) { /* the first open registers it */
		youth_registry *reg = NULL;
		assert_int_equal(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE), YOUTH_OK);
		youth_registry_close(reg);
	}
	assert_non_null(sqlite3_vfs_find(name));
	return name;
}

void th_vfs_install(void)
{
	if (th_orig)
		return;
	assert_int_equal(sqlite3_initialize(), SQLITE_OK);
	th_orig = sqlite3_vfs_find(NULL);
	assert_non_null(th_orig);
	memset(&th_vfs, 0, sizeof th_vfs);
	th_vfs.iVersion = 2;
	th_vfs.szOsFile = (int)sizeof(th_file) + th_orig->szOsFile;
	th_vfs.mxPathname = th_orig->mxPathname;
	th_vfs.zName = "th-fault";
	th_vfs.xOpen = tv_open;
	th_vfs.xDelete = tv_delete;
	th_vfs.xAccess = tv_access;
	th_vfs.xFullPathname = tv_fullpath;
	th_vfs.xDlOpen = tv_dlopen;
	th_vfs.xDlError = tv_dlerror;
	th_vfs.xDlSym = tv_dlsym;
	th_vfs.xDlClose = tv_dlclose;
	th_vfs.xRandomness = tv_random;
	th_vfs.xSleep = tv_sleep;
	th_vfs.xCurrentTime = tv_time;
	th_vfs.xGetLastError = tv_lasterr;
	th_vfs.xCurrentTimeInt64 = tv_time64;
	assert_int_equal(sqlite3_vfs_register(&th_vfs, 1), SQLITE_OK);
}

void th_vfs_arm(th_fault fault, long budget)
{
	th_mode = fault;
	th_budget = budget;
	th_refusals = 0;
}

void th_vfs_disarm(void)
{
	th_mode = TH_FAULT_NONE;
	th_read_fault = 0;
}

void th_vfs_fail_reads(int on)
{
	th_read_fault = on;
	if (on)
		th_refusals = 0;
}

long th_vfs_refused(void)
{
	return th_refusals;
}

/* ---- registries and records ------------------------------------------------------------- */

youth_registry *th_open_memory_gazetteer(void)
{
	youth_registry *reg = NULL;
	int64_t added = -1;
	assert_ok(youth_registry_open(&reg, ":memory:", YOUTH_OPEN_CREATE));
	assert_non_null(reg);
	assert_ok(youth_gazetteer_load(&added, reg, TH_GAZETTEER));
	assert_int_equal(added, TH_GAZ_PLACES);
	return reg;
}

int th_setup_gazetteer(void **state)
{
	*state = th_open_memory_gazetteer();
	youth_error_clear();
	return 0;
}

int th_teardown_registry(void **state)
{
	youth_registry_close(*state);
	return 0;
}

int th_import_text(youth_registry *reg, const char *text, unsigned flags,
                   youth_interchange_summary *sum)
{
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = flags;
	return youth_import_buffer(sum, reg, text, strlen(text), "test.yaml", &o);
}

char *th_import_rejects(youth_registry *reg, const char *doc, size_t len, const char *name,
                        youth_interchange_summary *sum)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *rej = open_memstream(&buf, &size);
	assert_non_null(rej);
	youth_import_options o;
	youth_import_options_init(&o);
	o.flags = YOUTH_IMPORT_KEEP_GOING;
	o.rejects = rej;
	assert_ok(youth_import_buffer(sum, reg, doc, len, name, &o));
	assert_int_equal(fclose(rej), 0);
	return buf;
}

int th_text_write(void *ctx, const char *data, size_t size)
{
	th_text *t = ctx;
	if (++t->calls == t->fail_at)
		return -1;
	if (t->len + size + 1 > t->cap) {
		t->cap = (t->len + size + 1) * 2;
		t->data = realloc(t->data, t->cap);
		assert_non_null(t->data);
	}
	memcpy(t->data + t->len, data, size);
	t->len += size;
	t->data[t->len] = '\0';
	return 0;
}

int64_t th_count_persons(youth_registry *reg)
{
	int64_t n = -1;
	assert_ok(youth_person_count(&n, reg, NULL));
	return n;
}

int64_t th_count_places(youth_registry *reg, const char *under, int level)
{
	youth_place_iter *it = NULL;
	const youth_place *pl;
	int64_t n = 0;
	int rc;
	assert_ok(youth_place_iter_new(&it, reg, under, level));
	while ((rc = youth_place_next(&pl, it)) == YOUTH_OK)
		n++;
	youth_place_iter_free(it);
	assert_rc(rc, YOUTH_ITEROVER);
	return n;
}

void th_person_valid(youth_person *p)
{
	youth_person_init(p);
	p->given_names = "José Antonio";
	p->first_surname = "Hernández";
	p->second_surname = "Pérez";
	p->birth_date = "1992-05-14";
	p->sex = YOUTH_SEX_MALE;
	p->place = TH_SANTA_EUGENIA;
	p->address = "Pasaje 3, casa 12";
	p->phone = "7123-4567";
	p->education = YOUTH_EDU_LOWER_SECONDARY;
	p->studying = 1;
	p->employment = YOUTH_EMP_UNEMPLOYED;
	p->household_size = 5;
	p->disability = 0;
	p->census_date = "2009-03-02";
	p->census_round = "census-2009";
	p->job_profiles = "cook, baker";
	p->consent = 1;
	p->consent_date = "2009-03-02";
}

int th_add_person(youth_registry *reg, int64_t *id)
{
	youth_person p;
	int rc;
	th_person_valid(&p);
	rc = youth_person_add(reg, &p, YOUTH_PERSON_DEFAULT);
	if (id)
		*id = rc == YOUTH_OK ? p.id : 0;
	return rc;
}

int th_dui_digit(unsigned long base)
{
	int sum = 0;
	for (int i = 7; i >= 0; i--) {
		int d = (int)(base % 10);
		base /= 10;
		sum += d * (9 - i);
	}
	return (10 - sum % 10) % 10;
}

void th_dui(char *out, unsigned long base)
{
	snprintf(out, 11, "%08lu-%d", base % 100000000UL, th_dui_digit(base % 100000000UL));
}

void th_check_uuid(const char *uuid, const char *file, int line)
{
	static const int dash[] = {8, 13, 18, 23};
	size_t n = uuid ? strlen(uuid) : 0;
	if (n != YOUTH_UUID_LEN)
		fail_msg("%s:%d: uuid \"%s\" has %zu characters", file, line, uuid ? uuid : "(null)",
		         n);
	for (size_t i = 0, k = 0; i < n; i++) {
		if (k < 4 && (int)i == dash[k]) {
			if (uuid[i] != '-')
				fail_msg("%s:%d: uuid \"%s\": no '-' at %zu", file, line, uuid, i);
			k++;
		} else if (!((uuid[i] >= '0' && uuid[i] <= '9') ||
		             (uuid[i] >= 'a' && uuid[i] <= 'f'))) {
			fail_msg("%s:%d: uuid \"%s\": not lowercase hex at %zu", file, line, uuid, i);
		}
	}
}

#define EQ_STR(m)                                                                              \
	do {                                                                                   \
		if (!th_streq(a->m, b->m))                                                     \
			fail_msg("%s:%d: person." #m " differs: \"%s\" vs \"%s\"", file, line,   \
			         a->m ? a->m : "(null)", b->m ? b->m : "(null)");               \
	} while (0)
#define EQ_INT(m)                                                                              \
	do {                                                                                   \
		if (a->m != b->m)                                                              \
			fail_msg("%s:%d: person." #m " differs: %lld vs %lld", file, line,       \
			         (long long)a->m, (long long)b->m);                              \
	} while (0)

void th_check_person_eq(const youth_person *a, const youth_person *b, int compare_place,
                        const char *file, int line)
{
	assert_non_null(a);
	assert_non_null(b);
	EQ_INT(id);
	if (strcmp(a->uuid, b->uuid) != 0)
		fail_msg("%s:%d: person.uuid differs: \"%s\" vs \"%s\"", file, line, a->uuid, b->uuid);
	EQ_STR(national_id);
	EQ_STR(given_names);
	EQ_STR(first_surname);
	EQ_STR(second_surname);
	EQ_STR(birth_date);
	EQ_INT(sex);
	if (compare_place)
		EQ_STR(place);
	EQ_STR(address);
	EQ_STR(phone);
	EQ_INT(education);
	EQ_INT(studying);
	EQ_INT(employment);
	EQ_INT(household_size);
	EQ_INT(disability);
	EQ_STR(census_date);
	EQ_STR(census_round);
	EQ_STR(job_profiles);
	EQ_INT(consent);
	EQ_STR(consent_date);
}

/* ---- values ----------------------------------------------------------------------------- */

void th_today_utc(char *buf, int days_ahead)
{
	time_t t = time(NULL) + (time_t)days_ahead * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}

char *th_repeat(char ch, size_t n)
{
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, ch, n);
	s[n] = 0;
	return s;
}

/* ---- fixtures of the service suites ----------------------------------------------------- */

youth_registry *th_open_file_gazetteer(const char *path)
{
	youth_registry *reg = NULL;
	int64_t added = 0;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE));
	assert_ok(youth_gazetteer_load(&added, reg, TH_GAZETTEER));
	return reg;
}

/* Both setups share this: only how the registry is opened differs. */
int th_fx_setup(void **state)
{
	const th_suite *suite = *state;
	th_fx *f = calloc(1, suite->size);
	assert_non_null(f);
	f->tally = suite->tally;
	if (suite->in_file) {
		f->dir = th_tmpdir();
		f->path = th_path(f->dir, "registry.youth");
		f->reg = th_open_file_gazetteer(f->path);
	} else {
		f->reg = th_open_memory_gazetteer();
	}
	suite->populate(f);
	youth_error_clear();
	*state = f;
	return 0;
}

int th_fx_teardown(void **state)
{
	th_fx *f = *state;
	youth_registry_close(f->reg);
	if (f->dir) {
		th_rmtree(f->dir);
		free(f->dir);
		free(f->path);
	}
	free(f);
	return 0;
}

int64_t th_add_exchange(youth_registry *reg, const char *code, const char *name, const char *place)
{
	youth_exchange x;
	youth_exchange_init(&x);
	x.code = code;
	x.name = name;
	x.place = place;
	assert_ok(youth_exchange_add(reg, &x));
	return x.id;
}

int64_t th_add_operator(youth_registry *reg, int64_t exchange, const char *given_names,
                        const char *first_surname, int role, int active)
{
	youth_operator o;
	youth_operator_init(&o);
	o.exchange_id = exchange;
	o.given_names = given_names;
	o.first_surname = first_surname;
	o.role = role;
	assert_ok(youth_operator_add(reg, &o));
	if (!active) {
		o.active = 0;
		assert_ok(youth_operator_update(reg, &o));
	}
	return o.id;
}

void th_add_staffed_exchange(youth_registry *reg, int role, int inactive_role, int64_t *exchange_id,
                             int64_t *operator_id, int64_t *inactive_id)
{
	*exchange_id = th_add_exchange(reg, "SON-01", "Bolsa de empleo de Sonsonate", TH_EXCHANGE_PLACE);
	*operator_id = th_add_operator(reg, *exchange_id, "Marta", "Ramírez", role, 1);
	*inactive_id = th_add_operator(reg, *exchange_id, "Luis", "Castro", inactive_role, 0);
}

int64_t th_add_cohort(youth_registry *reg, int64_t exchange)
{
	youth_course c;
	youth_course_init(&c);
	c.code = "SOLD";
	c.title = "Soldadura";
	c.provider = "INSAFORP";
	c.hours = 120;
	assert_ok(youth_course_add(reg, &c));
	youth_cohort h;
	youth_cohort_init(&h);
	h.course_id = c.id;
	h.exchange_id = exchange;
	h.code = "SOLD-2010-1";
	h.start_date = "2010-02-01";
	h.end_date = "2010-06-30";
	h.place = TH_EXCHANGE_PLACE;
	h.capacity = 10;
	assert_ok(youth_cohort_add(reg, &h));
	return h.id;
}

void th_enrollment(youth_enrollment *e, int64_t cohort, int64_t person, int64_t op)
{
	youth_enrollment_init(e);
	e->cohort_id = cohort;
	e->person_id = person;
	e->operator_id = op;
	e->applied_date = "2010-01-15";
}

void th_scholarship(youth_scholarship *s, int64_t person, int64_t op)
{
	youth_scholarship_init(s);
	s->person_id = person;
	s->operator_id = op;
	s->applied_date = "2010-01-10";
}

void th_placement(youth_scholarship_placement *pl, int64_t employer)
{
	youth_scholarship_placement_init(pl);
	pl->employer_id = employer;
	pl->position = "sales assistant";
	pl->start_date = "2010-02-01";
	pl->end_date = "2010-04-30";
	pl->hours_per_week = 40;
	pl->monthly_stipend = 15000;
}

void th_payment(youth_scholarship_payment *p, int64_t scholarship, int64_t op,
                const char *reference)
{
	youth_scholarship_payment_init(p);
	p->scholarship_id = scholarship;
	p->operator_id = op;
	p->amount = 10000;
	p->paid_date = "2010-03-15";
	p->method = YOUTH_SCHOLARSHIP_METHOD_TRANSFER;
	p->reference = reference;
}

int64_t th_new_person(youth_registry *reg)
{
	int64_t id = 0;
	assert_ok(th_add_person(reg, &id));
	assert_true(id > 0);
	return id;
}

void th_check_field_opt(const char *field, const char *file, int line)
{
	if (field)
		th_check_field(field, file, line);
}

void th_load_rules(youth_registry *reg, const char *yaml, int64_t programmes)
{
	int64_t loaded = -1;
	assert_ok(youth_rules_load_buffer(&loaded, reg, yaml, strlen(yaml), "rules.yaml"));
	assert_int_equal(loaded, programmes);
}

int64_t th_raw_count(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

void th_raw_exec(const char *path, const char *sql, int want)
{
	sqlite3 *db = NULL;
	char *err = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	                                 th_sealing_vfs()),
	                 SQLITE_OK);
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != want) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", err ? err : "no error");
		sqlite3_free(err);
		sqlite3_close(db);
		fail_msg("raw SQL \"%s\": result %d (%s), wanted %d", sql, rc, msg, want);
	}
	sqlite3_free(err);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* ---- what a refused call must leave as it was ------------------------------------------ */

void th_values_clear(th_values *vs)
{
	vs->n = 0;
}

static struct th_value *values_append(th_values *vs, const char *name)
{
	if (vs->n >= TH_VALUES_MAX)
		fail_msg("th_values: more than %d values (at \"%s\")", TH_VALUES_MAX, name);
	struct th_value *v = &vs->v[vs->n++];
	memset(v, 0, sizeof *v);
	v->name = name;
	return v;
}

void th_values_num(th_values *vs, const char *name, int64_t num)
{
	values_append(vs, name)->num = num;
}

void th_values_text(th_values *vs, const char *name, const char *text)
{
	struct th_value *v = values_append(vs, name);
	if (!text) {
		v->kind = 2;
		return;
	}
	if (strlen(text) >= sizeof v->text)
		fail_msg("th_values: \"%s\" is longer than %d bytes", name, TH_VALUE_TEXT - 1);
	v->kind = 1;
	strcpy(v->text, text);
}

static int value_same(const struct th_value *a, const struct th_value *b)
{
	if (a->kind != b->kind || strcmp(a->name, b->name) != 0)
		return 0;
	return a->kind == 0 ? a->num == b->num : strcmp(a->text, b->text) == 0;
}

/* Appends "name before->after" to @p buf, texts quoted and NULL spelt so. */
static void value_describe(char *buf, size_t cap, const struct th_value *a,
                           const struct th_value *b)
{
	size_t len = strlen(buf);
	if (len + 1 >= cap)
		return;
	if (a->kind == 0 && b->kind == 0) {
		snprintf(buf + len, cap - len, "%s%s %lld->%lld", len ? ", " : "", a->name,
		         (long long)a->num, (long long)b->num);
		return;
	}
	snprintf(buf + len, cap - len, "%s%s \"%.60s\"->\"%.60s\"", len ? ", " : "", a->name,
	         a->kind == 2 ? "(null)" : a->text, b->kind == 2 ? "(null)" : b->text);
}

void th_values_check_same(const th_values *before, const th_values *now, const char *what,
                          const char *file, int line)
{
	char diff[1024] = "";
	if (before->n != now->n)
		fail_msg("%s:%d: %s (%d values, then %d)", file, line, what, before->n, now->n);
	for (int i = 0; i < now->n; i++)
		if (!value_same(&before->v[i], &now->v[i]))
			value_describe(diff, sizeof diff, &before->v[i], &now->v[i]);
	if (diff[0])
		fail_msg("%s:%d: %s (%s)", file, line, what, diff);
}

void th_tally(th_fx *head, th_values *out)
{
	th_values_clear(out);
	if (head->tally)
		head->tally(head, out);
	th_values_num(out, "persons", th_count_persons(head->reg));
	th_values_num(out, "changes", youth_registry_total_changes(head->reg));
}

void th_tally_check(th_fx *head, const th_values *before, const char *file, int line)
{
	th_values now;
	th_tally(head, &now);
	th_values_check_same(before, &now, "a refused call changed the registry", file, line);
}

void th_check_found(int rc, int found, const char *fn, int64_t id, const char *file, int line)
{
	if (rc != YOUTH_OK)
		fail_msg("%s:%d: %s(%lld): %s: %s", file, line, fn, (long long)id, youth_error_name(rc),
		         last_message());
	if (!found)
		fail_msg("%s:%d: %s(%lld) returned YOUTH_OK and no record", file, line, fn, (long long)id);
}

void th_check_refusal(int rc, const char *expr, int code, const char *field, const char *needle,
                      const char *file, int line)
{
	th_check_rc(rc, code, expr, file, line);
	const youth_error *e = youth_error_last();
	if (!e || e->code != code)
		fail_msg("%s:%d: %s: the error report has code %d, expected %d", file, line, expr,
		         e ? e->code : 0, code);
	th_check_field_opt(field, file, line);
	if (needle)
		th_check_msg(needle, file, line);
}

/* ---- older schema versions ----------------------------------------------------------------- */

/* What each schema version added, newest first: dropping the tables of versions above v (and
 * setting user_version = v) turns a current registry into one written by an older libyouth.
 * Dropping a table drops its indexes and triggers too.  A migration that changes an existing
 * table instead of adding one says here how to undo it (e.g. ALTER TABLE ... DROP COLUMN);
 * test_registry.c's schema_fingerprint[] proves the undo rebuilds that version exactly. */
const char *const th_added_by_version[] = {
	NULL,
	/* 1 */ "DROP TABLE person; DROP TABLE place;",
	/* 2 */ "DROP TABLE enrollment_session; DROP TABLE enrollment; DROP TABLE cohort;"
	        "DROP TABLE course; DROP TABLE eligibility_override; DROP TABLE programme_place;"
	        "DROP TABLE programme; DROP TABLE employer; DROP TABLE operator;"
	        "DROP TABLE exchange;",
	/* 3 */ "DROP TABLE enterprise_service; DROP TABLE enterprise_visit;"
	        "DROP TABLE enterprise_disbursement; DROP TABLE enterprise_plan;"
	        "DROP TABLE enterprise_member; DROP TABLE enterprise_group;"
	        "DROP TABLE scholarship_payment; DROP TABLE scholarship_installment;"
	        "DROP TABLE scholarship; DROP TABLE counselling_participant;"
	        "DROP TABLE counselling_session; DROP TABLE followup;",
	/* 4 */ "DROP TABLE place_level; DROP INDEX place_slug;",
	/* 5 */ "DROP INDEX employer_name_key; ALTER TABLE employer DROP COLUMN name_key;"
	        "DROP INDEX eligibility_override_service;",
	/* 6 */ "DROP TABLE audit_entry; DROP TABLE audit_state;",
	/* 7 */ "DROP TRIGGER person_name_forget; DROP TRIGGER person_name_renamed;"
	        "DROP TABLE person_name; DROP TABLE name_token; DROP TABLE name_token_near;",
	/* 8 */ "DROP TABLE person_alias; DROP TABLE person_merged; DROP TABLE person_merge_row;"
	        "DROP TABLE person_merge_field; DROP TABLE person_merge; DROP INDEX person_birth;"
	        "DROP TABLE duplicate_pair;",
	/* 9 */ "DROP INDEX exchange_type; ALTER TABLE exchange DROP COLUMN parent_id;"
	        "ALTER TABLE exchange DROP COLUMN type;",
	/* 10 */ "DROP TABLE consent; DROP TABLE consent_purpose;",
	/* 11 */ "DROP TABLE person_erased; DROP INDEX person_retain_until;"
	         "ALTER TABLE person DROP COLUMN retain_until; ALTER TABLE person_merged DROP COLUMN retain_until;",
	/* 12 */ NULL, /* tables rebuilt: undone in C by th_undo_version() */
	/* 13 */ NULL, /* likewise */
	/* 14 */ NULL, /* likewise */
};
const size_t th_added_by_version_count = sizeof th_added_by_version / sizeof th_added_by_version[0];

static void undo_exec(sqlite3 *db, int v, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", err ? err : "?");
		sqlite3_free(err);
		sqlite3_close(db);
		fail_msg("undoing schema version %d: %s (in %.200s)", v, msg, sql);
	}
}

/* Table @table rebuilt with @from of its stored CREATE replaced by @to, its other indexes and
 * triggers as stored except @drop_index (NULL: none): the procedure of schema.c the other way,
 * for the versions that rebuilt a table. */
static void undo_rebuild(sqlite3 *db, int v, const char *table, const char *from, const char *to,
                         const char *drop_index)
{
	sqlite3_stmt *st = NULL;
	char *create = NULL, *others[16];
	int n = 0;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT type = 'table', sql FROM sqlite_schema WHERE"
	                                        " tbl_name = ?1 AND sql IS NOT NULL AND name IS NOT"
	                                        " ?2 ORDER BY rowid", -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, drop_index, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		if (sqlite3_column_int(st, 0)) {
			const char *at = strstr(sql, from);
			assert_non_null(at);
			create = sqlite3_mprintf("%.*s%s%s", (int)(at - sql), sql, to, at + strlen(from));
		} else {
			assert_true(n < 16);
			others[n++] = sqlite3_mprintf("%s", sql);
		}
	}
	sqlite3_finalize(st);
	assert_non_null(create);
	char *q = sqlite3_mprintf("CREATE TEMP TABLE undo AS SELECT * FROM \"%w\"; DROP TABLE \"%w\";"
	                          " %s; INSERT INTO \"%w\" SELECT * FROM temp.undo; DROP TABLE temp.undo;",
	                          table, table, create, table);
	undo_exec(db, v, q);
	sqlite3_free(q);
	for (int i = 0; i < n; i++) {
		undo_exec(db, v, others[i]);
		sqlite3_free(others[i]);
	}
	sqlite3_free(create);
}

/* Version 12 rebuilt the persons' table with a named UUID index instead of the column's UNIQUE;
 * version 13 the plans' and follow-ups' with comparisons instead of IN lists in their CHECKs;
 * version 14 the enrollments', counselling participants' and follow-ups' as 12 the persons'. */
static void undo_in_c(sqlite3 *db, int v)
{
	if (v == 12) {
		undo_rebuild(db, v, "person", "uuid TEXT NOT NULL CHECK (length(uuid) = 36)",
		             "uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36)", "person_uuid");
	} else if (v == 13) {
		undo_rebuild(db, v, "enterprise_plan",
		             "CHECK ((state <> 4 AND state <> 6 AND state <> 7 AND state <> 8)"
		             " OR approved IS NOT NULL)",
		             "CHECK (state NOT IN (4, 6, 7, 8) OR approved IS NOT NULL)", NULL);
		undo_rebuild(db, v, "followup",
		             "service = 'enrollment' OR service = 'counselling' OR service = 'scholarship'"
		             " OR service = 'seed_capital' OR service = 'plan'",
		             "service IN    ('enrollment', 'counselling', 'scholarship', 'seed_capital',"
		             " 'plan')", NULL);
	} else if (v == 14) {
		static const char *const tables[] = {"enrollment", "counselling_participant",
		                                     "followup"};
		for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
			char index[64];
			snprintf(index, sizeof index, "%s_uuid", tables[i]);
			undo_rebuild(db, v, tables[i], "uuid TEXT NOT NULL CHECK (length(uuid) = 36)",
			             "uuid TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36)", index);
		}
	} else {
		fail_msg("schema version %d: no undo", v);
	}
}

void th_table_edit(const char *path, const char *table, const char *from, const char *to)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, th_sealing_vfs()),
	                 SQLITE_OK);
	undo_rebuild(db, 0, table, from, to, NULL);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

void th_undo_version(const char *path, int v)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, th_sealing_vfs()),
	                 SQLITE_OK);
	if (th_added_by_version[v])
		undo_exec(db, v, th_added_by_version[v]);
	else
		undo_in_c(db, v);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

void th_schema_downgrade(const char *path, int version)
{
	for (int v = YOUTH_SCHEMA_VERSION; v > version; v--)
		th_undo_version(path, v);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, th_sealing_vfs()),
	                 SQLITE_OK);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}
