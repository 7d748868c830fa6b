from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.bootstrap import AppServices
from assistant.errors import LLMUnavailableError
from assistant.llm.client import LLMDelta, TextDelta
from serving.app import create_app
from tests.fakes import FakeLLM

SEARCH = (
    '{"tool": "search_catalog", "args": {"query": "waterproof hiking boots", "max_price": 150}}'
)


@pytest.fixture()
def client(services: AppServices) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as c:
        yield c


def _until_done(ws: Any) -> list[dict[str, Any]]:
    frames = []
    while True:
        frame = ws.receive_json()
        frames.append(frame)
        if frame["type"] in ("done", "error"):
            return frames


def test_search_turn_frame_sequence(client: TestClient, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue(SEARCH, "I found waterproof hiking boots under $150.")
    with client.websocket_connect("/ws/chat") as ws:
        session = ws.receive_json()
        assert session["type"] == "session" and session["conversation_id"]
        ws.send_text(
            json.dumps(
                {
                    "type": "message",
                    "text": "waterproof hiking boots under $150",
                    "message_id": "m1",
                }
            )
        )
        frames = _until_done(ws)
    kinds = [f["type"] for f in frames]
    assert kinds[:3] == ["tool_status", "cards", "tool_status"]
    assert set(kinds[3:-1]) == {"token"}  # coalesced: one frame per ~40 ms of text
    assert kinds[-1] == "done"
    assert all(f["message_id"] == "m1" for f in frames)
    assert frames[0]["status"] == "started" and frames[2]["status"] == "finished"
    cards = frames[1]["cards"]
    assert cards and all(c["price"] <= 150 for c in cards)
    assert "".join(f["text"] for f in frames if f["type"] == "token") == frames[-1]["text"]
    assert frames[-1]["conversation_id"] == session["conversation_id"]
    assert frames[-1]["cards"] == cards


@pytest.mark.parametrize(
    "raw, code",
    [
        ("this is not json", "bad_frame"),
        ("[1, 2]", "bad_frame"),
        (json.dumps({"type": "dance"}), "bad_frame"),
        (json.dumps({"text": "no type"}), "bad_frame"),
        (json.dumps({"type": "message", "text": ""}), "message_rejected"),
        (json.dumps({"type": "message", "text": "   "}), "message_rejected"),
        (json.dumps({"type": "message", "text": "x" * 4001}), "message_rejected"),
        (json.dumps({"type": "message", "text": 42}), "message_rejected"),
        (json.dumps({"type": "message"}), "message_rejected"),
    ],
)
def test_bad_frames_get_an_error_and_keep_the_socket(
    client: TestClient, fake_llm: FakeLLM, raw: str, code: str
) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        ws.send_text(raw)
        frame = ws.receive_json()
        assert frame["type"] == "error"
        assert frame["error"]["code"] == code
        assert set(frame["error"]) == {"type", "message", "code"}
        assert frame["error"]["message"]
        # the socket still works afterwards
        ws.send_text(json.dumps({"type": "ping"}))
        assert ws.receive_json() == {"type": "pong"}
        fake_llm.enqueue("Still here!")
        ws.send_text(json.dumps({"type": "message", "text": "hello"}))
        assert _until_done(ws)[-1]["text"] == "Still here!"
    assert fake_llm.pending == 0


class _DyingLLM(FakeLLM):
    """Streams a little, then the backend dies; records when the failure was detected."""

    detected_at = 0.0

    async def stream(
        self, messages: list[dict[str, str]], *, tools: list[dict[str, Any]] | None = None
    ) -> AsyncIterator[LLMDelta]:
        self.calls.append(messages)
        yield TextDelta("Let me ")
        await asyncio.sleep(0.3)
        _DyingLLM.detected_at = time.monotonic()
        raise LLMUnavailableError("the language model is unavailable: connection reset")


def test_llm_crash_gives_error_frame_fast_and_keeps_the_message(services: AppServices) -> None:
    dying = _DyingLLM()
    services.chat.agent.llm = dying
    with TestClient(create_app(services)) as client:
        with client.websocket_connect("/ws/chat") as ws:
            session = ws.receive_json()
            conv = session["conversation_id"]
            ws.send_text(json.dumps({"type": "message", "text": "is anyone there?"}))
            frames = _until_done(ws)
            received = time.monotonic()
        assert frames[-1]["type"] == "error"
        assert frames[-1]["error"]["code"] == "llm_unavailable"
        assert received - _DyingLLM.detected_at < 2.0
        history = client.get(
            f"/v1/conversations/{conv}/messages",
            headers={"Authorization": f"Bearer {session['session']}"},
        ).json()
        assert [(m["role"], m["content"]) for m in history["messages"]] == [
            ("user", "is anyone there?")
        ]


def test_resuming_a_conversation_with_its_session(client: TestClient, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue("First answer.", "Second answer.", "Third answer.")
    with client.websocket_connect("/ws/chat") as ws:
        first = ws.receive_json()
        conv, token = first["conversation_id"], first["session"]
        ws.send_text(json.dumps({"type": "message", "text": "one"}))
        _until_done(ws)
    # same-site: the HttpOnly cookie (set on the handshake) resumes it
    with client.websocket_connect(
        "/ws/chat", headers={"cookie": f"shopassist_session={token}"}
    ) as ws:
        assert ws.receive_json()["conversation_id"] == conv
        ws.send_text(json.dumps({"type": "message", "text": "two"}))
        _until_done(ws)
    assert [m["role"] for m in fake_llm.calls[-1]] == ["system", "user", "assistant", "user"]
    # cross-site: no cookie, the widget sends the token it kept
    client.cookies.clear()
    with client.websocket_connect("/ws/chat") as ws:
        assert ws.receive_json()["conversation_id"] != conv
        ws.send_text(json.dumps({"type": "resume", "session": token}))
        assert ws.receive_json() == {"type": "session", "conversation_id": conv, "session": token}
        ws.send_text(json.dumps({"type": "message", "text": "three"}))
        _until_done(ws)
    assert len(fake_llm.calls[-1]) == 6


def _pending_order(services: AppServices) -> tuple[str, str]:
    from sqlmodel import Session, col, select

    from catalog.models import Order, User

    with Session(services.engine) as s:
        order = s.exec(
            select(Order).where(col(Order.status) == "pending").order_by(col(Order.id).desc())
        ).first()
        assert order is not None
        return order.id, s.get(User, order.user_id).email  # type: ignore[union-attr]


def _propose_cancel(ws: Any, services: AppServices, fake_llm: FakeLLM) -> tuple[str, dict]:  # type: ignore[type-arg]
    """Sign in and propose cancelling a pending order; return its id and the done frame."""
    order_id, email = _pending_order(services)
    fake_llm.enqueue(
        json.dumps({"tool": "find_user_id_by_email", "args": {"email": email}}),
        json.dumps(
            {
                "tool": "cancel_pending_order",
                "args": {"order_id": order_id, "reason": "no longer needed"},
            }
        ),
    )
    ws.receive_json()
    ws.send_text(json.dumps({"type": "message", "text": f"cancel {order_id}, {email}"}))
    return order_id, _until_done(ws)[-1]


def test_confirm_frame_executes_a_proposal_once(
    client: TestClient, services: AppServices, fake_llm: FakeLLM
) -> None:
    from sqlmodel import Session

    from catalog.models import Order

    with client.websocket_connect("/ws/chat") as ws:
        order_id, done = _propose_cancel(ws, services, fake_llm)
        assert done["type"] == "done" and done["text"].startswith("Please confirm: Cancel order")
        token = done["proposal"]["token"]
        with Session(services.engine) as s:
            assert s.get(Order, order_id).status == "pending"  # type: ignore[union-attr]

        ws.send_text(json.dumps({"type": "confirm", "token": "not-a-real-token"}))
        err = ws.receive_json()
        assert err["type"] == "error" and err["error"]["code"] == "confirmation_invalid"

        ws.send_text(json.dumps({"type": "confirm", "token": token}))
        frames = _until_done(ws)
        assert [f["type"] for f in frames] == ["token", "done"]
        assert frames[-1]["text"] == "Done: cancel pending order — the order is now 'cancelled'."
        ws.send_text(json.dumps({"type": "confirm", "token": token}))
        again = _until_done(ws)[-1]
        assert "already done earlier" in again["text"]
    with Session(services.engine) as s:
        assert s.get(Order, order_id).status == "cancelled"  # type: ignore[union-attr]
    assert fake_llm.pending == 0


def test_confirm_frame_in_another_conversation_is_refused(
    client: TestClient, services: AppServices, fake_llm: FakeLLM
) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        token = _propose_cancel(ws, services, fake_llm)[1]["proposal"]["token"]
    client.cookies.clear()
    with client.websocket_connect("/ws/chat") as other:
        other.receive_json()
        other.send_text(json.dumps({"type": "confirm", "token": token}))
        err = other.receive_json()
        assert err["type"] == "error" and err["error"]["code"] == "not_authenticated"
    r = client.post("/v1/conversations/nope/confirm", json={"token": token})
    assert r.status_code == 404


def test_identify_frame_signs_the_customer_in(services: AppServices) -> None:
    """The widget's data-customer-token: a valid token binds the chat, a bad one is typed."""
    from sqlmodel import Session, select

    from catalog.models import User
    from catalog.orders.service import OrderService
    from catalog.signing import sign_customer_token

    services.deps.orders = OrderService(services.engine, customer_token_secret="shop-secret")
    with Session(services.engine) as s:
        user = s.exec(select(User)).first()
        assert user is not None
    with TestClient(create_app(services)) as client:
        with client.websocket_connect("/ws/chat") as ws:
            conv = ws.receive_json()["conversation_id"]
            ws.send_text(json.dumps({"type": "identify", "customer_token": "v1.bad.token"}))
            err = ws.receive_json()
            assert err["type"] == "error" and err["error"]["code"] == "identity_not_verified"
            good = sign_customer_token("shop-secret", user.id)
            ws.send_text(json.dumps({"type": "identify", "customer_token": good}))
            assert ws.receive_json() == {"type": "identified"}
    assert services.deps.orders.actor(conv) == user.id


def test_a_new_socket_reads_no_conversation_a_resumed_one_does(
    client: TestClient, services: AppServices, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A conversation minted for the socket has nothing stored: no store read on connect."""
    reads: list[str] = []
    real_get = services.conversations.get

    def counted_get(conversation_id: str) -> Any:
        reads.append(conversation_id)
        return real_get(conversation_id)

    monkeypatch.setattr(services.conversations, "get", counted_get)
    fake_llm.enqueue("First answer.")
    with client.websocket_connect("/ws/chat") as ws:
        first = ws.receive_json()
        conv, token = first["conversation_id"], first["session"]
        ws.send_text(json.dumps({"type": "ping"}))
        assert ws.receive_json()["type"] == "pong"
        assert reads == []
        ws.send_text(json.dumps({"type": "message", "text": "one"}))
        _until_done(ws)
    reads.clear()
    with client.websocket_connect(
        "/ws/chat", headers={"cookie": f"shopassist_session={token}"}
    ) as ws:
        assert ws.receive_json()["conversation_id"] == conv
        ws.send_text(json.dumps({"type": "ping"}))
        assert ws.receive_json()["type"] == "pong"
    assert reads == [conv]  # a resumed one may be with an agent: its state is read
