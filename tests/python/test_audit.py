"""The audit trail from Python (docs/privacy.md): the actor, the log and its filters, the
verification of the hash chain and the audit of reads."""

import datetime
import os
import sqlite3

import pytest

import youth

from conftest import make_person

ACTOR = "maria.lopez@sonsonate"


@pytest.fixture
def audited(reg):
    reg.set_actor(ACTOR)
    reg.enable_audit()
    return reg


def test_switch_and_actor(reg):
    assert not reg.audited
    assert reg.actor is None
    with pytest.raises(youth.MisuseError):
        reg.enable_audit()  # switching on is a write, and names who made it
    reg.set_actor(ACTOR)
    assert reg.actor == ACTOR
    reg.enable_audit()
    assert reg.audited
    reg.set_actor(None)
    with pytest.raises(youth.MisuseError) as err:
        reg.add_person(make_person())
    assert "add person" in str(err.value) and err.value.field == "actor"
    with pytest.raises(youth.InvalidError):
        reg.set_actor("two\nlines")


def test_log_update_old_and_new(audited):
    p = audited.add_person(make_person())
    p.household_size = 7
    audited.update_person(p)
    log = audited.audit_log(uuid=p.uuid)
    assert [e["action"] for e in log] == ["create", "update"]
    assert log[0]["operation"] == "add person" and log[0]["changes"] is None
    assert log[1]["changes"]["household_size"] == [None, 7]
    assert log[1]["actor"] == ACTOR and log[1]["kind"] == "person"
    assert log[1]["record_id"] == p.id and log[1]["id"] == log[0]["id"] + 1
    assert audited.verify_audit()["problems"] == 0


def test_filters(audited):
    audited.add_person(make_person())
    audited.set_actor("luis")
    audited.add_person(make_person(given_names="Ana"))
    assert len(audited.audit_log(actor="luis")) == 1
    assert len(audited.audit_log(kind="person")) == 2
    today = datetime.datetime.now(datetime.timezone.utc).date()
    everything = audited.audit_log()
    assert len(audited.audit_log(since=today, until=today)) == len(everything)
    assert audited.audit_log(since=today + datetime.timedelta(days=1)) == []
    with pytest.raises(youth.InvalidError):
        audited.audit_log(uuid="not-a-uuid")


def test_verify_and_anchor(audited, tmp_path):
    audited.add_person(make_person())
    report = audited.verify_audit()
    anchor = report["head"]
    assert report["problems"] == 0 and anchor.startswith("%d:" % report["entries"])
    assert audited.verify_audit(anchor=anchor)["problems"] == 0
    path = audited.path
    audited.close()
    # An editor that keeps the page checksums (docs/reliability.md): the chain must find it.
    db = sqlite3.connect("file:%s?vfs=youth-pagesum-unix" % path, uri=True)
    db.executescript("DROP TRIGGER audit_entry_no_update;"
                     "UPDATE audit_entry SET actor = 'nobody' WHERE id = 2;")
    db.close()
    with youth.Registry(path) as again:
        with pytest.raises(youth.CorruptError) as err:
            again.verify_audit()
        assert err.value.problem["entry"] == 2
        assert "entry 2" in str(err.value)
        assert again.verify_audit(check=False)["problems"] == 1


def test_read_audit(audited):
    p = audited.add_person(make_person())
    before = len(audited.audit_log())
    audited.get_person(p.id)
    assert len(audited.audit_log()) == before
    audited.audit_reads(True)
    audited.get_person(p.id)
    reads = audited.audit_log(uuid=p.uuid)[-1]
    assert reads["action"] == "read" and reads["kind"] == "person"
    audited.audit_reads(False)


def test_new_file_is_private(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "new.db"
        with youth.Registry(path, create=True):
            for name in (path, str(path) + "-wal", str(path) + "-shm"):
                assert os.stat(name).st_mode & 0o777 == 0o600, name
    finally:
        os.umask(old)


def test_entries_are_a_kind():
    kind = youth.kinds()["audit_entry"]
    assert all(f["readonly"] for f in kind["fields"])
