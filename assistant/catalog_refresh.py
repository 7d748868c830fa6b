"""Keep search up to date while a shop's backend writes products through the REST API.

Writes come one product at a time from webhooks; rebuilding BM25 and the vocabulary on
every one would be wasteful. :class:`CatalogRefresher` coalesces them: a write marks the
catalog changed, and one background thread refreshes the searcher (embedding only the
products whose text changed) at most every ``min_interval_s``, until nothing is left.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable

from catalog.bus import EventBus

log = logging.getLogger(__name__)


class CatalogRefresher:
    """Run ``refresh`` in the background after catalog writes, coalescing bursts."""

    def __init__(self, refresh: Callable[[], object], *, min_interval_s: float = 2.0) -> None:
        """Call ``refresh()`` (e.g. ``searcher.refresh``) after writes, spaced out."""
        self._refresh = refresh
        self.min_interval_s = min_interval_s
        self._lock = threading.Lock()
        self._dirty = False
        self._running = False
        self._idle = threading.Event()
        self._idle.set()
        self.refreshes = 0
        self.last_error: str | None = None

    def changed(self) -> None:
        """Note that the catalog changed; a refresh follows soon."""
        with self._lock:
            self._dirty = True
            if self._running:
                return
            self._running = True
            self._idle.clear()
        threading.Thread(target=self._loop, name="catalog-refresh", daemon=True).start()

    def _loop(self) -> None:
        while True:
            with self._lock:
                if not self._dirty:
                    self._running = False
                    self._idle.set()
                    return
                self._dirty = False
            started = time.monotonic()
            try:
                self._refresh()
                self.refreshes += 1
                self.last_error = None
            except Exception as exc:  # a failed refresh must not stop later ones
                self.last_error = repr(exc)
                log.exception("catalog refresh failed")
            rest = self.min_interval_s - (time.monotonic() - started)
            if rest > 0:
                time.sleep(rest)

    def wait(self, timeout_s: float = 60.0) -> bool:
        """Wait until no refresh is pending or running (tests, shutdown)."""
        return self._idle.wait(timeout_s)

    @property
    def pending(self) -> bool:
        """Return True while a refresh is scheduled or running."""
        return not self._idle.is_set()


# This process, among every app process on the bus (a worker of ``serve --workers N``).
ORIGIN = uuid.uuid4().hex
TOPIC = "catalog"


async def announce_change(bus: EventBus) -> None:
    """Tell the other app processes that the catalog changed (they refresh their search)."""
    try:
        await bus.publish(TOPIC, "changed", {"origin": ORIGIN})
    except Exception:  # noqa: BLE001 - the write is stored; a lost note only delays search
        log.warning("could not tell the other workers that the catalog changed", exc_info=True)


async def follow_changes(bus: EventBus, refresher: CatalogRefresher) -> None:
    """Refresh this process's search whenever another process changed the catalog.

    Runs until cancelled. Search in every worker holds its own BM25 index and names; the
    vectors live in the shared Chroma server, so a refresh re-embeds nothing there.
    """
    sub = bus.subscribe(TOPIC)
    try:
        async for event in sub:
            if event.kind == "changed" and event.data.get("origin") != ORIGIN:
                refresher.changed()
    finally:
        sub.close()
