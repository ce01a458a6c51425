"""The published API description covers the whole API: every sign-in and account route,
the portal's and the staff console's routers, each path ending in "/"."""

from __future__ import annotations

from fastapi.testclient import TestClient

from fluxent.api import create_api

# The routes the "Accounts and sign-in" issue asks for, with their methods.
REQUIRED = {
    "/api/v1/auth/csrf/": {"get"},
    "/api/v1/auth/login/": {"post"},
    "/api/v1/auth/logout/": {"post"},
    "/api/v1/auth/otp/request/": {"post"},
    "/api/v1/auth/otp/verify/": {"post"},
    "/api/v1/auth/magic-link/request/": {"post"},
    "/api/v1/auth/magic-link/consume/": {"post"},
    "/api/v1/auth/password/reset/request/": {"post"},
    "/api/v1/auth/password/reset/confirm/": {"post"},
    "/api/v1/auth/password/change/": {"post"},
    "/api/v1/auth/sessions/": {"get"},
    "/api/v1/auth/sessions/{session_id}/": {"delete"},
    "/api/v1/auth/sessions/revoke-others/": {"post"},
    "/api/v1/auth/invitations/": {"post"},
    "/api/v1/auth/invitations/accept/": {"post"},
    "/api/v1/auth/me/": {"get", "patch", "delete"},
    "/api/v1/auth/me/email/verify/": {"post"},
    "/api/v1/auth/me/export/": {"get"},
    "/api/v1/auth/me/erasure-code/": {"post"},
    "/api/v1/auth/view-as/": {"post"},
    "/api/v1/auth/me/policy-notices/": {"get"},
    "/api/v1/auth/me/policy-notices/{announcement_id}/acknowledge/": {"post"},
    "/api/v1/auth/two-step/": {"post"},
    "/api/v1/auth/two-step/passkey/options/": {"post"},
    "/api/v1/auth/two-step/passkey/": {"post"},
    "/api/v1/auth/reauth/": {"post"},
    "/api/v1/auth/reauth/code/": {"post"},
    # An engagement's conversation.
    "/api/v1/engagements/{engagement_id}/messages/": {"get", "post"},
    "/api/v1/notifications/": {"get"},
    "/api/v1/notifications/read/": {"post"},
}
FORM_ROUTES = {
    "/api/v1/auth/login/",
    "/api/v1/auth/logout/",
    "/api/v1/auth/otp/request/",
    "/api/v1/auth/otp/verify/",
    "/api/v1/auth/magic-link/consume/",
    "/api/v1/auth/password/reset/confirm/",
    "/api/v1/auth/invitations/accept/",
    "/api/v1/auth/two-step/",
    "/api/v1/auth/two-step/passkey/",
}


def _paths() -> dict:
    return TestClient(create_api()).get("/api/v1/openapi.json").json()["paths"]


def test_every_auth_route_is_documented_with_its_methods():
    paths = _paths()
    for path, methods in REQUIRED.items():
        assert path in paths, f"{path} is missing from the OpenAPI document"
        assert methods <= set(paths[path]), f"{path}: {sorted(methods - set(paths[path]))} missing"


def test_every_production_router_is_in_the_document():
    areas = {path.removeprefix("/api/v1/").split("/")[0] for path in _paths()}
    assert areas == {
        "health",
        "auth",
        "schemas",
        "forms",
        "newsletter",
        "team",  # site, sign-in and account
        "organizations",
        "engagements",
        "documents",
        "staff",
        "leads",  # portal and staff console
        "invoices",
        "webhooks",  # billing
        "envelopes",
        "verify",  # e-signature
        "people",  # administrators' recovery of a person's two-step sign-in
        "audit-events",  # administrators' audit log
        "vault",
        "notifications",  # each person's notification centre
        "privacy-requests",  # the privacy desk and its e-mailed export links
    }


def test_every_path_ends_with_a_slash():
    paths = _paths()
    assert set(REQUIRED) <= set(paths)
    # A file (the export's JSON Schema) keeps its name; every other path ends in "/".
    assert [path for path in paths if not path.endswith("/") and not path.endswith(".json")] == []


def test_form_routes_document_both_body_types():
    paths = _paths()
    for path in FORM_ROUTES:
        content = paths[path]["post"]["requestBody"]["content"]
        assert set(content) == {"application/json", "application/x-www-form-urlencoded"}, path


def test_the_export_schema_route_is_documented():
    assert "get" in _paths()["/api/v1/schemas/export.json"]
