#!/bin/sh
# Tests of the programme commands of the `youth` tool: person timeline and cascade delete,
# counselling sessions and rosters, scholarships, groups, business plans, outcome follow-ups.
# Runs against a temporary registry built from the sample data (gazetteer, census of 600, rules).
# Set-up, checks and summary: tests/cli/lib.sh.

. "$(dirname "$0")/lib.sh"
cli_need_python

# session_state ID STATE: counselling session ID is in STATE.
session_state() { show_state counselling "$1" '["session"]["state"]' "$2"; }
# timeline_has EXPR: the timeline of `person show --format json` satisfies EXPR over `t`.
timeline_has() { py "(lambda t: $1)(d[\"timeline\"])"; }

# ---- help on every command ------------------------------------------------------------------

for cmd in "scholarship apply" "scholarship award" "scholarship reject" "scholarship activate" \
	"scholarship complete" "scholarship terminate" "scholarship pay" "scholarship balance" \
	"scholarship show" "scholarship list" \
	"group add" "group member" "group member add" "group member remove" "group show" \
	"group list" "business-service add" "business-service list" "counselling attend" \
	"plan add" "plan submit" "plan appraise" "plan approve" "plan reject" "plan operating" \
	"plan close" "plan disburse" "plan visit" "plan show" "plan list" \
	"counselling add" "counselling participant" "counselling participant add" \
	"counselling participant remove" "counselling close" "counselling show" \
	"counselling list" "counselling count" "followup add" "followup list" "followup count" \
	"person delete" "person show"; do
	# shellcheck disable=SC2086
	run $cmd --help
	check "$cmd --help" eval 'is_ok && out_has "usage: youth [-r FILE] $cmd" && out_has "--registry"'
done
for group in counselling scholarship group plan business-service followup; do
	run $group --help
	check "$group --help lists its subcommands" eval 'is_ok && out_has "usage: youth [-r FILE] $group SUBCOMMAND"'
done
run --help
check "youth --help lists the new commands" eval 'is_ok && out_has "counselling close" && out_has "followup count"'
run person delete --help
check "person delete --help names --cascade" out_has "--cascade"
run counselling participant
check "counselling participant without add/remove: usage error" is_usage
run counselling participant frobnicate 1 2
check "counselling participant with an unknown subcommand: usage error" eval 'is_usage && err_has "frobnicate"'

# ---- setup ----------------------------------------------------------------------------------

cli_load_sample
cli_load_exchange
# Persons of the sample census: 4, 5, 6 are eligible for counselling in 2009 (16-24, consent,
# census-2009); 3 (born 1984-02-21) is 25 on 2009-05-01.
YOUNG=4
run eligibility 3 counselling --date 2009-05-01
check "person 3 breaks a counselling rule (age)" eval 'is_error && err_has "age 25"'

# ---- person show: timeline ------------------------------------------------------------------

run person show "$YOUNG"
check "person show: record then a timeline with the census" eval 'is_ok && out_has "given_names" && out_has "timeline:" && grep -q "^2009-02-02  census" "$tmp/out"'
run person show "$YOUNG" --format json
check "person show --format json: {person, timeline}" eval 'is_ok && json_ok && py "sorted(d) == [\"person\", \"timeline\"] and d[\"person\"][\"id\"] == $YOUNG and isinstance(d[\"timeline\"], list)"'
check "... the timeline starts with the census event" timeline_has 't[0]["kind"] == "census" and t[0]["record_id"] == '"$YOUNG"' and t[0]["amount"] is None'
run person show "$YOUNG" --format csv
check "person show --format csv: record, blank line, timeline table" eval 'is_ok && grep -q "^date,kind,record_id,uuid,state,amount,detail" "$tmp/out" && grep -q "^$(printf "\r")\$" "$tmp/out"'

# ---- counselling ----------------------------------------------------------------------------

save_before counselling list --format json
run counselling add --operator "$INTAKE" --date 2009-05-01 --kind career_guidance --mode group --duration 90
check "counselling add by an intake operator: rule error" eval 'is_error && err_has "counsellor"'
run counselling add --operator "$OP" --date 2009-05-01 --kind gossip --mode group --duration 90
check "counselling add with an unknown kind: error naming kind" eval 'is_error && err_has "kind"'
run counselling add --operator "$OP" --date 2009-05-01 --kind career_guidance --mode group --duration 0
check "counselling add with duration 0: error naming duration_minutes" eval 'is_error && err_has "duration_minutes"'
run counselling add --operator "$OP" --date 2999-05-01 --kind career_guidance --mode group --duration 60
check "counselling add in the future: error naming date" eval 'is_error && err_has "date"'
run counselling add --operator "$OP" --date 2009-05-01 --kind career_guidance --mode group --duration 60 extra
check "counselling add with an operand: usage error" is_usage
run counselling add --colour red
check "counselling add with an unknown option: usage error" eval 'is_usage && err_has "--colour"'
check "refused counselling adds stored nothing" same_as_before counselling list --format json

run counselling add --operator "$OP" --date 2009-05-01 --kind career_guidance --mode group \
	--duration 90 --topic "Hoja de vida" --place district:Sonsonate
check "counselling add (group)" is_added
GS=$(added_id)
check "... state open" session_state "$GS" open
run counselling add --operator "$OP" --date 2009-05-04 --kind job_search --mode individual --duration 45
check "counselling add (individual)" is_added
IS=$(added_id)

run counselling participant add "$GS" "$YOUNG"
check "participant add" is_added
run counselling participant add "$GS" "$YOUNG"
check "participant add twice: error" eval 'is_error && err_has "already on the roster"'
run counselling participant add "$GS" 3
check "participant add of an ineligible person: rule error" eval 'is_error && err_has "age 25"'
run counselling participant add "$GS" 3 --override-operator "$OP"
check "override operator without reason: usage error" is_usage
run counselling participant add "$GS" 3 --override-operator "$OP" --override-reason "Referred by the mayor's youth office"
check "participant add with an override" is_added
run counselling participant add "$GS" 5 --absent
check "participant add --absent" is_added
run counselling participant add "$GS" 999999
check "participant add of an unknown person: error" is_error
run counselling participant add x "$YOUNG"
check "participant add with a session key that names none: error naming it" eval 'is_error && err_has "\"x\": no such counselling_session"'
run counselling participant add "$GS"
check "participant add without PERSON: usage error" is_usage
run counselling participant remove "$GS" 5
check "participant remove" is_ok
run counselling participant remove "$GS" 5
check "participant remove of a person not on the roster: error" is_error
run counselling participant add "$GS" 5 --absent
check "participant add --absent (again)" is_added
run counselling attend "$GS" 5 --attended yes --note "Llegó tarde"
check "counselling attend --attended yes" eval 'is_ok && [ ! -s "$tmp/out" ]'
run counselling show "$GS" --format json
check "... attended, with the note" eval 'is_ok && py "[(r[\"attended\"], r[\"note\"]) for r in d[\"roster\"] if r[\"person_id\"] == 5] == [(True, \"Llegó tarde\")]"'
run counselling attend "$GS" 5 --attended no
check "counselling attend --attended no" is_ok
run counselling show "$GS" --format json
check "... absent again, the note kept" eval 'is_ok && py "[(r[\"attended\"], r[\"note\"]) for r in d[\"roster\"] if r[\"person_id\"] == 5] == [(False, \"Llegó tarde\")]"'
run counselling attend "$GS" 5
check "counselling attend without --attended: usage error" is_usage
run counselling attend "$GS" 5 --attended maybe
check "counselling attend --attended maybe: usage error" eval 'is_usage && err_has "maybe"'
run counselling attend "$GS" 8 --attended yes
check "counselling attend of a person not on the roster: error" is_error
run counselling attend "$GS" 999999 --attended yes
check "counselling attend of an unknown person: error" is_error
run counselling attend x 5 --attended yes
check "counselling attend with a session key that names none: error naming it" eval 'is_error && err_has "\"x\": no such counselling_session"'

run counselling close "$IS" --date 2009-05-04
check "close an individual session without participant: rule error" eval 'is_error && err_has "exactly 1 participant"'
check "... stays open" session_state "$IS" open
run counselling participant add "$IS" 6
check "participant add to the individual session" is_added
run counselling participant add "$IS" "$YOUNG"
check "second participant of an individual session: rule error" is_error
run counselling close "$IS" --date 2009-05-03
check "close before the session's date: error" is_error
run counselling close "$IS" --date 2009-05-04
check "close the individual session" is_ok
check "... state closed" session_state "$IS" closed
run counselling close "$IS" --date 2009-05-05
check "close twice: state error naming closed" eval 'is_error && err_has "closed"'
run counselling count
check "count before the group session closes: 1" eval 'is_ok && [ "$(cat "$tmp/out")" = 1 ]'
run counselling close "$GS" --date 2009-05-02
check "close the group session" is_ok
run counselling participant add "$GS" 7
check "participant add to a closed session: state error" eval 'is_error && err_has "closed"'
run counselling participant remove "$GS" "$YOUNG"
check "participant remove from a closed session: state error" eval 'is_error && err_has "closed"'
run counselling attend "$GS" "$YOUNG" --attended no
check "counselling attend in a closed session: state error" eval 'is_error && err_has "closed"'
run counselling count
check "count: attended persons of closed sessions (4, 3, 6; not the absent 5)" eval 'is_ok && [ "$(cat "$tmp/out")" = 3 ]'
run counselling count --from 2009-05-03 --to 2009-05-31
check "count --from --to" eval 'is_ok && [ "$(cat "$tmp/out")" = 1 ]'
run counselling count --from 2009-13-01
check "count with a bad date: error" is_error
run counselling show "$GS"
check "counselling show: session then roster" eval 'is_ok && out_has "Hoja de vida" && out_has "roster:" && out_has "person_id"'
run counselling show "$GS" --format json
check "counselling show --format json" eval 'is_ok && json_ok && py "d[\"session\"][\"participants\"] == 3 and sorted(r[\"person_id\"] for r in d[\"roster\"]) == [3, $YOUNG, 5] and [r[\"attended\"] for r in d[\"roster\"] if r[\"person_id\"] == 5] == [False]"'
run counselling show 99999
check "counselling show of an unknown session: error" is_error
run counselling list --format json
check "counselling list --format json" eval 'is_ok && json_ok && py "len(d) == 2 and [s[\"id\"] for s in d] == [$GS, $IS]"'
run counselling list --person 6 --format csv
check "counselling list --person --format csv" eval 'is_ok && pycsv "len(rows) == 1 and rows[0][\"id\"] == \"$IS\""'
run counselling list --format xml
check "counselling list --format xml: usage error" is_usage
run counselling list
check "counselling list: table" eval 'is_ok && out_has "career_guidance" && out_has "job_search"'

# ---- follow-ups -----------------------------------------------------------------------------

save_before followup list --format json
run followup add "$YOUNG" --operator "$OP" --date 2009-11-01 --horizon 6 --status employed_formal
check "followup employed without employer: error naming employer_id" eval 'is_error && err_has "employer_id"'
run followup add "$YOUNG" --operator "$OP" --date 2009-11-01 --horizon 6 --status studying --employer "$EMP"
check "followup studying with an employer: error" eval 'is_error && err_has "employer_id"'
run followup add "$YOUNG" --operator "$OP" --date 2009-11-01 --horizon 61 --status studying
check "followup horizon 61: error naming horizon_months" eval 'is_error && err_has "horizon_months"'
run followup add "$YOUNG" --operator "$OP" --date 2009-11-01 --horizon 6 --status rich
check "followup unknown status: error naming status" eval 'is_error && err_has "status"'
run followup add "$YOUNG" --operator "$OP" --date 2999-01-01 --horizon 6 --status studying
check "followup in the future: error naming date" eval 'is_error && err_has "date"'
run followup add "$YOUNG" --operator "$OP" --date 2009-11-01 --horizon 6 --status studying --service counselling
check "followup service without service id: error" is_error
run followup add --operator "$OP" --date 2009-11-01 --horizon 6 --status studying
check "followup add without PERSON: usage error" is_usage
check "refused follow-ups stored nothing" same_as_before followup list --format json
run followup add "$YOUNG" --operator "$OP" --date 2009-11-01 --horizon 6 --status employed_formal \
	--employer "$EMP" --service counselling --service-id "$GS" --notes "Cajero"
check "followup add (employed, after counselling)" is_added
FU=$(added_id)
run followup add "$YOUNG" --operator "$OP" --date 2009-11-02 --horizon 6 --status studying \
	--service counselling --service-id "$GS"
check "followup of the same service and horizon twice: error" is_error
run followup add 6 --operator "$OP" --date 2009-11-04 --horizon 6 --status neet
check "followup add (neet, no service)" is_added
run followup add 5 --operator "$OP" --date 2010-05-04 --horizon 12 --status employed_formal --employer "$EMP"
check "followup add (12 months)" is_added
run followup list --format json
check "followup list --format json" eval 'is_ok && json_ok && py "len(d) == 3 and d[0][\"id\"] == $FU and d[0][\"horizon_months\"] == 6 and d[0][\"employer_id\"] == $EMP"'
run followup list --person "$YOUNG" --format csv
check "followup list --person --format csv" eval 'is_ok && pycsv "len(rows) == 1 and rows[0][\"status\"] == \"employed_formal\""'
run followup list
check "followup list: table" eval 'is_ok && out_has "neet" && out_has "employed_formal"'
run followup count
check "followup count: all" eval 'is_ok && [ "$(cat "$tmp/out")" = 3 ]'
run followup count --status employed_formal --horizon 6
check "followup count --status --horizon" eval 'is_ok && [ "$(cat "$tmp/out")" = 1 ]'
run followup count --status employed_formal --from 2010-01-01 --to 2010-12-31
check "followup count --from --to" eval 'is_ok && [ "$(cat "$tmp/out")" = 1 ]'
run followup count --status rich
check "followup count with an unknown status: error" is_error
run followup count --horizon x
check "followup count with a bad horizon: usage error" is_usage
run followup count --from 2010-01-01 --to 2009-01-01
check "followup count with from after to: error" is_error

# ---- scholarships ---------------------------------------------------------------------------

SP=7
# sch_state ID STATE: scholarship ID is in STATE.
sch_state() { show_state scholarship "$1" '["scholarship"]["state"]' "$2"; }
run scholarship apply 3 --operator "$OP" --date 2009-05-01
check "scholarship apply of an ineligible person: rule error" eval 'is_error && err_has "age 25"'
run scholarship apply "$SP" --date 2009-05-01
check "scholarship apply without --operator: usage error" is_usage
run scholarship apply "$SP" --operator "$OP" --date 2009-05-01
check "scholarship apply" is_added
SCH=$(added_id)
check "... state applied" sch_state "$SCH" applied
run scholarship apply "$SP" --operator "$OP" --date 2009-05-01
check "a second application while one is open: error" is_error
run scholarship activate "$SCH" --date 2009-05-03 --employer "$EMP" --position vendedor \
	--start-date 2009-05-04 --end-date 2009-07-31 --hours 40 --stipend 150.00
check "activate an applied scholarship: state error" eval 'is_error && err_has "cannot go from applied to active"'
run scholarship complete "$SCH" --date 2009-05-03
check "complete an applied scholarship: state error" eval 'is_error && err_has "applied"'
run scholarship reject "$SCH" --date 2009-05-02
check "reject without --reason: usage error" is_usage
run scholarship award "$SCH" --date 2009-05-02
check "scholarship award" is_ok
check "... state awarded" sch_state "$SCH" awarded
run scholarship award "$SCH" --date 2009-05-02
check "award twice: state error" eval 'is_error && err_has "cannot go from awarded to awarded"'
save_before scholarship show "$SCH" --format json
run scholarship activate "$SCH" --date 2009-05-03 --employer "$EMP" --position vendedor \
	--start-date 2009-05-04 --end-date 2009-07-31 --hours 40 --stipend -5
check "activate with stipend -5: money error" eval 'is_error && err_has "monthly_stipend \"-5\""'
run scholarship activate "$SCH" --date 2009-05-03 --employer "$EMP" --position vendedor \
	--start-date 2009-05-04 --end-date 2009-07-31 --hours 40 --stipend 1.234
check "activate with stipend 1.234: money error" eval 'is_error && err_has "monthly_stipend \"1.234\""'
run scholarship activate "$SCH" --date 2009-05-03 --employer "$EMP" --position vendedor \
	--start-date 2009-05-04 --end-date 2009-07-31 --hours 49 --stipend 150.00
check "activate with 49 hours: error naming hours_per_week" eval 'is_error && err_has "hours_per_week"'
check "refused activations changed nothing" same_as_before scholarship show "$SCH" --format json
run scholarship activate "$SCH" --date 2009-05-03 --employer "$EMP" --position vendedor \
	--start-date 2009-05-04 --end-date 2009-07-31 --hours 40 --stipend 150.00
check "scholarship activate" is_ok
run scholarship show "$SCH" --format json
check "show --format json: scholarship, 3 installments, no payment" eval 'is_ok && json_ok && py "d[\"scholarship\"][\"state\"] == \"active\" and d[\"scholarship\"][\"monthly_stipend\"] == \"150.00\" and [i[\"month\"] for i in d[\"schedule\"]] == [\"2009-05\", \"2009-06\", \"2009-07\"] and d[\"payments\"] == []"'
run scholarship pay "$SCH" --amount -5 --date 2009-05-31 --method transfer --reference T-0 --operator "$OP"
check "pay -5: money error" eval 'is_error && err_has "amount \"-5\""'
run scholarship pay "$SCH" --amount 1.234 --date 2009-05-31 --method transfer --reference T-0 --operator "$OP"
check "pay 1.234: money error" eval 'is_error && err_has "amount \"1.234\""'
run scholarship pay "$SCH" --amount 150.00 --date 2009-05-31 --method transfer --reference T-0 --operator "$OP"
check "pay more than payable: rule error" eval 'is_error && err_has "more than payable"'
run scholarship pay "$SCH" --amount 100.00 --date 2009-05-31 --method pigeon --reference T-0 --operator "$OP"
check "pay with an unknown method: error naming method" eval 'is_error && err_has "method"'
run scholarship pay "$SCH" --amount 100.00 --date 2009-05-31 --method transfer --reference T-1 --operator "$OP"
check "scholarship pay" is_added
run scholarship pay "$SCH" --amount 10.00 --date 2009-06-30 --method cash --reference T-1 --operator "$OP"
check "pay with a used reference: error" eval 'is_error && err_has "T-1"'
run scholarship balance "$SCH"
check "balance: table" eval 'is_ok && out_has "paid:" && out_has "100.00"'
run scholarship balance "$SCH" --format json
check "balance --format json" eval 'is_ok && json_ok && py "d[\"paid\"] == \"100.00\" and float(d[\"owed\"]) - float(d[\"paid\"]) == float(d[\"balance\"])"'
run scholarship complete "$SCH" --date 2009-07-30
check "complete before the placement's end: error" is_error
run scholarship terminate "$SCH" --date 2009-06-15 --reason "Se mudó a San Salvador"
check "scholarship terminate" is_ok
check "... state terminated" sch_state "$SCH" terminated
run scholarship pay "$SCH" --amount 10.00 --date 2009-06-30 --method cash --reference T-9 --operator "$OP"
check "pay a terminated scholarship: state error" is_error
run scholarship show "$SCH"
check "scholarship show: table with schedule and payments" eval 'is_ok && out_has "schedule:" && out_has "payments:" && out_has "cancelled" && out_has "T-1"'
run scholarship apply 8 --operator "$OP" --date 2009-05-01
check "scholarship apply (second person)" is_added
SCH2=$(added_id)
run scholarship reject "$SCH2" --date 2009-05-02 --reason "No se presentó"
check "scholarship reject" is_ok
run scholarship award "$SCH2" --date 2009-05-03
check "award a rejected scholarship: state error" eval 'is_error && err_has "rejected"'
run scholarship list --format json
check "scholarship list --format json" eval 'is_ok && json_ok && py "[s[\"state\"] for s in d] == [\"terminated\", \"rejected\"]"'
run scholarship list --employer "$EMP" --format csv
check "scholarship list --employer --format csv" eval 'is_ok && pycsv "len(rows) == 1 and rows[0][\"id\"] == \"$SCH\""'
run scholarship list --person 8
check "scholarship list --person: table" eval 'is_ok && out_has "rejected" && ! out_has "terminated"'
run scholarship show 99999
check "scholarship show of an unknown id: error" is_error
run scholarship award x
check "scholarship award with a key that names none: error naming it" eval 'is_error && err_has "\"x\": no such scholarship"'
run person show "$SP" --format json
check "timeline of the scholar: scholarship and its payment" eval 'is_ok && timeline_has "[e[\"kind\"] for e in t if e[\"kind\"].startswith(\"scholarship\")] == [\"scholarship\", \"scholarship_payment\"] and [e[\"amount\"] for e in t if e[\"kind\"] == \"scholarship_payment\"] == [\"100.00\"]"'

# ---- groups ---------------------------------------------------------------------------------

save_before group list --format json
run group add --name "Panaderas" --window moon --operator "$OP" --formed-date 2009-04-01
check "group add with an unknown window: error naming window" eval 'is_error && err_has "window \"moon\""'
run group add --name "Panaderas" --window female_window --operator "$OP" --formed-date 2999-04-01
check "group add in the future: error naming formed_date" eval 'is_error && err_has "formed_date"'
run group add --window female_window --operator "$OP" --formed-date 2009-04-01
check "group add without a name: error naming name" eval 'is_error && err_has "name"'
run group add --name "Panaderas" --window female_window --operator "$OP" --formed-date 2009-04-01 extra
check "group add with an operand: usage error" is_usage
check "refused group adds stored nothing" same_as_before group list --format json
run group add --name "Panaderas de Acajutla" --window female_window --operator "$OP" --formed-date 2009-04-01
check "group add (female window)" is_added
GR=$(added_id)
run group add --name "Carpinteros" --window youth_seed --operator "$OP" --formed-date 2009-04-01
check "group add (youth seed)" is_added
GR2=$(added_id)
run group member add "$GR" 10 --operator "$OP" --date 2009-04-02
check "group member add (a woman)" is_added
run group member add "$GR" 10 --operator "$OP" --date 2009-04-03
check "group member add twice: error" eval 'is_error && err_has "already a member"'
run group member add "$GR" 2 --operator "$OP" --date 2009-04-02
check "a man in a women-only group: rule error" eval 'is_error && err_has "women only"'
run group member add "$GR2" 2 --operator "$OP" --date 2009-03-31
check "joined before the group was formed: error naming joined_date" eval 'is_error && err_has "joined_date"'
run group member add "$GR2" 2 --operator "$OP" --date 2009-04-05
check "group member add (youth seed group)" is_added
run group member remove "$GR2" 2
check "group member remove while the group is being formed" eval 'is_ok && [ ! -s "$tmp/out" ]'
run group member remove "$GR2" 2
check "group member remove of a non-member: error" eval 'is_error && err_has "not a member"'
run group member remove "$GR2"
check "group member remove without PERSON: usage error" is_usage
run group member remove 99999 2
check "group member remove from an unknown group: error" is_error
run group member add "$GR2" 2 --operator "$OP" --date 2009-04-05
check "group member add (again)" is_added
run group member add "$GR2" 2
check "group member add without --operator: usage error" is_usage
run group member frobnicate
check "group member with an unknown subcommand: usage error" is_usage
run group show "$GR"
check "group show: record then members" eval 'is_ok && out_has "Panaderas de Acajutla" && out_has "members:" && out_has "2009-04-02"'
run group show "$GR" --format json
check "group show --format json" eval 'is_ok && json_ok && py "d[\"group\"][\"women_only\"] is True and [m[\"person_id\"] for m in d[\"members\"]] == [10]"'
run group show 99999
check "group show of an unknown group: error" is_error
run group list --format json
check "group list --format json" eval 'is_ok && json_ok && py "[g[\"window\"] for g in d] == [\"female_window\", \"youth_seed\"]"'
run group list --format csv
check "group list --format csv" eval 'is_ok && pycsv "len(rows) == 2 and rows[1][\"name\"] == \"Carpinteros\""'
run group list --window female_window --format json
check "group list --window female_window" eval 'is_ok && json_ok && py "[g[\"id\"] for g in d] == [$GR]"'
run group list --window youth_seed
check "group list --window youth_seed: table" eval 'is_ok && out_has "Carpinteros" && ! out_has "Panaderas"'
run group list --window moon
check "group list --window moon: error naming the windows" eval 'is_error && err_has "youth_seed, female_window"'
run person show 10 --format json
check "timeline: the group membership" eval 'is_ok && timeline_has "[e[\"kind\"] for e in t] == [\"census\", \"group\"]"'

# ---- business plans -------------------------------------------------------------------------

PP=12
# plan_state ID STATE: plan ID is in STATE.
plan_state() { show_state plan "$1" '["plan"]["state"]' "$2"; }
save_before plan list --format json
run plan add --person "$PP" --window youth_seed --title "Pupusería" --sector food \
	--description "Pupusas" --requested 1.234 --operator "$OP" --date 2009-06-01
check "plan add --requested 1.234: money error" eval 'is_error && err_has "requested \"1.234\""'
run plan add --person "$PP" --window youth_seed --title "Pupusería" --sector food \
	--description "Pupusas" --requested -5 --operator "$OP" --date 2009-06-01
check "plan add --requested -5: money error" eval 'is_error && err_has "requested \"-5\""'
run plan add --person "$PP" --group "$GR2" --window youth_seed --title "P" --sector food \
	--description "P" --requested 600.00 --operator "$OP" --date 2009-06-01
check "plan add with both --person and --group: usage error" is_usage
run plan add --person "$PP" --window moon --title "P" --sector food \
	--description "P" --requested 600.00 --operator "$OP" --date 2009-06-01
check "plan add with an unknown window: error naming window" eval 'is_error && err_has "window"'
check "refused plan adds stored nothing" same_as_before plan list --format json
run plan add --person "$PP" --window youth_seed --title "Pupusería" --sector food \
	--description "Pupusas y refrescos" --requested 600.00 --operator "$OP" --date 2009-06-01
check "plan add (youth)" is_added
PL=$(added_id)
check "... state draft" plan_state "$PL" draft
run plan add --group "$GR2" --window youth_seed --title "Carpintería" --sector wood \
	--description "Muebles" --requested 900.00 --operator "$OP" --date 2009-06-01
check "plan add (group)" is_added
PL2=$(added_id)
run plan appraise "$PL" --date 2009-06-02
check "appraise a draft: state error" eval 'is_error && err_has "cannot go from draft to appraised"'
run plan submit "$PL" --date 2009-06-02
check "plan submit" is_ok
run plan approve "$PL" --date 2009-06-03 --amount 500.00
check "approve a submitted plan: state error" eval 'is_error && err_has "submitted"'
run plan appraise "$PL" --date 2009-06-03
check "plan appraise" is_ok
run plan approve "$PL" --date 2009-06-04
check "approve without --amount: usage error" is_usage
run plan approve "$PL" --date 2009-06-04 --amount -5
check "approve --amount -5: money error" eval 'is_error && err_has "amount \"-5\""'
run plan approve "$PL" --date 2009-06-04 --amount 1.234
check "approve --amount 1.234: money error" eval 'is_error && err_has "amount \"1.234\""'
run plan approve "$PL" --date 2009-06-04 --amount 700.00
check "approve more than requested: error" eval 'is_error && err_has "600.00"'
run plan approve "$PL" --date 2009-06-04 --amount 500.00
check "plan approve" is_ok
check "... state approved" plan_state "$PL" approved
run plan disburse "$PL" --amount 1.234 --date 2009-06-05 --reference D-1 --operator "$OP"
check "disburse 1.234: money error" eval 'is_error && err_has "amount \"1.234\""'
run plan disburse "$PL" --amount 300.00 --date 2009-06-05 --reference D-1 --operator "$OP"
check "plan disburse" is_added
check "... state funded" plan_state "$PL" funded
run plan disburse "$PL" --amount 300.00 --date 2009-06-06 --reference D-2 --operator "$OP"
check "disburse more than approved: error" eval 'is_error && err_has "approved"'
run plan disburse "$PL" --amount 100.00 --date 2009-06-06 --reference D-1 --operator "$OP"
check "disburse with a used reference: error" eval 'is_error && err_has "D-1"'
run plan visit "$PL" --date 2009-06-20 --operating no --jobs 0 --sales 1.234 --operator "$OP"
check "plan visit --sales 1.234: money error" eval 'is_error && err_has "monthly_sales \"1.234\""'
run plan visit "$PL" --date 2009-06-20 --operating no --jobs 0 --sales -5 --operator "$OP"
check "plan visit --sales -5: money error" eval 'is_error && err_has "monthly_sales \"-5\""'
run plan visit "$PL" --date 2009-06-20 --operating maybe --jobs 0 --sales 0.00 --operator "$OP"
check "plan visit --operating maybe: error naming operating" eval 'is_error && err_has "operating"'
run plan visit "$PL" --date 2009-06-20 --operating no --jobs 0 --sales 0.00
check "plan visit without --operator: usage error" is_usage
run plan visit "$PL" --date 2009-06-20 --operating no --jobs 0 --sales 0.00 --operator "$OP"
check "plan visit (not operating)" is_added
check "... the plan stays funded" plan_state "$PL" funded
run plan visit "$PL" --date 2009-06-20 --operating yes --jobs 1 --sales 50.00 --operator "$OP"
check "a second visit the same day: error" is_error
run plan operating "$PL" --date 2009-07-01
check "plan operating" is_ok
run plan visit "$PL" --date 2009-08-01 --operating yes --jobs 2 --sales 200.00 --operator "$OP"
check "plan visit (operating)" is_added
run plan show "$PL" --format json
check "plan show --format json" eval 'is_ok && json_ok && py "d[\"plan\"][\"state\"] == \"operating\" and d[\"plan\"][\"approved\"] == \"500.00\" and [x[\"amount\"] for x in d[\"disbursements\"]] == [\"300.00\"]"'
run plan show "$PL"
check "plan show: table with disbursements" eval 'is_ok && out_has "disbursements:" && out_has "D-1"'
run plan show "$PL" --format json
check "plan show --format json: the balance" eval 'is_ok && py "d[\"balance\"] == {\"approved\": \"500.00\", \"disbursed\": \"300.00\", \"remaining\": \"200.00\"}"'
run plan show "$PL"
check "plan show: table with the balance" eval 'is_ok && out_has "balance:" && out_has "remaining" && out_has "200.00"'
run plan show "$PL" --format csv
check "plan show --format csv: the balance after a blank line" eval 'is_ok && grep -q "^approved,disbursed,remaining" "$tmp/out"'
run plan close "$PL" --date 2009-12-01
check "close without --reason: usage error" is_usage
run plan close "$PL" --date 2009-12-01 --reason "Cerró el local"
check "plan close" is_ok
run plan close "$PL" --date 2009-12-02 --reason "again"
check "close twice: state error" eval 'is_error && err_has "closed"'
run plan submit "$PL2" --date 2009-06-02
check "plan submit (group)" is_ok
run group member remove "$GR2" 2
check "group member remove once the group's plan is submitted: state error" eval 'is_error && err_has "submitted" && err_has "plan $PL2"'
run plan appraise "$PL2" --date 2009-06-03
check "plan appraise (group)" is_ok
run plan reject "$PL2" --date 2009-06-04 --reason "Sin mercado"
check "plan reject" is_ok
check "... state rejected" plan_state "$PL2" rejected
run plan list --format json
check "plan list --format json" eval 'is_ok && json_ok && py "[p[\"state\"] for p in d] == [\"closed\", \"rejected\"] and d[1][\"group_id\"] == $GR2"'
run plan list --person "$PP" --format csv
check "plan list --person --format csv" eval 'is_ok && pycsv "len(rows) == 1 and rows[0][\"id\"] == \"$PL\""'
run plan list --group "$GR2"
check "plan list --group: table" eval 'is_ok && out_has "Carpinter" && ! out_has "Pupus"'
run plan list --window youth_seed --format json
check "plan list --window youth_seed" eval 'is_ok && py "[p[\"id\"] for p in d] == [$PL, $PL2]"'
run plan list --window female_window --format json
check "plan list --window female_window: none" eval 'is_ok && py "d == []"'
run plan list --window youth_seed --group "$GR2" --format json
check "plan list --window with --group" eval 'is_ok && py "[p[\"id\"] for p in d] == [$PL2]"'
run plan list --window moon
check "plan list --window moon: error" eval 'is_error && err_has "moon"'

# ---- business-development services ---------------------------------------------------------

save_before business-service list --format json
run business-service add --group "$GR" --kind training --date 2009-04-10 --hours 8 --provider CONAMYPE
check "business-service add without --operator: usage error" is_usage
run business-service add --group "$GR" --plan "$PL" --kind training --date 2009-04-10 --hours 8 --provider CONAMYPE --operator "$OP"
check "business-service add with --group and --plan: usage error" is_usage
run business-service add --group "$GR" --kind gossip --date 2009-04-10 --hours 8 --provider CONAMYPE --operator "$OP"
check "business-service add --kind gossip: error naming kind" eval 'is_error && err_has "kind"'
run business-service add --group "$GR" --kind training --date 2009-04-10 --hours 0 --provider CONAMYPE --operator "$OP"
check "business-service add --hours 0: error naming hours" eval 'is_error && err_has "hours"'
run business-service add --group "$GR2" --kind training --date 2009-04-10 --hours 8 --provider CONAMYPE --operator "$OP"
check "business-service add to a youth seed group: rule error" eval 'is_error && err_has "female"'
check "refused services stored nothing" same_as_before business-service list --format json
run business-service add --group "$GR" --kind training --date 2009-04-10 --hours 8 --provider CONAMYPE --operator "$OP" --notes "Costos y precios"
check "business-service add (group)" is_added
SERVICE=$(added_id)
run business-service list --format json
check "business-service list --format json" eval 'is_ok && py "[(s[\"id\"], s[\"group_id\"], s[\"kind\"], s[\"hours\"]) for s in d] == [($SERVICE, $GR, \"training\", \"8\")] or [(s[\"id\"], s[\"group_id\"], s[\"kind\"], s[\"hours\"]) for s in d] == [($SERVICE, $GR, \"training\", 8)]"'
run business-service list --group "$GR"
check "business-service list --group: table" eval 'is_ok && out_has "CONAMYPE" && out_has "training"'
run business-service list --group "$GR2" --format csv
check "business-service list --group of another group: header only" eval 'is_ok && pycsv "rows == []"'
run business-service
check "business-service without add/list: usage error" is_usage
run business-service frobnicate
check "business-service with an unknown subcommand: usage error" eval 'is_usage && err_has "frobnicate"'
run plan service list
check "plan service (the former name of business-service) is gone: usage error" eval 'is_usage && err_has "service"'
run plan show 99999
check "plan show of an unknown plan: error" is_error
run person show "$PP" --format json
check "timeline of the entrepreneur: plan, disbursement, visits" eval 'is_ok && timeline_has "[e[\"kind\"] for e in t] == [\"census\", \"plan\", \"disbursement\", \"visit\", \"visit\"] and t[2][\"amount\"] == \"300.00\" and t[4][\"amount\"] == \"200.00\""'

# ---- timeline and delete --------------------------------------------------------------------

run person show "$YOUNG" --format json
check "timeline: census, counselling, followup in date order" eval 'is_ok && json_ok && timeline_has "[e[\"kind\"] for e in t] == [\"census\", \"counselling\", \"followup\"] and [e[\"date\"] for e in t] == sorted(e[\"date\"] for e in t)"'
check "timeline: the follow-up event carries its status" timeline_has 't[-1]["state"] == "employed_formal" and t[-1]["record_id"] == '"$FU"
run person show 3 --format json
check "timeline: the override is recorded" eval 'is_ok && timeline_has "\"override\" in [e[\"kind\"] for e in t]"'
run person show "$YOUNG"
check "person show table: timeline rows" eval 'is_ok && out_has "counselling" && out_has "employed_formal"'

run person delete "$YOUNG"
check "person delete of a person with services: library error" eval 'is_error && err_has "cascade"'
run person show "$YOUNG"
check "... the person is kept" eval 'is_ok && out_has "timeline:"'
run person delete "$YOUNG" --cascade
check "person delete --cascade: prints the records deleted (person, roster row, follow-up)" eval 'is_ok && [ "$(cat "$tmp/out")" = "3 records deleted" ]'
run person show "$YOUNG"
check "... the person is gone" is_error
run followup list --person 6 --format json
check "... other persons' follow-ups are kept" eval 'is_ok && py "len(d) == 1"'
run counselling show "$GS" --format json
check "... the roster row is gone" eval 'is_ok && py "'"$YOUNG"' not in [r[\"person_id\"] for r in d[\"roster\"]]"'
run person delete "$SP"
check "person delete of a scholar: library error" eval 'is_error && err_has "cascade"'
run person delete "$SP" --cascade
check "person delete --cascade of a scholar: scholarship, installments, payment, person" eval 'is_ok && grep -Eq "^[0-9]+ records deleted$" "$tmp/out" && [ "$(cut -d" " -f1 "$tmp/out")" -ge 6 ]'
run scholarship show "$SCH"
check "... the scholarship is gone" is_error
run person delete 999999 --cascade
check "person delete --cascade of an unknown id: error" is_error
run person delete 11
check "person delete without services still works" eval 'is_ok && [ ! -s "$tmp/out" ]'

cli_finish
