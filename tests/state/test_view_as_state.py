"""View as client: the localStorage value is only a wish; the resolved user decides."""

from __future__ import annotations

from sqlalchemy import text

from fluxent.core.db import session_scope
from fluxent.models.accounts import OrgRole, Role
from fluxent.services.accounts import organizations
from fluxent.state.view_as import ViewAsState, organization_id_of
from tests.support.state import person, run, tab


def _organization(name: str) -> int:
    with session_scope() as db:
        return organizations.get_or_create_organization(db, name=name).id


def _actions() -> list[str]:
    with session_scope() as db:
        return [
            row[0]
            for row in db.execute(text("SELECT action FROM audit_event WHERE action LIKE 'auth.view_as%' ORDER BY seq"))
        ]


def test_a_client_who_stores_another_organizations_id_sees_nothing_of_it(database):
    _, cookie = person("client@example.com", organization="Northwind", org_role=OrgRole.OWNER)
    other = _organization("Contoso Freight")
    state = tab(ViewAsState, cookie=cookie)
    for stored in (str(other), f" {other} ", "1", "0", "-1", "abc", "1 OR 1=1", "9" * 40, ""):
        state.view_as_role = stored
        state.load()
        assert state.viewing_id == "" and state.viewing_name == ""
        assert state.choices == []


def test_a_client_cannot_start_viewing_as_anyone(database):
    _, cookie = person("client@example.com", organization="Northwind")
    other = _organization("Contoso Freight")
    state = tab(ViewAsState, cookie=cookie)
    run(state.start(str(other)))
    assert state.viewing_name == "" and state.view_as_role == ""
    assert state.notice == "Only administrators can do this."
    assert _actions() == []


def test_staff_are_not_administrators_here(database):
    _, cookie = person("staff@example.com", role=Role.STAFF)
    other = _organization("Contoso Freight")
    state = tab(ViewAsState, cookie=cookie)
    state.view_as_role = str(other)
    state.load()
    assert state.viewing_name == "" and state.choices == []


def test_an_admin_views_an_organization_and_exits_audited(database):
    _, cookie = person("admin@example.com", role=Role.ADMIN, name="Marcus Cole")
    northwind = _organization("Northwind")
    contoso = _organization("Contoso Freight")
    state = tab(ViewAsState, cookie=cookie)
    state.load()
    assert state.choices == [
        {"id": str(contoso), "name": "Contoso Freight"},
        {"id": str(northwind), "name": "Northwind"},
    ]

    run(state.start(str(northwind)))
    assert (state.viewing_id, state.viewing_name, state.view_as_role) == (str(northwind), "Northwind", str(northwind))

    # The same tab's next page load keeps it: the server holds the choice.
    state.load()
    assert (state.viewing_name, state.view_as_role) == ("Northwind", str(northwind))
    # Another tab of the same administrator with the stored value by hand gets nothing.
    fresh = tab(ViewAsState, cookie=cookie)
    fresh.view_as_role = str(northwind)
    fresh.load()
    assert (fresh.viewing_name, fresh.view_as_role, fresh._viewing_as) == ("", "", 0)

    run(state.start(str(contoso)))
    assert state.viewing_name == "Contoso Freight"
    run(state.stop())
    assert (state.viewing_id, state.viewing_name, state.view_as_role) == ("", "", "")
    assert _actions() == [
        "auth.view_as_started",
        "auth.view_as_stopped",
        "auth.view_as_started",
        "auth.view_as_stopped",
    ]


def test_an_admin_with_an_unknown_organization_sees_nothing(database):
    _, cookie = person("admin@example.com", role=Role.ADMIN)
    state = tab(ViewAsState, cookie=cookie)
    state.view_as_role = "424242"
    state.load()
    assert state.viewing_name == ""
    run(state.start("424242"))
    assert state.viewing_name == "" and state.view_as_role == ""
    run(state.start("not-a-number"))
    assert state.viewing_name == ""


def test_without_a_session_the_stored_value_means_nothing(database):
    other = _organization("Contoso Freight")
    state = tab(ViewAsState, cookie="sessionid=forged")
    state.view_as_role = str(other)
    state.load()
    assert state.viewing_name == "" and state.choices == [] and not state.signed_in


def test_stored_values_parse_strictly(database):
    assert organization_id_of("12") == 12
    assert organization_id_of(" 7 ") == 7
    for bad in ("", "x", "-3", "1.5", "12abc", "9" * 13):
        assert organization_id_of(bad) is None


def test_the_admins_picker_is_narrowed_on_the_server_and_keeps_what_is_viewed(database):
    _, admin_cookie = person("admin@example.com", role=Role.ADMIN)
    _, client_cookie = person("client@example.com", organization="Northwind")
    for number in range(60):
        _organization(f"Client {number:02d}")
    contoso = _organization("Contoso Freight")
    state = tab(ViewAsState, cookie=admin_cookie)
    state.load()
    assert (len(state.choices), state.choice_total) == (50, 62)  # the filter finds the rest
    state.narrow("CLIENT 5")
    assert [c["name"] for c in state.choices] == [f"Client 5{n}" for n in range(10)] and state.choice_total == 10
    run(state.start(str(contoso)))
    state.narrow("client 59")
    assert [c["name"] for c in state.choices] == ["Contoso Freight", "Client 59"]  # the viewed one stays
    state.narrow("bad\x00")
    assert state.choices == [] and state.choice_total == 0
    outsider = tab(ViewAsState, cookie=client_cookie)
    outsider.narrow("client")
    assert outsider.choices == [] and outsider.choice_total == 0
