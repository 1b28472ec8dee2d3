#!/bin/sh
# The national data set of the benchmarks (bench/gen-national, docs/benchmarks.md): at 300
# persons it imports into an empty registry with no rejects, the registry holds exactly the
# records the generator says it wrote, section by section, and exports them back the same;
# the output is a function of the seed; -u 4 gives v4 UUIDs that import as well, -x the same
# persons in a scattered order (every other section unchanged), which imports too.  Also the
# national gazetteer, examples/data/gazetteer-sv.yaml: 14 departments, 44 municipalities, 262
# districts.  Set-up, checks and summary: tests/cli/lib.sh.

. "$(dirname "$0")/lib.sh"
GEN=${YOUTH_GEN_NATIONAL:-$(dirname "$YOUTH")/../../bench/gen-national}
GAZ=$DATA/gazetteer-sv.yaml

# sections FILE: "section=count" lines of a libyouth/1 file, sorted (records are "  - " lines)
sections() { awk '/^[a-z_]+:$/ { s = $1; sub(":", "", s) } /^  - / { c[s]++ } END { for (k in c) print k "=" c[k] }' "$1" | sort; }
# level LEVEL: places of that level in `youth gazetteer list` of $REG
level() { "$YOUTH" -r "$REG" gazetteer list 2>/dev/null | awk -v l="$1" '$(NF - 1) == l' | wc -l; }

# ---- the gazetteer ----------------------------------------------------------------------------

run init
run gazetteer load "$GAZ"
check "gazetteer-sv.yaml loads" eval 'is_ok && out_has "added 357 places"'
check "14 departments, 44 municipalities, 262 districts" \
	eval '[ "$(level department)" -eq 14 ] && [ "$(level municipality)" -eq 44 ] && [ "$(level district)" -eq 262 ]'
run gazetteer levels
check "districts are also labelled municipality (before 2024)" \
	eval 'is_ok && grep -Eq "^ +3 +district +district +municipality \(before 2024\)$" "$tmp/out"'
rm -f "$REG" "$REG-wal" "$REG-shm"

# ---- generate, import, export -----------------------------------------------------------------

"$GEN" -g "$GAZ" -o "$tmp/n.yaml" 300 >"$tmp/out" 2>"$tmp/counts"
rc=$?
last="gen-national -g gazetteer-sv.yaml -o n.yaml 300"
total=$(sed -n 's/^records=//p' "$tmp/counts")
grep -v '^records=' "$tmp/counts" | grep -v '=0$' | sort >"$tmp/expected"
check "gen-national writes 300 persons" eval '[ "$rc" -eq 0 ] && grep -qx "persons=300" "$tmp/counts"'
check "the trailer counts every record" eval '[ "$(tail -n 1 "$tmp/n.yaml")" = "  records: $total" ]'
check "the file's sections hold what the generator counted" eval 'sections "$tmp/n.yaml" | cmp -s - "$tmp/expected"'
# One office per municipality; the whole gazetteer with 4 invented communities per district
# (those of the programme's three districts are real).
check "44 exchanges, 352 operators, 220 employers, 176 courses, 5 programmes, 1393 places" \
	eval 'grep -qx exchanges=44 "$tmp/counts" && grep -qx operators=352 "$tmp/counts" && grep -qx employers=220 "$tmp/counts" && grep -qx courses=176 "$tmp/counts" && grep -qx programmes=5 "$tmp/counts" && grep -qx places=1393 "$tmp/counts"'
# Every kind of service is there, and about 2 person-level service records per person.
check "every service section is present" \
	eval 'for s in cohorts enrollments counselling_sessions counselling_participants scholarships scholarship_payments groups group_members plans plan_disbursements plan_visits business_services followups; do grep -q "^$s=[1-9]" "$tmp/counts" || exit 1; done'
per_person=$(awk -F= '{ c[$1] = $2 } END { printf "%d", 100 * (c["counselling_participants"] + c["enrollments"] + c["scholarships"] + c["group_members"] + c["followups"] + c["plans"] - c["groups"]) / c["persons"] }' "$tmp/counts")
check "1.6 to 2.4 person-level service records per person ($per_person/100)" \
	eval '[ "$per_person" -ge 160 ] && [ "$per_person" -le 240 ]'

run init
run import "$tmp/n.yaml" --quiet
check "imports with no rejects" eval 'is_ok && out_has "$total records: $total imported, 0 updated, 0 unchanged, 0 rejected"'
run export "$tmp/e.yaml" --quiet
check "the export holds the same records, section by section" \
	eval 'is_ok && sections "$tmp/e.yaml" | cmp -s - "$tmp/expected"'

# ---- determinism and UUID versions ------------------------------------------------------------

"$GEN" -g "$GAZ" -o "$tmp/again.yaml" 300 2>/dev/null
check "same seed, same bytes" cmp -s "$tmp/n.yaml" "$tmp/again.yaml"
"$GEN" -s 7 -g "$GAZ" -o "$tmp/other.yaml" 300 2>/dev/null
check "another seed, another file" eval '! cmp -s "$tmp/n.yaml" "$tmp/other.yaml"'
uuids() { sed -n 's/^  - uuid: //p' "$1"; }
# v7: the 48-bit millisecond timestamp never goes back through the file (the rest is random).
check "default: every UUID is v7, their time never decreasing" \
	eval '! uuids "$tmp/n.yaml" | grep -qv "^........-....-7...-[89ab]" && uuids "$tmp/n.yaml" | cut -c1-13 | LC_ALL=C sort -c'
"$GEN" -u 4 -g "$GAZ" -o "$tmp/v4.yaml" 300 2>"$tmp/counts4"
check "-u 4: every UUID is v4, not in order" \
	eval '! uuids "$tmp/v4.yaml" | grep -qv "^........-....-4...-[89ab]" && ! uuids "$tmp/v4.yaml" | LC_ALL=C sort -c 2>/dev/null'
rm -f "$REG" "$REG-wal" "$REG-shm"
run init
run import "$tmp/v4.yaml" --quiet
check "-u 4: imports with no rejects" eval 'is_ok && out_has "$total records: $total imported, 0 updated, 0 unchanged, 0 rejected"'

# ---- -x: the persons in a scattered order -------------------------------------------------------

persons_of() { sed -n '/^persons:$/,/^[a-z_]*:$/p' "$1" | grep -v '^[a-z_]*:$'; }
"$GEN" -x -g "$GAZ" -o "$tmp/x.yaml" 300 2>"$tmp/countsx"
check "-x: the same counts" cmp -s "$tmp/counts" "$tmp/countsx"
persons_of "$tmp/n.yaml" >"$tmp/pn"
persons_of "$tmp/x.yaml" >"$tmp/px"
sort "$tmp/pn" >"$tmp/pn.sorted"
sort "$tmp/px" >"$tmp/px.sorted"
check "-x: the same persons, in another order" \
	eval 'cmp -s "$tmp/pn.sorted" "$tmp/px.sorted" && ! cmp -s "$tmp/pn" "$tmp/px"'
# neighbours in the file live in different departments: 13 changes at most district by district
moves() { sed -n 's/^    place: \([^/]*\)\/.*$/\1/p' "$1" | awk 'NR > 1 && $0 != p { c++ } { p = $0 } END { print c + 0 }'; }
check "-x: the department changes from person to person ($(moves "$tmp/px") times, $(moves "$tmp/pn") in order)" \
	eval '[ "$(moves "$tmp/px")" -ge 150 ] && [ "$(moves "$tmp/pn")" -le 13 ]'
check "-x: every other section the same bytes, the header names -x" \
	eval '[ "$(sed "1,2d; /^persons:$/,/^courses:$/d" "$tmp/n.yaml" | md5sum)" = "$(sed "1,2d; /^persons:$/,/^courses:$/d" "$tmp/x.yaml" | md5sum)" ] && head -n 2 "$tmp/x.yaml" | grep -q -- "-u 7 -x)"'
rm -f "$REG" "$REG-wal" "$REG-shm"
run init
run import "$tmp/x.yaml" --quiet
check "-x: imports with no rejects" eval 'is_ok && out_has "$total records: $total imported, 0 updated, 0 unchanged, 0 rejected"'

cli_finish
