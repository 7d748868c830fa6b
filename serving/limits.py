"""In-process rate limits (sliding windows) and the client's address.

Per conversation and per client address, for messages and for new connections. Limits
live in this process's memory: run one worker per limit domain, or put a shared limiter
(e.g. at the proxy) in front when scaling out.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import deque
from collections.abc import Iterable

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


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(proxies: Iterable[str]) -> tuple[Network, ...]:
    """Parse ``server.trusted_proxies`` (addresses or CIDR networks)."""
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(host: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return any(ip in net for net in networks)


def _host(hop: str) -> str:
    """Return the address of one X-Forwarded-For hop (``1.2.3.4``, ``1.2.3.4:80``, ``[::1]:80``)."""
    hop = hop.strip()
    if hop.startswith("[") and "]" in hop:
        return hop[1 : hop.index("]")]
    if hop.count(":") == 1:
        return hop.split(":", 1)[0]
    return hop


def client_address(headers: Headers, peer: str | None, *, trusted: tuple[Network, ...]) -> str:
    """Return the client's address, the key of every per-client limit.

    The peer, unless the peer is one of our ``trusted`` proxies: then the nearest
    X-Forwarded-For hop that is not a trusted proxy (each proxy appends the address it
    saw, so hops left of the first untrusted one may be forged). Forwarded headers from
    anyone else are ignored.
    """
    if not peer:
        return "unknown"
    if not trusted or not _trusted(peer, trusted):
        return peer
    hops = [_host(h) for v in headers.getlist("x-forwarded-for") for h in v.split(",")]
    hops = [h for h in hops if h]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop[:64]
    return hops[0][:64] if hops else peer
