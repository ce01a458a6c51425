"""Payloads a websocket client may send that do not fit the handler are refused before it runs."""

from __future__ import annotations

import pytest

from fluxent.state.admin_leads import AdminLeadsState
from fluxent.state.event_arguments import problem
from fluxent.state.portal import DocumentsState, EngagementsState
from fluxent.state.session import SessionState


def _problem(handler, payload):
    return problem(handler.fn, handler._get_type_hints(), payload)


@pytest.mark.parametrize(
    ("handler", "payload"),
    [
        (EngagementsState.ask_accept, {"engagement_id": 1, "milestone_id": 2}),
        (EngagementsState.ask_accept, {"engagement_id": "1", "milestone_id": "2"}),  # Reflex converts numeric text
        (EngagementsState.request_changes, {"form": {"reason": "x"}}),
        (DocumentsState.set_target, {"value": "org:1"}),
        (SessionState.recheck, {}),
        (SessionState.recheck, {"_tick": "00:30"}),
        (AdminLeadsState.go_to_page, {"page": 3}),
    ],
)
def test_what_the_pages_send_passes(handler, payload):
    assert _problem(handler, payload) is None


@pytest.mark.parametrize(
    ("handler", "payload", "says"),
    [
        (EngagementsState.ask_accept, {"engagement_id": {"$gt": 1}, "milestone_id": 2}, "wrong type"),
        (EngagementsState.ask_accept, {"engagement_id": "1; drop", "milestone_id": 2}, "wrong type"),
        (EngagementsState.ask_accept, {"engagement_id": True, "milestone_id": 2}, "wrong type"),
        (EngagementsState.ask_accept, {"engagement_id": 1}, "missing"),
        (EngagementsState.request_changes, {"form": "not a form"}, "wrong type"),
        (DocumentsState.set_target, {"value": ["org:1"]}, "wrong type"),
        (DocumentsState.set_target, {"value": "org:1", "extra": 1}, "unknown"),
        (AdminLeadsState.go_to_page, {"page": "9" * 40}, "wrong type"),
        (EngagementsState.ask_accept, {"engagement_id": 10**20, "milestone_id": 2}, "wrong type"),
        (EngagementsState.ask_accept, {"engagement_id": 2**31, "milestone_id": 2}, "wrong type"),
        (EngagementsState.ask_accept, {"engagement_id": "\u0663", "milestone_id": 2}, "wrong type"),
    ],
)
def test_malformed_payloads_are_refused_with_the_reason(handler, payload, says):
    assert says in (_problem(handler, payload) or "")
