#!/bin/sh
# Tests of `youth check` (docs/cli/check.txt, docs/reliability.md) on copies of the sample
# registry: a sound one, one with a broken invariant (repaired or not), one with a flipped byte.
# Set-up, checks and summary: tests/cli/lib.sh.

. "$(dirname "$0")/lib.sh"
cli_need_python

SAMPLE=${YOUTH_SAMPLE:-$(dirname "$YOUTH")/../sample.registry}
if [ ! -f "$SAMPLE" ]; then
	fail "the sample registry $SAMPLE is built (make sample)"
	cli_finish
fi

run_youth check --help
check "check --help" eval 'is_ok && out_has "usage: youth [-r FILE] check" && out_has "--repair"'
run_youth check --frobnicate
check "unknown option: usage error" is_usage
run_youth check extra
check "an operand: usage error" is_usage

cp "$SAMPLE" "$tmp/sound.youth"
run_on "$tmp/sound.youth" check
check "sound: exit 0, nothing on stdout, the verdict on stderr" eval '[ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ] && err_has "no problem found (every page matches its checksum)"'
run_on "$tmp/sound.youth" check --quick --format json
check "--quick --format json: []" eval '[ "$rc" -eq 0 ] && py "d == []" && err_has "not scanned: --quick"'
run_on "$tmp/sound.youth" check --repair
check "--repair on a sound registry changes nothing" eval '[ "$rc" -eq 0 ] && cmp -s "$SAMPLE" "$tmp/sound.youth"'

# A broken search key (derivable: repaired) and a completed enrollment without attendance
# (left to a person), written past the library through its checksum VFS so pages stay sealed.
# with_libyouth COMMAND...: runs COMMAND (a Python that loads libyouth with ctypes) with the
# ASan runtime preloaded when the build has sanitizers, as tests/python/run-pytest.sh does.
with_libyouth() {
	case "${YOUTH_SANITIZE_FLAGS:-}" in
	*address*)
		LD_PRELOAD="$(${YOUTH_CC:-cc} -print-file-name=libasan.so)" \
		ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" "$@" ;;
	*) "$@" ;;
	esac
}
cp "$SAMPLE" "$tmp/broken.youth"
with_libyouth "$PY" - "$tmp/broken.youth" "$(dirname "$YOUTH")/../../libyouth/.libs" <<'PYEOF'
import ctypes, glob, sqlite3, sys
# Loading libyouth registers its VFS in this process's SQLite; opening any registry does it.
lib = ctypes.CDLL(glob.glob(sys.argv[2] + "/libyouth.so*")[0])
reg = ctypes.c_void_p()
assert lib.youth_registry_open(ctypes.byref(reg), b":memory:", 1) == 0
lib.youth_registry_close(reg)
con = sqlite3.connect("file:%s?vfs=youth-pagesum-unix" % sys.argv[1], uri=True)
con.executescript("UPDATE person SET name_key = 'XX' WHERE id = 7;"
                  "UPDATE enrollment SET attendance = NULL WHERE id = "
                  "(SELECT min(id) FROM enrollment WHERE state = 3);")
con.close()
PYEOF
prc=$?
check "raw SQL through the page checksum VFS" eval '[ "$prc" -eq 0 ]'
run_on "$tmp/broken.youth" check --format csv
check "problems: exit 4, one CSV row each" eval '[ "$rc" -eq 4 ] && pycsv "sorted((r[\"kind\"], r[\"table\"], r[\"repaired\"]) for r in rows) == [(\"derived\", \"person\", \"false\"), (\"state\", \"enrollment\", \"false\")]" && err_has "2 problems found, 0 repaired, 2 left"'
run_on "$tmp/broken.youth" check --format json
check "json: kind, table, id, uuid, problem" eval 'py "any(p[\"kind\"] == \"derived\" and p[\"id\"] == 7 and len(p[\"uuid\"]) == 36 and \"XX\" in p[\"problem\"] for p in d)"'
run_on "$tmp/broken.youth" check --repair --format json
check "--repair: the key repaired, the state left: still exit 4" eval '[ "$rc" -eq 4 ] && py "sorted((p[\"kind\"], p[\"repaired\"]) for p in d) == [(\"derived\", True), (\"state\", False)]"'
run_on "$tmp/broken.youth" check
check "after --repair only the state is left" eval '[ "$rc" -eq 4 ] && out_has "without recorded attendance" && out_lacks "derived"'

# A flipped bit inside a name: found, whether on opening or by the check.
cp "$SAMPLE" "$tmp/flipped.youth"
"$PY" - "$tmp/flipped.youth" <<'PYEOF'
import sys
p = sys.argv[1]
data = bytearray(open(p, "rb").read())
at = data.find("Mauricio Tomás".encode())  # person 1 of the sample
assert at > 0
data[at + 1] ^= 0x20  # "MAuricio"
open(p, "wb").write(bytes(data))
PYEOF
run_on "$tmp/flipped.youth" check
check "a flipped letter in a name: exit 4, the page named" eval '[ "$rc" -eq 4 ] && out_has "does not match its checksum"'
run_on "$tmp/flipped.youth" person list
check "reading it fails instead of showing the changed name" eval '[ "$rc" -eq 1 ] && err_has "damaged"'

cli_finish
