"""A colour word of another thing ("the red sea") is no colour asked for (written for this)."""

from __future__ import annotations

import pytest

from assistant.nlu.reader import Reader


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("which action cam do people rate the best? going diving in the red sea soon", "en"),
        ("une caméra étanche ? on part plonger dans la mer Rouge", "fr"),
        ("una cámara acuática? nos vamos a bucear al mar Rojo", "es"),
        ("una action cam impermeabile? andiamo a fare immersioni nel mar Rosso", "it"),
    ],
)
def test_a_colour_of_a_place_in_another_sentence_is_dropped(
    reader: Reader, text: str, lang: str
) -> None:
    r = reader.read(text, lang)
    assert r.products and r.colors == [], r


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("a fleece jacket. the red version please", "en"),
        ("a fleece jacket. red pls", "en"),
        ("red jaket size M", "en"),
        ("une veste polaire. la version rouge svp", "fr"),
        ("eine Fleecejacke. in roter Farbe bitte", "de"),
    ],
)
def test_a_colour_of_the_product_in_other_words_stays(reader: Reader, text: str, lang: str) -> None:
    assert reader.read(text, lang).colors == ["red"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("which action cam do people actually rate the best?", "en"),
        ("welche Stirnlampe ist bei euch am beliebtesten?", "de"),
        ("quelle lampe frontale est la plus appréciée ?", "fr"),
        ("¿qué linterna frontal es la mejor valorada?", "es"),
        ("quale lampada frontale è la più apprezzata?", "it"),
    ],
)
def test_the_best_rated_in_other_words_sorts_by_rating(
    reader: Reader, text: str, lang: str
) -> None:
    r = reader.read(text, lang)
    assert r.products and r.sort == "rating", r


@pytest.mark.parametrize(
    ("text", "lang", "wanted", "unwanted"),
    [
        ("silber ist nicht so meins... gibts einen davon in weiß?", "de", ["white"], ["silver"]),
        ("not a fan of the red, got it in blue?", "en", ["blue"], ["red"]),
        ("le rouge c'est pas mon truc, en bleu ?", "fr", ["blue"], ["red"]),
        ("el negro no me convence, ¿lo tienes en blanco?", "es", ["white"], ["black"]),
        ("il nero non mi piace, ce l'hai in bianco?", "it", ["white"], ["black"]),
    ],
)
def test_a_colour_disliked_is_set_aside_and_the_other_asked_for(
    reader: Reader, text: str, lang: str, wanted: list[str], unwanted: list[str]
) -> None:
    r = reader.read(text, lang, ["Headlamp"])
    assert (r.colors, r.colors_not) == (wanted, unwanted), r
