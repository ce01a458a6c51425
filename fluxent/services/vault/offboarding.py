"""Offboarding: when an engagement closes, or an owner deletes its vault on request, the
owners get the offboarding report (``emails``), then the vault is crypto-shredded: the
data key is destroyed and every item and version row deleted, in the same transaction.

The close hook is registered with ``portal.engagements`` when this package is imported
(the API, the pages, the CLI and the retention jobs all import it). The retention job
``shred_closed`` catches any closed engagement whose vault is still there.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import PermissionDenied, ValidationFailed
from fluxent.models.accounts import User
from fluxent.models.auth import AuthSession
from fluxent.models.engagements import Engagement, EngagementStatus
from fluxent.models.vault import VaultDataKey, VaultItem, VaultItemVersion
from fluxent.services.audit import trail
from fluxent.services.auth import step_up
from fluxent.services.portal.engagements import register_close_hook
from fluxent.services.vault import activity, emails, keys
from fluxent.services.vault.access import vault_access

OWNERS_ONLY = "Only the organization's owners can delete the vault."
CONFIRM = "Type the engagement's title exactly to confirm."


def shred(session: Session, engagement: Engagement, *, actor: User | None, reason: str, clock: Clock = now) -> int:
    """Report to the owners, destroy the data key and delete every item; returns items deleted."""
    reveals = activity.revealed_by_fluxent(
        session, engagement_id=engagement.id, organization_id=engagement.organization_id
    )
    item_ids = select(VaultItem.id).where(VaultItem.engagement_id == engagement.id)
    session.execute(delete(VaultItemVersion).where(VaultItemVersion.item_id.in_(item_ids)))
    items = session.execute(delete(VaultItem).where(VaultItem.engagement_id == engagement.id)).rowcount or 0
    destroyed = keys.shred(session, engagement_id=engagement.id)
    reported = emails.send_offboarding_report(session, engagement, reveals, reason=reason)
    trail.record(
        session,
        "vault.shredded",
        actor=actor,
        target=engagement,
        organization=engagement.organization_id,
        meta={"items": items, "data_keys": destroyed, "reveals_reported": len(reveals), "owners": reported},
        clock=clock,
    )
    return items


@register_close_hook
def on_engagement_closed(session: Session, engagement: Engagement, actor: User) -> None:
    shred(session, engagement, actor=actor, reason="the engagement closed")


def delete_vault(
    session: Session,
    *,
    actor: User,
    auth_session: AuthSession,
    engagement_id: int,
    confirm: str,
    clock: Clock = now,
) -> int:
    """The owner deletes the whole vault on request: step-up and the typed title first."""
    access = vault_access(session, actor, engagement_id)
    if not access.is_owner:
        raise PermissionDenied(OWNERS_ONLY)
    step_up.require_recent(auth_session, clock=clock)
    if " ".join((confirm or "").split()) != access.engagement.title:
        raise ValidationFailed(CONFIRM, fields={"confirm": CONFIRM})
    return shred(session, access.engagement, actor=actor, reason="an owner deleted it", clock=clock)


def _closed_with_vault():
    return (
        select(Engagement)
        .where(
            Engagement.status == EngagementStatus.CLOSED,
            Engagement.id.in_(select(VaultDataKey.engagement_id).union(select(VaultItem.engagement_id))),
        )
        .order_by(Engagement.id)
    )


def count_closed(session: Session) -> int:
    """Retention's dry run: closed engagements whose vault is still there."""
    return session.scalar(select(func.count()).select_from(_closed_with_vault().subquery())) or 0


def shred_closed(session: Session, *, limit: int, clock: Clock = now) -> int:
    """Retention: shred up to ``limit`` closed engagements' vaults still there (the close hook
    does it at once; this catches any left); returns how many."""
    leftover = session.scalars(_closed_with_vault().limit(limit)).all()
    for engagement in leftover:
        shred(session, engagement, actor=None, reason="the engagement closed", clock=clock)
    return len(leftover)
