"""Ranked name search through the name index: Registry.find_persons / search and
reindex_names (docs/duplicates.md)."""
import pytest

import youth
from conftest import make_person


@pytest.fixture
def named(reg):
    ids = {}
    for key, given, s1, s2 in [("jose", "José Antonio", "Hernández", "Pérez"),
                               ("josefa", "Josefa", "Hernández", None),
                               ("josue", "Josué", "Hernández", "Pérez"),
                               ("ana", "Ana", "Vásquez", "De la Cruz")]:
        ids[key] = reg.add_person(make_person(given_names=given, first_surname=s1,
                                              second_surname=s2, national_id=None)).id
    return ids


def test_ranks_in_order(reg, named):
    found = reg.find_persons("jose hernandez")
    assert [(m["id"], m["rank"]) for m in found] == [
        (named["jose"], "exact"), (named["josefa"], "prefix"), (named["josue"], "near")]
    assert found[0]["reasons"] == ["exact"] and found[0]["score"] == 100
    assert found[0]["name"] == "José Antonio Hernández Pérez"
    assert len(found[0]["uuid"]) == 36
    assert "one_typo" in found[2]["reasons"]


def test_tolerance(reg, named):
    swapped = reg.search("PÉREZ Hernández josé")
    assert swapped[0]["id"] == named["jose"]
    assert swapped[0]["reasons"] == ["exact", "swapped_surnames"]
    assert reg.search("ana de la cruz")[0]["id"] == named["ana"]
    near = reg.search("ana vasques")
    assert near[0]["rank"] == "near" and near[0]["reasons"] == ["sounds_alike"]
    nick = reg.search("chepe hernandez")
    assert nick[0]["id"] == named["jose"] and "nickname" in nick[0]["reasons"]
    assert reg.search("hernandez", limit=2) == reg.find_persons("hernandez")[:2]
    assert reg.search("zzyzx") == []


def test_errors(reg, named):
    with pytest.raises(youth.InvalidError):
        reg.find_persons(" de la ")
    with pytest.raises(youth.InvalidError):
        reg.find_persons("jose", limit=1001)


def test_kept_by_writes_and_rebuilt(reg, named):
    p = reg.get_person(named["ana"])
    p.first_surname = "Vásquez Rivas"
    reg.update_person(p)
    assert reg.search("ana rivas")[0]["id"] == named["ana"]
    reg.delete_person(named["josefa"])
    assert [m["id"] for m in reg.search("josefa")] == []
    assert reg.reindex_names() == 3
    assert reg.search("ana rivas")[0]["id"] == named["ana"]
