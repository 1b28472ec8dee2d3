# The import, write and national-scale benchmarks (docs/benchmarks.md).  Nothing here is built by `make`,
# `make check` or installed: `make bench` builds the programs and runs bench/run, which prints
# the tables; `make bench-write` runs the write benchmark alone.
#   make bench                       # N = 100k and 1M, files in a temporary directory
#   make bench BENCH_SIZES="10000"   # other sizes; BENCH_DIR=DIR keeps the files there
#   make bench-national              # national registry (bench/gen-national), import/export
#   make bench-national BENCH_SIZES="100000 1000000" BENCH_UUIDS="7 4"
EXTRA_PROGRAMS = bench/gen-census bench/bench-import bench/bench-write bench/bench-report bench/bench-search
EXTRA_PROGRAMS += bench/bench-dups
# gen-national is also built by `make check`: tests/cli/test_national.sh imports its output.
check_PROGRAMS += bench/gen-national

bench_gen_census_SOURCES = bench/gen_census.c bench/gen_common.c bench/gen_common.h
bench_gen_census_LDADD = libyouth/libyouth.la

bench_gen_national_SOURCES = bench/gen_national.c bench/gen_common.c bench/gen_common.h
bench_gen_national_LDADD = libyouth/libyouth.la

bench_bench_import_SOURCES = bench/bench_import.c bench/bench_common.c bench/bench_common.h
bench_bench_import_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(YAML_CFLAGS)
bench_bench_import_LDADD = libyouth/libyouth.la $(SQLITE_LIBS) $(YAML_LIBS)

bench_bench_search_SOURCES = bench/bench_search.c bench/bench_common.c bench/bench_common.h
bench_bench_search_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_bench_search_LDADD = libyouth/libyouth.la $(SQLITE_LIBS)

bench_bench_write_SOURCES = bench/bench_write.c bench/bench_common.c bench/bench_common.h
bench_bench_write_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_bench_write_LDADD = libyouth/libyouth.la $(SQLITE_LIBS)

bench_bench_dups_SOURCES = bench/bench_dups.c bench/bench_common.c bench/bench_common.h
bench_bench_dups_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_bench_dups_LDADD = libyouth/libyouth.la $(SQLITE_LIBS)

bench_bench_report_SOURCES = bench/bench_report.c
bench_bench_report_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_bench_report_LDADD = libyouth/libyouth.la $(SQLITE_LIBS)

EXTRA_DIST += bench/run bench/python_route.py bench/scale_sample.py bench/report-baseline.sql \
	bench/bench_python_iter.py \
	docs/benchmarks.md examples/data/gazetteer-sv.yaml
# Two builds' imports of the same files, taking turns (docs/benchmarks.md, issue 14).
EXTRA_DIST += bench/import-ab
CLEANFILES += bench/gen-census$(EXEEXT) bench/bench-import$(EXEEXT) bench/bench-write$(EXEEXT) \
	bench/bench-report$(EXEEXT) bench/bench-search$(EXEEXT)
CLEANFILES += bench/bench-dups$(EXEEXT)

YOUTH_BENCH_PY = /usr/bin/python3
YOUTH_BENCH_ENV = BENCH_BIN=bench BENCH_PYTHON='$(YOUTH_BENCH_PY)' BENCH_DIR='$(BENCH_DIR)' \
	BENCH_GAZETTEER='$(srcdir)/examples/data/gazetteer.yaml'
bench: bench/gen-census$(EXEEXT) bench/bench-import$(EXEEXT) bench/bench-write$(EXEEXT)
	$(YOUTH_BENCH_ENV) $(SHELL) $(srcdir)/bench/run $(BENCH_SIZES)
bench-write: bench/gen-census$(EXEEXT) bench/bench-write$(EXEEXT)
	$(YOUTH_BENCH_ENV) BENCH_ONLY=write $(SHELL) $(srcdir)/bench/run $(BENCH_SIZES)
bench-national: bench/gen-national$(EXEEXT) examples/youth/youth$(EXEEXT) bench/gen-census$(EXEEXT) \
		bench/bench-import$(EXEEXT)
	$(YOUTH_BENCH_ENV) BENCH_ONLY=national $(SHELL) $(srcdir)/bench/run $(BENCH_SIZES)
# The search benchmark: BENCH_SEARCH_N persons (1M by default), files kept in BENCH_DIR
# (a temporary directory when unset); BENCH_SEARCH_LIKE queries of the 1000 also run the LIKE scan.
BENCH_SEARCH_N = 1000000
BENCH_SEARCH_LIKE = 1000
bench-search: bench/gen-census$(EXEEXT) bench/bench-search$(EXEEXT)
	@dir='$(BENCH_DIR)'; if test -z "$$dir"; then dir=`mktemp -d`; fi; \
	test -f "$$dir/census-$(BENCH_SEARCH_N).yaml" || bench/gen-census -g $(srcdir)/examples/data/gazetteer.yaml \
		-o "$$dir/census-$(BENCH_SEARCH_N).yaml" $(BENCH_SEARCH_N); \
	bench/bench-search -g $(srcdir)/examples/data/gazetteer.yaml -d "$$dir" -q 1000 \
		-l $(BENCH_SEARCH_LIKE) "$$dir/census-$(BENCH_SEARCH_N).yaml"
# The report against the analyst's GROUP BY (bench/report-baseline.sql) on a national registry:
# BENCH_REPORT_REGISTRY=FILE uses that one, else gen-national writes BENCH_SIZES persons (1M)
# and youth import loads them in BENCH_DIR (docs/benchmarks.md).
bench-report: bench/gen-national$(EXEEXT) bench/bench-report$(EXEEXT) examples/youth/youth$(EXEEXT)
	$(YOUTH_BENCH_ENV) BENCH_ONLY=report BENCH_REPORT_SQL='$(srcdir)/bench/report-baseline.sql' \
	  BENCH_REPORT_REGISTRY='$(BENCH_REPORT_REGISTRY)' $(SHELL) $(srcdir)/bench/run $(BENCH_SIZES)

# Python iteration against the sqlite3 module on the same file (bench/bench_python_iter.py,
# docs/benchmarks.md "Python iteration"): BENCH_PY_REGISTRY=FILE reads that registry (read only),
# else gen-national writes BENCH_SIZES persons (default 1000000) and youth import loads them in
# BENCH_DIR (kept there for the next run; default a temporary directory, removed).
# BENCH_ROUNDS: rounds, taking turns (default 3); BENCH_PY_FLAGS: more flags (--per-row).
bench-python: bench/gen-national$(EXEEXT) examples/youth/youth$(EXEEXT) bindings/python/stage.stamp
	@set -e; n=$${BENCH_SIZES:-1000000}; n=$${n%% *}; \
	if test -n '$(BENCH_PY_REGISTRY)'; then set -- '$(BENCH_PY_REGISTRY)'; \
	else d='$(BENCH_DIR)'; if test -z "$$d"; then d=$$(mktemp -d); trap 'rm -rf "'"$$d"'"' EXIT; fi; \
	  set -- --generate "$$n" --gen-national bench/gen-national$(EXEEXT) \
	    --youth examples/youth/youth$(EXEEXT) \
	    --gazetteer '$(srcdir)/examples/data/gazetteer-sv.yaml' --dir "$$d"; fi; \
	PYTHONPATH=bindings/python/stage LD_LIBRARY_PATH=libyouth/.libs \
	  $(YOUTH_BENCH_PY) $(srcdir)/bench/bench_python_iter.py --rounds $${BENCH_ROUNDS:-3} \
	  $(BENCH_PY_FLAGS) "$$@"
# The duplicates benchmark (docs/benchmarks.md, "Duplicates benchmark"): a gen-census file of
# BENCH_DUPS_N persons (BENCH_DUPS_CENSUS=FILE uses that one) imported once by `youth import`
# into BENCH_DIR/census-N.youth, which is kept pristine: every run plants BENCH_DUPS_PLANTED
# duplicates in a copy, BENCH_DIR/dups-work.youth.
BENCH_DUPS_N = 1000000
BENCH_DUPS_PLANTED = 20000
BENCH_DUPS_CENSUS =
bench-dups: bench/gen-census$(EXEEXT) bench/bench-dups$(EXEEXT) examples/youth/youth$(EXEEXT)
	@dir='$(BENCH_DIR)'; if test -z "$$dir"; then dir=`mktemp -d`; fi; \
	census='$(BENCH_DUPS_CENSUS)'; test -n "$$census" || census=$$dir/census-$(BENCH_DUPS_N).yaml; \
	test -f "$$census" || bench/gen-census -g $(srcdir)/examples/data/gazetteer.yaml \
		-o "$$census" $(BENCH_DUPS_N) || exit 1; \
	reg=$$dir/census-$(BENCH_DUPS_N).youth; \
	if test ! -f "$$reg"; then \
		rm -f "$$reg.tmp" && examples/youth/youth -r "$$reg.tmp" init && \
		examples/youth/youth -r "$$reg.tmp" gazetteer load $(srcdir)/examples/data/gazetteer.yaml && \
		examples/youth/youth -r "$$reg.tmp" import --quiet "$$census" && \
		mv "$$reg.tmp" "$$reg" || exit 1; \
	fi; \
	bench/bench-dups -d "$$dir" -p $(BENCH_DUPS_PLANTED) "$$reg"
.PHONY: bench bench-write bench-national bench-report bench-python bench-search bench-dups
