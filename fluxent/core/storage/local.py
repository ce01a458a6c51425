"""Files in a private directory (``<data dir>/files``), outside anything the web server serves.

A write goes to a temporary file in ``.partial/`` and is renamed into place only
when complete, so a reader never sees half a file and a failed upload leaves none.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from fluxent.core.storage import READ_CHUNK, check_key

PARTIAL_DIR = ".partial"


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, key: str) -> Path:
        return self.root / check_key(key)

    def write(self, key: str, chunks: Iterable[bytes]) -> int:
        target = self.path_for(key)
        partial_dir = self.root / PARTIAL_DIR
        partial_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = partial_dir / uuid.uuid4().hex
        written = 0
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                    written += len(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return written

    def read(self, key: str) -> Iterator[bytes]:
        with self.path_for(key).open("rb") as handle:
            while chunk := handle.read(READ_CHUNK):
                yield chunk

    def delete(self, key: str) -> None:
        self.path_for(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()
