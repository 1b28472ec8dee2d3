"""Outcome follow-ups: youth.capi and the Registry."""

import dataclasses
import datetime
import re

import pytest

import youth
from youth import capi
from conftest import EXAMPLE_DATA, TOP_SRCDIR

D = datetime.date


def c_field_names(fn):
    names, i = [], 0
    while True:
        name = fn(i)
        if name is None:
            return names
        names.append(name)
        i += 1


@dataclasses.dataclass
class Env:
    reg: youth.Registry
    exchange: youth.Exchange
    operator: youth.Operator
    employer: youth.Employer
    people: dict

    def followup(self, who="maria", **kw):
        values = dict(person_id=self.people[who].id, operator_id=self.operator.id,
                      date=D(2009, 10, 1), horizon_months=6, status="unemployed")
        values.update(kw)
        return youth.Followup(**values)


@pytest.fixture
def env(reg, people):
    ex = reg.add_exchange(youth.Exchange(code="SON-C", name="Bolsa Sonsonate Centro",
                                         place="Sonzacate"))
    op = reg.add_operator(youth.Operator(exchange_id=ex.id, given_names="Ana",
                                         first_surname="Rivas", role="placement"))
    emp = reg.add_employer(youth.Employer(name="Panadería La Espiga"))
    return Env(reg, ex, op, emp, people)


def test_capi_mirrors_followup_h():
    text = (TOP_SRCDIR / "include" / "youth" / "followup.h").read_text(encoding="utf-8")
    names = set(re.findall(r"YOUTH_EXTERN\([^)]*\)\s*(youth_\w+)\s*\(", text))
    not_mirrored = {"youth_followup_%s" % f for f in ("init", "free", "set_field", "get_field")}
    assert len(names) > 12
    assert sorted(n for n in names - not_mirrored if not callable(getattr(capi, n, None))) == []
    assert sorted(n for n in not_mirrored if hasattr(capi, n)) == []


def test_dataclass_mirrors_the_c_fields():
    assert [f.name for f in dataclasses.fields(youth.Followup)] == \
        c_field_names(capi.youth_followup_field_name)
    assert youth.FOLLOWUP_STATUSES == {"employed_formal": 1, "employed_informal": 2,
                                       "self_employed": 3, "studying": 4, "unemployed": 5,
                                       "neet": 6}


def test_capi_calls(env):
    r = env.reg._reg
    ids = capi.youth_followup_add(r, {"person_id": str(env.people["maria"].id),
                                      "operator_id": str(env.operator.id),
                                      "date": "2009-10-01", "horizon_months": "3",
                                      "status": "studying"})
    assert set(ids) == {"id", "uuid"}
    assert capi.youth_followup_get(r, ids["id"])["status"] == "studying"
    assert capi.youth_followup_latest(r, env.people["maria"].id)["id"] == str(ids["id"])
    assert capi.youth_followup_count(r, capi.YOUTH_FOLLOWUP_STUDYING, 3, None, None) == 1
    it = capi.youth_followup_iter_range(r, 0, "2009-01-01", "2009-12-31")
    try:
        assert capi.youth_followup_next(it)["id"] == str(ids["id"])
        assert capi.youth_followup_next(it) is None
    finally:
        capi.youth_followup_iter_free(it)
    assert capi.youth_followup_delete(r, ids["id"]) is None
    with pytest.raises(youth.NotFoundError):
        capi.youth_followup_get(r, ids["id"])


def test_add_get_update_delete(env):
    reg = env.reg
    f = reg.add_followup(env.followup(notes="Busca empleo en panaderías"))
    assert f.id > 0 and len(f.uuid) == 36 and f.exchange_id == env.exchange.id
    assert f.date == D(2009, 10, 1) and f.horizon_months == 6 and f.status == "unemployed"
    assert f.employer_id is None and f.service is None and f.service_id is None
    assert reg.get_followup(f.id) == f
    g = reg.update_followup(dataclasses.replace(f, status="employed_formal",
                                                employer_id=env.employer.id, notes=None))
    assert g.status == "employed_formal" and g.employer_id == env.employer.id
    assert g.notes is None and g.uuid == f.uuid
    reg.delete_followup(g)
    with pytest.raises(youth.NotFoundError):
        reg.get_followup(f.id)
    with pytest.raises(youth.NotFoundError):
        reg.delete_followup(f.id)


def test_rules(env):
    reg = env.reg
    with pytest.raises(youth.InvalidError) as info:      # employed needs an employer
        reg.add_followup(env.followup(status="employed_formal"))
    assert info.value.field == "employer_id"
    with pytest.raises(youth.InvalidError) as info:      # and the others name none
        reg.add_followup(env.followup(employer_id=env.employer.id))
    assert info.value.field == "employer_id"
    with pytest.raises(youth.InvalidError) as info:
        reg.add_followup(env.followup(horizon_months=61))
    assert info.value.field == "horizon_months"
    with pytest.raises(youth.InvalidError) as info:
        reg.add_followup(env.followup(date=D(2009, 3, 1)))  # before the census
    assert info.value.field == "date"
    with pytest.raises(youth.InvalidError) as info:
        reg.add_followup(env.followup(status="retired"))
    assert info.value.field == "status"
    with pytest.raises(youth.NotFoundError):
        reg.add_followup(env.followup(person_id=999))
    reg.add_followup(env.followup())
    with pytest.raises(youth.ExistsError):              # same person, service and horizon
        reg.add_followup(env.followup(date=D(2009, 10, 2)))
    reg.update_operator(dataclasses.replace(env.operator, active=False))
    with pytest.raises(youth.RuleError) as info:
        reg.add_followup(env.followup(horizon_months=12))
    assert info.value.field == "operator_id"
    with pytest.raises(TypeError):
        reg.add_followup(youth.Person())


def test_service_reference(env):
    reg, p = env.reg, env.people
    reg.load_rules(EXAMPLE_DATA / "rules.yaml")
    course = reg.add_course(youth.Course(code="SOLD", title="Soldadura", provider="INSAFORP",
                                         hours=120))
    cohort = reg.add_cohort(youth.Cohort(course_id=course.id, exchange_id=env.exchange.id,
                                         code="SOLD-1", start_date=D(2009, 4, 1),
                                         end_date=D(2009, 6, 30), place="Sonzacate",
                                         capacity=5))
    e = reg.apply(youth.Enrollment(cohort_id=cohort.id, person_id=p["maria"].id,
                                   operator_id=env.operator.id, applied_date=D(2009, 3, 20)))
    f = reg.add_followup(env.followup(service="enrollment", service_id=e.id))
    assert (f.service, f.service_id) == ("enrollment", e.id)
    with pytest.raises(youth.InvalidError):             # enrollment of another person
        reg.add_followup(env.followup("luis", service="enrollment", service_id=e.id))
    with pytest.raises(youth.InvalidError):             # service without its id
        reg.add_followup(env.followup(service="counselling", horizon_months=3))
    g = reg.add_followup(env.followup(service="counselling", service_id=7))
    assert g.service_id == 7


def test_iterate_latest_and_count(env):
    reg, p = env.reg, env.people
    a = reg.add_followup(env.followup(date=D(2009, 12, 1), horizon_months=12,
                                      status="employed_formal", employer_id=env.employer.id))
    b = reg.add_followup(env.followup(date=D(2009, 6, 1), horizon_months=3))
    c = reg.add_followup(env.followup("luis", date=D(2009, 9, 1), horizon_months=6,
                                      status="employed_formal", employer_id=env.employer.id))
    d = reg.add_followup(env.followup("luis", date=D(2010, 3, 1), horizon_months=12,
                                      status="neet"))
    assert [f.id for f in reg.followups()] == [b.id, c.id, a.id, d.id]      # date order
    assert [f.id for f in reg.followups(person=p["maria"])] == [b.id, a.id]
    assert [f.id for f in reg.followups(status="employed_formal")] == [c.id, a.id]
    assert [f.id for f in reg.followups(from_=D(2009, 9, 1), to="2009-12-31")] == [c.id, a.id]
    assert [f.id for f in reg.followups(person=p["luis"], status="employed_formal")] == [c.id]
    assert reg.latest_followup(p["maria"]) == a
    assert reg.latest_followup(p["luis"].id).id == d.id
    with pytest.raises(youth.NotFoundError):
        reg.latest_followup(p["ana"])
    assert reg.followup_count() == 4
    assert reg.followup_count("employed_formal") == 2
    assert reg.followup_count("employed_formal", 6) == 1
    assert reg.followup_count(horizon=12) == 2
    assert reg.followup_count(from_="2009-01-01", to=D(2009, 12, 31)) == 3
    assert reg.followup_count("neet", 12, "2009-01-01", "2009-12-31") == 0
    with pytest.raises(youth.InvalidError):
        reg.followup_count(from_=D(2010, 1, 1), to=D(2009, 1, 1))
    with pytest.raises(youth.InvalidError):
        reg.followup_count("fishing")
    with pytest.raises(TypeError):
        reg.followup_count(horizon="6")
    gen = reg.followups()
    assert next(gen).id == b.id
    gen.close()
