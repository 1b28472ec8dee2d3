"""Indicator reports: the programme's figures by place, sex, age band..., safe to publish.

    report = reg.report(indicators=["census", "counselled"], by=["municipality", "sex"],
                        at="2009-04-30")
    for row in report.rows:
        print(row["municipality"], row["sex"], row["census"], row["counselled"])
    report.to_csv("indicators.csv", bom=True)

The C library counts, suppresses and writes (youth/report.h, docs/indicators.md): this module
only turns its report object into Python values.  A suppressed figure is never a number: it is
the marker :data:`SUPPRESSED` (and a rate with nobody to divide by :data:`UNDEFINED`, an
indicator that does not vary along a dimension :data:`NOT_APPLICABLE`).
"""

import dataclasses
import datetime
import io
import os
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

from . import capi
from .interchange import _writer
from .records import DateLike, PathLike, _Owned, _pandas, cents_to_decimal

__all__ = ["Report", "Indicator", "Mark", "SUPPRESSED", "UNDEFINED", "NOT_APPLICABLE",
           "indicators"]


class Mark:
    """Stands in a report's row for a figure that is not given (compare with ``is``).  It is
    falsy and prints as its word, so that it can never be mistaken for a count."""

    __slots__ = ("word", "_name")

    def __init__(self, word: str, name: str) -> None:
        self.word = word
        self._name = name

    def __repr__(self) -> str:
        return "youth." + self._name

    def __str__(self) -> str:
        return self.word

    def __bool__(self) -> bool:
        return False


#: A figure withheld by disclosure control: a count from 1 to k-1, or one from which such a
#: count could be worked out, or a sum or rate resting on one.
SUPPRESSED = Mark("suppressed", "SUPPRESSED")
#: A rate whose denominator is 0.
UNDEFINED = Mark("undefined", "UNDEFINED")
#: An indicator that does not vary along a dimension of the row (only its total has a value).
NOT_APPLICABLE = Mark("n/a", "NOT_APPLICABLE")


@dataclasses.dataclass(frozen=True)
class Indicator:
    """The published description of an indicator (docs/indicators.md)."""
    name: str
    label: str
    doc: str
    type: str       # "persons", "records", "sum", "ratio" or "difference"
    unit: str       # "count", "money" (Decimal dollars) or "ratio" (float)
    programme: Optional[str] = None


def indicators() -> List[Indicator]:
    """The built-in indicators, in the library's order: a list of :class:`Indicator`."""
    return [Indicator(**d) for d in capi.youth_py_indicators()]


# YOUTH_CELL_SUPPRESSED is a macro of an expression, which SWIG does not carry over.
_SUPPRESSED = (capi.YOUTH_CELL_PRIMARY | capi.YOUTH_CELL_COMPLEMENT | capi.YOUTH_CELL_DERIVED)

_FORMATS = {"csv": capi.YOUTH_REPORT_CSV, "json": capi.YOUTH_REPORT_JSON,
            "yaml": capi.YOUTH_REPORT_YAML, "html": capi.YOUTH_REPORT_HTML}


def _date(value):
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, datetime.date) else value


def _names(value, what):
    """A list of names (or one str of comma-separated names) -> the C library's text."""
    if value is None or isinstance(value, str):
        return value
    names = list(value)
    if not all(isinstance(n, str) for n in names):
        raise TypeError("%s: expected names (str), got %r" % (what, names))
    return ",".join(names)


def _bands(value):
    """Age bands as "16-17,18-20" or a list of (low, high) pairs."""
    if value is None or isinstance(value, str):
        return value
    return ",".join("%d-%d" % (lo, hi) for lo, hi in value)


class Report:
    """A built report.  Figures come out already under disclosure control; nothing here can
    reach a suppressed value, which the C library never hands out.

    ``dimensions`` are the dimensions' names (outermost first) and ``indicators`` the
    :class:`Indicator` columns; ``rows`` holds one dict per row of the report
    ({dimension: category label, indicator name: value}), every margin included (its category
    is ``"Total"``), the grand total last.  A count is an int, money a Decimal of dollars, a
    rate a float; a figure not given is one of the markers :data:`SUPPRESSED`,
    :data:`UNDEFINED`, :data:`NOT_APPLICABLE`.
    """

    def __init__(self, handle: Any) -> None:
        self._owner = _Owned(handle, capi.youth_report_free)
        n = capi.youth_report_dimension_count(handle)
        self.dimensions = [capi.youth_report_dimension_name(handle, d) for d in range(n)]
        #: headings for people (a level's label as the registry gives it)
        self.dimension_labels = [capi.youth_report_dimension_label(handle, d) for d in range(n)]
        self.indicators = [Indicator(**capi.youth_report_indicator(handle, i))
                           for i in range(capi.youth_report_indicator_count(handle))]
        #: the threshold applied (0 for an internal report)
        self.k = capi.youth_report_k(handle)
        #: True when no disclosure control was applied (k = 0, internal use only)
        self.internal = capi.youth_report_internal(handle)
        #: the reference date of ages, a datetime.date
        self.at = datetime.date.fromisoformat(capi.youth_report_at(handle))
        self._rows = None

    @property
    def _r(self) -> Any:
        return self._owner.ptr

    def close(self) -> None:
        """Frees the C report (also done when the object is garbage collected)."""
        self._owner.close()

    def __enter__(self) -> "Report":
        return self

    def __exit__(self, *exc: Any) -> bool:
        self.close()
        return False

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return "<youth.Report %s by %s, k=%d, %d rows>" % (
            ",".join(i.name for i in self.indicators), ",".join(self.dimensions) or "nothing",
            self.k, len(self.rows))

    def _handle(self):
        if self._r is None:
            from .errors import _misuse
            raise _misuse("the report is closed")
        return self._r

    def _value(self, row, i, ind):
        cell = capi.youth_report_cell_get(self._r, row, i)
        flags = cell["flags"]
        if flags & _SUPPRESSED:
            return SUPPRESSED
        if flags & capi.YOUTH_CELL_NOT_APPLICABLE:
            return NOT_APPLICABLE
        if flags & capi.YOUTH_CELL_UNDEFINED:
            return UNDEFINED
        if ind.unit == "money":
            return cents_to_decimal(cell["value"])
        if ind.unit == "ratio":
            return cell["value"] / cell["denominator"]
        return cell["value"]

    @property
    def rows(self) -> List[Dict[str, Any]]:
        """The rows as a list of dicts (built once, then kept)."""
        if self._rows is None:
            r = self._handle()
            labels = []  # per dimension, the label of each category, the margin last
            levels = []  # per hierarchical dimension of places, each category's level name
            for d in range(len(self.dimensions)):
                n = capi.youth_report_category_count(r, d)
                labels.append([capi.youth_report_category(r, d, c)[0] for c in range(n + 1)])
                parent = [capi.youth_report_category_parent(r, d, c) for c in range(n)]
                if all(p == n for p in parent):
                    levels.append(None)
                    continue
                # a hierarchy "municipality>district>community": a category's level is the
                # name at its depth (groups come before their parts)
                names, depth = self.dimensions[d].split(">"), []
                for c in range(n):
                    depth.append(0 if parent[c] == n else depth[parent[c]] + 1)
                levels.append([names[min(t, len(names) - 1)] for t in depth] + ["total"])
            rows = []
            for row in range(capi.youth_report_row_count(r)):
                out = {}
                for d, name in enumerate(self.dimensions):
                    cat = capi.youth_report_row_category(r, row, d)
                    out[name] = labels[d][cat]
                    if levels[d] is not None:
                        out["level"] = levels[d][cat]
                for i, ind in enumerate(self.indicators):
                    out[ind.name] = self._value(row, i, ind)
                rows.append(out)
            self._rows = rows
        return self._rows

    def write(self, sink: Union[PathLike, Any], format: str = "csv", bom: bool = False,
              skip_empty: bool = False) -> None:
        """Writes the report as the C library's writers do (``format``: csv, json, yaml or
        html) to a path (written beside it and renamed into place when complete) or to a file
        object, binary or text (open a text file with ``newline=""``: CSV lines end in CRLF).
        ``bom`` starts a CSV with a UTF-8 byte order mark, for spreadsheets; ``skip_empty``
        leaves out rows whose figures are all 0."""
        if format not in _FORMATS:
            raise ValueError("format %r: expected one of %s" % (format, ", ".join(_FORMATS)))
        flags = (capi.YOUTH_REPORT_BOM if bom else 0) | (
            capi.YOUTH_REPORT_SKIP_EMPTY if skip_empty else 0)
        if isinstance(sink, (str, os.PathLike)):
            dst = os.fspath(sink)
        elif callable(getattr(sink, "write", None)):
            dst = _writer(sink)
        else:
            raise TypeError("write: expected a path or a file object, got %s"
                            % type(sink).__name__)
        capi.youth_py_report_write(self._handle(), dst, _FORMATS[format], flags)

    def to_csv(self, path_or_file: Union[PathLike, Any, None] = None,
               bom: bool = False) -> Optional[str]:
        """The report as CSV (the C library's writer: suppressed figures as ``suppressed``,
        cells a spreadsheet would take for a formula neutralised): written to a path or a file
        object, or returned as a str when none is given."""
        if path_or_file is None:
            buf = io.BytesIO()
            self.write(buf, "csv", bom=bom)
            return buf.getvalue().decode("utf-8")
        self.write(path_or_file, "csv", bom=bom)
        return None

    def to_html(self, path_or_file: Union[PathLike, Any, None] = None) -> Optional[str]:
        """The report as one self-contained HTML page (table, bar charts, legend): written to
        a path or a file object, or returned as a str."""
        if path_or_file is None:
            buf = io.BytesIO()
            self.write(buf, "html")
            return buf.getvalue().decode("utf-8")
        self.write(path_or_file, "html")
        return None

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame (pandas is not a dependency: ImportError without
        it).  A figure not given is ``pd.NA``, and its reason ("suppressed", "undefined",
        "n/a") is in a column ``<indicator>_flag`` beside it, present for the indicators that
        have any such figure.  Counts are nullable integers (``Int64``)."""
        pd = _pandas("Report.to_pandas()")
        rows = self.rows
        data = {name: [row[name] for row in rows] for name in self.dimensions}
        for ind in self.indicators:
            values = [row[ind.name] for row in rows]
            marks = [str(v) if isinstance(v, Mark) else None for v in values]
            plain = [pd.NA if isinstance(v, Mark) else v for v in values]
            if ind.unit == "count":
                data[ind.name] = pd.array(plain, dtype="Int64")
            elif ind.unit == "ratio":
                data[ind.name] = pd.array(plain, dtype="Float64")
            else:
                data[ind.name] = pd.array(plain, dtype=object)
            if any(marks):
                data[ind.name + "_flag"] = marks
        frame = pd.DataFrame(data)
        frame.attrs.update(k=self.k, internal=self.internal, at=self.at)
        return frame


class ReportMixin:
    """Registry.report()."""

    def report(self, indicators: Union[str, Iterable[str], None] = None,
               by: Union[str, Iterable[str], None] = None,
               period: Optional[Tuple[Optional[DateLike], Optional[DateLike]]] = None,
               k: int = capi.YOUTH_REPORT_DEFAULT_K, internal: bool = False,
               at: Optional[DateLike] = None, place: Optional[str] = None,
               census_round: Optional[str] = None,
               age_bands: Union[str, Iterable[Tuple[int, int]], None] = None,
               age_at_service: bool = False,
               definitions: Union[PathLike, str, bytes, None] = None) -> Report:
        """Builds a report of ``indicators`` (names, default every built-in one or every one of
        ``definitions``) by the dimensions ``by`` (names, outermost first: a gazetteer level,
        ``sex``, ``age_band``, ``exchange``, ``programme``, ``window``, ``course``, ``month``,
        ``quarter``, ``year``), with every margin.  Levels joined by ``>``, from the top down
        (``"municipality>district>community"``), are one hierarchical dimension: a row for every
        place of each level, each group before its parts, with its ``level`` in :attr:`rows`.  ``period`` is ``(from, to)`` (dates or
        ``YYYY-MM-DD``, either may be None); ``at`` the reference date of ages (default: the
        end of the period, else today).

        Disclosure control: counts from 1 to ``k`` - 1 are suppressed with every figure that
        would give them away.  ``internal=True`` applies none (k = 0), for use inside the
        programme only; ``k=0`` or ``k=1`` alone is refused (youth.InvalidError).

        ``definitions``: indicators of your own (docs/indicators.md), a path (str or
        path-like) or the YAML text itself (bytes, or a str holding a newline).  A bad
        option raises youth.InvalidError naming it; a bad definition youth.ParseError or
        youth.InvalidError with its line and column.  Returns a :class:`Report`.
        """
        frm = to = None
        if period is not None:
            if isinstance(period, (str, datetime.date)) or len(period) != 2:
                raise TypeError("period: expected (from, to), got %r" % (period,))
            frm, to = (_date(p) for p in period)
        flags = 0
        if internal:
            if k not in (0, capi.YOUTH_REPORT_DEFAULT_K):
                raise ValueError("k=%r with internal=True: an internal report has k = 0" % k)
            k = 0
            flags |= capi.YOUTH_REPORT_INTERNAL
        if age_at_service:
            flags |= capi.YOUTH_REPORT_AGE_AT_SERVICE
        path, text = None, b""
        if isinstance(definitions, os.PathLike) or (
                isinstance(definitions, str) and "\n" not in definitions):
            path = os.fspath(definitions)
        elif isinstance(definitions, str):
            text = definitions.encode("utf-8")
        elif definitions is not None:
            text = bytes(definitions)
        if not isinstance(k, int) or isinstance(k, bool):
            raise TypeError("k: expected an int, got %s" % type(k).__name__)
        with self._lock:
            handle = capi.youth_py_report_new(
                self._handle(), _names(indicators, "indicators"), _names(by, "by"), frm, to,
                _date(at), place, census_round, _bands(age_bands), k, flags, path, text)
        return Report(handle)
