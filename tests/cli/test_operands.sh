#!/bin/sh
# Every operand that names a record takes what the options take (issue 15): its id, its UUID,
# or the code of its kind where it has one (a cohort's code, a group's name), and a key that
# names no record is an error naming it, before anything is written.  Each kind of operand is
# tried with an id, a UUID, a code where there is one, and an unknown key.
# Set-up, checks and summary: tests/cli/lib.sh.

. "$(dirname "$0")/lib.sh"
cli_need_python

NOBODY=00000000-0000-4000-8000-000000000000
# uuid: the UUID of the record the last add printed ("ID UUID").
uuid() { cut -d' ' -f2 "$tmp/out"; }
# refused KEY: the last command failed (exit 1, one line) naming KEY, as no record.
refused() { is_error && err_has "$1" && err_has "no such"; }
# state_is KIND KEY MEMBER STATE: `youth KIND show KEY` has STATE at MEMBER.
state_is() { show_state "$1" "$2" "$3" "$4"; }

cli_load_sample
cli_load_exchange
OP2U=$INTAKE_UUID

# ---- plans: no code, an id or a UUID ---------------------------------------------------------

run plan add --person 12 --window youth_seed --title "Pupusería" --sector food \
	--description "Pupusas" --requested 600.00 --operator "$OP" --date 2009-06-01
check "plan add" is_added
PL=$(added_id)
PLU=$(uuid)
save_before plan show "$PL" --format json
run plan submit 99999 --date 2009-06-02
check "plan submit of an unknown id: error naming it" eval 'refused "plan 99999"'
run plan submit "$NOBODY" --date 2009-06-02
check "plan submit of an unknown UUID: error naming it" eval 'refused "$NOBODY"'
run plan submit Pupusería --date 2009-06-02
check "plan submit of a word (plans have no code): error naming it" eval 'refused "Pupusería"'
check "... the plan is left as it was" same_as_before plan show "$PL" --format json
run plan submit "$PLU" --date 2009-06-02
check "plan submit by UUID" eval 'is_ok && state_is plan "$PL" "[\"plan\"][\"state\"]" submitted'
run plan appraise "$PL" --date 2009-06-02
check "plan appraise by id" eval 'is_ok && state_is plan "$PLU" "[\"plan\"][\"state\"]" appraised'
run plan approve "$NOBODY" --amount 500.00 --date 2009-06-03
check "plan approve of an unknown UUID: error naming it" eval 'refused "$NOBODY"'
run plan approve "$PLU" --amount 500.00 --date 2009-06-03
check "plan approve by UUID" eval 'is_ok && state_is plan "$PL" "[\"plan\"][\"state\"]" approved'
run plan disburse 99999 --amount 300.00 --date 2009-06-05 --reference D-1 --operator "$OP"
check "plan disburse to an unknown id: error naming it" eval 'refused "plan 99999"'
run plan disburse "$PLU" --amount 300.00 --date 2009-06-05 --reference D-1 --operator "$OP"
check "plan disburse by UUID" eval 'is_added && state_is plan "$PL" "[\"plan\"][\"state\"]" funded'
run plan visit "$NOBODY" --date 2009-06-20 --operating yes --jobs 1 --sales 50.00 --operator "$OP"
check "plan visit of an unknown UUID: error naming it" eval 'refused "$NOBODY"'
run plan visit "$PLU" --date 2009-06-20 --operating yes --jobs 1 --sales 50.00 --operator "$OP"
check "plan visit by UUID" eval 'is_added && state_is plan "$PL" "[\"plan\"][\"state\"]" operating'
run plan visits "$PLU" --format json
check "plan visits by UUID" eval 'is_ok && py "len(d) == 1"'
run plan close "$PLU" --reason "Cerró" --date 2009-09-01
check "plan close by UUID" eval 'is_ok && state_is plan "$PL" "[\"plan\"][\"state\"]" closed'

# ---- groups: an id, a UUID or a name ---------------------------------------------------------

run group add --name "Carpinteros" --window youth_seed --operator "$OP" --formed-date 2009-04-01
check "group add" is_added
GR=$(added_id)
GRU=$(uuid)
run group member add Carpinteros 10 --operator "$OP" --date 2009-04-02
check "group member add by name" is_added
run group member add "$GR" 2 --operator "$OP" --date 2009-04-02
check "group member add by id" is_added
run group member add "Nadie" 3 --operator "$OP" --date 2009-04-02
check "group member add to an unknown name: error naming it" eval 'refused "Nadie"'
run group member add 99999 3 --operator "$OP" --date 2009-04-02
check "group member add to an unknown id: error naming it" eval 'refused "group 99999"'
run group member remove "$GRU" 2
check "group member remove by UUID" is_ok
run group member add "$GRU" 2 --operator "$OP" --date 2009-04-05
check "group member add by UUID" is_added
run group member remove "$NOBODY" 10
check "group member remove from an unknown UUID: error naming it" eval 'refused "$NOBODY"'
run group show Carpinteros --format json
check "group show by name: two members" eval 'is_ok && py "sorted(m[\"person_id\"] for m in d[\"members\"]) == [2, 10]"'

# ---- counselling sessions: an id or a UUID -------------------------------------------------

run counselling add --operator "$OP" --date 2009-05-01 --kind career_guidance --mode group \
	--duration 90
check "counselling add" is_added
GS=$(added_id)
GSU=$(uuid)
run counselling participant add "$GSU" 4
check "participant add, session by UUID" is_added
run counselling participant add "$GS" 5
check "participant add, session by id" is_added
run counselling participant add "$GS" 6
check "participant add (a third)" is_added
run counselling participant add 99999 6
check "participant add to an unknown session id: error naming it" eval 'refused "99999"'
run counselling participant add "$NOBODY" 6
check "participant add to an unknown session UUID: error naming it" eval 'refused "$NOBODY"'
run counselling attend "$GSU" 5 --attended no
check "attend, session by UUID" is_ok
run counselling attend "$NOBODY" 5 --attended no
check "attend on an unknown session: error naming it" eval 'refused "$NOBODY"'
run counselling participant remove "$GSU" 6
check "participant remove, session by UUID" is_ok
run counselling participant remove 99999 4
check "participant remove from an unknown session: error naming it" eval 'refused "99999"'
run counselling close "$NOBODY" --date 2009-05-01
check "close of an unknown session: error naming it" eval 'refused "$NOBODY"'
run counselling close "$GSU" --date 2009-05-01
check "close by UUID" eval 'is_ok && state_is counselling "$GS" "[\"session\"][\"state\"]" closed'
run counselling show "$GSU" --format json
check "show by UUID: the roster" eval 'is_ok && py "[(p[\"person_id\"], p[\"attended\"]) for p in d[\"roster\"]] == [(4, True), (5, False)]"'

# ---- scholarships: an id or a UUID ---------------------------------------------------------

run scholarship apply 7 --operator "$OP" --date 2009-05-01
check "scholarship apply" is_added
SCH=$(added_id)
SCHU=$(uuid)
run scholarship award 99999 --date 2009-05-02
check "scholarship award of an unknown id: error naming it" eval 'refused "scholarship 99999"'
run scholarship award "$SCHU" --date 2009-05-02
check "scholarship award by UUID" eval 'is_ok && state_is scholarship "$SCH" "[\"scholarship\"][\"state\"]" awarded'
run scholarship activate "$NOBODY" --date 2009-05-03 --employer 0614-010101-101-1 \
	--position vendedor --start-date 2009-05-04 --end-date 2009-07-31 --hours 40 --stipend 150.00
check "scholarship activate of an unknown UUID: error naming it" eval 'refused "$NOBODY"'
run scholarship activate "$SCHU" --date 2009-05-03 --employer 0614-010101-101-1 \
	--position vendedor --start-date 2009-05-04 --end-date 2009-07-31 --hours 40 --stipend 150.00
check "scholarship activate by UUID" eval 'is_ok && state_is scholarship "$SCH" "[\"scholarship\"][\"state\"]" active'
run scholarship pay "$SCHU" --amount 100.00 --date 2009-05-31 --method transfer --reference T-1 \
	--operator "$OP"
check "scholarship pay by UUID" is_added
run scholarship pay x --amount 100.00 --date 2009-05-31 --method transfer --reference T-2 \
	--operator "$OP"
check "scholarship pay to an unknown key: error naming it" eval 'refused "\"x\""'
run scholarship balance "$SCHU" --format json
check "scholarship balance by UUID" eval 'is_ok && py "d[\"paid\"] == \"100.00\""'
run scholarship balance "$NOBODY"
check "scholarship balance of an unknown UUID: error naming it" eval 'refused "$NOBODY"'
run scholarship show "$SCHU" --format json
check "scholarship show by UUID" eval 'is_ok && py "len(d[\"payments\"]) == 1"'
run scholarship terminate "$SCHU" --date 2009-06-15 --reason "Se mudó"
check "scholarship terminate by UUID" eval 'is_ok && state_is scholarship "$SCH" "[\"scholarship\"][\"state\"]" terminated'

# ---- cohorts (a code) and enrollments (an id or a UUID) -------------------------------------

run course add --code SOLD --title "Soldadura eléctrica" --provider INSAFORP --hours 240
check "course add" is_added
run cohort add --course SOLD --exchange SON --code SOLD-2009-1 --start-date 2009-05-04 \
	--end-date 2009-07-31 --place sonsonate/sonsonate-centro/sonsonate --capacity 5
check "cohort add" is_added
CHU=$(uuid)
run cohort edit SOLD-2009-1 --capacity 4
check "cohort edit by code" eval 'is_ok && run cohort show "$CHU" --format json && py "d[\"capacity\"] == 4"'
run cohort edit NOPE-1 --capacity 4
check "cohort edit of an unknown code: error naming it" eval 'refused "NOPE-1"'
eligible=
for id in 1 2 4 5 6 8 9 10 11; do
	run eligibility "$id" vocational --date 2009-04-20
	[ "$rc" -eq 0 ] && eligible=$id && break
done
run enroll "$eligible" "$CHU" --operator "$OP2U" --date 2009-04-20
check "enroll in a cohort given by UUID (operator by UUID)" is_added
EN=$(added_id)
ENU=$(uuid)
run enrollment state "$ENU" enrolled --date 2009-05-04
check "enrollment state by UUID" eval 'is_ok && state_is enrollment "$EN" "[\"state\"]" enrolled'
run enrollment state "$NOBODY" enrolled --date 2009-05-04
check "enrollment state of an unknown UUID: error naming it" eval 'refused "$NOBODY"'
run enrollment session "$ENU" 2009-05-04 present
check "enrollment session by UUID" is_ok
run enrollment session 99999 2009-05-04 present
check "enrollment session of an unknown id: error naming it" eval 'refused "enrollment 99999"'
run enrollment attendance "$ENU" 90
check "enrollment attendance by UUID" is_ok
run enrollment attendance "$NOBODY" 90
check "enrollment attendance of an unknown UUID: error naming it" eval 'refused "$NOBODY"'
run enrollment certificate "$NOBODY" --date 2009-08-14
check "enrollment certificate of an unknown UUID: error naming it" eval 'refused "$NOBODY"'
run enrollment state "$ENU" completed --date 2009-07-31 && run enrollment certificate "$ENU" --date 2009-08-14
check "enrollment certificate by UUID (once completed)" eval 'is_ok && state_is enrollment "$EN" "[\"certificate_date\"]" 2009-08-14'

# ---- operators, duplicate pairs, merges ----------------------------------------------------

run operator deactivate "$NOBODY"
check "operator deactivate of an unknown UUID: error naming it" eval 'refused "$NOBODY"'
run operator deactivate "$OP2U"
check "operator deactivate by UUID" eval 'is_ok && run operator show "$OP2U" --format json && py "d[\"active\"] is False"'
# Duplicate pairs and merges have no lookup by UUID in the library: an id alone, and a key
# that is no id is an error naming it.
run duplicates show 99999
check "duplicates show of an unknown pair: error" eval 'is_error && err_has "99999"'
run duplicates confirm x
check "duplicates confirm of a key that is no id: error naming it" eval 'is_error && err_has "\"x\""'
run person unmerge 99999
check "person unmerge of an unknown merge: error" eval 'is_error && err_has "99999"'

cli_finish
