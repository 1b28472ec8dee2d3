#!/bin/sh
# The load test's short run of `make check` (tests/load/load.c): 4 writer and 4 reader
# processes and 4 threads for 3 seconds; the long run is `make load`.  A failed run keeps its
# registry and the agents' logs in tests/load/failed.XXXXXX of the build tree, for a look
# after CI (a run in a fresh clone leaves nothing else to go by).
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/youth-load.XXXXXX") || exit 99
trap 'rm -rf "$dir"' EXIT
tests/load/youth-load -s 3 "$dir"
status=$?
if [ "$status" -ne 0 ]; then
	kept=$(mktemp -d tests/load/failed.XXXXXX) && cp -p "$dir"/* "$kept"/ &&
		echo "load: the registry and logs of this run are kept in $kept"
fi
exit "$status"
