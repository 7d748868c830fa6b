"""The data of one chat turn: its result, what was read before the model, its log line."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from assistant.conversations import ConversationHead, Line
from assistant.untrusted import neutralize

log = logging.getLogger("assistant.chat_service")


def history_for_llm(stored: list[Line]) -> list[dict[str, str]]:
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
        elif m.role == "user":
            out.append({"role": "user", "content": neutralize(m.content)})
        elif m.role == "assistant":
            out.append({"role": "assistant", "content": m.content})
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
    replayed: bool = False
    handoff: str | None = None
    lang: str | None = None
    escalate: str | None = None


@dataclass
class OpenedTurn:
    """What ``ChatService._open`` found: a stored outcome, an upset shopper, or the history."""

    head: ConversationHead
    lang: str
    replay: TurnResult | None = None
    upset: bool = False
    history: list[Line] | None = None


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
