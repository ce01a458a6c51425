"""Document versions on the portal's documents page and the console's organization page: the list
with who and when, downloads per version, and new versions under the documents service's rules."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from fluxent import routes
from fluxent.core.db import session_scope
from fluxent.core.errors import PermissionDenied
from fluxent.models.accounts import User
from fluxent.models.documents import DocumentVersion
from fluxent.services.auth import sessions
from fluxent.services.portal import documents, listings
from fluxent.services.privacy.erasure import erase_user
from fluxent.state.admin_orgs import AdminOrganizationState
from fluxent.state.portal import DocumentsState
from fluxent.state.uploads import stream_upload
from tests.support.portal import PDF_BYTES, build_world
from tests.support.state import cookie_for, run_async, tab

NEW_PDF = PDF_BYTES.replace(b"0", b"1")


def _cookie(db, user) -> str:
    _, raw = sessions.start_session(db, user=user)
    return cookie_for(raw)


def _upload_version(cookie: str, document_id: int, content: bytes = NEW_PDF) -> str:
    class Chunk:
        filename, data = "plan-v2.pdf", content

    async def chunks():
        yield Chunk()

    async def main() -> str:
        loop = asyncio.get_running_loop()
        return await asyncio.to_thread(stream_upload, cookie, f"doc:{document_id}", chunks(), loop, viewing_as=0)

    return run_async(main())


@pytest.fixture
def people(database, data_dir):
    with session_scope() as db:
        world = build_world(db)
        cookies = {name: _cookie(db, getattr(world, name)) for name in ("owner_a", "member_a", "owner_b", "staff")}
    return world, cookies


def test_the_portal_lists_versions_with_who_and_when_and_offers_a_new_one_only_where_allowed(people):
    world, cookies = people
    member = tab(DocumentsState, cookie=cookies["member_a"])
    member.load()
    member.toggle_versions(world.document_a.id)
    assert member.open_document == world.document_a.id and member.open_filename == "plan.pdf"
    (first,) = member.version_rows
    assert (first.version, first.by, first.filename) == (1, "Sam Staff (Fluxent)", "plan.pdf")
    assert first.when.endswith(" UTC") and first.download_url.endswith(
        routes.api_document_download(world.document_a.id, 1)
    )
    assert member.may_add_version is False  # a staff document: only staff replace it
    with pytest.raises(PermissionDenied):
        _upload_version(cookies["member_a"], world.document_a.id)

    assert _upload_version(cookies["staff"], world.document_a.id) == "plan-v2.pdf"
    member.toggle_versions(world.document_a.id)  # closes
    assert member.open_document == 0 and member.version_rows == []
    member.toggle_versions(world.document_a.id)
    assert [(row.version, row.filename) for row in member.version_rows] == [(2, "plan-v2.pdf"), (1, "plan.pdf")]
    assert member.version_rows[1].download_url.endswith("?version=1")
    member.load()  # a page load closes the panel and shows the document at its new version
    assert member.open_document == 0 and [row.version for row in member.rows] == [2]


def test_another_organization_cannot_open_or_replace_a_document(people):
    world, cookies = people
    outsider = tab(DocumentsState, cookie=cookies["owner_b"])
    outsider.toggle_versions(world.document_a.id)
    assert outsider.open_document == 0 and outsider.version_rows == []
    assert outsider.notice_is_error and outsider.notice == "No such document."
    with pytest.raises(Exception, match="No such document"):
        _upload_version(cookies["owner_b"], world.document_a.id)
    with session_scope() as db:
        assert (
            len(db.exec(select(DocumentVersion).where(DocumentVersion.document_id == world.document_a.id)).all()) == 1
        )


def test_a_client_replaces_their_own_upload_and_the_console_sees_it(people):
    world, cookies = people
    with session_scope() as db:
        own = documents.upload(
            db,
            actor=db.get(User, world.member_a.id),
            filename="brief.pdf",
            chunks=[PDF_BYTES],
            organization_id=world.org_a,
        )
    member = tab(DocumentsState, cookie=cookies["member_a"])
    member.toggle_versions(own.id)
    assert member.may_add_version is True and member.version_rows[0].by == "Mark Member"
    _upload_version(cookies["member_a"], own.id)

    console = tab(AdminOrganizationState, cookie=cookies["staff"])
    console.organization_id = world.org_a
    console._load(console._fill)
    console.toggle_versions(own.id)
    assert [row.version for row in console.version_rows] == [2, 1] and console.may_add_version is True
    assert {row.by for row in console.version_rows} == {"Mark Member"}


def test_an_erased_uploader_is_not_named(people):
    world, _ = people
    with session_scope() as db:
        member = db.get(User, world.member_a.id)
        own = documents.upload(db, actor=member, filename="brief.pdf", chunks=[PDF_BYTES], organization_id=world.org_a)
        erase_user(db, user=member, actor=member)
    with session_scope() as db:
        found = listings.document_versions(db, actor=db.get(User, world.staff.id), document_id=own.id)
    assert [line.uploaded_by for line in found.versions] == [listings.ERASED_UPLOADER]
