# libFuzzer target for the YAML import (docs/fuzzing.md).  Built only with
# `configure CC=clang --enable-fuzz`; a default build does not touch it.  The library sources
# are compiled into the fuzzer itself, instrumented for coverage and with ASan + UBSan.
if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_import
tests_fuzz_fuzz_import_SOURCES = tests/fuzz/fuzz_import.c $(libyouth_libyouth_la_SOURCES)
tests_fuzz_fuzz_import_CPPFLAGS = $(YOUTH_CPPFLAGS) -I$(top_srcdir)/libyouth
tests_fuzz_fuzz_import_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS) $(SQLITE_CFLAGS) $(YAML_CFLAGS) $(SODIUM_CFLAGS)
tests_fuzz_fuzz_import_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_import_LDADD = $(SQLITE_LIBS) $(YAML_LIBS) $(SODIUM_LIBS)
endif
EXTRA_DIST += tests/fuzz/fuzz_import.c tests/fuzz/corpus tests/fuzz/yaml.dict docs/fuzzing.md
