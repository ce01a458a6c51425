"""Two client organizations with people, engagements, milestones and documents, built through
the services, plus API clients signed in as each person (session and CSRF cookies set).

Used by the portal's service and API tests; files go to a per-test data directory.
"""

from __future__ import annotations

import email
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from fluxent.api.app import create_api, wrap_asgi
from fluxent.core.clock import now
from fluxent.core.cookies import CSRF_COOKIE, SESSION_COOKIE
from fluxent.core.settings import get_settings, reset_settings
from fluxent.core.storage import get_storage
from fluxent.core.storage.file_keys import KEYS_DIR
from fluxent.models.accounts import OrgRole, Role, User
from fluxent.models.documents import Document
from fluxent.models.engagements import Engagement, EngagementStatus, Milestone
from fluxent.models.marketing import Lead
from fluxent.models.privacy import PrivacyRequest, RequestKind
from fluxent.services.accounts import organizations, users
from fluxent.services.auth import sessions
from fluxent.services.portal import documents, engagements, milestones

ORIGIN = "http://testserver"
CSRF_TOKEN = "csrf-token-for-tests-0123456789"
PDF_BYTES = b"%PDF-1.7\n" + b"0" * 2000 + b"\n%%EOF\n"


@dataclass
class World:
    owner_a: User
    member_a: User
    owner_b: User
    staff: User
    admin: User
    org_a: int
    org_b: int
    engagement_a: Engagement
    engagement_b: Engagement
    milestones_a: list[Milestone]
    milestones_b: list[Milestone]
    document_a: Document
    document_b: Document
    lead: Lead
    privacy_request: PrivacyRequest


def person(session: Session, email_address: str, role: Role, name: str) -> User:
    return users.create_user(session, email=email_address, password=None, role=role, name=name)


def build_world(session: Session) -> World:
    owner_a = person(session, "olivia@northwind.test", Role.CLIENT, "Olivia Owner")
    member_a = person(session, "mark@northwind.test", Role.CLIENT, "Mark Member")
    owner_b = person(session, "bea@acme.test", Role.CLIENT, "Bea Owner")
    staff = person(session, "sam@fluxent.tech", Role.STAFF, "Sam Staff")
    admin = person(session, "ada@fluxent.tech", Role.ADMIN, "Ada Admin")
    org_a = organizations.get_or_create_organization(session, name="Northwind Robotics")
    org_b = organizations.get_or_create_organization(session, name="Acme Widgets")
    organizations.add_membership(session, user=owner_a, organization=org_a, role=OrgRole.OWNER)
    organizations.add_membership(session, user=member_a, organization=org_a, role=OrgRole.MEMBER)
    organizations.add_membership(session, user=owner_b, organization=org_b, role=OrgRole.OWNER)
    built = {}
    for org in (org_a, org_b):
        engagement = engagements.create_engagement(
            session,
            actor=staff,
            organization_id=org.id,
            title=f"Build for {org.name}",
            fixed_price_minor=900_000,
            currency="USD",
            staff_ids=[staff.id],
        )
        items = [
            milestones.add_milestone(
                session, actor=staff, engagement_id=engagement.id, title=f"Phase {n}", amount_minor=300_000
            )
            for n in (1, 2, 3)
        ]
        for status in (EngagementStatus.PROPOSED, EngagementStatus.ACTIVE):
            engagements.change_status(session, actor=staff, engagement_id=engagement.id, status=status)
        milestones.start(session, actor=staff, engagement_id=engagement.id, milestone_id=items[0].id)
        milestones.submit(session, actor=staff, engagement_id=engagement.id, milestone_id=items[0].id)
        document = documents.upload(
            session, actor=staff, filename="plan.pdf", chunks=[PDF_BYTES], engagement_id=engagement.id
        )
        built[org.id] = (engagement, items, document)
    lead = Lead(
        name="Hana Harbor", email="hana@harbor.test", company="Harbor Labs", country="Japan", message="A fleet tracker."
    )
    # Hana asked for a copy of her data (the privacy desk's routes need a request to act on).
    privacy_request = PrivacyRequest(
        kind=RequestKind.ACCESS, subject_email=lead.email, subject_name=lead.name, due_at=now() + timedelta(days=45)
    )
    session.add_all([lead, privacy_request])
    session.commit()
    (eng_a, ms_a, doc_a), (eng_b, ms_b, doc_b) = built[org_a.id], built[org_b.id]
    return World(
        owner_a,
        member_a,
        owner_b,
        staff,
        admin,
        org_a.id,
        org_b.id,
        eng_a,
        eng_b,
        ms_a,
        ms_b,
        doc_a,
        doc_b,
        lead,
        privacy_request,
    )


@pytest.fixture
def data_dir(monkeypatch, tmp_path) -> Path:
    """A private data directory (files, outbox) for one test."""
    directory = tmp_path / "data"
    monkeypatch.setenv("FLUXENT_DATA_DIR", str(directory))
    reset_settings()
    return directory


@pytest.fixture
def world(session, data_dir) -> World:
    return build_world(session)


def stored_files(data_dir: Path) -> list[Path]:
    """Every file in local storage, partial uploads included (not the data keys in ``.keys/``)."""
    root = data_dir / "files"
    if not root.exists():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and KEYS_DIR not in path.relative_to(root).parts)


def outbox(data_dir: Path, to: str | None = None) -> list[email.message.EmailMessage]:
    found = []
    for path in sorted((data_dir / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if to is None or message["To"].lower() == to.lower():
            found.append(message)
    return found


def api_app():
    return wrap_asgi(create_api())


def client_for(session: Session, user: User | None) -> TestClient:
    """A test client signed in as ``user`` (anonymous for None), sending CSRF token and Origin."""
    client = TestClient(api_app(), base_url=ORIGIN, raise_server_exceptions=False)
    client.headers.update({"Origin": ORIGIN, "X-CSRFToken": CSRF_TOKEN})
    client.cookies.set(CSRF_COOKIE, CSRF_TOKEN)
    if user is not None:
        _, raw = sessions.start_session(session, user=user)
        session.commit()
        client.cookies.set(SESSION_COOKIE, raw)
    return client


def storage():
    return get_storage(get_settings())
