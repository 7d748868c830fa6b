"""A cart choice first, then a search, in one message.

"cool, the cheaper one in a medium pls. oh and whats the cheapest 1000 piece puzzle u got":
the first sentence only points at a shown product (the add), the rest asks for another kind
of product (the search the add is followed by). The first sentence's reading is the whole
message's reading cut at the sentence end: its slots and cue words, nothing read again.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.nlu.message import Reading
from assistant.nlu.ordinals import word_positions
from assistant.nlu.tokens import word_tokens

# the end of the first sentence, when more follows ("… pls. oh and …", "… pls! also …")
_SENTENCE_END = re.compile(r"[.!;]+\s+(?=\S)")
# cue groups that point at one shown product ("the cheaper one", "that one")
_POINTERS = {"refer_one", "one", "cheaper", "pricier", "better"}
# words a bare choice may hold at most
_MAX_WORDS = 10


def choice_then_more(reading: Reading, hits: list[Any]) -> int | None:
    """Return where a first sentence that only picks a shown product ends (None: it does not).

    For a message with products on screen; the rest must name a kind of product (what the
    search after the add looks for).
    """
    if not reading.products:
        return None
    cut = _SENTENCE_END.search(reading.text)
    if cut is None:
        return None
    first = reading.text[: cut.start()]
    n_first = len(word_tokens(first))
    if n_first > _MAX_WORDS:
        return None
    inside = [s for s in reading.spans if s.end <= cut.start()]
    if any(s.slot in ("product", "missing", "budget_max", "budget_min") for s in inside):
        return None
    if not any(s.slot == "product" and s.start >= cut.end() for s in reading.spans):
        return None
    groups = {h.group for h in hits if h.end <= n_first}
    # (an add with no product named in the first sentence adds a shown one: "add it in M")
    pointed = (
        bool(groups & (_POINTERS | {"cart"}))
        or word_positions(first)
        or any(s.slot == "item" for s in inside)
    )
    return cut.start() if pointed else None


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
    )
