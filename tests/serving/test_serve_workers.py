"""``shopassist serve --workers N``: who may run it, and one real start of two workers.

The start runs the real command on PostgreSQL and a real ``chroma run`` server: one
worker builds the demo store and the index under the start-up lock, the other waits and
loads it (embeds nothing), and the supervisor says ready once both answer.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from assistant.llm.local_server import free_port
from assistant.settings import Settings
from catalog.config import DatabaseSettings
from catalog.errors import InvalidInputError
from serving.workers import check_workers, embedded_env
from tests.chroma_server import running_chroma
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]


def test_one_worker_needs_nothing_more(tmp_path: Path) -> None:
    check_workers(make_settings(tmp_path), 1)


def test_sqlite_serves_one_process_and_says_so(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="SQLite serves one process"):
        check_workers(make_settings(tmp_path), 2)
    with pytest.raises(InvalidInputError, match="1 or more"):
        check_workers(make_settings(tmp_path), 0)


def test_workers_need_a_chroma_server(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    settings.database = DatabaseSettings(url="postgresql+psycopg://u@127.0.0.1:1/db")
    with pytest.raises(InvalidInputError, match="SHOP_RETRIEVAL__CHROMA_URL"):
        check_workers(settings, 3)
    settings.retrieval.chroma_url = "http://127.0.0.1:8000"
    check_workers(settings, 3)


def test_workers_use_the_embedded_model_as_one_serve_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.bootstrap import agent_mode

    single = make_settings(tmp_path)
    single.agent.mode = "auto"
    assert agent_mode(single) == "flows" and not single.llm.use_native_tools()
    env = embedded_env(single, "http://127.0.0.1:8091/v1")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    worker = Settings(_env_file=None, data_dir=str(tmp_path))  # type: ignore[call-arg]
    assert worker.llm.base_url == "http://127.0.0.1:8091/v1"
    assert agent_mode(worker) == "flows" and not worker.llm.use_native_tools()
    chosen = make_settings(tmp_path)
    chosen.agent.mode = "agent"
    assert "SHOP_AGENT__MODE" not in embedded_env(chosen, "http://x/v1")  # a choice stands


def test_the_command_refuses_sqlite_with_a_clear_error(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SHOP_DATA_DIR": str(tmp_path),
        "SHOP_DATABASE_URL": f"sqlite:///{tmp_path}/shop.db",
    }
    done = subprocess.run(
        [sys.executable, "-m", "serving.cli", "serve", "--workers", "2"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "SQLite serves one process" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.postgres
def test_two_workers_start_on_one_port_and_one_builds(postgres_url: str, tmp_path: Path) -> None:
    port = free_port()
    with running_chroma(tmp_path) as chroma_url:
        env = {
            **os.environ,
            "SHOP_DATA_DIR": str(tmp_path / "data"),
            "SHOP_DATABASE_URL": postgres_url,
            "SHOP_RETRIEVAL__CHROMA_URL": chroma_url,
            "SHOP_DEMO__PRODUCTS": "30",
            "SHOP_DEMO__USERS": "10",
            "SHOP_LLM__BASE_URL": "http://127.0.0.1:9/v1",  # never called here
            "SHOP_SECURITY__SECRET_KEY": "one-secret-for-both-workers",
            "SHOP_SERVER__LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "serving.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(proc.stdout or []), daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + 300
            while not any("(2 workers)" in line for line in lines):
                assert proc.poll() is None, "".join(lines)[-3000:]
                assert time.monotonic() < deadline, "".join(lines)[-3000:]
                time.sleep(0.3)
            ready = [line for line in lines if re.search(r"worker \d+ ready", line)]
            embedded = sorted(int(m.group(1)) for m in map(_embedded, ready) if m)
            assert embedded == [0, 30], "".join(lines)[-3000:]  # one built, one loaded
            assert any("waiting for it" in line for line in lines)
            for _ in range(6):
                assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise
    assert proc.returncode == 0, "".join(lines)[-3000:]


def _embedded(line: str) -> re.Match[str] | None:
    return re.search(r"\((\d+) embedded now\)", line)
