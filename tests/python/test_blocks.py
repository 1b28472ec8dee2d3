"""Records read in blocks (issue 15): the iterators build the same records as the per-record
route (a get), block after block, stop when the registry closes, and become pandas
DataFrames."""

import datetime
import os
import pathlib
import sys

import pytest

import youth
from youth import capi
from conftest import make_person

SAMPLE = pathlib.Path(os.environ.get("YOUTH_TOP_BUILDDIR", ".")) / "examples" / "sample.registry"

# Every iterator with a block reader, and the getter that reads one record of its kind through
# the per-record route (a dict from the SWIG layer, then the class's compiled reader).
ITERATORS = [
    ("persons", "get_person", youth.Person),
    ("exchanges", "get_exchange", youth.Exchange),
    ("operators", "get_operator", youth.Operator),
    ("employers", "get_employer", youth.Employer),
    ("courses", "get_course", youth.Course),
    ("cohorts", "get_cohort", youth.Cohort),
    ("enrollments", "get_enrollment", youth.Enrollment),
    ("counselling_sessions", "get_counselling_session", youth.CounsellingSession),
    ("participants", "get_participant", youth.Participant),
    ("scholarships", "get_scholarship", youth.Scholarship),
    ("scholarship_payments", "get_scholarship_payment", youth.ScholarshipPayment),
    ("followups", "get_followup", youth.Followup),
    ("groups", "get_group", youth.Group),
    ("group_members", "get_group_member", youth.GroupMember),
    ("plans", "get_plan", youth.Plan),
    ("disbursements", "get_disbursement", youth.Disbursement),
    ("visits", "get_visit", youth.Visit),
    ("business_services", "get_business_service", youth.BusinessService),
]


@pytest.fixture(scope="module")
def sample():
    if not SAMPLE.is_file():
        pytest.fail("the sample registry %s is missing (make sample)" % SAMPLE)
    with youth.Registry(SAMPLE, readonly=True) as reg:
        yield reg


@pytest.mark.parametrize("method,getter,cls", ITERATORS, ids=[i[0] for i in ITERATORS])
def test_block_records_equal_the_per_record_route(sample, method, getter, cls):
    records = list(getattr(sample, method)())
    assert records, "the sample registry has no %s" % method
    for r in records:
        assert type(r) is cls
        assert r == getattr(sample, getter)(r.id)
        assert repr(r) == repr(getattr(sample, getter)(r.id))
    ids = [r.id for r in records]
    assert len(set(ids)) == len(ids)


def test_installments_equal_the_per_record_route(sample):
    for s in sample.scholarships():
        it = capi.youth_scholarship_installment_iter_new(sample._handle(), s.id)
        one_by_one = []
        try:
            while True:
                d = capi.youth_scholarship_installment_next(it)
                if d is None:
                    break
                one_by_one.append(youth.Installment._youth_from(d))
        finally:
            capi.youth_scholarship_installment_iter_free(it)
        assert list(sample.installments(s)) == one_by_one


def test_values_have_the_types_of_the_attributes(sample):
    p = next(iter(sample.persons()))
    assert isinstance(p.id, int) and isinstance(p.birth_date, datetime.date)
    assert isinstance(p.consent, bool) and isinstance(p.job_profiles, list)
    s = next(iter(sample.scholarships()))
    assert s.monthly_stipend is None or str(s.monthly_stipend).count(".") == 1


def test_texts_off_the_fast_path_read_as_the_reader_reads_them(reg):
    """Non-ASCII list items go to the package's own list reader (str.strip() knows blanks
    beyond ASCII); the result equals the per-record route's."""
    p = reg.add_person(make_person(job_profiles=["costurera", "técnica en computación"],
                                   national_id=None, household_size=None, phone=None))
    (q,) = list(reg.persons())
    assert q == reg.get_person(p.id) == p
    assert q.job_profiles == ["costurera", "técnica en computación"]
    assert q.household_size is None and q.phone is None


@pytest.mark.parametrize("n", [0, 1, 6, 7, 8, 14, 20])
def test_blocks_end_to_end_at_any_size(reg, monkeypatch, n):
    monkeypatch.setattr(youth.Registry, "_BLOCK", 7)
    with reg.transaction():
        added = [reg.add_person(make_person(given_names="P%d" % i, national_id=None))
                 for i in range(n)]
    assert list(reg.persons()) == added
    it = reg.persons()
    assert [next(it) for _ in range(n)] == added
    with pytest.raises(StopIteration):
        next(it)


def test_closing_the_registry_stops_the_loop_at_the_next_record(tmp_path, gazetteer_path):
    reg = youth.Registry(tmp_path / "c.db", create=True)
    reg.load_gazetteer(gazetteer_path)
    for i in range(5):
        reg.add_person(make_person(given_names="P%d" % i, national_id=None))
    seen = []
    with pytest.raises(youth.MisuseError):
        for p in reg.persons():          # the 5 persons are one block, read already
            seen.append(p.given_names)
            reg.close()
    assert seen == ["P0"]


def test_records_repr_and_close(reg):
    reg.add_person(make_person())
    it = reg.persons()
    assert isinstance(it, youth.Records)
    assert repr(it) == "<youth.Records of Person>"
    it.close()
    with pytest.raises(StopIteration):
        next(it)


def test_followups_of_one_person_with_a_filter_read_in_blocks(sample):
    every = list(sample.followups(from_="2000-01-01"))
    pid = every[0].person_id
    assert list(sample.followups(pid, from_="2000-01-01")) == [
        f for f in every if f.person_id == pid]


def test_iterator_to_pandas(sample):
    pd = pytest.importorskip("pandas")
    persons = list(sample.persons())
    df = sample.persons().to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == [c["name"] for c in youth.kinds()["person"]["fields"]]
    assert len(df) == len(persons)
    assert df["id"].tolist() == [p.id for p in persons]
    assert df.iloc[0]["birth_date"] == persons[0].birth_date
    # the records not yet read
    it = sample.enrollments()
    first = next(it)
    rest = it.to_pandas()
    assert len(rest) == len(list(sample.enrollments())) - 1
    assert first.id not in rest["id"].tolist()
    # a kind read one record at a time
    places = sample.places(level="department").to_pandas()
    assert places["level"].unique().tolist() == ["department"]


def test_to_pandas_without_pandas_says_so(sample, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ImportError, match=r"to_pandas\(\) needs pandas") as info:
        sample.persons().to_pandas()
    assert info.value.name == "pandas"
    with pytest.raises(ImportError, match="needs pandas"):
        sample.report(indicators=["census"], by=["sex"], at="2009-04-30").to_pandas()
