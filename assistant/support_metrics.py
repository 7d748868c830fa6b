"""Support figures for the console's metrics page, including which chats the bot resolved.

Volumes, escalations, waits, handle times and CSAT, per day and in total.
**Resolved by the bot** is defined from outcomes, not from the absence of a handoff alone.
A conversation in which the shopper wrote at least once counts as resolved by the bot
when none of these happened in it:

* it was **handed to a person** (it went to the queue, or an agent took it);
* the shopper gave **a thumbs-down** to any reply (the latest vote per reply counts);
* the shopper **repeated a request**: sent the same or nearly the same message again
  (:func:`repeated_request`) — what shoppers do when the answer did not help.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.conversations import Conversation, Message, MessageFeedback
from catalog.support import Csat, HandoffEvent

# A request needs a few words: "yes", "no thanks" or "size 9" recur in any chat.
REPEAT_MIN_WORDS = 3
# Two requests are "nearly the same" when their word sets overlap this much (Jaccard).
REPEAT_SIMILARITY = 0.8
_WORD = re.compile(r"\w+")


def _aware(ts: datetime | None) -> datetime | None:
    return None if ts is None else ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.casefold()))


def repeated_request(messages: list[str]) -> bool:
    """Tell whether a shopper message repeats an earlier one of theirs, exactly or nearly.

    Case, punctuation, word order and repeated words do not matter; "nearly" is a word-set
    overlap (Jaccard) of at least :data:`REPEAT_SIMILARITY`, so "where is my order" and
    "where is my order??" or "show me red hiking boots" and "show me red hiking boots
    please" repeat, while a refinement ("boots under 150" → "boots under 100") does not.
    Messages of fewer than :data:`REPEAT_MIN_WORDS` distinct words never count.
    """
    seen: list[frozenset[str]] = []
    for text in messages:
        words = _words(text)
        if len(words) < REPEAT_MIN_WORDS:
            continue
        for earlier in seen:
            if len(words & earlier) / len(words | earlier) >= REPEAT_SIMILARITY:
                return True
        seen.append(words)
    return False


def _waits_and_handles(events: list[HandoffEvent]) -> tuple[list[float], list[float]]:
    waits, handles = [], []
    opened: dict[str, datetime] = {}
    joined: dict[str, datetime] = {}
    for e in sorted(events, key=lambda e: e.pk or 0):
        at = _aware(e.created_at)
        assert at is not None
        if e.to_state == "waiting_for_agent":
            opened[e.conversation_id] = at
        if e.to_state == "with_agent":
            since = opened.pop(e.conversation_id, at)
            waits.append((at - since).total_seconds())
            joined[e.conversation_id] = at
        if e.from_state == "with_agent" and e.conversation_id in joined:
            handles.append((at - joined.pop(e.conversation_id)).total_seconds())
    return waits, handles


def _rate(part: int, total: int) -> float:
    return round(part / total, 4) if total else 0.0


def metrics(engine: Engine, *, days: int = 14) -> dict[str, Any]:
    """Support figures over the last ``days`` days (UTC), per day and in total."""
    start = datetime.now(UTC) - timedelta(days=days)
    with Session(engine) as session:
        convs = [
            c
            for c in session.exec(select(Conversation))
            if (_aware(c.created_at) or start) >= start
        ]
        ids = {c.id for c in convs}
        events = [e for e in session.exec(select(HandoffEvent)) if e.conversation_id in ids]
        ratings = [r for r in session.exec(select(Csat)) if r.conversation_id in ids]
        said: dict[str, list[str]] = defaultdict(list)
        rows = session.exec(
            select(Message.conversation_id, Message.content)
            .where(col(Message.role) == "user")
            .order_by(col(Message.pk))
        )
        for conversation_id, content in rows:
            if conversation_id in ids:
                said[conversation_id].append(content)
        downs = session.exec(
            select(MessageFeedback.conversation_id).where(col(MessageFeedback.rating) == "down")
        )
        thumbs_down = ids & set(downs.all())
    talked = set(said)
    escalated = {e.conversation_id for e in events if e.to_state == "waiting_for_agent"} | {
        e.conversation_id for e in events if e.reason == "agent_decided"
    }
    escalated &= talked
    thumbs_down &= talked
    repeated = {c for c in talked if repeated_request(said[c])}
    resolved = talked - escalated - thumbs_down - repeated
    waits, handles = _waits_and_handles(events)
    per_day: Counter[str] = Counter()
    esc_day: Counter[str] = Counter()
    bot_day: Counter[str] = Counter()
    for c in convs:
        if c.id not in talked:
            continue
        day = (_aware(c.created_at) or start).date().isoformat()
        per_day[day] += 1
        esc_day[day] += c.id in escalated
        bot_day[day] += c.id in resolved
    total = len(talked)
    days_list = [(start + timedelta(days=i + 1)).date().isoformat() for i in range(days)]
    return {
        "days": days,
        "conversations": total,
        "escalated": len(escalated),
        "escalation_rate": _rate(len(escalated), total),
        "bot_resolved": len(resolved),
        "bot_resolution_rate": _rate(len(resolved), total),
        "bot_unresolved": {
            "escalated": len(escalated),
            "thumbs_down": len(thumbs_down),
            "repeated_request": len(repeated),
        },
        "median_wait_s": round(statistics.median(waits), 1) if waits else None,
        "median_handle_s": round(statistics.median(handles), 1) if handles else None,
        "csat_average": round(statistics.mean(r.rating for r in ratings), 2) if ratings else None,
        "csat_count": len(ratings),
        "csat_distribution": {str(k): sum(r.rating == k for r in ratings) for k in range(1, 6)},
        "per_day": [
            {
                "day": d,
                "conversations": per_day.get(d, 0),
                "escalated": esc_day.get(d, 0),
                "bot_resolved": bot_day.get(d, 0),
            }
            for d in days_list
        ],
    }
