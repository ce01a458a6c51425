"""Accepting a milestone on the engagements page: a confirmation naming the amount first, a
receipt by e-mail (through a real SMTP server on loopback) after; a request for changes
takes an itemised reason and refuses a blank or over-long one next to its text area;
milestone pills take their colour from one mapping."""

from __future__ import annotations

from datetime import date

import pytest
from aiosmtpd.controller import Controller

from fluxent.components.forms import BADGE_TONES
from fluxent.core.db import session_scope
from fluxent.core.settings import reset_settings
from fluxent.models.accounts import User
from fluxent.models.engagements import Engagement, Milestone, MilestoneStatus
from fluxent.services.auth import sessions
from fluxent.services.portal import milestones
from fluxent.services.portal.milestones import MAX_NOTE
from fluxent.state.formatting import MILESTONE_TONES
from fluxent.state.portal import EngagementsState
from tests.support.portal import build_world, outbox
from tests.support.state import cookie_for, focused, tab
from tests.unit.test_email import Collector, _free_port


def _tab_of(person: str, world=None):
    """The engagements page of ``person`` (an attribute of the world), loaded; and the world."""
    with session_scope() as db:
        world = world or build_world(db)
        _, raw = sessions.start_session(db, user=db.get(User, getattr(world, person).id))
    state = tab(EngagementsState, cookie=cookie_for(raw))
    state.load_portal()
    state.load()
    return world, state


def _status(milestone_id: int) -> MilestoneStatus:
    with session_scope() as db:
        return db.get(Milestone, milestone_id).status


@pytest.fixture
def smtp(monkeypatch):
    port = _free_port()
    monkeypatch.setenv("FLUXENT_EMAIL_BACKEND", "smtp")
    monkeypatch.setenv("FLUXENT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FLUXENT_SMTP_PORT", str(port))
    reset_settings()
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler
    controller.stop()


def test_accepting_asks_first_naming_the_amount_then_mails_a_receipt(database, data_dir, smtp):
    world, state = _tab_of("owner_a")
    smtp.messages.clear()  # the submissions of the world's set-up
    first = world.milestones_a[0]
    state.ask_accept(world.engagement_a.id, first.id)
    assert (state.confirming, state.confirm_title, state.confirm_amount) == (first.id, "Phase 1", "USD 3,000.00")
    assert _status(first.id) == MilestoneStatus.SUBMITTED  # asking changes nothing

    state.cancel_accept()
    assert state.confirming == 0 and _status(first.id) == MilestoneStatus.SUBMITTED
    state.accept()  # a closed dialog accepts nothing
    assert _status(first.id) == MilestoneStatus.SUBMITTED and smtp.messages == []

    state.ask_accept(world.engagement_a.id, first.id)
    state.accept()
    assert state.confirming == 0 and not state.notice_is_error
    assert state.notice == "Phase 1 accepted. Thank you! A receipt is on its way by e-mail."
    assert _status(first.id) == MilestoneStatus.ACCEPTED
    (receipt,) = [m for m in smtp.messages if m["To"] == world.owner_a.email]
    assert receipt["Subject"] == "Receipt: you accepted Phase 1"
    body = receipt.get_payload(0).get_payload(decode=True).decode() if receipt.is_multipart() else receipt.get_payload()
    assert "USD 3,000.00 will be invoiced" in body and "Build for Northwind Robotics" in body
    # Staff hear of it as before; nobody else gets a receipt.
    assert sorted(m["To"] for m in smtp.messages) == sorted([world.owner_a.email, world.staff.email])


def test_the_dialog_opens_only_for_a_milestone_the_viewer_may_accept(database, data_dir):
    world, member = _tab_of("member_a")
    member.ask_accept(world.engagement_a.id, world.milestones_a[0].id)  # members see it, owners decide
    assert member.confirming == 0 and member.notice_is_error
    _, owner = _tab_of("owner_b", world)
    for engagement_id, milestone_id in (
        (world.engagement_a.id, world.milestones_a[0].id),  # another organization's
        (world.engagement_b.id, world.milestones_b[1].id),  # own, but only planned
        (world.engagement_b.id, world.milestones_a[0].id),  # mismatched pair
        (0, 0),
    ):
        owner.ask_accept(engagement_id, milestone_id)
        assert owner.confirming == 0 and owner.notice == "This milestone cannot be accepted now."
    # A dialog forced open on another organization's milestone is still refused by the service.
    owner.confirming, owner.confirm_engagement = world.milestones_a[0].id, world.engagement_a.id
    owner.accept()
    assert owner.notice_is_error and _status(world.milestones_a[0].id) == MilestoneStatus.SUBMITTED
    assert [m["Subject"] for m in outbox(data_dir) if m["Subject"].startswith("Receipt")] == []


@pytest.mark.parametrize(
    ("reason", "says"),
    [
        ("", "Say what should change, one item a line."),
        ("  \n\t \n", "Say what should change, one item a line."),
        ("x" * (MAX_NOTE + 1), f"Keep it under 4,000 characters (this one has {MAX_NOTE + 1:,})."),
    ],
)
def test_a_blank_or_over_long_reason_is_refused_next_to_its_text_area(database, data_dir, reason, says):
    world, state = _tab_of("owner_a")
    first = world.milestones_a[0]
    focus = state.request_changes(
        {"engagement_id": str(world.engagement_a.id), "milestone_id": str(first.id), "reason": reason}
    )
    assert (state.reason_for, state.reason_error) == (first.id, says)
    assert focused(focus) == f"ref_reason_{first.id}"  # the text area in error takes the focus
    assert state.notice == ""  # the message sits under the text area, not in the status line
    assert _status(first.id) == MilestoneStatus.SUBMITTED
    assert not [m for m in outbox(data_dir, world.staff.email) if m["Subject"].startswith("Changes requested")]


def test_an_itemised_reason_is_kept_line_by_line_and_clears_the_error(database, data_dir):
    world, state = _tab_of("owner_a")
    first = world.milestones_a[0]
    form = {"engagement_id": str(world.engagement_a.id), "milestone_id": str(first.id)}
    state.request_changes({**form, "reason": ""})
    assert state.reason_error
    reason = "- The export misses the totals row\n- Dates should read 7 Dec 2026\n"
    assert state.request_changes({**form, "reason": reason}) is None  # the focus stays where it was
    assert (state.reason_for, state.reason_error) == (0, "")
    assert state.notice == "We have your note; the team will follow up."
    (row,) = [m for m in state.rows[0].milestones if m.id == first.id]
    assert row.note == reason.strip() and row.status == "changes_requested" and row.tone == "accent"
    with session_scope() as db:
        assert db.get(Milestone, first.id).client_note == reason.strip()


def test_every_milestone_status_has_a_pill_colour_by_meaning():
    assert set(MILESTONE_TONES) == {str(status) for status in MilestoneStatus}
    assert set(MILESTONE_TONES.values()) <= set(BADGE_TONES)
    waiting, working, done, planned = (MILESTONE_TONES[s] for s in ("submitted", "in_progress", "accepted", "planned"))
    assert len({waiting, working, done, planned}) == 4  # the four meanings never share a colour
    assert MILESTONE_TONES["changes_requested"] == working  # back with the team: in progress again


def test_rows_on_the_page_carry_their_pill_colour_description_and_scope(database, data_dir):
    world, state = _tab_of("owner_a")
    first = world.milestones_a[0]
    described = "Fleet map.\nAccepted when: 500 vehicles render in under 2 s.\nDeliverables: https://example.test/demo"
    with session_scope() as db:
        milestones.update_milestone(
            db,
            actor=db.get(User, world.staff.id),
            engagement_id=world.engagement_a.id,
            milestone_id=first.id,
            title="Phase 1",
            description=described,
            due_date=date(2026, 12, 18),
            amount_minor=first.amount_minor,
        )
        db.get(Engagement, world.engagement_a.id).scope_summary = "A telemetry dashboard for 500 vehicles."
    state.load()
    (engagement,) = state.rows
    assert engagement.scope_summary == "A telemetry dashboard for 500 vehicles."
    assert [(m.status, m.tone) for m in engagement.milestones] == [
        ("submitted", "warning"),
        ("planned", "neutral"),
        ("planned", "neutral"),
    ]
    assert (engagement.milestones[0].description, engagement.milestones[0].due) == (described, "18 Dec 2026")
