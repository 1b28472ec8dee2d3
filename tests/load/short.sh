#!/bin/sh
# The load test's short run of `make check` (tests/load/load.c): 4 writer and 4 reader
# processes and 4 threads for 3 seconds; the long run is `make load`.
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/youth-load.XXXXXX") || exit 99
trap 'rm -rf "$dir"' EXIT
tests/load/youth-load -s 3 "$dir"
