"""Checks on an upload while it streams: size cap, SHA-256 and type by content.

:class:`UploadInspector` wraps the incoming chunks and hands them on to storage.
It holds back the first :data:`~fluxent.core.filetypes.SNIFF_BYTES` until the type
is known, so a refused type never reaches storage, and stops the stream the
moment the size passes the cap. Memory use is one chunk plus the sniffed head.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from fluxent.core.errors import TooLarge
from fluxent.core.filetypes import SNIFF_BYTES, FileType, detect


class UploadInspector:
    def __init__(self, *, limit_bytes: int, filename: str = "") -> None:
        self.limit_bytes = limit_bytes
        self.filename = filename
        self.size = 0
        self.file_type: FileType | None = None
        self._hash = hashlib.sha256()
        self._head: list[bytes] = []
        self._head_size = 0

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def wrap(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            if not chunk:
                continue
            self._count(chunk)
            if self.file_type is not None:
                yield chunk
                continue
            self._head.append(chunk)
            self._head_size += len(chunk)
            if self._head_size >= SNIFF_BYTES:
                yield from self._release(complete=False)
        if self.file_type is None:
            yield from self._release(complete=True)

    def _count(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit_bytes:
            megabytes = self.limit_bytes // (1024 * 1024)
            raise TooLarge(f"The file is larger than the {megabytes} MB limit.", fields={"file": "Too large."})
        self._hash.update(chunk)

    def _release(self, *, complete: bool) -> Iterator[bytes]:
        head = b"".join(self._head)
        self._head, self._head_size = [], 0
        self.file_type = detect(
            head[:SNIFF_BYTES], complete=complete and len(head) <= SNIFF_BYTES, filename=self.filename
        )
        if head:
            yield head
