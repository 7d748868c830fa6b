"""A shown product picked in passing: "fine, that one", "pon dos", "trois paires" (written for this).

Every check reads the conversation's cart, its cards and the store, never a fixed string.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.assistant.flows.test_cart import cart, shown, variants
from tests.assistant.test_flows import Flow


def _cheapest(cards: list[dict[str, Any]]) -> dict[str, Any]:
    return min(cards, key=lambda c: float(c["price"]))


async def test_that_one_after_the_cheapest_is_the_cheapest_in_the_values_said(
    flow: Flow,
) -> None:
    r = await flow.say("whats the cheapest electric kettle you've got")
    lead = r.cards[0]
    colours = sorted(
        {str(v.options["color"]) for v in variants(flow, str(lead["id"])) if v.available}
    )
    await flow.say(f"fine, that one. {colours[-1]} pls, the 1.7L")
    lines = cart(flow).lines
    assert [ln.product_id for ln in lines] == [str(lead["id"])], lines


async def test_two_put_right_after_the_cheapest(flow: Flow) -> None:
    r = await flow.say("busco una almohada firme, tamaño king, la más barata que tengáis")
    lead = r.cards[0]
    await flow.say("pon dos, una es para mi pareja")
    lines = cart(flow).lines
    assert [(ln.product_id, ln.quantity) for ln in lines] == [(str(lead["id"]), 2)], lines
    assert lines[0].options.get("size") == "king", lines


async def test_a_yes_and_the_cheaper_of_two_in_a_value(flow: Flow) -> None:
    cards = await shown(flow, "busco coches teledirigidos")
    await flow.say("compara los dos primeros")
    pair = sorted(cards[:2], key=lambda c: float(c["price"]))
    spanish = {"red": "rojo", "blue": "azul", "green": "verde", "black": "negro"}
    scale, colour = min(
        (str(v.options["scale"]), str(v.options.get("color")))
        for v in variants(flow, str(pair[0]["id"]))
        if v.available and v.options.get("color") in spanish
    )
    await flow.say(f"vale, pues el más barato de los dos, en escala {scale}, {spanish[colour]}")
    lines = cart(flow).lines
    assert [ln.product_id for ln in lines] == [str(pair[0]["id"])], lines
    assert lines[0].options.get("scale") == scale, lines


async def test_a_narrowed_pick_counted_in_pairs_is_added(flow: Flow) -> None:
    await shown(flow, "je cherche des chaussettes en laine mérinos pour la rando")
    await flow.say("en L, les moins chères. trois paires, on part à trois")
    lines = cart(flow).lines
    assert len(lines) == 1 and lines[0].quantity == 3, lines
    assert lines[0].options.get("size") == "L", lines


async def test_a_question_with_pairs_adds_nothing(flow: Flow) -> None:
    await shown(flow, "je cherche des chaussettes en laine mérinos pour la rando")
    await flow.say("les moins chères en L, vous en avez trois paires ?")
    assert flow.conversation_id is not None
    assert not cart(flow).lines


async def test_a_swap_naming_the_line_s_own_kind_changes_the_line(flow: Flow) -> None:
    r = await flow.say("need a couple insulated water bottles, the 750ml size. whatever's cheapest")
    lead = str(r.cards[0]["id"])
    first = sorted(
        str(v.options["color"])
        for v in variants(flow, lead)
        if v.available and v.options.get("capacity") == "750ml"
    )[0]
    await flow.say(f"ok two of those in {first}")
    before = cart(flow).lines
    assert [(ln.product_id, ln.quantity) for ln in before] == [(lead, 2)], before
    colours = {
        str(v.options["color"])
        for v in variants(flow, lead)
        if v.available and v.options.get("capacity") == before[0].options.get("capacity")
    } - {str(before[0].options.get("color"))}
    assert colours, "the test store has one colour only"
    other = sorted(colours)[0]
    r = await flow.say(f"wait actually can u swap them for {other}? same bottle same size")
    after = cart(flow).lines
    assert [(ln.product_id, ln.quantity) for ln in after] == [(lead, 2)], r.reply
    assert after[0].options.get("color") == other, r.reply


async def test_the_biggest_of_a_measured_option_is_taken(flow: Flow) -> None:
    r = await flow.say("whats the cheapest blender")
    lead = str(r.cards[0]["id"])
    stocked = [v for v in variants(flow, lead) if v.available]
    capacities = {str(v.options["capacity"]) for v in stocked}
    biggest = max(capacities, key=lambda c: float(c.split()[0]))
    colour = next(str(v.options["color"]) for v in stocked if v.options["capacity"] == biggest)
    await flow.say(f"ok that one. {colour} if they have it, and the biggest jug size")
    lines = cart(flow).lines
    assert [ln.product_id for ln in lines] == [lead], lines
    assert lines[0].options.get("capacity") == biggest, lines


def _cheapest_match(flow: Flow, words: str, kind: str) -> str:
    """The id of the store's cheapest in-stock product of ``kind``."""
    searcher = flow.chat.deps.searcher
    prices = {
        h.product_id: min(v.price for v in h.variants if v.available)
        for h in searcher.search(words, limit=100)
        if searcher.vocabulary.type_of.get(h.product_id) == kind
        and any(v.available for v in h.variants)
    }
    return min(prices, key=lambda pid: prices[pid])


async def test_the_cheapest_after_a_list_by_relevance_is_the_cheapest_match(flow: Flow) -> None:
    kinds = [("wool socks", "Wool Socks"), ("hiking boots", "Hiking Boots"),
             ("t-shirts", "T-Shirt"), ("hoodies", "Hoodie"), ("rain jackets", "Rain Jacket"),
             ("yoga mats", "Yoga Mat"), ("backpacks", "Hiking Backpack")]  # fmt: skip
    for words, kind in kinds:
        flow.conversation_id = None
        cards = (await flow.say(f"got any {words}?")).cards
        cheapest = _cheapest_match(flow, words, kind)
        if len(cards) >= 5 and cheapest not in {str(c["id"]) for c in cards}:
            break
    else:
        pytest.skip("no kind whose cheapest match is left off its first list")
    r = await flow.say("ok put the cheapest one in my cart")
    assert cheapest in {str(c["id"]) for c in r.cards}, r.reply


async def test_the_cheapest_of_those_stays_on_screen(flow: Flow) -> None:
    cards = await shown(flow, "got any wool socks?", at_least=5)
    r = await flow.say("the cheapest of those in my cart pls")
    ids = [str(c["id"]) for c in cards]
    assert all(str(c["id"]) in ids for c in r.cards), r.reply
    assert str(_cheapest(cards)["id"]) in {str(c["id"]) for c in r.cards}, r.reply


async def test_two_of_those_after_the_cheapest_counts_the_cheapest(flow: Flow) -> None:
    r = await flow.say("whats the cheapest 1000 piece puzzle you've got")
    lead = str(r.cards[0]["id"])
    await flow.say("perfect, add 2 of those, my aunt is getting one too")
    lines = cart(flow).lines
    assert [(ln.product_id, ln.quantity) for ln in lines] == [(lead, 2)], lines


@pytest.mark.parametrize(
    ("ask", "take"),
    [
        ("is the {ord} one {a} or {b}?", "{b} version pls, just one"),
        ("ist die {ord} {a} oder {b}?", "die {b}-Variante bitte, nur eine"),
        ("la {ord} est en {a} ou {b} ?", "en {b} svp, juste une"),
    ],
)
async def test_a_value_asked_for_politely_after_a_question_is_taken(
    flow: Flow, ask: str, take: str
) -> None:
    cards = await shown(flow, "pruning shears")
    words = {"en": ["first", "second", "third"], "de": ["erste", "zweite", "dritte"],
             "fr": ["première", "deuxième", "troisième"]}  # fmt: skip
    lang = "en" if "is the" in ask else "de" if "ist" in ask else "fr"

    def blades(card: dict[str, Any]) -> list[str]:
        return sorted({v.options["type"] for v in variants(flow, str(card["id"])) if v.available})

    i = next((i for i, c in enumerate(cards[:3]) if len(blades(c)) == 2), None)
    if i is None:
        pytest.skip("no shown shears with two blade types in stock")
    card, kinds = cards[i], blades(cards[i])
    await flow.say(ask.format(ord=words[lang][i], a=kinds[0], b=kinds[1]))
    r = await flow.say(take.format(b=kinds[1]))
    (line,) = cart(flow).lines
    assert (line.product_id, line.options["type"], line.quantity) == (
        str(card["id"]),
        kinds[1],
        1,
    ), r.reply


async def test_then_that_one_with_the_best_reviews_in_a_size_is_taken(flow: Flow) -> None:
    cards = await shown(flow, "cerco un orto rialzato")
    best = max(cards, key=lambda c: (float(c.get("rating") or 0), -cards.index(c)))
    sizes = sorted({v.options["size"] for v in variants(flow, str(best["id"])) if v.available})
    if not sizes or sum(float(c.get("rating") or 0) == float(best.get("rating") or 0)
                        for c in cards) > 1:  # fmt: skip
        pytest.skip("no single best-rated bed with a size in stock")
    size = sizes[0]
    r = await flow.say(f"perfetto, allora quello con le recensioni migliori, in {size}")
    (line,) = cart(flow).lines
    assert (line.product_id, line.options["size"]) == (str(best["id"]), size), r.reply


@pytest.mark.parametrize(
    "pick",
    [
        "the cheaper of those two lamps pls",
        "die günstigere von beiden bitte",
        "le moins cher des deux stp",
    ],
)
async def test_a_pick_asked_for_politely_is_taken(flow: Flow, pick: str) -> None:
    cards = await shown(flow, "desk lamps")
    await flow.say("compare the first two")
    r = await flow.say(pick)
    cheaper = min(cards[:2], key=lambda c: float(c["price"]))
    lines = cart(flow).lines
    # added, or its options asked for by name
    assert [ln.product_id for ln in lines] == [cheaper["id"]] or (
        not lines and str(cheaper["name"]) in r.reply
    ), r.reply


async def test_show_me_the_cheapest_pls_adds_nothing(flow: Flow) -> None:
    await shown(flow, "desk lamps")
    await flow.say("show me the cheapest pls")
    assert not cart(flow).lines
