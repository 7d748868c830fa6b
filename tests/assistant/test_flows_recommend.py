"""The recommend flow: which list a message asks for, cards with reasons, shop rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from catalog.models import Order, OrderItem
from evals.stores import EvalStore
from tests.assistant.test_flows import Flow, cmd, flow_on_copy, types_of


@pytest.fixture()
def flow(eval_store: EvalStore, tmp_path: Path) -> Iterator[Flow]:
    made = flow_on_copy(eval_store, tmp_path)
    yield made
    made.engine.dispose()


def _bought(flow: Flow, user_id: str) -> tuple[set[str], set[str]]:
    with Session(flow.engine) as s:
        rows = s.exec(
            select(OrderItem.product_id, OrderItem.name)
            .join(Order, col(Order.id) == col(OrderItem.order_id))
            .where(col(Order.user_id) == user_id, col(Order.status) != "cancelled")
        ).all()
    return {p for p, _ in rows}, {n for _, n in rows}


async def test_signed_in_customer_gets_unbought_picks_with_reasons_naming_their_orders(
    flow: Flow,
) -> None:
    v = flow.customer("delivered")
    text = (
        f"Hi, I'm {v['first_name']} {v['last_name']}, zip {v['zip']}. Could you recommend "
        "a few things I'd like, based on what I've bought before?"
    )
    r = await flow.say(text, cmd(action="recommend", name=f"{v['first_name']} {v['last_name']}"))
    assert r.tools_used == ["find_user_id_by_name_zip", "recommend_products"]
    assert len(r.cards) >= 3
    bought_ids, bought_names = _bought(flow, v["user_id"])
    assert not {c["id"] for c in r.cards} & bought_ids, "never recommend what they own"
    for card in r.cards:
        assert card["in_stock"] and card["reason"]
        if card["reason"].startswith("Because you bought the "):
            assert card["reason"].removeprefix("Because you bought the ") in bought_names
    assert r.cards[0]["name"] in r.reply and "Once you're verified" not in r.reply


async def test_alternatives_to_a_shown_product_are_the_same_type(flow: Flow) -> None:
    r = await flow.say("What's the cheapest camping stove you sell?")
    cheapest = r.cards[0]
    r = await flow.say("Show me a few alternatives similar to that one.", cmd(action="refine"))
    assert r.tools_used == ["recommend_products"]
    assert r.cards and types_of(flow, r) == {"Camping Stove"}
    assert cheapest["id"] not in {c["id"] for c in r.cards}
    assert all(cheapest["name"] in c["reason"] for c in r.cards)
    assert cheapest["name"] in r.reply


async def test_what_goes_with_a_shown_product_excludes_its_own_type(flow: Flow) -> None:
    r = await flow.say("Show me hiking backpacks")
    r = await flow.say("what goes well with that?", cmd(action="smalltalk"))
    assert r.tools_used == ["recommend_products"]
    assert r.cards and "Hiking Backpack" not in types_of(flow, r)
    assert all(c["reason"].startswith("Often bought with") for c in r.cards)


async def test_anonymous_shopper_gets_what_they_looked_at_not_random_best_sellers(
    flow: Flow,
) -> None:
    await flow.say("Show me sleeping bags")
    r = await flow.say("can you recommend something for me?", cmd(action="recommend"))
    assert r.tools_used == ["recommend_products"] and r.cards
    assert any("looked at" in c["reason"] for c in r.cards)
    assert "Sign in with your email" in r.reply  # tells them how to get picks from their orders


async def test_cold_start_is_best_sellers_with_reasons(flow: Flow) -> None:
    r = await flow.say("any recommendations?", cmd(action="recommend"))
    assert r.tools_used == ["recommend_products"] and r.cards
    assert all(c["reason"].startswith("Popular in") for c in r.cards)


async def test_recommend_naming_a_product_type_is_a_search(flow: Flow) -> None:
    r = await flow.say("can you recommend a good headlamp?")  # read by code, no model call
    assert r.tools_used == ["search_catalog"] and types_of(flow, r) == {"Headlamp"}


async def test_budget_in_the_message_filters_recommendations(flow: Flow) -> None:
    r = await flow.say("recommend me something popular under $40", cmd(action="recommend"))
    assert r.tools_used == ["recommend_products"] and r.cards
    assert all(c["price"] <= 40 for c in r.cards)


async def test_size_in_the_message_means_in_stock_in_that_size(flow: Flow) -> None:
    r = await flow.say("What's popular in size 10?", cmd(action="recommend", size="10"))
    assert r.tools_used == ["recommend_products"] and r.cards
    for card in r.cards:
        assert any(v["available"] and v["options"].get("size") == "10" for v in card["variants"]), (
            card["name"]
        )
