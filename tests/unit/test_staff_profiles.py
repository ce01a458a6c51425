"""Staff profiles for the Team page: name, bio and links checked as plain data; the staff list
filtered and paged; photos checked by content, size and pixel count, cropped and stripped of
their metadata, shown publicly only while listed, exported and erased with the person."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image
from sqlalchemy import select

from fluxent.core.errors import NotFound, PermissionDenied, TooLarge, ValidationFailed
from fluxent.models.accounts import Role, StaffProfile, User
from fluxent.models.audit import AuditEvent
from fluxent.services.accounts import staff, staff_photos
from fluxent.services.marketing import team
from fluxent.services.privacy.erasure import erase_user
from fluxent.services.privacy.export import export_user_data
from tests.support.images import GPS_TAG, camera_jpeg, pixel_bomb_png, transparent_png
from tests.support.portal import person, stored_files


def _edit(session, world, **changes):
    values = {"role": "staff", "title": "Engineer", "team": "Builds", "listed": True} | changes
    return staff.update_staff(session, actor=world.admin, user_id=world.staff.id, **values)


def _photos(data_dir):
    return [path for path in stored_files(data_dir) if "staff-photos" in path.parts]


def _profile(session, user_id):
    session.expire_all()
    profile = session.get(StaffProfile, user_id)
    return None if profile is None else (profile.title, profile.bio, profile.links, profile.photo_key)


def test_admins_edit_name_bio_and_links_and_the_team_page_shows_them(session, world):
    member = _edit(
        session,
        world,
        name="  Sam   Sterling ",
        bio="  Builds fleet software.\n  Likes boats. ",
        links=["https://github.com/sam", "", "http://sam.example/blog"],
    )
    assert (member.name, member.bio) == ("Sam Sterling", "Builds fleet software.\nLikes boats.")
    assert member.links == ("https://github.com/sam", "http://sam.example/blog")
    shown = team.listed_team(session)
    assert [(m.name, m.bio, m.links, m.photo_url) for m in shown] == [("Sam Sterling", member.bio, member.links, "")]
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "accounts.staff_updated")).all()[-1]
    assert all(field in event.meta for field in ("name", "bio", "links"))
    # Links as text, one a line (the drawer's text area), and no name: the name stays.
    assert _edit(session, world, links="https://a.example\n\nhttps://b.example\n").links == (
        "https://a.example",
        "https://b.example",
    )
    assert session.get(User, world.staff.id).name == "Sam Sterling"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"links": ["javascript:alert(1)"]}, "links"),
        ({"links": ["ftp://files.example"]}, "links"),
        ({"links": ["https://"]}, "links"),
        ({"links": ["https://a.example/ spaced"]}, "links"),
        ({"links": ["https://example.com/" + "a" * 200]}, "links"),
        ({"links": [f"https://{n}.example" for n in range(6)]}, "links"),
        ({"bio": "x" * 401}, "bio"),
        ({"bio": "hidden\x00text"}, "bio"),
        ({"bio": "right\u202eto left"}, "bio"),
        ({"name": "   "}, "name"),
        ({"name": "n" * 201}, "name"),
    ],
)
def test_bad_profile_input_is_refused_and_changes_nothing(session, world, changes, field):
    _edit(session, world, bio="Original", links=["https://sam.example"])
    before = _profile(session, world.staff.id)
    with pytest.raises(ValidationFailed) as refused:
        _edit(session, world, title="Changed", **changes)
    assert field in refused.value.fields
    assert _profile(session, world.staff.id) == before


def test_the_staff_list_is_filtered_by_text_and_role_and_paged(session, world):
    for number in range(5):
        person(session, f"eng{number}@fluxent.tech", Role.STAFF, f"Engineer {number}")
    everyone = staff.list_staff(session, actor=world.admin)
    assert everyone.total == 7 and len(everyone.items) == 7
    first = staff.list_staff(session, actor=world.admin, page_size=3)
    second = staff.list_staff(session, actor=world.admin, page=3, page_size=3)
    assert (first.total, first.pages, [m.name for m in second.items]) == (7, 3, ["Sam Staff"])
    assert [m.email for m in staff.list_staff(session, actor=world.admin, query="ENG3").items] == ["eng3@fluxent.tech"]
    assert [m.name for m in staff.list_staff(session, actor=world.admin, role="admin").items] == ["Ada Admin"]
    assert staff.list_staff(session, actor=world.admin, query="100%").total == 0  # wildcards are literal
    with pytest.raises(ValidationFailed):
        staff.list_staff(session, actor=world.admin, role="client")
    with pytest.raises(ValidationFailed):
        staff.list_staff(session, actor=world.admin, query="a\x00b")
    with pytest.raises(PermissionDenied):
        staff.list_staff(session, actor=world.staff)


# Photos -----------------------------------------------------------------------------


def test_a_photo_is_cropped_square_and_loses_its_metadata():
    stored = staff_photos.normalized_photo(camera_jpeg(1200, 800))
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size) == ("JPEG", (400, 400))
        assert GPS_TAG not in image.getexif() and len(image.getexif()) == 0
        assert "comment" not in image.info and "exif" not in image.info
    with Image.open(io.BytesIO(staff_photos.normalized_photo(transparent_png()))) as image:
        assert image.getpixel((10, 10)) == (255, 255, 255)  # transparency on white, not black


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"%PDF-1.7\n" + b"0" * 100, ValidationFailed, "could not be read"),
        (b"GIF89a" + b"\x00" * 100, ValidationFailed, "could not be read"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", ValidationFailed, "could not be read"),
        (b"\xff\xd8\xff\xe0 not really a jpeg" * 10, ValidationFailed, "could not be read"),
        (b"", ValidationFailed, "could not be read"),
        (pixel_bomb_png(), ValidationFailed, "too many pixels"),
        (b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024), TooLarge, "5 MB"),
    ],
    ids=["pdf", "gif", "svg", "broken-jpeg", "empty", "pixel-bomb", "oversized"],
)
def test_bad_photos_are_refused_and_nothing_is_stored(session, world, data_dir, data, error, message):
    with pytest.raises(error, match=message) as refused:
        staff_photos.set_photo(session, actor=world.admin, user_id=world.staff.id, data=data)
    assert "photo" in refused.value.fields
    assert _photos(data_dir) == [] and _profile(session, world.staff.id) is None


def test_only_admins_set_photos_and_only_for_staff(session, world, data_dir):
    for actor in (world.staff, world.owner_a):
        with pytest.raises(PermissionDenied):
            staff_photos.set_photo(session, actor=actor, user_id=world.staff.id, data=camera_jpeg())
        with pytest.raises(PermissionDenied):
            staff_photos.remove_photo(session, actor=actor, user_id=world.staff.id)
    with pytest.raises(NotFound):  # a client has no staff profile to show
        staff_photos.set_photo(session, actor=world.admin, user_id=world.owner_a.id, data=camera_jpeg())
    assert _photos(data_dir) == []


def test_a_new_photo_replaces_the_old_one_and_removing_it_deletes_the_file(session, world, data_dir):
    _edit(session, world)
    first = staff_photos.set_photo(session, actor=world.admin, user_id=world.staff.id, data=camera_jpeg()).photo_key
    second = staff_photos.set_photo(session, actor=world.admin, user_id=world.staff.id, data=transparent_png())
    assert second.photo_key != first and len(_photos(data_dir)) == 1
    url = team.listed_team(session)[0].photo_url
    assert url.startswith(f"/api/v1/team/{world.staff.id}/photo/?v=")
    staff_photos.remove_photo(session, actor=world.admin, user_id=world.staff.id)
    assert _photos(data_dir) == [] and team.listed_team(session)[0].photo_url == ""
    actions = [e.action for e in session.scalars(select(AuditEvent))]
    assert actions.count("accounts.staff_photo_set") == 2 and "accounts.staff_photo_removed" in actions


def test_a_photo_is_public_only_while_its_owner_is_listed(session, world, data_dir):
    _edit(session, world, listed=False)
    staff_photos.set_photo(session, actor=world.admin, user_id=world.staff.id, data=camera_jpeg())
    for viewer in (None, world.owner_a):
        with pytest.raises(NotFound):
            staff_photos.photo_chunks(session, user_id=world.staff.id, viewer=viewer)
    assert b"".join(staff_photos.photo_chunks(session, user_id=world.staff.id, viewer=world.admin))
    _edit(session, world, listed=True)
    assert b"".join(staff_photos.photo_chunks(session, user_id=world.staff.id, viewer=None)).startswith(b"\xff\xd8")
    with pytest.raises(NotFound):  # nobody else has one
        staff_photos.photo_chunks(session, user_id=world.admin.id, viewer=world.admin)


def test_the_profile_and_photo_are_exported_and_erased_with_the_person(session, world, data_dir):
    _edit(session, world, bio="Builds things.", links=["https://sam.example"])
    staff_photos.set_photo(session, actor=world.admin, user_id=world.staff.id, data=camera_jpeg())
    exported = export_user_data(session, user=world.staff)["staff_profile"]
    assert (exported["bio"], exported["links"]) == ("Builds things.", ["https://sam.example"])
    with Image.open(io.BytesIO(base64.b64decode(exported["photo_jpeg_base64"]))) as image:
        assert image.size == (400, 400)
    assert exported["photo_updated_at"]
    erase_user(session, user=session.get(User, world.staff.id), actor=world.admin)
    session.flush()
    assert session.get(StaffProfile, world.staff.id) is None and _photos(data_dir) == []
    assert team.listed_team(session) == []
