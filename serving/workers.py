"""``shopassist serve --workers N``: N app processes behind one port.

Every worker is a whole app (its own event loop, search models and store threads); what
they must agree on lives in shared engines:

* **PostgreSQL**: the store, rate limits, verification failures, login throttles, one
  turn in flight per conversation, replayed message ids, proposals, and the console's
  event bus (LISTEN/NOTIFY). SQLite serves one process, so N > 1 needs PostgreSQL.
* **A Chroma server** (``SHOP_RETRIEVAL__CHROMA_URL``): the product vectors. The
  embedded store is a folder one process writes, so N > 1 needs the server.
* **One language model**: ``SHOP_LLM__BASE_URL`` (vLLM), or else the embedded llama.cpp
  server that this supervisor starts once and hands to every worker.

At start-up one worker builds the index and trains the recommender under the start-up
lock (:mod:`catalog.startup_lock`); the others wait, then load. The supervisor says
"ready" once every worker answers.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from assistant.bootstrap import start_llm
from assistant.dev_secrets import customer_token_secret
from assistant.settings import Settings, get_settings
from catalog.errors import InvalidInputError
from serving.server import server_options
from serving.sessions import load_secret

log = logging.getLogger(__name__)

# a worker that does not answer the supervisor for this long is restarted (start-up
# loads models and may build the index while holding the GIL for seconds at a time)
HEALTHCHECK_S = 120.0


def check_workers(settings: Settings, workers: int) -> None:
    """Raise InvalidInputError unless ``workers`` processes can share this setup."""
    if workers < 1:
        raise InvalidInputError("--workers must be 1 or more")
    if workers == 1:
        return
    url = settings.database.url or ""
    if not url.startswith("postgresql"):
        raise InvalidInputError(
            "SQLite serves one process: --workers needs PostgreSQL, where the workers share "
            "the store, the limits and the turn guards. Set SHOP_DATABASE_URL="
            "postgresql+psycopg://USER:PASSWORD@HOST/DB, or serve without --workers."
        )
    if not settings.retrieval.chroma_url:
        raise InvalidInputError(
            "--workers needs a Chroma server for the product vectors (the embedded store "
            "is a folder one process writes): start one with `chroma run --path DIR "
            "--port 8000` and set SHOP_RETRIEVAL__CHROMA_URL=http://HOST:8000"
        )


def embedded_env(settings: Settings, base_url: str) -> dict[str, str]:
    """Return the environment that points every worker at the one embedded model.

    The workers talk to it as a single ``serve`` does: the flows and schema-constrained
    JSON (a base URL alone would read as an external server with native tool calls).
    """
    env = {"SHOP_LLM__BASE_URL": base_url}
    if settings.agent.mode == "auto":
        env["SHOP_AGENT__MODE"] = "flows"
    if settings.llm.tool_mode == "auto":
        env["SHOP_LLM__TOOL_MODE"] = "json"
    return env


class ReadyMultiprocess(Multiprocess):
    """uvicorn's supervisor, saying "ready" once every worker has finished starting."""

    def __init__(self, config: uvicorn.Config, sockets: list[Any], url: str) -> None:
        """Supervise ``config.workers`` workers on ``sockets``; ``url`` is for the ready line."""
        super().__init__(config, sockets=sockets)
        self.url = url
        self.announced = False

    def keep_subprocess_alive(self) -> None:
        """Restart dead workers; the first time all are up, print the ready line."""
        super().keep_subprocess_alive()
        if self.announced or self.should_exit.is_set():
            return
        if all(p.is_ready(timeout=1.0) for p in self.processes):
            self.announced = True
            print(
                f"ready: chat at {self.url} ({len(self.processes)} workers)   "
                f"API docs at {self.url}docs",
                flush=True,
            )


def serve_workers(settings: Settings, host: str, port: int, workers: int) -> int:
    """Run ``workers`` app processes on ``host:port`` until interrupted."""
    check_workers(settings, workers)
    # made once here, so that no two workers race to generate the development secrets
    secret = settings.security.secret_key
    load_secret(secret.get_secret_value() if secret else None, settings.data_dir)
    _secret, note = customer_token_secret(settings)
    if note:
        print(note, flush=True)
    embedded = None
    if not settings.llm.base_url:
        print("Starting the embedded language model once for every worker…", flush=True)
        _client, embedded = start_llm(settings, progress=True)
        assert embedded is not None
        os.environ.update(embedded_env(settings, embedded.base_url))
    config = uvicorn.Config(
        "serving.workers:worker_app",
        factory=True,
        workers=workers,
        timeout_worker_healthcheck=int(HEALTHCHECK_S),
        **server_options(settings, host, port),
    )
    print(f"Starting {workers} workers on {host}:{port}…", flush=True)
    try:
        ReadyMultiprocess(config, [config.bind_socket()], f"http://{host}:{port}/").run()
    finally:
        if embedded is not None:
            embedded.stop()
    return 0


def worker_app() -> FastAPI:
    """Build one worker's app from the environment's settings (uvicorn calls this)."""
    from serving.app import create_app
    from serving.cli import configure_logging

    settings = get_settings()
    configure_logging(settings.server.log_level, settings.server.log_format)
    return create_app(settings=settings)
