"""Client organizations as staff run them: create, search, members and their org roles, invitations.

Who may do what: staff create and search organizations and send or revoke
invitations (``services.auth.invite``); staff and the organization's own owners
change a member's role or remove a member; members see their organization's
members. Outsiders get NotFound, members without the owner role PermissionDenied.

An organization keeps at least one owner. Removing a member signs them out
everywhere (their open tabs and API clients stop at their next event or request).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlmodel import Session, col

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict, NotFound, ValidationFailed
from fluxent.core.text import text_problem
from fluxent.models.accounts import Membership, Organization, OrgRole, User
from fluxent.models.auth import AuthSession, OneTimeToken
from fluxent.services import accounts, audit, auth, authz, one_time, sessions
from fluxent.services.engagements import get_organization
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate

MAX_NAME = 200


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    email: str
    role: OrgRole


def search_organizations(
    session: Session, *, actor: User, query: str = "", page: int = 1, page_size: int = DEFAULT_PAGE_SIZE
) -> Page[Organization]:
    """Organizations by name whose name or slug contains ``query`` (staff only)."""
    authz.require_staff(actor)
    if problem := text_problem(query or ""):  # NUL and the like match nothing, and PostgreSQL refuses NUL
        raise ValidationFailed(problem, fields={"q": problem})
    statement = select(Organization).order_by(Organization.name, Organization.id)
    needle = " ".join((query or "").split()).lower()[:MAX_NAME]
    if needle:
        statement = statement.where(
            or_(func.lower(Organization.name).contains(needle, autoescape=True), Organization.slug.contains(needle, autoescape=True))
        )
    return paginate(session, statement, page=page, page_size=page_size)


def create_organization(session: Session, *, actor: User, name: str) -> Organization:
    """A new client organization; Conflict when one with the same short name exists."""
    authz.require_staff(actor)
    name = " ".join(accounts.check_text(name or "", "name").split())
    if not 1 <= len(name) <= MAX_NAME:
        raise ValidationFailed("Give the organization a name of 1-200 characters.", fields={"name": "1-200 characters."})
    slug = accounts.slugify(name)
    if session.scalars(select(Organization).where(Organization.slug == slug)).first() is not None:
        raise Conflict("An organization with this name already exists.", fields={"name": "Already exists."})
    organization = Organization(name=name, slug=slug)
    session.add(organization)
    session.flush()
    audit.record(session, "accounts.organization_created", actor=actor, target=organization, organization=organization)
    return organization


def members_of(session: Session, *, actor: User, organization_id: int) -> list[Member]:
    """The organization's people with their org role, owners first (its members and staff may look)."""
    get_organization(session, actor=actor, organization_id=organization_id)
    rows = session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organization_id == organization_id)
        .order_by(case((Membership.role == OrgRole.OWNER, 0), else_=1), User.name, User.id)
    ).all()
    return [Member(user.id, user.name or user.username, user.email, OrgRole(m.role)) for m, user in rows]


def change_member_role(
    session: Session, *, actor: User, organization_id: int, user_id: int, role: OrgRole | str, clock: Clock = now
) -> Membership:
    membership = _membership_to_manage(session, actor, organization_id, user_id)
    try:
        role = OrgRole(role)
    except ValueError:
        raise ValidationFailed("Choose owner or member.", fields={"role": "Choose owner or member."}) from None
    if membership.role == role:
        return membership
    if role == OrgRole.MEMBER:
        _keep_an_owner(session, organization_id, leaving=user_id)
    previous, membership.role = membership.role, role
    session.add(membership)
    session.flush()
    audit.record(
        session, "accounts.member_role_changed", actor=actor, target=("account_user", user_id),
        organization=organization_id, meta={"from": str(previous), "to": str(role)}, clock=clock,
    )
    return membership


def remove_member(session: Session, *, actor: User, organization_id: int, user_id: int, clock: Clock = now) -> None:
    """End the membership and sign the person out everywhere; the last owner cannot be removed."""
    membership = _membership_to_manage(session, actor, organization_id, user_id)
    if membership.role == OrgRole.OWNER:
        _keep_an_owner(session, organization_id, leaving=user_id)
    session.delete(membership)
    live = session.scalars(
        select(AuthSession).where(AuthSession.user_id == user_id, col(AuthSession.revoked_at).is_(None))
    ).all()
    for auth_session in live:
        sessions.revoke(session, auth_session, clock=clock)
    session.flush()
    audit.record(
        session, "accounts.member_removed", actor=actor, target=("account_user", user_id), organization=organization_id,
        meta={"org_role": str(membership.role), "sessions_revoked": len(live)}, clock=clock,
    )


def pending_invitations(session: Session, *, actor: User, organization_id: int, clock: Clock = now) -> list[OneTimeToken]:
    """Invitations to the organization not yet accepted, revoked or expired (staff only), newest first."""
    get_organization(session, actor=actor, organization_id=organization_id)
    authz.require_staff(actor)
    return one_time.pending_invitations(session, organization_id=organization_id, clock=clock)


def invite_member(
    session: Session, *, actor: User, organization_id: int, email: str, org_role: OrgRole | str, clock: Clock = now
) -> OneTimeToken:
    """E-mail an invitation to join the organization as owner or member (staff only)."""
    get_organization(session, actor=actor, organization_id=organization_id)
    return auth.invite(session, actor=actor, email=email, organization=organization_id, org_role=org_role, clock=clock)


def invitation_role(invitation: OneTimeToken) -> str:
    return str(one_time.payload_of(invitation).get("org_role", OrgRole.MEMBER.value))


def revoke_invitation(
    session: Session, *, actor: User, organization_id: int, invitation_id: int, clock: Clock = now
) -> OneTimeToken:
    """Withdraw a pending invitation: its link stops working at once."""
    pending = {row.id: row for row in pending_invitations(session, actor=actor, organization_id=organization_id, clock=clock)}
    invitation = pending.get(invitation_id)
    if invitation is None:
        raise NotFound("No such pending invitation.")
    one_time.revoke(session, invitation, clock=clock)
    audit.record(
        session, "auth.invitation_revoked", actor=actor, target=invitation, organization=organization_id, clock=clock,
    )
    return invitation


def _membership_to_manage(session: Session, actor: User, organization_id: int, user_id: int) -> Membership:
    """The membership ``actor`` may change: staff, or an owner of the same organization."""
    authz.require_org_owner(session, actor, organization_id, allow_staff=True)
    membership = session.scalars(
        select(Membership).where(Membership.organization_id == organization_id, Membership.user_id == user_id)
    ).first()
    if membership is None:
        raise NotFound("No such member.")
    return membership


def _keep_an_owner(session: Session, organization_id: int, *, leaving: int) -> None:
    others = session.execute(
        select(func.count()).select_from(Membership).where(
            Membership.organization_id == organization_id, Membership.role == OrgRole.OWNER, Membership.user_id != leaving
        )
    ).scalar_one()
    if not others:
        raise Conflict("An organization needs at least one owner: make someone else owner first.")
