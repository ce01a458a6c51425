"""Milestone acceptance criteria and deliverables: what staff may set, what clients read."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from fluxent.core.errors import NotFound, PermissionDenied, ValidationFailed
from fluxent.models.audit import AuditEvent
from fluxent.models.engagements import Milestone
from fluxent.services.portal import deliverables, documents, listings, milestones
from fluxent.services.portal.deliverables import Deliverable


def _update(session, world, **changes):
    milestone = world.milestones_a[1]
    details = {
        "title": milestone.title,
        "description": "Build the export.",
        "due_date": None,
        "amount_minor": milestone.amount_minor,
        **changes,
    }
    return milestones.update_milestone(
        session, actor=world.staff, engagement_id=world.engagement_a.id, milestone_id=milestone.id, **details
    )


def test_staff_set_criteria_links_and_documents_and_clients_read_them(session, world):
    _update(
        session,
        world,
        acceptance_criteria="  The export has a totals row\r\n\nIt opens in Excel   \n\n",
        deliverables=[
            Deliverable(label="Staging site", url="https://staging.northwind.test/app"),
            Deliverable(document_id=world.document_a.id),
        ],
    )
    session.commit()
    line = listings.acceptance_line(
        session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=world.milestones_a[1].id
    )
    assert line.milestone.acceptance_criteria == "  The export has a totals row\n\nIt opens in Excel"
    assert [(d.label, d.href, d.is_document) for d in line.milestone.deliverables] == [
        ("Staging site", "https://staging.northwind.test/app", False),
        ("plan.pdf", f"/api/v1/documents/{world.document_a.id}/download/", True),
    ]
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "engagements.milestone_updated").order_by(AuditEvent.seq.desc())
    ).first()
    assert json.loads(event.meta)["fields"] == ["acceptance_criteria", "description", "deliverables"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.test/a",
        "https://",
        "//evil.test/a",
        "https://evil.test/a b",
        "https://evil.test/\x00",
        "https://evil.test/" + "a" * 2000,
        "vbscript:msgbox",
    ],
)
def test_hostile_links_are_refused_and_nothing_changes(session, world, url):
    _update(session, world, deliverables=[Deliverable(label="Site", url="https://ok.test/")])
    session.commit()
    with pytest.raises(ValidationFailed) as refused:
        _update(session, world, acceptance_criteria="Changed", deliverables=[Deliverable(url=url)])
    session.rollback()
    assert "http:// or https://" in refused.value.fields["deliverables"]
    assert deliverables.deliverables_of(session, world.milestones_a[1].id) == [
        Deliverable(label="Site", url="https://ok.test/")
    ]
    assert session.get(Milestone, world.milestones_a[1].id).acceptance_criteria == ""


def test_a_document_of_another_engagement_or_tenant_is_refused(session, world):
    with pytest.raises(ValidationFailed, match="Some deliverables") as refused:
        _update(session, world, deliverables=[Deliverable(document_id=world.document_b.id)])
    assert "not one of this engagement's" in refused.value.fields["deliverables"]


def test_a_deliverable_is_a_link_or_a_document_and_the_list_is_bounded(session, world):
    with pytest.raises(ValidationFailed, match="Some deliverables") as both:
        _update(session, world, deliverables=[Deliverable(url="https://a.test/", document_id=world.document_a.id)])
    assert "either a link or a document" in both.value.fields["deliverables"]
    many = [Deliverable(url=f"https://a.test/{n}") for n in range(21)]
    with pytest.raises(ValidationFailed) as too_many:
        _update(session, world, deliverables=many)
    assert "at most 20" in too_many.value.fields["deliverables"]


def test_overlong_criteria_are_refused_with_their_length(session, world):
    with pytest.raises(ValidationFailed) as refused:
        _update(session, world, acceptance_criteria="x" * 20_001)
    assert "20,001" in refused.value.fields["acceptance_criteria"]


def test_control_characters_leave_the_criteria(session, world):
    saved = _update(session, world, acceptance_criteria="Totals\x00 row\x1b[31m\tshown")
    assert saved.acceptance_criteria == "Totals row[31m\tshown"


def test_links_parse_one_a_line_with_an_optional_label():
    assert deliverables.parse_links("https://a.test/x\n\n  Staging  site https://b.test/ \n") == [
        Deliverable(url="https://a.test/x"),
        Deliverable(label="Staging site", url="https://b.test/"),
    ]


def test_a_deleted_document_drops_out_of_the_clients_list(session, world):
    _update(session, world, deliverables=[Deliverable(document_id=world.document_a.id)])
    documents.delete_document(session, actor=world.staff, document_id=world.document_a.id)
    assert deliverables.deliverable_lines(session, world.milestones_a[1].id) == []


def test_only_staff_edit_and_outsiders_do_not_see_the_milestone(session, world):
    with pytest.raises(PermissionDenied):
        milestones.update_milestone(
            session,
            actor=world.owner_a,
            engagement_id=world.engagement_a.id,
            milestone_id=world.milestones_a[1].id,
            title="Phase 2",
            description="",
            due_date=None,
            amount_minor=300_000,
            acceptance_criteria="Mine now",
        )
    with pytest.raises(NotFound):
        listings.acceptance_line(
            session, actor=world.owner_b, engagement_id=world.engagement_a.id, milestone_id=world.milestones_a[1].id
        )
