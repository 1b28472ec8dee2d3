"""Counselling sessions and their rosters: youth.capi and the Registry."""

import dataclasses
import datetime
import re

import pytest

import youth
from youth import capi
from conftest import EXAMPLE_DATA, TOP_SRCDIR

D = datetime.date
DAY = D(2009, 4, 2)


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
    counsellor: youth.Operator
    intake: youth.Operator
    people: dict

    def session(self, **kw):
        values = dict(operator_id=self.counsellor.id, date=DAY, kind="career_guidance",
                      mode="group", duration_minutes=90, topic="Proyecto de vida",
                      place="Sonzacate")
        values.update(kw)
        return youth.CounsellingSession(**values)

    def seat(self, session, who, **kw):
        return youth.Participant(session_id=session.id, person_id=self.people[who].id, **kw)


@pytest.fixture
def env(reg, people):
    reg.load_rules(EXAMPLE_DATA / "rules.yaml")
    ex = reg.add_exchange(youth.Exchange(code="SON-C", name="Bolsa Sonsonate Centro",
                                         place="Sonzacate"))
    co = reg.add_operator(youth.Operator(exchange_id=ex.id, given_names="Rosa",
                                         first_surname="Campos", role="counsellor"))
    it = reg.add_operator(youth.Operator(exchange_id=ex.id, given_names="Ana",
                                         first_surname="Rivas", role="intake"))
    return Env(reg, ex, co, it, people)


# ---- the SWIG layer ----------------------------------------------------------------------

def test_capi_mirrors_counselling_h():
    text = (TOP_SRCDIR / "include" / "youth" / "counselling.h").read_text(encoding="utf-8")
    names = set(re.findall(r"YOUTH_EXTERN\([^)]*\)\s*(youth_\w+)\s*\(", text))
    not_mirrored = {"youth_counselling_%s_%s" % (k, f) for k in ("session", "participant")
                    for f in ("init", "free", "set_field", "get_field")}
    assert len(names) > 25
    assert sorted(n for n in names - not_mirrored if not callable(getattr(capi, n, None))) == []
    assert sorted(n for n in not_mirrored if hasattr(capi, n)) == []


@pytest.mark.parametrize("cls,fn", [
    (youth.CounsellingSession, capi.youth_counselling_session_field_name),
    (youth.Participant, capi.youth_counselling_participant_field_name),
])
def test_dataclasses_mirror_the_c_fields(cls, fn):
    assert [f.name for f in dataclasses.fields(cls)] == c_field_names(fn)


def test_vocabularies_come_from_c():
    assert youth.COUNSELLING_KINDS == {"career_guidance": 1, "life_skills": 2,
                                       "job_search": 3, "referral": 4}
    assert youth.COUNSELLING_MODES == {"individual": 1, "group": 2}
    assert youth.COUNSELLING_STATES == {"open": 1, "closed": 2}


def test_capi_calls(env):
    r = env.reg._reg
    ids = capi.youth_counselling_session_add(r, {
        "operator_id": str(env.counsellor.id), "date": "2009-04-02", "kind": "referral",
        "mode": "individual", "duration_minutes": "30"})
    assert set(ids) == {"id", "uuid"}
    got = capi.youth_counselling_session_get(r, ids["id"])
    assert got["state"] == "open" and got["closed_date"] is None
    assert got["participants"] in (None, "0")
    row = capi.youth_counselling_add_participant(
        r, {"session_id": str(ids["id"]), "person_id": str(env.people["maria"].id)}, None)
    assert set(row) == {"id", "uuid"}
    assert capi.youth_counselling_participant_get(r, row["id"])["attended"] in ("true", "1",
                                                                                 "yes")
    it = capi.youth_counselling_participant_iter_new(r, ids["id"], 0)
    try:
        assert capi.youth_counselling_participant_next(it)["id"] == str(row["id"])
        assert capi.youth_counselling_participant_next(it) is None
        assert capi.youth_counselling_participant_next(it) is None      # latched
    finally:
        capi.youth_counselling_participant_iter_free(it)
    assert capi.youth_counselling_session_close(r, ids["id"], "2009-04-02") is None
    assert capi.youth_counselling_count_persons(r, None, None) == 1
    with pytest.raises(youth.StateError):
        capi.youth_counselling_session_close(r, ids["id"], "2009-04-03")
    with pytest.raises(youth.InvalidError) as info:
        capi.youth_counselling_session_add(r, {"state": "closed"})
    assert info.value.field == "state"


# ---- sessions ----------------------------------------------------------------------------

def test_session_add_get_update(env):
    reg = env.reg
    s = reg.add_counselling_session(env.session())
    assert s.id > 0 and len(s.uuid) == 36
    assert s.state == "open" and s.participants == 0 and s.closed_date is None
    assert s.exchange_id == env.exchange.id
    assert s.date == DAY and isinstance(s.date, datetime.date)
    assert s.place == "sonsonate/sonsonate-centro/sonzacate"
    assert reg.get_counselling_session(s.id) == s
    assert reg.get_counselling_session(s) == s
    s2 = reg.update_counselling_session(dataclasses.replace(
        s, kind="life_skills", duration_minutes=120, outcome="Plan de búsqueda", topic=None))
    assert (s2.kind, s2.duration_minutes, s2.outcome, s2.topic) == \
        ("life_skills", 120, "Plan de búsqueda", None)
    assert s2.uuid == s.uuid and s2.operator_id == s.operator_id


def test_session_errors(env):
    reg = env.reg
    with pytest.raises(youth.RuleError) as info:            # an intake operator
        reg.add_counselling_session(env.session(operator_id=env.intake.id))
    assert info.value.field == "operator_id"
    with pytest.raises(youth.InvalidError) as info:
        reg.add_counselling_session(env.session(duration_minutes=0))
    assert info.value.field == "duration_minutes"
    with pytest.raises(youth.InvalidError) as info:
        reg.add_counselling_session(env.session(kind="gossip"))
    assert info.value.field == "kind"
    with pytest.raises(youth.NotFoundError):
        reg.add_counselling_session(env.session(place="Nowhere At All"))
    with pytest.raises(youth.NotFoundError):
        reg.get_counselling_session(999)
    with pytest.raises(TypeError):
        reg.add_counselling_session(youth.Participant())
    with pytest.raises(TypeError):
        reg.get_counselling_session("1")


def test_roster_and_close(env):
    reg, p = env.reg, env.people
    s = reg.add_counselling_session(env.session())
    maria = reg.add_participant(env.seat(s, "maria"))
    assert maria.attended is True and maria.session_id == s.id
    assert reg.get_participant(maria.id) == maria
    luis = reg.add_participant(env.seat(s, "luis", attended=False, note="invited"))
    assert luis.attended is False and luis.note == "invited"
    assert reg.get_counselling_session(s).participants == 2
    with pytest.raises(youth.ExistsError):
        reg.add_participant(env.seat(s, "maria"))
    row = reg.set_attended(s, p["luis"], True, note="came late")
    assert row.id == luis.id and row.attended is True and row.note == "came late"
    row = reg.set_attended(s, p["luis"].id, False)
    assert row.attended is False and row.note is None
    assert [r.person_id for r in reg.participants(session=s)] == [p["maria"].id, p["luis"].id]
    assert [r.id for r in reg.participants(person=p["luis"])] == [luis.id]
    reg.remove_participant(s, p["luis"])
    with pytest.raises(youth.NotFoundError):
        reg.get_participant(luis.id)
    with pytest.raises(youth.NotFoundError):
        reg.remove_participant(s, p["luis"])
    # a group of one cannot be closed
    with pytest.raises(youth.RuleError) as info:
        reg.close_counselling_session(s, DAY)
    assert info.value.field == "participants"
    assert reg.get_counselling_session(s).state == "open"
    reg.add_participant(env.seat(s, "luis"))
    closed = reg.close_counselling_session(s, D(2009, 4, 3))
    assert closed.state == "closed" and closed.closed_date == D(2009, 4, 3)
    # closed: frozen and final
    with pytest.raises(youth.StateError) as info:
        reg.close_counselling_session(s, D(2009, 4, 4))
    assert "closed" in str(info.value)
    with pytest.raises(youth.StateError):
        reg.set_attended(s, p["luis"], False)
    with pytest.raises(youth.StateError):
        reg.remove_participant(s, p["maria"])
    with pytest.raises(youth.StateError):
        reg.update_counselling_session(dataclasses.replace(closed, duration_minutes=10))


def test_set_state(env):
    reg = env.reg
    s = reg.add_counselling_session(env.session(mode="individual"))
    reg.add_participant(env.seat(s, "maria"))
    with pytest.raises(youth.InvalidError) as info:
        reg.set_counselling_session_state(s, "pending", DAY)
    assert info.value.field == "state"
    s = reg.set_counselling_session_state(s, "closed", DAY)
    assert s.state == "closed"
    with pytest.raises(youth.StateError):
        reg.set_counselling_session_state(s, "open", DAY)


def test_individual_session_rules(env):
    reg = env.reg
    s = reg.add_counselling_session(env.session(mode="individual"))
    reg.add_participant(env.seat(s, "maria"))
    with pytest.raises(youth.RuleError) as info:
        reg.add_participant(env.seat(s, "luis"))
    assert info.value.field == "participants"
    g = reg.add_counselling_session(env.session())
    reg.add_participant(env.seat(g, "maria"))
    reg.add_participant(env.seat(g, "luis"))
    with pytest.raises(youth.RuleError) as info:
        reg.update_counselling_session(dataclasses.replace(g, mode="individual"))
    assert info.value.field == "mode"


def test_eligibility_and_override(env):
    reg = env.reg
    s = reg.add_counselling_session(env.session())
    with pytest.raises(youth.RuleError) as info:      # census-2010, not in the rules
        reg.add_participant(env.seat(s, "ana"))
    assert info.value.field is not None
    assert list(reg.participants(session=s)) == []
    row = reg.add_participant(env.seat(s, "ana"),
                              override=youth.Override(env.counsellor.id, "Referred by ISDEMU"))
    assert row.person_id == env.people["ana"].id


def test_iterate_sessions_and_count(env):
    reg, p = env.reg, env.people
    a = reg.add_counselling_session(env.session(date=D(2009, 5, 1), mode="individual"))
    b = reg.add_counselling_session(env.session(date=D(2009, 4, 1)))
    c = reg.add_counselling_session(env.session(date=D(2009, 6, 1), mode="individual"))
    assert [s.id for s in reg.counselling_sessions()] == [b.id, a.id, c.id]     # date order
    reg.add_participant(env.seat(a, "maria"))
    reg.add_participant(env.seat(b, "maria"))
    reg.add_participant(env.seat(b, "luis", attended=False))
    reg.add_participant(env.seat(c, "luis"))
    assert [s.id for s in reg.counselling_sessions(person=p["maria"])] == [b.id, a.id]
    assert reg.count_counselled() == 0                 # nothing closed yet
    reg.close_counselling_session(a, D(2009, 5, 1))
    reg.close_counselling_session(b, D(2009, 4, 1))
    assert reg.count_counselled() == 1                 # maria, twice; luis absent
    reg.close_counselling_session(c, D(2009, 6, 1))
    assert reg.count_counselled() == 2
    assert reg.count_counselled(from_=D(2009, 5, 15)) == 1
    assert reg.count_counselled(to="2009-04-30") == 1
    assert reg.count_counselled(D(2009, 4, 2), D(2009, 4, 30)) == 0
    with pytest.raises(youth.InvalidError):
        reg.count_counselled(D(2009, 6, 1), D(2009, 4, 1))
    gen = reg.counselling_sessions()
    assert next(gen).id == b.id
    gen.close()                                        # abandoned early: iterator freed
