"""Where a chat turn's two store hops run: a store thread, or a store process.

Threads keep the event loop free, but they share Python's GIL with it. A turn's store
work makes ~30 short SQLite calls, each of which lets go of the GIL and then waits to get
it back from the busy loop: measured alone 0.4 ms of CPU per turn, next to a busy
Python thread 4.8 ms and 76 ms of wall time. With 200 concurrent chats on 2 cores that
contention, not the database, was the server's whole overhead (``bench/load.py``).

``ProcessHops`` runs the hops in one child process (``python -m assistant.store_process``)
with its own interpreter, engine and ``TurnStore``. The event loop talks to it over a
socket pair with asyncio streams (no thread on this side): first the spec (database
settings and limits, never on a command line), then per call a length-prefixed pickle
``(id, method, args)``, answered by ``(id, ok, value)``. The child answers in order, one
call at a time, like the one SQLite writer. If it dies, the calls in flight fail with a
typed ``StoreProcessError`` (each hop commits before it answers, so nothing is left half
written) and the next call starts a new one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
import socket
import struct
import sys
from dataclasses import dataclass
from typing import Any

from assistant.conversations import ConversationHead
from assistant.errors import StoreProcessError
from assistant.mood.reading import MoodReading
from assistant.turn_store import TurnStore
from assistant.turns import OpenedTurn
from catalog.config import DatabaseSettings
from catalog.errors import ShopError
from catalog.store_threads import StoreThreads

log = logging.getLogger(__name__)
_HEADER = struct.Struct("!I")
_METHODS = ("open", "open_bot", "finish")
_CLOSED: Any = object()


class TurnHops:
    """The two store hops of a chat turn (and ``open_bot`` for a reopened chat).

    Subclasses say where ``TurnStore``'s method runs (``_call``); ``start`` and ``aclose``
    bring up and stop what it runs on.
    """

    async def _call(self, method: str, *args: Any) -> Any:
        raise NotImplementedError

    async def open(
        self,
        conv_id: str,
        cleaned: str,
        message_id: str | None,
        mood: MoodReading | None = None,
        shop_words: str | None = None,
    ) -> OpenedTurn:
        """See ``TurnStore.open``."""
        opened: OpenedTurn = await self._call(
            "open", conv_id, cleaned, message_id, mood, shop_words
        )
        return opened

    async def open_bot(
        self, head: ConversationHead, cleaned: str, lang: str, mood: MoodReading | None = None
    ) -> OpenedTurn:
        """See ``TurnStore.open_bot``."""
        opened: OpenedTurn = await self._call("open_bot", head, cleaned, lang, mood)
        return opened

    async def finish(
        self,
        conversation_id: str,
        tool_log: list[dict[str, Any]],
        reply: str,
        reply_id: str,
        cards: list[dict[str, Any]],
    ) -> None:
        """See ``TurnStore.finish``."""
        await self._call("finish", conversation_id, tool_log, reply, reply_id, cards)

    async def start(self) -> None:
        """Start what the hops run on (threads: load what the first hop would)."""
        await asyncio.to_thread(TurnStore.warm_up)

    async def aclose(self) -> None:
        """Stop what the hops run on (nothing to do for threads)."""


class ThreadHops(TurnHops):
    """Runs the hops on store threads of this process."""

    def __init__(self, turns: TurnStore, threads: StoreThreads) -> None:
        """Run ``turns``' methods on ``threads``."""
        self.turns = turns
        self.threads = threads

    async def _call(self, method: str, *args: Any) -> Any:
        return await self.threads.run(getattr(self.turns, method), *args)


def in_memory(url: str | None) -> bool:
    """Return True for an unset URL or an in-memory SQLite database (a process cannot share it)."""
    url = url or ""
    return not url or url.rstrip("/") in ("sqlite:", "sqlite://") or ":memory:" in url


@dataclass(frozen=True)
class StoreProcessSpec:
    """What the child needs to build its own ``TurnStore`` (picklable)."""

    database: DatabaseSettings
    history_messages: int
    upset_threshold: float


def _frame(obj: object) -> bytes:
    """Return ``obj`` pickled, behind its length (one message on the socket pair)."""
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        part = sock.recv(n - len(buf))
        if not part:
            return None
        buf += part
    return bytes(buf)


def _recv_frame(sock: socket.socket) -> Any:
    """Return the next message's object, or ``_CLOSED`` once the parent has gone."""
    header = _recv_exact(sock, _HEADER.size)
    body = None if header is None else _recv_exact(sock, _HEADER.unpack(header)[0])
    return _CLOSED if body is None else pickle.loads(body)


def _answer(value: BaseException) -> BaseException:
    """Return the exception as it can cross to the parent (a ShopError keeps its type)."""
    try:
        pickle.loads(pickle.dumps(value))
    except Exception:  # noqa: BLE001 - an exception that does not pickle
        return StoreProcessError(f"the store failed: {type(value).__name__}")
    return value


def _child_main(sock: socket.socket) -> None:
    """Run the store process: read the spec, then answer hop requests one at a time."""
    from catalog.db import make_engine  # imported here: the child builds its own engine

    # (not isinstance-checked: in the child this module is __main__, the spec's class is not)
    spec: StoreProcessSpec = _recv_frame(sock)
    if spec is _CLOSED:
        return
    engine = make_engine(spec.database)
    turns = TurnStore.on_engine(
        engine, history_messages=spec.history_messages, upset_threshold=spec.upset_threshold
    )
    turns.warm_up()
    try:
        while (request := _recv_frame(sock)) is not _CLOSED:
            call_id, method, args = request
            try:
                if method not in _METHODS:
                    raise StoreProcessError(f"unknown store hop {method!r}")
                answer: tuple[int, bool, Any] = (call_id, True, getattr(turns, method)(*args))
            except Exception as exc:  # noqa: BLE001 - every failure goes back to the caller
                if not isinstance(exc, ShopError):
                    log.exception("store hop %s failed", method)
                answer = (call_id, False, _answer(exc))
            sock.sendall(_frame(answer))
    finally:
        engine.dispose()
        sock.close()


class StoreChild:
    """One store process (started on first call, restarted on the call after it died)."""

    def __init__(self, spec: StoreProcessSpec) -> None:
        """Build the child from ``spec`` when the first call is made."""
        self.spec = spec
        self._proc: asyncio.subprocess.Process | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._next = 0
        self._calls = 0
        self._starting: asyncio.Lock | None = None

    @property
    def in_flight(self) -> int:
        """Calls made and not answered yet (including any waiting for the child to start)."""
        return self._calls

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        running = self._proc is not None and self._proc.returncode is None
        return self._proc.pid if running and self._proc is not None else None

    async def _ensure(self) -> asyncio.StreamWriter:
        if self._writer is not None and not self._writer.is_closing():
            return self._writer
        self._starting = self._starting or asyncio.Lock()
        async with self._starting:
            if self._writer is not None and not self._writer.is_closing():
                return self._writer
            if self._proc is not None:
                await self._proc.wait()  # reap the one that ended
            parent, child = socket.socketpair()
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "assistant.store_process",
                str(child.fileno()),
                pass_fds=(child.fileno(),),
            )
            child.close()
            reader, writer = await asyncio.open_connection(sock=parent)
            writer.write(_frame(self.spec))
            self._proc, self._writer = proc, writer
            self._reader_task = asyncio.create_task(self._read(reader))
            log.info("store process started (pid %s)", proc.pid)
            return writer

    async def _read(self, reader: asyncio.StreamReader) -> None:
        try:
            while True:
                header = await reader.readexactly(_HEADER.size)
                body = await reader.readexactly(_HEADER.unpack(header)[0])
                call_id, ok, value = pickle.loads(body)
                fut = self._pending.pop(call_id, None)
                if fut is None or fut.done():
                    continue
                if ok:
                    fut.set_result(value)
                else:
                    fut.set_exception(value)
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        finally:
            self._lost("the store process ended")

    def _lost(self, why: str) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()
        pending, self._pending = self._pending, {}
        for fut in pending.values():
            if not fut.done():
                fut.set_exception(StoreProcessError(why))
        if pending:
            log.warning("%s with %d store hops in flight", why, len(pending))

    async def start(self) -> None:
        """Start the child now if it is not running."""
        await self._ensure()

    async def call(self, method: str, *args: Any) -> Any:
        """Run ``TurnStore.<method>(*args)`` in the child and return its answer."""
        self._calls += 1
        try:
            writer = await self._ensure()
            self._next += 1
            call_id = self._next
            fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            self._pending[call_id] = fut
            writer.write(_frame((call_id, method, args)))
            return await fut
        finally:
            self._calls -= 1

    async def aclose(self) -> None:
        """Stop the child (it finishes the hop it is on) and wait for it."""
        if self._writer is not None:
            self._writer.close()
        if self._reader_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader_task
        if self._proc is not None:
            proc, self._proc = self._proc, None
            try:
                await asyncio.wait_for(proc.wait(), 10)
            except TimeoutError:
                proc.kill()
                await proc.wait()


class ProcessHops(TurnHops):
    """Runs the hops in store processes: one for SQLite (one writer), more for a server DB.

    Each call goes to the child with the fewest calls in flight.
    """

    def __init__(self, spec: StoreProcessSpec, *, processes: int = 1) -> None:
        """Start ``processes`` children from ``spec`` lazily, on their first calls."""
        if in_memory(spec.database.url):
            raise StoreProcessError(
                "a store process needs a database file or server, not an in-memory database"
            )
        if processes < 1:
            raise StoreProcessError(f"store processes must be at least 1, not {processes}")
        self.children = [StoreChild(spec) for _ in range(processes)]

    async def _call(self, method: str, *args: Any) -> Any:
        child = min(self.children, key=lambda c: c.in_flight)
        return await child.call(method, *args)

    async def start(self) -> None:
        """Start every child now (a server does this at startup: no first-turn wait)."""
        await asyncio.gather(*(child.start() for child in self.children))

    async def aclose(self) -> None:
        """Stop every child (each finishes the hop it is on)."""
        await asyncio.gather(*(child.aclose() for child in self.children))


if __name__ == "__main__":  # the child: python -m assistant.store_process FD
    logging.basicConfig(level=logging.WARNING)
    _child_main(socket.socket(fileno=int(sys.argv[1])))
