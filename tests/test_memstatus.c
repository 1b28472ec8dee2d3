/* youth_sqlite_memstatus(): SQLite's memory statistics turned off for the process, before SQLite
 * is first used, and refused afterwards with nothing changed.  A program of its own: the setting
 * is process-wide, and the cases run in this order. */
#include "helpers.h"

#include <sqlite3.h>

static void test_neither_on_nor_off(void **state)
{
	(void)state;
	assert_rc(youth_sqlite_memstatus(2), YOUTH_EINVAL);
	assert_msg_has("2 is neither 0 nor 1");
	assert_rc(youth_sqlite_memstatus(-1), YOUTH_EINVAL);
}

/* Off before the first registry: SQLite counts nothing, whatever a registry allocates. */
static void test_off_before_first_use(void **state)
{
	(void)state;
	assert_ok(youth_sqlite_memstatus(0));
	youth_registry *reg = th_open_memory_gazetteer();
	youth_person p;
	th_person_valid(&p);
	assert_ok(youth_person_add(reg, &p, 0));
	assert_int_equal(sqlite3_memory_used(), 0);
	youth_registry_close(reg);
}

/* Once SQLite is in use the setting cannot change: refused, named, and still off. */
static void test_too_late(void **state)
{
	(void)state;
	assert_rc(youth_sqlite_memstatus(1), YOUTH_EMISUSE);
	assert_msg_has("too late");
	assert_msg_has("before the first registry is opened");
	youth_registry *reg = th_open_memory_gazetteer();
	assert_int_equal(sqlite3_memory_used(), 0);
	youth_registry_close(reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_neither_on_nor_off),
		cmocka_unit_test(test_off_before_first_use),
		cmocka_unit_test(test_too_late),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
