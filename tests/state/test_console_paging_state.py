"""The console lists' states: a filter starts again at page one, the pager stays within the
pages, and the staff drawer's photo upload reads at most the size limit and stores for admins only."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from fluxent.core.db import session_scope
from fluxent.core.errors import PermissionDenied, TooLarge, ValidationFailed
from fluxent.models.accounts import Role, StaffProfile
from fluxent.services.accounts import organizations, staff_photos
from fluxent.state.admin_orgs import OrganizationsState
from fluxent.state.admin_staff import AdminStaffState, _read_photo
from fluxent.state.uploads import store_staff_photo
from tests.state.test_admin_console_state import console_tab
from tests.support.images import camera_jpeg
from tests.support.state import person, run_async


def test_the_organizations_pager_and_filter(database):
    _, staff_cookie = person("sam@fluxent.tech", role=Role.STAFF)
    with session_scope() as db:
        for number in range(23):
            organizations.get_or_create_organization(db, name=f"Client {number:02d}")
    listing = console_tab(OrganizationsState, cookie=staff_cookie)
    listing.load()
    assert (listing.total, listing.pages, len(listing.rows), listing.rows[0].members) == (23, 2, 20, 0)
    listing.go_to(2)
    assert [row.name for row in listing.rows] == ["Client 20", "Client 21", "Client 22"]
    listing.go_to(99)
    assert listing.page == 2
    listing.search({"q": "client 1"})
    assert listing.page == 1 and listing.total == 10
    listing.search({"q": "bad\x00"})
    assert "filter.q" in listing.errors and listing.notice_is_error


def test_the_staff_table_filters_and_the_drawer_opens_and_closes(database):
    person("sam@fluxent.tech", role=Role.STAFF, name="Sam Staff")
    _, admin_cookie = person("ada@fluxent.tech", role=Role.ADMIN, name="Ada Admin")
    page = console_tab(AdminStaffState, cookie=admin_cookie)
    page.load()
    assert page.total == 2
    page.search({"q": "", "role": "staff"})
    assert [row.name for row in page.rows] == ["Sam Staff"]
    page.search({"q": "ADA", "role": "anything"})
    assert [row.name for row in page.rows] == ["Ada Admin"] and page.role_filter == ""
    page.open_editor(page.rows[0].user_id)
    assert page.edited.email == "ada@fluxent.tech"
    page.editor_key("Enter")
    assert page.editing != 0
    page.editor_key("Escape")
    assert page.editing == 0 and page.edited.user_id == 0


async def _chunks(*parts: bytes):
    for part in parts:
        yield SimpleNamespace(data=part, filename="me.jpg")


def test_the_photo_upload_stops_at_the_limit_and_stores_for_admins_only(database):
    sam_id, sam_cookie = person("sam@fluxent.tech", role=Role.STAFF)
    _, admin_cookie = person("ada@fluxent.tech", role=Role.ADMIN)
    block = b"\xff" * (1024 * 1024)
    with pytest.raises(TooLarge):
        run_async(_read_photo(_chunks(*([block] * 6))))
    with pytest.raises(ValidationFailed):
        run_async(_read_photo(_chunks()))
    photo = run_async(_read_photo(_chunks(camera_jpeg())))
    with pytest.raises(PermissionDenied):
        store_staff_photo(sam_cookie, sam_id, photo, viewing_as=0)
    with pytest.raises(ValidationFailed):
        store_staff_photo("sessionid=forged", sam_id, photo, viewing_as=0)
    with pytest.raises(PermissionDenied):  # an admin viewing the portal as a client changes nothing
        store_staff_photo(admin_cookie, sam_id, photo, viewing_as=1)
    with session_scope() as db:
        assert db.get(StaffProfile, sam_id) is None
    store_staff_photo(admin_cookie, sam_id, photo, viewing_as=0)
    with session_scope() as db:
        assert db.get(StaffProfile, sam_id).photo_key
    assert staff_photos.MAX_PHOTO_BYTES == 5 * 1024 * 1024
