#!/bin/sh
# `youth duplicates` and `youth person merge|unmerge`, the desk's check of `person add` and
# `import --check-duplicates` (docs/duplicates.md).
. "$(dirname "$0")/lib.sh"
cli_need_python

run init
check "init" is_ok
run gazetteer load "$DATA/gazetteer.yaml"
check "gazetteer load" is_ok

P="--birth-date 1992-05-14 --sex male --place El-Sauce --census-date 2009-03-02 --census-round c-2009"
# shellcheck disable=SC2086
run person add --given-names "José Antonio" --first-surname Hernández --second-surname Pérez $P
check "the first José Antonio" is_added
first=$(added_id)
# shellcheck disable=SC2086
run person add --given-names "Chepe Antonio" --first-surname Hernandez $P
check "person add: the same youth again is refused, the candidate named" \
	eval '[ "$rc" -eq 1 ] && [ ! -s "$tmp/out" ] && err_has "person $first: José Antonio Hernández Pérez" && err_has "nickname" && err_has "--force"'
run person list --format json
check "...and nothing was added" eval 'is_ok && [ "$(count_json)" -eq 1 ]'
# shellcheck disable=SC2086
run person add --given-names "Chepe Antonio" --first-surname Hernandez --force $P
check "person add --force adds, with a warning" \
	eval '[ "$rc" -eq 0 ] && err_has "warning" && grep -Eq "^[0-9]+ " "$tmp/out"'
second=$(added_id)
run duplicates list --state dismissed --format json
check "--force recorded the decision: the pair dismissed" \
	py "len(d) == 1 and d[0]['person_id'] == $first and d[0]['other_id'] == $second and 'force' in d[0]['note']"
run duplicates find
check "duplicates find: a dismissed pair is not proposed again" \
	eval 'is_ok && out_has "found: 1" && out_has "added: 0" && out_has "kept: 1"'

# A twin and a youth registered twice by an import.
cat >"$tmp/batch.yaml" <<'YAML'
format: libyouth/1
persons:
  - {given_names: Luis Alberto, first_surname: Hernández, second_surname: Pérez, birth_date: 1992-05-14, sex: male, place: El Sauce, census_date: 2010-03-02, census_round: c-2010}
  - {given_names: José Antonio, first_surname: Pérez, second_surname: Hernández, birth_date: 1992-05-14, sex: male, place: Metalío, census_date: 2010-03-02, census_round: c-2010}
end: {records: 2}
YAML
run import "$tmp/batch.yaml" --check-duplicates --quiet
check "import --check-duplicates: the swapped surnames flagged, the twin not" \
	eval 'is_ok && out_has "2 records: 2 imported" && out_has "duplicates: 2 candidate pairs"'
run duplicates list --state open --format json
check "the open pairs are the imported youth with the two earlier records" \
	py "len(d) == 2 and all(p['other_id'] == 4 for p in d) and any('swapped_surnames' in p['reasons'] for p in d)"
pair=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$tmp/out")
run duplicates list --person 3 --format json
check "the twin has no pair" eval 'is_ok && [ "$(count_json)" -eq 0 ]'
run duplicates list --person 999
check "an unknown person is an error, not an empty list" eval 'is_error && err_has "999"'
run duplicates list --state maybe
check "an unknown state is a usage error" is_usage
run duplicates list
check "duplicates list: a table" eval 'is_ok && out_has "reasons" && out_has "open"'
run duplicates show "$pair" --format json
check "duplicates show" eval 'is_ok && py "d[\"state\"] == \"open\" and d[\"score\"] >= 13"'
run_youth --actor desk -r "$REG" duplicates confirm "$pair" --note "same mother, same school"
check "duplicates confirm" is_ok
run duplicates show "$pair" --format json
check "confirmed, with the actor and the note" \
	py 'd["state"] == "confirmed" and d["decided_by"] == "desk" and d["note"] == "same mother, same school"'
run duplicates confirm "$pair"
check "confirming twice: the state machine refuses" eval 'is_error && err_has "cannot go from confirmed to confirmed"'
run duplicates dismiss 999
check "an unknown pair" eval 'is_error && err_has "999"'

# Merge the imported record into the first, then undo it.
run export -
cp "$tmp/out" "$tmp/before.yaml"
uuid4=$("$PY" -c 'import sys,re; t=open(sys.argv[1]).read(); print(re.findall(r"uuid: ([0-9a-f-]{36})", t.split("persons:")[1])[3])' "$tmp/before.yaml")
run person merge "$first" 4 --take household_size
check "person merge prints the merge id" eval 'is_ok && out_lines 1'
merge=$(cat "$tmp/out")
run person show "$uuid4" --format json
check "the merged UUID answers for the kept person" py "d['person']['id'] == $first"
run person merge "$first" 4
check "merging the merged one again: no such person" eval 'is_error && err_has "no such person"'
run person merge "$first"
check "person merge with one operand names the one missing" \
	eval 'is_usage && err_has "missing the person merged into it" && ! err_has "(null)"'
run person merge "$first" "$first"
check "merging a person into itself" eval 'is_error && err_has "itself"'
run person merge "$first" 2 --take height
check "--take an unknown field" eval 'is_error && err_has "height"'
run person unmerge "$merge"
check "person unmerge" is_ok
run export -
check "after merge and unmerge the export is byte for byte the one before" \
	eval 'is_ok && cmp -s "$tmp/out" "$tmp/before.yaml"'
run person unmerge "$merge"
check "unmerge twice" eval 'is_error && err_has "already undone"'

cli_finish
