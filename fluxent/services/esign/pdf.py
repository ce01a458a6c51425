"""PDF work for e-signature: reading a document's pages, stamping filled fields onto
them (reportlab overlays merged with pypdf) and drawing the completion certificate.

Pure functions over bytes; no database. Positions are relative to the page's
visible box, measured from its top-left corner.
"""

from __future__ import annotations

import base64
import binascii
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from fluxent.core.errors import ValidationFailed
from fluxent.core.settings import PROJECT_ROOT

SCRIPT_FONT_FILE = PROJECT_ROOT / "assets" / "fonts" / "DancingScript-Regular.ttf"
SCRIPT_FONT = "DancingScript"
PNG_DATA_URL = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_IMAGE_BYTES = 200_000
UNREADABLE = "The document is not a PDF that can be read."
# A file cannot state its own hash: the final one is recorded when the seal is applied.
FINAL_HASH_NOTE = (
    "The final document is this file exactly as Fluxent delivered it: the original with the fields stamped, "
    "this certificate, and Fluxent's electronic seal. A file cannot contain its own SHA-256, so it is not "
    "printed here; Fluxent records it when the seal is applied, and {verify_url} compares the SHA-256 of any "
    "copy with it."
)


@dataclass(frozen=True)
class Stamp:
    """One filled field to draw: ``kind`` is a FieldKind value; ``image`` a PNG for drawn signatures."""

    page: int
    x: float
    y: float
    width: float
    height: float
    kind: str
    text: str = ""
    image: bytes | None = None


@dataclass(frozen=True)
class CertificateSigner:
    name: str
    email: str
    role: str
    verified_by: str
    consent_version: str
    consented_at: datetime | None
    signed_at: datetime | None
    ip: str
    user_agent: str


@dataclass(frozen=True)
class Certificate:
    envelope_id: int
    title: str
    organization: str
    sent_at: datetime | None
    completed_at: datetime
    original_sha256: str
    original_name: str  # the portal document the original is, e.g. "sow.pdf, version 1"
    verify_url: str
    signers: Sequence[CertificateSigner]


def page_count(pdf: bytes) -> int:
    """Pages of ``pdf``; ValidationFailed when it cannot be read (or is encrypted)."""
    try:
        reader = PdfReader(BytesIO(pdf))
        if reader.is_encrypted:
            raise ValidationFailed("Encrypted PDFs cannot be sent for signature.", fields={"document": "Encrypted."})
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValidationFailed(UNREADABLE, fields={"document": UNREADABLE}) from error
    if pages < 1:
        raise ValidationFailed(UNREADABLE, fields={"document": UNREADABLE})
    return pages


def png_from_data_url(data_url: str) -> bytes:
    """The PNG bytes of a drawn signature; ValidationFailed for anything else."""
    message = "The drawn signature must be a PNG image."
    if not data_url.startswith(PNG_DATA_URL) or len(data_url) > MAX_SIGNATURE_IMAGE_BYTES * 4 // 3 + 64:
        raise ValidationFailed(message, fields={"signature": message})
    try:
        raw = base64.b64decode(data_url[len(PNG_DATA_URL) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(message, fields={"signature": message}) from None
    if not raw.startswith(PNG_MAGIC) or len(raw) > MAX_SIGNATURE_IMAGE_BYTES:
        raise ValidationFailed(message, fields={"signature": message})
    try:
        ImageReader(BytesIO(raw)).getSize()
    except Exception:  # a PNG header over garbage
        raise ValidationFailed(message, fields={"signature": message}) from None
    return raw


def signed(pdf: bytes, stamps: Sequence[Stamp], certificate: Certificate) -> bytes:
    """``pdf`` with every stamp drawn on its page, followed by the completion certificate
    page(s). The document is read and copied once; the certificate pages join the same copy."""
    writer = _stamped(pdf, stamps)
    for extra in PdfReader(BytesIO(_certificate_pages(certificate))).pages:
        writer.add_page(extra)
    return _written(writer)


def _stamped(pdf: bytes, stamps: Sequence[Stamp]) -> PdfWriter:
    _register_script_font()
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    for index, page in enumerate(writer.pages):
        mine = [item for item in stamps if item.page == index]
        if not mine:
            continue
        box = page.cropbox
        left, bottom = float(box.left), float(box.bottom)
        width, height = float(box.width), float(box.height)
        buffer = BytesIO()
        overlay = canvas.Canvas(buffer, pagesize=(float(page.mediabox.right), float(page.mediabox.top)))
        for item in mine:
            x = left + item.x * width
            w, h = item.width * width, item.height * height
            y = bottom + height - (item.y * height) - h
            _draw(overlay, item, x, y, w, h)
        overlay.showPage()
        overlay.save()
        page.merge_page(PdfReader(BytesIO(buffer.getvalue())).pages[0])
    return writer


def _written(writer: PdfWriter) -> bytes:
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _certificate_pages(certificate: Certificate) -> bytes:
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    y = height - 60

    def line(text: str, *, font: str = "Helvetica", size: float = 9.5, gap: float = 13) -> None:
        nonlocal y
        for piece in textwrap.wrap(text, 105 if size < 10 else 80) or [""]:
            if y < 60:
                page.showPage()
                y = height - 60
            page.setFont(font, size)
            page.drawString(50, y, piece)
            y -= gap

    line("Certificate of completion", font="Helvetica-Bold", size=16, gap=24)
    line(f"Envelope: {certificate.envelope_id}")
    line(f"Document: {certificate.title}")
    line(f"Organization: {certificate.organization}")
    line(f"Sent: {_utc(certificate.sent_at)}")
    line(f"Completed: {_utc(certificate.completed_at)}")
    line(f"SHA-256 of the original document ({certificate.original_name}, as sent for signature):")
    line(certificate.original_sha256)
    line(FINAL_HASH_NOTE.format(verify_url=certificate.verify_url))
    y -= 8
    for number, signer in enumerate(certificate.signers, start=1):
        line(f"Signer {number}: {signer.name} <{signer.email}> ({signer.role})", font="Helvetica-Bold", size=11)
        line(f"Verified by: {signer.verified_by}")
        line(f"ESIGN consent (disclosure version {signer.consent_version}): {_utc(signer.consented_at)}")
        line(f"Signed: {_utc(signer.signed_at)}")
        line(f"IP address when signing: {signer.ip}")
        line(f"User agent when signing: {signer.user_agent}")
        y -= 6
    page.showPage()
    page.save()
    return buffer.getvalue()


def _utc(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment is not None else "-"


def _register_script_font() -> None:
    if SCRIPT_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(SCRIPT_FONT, str(SCRIPT_FONT_FILE)))


def _draw(page: canvas.Canvas, item: Stamp, x: float, y: float, w: float, h: float) -> None:
    if item.kind == "signature" and item.image is not None:
        page.drawImage(ImageReader(BytesIO(item.image)), x, y, w, h, preserveAspectRatio=True, anchor="sw", mask="auto")
    elif item.kind in ("signature", "initials"):
        _fit_text(page, item.text, SCRIPT_FONT, x, y, w, h)
    elif item.kind == "checkbox":
        side = min(w, h)
        page.rect(x, y, side, side)
        if item.text == "true":
            page.setLineWidth(1.5)
            page.line(x + side * 0.2, y + side * 0.5, x + side * 0.42, y + side * 0.22)
            page.line(x + side * 0.42, y + side * 0.22, x + side * 0.82, y + side * 0.8)
            page.setLineWidth(1)
    else:
        _fit_text(page, item.text, "Helvetica", x, y, w, h, largest=11)


def _fit_text(page: canvas.Canvas, text: str, font: str, x: float, y: float, w: float, h: float, largest=28) -> None:
    size = min(largest, h * 0.8)
    while size > 4 and pdfmetrics.stringWidth(text, font, size) > w:
        size -= 0.5
    page.setFont(font, size)
    page.drawString(x + 1, y + (h - size) / 2 + size * 0.2, text)
