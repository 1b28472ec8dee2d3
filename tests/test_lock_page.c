/* The page that holds SQLite's lock bytes ("pending byte", 1 GiB into the file) in the page scan
 * of youth check: SQLite never writes it, so in a registry larger than 1 GiB (a national one)
 * it is a hole of zeros, and the scan must not call it damage; a damaged page after it is still
 * found.  A white-box program of its own: SQLite's lock bytes are moved, for the whole process
 * and before any database is opened, to 128 KiB (SQLITE_TESTCTRL_PENDING_BYTE), and the library
 * told the same (youth__pending_byte), so that a small registry has the page.  Also the page
 * checksum itself, against its first definition. */
#include "private.h"

#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCK_AT 0x20000 /* 128 KiB: page 9 of 16 KiB pages */

/* ---- the page checksum itself --------------------------------------------------------------- */

/* The checksum as first written (libyouth/pagesum.c before 2026-12-07: each word put together a
 * byte at a time), which every sealed registry on disk holds: the faster code must give the
 * same eight bytes for every page, size and page number. */
static void pagesum_reference(const unsigned char *page, unsigned size, int64_t pgno,
                              unsigned char out[8])
{
	uint64_t a = 0x59u + (uint64_t)pgno, b = 0x4f55u ^ ((uint64_t)pgno << 32);
	for (unsigned i = 0; i < size - 8; i += 8) {
		uint64_t w = 0;
		for (int k = 7; k >= 0; k--)
			w = (w << 8) | page[i + (unsigned)k];
		a += w + (uint64_t)i;
		b += a;
	}
	uint64_t s = a ^ (b << 1 | b >> 63);
	for (int k = 0; k < 8; k++)
		out[k] = (unsigned char)(s >> (8 * k));
}

static void test_page_checksum_unchanged(void **state)
{
	(void)state;
	static const unsigned sizes[] = {512, 4096, 16384, 65536};
	unsigned char *page = malloc(65536);
	assert_non_null(page);
	uint64_t x = 0x9E3779B97F4A7C15u;
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
		for (int round = 0; round < 50; round++) {
			for (unsigned i = 0; i < sizes[s]; i++) { /* xorshift: every byte value */
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				page[i] = (unsigned char)(round % 5 == 0 ? 0xff : x >> 56);
			}
			int64_t pgno = round == 1 ? 1 : round == 2 ? 65537 : (int64_t)(x % 1000000) + 1;
			unsigned char want[8], got[8];
			pagesum_reference(page, sizes[s], pgno, want);
			youth__pagesum_compute(page, sizes[s], pgno, got);
			assert_memory_equal(got, want, 8);
			memcpy(page + sizes[s] - 8, got, 8);
			assert_true(youth__pagesum_ok(page, sizes[s], pgno));
			page[(unsigned)(x % (sizes[s] - 8))] ^= 0x10; /* one bit of the content */
			assert_false(youth__pagesum_ok(page, sizes[s], pgno));
		}
	free(page);
}

static youth_check_report *check(const char *path)
{
	youth_registry *reg = NULL;
	assert_ok(youth_registry_open(&reg, path, YOUTH_OPEN_DEFAULT));
	youth_check_report *r = NULL;
	assert_ok(youth_check_run(&r, reg, 0));
	for (size_t i = 0; i < youth_check_report_count(r); i++)
		print_message("# %s %lld: %s\n", youth_check_report_get(r, i)->kind,
		              (long long)youth_check_report_get(r, i)->id,
		              youth_check_report_get(r, i)->message);
	youth_registry_close(reg);
	return r;
}

static void test_lock_page_is_no_damage(void **state)
{
	(void)state;
	char *dir = th_tmpdir();
	char *path = th_path(dir, "big.youth");
	youth_registry *reg = th_open_file_gazetteer(path);
	int64_t id;
	assert_ok(youth_registry_begin(reg));
	for (int i = 0; i < 300; i++)
		assert_ok(th_add_person(reg, &id));
	assert_ok(youth_registry_commit(reg));
	youth_registry_close(reg); /* checkpointed: the main file holds every page */

	size_t size;
	unsigned char *bytes = th_read_file(path, &size);
	unsigned page_size = (unsigned)bytes[16] << 8 | bytes[17];
	int64_t lock_page = LOCK_AT / page_size + 1;
	assert_true((int64_t)(size / page_size) > lock_page + 1); /* pages on both sides of it */
	/* SQLite left it alone: not sealed, as in a national registry past 1 GiB */
	assert_false(youth__pagesum_ok(bytes + (lock_page - 1) * page_size, page_size, lock_page));
	free(bytes);

	youth_check_report *r = check(path);
	assert_int_equal(youth_check_report_count(r), 0);
	assert_true(youth_check_report_sealed(r));
	youth_check_report_free(r);

	/* A byte changed in the page after it is still damage (integrity_check, which reads it,
	 * reports it too), and the only damaged page. */
	FILE *fp = fopen(path, "r+b");
	assert_non_null(fp);
	long at = (long)(lock_page * page_size + page_size / 2);
	assert_int_equal(fseek(fp, at, SEEK_SET), 0);
	int c = fgetc(fp);
	assert_int_equal(fseek(fp, at, SEEK_SET), 0);
	assert_int_equal(fputc(c ^ 0x20, fp), c ^ 0x20);
	assert_int_equal(fclose(fp), 0);
	r = check(path);
	int pages = 0;
	for (size_t i = 0; i < youth_check_report_count(r); i++)
		if (strcmp(youth_check_report_get(r, i)->kind, "page") == 0) {
			assert_int_equal(youth_check_report_get(r, i)->id, lock_page + 1);
			pages++;
		}
	assert_int_equal(pages, 1);
	youth_check_report_free(r);
	th_rmtree(dir);
	free(path);
	free(dir);
}

int main(void)
{
	/* before any database is opened in this process */
	sqlite3_test_control(SQLITE_TESTCTRL_PENDING_BYTE, LOCK_AT);
	youth__pending_byte = LOCK_AT;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_page_is_no_damage),
		cmocka_unit_test(test_page_checksum_unchanged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
