"""The youth census record as a Python dataclass.

Conversions only: Python values are turned into the text form of each field and the C library
(``youth_person_set_field()`` then ``youth_person_add()``) checks every rule; the attributes,
their types and how each is read back come from the library's description of a person (see
records.py).  Nothing here validates, so a rule lives in one place.
"""

import dataclasses
import datetime
import decimal
from typing import Dict, Optional

from .records import DateLike, _text, record  # noqa: F401 - DateLike: the former home
from .records import to_fields as _to_fields

__all__ = ["Person", "Event"]


@record("person")
class Person:
    """One youth of the census.

    Dates may be given as :class:`datetime.date` or as ISO 8601 text; the library checks them
    (a text such as ``"2009-02-30"`` is refused with :class:`youth.InvalidError`).  Records read
    from a registry always carry ``date`` objects, ``bool`` flags and an ``int`` id.

    ``sex`` is ``"female"`` or ``"male"``; ``education`` one of ``"none"``, ``"primary"``,
    ``"lower_secondary"``, ``"upper_secondary"``, ``"technical"``, ``"university"``;
    ``employment`` one of ``"unemployed"``, ``"employed_formal"``, ``"employed_informal"``,
    ``"self_employed"``, ``"inactive"`` (``None`` or ``"unknown"`` when not recorded).
    """

    @property
    def full_name(self) -> str:
        """Given names and surnames joined by spaces."""
        parts = (self.given_names, self.first_surname, self.second_surname)
        return " ".join(p for p in parts if p)

    def age_at(self, when: DateLike) -> int:
        """Age in whole years at ``when`` (a date or ISO text), computed by the C library."""
        from . import capi
        return capi.youth_age_at(_text("birth_date", self.birth_date), _text("age_at", when))


def to_fields(person: Person) -> Dict[str, Optional[str]]:
    """A Person -> the dict {field: text or None} the SWIG layer takes."""
    return _to_fields(Person, person, "person")


#: The dict {field: text or None} returned by the SWIG layer -> a Person: the compiled reader
#: itself (records.from_fields), for a person read alone (get, add, update); iterations read
#: theirs in blocks (Registry._blocks).
from_fields = Person._youth_from


@dataclasses.dataclass(frozen=True)
class Event:
    """One dated event of a person's timeline (see :meth:`Registry.timeline`).

    ``amount`` is money in cents as a :class:`decimal.Decimal` of dollars (payments,
    disbursements, monthly sales of a visit), else None.
    """

    date: datetime.date
    kind: str
    record_id: int
    uuid: str
    state: Optional[str]
    amount: Optional[decimal.Decimal]
    detail: Optional[str]

    @classmethod
    def from_capi(cls, d):
        cents = d["amount"]
        return cls(datetime.date.fromisoformat(d["date"]), d["kind"], d["record_id"], d["uuid"],
                   d["state"], decimal.Decimal(cents).scaleb(-2) if cents else None, d["detail"])
