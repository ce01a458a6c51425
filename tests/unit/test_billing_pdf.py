"""The invoice PDF: what it says, page breaks for long invoices, and the download route."""

from __future__ import annotations

import io

from pypdf import PdfReader

from fluxent.services.billing import invoices, pdf
from fluxent.services.billing.invoices import LineInput
from tests.support.billing import issued_invoice, save_profile
from tests.support.portal import client_for


def _text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_carries_number_parties_lines_and_totals(session, world):
    invoice = issued_invoice(session, world, tax_rate_bp=825)
    pages, text = _text(pdf.render_invoice(session, invoice))
    assert pages == 1
    for expected in (
        invoice.number,
        "Northwind Robotics, Inc.",
        "US-12-3456789",
        "Fluxent Technologies, Inc.",
        "Build for Northwind Robotics: Phase 1",
        "USD 3,000.00",
        "USD 247.50",
        "USD 3,247.50",
        "DUE",
    ):
        assert expected in text, expected


def test_fifty_lines_continue_over_pages_with_the_header_repeated(session, world):
    save_profile(session, world)
    lines = [LineInput(f"Engineering week {n} <b>&amp; friends</b>", 10_000 + n) for n in range(50)]
    invoice = invoices.create_invoice(
        session, actor=world.staff, organization_id=world.org_a, currency="EUR", lines=lines
    )
    invoices.issue(session, actor=world.staff, invoice_id=invoice.id)
    pages, text = _text(pdf.render_invoice(session, invoice))
    assert pages >= 2
    assert text.count("Description") == pages  # the table's header on every page
    assert "Engineering week 49 <b>&amp; friends</b>" in text  # markup in a line stays text
    assert f"{invoice.number} · page {pages}" in text


def test_the_pdf_route_sends_an_attachment_to_readers_only(session, world):
    invoice = issued_invoice(session, world)
    response = client_for(session, world.owner_a).get(f"/api/v1/invoices/{invoice.id}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert invoice.number in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "no-store"
    assert client_for(session, world.member_a).get(f"/api/v1/invoices/{invoice.id}/pdf/").status_code == 403
    assert client_for(session, world.owner_b).get(f"/api/v1/invoices/{invoice.id}/pdf/").status_code == 404
