#!/usr/bin/python3
"""Iterating a registry from Python: the package's objects against Python's own sqlite3 module
fetching the same rows from the same file (docs/benchmarks.md, "Python iteration").

    bench_python_iter.py [--rounds R] [--limit N] [--per-row] REGISTRY
    bench_python_iter.py [--rounds R] --generate N --gen-national PROG --youth PROG
                         --gazetteer FILE --dir DIR

In each round, taking turns, and for persons then enrollments (a service kind):
  sqlite3  the SELECT the library runs for that kind (its columns, the person's place path
           joined), every row fetched as a tuple by iterating the cursor;
  youth    youth.Registry(REGISTRY, readonly=True).persons() / .enrollments(): every record
           a youth.Person / youth.Enrollment;
  per-row  (with --per-row) the same records read one per call through the SWIG layer as
           dicts and converted by the class's reader: the route before blocks.
Prints one line per round and kind (CPU seconds of this process and wall seconds, and the
ratio youth / sqlite3 of each), then the median ratio per kind against the target (<= 2).
--generate writes a national registry of N persons in DIR with bench/gen-national and
`youth import` (kept: a second run reuses it).  The package is the one on PYTHONPATH (make
bench-python gives the staged one of the build tree).
"""

import argparse
import itertools
import os
import sqlite3
import statistics
import subprocess
import sys
import time

import youth
from youth import capi

# The rows the library reads (libyouth/person.c PERSON_COLS, libyouth/course.c ENROLLMENT_COLS).
SQL = {
    "persons": (
        "SELECT p.id, p.uuid, p.national_id, p.given_names, p.first_surname, p.second_surname, "
        "p.birth_date, p.sex, pl.path, p.address, p.phone, p.education, p.studying, "
        "p.employment, p.household_size, p.disability, p.census_date, p.census_round, "
        "p.job_profiles, p.consent, p.consent_date "
        "FROM person p JOIN place pl ON pl.id = p.place_id ORDER BY p.id"),
    "enrollments": (
        "SELECT id, uuid, cohort_id, person_id, operator_id, state, applied_date, state_date, "
        "attendance, certificate_date, reason FROM enrollment ORDER BY id"),
}
TARGET = 2.0


def timed(fn):
    """(CPU seconds, wall seconds, result) of fn()."""
    c, w = time.process_time(), time.perf_counter()
    n = fn()
    return time.process_time() - c, time.perf_counter() - w, n


def by_sqlite3(path, kind, limit):
    def run():
        con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        try:
            n = 0
            for _ in itertools.islice(con.execute(SQL[kind]), limit):
                n += 1
            return n
        finally:
            con.close()
    return run


def by_youth(path, kind, limit):
    def run():
        with youth.Registry(path, readonly=True) as reg:
            n = 0
            for _ in itertools.islice(getattr(reg, kind)(), limit):
                n += 1
            return n
    return run


def by_row(path, kind, limit):
    """The former route: one SWIG call and one dict per record, then the class's reader."""
    name, cls = {"persons": ("person", youth.Person),
                 "enrollments": ("enrollment", youth.Enrollment)}[kind]
    new = getattr(capi, "youth_%s_iter_new" % name)
    nxt = getattr(capi, "youth_%s_next" % name)
    free = getattr(capi, "youth_%s_iter_free" % name)
    read = cls._youth_from

    def run():
        with youth.Registry(path, readonly=True) as reg:
            it = new(reg._handle(), None) if name == "person" else new(reg._handle(), 0, 0)
            try:
                n = 0
                while limit is None or n < limit:
                    d = nxt(it)
                    if d is None:
                        break
                    read(d)
                    n += 1
                return n
            finally:
                free(it)
    return run


def generate(args):
    """A national registry of args.generate persons in args.dir (made once)."""
    path = os.path.join(args.dir, "python-iter-%d.registry" % args.generate)
    if os.path.exists(path) and os.path.getsize(path) > 0:
        return path
    os.makedirs(args.dir, exist_ok=True)
    yaml_path = path[:-len(".registry")] + ".yaml"
    print("generating and importing a national registry of %d persons..." % args.generate,
          file=sys.stderr)
    subprocess.run([args.gen_national, "-g", args.gazetteer, "-o", yaml_path,
                    str(args.generate)], check=True, stderr=subprocess.DEVNULL)
    subprocess.run([args.youth, "-r", path, "init"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([args.youth, "-r", path, "import", yaml_path, "--quiet"], check=True)
    os.remove(yaml_path)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("registry", nargs="?")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None, help="first N rows of each kind")
    ap.add_argument("--per-row", action="store_true", help="also time the per-row route")
    ap.add_argument("--generate", type=int)
    ap.add_argument("--gen-national")
    ap.add_argument("--youth")
    ap.add_argument("--gazetteer")
    ap.add_argument("--dir")
    args = ap.parse_args()
    path = args.registry or (generate(args) if args.generate else None)
    if not path:
        ap.error("give a REGISTRY or --generate N")

    print("libyouth Python iteration benchmark: %s, %s, %d cores, load average %s"
          % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.uname().machine,
             os.cpu_count(), " ".join("%.2f" % x for x in os.getloadavg())))
    print("registry %s, Python %s, sqlite %s, %d rounds" % (
        path, sys.version.split()[0], sqlite3.sqlite_version, args.rounds))
    print()
    print("| kind | round | rows | sqlite3 CPU s | youth CPU s | youth/sqlite3 CPU | "
          "sqlite3 wall s | youth wall s | youth/sqlite3 wall |%s" % (
              " per-row CPU s | per-row/sqlite3 CPU |" if args.per_row else ""))
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|%s" % (
        "---:|---:|" if args.per_row else ""))
    ratios = {}
    for kind in ("persons", "enrollments"):
        for r in range(1, args.rounds + 1):
            sc, sw, sn = timed(by_sqlite3(path, kind, args.limit))
            yc, yw, yn = timed(by_youth(path, kind, args.limit))
            if sn != yn:
                sys.exit("%s: sqlite3 fetched %d rows, youth %d" % (kind, sn, yn))
            extra = ""
            if args.per_row:
                rc, _, rn = timed(by_row(path, kind, args.limit))
                if rn != sn:
                    sys.exit("%s: per-row read %d rows, sqlite3 %d" % (kind, rn, sn))
                extra = " %.2f | %.2f |" % (rc, rc / sc)
            ratios.setdefault(kind, []).append(yc / sc)
            print("| %s | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%s" % (
                kind, r, sn, sc, yc, yc / sc, sw, yw, yw / sw, extra))
            sys.stdout.flush()
    print()
    ok = True
    for kind, rs in ratios.items():
        med = statistics.median(rs)
        ok = ok and med <= TARGET
        print("%s: median youth/sqlite3 CPU %.2f (target <= %.1f): %s" % (
            kind, med, TARGET, "yes" if med <= TARGET else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
