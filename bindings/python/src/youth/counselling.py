"""Career counselling and life skills: sessions and their rosters (docs/counselling.md).

The dataclasses mirror the C records of ``youth/counselling.h`` field by field;
:class:`CounsellingMixin` gives :class:`youth.Registry` its methods for them.
"""

import datetime
from dataclasses import dataclass
from typing import Optional, Union

from . import capi
from .person import _text
from .records import from_fields, key_id, record, vocab_value, vocabulary
from .services import override_to_capi, person_id

__all__ = ["CounsellingSession", "Participant", "COUNSELLING_KINDS", "COUNSELLING_MODES",
           "COUNSELLING_STATES"]

DateLike = Union[datetime.date, str]

#: Kinds of session, from the C library: {"career_guidance": 1, "life_skills": 2, ...}.
COUNSELLING_KINDS = vocabulary(capi.youth_counselling_kind_name)
#: Modes of session: {"individual": 1, "group": 2}.
COUNSELLING_MODES = vocabulary(capi.youth_counselling_mode_name)
#: Session states: {"open": 1, "closed": 2}.
COUNSELLING_STATES = vocabulary(capi.youth_counselling_state_name)


@record("counselling_session")
@dataclass
class CounsellingSession:
    """A counselling session of a counsellor with one youth (``mode="individual"``) or a
    group (``mode="group"``).

    ``operator_id`` (an active counsellor or coordinator), ``date``, ``kind`` (one of
    :data:`youth.COUNSELLING_KINDS`), ``mode`` and ``duration_minutes`` (1-600) are required;
    ``topic``, ``outcome`` and ``place`` are optional.  Set by the library: ``exchange_id``
    (the operator's), ``state`` (``open``/``closed``), ``closed_date``, ``participants``.
    """

    id: Optional[int] = None
    uuid: Optional[str] = None
    operator_id: Optional[int] = None
    exchange_id: Optional[int] = None
    date: Optional[DateLike] = None
    kind: Optional[str] = None
    mode: Optional[str] = None
    duration_minutes: Optional[int] = None
    topic: Optional[str] = None
    outcome: Optional[str] = None
    place: Optional[str] = None
    state: Optional[str] = None
    closed_date: Optional[datetime.date] = None
    participants: int = 0


@record("counselling_participant")
@dataclass
class Participant:
    """One person on the roster of a session: ``attended`` (default True) and a ``note``."""

    id: Optional[int] = None
    uuid: Optional[str] = None
    session_id: Optional[int] = None
    person_id: Optional[int] = None
    attended: bool = True
    note: Optional[str] = None


def _session_id(key):
    return key_id(key, CounsellingSession, "session")




def _optional_date(name, value):
    return None if value is None else _text(name, value)


class CounsellingMixin:
    """Registry methods for counselling sessions and rosters (uses the Registry's ``_lock``,
    ``_handle()``, ``_owned`` and ``_iterate()``)."""

    # ---- sessions ------------------------------------------------------------------------

    def add_counselling_session(self, session):
        """Validates and stores a new session in state ``open``; returns the stored record."""
        return self._store(CounsellingSession, "add_counselling_session",
                           capi.youth_counselling_session_add, session)

    def update_counselling_session(self, session):
        """Replaces date, kind, mode, duration, topic, outcome and place of open session
        ``session.id``; returns the stored record.  youth.StateError when closed,
        youth.RuleError when the roster is too large for the new mode."""
        return self._store(CounsellingSession, "update_counselling_session",
                           capi.youth_counselling_session_update, session)

    def get_counselling_session(self, key):
        """The session with this id (or the CounsellingSession); youth.NotFoundError if none."""
        with self._lock:
            return from_fields(CounsellingSession, capi.youth_counselling_session_get(
                self._handle(), _session_id(key)))

    def set_counselling_session_state(self, session, state, date):
        """Moves a session to ``state`` ("closed") on ``date``; returns the stored record."""
        sid = _session_id(session)
        value = vocab_value(COUNSELLING_STATES, "state", state, "state name")
        with self._lock:
            capi.youth_counselling_session_set_state(self._handle(), sid, value,
                                                     _text("date", date))
            return from_fields(CounsellingSession,
                               capi.youth_counselling_session_get(self._reg, sid))

    def close_counselling_session(self, session, date):
        """Closes a session on ``date`` (roster size rule: individual 1, group 2-60, else
        youth.RuleError; already closed: youth.StateError); returns the stored record."""
        sid = _session_id(session)
        with self._lock:
            capi.youth_counselling_session_close(self._handle(), sid, _text("date", date))
            return from_fields(CounsellingSession,
                               capi.youth_counselling_session_get(self._reg, sid))

    def counselling_sessions(self, person=None):
        """Yields every session, or those whose roster holds ``person`` (id or Person), in
        date order (then id)."""
        pid = 0 if person is None else person_id(person)
        with self._lock:
            it = self._owned(capi.youth_counselling_session_iter_new(self._handle(), pid),
                             capi.youth_counselling_session_iter_free)
        return self._iterate(it, capi.youth_counselling_session_next,
                             lambda d: from_fields(CounsellingSession, d))

    # ---- rosters -------------------------------------------------------------------------

    def add_participant(self, participant, override=None):
        """Adds ``participant.person_id`` to the roster of open session
        ``participant.session_id``; returns the stored Participant.

        The rules of programme ``counselling`` are checked at the session's date
        (youth.RuleError) unless ``override`` (a youth.Override or a dict) is given.
        """
        return self._store(Participant, "add_participant",
                           capi.youth_counselling_add_participant, participant,
                           override_to_capi(override))

    def remove_participant(self, session, person):
        """Takes a person off the roster of an open session."""
        sid, pid = _session_id(session), person_id(person)
        with self._lock:
            capi.youth_counselling_remove_participant(self._handle(), sid, pid)

    def set_attended(self, session, person, attended=True, note=None):
        """Records whether a person attended an open session and replaces the note (None
        clears it); returns the stored roster row."""
        sid, pid = _session_id(session), person_id(person)
        if not isinstance(attended, bool):
            raise TypeError("attended: expected bool, got %s" % type(attended).__name__)
        with self._lock:
            capi.youth_counselling_set_attended(self._handle(), sid, pid, 1 if attended else 0,
                                                note)
            rows = self.participants(session=sid, person=pid)
            try:
                return next(rows, None)
            finally:
                rows.close()

    def get_participant(self, key):
        """The roster row with this id (or the Participant); youth.NotFoundError if none."""
        with self._lock:
            return from_fields(Participant, capi.youth_counselling_participant_get(
                self._handle(), key_id(key, Participant, "participant")))

    def participants(self, session=None, person=None):
        """Yields roster rows of a session and/or a person (None = any), in id order."""
        sid = 0 if session is None else _session_id(session)
        pid = 0 if person is None else person_id(person)
        with self._lock:
            it = self._owned(capi.youth_counselling_participant_iter_new(self._handle(), sid,
                                                                         pid),
                             capi.youth_counselling_participant_iter_free)
        return self._iterate(it, capi.youth_counselling_participant_next,
                             lambda d: from_fields(Participant, d))

    def count_counselled(self, from_=None, to=None):
        """Distinct persons who attended at least one closed session dated between ``from_``
        and ``to`` inclusive (None = unbounded): the "youths counselled" indicator."""
        with self._lock:
            return capi.youth_counselling_count_persons(
                self._handle(), _optional_date("from", from_), _optional_date("to", to))
