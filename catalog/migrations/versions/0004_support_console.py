"""Support console: conversation states, handoff events, CSAT, staff, proposal authors.

Conversation states become bot | waiting_for_agent | with_agent | closed (``active`` →
``bot``, ``escalated`` → ``waiting_for_agent``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("handoff_reason", AutoString(), nullable=True))
        batch_op.add_column(sa.Column("waiting_since", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("agent_joined_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("resolution", AutoString(), nullable=True))
        batch_op.add_column(sa.Column("lang", AutoString(), nullable=True))
        batch_op.add_column(sa.Column("sentiment", sa.Float(), nullable=True))
        batch_op.create_index(batch_op.f("ix_conversation_status"), ["status"], unique=False)
    conv = sa.table(
        "conversation",
        sa.column("status", AutoString()),
        sa.column("handoff_reason", AutoString()),
        sa.column("waiting_since", sa.DateTime()),
        sa.column("updated_at", sa.DateTime()),
    )
    op.execute(conv.update().where(conv.c.status == "active").values(status="bot"))
    op.execute(
        conv.update()
        .where(conv.c.status == "escalated")
        .values(
            status="waiting_for_agent",
            handoff_reason="shopper_asked",
            waiting_since=conv.c.updated_at,
        )
    )
    with op.batch_alter_table("pendingaction", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("proposed_by", AutoString(), nullable=False, server_default="")
        )
    with op.batch_alter_table("auditlog", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor", AutoString(), nullable=False, server_default=""))

    op.create_table(
        "staffuser",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", AutoString(), nullable=False),
        sa.Column("name", AutoString(), nullable=False),
        sa.Column("role", AutoString(), nullable=False),
        sa.Column("password_hash", AutoString(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staffuser", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staffuser_email"), ["email"], unique=True)
    op.create_table(
        "staffsession",
        sa.Column("token_hash", AutoString(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("csrf", AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staffuser.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("staffsession", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staffsession_staff_id"), ["staff_id"], unique=False)
    op.create_table(
        "handoffevent",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("conversation_id", AutoString(), nullable=False),
        sa.Column("from_state", AutoString(), nullable=False),
        sa.Column("to_state", AutoString(), nullable=False),
        sa.Column("actor", AutoString(), nullable=False),
        sa.Column("reason", AutoString(), nullable=False),
        sa.Column("note", AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.PrimaryKeyConstraint("pk"),
    )
    with op.batch_alter_table("handoffevent", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handoffevent_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_handoffevent_created_at"), ["created_at"], unique=False
        )
    op.create_table(
        "csat",
        sa.Column("conversation_id", AutoString(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"]),
        sa.PrimaryKeyConstraint("conversation_id"),
    )
    with op.batch_alter_table("csat", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_csat_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("csat")
    op.drop_table("handoffevent")
    op.drop_table("staffsession")
    op.drop_table("staffuser")
    with op.batch_alter_table("auditlog", schema=None) as batch_op:
        batch_op.drop_column("actor")
    with op.batch_alter_table("pendingaction", schema=None) as batch_op:
        batch_op.drop_column("proposed_by")
    conv = sa.table("conversation", sa.column("status", AutoString()))
    op.execute(conv.update().where(conv.c.status == "bot").values(status="active"))
    op.execute(
        conv.update()
        .where(conv.c.status.in_(["waiting_for_agent", "with_agent"]))
        .values(status="escalated")
    )
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_status"))
        for name in (
            "sentiment",
            "lang",
            "resolution",
            "closed_at",
            "agent_joined_at",
            "waiting_since",
            "handoff_reason",
            "agent_id",
        ):
            batch_op.drop_column(name)
