"""Raw websocket clients against a real uvicorn server (as ``shopassist serve`` runs it):
oversized, binary and invalid frames, and floods of messages and connections."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from tests.security.conftest import LiveServer, run


async def _frames_until(ws: Any, kinds: set[str]) -> list[dict[str, Any]]:
    out = []
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        out.append(frame)
        if frame["type"] in kinds:
            return out


@pytest.mark.parametrize("size", [65_537, 200_000, 1_000_000, 16_000_000])
def test_oversized_frames_close_the_socket_without_buffering(live: LiveServer, size: int) -> None:
    async def attack() -> int | None:
        async with websockets.connect(live.ws_url, max_size=None) as ws:
            await ws.recv()  # session
            try:
                await ws.send("x" * size)
                await asyncio.wait_for(ws.recv(), 10)
            except ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else None
        return None

    before = live.shop.snapshot()
    assert run(attack()) == 1009  # "message too big"
    assert live.shop.snapshot() == before


@pytest.mark.parametrize(
    "payload, code",
    [
        (b"", "bad_frame"),
        (b"\x00\x01\x02", "bad_frame"),
        (b'{"type": "message", "text": "hi"}', "bad_frame"),
        ('{"type": "message", "text": "\\ud800"}', "bad_text"),
        ('{"type": "confirm", "token": "\\udfff"}', "bad_text"),
        ('{"type": "message", "text": "x", "message_id": ""}', "bad_frame"),
        ('{"type": "message", "text": "x", "message_id": "' + "m" * 65 + '"}', "bad_frame"),
        ('{"type": "resume"}', "bad_frame"),
        ('{"type": "identify", "customer_token": ""}', "bad_frame"),
        ("[" * 10_000, "bad_frame"),
        ('{"type": "message", "text": ' + '"x' * 20_000 + '"}', "bad_frame"),
    ],
)
def test_bad_frames_get_a_typed_error_and_the_socket_lives(
    live: LiveServer, payload: str | bytes, code: str
) -> None:
    async def attack() -> tuple[dict[str, Any], dict[str, Any]]:
        async with websockets.connect(live.ws_url) as ws:
            await ws.recv()
            await ws.send(payload)
            err = json.loads(await asyncio.wait_for(ws.recv(), 10))
            await ws.send(json.dumps({"type": "ping"}))
            pong = json.loads(await asyncio.wait_for(ws.recv(), 10))
            return err, pong

    before = live.shop.snapshot()
    err, pong = run(attack())
    assert err["type"] == "error" and err["error"]["code"] == code, err
    assert set(err["error"]) == {"type", "message", "code"}
    assert pong == {"type": "pong"}
    assert live.shop.snapshot() == before


def test_a_message_flood_is_refused_not_queued(live: LiveServer) -> None:
    """5,000 messages on one socket: one turn runs, the rest get busy or rate_limited."""
    live.shop.llm.delay_s = 0.05
    live.shop.llm.enqueue(*["Hello there, how can I help?"] * 40)

    async def attack() -> dict[str, int]:
        counts: dict[str, int] = {}
        async with websockets.connect(live.ws_url) as ws:
            await ws.recv()
            for i in range(5000):
                await ws.send(json.dumps({"type": "message", "text": "hi", "message_id": f"m{i}"}))
            deadline = asyncio.get_running_loop().time() + 30
            while asyncio.get_running_loop().time() < deadline:
                try:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 2))
                except TimeoutError:
                    break
                key = frame["error"]["code"] if frame["type"] == "error" else frame["type"]
                counts[key] = counts.get(key, 0) + 1
        return counts

    counts = run(attack())
    assert counts.get("done", 0) <= 20  # the per-conversation limit per minute
    assert counts.get("busy", 0) + counts.get("rate_limited", 0) >= 4900
    assert len(live.shop.llm.calls) <= 20


def test_a_second_message_while_a_turn_runs_is_busy(live: LiveServer) -> None:
    live.shop.llm.delay_s = 0.2
    live.shop.llm.enqueue("A fairly long answer that streams for a while.")

    async def attack() -> list[dict[str, Any]]:
        async with websockets.connect(live.ws_url) as ws:
            await ws.recv()
            await ws.send(json.dumps({"type": "message", "text": "one", "message_id": "a"}))
            await ws.send(json.dumps({"type": "message", "text": "two", "message_id": "b"}))
            return await _frames_until(ws, {"done"})

    frames = run(attack())
    busy = [f for f in frames if f["type"] == "error"]
    assert busy and busy[0]["message_id"] == "b" and busy[0]["error"]["code"] == "busy"
    assert frames[-1]["message_id"] == "a"


def test_a_connection_flood_is_rate_limited(live: LiveServer) -> None:
    async def attack() -> list[str]:
        seen = []
        for _ in range(35):
            async with websockets.connect(live.ws_url) as ws:
                seen.append(json.loads(await ws.recv())["type"])
        return seen

    seen = run(attack())
    assert seen[:30] == ["session"] * 30 and set(seen[30:]) == {"error"}


def test_a_repeated_message_id_returns_the_stored_outcome(live: LiveServer) -> None:
    live.shop.llm.enqueue("First and only answer.")

    async def retry() -> tuple[dict[str, Any], dict[str, Any]]:
        async with websockets.connect(live.ws_url) as ws:
            await ws.recv()
            msg = json.dumps({"type": "message", "text": "hi", "message_id": "same"})
            await ws.send(msg)
            first = (await _frames_until(ws, {"done", "error"}))[-1]
            await ws.send(msg)
            second = (await _frames_until(ws, {"done", "error"}))[-1]
            return first, second

    first, second = run(retry())
    assert first["type"] == second["type"] == "done" and first["text"] == second["text"]
    assert len(live.shop.llm.calls) == 1
