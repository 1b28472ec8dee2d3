# cmocka suites: one program per subsystem, run through automake's TAP driver so every case is
# reported on its own.  Python tests are registered in bindings/python/local.mk.
if ENABLE_TESTS
YOUTH_C_TESTS = \
	tests/test_util \
	tests/test_registry \
	tests/test_gazetteer \
	tests/test_person \
	tests/test_io

check_PROGRAMS += $(YOUTH_C_TESTS)
TESTS += $(YOUTH_C_TESTS)

TESTS_CPPFLAGS = $(AM_CPPFLAGS) -DYOUTH_TEST_DATA='"$(abs_top_srcdir)/tests/data"' \
	-DYOUTH_EXAMPLE_DATA='"$(abs_top_srcdir)/examples/data"'
TESTS_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
TESTS_LDADD = libyouth/libyouth.la tests/libtesthelp.la $(CMOCKA_LIBS) $(SQLITE_LIBS)

noinst_LTLIBRARIES = tests/libtesthelp.la
tests_libtesthelp_la_SOURCES = tests/helpers.c tests/helpers.h
tests_libtesthelp_la_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_libtesthelp_la_CFLAGS = $(TESTS_CFLAGS)

tests_test_util_SOURCES = tests/test_util.c
tests_test_util_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_util_CFLAGS = $(TESTS_CFLAGS)
tests_test_util_LDADD = $(TESTS_LDADD)

tests_test_registry_SOURCES = tests/test_registry.c
tests_test_registry_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_registry_CFLAGS = $(TESTS_CFLAGS)
tests_test_registry_LDADD = $(TESTS_LDADD)

tests_test_gazetteer_SOURCES = tests/test_gazetteer.c
tests_test_gazetteer_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_gazetteer_CFLAGS = $(TESTS_CFLAGS)
tests_test_gazetteer_LDADD = $(TESTS_LDADD)

tests_test_person_SOURCES = tests/test_person.c
tests_test_person_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_person_CFLAGS = $(TESTS_CFLAGS)
tests_test_person_LDADD = $(TESTS_LDADD)

tests_test_io_SOURCES = tests/test_io.c
tests_test_io_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_io_CFLAGS = $(TESTS_CFLAGS)
tests_test_io_LDADD = $(TESTS_LDADD) -ldl

LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
AM_TESTS_ENVIRONMENT += CMOCKA_MESSAGE_OUTPUT=TAP; export CMOCKA_MESSAGE_OUTPUT;
endif
EXTRA_DIST += tests/data
# Courses, cohorts and enrollments.
if ENABLE_TESTS
check_PROGRAMS += tests/test_course
TESTS += tests/test_course
tests_test_course_SOURCES = tests/test_course.c
tests_test_course_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_course_CFLAGS = $(TESTS_CFLAGS)
tests_test_course_LDADD = $(TESTS_LDADD)
endif
# Exchanges, operators, employers; programme rules and eligibility.  test_rules is white-box:
# it is linked with the library's objects (not libyouth.so, which hides youth__*) so that it
# can drive youth__eligibility() with overrides and youth__operator_check() directly.
if ENABLE_TESTS
check_PROGRAMS += tests/test_exchange tests/test_rules
TESTS += tests/test_exchange tests/test_rules
tests_test_exchange_SOURCES = tests/test_exchange.c
tests_test_exchange_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_exchange_CFLAGS = $(TESTS_CFLAGS)
tests_test_exchange_LDADD = $(TESTS_LDADD)
tests_test_rules_SOURCES = tests/test_rules.c $(libyouth_libyouth_la_SOURCES)
tests_test_rules_CPPFLAGS = $(TESTS_CPPFLAGS) -I$(top_srcdir)/libyouth
tests_test_rules_CFLAGS = $(TESTS_CFLAGS) $(YAML_CFLAGS)
tests_test_rules_LDADD = tests/libtesthelp.la $(CMOCKA_LIBS) $(SQLITE_LIBS) $(YAML_LIBS)
endif
# Counselling, scholarships, enterprise, follow-ups.
if ENABLE_TESTS
YOUTH_SERVICE_TESTS = tests/test_counselling tests/test_scholarship tests/test_enterprise \
	tests/test_followup
check_PROGRAMS += $(YOUTH_SERVICE_TESTS)
TESTS += $(YOUTH_SERVICE_TESTS)
tests_test_counselling_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_counselling_CFLAGS = $(TESTS_CFLAGS)
tests_test_counselling_LDADD = $(TESTS_LDADD)
tests_test_scholarship_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_scholarship_CFLAGS = $(TESTS_CFLAGS)
tests_test_scholarship_LDADD = $(TESTS_LDADD)
tests_test_enterprise_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_enterprise_CFLAGS = $(TESTS_CFLAGS)
tests_test_enterprise_LDADD = $(TESTS_LDADD)
tests_test_followup_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_followup_CFLAGS = $(TESTS_CFLAGS)
tests_test_followup_LDADD = $(TESTS_LDADD)
endif
# Interchange sections of the enterprise area (linked with the sample generator).
if ENABLE_TESTS
check_PROGRAMS += tests/test_interchange_enterprise
TESTS += tests/test_interchange_enterprise
tests_test_interchange_enterprise_SOURCES = tests/test_interchange_enterprise.c \
	examples/sample/services.c
tests_test_interchange_enterprise_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_interchange_enterprise_CFLAGS = $(TESTS_CFLAGS)
tests_test_interchange_enterprise_LDADD = $(TESTS_LDADD)
endif
# The person timeline.
if ENABLE_TESTS
check_PROGRAMS += tests/test_timeline
TESTS += tests/test_timeline
tests_test_timeline_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_timeline_CFLAGS = $(TESTS_CFLAGS)
tests_test_timeline_LDADD = $(TESTS_LDADD)
endif
# The sample registry reproduces the programme's figures.
if ENABLE_TESTS
check_PROGRAMS += tests/test_sample
TESTS += tests/test_sample
tests_test_sample_SOURCES = tests/test_sample.c examples/sample/services.c
tests_test_sample_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_sample_CFLAGS = $(TESTS_CFLAGS)
tests_test_sample_LDADD = $(TESTS_LDADD)
endif
# Interchange: import and export of libyouth/1 files.
if ENABLE_TESTS
check_PROGRAMS += tests/test_interchange
TESTS += tests/test_interchange
tests_test_interchange_SOURCES = tests/test_interchange.c
tests_test_interchange_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_interchange_CFLAGS = $(TESTS_CFLAGS)
tests_test_interchange_LDADD = $(TESTS_LDADD)
endif
# Interchange sections of the services to people: counselling, scholarships, follow-ups.
if ENABLE_TESTS
check_PROGRAMS += tests/test_interchange_people
TESTS += tests/test_interchange_people
tests_test_interchange_people_SOURCES = tests/test_interchange_people.c
tests_test_interchange_people_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_interchange_people_CFLAGS = $(TESTS_CFLAGS)
tests_test_interchange_people_LDADD = $(TESTS_LDADD)
endif
# Interchange sections of the programme services (programmes, exchanges, operators, employers,
# courses, cohorts, enrollments); links the sample generator for the whole-sample round trip.
if ENABLE_TESTS
check_PROGRAMS += tests/test_interchange_course
TESTS += tests/test_interchange_course
tests_test_interchange_course_SOURCES = tests/test_interchange_course.c \
	examples/sample/services.c
tests_test_interchange_course_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_interchange_course_CFLAGS = $(TESTS_CFLAGS)
tests_test_interchange_course_LDADD = $(TESTS_LDADD)
endif
# Hostile input for the YAML import: every case of docs/format.md's policy against a registry
# file that must stay byte-for-byte unchanged.
if ENABLE_TESTS
check_PROGRAMS += tests/test_import_hostile
TESTS += tests/test_import_hostile
tests_test_import_hostile_SOURCES = tests/test_import_hostile.c
tests_test_import_hostile_CPPFLAGS = $(TESTS_CPPFLAGS)
tests_test_import_hostile_CFLAGS = $(TESTS_CFLAGS)
tests_test_import_hostile_LDADD = $(TESTS_LDADD)
endif
# Large imports: the deferred person index, the page size, the reader thread's hand-over.
# White-box like test_rules: linked with the library's objects.
if ENABLE_TESTS
check_PROGRAMS += tests/test_import_bulk
TESTS += tests/test_import_bulk
tests_test_import_bulk_SOURCES = tests/test_import_bulk.c $(libyouth_libyouth_la_SOURCES)
tests_test_import_bulk_CPPFLAGS = $(TESTS_CPPFLAGS) -I$(top_srcdir)/libyouth
tests_test_import_bulk_CFLAGS = $(TESTS_CFLAGS) $(YAML_CFLAGS)
tests_test_import_bulk_LDADD = tests/libtesthelp.la $(CMOCKA_LIBS) $(SQLITE_LIBS) $(YAML_LIBS) -lpthread
endif
# The state-machine helper (libyouth/state.c); white-box like test_rules.
if ENABLE_TESTS
check_PROGRAMS += tests/test_state
TESTS += tests/test_state
tests_test_state_SOURCES = tests/test_state.c $(libyouth_libyouth_la_SOURCES)
tests_test_state_CPPFLAGS = $(TESTS_CPPFLAGS) -I$(top_srcdir)/libyouth
tests_test_state_CFLAGS = $(TESTS_CFLAGS) $(YAML_CFLAGS)
tests_test_state_LDADD = tests/libtesthelp.la $(CMOCKA_LIBS) $(SQLITE_LIBS) $(YAML_LIBS) -lpthread
endif
