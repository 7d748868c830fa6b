"""Plural spellings of several-word shop phrases (``retrieval.plurals``) and their use."""

from __future__ import annotations

import pytest

from retrieval.lexicon import ShopLexicon, phrase_keys
from retrieval.plurals import plural_variants, plural_word


@pytest.mark.parametrize(
    ("word", "lang", "plural"),
    [
        ("externe", "fr", "externes"),
        ("batterie", "fr", "batteries"),
        ("cargador", "es", "cargadores"),
        ("externa", "es", "externas"),
        ("borraccia", "it", "borracce"),
        ("termica", "it", "termiche"),
        ("caricatore", "it", "caricatori"),
        ("portatile", "it", "portatili"),
        ("Taschenlampe", "de", "Taschenlampen"),
        ("blanket", "en", "blankets"),
        ("glass", "en", "glass"),  # already ends like a plural
        ("de", "fr", "de"),  # short words are left alone
    ],
)
def test_a_word_is_put_in_the_plural_of_its_language(word: str, lang: str, plural: str) -> None:
    assert plural_word(word, lang) == plural


def test_a_phrase_has_its_all_first_and_last_plurals_and_a_single_word_none() -> None:
    assert plural_variants("batterie externe", "fr") == {
        "batteries externes",
        "batteries externe",
        "batterie externes",
    }
    assert plural_variants("notebook", "en") == set()


@pytest.fixture(scope="module")
def lexicon() -> ShopLexicon:
    synonyms = {
        "types": {
            "Power Bank": {"fr": ["batterie externe"], "it": ["batteria esterna"]},
            "Water Bottle": {"it": ["borraccia termica"], "es": ["botella térmica"]},
        }
    }
    types = {
        "Power Bank": ("Electronics", ["fast charging"], {}),
        "Water Bottle": ("Kitchen", ["insulated"], {}),
    }
    return ShopLexicon.build(types, synonyms)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("deux batteries externes", "Power Bank"),
        ("due batterie esterne", "Power Bank"),
        ("borracce termiche per la scuola", "Water Bottle"),
        ("botellas térmicas", "Water Bottle"),
        ("power banks with fast charging", "Power Bank"),
    ],
)
def test_a_plural_names_what_its_singular_names(
    lexicon: ShopLexicon, text: str, value: str
) -> None:
    found = {e.value for m in lexicon.match(list(phrase_keys(text))) for e in m.entries}
    assert value in found


def test_a_one_word_value_gets_no_plural_key() -> None:
    lex = ShopLexicon.build({"Notebook": ("Office", ["dot grid"], {})}, {
        "types": {"Notebook": {"en": ["note"]}}})  # fmt: skip
    found = {e.value for m in lex.match(list(phrase_keys("not the red one"))) for e in m.entries}
    assert "Notebook" not in found
