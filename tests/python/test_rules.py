"""Programmes, eligibility rules and their checks: youth.capi and the Registry methods."""

import dataclasses
import datetime
import re

import pytest

import youth
from youth import capi
from conftest import EXAMPLE_DATA, TOP_SRCDIR, make_person

RULES = EXAMPLE_DATA / "rules.yaml"
SONZACATE = "sonsonate/sonsonate-centro/sonzacate"
ACAJUTLA = "sonsonate/sonsonate-oeste/acajutla"
MAY_4 = datetime.date(2009, 5, 4)


@pytest.fixture
def rules(reg):
    assert reg.load_rules(RULES) == 5
    return reg


def test_capi_mirrors_rules_h():
    text = (TOP_SRCDIR / "include" / "youth" / "rules.h").read_text(encoding="utf-8")
    names = set(re.findall(r"YOUTH_EXTERN\([^)]*\)\s*(youth_\w+)\s*\(", text))
    not_mirrored = {"youth_programme_init", "youth_programme_free"}
    assert len(names) == 13
    assert sorted(n for n in names - not_mirrored if not callable(getattr(capi, n, None))) == []
    assert sorted(n for n in not_mirrored if hasattr(capi, n)) == []
    assert capi.YOUTH_PROGRAMME_VOCATIONAL == "vocational"
    assert youth.PROGRAMMES == ("counselling", "vocational", "scholarship", "seed_capital",
                                "female_window")


def test_capi_programme_dicts(reg):
    r = reg._reg
    ids = capi.youth_programme_put(r, {"code": "p1", "title": "Uno", "age_min": 18,
                                       "age_max": 20, "places": "Sonzacate, Acajutla",
                                       "census_rounds": None, "consent_required": True,
                                       "women_only": 0})
    assert set(ids) == {"id", "uuid"}
    got = capi.youth_programme_get(r, "p1")
    assert got == {"id": ids["id"], "uuid": ids["uuid"], "code": "p1", "title": "Uno",
                   "age_min": 18, "age_max": 20, "places": SONZACATE + ", " + ACAJUTLA,
                   "census_rounds": None, "consent_required": True, "women_only": False}
    with pytest.raises(youth.InvalidError) as info:
        capi.youth_programme_put(r, {"code": "p2", "title": "X", "colour": "red"})
    assert info.value.field == "colour"
    with pytest.raises(TypeError):
        capi.youth_programme_put(r, {"code": "p2", "title": "X", "age_min": "18"})
    with pytest.raises(youth.NotFoundError):
        capi.youth_programme_get(r, "nope")
    assert capi.youth_rules_load(r, str(RULES)) == 5
    with pytest.raises(youth.NotFoundError):
        capi.youth_eligibility_check(r, "vocational", 999, "2009-05-04")


def test_load_rules_and_get_programme(rules):
    v = rules.get_programme("vocational")
    assert isinstance(v, youth.Programme)
    assert v.id > 0 and len(v.uuid) == 36
    assert v.title == "Vocational training courses"
    assert (v.age_min, v.age_max) == (16, 24)
    assert v.places == ["sonsonate/sonsonate-centro/sonsonate", SONZACATE, ACAJUTLA]
    assert v.census_rounds == ["census-2009"]
    assert v.consent_required is True and v.women_only is False
    assert rules.get_programme("female_window").women_only is True
    # loading again is harmless and replaces in place
    assert rules.load_rules(str(RULES)) == 5
    assert rules.get_programme("vocational") == v


def test_programmes_in_code_order(rules):
    got = list(rules.programmes())
    assert [p.code for p in got] == ["counselling", "female_window", "scholarship",
                                     "seed_capital", "vocational"]
    assert all(isinstance(p, youth.Programme) for p in got)
    assert got == [rules.get_programme(p.code) for p in got]
    gen = rules.programmes()
    assert next(gen).code == "counselling"
    gen.close()


def test_programmes_of_an_empty_registry(reg):
    assert list(reg.programmes()) == []


def test_capi_programme_iterator(rules):
    it = capi.youth_programme_iter_new(rules._reg)
    try:
        first = capi.youth_programme_next(it)
        assert first == capi.youth_programme_get(rules._reg, "counselling")
        codes = [first["code"]]
        while (d := capi.youth_programme_next(it)) is not None:
            codes.append(d["code"])
        assert len(codes) == 5
        assert capi.youth_programme_next(it) is None             # latched
    finally:
        capi.youth_programme_iter_free(it)


def test_load_rules_data_is_all_or_nothing(rules):
    doc = ("format: libyouth/1\nprogrammes:\n"
           "  - code: vocational\n    title: Changed\n    age_max: 30\n"
           "  - code: extra\n    title: Extra\n    places: [sonsonate/atlantis]\n")
    with pytest.raises(youth.NotFoundError) as info:
        rules.load_rules_data(doc, name="batch.yaml")
    assert "batch.yaml" in str(info.value) and info.value.field == "places"
    assert rules.get_programme("vocational").title == "Vocational training courses"
    with pytest.raises(youth.NotFoundError):
        rules.get_programme("extra")
    with pytest.raises(youth.InvalidError) as info:
        rules.load_rules_data(b"format: libyouth/1\nprogrammes:\n  - code: x\n    colour: red\n")
    assert "colour" in str(info.value)
    ok = "format: libyouth/1\nprogrammes:\n  - code: extra\n    title: Extra\n"
    assert rules.load_rules_data(ok.encode()) == 1
    assert rules.get_programme("extra").places == []


def test_put_programme_round_trip_and_replace(reg):
    p = reg.put_programme(youth.Programme(code="pilot", title="Pilot", age_min=18,
                                          places=["Sonzacate", "Acajutla"],
                                          census_rounds=["census-2009", "census-2010"],
                                          consent_required=True))
    assert p.id > 0 and p.age_min == 18 and p.age_max is None
    assert p.places == [SONZACATE, ACAJUTLA]               # full paths, path order
    assert p.census_rounds == ["census-2009", "census-2010"]
    assert reg.get_programme("pilot") == p
    # put replaces every rule: what is left out is removed; the uuid is kept
    q = reg.put_programme(youth.Programme(code="pilot", title="Pilot 2", women_only=True))
    assert q.id == p.id and q.uuid == p.uuid
    assert q.places == [] and q.age_min is None and q.consent_required is False
    assert q.women_only is True and q.title == "Pilot 2"
    # and a stored record goes back in unchanged
    assert reg.put_programme(dataclasses.replace(q)) == q


def test_put_programme_errors(reg):
    reg.put_programme(youth.Programme(code="pilot", title="Pilot", age_max=24))
    with pytest.raises(youth.NotFoundError) as info:
        reg.put_programme(youth.Programme(code="pilot", title="Pilot", places=["atlantis"]))
    assert info.value.field == "places"
    assert reg.get_programme("pilot").age_max == 24        # untouched
    with pytest.raises(youth.InvalidError) as info:
        reg.put_programme(youth.Programme(code="pilot", title="Pilot", age_min=30, age_max=20))
    assert info.value.field in ("age_min", "age_max")
    with pytest.raises(youth.InvalidError) as info:
        reg.put_programme(youth.Programme(code="bad code", title="X"))
    assert info.value.field == "code"
    with pytest.raises(TypeError):
        reg.put_programme({"code": "x"})
    with pytest.raises(TypeError):
        reg.put_programme(youth.Programme(code="x", title="X", age_min="18"))
    with pytest.raises(youth.NotFoundError):
        reg.get_programme("nope")


def test_check_eligibility_passes(rules, people):
    maria = people["maria"]
    assert rules.check_eligibility("vocational", maria.id, MAY_4) is None
    assert rules.check_eligibility("vocational", maria, "2009-05-04") is None
    assert rules.check_eligibility(rules.get_programme("female_window"), maria, MAY_4) is None
    # a programme without rules admits everyone
    assert rules.check_eligibility("no-such-programme", people["jose"], MAY_4) is None


@pytest.mark.parametrize("who,programme,date,rule,words", [
    ("maria", "vocational", datetime.date(2008, 5, 4), "age_min", "below the minimum 16"),
    ("ana", "female_window", datetime.date(2009, 5, 4), "census_rounds", "census-2010"),
    ("jose", "vocational", datetime.date(2009, 5, 4), "consent_required", "consent not given"),
    ("luis", "female_window", datetime.date(2009, 5, 4), "women_only", "for women only"),
])
def test_check_eligibility_names_the_rule(rules, people, who, programme, date, rule, words):
    with pytest.raises(youth.RuleError) as info:
        rules.check_eligibility(programme, people[who], date)
    e = info.value
    assert isinstance(e, ValueError)
    assert e.field == rule
    assert e.code == capi.YOUTH_ERULE and e.name == "ERULE"
    assert str(e).startswith(programme + ": ")
    assert words in str(e)
    assert "(person %d)" % people[who].id in str(e) or "person %d" % people[who].id in str(e)


def test_check_eligibility_age_max_and_places(rules, reg):
    old = reg.add_person(make_person(birth_date=datetime.date(1984, 1, 1)))
    with pytest.raises(youth.RuleError) as info:
        reg.check_eligibility("vocational", old, MAY_4)
    assert info.value.field == "age_max"
    assert "age 25 on 2009-05-04 is above the maximum 24" in str(info.value)
    far = reg.add_person(make_person(place="sonsonate/sonsonate-este/izalco"))
    with pytest.raises(youth.RuleError) as info:
        reg.check_eligibility("vocational", far.id, MAY_4)
    assert info.value.field == "places"
    assert "sonsonate/sonsonate-este/izalco" in str(info.value)


def test_check_eligibility_other_errors(rules, people):
    with pytest.raises(youth.NotFoundError) as info:
        rules.check_eligibility("vocational", 999, MAY_4)
    assert info.value.field == "person_id"
    with pytest.raises(youth.InvalidError) as info:
        rules.check_eligibility("vocational", people["maria"], "2009-02-30")
    assert info.value.field == "date"
    with pytest.raises(TypeError):
        rules.check_eligibility("vocational", "maria", MAY_4)
