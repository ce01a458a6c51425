"""Demo data for development: two client organizations with an owner each, a staff member, an
admin, for Northwind Robotics an engagement with three milestones and a document, and for
Bluefin Logistics a smaller engagement. Northwind's engagement has a short conversation. Northwind has a billing profile, the accepted
milestone's invoice (paid by bank transfer) and an open invoice for hosting. Northwind's owner
is also a member of Bluefin, so the portal's organization switcher can be tried. Northwind's
statement of work waits for the demo client's signature (then the staff member countersigns).

Idempotent: running it again changes nothing. The sign-ins are listed in the README.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen import canvas
from sqlalchemy import select
from sqlmodel import Session

from fluxent.models.accounts import Organization, OrgRole, Role, User
from fluxent.models.documents import Document
from fluxent.models.engagements import Engagement, EngagementStatus, Milestone
from fluxent.models.esign import Envelope, EnvelopePurpose, FieldKind, SigningOrder
from fluxent.models.messages import Message
from fluxent.services.accounts import organizations, users
from fluxent.services.billing import invoices, payments
from fluxent.services.billing.profiles import ProfileInput, update_profile
from fluxent.services.esign import envelopes
from fluxent.services.esign.envelopes import FieldInput, SignerInput
from fluxent.services.messages import thread
from fluxent.services.portal import documents, engagements, milestones


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    role: Role
    name: str
    username: str


DEMO_ORGANIZATION = "Northwind Robotics"
DEMO_CLIENT = DemoUser("client@demo.fluxent.tech", "amber kettle drifts 2026", Role.CLIENT, "Dana Whitfield", "dana")
DEMO_STAFF = DemoUser("staff@demo.fluxent.tech", "velvet harbor compass 2026", Role.STAFF, "Priya Raman", "priya")
DEMO_ADMIN = DemoUser("admin@demo.fluxent.tech", "copper meadow lantern 2026", Role.ADMIN, "Marcus Cole", "marcus")
# A second client organization, so isolation between tenants can be shown.
DEMO_OTHER_ORGANIZATION = "Bluefin Logistics"
DEMO_OTHER_CLIENT = DemoUser(
    "client2@demo.fluxent.tech", "willow beacon orchard 2026", Role.CLIENT, "Ravi Okafor", "ravi"
)
DEMO_USERS = (DEMO_CLIENT, DEMO_STAFF, DEMO_ADMIN, DEMO_OTHER_CLIENT)

DEMO_ENGAGEMENT = "Fleet telemetry dashboard"
DEMO_MILESTONES = (
    ("Discovery and data model", 1_200_000, date(2026, 12, 11)),
    ("Live telemetry MVP", 2_000_000, date(2027, 1, 22)),
    ("Alerts, roles and hand-over", 1_600_000, date(2027, 2, 26)),
)
DEMO_DOCUMENT = "Statement of work.pdf"
DEMO_OTHER_ENGAGEMENT = "Route planning API"
DEMO_OTHER_MILESTONES = (
    ("Routing engine integration", 900_000, date(2026, 12, 18)),
    ("Dispatcher hand-over", 600_000, date(2027, 1, 29)),
)
# A small, valid one-page PDF.
DEMO_ENVELOPE = "Statement of work: Fleet telemetry dashboard"


def statement_of_work_pdf() -> bytes:
    """The demo statement of work: two pages, with room for the signatures at the end."""
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=LETTER)
    page.setFont("Helvetica-Bold", 18)
    page.drawString(72, 720, "Fleet telemetry dashboard: statement of work")
    page.setFont("Helvetica", 11)
    lines = [
        "Client: Northwind Robotics. Supplier: Fluxent Technologies, Inc.",
        "Scope: telemetry ingestion, fleet health views, alerts and roles.",
        "Fixed price: USD 48,000.00, paid by milestone on acceptance.",
    ]
    for number, line in enumerate(lines):
        page.drawString(72, 680 - 18 * number, line)
    page.showPage()
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 720, "Signatures")
    page.setFont("Helvetica", 11)
    page.drawString(72, 640, "For Northwind Robotics:")
    page.drawString(72, 480, "For Fluxent Technologies, Inc.:")
    page.showPage()
    page.save()
    return buffer.getvalue()


def seed_demo(session: Session) -> list[str]:
    """Create what is missing; return a line per thing created."""
    created: list[str] = []
    people: dict[str, User] = {}
    for demo in DEMO_USERS:
        user = users.user_by_email(session, demo.email)
        if user is None:
            user = users.create_user(
                session,
                email=demo.email,
                password=demo.password,
                role=demo.role,
                name=demo.name,
                username=demo.username,
                company=_company_of(demo),
            )
            created.append(f"user {demo.email} ({demo.role})")
        people[demo.email] = user
    organization = organizations.get_or_create_organization(session, name=DEMO_ORGANIZATION)
    organizations.add_membership(session, user=people[DEMO_CLIENT.email], organization=organization, role=OrgRole.OWNER)
    other = organizations.get_or_create_organization(session, name=DEMO_OTHER_ORGANIZATION)
    organizations.add_membership(session, user=people[DEMO_OTHER_CLIENT.email], organization=other, role=OrgRole.OWNER)
    organizations.add_membership(session, user=people[DEMO_CLIENT.email], organization=other, role=OrgRole.MEMBER)
    users.set_staff_profile(
        session, user=people[DEMO_STAFF.email], title="Forward Deployed Engineer", team="Delivery", listed=True
    )
    users.set_staff_profile(
        session, user=people[DEMO_ADMIN.email], title="Head of Delivery", team="Leadership", listed=True
    )
    created += _seed_engagement(session, organization, staff=people[DEMO_STAFF.email], owner=people[DEMO_CLIENT.email])
    created += _seed_other_engagement(session, other, staff=people[DEMO_STAFF.email])
    created += _seed_envelope(session, organization, staff=people[DEMO_STAFF.email], client=people[DEMO_CLIENT.email])
    created += _seed_messages(session, organization, staff=people[DEMO_STAFF.email], client=people[DEMO_CLIENT.email])
    return created


def _company_of(demo: DemoUser) -> str:
    if demo.role is not Role.CLIENT:
        return "Fluxent Technologies, Inc."
    return DEMO_OTHER_ORGANIZATION if demo is DEMO_OTHER_CLIENT else DEMO_ORGANIZATION


def _active_engagement(
    session: Session,
    organization: Organization,
    *,
    staff: User,
    title: str,
    scope_summary: str,
    plan: tuple[tuple[str, int, date], ...],
    start_date: date,
) -> tuple[Engagement, list[Milestone]] | None:
    """An active engagement with the planned milestones; None if it exists already."""
    existing = session.scalars(
        select(Engagement).where(Engagement.organization_id == organization.id, Engagement.title == title)
    ).first()
    if existing is not None:
        return None
    engagement = engagements.create_engagement(
        session,
        actor=staff,
        organization_id=organization.id,
        title=title,
        scope_summary=scope_summary,
        fixed_price_minor=sum(amount for _, amount, _ in plan),
        currency="USD",
        start_date=start_date,
        target_date=plan[-1][2],
        staff_ids=[staff.id],
    )
    items = [
        milestones.add_milestone(
            session, actor=staff, engagement_id=engagement.id, title=name, amount_minor=amount, due_date=due
        )
        for name, amount, due in plan
    ]
    for status in (EngagementStatus.PROPOSED, EngagementStatus.ACTIVE):
        engagements.change_status(session, actor=staff, engagement_id=engagement.id, status=status)
    return engagement, items


def _seed_engagement(session: Session, organization: Organization, *, staff: User, owner: User) -> list[str]:
    """An active engagement: first milestone accepted, second waiting for the owner, third planned."""
    built = _active_engagement(
        session,
        organization,
        staff=staff,
        title=DEMO_ENGAGEMENT,
        scope_summary="A live dashboard of Northwind's robot fleet: telemetry ingestion, health views, alerts and roles.",
        plan=DEMO_MILESTONES,
        start_date=date(2026, 11, 16),
    )
    if built is None:
        return []
    engagement, items = built
    for item in items[:2]:
        milestones.start(session, actor=staff, engagement_id=engagement.id, milestone_id=item.id)
        milestones.submit(session, actor=staff, engagement_id=engagement.id, milestone_id=item.id)
    milestones.accept(
        session, actor=owner, engagement_id=engagement.id, milestone_id=items[0].id, note="Data model signed off."
    )
    if session.scalars(select(Document).where(Document.engagement_id == engagement.id)).first() is None:
        documents.upload(
            session, actor=staff, filename=DEMO_DOCUMENT, chunks=[statement_of_work_pdf()], engagement_id=engagement.id
        )
    _seed_invoices(session, organization, engagement, items[0], staff=staff, owner=owner)
    return [
        f"engagement {DEMO_ENGAGEMENT!r} with {len(items)} milestones and a document",
        "invoices: one paid (the accepted milestone), one open (hosting)",
    ]


def _seed_invoices(
    session: Session,
    organization: Organization,
    engagement: Engagement,
    accepted: Milestone,
    *,
    staff: User,
    owner: User,
) -> None:
    update_profile(
        session,
        actor=owner,
        organization_id=organization.id,
        details=ProfileInput(
            billing_email="accounts@northwind.example",
            legal_name="Northwind Robotics, Inc.",
            address="400 Pine Street\nSeattle, WA 98101",
            tax_id="US 91-1234567",
        ),
    )
    paid = invoices.draft_from_milestone(session, actor=staff, milestone_id=accepted.id)
    invoices.issue(session, actor=staff, invoice_id=paid.id)
    payments.record_bank_transfer(session, actor=staff, invoice_id=paid.id)
    hosting = invoices.create_invoice(
        session,
        actor=staff,
        organization_id=organization.id,
        currency=engagement.currency,
        lines=[
            invoices.LineInput("Hosting and monitoring, November 2026", 90_000),
            invoices.LineInput("On-call support hours", 15_000, quantity=4),
        ],
        memo="Hosting is billed monthly, outside the fixed price.",
    )
    invoices.issue(session, actor=staff, invoice_id=hosting.id)


def _seed_other_engagement(session: Session, organization: Organization, *, staff: User) -> list[str]:
    """Bluefin's active engagement: the first milestone in progress, the second planned."""
    built = _active_engagement(
        session,
        organization,
        staff=staff,
        title=DEMO_OTHER_ENGAGEMENT,
        scope_summary="Route optimisation for Bluefin's dispatchers, behind one API.",
        plan=DEMO_OTHER_MILESTONES,
        start_date=date(2026, 11, 23),
    )
    if built is None:
        return []
    engagement, items = built
    milestones.start(session, actor=staff, engagement_id=engagement.id, milestone_id=items[0].id)
    return [f"engagement {DEMO_OTHER_ENGAGEMENT!r} with {len(items)} milestones"]


def _seed_messages(session: Session, organization: Organization, *, staff: User, client: User) -> list[str]:
    """A short exchange on Northwind's engagement; the last message (with the statement of work
    attached) is still unread for the demo client."""
    engagement = session.scalars(
        select(Engagement).where(Engagement.organization_id == organization.id, Engagement.title == DEMO_ENGAGEMENT)
    ).one()
    if session.scalars(select(Message.id).where(Message.engagement_id == engagement.id)).first() is not None:
        return []
    welcome = thread.post_message(
        session,
        actor=staff,
        engagement_id=engagement.id,
        body="Welcome aboard! This is where we talk about the dashboard. The data model is signed off; "
        "the live telemetry MVP is ready for your review.",
    )
    question = thread.post_message(
        session,
        actor=client,
        engagement_id=engagement.id,
        body="Thanks, Priya. Could the MVP also show battery health per robot?",
        parent_id=welcome.id,
    )
    statement = session.scalars(select(Document).where(Document.engagement_id == engagement.id)).first()
    thread.post_message(
        session,
        actor=staff,
        engagement_id=engagement.id,
        body="Battery health is in the third milestone; the statement of work lists it under alerts.",
        parent_id=question.id,
        document_id=statement.id if statement else None,
    )
    return [f"three messages on {DEMO_ENGAGEMENT!r}"]


def _seed_envelope(session: Session, organization: Organization, *, staff: User, client: User) -> list[str]:
    """The statement of work sent for signature: the demo client first, then the staff countersigner."""
    exists = session.scalars(
        select(Envelope).where(Envelope.organization_id == organization.id, Envelope.title == DEMO_ENVELOPE)
    ).first()
    document = session.scalars(
        select(Document).where(Document.organization_id == organization.id, Document.filename == DEMO_DOCUMENT)
    ).first()
    if exists is not None or document is None:
        return []
    envelope = envelopes.create_envelope(
        session,
        actor=staff,
        document_id=document.id,
        signers=[SignerInput(client.name, client.email), SignerInput(staff.name, staff.email, countersigner=True)],
        fields=[
            FieldInput(0, FieldKind.SIGNATURE, 1, 0.12, 0.22, 0.3, 0.06),
            FieldInput(0, FieldKind.DATE, 1, 0.5, 0.245, 0.16, 0.03),
            FieldInput(0, FieldKind.INITIALS, 0, 0.82, 0.9, 0.08, 0.04),
            FieldInput(1, FieldKind.SIGNATURE, 1, 0.12, 0.42, 0.3, 0.06),
            FieldInput(1, FieldKind.DATE, 1, 0.5, 0.445, 0.16, 0.03),
        ],
        order=SigningOrder.SEQUENTIAL,
        title=DEMO_ENVELOPE,
        message="Please review and sign the statement of work for the fleet telemetry dashboard.",
        remind_every_days=3,
        purpose=EnvelopePurpose.STATEMENT_OF_WORK,
    )
    envelopes.send_envelope(session, actor=staff, envelope_id=envelope.id)
    return [f"envelope {DEMO_ENVELOPE!r} waiting for {client.email}"]
