"""E-signature test helpers: real PDFs and drawn signatures, a statement of work sent for
signature to a client and a Fluxent countersigner, and the links and codes from the outbox."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.pdfgen import canvas
from sqlmodel import Session

from fluxent.models.engagements import Engagement
from fluxent.models.esign import Envelope, FieldKind, SigningOrder
from fluxent.services.esign import completion, envelopes, signing
from fluxent.services.esign.envelopes import FieldInput, SignerInput
from fluxent.services.esign.signing import Access, Requester
from fluxent.services.portal import documents, engagements
from tests.support.portal import World, outbox

CLIENT_BROWSER = Requester(ip="203.0.113.7", user_agent="Mozilla/5.0 (client)")
STAFF_BROWSER = Requester(ip="198.51.100.4", user_agent="Mozilla/5.0 (staff)")
_LINK_RE = re.compile(r"/sign/([A-Za-z0-9_-]+)")
_CODE_RE = re.compile(r"Your code is (\d{6})")


def make_pdf(pages: int = 2, *, title: str = "Statement of work") -> bytes:
    buffer = BytesIO()
    page = canvas.Canvas(buffer)
    for number in range(1, pages + 1):
        page.drawString(72, 760, f"{title}, page {number}")
        page.showPage()
    page.save()
    return buffer.getvalue()


def drawn_signature() -> str:
    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 80), (90, 20), (160, 70), (290, 30)], fill=(20, 20, 80, 255), width=4)
    out = BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@dataclass
class SowDeal:
    engagement: Engagement
    document_id: int
    envelope: Envelope


def client_fields() -> list[FieldInput]:
    return [
        FieldInput(0, FieldKind.SIGNATURE, 0, 0.1, 0.7, 0.3, 0.06),
        FieldInput(0, FieldKind.DATE, 0, 0.45, 0.72, 0.15, 0.03),
        FieldInput(0, FieldKind.TEXT, 1, 0.1, 0.2, 0.4, 0.03, label="Purchase order"),
        FieldInput(0, FieldKind.CHECKBOX, 1, 0.1, 0.3, 0.03, 0.02, label="Terms read"),
        FieldInput(0, FieldKind.INITIALS, 1, 0.8, 0.9, 0.1, 0.04),
        FieldInput(1, FieldKind.SIGNATURE, 0, 0.55, 0.8, 0.3, 0.06),
    ]


def sow_deal(session: Session, world: World, *, order: SigningOrder = SigningOrder.SEQUENTIAL) -> SowDeal:
    """A scoping engagement of organization A whose statement of work awaits the client and staff."""
    engagement = engagements.create_engagement(
        session,
        actor=world.staff,
        organization_id=world.org_a,
        title="Fleet tracker",
        fixed_price_minor=500_000,
        currency="USD",
    )
    document = documents.upload(
        session, actor=world.staff, filename="sow.pdf", chunks=[make_pdf()], engagement_id=engagement.id
    )
    envelope = envelopes.create_envelope(
        session,
        actor=world.staff,
        document_id=document.id,
        signers=[
            SignerInput(world.owner_a.name, world.owner_a.email),
            SignerInput(world.staff.name, world.staff.email, countersigner=True),
        ],
        fields=client_fields(),
        order=order,
        message="Please sign the statement of work.",
        remind_every_days=3,
    )
    session.commit()
    return SowDeal(engagement, document.id, envelope)


def link_for(data_dir: Path, to: str) -> str:
    """The token of the newest signing link e-mailed to ``to``."""
    for message in reversed(outbox(data_dir, to)):
        found = _LINK_RE.search(message.get_body(("plain",)).get_content())
        if found:
            return found.group(1)
    raise AssertionError(f"no signing link for {to}")


def code_for(data_dir: Path, to: str) -> str:
    for message in reversed(outbox(data_dir, to)):
        found = _CODE_RE.search(message.get_body(("plain",)).get_content())
        if found:
            return found.group(1)
    raise AssertionError(f"no code for {to}")


def sent_deal(session: Session, world: World, *, order: SigningOrder = SigningOrder.SEQUENTIAL) -> SowDeal:
    deal = sow_deal(session, world, order=order)
    envelopes.send_envelope(session, actor=world.staff, envelope_id=deal.envelope.id)
    session.commit()
    return deal


def client_access(session: Session, data_dir: Path, world: World) -> Access:
    """The client opens the newest link and enters the e-mailed code."""
    token = link_for(data_dir, world.owner_a.email)
    signing.request_code(session, token=token, requester=CLIENT_BROWSER)
    session.commit()
    access = signing.verify_code(
        session, token=token, code=code_for(data_dir, world.owner_a.email), requester=CLIENT_BROWSER
    )
    session.commit()
    return access


def client_signs(session: Session, data_dir: Path, world: World) -> signing.Finished:
    """The client consents, fills their fields, draws a signature and signs."""
    access = client_access(session, data_dir, world)
    signing.consent(session, access=access, requester=CLIENT_BROWSER)
    by_kind = {field.kind: field for field in signing.view(session, access=access).fields}
    for kind, value in (("text", "PO-1234"), ("checkbox", "true"), ("initials", "OO")):
        signing.fill_field(session, access=access, field_id=by_kind[kind].id, value=value, requester=CLIENT_BROWSER)
    signing.adopt_signature(session, access=access, kind="drawn", image=drawn_signature(), requester=CLIENT_BROWSER)
    finished = signing.finish(session, access=access, intent=True, requester=CLIENT_BROWSER)
    session.commit()
    return finished


def staff_signs(session: Session, data_dir: Path, world: World) -> signing.Finished:
    """The countersigner, signed in to the portal, skips the code and types a signature."""
    token = link_for(data_dir, world.staff.email)
    access = signing.verify_session(session, token=token, user=world.staff, requester=STAFF_BROWSER)
    signing.consent(session, access=access, requester=STAFF_BROWSER)
    signing.adopt_signature(session, access=access, kind="typed", text=world.staff.name, requester=STAFF_BROWSER)
    finished = signing.finish(session, access=access, intent=True, requester=STAFF_BROWSER)
    session.commit()
    return finished


def completed_deal(session: Session, data_dir: Path, world: World) -> SowDeal:
    """A statement of work signed by the client and the countersigner, sealed and filed."""
    deal = sent_deal(session, world)
    client_signs(session, data_dir, world)
    staff_signs(session, data_dir, world)
    assert completion.complete(deal.envelope.id)  # in units of its own: the test's session has stale rows
    return deal


@dataclass
class EnvelopeTrio:
    """Envelopes of organization A in three states, for walking the API as every kind of caller."""

    done: int
    draft: int
    sent: int
    document: int  # the completed envelope's PDF

    @classmethod
    def build(cls, session: Session, data_dir: Path, world: World) -> EnvelopeTrio:
        done = completed_deal(session, data_dir, world)
        draft = sow_deal(session, world).envelope.id
        sent = sent_deal(session, world).envelope.id
        trio = cls(done.envelope.id, draft, sent, done.document_id)
        session.commit()  # nothing of the test's session may hold the write lock while the app answers
        return trio

    def ids(self) -> dict[str, int]:
        return {"env_done": self.done, "env_draft": self.draft, "env_sent": self.sent}

    def new_envelope_body(self, world: World) -> dict:
        return {
            "document": self.document,
            "signers": [{"name": "Olivia Owner", "email": world.owner_a.email}],
            "order": "parallel",
            "fields": [{"signer": 0, "kind": "signature", "page": 0, "x": 0.1, "y": 0.1, "width": 0.3, "height": 0.05}],
            "remind_every_days": 2,
        }
