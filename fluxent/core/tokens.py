"""Random tokens and the keyed hashes under which they are stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fluxent.core.settings import get_settings


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random token (256 bits by default)."""
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str, *, purpose: str) -> str:
    """HMAC-SHA256 of a token under the secret key, separated by purpose; hex."""
    key = hmac.new(get_settings().secret_key.encode(), f"fluxent.token.{purpose}".encode(), hashlib.sha256).digest()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()
