#!/bin/sh
# The three examples of issue 15 run as a reader would run them, and print what their pages
# say: the desk (examples/desk.c), CONAMYPE's window (examples/conamype.py) and the analyst's
# indicator table (examples/indicators.py).  Set-up, checks and summary: tests/cli/lib.sh.

. "$(dirname "$0")/lib.sh"
cli_need_python

BUILD=$(dirname "$(dirname "$YOUTH_CLI")")
DESK=$BUILD/desk
STAGE=$BUILD/../bindings/python/stage
EX=${YOUTH_EXAMPLES:-$srcdir/examples}

# ---- the desk (C) ---------------------------------------------------------------------------

"$DESK" "$tmp/desk.registry" "$DATA" 7 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "desk: exit 0" eval '[ "$rc" -eq 0 ]'
check "desk: the youth of the census" grep -q '^youth 7: ' "$tmp/out"
check "desk: timeline with the census, the enrollment, the scholarship and its payment" \
	eval 'grep -q "^2009-02-02 census" "$tmp/out" && grep -q " enrollment .*SOLD-2009-1" "$tmp/out" &&
	      grep -q " scholarship .*active" "$tmp/out" && grep -q " scholarship_payment .*T-0001" "$tmp/out"'
"$DESK" "$tmp/desk2.registry" "$DATA" 99999 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "desk: a youth that is not in the census is refused by name" \
	eval '[ "$rc" -eq 1 ] && grep -q "person 99999: no such person" "$tmp/err"'

# ---- the Python examples --------------------------------------------------------------------

if [ -f "$STAGE/youth/__init__.py" ]; then
	export PYTHONPATH="$STAGE" LD_LIBRARY_PATH="$YOUTH_LIBDIR"
	"$PY" "$EX/conamype.py" "$tmp/cm.registry" "$DATA" >"$tmp/out" 2>"$tmp/err"; rc=$?
	check "conamype.py: exit 0" eval '[ "$rc" -eq 0 ]'
	check "conamype.py: recorded by CONAMYPE's centre, funded in two, visited" \
		eval 'grep -q "recorded by CM-SON" "$tmp/out" &&
		      grep -q "approved 700.00, disbursed 700.00, remaining 0.00" "$tmp/out" &&
		      grep -q "visit 2009-07-01: operating True, 2 jobs" "$tmp/out"'
	check "conamype.py: the window's report" \
		grep -q "'window': 'female_window', 'women_group_plans': 1, 'women_reached': 3" "$tmp/out"
	"$PY" "$EX/indicators.py" "$tmp/cm.registry" "$tmp/ind.csv" >"$tmp/out" 2>"$tmp/err"; rc=$?
	check "indicators.py: exit 0, cells suppressed" \
		eval '[ "$rc" -eq 0 ] && grep -Eq "^[0-9]+ rows, [1-9][0-9]* suppressed cells" "$tmp/out"'
	check "indicators.py: municipality x sex x age band, suppression on" \
		eval 'head -n1 "$tmp/ind.csv" | grep -q "^municipality,sex,age_band,census," &&
		      grep -q ",suppressed" "$tmp/ind.csv"'
fi

cli_finish
