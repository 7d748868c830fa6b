"""Dedicated worker threads for the store's synchronous calls made from an event loop.

A chat turn reads and writes the store twice (before and after the model). Those calls
are synchronous (SQLAlchemy), so they run off the event loop, but not in the loop's
default thread pool: there they queue behind anything else sent to threads, and six
threads holding Python's GIL in turn slow the loop down most of all. Measured with 200
concurrent chats on 2 cores (``bench/load.py``): a turn's first hop spent 20-30 ms in a
thread of the default pool and 3 ms on one dedicated thread.

SQLite has one writer at a time anyway, so it gets one thread; a server database gets
two, so one thread's network round trip does not hold up the other's work.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from sqlalchemy.engine import Engine

from catalog.errors import InvalidInputError

P = ParamSpec("P")
T = TypeVar("T")


def default_threads(engine: Engine) -> int:
    """Return how many store threads suit ``engine``: 1 for SQLite, 2 for a server DB."""
    return 1 if engine.dialect.name == "sqlite" else 2


class StoreThreads:
    """Runs synchronous store calls on ``threads`` threads of their own (``await run(...)``)."""

    def __init__(self, threads: int, *, name: str = "shop-store") -> None:
        """Start (lazily) a pool of ``threads`` threads named ``name``."""
        if threads < 1:
            raise InvalidInputError(f"store threads must be at least 1, not {threads}")
        self.threads = threads
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(*args, **kwargs)`` on a store thread, with the caller's context variables."""
        ctx = contextvars.copy_context()
        call = functools.partial(ctx.run, fn, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    def close(self) -> None:
        """Let running calls finish, then stop the threads."""
        self._pool.shutdown(wait=True)
