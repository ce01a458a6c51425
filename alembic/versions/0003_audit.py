"""audit: append-only, hash-chained audit log guarded by triggers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

The triggers allow exactly two changes besides appending the next sequence number:
nulling the personal part (ip, user_agent, email), and deleting rows covered by a
retention checkpoint (a chained event whose ``checkpoint_through`` names the last
row that may go). Everything else is refused by the database itself.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CHAINED = (
    "seq", "created_at", "action", "actor_id", "target_type", "target_id",
    "organization_id", "meta", "checkpoint_through", "prev_hash", "hash",
)
PERSONAL = ("ip", "user_agent", "email")

SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER audit_event_append_only_update BEFORE UPDATE ON audit_event
    WHEN NOT ({' AND '.join(f'NEW.{c} IS OLD.{c}' for c in CHAINED)}
              AND {' AND '.join(f'(NEW.{c} IS NULL OR NEW.{c} IS OLD.{c})' for c in PERSONAL)})
    BEGIN
        SELECT RAISE(ABORT, 'audit_event is append-only: only the personal fields may be cleared');
    END
    """,
    """
    CREATE TRIGGER audit_event_append_only_delete BEFORE DELETE ON audit_event
    WHEN OLD.seq > COALESCE((SELECT MAX(checkpoint_through) FROM audit_event), 0)
    BEGIN
        SELECT RAISE(ABORT, 'audit_event rows may only be removed by a retention purge after its checkpoint');
    END
    """,
    """
    CREATE TRIGGER audit_event_append_only_insert BEFORE INSERT ON audit_event
    WHEN NEW.seq IS NOT COALESCE((SELECT MAX(seq) FROM audit_event), 0) + 1
    BEGIN
        SELECT RAISE(ABORT, 'audit_event sequence numbers must follow the last row without a gap');
    END
    """,
]

POSTGRES_FUNCTION = f"""
CREATE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.seq IS DISTINCT FROM COALESCE((SELECT MAX(seq) FROM audit_event), 0) + 1 THEN
            RAISE EXCEPTION 'audit_event sequence numbers must follow the last row without a gap';
        END IF;
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        IF {' OR '.join(f'NEW.{c} IS DISTINCT FROM OLD.{c}' for c in CHAINED)}
           OR {' OR '.join(f'(NEW.{c} IS NOT NULL AND NEW.{c} IS DISTINCT FROM OLD.{c})' for c in PERSONAL)} THEN
            RAISE EXCEPTION 'audit_event is append-only: only the personal fields may be cleared';
        END IF;
        RETURN NEW;
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.seq > COALESCE((SELECT MAX(checkpoint_through) FROM audit_event), 0) THEN
            RAISE EXCEPTION 'audit_event rows may only be removed by a retention purge after its checkpoint';
        END IF;
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_event cannot be truncated';
END;
$$
"""

POSTGRES_TRIGGERS = [
    POSTGRES_FUNCTION,
    "CREATE TRIGGER audit_event_append_only BEFORE INSERT OR UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_guard()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_guard()",
]


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("target_type", sa.String(32), nullable=False),
        sa.Column("target_id", sa.String(64), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("meta", sa.Text(), nullable=False),
        sa.Column("checkpoint_through", sa.BigInteger(), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("ip", sa.String(45), nullable=True),
        sa.Column("user_agent", sa.String(300), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
    )
    op.create_index("ix_audit_event_created_at", "audit_event", ["created_at"])
    op.create_index("ix_audit_event_action", "audit_event", ["action"])
    op.create_index("ix_audit_event_actor_id", "audit_event", ["actor_id"])
    op.create_index("ix_audit_event_organization_id", "audit_event", ["organization_id"])
    op.create_index("ix_audit_event_checkpoint_through", "audit_event", ["checkpoint_through"])
    statements = POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_guard()")
    op.drop_table("audit_event")
