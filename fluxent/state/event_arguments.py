"""Event arguments that do not fit the handler never reach it.

A websocket client can send any JSON as an event's payload. Reflex converts what
it can to the handler's annotations and otherwise passes the raw value on, so a
handler annotated ``milestone_id: int`` could get a dict and fail half-way.
:class:`CheckedArguments` checks every payload against the handler's signature
first: unknown or missing arguments, and values of the wrong JSON type, stop the
event, and the page's status line says the request was not understood.
"""

from __future__ import annotations

import inspect
import typing
from typing import Any

from reflex.middleware import Middleware
from reflex.state import StateUpdate
from reflex_base.registry import RegistrationContext

from fluxent.core.ids import MAX_ID
from fluxent.state.session import SessionState

NOT_UNDERSTOOD = "That request was not understood. Reload the page and try again."


def _fits(value: Any, hint: Any) -> bool:
    """Whether a JSON value can stand for ``hint`` (types this app's handlers use; others pass)."""
    origin = typing.get_origin(hint) or hint
    if origin is typing.Union:
        return any(_fits(value, option) for option in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is bool:
        return isinstance(value, bool)
    if origin is int:  # Reflex turns numeric strings into ints; every int here fits the database
        if isinstance(value, str) and value.strip().lstrip("-").isascii() and value.strip().lstrip("-").isdigit():
            value = int(value)
        return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_ID
    if origin is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if origin is str:
        return isinstance(value, str)
    if origin is dict:
        return isinstance(value, dict)
    if origin in (list, tuple, set):
        return isinstance(value, list)
    return True


def problem(fn: Any, hints: dict[str, Any], payload: dict[str, Any]) -> str | None:
    """What is wrong with ``payload`` as the arguments of handler ``fn``, or None."""
    parameters = list(inspect.signature(fn).parameters.values())[1:]  # without self
    named = {p.name: p for p in parameters if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    if not any(p.kind is p.VAR_KEYWORD for p in parameters):
        unknown = sorted(set(payload) - set(named))
        if unknown:
            return f"unknown arguments {unknown}"
    missing = sorted(name for name, p in named.items() if p.default is p.empty and name not in payload)
    if missing:
        return f"missing arguments {missing}"
    wrong = sorted(name for name, value in payload.items() if name in hints and not _fits(value, hints[name]))
    return f"arguments of the wrong type {wrong}" if wrong else None


class CheckedArguments(Middleware):
    async def preprocess(self, app, state, event) -> StateUpdate | None:
        registered = RegistrationContext.get().event_handlers.get(event.name)
        if registered is None or not isinstance(event.payload, dict):
            return None
        handler = registered.handler
        if handler.is_background:  # uploads: the payload holds Reflex's own file objects
            return None
        if problem(handler.fn, handler._get_type_hints(), event.payload) is None:
            return None
        root = state._get_root_state()
        (await root.get_state(SessionState))._tell(NOT_UNDERSTOOD, error=True)
        delta = await root._get_resolved_delta()
        root._clean()
        return StateUpdate(delta=delta, events=[])
