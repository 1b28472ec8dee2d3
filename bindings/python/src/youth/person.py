"""The youth census record as a Python dataclass.

Conversions only: Python values are turned into the text form of each field and the C library
(``youth_person_set_field()`` then ``youth_person_add()``) checks every rule.  Nothing here
validates, so a rule lives in one place.
"""

import dataclasses
import datetime
import decimal
from dataclasses import dataclass, field
from typing import List, Optional, Union

__all__ = ["Person", "Event"]

DateLike = Union[datetime.date, str]


@dataclass
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

    id: Optional[int] = None
    uuid: Optional[str] = None
    national_id: Optional[str] = None
    given_names: Optional[str] = None
    first_surname: Optional[str] = None
    second_surname: Optional[str] = None
    birth_date: Optional[DateLike] = None
    sex: Optional[str] = None
    place: Optional[str] = None
    address: Optional[str] = None
    phone: Optional[str] = None
    education: Optional[str] = None
    studying: bool = False
    employment: Optional[str] = None
    household_size: Optional[int] = None
    disability: bool = False
    census_date: Optional[DateLike] = None
    census_round: Optional[str] = None
    job_profiles: List[str] = field(default_factory=list)
    consent: bool = False
    consent_date: Optional[DateLike] = None

    @property
    def full_name(self):
        """Given names and surnames joined by spaces."""
        parts = (self.given_names, self.first_surname, self.second_surname)
        return " ".join(p for p in parts if p)

    def age_at(self, when):
        """Age in whole years at ``when`` (a date or ISO text), computed by the C library."""
        from . import capi
        return capi.youth_age_at(_text("birth_date", self.birth_date), _text("age_at", when))


FIELDS = tuple(f.name for f in dataclasses.fields(Person))


def _text(name, value):
    """The text form of one field value (what youth_person_set_field() parses)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        for item in value:
            if not isinstance(item, str):
                raise TypeError("%s: expected a list of str, got an item of type %s"
                                % (name, type(item).__name__))
        return ", ".join(value)
    raise TypeError("%s: cannot use a value of type %s" % (name, type(value).__name__))


def to_fields(person):
    """A Person -> the dict {field: text or None} the SWIG layer takes."""
    if not isinstance(person, Person):
        raise TypeError("expected a youth.Person, got %s" % type(person).__name__)
    return {name: _text(name, getattr(person, name)) for name in FIELDS}


def _date(text):
    return None if text is None else datetime.date.fromisoformat(text)


def _bool(text):
    return text is not None and text.lower() in ("true", "yes", "1")


def _int(text):
    return None if text is None else int(text)


def _size(text):
    # 0 means "not recorded" in C.
    n = _int(text)
    return None if not n else n


def _profiles(text):
    if not text:
        return []
    return [tag.strip() for tag in text.split(",") if tag.strip()]


_PARSE = {
    "id": _int,
    "birth_date": _date,
    "census_date": _date,
    "consent_date": _date,
    "studying": _bool,
    "disability": _bool,
    "consent": _bool,
    "household_size": _size,
    "job_profiles": _profiles,
}


def from_fields(fields):
    """The dict {field: text or None} returned by the SWIG layer -> a Person."""
    values = {}
    for name in FIELDS:
        text = fields.get(name)
        parse = _PARSE.get(name)
        values[name] = parse(text) if parse else text
    return Person(**values)


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
