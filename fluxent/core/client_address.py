"""The browser's IP address, for throttles, audit rows and session lists.

Every door (API routes, websocket events, uploads) asks here. ``X-Forwarded-For``
is written by whoever sends the request, so it counts only when the direct peer is
one of ``FLUXENT_TRUSTED_PROXIES``: then the header is read from the right (the
entry the trusted proxy added) leftwards, past further trusted proxies, to the
first address that is not one. Anything else is the direct peer's address.
"""

from __future__ import annotations

import ipaddress

from fluxent.core.settings import get_settings


def client_address(peer: str, forwarded_for: str | None) -> str:
    """The client's address given the direct ``peer`` and the request's ``X-Forwarded-For``."""
    trusted = get_settings().trusted_proxy_networks
    hops = [part.strip() for part in (forwarded_for or "").split(",")]
    address = peer
    while _is_trusted(address, trusted) and hops:
        try:
            address = str(ipaddress.ip_address(hops.pop()))
        except ValueError:
            break  # not an address: the trusted proxy that passed it on is as far as we know
    return address


def _is_trusted(address: str, trusted: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    if not trusted:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # a dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d
    return any(ip in network for network in trusted)
