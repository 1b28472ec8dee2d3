"""Vocational courses, their cohorts, and enrollments (docs/courses.md).

The dataclasses are built from the C library's description of ``youth/course.h``'s records;
:class:`CoursesMixin` gives :class:`youth.Registry` its methods for them.
"""

from typing import Optional, Union

from . import capi
from .records import (Arg, date_arg, getter, iterator, key_id, key_or_all, record, stores,
                      transition, vocab_value, vocabulary)
from .services import OVERRIDE, PERSON

__all__ = ["Course", "Cohort", "Enrollment", "ENROLLMENT_STATES"]

#: Enrollment states, from the C library: {"applied": 1, "enrolled": 2, ...}.
ENROLLMENT_STATES = vocabulary(capi.youth_enrollment_state_name)


@record("course")
class Course:
    """An entry of the catalogue: ``code`` (unique), ``title``, ``provider`` and ``hours``
    (1-2000) are required; ``job_profile`` is optional."""


@record("cohort")
class Cohort:
    """One run of a course, organised by an exchange.

    ``capacity`` is 1-500 places; ``min_attendance`` the percent needed to complete (None on
    add means 80, and the stored record holds 80).
    """


@record("enrollment")
class Enrollment:
    """A person's enrollment in a cohort.

    Give ``cohort_id``, ``person_id``, ``operator_id`` and ``applied_date`` to
    :meth:`Registry.apply`; the other fields are set by the library and read back:
    ``state`` (one of :data:`youth.ENROLLMENT_STATES`), ``state_date``, ``attendance``
    (percent, None when not recorded), ``certificate_date`` and ``reason``.
    """


def _course_or_all(reg, course):
    """A course filter: None (all), an id, a code or a Course."""
    if course is None:
        return 0
    if isinstance(course, str):
        return reg.get_course(course).id
    return key_id(course, Course)


def _state(state):
    return vocab_value(ENROLLMENT_STATES, "state", state, "state name")


def _percent(percent):
    if isinstance(percent, bool) or not isinstance(percent, int):
        raise TypeError("percent: expected int, got %s" % type(percent).__name__)
    return percent


def _flag(value):
    return 1 if value else 0


class CoursesMixin:
    """Registry methods for courses, cohorts and enrollments (uses the Registry's ``_lock``,
    ``_handle()``, ``_locked()``, ``_store``, ``_owned`` and ``_blocks()``)."""

    # ---- courses -------------------------------------------------------------------------

    add_course = stores(Course, capi.youth_course_add, "course", """
        Validates and stores a new course; returns the stored record.""")
    update_course = stores(Course, capi.youth_course_update, "course", """
        Replaces every field of course ``course.id``; returns the stored record.""")
    get_course = getter(Course, """
        The course with int id ``key`` or code ``key``; youth.NotFoundError if none.""",
        by_code=True)
    courses = iterator(Course, """Yields the catalogue, in code order.""")

    # ---- cohorts -------------------------------------------------------------------------

    add_cohort = stores(Cohort, capi.youth_cohort_add, "cohort", """
        Validates and stores a new cohort; returns the stored record.""")
    update_cohort = stores(Cohort, capi.youth_cohort_update, "cohort", """
        Replaces every field of cohort ``cohort.id``; returns the stored record.
        youth.RuleError when the change contradicts the cohort's enrollments (a capacity below
        the places taken, an end before an application, attendance outside the dates, another
        course once anyone applied, another minimum once anyone completed).""")
    get_cohort = getter(Cohort, """The cohort with this id; youth.NotFoundError if none.""")
    cohorts = iterator(Cohort, """
        Yields the cohorts of one course (id, code or Course), or of all, in start date order.""",
        Arg("course", _course_or_all, None, with_self=True,
            hint=Union[int, str, Course, None]))

    def cohort_taken(self, cohort: Union[int, "Cohort"]) -> int:
        """Places taken in a cohort: its enrollments in state enrolled or completed."""
        return self._locked(capi.youth_cohort_taken, key_id(cohort, Cohort))

    # ---- enrollments ---------------------------------------------------------------------

    apply = stores(Enrollment, capi.youth_enrollment_apply, "enrollment", """
        Records an application (state ``applied``); returns the stored Enrollment.

        The eligibility rules of programme ``vocational`` are checked at ``applied_date``: a
        person who breaks one raises youth.RuleError (``.field`` names the rule) unless
        ``override`` is given -- a :class:`youth.Override`, or a dict
        ``{"operator_id": ..., "reason": ...}`` -- in which case every rule set aside is
        recorded with the operator and the reason.
        """, OVERRIDE)
    set_enrollment_state = transition(Enrollment, capi.youth_enrollment_set_state, "enrollment", """
        Moves an enrollment (id or Enrollment) to ``state`` ("enrolled", "completed", "dropped",
        "not_eligible") on ``date``; returns the stored record.

        ``reason`` is required for dropped and not_eligible and refused otherwise.  Raises
        youth.StateError for a transition not allowed, youth.RuleError for a full cohort
        (``.field == "capacity"``) or an attendance below the minimum (``"attendance"``).
        """, Arg("state", _state, hint=Union[str, int]), Arg("date", date_arg), Arg("reason", default=None, hint=Optional[str]))
    set_attendance = transition(Enrollment, capi.youth_enrollment_set_attendance, "enrollment", """
        Records attendance as a percentage (0-100) of an enrolled or completed enrollment;
        returns the stored record.""", Arg("percent", _percent, hint=int))
    record_session = transition(Enrollment, capi.youth_enrollment_record_session, "enrollment", """
        Records one session of an enrolled person as attended or missed (the same date again
        replaces it); attendance becomes the share of sessions attended.  Returns the stored
        record.""",
        Arg("date", date_arg), Arg("present", _flag, True, hint=bool))
    issue_certificate = transition(Enrollment, capi.youth_enrollment_issue_certificate,
                                   "enrollment", """
        Records the certificate of a completed enrollment as issued on ``date`` (once); returns
        the stored record.  youth.StateError if not completed or already issued.""",
        Arg("date", date_arg))
    get_enrollment = getter(Enrollment, """
        The enrollment with this id; youth.NotFoundError if none.""")
    enrollments = iterator(Enrollment, """
        Yields the enrollments of a cohort (id or Cohort) and/or a person (id or Person), or
        all, in id order.""",
        Arg("cohort", key_or_all(Cohort), None), PERSON)
