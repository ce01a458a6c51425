"""A document's preview on the portal's documents page: an image in place, or a PDF's pages as
images. ``services.portal.previews`` decides what may be shown (the same rule as a download)."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError
from fluxent.services.portal import previews


class DocumentPreviewMixin(rx.State, mixin=True):
    """Mixed into a page state that lists documents."""

    preview_document: int = 0  # 0: the dialog is closed
    preview_filename: str = ""
    preview_kind: str = ""  # "image" or "pdf"
    preview_urls: list[str] = []
    preview_download: str = ""  # the shown version's download route
    preview_more: str = ""  # "Showing 20 of 34 pages: download the file for the rest." when cut short

    @rx.event
    def open_preview(self, document_id: int) -> None:
        try:
            with read_scope() as db:
                user = self._person(db)  # type: ignore[attr-defined]
                shown = None if user is None else previews.preview(db, actor=user, document_id=document_id)
        except DomainError as error:
            self.preview_document = 0
            self._tell(error.message, error=True)  # type: ignore[attr-defined]
            return
        if shown is None:
            self.preview_document = 0
            return
        self.preview_document, self.preview_filename, self.preview_kind = shown.document_id, shown.filename, shown.kind
        self.preview_urls = [routes.api_url(url) for url in shown.urls]
        self.preview_download = routes.api_url(routes.api_document_download(shown.document_id))
        self.preview_more = (
            f"Showing {len(shown.urls)} of {shown.pages} pages: download the file for the rest."
            if shown.pages > len(shown.urls)
            else ""
        )

    @rx.event
    def close_preview(self) -> None:
        self.preview_document, self.preview_urls = 0, []
