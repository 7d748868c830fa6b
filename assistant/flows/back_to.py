"""Back to a list shown before: "going back to the tents from before", "torniamo alle lampade".

A message with a "back to" cue that names a kind searched earlier in the conversation (not
the one on screen) puts that search and its list back on screen, so "the cheapest one"
or "the second" that follows means one of them. The list moved away from is kept too.
"""

from __future__ import annotations

from typing import cast

from assistant.flows.cart_lines import types_headed
from assistant.flows.kit import TurnKit
from assistant.flows.state import FlowState
from assistant.nlu.cues import apart_spans
from assistant.nlu.message import Intent, Reading
from assistant.nlu.tokens import word_tokens


def back_to_earlier(kit: TurnKit, state: FlowState) -> str | None:
    """Put back the earlier list the message returns to; None when none was put back.

    The kind is named by the reader, or by a word heading its type's name after the cue
    ("back to the lamps" for desk lamps). A return is no order write: "back to" is read
    as the list's, not as sending something back. Returns what the message says after
    the kind ("" if nothing): "revenons aux lampes, la première stp" → "la première stp",
    to be read on its own as a pick from the list put back.
    """
    reading = kit.reading
    if reading is None or not state.earlier:
        return None
    cues = apart_spans(reading.text, reading.lang, "back_to")
    if not cues:
        return None
    type_of = kit.ctx.deps.searcher.vocabulary.type_of
    # the kinds read, and those a word after the cue heads ("lampes": desk lamps too)
    headed = types_headed(kit, reading.text[cues[0][1] :])
    named = set(reading.products) | headed
    on_screen = {type_of.get(pid) for pid in state.shown}
    for i, entry in enumerate(state.earlier):
        kinds = {type_of.get(pid) for pid in entry["shown"]}
        if named and not named & kinds:
            continue
        if not named and i > 0:
            return None  # "the ones from before" with no kind named: the last list only
        if kinds == on_screen:
            return None  # that list is on screen already
        rest = [e for j, e in enumerate(state.earlier) if j != i]
        state.earlier = rest
        state.keep_earlier(dict(state.search), list(state.shown))
        state.search, state.shown = dict(entry["search"]), list(entry["shown"])
        state.focus, state.weighed = [], []
        _not_a_return(reading)
        _kind_of_list(reading, named & kinds)
        return _rest_after(kit, reading, cues[0][1])
    return None


def _not_a_return(reading: Reading) -> None:
    """Read "back to the lamps" as no return of an order: its next-best intent instead."""
    reading.write = None
    if reading.intent in ("start_write", "order_status"):
        others = [
            (i, p) for i, p in reading.alternatives if i not in ("start_write", "order_status")
        ]
        if others:
            reading.intent, reading.confidence = cast(Intent, others[0][0]), others[0][1]


def _kind_of_list(reading: Reading, meant: set[str]) -> None:
    """Read the word that named the list as its kind ("revenons aux lampes": desk lamps)."""
    if len(meant) != 1:
        return
    (kind,) = meant
    for span in reading.spans:
        if span.slot == "product" and span.value not in meant:
            span.value = kind
    if reading.products:
        reading.products = [kind]


# words after a "back to" cue the kind it goes back to may take ("back to the big lamps")
_KIND_REACH = 4


def _rest_after(kit: TurnKit, reading: Reading, at: int) -> str:
    """Return what the message says after the kind named past ``at`` ("", if nothing)."""
    products = [(s.start, s.end) for s in reading.spans if s.slot == "product"]
    for token in word_tokens(reading.text[at:])[:_KIND_REACH]:
        start, end = at + token.start, at + token.end
        if types_headed(kit, token.text) or any(a <= start < b for a, b in products):
            rest = reading.text[end:].lstrip(" ,.:;!-–")
            return rest if word_tokens(rest) else ""
    return ""
