"""lead notes, and the organization a lead was converted into

Revision ID: 0007_lead_notes
Revises: 0006_portal_core
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0007_lead_notes"
down_revision = "0006_portal_core"
branch_labels = None
depends_on = None


LEAD_ORGANIZATION_FK = "fk_marketing_lead_organization_id"


@contextmanager
def _rebuilding_marketing_lead() -> Iterator[object]:
    """A batch alteration of marketing_lead that keeps its consent records.

    SQLite changes a foreign key by rebuilding the table, and dropping the old
    marketing_lead cascades to marketing_consent: those rows are kept aside and put back.
    """
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMP TABLE consent_kept AS SELECT * FROM marketing_consent WHERE lead_id IS NOT NULL")
    with op.batch_alter_table("marketing_lead") as batch:
        yield batch
    if sqlite:
        op.execute("INSERT INTO marketing_consent SELECT * FROM consent_kept WHERE id NOT IN (SELECT id FROM marketing_consent)")
        op.execute("DROP TABLE consent_kept")


def upgrade() -> None:
    with _rebuilding_marketing_lead() as batch:
        batch.add_column(sa.Column("organization_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("converted_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            LEAD_ORGANIZATION_FK, "account_organization", ["organization_id"], ["id"], ondelete="SET NULL"
        )

    op.create_table(
        "marketing_lead_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("lead_id", sa.Integer(), sa.ForeignKey("marketing_lead.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("account_user.id", ondelete="SET NULL"), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_marketing_lead_note_lead_id", "marketing_lead_note", ["lead_id"])


def downgrade() -> None:
    op.drop_table("marketing_lead_note")
    with _rebuilding_marketing_lead() as batch:
        batch.drop_constraint(LEAD_ORGANIZATION_FK, type_="foreignkey")
        batch.drop_column("converted_at")
        batch.drop_column("organization_id")
