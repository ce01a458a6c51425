"""``POST /api/v1/verify/``: public check of a PDF against the documents Fluxent sealed.

Multipart with one ``file`` part; the body is hashed as it streams and never stored
(``services.esign.verify``). Requests are counted per client address (429 past the
allowance) and the body guard caps the size (413).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from fluxent import routes
from fluxent.api.identity import client_info
from fluxent.api.listing import iso
from fluxent.api.multipart_stream import StreamedForm, StreamedUploadRoute
from fluxent.api.routing import APIRouter, api_path
from fluxent.services.esign import verify

router = APIRouter(prefix=api_path(routes.API_VERIFY).rstrip("/"), tags=["verify"])

VERIFY_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            }
        },
    }
}


def verdict_json(verdict: verify.Verdict) -> dict[str, Any]:
    if verdict.match is None:
        return {"match": False, "sha256": verdict.sha256}
    match = verdict.match
    return {
        "match": True,
        "sha256": verdict.sha256,
        "envelope": {
            "id": match.envelope_id,
            "title": match.title,
            "completed_at": iso(match.completed_at),
            "signers": [{"name": s.name, "signed_at": iso(s.signed_at)} for s in match.signers],
        },
    }


async def verify_file(request: Request) -> dict[str, Any]:
    client = client_info(request)
    await run_in_threadpool(verify.count_request, client.ip)
    form = StreamedForm(request)
    await form.fields_and_filename()
    return verdict_json(await run_in_threadpool(lambda: verify.check_stream(form.sync_chunks())))


router.add_api_route(
    "/",
    verify_file,
    methods=["POST"],
    route_class_override=StreamedUploadRoute,
    openapi_extra=VERIFY_BODY,
)
