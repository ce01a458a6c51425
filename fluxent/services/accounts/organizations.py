"""Client organizations: who belongs to which, who may see which, and how staff run them.

Memberships and their org roles; which organizations a person may see (staff and
admins see every one, a client only their own; anything else answers NotFound,
so an id tells an outsider nothing); creating and searching organizations.

Who may do what: staff create and search organizations and send or revoke
invitations (``services.accounts.invitations``); staff and the organization's own owners
change a member's role or remove a member; members see their organization's
members. Outsiders get NotFound, members without the owner role PermissionDenied.

An organization keeps at least one owner. Removing a member signs them out
everywhere (their open tabs and API clients stop at their next event or request).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, case, func, or_
from sqlmodel import Session, col, select

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fluxent.core.text import text_problem
from fluxent.models.accounts import Membership, Organization, OrgRole, User
from fluxent.models.auth import AuthSession
from fluxent.services.accounts import authz, users
from fluxent.services.accounts.users import check_text, slugify
from fluxent.services.audit import trail
from fluxent.services.auth import sessions
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate

MAX_NAME = 200


# Memberships ---------------------------------------------------------------------


def get_or_create_organization(session: Session, *, name: str, actor: User | None = None) -> Organization:
    name = check_text(name, "organization")
    if not name:
        raise ValidationFailed("Organization name is required.", fields={"organization": "Required."})
    slug = slugify(name)
    organization = session.exec(select(Organization).where(Organization.slug == slug)).first()
    if organization:
        return organization
    organization = Organization(name=name, slug=slug)
    session.add(organization)
    session.flush()
    trail.record(session, "accounts.organization_created", actor=actor, target=organization, organization=organization)
    return organization


def add_membership(
    session: Session, *, user: User, organization: Organization, role: OrgRole, actor: User | None = None
) -> Membership:
    existing = session.exec(
        select(Membership).where(Membership.user_id == user.id, Membership.organization_id == organization.id)
    ).first()
    if existing:
        return existing
    membership = Membership(user_id=user.id, organization_id=organization.id, role=OrgRole(role))
    session.add(membership)
    session.flush()
    trail.record(
        session,
        "accounts.member_added",
        actor=actor,
        target=user,
        organization=organization,
        meta={"org_role": membership.role},
    )
    return membership


@dataclass(frozen=True)
class OrganizationRole:
    """One organization a person belongs to, and their role in it."""

    organization_id: int
    name: str
    role: OrgRole


# Built once (read on every portal page and API answer about a person); immutable. Plain
# columns on the unit's connection: what the callers show, without the ORM's work per row.
_MEMBERSHIPS_OF = (
    select(Organization.id, Organization.name, Membership.role)
    .join(Organization, Organization.id == Membership.organization_id)
    .where(Membership.user_id == bindparam("user_id"))
    .order_by(Organization.name)
)


def memberships_of(session: Session, user: User) -> list[OrganizationRole]:
    """The person's organizations by name, with their role in each."""
    rows = session.connection().execute(_MEMBERSHIPS_OF, {"user_id": user.id})
    return [OrganizationRole(*row) for row in rows]


def owners_of(session: Session, organization: Organization) -> list[Membership]:
    return list(
        session.exec(
            select(Membership).where(Membership.organization_id == organization.id, Membership.role == OrgRole.OWNER)
        ).all()
    )


def all_organizations(session: Session, *, actor: User) -> list[Organization]:
    """Every client organization, by name: staff pick from it (PermissionDenied for anyone else)."""
    authz.require_staff(actor)
    return list(session.exec(select(Organization).order_by(Organization.name, Organization.id)).all())


# Visibility ----------------------------------------------------------------------


def visible_organization_ids(session: Session, user: User) -> list[int] | None:
    """The organizations ``user`` may see; None means all of them (staff)."""
    if authz.is_staff(user):
        return None
    if not user.is_active or user.erased_at is not None:
        return []
    return list(session.scalars(_ORGANIZATION_IDS_OF, {"user_id": user.id}))


# Built once, like ``_MEMBERSHIPS_OF``: asked on every portal page and dashboard load.
_ORGANIZATION_IDS_OF = select(Membership.organization_id).where(Membership.user_id == bindparam("user_id"))


def require_visible(session: Session, user: User, organization_id: int, *, missing: str = "") -> None:
    """NotFound unless ``user`` may see the organization; ``missing`` words it for the row asked
    for (an engagement, a document), so its id tells an outsider nothing."""
    try:
        authz.require_org_member(session, user, organization_id, allow_staff=True)
    except NotFound:
        if not missing:
            raise
        raise NotFound(missing) from None


def owned_organization_ids(session: Session, user: User) -> set[int]:
    """The organizations ``user`` is an owner of."""
    return set(
        session.exec(
            select(Membership.organization_id).where(Membership.user_id == user.id, Membership.role == OrgRole.OWNER)
        )
    )


def require_client_owner(session: Session, user: User, organization_id: int) -> None:
    """Owners of the client organization only; staff may see but not decide for the client."""
    membership = authz.require_org_member(session, user, organization_id, allow_staff=True)
    if membership is None:
        raise PermissionDenied("Only the client's owners can decide on a milestone.")
    if membership.role != OrgRole.OWNER:
        raise PermissionDenied("Only the organization's owners can do this.")


def list_organizations(
    session: Session, *, actor: User, query: str = "", page: int = 1, page_size: int = DEFAULT_PAGE_SIZE
) -> Page[Organization]:
    """The organizations ``actor`` sees by name; with ``query``, those whose name contains it."""
    statement = select(Organization).order_by(Organization.name, Organization.id)
    visible = visible_organization_ids(session, actor)
    if visible is not None:
        statement = statement.where(Organization.id.in_(visible))
    return paginate(session, matching(statement, query), page=page, page_size=page_size)


def get_organization(session: Session, *, actor: User, organization_id: int) -> Organization:
    require_visible(session, actor, organization_id)
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound("No such organization.")
    return organization


# Running organizations -----------------------------------------------------------


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
    statement = select(Organization).order_by(Organization.name, Organization.id)
    return paginate(session, matching(statement, query), page=page, page_size=page_size)


def matching(statement: Any, query: str) -> Any:
    """``statement`` narrowed to organizations whose name or slug contains ``query`` (any case);
    ValidationFailed on ``q`` for control characters (NUL and the like, which PostgreSQL refuses)."""
    if problem := text_problem(query or ""):
        raise ValidationFailed(problem, fields={"q": problem})
    needle = " ".join((query or "").split()).lower()[:MAX_NAME]
    if not needle:
        return statement
    return statement.where(
        or_(
            func.lower(Organization.name).contains(needle, autoescape=True),
            Organization.slug.contains(needle, autoescape=True),
        )
    )


def create_organization(session: Session, *, actor: User, name: str) -> Organization:
    """A new client organization; Conflict when one with the same short name exists."""
    authz.require_staff(actor)
    name = " ".join(users.check_text(name or "", "name").split())
    if not 1 <= len(name) <= MAX_NAME:
        raise ValidationFailed(
            "Give the organization a name of 1-200 characters.", fields={"name": "1-200 characters."}
        )
    slug = users.slugify(name)
    if session.scalars(select(Organization).where(Organization.slug == slug)).first() is not None:
        raise Conflict("An organization with this name already exists.", fields={"name": "Already exists."})
    organization = Organization(name=name, slug=slug)
    session.add(organization)
    session.flush()
    trail.record(session, "accounts.organization_created", actor=actor, target=organization, organization=organization)
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
    trail.record(
        session,
        "accounts.member_role_changed",
        actor=actor,
        target=("account_user", user_id),
        organization=organization_id,
        meta={"from": str(previous), "to": str(role)},
        clock=clock,
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
    trail.record(
        session,
        "accounts.member_removed",
        actor=actor,
        target=("account_user", user_id),
        organization=organization_id,
        meta={"org_role": str(membership.role), "sessions_revoked": len(live)},
        clock=clock,
    )


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
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.organization_id == organization_id,
            Membership.role == OrgRole.OWNER,
            Membership.user_id != leaving,
        )
    ).scalar_one()
    if not others:
        raise Conflict("An organization needs at least one owner: make someone else owner first.")
