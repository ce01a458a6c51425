"""Vault helpers: key lists, a browser session with a fresh step-up, items added through the services."""

from __future__ import annotations

import base64
import email
import os
import re
from email import policy

from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.settings import get_settings, reset_settings
from fluxent.models.accounts import User
from fluxent.models.auth import AuthSession
from fluxent.models.engagements import EngagementStatus
from fluxent.services.auth import sessions, step_up
from fluxent.services.portal import engagements, milestones
from fluxent.services.vault import items

AWS = {
    "username": "deploy-bot",
    "password": "canary-9f8e7d6c-aws-secret",
    "url": "https://aws.amazon.com",
    "totp_seed": "",
}


def key_list(*key_ids: str) -> str:
    """A ``FLUXENT_VAULT_KEYS`` value with a fresh random key per id (the first primary)."""
    return ",".join(f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}" for key_id in key_ids)


def use_keys(monkeypatch, value: str) -> None:
    monkeypatch.setenv("FLUXENT_VAULT_KEYS", value)
    reset_settings()


def last_code(to: str) -> str:
    directory = get_settings().resolved_email_file_dir
    for path in sorted(directory.glob("*.eml"), reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"].lower() == to.lower():
            found = re.search(r"code is (\d{6})\.", message.get_body(("plain",)).get_content())
            if found:
                return found.group(1)
    raise AssertionError(f"no code e-mailed to {to}")


def stepped_up(session: Session, user: User, *, clock: Clock = now) -> AuthSession:
    """A signed-in browser session of ``user`` that passed the step-up with an e-mailed code."""
    auth_session, _ = sessions.start_session(session, user=user, clock=clock)
    step_up.request_code(session, user=user, clock=clock)
    session.commit()
    step_up.reauthenticate(
        session, user=user, auth_session=auth_session, password=None, code=last_code(user.email), clock=clock
    )
    session.commit()
    return auth_session


def add_aws_login(session: Session, user: User, engagement_id: int, **changes):
    item = items.create_item(
        session,
        actor=user,
        engagement_id=engagement_id,
        kind="login",
        name=changes.pop("name", "AWS production"),
        value={**AWS, **changes},
        tags=["aws", "prod"],
    )
    session.commit()
    return item


def deliver_and_close(session: Session, world) -> None:
    """Take world's engagement A through delivery to closed, through the services (runs the close hooks)."""
    deliver(session, world)
    engagements.close_engagement(session, actor=world.staff, engagement_id=world.engagement_a.id)
    session.commit()


def deliver(session: Session, world) -> None:
    """Take world's engagement A through its milestones to delivered."""
    engagement_id = world.engagement_a.id
    first, *rest = world.milestones_a
    milestones.accept(session, actor=world.owner_a, engagement_id=engagement_id, milestone_id=first.id)
    for milestone in rest:
        milestones.start(session, actor=world.staff, engagement_id=engagement_id, milestone_id=milestone.id)
        milestones.submit(session, actor=world.staff, engagement_id=engagement_id, milestone_id=milestone.id)
        milestones.accept(session, actor=world.owner_a, engagement_id=engagement_id, milestone_id=milestone.id)
    engagements.change_status(
        session, actor=world.staff, engagement_id=engagement_id, status=EngagementStatus.DELIVERED
    )
    session.commit()
