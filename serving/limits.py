"""Rate limits (sliding windows) and the client's address.

Per conversation and per client address, for messages and for new connections. The
counts live in :mod:`catalog.shared_limits`: in PostgreSQL when the app runs on it, so
every worker process (``shopassist serve --workers N``) sees the same counts; in this
process's memory on SQLite, which serves one process.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.datastructures import Headers

from assistant.errors import RateLimitedError
from catalog.shared_limits import MemoryWindows, Windows


class RateLimiter:
    """Counts events per key over the last ``window_s`` seconds.

    ``windows`` holds the counts (this process's memory unless given); ``namespace``
    keeps this limiter's keys apart from other limiters on the same store.
    """

    def __init__(
        self,
        window_s: float = 60.0,
        max_keys: int = 100_000,
        *,
        windows: Windows | None = None,
        namespace: str = "rate",
    ) -> None:
        """Count over ``window_s`` seconds in ``windows`` (memory: ``max_keys`` keys)."""
        self.window_s = window_s
        self.windows: Windows = windows or MemoryWindows(max_keys)
        self.namespace = namespace

    def hit(self, key: str, limit: int, what: str = "requests") -> None:
        """Count one event for ``key``; raise RateLimitedError past ``limit`` per window."""
        wait = self.windows.hit(f"{self.namespace}:{key}", limit, self.window_s)
        if wait is not None:
            raise _limited(what, wait)

    async def ahit(self, key: str, limit: int, what: str = "requests") -> None:
        """:meth:`hit` awaited on the event loop (PostgreSQL: no thread hop)."""
        wait = await self.windows.ahit(f"{self.namespace}:{key}", limit, self.window_s)
        if wait is not None:
            raise _limited(what, wait)

    def check(self, key: str, limit: int, what: str = "attempts") -> None:
        """Raise RateLimitedError if ``key`` is at ``limit`` already (counts nothing)."""
        wait = self.windows.wait_s(f"{self.namespace}:{key}", limit, self.window_s)
        if wait is not None:
            raise _limited(what, wait)


def _limited(what: str, wait_s: float) -> RateLimitedError:
    wait = max(1, int(wait_s) + 1)
    return RateLimitedError(f"too many {what}; please wait {wait} s and try again")


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
