"""Password hashing: bcrypt (cost 12) over an HMAC-SHA256 pre-hash of the NFKC form.

The pre-hash keeps every character of long passwords (bcrypt alone stops at 72
bytes, and bcrypt 5 refuses longer input) and adds a pepper that lives outside
the database: ``FLUXENT_SECRET_KEY``.
"""

from __future__ import annotations

import base64
import hmac
import unicodedata
from hashlib import sha256

import bcrypt

from fluxent.core.settings import get_settings

BCRYPT_ROUNDS = 12


def _prehash(password: str) -> bytes:
    pepper = hmac.new(get_settings().secret_key.encode(), b"fluxent.password-pepper", sha256).digest()
    digest = hmac.new(pepper, unicodedata.normalize("NFKC", password).encode(), sha256).digest()
    return base64.b64encode(digest)


def hash_password(password: str, *, rounds: int = BCRYPT_ROUNDS) -> str:
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds)).decode()


def verify_password(password: str, hashed: str | None) -> bool:
    """Constant work whether or not there is a hash, so timing reveals nothing."""
    candidate = _prehash(password)
    if not hashed:
        bcrypt.checkpw(candidate, _DUMMY_HASH)
        return False
    return bcrypt.checkpw(candidate, hashed.encode())


# A fixed hash of nothing anyone can type, checked when the account has no password.
_DUMMY_HASH = b"$2b$12$C6UzMDM.H6dfI/f/IKxGhu5yQ1xr6xnKCbsrSDNiMoBDq2mA3GHSG"
