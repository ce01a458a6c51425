"""A retention run over 1,000,000 audit events and 200,000 one-time tokens, on SQLite.

Builds the rows straight into the database (a valid audit chain: 80% of the events
older than 2 years; 75% of the tokens used or expired), then runs
``python -m fluxent retention --dry-run`` and ``python -m fluxent retention`` as an
operator would, each in a process of its own, and prints for each its wall time, CPU
time and peak resident memory (the whole process, imports included), then checks the
audit chain still verifies. Targets for the real run: < 60 s and < 200 MB.

Usage: python bench/retention.py [--audit-rows N] [--tokens N]
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHUNK = 50_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--audit-rows", type=int, default=1_000_000)
    parser.add_argument("--tokens", type=int, default=200_000)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="fluxent-bench-"))
    env = {
        **os.environ,
        "FLUXENT_ENV": "test",
        "FLUXENT_DATA_DIR": str(workdir),
        "FLUXENT_DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "FLUXENT_SECRET_KEY": "bench-secret-key-" + "s" * 40,
        "FLUXENT_AUDIT_KEY": "bench-audit-key-" + "a" * 40,
    }
    os.environ.update(env)
    from fluxent.cli import main as cli

    cli(["migrate"])
    moment = datetime.now(UTC)
    started = time.perf_counter()
    old_events = _build_audit(workdir / "bench.db", args.audit_rows, moment)
    spent_tokens = _build_tokens(workdir / "bench.db", args.tokens, moment)
    print(
        f"(built {args.audit_rows:,} audit events, {old_events:,} older than 2 years, and {args.tokens:,} tokens, "
        f"{spent_tokens:,} used or expired, in {time.perf_counter() - started:.0f}s)"
    )

    for label, extra in (("dry run", ["--dry-run"]), ("real run", [])):
        wall, cpu, peak_mb, output = _measure(["retention", *extra], env)
        print(f"{label}: {wall:.1f}s wall, {cpu:.1f}s CPU, peak RSS {peak_mb:.0f} MB (targets: < 60 s, < 200 MB)")
        print("  " + "\n  ".join(line for line in output.splitlines() if " 0 " not in line))

    from fluxent.core.db import session_scope
    from fluxent.services.audit import trail

    with session_scope() as session:
        verify_started = time.perf_counter()
        result = trail.verify(session)
    assert result.ok, result
    print(
        f"audit chain verifies after the purge: {result.checked:,} rows in {time.perf_counter() - verify_started:.1f}s"
    )


def _measure(command: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Run ``python -m fluxent <command>`` in a fresh process: wall and CPU seconds, its peak RSS in MB."""
    # VmHWM, not ru_maxrss: Linux carries the parent's peak into ru_maxrss across fork and exec.
    wrapper = (
        "import runpy, sys; sys.argv = ['fluxent', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('fluxent', run_name='__main__')\n"
        "finally:\n    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
        "    print(f'PEAK_KB={hwm}', file=sys.stderr)\n"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *command], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"retention failed:\n{done.stdout}\n{done.stderr}")
    peak_kb = int(done.stderr.rsplit("PEAK_KB=", 1)[1].split()[0])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peak_kb / 1024, done.stdout


def _build_audit(path: Path, rows: int, moment: datetime) -> int:
    """A valid chain straight into the table (what ``trail.record`` would write, without the ORM)."""
    from fluxent.core.settings import get_settings
    from fluxent.services.audit import trail

    key = get_settings().audit_key.encode()
    old = rows * 4 // 5
    first_old = moment - timedelta(days=1100)
    first_recent = moment - timedelta(days=300)
    prev = trail.GENESIS_HASH
    insert = (
        "INSERT INTO audit_event (seq, created_at, action, actor_id, target_type, target_id, organization_id, meta,"
        " checkpoint_through, prev_hash, hash, ip, user_agent, email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)"
    )
    with sqlite3.connect(path) as conn:
        batch = []
        for seq in range(1, rows + 1):
            at = first_old + timedelta(seconds=seq) if seq <= old else first_recent + timedelta(seconds=seq - old)
            stamp = trail._timestamp(at)
            meta = f'{{"n":{seq}}}'
            digest = trail._digest(key, prev, seq, stamp, "bench.event", 1, "thing", str(seq), None, meta, None)
            batch.append(
                (seq, stamp, "bench.event", 1, "thing", str(seq), None, meta, prev, digest, "203.0.113.7", "UA", None)
            )
            prev = digest
            if len(batch) == CHUNK:
                conn.executemany(insert, batch)
                batch.clear()
        conn.executemany(insert, batch)
    return old


def _build_tokens(path: Path, count: int, moment: datetime) -> int:
    def stamp(at: datetime) -> str:
        return at.strftime("%Y-%m-%d %H:%M:%S.%f")

    spent = count * 3 // 4
    rows = []
    for index in range(count):
        created = moment - timedelta(minutes=30) if index < spent else moment
        used = stamp(created + timedelta(minutes=1)) if index % 2 and index < spent else None
        rows.append(
            (
                "magic_link",
                f"{index:064x}",
                f"person{index}@example.test",
                '{"new_email": "someone@example.test"}',
                stamp(created),
                stamp(created + timedelta(minutes=15)),
                used,
            )
        )
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO auth_one_time_token (purpose, token_hash, email, payload, attempts, max_attempts, created_at,"
            " expires_at, used_at) VALUES (?, ?, ?, ?, 0, 1, ?, ?, ?)",
            rows,
        )
    return spent


if __name__ == "__main__":
    main()
