"""Stored files encrypted at rest: a large upload streamed into local storage and downloaded again.

1. Upload: ``LocalStorage.write`` from a stream of 1 MiB pieces (as the upload route hands
   them on), encrypted in 256 KiB chunks and fsynced. Throughput in MB/s.
2. Download: ``LocalStorage.read``, every chunk checked and decrypted. Throughput in MB/s.
3. The same bytes written and read plain, for comparison (what encryption costs).

Peak RSS growth (the process's high-water mark after each step, minus before the first) must
stay under 64 MB whatever the size: nothing holds the whole file. The machine is shared, so
CPU time (``time.process_time``) is printed beside wall time.

Usage: python bench/file_encryption.py [--size-mb N]   (default 500; use e.g. 50 for a quick run)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PIECE = 1024 * 1024
RSS_TARGET_MB = 64


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def pieces(size_mb: int) -> Iterator[bytes]:
    piece = os.urandom(PIECE)
    for _ in range(size_mb):
        yield piece


def timed(label: str, size_mb: int, work: Callable[[], int]) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    handled = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert handled == size_mb * PIECE, f"{label}: {handled} bytes, expected {size_mb * PIECE}"
    print(f"{label:<22} {size_mb / wall:8.1f} MB/s   wall {wall:6.2f} s   CPU {cpu:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=500)
    args = parser.parse_args()
    size_mb = args.size_mb

    workdir = Path(tempfile.mkdtemp(prefix="fluxent-bench-"))
    os.environ.update(FLUXENT_ENV="test", FLUXENT_DATA_DIR=str(workdir))
    from fluxent.core.storage import new_key
    from fluxent.core.storage.local import LocalStorage

    storage = LocalStorage(workdir / "files")
    key = new_key("org-1", "general")
    storage.write(new_key("org-1", "general"), [b"warm-up: makes the data key and the folders"])
    before = peak_rss_mb()
    print(f"File encryption at rest, {size_mb} MB, one process (peak RSS before: {before:.0f} MB)")
    try:
        timed("upload (encrypted)", size_mb, lambda: storage.write(key, pieces(size_mb)))
        upload_growth = peak_rss_mb() - before
        timed("download (decrypted)", size_mb, lambda: sum(len(chunk) for chunk in storage.read(key)))
        growth = peak_rss_mb() - before
        stored = storage.path_for(key).stat().st_size
        print(f"stored size            {stored / PIECE:8.1f} MB (overhead {stored - size_mb * PIECE} bytes)")
        storage.delete(key)

        plain = workdir / "plain"
        timed("upload (plain)", size_mb, lambda: _write_plain(plain, pieces(size_mb)))
        timed("download (plain)", size_mb, lambda: _read_plain(plain))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    verdict = "ok" if growth < RSS_TARGET_MB else "OVER TARGET"
    print(
        f"peak RSS growth        upload {upload_growth:.1f} MB, upload + download {growth:.1f} MB "
        f"(target < {RSS_TARGET_MB} MB: {verdict})"
    )


def _write_plain(path: Path, chunks: Iterator[bytes]) -> int:
    written = 0
    with path.open("wb") as handle:
        for chunk in chunks:
            written += handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    return written


def _read_plain(path: Path) -> int:
    total = 0
    with path.open("rb") as handle:
        while chunk := handle.read(256 * 1024):
            total += len(chunk)
    return total


if __name__ == "__main__":
    main()
