"""The embedded default backend: an in-process llama.cpp server (xllamacpp).

It exposes the same OpenAI-compatible API as vLLM, so the rest of the app talks to it
through the one client in :mod:`assistant.llm.client`. Prompt-prefix caching is on, so
a stable system prompt is read once and reused by later turns.
"""

from __future__ import annotations

import os
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from assistant.errors import LLMUnavailableError


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmbeddedLlamaServer:
    """Start/stop a llama.cpp server for a GGUF file inside this process."""

    def __init__(
        self,
        model_path: Path,
        *,
        n_ctx: int = 8192,
        threads: int = 0,
        port: int = 0,
        alias: str = "local",
    ) -> None:
        """Configure the server; nothing starts until :meth:`start`."""
        self.model_path = model_path
        self.n_ctx = n_ctx
        self.threads = threads or (os.cpu_count() or 2)
        self.port = port or free_port()
        self.alias = alias
        self._server: Any = None

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL (``…/v1``)."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, *, ready_timeout_s: float = 180.0) -> str:
        """Load the model, start serving, wait until ``/health`` answers; return the base URL."""
        try:
            import xllamacpp
        except ImportError as exc:
            raise LLMUnavailableError(
                "the embedded LLM needs the [embedded] extra (pip install -e '.[embedded]'); "
                "or point SHOP_LLM_BASE_URL at an OpenAI-compatible server such as vLLM"
            ) from exc

        params = xllamacpp.CommonParams()
        params.model.path = str(self.model_path)
        params.model_alias = self.alias
        params.n_ctx = self.n_ctx
        params.n_parallel = 1
        params.port = self.port
        params.hostnames = ["127.0.0.1"]
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = self.threads
        params.cache_prompt = True
        params.verbosity = 0
        params.warmup = False
        try:
            self._server = xllamacpp.Server(params)
        except Exception as exc:  # the extension raises RuntimeError subclasses
            raise LLMUnavailableError(f"embedded llama.cpp server failed to start: {exc}") from exc
        deadline = time.monotonic() + ready_timeout_s
        health = f"http://127.0.0.1:{self.port}/health"
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(health, timeout=2) as resp:
                    if resp.status == 200:
                        return self.base_url
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise LLMUnavailableError(f"embedded llama.cpp server not ready after {ready_timeout_s}s")

    def stop(self) -> None:
        """Stop the server and free the model's memory."""
        self._server = None
