"""The commitments page's state: the last test run's date and outcomes, read when the page loads."""

from __future__ import annotations

from datetime import UTC, datetime

from fluxent.services.privacy.commitments import results_path, write_results
from fluxent.services.privacy.promises import PROMISES
from fluxent.state.commitments import CommitmentsState
from tests.support.state import tab


def test_without_results_the_page_says_so(data_dir):
    state = tab(CommitmentsState)
    state.load()
    assert state.loaded and state.checked_on == ""
    assert state.outcomes == {} and state.test_outcomes == {}


def test_the_last_run_gives_its_date_and_each_promises_and_tests_outcome(data_dir):
    outcomes = {node_id: "passed" for promise in PROMISES for node_id in promise.proven_by}
    failing = PROMISES[0].proven_by[0]
    outcomes[failing] = "failed"
    write_results(results_path(), outcomes=outcomes, finished_at=datetime(2026, 12, 7, 8, 15, tzinfo=UTC))
    state = tab(CommitmentsState)
    state.load()
    assert state.checked_on == "7 Dec 2026, 08:15 UTC"
    assert state.outcomes[PROMISES[0].id] == "failed" and state.outcomes[PROMISES[1].id] == "passed"
    assert set(state.outcomes) == {promise.id for promise in PROMISES}
    assert state.test_outcomes[failing] == "failed"
    assert state.test_outcomes[PROMISES[1].proven_by[0]] == "passed"
