"""Every check type has a known-good and a known-bad scripted transcript.

Each test runs a real scenario through the real runner (fresh store copy, real chat
service, real tools) with the scripted LLM, and asserts the check passes on the good
transcript and fails on the bad one: no check can pass by construction.
"""

from __future__ import annotations

from typing import Any

import pytest

from evals.checks import matching_set
from evals.facts import ProductFacts
from evals.scenario import CardsExpect
from tests.evals.conftest import Harness, call, passed

Pair = tuple[dict[str, Any], list[str], dict[str, Any], list[str]]


def product(h: Harness, *, priced_over: float = 5.0) -> ProductFacts:
    """A product with an in-stock variant, some features and a price above ``priced_over``."""
    for p in sorted(h.ctx.facts.products.values(), key=lambda p: p.id):
        price = p.price_for(None, None, None)
        if price and price > priced_over and len(p.features) >= 2:
            return p
    raise AssertionError("the test store has no suitable product")


def other(h: Harness, p: ProductFacts) -> ProductFacts:
    """A product of another type and category than ``p``."""
    return next(
        q
        for q in sorted(h.ctx.facts.products.values(), key=lambda q: q.id)
        if q.type != p.type and q.category != p.category
    )


def price(p: ProductFacts) -> float:
    value = p.price_for(None, None, None)
    assert value is not None
    return value


def show(p: ProductFacts, reply: str = "Here it is.") -> list[str]:
    return [call("get_product", product_id=p.id), reply]


async def check_pair(
    h: Harness,
    name: str,
    good: tuple[dict[str, Any], list[str]],
    bad: tuple[dict[str, Any], list[str]],
) -> None:
    h.llm.enqueue(*good[1])
    good_run = await h.run(good[0])
    assert passed(good_run, name), [c for c in good_run.all_checks() if c.check == name]
    h.llm.enqueue(*bad[1])
    bad_run = await h.run(bad[0])
    assert not passed(bad_run, name), f"{name} did not fail on the bad transcript"


def turn(user: str, **expect: Any) -> dict[str, Any]:
    return {"turns": [{"user": user, "expect": expect}]}


CARD_CASES = ["min", "max", "max_price", "min_price", "type", "category", "feature", "options"]


@pytest.mark.parametrize("key", CARD_CASES)
async def test_card_constraint_checks(harness: Harness, key: str) -> None:
    p = product(harness)
    q = other(harness, p)
    v_opts, _v_price, _ok = next(v for v in p.variants if v[2])
    good_exp: dict[str, Any] = {
        "min": {"min": 1},
        "max": {"max": 0},
        "max_price": {"max_price": price(p) + 1},
        "min_price": {"min_price": price(p) - 1},
        "type": {"type": [p.type]},
        "category": {"category": [p.category]},
        "feature": {"feature": p.features[0]},
        "options": {"options": v_opts},
    }[key]
    bad_exp: dict[str, Any] = {
        "min": {"min": 1},
        "max": {"max": 0},
        "max_price": {"max_price": price(p) - 1},
        "min_price": {"min_price": price(p) + 1},
        "type": {"type": [q.type]},
        "category": {"category": [q.category]},
        "feature": {"feature": "teleportation"},
        "options": {"options": {**v_opts, next(iter(v_opts)): "no-such-value"}},
    }[key]
    good_script = ["Hello!"] if key == "max" else show(p)
    bad_script = ["Hello!"] if key == "min" else show(p)
    if key == "max":
        good_exp, bad_exp = {"max": 0, "min": 0}, {"max": 0, "min": 0}
    await check_pair(
        harness,
        f"cards.{key}",
        (turn("show me", cards=good_exp), good_script),
        (turn("show me", cards=bad_exp), bad_script),
    )


async def test_cards_sorted(harness: Harness) -> None:
    p = product(harness)
    harness.llm.enqueue(*show(p))
    one = await harness.run(turn("x", cards={"sorted": "price_asc"}))
    assert passed(one, "cards.sorted")
    outcomes = []
    for direction in ("price_asc", "price_desc"):
        harness.llm.enqueue(call("search_catalog", query=p.type), "Here are some.")
        run = await harness.run(turn("x", cards={"min": 2, "sorted": direction}))
        outcomes.append(passed(run, "cards.sorted"))
    assert not all(outcomes), "several distinct prices cannot be sorted both ways"


@pytest.mark.parametrize("key", ["cheapest", "best_rated"])
async def test_cheapest_and_best_rated(harness: Harness, key: str) -> None:
    facts = harness.ctx.facts
    ptype = next(
        t
        for t in sorted({p.type for p in facts.products.values()})
        if len(matching_set(CardsExpect(type=[t]), facts, set())) >= 3
    )
    pool = matching_set(CardsExpect(type=[ptype]), facts, set())
    if key == "cheapest":
        ranked = sorted(pool, key=lambda pid: pool[pid])
    else:
        ranked = sorted(pool, key=lambda pid: -(facts.products[pid].rating or 0))
    best, worst = facts.products[ranked[0]], facts.products[ranked[-1]]
    exp = {"type": [ptype], key: True}
    await check_pair(
        harness,
        f"cards.{key}",
        (turn("x", cards=exp), show(best)),
        (turn("x", cards=exp), show(worst)),
    )


async def test_not_purchased(harness: Harness) -> None:
    index = harness.ctx.index
    user = index.pick("delivered")
    assert user is not None
    bought_id = index.first_item[index.values(user)["delivered_order"]].product_id
    from evals.facts import purchased_products

    bought = purchased_products(harness.ctx.store.searcher.engine, user.id)
    fresh = next(
        p
        for pid, p in sorted(harness.ctx.facts.products.items())
        if pid not in bought and p.price_for(None, None, None)
    )
    scen = {"customer": "delivered", **turn("x", cards={"not_purchased": True})}
    await check_pair(
        harness,
        "cards.not_purchased",
        (scen, show(fresh)),
        (scen, show(harness.ctx.facts.products[bought_id])),
    )


REPLY_CASES: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "language",
        {"language": "de"},
        "Hier ist die Lampe, die Sie gesucht haben.",
        "Here is the lamp you were looking for.",
    ),
    ("mentions_any", {"mentions_any": ["lamp", "light"]}, "A fine lamp.", "A fine chair."),
    ("mentions_all", {"mentions_all": ["lamp", "steel"]}, "A steel lamp.", "A lamp."),
    ("not_mentions", {"not_mentions": ["def "]}, "I help with shopping.", "def f(): pass"),
]


@pytest.mark.parametrize(("key", "exp", "good", "bad"), REPLY_CASES)
async def test_reply_text_checks(
    harness: Harness, key: str, exp: dict[str, Any], good: str, bad: str
) -> None:
    await check_pair(
        harness, f"reply.{key}", (turn("hi", reply=exp), [good]), (turn("hi", reply=exp), [bad])
    )


async def test_grounded_prices_and_products(harness: Harness) -> None:
    p = product(harness)
    q = other(harness, p)
    await check_pair(
        harness,
        "reply.grounded_prices",
        (turn("x", reply={"grounded_prices": True}), show(p, f"Only ${price(p):.2f}!")),
        (turn("x", reply={"grounded_prices": True}), show(p, "Only $12,345.67!")),
    )
    await check_pair(
        harness,
        "reply.grounded_products",
        (turn("x", reply={"grounded_products": True}), show(p, f"The {p.name}.")),
        (turn("x", reply={"grounded_products": True}), show(p, f"The {q.name}.")),
    )


async def test_escalated_and_authenticated(harness: Harness) -> None:
    esc = turn("a human please", escalated=True)
    await check_pair(
        harness,
        "escalated",
        (esc, [call("transfer_to_human_agents", summary="wants a human"), "OK"]),
        (esc, ["I am happy to help you myself."]),
    )
    auth = {"customer": "pending", **turn("my email is {email}", authenticated=True)}
    email = harness.ctx.index.values(harness.ctx.index.pick("pending"))["email"]
    await check_pair(
        harness,
        "authenticated",
        (auth, [call("find_user_id_by_email", email=email), "Thanks!"]),
        (auth, ["Thanks!"]),
    )
    await check_pair(
        harness,
        "tools",
        (turn("x", tools=["get_product"]), show(product(harness))),
        (turn("x", tools=["get_product"]), ["No."]),
    )
    await check_pair(
        harness,
        "no_tools",
        (turn("x", no_tools=["get_product"]), ["No."]),
        (turn("x", no_tools=["get_product"]), show(product(harness))),
    )
