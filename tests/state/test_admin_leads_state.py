"""The staff leads pages' state: the list and its filters, notes, status and conversion,
and that nobody but staff reads or changes anything through it."""

from __future__ import annotations

from reflex.istate.data import RouterData
from sqlalchemy import func, select

from fluxent.core.db import session_scope
from fluxent.models.accounts import Organization, OrgRole, Role
from fluxent.models.marketing import Lead, LeadNote, LeadStatus
from fluxent.state.admin_leads import AdminLeadsState
from tests.support.state import person, run, tab


def _leads() -> list[int]:
    with session_scope() as db:
        rows = [
            Lead(
                name="Ana Alder",
                email="ana@alder.test",
                company="Alder Foods",
                country="PT",
                message="Build us a shop.",
            ),
            Lead(
                name="Ben Birch",
                email="ben@birch.test",
                company="Birch Ltd",
                country="UK",
                message="m",
                status=LeadStatus.QUALIFIED,
            ),
        ]
        db.add_all(rows)
        db.flush()
        return [row.id for row in rows]


def _on_lead(cookie: str, lead_id: int) -> AdminLeadsState:
    state = tab(AdminLeadsState, cookie=cookie)
    state._get_root_state().router = RouterData.from_router_data(
        {
            "asPath": f"/admin/leads/{lead_id}",
            "pathname": "/admin/leads/[lead_id]",
            "query": {"lead_id": str(lead_id)},
            "headers": {"cookie": cookie},
        }
    )
    return state


def _stored() -> tuple:
    with session_scope() as db:
        return (
            [(lead.status, lead.organization_id) for lead in db.scalars(select(Lead).order_by(Lead.id))],
            db.scalar(select(func.count()).select_from(LeadNote)),
            db.scalar(select(func.count()).select_from(Organization)),
        )


def test_the_list_filters_and_counts_for_staff(database):
    ana, ben = _leads()
    _, cookie = person("sam@fluxent.tech", role=Role.STAFF)
    state = tab(AdminLeadsState, cookie=cookie)
    state.load_list()
    assert state.access == "ok" and state.total == 2
    assert {c["status"]: c["count"] for c in state.counts}["qualified"] == "1"
    state.show_status("qualified")
    assert [row["id"] for row in state.rows] == [str(ben)]
    state.apply_filters({"status": "", "source": "contact", "q": "alder"})
    assert [row["name"] for row in state.rows] == ["Ana Alder"]
    state.apply_filters({"status": "", "source": "", "q": "nobody"})
    assert state.rows == [] and state.total == 0
    state.clear_filters()
    assert state.total == 2 and state.query == ""
    state.set_filter("status", "bogus")
    assert state.list_error == "Unknown status." and state.rows == []


def test_clients_and_signed_out_tabs_see_and_change_nothing(database):
    ana, _ = _leads()
    _, owner = person("olivia@client.test", organization="Client Co", org_role=OrgRole.OWNER)
    before = _stored()
    for cookie in (owner, "", "sessionid=forged"):
        # A client is refused; a tab without a live session shows the signed-out panel.
        access = "denied" if cookie == owner else "loading"
        listing = tab(AdminLeadsState, cookie=cookie)
        listing.load_list()
        assert (listing.access, listing.rows, listing.counts) == (access, [], [])
        state = _on_lead(cookie, ana)
        state.load_lead()
        assert (state.access, state.lead) == (access, {})
        state.change_status({"status": "won"})
        run(state.add_note({"body": "Sneaky"}))
        run(state.convert({"title": "Mine", "price": "100", "currency": "USD"}))
        assert state.access == access and state.converted == {}
    assert _stored() == before


def test_staff_add_notes_change_status_and_convert(database, outbox):
    ana, _ = _leads()
    _, cookie = person("sam@fluxent.tech", role=Role.STAFF, name="Sam Staff")
    state = _on_lead(cookie, ana)
    state.load_lead()
    assert state.access == "ok" and state.lead["company"] == "Alder Foods" and state.notes == []

    run(state.add_note({"body": "   "}))
    assert "body" in state.note_errors and state.busy == ""
    run(state.add_note({"body": "Called Ana."}))
    assert state.note_errors == {} and state.notice == "Note added."
    assert [(n["author"], n["body"]) for n in state.notes] == [("Sam Staff", "Called Ana.")]

    state.change_status({"status": "contacted"})
    assert state.lead["status"] == "contacted" and state.notice == "Status changed to contacted."
    state.change_status({"status": "hot"})
    assert state.notice_is_error and state.notice == "Unknown status." and state.lead["status"] == "contacted"

    before = _stored()
    run(state.convert({"title": "Shop", "price": "lots", "currency": "EUR"}))
    assert "price" in state.convert_errors and state.converted == {}
    run(state.convert({"title": "", "price": "48000", "currency": "EURO"}))
    assert {"title", "currency", "form"} <= set(state.convert_errors)
    assert _stored() == before and outbox.messages("ana@alder.test") == []

    run(state.convert({"title": "Shop build", "price": "48,000", "currency": "eur"}))
    assert state.convert_errors == {} and state.busy == ""
    assert state.converted["organization"] == "Alder Foods" and state.converted["email"] == "ana@alder.test"
    assert state.organization == "Alder Foods" and state.lead["status"] == "won"
    assert len(outbox.messages("ana@alder.test")) == 1

    fresh = _on_lead(cookie, ana)
    fresh.load_lead()
    assert fresh.organization == "Alder Foods" and fresh.lead["converted"] != ""


def test_an_unknown_lead_is_missing(database):
    _, cookie = person("sam@fluxent.tech", role=Role.STAFF)
    state = _on_lead(cookie, 4242)
    state.load_lead()
    assert state.access == "missing"


def test_the_list_pages_through_many_leads(database):
    with session_scope() as db:
        db.add_all(
            Lead(name=f"Person {n}", email=f"p{n}@example.test", company="", country="NL", message="m")
            for n in range(25)
        )
    _, cookie = person("sam@fluxent.tech", role=Role.STAFF)
    state = tab(AdminLeadsState, cookie=cookie)
    state.load_list()
    assert (state.total, state.pages, state.page, len(state.rows)) == (25, 2, 1, 20)
    state.go_to_page(2)
    assert (state.page, len(state.rows)) == (2, 5)
    state.go_to_page(99)
    assert state.page == 2
    state.show_status("new")
    assert (state.page, len(state.rows)) == (1, 20), "a new filter starts at the first page"
