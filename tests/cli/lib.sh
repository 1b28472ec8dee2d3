# Shared by the CLI test scripts (tests/cli/test_*.sh), which source it first:
#     . "$(dirname "$0")/lib.sh"
# It finds the tools, makes a temporary directory $tmp (removed on exit) with the registry path
# $REG in it, and defines the runner, the checks and the closing summary.
#
# Run by `make check` (automake's default driver judges each script by its exit status: 0 pass,
# 1 fail); the Makefile exports YOUTH_CLI, YOUTH_EMBED, YOUTH_EXAMPLES and YOUTH_TEST_PYTHON.
# By hand, from the build directory:
#     srcdir=/path/to/source sh /path/to/source/tests/cli/test_cli.sh
# Every check prints "ok N - ..." or "not ok N - ..." with the command's output; cli_finish
# prints the plan "1..N" and a "#" line with the number of failures, and sets the exit status.

set -u
LC_ALL=C
export LC_ALL

: "${builddir:=.}"
: "${srcdir:=.}"
YOUTH=${YOUTH_CLI:-$builddir/examples/youth/youth}
DATA=${YOUTH_EXAMPLES:-$srcdir/examples}/data
PY=${YOUTH_TEST_PYTHON:-/usr/bin/python3}
[ -x "$PY" ] || PY=python3

if [ ! -x "$YOUTH" ]; then
	echo "not ok - $YOUTH not built"
	exit 1
fi

# cli_need_python: the script's checks read JSON or CSV with Python; without it, fail at once.
cli_need_python() {
	"$PY" -c 'import json, csv' 2>/dev/null || { echo "python3 not found"; exit 1; }
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/youth-$(basename "$0" .sh).XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
REG=$tmp/test.registry
unset YOUTH_REGISTRY

n=0
failed=0
rc=0
last=

# run_youth ARGS...: runs youth with ARGS alone (stdin empty), stdout in $tmp/out, stderr in
# $tmp/err, exit status in $rc
run_youth() {
	"$YOUTH" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	last="youth $*"
}

# run_on REGISTRY ARGS...: the same on REGISTRY
run_on() {
	r=$1
	shift
	run_youth -r "$r" "$@"
}

# run ARGS...: the same on $REG
run() { run_on "$REG" "$@"; }

pass() {
	n=$((n + 1))
	echo "ok $n - $1"
}

# fail DESCRIPTION: a failed check, with what explains it: the last youth command run (if any)
# and its output, then what the test command itself printed (a diff, a message).
fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	if [ -n "$last" ]; then
		echo "#   command: $last (exit $rc)"
		sed -n '1,20s/^/#   out: /p' "$tmp/out"
		sed -n '1,20s/^/#   err: /p' "$tmp/err"
	fi
	[ -f "$tmp/why" ] && sed -n '1,30s/^/#   /p' "$tmp/why"
	return 0
}

# check DESCRIPTION TEST-COMMAND...: passes when TEST-COMMAND succeeds.  Its output (a diff's
# lines, a tool's message) goes to $tmp/why and is shown only when the check fails.
check() {
	desc=$1
	shift
	if "$@" >"$tmp/why" 2>&1; then pass "$desc"; else fail "$desc"; fi
	rm -f "$tmp/why" # a fail() called directly has no such output
}

# cli_finish: the plan, the summary line, and the exit status (1 when any check failed).
cli_finish() {
	echo "1..$n"
	if [ "$failed" -ne 0 ]; then
		echo "# $failed of $n checks failed"
		exit 1
	fi
	echo "# all $n checks passed"
	exit 0
}

# ---- checks on the last command ---------------------------------------------------------------

status_is() { [ "$rc" -eq "$1" ]; }
out_has() { grep -F -q -e "$1" "$tmp/out"; }
out_lacks() { ! grep -F -q -e "$1" "$tmp/out"; }
err_has() { grep -F -q -e "$1" "$tmp/err"; }
err_empty() { [ ! -s "$tmp/err" ]; }
out_lines() { [ "$(wc -l <"$tmp/out")" -eq "$1" ]; }
# Success: exit 0, nothing on stderr (in particular no progress bar: stderr is a file).
is_ok() { [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ]; }
# A refusal: exit 1, exactly one line "youth: <message>" on stderr, nothing on stdout.
is_error() { [ "$rc" -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && head -n 1 "$tmp/err" | grep -q '^youth: .' && [ ! -s "$tmp/out" ]; }
# A usage error: exit 2, a usage line on stderr, nothing on stdout.
is_usage() { [ "$rc" -eq 2 ] && grep -q '^usage: youth' "$tmp/err" && [ ! -s "$tmp/out" ]; }
# "ID UUID" printed by add
is_added() { is_ok && [ "$(wc -l <"$tmp/out")" -eq 1 ] && grep -Eq '^[0-9]+ [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' "$tmp/out"; }
added_id() { cut -d' ' -f1 "$tmp/out"; }
# did COMMAND...: the last command succeeded (exit 0, silent) and COMMAND... holds.
did() { is_ok && "$@"; }

# ---- JSON and CSV on stdout (cli_need_python) -------------------------------------------------

json_ok() { "$PY" -m json.tool "$tmp/out" >/dev/null 2>&1; }
# count_json: number of items of the JSON array on stdout (-1 when it is not one).
count_json() { "$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/out" 2>/dev/null || echo -1; }
# py EXPRESSION: evaluates a Python expression over the JSON on stdout (bound to `d`).
py() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1], encoding='utf-8')); sys.exit(0 if ($1) else 1)" "$tmp/out" 2>/dev/null; }
# pycsv EXPRESSION: same over the CSV on stdout, as a list of dicts `rows`.
pycsv() { "$PY" -c "import csv,sys; f=open(sys.argv[1], encoding='utf-8', newline=''); rows=list(csv.DictReader(f)); sys.exit(0 if ($1) else 1)" "$tmp/out" 2>/dev/null; }
# show_state WHAT ID MEMBER STATE: `youth WHAT show ID --format json` succeeds and its JSON has
# STATE at MEMBER (a Python subscript such as '["session"]["state"]').
show_state() { run "$1" show "$2" --format json && [ "$rc" -eq 0 ] && py "d$3 == \"$4\""; }
# Unchanged registry: the JSON listing of "$@" equals the one saved in $tmp/before.
# The saved listing must be a non-empty JSON document, so that an empty output cannot pass.
save_before() { run "$@"; cp "$tmp/out" "$tmp/before"; }
same_as_before() { [ -s "$tmp/before" ] && "$PY" -m json.tool "$tmp/before" >/dev/null 2>&1 && run "$@" && [ "$rc" -eq 0 ] && cmp -s "$tmp/out" "$tmp/before"; }

# cli_load_sample: creates $REG and loads the sample gazetteer and census (three checks).
cli_load_sample() {
	run init
	check "init" eval 'is_ok && [ -s "$REG" ]'
	run gazetteer load "$DATA/gazetteer.yaml"
	check "gazetteer load" eval 'is_ok && out_has "added 58 places"'
	run census load "$DATA/census.yaml"
	check "census load" eval 'is_ok && out_has "added 600 persons"'
}

# cli_load_exchange: on the sample (cli_load_sample), the rules, exchange SON, a counsellor
# ($OP), an intake operator ($INTAKE, its UUID $INTAKE_UUID) and an employer ($EMP, NIT
# 0614-010101-101-1) (five checks).
cli_load_exchange() {
	run rules load "$DATA/rules.yaml"
	check "rules load" eval 'is_ok && out_has "loaded 5 programmes"'
	run exchange add --code SON --name "Bolsa de Empleo Municipal de Sonsonate" \
		--place sonsonate/sonsonate-centro/sonsonate
	check "exchange add" is_added
	run operator add --exchange SON --given-names "Ana María" --first-surname "Paz" --role counsellor
	check "operator add (counsellor)" is_added
	OP=$(added_id)
	run operator add --exchange SON --given-names "Luis" --first-surname "Mejía" --role intake
	check "operator add (intake)" is_added
	INTAKE=$(added_id)
	INTAKE_UUID=$(cut -d' ' -f2 "$tmp/out")
	run employer add --name "Almacenes Sol" --sector retail --nit 0614-010101-101-1
	check "employer add" is_added
	EMP=$(added_id)
}
