"""The vault's key-encryption keys: ``FLUXENT_VAULT_KEYS`` holds ``id:base64key`` pairs,
comma-separated, the first one primary (new and re-wrapped data keys use it; the others
only open what they wrapped before a rotation). Each key is 32 random bytes (AES-256).

Development and tests read the same format from ``<data dir>/vault-keys`` (made on
first use by ``services.vault.keys``); production refuses that file's keys.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass

KEY_BYTES = 32
DEV_KEYS_FILE = "vault-keys"
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
