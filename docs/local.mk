# `make doc` builds the API reference (HTML and man pages) from the public headers.
EXTRA_DIST += docs/Doxyfile.in docs/design.md docs/errors.md docs/gazetteer.md docs/person.md \
	docs/format.md docs/exchange.md docs/rules.md docs/courses.md

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
