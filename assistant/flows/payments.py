"""Paying a pending order another way: which of the customer's methods the words name.

"can I pay with paypal instead of the card?", "use my gift card for it", "the visa ending
4421": the new method is picked in code from the customer's own payment methods (never the
one the order was paid with), by kind, brand or last four digits. When the words name no
single one, the flow asks and lists the choices by kind and last four, never raw ids.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.flows.replies import join, money, say
from assistant.flows.returns import describe_method, original_method, paid_amount
from assistant.nlu.cues import affirmed_groups

_DIGITS = re.compile(r"\b\d{4}\b")


def _named(method: dict[str, Any], text: str, groups: set[str], paid_kind: str) -> float:
    """Score how plainly the message names this method (0: not at all).

    Its last four digits (3) beat its brand (2), which beats its kind when the order was
    paid another way (1: "paypal instead of the card"), which beats its kind alone (0.5).
    """
    four = str(method.get("last_four") or "")
    if four and four in _DIGITS.findall(text):
        return 3.0
    brand = str(method.get("brand") or "").lower()
    if brand and re.search(rf"\b{re.escape(brand)}\b", text, re.I):
        return 2.0
    source = str(method.get("source"))
    kind = f"refund_{source}" in groups or (source == "gift_card" and "refund_gift" in groups)
    if not kind:
        return 0.0
    return 1.0 if source != paid_kind else 0.5


def other_methods(
    order: dict[str, Any], methods: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Return the customer's methods an order could be paid with instead (not its own)."""
    paid = original_method(order)
    return {mid: m for mid, m in methods.items() if mid != paid}


def usable_methods(
    order: dict[str, Any], methods: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Return the other methods that can pay the whole order (a gift card needs the balance)."""
    need = paid_amount(order)
    return {
        mid: m
        for mid, m in other_methods(order, methods).items()
        if m.get("source") != "gift_card" or float(m.get("balance") or 0.0) >= need
    }


def new_method(
    order: dict[str, Any], methods: dict[str, dict[str, Any]], text: str, lang: str
) -> str | None:
    """Return the id of the method the message names for paying ``order``; None if unclear.

    The plainest naming wins ("the visa" among two cards, "paypal instead of the card");
    a naming that fits several methods equally ("another card") names none of them.
    """
    return named_method(other_methods(order, methods), methods, order, text, lang)


def named_method(
    among: dict[str, dict[str, Any]],
    methods: dict[str, dict[str, Any]],
    order: dict[str, Any],
    text: str,
    lang: str,
) -> str | None:
    """Return the one method of ``among`` the message names plainest (None: none or a tie).

    ``methods`` are all the customer's, ``order`` the order (its own kind of method
    counts less: "paypal instead of the card").
    """
    groups = affirmed_groups(text, lang)  # "… non sulla gift card" names no gift card
    paid_kind = str(methods.get(str(original_method(order)), {}).get("source", ""))
    scores = {mid: _named(m, text, groups, paid_kind) for mid, m in among.items()}
    best = max(scores.values(), default=0.0)
    top = [mid for mid, score in scores.items() if score == best]
    return top[0] if best > 0 and len(top) == 1 else None


def choices_text(others: dict[str, dict[str, Any]], lang: str) -> str:
    """Name the methods to choose from ("your PayPal account or your gift card")."""
    return join([describe_method(m, lang) for m in others.values()], lang, "or")


def payment_text(
    order: dict[str, Any], methods: dict[str, dict[str, Any]], new: str, lang: str
) -> str:
    """Describe a payment change for the shopper: order, amount, new and old method."""
    return say(
        "proposal_payment",
        lang,
        order_id=order["order_id"],
        amount=money(paid_amount(order), lang),
        new=describe_method(methods.get(new), lang),
        old=describe_method(methods.get(str(original_method(order))), lang),
    )
