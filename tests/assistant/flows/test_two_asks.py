"""Whole turns with the trained reader: two asks in one message, and a choice settled on.

A thing the shop lacks beside one it has, an add and a removal together, and "the X one in
L then". The phrasings are written for these tests; checks read the cart and the cards.
"""

from __future__ import annotations

import pytest

from assistant.flows.cart_both import parts_of
from assistant.nlu.cues import dialogue_hits
from assistant.nlu.message import Reading
from tests.assistant.flows.test_cart import _sized, cart, shown, variants
from tests.assistant.test_flows import Flow


@pytest.mark.parametrize(
    ("text", "lacking", "kind"),
    [
        ("¿vendéis patinetes eléctricos? y si no, una mochila grande, la más barata", "patinetes", "Hiking Backpack"),
        ("do you sell electric scooters? if not, a headlamp", "scooters", "Headlamp"),
        ("vous vendez des trottinettes électriques ? sinon un sac à dos", "trottinettes", "Hiking Backpack"),
    ],
)  # fmt: skip
async def test_a_thing_lacking_is_said_and_the_second_request_shown(
    flow: Flow, text: str, lacking: str, kind: str
) -> None:
    r = await flow.say(text)
    assert r.cards and all(str(c["name"]).endswith(kind) for c in r.cards), r.reply
    assert lacking in r.reply.split(".")[0], r.reply  # said first
    assert "L" not in r.reply.replace("L'", ""), r.reply  # "grande" is no size of a backpack


async def test_an_add_and_a_removal_in_one_message_do_both_in_spanish(flow: Flow) -> None:
    await shown(flow, "¿cuál es el cuchillo de chef mejor valorado que tenéis?")
    r = await flow.say("Vale, me lo llevo. Al carrito.")
    if not cart(flow).lines:  # the length is asked
        await flow.say(r.reply.split(": ")[-1].split(",")[0].strip(" ."))
    assert [ln.product_type for ln in cart(flow).lines] == ["Chef's Knife"]
    await shown(flow, "y unas tijeras de podar bypass, las más baratas que haya")
    await flow.say("Añádelas también. Y pensándolo mejor quita el cuchillo, que es muy caro")
    assert [ln.product_type for ln in cart(flow).lines] == ["Pruning Shears"]


async def test_a_removal_then_an_add_in_one_message_do_both_in_english(flow: Flow) -> None:
    await shown(flow, "cheapest electric kettle?")
    await flow.say("add the white one")
    assert [ln.product_type for ln in cart(flow).lines] == ["Electric Kettle"]
    cards = await shown(flow, "show me insulated water bottles")
    r = await flow.say("take the kettle out and put the first bottle in instead")
    types = [ln.product_type for ln in cart(flow).lines]
    assert "Electric Kettle" not in types
    assert types == ["Water Bottle"] or cards[0]["name"] in r.reply, r.reply  # added or asked


@pytest.mark.parametrize(
    ("text", "lang", "ops"),
    [
        ("add the second one. and take the mug out", "en", ["add", "remove"]),
        ("nimm die Tasse raus und pack die zweite ein", "de", ["remove", "add"]),
        ("ajoute la deuxième, et enlève la tasse du panier", "fr", ["add", "remove"]),
        ("togli la tazza e aggiungi la seconda", "it", ["remove", "add"]),
    ],
)
def test_an_add_and_a_removal_are_cut_at_the_clause_between(
    text: str, lang: str, ops: list[str]
) -> None:
    parts = parts_of(Reading(text=text, lang=lang), dialogue_hits(text, lang))
    assert parts is not None and [p.cart for p in parts] == ops
    assert "".join(p.text for p in parts) == text


@pytest.mark.parametrize(
    ("text", "lang"),
    [("add the second one", "en"), ("take the mug out", "en"), ("quita la taza", "es")],
)
def test_one_cart_operation_is_not_cut(text: str, lang: str) -> None:
    assert parts_of(Reading(text=text, lang=lang), dialogue_hits(text, lang)) is None


async def test_a_choice_settled_on_with_then_is_added(flow: Flow) -> None:
    cards = await shown(flow, "show me fleece jackets")
    i, size, variant = _sized(flow, cards)
    brand = str(cards[i]["name"]).split()[0]
    assert sum(str(c["name"]).startswith(brand) for c in cards) == 1
    r = await flow.say(f"ugh fine, the {brand} one in {size} then, he likes stuff baggy anyway")
    lines = cart(flow).lines
    assert lines and lines[0].product_id == str(cards[i]["id"]), r.reply
    assert lines[0].options.get("size") == size


async def test_show_me_the_cheapest_then_shows_it_and_adds_nothing(flow: Flow) -> None:
    await shown(flow, "show me fleece jackets")
    r = await flow.say("show me the cheapest then")
    assert not cart(flow).lines, r.reply
    prices = [float(c["price"]) for c in r.cards]
    assert len(prices) > 1 and prices[0] == min(prices)


async def test_a_question_for_the_cheapest_of_a_kind_shown_adds_nothing(flow: Flow) -> None:
    await shown(flow, "gift for my mom, she likes 1000 piece jigsaw puzzles")
    r = await flow.say("whats the cheapest 1000 piece puzzle you've got")
    assert not cart(flow).lines, r.reply
    assert "add_to_cart" not in r.tools_used


async def test_the_cheaper_of_those_in_values_is_among_those_that_have_them(flow: Flow) -> None:
    """ "den günstigeren von denen", red with the 64 oz jar: of the shown ones with both."""
    cards = await shown(flow, "show me blenders")
    stocked: dict[tuple[str, str], list[int]] = {}
    for i, card in enumerate(cards):
        for v in variants(flow, str(card["id"])):
            color, capacity = v.options.get("color"), v.options.get("capacity")
            if v.available and color and capacity:
                stocked.setdefault((color, capacity), []).append(i)
    prices = [float(c["price"]) for c in cards]
    cheapest = prices.index(min(prices))
    combos = [
        (k, ids)
        for k, ids in stocked.items()
        if len(set(ids)) >= 2 and cheapest not in ids and k[0] in ("red", "black", "white", "blue")
    ]
    assert combos, "the shown blenders have no two-product colour and capacity"
    (color, capacity), ids = combos[0]
    german = {"red": "roten", "black": "schwarzen", "white": "weißen", "blue": "blauen"}
    said = capacity.replace(" ", "-")  # "64-oz-Behälter": the reader may take "64" for a size
    await flow.say(
        f"ok, dann nen {german[color]} mit dem {said}-Behälter, den günstigeren von denen "
        "bitte in den Warenkorb"
    )
    lines = cart(flow).lines
    assert len(lines) == 1 and lines[0].options == {"color": color, "capacity": capacity}
    best = min(set(ids), key=lambda i: prices[i])
    assert lines[0].product_id == str(cards[best]["id"])


async def test_a_choice_between_shown_ones_with_an_empty_cart_removes_nothing(flow: Flow) -> None:
    await shown(flow, "show me fleece jackets")
    r = await flow.say("I don't want the red one, add the second one")
    assert "remove_from_cart" not in r.tools_used, r.reply
