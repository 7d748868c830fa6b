"""One pick per kind in one message, with two kinds on screen.

The phrasings are written for these tests (none is in the reader's corpus or the eval
suites); every check reads the conversation's cart and the store, never a fixed string.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from catalog.models import Product
from tests.assistant.flows.test_cart import cart
from tests.assistant.test_flows import Flow


def _type_of(flow: Flow, product_id: str) -> str:
    with Session(flow.engine) as s:
        product = s.get(Product, product_id)
        assert product is not None
        return str((product.attributes or {}).get("type", ""))


@pytest.mark.parametrize(
    ("search", "pick"),
    [
        (
            "i need a garden hose and pruning shears",
            "put the cheapest garden hose and the cheapest pruning shears in my cart",
        ),
        (
            "ich brauche einen Gartenschlauch und eine Gartenschere",
            "vom Schlauch den billigsten und von den Scheren die günstigste, ab in den Warenkorb",
        ),
    ],
)
async def test_one_pick_of_each_kind_shown(flow: Flow, search: str, pick: str) -> None:
    r = await flow.say(search)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for card in r.cards:
        by_kind.setdefault(_type_of(flow, str(card["id"])), []).append(card)
    if len(by_kind) != 2:
        pytest.skip(f"the search showed {sorted(by_kind)}")
    r = await flow.say(pick)
    in_cart = {ln.product_id for ln in cart(flow).lines}
    for cards in by_kind.values():
        cheapest = min(cards, key=lambda c: float(c["price"]))
        # added, or its options asked for by name
        assert str(cheapest["id"]) in in_cart or str(cheapest["name"]) in r.reply, r.reply
    assert len(in_cart) <= 2, r.reply
