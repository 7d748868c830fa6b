"""REST endpoints: non-streaming chat, conversation history and health."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlmodel import Session, col, func, select

from assistant.errors import LLMUnavailableError
from catalog.models import Product
from serving.errors import StoreUnavailableError, error_body, error_response
from serving.sessions import token_from
from serving.state import server_state

log = logging.getLogger(__name__)
router = APIRouter()


class ChatRequest(BaseModel):
    """Body of ``POST /v1/chat``."""

    message: str = Field(description="The shopper's message (1–4000 characters).")
    conversation_id: str | None = Field(
        default=None,
        max_length=64,
        description="Continue this conversation (send its session token too); unset = new.",
    )
    message_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="Idempotency key: a retry with the same id returns the stored reply.",
    )


class ChatResponse(BaseModel):
    """A finished turn."""

    conversation_id: str
    message_id: str
    reply: str
    cards: list[dict[str, Any]]
    tools_used: list[str]
    timings: dict[str, float]
    proposal: dict[str, str] | None = None
    session: str = Field(description="The conversation's session token (keep it secret).")


class ConfirmRequest(BaseModel):
    """Body of ``POST /v1/conversations/{id}/confirm``."""

    token: str = Field(min_length=1, max_length=64)
    message_id: str | None = Field(default=None, min_length=1, max_length=64)


class StoredMessage(BaseModel):
    """One message of a conversation's history."""

    message_id: str
    role: str = Field(description="user | assistant | agent (a person from the shop) | action")
    content: str
    cards: list[dict[str, Any]]
    created_at: str
    name: str | None = Field(default=None, description="The agent's name for role=agent.")


class HistoryResponse(BaseModel):
    """A conversation's visible history."""

    conversation_id: str
    status: str
    messages: list[StoredMessage]


def _client(request: Request) -> str:
    return server_state(request).client_of(request.headers, request.client)


def _session(
    request: Request, response: Response, conversation_id: str | None, client: str
) -> tuple[str, str]:
    """Return (conversation id, token): the caller's checked conversation, or a new one."""
    state = server_state(request)
    if conversation_id is None:
        state.count_connection(client, "new conversations")
        new_id, token = state.sessions.new()
        response.headers["set-cookie"] = state.sessions.cookie(token)
        return new_id, token
    given = token_from(request.headers, request.cookies)
    state.sessions.require(conversation_id, given)
    assert given is not None
    return conversation_id, given


@router.post("/v1/chat", response_model=ChatResponse)
async def chat(body: ChatRequest, request: Request, response: Response) -> ChatResponse:
    """Run one turn and return the whole reply (no streaming).

    Without ``conversation_id`` the server starts a conversation and returns its
    ``session`` token (also set as an HttpOnly cookie); later calls send the token as
    ``Authorization: Bearer …`` (or rely on the cookie).
    """
    client = _client(request)
    conversation_id, token = await asyncio.to_thread(
        _session, request, response, body.conversation_id, client
    )
    await server_state(request).count_message(conversation_id, client)
    result = await server_state(request).services.chat.run_turn(
        conversation_id, body.message, message_id=body.message_id, client=client
    )
    return ChatResponse(
        conversation_id=result.conversation_id,
        message_id=result.message_id,
        reply=result.reply,
        cards=result.cards,
        tools_used=result.tools_used,
        timings={"total_s": round(result.total_seconds, 3), "llm_s": round(result.llm_seconds, 3)},
        proposal=result.proposal,
        session=token,
    )


@router.post("/v1/conversations/{conversation_id}/confirm", response_model=ChatResponse)
async def confirm(
    conversation_id: str, body: ConfirmRequest, request: Request, response: Response
) -> ChatResponse:
    """Execute a proposed write for the customer who explicitly confirmed it (once)."""
    client = _client(request)
    _conv, token = await asyncio.to_thread(_session, request, response, conversation_id, client)
    await server_state(request).count_message(conversation_id, client)
    result = await server_state(request).services.chat.confirm(
        conversation_id, body.token, message_id=body.message_id, client=client
    )
    return ChatResponse(
        conversation_id=result.conversation_id,
        message_id=result.message_id,
        reply=result.reply,
        cards=[],
        tools_used=result.tools_used,
        timings={"total_s": round(result.total_seconds, 3), "llm_s": 0.0},
        session=token,
    )


@router.get("/v1/conversations/{conversation_id}/messages", response_model=HistoryResponse)
async def history(conversation_id: str, request: Request) -> HistoryResponse:
    """Return a conversation's visible history, oldest first (needs its session token)."""
    state = server_state(request)
    token = token_from(request.headers, request.cookies)
    await asyncio.to_thread(state.sessions.require, conversation_id, token)
    conv = await asyncio.to_thread(state.services.conversations.get, conversation_id)
    msgs = await asyncio.to_thread(
        state.services.conversations.messages,
        conversation_id,
        roles=("user", "assistant", "agent", "action"),
    )
    return HistoryResponse(
        conversation_id=conv.id,
        status=conv.status,
        messages=[
            StoredMessage(
                message_id=m.message_id,
                role=m.role,
                content=m.content,
                cards=m.cards,
                created_at=m.created_at.isoformat(),
                name=m.name if m.role == "agent" else None,
            )
            for m in msgs
        ],
    )


@router.get("/healthz")
async def healthz() -> JSONResponse:
    """Liveness: the process answers. Never calls the LLM or the database."""
    return JSONResponse({"status": "ok"})


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Readiness: the store answers and the LLM answered within the last 10 s (cached)."""
    state = server_state(request)
    services = state.services

    def count() -> int:
        with Session(services.engine) as session:
            return int(session.exec(select(func.count(col(Product.id)))).one())

    try:
        products = await asyncio.to_thread(count)
    except Exception:  # noqa: BLE001 - any database failure means not ready
        log.warning("readiness: the database does not answer")
        return error_response(StoreUnavailableError("the store does not answer"))
    problem = await state.readiness.llm_error(services)
    if problem is not None:
        down: dict[str, Any] = error_body(LLMUnavailableError(problem))
        down["products"] = products
        return JSONResponse(down, status_code=503)
    return JSONResponse(
        {"status": "ok", "llm": "ok", "products": products, "indexed": services.index_stats.total}
    )
