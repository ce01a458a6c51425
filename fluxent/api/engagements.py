"""``/api/v1/engagements/`` and their milestones: reads for members and staff, workflow actions.

Every route calls ``services.portal.engagements`` / ``services.portal.milestones``, which decide
who may do what (outsiders get 404, members without the right role 403).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Query
from pydantic import Field

from fluxent.api.identity import CSRF, DB, CurrentCaller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.listing import Paging, iso, page_body
from fluxent.api.routing import APIRouter
from fluxent.models.engagements import Engagement, EngagementStatus, Milestone, MilestoneStatus
from fluxent.services.portal import deliverables, engagements, milestones

router = APIRouter(prefix="/engagements", tags=["engagements"])


class EngagementIn(RequestBody):
    organization_id: Id
    title: str = Field(max_length=200)
    scope_summary: str = Field(default="", max_length=20_000)
    fixed_price_minor: int
    currency: str = Field(max_length=3)
    start_date: date | None = None
    target_date: date | None = None
    staff_ids: list[Id] = Field(default_factory=list, max_length=20)


class EngagementUpdateIn(RequestBody):
    title: str = Field(max_length=200)
    scope_summary: str = Field(default="", max_length=20_000)
    fixed_price_minor: int
    currency: str = Field(max_length=3)
    start_date: date | None = None
    target_date: date | None = None


class StatusIn(RequestBody):
    status: EngagementStatus


class StaffIn(RequestBody):
    user_id: Id


class DeliverableIn(RequestBody):
    """A link (``url``, http or https) or one of the engagement's documents (``document_id``)."""

    label: str = Field(default="", max_length=deliverables.MAX_LABEL)
    url: str | None = Field(default=None, max_length=deliverables.MAX_URL)
    document_id: Id | None = None


class MilestoneIn(RequestBody):
    title: str = Field(max_length=200)
    description: str = Field(default="", max_length=20_000)
    acceptance_criteria: str = Field(default="", max_length=milestones.MAX_CRITERIA)
    deliverables: list[DeliverableIn] = Field(default_factory=list, max_length=deliverables.MAX_DELIVERABLES)
    due_date: date | None = None
    amount_minor: int

    def details(self) -> dict[str, Any]:
        """The fields as the milestones service takes them."""
        return {
            **self.model_dump(exclude={"deliverables"}),
            "deliverables": [deliverables.Deliverable(**item.model_dump()) for item in self.deliverables],
        }


class AcceptIn(RequestBody):
    note: str = Field(default="", max_length=4000)


class ChangesIn(RequestBody):
    reason: str = Field(max_length=4000)


def engagement_json(engagement: Engagement) -> dict[str, Any]:
    return {
        "id": engagement.id,
        "organization_id": engagement.organization_id,
        "title": engagement.title,
        "scope_summary": engagement.scope_summary,
        "fixed_price": {"amount_minor": engagement.fixed_price_minor, "currency": engagement.currency},
        "start_date": iso(engagement.start_date),
        "target_date": iso(engagement.target_date),
        "status": str(engagement.status),
        "created_at": iso(engagement.created_at),
        "updated_at": iso(engagement.updated_at),
        "closed_at": iso(engagement.closed_at),
    }


def milestone_json(db, milestone: Milestone) -> dict[str, Any]:
    return {
        "id": milestone.id,
        "engagement_id": milestone.engagement_id,
        "position": milestone.position,
        "title": milestone.title,
        "description": milestone.description,
        "acceptance_criteria": milestone.acceptance_criteria,
        "deliverables": [
            {"label": item.label, "url": item.url, "document_id": item.document_id}
            for item in deliverables.deliverables_of(db, milestone.id)
        ],
        "due_date": iso(milestone.due_date),
        "amount_minor": milestone.amount_minor,
        "status": str(milestone.status),
        "client_note": milestone.client_note,
        "submitted_at": iso(milestone.submitted_at),
        "decided_at": iso(milestone.decided_at),
    }


def _engagement_detail(db, engagement: Engagement) -> dict[str, Any]:
    items = engagements.milestones_of(db, engagement.id)
    accepted = [m for m in items if m.status == MilestoneStatus.ACCEPTED]
    return {
        **engagement_json(engagement),
        "unallocated_minor": engagements.unallocated(db, engagement),
        "staff": [{"id": user.id, "name": user.name} for user in engagements.assigned_staff(db, engagement.id)],
        "progress": {
            "milestones": len(items),
            "accepted": len(accepted),
            "accepted_amount_minor": sum(m.amount_minor for m in accepted),
        },
    }


# Engagements ---------------------------------------------------------------------


@router.get("/")
def list_engagements(
    caller: CurrentCaller,
    db: DB,
    paging: Paging,
    organization: Annotated[Id | None, Query()] = None,
    status: Annotated[EngagementStatus | None, Query()] = None,
) -> dict[str, Any]:
    page = engagements.list_engagements(
        db, actor=caller.user, organization_id=organization, status=status, page=paging.page, page_size=paging.page_size
    )
    return page_body(page, engagement_json)


@router.post("/", status_code=201, dependencies=[CSRF])
def create_engagement(body: EngagementIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    engagement = engagements.create_engagement(db, actor=caller.user, **body.model_dump())
    return _engagement_detail(db, engagement)


@router.get("/{engagement_id}/")
def get_engagement(engagement_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return _engagement_detail(db, engagements.get_engagement(db, actor=caller.user, engagement_id=engagement_id))


@router.put("/{engagement_id}/", dependencies=[CSRF])
def update_engagement(engagement_id: Id, body: EngagementUpdateIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    engagement = engagements.update_engagement(db, actor=caller.user, engagement_id=engagement_id, **body.model_dump())
    return _engagement_detail(db, engagement)


@router.post("/{engagement_id}/status/", dependencies=[CSRF])
def change_status(engagement_id: Id, body: StatusIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    engagement = engagements.change_status(db, actor=caller.user, engagement_id=engagement_id, status=body.status)
    return _engagement_detail(db, engagement)


@router.post("/{engagement_id}/close/", dependencies=[CSRF])
def close_engagement(engagement_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return _engagement_detail(db, engagements.close_engagement(db, actor=caller.user, engagement_id=engagement_id))


@router.post("/{engagement_id}/staff/", dependencies=[CSRF])
def assign_staff(engagement_id: Id, body: StaffIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    engagements.assign_staff(db, actor=caller.user, engagement_id=engagement_id, user_id=body.user_id)
    return _engagement_detail(db, engagements.get_engagement(db, actor=caller.user, engagement_id=engagement_id))


@router.delete("/{engagement_id}/staff/{user_id}/", dependencies=[CSRF])
def unassign_staff(engagement_id: Id, user_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    engagements.unassign_staff(db, actor=caller.user, engagement_id=engagement_id, user_id=user_id)
    return _engagement_detail(db, engagements.get_engagement(db, actor=caller.user, engagement_id=engagement_id))


# Milestones ----------------------------------------------------------------------


@router.get("/{engagement_id}/milestones/")
def list_milestones(
    engagement_id: Id,
    caller: CurrentCaller,
    db: DB,
    paging: Paging,
    status: Annotated[MilestoneStatus | None, Query()] = None,
) -> dict[str, Any]:
    page = milestones.list_milestones(
        db, actor=caller.user, engagement_id=engagement_id, status=status, page=paging.page, page_size=paging.page_size
    )
    return page_body(page, lambda milestone: milestone_json(db, milestone))


@router.post("/{engagement_id}/milestones/", status_code=201, dependencies=[CSRF])
def add_milestone(engagement_id: Id, body: MilestoneIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    milestone = milestones.add_milestone(db, actor=caller.user, engagement_id=engagement_id, **body.details())
    return milestone_json(db, milestone)


@router.get("/{engagement_id}/milestones/{milestone_id}/")
def get_milestone(engagement_id: Id, milestone_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    _, milestone = milestones.get_milestone(
        db, actor=caller.user, engagement_id=engagement_id, milestone_id=milestone_id
    )
    return milestone_json(db, milestone)


@router.put("/{engagement_id}/milestones/{milestone_id}/", dependencies=[CSRF])
def update_milestone(
    engagement_id: Id, milestone_id: Id, body: MilestoneIn, caller: CurrentCaller, db: DB
) -> dict[str, Any]:
    milestone = milestones.update_milestone(
        db, actor=caller.user, engagement_id=engagement_id, milestone_id=milestone_id, **body.details()
    )
    return milestone_json(db, milestone)


@router.delete("/{engagement_id}/milestones/{milestone_id}/", status_code=204, dependencies=[CSRF])
def remove_milestone(engagement_id: Id, milestone_id: Id, caller: CurrentCaller, db: DB) -> None:
    milestones.remove_milestone(db, actor=caller.user, engagement_id=engagement_id, milestone_id=milestone_id)


@router.post("/{engagement_id}/milestones/{milestone_id}/start/", dependencies=[CSRF])
def start_milestone(engagement_id: Id, milestone_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return milestone_json(
        db, milestones.start(db, actor=caller.user, engagement_id=engagement_id, milestone_id=milestone_id)
    )


@router.post("/{engagement_id}/milestones/{milestone_id}/submit/", dependencies=[CSRF])
def submit_milestone(engagement_id: Id, milestone_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return milestone_json(
        db, milestones.submit(db, actor=caller.user, engagement_id=engagement_id, milestone_id=milestone_id)
    )


@router.post("/{engagement_id}/milestones/{milestone_id}/accept/", dependencies=[CSRF])
def accept_milestone(
    engagement_id: Id, milestone_id: Id, caller: CurrentCaller, db: DB, body: AcceptIn | None = None
) -> dict[str, Any]:
    milestone = milestones.accept(
        db, actor=caller.user, engagement_id=engagement_id, milestone_id=milestone_id, note=body.note if body else ""
    )
    return milestone_json(db, milestone)


@router.post("/{engagement_id}/milestones/{milestone_id}/request-changes/", dependencies=[CSRF])
def request_changes(
    engagement_id: Id, milestone_id: Id, body: ChangesIn, caller: CurrentCaller, db: DB
) -> dict[str, Any]:
    milestone = milestones.request_changes(
        db, actor=caller.user, engagement_id=engagement_id, milestone_id=milestone_id, reason=body.reason
    )
    return milestone_json(db, milestone)
