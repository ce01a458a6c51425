"""File types accepted for upload, recognised by their content (magic bytes), never by name.

Only the allowlist below is accepted. Office files (DOCX, XLSX, PPTX) are ZIP
archives: they are told apart by the entries in the archive's first local
headers (``[Content_Types].xml`` plus ``word/``, ``xl/`` or ``ppt/``). Text (TXT,
CSV) must be UTF-8 without control characters and must not start like markup,
so an HTML or SVG page renamed ``.txt`` is refused.
"""

from __future__ import annotations

import codecs
import struct
from dataclasses import dataclass

from fluxent.core.errors import ValidationFailed

# How much of the start of a file the detection looks at.
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    mime: str
    extensions: tuple[str, ...]


PDF = FileType("pdf", "PDF", "application/pdf", (".pdf",))
PNG = FileType("png", "PNG image", "image/png", (".png",))
JPEG = FileType("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg"))
WEBP = FileType("webp", "WebP image", "image/webp", (".webp",))
DOCX = FileType(
    "docx", "Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
XLSX = FileType(
    "xlsx", "Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
PPTX = FileType(
    "pptx",
    "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
TXT = FileType("txt", "plain text", "text/plain; charset=utf-8", (".txt",))
CSV = FileType("csv", "CSV table", "text/csv; charset=utf-8", (".csv",))
ZIP = FileType("zip", "ZIP archive", "application/zip", (".zip",))
ALLOWED: tuple[FileType, ...] = (PDF, PNG, JPEG, WEBP, DOCX, XLSX, PPTX, TXT, CSV, ZIP)
ALLOWED_LABELS = "PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, TXT, CSV or ZIP"
# What a file picker offers (media type -> extensions); the content check above still decides.
ACCEPT: dict[str, list[str]] = {kind.mime.split(";")[0]: list(kind.extensions) for kind in ALLOWED}

_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_ZIP_EMPTY = b"PK\x05\x06"
_OFFICE_FOLDERS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
_TEXT_CONTROLS_ALLOWED = {"\t", "\n", "\r", "\f"}


def refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"file": message})


def detect(head: bytes, *, complete: bool, filename: str = "") -> FileType:
    """The allowed type of a file starting with ``head``, or ValidationFailed saying why not.

    ``complete`` says whether ``head`` is the whole file (it matters for text, whose
    last character may be cut in two otherwise). ``filename`` only chooses between
    TXT and CSV, which have the same content rules.
    """
    if not head:
        raise refuse("The file is empty.")
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith((_ZIP_LOCAL_HEADER, _ZIP_EMPTY)):
        return _zip_kind(head)
    if head.startswith(_PROGRAM_MAGIC):
        raise refuse(f"Programs cannot be uploaded. Allowed types: {ALLOWED_LABELS}.")
    text = _as_text(head, complete=complete)
    if text is None:
        raise refuse(f"This file type is not accepted. Allowed types: {ALLOWED_LABELS}.")
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        raise refuse(f"HTML, SVG and XML files are not accepted. Allowed types: {ALLOWED_LABELS}.")
    return CSV if filename.lower().endswith(".csv") else TXT


def _zip_kind(head: bytes) -> FileType:
    names = set(_zip_entry_names(head))
    if "[Content_Types].xml" in names:
        for folder, kind in _OFFICE_FOLDERS:
            if any(name.startswith(folder) for name in names):
                return kind
    return ZIP


def _zip_entry_names(head: bytes) -> list[str]:
    """Entry names from the consecutive local file headers found in ``head``.

    Stops at the first entry whose data runs past ``head`` or whose size is only
    known after the data (bit 3): the names needed come first in Office files.
    """
    names, offset = [], 0
    while head.startswith(_ZIP_LOCAL_HEADER, offset) and offset + 30 <= len(head):
        flags, compressed = (
            struct.unpack_from("<H", head, offset + 6)[0],
            struct.unpack_from("<I", head, offset + 18)[0],
        )
        name_length, extra_length = struct.unpack_from("<HH", head, offset + 26)
        name = head[offset + 30 : offset + 30 + name_length]
        if len(name) < name_length:
            break
        names.append(name.decode("utf-8", "replace"))
        if flags & 0x08:
            break
        offset += 30 + name_length + extra_length + compressed
    return names


def _as_text(head: bytes, *, complete: bool) -> str | None:
    try:
        text = codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=complete)
    except UnicodeDecodeError:
        return None
    if any(ch < " " and ch not in _TEXT_CONTROLS_ALLOWED or ch == "\x7f" for ch in text):
        return None
    return text
