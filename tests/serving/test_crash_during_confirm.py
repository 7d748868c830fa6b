"""``kill -9`` of the server right after a confirmed write commits, then a restart: the
conversation shows the executed action exactly once, and a retried confirm changes nothing."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import websockets.sync.client as ws_client
from sqlmodel import Session, col, select

from assistant.conversations import ConversationStore
from catalog.config import DatabaseSettings
from catalog.conversations import Message
from catalog.db import make_engine
from catalog.models import Order
from catalog.orders.records import AuditLog
from catalog.orders.service import OrderService
from catalog.signing import sign_customer_token

ROOT = Path(__file__).resolve().parents[2]
SECRET = "crash-test-customer-secret"
KILLER = """
import os, signal, sys
import catalog.orders.confirmations as confirmations
original = confirmations.execute
def execute_then_die(*args, **kwargs):
    result = original(*args, **kwargs)   # committed: action, audit row, chat record
    os.kill(os.getpid(), signal.SIGKILL)  # the reply is never stored or sent
    return result
confirmations.execute = execute_then_die
from serving.cli import main
sys.exit(main(["serve", "--port", sys.argv[1]]))
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(env: dict[str, str], port: int, killer: bool) -> subprocess.Popen[bytes]:
    cmd = (
        [sys.executable, "-c", KILLER, str(port)]
        if killer
        else [sys.executable, "-m", "serving.cli", "serve", "--port", str(port)]
    )
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert proc.poll() is None, "server exited during start-up"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise AssertionError("server did not start")


def test_kill_9_during_confirm_then_restart(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SHOP_DATA_DIR": str(tmp_path),
        "SHOP_DATABASE_URL": f"sqlite:///{tmp_path}/shop.db",  # CI exports a Postgres URL
        "SHOP_DEMO__PRODUCTS": "30",
        "SHOP_DEMO__USERS": "10",
        "SHOP_LLM__BASE_URL": "http://127.0.0.1:9/v1",  # never called in this test
        "SHOP_IDENTITY__CUSTOMER_TOKEN_SECRET": SECRET,
        "SHOP_SERVER__LOG_LEVEL": "WARNING",
    }
    port = _port()
    server = _start(env, port, killer=True)
    try:
        with ws_client.connect(f"ws://127.0.0.1:{port}/ws/chat") as ws:
            session: dict[str, Any] = json.loads(ws.recv())
        conv, token = session["conversation_id"], session["session"]
        # The shopper signed in and was shown a proposal (set up directly in the store).
        engine = make_engine(DatabaseSettings(url=f"sqlite:///{tmp_path}/shop.db"))
        with Session(engine) as s:
            order = s.exec(select(Order).where(col(Order.status) == "pending")).first()
            assert order is not None
            order_id, user_id = order.id, order.user_id
        ConversationStore(engine).ensure(conv)
        service = OrderService(engine, customer_token_secret=SECRET)
        service.authenticate_token(conv, sign_customer_token(SECRET, user_id))
        proposal = service.propose(
            conv,
            user_id,
            "cancel_pending_order",
            {"order_id": order_id, "reason": "no longer needed"},
            turn_id="proposal-turn",
        )
        ConversationStore(engine).append(
            conv, "assistant", f"Please confirm: {proposal.summary}", message_id="proposal-turn"
        )
        auth = {"Authorization": f"Bearer {token}"}
        url = f"http://127.0.0.1:{port}/v1/conversations/{conv}/confirm"
        try:
            httpx.post(url, json={"token": proposal.token}, headers=auth, timeout=30)
        except httpx.HTTPError:
            pass  # the server died mid-request, as planned
        server.wait(timeout=30)
        assert server.returncode == -9
    finally:
        if server.poll() is None:
            server.kill()

    server = _start(env, port, killer=False)
    try:
        base = f"http://127.0.0.1:{port}/v1/conversations/{conv}"
        again = httpx.post(f"{base}/confirm", json={"token": proposal.token}, headers=auth)
        assert again.status_code == 200, again.text
        assert "already done" in again.json()["reply"]
        history = httpx.get(f"{base}/messages", headers=auth).json()["messages"]
        actions = [m for m in history if m["role"] == "action"]
        assert len(actions) == 1 and actions[0]["content"].startswith("Done: Cancel order")
    finally:
        server.terminate()
        server.wait(timeout=30)
    with Session(engine) as s:
        assert s.get(Order, order_id).status == "cancelled"  # type: ignore[union-attr]
        audits = s.exec(select(AuditLog).where(col(AuditLog.token) == proposal.token)).all()
        records = s.exec(select(Message).where(col(Message.role) == "action")).all()
    assert len(audits) == 1 and len(records) == 1
    engine.dispose()
