"""Shoppers' thumbs up/down on assistant replies, for QA to read and turn into scenarios."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assistant.errors import ConversationNotFoundError
from catalog.conversations import Message, MessageFeedback
from catalog.db import write_lock
from catalog.errors import InvalidInputError
from catalog.models import utcnow

Rating = Literal["up", "down"]
MAX_REASON_CHARS = 500


@dataclass(frozen=True)
class FeedbackItem:
    """One stored vote with the reply it is about."""

    conversation_id: str
    message_id: str
    rating: str
    reason: str
    reply: str
    updated_at: datetime


class FeedbackStore:
    """Record and list feedback; one vote per reply (a new vote replaces the old one)."""

    def __init__(self, engine: Engine) -> None:
        """Use ``engine`` for every read and write."""
        self.engine = engine

    def record(
        self, conversation_id: str, message_id: str, rating: Rating, reason: str = ""
    ) -> None:
        """Store the shopper's vote on assistant reply ``message_id`` of that conversation.

        A message of another conversation, or not an assistant reply, is "not found": the
        caller learns nothing about other conversations.
        """
        if rating not in ("up", "down"):
            raise InvalidInputError("rating must be 'up' or 'down'", code="bad_rating")
        reason = reason.strip()
        if len(reason) > MAX_REASON_CHARS:
            raise InvalidInputError(
                f"reason is {len(reason)} characters; the limit is {MAX_REASON_CHARS}",
                code="reason_too_long",
            )
        with Session(self.engine) as session:
            message = session.exec(
                select(Message).where(col(Message.message_id) == message_id)
            ).first()
            if (
                message is None
                or message.conversation_id != conversation_id
                or message.role != "assistant"
            ):
                raise ConversationNotFoundError(
                    "no such reply in this conversation", code="message_not_found"
                )
            row = session.exec(
                select(MessageFeedback).where(col(MessageFeedback.message_id) == message_id)
            ).first()
            if row is None:
                row = MessageFeedback(
                    message_id=message_id, conversation_id=conversation_id, rating=rating
                )
            row.rating = rating
            row.reason = reason
            row.updated_at = utcnow()
            session.add(row)
            with write_lock(self.engine):
                session.commit()

    def list(self, *, rating: Rating | None = None, limit: int = 100) -> list[FeedbackItem]:
        """Newest feedback first, optionally only one rating."""
        stmt = (
            select(MessageFeedback, Message)
            .join(Message, col(Message.message_id) == col(MessageFeedback.message_id))
            .order_by(col(MessageFeedback.updated_at).desc())
            .limit(limit)
        )
        if rating is not None:
            stmt = stmt.where(col(MessageFeedback.rating) == rating)
        with Session(self.engine) as session:
            return [
                FeedbackItem(
                    conversation_id=f.conversation_id,
                    message_id=f.message_id,
                    rating=f.rating,
                    reason=f.reason,
                    reply=m.content,
                    updated_at=f.updated_at,
                )
                for f, m in session.exec(stmt).all()
            ]
