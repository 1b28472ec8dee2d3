#!/bin/sh
# The HTML report in a real browser: `youth report --format html` on the sample registry,
# rendered by Debian's headless Chromium, photographed, read back by OCR (tesseract), and the
# rows of the page's table must be on the picture (tests/cli/table_seen.py).
#
# The check must be able to fail: the same page without its tables, with its cells drawn white
# on white, and with only its figures white, are photographed too and must NOT pass.  A check
# that passed those would prove nothing about the real page.
#
# Exit 77 (automake: skipped) when chromium or tesseract is not installed; .ci/install-deps
# installs both.  Set-up and checks: tests/cli/lib.sh.

. "$(dirname "$0")/lib.sh"
cli_need_python

CHROMIUM=
for c in chromium chromium-browser; do
	if command -v "$c" >/dev/null 2>&1; then CHROMIUM=$c && break; fi
done
if [ -z "$CHROMIUM" ] || ! command -v tesseract >/dev/null 2>&1; then
	echo "1..0 # SKIP headless chromium or tesseract not installed (.ci/install-deps)"
	exit 77
fi
SAMPLE=${YOUTH_SAMPLE:-$(dirname "$YOUTH")/../sample.registry}
SEEN=$srcdir/tests/cli/table_seen.py
[ -f "$SEEN" ] || SEEN=$(dirname "$0")/table_seen.py

# shoot PAGE PNG: a screenshot of PAGE, 1280x900 CSS pixels.  Chromium needs a writable home
# and profile (its own, thrown away), and no sandbox: as root (CI containers) it refuses to
# start with one, and in containers without user namespaces it cannot make one; the page is
# our own file with no script.
shoot() {
	HOME=$tmp/home timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--hide-scrollbars --no-first-run --user-data-dir="$tmp/profile" \
		--window-size=1280,900 --screenshot="$2" "file://$1" >"$tmp/chromium.log" 2>&1 &&
		[ -s "$2" ] || { echo "chromium failed:"; tail -n 5 "$tmp/chromium.log"; return 1; }
}
# seen PAGE: the table of the report page (what it says in $tmp/page.html) is read on the
# screenshot of PAGE.
seen() {
	shoot "$1" "$tmp/shot.png" && tesseract "$tmp/shot.png" "$tmp/ocr" >/dev/null 2>&1 &&
		"$PY" "$SEEN" "$tmp/page.html" "$tmp/ocr.txt"
}
not_seen() { ! seen "$@"; }

mkdir -p "$tmp/home"
if [ ! -f "$SAMPLE" ]; then
	fail "the sample registry $SAMPLE is built (make sample)"
	cli_finish
fi
run_on "$SAMPLE" report --by municipality,sex --at 2009-04-30 --format html
cp "$tmp/out" "$tmp/page.html"
check "report --format html on the sample registry" eval 'is_ok && out_has "<table class=\"report\""'
check "Chromium shows the table: its first rows are read on the screenshot" seen "$tmp/page.html"

# The negative controls: the same page without its tables (the charts, which name the same
# places with figures, come up into the window), with its cells white on white, and with only
# its figures white on white.
sed 's|</style>|table.report{display:none}</style>|' "$tmp/page.html" >"$tmp/hidden.html"
check "the check fails on the page without its tables (charts in view)" not_seen "$tmp/hidden.html"
sed 's|</style>|table.report th,table.report td{color:#fff}</style>|' "$tmp/page.html" >"$tmp/blank.html"
check "the check fails on the page with its table blank" not_seen "$tmp/blank.html"
sed 's|</style>|table.report td.n{color:#fff}</style>|' "$tmp/page.html" >"$tmp/nofigures.html"
check "the check fails on the page with the table's figures blank" not_seen "$tmp/nofigures.html"

cli_finish
