"""The console's JSON API (staff session + CSRF), the shopper's CSAT, and ``/metrics``.

Agents take, reply, hand back and close conversations, and propose order actions through
the same order service as the bot; the customer's yes in their chat executes them.
"""

from __future__ import annotations

import asyncio
import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import ConversationNotFoundError
from assistant.support import SupportService
from assistant.support_metrics import metrics
from assistant.support_views import conversation_detail, queue
from catalog.errors import StaffAuthError
from catalog.handoffs import RESOLUTIONS
from catalog.orders.actions import WRITE_ACTIONS
from serving.metrics import CONTENT_TYPE, is_loopback
from serving.sessions import token_from
from serving.staff_auth import StaffContext, require_admin, require_staff
from serving.state import server_state

router = APIRouter()
Staffed = Annotated[StaffContext, Depends(require_staff)]
Admin = Annotated[StaffContext, Depends(require_admin)]


class Me(BaseModel):
    """The signed-in staff member and the CSRF token for their requests."""

    id: int
    email: str
    name: str
    role: str
    csrf: str
    resolutions: list[str]
    actions: list[str]


class ReplyBody(BaseModel):
    """An agent's message to the shopper."""

    text: str = Field(min_length=1, max_length=4000)


class NoteBody(BaseModel):
    """A hand-back note for the record."""

    note: str = Field(default="", max_length=2000)


class CloseBody(BaseModel):
    """How the conversation ended."""

    resolution: str = Field(description=f"One of: {', '.join(RESOLUTIONS)}.")


class ActionBody(BaseModel):
    """An order action the agent proposes to the customer (tau2 action arguments)."""

    model_config = ConfigDict(extra="forbid")

    action: str = Field(description=f"One of: {', '.join(sorted(WRITE_ACTIONS))}.")
    args: dict[str, Any] = Field(default_factory=dict)


class CsatBody(BaseModel):
    """The shopper's rating of a closed chat."""

    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=1000)


def _support(request: Request) -> SupportService:
    return server_state(request).services.chat.support


@router.get("/console/api/me", response_model=Me)
async def me(ctx: Staffed) -> Me:
    """Who is signed in, with the CSRF token every POST must carry in ``X-CSRF-Token``."""
    s = ctx.staff
    return Me(
        id=s.id,
        email=s.email,
        name=s.name,
        role=s.role,
        csrf=ctx.csrf,
        resolutions=list(RESOLUTIONS),
        actions=sorted(WRITE_ACTIONS),
    )


@router.get("/console/api/queue")
async def get_queue(request: Request, ctx: Staffed) -> dict[str, Any]:
    """Return waiting and taken conversations (oldest first), and recent bot chats."""
    support = _support(request)
    names = await asyncio.to_thread(support.staff.names)
    return await asyncio.to_thread(queue, support.engine, names)


@router.get("/console/api/conversations/{conversation_id}")
async def get_conversation(conversation_id: str, request: Request, ctx: Staffed) -> dict[str, Any]:
    """Handoff summary, transcript with tool calls and cards, audit rows, the customer."""
    support = _support(request)
    names = await asyncio.to_thread(support.staff.names)
    found = await asyncio.to_thread(conversation_detail, support.engine, conversation_id, names)
    if found is None:
        raise ConversationNotFoundError("no such conversation")
    return found


@router.post("/console/api/conversations/{conversation_id}/take")
async def take(conversation_id: str, request: Request, ctx: Staffed) -> dict[str, str]:
    """Take the conversation: exactly one agent wins; the bot stops answering."""
    await _support(request).take(conversation_id, ctx.staff)
    return {"status": "with_agent"}


@router.post("/console/api/conversations/{conversation_id}/reply")
async def reply(
    conversation_id: str, body: ReplyBody, request: Request, ctx: Staffed
) -> dict[str, str]:
    """Send a message to the shopper (shown in their widget at once)."""
    msg = await _support(request).reply(conversation_id, ctx.staff, body.text)
    return {"message_id": msg.message_id}


@router.post("/console/api/conversations/{conversation_id}/hand-back")
async def hand_back(
    conversation_id: str, body: NoteBody, request: Request, ctx: Staffed
) -> dict[str, str]:
    """Give the conversation back to the bot, with a note for the record."""
    await _support(request).hand_back(conversation_id, ctx.staff, body.note)
    return {"status": "bot"}


@router.post("/console/api/conversations/{conversation_id}/close")
async def close(
    conversation_id: str, body: CloseBody, request: Request, ctx: Staffed
) -> dict[str, str]:
    """Close with a resolution code; the shopper is asked to rate the chat."""
    await _support(request).close(conversation_id, ctx.staff, body.resolution)
    return {"status": "closed"}


@router.post("/console/api/conversations/{conversation_id}/actions")
async def propose_action(
    conversation_id: str, body: ActionBody, request: Request, ctx: Staffed
) -> dict[str, str]:
    """Propose an order action; it runs only after the customer's yes in their chat."""
    return await _support(request).propose(conversation_id, ctx.staff, body.action, body.args)


@router.get("/console/api/metrics")
async def get_metrics(request: Request, ctx: Admin, days: int = 14) -> dict[str, Any]:
    """Support figures as JSON (admins): volume, escalations, waits, handle time, CSAT."""
    days = max(1, min(days, 365))
    return await asyncio.to_thread(metrics, _support(request).engine, days=days)


@router.post("/v1/conversations/{conversation_id}/csat")
async def rate(conversation_id: str, body: CsatBody, request: Request) -> dict[str, int]:
    """Store the shopper's 1–5 rating of a closed chat (needs its session token)."""
    state = server_state(request)
    token = token_from(request.headers, request.cookies)
    await asyncio.to_thread(state.sessions.require, conversation_id, token)
    state.count_csat(conversation_id)
    await _support(request).rate(conversation_id, body.rating, body.comment)
    return {"rating": body.rating}


@router.get("/metrics", include_in_schema=False)
async def prometheus(request: Request) -> Response:
    """Prometheus metrics: a bearer token if one is set, else loopback clients only."""
    state = server_state(request)
    wanted = state.services.settings.support.metrics_token
    auth = request.headers.get("authorization", "")
    if wanted is not None:
        given = auth[7:] if auth.lower().startswith("bearer ") else ""
        if not hmac.compare_digest(given.encode(), wanted.get_secret_value().encode()):
            raise StaffAuthError("a metrics token is required", code="metrics_token_required")
    elif not is_loopback(state.client_of(request.headers, request.client)):
        raise StaffAuthError("metrics are served to loopback only", code="metrics_loopback_only")
    assert state.metrics is not None
    return Response(state.metrics.render(), media_type=CONTENT_TYPE)
