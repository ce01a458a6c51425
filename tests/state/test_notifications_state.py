"""The notification centre's state: the bell's count, opening and marking read, and saving
e-mail preferences (locked categories cannot be sent), always as the tab's own person."""

from __future__ import annotations

from sqlalchemy import select

from fluxent.core.db import session_scope
from fluxent.models.notifications import NotificationPreference
from fluxent.services.notifications import Kind, notify
from fluxent.state.notifications import NotificationsState
from tests.support.state import person, run, tab


def _told(user_id: int, *titles: str) -> None:
    with session_scope() as db:
        for title in titles:
            notify(db, user_id, Kind.MESSAGE, title, "/portal/engagements")


def test_the_bell_counts_only_ones_own_unread(database):
    kim, cookie = person("kim@example.com")
    lee, _ = person("lee@example.com")
    _told(kim, "One", "Two")
    _told(lee, "Theirs")
    state = tab(NotificationsState, cookie=cookie)
    state.count()
    assert (state.unread, state.bell_label) == (2, "Notifications, 2 unread")
    signed_out = tab(NotificationsState)
    signed_out.count()
    assert signed_out.unread == 0


def test_open_marks_read_and_goes_to_the_listed_link(database):
    kim, cookie = person("kim@example.com")
    _told(kim, "One", "Two")
    state = tab(NotificationsState, cookie=cookie)
    state.load()
    assert [row.title for row in state.items] == ["Two", "One"] and state.unread == 2
    events = run(state.open(state.items[0].id))
    assert len(events) == 1  # the redirect to the notification's own link
    assert state.unread == 1 and not state.items[0].unread
    assert run(state.open(999_999)) == []  # not in the list: nowhere to go, nothing marked
    state.mark_all_read()
    assert state.unread == 0 and state.notice == "Every notification is marked read."


def test_anothers_notification_cannot_be_marked(database):
    kim, cookie = person("kim@example.com")
    lee, lee_cookie = person("lee@example.com")
    _told(lee, "Theirs")
    theirs = tab(NotificationsState, cookie=lee_cookie)
    theirs.load()
    state = tab(NotificationsState, cookie=cookie)
    state.load()
    state.mark_read(theirs.items[0].id)
    assert state.notice_is_error and state.notice == "No such notification."
    theirs.load()
    assert theirs.unread == 1


def test_preferences_are_saved_and_locked_categories_stay_locked(database):
    kim, cookie = person("kim@example.com")
    state = tab(NotificationsState, cookie=cookie)
    state.load_preferences()
    locked = {row.category for row in state.choices if row.locked}
    assert {"security", "signatures", "policy"} <= locked
    form = {row.category: row.delivery for row in state.choices if not row.locked}
    run(state.save_preferences({**form, "documents": "digest", "security": "off"}))
    assert state.notice == "E-mail preferences saved." and state.errors == {}
    chosen = {row.category: row.delivery for row in state.choices}
    assert (chosen["documents"], chosen["security"]) == ("digest", "immediately")
    run(state.save_preferences({**form, "documents": "weekly"}))
    assert "documents" in state.errors
    with session_scope() as db:
        chosen = db.scalars(select(NotificationPreference).where(NotificationPreference.user_id == kim))
        saved = {(p.category, p.delivery) for p in chosen}
    assert saved == {("documents", "digest")}
