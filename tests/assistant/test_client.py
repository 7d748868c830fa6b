"""The real OpenAI-compatible client against a loopback server speaking the OpenAI SSE API."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from assistant.errors import LLMUnavailableError
from assistant.llm.client import NativeToolCall, OpenAICompatibleClient, TextDelta
from assistant.llm.config import LLMSettings


def _chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
    body = {
        "id": "x",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


class _Handler(BaseHTTPRequestHandler):
    mode = "text"
    requests: list[dict[str, Any]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("content-length", 0))
        _Handler.requests.append(json.loads(self.rfile.read(length)))
        if _Handler.mode == "drop-once" and len(_Handler.requests) == 1:
            self.close_connection = True
            self.connection.shutdown(2)  # closed without a response, like a stale keep-alive
            return
        if _Handler.mode == "hang":
            time.sleep(3)
            return
        if _Handler.mode == "500":
            self.send_response(500)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"error": {"message": "boom"}}')
            return
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        if _Handler.mode in ("text", "drop-once"):
            for piece in ["Hel", "lo ", "there"]:
                self.wfile.write(_chunk({"content": piece}))
        else:
            call = {
                "index": 0,
                "id": "c1",
                "type": "function",
                "function": {"name": "search_catalog", "arguments": '{"query": '},
            }
            self.wfile.write(_chunk({"tool_calls": [call]}))
            more = {"index": 0, "function": {"arguments": '"boots"}'}}
            self.wfile.write(_chunk({"tool_calls": [more]}))
        self.wfile.write(_chunk({}, "stop"))
        self.wfile.write(b"data: [DONE]\n\n")


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.requests = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()


async def _collect(client: OpenAICompatibleClient, **kw: Any) -> list[Any]:
    return [d async for d in client.stream([{"role": "user", "content": "hi"}], **kw)]


async def test_streams_text(server: str) -> None:
    _Handler.mode = "text"
    client = OpenAICompatibleClient(LLMSettings(model="m"), server)
    deltas = await _collect(client)
    assert "".join(d.text for d in deltas if isinstance(d, TextDelta)) == "Hello there"
    assert _Handler.requests[0]["stream"] is True
    assert "tools" not in _Handler.requests[0]


async def test_native_tool_calls_are_assembled(server: str) -> None:
    _Handler.mode = "tools"
    client = OpenAICompatibleClient(LLMSettings(model="m", base_url=server), server)
    tools = [{"type": "function", "function": {"name": "search_catalog", "parameters": {}}}]
    deltas = await _collect(client, tools=tools)
    assert deltas == [NativeToolCall("search_catalog", {"query": "boots"})]
    assert _Handler.requests[0]["tools"][0]["function"]["name"] == "search_catalog"


async def test_timeout_becomes_llm_unavailable(server: str) -> None:
    _Handler.mode = "hang"
    client = OpenAICompatibleClient(LLMSettings(model="m", timeout_s=0.5), server)
    started = time.monotonic()
    with pytest.raises(LLMUnavailableError, match="did not finish within"):
        await _collect(client)
    assert time.monotonic() - started < 2.0


async def test_server_error_and_refused_connection(server: str) -> None:
    _Handler.mode = "500"
    with pytest.raises(LLMUnavailableError):
        await _collect(OpenAICompatibleClient(LLMSettings(model="m"), server))
    dead = OpenAICompatibleClient(LLMSettings(model="m"), "http://127.0.0.1:9/v1")
    with pytest.raises(LLMUnavailableError):
        await _collect(dead)
    with pytest.raises(LLMUnavailableError):
        await dead.ping()


async def test_one_retry_when_the_connection_drops_before_any_output(server: str) -> None:
    _Handler.mode = "drop-once"
    client = OpenAICompatibleClient(LLMSettings(model="m"), server)
    deltas = await _collect(client)
    assert "".join(d.text for d in deltas if isinstance(d, TextDelta)) == "Hello there"
    assert len(_Handler.requests) == 2
