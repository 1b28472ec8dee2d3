"""Consent per purpose: given, withdrawn, given again, its whole history kept
(docs/privacy.md, "Consent").

:class:`Consent` is built from the C library's description of ``youth/consent.h``;
:class:`ConsentMixin` gives :class:`youth.Registry` its methods for it.
"""

import datetime
from typing import List, Optional, Union

from . import capi
from .person import Person
from .records import DateLike, Records, record
from .services import person_id

__all__ = ["Consent", "CONSENT_STATES"]

#: The states a consent row records.
CONSENT_STATES = ("given", "withdrawn")


@record("consent")
class Consent:
    """One row of a person's consent history for one purpose.

    ``person_id``, ``purpose`` (one of :meth:`Registry.purposes`) and ``date`` (not in the
    future, not before the person's birth nor the latest row of the same person and purpose)
    are required; ``state`` (``given`` or ``withdrawn``) is set by the call that records it;
    ``recorded_by`` defaults to the registry's actor; ``evidence`` says where the proof is.
    """


class ConsentMixin:
    """Registry methods for consent (uses the Registry's ``_lock``, ``_handle()``,
    ``_locked()``, ``_store``, ``_owned`` and ``_iterate()``)."""

    def _consent(self, write, person, purpose, date, recorded_by, evidence):
        if date is None:
            date = datetime.date.today()
        row = Consent(person_id=person_id(person), purpose=purpose, date=date,
                      recorded_by=recorded_by, evidence=evidence)
        return self._store(Consent, "consent", write, row)

    def give_consent(self, person: Union[int, Person], purpose: str,
                     date: Optional[DateLike] = None, recorded_by: Optional[str] = None,
                     evidence: Optional[str] = None) -> Consent:
        """Records that ``person`` (id or Person) gives consent for ``purpose`` on ``date``
        (default: today); appends a row and returns it.  ``recorded_by`` defaults to the
        actor set on the registry.  For ``census`` the person's ``consent`` flag follows."""
        return self._consent(capi.youth_consent_give, person, purpose, date, recorded_by,
                             evidence)

    def withdraw_consent(self, person: Union[int, Person], purpose: str,
                         date: Optional[DateLike] = None, recorded_by: Optional[str] = None,
                         evidence: Optional[str] = None) -> Consent:
        """Records that ``person`` withdraws consent for ``purpose``; youth.StateError when it
        is not active (never given, or already withdrawn)."""
        return self._consent(capi.youth_consent_withdraw, person, purpose, date, recorded_by,
                             evidence)

    def consents(self, person: Union[int, Person, None] = None,
                 purpose: Optional[str] = None) -> "Records[Consent]":
        """Yields the consent history, oldest row first: of one person (id or Person; None:
        everyone), for one purpose (None: every purpose)."""
        pid = 0 if person is None else person_id(person)
        with self._lock:
            it = self._owned(capi.youth_consent_iter_new(self._handle(), pid, purpose),
                             capi.youth_consent_iter_free)
        return self._iterate(it, capi.youth_consent_next, Consent._youth_from, Consent)

    def has_consent(self, person: Union[int, Person], purpose: str) -> bool:
        """True when the latest row of ``person`` for ``purpose`` is a giving (for ``census``
        without rows: the person's legacy flag).  youth.InvalidError names an unknown purpose
        and the allowed ones."""
        with self._lock:
            return capi.youth_py_consent_active(self._handle(), person_id(person), purpose)[0]

    def consent_since(self, person: Union[int, Person],
                      purpose: str) -> Optional[datetime.date]:
        """The date (datetime.date) of the row that decides :meth:`has_consent`, or None."""
        with self._lock:
            since = capi.youth_py_consent_active(self._handle(), person_id(person), purpose)[1]
        return None if since is None else datetime.date.fromisoformat(since)

    def purposes(self) -> List[str]:
        """The purposes of consent of this registry (the five defaults and those a rules file
        added), in alphabetical order."""
        text = self._locked(capi.youth_py_purposes)
        return text.split(", ") if text else []
