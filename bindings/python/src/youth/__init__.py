"""libyouth for Python: the registry of a youth employability programme.

    import youth

    with youth.Registry("census.db", create=True) as reg:
        reg.load_gazetteer("gazetteer.yaml")
        p = reg.add_person(youth.Person(given_names="María José", first_surname="Hernández",
                                        birth_date=datetime.date(1992, 5, 14), sex="female",
                                        place="Santa Eugenia",
                                        census_date=datetime.date(2009, 3, 2),
                                        census_round="census-2009"))
        for person in reg.persons(place="sonsonate/sonsonate-centro", sex="female"):
            print(person.full_name)

Every rule is checked by the C library; failures raise :class:`youth.Error` subclasses that
also derive from Python's own families (ValueError, LookupError, OSError, MemoryError).
See docs/python.md.
"""

import datetime as _datetime
import typing as _typing

from . import capi
from .errors import (  # noqa: F401
    Error, InvalidError, ParseError, LimitError, CancelledError, NotFoundError, ExistsError, ReferencedError,
    StateError, RuleError, StorageError, CorruptError, VersionError, BusyError, ReadOnlyError,
    AccessError, FullError, NoMemoryError, MisuseError,
)
from .person import Event, Person
from .place import Place, LEVELS, LevelLabels
from .services import Exchange, Organisation, ORGANISATION_TYPES, Operator, Employer, Programme, Override, OverrideRecord, ROLES, PROGRAMMES
from .courses import Course, Cohort, Enrollment, ENROLLMENT_STATES
from .counselling import (CounsellingSession, Participant, COUNSELLING_KINDS,
                          COUNSELLING_MODES, COUNSELLING_STATES)
from .scholarships import (Scholarship, Placement, Installment, ScholarshipPayment,
                           ScholarshipBalance, SCHOLARSHIP_STATES, INSTALLMENT_STATES,
                           PAYMENT_METHODS)
from .followups import Followup, FOLLOWUP_STATUSES
from .enterprise import (Group, GroupMember, Plan, Disbursement, Visit, BusinessService,
                         PlanBalance, WINDOWS, PLAN_STATES, BUSINESS_SERVICE_KINDS)
from .registry import Registry, CheckProblem, CheckReport
from .duplicates import DUPLICATE_STATES, DUPLICATE_THRESHOLD, DUPLICATE_LIKELY
from .consent import Consent, CONSENT_STATES
from .interchange import Summary, KINDS, MODES, new_key
from .person import _text as _field_text
from .records import Records, kinds
from .report import (Report, Indicator, Mark, SUPPRESSED, UNDEFINED, NOT_APPLICABLE,
                     indicators)

__all__ = [
    "Event",
    "Registry", "CheckProblem", "CheckReport", "Person", "Place", "LEVELS", "LevelLabels",
    "Exchange", "Organisation", "ORGANISATION_TYPES", "Operator", "Employer", "Programme", "Override", "OverrideRecord", "ROLES", "PROGRAMMES",
    "Course", "Cohort", "Enrollment", "ENROLLMENT_STATES",
    "CounsellingSession", "Participant", "COUNSELLING_KINDS", "COUNSELLING_MODES",
    "COUNSELLING_STATES",
    "Scholarship", "Placement", "Installment", "ScholarshipPayment", "ScholarshipBalance",
    "SCHOLARSHIP_STATES", "INSTALLMENT_STATES", "PAYMENT_METHODS",
    "Followup", "FOLLOWUP_STATUSES",
    "Group", "GroupMember", "Plan", "Disbursement", "Visit", "BusinessService", "PlanBalance",
    "WINDOWS", "PLAN_STATES", "BUSINESS_SERVICE_KINDS",
    "Summary", "KINDS", "MODES", "new_key",
    "DUPLICATE_STATES", "DUPLICATE_THRESHOLD", "DUPLICATE_LIKELY",
    "Report", "Indicator", "Mark", "SUPPRESSED", "UNDEFINED", "NOT_APPLICABLE", "indicators",
    "check_nit", "kinds", "Records", "SCHEMA_VERSION",
    "Consent", "CONSENT_STATES",
    "version", "fold", "check_dui", "check_date", "age_at", "sqlite_memstatus",
    "Error", "InvalidError", "ParseError", "LimitError", "CancelledError", "NotFoundError", "ExistsError",
    "ReferencedError", "StateError", "RuleError", "StorageError", "CorruptError",
    "VersionError", "BusyError", "ReadOnlyError", "AccessError", "FullError", "NoMemoryError",
    "MisuseError",
]


def version() -> str:
    """Run-time version of the C library, e.g. "0.1.0"."""
    return capi.youth_version()


__version__ = version()

#: Schema version the library writes.
SCHEMA_VERSION = capi.YOUTH_SCHEMA_VERSION


def sqlite_memstatus(on: bool) -> None:
    """Turns SQLite's memory statistics on (its default) or off for the whole process: off,
    SQLite allocates without a global mutex and large imports run 5-7 % faster, but
    ``sqlite3_memory_used()`` reads 0 for every user of SQLite in the process.  Only before
    SQLite is first used (before the first Registry is opened, and before the ``sqlite3``
    module opens a connection); later it raises youth.MisuseError and changes nothing."""
    capi.youth_sqlite_memstatus(1 if on else 0)


def fold(text: str) -> str:
    """Text folded for searching: lower case, accents removed, white space collapsed
    ("José  HERNÁNDEZ" -> "jose hernandez")."""
    return capi.youth_fold(text)


def check_dui(dui: str) -> None:
    """Checks a Salvadoran DUI "NNNNNNNN-C" with its check digit; raises youth.InvalidError."""
    capi.youth_dui_check(dui)


def check_nit(nit: str) -> None:
    """Checks the shape of a Salvadoran NIT "NNNN-NNNNNN-NNN-N"; raises youth.InvalidError."""
    capi.youth_nit_check(nit)


def check_date(text: _typing.Union[str, _datetime.date],
               field: _typing.Optional[str] = None) -> None:
    """Checks an ISO 8601 calendar date (a date object is accepted as is); raises
    youth.InvalidError naming ``field``."""
    capi.youth_date_check(_field_text(field or "date", text), field)


def age_at(birth_date: _typing.Union[str, _datetime.date],
           at_date: _typing.Union[str, _datetime.date]) -> int:
    """Age in whole years of someone born on ``birth_date`` at ``at_date`` (dates or text)."""
    return capi.youth_age_at(_field_text("birth_date", birth_date),
                             _field_text("at_date", at_date))


#: Former names still answered (PEP 562), each with the name that replaced it.
_DEPRECATED = {"BDS_KINDS": "BUSINESS_SERVICE_KINDS"}


def __getattr__(name):
    """Former public names: they keep working, with a DeprecationWarning pointing at the
    caller, and stay out of ``__all__`` so that ``from youth import *`` does not warn."""
    new = _DEPRECATED.get(name)
    if new is None:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    import warnings
    warnings.warn("youth.%s is deprecated: use youth.%s" % (name, new), DeprecationWarning,
                  stacklevel=2)
    return globals()[new]
