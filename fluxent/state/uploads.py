"""Uploads from the pages: the browser's chunks streamed into ``documents.receive_upload``,
and a staff photo handed to ``staff_photos.set_photo``.

Reflex hands an upload handler an async iterator of chunks; the documents service
reads a plain iterator in a worker thread, so the whole file never sits in memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import reflex as rx

from fluxent.core.db import read_scope, session_scope
from fluxent.core.errors import DomainError, ValidationFailed
from fluxent.core.ids import parse_id
from fluxent.models.accounts import User
from fluxent.services.accounts import staff_photos
from fluxent.services.portal import documents
from fluxent.state.session import SIGNED_OUT, refuse_while_viewing, signed_in

# Where an upload goes, as the pages name it ("org:<id>", "eng:<id>", "doc:<id>" for a new
# version) -> the documents service's argument.
_TARGETS = {"org": "organization_id", "eng": "engagement_id", "doc": "document_id"}


async def upload(cookie: str, target: str, chunks: rx.UploadChunkIterator, *, viewing_as: int) -> tuple[str, str]:
    """Stream an upload handler's chunks in a worker thread: ``("<name> uploaded.", "")``, or
    ``("", why it was refused)``. ``viewing_as``: the tab's ``SessionState._viewing_as``."""
    try:
        filename = await asyncio.to_thread(
            stream_upload, cookie, target, chunks, asyncio.get_running_loop(), viewing_as=viewing_as
        )
    except DomainError as error:
        return "", error.message
    return f"{filename} uploaded.", ""


def stream_upload(cookie: str, target: str, chunks: rx.UploadChunkIterator, loop, *, viewing_as: int) -> str:
    """In a worker thread: pull the chunks from the event loop into the documents service
    (nothing while the tab views the portal as a client)."""
    refuse_while_viewing(viewing_as)
    kind, _, raw_id = target.partition(":")
    ident = parse_id(raw_id)
    if kind not in _TARGETS or ident is None:
        raise ValidationFailed("Choose where the document belongs.")
    first = asyncio.run_coroutine_threadsafe(anext(chunks, None), loop).result()
    if first is None:
        raise ValidationFailed("Choose a file to upload.")
    user_id = _uploader_id(cookie)

    def data() -> Iterator[bytes]:
        chunk = first
        while chunk is not None:
            if chunk.filename != first.filename:
                raise ValidationFailed("Upload one file at a time.")
            yield chunk.data
            chunk = asyncio.run_coroutine_threadsafe(anext(chunks, None), loop).result()

    document_id = documents.receive_upload(
        actor_id=user_id, filename=first.filename, chunks=data(), **{_TARGETS[kind]: ident}
    )
    with read_scope() as db:
        return documents.get_document(db, actor=db.get(User, user_id), document_id=document_id).filename


def store_staff_photo(cookie: str, user_id: int, data: bytes, *, viewing_as: int) -> None:
    """In a worker thread: ``data`` stored as ``user_id``'s photo by the person behind the upload
    request's ``cookie`` (the service decides whether they may)."""
    refuse_while_viewing(viewing_as)
    uploader_id = _uploader_id(cookie)
    with session_scope() as db:
        staff_photos.set_photo(db, actor=db.get(User, uploader_id), user_id=user_id, data=data)


def _uploader_id(cookie: str) -> int:
    """The id of the person signed in with the upload request's ``cookie``; refused when nobody is."""
    with read_scope() as db:
        found = signed_in(db, cookie)
        if found is None:
            raise ValidationFailed(SIGNED_OUT)
        return found[1].id
