"""Vocational courses, their cohorts, and enrollments (docs/courses.md).

The dataclasses mirror the C records of ``youth/course.h`` field by field;
:class:`CoursesMixin` gives :class:`youth.Registry` its methods for them.
"""

import datetime
from dataclasses import dataclass
from typing import Optional, Union

from . import capi
from .person import _text
from .records import from_fields, key_id, record, vocab_value, vocabulary
from .services import override_to_capi, person_id

__all__ = ["Course", "Cohort", "Enrollment", "ENROLLMENT_STATES"]

DateLike = Union[datetime.date, str]

#: Enrollment states, from the C library: {"applied": 1, "enrolled": 2, ...}.
ENROLLMENT_STATES = vocabulary(capi.youth_enrollment_state_name)


@record("course")
@dataclass
class Course:
    """An entry of the catalogue: ``code`` (unique), ``title``, ``provider`` and ``hours``
    (1-2000) are required; ``job_profile`` is optional."""

    id: Optional[int] = None
    uuid: Optional[str] = None
    code: Optional[str] = None
    title: Optional[str] = None
    provider: Optional[str] = None
    job_profile: Optional[str] = None
    hours: Optional[int] = None


@record("cohort")
@dataclass
class Cohort:
    """One run of a course, organised by an exchange.

    ``capacity`` is 1-500 places; ``min_attendance`` the percent needed to complete (None on
    add means 80, and the stored record holds 80).
    """

    id: Optional[int] = None
    uuid: Optional[str] = None
    course_id: Optional[int] = None
    exchange_id: Optional[int] = None
    code: Optional[str] = None
    start_date: Optional[DateLike] = None
    end_date: Optional[DateLike] = None
    place: Optional[str] = None
    capacity: Optional[int] = None
    min_attendance: Optional[int] = None


@record("enrollment")
@dataclass
class Enrollment:
    """A person's enrollment in a cohort.

    Give ``cohort_id``, ``person_id``, ``operator_id`` and ``applied_date`` to
    :meth:`Registry.apply`; the other fields are set by the library and read back:
    ``state`` (one of :data:`youth.ENROLLMENT_STATES`), ``state_date``, ``attendance``
    (percent, None when not recorded), ``certificate_date`` and ``reason``.
    """

    id: Optional[int] = None
    uuid: Optional[str] = None
    cohort_id: Optional[int] = None
    person_id: Optional[int] = None
    operator_id: Optional[int] = None
    state: Optional[str] = None
    applied_date: Optional[DateLike] = None
    state_date: Optional[datetime.date] = None
    attendance: Optional[int] = None
    certificate_date: Optional[datetime.date] = None
    reason: Optional[str] = None




class CoursesMixin:
    """Registry methods for courses, cohorts and enrollments (uses the Registry's ``_lock``,
    ``_handle()`` and ``_iterate()``)."""

    # ---- courses -------------------------------------------------------------------------

    def add_course(self, course):
        """Validates and stores a new course; returns the stored record."""
        return self._store(Course, "add_course", capi.youth_course_add, course)

    def update_course(self, course):
        """Replaces every field of course ``course.id``; returns the stored record."""
        return self._store(Course, "update_course", capi.youth_course_update, course)

    def get_course(self, key):
        """The course with int id ``key`` or code ``key``; youth.NotFoundError if none."""
        with self._lock:
            reg = self._handle()
            if isinstance(key, str):
                return from_fields(Course, capi.youth_course_get_by_code(reg, key))
            return from_fields(Course, capi.youth_course_get(reg, key_id(key, Course, "course")))

    def courses(self):
        """Yields the catalogue, in code order."""
        with self._lock:
            it = self._owned(capi.youth_course_iter_new(self._handle()),
                             capi.youth_course_iter_free)
        return self._iterate(it, capi.youth_course_next, lambda d: from_fields(Course, d))

    # ---- cohorts -------------------------------------------------------------------------

    def add_cohort(self, cohort):
        """Validates and stores a new cohort; returns the stored record."""
        return self._store(Cohort, "add_cohort", capi.youth_cohort_add, cohort)

    def update_cohort(self, cohort):
        """Replaces every field of cohort ``cohort.id``; returns the stored record.
        youth.RuleError when the change contradicts the cohort's enrollments (a capacity
        below the places taken, an end before an application, attendance outside the dates,
        another course once anyone applied, another minimum once anyone completed)."""
        return self._store(Cohort, "update_cohort", capi.youth_cohort_update, cohort)

    def get_cohort(self, key):
        """The cohort with this id; youth.NotFoundError if none."""
        with self._lock:
            return from_fields(Cohort, capi.youth_cohort_get(
                self._handle(), key_id(key, Cohort, "cohort")))

    def cohorts(self, course=None):
        """Yields the cohorts of one course (id, code or Course), or of all, in start date
        order."""
        with self._lock:
            if course is None:
                cid = 0
            elif isinstance(course, str):
                cid = self.get_course(course).id
            else:
                cid = key_id(course, Course, "course")
            it = self._owned(capi.youth_cohort_iter_new(self._handle(), cid),
                             capi.youth_cohort_iter_free)
        return self._iterate(it, capi.youth_cohort_next, lambda d: from_fields(Cohort, d))

    def cohort_taken(self, cohort):
        """Places taken in a cohort: its enrollments in state enrolled or completed."""
        with self._lock:
            return capi.youth_cohort_taken(self._handle(), key_id(cohort, Cohort, "cohort"))

    # ---- enrollments ---------------------------------------------------------------------

    def apply(self, enrollment, override=None):
        """Records an application (state ``applied``); returns the stored Enrollment.

        The eligibility rules of programme ``vocational`` are checked at ``applied_date``: a
        person who breaks one raises youth.RuleError (``.field`` names the rule) unless
        ``override`` is given -- a :class:`youth.Override`, or a dict
        ``{"operator_id": ..., "reason": ...}`` -- in which case every rule set aside is
        recorded with the operator and the reason.
        """
        return self._store(Enrollment, "apply",
                           capi.youth_enrollment_apply, enrollment, override_to_capi(override))

    def _enrollment_after(self, key, call, *args):
        eid = key_id(key, Enrollment, "enrollment")
        with self._lock:
            call(self._handle(), eid, *args)
            return from_fields(Enrollment, capi.youth_enrollment_get(self._reg, eid))

    def set_enrollment_state(self, enrollment, state, date, reason=None):
        """Moves an enrollment (id or Enrollment) to ``state`` ("enrolled", "completed",
        "dropped", "not_eligible") on ``date``; returns the stored record.

        ``reason`` is required for dropped and not_eligible and refused otherwise.  Raises
        youth.StateError for a transition not allowed, youth.RuleError for a full cohort
        (``.field == "capacity"``) or an attendance below the minimum (``"attendance"``).
        """
        value = vocab_value(ENROLLMENT_STATES, "state", state, "state name")
        return self._enrollment_after(enrollment, capi.youth_enrollment_set_state, value,
                                      _text("date", date), reason)

    def set_attendance(self, enrollment, percent):
        """Records attendance as a percentage (0-100) of an enrolled or completed enrollment;
        returns the stored record."""
        if isinstance(percent, bool) or not isinstance(percent, int):
            raise TypeError("percent: expected int, got %s" % type(percent).__name__)
        return self._enrollment_after(enrollment, capi.youth_enrollment_set_attendance, percent)

    def record_session(self, enrollment, date, present=True):
        """Records one session of an enrolled person as attended or missed (the same date
        again replaces it); attendance becomes the share of sessions attended.  Returns the
        stored record."""
        return self._enrollment_after(enrollment, capi.youth_enrollment_record_session,
                                      _text("date", date), 1 if present else 0)

    def issue_certificate(self, enrollment, date):
        """Records the certificate of a completed enrollment as issued on ``date`` (once);
        returns the stored record.  youth.StateError if not completed or already issued."""
        return self._enrollment_after(enrollment, capi.youth_enrollment_issue_certificate,
                                      _text("date", date))

    def get_enrollment(self, key):
        """The enrollment with this id; youth.NotFoundError if none."""
        with self._lock:
            return from_fields(Enrollment, capi.youth_enrollment_get(
                self._handle(), key_id(key, Enrollment, "enrollment")))

    def enrollments(self, cohort=None, person=None):
        """Yields the enrollments of a cohort (id or Cohort) and/or a person (id or Person),
        or all, in id order."""
        cid = 0 if cohort is None else key_id(cohort, Cohort, "cohort")
        pid = 0 if person is None else person_id(person)
        with self._lock:
            it = self._owned(capi.youth_enrollment_iter_new(self._handle(), cid, pid),
                             capi.youth_enrollment_iter_free)
        return self._iterate(it, capi.youth_enrollment_next,
                             lambda d: from_fields(Enrollment, d))

