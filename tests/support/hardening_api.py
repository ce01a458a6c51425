"""A test-only router beside the real API, served through the same middleware as the app.

The ``make_client`` / ``client`` fixtures that serve it are in ``tests/api/conftest.py``.

Feature routes arrive later; these stand-ins exercise each kind of body (JSON,
form, upload), HTML pages with inline scripts, and every error path.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from typing import Annotated

from fastapi import File, Form, UploadFile
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from fluxent.api.routing import APIRouter
from fluxent.core import errors

THEME_SCRIPT = "document.documentElement.classList.add('dark');"
CONTEXT_SCRIPT = '\nwindow.__ctx = {"a": "</p>"};\n'
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'>"
    f"<script>{THEME_SCRIPT}</script>"
    '<script type="module" src="/assets/app.js"></script>'
    "</head><body><p>Hello</p>"
    f'<script id="ctx">{CONTEXT_SCRIPT}</script>'
    "</body></html>"
)

router = APIRouter(prefix="/test")


class Item(BaseModel):
    name: str = Field(min_length=1)
    quantity: int


@router.post("/json")
def create_item(item: Item) -> dict[str, object]:
    return {"name": item.name, "quantity": item.quantity}


@router.post("/form")
def submit_form(name: Annotated[str, Form()]) -> dict[str, str]:
    return {"name": name}


@router.post("/upload")
async def upload(file: Annotated[UploadFile, File()]) -> dict[str, int]:
    return {"size": len(await file.read())}


@router.post("/no-body")
def no_body() -> dict[str, bool]:
    return {"ok": True}


@router.get("/boom")
def boom() -> None:
    raise RuntimeError("db password is hunter2")


DOMAIN_ERRORS: dict[str, errors.DomainError] = {
    "validation": errors.ValidationFailed("Check the form.", fields={"email": "Not an e-mail address."}),
    "auth": errors.NotAuthenticated("Sign in first."),
    "permission": errors.PermissionDenied("Not yours."),
    "missing": errors.NotFound("No such engagement."),
    "conflict": errors.Conflict("Already signed."),
    "rate": errors.RateLimited("Slow down.", retry_after=42),
    "base": errors.DomainError("Something is off."),
}


@router.get("/domain/{kind}")
def domain_error(kind: str) -> None:
    raise DOMAIN_ERRORS[kind]


@router.get("/page", response_class=HTMLResponse)
def page() -> str:
    return PAGE


@router.get("/page-gz")
def page_gz() -> Response:
    return Response(gzip.compress(PAGE.encode()), media_type="text/html", headers={"Content-Encoding": "gzip"})


@router.get("/page-stream")
def page_stream() -> StreamingResponse:
    half = len(PAGE) // 2
    return StreamingResponse(iter([PAGE[:half].encode(), PAGE[half:].encode()]), media_type="text/html")


ClientFactory = Callable[..., TestClient]
