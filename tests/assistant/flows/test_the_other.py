"""Picks by "the other one", by a trait said or set aside, and a "no" that takes back a value.

The phrasings are written for these tests (none is in the reader's corpus or the eval
suites); every check reads the conversation's cart and the store, never a fixed string.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from catalog.models import Product
from tests.assistant.flows.test_cart import (
    ORDINALS,
    TWO_COLOUR_SEARCHES,
    added_in_m,
    cart,
    shown,
    variants,
)
from tests.assistant.test_flows import Flow


def values(flow: Flow, product_id: str) -> str:
    """The option values of a product's first variant in stock, as a shopper says them."""
    stocked = [v for v in variants(flow, product_id) if v.available]
    return " ".join(str(x) for x in stocked[0].options.values()) if stocked else ""


async def _first_two_compared(flow: Flow) -> list[str]:
    """Show board games and compare the first two; their ids."""
    cards = await shown(flow, "show me board games")
    await flow.say("compare the first two")
    return [str(c["id"]) for c in cards[:2]]


@pytest.mark.parametrize(
    "phrase",
    [
        "no wait, rather the other one",
        "nee, doch lieber den anderen",
        "non, plutôt l'autre en fait",
        "no, mejor el otro",
        "no, meglio l'altro",
    ],
)
async def test_the_other_one_after_an_add_swaps_the_line(flow: Flow, phrase: str) -> None:
    first, second = await _first_two_compared(flow)
    await flow.say(f"add the first one, {values(flow, first)}")
    assert [ln.product_id for ln in cart(flow).lines] == [first]
    r = await flow.say(f"{phrase}, {values(flow, second)}")
    lines = cart(flow).lines
    assert [(ln.product_id, ln.quantity) for ln in lines] == [(second, 1)], r.reply


@pytest.mark.parametrize(
    "phrase",
    [
        "ok then the other one",
        "gut, dann den anderen",
        "bon, je prends l'autre",
        "vale, pues el otro",
        "allora prendo l'altro",
    ],
)
async def test_the_other_one_of_two_weighed_goes_in(flow: Flow, phrase: str) -> None:
    first, second = await _first_two_compared(flow)
    await flow.say("tell me more about the first one")
    r = await flow.say(f"{phrase}, {values(flow, second)}")
    assert [ln.product_id for ln in cart(flow).lines] == [second], r.reply


async def test_the_other_one_too_adds_it_besides(flow: Flow) -> None:
    first, second = await _first_two_compared(flow)
    await flow.say(f"add the first one, {values(flow, first)}")
    r = await flow.say(f"and the other one too please, {values(flow, second)}")
    assert sorted(ln.product_id for ln in cart(flow).lines) == sorted([first, second]), r.reply


def _traits(flow: Flow, product_id: str) -> set[str]:
    with Session(flow.engine) as s:
        product = s.get(Product, product_id)
        assert product is not None
        attrs = product.attributes or {}
    return {str(f).lower() for f in attrs.get("features", [])} | {
        str(attrs.get("material", "")).lower()
    }


async def _pair_told_apart_by(
    flow: Flow, search: str, trait: str
) -> tuple[list[dict[str, Any]], str]:
    """Compare two shown cards only one of which has ``trait``; that one (skip: none)."""
    cards = await shown(flow, search)
    ids = [str(c["id"]) for c in cards]
    has = [any(trait in t for t in _traits(flow, pid)) for pid in ids]
    pairs = [(i, j) for i in range(len(ids)) for j in range(i + 1, len(ids)) if has[i] != has[j]]
    if not pairs:
        pytest.skip(f"no two shown {search} told apart by {trait}")
    i, j = pairs[0]
    r = await flow.say(f"compare the {ORDINALS[i]} and the {ORDINALS[j]} one")
    assert {str(c["id"]) for c in r.cards} >= {ids[i], ids[j]}, r.reply
    return [cards[i], cards[j]], ids[i] if has[i] else ids[j]


def _name(cards: list[dict[str, Any]], product_id: str) -> str:
    return next(str(c["name"]) for c in cards if str(c["id"]) == product_id)


@pytest.mark.parametrize(
    ("phrase", "wanted"),
    [
        ("ok the one with the mic", True),
        ("the one with the mic please", True),
    ],
)
async def test_one_word_for_a_feature_picks_the_one_having_it(
    flow: Flow, phrase: str, wanted: bool
) -> None:
    cards, having = await _pair_told_apart_by(flow, "bluetooth speakers", "microphone")
    r = await flow.say(phrase)
    name = _name(cards, having)
    added = [ln.product_id for ln in cart(flow).lines]
    assert added == [having] or (not added and name in r.reply), r.reply


@pytest.mark.parametrize(
    "phrase", ["bloß nicht den aus Glas, den anderen", "la que no sea de vidrio, esa"]
)
async def test_a_material_set_aside_picks_the_other(flow: Flow, phrase: str) -> None:
    cards, glass = await _pair_told_apart_by(flow, "electric kettles", "glass")
    other = next(str(c["id"]) for c in cards if str(c["id"]) != glass)
    r = await flow.say(phrase)
    added = [ln.product_id for ln in cart(flow).lines]
    assert added == [other] or (not added and _name(cards, other) in r.reply), r.reply
    assert glass not in added


@pytest.mark.parametrize("phrase", ["wait no sorry, {c}", "*{c} sorry", "no no, {c} please"])
async def test_a_no_with_another_value_right_after_an_add_changes_that_line(
    flow: Flow, phrase: str
) -> None:
    for search in TWO_COLOUR_SEARCHES:
        flow.conversation_id = None
        try:
            colours = await added_in_m(flow, search)
            break
        except pytest.skip.Exception:
            continue
    else:
        pytest.skip("no shown product has two colours in M")
    (before,) = cart(flow).lines
    r = await flow.say(phrase.format(c=colours[1]))
    (line,) = cart(flow).lines
    assert (line.product_id, line.quantity, line.options) == (
        before.product_id,
        1,
        {"size": "M", "color": colours[1]},
    ), r.reply
