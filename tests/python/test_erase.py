"""Erasure and retention from Python (docs/privacy.md, "Erasure" and "Retention"):
Registry.erase_person() and Registry.purge(), the stub that stays, the audit trail, the
tombstone against imports, and the bytes of the files."""

import datetime
import pathlib

import pytest

import youth

from conftest import dui, make_person

ACTOR = "erase.test@sonsonate"
ERASED = "(erased)"


@pytest.fixture
def audited(reg):
    reg.set_actor(ACTOR)
    reg.enable_audit()
    return reg


def distinctive(reg):
    """Two adults with values found nowhere else: the one to erase and one to keep."""
    gone = reg.add_person(make_person(
        given_names="Xiomara Zuleima", first_surname="Quetzaltepeque",
        second_surname="Wolfsburgo", birth_date=datetime.date(1988, 4, 9),
        national_id=dui("87654321"), phone="79461385", address="Pasaje Girasoles 4321"))
    kept = reg.add_person(make_person(
        given_names="Yamileth Berenice", first_surname="Ozumbilla",
        birth_date=datetime.date(1987, 1, 3), national_id=dui("12348765"),
        phone="71112229", address="Colonia Las Brisas 8765"))
    return gone, kept


GONE_VALUES = [b"Xiomara Zuleima", b"Quetzaltepeque", b"Wolfsburgo", b"quetzaltepeque",
               dui("87654321").encode(), b"7946-1385", b"Pasaje Girasoles 4321"]
KEPT_VALUES = [b"Yamileth Berenice", b"Ozumbilla", dui("12348765").encode(), b"7111-2229",
               b"Colonia Las Brisas 8765"]


def file_bytes(reg):
    path = pathlib.Path(reg.path)
    return b"".join(p.read_bytes() for p in
                    (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
                    if p.exists())


def test_erase_keeps_a_stub(audited):
    gone, kept = distinctive(audited)
    assert audited.erase_person(gone.id, "request of the person") == gone.uuid
    stub = audited.get_person(gone.id)
    assert stub.uuid == gone.uuid
    assert stub.given_names == ERASED and stub.first_surname == ERASED
    assert stub.national_id is None and stub.phone is None and stub.address is None
    assert (stub.birth_date, stub.sex, stub.place) == (gone.birth_date, gone.sex, gone.place)
    assert audited.get_person(kept.id).first_surname == "Ozumbilla"
    assert audited.count_persons() == 2
    assert not list(audited.persons(name="quetzaltepeque"))


def test_erase_by_uuid_and_refusals(audited):
    gone, _ = distinctive(audited)
    with pytest.raises(youth.NotFoundError):
        audited.erase_person(999999, "request")
    with pytest.raises(youth.NotFoundError):
        audited.erase_person("01890000-0000-7000-8000-000000000000", "request")
    with pytest.raises(youth.InvalidError):
        audited.erase_person(gone.id, "")
    with audited.transaction():
        with pytest.raises(youth.MisuseError):
            audited.erase_person(gone.id, "request")
    assert audited.erase_person(gone.uuid.upper(), "request") == gone.uuid
    with pytest.raises(youth.StateError) as err:
        audited.erase_person(gone, "request")
    assert gone.uuid in str(err.value) and "already erased" in str(err.value)
    stub = audited.get_person(gone.id)
    stub.given_names = "Xiomara"
    with pytest.raises(youth.StateError):
        audited.update_person(stub)


def test_audit_and_bytes(audited):
    gone, kept = distinctive(audited)
    # an update: the old address is then in the audit trail and in freed space
    gone.address = "Calle Vieja Ocotal 1111"
    audited.update_person(gone)
    gone.address = "Pasaje Girasoles 4321"
    audited.update_person(gone)
    data = file_bytes(audited)
    assert any(v in data for v in GONE_VALUES)  # the search can find them
    audited.erase_person(gone, "request")
    log = list(audited.audit_log(uuid=gone.uuid))
    assert [e["action"] for e in log].count("erase") == 1
    assert all(e["changes"] is None for e in log)
    assert audited.verify_audit()["problems"] == 0
    data = file_bytes(audited)
    assert [v for v in GONE_VALUES + [b"Calle Vieja Ocotal 1111"] if v in data] == []
    assert all(v in data for v in KEPT_VALUES)


def test_import_cannot_resurrect(audited, tmp_path):
    gone, _ = distinctive(audited)
    before = tmp_path / "before.yaml"
    audited.export_yaml(str(before), kinds=["gazetteer", "persons"], identifiers=True,
                        contacts=True)
    audited.erase_person(gone, "request")
    with pytest.raises(youth.StateError) as err:
        audited.import_yaml(str(before), upsert=True)
    assert gone.uuid in str(err.value) and "erased" in str(err.value)
    rejects = tmp_path / "rejects.yaml"
    summary = audited.import_yaml(str(before), mode="keep_going", upsert=True,
                                  rejects=str(rejects))
    assert summary.rejected == 1
    assert gone.uuid in rejects.read_text()
    assert audited.get_person(gone.id).given_names == ERASED
    after = tmp_path / "after.yaml"
    audited.export_yaml(str(after), identifiers=True, contacts=True)
    text = after.read_bytes()
    assert [v for v in GONE_VALUES if v in text] == []


def test_purge(reg):
    due = reg.add_person(make_person(retain_until=datetime.date(2020, 6, 30)))
    kept = reg.add_person(make_person(retain_until="2020-07-01"))
    assert reg.get_person(due.id).retain_until == datetime.date(2020, 6, 30)
    assert reg.purge(as_of=datetime.date(2020, 7, 1), dry_run=True) == [due.uuid]
    assert reg.get_person(due.id).given_names != ERASED
    assert reg.purge(as_of="2020-07-01") == [due.uuid]
    assert reg.get_person(due.id).given_names == ERASED
    assert reg.get_person(kept.id).given_names != ERASED
    assert reg.purge(as_of="2020-07-01") == []
    with pytest.raises(youth.InvalidError):
        reg.purge(as_of="2020-02-30")
