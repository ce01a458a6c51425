"""People and records for the export and erasure tests, built through the services.

Ada is the subject. Bob, an owner of the same organization, acts on her from his own
browser, so his e-mail, IP address and user agent sit in rows about her; neither the
export nor the erasure may leak or lose them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import String, select
from sqlmodel import Session, SQLModel

from fluxent.core.tokens import new_token, token_hash
from fluxent.models.accounts import Organization, OrgRole, Role, User
from fluxent.models.auth import OneTimeToken, TokenPurpose
from fluxent.services.accounts import organizations, users
from fluxent.services.audit import trail
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import sessions

PASSWORD = "correct horse battery staple 42"
ADA_IP, ADA_AGENT = "203.0.113.10", "AdaBrowser/1.0 (Macintosh)"
BOB_IP, BOB_AGENT = "198.51.100.77", "BobBrowser/9.9 (Windows)"
ORGANIZATION = "Acme Widgets"


@dataclass
class People:
    ada: User
    bob: User
    organization: Organization
    ada_session_raw: str
    ada_secrets: list[str]
    bob_private: list[str]


def clock_at(moment: datetime):
    return lambda: moment


def seed_people(session: Session, *, ada_owner: bool = False) -> People:
    """Ada (member, or owner beside Bob) and Bob (owner) of one organization, with history."""
    bob = users.create_user(
        session, email="Bob.Builder@example.org", password=PASSWORD, role=Role.CLIENT, name="Bob Builder"
    )
    ada = users.create_user(
        session,
        email="Ada.Lovelace@example.com",
        password=PASSWORD,
        role=Role.CLIENT,
        name="Ada Quintessa Lovelace",
        username="ada-lovelace",
        company="Analytical Engines Ltd",
        actor=bob,
    )
    ada.phone, ada.country = "+1 555 010 7788", "GB"
    session.add(ada)
    organization = organizations.get_or_create_organization(session, name=ORGANIZATION, actor=bob)
    organizations.add_membership(session, user=bob, organization=organization, role=OrgRole.OWNER, actor=bob)
    organizations.add_membership(
        session, user=ada, organization=organization, role=OrgRole.OWNER if ada_owner else OrgRole.MEMBER, actor=bob
    )
    # Bob acts on Ada from his browser: his personal part must stay his.
    trail.record(
        session,
        "accounts.profile_updated",
        actor=bob,
        target=ada,
        organization=organization,
        meta={"fields": ["phone"]},
        pii=Personal(ip=BOB_IP, user_agent=BOB_AGENT, email=bob.email),
    )
    ada_session, raw = sessions.start_session(session, user=ada, ip=ADA_IP, user_agent=ADA_AGENT)
    sessions.start_session(session, user=ada, ip="192.0.2.55", user_agent=ADA_AGENT)
    bob_session, _ = sessions.start_session(session, user=bob, ip=BOB_IP, user_agent=BOB_AGENT)
    trail.record(
        session,
        "auth.login_succeeded",
        actor=ada,
        target=ada,
        pii=Personal(ip=ADA_IP, user_agent=ADA_AGENT, email=ada.email),
    )
    trail.record(
        session,
        "auth.login_succeeded",
        actor=bob,
        target=bob,
        pii=Personal(ip=BOB_IP, user_agent=BOB_AGENT, email=bob.email),
    )
    # A failed attempt on Ada's e-mail from an unknown browser.
    trail.record(
        session, "auth.login_failed", target=ada, pii=Personal(ip="192.0.2.200", user_agent="curl/8", email=ada.email)
    )
    token_raw = new_token()
    session.add(
        OneTimeToken(
            purpose=TokenPurpose.EMAIL_CODE,
            token_hash=token_hash(token_raw, purpose=TokenPurpose.EMAIL_CODE),
            user_id=ada.id,
            email=ada.email,
            expires_at=datetime.now(UTC) + timedelta(minutes=10),
        )
    )
    session.commit()
    session.refresh(ada)
    secrets = [ada.password_hash, ada_session.key_hash, token_hash(token_raw, purpose=TokenPurpose.EMAIL_CODE)]
    secrets += list(session.scalars(select(OneTimeToken.token_hash)))
    secrets += list(session.scalars(select(SQLModel.metadata.tables["audit_event"].c.hash)))
    return People(
        ada=ada,
        bob=bob,
        organization=organization,
        ada_session_raw=raw,
        ada_secrets=[s for s in secrets if s],
        bob_private=[bob.email, BOB_IP, BOB_AGENT, bob.name, bob.password_hash, bob_session.key_hash],
    )


def text_values(session: Session) -> list[tuple[str, str, str]]:
    """Every text value in every table: (table, column, value)."""
    found = []
    for name, table in SQLModel.metadata.tables.items():
        columns = [c for c in table.columns if _holds_text(c)]
        if not columns:
            continue
        for row in session.execute(select(*columns)):
            found += [
                (name, column.name, value) for column, value in zip(columns, row, strict=True) if isinstance(value, str)
            ]
    return found


def _holds_text(column) -> bool:
    kind = column.type
    return isinstance(kind, String) or isinstance(getattr(kind, "impl_instance", None), String)


def snapshot(session: Session) -> dict[str, list[tuple]]:
    """Every row of every table, for "nothing changed" checks."""
    return {
        name: sorted((tuple(map(repr, row)) for row in session.execute(select(table))), key=repr)
        for name, table in SQLModel.metadata.tables.items()
    }
