"""Who may see and pay an organization's invoices, and edit its billing profile.

Staff see every invoice, drafts included. In a client organization owners, and members
an owner marked as billing contacts, see its issued invoices and pay them; other members
get PermissionDenied, outsiders NotFound (the organization's id tells them nothing).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from fluxent.core.errors import PermissionDenied
from fluxent.models.accounts import Membership, OrgRole, User
from fluxent.models.billing import BillingContact
from fluxent.services.accounts import authz


def is_billing_contact(session: Session, user_id: int, organization_id: int) -> bool:
    return (
        session.scalars(
            select(BillingContact.id).where(
                BillingContact.organization_id == organization_id, BillingContact.user_id == user_id
            )
        ).first()
        is not None
    )


def may_see_invoices(session: Session, user: User, membership: Membership | None) -> bool:
    """For a member (or staff, with ``membership`` None): whether invoices are theirs to see."""
    if membership is None:
        return authz.is_staff(user)
    return membership.role == OrgRole.OWNER or is_billing_contact(session, user.id, membership.organization_id)


def require_invoice_reader(session: Session, user: User | None, organization_id: int) -> bool:
    """The caller may see the organization's invoices; returns whether the caller is staff."""
    membership = authz.require_org_member(session, user, organization_id, allow_staff=True)
    if membership is None:
        return True
    if not may_see_invoices(session, user, membership):
        raise PermissionDenied("Only the organization's owners and billing contacts can see its invoices.")
    return False


def require_payer(session: Session, user: User | None, organization_id: int) -> None:
    """Owners and billing contacts pay; staff see invoices but do not pay for the client."""
    if require_invoice_reader(session, user, organization_id):
        raise PermissionDenied("Only the client's owners and billing contacts can pay an invoice.")


def require_owner(session: Session, user: User | None, organization_id: int) -> None:
    """An owner of the organization; staff see its billing but act only through the client."""
    membership = authz.require_org_member(session, user, organization_id, allow_staff=True)
    if membership is None or membership.role != OrgRole.OWNER:
        raise PermissionDenied("Only the organization's owners can do this.")


def billing_organization_ids(session: Session, user: User) -> list[int] | None:
    """The organizations whose invoices ``user`` may see; None means all (staff)."""
    if authz.is_staff(user):
        return None
    if not user.is_active or user.erased_at is not None:
        return []
    owned = select(Membership.organization_id).where(Membership.user_id == user.id, Membership.role == OrgRole.OWNER)
    contact = select(BillingContact.organization_id).join(
        Membership,
        (Membership.organization_id == BillingContact.organization_id) & (Membership.user_id == BillingContact.user_id),
    )
    contact = contact.where(BillingContact.user_id == user.id)
    return sorted(set(session.scalars(owned)) | set(session.scalars(contact)))
