"""Selector for the public Team page: staff who chose to be listed, and only what they chose to show."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from fluxent.models.accounts import Role, StaffProfile, User


@dataclass(frozen=True)
class TeamMember:
    name: str
    title: str
    team: str


def listed_team(session: Session) -> list[TeamMember]:
    """Active staff with ``listed_on_team_page`` set, by team then name."""
    rows = session.exec(
        select(User, StaffProfile)
        .join(StaffProfile, StaffProfile.user_id == User.id)
        .where(
            StaffProfile.listed_on_team_page,
            User.is_active,
            User.erased_at.is_(None),  # type: ignore[union-attr]
            User.role.in_((Role.STAFF, Role.ADMIN)),  # type: ignore[attr-defined]
        )
    ).all()
    members = [
        TeamMember(name=user.name or user.username, title=profile.title, team=profile.team) for user, profile in rows
    ]
    return sorted(members, key=lambda m: (m.team.lower(), m.name.lower()))
