"""State tests: Reflex state classes built under pytest, handlers called directly.

``page_state(StateClass, "/login?next=/portal")`` gives a fresh state tree whose
router says the browser is on that URL (IP and user agent included), the way the
websocket handshake would, and returns the requested substate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from reflex_base.event import EventSpec

from tests.support.auth import AGENT, IP

StateT = TypeVar("StateT", bound=rx.State)
ORIGIN = "http://testserver"


def visit(state: rx.State, url: str, cookie: str = "") -> None:
    """Point the state tree's router at ``url``, as a page load would (with ``cookie``)."""
    root = state._get_root_state()
    root.router = RouterData.from_router_data(
        {"asPath": url, "headers": {"origin": ORIGIN, "user-agent": AGENT, "cookie": cookie}, "ip": IP}
    )


@pytest.fixture
def page_state() -> Callable[..., Any]:
    def make(state_class: type[StateT], url: str = "/", cookie: str = "") -> StateT:
        root = rx.State(_reflex_internal_init=True)
        visit(root, url, cookie)
        return root.get_substate(state_class.get_full_name().split(".")[1:])

    return make


def run(events: Iterable[Any] | None) -> list[Any]:
    """Drive a generator handler to its end; what it yielded (None for plain handlers)."""
    return list(events or [])


def redirect_target(events: list) -> str:
    """Where the one ``rx.redirect`` among a handler's events sends the browser."""
    specs = [event for event in events if isinstance(event, EventSpec)]
    assert len(specs) == 1, events
    return str(dict(specs[0].args)[next(iter(dict(specs[0].args)))]._var_value)
