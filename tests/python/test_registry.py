"""Opening, closing, read-only mode and transactions of youth.Registry."""

import os
import subprocess
import sys

import pytest

import youth
from conftest import make_person


def test_version_is_the_c_library_version():
    v = youth.version()
    assert isinstance(v, str)
    assert v == youth.capi.YOUTH_VERSION
    assert v.count(".") == 2 and all(part.isdigit() for part in v.split("."))
    assert youth.__version__ == v


def test_create_then_reopen(tmp_path):
    path = tmp_path / "new.db"
    assert not path.exists()
    reg = youth.Registry(path, create=True)
    try:
        assert path.exists()
        assert reg.path == str(path)
        assert reg.schema_version == youth.SCHEMA_VERSION
        assert not reg.closed
    finally:
        reg.close()
    assert reg.closed
    with youth.Registry(str(path)) as again:
        assert again.schema_version == youth.SCHEMA_VERSION
        assert again.count_persons() == 0


def test_open_missing_file_without_create(tmp_path):
    path = tmp_path / "missing.db"
    with pytest.raises(youth.NotFoundError) as info:
        youth.Registry(path)
    assert isinstance(info.value, LookupError)
    assert info.value.code == youth.capi.YOUTH_ENOTFOUND
    assert info.value.name == "ENOTFOUND"
    assert not path.exists()


def test_memory_registry():
    with youth.Registry(":memory:", create=True) as reg:
        assert reg.path == ":memory:"
        assert reg.count_persons() == 0
        assert bool(reg)
        assert list(reg.persons()) == []


def test_context_manager_closes(tmp_path):
    with youth.Registry(tmp_path / "r.db", create=True) as reg:
        assert not reg.closed
    assert reg.closed
    with pytest.raises(youth.MisuseError):
        reg.count_persons()
    with pytest.raises(youth.MisuseError):
        reg.path
    reg.close()  # twice is fine
    assert "closed" in repr(reg)


def test_context_manager_closes_on_exception(tmp_path):
    with pytest.raises(KeyError):
        with youth.Registry(tmp_path / "r.db", create=True) as reg:
            raise KeyError("boom")
    assert reg.closed


def test_readonly_refuses_writes(tmp_path, gazetteer_path):
    path = tmp_path / "ro.db"
    with youth.Registry(path, create=True) as reg:
        reg.load_gazetteer(gazetteer_path)
        reg.add_person(make_person())
    before = path.read_bytes()
    with youth.Registry(path, readonly=True) as ro:
        assert ro.readonly
        assert ro.count_persons() == 1
        with pytest.raises(youth.ReadOnlyError) as info:
            ro.add_person(make_person(given_names="Otra"))
        assert isinstance(info.value, OSError)
        assert isinstance(info.value, youth.StorageError)
        assert info.value.code == youth.capi.YOUTH_EREADONLY
        with pytest.raises(youth.ReadOnlyError):
            ro.load_gazetteer(gazetteer_path)
        assert ro.count_persons() == 1
    assert path.read_bytes() == before


def test_not_a_registry_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    content = b"these are not the droids you are looking for\n" * 200
    path.write_bytes(content)
    with pytest.raises(youth.CorruptError) as info:
        youth.Registry(path)
    assert isinstance(info.value, OSError)
    assert path.read_bytes() == content


def test_path_like_and_str_paths(tmp_path):
    with youth.Registry(os.fspath(tmp_path / "a.db"), create=True) as a:
        assert a.path.endswith("a.db")
    with youth.Registry(tmp_path / "a.db") as b:
        assert b.path.endswith("a.db")


def test_check_passes_on_a_good_registry(reg):
    reg.check()


def test_transaction_commits(reg):
    with reg.transaction():
        assert reg.in_transaction == 1
        reg.add_person(make_person())
        reg.add_person(make_person(given_names="Rosa"))
    assert reg.in_transaction == 0
    assert reg.count_persons() == 2


def test_transaction_rolls_back_on_exception(reg):
    reg.add_person(make_person(given_names="Keep"))
    with pytest.raises(RuntimeError):
        with reg.transaction():
            reg.add_person(make_person(given_names="Gone"))
            assert reg.count_persons() == 2
            raise RuntimeError("abort")
    assert reg.in_transaction == 0
    assert [p.given_names for p in reg.persons()] == ["Keep"]


def test_transaction_rolls_back_on_library_error(reg):
    with pytest.raises(youth.InvalidError):
        with reg.transaction():
            reg.add_person(make_person(given_names="Gone"))
            reg.add_person(make_person(birth_date="2009-02-30"))
    assert reg.count_persons() == 0


def test_failed_call_inside_transaction_keeps_it_usable(reg):
    with reg.transaction():
        reg.add_person(make_person(given_names="One"))
        with pytest.raises(youth.InvalidError):
            reg.add_person(make_person(sex="other"))
        reg.add_person(make_person(given_names="Two"))
    assert sorted(p.given_names for p in reg.persons()) == ["One", "Two"]


def test_nested_transactions(reg):
    with reg.transaction():
        reg.add_person(make_person(given_names="Outer"))
        with pytest.raises(ValueError):
            with reg.transaction():
                assert reg.in_transaction == 2
                reg.add_person(make_person(given_names="Inner"))
                raise ValueError("undo the inner block only")
        assert reg.in_transaction == 1
        with reg.transaction():
            reg.add_person(make_person(given_names="Inner2"))
    assert sorted(p.given_names for p in reg.persons()) == ["Inner2", "Outer"]


def test_transaction_is_durable(tmp_path, gazetteer_path):
    path = tmp_path / "d.db"
    with youth.Registry(path, create=True) as reg:
        reg.load_gazetteer(gazetteer_path)
        with reg.transaction():
            reg.add_person(make_person())
    with youth.Registry(path) as reg:
        assert reg.count_persons() == 1


def test_close_with_open_transaction_rolls_back(tmp_path, gazetteer_path):
    path = tmp_path / "t.db"
    with youth.Registry(path, create=True) as reg:
        reg.load_gazetteer(gazetteer_path)
    reg = youth.Registry(path)
    reg.begin()
    reg.add_person(make_person())
    reg.close()
    with youth.Registry(path) as reg:
        assert reg.count_persons() == 0


def test_commit_without_transaction_is_misuse(reg):
    with pytest.raises(youth.MisuseError) as info:
        reg.commit()
    assert info.value.code == youth.capi.YOUTH_EMISUSE
    with pytest.raises(youth.MisuseError):
        reg.rollback()


def test_total_changes_counts_writes(reg):
    start = reg.total_changes
    p = reg.add_person(make_person())
    assert reg.total_changes == start + 1
    reg.delete_person(p.id)
    assert reg.total_changes == start + 2


def test_busy_timeout(reg):
    reg.set_busy_timeout(100)
    with pytest.raises(youth.InvalidError):
        reg.set_busy_timeout(-1)


def test_two_handles_on_one_file(tmp_path, gazetteer_path):
    path = tmp_path / "shared.db"
    with youth.Registry(path, create=True) as a, youth.Registry(path) as b:
        a.load_gazetteer(gazetteer_path)
        a.add_person(make_person())
        assert b.count_persons() == 1


def test_threads_sharing_a_registry_never_lose_a_write(reg):
    """Issue 14: thread A opens a transaction, thread B's add_person returns an id, A rolls back:
    B's row was gone, a confirmed write lost.  The transaction belongs to A: B's call waits
    for it to end and then runs on its own, so B's person is kept and A's is not."""
    import threading
    import time

    a_in, b_started, order = threading.Event(), threading.Event(), []

    def a():
        try:
            with reg.transaction():
                reg.add_person(make_person(given_names="Ana"))
                a_in.set()
                b_started.wait(5)
                time.sleep(0.3)  # B is now waiting for the transaction (or, before, inside it)
                order.append("a rolls back")
                raise RuntimeError("roll back")
        except RuntimeError:
            pass

    def b():
        a_in.wait(5)
        b_started.set()
        stored = reg.add_person(make_person(given_names="Beto", birth_date="1993-01-02"))
        order.append("b added %d" % stored.id)

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert order[0] == "a rolls back" and order[1].startswith("b added")
    names = [p.given_names for p in reg.persons()]
    assert names == ["Beto"]
    assert reg.in_transaction == 0


def test_transaction_lock_is_given_back(reg):
    """Nested transactions, a failed commit and close keep the lock balanced: another thread
    can use the registry afterwards."""
    import threading

    with reg.transaction():
        with reg.transaction():
            reg.add_person(make_person())
    with pytest.raises(youth.MisuseError):
        reg.commit()
    done = []
    t = threading.Thread(target=lambda: done.append(reg.count_persons()))
    t.start()
    t.join(5)
    assert done == [1]


def test_sqlite_memstatus(tmp_path, gazetteer_path):
    """youth.sqlite_memstatus(False) in a fresh process before the first registry: the registry
    works; once SQLite is in use the call raises youth.MisuseError naming why.  A child process:
    the setting is process-wide and this one has used SQLite already."""
    code = (
        "import youth, sys\n"
        "youth.sqlite_memstatus(False)\n"
        "with youth.Registry(sys.argv[1], create=True) as reg:\n"
        "    reg.load_gazetteer(sys.argv[2])\n"
        "    print(reg.count_persons())\n"
        "try:\n"
        "    youth.sqlite_memstatus(True)\n"
        "except youth.MisuseError as e:\n"
        "    print('refused:', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "m.db"),
                          str(gazetteer_path)], check=True, capture_output=True, text=True,
                         timeout=60).stdout
    assert out.splitlines()[0] == "0"
    assert out.splitlines()[1].startswith("refused: ")
    assert "too late" in out
    with pytest.raises(youth.MisuseError):
        youth.sqlite_memstatus(False)  # this process has used SQLite
