"""Stored files encrypted in chunks with AES-256-GCM, streamed both ways.

A file is ``header | chunk 0 | chunk 1 | ... | final chunk``. The header is
``MAGIC | version (1 byte) | chunk size (4 bytes) | 16-byte random salt``; every
chunk is ``chunk size`` bytes of content (the final one up to that, possibly none)
sealed with its 16-byte tag.

Each file gets its own key, derived (HKDF-SHA256) from its scope's data key, the
salt and the storage key, so chunk nonces can simply count (0, 1, 2, ...). Each
chunk's associated data is the header, the storage key, the chunk's index and
whether it is the final one: a changed byte, chunks swapped or dropped, a file cut
short or extended, or a file copied under another key (another organization's
included) all raise :class:`FileUndecryptable` before any of that chunk is returned.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fluxent.core.errors import Conflict

MAGIC = b"\x89FLXENC\n"
VERSION = 1
CHUNK_SIZE = 256 * 1024
MAX_CHUNK_SIZE = 4 * 1024 * 1024  # a header asking for more is refused, so reading stays bounded
SALT_BYTES = 16
TAG_BYTES = 16
_SIZES = struct.Struct(">BI")
HEADER_BYTES = len(MAGIC) + _SIZES.size + SALT_BYTES


class FileUndecryptable(Conflict):
    """A stored file that does not open: changed, cut short, moved, or its data key is gone."""

    code = "file_undecryptable"

    def __init__(self) -> None:
        super().__init__("This file cannot be decrypted: it was changed or its key is missing.")


def is_encrypted(start: bytes) -> bool:
    """Whether a stored file beginning with ``start`` is in this format (older files are plain)."""
    return start.startswith(MAGIC)


def encrypt(
    chunks: Iterable[bytes], *, data_key: bytes, bound_to: str, chunk_size: int = CHUNK_SIZE
) -> Iterator[bytes]:
    """The encrypted file, piece by piece, for content arriving as ``chunks`` of any sizes."""
    header = MAGIC + _SIZES.pack(VERSION, chunk_size) + os.urandom(SALT_BYTES)
    cipher, bound = _file_cipher(data_key, header, bound_to)
    yield header
    buffer, index = bytearray(), 0
    for chunk in chunks:
        buffer += chunk
        start = 0
        # A chunk goes out only once more content follows it, so the last one is known to be final.
        while len(buffer) - start > chunk_size:
            piece = bytes(buffer[start : start + chunk_size])
            yield cipher.encrypt(_nonce(index), piece, _associated(bound, index, final=False))
            start, index = start + chunk_size, index + 1
        del buffer[:start]
    yield cipher.encrypt(_nonce(index), bytes(buffer), _associated(bound, index, final=True))


def decrypt(handle: BinaryIO, *, data_key: bytes, bound_to: str) -> Iterator[bytes]:
    """The content of the encrypted file open in ``handle``, chunk by chunk, each checked before it is given."""
    header = handle.read(HEADER_BYTES)
    if len(header) != HEADER_BYTES or not is_encrypted(header):
        raise FileUndecryptable()
    version, chunk_size = _SIZES.unpack_from(header, len(MAGIC))
    if version != VERSION or not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise FileUndecryptable()
    cipher, bound = _file_cipher(data_key, header, bound_to)
    block = chunk_size + TAG_BYTES
    current, index = handle.read(block), 0
    while True:
        following = handle.read(block) if len(current) == block else b""
        final = not following
        try:
            content = cipher.decrypt(_nonce(index), current, _associated(bound, index, final=final))
        except InvalidTag:
            raise FileUndecryptable() from None
        yield content
        if final:
            return
        current, index = following, index + 1


def _file_cipher(data_key: bytes, header: bytes, bound_to: str) -> tuple[AESGCM, bytes]:
    salt = header[-SALT_BYTES:]
    info = b"fluxent-stored-file|" + bound_to.encode()
    file_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(data_key)
    return AESGCM(file_key), header + bound_to.encode()


def _nonce(index: int) -> bytes:
    return index.to_bytes(12, "big")


def _associated(bound: bytes, index: int, *, final: bool) -> bytes:
    return bound + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")
