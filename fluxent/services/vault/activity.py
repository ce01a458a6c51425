"""The vault's access log: who revealed or copied which item and when, who changed what,
and who was assigned to the engagement. Read from the audit log (``audit_event``), so it
outlives the vault itself and cannot be edited; it holds names, never values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from fluxent.models.accounts import User
from fluxent.models.audit import AuditEvent
from fluxent.services.accounts import authz
from fluxent.services.vault.access import vault_access

ACTION_LABELS = {
    "vault.item_revealed": "revealed",
    "vault.item_copied": "copied",
    "vault.item_created": "added",
    "vault.item_updated": "changed",
    "vault.item_deleted": "deleted",
    "engagements.staff_assigned": "assigned",
    "engagements.staff_unassigned": "removed",
}
# What an assignment names: the person, and where they went.
_ASSIGNMENT_OBJECTS = {
    "engagements.staff_assigned": "{} to the engagement",
    "engagements.staff_unassigned": "{} from the engagement",
}
REVEALS = ("vault.item_revealed", "vault.item_copied")
MAX_ROWS = 500


@dataclass(frozen=True)
class ActivityRow:
    at: datetime
    action: str
    label: str
    who: str
    by_fluxent: bool
    item: str  # the item's name, or for assignments the person and where they went


def _events(
    session: Session, engagement_id: int, organization_id: int, actions: tuple[str, ...], *, limit: int | None
) -> list[AuditEvent]:
    """Newest first."""
    statement = (
        select(AuditEvent)
        .where(
            AuditEvent.organization_id == organization_id,
            AuditEvent.target_type == "engagement",
            AuditEvent.target_id == str(engagement_id),
            AuditEvent.action.in_(actions),
        )
        .order_by(AuditEvent.seq.desc())
    )
    return list(session.scalars(statement if limit is None else statement.limit(limit)))


def _rows(session: Session, events: list[AuditEvent]) -> list[ActivityRow]:
    metas = [json.loads(event.meta or "{}") for event in events]
    wanted = {event.actor_id for event in events if event.actor_id} | {
        meta["user_id"] for meta in metas if isinstance(meta.get("user_id"), int)
    }
    people = {user.id: user for user in session.scalars(select(User).where(User.id.in_(wanted)))} if wanted else {}

    def name(user_id: int | None) -> str:
        person = people.get(user_id) if user_id else None
        return (person.name or person.email) if person is not None else "someone"

    return [
        ActivityRow(
            at=event.created_at,
            action=event.action,
            label=ACTION_LABELS[event.action],
            who=name(event.actor_id),
            by_fluxent=authz.is_staff(people.get(event.actor_id)) if event.actor_id else False,
            item=_ASSIGNMENT_OBJECTS[event.action].format(name(meta.get("user_id")))
            if event.action in _ASSIGNMENT_OBJECTS
            else str(meta.get("name") or ""),
        )
        for event, meta in zip(events, metas, strict=True)
    ]


def access_log(session: Session, *, actor: User, engagement_id: int) -> list[ActivityRow]:
    """The engagement's vault activity, newest first, for anyone who may use the vault."""
    access = vault_access(session, actor, engagement_id)
    events = _events(session, engagement_id, access.engagement.organization_id, tuple(ACTION_LABELS), limit=MAX_ROWS)
    return _rows(session, events)


def revealed_by_fluxent(session: Session, *, engagement_id: int, organization_id: int) -> list[ActivityRow]:
    """Every reveal or copy by a Fluxent person, oldest first (the offboarding report)."""
    rows = _rows(session, _events(session, engagement_id, organization_id, REVEALS, limit=None))
    return [row for row in reversed(rows) if row.by_fluxent]
