"""The youth.Error hierarchy and the small validation helpers."""

import pickle

import pytest

import youth
from youth import capi
import os
import pathlib
import shutil
import sqlite3
import tempfile
import subprocess
import sys

from conftest import bad_dui, dui, make_person

FAMILIES = {
    "YOUTH_ERROR": (youth.Error, ()),
    "YOUTH_ENOMEM": (youth.NoMemoryError, (MemoryError,)),
    "YOUTH_EINVAL": (youth.InvalidError, (ValueError,)),
    "YOUTH_EPARSE": (youth.ParseError, (youth.InvalidError, ValueError)),
    "YOUTH_ELIMIT": (youth.LimitError, (youth.InvalidError, ValueError)),
    "YOUTH_ECANCELLED": (youth.CancelledError, ()),
    "YOUTH_ENOTFOUND": (youth.NotFoundError, (LookupError,)),
    "YOUTH_EEXISTS": (youth.ExistsError, (ValueError,)),
    "YOUTH_EIO": (youth.StorageError, (OSError,)),
    "YOUTH_ECORRUPT": (youth.CorruptError, (youth.StorageError, OSError)),
    "YOUTH_EVERSION": (youth.VersionError, (youth.StorageError, OSError)),
    "YOUTH_EBUSY": (youth.BusyError, (youth.StorageError, OSError)),
    "YOUTH_EREADONLY": (youth.ReadOnlyError, (youth.StorageError, OSError)),
    "YOUTH_EACCESS": (youth.AccessError, (youth.StorageError, PermissionError, OSError)),
    "YOUTH_EFULL": (youth.FullError, (youth.StorageError, OSError)),
    "YOUTH_EMISUSE": (youth.MisuseError, ()),
    "YOUTH_EREFERENCED": (youth.ReferencedError, (ValueError,)),
    "YOUTH_ESTATE": (youth.StateError, (ValueError,)),
    "YOUTH_ERULE": (youth.RuleError, (ValueError,)),
}


def test_every_c_error_code_has_a_class():
    codes = {name for name in dir(capi)
             if name.startswith("YOUTH_E") and isinstance(getattr(capi, name), int)
             and getattr(capi, name) < 0}
    codes.add("YOUTH_ERROR")
    assert codes == set(FAMILIES)


@pytest.mark.parametrize("cname", sorted(FAMILIES))
def test_class_for_code(cname):
    code = getattr(capi, cname)
    cls, bases = FAMILIES[cname]
    assert youth.errors.error_class(code) is cls
    assert cls.code == code
    assert issubclass(cls, youth.Error)
    for base in bases:
        assert issubclass(cls, base)
    err = youth.errors._from_c(code, capi.youth_error_name(code), "the message", "a_field")
    assert type(err) is cls
    assert err.code == code
    assert err.name == capi.youth_error_name(code)
    assert err.name == cname[len("YOUTH_"):] or cname == "YOUTH_ERROR"
    assert err.field == "a_field"
    assert err.message == "the message"
    assert str(err) == "the message"
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is cls and clone.code == code and clone.field == "a_field"


def test_iterover_is_not_an_exception_class():
    assert youth.errors.error_class(capi.YOUTH_ITEROVER) is youth.Error


def test_c_error_carries_message_and_field():
    with pytest.raises(youth.InvalidError) as info:
        youth.check_date("2009-02-30", "birth_date")
    err = info.value
    assert err.field == "birth_date"
    assert "2009-02-30" in err.message
    assert "birth_date" in err.message
    assert err.code == capi.YOUTH_EINVAL


def test_check_date():
    import datetime
    youth.check_date("2024-02-29")
    youth.check_date(datetime.date(2020, 1, 31), "census_date")
    for bad in ("2023-02-29", "2024-13-01", "2024-1-01", "yesterday", "1899-12-31"):
        with pytest.raises(youth.InvalidError):
            youth.check_date(bad, "census_date")


def test_check_dui():
    youth.check_dui(dui("04567890"))
    for bad in (bad_dui("04567890"), "04567890", "0456789-01", "ABCDEFGH-1", ""):
        with pytest.raises(youth.InvalidError) as info:
            youth.check_dui(bad)
        assert isinstance(info.value, ValueError)


def test_fold():
    assert youth.fold("José  HERNÁNDEZ") == "jose hernandez"
    assert youth.fold("Ñandú Güeña") == "nandu guena"


def test_python_side_misuse_is_a_youth_error(tmp_path):
    reg = youth.Registry(tmp_path / "x.db", create=True)
    reg.close()
    with pytest.raises(youth.Error) as info:
        reg.add_person(youth.Person())
    assert isinstance(info.value, youth.MisuseError)
    assert info.value.code == capi.YOUTH_EMISUSE
    assert info.value.name == "EMISUSE"


# ---- text C cannot take, and the file system's refusals -------------------------------------

BAD_TEXT = ["Ana\x00María", "Ana\ud800", "\udfff"]


@pytest.mark.parametrize("bad", BAD_TEXT)
def test_nul_and_lone_surrogates_are_youth_errors(reg, tmp_path, bad):
    """A NUL would cut the text short in C and a lone surrogate has no UTF-8 form: both are
    refused as a bad value, youth.InvalidError naming the argument, not a bare ValueError or
    UnicodeEncodeError; a path with a NUL is not silently cut at it."""
    with pytest.raises(youth.InvalidError) as info:
        reg.add_person(make_person(given_names=bad))
    assert info.value.field == "given_names"
    with pytest.raises(youth.InvalidError) as info:
        list(reg.search_persons(bad))
    with pytest.raises(youth.InvalidError) as info:
        youth.Registry(str(tmp_path / ("x" + bad)), create=True)
    assert "path" in str(info.value)
    assert "x" not in os.listdir(tmp_path)  # not created under the name cut at the NUL
    assert reg.count_persons() == 0


def _as_nobody(code):
    """Runs @code in a child Python as user nobody when the tests run as root (root reads and
    writes whatever the modes say); returns its completed process."""
    env = dict(os.environ)
    pre = []
    if os.geteuid() == 0:
        pre = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    return subprocess.run(pre + [sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60)


def test_permissions(tmp_path, gazetteer_path):
    """A registry of mode 0444 in a directory the user cannot write opens with readonly=True
    and reads; mode 000 raises youth.AccessError (a PermissionError), not ReadOnlyError."""
    if os.geteuid() == 0 and subprocess.run(["setpriv", "--version"],
                                            capture_output=True).returncode != 0:
        pytest.skip("running as root without setpriv")
    # pytest's own directories are private to root: one that nobody may enter
    top = tempfile.mkdtemp(prefix="youth-perm-")
    os.chmod(top, 0o755)
    sub = pathlib.Path(top) / "ro"
    sub.mkdir()
    path = sub / "r.youth"
    with youth.Registry(path, create=True) as r:
        r.load_gazetteer(gazetteer_path)
        r.add_person(make_person())
    os.chmod(path, 0o444)
    os.chmod(sub, 0o555)
    try:
        code = """
import youth
with youth.Registry(%r, readonly=True) as r:
    assert r.count_persons() == 1
try:
    youth.Registry(%r)
except youth.ReadOnlyError as e:
    assert "not writable" in str(e), e
else:
    raise SystemExit("opened read-write")
""" % (str(path), str(path))
        done = _as_nobody(code)
        assert done.returncode == 0, done.stderr
        os.chmod(path, 0)
        code = """
import youth
try:
    youth.Registry(%r, readonly=True)
except youth.AccessError as e:
    assert isinstance(e, PermissionError) and not isinstance(e, youth.ReadOnlyError), e
    assert "permission denied" in str(e), e
else:
    raise SystemExit("opened")
""" % str(path)
        done = _as_nobody(code)
        assert done.returncode == 0, done.stderr
    finally:
        os.chmod(sub, 0o755)
        shutil.rmtree(top)


def test_busy_is_busy_error(tmp_path, gazetteer_path):
    """A lock held past the busy timeout raises youth.BusyError with retry guidance."""
    path = tmp_path / "busy.youth"
    with youth.Registry(path, create=True) as r:
        r.load_gazetteer(gazetteer_path)
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with youth.Registry(path) as r:
            capi.youth_registry_set_busy_timeout(r._reg, 50)  # not 5 s
            with pytest.raises(youth.BusyError) as info:
                r.add_person(make_person())
            assert "busy" in str(info.value) and "try again" in str(info.value)
            assert "BEGIN" not in str(info.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
