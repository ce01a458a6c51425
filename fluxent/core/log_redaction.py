"""Keep session cookies, client tokens and page-image grants out of the server log.

When Reflex cannot dispatch an event it logs the whole event, the websocket
handshake's headers included (``cookie: ...sessionid=...``), and routine messages
name the tab's client token, which is enough to take over the tab's state.
:class:`RedactSecrets` rewrites such records before any handler formats them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "[redacted]"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_PATTERNS = (
    # A cookie header's value, as a header line or inside a dict's repr.
    (re.compile(r"""(?i)(\bcookie['"]?\s*[:=]\s*['"]?)[^'"\n]+"""), r"\1" + REDACTED),
    # Cookie pairs anywhere else.
    (re.compile(r"(?i)\b(sessionid|csrftoken)=[^;\s'\",&]+"), r"\1=" + REDACTED),
    # Client tokens: "token=<uuid>" in URLs, "'token': '<uuid>'", "client token <uuid>", "client '<uuid>'".
    (re.compile(rf"(?i)\b(token|client)(\W{{1,4}}){_UUID}"), r"\1\2" + REDACTED),
    # Grants for e-signature page images: "?grant=<grant>" in URLs.
    (re.compile(r"(?i)\bgrant=[^&\s'\"]+"), "grant=" + REDACTED),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record is left to the handler to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install(prefixes: Iterable[str]) -> None:
    """Add the filter to the loggers named by ``prefixes``, their existing descendants, and every
    handler they or the root logger have (records from descendants reach those handlers without
    passing the ancestors' logger filters)."""
    prefixes = tuple(prefixes)
    names = [
        *prefixes,
        *(name for name in logging.root.manager.loggerDict if name.startswith(tuple(f"{p}." for p in prefixes))),
    ]
    loggers = [logging.getLogger(name) for name in names]
    for target in [*loggers, *(h for lg in (logging.getLogger(), *loggers) for h in lg.handlers)]:
        if not any(isinstance(existing, RedactSecrets) for existing in target.filters):
            target.addFilter(RedactSecrets())
