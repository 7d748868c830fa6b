"""Frames of one turn: tokens coalesced every ~40 ms, cards, tool status, done or error."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from fastapi import WebSocket, WebSocketDisconnect
from pydantic import BaseModel

from assistant.bootstrap import AppServices
from assistant.events import (
    AgentEvent,
    CardsEvent,
    CartEvent,
    CompareEvent,
    TokenEvent,
    ToolStatusEvent,
)
from assistant.flows.understand import detect_language
from assistant.turns import TurnResult
from catalog.errors import ShopError
from serving.errors import error_body
from serving.frames import (
    CardsFrame,
    CartFrame,
    CompareFrame,
    DoneFrame,
    ErrorFrame,
    InboundConfirm,
    InboundMessage,
    TokenFrame,
    ToolStatusFrame,
)
from serving.metrics import Metrics

log = logging.getLogger(__name__)
COALESCE_S = 0.04
TAIL_S = 0.05
_HANDOFF: dict[str, Literal["waiting", "joined"]] = {
    "waiting_for_agent": "waiting",
    "with_agent": "joined",
}


def turn_outcome(result: TurnResult) -> str:
    """Return the metrics label of a finished turn."""
    if result.handoff and not result.reply:
        return "to_person"
    if result.handoff:
        return "escalated"
    if result.proposal:
        return "proposal"
    return "fallback" if result.fallback else "reply"


class FrameSender:
    """Sends frames one at a time; token text is coalesced into a frame every ~``COALESCE_S``.

    The first piece goes out at once; later pieces are buffered and sent with the first
    piece that arrives ``COALESCE_S`` after the last frame. A timer (a plain loop callback,
    no task per frame) sends what is left if the stream pauses for ``TAIL_S``.
    After the client is gone, frames are dropped so the turn still completes and is stored.
    """

    def __init__(self, ws: WebSocket) -> None:
        """Send on ``ws``."""
        self.ws = ws
        self.open = True
        self._lock = asyncio.Lock()
        self._buffer: list[str] = []
        self._buffer_id = ""
        self._last_frame = -1e9
        self._timer: asyncio.TimerHandle | None = None
        self._tail: asyncio.Task[None] | None = None

    async def send(self, frame: BaseModel) -> None:
        """Flush buffered tokens, then send ``frame``."""
        await self.flush()
        await self._send(frame)

    async def _send(self, frame: BaseModel) -> None:
        if not self.open:
            return
        async with self._lock:
            try:
                await self.ws.send_text(frame.model_dump_json())
            except (WebSocketDisconnect, RuntimeError, OSError):
                self.open = False

    async def token(self, message_id: str, text: str) -> None:
        """Buffer a piece of reply text; it goes out within ``TAIL_S`` at the latest."""
        if self._buffer and self._buffer_id != message_id:
            await self.flush()
        self._buffer.append(text)
        self._buffer_id = message_id
        loop = asyncio.get_running_loop()
        if loop.time() - self._last_frame >= COALESCE_S:
            await self.flush()
        elif self._timer is None:
            self._timer = loop.call_later(TAIL_S, self._flush_tail)

    def _flush_tail(self) -> None:
        self._timer = None
        if self._buffer:
            self._tail = asyncio.get_running_loop().create_task(self._flush_buffer())

    async def flush(self) -> None:
        """Send buffered token text now."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        await self._flush_buffer()

    async def _flush_buffer(self) -> None:
        if not self._buffer:
            return
        text, self._buffer = "".join(self._buffer), []
        self._last_frame = asyncio.get_running_loop().time()
        await self._send(TokenFrame(message_id=self._buffer_id, text=text))


async def run_turn_frames(
    services: AppServices,
    sock: FrameSender,
    conversation_id: str,
    msg: InboundMessage | InboundConfirm,
    message_id: str,
    client: str,
    metrics: Metrics | None = None,
) -> None:
    """Run one turn and send its frames; every failure ends in a typed error frame."""

    async def emit(event: AgentEvent) -> None:
        if isinstance(event, TokenEvent):
            await sock.token(message_id, event.text)
        elif isinstance(event, CardsEvent):
            await sock.send(
                CardsFrame(message_id=message_id, cards=[c.model_dump() for c in event.cards])
            )
        elif isinstance(event, CartEvent):
            await sock.send(CartFrame(message_id=message_id, cart=event.cart))
        elif isinstance(event, CompareEvent):
            await sock.send(
                CompareFrame(message_id=message_id, headers=event.headers, rows=event.rows)
            )
        elif isinstance(event, ToolStatusEvent):
            await sock.send(
                ToolStatusFrame(
                    message_id=message_id, tool=event.tool, status=event.status, detail=event.detail
                )
            )

    try:
        if isinstance(msg, InboundConfirm):
            result = await services.chat.confirm(
                conversation_id, msg.token, emit=emit, message_id=message_id, client=client
            )
        else:
            result = await services.chat.run_turn(
                conversation_id,
                msg.text,
                emit=emit,
                message_id=message_id,
                client=client,
                check_replay=msg.message_id is not None,  # server-made ids are always new
            )
    except ShopError as exc:
        if metrics is not None:
            metrics.error(exc.code)
        await sock.send(ErrorFrame(message_id=message_id, error=error_body(exc)["error"]))
        return
    except Exception as exc:  # never let one turn kill the socket
        log.exception("turn failed conversation=%s message=%s", conversation_id, message_id)
        if metrics is not None:
            metrics.error("internal_error")
        await sock.send(ErrorFrame(message_id=message_id, error=error_body(exc)["error"]))
        return
    if metrics is not None:
        metrics.turn(
            outcome=turn_outcome(result),
            total_s=result.total_seconds,
            llm_s=result.llm_seconds,
        )
    if result.replayed:
        await sock.token(message_id, result.reply)
    await sock.send(
        DoneFrame(
            message_id=message_id,
            conversation_id=result.conversation_id,
            text=result.reply,
            cards=result.cards,
            proposal=result.proposal,
            handoff=_HANDOFF.get(result.handoff or "")
            or ("waiting" if "transfer_to_human_agents" in result.tools_used else None),
            lang=result.lang
            or (detect_language(msg.text, default="") if isinstance(msg, InboundMessage) else "")
            or None,
            timings={
                "total_s": round(result.total_seconds, 3),
                "llm_s": round(result.llm_seconds, 3),
            },
        )
    )
