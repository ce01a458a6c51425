"""An administrator viewing the portal as one client organization's owner sees it.

The choice is held on the server, in the browser tab's own state (see
``fluxent/state/view_as.py``); the ``view_as_role`` localStorage key only mirrors
it and grants nothing. While it holds, the portal's read models act for
:func:`viewer` (the organization's first owner, scoped to that organization) and
every change from the tab is refused. Switching on and off is audited.

Programs get the same through the API: the choice is then held on the signed-in
session (``AuthSession.viewing_as_organization_id``), and every route outside the
caller's own account acts for :func:`viewer` and refuses changes.
"""

from __future__ import annotations

from sqlmodel import Session, select

from fluxent.core.errors import NotFound, ViewingReadOnly
from fluxent.core.ids import parse_id
from fluxent.models.accounts import Membership, Organization, OrgRole, User
from fluxent.models.auth import AuthSession
from fluxent.services.accounts import authz
from fluxent.services.audit import trail

READ_ONLY = "You are viewing the portal as a client: nothing can be changed from here. Exit the client view first."


def start_view_as(
    session: Session, *, actor: User, organization_id: int, auth_session: AuthSession | None = None
) -> Organization:
    """Admins only (PermissionDenied otherwise); NotFound for an unknown organization.
    With ``auth_session``, the view is held on that signed-in session (the API's)."""
    authz.require_admin(actor)
    organization = _organization(session, organization_id)
    if organization is None:
        raise NotFound("No such organization.")
    trail.record(session, "auth.view_as_started", actor=actor, target=organization, organization=organization)
    if auth_session is not None:
        auth_session.viewing_as_organization_id = organization.id
        session.add(auth_session)
    return organization


def stop_view_as(
    session: Session, *, actor: User, organization_id: int | None, auth_session: AuthSession | None = None
) -> None:
    authz.require_admin(actor)
    if auth_session is not None:
        organization_id = organization_id or auth_session.viewing_as_organization_id
        auth_session.viewing_as_organization_id = None
        session.add(auth_session)
    organization = _organization(session, organization_id)
    trail.record(
        session,
        "auth.view_as_stopped",
        actor=actor,
        target=organization,
        organization=organization,
    )


def refuse_change(viewing_as: int | None) -> None:
    """The guard every change goes through while viewing as a client (an organization id, else 0 or None)."""
    if viewing_as:
        raise ViewingReadOnly(READ_ONLY)


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


def viewer(session: Session, *, admin: User, organization_id: int) -> User | None:
    """The person the portal's read models act for while ``admin`` views ``organization_id``:
    its first active owner. None when ``admin`` may no longer view it or it has no such owner."""
    if not authz.is_admin(admin) or _organization(session, organization_id) is None:
        return None
    return session.exec(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organization_id == organization_id,
            Membership.role == OrgRole.OWNER,
            User.is_active.is_(True),  # type: ignore[attr-defined]
            User.erased_at.is_(None),  # type: ignore[union-attr]
        )
        .order_by(Membership.id)  # type: ignore[arg-type]
    ).first()


def _organization(session: Session, organization_id: object) -> Organization | None:
    # The browser's value may be anything; only a number that can be a row id is looked up.
    ident = parse_id(organization_id) if isinstance(organization_id, int) else None
    return session.get(Organization, ident) if ident is not None else None
