"""The privacy area's own entries: the rights requests a person (or their agent) made, and
the restrictions of processing they left in force. Both are the person's by e-mail address."""

from __future__ import annotations

from sqlalchemy import select

from fluxent.models.privacy import PrivacyRequest, ProcessingRestriction
from fluxent.services.privacy.policy import CONTACT, RETENTION_AUDIT, LegalBasis
from fluxent.services.privacy.registry import Delete, Registry, Retain
from fluxent.services.privacy.sections import (
    BOOLEAN,
    OPTIONAL_STRING,
    OPTIONAL_TIMESTAMP,
    STRING,
    TIMESTAMP,
    rows_section,
)

PRIVACY_REQUESTS = rows_section(
    "privacy_requests",
    {
        "kind": STRING,
        "status": STRING,
        "details": STRING,
        "child": BOOLEAN,
        "agent_name": STRING,
        "agent_email": STRING,
        "received_at": TIMESTAMP,
        "due_at": TIMESTAMP,
        "extended_at": OPTIONAL_TIMESTAMP,
        "extension_reason": STRING,
        "closed_at": OPTIONAL_TIMESTAMP,
        "outcome": OPTIONAL_STRING,
        "outcome_note": STRING,
    },
    lambda ctx: (
        select(
            PrivacyRequest.kind,
            PrivacyRequest.status,
            PrivacyRequest.details,
            PrivacyRequest.child,
            PrivacyRequest.agent_name,
            PrivacyRequest.agent_email,
            PrivacyRequest.received_at,
            PrivacyRequest.due_at,
            PrivacyRequest.extended_at,
            PrivacyRequest.extension_reason,
            PrivacyRequest.closed_at,
            PrivacyRequest.outcome,
            PrivacyRequest.outcome_note,
        )
        .where(PrivacyRequest.subject_email == ctx.user.email)
        .order_by(PrivacyRequest.received_at, PrivacyRequest.id)
    ),
)

RESTRICTIONS = rows_section(
    "processing_restrictions",
    {"since": TIMESTAMP, "lifted_at": OPTIONAL_TIMESTAMP},
    lambda ctx: (
        select(ProcessingRestriction.created_at, ProcessingRestriction.lifted_at)
        .where(ProcessingRestriction.email == ctx.user.email)
        .order_by(ProcessingRestriction.created_at)
    ),
)

REQUEST_RECORDS = (
    "A record of each privacy request and of how we answered it must be kept to show we complied "
    "(California's rules for consumer requests ask for 24 months); an erasure request is one of them."
)


def register_privacy(registry: Registry) -> None:
    requests = registry.area(
        categories=(CONTACT,), basis=LegalBasis.LEGAL_OBLIGATION, retention=RETENTION_AUDIT, owner=("user_id",)
    )
    requests(
        table="privacy_request",
        description="The privacy requests you (or someone acting for you) made, and how we answered them",
        personal=(
            "subject_email",
            "subject_name",
            "details",
            "agent_name",
            "agent_email",
            "agent_authority",
            "created_by_id",
            "decided_by_id",
        ),
        owner_email=("subject_email",),
        retention_detail="kept as the record of how we answered, as privacy law requires of us",
        export=PRIVACY_REQUESTS,
        erase=Retain(REQUEST_RECORDS),
    )
    requests(
        table="privacy_restriction",
        description="Restrictions of processing you asked for (no marketing e-mail, your leads out of our pipeline)",
        personal=("email",),
        owner=(),
        owner_email=("email",),
        retention_detail="while in force",
        export=RESTRICTIONS,
        erase=Delete(),
    )
