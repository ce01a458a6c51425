"""Pages of a PDF as images (pypdfium2), for placing fields and for the signer's view.

One page at a time, as a JPEG at a modest width: small enough to load quickly, sharp
enough to read. Rendering is CPU work: callers run it outside any write transaction.
"""

from __future__ import annotations

from io import BytesIO

import pypdfium2

DEFAULT_WIDTH = 900
MAX_PAGES = 60


def render_page(pdf: bytes, number: int, *, width: int = DEFAULT_WIDTH) -> bytes:
    """Page ``number`` (0-based) of ``pdf`` as JPEG bytes."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[number]
        bitmap = page.render(scale=width / page.get_size()[0])
        out = BytesIO()
        bitmap.to_pil().convert("RGB").save(out, format="JPEG", quality=72, optimize=True)
        return out.getvalue()
    finally:
        document.close()
