"""``/api/v1/notifications/``: each person's own notifications, paged, with the unread count;
marking read needs the session cookie and the CSRF token, and touches only one's own."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session

from fluxent.core import db
from fluxent.models.notifications import Notification
from fluxent.services.notifications import Kind, notify
from tests.support.portal import client_for

URL = "/api/v1/notifications/"
READ = "/api/v1/notifications/read/"


def _read_at(person) -> dict[int, object]:
    with Session(db.get_engine()) as fresh:
        return {n.id: n.read_at for n in fresh.scalars(select(Notification).where(Notification.user_id == person.id))}


def test_the_list_is_ones_own_newest_first_and_paged_with_the_unread_count(session, world):
    for number in range(3):
        notify(session, world.owner_a.id, Kind.MESSAGE, f"Message {number}", "/portal")
    session.commit()
    client = client_for(session, world.owner_a)
    body = client.get(URL, params={"page_size": 2}).json()
    assert [item["title"] for item in body["items"]] == ["Message 2", "Message 1"]
    assert (body["total"], body["pages"], body["unread"]) == (5, 3, 5)
    assert set(body["items"][0]) == {"id", "kind", "title", "link", "created_at", "read_at"}
    other = client_for(session, world.owner_b).get(URL).json()
    assert all("Message" not in item["title"] for item in other["items"])
    assert client.get(URL, params={"page_size": 101}).status_code == 422


def test_mark_some_then_all_read(session, world):
    client = client_for(session, world.owner_a)
    first, second = (item["id"] for item in client.get(URL).json()["items"])
    answer = client.post(READ, json={"ids": [first]})
    assert answer.status_code == 200 and answer.json() == {"marked": 1, "unread": 1}
    assert client.get(URL, params={"unread": "true"}).json()["items"][0]["id"] == second
    assert client.post(READ, json={"all": True}).json() == {"marked": 1, "unread": 0}
    assert client.post(READ, json={"all": True}).json() == {"marked": 0, "unread": 0}


def test_another_persons_notification_is_not_found_and_stays_unread(session, world):
    theirs = list(_read_at(world.owner_b))
    before = _read_at(world.owner_b), _read_at(world.owner_a)
    client = client_for(session, world.owner_a)
    mine = client.get(URL).json()["items"][0]["id"]
    answer = client.post(READ, json={"ids": [mine, theirs[0]]})
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
    assert (_read_at(world.owner_b), _read_at(world.owner_a)) == before  # not even one's own changed


def test_no_cookie_is_401_and_no_csrf_or_another_origin_is_403_and_nothing_changes(session, world):
    before = _read_at(world.owner_a)
    anonymous = client_for(session, None)
    assert anonymous.get(URL).status_code == 401
    assert anonymous.post(READ, json={"all": True}).status_code == 401
    client = client_for(session, world.owner_a)
    del client.headers["X-CSRFToken"]
    assert client.post(READ, json={"all": True}).status_code == 403
    client = client_for(session, world.owner_a)
    assert client.post(READ, json={"all": True}, headers={"Origin": "https://evil.example"}).status_code == 403
    assert _read_at(world.owner_a) == before


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"all": True, "ids": [1]},
        {"ids": []},
        {"ids": [0]},
        {"ids": ["x"]},
        {"ids": list(range(1, 102))},
        {"all": "yes please"},
        {"all": True, "extra": 1},
        "not an object",
    ],
)
def test_hostile_bodies_get_a_clear_4xx_and_nothing_changes(session, world, body):
    before = _read_at(world.owner_a)
    answer = client_for(session, world.owner_a).post(READ, json=body)
    assert answer.status_code in (400, 404, 422), answer.text
    assert answer.json()["error"]["message"]
    assert _read_at(world.owner_a) == before
