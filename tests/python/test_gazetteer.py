"""The gazetteer through youth.Registry: load, look up, iterate, add."""

import pytest

import youth
from conftest import SANTA_EUGENIA


def count_names(path):
    """Places in a gazetteer file of the example's shape: one `name:` per place."""
    return sum(line.count("name:") for line in path.read_text(encoding="utf-8").splitlines()
               if not line.lstrip().startswith("#"))


def test_load_is_idempotent(tmp_path, gazetteer_path):
    with youth.Registry(tmp_path / "g.db", create=True) as reg:
        added = reg.load_gazetteer(gazetteer_path)
        assert added == count_names(gazetteer_path)
        assert len(list(reg.places())) == added
        assert reg.load_gazetteer(str(gazetteer_path)) == 0
        assert len(list(reg.places())) == added


def test_place_lookup(reg):
    p = reg.place("Santa Eugenia")
    assert isinstance(p, youth.Place)
    assert p.path == SANTA_EUGENIA
    assert p.name == "Santa Eugenia"
    assert p.level == "community"
    assert p.critical is True
    assert isinstance(p.id, int) and p.id > 0
    assert len(p.uuid) == youth.capi.YOUTH_UUID_LEN
    assert p.parent_path == "sonsonate/sonsonate-centro/sonzacate"
    # the same place by full path, by names, by a trailing part, accents and case ignored
    assert reg.place(SANTA_EUGENIA) == p
    assert reg.place("Sonsonate/Sonsonate Centro/Sonzacate/Santa Eugenia") == p
    assert reg.place("sonzacate/santa-eugenia") == p
    assert reg.place("SANTA EUGENIA") == p


def test_accents_are_ignored(reg):
    p = reg.place("Metalio")
    assert p.name == "Metalío"
    assert p.level == "community"
    assert reg.place("juayua").name == "Juayúa"


def test_levels_and_critical(reg):
    assert reg.place("Sonsonate Centro").level == "municipality"
    sonzacate = reg.place("Sonzacate")
    assert sonzacate.level == "district"
    assert sonzacate.critical is False
    assert reg.place(sonzacate.parent_path).name == "Sonsonate Centro"


def test_unknown_place(reg):
    with pytest.raises(youth.NotFoundError) as info:
        reg.place("Atlantis")
    assert isinstance(info.value, LookupError)


def test_ambiguous_place(reg):
    # "San Julián" is a district of Sonsonate Este and a community of Acajutla
    with pytest.raises(youth.InvalidError) as info:
        reg.place("San Julián")
    assert isinstance(info.value, ValueError)
    assert reg.place("acajutla/san-julian").level == "community"


def test_places_by_level(reg):
    deps = list(reg.places(level="department"))
    assert [d.name for d in deps] == ["Sonsonate"]
    munis = [m.name for m in reg.places(level="municipality")]
    assert sorted(munis) == ["Sonsonate Centro", "Sonsonate Este", "Sonsonate Norte",
                             "Sonsonate Oeste"]
    assert [m.level for m in reg.places(level=youth.LEVELS["municipality"])] == ["municipality"] * 4
    with pytest.raises(youth.InvalidError):
        list(reg.places(level="planet"))


def test_places_in_path_order(reg):
    paths = [p.path for p in reg.places()]
    assert paths == sorted(paths)
    assert paths[0] == "sonsonate"


def test_places_under(reg):
    under = list(reg.places(under="Sonzacate"))
    assert [p.path for p in under][0] == "sonsonate/sonsonate-centro/sonzacate"
    communities = [p for p in under if p.level == "community"]
    assert sorted(p.name for p in communities) == ["El Sauce", "La Ponderosa", "Santa Eugenia",
                                                   "Zedan"]
    assert all(p.critical for p in communities)
    only = [p.name for p in reg.places(under="Sonzacate", level="community")]
    assert sorted(only) == sorted(p.name for p in communities)
    with pytest.raises(youth.NotFoundError):
        list(reg.places(under="Atlantis"))


def test_add_place(reg):
    p = reg.add_place("Nueva Esperanza", parent="Sonzacate", critical=True)
    assert p.name == "Nueva Esperanza"
    assert p.level == "community"
    assert p.critical is True
    assert p.parent_path == "sonsonate/sonsonate-centro/sonzacate"
    assert reg.place("Nueva Esperanza") == p
    with pytest.raises(youth.ExistsError):
        reg.add_place("Nueva Esperanza", parent="Sonzacate")
    with pytest.raises(youth.NotFoundError):
        reg.add_place("X", parent="Atlantis")


def test_load_gazetteer_data_and_errors(tmp_path):
    with youth.Registry(":memory:", create=True) as reg:
        doc = ("format: libyouth/1\ngazetteer:\n  - name: Ahuachapán\n    places:\n"
               "      - name: Ahuachapán Sur\n")
        assert reg.load_gazetteer_data(doc, name="mini.yaml") == 2
        assert reg.place("Ahuachapan Sur").level == "municipality"
        with pytest.raises(youth.ParseError) as info:
            reg.load_gazetteer_data("format: libyouth/1\ngazetteer: [ {name: x\n", name="bad.yaml")
        assert isinstance(info.value, ValueError)
        assert "bad.yaml" in str(info.value)
        with pytest.raises(youth.NotFoundError):
            reg.load_gazetteer(tmp_path / "missing.yaml")
        assert len(list(reg.places())) == 2


def test_gazetteer_load_is_all_or_nothing(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("format: libyouth/1\ngazetteer:\n  - name: Uno\n  - name: ''\n",
                    encoding="utf-8")
    with youth.Registry(":memory:", create=True) as reg:
        with pytest.raises(youth.InvalidError):
            reg.load_gazetteer(path)
        assert list(reg.places()) == []


def test_name_of_places_at_several_levels_is_refused(reg, gazetteer_path):
    # "Sonsonate" is the department and, since 2024, a district of Sonsonate Centro
    with pytest.raises(youth.InvalidError) as info:
        reg.place("Sonsonate")
    msg = str(info.value)
    assert "sonsonate (department)" in msg
    assert "sonsonate/sonsonate-centro/sonsonate (district)" in msg
    assert "district:Sonsonate" in msg
    with pytest.raises(youth.InvalidError):
        list(reg.persons(place="sonsonate"))
    assert reg.place("department:Sonsonate").path == "sonsonate"
    assert reg.place("district:Sonsonate").path == "sonsonate/sonsonate-centro/sonsonate"
    assert reg.place("Sonsonate Centro/Sonsonate").level == "district"
    # the programme's figures: 360 youths in its municipality of Sonsonate, 600 in all
    reg.load_census(gazetteer_path.parent / "census.yaml")
    assert reg.count_persons(place="municipality (before 2024):Sonsonate") == 360
    assert reg.count_persons(place="department:Sonsonate") == 600


def test_level_labels(reg):
    levels = reg.level_labels()
    assert [lv.name for lv in levels] == list(youth.LEVELS)
    assert levels[2] == youth.LevelLabels("district", "district", "municipality (before 2024)")
    assert levels[0] == ("department", "department", None)
    assert reg.find_level("Municipality (before 2024)") == "district"
    assert reg.find_level("community") == "community"
    with pytest.raises(youth.NotFoundError):
        reg.find_level("region")

    reg.set_level_labels("community", "critical area", alt_label="comunidad")
    assert reg.level_labels()[3] == ("community", "critical area", "comunidad")
    assert reg.place("comunidad:Lúe").path == "sonsonate/sonsonate-oeste/acajutla/lue"
    with pytest.raises(youth.InvalidError) as info:
        reg.set_level_labels(1, alt_label="district")
    assert "already names the district level" in str(info.value)
    reg.set_level_labels(4)
    assert reg.level_labels()[3] == ("community", "community", None)
