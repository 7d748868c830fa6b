"""What the server keeps besides the app services: sessions, rate limits, readiness."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from assistant.bootstrap import AppServices
from assistant.errors import LLMUnavailableError
from serving.limits import RateLimiter
from serving.sessions import Sessions

READY_TTL_S = 10.0


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
    readiness: Readiness = field(default_factory=Readiness)
