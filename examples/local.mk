# The `youth` command-line tool (the reference front end), the C embedding example, the sample
# data (gazetteer + invented census of 600 youths) and the CLI tests.

bin_PROGRAMS += examples/youth/youth
examples_youth_youth_SOURCES = \
	examples/youth/cli.h \
	examples/youth/main.c \
	examples/youth/person.c \
	examples/youth/places.c \
	examples/youth/interchange.c \
	examples/youth/report.c \
	examples/youth/records.h \
	examples/youth/records.c \
	examples/youth/services.c \
	examples/youth/courses.c \
	examples/youth/followups.c \
	examples/youth/counselling.c \
	examples/youth/scholarships.c \
	examples/youth/enterprise.c \
	examples/youth/audit.c \
	examples/youth/duplicates.c \
	examples/youth/output.h \
	examples/youth/output.c
examples_youth_youth_LDADD = libyouth/libyouth.la
# Besides libtool's run path (configure's libdir), one relative to the tool (configure.ac:
# LIBDIR_FROM_BINDIR), first: installed with `make install prefix=DIR`, the tool loads DIR's
# libyouth, not one at configure's libdir or none.
if TOOL_RPATH
examples_youth_youth_LDFLAGS = $(AM_LDFLAGS) '-Wl,-rpath,$$ORIGIN/$(LIBDIR_FROM_BINDIR)'
endif
examples_youth_youth_SOURCES += examples/youth/check.c
# youth consent give|withdraw|list|purposes (issue 12).
examples_youth_youth_SOURCES += examples/youth/consent.c
TESTS += tests/cli/test_consent.sh
EXTRA_DIST += tests/cli/test_consent.sh
# youth erase, youth purge (docs/privacy.md).
examples_youth_youth_SOURCES += examples/youth/erase.c
# The help text of the commands, generated from docs/cli/ (rules in docs/local.mk).
nodist_examples_youth_youth_SOURCES = examples/youth/cli-doc.h
examples_youth_youth_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/examples/youth
BUILT_SOURCES += examples/youth/cli-doc.h

# Built with `make` so that it never rots; run by tests/cli/test_cli.sh.
noinst_PROGRAMS += examples/embed
examples_embed_SOURCES = examples/embed.c
examples_embed_LDADD = libyouth/libyouth.la

# Reads the published field description (docs/records.md); run by tests/cli/test_describe.sh.
noinst_PROGRAMS += examples/describe
examples_describe_SOURCES = examples/describe.c
examples_describe_LDADD = libyouth/libyouth.la
TESTS += tests/cli/test_describe.sh
EXTRA_DIST += tests/cli/test_describe.sh
AM_TESTS_ENVIRONMENT += \
	YOUTH_DESCRIBE='$(abs_top_builddir)/examples/describe$(EXEEXT)'; \
	YOUTH_CC='$(CC)'; YOUTH_LIBDIR='$(abs_top_builddir)/libyouth/.libs'; \
	export YOUTH_DESCRIBE YOUTH_CC YOUTH_LIBDIR;

EXTRA_DIST += \
	examples/data/gazetteer.yaml \
	examples/data/census.yaml \
	examples/data/rules.yaml \
	examples/data/make_census.py

# Adds the programme's services (exchanges, counselling, courses, scholarships, seed capital,
# the female entrepreneurship window, follow-ups) to the sample census; see
# examples/sample/services.c.  Also linked into tests/test_sample, which counts them back.
noinst_PROGRAMS += examples/sample/youth-sample-services
examples_sample_youth_sample_services_SOURCES = examples/sample/main.c \
	examples/sample/services.c examples/sample/services.h
examples_sample_youth_sample_services_LDADD = libyouth/libyouth.la

# The sample registry of the quick start: `make sample` builds examples/sample.registry in the
# build tree from the gazetteer, the census and the rules with the freshly built tools.
# libyouth.la too: a new library (a schema migration, a changed rule) makes a new sample, which
# the shared-library tool itself would not tell make about.
YOUTH_SAMPLE = examples/sample.registry
YOUTH_SAMPLE_INPUTS = $(srcdir)/examples/data/gazetteer.yaml $(srcdir)/examples/data/census.yaml

sample: $(YOUTH_SAMPLE)
.PHONY: sample

$(YOUTH_SAMPLE): $(YOUTH_SAMPLE_INPUTS) examples/youth/youth$(EXEEXT) libyouth/libyouth.la \
		examples/sample/youth-sample-services$(EXEEXT) $(srcdir)/examples/data/rules.yaml
	$(AM_V_GEN)rm -f $@ $@.tmp $@.tmp-wal $@.tmp-shm && \
	$(MKDIR_P) examples && \
	examples/youth/youth$(EXEEXT) -r $@.tmp init >/dev/null && \
	examples/youth/youth$(EXEEXT) -r $@.tmp gazetteer load $(srcdir)/examples/data/gazetteer.yaml >/dev/null && \
	examples/youth/youth$(EXEEXT) -r $@.tmp census load $(srcdir)/examples/data/census.yaml >/dev/null && \
	examples/sample/youth-sample-services$(EXEEXT) $@.tmp $(srcdir)/examples/data/rules.yaml && \
	rm -f $@.tmp-wal $@.tmp-shm && \
	mv -f $@.tmp $@

CLEANFILES += \
	$(YOUTH_SAMPLE) $(YOUTH_SAMPLE)-wal $(YOUTH_SAMPLE)-shm \
	$(YOUTH_SAMPLE).tmp $(YOUTH_SAMPLE).tmp-wal $(YOUTH_SAMPLE).tmp-shm

# Regenerate the committed census (deterministic: the same file comes out every time).
YOUTH_DATA_PY = /usr/bin/python3
census-data:
	$(YOUTH_DATA_PY) $(srcdir)/examples/data/make_census.py -o $(srcdir)/examples/data/census.yaml
.PHONY: census-data

# CLI tests: a shell script judged by its exit status (automake's default test driver).
TESTS += tests/cli/test_cli.sh tests/cli/test_services.sh tests/cli/test_programme.sh \
	tests/cli/test_interchange.sh tests/cli/test_audit.sh \
	tests/cli/test_travel.sh tests/cli/test_duplicates.sh
EXTRA_DIST += tests/cli/test_cli.sh tests/cli/test_services.sh tests/cli/test_programme.sh \
	tests/cli/test_interchange.sh tests/cli/test_audit.sh \
	tests/cli/test_travel.sh tests/cli/test_duplicates.sh
# youth erase and youth purge (docs/privacy.md).
TESTS += tests/cli/test_erase.sh
EXTRA_DIST += tests/cli/test_erase.sh
AM_TESTS_ENVIRONMENT += \
	YOUTH_CLI='$(abs_top_builddir)/examples/youth/youth$(EXEEXT)'; \
	YOUTH_EMBED='$(abs_top_builddir)/examples/embed$(EXEEXT)'; \
	YOUTH_EXAMPLES='$(abs_top_srcdir)/examples'; \
	YOUTH_TEST_PYTHON='$(YOUTH_DATA_PY)'; \
	export YOUTH_CLI YOUTH_EMBED YOUTH_EXAMPLES YOUTH_TEST_PYTHON;
# The help text, the man page and docs/cli.md against their one source, docs/cli/.
TESTS += tests/cli/test_docs.sh
EXTRA_DIST += tests/cli/test_docs.sh
# `youth report` and the summary as a report (tests/cli/test_report.sh), and the HTML page in
# headless Chromium, read back by OCR (tests/cli/test_report_browser.sh: skipped, exit 77,
# without chromium or tesseract).  Both read the sample registry.
TESTS += tests/cli/test_report.sh tests/cli/test_report_browser.sh
EXTRA_DIST += tests/cli/test_report.sh tests/cli/test_report_browser.sh tests/cli/table_seen.py
# Every script that reads the sample registry waits for it: after a library change (a new
# migration) it is rebuilt, and a parallel `make check` must not read the stale one.
tests/cli/test_report.log tests/cli/test_report_browser.log tests/cli/test_interchange.log: \
	$(YOUTH_SAMPLE)
# `youth check` on copies of the sample registry (docs/reliability.md).
TESTS += tests/cli/test_check.sh
EXTRA_DIST += tests/cli/test_check.sh
tests/cli/test_check.log: $(YOUTH_SAMPLE)

# CONAMYPE and organisations (issue 15).
TESTS += tests/cli/test_conamype.sh
EXTRA_DIST += tests/cli/test_conamype.sh

# The three examples of issue 15, each run by tests/cli/test_examples.sh: the employment-exchange
# desk (C), the analyst's indicator table and CONAMYPE's window (Python).
noinst_PROGRAMS += examples/desk
examples_desk_SOURCES = examples/desk.c
examples_desk_LDADD = libyouth/libyouth.la
TESTS += tests/cli/test_examples.sh
EXTRA_DIST += tests/cli/test_examples.sh examples/indicators.py examples/conamype.py
# Every record operand takes an id, a UUID or a code (issue 15; tests/cli/test_operands.sh).
TESTS += tests/cli/test_operands.sh
EXTRA_DIST += tests/cli/test_operands.sh
