"""What the portal's dashboard shows one person, from the same rules as every other door.

- ``needs_action``: milestones waiting for this person (a client owner decides
  submitted milestones; assigned staff pick up milestones sent back with changes);
- ``engagements``: open engagements as cards with progress by accepted amount;
- ``recent_documents`` and ``recent_activity`` (engagement and document events of
  the organizations the person can see, from the audit log; downloads left out).

``organization_id`` narrows everything to one organization the person may see
(the portal's organization switcher); any other id is NotFound.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import Select, String, bindparam, case, cast, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from fluxent import routes
from fluxent.models.accounts import Membership, Organization, OrgRole, User
from fluxent.models.audit import AuditEvent
from fluxent.models.documents import Document
from fluxent.models.engagements import Engagement, EngagementStaff, EngagementStatus, Milestone, MilestoneStatus
from fluxent.services.accounts import authz
from fluxent.services.accounts.organizations import require_visible, visible_organization_ids
from fluxent.services.portal import documents, engagements

# What each kind of event says, as a sentence about what it changed: ``{engagement}``,
# ``{milestone}`` and ``{document}`` are the names of the event's target as they are now,
# ``{from}`` and ``{to}`` the statuses it recorded.
ACTIVITY_SENTENCES = {
    "engagements.created": "{engagement} was set up",
    "engagements.status_changed": "{engagement} moved from {from} to {to}",
    "engagements.closed": "{engagement} was closed",
    "engagements.milestone_submitted": "{milestone} is ready for acceptance",
    "engagements.milestone_accepted": "{milestone} was accepted",
    "engagements.milestone_changes_requested": "Changes were requested on {milestone}",
    "documents.uploaded": "{document} was uploaded",
    "documents.deleted": "{document} was removed",
}
NEW_VERSION = "A new version of {document} was uploaded"


@dataclass(frozen=True)
class ActionItem:
    kind: str  # "decide_milestone" | "rework_milestone"
    engagement_id: int
    engagement_title: str
    milestone_id: int
    milestone_title: str
    amount_minor: int
    currency: str
    since: datetime | None


@dataclass(frozen=True)
class EngagementCard:
    id: int
    title: str
    organization: str
    status: str
    currency: str
    fixed_price_minor: int
    accepted_minor: int
    milestones: int
    milestones_accepted: int
    next_milestone: str  # the first milestone not accepted yet ("" when all are)
    next_due: date | None

    @property
    def progress_percent(self) -> int:
        return engagements.progress_percent(self.accepted_minor, self.fixed_price_minor)


@dataclass(frozen=True)
class RecentDocument:
    id: int
    filename: str
    version: int
    updated_at: datetime
    download_url: str  # the API route that streams the current version (a path)


@dataclass(frozen=True)
class ActivityItem:
    at: datetime
    sentence: str  # what changed, e.g. "Fleet telemetry dashboard moved from Scoping to Active"
    actor: str
    organization_id: int | None
    organization: str


@dataclass(frozen=True)
class Dashboard:
    needs_action: list[ActionItem]
    engagements: list[EngagementCard]
    recent_documents: list[RecentDocument]
    recent_activity: list[ActivityItem]


def dashboard(session: Session, *, actor: User, organization_id: int | None = None, limit: int = 6) -> Dashboard:
    visible = visible_organization_ids(session, actor)
    if organization_id is not None:
        require_visible(session, actor, organization_id)
        visible = [organization_id]
    return Dashboard(
        needs_action=_needs_action(session, actor, visible),
        engagements=_cards(session, visible, limit),
        recent_documents=[
            RecentDocument(d.id, d.filename, d.current_version, d.updated_at, routes.api_document_download(d.id))
            for d in documents.recent_documents(session, visible=visible, limit=limit)
        ],
        recent_activity=_activity(session, visible, limit),
    )


# The dashboard's statements are built once per shape (staff or client, narrowed to some
# organizations or not) with bound parameters: building and compiling them cost more
# than running them, and SQLAlchemy caches the compiled form of a statement it sees again.


@cache
def _needs_action_statement(*, staff: bool, narrowed: bool) -> Select:
    statement = (
        select(Milestone, Engagement)
        .join(Engagement, Engagement.id == Milestone.engagement_id)
        .where(Engagement.status == EngagementStatus.ACTIVE)
        .order_by(Milestone.updated_at, Milestone.id)
    )
    actor_id = bindparam("actor_id")
    if staff:
        statement = statement.join(EngagementStaff, EngagementStaff.engagement_id == Engagement.id).where(
            EngagementStaff.user_id == actor_id, Milestone.status == MilestoneStatus.CHANGES_REQUESTED
        )
    else:
        owned = select(Membership.organization_id).where(
            Membership.user_id == actor_id, Membership.role == OrgRole.OWNER
        )
        statement = statement.where(
            Engagement.organization_id.in_(owned), Milestone.status == MilestoneStatus.SUBMITTED
        )
    return statement.where(Engagement.organization_id.in_(_VISIBLE)) if narrowed else statement


_VISIBLE = bindparam("visible", expanding=True)


def _needs_action(session: Session, actor: User, visible: list[int] | None) -> list[ActionItem]:
    staff = authz.is_staff(actor)
    kind = "rework_milestone" if staff else "decide_milestone"
    statement = _needs_action_statement(staff=staff, narrowed=visible is not None)
    return [
        ActionItem(kind, e.id, e.title, m.id, m.title, m.amount_minor, e.currency, m.submitted_at or m.updated_at)
        for m, e in session.execute(statement, {"actor_id": actor.id, "visible": visible or []})
    ]


@cache
def _cards_statement(*, narrowed: bool) -> Select:
    accepted = Milestone.status == MilestoneStatus.ACCEPTED
    progress = (
        select(
            Milestone.engagement_id,
            func.count().label("total"),
            func.sum(case((accepted, 1), else_=0)).label("done"),
            func.sum(case((accepted, Milestone.amount_minor), else_=0)).label("done_minor"),
            func.min(case((accepted, None), else_=Milestone.position)).label("next_position"),
        )
        .group_by(Milestone.engagement_id)
        .subquery()
    )
    following = aliased(Milestone)
    statement = (
        select(
            Engagement,
            Organization.name,
            progress.c.total,
            progress.c.done,
            progress.c.done_minor,
            following.title,
            following.due_date,
        )
        .join(Organization, Organization.id == Engagement.organization_id)
        .outerjoin(progress, progress.c.engagement_id == Engagement.id)
        .outerjoin(
            following,
            (following.engagement_id == Engagement.id) & (following.position == progress.c.next_position),
        )
        .where(Engagement.status != EngagementStatus.CLOSED)
        .order_by(Engagement.updated_at.desc(), Engagement.id.desc())
        .limit(bindparam("limit"))
    )
    return statement.where(Engagement.organization_id.in_(_VISIBLE)) if narrowed else statement


def _cards(session: Session, visible: list[int] | None, limit: int) -> list[EngagementCard]:
    statement = _cards_statement(narrowed=visible is not None)
    return [
        EngagementCard(
            e.id,
            e.title,
            org,
            str(e.status),
            e.currency,
            e.fixed_price_minor,
            int(done_minor or 0),
            int(total or 0),
            int(done or 0),
            next_title or "",
            next_due,
        )
        for e, org, total, done, done_minor, next_title, next_due in session.execute(
            statement, {"limit": limit, "visible": visible or []}
        )
    ]


@cache
def _activity_statement(*, narrowed: bool) -> Select:
    target = AuditEvent.target_id
    statement = (
        select(
            AuditEvent.created_at,
            AuditEvent.action,
            AuditEvent.meta,
            User.name,
            AuditEvent.organization_id,
            Organization.name,
            Engagement.title,
            Milestone.title,
            Document.filename,
        )
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .join(Organization, Organization.id == AuditEvent.organization_id)
        # Target ids are text in the audit log; the rows are looked up by their id as text.
        .outerjoin(Engagement, (AuditEvent.target_type == "engagement") & (target == cast(Engagement.id, String)))
        .outerjoin(Milestone, (AuditEvent.target_type == "milestone") & (target == cast(Milestone.id, String)))
        .outerjoin(Document, (AuditEvent.target_type == "document") & (target == cast(Document.id, String)))
        .where(AuditEvent.action.in_(ACTIVITY_SENTENCES), AuditEvent.organization_id.is_not(None))
        .order_by(AuditEvent.seq.desc())
        .limit(bindparam("limit"))
    )
    return statement.where(AuditEvent.organization_id.in_(_VISIBLE)) if narrowed else statement


def _activity(session: Session, visible: list[int] | None, limit: int) -> list[ActivityItem]:
    statement = _activity_statement(narrowed=visible is not None)
    return [
        ActivityItem(
            at, activity_sentence(action, meta, engagement, milestone, document), name or "Fluxent", org, org_name
        )
        for at, action, meta, name, org, org_name, engagement, milestone, document in session.execute(
            statement, {"limit": limit, "visible": visible or []}
        )
    ]


def activity_sentence(
    action: str, meta: str, engagement: str | None, milestone: str | None, document: str | None
) -> str:
    """The sentence for one event. Names keep their own spelling; a target that is gone reads
    as "an engagement" and the like (capitalised at the start of the sentence)."""
    recorded = json.loads(meta or "{}")
    template = (
        NEW_VERSION if action == "documents.uploaded" and recorded.get("version", 1) > 1 else ACTIVITY_SENTENCES[action]
    )
    given = {"engagement": engagement, "milestone": milestone, "document": document}
    names = {key: name or _UNNAMED[key] for key, name in given.items()}
    sentence = template.format_map(
        {**names, "from": _status_name(recorded.get("from")), "to": _status_name(recorded.get("to"))}
    )
    first = template[1:].split("}")[0] if template.startswith("{") else ""
    return sentence[:1].upper() + sentence[1:] if first in given and not given[first] else sentence


_UNNAMED = {"engagement": "an engagement", "milestone": "a milestone", "document": "a document"}


def _status_name(status: object) -> str:
    return str(status or "another status").replace("_", " ").capitalize()
