"""Order flows as small state machines over the order tools: verify, look up, propose, confirm.

Every fact in a reply (order ids, items, statuses, summaries) comes from a tool result;
writes are only proposed here, and executed only by an explicit yes to *that* proposal in
the very next message (or the widget's button).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from assistant.flows import exchanges, payments, returns
from assistant.flows import understand as u
from assistant.flows.command import Command
from assistant.flows.identity import actor_of, auth_needed_key
from assistant.flows.kit import TurnKit
from assistant.flows.replies import join, money, say
from assistant.flows.state import FlowState
from assistant.flows.waiting_change import ITEMS_TOOL, WRITE_OF_TOOL, corrected_zip
from assistant.flows.write_kinds import (
    names_paying,
    negated_writes,
    unnamed_write,
    write_kind_in,
)
from assistant.nlu.cues import dialogue_hits
from catalog.errors import ShopError
from tools.registry import ProposalOutput

_LATEST = re.compile(
    r"\b(latest|last|most recent|newest|letzten?|dernière|dernier|último|última|ultimo|ultima)\b",
    re.I,
)


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
    orders: list[dict[str, Any]],
    text: str,
    cmd: Command,
    last: str | None = None,
    holding: list[dict[str, Any]] | None = None,
    lang: str = "en",
) -> dict[str, Any] | None:
    """Return the order a message means (``holding``: those with the product it names)."""
    typed = u.order_ids_in(text)
    if typed:
        return next((o for o in orders if o["order_id"] in typed), None)
    which = cmd.order
    if _LATEST.search(text):
        which = "latest"
    typed_status = False
    for status in ("delivered", "pending", "processed", "cancelled"):
        if re.search(rf"\b{status}\b", text, re.I) and which != "latest":
            which, typed_status = status, True  # type: ignore[assignment]
    described = how_far(text, lang)  # "the order that hasnt shipped yet"
    if described == "on_the_way":  # "my order thats not here yet": the one still coming
        coming = [o for o in holding or orders if o["status"] in ("pending", "processed")]
        if len(coming) == 1:
            return coming[0]
        described = None
    if described is not None and which != "latest":
        held = [o for o in holding or [] if o["status"] == described]
        if held:  # "i ordered the puzzle in blue …, it hasnt shipped yet": the one holding it
            return held[-1]
        which, typed_status = described, True  # type: ignore[assignment]
    if which == "latest" and orders:
        # "the hoodie from my last delivery": the latest order holding it
        return holding[-1] if holding else orders[-1]
    if which in ("delivered", "pending", "processed", "cancelled"):
        found = next((o for o in orders if o["status"] == which), None)
        if found is not None or typed_status:
            return found
        # a status the reading guessed ("where is my order?? it's been ages" read as the
        # pending one) that no order has: the words name none, so the usual rules pick
    if len(orders) == 1:
        return orders[0]
    # "cancel it": the order the conversation was just about, unless the product named is
    # in another one ("has the kettle i ordered shipped?": the latest order holding one)
    about = next((o for o in orders if o["order_id"] == last), None)
    if holding and (about is None or about not in holding):
        return holding[-1]
    return about


def how_far(text: str, lang: str) -> str | None:
    """Return the status an order is named by ("the one that hasnt shipped yet": pending)."""
    groups = {h.group for h in dialogue_hits(text, lang)}
    if "order_pending" in groups:
        return "pending"
    if "order_delivered" in groups:
        return "delivered"
    return "on_the_way" if "order_coming" in groups else None  # "not here yet": not delivered


def _holding(kit: TurnKit, state: FlowState, orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the orders holding an item of the product types the shopper named.

    Of several, those whose item has a colour the message names ("the white water bottle
    from my last delivery"), when any has.
    """
    if not state.order_types:
        return []
    type_of = kit.ctx.deps.searcher.vocabulary.type_of

    def of_type(item: dict[str, Any]) -> bool:
        return type_of.get(str(item.get("product_id"))) in state.order_types

    held = [o for o in orders if any(of_type(i) for i in o["items"])]
    colours = {c.lower() for c in (kit.reading.colors if kit.reading else [])}
    coloured = [
        o
        for o in held
        if any(
            of_type(i) and colours & {str(v).lower() for v in i.get("options", {}).values()}
            for i in o["items"]
        )
    ]
    return coloured or held


async def order_status(kit: TurnKit, state: FlowState, cmd: Command, text: str, lang: str) -> str:
    """Tell the verified customer the status and items of the order they mean."""
    actor = await actor_of(kit)
    if actor is None:
        state.intent = {"action": "order_status", "text": text}
        return say(auth_needed_key(kit), lang)
    orders = await _orders(kit, actor)
    order = _pick_order(orders, text, cmd, state.last_order, _holding(kit, state, orders), lang)
    ids = ", ".join(o["order_id"] for o in orders) or "–"
    if order is None:
        state.intent = {"action": "order_status", "asked": "which_order"}
        key = "order_none" if u.order_ids_in(text) else "which_order"
        return say(key, lang, orders=ids)
    state.last_order, state.order_turn = str(order["order_id"]), state.turn
    status = say(
        "order_status",
        lang,
        order_id=order["order_id"],
        items=_items(order, lang),
        status=_status_word(order, lang),
    )
    tracking = [str(t) for t in order.get("tracking") or []]
    if tracking:
        status = f"{status} {say('order_tracking', lang, ids=', '.join(tracking))}"
    if "order_total" in {h.group for h in dialogue_hits(text, lang)}:
        # "… and what did it all cost?": what each item and all of them cost
        items = order.get("items", [])
        total = sum(float(i.get("price", 0.0)) for i in items)
        priced = join([f"{i['name']} ({money(float(i['price']), lang)})" for i in items], lang)
        status = f"{status} {say('order_total', lang, total=money(total, lang), items=priced)}"
    return status


def _status_word(order: dict[str, Any], lang: str) -> str:
    """Name an order's status in the shopper's language."""
    status = str(order["status"])
    known = ("pending", "processed", "delivered", "cancelled")
    return say(f"status_{status}", lang) if status in known else status


async def start_write(kit: TurnKit, state: FlowState, cmd: Command, text: str, lang: str) -> str:
    """Collect what the write needs, then propose it; the reply asks for a yes."""
    going = state.intent if state.intent and state.intent.get("action") == "start_write" else {}
    said = cmd.write if cmd.write not in negated_writes(text) else None
    named = write_kind_in(text) or going.get("write") or said
    if going.get("amends"):
        named = going.get("write")  # the waiting change, amended (see continue_waiting)
    if named in ("exchange", "change_items") and not going.get("write"):
        if names_paying(text, lang) and not _names_options(kit, text):
            named = "change_payment"  # "cambiar la forma de pago": paying another way
    kind = named or unnamed_write(text, lang, _names_options(kit, text))
    actor = await actor_of(kit)
    if actor is None:
        # kept for after the sign-in: the change named, else read again then with what
        # the sign-in message adds (never a guessed cancellation carried over)
        state.intent = {"action": "start_write", "write": named, "text": text}
        return say(auth_needed_key(kit), lang)
    if kind == "change_default_address":
        return await _propose_address(kit, state, text, lang, None)
    orders = await _orders(kit, actor)
    # "it": the order this write, the last reply, or the shopper's earlier message named
    last = going.get("order") or state.last_order or state.typed_identity.get("order")
    order = _pick_order(orders, text, cmd, str(last or ""), _holding(kit, state, orders), lang)
    if order is None:
        state.intent = {"action": "start_write", "write": kind, "asked": "which_order"}
        key = "order_none" if u.order_ids_in(text) else "which_order"
        return say(key, lang, orders=", ".join(o["order_id"] for o in orders) or "–")
    state.last_order = str(order["order_id"])  # "what was in that order then?", refused or not
    reply = await _write_order(kit, state, kind, order, actor, text, lang)
    if state.pending and state.pending.get("turn") == state.turn:
        # the kinds of product in it: "the one with the rc car, by mistake" is about it
        type_of = kit.ctx.deps.searcher.vocabulary.type_of
        kinds = {type_of.get(str(i.get("product_id"))) for i in order.get("items", [])}
        state.pending["types"] = sorted(k for k in kinds if k)
    return reply


async def _write_order(
    kit: TurnKit,
    state: FlowState,
    kind: str,
    order: dict[str, Any],
    actor: str,
    text: str,
    lang: str,
) -> str:
    """Propose the change ``kind`` of ``order`` (or ask what it still needs)."""
    if kind == "change_order_address":
        return await _propose_address(kit, state, text, lang, order["order_id"])
    if kind == "change_payment":
        return await _propose_payment(kit, state, order, text, lang, actor)
    if kind == "return":
        return await _propose_return(kit, state, order, text, lang)
    asked = (state.intent or {}).get("write") == "change_items"  # answering its question
    if kind == "change_items" and not asked and not _names_options(kit, text):
        # adding or removing items is for a person (only a swap of options is done here)
        await kit.call("transfer_to_human_agents", summary=f"customer wants: {kind}")
        return say("write_by_person", lang)
    if kind in ("exchange", "change_items"):
        # a swap before the order ships changes its items; after delivery it is an exchange
        kind = "change_items" if order["status"] == "pending" else "exchange"
        if kind == "exchange" and order["status"] != "delivered":
            return say("exchange_not_delivered", lang, order_id=order["order_id"])
        methods = await _methods(kit, actor)
        planned = await exchanges.plan(kit, state, order, methods, text, lang, kind)
        if planned.reply is not None:
            return planned.reply
        tool = "exchange_delivered_order_items" if kind == "exchange" else ITEMS_TOOL
        return await _propose(kit, state, lang, tool, described=planned.described, **planned.args)
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


def _names_options(kit: TurnKit, text: str) -> bool:
    """Return True when the message names another colour, size or option (a swap)."""
    r = kit.reading
    return bool(r and (r.colors or r.sizes or r.options)) or returns.step_size(text) != 0


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
    if order.get("status") != "delivered":
        # no items to ask for: the policy allows a return of a delivered order only
        state.intent = None
        status = _status_word(order, lang)
        return say("return_not_delivered", lang, order_id=order["order_id"], status=status)
    items = order.get("items", [])
    chosen = returns.chosen_items(kit, state, order, "return", text, lang)
    if not chosen:
        state.intent = {"action": "start_write", "write": "return", "order": order["order_id"]}
        listing = "; ".join(returns.item_words([i], lang) for i in items)
        return say("which_items", lang, order_id=order["order_id"], items=listing)
    original = returns.original_method(order)
    actor = await actor_of(kit)
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


async def _propose_payment(
    kit: TurnKit, state: FlowState, order: dict[str, Any], text: str, lang: str, actor: str
) -> str:
    """Propose paying a pending order with the method the shopper names (asked if unclear)."""
    oid = order["order_id"]
    if order["status"] != "pending":
        return say("payment_not_pending", lang, order_id=oid, status=_status_word(order, lang))
    methods = await _methods(kit, actor)
    others = payments.usable_methods(order, methods)
    named = payments.new_method(order, methods, text, lang)
    if not others and named is None:
        old = returns.describe_method(methods.get(str(returns.original_method(order))), lang)
        return say("payment_no_other", lang, order_id=oid, old=old)
    new = named
    if new is None:
        state.intent = {"action": "start_write", "write": "change_payment", "order": oid}
        return say("which_payment", lang, order_id=oid, choices=payments.choices_text(others, lang))
    return await _propose(
        kit,
        state,
        lang,
        "modify_pending_order_payment",
        described=payments.payment_text(order, methods, new, lang),
        order_id=oid,
        payment_method_id=new,
    )


async def _propose_address(
    kit: TurnKit, state: FlowState, text: str, lang: str, order_id: str | None
) -> str:
    address = u.address_in(text)
    if (
        address is None
        and state.last_address
        and "same_address" in {h.group for h in dialogue_hits(text, lang)}
    ):
        fields = dict(state.last_address)  # "can u also save that same address on my account"
        return await _propose_fields(kit, state, lang, order_id, fields)
    zip_code = corrected_zip(state, text) if address is None else None
    if zip_code is not None and state.last_address:
        # "aspetta ho sbagliato il cap, è 90405": the address proposed, with the zip mended
        fields = {**state.last_address, "zip": zip_code}
        return await _propose_fields(kit, state, lang, order_id, fields)
    if address is None:
        state.intent = {
            "action": "start_write",
            "write": "change_order_address" if order_id else "change_default_address",
        }
        if order_id:  # the address that comes next is for this order
            state.intent["order"] = order_id
        return say("which_address", lang)
    fields = {
        "address1": address.address1,
        "address2": address.address2,
        "city": address.city,
        "state": address.state,
        "country": address.country,
        "zip": address.zip,
    }
    return await _propose_fields(kit, state, lang, order_id, fields)


async def _propose_fields(
    kit: TurnKit, state: FlowState, lang: str, order_id: str | None, fields: dict[str, str]
) -> str:
    """Propose the address ``fields`` for an order (``order_id``) or the account."""
    state.last_address = dict(fields)
    where = ", ".join(str(v) for v in fields.values() if v)
    if order_id:
        described = say("proposal_order_address", lang, order_id=order_id, address=where)
        return await _propose(
            kit, state, lang, "modify_pending_order_address", described, order_id=order_id,
            **fields,
        )  # fmt: skip
    actor = await actor_of(kit)
    described = say("proposal_default_address", lang, address=where)
    return await _propose(
        kit, state, lang, "modify_user_address", described, user_id=actor, **fields
    )


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
    if args.get("order_id"):
        # the order talked about, even when refused ("what was in that order then?")
        state.last_order = str(args["order_id"])  # "pay for it with my visa instead"
    try:
        result = await kit.call(tool, **args)
    except ShopError as exc:
        if exc.code == "insufficient_balance":  # the message names the card's raw id
            return say("gift_card_short", lang)
        if exc.code in _STATUS_REFUSALS and args.get("order_id"):
            # the policy's own words are English: the shopper reads the status in theirs
            order = kit.data(await kit.call("get_order_details", order_id=args["order_id"]))
            key = _STATUS_REFUSALS[exc.code].get(tool, "change_not_pending")
            status = _status_word(order["order"], lang)
            return say(key, lang, order_id=args["order_id"], status=status)
        return say("refused", lang, error=exc.message.rstrip("."))
    if not isinstance(result, ProposalOutput):
        return say("refused", lang, error="the action could not be prepared")
    summary = (described or result.summary).rstrip(".")
    state.pending = {"token": result.token, "summary": summary, "turn": state.turn, "tool": tool}
    # the call itself: proposed again when a message adds to it or asks about it
    state.pending["call"] = {"tool": tool, "args": args, "described": described}
    state.intent = None
    return say("confirm_request", lang, summary=summary)


def waiting_summary(state: FlowState) -> str:
    """Return the text of the change waiting for a yes ("" when none): a yes may repeat it."""
    return str((state.pending or {}).get("summary", ""))


async def confirm(kit: TurnKit, state: FlowState, text: str, lang: str) -> str:
    """Execute the proposal of the immediately preceding turn, on an explicit yes only."""
    pending, shown = state.pending, waiting_summary(state)
    state.pending = None
    waiting = WRITE_OF_TOOL.get(str((pending or {}).get("tool", "")))
    named = write_kind_in(text)
    other = named is not None and waiting is not None and named != waiting
    if not pending or pending.get("turn") != state.turn - 1 or not u.is_yes(text, shown) or other:
        # "yes, cancel it" to a waiting return is no yes to that return
        if pending:
            kit.ctx.deps.orders.decline(kit.ctx.conversation_id, str(pending["token"]))
        return say("nothing_to_confirm", lang)
    if not kit.ctx.last_reply:  # a caller without the stored reply: the change it showed
        kit.ctx.last_reply = shown
    try:
        await kit.call("confirm_action", token=pending["token"])
    except ShopError as exc:
        return say("refused", lang, error=exc.message.rstrip("."))
    return say("done", lang, summary=str(pending["summary"]).rstrip("."))


async def restate_waiting(kit: TurnKit, state: FlowState, lang: str) -> str:
    """Propose the waiting change again (a question about it is no yes, and voids it)."""
    call = dict((state.pending or {}).get("call") or {})
    void_pending(kit, state)
    if not call:
        return say("nothing_to_confirm", lang)
    return await _propose(
        kit, state, lang, str(call["tool"]), described=call.get("described"), **call["args"]
    )


def void_pending(kit: TurnKit, state: FlowState) -> bool:
    """Any message other than a yes voids the pending proposal; True if one was voided."""
    if not state.pending:
        return False
    kit.ctx.deps.orders.decline(kit.ctx.conversation_id, str(state.pending["token"]))
    state.pending = None
    return True


# a refusal for an order in the wrong status, by the policy's code and the tool refused
_STATUS_REFUSALS: dict[str, dict[str, str]] = {
    "order_not_pending": {"cancel_pending_order": "cancel_not_pending"},
    "order_not_delivered": {
        "return_delivered_order_items": "return_not_delivered",
        "exchange_delivered_order_items": "return_not_delivered",
    },
}

# what a waiting proposal changes, by the tool that prepared it (orders only)
