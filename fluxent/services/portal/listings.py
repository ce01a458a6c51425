"""Typed rows for the pages that list engagements and documents, with the rules applied once.

The portal's engagements and documents pages and the staff console's organization
page show these; they never query the database or restate a rule themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from fluxent import routes
from fluxent.core.errors import ValidationFailed
from fluxent.models.accounts import Organization, User
from fluxent.models.engagements import Engagement, EngagementStatus, Milestone, MilestoneStatus
from fluxent.services.accounts.organizations import owned_organization_ids
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page
from fluxent.services.portal import documents, engagements, milestones, previews
from fluxent.services.portal.deliverables import DeliverableLine, deliverable_lines


@dataclass(frozen=True)
class MilestoneLine:
    id: int
    engagement_id: int
    title: str
    description: str  # what staff wrote about the work
    acceptance_criteria: str  # one a line
    deliverables: list[DeliverableLine]
    status: str
    amount_minor: int
    due_date: date | None
    client_note: str
    can_decide: bool  # the viewer may accept it or ask for changes now


@dataclass(frozen=True)
class EngagementLine:
    id: int
    title: str
    organization_id: int
    organization: str
    scope_summary: str
    status: str
    currency: str
    fixed_price_minor: int
    accepted_minor: int
    progress_percent: int
    viewer_owns: bool  # the viewer is an owner of the engagement's organization
    milestones: list[MilestoneLine]


@dataclass(frozen=True)
class AcceptanceLine:
    """What the acceptance dialog shows about one milestone, and whether the viewer may accept it now."""

    engagement_id: int
    engagement_title: str
    scope_summary: str
    currency: str
    milestone: MilestoneLine


@dataclass(frozen=True)
class DocumentLine:
    id: int
    filename: str
    organization: str
    engagement: str | None  # the engagement's title, None for a general document
    version: int
    updated_at: datetime
    size: int  # of the current version, in bytes
    download_url: str  # the API route that streams the current version (a path)
    uploaded_by: str  # who uploaded the current version (see ``VersionLine.uploaded_by``)
    by_staff: bool  # whether that was Fluxent staff
    previewable: bool  # the current version is a PDF or an image (``previews``)


@dataclass(frozen=True)
class VersionLine:
    version: int
    filename: str
    size: int
    uploaded_by: str  # the uploader's name (e-mail without one); ERASED_UPLOADER once the account is gone
    by_staff: bool  # uploaded by Fluxent staff
    uploaded_at: datetime
    download_url: str  # the API route that streams this version (a path)


@dataclass(frozen=True)
class DocumentVersions:
    id: int
    filename: str
    may_add_version: bool  # the viewer may upload a new version
    versions: list[VersionLine]  # newest first


ERASED_UPLOADER = "a former user"


def engagement_lines(
    session: Session, *, actor: User, organization_id: int | None = None, page_size: int = 50
) -> list[EngagementLine]:
    """The engagements ``actor`` may see (of one organization, or all), with their milestones."""
    return engagement_page(session, actor=actor, organization_id=organization_id, page_size=page_size).items


def engagement_page(
    session: Session,
    *,
    actor: User,
    organization_id: int | None = None,
    status: str = "",
    query: str = "",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page[EngagementLine]:
    """One page of them, of ``status`` ("" for any) with ``query`` in the title."""
    if status and status not in set(EngagementStatus):
        raise ValidationFailed("Choose a status from the list.", fields={"status": "Choose a status from the list."})
    found = engagements.list_engagements(
        session,
        actor=actor,
        organization_id=organization_id,
        status=EngagementStatus(status) if status else None,
        query=query,
        page=page,
        page_size=page_size,
    )
    owned = owned_organization_ids(session, actor)
    lines = []
    for engagement in found.items:
        items = engagements.milestones_of(session, engagement.id)
        accepted = sum(m.amount_minor for m in items if m.status == MilestoneStatus.ACCEPTED)
        owner = engagement.organization_id in owned
        lines.append(
            EngagementLine(
                id=engagement.id,
                title=engagement.title,
                organization_id=engagement.organization_id,
                organization=session.get(Organization, engagement.organization_id).name,
                scope_summary=engagement.scope_summary,
                status=str(engagement.status),
                currency=engagement.currency,
                fixed_price_minor=engagement.fixed_price_minor,
                accepted_minor=accepted,
                progress_percent=engagements.progress_percent(accepted, engagement.fixed_price_minor),
                viewer_owns=owner,
                milestones=[_milestone_line(session, engagement, m, owner=owner) for m in items],
            )
        )
    return Page(items=lines, total=found.total, page=found.page, page_size=found.page_size)


def acceptance_line(session: Session, *, actor: User, engagement_id: int, milestone_id: int) -> AcceptanceLine:
    """One milestone for the acceptance dialog (NotFound outside the viewer's organizations)."""
    engagement, milestone = milestones.get_milestone(
        session, actor=actor, engagement_id=engagement_id, milestone_id=milestone_id
    )
    owner = engagement.organization_id in owned_organization_ids(session, actor)
    return AcceptanceLine(
        engagement_id=engagement.id,
        engagement_title=engagement.title,
        scope_summary=engagement.scope_summary,
        currency=engagement.currency,
        milestone=_milestone_line(session, engagement, milestone, owner=owner),
    )


def document_lines(
    session: Session, *, actor: User, organization_id: int | None = None, page_size: int = 50
) -> list[DocumentLine]:
    """The documents ``actor`` may see (of one organization, or all), newest first."""
    return document_page(session, actor=actor, organization_id=organization_id, page_size=page_size).items


def document_page(
    session: Session,
    *,
    actor: User,
    organization_id: int | None = None,
    query: str = "",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page[DocumentLine]:
    """One page of them, with ``query`` in the file name."""
    listed = documents.list_documents(
        session, actor=actor, organization_id=organization_id, query=query, page=page, page_size=page_size
    )
    found = listed.items
    currents = {
        document.id: documents.versions_of(session, actor=actor, document_id=document.id)[0] for document in found
    }
    name_of = _uploader_names(session, [current.uploaded_by_id for current in currents.values()])
    lines = []
    for document in found:
        current = currents[document.id]
        engagement = session.get(Engagement, document.engagement_id) if document.engagement_id is not None else None
        lines.append(
            DocumentLine(
                id=document.id,
                filename=document.filename,
                organization=session.get(Organization, document.organization_id).name,
                engagement=engagement.title if engagement else None,
                version=document.current_version,
                updated_at=document.updated_at,
                size=current.size,
                download_url=routes.api_document_download(document.id),
                uploaded_by=name_of(current.uploaded_by_id),
                by_staff=current.uploaded_by_staff,
                previewable=previews.preview_kind(current.content_type) != "",
            )
        )
    return Page(items=lines, total=listed.total, page=listed.page, page_size=listed.page_size)


def _milestone_line(session: Session, engagement: Engagement, m: Milestone, *, owner: bool) -> MilestoneLine:
    return MilestoneLine(
        id=m.id,
        engagement_id=engagement.id,
        title=m.title,
        description=m.description,
        acceptance_criteria=m.acceptance_criteria,
        deliverables=deliverable_lines(session, m.id),
        status=str(m.status),
        amount_minor=m.amount_minor,
        due_date=m.due_date,
        client_note=m.client_note,
        can_decide=milestones.can_decide(engagement, m, owner=owner),
    )


def _uploader_names(session: Session, user_ids: list[int | None]) -> Callable[[int | None], str]:
    """Who uploaded, by user id, in one query: the name (e-mail without one), or
    ERASED_UPLOADER when the account was erased (which unlinks it) or deleted."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    people = {user.id: user for user in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}

    def name_of(user_id: int | None) -> str:
        user = people.get(user_id) if user_id is not None else None
        if user is None or user.erased_at is not None:
            return ERASED_UPLOADER
        return user.name or user.email

    return name_of


def document_versions(session: Session, *, actor: User, document_id: int) -> DocumentVersions:
    """A document's versions with who uploaded each and when, as the portal and the console list them."""
    document = documents.get_document(session, actor=actor, document_id=document_id)
    rows = documents.versions_of(session, actor=actor, document_id=document.id)
    uploader = _uploader_names(session, [row.uploaded_by_id for row in rows])

    return DocumentVersions(
        id=document.id,
        filename=document.filename,
        may_add_version=documents.may_add_version(session, actor, document),
        versions=[
            VersionLine(
                version=row.version,
                filename=row.filename,
                size=row.size,
                uploaded_by=uploader(row.uploaded_by_id),
                by_staff=row.uploaded_by_staff,
                uploaded_at=row.created_at,
                download_url=routes.api_document_download(document.id, row.version),
            )
            for row in rows
        ],
    )
