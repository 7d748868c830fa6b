"""Exchanges by description: "the hoodie for the same in small", "the shoes a size up".

Code picks the order items (as for returns), reads what should change (a size word, a
colour, "a size up"), finds the in-stock variant of the same product with exactly those
options, and writes the proposal in the shopper's language. Policy checks (delivered,
same product, available, the gift card's balance) stay in the order service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.flows import payments, returns
from assistant.flows.kit import TurnKit
from assistant.flows.references import size_key
from assistant.flows.replies import say
from assistant.flows.state import FlowState


@dataclass
class ExchangePlan:
    """Either a question for the shopper (``reply``) or the write to propose."""

    reply: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    described: str = ""


def _stepped(item: dict[str, Any], variants: list[dict[str, Any]], step: int) -> dict[str, str]:
    """Return the item's options with the next size up (or down) this product has in stock."""
    options = dict(item.get("options", {}))
    others = {k: v for k, v in options.items() if k != "size"}
    sizes = sorted(
        {
            str(v["options"]["size"])
            for v in variants
            if "size" in v.get("options", {})
            and (v.get("available") or v["options"]["size"] == options.get("size"))
            and all(v["options"].get(k) == val for k, val in others.items())
        },
        key=size_key,
    )
    current = str(options.get("size", ""))
    if current in sizes and 0 <= sizes.index(current) + step < len(sizes):
        options["size"] = sizes[sizes.index(current) + step]
    return options


async def plan(
    kit: TurnKit,
    state: FlowState,
    order: dict[str, Any],
    methods: dict[str, dict[str, Any]],
    text: str,
    lang: str,
    write: str = "exchange",
) -> ExchangePlan:
    """Plan the exchange the message describes, or the question that must come first.

    ``write="change_items"``: the same swap of a pending order's items (before it ships).
    """
    items = order.get("items", [])
    chosen = returns.chosen_items(kit, state, order, write, text, lang)
    waiting = {"action": "start_write", "write": write, "order": order["order_id"]}
    if not chosen:
        state.intent = waiting
        listing = "; ".join(returns.item_words([i], lang) for i in items)
        return ExchangePlan(
            say("which_items_exchange", lang, order_id=order["order_id"], items=listing)
        )
    step = returns.step_size(text)
    going = state.intent or {}
    # what a waiting exchange asked for, when this message adds only how to pay
    earlier = dict(zip(going.get("items") or [], going.get("new_items") or [], strict=False))
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for item in chosen:
        product = kit.data(await kit.call("get_product", product_id=str(item["product_id"])))
        variants = list(product.get("variants", []))
        want = _stepped(item, variants, step) if step else returns.wanted_options(kit, item, text)
        before = next((v for v in variants if str(v["id"]) == earlier.get(item["item_id"])), None)
        if want == dict(item.get("options", {})) and before is not None:
            want = dict(before.get("options", {}))
        if want == dict(item.get("options", {})):
            state.intent = {**waiting, "items": [i["item_id"] for i in chosen]}
            return ExchangePlan(say("which_exchange", lang, items=returns.item_words(chosen, lang)))
        match = next(
            (v for v in variants if v.get("available") and dict(v.get("options", {})) == want),
            None,
        )
        if match is None:
            state.intent = {**waiting, "items": [i["item_id"] for i in chosen]}
            stock = sorted(
                {
                    ", ".join(str(x) for x in v["options"].values())
                    for v in variants
                    if v["available"]
                }
            )
            return ExchangePlan(
                say(
                    "exchange_unavailable",
                    lang,
                    name=item["name"],
                    options=", ".join(str(x) for x in want.values()),
                    stock="; ".join(stock) or "–",
                )
            )
        pairs.append((item, match))
    original = returns.original_method(order)
    # any of the customer's methods settles an exchange's difference: the one they name
    # ("la différence sur mon paypal"), else the refund rule's choice, else the original
    method = payments.named_method(methods, methods, order, text, lang)
    method = method or returns.refund_method(methods, original, text, lang)[0] or original
    diff = round(sum(float(n["price"]) - float(o["price"]) for o, n in pairs), 2)
    return ExchangePlan(
        args={
            "order_id": order["order_id"],
            "item_ids": [o["item_id"] for o, _ in pairs],
            "new_item_ids": [str(n["id"]) for _, n in pairs],
            "payment_method_id": method,
        },
        described=returns.exchange_text(
            order["order_id"],
            pairs,
            diff,
            methods.get(str(method)),
            lang,
            "proposal_change_items" if write == "change_items" else "proposal_exchange",
        ),
    )
