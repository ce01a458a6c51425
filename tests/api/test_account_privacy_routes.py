"""Export and erasure over HTTP: the export matches the published schema and holds no
secret and nobody else's data; erasure needs re-authentication, refuses sole owners,
signs out everywhere and leaves an audit chain that still verifies."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from fluxent import routes
from fluxent.models.accounts import User
from fluxent.models.audit import AuditEvent
from fluxent.models.auth import AuthSession, OneTimeToken
from fluxent.services.audit import trail
from tests.support.auth import PASSWORD, audit_actions
from tests.support.auth_api import ADA, BOB, error_code, read


@pytest.fixture
def ada(browser, people):
    browser.sign_in(ADA)
    return browser


@pytest.fixture
def bob(make_browser, people):
    bob = make_browser()
    bob.sign_in(BOB)
    bob.post(routes.API_LOGIN, {"login": BOB, "password": "bob's wrong guess"})
    return bob


# Export ----------------------------------------------------------------------------------


def test_the_export_validates_against_the_served_schema(ada, people):
    schema = ada.get(routes.API_EXPORT_SCHEMA).json()
    response = ada.get(routes.API_ME_EXPORT)
    assert response.status_code == 200
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(response.json())
    assert response.json()["profile"]["email"] == ADA


def test_the_export_is_a_dated_download_never_cached(ada, people):
    response = ada.get(routes.API_ME_EXPORT)
    assert response.headers["cache-control"] == "no-store"
    assert re.fullmatch(
        r'attachment; filename="fluxent-export-\d{4}-\d{2}-\d{2}\.json"', response.headers["content-disposition"]
    )
    assert "privacy.export_generated" in read(audit_actions)


def test_the_export_holds_no_secret_and_nothing_of_anyone_else(ada, bob, people, outbox):
    ada.post(routes.API_ME_ERASURE_CODE)  # a live one-time code exists while exporting
    code = outbox.code(ADA)
    text = ada.get(routes.API_ME_EXPORT).text

    def secrets(db):
        found = [db.get(User, people.ada.id).password_hash, db.get(User, people.bob.id).password_hash]
        found += list(db.scalars(select(AuthSession.key_hash)))
        found += list(db.scalars(select(OneTimeToken.token_hash)))
        found += list(db.scalars(select(AuditEvent.hash)))
        return found

    for secret in [*read(secrets), ada.session_cookie, bob.session_cookie, ada.csrf_token, PASSWORD]:
        assert secret not in text
    assert not re.search(rf'"(code|otp)"\s*:\s*"{code}"', text)
    for bobs in (BOB, "Bob Builder", "bob.b", "bob's wrong guess"):
        assert bobs not in text


# Erasure ---------------------------------------------------------------------------------


def test_erasure_needs_a_password_or_code_and_a_wrong_one_changes_nothing(ada, people):
    nothing = ada.send("DELETE", routes.API_ME, {})
    wrong = ada.send("DELETE", routes.API_ME, {"password": "not my password"})
    bad_code = ada.send("DELETE", routes.API_ME, {"code": "123456"})
    assert [nothing.status_code, wrong.status_code, bad_code.status_code] == [422, 422, 422]
    assert "password" in wrong.json()["error"]["fields"]
    assert read(lambda db: db.get(User, people.ada.id)).erased_at is None
    assert ada.get(routes.API_ME).status_code == 200


def test_the_sole_owner_of_an_organization_gets_409_until_ownership_moves(bob, people):
    response = bob.send("DELETE", routes.API_ME, {"password": PASSWORD})
    assert response.status_code == 409 and error_code(response) == "conflict"
    assert "Acme Widgets" in response.json()["error"]["message"]
    assert bob.get(routes.API_ME).status_code == 200


def test_erasure_scrubs_signs_out_everywhere_and_keeps_the_chain(ada, make_browser, people, outbox):
    elsewhere = make_browser()
    elsewhere.sign_in(ADA)
    response = ada.send("DELETE", routes.API_ME, {"password": PASSWORD})
    assert response.status_code == 200
    report = response.json()
    assert {item["table"] for item in report["retained"]} | {item["table"] for item in report["anonymized"]}
    assert "audit_event" in {item["table"] for item in report["anonymized"]}
    assert 'sessionid=""' in response.headers["set-cookie"]

    def check(db):
        user = db.get(User, people.ada.id)
        assert user.erased_at is not None and ADA not in user.email and user.name == ""
        assert db.scalars(select(AuthSession).where(AuthSession.user_id == people.ada.id)).all() == []
        assert db.scalars(select(AuditEvent).where(AuditEvent.email == ADA)).all() == []
        assert trail.verify(db).ok

    read(check)
    assert "privacy.erasure_completed" in read(audit_actions)
    assert ada.get(routes.API_ME).status_code == 401
    assert elsewhere.get(routes.API_ME).status_code == 401
    assert make_browser().post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD}).status_code == 401


def test_erasure_with_an_emailed_code(ada, people, outbox):
    assert ada.post(routes.API_ME_ERASURE_CODE).status_code == 202
    code = outbox.code(ADA)
    assert ada.send("DELETE", routes.API_ME, {"code": code}).status_code == 200
    assert read(lambda db: db.get(User, people.ada.id)).erased_at is not None


def test_a_sign_in_code_cannot_confirm_erasure(ada, make_browser, people, outbox):
    make_browser().post(routes.API_OTP_REQUEST, {"email": ADA})
    sign_in_code = outbox.code(ADA)
    assert ada.send("DELETE", routes.API_ME, {"code": sign_in_code}).status_code == 422
    assert read(lambda db: db.get(User, people.ada.id)).erased_at is None


def test_the_export_schema_is_public_json(browser):
    response = browser.get(routes.API_EXPORT_SCHEMA)
    assert response.status_code == 200
    assert response.json()["$schema"].startswith("https://json-schema.org/draft/2020-12")
