"""Private file storage: a local directory (default) or an S3-compatible bucket.

Keys are made by the server (``new_key``), never from a person's file name.
Both backends keep files encrypted at rest: the local one itself, per organization
(``local``), S3 by asking the bucket to (``s3``).
``write`` consumes an iterator of chunks and leaves nothing behind when the
iterator raises (a refused or aborted upload); ``read`` streams a stored file
back in chunks. Neither ever holds a whole file in memory.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from fluxent.core.settings import Settings, StorageBackend, get_settings

READ_CHUNK = 256 * 1024
_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$")


class Storage(Protocol):
    def write(self, key: str, chunks: Iterable[bytes]) -> int:
        """Store the chunks under ``key``; returns the byte count. All or nothing."""

    def read(self, key: str) -> Iterator[bytes]:
        """The stored bytes, in chunks."""

    def delete(self, key: str) -> None:
        """Remove ``key`` if present."""

    def exists(self, key: str) -> bool: ...

    def encrypt_existing(self) -> EncryptionRun:
        """Encrypt at rest whatever was stored before encryption was; idempotent and resumable."""


@dataclass(frozen=True)
class EncryptionRun:
    """What a backend's ``encrypt_existing`` did: files encrypted now, and found encrypted already."""

    encrypted: int
    already: int


def new_key(*parts: str | int) -> str:
    """A fresh key under the given folders, e.g. ``org-3/eng-7/<random>``."""
    key = "/".join([*(str(part) for part in parts), uuid.uuid4().hex])
    return check_key(key)


def check_key(key: str) -> str:
    if not _KEY_RE.match(key):
        raise ValueError(f"invalid storage key {key!r}")
    return key


def get_storage(settings: Settings | None = None) -> Storage:
    """The configured backend. Cheap to build; nothing is cached between calls."""
    settings = settings or get_settings()
    if settings.storage_backend is StorageBackend.S3:
        from fluxent.core.storage.s3 import S3Storage

        return S3Storage.from_settings(settings)
    from fluxent.core.storage.local import LocalStorage
    from fluxent.core.vault_keys import keyring

    return LocalStorage(settings.storage_dir, lambda: keyring(settings))


__all__ = ["READ_CHUNK", "EncryptionRun", "Storage", "check_key", "get_storage", "new_key"]
