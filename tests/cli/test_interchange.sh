#!/bin/sh
# Tests of `youth import` and `youth export` (whole registries as libyouth/1 YAML files,
# docs/format.md): round trips, stdout/stdin, filters, dry runs, keep-going with a rejects
# report, usage errors, truncated files, exit codes, no progress bar when stderr is not a TTY.
# When `make sample` has built examples/sample.registry, it is round-tripped too.
# Set-up, checks and summary: tests/cli/lib.sh.

. "$(dirname "$0")/lib.sh"
SAMPLE=$(dirname "$YOUTH")/../sample.registry
# Whole records: these checks are about the file and the round trip, so every export here
# carries national IDs and contacts (the default leaves them out: test_travel.sh).
FULL="--with-identifiers --with-contacts"

# no_bar: stderr holds no carriage return nor escape sequence (the progress bar's marks).
no_bar() { ! tr '\r\033' '##' <"$tmp/err" | grep -q '#'; }
# sections FILE: the top-level keys of a libyouth/1 file, space-separated
sections() { grep -E '^[a-z_]+:' "$1" | cut -d: -f1 | tr '\n' ' '; }
# trailer FILE N: the file ends with `end: {records: N}`
trailer() { [ "$(tail -n 2 "$1" | tr '\n' ' ')" = "end:   records: $2 " ]; }
# persons REGISTRY: the number of persons (from `youth summary --internal --format csv`: every
# count, as the registries here hold fewer than 5 persons at times)
persons() { "$YOUTH" -r "$1" summary --internal --format csv 2>/dev/null | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "total") t = i } NR == 2 && t { print $t }'; }

# ---- help -----------------------------------------------------------------------------------

run import --help
check "import --help" eval 'is_ok && out_has "usage: youth [-r FILE] import FILE|-" && out_has "--keep-going" && out_has "--rejects" && out_has "--dry-run" && out_has "--upsert" && out_has "--quiet"'
run export --help
check "export --help" eval 'is_ok && out_has "usage: youth [-r FILE] export [FILE|-]" && out_has "--kinds" && out_has "--place" && out_has "--from" && out_has "--to" && out_has "--quiet"'
run --help
check "youth --help lists import and export" eval 'is_ok && out_has "import" && out_has "export"'

# ---- setup ----------------------------------------------------------------------------------

cli_load_sample
check "the registry has 600 persons" [ "$(persons "$REG")" = 600 ]

# ---- round trip -----------------------------------------------------------------------------

run export $FULL "$tmp/first.yaml"
check "export FILE" eval 'is_ok && out_has "exported 658 records" && out_has "to $tmp/first.yaml" && [ -s "$tmp/first.yaml" ]'
check "export writes the format line first" [ "$(head -n 1 "$tmp/first.yaml")" = "format: libyouth/1" ]
check "export: places, persons, end trailer" eval '[ "$(sections "$tmp/first.yaml")" = "format places persons end " ] && trailer "$tmp/first.yaml" 658'
check "export reports the bytes written" out_has "($(wc -c <"$tmp/first.yaml" | tr -d ' ') bytes)"
check "no temporary file left beside the export" [ "$(ls "$tmp" | grep -c yaml)" -eq 1 ]

R2=$tmp/second.registry
run_on "$R2" init
run_on "$R2" import "$tmp/first.yaml"
check "import into a fresh registry" eval 'is_ok && out_has "658 records: 658 imported, 0 updated, 0 unchanged, 0 rejected"'
check "the import brought the 600 persons" [ "$(persons "$R2")" = 600 ]
run_on "$R2" export $FULL "$tmp/second.yaml"
check "export of the imported registry" is_ok
check "export -> import -> export gives the same bytes" cmp "$tmp/first.yaml" "$tmp/second.yaml"

run export $FULL -
check "export - writes the file to stdout" eval '[ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/out" "$tmp/first.yaml"'
run export $FULL
check "export without FILE writes to stdout" eval '[ "$rc" -eq 0 ] && cmp -s "$tmp/out" "$tmp/first.yaml"'

R3=$tmp/stdin.registry
run_on "$R3" init
"$YOUTH" -r "$R3" import - <"$tmp/first.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
last="youth -r $R3 import - <first.yaml"
check "import - reads stdin" eval 'is_ok && out_has "658 imported" && [ "$(persons "$R3")" = 600 ]'
"$YOUTH" -r "$R3" export $FULL - 2>"$tmp/err" | cmp -s - "$tmp/first.yaml"
check "stdin import round-trips too" [ $? -eq 0 ]

# ---- upsert and duplicates --------------------------------------------------------------------

run_on "$R2" import --upsert "$tmp/first.yaml"
check "import --upsert of the same file: all unchanged" eval 'is_ok && out_has "658 records: 0 imported, 0 updated, 658 unchanged, 0 rejected"'
run_on "$R2" import "$tmp/first.yaml"
check "import of records already there without --upsert: error naming the file" eval 'is_error && err_has "first.yaml:" && err_has "already registered"'
check "... and the registry is unchanged" [ "$(persons "$R2")" = 600 ]

# ---- export filters -------------------------------------------------------------------------

run export $FULL --kinds persons "$tmp/persons.yaml"
check "export --kinds persons" eval 'is_ok && out_has "exported 600 records"'
check "--kinds persons has no places section" eval '[ "$(sections "$tmp/persons.yaml")" = "format persons end " ] && ! grep -q "^places:" "$tmp/persons.yaml"'
run export $FULL --kinds gazetteer,persons -
check "export --kinds gazetteer,persons - is the whole file here" eval '[ "$rc" -eq 0 ] && cmp -s "$tmp/out" "$tmp/first.yaml"'
run export $FULL --kinds gazetteer -
check "export --kinds gazetteer" eval '[ "$rc" -eq 0 ] && [ "$(sections "$tmp/out")" = "format places end " ]'
run export $FULL --kinds people -
check "export --kinds with an unknown kind: usage error naming it" eval 'is_usage && err_has "people"'

PLACE=sonsonate/sonsonate-centro
run export $FULL --kinds persons --place "$PLACE" "$tmp/place.yaml"
np=$(grep -c '^  - ' "$tmp/place.yaml")
check "export --place: fewer persons" eval 'is_ok && [ "$np" -gt 0 ] && [ "$np" -lt 600 ] && out_has "exported $np records"'
check "export --place: every person lives there" eval '! grep "^    place: " "$tmp/place.yaml" | grep -v "^    place: $PLACE/" | grep -q .'
run export $FULL --kinds persons --place atlantis -
check "export --place with an unknown place: error" eval '[ "$rc" -eq 1 ] && err_has "atlantis"'

run export $FULL --kinds persons --from 2009-04-01 --to 2009-04-30 "$tmp/april.yaml"
na=$(grep -c '^  - ' "$tmp/april.yaml")
check "export --from --to: fewer persons" eval 'is_ok && [ "$na" -gt 0 ] && [ "$na" -lt 600 ]'
check "export --from --to: census dates within" eval '! grep "^    census_date: " "$tmp/april.yaml" | grep -v "census_date: 2009-04-" | grep -q .'
run export $FULL --kinds persons --to 1990-01-01 -
check "export --to before every census: empty persons" eval '[ "$rc" -eq 0 ] && trailer "$tmp/out" 0'

R4=$tmp/places.registry
run_on "$R4" init
run_on "$R4" gazetteer load "$DATA/gazetteer.yaml"
run_on "$R4" import "$tmp/place.yaml"
check "a --place export imports where the places are" eval 'is_ok && out_has "$np imported" && [ "$(persons "$R4")" = "$np" ]'

# ---- dry run --------------------------------------------------------------------------------

R5=$tmp/dry.registry
run_on "$R5" init
run_on "$R5" import --dry-run "$tmp/first.yaml"
check "import --dry-run says so" eval 'is_ok && out_has "dry run" && out_has "658 records"'
check "import --dry-run writes nothing" eval '[ "$(persons "$R5")" = 0 ] && "$YOUTH" -r "$R5" export $FULL - 2>/dev/null | trailer /dev/stdin 0'

# ---- keep going and rejects -----------------------------------------------------------------

cat >"$tmp/batch.yaml" <<'EOF'
format: libyouth/1
persons:
  - given_names: Uno
    first_surname: López
    birth_date: 1992-05-14
    sex: female
    place: sonsonate/sonsonate-centro/sonzacate/santa-eugenia
    census_date: 2009-03-02
    census_round: census-2009
    consent: false
  - given_names: Dos
    first_surname: López
    birth_date: 1992-05-14
    sex: dragon
    place: sonsonate/sonsonate-centro/sonzacate/santa-eugenia
    census_date: 2009-03-02
    census_round: census-2009
    consent: false
  - given_names: Tres
    first_surname: López
    birth_date: 1992-05-14
    sex: male
    place: atlantis
    census_date: 2009-03-02
    census_round: census-2009
    consent: false
end:
  records: 3
EOF
R6=$tmp/keep.registry
run_on "$R6" init
run_on "$R6" gazetteer load "$DATA/gazetteer.yaml"
run_on "$R6" import "$tmp/batch.yaml"
check "atomic import of a bad record: error naming file:line:col and field" eval 'is_error && err_has "batch.yaml:14:" && err_has "sex" && err_has "dragon"'
check "... and nothing is written" [ "$(persons "$R6")" = 0 ]

run_on "$R6" import --rejects "$tmp/rejects.yaml" "$tmp/batch.yaml"
check "--rejects without --keep-going: usage error" eval 'is_usage && err_has "--keep-going"'
check "... writes no rejects file" [ ! -e "$tmp/rejects.yaml" ]

run_on "$R6" import --keep-going --rejects "$tmp/rejects.yaml" "$tmp/batch.yaml"
check "--keep-going --rejects: exit 1 with records rejected" eval '[ "$rc" -eq 1 ] && out_has "3 records: 1 imported, 0 updated, 0 unchanged, 2 rejected" && err_has "2 records rejected, see $tmp/rejects.yaml"'
check "... the valid record is imported" [ "$(persons "$R6")" = 1 ]
check "... the rejects file is a libyouth/1 file of the 2 records" eval '[ "$(head -n 1 "$tmp/rejects.yaml")" = "format: libyouth/1" ] && [ "$(grep -c "^  - " "$tmp/rejects.yaml")" -eq 2 ] && trailer "$tmp/rejects.yaml" 2'
check "... each under a comment with file:line:col and reason" eval 'grep -q "^  # .*batch.yaml:14:[0-9]*: .*dragon" "$tmp/rejects.yaml" && grep -q "^  # .*batch.yaml:[0-9]*:[0-9]*: .*atlantis" "$tmp/rejects.yaml" && ! grep -q "Uno" "$tmp/rejects.yaml"'
sed -e 's/dragon/female/' -e 's|atlantis|sonsonate/sonsonate-centro/sonzacate/santa-eugenia|' \
	"$tmp/rejects.yaml" >"$tmp/fixed.yaml"
run_on "$R6" import "$tmp/fixed.yaml"
check "the fixed rejects file imports" eval 'is_ok && out_has "2 imported" && [ "$(persons "$R6")" = 3 ]'

run_on "$R6" import --keep-going "$tmp/batch.yaml"
check "--keep-going without --rejects: exit 1, says how to keep them" eval '[ "$rc" -eq 1 ] && out_has "rejected" && err_has "--rejects"'

# A record refused for an unknown key (and one whose list is of the wrong shape) is kept whole
# in the rejects file: fixed there, it imports.
cat >"$tmp/keys.yaml" <<'EOF'
format: libyouth/1
persons:
  - given_names: Cuatro
    first_surname: López
    colour: blue
    birth_date: 1992-05-14
    sex: female
    place: sonsonate/sonsonate-centro/sonzacate/santa-eugenia
    census_date: 2009-03-02
    census_round: census-2009
    tags: [a, {b: c}]
end:
  records: 1
EOF
run_on "$R6" import --keep-going --rejects "$tmp/keys-rejects.yaml" "$tmp/keys.yaml"
check "--rejects: a record with unknown keys is rejected" eval '[ "$rc" -eq 1 ] && out_has "1 rejected"'
check "... and kept whole in the rejects file, its unknown keys included" eval 'grep -q "^  - given_names: Cuatro$" "$tmp/keys-rejects.yaml" && grep -q "^    colour: blue$" "$tmp/keys-rejects.yaml" && grep -q "^    tags: \\[a, {b: c}\\]$" "$tmp/keys-rejects.yaml" && grep -q "^    census_round: census-2009$" "$tmp/keys-rejects.yaml" && ! grep -q "{}" "$tmp/keys-rejects.yaml"'
check "... readable by its owner only (0600)" [ "$(stat -c %a "$tmp/keys-rejects.yaml")" = 600 ]
sed -e '/colour:/d' -e '/tags:/d' "$tmp/keys-rejects.yaml" >"$tmp/keys-fixed.yaml"
run_on "$R6" import "$tmp/keys-fixed.yaml"
check "... and, the keys removed, it imports" eval 'is_ok && out_has "1 imported"'
run_on "$R6" import --keep-going --upsert --rejects "$tmp/none-rejects.yaml" "$tmp/keys-fixed.yaml"
check "--rejects with nothing rejected: no rejects file" eval 'is_ok && [ ! -e "$tmp/none-rejects.yaml" ]'

# ---- bad input ------------------------------------------------------------------------------

R7=$tmp/cut.registry
run_on "$R7" init
head -c 100000 "$tmp/first.yaml" >"$tmp/cut.yaml"
run_on "$R7" import "$tmp/cut.yaml"
check "a truncated file (head -c): error naming the file" eval 'is_error && err_has "cut.yaml:"'
check "... and nothing is written" [ "$(persons "$R7")" = 0 ]
sed '/^end:/,$d' "$tmp/first.yaml" >"$tmp/notrailer.yaml"
run_on "$R7" import "$tmp/notrailer.yaml"
check "a file cut before its end trailer: error naming the file and the trailer" eval 'is_error && err_has "notrailer.yaml:" && err_has "end"'
check "... and nothing is written" [ "$(persons "$R7")" = 0 ]
run_on "$R7" import "$tmp/missing.yaml"
check "import of a missing file: error" eval 'is_error && err_has "missing.yaml"'
run_on "$R7" import
check "import without FILE: usage error" is_usage
run_on "$R7" import "$tmp/first.yaml" extra
check "import with two files: usage error" is_usage
run_on "$R7" export $FULL "$tmp/a.yaml" "$tmp/b.yaml"
check "export with two files: usage error" is_usage
run_on "$R7" import --no-such-option "$tmp/first.yaml"
check "import with an unknown option: usage error" is_usage

# A value of 128 MiB on stdin is refused while it is read: the importer stops after about a
# MiB of it (the read budget of docs/format.md), so memory stays flat.  GNU time, where it is
# installed, shows the peak: reading the value whole took twice its size.
huge_value() { printf 'format: libyouth/1\npersons:\n  - given_names: '; head -c 134217728 /dev/zero | tr '\0' a; echo; }
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
	huge_value | /usr/bin/time -o "$tmp/rss" -f %M "$YOUTH" -r "$R7" import - >"$tmp/out" 2>"$tmp/err"
	rc=$?
	rss=$(tail -n 1 "$tmp/rss") # after "Command exited with non-zero status 1"
	last="youth -r $R7 import - <128 MiB value (peak memory $rss KiB)"
	check "a 128 MiB value on stdin: the limit error, with its position" eval 'is_error && err_has "youth: <stdin>:3:" && err_has "exceeds the limit of 65536 bytes"'
	check "... peak memory under 40 MiB" [ "$rss" -lt 40960 ]
else
	huge_value | "$YOUTH" -r "$R7" import - >"$tmp/out" 2>"$tmp/err"
	rc=$?
	last="youth -r $R7 import - <128 MiB value"
	check "a 128 MiB value on stdin: the limit error, with its position" eval 'is_error && err_has "youth: <stdin>:3:" && err_has "exceeds the limit of 65536 bytes"'
fi
check "... and nothing is written" [ "$(persons "$R7")" = 0 ]

# ---- no progress bar when stderr is not a terminal ------------------------------------------

R8=$tmp/quiet.registry
run_on "$R8" init
run_on "$R8" import "$tmp/first.yaml"
check "import: stderr not a TTY, no progress bar" eval 'is_ok && no_bar'
run_on "$R8" export $FULL "$tmp/third.yaml"
check "export: stderr not a TTY, no progress bar" eval 'is_ok && no_bar && cmp -s "$tmp/first.yaml" "$tmp/third.yaml"'
run_on "$R8" import --upsert --quiet "$tmp/first.yaml"
check "import --quiet" eval 'is_ok && out_has "658 unchanged"'
run_on "$R8" export $FULL --quiet -
check "export --quiet -" eval '[ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/out" "$tmp/first.yaml"'

# ---- the sample registry (all the sections), when make sample has built it -----------------

if [ -f "$SAMPLE" ]; then
	run_on "$SAMPLE" export $FULL "$tmp/sample.yaml"
	check "export of the sample registry" is_ok
	check "the sample export has every service section" eval 'for s in programmes exchanges operators employers courses cohorts enrollments counselling_sessions scholarships groups plans followups; do grep -q "^$s:" "$tmp/sample.yaml" || exit 1; done'
	R9=$tmp/sample-copy.registry
	run_on "$R9" init
	run_on "$R9" import "$tmp/sample.yaml"
	check "import of the sample export" eval 'is_ok && out_has " 0 rejected"'
	run_on "$R9" export $FULL "$tmp/sample2.yaml"
	check "the sample round-trips byte for byte" cmp "$tmp/sample.yaml" "$tmp/sample2.yaml"
else
	echo "# $SAMPLE not built (make sample): sample round trip skipped"
fi

cli_finish
