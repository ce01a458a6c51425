"""The stored files' data keys: one per organization (``org-<id>/...`` storage keys), one
shared by the rest (e.g. ``esign/...``).

A data key is 32 random bytes, made with its scope's first file and kept only wrapped
(sealed) by the vault's key-encryption keys (``core.vault_keys``), in ``.keys/<scope>``
beside the files; the associated data names the scope, so a wrapped key copied to another
scope does not open. :meth:`FileKeys.rotate` re-wraps every one under the primary
key-encryption key. Deleting a scope's key file makes its files unreadable for good.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

from fluxent.core import vault_crypto
from fluxent.core.storage.encryption import FileUndecryptable
from fluxent.core.vault_keys import KEY_BYTES, Keyring, keyring

KEYS_DIR = ".keys"
SHARED_SCOPE = "shared"
_ORGANIZATION_RE = re.compile(r"^org-[0-9]+$")


def scope_of(key: str) -> str:
    """Whose data key encrypts the file stored under ``key``: its organization's, or the shared one."""
    first = key.split("/", 1)[0]
    return first if _ORGANIZATION_RE.match(first) else SHARED_SCOPE


class FileKeys:
    def __init__(self, root: Path, ring: Callable[[], Keyring] = keyring) -> None:
        self.directory = Path(root) / KEYS_DIR
        self.ring = ring

    def data_key(self, scope: str, *, create: bool = False) -> bytes:
        """The scope's data key, unwrapped on every use (a rotated or deleted key stops at once);
        made when ``create`` and there is none. FileUndecryptable when it is missing or does not open."""
        path = self.directory / scope
        ring = self.ring()
        if create and not path.exists():
            wrapped = vault_crypto.seal(ring.primary, ring.primary_id, secrets.token_bytes(KEY_BYTES), _context(scope))
            _create_once(path, wrapped)
        try:
            return vault_crypto.open_sealed(ring.keys.get, path.read_bytes(), _context(scope))
        except (FileNotFoundError, vault_crypto.Undecryptable):
            raise FileUndecryptable() from None

    def rotate(self, ring: Keyring) -> int:
        """Re-wrap every data key not yet under the primary key-encryption key; returns how many changed.

        A second run changes nothing. FileUndecryptable when a key's key-encryption key is missing.
        """
        changed = 0
        for path in sorted(self.directory.glob("*")) if self.directory.is_dir() else ():
            if scope_of(path.name) != path.name:  # a temporary file of a write under way
                continue
            wrapped = path.read_bytes()
            if vault_crypto.key_id_of(wrapped) == ring.primary_id:
                continue
            try:
                raw = vault_crypto.open_sealed(ring.keys.get, wrapped, _context(path.name))
            except vault_crypto.Undecryptable:
                raise FileUndecryptable() from None
            _replace(path, vault_crypto.seal(ring.primary, ring.primary_id, raw, _context(path.name)))
            changed += 1
        return changed


def _context(scope: str) -> bytes:
    return f"fluxent-file-data-key|scope={scope}".encode()


def _create_once(path: Path, content: bytes) -> None:
    """Write ``path`` unless it exists; two processes making one scope's first key both end up using one."""
    with _private_temporary(path, content) as temporary, contextlib.suppress(FileExistsError):
        os.link(temporary, path)


def _replace(path: Path, content: bytes) -> None:
    with _private_temporary(path, content) as temporary:
        os.replace(temporary, path)


@contextlib.contextmanager
def _private_temporary(path: Path, content: bytes):
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        yield temporary
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
