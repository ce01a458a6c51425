"""How the portal and the console write statuses, amounts, sizes, days and times.

Every date a page shows goes through ``day`` ("7 Dec 2026") or, where the time matters,
``moment`` ("7 Dec 2026, 14:05 UTC"), both from ``core.dates``; state modules format no
date themselves (a structure test holds them to it)."""

from __future__ import annotations

import dataclasses
from datetime import date
from urllib.parse import urlsplit

from fluxent.core.dates import day, moment

__all__ = [
    "STATUS_LABELS",
    "MILESTONE_TONES",
    "LinkItem",
    "date_input",
    "day",
    "link_item",
    "moment",
    "money",
    "size_label",
]

STATUS_LABELS = {
    "scoping": "Scoping",
    "proposed": "Proposed",
    "active": "Active",
    "delivered": "Delivered",
    "closed": "Closed",
    "planned": "Planned",
    "in_progress": "In progress",
    "submitted": "Waiting for your acceptance",
    "accepted": "Accepted",
    "changes_requested": "Changes requested",
}

# A milestone's pill colour (``forms.badge`` tone) by what it means for the client:
# waiting on them, being worked on, done, or not started yet.
MILESTONE_TONES = {
    "submitted": "warning",
    "in_progress": "accent",
    "changes_requested": "accent",
    "accepted": "success",
    "planned": "neutral",
}


def money(minor: int, currency: str) -> str:
    """``USD 48,000.00`` (two decimals: every currency the portal bills in has cents)."""
    return f"{currency} {minor / 100:,.2f}"


def size_label(size: int) -> str:
    for unit, step in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= step:
            return f"{size / step:.1f} {unit}"
    return f"{size} B"


def date_input(value: date | None) -> str:
    """The value of an ``<input type="date">``: ``2026-03-05``, as browsers need it; "" for none."""
    return value.isoformat() if value else ""


@dataclasses.dataclass
class LinkItem:
    url: str
    label: str  # the address without its scheme and "www.", as a link's text


def link_item(url: str) -> LinkItem:
    parts = urlsplit(url)
    label = (parts.netloc.removeprefix("www.") + parts.path).rstrip("/")
    return LinkItem(url, label)
