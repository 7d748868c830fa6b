"""A cart line swapped for another shown product: "swap it for the third one".

"anzi no, cambialo con il Solstice rosso, quello grande da 64 oz", "tausch ihn gegen den
zweiten": the line the last turn added comes out, and the shown product the words after
the swap name goes in. Each part is the message's reading cut at the swap words (its own
slots, nothing read again); the removal part names no line, so it is the one last touched.
"""

from __future__ import annotations

from assistant.flows.cart_both import part_of
from assistant.flows.kit import TurnKit
from assistant.flows.references import named_position
from assistant.flows.state import FlowState
from assistant.nlu.cues import apart_spans
from assistant.nlu.message import Reading
from assistant.nlu.ordinals import word_positions


def swap_parts(kit: TurnKit, state: FlowState) -> list[Reading] | None:
    """Return the removal and the add of a swap for another shown product (None: no swap).

    Only with a line touched by the last turn and products on screen; the words after
    the swap must point at a shown one (a position, or a word of its name), not only at
    another value of the same product ("switch it to blue" changes the line's variant).
    """
    reading = kit.reading
    if reading is None or not state.shown or not state.touched_last_turn():
        return None
    said = apart_spans(reading.text, reading.lang, "swap_for")
    if not said:
        return None
    start, end = said[0]
    rest = part_of(reading, end, len(reading.text), "add")
    pointed = bool(rest.items or word_positions(rest.text))
    if not pointed and named_position(kit, state, rest.text) is None:
        return None
    return [part_of(reading, 0, start, "remove"), rest]
