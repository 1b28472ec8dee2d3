#!/usr/bin/env python3
"""Writes a libyouth/1 file of N copies of the sample registry's persons and services.

    bench/scale_sample.py N < sample.yaml > scaled.yaml

The input is `youth export` of the sample registry (make sample).  The places, programmes,
exchanges, operators, employers and courses are written once; every other section (persons
and everything that hangs on them) is written N times.  Copy k > 0 gets new UUIDs (the first
three hex digits of each UUID the copied sections define, the same in every one of them,
replaced by a00 + k; references to them following), its own cohort codes, payment and disbursement references and group names (a
suffix "-k"), and its persons lose their DUI (unique, with a check digit).  The result imports
into an empty registry with no rejects; used by the export benchmark of docs/benchmarks.md.
"""
import re
import sys

SHARED = {"places", "programmes", "exchanges", "operators", "employers", "courses"}
# (section, key) whose value must be unique: suffixed per copy.
SUFFIXED = {("cohorts", "code"), ("scholarship_payments", "reference"),
            ("plan_disbursements", "reference"), ("groups", "name")}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def main():
    n = int(sys.argv[1])
    lines = sys.stdin.read().split("\n")
    sections, order, current = {}, [], None
    for line in lines[1:]:
        if not line or line.startswith("end:") or line.startswith("  records:"):
            continue
        if not line.startswith(" "):
            current = line.rstrip(":")
            order.append(current)
            sections[current] = []
            continue
        if line.startswith("  - "):
            sections[current].append([])
        sections[current][-1].append(line)
    copied = set()  # the UUIDs the copied sections define
    for name in order:
        if name not in SHARED:
            for rec in sections[name]:
                m = UUID.search(rec[0])
                copied.add(m.group(0))
    if len({u[:3] for u in copied}) != 1:
        sys.exit("scale_sample.py: the UUIDs do not share their first three digits")
    out = sys.stdout
    out.write(lines[0] + "\n")
    total = 0
    for name in order:
        out.write(name + ":\n")
        for k in range(1 if name in SHARED else n):
            def remap(m):
                u = m.group(0)
                return "%03x" % (0xa00 + k) + u[3:] if k and u in copied else u
            for rec in sections[name]:
                total += 1
                for line in rec:
                    key = line[4:].split(":", 1)[0]
                    if k and name == "persons" and key == "national_id":
                        continue
                    line = UUID.sub(remap, line)
                    if k and (name, key) in SUFFIXED:
                        line = (line[:-1] + '-%d"' % k) if line.endswith('"') else line + "-%d" % k
                    out.write(line + "\n")
    out.write("end:\n  records: %d\n" % total)


if __name__ == "__main__":
    main()
