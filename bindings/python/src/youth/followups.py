"""Outcome follow-ups: what became of a youth months after leaving a service
(docs/followup.md).

:class:`Followup` mirrors the C record of ``youth/followup.h`` field by field;
:class:`FollowupsMixin` gives :class:`youth.Registry` its methods for it.
"""

import datetime
from dataclasses import dataclass
from typing import Optional, Union

from . import capi
from .errors import InvalidError
from .person import _text
from .records import from_fields, key_id, record, vocabulary
from .services import person_id

__all__ = ["Followup", "FOLLOWUP_STATUSES"]

DateLike = Union[datetime.date, str]

#: Situations found at a follow-up: {"employed_formal": 1, ..., "neet": 6}.
FOLLOWUP_STATUSES = vocabulary(capi.youth_followup_status_name)


@record("followup")
@dataclass
class Followup:
    """One follow-up of one youth.

    ``person_id``, ``operator_id``, ``date``, ``horizon_months`` (1-60, usually 3, 6 or 12)
    and ``status`` (one of :data:`youth.FOLLOWUP_STATUSES`) are required; ``employer_id`` is
    required for the employed statuses and refused otherwise; ``service`` (``enrollment``,
    ``counselling``, ``scholarship``, ``seed_capital``, ``plan``) goes with ``service_id``.
    ``exchange_id`` is set by the library (the operator's).
    """

    id: Optional[int] = None
    uuid: Optional[str] = None
    person_id: Optional[int] = None
    operator_id: Optional[int] = None
    exchange_id: Optional[int] = None
    date: Optional[DateLike] = None
    horizon_months: Optional[int] = None
    status: Optional[str] = None
    employer_id: Optional[int] = None
    service: Optional[str] = None
    service_id: Optional[int] = None
    notes: Optional[str] = None


def _status_value(status):
    if status is None:
        return 0
    if isinstance(status, bool):
        raise TypeError("status: expected a status name, got bool")
    if isinstance(status, int):
        return status
    if isinstance(status, str):
        try:
            return FOLLOWUP_STATUSES[status]
        except KeyError:
            raise InvalidError("status %r: not one of %s"
                               % (status, ", ".join(FOLLOWUP_STATUSES)),
                               code=capi.YOUTH_EINVAL, field="status") from None
    raise TypeError("status: expected a status name, got %s" % type(status).__name__)


def _optional_date(name, value):
    return None if value is None else _text(name, value)


class FollowupsMixin:
    """Registry methods for follow-ups (uses the Registry's ``_lock``, ``_handle()``,
    ``_owned`` and ``_iterate()``)."""

    def add_followup(self, followup):
        """Validates and stores a follow-up; returns the stored record."""
        return self._store(Followup, "add_followup", capi.youth_followup_add, followup)

    def update_followup(self, followup):
        """Replaces every field of follow-up ``followup.id``; returns the stored record."""
        return self._store(Followup, "update_followup", capi.youth_followup_update, followup)

    def delete_followup(self, followup):
        """Deletes a follow-up (id or Followup)."""
        with self._lock:
            capi.youth_followup_delete(self._handle(), key_id(followup, Followup, "followup"))

    def get_followup(self, key):
        """The follow-up with this id; youth.NotFoundError if none."""
        with self._lock:
            return from_fields(Followup, capi.youth_followup_get(
                self._handle(), key_id(key, Followup, "followup")))

    def latest_followup(self, person):
        """The most recent follow-up of a person (id or Person); youth.NotFoundError if
        none."""
        with self._lock:
            return from_fields(Followup, capi.youth_followup_latest(self._handle(),
                                                                   person_id(person)))

    def followups(self, person=None, status=None, from_=None, to=None):
        """Yields follow-ups in date order (then id): of one person (id or Person), and/or with
        one ``status``, dated between ``from_`` and ``to`` inclusive (None = any)."""
        pid = 0 if person is None else person_id(person)
        if status is None and from_ is None and to is None:
            with self._lock:
                it = self._owned(capi.youth_followup_iter_new(self._handle(), pid),
                                 capi.youth_followup_iter_free)
            return self._iterate(it, capi.youth_followup_next,
                                 lambda d: from_fields(Followup, d))
        st = _status_value(status)
        with self._lock:
            it = self._owned(capi.youth_followup_iter_range(
                self._handle(), st, _optional_date("from", from_), _optional_date("to", to)),
                capi.youth_followup_iter_free)
        gen = self._iterate(it, capi.youth_followup_next, lambda d: from_fields(Followup, d))
        if not pid:
            return gen
        return (f for f in gen if f.person_id == pid)

    def followup_count(self, status=None, horizon=None, from_=None, to=None):
        """Number of follow-ups with ``status`` (None = any) at ``horizon`` months (None =
        any) dated between ``from_`` and ``to`` inclusive: e.g. youths in formal jobs 6 months
        after leaving a service in 2009: ``followup_count("employed_formal", 6, "2009-01-01",
        "2009-12-31")``."""
        if horizon is not None and (isinstance(horizon, bool) or not isinstance(horizon, int)):
            raise TypeError("horizon: expected int or None, got %s" % type(horizon).__name__)
        with self._lock:
            return capi.youth_followup_count(self._handle(), _status_value(status),
                                             horizon or 0, _optional_date("from", from_),
                                             _optional_date("to", to))
