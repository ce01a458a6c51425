"""Engagements: fixed-price builds for one organization, their status and assigned staff.

Who sees what: staff and admins see every organization; a client sees only the
organizations they belong to, and anything else answers NotFound, so an id tells
an outsider nothing. Staff run engagements; clients read them (and their owners
decide on milestones, see ``services.portal.milestones``). Who sees which
organization: ``services.accounts.organizations``.

Status moves one way: scoping -> proposed -> active -> delivered -> closed (a
proposal may go back to scoping; a statement of work signed by every party makes
a scoping or proposed engagement active at once). Proposing needs milestones whose amounts add
up to the fixed price; from then on the price and the amounts are frozen.
Closing runs the registered close hooks in the same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict, NotFound, ValidationFailed
from fluxent.models.accounts import User
from fluxent.models.engagements import Engagement, EngagementStaff, EngagementStatus, Milestone, MilestoneStatus
from fluxent.services.accounts import authz
from fluxent.services.accounts.organizations import get_organization, require_visible, visible_organization_ids
from fluxent.services.audit import trail
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate, search_needle

S = EngagementStatus
TRANSITIONS: dict[EngagementStatus, tuple[EngagementStatus, ...]] = {
    S.SCOPING: (S.PROPOSED,),
    S.PROPOSED: (S.SCOPING, S.ACTIVE),
    S.ACTIVE: (S.DELIVERED,),
    S.DELIVERED: (S.CLOSED,),
    S.CLOSED: (),
}
MAX_PRICE_MINOR = 10**13
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")

CloseHook = Callable[[Session, Engagement, User], None]
# Filled at import time by the areas that keep engagement data (the vault, ...); read only afterwards.
CLOSE_HOOKS: list[CloseHook] = []


def register_close_hook(hook: CloseHook) -> CloseHook:
    """Run ``hook(session, engagement, actor)`` when an engagement closes (usable as a decorator)."""
    if hook not in CLOSE_HOOKS:
        CLOSE_HOOKS.append(hook)
    return hook


# Access ------------------------------------------------------------------------


def get_engagement(session: Session, *, actor: User, engagement_id: int) -> Engagement:
    engagement = session.get(Engagement, engagement_id)
    if engagement is None:
        raise NotFound("No such engagement.")
    require_visible(session, actor, engagement.organization_id, missing="No such engagement.")
    return engagement


def list_engagements(
    session: Session,
    *,
    actor: User,
    organization_id: int | None = None,
    status: EngagementStatus | None = None,
    query: str = "",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page[Engagement]:
    """Newest first; ``query`` found in the title (any case, ``%`` and ``_`` as plain text)."""
    statement = select(Engagement).order_by(Engagement.created_at.desc(), Engagement.id.desc())
    if needle := search_needle(query):
        statement = statement.where(func.lower(Engagement.title).contains(needle, autoescape=True))
    visible = visible_organization_ids(session, actor)
    if visible is not None:
        statement = statement.where(Engagement.organization_id.in_(visible))
    if organization_id is not None:
        statement = statement.where(Engagement.organization_id == organization_id)
    if status is not None:
        statement = statement.where(Engagement.status == status)
    return paginate(session, statement, page=page, page_size=page_size)


def assigned_staff(session: Session, engagement_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(EngagementStaff, EngagementStaff.user_id == User.id)
            .where(EngagementStaff.engagement_id == engagement_id)
            .order_by(User.id)
        )
    )


def milestones_of(session: Session, engagement_id: int) -> list[Milestone]:
    return list(
        session.scalars(
            select(Milestone).where(Milestone.engagement_id == engagement_id).order_by(Milestone.position, Milestone.id)
        )
    )


# Changes (staff) -----------------------------------------------------------------


def create_engagement(
    session: Session,
    *,
    actor: User,
    organization_id: int,
    title: str,
    fixed_price_minor: int,
    currency: str,
    scope_summary: str = "",
    start_date: date | None = None,
    target_date: date | None = None,
    staff_ids: Iterable[int] = (),
    clock: Clock = now,
) -> Engagement:
    authz.require_staff(actor)
    get_organization(session, actor=actor, organization_id=organization_id)
    title, currency = _check_details(title, fixed_price_minor, currency, start_date, target_date)
    moment = clock()
    engagement = Engagement(
        organization_id=organization_id,
        title=title,
        scope_summary=scope_summary.strip(),
        fixed_price_minor=fixed_price_minor,
        currency=currency,
        start_date=start_date,
        target_date=target_date,
        created_at=moment,
        updated_at=moment,
    )
    session.add(engagement)
    session.flush()
    trail.record(
        session,
        "engagements.created",
        actor=actor,
        target=engagement,
        organization=organization_id,
        meta={"fixed_price_minor": fixed_price_minor, "currency": currency},
        clock=clock,
    )
    for user_id in staff_ids:
        assign_staff(session, actor=actor, engagement_id=engagement.id, user_id=user_id, clock=clock)
    return engagement


def can_reprice(engagement: Engagement) -> bool:
    """The fixed price and currency change only while scoping."""
    return engagement.status == S.SCOPING


def progress_percent(accepted_minor: int, fixed_price_minor: int) -> int:
    """How far an engagement is, by the value of its accepted milestones."""
    return round(100 * accepted_minor / fixed_price_minor) if fixed_price_minor else 0


def update_engagement(
    session: Session,
    *,
    actor: User,
    engagement_id: int,
    title: str,
    scope_summary: str,
    fixed_price_minor: int,
    currency: str,
    start_date: date | None,
    target_date: date | None,
    clock: Clock = now,
) -> Engagement:
    """Edit the details; the price and currency only while scoping, nothing once closed."""
    authz.require_staff(actor)
    engagement = get_engagement(session, actor=actor, engagement_id=engagement_id)
    if engagement.status == S.CLOSED:
        raise Conflict("A closed engagement cannot be edited.")
    title, currency = _check_details(title, fixed_price_minor, currency, start_date, target_date)
    repriced = (fixed_price_minor, currency) != (engagement.fixed_price_minor, engagement.currency)
    if repriced and not can_reprice(engagement):
        raise Conflict("The fixed price and currency are frozen once the engagement is proposed.")
    changed = sorted(
        name
        for name, value in (
            ("title", title),
            ("scope_summary", scope_summary.strip()),
            ("fixed_price_minor", fixed_price_minor),
            ("currency", currency),
            ("start_date", start_date),
            ("target_date", target_date),
        )
        if getattr(engagement, name) != value
    )
    if not changed:
        return engagement
    engagement.title, engagement.scope_summary = title, scope_summary.strip()
    engagement.fixed_price_minor, engagement.currency = fixed_price_minor, currency
    engagement.start_date, engagement.target_date, engagement.updated_at = start_date, target_date, clock()
    session.add(engagement)
    session.flush()
    trail.record(
        session,
        "engagements.updated",
        actor=actor,
        target=engagement,
        organization=engagement.organization_id,
        meta={"fields": changed},
        clock=clock,
    )
    return engagement


def assign_staff(
    session: Session, *, actor: User, engagement_id: int, user_id: int, clock: Clock = now
) -> EngagementStaff:
    authz.require_staff(actor)
    engagement = get_engagement(session, actor=actor, engagement_id=engagement_id)
    person = session.get(User, user_id)
    if not authz.is_staff(person):
        raise ValidationFailed("Only Fluxent staff can be assigned.", fields={"user_id": "Not a staff member."})
    existing = _assignment(session, engagement.id, user_id)
    if existing is not None:
        return existing
    assignment = EngagementStaff(engagement_id=engagement.id, user_id=user_id, created_at=clock())
    session.add(assignment)
    session.flush()
    trail.record(
        session,
        "engagements.staff_assigned",
        actor=actor,
        target=engagement,
        organization=engagement.organization_id,
        meta={"user_id": user_id},
        clock=clock,
    )
    return assignment


def _assignment(session: Session, engagement_id: int, user_id: int) -> EngagementStaff | None:
    return session.scalars(
        select(EngagementStaff).where(
            EngagementStaff.engagement_id == engagement_id, EngagementStaff.user_id == user_id
        )
    ).first()


def unassign_staff(session: Session, *, actor: User, engagement_id: int, user_id: int, clock: Clock = now) -> None:
    authz.require_staff(actor)
    engagement = get_engagement(session, actor=actor, engagement_id=engagement_id)
    assignment = _assignment(session, engagement.id, user_id)
    if assignment is None:
        raise NotFound("This person is not assigned to the engagement.")
    session.delete(assignment)
    session.flush()
    trail.record(
        session,
        "engagements.staff_unassigned",
        actor=actor,
        target=engagement,
        organization=engagement.organization_id,
        meta={"user_id": user_id},
        clock=clock,
    )


def unallocated(session: Session, engagement: Engagement) -> int:
    """How much of the fixed price no milestone covers yet (negative when the amounts exceed it)."""
    return engagement.fixed_price_minor - sum(m.amount_minor for m in milestones_of(session, engagement.id))


def check_amounts(session: Session, engagement: Engagement) -> None:
    """ValidationFailed unless there are milestones and their amounts add up to the fixed price."""
    milestones = milestones_of(session, engagement.id)
    total = sum(m.amount_minor for m in milestones)
    if not milestones or total != engagement.fixed_price_minor:
        message = (
            f"Milestone amounts add up to {total} but the fixed price is {engagement.fixed_price_minor} "
            f"({engagement.currency} minor units); they must be equal."
        )
        raise ValidationFailed(message, fields={"milestones": message})


def change_status(
    session: Session, *, actor: User, engagement_id: int, status: EngagementStatus, clock: Clock = now
) -> Engagement:
    authz.require_staff(actor)
    engagement = get_engagement(session, actor=actor, engagement_id=engagement_id)
    status = EngagementStatus(status)
    if status not in TRANSITIONS[engagement.status]:
        raise Conflict(f"An engagement cannot go from {engagement.status} to {status}.")
    if status in (S.PROPOSED, S.ACTIVE):
        check_amounts(session, engagement)
    if status == S.DELIVERED:
        open_ones = [m.title for m in milestones_of(session, engagement.id) if m.status != MilestoneStatus.ACCEPTED]
        if open_ones:
            raise Conflict("Every milestone must be accepted before delivery: " + ", ".join(open_ones))
    previous, moment = engagement.status, clock()
    engagement.status, engagement.updated_at = status, moment
    if status == S.CLOSED:
        engagement.closed_at = moment
        for hook in CLOSE_HOOKS:
            hook(session, engagement, actor)
    session.add(engagement)
    session.flush()
    action = "engagements.closed" if status == S.CLOSED else "engagements.status_changed"
    trail.record(
        session,
        action,
        actor=actor,
        target=engagement,
        organization=engagement.organization_id,
        meta={"from": str(previous), "to": str(status), "hooks": len(CLOSE_HOOKS) if status == S.CLOSED else 0},
        clock=clock,
    )
    return engagement


def activate_on_signature(session: Session, *, engagement_id: int, envelope_id: int, clock: Clock = now) -> bool:
    """Every party signed the statement of work: a scoping or proposed engagement becomes active
    (the proposal becomes the contract in one flow). Returns whether it moved."""
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or engagement.status not in (S.SCOPING, S.PROPOSED):
        return False
    previous = engagement.status
    engagement.status, engagement.updated_at = S.ACTIVE, clock()
    session.add(engagement)
    session.flush()
    trail.record(
        session,
        "engagements.status_changed",
        target=engagement,
        organization=engagement.organization_id,
        meta={"from": str(previous), "to": str(S.ACTIVE), "envelope": envelope_id},
        clock=clock,
    )
    return True


def close_engagement(session: Session, *, actor: User, engagement_id: int, clock: Clock = now) -> Engagement:
    return change_status(session, actor=actor, engagement_id=engagement_id, status=S.CLOSED, clock=clock)


def _check_details(
    title: str, fixed_price_minor: int, currency: str, start_date: date | None, target_date: date | None
) -> tuple[str, str]:
    """The cleaned title and currency; ValidationFailed naming every bad field."""
    fields: dict[str, str] = {}
    title = clean_line(title)
    if not 1 <= len(title) <= 200:
        fields["title"] = "Give a title of 1-200 characters."
    if not 0 < fixed_price_minor <= MAX_PRICE_MINOR:
        fields["fixed_price_minor"] = "The fixed price is a positive amount in minor units (cents)."
    currency = (currency or "").strip().upper()
    if not _CURRENCY_RE.match(currency):
        fields["currency"] = "Use a three-letter ISO 4217 code, e.g. USD."
    if start_date and target_date and target_date < start_date:
        fields["target_date"] = "The target date cannot be before the start date."
    if fields:
        raise ValidationFailed("Some engagement details are missing or invalid.", fields=fields)
    return title, currency


def clean_line(value: str) -> str:
    """One line of text: no control characters, single spaces."""
    value = "".join(ch if ch.isprintable() else " " for ch in value or "")
    return " ".join(value.split())
