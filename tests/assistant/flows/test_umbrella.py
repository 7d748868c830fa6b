"""Words that name several kinds ("casque", "audífonos"): the features named choose the kind.

The phrasings are written for these tests; every check reads the cards and the store.
"""

from __future__ import annotations

import pytest

from tests.assistant.test_flows import Flow

KINDS = ("Over-Ear Headphones", "Wireless Earbuds", "Bike Helmet")


def kinds(cards: list[dict[str, object]]) -> set[str]:
    """Return the kinds of the cards (the demo store's names end with the product type)."""
    return {k for c in cards for k in KINDS if str(c["name"]).endswith(k)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("casque avec réduction de bruit active, pas trop cher", "Over-Ear Headphones"),
        ("un casque ventilé pour le vélo svp", "Bike Helmet"),
        ("y tienen audífonos inalámbricos de menos de 50?", "Wireless Earbuds"),
    ],
)
async def test_a_feature_chooses_the_kind_of_an_umbrella_word(
    flow: Flow, text: str, kind: str
) -> None:
    r = await flow.say(text)
    assert r.cards, r.reply
    assert kinds(r.cards) == {kind}, r.reply


async def test_a_feature_every_kind_has_chooses_none(flow: Flow) -> None:
    # noise cancellation: both the over-ear headphones and the earbuds have it
    r = await flow.say("busco audífonos con cancelación de ruido")
    assert r.cards, r.reply
    assert kinds(r.cards) <= {"Over-Ear Headphones", "Wireless Earbuds"}


async def test_an_area_with_a_description_shows_the_kind_described(flow: Flow) -> None:
    # an area named in a story, a thing described in the request: the thing's kind
    r = await flow.say(
        "my sister has zero kitchen stuff, she drinks tea all day. "
        "whats a decent thing to boil water in?"
    )
    assert r.cards, r.reply
    assert all(str(c["name"]).endswith("Electric Kettle") for c in r.cards), r.reply


async def test_an_area_without_a_description_shows_the_area(flow: Flow) -> None:
    r = await flow.say("something for the kitchen pls")
    names = {str(c["name"]).rsplit(" ", 2)[-2:][0] for c in r.cards}
    assert len(r.cards) > 1 and len(names) > 1, r.reply  # several kinds of the area


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("what kinda gardening stuff do you carry?", "en"),
        ("what do you have for the garden?", "en"),
        ("vous vendez quoi pour le jardin ?", "fr"),
    ],
)
async def test_what_a_department_holds_is_shown_and_its_kinds_named(
    flow: Flow, text: str, lang: str
) -> None:
    r = await flow.say(text)
    assert r.cards and "search_catalog" in r.tools_used, r.reply
    garden = [t for t, c in flow.chat.deps.searcher.lexicon.type_category.items() if c == "Garden"]
    # each of the department's kinds is named (in English, or the shop's word for it)
    named = sum(t.lower() in r.reply.lower() for t in garden)
    assert garden and (named == len(garden) or lang != "en"), r.reply
    assert r.reply.count(",") + 1 >= len(garden) - 1, r.reply


async def test_only_one_department_asks_what_the_shop_sells_as_a_whole(flow: Flow) -> None:
    r = await flow.say("is this shop only garden stuff or do you sell other things too?")
    assert not r.cards and "Kitchen" in r.reply, r.reply  # every department named
