"""The shop lexicon: option values and sizes in the words shoppers use for their units."""

from __future__ import annotations

import pytest

from retrieval.lexicon import ShopLexicon, phrase_keys, unit_variants
from retrieval.word_forms import german_adjective_forms

TYPES = {
    "Monitor": ("Office", ["IPS panel"], {"size": ["24 inch", "27 inch"], "color": ["black"]}),
    "Jigsaw Puzzle": ("Toys & Games", ["matte finish"], {"pieces": ["500", "1000"]}),
    "Air Fryer": ("Kitchen", ["dishwasher-safe basket"], {"capacity": ["4 qt", "6 qt"]}),
    "Moisturizer": ("Beauty", ["fragrance-free"], {"size": ["1.7 oz", "3.4 oz"]}),
}


def test_sizes_with_a_unit_are_found_in_every_language() -> None:
    lex = ShopLexicon.build(TYPES, {})
    assert lex.resolve("27 zoll", "size") == ["27 inch"]
    assert lex.resolve("27 pouces", "size") == ["27 inch"]
    assert lex.resolve("1.7 ounces", "size") == ["1.7 oz"]
    assert lex.resolve("27", "size") == []  # a bare number is no size of this catalog


def test_a_bare_number_takes_its_options_name_as_unit() -> None:
    lex = ShopLexicon.build(TYPES, {})
    for said in ("500 pieces", "500 piece", "500 Teile", "500 pezzi", "500 piezas"):
        assert lex.resolve(said, "option") == ["500"], said
    assert lex.resolve("6 quarts", "option") == ["6 qt"]
    assert "500 teile" not in [v.lower() for v in unit_variants("500", "color")]


OPTION_TYPES = {
    "Bed Pillow": ("Home", ["cooling"], {"firmness": ["firm", "soft"], "size": ["queen"]}),
    "Fleece Jacket": ("Apparel", ["warm"], {"size": ["S", "M"], "color": ["tan"]}),
    "Water Filter": ("Outdoor", ["lightweight"], {"type": ["pump", "squeeze"]}),
}
SYNONYMS = {
    "types": {"Bed Pillow": {"fr": ["oreiller"], "de": ["Kopfkissen"]}},
    "options": {
        "firmness": {"firm": {"de": ["fest"], "fr": ["ferme"]}, "medium": {"de": ["mittel"]}},
        "size": {"S": {"en": ["small"], "de": ["klein"]}},
        "type": {"pump": {"es": ["bomba", "filtro de bomba"]}},
        "cushion": {"heavy": {"de": ["dick"]}},
    },
}


def test_option_synonyms_name_the_values_a_type_has() -> None:
    lex = ShopLexicon.build(OPTION_TYPES, SYNONYMS)
    assert lex.resolve("oreiller ferme", "option") == ["firm"]
    assert lex.resolve("fest", "option") == ["firm"]
    assert lex.resolve("klein", "size") == ["S"]
    assert lex.resolve("bomba", "option") == ["pump"]
    # values no type has under that option name are not made up by the file
    assert lex.resolve("mittel", "option") == []
    assert lex.resolve("dick", "option") == []


def test_an_option_synonym_holding_a_product_word_is_left_out() -> None:
    types = {**OPTION_TYPES, "Water Filter": ("Outdoor", [], {"type": ["pump"]})}
    synonyms = {**SYNONYMS, "types": {"Water Filter": {"es": ["filtro"]}}}
    lex = ShopLexicon.build(types, synonyms)
    # "filtro de bomba" would hide the product word "filtro": only "bomba" names pump
    assert lex.resolve("filtro de bomba", "type") == ["Water Filter"]
    assert lex.resolve("filtro de bomba", "option") == ["pump"]


def test_the_language_of_a_messages_shop_words() -> None:
    lex = ShopLexicon.build(OPTION_TYPES, SYNONYMS)
    assert lex.language_of("oreiller ferme") == "fr"
    assert lex.language_of("kopfkissen, fest") == "de"
    assert lex.language_of("bed pillow") == "en"  # the catalog's own words
    assert lex.language_of("oreiller bed pillow") is None  # no language in common
    assert lex.language_of("tan") is None  # a colour, or a number, says nothing
    assert lex.language_of("hello there") is None


RUGS = {
    "Area Rug": ("Home", ["low pile"], {"size": ["4x6 ft", "8x10 ft"]}),
    "Bluetooth Speaker": ("Electronics", ["stereo pairing"], {"color": ["blue"]}),
}


def test_a_dimension_size_is_also_said_without_its_unit() -> None:
    lex = ShopLexicon.build(RUGS, {})
    for said in ("4x6", "4 x 6", "4x6 ft", "4x6 feet", "4x6 pies"):
        assert lex.resolve(said, "size") == ["4x6 ft"], said


def test_a_word_is_no_typo_of_a_much_longer_phrase() -> None:
    lex = ShopLexicon.build(RUGS, {"types": {"Bluetooth Speaker": {"de": ["Bluetooth-Box"]}}})
    assert lex.resolve("bluetoothbox", "type") == ["Bluetooth Speaker"]
    assert lex.resolve("bluetooth", "type") == []  # a prefix, not a slip of the keys
    assert lex.resolve("bluetoohbox", "type") == ["Bluetooth Speaker"]  # a real slip


def test_glosses_are_kept_only_for_features_the_type_has() -> None:
    synonyms = {
        "glosses": {
            "Area Rug": {
                "low pile": {"en": ["short fibres, easy to vacuum"], "de": ["kurzer Flor"]},
                "non-shedding": {"en": ["does not leave fluff"]},  # not a feature here
            },
            "Tent": {"freestanding": {"en": ["stands up on its own"]}},  # not sold
        }
    }
    lex = ShopLexicon.build(RUGS, synonyms)
    assert lex.glosses == {
        ("Area Rug", "low pile"): ["short fibres, easy to vacuum", "kurzer Flor"]
    }


def test_inflected_words_of_a_phrase_name_it() -> None:
    # "abzippbaren beinen" is the listed "abzippbare beine" with endings on both words
    types = {"Hiking Pants": ("Apparel", ["zip-off legs"], {"color": ["red"]})}
    synonyms = {"features": {"zip-off legs": {"de": ["abzippbare beine"]}}}
    lex = ShopLexicon.build(types, synonyms)
    assert lex.resolve("abzippbaren beinen", "feature") == ["zip-off legs"]
    assert lex.resolve("mit abzippbare beinen", "feature") == ["zip-off legs"]
    # a word the lexicon has as it is stays that word ("beine" is no "bein" + e)
    assert lex.resolve("abzipp beine", "feature") == []


def test_the_first_word_of_a_phrase_is_no_typo_of_the_phrase_run_together() -> None:
    # "voiture RC" is also matched written "voiture-rc"; "voiture" alone is not a typo of it
    types = {"RC Car": ("Toys & Games", [], {"color": ["red"]})}
    lex = ShopLexicon.build(types, {"types": {"RC Car": {"fr": ["voiture RC"]}}})
    assert lex.resolve("voiture", "type") == []
    assert lex.resolve("voiture rc", "type") == lex.resolve("voiture-rc", "type") == ["RC Car"]
    assert lex.resolve("rc-car", "type") == ["RC Car"]


def test_an_elided_article_is_a_word_as_in_messages() -> None:
    # "filtro per l'acqua": the message's tokens are "l'" and "acqua", and so are the phrase's
    types = {"Water Filter": ("Outdoors", [], {"type": ["pump"]})}
    synonyms = {"types": {"Water Filter": {"it": ["filtro per l'acqua", "depuratore d'acqua"]}}}
    lex = ShopLexicon.build(types, synonyms)
    assert lex.resolve("qual è il filtro per l'acqua migliore", "type") == ["Water Filter"]
    assert lex.resolve("un depuratore d’acqua", "type") == ["Water Filter"]
    assert lex.resolve("filtro per acqua", "type") == []  # no article: another phrase


def test_a_type_is_named_by_the_head_word_of_its_phrases() -> None:
    lex = ShopLexicon.build(
        {
            "Desk Lamp": ("Home", [], {}),
            "Headlamp": ("Outdoor", [], {}),
            "Bed Pillow": ("Home", [], {}),
        },
        {
            "types": {
                "Desk Lamp": {"fr": ["lampe de bureau"]},
                "Headlamp": {"fr": ["lampe frontale"]},
            }
        },
    )
    assert lex.types_by_head("lampe") == {"Desk Lamp", "Headlamp"}
    assert lex.types_by_head("lamp") == {"Desk Lamp"}  # "desk lamp" ends with it
    assert lex.types_by_head("pillow") == {"Bed Pillow"}
    assert lex.types_by_head("bed") == set()  # 3 letters: too short to name a head
    assert lex.types_by_head("de") == set()


def test_a_compound_typed_as_two_words_is_the_phrase() -> None:
    lex = ShopLexicon.build(
        {"Backpacking Tent": ("Outdoors", ["ultralight", "waterproof"], {})},
        {"features": {"ultralight": {"fr": ["ultralégère"]}}},
    )
    assert lex.resolve("une tente ultra légère", "feature") == ["ultralight"]
    assert lex.resolve("a water proof tent", "feature") == ["waterproof"]
    assert lex.resolve("water that proofs", "feature") == []  # not side by side


def test_a_german_colour_is_read_with_its_endings() -> None:
    synonyms = {"colors": {"red": {"de": ["rot", "rote"]}, "olive": {"de": ["oliv"]}}}
    lex = ShopLexicon.build(TYPES, synonyms)
    for said in ("roten", "roter", "rotem", "rotes"):  # "nen roten hoodie", "mit rotem Band"
        assert lex.resolve(said, "color") == ["red"], said
    # a loan word is not declined, nor "oliv" (its forms are "Oliven" and the name "Oliver")
    assert german_adjective_forms("navy") == ["navy"]
    assert german_adjective_forms("oliv") == ["oliv"]
    assert german_adjective_forms("rote") == ["rote"]


@pytest.mark.parametrize("said", ["20.000 mAh", "20,000mAh", "20000 mAh", "so 20.000 mah bitte"])
def test_a_capacity_with_thousands_separators_is_the_value(said: str) -> None:
    lex = ShopLexicon.build({"Power Bank": ("Electronics", [], {"capacity": ["20000mAh"]})})
    assert lex.resolve(said, "option") == ["20000mAh"]


def test_a_decimal_keeps_its_parts() -> None:
    assert phrase_keys("1.5 l") == ("1", "5", "l")
    assert phrase_keys("1.250,50") == ("1", "250", "50")
