"""Which cart line a message means, and how many to take off one ("take one off")."""

from __future__ import annotations

import re

from assistant.flows.cart_request import CartRequest
from assistant.flows.kit import TurnKit
from assistant.flows.references import name_word_match, positions
from assistant.flows.state import FlowState
from assistant.nlu.cues import dialogue_hits
from assistant.nlu.message import Reading
from assistant.nlu.ordinals import word_positions
from assistant.nlu.tokens import CLAUSE_BREAK
from catalog.carts import CartLineView, CartView
from tools.common.cart import norm

_TOKENS = re.compile(r"[^\W_]+")


def line_of(kit: TurnKit, state: FlowState, cart: CartView) -> CartLineView | None:
    """Return the cart line the message means (None: it does not say, several fit)."""
    lines = cart.lines
    reading = kit.reading
    if not lines:
        return None
    if reading is not None:
        typed = set(reading.products)
        by_type = [ln for ln in lines if ln.product_type in typed]
        if len(by_type) == 1:
            return by_type[0]
        pool = by_type or lines
        if len(pool) > 1:
            hit = name_word_match(reading.text, [ln.name for ln in pool])
            if hit is not None:
                return pool[hit]
        if not by_type and len(pool) > 1:
            headed = _by_type_head(kit, reading.text, pool)
            if headed is not None:
                return headed
        values = {norm(v) for v in [*reading.colors, *reading.sizes]}
        if values and len(pool) > 1:
            hits = [ln for ln in pool if values & {norm(v) for v in ln.options.values()}]
            if len(hits) == 1 and len(pool) == 2 and _keeps(reading.text, reading.lang):
                # "scrap the 2 cheap ones, keep only the red": the other line goes
                return next(ln for ln in pool if ln is not hits[0])
            if len(hits) == 1:
                return hits[0]
        said_pos = positions(kit, len(lines)) if state.cart_listed >= state.turn - 1 else []
        if len(said_pos) == 1:
            return lines[said_pos[0]]
        shown_pos = positions(kit, len(state.shown)) if state.shown else []
        if len(shown_pos) == 1:
            pid = state.shown[shown_pos[0]]
            hits = [ln for ln in lines if ln.product_id == pid]
            if len(hits) == 1:
                return hits[0]
        if len(by_type) > 1 or missing_kind(reading, lines):
            return None
    last = next((ln for ln in lines if ln.id == state.cart_line), None)
    if last is not None:
        return last
    return lines[0] if len(lines) == 1 else None


def missing_kind(reading: Reading | None, lines: list[CartLineView]) -> list[str]:
    """Return the words of a kind the message names and no cart line is ("take the clock out").

    The line touched last is never taken for it: nothing is changed that was not named.
    """
    if reading is None or not reading.products or not reading.product_words:
        return []
    if set(reading.products) & {ln.product_type for ln in lines}:
        return []
    if name_word_match(reading.text, [ln.name for ln in lines]) is not None:
        return []
    return list(reading.product_words)


def _keeps(text: str, lang: str) -> bool:
    """Whether a message that takes something out says what it keeps ("keep only the red")."""
    said = {h.group for h in dialogue_hits(text, lang)}
    return "keep_item" in said and bool(said & {"cart_remove", "cart_out"})


def _by_type_head(kit: TurnKit, text: str, lines: list[CartLineView]) -> CartLineView | None:
    """Return the one line whose type a word of ``text`` heads ("enlève la lampe")."""
    named = types_headed(kit, text)
    hits = [ln for ln in lines if ln.product_type in named]
    return hits[0] if len(hits) == 1 else None


def types_headed(kit: TurnKit, text: str) -> set[str]:
    """Return the shop's types a word of ``text`` heads ("lampe", "cuchillo")."""
    lexicon = kit.ctx.deps.searcher.lexicon
    named: set[str] = set()
    for word in _TOKENS.findall(text):
        named |= lexicon.types_by_head(word)
    return named


_ONE = {"one", "uno", "una", "un", "une", "einen", "eine", "eins", "ein"}
_NOT_A_COUNT = {"the", "that", "this", "le", "la", "el", "il", "lo", "der", "die", "das", "den"}


def fewer(kit: TurnKit, req: CartRequest) -> int | None:
    """Return how many to take off a line ("take one off", "togline uno"; None: the line)."""
    reading = kit.reading
    if reading is None or req.everything:
        return None
    counted = req.quantity()
    if counted is not None:
        return counted
    # the clause that says to take something out ("take the mugs out, my sister gave me
    # one": that "one" is the shopper's own, no count)
    clauses = [c for c in CLAUSE_BREAK.split(reading.text) if c.strip()]
    removing = [
        c for c in clauses
        if {h.group for h in dialogue_hits(c, reading.lang)} & {"cart_remove", "cart_out"}
    ]  # fmt: skip
    words = [t.lower() for t in _TOKENS.findall(" ".join(removing) or reading.text)]
    for i, word in enumerate(words):
        before = words[i - 1] if i else ""
        if word in _ONE and before not in _NOT_A_COUNT and not word_positions(before):
            return 1
    return None
