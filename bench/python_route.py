#!/usr/bin/python3
"""The route an analyst would otherwise take to load a census file: PyYAML (CSafeLoader, the
libyaml-backed loader) reads the whole document, then the standard sqlite3 module inserts the
rows with executemany() in one transaction into the same person table of a libyouth registry.

    /usr/bin/python3 bench/python_route.py REGISTRY FILE

REGISTRY must exist with the gazetteer loaded (bench-import --prepare REGISTRY makes one).  The
columns are filled as libyouth fills them: a fresh UUID, the folded name_key, place_id looked up
by path, enumerations as integers, dates as text.  Prints one line of key=value pairs: wall-clock
seconds from opening the file to COMMIT, rows inserted, and the peak RSS of the process (KiB).
"""

import resource
import sqlite3
import sys
import time
import unicodedata
import uuid

import yaml

EDUCATION = ["unknown", "none", "primary", "lower_secondary", "upper_secondary", "technical",
             "university"]
EMPLOYMENT = ["unknown", "unemployed", "employed_formal", "employed_informal", "self_employed",
              "inactive"]
SQL = ("INSERT INTO person (national_id, given_names, first_surname, second_surname, name_key, "
       "birth_date, sex, place_id, address, phone, education, studying, employment, "
       "household_size, disability, census_date, census_round, job_profiles, consent, "
       "consent_date, uuid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def fold(text):
    """Accents and case removed, blanks collapsed: what an analyst would write for name_key."""
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def text(v):
    return None if v is None else str(v)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    registry, path = argv
    t0 = time.monotonic()
    with open(path, "rb") as f:
        doc = yaml.load(f, Loader=yaml.CSafeLoader)
    t_load = time.monotonic() - t0
    con = sqlite3.connect(registry, isolation_level=None)
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("PRAGMA synchronous = FULL")
    places = dict(con.execute("SELECT path, id FROM place"))

    def rows():
        for p in doc["persons"]:
            given, first, second = p["given_names"], p["first_surname"], p.get("second_surname")
            key = fold(given) + " " + fold(first) + (" " + fold(second) if second else "")
            consent = 1 if p.get("consent") else 0
            yield (text(p.get("national_id")), given, first, second, key,
                   p["birth_date"].isoformat(), 1 if p["sex"] == "female" else 2,
                   places[p["place"]], p.get("address"), text(p.get("phone")),
                   EDUCATION.index(p.get("education", "unknown")),
                   1 if p.get("studying") else 0,
                   EMPLOYMENT.index(p.get("employment", "unknown")),
                   p.get("household_size"), 1 if p.get("disability") else 0,
                   p["census_date"].isoformat(), p["census_round"], p.get("job_profiles"),
                   consent, p["consent_date"].isoformat() if consent else None,
                   str(uuid.uuid4()))

    con.execute("BEGIN IMMEDIATE")
    cur = con.executemany(SQL, rows())
    n = cur.rowcount
    con.execute("COMMIT")
    secs = time.monotonic() - t0
    con.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("python_s=%.3f python_load_s=%.3f python_rows=%d python_rss_kib=%d"
          % (secs, t_load, n, rss))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
