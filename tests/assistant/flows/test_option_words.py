"""Option values named in the shopper's words, inside hyphenated compounds too."""

from __future__ import annotations

import pytest

from assistant.flows.cart_variants import option_word
from assistant.flows.option_words import letter_sizes_named, named_values

FILTER = {"type": ["squeeze", "gravity", "pump"], "size": ["S", "M", "XL"]}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("gibts den als Squeeze-Variante?", {"type": "squeeze"}),
        ("la versión gravity-style, porfa", {"type": "gravity"}),
        ("die XL-Version bitte", {"size": "XL"}),
        ("the pump one in M", {"type": "pump", "size": "M"}),
    ],
)
def test_a_value_is_named_alone_or_inside_a_hyphenated_compound(
    text: str, named: dict[str, str]
) -> None:
    assert named_values(text, FILTER) == named


def test_a_compound_of_other_words_names_nothing() -> None:
    assert named_values("ein Wasser-Filter für die Tour", FILTER) == {}


@pytest.mark.parametrize(
    ("option", "lang", "word"),
    [("type", "de", "Ausführung"), ("capacity", "fr", "capacité"), ("size", "it", "taglia")],
)
def test_option_names_are_asked_in_the_shoppers_language(option: str, lang: str, word: str) -> None:
    assert option_word(option, lang) == word


@pytest.mark.parametrize(
    ("text", "letters"),
    [
        ("can i swap it for a large, same gray?", ["L"]),
        ("extra large please", ["XL"]),
        ("the x-large one", ["XL"]),
        ("la XL me queda grande, mejor una mediana.", ["XL", "L", "M"]),
        ("en taille très petit!", ["XS"]),
        ("nothing about sizes here, largely", []),
    ],
)
def test_letter_sizes_are_named_by_their_longest_words(text: str, letters: list[str]) -> None:
    assert letter_sizes_named(text) == letters
