"""Per-client limits against clients that name their own address: X-Forwarded-For counts
only from trusted proxies (in the app's client key and in the uvicorn that ``shopassist
serve`` runs), the recommendations limit is per client, CSAT floods are refused, and a
text frame of invalid UTF-8 is closed with 1007 as the README says."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import websockets
from fastapi.testclient import TestClient
from starlette.datastructures import Address, Headers
from websockets.exceptions import ConnectionClosed

import assistant.bootstrap
import serving.cli
from assistant.llm.local_server import free_port
from catalog.signing import sign_customer_token
from catalog.staff import StaffStore
from serving.app import create_app
from serving.state import ServerState
from tests.security.conftest import CUSTOMER_SECRET, LiveServer, Shop, run

ROOT = Path(__file__).resolve().parents[2]


def _state(shop: Shop, trusted: list[str]) -> ServerState:
    if trusted:  # (unset, the default applies)
        shop.services.settings.server.trusted_proxies = trusted
    return ServerState(services=shop.services, sessions=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.9", ["1.2.3.4"], [], "203.0.113.9"),  # nobody is trusted by default
        ("127.0.0.1", ["1.2.3.4"], [], "127.0.0.1"),  # not even loopback
        ("127.0.0.1", ["1.2.3.4"], ["10.0.0.0/8"], "127.0.0.1"),  # the peer is no proxy
        ("10.0.0.1", ["1.2.3.4"], ["10.0.0.0/8"], "1.2.3.4"),
        ("10.0.0.1", ["6.6.6.6, 1.2.3.4"], ["10.0.0.1"], "1.2.3.4"),  # forged left hop
        ("10.0.0.1", ["6.6.6.6", "1.2.3.4"], ["10.0.0.1"], "1.2.3.4"),  # two header lines
        ("10.0.0.1", ["1.2.3.4, 10.0.0.7"], ["10.0.0.0/8"], "1.2.3.4"),  # a proxy chain
        ("10.0.0.1", [], ["10.0.0.0/8"], "10.0.0.1"),  # the proxy sent no header
        ("::1", ["[2001:db8::5]:443"], ["::1"], "2001:db8::5"),
    ],
)
def test_the_client_key_takes_forwarded_for_only_from_trusted_proxies(
    shop: Shop, peer: str, forwarded: list[str], trusted: list[str], expected: str
) -> None:
    headers = Headers(raw=[(b"x-forwarded-for", v.encode()) for v in forwarded])
    assert _state(shop, trusted).client_of(headers, Address(peer, 5000)) == expected


def _login_status(c: TestClient, email: str, password: str, **headers: str) -> int:
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/console/login").text)
    assert token
    form = {"csrf": token.group(1), "email": email, "password": password}
    return c.post("/console/login", data=form, headers=headers, follow_redirects=False).status_code


def _flood(c: TestClient, surface: str, n: int, xff: Callable[[int], str]) -> list[int]:
    """``n`` attempts on ``surface``, each naming another client; the statuses (101 = ws)."""
    out = []
    for i in range(n):
        headers = {"X-Forwarded-For": xff(i)}
        if surface == "chat":
            c.cookies.clear()
            out.append(c.post("/v1/chat", json={"message": "hi"}, headers=headers).status_code)
        elif surface == "websocket":
            with c.websocket_connect("/ws/chat", headers=headers) as ws:
                out.append(101 if ws.receive_json()["type"] == "session" else 429)
        else:
            out.append(_login_status(c, f"nobody{i}@shop.example", "wrong", **headers))
    return out


LIMITS = {"chat": (31, [200] * 30), "websocket": (31, [101] * 30), "login": (21, [401] * 20)}


def rotating_forwarded_for_is_ignored(shop: Shop, surface: str) -> None:
    """From an untrusted peer, a new X-Forwarded-For per request is still one client."""
    shop.llm.enqueue(*["Hello!"] * 40)
    with TestClient(create_app(shop.services), client=("127.0.0.1", 5000)) as c:
        n, allowed = LIMITS[surface]
        statuses = _flood(c, surface, n, lambda i: f"198.51.100.{i}")
    assert statuses[: len(allowed)] == allowed and statuses[-1] == 429, statuses


@pytest.mark.parametrize("surface", list(LIMITS))
def test_rotating_forwarded_for_does_not_reset_per_client_limits(shop: Shop, surface: str) -> None:
    rotating_forwarded_for_is_ignored(shop, surface)


@pytest.mark.parametrize(
    ("xff", "limited"),
    [(lambda i: f"198.51.100.{i}", False), (lambda i: f"198.51.100.{i}, 192.0.2.1", True)],
    ids=["each-forwarded-client-has-its-own-budget", "forged-left-hops-are-one-client"],
)
def test_behind_a_trusted_proxy_the_forwarded_client_is_the_key(
    shop: Shop, xff: Callable[[int], str], limited: bool
) -> None:
    shop.services.settings.server.trusted_proxies = ["10.0.0.0/8"]
    with TestClient(create_app(shop.services), client=("10.0.0.1", 5000)) as c:
        statuses = _flood(c, "websocket", 35, xff)
    assert statuses[:30] == [101] * 30
    assert set(statuses[30:]) == ({429} if limited else {101})


@contextmanager
def served(shop: Shop, trusted: list[str]) -> Iterator[tuple[uvicorn.Config, str]]:
    """Serve ``shop`` with the uvicorn configuration ``shopassist serve`` builds."""
    settings = shop.services.settings
    if trusted:
        settings.server.trusted_proxies = trusted
    seen: list[uvicorn.Config] = []

    class Capture:
        def __init__(self, config: uvicorn.Config, url: str) -> None:
            seen.append(config)

        def run(self) -> None:
            pass

    port = free_port()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(serving.cli, "ReadyServer", Capture)
        mp.setattr(assistant.bootstrap, "build_services", lambda *a, **k: shop.services)
        mp.setattr(shop.services, "close", lambda: None)
        serving.cli._serve(settings, argparse.Namespace(host="127.0.0.1", port=port, workers=1))
    server = uvicorn.Server(seen[0])
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield seen[0], f"ws://127.0.0.1:{port}/ws/chat"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


async def _identify(url: str, xff: str, token: str) -> dict[str, Any]:
    async with websockets.connect(url, additional_headers={"X-Forwarded-For": xff}) as ws:
        first = json.loads(await ws.recv())
        if first["type"] != "session":
            return dict(first)
        await ws.send(json.dumps({"type": "identify", "customer_token": token}))
        return dict(json.loads(await asyncio.wait_for(ws.recv(), 10)))


def serve_ignores_forwarded_for_from_loopback(shop: Shop) -> None:
    """20 failed sign-ins under rotating X-Forwarded-For, then the right token: refused."""
    with served(shop, []) as (config, url):
        for i in range(20):
            bad = run(_identify(url, f"198.51.100.{i}", "v1.e30.AAAA"))
            assert bad["error"]["code"] == "identity_not_verified", bad
        right = sign_customer_token(CUSTOMER_SECRET, shop.victim.id)
        last = run(_identify(url, "203.0.113.77", right))
    assert last["type"] == "error" and last["error"]["code"] == "too_many_attempts", last
    assert config.proxy_headers is False


def test_shopassist_serve_ignores_forwarded_for_without_trusted_proxies(shop: Shop) -> None:
    serve_ignores_forwarded_for_from_loopback(shop)


@pytest.mark.parametrize(
    ("trusted", "own_budgets"), [(["10.0.0.0/8"], False), (["127.0.0.1"], True)]
)
def test_shopassist_serve_follows_trusted_proxies(
    shop: Shop, trusted: list[str], own_budgets: bool
) -> None:
    async def connections(url: str) -> list[str]:
        seen = []
        for i in range(33):
            headers = {"X-Forwarded-For": f"198.51.100.{i}"}
            async with websockets.connect(url, additional_headers=headers) as ws:
                seen.append(json.loads(await ws.recv())["type"])
        return seen

    with served(shop, trusted) as (config, url):
        assert config.proxy_headers is True and config.forwarded_allow_ips == trusted
        seen = run(connections(url))
    assert seen[:30] == ["session"] * 30
    assert set(seen[30:]) == ({"session"} if own_budgets else {"error"})


class _Recs:
    def recommend(self, kind: str, **_: Any) -> list[Any]:
        return []


def recs_limit_is_per_client(shop: Shop) -> None:
    """One client past its recommendations budget does not shut them off for others."""
    shop.services.deps.recs = _Recs()  # type: ignore[assignment]
    budget = 60  # SHOP_SECURITY__RECS_PER_MINUTE's default
    with TestClient(create_app(shop.services), client=("198.51.100.1", 1)) as a:
        statuses = [a.get("/v1/recommendations").status_code for _ in range(budget + 5)]
        other = TestClient(a.app, client=("198.51.100.2", 1))  # same app state, no lifespan
        assert other.get("/v1/recommendations").status_code == 200
        shop_page = TestClient(a.app, client=("198.51.100.3", 1))
        assert shop_page.get("/v1/recommendations?kind=popular").status_code == 200
        assert a.get("/v1/recommendations").json()["error"]["code"] == "rate_limited"
    assert statuses == [200] * budget + [429] * 5


def test_the_recommendations_limit_is_per_client(shop: Shop) -> None:
    recs_limit_is_per_client(shop)


def _closed(shop: Shop, conversation_id: str) -> None:
    staff = StaffStore(shop.engine).create(
        f"agent{time.monotonic_ns()}@shop.example", "pw-for-tests-1", role="agent"
    )
    handoffs = shop.chat.support.handoffs
    shop.services.conversations.ensure(conversation_id)
    handoffs.take(conversation_id, staff.id)
    handoffs.close(conversation_id, staff.id, "resolved")


def csat_flood_is_refused(shop: Shop, surface: str) -> None:
    """100 ratings of one closed chat: 5 are stored and pushed, the rest are rate_limited."""
    stored: list[int] = []
    support = shop.chat.support
    original = support.rate

    async def counting(conversation_id: str, rating: int, comment: str = "") -> None:
        stored.append(rating)
        await original(conversation_id, rating, comment)

    with (
        pytest.MonkeyPatch.context() as mp,
        TestClient(create_app(shop.services)) as c,
        c.websocket_connect("/ws/chat") as ws,
    ):
        mp.setattr(support, "rate", counting)
        session = ws.receive_json()
        _closed(shop, session["conversation_id"])
        answers = []
        for i in range(100):
            rating = 1 + i % 5
            if surface == "websocket":
                ws.send_json({"type": "csat", "rating": rating})
                answers.append(ws.receive_json())
            else:
                r = c.post(
                    f"/v1/conversations/{session['conversation_id']}/csat",
                    json={"rating": rating},
                    headers={"Authorization": f"Bearer {session['session']}"},
                )
                answers.append(r.json() if r.status_code == 429 else {"type": "csat_saved"})
        ws.send_json({"type": "ping"})
        assert ws.receive_json() == {"type": "pong"}  # the socket lives on
    assert [a["type"] for a in answers[:5]] == ["csat_saved"] * 5 and len(stored) == 5
    for refused in answers[5:]:
        assert refused["error"]["code"] == "rate_limited"
        assert set(refused["error"]) == {"type", "message", "code"}


@pytest.mark.parametrize("surface", ["websocket", "rest"])
def test_a_csat_flood_is_rate_limited(shop: Shop, surface: str) -> None:
    csat_flood_is_refused(shop, surface)


@pytest.mark.parametrize(
    "payload",
    [
        b"\xff\xfe",
        b'{"type": "message", "text": "\xc3\x28"}',  # a broken two-byte sequence
        b'{"type": "message", "text": "\xc0\xaf"}',  # an overlong "/"
        b'{"type": "message", "text": "\xed\xa0\x80"}',  # an encoded surrogate
        b'{"type": "message", "text": "\xe2\x82',  # cut off mid-character
    ],
)
def test_invalid_utf8_in_a_text_frame_closes_with_1007(live: LiveServer, payload: bytes) -> None:
    async def attack() -> tuple[int | None, str]:
        code = None
        async with websockets.connect(live.ws_url) as ws:
            await ws.recv()
            await ws.send(payload, text=True)
            try:
                await asyncio.wait_for(ws.recv(), 10)
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd else None
        async with websockets.connect(live.ws_url) as again:  # the server carries on
            return code, json.loads(await again.recv())["type"]

    before = live.shop.snapshot()
    assert run(attack()) == (1007, "session")
    assert live.shop.snapshot() == before and live.shop.llm.calls == []


def test_the_readme_says_what_invalid_utf8_and_each_limit_do() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    security = readme.split("## Security", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"invalid UTF-8[^.]*1007", security), "README: invalid UTF-8 → 1007"
    assert "SHOP_SERVER__TRUSTED_PROXIES" in security
    for keyed in ("client address", "conversation", "account"):
        assert keyed in security
