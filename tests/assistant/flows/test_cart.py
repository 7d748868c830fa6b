"""The cart in the conversation, whole turns with the trained reader (no model call).

The phrasings are written for these tests (none is in the reader's corpus or the eval
suites); every check reads the conversation's cart and the store, never a fixed string.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, select

from assistant.flows.cart_request import request_of
from assistant.flows.state import FlowState
from assistant.nlu.message import Reading
from catalog.carts import CartService, CartView
from catalog.models import Variant
from tests.assistant.test_flows import Flow, cmd


def cart(flow: Flow) -> CartView:
    assert flow.conversation_id is not None
    return CartService(flow.engine).view(flow.conversation_id)


def variants(flow: Flow, product_id: str) -> list[Variant]:
    with Session(flow.engine) as s:
        return list(s.exec(select(Variant).where(col(Variant.product_id) == product_id)))


def sizes_in_stock(flow: Flow, product_id: str) -> list[str]:
    return sorted({v.options["size"] for v in variants(flow, product_id) if v.available})


async def shown(flow: Flow, text: str, at_least: int = 2) -> list[dict[str, Any]]:
    r = await flow.say(text)
    assert len(r.cards) >= at_least, r.reply
    return list(r.cards)


def _sized(flow: Flow, cards: list[dict[str, Any]]) -> tuple[int, str, Variant]:
    """A shown product (position, id) with one size in stock in exactly one variant."""
    for i, card in enumerate(cards):
        stocked = [v for v in variants(flow, str(card["id"])) if v.available]
        for size in {v.options.get("size") for v in stocked} - {None}:
            match = [v for v in stocked if v.options.get("size") == size]
            if len(match) == 1:
                return i, str(size), match[0]
    raise AssertionError("no shown product has a size in exactly one in-stock variant")


async def test_a_shown_product_goes_in_with_the_size_typed_at_the_store_price(
    flow: Flow,
) -> None:
    cards = await shown(flow, "got any hiking boots?")
    i, size, variant = _sized(flow, cards)
    ordinal = ["first", "second", "third", "fourth", "fifth"][i]
    r = await flow.say(f"pop the {ordinal} pair in my basket, size {size}")
    assert flow.llm_calls == 0 and "add_to_cart" in r.tools_used
    (line,) = cart(flow).lines
    assert (line.variant_id, line.quantity) == (variant.id, 1)
    assert line.unit_price == round(variant.price, 2)
    assert f"{line.unit_price:.2f}" in r.reply


async def test_the_size_is_asked_then_the_answer_adds_it(flow: Flow) -> None:
    cards = await shown(flow, "show me some rain boots")

    def alone(pid: str) -> list[str]:
        """Sizes in stock in exactly one variant: the size alone names the variant."""
        stocked = [v.options["size"] for v in variants(flow, pid) if v.available]
        return [size for size in sorted(set(stocked)) if stocked.count(size) == 1]

    many = next(
        (i, str(c["id"]))
        for i, c in enumerate(cards)
        if len(sizes_in_stock(flow, str(c["id"]))) >= 2 and alone(str(c["id"]))
    )
    ordinal = ["first", "second", "third", "fourth", "fifth"][many[0]]
    r = await flow.say(f"I'll grab the {ordinal} one")
    sizes = sizes_in_stock(flow, many[1])
    assert cart(flow).lines == [] and all(s in r.reply for s in sizes)
    size = alone(many[1])[-1]
    r = await flow.say(f"{size} please")
    (line,) = cart(flow).lines
    assert line.product_id == many[1] and line.options["size"] == size


async def test_a_sold_out_size_is_refused_with_the_sizes_in_stock(flow: Flow) -> None:
    cards = await shown(flow, "hiking boots please")
    found = []
    for at, card in enumerate(cards):
        every = {v.options.get("size") for v in variants(flow, str(card["id"]))}
        stocked = set(sizes_in_stock(flow, str(card["id"])))
        gone = sorted(s for s in every - stocked if s)
        if gone and stocked:
            found.append((at, gone, stocked))
    assert found, "no shown boot has a sold-out size"
    i, gone, stocked = found[0]
    ordinal = ["first", "second", "third", "fourth", "fifth"][i]
    r = await flow.say(f"add the {ordinal} ones in a {gone[0]}")
    assert cart(flow).lines == []
    assert all(s in r.reply for s in stocked)


async def test_quantity_remove_total_and_checkout(flow: Flow) -> None:
    cards = await shown(flow, "wool socks?")
    i, size, variant = _sized(flow, cards)
    ordinal = ["first", "second", "third", "fourth", "fifth"][i]
    await flow.say(f"the {ordinal} in {size}, add to cart")
    r = await flow.say("actually make that 3")
    (line,) = cart(flow).lines
    assert line.quantity == 3 and "update_cart_line" in r.tools_used
    r = await flow.say("how much is it all together? am I still under 500?")
    total = cart(flow).total
    assert f"{total:.2f}" in r.reply and "500.00" in r.reply
    r = await flow.say("ok take me to checkout")
    assert f"{variant.id}:3" in r.reply
    r = await flow.say("hmm no, remove the socks")
    assert cart(flow).lines == [] and "remove_from_cart" in r.tools_used


async def test_a_german_cart_from_search_to_checkout(flow: Flow) -> None:
    cards = await shown(flow, "zeig mir Wanderschuhe")
    i, size, variant = _sized(flow, cards)
    ordinal = ["ersten", "zweiten", "dritten", "vierten", "fünften"][i]
    r = await flow.say(f"tu mir bitte den {ordinal} in Größe {size} in den Warenkorb")
    assert [ln.variant_id for ln in cart(flow).lines] == [variant.id]
    assert r.lang == "de"
    r = await flow.say("was liegt gerade im Warenkorb?")
    assert f"{cart(flow).total:.2f}".replace(".", ",") in r.reply
    r = await flow.say("dann ab zur Kasse")
    assert f"{variant.id}:1" in r.reply


def _unique_sizes(flow: Flow, product_id: str) -> dict[str, Variant]:
    stocked = [v for v in variants(flow, product_id) if v.available]
    sizes = [v.options.get("size") for v in stocked]
    return {str(s): v for s, v in zip(sizes, stocked, strict=True) if s and sizes.count(s) == 1}


async def test_every_german_size_goes_to_that_size_whatever_other_products_measure(
    flow: Flow,
) -> None:
    # "Größe 8" once read as a knife's blade length (8 inch) and the boots were refused
    cards = await shown(flow, "zeig mir Wanderschuhe", at_least=3)
    ordinals = ["ersten", "zweiten", "dritten", "vierten", "fünften"]
    tried = 0
    for i, card in enumerate(cards[:5]):
        for size, variant in sorted(_unique_sizes(flow, str(card["id"])).items()):
            await flow.say(f"pack mir den {ordinals[i]} in Größe {size} in den Warenkorb")
            assert variant.id in [ln.variant_id for ln in cart(flow).lines], (card, size)
            tried += 1
    assert tried >= 3


async def test_nothing_in_the_cart_yet(flow: Flow) -> None:
    r = await flow.say("what have I got in my basket so far?")
    assert "view_cart" in r.tools_used and not r.cards
    assert flow.conversation_id is not None and cart(flow).lines == []


async def test_adding_past_99_of_a_line_says_so_and_keeps_the_line(flow: Flow) -> None:
    cards = await shown(flow, "wool socks?")
    i, size, variant = _sized(flow, cards)
    ordinal = ["first", "second", "third", "fourth", "fifth"][i]
    await flow.say(f"the {ordinal} in {size}, add to cart")
    await flow.say("make it 99")
    r = await flow.say(f"add the {ordinal} one in {size}")
    (line,) = cart(flow).lines
    assert (line.variant_id, line.quantity) == (variant.id, 99)
    assert "99" in r.reply and "add_to_cart" in r.tools_used


@pytest.mark.parametrize(
    ("search", "take"),
    [
        ("red bluetooth speakers", "2 of the first one please"),
        ("rote bluetooth lautsprecher", "zwei von dem ersten bitte in den warenkorb"),
        ("enceintes bluetooth rouges", "mets-moi 3 du deuxième"),
    ],
)
async def test_a_count_of_a_position_adds_that_many_of_it(
    flow: Flow, search: str, take: str
) -> None:
    """ "2 of the first one": two of the first product, not the first and second."""
    cards = await shown(flow, search)
    r = await flow.say(take)
    assert "add_to_cart" in r.tools_used, r.reply
    (line,) = cart(flow).lines
    position, count = (0, 2) if "first" in take or "ersten" in take else (1, 3)
    assert (line.product_id, line.quantity) == (cards[position]["id"], count)


async def test_a_count_of_the_cheapest_shown_with_an_empty_cart_adds_it(flow: Flow) -> None:
    """ "el más barato, ponme dos": nothing in the cart to change, so the cheapest goes in."""
    cards = await shown(flow, "altavoces bluetooth rojos")
    await flow.say("el más barato, ponme dos")
    (line,) = cart(flow).lines
    cheapest = min(cards, key=lambda c: float(c["price"]))
    assert (line.product_id, line.quantity) == (cheapest["id"], 2)


@pytest.mark.parametrize("op", ["update", "remove"])
def test_a_change_naming_a_new_product_with_an_empty_cart_is_no_cart_request(op: str) -> None:
    """ "… eine Trinkflasche, die in der Tasche nicht ausläuft" read as a cart change: there
    is nothing in the cart to change, and a product is named, so it is left to the search."""
    reading = Reading(
        text="dann halt ne trinkflasche mit 750ml die nicht ausläuft in der tasche",
        lang="de",
        intent="cart",
        confidence=0.9,
        products=["Water Bottle"],
        cart=op,
    )
    state = FlowState(shown=["p1", "p2"])
    assert request_of(reading, state, {"Bluetooth Speaker"}) is None
    state.cart_count = 1
    request = request_of(reading, state, {"Bluetooth Speaker"})
    assert request is not None and request.op == op


async def test_a_first_message_naming_a_product_is_searched_not_a_cart_view(flow: Flow) -> None:
    """ "brettspiel, die normale edition für vier reicht" may read as a cart request; it names
    a product and nothing is shown or in the cart: it is searched, even when the model (asked
    because the reader is unsure) reads a cart request."""
    flow.agent.read_confidence = 1.01  # the reader unsure of any reading: the model is asked
    r = await flow.say("brettspiel für vier, die normale edition reicht", cmd(action="cart"))
    assert "search_catalog" in r.tools_used and "view_cart" not in r.tools_used
    assert r.cards


def _size_in_several_colours(flow: Flow, cards: list[dict[str, Any]]) -> tuple[int, str]:
    """A shown product (position) with one size in stock in several colours."""
    for i, card in enumerate(cards):
        by_size: dict[str, set[str]] = {}
        for v in variants(flow, str(card["id"])):
            if v.available:
                by_size.setdefault(str(v.options.get("size")), set()).add(
                    str(v.options.get("color"))
                )
        for size, colours in by_size.items():
            if len(colours) > 1:
                return i, size
    pytest.skip("no shown product with a size in several colours")


async def test_whatever_colour_leaves_the_colour_open_not_the_size(flow: Flow) -> None:
    for search in ("hiking boots", "sneakers", "t-shirts", "hoodies", "rain jackets"):
        try:
            i, size = _size_in_several_colours(flow, await shown(flow, search))
            break
        except pytest.skip.Exception:
            continue
    else:
        pytest.fail("no shown product with one size in several colours in five searches")
    ordinal = ["first", "second", "third", "fourth", "fifth"][i]
    await flow.say(f"ok add the {ordinal} one in size {size}, whatever colour you have is fine")
    lines = cart(flow).lines
    assert len(lines) == 1 and lines[0].options.get("size") == size


@pytest.mark.parametrize(
    ("search", "add", "fewer"),
    [
        ("des puzzles de 1000 pièces", "mets-en deux du premier", "finalement un seul suffira"),
        ("1000 piece jigsaw puzzles", "put two of the first one in my cart", "one will do"),
    ],
)
async def test_one_will_do_sets_the_line_to_one(
    flow: Flow, search: str, add: str, fewer: str
) -> None:
    await shown(flow, search)
    await flow.say(add)
    assert [line.quantity for line in cart(flow).lines] == [2]
    await flow.say(fewer)
    assert [line.quantity for line in cart(flow).lines] == [1]


async def test_a_colour_named_when_adding_replaces_the_one_searched_for(flow: Flow) -> None:
    # "any in blue?" then "ok the red one then, in my cart": red, never red and blue
    cards = await shown(flow, "show me water bottles in blue", at_least=1)
    pid = str(cards[0]["id"])
    stocked = [v for v in variants(flow, pid) if v.available]
    colours = {str(v.options.get("color")) for v in stocked} - {"None", "blue"}
    other = next(
        (
            c
            for c in sorted(colours)
            if len([v for v in stocked if v.options.get("color") == c]) == 1
        ),
        None,
    )
    if other is None:
        pytest.skip("the first bottle has no other colour in exactly one variant in stock")
    r = await flow.say(f"ok then the first one in {other}, put it in my cart")
    (line,) = cart(flow).lines
    assert line.product_id == pid and line.options.get("color") == other, r.reply


@pytest.mark.parametrize(
    ("search", "compare", "pick"),
    [
        (
            "altavoces bluetooth rojos",
            "compara el primero y el tercero",
            "vale, el más barato de esos dos al carrito",
        ),
        (
            "rote bluetooth lautsprecher",
            "vergleich mal den ersten mit dem dritten",
            "ok dann den günstigeren von beiden in den korb",
        ),
    ],
)
async def test_the_cheaper_of_the_two_compared_goes_in_alone_and_once(
    flow: Flow, search: str, compare: str, pick: str
) -> None:
    # "el más barato de esos dos": of the two just compared (not of every card, nor of the
    # first two "beiden" may read as), and the "dos" of "esos dos" is no quantity
    cards = await shown(flow, search, at_least=3)
    await flow.say(compare)
    r = await flow.say(pick)
    (line,) = cart(flow).lines
    cheaper = min((cards[0], cards[2]), key=lambda c: float(c["price"]))
    assert (line.product_id, line.quantity) == (cheaper["id"], 1), r.reply


async def test_two_shown_products_added_in_one_message_each_with_its_colour(flow: Flow) -> None:
    # "put the first one in blue in my cart, and also the third in black": two lines, each
    # with the colour its own clause names
    cards = await shown(flow, "show me water bottles", at_least=3)
    picks: list[tuple[str, str]] = []
    for i in (0, 2):
        stocked = [v for v in variants(flow, str(cards[i]["id"])) if v.available]
        colours = [str(v.options.get("color")) for v in stocked]
        once = sorted(c for c in set(colours) if colours.count(c) == 1 and c != "None")
        if not once:
            pytest.skip("a picked bottle has no colour in exactly one variant in stock")
        picks.append((str(cards[i]["id"]), once[0]))
    (first, c1), (third, c3) = picks
    r = await flow.say(f"put the first one in {c1} in my cart, and also the third in {c3}")
    lines = {(line.product_id, line.options.get("color")) for line in cart(flow).lines}
    assert lines == {(first, c1), (third, c3)}, r.reply


@pytest.mark.parametrize(
    "choice",
    ["ok the {brand} it is, {size} pls", "fine, i'll go with the {brand} one in {size}"],
)
async def test_settling_on_a_shown_product_by_its_brand_adds_it(flow: Flow, choice: str) -> None:
    cards = await shown(flow, "show me dog beds", at_least=3)
    brands = [str(c["name"]).split()[0] for c in cards]
    for card, brand in zip(cards, brands, strict=True):
        sizes = [
            s
            for s in sizes_in_stock(flow, str(card["id"]))
            if len(
                [
                    v
                    for v in variants(flow, str(card["id"]))
                    if v.available and v.options.get("size") == s
                ]
            )
            == 1
        ]
        if brands.count(brand) == 1 and len(brand) >= 5 and sizes:
            r = await flow.say(choice.format(brand=brand.lower(), size=sizes[0]))
            (line,) = cart(flow).lines
            assert (line.product_id, line.options.get("size")) == (card["id"], sizes[0]), r.reply
            return
    pytest.skip("no shown dog bed with a brand of its own and a size in one variant")


@pytest.mark.parametrize(
    ("search", "take", "more", "count"),
    [
        ("red 6 ft dog leashes", "the second one please", "another of that, we've got 3 dogs", 2),
        ("bandas de resistencia, medium", "el segundo", "pon 3", 3),
        ("1000 piece jigsaw puzzles", "add the second", "make that 2 of them", 2),
    ],
)
async def test_a_bare_count_after_an_add_is_the_line_just_added(
    flow: Flow, search: str, take: str, more: str, count: int
) -> None:
    """A bare number right after an add counts that line; it names no other shown product."""
    await shown(flow, search)
    await flow.say(take)
    (first,) = cart(flow).lines
    await flow.say(more)
    (line,) = cart(flow).lines
    assert (line.product_id, line.quantity) == (first.product_id, count)


async def test_a_line_is_removed_by_the_head_word_of_its_type(flow: Flow) -> None:
    # "enlève la lampe": the desk lamp's line, though the pillow was touched last
    await shown(flow, "une lampe de bureau à moins de 80")
    await flow.say("la première, couleur peu importe")
    await shown(flow, "et un oreiller ferme svp")
    await flow.say("le premier, taille peu importe")
    types = sorted(line.product_type for line in cart(flow).lines)
    assert types == ["Bed Pillow", "Desk Lamp"]
    await flow.say("enlève la lampe finalement")
    assert [line.product_type for line in cart(flow).lines] == ["Bed Pillow"]


async def test_the_cheapest_of_those_goes_in(flow: Flow) -> None:
    cards = await shown(flow, "power banks, the 20000mah kind")
    r = await flow.say("ok grab me the cheapest of those")
    assert "add_to_cart" in r.tools_used, r.reply
    (line,) = cart(flow).lines
    cheapest = min(cards, key=lambda c: float(c["price"]))
    assert line.product_id == cheapest["id"]


async def test_the_cheaper_one_in_a_size_is_the_cheapest_of_those_stocked_in_it(
    flow: Flow,
) -> None:
    """ "add the cheaper one of those in xl": among the shown in stock in XL, not of all."""
    cards = await shown(flow, "hoodies", at_least=3)
    cheapest = min(cards, key=lambda c: float(c["price"]))
    size = next(
        (z for z in ("XL", "XS", "S", "L", "M") if z not in sizes_in_stock(flow, str(cheapest["id"]))
         and any(z in sizes_in_stock(flow, str(c["id"])) for c in cards)),
        None,
    )  # fmt: skip
    if size is None:
        pytest.skip("the cheapest hoodie shown is in stock in every size another one has")
    having = [c for c in cards if size in sizes_in_stock(flow, str(c["id"]))]
    meant = min(having, key=lambda c: float(c["price"]))
    r = await flow.say(f"add the cheaper one of those in {size.lower()}")
    if "add_to_cart" not in r.tools_used:  # its colour in that size is asked first
        assert str(meant["name"]) in r.reply and not cart(flow).lines, r.reply
        return
    (line,) = cart(flow).lines
    assert line.product_id == meant["id"], r.reply
    assert line.options.get("size") == size


async def test_a_choice_then_a_search_in_one_message_does_both(flow: Flow) -> None:
    cards = await shown(flow, "red t-shirts under 40")
    r = await flow.say(
        "nice, the cheaper one in a medium please. oh and what's your cheapest 10000mah power bank"
    )
    (line,) = cart(flow).lines
    cheapest = min(cards, key=lambda c: float(c["price"]))
    assert (line.product_id, line.options.get("size")) == (cheapest["id"], "M"), r.reply
    assert r.cards and all("Power Bank" in str(c["name"]) for c in r.cards), r.reply
    r = await flow.say("add 2 of that one too. what's my total now")
    assert sorted(ln.quantity for ln in cart(flow).lines) == [1, 2], r.reply
    assert f"{cart(flow).total:.2f}" in r.reply


def _two_colours_in_m(flow: Flow, cards: list[dict[str, Any]]) -> tuple[int, list[str]] | None:
    """A shown product (position) with two or more colours in stock in size M."""
    for i, card in enumerate(cards):
        in_m = [v for v in variants(flow, str(card["id"])) if v.available]
        colours = sorted(
            {str(v.options.get("color")) for v in in_m if v.options.get("size") == "M"}
        )
        if len(colours) >= 2:
            return i, colours
    return None


ORDINALS = ["first", "second", "third", "fourth", "fifth"]
# searches whose shown products often have two colours in stock in size M
TWO_COLOUR_SEARCHES = ["hoodies", "rain jackets", "t-shirts", "fleece jackets"]


async def added_in_m(flow: Flow, search: str) -> list[str]:
    """Add, in M and its first colour, a shown product with two colours in M; the colours.

    Skips the test when no product shown for ``search`` has two.
    """
    found = _two_colours_in_m(flow, await shown(flow, search))
    if found is None:
        pytest.skip(f"no shown {search} with two colours in M")
    i, colours = found
    await flow.say(f"the {ORDINALS[i]} one in M, {colours[0]}")
    return colours


@pytest.mark.parametrize(
    "asked",
    [
        "ugh actually the {new} one instead, same size",
        "hmm {old} is a bit loud. rather {new}, same size",  # the colour chosen refused
    ],
)
@pytest.mark.parametrize("search", TWO_COLOUR_SEARCHES)
async def test_another_colour_instead_right_after_the_add_changes_that_line(
    flow: Flow, search: str, asked: str
) -> None:
    colours = await added_in_m(flow, search)
    (before,) = cart(flow).lines
    assert before.options == {"size": "M", "color": colours[0]}
    r = await flow.say(asked.format(old=colours[0], new=colours[1]))
    (line,) = cart(flow).lines
    assert (line.product_id, line.options) == (
        before.product_id,
        {"size": "M", "color": colours[1]},
    ), r.reply


def _two_sizes_in_one_colour(
    flow: Flow, cards: list[dict[str, Any]]
) -> tuple[int, str, list[str]] | None:
    """A shown product (position), a colour, and two or more letter sizes in stock in it."""
    for i, card in enumerate(cards):
        by_colour: dict[str, set[str]] = {}
        for v in variants(flow, str(card["id"])):
            size = str(v.options.get("size", ""))
            if v.available and size.isalpha():
                by_colour.setdefault(str(v.options.get("color")), set()).add(size)
        for colour, sizes in sorted(by_colour.items()):
            if len(sizes) >= 2:
                return i, colour, sorted(sizes)
    return None


@pytest.mark.parametrize(
    ("search", "asked"),
    [
        ("hoodies", "hmm better in {new}, the {old} is too tight"),
        ("sudaderas", "uy mejor en {new}, la {old} me queda chica"),
        ("Kapuzenpullis", "lieber doch in {new}, die {old} ist zu eng"),
    ],
)
async def test_another_size_instead_with_the_old_one_named_changes_that_line(
    flow: Flow, search: str, asked: str
) -> None:
    # right after the add, the size said with "rather" is the new one; the one said
    # as too small is the line's own, no second line and no refusal of both
    found = _two_sizes_in_one_colour(flow, await shown(flow, search))
    if found is None:
        pytest.skip(f"no shown {search} with two sizes in one colour")
    i, colour, sizes = found
    await flow.say(f"the {ORDINALS[i]} one in {sizes[0]}, {colour}")
    (before,) = cart(flow).lines
    r = await flow.say(asked.format(old=sizes[0], new=sizes[1]))
    (line,) = cart(flow).lines
    assert (line.product_id, line.options) == (
        before.product_id,
        {"size": sizes[1], "color": colour},
    ), r.reply


@pytest.mark.parametrize(
    ("asked", "out"),
    [
        ("oh and that same one in {new} too, just one", "nvm take the {new} one out. whats my total now"),
        ("und vom gleichen noch einen in {new}", "doch nicht, nimm den {new} raus. was kostet jetzt alles?"),
        ("et aussi le même en {new}, juste un", "finalement enlève le {new}. ça fait combien en tout ?"),
    ],
)  # fmt: skip
async def test_the_same_product_in_another_colour_too_is_a_line_of_its_own(
    flow: Flow, asked: str, out: str
) -> None:
    colours = await added_in_m(flow, "t-shirts")
    (first,) = cart(flow).lines
    new = colours[1]
    r = await flow.say(asked.format(new=new))
    lines = cart(flow).lines
    assert len(lines) == 2, r.reply
    added = next(ln for ln in lines if ln.id != first.id)
    assert (added.product_id, added.options, added.quantity) == (
        first.product_id,
        {"size": "M", "color": new},
        1,
    ), r.reply
    r = await flow.say(out.format(new=new))
    (left,) = cart(flow).lines
    assert left.id == first.id, r.reply
    assert f"{cart(flow).total:.2f}".replace(".", "") in r.reply.replace(".", "").replace(",", "")


def _told_apart(flow: Flow, first: str, second: str) -> tuple[str, str, str, str] | None:
    """(product id, colour, option name, value): stocked in ``first`` or ``second``, not both."""

    def combos(pid: str) -> set[tuple[str, str, str]]:
        return {
            (str(v.options["color"]), k, str(val))
            for v in variants(flow, pid)
            if v.available and "color" in v.options
            for k, val in v.options.items()
            if k not in ("color", "size")
        }

    a, b = combos(first), combos(second)
    for pid, only in ((first, a - b), (second, b - a)):
        for colour, name, value in sorted(only):
            # the colour alone must not tell them apart (the other value has to count)
            if any(c == colour for c, _, _ in (b if pid == first else a)):
                return pid, colour, name, value
    return None


@pytest.mark.parametrize("search", ["blenders", "electric kettles", "water bottles"])
async def test_a_colour_and_an_option_value_pick_one_of_the_two_compared(
    flow: Flow, search: str
) -> None:
    cards = await shown(flow, search, at_least=3)
    found = _told_apart(flow, str(cards[0]["id"]), str(cards[1]["id"]))
    if found is None:
        pytest.skip(f"the first two {search} are not told apart by a colour and a value")
    pid, colour, _name, value = found
    await flow.say("compare the first two")
    r = await flow.say(f"ok i'll take the {colour} one in {value}")
    lines = cart(flow).lines
    assert len(lines) == 1, r.reply
    (line,) = lines
    assert line.product_id == pid and line.options.get("color") == colour, r.reply


def _colour_of_one_other(
    flow: Flow, cards: list[dict[str, Any]], added: str
) -> tuple[str, str] | None:
    """(product id, colour): a colour in stock in M in exactly one shown product, not ``added``."""

    def in_m(pid: str) -> set[str]:
        return {
            str(v.options.get("color"))
            for v in variants(flow, pid)
            if v.available and v.options.get("size") == "M"
        }

    mine = in_m(added)
    others = {str(c["id"]): in_m(str(c["id"])) for c in cards if str(c["id"]) != added}
    for colour in sorted(set().union(*others.values()) - mine):
        having = [pid for pid, colours in others.items() if colour in colours]
        if len(having) == 1:
            return having[0], colour
    return None


async def test_the_red_one_too_is_the_shown_one_in_red_and_keep_only_it(flow: Flow) -> None:
    cards = await shown(flow, "t-shirts", at_least=3)
    with_m = [i for i, c in enumerate(cards) if "M" in sizes_in_stock(flow, str(c["id"]))]
    assert with_m, "no shown t-shirt in M"
    i = with_m[0]
    colour_m = sorted(
        str(v.options["color"])
        for v in variants(flow, str(cards[i]["id"]))
        if v.available and v.options.get("size") == "M"
    )[0]
    r = await flow.say(f"the {ORDINALS[i]} one in M, {colour_m} please")
    lines = cart(flow).lines
    assert len(lines) == 1, r.reply
    (first,) = lines
    found = _colour_of_one_other(flow, cards, first.product_id)
    if found is None:
        pytest.skip("no colour in M that only one other shown t-shirt has")
    pid, colour = found
    r = await flow.say(f"oh and the {colour} one too, just 1")
    added = [ln for ln in cart(flow).lines if ln.id != first.id]
    assert [(ln.product_id, ln.options.get("color")) for ln in added] == [(pid, colour)], r.reply
    r = await flow.say(f"actually scrap the other one, keep only the {colour}. whats my total now?")
    (left,) = cart(flow).lines
    assert left.product_id == pid, r.reply


def _feature_in_a_colour_elsewhere(
    flow: Flow, cards: list[dict[str, Any]]
) -> tuple[str, str, str] | None:
    """(feature, colour, product id): of the first two, one has the feature but not in the
    colour; exactly one other shown product has both."""
    from catalog.models import Product

    def features_of(pid: str) -> set[str]:
        with Session(flow.engine) as s:
            product = s.get(Product, pid)
            return set((product.attributes or {}).get("features", [])) if product else set()

    def colours_of(pid: str) -> set[str]:
        return {str(v.options.get("color")) for v in variants(flow, pid) if v.available}

    ids = [str(c["id"]) for c in cards]
    pair, rest = ids[:2], ids[2:]
    for feature in sorted(features_of(pair[0]) ^ features_of(pair[1])):
        holder = next(p for p in pair if feature in features_of(p))
        for colour in sorted(set().union(*(colours_of(p) for p in rest)) - colours_of(holder)):
            having = [p for p in rest if feature in features_of(p) and colour in colours_of(p)]
            if len(having) == 1:
                return feature, colour, having[0]
    return None


@pytest.mark.parametrize("search", ["desk lamps", "headlamps", "water bottles"])
async def test_the_one_with_a_feature_in_a_colour_is_the_shown_one_that_has_both(
    flow: Flow, search: str
) -> None:
    cards = await shown(flow, search, at_least=3)
    found = _feature_in_a_colour_elsewhere(flow, cards)
    if found is None:
        pytest.skip(f"no feature and colour of {search} set the compared pair apart")
    feature, colour, pid = found
    await flow.say("compare the first two")
    r = await flow.say(f"ok get me the one with {feature.lower()} then, in {colour}")
    assert [ln.product_id for ln in cart(flow).lines] == [pid], r.reply


@pytest.mark.parametrize(
    ("first", "second", "too"),
    [
        ("headlamps", "yoga mats", "that first one too"),
        ("headlamps", "yoga mats", "la 1ere aussi stp"),
        ("headlamps", "yoga mats", "anche il primo"),
    ],
)
async def test_the_first_one_too_after_a_second_search_adds_it(
    flow: Flow, first: str, second: str, too: str
) -> None:
    # (the cart may ask for its colour or size first: then it names that product)
    await shown(flow, first)
    await flow.say("add the first one")
    cards = await shown(flow, second)
    r = await flow.say(too)
    added = str(cards[0]["id"]) in {ln.product_id for ln in cart(flow).lines}
    assert added or (str(cards[0]["name"]) in r.reply and "?" in r.reply), r.reply
    assert "search_catalog" not in r.tools_used and not r.reply.count("\n"), r.reply
