from __future__ import annotations

import pytest

from retrieval.query_parser import parse_query


@pytest.mark.parametrize(
    "text, words, low, high",
    [
        ("waterproof hiking boots under $150", "waterproof hiking boots", None, 150.0),
        ("speaker between 50 and 100 dollars", "speaker", 50.0, 100.0),
        ("tent $100-$200", "tent", 100.0, 200.0),
        ("running shoes over $80", "running shoes", 80.0, None),
        ("yoga mat less than 30", "yoga mat", None, 30.0),
        ("a 1,200 dollar budget max 1,200 desk", "a 1,200 dollar budget desk", None, 1200.0),
        ("red t-shirt", "red t-shirt", None, None),
    ],
)
def test_price_phrases_become_bounds(
    text: str, words: str, low: float | None, high: float | None
) -> None:
    parsed = parse_query(text)
    assert (parsed.text, parsed.min_price, parsed.max_price) == (words, low, high)


def test_option_words_imply_filters_only_when_unambiguous() -> None:
    from retrieval.query_parser import implied_options, option_vocabulary

    vocab = option_vocabulary(
        [
            {"color": "Red", "size": "M"},
            {"color": "navy", "material": "cotton"},
            {"firmness": "standard"},
            {"size": "standard"},
            {"capacity": "500ml"},
        ]
    )
    assert implied_options("red hoodie", vocab) == {"color": "Red"}
    assert implied_options("navy cotton tee in M", vocab) == {"color": "navy", "material": "cotton"}
    assert implied_options("standard pillow 500ml", vocab) == {}
    assert implied_options("redtail boots", vocab) == {}
