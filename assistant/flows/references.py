"""Which shown products a message points at, resolved in code against the shown list.

"The first two", "the last one", "the cheaper one", "the red one", "the Lumina one".
"""

from __future__ import annotations

import re
from typing import Any

from assistant.flows.kit import TurnKit
from assistant.flows.state import FlowState
from assistant.nlu.ordinals import count_of_best, word_positions
from catalog.errors import ShopError
from retrieval.model_names import model_of
from tools.common.cart import norm

_WORD = re.compile(r"[^\W\d_]{4,}")
# the key a shown product's record carries the options of the search that showed it under
SHOWN_OPTIONS = "shown_options"


async def shown_details(
    kit: TurnKit, state: FlowState, indexes: list[int] | None = None
) -> list[dict[str, Any]]:
    """Return the shown products' records (name, variants, features, rating), in order."""
    out: list[dict[str, Any]] = []
    cards: dict[str, dict[str, Any]] = {}
    wanted = state.shown if indexes is None else [state.shown[i] for i in indexes]
    # the options the list was found with ("size M, heavy cushion"): a shown product's price
    # is that of its variants with them, as its card showed
    options = dict(state.search.get("options") or {})
    for pid in wanted:
        try:
            record = kit.data(await kit.call("get_product", product_id=pid))
            out.append({**record, SHOWN_OPTIONS: options} if options else record)
        except ShopError:
            continue
        cards.update({str(c.get("id")): c for c in kit.cards})
    if cards:  # every product read stays showable, not only the last one
        kit.cards = list(cards.values())
    return out


_LETTER_SIZES = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"]
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def size_key(value: str) -> tuple[int, float, str]:
    """Sort key for option values in size order: letter sizes, then numbers, then the rest."""
    if value.upper() in _LETTER_SIZES:
        return (0, float(_LETTER_SIZES.index(value.upper())), value)
    number = _NUMBER.match(value)
    return (1, float(number.group(0).replace(",", ".")), value) if number else (2, 0.0, value)


def variants_in(product: dict[str, Any], values: dict[str, str]) -> list[dict[str, Any]]:
    """Return the in-stock variants of ``product`` having every option value of ``values``."""
    wanted = {k.lower(): str(v).lower() for k, v in values.items()}
    return [
        v
        for v in product.get("variants", [])
        if v.get("available")
        and all(str(v.get("options", {}).get(k, "")).lower() == x for k, x in wanted.items())
    ]


def in_stock_price(product: dict[str, Any]) -> float | None:
    """Return the price of a product's cheapest in-stock variant (None: none in stock).

    Of a shown product, the cheapest in stock with the options its list was found with,
    when one is ("the cheapest one" of socks in size M is the cheapest in size M).
    """
    searched = product.get(SHOWN_OPTIONS) or {}
    fitting = variants_in(product, searched) if searched else []
    return min((float(v["price"]) for v in fitting or variants_in(product, {})), default=None)


def price_of(product: dict[str, Any]) -> float:
    """Return the price to quote: the cheapest in stock, else the cheapest listed."""
    listed = [float(v["price"]) for v in product.get("variants", []) if "price" in v]
    return in_stock_price(product) or min(listed, default=0.0)


def _by_attribute(kit: TurnKit, products: list[dict[str, Any]]) -> list[int]:
    """Return the positions (0-based) of the shown products a colour or price points at."""
    reading = kit.reading
    n = len(products)
    if reading is None or n == 0:
        return []
    if reading.colors:
        wanted = set(reading.colors)
        out = [
            i
            for i, p in enumerate(products)
            if any(
                v.get("available") and str(v.get("options", {}).get("color", "")).lower() in wanted
                for v in p.get("variants", [])
            )
        ]
        if len(out) == 1:
            return out
    prices = [in_stock_price(p) for p in products]
    if reading.sort == "price_asc":  # a product with nothing in stock is neither extreme
        return [min(range(n), key=lambda i: _or(prices[i], float("inf")))]
    if reading.sort == "price_desc":
        return [max(range(n), key=lambda i: _or(prices[i], float("-inf")))]
    if reading.sort == "rating":
        return [max(range(n), key=lambda i: products[i].get("rating") or 0.0)]
    return []


def positions(kit: TurnKit, n: int) -> list[int]:
    """Return the 0-based positions the message names outright ("the 2nd", "the last one").

    The number of a model named ("the Pawsome Cascade 2") is no position.
    """
    out: list[int] = []
    said = kit.reading.items if kit.reading else []
    if said and kit.reading is not None:
        inside = _model_spans(kit)
        items = [sp for sp in kit.reading.spans if sp.slot == "item"]
        if inside and items:
            kept = [sp for sp in items if not any(a <= sp.start < b for a, b in inside)]
            said = [int(sp.value) for sp in kept if sp.value.lstrip("-").isdigit()]
    if kit.reading is not None and not said:
        # an ordinal word the tagger left untagged ("¿la segunda es recargable?")
        said = word_positions(kit.reading.text)
    for item in said:
        index = n - 1 if item == -1 else item - 1
        if 0 <= index < n and index not in out:
            out.append(index)
    return out


async def pick(
    kit: TurnKit, state: FlowState, default: list[int], *, fallback_item: int | None = None
) -> list[dict[str, Any]]:
    """Return the records of the shown products the message points at (else ``default``).

    Positions and a word of one product's name need no lookup (the index knows the
    names); a reference by colour or price reads every shown product; otherwise only the
    default ones are read.
    """
    n = len(state.shown)
    reading = kit.reading
    best = count_of_best(reading.text) if reading is not None and reading.sort else None
    if reading is not None and reading.sort and best:
        # "vergleich mal die zwei günstigsten davon": the two first in that order
        return ranked(await shown_details(kit, state), reading.sort)[:best]
    named = positions(kit, n) or (
        [fallback_item - 1] if fallback_item and 0 < fallback_item <= n else []
    )
    if named:
        return await shown_details(kit, state, named)
    models = named_models(kit, state)
    if len(models) > 1:  # "which is cheaper, the Pawsome Cascade 2 or the Zenith 7?"
        return await shown_details(kit, state, models)
    by_name = models[0] if models else named_position(kit, state)
    if by_name is not None:
        return await shown_details(kit, state, [by_name])
    if reading is not None and (reading.colors or reading.sort):
        products = await shown_details(kit, state)
        which = _by_attribute(kit, products)
        if which:
            return [products[i] for i in which]
        return [products[i] for i in default if i < len(products)]
    return await shown_details(kit, state, [i for i in default if i < n])


def named_models(kit: TurnKit, state: FlowState) -> list[int]:
    """Return the positions of the products the shopper names by their model.

    "the terra 3", "the Pawsome Cascade 2 or the Everstride Zenith 7": a product so named
    that is not on screen joins the shown list at its end, so the next message can point
    at it too. A line several brands share is narrowed to the kinds of product the message
    names, else those on screen.
    """
    if kit.reading is None:
        return []
    searcher = kit.ctx.deps.searcher
    type_of = searcher.vocabulary.type_of
    ids = searcher.models.named(kit.reading.text)
    if len(ids) > 1:
        kinds = set(kit.reading.products) or {type_of.get(pid, "") for pid in state.shown}
        ids = [pid for pid in ids if type_of.get(pid) in kinds] or ids
    for pid in ids:
        if pid not in state.shown:
            state.shown.append(pid)
    return [state.shown.index(pid) for pid in ids]


def _model_spans(kit: TurnKit) -> list[tuple[int, int]]:
    """Return where the message names a product by its model (start, end), if anywhere."""
    reading = kit.reading
    if reading is None:
        return []
    searcher = kit.ctx.deps.searcher
    out: list[tuple[int, int]] = []
    for pid in searcher.models.named(reading.text):
        words = model_of(searcher.name_of(pid) or "").split()
        if not words:
            continue
        for form in (words, words[-2:]):  # whole, line + number
            pattern = r"\s+".join(re.escape(w) for w in form)
            out += [m.span() for m in re.finditer(pattern, reading.text, re.IGNORECASE)]
    return out


def model_numbers_are_no_sizes(kit: TurnKit) -> None:
    """Drop the sizes read from a model's number ("the granite peak ember 8" is no size 8)."""
    reading = kit.reading
    if reading is None or not reading.sizes:
        return
    inside = _model_spans(kit)
    dropped = [
        s for s in reading.spans if s.slot == "size" and any(a <= s.start < b for a, b in inside)
    ]
    if not dropped:
        return
    reading.spans = [s for s in reading.spans if s not in dropped]
    kept = {s.value for s in reading.spans if s.slot == "size"}
    reading.sizes = [v for v in reading.sizes if v in kept or v not in {s.value for s in dropped}]


def named_model(kit: TurnKit, state: FlowState) -> int | None:
    """Return the position of the one product the shopper names by its model (else None)."""
    found = named_models(kit, state)
    return found[0] if len(found) == 1 else None


def named_position(kit: TurnKit, state: FlowState, text: str | None = None) -> int | None:
    """Return the position of the one shown product a word of whose name the shopper used.

    In the message, else in ``text`` (a part of it: a clause, the words read as missing).
    """
    said = text if text is not None else kit.reading.text if kit.reading else None
    if said is None:
        return None
    searcher = kit.ctx.deps.searcher
    return name_word_match(said, [searcher.name_of(pid) or "" for pid in state.shown])


def name_words(text: str) -> set[str]:
    """Return the words of ``text`` a product name is told apart by (4+ letters, lower case)."""
    return {w.lower() for w in _WORD.findall(text)}


def name_word_match(text: str, names: list[str]) -> int | None:
    """Return the index of the one name the words of ``text`` pick out (None: none or several).

    Words all the names share ("Hiking Boots") pick out nothing. Of several names with a
    word typed, the one with more of them wins ("the alpenrock ridge" among Alpenrock Apex,
    Nimbus Ridge and Alpenrock Ridge); a tie picks none.
    """
    words = [name_words(name) for name in names]
    if not words:
        return None
    common = set.intersection(*words)
    said = name_words(text)
    counts = [len(said & (ws - common)) for ws in words]
    best = max(counts)
    hits = [i for i, n in enumerate(counts) if n == best]
    return hits[0] if best and len(hits) == 1 else None


def best_among(products: list[dict[str, Any]], how: str) -> dict[str, Any]:
    """Return the cheapest, the priciest or the best rated product, preferring in-stock ones."""
    return ranked(products, how)[0]


def ranked(products: list[dict[str, Any]], how: str) -> list[dict[str, Any]]:
    """Return ``products`` cheapest / priciest / best rated first, those in stock first."""

    def key(p: dict[str, Any]) -> tuple[bool, float]:
        value = -(p.get("rating") or 0.0) if how == "rating" else price_of(p)
        return in_stock_price(p) is None, -value if how == "price_desc" else value

    return sorted(products, key=key)


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def shown_indexes(state: FlowState, ids: list[str]) -> list[int]:
    """Return the positions among the shown products of those of ``ids`` still shown."""
    return [state.shown.index(pid) for pid in ids if pid in state.shown]


def stocked_in(product: dict[str, Any], colors: set[str], sizes: set[str]) -> bool:
    """Return True when a variant in stock has one of ``colors`` and one of ``sizes``.

    Values are compared folded (``norm``); an empty set leaves that option open.
    """
    for v in product.get("variants", []):
        options = v.get("options", {})
        if (
            v.get("available")
            and (not colors or norm(options.get("color", "")) in colors)
            and (not sizes or norm(options.get("size", "")) in sizes)
        ):
            return True
    return False


async def focus_has_size(kit: TurnKit, state: FlowState) -> bool:
    """Return True when the one product in focus is in stock in a size the message names."""
    focused = shown_indexes(state, state.focus)
    sizes = {norm(z) for z in kit.reading.sizes} if kit.reading else set()
    if len(focused) != 1 or not sizes:
        return False
    records = await shown_details(kit, state, focused)
    return any(stocked_in(p, set(), sizes) for p in records)
