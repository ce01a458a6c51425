"""Display names for stored files, and the ``Content-Disposition`` header that serves them.

A name a person gives a file is shown back to other people and offered to their
browsers as a file name: it must not carry paths, control characters, bidi
overrides (``invoice\u202ecod.exe`` showing as ``invoiceexe.doc``) or be endless.
"""

from __future__ import annotations

import os
import re
import unicodedata
from urllib.parse import quote

MAX_NAME_CHARS = 150
FALLBACK_NAME = "document"
# Characters Windows refuses in names, and both path separators.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')
_SPACES = re.compile(r"\s+")


def sanitize_filename(name: str, *, extensions: tuple[str, ...] = ()) -> str:
    """A safe display name; when ``extensions`` are given it ends with one of them.

    The file's real type decides its extension: ``report.html`` holding a PDF
    becomes ``report.html.pdf``, so the name never claims another type.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(" " if ch.isspace() else ch for ch in name)  # tabs, line breaks, odd spaces
    # Control (Cc), format (Cf: bidi marks and overrides, zero-width) and unassigned characters go.
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cn", "Co", "Cs"))
    name = _FORBIDDEN.sub("_", name)
    name = _SPACES.sub(" ", name).strip(" .")
    stem, extension = os.path.splitext(name)
    if extensions and extension.lower() not in extensions:
        stem, extension = name, extensions[0]
    extension = extension.lower() if extensions else extension
    stem = stem[: MAX_NAME_CHARS - len(extension)].rstrip(" .") or FALLBACK_NAME
    return stem + extension


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``attachment`` (or ``inline``) with an ASCII ``filename`` and the exact UTF-8 ``filename*`` (RFC 6266, RFC 5987)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r'[^\x20-\x7e]|["\\%;]', "_", ascii_name).strip() or FALLBACK_NAME
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
