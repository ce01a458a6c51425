"""An engagement's messages over HTTP: paging with the unread count, posting with CSRF, refusals
that change nothing, and the other tenant, the anonymous caller and hostile input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from fluxent.core import db
from fluxent.models.messages import Message
from tests.support.portal import CSRF_TOKEN, client_for


def _url(engagement_id: int) -> str:
    return f"/api/v1/engagements/{engagement_id}/messages/"


def _stored(session) -> int:
    """Counted in a session of its own, closed at once: the test never holds SQLite's write lock."""
    session.commit()
    with Session(db.get_engine()) as fresh:
        return fresh.scalar(select(func.count()).select_from(Message))


def test_posting_and_listing_with_replies_attachments_and_unread(session, world):
    owner, staff = client_for(session, world.owner_a), client_for(session, world.staff)
    url = _url(world.engagement_a.id)
    first = owner.post(url, json={"body": "  Is the export ready?  "})
    assert first.status_code == 201, first.text
    assert first.json()["body"] == "Is the export ready?" and first.json()["mine"] is True
    reply = staff.post(
        url, json={"body": "Attached.", "parent_id": first.json()["id"], "document_id": world.document_a.id}
    )
    assert reply.status_code == 201, reply.text
    listed = owner.get(url)
    assert listed.headers["content-type"].startswith("application/json")
    body = listed.json()
    assert (body["total"], body["unread"]) == (2, 1)
    newest = body["items"][0]
    assert (newest["author"], newest["by_fluxent"], newest["quoted"], newest["unread"]) == (
        "Sam Staff",
        True,
        "Is the export ready?",
        True,
    )
    assert newest["document"] == {
        "id": world.document_a.id,
        "filename": "plan.pdf",
        "download_url": f"/api/v1/documents/{world.document_a.id}/download/",
    }
    assert owner.get(url).json()["unread"] == 0  # the first read marked it read


def test_the_thread_is_paged_like_every_list(session, world):
    client = client_for(session, world.staff)
    url = _url(world.engagement_a.id)
    for n in range(3):
        assert client.post(url, json={"body": f"Update {n}"}).status_code == 201
    page = client.get(url, params={"page": 2, "page_size": 2}).json()
    assert ([m["body"] for m in page["items"]], page["pages"], page["page"]) == (["Update 0"], 2, 2)
    assert client.get(url, params={"page_size": 101}).status_code == 422
    assert client.get(url, params={"page": 0}).status_code == 422


def test_other_tenants_and_anonymous_callers_get_nothing(session, world):
    url = _url(world.engagement_a.id)
    client_for(session, world.owner_a).post(url, json={"body": "Private"})
    outsider, anonymous = client_for(session, world.owner_b), client_for(session, None)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, json={"body": "Hi"}).status_code == 404
    assert anonymous.get(url).status_code == 401
    assert anonymous.post(url, json={"body": "Hi"}).status_code == 401
    assert client_for(session, world.owner_a).get(_url(2**31 - 1)).status_code == 404
    assert _stored(session) == 1


@pytest.mark.parametrize(
    ("headers", "status"),
    [({"X-CSRFToken": "wrong"}, 403), ({"X-CSRFToken": ""}, 403), ({"Origin": "https://evil.example"}, 403)],
)
def test_posting_needs_the_csrf_token_and_the_sites_origin(session, world, headers, status):
    client = client_for(session, world.owner_a)
    client.headers.update(headers)
    assert client.post(_url(world.engagement_a.id), json={"body": "Hi"}).status_code == status
    assert _stored(session) == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 10_001}, "body"),
        ({"body": "x" * 20_001}, "body"),
        ({"body": "nul \u0000"}, "body"),
        ({"body": "Hi", "parent_id": 999_999}, "parent_id"),
        ({"body": "Hi", "document_id": 999_999}, "document_id"),
        ({"body": "Hi", "parent_id": 2**40}, "parent_id"),
        ({"body": "Hi", "author_id": 1}, "author_id"),
        ({}, "body"),
    ],
)
def test_bad_input_gets_a_clear_422_and_stores_nothing(session, world, payload, field):
    response = client_for(session, world.owner_a).post(_url(world.engagement_a.id), json=payload)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["message"] and field in str(error.get("fields", {})) + error["message"]
    assert _stored(session) == 0


def test_a_form_post_is_refused_before_it_is_read(session, world):
    client = client_for(session, world.owner_a)
    response = client.post(_url(world.engagement_a.id), data={"body": "Hi", "csrfmiddlewaretoken": CSRF_TOKEN})
    assert response.status_code == 415
    assert _stored(session) == 0
