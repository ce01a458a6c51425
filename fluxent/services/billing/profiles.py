"""Billing profiles: who an organization's invoices are addressed to, and its billing contacts.

Owners edit the profile and choose which members are billing contacts; billing contacts
and staff read it. Changes are audited (without the values: they are personal data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import ValidationFailed
from fluxent.core.text import text_problem
from fluxent.models.accounts import Membership, OrgRole, User
from fluxent.models.billing import BillingContact, BillingProfile
from fluxent.services.audit import trail
from fluxent.services.billing import access
from fluxent.services.portal.engagements import clean_line

_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
MAX_ADDRESS = 1000


@dataclass(frozen=True)
class ProfileInput:
    billing_email: str
    legal_name: str
    address: str = ""
    tax_id: str = ""
    billing_contact_ids: tuple[int, ...] = ()


def profile_of(session: Session, organization_id: int) -> BillingProfile | None:
    return session.scalars(select(BillingProfile).where(BillingProfile.organization_id == organization_id)).first()


def contact_ids(session: Session, organization_id: int) -> list[int]:
    """Billing contacts who are still members of the organization."""
    return sorted(
        session.scalars(
            select(BillingContact.user_id)
            .join(
                Membership,
                (Membership.user_id == BillingContact.user_id)
                & (Membership.organization_id == BillingContact.organization_id),
            )
            .where(BillingContact.organization_id == organization_id)
        )
    )


def get_profile(session: Session, *, actor: User, organization_id: int) -> BillingProfile:
    """The profile (an empty one, not stored, when none was saved yet)."""
    access.require_invoice_reader(session, actor, organization_id)
    return profile_of(session, organization_id) or BillingProfile(organization_id=organization_id)


def update_profile(
    session: Session, *, actor: User, organization_id: int, details: ProfileInput, clock: Clock = now
) -> BillingProfile:
    """Owners only (staff may read, not change, what the client tells us)."""
    access.require_owner(session, actor, organization_id)
    cleaned = _check(session, organization_id, details)
    moment = clock()
    profile = profile_of(session, organization_id) or BillingProfile(organization_id=organization_id, created_at=moment)
    changed = sorted(
        name
        for name in ("billing_email", "legal_name", "address", "tax_id")
        if getattr(profile, name) != getattr(cleaned, name)
    )
    for name in changed:
        setattr(profile, name, getattr(cleaned, name))
    profile.updated_at = moment
    session.add(profile)
    contacts_before = contact_ids(session, organization_id)
    if sorted(cleaned.billing_contact_ids) != contacts_before:
        session.execute(delete(BillingContact).where(BillingContact.organization_id == organization_id))
        for user_id in sorted(cleaned.billing_contact_ids):
            session.add(BillingContact(organization_id=organization_id, user_id=user_id, created_at=moment))
        changed.append("billing_contacts")
    session.flush()
    if changed:
        trail.record(
            session,
            "billing.profile_changed",
            actor=actor,
            target=profile,
            organization=organization_id,
            meta={"fields": changed},
            clock=clock,
        )
    return profile


def _check(session: Session, organization_id: int, details: ProfileInput) -> ProfileInput:
    fields: dict[str, str] = {}
    email = (details.billing_email or "").strip().lower()
    if not _EMAIL_RE.match(email) or len(email) > 254 or text_problem(email):
        fields["billing_email"] = "Give the e-mail address invoices go to."
    legal_name = clean_line(details.legal_name)
    if not 1 <= len(legal_name) <= 200:
        fields["legal_name"] = "Give the legal name, 1-200 characters."
    raw_address = details.address or ""
    address = "\n".join(clean_line(line) for line in raw_address.strip().splitlines())
    if len(address) > MAX_ADDRESS or text_problem(raw_address, multiline=True):
        fields["address"] = f"At most {MAX_ADDRESS} characters."
    tax_id = clean_line(details.tax_id)
    if len(tax_id) > 64:
        fields["tax_id"] = "At most 64 characters."
    members = dict(
        session.execute(
            select(Membership.user_id, Membership.role).where(Membership.organization_id == organization_id)
        ).all()
    )
    contacts = tuple(sorted(set(details.billing_contact_ids)))
    if any(members.get(user_id) != OrgRole.MEMBER for user_id in contacts):
        fields["billing_contact_ids"] = "Billing contacts are members of the organization (owners see invoices anyway)."
    if fields:
        raise ValidationFailed("Some billing details are missing or invalid.", fields=fields)
    return ProfileInput(email, legal_name, address, tax_id, contacts)
