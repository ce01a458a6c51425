"""``/api/v1/envelopes/``: e-signature envelopes. Staff create, send, remind and void them;
staff and members of the envelope's organization read them, their completion certificate
and the sealed PDF. ``services.esign`` decides who may do what (outsiders get 404).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Header, Path, Query
from fastapi.responses import Response, StreamingResponse
from pydantic import Field

from fluxent import routes
from fluxent.api.identity import CSRF, DB, CurrentCaller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.listing import Paging, iso, page_body
from fluxent.api.routing import APIRouter, api_path
from fluxent.core.errors import Conflict
from fluxent.core.filenames import content_disposition
from fluxent.core.settings import get_settings
from fluxent.models.esign import Envelope, EnvelopeStatus, FieldKind, SigningOrder
from fluxent.services.esign import envelopes, page_access
from fluxent.services.esign.envelopes import FieldInput, SignerInput
from fluxent.services.esign.signing import METHOD_LABELS

router = APIRouter(prefix=api_path(routes.API_ENVELOPES).rstrip("/"), tags=["envelopes"])


class SignerIn(RequestBody):
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    countersigner: bool = False


class FieldIn(RequestBody):
    signer: int = Field(ge=0, le=envelopes.MAX_SIGNERS - 1, description="index in `signers`")
    kind: FieldKind
    page: int = Field(ge=0, le=10_000, description="0-based page number")
    x: float = Field(ge=0, le=1)
    y: float = Field(ge=0, le=1)
    width: float = Field(gt=0, le=1)
    height: float = Field(gt=0, le=1)
    required: bool = True
    label: str = Field(default="", max_length=100)


class EnvelopeIn(RequestBody):
    document: Id
    signers: list[SignerIn] = Field(min_length=1, max_length=envelopes.MAX_SIGNERS)
    order: SigningOrder = SigningOrder.SEQUENTIAL
    fields: list[FieldIn] = Field(default_factory=list, max_length=envelopes.MAX_FIELDS)
    title: str = Field(default="", max_length=200)
    message: str = Field(default="", max_length=envelopes.MAX_MESSAGE)
    expires_at: datetime | None = None
    remind_every_days: int = Field(default=0, ge=0, le=envelopes.MAX_REMIND_EVERY_DAYS)


class VoidIn(RequestBody):
    reason: str = Field(max_length=envelopes.MAX_MESSAGE)


def envelope_json(envelope: Envelope) -> dict[str, Any]:
    return {
        "id": envelope.id,
        "organization_id": envelope.organization_id,
        "engagement_id": envelope.engagement_id,
        "document_id": envelope.document_id,
        "document_version": envelope.document_version,
        "purpose": str(envelope.purpose),
        "title": envelope.title,
        "message": envelope.message,
        "order": str(envelope.signing_order),
        "status": str(envelope.status),
        "page_count": envelope.page_count,
        "original_sha256": envelope.original_sha256,
        "final_sha256": envelope.final_sha256,
        "final_document_id": envelope.final_document_id,
        "expires_at": iso(envelope.expires_at),
        "remind_every_days": envelope.remind_every_days,
        "void_reason": envelope.void_reason or None,
        "created_at": iso(envelope.created_at),
        "sent_at": iso(envelope.sent_at),
        "completed_at": iso(envelope.completed_at),
        "ended_at": iso(envelope.ended_at),
        "download_url": routes.api_envelope_download(envelope.id)
        if envelope.status == EnvelopeStatus.COMPLETED
        else None,
    }


def _detail(db, envelope: Envelope) -> dict[str, Any]:
    signers = envelopes.signers_of(db, envelope.id)
    index = {signer.id: position for position, signer in enumerate(signers)}
    return {
        **envelope_json(envelope),
        "signers": [
            {
                "id": signer.id,
                "position": signer.position,
                "name": signer.name,
                "email": signer.email,
                "countersigner": signer.countersigner,
                "status": str(signer.status),
                "signed_at": iso(signer.signed_at),
                "declined_at": iso(signer.declined_at),
            }
            for signer in signers
        ],
        "fields": [
            {
                "id": field.id,
                "signer": index[field.signer_id],
                "kind": str(field.kind),
                "page": field.page,
                "x": field.x,
                "y": field.y,
                "width": field.width,
                "height": field.height,
                "required": field.required,
                "label": field.label,
                "filled": field.filled_at is not None,
            }
            for field in envelopes.fields_of(db, envelope.id)
        ],
    }


@router.get("/")
def list_envelopes(
    caller: CurrentCaller,
    db: DB,
    paging: Paging,
    status: Annotated[EnvelopeStatus | None, Query()] = None,
    organization: Annotated[Id | None, Query()] = None,
) -> dict[str, Any]:
    page = envelopes.list_envelopes(
        db, actor=caller.user, status=status, organization_id=organization, page=paging.page, page_size=paging.page_size
    )
    return page_body(page, envelope_json)


@router.post("/", status_code=201, dependencies=[CSRF])
def create_envelope(body: EnvelopeIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    envelope = envelopes.create_envelope(
        db,
        actor=caller.user,
        document_id=body.document,
        signers=[SignerInput(s.name, s.email, s.countersigner) for s in body.signers],
        fields=[
            FieldInput(f.signer, f.kind, f.page, f.x, f.y, f.width, f.height, f.required, f.label) for f in body.fields
        ],
        order=body.order,
        title=body.title,
        message=body.message,
        expires_at=body.expires_at,
        remind_every_days=body.remind_every_days,
    )
    return _detail(db, envelope)


@router.get("/{envelope_id}/")
def get_envelope(envelope_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return _detail(db, envelopes.get_envelope(db, actor=caller.user, envelope_id=envelope_id))


@router.post("/{envelope_id}/send/", dependencies=[CSRF])
def send_envelope(envelope_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return _detail(db, envelopes.send_envelope(db, actor=caller.user, envelope_id=envelope_id))


@router.post("/{envelope_id}/void/", dependencies=[CSRF])
def void_envelope(envelope_id: Id, body: VoidIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return _detail(db, envelopes.void_envelope(db, actor=caller.user, envelope_id=envelope_id, reason=body.reason))


@router.post("/{envelope_id}/remind/", dependencies=[CSRF])
def remind_signers(envelope_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return {"reminded": envelopes.remind(db, actor=caller.user, envelope_id=envelope_id)}


@router.get("/{envelope_id}/certificate/")
def get_certificate(envelope_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    """The completion certificate's contents (the same as the sealed PDF's last page)."""
    envelope = envelopes.get_envelope(db, actor=caller.user, envelope_id=envelope_id)
    if envelope.status != EnvelopeStatus.COMPLETED:
        raise Conflict("The envelope is not completed yet; there is no certificate.")
    return {
        "envelope_id": envelope.id,
        "title": envelope.title,
        "sent_at": iso(envelope.sent_at),
        "completed_at": iso(envelope.completed_at),
        "original_sha256": envelope.original_sha256,
        "final_sha256": envelope.final_sha256,
        "verify_url": get_settings().base_url + routes.VERIFY,
        "signers": [
            {
                "name": signer.name,
                "email": signer.email,
                "countersigner": signer.countersigner,
                "verified_by": METHOD_LABELS.get(signer.verified_by, signer.verified_by),
                "consent_version": signer.consent_version,
                "consented_at": iso(signer.consented_at),
                "signed_at": iso(signer.signed_at),
                "ip": signer.signed_ip,
                "user_agent": signer.signed_user_agent,
            }
            for signer in envelopes.signers_of(db, envelope.id)
        ],
    }


@router.get(api_path(routes.API_ENVELOPE_PAGE).removeprefix(router.prefix))
def page_image(
    envelope_id: Id,
    page: Annotated[int, Path(ge=0, le=10_000)],
    grant: Annotated[str, Query(max_length=200)] = "",
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """A page of the envelope's document as a JPEG, for the URL's grant (no cookie needed:
    signers may have no account); ``services.esign.page_access`` checks the grant and the right."""
    source = page_access.open_page(envelope_id=envelope_id, page=page, grant=grant)
    headers = {
        "Cache-Control": f"private, max-age={source.max_age}",
        "ETag": source.etag,
        "X-Content-Type-Options": "nosniff",
    }
    if if_none_match == source.etag:
        return Response(status_code=304, headers=headers)
    return Response(page_access.page_jpeg(source), media_type="image/jpeg", headers=headers)


@router.get(api_path(routes.API_ENVELOPE_DOWNLOAD).removeprefix(router.prefix))
def download_sealed(envelope_id: Id, caller: CurrentCaller, db: DB) -> StreamingResponse:
    sealed = envelopes.open_sealed(db, actor=caller.user, envelope_id=envelope_id)
    db.commit()  # the audit row now, not after the last byte
    headers = {
        "Content-Disposition": content_disposition(sealed.filename),
        "Content-Length": str(sealed.size),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    return StreamingResponse(sealed.chunks, media_type="application/pdf", headers=headers)
