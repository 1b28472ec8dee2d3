"""First-work scholarships, their stipend schedule and payments: youth.capi and the Registry."""

import dataclasses
import datetime
import re
from decimal import Decimal

import pytest

import youth
from youth import capi
from conftest import EXAMPLE_DATA, TOP_SRCDIR

D = datetime.date
APPLIED = D(2009, 4, 20)


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

    def application(self, who="maria", **kw):
        values = dict(person_id=self.people[who].id, operator_id=self.operator.id,
                      applied_date=APPLIED)
        values.update(kw)
        return youth.Scholarship(**values)

    def placement(self, **kw):
        values = dict(employer_id=self.employer.id, position="Dependienta",
                      start_date=D(2009, 5, 18), end_date=D(2009, 8, 10), hours_per_week=40,
                      monthly_stipend=Decimal("300.00"))
        values.update(kw)
        return youth.Placement(**values)

    def active(self, who="maria", **kw):
        s = self.reg.apply_scholarship(self.application(who))
        self.reg.award_scholarship(s, D(2009, 5, 1))
        return self.reg.activate_scholarship(s, D(2009, 5, 15), self.placement(**kw))

    def payment(self, s, amount, paid_date, reference, **kw):
        return youth.ScholarshipPayment(scholarship_id=s.id, operator_id=self.operator.id,
                                        amount=amount, paid_date=paid_date, method="transfer",
                                        reference=reference, **kw)


@pytest.fixture
def env(reg, people):
    reg.load_rules(EXAMPLE_DATA / "rules.yaml")
    ex = reg.add_exchange(youth.Exchange(code="SON-C", name="Bolsa Sonsonate Centro",
                                         place="Sonzacate"))
    op = reg.add_operator(youth.Operator(exchange_id=ex.id, given_names="Ana",
                                         first_surname="Rivas", role="placement"))
    emp = reg.add_employer(youth.Employer(name="Almacenes Simán", nit="0614-010190-101-1"))
    return Env(reg, ex, op, emp, people)


# ---- the SWIG layer ----------------------------------------------------------------------

def test_capi_mirrors_scholarship_h():
    text = (TOP_SRCDIR / "include" / "youth" / "scholarship.h").read_text(encoding="utf-8")
    names = set(re.findall(r"YOUTH_EXTERN\([^)]*\)\s*(youth_\w+)\s*\(", text))
    not_mirrored = {"youth_scholarship_%s" % f for f in ("init", "free", "set_field",
                                                         "get_field")}
    not_mirrored |= {"youth_scholarship_payment_%s" % f for f in ("init", "free", "set_field",
                                                                  "get_field")}
    not_mirrored |= {"youth_scholarship_placement_init", "youth_scholarship_placement_set_field",
                     "youth_scholarship_installment_get_field"}
    assert len(names) > 35
    assert sorted(n for n in names - not_mirrored if not callable(getattr(capi, n, None))) == []
    assert sorted(n for n in not_mirrored if hasattr(capi, n)) == []


@pytest.mark.parametrize("cls,fn", [
    (youth.Scholarship, capi.youth_scholarship_field_name),
    (youth.Placement, capi.youth_scholarship_placement_field_name),
    (youth.Installment, capi.youth_scholarship_installment_field_name),
    (youth.ScholarshipPayment, capi.youth_scholarship_payment_field_name),
])
def test_dataclasses_mirror_the_c_fields(cls, fn):
    assert [f.name for f in dataclasses.fields(cls)] == c_field_names(fn)


def test_vocabularies_come_from_c():
    assert youth.SCHOLARSHIP_STATES == {"applied": 1, "awarded": 2, "active": 3,
                                        "completed": 4, "terminated": 5, "rejected": 6}
    assert youth.INSTALLMENT_STATES == {"due": 1, "cancelled": 2}
    assert youth.PAYMENT_METHODS == {"cash": 1, "transfer": 2, "cheque": 3}


def test_capi_calls(env):
    r = env.reg._reg
    ids = capi.youth_scholarship_apply(r, {"person_id": str(env.people["maria"].id),
                                           "operator_id": str(env.operator.id),
                                           "applied_date": "2009-04-20"}, None)
    assert set(ids) == {"id", "uuid"}
    assert capi.youth_scholarship_award(r, ids["id"], "2009-05-01") is None
    assert capi.youth_scholarship_activate(r, ids["id"], "2009-05-15", {
        "employer_id": str(env.employer.id), "position": "Cajera", "start_date": "2009-05-18",
        "end_date": "2009-08-10", "hours_per_week": "40", "monthly_stipend": "300"}) is None
    got = capi.youth_scholarship_get(r, ids["id"])
    assert got["state"] == "active" and got["monthly_stipend"] == "300.00"
    assert capi.youth_scholarship_balance(r, ids["id"]) == {
        "owed_total": 83225, "paid_total": 0, "balance": 83225}
    assert capi.youth_scholarship_payable(r, ids["id"], "2009-06-30") == 13548 + 30000
    it = capi.youth_scholarship_installment_iter_new(r, ids["id"])
    try:
        first = capi.youth_scholarship_installment_next(it)
        assert first["month"] == "2009-05" and first["amount"] == "135.48"
        assert first["state"] == "due"
        assert [capi.youth_scholarship_installment_next(it)["amount"] for _ in range(3)] == \
            ["300.00", "300.00", "96.77"]
        assert capi.youth_scholarship_installment_next(it) is None
    finally:
        capi.youth_scholarship_installment_iter_free(it)
    with pytest.raises(youth.InvalidError) as info:
        capi.youth_scholarship_activate(r, ids["id"], "2009-05-15", {"color": "red"})
    assert info.value.field == "color"
    with pytest.raises(TypeError):
        capi.youth_scholarship_activate(r, ids["id"], "2009-05-15", [])


# ---- the state machine -------------------------------------------------------------------

def test_apply_award_activate_complete(env):
    reg = env.reg
    s = reg.apply_scholarship(env.application())
    assert s.id > 0 and len(s.uuid) == 36 and s.state == "applied"
    assert s.state_date == APPLIED and s.exchange_id == env.exchange.id
    assert s.monthly_stipend is None and s.employer_id is None
    assert reg.get_scholarship(s.id) == s
    s = reg.award_scholarship(s, D(2009, 5, 1))
    assert s.state == "awarded" and s.state_date == D(2009, 5, 1)
    s = reg.activate_scholarship(s.id, D(2009, 5, 15), env.placement())
    assert s.state == "active" and s.employer_id == env.employer.id
    assert s.position == "Dependienta" and s.hours_per_week == 40
    assert (s.start_date, s.end_date) == (D(2009, 5, 18), D(2009, 8, 10))
    assert s.monthly_stipend == Decimal("300.00")
    assert isinstance(s.monthly_stipend, Decimal)
    with pytest.raises(youth.InvalidError):            # before the placement's end
        reg.complete_scholarship(s, D(2009, 8, 1))
    s = reg.complete_scholarship(s, D(2009, 8, 10))
    assert s.state == "completed"
    with pytest.raises(youth.StateError) as info:
        reg.terminate_scholarship(s, D(2009, 8, 11), "too late")
    assert "completed" in str(info.value)


def test_state_errors(env):
    reg = env.reg
    s = reg.apply_scholarship(env.application())
    with pytest.raises(youth.StateError) as info:
        reg.activate_scholarship(s, D(2009, 5, 15), env.placement())
    assert info.value.field == "state"
    with pytest.raises(youth.StateError):
        reg.complete_scholarship(s, D(2009, 9, 1))
    assert reg.get_scholarship(s).state == "applied"           # nothing written
    s = reg.reject_scholarship(s, D(2009, 4, 25), "Already employed")
    assert s.state == "rejected" and s.reason == "Already employed"
    with pytest.raises(youth.StateError):
        reg.award_scholarship(s, D(2009, 5, 1))
    with pytest.raises(youth.NotFoundError):
        reg.get_scholarship(999)
    with pytest.raises(youth.NotFoundError):
        reg.award_scholarship(999, D(2009, 5, 1))


def test_apply_rules(env):
    reg = env.reg
    with pytest.raises(youth.RuleError) as info:        # no consent
        reg.apply_scholarship(env.application("jose"))
    assert info.value.field == "consent_required"
    s = reg.apply_scholarship(env.application("jose"),
                              override={"operator_id": env.operator, "reason": "Paper consent"})
    assert s.state == "applied"
    reg.apply_scholarship(env.application("maria"))
    with pytest.raises(youth.ExistsError):              # one at a time
        reg.apply_scholarship(env.application("maria"))
    with pytest.raises(TypeError):
        reg.apply_scholarship(env.placement())


def test_placement_errors(env):
    reg = env.reg
    s = reg.award_scholarship(reg.apply_scholarship(env.application()), D(2009, 5, 1))
    with pytest.raises(youth.InvalidError) as info:
        reg.activate_scholarship(s, D(2009, 5, 15), env.placement(hours_per_week=60))
    assert info.value.field == "hours_per_week"
    with pytest.raises(youth.InvalidError) as info:
        reg.activate_scholarship(s, D(2009, 5, 15),
                                 env.placement(monthly_stipend=Decimal("300.005")))
    assert info.value.field == "monthly_stipend"
    with pytest.raises(TypeError):
        reg.activate_scholarship(s, D(2009, 5, 15), env.placement(monthly_stipend=300.0))
    with pytest.raises(youth.NotFoundError):
        reg.activate_scholarship(s, D(2009, 5, 15), env.placement(employer_id=999))
    assert reg.get_scholarship(s).state == "awarded"


# ---- money -------------------------------------------------------------------------------

def test_schedule_is_exact(env):
    s = env.active()
    inst = list(env.reg.installments(s))
    assert [i.month for i in inst] == ["2009-05", "2009-06", "2009-07", "2009-08"]
    assert [i.amount for i in inst] == [Decimal("135.48"), Decimal("300.00"),
                                        Decimal("300.00"), Decimal("96.77")]
    assert all(isinstance(i.amount, Decimal) for i in inst)
    assert inst[0].period_start == D(2009, 5, 18) and inst[0].due_date == D(2009, 5, 31)
    assert inst[-1].due_date == D(2009, 8, 10)
    assert {i.state for i in inst} == {"due"} and inst[0].cancelled_date is None
    assert inst[0].scholarship_id == s.id


def test_half_cent_rounds_up(env):
    s = env.active(start_date=D(2009, 6, 30), end_date=D(2009, 7, 1),
                   monthly_stipend=Decimal("250.05"))
    assert [i.amount for i in env.reg.installments(s)] == [Decimal("8.34"), Decimal("8.07")]
    assert env.reg.get_scholarship(s).monthly_stipend == Decimal("250.05")


@pytest.mark.parametrize("given", [Decimal("300"), 300, "300.00", Decimal("300.0")])
def test_stipend_inputs(env, given):
    s = env.active(monthly_stipend=given)
    assert s.monthly_stipend == Decimal("300.00") and str(s.monthly_stipend) == "300.00"


def test_payments_and_balance(env):
    reg = env.reg
    s = env.active()
    b = reg.scholarship_balance(s)
    assert b == youth.ScholarshipBalance(Decimal("832.25"), Decimal("0.00"), Decimal("832.25"))
    assert reg.scholarship_payable(s, D(2009, 5, 30)) == Decimal("0.00")
    assert reg.scholarship_payable(s, D(2009, 5, 31)) == Decimal("135.48")
    p1 = reg.pay_scholarship(env.payment(s, Decimal("135.48"), D(2009, 6, 2), "TR-0001"))
    assert p1.id > 0 and p1.amount == Decimal("135.48") and isinstance(p1.amount, Decimal)
    assert p1.exchange_id == env.exchange.id and p1.method == "transfer"
    assert p1.paid_date == D(2009, 6, 2)
    assert reg.get_scholarship_payment(p1.id) == p1
    # more than is payable on the date
    with pytest.raises(youth.RuleError) as info:
        reg.pay_scholarship(env.payment(s, Decimal("0.01"), D(2009, 6, 3), "TR-0002"))
    assert info.value.field == "amount"
    # many small exact amounts: no float drift
    for n in range(10):
        reg.pay_scholarship(env.payment(s, Decimal("0.10"), D(2009, 7, 1), "TR-1%03d" % n))
    b = reg.scholarship_balance(s)
    assert b.paid_total == Decimal("136.48") and b.balance == Decimal("695.77")
    assert b.owed_total - b.paid_total == b.balance
    assert reg.scholarship_payable(s, D(2009, 7, 1)) == Decimal("299.00")
    with pytest.raises(youth.ExistsError) as info:
        reg.pay_scholarship(env.payment(s, Decimal("1.00"), D(2009, 7, 1), "TR-0001"))
    assert info.value.field == "reference"
    with pytest.raises(youth.InvalidError) as info:
        reg.pay_scholarship(env.payment(s, Decimal("0.00"), D(2009, 7, 1), "TR-0003"))
    assert info.value.field == "amount"
    with pytest.raises(TypeError):
        reg.pay_scholarship(env.payment(s, 1.5, D(2009, 7, 1), "TR-0004"))
    pays = list(reg.scholarship_payments(s))
    assert len(pays) == 11 and pays[0].id == p1.id
    assert sum((p.amount for p in pays), Decimal(0)) == Decimal("136.48")
    assert [p.id for p in reg.scholarship_payments()] == [p.id for p in pays]


def test_pay_state_errors(env):
    reg = env.reg
    s = reg.apply_scholarship(env.application())
    with pytest.raises(youth.StateError):
        reg.pay_scholarship(env.payment(s, Decimal("1.00"), D(2009, 6, 1), "X-1"))


def test_terminate_cancels_and_prorates(env):
    reg = env.reg
    s = env.active()
    s = reg.terminate_scholarship(s, D(2009, 7, 15), "Left the job")
    assert s.state == "terminated" and s.reason == "Left the job"
    inst = list(reg.installments(s))
    july = [i for i in inst if i.month == "2009-07"]
    assert [(i.state, i.amount) for i in july] == [("cancelled", Decimal("300.00")),
                                                   ("due", Decimal("145.16"))]
    assert july[0].cancelled_date == D(2009, 7, 15) and july[1].due_date == D(2009, 7, 15)
    august = [i for i in inst if i.month == "2009-08"]
    assert [i.state for i in august] == ["cancelled"]
    assert reg.scholarship_balance(s).owed_total == Decimal("580.64")
    with pytest.raises(youth.StateError):              # a terminated scholarship is not paid
        reg.pay_scholarship(env.payment(s, Decimal("1.00"), D(2009, 7, 20), "T-1"))


def test_iterate_by_person_and_employer(env):
    reg, p = env.reg, env.people
    a = env.active("maria")
    b = reg.apply_scholarship(env.application("luis"))
    assert [x.id for x in reg.scholarships()] == [a.id, b.id]
    assert [x.id for x in reg.scholarships(person=p["luis"])] == [b.id]
    assert [x.id for x in reg.scholarships(employer=env.employer)] == [a.id]
    assert list(reg.scholarships(person=p["ana"])) == []
    gen = reg.scholarships()
    assert next(gen).id == a.id
    gen.close()


def test_money_text_edge_cases(env):
    s = env.active(monthly_stipend=Decimal("1E+2"))        # exponent form: 100.00 exactly
    assert s.monthly_stipend == Decimal("100.00")
    s2 = env.reg.award_scholarship(env.reg.apply_scholarship(env.application("luis")),
                                   D(2009, 5, 1))
    for bad in (Decimal("-300.00"), "abc", Decimal("NaN")):
        with pytest.raises(youth.InvalidError) as info:
            env.reg.activate_scholarship(s2, D(2009, 5, 15), env.placement(monthly_stipend=bad))
        assert info.value.field == "monthly_stipend"
    with pytest.raises(TypeError):
        env.reg.activate_scholarship(s2, D(2009, 5, 15), env.placement(monthly_stipend=True))
    assert env.reg.get_scholarship(s2).state == "awarded"
