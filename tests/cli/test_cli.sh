#!/bin/sh
# Tests of the `youth` command-line tool against temporary registries, and of examples/embed.
# Set-up, checks and summary: tests/cli/lib.sh.

. "$(dirname "$0")/lib.sh"
cli_need_python
EMBED=${YOUTH_EMBED:-$builddir/examples/embed}

# Most commands here name their registry themselves (or none, to test that): run is bare.
run() { run_youth "$@"; }
# pyp EXPRESSION: same as py over the "person" object of `person show --format json`.
pyp() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1], encoding='utf-8'))['person']; sys.exit(0 if ($1) else 1)" "$tmp/out" 2>/dev/null; }

# ---- version, help, usage errors ------------------------------------------------------------

run --version
check "--version prints the version" eval 'status_is 0 && grep -q "^youth (libyouth) [0-9][0-9.]*" "$tmp/out"'
run --help
check "--help lists the commands" eval 'status_is 0 && out_has "person add" && out_has "summary" && out_has "gazetteer load"'
run -h
check "-h is --help" eval 'status_is 0 && out_has "usage: youth"'

for cmd in "init" "gazetteer load" "gazetteer list" "census load" "person add" "person show" \
	"person list" "person search" "person edit" "person delete" "person reindex" "summary"; do
	# shellcheck disable=SC2086
	run $cmd --help
	check "$cmd --help" eval 'status_is 0 && out_has "usage: youth [-r FILE] $cmd" && out_has "--registry" && err_empty'
done
for group in gazetteer census person; do
	run $group --help
	check "$group --help lists its subcommands" eval 'status_is 0 && out_has "usage: youth [-r FILE] $group SUBCOMMAND"'
done
run help person edit
check "help person edit" eval 'status_is 0 && out_has "usage: youth [-r FILE] person edit" && out_has "--household-size"'
run person add --help
check "person add --help names every field option" eval 'out_has "--given-names" && out_has "--job-profiles" && out_has "--consent-date" && out_has "--allow-age"'

run
check "no command: usage error" is_usage
run frobnicate
check "unknown command: usage error" eval 'is_usage && err_has "unknown command '"'"'frobnicate'"'"'"'
run person
check "group without subcommand: usage error" is_usage
run person frobnicate
check "unknown subcommand: usage error" eval 'is_usage && err_has "frobnicate"'
run --bogus person list
check "unknown global option: usage error" eval 'is_usage && err_has "--bogus"'
run -r
check "-r without a value: usage error" eval 'is_usage && err_has "needs a value"'
run -r "$REG" person list --bogus
check "unknown command option: usage error" eval 'is_usage && err_has "unknown option '"'"'--bogus'"'"'" && err_has "youth person list --help"'
run -r "$REG" person list --place
check "option without its value: usage error" eval 'is_usage && err_has "--place" && err_has "needs a value"'
run -r "$REG" person list --format xml
check "unknown format: usage error" eval 'is_usage && err_has "xml"'
run -r "$REG" person list --age-min old
check "non-numeric age: usage error" eval 'is_usage && err_has "--age-min"'
run -r "$REG" person show
check "person show without id: usage error" is_usage
run -r "$REG" person search
check "person search without words: usage error" is_usage
run -r "$REG" gazetteer load
check "gazetteer load without file: usage error" is_usage
run -r "$REG" gazetteer list --level county
check "unknown level: usage error" eval 'is_usage && err_has "county"'
run person list
check "no registry given: usage error" eval 'is_usage && err_has "YOUTH_REGISTRY"'

# ---- registry errors --------------------------------------------------------------------------

run -r "$tmp/missing.registry" person list
check "missing registry file: error, exit 1" eval 'is_error && [ ! -e "$tmp/missing.registry" ]'
cp "$DATA/gazetteer.yaml" "$tmp/not-a-registry"
run -r "$tmp/not-a-registry" person list
check "a file that is not a registry is refused (exit 1) and left alone" \
	eval 'is_error && cmp -s "$DATA/gazetteer.yaml" "$tmp/not-a-registry"'

# ---- init and gazetteer -----------------------------------------------------------------------

run -r "$REG" init
check "init creates the registry" eval 'status_is 0 && [ -s "$REG" ] && out_has "$REG" && err_empty'
run -r "$REG" init
check "init on an existing registry is harmless" eval 'status_is 0 && out_has "schema version"'
run -r "$REG" gazetteer load "$DATA/gazetteer.yaml"
check "gazetteer load adds the places" eval 'status_is 0 && grep -q "^added [1-9][0-9]* places$" "$tmp/out"'
run -r "$REG" gazetteer load "$DATA/gazetteer.yaml"
check "gazetteer load is idempotent" eval 'status_is 0 && out_has "added 0 places"'
run -r "$REG" gazetteer load "$tmp/no-such-file.yaml"
check "gazetteer load of a missing file: exit 1" eval 'is_error && err_has "no-such-file.yaml"'
printf 'format: libyouth/1\ngazetteer:\n  - name: "unclosed\n' >"$tmp/broken.yaml"
run -r "$REG" gazetteer load "$tmp/broken.yaml"
check "gazetteer load of malformed YAML: exit 1, names file and line" eval 'is_error && grep -q "broken.yaml:[0-9]" "$tmp/err"'

run -r "$REG" gazetteer list
check "gazetteer list shows paths and names" eval 'status_is 0 && out_has "sonsonate/sonsonate-centro/sonzacate/santa-eugenia" && out_has "Santa Eugenia" && out_has "critical"'
run -r "$REG" gazetteer list --level community --format csv
check "gazetteer list --level community: 37 critical communities" eval 'status_is 0 && pycsv "len(rows) == 37 and all(r[\"level\"] == \"community\" and r[\"critical\"] == \"true\" for r in rows)"'
run -r "$REG" gazetteer list --under sonzacate --format json
check "gazetteer list --under: the district and its 4 communities, valid JSON" eval 'status_is 0 && json_ok && py "len(d) == 5 and all(p[\"path\"].startswith(\"sonsonate/sonsonate-centro/sonzacate\") for p in d)"'
run -r "$REG" gazetteer list --level 2 --format json
check "gazetteer list --level 2: municipalities" eval 'status_is 0 && py "len(d) == 4 and {p[\"level\"] for p in d} == {\"municipality\"}"'
run -r "$REG" gazetteer list --under "Atlantis"
check "gazetteer list --under an unknown place: exit 1" is_error
run -r "$REG" gazetteer list --under Sonsonate
check "gazetteer list --under Sonsonate: refused, both the department and the district named" eval 'is_error && err_has "ambiguous" && err_has "sonsonate (department)" && err_has "sonsonate/sonsonate-centro/sonsonate (district)" && err_has "district:Sonsonate"'
run -r "$REG" gazetteer list --under "district:Sonsonate" --level district --format json
check "gazetteer list --under district:Sonsonate: the district" eval 'status_is 0 && py "[p[\"path\"] for p in d] == [\"sonsonate/sonsonate-centro/sonsonate\"]"'
run -r "$REG" gazetteer list --under "Municipality (before 2024):Sonsonate" --level 3 --format json
check "gazetteer list --under by the second label of the district level" eval 'status_is 0 && py "[p[\"path\"] for p in d] == [\"sonsonate/sonsonate-centro/sonsonate\"]"'
run -r "$REG" gazetteer list --under "department:Sonsonate" --level 1 --format json
check "gazetteer list --under department:Sonsonate: the department" eval 'status_is 0 && py "[p[\"path\"] for p in d] == [\"sonsonate\"]"'
run -r "$REG" gazetteer list --under "town:Sonsonate"
check "gazetteer list --under an unknown level: exit 1, naming it" eval 'is_error && err_has "\"town\" is not a level"'
run -r "$REG" gazetteer levels --format json
check "gazetteer levels: four levels, the district's second label from the gazetteer file" eval 'status_is 0 && py "[(l[\"level\"], l[\"name\"], l[\"label\"], l[\"alt_label\"]) for l in d] == [(1, \"department\", \"department\", None), (2, \"municipality\", \"municipality\", None), (3, \"district\", \"district\", \"municipality (before 2024)\"), (4, \"community\", \"community\", None)]"'
run -r "$REG" gazetteer levels
check "gazetteer levels: a table" eval 'is_ok && out_has "municipality (before 2024)" && out_lines 6'

# ---- census load ------------------------------------------------------------------------------

run -r "$REG" census load "$DATA/census.yaml"
check "census load adds the 600 persons of the sample" eval 'status_is 0 && out_has "added 600 persons"'
run -r "$REG" person list --format csv
check "person list --format csv: header and 600 rows" eval 'status_is 0 && out_lines 601 && pycsv "len(rows) == 600 and rows[0][\"id\"] != \"\""'
head -n 1 "$tmp/out" >"$tmp/header"
check "csv records end with CRLF" grep -q "$(printf '\r')\$" "$tmp/header"

cat >"$tmp/bad-census.yaml" <<'EOF'
format: libyouth/1
persons:
  - given_names: Ana
    first_surname: Flores
    birth_date: 1990-01-10
    sex: female
    place: santa-eugenia
    census_date: 2009-03-02
    census_round: census-2009
  - given_names: Rosa
    first_surname: Pérez
    birth_date: 1990-02-30
    sex: female
    place: santa-eugenia
    census_date: 2009-03-02
    census_round: census-2009
EOF
run -r "$REG" census load "$tmp/bad-census.yaml"
check "census load of a bad record: exit 1, names the field" eval 'is_error && err_has "birth_date"'
run -r "$REG" person list --format csv
check "census load is all or nothing: still 600 persons" out_lines 601

# ---- list filters -----------------------------------------------------------------------------

run -r "$REG" person list --place acajutla --format csv
check "person list --place acajutla: ~25% of the census" eval 'status_is 0 && pycsv "len(rows) == 150 and all(\"/acajutla/\" in r[\"place\"] for r in rows)"'
run -r "$REG" person list --sex female --format json
check "person list --sex female, valid JSON" eval 'status_is 0 && json_ok && py "len(d) > 0 and all(p[\"sex\"] == \"female\" for p in d)"'
nf=$(count_json)
run -r "$REG" person list --sex male --format json
check "female + male = 600" py "len(d) + $nf == 600"
run -r "$REG" person list --sex robot
check "person list --sex robot: exit 1, names the field" eval 'is_error && err_has "sex"'
run -r "$REG" person list --age-min 16 --age-max 17 --age-at 2009-04-30 --format json
check "person list --age-min/--age-max/--age-at" eval 'status_is 0 && py "len(d) > 0 and all(16 <= p[\"age\"] <= 17 for p in d)"'
n1617=$(count_json)
run -r "$REG" person list --census-round census-2009 --format csv
check "person list --census-round" eval 'status_is 0 && out_lines 601'
run -r "$REG" person list --census-round other-round --format json
check "person list with no match: empty JSON array" eval 'status_is 0 && py "d == []"'
run -r "$REG" person list --age-at 2009-02-30
check "person list --age-at with a bad date: exit 1" is_error
run -r "$REG" person list --place "Atlantis"
check "person list --place unknown: exit 1" is_error
run -r "$REG" person list --place sonzacate
check "person list table: header, rule, 90 rows" eval 'status_is 0 && out_lines 92 && head -n 1 "$tmp/out" | grep -q "^ *id  *name  *sex  *birth_date  *age  *place$"'

# ---- summary ----------------------------------------------------------------------------------

run -r "$REG" summary --at 2009-04-30
check "summary: table with the total row" eval 'status_is 0 && grep -q "^All places .* 600 " "$tmp/out" && out_has "Santa Eugenia" && out_has "16-17"'
run -r "$REG" summary --at 2009-04-30 --internal --format json
check "summary --internal --format json: valid, consistent totals" eval 'status_is 0 && json_ok && py "d[0][\"level\"] == \"total\" and d[0][\"total\"] == 600 and all(r[\"female\"] + r[\"male\"] == r[\"total\"] and r[\"age_16_17\"] + r[\"age_18_20\"] + r[\"age_21_24\"] + r[\"age_other\"] == r[\"total\"] for r in d)"'
check "summary: districts 360/150/90" py '{r["path"].split("/")[-1]: r["total"] for r in d if r["level"] == "district"} == {"sonsonate": 360, "acajutla": 150, "sonzacate": 90}'
check "summary: age band 16-17 matches person list" py "d[0]['age_16_17'] == $n1617"
check "summary: municipalities, districts and critical communities" py 'set(r["level"] for r in d) == {"total", "municipality", "district", "community"} and all(r["critical"] for r in d if r["level"] == "community")'
run -r "$REG" summary --at 2009-04-30 --format csv
check "summary --format csv" eval 'status_is 0 && pycsv "rows[0][\"total\"] == \"600\" and \"age_21_24\" in rows[0]"'
run -r "$REG" summary
check "summary defaults to today: every youth of 2009 is now past 24" eval 'status_is 0 && grep -q "^All places .* 600 .* 600$" "$tmp/out"'
run -r "$REG" summary --at 2009-13-01
check "summary --at with a bad date: exit 1" is_error
run -r "$REG" summary --census-round nothing --format json
check "summary --census-round with no match: total 0" eval 'status_is 0 && py "d[0][\"total\"] == 0 and len(d) == 1"'

# ---- add, show, search, edit, delete ----------------------------------------------------------

run -r "$REG" person add --given-names "José Antonio" --first-surname "Hernández" \
	--second-surname "Martínez" --birth-date 1990-06-15 --sex male \
	--place "Santa Eugenia" --address 'Pasaje "El Mango", casa 3\4' --phone 71234567 \
	--education upper_secondary --studying false --employment unemployed --household-size 5 \
	--disability false --census-date 2009-03-10 --census-round census-2009 \
	--job-profiles "cook, baker" --consent true --national-id 04312776-0
check "person add prints the id and UUID" eval 'status_is 0 && grep -Eq "^[0-9]+ [0-9a-f-]{36}$" "$tmp/out"'
id=$(cut -d' ' -f1 "$tmp/out")
uuid=$(cut -d' ' -f2 "$tmp/out")
[ -n "$id" ] || id=999999
[ -n "$uuid" ] || uuid=none

run -r "$REG" person show "$id"
check "person show ID" eval 'status_is 0 && out_has "José Antonio" && out_has "Hernández" && out_has "$uuid" && out_has "cook, baker"'
check "person show: consent date defaults to the census date" grep -q '^consent_date: *2009-03-10$' "$tmp/out"
check "person show: phone stored as NNNN-NNNN" out_has "7123-4567"
run -r "$REG" person show "$uuid" --format json
check "person show UUID --format json: one object, strings escaped" eval 'status_is 0 && json_ok && pyp "d[\"id\"] == $id and d[\"given_names\"] == \"José Antonio\" and d[\"address\"] == \"Pasaje \\\"El Mango\\\", casa 3\\\\4\" and d[\"studying\"] is False and d[\"household_size\"] == 5"'
run -r "$REG" person show "$id" --format csv
check "person show --format csv: RFC 4180 quoting" eval 'status_is 0 && out_has "\"Pasaje \"\"El Mango\"\", casa 3\\4\"" && pycsv "rows[0][\"address\"] == \"Pasaje \\\"El Mango\\\", casa 3\\\\4\""'
run -r "$REG" person show 99999999
check "person show of an unknown id: exit 1" is_error
run -r "$REG" person show 00000000-0000-4000-8000-000000000000
check "person show of an unknown UUID: exit 1" is_error

run -r "$REG" person search jose hernandez
check "person search folds accents and case" eval 'status_is 0 && out_has "José Antonio Hernández Martínez"'
run -r "$REG" person search "JOSÉ" "HERNÁNDEZ" --format json
check "person search --format json" eval 'status_is 0 && json_ok && py "any(p[\"id\"] == $id for p in d) and all(\"jos\" in p[\"given_names\"].lower() for p in d)"'
run -r "$REG" person search zzyzx-nobody
check "person search with no match: header only" eval 'status_is 0 && out_lines 2'
run -r "$REG" person search HERNANDEZ martinez josé --format json
check "person search ranks: swapped words, exact first, with reasons" eval 'status_is 0 && json_ok && py "d[0][\"id\"] == $id and d[0][\"rank\"] == \"exact\" and d[0][\"score\"] == 100 and \"exact\" in d[0][\"reasons\"]"'
run -r "$REG" person search chepe hernadez
check "person search: a nickname and a typo together are no match" eval 'status_is 0 && out_lines 2'
run -r "$REG" person search jose hernadez --limit 1 --format csv
check "person search --limit, near rank and reason" eval 'status_is 0 && pycsv "len(rows) == 1 and rows[0][\"rank\"] == \"near\" and rows[0][\"reasons\"] == \"one_typo\""'
run -r "$REG" person search jose --limit 0
check "person search --limit 0: usage error" is_usage
run -r "$REG" person reindex
check "person reindex prints the persons indexed" eval 'status_is 0 && grep -Eq "^[0-9]+ persons indexed$" "$tmp/out"'

run -r "$REG" person add --given-names "María José" --first-surname "López" \
	--birth-date 2009-02-30 --sex female --place "Santa Eugenia"
check "person add with a bad birth date: exit 1, names the field" eval 'is_error && err_has "birth_date" && err_has "2009-02-30"'
run -r "$REG" person add --given-names "María José" --first-surname "López" \
	--birth-date 1992-01-01 --sex robot --place "Santa Eugenia"
check "person add with an unknown sex: exit 1, names the field" eval 'is_error && err_has "sex"'
run -r "$REG" person add --given-names "María José" --first-surname "López" \
	--birth-date 1992-01-01 --sex female --place "Atlantis" --census-date 2009-03-01
check "person add in an unknown place: exit 1" eval 'is_error && err_has "Atlantis"'
run -r "$REG" person add --given-names "Ana" --first-surname "López" --birth-date 2004-01-01 \
	--sex female --place "Santa Eugenia" --census-date 2009-03-01
check "person add of a 5-year-old is refused" is_error
run -r "$REG" person add --given-names "Ana" --first-surname "López" --birth-date 2004-01-01 \
	--sex female --place "Santa Eugenia" --census-date 2009-03-01 --allow-age
check "... and accepted with --allow-age" eval 'status_is 0 && grep -Eq "^[0-9]+ [0-9a-f-]{36}$" "$tmp/out"'
kid=$(cut -d' ' -f1 "$tmp/out")
run -r "$REG" person add --given-names "Ana" --first-surname "López" --birth-date 1990-01-01 \
	--sex female --place "Santa Eugenia" --national-id 04312776-0 --census-date 2009-03-01
check "person add with a DUI already registered: exit 1" is_error
run -r "$REG" person add --given-names "Ana" --first-surname "López" --birth-date 1990-01-01 \
	--sex female --place "Santa Eugenia" --national-id 04312776-1 --census-date 2009-03-01
check "person add with a wrong DUI check digit: exit 1" eval 'is_error && err_has "04312776-1"'
run -r "$REG" person add --given-names "Ana" --first-surname "López" extra
check "person add with an operand: usage error" is_usage

run -r "$REG" person edit "$id" --phone 7777-1234 --household-size 6 --employment self_employed
check "person edit changes the given fields" status_is 0
run -r "$REG" person show "$id" --format json
check "... and keeps the others" pyp 'd["phone"] == "7777-1234" and d["household_size"] == 6 and d["employment"] == "self_employed" and d["given_names"] == "José Antonio" and d["address"].startswith("Pasaje")'
run -r "$REG" person edit "$uuid" --second-surname ""
check "person edit by UUID unsets a field with an empty value" status_is 0
run -r "$REG" person show "$id" --format json
check "... second surname now unset" pyp 'd["second_surname"] is None and d["first_surname"] == "Hernández"'
run -r "$REG" person edit "$id" --birth-date 1991-13-01
check "person edit with a bad birth date: exit 1, names the field" eval 'is_error && err_has "birth_date"'
run -r "$REG" person show "$id" --format json
check "... and changes nothing" pyp 'd["birth_date"] == "1990-06-15" and d["phone"] == "7777-1234"'
run -r "$REG" person edit "$id"
check "person edit without fields: usage error" is_usage
run -r "$REG" person edit "$id" --uuid 00000000-0000-4000-8000-000000000000
check "person edit cannot change the UUID: usage error" is_usage
run -r "$REG" person edit 99999999 --phone 7777-1234
check "person edit of an unknown id: exit 1" is_error

run -r "$REG" person delete "$kid"
check "person delete ID" status_is 0
run -r "$REG" person show "$kid"
check "... the person is gone" is_error
run -r "$REG" person delete "$kid"
check "person delete of an unknown id: exit 1" is_error
run -r "$REG" person delete "$uuid"
check "person delete UUID" status_is 0
run -r "$REG" person list --format csv
check "600 persons again" out_lines 601

# ---- $YOUTH_REGISTRY --------------------------------------------------------------------------

YOUTH_REGISTRY=$REG
export YOUTH_REGISTRY
run person list --place sonzacate --format csv
check "\$YOUTH_REGISTRY is the default registry" eval 'status_is 0 && out_lines 91'
run -r "$tmp/missing.registry" person list
check "-r overrides \$YOUTH_REGISTRY" is_error
run person list -r "$tmp/missing.registry"
check "-r is accepted after the command too" is_error
unset YOUTH_REGISTRY

# ---- a busy registry -------------------------------------------------------------------------

# Another process holds the write lock past the 5 s busy timeout: the command says the registry
# is busy and to try again (no SQL), and exits 3, not 1, so that a script can wait and retry.
if "$PY" -c 'import sqlite3' 2>/dev/null; then
	"$PY" -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(9)
c.execute("ROLLBACK")' "$REG" >"$tmp/locker" &
	locker=$!
	i=0
	while [ "$i" -lt 100 ] && ! grep -q locked "$tmp/locker" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
	run -r "$REG" person add --given-names Ana --first-surname Ruiz --birth-date 1990-01-01 --sex female --place sonzacate --census-date 2009-01-01 --census-round census-2009
	check "a busy registry: exit status 3, 'busy', 'try again', no SQL in the message" eval '[ "$rc" -eq 3 ] && err_has "the registry is busy" && err_has "try again" && ! err_has "BEGIN"'
	kill "$locker" 2>/dev/null
	wait "$locker" 2>/dev/null
else
	echo "# python3 without sqlite3: busy check skipped"
fi

# ---- the embedding example -------------------------------------------------------------------

if [ -x "$EMBED" ]; then
	"$EMBED" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	last="embed"
	check "examples/embed runs" eval 'status_is 0 && out_has "refused as expected" && out_has "1 person(s)"'
	"$EMBED" "$tmp/embed.registry" >/dev/null 2>&1 && "$EMBED" "$tmp/embed.registry" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	check "examples/embed on a file, twice" eval 'status_is 0 && out_has "already registered"'
else
	last="embed"
	fail "examples/embed not built ($EMBED)"
fi

cli_finish
