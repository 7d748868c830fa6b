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
from assistant.flows.the_other import other_start
from assistant.nlu.cues import apart_spans, dialogue_hits
from assistant.nlu.message import Reading
from assistant.nlu.ordinals import word_positions
from assistant.nlu.tokens import word_tokens


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
        return _other_instead(reading)
    start, end = said[0]
    rest = part_of(reading, end, len(reading.text), "add")
    pointed = bool(rest.items or word_positions(rest.text))
    if not pointed and named_position(kit, state, rest.text) is None:
        return None
    return [part_of(reading, 0, start, "remove"), rest]


# cue groups that say the line just added was not the one wanted ("no", "remove", "instead")
_CHANGED_MIND = {"refuse", "cart_remove", "instead"}


def _other_instead(reading: Reading) -> list[Reading] | None:
    """Return the removal and the add of "the other one" instead of the line just added.

    "non, plutôt l'autre finalement, le moins cher. remplace-le", "uy no, mejor la otra.
    quita la primera": a word takes the line back (a no, a removal, "instead"), and the
    other of the two products weighed or shown goes in. "the other one too" adds it besides.
    """
    start = other_start(reading)
    if start is None:
        return None
    hits = dialogue_hits(reading.text, reading.lang)
    groups = {h.group for h in hits}
    if "also" in groups or not _CHANGED_MIND & (set(reading.cue_groups) | groups):
        return None
    # the add is "the other one" and what follows, up to a removal said after it; a
    # removal said before it takes the other out ("scrap the other one, keep only the red")
    removals = [h for h in hits if h.group == "cart_remove"]
    tokens = word_tokens(reading.text)
    if any(tokens[h.start].start < start for h in removals):
        return None
    after = [tokens[h.start].start for h in removals if tokens[h.start].start > start]
    end = min(after) if after else len(reading.text)
    return [part_of(reading, 0, start, "remove"), part_of(reading, start, end, "add")]
