"""The invoice as a PDF (reportlab): Fluxent's letterhead, bill-to and invoice details, the lines
table (continued over pages), totals, payment status and the payment terms in the footer.

Rendered on request from the stored invoice, in a read unit: issued invoices never change,
so the same invoice always gives the same document.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlmodel import Session

from fluxent.models.accounts import Organization
from fluxent.models.billing import Invoice, InvoiceStatus
from fluxent.services.billing.invoices import lines_of
from fluxent.services.billing.money import format_money

# The brand's colours (components/theme.py holds the same for the pages).
INK = colors.HexColor("#0B1736")
TEXT = colors.HexColor("#1B2642")
MUTED = colors.HexColor("#5B6785")
ACCENT = colors.HexColor("#2F4FF0")
ACCENT_SOFT = colors.HexColor("#ECEFFE")
MINT = colors.HexColor("#2EE6B6")
LINE = colors.HexColor("#E3E8F2")
CANVAS = colors.HexColor("#F6F8FC")
PAID_GREEN = colors.HexColor("#0E7A55")
VOID_RED = colors.HexColor("#B3261E")

SELLER = ("Fluxent Technologies, Inc.", "New York, NY", "support@fluxent.tech")
PAGE_W, PAGE_H = LETTER
MARGIN = 18 * mm
HEADER_H = 34 * mm

_BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=9.5, leading=13, textColor=TEXT)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=8, leading=11, textColor=MUTED)
_LABEL = ParagraphStyle("label", parent=_SMALL, fontName="Helvetica-Bold", textColor=MUTED, spaceAfter=2)
_RIGHT = ParagraphStyle("right", parent=_BODY, alignment=TA_RIGHT)
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=9, leading=12)
STATUS_WORDS = {
    InvoiceStatus.DRAFT: ("DRAFT", MUTED),
    InvoiceStatus.OPEN: ("DUE", ACCENT),
    InvoiceStatus.PAID: ("PAID", PAID_GREEN),
    InvoiceStatus.VOID: ("VOID", VOID_RED),
    InvoiceStatus.UNCOLLECTIBLE: ("UNCOLLECTIBLE", VOID_RED),
}


def filename(invoice: Invoice) -> str:
    return f"Fluxent invoice {invoice.number or f'draft {invoice.id}'}.pdf"


def render_invoice(session: Session, invoice: Invoice) -> bytes:
    organization = session.get(Organization, invoice.organization_id)
    lines = lines_of(session, invoice.id)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=HEADER_H + 10 * mm,
        bottomMargin=24 * mm,
        title=f"Invoice {invoice.number or 'draft'}",
        author="Fluxent Technologies, Inc.",
        invariant=True,
    )
    width = PAGE_W - 2 * MARGIN
    story = [
        _parties(invoice, organization, width),
        Spacer(1, 8 * mm),
        _lines_table(invoice, lines, width),
        Spacer(1, 4 * mm),
        _totals(invoice, width),
    ]
    if invoice.memo:
        story += [Spacer(1, 6 * mm), Paragraph("NOTE", _LABEL), Paragraph(_text(invoice.memo), _BODY)]

    def decorate(canvas, doc) -> None:
        _letterhead(canvas, invoice)
        _footer(canvas, invoice, doc.page)

    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def _letterhead(canvas, invoice: Invoice) -> None:
    canvas.saveState()
    canvas.setFillColor(INK)
    canvas.rect(0, PAGE_H - HEADER_H, PAGE_W, HEADER_H, stroke=0, fill=1)
    canvas.setFillColor(MINT)
    canvas.rect(0, PAGE_H - HEADER_H, PAGE_W, 1.2 * mm, stroke=0, fill=1)
    # The mark: a cobalt square with a mint spark, then the word.
    x, y = MARGIN, PAGE_H - HEADER_H / 2 - 5 * mm
    canvas.setFillColor(ACCENT)
    canvas.roundRect(x, y, 10 * mm, 10 * mm, 2 * mm, stroke=0, fill=1)
    canvas.setFillColor(MINT)
    canvas.circle(x + 7 * mm, y + 7 * mm, 1.3 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawString(x + 14 * mm, y + 2.6 * mm, "Fluxent")
    canvas.setFont("Helvetica", 8)
    canvas.setFillColor(colors.HexColor("#C9D2E6"))
    canvas.drawString(x + 14 * mm + 1, y - 3 * mm, "Fixed-price software, delivered by forward-deployed engineers")
    canvas.setFillColor(colors.white)
    canvas.setFont("Helvetica-Bold", 22)
    canvas.drawRightString(PAGE_W - MARGIN, y + 4 * mm, "INVOICE")
    canvas.setFont("Helvetica", 10)
    canvas.setFillColor(colors.HexColor("#C9D2E6"))
    canvas.drawRightString(PAGE_W - MARGIN, y - 2 * mm, invoice.number or "Draft, not yet issued")
    canvas.restoreState()


def _footer(canvas, invoice: Invoice, page: int) -> None:
    canvas.saveState()
    canvas.setStrokeColor(LINE)
    canvas.line(MARGIN, 18 * mm, PAGE_W - MARGIN, 18 * mm)
    canvas.setFont("Helvetica", 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(
        MARGIN, 13 * mm, "Pay by card in the Fluxent client portal. Card details go to Stripe, never to Fluxent."
    )
    canvas.drawString(MARGIN, 9 * mm, " \u00b7 ".join(SELLER))
    canvas.drawRightString(PAGE_W - MARGIN, 13 * mm, f"{invoice.number or 'Draft'} \u00b7 page {page}")
    canvas.restoreState()


def _parties(invoice: Invoice, organization: Organization | None, width: float) -> Table:
    bill_to_name = invoice.bill_to_name or (organization.name if organization else "")
    bill_to = [Paragraph("BILL TO", _LABEL), Paragraph(f"<b>{_text(bill_to_name)}</b>", _BODY)]
    for value in (invoice.bill_to_address, invoice.bill_to_email):
        if value:
            bill_to.append(Paragraph(_text(value), _BODY))
    if invoice.bill_to_tax_id:
        bill_to.append(Paragraph(f"Tax ID: {_text(invoice.bill_to_tax_id)}", _BODY))
    word, colour = STATUS_WORDS[invoice.status]
    facts = [
        ("Invoice number", invoice.number or "Draft"),
        ("Issue date", f"{invoice.issue_date:%B %-d, %Y}" if invoice.issue_date else "Not issued"),
        ("Due date", f"{invoice.due_date:%B %-d, %Y}" if invoice.due_date else "On issue + 30 days"),
        ("Currency", invoice.currency),
    ]
    status = Paragraph(f'<font color="#{colour.hexval()[2:]}"><b>{word}</b></font>', _RIGHT)
    details = Table(
        [[Paragraph(label, _SMALL), Paragraph(_text(value), _RIGHT)] for label, value in facts]
        + [[Paragraph("Status", _SMALL), status]],
        colWidths=[width * 0.13, width * 0.21],
        style=TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -2), 0.5, LINE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    seller = [Paragraph("FROM", _LABEL), Paragraph(f"<b>{SELLER[0]}</b>", _BODY)] + [
        Paragraph(line, _BODY) for line in SELLER[1:]
    ]
    return Table(
        [[bill_to, seller, details]],
        colWidths=[width * 0.36, width * 0.30, width * 0.34],
        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]),
    )


def _lines_table(invoice: Invoice, lines, width: float) -> Table:
    rows = [["Description", "Qty", "Unit price", "Amount"]]
    for line in lines:
        rows.append(
            [
                Paragraph(_text(line.description), _CELL),
                str(line.quantity),
                format_money(line.unit_amount_minor, invoice.currency),
                format_money(line.amount_minor, invoice.currency),
            ]
        )
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT_SOFT),
        ("TEXTCOLOR", (0, 0), (-1, 0), INK),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("FONT", (1, 1), (-1, -1), "Helvetica", 9),
        ("TEXTCOLOR", (1, 1), (-1, -1), TEXT),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]
    style += [("BACKGROUND", (0, row), (-1, row), CANVAS) for row in range(2, len(rows), 2)]
    return Table(
        rows, colWidths=[width * 0.52, width * 0.08, width * 0.2, width * 0.2], repeatRows=1, style=TableStyle(style)
    )


def _totals(invoice: Invoice, width: float) -> Table:
    rate = f"{invoice.tax_rate_bp / 100:g} %"
    rows = [
        ["Subtotal", format_money(invoice.subtotal_minor, invoice.currency)],
        [f"Tax ({rate})", format_money(invoice.tax_minor, invoice.currency)],
        ["Total", format_money(invoice.total_minor, invoice.currency)],
    ]
    if invoice.amount_paid_minor:
        rows.append(["Paid", format_money(-invoice.amount_paid_minor, invoice.currency)])
    if invoice.amount_refunded_minor:
        rows.append(["Refunded", format_money(invoice.amount_refunded_minor, invoice.currency)])
    balance = invoice.total_minor - invoice.amount_paid_minor
    if invoice.status in (InvoiceStatus.OPEN, InvoiceStatus.PAID):
        rows.append(["Amount due", format_money(max(balance, 0), invoice.currency)])
    last = len(rows) - 1
    return Table(
        rows,
        colWidths=[width * 0.2, width * 0.2],
        hAlign="RIGHT",
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 9.5),
                ("TEXTCOLOR", (0, 0), (-1, -1), TEXT),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("FONT", (0, 2), (-1, 2), "Helvetica-Bold", 10),
                ("LINEABOVE", (0, 2), (-1, 2), 0.8, INK),
                ("BACKGROUND", (0, last), (-1, last), INK),
                ("TEXTCOLOR", (0, last), (-1, last), colors.white),
                ("FONT", (0, last), (-1, last), "Helvetica-Bold", 11),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        ),
    )
