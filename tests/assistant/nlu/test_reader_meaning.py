"""Features described in the shopper's own words, read by meaning for the named type."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.nlu.reader import Reader


@pytest.mark.parametrize(
    ("text", "lang", "feature"),
    [
        ("a rain jacket that actually keeps water out", "en", "waterproof"),
        ("headphones that block out the noise on planes", "en", "active noise cancellation"),
        ("socken die nicht stinken", "de", "odor-resistant"),
        ("eine kaffeemaschine mit mahlwerk", "de", "built-in grinder"),
        ("des chaussettes qui sentent pas", "fr", "odor-resistant"),
        ("una tenda facile da montare", "it", "easy setup"),
    ],
)
def test_a_described_feature_is_the_types_nearest_feature(
    reader: Reader, text: str, lang: str, feature: str
) -> None:
    assert reader.read(text, lang).features == [feature]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("rain jacket size L", "en"),
        ("rain jacket for my trip to japan", "en"),
        ("need hiking boots asap", "en"),
        ("wanderschuhe für meinen papa, so um die 100", "de"),
        ("une veste de pluie pour ma copine", "fr"),
        ("scarpe da trekking per mio figlio taglia 8", "it"),
        # the cart's own noun describes nothing ("cart" is not "carrying")
        ("the cheapest yoga mat into the cart", "en"),
        ("ok the cheapest yoga mat and the cheapest board game, into the cart", "en"),
    ],
)
def test_words_that_describe_no_feature_add_none(reader: Reader, text: str, lang: str) -> None:
    assert reader.read(text, lang).features == []


def test_only_the_named_types_features_are_candidates(reader: Reader) -> None:
    # "keeps water out" is a feature of jackets, not of coffee makers
    assert reader.read("a coffee maker that keeps water out", "en").features == []


@pytest.mark.parametrize(
    ("text", "lang", "option"),
    [
        ("y un filtro de agua de bomba", "es", ("type", "pump")),
        ("busco un hornillo de camping multicombustible", "es", ("fuel type", "multi-fuel")),
        ("brauche einen wasserfilter mit pumpe", "de", ("type", "pump")),
        ("filtre à eau par gravité", "fr", ("type", "gravity")),
    ],
)
def test_an_option_value_in_other_words_or_languages(
    reader: Reader, text: str, lang: str, option: tuple[str, str]
) -> None:
    r = reader.read(text, lang)
    assert r.options.get(option[0]) == option[1], r


def test_words_near_no_value_of_the_types_options_set_none(reader: Reader) -> None:
    assert reader.read("une tente pour mon frère", "fr").options == {}
    assert reader.read("water filter for my trip to peru", "en").options == {}
    # typos and unknown words sit near some value by chance: they set nothing
    assert reader.read("show me the cheepest water filter", "en").options == {}
    assert reader.read("wasserfilter groesse m silbern", "de").options == {}


def test_a_number_with_its_options_unit_is_that_option_not_a_budget(reader: Reader) -> None:
    r = reader.read("and a 500 piece jigsaw, max 25", "en")
    assert r.options == {"pieces": "500"} and r.budget_max == 25
    r = reader.read("puzzle mit 1000 teilen unter 30", "de")
    assert r.options == {"pieces": "1000"} and r.budget_max == 30
    r = reader.read("jigsaw under 500", "en")
    assert r.options == {} and r.budget_max == 500


def test_only_catalog_values_are_kept_between_messages(reader: Reader) -> None:
    for text in ("filtro de agua de bomba", "water filter zxqv", "wasserfilter blorbix"):
        reader.read(text)
    values = {
        v for opts in reader.lexicon.type_options.values() for vs in opts.values() for v in vs
    }
    assert set(reader.meaning.values.vectors) <= values


@pytest.mark.parametrize(
    ("text", "lang", "feature"),
    [
        (
            "earbuds that cut out the noise around me on my commute",
            "en",
            "active noise cancellation",
        ),
        ("headphones that fold up small for my bag", "en", "foldable"),
        ("a dog bed i can just throw in the wash, XL", "en", "washable cover"),
        (  # words a closed slot was read from ("throw in": a cart add) still describe
            "lol ok. my lab destroys everything, need a dog bed in XL that i can just throw in "
            "the wash",
            "en",
            "washable cover",
        ),
        ("eine trinkflasche die in der tasche nicht ausläuft", "de", "leak-proof"),
        ("une lampe frontale qu'on recharge en usb", "fr", "rechargeable"),
        ("una aspiradora robot que se vacíe sola", "es", "self-emptying base"),
        (
            "un bollitore dove posso scegliere la temperatura dell'acqua",
            "it",
            "temperature presets",
        ),
    ],
)
def test_what_a_feature_does_is_read_from_the_shops_glosses(
    reader: Reader, text: str, lang: str, feature: str
) -> None:
    assert reader.read(text, lang).features == [feature]


def test_a_follow_up_describes_a_feature_of_the_types_on_screen(reader: Reader) -> None:
    text = "which of those has the temperature settings thing"
    assert reader.read(text, "en").features == []  # no type named, none on screen
    read = reader.read(text, "en", ["Electric Kettle"])
    assert read.features == ["temperature presets"] and read.products == []


def test_a_type_without_glosses_is_read_by_feature_names_only(reader: Reader) -> None:
    bare = reader.with_lexicon(dataclasses.replace(reader.lexicon, glosses={}))
    # (no verb here whose "-able" form is a feature: "fold" would say foldable by itself)
    for text, lang in (
        ("headphones that get really small for my bag", "en"),
        ("eine stirnlampe die man am usb laden kann", "de"),
    ):
        assert reader.read(text, lang).features and bare.read(text, lang).features == []
    assert bare.read("headphones with noise cancelling", "en").features == [
        "active noise cancellation"
    ]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("il me faudrait une voiture télécommandée 4x4 pour mon fils", "fr"),
        ("cerco una macchina telecomandata 4x4 per mio figlio", "it"),
    ],
)
def test_a_number_inside_a_feature_word_is_that_feature_not_a_position(
    reader: Reader, text: str, lang: str
) -> None:
    r = reader.read(text, lang)
    assert "4WD" in r.features and not r.items
