#!/bin/sh
# The `youth` tool, its man page and docs/cli.md against their one source, docs/cli/*.txt.
#
# Checks that the commands the tool accepts are exactly the commands described in docs/cli/
# (in the same order), that `youth CMD --help` prints the described text, that the generated
# header and man page of the build tree are what docs/cli/gen.py makes of the sources today,
# and that the command reference region of docs/cli.md is not stale.
#
# Run by `make check` (exit status: 0 pass, 1 fail); by hand, from the build directory:
#     srcdir=/path/to/source sh /path/to/source/tests/cli/test_docs.sh

. "$(dirname "$0")/lib.sh"

DOCS=$srcdir/docs/cli
HEADER=$builddir/examples/youth/cli-doc.h
MAN=$builddir/docs/youth.1

case $YOUTH in /*) ;; *) YOUTH=$PWD/$YOUTH ;; esac # the probes below run in another directory

gen() { "$PY" "$DOCS/gen.py" "$DOCS" "$@"; }

# The commands of the tool, found by asking it: the list of `youth --help`, and below each one
# the subcommands it names when given an unknown one ("group member" -> add, remove).  The
# probes run in $tmp without a registry, so no command can write anywhere.
"$YOUTH" --help >"$tmp/main" || { echo "not ok - youth --help failed"; exit 1; }
sed -n '/^Commands:$/,/^$/p' "$tmp/main" | sed '1d;$d' | grep -v '^  help ' |
	sed 's/^  \(.*[^ ]\)   *[^ ].*$/\1/' >"$tmp/top"
: >"$tmp/cli"
while read -r cmd; do
	echo "$cmd" >>"$tmp/cli"
	# shellcheck disable=SC2086 # the words of the command are separate arguments
	(cd "$tmp" && "$YOUTH" $cmd no-such-subcommand </dev/null >/dev/null 2>"$tmp/probe")
	sed -n "s/.*unknown subcommand 'no-such-subcommand' (\(.*\))\$/\1/p" "$tmp/probe" |
		tr ',' '\n' | sed "s/^ *//; s|^|$cmd |" >>"$tmp/cli"
done <"$tmp/top"
gen list >"$tmp/docs" || { echo "not ok - docs/cli/gen.py list failed"; exit 1; }

check "the tool accepts $(wc -l <"$tmp/cli") commands, docs/cli/ describes the same, in order" \
	diff "$tmp/docs" "$tmp/cli"

# help_is COMMAND...: `youth COMMAND --help` prints the described text, exit 0, nothing on stderr.
if ! mkdir "$tmp/help" || ! gen help-files "$tmp/help"; then
	echo "not ok - gen.py help-files failed"
	exit 1
fi
help_is() {
	want=$(echo "${*:-youth}" | tr ' ' _).help
	[ -f "$tmp/help/$want" ] || { echo "no description"; return 1; }
	"$YOUTH" "$@" --help >"$tmp/got" 2>"$tmp/err" || { echo "exit status $?"; return 1; }
	[ ! -s "$tmp/err" ] || { cat "$tmp/err"; return 1; }
	diff "$tmp/help/$want" "$tmp/got"
}

check "youth --help is the text of docs/cli/youth.txt with every summary" help_is
while read -r cmd; do
	# shellcheck disable=SC2086
	check "youth $cmd --help is its docs/cli/ text" help_is $cmd
done <"$tmp/docs"

# Every option a command's help describes is one the command accepts, since the parser reads
# the options from the same description (cli-doc.h): none may be refused as unknown.  The
# probes run in $tmp without a registry (-r and -h are left out), so nothing is written.
"$PY" - "$tmp/help" "$tmp/docs" >"$tmp/options" <<'EOF_PY' || echo "not ok - listing the options failed"
import re, sys
for cmd in open(sys.argv[2], encoding="utf-8").read().split("\n"):
    if not cmd:
        continue
    text = open("%s/%s.help" % (sys.argv[1], cmd.replace(" ", "_")), encoding="utf-8").read()
    for m in re.finditer(r"^ +(?:-[A-Za-z], )?--([a-z][a-z0-9-]*)( \S+)?(?:  |$)", text, re.M):
        if m.group(1) not in ("registry", "help"):
            print("%s\t--%s%s" % (cmd, m.group(1), "\tx" if m.group(2) else ""))
EOF_PY
refused=
while IFS='	' read -r cmd opt value; do
	# shellcheck disable=SC2086 # the words of the command are separate arguments
	(cd "$tmp" && unset YOUTH_REGISTRY && "$YOUTH" $cmd $opt $value </dev/null >/dev/null 2>"$tmp/probe")
	grep -q "unknown option" "$tmp/probe" && refused="$refused $cmd $opt;"
done <"$tmp/options"
if [ -s "$tmp/options" ] && [ -z "$refused" ]; then
	pass "each of the $(wc -l <"$tmp/options") options the help describes is accepted"
else
	fail "options described but refused:${refused:- none listed}"
fi

# regenerated_is MODE BUILT [ARGS]: what gen.py MODE writes today is the file BUILT of the
# build tree (a dependency missing from the make rules would leave it stale).
regenerated_is() {
	mode=$1 built=$2
	shift 2
	gen "$mode" "$tmp/regenerated" "$@" && cmp "$tmp/regenerated" "$built"
}
version=$("$YOUTH" --version | sed -n '1s/^youth (libyouth) //p')
check "examples/youth/cli-doc.h is up to date" regenerated_is header "$HEADER"
check "docs/youth.1 is up to date (version $version)" regenerated_is man "$MAN" "$version"
check "the command reference of docs/cli.md is up to date" \
	gen check-markdown "$srcdir/docs/cli.md"

# Every command has its section in the man page and in the reference of docs/cli.md.
sections_cover() { # sections_cover FILE SED-SCRIPT
	sed -n "$2" "$1" >"$tmp/sections"
	diff "$tmp/docs" "$tmp/sections"
}
# (roff escapes the '-' of a name such as business-service as '\-')
check "the man page has a section per command" sections_cover "$MAN" \
	'/^\.SS youth help /d; /^\.SS youth /{s/^\.SS youth //; s/\\-/-/g; p;}'
check "docs/cli.md has a reference section per command" sections_cover "$srcdir/docs/cli.md" \
	'/^<!-- Command reference: generated/,/^<!-- End of the generated/s/^### youth //p'

if command -v groff >/dev/null 2>&1; then
	groff_quiet() { groff -man -Tutf8 -ww -z "$1" 2>&1 | { ! grep .; }; }
	check "groff reads the man page without a warning" groff_quiet "$MAN"
else
	pass "# SKIP groff not installed"
fi

cli_finish
