"""Exchanges, operators and employers: youth.capi and the Registry methods."""

import dataclasses
import datetime
import re

import pytest

import youth
from youth import capi
from conftest import TOP_SRCDIR


def c_field_names(fn):
    names, i = [], 0
    while True:
        name = fn(i)
        if name is None:
            return names
        names.append(name)
        i += 1


@pytest.fixture
def exchange(reg):
    return reg.add_exchange(youth.Exchange(code="SON-C", name="Bolsa de Empleo Sonsonate Centro",
                                           place="Sonzacate",
                                           opened_date=datetime.date(2009, 1, 5)))


def make_operator(exchange_id, **kw):
    values = dict(exchange_id=exchange_id, given_names="Ana Gabriela", first_surname="López",
                  second_surname="Rivas", role="intake", phone="2451 0000")
    values.update(kw)
    return youth.Operator(**values)


# ---- the SWIG layer ----------------------------------------------------------------------

NOT_MIRRORED = {
    "youth_exchange_init", "youth_exchange_free", "youth_exchange_set_field",
    "youth_exchange_get_field",
    "youth_operator_init", "youth_operator_free", "youth_operator_set_field",
    "youth_operator_get_field",
    "youth_employer_init", "youth_employer_free", "youth_employer_set_field",
    "youth_employer_get_field",
}


def declared(header):
    text = (TOP_SRCDIR / "include" / "youth" / header).read_text(encoding="utf-8")
    return set(re.findall(r"YOUTH_EXTERN\([^)]*\)\s*(youth_\w+)\s*\(", text))


def test_capi_mirrors_exchange_h():
    names = declared("exchange.h")
    assert len(names) > 30
    missing = sorted(n for n in names - NOT_MIRRORED if not callable(getattr(capi, n, None)))
    assert missing == []
    assert sorted(n for n in NOT_MIRRORED if hasattr(capi, n)) == []


@pytest.mark.parametrize("cls,fn", [
    (youth.Exchange, capi.youth_exchange_field_name),
    (youth.Operator, capi.youth_operator_field_name),
    (youth.Employer, capi.youth_employer_field_name),
])
def test_dataclasses_mirror_the_c_fields(cls, fn):
    assert [f.name for f in dataclasses.fields(cls)] == c_field_names(fn)


def test_capi_records_are_dicts_of_text(reg):
    r = reg._reg
    ids = capi.youth_exchange_add(r, {"code": "X1", "name": "Bolsa X", "place": "Acajutla",
                                      "opened_date": None})
    assert set(ids) == {"id", "uuid"} and ids["id"] > 0 and len(ids["uuid"]) == 36
    got = capi.youth_exchange_get(r, ids["id"])
    assert list(got) == c_field_names(capi.youth_exchange_field_name)
    assert got["id"] == str(ids["id"]) and got["place"] == "sonsonate/sonsonate-oeste/acajutla"
    assert got["opened_date"] is None
    assert capi.youth_exchange_get_by_code(r, "X1") == got
    it = capi.youth_exchange_iter_new(r)
    try:
        assert capi.youth_exchange_next(it) == got
        assert capi.youth_exchange_next(it) is None
        assert capi.youth_exchange_next(it) is None  # latched
    finally:
        capi.youth_exchange_iter_free(it)
    op = capi.youth_operator_add(r, {"exchange_id": str(ids["id"]), "given_names": "Ana",
                                     "first_surname": "Rivas", "role": "counsellor"})
    stored = capi.youth_operator_get(r, op["id"])
    assert stored["active"] == "true" and stored["role"] == "counsellor"
    stored["active"] = "false"
    assert capi.youth_operator_update(r, stored) is None
    assert capi.youth_operator_get(r, op["id"])["active"] == "false"
    with pytest.raises(youth.InvalidError) as info:
        capi.youth_exchange_add(r, {"colour": "red"})
    assert info.value.field == "colour"
    with pytest.raises(TypeError):
        capi.youth_exchange_add(r, {"code": 5})
    with pytest.raises(TypeError):
        capi.youth_employer_add(r, ["not", "a", "dict"])
    with pytest.raises(youth.NotFoundError):
        capi.youth_employer_get(r, 999)
    assert capi.youth_operator_role_name(1) == "counsellor"
    assert capi.youth_operator_role_name(99) is None


def test_nit_check():
    youth.check_nit("0614-010190-101-1")
    assert capi.youth_nit_check("0614-010190-101-1") is None
    with pytest.raises(youth.InvalidError) as info:
        youth.check_nit("0614-01019-101-1")
    assert info.value.field == "nit"
    assert "NNNN-NNNNNN-NNN-N" in str(info.value)


def test_roles_come_from_c():
    assert youth.ROLES == {"counsellor": 1, "intake": 2, "placement": 3, "coordinator": 4}


# ---- exchanges ---------------------------------------------------------------------------

def test_add_and_get_exchange(reg, exchange):
    assert isinstance(exchange.id, int) and exchange.id > 0
    assert len(exchange.uuid) == 36
    assert exchange.place == "sonsonate/sonsonate-centro/sonzacate"
    assert exchange.opened_date == datetime.date(2009, 1, 5)
    assert reg.get_exchange(exchange.id) == exchange
    assert reg.get_exchange("SON-C") == exchange
    assert reg.get_exchange(exchange) == exchange


def test_exchange_dataclass_round_trip(reg, exchange):
    again = dataclasses.replace(exchange, id=None, uuid=None, code="SON-2")
    copy = reg.add_exchange(again)
    assert copy.id != exchange.id and copy.uuid != exchange.uuid
    assert dataclasses.replace(copy, id=exchange.id, uuid=exchange.uuid, code="SON-C") == exchange
    # ISO text is accepted for dates; records read back hold date objects.
    third = reg.add_exchange(youth.Exchange(code="ACA", name="Bolsa Acajutla",
                                            place="Acajutla", opened_date="2009-02-01"))
    assert third.opened_date == datetime.date(2009, 2, 1)


def test_exchange_errors(reg, exchange):
    with pytest.raises(youth.ExistsError) as info:
        reg.add_exchange(youth.Exchange(code="SON-C", name="Otra", place="Acajutla"))
    assert info.value.field == "code"
    with pytest.raises(youth.NotFoundError) as info:
        reg.add_exchange(youth.Exchange(code="ATL", name="Atlantis", place="atlantis"))
    assert info.value.field == "place"
    with pytest.raises(youth.InvalidError) as info:
        reg.add_exchange(youth.Exchange(code="has space", name="X", place="Acajutla"))
    assert info.value.field == "code"
    with pytest.raises(youth.InvalidError) as info:
        reg.add_exchange(youth.Exchange(code="BAD", name="X", place="Acajutla",
                                        opened_date="2009-02-30"))
    assert info.value.field == "opened_date"
    with pytest.raises(youth.NotFoundError):
        reg.get_exchange(999)
    with pytest.raises(youth.NotFoundError):
        reg.get_exchange("NOPE")
    with pytest.raises(TypeError):
        reg.add_exchange({"code": "X"})
    with pytest.raises(TypeError):
        reg.get_exchange(1.5)


def test_update_exchange(reg, exchange):
    op = reg.add_operator(make_operator(exchange.id))
    other = reg.add_exchange(youth.Exchange(code="ACA", name="Bolsa Acajutla", place="Acajutla"))
    e2 = reg.update_exchange(dataclasses.replace(exchange, code="SON-2", name="Bolsa Sonsonate",
                                                 place="Acajutla", opened_date=None))
    assert (e2.id, e2.uuid) == (exchange.id, exchange.uuid)
    assert (e2.code, e2.place, e2.opened_date) == ("SON-2", "sonsonate/sonsonate-oeste/acajutla",
                                                   None)
    assert reg.get_exchange("SON-2") == e2
    assert [o.id for o in reg.operators(exchange="SON-2")] == [op.id]   # follow the new code
    with pytest.raises(youth.ExistsError) as info:
        reg.update_exchange(dataclasses.replace(e2, code=other.code))
    assert info.value.field == "code" and "ACA" in str(info.value)
    with pytest.raises(youth.InvalidError) as info:
        reg.update_exchange(dataclasses.replace(e2, uuid=other.uuid))
    assert info.value.field == "uuid"
    with pytest.raises(youth.NotFoundError) as info:
        reg.update_exchange(dataclasses.replace(e2, id=999))
    assert info.value.field == "id"
    with pytest.raises(youth.NotFoundError) as info:
        reg.update_exchange(dataclasses.replace(e2, place="atlantis"))
    assert info.value.field == "place"
    assert reg.get_exchange(exchange.id) == e2                          # nothing written


def test_capi_exchange_update(reg, exchange):
    r = reg._reg
    d = capi.youth_exchange_get(r, exchange.id)
    d["name"] = "Renamed"
    assert capi.youth_exchange_update(r, d) is None
    assert capi.youth_exchange_get(r, exchange.id)["name"] == "Renamed"


def test_exchanges_in_code_order(reg, exchange):
    reg.add_exchange(youth.Exchange(code="ACA", name="Bolsa Acajutla", place="Acajutla"))
    reg.add_exchange(youth.Exchange(code="ZZZ", name="Bolsa Z", place="Sonzacate"))
    codes = [e.code for e in reg.exchanges()]
    assert codes == ["ACA", "SON-C", "ZZZ"]
    assert all(isinstance(e, youth.Exchange) for e in reg.exchanges())


# ---- operators ---------------------------------------------------------------------------

def test_operator_add_get_update(reg, exchange):
    op = reg.add_operator(make_operator(exchange.id))
    assert op.id > 0 and op.active is True and op.role == "intake"
    assert op.exchange_id == exchange.id
    assert op.phone == "2451-0000"                  # normalised by the library
    assert op.full_name == "Ana Gabriela López Rivas"
    assert reg.get_operator(op.id) == op
    off = reg.update_operator(dataclasses.replace(op, active=False, role="placement"))
    assert off.active is False and off.role == "placement" and off.uuid == op.uuid
    assert reg.get_operator(op.id) == off


def test_operator_errors(reg, exchange):
    with pytest.raises(youth.InvalidError) as info:
        reg.add_operator(make_operator(exchange.id, role="janitor"))
    assert info.value.field == "role"
    with pytest.raises(youth.NotFoundError) as info:
        reg.add_operator(make_operator(999))
    assert info.value.field == "exchange_id"
    with pytest.raises(youth.InvalidError) as info:
        reg.add_operator(make_operator(exchange.id, given_names=None))
    assert info.value.field == "given_names"
    with pytest.raises(youth.NotFoundError):
        reg.update_operator(make_operator(exchange.id, id=999))
    with pytest.raises(youth.NotFoundError):
        reg.get_operator(999)


def test_operators_by_exchange(reg, exchange):
    other = reg.add_exchange(youth.Exchange(code="ACA", name="Bolsa Acajutla", place="Acajutla"))
    a = reg.add_operator(make_operator(exchange.id, given_names="Uno"))
    b = reg.add_operator(make_operator(other.id, given_names="Dos", role="counsellor"))
    c = reg.add_operator(make_operator(exchange.id, given_names="Tres", role="coordinator"))
    assert [o.id for o in reg.operators()] == [a.id, b.id, c.id]
    assert [o.given_names for o in reg.operators(exchange=exchange.id)] == ["Uno", "Tres"]
    assert [o.given_names for o in reg.operators(exchange="ACA")] == ["Dos"]
    assert [o.given_names for o in reg.operators(exchange=other)] == ["Dos"]
    with pytest.raises(youth.NotFoundError):
        list(reg.operators(exchange="NOPE"))


# ---- employers ---------------------------------------------------------------------------

def test_employer_add_get_update_iterate(reg):
    e = reg.add_employer(youth.Employer(name="Panadería La Espiga", sector="bakery",
                                        nit="0315-250588-102-3", place="Santa Eugenia",
                                        contact_name="Rosa Ayala", phone="24510101",
                                        email="rosa@espiga.com.sv"))
    assert e.id > 0 and e.place == "sonsonate/sonsonate-centro/sonzacate/santa-eugenia"
    assert e.phone == "2451-0101"
    assert reg.get_employer(e.id) == e
    e2 = reg.update_employer(dataclasses.replace(e, sector="food", email=None))
    assert e2.sector == "food" and e2.email is None and e2.uuid == e.uuid
    a = reg.add_employer(youth.Employer(name="Almacenes Acajutla"))
    assert [x.name for x in reg.employers()] == ["Almacenes Acajutla", "Panadería La Espiga"]
    assert reg.get_employer(a.id).nit is None


def test_employer_errors(reg):
    reg.add_employer(youth.Employer(name="Uno", nit="0315-250588-102-3"))
    with pytest.raises(youth.ExistsError) as info:
        reg.add_employer(youth.Employer(name="Dos", nit="0315-250588-102-3"))
    assert info.value.field == "nit"
    with pytest.raises(youth.InvalidError) as info:
        reg.add_employer(youth.Employer(name="Tres", nit="0315-250588-102"))
    assert info.value.field == "nit"
    with pytest.raises(youth.InvalidError) as info:
        reg.add_employer(youth.Employer(name="Cuatro", email="no-at-sign"))
    assert info.value.field == "email"
    with pytest.raises(youth.NotFoundError):
        reg.get_employer(999)
    assert [e.name for e in reg.employers()] == ["Uno"]


def test_abandoned_iterators_are_released(reg, exchange):
    for i in range(3):
        reg.add_operator(make_operator(exchange.id, given_names="Op %d" % i))
    gen = reg.operators()
    assert next(gen).given_names == "Op 0"
    gen.close()
    assert len(list(reg.operators())) == 3


# ---- organisations (issue 15) ----------------------------------------------------------------

def test_organisations_beside_the_exchanges(reg, exchange):
    conamype = reg.add_organisation(youth.Organisation(
        code="CONAMYPE", type="conamype", name="CONAMYPE", place="department:sonsonate"))
    centre = reg.add_organisation(youth.Organisation(
        code="CM-SON", type="centre", name="Ventanilla de Sonsonate", parent_id=conamype.id,
        place="sonsonate/sonsonate-centro/sonsonate"))
    assert centre.type == "centre" and centre.parent_id == conamype.id
    assert reg.get_organisation("CM-SON") == centre
    assert reg.get_organisation(exchange.id).type == "exchange"
    assert [o.code for o in reg.organisations(type="centre")] == ["CM-SON"]
    assert sorted(o.code for o in reg.organisations()) == ["CM-SON", "CONAMYPE", exchange.code]
    # CONAMYPE is no exchange...
    assert [e.code for e in reg.exchanges()] == [exchange.code]
    with pytest.raises(youth.NotFoundError):
        reg.get_exchange("CONAMYPE")
    # ...but its centre's operator records like any other, found by the organisation's code.
    op = reg.add_operator(make_operator(centre.id))
    assert [o.id for o in reg.operators(exchange="CM-SON")] == [op.id]
    assert [o.id for o in reg.operators(exchange=centre)] == [op.id]
    assert list(reg.operators(exchange=exchange.code)) == []
    with pytest.raises(ValueError):
        list(reg.organisations(type="bank"))
    with pytest.raises(youth.InvalidError) as e:
        reg.update_organisation(youth.Organisation(**{**centre.__dict__, "type": "exchange"}))
    assert e.value.field == "type"
