"""youth.kinds(): the C library's description of its kinds of record, and that the package's
dataclasses are built from it (same fields, conversions and read-only flags), so that a field
added in C cannot be forgotten here."""

import dataclasses
import datetime
import decimal
import inspect
import re
import typing
from typing import List, Optional, Union

import pytest

import youth
from youth import capi, records
from conftest import TOP_SRCDIR, make_person

# Every dataclass of the package bound to a C kind (found, so that a new one is tested too).
CLASSES = {cls._youth_kind["name"]: cls for cls in vars(youth).values()
           if isinstance(cls, type) and hasattr(cls, "_youth_kind")}


def test_every_record_class_is_bound():
    assert CLASSES == {
        "person": youth.Person, "exchange": youth.Exchange, "operator": youth.Operator,
        "employer": youth.Employer, "course": youth.Course, "cohort": youth.Cohort,
        "enrollment": youth.Enrollment, "counselling_session": youth.CounsellingSession,
        "counselling_participant": youth.Participant, "scholarship": youth.Scholarship,
        "scholarship_placement": youth.Placement,
        "scholarship_installment": youth.Installment,
        "scholarship_payment": youth.ScholarshipPayment, "followup": youth.Followup,
        "group": youth.Group, "group_member": youth.GroupMember, "plan": youth.Plan,
        "plan_disbursement": youth.Disbursement, "plan_visit": youth.Visit,
        "business_service": youth.BusinessService, "programme": youth.Programme,
        "place": youth.Place, "override": youth.OverrideRecord,
    }


TYPES = {"id", "uuid", "text", "date", "enum", "bool", "int", "money", "ref", "count"}

# A text of each C type, and the Python value it is read back as.
SAMPLES = {
    "id": ("42", 42),
    "ref": ("9", 9),
    "uuid": ("123e4567-e89b-42d3-a456-426614174000", "123e4567-e89b-42d3-a456-426614174000"),
    "text": ("Hernández", "Hernández"),
    "date": ("2009-03-02", datetime.date(2009, 3, 2)),
    "bool": ("true", True),
    "int": ("-7", -7),
    "count": ("0", 0),
    "money": ("125.50", decimal.Decimal("125.50")),
}


def test_description_is_complete():
    kinds = youth.kinds()
    assert kinds is youth.kinds()  # read once
    assert list(kinds) == [k["name"] for k in capi.youth_py_kinds()]
    assert set(CLASSES) <= set(kinds)
    assert {"place", "programme", "override"} <= set(kinds)
    for name, kind in kinds.items():
        assert kind["name"] == name
        assert kind["label"] and kind["doc"]
        assert kind["fields"]
        seen = set()
        for f in kind["fields"]:
            assert set(f) == {"name", "type", "readonly", "list", "default_on", "optional",
                              "required", "past", "code", "max_bytes", "privacy",
                              "vocabulary", "refers_to", "doc"}
            assert set(f["privacy"]) <= {"identifying", "contact", "name", "free_text",
                                         "quasi"}, (name, f)
            assert isinstance(f["max_bytes"], int) and f["max_bytes"] >= 0
            if f["max_bytes"] or f["code"]:
                assert f["type"] == "text", (name, f)
            if f["past"]:
                assert f["type"] == "date" and f["required"], (name, f)
            assert f["name"] not in seen
            seen.add(f["name"])
            assert f["type"] in TYPES, (name, f)
            assert f["doc"], (name, f["name"])
            for flag in ("readonly", "list", "default_on", "optional", "required", "past",
                         "code"):
                assert isinstance(f[flag], bool)
            if f["optional"]:
                assert f["type"] in ("count", "money"), (name, f)
            if f["type"] == "enum":
                assert f["vocabulary"] and all(isinstance(v, str) for v in f["vocabulary"])
            else:
                assert f["vocabulary"] is None
            if f["type"] == "ref":
                # a follow-up's service and an audit entry's record may be of several kinds
                assert f["refers_to"] in kinds or (f["refers_to"] is None
                                                   and f["name"] in ("service_id", "record_id"))
            else:
                assert f["refers_to"] is None


def test_field_rules_are_published():
    """The rules a form can apply before calling the library come with the description."""
    def field(kind, name):
        return next(f for f in youth.kinds()[kind]["fields"] if f["name"] == name)
    assert field("course", "title")["required"] and field("course", "title")["max_bytes"] == 120
    assert field("course", "code")["code"] and field("course", "code")["max_bytes"] == 16
    assert not field("course", "job_profile")["required"]
    assert field("enrollment", "applied_date")["past"]
    assert field("cohort", "course_id")["required"]
    assert field("plan", "requested")["required"]
    assert not field("enrollment", "state")["required"]  # read-only: the library's
    # What leaves the registry in an export (docs/privacy.md) is published too.
    assert field("person", "national_id")["privacy"] == ["identifying"]
    assert field("person", "phone")["privacy"] == ["contact"]
    assert "quasi" in field("person", "birth_date")["privacy"]
    assert field("course", "title")["privacy"] == []


def test_vocabularies_are_the_c_ones():
    fields = {f["name"]: f for f in youth.kinds()["person"]["fields"]}
    assert fields["sex"]["vocabulary"] == ["female", "male"]
    assert fields["sex"]["type"] == "enum"
    assert fields["birth_date"]["type"] == "date"
    role = next(f for f in youth.kinds()["operator"]["fields"] if f["name"] == "role")
    assert role["vocabulary"] == list(youth.ROLES)
    status = next(f for f in youth.kinds()["followup"]["fields"] if f["name"] == "status")
    assert status["vocabulary"] == list(youth.FOLLOWUP_STATUSES)
    assert status["doc"]
    visit = {f["name"]: f for f in youth.kinds()["plan_visit"]["fields"]}
    assert visit["jobs_created"]["type"] == "count"
    assert visit["monthly_sales"]["type"] == "money"
    assert visit["plan_id"]["refers_to"] == "plan"
    assert visit["exchange_id"]["readonly"]


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_dataclass_agrees_with_the_c_kind(kind):
    cls = CLASSES[kind]
    c_fields = youth.kinds()[kind]["fields"]
    assert [f.name for f in dataclasses.fields(cls)] == [f["name"] for f in c_fields]
    # Read-only fields are never sent to C; every other field is.
    sent = records.to_fields(cls, records.from_fields(cls, {}), kind)
    assert list(sent) == [f["name"] for f in c_fields if not f["readonly"]]


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_each_type_round_trips(kind):
    cls = CLASSES[kind]
    texts = {}
    for f in youth.kinds()[kind]["fields"]:
        if f["type"] == "enum":
            texts[f["name"]] = f["vocabulary"][-1]
        elif f["list"]:
            texts[f["name"]] = "cook, baker"
        else:
            texts[f["name"]] = SAMPLES[f["type"]][0]
    record = records.from_fields(cls, texts)
    for f in youth.kinds()[kind]["fields"]:
        value = getattr(record, f["name"])
        if f["type"] == "enum":
            assert value == texts[f["name"]]
        elif f["list"]:
            assert value == ["cook", "baker"]
        else:
            expected = SAMPLES[f["type"]][1]
            assert value == expected and type(value) is type(expected), (f["name"], value)
    sent = records.to_fields(cls, record, kind)
    assert sent == {f["name"]: texts[f["name"]] for f in youth.kinds()[kind]["fields"]
                    if not f["readonly"]}
    # Unset fields read back as the dataclass defaults (None, 0 for a count, [] for a list;
    # None where a complete record has no default).
    unset = records.from_fields(cls, {})
    for f in dataclasses.fields(cls):
        if f.type is bool or f.name == "active" or f.name == "attended":
            continue
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING \
            else f.default
        if default is dataclasses.MISSING:
            default = None
        assert getattr(unset, f.name) == default, f.name


def test_a_dataclass_that_drifts_is_refused_at_import():
    @dataclasses.dataclass
    class Missing:
        id: int = None
        uuid: str = None
        code: str = None

    with pytest.raises(TypeError, match="course"):
        records.record("course")(Missing)

    names = [f["name"] for f in youth.kinds()["exchange"]["fields"]]
    Extra = dataclasses.make_dataclass("Extra", [(n, object, None) for n in names]
                                       + [("colour", object, None)])
    with pytest.raises(TypeError, match="colour"):
        records.record("exchange")(Extra)
    Swapped = dataclasses.make_dataclass("Swapped", [(n, object, None)
                                                     for n in reversed(names)])
    with pytest.raises(TypeError):
        records.record("exchange")(Swapped)

    # The list fields are the C kind's, both ways.
    person = [(f.name, f.type, dataclasses.field(default_factory=list)
               if f.default_factory is list else None)
              for f in dataclasses.fields(youth.Person)]
    NotList = dataclasses.make_dataclass(
        "NotList", [(n, t, None if n == "job_profiles" else d) for n, t, d in person])
    with pytest.raises(TypeError, match="job_profiles: a list"):
        records.record("person")(NotList)
    AList = dataclasses.make_dataclass(
        "AList", [(n, t, dataclasses.field(default_factory=list) if n == "given_names" else d)
                  for n, t, d in person])
    with pytest.raises(TypeError, match="given_names: not a list"):
        records.record("person")(AList)
    assert records.record("person")(dataclasses.make_dataclass("Same", person))


def test_person_round_trips_through_the_registry(reg):
    p = make_person(job_profiles=["cook", "baker"], household_size=None, studying=True)
    stored = reg.add_person(p)
    got = reg.get_person(stored.id)
    assert isinstance(got.id, int) and got.id == stored.id
    assert isinstance(got.birth_date, datetime.date)
    assert got.job_profiles == ["cook", "baker"]
    assert got.household_size is None
    assert got.studying is True and got.disability is False
    assert got.sex == p.sex


def test_optional_counts_and_amounts():
    """An enrollment's attendance (0 % is a value) and a scholarship's stipend (none before a
    placement) say in the description that they may be unset; read back, unset is None and
    0 % stays 0."""
    fields = {(k, f["name"]): f for k, kind in youth.kinds().items() for f in kind["fields"]}
    attendance = fields["enrollment", "attendance"]
    assert (attendance["type"], attendance["optional"], attendance["readonly"]) == \
        ("count", True, True)
    stipend = fields["scholarship", "monthly_stipend"]
    assert (stipend["type"], stipend["optional"], stipend["readonly"]) == ("money", True, True)
    assert not fields["scholarship_placement", "monthly_stipend"]["optional"]
    assert [key for key, f in fields.items() if f["optional"]] == [
        ("enrollment", "attendance"), ("scholarship", "monthly_stipend")]
    assert records.from_fields(youth.Enrollment, {"attendance": None}).attendance is None
    assert records.from_fields(youth.Enrollment, {"attendance": "0"}).attendance == 0
    assert records.from_fields(youth.Scholarship, {}).monthly_stipend is None


def test_list_fields():
    """The fields kept as one text of items separated by ", " say so in the description."""
    lists = [(k, f["name"]) for k, kind in youth.kinds().items() for f in kind["fields"]
             if f["list"]]
    assert lists == [("programme", "places"), ("programme", "census_rounds"),
                     ("person", "job_profiles")]
    assert all(f["type"] == "text" for kind in youth.kinds().values()
               for f in kind["fields"] if f["list"])
    p = records.from_fields(youth.Person, {"job_profiles": "cook, baker"})
    assert p.job_profiles == ["cook", "baker"]
    assert records.from_fields(youth.Person, {}).job_profiles == []


def test_vocabulary_arguments_by_name(reg):
    """State and window arguments are names of the C vocabularies (one conversion for all)."""
    assert reg.plan_count(window="female_window", state="draft") == 0
    assert reg.plan_count(window=None, state=None) == 0
    with pytest.raises(youth.InvalidError) as e:
        list(reg.groups(window="womens"))
    assert e.value.field == "window"
    assert "window 'womens': not one of youth_seed, female_window" in str(e.value)
    with pytest.raises(TypeError, match="window: expected a name, got bool"):
        reg.plan_count(window=True)
    with pytest.raises(TypeError, match="state: expected a state name, got NoneType"):
        reg.set_enrollment_state(1, None, "2009-05-01")
    with pytest.raises(youth.InvalidError, match="state 'finished': not one of"):
        reg.set_counselling_session_state(1, "finished", "2009-05-01")


# ---- the classes are generated from the description ------------------------------------

DATE_IN = Union[datetime.date, str]
MONEY_IN = Union[decimal.Decimal, int, str]
# The one Python-only default: the roster size of a session reads 0 as 0 (in C an int whose 0
# is unset).
PYTHON_DEFAULTS = {("counselling_session", "participants"): 0}
# Records the library only hands over, whole (frozen, every attribute required and of its plain
# type), and the one Python-only type: a place's level is its name.
COMPLETE = {"place", "override"}
PYTHON_TYPES = {("place", "level"): str}


def expected_attribute(kind, f):
    """What docs/python.md promises for a C field: (type, default) -- written out here, not
    taken from records.py, so that the test checks the generator."""
    if (kind, f["name"]) in PYTHON_TYPES:
        return PYTHON_TYPES[kind, f["name"]], dataclasses.MISSING
    if f["list"]:
        return List[str], dataclasses.MISSING if kind in COMPLETE else []
    if f["type"] == "bool":
        return bool, dataclasses.MISSING if kind in COMPLETE else f["default_on"]
    plain = {"id": int, "ref": int, "int": int, "count": int, "uuid": str, "text": str,
             "enum": str,
             "date": datetime.date if f["readonly"] else DATE_IN,
             "money": decimal.Decimal if f["readonly"] else MONEY_IN}[f["type"]]
    if kind in COMPLETE:
        return plain, dataclasses.MISSING
    if (kind, f["name"]) in PYTHON_DEFAULTS:
        return plain, PYTHON_DEFAULTS[kind, f["name"]]
    return Optional[plain], None


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_every_c_field_is_an_attribute_of_its_type(kind):
    """Every field of the C kind, and nothing else, is an attribute of the class with the
    Python type and default of its C type and flags."""
    cls = CLASSES[kind]
    c_fields = youth.kinds()[kind]["fields"]
    hints = typing.get_type_hints(cls)
    assert list(hints) == [f["name"] for f in c_fields]
    defaults = {f.name: f.default_factory() if f.default_factory is not dataclasses.MISSING
                else f.default for f in dataclasses.fields(cls)}
    for f in c_fields:
        py_type, default = expected_attribute(kind, f)
        assert hints[f["name"]] == py_type, (kind, f["name"], hints[f["name"]])
        assert defaults[f["name"]] == default, (kind, f["name"])
    assert set(defaults) == set(hints)
    assert dataclasses.is_dataclass(cls)
    assert cls.__dataclass_params__.frozen == (kind in COMPLETE)
    # Keyword construction, equality and repr of a dataclass.
    values = {f["name"]: None for f in c_fields}
    value = cls(**values)
    assert value == cls(*values.values()) and repr(value).startswith(cls.__name__ + "(")


def test_a_field_added_in_c_appears_in_python(monkeypatch):
    """The classes are generated: a field added to a kind's description (here by editing the
    description the package read) becomes an attribute, is sent to C and read back, with no
    edit of the Python package."""
    described = {name: dict(kind, fields=list(kind["fields"]))
                 for name, kind in youth.kinds().items()}
    described["plan_visit"]["fields"].append({
        "name": "photos", "type": "count", "readonly": False, "list": False,
        "default_on": False, "optional": False, "required": False, "past": False,
        "code": False, "max_bytes": 0, "privacy": [], "vocabulary": None, "refers_to": None,
        "doc": "Photographs taken."})
    described["plan_visit"]["fields"].append({
        "name": "checked_date", "type": "date", "readonly": True, "list": False,
        "default_on": False, "optional": False, "required": False, "past": False,
        "code": False, "max_bytes": 0, "privacy": [], "vocabulary": None, "refers_to": None,
        "doc": "Set by the library."})
    monkeypatch.setattr(records, "_KINDS", described)

    @records.record("plan_visit")
    class Visit:
        """A visit."""

    hints = typing.get_type_hints(Visit)
    assert list(hints)[-2:] == ["photos", "checked_date"]
    assert hints["photos"] == Optional[int]
    assert hints["checked_date"] == Optional[datetime.date]
    assert Visit().photos is None and Visit.__doc__ == "A visit."
    sent = records.to_fields(Visit, Visit(plan_id=3, photos=4), "add_visit")
    assert sent["photos"] == "4" and "checked_date" not in sent  # read-only: never sent
    got = records.from_fields(Visit, {"photos": "12", "checked_date": "2009-05-01"})
    assert got.photos == 12 and got.checked_date == datetime.date(2009, 5, 1)


def test_a_record_class_declares_no_fields():
    """Fields come from C only: a class that declares some of its own (not being a finished
    dataclass), a Python-only default for no field, or an attribute hiding a field is
    refused."""
    class Own:
        colour: str = "red"

    with pytest.raises(TypeError, match="colour"):
        records.record("course")(Own)

    class Plain:
        """A course."""

    with pytest.raises(TypeError, match="colour"):
        records.record("course", defaults={"colour": 1})(Plain)

    class Hiding:
        def title(self):
            return "x"

    with pytest.raises(TypeError, match="title"):
        records.record("course")(Hiding)


def test_full_and_partial_dicts_read_alike(reg):
    """The SWIG layer's complete dicts take the fast path (unpacked by position); a partial
    dict is read field by field; both give the same record."""
    stored = reg.add_person(make_person(job_profiles=["cook"], studying=True))
    full = capi.youth_person_get(reg._reg, stored.id)
    assert list(full) == [f["name"] for f in youth.kinds()["person"]["fields"]]
    assert records.from_fields(youth.Person, full) == stored
    partial = {k: v for k, v in reversed(list(full.items())) if v is not None}
    assert len(partial) < len(full)
    assert records.from_fields(youth.Person, partial) == stored


# Every Registry method declared from a generic implementation, with its signature as it was
# written by hand before (keyword arguments and defaults included).
DECLARED = {
    "add_course": "(self, course)", "update_course": "(self, course)",
    "get_course": "(self, key)", "courses": "(self)", "cohorts": "(self, course=None)",
    "apply": "(self, enrollment, override=None)",
    "set_enrollment_state": "(self, enrollment, state, date, reason=None)",
    "set_attendance": "(self, enrollment, percent)",
    "record_session": "(self, enrollment, date, present=True)",
    "enrollments": "(self, cohort=None, person=None)",
    "add_participant": "(self, participant, override=None)",
    "participants": "(self, session=None, person=None)",
    "activate_scholarship": "(self, scholarship, date, placement)",
    "scholarships": "(self, person=None, employer=None)",
    "installments": "(self, scholarship)",
    "plans": "(self, window=None, person=None, group=None)",
    "submit_plan": "(self, plan, date, override=None)",
    "approve_plan": "(self, plan, date, amount)",
    "business_services": "(self, group=None, plan=None)",
    "operators": "(self, exchange=None)", "load_rules_data": "(self, data, name=None)",
}


def _unannotated(sig):
    """``sig`` without its type hints (test_typing.py checks those): names, order, defaults."""
    empty = inspect.Signature.empty
    return sig.replace(parameters=[p.replace(annotation=empty) for p in sig.parameters.values()],
                       return_annotation=empty)


def test_declared_methods_look_hand_written():
    for name, signature in DECLARED.items():
        method = getattr(youth.Registry, name)
        assert inspect.isfunction(method), name
        assert method.__name__ == name
        assert str(_unannotated(inspect.signature(method))) == signature, name
        assert method.__qualname__.endswith("Mixin." + name), method.__qualname__
    for name, method in inspect.getmembers(youth.Registry, inspect.isfunction):
        if not name.startswith("_"):
            assert inspect.getdoc(method), name
    assert "youth.NotFoundError" in inspect.getdoc(youth.Registry.get_cohort)
    assert inspect.getdoc(youth.Registry.add_course).startswith("Validates and stores")


def test_declared_methods_take_keywords(reg):
    course = reg.add_course(course=youth.Course(code="PAN-1", title="Panadería",
                                                provider="INSAFORP", hours=120))
    assert reg.get_course(key="PAN-1") == course == reg.get_course(course.id)
    assert list(reg.courses()) == [course]
    assert list(reg.cohorts(course="PAN-1")) == list(reg.cohorts(course=course)) == []
    with pytest.raises(TypeError, match="course: expected an int id or a youth.Course, got"):
        list(reg.cohorts(course=1.5))
    with pytest.raises(TypeError, match="session: expected an int id or a "
                                        "youth.CounsellingSession, got str"):
        reg.close_counselling_session("7", "2009-05-01")
    with pytest.raises(TypeError):
        reg.add_course(youth.Course(), colour="red")


def test_python_md_description_example_holds():
    """The example of docs/python.md's section on youth.kinds() gives what its comments say."""
    text = (TOP_SRCDIR / "docs" / "python.md").read_text(encoding="utf-8")
    section = text[text.index("## The description of the records"):]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    scope = {"youth": youth}
    checked = 0
    for line in block.splitlines():
        code, _, comment = line.partition("#")
        code = code.strip()
        if "=" in code.replace("==", "") and not code.startswith(("list(", "visit[")):
            exec(code, scope)
            continue
        literal = re.match(r"\s*((?:'[^']*')|(?:\[[^\]]*\]))", comment)
        if code and literal:
            assert eval(code, scope) == eval(literal.group(1)), line
            checked += 1
    assert checked >= 4


def test_python_md_class_tables_name_real_attributes():
    """The tables of docs/python.md that list a class's attributes name attributes the class
    has (generated from C, or a Python-only property such as ``full_name``; a name of a
    vocabulary or a type may stand beside them), and what they call "set by the library" is
    read-only in C."""
    text = (TOP_SRCDIR / "docs" / "python.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `youth\.(\w+)`[^|]*\| (.*) \|$", text, re.M)
    seen = set()
    for name, attributes in rows:
        cls = getattr(youth, name)
        if cls not in CLASSES.values():
            continue  # a summary (ScholarshipBalance...), not a record of the library
        fields = {f["name"]: f for f in cls._youth_kind["fields"]}
        given, _, by_library = attributes.partition("set by the library:")
        values = {v for f in fields.values() for v in f["vocabulary"] or ()}
        named = set(re.findall(r"`([a-z_]+)`", attributes)) - {"bool", "int", "str"} - values
        extras = {t for t in named - set(fields) if isinstance(getattr(cls, t, None), property)}
        assert named and named - extras <= set(fields), (name, named - extras - set(fields))
        for t in set(re.findall(r"`([a-z_]+)`", by_library)) & set(fields):
            assert fields[t]["readonly"], (name, t)
        seen.add(cls)
    assert {youth.Exchange, youth.Course, youth.Plan, youth.Scholarship} <= seen
    assert len(seen) >= 15, seen
