"""Two app workers on one PostgreSQL database share every limit and guard.

Each worker is its own process with its own memory; only the database is shared. The
shopper's session token works on both (one secret), as behind a load balancer.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, select

from catalog.apikeys import ApiKeys
from catalog.config import DatabaseSettings
from catalog.conversations import Message
from catalog.db import make_engine
from catalog.models import Order, User
from catalog.orders.records import AuditLog
from tests.console_kit import add_staff
from tests.serving.app_process import start, stop

WORKER = "tests.serving.worker_process"
pytestmark = pytest.mark.postgres
LIMITS = {
    "SHOP_SECURITY__SECRET_KEY": "one-secret-for-every-worker",
    "SHOP_SECURITY__MESSAGES_PER_MINUTE": "6",
    "SHOP_SUPPORT__LOGIN_ATTEMPTS_PER_15MIN": "3",
    "SHOP_IDENTITY__MODE": "tau2",
}


@pytest.fixture(scope="module")
def workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    url = os.environ.get("SHOP_TEST_POSTGRES_URL") or os.environ.get("SHOP_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        if os.environ.get("SHOP_REQUIRE_POSTGRES") == "1":
            pytest.fail("SHOP_REQUIRE_POSTGRES=1 but no PostgreSQL URL is set")
        pytest.skip("no PostgreSQL server: set SHOP_TEST_POSTGRES_URL (see .ci/postgres.sh)")
    from catalog.db import drop_schema

    engine = make_engine(DatabaseSettings(url=url))
    drop_schema(engine)
    root = tmp_path_factory.mktemp("workers")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        a, base_a = start(WORKER, root / "a", url, LIMITS)  # builds the store
        procs.append(a)
        b, base_b = start(WORKER, root / "b", url, LIMITS)
        procs.append(b)
        add_staff(engine, "agent@shop.example", name="Alex")
        yield base_a, base_b, url
    finally:
        stop(procs)
        drop_schema(engine)
        engine.dispose()


def _chat(base: str, text: str, conv: str | None = None, token: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body: dict[str, Any] = {"message": text}
    if conv:
        body["conversation_id"] = conv
    return httpx.post(f"{base}/v1/chat", json=body, headers=headers, timeout=30)


def test_the_message_limit_counts_on_both_workers(workers: tuple[str, str, str]) -> None:
    a, b, _ = workers
    first = _chat(a, "hello there").json()
    conv, token = first["conversation_id"], first["session"]
    for base in (b, a, b, a, b):  # 6 messages a minute: three on each worker
        assert _chat(base, "and another thing", conv, token).status_code == 200
    over = _chat(a, "one more", conv, token)
    assert over.status_code == 429, over.text
    assert over.json()["error"]["code"] == "rate_limited"
    assert _chat(b, "one more", conv, token).status_code == 429


def test_a_message_id_answered_on_one_worker_is_replayed_by_the_other(
    workers: tuple[str, str, str],
) -> None:
    a, b, url = workers
    first = _chat(a, "hi").json()
    conv, token = first["conversation_id"], first["session"]
    headers = {"Authorization": f"Bearer {token}"}
    body = {"message": "what do you sell?", "conversation_id": conv, "message_id": "m-42"}
    answered = httpx.post(f"{a}/v1/chat", json=body, headers=headers, timeout=30).json()
    retried = httpx.post(f"{b}/v1/chat", json=body, headers=headers, timeout=30).json()
    assert retried["reply"] == answered["reply"] and retried["message_id"] == "m-42"
    engine = make_engine(DatabaseSettings(url=url))
    with Session(engine) as s:
        said = s.exec(
            select(Message)
            .where(col(Message.conversation_id) == conv)
            .where(col(Message.role) == "user")
        ).all()
    engine.dispose()
    assert [m.content for m in said].count("what do you sell?") == 1  # ran once


def test_a_turn_in_flight_on_one_worker_makes_the_other_answer_busy(
    workers: tuple[str, str, str],
) -> None:
    a, b, _ = workers
    first = _chat(a, "hi").json()
    conv, token = first["conversation_id"], first["session"]
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(_chat, a, "please answer slowly", conv, token)
        time.sleep(1.0)  # the slow turn holds the conversation for 3 s
        busy = _chat(b, "are you there?", conv, token)
        assert busy.status_code == 409, busy.text
        assert busy.json()["error"]["code"] == "busy"
        assert slow.result().status_code == 200
    assert _chat(b, "thanks", conv, token).status_code == 200  # released when it ended


def test_a_proposal_made_on_one_worker_runs_once_when_confirmed_on_both(
    workers: tuple[str, str, str],
) -> None:
    a, b, url = workers
    engine = make_engine(DatabaseSettings(url=url))
    with Session(engine) as s:
        order = s.exec(select(Order).where(col(Order.status) == "pending")).first()
        assert order is not None
        user = s.get(User, order.user_id)
        assert user is not None
    first = _chat(a, f"my email is {user.email}").json()
    conv, token = first["conversation_id"], first["session"]
    proposed = _chat(a, f"please cancel order {order.id}, no longer needed", conv, token).json()
    assert proposed.get("proposal"), proposed
    proposal_token = proposed["proposal"]["token"]
    auth = {"Authorization": f"Bearer {token}"}

    def confirm(base: str) -> httpx.Response:
        return httpx.post(
            f"{base}/v1/conversations/{conv}/confirm",
            json={"token": proposal_token},
            headers=auth,
            timeout=30,
        )

    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(confirm, [b, a, b]))  # 6 messages a minute in all
    codes = sorted(r.status_code for r in answers)
    assert 200 in codes and set(codes) <= {200, 409}, [r.text for r in answers]
    again = confirm(b)  # a retry after the race: nothing runs again
    assert again.status_code == 200 and "already done" in again.json()["reply"]
    with Session(engine) as s:
        assert s.get(Order, order.id).status == "cancelled"  # type: ignore[union-attr]
        audits = s.exec(select(AuditLog).where(col(AuditLog.token) == proposal_token)).all()
        actions = s.exec(
            select(Message)
            .where(col(Message.conversation_id) == conv)
            .where(col(Message.role) == "action")
        ).all()
    assert len(audits) == 1 and len(actions) == 1
    engine.dispose()


def _login_attempt(base: str, password: str) -> int:
    with httpx.Client(base_url=base, timeout=10) as client:
        form = client.get("/console/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf, form.text[:300]
        done = client.post(
            "/console/login",
            data={"csrf": csrf.group(1), "email": "agent@shop.example", "password": password},
        )
        return done.status_code


def test_the_login_throttle_counts_attempts_on_both_workers(
    workers: tuple[str, str, str],
) -> None:
    a, b, _ = workers
    # three failed sign-ins per 15 minutes per account and client: one here, two there
    fails = [_login_attempt(base, "wrong password") for base in (a, b, b)]
    assert 429 not in fails and 303 not in fails, fails
    assert _login_attempt(a, "wrong password") == 429
    assert _login_attempt(a, "also wrong") == 429


def test_a_product_written_through_one_worker_is_found_through_the_other(
    workers: tuple[str, str, str],
) -> None:
    a, b, url = workers
    engine = make_engine(DatabaseSettings(url=url))
    _key, secret = ApiKeys(engine).create("sync", ["catalog:write"])
    engine.dispose()
    product = {
        "title": "Zyphorian Moon Lamp",
        "type": "Lamp",
        "description": "A lamp shaped like the moon, dimmable, USB powered.",
        "variants": [{"sku": "ZML-1", "price": 39.0, "inventory": 5}],
    }
    put = httpx.put(
        f"{a}/v1/merchant/products/zyphorian-moon-lamp",
        json=product,
        headers={"Authorization": f"Bearer {secret}"},
        timeout=30,
    )
    assert put.status_code == 200, put.text
    deadline = time.monotonic() + 30
    names: list[str] = []
    while time.monotonic() < deadline:
        found = _chat(b, "find zyphorian moon lamp").json()  # a new chat each time
        names = [c["name"] for c in found.get("cards", [])]
        if "Zyphorian Moon Lamp" in names:
            return
        time.sleep(1.0)
    raise AssertionError(f"worker B never found the product written through A: {names}")
