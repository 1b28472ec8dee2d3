"""The youth.Error hierarchy and the small validation helpers."""

import pickle

import pytest

import youth
from youth import capi
from conftest import bad_dui, dui

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
