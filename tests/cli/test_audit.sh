#!/bin/sh
# `youth audit`: switching the trail on, writes refused without an actor (--actor or
# YOUTH_ACTOR), the log and its filters, verify and the anchor, and a tampered file named at
# the entry that was changed (docs/privacy.md).
. "$(dirname "$0")/lib.sh"
cli_need_python
unset YOUTH_ACTOR

run init
check "init" is_ok
run gazetteer load "$DATA/gazetteer.yaml"
check "gazetteer load" is_ok
check "new registry file is 0600 under umask 022" \
	eval '[ "$(stat -c %a "$REG")" = 600 ]'
run audit enable
check "audit enable without an actor: usage error" is_usage
run_youth --actor maria -r "$REG" audit enable
check "audit enable --actor" is_ok

PERSON="--first-surname Ruiz --birth-date 1990-01-02 --sex female --place Sonzacate --census-date 2009-03-02 --census-round c-2009"
# shellcheck disable=SC2086
run person add --given-names Ana $PERSON
check "a write without an actor is refused, naming the operation" \
	eval 'is_error && err_has "add person" && err_has "no actor"'
# shellcheck disable=SC2086
run_youth --actor maria -r "$REG" person add --given-names Ana $PERSON
check "person add --actor" is_added
uuid=$(cut -d' ' -f2 "$tmp/out")
# shellcheck disable=SC2086
YOUTH_ACTOR=luis run person add --given-names Eva $PERSON
check "person add with YOUTH_ACTOR" is_added
YOUTH_ACTOR=luis run person edit 1 --household-size 4
check "person edit" is_ok

run audit log --format json
check "audit log: the switch, two adds and an edit" eval 'is_ok && [ "$(count_json)" -eq 4 ]'
check "audit log: the edit's old and new values" \
	py '[e["action"] for e in d] == ["enable", "create", "create", "update"] and "household_size" in d[3]["changes"]'
run audit log --actor luis --format csv
check "audit log --actor" eval 'is_ok && pycsv "len(rows) == 2 and rows[0][\"actor\"] == \"luis\""'
run audit log --uuid "$uuid" --format json
check "audit log --uuid" eval 'is_ok && [ "$(count_json)" -eq 2 ]'
run audit log --kind person --from 2000-01-01 --to 2099-12-31 --format json
check "audit log --kind --from --to" eval 'is_ok && [ "$(count_json)" -eq 3 ]'
run audit log --from 2099-01-01 --format json
check "audit log: nothing in the future" eval 'is_ok && [ "$(count_json)" -eq 0 ]'
run audit log --from yesterday
check "audit log: a bad date is refused" is_error
run audit log
check "audit log: a table" eval 'is_ok && out_has "add person" && out_lacks "household_size"'

run audit verify
check "audit verify: intact" eval 'is_ok && out_has "4 entries"'
run audit anchor
check "audit anchor prints SEQ:HASH" eval 'is_ok && grep -Eq "^4:[0-9a-f]{64}$" "$tmp/out"'
anchor=$(cat "$tmp/out")
run audit verify --anchor "$anchor"
check "audit verify --anchor" is_ok

# A file editor that keeps the page checksums (docs/reliability.md; libyouth loaded with ctypes
# registers their VFS): the chain, not the checksums, must find the edits.
edit() {
	case "${YOUTH_SANITIZE_FLAGS:-}" in
	*address*)
		LD_PRELOAD="$(${YOUTH_CC:-cc} -print-file-name=libasan.so)" \
		ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" "$PY" - "$@" ;;
	*) "$PY" - "$@" ;;
	esac
}
libdir="$(dirname "$YOUTH")/../../libyouth/.libs"
# a file editor drops the trigger and changes who made entry 2
edit "$REG" "$libdir" <<'PY'
import ctypes, glob, sqlite3, sys
lib = ctypes.CDLL(glob.glob(sys.argv[2] + "/libyouth.so*")[0])
reg = ctypes.c_void_p()
assert lib.youth_registry_open(ctypes.byref(reg), b":memory:", 1) == 0
lib.youth_registry_close(reg)
db = sqlite3.connect("file:%s?vfs=youth-pagesum-unix" % sys.argv[1], uri=True)
db.executescript("DROP TRIGGER audit_entry_no_update; UPDATE audit_entry SET actor = 'x' WHERE id = 2;")
db.close()
PY
run audit verify
check "audit verify: an edited entry is named" eval 'is_error && err_has "entry 2"'
edit "$REG" "$libdir" <<'PY'
import ctypes, glob, sqlite3, sys
lib = ctypes.CDLL(glob.glob(sys.argv[2] + "/libyouth.so*")[0])
reg = ctypes.c_void_p()
assert lib.youth_registry_open(ctypes.byref(reg), b":memory:", 1) == 0
lib.youth_registry_close(reg)
db = sqlite3.connect("file:%s?vfs=youth-pagesum-unix" % sys.argv[1], uri=True)
db.executescript("DROP TRIGGER audit_entry_no_delete; UPDATE audit_entry SET actor = 'maria' WHERE id = 2; DELETE FROM audit_entry WHERE id = 4;")
db.close()
PY
run audit verify
check "audit verify: the newest entry removed goes unseen without an anchor" is_ok
run audit verify --anchor "$anchor"
check "audit verify --anchor: ... and is found with it" eval 'is_error && err_has "entry 4"'
run audit verify --anchor 4:abc
check "audit verify: a malformed anchor" is_error

cli_finish
