"""The cart shown to the shopper: its lines, total and budget, and the checkout link."""

from __future__ import annotations

from assistant.flows.cart_variants import option_word
from assistant.flows.kit import TurnKit
from assistant.flows.replies import join, money, say
from assistant.flows.state import FlowState
from assistant.nlu.cues import dialogue_hits
from catalog.carts import CartLineView, CartView
from tools.common.cart import CartOutput


def describe(line: CartLineView, lang: str) -> str:
    """Return "2 × Trailblazer Boots (size 9, black) – $240.00"."""
    opts = ", ".join(
        f"{option_word(k, lang)} {v}" if k == "size" else str(v) for k, v in line.options.items()
    )
    head = f"{line.quantity} × {line.name}"
    return f"{head}{f' ({opts})' if opts else ''} – {money(line.line_total, lang)}"


def with_gone(text: str, view: CartView, lang: str) -> str:
    """Add to ``text`` which lines are no longer available (and not counted)."""
    gone = [ln.name for ln in view.lines if not ln.available]
    return f"{text} {say('cart_gone', lang, names=join(gone, lang))}" if gone else text


def summary(view: CartView, lang: str) -> str:
    """Return the cart's count and total, and which lines are no longer counted."""
    text = say("cart_summary", lang, count=view.item_count, total=money(view.total, lang))
    return with_gone(text, view, lang)


async def cart_of(kit: TurnKit) -> CartOutput:
    """Return the conversation's cart as the cart tool reads it."""
    result = await kit.call("view_cart")
    assert isinstance(result, CartOutput)
    return result


async def view(kit: TurnKit, state: FlowState, lang: str) -> str:
    """List the cart, its total, and how it stands against a budget the shopper named."""
    cart = (await cart_of(kit)).cart
    if not cart.lines:
        return say("cart_empty", lang)
    state.cart_listed = state.offered_checkout = state.turn
    lines = "; ".join(describe(ln, lang) for ln in cart.lines if ln.available)
    reply = say("cart_lines", lang, lines=lines or "–", total=money(cart.total, lang))
    reply = with_gone(reply, cart, lang)
    budget = _budget(kit, state)
    if budget is not None:
        if cart.total <= budget:
            reply += " " + say("cart_budget_ok", lang, budget=money(budget, lang))
        else:
            reply += " " + say("cart_budget_over", lang, budget=money(budget, lang))
    return reply


def _budget(kit: TurnKit, state: FlowState) -> float | None:
    """Return the budget the message names, else the last search's, when it asks about one."""
    reading = kit.reading
    if reading is None:
        return None
    said = next(
        (b for b in (reading.budget_max, reading.budget_about, reading.budget_min) if b), None
    )
    if said is not None:
        return float(said)
    words = {k for h in dialogue_hits(reading.text, reading.lang) for k in h.keys}
    if words & {"budget", "budg"} or "budget" in reading.text.lower():
        wanted = state.search.get("max_price")
        return float(wanted) if wanted else None
    return None


async def checkout(kit: TurnKit, lang: str) -> str:
    """Answer with the shop's checkout link for what can be bought."""
    result = await cart_of(kit)
    if not result.checkout_url:
        return say("cart_checkout_empty", lang)
    cart = result.cart
    reply = say(
        "cart_checkout",
        lang,
        count=cart.item_count,
        total=money(cart.total, lang),
        url=result.checkout_url,
    )
    return with_gone(reply, cart, lang)
