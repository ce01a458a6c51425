"""Documents of an organization (optionally of one engagement), with versions and soft delete.

An upload runs in three steps so no database transaction stays open while bytes
stream in (SQLite would hold its write lock for the whole upload):

1. :func:`prepare_upload` authorizes and fixes where the file goes;
2. :func:`store_upload` streams the chunks through the checks (size cap, type by
   content, SHA-256) into storage; a refused or aborted stream leaves nothing;
3. :func:`record_upload` authorizes again, writes the rows, audits and e-mails.

:func:`receive_upload` runs the three steps, each in its own short transaction, for
the doors that stream (the API route, the portal page); :func:`upload` runs them
in the caller's session for small, in-memory content (seed data, tests).
Members of the organization and staff may upload and download; only staff delete.
New versions replace what people read, so only staff, the document's original
uploader, and (for documents a client uploaded) the organization's owners add them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.db import session_scope, write_soon
from fluxent.core.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from fluxent.core.filenames import sanitize_filename
from fluxent.core.filetypes import FileType
from fluxent.core.settings import get_settings
from fluxent.core.storage import Storage, get_storage, new_key
from fluxent.core.uploads import UploadInspector
from fluxent.models.accounts import Membership, Organization, User
from fluxent.models.documents import Document, DocumentVersion
from fluxent.models.engagements import Engagement, EngagementStaff, EngagementStatus
from fluxent.routes import PORTAL_DOCUMENTS, admin_organization
from fluxent.services.accounts import authz
from fluxent.services.accounts.organizations import require_visible, visible_organization_ids
from fluxent.services.audit import trail
from fluxent.services.notifications import Kind, notify_each
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate, search_needle
from fluxent.services.portal import emails
from fluxent.services.portal.engagements import get_engagement


@dataclass(frozen=True)
class UploadTarget:
    organization_id: int
    engagement_id: int | None
    document_id: int | None
    key: str


@dataclass(frozen=True)
class StoredFile:
    key: str
    filename: str
    size: int
    sha256: str
    file_type: FileType


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    size: int
    sha256: str
    chunks: Iterator[bytes]


# Upload ------------------------------------------------------------------------


def prepare_upload(
    session: Session,
    *,
    actor: User,
    organization_id: int | None = None,
    engagement_id: int | None = None,
    document_id: int | None = None,
) -> UploadTarget:
    """Where an upload goes: a new document of an organization or engagement, or a new version."""
    if document_id is not None:
        document = get_document(session, actor=actor, document_id=document_id)
        require_may_add_version(session, actor, document)
        organization_id, engagement_id = document.organization_id, document.engagement_id
    elif engagement_id is not None:
        engagement = get_engagement(session, actor=actor, engagement_id=engagement_id)
        if organization_id is not None and organization_id != engagement.organization_id:
            raise NotFound("No such engagement.")
        organization_id = engagement.organization_id
    elif organization_id is not None:
        require_visible(session, actor, organization_id)
    else:
        message = "Say which organization or engagement the document belongs to."
        raise ValidationFailed(message, fields={"organization": message})
    folder = f"eng-{engagement_id}" if engagement_id is not None else "general"
    return UploadTarget(organization_id, engagement_id, document_id, new_key(f"org-{organization_id}", folder))


def store_upload(
    target: UploadTarget,
    *,
    filename: str,
    chunks: Iterable[bytes],
    storage: Storage | None = None,
    limit_bytes: int | None = None,
) -> StoredFile:
    """Stream ``chunks`` into storage through the checks; raises (and stores nothing) on refusal."""
    storage = storage or get_storage()
    limit = limit_bytes if limit_bytes is not None else get_settings().max_upload_mb * 1024 * 1024
    inspector = UploadInspector(limit_bytes=limit, filename=filename)
    storage.write(target.key, inspector.wrap(chunks))
    assert inspector.file_type is not None  # set once the stream has ended
    return StoredFile(
        key=target.key,
        filename=sanitize_filename(filename, extensions=inspector.file_type.extensions),
        size=inspector.size,
        sha256=inspector.sha256,
        file_type=inspector.file_type,
    )


def record_upload(
    session: Session,
    *,
    actor: User,
    target: UploadTarget,
    stored: StoredFile,
    storage: Storage | None = None,
    clock: Clock = now,
) -> Document:
    """The rows for a stored file, audited and announced. Removes the file if this fails."""
    try:
        return _record(session, actor, target, stored, clock)
    except BaseException:
        (storage or get_storage()).delete(stored.key)
        raise


def upload(
    session: Session,
    *,
    actor: User,
    filename: str,
    chunks: Iterable[bytes],
    organization_id: int | None = None,
    engagement_id: int | None = None,
    document_id: int | None = None,
    storage: Storage | None = None,
    clock: Clock = now,
) -> Document:
    storage = storage or get_storage()
    target = prepare_upload(
        session, actor=actor, organization_id=organization_id, engagement_id=engagement_id, document_id=document_id
    )
    stored = store_upload(target, filename=filename, chunks=chunks, storage=storage)
    return record_upload(session, actor=actor, target=target, stored=stored, storage=storage, clock=clock)


def receive_upload(
    *,
    actor_id: int,
    filename: str,
    chunks: Iterable[bytes],
    organization_id: int | None = None,
    engagement_id: int | None = None,
    document_id: int | None = None,
    storage: Storage | None = None,
) -> int:
    """A streamed upload; returns the document's id. No transaction is open while bytes arrive.

    The caller must not hold a transaction itself (on SQLite it would hold the write lock).
    """
    storage = storage or get_storage()
    with session_scope() as session:
        target = prepare_upload(
            session,
            actor=_person(session, actor_id),
            organization_id=organization_id,
            engagement_id=engagement_id,
            document_id=document_id,
        )
    stored = store_upload(target, filename=filename, chunks=chunks, storage=storage)
    with session_scope() as session:
        # Checked again: access may have ended while the file was arriving.
        actor = _person(session, actor_id)
        return record_upload(session, actor=actor, target=target, stored=stored, storage=storage).id


def _person(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.erased_at is not None:
        raise NotAuthenticated("Sign in to continue.")
    return user


def _record(session: Session, actor: User, target: UploadTarget, stored: StoredFile, clock: Clock) -> Document:
    moment, by_staff = clock(), authz.is_staff(actor)
    if target.document_id is not None:
        document = get_document(session, actor=actor, document_id=target.document_id)
        require_may_add_version(session, actor, document)
        version = document.current_version + 1
        document.current_version, document.filename, document.updated_at = version, stored.filename, moment
    else:
        if target.engagement_id is not None:
            get_engagement(session, actor=actor, engagement_id=target.engagement_id)
        require_visible(session, actor, target.organization_id)
        version = 1
        document = Document(
            organization_id=target.organization_id,
            engagement_id=target.engagement_id,
            filename=stored.filename,
            created_at=moment,
            updated_at=moment,
        )
    session.add(document)
    session.flush()
    session.add(
        DocumentVersion(
            document_id=document.id,
            version=version,
            filename=stored.filename,
            storage_key=stored.key,
            size=stored.size,
            sha256=stored.sha256,
            content_type=stored.file_type.mime,
            uploaded_by_id=actor.id,
            uploaded_by_staff=by_staff,
            created_at=moment,
        )
    )
    session.flush()
    trail.record(
        session,
        "documents.uploaded",
        actor=actor,
        target=document,
        organization=document.organization_id,
        meta={"version": version, "size": stored.size, "sha256": stored.sha256, "type": stored.file_type.key},
        clock=clock,
    )
    _announce(session, document, by_staff=by_staff)
    return document


def _announce(session: Session, document: Document, *, by_staff: bool) -> None:
    """Staff uploads go to the organization's members; client uploads to the assigned staff."""
    organization = session.get(Organization, document.organization_id)
    if by_staff:
        recipients = session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organization_id == organization.id)
        )
    else:
        engagements = select(Engagement.id).where(Engagement.organization_id == organization.id)
        if document.engagement_id is not None:
            engagements = engagements.where(Engagement.id == document.engagement_id)
        else:
            engagements = engagements.where(Engagement.status != EngagementStatus.CLOSED)
        recipients = session.scalars(
            select(User)
            .join(EngagementStaff, EngagementStaff.user_id == User.id)
            .where(EngagementStaff.engagement_id.in_(engagements))
        )
    where = organization.name
    if document.engagement_id is not None:
        where = f"{session.get(Engagement, document.engagement_id).title} ({organization.name})"
    link = PORTAL_DOCUMENTS if by_staff else admin_organization(organization.id)
    version = f" (version {document.current_version})" if document.current_version > 1 else ""
    wanting_mail = notify_each(
        session, recipients, Kind.DOCUMENT_ADDED, f"New document: {document.filename}{version} in {where}", link
    )
    emails.document_added(session, wanting_mail, filename=document.filename, where=where, by_staff=by_staff)


def may_add_version(session: Session, actor: User, document: Document) -> bool:
    """Whether ``actor`` may upload a new version of ``document`` (pages offer it only then)."""
    try:
        require_may_add_version(session, actor, document)
    except PermissionDenied:
        return False
    return True


def require_may_add_version(session: Session, actor: User, document: Document) -> None:
    """Staff, the original uploader, or an owner when a client uploaded it; PermissionDenied otherwise."""
    if authz.is_staff(actor):
        return
    first = session.scalars(
        select(DocumentVersion).where(DocumentVersion.document_id == document.id, DocumentVersion.version == 1)
    ).first()
    if first is not None and first.uploaded_by_id == actor.id:
        return
    if first is not None and not first.uploaded_by_staff:
        authz.require_org_owner(session, actor, document.organization_id)
        return
    raise PermissionDenied("Only Fluxent staff can replace this document.")


# Reading -------------------------------------------------------------------------


def get_document(session: Session, *, actor: User, document_id: int, include_deleted: bool = False) -> Document:
    """The document if ``actor`` may see it; deleted ones only for staff asking for them."""
    document = session.get(Document, document_id)
    if document is None or (document.deleted_at is not None and not (include_deleted and authz.is_staff(actor))):
        raise NotFound("No such document.")
    require_visible(session, actor, document.organization_id, missing="No such document.")
    return document


def list_documents(
    session: Session,
    *,
    actor: User,
    organization_id: int | None = None,
    engagement_id: int | None = None,
    include_deleted: bool = False,
    query: str = "",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page[Document]:
    """Newest first; ``query`` found in the file name (any case, ``%`` and ``_`` as plain text)."""
    statement = select(Document).order_by(Document.updated_at.desc(), Document.id.desc())
    if needle := search_needle(query):
        statement = statement.where(func.lower(Document.filename).contains(needle, autoescape=True))
    visible = visible_organization_ids(session, actor)
    if visible is not None:
        statement = statement.where(Document.organization_id.in_(visible))
    if not (include_deleted and authz.is_staff(actor)):
        statement = statement.where(Document.deleted_at.is_(None))
    if organization_id is not None:
        statement = statement.where(Document.organization_id == organization_id)
    if engagement_id is not None:
        statement = statement.where(Document.engagement_id == engagement_id)
    return paginate(session, statement, page=page, page_size=page_size)


@dataclass(frozen=True)
class RecentLine:
    id: int
    filename: str
    current_version: int
    updated_at: datetime


# Built once per shape (all organizations, or some) with bound parameters, like the
# dashboard's other statements: building one costs more than running it.
@cache
def _recent_statement(*, narrowed: bool) -> Select:
    statement = (
        select(Document.id, Document.filename, Document.current_version, Document.updated_at)
        .where(Document.deleted_at.is_(None))
        .order_by(Document.updated_at.desc(), Document.id.desc())
        .limit(bindparam("limit"))
    )
    return (
        statement.where(Document.organization_id.in_(bindparam("visible", expanding=True))) if narrowed else statement
    )


def recent_documents(session: Session, *, visible: list[int] | None, limit: int) -> list[RecentLine]:
    """The ``limit`` most recently updated documents (not deleted) of the organizations ``visible``
    (None: every organization, for staff), newest first.

    What ``list_documents`` gives on its first page, for a caller that has already worked out
    what the person may see (the dashboard): without the page's count or whole rows.
    """
    rows = session.execute(_recent_statement(narrowed=visible is not None), {"limit": limit, "visible": visible or []})
    return [RecentLine(*row) for row in rows]


def versions_of(session: Session, *, actor: User, document_id: int) -> list[DocumentVersion]:
    document = get_document(session, actor=actor, document_id=document_id, include_deleted=True)
    return list(
        session.scalars(
            select(DocumentVersion)
            .where(DocumentVersion.document_id == document.id)
            .order_by(DocumentVersion.version.desc())
        )
    )


INLINE_IMAGES = frozenset({"image/png", "image/jpeg", "image/webp"})


def may_show_inline(content_type: str) -> bool:
    """Whether a file may be shown in place: raster images only (never HTML, SVG or PDF)."""
    return (content_type or "").split(";")[0].strip().lower() in INLINE_IMAGES


def open_download(
    session: Session,
    *,
    actor: User,
    document_id: int,
    version: int | None = None,
    inline: bool = False,
    storage: Storage | None = None,
    clock: Clock = now,
) -> Download:
    """The bytes of one version (the current one by default), audited; ``inline`` (to be shown in
    place, not saved) is refused for anything but a raster image."""
    document = get_document(session, actor=actor, document_id=document_id)
    wanted = version if version is not None else document.current_version
    row = session.scalars(
        select(DocumentVersion).where(DocumentVersion.document_id == document.id, DocumentVersion.version == wanted)
    ).first()
    if row is None:
        raise NotFound("No such version of this document.")
    if inline and not may_show_inline(row.content_type):
        raise ValidationFailed(
            "Only images open in place; download this file instead.", fields={"inline": "Images only."}
        )
    # A download is a read: its event is appended in a brief write once the read has committed.
    write_soon(
        session,
        lambda writer: trail.record(
            writer,
            "documents.downloaded",
            actor=actor,
            target=document,
            organization=document.organization_id,
            meta={"version": row.version},
            clock=clock,
        ),
    )
    return Download(
        filename=row.filename,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        chunks=(storage or get_storage()).read(row.storage_key),
    )


def delete_document(session: Session, *, actor: User, document_id: int, clock: Clock = now) -> Document:
    """Soft delete (staff only): hidden from lists and downloads; the stored versions stay."""
    authz.require_staff(actor)
    document = get_document(session, actor=actor, document_id=document_id)
    document.deleted_at = clock()
    session.add(document)
    session.flush()
    trail.record(
        session,
        "documents.deleted",
        actor=actor,
        target=document,
        organization=document.organization_id,
        meta={"versions": document.current_version},
        clock=clock,
    )
    return document
