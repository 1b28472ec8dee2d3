"""Employment exchanges, their operators, employers, and the programmes' eligibility rules.

The dataclasses mirror the C records of ``youth/exchange.h`` and ``youth/rules.h`` field by
field; :class:`ServicesMixin` gives :class:`youth.Registry` its methods for them.
"""

import dataclasses
import datetime
import os
from dataclasses import dataclass
from typing import List, Optional, Union

from . import capi
from .person import Person, _text
from .records import from_fields, key_id, record, vocabulary

__all__ = ["Exchange", "Operator", "Employer", "Programme", "Override", "ROLES", "PROGRAMMES"]

DateLike = Union[datetime.date, str]

#: Operator roles, from the C library: {"counsellor": 1, "intake": 2, ...}.
ROLES = vocabulary(capi.youth_operator_role_name)

#: Programme codes used by the services of libyouth.
PROGRAMMES = (
    capi.YOUTH_PROGRAMME_COUNSELLING,
    capi.YOUTH_PROGRAMME_VOCATIONAL,
    capi.YOUTH_PROGRAMME_SCHOLARSHIP,
    capi.YOUTH_PROGRAMME_SEED_CAPITAL,
    capi.YOUTH_PROGRAMME_FEMALE_WINDOW,
)


@record("exchange")
@dataclass
class Exchange:
    """A municipal employment exchange (bolsa de empleo).

    ``code`` (unique, 1-16 letters, digits, ``-``, ``_``), ``name`` and ``place`` (any form of
    a gazetteer place; read back as its full path) are required; ``opened_date`` is optional.
    """

    id: Optional[int] = None
    uuid: Optional[str] = None
    code: Optional[str] = None
    name: Optional[str] = None
    place: Optional[str] = None
    opened_date: Optional[DateLike] = None


@record("operator")
@dataclass
class Operator:
    """A person working at an exchange who records services.

    ``role`` is one of :data:`youth.ROLES` (``"counsellor"``, ``"intake"``, ``"placement"``,
    ``"coordinator"``); an inactive operator (``active=False``) stays on record but can no
    longer record services or authorise overrides.
    """

    id: Optional[int] = None
    uuid: Optional[str] = None
    exchange_id: Optional[int] = None
    given_names: Optional[str] = None
    first_surname: Optional[str] = None
    second_surname: Optional[str] = None
    role: Optional[str] = None
    phone: Optional[str] = None
    active: bool = True

    @property
    def full_name(self):
        parts = (self.given_names, self.first_surname, self.second_surname)
        return " ".join(p for p in parts if p)


@record("employer")
@dataclass
class Employer:
    """An employer offering first jobs.  ``nit`` is the tax id ``NNNN-NNNNNN-NNN-N``."""

    id: Optional[int] = None
    uuid: Optional[str] = None
    name: Optional[str] = None
    sector: Optional[str] = None
    nit: Optional[str] = None
    place: Optional[str] = None
    contact_name: Optional[str] = None
    phone: Optional[str] = None
    email: Optional[str] = None


@dataclass
class Programme:
    """A programme and its eligibility rules (docs/rules.md).

    ``None`` (or an empty list) means "no such rule": ``age_min``/``age_max`` are ages in whole
    years on the service date; ``places`` gazetteer places served (a person below one is
    inside; read back as full paths in path order); ``census_rounds`` the rounds accepted.
    """

    id: Optional[int] = None
    uuid: Optional[str] = None
    code: Optional[str] = None
    title: Optional[str] = None
    age_min: Optional[int] = None
    age_max: Optional[int] = None
    places: List[str] = dataclasses.field(default_factory=list)
    census_rounds: List[str] = dataclasses.field(default_factory=list)
    consent_required: bool = False
    women_only: bool = False


@dataclass(frozen=True)
class Override:
    """An explicit override of eligibility rules: the (active) operator taking responsibility
    and why.  The service goes through and every rule set aside is recorded."""

    operator_id: int
    reason: str


@dataclass(frozen=True)
class OverrideRecord:
    """An override as recorded: which programme's rule was set aside for whom, in which
    service record, by which operator, why, and on which service date."""

    id: int
    uuid: str
    programme: str
    person_id: int
    service: str
    service_id: int
    operator_id: int
    rule: str
    reason: str
    date: datetime.date

    @classmethod
    def from_capi(cls, d):
        d = dict(d)
        d["date"] = datetime.date.fromisoformat(d["date"])
        return cls(**d)


# ---- conversions -------------------------------------------------------------------------

def _list(name, value):
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return _text(name, list(value)) or None
    raise TypeError("%s: expected a list of str, got %s" % (name, type(value).__name__))


def _rule_int(name, value):
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s: expected int or None, got %s" % (name, type(value).__name__))
    return value


def _flag(name, value):
    if value is None:
        return False
    if not isinstance(value, (bool, int)):
        raise TypeError("%s: expected bool, got %s" % (name, type(value).__name__))
    return value


def programme_to_capi(p):
    if not isinstance(p, Programme):
        raise TypeError("expected a youth.Programme, got %s" % type(p).__name__)
    return {
        "id": p.id,
        "uuid": p.uuid,
        "code": p.code,
        "title": p.title,
        "age_min": _rule_int("age_min", p.age_min),
        "age_max": _rule_int("age_max", p.age_max),
        "places": _list("places", p.places),
        "census_rounds": _list("census_rounds", p.census_rounds),
        "consent_required": _flag("consent_required", p.consent_required),
        "women_only": _flag("women_only", p.women_only),
    }


def _split(text):
    if not text:
        return []
    return [item.strip() for item in text.split(",") if item.strip()]


def programme_from_capi(d):
    return Programme(id=d["id"], uuid=d["uuid"], code=d["code"], title=d["title"],
                     age_min=d["age_min"] or None, age_max=d["age_max"] or None,
                     places=_split(d["places"]), census_rounds=_split(d["census_rounds"]),
                     consent_required=bool(d["consent_required"]),
                     women_only=bool(d["women_only"]))


def override_to_capi(override):
    """None, an Override, or a dict {operator_id, reason} -> the dict of the SWIG layer."""
    if override is None:
        return None
    if isinstance(override, Override):
        operator, reason = override.operator_id, override.reason
    elif isinstance(override, dict):
        unknown = set(override) - {"operator_id", "reason"}
        if unknown:
            raise TypeError("override: unknown keys %s (operator_id, reason)"
                            % ", ".join(sorted(unknown)))
        operator, reason = override.get("operator_id"), override.get("reason")
    else:
        raise TypeError("override: expected a youth.Override, a dict or None, got %s"
                        % type(override).__name__)
    if isinstance(operator, Operator):
        operator = operator.id
    return {"operator_id": operator, "reason": reason}


def person_id(person):
    if isinstance(person, Person):
        person = person.id
    if isinstance(person, bool) or not isinstance(person, int):
        raise TypeError("person: expected an int id or a youth.Person, got %s"
                        % type(person).__name__)
    return person


class ServicesMixin:
    """Registry methods for exchanges, operators, employers and programmes (uses the
    Registry's ``_lock``, ``_handle()`` and ``_iterate()``)."""

    # ---- exchanges -----------------------------------------------------------------------

    def add_exchange(self, exchange):
        """Validates and stores a new exchange; returns the stored record."""
        return self._store(Exchange, "add_exchange", capi.youth_exchange_add, exchange)

    def update_exchange(self, exchange):
        """Replaces every field of exchange ``exchange.id`` (code, name, place, opened date);
        services recorded there follow it.  Returns the stored record."""
        return self._store(Exchange, "update_exchange", capi.youth_exchange_update, exchange)

    def get_exchange(self, key):
        """The exchange with int id ``key`` or code ``key``; youth.NotFoundError if none."""
        with self._lock:
            reg = self._handle()
            if isinstance(key, str):
                return from_fields(Exchange, capi.youth_exchange_get_by_code(reg, key))
            return from_fields(Exchange, capi.youth_exchange_get(
                reg, key_id(key, Exchange, "exchange")))

    def exchanges(self):
        """Yields every exchange, in code order."""
        with self._lock:
            it = self._owned(capi.youth_exchange_iter_new(self._handle()),
                             capi.youth_exchange_iter_free)
        return self._iterate(it, capi.youth_exchange_next,
                             lambda d: from_fields(Exchange, d))

    def _exchange_id(self, exchange):
        if isinstance(exchange, str):
            return self.get_exchange(exchange).id
        return key_id(exchange, Exchange, "exchange")

    # ---- operators -----------------------------------------------------------------------

    def add_operator(self, operator):
        """Validates and stores a new operator; returns the stored record."""
        return self._store(Operator, "add_operator", capi.youth_operator_add, operator)

    def update_operator(self, operator):
        """Replaces every field of operator ``operator.id`` (e.g. ``active=False``); returns
        the stored record."""
        return self._store(Operator, "update_operator", capi.youth_operator_update, operator)

    def get_operator(self, key):
        """The operator with this id; youth.NotFoundError if none."""
        with self._lock:
            return from_fields(Operator, capi.youth_operator_get(
                self._handle(), key_id(key, Operator, "operator")))

    def operators(self, exchange=None):
        """Yields the operators of one exchange (id, code or Exchange), or of all, in id
        order."""
        with self._lock:
            ex = 0 if exchange is None else self._exchange_id(exchange)
            it = self._owned(capi.youth_operator_iter_new(self._handle(), ex),
                             capi.youth_operator_iter_free)
        return self._iterate(it, capi.youth_operator_next,
                             lambda d: from_fields(Operator, d))

    # ---- employers -----------------------------------------------------------------------

    def add_employer(self, employer):
        """Validates and stores a new employer; returns the stored record."""
        return self._store(Employer, "add_employer", capi.youth_employer_add, employer)

    def update_employer(self, employer):
        """Replaces every field of employer ``employer.id``; returns the stored record."""
        return self._store(Employer, "update_employer", capi.youth_employer_update, employer)

    def get_employer(self, key):
        """The employer with this id; youth.NotFoundError if none."""
        with self._lock:
            return from_fields(Employer, capi.youth_employer_get(
                self._handle(), key_id(key, Employer, "employer")))

    def employers(self):
        """Yields every employer, in name order."""
        with self._lock:
            it = self._owned(capi.youth_employer_iter_new(self._handle()),
                             capi.youth_employer_iter_free)
        return self._iterate(it, capi.youth_employer_next,
                             lambda d: from_fields(Employer, d))

    # ---- programmes and eligibility ------------------------------------------------------

    def load_rules(self, path):
        """Loads programmes from a rules YAML file (all or nothing; a programme whose code
        exists is replaced); returns the number of programmes loaded."""
        with self._lock:
            return capi.youth_rules_load(self._handle(), os.fspath(path))

    def load_rules_data(self, data, name=None):
        """Same as :meth:`load_rules` on a YAML document in memory (str or bytes)."""
        with self._lock:
            return capi.youth_rules_load_buffer(self._handle(), data, name)

    def put_programme(self, programme):
        """Adds a programme, or replaces every rule of the one with the same code; returns the
        stored record."""
        d = programme_to_capi(programme)
        with self._lock:
            capi.youth_programme_put(self._handle(), d)
            return programme_from_capi(capi.youth_programme_get(self._reg, programme.code))

    def get_programme(self, code):
        """The programme with this code; youth.NotFoundError if none."""
        with self._lock:
            return programme_from_capi(capi.youth_programme_get(self._handle(), code))

    def programmes(self):
        """Yields every programme with its rules (:class:`youth.Programme`), in code
        order."""
        with self._lock:
            it = self._owned(capi.youth_programme_iter_new(self._handle()),
                             capi.youth_programme_iter_free)
        return self._iterate(it, capi.youth_programme_next, programme_from_capi)

    def overrides(self, person=None):
        """Yields the recorded overrides (:class:`youth.OverrideRecord`), oldest first: of
        ``person`` (id or Person) or, by default, of everyone."""
        pid = 0 if person is None else person_id(person)
        with self._lock:
            it = self._owned(capi.youth_override_iter_new(self._handle(), pid),
                             capi.youth_override_iter_free)
        return self._iterate(it, capi.youth_override_next, OverrideRecord.from_capi)

    def check_eligibility(self, programme, person, date):
        """Checks whether ``person`` (id or Person) may receive a service of ``programme``
        (code or Programme) on ``date``.  Returns None; raises youth.RuleError whose
        ``.field`` names the first rule broken (``"age_max"``, ``"places"``...)."""
        if isinstance(programme, Programme):
            programme = programme.code
        pid = person_id(person)
        with self._lock:
            capi.youth_eligibility_check(self._handle(), programme, pid, _text("date", date))
