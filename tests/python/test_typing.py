"""The package's public face (issue 15): its public names in __all__, each documented; type
hints on the Registry's methods, the record classes and the iterators, with the PEP 561
marker; help(youth.Registry) free of the SWIG layer."""

import dataclasses
import datetime
import inspect
import pathlib
import pydoc
import re
import types
import typing

import pytest

import youth

PACKAGE = pathlib.Path(youth.__file__).resolve().parent


def _data_comment(name):
    """The ``#:`` comment documenting the constant ``name`` in the package's sources."""
    for src in sorted(PACKAGE.glob("*.py")):
        lines = src.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if re.match(r"%s\s*=" % re.escape(name), line):
                j = i - 1
                while j >= 0 and lines[j].startswith("#:"):
                    j -= 1
                if j < i - 1:
                    return " ".join(l[2:].strip() for l in lines[j + 1:i])
    return None


@pytest.mark.parametrize("name", youth.__all__)
def test_every_name_in_all_exists_and_has_a_docstring(name):
    obj = getattr(youth, name)
    if inspect.isclass(obj) or inspect.isfunction(obj):
        doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else obj.__doc__
        assert doc and doc.strip(), name
        # not the signature a dataclass writes for a class without a docstring
        assert not doc.startswith(name + "("), name
    else:
        assert _data_comment(name), "%s: no #: comment where it is assigned" % name


def test_all_lists_every_public_name_once():
    assert len(youth.__all__) == len(set(youth.__all__))
    public = {n for n, v in vars(youth).items()
              if not n.startswith("_") and not isinstance(v, types.ModuleType)}
    assert public - set(youth.__all__) == set()


def test_the_package_is_marked_typed():
    assert (PACKAGE / "py.typed").is_file()


def _public_methods():
    for name in sorted(dir(youth.Registry)):
        obj = getattr(youth.Registry, name)
        if not name.startswith("_") and inspect.isfunction(obj):
            yield name, obj


def test_every_registry_method_has_hints_and_a_docstring():
    missing = []
    for name, fn in _public_methods():
        sig = inspect.signature(fn)
        hints = typing.get_type_hints(fn)  # every annotation resolves
        if sig.return_annotation is inspect.Signature.empty or "return" not in hints:
            missing.append(name)
        assert inspect.getdoc(fn), name
    assert missing == []
    for prop in ("path", "readonly", "schema_version", "closed", "actor", "audited"):
        assert "return" in typing.get_type_hints(getattr(youth.Registry, prop).fget), prop


def test_hints_name_the_records():
    R = youth.Registry
    assert typing.get_type_hints(R.persons)["return"] == youth.Records[youth.Person]
    assert typing.get_type_hints(R.enrollments)["return"] == youth.Records[youth.Enrollment]
    assert typing.get_type_hints(R.get_course)["return"] is youth.Course
    assert typing.get_type_hints(R.add_exchange)["exchange"] is youth.Exchange
    assert typing.get_type_hints(R.report)["return"] is youth.Report
    person = typing.get_type_hints(youth.Person)
    assert person["id"] == typing.Optional[int]
    assert person["consent"] is bool
    assert person["job_profiles"] == typing.List[str]
    assert typing.get_type_hints(youth.Place)["level"] is str
    assert typing.get_type_hints(youth.Report.to_csv)["return"] == typing.Optional[str]


def test_help_reads_without_the_swig_layer():
    text = pydoc.render_doc(youth.Registry, renderer=pydoc.plaintext)
    for noise in ("youth.capi", "SwigPyObject", "<lambda>", "_Method", "proxy of"):
        assert noise not in text
    for name, _ in _public_methods():
        assert re.search(r"\b%s\(self" % name, text), name
    assert "Records[youth.person.Person]" in text or "Records[Person]" in text


def test_records_type_is_generic_and_documented():
    assert inspect.getdoc(youth.Records).startswith("The records an iteration")
    assert inspect.getdoc(youth.Records.to_pandas)
    assert youth.Records[youth.Person] is not None
    hints = typing.get_type_hints(youth.Records.__next__)
    assert isinstance(hints["return"], typing.TypeVar)


def test_dates_read_back_as_dates(reg):
    from conftest import make_person
    p = reg.add_person(make_person())
    assert isinstance(next(iter(reg.persons())).birth_date, datetime.date)
    assert dataclasses.is_dataclass(p)
