#!/bin/sh
# CONAMYPE as a partner of its own (issue 15): organisations beside the municipal exchanges,
# the female entrepreneurship window recorded by CONAMYPE's operators, the one resolver of
# record keys (an id, UUID or code that names no record is an error), plan list and visits.
# Set-up, checks and summary: tests/cli/lib.sh.

. "$(dirname "$0")/lib.sh"
cli_need_python

cli_load_sample
run exchange add --code SON --name "Bolsa de Empleo Municipal de Sonsonate" \
	--place sonsonate/sonsonate-centro/sonsonate
check "exchange add" is_added
EX=$(added_id)
run organisation add --code CONAMYPE --type conamype \
	--name "Comisión Nacional de la Micro y Pequeña Empresa" --place department:sonsonate
check "organisation add (CONAMYPE)" is_added
CM=$(added_id)
run organisation add --code CM-SON --type centre --parent CONAMYPE \
	--name "Ventanilla de Emprendimiento Femenino de Sonsonate" --place sonsonate/sonsonate-centro/sonsonate
check "organisation add (a centre, parent by code)" is_added
CW=$(added_id)
run organisation add --code INSAFORP --type training_provider --name "INSAFORP" --place department:sonsonate
check "organisation add (a training provider)" is_added
run organisation add --code X1 --type bank --name "X" --place department:sonsonate
check "organisation add with an unknown type: error naming type" eval 'is_error && err_has "type"'
run organisation add --code X1 --type centre --parent 99 --name "X" --place department:sonsonate
check "organisation add with an unknown parent: error naming it" eval 'is_error && err_has "99" && err_has "no such organisation"'
run organisation list --format json
check "organisation list: the exchange and the three others" eval 'is_ok && json_ok && py "sorted(o[\"code\"] for o in d) == [\"CM-SON\", \"CONAMYPE\", \"INSAFORP\", \"SON\"]"'
run organisation list --type centre --format json
check "organisation list --type centre" eval 'is_ok && json_ok && py "[(o[\"code\"], o[\"parent_id\"]) for o in d] == [(\"CM-SON\", $CM)]"'
run organisation list --type bank
check "organisation list --type bank: error naming the types" eval 'is_error && err_has "training_provider"'
run organisation show CM-SON --format json
check "organisation show by code" eval 'is_ok && json_ok && py "d[\"type\"] == \"centre\""'
run exchange list --format json
check "exchange list: the municipal exchange alone" eval 'is_ok && json_ok && py "[e[\"code\"] for e in d] == [\"SON\"]"'
run exchange show CONAMYPE
check "exchange show CONAMYPE: not an exchange" eval 'is_error && err_has "no such exchange"'

# ---- CONAMYPE's operator records the window's work ------------------------------------------

run operator add --exchange CM-SON --given-names "Marta" --first-surname "Rivas" --role coordinator
check "operator add at CONAMYPE's centre" is_added
OP=$(added_id)
OPUUID=$(sed -n 's/^[0-9]* //p' "$tmp/out")
run operator list --organisation CM-SON --format json
check "operator list --organisation" eval 'is_ok && json_ok && py "[o[\"id\"] for o in d] == [$OP]"'
run operator list --exchange SON --format json
check "... and none at the municipal exchange" eval 'is_ok && json_ok && py "d == []"'
run operator list --exchange 99
check "operator list --exchange 99: error, not an empty list" eval 'is_error && err_has "99"'

run group add --name "Mujeres Emprendedoras de Sonsonate" --window female_window --operator 99 --formed-date 2009-04-01
check "group add by an operator that does not exist: error naming it" eval 'is_error && err_has "operator 99: no such operator"'
run group add --name "Mujeres Emprendedoras de Sonsonate" --window female_window --operator "$OPUUID" --formed-date 2009-04-01
check "group add (operator by UUID)" is_added
GR=$(added_id)
run group show "$GR" --format json
check "... recorded under the centre" eval 'is_ok && json_ok && py "d[\"group\"][\"exchange_id\"] == $CW"'
run group member add "$GR" 10 --operator "$OP" --date 2009-04-02
check "group member add" is_added
run plan add --group "Mujeres Emprendedoras de Sonsonate" --window female_window --title "Panadería" \
	--sector food --description "Pan dulce" --requested 800.00 --operator "$OP" --date 2009-05-01
check "plan add (group by name)" is_added
PL=$(added_id)
run plan add --group "Nadie" --window female_window --title "P" --sector food \
	--description "P" --requested 800.00 --operator "$OP" --date 2009-05-01
check "plan add with an unknown group: error naming it" eval 'is_error && err_has "no such group"'
run plan submit "$PL" --date 2009-05-02
check "plan submit" is_ok
run plan appraise "$PL" --date 2009-05-03
check "plan appraise" is_ok
run plan approve "$PL" --date 2009-05-04 --amount 700.00
check "plan approve" is_ok
run plan list --state approved --format json
check "plan list --state approved: group name and balance" eval 'is_ok && json_ok && py "[(p[\"id\"], p[\"group\"], p[\"remaining\"]) for p in d] == [($PL, \"Mujeres Emprendedoras de Sonsonate\", \"700.00\")]"'
run plan disburse "$PL" --amount 400.00 --date 2009-05-10 --reference CM-1 --operator "$OP"
check "first disbursement" is_added
run plan disburse "$PL" --amount 300.00 --date 2009-06-10 --reference CM-2 --operator "$OP"
check "second disbursement" is_added
run plan list --state approved --format json
check "plan list --state approved: none once funded" eval 'is_ok && json_ok && py "d == []"'
run plan list --state funded
check "plan list --state funded: table with the group and what remains" eval 'is_ok && out_has "Mujeres Emprendedoras" && out_has "700.00" && out_has "0.00"'
run plan list --state moon
check "plan list --state moon: error naming the states" eval 'is_error && err_has "funded"'
run plan list --group 99
check "plan list --group 99: error, not an empty list" eval 'is_error && err_has "99"'
run plan visit "$PL" --date 2009-07-01 --operating yes --jobs 2 --sales 450.00 --operator "$OP"
check "plan visit" is_added
run plan visits "$PL" --format json
check "plan visits" eval 'is_ok && json_ok && py "[(v[\"date\"], v[\"jobs_created\"]) for v in d] == [(\"2009-07-01\", \"2\")]"'
run plan show "$PL" --format json
check "plan show: balance, disbursements and visits" eval 'is_ok && json_ok && py "len(d[\"disbursements\"]) == 2 and len(d[\"visits\"]) == 1 and d[\"plan\"][\"exchange_id\"] == $CW"'
run plan visits 99
check "plan visits 99: error" eval 'is_error && err_has "plan 99: no such plan"'
run business-service list --plan 99
check "business-service list --plan 99: error" eval 'is_error && err_has "99"'
run scholarship list --employer 99
check "scholarship list --employer 99: error" eval 'is_error && err_has "99"'

# ---- keys of other records ----------------------------------------------------------------------

run person list --format json
check "person list" eval 'is_ok && json_ok'
DUI=$("$PY" -c "import json,sys; print(next(p['national_id'] for p in json.load(open(sys.argv[1], encoding='utf-8')) if p.get('national_id')))" "$tmp/out")
PID=$("$PY" -c "import json,sys; print(next(p['id'] for p in json.load(open(sys.argv[1], encoding='utf-8')) if p.get('national_id')))" "$tmp/out")
run person show "$DUI" --format json
check "person show by national ID" eval 'is_ok && json_ok && py "d[\"person\"][\"id\"] == $PID"'
run cohort show NOPE-1
check "cohort show of an unknown code: error naming it" eval 'is_error && err_has "NOPE-1"'

cli_finish
