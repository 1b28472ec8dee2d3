"""Registry.check(): youth check from Python (docs/reliability.md)."""

import sqlite3

import pytest

import youth

from conftest import make_person


def raw(path, sql):
    """SQL past the library, through its page checksum VFS so the pages stay sealed."""
    con = sqlite3.connect("file:%s?vfs=youth-pagesum-unix" % path, uri=True)
    try:
        con.executescript(sql)
    finally:
        con.close()


@pytest.fixture
def path(tmp_path, gazetteer_path):
    p = tmp_path / "check.youth"
    with youth.Registry(p, create=True) as r:
        r.load_gazetteer(gazetteer_path)
        r.add_person(make_person())
        r.add_person(make_person(given_names="José", first_surname="López", sex="male"))
    return p


def test_sound_registry(path):
    with youth.Registry(path, readonly=True) as r:
        report = r.check()
        assert report == []
        assert report.sealed is True
        assert r.check(quick=True) == []


def test_problem_raises_with_the_report_and_repair(path):
    raw(path, "UPDATE person SET name_key = 'NOT THE NAME' WHERE id = 2")
    with youth.Registry(path) as r:
        with pytest.raises(youth.CorruptError) as info:
            r.check()
        (p,) = info.value.problems
        assert isinstance(p, youth.CheckProblem)
        assert (p.kind, p.table, p.id, p.repaired) == ("derived", "person", 2, False)
        assert p.uuid == r.get_person(2).uuid
        assert "NOT THE NAME" in p.message
        assert "person 2" in str(info.value)
        repaired = r.check(repair=True)
        assert [(q.kind, q.repaired) for q in repaired] == [("derived", True)]
        assert r.check() == []


def test_repair_needs_a_writable_registry(path):
    with youth.Registry(path, readonly=True) as r:
        with pytest.raises(youth.ReadOnlyError):
            r.check(repair=True)


def test_flipped_letter_is_found(path):
    data = bytearray(path.read_bytes())
    at = data.find("López".encode())
    assert at > 0
    data[at] ^= 0x20  # "López" -> "lópez"
    path.write_bytes(bytes(data))
    with pytest.raises(youth.CorruptError):
        with youth.Registry(path, readonly=True) as r:
            r.check()
