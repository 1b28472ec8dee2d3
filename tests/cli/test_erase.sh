#!/bin/sh
# `youth erase` and `youth purge` (docs/privacy.md, "Erasure" and "Retention"): the values of
# the erased person gone from the records, the export, the audit trail and the bytes of the
# files; reports unchanged; refusals (unknown person, erased twice, no reason); an import of
# the erased UUID refused while the rest of the file is handled as its mode says; purge by
# retain_until, dry run first.
. "$(dirname "$0")/lib.sh"
cli_need_python
YOUTH_ACTOR=erase.test
export YOUTH_ACTOR

cli_load_sample
run audit enable
check "audit enable" is_ok
run person edit 7 --given-names "Xiomara Zuleima" --first-surname Quetzaltepeque \
	--address "Pasaje Girasoles 4321" --phone 79461385 --allow-age
check "person 7 given distinctive values" is_ok
run person edit 8 --given-names "Yamileth Berenice" --first-surname Ozumbilla \
	--address "Colonia Las Brisas 8765" --phone 71112229 --allow-age
check "person 8 given distinctive values" is_ok
run person show 7 --format json
uuid=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["person"]["uuid"])' "$tmp/out")
run export --quiet --with-identifiers --with-contacts "$tmp/before.yaml"
check "export before" is_ok
save_before report -i census --by district,sex --at 2009-04-30 --format json
check "report before" is_ok

run erase 7
check "erase without --reason: usage error" is_usage
run erase 99999 --reason request
check "erase an unknown id" eval 'is_error && err_has "person 99999: no such person"'
run erase 01890000-0000-7000-8000-000000000000 --reason request
check "erase an unknown uuid" eval 'is_error && err_has "no such person"'
run erase 7 --reason "request of the person"
check "erase prints the UUID" eval 'is_ok && out_has "erased $uuid"'
run erase "$uuid" --reason again
check "erase an erased person: refused, with the date" \
	eval 'is_error && err_has "already erased on"'

run person show 7 --format json
check "the stub: names erased, no phone or address" \
	py 'd["person"]["given_names"] == "(erased)" and d["person"]["first_surname"] == "(erased)" and not d["person"]["phone"] and not d["person"]["address"]'
check "report unchanged" same_as_before report -i census --by district,sex --at 2009-04-30 --format json
run person search quetzaltepeque
check "name search no longer finds the person" eval 'is_ok && out_lacks Quetzal'
run export --quiet --with-identifiers --with-contacts "$tmp/after.yaml"
check "export after: none of the values, the other person's kept" \
	eval 'is_ok && ! grep -q -e Quetzaltepeque -e "Xiomara Zuleima" -e "Girasoles" -e 7946-1385 "$tmp/after.yaml" && grep -q Ozumbilla "$tmp/after.yaml"'
run audit verify
check "audit verify after the erasure" is_ok
run audit log --uuid "$uuid" --format json
check "the trail: one erase entry, no values left about the person" \
	py 'sum(e["action"] == "erase" for e in d) == 1 and all(not e.get("changes") for e in d)'
check "no byte of the person in the db, -wal or -shm files" \
	eval '! grep -a -q -e Quetzaltepeque -e "Xiomara Zuleima" -e "Girasoles 4321" -e 7946-1385 "$REG" "$REG-wal" "$REG-shm" 2>/dev/null'
check "the other person's bytes are there" eval 'grep -a -q Ozumbilla "$REG"'

run import --upsert "$tmp/before.yaml"
check "import of the erased UUID: refused, naming it" \
	eval 'is_error && err_has "$uuid" && err_has "erased"'
run import --upsert --keep-going --rejects "$tmp/rejects.yaml" "$tmp/before.yaml"
check "keep-going import: the rest handled, the erased person rejected" \
	eval 'status_is 1 && out_has "657 unchanged, 1 rejected" && grep -q "$uuid" "$tmp/rejects.yaml" && grep -q erased "$tmp/rejects.yaml"'
run person show 7 --format json
check "the person stays erased" py 'd["person"]["given_names"] == "(erased)"'

run person edit 9 --retain-until 2020-06-30 --allow-age
check "retain-until set" is_ok
run person edit 10 --retain-until 2020-07-01 --allow-age
check "a later retain-until" is_ok
run purge --as-of 2020-07-01 --dry-run
check "purge --dry-run lists who is due" eval 'is_ok && out_lines 2 && out_has "1 due, none erased"'
run person show 9 --format json
check "a dry run erases nothing" py 'd["person"]["given_names"] != "(erased)"'
run purge --as-of 2020-07-01
check "purge erases the one due" eval 'is_ok && out_lines 2 && out_has "1 erased"'
run person show 9 --format json
check "person 9 erased" py 'd["person"]["given_names"] == "(erased)"'
run person show 10 --format json
check "person 10 kept" py 'd["person"]["given_names"] != "(erased)" and d["person"]["retain_until"] == "2020-07-01"'
run purge --as-of 2020-07-01
check "purge again: nothing due" eval 'is_ok && out_has "0 erased"'
run purge --as-of 2020-13-01
check "purge --as-of a bad date" is_error
run audit verify
check "audit verify after the purge" is_ok
run check
check "youth check: the stubs are sound" eval 'status_is 0 && err_has "no problem found"'

cli_finish
