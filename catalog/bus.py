"""One event bus between chats and the support console, in-process or over PostgreSQL.

Events are notifications (``topic``, ``kind``, ``data``); the messages themselves are
stored first, so a subscriber that missed an event loses nothing and can reload.

* :class:`MemoryBus` delivers inside one process (SQLite, tests, a single server).
* :class:`PostgresBus` sends every event through ``NOTIFY`` and listens with ``LISTEN``,
  so several app processes on one database see each other's events. Payloads above
  PostgreSQL's 8000-byte limit are sent without their ``data`` and marked ``truncated``;
  subscribers reload what they need from the store.

Topics: ``conv:<id>`` (what the shopper's widget and the agent's open chat show) and
``console`` (the queue).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger(__name__)
CHANNEL = "shopassist_events"
MAX_PAYLOAD = 7900
QUEUE_SIZE = 1000


@dataclass(frozen=True)
class Event:
    """One notification on a topic."""

    topic: str
    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    truncated: bool = False


class Subscription:
    """Events of one topic for one subscriber; iterate it, close it when done."""

    def __init__(self, bus: _Fanout, topic: str) -> None:
        """Receive ``topic``'s events from ``bus``."""
        self.bus = bus
        self.topic = topic
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=QUEUE_SIZE)

    def __aiter__(self) -> AsyncIterator[Event]:
        """Iterate events as they come."""
        return self._iter()

    async def _iter(self) -> AsyncIterator[Event]:
        while True:
            yield await self.queue.get()

    async def get(self) -> Event:
        """Return the next event (wrap in ``asyncio.timeout`` to bound the wait)."""
        return await self.queue.get()

    def close(self) -> None:
        """Stop receiving."""
        self.bus._unsubscribe(self)


class EventBus(Protocol):
    """What the chat service and the console need of a bus."""

    async def publish(self, topic: str, kind: str, data: dict[str, Any]) -> None:
        """Send an event to every subscriber of ``topic`` (in every process)."""
        ...

    def subscribe(self, topic: str) -> Subscription:
        """Start receiving ``topic``'s events."""
        ...

    async def start(self) -> None:
        """Connect (a no-op for the in-process bus)."""
        ...

    async def close(self) -> None:
        """Disconnect."""
        ...


class _Fanout:
    """Local delivery to the subscriptions of this process."""

    def __init__(self) -> None:
        self._subs: dict[str, set[Subscription]] = {}

    def subscribe(self, topic: str) -> Subscription:
        """Start receiving ``topic``'s events."""
        sub = Subscription(self, topic)
        self._subs.setdefault(topic, set()).add(sub)
        return sub

    def _unsubscribe(self, sub: Subscription) -> None:
        subs = self._subs.get(sub.topic)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                self._subs.pop(sub.topic, None)

    def _deliver(self, event: Event) -> None:
        for sub in list(self._subs.get(event.topic, ())):
            if sub.queue.full():  # a stuck reader: drop its oldest notification
                with contextlib.suppress(asyncio.QueueEmpty):
                    sub.queue.get_nowait()
            sub.queue.put_nowait(event)

    def subscribers(self, topic: str) -> int:
        """How many local subscriptions ``topic`` has (for tests and metrics)."""
        return len(self._subs.get(topic, ()))


class MemoryBus(_Fanout):
    """The in-process bus: one app process sees its own events."""

    async def publish(self, topic: str, kind: str, data: dict[str, Any]) -> None:
        """Deliver to this process's subscribers."""
        self._deliver(Event(topic, kind, dict(data)))

    async def start(self) -> None:
        """Nothing to connect."""

    async def close(self) -> None:
        """Nothing to disconnect."""


def encode(event: Event) -> str:
    """Return the NOTIFY payload of ``event`` (without its data if it is too large)."""
    payload = json.dumps({"t": event.topic, "k": event.kind, "d": event.data}, default=str)
    if len(payload.encode()) <= MAX_PAYLOAD:
        return payload
    keep = {k: v for k, v in event.data.items() if k in ("message_id", "conversation_id")}
    return json.dumps({"t": event.topic, "k": event.kind, "d": keep, "x": 1})


def decode(payload: str) -> Event | None:
    """Parse a NOTIFY payload (None if it is not one of ours)."""
    try:
        raw = json.loads(payload)
        return Event(str(raw["t"]), str(raw["k"]), dict(raw.get("d") or {}), bool(raw.get("x")))
    except (ValueError, KeyError, TypeError):
        return None


def libpq_url(sqlalchemy_url: str) -> str:
    """Turn ``postgresql+psycopg://…`` into the plain libpq URL psycopg connects with."""
    scheme, sep, rest = sqlalchemy_url.partition("://")
    return "postgresql://" + rest if sep and scheme.startswith("postgresql") else sqlalchemy_url


class PostgresBus(_Fanout):
    """The bus over PostgreSQL ``LISTEN/NOTIFY``: every app process on the database sees it."""

    def __init__(self, url: str, *, reconnect_s: float = 1.0) -> None:
        """Connect to ``url`` (an SQLAlchemy or libpq PostgreSQL URL) on :meth:`start`."""
        super().__init__()
        self.url = libpq_url(url)
        self.reconnect_s = reconnect_s
        self._listener: asyncio.Task[None] | None = None
        self._send: Any = None
        self._send_lock = asyncio.Lock()
        self._ready = asyncio.Event()

    async def start(self) -> None:
        """Open the listening connection (waits until LISTEN is in place)."""
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen())
        await asyncio.wait_for(self._ready.wait(), timeout=15)

    async def _listen(self) -> None:
        import psycopg

        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self._ready.set()
                    async for note in conn.notifies():
                        event = decode(note.payload)
                        if event is not None:
                            self._deliver(event)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep listening after a dropped link
                log.warning("event bus connection lost (%s); reconnecting", type(exc).__name__)
                await asyncio.sleep(self.reconnect_s)

    async def publish(self, topic: str, kind: str, data: dict[str, Any]) -> None:
        """NOTIFY every process (this one included, through its own LISTEN)."""
        import psycopg

        payload = encode(Event(topic, kind, dict(data)))
        async with self._send_lock:
            for attempt in (1, 2):
                try:
                    if self._send is None or self._send.closed:
                        self._send = await psycopg.AsyncConnection.connect(
                            self.url, autocommit=True
                        )
                    await self._send.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
                    return
                except psycopg.OperationalError:
                    self._send = None
                    if attempt == 2:
                        raise

    async def close(self) -> None:
        """Stop listening and close both connections."""
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
            self._listener = None
        if self._send is not None:
            with contextlib.suppress(Exception):
                await self._send.close()
            self._send = None
