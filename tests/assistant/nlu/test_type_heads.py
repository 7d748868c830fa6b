"""A type named by the head word of its name: "las tijeras", "die Scheren" (written for this)."""

from __future__ import annotations

import pytest

from assistant.nlu.reader import Reader


@pytest.mark.parametrize(
    ("text", "lang", "kind"),
    [
        ("and the shears, the cheapest", "en", "Pruning Shears"),
        ("welche von den Scheren schneidet am besten?", "de", "Pruning Shears"),
        ("y las tijeras, cuánto cuestan?", "es", "Pruning Shears"),
        ("ok prends aussi le sécateur le moins cher", "fr", "Pruning Shears"),
    ],
)
def test_a_head_word_after_an_article_names_its_one_type(
    reader: Reader, text: str, lang: str, kind: str
) -> None:
    assert kind in reader.read(text, lang).products


@pytest.mark.parametrize(
    ("text", "lang", "not_kind"),
    [
        ("mi piace un sacco, lo prendo", "it", "Sleeping Bag"),  # "a lot"
        ("¿la tienda hace envíos a Canarias?", "es", "Backpacking Tent"),  # the shop
        ("saco el cuchillo del carrito", "es", "Sleeping Bag"),  # "I take out"
        ("a gravity one? id rather hang it from a tree", "en", "Cat Tree"),  # an everyday word
    ],
)
def test_a_head_word_that_means_something_else_names_nothing(
    reader: Reader, text: str, lang: str, not_kind: str
) -> None:
    assert not_kind not in reader.read(text, lang).products


@pytest.mark.parametrize(
    ("text", "lang", "shown", "kind"),
    [
        ("e aggiungi anche l'orologio, quello da 30 cm", "it", "Wall Clock", "Wall Clock"),
        ("ok and the clock, the cheapest", "en", "Wall Clock", "Wall Clock"),
        ("la lampe la moins chère", "fr", "Desk Lamp", "Desk Lamp"),
    ],
)
def test_a_head_word_of_a_shown_kind_names_it(
    reader: Reader, text: str, lang: str, shown: str, kind: str
) -> None:
    assert reader.read(text, lang, [shown]).products == [kind]


def test_a_head_word_with_nothing_of_its_kinds_shown_keeps_its_reading(reader: Reader) -> None:
    alone = reader.read("un orologio sportivo", "it").products
    assert reader.read("un orologio sportivo", "it", ["Desk Lamp"]).products == alone
