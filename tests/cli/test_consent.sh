#!/bin/sh
# `youth consent give|withdraw|list|purposes` and `youth export --purpose`: the history kept,
# the refusals (a future date, an unknown purpose naming the allowed ones, nothing to
# withdraw), persons without consent left out of an export for a purpose, and an export with
# national IDs from an audited registry recorded in its trail (docs/privacy.md, "Consent").
. "$(dirname "$0")/lib.sh"
cli_need_python
unset YOUTH_ACTOR

run init
check "init" is_ok
run gazetteer load "$DATA/gazetteer.yaml"
check "gazetteer load" is_ok
PERSON="--first-surname Ruiz --birth-date 1990-01-02 --sex female --place Sonzacate --census-date 2009-03-02 --census-round c-2009"
# shellcheck disable=SC2086
run person add --given-names Ana $PERSON
check "person add Ana" is_added
# shellcheck disable=SC2086
run person add --given-names Eva --national-id 06397166-8 $PERSON
check "person add Eva" is_added

run consent purposes
check "the five purposes of a new registry" \
	eval 'is_ok && out_has "census, national_sharing, research, stipend, training"'
run consent give 1 research --date 2009-04-01 --by Marta --evidence "form 42"
check "consent give" is_added
run consent withdraw 1 research --date 2009-05-01 --by Marta
check "consent withdraw" is_added
run consent give 1 research --date 2009-06-01 --by Marta
check "consent given again" is_added
run consent give 06397166-8 research --date 2009-04-01 --by Marta
check "consent give to a person named by DUI" is_added
run consent withdraw 2 research --date 2009-04-02 --by Marta
check "Eva withdraws" is_added
run consent list 1 --format json
check "the history of Ana, oldest first, nothing overwritten" \
	py '[r["state"] for r in d] == ["given", "withdrawn", "given"] and d[0]["evidence"] == "form 42"'
run consent list --purpose research --format csv
check "consent list --purpose" eval 'is_ok && pycsv "len(rows) == 5"'

tomorrow=$("$PY" -c 'import datetime; print(datetime.date.today() + datetime.timedelta(days=1))')
run consent give 1 training --date "$tomorrow" --by Marta
check "a consent dated in the future is refused" eval 'is_error && err_has "in the future"'
run consent give 1 marketing --by Marta
check "an unknown purpose is refused with the allowed ones" \
	eval 'is_error && err_has "marketing" && err_has "allowed: census, national_sharing, research, stipend, training"'
run consent withdraw 2 research --by Marta
check "withdrawing what is not given is refused" eval 'is_error && err_has "nothing to withdraw"'
run consent give 1 training
check "no --by and no actor: refused" eval 'is_error && err_has "recorded_by"'
run consent give 1
check "consent give without a purpose: usage error" is_usage

run export "$tmp/research.yaml" --purpose research
check "export --purpose research" eval 'is_ok && out_has "left out 1 persons without consent for research (3 records)"'
check "Ana is in it, Eva is not" \
	eval 'grep -q "given_names: Ana" "$tmp/research.yaml" && ! grep -q "given_names: Eva" "$tmp/research.yaml"'
run export "$tmp/all.yaml"
check "an export without --purpose holds everyone" \
	eval 'is_ok && grep -q "given_names: Eva" "$tmp/all.yaml" && grep -q "^consents:" "$tmp/all.yaml"'
run export --purpose marketing
check "export --purpose of an unknown purpose" eval 'is_error && err_has "allowed: census"'

run_youth --actor dpo -r "$REG" audit enable
check "audit enable" is_ok
run_youth --actor dpo -r "$REG" export "$tmp/ids.yaml" --with-identifiers --purpose research
check "an export with national IDs from an audited registry" is_ok
run audit log --kind export --format json
check "... is in the audit trail: actor, what, purpose, count" \
	py 'len(d) == 1 and d[0]["actor"] == "dpo" and "\"persons\":1" in d[0]["changes"] and "research" in d[0]["changes"]'
run export "$tmp/ids2.yaml" --with-identifiers
check "... and refused without an actor" eval 'is_error && err_has "no actor"'
# (A read-only handle is refused too: tests/test_consent.c and tests/python/test_consent.py;
# here the tool runs as whoever made the file, often root, for whom a mode refuses nothing.)
run_youth --actor dpo -r "$REG" export "$tmp/pseudo.csv" --pseudonymise --csv \
	--pseudonym-key "$tmp/k.key" --purpose research
check "a pseudonymised export needs a key" is_error
run key new "$tmp/k.key"
check "key new" is_ok
run export "$tmp/pseudo.csv" --pseudonymise --csv --pseudonym-key "$tmp/k.key" --purpose research
check "a pseudonymised export for a purpose: one line per consenting person" \
	eval 'is_ok && [ "$(wc -l <"$tmp/pseudo.csv")" -eq 2 ]'
run audit log --kind export --format json
check "... and no audit entry for it: it carries no identifiers" \
	eval 'is_ok && [ "$(count_json)" -eq 1 ]'

cli_finish
