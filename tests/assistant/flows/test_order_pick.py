"""Which order a message means, from the customer's orders (no store needed)."""

from __future__ import annotations

from assistant.flows.command import Command
from assistant.flows.order_flows import _pick_order

ORDERS = [
    {"order_id": "#W1", "status": "delivered", "items": []},
    {"order_id": "#W2", "status": "processed", "items": []},
]


def test_a_status_the_reading_guessed_that_no_order_has_picks_as_if_unsaid() -> None:
    # "where is my order?? it's been ages" read as asking after the pending one: the only
    # order is processed, and it is the one meant
    guessed = Command(action="order_status", order="pending")
    assert _pick_order(ORDERS[1:], "where is my order?? it's been ages", guessed) == ORDERS[1]
    # with several orders and none pending, still no guess: the conversation's last order
    assert _pick_order(ORDERS, "where is my order", guessed, last="#W1") == ORDERS[0]


def test_a_status_typed_that_no_order_has_picks_none() -> None:
    typed = Command(action="order_status", order="pending")
    assert _pick_order(ORDERS[1:], "where is my pending order", typed) is None
    delivered = Command(action="order_status")
    assert _pick_order(ORDERS, "the delivered one", delivered) == ORDERS[0]
