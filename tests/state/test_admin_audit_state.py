"""The audit log page's state: administrators only (refused on the server), filters, pages, export links."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from fluxent import routes
from fluxent.core.db import session_scope
from fluxent.models.accounts import Role
from fluxent.services.audit import trail, verification
from fluxent.state.admin_audit import PAGE_SIZE, AdminAuditState
from tests.support.state import person, tab


def _events(count: int, organization_id: int | None = None) -> None:
    with session_scope() as db:
        for index in range(count):
            trail.record(db, "test.happened", target=("thing", index), organization=organization_id)


def test_staff_who_are_not_administrators_see_nothing(database):
    _, cookie = person("sam@fluxent.tech", role=Role.STAFF)
    _events(3)
    state = tab(AdminAuditState, cookie=cookie)
    state.load()
    assert state.access == "denied"
    assert (state.rows, state.actions, state.organization_choices, state.chain_text) == ([], [], [], "")


def test_an_administrator_filters_pages_and_gets_export_links(database):
    admin_id, cookie = person("ada@fluxent.tech", role=Role.ADMIN, name="Ada Admin")
    _events(PAGE_SIZE + 2)
    state = tab(AdminAuditState, cookie=cookie)
    state.load()
    assert state.access == "ok" and state.chain == "never"
    assert "test.happened" in [choice.value for choice in state.actions]
    assert state.total > PAGE_SIZE + 2 and state.pages == 2 and len(state.rows) == PAGE_SIZE
    state.go_to_page(2)
    assert state.page == 2 and len(state.rows) == state.total - PAGE_SIZE
    state.go_to_page(99)
    assert state.page == 2

    state.apply_filters({"filters.action": "test", "filters.person": "", "filters.since": "2000-01-01"})
    assert state.page == 1 and state.total == PAGE_SIZE + 2
    assert {row.action for row in state.rows} == {"test.happened"}
    query = parse_qs(urlsplit(state.export_json).query)
    assert urlsplit(state.export_json).path == routes.API_AUDIT_EXPORT
    assert query == {"format": ["json"], "action": ["test"], "since": ["2000-01-01"]}

    state.apply_filters({"filters.person": "ada admin"})
    assert [row.target for row in state.rows] == [f"user {admin_id}"]  # her account's creation, about her

    verification.verify_now(actor_id=admin_id)
    state.load()
    assert state.chain == "ok" and "OK" in state.chain_text


def test_bad_filters_show_next_to_their_field_and_list_nothing(database):
    _, cookie = person("ada@fluxent.tech", role=Role.ADMIN)
    _events(2)
    state = tab(AdminAuditState, cookie=cookie)
    state.apply_filters({"filters.since": "2026-13-45"})
    assert state.access == "ok" and state.rows == []
    assert state.errors["filters.since"] == "Enter a date as YYYY-MM-DD."
    state.apply_filters({"filters.since": "2026-03-05", "filters.until": "2026-03-01"})
    assert state.errors["filters.until"] == "The range ends before it starts."
    state.apply_filters({"filters.organization": "not-a-number"})
    assert "filters.organization" in state.errors and state.rows == []
    state.clear_filters()
    assert state.errors == {} and len(state.rows) > 0
