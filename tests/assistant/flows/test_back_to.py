"""Back to a list shown before, and what a product is made of (phrasings written for this).

Every check reads the cards and the store, never a fixed string.
"""

from __future__ import annotations

import pytest

from tests.assistant.flows.test_cart import shown
from tests.assistant.test_flows import Flow


@pytest.mark.parametrize(
    ("first", "second", "back"),
    [
        ("any backpacking tents?", "also need a headlamp", "ok going back to the tents from before. the cheapest one - what's it made of?"),
        ("zeig mir zelte", "und stirnlampen", "zurück zu den zelten von vorhin: woraus ist das günstigste?"),
        ("mi fai vedere delle tende da campeggio?", "e poi delle lampade frontali", "torniamo alle tende di prima: la più economica di che materiale è?"),
    ],
)  # fmt: skip
async def test_the_cheapest_of_a_list_from_before(
    flow: Flow, first: str, second: str, back: str
) -> None:
    tents = await shown(flow, first)
    lamps = await shown(flow, second)
    assert {c["id"] for c in tents}.isdisjoint({c["id"] for c in lamps})
    r = await flow.say(back)
    cheapest = min(tents, key=lambda c: float(c["price"]))
    assert str(cheapest["name"]) in r.reply, r.reply
    assert [c["id"] for c in r.cards] == [cheapest["id"]], r.cards


async def test_no_back_cue_is_a_new_search(flow: Flow) -> None:
    await shown(flow, "any backpacking tents?")
    await shown(flow, "also need a headlamp")
    r = await flow.say("show me tents, cheapest first")
    assert "search_catalog" in r.tools_used, r.reply  # searched again, not put back
    prices = [float(c["price"]) for c in r.cards]
    assert prices and prices == sorted(prices), r.reply


async def test_what_a_shown_product_is_made_of(flow: Flow) -> None:
    cards = await shown(flow, "any backpacking tents?")
    r = await flow.say("what's the first one made of?")
    product = flow.chat.deps.searcher  # the record's material, from the store
    from sqlmodel import Session

    from catalog.models import Product

    with Session(flow.engine) as s:
        record = s.get(Product, str(cards[0]["id"]))
        assert record is not None
        material = str((record.attributes or {}).get("material"))
    assert material in r.reply, r.reply
    del product


@pytest.mark.parametrize(
    "back",
    [
        "ok nvm the clock for now. back to the lamps, the first one pls",
        "lascia perdere l'orologio. torniamo alle lampade: la prima, grazie",
        "bon, oublie l'horloge. revenons aux lampes, la première stp",
    ],
)
async def test_back_to_a_kind_named_by_the_head_of_its_name_takes_from_that_list(
    flow: Flow, back: str
) -> None:
    from tests.assistant.flows.test_cart import cart

    lamps = await shown(flow, "need a desk lamp")
    await shown(flow, "whats your cheapest wall clock", at_least=1)
    r = await flow.say(back)
    lines = cart(flow).lines
    # the first lamp of the list from before: added, or its options asked for by name
    assert [ln.product_id for ln in lines] == [lamps[0]["id"]] or (
        not lines and str(lamps[0]["name"]) in r.reply
    ), r.reply
    assert r.proposal is None and not flow.audit(), r.reply  # no return of an order
