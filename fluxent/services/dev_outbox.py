"""The development outbox: the ``.eml`` files the ``file`` e-mail backend writes.

Only for development and tests (``FLUXENT_ENV`` development or test with
``FLUXENT_EMAIL_BACKEND=file``): it shows sign-in codes and links, so nothing
here is reachable in production. Messages are named by their file name, which
must be one the directory listing gave; no other path is ever opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from fluxent.core.errors import NotFound
from fluxent.core.settings import EmailBackend, Environment, Settings

LIST_LIMIT = 200
_MESSAGE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,120}\.eml$")
_LINK = re.compile(r"https?://[^\s<>\"')\]]+")
_TRAILING_PUNCTUATION = ".,;:!?"  # ends a sentence, not the link


@dataclass(frozen=True)
class OutboxMessage:
    message_id: str  # the file name
    to: str
    subject: str
    sent_at: datetime
    text: str = ""


def available(settings: Settings) -> bool:
    return settings.env in (Environment.DEVELOPMENT, Environment.TEST) and settings.email_backend is EmailBackend.FILE


def list_messages(directory: Path, *, limit: int = LIST_LIMIT) -> list[OutboxMessage]:
    """The newest messages first (file names start with the time they were written)."""
    if not directory.is_dir():
        return []
    names = sorted((path.name for path in directory.iterdir() if _MESSAGE_ID.match(path.name)), reverse=True)
    return [_read(directory / name, with_text=False) for name in names[:limit]]


def read_message(directory: Path, message_id: str) -> OutboxMessage:
    """One message with its plain-text part; NotFound for any name that is not a message here."""
    path = directory / message_id
    if not _MESSAGE_ID.match(message_id) or not path.is_file():
        raise NotFound("No such message in the outbox.")
    return _read(path, with_text=True)


def text_with_links(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into pieces, each marked True when it is an http(s) link."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _LINK.finditer(text):
        link = match.group().rstrip(_TRAILING_PUNCTUATION)
        if match.start() > position:
            pieces.append((text[position : match.start()], False))
        pieces.append((link, True))
        position = match.start() + len(link)
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


def _read(path: Path, *, with_text: bool) -> OutboxMessage:
    with path.open("rb") as handle:
        message = BytesParser(policy=policy.default).parse(handle)
    assert isinstance(message, EmailMessage)
    return OutboxMessage(
        message_id=path.name,
        to=str(message.get("To", "")),
        subject=str(message.get("Subject", "")),
        sent_at=_sent_at(message, path),
        text=_text_part(message) if with_text else "",
    )


def _sent_at(message: EmailMessage, path: Path) -> datetime:
    try:
        return parsedate_to_datetime(str(message["Date"])).astimezone(UTC)
    except (TypeError, ValueError):
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _text_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""
