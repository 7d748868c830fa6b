"""Positions in words: "the top one" is the first shown; "top 3" a count, "top rated" a sort."""

from __future__ import annotations

import pytest

from assistant.nlu.ordinals import positions, word_positions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("add the top one", [1]),
        ("den obersten bitte", [1]),
        ("añade el de arriba", [1]),
        ("prendi quello in alto", [1]),
        ("je prends celui du haut", [1]),
        ("the top one and the third", [1, 3]),
        ("show me the top 3", [1, 2, 3]),
        ("top rated ones please", []),
        ("stop it", []),
        ("la 1ere aussi stp", [1]),
        ("le 2ème", [2]),
        ("the 3rd one", [3]),
        ("size 10 please", []),
        ("1.5 liters", []),
    ],
)
def test_the_top_one_is_the_first(text: str, expected: list[int]) -> None:
    assert word_positions(text) == expected
    if expected:
        assert positions(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not even in 3xl?", []),  # a size, not the third
        ("2x please", []),  # a count
        ("gibt es die in 4xl", []),
        ("the 3rd one", [3]),
        ("#2", [2]),
        ("le 2.", [2]),
        ("number two", [2]),
    ],
)
def test_a_digit_that_starts_a_word_is_no_position(text: str, expected: list[int]) -> None:
    assert positions(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("first time here, what can you do?", []),
        ("bin zum ersten mal hier", []),
        ("c'est la première fois que je commande", []),
        ("es la primera vez que compro aquí", []),
        ("è la prima volta che ordino, prima di tutto grazie", []),
        ("last time the strap broke", []),
        ("la première me plait, et la dernière fois aussi", [1]),
        ("zum ersten mal: das zweite bitte", [2]),
        # "one is for …" gives one of a count away; "mi primo" is a cousin
        ("el juego porfa, uno es para mi primo", []),
        ("el segundo, es para mi prima", [2]),
        ("and one's for my sister", []),
        ("il primo per mio cugino", [1]),
    ],
)
def test_ordinals_in_set_phrases_of_time_are_no_positions(text: str, expected: list[int]) -> None:
    assert positions(text) == expected
