"""In-process rate limits (sliding one-minute windows) and the client's address.

Per conversation and per client address, for messages and for new connections. Limits
live in this process's memory: run one worker per limit domain, or put a shared limiter
(e.g. at the proxy) in front when scaling out.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from starlette.datastructures import Headers

from assistant.errors import RateLimitedError


class RateLimiter:
    """Counts events per key over the last ``window_s`` seconds."""

    def __init__(self, window_s: float = 60.0, max_keys: int = 100_000) -> None:
        """Keep at most ``max_keys`` keys (the stalest are dropped first)."""
        self.window_s = window_s
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, what: str = "requests") -> None:
        """Count one event for ``key``; raise RateLimitedError past ``limit`` per window."""
        with self._lock:
            self._hit(key, limit, what)

    def check(self, key: str, limit: int, what: str = "attempts") -> None:
        """Raise RateLimitedError if ``key`` is at ``limit`` already (counts nothing)."""
        with self._lock:
            now = time.monotonic()
            hits = self._hits.get(key)
            while hits and now - hits[0] > self.window_s:
                hits.popleft()
            if hits and len(hits) >= limit:
                wait = max(1, int(self.window_s - (now - hits[0])) + 1)
                raise RateLimitedError(f"too many {what}; please wait {wait} s and try again")

    def _hit(self, key: str, limit: int, what: str) -> None:
        now = time.monotonic()
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self.max_keys:
                self._prune(now)
            hits = self._hits[key] = deque()
        while hits and now - hits[0] > self.window_s:
            hits.popleft()
        if len(hits) >= limit:
            wait = max(1, int(self.window_s - (now - hits[0])) + 1)
            raise RateLimitedError(f"too many {what}; please wait {wait} s and try again")
        hits.append(now)

    def _prune(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or now - v[-1] > self.window_s]:
            del self._hits[key]
        while len(self._hits) >= self.max_keys:
            del self._hits[next(iter(self._hits))]


def client_address(headers: Headers, peer: str | None, *, trust_forwarded: bool) -> str:
    """Return the client's address: the peer, or the first X-Forwarded-For hop if trusted."""
    if trust_forwarded:
        forwarded = headers.get("x-forwarded-for", "").split(",")[0].strip()
        if forwarded:
            return forwarded
    return peer or "unknown"
