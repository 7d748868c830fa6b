"""Limits and guards that every app process shares: sliding windows and turn leases.

Rate limits, failed-verification counters and login throttles count events per key over
a sliding window (:class:`Windows`); "one turn in flight per conversation" is a lease
(:class:`Leases`). On PostgreSQL both live in the database, so any number of app
processes (``shopassist serve --workers N``, or several hosts) see one count and one
lease; each key is serialised by a transaction-scoped advisory lock. On SQLite, which
serves one process, they live in that process's memory. :func:`shared_state` picks.

A lease carries an expiry (the turn time-out): a process that dies mid-turn does not
block its conversation for longer than that.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections import deque
from typing import Protocol

from sqlalchemy import BigInteger, Engine, Integer, text
from sqlmodel import Field, SQLModel

# a count older than this is dropped by the occasional sweep (the longest window is 15 min)
SWEEP_AFTER_S = 3600.0
SWEEP_EVERY = 500
_ID = BigInteger().with_variant(Integer(), "sqlite")


class WindowHit(SQLModel, table=True):
    """One counted event of a shared sliding window (PostgreSQL only)."""

    # 64-bit: the ids of counted events run past 2**31 on a busy shop
    id: int | None = Field(default=None, primary_key=True, sa_type=_ID)
    key: str = Field(index=True, max_length=200)
    at: float  # seconds since the epoch, the database's clock


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


class Leases(Protocol):
    """One holder per key at a time (a turn in flight per conversation)."""

    def acquire(self, key: str, ttl_s: float) -> str | None:
        """Take the lease for ``ttl_s`` seconds: its token, or None when it is held."""
        ...

    def release(self, key: str, token: str) -> None:
        """Give the lease back (only the holder's token does)."""
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

    def release(self, key: str, token: str) -> None:
        """Give the lease back (only the holder's token does)."""
        with self._lock:
            held = self._held.get(key)
            if held is not None and held[0] == token:
                del self._held[key]


_NOW = "extract(epoch from clock_timestamp())"


class PostgresWindows:
    """Sliding windows in PostgreSQL, shared by every process on the database."""

    def __init__(self, engine: Engine) -> None:
        """Count in ``engine``'s ``windowhit`` table."""
        self.engine = engine
        self._calls = 0

    def _window(self, key: str, limit: int | None, window_s: float, count: bool) -> float | None:
        with self.engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 7))"), {"k": key})
            now = float(conn.execute(text(f"SELECT {_NOW}")).scalar_one())
            conn.execute(
                text("DELETE FROM windowhit WHERE key = :k AND at <= :edge"),
                {"k": key, "edge": now - window_s},
            )
            if limit is not None:
                n, first = conn.execute(
                    text("SELECT count(*), min(at) FROM windowhit WHERE key = :k"), {"k": key}
                ).one()
                if n >= limit:
                    return window_s - (now - float(first))
            if count:
                conn.execute(
                    text("INSERT INTO windowhit (key, at) VALUES (:k, :at)"), {"k": key, "at": now}
                )
        self._sweep()
        return None

    def _sweep(self) -> None:
        """Now and then drop the counts of keys nobody hit again."""
        self._calls += 1
        if self._calls % SWEEP_EVERY:
            return
        with self.engine.begin() as conn:
            conn.execute(
                text(f"DELETE FROM windowhit WHERE at < {_NOW} - :age"), {"age": SWEEP_AFTER_S}
            )

    def hit(self, key: str, limit: int, window_s: float) -> float | None:
        """Count one event unless ``limit`` is reached: None, else seconds to wait."""
        return self._window(key, limit, window_s, count=True)

    def wait_s(self, key: str, limit: int, window_s: float) -> float | None:
        """Count nothing: None when below ``limit``, else seconds until one expires."""
        return self._window(key, limit, window_s, count=False)

    def add(self, key: str, window_s: float) -> None:
        """Count one event without a limit."""
        self._window(key, None, window_s, count=True)


class PostgresLeases:
    """Leases in PostgreSQL: one turn in flight per conversation across processes."""

    def __init__(self, engine: Engine) -> None:
        """Hold leases in ``engine``'s ``turnlease`` table."""
        self.engine = engine
        self.owner = f"{socket.gethostname()}:{os.getpid()}"[:80]

    def acquire(self, key: str, ttl_s: float) -> str | None:
        """Take the lease for ``ttl_s`` seconds: its token, or None when it is held."""
        token = f"{self.owner}:{uuid.uuid4().hex[:32]}"
        with self.engine.begin() as conn:
            got = conn.execute(
                text(
                    "INSERT INTO turnlease (conversation_id, owner, until) "
                    f"VALUES (:k, :o, {_NOW} + :ttl) "
                    "ON CONFLICT (conversation_id) DO UPDATE "
                    "SET owner = EXCLUDED.owner, until = EXCLUDED.until "
                    f"WHERE turnlease.until < {_NOW} RETURNING owner"
                ),
                {"k": key, "o": token, "ttl": ttl_s},
            ).first()
        return token if got is not None else None

    def release(self, key: str, token: str) -> None:
        """Give the lease back (only the holder's token does)."""
        with self.engine.begin() as conn:
            conn.execute(
                text("DELETE FROM turnlease WHERE conversation_id = :k AND owner = :o"),
                {"k": key, "o": token},
            )


def shared_state(engine: Engine | None) -> tuple[Windows, Leases]:
    """Return the windows and leases for ``engine``: PostgreSQL's, else this process's."""
    if engine is not None and engine.dialect.name == "postgresql":
        return PostgresWindows(engine), PostgresLeases(engine)
    return MemoryWindows(), MemoryLeases()


def is_shared(engine: Engine | None) -> bool:
    """Return True when limits and leases are shared between processes (PostgreSQL)."""
    return engine is not None and engine.dialect.name == "postgresql"
