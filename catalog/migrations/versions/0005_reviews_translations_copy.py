"""Reviews, the translation cache and AI-written product copy (drafts and approvals).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "review",
        sa.Column("id", AutoString(), nullable=False),
        sa.Column("product_id", AutoString(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("title", AutoString(), nullable=False),
        sa.Column("text", AutoString(), nullable=False),
        sa.Column("author", AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_product_id"), ["product_id"], unique=False)
    op.create_table(
        "translation",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("key", AutoString(), nullable=False),
        sa.Column("locale", AutoString(), nullable=False),
        sa.Column("source_hash", AutoString(), nullable=False),
        sa.Column("source_text", AutoString(), nullable=False),
        sa.Column("text", AutoString(), nullable=False),
        sa.Column("generated_by", AutoString(), nullable=False),
        sa.Column("status", AutoString(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_by", AutoString(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("key", "locale", "source_hash"),
    )
    with op.batch_alter_table("translation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_translation_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_translation_locale"), ["locale"], unique=False)
        batch_op.create_index(batch_op.f("ix_translation_status"), ["status"], unique=False)
    op.create_table(
        "productcopy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", AutoString(), nullable=False),
        sa.Column("kind", AutoString(), nullable=False),
        sa.Column("tone", AutoString(), nullable=False),
        sa.Column("lang", AutoString(), nullable=False),
        sa.Column("text", AutoString(), nullable=False),
        sa.Column("status", AutoString(), nullable=False),
        sa.Column("ai_written", sa.Boolean(), nullable=False),
        sa.Column("generated_by", AutoString(), nullable=False),
        sa.Column("fallback", sa.Boolean(), nullable=False),
        sa.Column("rejected_drafts", sa.Integer(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=True),
        sa.Column("created_by", AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", AutoString(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("productcopy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_productcopy_product_id"), ["product_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_productcopy_status"), ["status"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("productcopy")
    op.drop_table("translation")
    op.drop_table("review")
