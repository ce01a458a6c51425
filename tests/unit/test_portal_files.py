"""Upload checks that need no database: type by content, size cap, display names, headers."""

from __future__ import annotations

import io
import zipfile

import pytest

from fluxent.core.errors import TooLarge, ValidationFailed
from fluxent.core.filenames import content_disposition, sanitize_filename
from fluxent.core.filetypes import CSV, DOCX, JPEG, PDF, PNG, PPTX, SNIFF_BYTES, TXT, WEBP, XLSX, ZIP, detect
from fluxent.core.uploads import UploadInspector


def office(folder: str, *, filler: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("docProps/app.xml", "x" * filler)
        archive.writestr(f"{folder}document.xml", "<doc/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes/readme.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"%PDF-1.7\n...", "a.pdf", PDF),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "a.png", PNG),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, "a.jpg", JPEG),
        (b"RIFF\x10\0\0\0WEBPVP8 ", "a.webp", WEBP),
        (office("word/"), "a.docx", DOCX),
        (office("xl/"), "a.xlsx", XLSX),
        (office("ppt/"), "a.pptx", PPTX),
        (plain_zip(), "a.zip", ZIP),
        ("Grüße, line two\n".encode(), "notes.txt", TXT),
        (b"a,b\n1,2\n", "table.CSV", CSV),
        # The name never decides the type: a PDF called .docx is a PDF.
        (b"%PDF-1.4 renamed", "report.docx", PDF),
    ],
)
def test_allowed_types_are_recognised_by_content(content, name, expected):
    assert detect(content, complete=True, filename=name) is expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<!DOCTYPE html><html><script>alert(1)</script>", "HTML, SVG and XML"),
        (b"\xef\xbb\xbf  \n<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "HTML, SVG and XML"),
        (b"<?xml version='1.0'?><svg/>", "HTML, SVG and XML"),
        (b"MZ\x90\x00\x03" + b"\0" * 60, "Programs cannot be uploaded"),
        (b"\x7fELF\x02\x01\x01", "Programs cannot be uploaded"),
        (b"GIF89a\x01\x00", "not accepted"),
        (b"plain text with a NUL\x00 inside", "not accepted"),
        (b"\xff\xfe<\x00h\x00t\x00m\x00l\x00", "not accepted"),
        (b"", "empty"),
    ],
)
def test_refused_content_is_named_clearly(content, message):
    with pytest.raises(ValidationFailed, match=message) as raised:
        detect(content, complete=True, filename="invoice.pdf")
    assert "file" in raised.value.fields


def test_text_cut_inside_a_character_is_still_text_until_the_end():
    head = ("é" * 10).encode()[:-1]  # the last character is cut in two
    assert detect(head, complete=False, filename="a.txt") is TXT
    with pytest.raises(ValidationFailed):
        detect(head, complete=True, filename="a.txt")


def test_office_type_found_when_its_folder_comes_later_in_the_head():
    assert detect(office("word/", filler=10_000), complete=True) is DOCX


def _run(inspector: UploadInspector, chunks) -> bytes:
    return b"".join(inspector.wrap(chunks))


def test_inspector_hashes_counts_and_passes_bytes_on_unchanged():
    data = b"%PDF-1.7\n" + bytes(range(256)) * 1000
    inspector = UploadInspector(limit_bytes=10**6, filename="x.pdf")
    chunks = [data[i : i + 7000] for i in range(0, len(data), 7000)]
    assert _run(inspector, chunks) == data
    import hashlib

    assert (inspector.size, inspector.sha256, inspector.file_type) == (len(data), hashlib.sha256(data).hexdigest(), PDF)


def test_inspector_holds_back_a_refused_type_before_anything_is_passed_on():
    passed = []
    inspector = UploadInspector(limit_bytes=10**6, filename="x.txt")
    chunks = [b"<html>" + b"a" * 1000] + [b"b" * 1000] * (SNIFF_BYTES // 1000 + 5)
    with pytest.raises(ValidationFailed):
        for chunk in inspector.wrap(chunks):
            passed.append(chunk)
    assert passed == []


def test_inspector_stops_the_stream_at_the_cap():
    consumed = []

    def source():
        for _ in range(100):
            consumed.append(1)
            yield b"%PDF" + b"0" * 1020

    inspector = UploadInspector(limit_bytes=10 * 1024, filename="big.pdf")
    with pytest.raises(TooLarge, match="larger than"):
        _run(inspector, source())
    assert len(consumed) == 11  # stopped at the first chunk past the cap, not at the end


@pytest.mark.parametrize(
    ("given", "extensions", "expected"),
    [
        ("../../etc/passwd", (".txt",), "_.._etc_passwd.txt"),
        ("C:\\Windows\\system32\\evil.pdf", (".pdf",), "C__Windows_system32_evil.pdf"),
        ("invoice\u202efdp.exe", (".pdf",), "invoicefdp.exe.pdf"),
        ("report\u2066\u200b\u200f.pdf", (".pdf",), "report.pdf"),
        ("line\r\nContent-Type: text/html\x00.pdf", (".pdf",), "line Content-Type_ text_html.pdf"),
        ("   ...hidden.PDF  ", (".pdf",), "hidden.pdf"),
        ("\u202e\u0000", (".pdf",), "document.pdf"),
        ("photo.JPEG", (".jpg", ".jpeg"), "photo.jpeg"),
        ("Angebot für Müller.docx", (".docx",), "Angebot für Müller.docx"),
    ],
)
def test_display_names_are_sanitized(given, extensions, expected):
    assert sanitize_filename(given, extensions=extensions) == expected


def test_display_names_are_bounded():
    name = sanitize_filename("a" * 5000 + ".pdf", extensions=(".pdf",))
    assert len(name) == 150 and name.endswith(".pdf")


def test_content_disposition_has_ascii_and_utf8_names():
    header = content_disposition('Angebot "Q4"; für Müller%.pdf')
    assert header.startswith("attachment; ")
    assert 'filename="Angebot _Q4__ fur Muller_.pdf"' in header
    assert "filename*=UTF-8''Angebot%20%22Q4%22%3B%20f%C3%BCr%20M%C3%BCller%25.pdf" in header
    assert "\r" not in header and "\n" not in header
    assert 'filename="document"' in content_disposition("数据")
