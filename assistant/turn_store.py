"""A chat turn's store work, before and after the model, as plain synchronous calls.

``ChatService`` runs these off the event loop in two hops per turn (``open`` and
``finish``), on a store thread or in a store process (``assistant.store_process``). They
only touch the database and a pure-CPU helper (language), so a child process can build its
own copy from the database settings alone; the message's mood comes read by the chat
service (``assistant.mood``: it needs the multilingual encoder the search has loaded).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.engine import Connection, Engine

from assistant.conversations import ConversationHead, ConversationStore, Line, new_id
from assistant.errors import MessageRejectedError
from assistant.flows.understand import detect_language
from assistant.mood.reading import MoodReading
from assistant.turns import OpenedTurn, TurnResult
from catalog.handoffs import Handoffs
from catalog.orders import confirmations
from catalog.orders.confirmations import is_explicit_yes

MAX_TOOL_CHARS = 1500


class TurnStore:
    """Reads and writes of one turn; every method is synchronous and self-contained."""

    def __init__(
        self,
        conversations: ConversationStore,
        handoffs: Handoffs,
        *,
        history_messages: int,
        upset_threshold: float,
    ) -> None:
        """Use these stores; ``history_messages`` and ``upset_threshold`` as in settings."""
        self.conversations = conversations
        self.engine: Engine = conversations.engine
        self.handoffs = handoffs
        self.history_messages = history_messages
        self.upset_threshold = upset_threshold

    @classmethod
    def on_engine(
        cls, engine: Engine, *, history_messages: int, upset_threshold: float
    ) -> TurnStore:
        """Build one with its own stores on ``engine`` (what a store process does)."""
        return cls(
            ConversationStore(engine),
            Handoffs(engine),
            history_messages=history_messages,
            upset_threshold=upset_threshold,
        )

    def replay(self, conversation_id: str, message_id: str | None) -> TurnResult | None:
        """Return the stored outcome of a message id already answered (idempotent retries)."""
        if not message_id:
            return None
        found = self.conversations.find_message(message_id)
        if found is None:
            return None
        if found.conversation_id != conversation_id or found.role != "assistant":
            raise MessageRejectedError("that message_id is already used; send a new one")
        return TurnResult(
            conversation_id=conversation_id,
            message_id=message_id,
            reply=found.content,
            cards=list(found.cards or []),
            replayed=True,
        )

    def bind_proposals(
        self, conversation_id: str, text: str | None, conn: Connection | None = None
    ) -> None:
        """Keep only the last reply's proposal, and only for an explicit yes (or the button)."""
        keep = None
        last = self.conversations.recent(
            conversation_id, roles=("assistant", "agent"), last=1, conn=conn
        )
        if last and (text is None or is_explicit_yes(text, last[0].content)):
            keep = last[0].message_id
        confirmations.void_stale(self.engine, conversation_id, keep_turn=keep, read_with=conn)

    def _prepare(
        self,
        conversation_id: str,
        cleaned: str,
        touch: dict[str, object] | None = None,
        conn: Connection | None = None,
    ) -> list[Line]:
        """Before the model runs: bind proposals, read the history, store the message.

        ``touch`` (the shopper's language and mood) is written with the message, in one
        transaction; ``conn`` serves the reads and the write (one pool checkout).
        """
        self.bind_proposals(conversation_id, cleaned, conn)
        stored = self.conversations.recent(
            conversation_id,
            roles=("user", "assistant", "tool"),
            last=self.history_messages,
            conn=conn,
        )
        user = Line(new_id(), "user", cleaned)
        self.conversations.append_lines(conversation_id, [user], touch=touch, conn=conn)
        return stored

    @staticmethod
    def warm_up() -> None:
        """Load now what the first ``open`` would load: the language identifier.

        That is ~1 s of CPU holding the GIL; a store process does it before its first hop,
        so no shopper's turn waits for it under load.
        """
        detect_language("warming up the language identifier")

    def open(
        self,
        conv_id: str,
        cleaned: str,
        message_id: str | None,
        mood: MoodReading | None = None,
        shop_words: str | None = None,
    ) -> OpenedTurn:
        """Everything a turn reads and writes before the model, in one hop.

        The conversation (stored if new) and the shopper's language (``shop_words``: see
        ``detect_language``); the replay check; then, for a conversation with the bot, what
        ``open_bot`` does with ``mood`` (the chat service reads it, see ``assistant.mood``).
        """
        with self.engine.connect() as conn:
            head = self.conversations.head(conv_id, conn)
            lang = detect_language(
                cleaned,
                default=head.lang or "en",
                settled=head.lang is not None,
                shop_words=shop_words if head.lang is None else None,
            )
            replay = self.replay(conv_id, message_id)
            if replay is not None or head.status != "bot":
                return OpenedTurn(head, lang, replay=replay)
            return self.open_bot(head, cleaned, lang, mood, conn)

    def open_bot(
        self,
        head: ConversationHead,
        cleaned: str,
        lang: str,
        mood: MoodReading | None = None,
        conn: Connection | None = None,
    ) -> OpenedTurn:
        """Note the mood; then bind proposals, read the history and store the message.

        A furious shopper (English, VADER at or below ``upset_threshold``) is handed over
        at once: the message is not stored here, the caller hands the chat over. A
        frustrated one stays with the bot, which offers a person. The mood goes to the
        console either way.
        """
        conv_id = head.id
        if mood is not None and mood.furious(lang, self.upset_threshold):
            self.handoffs.note_shopper(conv_id, lang=lang, sentiment=mood.score(lang))
            return OpenedTurn(head, lang, upset=True)
        touch: dict[str, object] = {"lang": lang}
        if mood is not None:
            touch["sentiment"] = mood.score(lang)
        return OpenedTurn(head, lang, history=self._prepare(conv_id, cleaned, touch, conn))

    def finish(
        self,
        conversation_id: str,
        tool_log: list[dict[str, Any]],
        reply: str,
        reply_id: str,
        cards: list[dict[str, Any]],
    ) -> None:
        """After the model: the turn's tool steps and the reply, in one transaction."""
        rows = [
            Line(
                new_id(),
                "tool",
                json.dumps({"args": entry["args"], "feedback": entry["feedback"][:MAX_TOOL_CHARS]}),
                name=entry["tool"],
            )
            for entry in tool_log
        ]
        rows.append(Line(reply_id, "assistant", reply, cards=cards))
        self.conversations.append_lines(conversation_id, rows)
