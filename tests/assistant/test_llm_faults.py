"""LLM fault paths with the real client and a loopback server that misbehaves on purpose:
it hangs, dies mid-stream, answers HTTP 500 with internals in the body, or sends a broken
stream. Each gives a typed error within the timeout + 1 s; upstream bodies never leak."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.chat_service import ChatService
from assistant.conversations import ConversationStore
from assistant.errors import LLMBadResponseError, LLMUnavailableError
from assistant.flows.agent import FlowAgent
from assistant.flows.replies import say
from assistant.llm.client import OpenAICompatibleClient
from assistant.llm.config import LLMSettings
from evals.stores import EvalStore
from serving.errors import error_body
from tests.conftest import make_settings
from tools.default_registry import default_registry
from tools.deps import Deps

SECRET_BODY = "Traceback: /srv/vllm/secret_internal.py line 42 API_KEY=sk-leak"
TIMEOUT_S = 1.0


def _chunk(text: str) -> bytes:
    body = {"choices": [{"index": 0, "delta": {"content": text}}]}
    return f"data: {json.dumps(body)}\n\n".encode()


def _http(status: int, body: bytes, *, chunked: bool = False) -> bytes:
    head = f"HTTP/1.1 {status} X\r\nContent-Type: text/event-stream\r\n"
    if chunked:
        return (head + "Transfer-Encoding: chunked\r\n\r\n").encode()
    return (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def _serve(mode: str, conn: socket.socket) -> None:
    conn.recv(65536)
    if mode == "hang":
        time.sleep(TIMEOUT_S * 4)
    elif mode == "hang_after_first":
        conn.sendall(_http(200, b"", chunked=True))
        piece = _chunk("Hello")
        conn.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        time.sleep(TIMEOUT_S * 4)
    elif mode == "die_mid_stream":
        conn.sendall(_http(200, b"", chunked=True))
        piece = _chunk("Hello")
        conn.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        time.sleep(0.1)
        conn.shutdown(socket.SHUT_RDWR)
    elif mode == "slow_drip":  # a healthy model, pieces 0.6 × the idle timeout apart
        conn.sendall(_http(200, b"", chunked=True))
        for word in ("one ", "two ", "three "):
            piece = _chunk(word)
            conn.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            time.sleep(TIMEOUT_S * 0.6)
        done = b"data: [DONE]\n\n"
        conn.sendall(f"{len(done):x}\r\n".encode() + done + b"\r\n0\r\n\r\n")
    elif mode == "http500":
        conn.sendall(_http(500, SECRET_BODY.encode()))
    elif mode == "malformed_json":
        conn.sendall(_http(200, b"data: {not json at all\n\n"))
    elif mode == "not_sse":
        conn.sendall(_http(200, b"<html>" + SECRET_BODY.encode() + b"</html>\n"))
    elif mode == "error_event":
        conn.sendall(_http(200, f'data: {{"error": "{SECRET_BODY}"}}\n\n'.encode()))
    conn.close()


@pytest.fixture()
def misbehaving() -> Iterator[tuple[str, list[str]]]:
    mode: list[str] = ["hang"]
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=_serve, args=(mode[0], conn), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/v1", mode
    stop.set()
    thread.join(timeout=2)
    server.close()


def _client(url: str) -> OpenAICompatibleClient:
    settings = LLMSettings(
        base_url=url,
        first_token_timeout_s=TIMEOUT_S,
        idle_timeout_s=TIMEOUT_S,
        min_prompt_tokens_per_s=1e6,  # the test's budget: the base timeout alone
        timeout_s=30,
    )
    return OpenAICompatibleClient(settings, url)


CASES = [
    ("hang", LLMUnavailableError, "llm_timeout"),
    ("hang_after_first", LLMUnavailableError, "llm_timeout"),
    ("die_mid_stream", LLMUnavailableError, "llm_unavailable"),
    ("http500", LLMUnavailableError, "llm_unavailable"),
    ("malformed_json", LLMBadResponseError, "llm_bad_response"),
    ("not_sse", LLMBadResponseError, "llm_bad_response"),
    ("error_event", LLMUnavailableError, "llm_unavailable"),
]


@pytest.mark.parametrize("mode, error, code", CASES)
def test_each_fault_is_a_typed_error_within_the_timeout(
    misbehaving: tuple[str, list[str]], mode: str, error: type[Exception], code: str
) -> None:
    url, current = misbehaving
    current[0] = mode
    client = _client(url)

    async def consume() -> None:
        try:
            async for _ in client.stream([{"role": "user", "content": "hi"}]):
                pass
        finally:
            await client.aclose()

    started = time.monotonic()
    with pytest.raises(error) as info:
        asyncio.run(consume())
    elapsed = time.monotonic() - started
    assert info.value.code == code  # type: ignore[attr-defined]
    assert elapsed < TIMEOUT_S + 1.0, elapsed
    body = error_body(info.value)
    assert "secret" not in json.dumps(body).lower() and "Traceback" not in json.dumps(body)
    assert "human" in body["error"]["message"]  # the shopper is offered a person


def test_a_slow_but_steady_model_and_a_slow_reader_are_not_stalls(
    misbehaving: tuple[str, list[str]],
) -> None:
    """The idle timeout counts from the last piece that arrived: pieces 0.6 × the timeout
    apart (2.4 timeouts in all) pass, and so does a reader that pauses 1.5 timeouts
    between pieces while they wait unread."""
    url, current = misbehaving
    current[0] = "slow_drip"
    client = _client(url)

    async def consume(pause: float) -> str:
        text = ""
        try:
            async for delta in client.stream([{"role": "user", "content": "hi"}]):
                text += getattr(delta, "text", "")
                await asyncio.sleep(pause)
        finally:
            await client.aclose()
        return text

    assert asyncio.run(consume(0.0)) == "one two three "
    assert asyncio.run(consume(TIMEOUT_S * 1.5)) == "one two three "


@pytest.mark.parametrize("mode", ["hang", "http500", "malformed_json"])
def test_a_flows_turn_offers_a_person_in_time_keeps_the_message_and_hands_off(
    misbehaving: tuple[str, list[str]], eval_store: EvalStore, tmp_path: Path, mode: str
) -> None:
    url, current = misbehaving
    current[0] = mode
    engine = eval_store.fresh(f"faults-{mode}")
    client = _client(url)
    from catalog.orders.service import OrderService

    deps = Deps(
        engine=engine,
        searcher=eval_store.searcher.bound_to(engine),
        orders=OrderService(engine),
        llm=client,
    )
    conversations = ConversationStore(engine)
    chat = ChatService(
        FlowAgent(client, default_registry("verified"), use_reader=False),
        deps,
        conversations,
        make_settings(tmp_path).agent,
    )

    async def go() -> tuple[float, str, str, str]:
        try:
            started = time.monotonic()
            first = await chat.run_turn(None, "do you have anything nice for my sister?")
            elapsed = time.monotonic() - started
            human = await chat.run_turn(first.conversation_id, "I want to talk to a human")
            assert first.fallback
            return elapsed, first.conversation_id, first.reply, human.reply
        finally:
            await client.aclose()

    elapsed, conv, offer, handoff = asyncio.run(go())
    # flows degrade to code's reply, which offers a person, within the timeout + 1 s
    assert elapsed < TIMEOUT_S + 1.0, elapsed
    assert "person" in offer and "secret" not in offer.lower()
    assert [m.content for m in conversations.messages(conv, roles=("user",))][0].startswith(
        "do you have"
    )
    # the model being down already handed the chat to a person: the next message waits
    # for them, and code alone says so in one line (no model needed)
    assert "team" in offer and handoff == say("handoff_waiting", "en")
    from sqlmodel import Session

    from catalog.conversations import Conversation

    with Session(engine) as s:
        assert s.get(Conversation, conv).status == "waiting_for_agent"  # type: ignore[union-attr]
    engine.dispose()
