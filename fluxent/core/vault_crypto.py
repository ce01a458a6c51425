"""AES-256-GCM sealing with a self-describing header.

A sealed blob is ``format byte | key id length | key id | 12-byte random nonce |
ciphertext and tag``. The header is authenticated along with the caller's associated
data (which binds the blob to the row it belongs to), so a changed byte, a swapped key
id or a blob copied to another row all fail the same way: :class:`Undecryptable`,
which says nothing about why.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fluxent.core.errors import Conflict

FORMAT = 1
NONCE_BYTES = 12


class Undecryptable(Conflict):
    code = "vault_undecryptable"

    def __init__(self) -> None:
        super().__init__("This secret cannot be decrypted.")


def seal(key: bytes, key_id: str, plaintext: bytes, associated: bytes) -> bytes:
    kid = key_id.encode()
    header = bytes((FORMAT, len(kid))) + kid
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + AESGCM(key).encrypt(nonce, plaintext, header + associated)


def key_id_of(blob: bytes) -> str:
    """The id of the key that sealed ``blob``; Undecryptable when the header is malformed."""
    if len(blob) < 2 or blob[0] != FORMAT or len(blob) < 2 + blob[1] + NONCE_BYTES + 16:
        raise Undecryptable()
    try:
        return blob[2 : 2 + blob[1]].decode()
    except UnicodeDecodeError:
        raise Undecryptable() from None


def open_sealed(key_for: Callable[[str], bytes | None], blob: bytes, associated: bytes) -> bytes:
    """The plaintext of ``blob``, with the key ``key_for(key id)`` gives; Undecryptable otherwise."""
    key = key_for(key_id_of(blob))
    if key is None:
        raise Undecryptable()
    split = 2 + blob[1]
    header, nonce, body = blob[:split], blob[split : split + NONCE_BYTES], blob[split + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, header + associated)
    except InvalidTag:
        raise Undecryptable() from None
