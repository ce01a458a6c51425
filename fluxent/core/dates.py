"""How a day and a time are written wherever people read them: "7 Dec 2026" and, where the
time matters, "7 Dec 2026, 14:05 UTC". Pages get them through ``state.formatting``; services
use them for what pages show (notification titles) and what e-mails list."""

from __future__ import annotations

from datetime import UTC, date, datetime


def day(value: date | None) -> str:
    """``5 Mar 2026`` (a datetime shows its day, in UTC); "" for none."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = utc(value)
    return f"{value.day} {value:%b %Y}"


def moment(value: datetime | None, *, seconds: bool = False) -> str:
    """``5 Mar 2026, 14:05 UTC`` (with ``seconds``, ``14:05:09``, for the audit log); "" for none."""
    if value is None:
        return ""
    value = utc(value)
    time = f"{value:%H:%M:%S}" if seconds else f"{value:%H:%M}"
    return f"{day(value)}, {time} UTC"


def utc(value: datetime) -> datetime:
    """In UTC; a time without a zone (SQLite gives those back) is already in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
