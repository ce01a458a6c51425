"""Completing an envelope once everyone has signed: fields stamped into the PDF, the
completion certificate appended, the PAdES seal applied; the result filed in the
engagement's documents, e-mailed to every party, and the envelope locked.

The PDF work runs outside any transaction (on SQLite a writer holds the whole
database's write lock): one read unit gathers what is needed, the rendering and
sealing run with no transaction open, and one short write unit records the result,
checking first that nobody completed or ended the envelope meanwhile.

Completion is never left stuck: when it fails after the last signature (the seal
certificate unreadable, the storage full), the envelope stays ``sent`` with every
signer signed, and ``complete_stuck`` finishes it later, from the daily reminders
command and from the next signer or staff view of it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.db import read_scope, session_scope
from fluxent.core.settings import get_settings
from fluxent.core.storage import Storage, get_storage
from fluxent.models.accounts import Organization, User
from fluxent.models.documents import Document
from fluxent.models.esign import Envelope, EnvelopePurpose, EnvelopeSigner, EnvelopeStatus, SignerStatus
from fluxent.routes import VERIFY
from fluxent.services.accounts import authz
from fluxent.services.audit import trail
from fluxent.services.esign import emails, envelopes, pdf, seal
from fluxent.services.esign.signing import METHOD_LABELS
from fluxent.services.portal import documents
from fluxent.services.portal.engagements import activate_on_signature

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retry:
    completed: int
    failed: int


@dataclass(frozen=True)
class _Work:
    envelope_id: int
    original_storage_key: str
    filer_id: int | None
    upload: documents.UploadTarget | None
    certificate: pdf.Certificate
    stamps: tuple[pdf.Stamp, ...]
    filename: str


def complete(envelope_id: int, *, storage: Storage | None = None, clock: Clock = now) -> bool:
    """Seal and file a fully signed envelope; False when it is not (or no longer) ready.

    The caller must not hold a transaction itself.
    """
    storage = storage or get_storage()
    moment = clock()
    with read_scope() as session:
        work = _gather(session, envelope_id, moment)
    if work is None:
        return False
    original = b"".join(storage.read(work.original_storage_key))
    sealed = seal.seal(
        pdf.signed(original, work.stamps, work.certificate), reason=f"Signed by every party (envelope {envelope_id})"
    )
    if work.upload is not None:
        stored = documents.store_upload(work.upload, filename=work.filename, chunks=[sealed], storage=storage)
        key, size, digest = stored.key, stored.size, stored.sha256
    else:
        stored, key = None, f"esign/env-{envelope_id}/sealed"
        storage.write(key, [sealed])
        size, digest = len(sealed), _sha256(sealed)
    try:
        with session_scope() as session:
            done = _record(session, work, key, size, digest, stored, sealed, clock)
    except BaseException:
        storage.delete(key)
        raise
    if not done:
        storage.delete(key)
    return done


def stuck(session: Session, envelope_ids: Iterable[int] | None = None) -> list[int]:
    """Sent envelopes (among ``envelope_ids`` when given) whose every signer has signed."""
    unsigned = select(EnvelopeSigner.id).where(
        EnvelopeSigner.envelope_id == Envelope.id, EnvelopeSigner.status != SignerStatus.SIGNED
    )
    signed = select(EnvelopeSigner.id).where(EnvelopeSigner.envelope_id == Envelope.id)
    statement = select(Envelope.id).where(Envelope.status == EnvelopeStatus.SENT, exists(signed), ~exists(unsigned))
    if envelope_ids is not None:
        statement = statement.where(Envelope.id.in_(list(envelope_ids)))
    return list(session.scalars(statement.order_by(Envelope.id)).all())


def complete_stuck(
    envelope_ids: Iterable[int] | None = None, *, storage: Storage | None = None, clock: Clock = now
) -> Retry:
    """Complete every stuck envelope (among ``envelope_ids`` when given); a failure is logged
    and leaves that envelope for the next try. The caller must not hold a transaction."""
    with read_scope() as session:
        ids = stuck(session, envelope_ids)
    completed = failed = 0
    for envelope_id in ids:
        try:
            completed += complete(envelope_id, storage=storage, clock=clock)
        except Exception:
            logger.exception("completing envelope %s failed; it is tried again later", envelope_id)
            failed += 1
    return Retry(completed=completed, failed=failed)


def _gather(session: Session, envelope_id: int, moment: datetime) -> _Work | None:
    envelope = session.get(Envelope, envelope_id)
    if envelope is None or envelope.status != EnvelopeStatus.SENT:
        return None
    signers = envelopes.signers_of(session, envelope.id)
    if not signers or any(signer.status != SignerStatus.SIGNED for signer in signers):
        return None
    by_id = {signer.id: signer for signer in signers}
    stamps = []
    for field in envelopes.fields_of(session, envelope.id):
        signer = by_id[field.signer_id]
        image = None
        text = field.value
        if field.kind == "signature":
            if signer.signature_kind == "drawn":
                image = pdf.png_from_data_url(signer.signature_image)
            text = signer.signature_text
        stamps.append(pdf.Stamp(field.page, field.x, field.y, field.width, field.height, str(field.kind), text, image))
    organization = session.get(Organization, envelope.organization_id)
    filer = _filer(session, envelope, signers)
    upload = None
    if filer is not None:
        upload = documents.prepare_upload(
            session,
            actor=filer,
            organization_id=envelope.organization_id if envelope.engagement_id is None else None,
            engagement_id=envelope.engagement_id,
        )
    certificate = pdf.Certificate(
        envelope_id=envelope.id,
        title=envelope.title,
        organization=organization.name if organization else "",
        sent_at=envelope.sent_at,
        completed_at=moment,
        original_sha256=envelope.original_sha256,
        original_name=_original_name(session, envelope),
        verify_url=get_settings().base_url + VERIFY,
        signers=[
            pdf.CertificateSigner(
                name=signer.name,
                email=signer.email,
                role="Fluxent countersigner" if signer.countersigner else "Client",
                verified_by=METHOD_LABELS.get(signer.verified_by, signer.verified_by),
                consent_version=signer.consent_version,
                consented_at=signer.consented_at,
                signed_at=signer.signed_at,
                ip=signer.signed_ip,
                user_agent=signer.signed_user_agent,
            )
            for signer in signers
        ],
    )
    return _Work(
        envelope_id=envelope.id,
        original_storage_key=envelope.original_storage_key,
        filer_id=filer.id if filer is not None else None,
        upload=upload,
        certificate=certificate,
        stamps=tuple(stamps),
        filename=envelopes.sealed_filename(envelope),
    )


def _original_name(session: Session, envelope: Envelope) -> str:
    return f"{session.get(Document, envelope.document_id).filename}, version {envelope.document_version}"


def _filer(session: Session, envelope: Envelope, signers: list[EnvelopeSigner]) -> User | None:
    """Who files the sealed PDF among the documents: the envelope's author, else a staff countersigner."""
    candidates = [envelope.created_by_id, *(s.user_id for s in signers if s.countersigner)]
    for user_id in candidates:
        user = session.get(User, user_id) if user_id else None
        if user is not None and user.is_active and authz.is_staff(user):
            return user
    return None


def _record(
    session: Session,
    work: _Work,
    key: str,
    size: int,
    digest: str,
    stored: documents.StoredFile | None,
    sealed: bytes,
    clock: Clock,
) -> bool:
    envelope = session.get(Envelope, work.envelope_id, with_for_update=True, populate_existing=True)
    if envelope is None or envelope.status != EnvelopeStatus.SENT:
        return False  # voided or completed meanwhile: the sealed file is dropped
    if stored is not None:
        filer = session.get(User, work.filer_id)
        document = documents.record_upload(session, actor=filer, target=work.upload, stored=stored, clock=clock)
        envelope.final_document_id = document.id
    # The time the certificate states, so that the record and the sealed page agree.
    moment = work.certificate.completed_at
    envelope.status, envelope.completed_at, envelope.updated_at = EnvelopeStatus.COMPLETED, moment, moment
    envelope.final_sha256, envelope.final_storage_key, envelope.final_size = digest, key, size
    session.add(envelope)
    session.flush()
    trail.record(
        session,
        "esign.completed",
        target=envelope,
        organization=envelope.organization_id,
        meta={"original_sha256": envelope.original_sha256, "final_sha256": digest},
        clock=clock,
    )
    if envelope.engagement_id is not None and envelope.purpose == EnvelopePurpose.STATEMENT_OF_WORK:
        activate_on_signature(session, engagement_id=envelope.engagement_id, envelope_id=envelope.id, clock=clock)
    parties = [signer.email for signer in envelopes.signers_of(session, envelope.id)]
    creator = session.get(User, envelope.created_by_id) if envelope.created_by_id else None
    if creator is not None and creator.is_active:
        parties.append(creator.email)
    for address in dict.fromkeys(parties):
        emails.completed(session, address, envelope, filename=work.filename, sealed=sealed)
    return True


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
