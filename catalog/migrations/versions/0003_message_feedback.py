"""Thumbs up/down feedback on assistant replies.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "messagefeedback",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("message_id", AutoString(), nullable=False),
        sa.Column("conversation_id", AutoString(), nullable=False),
        sa.Column("rating", AutoString(), nullable=False),
        sa.Column("reason", AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["message.message_id"]),
        sa.PrimaryKeyConstraint("pk"),
    )
    with op.batch_alter_table("messagefeedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_messagefeedback_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_messagefeedback_message_id"), ["message_id"], unique=True
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("messagefeedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_messagefeedback_message_id"))
        batch_op.drop_index(batch_op.f("ix_messagefeedback_conversation_id"))
    op.drop_table("messagefeedback")
