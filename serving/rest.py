"""REST endpoints: non-streaming chat, conversation history and health."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlmodel import Session, col, func, select

from assistant.bootstrap import AppServices
from assistant.errors import LLMUnavailableError
from catalog.models import Product
from serving.errors import error_body

router = APIRouter()


class ChatRequest(BaseModel):
    """Body of ``POST /v1/chat``."""

    message: str = Field(description="The shopper's message (1–4000 characters).")
    conversation_id: str | None = Field(default=None, max_length=64)


class ChatResponse(BaseModel):
    """A finished turn."""

    conversation_id: str
    message_id: str
    reply: str
    cards: list[dict[str, Any]]
    tools_used: list[str]
    timings: dict[str, float]
    proposal: dict[str, str] | None = None


class ConfirmRequest(BaseModel):
    """Body of ``POST /v1/conversations/{id}/confirm``."""

    token: str = Field(min_length=1, max_length=64)


class StoredMessage(BaseModel):
    """One message of a conversation's history."""

    message_id: str
    role: str
    content: str
    cards: list[dict[str, Any]]
    created_at: str


class HistoryResponse(BaseModel):
    """A conversation's visible history."""

    conversation_id: str
    status: str
    messages: list[StoredMessage]


def _services(request: Request) -> AppServices:
    services: AppServices = request.app.state.services
    return services


@router.post("/v1/chat", response_model=ChatResponse)
async def chat(body: ChatRequest, request: Request) -> ChatResponse:
    """Run one turn and return the whole reply (no streaming)."""
    result = await _services(request).chat.run_turn(body.conversation_id, body.message)
    return ChatResponse(
        conversation_id=result.conversation_id,
        message_id=result.message_id,
        reply=result.reply,
        cards=result.cards,
        tools_used=result.tools_used,
        timings={"total_s": round(result.total_seconds, 3), "llm_s": round(result.llm_seconds, 3)},
        proposal=result.proposal,
    )


@router.post("/v1/conversations/{conversation_id}/confirm", response_model=ChatResponse)
async def confirm(conversation_id: str, body: ConfirmRequest, request: Request) -> ChatResponse:
    """Execute a proposed write for the customer who explicitly confirmed it (once)."""
    result = await _services(request).chat.confirm(conversation_id, body.token)
    return ChatResponse(
        conversation_id=result.conversation_id,
        message_id=result.message_id,
        reply=result.reply,
        cards=[],
        tools_used=result.tools_used,
        timings={"total_s": round(result.total_seconds, 3), "llm_s": 0.0},
    )


@router.get("/v1/conversations/{conversation_id}/messages", response_model=HistoryResponse)
async def history(conversation_id: str, request: Request) -> HistoryResponse:
    """Return a conversation's shopper and assistant messages, oldest first."""
    services = _services(request)
    conv = services.conversations.get(conversation_id)
    msgs = services.conversations.messages(conversation_id)
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
            )
            for m in msgs
        ],
    )


@router.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    """Check that the store answers and that the LLM actually produces a token."""
    services = _services(request)
    with Session(services.engine) as session:
        products = session.exec(select(func.count(col(Product.id)))).one()
    try:
        await services.llm.ping()
    except LLMUnavailableError as exc:
        body = error_body(exc)
        body["products"] = products
        return JSONResponse(body, status_code=503)
    return JSONResponse(
        {"status": "ok", "llm": "ok", "products": products, "indexed": services.index_stats.total}
    )
