"""The e-signature API beyond the access table: creating with bad input, the sealed download,
and public verification (match, tampered copy, size cap, throttle, never stored)."""

from __future__ import annotations

import hashlib
import re
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select
from sqlmodel import Session

from fluxent import routes
from fluxent.core import db
from fluxent.core.settings import reset_settings
from fluxent.models.audit import AuditEvent
from fluxent.models.esign import Envelope
from tests.support.esign import EnvelopeTrio
from tests.support.portal import client_for, stored_files


def _sealed(session, data_dir, world) -> tuple[EnvelopeTrio, bytes]:
    trio = EnvelopeTrio.build(session, data_dir, world)
    response = client_for(session, world.member_a).get(f"/api/v1/envelopes/{trio.done}/download/")
    assert response.status_code == 200, response.text
    return trio, response.content


def test_the_sealed_download_is_an_audited_attachment(session, world, data_dir):
    trio, sealed = _sealed(session, data_dir, world)
    with Session(db.get_engine()) as fresh:
        envelope = fresh.get(Envelope, trio.done)
        assert hashlib.sha256(sealed).hexdigest() == envelope.final_sha256
        downloads = fresh.scalars(select(AuditEvent).where(AuditEvent.action == "esign.downloaded")).all()
        assert [(e.actor_id, e.target_id) for e in downloads] == [(world.member_a.id, str(trio.done))]
    response = client_for(session, world.owner_a).get(f"/api/v1/envelopes/{trio.done}/download/")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('attachment; filename="sow (signed).pdf"')
    assert (response.headers["cache-control"], response.headers["x-content-type-options"]) == ("no-store", "nosniff")
    not_yet = client_for(session, world.owner_a).get(f"/api/v1/envelopes/{trio.sent}/download/")
    assert not_yet.status_code == 409


def test_verify_recognises_the_sealed_pdf_and_refuses_a_changed_byte(session, world, data_dir):
    trio, sealed = _sealed(session, data_dir, world)
    files_before = stored_files(data_dir)
    anonymous = client_for(session, None)
    answer = anonymous.post("/api/v1/verify/", files={"file": ("signed.pdf", sealed, "application/pdf")})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["match"] is True and body["envelope"]["id"] == trio.done
    assert [s["name"] for s in body["envelope"]["signers"]] == [world.owner_a.name, world.staff.name]
    tampered = bytearray(sealed)
    tampered[len(sealed) // 2] ^= 0x20
    answer = anonymous.post("/api/v1/verify/", files={"file": ("copy.pdf", bytes(tampered), "application/pdf")})
    assert answer.status_code == 200 and answer.json()["match"] is False
    assert "envelope" not in answer.json()
    assert stored_files(data_dir) == files_before  # uploads are hashed, never kept


def test_verify_refuses_bad_requests(session, world, data_dir, monkeypatch):
    anonymous = client_for(session, None)
    assert anonymous.post("/api/v1/verify/", json={"file": "x"}).status_code == 415
    assert anonymous.post("/api/v1/verify/", data={"other": "x"}, files={}).status_code in (415, 422)
    monkeypatch.setenv("FLUXENT_MAX_UPLOAD_MB", "1")
    reset_settings()
    big = client_for(session, None).post(
        "/api/v1/verify/", files={"file": ("big.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024), "application/pdf")}
    )
    assert big.status_code == 413


def test_verify_is_throttled_per_address(session, world, data_dir):
    anonymous = client_for(session, None)
    answers = [
        anonymous.post("/api/v1/verify/", files={"file": ("a.pdf", b"%PDF-1.7 x", "application/pdf")}).status_code
        for _ in range(32)
    ]
    assert answers[:30] == [200] * 30 and answers[-1] == 429
    limited = anonymous.post("/api/v1/verify/", files={"file": ("a.pdf", b"%PDF-1.7 x", "application/pdf")})
    assert int(limited.headers["retry-after"]) > 0 and limited.json()["error"]["code"] == "rate_limited"


def test_creating_with_bad_input_is_refused_and_changes_nothing(session, world, data_dir):
    trio = EnvelopeTrio.build(session, data_dir, world)
    staff = client_for(session, world.staff)
    good = trio.new_envelope_body(world)
    with Session(db.get_engine()) as fresh:
        before = fresh.scalars(select(Envelope.id)).all()
    bad_bodies = [
        {**good, "unknown": 1},
        {**good, "signers": []},
        {**good, "signers": [{"name": "X", "email": "nope"}]},
        {**good, "fields": [{**good["fields"][0], "x": 1.5}]},
        {**good, "fields": [{**good["fields"][0], "page": 9}]},
        {**good, "fields": [{**good["fields"][0], "kind": "stamp"}]},
        {**good, "order": "random"},
        {**good, "document": 2**31},
        {**good, "message": "\x00"},
        {**good, "expires_at": "2000-01-01T00:00:00Z"},
    ]
    for body in bad_bodies:
        response = staff.post("/api/v1/envelopes/", json=body)
        assert response.status_code == 422, (body, response.text)
        assert set(response.json()["error"]) >= {"code", "message"}
    assert staff.post("/api/v1/envelopes/", json={**good, "document": world.document_b.id}).status_code == 422
    with Session(db.get_engine()) as fresh:
        assert fresh.scalars(select(Envelope.id)).all() == before
    created = staff.post("/api/v1/envelopes/", json=good)
    assert created.status_code == 201 and created.json()["status"] == "draft"
    assert created.json()["fields"][0]["signer"] == 0 and "link_hash" not in created.text


def test_the_verify_page_form_comes_back_to_the_page_with_the_hash(session, world, data_dir):
    trio, sealed = _sealed(session, data_dir, world)
    anonymous = client_for(session, None)
    answer = anonymous.post(
        "/api/v1/verify/?respond=page",
        files={"file": ("signed.pdf", sealed, "application/pdf")},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"http://testserver/verify?sha256={hashlib.sha256(sealed).hexdigest()}"
    broken = anonymous.post(
        "/api/v1/verify/?respond=page",
        content=b"x",
        headers={"content-type": "multipart/form-data"},
        follow_redirects=False,
    )
    assert broken.status_code == 303 and broken.headers["location"].endswith("/verify?error=validation_failed")


def test_the_certificate_names_each_signer_and_how_they_were_verified(session, world, data_dir):
    trio = EnvelopeTrio.build(session, data_dir, world)
    body = client_for(session, world.owner_a).get(f"/api/v1/envelopes/{trio.done}/certificate/").json()
    assert body["verify_url"] == "http://testserver/verify" and len(body["final_sha256"]) == 64
    assert [(s["email"], s["verified_by"]) for s in body["signers"]] == [
        (world.owner_a.email, "Code e-mailed to the signer"),
        (world.staff.email, "Signed-in portal account"),
    ]
    assert all(s["consented_at"] and s["signed_at"] and s["ip"] for s in body["signers"])


def test_every_hash_the_certificate_states_is_the_hash_of_a_real_file(session, world, data_dir):
    """The original as the portal serves it hashes to the one SHA-256 the certificate prints; the
    sealed file as downloaded hashes to the final SHA-256 the API and /verify give (a file cannot
    print its own), and the certificate's completion time is the recorded one."""
    trio, sealed = _sealed(session, data_dir, world)
    member = client_for(session, world.member_a)
    original = member.get(routes.api_document_download(trio.document, version=1))
    assert original.status_code == 200, original.text
    original_sha, final_sha = hashlib.sha256(original.content).hexdigest(), hashlib.sha256(sealed).hexdigest()
    text = PdfReader(BytesIO(sealed)).pages[-1].extract_text()
    assert re.findall(r"[0-9a-f]{64}", text) == [original_sha]
    assert "sow.pdf, version 1" in text and final_sha not in text
    with Session(db.get_engine()) as fresh:
        completed_at = fresh.get(Envelope, trio.done).completed_at
    assert f"Completed: {completed_at:%Y-%m-%d %H:%M:%S} UTC" in text
    certificate = member.get(f"/api/v1/envelopes/{trio.done}/certificate/").json()
    assert (certificate["original_sha256"], certificate["final_sha256"]) == (original_sha, final_sha)
    verdict = (
        client_for(session, None)
        .post("/api/v1/verify/", files={"file": ("signed.pdf", sealed, "application/pdf")})
        .json()["envelope"]
    )
    assert (verdict["original_sha256"], verdict["final_sha256"]) == (original_sha, final_sha)
