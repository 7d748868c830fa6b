"""Products named by their model number, read from the store's own titles."""

from __future__ import annotations

from retrieval.model_names import ModelNames

TITLES = {
    "1": "Vantage Terra 3 Trail Running Shoes",
    "2": "Kestrel Terra 3 Backpacking Tent",
    "3": "Willow Lane Canyon 7 Coffee Maker",
    "4": "Nimbus Summit 1 Smartwatch",
    "5": "Plain Mug",  # no model number: names no model
}


def test_a_whole_model_names_one_product_whatever_the_words_around_it() -> None:
    names = ModelNames(TITLES)
    assert names.named("what do people actually say about the vantage terra 3") == ["1"]
    assert names.named("welche farben gibts bei der Nimbus Summit 1?") == ["4"]
    assert names.named("la willow lane canyon 7 est-elle programmable ?") == ["3"]


def test_a_line_and_number_names_every_brand_that_has_it() -> None:
    names = ModelNames(TITLES)
    assert names.named("is the terra 3 waterproof") == ["1", "2"]
    assert names.named("add the canyon 7 to my cart") == ["3"]


def test_numbers_that_are_no_model_name_nothing() -> None:
    names = ModelNames(TITLES)
    for text in ("size 10 please", "the first 2", "under 50 bucks", "a mug", "summit 2", ""):
        assert names.named(text) == [], text
