"""Selector for the public Team page: staff who chose to be listed, and only what they chose to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from fluxent import routes
from fluxent.models.accounts import Role, StaffProfile, User


@dataclass(frozen=True)
class TeamMember:
    name: str
    title: str
    team: str
    bio: str = ""
    links: tuple[str, ...] = ()
    photo_url: str = ""  # "" when they have no photo


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
        TeamMember(
            name=user.name or user.username,
            title=profile.title,
            team=profile.team,
            bio=profile.bio,
            links=tuple(profile.links.splitlines()),
            photo_url=photo_url_of(user.id, profile.photo_updated_at if profile.photo_key else None),
        )
        for user, profile in rows
    ]
    return sorted(members, key=lambda m: (m.team.lower(), m.name.lower()))


def photo_url_of(user_id: int, photo_updated_at: datetime | None) -> str:
    """Where the site serves the person's photo, versioned by when it changed; "" without one."""
    if photo_updated_at is None:
        return ""
    return routes.api_team_photo(user_id, str(int(photo_updated_at.timestamp() * 1000)))
