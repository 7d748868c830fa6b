"""One chat turn end to end: validate, persist, run the agent, persist the reply."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from assistant.conversations import ConversationStore, new_id
from assistant.errors import LLMUnavailableError, MessageRejectedError
from assistant.events import Emit, TokenEvent, TurnAgent, discard
from assistant.settings import AgentSettings
from catalog.conversations import Message
from tools.deps import Deps, RunContext

MAX_TOOL_CHARS = 1500
log = logging.getLogger(__name__)


def history_for_llm(stored: list[Message]) -> list[dict[str, str]]:
    """Render stored messages as LLM messages; tool steps become call + result pairs."""
    out: list[dict[str, str]] = []
    for m in stored:
        if m.role == "tool":
            try:
                data = json.loads(m.content)
            except json.JSONDecodeError:
                continue
            call = json.dumps({"tool": m.name, "args": data.get("args", {})}, ensure_ascii=False)
            out.append({"role": "assistant", "content": call})
            out.append({"role": "user", "content": str(data.get("feedback", ""))})
        else:
            out.append({"role": m.role, "content": m.content})
    while out and out[0]["role"] != "user":
        out.pop(0)
    return out


@dataclass
class TurnResult:
    """What a finished turn produced, with timings for benchmarks."""

    conversation_id: str
    message_id: str
    reply: str
    cards: list[dict[str, Any]] = field(default_factory=list)
    tools_used: list[str] = field(default_factory=list)
    fallback: bool = False
    total_seconds: float = 0.0
    llm_seconds: float = 0.0
    proposal: dict[str, str] | None = None


def log_turn(result: TurnResult) -> None:
    """One INFO line per turn: ids, tools, timings and outcome; never message text."""
    outcome = (
        "proposal"
        if result.proposal
        else "fallback"
        if result.fallback
        else "cards"
        if result.cards
        else "reply"
    )
    log.info(
        "turn conversation=%s message=%s tools=%s cards=%d total=%.2fs llm=%.2fs outcome=%s",
        result.conversation_id,
        result.message_id,
        ",".join(result.tools_used) or "-",
        len(result.cards),
        result.total_seconds,
        result.llm_seconds,
        outcome,
    )


class ChatService:
    """Runs turns for the websocket and REST endpoints alike."""

    def __init__(
        self,
        agent: TurnAgent,
        deps: Deps,
        conversations: ConversationStore,
        settings: AgentSettings,
    ) -> None:
        """Wire the service."""
        self.agent = agent
        self.deps = deps
        self.conversations = conversations
        self.settings = settings

    def validate(self, text: object) -> str:
        """Return the cleaned message or raise MessageRejectedError with the reason."""
        if not isinstance(text, str):
            raise MessageRejectedError("message text must be a string")
        cleaned = text.strip()
        if not cleaned:
            raise MessageRejectedError("message is empty")
        if len(cleaned) > self.settings.max_message_chars:
            raise MessageRejectedError(
                f"message is {len(cleaned)} characters; the limit is "
                f"{self.settings.max_message_chars}"
            )
        return cleaned

    async def run_turn(
        self,
        conversation_id: str | None,
        text: object,
        *,
        emit: Emit = discard,
        message_id: str | None = None,
    ) -> TurnResult:
        """Run one turn. The shopper's message is stored before the LLM is called."""
        started = time.perf_counter()
        cleaned = self.validate(text)
        conv = await asyncio.to_thread(self.conversations.ensure, conversation_id)
        stored = await asyncio.to_thread(
            self.conversations.messages,
            conv.id,
            roles=("user", "assistant", "tool"),
            last=self.settings.history_messages,
        )
        history = history_for_llm(stored)
        await asyncio.to_thread(self.conversations.append, conv.id, "user", cleaned)
        reply_id = message_id or new_id()
        ctx = RunContext(
            deps=self.deps, conversation_id=conv.id, user_message=cleaned, turn_id=reply_id
        )
        try:
            async with asyncio.timeout(self.settings.turn_timeout_s):
                final = await self.agent.run(history, cleaned, emit=emit, ctx=ctx)
        except TimeoutError as exc:
            raise LLMUnavailableError(
                f"the turn did not finish within {self.settings.turn_timeout_s:.0f}s"
            ) from exc
        reply = final.get("reply", "")
        cards = final.get("cards", [])
        for entry in final.get("tool_log", []):
            await asyncio.to_thread(
                self.conversations.append,
                conv.id,
                "tool",
                json.dumps({"args": entry["args"], "feedback": entry["feedback"][:MAX_TOOL_CHARS]}),
                name=entry["tool"],
            )
        await asyncio.to_thread(
            self.conversations.append, conv.id, "assistant", reply, message_id=reply_id, cards=cards
        )
        result = TurnResult(
            conversation_id=conv.id,
            message_id=reply_id,
            reply=reply,
            cards=cards,
            tools_used=list(final.get("tools_used", [])),
            fallback=bool(final.get("fallback")),
            total_seconds=time.perf_counter() - started,
            llm_seconds=float(final.get("llm_seconds", 0.0)),
            proposal=final.get("proposal"),
        )
        log_turn(result)
        return result

    async def confirm(
        self,
        conversation_id: str,
        token: object,
        *,
        emit: Emit = discard,
        message_id: str | None = None,
    ) -> TurnResult:
        """Execute a proposal from an explicit confirm action of the customer (a UI button).

        The customer's "yes" is stored as their message; the outcome is written by code.
        The order service enforces the rest: same conversation, later turn, unexpired, once.
        """
        started = time.perf_counter()
        if not isinstance(token, str) or not token.strip():
            raise MessageRejectedError("a confirm frame needs the proposal's token")
        conv = await asyncio.to_thread(self.conversations.get, conversation_id)
        reply_id = message_id or new_id()
        await asyncio.to_thread(self.conversations.append, conv.id, "user", "yes")
        orders = self.deps.orders
        actor = await asyncio.to_thread(orders.actor, conv.id)
        done = await asyncio.to_thread(
            orders.confirm, conv.id, actor, token.strip(), turn_id=reply_id
        )
        status = done.result.get("status")
        what = done.action.replace("_", " ")
        reply = (
            f"Done: {what}"
            + (f" — the order is now '{status}'." if status else ".")
            + (" (This was already done earlier; nothing changed now.)" if done.replayed else "")
        )
        await emit(TokenEvent(reply))
        await asyncio.to_thread(
            self.conversations.append, conv.id, "assistant", reply, message_id=reply_id
        )
        return TurnResult(
            conversation_id=conv.id,
            message_id=reply_id,
            reply=reply,
            tools_used=["confirm_action"],
            total_seconds=time.perf_counter() - started,
        )
