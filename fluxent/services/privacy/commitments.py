"""The commitments page's read model: every promise of the privacy policy with the last results
of its tests.

``make test`` leaves the outcome of every test it ran in ``test-results.json`` in the data
directory (``tests/support/test_results.py`` writes it with :func:`write_results`). A promise
passed when every one of its tests passed in that run, failed when any failed, and was not
run when some of its tests were skipped or not part of the run (a parametrised test counts
as passed when one of its variants passed and none failed).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from fluxent.core.settings import get_settings
from fluxent.services.privacy.promises import PROMISES, Promise

RESULTS_FILE = "test-results.json"


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not run"


@dataclass(frozen=True)
class ProofResult:
    node_id: str
    outcome: Outcome


@dataclass(frozen=True)
class Commitment:
    promise: Promise
    tests: tuple[ProofResult, ...]
    # None when there are no results to show.
    outcome: Outcome | None
    checked_at: datetime | None


def results_path(data_dir: Path | None = None) -> Path:
    return (data_dir or get_settings().data_dir) / RESULTS_FILE


def write_results(path: Path, *, outcomes: Mapping[str, str], finished_at: datetime) -> None:
    """Write a run's outcome per test node id ("passed", "failed" or "skipped"), replacing the last run's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"finished_at": finished_at.isoformat(), "outcomes": dict(sorted(outcomes.items()))}
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(document, indent=1) + "\n")
    temporary.replace(path)


def commitments(path: Path | None = None) -> list[Commitment]:
    """Every promise, in the registry's order, with the last run's results when there are any."""
    run = _read(path or results_path())
    if run is None:
        return [
            Commitment(p, tuple(ProofResult(t, Outcome.NOT_RUN) for t in p.proven_by), None, None) for p in PROMISES
        ]
    finished_at, outcomes = run
    listed = []
    for item in PROMISES:
        tests = tuple(ProofResult(node_id, _outcome_of(node_id, outcomes)) for node_id in item.proven_by)
        listed.append(Commitment(item, tests, _overall(test.outcome for test in tests), finished_at))
    return listed


def _read(path: Path) -> tuple[datetime, dict[str, str]] | None:
    """The last run, or None when there is none or the file is not one this module wrote."""
    try:
        document = json.loads(path.read_text())
        finished_at = datetime.fromisoformat(document["finished_at"]).astimezone(UTC)
        outcomes = {str(key): str(value) for key, value in dict(document["outcomes"]).items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return finished_at, outcomes


def _outcome_of(node_id: str, outcomes: Mapping[str, str]) -> Outcome:
    found = [value for key, value in outcomes.items() if key == node_id or key.startswith(node_id + "[")]
    if any(value not in ("passed", "skipped") for value in found):
        return Outcome.FAILED
    return Outcome.PASSED if "passed" in found else Outcome.NOT_RUN


def _overall(outcomes) -> Outcome:
    seen = set(outcomes)
    if Outcome.FAILED in seen:
        return Outcome.FAILED
    return Outcome.NOT_RUN if Outcome.NOT_RUN in seen else Outcome.PASSED
