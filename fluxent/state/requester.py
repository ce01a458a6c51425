"""Who is asking, as the services record it: the browser's IP address and user agent."""

from __future__ import annotations

from reflex.istate.data import RouterData

from fluxent.core.client_address import client_address

USER_AGENT_LIMIT = 300  # what the API records too (``fluxent.api.identity.client_info``)


def client_ip(router: RouterData) -> str:
    """The browser's address from the websocket handshake.

    Reflex's ``client_ip`` is the direct peer (``trusted_proxy_hops`` stays 0 in
    ``rxconfig.py``); whether its ``X-Forwarded-For`` counts is decided where the API
    decides it too.
    """
    return client_address(router.session.client_ip, router.headers.raw_headers.get("x-forwarded-for"))


def requester(router: RouterData) -> dict[str, str]:
    """``ip`` and ``user_agent`` keyword arguments for a service call, from the websocket handshake."""
    return {"ip": client_ip(router), "user_agent": router.headers.user_agent[:USER_AGENT_LIMIT]}
