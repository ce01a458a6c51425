"""The one source of "now", so time-dependent rules can be tested with any clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def now() -> datetime:
    """Current time, timezone-aware UTC."""
    return datetime.now(UTC)
