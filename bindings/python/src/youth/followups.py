"""Outcome follow-ups: what became of a youth months after leaving a service
(docs/followup.md).

:class:`Followup` is built from the C library's description of the record of
``youth/followup.h``; :class:`FollowupsMixin` gives :class:`youth.Registry` its methods for it.
"""

from typing import Optional, Union

from . import capi
from .records import (getter, iterator, key_id, optional_date, record, stores,
                      vocab_value, vocabulary)
from .person import Person
from .records import DateLike, Records
from .services import PERSON, person_id

__all__ = ["Followup", "FOLLOWUP_STATUSES"]

#: Situations found at a follow-up: {"employed_formal": 1, ..., "neet": 6}.
FOLLOWUP_STATUSES = vocabulary(capi.youth_followup_status_name)


@record("followup")
class Followup:
    """One follow-up of one youth.

    ``person_id``, ``operator_id``, ``date``, ``horizon_months`` (1-60, usually 3, 6 or 12)
    and ``status`` (one of :data:`youth.FOLLOWUP_STATUSES`) are required; ``employer_id`` is
    required for the employed statuses and refused otherwise; ``service`` (``enrollment``,
    ``counselling``, ``scholarship``, ``seed_capital``, ``plan``) goes with ``service_id``.
    ``exchange_id`` is set by the library (the operator's).
    """


def _status_value(status):
    return vocab_value(FOLLOWUP_STATUSES, "status", status, "status name", unset=True)


class FollowupsMixin:
    """Registry methods for follow-ups (uses the Registry's ``_lock``, ``_handle()``,
    ``_locked()``, ``_store``, ``_owned`` and ``_blocks()``)."""

    add_followup = stores(Followup, capi.youth_followup_add, "followup", """
        Validates and stores a follow-up; returns the stored record.""")
    update_followup = stores(Followup, capi.youth_followup_update, "followup", """
        Replaces every field of follow-up ``followup.id``; returns the stored record.""")

    def delete_followup(self, followup: Union[int, "Followup"]) -> None:
        """Deletes a follow-up (id or Followup)."""
        self._locked(capi.youth_followup_delete, key_id(followup, Followup))

    get_followup = getter(Followup, """The follow-up with this id; youth.NotFoundError if none.""")

    def latest_followup(self, person: Union[int, Person]) -> "Followup":
        """The most recent follow-up of a person (id or Person); youth.NotFoundError if
        none."""
        with self._lock:
            return Followup._youth_from(capi.youth_followup_latest(self._handle(),
                                                                   person_id(person)))

    _followups_of = iterator(Followup, """Follow-ups of one person (or everyone).""", PERSON)

    def followups(self, person: Union[int, Person, None] = None,
                  status: Union[str, int, None] = None, from_: Optional[DateLike] = None,
                  to: Optional[DateLike] = None) -> "Records[Followup]":
        """Yields follow-ups in date order (then id): of one person (id or Person), and/or with
        one ``status``, dated between ``from_`` and ``to`` inclusive (None = any)."""
        if status is None and from_ is None and to is None:
            return self._followups_of(person)
        pid = 0 if person is None else person_id(person)
        st = _status_value(status)
        with self._lock:
            it = self._owned(capi.youth_followup_iter_range(
                self._handle(), st, optional_date("from", from_), optional_date("to", to)),
                capi.youth_followup_iter_free)
        if not pid:
            return self._blocks(it, capi.youth_py_followup_block, Followup)
        return self._blocks(it, capi.youth_py_followup_block, Followup,
                            lambda f: f.person_id == pid)

    def followup_count(self, status: Union[str, int, None] = None, horizon: Optional[int] = None,
                       from_: Optional[DateLike] = None, to: Optional[DateLike] = None) -> int:
        """Number of follow-ups with ``status`` (None = any) at ``horizon`` months (None =
        any) dated between ``from_`` and ``to`` inclusive: e.g. youths in formal jobs 6 months
        after leaving a service in 2009: ``followup_count("employed_formal", 6, "2009-01-01",
        "2009-12-31")``."""
        if horizon is not None and (isinstance(horizon, bool) or not isinstance(horizon, int)):
            raise TypeError("horizon: expected int or None, got %s" % type(horizon).__name__)
        with self._lock:
            return capi.youth_followup_count(self._handle(), _status_value(status),
                                             horizon or 0, optional_date("from", from_),
                                             optional_date("to", to))
