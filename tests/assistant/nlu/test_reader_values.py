"""Values read as the shop has them, and none it lacks (phrasings written for this)."""

from __future__ import annotations

import pytest

from assistant.nlu.reader import Reader


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the 1:10 one in blue", "en"),
        ("das im Maßstab 1:10 bitte", "de"),
        ("celle à l'échelle 1:10", "fr"),
        ("el de escala 1:10", "es"),
        ("quello in scala 1:10", "it"),
    ],
)
def test_a_scale_is_read_as_the_option_it_names(reader: Reader, text: str, lang: str) -> None:
    assert reader.read(text, lang, ["RC Car"]).options.get("scale") == "1:10"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("vale, ese en azul y del tamaño grande", "es"),
        ("ok the big one in blue", "en"),
        ("d'accord, le grand en bleu", "fr"),
    ],
)
def test_no_clothing_size_for_shown_kinds_sold_in_none(
    reader: Reader, text: str, lang: str
) -> None:
    r = reader.read(text, lang, ["RC Car"])
    assert r.sizes == [] and r.colors == ["blue"], r
    # a kind sold in sizes keeps it
    assert reader.read("ok the big one in L", "en", ["Hoodie"]).sizes == ["L"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("den günstigsten in 50 ft, also so 15 Meter", "de"),
        ("the cheapest in 50 ft, so about 15 metres", "en"),
        ("el más barato de 50 ft, unos 15 metros", "es"),
    ],
)
def test_a_length_in_metres_is_no_budget(reader: Reader, text: str, lang: str) -> None:
    r = reader.read(text, lang, ["Garden Hose"])
    assert r.budget_about is None and r.budget_max is None, r


def test_an_order_change_no_word_names_is_talk_about_the_products(reader: Reader) -> None:
    shown = ["Water Bottle"]
    r = reader.read("it has to not leak tho, it lives in my bag next to my laptop", "en", shown)
    assert r.intent != "start_write", r
    # a change named stays one
    assert reader.read("i want to cancel my order", "en", shown).intent == "start_write"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("¿cuál aguanta mejor si lo mete en los charcos?", "es"),  # puddles, not charcoal
        ("welches hält es aus, wenn er durch Pfützen fährt?", "de"),
    ],
)
def test_a_word_of_the_language_is_no_typo_of_a_colour(
    reader: Reader, text: str, lang: str
) -> None:
    assert reader.read(text, lang, ["RC Car"]).colors == []


def test_a_slip_of_a_shop_word_is_still_read_as_it(reader: Reader) -> None:
    assert reader.read("red tootbrush", "en").products == ["Electric Toothbrush"]
    assert reader.read("a charcoal hoodie", "en").colors == ["gray"]
    # another gender or number form of a shop word is that word ("acuática", "acuático")
    assert "water-friendly" in reader.read("una cámara acuática", "es").features
