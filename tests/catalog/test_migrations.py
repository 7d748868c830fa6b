"""Schema migrations (Alembic): a database made by the previous release upgrades in place
with its data intact, a new database is stamped at the newest revision, and after either
path the schema matches the models exactly (autogenerate finds nothing to do)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from catalog.config import DatabaseSettings
from catalog.conversations import Conversation, Message
from catalog.db import create_schema, drop_schema, head_revision, make_engine, schema_revision
from catalog.models import Order
from catalog.orders.records import AuditLog

RELEASE_0_1_0 = Path(__file__).parent / "fixtures" / "release_0_1_0.sql"


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    # SQLite cannot tell JSON from its own type names; nothing else may differ.
    return [d for d in diffs if not (isinstance(d, list) and d and d[0][0] == "modify_type")]


def test_a_database_made_by_0_1_0_upgrades_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as con:
        con.executescript(RELEASE_0_1_0.read_text())
    engine = make_engine(DatabaseSettings(url=f"sqlite:///{path}"))
    assert schema_revision(engine) is None
    create_schema(engine)  # what every start does
    assert schema_revision(engine) == head_revision()
    assert _differences(engine) == []
    with Session(engine) as s:
        conv = s.get(Conversation, "conv-010")
        assert conv is not None and conv.user_id == "ann_lee_1" and conv.scope_order_id is None
        texts = [m.content for m in s.exec(select(Message).order_by(col(Message.pk)))]
        assert texts[0].startswith("hello") and texts[1].startswith("Please confirm")
        assert s.get(Order, "#W1").status == "cancelled"  # type: ignore[union-attr]
        assert len(s.exec(select(AuditLog)).all()) == 1
    create_schema(engine)  # idempotent
    assert schema_revision(engine) == head_revision()
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_new_databases_are_stamped_and_match_the_models(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    if backend == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path}/new.db"
    engine = make_engine(DatabaseSettings(url=url))
    drop_schema(engine)
    create_schema(engine)
    assert schema_revision(engine) == head_revision()
    assert _differences(engine) == []
    drop_schema(engine)
    engine.dispose()


def test_the_baseline_then_every_migration_reaches_the_models(tmp_path: Path) -> None:
    from alembic import command

    from catalog.db import _alembic

    engine = make_engine(DatabaseSettings(url=f"sqlite:///{tmp_path}/steps.db"))
    with engine.begin() as conn:
        command.upgrade(_alembic(conn), "0001")
    assert schema_revision(engine) == "0001"
    assert _differences(engine) != []  # the baseline lacks later columns
    create_schema(engine)
    assert schema_revision(engine) == head_revision() and _differences(engine) == []
    engine.dispose()
