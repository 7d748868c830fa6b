"""``shopassist eval export``: turn a stored conversation into a scenario skeleton.

The shopper's messages become turns; the tools that ran and the cards that were shown
become starting expectations for QA to tighten (a thumbs-down chat becomes a regression
case in minutes).
"""

from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assistant.conversations import ConversationStore
from catalog.conversations import Conversation, MessageFeedback
from catalog.models import Product
from evals.errors import EvalError
from evals.scenario import parse_scenarios


def conversation_scenario(
    engine: Engine, conversation_id: str, *, scenario_id: str | None = None
) -> dict[str, Any]:
    """Build the scenario dict (validated against the format) for a stored conversation."""
    with Session(engine) as session:
        conv = session.get(Conversation, conversation_id)
        if conv is None:
            raise EvalError(f"no conversation {conversation_id!r} in this store")
        escalated_at_end = conv.status in ("waiting_for_agent", "with_agent")
    messages = ConversationStore(engine).messages(
        conversation_id, roles=("user", "assistant", "tool")
    )
    turns: list[dict[str, Any]] = []
    for m in messages:
        if m.role == "user":
            turns.append({"user": m.content, "expect": {}})
        elif not turns:
            continue
        elif m.role == "tool" and m.name:
            tools = turns[-1]["expect"].setdefault("tools", [])
            if m.name not in tools:
                tools.append(m.name)
        elif m.role == "assistant" and m.cards:
            types = _types(engine, [str(c.get("id")) for c in m.cards])
            cards: dict[str, Any] = {"min": 1}
            if types:
                cards["type"] = types
            turns[-1]["expect"]["cards"] = cards
    if not turns:
        raise EvalError(f"conversation {conversation_id!r} has no shopper message")
    if escalated_at_end:
        turns[-1]["expect"]["escalated"] = True
    scenario = {
        "id": scenario_id or f"conv-{conversation_id[:12]}",
        "tags": ["exported"],
        "customer": "none",
        "turns": turns,
    }
    parse_scenarios([scenario], "export")  # what we write must be a valid scenario
    return scenario


def _types(engine: Engine, product_ids: list[str]) -> list[str]:
    with Session(engine) as session:
        found = {
            str((p.attributes or {}).get("type", ""))
            for pid in product_ids
            if (p := session.get(Product, pid)) is not None
        }
    return sorted(t for t in found if t)


def export_conversation(
    engine: Engine, conversation_id: str, *, scenario_id: str | None = None
) -> str:
    """Return the scenario skeleton as YAML, with a note on what to review."""
    scenario = conversation_scenario(engine, conversation_id, scenario_id=scenario_id)
    head = (
        f"# Exported from conversation {conversation_id}. Review before committing:\n"
        "# set `customer` (and replace typed emails/order ids with placeholders), tighten\n"
        "# `cards` and add `reply` checks for what the answer should have said.\n"
    )
    body: str = yaml.safe_dump([scenario], sort_keys=False, allow_unicode=True, width=100)
    return head + body


def export_thumbs_down(engine: Engine, *, limit: int = 50) -> str:
    """Return one scenario skeleton per conversation with a thumbs-down, newest first.

    Each scenario is preceded by the shopper's reasons, so QA sees what went wrong.
    """
    stmt = (
        select(MessageFeedback)
        .where(col(MessageFeedback.rating) == "down")
        .order_by(col(MessageFeedback.updated_at).desc())
    )
    reasons: dict[str, list[str]] = {}
    with Session(engine) as session:
        for row in session.exec(stmt):
            reasons.setdefault(row.conversation_id, []).append(row.reason or "(no reason given)")
    if not reasons:
        raise EvalError("no reply has a thumbs-down yet")
    parts = [
        "# Exported from thumbs-down conversations. Review each before committing: set\n"
        "# `customer`, replace typed emails/order ids with placeholders, and add `reply`\n"
        "# checks for what the answer should have said.\n"
    ]
    for conversation_id in list(reasons)[:limit]:
        scenario = conversation_scenario(engine, conversation_id)
        said = "; ".join(reasons[conversation_id])
        parts.append(f"\n# conversation {conversation_id}: the shopper said: {said}\n")
        parts.append(yaml.safe_dump([scenario], sort_keys=False, allow_unicode=True, width=100))
    return "".join(parts)
