"""``/api/v1/documents/``: list, detail with versions, streamed upload, download, soft delete.

Uploads are ``multipart/form-data`` with the fields ``organization`` or
``engagement`` (or ``document`` on the versions route) before the ``file`` part.
The body is parsed as it streams (:mod:`fluxent.api.multipart_stream`) and the
CSRF token must come in the ``X-CSRFToken`` header, so nothing reads the body
before the caller is known. Downloads are attachments; only raster images may be asked
for ``inline`` (the preview), and PDFs are previewed as page images rendered here.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from fluxent import routes
from fluxent.api.csrf import CSRF_HEADER, require_csrf
from fluxent.api.identity import CSRF, DB, CurrentCaller
from fluxent.api.inputs import Id
from fluxent.api.listing import Paging, iso, page_body
from fluxent.api.multipart_stream import StreamedForm, StreamedUploadRoute
from fluxent.api.routing import APIRouter, api_path
from fluxent.core.errors import PermissionDenied, ValidationFailed
from fluxent.core.filenames import content_disposition
from fluxent.core.ids import MAX_ID, parse_id
from fluxent.models.documents import Document, DocumentVersion
from fluxent.services.portal import documents, previews

router = APIRouter(prefix=api_path(routes.API_DOCUMENTS).rstrip("/"), tags=["documents"])

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "organization": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                        "engagement": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                        "file": {"type": "string", "format": "binary"},
                    },
                    "required": ["file"],
                }
            }
        },
    }
}


async def require_csrf_header(request: Request) -> None:
    """As ``require_csrf``, but only the header counts: reading a form field would read the upload."""
    if not request.headers.get(CSRF_HEADER):
        raise PermissionDenied("Uploads must carry the CSRF token in the X-CSRFToken header.")
    await require_csrf(request)


def document_json(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "organization_id": document.organization_id,
        "engagement_id": document.engagement_id,
        "filename": document.filename,
        "current_version": document.current_version,
        "created_at": iso(document.created_at),
        "updated_at": iso(document.updated_at),
        "deleted": document.deleted_at is not None,
        "download_url": routes.api_document_download(document.id),
    }


def version_json(version: DocumentVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "filename": version.filename,
        "size": version.size,
        "sha256": version.sha256,
        "content_type": version.content_type,
        "uploaded_by_staff": version.uploaded_by_staff,
        "created_at": iso(version.created_at),
        "download_url": routes.api_document_download(version.document_id, version.version),
    }


def _detail(db, caller, document_id: int) -> dict[str, Any]:
    document = documents.get_document(db, actor=caller.user, document_id=document_id)
    versions = documents.versions_of(db, actor=caller.user, document_id=document_id)
    return {**document_json(document), "versions": [version_json(v) for v in versions]}


def _id_field(fields: dict[str, str], name: str) -> int | None:
    value = fields.get(name, "").strip()
    if not value:
        return None
    ident = parse_id(value)
    if ident is None:
        raise ValidationFailed(f"{name} must be an id.", fields={name: "Must be an id."})
    return ident


async def _receive_upload(request: Request, caller, db, *, document_id: int | None = None) -> dict[str, Any]:
    form = StreamedForm(request)
    fields, filename = await form.fields_and_filename()
    organization_id, engagement_id = _id_field(fields, "organization"), _id_field(fields, "engagement")
    # End the request's own transaction first: the upload must not stream under SQLite's write lock.
    await run_in_threadpool(db.commit)
    new_id = await run_in_threadpool(
        lambda: documents.receive_upload(
            actor_id=caller.user.id,
            filename=filename,
            chunks=form.sync_chunks(),
            organization_id=organization_id,
            engagement_id=engagement_id,
            document_id=document_id,
        )
    )
    return await run_in_threadpool(_detail, db, caller, new_id)


@router.get("/")
def list_documents(
    caller: CurrentCaller,
    db: DB,
    paging: Paging,
    organization: Annotated[Id | None, Query()] = None,
    engagement: Annotated[Id | None, Query()] = None,
    include_deleted: Annotated[bool, Query()] = False,
) -> dict[str, Any]:
    page = documents.list_documents(
        db,
        actor=caller.user,
        organization_id=organization,
        engagement_id=engagement,
        include_deleted=include_deleted,
        page=paging.page,
        page_size=paging.page_size,
    )
    return page_body(page, document_json)


async def upload_document(request: Request, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return await _receive_upload(request, caller, db)


async def upload_version(document_id: Id, request: Request, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return await _receive_upload(request, caller, db, document_id=document_id)


for path, endpoint in (("/", upload_document), ("/{document_id}/versions/", upload_version)):
    router.add_api_route(
        path,
        endpoint,
        methods=["POST"],
        status_code=201,
        dependencies=[Depends(require_csrf_header)],
        route_class_override=StreamedUploadRoute,
        openapi_extra=UPLOAD_BODY,
    )


@router.get("/{document_id}/")
def get_document(document_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return _detail(db, caller, document_id)


@router.delete("/{document_id}/", dependencies=[CSRF])
def delete_document(document_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return document_json(documents.delete_document(db, actor=caller.user, document_id=document_id))


@router.get(api_path(routes.API_DOCUMENT_DOWNLOAD).removeprefix(router.prefix))
def download_document(
    document_id: Id,
    caller: CurrentCaller,
    db: DB,
    version: Annotated[Id | None, Query()] = None,
    inline: Annotated[bool, Query(description="Show an image in place (PNG, JPEG, WebP only)")] = False,
) -> StreamingResponse:
    download = documents.open_download(db, actor=caller.user, document_id=document_id, version=version, inline=inline)
    # Commit the audit row now: the request's session would otherwise stay open (on SQLite,
    # holding the write lock) until the last byte has been sent.
    db.commit()
    headers = {
        "Content-Disposition": content_disposition(download.filename, inline=inline),
        "Content-Length": str(download.size),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    return StreamingResponse(download.chunks, media_type=download.content_type, headers=headers)


@router.get(api_path(routes.API_DOCUMENT_PAGE).removeprefix(router.prefix))
def document_page(
    document_id: Id, page: Annotated[int, Path(ge=0, le=10_000)], caller: CurrentCaller, db: DB
) -> Response:
    """A page (0-based) of the document's current version, a PDF, as a JPEG: its preview."""
    source = previews.page_source(db, actor=caller.user, document_id=document_id, page=page)
    db.commit()  # nothing stays open while the page renders
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    return Response(previews.page_jpeg(source), media_type="image/jpeg", headers=headers)
