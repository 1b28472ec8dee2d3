"""Seed capital: groups of applicants, business plans, disbursements, follow-up visits and the
business-development services of the female window (docs/enterprise.md).

The dataclasses mirror the C records of ``youth/enterprise.h`` field by field; money is a
:class:`decimal.Decimal` of dollars, converted exactly to and from C's text ("125.50").
:class:`EnterpriseMixin` gives :class:`youth.Registry` its methods for them.
"""

import datetime
import decimal
from dataclasses import dataclass
from typing import Optional, Union

from . import capi
from .errors import InvalidError
from .person import _text
from .records import (cents_to_decimal, from_fields, key_id, money_text, record, vocab_value,
                      vocabulary)
from .services import override_to_capi, person_id

__all__ = ["Group", "GroupMember", "Plan", "Disbursement", "Visit", "BusinessService",
           "PlanBalance", "WINDOWS", "PLAN_STATES", "BUSINESS_SERVICE_KINDS"]

DateLike = Union[datetime.date, str]
Money = Union[decimal.Decimal, int, str]

#: Funding windows: {"youth_seed": 1, "female_window": 2}.
WINDOWS = vocabulary(capi.youth_window_name)
#: Plan states: {"draft": 1, "submitted": 2, ..., "closed": 8}.
PLAN_STATES = vocabulary(capi.youth_plan_state_name)
#: Kinds of business-development service: {"mentoring": 1, "training": 2, "market_access": 3}.
BUSINESS_SERVICE_KINDS = vocabulary(capi.youth_business_service_kind_name)


@record("group")
@dataclass
class Group:
    """A group of persons applying together (a women's group in the female window)."""

    id: Optional[int] = None
    uuid: Optional[str] = None
    name: Optional[str] = None
    window: Optional[str] = None
    women_only: bool = False
    operator_id: Optional[int] = None
    exchange_id: Optional[int] = None
    formed_date: Optional[DateLike] = None


@record("group_member")
@dataclass
class GroupMember:
    """Membership of a person in a group."""

    id: Optional[int] = None
    uuid: Optional[str] = None
    group_id: Optional[int] = None
    person_id: Optional[int] = None
    joined_date: Optional[DateLike] = None
    operator_id: Optional[int] = None
    exchange_id: Optional[int] = None


@record("plan")
@dataclass
class Plan:
    """A seed-capital business plan of one person or one group (exactly one of
    ``person_id`` / ``group_id``).  ``requested`` and ``approved`` are Decimals of dollars;
    ``approved``, ``state``, ``state_date``, ``approved_date``, ``reason`` and
    ``exchange_id`` are set by the library."""

    id: Optional[int] = None
    uuid: Optional[str] = None
    window: Optional[str] = None
    person_id: Optional[int] = None
    group_id: Optional[int] = None
    title: Optional[str] = None
    sector: Optional[str] = None
    description: Optional[str] = None
    requested: Optional[Money] = None
    approved: Optional[decimal.Decimal] = None
    state: Optional[str] = None
    drafted_date: Optional[DateLike] = None
    state_date: Optional[datetime.date] = None
    approved_date: Optional[datetime.date] = None
    reason: Optional[str] = None
    operator_id: Optional[int] = None
    exchange_id: Optional[int] = None


@record("plan_disbursement")
@dataclass
class Disbursement:
    """A payment of seed capital to an approved or funded plan (``amount`` a Decimal)."""

    id: Optional[int] = None
    uuid: Optional[str] = None
    plan_id: Optional[int] = None
    amount: Optional[Money] = None
    date: Optional[DateLike] = None
    reference: Optional[str] = None
    operator_id: Optional[int] = None
    exchange_id: Optional[int] = None


@record("plan_visit")
@dataclass
class Visit:
    """A follow-up visit to a funded business (``monthly_sales`` a Decimal)."""

    id: Optional[int] = None
    uuid: Optional[str] = None
    plan_id: Optional[int] = None
    date: Optional[DateLike] = None
    operating: bool = False
    jobs_created: Optional[int] = None
    monthly_sales: Optional[Money] = None
    notes: Optional[str] = None
    operator_id: Optional[int] = None
    exchange_id: Optional[int] = None


@record("business_service")
@dataclass
class BusinessService:
    """A business-development service of the female window to a group or a plan (exactly
    one of ``group_id`` / ``plan_id``); ``kind`` one of :data:`youth.BUSINESS_SERVICE_KINDS`."""

    id: Optional[int] = None
    uuid: Optional[str] = None
    group_id: Optional[int] = None
    plan_id: Optional[int] = None
    kind: Optional[str] = None
    date: Optional[DateLike] = None
    hours: Optional[int] = None
    provider: Optional[str] = None
    notes: Optional[str] = None
    operator_id: Optional[int] = None
    exchange_id: Optional[int] = None


@dataclass(frozen=True)
class PlanBalance:
    """Approved, disbursed and remaining seed capital of a plan (Decimals of dollars)."""

    approved: decimal.Decimal
    disbursed: decimal.Decimal
    remaining: decimal.Decimal




def _cents(name, value):
    """An exact money value -> int cents (for youth_plan_approve)."""
    text = money_text(name, value)
    try:
        d = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise InvalidError("%s %r: not an amount of money" % (name, text),
                           code=capi.YOUTH_EINVAL, field=name) from None
    cents = d.scaleb(2)
    if cents != cents.to_integral_value():
        raise InvalidError("%s %s: more than two decimals" % (name, text),
                           code=capi.YOUTH_EINVAL, field=name)
    return int(cents)


def _plan_id(key):
    return key_id(key, Plan, "plan")


def _group_id(key):
    return key_id(key, Group, "group")


class EnterpriseMixin:
    """Registry methods for groups, plans, disbursements, visits and business services
    (uses the Registry's ``_lock``, ``_handle()``, ``_owned`` and ``_iterate()``)."""

    def _iter(self, new, args, free, next_fn, cls):
        with self._lock:
            it = self._owned(new(self._handle(), *args), free)
        return self._iterate(it, next_fn, lambda d: from_fields(cls, d))

    # ---- groups --------------------------------------------------------------------------

    def add_group(self, group):
        """Validates and stores a group; returns the stored record."""
        return self._store(Group, "add_group", capi.youth_group_add, group)

    def get_group(self, key):
        """The group with this id; youth.NotFoundError if none."""
        with self._lock:
            return from_fields(Group, capi.youth_group_get(self._handle(), _group_id(key)))

    def groups(self, window=None):
        """Yields the groups of one window (None = all), in id order."""
        return self._iter(capi.youth_group_iter_new,
                          (vocab_value(WINDOWS, "window", window, unset=True),),
                          capi.youth_group_iter_free, capi.youth_group_next, Group)

    def add_group_member(self, member):
        """Adds a person to a group; returns the stored membership.  youth.RuleError for a
        man joining a women-only group; youth.ExistsError when already a member."""
        return self._store(GroupMember, "add_group_member", capi.youth_group_member_add, member)

    def remove_group_member(self, group, person):
        """Takes ``person`` (id or Person) out of ``group`` (id or Group) while the group is
        being formed.  youth.StateError once a plan of the group has been submitted (its
        members were checked for eligibility and count as reached by it);
        youth.NotFoundError when the person is not a member."""
        gid, pid = _group_id(group), person_id(person)
        with self._lock:
            capi.youth_group_member_remove(self._handle(), gid, pid)

    def get_group_member(self, key):
        """The membership with this id; youth.NotFoundError if none."""
        with self._lock:
            return from_fields(GroupMember, capi.youth_group_member_get(
                self._handle(), key_id(key, GroupMember, "member")))

    def group_members(self, group=None, person=None):
        """Yields memberships of a group and/or a person (None = any), in id order."""
        gid = 0 if group is None else _group_id(group)
        pid = 0 if person is None else person_id(person)
        return self._iter(capi.youth_group_member_iter_new, (gid, pid),
                          capi.youth_group_member_iter_free, capi.youth_group_member_next,
                          GroupMember)

    # ---- plans ---------------------------------------------------------------------------

    def add_plan(self, plan):
        """Stores a new plan in state ``draft``; returns the stored record."""
        return self._store(Plan, "add_plan", capi.youth_plan_add, plan)

    def update_plan(self, plan):
        """Corrects a draft's title, sector, description and requested amount; returns the
        stored record (youth.StateError once submitted)."""
        return self._store(Plan, "update_plan", capi.youth_plan_update, plan)

    def get_plan(self, key):
        """The plan with this id; youth.NotFoundError if none."""
        with self._lock:
            return from_fields(Plan, capi.youth_plan_get(self._handle(), _plan_id(key)))

    def plans(self, window=None, person=None, group=None):
        """Yields plans of a window, a person and/or a group (None = any), in id order."""
        w = vocab_value(WINDOWS, "window", window, unset=True)
        pid = 0 if person is None else person_id(person)
        gid = 0 if group is None else _group_id(group)
        return self._iter(capi.youth_plan_iter_new, (w, pid, gid), capi.youth_plan_iter_free,
                          capi.youth_plan_next, Plan)

    def _plan_after(self, key, call, *args):
        pid = _plan_id(key)
        with self._lock:
            call(self._handle(), pid, *args)
            return from_fields(Plan, capi.youth_plan_get(self._reg, pid))

    def submit_plan(self, plan, date, override=None):
        """draft -> submitted on ``date``; checks the eligibility rules of the window's
        programme for the applicant or every member (youth.RuleError unless ``override``)."""
        return self._plan_after(plan, capi.youth_plan_submit, _text("date", date),
                                override_to_capi(override))

    def appraise_plan(self, plan, date):
        """submitted -> appraised."""
        return self._plan_after(plan, capi.youth_plan_appraise, _text("date", date))

    def approve_plan(self, plan, date, amount):
        """appraised -> approved with ``amount`` (a Decimal of dollars, at most the amount
        requested: youth.RuleError otherwise)."""
        return self._plan_after(plan, capi.youth_plan_approve, _text("date", date),
                                _cents("amount", amount))

    def reject_plan(self, plan, date, reason):
        """appraised -> rejected with a ``reason``."""
        return self._plan_after(plan, capi.youth_plan_reject, _text("date", date), reason)

    def set_plan_operating(self, plan, date):
        """funded -> operating."""
        return self._plan_after(plan, capi.youth_plan_set_operating, _text("date", date))

    def close_plan(self, plan, date, reason):
        """funded or operating -> closed with a ``reason``."""
        return self._plan_after(plan, capi.youth_plan_close, _text("date", date), reason)

    def plan_balance(self, plan):
        """A :class:`youth.PlanBalance`: approved, disbursed, remaining."""
        with self._lock:
            b = capi.youth_plan_balance(self._handle(), _plan_id(plan))
        return PlanBalance(cents_to_decimal(b["approved"]), cents_to_decimal(b["disbursed"]),
                           cents_to_decimal(b["remaining"]))

    def plan_count(self, window=None, state=None):
        """Number of plans of a window and a state (None = any)."""
        with self._lock:
            return capi.youth_plan_count(self._handle(),
                                         vocab_value(WINDOWS, "window", window, unset=True),
                                         vocab_value(PLAN_STATES, "state", state, unset=True))

    def plan_count_persons(self, window=None, funded_only=False):
        """Distinct persons reached by plans of a window (None = any): applicants and members
        of applicant groups; ``funded_only`` counts only plans that received seed capital."""
        with self._lock:
            return capi.youth_plan_count_persons(
                self._handle(), vocab_value(WINDOWS, "window", window, unset=True),
                1 if funded_only else 0)

    # ---- disbursements -------------------------------------------------------------------

    def add_disbursement(self, disbursement):
        """Records a payment of seed capital (the first moves the plan to ``funded``);
        returns the stored record.  youth.RuleError above the approved amount."""
        return self._store(Disbursement, "add_disbursement",
                           capi.youth_plan_disbursement_add, disbursement)

    def get_disbursement(self, key):
        """The disbursement with this id; youth.NotFoundError if none."""
        with self._lock:
            return from_fields(Disbursement, capi.youth_plan_disbursement_get(
                self._handle(), key_id(key, Disbursement, "disbursement")))

    def disbursements(self, plan=None):
        """Yields disbursements of a plan (None = all), in date order."""
        return self._iter(capi.youth_plan_disbursement_iter_new,
                          (0 if plan is None else _plan_id(plan),),
                          capi.youth_plan_disbursement_iter_free,
                          capi.youth_plan_disbursement_next, Disbursement)

    # ---- visits --------------------------------------------------------------------------

    def add_visit(self, visit):
        """Records a follow-up visit (an operating business moves a funded plan to
        ``operating``); returns the stored record."""
        return self._store(Visit, "add_visit", capi.youth_plan_visit_add, visit)

    def get_visit(self, key):
        """The visit with this id; youth.NotFoundError if none."""
        with self._lock:
            return from_fields(Visit, capi.youth_plan_visit_get(
                self._handle(), key_id(key, Visit, "visit")))

    def visits(self, plan=None):
        """Yields visits of a plan (None = all), in date order."""
        return self._iter(capi.youth_plan_visit_iter_new,
                          (0 if plan is None else _plan_id(plan),),
                          capi.youth_plan_visit_iter_free, capi.youth_plan_visit_next, Visit)

    # ---- business-development services ---------------------------------------------------

    def add_business_service(self, service):
        """Records a business-development service to a female-window group or plan; returns
        the stored record."""
        return self._store(BusinessService, "add_business_service",
                           capi.youth_business_service_add, service)

    def get_business_service(self, key):
        """The service with this id; youth.NotFoundError if none."""
        with self._lock:
            return from_fields(BusinessService, capi.youth_business_service_get(
                self._handle(), key_id(key, BusinessService, "service")))

    def business_services(self, group=None, plan=None):
        """Yields services of a group (including those to its plans) and/or a plan (None =
        any), in date order."""
        gid = 0 if group is None else _group_id(group)
        pid = 0 if plan is None else _plan_id(plan)
        return self._iter(capi.youth_business_service_iter_new, (gid, pid),
                          capi.youth_business_service_iter_free,
                          capi.youth_business_service_next, BusinessService)
