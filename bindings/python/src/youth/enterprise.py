"""Seed capital: groups of applicants, business plans, disbursements, follow-up visits and the
business-development services of the female window (docs/enterprise.md).

The dataclasses are built from the C library's description of the records of
``youth/enterprise.h``; money is a :class:`decimal.Decimal` of dollars, converted exactly to and
from C's text ("125.50").  :class:`EnterpriseMixin` gives :class:`youth.Registry` its methods
for them.
"""

import decimal
from dataclasses import dataclass

from typing import Union

from . import capi
from .errors import InvalidError
from .records import (Arg, cents_to_decimal, date_arg, getter, iterator, key_id, key_or_all,
                      money_text, record, stores, transition, vocab_value, vocabulary)
from .person import Person
from .records import Money
from .services import OVERRIDE, PERSON, person_id

__all__ = ["Group", "GroupMember", "Plan", "Disbursement", "Visit", "BusinessService",
           "PlanBalance", "WINDOWS", "PLAN_STATES", "BUSINESS_SERVICE_KINDS"]

#: Funding windows: {"youth_seed": 1, "female_window": 2}.
WINDOWS = vocabulary(capi.youth_window_name)
#: Plan states: {"draft": 1, "submitted": 2, ..., "closed": 8}.
PLAN_STATES = vocabulary(capi.youth_plan_state_name)
#: Kinds of business-development service: {"mentoring": 1, "training": 2, "market_access": 3}.
BUSINESS_SERVICE_KINDS = vocabulary(capi.youth_business_service_kind_name)


@record("group")
class Group:
    """A group of persons applying together (a women's group in the female window)."""


@record("group_member")
class GroupMember:
    """Membership of a person in a group."""


@record("plan")
class Plan:
    """A seed-capital business plan of one person or one group (exactly one of
    ``person_id`` / ``group_id``).  ``requested`` and ``approved`` are Decimals of dollars;
    ``approved``, ``state``, ``state_date``, ``approved_date``, ``reason`` and
    ``exchange_id`` are set by the library."""


@record("plan_disbursement")
class Disbursement:
    """A payment of seed capital to an approved or funded plan (``amount`` a Decimal)."""


@record("plan_visit")
class Visit:
    """A follow-up visit to a funded business (``monthly_sales`` a Decimal)."""


@record("business_service")
class BusinessService:
    """A business-development service of the female window to a group or a plan (exactly
    one of ``group_id`` / ``plan_id``); ``kind`` one of :data:`youth.BUSINESS_SERVICE_KINDS`."""


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


def _window(window):
    return vocab_value(WINDOWS, "window", window, unset=True)


#: The ``date`` and ``reason`` arguments of the plan's transitions.
_DATE, _REASON = Arg("date", date_arg), Arg("reason", hint=str)
#: The ``group`` and ``plan`` filters of iterators: None (any), an id or the record.
_GROUP, _PLAN = Arg("group", key_or_all(Group), None), Arg("plan", key_or_all(Plan), None)


class EnterpriseMixin:
    """Registry methods for groups, plans, disbursements, visits and business services
    (uses the Registry's ``_lock``, ``_handle()``, ``_locked()``, ``_store``, ``_owned`` and
    ``_blocks()``)."""

    # ---- groups --------------------------------------------------------------------------

    add_group = stores(Group, capi.youth_group_add, "group", """
        Validates and stores a group; returns the stored record.""")
    get_group = getter(Group, """The group with this id; youth.NotFoundError if none.""")
    groups = iterator(Group, """
        Yields the groups of one window (None = all), in id order.""",
        Arg("window", _window, None, hint=Union[str, int, None]))
    add_group_member = stores(GroupMember, capi.youth_group_member_add, "member", """
        Adds a person to a group; returns the stored membership.  youth.RuleError for a man
        joining a women-only group; youth.ExistsError when already a member.""")

    def remove_group_member(self, group: Union[int, "Group"], person: Union[int, Person]) -> None:
        """Takes ``person`` (id or Person) out of ``group`` (id or Group) while the group is
        being formed.  youth.StateError once a plan of the group has been submitted (its
        members were checked for eligibility and count as reached by it);
        youth.NotFoundError when the person is not a member."""
        gid, pid = key_id(group, Group), person_id(person)
        self._locked(capi.youth_group_member_remove, gid, pid)

    get_group_member = getter(GroupMember, """
        The membership with this id; youth.NotFoundError if none.""")
    group_members = iterator(GroupMember, """
        Yields memberships of a group and/or a person (None = any), in id order.""",
        _GROUP, PERSON)

    # ---- plans ---------------------------------------------------------------------------

    add_plan = stores(Plan, capi.youth_plan_add, "plan", """
        Stores a new plan in state ``draft``; returns the stored record.""")
    update_plan = stores(Plan, capi.youth_plan_update, "plan", """
        Corrects a draft's title, sector, description and requested amount; returns the stored
        record (youth.StateError once submitted).""")
    get_plan = getter(Plan, """The plan with this id; youth.NotFoundError if none.""")
    plans = iterator(Plan, """
        Yields plans of a window, a person and/or a group (None = any), in id order.""",
        Arg("window", _window, None, hint=Union[str, int, None]), PERSON, _GROUP)
    submit_plan = transition(Plan, capi.youth_plan_submit, "plan", """
        draft -> submitted on ``date``; checks the eligibility rules of the window's programme
        for the applicant or every member (youth.RuleError unless ``override``).""",
        _DATE, OVERRIDE)
    appraise_plan = transition(Plan, capi.youth_plan_appraise, "plan", """
        submitted -> appraised.""", _DATE)
    approve_plan = transition(Plan, capi.youth_plan_approve, "plan", """
        appraised -> approved with ``amount`` (a Decimal of dollars, at most the amount
        requested: youth.RuleError otherwise).""",
        _DATE, Arg("amount", lambda amount: _cents("amount", amount), hint=Money))
    reject_plan = transition(Plan, capi.youth_plan_reject, "plan", """
        appraised -> rejected with a ``reason``.""", _DATE, _REASON)
    set_plan_operating = transition(Plan, capi.youth_plan_set_operating, "plan", """
        funded -> operating.""", _DATE)
    close_plan = transition(Plan, capi.youth_plan_close, "plan", """
        funded or operating -> closed with a ``reason``.""", _DATE, _REASON)

    def plan_balance(self, plan: Union[int, "Plan"]) -> "PlanBalance":
        """A :class:`youth.PlanBalance`: approved, disbursed, remaining."""
        b = self._locked(capi.youth_plan_balance, key_id(plan, Plan))
        return PlanBalance(cents_to_decimal(b["approved"]), cents_to_decimal(b["disbursed"]),
                           cents_to_decimal(b["remaining"]))

    def plan_count(self, window: Union[str, int, None] = None,
                   state: Union[str, int, None] = None) -> int:
        """Number of plans of a window and a state (None = any)."""
        with self._lock:
            return capi.youth_plan_count(self._handle(), _window(window),
                                         vocab_value(PLAN_STATES, "state", state, unset=True))

    def plan_count_persons(self, window: Union[str, int, None] = None,
                           funded_only: bool = False) -> int:
        """Distinct persons reached by plans of a window (None = any): applicants and members
        of applicant groups; ``funded_only`` counts only plans that received seed capital."""
        with self._lock:
            return capi.youth_plan_count_persons(self._handle(), _window(window),
                                                 1 if funded_only else 0)

    # ---- disbursements -------------------------------------------------------------------

    add_disbursement = stores(Disbursement, capi.youth_plan_disbursement_add, "disbursement", """
        Records a payment of seed capital (the first moves the plan to ``funded``); returns the
        stored record.  youth.RuleError above the approved amount.""")
    get_disbursement = getter(Disbursement, """
        The disbursement with this id; youth.NotFoundError if none.""")
    disbursements = iterator(Disbursement, """
        Yields disbursements of a plan (None = all), in date order.""", _PLAN)

    # ---- visits --------------------------------------------------------------------------

    add_visit = stores(Visit, capi.youth_plan_visit_add, "visit", """
        Records a follow-up visit (an operating business moves a funded plan to ``operating``);
        returns the stored record.""")
    get_visit = getter(Visit, """The visit with this id; youth.NotFoundError if none.""")
    visits = iterator(Visit, """Yields visits of a plan (None = all), in date order.""", _PLAN)

    # ---- business-development services ---------------------------------------------------

    add_business_service = stores(BusinessService, capi.youth_business_service_add, "service", """
        Records a business-development service to a female-window group or plan; returns the
        stored record.""")
    get_business_service = getter(BusinessService, """
        The service with this id; youth.NotFoundError if none.""")
    business_services = iterator(BusinessService, """
        Yields services of a group (including those to its plans) and/or a plan (None = any), in
        date order.""",
        _GROUP, _PLAN)
