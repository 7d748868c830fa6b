"""Who answers a conversation: the bot, a queue, or one support agent — enforced in code.

States and the only transitions there are::

    bot ──escalate──▶ waiting_for_agent ──take──▶ with_agent(agent) ──hand back──▶ bot
     │                      │                        │
     └──take (agent decides)┘                        └──close──▶ closed ──new message──▶ bot
                            └──close (nobody took it)──▶ closed

Each transition is one conditional ``UPDATE … WHERE status IN (…)``: of two agents taking
the same conversation at once exactly one row update succeeds (SQLite and PostgreSQL
alike) and the other gets :class:`HandoffConflictError`. Every transition writes a
:class:`HandoffEvent` row (who, from, to, why, note) in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.conversations import Conversation
from catalog.db import write_lock
from catalog.errors import HandoffConflictError, InvalidInputError, NotFoundError
from catalog.models import utcnow
from catalog.support import Csat, HandoffEvent

State = Literal["bot", "waiting_for_agent", "with_agent", "closed"]
STATES: tuple[State, ...] = ("bot", "waiting_for_agent", "with_agent", "closed")
ESCALATION_REASONS = (
    "shopper_asked",
    "agent_decided",
    "repeated_failure",
    "llm_unavailable",
    "upset",
)
RESOLUTIONS = ("resolved", "not_resolved", "duplicate", "spam", "abandoned")


@dataclass(frozen=True)
class Transition:
    """What a successful step did."""

    conversation_id: str
    from_state: str
    to_state: str
    agent_id: int | None


class Handoffs:
    """The conversation state machine over the store (one instance per engine)."""

    def __init__(self, engine: Engine) -> None:
        """Use ``engine`` for every read and write."""
        self.engine = engine

    def state(self, conversation_id: str) -> Conversation:
        """Return the conversation row (NotFoundError if unknown)."""
        with Session(self.engine) as session:
            conv = session.get(Conversation, conversation_id)
            if conv is None:
                raise NotFoundError(f"no conversation {conversation_id!r}")
            session.expunge(conv)
            return conv

    def _step(
        self,
        conversation_id: str,
        allowed_from: tuple[str, ...],
        to: State,
        *,
        actor: str,
        reason: str = "",
        note: str = "",
        holder: int | None = None,
        values: dict[str, object] | None = None,
    ) -> Transition:
        """Move ``allowed_from`` → ``to`` atomically, or raise HandoffConflictError."""
        with write_lock(self.engine), Session(self.engine) as session:
            before = session.get(Conversation, conversation_id)
            if before is None:
                raise NotFoundError(f"no conversation {conversation_id!r}")
            stmt = (
                update(Conversation)
                .where(col(Conversation.id) == conversation_id)
                .where(col(Conversation.status).in_(allowed_from))
            )
            if holder is not None:
                stmt = stmt.where(col(Conversation.agent_id) == holder)
            from_state = before.status
            done = session.execute(stmt.values(status=to, updated_at=utcnow(), **(values or {})))
            if done.rowcount != 1:  # type: ignore[attr-defined]
                session.rollback()
                now = self.state(conversation_id)
                raise HandoffConflictError(
                    f"this conversation is {now.status.replace('_', ' ')}"
                    + (" (another agent has it)" if now.status == "with_agent" else "")
                )
            session.add(
                HandoffEvent(
                    conversation_id=conversation_id,
                    from_state=from_state,
                    to_state=to,
                    actor=actor,
                    reason=reason,
                    note=note[:2000],
                )
            )
            session.commit()
        agent = values.get("agent_id") if values else None
        return Transition(
            conversation_id, from_state, to, int(agent) if isinstance(agent, int) else None
        )

    def escalate(self, conversation_id: str, reason: str, *, actor: str = "bot") -> Transition:
        """Move bot → waiting_for_agent, with one of :data:`ESCALATION_REASONS`."""
        if reason not in ESCALATION_REASONS:
            raise InvalidInputError(f"unknown escalation reason {reason!r}")
        return self._step(
            conversation_id,
            ("bot",),
            "waiting_for_agent",
            actor=actor,
            reason=reason,
            values={"handoff_reason": reason, "waiting_since": utcnow(), "agent_id": None},
        )

    def take(self, conversation_id: str, agent_id: int) -> Transition:
        """Move waiting_for_agent (or bot: the agent decides) → with_agent; one agent wins."""
        conv = self.state(conversation_id)
        values: dict[str, object] = {"agent_id": agent_id, "agent_joined_at": utcnow()}
        if conv.status == "bot":
            values.update(handoff_reason="agent_decided", waiting_since=utcnow())
        return self._step(
            conversation_id,
            ("waiting_for_agent", "bot"),
            "with_agent",
            actor=f"staff:{agent_id}",
            reason="agent_decided" if conv.status == "bot" else "",
            values=values,
        )

    def hand_back(self, conversation_id: str, agent_id: int, note: str = "") -> Transition:
        """Move with_agent(agent) → bot; only the holding agent may, with an optional note."""
        return self._step(
            conversation_id,
            ("with_agent",),
            "bot",
            actor=f"staff:{agent_id}",
            note=note,
            holder=agent_id,
            values={"agent_id": None},
        )

    def close(self, conversation_id: str, agent_id: int, resolution: str) -> Transition:
        """Move with_agent(agent) or waiting → closed with a resolution code."""
        if resolution not in RESOLUTIONS:
            raise InvalidInputError(
                f"unknown resolution {resolution!r}; one of {', '.join(RESOLUTIONS)}"
            )
        conv = self.state(conversation_id)
        holder = agent_id if conv.status == "with_agent" else None
        return self._step(
            conversation_id,
            ("with_agent", "waiting_for_agent"),
            "closed",
            actor=f"staff:{agent_id}",
            reason=resolution,
            holder=holder,
            values={"closed_at": utcnow(), "resolution": resolution},
        )

    def reopen(self, conversation_id: str) -> Transition | None:
        """Move closed → bot when the shopper writes again; None if it was not closed."""
        try:
            return self._step(
                conversation_id,
                ("closed",),
                "bot",
                actor="shopper",
                reason="new_message",
                values={"agent_id": None},
            )
        except HandoffConflictError:
            return None

    def events(self, conversation_id: str) -> list[HandoffEvent]:
        """Return the conversation's transitions, oldest first."""
        with Session(self.engine) as session:
            return list(
                session.exec(
                    select(HandoffEvent)
                    .where(col(HandoffEvent.conversation_id) == conversation_id)
                    .order_by(col(HandoffEvent.pk))
                )
            )

    def note_shopper(
        self, conversation_id: str, *, lang: str | None = None, sentiment: float | None = None
    ) -> None:
        """Remember the shopper's language and latest sentiment (shown in the queue)."""
        values: dict[str, object] = {}
        if lang:
            values["lang"] = lang
        if sentiment is not None:
            values["sentiment"] = round(sentiment, 3)
        if not values:
            return
        with write_lock(self.engine), self.engine.begin() as conn:
            conn.execute(
                update(Conversation).where(col(Conversation.id) == conversation_id).values(**values)
            )

    def rate(self, conversation_id: str, rating: int, comment: str = "") -> Csat:
        """Store the shopper's CSAT for a closed conversation (a later rating replaces it)."""
        if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
            raise InvalidInputError("rating must be a whole number from 1 to 5")
        conv = self.state(conversation_id)
        if conv.status != "closed" and conv.closed_at is None:
            raise HandoffConflictError("only a closed conversation can be rated")
        with write_lock(self.engine), Session(self.engine) as session:
            row = session.get(Csat, conversation_id) or Csat(
                conversation_id=conversation_id, rating=rating
            )
            row.rating, row.comment, row.created_at = rating, comment.strip()[:1000], utcnow()
            session.add(row)
            session.commit()
            session.refresh(row)
            session.expunge(row)
            return row

    def csat(self, conversation_id: str) -> Csat | None:
        """Return the conversation's rating, if the shopper gave one."""
        with Session(self.engine) as session:
            row = session.get(Csat, conversation_id)
            if row is not None:
                session.expunge(row)
            return row
