"""What the e-signature pages list: typed rows for ``/portal/signatures`` and ``/admin/envelopes``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import NotFound, ValidationFailed
from fluxent.core.tokens import new_token
from fluxent.models.accounts import Organization, User
from fluxent.models.documents import Document, DocumentVersion
from fluxent.models.esign import Envelope, EnvelopeSigner, EnvelopeStatus, SignerStatus
from fluxent.routes import api_envelope_download
from fluxent.services.accounts import authz
from fluxent.services.accounts.organizations import visible_organization_ids
from fluxent.services.accounts.users import normalize_email
from fluxent.services.audit import trail
from fluxent.services.esign import envelopes
from fluxent.services.pagination import search_needle


@dataclass(frozen=True)
class SignatureRow:
    envelope_id: int
    signer_id: int  # 0 when the person is not a signer (a member of the organization)
    title: str
    organization: str
    status: str
    my_status: str
    at: datetime  # completed, ended, sent or made: the latest that applies
    download_url: str


@dataclass(frozen=True)
class SignatureLists:
    waiting: list[SignatureRow]
    done: list[SignatureRow]


@dataclass(frozen=True)
class PdfChoice:
    document_id: int
    label: str


def signatures_of(session: Session, *, user: User, organization_id: int | None = None) -> SignatureLists:
    """What waits for ``user``'s signature, and what is done: envelopes they signed or that belong
    to their organizations (every organization for staff); only ``organization_id``'s when given."""
    mine_statement = (
        select(EnvelopeSigner, Envelope, Organization)
        .join(Envelope, Envelope.id == EnvelopeSigner.envelope_id)
        .join(Organization, Organization.id == Envelope.organization_id)
        .where(or_(EnvelopeSigner.user_id == user.id, EnvelopeSigner.email == _address(user)))
        .order_by(Envelope.created_at.desc(), Envelope.id.desc())
    )
    if organization_id is not None:
        mine_statement = mine_statement.where(Envelope.organization_id == organization_id)
    mine = session.execute(mine_statement).all()
    waiting = [
        _row(envelope, organization, signer, user)
        for signer, envelope, organization in mine
        if signer.status == SignerStatus.INVITED and envelope.status == EnvelopeStatus.SENT
    ]
    statement = (
        select(Envelope, Organization)
        .join(Organization, Organization.id == Envelope.organization_id)
        .where(Envelope.status != EnvelopeStatus.DRAFT)
        .order_by(Envelope.updated_at.desc(), Envelope.id.desc())
        .limit(200)
    )
    visible = visible_organization_ids(session, user)
    signed_ids = [envelope.id for _, envelope, _ in mine]
    if visible is not None:
        statement = statement.where(or_(Envelope.organization_id.in_(visible), Envelope.id.in_(signed_ids)))
    if organization_id is not None:
        statement = statement.where(Envelope.organization_id == organization_id)
    waiting_ids = {row.envelope_id for row in waiting}
    by_envelope = {envelope.id: signer for signer, envelope, _ in mine}
    done = [
        _row(envelope, organization, by_envelope.get(envelope.id), user, downloadable=_may_read(visible, envelope))
        for envelope, organization in session.execute(statement).all()
        if envelope.id not in waiting_ids
    ]
    return SignatureLists(waiting=waiting, done=done)


def portal_link(session: Session, *, user: User, signer_id: int, clock: Clock = now) -> str:
    """A fresh signing link for a signed-in person who is that signer (the e-mailed one stops working);
    the page then skips the code, since the portal session already proves the address."""
    signer = session.get(EnvelopeSigner, signer_id)
    envelope = session.get(Envelope, signer.envelope_id) if signer else None
    if (
        signer is None
        or signer.email != _address(user)
        or signer.status != SignerStatus.INVITED
        or envelope.status != EnvelopeStatus.SENT
    ):
        raise NotFound("Nothing waits for your signature there.")
    raw = new_token()
    signer.link_hash = envelopes.link_hash(raw)
    session.add(signer)
    session.flush()
    trail.record(
        session,
        "esign.link_opened_from_portal",
        actor=user,
        target=envelope,
        organization=envelope.organization_id,
        meta={"signer": signer.id},
        clock=clock,
    )
    return raw


def pdf_choices(session: Session, *, actor: User, query: str = "") -> list[PdfChoice]:
    """PDF documents staff may send for signature, newest first (200 at most); with ``query``,
    those whose file name or organization's name contains it (a picker's search)."""
    authz.require_staff(actor)
    statement = (
        select(Document, Organization)
        .join(Organization, Organization.id == Document.organization_id)
        .join(
            DocumentVersion,
            (DocumentVersion.document_id == Document.id) & (DocumentVersion.version == Document.current_version),
        )
        .where(Document.deleted_at.is_(None), DocumentVersion.content_type == "application/pdf")
    )
    if needle := search_needle(query):
        statement = statement.where(
            or_(
                func.lower(Document.filename).contains(needle, autoescape=True),
                func.lower(Organization.name).contains(needle, autoescape=True),
            )
        )
    rows = session.execute(statement.order_by(Document.updated_at.desc(), Document.id.desc()).limit(200)).all()
    return [PdfChoice(document.id, f"{organization.name}: {document.filename}") for document, organization in rows]


def _address(user: User) -> str:
    try:
        return normalize_email(user.email)
    except ValidationFailed:  # an erased account's placeholder address matches no signer
        return ""


def _may_read(visible: list[int] | None, envelope: Envelope) -> bool:
    """Whether the API lets the person download it (signers outside the organization got it by e-mail)."""
    return visible is None or envelope.organization_id in visible


def _row(
    envelope: Envelope,
    organization: Organization,
    signer: EnvelopeSigner | None,
    user: User,
    *,
    downloadable: bool = False,
) -> SignatureRow:
    moment = envelope.completed_at or envelope.ended_at or envelope.sent_at or envelope.created_at
    return SignatureRow(
        envelope_id=envelope.id,
        signer_id=signer.id if signer is not None and signer.email == _address(user) else 0,
        title=envelope.title,
        organization=organization.name,
        status=str(envelope.status),
        my_status=str(signer.status) if signer is not None else "",
        at=moment,
        download_url=api_envelope_download(envelope.id)
        if downloadable and envelope.status == EnvelopeStatus.COMPLETED
        else "",
    )
