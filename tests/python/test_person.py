"""Census records through youth.Registry: add, get, update, delete, count, iterate, search."""

import dataclasses
import datetime
import gc

import pytest

import youth
from conftest import SANTA_EUGENIA, bad_dui, dui, make_person


def test_dui_helper_matches_the_c_rule():
    youth.check_dui(dui("01234567"))
    youth.check_dui(dui("00000000"))
    with pytest.raises(youth.InvalidError):
        youth.check_dui(bad_dui("01234567"))


def test_add_returns_the_stored_record(reg):
    given = make_person(national_id=None, phone="22223333", address="Calle 1, casa 5",
                        household_size=5, job_profiles=["cook", "baker"], studying=True)
    stored = reg.add_person(given)
    assert isinstance(stored, youth.Person)
    assert isinstance(stored.id, int) and stored.id > 0
    assert isinstance(stored.uuid, str) and len(stored.uuid) == youth.capi.YOUTH_UUID_LEN
    # the caller's object is not modified
    assert given.id is None and given.uuid is None
    assert stored.given_names == "María José"
    assert stored.first_surname == "Hernández"
    assert stored.second_surname == "Pérez"
    assert stored.birth_date == datetime.date(1992, 5, 14)
    assert stored.census_date == datetime.date(2009, 3, 2)
    assert stored.consent is True
    assert stored.consent_date == datetime.date(2009, 3, 2)
    assert stored.sex == "female"
    assert stored.education == "lower_secondary"
    assert stored.employment == "unemployed"
    assert stored.studying is True
    assert stored.disability is False
    assert stored.household_size == 5
    assert stored.job_profiles == ["cook", "baker"]
    assert stored.address == "Calle 1, casa 5"
    assert stored.national_id is None
    # the library normalises: the place to its canonical path, the phone to NNNN-NNNN
    assert stored.place == SANTA_EUGENIA
    assert stored.phone == "2222-3333"
    assert stored.full_name == "María José Hernández Pérez"


def test_given_uuid_is_kept(reg):
    uuid = "0b6f4a2e-4e0c-4a55-9c1c-3e2f1a7b9d10"
    stored = reg.add_person(make_person(uuid=uuid))
    assert stored.uuid == uuid
    assert reg.get_person(uuid).id == stored.id
    with pytest.raises(youth.ExistsError):
        reg.add_person(make_person(uuid=uuid, given_names="Otra"))


def test_dates_as_text_are_accepted(reg):
    stored = reg.add_person(make_person(birth_date="1992-05-14", census_date="2009-03-02",
                                        consent_date="2009-03-02"))
    assert stored.birth_date == datetime.date(1992, 5, 14)


def test_get_by_id_and_by_uuid(reg, people):
    maria = people["maria"]
    assert reg.get_person(maria.id) == maria
    assert reg.get_person(maria.uuid) == maria
    assert reg.get_person(maria) == maria


def test_unknown_id_is_not_found(reg):
    with pytest.raises(youth.NotFoundError) as info:
        reg.get_person(987654)
    assert isinstance(info.value, LookupError)
    with pytest.raises(LookupError):
        reg.get_person("7c2d0d4e-0000-4000-8000-000000000000")


def test_invalid_calendar_date(reg):
    with pytest.raises(youth.InvalidError) as info:
        reg.add_person(make_person(birth_date="2009-02-30"))
    err = info.value
    assert isinstance(err, ValueError)
    assert err.field == "birth_date"
    assert "birth_date" in str(err)
    assert "birth_date" in err.message
    assert err.code == youth.capi.YOUTH_EINVAL
    assert err.name == "EINVAL"
    assert reg.count_persons() == 0


@pytest.mark.parametrize("field, value", [
    ("given_names", None),
    ("first_surname", ""),
    ("sex", None),
    ("sex", "other"),
    ("census_round", None),
    ("census_date", None),
    ("census_date", "2009-13-01"),
    ("phone", "12"),
    ("education", "doctorate"),
])
def test_rule_violations_name_the_field(reg, field, value):
    with pytest.raises(youth.InvalidError) as info:
        reg.add_person(make_person(**{field: value}))
    assert info.value.field == field
    assert field in str(info.value)
    assert reg.count_persons() == 0


def test_consent_needs_a_date(reg):
    with pytest.raises(youth.InvalidError) as info:
        reg.add_person(make_person(consent=True, consent_date=None))
    assert info.value.field == "consent_date"


def test_census_before_birth_is_refused(reg):
    with pytest.raises(youth.InvalidError) as info:
        reg.add_person(make_person(census_date=datetime.date(1990, 1, 1),
                                   consent_date=datetime.date(1990, 1, 1)))
    assert info.value.field in ("census_date", "birth_date")


def test_age_outside_the_programme_needs_allow_age(reg):
    old = make_person(birth_date=datetime.date(1960, 1, 1))
    with pytest.raises(youth.InvalidError) as info:
        reg.add_person(old)
    assert info.value.field in ("birth_date", "census_date")
    stored = reg.add_person(old, allow_age=True)
    assert stored.birth_date == datetime.date(1960, 1, 1)


def test_bad_dui_check_digit(reg):
    with pytest.raises(youth.InvalidError) as info:
        reg.add_person(make_person(birth_date=datetime.date(1988, 1, 1),
                                   national_id=bad_dui("04567890")))
    assert info.value.field == "national_id"


def test_duplicate_national_id(reg):
    adult = dict(birth_date=datetime.date(1988, 1, 1), national_id=dui("04567890"))
    reg.add_person(make_person(**adult))
    with pytest.raises(youth.ExistsError) as info:
        reg.add_person(make_person(given_names="Otra", **adult))
    assert isinstance(info.value, ValueError)
    assert info.value.code == youth.capi.YOUTH_EEXISTS
    assert reg.count_persons() == 1


def test_unknown_place(reg):
    with pytest.raises(youth.NotFoundError) as info:
        reg.add_person(make_person(place="Atlantis"))
    assert info.value.field == "place"


def test_wrong_python_type_is_a_type_error(reg):
    with pytest.raises(TypeError):
        reg.add_person(make_person(birth_date=3.5))
    with pytest.raises(TypeError):
        reg.add_person(make_person(job_profiles=["cook", 7]))
    with pytest.raises(TypeError):
        reg.add_person({"given_names": "not a Person"})


def test_update(reg, people):
    maria = people["maria"]
    changed = dataclasses.replace(maria, address="Colonia Nueva 3", employment="employed_formal",
                                  job_profiles=["mechanic"])
    stored = reg.update_person(changed)
    assert stored.address == "Colonia Nueva 3"
    assert stored.employment == "employed_formal"
    assert stored.job_profiles == ["mechanic"]
    assert stored.uuid == maria.uuid
    assert stored.id == maria.id
    assert reg.get_person(maria.id) == stored
    assert reg.count_persons() == len(people)


def test_update_validates(reg, people):
    maria = people["maria"]
    with pytest.raises(youth.InvalidError) as info:
        reg.update_person(dataclasses.replace(maria, birth_date="2009-02-30"))
    assert info.value.field == "birth_date"
    assert reg.get_person(maria.id) == maria


def test_update_unknown_id(reg, people):
    ghost = dataclasses.replace(people["maria"], id=99999, uuid=None)
    with pytest.raises(youth.NotFoundError):
        reg.update_person(ghost)


def test_delete(reg, people):
    jose = people["jose"]
    reg.delete_person(jose.id)
    with pytest.raises(youth.NotFoundError):
        reg.get_person(jose.id)
    with pytest.raises(youth.NotFoundError):
        reg.delete_person(jose.id)
    assert reg.count_persons() == len(people) - 1
    reg.delete_person(people["ana"].uuid)
    reg.delete_person(people["luis"])
    assert [p.id for p in reg.persons()] == [people["maria"].id]


def test_iteration_in_id_order(reg, people):
    got = list(reg.persons())
    assert [p.id for p in got] == sorted(p.id for p in people.values())
    assert all(isinstance(p, youth.Person) for p in got)
    assert got == sorted(people.values(), key=lambda p: p.id)
    assert list(reg) == got


def names(persons):
    return sorted(p.given_names for p in persons)


def test_filter_by_place(reg, people):
    assert names(reg.persons(place="Sonzacate")) == ["José Antonio", "María José"]
    assert names(reg.persons(place="Santa Eugenia")) == ["María José"]
    assert names(reg.persons(place="sonsonate/sonsonate-oeste")) == ["Ana"]
    assert names(reg.persons(place="Sonsonate Centro")) == ["José Antonio", "Luis", "María José"]
    assert names(reg.persons(place="sonsonate/sonsonate-centro/sonsonate")) == ["Luis"]
    assert reg.count_persons(place="Izalco") == 0
    with pytest.raises(youth.NotFoundError):
        reg.count_persons(place="Atlantis")


def test_filter_by_sex(reg, people):
    assert names(reg.persons(sex="female")) == ["Ana", "María José"]
    assert names(reg.persons(sex="male")) == ["José Antonio", "Luis"]
    assert reg.count_persons(sex="male") == 2
    with pytest.raises(youth.InvalidError):
        reg.count_persons(sex="unknown-sex")


def test_filter_by_age(reg, people):
    at = datetime.date(2009, 3, 2)
    # ages then: María 16, Luis 16, José 19, Ana 20
    assert names(reg.persons(age_min=18, age_at=at)) == ["Ana", "José Antonio"]
    assert names(reg.persons(age_max=17, age_at=at)) == ["Luis", "María José"]
    assert names(reg.persons(age_min=19, age_max=19, age_at=at)) == ["José Antonio"]
    assert reg.count_persons(age_min=16, age_max=24, age_at="2009-03-02") == 4
    assert reg.count_persons(age_min=30, age_at=at) == 0
    with pytest.raises(youth.InvalidError):
        reg.count_persons(age_min=20, age_max=18, age_at=at)
    with pytest.raises(youth.InvalidError):
        reg.count_persons(age_min=18, age_at="2009-02-30")


def test_filter_by_census_round(reg, people):
    assert names(reg.persons(census_round="census-2010")) == ["Ana"]
    assert reg.count_persons(census_round="census-2009") == 3
    assert reg.count_persons(census_round="census-1999") == 0


def test_filters_combine(reg, people):
    assert names(reg.persons(place="Sonsonate Centro", sex="male")) == ["José Antonio", "Luis"]
    assert names(reg.persons(sex="female", census_round="census-2009")) == ["María José"]
    assert reg.count_persons(sex="female", name="hernandez") == 1


def test_search_ignores_accents_and_case(reg, people):
    found = reg.search_persons("jose hernandez")
    assert isinstance(found, list)
    assert names(found) == ["José Antonio", "María José"]
    assert names(reg.search_persons("JOSÉ ANTONIO")) == ["José Antonio"]
    assert names(reg.search_persons("martinez")) == ["Ana"]
    assert names(reg.search_persons("Hernández")) == ["José Antonio", "Luis", "María José"]
    assert reg.search_persons("nobody") == []
    assert names(reg.persons(name="perez")) == ["Luis", "María José"]


def test_generator_can_stop_early(reg, people):
    gen = reg.persons()
    first = next(gen)
    assert first.id == min(p.id for p in people.values())
    gen.close()
    unstarted = reg.persons(sex="male")
    del unstarted
    gc.collect()
    assert reg.count_persons() == len(people)


def test_iterator_and_registry_freed_in_any_order(tmp_path, gazetteer_path):
    reg = youth.Registry(tmp_path / "order.db", create=True)
    reg.load_gazetteer(gazetteer_path)
    reg.add_person(make_person())
    reg.add_person(make_person(given_names="Rosa"))
    gen = reg.persons()
    assert next(gen).given_names == "María José"
    places = reg.places()
    reg.close()
    # the registry is closed: the iterator refuses to go on, and freeing it is safe
    with pytest.raises(youth.MisuseError):
        next(gen)
    del gen, places
    gc.collect()


def test_age_at():
    p = make_person()
    assert p.age_at(datetime.date(2009, 3, 2)) == 16
    assert youth.age_at("2000-02-29", "2001-02-28") == 0
    assert youth.age_at("2000-02-29", "2001-03-01") == 1
    with pytest.raises(youth.InvalidError):
        youth.age_at("2001-02-29", "2002-01-01")


def test_load_census_data(reg):
    doc = """format: libyouth/1
persons:
  - given_names: Carmen
    first_surname: Ramírez
    birth_date: 1991-07-07
    sex: female
    place: sonsonate/sonsonate-centro/sonzacate/santa-eugenia
    census_date: 2009-03-02
    census_round: census-2009
  - given_names: Pedro
    first_surname: Gómez
    birth_date: 1990-10-10
    sex: male
    place: Atonal
    census_date: 2009-03-02
    census_round: census-2009
"""
    assert reg.load_census_data(doc, name="batch.yaml") == 2
    assert names(reg.persons()) == ["Carmen", "Pedro"]
    assert reg.load_census_data(b"format: libyouth/1\npersons: []\n") == 0


def test_load_census_is_all_or_nothing(reg, tmp_path):
    path = tmp_path / "census.yaml"
    path.write_text("""format: libyouth/1
persons:
  - given_names: Carmen
    first_surname: Ramírez
    birth_date: 1991-07-07
    sex: female
    place: Santa Eugenia
    census_date: 2009-03-02
    census_round: census-2009
  - given_names: Pedro
    first_surname: Gómez
    birth_date: 1990-02-30
    sex: male
    place: Atonal
    census_date: 2009-03-02
    census_round: census-2009
""", encoding="utf-8")
    with pytest.raises(youth.InvalidError) as info:
        reg.load_census(path)
    assert "birth_date" in str(info.value)
    assert "census.yaml" in str(info.value)
    assert reg.count_persons() == 0


def test_load_census_malformed_yaml(reg):
    with pytest.raises(youth.ParseError) as info:
        reg.load_census_data("format: libyouth/1\npersons: [ {given_names: x\n", name="bad")
    assert isinstance(info.value, youth.InvalidError)
    assert isinstance(info.value, ValueError)
    assert info.value.code == youth.capi.YOUTH_EPARSE
