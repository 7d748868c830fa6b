"""Customer authentication and binding a conversation to exactly one customer."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.conversations import Conversation
from catalog.errors import AuthenticationError, AuthorizationError
from catalog.models import User


def find_user_by_email(engine: Engine, email: str) -> str:
    """Return the id of the customer with ``email`` (case-insensitive)."""
    with Session(engine) as session:
        found = session.exec(
            select(User.id).where(func.lower(User.email) == email.strip().lower())
        ).first()
    if found is None:
        raise AuthenticationError("no customer has that email address")
    return found


def find_user_by_name_zip(engine: Engine, first_name: str, last_name: str, zip_code: str) -> str:
    """Return the id of the customer with that name and zip code."""
    with Session(engine) as session:
        found = session.exec(
            select(User.id)
            .where(func.lower(User.first_name) == first_name.strip().lower())
            .where(func.lower(User.last_name) == last_name.strip().lower())
            .where(col(User.zip) == zip_code.strip())
        ).all()
    if not found:
        raise AuthenticationError("no customer matches that name and zip code")
    if len(found) > 1:
        raise AuthenticationError("several customers match; please give your email instead")
    return found[0]


def bind_conversation(engine: Engine, conversation_id: str, user_id: str) -> None:
    """Bind the conversation to ``user_id``; a conversation serves one customer only."""
    with Session(engine) as session:
        conv = session.get(Conversation, conversation_id)
        if conv is None:
            conv = Conversation(id=conversation_id)
        if conv.user_id and conv.user_id != user_id:
            raise AuthorizationError(
                "this conversation is already authenticated as another customer; "
                "each conversation can help one customer only"
            )
        conv.user_id = user_id
        session.add(conv)
        session.commit()


def conversation_user(engine: Engine, conversation_id: str) -> str | None:
    """Return the customer this conversation is authenticated as, if any."""
    with Session(engine) as session:
        conv = session.get(Conversation, conversation_id)
        return conv.user_id if conv else None
