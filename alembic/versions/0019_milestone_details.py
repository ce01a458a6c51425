"""milestones: acceptance criteria and deliverables (links or the engagement's documents)

Revision ID: 0019_milestone_details
Revises: 0018_policy_versions
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_milestone_details"
down_revision = "0018_policy_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("engagement_milestone") as batch:
        batch.add_column(sa.Column("acceptance_criteria", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "engagement_milestone_deliverable",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "milestone_id", sa.Integer(), sa.ForeignKey("engagement_milestone.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("url", sa.String(2000), nullable=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=True),
    )
    op.create_index(
        "ix_engagement_milestone_deliverable_milestone_id", "engagement_milestone_deliverable", ["milestone_id"]
    )
    op.create_index(
        "ix_engagement_milestone_deliverable_document_id", "engagement_milestone_deliverable", ["document_id"]
    )


def downgrade() -> None:
    op.drop_table("engagement_milestone_deliverable")
    with op.batch_alter_table("engagement_milestone") as batch:
        batch.drop_column("acceptance_criteria")
