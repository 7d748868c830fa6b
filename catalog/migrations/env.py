"""Alembic environment: runs on the connection :func:`catalog.db.migrate` passes in."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from catalog import conversations, models  # noqa: F401 (registers the tables)
from catalog.orders import records  # noqa: F401

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through catalog.db.migrate(engine)")
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite can only change columns by copying the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
