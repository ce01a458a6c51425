"""credential vault: per-engagement wrapped data keys, encrypted items and their versions;
the step-up time on sign-in sessions

Revision ID: 0010_vault
Revises: 0009_esign
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_vault"
down_revision = "0009_esign"
branch_labels = None
depends_on = None


def utc(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def fk(name: str, target: str, *, ondelete: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("auth_session") as batch:
        batch.add_column(utc("reauthenticated_at", nullable=True))

    op.create_table(
        "vault_data_key",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("organization_id", "account_organization.id", ondelete="CASCADE"),
        fk("engagement_id", "engagement.id", ondelete="CASCADE"),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        utc("created_at"),
        utc("rotated_at", nullable=True),
        sa.UniqueConstraint("engagement_id"),
    )
    op.create_index("ix_vault_data_key_organization_id", "vault_data_key", ["organization_id"])

    op.create_table(
        "vault_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("organization_id", "account_organization.id", ondelete="CASCADE"),
        fk("engagement_id", "engagement.id", ondelete="CASCADE"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("tags", sa.String(500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        fk("created_by_id", "account_user.id", ondelete="SET NULL", nullable=True),
        fk("updated_by_id", "account_user.id", ondelete="SET NULL", nullable=True),
        utc("created_at"),
        utc("updated_at"),
    )
    for column in ("organization_id", "engagement_id", "created_by_id", "updated_by_id"):
        op.create_index(f"ix_vault_item_{column}", "vault_item", [column])

    op.create_table(
        "vault_item_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        fk("item_id", "vault_item.id", ondelete="CASCADE"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        fk("created_by_id", "account_user.id", ondelete="SET NULL", nullable=True),
        utc("created_at"),
        sa.UniqueConstraint("item_id", "version", name="uq_vault_item_version"),
    )
    op.create_index("ix_vault_item_version_item_id", "vault_item_version", ["item_id"])
    op.create_index("ix_vault_item_version_created_by_id", "vault_item_version", ["created_by_id"])


def downgrade() -> None:
    op.drop_table("vault_item_version")
    op.drop_table("vault_item")
    op.drop_table("vault_data_key")
    with op.batch_alter_table("auth_session") as batch:
        batch.drop_column("reauthenticated_at")
