"""reg.report(): rows, margins, suppression marks, CSV round trip, pandas, errors, and the
examples of docs/python.md's "Indicator reports" section, run as written."""

import csv
import datetime
import io
import os
import pathlib
import re

import pytest

import youth
from youth import capi
from conftest import TOP_SRCDIR, make_person

SAMPLE = pathlib.Path(os.environ.get("YOUTH_TOP_BUILDDIR", ".")) / "examples" / "sample.registry"
AT = datetime.date(2009, 4, 30)


@pytest.fixture
def small(reg):
    """6 women and 2 men in Santa Eugenia: the men (2 < 5) must never be published."""
    for i in range(6):
        reg.add_person(make_person(given_names="Ana %d" % i, national_id=None,
                                   birth_date=datetime.date(1990, 1, 1 + i)))
    for i in range(2):
        reg.add_person(make_person(given_names="Luis %d" % i, sex="male", national_id=None,
                                   birth_date=datetime.date(1990, 2, 1 + i)))
    return reg


def by_sex(report):
    return {row["sex"]: row["census"] for row in report.rows}


def test_rows_are_dicts_with_every_margin(small):
    r = small.report(indicators=["census"], by=["sex"], at=AT)
    assert r.dimensions == ["sex"]
    assert [i.name for i in r.indicators] == ["census"]
    assert all(set(row) == {"sex", "census"} for row in r.rows)
    cats = [row["sex"] for row in r.rows]
    assert cats[:2] == ["female", "male"] and len(cats) == 3   # the margin last
    assert r.rows[-1]["census"] == 8                           # the grand total
    assert r.k == 5 and r.internal is False and r.at == AT


def test_a_small_count_is_marked_never_zero(small):
    r = small.report(indicators=["census"], by=["sex"], at=AT)
    male = by_sex(r)["male"]
    assert male is youth.SUPPRESSED
    assert male != 0 and not isinstance(male, int)
    assert str(male) == "suppressed" and not male
    # nothing below k is published anywhere in the table
    assert all(v is youth.SUPPRESSED or v == 0 or v >= 5
               for row in r.rows for v in [row["census"]])


def test_internal_shows_every_count(small):
    r = small.report(indicators="census", by="sex", at=AT, internal=True)
    assert by_sex(r)["male"] == 2 and r.internal is True and r.k == 0
    assert "INTERNAL" in r.to_csv().splitlines()[0].upper()


def test_k_zero_needs_internal(small):
    with pytest.raises(youth.InvalidError):
        small.report(indicators=["census"], k=0)
    with pytest.raises(youth.InvalidError):
        small.report(indicators=["census"], k=1)
    with pytest.raises(ValueError):
        small.report(indicators=["census"], k=3, internal=True)


def test_bad_options_raise_the_package_errors(small):
    with pytest.raises(youth.InvalidError) as e:
        small.report(by=["nowhere"])
    assert "nowhere" in str(e.value)
    with pytest.raises(youth.InvalidError) as e:
        small.report(indicators=["nothing_such"])
    assert "nothing_such" in str(e.value)
    with pytest.raises(youth.InvalidError):
        small.report(at="2009-13-01")
    with pytest.raises(TypeError):
        small.report(period="2009")


def test_a_bad_definition_names_its_line(small):
    text = "format: libyouth/1\nindicators:\n\t- name: x\n"   # a tab cannot indent YAML
    with pytest.raises(youth.Error) as e:
        small.report(definitions=text)
    assert isinstance(e.value, (youth.ParseError, youth.InvalidError))
    assert re.search(r"\b3\b", str(e.value)), str(e.value)   # the line of the problem


def test_to_csv_round_trip(small, tmp_path):
    r = small.report(indicators=["census"], by=["sex"], at=AT)
    path = tmp_path / "r.csv"
    r.to_csv(path, bom=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as f:
        back = list(csv.DictReader(f))
    assert [(b["sex"], b["census"]) for b in back] == \
        [(row["sex"], str(row["census"])) for row in r.rows]
    # a text file object and a str give the same text
    buf = io.StringIO(newline="")
    r.to_csv(buf)
    assert buf.getvalue() == r.to_csv() == raw[3:].decode("utf-8")


def test_a_failing_file_raises_its_own_error(small):
    class Full(io.RawIOBase):
        def write(self, data):
            raise OSError(28, "No space left on device")
    r = small.report(indicators=["census"], by=["sex"], at=AT)
    for fmt in ("csv", "html"):
        with pytest.raises(OSError, match="No space left"):
            r.write(Full(), fmt)
    with pytest.raises(ValueError):
        r.write(io.BytesIO(), "xml")


def test_to_html_is_one_page(small):
    page = small.report(indicators=["census"], by=["sex"], at=AT).to_html()
    assert page.count("<html") == 1 and "<svg" in page and "n.p." in page
    assert "<script" not in page


def test_to_pandas_or_skip(small):
    pd = pytest.importorskip("pandas")
    r = small.report(indicators=["census"], by=["sex"], at=AT)
    df = r.to_pandas()
    assert list(df["sex"]) == [row["sex"] for row in r.rows]
    assert str(df["census"].dtype) == "Int64"
    male = df[df["sex"] == "male"].iloc[0]
    assert male["census"] is pd.NA and male["census_flag"] == "suppressed"
    assert df.attrs["k"] == 5


def test_builtin_indicators_are_described():
    names = [i.name for i in youth.indicators()]
    assert "census" in names
    assert all(i.label and i.doc for i in youth.indicators())


@pytest.mark.skipif(not SAMPLE.is_file(), reason="make sample has not been run")
def test_sample_census_by_district():
    with youth.Registry(SAMPLE, readonly=True) as reg:
        r = reg.report(indicators=["census"], by=["district"], at=AT)
        got = {row["district"]: row["census"] for row in r.rows}
    assert got["Sonsonate"] == 360 and got["Acajutla"] == 150 and got["Sonzacate"] == 90



@pytest.mark.skipif(not SAMPLE.is_file(), reason="make sample has not been run")
def test_sample_census_by_a_hierarchy_of_places():
    with youth.Registry(SAMPLE, readonly=True) as reg:
        r = reg.report(indicators=["census"], by=["municipality>district>community", "sex"], at=AT)
        rows = r.rows
        # The C accessor of a category's level is a plain integer in Python (youth.i), not an
        # error code: the first category of the hierarchy is a municipality.
        assert capi.youth_report_category_level(r._handle(), 0, 0) == \
            capi.YOUTH_PLACE_MUNICIPALITY
        assert capi.youth_report_category_level(r._handle(), 1, 0) == 0  # sex: not of places
    dim = "municipality>district>community"
    both = [row for row in rows if row["sex"] == "Total"]
    assert [(row[dim], row["level"]) for row in both[:2]] == [
        ("Sonsonate Centro", "municipality"), ("Nahulingo", "district")]
    districts = {row[dim]: row["census"] for row in both if row["level"] == "district"}
    assert districts["Sonsonate"] == 360 and districts["Acajutla"] == 150
    assert both[-1]["level"] == "total" and both[-1]["census"] == 600
    assert any(row["level"] == "community" and row["census"] is youth.SUPPRESSED for row in rows)


def doc_blocks():
    """The ```python blocks of the section "Indicator reports" of docs/python.md."""
    text = (TOP_SRCDIR / "docs" / "python.md").read_text(encoding="utf-8")
    section = text.split("## Indicator reports", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


@pytest.mark.skipif(not SAMPLE.is_file(), reason="make sample has not been run")
def test_the_examples_of_docs_python_md_run(tmp_path, monkeypatch, capsys):
    blocks = doc_blocks()
    assert blocks, "docs/python.md has no examples of reports"
    (tmp_path / "examples").mkdir()
    os.symlink(SAMPLE, tmp_path / "examples" / "sample.registry")
    monkeypatch.chdir(tmp_path)
    namespace = {}   # the blocks follow each other on the page, as in one session
    for code in blocks:
        exec(compile(code, "docs/python.md", "exec"), namespace)
    assert (tmp_path / "census.csv").stat().st_size > 0
    assert "Sonsonate 360" in capsys.readouterr().out
