"""The chat websocket: one conversation per socket, typed JSON frames, errors keep the socket.

Handshake: the Origin must be the server's own or listed in ``server.allowed_origins``; new
connections are rate-limited per client address. The server then sends a ``session`` frame
with a conversation it created (or the one the session cookie names) and its token.
A cross-site widget resumes its conversation with ``{"type": "resume", "session": …}``.

Turns run as tasks so the socket keeps answering: a message while a turn is in flight
gets a typed ``busy`` error instead of queueing, pings are answered at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ValidationError

from assistant.bootstrap import AppServices
from assistant.conversations import new_id
from assistant.errors import BusyError, ConversationNotFoundError
from assistant.support import shopper_topic
from catalog.bus import Event, Subscription
from catalog.errors import ShopError
from serving.errors import ProtocolError, error_body
from serving.frames import (
    AgentMessageFrame,
    CartFrame,
    CsatThanksFrame,
    ErrorFrame,
    HandoffFrame,
    IdentifiedFrame,
    InboundCart,
    InboundConfirm,
    InboundCsat,
    InboundIdentify,
    InboundMessage,
    InboundResume,
    InboundTyping,
    PongFrame,
    ProposalFrame,
    SessionFrame,
    TypingFrame,
)
from serving.sessions import COOKIE, origin_allowed
from serving.state import ServerState, server_state
from serving.streaming import FrameSender, run_turn_frames

log = logging.getLogger(__name__)
router = APIRouter()
Inbound = (
    InboundMessage
    | InboundConfirm
    | InboundResume
    | InboundIdentify
    | InboundTyping
    | InboundCsat
    | InboundCart
    | PongFrame
)
_KINDS: dict[str, type[BaseModel]] = {
    "message": InboundMessage,
    "confirm": InboundConfirm,
    "resume": InboundResume,
    "identify": InboundIdentify,
    "typing": InboundTyping,
    "csat": InboundCsat,
    "cart": InboundCart,
}
CART_ACTIONS_PER_MINUTE = 60
TYPING_PER_MINUTE = 40


def parse_frame(raw: str, max_bytes: int) -> Inbound:
    """Parse one text frame or raise ProtocolError with what is wrong."""
    if len(raw) > max_bytes or len(raw.encode("utf-8", "surrogatepass")) > max_bytes:
        raise ProtocolError(f"frame is larger than {max_bytes} bytes", code="frame_too_large")
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ProtocolError("frame is not valid UTF-8 text", code="bad_text") from exc
    try:
        data: Any = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"frame is not valid JSON: {exc.msg}") from exc
    except (RecursionError, ValueError) as exc:  # absurdly deep nesting, bad numbers
        raise ProtocolError("frame is not valid JSON") from exc
    if not isinstance(data, dict):
        raise ProtocolError("frame must be a JSON object with a 'type'")
    kind = data.get("type")
    if kind == "ping":
        return PongFrame()
    model = _KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise ProtocolError(
            f"unknown frame type {kind!r}; expected one of message, confirm, resume, identify, "
            "typing, csat, cart, ping"
        )
    try:
        frame: Inbound = model.model_validate(data)  # type: ignore[assignment]
    except ValidationError as exc:
        raise ProtocolError(f"malformed {kind} frame: {exc.errors()[0]['msg']}") from exc
    if isinstance(frame, InboundMessage | InboundConfirm) and isinstance(frame.text_or_token, str):
        try:
            frame.text_or_token.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ProtocolError("text is not valid Unicode", code="bad_text") from exc
    return frame


class _Chat:
    """One socket's state: its conversation, client address and the turn in flight."""

    def __init__(self, ws: WebSocket, state: ServerState, conversation_id: str, client: str):
        self.ws = ws
        self.state = state
        self.services: AppServices = state.services
        self.sock = FrameSender(ws)
        self.conversation_id = conversation_id
        self.client = client
        self.turn: asyncio.Task[None] | None = None
        self.sub: Subscription | None = None
        self.pump: asyncio.Task[None] | None = None

    async def listen(self, *, minted: bool = False) -> None:
        """Receive this conversation's support events (agent messages, state, typing).

        ``minted``: the conversation id was made for this socket a moment ago, so nothing
        is stored under it yet and there is no hand-over state to read (no store hop).
        """
        await self.unlisten()
        support = self.services.chat.support
        self.sub = support.bus.subscribe(shopper_topic(self.conversation_id))
        self.pump = asyncio.create_task(self._forward(self.sub))
        if minted:
            return
        try:  # a read only: a socket that never sends a message stores no conversation
            conv = await asyncio.to_thread(self.services.conversations.get, self.conversation_id)
        except ConversationNotFoundError:
            return
        if conv.status != "bot":
            name = ""
            if conv.agent_id is not None:
                staff = await asyncio.to_thread(support.staff.get, conv.agent_id)
                name = staff.name if staff else ""
            rated = conv.status == "closed" and (
                await asyncio.to_thread(support.handoffs.csat, conv.id) is not None
            )
            if not rated:
                await self.sock.send(HandoffFrame(state=conv.status, name=name))

    async def unlisten(self) -> None:
        if self.sub is not None:
            self.sub.close()
            self.sub = None
        if self.pump is not None:
            self.pump.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.pump
            self.pump = None

    async def _forward(self, sub: Subscription) -> None:
        async for event in sub:
            frame = await self._frame(event)
            if frame is not None:
                await self.sock.send(frame)

    async def _frame(self, event: Event) -> BaseModel | None:
        d = event.data
        if event.kind == "handoff":
            return HandoffFrame(state=str(d.get("state", "")), name=str(d.get("name", "")))
        if event.kind == "typing":
            return TypingFrame(on=bool(d.get("on")), name=str(d.get("name", "")))
        if event.kind == "agent_message":
            text, name = d.get("text"), str(d.get("name", ""))
            if event.truncated or not isinstance(text, str):
                stored = await asyncio.to_thread(
                    self.services.conversations.find_message, str(d.get("message_id", ""))
                )
                if stored is None:
                    return None
                text, name = stored.content, stored.name or ""
            return AgentMessageFrame(message_id=str(d["message_id"]), text=text, name=name)
        if event.kind == "proposal" and not event.truncated:
            return ProposalFrame(
                message_id=str(d["message_id"]),
                token=str(d["token"]),
                summary=str(d.get("summary", "")),
                name=str(d.get("name", "")),
            )
        return None

    async def error(self, exc: BaseException, message_id: str | None = None) -> None:
        await self.sock.send(ErrorFrame(message_id=message_id, error=error_body(exc)["error"]))

    async def session(self) -> None:
        token = self.state.sessions.token_for(self.conversation_id)
        await self.sock.send(SessionFrame(conversation_id=self.conversation_id, session=token))

    async def handle(self, frame: Inbound) -> None:
        if isinstance(frame, PongFrame):
            await self.sock.send(frame)
            return
        if isinstance(frame, InboundResume):
            if self.turn is not None and not self.turn.done():
                await self.error(BusyError("wait for the current answer before resuming"))
                return
            self.conversation_id = await asyncio.to_thread(
                self.state.sessions.resume, frame.session
            )
            await self.session()
            await self.listen()
            return
        if isinstance(frame, InboundTyping):
            try:
                self.state.limits.hit(f"typing:{self.conversation_id}", TYPING_PER_MINUTE)
            except ShopError:
                return  # typing news past the limit is dropped quietly
            await self.services.chat.support.shopper_typing(self.conversation_id, frame.on)
            return
        if isinstance(frame, InboundCsat):
            self.state.count_csat(self.conversation_id)  # past it: a rate_limited error frame
            await self.services.chat.support.rate(self.conversation_id, frame.rating, frame.comment)
            await self.sock.send(CsatThanksFrame(rating=frame.rating))
            return
        if isinstance(frame, InboundCart):
            if frame.action != "get":
                self.state.limits.hit(
                    f"cart:{self.conversation_id}", CART_ACTIONS_PER_MINUTE, "cart changes"
                )
            cart = await self.services.carts.run(
                self.conversation_id, frame.action, frame.tool_args(), client=self.client
            )
            await self.sock.send(CartFrame(cart=cart))
            return
        if isinstance(frame, InboundIdentify):
            conv = await asyncio.to_thread(self.services.conversations.ensure, self.conversation_id)
            await asyncio.to_thread(
                self.services.deps.orders.authenticate_token,
                conv.id,
                frame.customer_token,
                client=self.client,
            )
            await self.sock.send(IdentifiedFrame())
            return
        message_id = frame.message_id or new_id()
        if self.turn is not None and not self.turn.done():
            await self.error(BusyError("the assistant is still answering"), message_id)
            return
        await self.state.count_message(self.conversation_id, self.client)
        self.turn = asyncio.create_task(
            run_turn_frames(
                self.services,
                self.sock,
                self.conversation_id,
                frame,
                message_id,
                self.client,
                self.state.metrics,
            )
        )

    async def close(self) -> None:
        await self.unlisten()
        if self.turn is not None and not self.turn.done():
            # The shopper left: let the turn finish and be stored, nobody reads the frames.
            try:
                await asyncio.shield(self.turn)
            except Exception:  # noqa: BLE001 - already reported as a frame or logged
                log.debug("turn ended with an error after the socket closed")


async def _receive_text(ws: WebSocket) -> str | None:
    """Return the next text frame; None when the socket closed; ProtocolError for bytes."""
    message = await ws.receive()
    if message["type"] == "websocket.disconnect":
        return None
    if message.get("text") is not None:
        return str(message["text"])
    if message.get("bytes") is not None:
        raise ProtocolError("binary frames are not supported; send JSON text", code="bad_frame")
    return None


@router.websocket("/ws/chat")
async def chat_socket(ws: WebSocket) -> None:
    """Chat over a websocket (see the module docstring for the handshake)."""
    state = server_state(ws)
    services = state.services
    sec = services.settings.security
    client = state.client_of(ws.headers, ws.client)
    if not origin_allowed(
        ws.headers.get("origin"), ws.headers.get("host"), services.settings.server.allowed_origins
    ):
        log.warning("websocket refused: origin not allowed client=%s", client)
        await ws.close(code=1008, reason="origin not allowed")
        return
    try:
        await state.count_connection_async(client, "new connections")
    except ShopError as exc:
        await ws.accept()
        await ws.send_text(ErrorFrame(error=error_body(exc)["error"]).model_dump_json())
        await ws.close(code=1013, reason="rate limited")
        return
    conversation_id, token = None, ws.cookies.get(COOKIE)
    if token:
        try:
            conversation_id = await asyncio.to_thread(state.sessions.resume, token)
        except ShopError:
            conversation_id = None
    minted = conversation_id is None
    if conversation_id is None:
        conversation_id, token = state.sessions.new()
    assert token is not None
    await ws.accept(headers=[(b"set-cookie", state.sessions.cookie(token).encode())])
    chat = _Chat(ws, state, conversation_id, client)
    await chat.session()
    await chat.listen(minted=minted)
    try:
        while chat.sock.open:
            try:
                raw = await _receive_text(ws)
            except ProtocolError as exc:
                await chat.error(exc)
                continue
            except (WebSocketDisconnect, RuntimeError):
                break
            if raw is None:
                break
            try:
                await chat.handle(parse_frame(raw, sec.max_frame_bytes))
            except ShopError as exc:
                await chat.error(exc)
    finally:
        chat.sock.open = False
        await chat.close()
