"""A test-only router beside the real API, served through the same middleware as the app.

Test modules import the ``make_client`` / ``client`` fixtures from here.

Feature routes arrive later; these stand-ins exercise each kind of body (JSON,
form, upload), HTML pages with inline scripts, and every error path.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator
from typing import Annotated

import pytest
from fastapi import File, Form, UploadFile
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from fluxent.api.app import create_api, wrap_asgi
from fluxent.api.routing import APIRouter
from fluxent.core import errors
from fluxent.core.settings import reset_settings

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


@pytest.fixture
def make_client(monkeypatch) -> Iterator[ClientFactory]:
    """Build the app as production does, after applying FLUXENT_* overrides."""
    clients: list[TestClient] = []

    def make(**env: str) -> TestClient:
        for name, value in env.items():
            monkeypatch.setenv(f"FLUXENT_{name.upper()}", value)
        reset_settings()
        client = TestClient(wrap_asgi(create_api(router)), raise_server_exceptions=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: ClientFactory) -> TestClient:
    return make_client()
