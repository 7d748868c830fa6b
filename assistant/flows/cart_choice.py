"""Which shown product a short statement settles on: "the second one", "ok that one, in red".

The cart's reading step asks these of a message the reader is unsure of: a bare choice
(:func:`selects`) or a choice settled on with its values (:func:`chosen`).
"""

from __future__ import annotations

import re

from assistant.flows.cart_line_talk import PICK_GROUPS
from assistant.flows.follow_up import FIRSTS, several_picked
from assistant.flows.state import FlowState
from assistant.flows.the_other import pair, says_other
from assistant.nlu.cues import apart_hits, dialogue_hits
from assistant.nlu.message import Reading, cut_spans
from assistant.nlu.ordinals import word_positions
from assistant.nlu.tokens import keys, word_tokens

SENTENCES = re.compile(r"(?<=[.?!;])\s+")
# a choice settled on, said last in its clause: "the Alpenrock one in L then", "die
# blaue dann", "la bleue alors", "la azul entonces", "la blu allora"
_SETTLED = re.compile(r"\b(?:then|dann|alors|entonces|allora)\s*(?:[,.!]|$)", re.IGNORECASE)
# "then" before a pointer: "perfetto, allora quello con le recensioni migliori", "dann den"
_THEN_THAT = re.compile(
    r"\b(?:then|dann|alors|entonces|pues|allora)\s+(?:the one|that one|den|die|das|celui|"
    r"celle|ese|esa|el|la|quell[oa]|quel)\b",
    re.IGNORECASE,
)
# a value asked for politely: "squeeze version pls, just one", "in rot bitte"
_PLEASE = re.compile(
    r"\b(?:pls|plz|please|bitte|svp|stp|s'il (?:te|vous) pla[iî]t|por favor|porfa|"
    r"per favore|perfavore)\b",
    re.IGNORECASE,
)


# Cue groups a bare choice of a shown product may hold ("the cheaper one", "la première").
_CHOICE_GROUPS = {
    "article", "one", "refer_one", "cheaper", "pricier", "better", "cart_qty", "order_by", "cart",
    "any_value", "option_color", "option_size", "ask_colors", "ask_sizes", "cart_put", "qty_unit",
    "refer_many", "make_it", "cart_more", "also",
}  # fmt: skip


def selects(
    reading: Reading,
    groups: set[str],
    n_shown: int,
    shown_types: set[str] | frozenset[str] = frozenset(),
) -> bool:
    """Return True for a bare choice of one shown product: "the second one", "la première".

    A short message that only points at one shown product (by position or as "the
    cheaper one"), perhaps with a size or colour, and asks nothing, means "that one". With a
    value picked, the shown kind and a feature may be named as pointers too: "ok dann den
    günstigeren von denen mit warmhalten, in 1,7 liter".
    """
    text = reading.text.strip()
    groups, free = _outside_things(reading, groups)
    allowed = _CHOICE_GROUPS | {"qty_of"}  # "of"/"de" mark counts only, not another ask
    allowed |= {"any", "which", "yes_no"} if "any_value" in groups else set()
    if not n_shown or text.endswith("?") or not groups <= allowed:
        return False
    if apart_hits(text, reading.lang, "asks_have"):
        return False  # "whats the cheapest 1000 piece puzzle you've got": a question
    if set(reading.products) - shown_types or reading.budget_max or reading.budget_min:
        return False
    valued = bool(reading.sizes or reading.colors or reading.options)
    if (reading.products or reading.features) and not valued:
        return False  # "the cheaper ones with keep warm": a narrower list, no variant picked
    named = reading.items or word_positions(text)
    words = keys(text)
    with_ = apart_hits(text, reading.lang, "one_with") > 0  # "den mit Mikro"
    picked = picks(reading, groups) or with_
    if "order_by" in groups and (not named or (picked and words and words[-1] in FIRSTS)):
        return False  # "los más baratos primero", "cheapest first": an order, not a choice
    definite = bool(groups & {"article", "one", "refer_one"}) or "one" in words
    several = several_picked(reading, groups)  # "the cheapest ones in size 10": a list
    one = len(named) == 1 or (not named and picked and definite and not several)
    return one and free <= 8


# Slots whose words name the product or one of its values (pointers in a choice).
_THING_SLOTS = {"product", "feature", "color", "size", "option"}


def _outside_things(reading: Reading, groups: set[str]) -> tuple[set[str], int]:
    """Return the cue groups said outside product and value words, and how many words are.

    "keep" in "with keep warm" names a feature, not "keep the rest"; a message that spells a
    long option ("1,7 liter") is no longer for it.
    """
    things = [(s.start, s.end) for s in reading.spans if s.slot in _THING_SLOTS]
    if not things:
        return groups, len(keys(reading.text))
    tokens = word_tokens(reading.text)
    inside = {i for i, t in enumerate(tokens) if any(a <= t.start < b for a, b in things)}
    outside = {
        h.group
        for h in dialogue_hits(reading.text, reading.lang)
        if not set(range(h.start, h.end)) <= inside
    }
    return groups & outside, len(tokens) - len(inside)


def chosen(reading: Reading, groups: set[str], state: FlowState) -> bool:
    """Return True when a short statement settles on one shown product ("the X it is").

    A choice word, a definite pointer (an article, a position) and no new product, no
    question: "eh ok the brightwave it is", "je prends la deuxième", "me quedo con el rojo".
    """
    text = reading.text
    # "ugh fine, the Alpenrock one in L then, he likes …", "va bene allora XL"
    # "perfetto, allora quello …": "then" before a pointer; "the cheaper one pls": a pick
    # asked for politely
    pointer = _THEN_THAT.search(text) or _polite_pick(reading, groups)
    # "squeeze version pls, just one": a value of the product talked about, asked for
    # (right after an add, "navy bitte" changes that line: the swap reads it)
    please = None if state.touched_last_turn() else _please_value(reading, groups)
    settled = _SETTLED.search(text) or _then_value(reading) or pointer or please
    # "vale, ese, en rojo y el 1:10": a yes and "that one", with its values
    # "vale, pues el más barato de los dos, en escala 1:10": a yes and a pick of one
    picked = picks(reading, groups) and not several_picked(reading, groups)
    with_ = apart_hits(text, reading.lang, "one_with") > 0
    picked = picked or with_  # "ok the one with the mic"
    agreed = "agree" in reading.cue_groups and ("refer_one" in groups or picked)
    if not ("chosen" in groups or settled or agreed) or not state.shown:
        return False
    if text.strip().endswith("?"):
        return False
    if reading.products or reading.budget_max or reading.budget_min:
        return False  # (an unknown word may be a shown brand: "the brightwave it is")
    valued = bool(reading.sizes or reading.colors or reading.options)
    valued = valued or with_  # (what it has tells which)
    # "allora quello con le recensioni migliori", "the cheaper of those two lamps pls":
    # a pointer at one of them, a pick
    valued = valued or bool(pointer and picks(reading, groups))
    if "chosen" not in groups and (not valued or several_picked(reading, groups)):
        return False  # "show me the cheapest then", "fine, the blue ones then"
    pointed = bool(reading.items or word_positions(text)) or "article" in groups
    # the one product just talked about, a value said of it: "XL then, any colour"
    pointed = pointed or (valued and len(state.focus) == 1)
    said = text[: settled.end()] if settled and "chosen" not in groups else text
    if agreed and not settled and "chosen" not in groups:
        # "ok that one. red if they have it, and the biggest jug size": the choice is the
        # first sentence, what follows its values; the values read are no extra words
        said = SENTENCES.split(cut_spans(said, reading.spans))[0]
    return pointed and len(keys(said)) <= 10


# "then" right before a value: "ok then XL", "va bene allora XL", "dann in Blau"
_THEN = re.compile(
    r"\b(?:then|dann|alors|entonces|allora)\s+(?:(?:in|im|en|the|la|le|el|il|den|die)\s+)?",
    re.IGNORECASE,
)
_VALUE_SLOTS = {"size", "color", "option"}


def _please_value(reading: Reading, groups: set[str]) -> re.Match[str] | None:
    """Return the "please" of a value asked for with no question ("blue pls, just one")."""
    if not (reading.sizes or reading.colors or reading.options) or "?" in reading.text:
        return None
    if groups & {"ask_colors", "ask_sizes"}:
        return None  # "what colours does it come in, pls"
    if _swaps(reading, groups):
        return None  # "tausch ihn bitte gegen navy um": the line just added, changed
    return _PLEASE.search(reading.text)


def _swaps(reading: Reading, groups: set[str]) -> bool:
    """Whether the message swaps something ("swap it for", "instead"): no new choice."""
    return "instead" in groups or apart_hits(reading.text, reading.lang, "swap_for") > 0


def _polite_pick(reading: Reading, groups: set[str]) -> re.Match[str] | None:
    """Return the "please" of a pick asked for with no question ("the cheaper one pls")."""
    if "?" in reading.text or groups & {"show_me", "asks_have", "compare_ask"}:
        return None  # "show me the cheapest pls" asks to see
    if _swaps(reading, groups):
        return None
    return _PLEASE.search(reading.text) if picks(reading, groups) else None


def _then_value(reading: Reading) -> re.Match[str] | None:
    """Return the "then" that a value follows, if one does ("ok then XL")."""
    starts = {s.start for s in reading.spans if s.slot in _VALUE_SLOTS}
    return next((m for m in _THEN.finditer(reading.text) if m.end() in starts), None)


def picks(reading: Reading, groups: set[str]) -> bool:
    """Whether the message picks by price or rating ("the cheaper one", "el más barato")."""
    return bool(groups & PICK_GROUPS) or reading.sort is not None


def other_chosen(reading: Reading, state: FlowState, shown_types: set[str]) -> bool:
    """Return True when a statement settles on "the other one" of two shown products.

    "not the pink one obviously. the other one, in white", "dann den anderen": no question,
    no new kind or budget, and two products to choose between.
    """
    if not says_other(reading) or reading.text.rstrip().endswith("?"):
        return False
    if set(reading.products) - shown_types or reading.budget_max or reading.budget_min:
        return False
    return len(pair(state)) == 2
