"""Servers that tests start as child processes: a free port to give them, and a clean stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_group(process: subprocess.Popen, *, grace_s: float = 30) -> None:
    """Stop ``process`` and everything it started (it leads its own process group)."""
    if process.poll() is not None:
        return
    group = os.getpgid(process.pid)
    os.killpg(group, signal.SIGTERM)
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        process.wait(timeout=10)


LOCK_FAILURE = "database is locked"


def lock_failures(log_text: str) -> list[str]:
    """The lines of a server's log where a request or an event failed on SQLite's write lock.

    Reads never take that lock and writes hold it briefly (``fluxent/core/db.py``), so a
    server's log from a whole test run must hold none.
    """
    return [line for line in log_text.splitlines() if LOCK_FAILURE in line.lower()]
