"""Seed capital: groups, plans, disbursements, visits, business services."""

import dataclasses
import datetime
import re
from decimal import Decimal

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
    people: dict

    def plan(self, who="maria", **kw):
        values = dict(window="youth_seed", person_id=self.people[who].id, title="Pupusería",
                      sector="food", description="Pupusas y refrescos en el mercado",
                      requested=Decimal("1500.00"), drafted_date=D(2009, 5, 1),
                      operator_id=self.operator.id)
        values.update(kw)
        return youth.Plan(**values)

    def approved(self, amount=Decimal("1200.50"), **kw):
        reg = self.reg
        p = reg.add_plan(self.plan(**kw))
        reg.submit_plan(p, D(2009, 5, 5))
        reg.appraise_plan(p, D(2009, 5, 10))
        return reg.approve_plan(p, D(2009, 5, 15), amount)

    def pay(self, plan, amount, date, reference):
        return youth.Disbursement(plan_id=plan.id, amount=amount, date=date,
                                  reference=reference, operator_id=self.operator.id)


@pytest.fixture
def env(reg, people):
    reg.load_rules(EXAMPLE_DATA / "rules.yaml")
    ex = reg.add_exchange(youth.Exchange(code="SON-C", name="Bolsa Sonsonate Centro",
                                         place="Sonzacate"))
    op = reg.add_operator(youth.Operator(exchange_id=ex.id, given_names="Ana",
                                         first_surname="Rivas", role="coordinator"))
    return Env(reg, ex, op, people)


# ---- the SWIG layer ----------------------------------------------------------------------

def test_capi_mirrors_enterprise_h():
    text = (TOP_SRCDIR / "include" / "youth" / "enterprise.h").read_text(encoding="utf-8")
    names = set(re.findall(r"YOUTH_EXTERN\([^)]*\)\s*(youth_\w+)\s*\(", text))
    kinds = ("group", "group_member", "plan", "plan_disbursement", "plan_visit", "business_service")
    not_mirrored = {"youth_%s_%s" % (k, f) for k in kinds
                    for f in ("init", "free", "set_field", "get_field")}
    assert len(names) > 60
    assert sorted(n for n in names - not_mirrored if not callable(getattr(capi, n, None))) == []
    assert sorted(n for n in not_mirrored if hasattr(capi, n)) == []


@pytest.mark.parametrize("cls,fn", [
    (youth.Group, capi.youth_group_field_name),
    (youth.GroupMember, capi.youth_group_member_field_name),
    (youth.Plan, capi.youth_plan_field_name),
    (youth.Disbursement, capi.youth_plan_disbursement_field_name),
    (youth.Visit, capi.youth_plan_visit_field_name),
    (youth.BusinessService, capi.youth_business_service_field_name),
])
def test_dataclasses_mirror_the_c_fields(cls, fn):
    assert [f.name for f in dataclasses.fields(cls)] == c_field_names(fn)


def test_vocabularies_come_from_c():
    assert youth.WINDOWS == {"youth_seed": 1, "female_window": 2}
    assert list(youth.PLAN_STATES) == ["draft", "submitted", "appraised", "approved",
                                       "rejected", "funded", "operating", "closed"]
    assert youth.BUSINESS_SERVICE_KINDS == {"mentoring": 1, "training": 2, "market_access": 3}


def test_former_name_of_the_service_kinds_still_works_and_warns():
    with pytest.warns(DeprecationWarning, match="BUSINESS_SERVICE_KINDS"):
        old = youth.BDS_KINDS
    assert old is youth.BUSINESS_SERVICE_KINDS
    assert "BDS_KINDS" not in youth.__all__
    with pytest.raises(AttributeError):
        youth.NO_SUCH_NAME


def test_capi_calls(env):
    r = env.reg._reg
    ids = capi.youth_plan_add(r, {"window": "youth_seed",
                                  "person_id": str(env.people["maria"].id),
                                  "title": "Taller", "sector": "tailoring",
                                  "description": "Costura", "requested": "800",
                                  "drafted_date": "2009-05-01",
                                  "operator_id": str(env.operator.id)})
    assert set(ids) == {"id", "uuid"}
    got = capi.youth_plan_get(r, ids["id"])
    assert got["requested"] == "800.00" and got["state"] == "draft"
    assert capi.youth_plan_balance(r, ids["id"]) == {"approved": 0, "disbursed": 0,
                                                     "remaining": 0}
    capi.youth_plan_submit(r, ids["id"], "2009-05-02", None)
    capi.youth_plan_appraise(r, ids["id"], "2009-05-03")
    assert capi.youth_plan_approve(r, ids["id"], "2009-05-04", 75025) is None
    assert capi.youth_plan_balance(r, ids["id"]) == {"approved": 75025, "disbursed": 0,
                                                     "remaining": 75025}
    assert capi.youth_plan_count(r, capi.YOUTH_WINDOW_YOUTH_SEED, capi.YOUTH_PLAN_APPROVED) == 1
    assert capi.youth_plan_count_persons(r, 0, 1) == 0
    it = capi.youth_plan_iter_new(r, 0, 0, 0)
    try:
        assert capi.youth_plan_next(it)["id"] == str(ids["id"])
        assert capi.youth_plan_next(it) is None
    finally:
        capi.youth_plan_iter_free(it)


# ---- plans -------------------------------------------------------------------------------

def test_plan_life_cycle_and_money(env):
    reg = env.reg
    p = reg.add_plan(env.plan())
    assert p.id > 0 and p.state == "draft" and p.exchange_id == env.exchange.id
    assert p.requested == Decimal("1500.00") and isinstance(p.requested, Decimal)
    assert p.approved is None or p.approved == Decimal("0")
    assert reg.get_plan(p.id) == p
    p = reg.update_plan(dataclasses.replace(p, requested=Decimal("1499.99"), title="Pupusería"))
    assert p.requested == Decimal("1499.99")
    p = reg.submit_plan(p, D(2009, 5, 5))
    assert p.state == "submitted" and p.state_date == D(2009, 5, 5)
    with pytest.raises(youth.StateError):               # no longer a draft
        reg.update_plan(dataclasses.replace(p, title="Otra"))
    p = reg.appraise_plan(p, D(2009, 5, 10))
    with pytest.raises(youth.RuleError) as info:
        reg.approve_plan(p, D(2009, 5, 15), Decimal("1500.00"))     # above the request
    assert info.value.field == "amount"
    with pytest.raises(TypeError):
        reg.approve_plan(p, D(2009, 5, 15), 1200.5)                 # never a float
    with pytest.raises(youth.InvalidError):
        reg.approve_plan(p, D(2009, 5, 15), Decimal("12.005"))
    p = reg.approve_plan(p, D(2009, 5, 15), Decimal("1200.50"))
    assert p.state == "approved" and p.approved == Decimal("1200.50")
    assert p.approved_date == D(2009, 5, 15)
    assert reg.plan_balance(p) == youth.PlanBalance(Decimal("1200.50"), Decimal("0.00"),
                                                    Decimal("1200.50"))
    d1 = reg.add_disbursement(env.pay(p, Decimal("600.25"), D(2009, 5, 20), "V-001"))
    assert d1.amount == Decimal("600.25") and d1.exchange_id == env.exchange.id
    assert reg.get_disbursement(d1.id) == d1
    assert reg.get_plan(p).state == "funded"
    with pytest.raises(youth.RuleError) as info:
        reg.add_disbursement(env.pay(p, Decimal("600.26"), D(2009, 5, 21), "V-002"))
    assert info.value.field == "amount"
    with pytest.raises(youth.ExistsError):
        reg.add_disbursement(env.pay(p, Decimal("1.00"), D(2009, 5, 21), "V-001"))
    d2 = reg.add_disbursement(env.pay(p, "600.25", D(2009, 5, 22), "V-002"))
    b = reg.plan_balance(p)
    assert (b.approved, b.disbursed, b.remaining) == (Decimal("1200.50"), Decimal("1200.50"),
                                                      Decimal("0.00"))
    assert [d.id for d in reg.disbursements(p)] == [d1.id, d2.id]
    assert [d.id for d in reg.disbursements()] == [d1.id, d2.id]
    p = reg.set_plan_operating(p, D(2009, 6, 1))
    assert p.state == "operating"
    p = reg.close_plan(p, D(2010, 1, 1), "Moved to San Salvador")
    assert p.state == "closed" and p.reason == "Moved to San Salvador"
    with pytest.raises(youth.StateError):
        reg.set_plan_operating(p, D(2010, 1, 2))


def test_plan_state_errors(env):
    reg = env.reg
    p = reg.add_plan(env.plan())
    with pytest.raises(youth.StateError) as info:
        reg.approve_plan(p, D(2009, 5, 15), Decimal("10.00"))
    assert "draft" in str(info.value)
    with pytest.raises(youth.StateError):
        reg.add_disbursement(env.pay(p, Decimal("1.00"), D(2009, 5, 20), "X-1"))
    reg.submit_plan(p, D(2009, 5, 5))
    reg.appraise_plan(p, D(2009, 5, 6))
    p = reg.reject_plan(p, D(2009, 5, 7), "Not viable")
    assert p.state == "rejected" and p.reason == "Not viable"
    with pytest.raises(youth.StateError):
        reg.appraise_plan(p, D(2009, 5, 8))
    with pytest.raises(youth.NotFoundError):
        reg.get_plan(999)


def test_submit_checks_rules(env):
    reg = env.reg
    p = reg.add_plan(env.plan("jose"))                  # no consent
    with pytest.raises(youth.RuleError):
        reg.submit_plan(p, D(2009, 5, 5))
    assert reg.get_plan(p).state == "draft"
    p = reg.submit_plan(p, D(2009, 5, 5), override=youth.Override(env.operator.id, "Signed"))
    assert p.state == "submitted"


def test_visits(env):
    reg = env.reg
    p = env.approved()
    with pytest.raises(youth.StateError):               # not funded yet
        reg.add_visit(youth.Visit(plan_id=p.id, date=D(2009, 5, 25), operating=True,
                                  operator_id=env.operator.id))
    reg.add_disbursement(env.pay(p, Decimal("100.00"), D(2009, 5, 20), "V-9"))
    v = reg.add_visit(youth.Visit(plan_id=p.id, date=D(2009, 6, 1), operating=True,
                                  jobs_created=2, monthly_sales=Decimal("350.75"),
                                  notes="Buen local", operator_id=env.operator.id))
    assert v.operating is True and v.jobs_created == 2
    assert v.monthly_sales == Decimal("350.75") and isinstance(v.monthly_sales, Decimal)
    assert reg.get_visit(v.id) == v
    assert reg.get_plan(p).state == "operating"        # moved by the visit
    with pytest.raises(youth.ExistsError):              # one visit a day
        reg.add_visit(youth.Visit(plan_id=p.id, date=D(2009, 6, 1),
                                  operator_id=env.operator.id))
    w = reg.add_visit(youth.Visit(plan_id=p.id, date=D(2009, 7, 1), operating=False,
                                  operator_id=env.operator.id))
    assert [x.id for x in reg.visits(p)] == [v.id, w.id]
    assert [x.id for x in reg.visits()] == [v.id, w.id]


# ---- groups and the female window --------------------------------------------------------

def test_groups_members_and_services(env):
    reg, people = env.reg, env.people
    g = reg.add_group(youth.Group(name="Mujeres de Santa Eugenia", window="female_window",
                                  operator_id=env.operator.id, formed_date=D(2009, 4, 1)))
    assert g.women_only is True                          # forced for the female window
    assert reg.get_group(g.id) == g
    s = reg.add_group(youth.Group(name="Jóvenes", window="youth_seed",
                                  operator_id=env.operator.id, formed_date=D(2009, 4, 1)))
    assert [x.id for x in reg.groups()] == [g.id, s.id]
    assert [x.id for x in reg.groups(window="female_window")] == [g.id]
    m = reg.add_group_member(youth.GroupMember(group_id=g.id, person_id=people["maria"].id,
                                               joined_date=D(2009, 4, 2),
                                               operator_id=env.operator.id))
    assert reg.get_group_member(m.id) == m
    with pytest.raises(youth.RuleError):                # a man in a women-only group
        reg.add_group_member(youth.GroupMember(group_id=g.id, person_id=people["jose"].id,
                                               joined_date=D(2009, 4, 2),
                                               operator_id=env.operator.id))
    with pytest.raises(youth.ExistsError):
        reg.add_group_member(dataclasses.replace(m, id=None, uuid=None))
    reg.add_group_member(youth.GroupMember(group_id=s.id, person_id=people["maria"].id,
                                           joined_date=D(2009, 4, 2),
                                           operator_id=env.operator.id))
    assert [x.group_id for x in reg.group_members(person=people["maria"])] == [g.id, s.id]
    assert [x.id for x in reg.group_members(group=g)] == [m.id]
    plan = reg.add_plan(env.plan(window="female_window", person_id=None, group_id=g.id))
    assert plan.group_id == g.id and plan.person_id is None
    svc = reg.add_business_service(youth.BusinessService(
        group_id=g.id, kind="training", date=D(2009, 5, 2), hours=8, provider="CONAMYPE",
        operator_id=env.operator.id))
    assert svc.kind == "training" and svc.hours == 8
    assert reg.get_business_service(svc.id) == svc
    svc2 = reg.add_business_service(youth.BusinessService(
        plan_id=plan.id, kind="mentoring", date=D(2009, 5, 3), hours=2, provider="CONAMYPE",
        operator_id=env.operator.id))
    assert [x.id for x in reg.business_services(group=g)] == [svc.id, svc2.id]
    assert [x.id for x in reg.business_services(plan=plan)] == [svc2.id]
    with pytest.raises(youth.RuleError):                # not of the female window
        reg.add_business_service(youth.BusinessService(
            group_id=s.id, kind="training", date=D(2009, 5, 2), hours=8, provider="X",
            operator_id=env.operator.id))


def test_remove_group_member(env):
    reg, people = env.reg, env.people
    g = reg.add_group(youth.Group(name="Jóvenes", window="youth_seed",
                                  operator_id=env.operator.id, formed_date=D(2009, 4, 1)))

    def join(who):
        return reg.add_group_member(youth.GroupMember(
            group_id=g.id, person_id=people[who].id, joined_date=D(2009, 4, 2),
            operator_id=env.operator.id))

    join("maria")
    luis = join("luis")
    assert reg.remove_group_member(g, people["luis"]) is None     # the group is being formed
    assert [m.person_id for m in reg.group_members(group=g)] == [people["maria"].id]
    with pytest.raises(youth.NotFoundError) as info:
        reg.remove_group_member(g.id, people["luis"].id)
    assert info.value.field == "person_id"
    luis = join("luis")
    plan = reg.add_plan(env.plan(person_id=None, group_id=g.id))
    reg.submit_plan(plan, D(2009, 5, 5))
    with pytest.raises(youth.StateError) as info:
        reg.remove_group_member(g, people["luis"].id)
    assert "plan %d" % plan.id in str(info.value) and "submitted" in str(info.value)
    assert reg.get_group_member(luis.id) == luis                 # nothing written
    assert capi.youth_group_member_remove is not None
    with pytest.raises(youth.NotFoundError):
        capi.youth_group_member_remove(reg._reg, 999, people["luis"].id)


def test_counts(env):
    reg, people = env.reg, env.people
    a = env.approved()
    env.approved(who="luis")
    reg.add_plan(env.plan(who="ana"))
    assert reg.plan_count() == 3
    assert reg.plan_count(state="approved") == 2
    assert reg.plan_count(window="youth_seed", state="draft") == 1
    assert reg.plan_count(window="female_window") == 0
    assert reg.plan_count_persons() == 3
    assert reg.plan_count_persons(funded_only=True) == 0
    reg.add_disbursement(env.pay(a, Decimal("10.00"), D(2009, 5, 20), "F-1"))
    assert reg.plan_count_persons(window="youth_seed", funded_only=True) == 1
    assert [p.id for p in reg.plans(person=people["maria"])] == [a.id]
    assert len(list(reg.plans(window="youth_seed"))) == 3
    assert list(reg.plans(window="female_window")) == []
    with pytest.raises(youth.InvalidError):
        reg.plan_count(state="dreaming")
    gen = reg.plans()
    assert next(gen).id == a.id
    gen.close()
