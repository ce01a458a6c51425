"""The commitments page's read model: each promise with the last run's results."""

from __future__ import annotations

from datetime import UTC, datetime

from fluxent.services.privacy.commitments import Outcome, commitments, results_path, write_results
from fluxent.services.privacy.promises import PROMISES

RUN_AT = datetime(2026, 12, 7, 8, 15, tzinfo=UTC)


def _all_passed() -> dict[str, str]:
    return {node_id: "passed" for promise in PROMISES for node_id in promise.proven_by}


def _by_id(listed):
    return {item.promise.id: item for item in listed}


def test_without_results_every_promise_is_listed_with_its_tests_and_no_outcome(tmp_path):
    listed = commitments(tmp_path / "none.json")
    assert [item.promise for item in listed] == list(PROMISES)
    assert all(item.outcome is None and item.checked_at is None for item in listed)
    assert all(test.outcome == Outcome.NOT_RUN for item in listed for test in item.tests)


def test_a_promise_passes_when_all_its_tests_passed_and_fails_when_one_failed(tmp_path):
    path = tmp_path / "results.json"
    outcomes = _all_passed()
    failing = PROMISES[0].proven_by[-1]
    outcomes[failing] = "failed"
    write_results(path, outcomes=outcomes, finished_at=RUN_AT)
    listed = _by_id(commitments(path))
    first = listed[PROMISES[0].id]
    assert first.outcome == Outcome.FAILED and first.checked_at == RUN_AT
    assert [test.outcome for test in first.tests if test.node_id == failing] == [Outcome.FAILED]
    assert all(item.outcome == Outcome.PASSED for item in listed.values() if item is not first)


def test_parametrised_variants_count_for_their_test(tmp_path):
    path = tmp_path / "results.json"
    node_id = PROMISES[1].proven_by[0]
    outcomes = {key: value for key, value in _all_passed().items() if key != node_id}
    outcomes |= {f"{node_id}[sqlite]": "passed", f"{node_id}[postgresql]": "skipped"}
    write_results(path, outcomes=outcomes, finished_at=RUN_AT)
    assert _by_id(commitments(path))[PROMISES[1].id].outcome == Outcome.PASSED
    outcomes[f"{node_id}[postgresql]"] = "failed"
    write_results(path, outcomes=outcomes, finished_at=RUN_AT)
    assert _by_id(commitments(path))[PROMISES[1].id].outcome == Outcome.FAILED


def test_a_test_that_was_skipped_or_left_out_leaves_its_promise_not_run(tmp_path):
    path = tmp_path / "results.json"
    outcomes = _all_passed()
    outcomes[PROMISES[2].proven_by[0]] = "skipped"
    del outcomes[PROMISES[3].proven_by[0]]
    # A test of the same name's prefix is another test, not a variant.
    outcomes[PROMISES[3].proven_by[0] + "_too"] = "passed"
    write_results(path, outcomes=outcomes, finished_at=RUN_AT)
    listed = _by_id(commitments(path))
    assert listed[PROMISES[2].id].outcome == Outcome.NOT_RUN
    assert listed[PROMISES[3].id].outcome == Outcome.NOT_RUN


def test_an_unreadable_results_file_reads_as_no_results(tmp_path):
    path = tmp_path / "results.json"
    for text in ("", "not json", "[]", '{"finished_at": "yesterday", "outcomes": {}}', '{"outcomes": {}}'):
        path.write_text(text)
        assert all(item.outcome is None for item in commitments(path)), text


def test_the_results_file_lives_in_the_data_directory(data_dir):
    assert results_path() == data_dir / "test-results.json"
