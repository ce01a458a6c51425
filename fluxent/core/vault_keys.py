"""The vault's key-encryption keys: ``FLUXENT_VAULT_KEYS`` holds ``id:base64key`` pairs,
comma-separated, the first one primary (new and re-wrapped data keys use it; the others
only open what they wrapped before a rotation). Each key is 32 random bytes (AES-256).

Development and tests read the same format from ``<data dir>/vault-keys`` (made on
first use by :func:`keyring`); production refuses that file's keys. The vault's data keys
and the stored files' data keys (``core.storage.file_keys``) are both wrapped by them.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fluxent.core.settings import Settings

KEY_BYTES = 32
DEV_KEYS_FILE = "vault-keys"
_DEV_KEY_ID = "dev1"
_KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class KeyringError(ValueError):
    """The key list is malformed; the message says what is wrong but never shows a key."""


@dataclass(frozen=True)
class Keyring:
    primary_id: str
    keys: Mapping[str, bytes]

    @property
    def primary(self) -> bytes:
        return self.keys[self.primary_id]


def parse_keyring(text: str) -> Keyring:
    """``id:base64key,...`` as a keyring; KeyringError on an empty list, a bad id, a repeated
    id, or a key that is not base64 of exactly 32 bytes."""
    keys: dict[str, bytes] = {}
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        key_id, separator, encoded = part.partition(":")
        if not separator or not _KEY_ID_RE.match(key_id):
            raise KeyringError("each entry must be id:base64key, the id 1-32 letters, digits, '-' or '_'")
        if key_id in keys:
            raise KeyringError(f"key id {key_id!r} appears twice")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise KeyringError(f"key {key_id!r} is not valid base64") from None
        if len(key) != KEY_BYTES:
            raise KeyringError(f"key {key_id!r} must be {KEY_BYTES} random bytes (got {len(key)})")
        keys[key_id] = key
    if not keys:
        raise KeyringError("no key given")
    return Keyring(primary_id=next(iter(keys)), keys=keys)


def format_key(key_id: str, key: bytes) -> str:
    return f"{key_id}:{base64.b64encode(key).decode()}"


def keyring(settings: Settings | None = None) -> Keyring:
    """The key-encryption keys: from the settings, or in development the data directory's file."""
    from fluxent.core.settings import get_settings  # settings imports this module to check the keys

    settings = settings or get_settings()
    if settings.vault_keys.strip():
        return parse_keyring(settings.vault_keys)
    path = settings.data_dir / DEV_KEYS_FILE
    if not path.exists():
        _write_dev_keys(path)
    return parse_keyring(path.read_text())


def _write_dev_keys(path: Path) -> None:
    """One random key for development, written once, atomically, mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".vault-keys-")
    try:
        with os.fdopen(handle, "w") as out:
            out.write(format_key(_DEV_KEY_ID, secrets.token_bytes(KEY_BYTES)) + "\n")
        os.chmod(temporary, 0o600)
        with contextlib.suppress(FileExistsError):  # another process got there first: theirs is kept
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
