"""The offboarding report: every secret a Fluxent person revealed during the engagement,
with the advice to rotate each one. Goes to the organization's owners after commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from fluxent.models.accounts import Membership, OrgRole, User
from fluxent.models.engagements import Engagement
from fluxent.services.auth.emails import _deliver
from fluxent.services.vault.activity import ActivityRow


def owner_addresses(session: Session, organization_id: int) -> list[str]:
    return list(
        session.scalars(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organization_id == organization_id,
                Membership.role == OrgRole.OWNER,
                User.is_active.is_(True),
                User.erased_at.is_(None),
            )
            .order_by(User.id)
        )
    )


def send_offboarding_report(
    session: Session, engagement: Engagement, reveals: list[ActivityRow], *, reason: str
) -> int:
    """One report per owner; returns how many were queued."""
    if reveals:
        names = sorted({row.item for row in reveals})
        lines = [f"{row.at:%Y-%m-%d %H:%M} UTC: {row.who} {row.label} \u201c{row.item}\u201d" for row in reveals]
        paragraphs = [
            f"The credential vault of {engagement.title} was deleted ({reason}). "
            "Its secrets were destroyed and can no longer be opened by anyone.",
            "Fluxent people revealed or copied these secrets during the engagement:",
            "\n".join(lines),
            "Rotate each of them now (change the password, revoke the key): "
            + ", ".join(f"\u201c{name}\u201d" for name in names)
            + ".",
        ]
    else:
        paragraphs = [
            f"The credential vault of {engagement.title} was deleted ({reason}). "
            "Its secrets were destroyed and can no longer be opened by anyone.",
            "No Fluxent person revealed or copied any of its secrets, so nothing needs rotating on our account.",
        ]
    recipients = owner_addresses(session, engagement.organization_id)
    for address in recipients:
        _deliver(address, f"Vault offboarding report: {engagement.title}", paragraphs, session=session)
    return len(recipients)
