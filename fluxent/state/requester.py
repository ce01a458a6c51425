"""Who is asking, as the services record it: the browser's IP address and user agent."""

from __future__ import annotations

from reflex.istate.data import RouterData

USER_AGENT_LIMIT = 300  # what the API records too (``fluxent.api.identity.client_info``)


def requester(router: RouterData) -> dict[str, str]:
    """``ip`` and ``user_agent`` keyword arguments for a service call, from the websocket handshake."""
    return {"ip": router.session.client_ip, "user_agent": router.headers.user_agent[:USER_AGENT_LIMIT]}
