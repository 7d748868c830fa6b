"""FrameSender: token text is coalesced into frames, in order, and never left behind."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from serving.streaming import COALESCE_S, TAIL_S, FrameSender


class _Socket:
    """Records what would go on the wire, with the loop time of each frame."""

    def __init__(self) -> None:
        self.sent: list[tuple[float, dict[str, Any]]] = []

    async def send_text(self, text: str) -> None:
        self.sent.append((asyncio.get_running_loop().time(), json.loads(text)))


def _sender() -> tuple[FrameSender, _Socket]:
    sock = _Socket()
    return FrameSender(sock), sock  # type: ignore[arg-type]


async def test_fast_tokens_are_coalesced_in_order() -> None:
    sender, sock = _sender()
    for i in range(40):  # one token every 5 ms for 200 ms
        await sender.token("m1", f"t{i} ")
        await asyncio.sleep(0.005)
    await sender.flush()
    frames = [f for _, f in sock.sent]
    assert "".join(f["text"] for f in frames) == "".join(f"t{i} " for i in range(40))
    assert frames[0]["text"] == "t0 "  # the first piece goes out at once
    # 200 ms of text: about one frame per COALESCE_S, far fewer than the 40 tokens
    assert 3 <= len(frames) <= 0.2 / COALESCE_S + 2
    gaps = [b[0] - a[0] for a, b in zip(sock.sent[1:], sock.sent[2:], strict=False)]
    assert all(g >= COALESCE_S - 0.01 for g in gaps)


async def test_a_pause_flushes_the_buffer_within_the_tail_time() -> None:
    sender, sock = _sender()
    await sender.token("m1", "Hello")  # sent at once
    await sender.token("m1", " there")  # buffered: the last frame was just now
    assert [f["text"] for _, f in sock.sent] == ["Hello"]
    await asyncio.sleep(TAIL_S + 0.03)  # the model pauses: the timer sends the rest
    assert [f["text"] for _, f in sock.sent] == ["Hello", " there"]


async def test_a_new_message_flushes_the_previous_ones_text_first() -> None:
    sender, sock = _sender()
    await sender.token("m1", "a")
    await sender.token("m1", "b")
    await sender.token("m2", "c")
    await sender.flush()
    assert [(f["message_id"], f["text"]) for _, f in sock.sent] == [
        ("m1", "a"),
        ("m1", "b"),
        ("m2", "c"),
    ]
