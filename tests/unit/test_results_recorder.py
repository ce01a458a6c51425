"""``--record-results``: a test run leaves every test's outcome in the app's data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fluxent.core.settings import PROJECT_ROOT
from fluxent.services.privacy.commitments import RESULTS_FILE

SAMPLE = """
import pytest

def test_passes():
    pass

def test_fails():
    assert False

@pytest.mark.skip(reason="not here")
def test_is_skipped():
    pass

@pytest.mark.parametrize("n", [1, 2])
def test_twice(n):
    assert n == 1

@pytest.fixture
def broken():
    yield
    raise RuntimeError("teardown")

def test_passes_but_its_teardown_fails(broken):
    pass
"""


def _run(tmp_path: Path, *options: str) -> Path:
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    data_dir = tmp_path / "app-data"
    # The sample needs none of the installed pytest plugins, and starts much faster without them.
    env = {
        **os.environ,
        "FLUXENT_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(PROJECT_ROOT),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.support.results_file", *options, "-p", "no:cacheprovider"]
        + ["--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path / "test_sample.py")],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )
    return data_dir / RESULTS_FILE


def test_the_run_writes_each_tests_outcome_into_the_app_data_directory(tmp_path):
    written = json.loads(_run(tmp_path, "--record-results").read_text())
    assert written["outcomes"] == {
        "test_sample.py::test_passes": "passed",
        "test_sample.py::test_fails": "failed",
        "test_sample.py::test_is_skipped": "skipped",
        "test_sample.py::test_twice[1]": "passed",
        "test_sample.py::test_twice[2]": "failed",
        "test_sample.py::test_passes_but_its_teardown_fails": "failed",
    }
    assert written["finished_at"].endswith("+00:00")


def test_without_the_option_nothing_is_written(tmp_path):
    assert not _run(tmp_path).exists()
