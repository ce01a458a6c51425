"""``/api/v1/invoices/``: list and read (owners, billing contacts, staff), draft, issue, void and
mark uncollectible (staff), the PDF, and ``pay/``: the hosted card payment page's URL (owners, billing contacts).

Every rule is in ``services.billing``; outsiders get 404, members without billing rights 403.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import Response
from pydantic import Field

from fluxent import routes
from fluxent.api.identity import CSRF, DB, CurrentCaller, ReadUnitCaller
from fluxent.api.inputs import Id, RequestBody
from fluxent.api.listing import Paging, iso, page_body
from fluxent.api.routing import APIRouter, api_path
from fluxent.core.filenames import content_disposition
from fluxent.models.billing import Invoice, InvoiceStatus
from fluxent.services.billing import invoices, payments, pdf

router = APIRouter(prefix=api_path(routes.API_INVOICES).rstrip("/"), tags=["billing"])


class LineIn(RequestBody):
    description: str = Field(max_length=500)
    unit_amount_minor: int = Field(ge=1, le=invoices.MAX_UNIT_AMOUNT)
    quantity: int = Field(default=1, ge=1, le=invoices.MAX_QUANTITY)


class InvoiceIn(RequestBody):
    organization: Id
    engagement: Id | None = None
    milestone: Id | None = None
    lines: list[LineIn] = Field(default_factory=list, max_length=invoices.MAX_LINES)
    currency: str | None = Field(default=None, max_length=3)
    tax_rate_bp: int = Field(default=0, ge=0, le=invoices.MAX_TAX_RATE_BP)
    due_date: date | None = None
    memo: str = Field(default="", max_length=invoices.MAX_MEMO)


def invoice_json(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": invoice.id,
        "number": invoice.number,
        "organization_id": invoice.organization_id,
        "engagement_id": invoice.engagement_id,
        "milestone_id": invoice.milestone_id,
        "status": str(invoice.status),
        "currency": invoice.currency,
        "tax_rate_bp": invoice.tax_rate_bp,
        "subtotal_minor": invoice.subtotal_minor,
        "tax_minor": invoice.tax_minor,
        "total_minor": invoice.total_minor,
        "amount_paid_minor": invoice.amount_paid_minor,
        "amount_refunded_minor": invoice.amount_refunded_minor,
        "disputed": invoice.disputed,
        "dispute": {
            "status": invoice.dispute_status,
            "amount_minor": invoice.dispute_amount_minor,
            "reason": invoice.dispute_reason,
            "evidence_due_by": iso(invoice.dispute_evidence_due_at),
        }
        if invoice.dispute_status
        else None,
        "issue_date": iso(invoice.issue_date),
        "due_date": iso(invoice.due_date),
        "paid_at": iso(invoice.paid_at),
        "voided_at": iso(invoice.voided_at),
        "pdf_url": routes.api_invoice_pdf(invoice.id),
    }


def _detail(db, invoice: Invoice) -> dict[str, Any]:
    return {
        **invoice_json(invoice),
        "memo": invoice.memo,
        "bill_to": {
            "name": invoice.bill_to_name,
            "email": invoice.bill_to_email,
            "address": invoice.bill_to_address,
            "tax_id": invoice.bill_to_tax_id,
        },
        "lines": [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit_amount_minor": line.unit_amount_minor,
                "amount_minor": line.amount_minor,
            }
            for line in invoices.lines_of(db, invoice.id)
        ],
        "payments": [
            {"kind": str(p.kind), "status": p.status, "amount_minor": p.amount_minor, "created_at": iso(p.created_at)}
            for p in payments.payments_of(db, invoice.id)
        ],
    }


@router.get("/")
def list_invoices(
    caller: CurrentCaller,
    db: DB,
    paging: Paging,
    organization: Annotated[Id | None, Query()] = None,
    status: Annotated[InvoiceStatus | None, Query()] = None,
) -> dict[str, Any]:
    page = invoices.list_invoices(
        db, actor=caller.user, organization_id=organization, status=status, page=paging.page, page_size=paging.page_size
    )
    return page_body(page, invoice_json)


@router.post("/", status_code=201, dependencies=[CSRF])
def create_invoice(body: InvoiceIn, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    invoice = invoices.create_invoice(
        db,
        actor=caller.user,
        organization_id=body.organization,
        engagement_id=body.engagement,
        milestone_id=body.milestone,
        lines=[invoices.LineInput(line.description, line.unit_amount_minor, line.quantity) for line in body.lines],
        currency=body.currency,
        tax_rate_bp=body.tax_rate_bp,
        due_date=body.due_date,
        memo=body.memo,
    )
    return _detail(db, invoice)


@router.get("/{invoice_id}/")
def get_invoice(invoice_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return _detail(db, invoices.get_invoice(db, actor=caller.user, invoice_id=invoice_id))


@router.get("/{invoice_id}/pdf/")
def invoice_pdf(invoice_id: Id, caller: CurrentCaller, db: DB) -> Response:
    invoice = invoices.get_invoice(db, actor=caller.user, invoice_id=invoice_id)
    rendered = pdf.render_invoice(db, invoice)
    return Response(
        rendered,
        media_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition(pdf.filename(invoice)),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


@router.post("/{invoice_id}/issue/", dependencies=[CSRF])
def issue_invoice(invoice_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return _detail(db, invoices.issue(db, actor=caller.user, invoice_id=invoice_id))


@router.post("/{invoice_id}/void/", dependencies=[CSRF])
def void_invoice(invoice_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return _detail(db, invoices.void(db, actor=caller.user, invoice_id=invoice_id))


@router.post("/{invoice_id}/uncollectible/", dependencies=[CSRF])
def mark_invoice_uncollectible(invoice_id: Id, caller: CurrentCaller, db: DB) -> dict[str, Any]:
    return _detail(db, invoices.mark_uncollectible(db, actor=caller.user, invoice_id=invoice_id))


@router.post("/{invoice_id}/pay/", dependencies=[CSRF])
def pay_invoice(invoice_id: Id, caller: ReadUnitCaller) -> dict[str, str]:
    """The caller is resolved in a read unit: the service asks Stripe before it writes."""
    return {"url": payments.start_checkout(actor_id=caller.user.id, invoice_id=invoice_id)}
