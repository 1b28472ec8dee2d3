"""The GIL during long C work (issue 15): another Python thread runs while an import runs, and a
handle shared by threads is still refused as issue 14 made it (a clear youth.MisuseError)."""

import os
import subprocess
import sys
import textwrap
import threading

import pytest

import youth
from youth import capi
from conftest import make_person

CHILD = """
import os, sys, threading
import youth

src, fifo, target = sys.argv[1:4]
data = open(src, "rb").read()
chunks = []                     # the counter: chunks the writer thread has written

def writer():
    with open(fifo, "wb") as f:
        for i in range(0, len(data), 4096):
            f.write(data[i:i + 4096])
            chunks.append(i)

t = threading.Thread(target=writer)
t.start()
with youth.Registry(target, create=True) as reg:
    reg.import_yaml(fifo)               # reads the pipe the writer thread fills
    persons = reg.count_persons()
t.join()
print(persons, len(chunks))
"""


def test_another_thread_runs_while_an_import_runs(reg, tmp_path):
    """The import reads a named pipe that only another Python thread writes: with the GIL
    held for the C import, that thread could never run and the import would wait for ever
    (a child process, so that a regression fails on its timeout instead of hanging)."""
    for i in range(300):
        reg.add_person(make_person(given_names="P%d" % i, national_id=None))
    src = tmp_path / "export.yaml"
    reg.export_yaml(src)
    size = src.stat().st_size
    assert size > 3 * 4096
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    script = tmp_path / "gil.py"
    script.write_text(textwrap.dedent(CHILD))
    try:
        out = subprocess.run([sys.executable, str(script), str(src), str(fifo),
                              str(tmp_path / "target.db")], capture_output=True, text=True,
                             timeout=120, env=os.environ)
    except subprocess.TimeoutExpired:  # pragma: no cover - the regression this guards
        pytest.fail("the import held the GIL: the writer thread never ran")
    assert out.returncode == 0, out.stderr
    persons, chunks = map(int, out.stdout.split())
    assert persons == 300
    assert chunks == (size + 4095) // 4096


def test_a_counter_advances_during_an_import_with_progress(reg, tmp_path):
    """The progress callback takes the GIL back for its call, and gives it up after: a
    counting thread keeps counting, and the import's result is whole."""
    for i in range(200):
        reg.add_person(make_person(given_names="Q%d" % i, national_id=None))
    src = tmp_path / "e.yaml"
    reg.export_yaml(src)
    stop, count, calls = threading.Event(), [0], []

    def counter():
        while not stop.is_set():
            count[0] += 1

    t = threading.Thread(target=counter)
    t.start()
    try:
        with youth.Registry(tmp_path / "t.db", create=True) as target:
            before = count[0]
            summary = target.import_yaml(src, progress=lambda r, b: calls.append(r))
            during = count[0] - before
            persons = target.count_persons()
    finally:
        stop.set()
        t.join()
    assert persons == 200
    assert calls and calls[-1] <= summary.records
    assert during > 0


def test_a_handle_shared_by_threads_is_still_refused(reg):
    """Issue 14: while one thread's transaction is open on a C handle, another thread's
    write on it is refused with a clear youth.MisuseError (the GIL released or not)."""
    h = reg._handle()
    fields = youth.person.to_fields(make_person(national_id=None))
    errors = []

    def other():
        try:
            capi.youth_person_add(h, fields, capi.YOUTH_PERSON_DEFAULT)
        except youth.Error as e:
            errors.append(e)

    with reg._lock:  # the package's own lock would make the other thread wait instead
        capi.youth_registry_begin(h)
        try:
            t = threading.Thread(target=other)
            t.start()
            t.join()
        finally:
            capi.youth_registry_rollback(h)
    assert len(errors) == 1
    assert isinstance(errors[0], youth.MisuseError)
    assert "another thread" in str(errors[0])


def test_threads_share_a_registry_object_through_its_lock(reg):
    """The package's Registry serialises the threads instead: an iteration in one thread and
    writes in another both complete."""
    for i in range(50):
        reg.add_person(make_person(given_names="R%d" % i, national_id=None))
    seen, errors = [], []

    def read():
        try:
            seen.extend(p.id for p in reg.persons())
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    def write():
        try:
            for i in range(20):
                reg.add_person(make_person(given_names="W%d" % i, national_id=None))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=read), threading.Thread(target=write)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(seen) >= 50 and seen == sorted(seen)
    assert reg.count_persons() == 70
