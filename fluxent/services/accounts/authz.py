"""Who may do what: role checks and organization membership, used by every door.

Membership checks answer NotFound to outsiders, so an organization's id tells a
stranger nothing; members who lack the owner role get PermissionDenied.
"""

from __future__ import annotations

from sqlmodel import Session, select

from fluxent.core.errors import NotFound, PermissionDenied
from fluxent.models.accounts import Membership, OrgRole, Role, User

STAFF_ROLES = (Role.STAFF, Role.ADMIN)


def is_staff(user: User | None) -> bool:
    return user is not None and _active(user) and user.role in STAFF_ROLES


def is_admin(user: User | None) -> bool:
    return user is not None and _active(user) and user.role == Role.ADMIN


def require_staff(user: User | None) -> User:
    if not is_staff(user):
        raise PermissionDenied("Only Fluxent staff can do this.")
    return user  # type: ignore[return-value]


def require_admin(user: User | None) -> User:
    if not is_admin(user):
        raise PermissionDenied("Only administrators can do this.")
    return user  # type: ignore[return-value]


def require_org_member(
    session: Session, user: User | None, organization_id: int | None, *, allow_staff: bool = False
) -> Membership | None:
    """The person's membership of the organization; NotFound when there is none.

    With ``allow_staff``, staff and admins pass without being members (the
    membership returned is then None).
    """
    if user is None or not _active(user) or organization_id is None:
        raise NotFound("No such organization.")
    membership = session.exec(
        select(Membership).where(Membership.user_id == user.id, Membership.organization_id == organization_id)
    ).first()
    if membership is not None:
        return membership
    if allow_staff and is_staff(user):
        return None
    raise NotFound("No such organization.")


def require_org_owner(
    session: Session, user: User | None, organization_id: int | None, *, allow_staff: bool = False
) -> Membership | None:
    """As :func:`require_org_member`, and members who are not owners get PermissionDenied."""
    membership = require_org_member(session, user, organization_id, allow_staff=allow_staff)
    if membership is not None and membership.role != OrgRole.OWNER and not (allow_staff and is_staff(user)):
        raise PermissionDenied("Only the organization's owners can do this.")
    return membership


def _active(user: User) -> bool:
    return user.is_active and user.erased_at is None
