"""Portal data in a person's export and in their erasure."""

from __future__ import annotations

from sqlalchemy import select

from fluxent.models.accounts import Organization, OrgRole, Role
from fluxent.models.documents import DocumentVersion
from fluxent.models.engagements import EngagementStaff, Milestone
from fluxent.services.accounts import organizations
from fluxent.services.portal import documents, milestones
from fluxent.services.privacy.erasure import erase_user
from fluxent.services.privacy.export import export_user_data, validate_export
from tests.support.portal import PDF_BYTES, person


def test_export_lists_decisions_uploads_and_assignments(session, world):
    milestones.accept(
        session,
        actor=world.owner_a,
        engagement_id=world.engagement_a.id,
        milestone_id=world.milestones_a[0].id,
        note="Approved by Olivia",
    )
    documents.upload(
        session, actor=world.owner_a, filename="brief.pdf", chunks=[PDF_BYTES], organization_id=world.org_a
    )
    owner = export_user_data(session, user=world.owner_a)
    validate_export(owner)
    assert [(a["milestone"], a["note"], a["submitted_at"]) for a in owner["milestone_actions"]] == [
        ("Phase 1", "Approved by Olivia", None)
    ]
    assert [(d["organization"], d["filename"], d["version"]) for d in owner["documents_uploaded"]] == [
        ("Northwind Robotics", "brief.pdf", 1)
    ]
    assert owner["engagement_assignments"] == []
    staff = export_user_data(session, user=world.staff)
    validate_export(staff)
    assert sorted(a["organization"] for a in staff["engagement_assignments"]) == ["Acme Widgets", "Northwind Robotics"]
    # Staff submitted the milestones; the client's note is not theirs to receive.
    assert {(a["milestone"], a["note"]) for a in staff["milestone_actions"]} == {("Phase 1", None)}
    assert len(staff["documents_uploaded"]) == 2


def test_erasure_unlinks_the_person_and_keeps_the_organization_records(session, world):
    otto = person(session, "otto@northwind.test", Role.CLIENT, "Otto Owner")
    organizations.add_membership(
        session, user=otto, organization=session.get(Organization, world.org_a), role=OrgRole.OWNER
    )
    ms = world.milestones_a[0]
    milestones.request_changes(
        session, actor=otto, engagement_id=world.engagement_a.id, milestone_id=ms.id, reason="Otto says no"
    )
    documents.upload(session, actor=otto, filename="o.pdf", chunks=[PDF_BYTES], organization_id=world.org_a)
    erase_user(session, user=otto, actor=otto)
    uploaded_by = session.scalars(select(DocumentVersion.uploaded_by_id).order_by(DocumentVersion.id)).all()
    assert uploaded_by == [world.staff.id, world.staff.id, None]  # the file stays with the organization
    session.expire_all()
    milestone = session.get(Milestone, ms.id)
    assert (milestone.decided_by_id, milestone.client_note, milestone.status) == (None, "", "changes_requested")
    assert milestone.submitted_by_id == world.staff.id  # someone else's link stays

    erase_user(session, user=world.staff, actor=world.staff)
    session.expire_all()
    assert session.get(Milestone, ms.id).submitted_by_id is None
    assert session.scalars(select(EngagementStaff)).all() == []
