"""Shared pieces of the sign-in tests: a clock to move by hand, an outbox to read
codes and links from as a person would, people built through the services, and a
scan of the audit log for secrets.

Fixture people get a bcrypt hash at cost 4, made once: what those tests check is
the flow around the hash, not its cost. Passwords set through the services (reset,
change, invitation) are hashed at the real cost, and a test checks that.
"""

from __future__ import annotations

import email
import functools
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session

from fluxent.core.clock import now
from fluxent.core.passwords import hash_password
from fluxent.core.settings import get_settings, reset_settings
from fluxent.models.accounts import Role, User
from fluxent.services.accounts import users

PASSWORD = "lantern orchard quietly 1987 tides"
IP, AGENT = "203.0.113.7", "TestBrowser/1.0"
OTHER_IP = "198.51.100.9"


class Clock:
    """Now, until moved."""

    def __init__(self, start: datetime | None = None) -> None:
        self.moment = start or now()

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@dataclass
class Outbox:
    """The sent e-mail. Services send once their transaction commits, so reading commits the test's session first."""

    directory: Path
    session: Session

    def messages(self, to: str | None = None) -> list[email.message.EmailMessage]:
        self.session.commit()
        found = []
        for path in sorted(self.directory.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if to is None or message["To"].lower() == to.lower():
                found.append(message)
        return found

    def last(self, to: str) -> email.message.EmailMessage:
        messages = self.messages(to)
        assert messages, f"no e-mail to {to}"
        return messages[-1]

    @staticmethod
    def text(message: email.message.EmailMessage) -> str:
        return message.get_body(("plain",)).get_content()

    @staticmethod
    def html(message: email.message.EmailMessage) -> str:
        return message.get_body(("html",)).get_content()

    def code(self, to: str) -> str:
        found = re.search(r"code is (\d{6})\.", self.text(self.last(to)))
        assert found, "no code in the last e-mail"
        return found.group(1)

    def link_token(self, to: str, path_prefix: str) -> str:
        base = re.escape(get_settings().base_url + path_prefix)
        found = re.search(base + r"([A-Za-z0-9_-]+)", self.text(self.last(to)))
        assert found, f"no {path_prefix} link in the last e-mail"
        assert found.group(0) in self.html(self.last(to)), "the HTML part carries the same link"
        return found.group(1)


@pytest.fixture
def outbox(session, tmp_path, monkeypatch) -> Outbox:
    directory = tmp_path / "outbox"
    monkeypatch.setenv("FLUXENT_EMAIL_FILE_DIR", str(directory))
    reset_settings()
    return Outbox(directory, session)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@functools.cache
def quick_hash(password: str) -> str:
    return hash_password(password, rounds=4)


def make_user(
    session: Session,
    email_address: str,
    *,
    password: str | None = PASSWORD,
    role: Role = Role.CLIENT,
    name: str = "",
    username: str | None = None,
    company: str = "",
) -> User:
    user = users.create_user(
        session, email=email_address, password=None, role=role, name=name, username=username, company=company
    )
    user.password_hash = quick_hash(password) if password is not None else None
    session.add(user)
    session.flush()
    return user


@dataclass
class Secrets:
    """Every raw secret a test handled, to look for in the audit log afterwards."""

    values: set[str] = field(default_factory=set)

    def add(self, *values: str) -> None:
        self.values.update(value for value in values if value)


# Columns whose digits could match a six-digit code by chance (timestamps, hex hashes).
_NUMERIC_NOISE = {"created_at", "hash", "prev_hash", "seq"}


def assert_no_secret_in_audit(session: Session, secrets: Secrets) -> int:
    """Fail when any audit column holds any of the secrets; returns the rows scanned."""
    result = session.execute(text("SELECT * FROM audit_event"))
    columns = list(result.keys())
    rows = result.all()
    assert rows, "the flows wrote audit events"
    for row in rows:
        for column, value in zip(columns, row, strict=True):
            if value is None:
                continue
            cell = str(value)
            for secret in secrets.values:
                if secret.isdigit() and len(secret) <= 8 and column in _NUMERIC_NOISE:
                    continue
                assert secret not in cell, f"a secret appears in audit_event.{column}: {cell[:80]!r}"
    return len(rows)


def audit_actions(session: Session) -> list[str]:
    return [row[0] for row in session.execute(text("SELECT action FROM audit_event ORDER BY seq"))]
