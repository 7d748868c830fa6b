"""The chat websocket: one conversation per socket, typed JSON frames, errors keep the socket."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ValidationError

from assistant.bootstrap import AppServices
from assistant.conversations import new_id
from assistant.events import AgentEvent, CardsEvent, TokenEvent, ToolStatusEvent
from catalog.errors import ShopError
from serving.errors import ProtocolError, error_body
from serving.frames import (
    CardsFrame,
    DoneFrame,
    ErrorFrame,
    InboundConfirm,
    InboundMessage,
    PongFrame,
    SessionFrame,
    TokenFrame,
    ToolStatusFrame,
)

log = logging.getLogger(__name__)
router = APIRouter()
MAX_FRAME_BYTES = 64_000


class _Socket:
    """Sends frames; after the client is gone, drops them so the turn still completes."""

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.open = True

    async def send(self, frame: BaseModel) -> None:
        if not self.open:
            return
        try:
            await self.ws.send_text(frame.model_dump_json())
        except (WebSocketDisconnect, RuntimeError, OSError):
            self.open = False


def _parse(raw: str) -> InboundMessage | InboundConfirm | PongFrame:
    if len(raw.encode("utf-8", "ignore")) > MAX_FRAME_BYTES:
        raise ProtocolError(f"frame is larger than {MAX_FRAME_BYTES} bytes")
    try:
        data: Any = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"frame is not valid JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise ProtocolError("frame must be a JSON object with a 'type'")
    kind = data.get("type")
    if kind == "ping":
        return PongFrame()
    if kind not in ("message", "confirm"):
        raise ProtocolError(f"unknown frame type {kind!r}; expected 'message', 'confirm' or 'ping'")
    try:
        if kind == "confirm":
            return InboundConfirm.model_validate(data)
        return InboundMessage.model_validate(data)
    except ValidationError as exc:
        raise ProtocolError(f"malformed message frame: {exc.errors()[0]['msg']}") from exc


async def _turn(
    services: AppServices, sock: _Socket, conversation_id: str, msg: InboundMessage | InboundConfirm
) -> None:
    message_id = msg.message_id or new_id()

    async def emit(event: AgentEvent) -> None:
        if isinstance(event, TokenEvent):
            await sock.send(TokenFrame(message_id=message_id, text=event.text))
        elif isinstance(event, CardsEvent):
            await sock.send(
                CardsFrame(message_id=message_id, cards=[c.model_dump() for c in event.cards])
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
                conversation_id, msg.token, emit=emit, message_id=message_id
            )
        else:
            result = await services.chat.run_turn(
                conversation_id, msg.text, emit=emit, message_id=message_id
            )
    except ShopError as exc:
        await sock.send(ErrorFrame(message_id=message_id, error=error_body(exc)["error"]))
        return
    except Exception as exc:  # never let one turn kill the socket
        log.exception("turn failed")
        await sock.send(ErrorFrame(message_id=message_id, error=error_body(exc)["error"]))
        return
    await sock.send(
        DoneFrame(
            message_id=message_id,
            conversation_id=result.conversation_id,
            text=result.reply,
            cards=result.cards,
            proposal=result.proposal,
            timings={
                "total_s": round(result.total_seconds, 3),
                "llm_s": round(result.llm_seconds, 3),
            },
        )
    )


@router.websocket("/ws/chat")
async def chat_socket(ws: WebSocket) -> None:
    """Chat over a websocket; ``?conversation_id=`` resumes a conversation."""
    services: AppServices = ws.app.state.services
    await ws.accept()
    sock = _Socket(ws)
    requested = ws.query_params.get("conversation_id") or None
    conv = services.conversations.ensure(requested[:64] if requested else None)
    await sock.send(SessionFrame(conversation_id=conv.id))
    while sock.open:
        try:
            raw = await ws.receive_text()
        except (WebSocketDisconnect, RuntimeError):
            break
        try:
            frame = _parse(raw)
        except ProtocolError as exc:
            await sock.send(ErrorFrame(error=error_body(exc)["error"]))
            continue
        if isinstance(frame, PongFrame):
            await sock.send(frame)
            continue
        await _turn(services, sock, conv.id, frame)
