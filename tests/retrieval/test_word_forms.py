"""Word forms a synonym file need not list, and the lexicon matching them."""

from __future__ import annotations

from retrieval.lexicon import ShopLexicon
from retrieval.word_forms import english_colour_forms, superlative_forms

TYPES = {
    "Backpacking Tent": ("Outdoors", ["ultralight"], {"color": ["orange", "silver"]}),
    "Throw Blanket": ("Home", ["machine washable"], {"color": ["gray", "red"]}),
}
SYNONYMS = {
    "features": {
        "ultralight": {"it": ["ultraleggero", "ultraleggera"], "es": ["ultraligero"]},
    },
    "colors": {"gray": {"en": ["grey"]}},
}


def _read(lex: ShopLexicon, text: str) -> list[tuple[str, str]]:
    keys = text.lower().split()
    return [(e.kind, e.value) for m in lex.match(keys) for e in m.entries]


def test_italian_and_spanish_superlatives_of_ultra_words() -> None:
    assert "leggerissima" in superlative_forms("ultraleggera", "it")
    assert "larghissimo" in superlative_forms("ultra largo", "it")  # the stem keeps its sound
    assert "ligerísimas" in superlative_forms("ultraligero", "es")
    assert "riquísimo" in superlative_forms("ultrarico", "es")


def test_no_superlatives_in_other_languages_or_of_plain_words() -> None:
    assert superlative_forms("ultraleicht", "de") == []
    assert superlative_forms("leggero", "it") == []
    assert superlative_forms("ultra", "it") == []


def test_colour_shades_are_the_colour() -> None:
    assert "reddish" in english_colour_forms("red")
    assert "bluish" in english_colour_forms("blue")
    assert "silverish" in english_colour_forms("silver")  # "silver-ish", joined
    assert english_colour_forms("light blue") == ["light blue"]


def test_the_lexicon_reads_the_forms() -> None:
    lex = ShopLexicon.build(TYPES, SYNONYMS)
    assert ("feature", "ultralight") in _read(lex, "una tenda leggerissima")
    assert ("feature", "ultralight") in _read(lex, "una tienda ligerísima")
    assert ("color", "silver") in _read(lex, "something silverish")
    assert ("color", "gray") in _read(lex, "a greyish one")  # a synonym's shade
    assert _read(lex, "polish my boots") == []
