"""Fluxent's own people, as administrators manage them: name, role, and the profile the Team
page shows (title, team, a short plain-text bio, http(s) links, listing).

Only administrators change these. There is always at least one active
administrator: the last one cannot be demoted (not even by themselves), so the
console never locks everyone out. Someone made a client leaves the engagements they
were assigned to. New staff join by invitation
(``services.accounts.invitations.invite`` with ``role="staff"``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict, NotFound, ValidationFailed
from fluxent.core.text import text_problem
from fluxent.models.accounts import Role, StaffProfile, User
from fluxent.models.auth import OneTimeToken
from fluxent.models.engagements import EngagementStaff
from fluxent.services.accounts import authz, users
from fluxent.services.accounts.invitations import PendingInvitation, pending_row
from fluxent.services.audit import trail
from fluxent.services.auth import one_time
from fluxent.services.pagination import MAX_PAGE_SIZE, Page, paginate, search_needle

MAX_LABEL = 120
MAX_NAME = 200
MAX_BIO = 400
MAX_LINKS = 5
MAX_LINK = 200


@dataclass(frozen=True)
class StaffMember:
    user_id: int
    name: str
    email: str
    role: Role
    title: str
    team: str
    listed: bool
    bio: str = ""
    links: tuple[str, ...] = ()
    photo_updated_at: datetime | None = None


def list_staff(
    session: Session,
    *,
    actor: User,
    query: str = "",
    role: str = "",
    page: int = 1,
    page_size: int = MAX_PAGE_SIZE,
) -> Page[StaffMember]:
    """Active staff and administrators by name, with their profile (administrators only):
    those whose name or e-mail contains ``query``, of ``role`` ("staff" or "admin") when given."""
    authz.require_admin(actor)
    if problem := text_problem(query or ""):
        raise ValidationFailed(problem, fields={"q": problem})
    roles = authz.STAFF_ROLES if not role else (role,)
    if any(name not in authz.STAFF_ROLES for name in roles):
        raise ValidationFailed("Choose staff or admin.", fields={"role": "Choose staff or admin."})
    statement = (
        select(User)
        .where(col(User.role).in_(roles), User.is_active, col(User.erased_at).is_(None))
        .order_by(User.name, User.id)
    )
    needle = " ".join((query or "").split()).lower()[:MAX_NAME]
    if needle:
        statement = statement.where(
            or_(
                func.lower(User.name).contains(needle, autoescape=True),
                col(User.email).contains(needle, autoescape=True),
            )
        )
    found = paginate(session, statement, page=page, page_size=page_size)
    ids = [user.id for user in found.items]
    profiles = {p.user_id: p for p in session.scalars(select(StaffProfile).where(col(StaffProfile.user_id).in_(ids)))}
    members = [_member(user, profiles.get(user.id)) for user in found.items]
    return Page(items=members, total=found.total, page=found.page, page_size=found.page_size)


def update_staff(
    session: Session,
    *,
    actor: User,
    user_id: int,
    role: Role | str,
    title: str,
    team: str,
    listed: bool,
    name: str | None = None,
    bio: str = "",
    links: str | list[str] | tuple[str, ...] = (),
    clock: Clock = now,
) -> StaffMember:
    """Change a staff member's role and profile; Conflict when it would leave no administrator.

    ``name`` None keeps the name; ``links`` are addresses (a list, or text with one a line).
    """
    authz.require_admin(actor)
    person = session.get(User, user_id)
    if not authz.is_staff(person):
        raise NotFound("No such staff member.")
    try:
        role = Role(role)
    except ValueError:
        raise ValidationFailed(
            "Choose client, staff or admin.", fields={"role": "Choose client, staff or admin."}
        ) from None
    fields: dict[str, str] = {}
    title, team = users.check_text(title or "", "title"), users.check_text(team or "", "team")
    for field, value in (("title", title), ("team", team)):
        if len(value) > MAX_LABEL:
            fields[field] = f"At most {MAX_LABEL} characters."
    new_name = person.name if name is None else " ".join(users.check_text(name, "name").split())
    if name is not None and not 1 <= len(new_name) <= MAX_NAME:
        fields["name"] = f"1-{MAX_NAME} characters."
    bio = _check_bio(bio or "")
    if len(bio) > MAX_BIO:
        fields["bio"] = f"At most {MAX_BIO} characters."
    if fields:
        raise ValidationFailed("Some details are too long.", fields=fields)
    link_text = "\n".join(check_links(links))
    if person.role == Role.ADMIN and role != Role.ADMIN and _other_admins(session, person.id) == 0:
        raise Conflict(
            "At least one administrator must remain: make someone else admin first.",
            fields={"role": "Last administrator."},
        )
    profile = session.get(StaffProfile, person.id)
    before = (person.name, person.role, *(_profile_values(profile)))
    after = (new_name, role, title, team, bool(listed), bio, link_text)
    changed = [
        field
        for field, old, new in zip(
            ("name", "role", "title", "team", "listed", "bio", "links"), before, after, strict=True
        )
        if old != new
    ]
    if changed:
        person.name, person.role, person.updated_at = new_name, role, clock()
        session.add(person)
        profile = users.set_staff_profile(session, user=person, title=title, team=team, listed=bool(listed))
        profile.bio, profile.links = bio, link_text
        session.add(profile)
        # A client no longer works on engagements (nor hears about them as staff).
        assignments = session.scalars(select(EngagementStaff).where(EngagementStaff.user_id == person.id)).all()
        if role == Role.CLIENT:
            for assignment in assignments:
                session.delete(assignment)
        session.flush()
        trail.record(
            session,
            "accounts.staff_updated",
            actor=actor,
            target=person,
            meta={"fields": changed, "role": str(role), "unassigned": len(assignments) if role == Role.CLIENT else 0},
            clock=clock,
        )
    return _member(person, profile)


def pending_invitations(session: Session, *, actor: User, clock: Clock = now) -> list[OneTimeToken]:
    """Staff invitations not yet accepted, revoked or expired (administrators only), newest first."""
    authz.require_admin(actor)
    rows = one_time.pending_invitations(session, organization_id=None, clock=clock)
    return [row for row in rows if one_time.payload_of(row).get("role") == Role.STAFF.value]


def pending_invitation_rows(session: Session, *, actor: User, clock: Clock = now) -> list[PendingInvitation]:
    """``pending_invitations`` as rows (administrators only)."""
    return [pending_row(row) for row in pending_invitations(session, actor=actor, clock=clock)]


def revoke_invitation(session: Session, *, actor: User, invitation_id: int, clock: Clock = now) -> OneTimeToken:
    """Withdraw a pending staff invitation: its link stops working at once."""
    pending = {row.id: row for row in pending_invitations(session, actor=actor, clock=clock)}
    invitation = pending.get(invitation_id)
    if invitation is None:
        raise NotFound("No such pending invitation.")
    one_time.revoke(session, invitation, clock=clock)
    trail.record(
        session, "auth.invitation_revoked", actor=actor, target=invitation, meta={"role": Role.STAFF.value}, clock=clock
    )
    return invitation


def _other_admins(session: Session, user_id: int) -> int:
    return session.execute(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.is_active, col(User.erased_at).is_(None), User.id != user_id)
    ).scalar_one()


def check_links(links: str | list[str] | tuple[str, ...]) -> list[str]:
    """Up to five http(s) addresses, blank lines dropped; ValidationFailed on ``links`` otherwise."""
    lines = links.splitlines() if isinstance(links, str) else list(links)
    found = [line.strip() for line in lines if line and line.strip()]
    if len(found) > MAX_LINKS:
        raise ValidationFailed(f"At most {MAX_LINKS} links.", fields={"links": f"At most {MAX_LINKS} links."})
    for link in found:
        parts = urlsplit(link) if len(link) <= MAX_LINK and link.isprintable() and " " not in link else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            message = f"Links start with https:// or http:// ({MAX_LINK} characters at most)."
            raise ValidationFailed(message, fields={"links": message})
    return found


def _check_bio(bio: str) -> str:
    if text_problem(bio, multiline=True) or any(unicodedata.category(char) == "Cf" for char in bio):
        raise ValidationFailed("Write the bio as plain text.", fields={"bio": "Remove the control characters."})
    return "\n".join(line.strip() for line in bio.strip().splitlines())


def _profile_values(profile: StaffProfile | None) -> tuple[str, str, bool, str, str]:
    if profile is None:
        return ("", "", False, "", "")
    return (profile.title, profile.team, profile.listed_on_team_page, profile.bio, profile.links)


def _member(user: User, profile: StaffProfile | None) -> StaffMember:
    title, team, listed, bio, links = _profile_values(profile)
    return StaffMember(
        user.id,
        user.name or user.username,
        user.email,
        Role(user.role),
        title,
        team,
        listed,
        bio,
        tuple(links.splitlines()),
        profile.photo_updated_at if profile else None,
    )


def assignable_staff(session: Session, *, actor: User, query: str = "") -> list[User]:
    """Active staff and administrators by name, to pick from when assigning (staff only); with
    ``query``, those whose name or e-mail address contains it (a picker's search)."""
    authz.require_staff(actor)
    statement = select(User).where(col(User.role).in_(authz.STAFF_ROLES), User.is_active, col(User.erased_at).is_(None))
    if needle := search_needle(query):
        statement = statement.where(
            or_(
                func.lower(User.name).contains(needle, autoescape=True),
                func.lower(User.email).contains(needle, autoescape=True),
            )
        )
    return list(session.scalars(statement.order_by(User.name, User.id)))
