"""Pages of a PDF as images (pypdfium2), for placing fields and for the signer's view.

JPEG data URLs at a modest width: small enough to travel over the websocket, sharp
enough to read. Rendering is CPU work: callers run it outside any write transaction.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from io import BytesIO

import pypdfium2

DEFAULT_WIDTH = 900
MAX_PAGES = 60


@dataclass(frozen=True)
class PageImage:
    number: int  # 0-based
    data_url: str
    aspect: float  # height / width


def render(pdf: bytes, *, width: int = DEFAULT_WIDTH, max_pages: int = MAX_PAGES) -> list[PageImage]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for index in range(min(len(document), max_pages)):
            page = document[index]
            page_width, page_height = page.get_size()
            bitmap = page.render(scale=width / page_width)
            out = BytesIO()
            bitmap.to_pil().convert("RGB").save(out, format="JPEG", quality=72, optimize=True)
            images.append(
                PageImage(
                    index,
                    "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode(),
                    page_height / page_width,
                )
            )
        return images
    finally:
        document.close()
