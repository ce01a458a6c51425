"""Audit log throughput on SQLite, one process.

Prints appends per second (each append its own committed transaction, as in the
app) and verification rows per second over a chain of 1,000,000 rows.
Targets: >= 2,000 appends/s, verify >= 100,000 rows/s.

Usage: python bench/audit.py [--verify-rows N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appends", type=int, default=5_000)
    parser.add_argument("--verify-rows", type=int, default=1_000_000)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="fluxent-bench-"))
    os.environ.update(
        FLUXENT_ENV="test",
        FLUXENT_DATA_DIR=str(workdir),
        FLUXENT_DATABASE_URL=f"sqlite:///{workdir / 'bench.db'}",
    )
    from fluxent.cli import main as cli

    cli(["migrate"])
    from fluxent.core.db import session_scope
    from fluxent.services.audit import trail

    started = time.perf_counter()
    for index in range(args.appends):
        with session_scope() as session:
            trail.record(
                session,
                "bench.append",
                actor=1,
                target=("thing", index),
                meta={"n": index},
                pii=trail.Personal(ip="203.0.113.7"),
            )
    elapsed = time.perf_counter() - started
    print(
        f"appends: {args.appends / elapsed:,.0f}/s ({args.appends} committed appends in {elapsed:.2f}s; target >= 2,000/s)"
    )

    # Grow the chain to the verification size in large transactions (fast to build).
    remaining = args.verify_rows - args.appends
    build_started = time.perf_counter()
    batch = 20_000
    while remaining > 0:
        with session_scope() as session:
            for index in range(min(batch, remaining)):
                trail.record(session, "bench.append", actor=1, target=("thing", index), meta={"n": index})
        remaining -= batch
    print(f"(built a chain of {args.verify_rows:,} rows in {time.perf_counter() - build_started:.0f}s)")

    with session_scope() as session:
        started = time.perf_counter()
        result = trail.verify(session)
        elapsed = time.perf_counter() - started
    assert result.ok, result
    print(
        f"verify: {result.checked / elapsed:,.0f} rows/s ({result.checked:,} rows in {elapsed:.2f}s; target >= 100,000/s)"
    )


if __name__ == "__main__":
    main()
