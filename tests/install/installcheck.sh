#!/bin/sh
# `make installcheck`: the installed libyouth works from where `make install` put it.
#
# After `./configure --prefix=DIR && make install`, `make install prefix=DIR` (then `make
# installcheck prefix=DIR`), a DESTDIR install, and in `make distcheck` (which installs into
# a temporary prefix, runs this, uninstalls and checks that no file is left): runs the
# installed `youth`, imports the installed Python package with only PYTHONPATH set, and builds
# the package again with pip against the installed library found by pkg-config
# (bindings/python/setup.py), in a virtual environment, offline.  The Makefile passes the
# installation directories in the environment.  Exit status: 0 pass, 1 fail.
set -eu
: "${DESTDIR:=}"
bin=$DESTDIR$bindir
lib=$DESTDIR$libdir
tmp=$(mktemp -d "${TMPDIR:-/tmp}/youth-installcheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "not ok - $*"; exit 1; }

# A prefix given to make rather than configure (`make install prefix=DIR`): the program's run
# path names configure's libdir, as it does under DESTDIR.
: "${prefix:=}"
: "${configured_prefix:=$prefix}"
moved=
if [ -n "$DESTDIR" ] || [ "$prefix" != "$configured_prefix" ]; then
	moved=yes
fi

# The library is then not where the program's run path points: tell the loader, for it only.
youth() {
	if [ -n "$moved" ]; then
		LD_LIBRARY_PATH=$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$bin/youth" "$@"
	else
		"$bin/youth" "$@"
	fi
}
youth --version >"$tmp/version" || fail "the installed youth does not run"
youth -r "$tmp/t.registry" init >/dev/null || fail "the installed youth cannot init"
echo "ok 1 - installed youth: $(cat "$tmp/version")"

# The Python module finds the library by a run path relative to itself (bindings/python/
# local.mk), wherever the install put both: with PYTHONPATH only, no LD_LIBRARY_PATH, it must
# load the libyouth.so installed beside it, not another one.
if [ -n "${pyexecdir:-}" ]; then
	py=$DESTDIR$pyexecdir
	(cd "$tmp" && env -u LD_LIBRARY_PATH PYTHONPATH="$py" "$PYTHON" -c '
import os, sys, youth
assert youth.__file__.startswith(sys.argv[1]), youth.__file__
with youth.Registry("t.registry") as reg:
    assert reg.count_persons() == 0
with open("/proc/self/maps") as maps:
    loaded = {os.path.realpath(l.split()[-1]) for l in maps if "/libyouth.so" in l}
want = os.path.realpath(sys.argv[2])
assert loaded and all(os.path.dirname(f) == want for f in loaded), (loaded, want)
print(youth.version(), youth.__file__, "with", " ".join(sorted(loaded)))' "$py" "$lib") \
		>"$tmp/py" 2>&1 ||
		{ cat "$tmp/py"; fail "the installed Python package does not import from $py"; }
	echo "ok 2 - installed Python package: $(cat "$tmp/py")"
fi

# pip against the installed library: needs pkg-config, SWIG, venv, setuptools and wheel (Debian:
# pkg-config swig python3-venv python3-setuptools python3-wheel), and an install this script
# can point pkg-config at (not a DESTDIR staging tree nor a prefix given to make, whose .pc
# names configure's prefix).
if [ -n "${pyexecdir:-}" ] && [ -z "$moved" ] && command -v pkg-config >/dev/null &&
	command -v swig >/dev/null && "$PYTHON" -c 'import venv, setuptools, wheel' 2>/dev/null; then
	cp -R "$srcdir/bindings/python" "$tmp/src"
	chmod -R u+w "$tmp/src"
	rm -rf "$tmp/src/build"
	"$PYTHON" -m venv --system-site-packages "$tmp/venv" || fail "python3 -m venv"
	PKG_CONFIG_PATH=$lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH} \
		"$tmp/venv/bin/python" -m pip install --quiet --no-index --no-build-isolation \
		--no-deps "$tmp/src" >"$tmp/pip" 2>&1 || { cat "$tmp/pip"; fail "pip install"; }
	(cd "$tmp" && env -u PYTHONPATH "$tmp/venv/bin/python" -c '
import sys, youth
assert youth.__file__.startswith(sys.argv[1]), youth.__file__
with youth.Registry("t.registry") as reg:
    assert reg.count_persons() == 0
print(youth.version())' "$tmp/venv") >"$tmp/py" 2>&1 ||
		{ cat "$tmp/py"; fail "the package pip built does not import"; }
	echo "ok 3 - pip install --no-build-isolation bindings/python into a venv: $(cat "$tmp/py")"
else
	echo "ok 3 # SKIP pip build (needs configure's prefix and no DESTDIR, pkg-config, swig, venv, setuptools, wheel)"
fi
