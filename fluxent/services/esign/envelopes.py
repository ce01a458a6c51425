"""Envelopes: staff create one from a portal PDF, name its signers and their fields,
send, remind and void it; staff and members of its organization read it.

Status moves ``draft -> sent -> completed``, or from ``sent`` to ``declined``,
``expired`` or (by staff, from draft or sent) ``voided``. Signers, fields and
details change only while the envelope is a draft; afterwards every change is a
Conflict (409). Sequential envelopes invite one signer at a time, in order;
parallel ones invite everyone at once. Each invitation carries a fresh link
token, kept only as a keyed hash; a reminder replaces it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.db import write_soon
from fluxent.core.errors import Conflict, NotFound, ValidationFailed
from fluxent.core.storage import Storage, get_storage
from fluxent.core.text import text_problem
from fluxent.core.tokens import new_token, token_hash
from fluxent.models.accounts import User
from fluxent.models.documents import DocumentVersion
from fluxent.models.esign import (
    Envelope,
    EnvelopeField,
    EnvelopePurpose,
    EnvelopeSigner,
    EnvelopeStatus,
    FieldKind,
    SignerStatus,
    SigningOrder,
)
from fluxent.routes import PORTAL_SIGNATURES
from fluxent.services.accounts import authz
from fluxent.services.accounts.organizations import require_visible, visible_organization_ids
from fluxent.services.accounts.users import normalize_email
from fluxent.services.audit import trail
from fluxent.services.esign import emails, pdf
from fluxent.services.notifications import Kind, notify
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate, search_needle
from fluxent.services.portal.documents import get_document
from fluxent.services.portal.engagements import clean_line

MAX_SIGNERS = 20
MAX_FIELDS = 500
MAX_MESSAGE = 4000
MIN_FIELD_SIZE = 0.005
DEFAULT_LIFETIME = timedelta(days=30)
MAX_LIFETIME = timedelta(days=365)
MAX_REMIND_EVERY_DAYS = 30
LINK_PURPOSE = "esign.link"
OPEN = (EnvelopeStatus.DRAFT, EnvelopeStatus.SENT)


@dataclass(frozen=True)
class SignerInput:
    name: str
    email: str
    countersigner: bool = False


@dataclass(frozen=True)
class FieldInput:
    """``signer`` is the signer's index in the envelope's signer list (0-based)."""

    signer: int
    kind: FieldKind
    page: int
    x: float
    y: float
    width: float
    height: float
    required: bool = True
    label: str = ""


def link_hash(token: str) -> str:
    return token_hash(token, purpose=LINK_PURPOSE)


# Reading -------------------------------------------------------------------------


def get_envelope(session: Session, *, actor: User, envelope_id: int) -> Envelope:
    """The envelope if ``actor`` is staff or a member of its organization; NotFound otherwise."""
    envelope = session.get(Envelope, envelope_id)
    if envelope is None:
        raise NotFound("No such envelope.")
    try:
        require_visible(session, actor, envelope.organization_id)
    except NotFound:
        raise NotFound("No such envelope.") from None
    return envelope


def list_envelopes(
    session: Session,
    *,
    actor: User,
    status: EnvelopeStatus | None = None,
    organization_id: int | None = None,
    query: str = "",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page[Envelope]:
    """Newest first; ``query`` found in the title (any case, ``%`` and ``_`` as plain text)."""
    statement = select(Envelope).order_by(Envelope.created_at.desc(), Envelope.id.desc())
    if needle := search_needle(query):
        statement = statement.where(func.lower(Envelope.title).contains(needle, autoescape=True))
    visible = visible_organization_ids(session, actor)
    if visible is not None:
        statement = statement.where(Envelope.organization_id.in_(visible))
    if status is not None:
        statement = statement.where(Envelope.status == EnvelopeStatus(status))
    if organization_id is not None:
        statement = statement.where(Envelope.organization_id == organization_id)
    return paginate(session, statement, page=page, page_size=page_size)


def signers_of(session: Session, envelope_id: int) -> list[EnvelopeSigner]:
    return list(
        session.scalars(
            select(EnvelopeSigner)
            .where(EnvelopeSigner.envelope_id == envelope_id)
            .order_by(EnvelopeSigner.position, EnvelopeSigner.id)
        )
    )


def fields_of(session: Session, envelope_id: int, *, signer_id: int | None = None) -> list[EnvelopeField]:
    statement = select(EnvelopeField).where(EnvelopeField.envelope_id == envelope_id)
    if signer_id is not None:
        statement = statement.where(EnvelopeField.signer_id == signer_id)
    return list(session.scalars(statement.order_by(EnvelopeField.page, EnvelopeField.y, EnvelopeField.id)))


@dataclass(frozen=True)
class SealedFile:
    filename: str
    size: int
    sha256: str
    chunks: Iterator[bytes]


def open_sealed(
    session: Session, *, actor: User, envelope_id: int, storage: Storage | None = None, clock: Clock = now
) -> SealedFile:
    """The sealed PDF of a completed envelope (Conflict before), audited as a download."""
    envelope = get_envelope(session, actor=actor, envelope_id=envelope_id)
    if envelope.status != EnvelopeStatus.COMPLETED or envelope.final_storage_key is None:
        raise Conflict("The envelope is not completed yet; there is no signed document.")
    write_soon(
        session,
        lambda writer: trail.record(
            writer,
            "esign.downloaded",
            actor=actor,
            target=envelope,
            organization=envelope.organization_id,
            clock=clock,
        ),
    )
    return SealedFile(
        filename=sealed_filename(envelope),
        size=envelope.final_size,
        sha256=envelope.final_sha256 or "",
        chunks=(storage or get_storage()).read(envelope.final_storage_key),
    )


def sealed_filename(envelope: Envelope) -> str:
    title = envelope.title[:-4] if envelope.title.lower().endswith(".pdf") else envelope.title
    stem = "".join(ch if ch.isalnum() or ch in " -_." else "_" for ch in title).strip(" .") or "document"
    return f"{stem} (signed).pdf"


# Creating drafts (their fields: ``esign.fields``) --------------------------------------------------------


def create_envelope(
    session: Session,
    *,
    actor: User,
    document_id: int,
    signers: Sequence[SignerInput],
    fields: Sequence[FieldInput] = (),
    order: SigningOrder = SigningOrder.SEQUENTIAL,
    title: str = "",
    message: str = "",
    expires_at: datetime | None = None,
    remind_every_days: int = 0,
    purpose: EnvelopePurpose | None = None,
    storage: Storage | None = None,
    clock: Clock = now,
) -> Envelope:
    """A draft envelope over the document's current version (a PDF)."""
    authz.require_staff(actor)
    document = get_document(session, actor=actor, document_id=document_id)
    version = session.scalars(
        select(DocumentVersion).where(
            DocumentVersion.document_id == document.id, DocumentVersion.version == document.current_version
        )
    ).one()
    if version.content_type != "application/pdf":
        message_ = "Only PDF documents can be sent for signature."
        raise ValidationFailed(message_, fields={"document": message_})
    original = b"".join((storage or get_storage()).read(version.storage_key))
    pages = pdf.page_count(original)
    moment = clock()
    details = _check_details(title or document.filename, message, expires_at, remind_every_days, moment)
    people = _check_signers(session, signers)
    envelope = Envelope(
        organization_id=document.organization_id,
        engagement_id=document.engagement_id,
        document_id=document.id,
        document_version=version.version,
        purpose=EnvelopePurpose(purpose)
        if purpose
        else (EnvelopePurpose.STATEMENT_OF_WORK if document.engagement_id else EnvelopePurpose.OTHER),
        title=details.title,
        message=details.message,
        signing_order=SigningOrder(order),
        status=EnvelopeStatus.DRAFT,
        page_count=pages,
        original_sha256=version.sha256,
        original_storage_key=version.storage_key,
        expires_at=details.expires_at,
        remind_every_days=details.remind_every_days,
        created_by_id=actor.id,
        created_at=moment,
        updated_at=moment,
    )
    session.add(envelope)
    session.flush()
    rows = []
    for position, (person, user_id) in enumerate(people):
        row = EnvelopeSigner(
            envelope_id=envelope.id,
            position=position,
            name=person.name,
            email=person.email,
            user_id=user_id,
            countersigner=person.countersigner,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    if len(fields) > MAX_FIELDS:
        raise ValidationFailed(f"At most {MAX_FIELDS} fields.", fields={"fields": f"At most {MAX_FIELDS} fields."})
    for index, field in enumerate(fields):
        if not 0 <= field.signer < len(rows):
            message_ = f"Field {index + 1} names no signer of this envelope."
            raise ValidationFailed(message_, fields={"fields": message_})
        session.add(field_row(envelope, rows[field.signer].id, field, index))
    session.flush()
    trail.record(
        session,
        "esign.created",
        actor=actor,
        target=envelope,
        organization=envelope.organization_id,
        meta={"document": document.id, "version": version.version, "signers": len(rows), "fields": len(fields)},
        clock=clock,
    )
    return envelope


# Sending, reminding, voiding ----------------------------------------------------------


def send_envelope(session: Session, *, actor: User, envelope_id: int, clock: Clock = now) -> Envelope:
    """Send a draft: every signer must have a signature field; the first (or every) signer is invited."""
    envelope = draft(session, actor, envelope_id)
    moment = clock()
    if envelope.expires_at <= moment:
        message = "The expiry date has passed; set a later one."
        raise ValidationFailed(message, fields={"expires_at": message})
    signers = signers_of(session, envelope.id)
    with_signature = {field.signer_id for field in fields_of(session, envelope.id) if field.kind == FieldKind.SIGNATURE}
    missing = [signer.name for signer in signers if signer.id not in with_signature]
    if missing:
        message = "Place a signature field for: " + ", ".join(missing)
        raise ValidationFailed(message, fields={"fields": message})
    envelope.status, envelope.sent_at, envelope.updated_at = EnvelopeStatus.SENT, moment, moment
    session.add(envelope)
    trail.record(
        session,
        "esign.sent",
        actor=actor,
        target=envelope,
        organization=envelope.organization_id,
        meta={"order": str(envelope.signing_order), "signers": len(signers)},
        clock=clock,
    )
    invite_next(session, envelope, clock=clock)
    return envelope


def invite_next(session: Session, envelope: Envelope, *, clock: Clock = now) -> list[EnvelopeSigner]:
    """Invite whoever may sign now and has not been asked yet; returns them."""
    waiting = [signer for signer in signers_of(session, envelope.id) if signer.status == SignerStatus.WAITING]
    if envelope.signing_order == SigningOrder.SEQUENTIAL:
        unfinished = [
            s for s in signers_of(session, envelope.id) if s.status in (SignerStatus.WAITING, SignerStatus.INVITED)
        ]
        if unfinished and unfinished[0].status == SignerStatus.INVITED:
            return []
        waiting = waiting[:1]
    for signer in waiting:
        _invite(session, envelope, signer, reminder=False, clock=clock)
    return waiting


def remind(
    session: Session, *, actor: User | None, envelope_id: int, clock: Clock = now, automatic: bool = False
) -> int:
    """E-mail a fresh link to every invited signer who has not signed; returns how many."""
    if actor is not None:
        authz.require_staff(actor)
        envelope = get_envelope(session, actor=actor, envelope_id=envelope_id)
    else:
        envelope = session.get(Envelope, envelope_id)
    if envelope is None or envelope.status != EnvelopeStatus.SENT:
        raise Conflict("Only a sent envelope that is still open can be reminded.")
    moment = clock()
    pending = [signer for signer in signers_of(session, envelope.id) if signer.status == SignerStatus.INVITED]
    for signer in pending:
        _invite(session, envelope, signer, reminder=True, clock=clock)
        trail.record(
            session,
            "esign.reminder_sent",
            actor=actor,
            target=envelope,
            organization=envelope.organization_id,
            meta={"signer": signer.id, "automatic": automatic},
            clock=clock,
        )
    envelope.last_reminded_at, envelope.updated_at = moment, moment
    session.add(envelope)
    session.flush()
    return len(pending)


def void_envelope(session: Session, *, actor: User, envelope_id: int, reason: str, clock: Clock = now) -> Envelope:
    """Staff end a draft or sent envelope with a reason. Once it was sent every signer is told,
    those still waiting for an earlier signer too; a draft reached no one and tells no one."""
    authz.require_staff(actor)
    envelope = get_envelope(session, actor=actor, envelope_id=envelope_id)
    reason = (reason or "").strip()
    problem = text_problem(reason, multiline=True)
    if not reason or problem or len(reason) > MAX_MESSAGE:
        message = problem or "Say why the envelope is voided (up to 4000 characters)."
        raise ValidationFailed(message, fields={"reason": message})
    if envelope.status not in OPEN:
        raise Conflict(f"A {envelope.status} envelope cannot be voided.")
    moment, was_sent = clock(), envelope.status == EnvelopeStatus.SENT
    end(session, envelope, EnvelopeStatus.VOIDED, clock=clock)
    envelope.void_reason = reason
    session.add(envelope)
    for signer in signers_of(session, envelope.id) if was_sent else ():
        emails.voided(session, signer, envelope, reason=reason, reached=signer.status != SignerStatus.WAITING)
    trail.record(
        session,
        "esign.voided",
        actor=actor,
        target=envelope,
        organization=envelope.organization_id,
        meta={"at": moment.isoformat()},
        clock=clock,
    )
    return envelope


def end(session: Session, envelope: Envelope, status: EnvelopeStatus, *, clock: Clock = now) -> None:
    """Close an open envelope as declined, voided or expired: no link works any more."""
    moment = clock()
    envelope.status, envelope.ended_at, envelope.updated_at = status, moment, moment
    session.add(envelope)
    for signer in signers_of(session, envelope.id):
        signer.link_hash = None
        session.add(signer)
    session.flush()


# Internals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Details:
    title: str
    message: str
    expires_at: datetime
    remind_every_days: int


def _check_details(
    title: str, message: str, expires_at: datetime | None, remind_every_days: int, moment: datetime
) -> _Details:
    problems: dict[str, str] = {}
    title = clean_line(title)
    if not title or len(title) > 200:
        problems["title"] = "Give the envelope a title of up to 200 characters."
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE or text_problem(message, multiline=True):
        problems["message"] = "Keep the message to 4000 characters, without control characters."
    expires_at = expires_at or moment + DEFAULT_LIFETIME
    if expires_at.tzinfo is None:
        problems["expires_at"] = "Give the expiry with a time zone."
    elif not moment < expires_at <= moment + MAX_LIFETIME:
        problems["expires_at"] = "The expiry must be in the future and within a year."
    if not 0 <= remind_every_days <= MAX_REMIND_EVERY_DAYS:
        problems["remind_every_days"] = f"Remind every 0 (never) to {MAX_REMIND_EVERY_DAYS} days."
    if problems:
        raise ValidationFailed("Some envelope details are missing or invalid.", fields=problems)
    return _Details(title, message, expires_at, remind_every_days)


def _check_signers(session: Session, signers: Sequence[SignerInput]) -> list[tuple[SignerInput, int | None]]:
    if not 1 <= len(signers) <= MAX_SIGNERS:
        message = f"Name between 1 and {MAX_SIGNERS} signers."
        raise ValidationFailed(message, fields={"signers": message})
    seen: set[str] = set()
    checked = []
    for index, person in enumerate(signers, start=1):
        name = clean_line(person.name)
        if not name or len(name) > 200:
            message = f"Signer {index} needs a name (up to 200 characters)."
            raise ValidationFailed(message, fields={"signers": message})
        try:
            email = normalize_email(person.email)
        except ValidationFailed:
            message = f"Signer {index} needs a valid e-mail address."
            raise ValidationFailed(message, fields={"signers": message}) from None
        if email in seen:
            message = f"{email} is named twice; each signer signs once."
            raise ValidationFailed(message, fields={"signers": message})
        seen.add(email)
        user = session.scalars(select(User).where(User.email == email)).first()
        if person.countersigner and not (user is not None and authz.is_staff(user)):
            message = f"The countersigner {email} must be a Fluxent staff account."
            raise ValidationFailed(message, fields={"signers": message})
        checked.append((SignerInput(name, email, person.countersigner), user.id if user is not None else None))
    return checked


def check_field(envelope: Envelope, field: FieldInput, index: int) -> None:
    where = f"Field {index + 1}" if index else "The field"
    problem = ""
    if not 0 <= field.page < envelope.page_count:
        problem = f"{where} is on page {field.page + 1}; the document has {envelope.page_count}."
    elif not (field.width >= MIN_FIELD_SIZE and field.height >= MIN_FIELD_SIZE):
        problem = f"{where} is too small."
    elif not (0 <= field.x and 0 <= field.y and field.x + field.width <= 1 and field.y + field.height <= 1):
        problem = f"{where} must lie within its page."
    elif len(field.label) > 100 or text_problem(field.label):
        problem = f"{where} has a label that is too long or holds control characters."
    if problem:
        raise ValidationFailed(problem, fields={"fields": problem})


def field_row(envelope: Envelope, signer_id: int, field: FieldInput, index: int) -> EnvelopeField:
    try:
        kind = FieldKind(field.kind)
    except ValueError:
        raise ValidationFailed("Unknown field kind.", fields={"fields": "Unknown field kind."}) from None
    check_field(envelope, field, index)
    return EnvelopeField(
        envelope_id=envelope.id,
        signer_id=signer_id,
        kind=kind,
        page=field.page,
        x=field.x,
        y=field.y,
        width=field.width,
        height=field.height,
        required=field.required if kind != FieldKind.CHECKBOX else False,
        label=field.label.strip(),
    )


def draft(session: Session, actor: User, envelope_id: int) -> Envelope:
    """The envelope, for staff, while it is a draft; Conflict (409) once it was sent."""
    authz.require_staff(actor)
    envelope = get_envelope(session, actor=actor, envelope_id=envelope_id)
    if envelope.status != EnvelopeStatus.DRAFT:
        raise Conflict(f"The envelope is {envelope.status}; only drafts can be changed.")
    return envelope


def _invite(session: Session, envelope: Envelope, signer: EnvelopeSigner, *, reminder: bool, clock: Clock) -> None:
    raw = new_token()
    signer.link_hash = link_hash(raw)
    signer.status = SignerStatus.INVITED
    signer.invited_at = signer.invited_at or clock()
    session.add(signer)
    session.flush()
    if signer.user_id is not None and not reminder:
        # The e-mail below is the legal notice and always goes; the portal's bell shows the request too.
        notify(
            session,
            signer.user_id,
            Kind.SIGNATURE_REQUESTED,
            f"Please sign \u201c{envelope.title}\u201d",
            PORTAL_SIGNATURES,
            mail=False,
            clock=clock,
        )
    emails.invitation(session, signer, envelope, token=raw, reminder=reminder)
