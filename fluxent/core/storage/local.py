"""Files in a private directory (``<data dir>/files``), outside anything the web server serves,
encrypted at rest (``core.storage.encryption``) under their organization's data key
(``core.storage.file_keys``).

A write goes to a temporary file in ``.partial/`` and is renamed into place only
when complete, so a reader never sees half a file and a failed upload leaves none.
Files stored before encryption are encrypted in place by :meth:`LocalStorage.encrypt_existing`
(``python -m fluxent storage encrypt-existing``); until then they do not open.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from fluxent.core.storage import READ_CHUNK, EncryptionRun, check_key, encryption
from fluxent.core.storage.file_keys import KEYS_DIR, FileKeys, scope_of
from fluxent.core.vault_keys import Keyring, keyring

PARTIAL_DIR = ".partial"


class LocalStorage:
    def __init__(self, root: Path, ring: Callable[[], Keyring] = keyring) -> None:
        self.root = Path(root)
        self.keys = FileKeys(self.root, ring)

    def path_for(self, key: str) -> Path:
        return self.root / check_key(key)

    def write(self, key: str, chunks: Iterable[bytes]) -> int:
        target = self.path_for(key)
        data_key = self.keys.data_key(scope_of(key), create=True)
        size = 0

        def counted() -> Iterator[bytes]:
            nonlocal size
            for chunk in chunks:
                size += len(chunk)
                yield chunk

        self._write_atomically(target, encryption.encrypt(counted(), data_key=data_key, bound_to=key))
        return size

    def _write_atomically(self, target: Path, pieces: Iterable[bytes]) -> None:
        partial_dir = self.root / PARTIAL_DIR
        partial_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = partial_dir / uuid.uuid4().hex
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                for piece in pieces:
                    handle.write(piece)
                handle.flush()
                os.fsync(handle.fileno())
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise

    def read(self, key: str) -> Iterator[bytes]:
        """The content, chunk by chunk. The header, the data key and the first chunk are checked
        here, before anything is sent (a download answers a clear error, not a broken stream);
        each later chunk before it is given. FileUndecryptable when the file was changed, cut
        short or moved, its key is gone, or it is still plain."""
        handle = self.path_for(key).open("rb")
        try:
            chunks = encryption.decrypt(handle, data_key=self.keys.data_key(scope_of(key)), bound_to=key)
            first = next(chunks)
        except BaseException:
            handle.close()
            raise
        return _streamed(handle, first, chunks)

    def delete(self, key: str) -> None:
        self.path_for(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()

    def encrypt_existing(self) -> EncryptionRun:
        """Encrypt in place every file still stored plain. Each file is replaced whole, so an
        interrupted run leaves every file either plain or encrypted, and running again finishes it."""
        encrypted = already = 0
        for key in self._stored_keys():
            outcome = self._encrypt_in_place(key)
            encrypted += outcome is True
            already += outcome is False
        return EncryptionRun(encrypted=encrypted, already=already)

    def _encrypt_in_place(self, key: str) -> bool | None:
        """True when the file was plain and is now encrypted, False when it was encrypted
        already, None when it was deleted meanwhile."""
        target = self.path_for(key)
        try:
            handle = target.open("rb")
        except FileNotFoundError:
            return None
        with handle:
            if encryption.is_encrypted(handle.read(len(encryption.MAGIC))):
                return False
            handle.seek(0)
            data_key = self.keys.data_key(scope_of(key), create=True)
            plain = iter(lambda: handle.read(READ_CHUNK), b"")
            self._write_atomically(target, encryption.encrypt(plain, data_key=data_key, bound_to=key))
        return True

    def _stored_keys(self) -> Iterator[str]:
        for directory, folders, files in os.walk(self.root):
            folders[:] = sorted(name for name in folders if name not in (PARTIAL_DIR, KEYS_DIR))
            relative = Path(directory).relative_to(self.root)
            for name in sorted(files):
                key = (relative / name).as_posix()
                if _is_key(key):  # anything else was not put there by this class
                    yield key


def _streamed(handle: BinaryIO, first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    with handle:
        yield first
        yield from rest


def _is_key(key: str) -> bool:
    try:
        check_key(key)
    except ValueError:
        return False
    return True
