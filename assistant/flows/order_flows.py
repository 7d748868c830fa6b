"""Order flows as small state machines over the order tools: verify, look up, propose, confirm.

Every fact in a reply (order ids, items, statuses, summaries) comes from a tool result;
writes are only proposed here, and executed only by an explicit yes to *that* proposal in
the very next message (or the widget's button).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from assistant.flows import exchanges, returns
from assistant.flows import understand as u
from assistant.flows.command import Command, WriteKind
from assistant.flows.kit import TurnKit
from assistant.flows.replies import join, money, say
from assistant.flows.state import FlowState
from catalog.errors import ShopError
from tools.registry import ProposalOutput

_NAME = re.compile(
    r"\b(?i:i'?m|i am|my name is|this is|name:|ich bin|je suis|me llamo|soy|sono|mi chiamo)"
    r"\s+([A-Z][a-zA-Z'-]+)\s+([A-Z][a-zA-Z'-]+)"
)
_LATEST = re.compile(r"\b(latest|last|most recent|newest|letzte|dernière|último|ultimo)\b", re.I)
_WRITE_WORDS: dict[str, re.Pattern[str]] = {
    "cancel": re.compile(r"\b(cancel|stornier|annul|cancelar|annullare)", re.I),
    "return": re.compile(
        r"\b(return|refund|send (?:it )?back|zurück|retourn|devolver|restitu)", re.I
    ),
    "change_default_address": re.compile(r"\b(default|my) address\b", re.I),
    "change_order_address": re.compile(r"\b(ship|send|deliver)\b.*\bto\b.*\d", re.I),
}


def write_kind_in(text: str) -> str | None:
    """Return the write a message asks for, read by code (``cancel``, ``return``, addresses)."""
    for kind, pattern in _WRITE_WORDS.items():
        if pattern.search(text):
            return kind
    return None


def auth_needed_key(kit: TurnKit) -> str:
    """Return the reply key that asks for the identity this shop's mode accepts."""
    return "auth_needed_verified" if kit.ctx.deps.orders.identity == "verified" else "auth_needed"


async def _actor(kit: TurnKit) -> str | None:
    try:
        return kit.ctx.deps.orders.actor(kit.ctx.conversation_id)
    except ShopError:
        return None


async def authenticate(kit: TurnKit, cmd: Command, text: str, lang: str) -> tuple[bool, str]:
    """Verify the shopper from identifiers they typed; (verified?, what to say)."""
    email = u.email_in(text) or (u.email_in(cmd.email) if cmd.email else None)
    name = _NAME.search(text)
    first, last = (name.group(1), name.group(2)) if name else (None, None)
    if first is None and cmd.name and len(cmd.name.split()) >= 2:
        first, last = cmd.name.split()[0], cmd.name.split()[-1]
    zip_code = u.zip_in(text)
    current = await _actor(kit)
    if current is not None:
        if email or (first and zip_code):
            return True, say("auth_other", lang)
        return True, ""
    if kit.ctx.deps.orders.identity == "verified":
        return await _verify_guest(kit, text, email, zip_code, lang)
    try:
        if email:
            await kit.call("find_user_id_by_email", email=email)
        elif first and last and zip_code:
            await kit.call(
                "find_user_id_by_name_zip", first_name=first, last_name=last, zip=zip_code
            )
        else:
            return False, say(auth_needed_key(kit), lang)
    except ShopError as exc:
        return False, say("auth_locked" if exc.code == "too_many_attempts" else "auth_failed", lang)
    return True, say("auth_ok", lang)


def remember_identity(state: FlowState, text: str) -> None:
    """Keep the email, zip and order number the shopper typed (a guest may give them apart)."""
    found = {"email": u.email_in(text), "zip": u.zip_in(text)}
    orders = u.order_ids_in(text)
    found["order"] = orders[0] if orders else None
    state.typed_identity.update({k: v for k, v in found.items() if v})


async def _verify_guest(
    kit: TurnKit, text: str, email: str | None, zip_code: str | None, lang: str
) -> tuple[bool, str]:
    """Verify a guest (verified mode) by one order's number, email and zip, as they typed them."""
    typed = kit.state.typed_identity if kit.state is not None else {}
    orders = u.order_ids_in(text) or ([typed["order"]] if "order" in typed else [])
    email = email or typed.get("email")
    zip_code = zip_code or typed.get("zip")
    if not (orders and email and zip_code):
        return False, say("auth_needed_verified", lang)
    try:
        await kit.call("verify_guest_order", order_id=orders[0], email=email, zip=zip_code)
    except ShopError as exc:
        key = "auth_locked" if exc.code == "too_many_attempts" else "auth_failed_verified"
        return False, say(key, lang)
    return True, say("auth_ok", lang)


def has_identity(text: str, cmd: Command, state: FlowState | None = None) -> bool:
    """Return True when the message gives an identity to verify.

    An email, or a name and a zip code; or a zip / order number that completes a guest's
    order number + email + zip typed over several messages.
    """
    if u.email_in(text) or (u.zip_in(text) and (_NAME.search(text) or cmd.name)):
        return True
    typed = state.typed_identity if state is not None else {}
    new = u.zip_in(text) or u.order_ids_in(text)
    return bool(new and {"order", "email", "zip"} <= set(typed))


async def _orders(kit: TurnKit, actor: str) -> list[dict[str, Any]]:
    scope = kit.ctx.deps.orders.scope_of(kit.ctx.conversation_id)
    if scope is not None:  # a guest verified for one order sees that order only
        return [kit.data(await kit.call("get_order_details", order_id=scope))["order"]]
    user = kit.data(await kit.call("get_user_details", user_id=actor))
    out = []
    for oid in user.get("orders", []):
        out.append(kit.data(await kit.call("get_order_details", order_id=oid))["order"])
    return out


def _items(order: dict[str, Any], lang: str) -> str:
    return join([str(i["name"]) for i in order.get("items", [])], lang)


def _pick_order(
    orders: list[dict[str, Any]], text: str, cmd: Command, last: str | None = None
) -> dict[str, Any] | None:
    typed = u.order_ids_in(text)
    if typed:
        return next((o for o in orders if o["order_id"] in typed), None)
    which = cmd.order
    if _LATEST.search(text):
        which = "latest"
    for status in ("delivered", "pending", "processed", "cancelled"):
        if re.search(rf"\b{status}\b", text, re.I) and which != "latest":
            which = status  # type: ignore[assignment]
    if which == "latest" and orders:
        return orders[-1]
    if which in ("delivered", "pending", "processed", "cancelled"):
        return next((o for o in orders if o["status"] == which), None)
    if len(orders) == 1:
        return orders[0]
    # "cancel it": the order the conversation was just about
    return next((o for o in orders if o["order_id"] == last), None)


async def order_status(kit: TurnKit, state: FlowState, cmd: Command, text: str, lang: str) -> str:
    """Tell the verified customer the status and items of the order they mean."""
    actor = await _actor(kit)
    if actor is None:
        state.intent = {"action": "order_status", "text": text}
        return say(auth_needed_key(kit), lang)
    orders = await _orders(kit, actor)
    order = _pick_order(orders, text, cmd, state.last_order)
    ids = ", ".join(o["order_id"] for o in orders) or "–"
    if order is None:
        key = "order_none" if u.order_ids_in(text) else "which_order"
        return say(key, lang, orders=ids)
    state.last_order = str(order["order_id"])
    status = (
        say(f"status_{order['status']}", lang)
        if order["status"] in ("pending", "processed", "delivered", "cancelled")
        else order["status"]
    )
    return say(
        "order_status", lang, order_id=order["order_id"], items=_items(order, lang), status=status
    )


async def start_write(kit: TurnKit, state: FlowState, cmd: Command, text: str, lang: str) -> str:
    """Collect what the write needs, then propose it; the reply asks for a yes."""
    going = state.intent if state.intent and state.intent.get("action") == "start_write" else {}
    kind = write_kind_in(text) or going.get("write") or cmd.write or "cancel"
    actor = await _actor(kit)
    if actor is None:
        state.intent = {"action": "start_write", "write": kind, "text": text}
        return say(auth_needed_key(kit), lang)
    if kind in ("change_payment", "change_items"):
        await kit.call("transfer_to_human_agents", summary=f"customer wants: {kind}")
        return say("write_by_person", lang)
    if kind == "change_default_address":
        return await _propose_address(kit, state, text, lang, None)
    orders = await _orders(kit, actor)
    order = _pick_order(orders, text, cmd, str(going.get("order") or state.last_order or ""))
    if order is None:
        state.intent = {"action": "start_write", "write": kind}
        key = "order_none" if u.order_ids_in(text) else "which_order"
        return say(key, lang, orders=", ".join(o["order_id"] for o in orders) or "–")
    if kind == "change_order_address":
        return await _propose_address(kit, state, text, lang, order["order_id"])
    if kind == "return":
        return await _propose_return(kit, state, order, text, lang)
    if kind == "exchange":
        if order["status"] != "delivered":
            return say("exchange_not_delivered", lang, order_id=order["order_id"])
        planned = await exchanges.plan(kit, state, order, await _methods(kit, actor), text, lang)
        if planned.reply is not None:
            return planned.reply
        return await _propose(
            kit,
            state,
            lang,
            "exchange_delivered_order_items",
            described=planned.described,
            **planned.args,
        )
    if order["status"] == "delivered":
        return say("cancel_delivered", lang, order_id=order["order_id"])
    methods = await _methods(kit, actor)
    return await _propose(
        kit,
        state,
        lang,
        "cancel_pending_order",
        described=returns.cancel_text(order, methods, lang),
        order_id=order["order_id"],
        reason=u.cancel_reason(text),
    )


async def _methods(kit: TurnKit, actor: str) -> dict[str, dict[str, Any]]:
    """Return the customer's payment methods by id ({} when they cannot be read).

    Read through the order service (the same ownership check as the tools), so code can
    name a card by brand and last four to its verified owner; the model never sees them.
    """
    orders, conv = kit.ctx.deps.orders, kit.ctx.conversation_id
    try:
        user = await asyncio.to_thread(orders.user_details, conv, actor)
    except ShopError:
        return {}
    return dict(user.get("payment_methods", {}))


async def _propose_return(
    kit: TurnKit, state: FlowState, order: dict[str, Any], text: str, lang: str
) -> str:
    items = order.get("items", [])
    chosen = returns.chosen_items(kit, state, order, "return", text, lang)
    if not chosen:
        state.intent = {"action": "start_write", "write": "return", "order": order["order_id"]}
        listing = "; ".join(returns.item_words([i], lang) for i in items)
        return say("which_items", lang, order_id=order["order_id"], items=listing)
    original = returns.original_method(order)
    actor = await _actor(kit)
    methods = await _methods(kit, actor) if actor else {}
    method, _ = returns.refund_method(methods, original, text, lang)
    if method is None:
        gift = next(m for m in methods.values() if m.get("source") == "gift_card")
        state.intent = {
            "action": "start_write",
            "write": "return",
            "order": order["order_id"],
            "items": [i["item_id"] for i in chosen],
        }
        amount = sum(float(i.get("price", 0.0)) for i in chosen)
        return say(
            "which_refund",
            lang,
            amount=money(amount, lang),
            items=returns.item_words(chosen, lang),
            original=returns.describe_method(methods.get(str(original)), lang),
            gift=returns.describe_method(gift, lang),
        )
    return await _propose(
        kit,
        state,
        lang,
        "return_delivered_order_items",
        described=returns.return_text(order["order_id"], chosen, methods.get(method), lang),
        order_id=order["order_id"],
        item_ids=[i["item_id"] for i in chosen],
        payment_method_id=method,
    )


async def _propose_address(
    kit: TurnKit, state: FlowState, text: str, lang: str, order_id: str | None
) -> str:
    address = u.address_in(text)
    if address is None:
        state.intent = {
            "action": "start_write",
            "write": "change_order_address" if order_id else "change_default_address",
        }
        return say("which_address", lang)
    fields = {
        "address1": address.address1,
        "address2": address.address2,
        "city": address.city,
        "state": address.state,
        "country": address.country,
        "zip": address.zip,
    }
    if order_id:
        return await _propose(
            kit, state, lang, "modify_pending_order_address", order_id=order_id, **fields
        )
    actor = await _actor(kit)
    return await _propose(kit, state, lang, "modify_user_address", user_id=actor, **fields)


async def _propose(
    kit: TurnKit,
    state: FlowState,
    lang: str,
    tool: str,
    /,
    described: str | None = None,
    **args: Any,
) -> str:
    """Propose a write; the shopper reads ``described`` (their language, no raw ids)."""
    try:
        result = await kit.call(tool, **args)
    except ShopError as exc:
        return say("refused", lang, error=exc.message.rstrip("."))
    if not isinstance(result, ProposalOutput):
        return say("refused", lang, error="the action could not be prepared")
    summary = (described or result.summary).rstrip(".")
    state.pending = {"token": result.token, "summary": summary, "turn": state.turn, "tool": tool}
    state.intent = None
    return say("confirm_request", lang, summary=summary)


async def confirm(kit: TurnKit, state: FlowState, text: str, lang: str) -> str:
    """Execute the proposal of the immediately preceding turn, on an explicit yes only."""
    pending = state.pending
    state.pending = None
    if not pending or pending.get("turn") != state.turn - 1 or not u.is_yes(text):
        if pending:
            kit.ctx.deps.orders.decline(kit.ctx.conversation_id, str(pending["token"]))
        return say("nothing_to_confirm", lang)
    try:
        await kit.call("confirm_action", token=pending["token"])
    except ShopError as exc:
        return say("refused", lang, error=exc.message.rstrip("."))
    return say("done", lang, summary=str(pending["summary"]).rstrip("."))


def void_pending(kit: TurnKit, state: FlowState) -> bool:
    """Any message other than a yes voids the pending proposal; True if one was voided."""
    if not state.pending:
        return False
    kit.ctx.deps.orders.decline(kit.ctx.conversation_id, str(state.pending["token"]))
    state.pending = None
    return True


# what a waiting proposal changes, by the tool that prepared it (orders only)
_WRITE_OF_TOOL: dict[str, WriteKind] = {
    "cancel_pending_order": "cancel",
    "return_delivered_order_items": "return",
    "exchange_delivered_order_items": "exchange",
    "modify_pending_order_address": "change_order_address",
}


def restated(state: FlowState, text: str) -> tuple[WriteKind, str] | None:
    """Return the waiting change and its order when ``text`` names that order again.

    "it's #W1465645, I don't need it anymore" gives the order and a reason: no refusal,
    whatever its "don't" (the same change is proposed again and waits for a yes).
    """
    if not state.pending:
        return None
    write = _WRITE_OF_TOOL.get(str(state.pending.get("tool", "")))
    summary = str(state.pending.get("summary", ""))
    named = [o for o in u.order_ids_in(text) if o in summary]
    return (write, named[0]) if write is not None and named else None
