"""Operations on the shown products decided by :mod:`assistant.flows.follow_up`.

A question about one shown product answered for the attribute asked ("is it
rechargeable?" → yes or no; "what sizes?" → the sizes in stock), a pick among the shown
("which of those two is cheaper?"), an honest "the catalog has no weight data". Every
fact comes from the product records.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.flows.follow_up import FollowUp, features_for
from assistant.flows.kit import TurnKit
from assistant.flows.references import (
    SHOWN_OPTIONS,
    best_among,
    in_stock_price,
    named_models,
    pick,
    positions,
    price_of,
    shown_details,
    shown_indexes,
    size_key,
    variants_in,
)
from assistant.flows.replies import join, local_words, money, say, word
from assistant.flows.shown_flow import info
from assistant.flows.state import FlowState
from assistant.nlu.cues import dialogue_hits
from assistant.nlu.message import Reading


def _in_stock(
    product: dict[str, Any], option: str, within: dict[str, str] | None = None
) -> list[str]:
    """Return the values of ``option`` that some in-stock variant has, in a natural order.

    ``within``: other option values the variant must have too (the size the list was
    searched in, when a colour is asked about).
    """
    values = {
        str(v["options"][option])
        for v in variants_in(product, within or {})
        if option in v.get("options", {})
    }
    return sorted(values, key=size_key)


def _searched_in(product: dict[str, Any], asked: dict[str, str]) -> dict[str, str]:
    """Return the options the shown list was searched with that the message leaves as they were.

    "hoodies in M", then "the first one in green?": green in M is asked, not green in any
    size. Only options ``product`` has.
    """
    names = {k for v in product.get("variants", []) for k in v.get("options", {})}
    return {
        k: str(v)
        for k, v in (product.get(SHOWN_OPTIONS) or {}).items()
        if k in names and k not in asked
    }


def _in_values(product: dict[str, Any], reading: Reading | None) -> dict[str, Any] | None:
    """Return ``product`` with only its in-stock variants in every value the message names.

    None when it has none; the product itself when the message names no size, colour or
    option value.
    """
    wanted = (
        {str(x).lower() for x in [*reading.sizes, *reading.colors, *reading.options.values()]}
        if reading is not None
        else set()
    )
    if not wanted:
        return product
    kept = [
        v
        for v in product.get("variants", [])
        if v.get("available")
        and wanted <= {str(x).lower() for x in (v.get("options") or {}).values()}
    ]
    return {**product, "variants": kept} if kept else None


def _price_in(product: dict[str, Any], values: dict[str, str]) -> float | None:
    """Return the lowest in-stock price of ``product`` in ``values`` ("the 2-person one")."""
    prices = [float(v["price"]) for v in variants_in(product, values) if v.get("price") is not None]
    return min(prices) if prices else None


def _typed(kit: TurnKit, slot: str, value: str) -> str:
    """Return the shopper's own words for a slot value they typed (else the value)."""
    reading = kit.reading
    for span in reading.spans if reading else []:
        if span.slot == slot and span.value == value:
            return reading.text[span.start : span.end] if reading else value
    return value


async def targets(kit: TurnKit, state: FlowState, fu: FollowUp) -> list[dict[str, Any]]:
    """Return the records of the shown products the message is about.

    Positions, a name word, a colour ("the red one") or a pick ("the cheaper one") say
    which; otherwise the products the conversation was last about (``state.focus``:
    "it", "those two"), else the first shown product(s).
    """
    focus, weighed = shown_indexes(state, state.focus), shown_indexes(state, state.weighed)
    typed = _of_named_types(kit, state)
    many = fu.plural or fu.op in ("compare", "best_of")
    default = focus if (focus and (many or len(focus) == 1)) else []
    if not default:
        default = list(range(min(2, len(state.shown)))) if many else [0]
    named = positions(kit, len(state.shown)) or named_models(kit, state)
    if fu.pick and len(named) != 1:
        # "the cheaper one" of the shown, of "those two" (the focus), of "the first two"
        # or of the two named by their model ("the Pawsome Cascade 2 or the Zenith 7")
        if len(named) >= 2:
            pool_idx = named
        elif fu.plural and len(focus) >= 2:
            pool_idx = focus  # "which of those two", after comparing two
        elif fu.plural and len(weighed) >= 2:
            pool_idx = weighed  # "which of those two" after asking which one is cheaper
        else:
            pool_idx = typed or list(range(len(state.shown)))  # "which of the filters"
        pool = await shown_details(kit, state, pool_idx)
        if not pool:
            return []
        # "which of those is cheapest in a large": of those in stock in it, at its price
        pool = [q for q in (_in_values(p, kit.reading) for p in pool) if q is not None] or pool
        if 2 <= len(pool) < len(state.shown):
            state.weighed = [str(p["id"]) for p in pool]
        return [best_among(pool, fu.pick)]
    return await pick(kit, state, default)


def _of_named_types(kit: TurnKit, state: FlowState) -> list[int]:
    """Return the positions of the shown products of the types the message names.

    Empty unless the screen holds other types too ("which of the filters would you pick"
    with headlamps and water filters shown).
    """
    reading = kit.reading
    if reading is None:
        return []
    type_of = kit.ctx.deps.searcher.vocabulary.type_of
    named = set(reading.products)
    if not named:  # "the filters": a shown type's head noun ("Water Filter")
        low = reading.text.lower()
        for ptype in {type_of.get(pid, "") for pid in state.shown} - {""}:
            head = ptype.split()[-1].lower()
            if re.search(rf"\b{re.escape(head)}(?:s|es)?\b", low):
                named.add(ptype)
    typed = [i for i, pid in enumerate(state.shown) if type_of.get(pid) in named]
    return typed if 0 < len(typed) < len(state.shown) else []


def _show(kit: TurnKit, state: FlowState, products: list[dict[str, Any]]) -> None:
    """Keep the cards of ``products`` on screen and make them the conversation's focus."""
    ids = [str(p["id"]) for p in products]
    state.focus = ids
    kit.cards = [c for c in kit.cards if str(c.get("id")) in ids] or kit.cards


def answer(kit: TurnKit, product: dict[str, Any], fu: FollowUp, lang: str) -> str | None:
    """Answer the attribute asked about ``product`` (None: nothing specific was asked)."""
    reading = kit.reading
    name, price = product["name"], money(price_of(product), lang)
    features = list(product.get("features", []))
    local = local_words(kit, lang)
    parts: list[str] = []
    features_asked = list(reading.features) if reading else []
    if reading is not None and "which" in {h.group for h in dialogue_hits(reading.text, lang)}:
        # "pour quel type de peau ?" asks which, no yes or no: a feature only guessed by
        # meaning from its words is no feature asked about
        typed_features = {s.value for s in reading.spans if s.slot == "feature"}
        features_asked = [f for f in features_asked if f in typed_features]
    for feature in features_asked:
        # the shopper's words, else the shop's word in their language (a feature read by
        # meaning has no words of its own in the message)
        typed = _typed(kit, "feature", feature)
        typed = word(feature, local) if typed == feature else typed
        held = _within(feature, features) if feature not in features else feature
        if held is not None:
            typed = typed if held == feature else word(held, local)  # "keep warm" for "warm"
            parts.append(say("feature_yes", lang, name=name, feature=typed, price=price))
        else:
            listed = join([word(f, local) for f in features], lang) or "–"
            parts.append(say("feature_no", lang, name=name, feature=typed, features=listed))
    options = {k for v in product.get("variants", []) for k in v.get("options", {})}
    materials = [word(m, local) for m in product.get("materials", [])]
    if materials and "material" not in options and reading is not None:
        if "ask_material" in {h.group for h in dialogue_hits(reading.text, lang)}:
            # "what's it made of" (a material chosen as an option is listed as one)
            parts.append(say("product_material", lang, name=name, materials=join(materials, lang)))
    wanted: dict[str, str] = dict(reading.options) if reading else {}
    for color in reading.colors if reading else []:
        wanted.setdefault("color", color)
    for size in reading.sizes if reading else []:
        wanted.setdefault("size", size)
    within = _searched_in(product, wanted)
    for option, value in wanted.items():
        have = _in_stock(product, option, within)
        typed = _typed(kit, "color" if option == "color" else option, value)
        if within:  # "green (M)": in the size the list was searched in
            typed = f"{typed} ({', '.join(word(v, local) for v in within.values())})"
        if any(h.lower() == value.lower() for h in have):
            cost = money(_price_in(product, {**within, option: value}) or price_of(product), lang)
            parts.append(say("option_yes", lang, name=name, value=typed, price=cost))
        else:
            listed = ", ".join(word(h, local) for h in have) or "–"
            parts.append(say("option_no", lang, name=name, value=typed, options=listed))
    for asked, option in (("sizes", "size"), ("colors", "color")):
        if asked in fu.asks and option not in wanted:
            values = _in_stock(product, option)
            what = say(f"word_{asked}", lang)
            parts.append(
                say(
                    "option_list",
                    lang,
                    name=name,
                    what=what,
                    values=", ".join(word(v, local) for v in values),
                )
                if values
                else say("option_none", lang, name=name, what=what)
            )
    return " ".join(parts) or None


async def ask(kit: TurnKit, state: FlowState, fu: FollowUp, lang: str) -> str:
    """Answer a question about one shown product: the attribute asked, else its details."""
    product = await about(kit, state, fu)
    if product is None:
        return say("need_search", lang)
    return answer(kit, product, fu, lang) or info(product, lang, local_words(kit, lang))


async def about(kit: TurnKit, state: FlowState, fu: FollowUp) -> dict[str, Any] | None:
    """Return the one shown product the message is about (it becomes the focus)."""
    chosen = await targets(kit, state, fu)
    if chosen:
        _show(kit, state, chosen[:1])
    return chosen[0] if chosen else None


async def relative_bound(kit: TurnKit, state: FlowState, fu: FollowUp) -> float | None:
    """Return the price a "cheaper / pricier than …" refinement must beat.

    "Cheaper than that one" → that product's price; "anything cheaper?" → the cheapest
    shown (the priciest, for "more expensive").
    """
    if fu.singular or positions(kit, len(state.shown)):
        chosen = await targets(kit, state, FollowUp(op="ask", singular=True))
        prices = [in_stock_price(p) for p in chosen]
    else:
        prices = [in_stock_price(p) for p in await shown_details(kit, state)]
    known = [p for p in prices if p is not None]
    if not known:
        return None
    return max(known) if fu.pick == "price_desc" else min(known)


async def best_of(kit: TurnKit, state: FlowState, fu: FollowUp, lang: str) -> str:
    """Say which of the shown (or the two in focus) is cheapest / priciest / best rated."""
    how = fu.pick or "rating"
    chosen = await targets(kit, state, FollowUp(op="best_of", plural=fu.plural, pick=how))
    if not chosen:
        return say("need_search", lang)
    product = chosen[0]
    _show(kit, state, [product])
    rating = product.get("rating")
    return say(
        f"best_of_{how}",
        lang,
        name=product["name"],
        price=money(price_of(product), lang),
        rating=f"{rating:.1f}" if rating is not None else "–",
    )


async def listed(kit: TurnKit, state: FlowState, attribute: str, lang: str) -> str:
    """Answer about an attribute the catalog has only as features ("ultralight")."""
    products = await shown_details(kit, state)
    named = say(f"attr_{attribute}", lang)
    wanted = features_for(attribute, {f for p in products for f in p.get("features", [])})
    having = [p for p in products if set(p.get("features", [])) & set(wanted)]
    _show(kit, state, having or products)
    if not having:
        return say("attr_listed_none", lang, attribute=named, features=join(wanted, lang))
    return say(
        "attr_listed",
        lang,
        attribute=named,
        features=join(wanted, lang),
        names=join([str(p["name"]) for p in having], lang),
    )


def no_data(attribute: str, lang: str) -> str:
    """Say plainly that the catalog has no data for ``attribute`` (never a guess)."""
    return say("no_data", lang, attribute=say(f"attr_{attribute}", lang))


def _within(feature: str, features: list[str]) -> str | None:
    """Return the one of ``features`` holding each word of ``feature`` ("keep warm": "warm")."""
    said = set(feature.lower().split())
    return next((f for f in features if said <= set(f.lower().split())), None)
