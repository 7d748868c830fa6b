"""Carts: a guest conversation's or a customer's lines of variants (conversational cart).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 02:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "cart",
        sa.Column("id", AutoString(), nullable=False),
        sa.Column("conversation_id", AutoString(), nullable=True),
        sa.Column("user_id", AutoString(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cart_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cart_user_id"), ["user_id"], unique=False)
    op.create_table(
        "cartline",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("cart_id", AutoString(), nullable=False),
        sa.Column("product_id", AutoString(), nullable=False),
        sa.Column("variant_id", AutoString(), nullable=False),
        sa.Column("name", AutoString(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Float(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cart_id"], ["cart.id"]),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("cart_id", "variant_id"),
    )
    with op.batch_alter_table("cartline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cartline_cart_id"), ["cart_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("cartline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cartline_cart_id"))
    op.drop_table("cartline")
    with op.batch_alter_table("cart", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cart_user_id"))
        batch_op.drop_index(batch_op.f("ix_cart_conversation_id"))
    op.drop_table("cart")
