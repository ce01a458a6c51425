"""The commitments page: the last test results for each promise of the privacy policy.

The promises themselves are rendered into the page when it is built; the results change
with every ``make test``, so they are read when the page loads.
"""

from __future__ import annotations

import reflex as rx

from fluxent.services.privacy.commitments import commitments
from fluxent.state.formatting import moment


class CommitmentsState(rx.State):
    # "" until results are loaded, or when this server has none.
    checked_on: str = ""
    # Promise id -> outcome, and test node id -> outcome, of the last run.
    outcomes: dict[str, str] = {}
    test_outcomes: dict[str, str] = {}
    loaded: bool = False

    @rx.event
    def load(self) -> None:
        listed = commitments()
        checked = next((item.checked_at for item in listed if item.checked_at is not None), None)
        self.checked_on = moment(checked)
        self.outcomes = {item.promise.id: str(item.outcome) for item in listed if item.outcome is not None}
        self.test_outcomes = (
            {test.node_id: str(test.outcome) for item in listed for test in item.tests} if checked else {}
        )
        self.loaded = True
