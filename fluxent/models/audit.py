"""The append-only, hash-chained audit log.

Every column except the personal part (``ip``, ``user_agent``, ``email``) is
covered by the chain. Database triggers (see the first migration) refuse any
change other than nulling the personal part, and refuse deletes except of rows
covered by a retention checkpoint.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Text
from sqlmodel import Field, SQLModel

from fluxent.models.base import utc_column

CHECKPOINT_ACTION = "audit.retention_checkpoint"


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    # A person's export and erasure find their events by actor, by target or by e-mail
    # address (one OR): with an index on each, the database reads those events only,
    # not the whole log.
    __table_args__ = (
        Index("ix_audit_event_target", "target_type", "target_id"),
        Index("ix_audit_event_email", "email"),
    )

    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    created_at: datetime = utc_column(index=True)
    action: str = Field(max_length=64, index=True)
    actor_id: int | None = Field(default=None, index=True)
    target_type: str = Field(default="", max_length=32)
    target_id: str = Field(default="", max_length=64)
    organization_id: int | None = Field(default=None, index=True)
    meta: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    # Set only on retention checkpoints: every row up to this sequence number may be purged.
    checkpoint_through: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True, index=True))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    # Personal part: outside the chain, nulled on erasure.
    ip: str | None = Field(default=None, max_length=45)
    user_agent: str | None = Field(default=None, max_length=300)
    email: str | None = Field(default=None, max_length=254)
