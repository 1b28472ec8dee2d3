#!/usr/bin/env python3
"""Did a browser really show the report's table?  (tests/cli/test_report_browser.sh)

    table_seen.py PAGE.html OCR.txt [ROWS]

PAGE.html is the page `youth report --format html` wrote; OCR.txt is what tesseract read on
the screenshot headless Chromium took of it.  The table's rows are taken from the page itself
(the body rows of the first table of class "report": its header cells may wrap over several
lines, its body cells do not); the first ROWS of them (default 8, the ones a screenshot of the
window must hold) must each be found on one line of the OCR text:

- every word of the row's labels (the cells that are not figures, class "n"), in order, and
- at least 3/4 of all the row's words, in the order of the cells (OCR misreads a figure now
  and then, typically a lone bold 0 on a grey ground).

Words are compared without their punctuation, accents and case ("n.p." read as "np.", "Guzmán"
as "Guzman"; the rules "|" OCR reads between cells are dropped), so the check does not depend
on how the cells are spaced, only on their text being drawn in the table's order.  The charts
below the table name places with one figure each, far from 3/4 of a row.  Exit status 0 when
every row was found, 1 with the rows missing otherwise, 2 when the page has no such table.
Standard library only.
"""

import html.parser
import sys
import unicodedata

# How tesseract reads a lone 0 in bold on a grey ground.
ZERO = {"o", "oo", "c", "co", "0o", "o0"}


def words(text):
    """Lower-case words without punctuation or accents; empty ones (a lone "|") dropped."""
    out = []
    for w in unicodedata.normalize("NFKD", text).split():
        w = "".join(c for c in w if c.isalnum() and not unicodedata.combining(c)).lower()
        if w:
            out.append("0" if w in ZERO else w)
    return out


class TableRows(html.parser.HTMLParser):
    """The body rows of the first <table class="report">: lists of (text, is_figure)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows = []
        self._depth = 0   # nesting of tables inside the report's table (0: not in it)
        self._done = False
        self._body = False
        self._cell = None
        self._figure = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            if self._depth:
                self._depth += 1
            elif not self._done and "report" in (dict(attrs).get("class") or "").split():
                self._depth = 1
        elif self._depth == 1 and tag == "tbody":
            self._body = True
        elif self._depth == 1 and tag == "tr" and self._body:
            self.rows.append([])
        elif self._depth == 1 and tag in ("td", "th") and self._body and self.rows:
            self._cell = []
            self._figure = "n" in (dict(attrs).get("class") or "").split()

    def handle_endtag(self, tag):
        if tag == "table" and self._depth:
            self._depth -= 1
            self._done = self._depth == 0
        elif self._depth == 1 and tag == "tbody":
            self._body = False
        elif self._depth == 1 and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(("".join(self._cell), self._figure))
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


def common(a, b):
    """Length of the longest common subsequence of two lists of words."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def seen(row, line):
    labels = [w for text, figure in row if not figure for w in words(text)]
    every = [w for text, _ in row for w in words(text)]
    return in_order(labels, line) and 4 * common(every, line) >= 3 * len(every)


def main(argv):
    if len(argv) not in (3, 4):
        print("usage: table_seen.py PAGE.html OCR.txt [ROWS]", file=sys.stderr)
        return 2
    parser = TableRows()
    with open(argv[1], encoding="utf-8") as f:
        parser.feed(f.read())
    rows = [r for r in parser.rows if any(words(text) for text, _ in r)]
    if not rows:
        print("%s: no table of class \"report\" with rows of text" % argv[1])
        return 2
    with open(argv[2], encoding="utf-8", errors="replace") as f:
        lines = [words(line) for line in f]
    limit = int(argv[3]) if len(argv) == 4 else 8
    missing = [r for r in rows[:limit] if not any(seen(r, line) for line in lines)]
    for row in missing:
        print("not seen on the screenshot: %s" % " | ".join(text for text, _ in row))
    if missing:
        return 1
    print("seen: the %d first rows of the table" % min(limit, len(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
