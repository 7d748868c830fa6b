"""Picks among the shown, counts, totals and lines named, whole turns with the trained reader.

The phrasings are written for these tests (none is in the reader's corpus or the eval
suites); every check reads the conversation's cart, the cards and the store.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, select

from catalog.carts import CartService, CartView
from catalog.models import Product, Variant
from tests.assistant.test_flows import Flow


def cart(flow: Flow) -> CartView:
    assert flow.conversation_id is not None
    return CartService(flow.engine).view(flow.conversation_id)


def stocked(flow: Flow, product_id: str) -> list[Variant]:
    with Session(flow.engine) as s:
        rows = s.exec(select(Variant).where(col(Variant.product_id) == product_id))
        return [v for v in rows if v.available]


def features(flow: Flow, product_id: str) -> set[str]:
    with Session(flow.engine) as s:
        product = s.get(Product, product_id)
        assert product is not None
        return set(product.attributes.get("features") or [])


async def shown(flow: Flow, text: str, at_least: int = 2) -> list[dict[str, Any]]:
    r = await flow.say(text)
    assert len(r.cards) >= at_least, r.reply
    return list(r.cards)


async def test_the_cheaper_of_those_with_a_feature_in_a_capacity_is_a_choice(flow: Flow) -> None:
    cards = await shown(flow, "show me electric kettles")
    # a feature of some shown kettle, and a capacity one of those has in one stocked variant
    for feature in sorted({f for c in cards for f in features(flow, str(c["id"]))}):
        having = [c for c in cards if feature in features(flow, str(c["id"]))]
        values = {v.options.get("capacity") for c in having for v in stocked(flow, str(c["id"]))}
        for value in sorted(v for v in values - {None} if "." in v):  # "1.7L"
            priced = [
                (min(v.price for v in m), str(c["id"]), m)
                for c in having
                if (m := [v for v in stocked(flow, str(c["id"])) if v.options["capacity"] == value])
            ]
            cheapest = min(priced)
            if len(cheapest[2]) == 1 and sum(p[0] == cheapest[0] for p in priced) == 1:
                break
        else:
            continue
        break
    else:
        raise AssertionError("no shown kettle has a feature and a capacity in one variant")
    said = value.replace(".", ",").replace("L", " liter")  # "1,7 liter"
    r = await flow.say(f"ok dann den günstigeren von denen mit {feature}, in {said}")
    lines = cart(flow).lines
    assert "add_to_cart" in r.tools_used and len(lines) == 1, r.reply
    assert lines[0].product_id == cheapest[1] and lines[0].options["capacity"] == value


async def test_the_cheapest_ones_in_a_size_are_a_list_in_every_language(flow: Flow) -> None:
    for lang, text in (
        ("en", "the cheapest ones in size {size}"),
        ("es", "las más baratas en talla {size}"),
        ("fr", "les moins chères en taille {size}"),
    ):
        cards = await shown(flow, "running shoes please" if lang == "en" else "running shoes")
        sizes = {v.options.get("size") for c in cards for v in stocked(flow, str(c["id"]))}
        size = sorted(s for s in sizes if s and s.isdigit())[0]
        r = await flow.say(text.format(size=size))
        assert "add_to_cart" not in r.tools_used and not cart(flow).lines, (lang, r.reply)
        prices = [float(c["price"]) for c in r.cards]
        assert len(prices) >= 2 and prices == sorted(prices), (lang, r.reply)


async def test_is_the_cheaper_one_in_a_colour_asks_about_that_one(flow: Flow) -> None:
    cards = await shown(flow, "show me electric kettles")
    r = await flow.say("is the cheaper one in white?")
    # a yes or no about one shown kettle, not a search for cheaper ones
    assert "nothing cheaper" not in r.reply and "search_catalog" not in r.tools_used, r.reply
    assert any(str(c["name"]) in r.reply for c in cards), r.reply


async def test_the_cheaper_of_the_first_two_with_a_question_asks_about_that_one(
    flow: Flow,
) -> None:
    for text in (
        "the cheaper one of the first two, does it have {f}?",
        "the cheaper of the first two, is it {f}",
    ):
        cards = await shown(flow, "show me electric kettles")
        first_two = cards[:2]
        cheaper = min(first_two, key=lambda c: float(c["price"]))
        feature = sorted(features(flow, str(cheaper["id"])))[0]
        r = await flow.say(text.format(f=feature))
        # a yes about the cheaper of those two, not a new list of the cheapest kettles
        assert "search_catalog" not in r.tools_used, r.reply
        assert str(cheaper["name"]) in r.reply and r.reply.startswith("Yes"), r.reply
        assert [str(c["id"]) for c in r.cards] == [str(cheaper["id"])], r.reply


async def test_taking_out_a_kind_the_cart_lacks_changes_nothing(flow: Flow) -> None:
    await shown(flow, "cheapest t-shirts")
    await flow.say("put 2 of the first in medium in my cart")
    before = cart(flow).lines
    assert len(before) == 1
    r = await flow.say("hmm nah take the clock back out")
    assert "remove_from_cart" not in r.tools_used and "clock" in r.reply, r.reply
    assert [(ln.id, ln.quantity) for ln in cart(flow).lines] == [
        (ln.id, ln.quantity) for ln in before
    ]


async def test_a_bare_count_after_the_verb_that_adds_is_how_many(flow: Flow) -> None:
    cards = await shown(flow, "busco una licuadora")
    first = stocked(flow, str(cards[0]["id"]))
    one = next(
        v
        for v in first
        if sum(w.options == v.options for w in first) == 1
        and sum(w.options.get("capacity") == v.options.get("capacity") for w in first) >= 1
    )
    colour = {"black": "negro", "white": "blanco", "red": "rojo", "silver": "plateado"}.get(
        v_colour := one.options["color"], v_colour
    )
    await flow.say(
        f"la primera en {colour}, la de {one.options['capacity']}, ponme 2 en el carrito"
    )
    lines = cart(flow).lines
    assert len(lines) == 1 and lines[0].quantity == 2 and lines[0].variant_id == one.id
    r = await flow.say("y cuánto sería todo?")
    assert "view_cart" in r.tools_used, r.reply


async def test_me_li_confronti_compares_the_shown(flow: Flow) -> None:
    await shown(flow, "cerco uno smartwatch")
    r = await flow.say("me li confronti?")
    assert "transfer_to_human_agents" not in r.tools_used, r.reply
    assert len(r.cards) == 2, r.reply  # the two compared, side by side


async def test_a_feature_in_the_shoppers_words_is_echoed_without_its_small_words(
    flow: Flow,
) -> None:
    r = await flow.say("holaa busco una licuadora que pique hielo pa los smoothies")
    assert r.cards and " pa los" not in r.reply, r.reply


def test_a_shown_products_price_is_that_of_its_variants_with_the_options_searched() -> None:
    from assistant.flows.references import SHOWN_OPTIONS, in_stock_price, ranked

    def socks(name: str, m: float, other: float) -> dict[str, Any]:
        return {
            "name": name,
            "variants": [
                {"price": m, "available": True, "options": {"size": "M", "cushion": "heavy"}},
                {"price": other, "available": True, "options": {"size": "L", "cushion": "light"}},
                {"price": 1.0, "available": False, "options": {"size": "M", "cushion": "heavy"}},
            ],
            SHOWN_OPTIONS: {"Size": "m", "cushion": "heavy"},
        }

    a, b = socks("A", 11.64, 10.37), socks("B", 10.47, 10.90)
    assert in_stock_price(a) == 11.64 and in_stock_price(b) == 10.47
    assert [p["name"] for p in ranked([a, b], "price_asc")] == ["B", "A"]
    # a product with no variant in those options is priced by what it has in stock
    bare = {**a, SHOWN_OPTIONS: {"size": "XL"}}
    assert in_stock_price(bare) == 10.37
    assert in_stock_price({k: v for k, v in a.items() if k != SHOWN_OPTIONS}) == 10.37


@pytest.mark.parametrize(
    ("text", "lang", "counts"),
    [
        ("ok prendo quello con la batteria da 7 giorni, mettilo nel carrello", "it", []),
        ("add the one with the 10 year warranty", "en", []),
        ("den mit 14 tagen akku, 2 stück bitte", "de", [2]),
        ("add 3 of the one with the 7 day battery", "en", [3]),
        ("dann nehm ich die mit dem 7-Tage-Akku, 45 mm, in schwarz", "de", []),
        ("2 of the one with the 30-hour battery", "en", [2]),
    ],
)
def test_a_number_before_a_duration_is_no_count(text: str, lang: str, counts: list[int]) -> None:
    from assistant.flows.cart_quantities import quantities_in
    from assistant.nlu.message import Reading

    assert quantities_in(Reading(text=text, lang=lang, intent="cart"))[0] == counts


ORDINALS = ("primo", "secondo", "terzo", "quarto", "quinto")


@pytest.mark.parametrize(
    "pick",
    [
        "ok prendo quello con la batteria da 7 giorni, mettilo nel carrello",
        "dann nehm ich die mit dem 7-Tage-Akku",  # the number hyphened to its word
    ],
)
async def test_a_shown_product_picked_by_a_feature_in_other_words_goes_in_the_cart(
    flow: Flow, pick: str
) -> None:
    cards = await shown(flow, "cerco uno smartwatch")
    week = [i for i, c in enumerate(cards) if "7-day battery" in features(flow, str(c["id"]))]
    other = [i for i in range(len(cards)) if i not in week]
    if not week or not other:
        pytest.skip("the shown smartwatches do not differ in a 7-day battery")
    pair = sorted((week[0], other[0]))
    await flow.say(f"puoi confrontare il {ORDINALS[pair[0]]} e il {ORDINALS[pair[1]]}?")
    r = await flow.say(pick)
    chosen = cards[week[0]]
    # added, or its size asked when it has several in stock: that one, never another kind
    assert str(chosen["name"]) in r.reply and "search_catalog" not in r.tools_used, r.reply
    assert all(
        line.product_id == str(chosen["id"]) and line.quantity == 1 for line in cart(flow).lines
    )


@pytest.mark.parametrize(
    ("search", "ask"),
    [
        ("Sandalen", "welche davon hat die besseren Bewertungen?"),
        ("des sandales", "lesquelles ont les meilleures notes ?"),
    ],
)
async def test_which_has_the_better_reviews_in_an_inflected_word(
    flow: Flow, search: str, ask: str
) -> None:
    cards = await shown(flow, search)
    rating_of = flow.chat.deps.searcher.vocabulary.rating_of
    best = max(cards, key=lambda c: rating_of.get(str(c["id"])) or 0.0)
    r = await flow.say(ask)
    assert str(best["name"]) in r.reply and "summarize_reviews" not in r.tools_used, r.reply
