"""The portal session and the security page: identity comes from the cookie on every event."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from fluxent.core.clock import now
from fluxent.core.db import session_scope
from fluxent.core.passwords import verify_password
from fluxent.core.settings import get_settings
from fluxent.models.accounts import OrgRole
from fluxent.models.auth import AuthSession
from fluxent.services.auth import sessions
from fluxent.state.security import SecurityState, ago, session_row
from fluxent.state.session import SessionState
from tests.support.auth import IP
from tests.support.state import PASSWORD, cookie_for, person, reload, run, tab

NEW_PASSWORD = "granite violin harbor sunrise 42"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"


def _second_session(user_id: int, user_agent: str = PHONE) -> tuple[int, str]:
    with session_scope() as db:
        user = reload(db, user_id)
        auth_session, raw = sessions.start_session(db, user=user, ip="198.51.100.4", user_agent=user_agent)
        db.flush()
        return auth_session.id, cookie_for(raw)


def _revoked(session_id: int) -> bool:
    with session_scope() as db:
        return db.get(AuthSession, session_id).revoked_at is not None


def test_load_portal_shows_the_person_and_their_organizations(database):
    _, cookie = person("dana@example.com", name="Dana Whitfield", organization="Northwind", org_role=OrgRole.OWNER)
    state = tab(SessionState, cookie=cookie)
    state.load_portal()
    assert state.checked and state.signed_in
    assert (state.user_name, state.user_email, state.user_role, state.user_initials) == (
        "Dana Whitfield",
        "dana@example.com",
        "Client",
        "DW",
    )
    (organization,) = state.organizations
    assert (organization["name"], organization["role"]) == ("Northwind", "Owner") and organization["id"].isdigit()
    assert state.is_admin is False


def test_load_portal_without_a_live_session_shows_nothing(database):
    user_id, cookie = person("gone@example.com")
    for bad_cookie in (
        "",
        "sessionid=not-a-session",
        "sessionid=" + "x" * 500,
        "sessionid='; DROP TABLE auth_session;--",
    ):
        state = tab(SessionState, cookie=bad_cookie)
        state.load_portal()
        assert state.checked and not state.signed_in and state.user_email == ""

    state = tab(SessionState, cookie=cookie)
    state.load_portal()
    assert state.signed_in
    with session_scope() as db:
        for auth_session in db.exec(select(AuthSession).where(AuthSession.user_id == user_id)).all():
            sessions.revoke(db, auth_session)
    state.load_portal()
    assert not state.signed_in and state.user_name == "" and state.organizations == []


def test_an_idle_open_tab_notices_its_session_ended(database):
    user_id, cookie = person("idle@example.com")
    state = tab(SessionState, cookie=cookie)
    state.load_portal()
    state.recheck("04:30")
    assert state.signed_in
    with session_scope() as db:
        for auth_session in db.exec(select(AuthSession).where(AuthSession.user_id == user_id)).all():
            sessions.revoke(db, auth_session)
    state.recheck("05:00")
    assert not state.signed_in and state.user_email == ""


def _last_seen(user_id: int, minutes_ago: float | None = None):
    """The session's ``last_seen_at``; first moved ``minutes_ago`` into the past when given."""
    with session_scope() as db:
        auth_session = db.exec(select(AuthSession).where(AuthSession.user_id == user_id)).one()
        if minutes_ago is not None:
            auth_session.last_seen_at = now() - timedelta(minutes=minutes_ago)
            db.add(auth_session)
        return auth_session.last_seen_at


def test_the_open_tabs_timer_is_not_activity_so_an_unused_tab_times_out(database):
    user_id, cookie = person("idle@example.com")
    idle = get_settings().session_idle_minutes
    state = tab(SessionState, cookie=cookie)
    state.load_portal()
    seen = _last_seen(user_id, minutes_ago=idle - 5)
    for tick in ("00:30", "01:00", "01:30"):
        state.recheck(tick)
    assert state.signed_in and _last_seen(user_id) == seen
    _last_seen(user_id, minutes_ago=idle + 1)
    state.recheck("02:00")
    assert not state.signed_in


def test_a_real_event_is_activity(database):
    user_id, cookie = person("busy@example.com")
    idle = get_settings().session_idle_minutes
    seen = _last_seen(user_id, minutes_ago=idle - 5)
    state = tab(SessionState, cookie=cookie)
    state.load_portal()
    assert state.signed_in and _last_seen(user_id) > seen + timedelta(minutes=idle - 6)


def test_sessions_list_marks_this_device_and_reads_the_user_agent(database):
    user_id, cookie = person("sam@example.com")
    _second_session(user_id)
    state = tab(SecurityState, cookie=cookie)
    state.load()
    assert state.sessions_loaded
    by_device = {row["device"]: row for row in state.sessions}
    assert by_device["Firefox on Windows"]["current"] == "yes"
    assert by_device["Firefox on Windows"]["ip"] == IP
    assert by_device["Safari on iOS"]["current"] == "" and by_device["Safari on iOS"]["kind"] == "phone"
    assert state.other_sessions == 1
    assert state.others_summary == "You are also signed in on 1 other session."


def test_revoke_others_ends_every_other_session_of_the_caller_only(database):
    user_id, cookie = person("sam@example.com")
    other_id, _ = _second_session(user_id)
    stranger_id, _ = person("stranger@example.com")
    stranger_session, _ = _second_session(stranger_id)
    state = tab(SecurityState, cookie=cookie)
    state.load()

    run(state.revoke_others())
    assert _revoked(other_id)
    assert not _revoked(stranger_session)
    assert state.notice == "Signed out of 1 other session."
    assert [row["current"] for row in state.sessions] == ["yes"]


def test_revoke_one_session_refuses_someone_elses(database):
    user_id, cookie = person("sam@example.com")
    stranger_id, _ = person("stranger@example.com")
    stranger_session, _ = _second_session(stranger_id)
    state = tab(SecurityState, cookie=cookie)
    for bad in (str(stranger_session), "999999", "abc", "1; DROP TABLE auth_session"):
        run(state.revoke(bad))
        assert state.notice == "That session was already signed out." and state.notice_is_error
    assert not _revoked(stranger_session)

    mine, _ = _second_session(user_id)
    run(state.revoke(str(mine)))
    assert _revoked(mine) and state.notice == "Session signed out." and not state.notice_is_error


def test_a_revoked_tab_can_do_nothing_more(database):
    user_id, _ = person("sam@example.com")
    revoked_id, revoked_cookie = _second_session(user_id)
    _, other_cookie = _second_session(user_id)
    other_tab = tab(SecurityState, cookie=other_cookie)
    state = tab(SecurityState, cookie=revoked_cookie)
    state.load_portal()
    state.load()
    assert state.signed_in

    run(tab(SecurityState, cookie=other_cookie).revoke(str(revoked_id)))
    # The open tab's next event finds its session gone: it signs out and changes nothing.
    run(state.revoke_others())
    assert not state.signed_in and state.user_email == ""
    run(state.change_password({"current_password": PASSWORD, "new_password": NEW_PASSWORD}))
    with session_scope() as db:
        assert verify_password(PASSWORD, reload(db, user_id).password_hash)
    other_tab.load()
    assert len(other_tab.sessions) == 2  # the revoking tab's two remaining sessions, untouched


def test_change_password_shows_the_reason_inline_and_changes_nothing(database):
    user_id, cookie = person("sam@example.com", name="Sam Carter")
    state = tab(SecurityState, cookie=cookie)

    run(state.change_password({"current_password": "wrong password entirely", "new_password": NEW_PASSWORD}))
    assert state.password_errors == {"current_password": "Your current password is incorrect."}

    run(state.change_password({"current_password": PASSWORD, "new_password": "short"}))
    assert state.password_errors == {"new_password": "Use at least 15 characters."}
    run(state.change_password({"current_password": PASSWORD, "new_password": "sam carter sam carter 123"}))
    assert "name" in state.password_errors["new_password"]
    assert state.changing_password is False
    with session_scope() as db:
        assert verify_password(PASSWORD, reload(db, user_id).password_hash)


def test_change_password_keeps_this_session_and_ends_the_others(database):
    user_id, cookie = person("sam@example.com")
    other_id, _ = _second_session(user_id)
    state = tab(SecurityState, cookie=cookie)
    version = state.password_form_version
    run(state.change_password({"current_password": PASSWORD, "new_password": NEW_PASSWORD}))
    assert state.password_errors == {}
    assert state.notice == "Password changed. 1 other session signed out."
    assert state.password_form_version == version + 1
    assert _revoked(other_id)
    assert [row["current"] for row in state.sessions] == ["yes"]
    with session_scope() as db:
        assert verify_password(NEW_PASSWORD, reload(db, user_id).password_hash)


def test_times_read_as_people_say_them(database):
    from datetime import UTC, datetime, timedelta

    moment = datetime(2026, 11, 9, 14, 5, tzinfo=UTC)
    assert ago(moment, moment + timedelta(seconds=30)) == "Just now"
    assert ago(moment, moment + timedelta(minutes=12)) == "12 minutes ago"
    assert ago(moment, moment + timedelta(hours=3)) == "3 hours ago"
    assert ago(moment, moment + timedelta(days=3)) == "9 Nov 2026, 14:05 UTC"
    row = session_row(
        AuthSession(
            id=5,
            key_hash="x",
            user_id=1,
            ip="",
            user_agent="",
            created_at=moment,
            last_seen_at=moment,
            expires_at=moment,
        ),
        current_id=5,
        moment=moment,
    )
    assert row["device"] == "Unknown device" and row["ip"] == "Unknown" and row["current"] == "yes"
