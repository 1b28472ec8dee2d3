#!/bin/sh
# The docs runner (tests/docs/run-docs.py) against small pages: what passes must pass (state
# carried from block to block, expected output with `...`, file=, status=, norun, C fragments
# joined into one program), and each kind of broken example must fail the page.
# Run by `make check` with the environment it gives the tests.  Exit status: 0 pass, 1 fail.
set -u
: "${YOUTH_TOP_SRCDIR:=${srcdir:-.}}"
RUNNER=$YOUTH_TOP_SRCDIR/tests/docs/run-docs.py
PY=${YOUTH_PYTHON:-python3}
[ -n "$PY" ] || PY=python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/youth-docs-runner.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0
F='```'

# expect STATUS NAME: runs the page $tmp/page.md and compares the runner's exit status.
expect() {
	n=$((n + 1))
	"$PY" "$RUNNER" "$tmp/page.md" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" -eq "$1" ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2 (runner exit status $got, expected $1)"
		sed 's/^/#   /' "$tmp/out"
		failed=$((failed + 1))
	fi
}

cat >"$tmp/page.md" <<EOF
# A page whose examples work

${F}sh
greeting=hola
cd examples
export WHO=mundo
${F}

${F}sh
echo "\$greeting \$WHO from \$(basename "\$PWD")"
youth --version
${F}

${F}text
hola mundo from examples
youth ...
${F}

${F}yaml file=note.txt
a note
${F}

${F}python
import os
words = open("note.txt").read().split()
${F}

${F}python
print(len(words), words[-1])
print("\n".join(str(i) for i in range(5)))
${F}

${F}text
2 note
0
...
4
${F}

${F}sh status=1
youth -r missing.registry person list
${F}

${F}text
youth: missing.registry: no such registry (create one with \`youth init\`)
${F}

${F}sh norun
exit 3
${F}

${F}c
int64_t answer = 40;
${F}

${F}c
printf("%lld\n", (long long)answer + 2);
${F}

${F}text
42
${F}
EOF
expect 0 "a page of working examples passes"

printf '# Wrong output\n\n%ssh\necho one\n%s\n\n%stext\ntwo\n%s\n' "$F" "$F" "$F" "$F" >"$tmp/page.md"
expect 1 "output other than the text block fails"

printf '# A failing command\n\n%ssh\nfalse\necho after\n%s\n' "$F" "$F" >"$tmp/page.md"
expect 1 "a command that fails inside a block fails"

printf '# Status\n\n%ssh status=1\ntrue\n%s\n' "$F" "$F" >"$tmp/page.md"
expect 1 "a block marked status=1 whose command succeeds fails"

if [ -z "${YOUTH_DOCS_NO_PYTHON:-}" ]; then
	printf '# Python\n\n%spython\nx = 1\n%s\n\n%spython\nprint(y)\n%s\n' "$F" "$F" "$F" "$F" >"$tmp/page.md"
	expect 1 "a Python block that raises fails"
fi

printf '# C\n\n%sc\nnot_declared = 1;\n%s\n' "$F" "$F" >"$tmp/page.md"
expect 1 "a C block that does not compile fails"

printf '# Output in a code block\n\n%ssh\nyouth --version\n...\n%s\n' "$F" "$F" >"$tmp/page.md"
expect 1 "output or ... written inside a sh block fails"

echo "1..$n"
echo "# $failed of $n failed"
[ "$failed" -eq 0 ]
