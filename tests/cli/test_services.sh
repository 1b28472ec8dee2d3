#!/bin/sh
# Tests of the programme-service commands of the `youth` tool: exchanges, operators, employers,
# eligibility rules and programmes, courses, cohorts, enrollments.  Runs against a temporary
# registry built from the sample data (gazetteer, census of 600, rules).
# Set-up, checks and summary: tests/cli/lib.sh.

. "$(dirname "$0")/lib.sh"
cli_need_python

# state_is ID STATE: the enrollment is in STATE (checked with enrollment show --format json).
state_is() { show_state enrollment "$1" '["state"]' "$2"; }

# ---- help on every command ------------------------------------------------------------------

for cmd in "exchange add" "exchange list" "exchange show" "exchange edit" \
	"operator add" "operator list" "operator show" "operator edit" "operator deactivate" \
	"employer add" "employer list" "employer show" "employer edit" \
	"rules load" "programme show" "programme list" "eligibility" \
	"course add" "course list" "course show" "course edit" \
	"cohort add" "cohort list" "cohort show" "cohort edit" "enroll" \
	"enrollment state" "enrollment attendance" "enrollment session" "enrollment certificate" \
	"enrollment show" "enrollment list"; do
	# shellcheck disable=SC2086
	run $cmd --help
	check "$cmd --help" eval 'is_ok && out_has "usage: youth [-r FILE] $cmd" && out_has "--registry"'
done
for group in exchange operator employer rules programme course cohort enrollment; do
	run $group --help
	check "$group --help lists its subcommands" eval 'is_ok && out_has "usage: youth [-r FILE] $group SUBCOMMAND"'
done
run --help
check "youth --help lists the new commands" eval 'is_ok && out_has "cohort add" && out_has "enrollment certificate" && out_has "eligibility" && out_has "enroll "'
run help enrollment state
check "help enrollment state names the states" eval 'is_ok && out_has "not_eligible" && out_has "--reason"'
run operator add --help
check "operator add --help names the field options" eval 'out_has "--exchange" && out_has "--given-names" && out_has "--role" && out_has "counsellor"'
run cohort add --help
check "cohort add --help names the field options" eval 'out_has "--course" && out_has "--capacity" && out_has "--min-attendance"'

# ---- setup ----------------------------------------------------------------------------------

cli_load_sample

# ---- rules and programmes -------------------------------------------------------------------

run rules load
check "rules load without FILE: usage error" is_usage
run rules load "$tmp/missing.yaml"
check "rules load of a missing file: error" is_error
cat >"$tmp/bad-rules.yaml" <<'EOF'
format: libyouth/1
programmes:
  - code: vocational
    title: Vocational training courses
    age_min: 16
    age_max: 24
    places:
      - atlantis
EOF
run rules load "$tmp/bad-rules.yaml"
check "rules load with an unknown place: error naming places" eval 'is_error && err_has "places" && err_has "atlantis"'
run programme show vocational
check "after a refused load no programme is stored" is_error
run programme list --format json
check "programme list of a registry without rules: empty" eval 'is_ok && json_ok && py "d == []"'
run rules load "$DATA/rules.yaml"
check "rules load examples/data/rules.yaml" eval 'is_ok && out_has "loaded 5 programmes"'
run programme show vocational
check "programme show: table" eval 'is_ok && out_has "age_max:" && out_has "census-2009" && out_has "sonsonate/sonsonate-oeste/acajutla"'
run programme show female_window --format json
check "programme show --format json" eval 'is_ok && json_ok && py "d[\"code\"] == \"female_window\" and d[\"age_max\"] == 35 and d[\"women_only\"] is True and d[\"consent_required\"] is True"'
run programme show vocational --format csv
check "programme show --format csv" eval 'is_ok && pycsv "len(rows) == 1 and rows[0][\"age_min\"] == \"16\" and rows[0][\"women_only\"] == \"false\""'
run programme show nonesuch
check "programme show of an unknown code: error" eval 'is_error && err_has "nonesuch"'
run programme show
check "programme show without CODE: usage error" is_usage
run programme list
check "programme list: table in code order, without the places" eval 'is_ok && out_has "women_only" && out_has "female_window" && ! out_has "sonsonate/" && [ "$(wc -l <"$tmp/out")" -eq 7 ]'
run programme list --format json
check "programme list --format json" eval 'is_ok && json_ok && py "[p[\"code\"] for p in d] == [\"counselling\", \"female_window\", \"scholarship\", \"seed_capital\", \"vocational\"] and d[1][\"women_only\"] is True and d[4][\"age_min\"] == 16"'
run programme list --format csv
check "programme list --format csv has every column" eval 'is_ok && pycsv "len(rows) == 5 and \"places\" in rows[0] and \"sonsonate/sonsonate-oeste/acajutla\" in rows[4][\"places\"]"'
run programme list --format xml
check "programme list --format xml: usage error" is_usage
run programme list extra
check "programme list with an operand: usage error" is_usage

# ---- exchanges ------------------------------------------------------------------------------

run exchange add --code SON --name "Bolsa de Empleo Municipal de Sonsonate" \
	--place sonsonate/sonsonate-centro/sonsonate --opened-date 2008-11-03
check "exchange add" is_added
SON=$(added_id)
run exchange add --code ACA --name "Bolsa de Empleo de Acajutla" --place acajutla
check "exchange add with a place by name" is_added
ACA=$(added_id)
run exchange add --code SZC --name "Bolsa de Empleo de Sonzacate" --place sonzacate
check "exchange add (third)" is_added
save_before exchange list --format json
run exchange add --code "S O N" --name x --place acajutla
check "exchange add with a bad code: error naming code" eval 'is_error && err_has "code \"S O N\""'
run exchange add --code SON --name "Otra" --place acajutla
check "exchange add with a taken code: error" eval 'is_error && err_has "SON"'
run exchange add --code NEW --name "Nueva" --place atlantis
check "exchange add with an unknown place: error naming place" eval 'is_error && err_has "place" && err_has "atlantis"'
run exchange add --code NEW --name "Nueva" --place acajutla --opened-date 2009-02-30
check "exchange add with a bad date: error naming opened_date" eval 'is_error && err_has "opened_date \"2009-02-30\""'
run exchange add --code NEW --place acajutla
check "exchange add without a name: error naming name" eval 'is_error && err_has "name"'
run exchange add --code NEW --name x --place acajutla extra
check "exchange add with an operand: usage error" is_usage
run exchange add --colour red
check "exchange add with an unknown option: usage error" eval 'is_usage && err_has "--colour"'
check "refused exchange adds stored nothing" same_as_before exchange list --format json
run exchange list
check "exchange list: table" eval 'is_ok && out_has "code" && out_has "SON" && out_has "Bolsa de Empleo de Acajutla" && [ "$(wc -l <"$tmp/out")" -eq 5 ]'
run exchange list --format json
check "exchange list --format json" eval 'is_ok && json_ok && py "len(d) == 3 and [e[\"code\"] for e in d] == [\"ACA\", \"SON\", \"SZC\"] and all(isinstance(e[\"id\"], int) for e in d)"'
run exchange list --format csv
check "exchange list --format csv" eval 'is_ok && pycsv "len(rows) == 3 and rows[1][\"opened_date\"] == \"2008-11-03\" and rows[0][\"opened_date\"] == \"\" and \"uuid\" in rows[0]"'
run exchange list --format xml
check "exchange list --format xml: usage error" eval 'is_usage && err_has "xml"'
run exchange show SON
check "exchange show by code" eval 'is_ok && out_has "opened_date: 2008-11-03" && out_has "sonsonate/sonsonate-centro/sonsonate"'
run exchange show "$ACA" --format json
check "exchange show by id --format json" eval 'is_ok && json_ok && py "d[\"code\"] == \"ACA\" and d[\"place\"] == \"sonsonate/sonsonate-oeste/acajutla\" and d[\"opened_date\"] is None"'
run exchange show "$SON" --format csv
check "exchange show by id --format csv" eval 'is_ok && pycsv "len(rows) == 1 and rows[0][\"code\"] == \"SON\" and rows[0][\"id\"] == \"$SON\""'
run exchange show NOPE
check "exchange show of an unknown code: error" eval 'is_error && err_has "NOPE"'
run exchange show 999
check "exchange show of an unknown id: error" is_error
run exchange show
check "exchange show without ID: usage error" is_usage
run exchange edit ACA --name "Bolsa de Empleo Municipal de Acajutla" --opened-date 2009-01-15
check "exchange edit by code" eval 'did run exchange show ACA --format json && py "d[\"name\"] == \"Bolsa de Empleo Municipal de Acajutla\" and d[\"opened_date\"] == \"2009-01-15\" and d[\"id\"] == $ACA"'
save_before exchange list --format json
run exchange edit ACA --code SON
check "exchange edit to a taken code: error" eval 'is_error && err_has "code \"SON\""'
run exchange edit ACA --place atlantis
check "exchange edit to an unknown place: error naming place" eval 'is_error && err_has "atlantis"'
run exchange edit ACA --opened-date 2009-02-30
check "exchange edit with a bad date: error naming opened_date" eval 'is_error && err_has "opened_date"'
run exchange edit NOPE --name x
check "exchange edit of an unknown code: error" eval 'is_error && err_has "NOPE"'
run exchange edit --name x
check "exchange edit without ID: usage error" is_usage
check "refused exchange edits changed nothing" same_as_before exchange list --format json

# ---- operators ------------------------------------------------------------------------------

run operator add --exchange SON --given-names "Ana María" --first-surname López \
	--second-surname Ramos --role counsellor --phone 71234567
check "operator add (exchange by code)" is_added
OP1=$(added_id)
run operator add --exchange "$ACA" --given-names Luis --first-surname Pérez --role intake
check "operator add (exchange by id)" is_added
OP2=$(added_id)
run operator add --exchange SON --given-names Rosa --first-surname Díaz --role placement
check "operator add (third)" is_added
OP3=$(added_id)
save_before operator list --format json
run operator add --exchange SON --given-names Rosa --first-surname Díaz --role boss
check "operator add with an unknown role: error naming role and the roles" eval 'is_error && err_has "role \"boss\"" && err_has "coordinator"'
run operator add --exchange NOPE --given-names Rosa --first-surname Díaz --role intake
check "operator add with an unknown exchange: error" eval 'is_error && err_has "NOPE"'
run operator add --exchange 999 --given-names Rosa --first-surname Díaz --role intake
check "operator add with an unknown exchange id: error naming exchange_id" eval 'is_error && err_has "exchange_id"'
run operator add --exchange SON --given-names Rosa --first-surname Díaz --role intake --phone 123
check "operator add with a bad phone: error naming phone" eval 'is_error && err_has "phone"'
run operator add --exchange SON --first-surname Díaz --role intake
check "operator add without given names: error naming given_names" eval 'is_error && err_has "given_names"'
check "refused operator adds stored nothing" same_as_before operator list --format json
run operator list
check "operator list: table" eval 'is_ok && out_has "Ana María" && out_has "counsellor" && [ "$(wc -l <"$tmp/out")" -eq 5 ]'
run operator list --exchange ACA --format json
check "operator list --exchange CODE --format json" eval 'is_ok && json_ok && py "len(d) == 1 and d[0][\"given_names\"] == \"Luis\" and d[0][\"active\"] is True and d[0][\"exchange_id\"] == $ACA"'
run operator list --exchange SON --format csv
check "operator list --exchange --format csv" eval 'is_ok && pycsv "len(rows) == 2 and rows[0][\"phone\"] == \"7123-4567\" and rows[0][\"active\"] == \"true\""'
run operator list --exchange NOPE
check "operator list --exchange unknown: error" is_error
run operator show "$OP1" --format json
check "operator show --format json" eval 'is_ok && json_ok && py "d[\"id\"] == $OP1 and d[\"role\"] == \"counsellor\" and d[\"second_surname\"] == \"Ramos\""'
run operator show 999
check "operator show of an unknown id: error" is_error
run operator edit "$OP1" --phone 7777-1234 --role coordinator
check "operator edit" eval 'did run operator show "$OP1" --format json && py "d[\"phone\"] == \"7777-1234\""' 
run operator show "$OP1" --format json
check "operator edit changed only the given fields" eval 'py "d[\"phone\"] == \"7777-1234\" and d[\"role\"] == \"coordinator\" and d[\"given_names\"] == \"Ana María\""'
run operator edit "$OP1" --second-surname ""
check "operator edit with an empty value unsets the field" eval 'is_ok && { run operator show "$OP1" --format json; py "d[\"second_surname\"] is None"; }'
save_before operator show "$OP1" --format json
run operator edit "$OP1" --phone 12 --role intake
check "operator edit with a bad phone: error naming phone" eval 'is_error && err_has "phone"'
check "refused operator edit changed nothing" same_as_before operator show "$OP1" --format json
run operator edit "$OP1"
check "operator edit without fields: usage error" eval 'is_usage && err_has "nothing to change"'
run operator deactivate "$OP3"
check "operator deactivate" eval 'did run operator show "$OP3" --format json && py "d[\"active\"] is False"' 
run operator show "$OP3" --format json
check "a deactivated operator is inactive" eval 'py "d[\"active\"] is False"'
run operator deactivate 999
check "operator deactivate of an unknown id: error" is_error
run operator deactivate
check "operator deactivate without ID: usage error" is_usage

# ---- employers ------------------------------------------------------------------------------

run employer add --name "Super Selectos Acajutla" --sector retail --nit 0614-010190-101-1 \
	--place acajutla --contact-name "Rosa Díaz" --phone 24501234 --email rrhh@example.com.sv
check "employer add with every field" is_added
EMP=$(added_id)
run employer add --name "Hotel Los Cóbanos"
check "employer add with only a name" is_added
save_before employer list --format json
run employer add --name "Hotel X" --nit 0614-01
check "employer add with a bad NIT: error naming nit" eval 'is_error && err_has "nit \"0614-01\""'
run employer add --name "Hotel X" --email nobody
check "employer add with a bad email: error naming email" eval 'is_error && err_has "email"'
run employer add --name "Otra" --nit 0614-010190-101-1
check "employer add with a taken NIT: error" eval 'is_error && err_has "0614-010190-101-1"'
run employer add --sector retail
check "employer add without a name: error naming name" eval 'is_error && err_has "name"'
check "refused employer adds stored nothing" same_as_before employer list --format json
run employer list
check "employer list: table" eval 'is_ok && out_has "Super Selectos Acajutla" && out_has "0614-010190-101-1"'
run employer list --format json
check "employer list --format json (name order)" eval 'is_ok && json_ok && py "len(d) == 2 and d[0][\"name\"] == \"Hotel Los Cóbanos\" and d[1][\"email\"] == \"rrhh@example.com.sv\""'
run employer list --format csv
check "employer list --format csv" eval 'is_ok && pycsv "len(rows) == 2 and rows[1][\"phone\"] == \"2450-1234\""'
run employer edit "$EMP" --sector "hotels and restaurants" --contact-name ""
check "employer edit" eval 'did run employer show "$EMP" --format json && py "d[\"sector\"] == \"hotels and restaurants\""' 
run employer show "$EMP" --format json
check "employer show after edit" eval 'is_ok && json_ok && py "d[\"sector\"] == \"hotels and restaurants\" and d[\"contact_name\"] is None and d[\"nit\"] == \"0614-010190-101-1\""'
run employer edit "$EMP" --email bad
check "employer edit with a bad email: error" eval 'is_error && err_has "email"'
run employer show 999
check "employer show of an unknown id: error" is_error

# ---- courses --------------------------------------------------------------------------------

run course add --code SOLD --title "Soldadura eléctrica" --provider INSAFORP --hours 240 \
	--job-profile welder
check "course add" is_added
run course add --code COC-01 --title "Cocina básica" --provider ITCA --hours 120
check "course add (second)" is_added
save_before course list --format json
run course add --code PAN --title "Panadería" --provider ITCA --hours many
check "course add with non-numeric hours: error naming hours" eval 'is_error && err_has "hours \"many\""'
run course add --code PAN --title "Panadería" --provider ITCA --hours 5000
check "course add with too many hours: error naming hours" eval 'is_error && err_has "hours"'
run course add --code SOLD --title "Otra" --provider ITCA --hours 10
check "course add with a taken code: error" eval 'is_error && err_has "SOLD"'
run course add --code PAN --title "Panadería" --hours 10
check "course add without a provider: error naming provider" eval 'is_error && err_has "provider"'
check "refused course adds stored nothing" same_as_before course list --format json
run course list
check "course list: table" eval 'is_ok && out_has "Soldadura eléctrica" && out_has "INSAFORP"'
run course list --format json
check "course list --format json (code order)" eval 'is_ok && json_ok && py "[c[\"code\"] for c in d] == [\"COC-01\", \"SOLD\"] and d[1][\"hours\"] == 240"'
run course list --format csv
check "course list --format csv" eval 'is_ok && pycsv "len(rows) == 2 and rows[1][\"job_profile\"] == \"welder\""'
run course edit SOLD --hours 200
check "course edit by code" eval 'did run course show SOLD --format json && py "d[\"hours\"] == 200"' 
run course show SOLD --format json
check "course show by code after edit" eval 'is_ok && json_ok && py "d[\"hours\"] == 200 and d[\"title\"] == \"Soldadura eléctrica\""'
run course edit SOLD --hours 0
check "course edit with 0 hours: error naming hours" eval 'is_error && err_has "hours"'
run course show NOPE
check "course show of an unknown code: error" eval 'is_error && err_has "NOPE"'

# ---- cohorts --------------------------------------------------------------------------------

run cohort add --course SOLD --exchange SON --code SOLD-2009-1 --start-date 2009-05-04 \
	--end-date 2009-07-31 --place sonsonate/sonsonate-centro/sonsonate --capacity 2
check "cohort add (course and exchange by code)" is_added
CH1=$(added_id)
run cohort add --course COC-01 --exchange "$ACA" --code COC-2009-1 --start-date 2009-06-01 \
	--end-date 2009-06-30 --place acajutla --capacity 20 --min-attendance 70
check "cohort add (second, min attendance 70)" is_added
save_before cohort list --format json
run cohort add --course SOLD --exchange SON --code SOLD-2009-2 --start-date 2009-08-04 \
	--end-date 2009-07-31 --place acajutla --capacity 2
check "cohort add ending before it starts: error naming end_date" eval 'is_error && err_has "end_date"'
run cohort add --course NOPE --exchange SON --code SOLD-2009-2 --start-date 2009-08-04 \
	--end-date 2009-09-30 --place acajutla --capacity 2
check "cohort add of an unknown course: error" eval 'is_error && err_has "NOPE"'
run cohort add --course SOLD --exchange SON --code SOLD-2009-2 --start-date 2009-08-04 \
	--end-date 2009-09-30 --place acajutla --capacity 501
check "cohort add with capacity 501: error naming capacity" eval 'is_error && err_has "capacity"'
run cohort add --course SOLD --exchange SON --code SOLD-2009-2 --start-date 2009-08-04 \
	--end-date 2009-09-30 --place acajutla --capacity 5 --min-attendance 101
check "cohort add with min attendance 101: error naming min_attendance" eval 'is_error && err_has "min_attendance"'
check "refused cohort adds stored nothing" same_as_before cohort list --format json
run cohort list
check "cohort list: table with places taken" eval 'is_ok && out_has "SOLD-2009-1" && out_has "taken" && out_has "free"'
run cohort list --course SOLD --format json
check "cohort list --course --format json" eval 'is_ok && json_ok && py "len(d) == 1 and d[0][\"code\"] == \"SOLD-2009-1\" and d[0][\"min_attendance\"] == 80 and d[0][\"taken\"] == 0 and d[0][\"free\"] == 2"'
run cohort list --format csv
check "cohort list --format csv (start date order)" eval 'is_ok && pycsv "[r[\"code\"] for r in rows] == [\"SOLD-2009-1\", \"COC-2009-1\"] and rows[1][\"min_attendance\"] == \"70\""'
run cohort show SOLD-2009-1
check "cohort show by code: places taken" eval 'is_ok && out_has "capacity:       2" && out_has "taken:          0"'
run cohort show "$CH1" --format json
check "cohort show by id --format json" eval 'is_ok && json_ok && py "d[\"code\"] == \"SOLD-2009-1\" and d[\"taken\"] == 0 and d[\"capacity\"] == 2"'
run cohort show NOPE
check "cohort show of an unknown code: error" eval 'is_error && err_has "NOPE"'

# ---- eligibility ----------------------------------------------------------------------------

# Three youths eligible for the vocational programme on the application date.
eligible=
for id in 1 2 4 5 6 7 8 9 10 11 12; do
	run eligibility "$id" vocational --date 2009-04-20
	[ "$rc" -eq 0 ] && out_has eligible && eligible="$eligible $id"
done
set -- $eligible
if [ $# -ge 3 ]; then pass "three eligible youths found:$eligible"; else fail "three eligible youths found:$eligible"; fi
P1=${1:-1}
P2=${2:-2}
P3=${3:-4}
run eligibility "$P1" vocational --date 2009-04-20
check "eligibility of an eligible youth: exit 0, eligible" eval 'is_ok && [ "$(cat "$tmp/out")" = eligible ]'
run person add --given-names Pedro --first-surname Ruiz --birth-date 1983-01-10 --sex male \
	--place "Santa Eugenia" --census-date 2009-03-02 --census-round census-2009 \
	--consent true --allow-age
check "register a youth of 26" is_added
OLD=$(cut -d' ' -f1 "$tmp/out")
run eligibility "$OLD" vocational --date 2009-04-20
check "eligibility of a youth of 26: exit 1 naming the rule" eval 'is_error && err_has "vocational: age 26 on 2009-04-20 is above the maximum 24"'
run person show "$OLD" --format json
OLDUUID=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["person"]["uuid"])' "$tmp/out" 2>/dev/null)
run eligibility "$OLDUUID" female_window --date 2009-04-20
check "eligibility by UUID, women only: names the rule" eval 'is_error && err_has "female_window" && err_has "women only"'
run eligibility "$OLD" counselling --date 2009-13-01
check "eligibility with a bad date: error naming the date" eval 'is_error && err_has "2009-13-01"'
run eligibility 99999 vocational --date 2009-04-20
check "eligibility of an unknown person: error" is_error
run eligibility "$P1"
check "eligibility without PROGRAMME: usage error" is_usage

# ---- enroll ---------------------------------------------------------------------------------

run enroll "$P1" SOLD-2009-1 --operator "$OP1" --date 2009-04-20
check "enroll an eligible youth (cohort by code)" is_added
E1=$(added_id)
run enroll "$P2" "$CH1" --operator "$OP1" --date 2009-04-20
check "enroll a second youth (cohort by id)" is_added
E2=$(added_id)
run enroll "$P3" SOLD-2009-1 --operator "$OP2" --date 2009-04-21
check "enroll a third youth" is_added
E3=$(added_id)
save_before enrollment list --format json
run enroll "$OLD" SOLD-2009-1 --operator "$OP1" --date 2009-04-20
check "enroll an ineligible youth: refused naming the rule" eval 'is_error && err_has "vocational: age 26" && err_has "maximum 24"'
check "a refused application stores nothing" same_as_before enrollment list --format json
run enroll "$OLD" SOLD-2009-1 --operator "$OP1" --date 2009-04-20 --override-operator "$OP1"
check "override operator without a reason: usage error" eval 'is_usage && err_has "--override-reason"'
run enroll "$OLD" SOLD-2009-1 --operator "$OP1" --date 2009-04-20 --override-operator "$OP1" \
	--override-reason ""
check "override with an empty reason: error naming reason" eval 'is_error && err_has "reason"'
run enroll "$P1" SOLD-2009-1 --operator "$OP1" --date 2009-04-22
check "enroll twice in a cohort: error" eval 'is_error && err_has "already has enrollment"'
run enroll "$P1" COC-2009-1 --operator "$OP3" --date 2009-04-22
check "enroll by an inactive operator: error naming operator_id" eval 'is_error && err_has "operator_id" && err_has "inactive"'
run enroll "$P1" NOPE --operator "$OP1" --date 2009-04-22
check "enroll in an unknown cohort: error" eval 'is_error && err_has "NOPE"'
run enroll 99999 SOLD-2009-1 --operator "$OP1" --date 2009-04-22
check "enroll an unknown person: error" eval 'is_error && err_has "person_id"'
run enroll "$P1" COC-2009-1 --operator "$OP1" --date 2009-02-30
check "enroll with a bad date: error naming applied_date" eval 'is_error && err_has "applied_date"'
run enroll "$P1" COC-2009-1 --date 2009-04-22
check "enroll without --operator: usage error" eval 'is_usage && err_has "--operator"'
run enroll "$P1" --operator "$OP1"
check "enroll without COHORT: usage error" is_usage
check "refused applications stored nothing" same_as_before enrollment list --format json
run enroll "$OLD" SOLD-2009-1 --operator "$OP1" --date 2009-04-20 --override-operator "$OP1" \
	--override-reason "member of the women's group of Santa Eugenia"
check "enroll an ineligible youth with an override: accepted" is_added
E4=$(added_id)
run enrollment show "$E4" --format json
check "the overridden application is applied" eval 'is_ok && json_ok && py "d[\"state\"] == \"applied\" and d[\"person_id\"] == $OLD and d[\"operator_id\"] == $OP1"'

# ---- enrollment states ----------------------------------------------------------------------

run enrollment state "$E1" completed --date 2009-05-04
check "applied -> completed: error naming the states and the allowed ones" eval 'is_error && err_has "cannot go from applied to completed" && err_has "; allowed from applied: enrolled, dropped, not_eligible"'
run enrollment state "$E1" enrolled --date 2009-05-04
check "applied -> enrolled" did state_is "$E1" enrolled
run enrollment state "$E2" enrolled --date 2009-05-04
check "applied -> enrolled (second place)" did state_is "$E2" enrolled
run cohort show SOLD-2009-1 --format json
check "cohort show counts the places taken" eval 'py "d[\"taken\"] == 2 and d[\"free\"] == 0"'
run enrollment state "$E3" enrolled --date 2009-05-04
check "enrolled in a full cohort: error naming the capacity" eval 'is_error && err_has "is full (capacity 2, 2 places taken)"'
save_before cohort list --format json
run cohort edit SOLD-2009-1 --capacity 1
check "cohort edit below the places taken: rule error" eval 'is_error && err_has "capacity 1: below the 2 places already taken"'
run cohort edit SOLD-2009-1 --course COC-01
check "cohort edit to another course once anyone applied: rule error" eval 'is_error && err_has "course_id"'
run cohort edit SOLD-2009-1 --start-date 2009-03-01 --end-date 2009-03-31
check "cohort edit ending before an application: rule error" eval 'is_error && err_has "end_date"'
run cohort edit SOLD-2009-1 --end-date 2009-05-01
check "cohort edit ending before it starts: error naming end_date" eval 'is_error && err_has "before start_date"'
run cohort edit NOPE --capacity 3
check "cohort edit of an unknown cohort: error" eval 'is_error && err_has "NOPE"'
run cohort edit
check "cohort edit without ID: usage error" is_usage
check "refused cohort edits changed nothing" same_as_before cohort list --format json
run cohort edit COC-2009-1 --capacity 25 --end-date 2009-07-15
check "cohort edit by code" eval 'did run cohort show COC-2009-1 --format json && py "d[\"capacity\"] == 25 and d[\"end_date\"] == \"2009-07-15\" and d[\"min_attendance\"] == 70"'
run enrollment state "$E1" applied --date 2009-05-05
check "enrolled -> applied: error naming the states" eval 'is_error && err_has "cannot go from enrolled to applied" && err_has "; allowed from enrolled: completed, dropped"'
run enrollment state "$E3" dropped --date 2009-05-04
check "dropped without a reason: error naming reason" eval 'is_error && err_has "reason"'
run enrollment state "$E3" enrolled --date 2009-05-04 --reason "no"
check "a reason for enrolled: error naming reason" eval 'is_error && err_has "reason"'
run enrollment state "$E3" flying --date 2009-05-04
check "unknown state: usage error listing the states" eval 'is_usage && err_has "flying" && err_has "not_eligible"'
run enrollment state "$E3" enrolled --date 2009-13-01
check "bad date: error naming date" eval 'is_error && err_has "2009-13-01"'
run enrollment state abc enrolled
check "non-numeric enrollment key that names none: error naming it" eval 'is_error && err_has "\"abc\": no such enrollment"'
run enrollment state 9999 enrolled --date 2009-05-04
check "unknown enrollment: error" is_error
run enrollment state "$E2" dropped --date 2009-05-10 --reason "found a job"
check "enrolled -> dropped with a reason" did state_is "$E2" dropped
run enrollment state "$E3" enrolled --date 2009-05-11
check "a dropped enrollment frees its place" did state_is "$E3" enrolled
run enrollment state "$E2" enrolled --date 2009-05-12
check "dropped is final: error" eval 'is_error && err_has "cannot go from dropped to enrolled; nothing is allowed from dropped (a final state)"'
run enrollment state "$E4" not_eligible --date 2009-04-25 --reason "documents missing"
check "applied -> not_eligible with a reason" did state_is "$E4" not_eligible

# ---- attendance, sessions, certificates -----------------------------------------------------

run enrollment session "$E1" 2009-05-04 present
check "session present" eval 'did run enrollment show "$E1" --format json && py "d[\"attendance\"] == 100"'
run enrollment session "$E1" 2009-05-05 present
check "session present (second)" eval 'did run enrollment show "$E1" --format json && py "d[\"attendance\"] == 100"'
run enrollment session "$E1" 2009-05-06 absent
check "session absent" eval 'did run enrollment show "$E1" --format json && py "d[\"attendance\"] == 67"' 
run enrollment show "$E1" --format json
check "attendance from sessions: 2 of 3 is 67" eval 'is_ok && json_ok && py "d[\"attendance\"] == 67 and d[\"state\"] == \"enrolled\""'
run enrollment session "$E1" 2009-05-07 maybe
check "session neither present nor absent: usage error" eval 'is_usage && err_has "maybe"'
run enrollment session "$E1" 2010-01-01 present
check "session outside the cohort's dates: error" eval 'is_error && err_has "2010-01-01"'
run enrollment session "$E4" 2009-05-04 present
check "session of an enrollment that is not enrolled: error" is_error
run enrollment state "$E1" completed --date 2009-07-31
check "completed below the minimum attendance: error naming both" eval 'is_error && err_has "attendance 67% is below the cohort'"'"'s minimum 80%"'
run enrollment certificate "$E1" --date 2009-08-14
check "certificate of an enrollment that is not completed: error" eval 'is_error && err_has "completed"'
run enrollment attendance "$E1" 101
check "attendance 101: error" eval 'is_error && err_has "101"'
run enrollment attendance "$E1" lots
check "non-numeric attendance: usage error" eval 'is_usage && err_has "lots"'
run enrollment attendance "$E1" 80
check "attendance 80" eval 'did run enrollment show "$E1" --format json && py "d[\"attendance\"] == 80"' 
run enrollment state "$E1" completed --date 2009-07-31
check "enrolled -> completed with the minimum attendance" did state_is "$E1" completed
run enrollment certificate "$E1" --date 2009-08-14
check "certificate of a completed enrollment" eval 'did run enrollment show "$E1" --format json && py "d[\"certificate_date\"] == \"2009-08-14\""' 
run enrollment certificate "$E1" --date 2009-08-15
check "certificate issued twice: error" eval 'is_error && err_has "already issued"'
run enrollment show "$E1"
check "enrollment show: table" eval 'is_ok && out_has "state:            completed" && out_has "certificate_date: 2009-08-14" && out_has "attendance:       80"'
run enrollment show 9999
check "enrollment show of an unknown id: error" is_error

# ---- enrollment lists -----------------------------------------------------------------------

run enrollment list
check "enrollment list: table" eval 'is_ok && out_has "completed" && out_has "not_eligible" && [ "$(wc -l <"$tmp/out")" -eq 6 ]'
run enrollment list --format json
check "enrollment list --format json" eval 'is_ok && json_ok && py "[e[\"state\"] for e in d] == [\"completed\", \"dropped\", \"enrolled\", \"not_eligible\"] and d[1][\"reason\"] == \"found a job\" and d[3][\"attendance\"] is None"'
run enrollment list --cohort SOLD-2009-1 --person "$P3" --format json
check "enrollment list --cohort --person" eval 'is_ok && json_ok && py "len(d) == 1 and d[0][\"id\"] == $E3"'
run enrollment list --person "$OLDUUID" --format csv
check "enrollment list --person UUID --format csv" eval 'is_ok && pycsv "len(rows) == 1 and rows[0][\"reason\"] == \"documents missing\""'
run enrollment list --cohort COC-2009-1 --format json
check "enrollment list of an empty cohort: []" eval 'is_ok && json_ok && py "d == []"'
run enrollment list --cohort NOPE
check "enrollment list --cohort unknown: error" is_error
run cohort list --format json
check "cohort list counts places taken (completed keeps its place)" eval 'is_ok && py "d[0][\"taken\"] == 2 and d[1][\"taken\"] == 0"'

# ---- choosing the registry ------------------------------------------------------------------

YOUTH_REGISTRY=$REG "$YOUTH" course list --format json >"$tmp/out" 2>"$tmp/err"
rc=$?
last="YOUTH_REGISTRY=... youth course list --format json"
check "YOUTH_REGISTRY selects the registry" eval 'is_ok && py "len(d) == 2"'
"$YOUTH" cohort show SOLD-2009-1 -r "$REG" --format json >"$tmp/out" 2>"$tmp/err"
rc=$?
last="youth cohort show SOLD-2009-1 -r ... --format json"
check "-r after the command" eval 'is_ok && py "d[\"code\"] == \"SOLD-2009-1\""'
"$YOUTH" enrollment list >"$tmp/out" 2>"$tmp/err"
rc=$?
last="youth enrollment list (no registry)"
check "no registry given: usage error" eval 'is_usage && err_has "YOUTH_REGISTRY"'

# ---- read-only commands ---------------------------------------------------------------------

chmod a-w "$REG"
if [ -w "$REG" ]; then
	pass "read-only registry (skipped: running as root)"
else
	run cohort list
	check "list commands work on a read-only registry" eval 'is_ok && out_has SOLD-2009-1' 
fi
chmod u+w "$REG"

cli_finish
