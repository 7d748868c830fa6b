"""What the console shows: the queue and a conversation with its handoff summary.

The handoff summary is written by code from the store (messages, tool calls, proposals,
audit rows, the flow's state), never by the model, so an agent can trust every line. The
metrics page's figures are in :mod:`assistant.support_metrics`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.conversations import Conversation, ConversationState, Message
from catalog.models import Order, User
from catalog.orders.records import AuditLog, PendingAction
from catalog.orders.views import order_view, user_view
from catalog.support import Csat, HandoffEvent

LIVE = ("waiting_for_agent", "with_agent")


def _aware(ts: datetime | None) -> datetime | None:
    return None if ts is None else ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def _iso(ts: datetime | None) -> str | None:
    aware = _aware(ts)
    return aware.isoformat() if aware else None


def _customer_name(session: Session, user_id: str | None) -> str | None:
    if not user_id:
        return None
    user = session.get(User, user_id)
    return f"{user.first_name} {user.last_name}" if user else user_id


def queue_item(session: Session, conv: Conversation, names: dict[int, str]) -> dict[str, Any]:
    """Return one row of the console queue."""
    now = datetime.now(UTC)
    since = _aware(conv.waiting_since)
    last = session.exec(
        select(Message)
        .where(col(Message.conversation_id) == conv.id)
        .where(col(Message.role) == "user")
        .order_by(col(Message.pk).desc())
        .limit(1)
    ).first()
    return {
        "conversation_id": conv.id,
        "status": conv.status,
        "reason": conv.handoff_reason or "",
        "waiting_since": _iso(since),
        "waiting_s": round((now - since).total_seconds(), 1) if since else None,
        "customer": _customer_name(session, conv.user_id),
        "guest_order": conv.scope_order_id,
        "lang": conv.lang or "",
        "sentiment": conv.sentiment,
        "agent_id": conv.agent_id,
        "agent": names.get(conv.agent_id) if conv.agent_id else None,
        "last_message": (last.content[:140] if last else ""),
    }


def queue(engine: Engine, names: dict[int, str], *, recent_bot: int = 20) -> dict[str, Any]:
    """Return waiting and taken conversations (oldest wait first), plus recent bot chats."""
    with Session(engine) as session:
        live = session.exec(
            select(Conversation)
            .where(col(Conversation.status).in_(LIVE))
            .order_by(col(Conversation.waiting_since))
        ).all()
        bots = session.exec(
            select(Conversation)
            .where(col(Conversation.status) == "bot")
            .order_by(col(Conversation.updated_at).desc())
            .limit(recent_bot)
        ).all()
        return {
            "waiting": [queue_item(session, c, names) for c in live],
            "recent": [queue_item(session, c, names) for c in bots],
        }


def _tool_args(m: Message) -> dict[str, Any]:
    try:
        data = json.loads(m.content)
    except json.JSONDecodeError:
        return {}
    args = data.get("args") if isinstance(data, dict) else None
    return args if isinstance(args, dict) else {}


def _tool_failed(m: Message) -> bool:
    try:
        data = json.loads(m.content)
    except json.JSONDecodeError:
        return False
    return isinstance(data, dict) and str(data.get("feedback", "")).startswith("ERROR")


def handoff_summary(session: Session, conv: Conversation) -> dict[str, Any]:
    """Return what the agent needs first, from the store alone (see the module docstring)."""
    messages = list(
        session.exec(
            select(Message).where(col(Message.conversation_id) == conv.id).order_by(col(Message.pk))
        )
    )
    asks = [m.content for m in messages if m.role == "user"][-3:]
    tools = [m for m in messages if m.role == "tool"]
    orders = sorted(
        {str(_tool_args(m)["order_id"]) for m in tools if _tool_args(m).get("order_id")}
        | {
            str(a.args.get("order_id"))
            for a in session.exec(select(AuditLog).where(col(AuditLog.conversation_id) == conv.id))
            if a.args.get("order_id")
        }
    )
    pending = session.exec(
        select(PendingAction)
        .where(col(PendingAction.conversation_id) == conv.id)
        .where(col(PendingAction.status) == "pending")
        .order_by(col(PendingAction.created_at).desc())
    ).first()
    failed = [m.name or "tool" for m in tools if _tool_failed(m)]
    state_row = session.get(ConversationState, conv.id)
    state = dict(state_row.data) if state_row else {}
    looking_for = (state.get("search") or {}).get("product")
    intent = (state.get("intent") or {}).get("action")
    customer = _customer_name(session, conv.user_id)
    lines = [
        f"Why here: {(conv.handoff_reason or 'not escalated').replace('_', ' ')}.",
        "Shopper wants: " + (" / ".join(f"“{a[:160]}”" for a in asks) or "nothing said yet"),
    ]
    if looking_for or intent:
        lines.append(
            "Assistant was on: "
            + ", ".join(
                x
                for x in (
                    f"search for {looking_for}" if looking_for else "",
                    f"{str(intent).replace('_', ' ')} (waiting for details)" if intent else "",
                )
                if x
            )
        )
    if customer:
        lines.append(f"Customer: {customer} ({conv.user_id}), verified.")
    elif conv.scope_order_id:
        lines.append(f"Guest verified for order {conv.scope_order_id} only.")
    else:
        lines.append("Customer: not verified.")
    lines.append("Orders touched: " + (", ".join(orders) or "none"))
    if pending is not None:
        lines.append(f"Pending proposal (needs the customer's yes): {pending.summary}")
    lines.append(f"Failed attempts: {len(failed)}" + (f" ({', '.join(failed)})" if failed else ""))
    return {
        "reason": conv.handoff_reason,
        "wants": asks,
        "customer": customer,
        "customer_id": conv.user_id,
        "guest_order": conv.scope_order_id,
        "orders_touched": orders,
        "pending_proposal": pending.summary if pending is not None else None,
        "failed_attempts": len(failed),
        "lang": conv.lang,
        "sentiment": conv.sentiment,
        "text": "\n".join(lines),
    }


def _message_view(m: Message) -> dict[str, Any]:
    out: dict[str, Any] = {
        "message_id": m.message_id,
        "role": m.role,
        "name": m.name,
        "text": m.content,
        "cards": list(m.cards or []),
        "at": _iso(m.created_at),
    }
    if m.role == "tool":
        try:
            data = json.loads(m.content)
            out["args"], out["text"] = data.get("args", {}), str(data.get("feedback", ""))
        except json.JSONDecodeError:
            pass
    return out


def conversation_detail(
    engine: Engine, conversation_id: str, names: dict[int, str]
) -> dict[str, Any] | None:
    """Everything the console shows for one conversation (None if it does not exist)."""
    with Session(engine) as session:
        conv = session.get(Conversation, conversation_id)
        if conv is None:
            return None
        messages = session.exec(
            select(Message)
            .where(col(Message.conversation_id) == conversation_id)
            .order_by(col(Message.pk))
        ).all()
        audits = session.exec(
            select(AuditLog)
            .where(col(AuditLog.conversation_id) == conversation_id)
            .order_by(col(AuditLog.pk))
        ).all()
        events = session.exec(
            select(HandoffEvent)
            .where(col(HandoffEvent.conversation_id) == conversation_id)
            .order_by(col(HandoffEvent.pk))
        ).all()
        customer: dict[str, Any] | None = None
        if conv.user_id and (user := session.get(User, conv.user_id)) is not None:
            orders = session.exec(
                select(Order).where(col(Order.user_id) == user.id).order_by(col(Order.id))
            ).all()
            if conv.scope_order_id:
                orders = [o for o in orders if o.id == conv.scope_order_id]
            customer = {
                "profile": user_view(session, user),
                "orders": [order_view(session, o) for o in orders],
            }
        csat = session.get(Csat, conversation_id)
        return {
            "conversation": queue_item(session, conv, names),
            "summary": handoff_summary(session, conv),
            "messages": [_message_view(m) for m in messages],
            "audit": [
                {
                    "action": a.action,
                    "args": a.args,
                    "actor": a.actor or "assistant",
                    "customer": a.user_id,
                    "at": _iso(a.created_at),
                }
                for a in audits
            ],
            "events": [
                {
                    "from": e.from_state,
                    "to": e.to_state,
                    "actor": e.actor,
                    "reason": e.reason,
                    "note": e.note,
                    "at": _iso(e.created_at),
                }
                for e in events
            ],
            "customer": customer,
            "csat": {"rating": csat.rating, "comment": csat.comment} if csat else None,
        }
