"""The marketing area's entries in the privacy registry: leads, consent records and
the newsletter, each tied to a person by e-mail address (visitors have no account)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from fluxent.models.marketing import ConsentRecord, Lead, LeadNote, NewsletterSubscription
from fluxent.services.privacy.policy import CONTACT, RETENTION_LEADS, LegalBasis
from fluxent.services.privacy.registry import Delete, ErasureContext, ExportContext, Registry, Section
from fluxent.services.privacy.sections import (
    OPTIONAL_TIMESTAMP,
    STRING,
    TIMESTAMP,
    closed_object,
    iso,
    list_of,
)


def _leads(ctx: ExportContext) -> list[dict[str, Any]]:
    rows = ctx.session.execute(select(Lead).where(Lead.email == ctx.user.email).order_by(Lead.created_at)).scalars()
    return [
        {
            "source": str(lead.source),
            "status": str(lead.status),
            "name": lead.name,
            "email": lead.email,
            "phone": lead.phone,
            "company": lead.company,
            "country": lead.country,
            "message": lead.message,
            "audience": lead.audience,
            "timeline": lead.timeline,
            "budget": lead.budget,
            "created_at": iso(lead.created_at),
            "last_activity_at": iso(lead.last_activity_at),
        }
        for lead in rows
    ]


LEADS = Section(
    "leads",
    list_of(
        closed_object(
            {
                **{key: STRING for key in ("source", "status", "name", "email", "phone", "company", "country")},
                **{key: STRING for key in ("message", "audience", "timeline", "budget")},
                "created_at": TIMESTAMP,
                "last_activity_at": TIMESTAMP,
            }
        )
    ),
    _leads,
)


def _lead_notes(ctx: ExportContext) -> list[dict[str, Any]]:
    rows = ctx.session.execute(
        select(LeadNote.body, LeadNote.created_at, Lead.created_at)
        .join(Lead, Lead.id == LeadNote.lead_id)
        .where(Lead.email == ctx.user.email)
        .order_by(LeadNote.created_at, LeadNote.id)
    )
    return [
        {"note": body, "written_at": iso(written), "lead_received_at": iso(received)}
        for body, written, received in rows
    ]


LEAD_NOTES = Section(
    "lead_notes",
    list_of(closed_object({"note": STRING, "written_at": TIMESTAMP, "lead_received_at": TIMESTAMP})),
    _lead_notes,
)


def _erase_lead_notes(ctx: ErasureContext) -> int:
    """The notes on the person's leads (erasing the leads would cascade to them; counted here)."""
    their_leads = select(Lead.id).where(Lead.email == ctx.email)
    statement = delete(LeadNote).where(LeadNote.lead_id.in_(their_leads)).execution_options(synchronize_session="fetch")
    return ctx.session.execute(statement).rowcount or 0


def _consents(ctx: ExportContext) -> list[dict[str, Any]]:
    rows = ctx.session.execute(
        select(ConsentRecord).where(ConsentRecord.email == ctx.user.email).order_by(ConsentRecord.agreed_at)
    ).scalars()
    return [
        {
            "subject": str(row.subject),
            "statement": row.statement,
            "policy_version": row.policy_version,
            "agreed_at": iso(row.agreed_at),
        }
        for row in rows
    ]


CONSENTS = Section(
    "consents",
    list_of(closed_object({"subject": STRING, "statement": STRING, "policy_version": STRING, "agreed_at": TIMESTAMP})),
    _consents,
)


def _newsletter(ctx: ExportContext) -> dict[str, Any] | None:
    row = ctx.session.execute(
        select(NewsletterSubscription).where(NewsletterSubscription.email == ctx.user.email)
    ).scalar_one_or_none()
    if row is None:
        return None
    return {"email": row.email, "requested_at": iso(row.requested_at), "confirmed_at": iso(row.confirmed_at)}


NEWSLETTER = Section(
    "newsletter",
    closed_object({"email": STRING, "requested_at": TIMESTAMP, "confirmed_at": OPTIONAL_TIMESTAMP}, nullable=True),
    _newsletter,
)


def register_marketing(registry: Registry) -> None:
    # Before the leads: their erasure would take the notes along uncounted.
    registry.register(
        table="marketing_lead_note",
        description="Notes our staff made while following up your contact or scope form",
        personal=("body", "author_id"),
        categories=(CONTACT,),
        basis=LegalBasis.CONSENT,
        retention=RETENTION_LEADS,
        retention_detail="kept as long as the lead they belong to",
        export=LEAD_NOTES,
        erase=Delete(apply=_erase_lead_notes),
        owner=(),
    )
    registry.register(
        table="marketing_lead",
        description="Messages you sent through the contact or scope form",
        personal=("name", "email", "phone", "company", "country", "message", "audience"),
        categories=(CONTACT,),
        basis=LegalBasis.CONSENT,
        retention=RETENTION_LEADS,
        export=LEADS,
        erase=Delete(),
        owner=(),
        owner_email=("email",),
    )
    registry.register(
        table="marketing_consent",
        description="What you agreed to on our forms, under which policy version, and when",
        personal=("email",),
        categories=(CONTACT,),
        basis=LegalBasis.CONSENT,
        retention=RETENTION_LEADS,
        retention_detail="kept as long as the lead or subscription it belongs to",
        export=CONSENTS,
        erase=Delete(),
        owner=(),
        owner_email=("email",),
    )
    registry.register(
        table="marketing_newsletter_subscription",
        description="Your newsletter subscription",
        personal=("email",),
        categories=(CONTACT,),
        basis=LegalBasis.CONSENT,
        retention=RETENTION_LEADS,
        retention_detail="until you unsubscribe; afterwards only a one-way hash of the address is kept",
        export=NEWSLETTER,
        erase=Delete(),
        owner=(),
        owner_email=("email",),
    )
    registry.exempt(
        table="marketing_newsletter_suppression",
        reason="Addresses that unsubscribed, kept only as keyed one-way hashes so they are never mailed "
        "again: nothing in it can be read back to a person.",
    )
