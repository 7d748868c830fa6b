"""Writes by description: which order items, where the refund goes, and what the shopper reads.

"The headphones", "the brown running shoes", "the second one", "both" pick order items in
code (type word, colour, a word of the name, position); "to my gift card" or "the same
way I paid" name the refund method in words, and it is asked when the policy allows more
than one and the shopper did not say. Proposals name products, options, amounts and the
refund method by kind and last four — never raw ids.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.flows.kit import TurnKit
from assistant.flows.option_words import letter_sizes_named
from assistant.flows.references import name_words
from assistant.flows.replies import join, money, say
from assistant.flows.state import FlowState
from assistant.nlu.cues import affirmed_groups, dialogue_hits, negated_before, token_cues
from assistant.nlu.message import Reading
from assistant.nlu.tokens import CLAUSE_BREAK, tokenize, word_tokens
from retrieval.lexicon import fold
from retrieval.model_names import model_of


def _groups(text: str, lang: str) -> set[str]:
    return {h.group for h in dialogue_hits(text, lang)}


def match_items(
    kit: TurnKit, items: list[dict[str, Any]], text: str, lang: str
) -> list[dict[str, Any]]:
    """Return the order items the message describes (empty: it describes none)."""
    low = text.lower()
    exact = [i for i in items if str(i["name"]).lower() in low]
    if exact:
        return exact
    # by the model ("je ne garde que les Everstride, je renvoie les Ironbark Harbor 3")
    models = set(kit.ctx.deps.searcher.models.named(text))
    by_model = [i for i in items if str(i.get("product_id")) in models]
    if by_model and len(by_model) < len(items):
        return by_model
    reading = kit.reading
    if "all_items" in _groups(text, lang) and not (reading and reading.products):
        return list(items)  # ("both earbuds": every item of that kind, read below)
    chosen = list(items)
    narrowed = False
    if reading is not None and reading.items:
        picked = [items[p - 1] if p > 0 else items[-1] for p in reading.items if p <= len(items)]
        chosen, narrowed = [i for i in chosen if i in picked], True
    type_of = kit.ctx.deps.searcher.vocabulary.type_of
    kept = _kept_types(reading)
    if reading is not None and kept and not set(reading.products) - kept:
        # "nur die mütze zurück, den schal behalt ich": all but the items kept
        chosen = [i for i in chosen if type_of.get(str(i.get("product_id"))) not in kept]
        return chosen if len(chosen) < len(items) else []
    if reading is not None and reading.products:
        wanted = set(reading.products) - kept or set(reading.products)
        # the type itself first: "laufschuhe" are the running shoes, not the trail ones
        # whose name also holds "running shoes"
        chosen = [i for i in chosen if type_of.get(str(i.get("product_id"))) in wanted] or [
            i for i in chosen if any(p.lower() in str(i["name"]).lower() for p in wanted)
        ]
        narrowed = True
    if reading is not None and reading.colors:
        colors = set(reading.colors)
        chosen = [i for i in chosen if str(i.get("options", {}).get("color", "")) in colors]
        narrowed = True
    if reading is not None and reading.sizes and len(chosen) > 1:
        # "size 6 ordered, need 11": the item in a size said (the other is the one wanted)
        sizes = {str(z).lower() for z in reading.sizes}
        sized = [i for i in chosen if str(i.get("options", {}).get("size", "")).lower() in sizes]
        chosen, narrowed = sized or chosen, narrowed or bool(sized)
    if reading is not None and reading.options and len(chosen) > 1:
        # "the 6 quart one" of three air fryers: the item with that option value
        said = {fold(str(v)) for v in reading.options.values()}
        valued = [
            i for i in chosen if said & {fold(str(v)) for v in (i.get("options") or {}).values()}
        ]
        chosen, narrowed = valued or chosen, narrowed or bool(valued)
    by_value = by_option_words(chosen, text)
    if by_value and len(by_value) < len(chosen):
        # "only the grey one, not the navy one": the option values typed pick the items
        chosen, narrowed = by_value, True
    if not narrowed:
        return _by_name_words(items, text)
    # "the ironbark earbuds" of two pairs of earbuds: the brand or model tells them apart
    return (_by_name_words(chosen, text) or chosen) if len(chosen) > 1 else chosen


def _kept_types(reading: Reading | None) -> set[str]:
    """Return the product types a message keeps ("den schal behalt ich", "i'll keep the hat").

    A product named in the same clause as a word for keeping it.
    """
    if reading is None or not reading.products:
        return set()
    words = word_tokens(reading.text)
    keeps = [
        h
        for h in dialogue_hits(reading.text, reading.lang)
        if h.group == "keep_item"
        # "the ironbark ones keep cutting out": to keep doing, not to keep the thing
        and not (h.end < len(words) and words[h.end].key.endswith("ing"))
    ]
    if not keeps:
        return set()
    kept: set[str] = set()
    for span in (s for s in reading.spans if s.slot == "product"):
        for hit in keeps:
            start = words[hit.start].start
            a, b = sorted((start, span.start))
            if not CLAUSE_BREAK.search(reading.text[a:b]):
                kept.add(span.value)
    return kept


def by_option_words(items: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """Return the items an option value typed keeps ("the grey one, not the navy one").

    A value after a negation in its clause ("not the firm one", "nicht die feste") drops the
    items that have it; a value typed otherwise keeps only the items that have it. Values
    of one word of letters; none typed: every item.
    """
    tokens = tokenize(text)
    cues = token_cues(tokens)
    values = {fold(str(v)) for i in items for v in (i.get("options") or {}).values()}
    wanted: set[str] = set()
    refused: set[str] = set()
    for k, token in enumerate(tokens):
        key = fold(token.text)
        if key not in values or len(key) < 3 or not key.isalpha():
            continue  # (numbers are sizes, read by the reader)
        (refused if negated_before(tokens, cues, k, 4) else wanted).add(key)

    def has(item: dict[str, Any], said: set[str]) -> bool:
        return any(fold(str(v)) in said for v in (item.get("options") or {}).values())

    kept = [i for i in items if not has(i, refused)]
    return [i for i in kept if has(i, wanted)] if wanted else kept


def _by_name_words(items: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """Return the items whose names have a word of the message the other names lack."""
    said = name_words(text)
    names = [name_words(str(i["name"])) for i in items]
    common = set.intersection(*names) if names else set()
    return [i for i, ws in zip(items, names, strict=True) if said & (ws - common)]


def chosen_items(
    kit: TurnKit, state: FlowState, order: dict[str, Any], write: str, text: str, lang: str
) -> list[dict[str, Any]]:
    """Return the order items a write is about.

    Those picked before it asked a question, else the ones the message describes, else
    the order's only item.
    """
    items = order.get("items", [])
    going = state.intent if state.intent and state.intent.get("write") == write else {}
    picked = [i for i in items if i["item_id"] in going.get("items", [])]
    described = match_items(kit, items, text, lang)
    # the answer may narrow what was picked ("the gray 8x10 one" of the two rugs)
    narrower = bool(picked and described) and len(described) < len(picked)
    chosen = described if narrower else (picked or described)
    if not chosen and state.order_types:
        # "send it back": the one item of the type named a message before
        type_of = kit.ctx.deps.searcher.vocabulary.type_of
        named = [i for i in items if type_of.get(str(i.get("product_id"))) in state.order_types]
        chosen = named if len(named) == 1 else []
    return chosen or (list(items) if len(items) == 1 else [])


def original_method(order: dict[str, Any]) -> str | None:
    """Return the id of the payment method an order was paid with."""
    return next(
        (
            str(t["payment_method_id"])
            for t in order.get("payment_history", [])
            if t.get("transaction_type") == "payment"
        ),
        None,
    )


def paid_amount(order: dict[str, Any]) -> float:
    """Return what an order's payments came to."""
    paid = [t for t in order.get("payment_history", []) if t.get("transaction_type") == "payment"]
    return sum(float(t.get("amount", 0.0)) for t in paid)


def describe_method(method: dict[str, Any] | None, lang: str) -> str:
    """Name a payment method by kind and last four ("your Visa card ending in 1234")."""
    if not method:
        return say("method_original", lang)
    source = str(method.get("source", ""))
    if source == "credit_card":
        brand = str(method.get("brand") or "").title() or say("method_card_word", lang)
        return say("method_card", lang, brand=brand, last_four=method.get("last_four") or "····")
    if source == "gift_card":
        return say("method_gift_card", lang)
    if source == "paypal":
        return say("method_paypal", lang)
    return say("method_original", lang)


def refund_method(
    methods: dict[str, dict[str, Any]], original: str | None, text: str, lang: str
) -> tuple[str | None, bool]:
    """Return (method id, asked?): where the refund goes, from the shopper's words.

    The store's policy: the original payment method or an existing gift card. With both
    possible and nothing said, nothing is chosen (the flow asks).
    """
    gift = next((mid for mid, m in methods.items() if m.get("source") == "gift_card"), None)
    groups = affirmed_groups(text, lang)  # "… not to the gift card" names no gift card
    if "refund_gift" in groups and gift:
        return gift, True
    if "refund_original" in groups and original:
        return original, True
    said_kind = next(
        (
            mid
            for mid, m in methods.items()
            if mid == original and f"refund_{m.get('source')}" in groups
        ),
        None,
    )
    if said_kind:
        return said_kind, True
    if gift is None or gift == original:
        return original, False  # only one place the refund can go
    return None, False


def item_words(items: list[dict[str, Any]], lang: str) -> str:
    """Name order items with their options: "Trail Sneakers (size 9, brown)"."""
    out = []
    for i in items:
        opts = ", ".join(str(v) for v in i.get("options", {}).values())
        out.append(f"{i['name']} ({opts})" if opts else str(i["name"]))
    return join(out, lang)


def return_text(
    order_id: str, items: list[dict[str, Any]], method: dict[str, Any] | None, lang: str
) -> str:
    """Describe a return proposal for the shopper: items, amount, where the money goes."""
    amount = sum(float(i.get("price", 0.0)) for i in items)
    return say(
        "proposal_return",
        lang,
        items=item_words(items, lang),
        order_id=order_id,
        amount=money(amount, lang),
        method=describe_method(method, lang),
    )


def cancel_text(order: dict[str, Any], methods: dict[str, dict[str, Any]], lang: str) -> str:
    """Describe a cancellation for the shopper: items, amount back, to which method."""
    method = methods.get(str(original_method(order)))
    return say(
        "proposal_cancel",
        lang,
        order_id=order["order_id"],
        items=item_words(order.get("items", []), lang),
        amount=money(paid_amount(order), lang),
        method=describe_method(method, lang),
    )


# Size words shoppers use for letter sizes ("the same in small"); "a size up" / "eine Nummer
# größer" is a step in the product's own size order (:func:`step_size`, exchanges._stepped).
_UP = ("size up", "one size bigger", "a size bigger", "bigger size", "one size larger",
       "a size larger", "larger size", "next size up", "eine nummer größer",
       "eine größe größer", "eine größe mehr", "nächste größe", "une taille au-dessus",
       "taille au dessus", "une taille plus grande", "taille supérieure", "una talla más",
       "talla más grande", "una talla arriba", "talla mayor", "una taglia in più",
       "taglia più grande", "una taglia sopra")  # fmt: skip
_DOWN = ("size down", "one size smaller", "a size smaller", "smaller size",
         "eine nummer kleiner", "eine größe kleiner", "une taille en dessous",
         "une taille plus petite", "taille inférieure", "una talla menos",
         "talla más pequeña", "una talla abajo", "talla menor", "una taglia in meno",
         "taglia più piccola", "una taglia sotto")  # fmt: skip
_UP_FOLDED = tuple(fold(p) for p in _UP)
_DOWN_FOLDED = tuple(fold(p) for p in _DOWN)


def wanted_options(kit: TurnKit, item: dict[str, Any], text: str) -> dict[str, str]:
    """Return the item's options changed as the message asks ("the same in small", "in blue")."""
    reading = kit.reading
    out = dict(item.get("options", {}))
    # words of the product's own name ("Comet 6 Dog Bed", or its model "Vantage Nova 8")
    # are no size or colour asked for
    name = str(item["name"])
    rest = text
    for named in (name, model_of(name)):
        if named:
            rest = re.sub(re.escape(named), " ", rest, flags=re.IGNORECASE)

    def said(value: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", rest, re.IGNORECASE) is not None

    changed: dict[str, str] = dict(reading.options) if reading else {}
    # every option value named, the one that differs from the item's winning ("has linear
    # switches, can i swap it for the tactile one": tactile, not the first named)
    ptype = kit.ctx.deps.searcher.vocabulary.type_of.get(str(item.get("product_id")), "")
    values = kit.ctx.deps.searcher.vocabulary.options_by_type.get(ptype, {})
    for span in reading.spans if reading else []:
        option = next((k for k, vs in values.items() if span.value in vs), None)
        if span.slot == "option" and option is not None and span.value != out.get(option):
            changed[option] = span.value
    colors = [c for c in reading.colors if said(c) or c not in text.lower()] if reading else []
    sizes = [z for z in reading.sizes if said(z) or said(z.split()[0])] if reading else []
    # the value that differs from the item's own ("the 8x10 one, I want it in 4x6")
    colors.sort(key=lambda c: c == out.get("color"))
    sizes.sort(key=lambda z: z == out.get("size"))
    # (the item's own value said alone is what it is now: "they are XXL … for a medium")
    if colors and "color" in out and colors[0] != out["color"]:
        changed["color"] = colors[0]
    if sizes and "size" in out and sizes[0] != out["size"]:
        changed["size"] = sizes[0]
    current = str(out.get("size", ""))
    if current.upper() in _LETTERS and "size" not in changed:
        # size words for letter sizes only ("too big" says nothing of a rug's 4x6 ft); the
        # one that differs from the item's own ("the XL is too big, a large please")
        letters = sorted(letter_sizes_named(rest), key=lambda z: z == current.upper())
        if letters:
            changed["size"] = letters[0]
    if not any(changed.get(k, v) != v for k, v in out.items()):
        changed.update(_numbered_value(rest, out, values))  # "lo stesso modello da 12"
    out.update({k: v for k, v in changed.items() if k in out})
    return out


_LETTERS = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL", "3XL")
_BARE_NUMBER = re.compile(r"(?<![\w#.,])(\d+(?:[.,]\d+)?)(?![\w.,]?\d)")


def _numbered_value(
    text: str, current: dict[str, str], values: dict[str, set[str]] | dict[str, list[str]]
) -> dict[str, str]:
    """Return the one option value another than the item's that a bare number names.

    "a 16 inch clock … the same model in 12?": of the item's option values, "12 inch" is
    the only one whose number is 12. Several values with that number, or none: nothing.
    """
    said = {m.group(1).replace(",", ".") for m in _BARE_NUMBER.finditer(text)}
    found = [
        (option, value)
        for option, now in current.items()
        for value in values.get(option, ())
        if value != now
        and (lead := re.match(r"\d+(?:\.\d+)?", value)) is not None
        and lead.group(0) in said
    ]
    return dict(found) if len(found) == 1 else {}


def step_size(text: str) -> int:
    """Return +1 for "a size up", -1 for "a size down", 0 otherwise."""
    low = fold(text)  # "una talla mas": accents are often left out
    if any(p in low for p in _UP_FOLDED):
        return 1
    if any(p in low for p in _DOWN_FOLDED):
        return -1
    return 0


def exchange_text(
    order_id: str,
    pairs: list[tuple[dict[str, Any], dict[str, Any]]],
    diff: float,
    method: dict[str, Any] | None,
    lang: str,
    key: str = "proposal_exchange",
) -> str:
    """Describe an exchange for the shopper: what for what, and the price difference.

    ``key`` names the template: a change of a pending order's items reads differently.
    """
    swaps = [
        say(
            "exchange_pair",
            lang,
            old=item_words([old], lang),
            new=", ".join(str(v) for v in new.get("options", {}).values()),
        )
        for old, new in pairs
    ]
    if abs(diff) < 0.005:
        money_part = say("exchange_even", lang)
    elif diff > 0:
        money_part = say(
            "exchange_pay", lang, amount=money(diff, lang), method=describe_method(method, lang)
        )
    else:
        money_part = say(
            "exchange_refund", lang, amount=money(-diff, lang), method=describe_method(method, lang)
        )
    return say(key, lang, swaps=join(swaps, lang), order_id=order_id, money=money_part)
