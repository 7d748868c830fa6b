"""More cart turns with the trained reader: a change asked with the total, an add then a
search, a kind not on screen searched then added, and "throw that in".

The phrasings are written for these tests (none is in the reader's corpus or the eval
suites); every check reads the conversation's cart and the store, never a fixed string.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

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


def in_stock(flow: Flow, product_id: str) -> list[dict[str, str]]:
    return [v.options for v in variants(flow, product_id) if v.available]


async def one_variant_shown(flow: Flow, search: str) -> tuple[list[dict[str, Any]], int]:
    """Search; the cards and the first position with one variant in stock (else skip)."""
    cards = await shown(flow, search)
    one = [i for i, c in enumerate(cards) if len(in_stock(flow, str(c["id"]))) == 1]
    if not one:
        pytest.skip(f"no shown {search} with one variant in stock")
    return cards, one[0]


@pytest.mark.parametrize("search", TWO_COLOUR_SEARCHES)
async def test_another_colour_asked_with_the_total_changes_the_line_and_tells_the_total(
    flow: Flow, search: str
) -> None:
    colours = await added_in_m(flow, search)
    await flow.say("actually make it 2")
    (before,) = cart(flow).lines
    r = await flow.say(f"wait switch them both to {colours[1]} instead. whats the total now")
    (line,) = cart(flow).lines
    assert (line.product_id, line.quantity, line.options) == (
        before.product_id,
        2,
        {"size": "M", "color": colours[1]},
    ), r.reply
    assert f"{cart(flow).total:.2f}" in r.reply


async def test_an_add_then_a_question_for_another_kind_does_both(flow: Flow) -> None:
    cards = await shown(flow, "whats the cheapest t-shirt you have")
    r = await flow.say("add it in M. also whats ur cheapest power bank")
    (line,) = cart(flow).lines
    assert (line.product_id, line.options.get("size")) == (cards[0]["id"], "M"), r.reply
    assert r.cards and all("Power Bank" in str(c["name"]) for c in r.cards), r.reply


@pytest.mark.parametrize("search", ["board games", "jigsaw puzzles"])
async def test_throw_that_in_adds_the_product_pointed_at(flow: Flow, search: str) -> None:
    cards, at = await one_variant_shown(flow, search)
    r = await flow.say(f"the {ORDINALS[at]} one, throw that in too")
    assert "add_to_cart" in r.tools_used, r.reply
    (line,) = cart(flow).lines
    assert line.product_id == cards[at]["id"]


async def test_a_kind_not_on_screen_is_searched_as_asked_then_added(flow: Flow) -> None:
    await shown(flow, "powerbanks bitte")
    r = await flow.say("und dazu 2 t-shirts, das günstigste das ihr habt, in größe M")
    (shirt,) = cart(flow).lines
    assert shirt.product_type == "T-Shirt", r.reply
    assert shirt.quantity == 2 and shirt.options.get("size") == "M", r.reply
    cheapest = min(r.cards, key=lambda c: float(c["price"]))
    assert shirt.product_id == cheapest["id"]


def test_the_cart_head_alone_never_takes_a_line_out() -> None:
    from assistant.flows.cart_request import request_of
    from assistant.flows.state import FlowState
    from assistant.nlu.message import Reading

    state = FlowState(turn=4, shown=["1", "2", "3"], cart_count=1, cart_line=1, cart_turn=2)
    said = Reading(text="la segunda", lang="es", intent="cart", confidence=0.58, cart="remove")
    request = request_of(said, state, {"Power Bank"})
    assert request is not None and request.op == "add"
    said = said.model_copy(update={"text": "quita la segunda"})
    request = request_of(said, state, {"Power Bank"})
    assert request is not None and request.op == "remove"


async def test_a_line_taken_out_with_the_total_asked_goes_whole(flow: Flow) -> None:
    _cards, at = await one_variant_shown(flow, "board games")
    await flow.say(f"put 2 of the {ORDINALS[at]} one in my cart")
    assert [ln.quantity for ln in cart(flow).lines] == [2]
    r = await flow.say("take the board games out, my brother lent me one. what do i owe now")
    assert cart(flow).lines == [], r.reply


async def test_the_total_asked_in_other_words_lists_the_cart(flow: Flow) -> None:
    _cards, at = await one_variant_shown(flow, "board games")
    await flow.say(f"add the {ORDINALS[at]} one")
    r = await flow.say("ok so what does all that come to")
    assert "view_cart" in r.tools_used or f"{cart(flow).total:.2f}" in r.reply, r.reply
    assert not r.cards, r.reply  # (no recommendation instead)


def test_a_kind_in_the_cart_but_not_on_screen_taken_out_is_no_search() -> None:
    from assistant.flows.cart_request import request_of
    from assistant.flows.state import FlowState
    from assistant.nlu.message import Reading

    # wool socks in the cart, T-shirts on screen; the cart head unsure between changes
    state = FlowState(turn=6, shown=["1", "2", "3"], cart_count=2, cart_line=2, cart_turn=5)
    said = Reading(
        text="hmm take the wool socks back out",
        lang="en",
        intent="cart",
        confidence=0.7,
        cart="update",
        products=["Wool Socks"],
    )
    request = request_of(said, state, {"T-Shirt"})
    assert request is not None and request.op == "remove"
    said = said.model_copy(update={"text": "and some wool socks in grey"})
    assert request_of(said, state, {"T-Shirt"}) is None  # another kind, asked for: a search


@pytest.mark.parametrize(
    "change",
    [
        "hmm actually only 2 board games. whats my total now",
        "en fait seulement 2 jeux de société. ça fait combien au total ?",
        "mejor solo 2 juegos de mesa. cuánto es el total ahora",
        "anzi solo 2 giochi da tavolo. quanto fa in totale adesso?",
    ],
)
async def test_a_count_of_a_kind_in_the_cart_with_the_total_sets_that_line(
    flow: Flow, change: str
) -> None:
    _cards, at = await one_variant_shown(flow, "board games")
    await flow.say(f"put 3 of the {ORDINALS[at]} one in my cart")
    await shown(flow, "jigsaw puzzles")  # another kind on screen now
    assert [ln.quantity for ln in cart(flow).lines] == [3]
    r = await flow.say(change)
    assert [ln.quantity for ln in cart(flow).lines] == [2], r.reply
    assert f"{cart(flow).total:.2f}".replace(".", ",") in r.reply.replace(".", ","), r.reply


@pytest.mark.parametrize(
    ("search", "pick", "count"),
    [
        ("des tapis de yoga, pas trop chers", "ajoutez-m'en deux, le moins cher", 2),
        ("des tapis de yoga svp", "mets-m'en trois du moins cher", 3),
        ("esterillas de yoga baratas", "añádeme las más baratas de esas", 1),
        ("tappetini da yoga economici", "aggiungimi i più economici", 1),
    ],
)
async def test_a_pick_with_the_pronouns_joined_to_the_verb_goes_in(
    flow: Flow, search: str, pick: str, count: int
) -> None:
    cards = await shown(flow, search)
    cheapest = min(cards, key=lambda c: float(c["price"]))
    (options, *_) = in_stock(flow, str(cheapest["id"]))
    r = await flow.say(f"{pick}, {' '.join(options.values())}")
    assert "add_to_cart" in r.tools_used, r.reply
    (line,) = cart(flow).lines
    assert (line.quantity, line.options) == (count, options), r.reply
    # the cheapest shown, or (after a list by relevance) a cheaper match the store has
    shown_price = min(
        v.price for v in variants(flow, str(cheapest["id"])) if v.available and v.options == options
    )
    assert line.unit_price <= shown_price + 0.005, r.reply
    assert line.product_id == cheapest["id"] or line.product_id not in {c["id"] for c in cards}


async def power_bank_in_cart(flow: Flow) -> None:
    """Show power banks and put the first one in the cart."""
    await shown(flow, "power banks, the 20000mah kind")
    await flow.say("the first one in my cart please")


@pytest.mark.parametrize(
    "more",
    [
        "und noch ne stirnlampe mit rotlicht",
        "und noch trinkflaschen aus edelstahl",
        "et aussi une lampe frontale rechargeable",
        "e anche una borraccia in acciaio",
        "oh and also a headlamp that's rechargeable",
    ],
)
async def test_another_kind_asked_for_after_an_add_is_searched(flow: Flow, more: str) -> None:
    await power_bank_in_cart(flow)
    assert len(cart(flow).lines) == 1
    r = await flow.say(more)
    assert "search_catalog" in r.tools_used, r.reply
    assert r.cards and len(cart(flow).lines) == 1, r.reply


@pytest.mark.parametrize(
    "out",
    [
        "actually take the power bank out",
        "take the power bank out, thanks",
        "ok leave the power bank out then",
    ],
)
async def test_a_verb_split_round_its_thing_takes_that_line_out(flow: Flow, out: str) -> None:
    await power_bank_in_cart(flow)
    cards = await shown(flow, "yoga mats")
    (options, *_) = in_stock(flow, str(cards[0]["id"]))
    await flow.say(f"add the first one too, {' '.join(options.values())}")
    assert len(cart(flow).lines) == 2
    r = await flow.say(out)
    assert [line.product_id for line in cart(flow).lines] == [cards[0]["id"]], r.reply


def _many_colours_in_m(flow: Flow, cards: list[dict[str, Any]]) -> int | None:
    """The first shown position whose product has two or more colours in stock in M."""
    for i, card in enumerate(cards):
        colours = {o.get("color") for o in in_stock(flow, str(card["id"])) if o.get("size") == "M"}
        if len(colours - {None}) >= 2:
            return i
    return None


# a search in M, then a pick that leaves the colour open, in the shopper's words
_COLOUR_LEFT_OPEN = [
    ("en", "hoodies in M", ["first", "second", "third", "fourth", "fifth"],
     "the {} one pls, i'm easy on the colour"),
    ("de", "Hoodies in Größe M", ["erste", "zweite", "dritte", "vierte", "fünfte"],
     "den {}, Farbe spielt keine Rolle"),
    ("fr", "des sweats à capuche en M", ["premier", "deuxième", "troisième", "quatrième",
     "cinquième"], "le {}, la couleur ça m'est égal"),
    ("es", "sudaderas con capucha talla M", ["primera", "segunda", "tercera", "cuarta",
     "quinta"], "la {}, el color me es igual"),
    ("it", "felpe con cappuccio taglia M", ["prima", "seconda", "terza", "quarta", "quinta"],
     "la {}, il colore mi è indifferente"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "search", "ordinals", "pick"), _COLOUR_LEFT_OPEN)
async def test_a_pick_that_leaves_the_colour_open_goes_in_without_a_question(
    flow: Flow, lang: str, search: str, ordinals: list[str], pick: str
) -> None:
    cards = await shown(flow, search)
    i = _many_colours_in_m(flow, cards)
    if i is None:
        pytest.skip(f"no shown {search} with two colours in M")
    r = await flow.say(pick.format(ordinals[i]))
    (line,) = cart(flow).lines
    assert (line.product_id, line.options.get("size")) == (cards[i]["id"], "M"), r.reply


# three of the first shown added, then "two are enough" (with a "no" before it) in the
# shopper's words: the line's quantity, not a refusal of nothing
_TWO_ARE_ENOUGH = [
    ("en", "power banks 20000mah", "put 3 of the first one in my cart", "no no, 2 is enough"),
    ("de", "Powerbanks mit 20000mAh", "3 von der ersten in den Warenkorb", "nein, zwei genügen"),
    ("fr", "des batteries externes 20000mAh", "mets-m'en 3 de la première",
     "non, deux ça suffit"),
    ("es", "baterías externas de 20000mAh", "pon 3 de la primera en el carrito",
     "no, bastan dos"),
    ("it", "power bank da 20000mAh", "metti 3 del primo nel carrello", "no, due bastano"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "search", "add", "enough"), _TWO_ARE_ENOUGH)
async def test_two_are_enough_after_three_sets_the_quantity(
    flow: Flow, lang: str, search: str, add: str, enough: str
) -> None:
    cards = await shown(flow, search)
    r = await flow.say(add)
    assert [(ln.product_id, ln.quantity) for ln in cart(flow).lines] == [(cards[0]["id"], 3)], (
        r.reply
    )
    r = await flow.say(enough)
    (line,) = cart(flow).lines
    assert (line.product_id, line.quantity) == (cards[0]["id"], 2), r.reply


@pytest.mark.parametrize(
    "swap",
    [
        "hmm actually swap it for the {} one, looks better",
        "can i exchange that for {} instead",
        "tausch ihn bitte gegen {} um",
        "mejor cámbialo por el {}",
    ],
)
async def test_an_exchange_right_after_an_add_is_the_line_in_the_other_colour(
    flow: Flow, swap: str
) -> None:
    """No order named, nobody signed in: "swap it for navy" changes the line just added."""
    colours = await added_in_m(flow, "t-shirts")
    (before,) = cart(flow).lines
    r = await flow.say(swap.format(colours[1]))
    (line,) = cart(flow).lines
    assert (line.product_id, line.options) == (
        before.product_id,
        {"size": "M", "color": colours[1]},
    ), r.reply


def _one_variant_in_each(flow: Flow, cards: list[dict[str, Any]], sizes: tuple[str, str]) -> int:
    """The first shown position with exactly one in-stock variant in each of two sizes."""
    for i, card in enumerate(cards):
        stocked = in_stock(flow, str(card["id"]))
        if all(sum(1 for o in stocked if o.get("size") == z) == 1 for z in sizes):
            return i
    pytest.skip(f"no shown product with one variant in each of {sizes}")


_ONE_EACH = [
    ("en", "hoodies", ["first", "second", "third", "fourth", "fifth"],
     "put two of the {} one in my cart pls, one in {} and the other in {}"),
    ("de", "Hoodies", ["erste", "zweite", "dritte", "vierte", "fünfte"],
     "vom {} zwei stück, einen in {} und einen in {}"),
    ("es", "sudaderas con capucha", ["primera", "segunda", "tercera", "cuarta", "quinta"],
     "mete dos de la {} al carrito, una en {} y otra en {}"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "search", "ordinals", "ask"), _ONE_EACH)
async def test_two_of_one_product_in_two_sizes_are_two_lines(
    flow: Flow, lang: str, search: str, ordinals: list[str], ask: str
) -> None:
    cards = await shown(flow, search, at_least=3)
    sizes = next(
        (pair for pair in (("M", "L"), ("S", "M"), ("L", "XL"), ("S", "L"))
         if any(all(sum(1 for o in in_stock(flow, str(c["id"])) if o.get("size") == z) == 1
                    for z in pair) for c in cards)),
        ("M", "L"),
    )  # fmt: skip
    i = _one_variant_in_each(flow, cards, sizes)
    r = await flow.say(ask.format(ordinals[i], *sizes))
    lines = sorted((ln.product_id, ln.options.get("size"), ln.quantity) for ln in cart(flow).lines)
    assert lines == sorted((cards[i]["id"], z, 1) for z in sizes), r.reply


async def test_one_of_two_values_is_one_line(flow: Flow) -> None:
    """ "in M or L" names two sizes but asks for one thing: no second line."""
    cards = await shown(flow, "hoodies", at_least=3)
    i = _one_variant_in_each(flow, cards, ("M", "L"))
    await flow.say(f"the {['first', 'second', 'third', 'fourth', 'fifth'][i]} one in M or L")
    assert len(cart(flow).lines) <= 1


def _cheapest_in_stock(flow: Flow, product_type: str) -> tuple[str, float]:
    """The store's cheapest in-stock product of a type and its price (ties: by id)."""
    with Session(flow.engine) as s:
        products = [
            p
            for p in s.exec(select(Product))
            if str((p.attributes or {}).get("type", "")).lower() == product_type.lower()
        ]
    prices = {
        p.id: min(v.price for v in variants(flow, p.id) if v.available)
        for p in products
        if any(v.available for v in variants(flow, p.id))
    }
    best = min(prices, key=lambda pid: (prices[pid], pid))
    return best, prices[best]


@pytest.mark.parametrize(
    ("search", "pick"),
    [
        ("show me some tents", "ok add the cheapest one"),
        ("zeig mal rucksäcke", "nimm den günstigsten"),
        ("des lampes de bureau ?", "mettez la moins chère dans le panier"),
        ("got any board games", "ok the cheapest then"),
        ("esterillas de yoga", "pues la más barata"),
    ],
)
async def test_the_cheapest_after_a_list_by_relevance_is_the_stores_cheapest(
    flow: Flow, search: str, pick: str
) -> None:
    """ "the cheapest" of a relevance list: the shop's cheapest match, shown first when the
    list had not shown it; the cheapest card when it is the shop's cheapest too."""
    cards = await shown(flow, search)
    with Session(flow.engine) as s:
        first = s.get(Product, str(cards[0]["id"]))
        assert first is not None
        product_type = str((first.attributes or {}).get("type", ""))
    best, price = _cheapest_in_stock(flow, product_type)
    # the options of its cheapest variant are said, so one line is meant
    options = min((v for v in variants(flow, best) if v.available), key=lambda v: v.price).options
    r = await flow.say(f"{pick}, {' '.join(options.values())}")
    assert "add_to_cart" in r.tools_used, r.reply
    (line,) = cart(flow).lines
    assert (line.product_id, line.options) == (best, options), r.reply
    assert round(line.unit_price, 2) == round(price, 2)
    was_shown = best in {str(c["id"]) for c in cards}
    assert ("search_catalog" in r.tools_used) == (not was_shown), r.tools_used


@pytest.mark.parametrize(
    ("second", "count_phrase"),
    [
        ("and your cheapest power bank?", "put two of those in"),
        ("et la gourde la moins chère ?", "mets-en deux"),
        ("e la borraccia più economica?", "mettine due"),
    ],
)
async def test_a_count_after_a_new_list_is_of_its_leader_not_the_line_before(
    flow: Flow, second: str, count_phrase: str
) -> None:
    """Once another list leads with another product, "two of those" is two of that one
    (added, or its options asked); the line added before it keeps its count."""
    await shown(flow, "whats the cheapest t-shirt you have")
    await flow.say("add it in M")
    (first,) = cart(flow).lines
    listed = await shown(flow, second, at_least=1)
    leader = listed[0]
    r = await flow.say(count_phrase)
    lines = {ln.product_id: ln.quantity for ln in cart(flow).lines}
    assert lines[first.product_id] == 1, r.reply
    added = lines.get(str(leader["id"]))
    assert added == 2 or (added is None and str(leader["name"]) in r.reply), r.reply


def _lumens(value: str) -> float:
    return float(value.split()[0])


@pytest.mark.parametrize(
    "phrase",
    [
        "add the {ord} one, the brightest {colour} version",
        "the {ord} one pls, brightest in {colour}",
    ],
)
async def test_the_brightest_is_the_most_of_the_measured_option(flow: Flow, phrase: str) -> None:
    cards = await shown(flow, "headlamps")
    for card in cards[:2]:
        stocked = [v.options for v in variants(flow, str(card["id"])) if v.available]
        brightness = {o["brightness"] for o in stocked if "brightness" in o}
        if len(brightness) < 2:
            continue
        top = max(brightness, key=_lumens)
        colours = sorted({o.get("color", "") for o in stocked if o.get("brightness") == top})
        if colours and colours[0]:
            break
    else:
        pytest.skip("no shown headlamp in two brightnesses")
    said = phrase.format(ord=ORDINALS[cards.index(card)], colour=colours[0])
    r = await flow.say(said)
    (line,) = cart(flow).lines
    assert line.product_id == str(card["id"]), r.reply
    assert line.options == {"color": colours[0], "brightness": top} or (
        line.options.get("brightness") == top and line.options.get("color") == colours[0]
    ), r.reply


@pytest.mark.parametrize("change", ["and the board game twice please", "the board game, twice"])
async def test_a_kind_in_the_cart_said_twice_is_two_of_that_line(flow: Flow, change: str) -> None:
    _cards, at = await one_variant_shown(flow, "board games")
    await flow.say(f"put the {ORDINALS[at]} one in my cart")
    await shown(flow, "jigsaw puzzles")  # another kind on screen now
    r = await flow.say(change)
    assert [ln.quantity for ln in cart(flow).lines] == [2], r.reply


@pytest.mark.parametrize(
    ("view", "change"),
    [
        ("was ist jetzt im Warenkorb?", "und das Brettspiel dann bitte zweimal, eins ist für meinen Bruder"),
        ("¿qué llevo en el carrito?", "y el juego de mesa dos veces porfa, uno es para mi primo"),
        ("what's in my cart now", "the board game x2"),
    ],
)  # fmt: skip
async def test_a_kind_on_screen_with_a_count_changes_its_line_turns_later(
    flow: Flow, view: str, change: str
) -> None:
    _cards, at = await one_variant_shown(flow, "board games")
    await flow.say(f"put the {ORDINALS[at]} one in my cart")
    await flow.say(view)  # the add is a turn back now
    r = await flow.say(change)
    assert [ln.quantity for ln in cart(flow).lines] == [2], r.reply
