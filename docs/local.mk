# `make doc` builds the API reference (HTML and man pages) from the public headers.
EXTRA_DIST += docs/Doxyfile.in docs/design.md docs/errors.md docs/gazetteer.md docs/person.md \
	docs/format.md docs/exchange.md docs/rules.md docs/courses.md docs/privacy.md docs/duplicates.md

if HAVE_DOXYGEN
doc: docs/Doxyfile
	$(AM_V_GEN)$(DOXYGEN) docs/Doxyfile
else
doc:
	@echo "doxygen not found: install the Debian package doxygen and re-run configure" >&2; exit 1
endif
.PHONY: doc

clean-local: clean-doc
clean-doc:
	-rm -rf docs/api
.PHONY: clean-doc
EXTRA_DIST += docs/counselling.md
EXTRA_DIST += docs/followup.md
EXTRA_DIST += docs/enterprise.md
EXTRA_DIST += docs/scholarships.md
EXTRA_DIST += docs/records.md
EXTRA_DIST += docs/privacy.md
EXTRA_DIST += docs/reliability.md

# The `youth` command-line tool is described once, in docs/cli/*.txt (format: docs/cli/README.md).
# docs/cli/gen.py (Python 3, standard library only) turns that description into the help text
# compiled into the tool, the man page, and the command reference region of docs/cli.md.
# The first two are written into the build tree by every build; the region is committed (so the
# guide reads whole on the web) and tests/cli/test_docs.sh fails while it is stale:
# `make update-cli-md` rewrites it.
CLI_DOC_FILES = \
	docs/cli/youth.txt docs/cli/snippets.txt docs/cli/init.txt docs/cli/gazetteer.txt \
	docs/cli/import.txt docs/cli/export.txt docs/cli/key.txt docs/cli/census.txt docs/cli/person.txt \
	docs/cli/summary.txt docs/cli/report.txt docs/cli/exchange.txt docs/cli/operator.txt \
	docs/cli/employer.txt \
	docs/cli/rules.txt docs/cli/programme.txt docs/cli/eligibility.txt docs/cli/course.txt \
	docs/cli/cohort.txt docs/cli/enroll.txt docs/cli/enrollment.txt docs/cli/counselling.txt \
	docs/cli/scholarship.txt docs/cli/group.txt docs/cli/plan.txt docs/cli/business-service.txt \
	docs/cli/followup.txt docs/cli/audit.txt docs/cli/check.txt docs/cli/duplicates.txt \
	docs/cli/organisation.txt
CLI_DOC_FILES += docs/cli/consent.txt
# Erasure and retention (docs/privacy.md).
CLI_DOC_FILES += docs/cli/erase.txt docs/cli/purge.txt
CLI_DOC_DEPS = $(CLI_DOC_FILES) docs/cli/gen.py
# configure finds the interpreter for the Python bindings; without them (--disable-python)
# python3 from PATH runs the generator.
CLI_DOC_GEN = py='$(PYTHON)'; $${py:-python3} $(srcdir)/docs/cli/gen.py $(srcdir)/docs/cli

examples/youth/cli-doc.h: $(CLI_DOC_DEPS)
	$(AM_V_GEN)$(MKDIR_P) examples/youth && $(CLI_DOC_GEN) header $@

nodist_man_MANS = docs/youth.1
docs/youth.1: $(CLI_DOC_DEPS) docs/cli/youth.1.in
	$(AM_V_GEN)$(MKDIR_P) docs && $(CLI_DOC_GEN) man $@ $(PACKAGE_VERSION)

update-cli-md:
	$(CLI_DOC_GEN) markdown $(srcdir)/docs/cli.md
.PHONY: update-cli-md

CLEANFILES += examples/youth/cli-doc.h docs/youth.1
EXTRA_DIST += docs/cli.md $(CLI_DOC_FILES) docs/cli/gen.py docs/cli/youth.1.in \
	docs/cli/README.md
EXTRA_DIST += docs/adding-a-kind.md
EXTRA_DIST += docs/indicators.md

# Organisations (issue 15).
EXTRA_DIST += docs/organisations.md
