"""Pages of a PDF as images (pypdfium2), for placing fields and for the signer's view.

One page at a time, as a JPEG at a modest width: small enough to load quickly, sharp
enough to read. Rendering is CPU work: callers run it outside any write transaction.

PDFium is not thread-safe, not even across different documents: the page route runs in
the server's thread pool, so one lock lets a single thread into PDFium at a time (two
threads inside it at once crash the whole process).
"""

from __future__ import annotations

import threading
from io import BytesIO

import pypdfium2

DEFAULT_WIDTH = 900
MAX_PAGES = 60
_PDFIUM = threading.Lock()


def render_page(pdf: bytes, number: int, *, width: int = DEFAULT_WIDTH) -> bytes:
    """Page ``number`` (0-based) of ``pdf`` as JPEG bytes."""
    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            page = document[number]
            bitmap = page.render(scale=width / page.get_size()[0])
            image = bitmap.to_pil().convert("RGB")  # a copy that outlives the bitmap
        finally:
            document.close()
    out = BytesIO()
    image.save(out, format="JPEG", quality=72, optimize=True)
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    with _PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()
