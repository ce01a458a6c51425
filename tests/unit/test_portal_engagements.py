"""Engagements and milestones: amounts, status rules, who may act, audit and e-mail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fluxent.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fluxent.models.audit import AuditEvent
from fluxent.models.engagements import Engagement, EngagementStatus, Milestone, MilestoneStatus
from fluxent.services.accounts import organizations
from fluxent.services.audit import trail
from fluxent.services.portal import engagements, milestones
from tests.support.portal import outbox

S, M = EngagementStatus, MilestoneStatus


def _events(session, action):
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)).all()


def _new_engagement(session, world, price=100_000):
    return engagements.create_engagement(
        session,
        actor=world.staff,
        organization_id=world.org_a,
        title="Second build",
        fixed_price_minor=price,
        currency="eur",
    )


def test_amounts_must_add_up_to_the_fixed_price_before_proposing(session, world):
    engagement = _new_engagement(session, world)
    assert engagement.currency == "EUR"
    with pytest.raises(ValidationFailed, match="add up to 0"):
        engagements.change_status(session, actor=world.staff, engagement_id=engagement.id, status=S.PROPOSED)
    milestones.add_milestone(session, actor=world.staff, engagement_id=engagement.id, title="A", amount_minor=60_000)
    milestones.add_milestone(session, actor=world.staff, engagement_id=engagement.id, title="B", amount_minor=30_000)
    with pytest.raises(ValidationFailed, match="add up to 90000 but the fixed price is 100000"):
        engagements.change_status(session, actor=world.staff, engagement_id=engagement.id, status=S.PROPOSED)
    assert session.get(Engagement, engagement.id).status == S.SCOPING
    milestones.add_milestone(session, actor=world.staff, engagement_id=engagement.id, title="C", amount_minor=10_000)
    engagements.change_status(session, actor=world.staff, engagement_id=engagement.id, status=S.PROPOSED)
    # Once proposed, the plan is frozen.
    with pytest.raises(Conflict):
        milestones.add_milestone(session, actor=world.staff, engagement_id=engagement.id, title="D", amount_minor=1)


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"fixed_price_minor": 0}, "fixed_price_minor"),
        ({"fixed_price_minor": -5}, "fixed_price_minor"),
        ({"currency": "dollars"}, "currency"),
        ({"title": "  \u202e "}, "title"),
    ],
)
def test_engagement_details_are_validated(session, world, fields, bad):
    values = dict(organization_id=world.org_a, title="Build", fixed_price_minor=100, currency="USD") | fields
    before = session.scalar(select(func.count()).select_from(Engagement))
    with pytest.raises(ValidationFailed) as raised:
        engagements.create_engagement(session, actor=world.staff, **values)
    assert bad in raised.value.fields
    assert session.scalar(select(func.count()).select_from(Engagement)) == before


def test_milestone_amount_over_the_price_is_refused(session, world):
    engagement = _new_engagement(session, world)
    with pytest.raises(ValidationFailed):
        milestones.add_milestone(
            session, actor=world.staff, engagement_id=engagement.id, title="A", amount_minor=100_001
        )


@pytest.mark.parametrize(
    ("start", "target"),
    [(S.SCOPING, S.ACTIVE), (S.SCOPING, S.CLOSED), (S.ACTIVE, S.PROPOSED), (S.ACTIVE, S.CLOSED), (S.ACTIVE, S.SCOPING)],
)
def test_illegal_engagement_transitions_are_refused(session, world, start, target):
    engagement = world.engagement_a if start == S.ACTIVE else _new_engagement(session, world)
    with pytest.raises(Conflict):
        engagements.change_status(session, actor=world.staff, engagement_id=engagement.id, status=target)
    assert session.get(Engagement, engagement.id).status == start


def test_delivery_needs_every_milestone_accepted(session, world):
    with pytest.raises(Conflict, match="Phase 1, Phase 2, Phase 3"):
        engagements.change_status(session, actor=world.staff, engagement_id=world.engagement_a.id, status=S.DELIVERED)


def test_only_staff_run_engagements(session, world):
    for person in (world.owner_a, world.member_a):
        with pytest.raises(PermissionDenied):
            engagements.create_engagement(
                session, actor=person, organization_id=world.org_a, title="Mine", fixed_price_minor=100, currency="USD"
            )
        with pytest.raises(PermissionDenied):
            engagements.change_status(session, actor=person, engagement_id=world.engagement_a.id, status=S.DELIVERED)
        with pytest.raises(PermissionDenied):
            milestones.start(
                session, actor=person, engagement_id=world.engagement_a.id, milestone_id=world.milestones_a[1].id
            )


def test_the_client_owner_accepts_audited_and_emailed(session, world, data_dir):
    ms = world.milestones_a[0]

    # The submission asked the owner, and only the owner, to decide.
    def asked(person):
        return [m["Subject"] for m in outbox(data_dir, person.email) if m["Subject"].startswith("Milestone ready")]

    assert asked(world.owner_a) == ["Milestone ready for your acceptance: Phase 1"]
    assert asked(world.member_a) == [] and asked(world.owner_b) == ["Milestone ready for your acceptance: Phase 1"]
    accepted = milestones.accept(
        session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=ms.id, note="Looks great"
    )
    assert (accepted.status, accepted.client_note, accepted.decided_by_id) == (
        M.ACCEPTED,
        "Looks great",
        world.owner_a.id,
    )
    event = _events(session, "engagements.milestone_accepted")[-1]
    assert (event.actor_id, event.target_id, event.organization_id) == (world.owner_a.id, str(ms.id), world.org_a)
    session.commit()  # the e-mail goes once the decision is committed
    assert "Milestone accepted: Phase 1" in [m["Subject"] for m in outbox(data_dir, world.staff.email)]
    assert trail.verify(session).ok
    with pytest.raises(Conflict):  # accepted is final
        milestones.request_changes(
            session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=ms.id, reason="x"
        )


def test_changes_need_a_reason_and_go_back_to_staff(session, world, data_dir):
    ms = world.milestones_a[0]
    with pytest.raises(ValidationFailed):
        milestones.request_changes(
            session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=ms.id, reason="  "
        )
    assert session.get(Milestone, ms.id).status == M.SUBMITTED
    changed = milestones.request_changes(
        session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=ms.id, reason="Logo is off"
    )
    assert (changed.status, changed.client_note) == (M.CHANGES_REQUESTED, "Logo is off")
    session.commit()
    mail = [m for m in outbox(data_dir, world.staff.email) if m["Subject"] == "Changes requested: Phase 1"]
    assert "Logo is off" in mail[0].get_body(("plain",)).get_content()
    assert _events(session, "engagements.milestone_changes_requested")
    resubmitted = milestones.submit(session, actor=world.staff, engagement_id=world.engagement_a.id, milestone_id=ms.id)
    assert resubmitted.status == M.SUBMITTED


def test_members_who_are_not_owners_and_staff_cannot_decide(session, world):
    ms = world.milestones_a[0]
    for person in (world.member_a, world.staff, world.admin):
        with pytest.raises(PermissionDenied):
            milestones.accept(session, actor=person, engagement_id=world.engagement_a.id, milestone_id=ms.id)
    assert session.get(Milestone, ms.id).status == M.SUBMITTED


def test_other_organizations_see_nothing(session, world):
    for call in (
        lambda: engagements.get_engagement(session, actor=world.owner_b, engagement_id=world.engagement_a.id),
        lambda: milestones.accept(
            session, actor=world.owner_b, engagement_id=world.engagement_a.id, milestone_id=world.milestones_a[0].id
        ),
        # A milestone reached through the wrong engagement does not exist either.
        lambda: milestones.accept(
            session, actor=world.owner_b, engagement_id=world.engagement_b.id, milestone_id=world.milestones_a[0].id
        ),
        lambda: organizations.get_organization(session, actor=world.owner_b, organization_id=world.org_a),
    ):
        with pytest.raises(NotFound):
            call()
    assert session.get(Milestone, world.milestones_a[0].id).status == M.SUBMITTED
    listed = engagements.list_engagements(session, actor=world.owner_b)
    assert [e.id for e in listed.items] == [world.engagement_b.id]
    assert engagements.list_engagements(session, actor=world.staff).total == 2


def test_illegal_milestone_moves(session, world):
    planned = world.milestones_a[1]
    with pytest.raises(Conflict):
        milestones.submit(session, actor=world.staff, engagement_id=world.engagement_a.id, milestone_id=planned.id)
    with pytest.raises(Conflict):
        milestones.accept(session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=planned.id)
    assert session.get(Milestone, planned.id).status == M.PLANNED


def test_closing_runs_the_close_hooks_and_is_audited(session, world, monkeypatch):
    calls = []
    monkeypatch.setattr(engagements, "CLOSE_HOOKS", [])
    engagements.register_close_hook(lambda s, engagement, actor: calls.append((engagement.id, actor.id)))
    engagement = world.engagement_a
    for ms in world.milestones_a:
        if ms.status != M.SUBMITTED:
            milestones.start(session, actor=world.staff, engagement_id=engagement.id, milestone_id=ms.id)
            milestones.submit(session, actor=world.staff, engagement_id=engagement.id, milestone_id=ms.id)
        milestones.accept(session, actor=world.owner_a, engagement_id=engagement.id, milestone_id=ms.id)
    engagements.change_status(session, actor=world.staff, engagement_id=engagement.id, status=S.DELIVERED)
    closed = engagements.close_engagement(session, actor=world.staff, engagement_id=engagement.id)
    assert closed.status == S.CLOSED and closed.closed_at is not None
    assert calls == [(engagement.id, world.staff.id)]
    assert _events(session, "engagements.closed")[-1].target_id == str(engagement.id)


def test_a_failing_close_hook_leaves_the_engagement_open(session, world, monkeypatch):
    engagement = _new_engagement(session, world)
    milestones.add_milestone(session, actor=world.staff, engagement_id=engagement.id, title="A", amount_minor=100_000)
    for status in (S.PROPOSED, S.ACTIVE):
        engagements.change_status(session, actor=world.staff, engagement_id=engagement.id, status=status)
    session.commit()
    ms = engagements.milestones_of(session, engagement.id)[0]
    milestones.start(session, actor=world.staff, engagement_id=engagement.id, milestone_id=ms.id)
    milestones.submit(session, actor=world.staff, engagement_id=engagement.id, milestone_id=ms.id)
    milestones.accept(session, actor=world.owner_a, engagement_id=engagement.id, milestone_id=ms.id)
    engagements.change_status(session, actor=world.staff, engagement_id=engagement.id, status=S.DELIVERED)
    session.commit()

    def broken(*_args):
        raise RuntimeError("vault unavailable")

    monkeypatch.setattr(engagements, "CLOSE_HOOKS", [broken])
    with pytest.raises(RuntimeError):
        engagements.close_engagement(session, actor=world.staff, engagement_id=engagement.id)
    session.rollback()
    assert session.get(Engagement, engagement.id).status == S.DELIVERED
