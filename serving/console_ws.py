"""The console's websocket: the live queue and open chats, typing both ways.

Needs a staff session cookie and the server's own origin. Frames out are the bus's
``console`` events as ``{"type": kind, …data}``; frames in are ``typing`` (for the chat
the agent holds) and ``ping``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from assistant.support import CONSOLE
from catalog.bus import Event
from catalog.errors import ShopError
from serving.errors import error_body
from serving.sessions import origin_allowed
from serving.staff_auth import session_of
from serving.state import server_state

log = logging.getLogger(__name__)
router = APIRouter()
MAX_FRAME = 4096


def frame_of(event: Event) -> str:
    """Return the console frame of a bus event."""
    body = {"type": event.kind, **event.data}
    if event.truncated:
        body["truncated"] = True  # the console reloads the conversation
    return json.dumps(body, default=str)


@router.websocket("/ws/console")
async def console_socket(ws: WebSocket) -> None:
    """Live console events for a signed-in staff member."""
    state = server_state(ws)
    if not origin_allowed(ws.headers.get("origin"), ws.headers.get("host"), []):
        await ws.close(code=1008, reason="origin not allowed")
        return
    ctx = await asyncio.to_thread(session_of, ws)
    if ctx is None:
        await ws.close(code=1008, reason="sign in to the console first")
        return
    support = state.services.chat.support
    sub = support.bus.subscribe(CONSOLE)
    await ws.accept()
    lock = asyncio.Lock()

    async def send(text: str) -> None:
        async with lock:
            await ws.send_text(text)

    async def forward() -> None:
        async for event in sub:
            await send(frame_of(event))

    pump = asyncio.create_task(forward())
    await send(json.dumps({"type": "hello", "name": ctx.staff.name, "id": ctx.staff.id}))
    try:
        while True:
            raw = await ws.receive_text()
            if len(raw) > MAX_FRAME:
                continue
            try:
                frame = json.loads(raw)
            except json.JSONDecodeError:
                continue
            if not isinstance(frame, dict):
                continue
            if frame.get("type") == "ping":
                await send('{"type":"pong"}')
            elif frame.get("type") == "typing" and isinstance(frame.get("conversation_id"), str):
                try:
                    await support.agent_typing(
                        frame["conversation_id"], ctx.staff, bool(frame.get("on", True))
                    )
                except ShopError as exc:
                    await send(json.dumps({"type": "error", **error_body(exc)}))
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        sub.close()
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pump
