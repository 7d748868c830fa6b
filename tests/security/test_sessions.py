"""Sessions, enumeration and cross-origin: only the server makes conversation ids, every
read/resume/confirm needs the conversation's secret, unknown and forbidden look the same,
and only the server's own origin (or a listed one) may call from a browser."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from catalog.signing import sign_session
from serving.app import create_app
from tests.security.conftest import Shop

NOT_FOUND = {"type": "ConversationNotFoundError", "code": "conversation_not_found"}


@pytest.fixture()
def client(shop: Shop) -> Iterator[TestClient]:
    with TestClient(create_app(shop.services)) as c:
        yield c


def _victim_conversation(client: TestClient, shop: Shop) -> tuple[str, str]:
    shop.llm.enqueue("Hello! How can I help?")
    body = client.post("/v1/chat", json={"message": "hi, my email is v@x.com"}).json()
    client.cookies.clear()
    return body["conversation_id"], body["session"]


def _forged(client: TestClient, real: str, token: str, kind: str) -> tuple[str, dict[str, str]]:
    """Return (conversation id, headers) an attacker would try."""
    other_secret = sign_session("not-the-server-secret", real)
    return {
        "unknown_id": ("0" * 32, {}),
        "known_id_no_token": (real, {}),
        "known_id_wrong_secret": (real, {"Authorization": f"Bearer {other_secret}"}),
        "known_id_truncated_token": (real, {"Authorization": f"Bearer {token[:-4]}"}),
        "known_id_other_conversations_token": (real, {"Authorization": "Bearer OTHER"}),
        "chosen_id_1": ("1", {}),
        "chosen_id_admin": ("admin", {}),
        "chosen_id_with_forged_token": ("admin", {"Authorization": "Bearer v1.admin.AAAA"}),
        "cookie_for_other_conversation": (real, {"Cookie": "shopassist_session=OTHER"}),
    }[kind]


KINDS = [
    "unknown_id",
    "known_id_no_token",
    "known_id_wrong_secret",
    "known_id_truncated_token",
    "known_id_other_conversations_token",
    "chosen_id_1",
    "chosen_id_admin",
    "chosen_id_with_forged_token",
    "cookie_for_other_conversation",
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("endpoint", ["history", "confirm", "chat"])
def test_conversations_need_their_secret_and_unknown_looks_like_forbidden(
    client: TestClient, shop: Shop, kind: str, endpoint: str
) -> None:
    conv, token = _victim_conversation(client, shop)
    shop.llm.enqueue("Hi")
    other = client.post("/v1/chat", json={"message": "hello"}).json()["session"]
    client.cookies.clear()
    target, headers = _forged(client, conv, token, kind)
    headers = {k: v.replace("OTHER", other) for k, v in headers.items()}
    before = shop.snapshot()
    if endpoint == "history":
        r = client.get(f"/v1/conversations/{target}/messages", headers=headers)
    elif endpoint == "confirm":
        r = client.post(
            f"/v1/conversations/{target}/confirm", json={"token": "abc"}, headers=headers
        )
    else:
        r = client.post(
            "/v1/chat", json={"message": "yes", "conversation_id": target}, headers=headers
        )
    assert r.status_code == 404, r.text
    assert {k: r.json()["error"][k] for k in ("type", "code")} == NOT_FOUND
    assert "v@x.com" not in r.text
    assert shop.snapshot() == before
    client.cookies.clear()
    # the real owner still gets in
    ok = client.get(
        f"/v1/conversations/{conv}/messages", headers={"Authorization": f"Bearer {token}"}
    )
    assert ok.status_code == 200 and ok.json()["messages"][0]["content"].startswith("hi")


@pytest.mark.parametrize("kind", KINDS)
def test_websocket_resume_needs_the_secret(client: TestClient, shop: Shop, kind: str) -> None:
    conv, token = _victim_conversation(client, shop)
    target, headers = _forged(client, conv, token, kind)
    guess = headers.get("Authorization", "Bearer v1." + target + ".x")[7:]
    with client.websocket_connect("/ws/chat") as ws:
        fresh = ws.receive_json()
        assert fresh["conversation_id"] != conv  # the server chose a new id
        ws.send_text(json.dumps({"type": "resume", "session": guess.replace("OTHER", "x")}))
        err = ws.receive_json()
        assert err["type"] == "error" and err["error"]["code"] == "conversation_not_found"
        ws.send_text(json.dumps({"type": "ping"}))
        assert ws.receive_json() == {"type": "pong"}  # still the fresh conversation


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "http://testserver.evil.example",
        "http://evil.example:80",
        "null",
        "http://testserver:8080",
        "https://testserver.attacker",
        "file://",
    ],
)
def test_foreign_origins_are_refused_everywhere(
    client: TestClient, shop: Shop, origin: str
) -> None:
    conv, token = _victim_conversation(client, shop)
    before = shop.snapshot()
    h = {"Origin": origin, "Authorization": f"Bearer {token}"}
    r = client.get(f"/v1/conversations/{conv}/messages", headers=h)
    assert r.status_code == 403 and r.json()["error"]["code"] == "origin_not_allowed"
    assert "access-control-allow-origin" not in r.headers
    r = client.post("/v1/chat", json={"message": "yes", "conversation_id": conv}, headers=h)
    assert r.status_code == 403 and r.json()["error"]["code"] == "origin_not_allowed"
    with pytest.raises(WebSocketDisconnect) as closed:
        with client.websocket_connect(
            "/ws/chat", headers={"origin": origin, "cookie": f"shopassist_session={token}"}
        ) as ws:
            ws.receive_json()
    assert closed.value.code == 1008
    assert shop.snapshot() == before


def test_same_origin_and_listed_origins_are_allowed(shop: Shop) -> None:
    shop.services.settings.server.allowed_origins = ["https://shop.example"]
    with TestClient(create_app(shop.services)) as c:
        for origin in ("http://testserver", "https://shop.example"):
            with c.websocket_connect("/ws/chat", headers={"origin": origin}) as ws:
                assert ws.receive_json()["type"] == "session"
        r = c.options(
            "/v1/chat",
            headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"},
        )
        assert r.headers["access-control-allow-origin"] == "https://shop.example"
        r = c.options(
            "/v1/chat",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert r.headers.get("access-control-allow-origin") != "https://evil.example"


def test_session_cookie_is_httponly_and_samesite(client: TestClient, shop: Shop) -> None:
    shop.llm.enqueue("Hi")
    r = client.post("/v1/chat", json={"message": "hello"})
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert r.json()["session"] in cookie
