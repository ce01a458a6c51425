"""Leases that let one process at a time run a maintenance job, whichever machine it is on."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column


class MaintenanceLease(SQLModel, table=True):
    """Held by ``holder`` until ``expires_at``; a holder that dies loses it when it expires."""

    __tablename__ = "maintenance_lease"

    job: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=80)
    expires_at: datetime = utc_column()
