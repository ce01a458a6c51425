"""``/api/v1/leads/`` for staff: the pipeline list, one lead with its notes, and its actions.

The public contact form posts to the same path (``POST /api/v1/leads/``, in
``marketing``); everything here needs a staff session, decided by
``services.marketing.pipeline`` and ``services.marketing.leads`` (clients get 403).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Response
from pydantic import Field

from fluxent.api.identity import CSRF, DB, CurrentCaller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.listing import Paging, iso, page_body
from fluxent.api.routing import APIRouter
from fluxent.core.csv_text import csv_document
from fluxent.models.marketing import Lead, LeadSource, LeadStatus
from fluxent.services.marketing import leads, pipeline

router = APIRouter(prefix="/leads", tags=["leads"])


class NoteIn(RequestBody):
    body: str = Field(max_length=pipeline.MAX_NOTE * 2)


class StatusIn(RequestBody):
    status: LeadStatus


class ConvertIn(RequestBody):
    title: str = Field(max_length=400)
    fixed_price_minor: int
    currency: str = Field(max_length=10)


EXPORT_COLUMNS = (
    "id",
    "source",
    "status",
    "name",
    "email",
    "phone",
    "company",
    "country",
    "created_at",
    "last_activity_at",
    "message",
)


def lead_json(lead: Lead) -> dict[str, Any]:
    return {
        "id": lead.id,
        "source": str(lead.source),
        "status": str(lead.status),
        "name": lead.name,
        "email": lead.email,
        "phone": lead.phone,
        "company": lead.company,
        "country": lead.country,
        "created_at": iso(lead.created_at),
        "last_activity_at": iso(lead.last_activity_at),
        "organization_id": lead.organization_id,
        "converted_at": iso(lead.converted_at),
    }


def _detail(db, caller, lead: Lead) -> dict[str, Any]:
    notes = pipeline.notes_of(db, actor=caller.user, lead_id=lead.id)
    return {
        **lead_json(lead),
        "message": lead.message,
        "audience": lead.audience,
        "timeline": lead.timeline,
        "budget": lead.budget,
        "notes": [
            {
                "id": entry.note.id,
                "body": entry.note.body,
                "author": entry.author,
                "created_at": iso(entry.note.created_at),
            }
            for entry in notes
        ],
    }


@router.get("/")
def list_leads(
    caller: CurrentCaller,
    db: DB,
    paging: Paging,
    status: Annotated[LeadStatus | None, Query()] = None,
    source: Annotated[LeadSource | None, Query()] = None,
    q: Annotated[str, Query(max_length=pipeline.MAX_SEARCH)] = "",
) -> dict[str, Any]:
    """Staff only. Most recent activity first; ``q`` searches name, e-mail and company; ``counts`` per status."""
    page = pipeline.list_leads(
        db, actor=caller.user, status=status, source=source, q=q, page=paging.page, page_size=paging.page_size
    )
    return {**page_body(page, lead_json), "counts": pipeline.status_counts(db, actor=caller.user)}


@router.get("/export/", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def export_leads(
    caller: CurrentCaller,
    db: DB,
    status: Annotated[LeadStatus | None, Query()] = None,
    source: Annotated[LeadSource | None, Query()] = None,
    q: Annotated[str, Query(max_length=pipeline.MAX_SEARCH)] = "",
) -> Response:
    """Staff only. The leads the list shows under the same filters, as CSV for a spreadsheet
    (cells a spreadsheet would run as formulas are neutralised: ``core.csv_text``)."""
    rows = pipeline.leads_for_export(db, actor=caller.user, status=status, source=source, q=q)
    body = csv_document(
        EXPORT_COLUMNS,
        (
            [
                lead.id,
                str(lead.source),
                str(lead.status),
                lead.name,
                lead.email,
                lead.phone,
                lead.company,
                lead.country,
                iso(lead.created_at),
                iso(lead.last_activity_at),
                lead.message,
            ]
            for lead in rows
        ),
    )
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="leads.csv"', "Cache-Control": "no-store"},
    )


@router.get("/{lead_id}/")
def get_lead(lead_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return _detail(db, caller, leads.lead_for_staff(db, user=caller.user, lead_id=lead_id))


@router.post("/{lead_id}/notes/", status_code=201, dependencies=[CSRF])
def add_note(lead_id: Id, body: NoteIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    pipeline.add_note(db, actor=caller.user, lead_id=lead_id, body=body.body)
    return _detail(db, caller, leads.lead_for_staff(db, user=caller.user, lead_id=lead_id))


@router.post("/{lead_id}/status/", dependencies=[CSRF])
def change_status(lead_id: Id, body: StatusIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return _detail(db, caller, leads.set_status(db, user=caller.user, lead_id=lead_id, status=body.status))


@router.post("/{lead_id}/convert/", status_code=201, dependencies=[CSRF])
def convert(lead_id: Id, body: ConvertIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    """Organization, draft engagement and owner invitation in one step; the invitation e-mail follows."""
    done = pipeline.convert(db, actor=caller.user, lead_id=lead_id, **body.model_dump())
    return {
        "lead": lead_json(done.lead),
        "organization": {"id": done.organization.id, "name": done.organization.name, "slug": done.organization.slug},
        "engagement": {
            "id": done.engagement.id,
            "title": done.engagement.title,
            "status": str(done.engagement.status),
            "fixed_price": {"amount_minor": done.engagement.fixed_price_minor, "currency": done.engagement.currency},
        },
        "invitation": {"email": done.invitation.email, "expires_at": iso(done.invitation.expires_at)},
    }
