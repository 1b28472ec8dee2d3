#!/usr/bin/env python3
"""Did a browser really show the report's table?  (tests/cli/test_report_browser.sh)

    table_seen.py PAGE.html OCR.txt [ROWS]

PAGE.html is the page `youth report --format html` wrote; OCR.txt is what tesseract read on
the screenshot headless Chromium took of it.  The table's rows are taken from the page itself
(the table of class "report": header row, then the body rows); the first ROWS of them (default
8, the ones a screenshot of the window must hold) must each appear on one line of the OCR text,
their cells' words in the order of the cells.  Exit status 0 when every row was seen, 1 with
the rows missing otherwise, 2 when the page has no such table.

Words are compared without their punctuation, accents and case ("n.p." read as "np." is the same word;
the rules "|" OCR reads between cells are dropped), and a line may hold other words between
them, so the check does not depend on how the cells are spaced, only on their text being drawn
in the table's order.  Standard library only.
"""

import html.parser
import sys
import unicodedata


def words(text):
    """Lower-case words without punctuation or accents (OCR often reads "Guzmán" as
    "Guzman"); empty ones (a lone "|" or "&") dropped."""
    out = []
    for w in unicodedata.normalize("NFKD", text).split():
        w = "".join(c for c in w if c.isalnum() and not unicodedata.combining(c)).lower()
        if w:
            out.append(w)
    return out


class TableRows(html.parser.HTMLParser):
    """The rows of the first <table class="report">: a list of lists of cell texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows = []
        self._depth = 0   # nesting of tables inside the report's table (0: not in it)
        self._done = False
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            if self._depth:
                self._depth += 1
            elif not self._done and "report" in (dict(attrs).get("class") or "").split():
                self._depth = 1
        elif self._depth == 1 and tag == "tr":
            self.rows.append([])
        elif self._depth == 1 and tag in ("td", "th") and self.rows:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self._depth:
            self._depth -= 1
            self._done = self._depth == 0
        elif self._depth == 1 and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def in_order(want, line):
    """True when the words of ``want`` occur in ``line`` in this order."""
    i = 0
    for w in line:
        if i < len(want) and w == want[i]:
            i += 1
    return i == len(want)


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    parser = TableRows()
    with open(argv[1], encoding="utf-8") as f:
        parser.feed(f.read())
    rows = [r for r in parser.rows if any(words(c) for c in r)]
    if not rows:
        print("%s: no table of class \"report\" with text" % argv[1])
        return 2
    with open(argv[2], encoding="utf-8", errors="replace") as f:
        lines = [words(line) for line in f]
    limit = int(argv[3]) if len(argv) == 4 else 8
    missing = []
    for row in rows[:limit]:
        want = [w for cell in row for w in words(cell)]
        if not any(in_order(want, line) for line in lines):
            missing.append(" | ".join(row))
    for row in missing:
        print("not seen on the screenshot: %s" % row)
    if missing:
        return 1
    print("seen: the %d first rows of the table" % min(limit, len(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
