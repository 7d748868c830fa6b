"""A real ``chroma run`` server for tests: ``with running_chroma(tmp_path) as url: ...``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.llm.local_server import free_port

STARTUP_TIMEOUT_S = 60.0


def chroma_executable() -> Path:
    """The ``chroma`` command of the interpreter running the tests (the venv's bin folder)."""
    return Path(sys.executable).parent / "chroma"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@contextmanager
def running_chroma(tmp_path: Path, *, timeout_s: float = STARTUP_TIMEOUT_S) -> Iterator[str]:
    """Start ``chroma run`` on a free loopback port with its data under ``tmp_path``.

    Yields the server's URL (``http://127.0.0.1:PORT``) once its heartbeat answers, and
    stops the server afterwards. A server that exits or stays silent for ``timeout_s``
    raises ``RuntimeError`` with its output.
    """
    exe = chroma_executable()
    if not exe.exists():
        raise RuntimeError(f"no chroma command at {exe} (pip install chromadb in this venv)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data = tmp_path / "chroma-server-data"
    log_path = tmp_path / "chroma-server.log"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "NO_COLOR": "1"}
    cmd = [str(exe), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + timeout_s
        while not _answers(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                state = (
                    f"exited with code {proc.returncode}"
                    if proc.poll() is not None
                    else f"did not answer {url}/api/v2/heartbeat within {timeout_s:.0f} s"
                )
                output = log_path.read_text(errors="replace")[-4000:]
                raise RuntimeError(f"`{' '.join(cmd)}` {state}; its output:\n{output}")
            time.sleep(0.1)
        yield url
    finally:
        _stop(proc)
