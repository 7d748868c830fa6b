"""The uvicorn server ``shopassist serve`` runs: its configuration and its ready line."""

from __future__ import annotations

from typing import Any

import uvicorn

from assistant.settings import Settings


class ReadyServer(uvicorn.Server):
    """A uvicorn server that prints one "ready" line once its socket is listening."""

    def __init__(self, config: uvicorn.Config, url: str) -> None:
        """Serve ``config``; ``url`` is what the ready line shows."""
        super().__init__(config)
        self.url = url

    async def startup(self, sockets: list[Any] | None = None) -> None:
        """Bind and start; then say ready (never before the port accepts connections)."""
        await super().startup(sockets=sockets)
        if self.started:
            print(f"ready: chat at {self.url}   API docs at {self.url}docs", flush=True)


def server_config(app: Any, settings: Settings, host: str, port: int) -> uvicorn.Config:
    """Return the uvicorn configuration ``shopassist serve`` runs ``app`` with."""
    return uvicorn.Config(app, **server_options(settings, host, port))


def server_options(settings: Settings, host: str, port: int) -> dict[str, Any]:
    """Return the uvicorn options of ``shopassist serve`` (one process or several).

    uvicorn rewrites the client address (and scheme) from X-Forwarded-For/-Proto only for
    connections from ``server.trusted_proxies``; with none, never (its own default trusts
    loopback, which would let any local or pass-through client pick its address).
    """
    proxies = list(settings.server.trusted_proxies)
    return {
        "host": host,
        "port": port,
        "log_level": "warning",
        "log_config": None,  # keep our handlers: structured, no message text
        "access_log": False,
        "ws_max_size": settings.security.max_frame_bytes,
        "ws_per_message_deflate": False,
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies,
    }
