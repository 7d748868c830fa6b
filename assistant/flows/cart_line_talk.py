"""What a cart message says of the line it touches: another value, one more, out it goes.

Predicates of the cart's reading step (``cart_request``) about the line the last turn
added or changed: "the red one instead" swaps its colour, "oh and the olive one too" adds
one more besides it, "take the socks out" removes it, "swap it for the navy one" right
after an add is that line in navy, not an exchange of an order.
"""

from __future__ import annotations

from assistant.flows.state import FlowState
from assistant.nlu.message import Reading
from assistant.nlu.ordinals import word_positions

# words that pick a shown product by how it compares ("the cheaper one")
PICK_GROUPS = {"cheaper", "pricier", "better"}


def changes_line_just_touched(
    reading: Reading,
    state: FlowState,
    *,
    asks_total: bool = False,
    both: bool = False,
    kinds: set[str] | frozenset[str] = frozenset(),
) -> bool:
    """Whether the message names another colour or size for the line the last turn touched.

    Right after an add, "the red one instead" / "doch lieber M" is that line in red / in M,
    not a new search; no product, no position named. ``asks_total``: the message asks for
    the cart's total too (its question mark is that question's); ``both``: its "both" or
    "all of them" are the line's items; ``kinds``: the kinds on screen, which the message
    may name of the line ("swap them for navy? same bottle same size").
    """
    if not state.touched_last_turn():
        return False
    if set(reading.products) - set(kinds) or reading.items:
        return False
    if word_positions(reading.text) and not both:
        return False  # (unless "both" is the line's items: "switch them both to blue")
    swap_asked = reading.write == "exchange"  # "… in weiß. kannst du den tauschen?"
    if reading.text.rstrip().endswith("?") and not (asks_total or swap_asked):
        return False  # "actually, is it there in red?" asks
    return bool(reading.colors or reading.sizes or reading.options)


def swaps_line(reading: Reading, groups: set[str], state: FlowState) -> bool:
    """Whether "instead" / "rather in" names another value for the line just touched."""
    return bool(groups & {"instead", "same_but"}) and changes_line_just_touched(reading, state)


def one_more_besides(reading: Reading, groups: set[str], state: FlowState) -> bool:
    """Whether "also" / "too" names other values right after an add (no position)."""
    valued = bool(reading.colors or reading.sizes or reading.options)
    return (
        "also" in groups
        and valued
        and state.touched_last_turn()
        and not (reading.items or word_positions(reading.text))
    )


def points_at_line(reading: Reading) -> bool:
    """Whether the message names a cart line by a value or a position ("the olive one")."""
    return bool(reading.colors or reading.sizes or reading.options or reading.items)


def points_at_shown(reading: Reading, groups: set[str]) -> bool:
    """Whether the message points at a shown product by a word ("another of the red one")."""
    return bool(reading.colors or reading.sizes or groups & (PICK_GROUPS | {"refer_one"}))


def takes_out(reading: Reading, groups: set[str], state: FlowState) -> bool:
    """Whether a verb split round its thing takes a cart line out ("take the socks out").

    No order is named (a write kind, "my order"): with things in the cart, the thing is
    one of its lines, whatever else the reader leans to.
    """
    if not ({"cart_out", "take"} <= groups and state.cart_count) or reading.write:
        return False
    if "my_order" in groups or reading.order_ids:
        return False
    return bool(reading.products or points_at_line(reading) or "refer_one" in groups)


def swaps_not_an_order(
    reading: Reading,
    groups: set[str],
    state: FlowState,
    kinds: set[str] | frozenset[str] = frozenset(),
) -> bool:
    """Whether an exchange asked right after an add is the cart line's ("swap it for navy").

    No order is named (no order id, no "my order"), and the message names another value
    for the line the last turn touched: the shopper changes what goes in the cart.
    """
    if reading.write != "exchange" or reading.order_ids or "my_order" in groups:
        return False
    if "order_word" in reading.cue_groups:
        return False
    return changes_line_just_touched(reading, state, kinds=kinds)
