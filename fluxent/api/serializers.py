"""What the API shows of a person and of a session (never a hash, key or token)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from fluxent.models.accounts import User
from fluxent.models.auth import AuthSession
from fluxent.services.accounts import organizations
from fluxent.services.accounts.invitations import PendingInvitation


def user_view(db: Session, user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "name": user.name,
        "phone": user.phone,
        "company": user.company,
        "country": user.country,
        "role": str(user.role),
        "email_verified": user.email_verified_at is not None,
        "organizations": [
            {"id": membership.organization_id, "name": membership.name, "role": str(membership.role)}
            for membership in organizations.memberships_of(db, user)
        ],
    }


def session_view(auth_session: AuthSession, *, current_id: int | None) -> dict[str, Any]:
    return {
        "id": auth_session.id,
        "created_at": auth_session.created_at.isoformat(),
        "last_seen_at": auth_session.last_seen_at.isoformat(),
        "expires_at": auth_session.expires_at.isoformat(),
        "ip": auth_session.ip,
        "user_agent": auth_session.user_agent,
        "current": auth_session.id == current_id,
    }


def invitation_view(invitation: PendingInvitation) -> dict[str, Any]:
    """A pending invitation; ``org_role`` only for an invitation into an organization."""
    view: dict[str, Any] = {
        "id": invitation.id,
        "email": invitation.email,
        "created_at": invitation.created_at.isoformat(),
        "expires_at": invitation.expires_at.isoformat(),
    }
    if invitation.org_role:
        view["org_role"] = invitation.org_role
    return view
