"""Letter sizes beyond the catalog's ("XXXL", "3XL") are read as sizes, not dropped."""

from __future__ import annotations

import pytest

from assistant.nlu.letter_sizes import letter_size
from assistant.nlu.reader import Reader


@pytest.mark.parametrize(
    ("word", "size"),
    [("XXXL", "XXXL"), ("xxxl", "XXXL"), ("3xl", "3XL"), ("XXS", "XXS"), ("4XS", "4XS")],
)
def test_letter_sizes_are_known_by_their_shape(word: str, size: str) -> None:
    assert letter_size(word) == size


@pytest.mark.parametrize("word", ["XL", "xls", "XXX", "1XL", "SXL", "excel"])
def test_other_words_are_no_letter_size(word: str) -> None:
    assert letter_size(word) is None


@pytest.mark.parametrize(
    ("text", "lang", "size"),
    [
        ("got this hoodie in XXXL?", "en", "XXXL"),
        ("gibt es die regenjacke auch in 3XL", "de", "3XL"),
        ("la deuxième mais en xxxl", "fr", "XXXL"),
        ("sudaderas talla 4XL", "es", "4XL"),
        ("la prima ma in XXS", "it", "XXS"),
    ],
)
def test_a_size_the_shop_does_not_stock_is_read(
    reader: Reader, text: str, lang: str, size: str
) -> None:
    r = reader.read(text, lang, ["Hoodie", "Rain Jacket"])
    assert size in r.sizes, r
    assert any(s.slot == "size" and s.value == size for s in r.spans)
