"""Exports that travel (docs/privacy.md) from Python: identifiers and contacts left out by
default, pseudonymised and encrypted exports, the DUI of a minor, the look-up by DUI."""
import datetime
import io
import os
import re
import stat

import pytest

import youth
from conftest import SANTA_EUGENIA, dui, make_person

ADULT = datetime.date(1990, 5, 14)


@pytest.fixture
def people(reg):
    for i in range(12):
        reg.add_person(make_person(given_names="Zacarias%02d" % i, first_surname="Quintanilla",
                                   birth_date=ADULT, national_id=dui("063970%02d" % i),
                                   phone="7100-10%02d" % i, address="Calle Secreta %d" % i))
    return reg


@pytest.fixture
def keys(tmp_path):
    k1, k2 = tmp_path / "k1.key", tmp_path / "k2.key"
    youth.new_key(k1)
    youth.new_key(str(k2))
    return k1, k2


def export(reg, **kwargs):
    buf = io.BytesIO()
    reg.export_yaml(buf, **kwargs)
    return buf.getvalue()


def test_default_export_has_no_dui_nor_phone(people):
    data = export(people)
    assert b"withheld: [identifiers, contacts]\n" in data
    assert b"Zacarias03" in data
    assert b"06397003" not in data and b"7100-1003" not in data and b"Secreta" not in data
    with_ids = export(people, identifiers=True)
    assert b"06397003" in with_ids and b"7100-1003" not in with_ids
    with_contacts = export(people, contacts=True)
    assert b"06397003" not in with_contacts and b"7100-1003" in with_contacts
    assert b"withheld" not in export(people, identifiers=True, contacts=True)


def test_reimport_keeps_the_dui(people):
    data = export(people)
    summary = people.import_yaml(io.BytesIO(data), upsert=True)
    assert summary.unchanged == summary.records
    p = people.get_person_by_national_id(dui("06397003"))
    assert p.given_names == "Zacarias03" and p.phone == "7100-1003"


def test_pseudonyms_stable_per_key(people, keys):
    k1, k2 = keys
    assert stat.S_IMODE(os.stat(k1).st_mode) == 0o600
    with pytest.raises(youth.ExistsError):
        youth.new_key(k1)
    a = export(people, pseudonym_key=k1)
    assert a == export(people, pseudonym_key=str(k1))
    b = export(people, pseudonym_key=k2)
    pa = set(re.findall(rb"pseudonym: ([0-9a-f]{32})", a))
    pb = set(re.findall(rb"pseudonym: ([0-9a-f]{32})", b))
    assert len(pa) >= 12 and not pa & pb
    for i in range(12):
        for secret in (b"Zacarias%02d" % i, dui("063970%02d" % i).encode(), b"7100-10%02d" % i):
            assert secret not in a
    assert b"Quintanilla" not in a and b"birth_date" not in a and b"birth_year: 1990" in a
    csv = export(people, pseudonym_key=k1, csv=True)
    assert csv.startswith(b"pseudonym,birth_year,sex,place,")
    rows = re.findall(rb"^([0-9a-f]{32}),", csv, re.M)
    assert len(rows) == 12 and set(rows) <= pa  # the same pseudonyms as the YAML form


def test_small_places_generalised(people, keys):
    people.add_person(make_person(given_names="Solo", birth_date=ADULT,
                                  place="sonsonate/sonsonate-oeste/acajutla/el-astillero"))
    a = export(people, pseudonym_key=keys[0], kinds=["persons"])
    assert b"place: " + SANTA_EUGENIA.encode() in a
    assert b"el-astillero" not in a and b"    place: sonsonate\n" in a
    assert b"el-astillero" in export(people, pseudonym_key=keys[0], kinds=["persons"], k=1)


def test_encrypted_round_trip_and_damage(people, keys, tmp_path):
    plain = export(people, identifiers=True, contacts=True)
    enc = tmp_path / "x.enc"
    people.export_yaml(enc, identifiers=True, contacts=True, key_file=keys[0])
    raw = enc.read_bytes()
    assert raw.startswith(b"YOUTHENC") and b"Zacarias" not in raw
    with youth.Registry(tmp_path / "back.db", create=True) as back:
        back.import_yaml(enc, key_file=keys[0])
        assert export(back, identifiers=True, contacts=True) == plain
    with youth.Registry(tmp_path / "refused.db", create=True) as other:
        with pytest.raises(youth.Error):
            other.import_yaml(enc, key_file=keys[1])
        bad = tmp_path / "bad.enc"
        for at in (20, len(raw) // 2, len(raw) - 1):
            bad.write_bytes(raw[:at] + bytes([raw[at] ^ 1]) + raw[at + 1:])
            with pytest.raises(youth.Error):
                other.import_yaml(bad, key_file=keys[0])
        bad.write_bytes(raw[:-5])
        with pytest.raises(youth.Error):
            other.import_yaml(bad, key_file=keys[0])
        assert export(other).count(b"given_names") == 0
    penc = tmp_path / "p.enc"
    people.export_yaml(penc, passphrase="correct horse")
    with youth.Registry(tmp_path / "p.db", create=True) as p:
        with pytest.raises(youth.Error):
            p.import_yaml(penc, passphrase="wrong horse")
        p.import_yaml(penc, passphrase="correct horse")
        assert b"Zacarias05" in export(p)


def test_dui_of_a_minor_refused(reg):
    with pytest.raises(youth.InvalidError, match=r"national_id .*16 at census_date"):
        reg.add_person(make_person(national_id=dui("04567891")))


def test_lookup_by_dui(people):
    assert people.get_person_by_national_id(dui("06397007")).given_names == "Zacarias07"
    with pytest.raises(youth.NotFoundError):
        people.get_person_by_national_id(dui("00000001"))
    with pytest.raises(youth.InvalidError):
        people.get_person_by_national_id("0639")
    with pytest.raises(TypeError):
        people.get_person_by_national_id(6397007)
