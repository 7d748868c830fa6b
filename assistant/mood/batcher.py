"""Read the mood of concurrent messages together, off the event loop.

The frustration model's encoder costs ~1.3 ms for one message and ~0.1 ms each in a
batch. :class:`MoodBatcher` runs one read at a time on its own thread; the messages that
arrive meanwhile wait for it and go together in the next one. An idle server reads a
message at once (no batching delay); a busy one reads many for little more than one.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from assistant.mood.mood import Mood
from assistant.mood.reading import MoodReading

MAX_BATCH = 64


class MoodBatcher:
    """Reads moods through one :class:`Mood`, batching what arrives while it works."""

    def __init__(self, mood: Mood) -> None:
        """Batch reads of ``mood``."""
        self.mood = mood
        # its own thread: never the loop's default pool, which other work may fill
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mood")
        self._waiting: list[tuple[str, asyncio.Future[MoodReading]]] = []
        self._task: asyncio.Task[None] | None = None  # the read running now, if any
        self.batches = 0

    async def read(self, text: str) -> MoodReading:
        """Return the mood of ``text`` (read with whatever else is waiting)."""
        done: asyncio.Future[MoodReading] = asyncio.get_running_loop().create_future()
        self._waiting.append((text, done))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        return await done

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                moods = await asyncio.get_running_loop().run_in_executor(
                    self._pool, self.mood.read_many, [t for t, _ in batch]
                )
            except Exception as exc:  # noqa: BLE001 - every waiter hears of it
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            self.batches += 1
            for (_, done), mood in zip(batch, moods, strict=True):
                if not done.done():
                    done.set_result(mood)
