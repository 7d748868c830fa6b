"""The widget's own endpoints: its configuration, and shoppers' feedback on replies."""

from __future__ import annotations

import asyncio
import hmac
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from pydantic import BaseModel, Field

from assistant.errors import ConversationNotFoundError
from assistant.feedback import FeedbackStore
from catalog.errors import AuthenticationError
from serving.sessions import token_from
from serving.state import server_state

router = APIRouter()


class WidgetConfig(BaseModel):
    """What the widget needs to render cards and its welcome screen."""

    store_name: str
    currency: str
    product_url_template: str | None
    suggestions: list[str]
    add_to_cart: bool
    link_hosts: list[str] = Field(
        default_factory=list, description="The only hosts whose links the widget makes clickable."
    )


class FeedbackRequest(BaseModel):
    """A shopper's vote on one assistant reply."""

    rating: Literal["up", "down"]
    reason: str = Field(default="", max_length=500)


class FeedbackEntry(BaseModel):
    """One vote, as QA reads it."""

    conversation_id: str
    message_id: str
    rating: str
    reason: str
    reply: str
    updated_at: str


class FeedbackList(BaseModel):
    """Newest first."""

    items: list[FeedbackEntry]


@router.get("/v1/widget/config", response_model=WidgetConfig)
async def widget_config(request: Request) -> WidgetConfig:
    """Return the shop's widget settings (``SHOP_WIDGET__*``)."""
    services = server_state(request).services
    settings = services.settings
    w = settings.widget
    return WidgetConfig(
        store_name=settings.agent.store_name,
        currency=services.deps.currency,
        product_url_template=w.product_url_template,
        suggestions=w.suggestions,
        add_to_cart=w.add_to_cart,
        link_hosts=settings.link_hosts(),
    )


@router.post("/v1/conversations/{conversation_id}/messages/{message_id}/feedback", status_code=204)
async def feedback(
    conversation_id: str, message_id: str, body: FeedbackRequest, request: Request
) -> None:
    """Store a thumbs up/down (and optional reason) on a reply; needs the session token."""
    state = server_state(request)
    token = token_from(request.headers, request.cookies)
    await asyncio.to_thread(state.sessions.require, conversation_id, token)
    await state.count_message(conversation_id, state.client_of(request.headers, request.client))
    store = FeedbackStore(state.services.engine)
    await asyncio.to_thread(store.record, conversation_id, message_id, body.rating, body.reason)


@router.get("/v1/feedback", response_model=FeedbackList)
async def list_feedback(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    rating: Literal["up", "down"] | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> FeedbackList:
    """Feedback for QA, newest first; needs ``Authorization: Bearer <SHOP_SECURITY__QA_TOKEN>``."""
    state = server_state(request)
    secret = state.services.settings.security.qa_token
    if secret is None:
        raise ConversationNotFoundError("QA endpoints are disabled", code="not_found")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), secret.get_secret_value().encode()):
        raise AuthenticationError("a valid QA token is required", code="qa_token_required")
    items = await asyncio.to_thread(
        FeedbackStore(state.services.engine).list, rating=rating, limit=limit
    )
    return FeedbackList(
        items=[
            FeedbackEntry(
                conversation_id=i.conversation_id,
                message_id=i.message_id,
                rating=i.rating,
                reason=i.reason,
                reply=i.reply,
                updated_at=i.updated_at.isoformat(),
            )
            for i in items
        ]
    )
