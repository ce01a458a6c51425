"""A document's versions on the portal's documents page and the console's organization page: the
list with who and when, a download per version, and the upload of a new version.

One document's versions are open at a time. The rules (who sees a document, who may add a
version) are the documents service's; the pages only offer what ``listings.document_versions``
says the person may do, and the upload is checked again when it arrives.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from fluxent import routes
from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError
from fluxent.services.portal import listings
from fluxent.state.formatting import moment, size_label
from fluxent.state.uploads import upload

VERSION_UPLOAD_ID = "document-version-upload"


@dataclasses.dataclass
class VersionRow:
    version: int
    filename: str
    size: str
    by: str  # "Priya Raman (Fluxent)", "Dana Whitfield"
    when: str
    download_url: str


def uploader_label(name: str, *, by_staff: bool) -> str:
    """Who uploaded a file, as the document lists show it: staff are marked as Fluxent."""
    return f"{name} (Fluxent)" if by_staff else name


def _version_row(line: listings.VersionLine) -> VersionRow:
    by = uploader_label(line.uploaded_by, by_staff=line.by_staff)
    return VersionRow(
        version=line.version,
        filename=line.filename,
        size=size_label(line.size),
        by=by,
        when=moment(line.uploaded_at),
        download_url=routes.api_url(line.download_url),
    )


class DocumentVersionsMixin(rx.State, mixin=True):
    """Mixed into a page state that lists documents; that state says how its list is read again."""

    # The document whose versions are open (0: none).
    open_document: int = 0
    open_filename: str = ""
    version_rows: list[VersionRow] = []
    may_add_version: bool = False
    version_uploading: bool = False
    version_upload_error: str = ""  # why the last new version was refused, beside its uploader
    version_uploaded: bool = False  # the last new version was accepted (its chosen file clears)

    def _documents_changed(self) -> None:
        """Read the page's list of documents again (a new version changes its row)."""
        raise NotImplementedError

    def _close_versions(self) -> None:
        self.open_document, self.open_filename, self.version_rows, self.may_add_version = 0, "", [], False
        self.version_upload_error, self.version_uploaded = "", False

    def _fill_versions(self, document_id: int) -> None:
        try:
            with read_scope() as db:
                user = self._person(db)  # type: ignore[attr-defined]
                found = None if user is None else listings.document_versions(db, actor=user, document_id=document_id)
        except DomainError as error:
            self._close_versions()
            self._tell(error.message, error=True)  # type: ignore[attr-defined]
            return
        if found is None:
            self._close_versions()
            return
        self.open_document, self.open_filename = found.id, found.filename
        self.version_rows = [_version_row(line) for line in found.versions]
        self.may_add_version = found.may_add_version

    @rx.event
    def toggle_versions(self, document_id: int) -> None:
        if self.open_document == document_id:
            self._close_versions()
        else:
            self._fill_versions(document_id)

    @rx.event(background=True)
    async def upload_version(self, chunks: rx.UploadChunkIterator) -> None:
        async with self:
            self.version_uploading, self.version_uploaded, self.notice = True, False, ""  # type: ignore[attr-defined]
            cookie, document_id, viewing_as = self.router.headers.cookie, self.open_document, self._viewing_as  # type: ignore[attr-defined]
        message, problem = await upload(cookie, f"doc:{document_id}", chunks, viewing_as=viewing_as)
        async with self:
            self.version_uploading, self.version_upload_error, self.version_uploaded = False, problem, not problem
            if message:
                self._tell(message)  # type: ignore[attr-defined]
            self._fill_versions(document_id)
            self._documents_changed()
