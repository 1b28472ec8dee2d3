/* The page that holds SQLite's lock bytes ("pending byte", 1 GiB into the file) in the page scan
 * of youth check: SQLite never writes it, so in a registry larger than 1 GiB (a national one)
 * it is a hole of zeros, and the scan must not call it damage; a damaged page after it is still
 * found.  A white-box program of its own: SQLite's lock bytes are moved, for the whole process
 * and before any database is opened, to 128 KiB (SQLITE_TESTCTRL_PENDING_BYTE), and the library
 * told the same (youth__pending_byte), so that a small registry has the page. */
#include "private.h"

#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCK_AT 0x20000 /* 128 KiB: page 9 of 16 KiB pages */

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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
