"""A product type whose name the shopper wrote with words in between.

"zapatillas para salir a correr" is the shop's "zapatillas para correr" (running shoes), not
every kind of footwear; "stivali neri da pioggia" are "stivali da pioggia". When the message
names no one type (nothing, a category, or a word naming several types), a synonym of
several words whose other words follow its first in order, with at most :data:`GAP` other
words among them, names that one type. Its first word must name something of the shop on
its own ("zapatillas", "stivali"), and the type must be one the message's umbrella covers.
"""

from __future__ import annotations

from assistant.nlu.features import LookedUp
from assistant.nlu.message import Reading, SlotSpan, add_value
from assistant.nlu.tokens import word_indexes
from retrieval.lexicon import ShopLexicon

# how many other words may stand among a name's words ("para salir a correr": 2)
GAP = 3


def _spread(keys: list[str], start: int, phrase: tuple[str, ...]) -> int | None:
    """Return the index after the last of ``phrase``'s words found in order from ``start``."""
    at, extra = start + 1, 0
    for word in phrase[1:]:
        while at < len(keys) and keys[at] != word:
            at, extra = at + 1, extra + 1
            if extra > GAP:
                return None
        if at >= len(keys):
            return None
        at += 1
    return at


SpreadIndex = dict[str, list[tuple[tuple[str, ...], frozenset[str]]]]


def spread_index(lexicon: ShopLexicon) -> SpreadIndex:
    """Return the shop's type names of several words by their first word (built once).

    Only names whose first word names something of the shop on its own ("botas" names
    footwear; "de" of "bota de agua" names nothing).
    """
    index: SpreadIndex = {}
    for phrase, entries in lexicon.phrases.items():
        types = frozenset(e.value for e in entries if e.kind == "type")
        if len(phrase) < 2 or not types:
            continue
        if any(e.kind in ("type", "category") for e in lexicon.phrases.get(phrase[:1], ())):
            index.setdefault(phrase[0], []).append((phrase, types))
    return index


def type_named_apart(
    r: Reading, looked: LookedUp, lexicon: ShopLexicon, index: SpreadIndex
) -> None:
    """Name the one type an umbrella word's spread-out synonym names (see module doc)."""
    if len(r.products) == 1:
        return
    words = word_indexes(looked.tokens)
    keys = [looked.tokens[i].key for i in words]
    found: dict[str, tuple[int, int]] = {}
    for start, key in enumerate(keys):
        for phrase, types in index.get(key, ()):
            if not lexicon.speaks(list(phrase), r.lang):
                continue
            end = _spread(keys, start, phrase)
            if end is not None and end - start > len(phrase):  # written apart, not whole
                for t in types:
                    found.setdefault(t, (start, end))
    if r.products:
        found = {t: s for t, s in found.items() if t in r.products}
    elif r.categories:
        found = {t: s for t, s in found.items() if lexicon.type_category.get(t) in r.categories}
    if len(found) != 1:
        return
    ((ptype, (start, end)),) = found.items()
    first, last = looked.tokens[words[start]], looked.tokens[words[end - 1]]
    r.products = [ptype]
    add_value(r.product_words, r.text[first.start : last.end])
    r.spans = [
        s
        for s in r.spans
        if s.slot not in ("product", "category", "missing")
        or s.end <= first.start
        or s.start >= last.end
    ]
    r.missing = [m for m in r.missing if any(s.value == m for s in r.spans)]
    r.spans.append(SlotSpan(slot="product", value=ptype, start=first.start, end=last.end))
    r.categories = [c for c in r.categories if c != lexicon.type_category.get(ptype)]
