"""An administrator viewing the portal as one client organization sees it.

The choice lives in the browser (the ``view_as_role`` localStorage key) and only
switches what the UI shows. The server never trusts it: every page asks
:func:`viewable_organization` with the user resolved from the session, which
answers only for admins and the organization's own members. Switching on and
off is audited.
"""

from __future__ import annotations

from sqlmodel import Session, select

from fluxent.core.errors import NotFound
from fluxent.core.ids import parse_id
from fluxent.models.accounts import Membership, Organization, User
from fluxent.services.accounts import authz
from fluxent.services.audit import trail


def start_view_as(session: Session, *, actor: User, organization_id: int) -> Organization:
    """Admins only (PermissionDenied otherwise); NotFound for an unknown organization."""
    authz.require_admin(actor)
    organization = _organization(session, organization_id)
    if organization is None:
        raise NotFound("No such organization.")
    trail.record(session, "auth.view_as_started", actor=actor, target=organization, organization=organization)
    return organization


def stop_view_as(session: Session, *, actor: User, organization_id: int | None) -> None:
    authz.require_admin(actor)
    organization = _organization(session, organization_id)
    trail.record(
        session,
        "auth.view_as_stopped",
        actor=actor,
        target=organization,
        organization=organization,
    )


def viewable_organization(session: Session, *, user: User | None, organization_id: int | None) -> Organization | None:
    """The organization when ``user`` (resolved from the session) may see it: an admin, or a member."""
    organization = _organization(session, organization_id)
    if user is None or organization is None:
        return None
    if authz.is_admin(user):
        return organization
    member = session.exec(
        select(Membership.id).where(Membership.user_id == user.id, Membership.organization_id == organization_id)
    ).first()
    return organization if member is not None and user.is_active and user.erased_at is None else None


def _organization(session: Session, organization_id: object) -> Organization | None:
    # The browser's value may be anything; only a number that can be a row id is looked up.
    ident = parse_id(organization_id) if isinstance(organization_id, int) else None
    return session.get(Organization, ident) if ident is not None else None
