/*
 * I/O error injection: the test program interposes the system calls SQLite writes with
 * (pwrite64, write, fdatasync), so a write can be made to fail with ENOSPC or EIO at any
 * point of a transaction.  Every failure must come back as a clear error and leave the
 * registry exactly as it was, on disk as well as in the open handle.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <youth.h>

#include "tests/paths.h" /* YOUTH_EXAMPLE_DATA (not helpers.h: this suite brings its own I/O) */

/* ---- interposed system calls ----------------------------------------------------------- */

static int arm = -1;        /* writes allowed before failing; -1 = never fail */
static int fail_errno = ENOSPC;
static int failures;

static bool should_fail(int fd)
{
	if (fd <= 2 || arm < 0)
		return false;
	if (arm == 0) {
		failures++;
		return true;
	}
	arm--;
	return false;
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off);
ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);
	if (!real)
		real = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
	if (should_fail(fd)) {
		errno = fail_errno;
		return -1;
	}
	return real(fd, buf, n, off);
}

ssize_t write(int fd, const void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	if (!real)
		real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	if (should_fail(fd)) {
		errno = fail_errno;
		return -1;
	}
	return real(fd, buf, n);
}

int fdatasync(int fd);
int fdatasync(int fd)
{
	static int (*real)(int);
	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	/* A full disk shows up in write(); a failing fsync is the I/O-error case. */
	if (fail_errno == EIO && should_fail(fd)) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}

/* ---- fixtures ---------------------------------------------------------------------------- */

static char dir[64], path[128];

static const char batch[] =
	"format: libyouth/1\n"
	"persons:\n"
	"  - {given_names: Ana María, first_surname: López, birth_date: 1991-04-02, sex: female,\n"
	"     place: Santa Eugenia, census_date: 2009-03-02, census_round: census-2009}\n"
	"  - {given_names: Carlos Ernesto, first_surname: Ramos, birth_date: 1990-11-30, sex: male,\n"
	"     place: Atonal, census_date: 2009-03-02, census_round: census-2009}\n"
	"  - {given_names: Wendy Yamileth, first_surname: Cruz, birth_date: 1992-01-15, sex: female,\n"
	"     place: Lúe, census_date: 2009-03-03, census_round: census-2009}\n";

static int64_t count(youth_registry *reg)
{
	int64_t n = -1;
	assert_int_equal(youth_person_count(&n, reg, NULL), YOUTH_OK);
	return n;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/youth-io-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/r.registry", dir);
	youth_registry *reg;
	assert_int_equal(youth_registry_open(&reg, path, YOUTH_OPEN_CREATE), YOUTH_OK);
	assert_int_equal(youth_gazetteer_load(NULL, reg, YOUTH_EXAMPLE_DATA "/gazetteer.yaml"),
	                 YOUTH_OK);
	assert_int_equal(youth_census_load_buffer(NULL, reg, batch, sizeof batch - 1, "batch", 0),
	                 YOUTH_OK);
	youth_registry_close(reg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

/* A second batch with other people, loaded while writes fail at every possible point. */
static const char batch2[] =
	"format: libyouth/1\n"
	"persons:\n"
	"  - {given_names: Rosa Elena, first_surname: Pérez, birth_date: 1990-06-01, sex: female,\n"
	"     place: El Sauce, census_date: 2009-03-05, census_round: census-2009}\n"
	"  - {given_names: Luis Alonso, first_surname: Mejía, birth_date: 1989-09-09, sex: male,\n"
	"     place: Metalío, census_date: 2009-03-05, census_round: census-2009}\n";

static void run_failing(int err, int expected_code)
{
	int completed = 0;
	for (int k = 0; k < 200 && !completed; k++) {
		youth_registry *reg;
		assert_int_equal(youth_registry_open(&reg, path, 0), YOUTH_OK);
		int64_t before = count(reg);
		fail_errno = err;
		failures = 0;
		arm = k;
		int rc = youth_census_load_buffer(NULL, reg, batch2, sizeof batch2 - 1, "batch2",
		                                  0);
		arm = -1;
		if (failures == 0) {
			/* Enough writes allowed: the load went through; the failing points are covered. */
			assert_int_equal(rc, YOUTH_OK);
			assert_int_equal(count(reg), before + 2);
			completed = 1;
		} else if (rc == YOUTH_OK) {
			/* The failed write was one SQLite may retry or skip (e.g. a WAL checkpoint after
			 * the commit): the data must then be complete. */
			assert_int_equal(count(reg), before + 2);
			completed = 1;
		} else {
			assert_int_equal(rc, expected_code);
			assert_non_null(strstr(youth_error_last()->message, "load census"));
			assert_int_equal(count(reg), before);
		}
		youth_registry_close(reg);
		/* On disk too, for a fresh connection. */
		assert_int_equal(youth_registry_open(&reg, path, 0), YOUTH_OK);
		assert_int_equal(youth_registry_check(reg), YOUTH_OK);
		assert_int_equal(count(reg), completed ? before + 2 : before);
		youth_registry_close(reg);
	}
	assert_true(completed);
}

static void test_disk_full_at_every_write(void **state)
{
	(void)state;
	run_failing(ENOSPC, YOUTH_EFULL);
}

static void test_io_error_at_every_write(void **state)
{
	(void)state;
	run_failing(EIO, YOUTH_EIO);
}

static void test_disk_full_message(void **state)
{
	(void)state;
	youth_registry *reg;
	assert_int_equal(youth_registry_open(&reg, path, 0), YOUTH_OK);
	youth_person p;
	youth_person_init(&p);
	p.given_names = "Kevin Alexander";
	p.first_surname = "Orellana";
	p.birth_date = "1991-02-11";
	p.sex = YOUTH_SEX_MALE;
	p.place = "IVU";
	p.census_date = "2009-03-06";
	p.census_round = "census-2009";
	fail_errno = ENOSPC;
	arm = 0;
	int rc = youth_person_add(reg, &p, 0);
	arm = -1;
	assert_int_equal(rc, YOUTH_EFULL);
	assert_non_null(strstr(youth_error_last()->message, "disk full"));
	assert_int_equal(p.id, 0);
	assert_int_equal(count(reg), 3);
	/* The handle stays usable once space is back. */
	assert_int_equal(youth_person_add(reg, &p, 0), YOUTH_OK);
	assert_int_equal(count(reg), 4);
	youth_registry_close(reg);
}

/* Garbage in the middle of the file: open may succeed (the header is intact), but the check
 * and every read report damage instead of crashing or returning garbage. */
static void test_corrupt_pages(void **state)
{
	(void)state;
	youth_registry *reg;
	assert_int_equal(youth_registry_open(&reg, path, 0), YOUTH_OK);
	youth_registry_close(reg); /* checkpoints the WAL into the main file */
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	struct stat sb;
	assert_int_equal(fstat(fd, &sb), 0);
	char junk[4096];
	memset(junk, 0xA5, sizeof junk);
	for (off_t off = 4096; off + (off_t)sizeof junk <= sb.st_size; off += 4096)
		assert_int_equal(pwrite(fd, junk, sizeof junk, off), (ssize_t)sizeof junk);
	close(fd);
	int rc = youth_registry_open(&reg, path, 0);
	if (rc == YOUTH_OK) {
		assert_int_equal(youth_registry_check(reg), YOUTH_ECORRUPT);
		int64_t n;
		assert_int_equal(youth_person_count(&n, reg, NULL), YOUTH_ECORRUPT);
		youth_registry_close(reg);
	} else {
		assert_int_equal(rc, YOUTH_ECORRUPT);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_disk_full_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disk_full_at_every_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_error_at_every_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_pages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
