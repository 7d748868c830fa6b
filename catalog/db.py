"""Database engine creation and schema setup for SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine, select

from catalog import (  # noqa: F401 (registers the tables)
    apikeys,
    carts,
    conversations,
    copywriting,
    models,
    reviews,
    shared_limits,
    support,
    translations,
)
from catalog.config import DatabaseSettings
from catalog.errors import InvalidInputError
from catalog.orders import records  # noqa: F401
from catalog.sync import profile  # noqa: F401


def make_engine(settings: DatabaseSettings) -> Engine:
    """Create an engine for ``settings.url``, creating the SQLite file's folder if needed."""
    url = settings.url
    if not url:
        raise InvalidInputError(
            "no database URL: set SHOP_DATABASE_URL (or build Settings, "
            "which puts SQLite under data_dir)"
        )
    # Error messages and logs never carry SQL parameters (message text, emails) unless echo.
    kwargs: dict[str, object] = {"echo": settings.echo, "hide_parameters": not settings.echo}
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: no fsync per commit, never corrupt; only a power cut may lose
            # the last commits (a crashed process loses nothing).
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    return engine


@contextmanager
def connection(engine: Engine, conn: Connection | None = None) -> Iterator[Connection]:
    """Yield the caller's ``conn`` as is, or a fresh connection of ``engine`` closed after.

    Lets a hot path share one pooled connection among several reads (one checkout, and on
    PostgreSQL one pre-ping) while each read still works on its own.
    """
    if conn is not None:
        yield conn
        return
    with engine.connect() as own:
        yield own


_WRITE_LOCKS: dict[int, threading.Lock] = {}


def write_lock(engine: Engine) -> AbstractContextManager[object]:
    """Serialize this process's write transactions on SQLite (a no-op elsewhere).

    SQLite has one writer at a time; threads that collide wait in its busy handler, which
    sleeps up to 100 ms between tries. Queuing on a lock instead hands the write lock over
    at once, which keeps many concurrent chats fast.
    """
    if engine.dialect.name != "sqlite":
        return nullcontext()
    return _WRITE_LOCKS.setdefault(id(engine), threading.Lock())


BASELINE = "0001"


def _alembic(connection: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def schema_revision(engine: Engine) -> str | None:
    """Return the database's Alembic revision (None: not under migrations yet)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """Return the newest migration's revision id."""
    with _null_connection() as conn:
        head = ScriptDirectory.from_config(_alembic(conn)).get_current_head()
    assert head is not None
    return head


@contextmanager
def _null_connection() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def create_schema(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent, safe on every start).

    * empty database: create every table from the models and stamp the newest revision;
    * tables but no revision (made by 0.1.0, before migrations): stamp the baseline, then
      upgrade;
    * otherwise: upgrade to the newest revision.
    """
    with engine.begin() as conn:
        cfg = _alembic(conn)
        current = MigrationContext.configure(conn).get_current_revision()
        if current is None:
            existing = set(inspect(conn).get_table_names())
            ours = set(SQLModel.metadata.tables)
            if existing & ours:
                command.stamp(cfg, BASELINE)
            else:
                SQLModel.metadata.create_all(conn)
                command.stamp(cfg, "head")
                return
        command.upgrade(cfg, "head")


def drop_schema(engine: Engine) -> None:
    """Drop every table of this project and the migration marker (tests and re-imports)."""
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def has_catalog(engine: Engine) -> bool:
    """Return True when the product table exists and holds at least one product."""
    if not inspect(engine).has_table("product"):
        return False
    with Session(engine) as session:
        return session.exec(select(models.Product.id).limit(1)).first() is not None
