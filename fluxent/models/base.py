"""Column helpers shared by every model module."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field

from fluxent.core.clock import now
from fluxent.core.db import UTCDateTime


def utc_column(*, nullable: bool = False, index: bool = False, default_now: bool = False) -> Any:
    """A timezone-aware UTC timestamp field."""
    return Field(
        default_factory=now if default_now else None,
        sa_column=Column(UTCDateTime(), nullable=nullable, index=index),
    )


__all__ = ["datetime", "utc_column"]
