"""Tables of the chat: conversations and their messages.

They live in the store layer, not in ``assistant/``, because the order service binds a
conversation to the authenticated customer (``Conversation.user_id``) in the same database
and transactions as the orders it then acts on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from catalog.models import utcnow


class Conversation(SQLModel, table=True):
    """A chat thread. ``user_id`` is set once the shopper is authenticated."""

    id: str = Field(primary_key=True)
    user_id: str | None = Field(default=None, index=True)
    scope_order_id: str | None = Field(
        default=None, description="A guest verified with one order may only see that order."
    )
    status: str = Field(
        default="bot",
        index=True,
        description="bot | waiting_for_agent | with_agent | closed (see catalog.handoffs)",
    )
    agent_id: int | None = Field(default=None, description="The staff member holding it.")
    handoff_reason: str | None = Field(default=None, description="Why it went to a person.")
    waiting_since: datetime | None = None
    agent_joined_at: datetime | None = None
    closed_at: datetime | None = None
    resolution: str | None = None
    lang: str | None = Field(default=None, description="The shopper's language, last seen.")
    sentiment: float | None = Field(
        default=None,
        description="Mood of the last message (-1 … +1): VADER's compound in English, "
        "bounded by the frustration model (assistant.mood).",
    )
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Message(SQLModel, table=True):
    """One stored chat message; ``cards`` holds product cards shown with an assistant reply."""

    pk: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(unique=True, index=True, description="Public id used in frames.")
    conversation_id: str = Field(foreign_key="conversation.id", index=True)
    role: str = Field(description="user | assistant | tool | system")
    content: str
    name: str | None = Field(default=None, description="Tool name for role=tool.")
    cards: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)


class MessageFeedback(SQLModel, table=True):
    """A shopper's thumbs up/down on one assistant reply (the latest vote counts)."""

    pk: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(unique=True, index=True, foreign_key="message.message_id")
    conversation_id: str = Field(foreign_key="conversation.id", index=True)
    rating: str = Field(description="up | down")
    reason: str = Field(default="", description="The shopper's optional words, ≤ 500 chars.")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ConversationState(SQLModel, table=True):
    """What the flows assistant remembers of a conversation between turns (code-owned).

    ``data``: language, the last search and the products shown in order, the pending
    proposal, the flow in progress and its slots. Never shown to the model as is.
    """

    conversation_id: str = Field(primary_key=True, foreign_key="conversation.id")
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    updated_at: datetime = Field(default_factory=utcnow)
