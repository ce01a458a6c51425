"""A browser tab without a browser: a Socket.IO client on Reflex's ``/_event``.

It speaks the protocol the compiled frontend speaks: the client token in the
connection's query, the cookies in the handshake headers, and events
``{"name", "payload", "router_data"}`` whose updates come back as ``event``
messages (``{"delta": {state name: {var: value}}, ...}``). The token is chosen by
the caller, so a test can come back with someone else's. Every update received is
kept in ``updates``.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import reflex as rx
import socketio

NAMESPACE = "/_event"
ROOT_STATE = rx.State.get_full_name()
OPEN_PAGE = f"{ROOT_STATE}.hydrate_and_load"


def state_values(update: dict, state_name: str) -> dict[str, Any]:
    """The vars of one state in an update, names without Reflex's suffix."""
    delta = (update or {}).get("delta", {}).get(state_name, {})
    return {key.removesuffix("_rx_state_"): value for key, value in delta.items()}


class SocketTab:
    def __init__(self, base: str, *, token: str | None = None, cookie: str = "", origin: str | None = None) -> None:
        self.base = base
        self.token = token or str(uuid.uuid4())
        self.cookie = cookie
        self.origin = origin
        self.updates: list[dict] = []
        self._arrived = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("event", self._on_update, namespace=NAMESPACE)

    def connect(self) -> SocketTab:
        # The websocket client sends the Origin of the URL itself unless told otherwise,
        # as a browser on the site would.
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if self.origin is not None:
            headers["Origin"] = self.origin
        self.client.connect(
            f"{self.base}?token={self.token}",
            transports=["websocket"],
            socketio_path=NAMESPACE,
            namespaces=[NAMESPACE],
            headers=headers,
            wait_timeout=30,
        )
        return self

    def _on_update(self, update: dict) -> None:
        with self._arrived:
            self.updates.append(update)
            self._arrived.notify_all()

    def emit(self, name: str, payload: dict | None = None, *, path: str = "/") -> None:
        """Send one event as the page at ``path`` would."""
        event = {"name": name, "payload": payload or {}, "router_data": {"pathname": path, "asPath": path, "query": {}}}
        self.client.emit("event", event, namespace=NAMESPACE)

    def wait_for(self, done: Callable[[dict], bool], *, after: int = 0, timeout: float = 60) -> dict:
        """The first update from index ``after`` on that satisfies ``done``; fails after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        seen = after
        with self._arrived:
            while True:
                for update in self.updates[seen:]:
                    if done(update):
                        return update
                seen = len(self.updates)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no matching update within {timeout} s; received {len(self.updates)}")
                self._arrived.wait(left)

    def round_trip(self, name: str, payload: dict, done: Callable[[dict], bool], *, path: str = "/") -> float:
        """Send an event; ms until an update satisfying ``done`` arrives."""
        after = len(self.updates)
        started = time.perf_counter()
        self.emit(name, payload, path=path)
        self.wait_for(done, after=after)
        return (time.perf_counter() - started) * 1000

    def everything_received(self) -> str:
        """All updates so far as one JSON text, to search for what must not be there."""
        with self._arrived:
            return json.dumps(self.updates)

    def close(self) -> None:
        self.client.disconnect()


def open_page(tab: SocketTab, path: str) -> None:
    """As the browser does on each page: hydrate, run the page's on_load, then mark it hydrated."""
    after = len(tab.updates)
    tab.emit(OPEN_PAGE, path=path)
    tab.wait_for(lambda update: state_values(update, ROOT_STATE).get("is_hydrated") is True, after=after)
