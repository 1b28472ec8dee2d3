# The import benchmark (docs/benchmarks.md).  Nothing here is built by `make`, `make check` or
# installed: `make bench` builds the two programs and runs bench/run, which prints the table.
#   make bench                       # N = 100k and 1M, files in a temporary directory
#   make bench BENCH_SIZES="10000"   # other sizes; BENCH_DIR=DIR keeps the files there
EXTRA_PROGRAMS = bench/gen-census bench/bench-import

bench_gen_census_SOURCES = bench/gen_census.c
bench_gen_census_LDADD = libyouth/libyouth.la

bench_bench_import_SOURCES = bench/bench_import.c
bench_bench_import_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(YAML_CFLAGS)
bench_bench_import_LDADD = libyouth/libyouth.la $(SQLITE_LIBS) $(YAML_LIBS)

EXTRA_DIST += bench/run bench/python_route.py docs/benchmarks.md
CLEANFILES += bench/gen-census$(EXEEXT) bench/bench-import$(EXEEXT)

YOUTH_BENCH_PY = /usr/bin/python3
bench: bench/gen-census$(EXEEXT) bench/bench-import$(EXEEXT)
	BENCH_BIN=bench BENCH_PYTHON='$(YOUTH_BENCH_PY)' BENCH_DIR='$(BENCH_DIR)' \
	BENCH_GAZETTEER='$(srcdir)/examples/data/gazetteer.yaml' \
	$(SHELL) $(srcdir)/bench/run $(BENCH_SIZES)
.PHONY: bench
