"""Limits and guards that every app process shares: sliding windows and turn leases.

Rate limits, failed-verification counters and login throttles count events per key over
a sliding window (:class:`Windows`); "one turn in flight per conversation" is a lease
(:class:`Leases`). On PostgreSQL both live in the database, so any number of app
processes (``shopassist serve --workers N``, or several hosts) see one count and one
lease; each key is serialised by a transaction-scoped advisory lock, and counted in
tenths of its window (a key holds at most 11 rows, however busy). On SQLite, which
serves one process, they live in that process's memory. :func:`shared_windows` and
:func:`shared_leases` pick.

A lease carries an expiry (the turn time-out): a process that dies mid-turn does not
block its conversation for longer than that.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
import uuid
from collections import deque
from typing import Any, Protocol, TypeGuard

from sqlalchemy import DDL, BigInteger, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlmodel import Field, SQLModel

from catalog.bus import libpq_url

# every this many counts, a process drops the buckets of keys nobody counted again
SWEEP_EVERY = 500


class WindowCount(SQLModel, table=True):
    """Events of one key in one tenth of its window (PostgreSQL only).

    A key holds at most 11 rows (ten tenths and the current one) however many events it
    counts, so a busy key (every shopper behind one proxy address) costs the same as a
    quiet one.
    """

    key: str = Field(primary_key=True, max_length=200)
    bucket: int = Field(primary_key=True, sa_type=BigInteger)  # floor(time / (window/10))
    n: int
    expires: float  # when the bucket has left the window (seconds since the epoch)


# One round trip per count: lock the key, drop the buckets that left the window, sum the
# rest, add one. (Each statement in a VOLATILE function sees rows committed before it, so
# the sum taken after the lock includes every earlier holder's count.) The window is
# counted in tenths: an event leaves it between 0.9 and 1.0 window after it happened.
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

event.listen(
    WindowCount.__table__,  # type: ignore[attr-defined]
    "after_create",
    DDL(WINDOW_FUNCTION).execute_if(dialect="postgresql"),  # type: ignore[no-untyped-call]
)
# Counts and leases are worth nothing after a database crash (limits restart, turns in
# flight are gone): PostgreSQL keeps them out of the write-ahead log, and the limit
# connections commit without waiting for a disk flush (synchronous_commit=off).
UNLOGGED = "ALTER TABLE {} SET UNLOGGED"
LIMIT_SESSION = "-c synchronous_commit=off"
event.listen(
    WindowCount.__table__,  # type: ignore[attr-defined]
    "after_create",
    DDL(UNLOGGED.format("windowcount")).execute_if(dialect="postgresql"),  # type: ignore[no-untyped-call]
)


class TurnLease(SQLModel, table=True):
    """The conversation that has a turn in flight, who runs it, and until when."""

    conversation_id: str = Field(primary_key=True, max_length=64)
    owner: str = Field(max_length=120)
    until: float  # seconds since the epoch, the database's clock


class Windows(Protocol):
    """Counts events per key over a sliding window."""

    def hit(self, key: str, limit: int, window_s: float) -> float | None:
        """Count one event unless ``limit`` is reached: None, else seconds to wait."""
        ...

    def wait_s(self, key: str, limit: int, window_s: float) -> float | None:
        """Count nothing: None when below ``limit``, else seconds until one expires."""
        ...

    def add(self, key: str, window_s: float) -> None:
        """Count one event without a limit (a failure counted for later checks)."""
        ...

    async def ahit(self, key: str, limit: int, window_s: float) -> float | None:
        """:meth:`hit`, awaited on the event loop."""
        ...


class Leases(Protocol):
    """One holder per key at a time (a turn in flight per conversation)."""

    def acquire(self, key: str, ttl_s: float) -> str | None:
        """Take the lease for ``ttl_s`` seconds: its token, or None when it is held."""
        ...

    def release(self, key: str, token: str) -> None:
        """Give the lease back (only the holder's token does)."""
        ...

    async def aacquire(self, key: str, ttl_s: float) -> str | None:
        """:meth:`acquire`, awaited on the event loop."""
        ...

    async def arelease(self, key: str, token: str) -> None:
        """:meth:`release`, awaited on the event loop."""
        ...


class MemoryWindows:
    """Sliding windows in this process's memory (at most ``max_keys`` keys)."""

    def __init__(self, max_keys: int = 100_000) -> None:
        """Keep at most ``max_keys`` keys; the stalest are dropped first."""
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._windows: dict[str, float] = {}
        self._lock = threading.Lock()

    def _live(self, key: str, window_s: float, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self.max_keys:
                self._prune(now)
            hits = self._hits[key] = deque()
        self._windows[key] = window_s
        while hits and now - hits[0] > window_s:
            hits.popleft()
        return hits

    def hit(self, key: str, limit: int, window_s: float) -> float | None:
        """Count one event unless ``limit`` is reached: None, else seconds to wait."""
        now = time.monotonic()
        with self._lock:
            hits = self._live(key, window_s, now)
            if len(hits) >= limit:
                return window_s - (now - hits[0])
            hits.append(now)
            return None

    def wait_s(self, key: str, limit: int, window_s: float) -> float | None:
        """Count nothing: None when below ``limit``, else seconds until one expires."""
        now = time.monotonic()
        with self._lock:
            hits = self._live(key, window_s, now)
            return window_s - (now - hits[0]) if len(hits) >= limit else None

    async def ahit(self, key: str, limit: int, window_s: float) -> float | None:
        """:meth:`hit` (memory: no wait)."""
        return self.hit(key, limit, window_s)

    def add(self, key: str, window_s: float) -> None:
        """Count one event without a limit."""
        now = time.monotonic()
        with self._lock:
            self._live(key, window_s, now).append(now)

    def _prune(self, now: float) -> None:
        stale = [
            k for k, v in self._hits.items() if not v or now - v[-1] > self._windows.get(k, 0.0)
        ]
        for key in stale:
            del self._hits[key]
            self._windows.pop(key, None)
        while len(self._hits) >= self.max_keys:
            key = next(iter(self._hits))
            del self._hits[key]
            self._windows.pop(key, None)


class MemoryLeases:
    """Leases in this process's memory."""

    def __init__(self) -> None:
        """Start with no lease held."""
        self._held: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str, ttl_s: float) -> str | None:
        """Take the lease for ``ttl_s`` seconds: its token, or None when it is held."""
        now = time.monotonic()
        with self._lock:
            held = self._held.get(key)
            if held is not None and held[1] > now:
                return None
            token = uuid.uuid4().hex
            self._held[key] = (token, now + ttl_s)
            return token

    async def aacquire(self, key: str, ttl_s: float) -> str | None:
        """:meth:`acquire` (memory: no wait)."""
        return self.acquire(key, ttl_s)

    async def arelease(self, key: str, token: str) -> None:
        """:meth:`release` (memory: no wait)."""
        self.release(key, token)

    def release(self, key: str, token: str) -> None:
        """Give the lease back (only the holder's token does)."""
        with self._lock:
            held = self._held.get(key)
            if held is not None and held[0] == token:
                del self._held[key]


_NOW = "extract(epoch from clock_timestamp())"


class _Statements:
    """Single statements on a small pool of their own: autocommit, no ping per checkout.

    The limits run on every message; a ping and a transaction per call would triple the
    round trips. A connection the server dropped fails once and is retried on a new one.
    """

    def __init__(self, engine: Engine) -> None:
        """Open a pool of up to 8 connections to ``engine``'s database."""
        self.engine = create_engine(
            engine.url,
            isolation_level="AUTOCOMMIT",
            pool_size=2,
            max_overflow=6,
            pool_pre_ping=False,
            pool_recycle=600,
            connect_args={"options": LIMIT_SESSION},
        )

    def run(self, sql: str, params: tuple[Any, ...]) -> Any:
        """Execute one statement (``%s`` placeholders); return its first row or None."""
        for attempt in (1, 2):
            try:
                with self.engine.connect() as conn:
                    result = conn.exec_driver_sql(sql, params)
                    return result.first() if result.returns_rows else None
            except DBAPIError as exc:
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        return None  # pragma: no cover - the loop returns or raises


class _AsyncStatements:
    """The same single statements from the event loop, on a few async connections per loop.

    A turn's limit and lease statements run here: a thread hop per statement would wait
    for the GIL behind a busy event loop (tens of ms each under load, see bench/load.py),
    while an awaited statement costs the loop only its round trip. Up to ``size``
    statements run at once, each on its own connection.
    """

    def __init__(self, engine: Engine, size: int = 2) -> None:
        """Connect lazily to ``engine``'s database (psycopg, autocommit)."""
        self.url = libpq_url(engine.url.render_as_string(hide_password=False))
        self.size = size
        self._loop: asyncio.AbstractEventLoop | None = None
        self._free: asyncio.Queue[Any] | None = None

    def _pool(self) -> asyncio.Queue[Any]:
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._free is None:
            self._loop, self._free = loop, asyncio.Queue()
            for _ in range(self.size):
                self._free.put_nowait(None)  # a slot; its connection opens on first use
        return self._free

    async def run(self, sql: str, params: tuple[Any, ...]) -> Any:
        """Execute one statement (``%s`` placeholders); return its first row or None."""
        import psycopg

        free = self._pool()
        conn = await free.get()
        try:
            for attempt in (1, 2):
                try:
                    if conn is None or conn.closed:
                        conn = await psycopg.AsyncConnection.connect(
                            self.url, autocommit=True, options=LIMIT_SESSION
                        )
                    cur = await conn.execute(sql, params)
                    return await cur.fetchone() if cur.description else None
                except psycopg.OperationalError:
                    conn = None
                    if attempt == 2:
                        raise
            return None  # pragma: no cover - the loop returns or raises
        finally:
            free.put_nowait(conn)


_HIT = "SELECT shop_window_hit(%s, %s, %s, %s)"
_SWEEP = f"DELETE FROM windowcount WHERE expires < {_NOW}"


def _wait_of(row: Any) -> float | None:
    """Return the seconds to wait ``shop_window_hit`` gave (None: counted, or below)."""
    wait = row[0] if row is not None else None
    return None if wait is None else float(wait)


class PostgresWindows:
    """Sliding windows in PostgreSQL, shared by every process on the database."""

    def __init__(self, engine: Engine) -> None:
        """Count in ``engine``'s ``windowcount`` table (its ``shop_window_hit`` function)."""
        self.db = _Statements(engine)
        self.adb = _AsyncStatements(engine)
        self._counted = 0

    def _sweep_due(self) -> bool:
        """After every ``SWEEP_EVERY`` counts: time to drop the buckets nobody hit again."""
        self._counted += 1
        return self._counted % SWEEP_EVERY == 0

    def _window(self, key: str, limit: int | None, window_s: float, count: bool) -> float | None:
        row = self.db.run(_HIT, (key, limit, window_s, count))
        if count and self._sweep_due():
            self.db.run(_SWEEP, ())
        return _wait_of(row)

    async def ahit(self, key: str, limit: int, window_s: float) -> float | None:
        """:meth:`hit` awaited on the event loop (no thread)."""
        row = await self.adb.run(_HIT, (key, limit, window_s, True))
        if self._sweep_due():
            await self.adb.run(_SWEEP, ())
        return _wait_of(row)

    def hit(self, key: str, limit: int, window_s: float) -> float | None:
        """Count one event unless ``limit`` is reached: None, else seconds to wait."""
        return self._window(key, limit, window_s, count=True)

    def wait_s(self, key: str, limit: int, window_s: float) -> float | None:
        """Count nothing: None when below ``limit``, else seconds until one expires."""
        return self._window(key, limit, window_s, count=False)

    def add(self, key: str, window_s: float) -> None:
        """Count one event without a limit."""
        self._window(key, None, window_s, count=True)


_ACQUIRE = (
    "INSERT INTO turnlease (conversation_id, owner, until) "
    f"VALUES (%s, %s, {_NOW} + %s) "
    "ON CONFLICT (conversation_id) DO UPDATE "
    "SET owner = EXCLUDED.owner, until = EXCLUDED.until "
    f"WHERE turnlease.until < {_NOW} RETURNING owner"
)
_RELEASE = "DELETE FROM turnlease WHERE conversation_id = %s AND owner = %s"


class PostgresLeases:
    """Leases in PostgreSQL: one turn in flight per conversation across processes."""

    def __init__(self, engine: Engine) -> None:
        """Hold leases in ``engine``'s ``turnlease`` table (one statement per call)."""
        self.db = _Statements(engine)
        self.adb = _AsyncStatements(engine)
        self.owner = f"{socket.gethostname()}:{os.getpid()}"[:80]

    def _token(self) -> str:
        return f"{self.owner}:{uuid.uuid4().hex[:32]}"

    def acquire(self, key: str, ttl_s: float) -> str | None:
        """Take the lease for ``ttl_s`` seconds: its token, or None when it is held."""
        token = self._token()
        return token if self.db.run(_ACQUIRE, (key, token, ttl_s)) is not None else None

    async def aacquire(self, key: str, ttl_s: float) -> str | None:
        """:meth:`acquire` awaited on the event loop (no thread)."""
        token = self._token()
        return token if await self.adb.run(_ACQUIRE, (key, token, ttl_s)) is not None else None

    def release(self, key: str, token: str) -> None:
        """Give the lease back (only the holder's token does)."""
        self.db.run(_RELEASE, (key, token))

    async def arelease(self, key: str, token: str) -> None:
        """:meth:`release` awaited on the event loop (no thread)."""
        await self.adb.run(_RELEASE, (key, token))


def is_shared(engine: Engine | None) -> TypeGuard[Engine]:
    """Return True when limits and leases are shared between processes (PostgreSQL)."""
    return engine is not None and engine.dialect.name == "postgresql"


def shared_windows(engine: Engine | None) -> Windows:
    """Return the windows for ``engine``: PostgreSQL's, else this process's memory."""
    return PostgresWindows(engine) if is_shared(engine) else MemoryWindows()


def shared_leases(engine: Engine | None) -> Leases:
    """Return the leases for ``engine``: PostgreSQL's, else this process's memory."""
    return PostgresLeases(engine) if is_shared(engine) else MemoryLeases()
