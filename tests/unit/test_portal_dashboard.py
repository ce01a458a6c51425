"""The dashboard's data: what needs the person's action, engagement progress, recent items."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fluxent.core.errors import NotFound
from fluxent.models.accounts import Organization, OrgRole
from fluxent.models.engagements import EngagementStatus
from fluxent.services.accounts import organizations
from fluxent.services.portal import documents, engagements, milestones
from fluxent.services.portal.dashboard import activity_sentence, dashboard
from tests.support.portal import PDF_BYTES


def test_owner_is_asked_to_decide_and_sees_progress(session, world):
    board = dashboard(session, actor=world.owner_a)
    assert [(a.kind, a.milestone_title, a.engagement_id) for a in board.needs_action] == [
        ("decide_milestone", "Phase 1", world.engagement_a.id)
    ]
    (card,) = board.engagements
    assert (card.id, card.organization, card.milestones, card.milestones_accepted, card.progress_percent) == (
        world.engagement_a.id,
        "Northwind Robotics",
        3,
        0,
        0,
    )
    milestones.accept(
        session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=world.milestones_a[0].id
    )
    board = dashboard(session, actor=world.owner_a)
    assert board.needs_action == []
    assert (board.engagements[0].milestones_accepted, board.engagements[0].accepted_minor) == (1, 300_000)
    assert board.engagements[0].progress_percent == 33
    assert board.recent_activity[0].sentence == f"{world.milestones_a[0].title} was accepted"
    assert board.recent_activity[0].actor == "Olivia Owner"
    assert board.recent_activity[0].organization == "Northwind Robotics"


def test_members_see_but_are_not_asked(session, world):
    board = dashboard(session, actor=world.member_a)
    assert board.needs_action == []
    assert [c.id for c in board.engagements] == [world.engagement_a.id]
    assert [d.id for d in board.recent_documents] == [world.document_a.id]


def test_nothing_of_another_organization_shows(session, world):
    board = dashboard(session, actor=world.owner_b)
    assert {a.engagement_id for a in board.needs_action} == {world.engagement_b.id}
    assert [c.id for c in board.engagements] == [world.engagement_b.id]
    assert [d.id for d in board.recent_documents] == [world.document_b.id]
    assert board.recent_activity and {a.organization_id for a in board.recent_activity} == {world.org_b}


def test_staff_pick_up_milestones_sent_back(session, world):
    assert dashboard(session, actor=world.staff).needs_action == []
    milestones.request_changes(
        session,
        actor=world.owner_a,
        engagement_id=world.engagement_a.id,
        milestone_id=world.milestones_a[0].id,
        reason="Not yet",
    )
    board = dashboard(session, actor=world.staff)
    assert [(a.kind, a.milestone_id) for a in board.needs_action] == [("rework_milestone", world.milestones_a[0].id)]
    assert len(board.engagements) == 2


def test_cards_name_the_next_milestone_to_accept(session, world):
    (card,) = dashboard(session, actor=world.owner_a).engagements
    assert card.next_milestone == "Phase 1"
    milestones.accept(
        session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=world.milestones_a[0].id
    )
    (card,) = dashboard(session, actor=world.owner_a).engagements
    assert card.next_milestone == "Phase 2"


def test_one_organization_of_several(session, world):
    """A person in two organizations sees both, or one of them; the other stays out of every part."""
    org_b = session.get(Organization, world.org_b)
    organizations.add_membership(session, user=world.owner_a, organization=org_b, role=OrgRole.MEMBER)
    both = dashboard(session, actor=world.owner_a)
    assert {c.id for c in both.engagements} == {world.engagement_a.id, world.engagement_b.id}
    # Owner in Northwind only: Acme's submitted milestone is not theirs to decide.
    assert [a.engagement_id for a in both.needs_action] == [world.engagement_a.id]

    only_b = dashboard(session, actor=world.owner_a, organization_id=world.org_b)
    assert [c.id for c in only_b.engagements] == [world.engagement_b.id]
    assert only_b.needs_action == []
    assert [d.id for d in only_b.recent_documents] == [world.document_b.id]
    assert {a.organization_id for a in only_b.recent_activity} == {world.org_b}

    only_a = dashboard(session, actor=world.owner_a, organization_id=world.org_a)
    assert [c.id for c in only_a.engagements] == [world.engagement_a.id]
    assert [a.engagement_id for a in only_a.needs_action] == [world.engagement_a.id]
    assert [d.id for d in only_a.recent_documents] == [world.document_a.id]


def test_an_organization_the_person_is_not_in_is_refused(session, world):
    for actor, organization_id in (
        (world.owner_b, world.org_a),
        (world.member_a, world.org_b),
        (world.owner_a, 999_999),
    ):
        with pytest.raises(NotFound):
            dashboard(session, actor=actor, organization_id=organization_id)


def test_staff_narrow_to_one_organization(session, world):
    board = dashboard(session, actor=world.staff, organization_id=world.org_a)
    assert [c.id for c in board.engagements] == [world.engagement_a.id]
    assert [d.id for d in board.recent_documents] == [world.document_a.id]


def test_recent_documents_are_the_newest_live_ones_up_to_the_limit(session, world):
    uploaded = [
        documents.upload(
            session,
            actor=world.staff,
            filename=f"notes-{n}.pdf",
            chunks=[PDF_BYTES],
            engagement_id=world.engagement_a.id,
        )
        for n in range(3)
    ]
    for n, document in enumerate(uploaded):  # the last one uploaded is the newest
        document.updated_at = world.document_a.updated_at + timedelta(minutes=n + 1)
    session.flush()
    documents.delete_document(session, actor=world.staff, document_id=uploaded[2].id)
    board = dashboard(session, actor=world.owner_a, limit=2)
    assert [d.filename for d in board.recent_documents] == ["notes-1.pdf", "notes-0.pdf"]
    assert [d.id for d in dashboard(session, actor=world.owner_b).recent_documents] == [world.document_b.id]


def test_recent_activity_reads_as_sentences_naming_what_changed(session, world):
    engagement = engagements.create_engagement(
        session,
        actor=world.staff,
        organization_id=world.org_a,
        title="Fleet telemetry dashboard",
        fixed_price_minor=100_000,
        currency="USD",
        staff_ids=[world.staff.id],
    )
    milestones.add_milestone(session, actor=world.staff, engagement_id=engagement.id, title="All", amount_minor=100_000)
    engagements.change_status(session, actor=world.staff, engagement_id=engagement.id, status=EngagementStatus.PROPOSED)
    uploaded = documents.upload(
        session, actor=world.staff, filename="hand-over.pdf", chunks=[PDF_BYTES], engagement_id=engagement.id
    )
    documents.delete_document(session, actor=world.staff, document_id=uploaded.id)
    sentences = [item.sentence for item in dashboard(session, actor=world.owner_a, limit=4).recent_activity]
    assert sentences == [
        "hand-over.pdf was removed",
        "hand-over.pdf was uploaded",
        "Fleet telemetry dashboard moved from Scoping to Proposed",
        "Fleet telemetry dashboard was set up",
    ]


@pytest.mark.parametrize(
    ("action", "meta", "names", "sentence"),
    [
        (
            "engagements.status_changed",
            '{"from": "in_progress", "to": "active"}',
            {},
            "An engagement moved from In progress to Active",
        ),
        ("documents.uploaded", '{"version": 2}', {"document": "sow.pdf"}, "A new version of sow.pdf was uploaded"),
        (
            "engagements.milestone_changes_requested",
            "{}",
            {"milestone": "Phase 2"},
            "Changes were requested on Phase 2",
        ),
        (
            "engagements.status_changed",
            "{}",
            {"engagement": "Portal"},
            "Portal moved from Another status to Another status",
        ),
    ],
)
def test_an_activity_sentence_survives_a_missing_target_or_status(action, meta, names, sentence):
    found = activity_sentence(action, meta, names.get("engagement"), names.get("milestone"), names.get("document"))
    assert found == sentence
