"""The documents page's preview: a PDF's pages and an image through the API's routes, offered
only for those types, and refused for a document the person may not see."""

from __future__ import annotations

from fluxent.core.db import session_scope
from fluxent.models.accounts import User
from fluxent.services.auth import sessions
from fluxent.services.portal import documents, previews
from fluxent.state.portal import DocumentsState
from tests.support.esign import make_pdf
from tests.support.portal import build_world
from tests.support.state import cookie_for, tab


def _page_of(person: str, world=None):
    with session_scope() as db:
        world = world or build_world(db)
        staff = db.get(User, world.staff.id)
        long_pdf = documents.upload(
            db,
            actor=staff,
            filename="sow.pdf",
            chunks=[make_pdf(previews.MAX_PREVIEW_PAGES + 2)],
            engagement_id=world.engagement_a.id,
        )
        notes = documents.upload(
            db, actor=staff, filename="notes.txt", chunks=[b"Hand-over notes\n"], engagement_id=world.engagement_a.id
        )
        _, raw = sessions.start_session(db, user=db.get(User, getattr(world, person).id))
    state = tab(DocumentsState, cookie=cookie_for(raw))
    state.load_portal()
    state.load()
    return world, state, long_pdf.id, notes.id


def test_a_long_pdf_previews_its_first_pages_and_says_so(database, data_dir):
    world, page, pdf_id, notes_id = _page_of("member_a")
    offered = {row.filename: row.previewable for row in page.rows}
    assert offered == {"sow.pdf": True, "notes.txt": False, "plan.pdf": True}
    page.open_preview(pdf_id)
    assert (page.preview_document, page.preview_filename, page.preview_kind) == (pdf_id, "sow.pdf", "pdf")
    assert page.preview_urls[:2] == [f"/api/v1/documents/{pdf_id}/pages/0/", f"/api/v1/documents/{pdf_id}/pages/1/"]
    assert len(page.preview_urls) == previews.MAX_PREVIEW_PAGES
    assert page.preview_more == "Showing 20 of 22 pages: download the file for the rest."
    assert page.preview_download == f"/api/v1/documents/{pdf_id}/download/"
    page.close_preview()
    assert page.preview_document == 0 and page.preview_urls == []


def test_types_without_a_preview_and_other_tenants_documents_are_refused(database, data_dir):
    world, page, pdf_id, notes_id = _page_of("owner_b")
    page.open_preview(pdf_id)  # Northwind's, seen from Acme
    assert page.preview_document == 0 and page.notice == "No such document." and page.notice_is_error
    _, page, _, _ = _page_of("owner_a", world)
    page.open_preview(notes_id)
    assert page.preview_document == 0 and page.notice == previews.NO_PREVIEW
    page.open_preview(world.document_a.id)  # named .pdf, but not a readable PDF
    assert page.preview_document == 0 and page.notice == previews.UNREADABLE
