"""The Team page's photo route and the staff list's filters over the API: a listed staff member's
photo is public, anyone else's only for staff; the list pages, filters and saves profiles."""

from __future__ import annotations

from fluxent.services.accounts import staff, staff_photos
from tests.support.images import camera_jpeg
from tests.support.portal import client_for


def _listed_with_photo(session, world, *, listed: bool) -> str:
    staff.update_staff(
        session, actor=world.admin, user_id=world.staff.id, role="staff", title="", team="", listed=listed
    )
    staff_photos.set_photo(session, actor=world.admin, user_id=world.staff.id, data=camera_jpeg())
    session.commit()
    return f"/api/v1/team/{world.staff.id}/photo/"


def test_a_listed_staff_members_photo_is_public(session, world, data_dir):
    path = _listed_with_photo(session, world, listed=True)
    answer = client_for(session, None).get(path + "?v=1")
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
    assert answer.headers["x-content-type-options"] == "nosniff" and answer.content.startswith(b"\xff\xd8")
    assert "private" in answer.headers["cache-control"]


def test_an_unlisted_photo_is_only_for_staff(session, world, data_dir):
    path = _listed_with_photo(session, world, listed=False)
    assert client_for(session, None).get(path).status_code == 404
    assert client_for(session, world.owner_a).get(path).status_code == 404
    assert client_for(session, world.staff).get(path).status_code == 200
    for missing in (f"/api/v1/team/{world.admin.id}/photo/", f"/api/v1/team/{world.owner_a.id}/photo/"):
        assert client_for(session, world.admin).get(missing).status_code == 404
    assert client_for(session, None).get("/api/v1/team/abc/photo/").status_code in (404, 422)


def test_the_staff_list_pages_and_filters_and_saves_the_profile(session, world, data_dir):
    admin = client_for(session, world.admin)
    first = admin.get("/api/v1/staff/?page_size=1").json()
    assert (first["total"], first["pages"], [m["name"] for m in first["items"]]) == (2, 2, ["Ada Admin"])
    assert [m["name"] for m in admin.get("/api/v1/staff/?q=sam").json()["items"]] == ["Sam Staff"]
    assert [m["name"] for m in admin.get("/api/v1/staff/?role=admin").json()["items"]] == ["Ada Admin"]
    assert admin.get("/api/v1/staff/?role=client").status_code == 422
    saved = admin.put(
        f"/api/v1/staff/{world.staff.id}/",
        json={"role": "staff", "name": "Sam Sterling", "bio": "Builds.", "links": ["https://sam.example"]},
    )
    assert saved.status_code == 200
    assert (saved.json()["name"], saved.json()["bio"], saved.json()["links"]) == (
        "Sam Sterling",
        "Builds.",
        ["https://sam.example"],
    )
    refused = admin.put(f"/api/v1/staff/{world.staff.id}/", json={"role": "staff", "links": ["javascript:alert(1)"]})
    assert refused.status_code == 422
    assert admin.get("/api/v1/staff/?q=sam").json()["items"][0]["links"] == ["https://sam.example"]
    assert client_for(session, world.staff).get("/api/v1/staff/").status_code == 403
    assert client_for(session, None).get("/api/v1/staff/").status_code == 401
