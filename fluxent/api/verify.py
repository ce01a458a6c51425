"""``POST /api/v1/verify/``: public check of a PDF against the documents Fluxent sealed.

Multipart with one ``file`` part; the body is hashed as it streams and never stored
(``services.esign.verify``). Requests are counted per client address (429 past the
allowance) and the body guard caps the size (413).

The ``/verify`` page posts a plain HTML form to ``?respond=page``: it gets ``303`` back
to ``/verify?sha256=<hex>`` (or ``?error=<code>``), and the page shows the answer for
that hash.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from fluxent import routes
from fluxent.api.identity import client_info
from fluxent.api.listing import iso
from fluxent.api.multipart_stream import StreamedForm, StreamedUploadRoute
from fluxent.api.routing import APIRouter, api_path
from fluxent.core.errors import DomainError
from fluxent.core.settings import get_settings
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
            "final_sha256": match.sha256,
            "original_sha256": match.original_sha256,
            "signers": [{"name": s.name, "signed_at": iso(s.signed_at)} for s in match.signers],
        },
    }


async def verify_file(request: Request, respond: Annotated[Literal["json", "page"], Query()] = "json") -> Any:
    client = client_info(request)
    try:
        await run_in_threadpool(verify.count_request, client.ip)
        form = StreamedForm(request)
        await form.fields_and_filename()
        verdict = await run_in_threadpool(lambda: verify.check_stream(form.sync_chunks()))
    except DomainError as error:
        if respond == "page":
            return _back_to_page(f"error={error.code}")
        raise
    if respond == "page":
        return _back_to_page(f"sha256={verdict.sha256}")
    return verdict_json(verdict)


def _back_to_page(query: str) -> RedirectResponse:
    return RedirectResponse(f"{get_settings().base_url}{routes.VERIFY}?{query}", status_code=303)


router.add_api_route(
    "/",
    verify_file,
    methods=["POST"],
    route_class_override=StreamedUploadRoute,
    openapi_extra=VERIFY_BODY,
)
