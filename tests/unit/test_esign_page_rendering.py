"""Page images: PDFium is not thread-safe, and the page route renders from the server's thread pool."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from io import BytesIO

from PIL import Image

from fluxent.services.esign import page_images
from tests.support.esign import make_pdf


def test_a_page_renders_as_a_jpeg_of_the_asked_width():
    image = page_images.render_page(make_pdf(2), 1, width=300)
    assert image[:3] == b"\xff\xd8\xff"  # JPEG
    assert Image.open(BytesIO(image)).size[0] == 300


def test_many_threads_rendering_at_once_neither_crash_the_process_nor_mix_pages():
    # In a child process: without the lock, PDFium crashes the interpreter rather than raise.
    script = textwrap.dedent(
        """
        from concurrent.futures import ThreadPoolExecutor
        from fluxent.services.esign import page_images
        from tests.support.esign import make_pdf

        pdfs = [make_pdf(4, title=f"Document {n}") for n in range(6)]
        serial = [page_images.render_page(pdf, page, width=400) for pdf in pdfs for page in range(4)]
        with ThreadPoolExecutor(12) as pool:
            for _ in range(5):
                parallel = list(pool.map(lambda job: page_images.render_page(*job, width=400),
                                         [(pdf, page) for pdf in pdfs for page in range(4)]))
                assert parallel == serial
        print("ok")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr[-2000:]
