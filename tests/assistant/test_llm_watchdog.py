"""The streaming watchdog against a real loopback HTTP server that only keeps the line open.

SSE keep-alive comments and empty deltas are bytes, not tokens: they must never reset
the first-token or idle timer. After one early token the idle timeout governs, not the
(longer) first-token deadline. Each stalled turn ends near its own deadline.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import pytest

from assistant.errors import LLMUnavailableError
from assistant.llm.client import OpenAICompatibleClient, TextDelta
from assistant.llm.config import LLMSettings

FIRST_S = 2.0  # first-token timeout
IDLE_S = 0.5  # idle timeout between tokens
TOTAL_S = 6.0  # the whole answer (what the stalls used to run into)
TICK_S = 0.1  # keep-alive interval of the server
SLACK_S = 0.6


def _data(delta: dict[str, object]) -> bytes:
    body = {"choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
    return f"data: {json.dumps(body)}\n\n".encode()


KEEP_ALIVE = b": keep-alive\n\n"
EMPTY_DELTA = _data({"content": ""})
ROLE_ONLY = _data({"role": "assistant"})
TOKEN = _data({"content": "Hello"})


async def _script(mode: str, writer: asyncio.StreamWriter) -> None:
    """Write the SSE body of ``mode`` (chunked), one piece per tick."""

    async def send(piece: bytes) -> None:
        writer.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        await writer.drain()

    ticks = int(TOTAL_S * 2 / TICK_S)
    if mode == "keep_alive":
        for _ in range(ticks):
            await send(KEEP_ALIVE)
            await asyncio.sleep(TICK_S)
    elif mode == "empty_deltas":
        await send(ROLE_ONLY)
        for _ in range(ticks):
            await send(EMPTY_DELTA)
            await asyncio.sleep(TICK_S)
    elif mode == "token_then_keep_alive":
        await send(TOKEN)
        for _ in range(ticks):
            await send(KEEP_ALIVE)
            await asyncio.sleep(TICK_S)
    elif mode == "token_then_silence":
        await send(TOKEN)
        await asyncio.sleep(TOTAL_S * 2)
    elif mode == "steady_with_keep_alives":  # healthy: a token every 0.6 × idle
        for word in ("one ", "two ", "three ", "four "):
            await send(_data({"content": word}))
            for _ in range(3):
                await asyncio.sleep(IDLE_S * 0.2)
                await send(KEEP_ALIVE)
        await send(b"data: [DONE]\n\n")
        writer.write(b"0\r\n\r\n")
        await writer.drain()


@pytest.fixture()
async def sse_server() -> AsyncIterator[tuple[str, list[str]]]:
    """A loopback OpenAI-style server; set ``mode[0]`` to pick its behaviour."""
    mode = ["keep_alive"]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                0,
            )
            await reader.readexactly(length)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
            )
            await _script(mode[0], writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/v1", mode
    server.close()
    # Handlers still sleeping in their script are cancelled with the loop; don't wait.


def _client(url: str) -> OpenAICompatibleClient:
    settings = LLMSettings(
        base_url=url,
        first_token_timeout_s=FIRST_S,
        idle_timeout_s=IDLE_S,
        min_prompt_tokens_per_s=1e6,  # the first-token budget is FIRST_S alone
        timeout_s=TOTAL_S,
    )
    return OpenAICompatibleClient(settings, url)


async def _turn(url: str) -> tuple[float, list[str], LLMUnavailableError | None]:
    client = _client(url)
    got: list[str] = []
    started = time.monotonic()
    error: LLMUnavailableError | None = None
    try:
        async for delta in client.stream([{"role": "user", "content": "hi"}]):
            if isinstance(delta, TextDelta):
                got.append(delta.text)
    except LLMUnavailableError as exc:
        error = exc
    finally:
        await client.aclose()
    return time.monotonic() - started, got, error


@pytest.mark.parametrize("mode", ["keep_alive", "empty_deltas"])
async def test_keep_alives_never_count_as_the_first_token(
    sse_server: tuple[str, list[str]], mode: str
) -> None:
    url, server_mode = sse_server
    server_mode[0] = mode
    elapsed, got, error = await _turn(url)
    assert error is not None and error.code == "llm_timeout", (elapsed, error)
    assert "first token" in error.message
    assert got == []
    assert FIRST_S - 0.1 <= elapsed <= FIRST_S + SLACK_S, elapsed  # not TOTAL_S


@pytest.mark.parametrize("mode", ["token_then_keep_alive", "token_then_silence"])
async def test_after_an_early_token_the_idle_timeout_governs(
    sse_server: tuple[str, list[str]], mode: str
) -> None:
    url, server_mode = sse_server
    server_mode[0] = mode
    elapsed, got, error = await _turn(url)
    assert got == ["Hello"]
    assert error is not None and error.code == "llm_timeout", (elapsed, error)
    assert "next token" in error.message
    # near the idle timeout after the token: neither the first-token deadline nor TOTAL_S
    assert IDLE_S - 0.1 <= elapsed <= IDLE_S + SLACK_S, elapsed


async def test_a_steady_model_with_keep_alives_between_tokens_finishes(
    sse_server: tuple[str, list[str]],
) -> None:
    url, server_mode = sse_server
    server_mode[0] = "steady_with_keep_alives"
    elapsed, got, error = await _turn(url)
    assert error is None, error
    assert "".join(got) == "one two three four "
    assert elapsed < FIRST_S + 4 * IDLE_S
