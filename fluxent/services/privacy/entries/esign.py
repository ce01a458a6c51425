"""Privacy registrations for e-signature: signers with their consent and signing evidence,
and the envelopes staff create (imported from ``privacy.entries``, which holds the registry).

Signatures are kept under legal claims for as long as the contract they belong to:
erasing a signer's account keeps the executed document, its certificate and the
evidence behind them, because the other party relies on them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from fluxent.models.esign import Envelope, EnvelopeSigner
from fluxent.services.privacy.policy import PROJECT_CONTENT, RETENTION_ACCOUNTS, LegalBasis
from fluxent.services.privacy.registry import Anonymize, ExportContext, Registry, Retain, Section
from fluxent.services.privacy.sections import (
    OPTIONAL_STRING,
    OPTIONAL_TIMESTAMP,
    STRING,
    closed_object,
    iso,
    list_of,
)

KEPT_FOR_LEGAL_CLAIMS = (
    "Signed documents, their completion certificates and the signing evidence behind them (consent, "
    "verification, time, IP address, user agent) are kept for as long as the contract they belong to, "
    "for the establishment or defence of legal claims by either party (GDPR Art. 17(3)(e))."
)


def _signatures(ctx: ExportContext) -> list[dict[str, Any]]:
    rows = ctx.session.execute(
        select(EnvelopeSigner, Envelope)
        .join(Envelope, Envelope.id == EnvelopeSigner.envelope_id)
        .where(or_(EnvelopeSigner.user_id == ctx.user.id, EnvelopeSigner.email == ctx.user.email))
        .order_by(EnvelopeSigner.id)
    )
    return [
        {
            "envelope": envelope.id,
            "document": envelope.title,
            "envelope_status": str(envelope.status),
            "your_status": str(signer.status),
            "email": signer.email,
            "name": signer.name,
            "verified_by": signer.verified_by or None,
            "consent_version": signer.consent_version or None,
            "consented_at": iso(signer.consented_at),
            "consent_ip": signer.consent_ip or None,
            "consent_user_agent": signer.consent_user_agent or None,
            "signature_kind": signer.signature_kind or None,
            "signed_at": iso(signer.signed_at),
            "signed_ip": signer.signed_ip or None,
            "signed_user_agent": signer.signed_user_agent or None,
            "declined_at": iso(signer.declined_at),
            "decline_reason": signer.decline_reason or None,
            "original_sha256": envelope.original_sha256,
            "final_sha256": envelope.final_sha256,
        }
        for signer, envelope in rows
    ]


SIGNATURES = Section(
    "signatures",
    list_of(
        closed_object(
            {
                "envelope": {"type": "integer"},
                "document": STRING,
                "envelope_status": STRING,
                "your_status": STRING,
                "email": STRING,
                "name": STRING,
                "verified_by": OPTIONAL_STRING,
                "consent_version": OPTIONAL_STRING,
                "consented_at": OPTIONAL_TIMESTAMP,
                "consent_ip": OPTIONAL_STRING,
                "consent_user_agent": OPTIONAL_STRING,
                "signature_kind": OPTIONAL_STRING,
                "signed_at": OPTIONAL_TIMESTAMP,
                "signed_ip": OPTIONAL_STRING,
                "signed_user_agent": OPTIONAL_STRING,
                "declined_at": OPTIONAL_TIMESTAMP,
                "decline_reason": OPTIONAL_STRING,
                "original_sha256": STRING,
                "final_sha256": OPTIONAL_STRING,
            }
        )
    ),
    _signatures,
)


def register_esign(registry: Registry) -> None:
    registry.register(
        table="esign_signer",
        description="Documents you were asked to sign: your name and e-mail, consent to electronic records, "
        "your signature, and when, from which IP address and browser you consented and signed",
        personal=(
            "name",
            "email",
            "consent_ip",
            "consent_user_agent",
            "signature_kind",
            "signature_text",
            "signature_image",
            "signed_ip",
            "signed_user_agent",
            "decline_reason",
        ),
        categories=(PROJECT_CONTENT,),
        basis=LegalBasis.LEGITIMATE_INTEREST,
        retention=RETENTION_ACCOUNTS,
        retention_detail="kept as long as the contract it belongs to (legal claims), also after account erasure",
        export=SIGNATURES,
        erase=Retain(KEPT_FOR_LEGAL_CLAIMS),
        owner=("user_id",),
        owner_email=("email",),
    )
    registry.register(
        table="esign_envelope",
        description="Documents you sent out for signature as Fluxent staff",
        personal=("created_by_id",),
        categories=(PROJECT_CONTENT,),
        basis=LegalBasis.CONTRACT,
        retention=RETENTION_ACCOUNTS,
        retention_detail="the envelope belongs to the client's engagement and stays; your link to it is removed",
        export=(),
        erase=Anonymize({"created_by_id": None}),
        owner=("created_by_id",),
    )
