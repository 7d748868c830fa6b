"""Whether a message asks something of the cart, and what: the cart's reading step.

The operation comes from the trained reader (intent ``cart`` and its ``cart`` head: add,
remove, update, view, checkout), backed by the dialogue cues of the message's language
(``cart_word``, ``cart_view``, ``cart_remove``, ``checkout``, ``cart_qty`` …) for the
messages the reader is unsure of. A message that answers the cart's own question ("which
size?" → "10 please") finishes the add it was asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from assistant.flows.recommend_flow import recommend_kind
from assistant.flows.state import FlowState
from assistant.nlu.cues import dialogue_hits
from assistant.nlu.message import Reading
from assistant.nlu.numbers import is_number_word, number_in
from assistant.nlu.ordinals import word_positions
from assistant.nlu.tokens import keys, norm, tokenize

CartOp = Literal["add", "remove", "update", "view", "checkout"]
# The reader's intent is taken as a cart request at this probability or more.
CART_CONFIDENCE = 0.5
# Intents that are something else when the reader is sure of them and no cart word is said.
_OTHER = {"start_write", "order_status", "authenticate", "translate", "describe", "handoff"}
# Words that are articles or "one" as in "the second one" more often than a quantity.
_NOT_QUANTITY = {"one", "un", "une", "uno", "una", "ein", "eine", "einen", "a", "an"}
# Slots whose numbers are not quantities ("size 9", "under 50", "the 2nd").
_NUMBER_SLOTS = {"size", "option", "budget_max", "budget_min", "budget_about", "item", "zip"}
_TIMES = re.compile(r"^(?:x(\d{1,2})|(\d{1,2})x)$", re.IGNORECASE)


@dataclass
class CartRequest:
    """One cart operation, as read from the message."""

    op: CartOp
    quantities: list[int]  # numbers typed that may be quantities (in order)
    everything: bool = False  # "empty my cart", "remove everything"
    only_one: bool = False  # "just one"
    more: bool = False  # "one more", "another one"
    qty_cue: bool = False  # "make it …", "… of those", "x2"
    answer: bool = False  # answers the cart's own question (which size / colour)
    asked: dict[str, Any] | None = None  # that question

    def quantity(self, option_values: set[str] | None = None) -> int | None:
        """Return the quantity asked for (None: not said).

        A number that is also one of the product's option values ("in 9") counts as a
        quantity only with a quantity cue ("make it 9", "9 of those").
        """
        if self.only_one:
            return 1
        values = {v.lower() for v in option_values or set()}
        for n in self.quantities:
            if str(n) in values and not self.qty_cue:
                continue
            return n
        return None


def quantities_in(reading: Reading) -> tuple[list[int], bool]:
    """Return the whole numbers 1–99 typed outside other slots, and whether "x2" was used."""
    taken = [(s.start, s.end) for s in reading.spans if s.slot in _NUMBER_SLOTS]
    out: list[int] = []
    times = False
    for token in tokenize(reading.text):
        if any(start <= token.start < end for start, end in taken):
            continue
        word = token.text.lower()
        match = _TIMES.match(word)
        if match:
            times = True
            out.append(int(match.group(1) or match.group(2)))
            continue
        if word in _NOT_QUANTITY or not (word.isdigit() or is_number_word(word)):
            continue
        value = number_in(word)
        if value is not None and value.is_integer() and 1 <= value <= 99:
            out.append(int(value))
    return out, times


def _asked(state: FlowState) -> dict[str, Any] | None:
    going = state.intent
    if going and going.get("action") == "cart" and going.get("turn") == state.turn - 1:
        return going
    return None


def answer_values(reading: Reading, asked: dict[str, Any]) -> list[str]:
    """Return the option values a message gives in answer to the cart's question.

    A choice counts when the message has all of its words ("32 inch" in "32 inch pls"),
    or its first word and that word is one choice's alone ("32 Zoll" for "32 inch").
    """
    typed = [*reading.sizes, *reading.colors, *reading.options.values()]
    return [*typed, *(c for c in matching_choices(reading.text, asked) if c not in typed)]


def matching_choices(text: str, asked: dict[str, Any]) -> list[str]:
    """Return the asked choices a message names, by their words (see answer_values)."""
    said = [norm(t.text) for t in tokenize(text)]
    choices = [str(c) for c in asked.get("choices", [])]
    words = {c: [norm(t.text) for t in tokenize(c)] for c in choices}
    whole = [c for c in choices if words[c] and all(w in said for w in words[c])]
    if whole:
        return [max(whole, key=lambda c: len(words[c]))]
    heads = [c for c in choices if words[c] and words[c][0] in said]
    firsts = [words[c][0] for c in heads]
    return [c for c in heads if firsts.count(words[c][0]) == 1][:1]


# Cue groups a bare choice of a shown product may hold ("the cheaper one", "la première").
_CHOICE_GROUPS = {
    "article", "one", "refer_one", "cheaper", "pricier", "better", "cart_qty", "order_by", "cart",
}  # fmt: skip
_PICK_GROUPS = {"cheaper", "pricier", "better"}


def selects(reading: Reading, groups: set[str], n_shown: int) -> bool:
    """Return True for a bare choice of one shown product: "the second one", "la première".

    A short message that only points at one shown product (by position or as "the
    cheaper one"), perhaps with a size or colour, and asks nothing, means "that one".
    """
    text = reading.text.strip()
    if not n_shown or text.endswith("?") or not groups <= _CHOICE_GROUPS:
        return False
    if reading.products or reading.features or reading.budget_max or reading.budget_min:
        return False
    named = reading.items or word_positions(text)
    one = len(named) == 1 or (not named and bool(groups & _PICK_GROUPS))
    return one and len(keys(text)) <= 6


def _op_from_cues(groups: set[str], state: FlowState, reading: Reading) -> CartOp | None:
    """Return the cart operation the cue words alone make plain (None: not a cart request)."""
    if "checkout" in groups:
        return "checkout"
    cart_said = bool(groups & {"cart_word", "cart_view"})
    if "cart_remove" in groups and (cart_said or state.cart_line is not None):
        return "remove"
    if "cart_all" in groups and "cart_word" in groups:
        return "remove"
    if "cart_view" in groups:
        return "view"
    if "cart" in groups and state.shown:
        return "add"
    if "cart_put" in groups and "cart_word" in groups and state.shown:
        return "add"  # "pon los más baratos en el carrito"
    if cart_said:
        return "add" if state.shown and (reading.items or "refer_one" in groups) else "view"
    return None


def _plain_op(groups: set[str]) -> CartOp | None:
    """Return the operation the cue words make plain whatever the head says (else None)."""
    if "checkout" in groups:
        return "checkout"
    if "cart_remove" in groups:
        return "remove"
    if "cart" in groups and "cart_view" not in groups:
        return "add"  # "I'll take the black one"
    if "cart_put" in groups and "cart_word" in groups and "cart_view" not in groups:
        return "add"  # "put the cheaper one in my cart"
    if "cart_view" in groups and "cart" not in groups:
        return "view"
    return None


def request_of(
    reading: Reading | None, state: FlowState, shown_types: set[str]
) -> CartRequest | None:
    """Return the cart operation the message asks for (None: it asks none).

    ``shown_types`` are the product types on screen: a message that names another kind
    of product is a search, even with "add" in it ("add a tent to my search").
    """
    if reading is None or state.pending or recommend_kind(reading.text) in ("together", "similar"):
        return None  # "what goes with my cart?" is a recommendation
    if reading.email or reading.order_ids or reading.write or reading.name:
        return None
    hits = dialogue_hits(reading.text, reading.lang)
    groups = {h.group for h in hits}
    numbers, times = quantities_in(reading)
    request = CartRequest(
        op="add",
        quantities=numbers,
        everything="cart_all" in groups,
        only_one="only_one" in groups,
        more="cart_more" in groups,
        qty_cue=times or "cart_qty" in groups,
    )
    asked = _asked(state)
    if (
        asked is not None
        and answer_values(reading, asked)
        and not (set(reading.products) - shown_types)
    ):
        request.answer, request.asked = True, asked
        return request
    sure = reading.intent == "cart" and reading.confidence >= CART_CONFIDENCE
    op: CartOp | None = None
    if sure:
        op = _plain_op(groups) or reading.cart or _op_from_cues(groups, state, reading) or "add"
    elif selects(reading, groups, len(state.shown)):
        op = "add"
    elif not (reading.intent in _OTHER and reading.confidence >= 0.6 and "cart_word" not in groups):
        op = _op_from_cues(groups, state, reading)
        if op is None and state.cart_line is not None and not reading.products:
            # "make it two", "just one of those": the line touched last
            if (request.qty_cue and numbers) or request.only_one:
                op = "update"
    if op is None:
        return None
    if op == "add" and set(reading.products) - shown_types and not sure:
        return None  # "add a tent too": a new search, not a shown product
    if op == "add" and not state.shown and state.cart_line is None and not sure:
        return None
    request.op = op
    return request
