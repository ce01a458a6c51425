"""audit log: indexes on target and e-mail, for a person's export and erasure

Revision ID: 0014_audit_person_indexes
Revises: 0013_retention
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0014_audit_person_indexes"
down_revision = "0013_retention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_event_target", "audit_event", ["target_type", "target_id"])
    op.create_index("ix_audit_event_email", "audit_event", ["email"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_email", table_name="audit_event")
    op.drop_index("ix_audit_event_target", table_name="audit_event")
