"""Small secrets kept encrypted in the database (AES-256-GCM).

The key is derived from ``FLUXENT_SECRET_KEY`` and a purpose label, the way the
password pepper and the token hashes are, so a database copy alone reveals
nothing. The associated data binds each ciphertext to the row it belongs to: a
value moved to another row does not open. Changing ``FLUXENT_SECRET_KEY`` makes
sealed values unreadable, as it makes passwords unverifiable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fluxent.core.settings import get_settings

_VERSION = "v1"
_NONCE_BYTES = 12


class Unreadable(ValueError):
    """A sealed value that does not open: tampered, moved, or sealed under another key."""


def _key(purpose: str) -> bytes:
    return hmac.new(get_settings().secret_key.encode(), f"fluxent.sealing.{purpose}".encode(), hashlib.sha256).digest()


def seal(plaintext: str, *, purpose: str, bound_to: str) -> str:
    """``plaintext`` encrypted for ``purpose`` and bound to ``bound_to`` (e.g. ``"user:7"``), as text."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key(purpose)).encrypt(nonce, plaintext.encode(), bound_to.encode())
    return f"{_VERSION}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def unseal(value: str, *, purpose: str, bound_to: str) -> str:
    version, _, body = value.partition(":")
    if version != _VERSION:
        raise Unreadable("unknown sealing version")
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        opened = AESGCM(_key(purpose)).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], bound_to.encode())
    except (InvalidTag, ValueError) as error:
        raise Unreadable("the sealed value does not open") from error
    return opened.decode()
