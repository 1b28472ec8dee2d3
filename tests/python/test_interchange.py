"""Whole-registry import and export (libyouth/1 YAML): Registry.import_yaml / export_yaml."""

import datetime
import io
import os
import pathlib
import re

import pytest

import youth
from conftest import EXAMPLE_DATA, SANTA_EUGENIA

CENSUS = EXAMPLE_DATA / "census.yaml"
SAMPLE = pathlib.Path(os.environ.get("YOUTH_TOP_BUILDDIR", ".")) / "examples" / "sample.registry"

PERSON = """\
  - given_names: {given}
    first_surname: {surname}
    birth_date: 1992-05-14
    sex: {sex}
    place: {place}
    census_date: {census}
    census_round: census-2009
    consent: false
"""


def persons_doc(rows, trailer=True):
    """A libyouth/1 file of persons: rows are dicts of PERSON's fields (defaults filled)."""
    out = ["format: libyouth/1\npersons:\n"]
    for row in rows:
        values = dict(given="Ana", surname="López", sex="female", place=SANTA_EUGENIA,
                      census="2009-03-02")
        values.update(row)
        out.append(PERSON.format(**values))
    if trailer:
        out.append("end:\n  records: %d\n" % len(rows))
    return "".join(out).encode("utf-8")


def export_bytes(reg, **kwargs):
    # whole records: a default export leaves national IDs and contacts out (test_travel.py)
    kwargs.setdefault("identifiers", True)
    kwargs.setdefault("contacts", True)
    buf = io.BytesIO()
    summary = reg.export_yaml(buf, **kwargs)
    assert summary.bytes == len(buf.getvalue())
    return buf.getvalue(), summary


def sections(data):
    return re.findall(rb"^([a-z_]+):", data, re.M)


@pytest.fixture
def census(reg):
    """The example gazetteer (58 places) and census (600 persons)."""
    assert reg.load_census(CENSUS) == 600
    return reg


@pytest.fixture
def exported(census):
    data, summary = export_bytes(census)
    return data, summary


@pytest.fixture
def empty():
    with youth.Registry(":memory:", create=True) as r:
        yield r


@pytest.fixture
def places_only(empty, gazetteer_path):
    empty.load_gazetteer(gazetteer_path)
    return empty


# ---- the public names ------------------------------------------------------------------------

def test_public_names():
    assert set(youth.KINDS) == {"gazetteer", "persons", "exchanges", "rules", "courses",
                                "counselling", "scholarships", "enterprise", "followups",
                                "consents"}
    assert youth.MODES == ("atomic", "keep_going", "dry_run")
    s = youth.Summary()
    assert (s.records, s.imported, s.updated, s.unchanged, s.rejected, s.bytes) == (0,) * 6
    with pytest.raises(Exception):
        s.records = 1  # frozen


# ---- round trips -----------------------------------------------------------------------------

def test_export_summary_and_layout(exported):
    data, summary = exported
    assert isinstance(summary, youth.Summary)
    assert summary.records == 58 + 600
    assert summary.imported == summary.updated == summary.unchanged == summary.rejected == 0
    assert summary.bytes == len(data) > 0
    assert data.startswith(b"format: libyouth/1\n")
    assert sections(data) == [b"format", b"places", b"persons", b"end"]
    assert data.endswith(b"end:\n  records: 658\n")


def test_round_trip_through_bytesio(exported, empty):
    data, _ = exported
    summary = empty.import_yaml(io.BytesIO(data))
    assert summary == youth.Summary(records=658, imported=658, bytes=len(data))
    assert empty.count_persons() == 600
    again, _ = export_bytes(empty)
    assert again == data


def test_round_trip_through_stringio(exported, empty):
    data, _ = exported
    text = data.decode("utf-8")
    summary = empty.import_yaml(io.StringIO(text))
    assert summary.records == summary.imported == 658
    assert summary.bytes == len(data)
    out = io.StringIO()
    assert empty.export_yaml(out, identifiers=True, contacts=True).bytes == len(data)
    assert out.getvalue() == text
    assert out.getvalue().encode("utf-8") == data


def test_round_trip_through_a_path(census, empty, tmp_path):
    first = tmp_path / "first.yaml"
    second = tmp_path / "second.yaml"
    s1 = census.export_yaml(first)
    assert s1.records == 658 and s1.bytes == first.stat().st_size
    # a str path works as well as a PathLike
    s2 = empty.import_yaml(str(first))
    assert s2.imported == 658 and s2.bytes == s1.bytes
    empty.export_yaml(second)
    assert first.read_bytes() == second.read_bytes()
    # no temporary file left beside the destination
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".yaml")) == \
        ["first.yaml", "second.yaml"]


def test_round_trip_keeps_the_records(census, empty, exported):
    empty.import_yaml(io.BytesIO(exported[0]))
    before = {p.uuid: p for p in census.persons()}
    after = {p.uuid: p for p in empty.persons()}
    assert before.keys() == after.keys()
    for uuid, p in before.items():
        q = after[uuid]
        assert (q.full_name, q.birth_date, q.place, q.national_id, q.census_date) == \
            (p.full_name, p.birth_date, p.place, p.national_id, p.census_date)


@pytest.mark.skipif(not SAMPLE.is_file(), reason="make sample has not been run")
def test_round_trip_of_the_sample_registry(empty):
    with youth.Registry(SAMPLE, readonly=True) as sample:
        data, summary = export_bytes(sample)
    for name in (b"programmes", b"exchanges", b"operators", b"courses", b"cohorts",
                 b"enrollments", b"counselling_sessions", b"scholarships", b"plans",
                 b"followups"):
        assert name in sections(data)
    assert empty.import_yaml(io.BytesIO(data)).imported == summary.records
    assert export_bytes(empty)[0] == data


# ---- modes -----------------------------------------------------------------------------------

def test_upsert_of_the_same_file_is_unchanged(census, exported):
    data, _ = exported
    summary = census.import_yaml(io.BytesIO(data), upsert=True)
    assert summary.records == summary.unchanged == 658
    assert summary.imported == summary.updated == summary.rejected == 0
    assert census.count_persons() == 600


def test_import_without_upsert_of_existing_records_is_a_conflict(census, exported):
    with pytest.raises(youth.ExistsError) as info:
        census.import_yaml(io.BytesIO(exported[0]), name="again.yaml")
    assert info.value.message.startswith("again.yaml:")
    assert census.count_persons() == 600


def test_dry_run_writes_nothing(exported, empty):
    data, _ = exported
    summary = empty.import_yaml(io.BytesIO(data), mode="dry_run")
    assert summary.records == 658
    assert summary.rejected == 0
    assert empty.count_persons() == 0
    assert list(empty.places()) == []
    assert sections(export_bytes(empty)[0]) == [b"format", b"end"]


BAD = [dict(given="Uno"), dict(given="Dos", sex="dragon"), dict(given="Tres"),
       dict(given="Cuatro", place="atlantis")]


def test_keep_going_imports_the_valid_records_and_reports_the_others(places_only, tmp_path):
    src = tmp_path / "batch.yaml"
    src.write_bytes(persons_doc(BAD))
    rejects = tmp_path / "rejects.yaml"
    summary = places_only.import_yaml(src, mode="keep_going", rejects=rejects)
    assert summary.records == 4
    assert summary.imported == 2
    assert summary.rejected == 2
    assert sorted(p.given_names for p in places_only.persons()) == ["Tres", "Uno"]
    text = rejects.read_text(encoding="utf-8")
    assert text.startswith("format: libyouth/1\n")
    assert text.rstrip().endswith("records: 2")
    # each rejected record is preceded by a comment naming file:line:col and the reason
    comments = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    assert len(comments) == 2
    assert re.match(r"# .*batch\.yaml:\d+:\d+: .*sex", comments[0])
    assert "dragon" in comments[0]
    assert re.match(r"# .*batch\.yaml:\d+:\d+: .*place", comments[1])
    assert "Dos" in text and "Cuatro" in text and "Uno" not in text


def test_rejects_report_can_be_fixed_and_imported(places_only, tmp_path):
    rejects = tmp_path / "rejects.yaml"
    places_only.import_yaml(io.BytesIO(persons_doc(BAD)), mode="keep_going", rejects=rejects)
    fixed = rejects.read_text(encoding="utf-8").replace("dragon", "male")
    fixed = fixed.replace("atlantis", SANTA_EUGENIA)
    summary = places_only.import_yaml(io.StringIO(fixed))
    assert summary.imported == 2
    assert places_only.count_persons() == 4


def test_keep_going_without_rejects_still_counts(places_only):
    summary = places_only.import_yaml(io.BytesIO(persons_doc(BAD)), mode="keep_going")
    assert (summary.imported, summary.rejected) == (2, 2)


def test_atomic_failure_names_the_place_and_keeps_nothing(places_only, tmp_path):
    src = tmp_path / "batch.yaml"
    src.write_bytes(persons_doc(BAD))
    with pytest.raises(youth.InvalidError) as info:
        places_only.import_yaml(src)
    e = info.value
    assert not isinstance(e, youth.ParseError)
    assert isinstance(e, ValueError)
    # file:line:col of the bad value, the record number and the field
    assert re.match(re.escape(str(src)) + r":14:\d+: ", e.message), e.message
    assert "person 2" in e.message and "dragon" in e.message
    assert e.field == "sex"
    assert isinstance(e.summary, youth.Summary)
    assert e.summary.records == 2
    assert e.summary.rejected == 0
    assert places_only.count_persons() == 0


def test_error_names_the_file_object(places_only):
    with pytest.raises(youth.InvalidError) as info:
        places_only.import_yaml(io.BytesIO(persons_doc(BAD)), name="upload.yaml")
    assert info.value.message.startswith("upload.yaml:14:")
    f = io.BytesIO(persons_doc(BAD))
    f.name = "named.yaml"
    with pytest.raises(youth.InvalidError) as info:
        places_only.import_yaml(f)
    assert info.value.message.startswith("named.yaml:14:")


def test_unknown_reference_in_atomic_mode(empty):
    # persons need their place: an empty registry knows none
    with pytest.raises(youth.Error) as info:
        empty.import_yaml(io.BytesIO(persons_doc([{}])), name="p.yaml")
    assert info.value.message.startswith("p.yaml:")
    assert isinstance(info.value.summary, youth.Summary)
    assert empty.count_persons() == 0


def test_truncated_input_is_a_parse_error(exported, empty):
    data, _ = exported
    cut = data[:data.index(b"end:")]  # cut cleanly between two records
    with pytest.raises(youth.ParseError) as info:
        empty.import_yaml(io.BytesIO(cut), name="cut.yaml")
    assert info.value.message.startswith("cut.yaml:")
    assert "trailer" in info.value.message
    assert info.value.summary.records == 658
    assert empty.count_persons() == 0 and list(empty.places()) == []
    with pytest.raises(youth.ParseError):
        empty.import_yaml(io.BytesIO(data[:len(data) // 2]))
    assert empty.count_persons() == 0


def test_wrong_trailer_count_is_refused(places_only):
    doc = persons_doc([{}, {}]).replace(b"records: 2", b"records: 3")
    with pytest.raises(youth.ParseError):
        places_only.import_yaml(io.BytesIO(doc))
    assert places_only.count_persons() == 0


def test_missing_file_is_not_found(empty, tmp_path):
    with pytest.raises(youth.NotFoundError):
        empty.import_yaml(tmp_path / "missing.yaml")


# ---- progress and callbacks ------------------------------------------------------------------

@pytest.fixture
def big_doc():
    """9000 persons: the progress callback is called every 4096 records and at the end."""
    return persons_doc([dict(given="P%05d" % i) for i in range(9000)])


def test_progress_is_called_with_increasing_counts(places_only, big_doc):
    calls = []
    summary = places_only.import_yaml(io.BytesIO(big_doc),
                                      progress=lambda n, b: calls.append((n, b)))
    assert summary.imported == 9000
    assert len(calls) >= 3
    counts = [n for n, _ in calls]
    sizes = [b for _, b in calls]
    assert counts == sorted(counts) and len(set(counts)) == len(counts)
    assert sizes == sorted(sizes)
    assert calls[-1] == (9000, len(big_doc))

    calls.clear()
    data, s = export_bytes(places_only, progress=lambda n, b: calls.append((n, b)))
    counts = [n for n, _ in calls]
    assert len(calls) >= 3 and counts == sorted(counts)
    assert calls[-1] == (s.records, len(data))


def test_progress_returning_false_cancels_the_import(places_only, big_doc):
    calls = []

    def stop(n, b):
        calls.append(n)
        return False

    with pytest.raises(youth.CancelledError) as info:
        places_only.import_yaml(io.BytesIO(big_doc), progress=stop)
    assert calls == [4096]
    assert isinstance(info.value.summary, youth.Summary)
    assert places_only.count_persons() == 0


def test_progress_returning_false_cancels_an_export(census, tmp_path):
    # 658 records: the only call is the final one
    dest = tmp_path / "out.yaml"
    with pytest.raises(youth.CancelledError):
        census.export_yaml(dest, progress=lambda n, b: False)
    assert not dest.exists()
    # nor a temporary file beside it (only the registry's own files are there)
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("registry.db")] == []


def test_exception_in_progress_propagates(places_only, big_doc):
    class Boom(Exception):
        pass

    def boom(n, b):
        raise Boom("at %d" % n)

    with pytest.raises(Boom, match="at 4096"):
        places_only.import_yaml(io.BytesIO(big_doc), progress=boom)
    assert places_only.count_persons() == 0
    with pytest.raises(Boom):
        places_only.export_yaml(io.BytesIO(), progress=boom)


def test_exception_in_read_propagates(exported, empty):
    data, _ = exported

    class Flaky(io.RawIOBase):
        def __init__(self):
            self.done = 0

        def readable(self):
            return True

        def read(self, n=-1):
            if self.done > 100000:
                raise OSError("disk on fire")
            chunk = data[self.done:self.done + n]
            self.done += len(chunk)
            return chunk

    with pytest.raises(OSError, match="disk on fire"):
        empty.import_yaml(Flaky())
    assert empty.count_persons() == 0 and list(empty.places()) == []


def test_exception_in_write_propagates(census):
    class Full(io.RawIOBase):
        def writable(self):
            return True

        def write(self, b):
            raise OSError("no space left")

    with pytest.raises(OSError, match="no space left"):
        census.export_yaml(Full())


# ---- argument checks -------------------------------------------------------------------------

def test_bad_arguments_raise_value_error(census, tmp_path):
    src = io.BytesIO(b"")
    with pytest.raises(ValueError, match="mode"):
        census.import_yaml(src, mode="merge")
    with pytest.raises(ValueError, match="rejects"):
        census.import_yaml(src, rejects=tmp_path / "r.yaml")
    with pytest.raises(ValueError, match="rejects"):
        census.import_yaml(src, mode="dry_run", rejects=tmp_path / "r.yaml")
    with pytest.raises(ValueError, match="kind"):
        census.export_yaml(io.BytesIO(), kinds=["persons", "people"])
    assert not (tmp_path / "r.yaml").exists()


# ---- export filters --------------------------------------------------------------------------

def test_export_of_persons_only(census, places_only):
    data, summary = export_bytes(census, kinds=["persons"])
    assert sections(data) == [b"format", b"persons", b"end"]
    assert summary.records == 600
    assert b"places:" not in data
    # imported where the places are
    assert places_only.import_yaml(io.BytesIO(data)).imported == 600


def test_export_of_gazetteer_only(census):
    data, summary = export_bytes(census, kinds=["gazetteer"])
    assert sections(data) == [b"format", b"places", b"end"]
    assert summary.records == 58


def test_export_of_one_place(census, places_only):
    place = "sonsonate/sonsonate-centro"
    expected = census.count_persons(place=place)
    assert 0 < expected < 600
    data, summary = export_bytes(census, kinds=["persons"], place=place)
    assert summary.records == expected
    for line in re.findall(rb"^    place: (.*)$", data, re.M):
        assert line.decode().startswith(place + "/") or line.decode() == place
    places_only.import_yaml(io.BytesIO(data))
    assert places_only.count_persons() == expected


def test_export_by_census_dates(census):
    dates = sorted(p.census_date for p in census.persons())
    since, until = dates[100], dates[400]
    expected = sum(1 for d in dates if since <= d <= until)
    assert 0 < expected < 600
    data, summary = export_bytes(census, kinds=["persons"], since=since, until=until)
    assert isinstance(since, datetime.date)
    assert summary.records == expected
    # the same bounds given as text
    data2, _ = export_bytes(census, kinds=["persons"], since=since.isoformat(),
                            until=until.isoformat())
    assert data2 == data
    # open-ended
    _, s = export_bytes(census, kinds=["persons"], since=since)
    assert s.records == sum(1 for d in dates if d >= since)
    _, s = export_bytes(census, kinds=["persons"], until=datetime.date(1990, 1, 1))
    assert s.records == 0


def test_export_of_an_empty_registry(empty):
    data, summary = export_bytes(empty)
    assert summary.records == 0
    assert data == b"format: libyouth/1\nend:\n  records: 0\n"


def test_bad_source_and_sink_are_type_errors():
    with youth.Registry(":memory:", create=True) as reg:
        with pytest.raises(TypeError):
            reg.import_yaml(42)
        with pytest.raises(TypeError):
            reg.export_yaml(42)


def test_failed_import_summary_counts_nothing_kept(tmp_path):
    text = ("format: libyouth/1\npersons:\n"
            "  - given_names: Ana\n    first_surname: López\n    birth_date: 1990-04-01\n"
            "    sex: female\n    place: acajutla\n    census_date: 2009-03-02\n"
            "    census_round: census-2009\n"
            "  - given_names: Beto\n    first_surname: Ruiz\n    birth_date: 1990-02-30\n"
            "    sex: male\n    place: acajutla\n    census_date: 2009-03-02\n"
            "    census_round: census-2009\n"
            "end: {records: 2}\n")
    with youth.Registry(":memory:", create=True) as reg:
        reg.load_gazetteer(os.path.join(os.environ["YOUTH_EXAMPLE_DATA"], "gazetteer.yaml"))
        with pytest.raises(youth.InvalidError) as info:
            reg.import_yaml(io.StringIO(text), name="two.yaml")
        assert info.value.summary.records == 2
        assert info.value.summary.imported == 0
        assert "two.yaml:12:" in str(info.value)
