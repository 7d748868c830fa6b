"""Imported catalogs: variant details (SKU, compare-at price, stock, image), shop settings.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("variant") as batch:
        batch.add_column(sa.Column("details", sa.JSON(), nullable=True))
    op.create_table(
        "shopsetting",
        sa.Column("key", AutoString(), nullable=False),
        sa.Column("value", AutoString(), nullable=False),
        sa.Column("updated_at", AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("shopsetting")
    with op.batch_alter_table("variant") as batch:
        batch.drop_column("details")
