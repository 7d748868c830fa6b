"""Conversation memory persisted in the store, so a reload shows the history."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, insert, update
from sqlalchemy import select as core_select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.dml import Update
from sqlmodel import Session, col, select

from assistant.errors import ConversationNotFoundError
from catalog.conversations import Conversation, Message
from catalog.db import connection, write_lock
from catalog.models import utcnow

# The hot path's statements are built once, with bound parameters: SQLAlchemy then reuses
# their compiled form and cache key (building one per call cost ~0.04 ms each).
_CONV = Conversation.__table__  # type: ignore[attr-defined]
_MSG = Message.__table__  # type: ignore[attr-defined]
_HEAD = core_select(_CONV.c.status, _CONV.c.lang).where(_CONV.c.id == bindparam("cid"))
_INSERT_MESSAGES = insert(_MSG)
_NEW_CONVERSATION = insert(_CONV).values(
    id=bindparam("cid"), status="bot", created_at=bindparam("now"), updated_at=bindparam("now")
)
_RECENT = (
    core_select(_MSG.c.message_id, _MSG.c.role, _MSG.c.content, _MSG.c.name)
    .where(_MSG.c.conversation_id == bindparam("cid"))
    .where(_MSG.c.role.in_(bindparam("roles", expanding=True)))
    .order_by(_MSG.c.pk.desc())
    .limit(bindparam("last", type_=Integer))
)
_TOUCH: dict[frozenset[str], Update] = {}


def _touch_statement(columns: frozenset[str]) -> Update:
    """Return the prebuilt UPDATE setting ``updated_at`` and ``columns`` of one conversation."""
    found = _TOUCH.get(columns)
    if found is None:
        values: dict[str, Any] = {name: bindparam(f"v_{name}") for name in sorted(columns)}
        found = (
            update(_CONV)
            .where(_CONV.c.id == bindparam("cid"))
            .values(updated_at=bindparam("now"), **values)
        )
        _TOUCH[columns] = found
    return found


def _write(
    conn: Connection,
    conversation_id: str,
    rows: list[dict[str, Any]],
    now: datetime,
    touch: Mapping[str, object] | None,
) -> None:
    if rows:
        conn.execute(_INSERT_MESSAGES, rows)
    touch = touch or {}
    params = {"cid": conversation_id, "now": now, **{f"v_{k}": v for k, v in touch.items()}}
    conn.execute(_touch_statement(frozenset(touch)), params)


def new_id() -> str:
    """Return a fresh opaque id for conversations and messages."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class ConversationHead:
    """The columns a chat turn needs of its conversation (read without the ORM)."""

    id: str
    status: str = "bot"
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """One message as a chat turn reads and writes it: plain data, no ORM object.

    Building a ``Message`` validates every field (~0.1 ms each); a turn stores two and
    reads up to ``history_messages``, so the hot path uses these instead.
    """

    message_id: str
    role: str
    content: str
    name: str | None = None
    cards: list[dict[str, Any]] = field(default_factory=list)
    conversation_id: str = ""
    created_at: datetime | None = None


class ConversationStore:
    """Create conversations and append/read their messages."""

    def __init__(self, engine: Engine) -> None:
        """Use ``engine`` for every read and write."""
        self.engine = engine

    def ensure(self, conversation_id: str | None) -> Conversation:
        """Return the conversation with that id, or a new one if the id is None or unknown."""
        with Session(self.engine, expire_on_commit=False) as session:
            if conversation_id:
                found = session.get(Conversation, conversation_id)
                if found is not None:
                    session.expunge(found)
                    return found
            conv = Conversation(id=conversation_id or new_id())
            session.add(conv)
            with write_lock(self.engine):
                session.commit()
            return conv

    def head(self, conversation_id: str, conn: Connection | None = None) -> ConversationHead:
        """Return id, status and language of the conversation, storing it if it is new.

        ``conn``: read (and store a new one) on the caller's connection (one pool
        checkout for a turn's reads). A new conversation is one Core insert, committed.
        """
        with connection(self.engine, conn) as c:
            row = c.execute(_HEAD, {"cid": conversation_id}).first()
            if row is not None:
                return ConversationHead(conversation_id, row.status, row.lang)
            try:
                with write_lock(self.engine):
                    c.commit()  # end the read snapshot; the write starts from the newest
                    with c.begin():
                        c.execute(_NEW_CONVERSATION, {"cid": conversation_id, "now": utcnow()})
            except IntegrityError:  # stored meanwhile by a turn of another connection
                row = c.execute(_HEAD, {"cid": conversation_id}).first()
                if row is None:
                    raise
                return ConversationHead(conversation_id, row.status, row.lang)
        return ConversationHead(conversation_id)

    def exists(self, conversation_id: str) -> bool:
        """Return True if a conversation with that id is stored."""
        with Session(self.engine) as session:
            return session.get(Conversation, conversation_id) is not None

    def find_message(self, message_id: str) -> Message | None:
        """Return the stored message with that public id, if any."""
        with Session(self.engine) as session:
            return session.exec(
                select(Message).where(col(Message.message_id) == message_id)
            ).first()

    def get(self, conversation_id: str) -> Conversation:
        """Return a conversation or raise ConversationNotFoundError."""
        with Session(self.engine) as session:
            conv = session.get(Conversation, conversation_id)
            if conv is None:
                raise ConversationNotFoundError(f"no conversation {conversation_id!r}")
            return conv

    def append(
        self,
        conversation_id: str,
        role: str,
        content: str,
        *,
        message_id: str | None = None,
        name: str | None = None,
        cards: list[dict[str, Any]] | None = None,
    ) -> Message:
        """Store one message (committed before returning) and touch the conversation."""
        msg = Message(
            message_id=message_id or new_id(),
            conversation_id=conversation_id,
            role=role,
            content=content,
            name=name,
            cards=cards or [],
        )
        line = Line(msg.message_id, role, content, name, msg.cards, created_at=msg.created_at)
        self.append_lines(conversation_id, [line])
        return msg

    def append_lines(
        self,
        conversation_id: str,
        lines: list[Line],
        *,
        touch: Mapping[str, object] | None = None,
        conn: Connection | None = None,
    ) -> None:
        """Store messages of one conversation in one transaction, in order.

        ``touch`` sets more conversation columns (``lang``, ``sentiment``) in the same
        transaction as ``updated_at``. ``conn``: write on the caller's connection; what it
        read before is committed first, so the write starts from the newest snapshot
        (SQLite cannot upgrade an old read snapshot to a write).
        """
        now = utcnow()
        rows = [
            {
                "message_id": m.message_id,
                "conversation_id": conversation_id,
                "role": m.role,
                "content": m.content,
                "name": m.name,
                "cards": m.cards or [],
                "created_at": m.created_at or now,
            }
            for m in lines
        ]
        # Core statements: no unit-of-work bookkeeping on the hot path of every turn.
        with write_lock(self.engine):
            if conn is None:
                with self.engine.begin() as own:
                    _write(own, conversation_id, rows, now, touch)
            else:
                conn.commit()  # end the read snapshot; the write starts from the newest
                with conn.begin():
                    _write(conn, conversation_id, rows, now, touch)

    def recent(
        self,
        conversation_id: str,
        *,
        roles: tuple[str, ...],
        last: int,
        conn: Connection | None = None,
    ) -> list[Line]:
        """Return the last ``last`` messages with one of ``roles``, oldest first (Core read)."""
        params = {"cid": conversation_id, "roles": list(roles), "last": last}
        with connection(self.engine, conn) as c:
            rows = c.execute(_RECENT, params).all()
        return [
            Line(r.message_id, r.role, r.content, r.name, conversation_id=conversation_id)
            for r in reversed(rows)
        ]

    def messages(
        self,
        conversation_id: str,
        *,
        roles: tuple[str, ...] = ("user", "assistant"),
        last: int | None = None,
    ) -> list[Message]:
        """Return the conversation's messages in order (optionally only the last ``last``)."""
        with Session(self.engine) as session:
            stmt = (
                select(Message)
                .where(col(Message.conversation_id) == conversation_id)
                .where(col(Message.role).in_(roles))
                .order_by(col(Message.pk).desc())
            )
            if last is not None:
                stmt = stmt.limit(last)
            return list(reversed(session.exec(stmt).all()))
