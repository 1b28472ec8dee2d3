#!/bin/sh
# Runs the pytest suite of the Python package against the build tree (make check).
#
# The package is staged by make in $YOUTH_PY_STAGE/youth (the .py files, capi.py and the
# built _capi module); libyouth.so is taken from libyouth/.libs.  The variables come from
# AM_TESTS_ENVIRONMENT (bindings/python/local.mk); by hand:
#   YOUTH_PYTHON=/usr/bin/python3 YOUTH_TOP_SRCDIR=$src YOUTH_TOP_BUILDDIR=$build \
#   YOUTH_PY_STAGE=$build/bindings/python/stage sh tests/python/run-pytest.sh [pytest args]
set -u

: "${YOUTH_PYTHON:=${PYTHON:-python3}}"
: "${YOUTH_TOP_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${YOUTH_TOP_BUILDDIR:=$(pwd)}"
: "${YOUTH_PY_STAGE:=$YOUTH_TOP_BUILDDIR/bindings/python/stage}"

if test ! -f "$YOUTH_PY_STAGE/youth/__init__.py"; then
	echo "run-pytest.sh: no staged package in $YOUTH_PY_STAGE (run make first)" >&2
	exit 99
fi
if ! "$YOUTH_PYTHON" -c 'import pytest' 2>/dev/null; then
	echo "run-pytest.sh: $YOUTH_PYTHON has no pytest (Debian: python3-pytest;" \
	     "configure with PYTHON=/usr/bin/python3)" >&2
	exit 99
fi

PYTHONPATH="$YOUTH_PY_STAGE${PYTHONPATH:+:$PYTHONPATH}"
LD_LIBRARY_PATH="$YOUTH_TOP_BUILDDIR/libyouth/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
YOUTH_EXAMPLE_DATA="$YOUTH_TOP_SRCDIR/examples/data"
# The source tree may be read-only (make distcheck): no bytecode, no cache.
PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH LD_LIBRARY_PATH YOUTH_EXAMPLE_DATA PYTHONDONTWRITEBYTECODE YOUTH_TOP_SRCDIR

# A sanitizer build of libyouth needs the ASan runtime loaded first into the interpreter.
case "${YOUTH_SANITIZE_FLAGS:-}" in
*address*)
	asan=$(${YOUTH_CC:-cc} -print-file-name=libasan.so)
	LD_PRELOAD="$asan${LD_PRELOAD:+:$LD_PRELOAD}"
	ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	export LD_PRELOAD ASAN_OPTIONS
	;;
esac

# Run from the stage directory: `python -m` puts the working directory first on sys.path,
# so the package found is the staged one, never a source folder.
cd "$YOUTH_PY_STAGE" || exit 99
"$YOUTH_PYTHON" -m pytest -q -p no:cacheprovider -c "$YOUTH_TOP_SRCDIR/tests/python/pytest.ini" \
	--rootdir="$YOUTH_TOP_SRCDIR/tests/python" "$YOUTH_TOP_SRCDIR/tests/python" "$@"
rc=$?
if test $rc -eq 5; then
	echo "run-pytest.sh: pytest collected no tests" >&2
	exit 1
fi
exit $rc
