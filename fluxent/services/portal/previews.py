"""Previews of a document's current version in the portal, under the same rule as its download
(who may see the document; another organization's is NotFound).

Images (PNG, JPEG, WebP) are shown through the download route answering ``inline``; PDFs as
page images rendered on the server (the site's Content-Security-Policy allows no frames or
objects). Other types have no preview. Opening a PDF's first page is audited as a preview, as
a download is.
"""

from __future__ import annotations

from dataclasses import dataclass

from pypdfium2 import PdfiumError
from sqlalchemy import select
from sqlmodel import Session

from fluxent import routes
from fluxent.core.clock import Clock, now
from fluxent.core.db import write_soon
from fluxent.core.errors import NotFound, ValidationFailed
from fluxent.core.storage import Storage, get_storage
from fluxent.models.accounts import User
from fluxent.models.documents import Document, DocumentVersion
from fluxent.services.audit import trail
from fluxent.services.esign.page_images import page_count, render_page
from fluxent.services.portal.documents import get_document, may_show_inline

PDF = "application/pdf"
MAX_PREVIEW_PAGES = 20
UNREADABLE = "This PDF cannot be shown here: download it instead."
NO_PREVIEW = "Only PDFs and images (PNG, JPEG, WebP) have a preview: download this file instead."


@dataclass(frozen=True)
class Preview:
    document_id: int
    filename: str
    kind: str  # "image" or "pdf"
    urls: list[str]  # the image, or the image of each page shown (API paths)
    pages: int  # the PDF's pages (1 for an image); more than ``urls`` when it is long


@dataclass(frozen=True)
class PageSource:
    storage_key: str
    page: int


def preview_kind(content_type: str) -> str:
    """ "image", "pdf", or "" for a type without a preview."""
    if may_show_inline(content_type):
        return "image"
    return "pdf" if (content_type or "").split(";")[0].strip().lower() == PDF else ""


def preview(session: Session, *, actor: User, document_id: int, storage: Storage | None = None) -> Preview:
    """What the preview dialog shows; ValidationFailed for a type without a preview."""
    document, row = _current(session, actor, document_id)
    kind = preview_kind(row.content_type)
    if kind == "image":
        return Preview(document.id, row.filename, kind, [routes.api_document_inline(document.id)], 1)
    if kind != "pdf":
        raise ValidationFailed(NO_PREVIEW)
    try:
        pages = page_count(b"".join((storage or get_storage()).read(row.storage_key)))
    except PdfiumError:
        raise ValidationFailed(UNREADABLE) from None
    urls = [routes.api_document_page(document.id, n) for n in range(min(pages, MAX_PREVIEW_PAGES))]
    return Preview(document.id, row.filename, kind, urls, pages)


def page_source(session: Session, *, actor: User, document_id: int, page: int, clock: Clock = now) -> PageSource:
    """Where page ``page`` (0-based) of the document's current PDF is; render it with ``page_jpeg``."""
    document, row = _current(session, actor, document_id)
    if preview_kind(row.content_type) != "pdf":
        raise ValidationFailed(NO_PREVIEW)
    if not 0 <= page < MAX_PREVIEW_PAGES:
        raise NotFound("No such page.")
    if page == 0:
        write_soon(
            session,
            lambda writer: trail.record(
                writer,
                "documents.previewed",
                actor=actor,
                target=document,
                organization=document.organization_id,
                meta={"version": row.version},
                clock=clock,
            ),
        )
    return PageSource(row.storage_key, page)


def page_jpeg(source: PageSource, *, storage: Storage | None = None) -> bytes:
    """The page as a JPEG (CPU work: call it with no transaction open); NotFound past the last page."""
    pdf = b"".join((storage or get_storage()).read(source.storage_key))
    try:
        if source.page >= page_count(pdf):
            raise NotFound("No such page.")
        return render_page(pdf, source.page)
    except PdfiumError:
        raise ValidationFailed(UNREADABLE) from None


def _current(session: Session, actor: User, document_id: int) -> tuple[Document, DocumentVersion]:
    document = get_document(session, actor=actor, document_id=document_id)
    row = session.scalars(
        select(DocumentVersion).where(
            DocumentVersion.document_id == document.id, DocumentVersion.version == document.current_version
        )
    ).one()
    return document, row
