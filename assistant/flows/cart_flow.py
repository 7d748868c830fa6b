"""The conversational cart: add, change, remove, view and check out, through the cart tools.

Which product: the shown list, through the same references as every follow-up ("the
second one", "the cheaper one", "the black one", a word of its name), else the one the
conversation is about. Which line: a product word or name word of a line, a position
right after the cart was listed, else the line touched last. Which variant: the option
values typed; when in-stock variants still differ the flow asks, and the answer finishes
the add; a sold-out choice is refused with what is in stock. Every price and total in a
reply is the cart's (the store's price at add time).
"""

from __future__ import annotations

from typing import Any

from assistant.flows import search_flow
from assistant.flows.cart_apart import lines_apart
from assistant.flows.cart_both import part_of
from assistant.flows.cart_first import first_part, rest_taken
from assistant.flows.cart_lines import fewer, line_of, missing_kind
from assistant.flows.cart_quantities import count_apart, quantities_in
from assistant.flows.cart_request import CartRequest, answer_values
from assistant.flows.cart_several import several_targets
from assistant.flows.cart_targets import by_position, targets
from assistant.flows.cart_variants import (
    choose,
    free_options,
    option_values,
    option_word,
    options_of,
    searched_values,
    values_named,
)
from assistant.flows.cart_view import cart_of, checkout, describe, summary, view
from assistant.flows.command import from_reading
from assistant.flows.kit import TurnKit
from assistant.flows.references import (
    price_of,
    shown_details,
    stocked_in,
)
from assistant.flows.replies import join, money, say
from assistant.flows.search_types import cheapest_unshown
from assistant.flows.state import FlowState
from assistant.nlu.cues import dialogue_hits
from assistant.nlu.message import Reading
from assistant.nlu.ordinals import word_positions
from catalog.carts import CartLineView, CartView
from catalog.errors import ShopError
from tools.common.cart import CartOutput, VariantChoice, norm


def _changed(result: CartOutput, line_id: int | None, name: str, key: str, lang: str) -> str:
    """Say what a line is now (``key``: cart_added or cart_updated) and the cart's summary."""
    line = next((ln for ln in result.cart.lines if ln.id == line_id), None)
    what = describe(line, lang) if line else name
    return f"{say(key, lang, what=what)} {summary(result.cart, lang)}"


async def run(kit: TurnKit, state: FlowState, req: CartRequest, text: str, lang: str) -> str:
    """Run one cart operation and return the reply."""
    state.intent = None if not req.answer else state.intent
    if req.answer and req.asked is not None:
        return await _answer(kit, state, req, lang)
    if req.op == "view":
        return await view(kit, state, lang)
    if req.op == "checkout":
        return await checkout(kit, lang)
    if req.op in ("remove", "update"):
        return await change(kit, state, req, lang)
    cart = await _line_meant(kit, req)
    if cart is not None:
        req.op = "update"  # "actually, I want two pairs of earbuds": the earbuds in the cart
        return await change(kit, state, req, lang, cart)
    own = False
    if req.cheapest_beyond:
        # "ok prendo i più economici": a cheaper match is not shown
        req.search_first, own = await _cheaper_unshown(kit, state)
    if req.search_first and kit.reading is not None:
        return await _search_then_add(kit, state, req, text, lang, of_kind=own)
    if req.first_end is not None and kit.reading is not None:
        # the first part picks a shown product; the rest is searched after the add, and its
        # leader added too when the rest picks one ("… and two of your cheapest socks")
        whole, kit.reading = kit.reading, first_part(kit.reading, req.first_end)
        rest = part_of(whole, req.rest_at or req.first_end, len(whole.text), "add")
        try:
            req.quantities = quantities_in(kit.reading)[0]
            reply = await add(kit, state, req, lang)
            if rest_taken(rest):
                kit.reading = rest
                then = CartRequest(op="add", quantities=quantities_in(rest)[0], search_first=True)
                return f"{reply} {await _search_then_add(kit, state, then, rest.text, lang)}"
        finally:
            kit.reading = whole
        return await _and_search(kit, state, reply, text, lang)
    reply = await add(kit, state, req, lang)
    return await _and_search(kit, state, reply, text, lang)


async def _cheaper_unshown(kit: TurnKit, state: FlowState) -> tuple[bool, bool]:
    """Whether the search has a cheaper match than the cards, and it is the kind named.

    "von den Scheren die billigste und vom Hochbeet das günstigere": each part weighs its
    own kind's search (searched with the other in one message), made the current one
    when a cheaper match is unshown; else the search stays, and that kind's cards are on
    screen again (the part before may have shown its own kind's cheapest instead).
    """
    search, shown = dict(state.search), list(state.shown)
    products = kit.reading.products if kit.reading is not None else []
    own = len(products) == 1 and state.kind_searched(products[0])
    if await cheapest_unshown(kit, state):
        return True, own
    state.search, state.shown = search, shown + [p for p in state.shown if p not in shown]
    return False, False


async def _search_then_add(
    kit: TurnKit,
    state: FlowState,
    req: CartRequest,
    text: str,
    lang: str,
    *,
    of_kind: bool = False,
) -> str:
    """Search the kind the message names, sorted as it asks, then add the leading card.

    "und dazu 2 t-shirts, das günstigste das ihr habt, in grün größe M": the cheapest
    T-shirt in green and M is searched and two of it are added. ``of_kind``: the kind
    named is the search on screen, whose options and budget hold ("the cheapest shears"
    after bypass shears under 80 are shown).
    """
    assert kit.reading is not None
    cmd = from_reading(kit.reading).model_copy(update={"action": "search"})
    # no kind named ("en L, … les moins chères. trois paires"): the list shown, narrowed
    named = bool(kit.reading.products) and not of_kind
    refine = not named and bool(state.search.get("type_query"))
    found = await search_flow.search(kit, state, cmd, text, lang, refine=refine)
    if not state.shown:
        return found
    # (the search, sorted as asked, has put its leader in focus: "the cheapest" is it)
    return f"{found} {await add(kit, state, req, lang)}"


async def _line_meant(kit: TurnKit, req: CartRequest) -> CartView | None:
    """Return the cart when an "add" names, with a quantity, a product type already in it.

    Nothing shown is pointed at (no position, no "the cheaper one"): the shopper is
    changing the quantity of the line of that type, not adding more of it.
    """
    reading = kit.reading
    if reading is None or not reading.products or req.more or req.quantity() is None:
        return None
    if reading.items or word_positions(reading.text):
        return None
    groups = {h.group for h in dialogue_hits(reading.text, reading.lang)}
    if groups & {"cheaper", "pricier", "better", "refer_one"}:
        return None
    cart = (await cart_of(kit)).cart
    return cart if any(ln.product_type in reading.products for ln in cart.lines) else None


# -- adding ---------------------------------------------------------------------------------
async def add(kit: TurnKit, state: FlowState, req: CartRequest, lang: str) -> str:
    """Add the product(s) the message points at, asking for a variant when needed."""
    if req.more and state.cart_line is not None and not by_position(kit.reading):
        return await _bump(kit, state, req, lang)
    found = await several_targets(kit, state)
    several: list[tuple[dict[str, Any], Reading | None]]
    if found is not None:
        several = list(found)
    else:
        products = await targets(kit, state)
        if products is None:
            return say("cart_which_product" if state.shown else "need_search", lang)
        several = [(product, None) for product in products]
    whole, parts = kit.reading, []
    try:
        for product, part in several:
            # each product of "the blue kestrel, and also a sparrow vista 3 in black" with
            # its own clause's options and count; one product with the whole message's
            kit.reading = part or whole
            values = values_named(kit, product)
            if part is None:
                text = whole.text if whole else ""
                quantity = count_apart(req.quantity(option_values(product)) or 1, values, text)
            else:
                counts, _ = quantities_in(part)
                quantity = counts[0] if counts else 1
            apart = lines_apart(kit.reading, product, values, quantity) if kit.reading else None
            for line_values, count in apart or [(values, quantity)]:
                # "una con grip 4 1/4 y otra con grip 4 1/8": a line per value
                line_values = line_values + searched_values(state, product, line_values)
                parts.append(await _add_one(kit, state, product, line_values, count, lang))
                if state.intent is not None:  # a question was asked: one at a time
                    break
            if state.intent is not None:
                break
    finally:
        kit.reading = whole
    return " ".join(p for p in parts if p)


async def _add_one(
    kit: TurnKit,
    state: FlowState,
    product: dict[str, Any],
    values: list[str],
    quantity: int,
    lang: str,
) -> str:
    pid, name = str(product["id"]), str(product["name"])
    state.focus = [pid]
    choice = choose(kit, pid, values, free_options(kit))
    if choice.variant is None:
        return await _not_added(kit, state, product, choice, values, quantity, lang)
    try:
        result = await kit.call(
            "add_to_cart", product_id=pid, variant_id=choice.variant.id, quantity=quantity
        )
    except ShopError as exc:
        if exc.code == "quantity_out_of_range":  # the line would pass 99
            return say("cart_too_many", lang)
        raise
    assert isinstance(result, CartOutput)
    state.touch_line(result.changed_line, pid)
    state.intent = None
    return _changed(result, result.changed_line, name, "cart_added", lang)


async def _not_added(
    kit: TurnKit,
    state: FlowState,
    product: dict[str, Any],
    choice: VariantChoice,
    values: list[str],
    quantity: int,
    lang: str,
) -> str:
    """Say why nothing was added: a variant to choose, sold out, or no such option value."""
    name, price = str(product["name"]), money(price_of(product), lang)
    choices = ", ".join(choice.choices)
    if choice.ask and choice.choices:
        state.intent = {
            "action": "cart",
            "product": str(product["id"]),
            "quantity": quantity,
            "option": choice.ask,
            "choices": choice.choices,
            "values": values,
            "turn": state.turn,
        }
    if not choice.choices:
        return say("cart_all_sold_out", lang, name=name)
    if choice.unknown:
        return say("cart_no_such", lang, name=name, value=choice.unknown[0], choices=choices)
    if choice.sold_out:
        value = ", ".join(values) or "–"
        reply = say("cart_sold_out", lang, name=name, value=value, choices=choices)
        others = await _elsewhere(kit, state, str(product["id"]), values)
        if others:
            reply += " " + say(
                "cart_in_stock_elsewhere", lang, value=value, names=join(others, lang)
            )
        return reply
    option = option_word(choice.ask or "", lang)
    return say("cart_ask_option", lang, option=option, name=name, price=price, choices=choices)


async def _elsewhere(
    kit: TurnKit, state: FlowState, product_id: str, values: list[str]
) -> list[str]:
    """Return the names of other shown products in stock with ``values`` (at most three)."""
    if not values:
        return []
    others = [i for i, pid in enumerate(state.shown) if pid != product_id]
    names: list[str] = []
    for product in await shown_details(kit, state, others):
        choice = choose(kit, str(product["id"]), values)
        if choice.variant is not None:
            names.append(f"{product['name']} ({money(choice.variant.price, 'en')})")
        if len(names) == 3:
            break
    return names


async def _answer(kit: TurnKit, state: FlowState, req: CartRequest, lang: str) -> str:
    """Finish an add the cart asked a question about ("which size?" → "10")."""
    asked = req.asked or {}
    reading = kit.reading
    values = answer_values(reading, asked) if reading else []
    product_id = str(asked.get("product", ""))
    try:
        data = kit.data(await kit.call("get_product", product_id=product_id))
    except ShopError:
        state.intent = None
        return say("cart_which_product", lang)
    named = values_named(kit, data)
    has = {norm(v) for vals in options_of(data).values() for v in vals}
    if any(norm(v) in has for v in named if v not in values):
        # "le grand format" to "which size?": the largest measure, not the "L" of "grand"
        values = [v for v in values if norm(v) in has]
    values += [v for v in named if v not in values]
    asked_for = {norm(v) for v in options_of(data).get(str(asked.get("option", "")), [])}
    # the rest of what was asked first ("green, M" → "any colour then": still M)
    values += [v for v in asked.get("values", []) if norm(v) not in asked_for and v not in values]
    quantity = int(asked.get("quantity") or 1)
    state.intent = None
    return await _add_one(kit, state, data, values, quantity, lang)


async def _bump(kit: TurnKit, state: FlowState, req: CartRequest, lang: str) -> str:
    """Add one more of the line touched last ("one more").

    "noch einen in S für meinen bruder" names other values: the same product in those
    (its other options as on the line) goes in as a line of its own.
    """
    cart = (await cart_of(kit)).cart
    line = next((ln for ln in cart.lines if ln.id == state.cart_line), None)
    if line is None:
        return say("cart_which_product", lang)
    have = {norm(v) for v in line.options.values()}
    if any(norm(v) not in have for v in values_named(kit)):
        product = kit.data(await kit.call("get_product", product_id=line.product_id))
        colors = {norm(c) for c in (kit.reading.colors if kit.reading else [])}
        size = {norm(str(line.options["size"]))} if "size" in line.options else set()
        if colors and not stocked_in(product, colors, size):
            # "oh and the red one too, just 1": the line's product has no red; the one shown
            # product that has it (in the line's size)
            having = [p for p in await shown_details(kit, state) if stocked_in(p, colors, size)]
            if len(having) == 1:
                product = kit.data(await kit.call("get_product", product_id=having[0]["id"]))
        values = values_named(kit, product)
        said = {
            name
            for name, vals in options_of(product).items()
            if set(map(norm, vals)) & set(map(norm, values))
        }
        values += [v for name, v in line.options.items() if name not in said]
        quantity = req.quantity(option_values(product)) or 1
        return await _add_one(kit, state, product, values, quantity, lang)
    return await _set_quantity(kit, state, line, line.quantity + 1, lang)


async def _and_search(kit: TurnKit, state: FlowState, reply: str, text: str, lang: str) -> str:
    """Run the search a message asks for after its add ("… and show me socks")."""
    reading = kit.reading
    if reading is None or not reading.products:
        return reply
    vocab = kit.ctx.deps.searcher.vocabulary
    shown = {vocab.type_of.get(pid) for pid in state.shown}
    new = [p for p in reading.products if p not in shown]
    if not new:
        return reply
    cmd = from_reading(reading).model_copy(
        update={"action": "search", "product": new[0].lower(), "words": new[0].lower()}
    )
    cmd.size = cmd.color = None
    cmd.item = None
    found = await search_flow.search(kit, state, cmd, new[0], lang)
    return f"{reply} {say('cart_also', lang)} {found}"


# -- changing -------------------------------------------------------------------------------
async def change(
    kit: TurnKit, state: FlowState, req: CartRequest, lang: str, cart: CartView | None = None
) -> str:
    """Remove a line (or everything), or change a line's quantity or variant.

    ``cart``: the cart as this turn already read it (else it is read now).
    """
    if cart is None:
        cart = (await cart_of(kit)).cart
    if not cart.lines:
        return say("cart_empty", lang)
    if req.op == "remove" and req.everything and not (kit.reading and kit.reading.products):
        result = await kit.call("remove_from_cart", all=True)
        assert isinstance(result, CartOutput)
        state.cart_line = None
        return say("cart_cleared", lang)
    line = line_of(kit, state, cart)
    if line is None:
        listed = "; ".join(describe(ln, lang) for ln in cart.lines)
        state.cart_listed = state.turn
        missing = missing_kind(kit.reading, cart.lines)
        if missing:  # "take the clock back out" with no clock in the cart
            return say("cart_no_such_line", lang, words=" ".join(missing), lines=listed)
        return say("cart_which_line", lang, lines=listed)
    off = fewer(kit, req)
    if req.op == "remove" and off and line.quantity > off:
        return await _set_quantity(kit, state, line, line.quantity - off, lang)  # "take one off"
    if req.op == "remove":
        result = await kit.call("remove_from_cart", line_id=line.id)
        assert isinstance(result, CartOutput)
        state.cart_line = None
        removed = say("cart_removed", lang, name=line.name)
        return f"{removed} {summary(result.cart, lang)}"
    have = {norm(x) for x in line.options.values()}
    values = [v for v in values_named(kit) if norm(v) not in have]
    if values:
        return await _set_variant(kit, state, line, values, req, lang)
    quantity = req.quantity()
    if req.more and quantity is None:
        quantity = line.quantity + 1
    if quantity is None:
        return say("cart_how_many", lang, name=line.name, quantity=line.quantity)
    return await _set_quantity(kit, state, line, quantity, lang)


async def _set_quantity(
    kit: TurnKit, state: FlowState, line: CartLineView, quantity: int, lang: str
) -> str:
    if quantity > 99:
        return say("cart_too_many", lang)
    result = await kit.call("update_cart_line", line_id=line.id, quantity=quantity)
    assert isinstance(result, CartOutput)
    state.touch_line(line.id, line.product_id)
    return _changed(result, line.id, line.name, "cart_updated", lang)


async def _set_variant(
    kit: TurnKit,
    state: FlowState,
    line: CartLineView,
    values: list[str],
    req: CartRequest,
    lang: str,
) -> str:
    # "doch lieber M": the line in M, its colour kept (when that variant is in stock)
    by_option = kit.ctx.deps.searcher.vocabulary.options_by_type.get(line.product_type, {})
    said = {norm(v) for v in values}
    named = {k for k, vs in by_option.items() if said & {norm(x) for x in vs}}
    kept = [str(v) for k, v in line.options.items() if k not in named]
    choice = choose(kit, line.product_id, [*values, *kept]) if named and kept else None
    if choice is None or choice.variant is None:
        choice = choose(kit, line.product_id, values)
    if choice.variant is None:
        data = kit.data(await kit.call("get_product", product_id=line.product_id))
        reply = await _not_added(kit, state, data, choice, values, line.quantity, lang)
        state.intent = None  # the line stays as it is; nothing to finish
        return reply
    options = {k: str(v) for k, v in choice.variant.options.items()}
    args: dict[str, Any] = {"line_id": line.id, "options": options}
    quantity = req.quantity(set(options.values()))
    if quantity is not None:
        args["quantity"] = quantity
    result = await kit.call("update_cart_line", **args)
    assert isinstance(result, CartOutput)
    state.touch_line(result.changed_line, line.product_id)
    return _changed(result, result.changed_line, line.name, "cart_updated", lang)
