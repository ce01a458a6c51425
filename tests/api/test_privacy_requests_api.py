"""``/api/v1/privacy-requests/``: who may call what, validation that changes nothing, the clock
through the API, and the e-mailed export link that needs no sign-in."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from fluxent import routes
from fluxent.core import db
from fluxent.core.cookies import CSRF_COOKIE
from fluxent.models.marketing import Lead
from fluxent.models.privacy import PrivacyRequest
from fluxent.services.privacy import fulfilment, requests
from tests.support.portal import client_for, outbox

SUBJECT = "dana@northwind.example"
NEW = {"kind": "access", "email": SUBJECT, "name": "Dana Whitfield", "details": "Everything you hold"}


@pytest.fixture
def logged(session, world) -> PrivacyRequest:
    request = requests.log_request(session, requests.RequestForm(**NEW), actor=world.staff)
    session.commit()
    return request


def _url(request_id: int, tail: str = "") -> str:
    return routes.API_PRIVACY_REQUEST.format(request_id=request_id) + tail


def _rows(session) -> list[tuple]:
    with Session(db.get_engine()) as fresh:
        return [
            (r.id, r.status, r.due_at, r.extended_at, r.staff_note, r.outcome)
            for r in fresh.scalars(select(PrivacyRequest).order_by(PrivacyRequest.id))
        ]


@pytest.mark.parametrize(
    ("method", "tail", "body", "expect"),
    [
        ("GET", "list", None, (401, 403, 200, 200)),
        ("POST", "list", NEW, (401, 403, 201, 201)),
        ("GET", "", None, (401, 403, 200, 200)),
        ("PATCH", "", {"staff_note": "Called her"}, (401, 403, 200, 200)),
        ("POST", "extend/", {"reason": "Paper records"}, (401, 403, 200, 409)),
        ("POST", "close/", {"outcome": "fulfilled"}, (401, 403, 403, 200)),
    ],
)
def test_staff_use_the_desk_admins_close_and_clients_are_refused(session, world, logged, method, tail, body, expect):
    url = routes.API_PRIVACY_REQUESTS if tail == "list" else _url(logged.id, tail)
    for person, status in zip((None, world.owner_a, world.staff, world.admin), expect, strict=True):
        before = _rows(session)
        answer = client_for(session, person).request(method, url, json=body)
        assert answer.status_code == status, (person and person.email, answer.text)
        if status >= 400:
            assert _rows(session) == before


def test_the_queue_shows_the_clock_and_the_detail_shows_the_audited_steps(session, world, logged):
    client = client_for(session, world.admin)
    listed = client.get(routes.API_PRIVACY_REQUESTS).json()
    assert listed["total"] == 2, "the world's request and this one"
    (item,) = [item for item in listed["items"] if item["id"] == logged.id]
    assert (item["reference"], item["clock"], item["verification"]) == (
        f"PR-{logged.id}",
        "on_time",
        "waiting for the subject's code",
    )
    extended = client.post(_url(logged.id, "extend/"), json={"reason": "Paper records"}).json()
    assert extended["extended_at"] and extended["due_at"] > item["due_at"]
    assert client.post(_url(logged.id, "extend/"), json={"reason": "Again"}).status_code == 409
    closed = client.post(_url(logged.id, "close/"), json={"outcome": "denied", "note": "Not verified"}).json()
    assert closed["status"] == "closed" and closed["clock"] == "closed"
    assert [step["action"] for step in closed["steps"]] == [
        "privacy.request_logged",
        "privacy.request_extended",
        "privacy.request_closed",
    ]


@pytest.mark.parametrize(
    "body",
    [
        {**NEW, "email": "not-an-address"},
        {**NEW, "kind": "everything"},
        {**NEW, "surprise": True},
        {**NEW, "details": "x" * 10_001},
        {**NEW, "name": "Dana\x00"},
        {**NEW, "kind": "appeal", "appeal_of": "PR-999999"},
    ],
)
def test_bad_requests_are_refused_and_store_nothing(session, world, body):
    client = client_for(session, world.staff)
    before = _rows(session)
    answer = client.post(routes.API_PRIVACY_REQUESTS, json=body)
    assert answer.status_code in (400, 422) and answer.json()
    assert _rows(session) == before


def test_bad_changes_and_unknown_ids_change_nothing(session, world, logged):
    client = client_for(session, world.admin)
    before = _rows(session)
    assert client.patch(_url(logged.id), json={"due_at": "2099-01-01T00:00:00Z"}).status_code == 422
    assert client.post(_url(logged.id, "close/"), json={"outcome": "denied"}).status_code in (400, 422)
    assert client.post(_url(logged.id, "extend/"), json={"reason": ""}).status_code in (400, 422)
    assert client.get(_url(logged.id + 999)).status_code == 404
    assert client.get(_url(10**30)).status_code == 422
    assert client.get(routes.API_PRIVACY_REQUESTS + "?status=lost").status_code == 422
    assert _rows(session) == before


def test_writes_need_the_csrf_token(session, world, logged):
    client = client_for(session, world.staff)
    client.headers.pop("X-CSRFToken")
    client.cookies.delete(CSRF_COOKIE)
    before = _rows(session)
    assert client.patch(_url(logged.id), json={"staff_note": "x"}).status_code == 403
    assert client.post(routes.API_PRIVACY_REQUESTS, json=NEW).status_code == 403
    assert _rows(session) == before


def test_the_export_link_downloads_the_document_without_a_sign_in(session, world, data_dir, logged):
    session.add(Lead(name="Dana Whitfield", email=SUBJECT, country="US", message="A dispatch board, please"))
    logged.subject_verified_at = logged.received_at
    session.add(logged)
    session.commit()
    fulfilment.send_export(session, actor=world.admin, request_id=logged.id)
    session.commit()
    text = outbox(data_dir, SUBJECT)[-1].get_body(("plain",)).get_content()
    token = re.search(r"/privacy-requests/exports/([A-Za-z0-9_-]+)/", text).group(1)

    answer = client_for(session, None).get(routes.api_privacy_export(token))
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store" and "attachment" in answer.headers["content-disposition"]
    assert answer.json()["leads"][0]["message"] == "A dispatch board, please"
    assert client_for(session, None).get(routes.api_privacy_export("forged-token")).status_code == 404
    assert client_for(session, None).get(routes.api_privacy_export("x" * 500)).status_code == 422
    with Session(db.get_engine()) as fresh:
        assert fresh.scalar(select(func.count()).select_from(Lead).where(Lead.email == SUBJECT)) == 1, "nothing erased"
