"""``POST /api/v1/webhooks/stripe/``: Stripe's signed event notifications.

No cookie, no CSRF token: the ``Stripe-Signature`` header over the raw body is the proof
(``services.billing.webhooks``). A bad signature, a stale timestamp or a body that is not
an event gets 400 and stores nothing; a redelivered event gets 200 and changes nothing.
A genuine event is stored and answered at once; ``services.billing.webhook_queue`` acts on it
afterwards (Stripe asks for a fast 2xx).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from fluxent import routes
from fluxent.api.routing import JSON, APIRouter, api_path
from fluxent.services.billing import webhooks

router = APIRouter(tags=["billing"])
RAW_JSON_BODY = {"requestBody": {"required": True, "content": {JSON: {"schema": {"type": "object"}}}}}


@router.post(api_path(routes.API_STRIPE_WEBHOOK), openapi_extra=RAW_JSON_BODY)
async def stripe_webhook(request: Request) -> dict[str, Any]:
    payload = await request.body()
    outcome = await run_in_threadpool(webhooks.receive, payload, request.headers.get("stripe-signature"))
    return {"received": True, "duplicate": outcome.duplicate}
