"""Where tab state lives: in the process's memory in production and tests (one process
without Redis), on disk only in development (hot reload keeps open tabs), and in Redis
whenever REFLEX_REDIS_URL is set (Reflex's several workers)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _mode(tmp_path: Path, **env: str) -> str:
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("FLUXENT_", "REFLEX_"))}
    clean.update(FLUXENT_DATA_DIR=str(tmp_path), **env)
    done = subprocess.run(
        [sys.executable, "-c", "import rxconfig; print(rxconfig.config.state_manager_mode.value)"],
        cwd=PROJECT_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("environment", ["production", "test"])
def test_one_process_keeps_tab_state_in_memory_outside_development(tmp_path, environment):
    assert _mode(tmp_path, FLUXENT_ENV=environment) == "memory"


def test_development_keeps_tab_state_on_disk_across_hot_reloads(tmp_path):
    assert _mode(tmp_path, FLUXENT_ENV="development") == "disk"


def test_with_redis_reflex_chooses_redis_itself(tmp_path):
    """The mode is left unset, so Reflex's own choice (Redis, when its URL is set) stands."""
    code = "import rxconfig; c = rxconfig.config; print('state_manager_mode' in c._non_default_attributes)"
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("FLUXENT_", "REFLEX_"))}
    clean.update(FLUXENT_DATA_DIR=str(tmp_path), FLUXENT_ENV="test", REFLEX_REDIS_URL="redis://127.0.0.1:1/0")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
