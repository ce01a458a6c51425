"""Fluxent's own people, as administrators manage them: role, title, team, Team-page listing.

Only administrators change these. There is always at least one active
administrator: the last one cannot be demoted (not even by themselves), so the
console never locks everyone out. Someone made a client leaves the engagements they
were assigned to. New staff join by invitation
(``services.accounts.invitations.invite`` with ``role="staff"``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session, col

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict, NotFound, ValidationFailed
from fluxent.models.accounts import Role, StaffProfile, User
from fluxent.models.auth import OneTimeToken
from fluxent.models.engagements import EngagementStaff
from fluxent.services.accounts import authz, users
from fluxent.services.accounts.invitations import PendingInvitation, pending_row
from fluxent.services.audit import trail
from fluxent.services.auth import one_time

MAX_LABEL = 120


@dataclass(frozen=True)
class StaffMember:
    user_id: int
    name: str
    email: str
    role: Role
    title: str
    team: str
    listed: bool


def list_staff(session: Session, *, actor: User) -> list[StaffMember]:
    """Active staff and administrators by name, with their profile (administrators only)."""
    authz.require_admin(actor)
    rows = session.execute(
        select(User, StaffProfile)
        .outerjoin(StaffProfile, StaffProfile.user_id == User.id)
        .where(col(User.role).in_(authz.STAFF_ROLES), User.is_active, col(User.erased_at).is_(None))
        .order_by(User.name, User.id)
    ).all()
    return [_member(user, profile) for user, profile in rows]


def update_staff(
    session: Session,
    *,
    actor: User,
    user_id: int,
    role: Role | str,
    title: str,
    team: str,
    listed: bool,
    clock: Clock = now,
) -> StaffMember:
    """Change a staff member's role and profile; Conflict when it would leave no administrator."""
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
    for name, value in (("title", title), ("team", team)):
        if len(value) > MAX_LABEL:
            fields[name] = f"At most {MAX_LABEL} characters."
    if fields:
        raise ValidationFailed("Some details are too long.", fields=fields)
    if person.role == Role.ADMIN and role != Role.ADMIN and _other_admins(session, person.id) == 0:
        raise Conflict(
            "At least one administrator must remain: make someone else admin first.",
            fields={"role": "Last administrator."},
        )
    profile = session.get(StaffProfile, person.id)
    before = (person.role, *(_profile_values(profile)))
    changed = [
        name
        for name, old, new in zip(
            ("role", "title", "team", "listed"), before, (role, title, team, bool(listed)), strict=True
        )
        if old != new
    ]
    if changed:
        person.role, person.updated_at = role, clock()
        session.add(person)
        profile = users.set_staff_profile(session, user=person, title=title, team=team, listed=bool(listed))
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


def _profile_values(profile: StaffProfile | None) -> tuple[str, str, bool]:
    return ("", "", False) if profile is None else (profile.title, profile.team, profile.listed_on_team_page)


def _member(user: User, profile: StaffProfile | None) -> StaffMember:
    title, team, listed = _profile_values(profile)
    return StaffMember(user.id, user.name or user.username, user.email, Role(user.role), title, team, listed)


def assignable_staff(session: Session, *, actor: User) -> list[User]:
    """Active staff and administrators by name, to pick from when assigning (staff only)."""
    authz.require_staff(actor)
    return list(
        session.scalars(
            select(User)
            .where(col(User.role).in_(authz.STAFF_ROLES), User.is_active, col(User.erased_at).is_(None))
            .order_by(User.name, User.id)
        )
    )
