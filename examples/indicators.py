#!/usr/bin/env python3
"""The analyst's table: every indicator of the programme by municipality x sex x age band, to
CSV, with disclosure control on (counts under k suppressed with whatever would give them away).

    python3 examples/indicators.py REGISTRY [OUTPUT.csv] [FROM TO]

Reads REGISTRY only (opened read-only); writes OUTPUT.csv (default: indicators.csv) and prints
how many cells were suppressed.  FROM and TO (YYYY-MM-DD) limit the period.  The indicators and
dimensions are those of docs/indicators.md.
"""
import sys

import youth


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    registry, output = argv[1], argv[2] if len(argv) > 2 else "indicators.csv"
    period = (argv[3], argv[4]) if len(argv) > 4 else None
    with youth.Registry(registry, readonly=True) as reg:
        # The default k: published figures never show a count of 1 to k - 1.
        report = reg.report(by=["municipality", "sex", "age_band"], period=period)
        report.to_csv(output)
        rows = report.rows
        hidden = sum(1 for row in rows for value in row.values() if value is youth.SUPPRESSED)
    print("%d rows, %d suppressed cells -> %s" % (len(rows), hidden, output))


if __name__ == "__main__":
    main(sys.argv)
