"""The console's billing lists and pickers: paged with their totals, filtered by status,
organization and text (hostile text included), and the staff picker narrowed by typing."""

from __future__ import annotations

from datetime import date

import pytest

from fluxent.core.db import session_scope
from fluxent.core.errors import ValidationFailed
from fluxent.models.accounts import User
from fluxent.services.accounts import organizations, staff
from fluxent.services.auth import sessions
from fluxent.services.billing import invoices, listings
from fluxent.services.portal import documents, engagements
from fluxent.state.admin_billing import AdminBillingState
from fluxent.state.admin_engagement import EngagementEditorState
from fluxent.state.admin_orgs import AdminOrganizationState
from fluxent.state.portal import DocumentsState
from tests.state.test_admin_console_state import console_tab
from tests.support.billing import issued_invoice
from tests.support.portal import PDF_BYTES, build_world
from tests.support.state import cookie_for, tab

LATER = date(2100, 1, 1)  # the issued invoice is overdue by then


def _world():
    """Northwind with one issued invoice and 22 drafts; Acme with none."""
    with session_scope() as db:
        world = build_world(db)
        issued = issued_invoice(db, world)
        sam = db.get(User, world.staff.id)
        for number in range(22):
            invoices.create_invoice(
                db,
                actor=sam,
                organization_id=world.org_a,
                currency="USD",
                lines=[invoices.LineInput(f"Hosting {number}", 1_000)],
            )
        cookie = cookie_for(sessions.start_session(db, user=sam)[1])
    return world, issued.number, cookie


def _pending(world, **filters):
    with session_scope() as db:
        return listings.staff_pending(db, actor=db.get(User, world.staff.id), today=LATER, **filters)


def _ledgers(world, **filters):
    with session_scope() as db:
        return listings.staff_ledgers(db, actor=db.get(User, world.staff.id), **filters)


def test_pending_invoices_page_with_totals_overdue_first_and_filters(database, data_dir):
    world, number, _ = _world()
    first = _pending(world)
    assert (first.total, first.pages, len(first.items)) == (23, 2, 20)
    assert (first.items[0].number, first.items[0].overdue) == (number, True)
    second = _pending(world, page=2)
    assert len(second.items) == 3 and {line.id for line in second.items}.isdisjoint(line.id for line in first.items)
    assert _pending(world, status="overdue").total == 1
    assert _pending(world, status="draft").total == 22
    assert _pending(world, status="open").total == 1
    assert _pending(world, organization_id=world.org_b).total == 0
    assert _pending(world, organization_id=world.org_a, query=" NORTHWIND   robotics ").total == 23
    assert _pending(world, query=number.lower()).total == 1


@pytest.mark.parametrize("hostile", ["%", "_", "%%", "\\", "a" * 10_000])
def test_pending_search_treats_wildcards_and_long_text_as_plain_text(database, data_dir, hostile):
    world, *_ = _world()
    assert _pending(world, query=hostile).total == 0
    assert _ledgers(world, query=hostile).total == 0


def test_control_characters_and_unknown_statuses_are_refused(database, data_dir):
    world, *_ = _world()
    for refused in ({"query": "north\x00"}, {"status": "paid"}):
        with pytest.raises(ValidationFailed):
            _pending(world, **refused)
    for refused in ({"query": "\x00"}, {"status": "anything"}):
        with pytest.raises(ValidationFailed):
            _ledgers(world, **refused)


def test_ledgers_page_and_filter_by_title_organization_and_status(database, data_dir):
    world, *_ = _world()
    assert [book.title for book in _ledgers(world).items] == ["Build for Acme Widgets", "Build for Northwind Robotics"]
    assert [book.title for book in _ledgers(world, query="acme").items] == ["Build for Acme Widgets"]
    assert [book.organization_id for book in _ledgers(world, organization_id=world.org_a).items] == [world.org_a]
    assert _ledgers(world, status="closed").total == 0 and _ledgers(world, status="active").total == 2
    assert (_ledgers(world, page_size=1, page=2).total, len(_ledgers(world, page_size=1, page=2).items)) == (2, 1)


def test_the_billing_page_pages_filters_and_narrows_its_organization_choice(database, data_dir):
    world, number, cookie = _world()
    page = console_tab(AdminBillingState, cookie=cookie)
    page.load()
    assert page.access == "ok"
    assert (page.pending_total, page.pending_pages, len(page.pending), page.ledger_total) == (23, 2, 20, 2)
    assert {choice["name"] for choice in page.organization_choices} == {"Northwind Robotics", "Acme Widgets"}
    page.pending_go_to(2)
    assert page.pending_page == 2 and len(page.pending) == 3
    page.pending_go_to(99)
    assert page.pending_page == 2
    page.search_pending({"q": "", "status": "draft"})
    assert (page.pending_page, page.pending_total, page.pending_status) == (1, 22, "draft")
    page.search_pending({"q": number, "status": "nonsense"})
    assert (page.pending_total, page.pending_status) == (1, "")
    page.search_pending({"q": "_"})
    assert page.pending_total == 0 and page.pending == []
    page.search_pending({"q": "bad\x00"})
    assert "filter.q" in page.errors and page.notice_is_error
    page.search_pending({"q": ""})
    page.narrow_organizations("ACME")
    assert [choice["name"] for choice in page.organization_choices] == ["Acme Widgets"]
    page.choose_organization(page.organization_choices[0]["id"])
    assert (page.pending_total, page.ledger_total) == (0, 1)
    assert page.ledgers[0].title == "Build for Acme Widgets"
    page.narrow_organizations("\x00")
    assert page.organization_choices == [{"id": str(world.org_b), "name": "Acme Widgets"}]  # the chosen one stays
    page.choose_organization("")
    page.search_ledgers({"q": "northwind", "status": "active"})
    assert [row.title for row in page.ledgers] == ["Build for Northwind Robotics"] and page.ledger_total == 1


def test_the_staff_picker_narrows_by_name_or_address(database, data_dir):
    world, _, cookie = _world()
    with session_scope() as db:
        sam = db.get(User, world.staff.id)
        assert [p.name for p in staff.assignable_staff(db, actor=sam, query="ADA")] == ["Ada Admin"]
        assert [p.name for p in staff.assignable_staff(db, actor=sam, query="sam@fluxent")] == ["Sam Staff"]
        assert staff.assignable_staff(db, actor=sam, query="%") == []
        with pytest.raises(ValidationFailed):
            staff.assignable_staff(db, actor=sam, query="\x00")
    editor = console_tab(EngagementEditorState, cookie=cookie, params={"engagement_id": str(world.engagement_a.id)})
    editor.load()
    assert [p["name"] for p in editor.assignable] == ["Ada Admin"]  # Sam is assigned already
    editor.narrow_assignable("nobody")
    assert editor.assignable == []
    editor.narrow_assignable("\x00")
    assert editor.assignable == []
    editor.narrow_assignable("ad")
    editor.assign({"staff.user_id": editor.assignable[0]["id"]})
    assert {p.name for p in editor.assigned} == {"Sam Staff", "Ada Admin"} and editor.assignable == []


def test_an_organizations_engagements_and_documents_page_and_filter(database, data_dir):
    world, _, cookie = _world()
    with session_scope() as db:
        sam = db.get(User, world.staff.id)
        for number in range(21):
            engagements.create_engagement(
                db,
                actor=sam,
                organization_id=world.org_a,
                title=f"Extra build {number:02d}",
                fixed_price_minor=100_000,
                currency="USD",
            )
        for name in [f"report-{number:02d}.pdf" for number in range(20)] + ["100%_done.pdf"]:
            documents.upload(db, actor=sam, filename=name, chunks=[PDF_BYTES], organization_id=world.org_a)
    page = console_tab(AdminOrganizationState, cookie=cookie, params={"organization_id": str(world.org_a)})
    page.load()
    assert (page.engagement_total, page.engagement_pages, len(page.engagement_rows)) == (22, 2, 20)
    assert (page.document_total, page.document_pages, len(page.document_rows)) == (22, 2, 20)
    page.engagements_go_to(2)
    assert len(page.engagement_rows) == 2 and page.engagement_page == 2
    page.search_engagements({"q": "", "status": "active"})
    assert [row.title for row in page.engagement_rows] == ["Build for Northwind Robotics"] and page.engagement_page == 1
    page.search_engagements({"q": "extra build 1", "status": "bogus"})
    assert (page.engagement_total, page.engagement_status) == (10, "")
    page.documents_go_to(2)
    assert len(page.document_rows) == 2
    page.search_documents({"q": "%_"})
    assert [row.filename for row in page.document_rows] == ["100%_done.pdf"] and page.document_page == 1
    page.search_documents({"q": "x" * 5_000})
    assert page.document_total == 0
    page.search_documents({"q": "\x00"})
    assert "filter.q" in page.errors


def test_the_upload_destination_is_found_by_typing_and_the_choice_stays(database, data_dir):
    world, _, cookie = _world()
    with session_scope() as db:
        for number in range(8):
            organizations.get_or_create_organization(db, name=f"Client {number:02d}")
    page = tab(DocumentsState, cookie=cookie)
    page.load()
    assert page.many_targets and len(page.targets) == 12  # 10 organizations, 2 engagements
    page.narrow_targets("acme")
    assert [t.label for t in page.targets] == ["Acme Widgets (general)", "Acme Widgets: Build for Acme Widgets"]
    page.set_target(page.targets[1].value)
    page.narrow_targets("build for north")  # an engagement's title
    assert [t.label for t in page.targets] == [
        "Acme Widgets: Build for Acme Widgets",  # the chosen one stays
        "Northwind Robotics: Build for Northwind Robotics",
    ]
    page.narrow_targets("%")
    assert [t.value for t in page.targets] == [f"eng:{world.engagement_b.id}"]
    page.narrow_targets("\x00")
    assert [t.value for t in page.targets] == [f"eng:{world.engagement_b.id}"]


def test_the_staff_picker_starts_unnarrowed_on_each_engagement(database, data_dir):
    world, _, cookie = _world()
    editor = console_tab(EngagementEditorState, cookie=cookie, params={"engagement_id": str(world.engagement_b.id)})
    editor.load()
    editor.narrow_assignable("nobody")
    assert editor.assignable == []
    editor.load()
    assert (editor.assign_query, [p["name"] for p in editor.assignable]) == ("", ["Ada Admin"])
