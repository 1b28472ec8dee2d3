#!/bin/sh
# Every Markdown page of the documentation is run by `make check`: README.md and docs/*.md are
# exactly the pages of DOC_PAGES (tests/docs/local.mk), which the Makefile exports.
# Exit status: 0 pass, 1 fail.
: "${srcdir:=.}"
listed=$(printf '%s\n' $YOUTH_DOC_PAGES | sort)
present=$(cd "$srcdir" && { echo README.md; ls docs/*.md; } | sort)
if [ "$listed" != "$present" ]; then
	echo "not ok 1 - the pages of the docs and DOC_PAGES (tests/docs/local.mk) differ:"
	printf '%s\n' "$listed" >"${TMPDIR:-/tmp}/docs-listed.$$"
	printf '%s\n' "$present" | diff "${TMPDIR:-/tmp}/docs-listed.$$" - | sed 's/^/#   /'
	rm -f "${TMPDIR:-/tmp}/docs-listed.$$"
	exit 1
fi
echo "ok 1 - $(printf '%s\n' "$listed" | wc -l) pages, every one run by make check"
