"""The marketing area's entries in the privacy registry: leads, consent records and
the newsletter, each tied to a person by e-mail address (visitors have no account)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from fluxent.models.marketing import ConsentRecord, Lead, LeadNote, NewsletterSubscription
from fluxent.services.privacy.policy import CONTACT, RETENTION_LEADS, LegalBasis
from fluxent.services.privacy.registry import Delete, ErasureContext, ExportContext, Registry, Section
from fluxent.services.privacy.sections import OPTIONAL_TIMESTAMP, STRING, TIMESTAMP, closed_object, iso, rows_section

LEADS = rows_section(
    "leads",
    {
        **{key: STRING for key in ("source", "status", "name", "email", "phone", "company", "country")},
        **{key: STRING for key in ("message", "audience", "timeline", "budget")},
        "created_at": TIMESTAMP,
        "last_activity_at": TIMESTAMP,
    },
    lambda ctx: (
        select(
            Lead.source,
            Lead.status,
            Lead.name,
            Lead.email,
            Lead.phone,
            Lead.company,
            Lead.country,
            Lead.message,
            Lead.audience,
            Lead.timeline,
            Lead.budget,
            Lead.created_at,
            Lead.last_activity_at,
        )
        .where(Lead.email == ctx.user.email)
        .order_by(Lead.created_at)
    ),
)

LEAD_NOTES = rows_section(
    "lead_notes",
    {"note": STRING, "written_at": TIMESTAMP, "lead_received_at": TIMESTAMP},
    lambda ctx: (
        select(LeadNote.body, LeadNote.created_at, Lead.created_at)
        .join(Lead, Lead.id == LeadNote.lead_id)
        .where(Lead.email == ctx.user.email)
        .order_by(LeadNote.created_at, LeadNote.id)
    ),
)


def _erase_lead_notes(ctx: ErasureContext) -> int:
    """The notes on the person's leads (erasing the leads would cascade to them; counted here)."""
    their_leads = select(Lead.id).where(Lead.email == ctx.email)
    statement = delete(LeadNote).where(LeadNote.lead_id.in_(their_leads)).execution_options(synchronize_session="fetch")
    return ctx.session.execute(statement).rowcount or 0


CONSENTS = rows_section(
    "consents",
    {"subject": STRING, "statement": STRING, "policy_version": STRING, "agreed_at": TIMESTAMP},
    lambda ctx: (
        select(ConsentRecord.subject, ConsentRecord.statement, ConsentRecord.policy_version, ConsentRecord.agreed_at)
        .where(ConsentRecord.email == ctx.user.email)
        .order_by(ConsentRecord.agreed_at)
    ),
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
    # Visitors have no account: their rows are theirs by e-mail address.
    contact = registry.area(
        categories=(CONTACT,), basis=LegalBasis.CONSENT, retention=RETENTION_LEADS, owner=(), owner_email=("email",)
    )
    # Before the leads: their erasure would take the notes along uncounted.
    contact(
        table="marketing_lead_note",
        description="Notes our staff made while following up your contact or scope form",
        personal=("body", "author_id"),
        retention_detail="kept as long as the lead they belong to",
        export=LEAD_NOTES,
        erase=Delete(apply=_erase_lead_notes),
        owner_email=(),
    )
    contact(
        table="marketing_lead",
        description="Messages you sent through the contact or scope form",
        personal=("name", "email", "phone", "company", "country", "message", "audience"),
        export=LEADS,
        erase=Delete(),
    )
    contact(
        table="marketing_consent",
        description="What you agreed to on our forms, under which policy version, and when",
        personal=("email",),
        retention_detail="kept as long as the lead or subscription it belongs to",
        export=CONSENTS,
        erase=Delete(),
    )
    contact(
        table="marketing_newsletter_subscription",
        description="Your newsletter subscription",
        personal=("email",),
        retention_detail="until you unsubscribe; afterwards only a one-way hash of the address is kept",
        export=NEWSLETTER,
        erase=Delete(),
    )
    registry.exempt(
        table="marketing_newsletter_suppression",
        reason="Addresses that unsubscribed, kept only as keyed one-way hashes so they are never mailed "
        "again: nothing in it can be read back to a person.",
    )
