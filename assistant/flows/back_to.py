"""Back to a list shown before: "going back to the tents from before", "torniamo alle lampade".

A message with a "back to" cue that names a kind searched earlier in the conversation (not
the one on screen) puts that search and its list back on screen, so "the cheapest one"
or "the second" that follows means one of them. The list moved away from is kept too.
"""

from __future__ import annotations

from assistant.flows.kit import TurnKit
from assistant.flows.state import FlowState
from assistant.nlu.cues import apart_hits


def back_to_earlier(kit: TurnKit, state: FlowState) -> bool:
    """Put back the earlier list the message returns to; True when one was put back."""
    reading = kit.reading
    if reading is None or not state.earlier:
        return False
    if not apart_hits(reading.text, reading.lang, "back_to"):
        return False
    type_of = kit.ctx.deps.searcher.vocabulary.type_of
    named = set(reading.products)
    on_screen = {type_of.get(pid) for pid in state.shown}
    for i, entry in enumerate(state.earlier):
        kinds = {type_of.get(pid) for pid in entry["shown"]}
        if named and not named & kinds:
            continue
        if not named and i > 0:
            return False  # "the ones from before" with no kind named: the last list only
        if kinds == on_screen:
            return False  # that list is on screen already
        rest = [e for j, e in enumerate(state.earlier) if j != i]
        state.earlier = rest
        state.keep_earlier(dict(state.search), list(state.shown))
        state.search, state.shown = dict(entry["search"]), list(entry["shown"])
        state.focus, state.weighed = [], []
        return True
    return False
