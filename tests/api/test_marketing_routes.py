"""The public marketing routes: same services as the forms, origin-checked and throttled."""

from __future__ import annotations

import email
import json
import re
from datetime import timedelta
from email import policy

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from fluxent import routes
from fluxent.api.app import create_api, wrap_asgi
from fluxent.core.db import session_scope
from fluxent.core.settings import reset_settings
from fluxent.models.marketing import ConsentRecord, Lead, NewsletterSubscription
from fluxent.services.marketing import newsletter, spam

ORIGIN = {"Origin": "http://testserver"}


@pytest.fixture
def client(database, tmp_path, monkeypatch) -> TestClient:
    monkeypatch.setenv("FLUXENT_EMAIL_FILE_DIR", str(tmp_path / "outbox"))
    reset_settings()
    return TestClient(wrap_asgi(create_api()), raise_server_exceptions=False)


def _stamp() -> str:
    return spam.new_stamp(clock=lambda: spam.now() - timedelta(seconds=30))


def _lead(**overrides) -> dict:
    body = {
        "name": "Dana Whitfield",
        "email": "dana@northwind.example",
        "country": "United States",
        "message": "We need a dispatch board for 40 technicians.",
        "agree": True,
        "stamp": _stamp(),
    }
    body.update(overrides)
    return body


def _count(model) -> int:
    with session_scope() as db:
        return db.scalar(select(func.count()).select_from(model))


def test_a_lead_from_the_site_is_accepted(client):
    response = client.post(routes.API_LEADS, json=_lead(), headers=ORIGIN)
    assert response.status_code == 202, response.text
    assert _count(Lead) == 1 and _count(ConsentRecord) == 1


@pytest.mark.parametrize(
    "headers", [{}, {"Origin": "https://evil.example"}, {"Referer": "https://evil.example/contact"}]
)
def test_leads_from_other_origins_are_refused(client, headers):
    response = client.post(routes.API_LEADS, json=_lead(), headers=headers)
    assert response.status_code == 403
    assert _count(Lead) == 0


def test_a_lead_without_consent_gets_field_errors_and_stores_nothing(client):
    response = client.post(routes.API_LEADS, json=_lead(agree=False, email="x"), headers=ORIGIN)
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"agree", "email"}
    assert _count(Lead) == 0 and _count(ConsentRecord) == 0


def test_form_encoded_leads_are_refused(client):
    response = client.post(routes.API_LEADS, data={"name": "x"}, headers=ORIGIN)
    assert response.status_code == 415


def test_too_many_leads_from_one_address_get_429_with_retry_after(client):
    for _ in range(spam.LEAD_IP.free + 1):
        assert client.post(routes.API_LEADS, json=_lead(), headers=ORIGIN).status_code == 202
    response = client.post(routes.API_LEADS, json=_lead(), headers=ORIGIN)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "rate_limited"


def test_the_stamp_route_gives_a_fresh_stamp_that_is_too_new_to_use(client):
    stamp = client.get(routes.API_FORM_STAMP).json()["stamp"]
    response = client.post(routes.API_LEADS, json=_lead(stamp=stamp), headers=ORIGIN)
    assert response.status_code == 422
    assert response.json()["error"]["message"] == spam.TOO_FAST


def test_newsletter_sign_up_and_one_click_unsubscribe(client, tmp_path):
    response = client.post(
        routes.API_NEWSLETTER_SUBSCRIBE, json={"email": "reader@example.com", "agree": True}, headers=ORIGIN
    )
    assert response.status_code == 202
    message = email.message_from_bytes(next((tmp_path / "outbox").glob("*.eml")).read_bytes(), policy=policy.default)
    mail = message.get_body(("plain",)).get_content()
    token = re.search(r"/newsletter/confirm/([A-Za-z0-9_-]+)", mail).group(1)
    with session_scope() as db:
        row = newsletter.confirm(db, token=token)
        unsubscribe = newsletter.unsubscribe_token(row)
    # RFC 8058: the mail provider posts this form, without cookies or Origin.
    response = client.post(routes.api_newsletter_unsubscribe(unsubscribe), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and response.json() == {"status": "unsubscribed"}
    assert _count(NewsletterSubscription) == 0
    again = client.post(routes.api_newsletter_unsubscribe(unsubscribe), data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 404


def test_newsletter_sign_up_from_another_origin_is_refused(client):
    response = client.post(
        routes.API_NEWSLETTER_SUBSCRIBE,
        json={"email": "a@example.com", "agree": True},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert _count(NewsletterSubscription) == 0


def test_robots_keeps_private_areas_out_and_the_sitemap_lists_every_public_page(client):
    robots = client.get(routes.ROBOTS).text
    for prefix in ("/portal", "/admin", "/api"):
        assert f"Disallow: {prefix}" in robots
    sitemap = client.get(routes.SITEMAP)
    assert sitemap.headers["content-type"].startswith("application/xml")
    for path in (routes.CONTACT, routes.PRIVACY_POLICY, routes.case_study("freight-brokerage-quote-desk")):
        assert f"<loc>http://testserver{path}/</loc>" in sitemap.text
    assert "/portal" not in sitemap.text and "/admin" not in sitemap.text


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "Dana\r\nBcc: victim@example.com"),
        ("company", "Acme\nX"),
        ("name", "Dana\u0000"),
        ("email", "d\u0000@x.example"),
        ("country", "\ud800"),
        ("message", "We need a dispatch board\u0000 for 40 technicians."),
        ("message", "Lone \udfff surrogate here"),
    ],
)
def test_control_characters_and_surrogates_in_lead_fields_are_422_and_store_nothing(client, tmp_path, field, value):
    body = json.dumps(_lead(**{field: value}))  # ASCII, with \u escapes as a browser would send them
    response = client.post(routes.API_LEADS, content=body, headers={**ORIGIN, "Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["fields"]
    assert _count(Lead) == 0 and _count(ConsentRecord) == 0
    assert not list((tmp_path / "outbox").glob("*.eml"))


def test_line_breaks_stay_allowed_in_the_message(client):
    response = client.post(routes.API_LEADS, json=_lead(message="Line one of the brief.\r\nLine two."), headers=ORIGIN)
    assert response.status_code == 202


def test_a_missing_stamp_is_named(client):
    body = _lead()
    del body["stamp"]
    response = client.post(routes.API_LEADS, json=body, headers=ORIGIN)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"stamp": spam.MISSING_STAMP}
    assert _count(Lead) == 0


def test_unknown_fields_are_refused_by_name(client):
    response = client.post(routes.API_LEADS, json=_lead(budgett="Under $25k"), headers=ORIGIN)
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["budgett"]
    assert _count(Lead) == 0
