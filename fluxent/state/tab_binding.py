"""A browser tab's state belongs to the session it was built for, never to its token.

Reflex keeps each tab's state on the server under the client token in the tab's
sessionStorage. That token outlives sign-out and a change of cookie, and whoever
connects with it would get the state as it was in the first update, before any
page load handler runs. So before every event (the reconnect's hydrate included)
:class:`SessionBinding` compares the session of the websocket handshake with the
one the state was built for (a keyed hash kept in ``SessionState._bound_to``, a
backend-only var) and, when they differ, resets every state that belongs to a
signed-in person (``SessionState`` and all its substates) before anything is sent.

:func:`bind_signing_to_page` does the same for the signing page, whose signer has no
session: its state holds only for events from that signer's own ``/sign/<token>`` page.

:func:`bound_session` answers the same question for an HTTP request that names a
tab (``/_upload``): which session is that tab's state built for.
"""

from __future__ import annotations

import reflex as rx
from reflex.istate.manager.token import BaseStateToken
from reflex.middleware import Middleware
from reflex_base.constants import CompileVars
from reflex_base.event import Event

from fluxent.core.cookies import SESSION_COOKIE, cookie_value
from fluxent.services.auth.sessions import binding_key
from fluxent.state.session import SessionState, begin_event
from fluxent.state.signing import SigningState

_HYDRATIONS = frozenset(
    f"{rx.State.get_full_name()}.{name}" for name in (CompileVars.HYDRATE, CompileVars.HYDRATE_AND_LOAD)
)
_SIGNING_EVENTS = f"{SigningState.get_full_name()}."


def _subtree(cls: type[rx.State]) -> list[type[rx.State]]:
    classes = [cls]
    for substate in cls.get_substates():
        classes += _subtree(substate)
    return classes


async def bind_to_handshake(root: rx.State) -> None:
    """Reset the person's states unless they were built for the handshake's session."""
    key = binding_key(cookie_value(root.router.headers.cookie, SESSION_COOKIE))
    session_state = await root.get_state(SessionState)
    if session_state._bound_to == key:
        return
    if session_state._bound_to:
        # Load the whole subtree first: a state manager that loads substates lazily
        # would otherwise keep an unloaded one with the previous person's data.
        for cls in _subtree(SessionState):
            await root.get_state(cls)
        session_state.reset()
    session_state._bound_to = key


async def bind_signing_to_page(root: rx.State, event: Event | None) -> None:
    """Before a hydration (which sends every state) or a signing event: forget the signer
    unless the event comes from their own page."""
    name = event.name if event is not None else ""
    if name in _HYDRATIONS or name.startswith(_SIGNING_EVENTS):
        signing = await root.get_state(SigningState)
        signing.keep_only_on_own_page(root.router.url.path)


class SessionBinding(Middleware):
    """Runs :func:`bind_to_handshake` and :func:`bind_signing_to_page` before every event, and
    starts the event's record of who it is for (the session is then checked once per event);
    add it first (``index=0``)."""

    async def preprocess(self, app, state, event) -> None:
        begin_event()
        root = state._get_root_state()
        await bind_to_handshake(root)
        await bind_signing_to_page(root, event)
        return None


async def bound_session(app: rx.App, token: str) -> str:
    """The binding key of the state of the tab with client token ``token`` ("" when none)."""
    root = await app.state_manager.get_state(BaseStateToken(ident=token, cls=SessionState))
    return (await root.get_state(SessionState))._bound_to
