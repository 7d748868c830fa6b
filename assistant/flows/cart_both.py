"""An add and a removal in one message, each done in the order said.

"Añádelas también. Y pensándolo mejor quita el cuchillo": the shears shown go in, then the
knife comes out. "take the mug out and put the second kettle in instead": the other way
round. Each part is the message's reading cut at the clause between the two: its own slots
and cue words, nothing read again.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from assistant.flows.cart_lines import types_headed
from assistant.flows.cart_request import CartRequest, cheapest_beyond, request_of
from assistant.flows.kit import TurnKit
from assistant.flows.references import named_position
from assistant.flows.state import FlowState
from assistant.nlu.cues import CueHit, dialogue_hits
from assistant.nlu.message import Cart, Reading
from assistant.nlu.tokens import word_tokens

_PUT = frozenset({"cart", "cart_put"})
_TAKE_OUT = frozenset({"cart_remove", "cart_out"})
# where one clause ends and the next begins: a stop, a comma, or a joining word
_BOUNDARY = re.compile(
    r"[.!?;,]+\s*|\s(?:and|then|but|plus|und|dann|aber|et|puis|mais|y|luego|pero|e|poi|ma)\s",
    re.IGNORECASE,
)
# the slots a part points at a thing with (a removal must say what comes out)
_POINTING = {"product", "item", "color", "size", "option"}

RunOne = Callable[[TurnKit, FlowState, CartRequest, str, str], Awaitable[str]]


def parts_of(reading: Reading, hits: list[CueHit]) -> list[Reading] | None:
    """Return the add part and the removal part of a message that asks both, in order.

    The message is cut into clauses; a clause with a removal cue is a removal, else one
    with an add cue an add, else it belongs to the clause before ("…, que se me va del
    presupuesto"). None unless that makes exactly one add and one removal.
    """
    words = word_tokens(reading.text)
    kinds: list[tuple[int, Cart | None]] = []
    for start, end in clauses(reading.text, reading):
        inside = {h.group for h in hits if start <= words[h.start].start < end}
        kind: Cart | None = "remove" if inside & _TAKE_OUT else "add" if inside & _PUT else None
        if kind is None and kinds:
            continue  # said of the clause before
        if kinds and kinds[-1][1] in (kind, None):
            kinds[-1] = (kinds[-1][0], kind)  # one request over two clauses
            continue
        kinds.append((start, kind))
    if len(kinds) != 2 or {k for _, k in kinds} != {"add", "remove"}:
        return None
    (_, first), (cut, second) = kinds
    assert first is not None and second is not None
    return [part_of(reading, 0, cut, first), part_of(reading, cut, len(reading.text), second)]


def clauses(text: str, reading: Reading) -> list[tuple[int, int]]:
    """Return the (start, end) of each clause; no cut falls inside a slot's words."""
    cuts = [0]
    for m in _BOUNDARY.finditer(text):
        if not any(s.start < m.start() < s.end for s in reading.spans):
            cuts.append(m.end())
    cuts.append(len(text))
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]


def part_of(reading: Reading, start: int, end: int, op: Cart) -> Reading:
    """Return the reading of ``reading.text[start:end]``: the slots read there, shifted."""
    spans = [s for s in reading.spans if start <= s.start and s.end <= end]
    values = {s.value for s in spans}
    shifted = [s.model_copy(update={"start": s.start - start, "end": s.end - start}) for s in spans]
    return reading.model_copy(
        update={
            "text": reading.text[start:end],
            "intent": "cart",
            "cart": op,
            "spans": shifted,
            "products": [p for p in reading.products if p in values],
            "colors": [c for c in reading.colors if c in values],
            "sizes": [z for z in reading.sizes if z in values],
            "options": {k: v for k, v in reading.options.items() if v in values},
            "product_words": [w for w in reading.product_words if w in reading.text[start:end]],
            "features": [f for f in reading.features if f in values],
            "items": [int(s.value) for s in spans if s.slot == "item" and _whole(s.value)],
            "sort": next((s.value for s in spans if s.slot == "sort"), None),
        }
    )


def _whole(value: str) -> bool:
    return value.lstrip("-").isdigit()


async def run_parts(
    kit: TurnKit,
    state: FlowState,
    parts: list[Reading],
    shown_types: set[str],
    run_one: RunOne,
) -> str:
    """Run each part's cart operation in order with the part as the turn's reading.

    Each part reads the cards the message was typed at ("die billigste Schere und das
    günstigere Beet": the shears' cheapest searched first leaves the bed on screen); the
    last search a part ran is the one on screen after.
    """
    whole, replies = kit.reading, []
    typed_at = dict(state.search), list(state.shown)
    searched: tuple[dict[str, Any], list[str]] | None = None
    try:
        for part in parts:
            state.search, state.shown = dict(typed_at[0]), list(typed_at[1])
            kit.reading = part
            req = request_of(part, state, shown_types)
            if req is None or req.op not in ("add", "remove"):
                req = CartRequest(op=part.cart or "add", quantities=[])
                # "von den Scheren die billigste": the cheapest the shears' search has
                req.cheapest_beyond = req.op == "add" and cheapest_beyond(part, state, shown_types)
            replies.append(await run_one(kit, state, req, part.text, part.lang))
            if (state.search, state.shown) != typed_at:
                searched = dict(state.search), list(state.shown)
    finally:
        kit.reading = whole
        if searched is not None:
            state.search, state.shown = searched
    return " ".join(replies)


def both_asked(kit: TurnKit, state: FlowState) -> list[Reading] | None:
    """Return the parts of a message that both adds and removes (None: it does not).

    Only with something in the cart ("I don't want the red one, add the blue one" before
    any add is a choice between shown ones). The removal part must point at what comes
    out: a slot (a product, a position, a colour…), a word of the shop's types ("quita
    el cuchillo"), or a word for the line the last turn added ("togli quella"); "add it,
    I don't want to wait" takes nothing out. An add said after the
    removal must point too: "take the kettle out, I'll get it another time" adds nothing.
    """
    reading = kit.reading
    if reading is None or not state.cart_count:
        return None
    parts = parts_of(reading, dialogue_hits(reading.text, reading.lang))
    if parts is None:
        return None
    removal = next(p for p in parts if p.cart == "remove")
    # "togli quella e metti la seconda": "that one" is the line the last turn added
    that_line = state.touched_last_turn() and _refers(removal)
    if not (_points(kit, removal, state) or that_line):
        return None
    if parts[0] is removal and not _points(kit, parts[1], state):
        return None  # "togli i manubri, li prendo un'altra volta": "li" is what came out
    return parts


def _refers(part: Reading) -> bool:
    """Whether a part points at one thing by a word for it ("that one", "quella", "ihn")."""
    return any(h.group == "refer_one" for h in dialogue_hits(part.text, part.lang))


def _points(kit: TurnKit, part: Reading, state: FlowState) -> bool:
    """Whether a part points at a thing: a slot, a word of the shop's types or names.

    A word of a shown product's name points too: "metti la Kestrel al suo posto".
    """
    if any(s.slot in _POINTING for s in part.spans) or types_headed(kit, part.text):
        return True
    return named_position(kit, state, part.text) is not None
