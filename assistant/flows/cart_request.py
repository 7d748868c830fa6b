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

from assistant.flows.cart_first import choice_then_more
from assistant.flows.cart_line_talk import (
    PICK_GROUPS,
    changes_line_just_touched,
    one_more_besides,
    points_at_line,
    points_at_shown,
    swaps_line,
    swaps_not_an_order,
    takes_out,
)
from assistant.flows.cart_quantities import (
    bare_numbers,
    budgets_are_counts,
    counts_are_not_positions,
    counts_of,
    quantities_in,
)
from assistant.flows.follow_up import FIRSTS, several_picked
from assistant.flows.option_words import matching_choices
from assistant.flows.recommend_flow import recommend_kind
from assistant.flows.state import FlowState
from assistant.nlu.cues import apart_hits, dialogue_hits
from assistant.nlu.message import Reading
from assistant.nlu.ordinals import word_positions
from assistant.nlu.tokens import keys, word_tokens

CartOp = Literal["add", "remove", "update", "view", "checkout"]
# The reader's intent is taken as a cart request at this probability or more.
CART_CONFIDENCE = 0.5
# Intents that are something else when the reader is sure of them and no cart word is said.
_OTHER = {"start_write", "order_status", "authenticate", "translate", "describe", "handoff"}


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
    first_end: int | None = None  # the add is the message's first sentence; a search follows
    rest_at: int | None = None  # where the part after the first one starts
    # the kind to add is not on screen: searched as asked first, its leader then added
    # ("und dazu 2 t-shirts, das günstigste das ihr habt, in grün größe M")
    search_first: bool = False
    # the message's parts, each one operation done in turn ("cambialo con il secondo")
    parts: list[Reading] | None = None

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


_SENTENCES = re.compile(r"(?<=[.?!;])\s+")
# a choice settled on, said last in its clause: "the Alpenrock one in L then", "die
# blaue dann", "la bleue alors", "la azul entonces", "la blu allora"
_SETTLED = re.compile(r"\b(?:then|dann|alors|entonces|allora)\s*(?:[,.!]|$)", re.IGNORECASE)


def _all_taken_out(reading: Reading) -> bool:
    """Whether "everything" is said of what goes out, not of a total asked after it.

    ("nimm den grünen raus. was kostet jetzt alles?" takes one line out)
    """
    sentences = [s for s in _SENTENCES.split(reading.text) if s.strip()]
    if len(sentences) < 2:
        return True
    for sentence in sentences:
        said = {h.group for h in dialogue_hits(sentence, reading.lang)}
        if "cart_all" in said and said & (_REMOVE_WORDS | {"cart_word"}) - {"cart_all"}:
            return True
    return False


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
    named = matching_choices(reading.text, [str(c) for c in asked.get("choices", [])])
    return [*typed, *(c for c in named if c not in typed)]


# Cue groups a bare choice of a shown product may hold ("the cheaper one", "la première").
_CHOICE_GROUPS = {
    "article", "one", "refer_one", "cheaper", "pricier", "better", "cart_qty", "order_by", "cart",
    "any_value", "option_color", "option_size", "ask_colors", "ask_sizes", "cart_put", "qty_unit",
    "refer_many", "make_it", "cart_more", "also",
}  # fmt: skip
# words that say to take something out of the cart (the head alone never removes)
_REMOVE_WORDS = {"cart_remove", "cart_out", "cart_all"}
# a change of a cart line naming a kind not on screen, and no count, is read as one only
# this sure (else it asks for that kind: a search)
SURE_CHANGE = 0.8
# Groups that say "cart" in some way: a message naming a product without any of them is a
# search, whatever the reader's intent says ("2 personen zelt in grün").
_CART_WORDS = {
    "cart", "cart_put", "cart_word", "cart_view", "cart_remove", "checkout", "cart_qty",
    "make_it", "cart_more", "only_one", "cart_budget", "qty_unit",
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
    picked = _picks(reading, groups)
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


def _chosen(reading: Reading, groups: set[str], state: FlowState) -> bool:
    """Return True when a short statement settles on one shown product ("the X it is").

    A choice word, a definite pointer (an article, a position) and no new product, no
    question: "eh ok the brightwave it is", "je prends la deuxième", "me quedo con el rojo".
    """
    text = reading.text
    # "ugh fine, the Alpenrock one in L then, he likes …", "va bene allora XL"
    settled = _SETTLED.search(text) or _then_value(reading)
    # "vale, ese, en rojo y el 1:10": a yes and "that one", with its values
    agreed = "agree" in reading.cue_groups and "refer_one" in groups
    if not ("chosen" in groups or settled or agreed) or not state.shown:
        return False
    if text.strip().endswith("?"):
        return False
    if reading.products or reading.budget_max or reading.budget_min:
        return False  # (an unknown word may be a shown brand: "the brightwave it is")
    valued = bool(reading.sizes or reading.colors or reading.options)
    if "chosen" not in groups and (not valued or several_picked(reading, groups)):
        return False  # "show me the cheapest then", "fine, the blue ones then"
    pointed = bool(reading.items or word_positions(text)) or "article" in groups
    # the one product just talked about, a value said of it: "XL then, any colour"
    pointed = pointed or (valued and len(state.focus) == 1)
    said = text[: settled.end()] if settled and "chosen" not in groups else text
    return pointed and len(keys(said)) <= 10


# "then" right before a value: "ok then XL", "va bene allora XL", "dann in Blau"
_THEN = re.compile(
    r"\b(?:then|dann|alors|entonces|allora)\s+(?:(?:in|im|en|the|la|le|el|il|den|die)\s+)?",
    re.IGNORECASE,
)
_VALUE_SLOTS = {"size", "color", "option"}


def _then_value(reading: Reading) -> re.Match[str] | None:
    """Return the "then" that a value follows, if one does ("ok then XL")."""
    starts = {s.start for s in reading.spans if s.slot in _VALUE_SLOTS}
    return next((m for m in _THEN.finditer(reading.text) if m.end() in starts), None)


def _picks(reading: Reading, groups: set[str]) -> bool:
    """Whether the message picks by price or rating ("the cheaper one", "el más barato")."""
    return bool(groups & PICK_GROUPS) or reading.sort is not None


def asks_budget(reading: Reading, groups: set[str]) -> bool:
    """Return True for "am I still under 150?" / "bin ich jetzt über 150?" (about the cart)."""
    said = not (
        reading.budget_max is None and reading.budget_min is None and reading.budget_about is None
    )
    return "cart_budget" in groups or ("self_q" in groups and said and not reading.products)


def _op_from_cues(groups: set[str], state: FlowState, reading: Reading) -> CartOp | None:
    """Return the cart operation the cue words alone make plain (None: not a cart request)."""
    if "checkout" in groups:
        return "checkout"
    if state.cart_count and asks_budget(reading, groups):
        return "view"
    cart_said = bool(groups & {"cart_word", "cart_view"})
    if "cart_remove" in groups and (cart_said or state.cart_line is not None):
        return "remove"
    if "cart_all" in groups and "cart_word" in groups:
        return "remove"
    if "cart_view" in groups:
        return "view"
    if "cart_more" in groups and state.cart_line is not None and not reading.products:
        return "add"  # "encore un stp": one more of the line just added
    if "cart" in groups and state.shown:
        return "add"
    if "cart_put" in groups and "cart_word" in groups and state.shown:
        return "add"  # "pon los más baratos en el carrito"
    if cart_said:
        points = bool(reading.items or reading.sort or reading.colors or reading.sizes)
        points = points or bool(groups & ({"refer_one"} | PICK_GROUPS))
        return "add" if state.shown and points else "view"
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


def _asks_about(reading: Reading, groups: set[str]) -> bool:
    """Whether the message asks to hear about a product and no word names the cart.

    ("tell me about the first one" is no add; "the second one please" may be.)
    """
    return "tell_about" in groups and not groups & _CART_WORDS


def request_of(
    reading: Reading | None, state: FlowState, shown_types: set[str]
) -> CartRequest | None:
    """Return the cart operation the message asks for (None: it asks none).

    ``shown_types`` are the product types on screen: a message that names another kind
    of product is a search, even with "add" in it ("add a tent to my search").
    """
    if reading is None or state.pending or recommend_kind(reading.text) in ("together", "similar"):
        return None  # "what goes with my cart?" is a recommendation
    # an order change read by the write head alone, with things in the cart and no order
    # words, may be the cart's ("take the board games out … what do i owe now")
    writes = bool(reading.write) and (
        reading.intent in ("start_write", "order_status") or not state.cart_count
    )
    if writes and state.cart_count:
        said = {h.group for h in dialogue_hits(reading.text, reading.lang)}
        writes = not swaps_not_an_order(reading, said, state)  # "swap it for navy" after an add
    if reading.email or reading.order_ids or writes or reading.name:
        return None
    going = (state.intent or {}).get("action")
    if going in ("start_write", "order_status", "authenticate"):
        said = {h.group for h in dialogue_hits(reading.text, reading.lang)}
        if not said & {"cart_word", "cart_view"}:
            return None  # "put it on my gift card", "the same way I paid": the write's answer
    hits = dialogue_hits(reading.text, reading.lang)
    groups = {h.group for h in hits}
    if "compare_ask" in groups and not groups & (_CART_WORDS - {"cart"}):
        return None  # "compárame las dos porfa": a comparison, whatever the head says
    counts_are_not_positions(reading, hits)
    if state.cart_line is not None:
        budgets_are_counts(reading, hits)  # "make it 99" right after an add
    numbers, times = quantities_in(reading)
    request = CartRequest(
        op="add",
        quantities=numbers,
        everything="cart_all" in groups and _all_taken_out(reading),
        only_one="only_one" in groups,
        more="cart_more" in groups,
        qty_cue=times or "cart_qty" in groups,
    )
    asked = _asked(state)
    answers = asked is not None and (answer_values(reading, asked) or "any_value" in groups)
    if asked is not None and answers and not (set(reading.products) - shown_types):
        request.answer, request.asked = True, asked
        return request
    sure = reading.intent == "cart" and reading.confidence >= CART_CONFIDENCE
    op: CartOp | None = None
    if sure:
        op = _plain_op(groups) or reading.cart or _op_from_cues(groups, state, reading) or "add"
        if op == "remove" and not groups & _REMOVE_WORDS and word_positions(reading.text):
            op = "add"  # "la segunda" after a search: no word says to take anything out
        elif op == "add" and not groups & _CART_WORDS and swaps_line(reading, groups, state):
            op = "update"  # "uy mejor en L, la S me queda chica" right after the add
    elif (
        selects(reading, groups, len(state.shown), shown_types) or _chosen(reading, groups, state)
    ) and not _asks_about(reading, groups):
        # "the cheaper one", "ok the brightwave it is, XL pls" (not "tell me about the first
        # one", which the reader gives the cart almost no chance of)
        op = "add"
    elif state.shown and counts_of(reading.text, reading.lang):
        op = "add"  # "2 of the first one"
    elif takes_out(reading, groups, state):
        op = "remove"  # (an order change it is not: no order is named)
    elif state.cart_count and swaps_not_an_order(reading, groups, state):
        op = "update"  # "swap it for the dark blue one" right after the add: that line
    elif not (reading.intent in _OTHER and reading.confidence >= 0.6 and "cart_word" not in groups):
        op = _op_from_cues(groups, state, reading)
        if op is None and state.cart_line is not None and not set(reading.products) - shown_types:
            # "make it two", "just one of those": the line touched last
            if (request.qty_cue and numbers) or request.only_one:
                op = "update"
            elif swaps_line(reading, groups, state):
                # "ugh actually do the red one instead, same size", "rot ist mir zu grell.
                # lieber in blau" (the line's own colour is no change)
                op = "update"
    if op in ("add", "update") and request.only_one and one_more_besides(reading, groups, state):
        # "oh and that same shirt in olive, xxl, just one", "oh and the red one too, just 1":
        # one more line, in other values (not the line changed to them)
        op, request.more = "add", True
    if op is None and "make_it" in groups and numbers and state.cart_line is not None:
        if not reading.products and not word_positions(reading.text):
            op = "update"  # "mach 2 draus, ist für zwei geburtstage": no copywriting brief
    new_kind = bool(set(reading.products) - shown_types)  # "add it in 12 inch. also … puzzle"
    if state.shown and ((op is None and not sure) or (op == "add" and new_kind)):
        cut = choice_then_more(reading, hits, shown_types)
        if cut is not None:
            request.first_end, request.rest_at = cut
            request.op = "add"  # "the cheaper one in a medium pls. oh and …puzzle u got"
            return request
    if op is None:
        return None
    named = bool(reading.items or word_positions(reading.text))
    if op in ("update", "view", "remove") and state.shown and named and not state.cart_count:
        op = "add"  # "mettine due del primo" with an empty cart: nothing to change yet
    elif op == "update" and state.shown and _picks(reading, groups) and not state.cart_count:
        op = "add"  # "el más barato, ponme dos": nothing to change yet, a shown one picked
    elif (
        op == "view"
        and state.shown
        and _picks(reading, groups)
        and not state.cart_count
        and not reading.text.rstrip().endswith("?")
    ):
        op = "add"  # "il più economico nel carrello grazie": an empty cart, a shown one picked
    if op == "update" and state.shown and word_positions(reading.text):
        listed = state.cart_listed >= state.turn - 1  # (then "the first one" is a line)
        if state.cart_line is not None and not state.touched_last_turn() and not listed:
            op = "add"  # "ese primero también" after a new search: the first one shown
    if op == "remove" and "make_it" in groups and "cart_remove" not in groups and numbers:
        op = "update"  # "make it 2, my gf keeps stealing mine": a count, nothing taken out
    if op in ("update", "remove") and new_kind and not (numbers or request.qty_cue):
        # "und noch trekkingstöcke aus carbon", "und noch trinkflaschen aus edelstahl":
        # another kind, asked for as well (the material's "aus" takes nothing out)
        unsure = op == "update" and reading.confidence < SURE_CHANGE and not request.only_one
        if (unsure or "also" in groups) and not groups & {"cart_remove", "cart_out", "cart_word"}:
            return None
    if op in ("update", "remove") and not state.cart_count and reading.products:
        return None  # nothing to change, and a product named: "… die nicht ausläuft in der tasche"
    if op in ("update", "view") and "cart_put" in groups and state.shown:
        # "put the 2nd in", and after a new search "put the blue one of that in too" (the
        # line added before is no longer what the talk is about)
        if named or (points_at_shown(reading, groups) and not state.touched_last_turn()):
            op = "add"
    if (
        op in ("add", "update")
        and "cart_out" in groups
        and state.cart_count
        and not reading.text.rstrip().endswith("?")
    ):
        op = "remove"  # "take the first one out"
    elif op == "view" and "cart_out" in groups and state.cart_count and points_at_line(reading):
        op = "remove"  # "take the olive one out. whats my total now" (the reply says the total)
    if op == "add" and "make_it" in groups and state.cart_line is not None:
        counted, _times = quantities_in(reading, items_too=True)
        if counted and not word_positions(reading.text):
            op, request.quantities = "update", counted  # "make it 2": the line just added
    if op == "add" and state.cart_line is not None and not word_positions(reading.text):
        if request.more and not points_at_shown(reading, groups):
            op = "update"  # "one more of that pls, we have 2 dogs": the line just added
        elif request.qty_cue and bare_numbers(reading, hits) and not reading.products:
            counted, _times = quantities_in(reading, items_too=True)
            op, request.quantities = "update", counted  # "pon 2": two of the line just added
    if op == "view" and groups & {"cart_out", "cart_remove"} and state.cart_count:
        if reading.products or named:
            op = "remove"  # "take the mugs out, whats it come to now": the reply totals
    if op == "view" and "cart" in groups and "cart_remove" not in groups and state.shown:
        op = "add"  # "add 2 of that puzzle too. whats my total now": the add tells the total
    if op == "view" and "make_it" in groups and state.cart_line is not None:
        counted, _times = quantities_in(reading, items_too=True)
        if counted:  # "make it 3. what's my total now": the change's reply gives the total
            op, request.quantities = "update", counted
    if op == "view" and numbers and reading.products and state.cart_count and not named:
        op = "update"  # "actually only 2 shirts. whats my total now": the change totals
    if (
        op == "view"
        and "instead" in groups
        and changes_line_just_touched(reading, state, asks_total=True, both="all_items" in groups)
    ):
        op = "update"  # "switch them both to blue instead. whats the total now?"
    if (
        op == "add"
        and new_kind
        and reading.sort
        and "cart" in groups
        and len(reading.products) == 1
    ):
        request.op, request.search_first = "add", True
        return request
    if op == "add" and (reading.products or not state.shown) and not groups & _CART_WORDS:
        return None  # a product named (or nothing shown) and no cart word: a search
    if op == "update" and not numbers and not request.more:  # ("another of that, 3 dogs")
        request.quantities, _times = quantities_in(reading, items_too=True)
    if op == "view" and not sure and (reading.products or reading.missing or reading.categories):
        return None  # "do you sell shopping baskets?": a product, not the shopper's cart
    if op == "checkout" and reading.products:
        return None  # "cerco una cassa bluetooth": a product, not the till
    if op == "add" and set(reading.products) - shown_types and not sure:
        return None  # "add a tent too": a new search, not a shown product
    if op == "add" and not state.shown and state.cart_line is None and not sure:
        return None
    request.op = op
    return request
