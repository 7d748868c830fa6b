"""Shared limits for several app processes: sliding-window counts and turn leases.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "windowhit",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("key", AutoString(length=200), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("windowhit") as batch:
        batch.create_index(batch.f("ix_windowhit_key"), ["key"], unique=False)
    op.create_table(
        "turnlease",
        sa.Column("conversation_id", AutoString(length=64), nullable=False),
        sa.Column("owner", AutoString(length=120), nullable=False),
        sa.Column("until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("turnlease")
    with op.batch_alter_table("windowhit") as batch:
        batch.drop_index(batch.f("ix_windowhit_key"))
    op.drop_table("windowhit")
