"""The person timeline and the cascade delete, from Python."""

import datetime
import decimal

import pytest

import youth

from conftest import make_person


def _service_fixture(reg):
    reg.add_exchange(youth.Exchange(code="SZC", name="Bolsa de empleo de Sonzacate",
                                    place="sonzacate"))
    ex = reg.get_exchange("SZC")
    op = reg.add_operator(youth.Operator(exchange_id=ex.id, given_names="Ana",
                                         first_surname="Guevara", role="coordinator"))
    course = reg.add_course(youth.Course(code="PAN", title="Panadería", provider="INSAFORP",
                                         hours=120))
    cohort = reg.add_cohort(youth.Cohort(course_id=course.id, exchange_id=ex.id,
                                         code="PAN-2009-1", start_date="2009-04-01",
                                         end_date="2009-05-29", place="sonzacate", capacity=20))
    return op, cohort


@pytest.fixture
def person(reg):
    return reg.add_person(make_person(national_id=None))


def test_timeline_and_cascade(reg, person):
    op, cohort = _service_fixture(reg)
    enr = reg.apply(youth.Enrollment(cohort_id=cohort.id, person_id=person.id,
                                     operator_id=op.id, applied_date="2009-03-20"))
    reg.set_enrollment_state(enr.id, "enrolled", "2009-04-01")

    events = list(reg.timeline(person))
    assert [e.kind for e in events] == ["census", "enrollment"]
    assert events[0].date == person.census_date
    assert events[0].detail == person.census_round
    assert events[1].date == datetime.date(2009, 3, 20)
    assert events[1].state == "enrolled"
    assert events[1].detail == "PAN-2009-1"
    assert events[1].record_id == enr.id
    assert events[1].amount is None
    assert all(isinstance(e, youth.Event) for e in events)
    # by UUID and by record too
    assert [e.kind for e in reg.timeline(person.uuid)] == ["census", "enrollment"]

    with pytest.raises(youth.ReferencedError):
        reg.delete_person(person.id)
    assert reg.get_person(person.id).id == person.id
    assert reg.delete_person(person, cascade=True) == 2
    with pytest.raises(youth.NotFoundError):
        reg.get_person(person.id)
    with pytest.raises(LookupError):
        list(reg.timeline(person.id))
    assert reg.get_cohort(cohort.id).code == "PAN-2009-1"


def test_delete_without_services(reg, person):
    assert reg.delete_person(person.id) == 1
    assert reg.count_persons() == 0


def test_event_amount_is_decimal():
    e = youth.Event.from_capi({"date": "2009-07-31", "kind": "scholarship_payment",
                               "record_id": 1, "uuid": "0" * 36, "state": None,
                               "amount": 15050, "detail": "TRF-1"})
    assert e.amount == decimal.Decimal("150.50")
