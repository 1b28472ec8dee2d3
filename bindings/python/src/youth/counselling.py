"""Career counselling and life skills: sessions and their rosters (docs/counselling.md).

The dataclasses are built from the C library's description of the records of
``youth/counselling.h``; :class:`CounsellingMixin` gives :class:`youth.Registry` its methods for
them.
"""

from typing import Optional, Union

from . import capi
from .records import (Arg, date_arg, getter, iterator, key_id, key_or_all, optional_date,
                      record, stores, transition, vocab_value, vocabulary)
from .person import Person
from .records import DateLike
from .services import OVERRIDE, PERSON, person_id

__all__ = ["CounsellingSession", "Participant", "COUNSELLING_KINDS", "COUNSELLING_MODES",
           "COUNSELLING_STATES"]

#: Kinds of session, from the C library: {"career_guidance": 1, "life_skills": 2, ...}.
COUNSELLING_KINDS = vocabulary(capi.youth_counselling_kind_name)
#: Modes of session: {"individual": 1, "group": 2}.
COUNSELLING_MODES = vocabulary(capi.youth_counselling_mode_name)
#: Session states: {"open": 1, "closed": 2}.
COUNSELLING_STATES = vocabulary(capi.youth_counselling_state_name)


# The C field is an int whose 0 reads back as unset; an empty roster is 0 people in Python.
@record("counselling_session", defaults={"participants": 0})
class CounsellingSession:
    """A counselling session of a counsellor with one youth (``mode="individual"``) or a
    group (``mode="group"``).

    ``operator_id`` (an active counsellor or coordinator), ``date``, ``kind`` (one of
    :data:`youth.COUNSELLING_KINDS`), ``mode`` and ``duration_minutes`` (1-600) are required;
    ``topic``, ``outcome`` and ``place`` are optional.  Set by the library: ``exchange_id``
    (the operator's), ``state`` (``open``/``closed``), ``closed_date``, ``participants``.
    """


@record("counselling_participant")
class Participant:
    """One person on the roster of a session: ``attended`` (default True) and a ``note``."""


def _state(state):
    return vocab_value(COUNSELLING_STATES, "state", state, "state name")


class CounsellingMixin:
    """Registry methods for counselling sessions and rosters (uses the Registry's ``_lock``,
    ``_handle()``, ``_locked()``, ``_store``, ``_owned`` and ``_blocks()``)."""

    # ---- sessions ------------------------------------------------------------------------

    add_counselling_session = stores(CounsellingSession, capi.youth_counselling_session_add,
                                     "session", """
        Validates and stores a new session in state ``open``; returns the stored record.""")
    update_counselling_session = stores(CounsellingSession,
                                        capi.youth_counselling_session_update, "session", """
        Replaces date, kind, mode, duration, topic, outcome and place of open session
        ``session.id``; returns the stored record.  youth.StateError when closed,
        youth.RuleError when the roster is too large for the new mode.""")
    get_counselling_session = getter(CounsellingSession, """
        The session with this id (or the CounsellingSession); youth.NotFoundError if none.""")
    set_counselling_session_state = transition(
        CounsellingSession, capi.youth_counselling_session_set_state, "session", """
        Moves a session to ``state`` ("closed") on ``date``; returns the stored record.""",
        Arg("state", _state, hint=Union[str, int]), Arg("date", date_arg))
    close_counselling_session = transition(
        CounsellingSession, capi.youth_counselling_session_close, "session", """
        Closes a session on ``date`` (roster size rule: individual 1, group 2-60, else
        youth.RuleError; already closed: youth.StateError); returns the stored record.""",
        Arg("date", date_arg))
    counselling_sessions = iterator(CounsellingSession, """
        Yields every session, or those whose roster holds ``person`` (id or Person), in date
        order (then id).""", PERSON)

    # ---- rosters -------------------------------------------------------------------------

    add_participant = stores(Participant, capi.youth_counselling_add_participant, "participant", """
        Adds ``participant.person_id`` to the roster of open session ``participant.session_id``;
        returns the stored Participant.

        The rules of programme ``counselling`` are checked at the session's date
        (youth.RuleError) unless ``override`` (a youth.Override or a dict) is given.
        """, OVERRIDE)

    def remove_participant(self, session: Union[int, "CounsellingSession"],
                           person: Union[int, Person]) -> None:
        """Takes a person off the roster of an open session."""
        sid, pid = key_id(session, CounsellingSession), person_id(person)
        self._locked(capi.youth_counselling_remove_participant, sid, pid)

    def set_attended(self, session: Union[int, "CounsellingSession"], person: Union[int, Person],
                     attended: bool = True, note: Optional[str] = None) -> "Participant":
        """Records whether a person attended an open session and replaces the note (None
        clears it); returns the stored roster row."""
        sid, pid = key_id(session, CounsellingSession), person_id(person)
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

    get_participant = getter(Participant, """
        The roster row with this id (or the Participant); youth.NotFoundError if none.""")
    participants = iterator(Participant, """
        Yields roster rows of a session and/or a person (None = any), in id order.""",
        Arg("session", key_or_all(CounsellingSession), None), PERSON)

    def count_counselled(self, from_: Optional[DateLike] = None,
                         to: Optional[DateLike] = None) -> int:
        """Distinct persons who attended at least one closed session dated between ``from_``
        and ``to`` inclusive (None = unbounded): the "youths counselled" indicator."""
        with self._lock:
            return capi.youth_counselling_count_persons(
                self._handle(), optional_date("from", from_), optional_date("to", to))
