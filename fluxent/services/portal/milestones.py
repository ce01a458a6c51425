"""Milestone workflow: staff start and submit; a client owner accepts or asks for changes.
Staff also plan them: add milestones while scoping, edit details any time before
acceptance, amounts only while scoping (they must add up to the fixed price when the engagement is proposed),
and remove milestones only while scoping.

planned -> in_progress -> submitted -> accepted (final)
                               \\-> changes_requested -> in_progress | submitted
Work on milestones happens only while the engagement is active. Submissions and
decisions are audited and e-mailed (owners are asked to decide; assigned staff
hear the answer; the owner who accepts gets a receipt naming the amount to be invoiced).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict, NotFound, ValidationFailed
from fluxent.models.accounts import Membership, OrgRole, User
from fluxent.models.engagements import Engagement, EngagementStatus, Milestone, MilestoneStatus
from fluxent.routes import PORTAL_ENGAGEMENTS, admin_engagement
from fluxent.services.accounts import authz
from fluxent.services.accounts.organizations import require_client_owner
from fluxent.services.audit import trail
from fluxent.services.billing.money import format_money
from fluxent.services.notifications import Kind, notify_each
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate
from fluxent.services.portal import emails
from fluxent.services.portal.deliverables import Deliverable, check_deliverables, replace_deliverables
from fluxent.services.portal.engagements import assigned_staff, clean_line, get_engagement

M = MilestoneStatus
S = EngagementStatus
STAFF_MOVES: dict[MilestoneStatus, tuple[MilestoneStatus, ...]] = {
    M.PLANNED: (M.IN_PROGRESS,),
    M.IN_PROGRESS: (M.SUBMITTED,),
    M.CHANGES_REQUESTED: (M.IN_PROGRESS, M.SUBMITTED),
}
MAX_NOTE = 4000
MAX_CRITERIA = 20_000


def list_milestones(
    session: Session,
    *,
    actor: User,
    engagement_id: int,
    status: MilestoneStatus | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page[Milestone]:
    engagement = get_engagement(session, actor=actor, engagement_id=engagement_id)
    statement = (
        select(Milestone).where(Milestone.engagement_id == engagement.id).order_by(Milestone.position, Milestone.id)
    )
    if status is not None:
        statement = statement.where(Milestone.status == status)
    return paginate(session, statement, page=page, page_size=page_size)


def get_milestone(
    session: Session, *, actor: User, engagement_id: int, milestone_id: int
) -> tuple[Engagement, Milestone]:
    engagement = get_engagement(session, actor=actor, engagement_id=engagement_id)
    milestone = session.get(Milestone, milestone_id)
    if milestone is None or milestone.engagement_id != engagement.id:
        raise NotFound("No such milestone.")
    return engagement, milestone


def start(session: Session, *, actor: User, engagement_id: int, milestone_id: int, clock: Clock = now) -> Milestone:
    return _staff_move(session, actor, engagement_id, milestone_id, M.IN_PROGRESS, clock)


def submit(session: Session, *, actor: User, engagement_id: int, milestone_id: int, clock: Clock = now) -> Milestone:
    """Ask the client's owners to accept the milestone."""
    milestone = _staff_move(session, actor, engagement_id, milestone_id, M.SUBMITTED, clock)
    engagement = session.get(Engagement, milestone.engagement_id)
    wanting_mail = notify_each(
        session,
        deciders(session, engagement.organization_id),
        Kind.MILESTONE_WAITING,
        f"\u201c{milestone.title}\u201d of {engagement.title} is waiting for your decision",
        PORTAL_ENGAGEMENTS,
        clock=clock,
    )
    emails.milestone_submitted(session, wanting_mail, engagement=engagement.title, milestone=milestone.title)
    return milestone


def deciders(session: Session, organization_id: int) -> list[User]:
    """Who accepts or sends back the organization's milestones: its owners."""
    return list(
        session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organization_id == organization_id, Membership.role == OrgRole.OWNER)
        )
    )


def accept(
    session: Session, *, actor: User, engagement_id: int, milestone_id: int, note: str = "", clock: Clock = now
) -> Milestone:
    return _decide(session, actor, engagement_id, milestone_id, accepted=True, note=note, clock=clock)


def request_changes(
    session: Session, *, actor: User, engagement_id: int, milestone_id: int, reason: str, clock: Clock = now
) -> Milestone:
    return _decide(session, actor, engagement_id, milestone_id, accepted=False, note=reason, clock=clock)


def can_add_milestone(engagement: Engagement) -> bool:
    return engagement.status == S.SCOPING


def can_decide(engagement: Engagement, milestone: Milestone, *, owner: bool) -> bool:
    """Whether a client who is (``owner``) or is not an owner of the organization may accept
    or send back ``milestone`` now; ``_decide`` enforces the same."""
    return owner and engagement.status == EngagementStatus.ACTIVE and milestone.status == M.SUBMITTED


def can_edit(engagement: Engagement, milestone: Milestone) -> bool:
    return engagement.status != EngagementStatus.CLOSED and milestone.status != M.ACCEPTED


def can_remove(engagement: Engagement, milestone: Milestone) -> bool:
    return engagement.status == EngagementStatus.SCOPING and milestone.status == M.PLANNED


def can_start(engagement: Engagement, milestone: Milestone) -> bool:
    """Whether staff may start (or restart) work on ``milestone`` now; ``_staff_move`` enforces the same."""
    return engagement.status == S.ACTIVE and M.IN_PROGRESS in STAFF_MOVES.get(M(milestone.status), ())


def can_submit(engagement: Engagement, milestone: Milestone) -> bool:
    """Whether staff may submit ``milestone`` to the client now; ``_staff_move`` enforces the same."""
    return engagement.status == S.ACTIVE and M.SUBMITTED in STAFF_MOVES.get(M(milestone.status), ())


def add_milestone(
    session: Session,
    *,
    actor: User,
    engagement_id: int,
    title: str,
    amount_minor: int,
    description: str = "",
    acceptance_criteria: str = "",
    deliverables: Sequence[Deliverable] = (),
    due_date: date | None = None,
    clock: Clock = now,
) -> Milestone:
    """Milestones are planned while scoping; their amounts are checked when the engagement is proposed."""
    authz.require_staff(actor)
    engagement = get_engagement(session, actor=actor, engagement_id=engagement_id)
    if not can_add_milestone(engagement):
        raise Conflict("Milestones can only be added while the engagement is being scoped.")
    title = check_milestone_details(engagement, title, amount_minor)
    acceptance_criteria = check_criteria(acceptance_criteria)
    deliverables = check_deliverables(session, engagement, deliverables)
    position = session.execute(
        select(func.coalesce(func.max(Milestone.position), 0)).where(Milestone.engagement_id == engagement.id)
    ).scalar_one()
    moment = clock()
    milestone = Milestone(
        engagement_id=engagement.id,
        position=position + 1,
        title=title,
        description=description.strip(),
        acceptance_criteria=acceptance_criteria,
        due_date=due_date,
        amount_minor=amount_minor,
        created_at=moment,
        updated_at=moment,
    )
    session.add(milestone)
    session.flush()
    replace_deliverables(session, milestone, deliverables)
    trail.record(
        session,
        "engagements.milestone_added",
        actor=actor,
        target=milestone,
        organization=engagement.organization_id,
        meta={"engagement_id": engagement.id, "amount_minor": amount_minor},
        clock=clock,
    )
    return milestone


def update_milestone(
    session: Session,
    *,
    actor: User,
    engagement_id: int,
    milestone_id: int,
    title: str,
    description: str,
    due_date: date | None,
    amount_minor: int,
    acceptance_criteria: str = "",
    deliverables: Sequence[Deliverable] = (),
    clock: Clock = now,
) -> Milestone:
    """Replace the milestone's details, its acceptance criteria and its list of deliverables."""
    authz.require_staff(actor)
    engagement, milestone = get_milestone(session, actor=actor, engagement_id=engagement_id, milestone_id=milestone_id)
    if not can_edit(engagement, milestone):
        raise Conflict("An accepted milestone, or one of a closed engagement, cannot be edited.")
    title = check_milestone_details(engagement, title, amount_minor)
    acceptance_criteria = check_criteria(acceptance_criteria)
    deliverables = check_deliverables(session, engagement, deliverables)
    if amount_minor != milestone.amount_minor and engagement.status != EngagementStatus.SCOPING:
        raise Conflict("Amounts are frozen once the engagement is proposed.")
    changed = sorted(
        name
        for name, value in (
            ("title", title),
            ("description", description.strip()),
            ("acceptance_criteria", acceptance_criteria),
            ("due_date", due_date),
            ("amount_minor", amount_minor),
        )
        if getattr(milestone, name) != value
    )
    if replace_deliverables(session, milestone, deliverables):
        changed.append("deliverables")
    if not changed:
        return milestone
    milestone.title, milestone.description, milestone.due_date = title, description.strip(), due_date
    milestone.acceptance_criteria = acceptance_criteria
    milestone.amount_minor, milestone.updated_at = amount_minor, clock()
    session.add(milestone)
    session.flush()
    trail.record(
        session,
        "engagements.milestone_updated",
        actor=actor,
        target=milestone,
        organization=engagement.organization_id,
        meta={"engagement_id": engagement.id, "fields": changed},
        clock=clock,
    )
    return milestone


def remove_milestone(
    session: Session, *, actor: User, engagement_id: int, milestone_id: int, clock: Clock = now
) -> None:
    authz.require_staff(actor)
    engagement, milestone = get_milestone(session, actor=actor, engagement_id=engagement_id, milestone_id=milestone_id)
    if not can_remove(engagement, milestone):
        raise Conflict("Milestones can only be removed while planned and the engagement is being scoped.")
    session.delete(milestone)
    session.flush()
    trail.record(
        session,
        "engagements.milestone_removed",
        actor=actor,
        target=("engagement_milestone", milestone_id),
        organization=engagement.organization_id,
        meta={"engagement_id": engagement.id, "amount_minor": milestone.amount_minor},
        clock=clock,
    )


def check_milestone_details(engagement: Engagement, title: str, amount_minor: int) -> str:
    """The cleaned title; ValidationFailed for a bad title or an amount outside 1..fixed price."""
    title = clean_line(title)
    fields: dict[str, str] = {}
    if not 1 <= len(title) <= 200:
        fields["title"] = "Give a title of 1-200 characters."
    if not 0 < amount_minor <= engagement.fixed_price_minor:
        fields["amount_minor"] = "The amount is positive and at most the engagement's fixed price."
    if fields:
        raise ValidationFailed("Some milestone details are missing or invalid.", fields=fields)
    return title


def check_criteria(text: str) -> str:
    """The acceptance criteria, one a line, without control characters or blank lines around them;
    ValidationFailed when too long."""
    lines = [
        "".join(ch for ch in line if ch.isprintable() or ch == "\t").rstrip()
        for line in (text or "").replace("\r\n", "\n").split("\n")
    ]
    cleaned = "\n".join(lines).strip("\n")
    if len(cleaned) > MAX_CRITERIA:
        raise ValidationFailed(
            f"Keep the acceptance criteria under {MAX_CRITERIA:,} characters.",
            fields={
                "acceptance_criteria": f"Keep them under {MAX_CRITERIA:,} characters (these have {len(cleaned):,})."
            },
        )
    return cleaned


def _staff_move(
    session: Session, actor: User, engagement_id: int, milestone_id: int, target: MilestoneStatus, clock: Clock
) -> Milestone:
    authz.require_staff(actor)
    engagement, milestone = get_milestone(session, actor=actor, engagement_id=engagement_id, milestone_id=milestone_id)
    _require_active(engagement)
    if target not in STAFF_MOVES.get(milestone.status, ()):
        raise Conflict(f"A milestone cannot go from {milestone.status} to {target}.")
    previous, moment = milestone.status, clock()
    milestone.status, milestone.updated_at = target, moment
    if target == M.SUBMITTED:
        milestone.submitted_at, milestone.submitted_by_id = moment, actor.id
    session.add(milestone)
    session.flush()
    action = "engagements.milestone_submitted" if target == M.SUBMITTED else "engagements.milestone_started"
    trail.record(
        session,
        action,
        actor=actor,
        target=milestone,
        organization=engagement.organization_id,
        meta={"engagement_id": engagement.id, "from": str(previous)},
        clock=clock,
    )
    return milestone


def _decide(
    session: Session, actor: User, engagement_id: int, milestone_id: int, *, accepted: bool, note: str, clock: Clock
) -> Milestone:
    engagement, milestone = get_milestone(session, actor=actor, engagement_id=engagement_id, milestone_id=milestone_id)
    require_client_owner(session, actor, engagement.organization_id)
    _require_active(engagement)
    note = check_note(note, accepted=accepted)
    if milestone.status != M.SUBMITTED:
        raise Conflict(f"Only a submitted milestone can be decided on (this one is {milestone.status}).")
    moment = clock()
    milestone.status = M.ACCEPTED if accepted else M.CHANGES_REQUESTED
    milestone.client_note, milestone.decided_at, milestone.decided_by_id, milestone.updated_at = (
        note,
        moment,
        actor.id,
        moment,
    )
    session.add(milestone)
    session.flush()
    trail.record(
        session,
        "engagements.milestone_accepted" if accepted else "engagements.milestone_changes_requested",
        actor=actor,
        target=milestone,
        organization=engagement.organization_id,
        meta={"engagement_id": engagement.id, "amount_minor": milestone.amount_minor},
        clock=clock,
    )
    verdict = "accepted" if accepted else "asked for changes to"
    emails.milestone_decided(
        session,
        notify_each(
            session,
            assigned_staff(session, engagement.id),
            Kind.MILESTONE_DECIDED,
            f"The client {verdict} \u201c{milestone.title}\u201d of {engagement.title}",
            admin_engagement(engagement.id),
            clock=clock,
        ),
        engagement=engagement.title,
        milestone=milestone.title,
        accepted=accepted,
        note=note,
    )
    if accepted:
        emails.milestone_accepted_receipt(
            session,
            actor,
            engagement=engagement.title,
            milestone=milestone.title,
            amount=format_money(milestone.amount_minor, engagement.currency),
            note=note,
        )
    return milestone


def check_note(note: str, *, accepted: bool) -> str:
    """The cleaned note of a decision; ValidationFailed when a request for changes has none, or it is too long."""
    note = (note or "").strip()
    field = "note" if accepted else "reason"
    if len(note) > MAX_NOTE:
        raise ValidationFailed(
            f"Keep the note under {MAX_NOTE:,} characters.",
            fields={field: f"Keep it under {MAX_NOTE:,} characters (this one has {len(note):,})."},
        )
    if not accepted and not note:
        raise ValidationFailed("Say what should change.", fields={"reason": "Say what should change, one item a line."})
    return note


def _require_active(engagement: Engagement) -> None:
    if engagement.status != EngagementStatus.ACTIVE:
        raise Conflict(f"The engagement is {engagement.status}; milestones move only while it is active.")
