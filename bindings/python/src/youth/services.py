"""Employment exchanges, their operators, employers, and the programmes' eligibility rules.

The dataclasses are built from the C library's description of the records of
``youth/exchange.h`` and ``youth/rules.h``; :class:`ServicesMixin` gives :class:`youth.Registry`
its methods for them.
"""

import datetime
import os
from dataclasses import dataclass

from typing import Any, Dict, Optional, Union

from . import capi
from .person import Person
from .records import (Arg, _text, call, date_arg, getter, iterator, key_id, key_or_all, kinds,
                      record, stores, vocabulary)
from .records import DateLike, PathLike, Records

__all__ = ["Exchange", "Organisation", "ORGANISATION_TYPES", "Operator", "Employer", "Programme", "Override", "ROLES", "PROGRAMMES"]

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
class Exchange:
    """A municipal employment exchange (bolsa de empleo).

    ``code`` (unique, 1-16 letters, digits, ``-``, ``_``), ``name`` and ``place`` (any form of
    a gazetteer place; read back as its full path) are required; ``opened_date`` is optional.
    """


@record("organisation")
class Organisation:
    """An organisation whose operators record work: a municipal exchange (type
    ``"exchange"``), CONAMYPE (``"conamype"``), one of its women's entrepreneurship centres
    (``"centre"``) or a training provider (``"training_provider"``).

    ``code`` (unique among all organisations), ``name``, ``type`` and ``place`` are required;
    ``parent_id`` is the organisation it belongs to (a centre: CONAMYPE).  The type never
    changes.  An operator belongs to one organisation (``Operator.exchange_id``), so CONAMYPE's
    staff record the female entrepreneurship window without being operators of an exchange.
    """


#: The types of organisation, in the order of ``youth_organisation_type``.
ORGANISATION_TYPES = ("exchange", "conamype", "centre", "training_provider")


@record("operator")
class Operator:
    """A person working at an exchange who records services.

    ``role`` is one of :data:`youth.ROLES` (``"counsellor"``, ``"intake"``, ``"placement"``,
    ``"coordinator"``); an inactive operator (``active=False``) stays on record but can no
    longer record services or authorise overrides.
    """

    @property
    def full_name(self) -> str:
        parts = (self.given_names, self.first_surname, self.second_surname)
        return " ".join(p for p in parts if p)


@record("employer")
class Employer:
    """An employer offering first jobs.  ``nit`` is the tax id ``NNNN-NNNNNN-NNN-N``."""


@record("programme")
class Programme:
    """A programme and its eligibility rules (docs/rules.md).

    ``None`` (or an empty list) means "no such rule": ``age_min``/``age_max`` are ages in whole
    years on the service date; ``places`` gazetteer places served (a person below one is
    inside; read back as full paths in path order); ``census_rounds`` the rounds accepted.
    """


@dataclass(frozen=True)
class Override:
    """An explicit override of eligibility rules: the (active) operator taking responsibility
    and why.  The service goes through and every rule set aside is recorded."""

    operator_id: int
    reason: str


@record("override", complete=True, frozen=True)
class OverrideRecord:
    """An override as recorded: which programme's rule was set aside for whom, in which
    service record, by which operator, why, and on which service date."""

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


def _split(text):
    if not text:
        return []
    return [item.strip() for item in text.split(",") if item.strip()]


def _typed(to_c):
    """How each field of a programme crosses the SWIG layer, which has a dict of typed members
    for it (no text interface in C): [(name, convert)], from the description."""
    out = []
    for c in kinds()["programme"]["fields"]:
        if c["list"]:
            convert = _list if to_c else (lambda name, v: _split(v))
        elif c["type"] == "int":  # 0 is "no such rule"
            convert = _rule_int if to_c else (lambda name, v: v or None)
        elif c["type"] == "bool":
            convert = _flag if to_c else (lambda name, v: bool(v))
        else:
            convert = lambda name, v: v  # noqa: E731 - ids and texts cross as they are
        out.append((c["name"], convert))
    return tuple(out)


_PROGRAMME_TO_C, _PROGRAMME_FROM_C = _typed(True), _typed(False)


def programme_to_capi(p):
    """A Programme -> the typed dict of the SWIG layer (0 for an unset age, lists as text)."""
    if not isinstance(p, Programme):
        raise TypeError("expected a youth.Programme, got %s" % type(p).__name__)
    return {name: convert(name, getattr(p, name)) for name, convert in _PROGRAMME_TO_C}


def programme_from_capi(d):
    """The typed dict of the SWIG layer -> a Programme."""
    return Programme(**{name: convert(name, d[name]) for name, convert in _PROGRAMME_FROM_C})


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
    """An int id, or the id of a youth.Person."""
    return key_id(person, Person)


#: The ``override`` argument of the adds that check eligibility rules (declared methods).
OVERRIDE = Arg("override", override_to_capi, None,
               hint=Union[Override, Dict[str, Any], None])
#: The ``person`` filter of iterators: None (anyone), an id or a Person.
PERSON = Arg("person", key_or_all(Person), None)


def _exchange_or_all(reg, exchange):
    """An organisation filter: None (all), an id, a code, an Exchange or an Organisation."""
    if exchange is None:
        return 0
    if isinstance(exchange, str):
        return reg.get_organisation(exchange).id
    if isinstance(exchange, Organisation):
        return exchange.id
    return reg._exchange_id(exchange)


def _type_or_all(type):
    """A type filter: None (all) or one of ORGANISATION_TYPES."""
    if type is None:
        return 0
    if type not in ORGANISATION_TYPES:
        raise ValueError("type %r: not one of %s" % (type, ", ".join(ORGANISATION_TYPES)))
    return ORGANISATION_TYPES.index(type) + 1


class ServicesMixin:
    """Registry methods for exchanges, operators, employers and programmes (uses the
    Registry's ``_lock``, ``_handle()``, ``_store``, ``_owned``, ``_blocks()`` and
    ``_iterate()``)."""

    # ---- exchanges -----------------------------------------------------------------------

    add_exchange = stores(Exchange, capi.youth_exchange_add, "exchange", """
        Validates and stores a new exchange; returns the stored record.""")
    update_exchange = stores(Exchange, capi.youth_exchange_update, "exchange", """
        Replaces every field of exchange ``exchange.id`` (code, name, place, opened date);
        services recorded there follow it.  Returns the stored record.""")
    get_exchange = getter(Exchange, """
        The exchange with int id ``key`` or code ``key``; youth.NotFoundError if none.""",
        by_code=True)
    exchanges = iterator(Exchange, """Yields every exchange, in code order.""")

    def _exchange_id(self, exchange):
        if isinstance(exchange, str):
            return self.get_exchange(exchange).id
        return key_id(exchange, Exchange)

    # ---- organisations -------------------------------------------------------------------

    add_organisation = stores(Organisation, capi.youth_organisation_add, "organisation", """
        Validates and stores a new organisation (CONAMYPE, a centre, a training provider, or
        an exchange); returns the stored record.""")
    update_organisation = stores(Organisation, capi.youth_organisation_update, "organisation",
        """Replaces the fields of organisation ``organisation.id`` (its type never changes);
        returns the stored record.""")
    get_organisation = getter(Organisation, """
        The organisation (of any type) with int id ``key`` or code ``key``;
        youth.NotFoundError if none.""", by_code=True)
    organisations = iterator(Organisation, """
        Yields the organisations of one type (``"conamype"``, ``"centre"``...), or of every
        type, in code order.""", Arg("type", _type_or_all, None))

    # ---- operators -----------------------------------------------------------------------

    add_operator = stores(Operator, capi.youth_operator_add, "operator", """
        Validates and stores a new operator; returns the stored record.""")
    update_operator = stores(Operator, capi.youth_operator_update, "operator", """
        Replaces every field of operator ``operator.id`` (e.g. ``active=False``); returns the
        stored record.""")
    get_operator = getter(Operator, """The operator with this id; youth.NotFoundError if none.""")
    operators = iterator(Operator, """
        Yields the operators of one organisation (id, code, Exchange or Organisation: a
        municipal exchange, CONAMYPE, a centre), or of all, in id order.""",
        Arg("exchange", _exchange_or_all, None, with_self=True))

    # ---- employers -----------------------------------------------------------------------

    add_employer = stores(Employer, capi.youth_employer_add, "employer", """
        Validates and stores a new employer; returns the stored record.""")
    update_employer = stores(Employer, capi.youth_employer_update, "employer", """
        Replaces every field of employer ``employer.id``; returns the stored record.""")
    get_employer = getter(Employer, """The employer with this id; youth.NotFoundError if none.""")
    employers = iterator(Employer, """Yields every employer, in name order.""")

    # ---- programmes and eligibility ------------------------------------------------------

    load_rules = call(capi.youth_rules_load, """
        Loads programmes from a rules YAML file (all or nothing; a programme whose code exists
        is replaced); returns the number of programmes loaded.""", Arg("path", os.fspath, hint=PathLike),
        returns=int)
    load_rules_data = call(capi.youth_rules_load_buffer, """
        Same as :meth:`load_rules` on a YAML document in memory (str or bytes).""",
        Arg("data", hint=Union[str, bytes]), Arg("name", default=None, hint=Optional[str]),
        returns=int)

    def put_programme(self, programme: "Programme") -> "Programme":
        """Adds a programme, or replaces every rule of the one with the same code; returns the
        stored record."""
        d = programme_to_capi(programme)
        with self._lock:
            capi.youth_programme_put(self._handle(), d)
            return programme_from_capi(capi.youth_programme_get(self._reg, programme.code))

    def get_programme(self, code: str) -> "Programme":
        """The programme with this code; youth.NotFoundError if none."""
        with self._lock:
            return programme_from_capi(capi.youth_programme_get(self._handle(), code))

    def programmes(self) -> "Records[Programme]":
        """Yields every programme with its rules (:class:`youth.Programme`), in code
        order."""
        with self._lock:
            it = self._owned(capi.youth_programme_iter_new(self._handle()),
                             capi.youth_programme_iter_free)
        return self._iterate(it, capi.youth_programme_next, programme_from_capi, Programme)

    def overrides(self, person: Union[int, Person, None] = None) -> "Records[OverrideRecord]":
        """Yields the recorded overrides (:class:`youth.OverrideRecord`), oldest first: of
        ``person`` (id or Person) or, by default, of everyone."""
        pid = 0 if person is None else person_id(person)
        with self._lock:
            it = self._owned(capi.youth_override_iter_new(self._handle(), pid),
                             capi.youth_override_iter_free)
        return self._iterate(it, capi.youth_override_next, OverrideRecord.from_capi,
                             OverrideRecord)

    def check_eligibility(self, programme: Union[str, "Programme"], person: Union[int, Person],
                          date: DateLike) -> None:
        """Checks whether ``person`` (id or Person) may receive a service of ``programme``
        (code or Programme) on ``date``.  Returns None; raises youth.RuleError whose
        ``.field`` names the first rule broken (``"age_max"``, ``"places"``...)."""
        if isinstance(programme, Programme):
            programme = programme.code
        pid = person_id(person)
        self._locked(capi.youth_eligibility_check, programme, pid, date_arg(date))
