"""``--record-results`` (``make test`` passes it): the outcome of every test, written at the end of
the run to ``test-results.json`` in the app's data directory, for the public commitments page
(``fluxent/services/privacy/commitments.py`` reads it).

The app's data directory is read when this module is imported, which ``tests/conftest.py`` does
before it points ``FLUXENT_DATA_DIR`` at the run's temporary directory.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from fluxent.core.settings import Settings
from fluxent.services.privacy.commitments import results_path, write_results

APP_DATA_DIR = Settings().data_dir


class ResultsRecorder:
    """Per node id: "failed" when any phase failed, "skipped" when skipped, else "passed"."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.outcomes: dict[str, str] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed:
            self.outcomes[report.nodeid] = "failed"
        elif report.skipped:
            self.outcomes.setdefault(report.nodeid, "skipped")
        elif report.when == "call":
            self.outcomes.setdefault(report.nodeid, "passed")

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.outcomes:
            write_results(self.path, outcomes=self.outcomes, finished_at=datetime.now(UTC))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--record-results",
        action="store_true",
        help="write every test's outcome to test-results.json in the app's data directory",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("record_results"):
        config.pluginmanager.register(ResultsRecorder(results_path(APP_DATA_DIR)), "fluxent-results-recorder")
