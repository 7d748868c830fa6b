"""Shared limits for several app processes: windowed counts and turn leases.

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

# catalog.shared_limits.WINDOW_FUNCTION as of this revision (PostgreSQL only)
WINDOW_FUNCTION = """
CREATE OR REPLACE FUNCTION shop_window_hit(
    p_key text, p_limit integer, p_window double precision, p_count boolean
) RETURNS double precision LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    t double precision := extract(epoch from clock_timestamp());
    width double precision := p_window / 10;
    cur bigint := floor(t / width);
    total bigint;
    oldest bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_key, 7));
    DELETE FROM windowcount WHERE key = p_key AND bucket <= cur - 10;
    IF p_limit IS NOT NULL THEN
        SELECT coalesce(sum(n), 0), min(bucket) INTO total, oldest
        FROM windowcount WHERE key = p_key;
        IF total >= p_limit THEN
            RETURN greatest((oldest + 10) * width - t, 0.001);
        END IF;
    END IF;
    IF p_count THEN
        INSERT INTO windowcount (key, bucket, n, expires)
        VALUES (p_key, cur, 1, (cur + 10) * width)
        ON CONFLICT (key, bucket) DO UPDATE SET n = windowcount.n + 1;
    END IF;
    RETURN NULL;
END
$$;
"""


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "windowcount",
        sa.Column("key", AutoString(length=200), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("expires", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", "bucket"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(WINDOW_FUNCTION)
        op.execute("ALTER TABLE windowcount SET UNLOGGED")  # counts: worthless after a crash
    op.create_table(
        "turnlease",
        sa.Column("conversation_id", AutoString(length=64), nullable=False),
        sa.Column("owner", AutoString(length=120), nullable=False),
        sa.Column("until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE turnlease SET UNLOGGED")


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("turnlease")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION IF EXISTS shop_window_hit(text, integer, double precision, boolean)"
        )
    op.drop_table("windowcount")
