# The examples of the documentation run as written: every page below is a test of its own, run
# by tests/docs/run-docs.py (conventions in docs/README.md, "Examples that run").  A new page
# goes in this list; tests/docs/test_pages.sh fails while a page of docs/ is missing from it.
DOC_PAGES = \
	README.md \
	docs/README.md \
	docs/guide.md \
	docs/adding-a-kind.md \
	docs/benchmarks.md \
	docs/cli.md \
	docs/counselling.md \
	docs/courses.md \
	docs/design.md \
	docs/disclosure.md \
	docs/duplicates.md \
	docs/enterprise.md \
	docs/errors.md \
	docs/exchange.md \
	docs/followup.md \
	docs/format.md \
	docs/fuzzing.md \
	docs/gazetteer.md \
	docs/indicators.md \
	docs/organisations.md \
	docs/person.md \
	docs/privacy.md \
	docs/python.md \
	docs/records.md \
	docs/reliability.md \
	docs/rules.md \
	docs/scholarships.md

TESTS += $(DOC_PAGES) tests/docs/test_pages.sh tests/docs/test_runner.sh
TEST_EXTENSIONS += .md
MD_LOG_COMPILER = $(YOUTH_DOCS_RUNNER_PY) $(top_srcdir)/tests/docs/run-docs.py
EXTRA_DIST += $(DOC_PAGES) tests/docs/run-docs.py tests/docs/test_pages.sh \
	tests/docs/test_runner.sh
AM_TESTS_ENVIRONMENT += YOUTH_DOC_PAGES='$(DOC_PAGES)'; export YOUTH_DOC_PAGES;
# configure's interpreter runs the runner (python3 from PATH without the bindings).
if ENABLE_PYTHON
YOUTH_DOCS_RUNNER_PY = $(PYTHON)
else !ENABLE_PYTHON
YOUTH_DOCS_RUNNER_PY = python3
# Without the bindings the ```python blocks are skipped (the page still runs its others).
AM_TESTS_ENVIRONMENT += YOUTH_DOCS_NO_PYTHON=1; export YOUTH_DOCS_NO_PYTHON;
endif !ENABLE_PYTHON

# The pages read the sample registry (a copy of examples/sample.registry) and import the
# build tree's package.
DOC_PAGES_DEPS = $(YOUTH_SAMPLE) examples/youth/youth$(EXEEXT) libyouth/libyouth.la
if ENABLE_PYTHON
DOC_PAGES_DEPS += bindings/python/stage.stamp
endif
$(DOC_PAGES:.md=.log) tests/docs/test_runner.log: $(DOC_PAGES_DEPS)
