"""Session cookies and client tokens never reach the log."""

from __future__ import annotations

import logging

from fluxent.core.log_redaction import REDACTED, RedactSecrets, install, redact

TOKEN = "0f8fad5b-d9cb-469f-a165-70867728950e"
SESSION = "s3cr3t-session-id_0123456789abcdef"


def test_an_event_repr_with_handshake_headers_is_redacted():
    line = (
        f"Error processing event queue entry for Event(token='{TOKEN}', name='x.y', router_data="
        f"{{'headers': {{'cookie': 'csrftoken=abc; sessionid={SESSION}', 'user-agent': 'UA'}}, 'token': '{TOKEN}'}})"
    )
    cleaned = redact(line)
    assert SESSION not in cleaned and TOKEN not in cleaned and "abc" not in cleaned
    assert "'user-agent': 'UA'" in cleaned and REDACTED in cleaned


def test_urls_and_routine_messages_lose_the_token():
    for line in (
        f"GET /_event/?EIO=4&transport=websocket&token={TOKEN} 101",
        f"send delta to disconnected client '{TOKEN}'",
    ):
        assert TOKEN not in redact(line)
    grant = "s12.1796000400.0123456789abcdef0123456789abcdef"
    line = f'"GET /api/v1/envelopes/3/pages/0/?grant={grant} HTTP/1.1" 200'
    assert redact(line) == f'"GET /api/v1/envelopes/3/pages/0/?grant={REDACTED} HTTP/1.1" 200'


def test_the_filter_rewrites_records_of_descendant_loggers(caplog):
    child = logging.getLogger("fluxent_test_logs.child.grandchild")  # a module's logger, made at import
    install(["fluxent_test_logs"])
    assert any(isinstance(f, RedactSecrets) for f in child.filters)
    with caplog.at_level(logging.INFO):
        child.warning("headers %s", {"cookie": f"sessionid={SESSION}"})
    assert SESSION not in caplog.text and REDACTED in caplog.text
