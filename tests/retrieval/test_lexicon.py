"""The shop lexicon: option values and sizes in the words shoppers use for their units."""

from __future__ import annotations

from retrieval.lexicon import ShopLexicon, unit_variants

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
