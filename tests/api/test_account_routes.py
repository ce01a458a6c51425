"""The signed-in person's account over HTTP: profile rectification, e-mail change,
password change, sessions, and the admin's view-as switch."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text, update
from sqlmodel import select

from fluxent import routes
from fluxent.models.accounts import Organization, Role, User
from fluxent.services.accounts import organizations
from tests.support.auth import PASSWORD, audit_actions
from tests.support.auth_api import ADA, BOB, error_code, read

NEW_EMAIL = "ada.king@example.org"
NEW_PASSWORD = "granite sparrow lullaby meridian"


@pytest.fixture
def ada(browser, people):
    browser.sign_in(ADA)
    return browser


# Profile --------------------------------------------------------------------------------


def test_me_shows_the_person_and_is_never_cached(ada, people):
    response = ada.get(routes.API_ME)
    assert response.headers["cache-control"] == "no-store"
    user = response.json()["user"]
    assert user["organizations"] == [{"id": people.acme.id, "name": "Acme Widgets", "role": "member"}]
    assert "password" not in response.text and "hash" not in response.text


@pytest.mark.parametrize(
    "cookie",
    ["", "not-a-session", "x" * 129, "%C3%A9%00", "'; DROP TABLE auth_session; --"],
    ids=["empty", "unknown", "too-long", "percent-encoded", "injection"],
)
def test_me_without_a_live_session_is_401_and_reads_nothing_else(browser, people, cookie):
    browser.client.cookies.set("sessionid", cookie)
    response = browser.get(routes.API_ME)
    assert response.status_code == 401 and error_code(response) == "not_authenticated"


def test_me_after_sign_out_is_401(ada, people):
    assert ada.post(routes.API_LOGOUT).status_code in (200, 204, 303)
    response = ada.get(routes.API_ME)
    assert response.status_code == 401 and "user" not in response.json()


def test_patch_rectifies_own_fields_and_audits_names_only(ada, people):
    response = ada.send("PATCH", routes.API_ME, {"name": "Ada King", "phone": "+44 20 7946 0958", "country": "gb"})
    assert response.status_code == 200
    assert response.json()["user"]["country"] == "GB"
    assert sorted(response.json()["changed"]) == ["country", "name", "phone"]
    meta = read(
        lambda db: db.execute(
            text("SELECT meta FROM audit_event WHERE action = 'accounts.profile_updated'")
        ).scalar_one()
    )
    assert sorted(json.loads(meta)["fields"]) == ["country", "name", "phone"] and "Ada King" not in meta


ADMIN_FIELDS = [
    {"role": "admin"},
    {"organization": 1},
    {"organizations": []},
    {"is_staff": True},
    {"title": "CTO"},
    {"team": "Leadership"},
    {"email_verified_at": None},
    {"password_hash": "$2b$04$x"},
    {"id": 99},
]
BAD_VALUES = [
    ({"phone": "<script>alert(1)</script>"}, "phone"),
    ({"country": "'; DROP TABLE x; --"}, "country"),
    ({"name": "x" * 500}, "name"),
    ({"username": "../admin"}, "username"),
    ({"name": ["list"]}, "name"),
]


def test_role_org_and_staff_fields_are_refused_by_name(ada, people):
    for changes in ADMIN_FIELDS:
        response = ada.send("PATCH", routes.API_ME, {"name": "Changed Name", **changes})
        assert response.status_code == 422, changes
        assert set(changes) <= set(response.json()["error"]["fields"]), changes
    user = read(lambda db: db.get(User, people.ada.id))
    assert (user.name, user.role) == ("Ada Lovelace", Role.CLIENT)


def test_bad_values_are_422_and_change_nothing(ada, people):
    for changes, field in BAD_VALUES:
        response = ada.send("PATCH", routes.API_ME, {"company": "Should Not Stick", **changes})
        assert response.status_code == 422 and field in response.json()["error"]["fields"], changes
    assert read(lambda db: db.get(User, people.ada.id)).company == "Analytical Engines"


def test_taking_someone_elses_username_is_409(ada, people):
    response = ada.send("PATCH", routes.API_ME, {"username": "bob.b"})
    assert response.status_code == 409 and "username" in response.json()["error"]["fields"]


def test_email_change_needs_reauthentication_and_the_new_address_code(ada, make_browser, people, outbox):
    no_password = ada.send("PATCH", routes.API_ME, {"email": NEW_EMAIL})
    assert no_password.status_code == 422 and "current_password" in no_password.json()["error"]["fields"]
    wrong = ada.send("PATCH", routes.API_ME, {"email": NEW_EMAIL, "current_password": "not it at all"})
    assert wrong.status_code == 422
    assert outbox.messages(NEW_EMAIL) == []

    pending = ada.send("PATCH", routes.API_ME, {"email": NEW_EMAIL, "current_password": PASSWORD})
    assert pending.status_code == 200
    assert pending.json()["pending_email"] == NEW_EMAIL and pending.json()["user"]["email"] == ADA
    code = outbox.code(NEW_EMAIL)
    wrong_code = "000000" if code != "000000" else "111111"
    assert ada.post(routes.API_ME_EMAIL_VERIFY, {"code": wrong_code}).status_code == 422

    confirmed = ada.post(routes.API_ME_EMAIL_VERIFY, {"code": code})
    assert confirmed.status_code == 200 and confirmed.json()["user"]["email"] == NEW_EMAIL
    assert "changed" in outbox.last(ADA)["Subject"]
    make_browser().sign_in(NEW_EMAIL)
    assert make_browser().post(routes.API_LOGIN, {"login": ADA, "password": PASSWORD}).status_code == 401


def test_another_persons_email_code_does_not_move_my_address(ada, make_browser, people, outbox):
    bob = make_browser()
    bob.sign_in(BOB)
    bob.send("PATCH", routes.API_ME, {"email": "bob.new@example.org", "current_password": PASSWORD})
    bobs_code = outbox.code("bob.new@example.org")
    assert ada.post(routes.API_ME_EMAIL_VERIFY, {"code": bobs_code}).status_code == 422
    assert read(lambda db: db.get(User, people.ada.id)).email == ADA


# Password change ------------------------------------------------------------------------


def test_password_change_needs_the_current_one_and_ends_only_other_sessions(ada, make_browser, people):
    elsewhere = make_browser()
    elsewhere.sign_in(ADA)
    wrong = ada.post(routes.API_PASSWORD_CHANGE, {"current_password": "nope nope", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 422 and "current_password" in wrong.json()["error"]["fields"]
    assert elsewhere.get(routes.API_ME).status_code == 200

    changed = ada.post(routes.API_PASSWORD_CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.json() == {"sessions_revoked": 1}
    assert elsewhere.get(routes.API_ME).status_code == 401
    assert ada.get(routes.API_ME).status_code == 200
    make_browser().sign_in(ADA, NEW_PASSWORD)


def test_a_weak_new_password_is_refused(ada, people):
    response = ada.post(routes.API_PASSWORD_CHANGE, {"current_password": PASSWORD, "new_password": "ada lovelace 1"})
    assert response.status_code == 422 and "password" in response.json()["error"]["fields"]


# Sessions ------------------------------------------------------------------------------


def test_sessions_list_mine_only_and_mark_the_current_one(ada, make_browser, people):
    make_browser().sign_in(ADA)
    make_browser().sign_in(BOB)
    listed = ada.get(routes.API_SESSIONS)
    assert listed.headers["cache-control"] == "no-store"
    sessions = listed.json()["sessions"]
    assert len(sessions) == 2 and [s["current"] for s in sessions].count(True) == 1
    assert "key" not in listed.text and "hash" not in listed.text


def test_revoking_a_session_ends_it_at_once(ada, make_browser, people):
    elsewhere = make_browser()
    elsewhere.sign_in(ADA)
    other_id = next(s["id"] for s in ada.get(routes.API_SESSIONS).json()["sessions"] if not s["current"])
    assert ada.send("DELETE", routes.API_SESSION.format(session_id=other_id)).status_code == 204
    assert elsewhere.get(routes.API_ME).status_code == 401
    assert ada.get(routes.API_ME).status_code == 200


def test_someone_elses_session_is_not_found(ada, make_browser, people):
    bob = make_browser()
    bob.sign_in(BOB)
    bobs_id = bob.get(routes.API_SESSIONS).json()["sessions"][0]["id"]
    response = ada.send("DELETE", routes.API_SESSION.format(session_id=bobs_id))
    assert response.status_code == 404
    assert bob.get(routes.API_ME).status_code == 200


def test_out_of_range_ids_are_422_not_a_database_error(ada, people):
    for path, body in [
        (routes.API_SESSION.format(session_id=2**40), None),
        (routes.API_SESSION.format(session_id=0), None),
        (routes.API_VIEW_AS, {"organization": 2**40}),
    ]:
        method = "DELETE" if body is None else "POST"
        response = ada.send(method, path, body)
        assert (response.status_code, error_code(response)) == (422, "validation_failed"), path


def test_revoking_my_current_session_signs_me_out(ada, people):
    current = ada.get(routes.API_SESSIONS).json()["sessions"][0]["id"]
    response = ada.send("DELETE", routes.API_SESSION.format(session_id=current))
    assert 'sessionid=""' in response.headers["set-cookie"]
    assert ada.get(routes.API_ME).status_code == 401


def test_revoke_others_keeps_this_browser(ada, make_browser, people):
    others = [make_browser() for _ in range(2)]
    for other in others:
        other.sign_in(ADA)
    assert ada.post(routes.API_SESSIONS_REVOKE_OTHERS).json() == {"revoked": 2}
    assert [other.get(routes.API_ME).status_code for other in others] == [401, 401]
    assert ada.get(routes.API_ME).status_code == 200
    assert "auth.session_revoked" in read(audit_actions)


# View as ---------------------------------------------------------------------------------


def test_admins_switch_view_as_on_and_off_audited(make_browser, people):
    admin = make_browser()
    admin.sign_in("admin@example.com")
    on = admin.post(routes.API_VIEW_AS, {"organization": people.acme.id})
    assert on.json() == {"organization": {"id": people.acme.id, "name": "Acme Widgets"}}
    assert admin.post(routes.API_VIEW_AS, {"organization": None}).json() == {"organization": None}
    assert read(audit_actions)[-2:] == ["auth.view_as_started", "auth.view_as_stopped"]
    assert admin.post(routes.API_VIEW_AS, {"organization": 987654}).status_code == 404


ORGANIZATIONS = "/api/v1/organizations/"


def test_while_viewing_as_the_api_answers_as_the_owner_and_refuses_every_change(make_browser, people, session):
    other = organizations.get_or_create_organization(session, name="Globex")
    session.commit()
    admin = make_browser()
    admin.sign_in("admin@example.com")
    assert admin.post(routes.API_VIEW_AS, {"organization": people.acme.id}).status_code == 200

    names = [row["name"] for row in admin.get(ORGANIZATIONS).json()["items"]]
    assert names == ["Acme Widgets"]  # the owner's view, not the administrator's
    assert admin.get(f"{ORGANIZATIONS}{other.id}/").status_code == 404
    created = admin.post(ORGANIZATIONS, {"name": "Made while viewing"})
    assert created.status_code == 403 and error_code(created) == "viewing_read_only"
    assert (
        read(lambda db: db.exec(select(Organization).where(Organization.name == "Made while viewing")).first()) is None
    )
    # The administrator's own account stays theirs.
    assert admin.get(routes.API_ME).json()["user"]["email"] == "admin@example.com"

    assert admin.post(routes.API_VIEW_AS, {"organization": None}).status_code == 200
    assert {"Acme Widgets", "Globex"} <= {row["name"] for row in admin.get(ORGANIZATIONS).json()["items"]}
    assert admin.post(ORGANIZATIONS, {"name": "Made after"}).status_code == 201


def test_the_view_held_on_a_session_ends_when_the_admin_is_demoted(make_browser, people, session):
    organizations.get_or_create_organization(session, name="Globex")
    session.commit()
    admin = make_browser()
    admin.sign_in("admin@example.com")
    admin.post(routes.API_VIEW_AS, {"organization": people.acme.id})
    session.exec(update(User).where(User.id == people.admin.id).values(role=Role.STAFF))
    session.commit()
    # Seen as themselves again (staff see every organization), and nothing held grants anything.
    assert {"Acme Widgets", "Globex"} <= {row["name"] for row in admin.get(ORGANIZATIONS).json()["items"]}


@pytest.mark.parametrize("login", [ADA, "staff@example.com"])
def test_nobody_but_admins_may_view_as(make_browser, people, login):
    caller = make_browser()
    caller.sign_in(login)
    response = caller.post(routes.API_VIEW_AS, {"organization": people.acme.id})
    assert response.status_code == 403 and error_code(response) == "permission_denied"
