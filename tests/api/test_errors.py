"""Every API failure answers with the one JSON error shape and the right status."""

from __future__ import annotations

import logging

import pytest

from tests.support.hardening_api import DOMAIN_ERRORS


def error_of(response) -> dict:
    assert response.headers["content-type"].startswith("application/json")
    return response.json()["error"]


def test_malformed_json_is_400_with_error_body(client):
    response = client.post("/api/v1/test/json", content=b'{"name": "x",', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert error_of(response) == {"code": "malformed_json", "message": "The request body is not valid JSON."}


def test_invalid_fields_are_422_with_dotted_fields(client):
    response = client.post("/api/v1/test/json", json={"name": "", "quantity": "many"})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_failed"
    assert set(error["fields"]) == {"name", "quantity"}
    assert "many" not in response.text  # the rejected input is not echoed


def test_missing_body_is_422(client):
    response = client.post("/api/v1/test/json")
    assert response.status_code == 422
    assert error_of(response)["fields"] == {"body": "Field required"}


def test_valid_json_is_accepted(client):
    response = client.post("/api/v1/test/json", json={"name": "Audit", "quantity": 2})
    assert response.status_code == 200
    assert response.json() == {"name": "Audit", "quantity": 2}


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v2/health/", "/api/", "/api"])
def test_unknown_api_route_is_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_wrong_method_is_json_405_with_allow(client):
    response = client.delete("/api/v1/test/json")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert error_of(response)["code"] == "method_not_allowed"


def test_unhandled_error_is_500_without_details(client, caplog):
    with caplog.at_level(logging.ERROR, logger="fluxent.api.errors"):
        response = client.get("/api/v1/test/boom")
    assert response.status_code == 500
    assert error_of(response) == {
        "code": "internal_error",
        "message": "An internal error occurred. Please try again later.",
    }
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    assert any("hunter2" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("validation", 422, "validation_failed"),
        ("auth", 401, "not_authenticated"),
        ("permission", 403, "permission_denied"),
        ("missing", 404, "not_found"),
        ("conflict", 409, "conflict"),
        ("rate", 429, "rate_limited"),
        ("base", 400, "error"),
    ],
)
def test_domain_errors_map_to_statuses(client, kind, status, code):
    response = client.get(f"/api/v1/test/domain/{kind}")
    assert response.status_code == status
    error = error_of(response)
    assert error["code"] == code
    assert error["message"] == DOMAIN_ERRORS[kind].message
    if kind == "validation":
        assert error["fields"] == {"email": "Not an e-mail address."}
    else:
        assert "fields" not in error
    if kind == "rate":
        assert response.headers["retry-after"] == "42"
    else:
        assert "retry-after" not in response.headers
