"""The other one: of two products on screen, the one the talk was not about.

"non, plutôt l'autre", "uy no, mejor la otra", "dann den anderen, also nicht den aus Glas",
"not the pink one obviously. the other one, in white": the two are the pair last weighed
against each other, else the two shown; the one set aside is the one in focus (the one
just added or answered about), or the one a negated colour names ("not the pink one").
"""

from __future__ import annotations

from typing import Any

from assistant.flows.kit import TurnKit
from assistant.flows.references import shown_details, shown_indexes, stocked_in
from assistant.flows.state import FlowState
from assistant.nlu.cues import apart_hits, apart_spans
from assistant.nlu.message import Reading
from tools.common.cart import norm


def says_other(reading: Reading | None) -> bool:
    """Whether the message points at "the other one" (not "one in red, the other in blue").

    "one in red, the other in blue" says one each (two sayings of ``one_each``); "the other
    one, in white" alone is one saying.
    """
    if reading is None or not apart_hits(reading.text, reading.lang, "the_other"):
        return False
    return apart_hits(reading.text, reading.lang, "one_each") < 2


def other_start(reading: Reading) -> int | None:
    """Return where "the other one" is said in the message (None: it is not)."""
    spans = apart_spans(reading.text, reading.lang, "the_other") if says_other(reading) else []
    return spans[0][0] if spans else None


def pair(state: FlowState) -> list[int]:
    """Return the positions of the two shown products "the other" chooses between ([]: none)."""
    for ids in (state.weighed, state.shown):
        pool = shown_indexes(state, ids)
        if len(pool) == 2:
            return pool
    return []


async def the_other(kit: TurnKit, state: FlowState) -> dict[str, Any] | None:
    """Return the record of the other one of the pair (None: the message does not say it).

    The one set aside is the one a negated colour names when the message names one, else
    the one in focus; exactly one of the two must be set aside.
    """
    reading = kit.reading
    if not says_other(reading) or reading is None:
        return None
    indexes = pair(state)
    if not indexes:
        return None
    products = await shown_details(kit, state, indexes)
    unwanted = {norm(c) for c in reading.colors_not}
    if unwanted:
        aside = [p for p in products if stocked_in(p, unwanted, set())]
    else:
        aside = [p for p in products if str(p["id"]) in state.focus]
    left = [p for p in products if p not in aside]
    return left[0] if len(aside) == 1 and len(left) == 1 else None
