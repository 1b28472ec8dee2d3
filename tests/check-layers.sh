#!/bin/sh
# Keeps the library's layers true: a file may use symbols of its own layer and of the layers
# below it, never of a layer above (docs/design.md, "Lower files never call upward").  Read
# from the built objects with nm, so it sees what the linker sees: a call, or a reference to a
# table, that crosses a boundary upwards fails here with the file, the symbol and the file
# that defines it.
#
# Run by `make check` (exit status: 0 pass, 1 fail, 77 skip when nm or the objects are
# missing).  By hand, from the build directory:
#     sh /path/to/source/tests/check-layers.sh [OBJECT-DIRECTORY]
# The objects are libyouth/.libs/libyouth_la-*.o of a shared build, else
# libyouth/libyouth_la-*.o of a static-only one.
#
# A new file of libyouth/ must be given a layer below, or this check fails: choosing its
# layer is choosing what it may call.

set -u
LC_ALL=C
export LC_ALL

# The layers, lowest first: "layer: files" (file names without .c).  Keep in step with the
# comment at the top of libyouth/private.h and the diagram in docs/design.md.
LAYERS='
base: error alloc text uuid sdc outfile
registry: pagesum registry schema audit names
records: record state kinds audit_entry
yaml: yaml_reader yaml_writer
interchange: interchange
gazetteer: gazetteer
services: person exchange rules course counselling scholarship enterprise followup duplicates merge organisation consent
views: timeline catalogue erase
engines: import export crypt
reports: indicator report report_html
maintenance: check
'

# Lower layers that a layer must not use all the same, one per line: "layer: layers".  The
# YAML layer is generic: it reads and writes text into field tables and knows no registry.
APART='
yaml: registry
'

# Upward references allowed for now, one per line: "file symbol: why".  Each must say what
# removes it.  A line that no longer matches anything is reported so that it can be deleted.
ALLOWED='
'

NM=${NM:-nm}
if ! command -v "$NM" >/dev/null 2>&1; then
	echo "SKIP: $NM not found"
	exit 77
fi

dir=${1:-}
if [ -z "$dir" ]; then
	if ls libyouth/.libs/libyouth_la-*.o >/dev/null 2>&1; then
		dir=libyouth/.libs
	else
		dir=libyouth
	fi
fi
if ! ls "$dir"/libyouth_la-*.o >/dev/null 2>&1; then
	echo "SKIP: no libyouth_la-*.o objects in $dir (build the library first)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/youth-layers.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# file -> layer number and name
n=0
echo "$LAYERS" | while IFS=: read -r layer files; do
	[ -n "$layer" ] || continue
	n=$((n + 1))
	for f in $files; do
		echo "$f $n $layer"
	done
done | sort >"$tmp/layer"

status=0
# Every object has a layer, every declared file an object.
# Objects left behind by a source file since renamed or removed are not the library's.
src=${srcdir:-$(dirname "$0")/..}
for o in "$dir"/libyouth_la-*.o; do
	f=${o##*/libyouth_la-}
	f=${f%.o}
	if [ -f "$src/libyouth/$f.c" ]; then
		echo "$f"
	else
		echo "note: $o has no source libyouth/$f.c any more: not checked" >&2
	fi
done | sort >"$tmp/objects"
for f in $(cut -d' ' -f1 "$tmp/layer" | comm -23 "$tmp/objects" -); do
	echo "FAIL: libyouth/$f.c is in no layer: give it one here (and in private.h's list)"
	status=1
done
for f in $(cut -d' ' -f1 "$tmp/layer" | comm -13 "$tmp/objects" -); do
	echo "FAIL: tests/check-layers.sh names libyouth/$f.c, which has no object in $dir"
	status=1
done

# symbol -> the file that defines it
while read -r f; do
	"$NM" -g --defined-only "$dir/libyouth_la-$f.o" | awk -v f="$f" 'NF == 3 { print $3, f }'
done <"$tmp/objects" | sort >"$tmp/defs"

# file symbol definer: every reference of an object to a symbol another object defines
while read -r f; do
	"$NM" -u "$dir/libyouth_la-$f.o" | awk '{ print $NF }' | sort -u | join - "$tmp/defs" |
		awk -v f="$f" '$2 != f { print f, $1, $2 }'
done <"$tmp/objects" >"$tmp/refs"

echo "$ALLOWED" | awk -F: 'NF > 1 { print $1 }' >"$tmp/allowed"
echo "$APART" |
	awk -F: 'NF > 1 { n = split($2, l, " "); for (i = 1; i <= n; i++) print $1, l[i] }' \
	>"$tmp/apart"

# Upward references (the user's layer number is below the definer's), and references to a
# layer kept apart.
awk 'FILENAME == ARGV[1] { num[$1] = $2; name[$1] = $3; next }
     FILENAME == ARGV[2] { ok[$1 " " $2] = 1; next }
     FILENAME == ARGV[3] { apart[$1 " " $2] = 1; next }
     ($1 in num) && ($3 in num) {
	why = ""
	if (num[$1] < num[$3])
		why = "higher"
	else if ((name[$1] " " name[$3]) in apart)
		why = "kept apart from layer " name[$1]
	if (why == "")
		next
	key = $1 " " $2
	if (key in ok) { print "allowed", key; next }
	printf "violation libyouth/%s.c (layer %s) uses %s, defined in libyouth/%s.c (layer %s, %s)\n",
	       $1, name[$1], $2, $3, name[$3], why
     }' "$tmp/layer" "$tmp/allowed" "$tmp/apart" "$tmp/refs" >"$tmp/found"

if grep -q '^violation ' "$tmp/found"; then
	echo "FAIL: a layer references one it must not (docs/design.md, \"Lower files never call" \
		"upward\"):"
	sed -n 's/^violation /  /p' "$tmp/found"
	echo "Move the code to the layer it belongs to, or pass the lower layer a callback."
	status=1
fi
# Allowances that nothing uses any more: say so, so that they get deleted.
sed -n 's/^allowed //p' "$tmp/found" | sort >"$tmp/used"
sort "$tmp/allowed" | comm -23 - "$tmp/used" | while read -r stale; do
	[ -n "$stale" ] || continue
	echo "note: allowance \"$stale\" is no longer needed: delete it from tests/check-layers.sh"
done

if [ "$status" -eq 0 ]; then
	objects=$(wc -l <"$tmp/objects")
	refs=$(wc -l <"$tmp/refs")
	allowed=$(grep -c '^allowed ' "$tmp/found")
	echo "PASS: $objects objects, $refs references between them, none upward" \
		"($allowed allowed, see ALLOWED)"
fi
exit "$status"
