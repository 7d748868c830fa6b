"""What the server keeps besides the app services: sessions, rate limits, readiness."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from starlette.datastructures import Address, Headers
from starlette.requests import HTTPConnection

from assistant.bootstrap import AppServices
from assistant.errors import LLMUnavailableError
from serving.limits import RateLimiter, client_address, trusted_networks
from serving.metrics import Metrics
from serving.sessions import Sessions

READY_TTL_S = 10.0
# A shopper rates a closed chat once and may change their mind a few times; every
# rating is stored and pushed to every console, so more are refused (per 15 minutes).
CSAT_PER_CONVERSATION = 5


@dataclass
class Readiness:
    """The LLM check of ``/readyz``, run at most every ``READY_TTL_S`` seconds."""

    checked_at: float = -1e9
    error: str | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def llm_error(self, services: AppServices) -> str | None:
        """Return None when the LLM answered recently, else a short reason (cached)."""
        async with self.lock:
            if time.monotonic() - self.checked_at >= READY_TTL_S:
                try:
                    await services.llm.ping()
                    self.error = None
                except LLMUnavailableError as exc:
                    self.error = exc.message
                except Exception:  # noqa: BLE001 - a broken LLM must not break readiness
                    self.error = "the language model does not answer"
                self.checked_at = time.monotonic()
            return self.error


@dataclass
class ServerState:
    """Per-app server state, built at startup next to the services."""

    services: AppServices
    sessions: Sessions
    limits: RateLimiter = field(default_factory=RateLimiter)
    login_limits: RateLimiter = field(default_factory=lambda: RateLimiter(window_s=900.0))
    csat_limits: RateLimiter = field(default_factory=lambda: RateLimiter(window_s=900.0))
    readiness: Readiness = field(default_factory=Readiness)
    metrics: Metrics | None = None

    def client_of(self, headers: Headers, peer: Address | None) -> str:
        """Return the client's address for limits and logs, HTTP and websocket alike.

        X-Forwarded-For counts only on connections from ``server.trusted_proxies``.
        """
        trusted = trusted_networks(self.services.settings.server.trusted_proxies)
        return client_address(headers, peer.host if peer else None, trusted=trusted)

    async def count_message(self, conversation_id: str, client: str) -> None:
        """Count a chat message or confirm against both message limits (or refuse).

        Awaited: on PostgreSQL the counts are statements on the event loop, no thread hop.
        """
        sec = self.services.settings.security
        await self.limits.ahit(f"conv:{conversation_id}", sec.messages_per_minute, "messages")
        await self.limits.ahit(f"msg:{client}", sec.client_messages_per_minute, "messages")

    async def count_connection_async(self, client: str, what: str) -> None:
        """:meth:`count_connection`, awaited (PostgreSQL: on the loop, no thread hop)."""
        sec = self.services.settings.security
        await self.limits.ahit(f"conn:{client}", sec.connections_per_minute, what)

    def count_connection(self, client: str, what: str) -> None:
        """Count a new websocket or chat of ``client`` (``what`` names it in the error)."""
        sec = self.services.settings.security
        self.limits.hit(f"conn:{client}", sec.connections_per_minute, what)

    def count_recs(self, client: str) -> None:
        """Count a recommendations request of ``client`` (each client has its own budget)."""
        sec = self.services.settings.security
        self.limits.hit(f"recs:{client}", sec.recs_per_minute, "recommendation requests")

    def count_csat(self, conversation_id: str) -> None:
        """Count a CSAT rating of the conversation (websocket and REST share the budget)."""
        self.csat_limits.hit(f"csat:{conversation_id}", CSAT_PER_CONVERSATION, "ratings")


def server_state(conn: HTTPConnection) -> ServerState:
    """Return the app's :class:`ServerState` for a request or websocket."""
    state: ServerState = conn.app.state.server
    return state
