"""Duplicates from Python: Registry.find_duplicates / duplicates / confirm / dismiss /
similar_persons / merge / unmerge (docs/duplicates.md)."""
import pytest

import youth
from conftest import make_person


@pytest.fixture
def twice(reg):
    """The same youth registered twice (the second without accents nor second surname), and
    her sister (same surnames and birth date, another given name)."""
    first = reg.add_person(make_person())
    second = reg.add_person(make_person(given_names="Maria Jose", first_surname="Hernandez",
                                        second_surname=None, place="El Sauce"))
    sister = reg.add_person(make_person(given_names="Ana Lucía"))
    return first.id, second.id, sister.id


def test_find_review_and_merge(reg, twice):
    first, second, sister = twice
    counts = reg.find_duplicates()
    assert counts["persons"] == 3 and counts["found"] == 1 and counts["added"] == 1
    pairs = reg.duplicates(state="open")
    assert len(pairs) == 1
    pair = pairs[0]
    assert (pair["person_id"], pair["other_id"]) == (first, second)
    assert "same_name" not in pair["reasons"] and "missing_second_surname" in pair["reasons"]
    assert pair["score"] >= youth.DUPLICATE_THRESHOLD and pair["state"] == "open"
    assert reg.duplicates(person=sister) == []
    reg.set_actor("desk@sonzacate")
    reg.confirm_duplicate(pair["id"], note="same school, same mother")
    got = reg.duplicate(pair["id"])
    assert got["state"] == "confirmed" and got["decided_by"] == "desk@sonzacate"
    merge = reg.merge(first, second, take=["place"])
    assert isinstance(merge, int) and merge > 0
    kept = reg.get_person(first)
    assert kept.place.endswith("el-sauce")
    assert reg.duplicate(pair["id"])["state"] == "merged"
    with pytest.raises(youth.NotFoundError):
        reg.get_person(second)
    reg.unmerge(merge)
    assert reg.get_person(second).given_names == "Maria Jose"
    assert reg.get_person(first).place.endswith("santa-eugenia")
    with pytest.raises(youth.Error):
        reg.unmerge(merge)


def test_dismissed_and_errors(reg, twice):
    first, second, _ = twice
    reg.find_duplicates()
    pair = reg.duplicates()[0]
    reg.dismiss_duplicate(pair["id"], note="cousins")
    again = reg.find_duplicates()
    assert again["added"] == 0 and again["reopened"] == 0
    assert reg.duplicates(state="dismissed")[0]["note"] == "cousins"
    with pytest.raises(ValueError):
        reg.duplicates(state="maybe")
    with pytest.raises(youth.NotFoundError):
        reg.duplicate(999)
    with pytest.raises(youth.InvalidError):
        reg.merge(first, first)
    with pytest.raises(youth.InvalidError):
        reg.merge(first, second, take=["height"])


def test_similar_before_adding(reg, twice):
    first, _, _ = twice
    candidate = make_person(given_names="María José", second_surname=None, place="Metalío")
    found = {pid: (score, reasons) for pid, score, _, reasons in reg.similar_persons(candidate)}
    assert first in found and found[first][0] >= youth.DUPLICATE_THRESHOLD
    assert "missing_second_surname" in found[first][1]
    stranger = make_person(given_names="Wilfredo", first_surname="Zelaya", second_surname=None)
    assert reg.similar_persons(stranger) == []
    with pytest.raises(TypeError):
        reg.similar_persons({"given_names": "x"})


def test_dry_run_and_scope(reg, twice):
    counts = reg.find_duplicates(dry_run=True)
    assert counts["found"] == 1 and counts["added"] == 0
    assert reg.duplicates() == []
    assert reg.find_duplicates(census_round="census-2010")["found"] == 0
    _, second, _ = twice
    assert reg.find_duplicates(from_person=second + 1)["found"] == 0
