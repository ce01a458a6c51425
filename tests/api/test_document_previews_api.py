"""Previews of documents: a PDF's pages as images and an image in place, under the download's
rule (another organization's document is missing); nothing else is ever shown inline."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import select

from fluxent.models.audit import AuditEvent
from fluxent.services.portal import documents
from tests.support.esign import make_pdf
from tests.support.portal import client_for


def _png() -> bytes:
    out = BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def _upload(session, world, filename: str, content: bytes, engagement=None):
    document = documents.upload(
        session,
        actor=world.staff,
        filename=filename,
        chunks=[content],
        engagement_id=(engagement or world.engagement_a).id,
    )
    session.commit()
    return document


def test_a_pdfs_pages_render_as_images_for_those_who_may_download_it(session, world, data_dir):
    pdf = _upload(session, world, "sow.pdf", make_pdf(3))
    member = client_for(session, world.member_a)
    page = member.get(f"/api/v1/documents/{pdf.id}/pages/2/")
    assert page.status_code == 200 and page.headers["content-type"] == "image/jpeg"
    assert page.content[:3] == b"\xff\xd8\xff"
    assert page.headers["cache-control"] == "no-store" and page.headers["x-content-type-options"] == "nosniff"
    assert Image.open(BytesIO(page.content)).size[0] == 900
    assert member.get(f"/api/v1/documents/{pdf.id}/pages/3/").status_code == 404  # past the last page
    assert member.get(f"/api/v1/documents/{pdf.id}/pages/-1/").status_code == 422
    assert client_for(session, world.owner_b).get(f"/api/v1/documents/{pdf.id}/pages/0/").status_code == 404
    assert client_for(session, None).get(f"/api/v1/documents/{pdf.id}/pages/0/").status_code == 401
    member.get(f"/api/v1/documents/{pdf.id}/pages/0/")
    previewed = session.scalars(select(AuditEvent).where(AuditEvent.action == "documents.previewed")).all()
    assert [event.actor_id for event in previewed] == [world.member_a.id]


def test_an_image_opens_in_place_and_nothing_else_does(session, world, data_dir):
    image = _upload(session, world, "mockup.png", _png())
    pdf = _upload(session, world, "sow.pdf", make_pdf(1))
    text = _upload(session, world, "notes.txt", b"alert(document.cookie) // a text file\n")
    owner = client_for(session, world.owner_a)
    shown = owner.get(f"/api/v1/documents/{image.id}/download/?inline=1")
    assert shown.status_code == 200 and shown.headers["content-disposition"].startswith("inline;")
    assert shown.headers["content-type"] == "image/png" and shown.headers["x-content-type-options"] == "nosniff"
    assert owner.get(f"/api/v1/documents/{image.id}/download/").headers["content-disposition"].startswith("attachment;")
    for other in (pdf, text):
        refused = owner.get(f"/api/v1/documents/{other.id}/download/?inline=1")
        assert refused.status_code == 422 and "inline" in refused.json()["error"]["fields"]
    assert owner.get(f"/api/v1/documents/{image.id}/pages/0/").status_code == 422  # only PDFs have pages
    assert client_for(session, world.owner_b).get(f"/api/v1/documents/{image.id}/download/?inline=1").status_code == 404


@pytest.mark.parametrize("page", ["20", "10001", "abc", "1e3"])
def test_out_of_range_pages_are_refused(session, world, data_dir, page):
    pdf = _upload(session, world, "long.pdf", make_pdf(1))
    answer = client_for(session, world.owner_a).get(f"/api/v1/documents/{pdf.id}/pages/{page}/")
    assert answer.status_code in (404, 422)
