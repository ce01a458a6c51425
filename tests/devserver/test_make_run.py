"""`make run` on a fresh clone: the development server starts, then stays quiet.

The server runs from a copy of the project's tracked files (the developer's own
`data/` is never touched), with `.venv` and `.tools` linked in and the default
data directory inside the copy, exactly as after `git clone && make run`. Once it
serves, it must not recompile or restart its worker while nothing changes (hot
reload used to watch the data directory the app writes into), and the copy's
`git status` must stay clean (`reflex run` used to rewrite a tracked file).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support.processes import free_port, lock_failures, stop_group

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BUN = PROJECT_ROOT / ".tools" / "node_modules" / ".bin" / "bun"
STARTUP_TIMEOUT_S = 300
IDLE_S = 40
# What the server prints when it reloads: Reflex's compile progress, Granian's worker restart.
RELOAD_MARKERS = ("Compiling", "Killing worker", "Changes detected", "reloading workers")
SERVING_MARKER = "App running at"
IN_CI = os.environ.get("CI") == "true"


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def _fresh_clone(target: Path) -> None:
    """The tracked files as they are in the working tree (edits included), committed in a new repository."""
    for name in _git(PROJECT_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0"):
        source = PROJECT_ROOT / name
        if name and source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for tool in (".venv", ".tools"):
        (target / tool).symlink_to((PROJECT_ROOT / tool).resolve())
    # What `make` has already installed for this project counts as installed in the copy too.
    if (PROJECT_ROOT / ".stamps").is_dir():
        shutil.copytree(PROJECT_ROOT / ".stamps", target / ".stamps")
    _git(target, "init", "--quiet")
    _git(target, "add", "--all")
    _git(target, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "--quiet", "-m", "clone")


def _env(frontend_port: int, backend_port: int) -> dict[str, str]:
    """The parent's environment without FLUXENT_* (tests/conftest.py sets some), hot-reload
    overrides, or the flags of a `make` this test runs under: `make run` as a developer types it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FLUXENT_", "__REFLEX", "REFLEX_HOT_RELOAD_"))
        and key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    }
    env.update(
        {
            "FLUXENT_PORT": str(backend_port),
            "FLUXENT_BASE_URL": f"http://localhost:{frontend_port}",
            "REFLEX_FRONTEND_PORT": str(frontend_port),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _serves(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@pytest.mark.timeout(STARTUP_TIMEOUT_S + IDLE_S + 120)
def test_make_run_serves_without_reloading_and_leaves_the_clone_clean(tmp_path: Path):
    if not BUN.exists():
        message = f"{BUN} is missing (make deps installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    clone = tmp_path / "clone"
    clone.mkdir()
    _fresh_clone(clone)
    assert not (clone / "data").exists()
    frontend_port, backend_port = free_port(), free_port()
    log_path = tmp_path / "make-run.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["make", "run"],
            cwd=clone,
            env=_env(frontend_port, backend_port),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: bun, vite and granian stop with it
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not (_serves(f"http://localhost:{frontend_port}/") and _serves(f"http://127.0.0.1:{backend_port}/ping")):
            if process.poll() is not None:
                pytest.fail(f"make run exited with {process.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"make run did not serve within {STARTUP_TIMEOUT_S}s:\n{log_path.read_text()}")
            time.sleep(1)
        time.sleep(IDLE_S)
        output = log_path.read_text()
        assert process.poll() is None, f"the server stopped:\n{output}"
        assert SERVING_MARKER in output, output
        after_start = output.split(SERVING_MARKER, 1)[1]
        reloads = [line for line in after_start.splitlines() if any(marker in line for marker in RELOAD_MARKERS)]
        assert not reloads, f"the idle server reloaded {len(reloads)} time(s):\n{output}"
    finally:
        stop_group(process)
    failures = lock_failures(log_path.read_text(errors="replace"))
    assert not failures, "the server failed on SQLite's write lock:\n" + "\n".join(failures[:10])
    assert (clone / "data" / "fluxent.db").exists(), "the default data directory is inside the project"
    assert _git(clone, "status", "--porcelain") == "", "make run changed tracked files"
