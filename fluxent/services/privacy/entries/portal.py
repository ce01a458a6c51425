"""Privacy registrations for the client portal: engagement assignments, milestone decisions
and uploaded documents (imported from ``privacy.entries``, which holds the registry)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select, update

from fluxent.models.accounts import Organization
from fluxent.models.documents import Document, DocumentVersion
from fluxent.models.engagements import Engagement, EngagementStaff, Milestone
from fluxent.services.privacy.policy import PROJECT_CONTENT, RETENTION_ACCOUNTS, STAFF_PROFESSIONAL, LegalBasis
from fluxent.services.privacy.registry import Anonymize, Delete, ErasureContext, ExportContext, Registry, Section
from fluxent.services.privacy.sections import (
    INTEGER,
    OPTIONAL_TIMESTAMP,
    STRING,
    TIMESTAMP,
    closed_object,
    iso,
    list_of,
    rows_section,
)

ENGAGEMENT_ASSIGNMENTS = rows_section(
    "engagement_assignments",
    {"engagement": STRING, "organization": STRING, "since": TIMESTAMP},
    lambda ctx: (
        select(Engagement.title, Organization.name, EngagementStaff.created_at)
        .join(Engagement, Engagement.id == EngagementStaff.engagement_id)
        .join(Organization, Organization.id == Engagement.organization_id)
        .where(EngagementStaff.user_id == ctx.user.id)
        .order_by(EngagementStaff.created_at, EngagementStaff.id)
    ),
)


def _milestone_actions(ctx: ExportContext) -> list[dict[str, Any]]:
    user_id = ctx.user.id
    rows = ctx.session.execute(
        select(
            Engagement.title,
            Milestone.title,
            Milestone.status,
            Milestone.submitted_by_id,
            Milestone.submitted_at,
            Milestone.decided_by_id,
            Milestone.decided_at,
            Milestone.client_note,
        )
        .join(Engagement, Engagement.id == Milestone.engagement_id)
        .where(or_(Milestone.submitted_by_id == user_id, Milestone.decided_by_id == user_id))
        .order_by(Milestone.id)
    )
    return [
        {
            "engagement": engagement,
            "milestone": title,
            "status": str(status),
            "submitted_at": iso(submitted_at) if submitted_by == user_id else None,
            "decided_at": iso(decided_at) if decided_by == user_id else None,
            "note": note if decided_by == user_id else None,
        }
        for engagement, title, status, submitted_by, submitted_at, decided_by, decided_at, note in rows
    ]


MILESTONE_ACTIONS = Section(
    "milestone_actions",
    list_of(
        closed_object(
            {
                "engagement": STRING,
                "milestone": STRING,
                "status": STRING,
                "submitted_at": OPTIONAL_TIMESTAMP,
                "decided_at": OPTIONAL_TIMESTAMP,
                "note": {"type": ["string", "null"]},
            }
        )
    ),
    _milestone_actions,
)


DOCUMENTS_UPLOADED = rows_section(
    "documents_uploaded",
    {
        "organization": STRING,
        "filename": STRING,
        "version": INTEGER,
        "size": INTEGER,
        "sha256": STRING,
        "content_type": STRING,
        "uploaded_at": TIMESTAMP,
    },
    lambda ctx: (
        select(
            Organization.name,
            DocumentVersion.filename,
            DocumentVersion.version,
            DocumentVersion.size,
            DocumentVersion.sha256,
            DocumentVersion.content_type,
            DocumentVersion.created_at,
        )
        .join(Document, Document.id == DocumentVersion.document_id)
        .join(Organization, Organization.id == Document.organization_id)
        .where(DocumentVersion.uploaded_by_id == ctx.user.id)
        .order_by(DocumentVersion.created_at, DocumentVersion.id)
    ),
)


def _erase_milestone_links(ctx: ErasureContext) -> int:
    """Null the person's links to milestones; their notes go with their link as decider."""
    session, user_id = ctx.session, ctx.user_id
    submitted = (
        session.execute(
            update(Milestone)
            .where(Milestone.submitted_by_id == user_id)
            .values(submitted_by_id=None)
            .execution_options(synchronize_session="fetch")
        ).rowcount
        or 0
    )
    decided = (
        session.execute(
            update(Milestone)
            .where(Milestone.decided_by_id == user_id)
            .values(decided_by_id=None, client_note="")
            .execution_options(synchronize_session="fetch")
        ).rowcount
        or 0
    )
    return submitted + decided


def register_portal(registry: Registry) -> None:
    # What people do in an organization's portal, held to deliver the contract.
    contract = registry.area(basis=LegalBasis.CONTRACT, retention=RETENTION_ACCOUNTS, categories=(PROJECT_CONTENT,))
    contract(
        table="engagement_staff",
        description="The client engagements you are assigned to as Fluxent staff",
        personal=("user_id",),
        categories=(STAFF_PROFESSIONAL,),
        export=ENGAGEMENT_ASSIGNMENTS,
        erase=Delete(),
    )
    contract(
        table="engagement_milestone",
        description="Milestones you submitted for acceptance, accepted or asked changes to, with your notes",
        personal=("client_note",),
        retention_detail="the milestone stays with the organization's engagement; your link and notes are removed",
        export=MILESTONE_ACTIONS,
        erase=Anonymize(
            {"client_note": "", "submitted_by_id": None, "decided_by_id": None}, apply=_erase_milestone_links
        ),
        owner=("submitted_by_id", "decided_by_id"),
    )
    contract(
        table="document_version",
        description="Documents you uploaded to an organization's portal",
        personal=("uploaded_by_id",),
        retention_detail="the files belong to the organization and stay with it; your name is removed from them",
        export=DOCUMENTS_UPLOADED,
        erase=Anonymize({"uploaded_by_id": None}),
        owner=("uploaded_by_id",),
    )
