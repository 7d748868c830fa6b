"""Whether a message asks something of the cart, and what: the cart's reading step.

The operation comes from the trained reader (intent ``cart`` and its ``cart`` head: add,
remove, update, view, checkout), backed by the dialogue cues of the message's language
(``cart_word``, ``cart_view``, ``cart_remove``, ``checkout``, ``cart_qty`` …) for the
messages the reader is unsure of. A message that answers the cart's own question ("which
size?" → "10 please") finishes the add it was asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from assistant.flows.cart_choice import SENTENCES, chosen, other_chosen, picks, selects
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
from assistant.flows.option_words import matching_choices
from assistant.flows.recommend_flow import recommend_kind
from assistant.flows.state import FlowState
from assistant.nlu.cues import dialogue_hits
from assistant.nlu.message import Reading
from assistant.nlu.ordinals import word_positions

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
    # "the cheapest" after a list by relevance: the shop's cheapest match, if not on screen
    cheapest_beyond: bool = False
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


def _all_taken_out(reading: Reading) -> bool:
    """Whether "everything" is said of what goes out, not of a total asked after it.

    ("nimm den grünen raus. was kostet jetzt alles?" takes one line out)
    """
    sentences = [s for s in SENTENCES.split(reading.text) if s.strip()]
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
    if "cart_put" in groups and "cart_qty" in groups and len(state.focus) == 1:
        return "add"  # "pon dos, una es para mi pareja" right after "the cheapest is X"
    if cart_said:
        points = bool(reading.items or reading.sort or reading.colors or reading.sizes)
        points = points or bool(groups & ({"refer_one"} | PICK_GROUPS))
        return "add" if state.shown and points else "view"
    return None


def _counts_a_pick(reading: Reading, groups: set[str], numbers: list[int]) -> bool:
    """Whether a statement picks by price or rating and counts units of it ("trois paires")."""
    if reading.text.rstrip().endswith("?") or reading.products or not numbers:
        return False
    return "qty_unit" in groups and picks(reading, groups)


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


def _new_leader(state: FlowState) -> bool:
    """Whether a list shown since the last cart change leads with another product.

    Then "mets-en deux" means two of that one, not two of the line added before it.
    """
    if state.touched_last_turn() or len(state.focus) != 1:
        return False
    return state.cart_product is not None and state.focus[0] != state.cart_product


def _takes_back_value(reading: Reading, groups: set[str], state: FlowState) -> bool:
    """Whether a "no" right after an add names another value for that line.

    "wait no sorry, the gravity one", "nee, doch in Schwarz", "*black sorry": the line just
    added is changed (a "too"/"also" adds one more besides it instead).
    """
    # "*black sorry": the chat way of correcting the message before
    corrects = "refuse" in reading.cue_groups or reading.text.lstrip().startswith("*")
    if not corrects or "also" in groups or not state.cart_count:
        return False
    return changes_line_just_touched(reading, state)


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
        # "swap it for navy" ("… same bottle same size") right after an add
        writes = not swaps_not_an_order(reading, said, state, shown_types)
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
    counted_kind = _count_of_kind(reading, request, numbers, state, shown_types)
    op: CartOp | None = None
    if sure:
        op = _plain_op(groups) or reading.cart or _op_from_cues(groups, state, reading) or "add"
        if op == "remove" and not groups & _REMOVE_WORDS and word_positions(reading.text):
            op = "add"  # "la segunda" after a search: no word says to take anything out
        elif op == "add" and not groups & _CART_WORDS and swaps_line(reading, groups, state):
            op = "update"  # "uy mejor en L, la S me queda chica" right after the add
    elif (
        selects(reading, groups, len(state.shown), shown_types)
        or chosen(reading, groups, state)
        or other_chosen(reading, state, shown_types)
    ) and not _asks_about(reading, groups):
        # "the cheaper one", "ok the brightwave it is, XL pls" (not "tell me about the first
        # one", which the reader gives the cart almost no chance of)
        op = "add"
    elif state.shown and counts_of(reading.text, reading.lang):
        op = "add"  # "2 of the first one"
    elif takes_out(reading, groups, state):
        op = "remove"  # (an order change it is not: no order is named)
    elif counted_kind:
        op = "add"  # "und die Schere dann bitte zweimal": the cart's line of it, if any
    elif state.cart_count and swaps_not_an_order(reading, groups, state, shown_types):
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
    if op in (None, "add") and _takes_back_value(reading, groups, state):
        op = "update"  # "wait no sorry, the gravity one": the line just added, in that value
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
    if op is None and state.search and _counts_a_pick(reading, groups, numbers):
        # "en L, rembourrage moyen, les moins chères. trois paires": the list narrowed as
        # said, then its leader added in that count
        request.op, request.search_first = "add", True
        return request
    if op is None:
        return None
    leader = _new_leader(state) and not (reading.products or points_at_line(reading))
    named = bool(reading.items or word_positions(reading.text))
    # "fine, that one. no backlight needed" of the one product just talked about
    named = named or ("refer_one" in groups and len(state.focus) == 1)
    if op in ("update", "view", "remove") and state.shown and named and not state.cart_count:
        op = "add"  # "mettine due del primo" with an empty cart: nothing to change yet
    elif op == "update" and numbers and leader:
        op = "add"  # "mets-en deux" after "… le moins cher aussi" showed another kind
    elif (
        op == "update"
        and state.shown
        and not state.cart_count
        and (picks(reading, groups) or other_chosen(reading, state, shown_types))
    ):
        op = "add"  # "el más barato, ponme dos", "dann den anderen. zwei stück": nothing to
        # change yet, a shown one picked
    elif (
        op == "view"
        and state.shown
        and picks(reading, groups)
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
    elif op == "remove" and counted_kind and not groups & {"cart_remove", "cart_out"}:
        op = "add"  # "the shears x2": a count of a kind, nothing taken out
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
    if op == "add" and "make_it" in groups and state.cart_line is not None and not leader:
        counted, _times = quantities_in(reading, items_too=True)
        if counted and not word_positions(reading.text):
            op, request.quantities = "update", counted  # "make it 2": the line just added
    if op == "add" and state.cart_line is not None and not word_positions(reading.text):
        if request.more and not points_at_shown(reading, groups):
            op = "update"  # "one more of that pls, we have 2 dogs": the line just added
        elif request.qty_cue and bare_numbers(reading, hits) and not reading.products:
            counted, _times = quantities_in(reading, items_too=True)
            # "pon 2": two of the line just added; after a new list led by another
            # product ("… le moins cher aussi" → "mets-en deux") two of that one
            if not _new_leader(state):
                op, request.quantities = "update", counted
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
        if not counted_kind:
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
    if op == "add" and _cheapest_beyond_shown(reading, groups, state, numbers, shown_types):
        request.cheapest_beyond = True  # the list by price first, when it leads elsewhere
    return request


# the cards one search shows: a list this long may leave cheaper matches unshown
SHOWN_PAGE = 5


def _count_of_kind(
    reading: Reading, request: CartRequest, numbers: list[int], state: FlowState, kinds: set[str]
) -> bool:
    """Whether a kind on screen is named with a count of it: "the shears twice please".

    With something in the cart and nothing else asked of the kind (no order, budget,
    feature or option): the add becomes the change of that kind's line when the cart
    has one.
    """
    if not (state.cart_count and request.qty_cue and numbers and reading.products):
        return False
    asked = reading.sort or reading.features or reading.options or reading.colors
    budget = (reading.budget_max, reading.budget_min, reading.budget_about) != (None,) * 3
    return not (asked or budget) and set(reading.products) <= kinds


def cheapest_beyond(reading: Reading, state: FlowState, kinds: set[str]) -> bool:
    """Whether an add's "the cheapest" means the search's cheapest, not the cards' (below)."""
    groups = {h.group for h in dialogue_hits(reading.text, reading.lang)}
    return _cheapest_beyond_shown(reading, groups, state, quantities_in(reading)[0], kinds)


def _cheapest_beyond_shown(
    reading: Reading, groups: set[str], state: FlowState, numbers: list[int], kinds: set[str]
) -> bool:
    """Whether "the cheapest" means the cheapest the search has, not of the cards on screen.

    "ok prendo i più economici", "von den Scheren die billigste" after a list ordered by
    relevance: five of perhaps more matches were shown, and the cheapest match is meant.
    Not "the cheapest of those" (a pointer at the cards), a position, "the cheaper of the
    two", nor a list already ordered by price.
    """
    if reading.sort != "price_asc" or reading.items or word_positions(reading.text):
        return False
    pointed = groups & {"the_two", "refer_many", "refer_one"} or (
        "qty_unit" in groups and not numbers
    )
    if pointed or set(reading.products) - kinds:
        return False
    searched = state.search.get("sort") in (None, "relevance") and state.search.get("type_query")
    return bool(searched) and len(state.shown) >= SHOWN_PAGE
