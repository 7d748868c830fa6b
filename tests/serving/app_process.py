"""One app process for the multi-process tests: ``python -m tests.serving.app_process
DATA_DIR DATABASE_URL PORT``. A real app (store, index, bus on PostgreSQL) with a
scripted LLM that nothing in those tests calls. :func:`start` and :func:`stop` run such
processes (this one, or another module built on :func:`serve`) from a test."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[2]


def serve(llm: Any) -> None:
    """Serve a 60-product demo store on ``argv``'s data dir, database and port with ``llm``."""
    import uvicorn

    from assistant.bootstrap import build_services
    from serving.app import create_app
    from tests.conftest import make_settings

    data_dir, url, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    settings = make_settings(Path(data_dir), products=60, db_url=url)
    services = build_services(settings, llm=llm, progress=False)
    uvicorn.run(
        create_app(services), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )


def start(
    module: str, data_dir: Path, url: str, env: Mapping[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``python -m module DATA_DIR URL PORT``; return it and its base URL once healthy."""
    import httpx

    from assistant.llm.local_server import free_port

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", module, str(data_dir), url, str(port)],
        cwd=ROOT,
        env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read().decode()[-3000:] if proc.stderr else "exited")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise AssertionError(f"{module} did not start")


def stop(procs: Iterable[subprocess.Popen[bytes]]) -> None:
    """Terminate the processes, killing any that has not exited after 10 s."""
    procs = list(procs)
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


def main() -> None:
    """Serve with a scripted LLM that has nothing queued (nothing may call it)."""
    from tests.fakes import FakeLLM

    serve(FakeLLM())


if __name__ == "__main__":
    main()
