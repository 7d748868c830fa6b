"""A cart choice first, then a search, in one message.

"cool, the cheaper one in a medium pls. oh and whats the cheapest 1000 piece puzzle u got":
the first sentence only points at a shown product (the add), the rest asks for another kind
of product (the search the add is followed by). The first sentence's reading is the whole
message's reading cut at the sentence end: its slots and cue words, nothing read again.

"the red one, and also two pairs of your cheapest wool socks in XL": the choice ends at a
joining word, and the rest picks one product of a new kind by a count or a superlative (no
question): that kind is searched and its leader added too (:func:`rest_taken`).
"""

from __future__ import annotations

import re
from typing import Any

from assistant.flows.cart_quantities import quantities_in
from assistant.nlu.cues import apart_hits
from assistant.nlu.message import Reading
from assistant.nlu.ordinals import word_positions
from assistant.nlu.tokens import word_tokens

# the end of the first sentence, when more follows ("… pls. oh and …", "… pls! also …")
_SENTENCE_END = re.compile(r"[.!;]+\s+(?=\S)")
# a joining word between the choice and a new kind ("the red one, and also two pairs …")
_JOIN = re.compile(
    r",?\s+(?:and also|and|plus|und auch|und|sowie|et aussi|et|y también|y|e anche|e)\s+"
    r"|,\s+(?=also\s)",
    re.IGNORECASE,
)
# cue groups that point at one shown product ("the cheaper one", "that one")
_POINTERS = {"refer_one", "one", "cheaper", "pricier", "better"}
# words a bare choice may hold at most
_MAX_WORDS = 10


def choice_then_more(
    reading: Reading, hits: list[Any], shown_types: set[str] | frozenset[str] = frozenset()
) -> tuple[int, int] | None:
    """Return where a first part that only picks a shown product ends, and the rest starts.

    None when it does not. For a message with products on screen; the rest must name a
    kind of product (what the search after the add looks for). The first part is a
    sentence, or a clause before a joining word when the rest names a kind not on screen;
    it may name the shown kind ("ese cuchillo de 8 pulgadas y las tijeras más baratas").
    """
    if not reading.products:
        return None
    text = reading.text
    cuts = [(m, False) for m in _SENTENCE_END.finditer(text)][:1]
    cuts += [(m, True) for m in _JOIN.finditer(text)]
    for cut, joined in cuts:
        if reading.in_slot(cut.start(), cut.end()):
            continue
        later = [s.value for s in reading.spans if s.slot == "product" and s.start >= cut.end()]
        if joined and not set(later) - shown_types:
            continue  # "the red one and the blue one": both shown, no new kind
        if _picks_shown(reading, hits, cut.start(), shown_types) and later:
            return cut.start(), cut.end()
    return None


def _picks_shown(
    reading: Reading, hits: list[Any], end: int, shown_types: set[str] | frozenset[str]
) -> bool:
    """Whether ``reading.text[:end]`` only points at a shown product."""
    first = reading.text[:end]
    n_first = len(word_tokens(first))
    if n_first > _MAX_WORDS:
        return False
    inside = [s for s in reading.spans if s.end <= end]
    if any(s.slot in ("missing", "budget_max", "budget_min") for s in inside):
        return False
    if any(s.slot == "product" and s.value not in shown_types for s in inside):
        return False
    groups = {h.group for h in hits if h.end <= n_first}
    # (an add with no product named in the first part adds a shown one: "add it in M")
    return (
        bool(groups & (_POINTERS | {"cart", "cart_word"}))
        or bool(word_positions(first))
        or any(s.slot in ("item", "color") for s in inside)
    )


def rest_taken(rest: Reading) -> bool:
    """Whether the rest after a choice picks one product to add, not a question about some.

    "two pairs of your cheapest wool socks", "las tijeras más baratas": a count or a
    superlative, and no question ("oh and whats the cheapest puzzle u got" is searched).
    """
    text = rest.text.strip()
    if text.endswith("?") or apart_hits(text, rest.lang, "asks_have"):
        return False
    if apart_hits(text, rest.lang, "wants") or apart_hits(text, rest.lang, "show_me"):
        return False
    return rest.sort is not None or bool(quantities_in(rest)[0])


def first_part(reading: Reading, end: int) -> Reading:
    """Return the reading of ``reading.text[:end]``: the slots read there.

    Its cue words are the dialogue cues of that text, looked up by the flows.
    """
    inside = [s for s in reading.spans if s.end <= end]

    def values(slot: str) -> list[str]:
        return [s.value for s in inside if s.slot == slot]

    sort = next((s.value for s in inside if s.slot == "sort"), None)
    return Reading(
        text=reading.text[:end],
        lang=reading.lang,
        intent="cart",
        confidence=reading.confidence,
        colors=values("color"),
        sizes=values("size"),
        items=[int(v) for v in values("item") if v.lstrip("-").isdigit()],
        sort=sort,
        cart="add",
        spans=inside,
        products=[p for p in reading.products if p in values("product")],
        options={k: v for k, v in reading.options.items() if v in values("option")},
    )
