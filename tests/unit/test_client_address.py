"""The client's address: X-Forwarded-For counts only when the direct peer is a trusted proxy."""

from __future__ import annotations

import pytest

from fluxent.core.client_address import client_address
from fluxent.core.settings import load_settings, reset_settings

PROXIES = "10.0.0.5, 192.168.0.0/16, 2001:db8::/32"


@pytest.fixture
def trusted(monkeypatch):
    monkeypatch.setenv("FLUXENT_TRUSTED_PROXIES", PROXIES)
    reset_settings()


@pytest.mark.parametrize(
    "peer, forwarded_for, expected",
    [
        ("10.0.0.5", "203.0.113.7", "203.0.113.7"),  # the proxy's word for its client
        ("10.0.0.5", "1.1.1.1, 203.0.113.7", "203.0.113.7"),  # what the visitor wrote is left of it
        ("10.0.0.5", "203.0.113.7, 192.168.1.1", "203.0.113.7"),  # past a second trusted proxy
        ("testclient", "203.0.113.7", "testclient"),  # a peer that is no address is not a proxy
        ("10.0.0.5", "", "10.0.0.5"),  # a trusted proxy that forwards nothing
        ("10.0.0.5", "not-an-ip", "10.0.0.5"),  # garbage ends the walk at the proxy
        ("10.0.0.5", "192.168.1.1", "192.168.1.1"),  # only proxies: the farthest one
        ("::ffff:10.0.0.5", "203.0.113.7", "203.0.113.7"),  # a dual-stack listener's IPv4 peer
        ("2001:db8::1", "2001:db8:ffff::1, 2a00::1", "2a00::1"),
        ("198.51.100.9", "203.0.113.7", "198.51.100.9"),  # untrusted peer: spoofed header ignored
        ("10.0.0.6", "203.0.113.7", "10.0.0.6"),  # a neighbour of the proxy is not the proxy
    ],
)
def test_forwarded_addresses_count_only_through_trusted_proxies(trusted, peer, forwarded_for, expected):
    assert client_address(peer, forwarded_for) == expected


def test_without_trusted_proxies_the_header_never_counts():
    assert client_address("127.0.0.1", "203.0.113.7") == "127.0.0.1"


def test_a_malformed_setting_stops_the_start_naming_the_variable():
    with pytest.raises(ValueError, match="FLUXENT_TRUSTED_PROXIES"):
        load_settings(trusted_proxies="10.0.0.0/8, nginx")
