"""Milestone acceptance criteria and deliverables from the console's editor to the client's
engagements page and acceptance dialog (on the dashboard the same one)."""

from __future__ import annotations

from fluxent.core.db import session_scope
from fluxent.models.accounts import User
from fluxent.models.engagements import Engagement
from fluxent.services.auth import sessions
from fluxent.services.portal import deliverables
from fluxent.state.admin_engagement import EngagementEditorState
from fluxent.state.dashboard import DashboardState
from fluxent.state.portal import EngagementsState
from tests.state.test_admin_console_state import console_tab
from tests.support.portal import build_world
from tests.support.state import cookie_for


def _cookie(world, person: str) -> str:
    with session_scope() as db:
        _, raw = sessions.start_session(db, user=db.get(User, getattr(world, person).id))
    return cookie_for(raw)


def _editor(world):
    editor = console_tab(
        EngagementEditorState,
        cookie=_cookie(world, "staff"),
        params={"engagement_id": str(world.engagement_a.id)},
    )
    editor.load()
    return editor


def _form(milestone, **fields) -> dict[str, str]:
    key = f"m{milestone.id}"
    base = {"milestone_id": str(milestone.id), f"{key}.title": milestone.title, f"{key}.amount_minor": "3000"}
    return base | {f"{key}.{name}": value for name, value in fields.items()}


def test_staff_set_criteria_links_and_documents_that_clients_see_where_they_accept(database, data_dir):
    with session_scope() as db:
        world = build_world(db)
        db.get(Engagement, world.engagement_a.id).scope_summary = "A telemetry dashboard for 500 vans."
    editor = _editor(world)
    first = world.milestones_a[0]
    assert [(d.id, d.filename) for d in editor.documents] == [(world.document_a.id, "plan.pdf")]
    form = _form(
        first,
        description="The live map.",
        acceptance_criteria="500 vans render in under 2 s\nWorks on a phone",
        deliverables="Staging site https://staging.northwind.test/\nhttps://docs.northwind.test/map",
        **{f"document.{world.document_a.id}": "on"},
    )
    editor.save_milestone(form)
    assert editor.errors == {} and editor.notice == "Milestone saved."
    row = editor.plan[0]
    assert row.acceptance_criteria == "500 vans render in under 2 s\nWorks on a phone"
    assert row.links == "Staging site https://staging.northwind.test/\nhttps://docs.northwind.test/map"
    assert row.document_ids == [world.document_a.id]

    page = console_tab(EngagementsState, cookie=_cookie(world, "owner_a"))
    page.load_portal()
    page.load()
    shown = page.rows[0].milestones[0]
    assert shown.acceptance_criteria == "500 vans render in under 2 s\nWorks on a phone"
    assert [(d.label, d.href, d.is_document) for d in shown.deliverables] == [
        ("Staging site", "https://staging.northwind.test/", False),
        ("https://docs.northwind.test/map", "https://docs.northwind.test/map", False),
        ("plan.pdf", f"/api/v1/documents/{world.document_a.id}/download/", True),
    ]
    board = console_tab(DashboardState, cookie=_cookie(world, "owner_a"))
    board.load_portal()
    board.load()
    for state in (page, board):
        state.ask_accept(world.engagement_a.id, first.id)
        assert (state.confirm_title, state.confirm_amount, state.confirm_scope) == (
            "Phase 1",
            "USD 3,000.00",
            "A telemetry dashboard for 500 vans.",
        )
        assert state.confirm_description == "The live map."
        assert state.confirm_criteria == shown.acceptance_criteria
        assert state.confirm_deliverables == shown.deliverables


def test_a_hostile_link_or_another_tenants_document_is_refused_beside_the_field(database, data_dir):
    with session_scope() as db:
        world = build_world(db)
    editor = _editor(world)
    first = world.milestones_a[0]
    editor.save_milestone(_form(first, acceptance_criteria="Keep", deliverables="https://ok.test/"))
    for bad in (
        {"deliverables": "Click javascript:alert(document.cookie)"},
        {"deliverables": "data:text/html;base64,PHNjcmlwdD4="},
        {f"document.{world.document_b.id}": "on"},
        {"document.abc": "on"},
    ):
        editor.save_milestone(_form(first, acceptance_criteria="Changed", **bad))
        assert f"m{first.id}.deliverables" in editor.errors, bad
    with session_scope() as db:
        assert deliverables.deliverables_of(db, first.id) == [deliverables.Deliverable(url="https://ok.test/")]
        assert db.get(type(first), first.id).acceptance_criteria == "Keep"
