"""Questions about the products just shown, answered from their records, no new search.

Details of one ("does the second one come in blue?") and comparisons ("compare the first
two", "which is cheaper?"). Which products: :mod:`assistant.flows.references`.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.events import CompareEvent
from assistant.flows.command import Command
from assistant.flows.kit import TurnKit
from assistant.flows.references import pick, price_of, shown_details
from assistant.flows.replies import join, local_words, money, say, word
from assistant.flows.search_flow import search
from assistant.flows.state import FlowState


def info(product: dict[str, Any], lang: str, local: dict[str, str] | None = None) -> str:
    """Describe a product from its record: price, options in stock, features.

    In English options read "color blue"; in another language only the values, in the
    shopper's words where the shop's synonyms have them ("grau, marineblau, 35L").
    """
    local = local or {}
    in_stock = [v for v in product.get("variants", []) if v.get("available")]
    if lang == "en":
        options = sorted({f"{k} {val}" for v in in_stock for k, val in v["options"].items()})
    else:
        options = sorted({word(val, local) for v in in_stock for val in v["options"].values()})
    features = [word(f, local) for f in product.get("features", [])]
    text = say(
        "product_info",
        lang,
        name=product["name"],
        price=money(price_of(product), lang),
        options=", ".join(options) or "–",
        features=join(features, lang) or "–",
    )
    uses = [word(u, local) for u in product.get("uses", [])]
    if uses:  # "et elle est faite pour quel type de peau ?": what it is made for
        text = f"{text} {say('product_use', lang, uses=join(uses, lang))}"
    # a product with no options (or no features) says nothing about them, not "–"
    return re.sub(r"\s*[^.:]+:\s*–\.", "", text)


async def ask_product(kit: TurnKit, state: FlowState, cmd: Command, text: str, lang: str) -> str:
    """Answer about a shown product from its record: price, options in stock, features."""
    if not state.shown:
        if state.search:
            return await search(kit, state, cmd, text, lang, refine=True)
        return say("need_search", lang)
    products = await pick(kit, state, [0], fallback_item=cmd.item)
    if not products:
        return say("need_search", lang)
    product = products[0]
    state.focus = [str(product["id"])]
    kit.cards = [c for c in kit.cards if str(c.get("id")) == str(product["id"])] or kit.cards
    return info(product, lang, local_words(kit, lang))


def _table(products: list[dict[str, Any]], lang: str, local: dict[str, str]) -> CompareEvent:
    """Return the comparison as a table the widget renders (the same facts as the text)."""
    keys = ("product", "price", "rating", "features", "options")
    labels = say("compare_headers", lang).split("|")
    headers = dict(zip(keys, labels, strict=True)) | {"caption": say("compare_caption", lang)}
    rows = []
    for p in products:
        in_stock = [v for v in p.get("variants", []) if v.get("available")]
        options = sorted({word(val, local) for v in in_stock for val in v["options"].values()})
        rows.append(
            {
                "id": str(p["id"]),
                "name": str(p["name"]),
                "price": money(price_of(p), lang),
                "rating": f"{p['rating']:.1f}" if p.get("rating") is not None else "–",
                "features": [word(f, local) for f in p.get("features", [])],
                "options": options,
            }
        )
    return CompareEvent(headers=headers, rows=rows)


async def compare(kit: TurnKit, state: FlowState, cmd: Command, text: str, lang: str) -> str:
    """Compare the shown products the message points at (the first two by default)."""
    if len(state.shown) < 2:
        if cmd.product:
            return await search(kit, state, cmd, text, lang)
        if len(state.shown) == 1:
            return await ask_product(kit, state, cmd, text, lang)
        return say("need_search", lang)
    focus = [state.shown.index(pid) for pid in state.focus if pid in state.shown]
    chosen = await pick(kit, state, focus if len(focus) >= 2 else [0, 1])
    if len(chosen) < 2:
        # one was named ("compare it with the first"): compare it with the first other one
        first = state.shown.index(str(chosen[0]["id"])) if chosen else 0
        other = 1 if first == 0 else 0
        chosen = [*chosen, *(await shown_details(kit, state, [other]))]
    local = local_words(kit, lang)
    lines = [
        say(
            "compare_line",
            lang,
            name=p["name"],
            price=money(price_of(p), lang),
            rating=f"{p['rating']:.1f}" if p.get("rating") is not None else "–",
            features=join([word(f, local) for f in p.get("features", [])][:3], lang) or "–",
        )
        for p in chosen
    ]
    await kit.emit(_table(chosen, lang, local))
    cheaper = min(chosen, key=price_of)
    rated = max(chosen, key=lambda p: p.get("rating") or 0.0)
    verdict = (
        say("compare_same", lang, name=cheaper["name"])
        if cheaper is rated
        else say("compare_verdict", lang, cheaper=cheaper["name"], rated=rated["name"])
    )
    ids = {str(p["id"]) for p in chosen}
    state.focus = [str(p["id"]) for p in chosen]
    state.weighed = list(state.focus)
    kit.cards = [c for c in kit.cards if str(c.get("id")) in ids] or kit.cards
    return " ".join([*lines, verdict])
