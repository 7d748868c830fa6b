"""Catalog vocabulary: product types and features resolved by code."""

from __future__ import annotations

from retrieval.query_parser import parse_query
from retrieval.vocabulary import CatalogVocabulary


def vocab() -> CatalogVocabulary:
    v = CatalogVocabulary()
    v.features_by_type = {
        "Hiking Boots": {"waterproof", "Vibram outsole"},
        "Rain Boots": {"waterproof"},
        "Running Shoes": {"breathable mesh"},
        "Trail Running Shoes": {"waterproof"},
        "Electric Toothbrush": {"pressure sensor"},
        "Bike Helmet": {"MIPS"},
        "Air Fryer": {"dishwasher-safe basket"},
        "Monitor": {"USB-C", "4K"},
    }
    return v


def test_types_resolve_to_the_catalogs_own_words() -> None:
    v = vocab()
    assert v.resolve_types("waterproof hiking boots") == ["Hiking Boots"]
    assert v.resolve_types("trail running shoes") == ["Trail Running Shoes"]
    assert v.resolve_types("running shoes under $100") == ["Running Shoes"]
    assert v.resolve_types("boots") == ["Hiking Boots", "Rain Boots"]
    assert v.resolve_types("electrik tootbrush") == ["Electric Toothbrush"]
    assert v.resolve_types("a bicycle for commuting") == []
    assert v.resolve_types("laptops") == []


def test_features_match_only_what_products_have() -> None:
    v = vocab()
    assert sorted(v.match_features("4k with usb c", ["Monitor"])) == ["4K", "USB-C"]
    assert v.match_features("presure sensor", ["Electric Toothbrush"]) == ["pressure sensor"]
    assert v.match_features("dishwasher-safe", ["Air Fryer"]) == ["dishwasher-safe basket"]
    assert v.match_features("heated", ["Monitor"]) == []


def test_budgets_in_five_languages() -> None:
    assert parse_query("leichte Trekkingstöcke für unter 100 Dollar").max_price == 100
    assert parse_query("lampe de bureau à moins de 60 dollars").max_price == 60
    assert parse_query("botas de lluvia por menos de 50 dólares").max_price == 50
    assert parse_query("friggitrice che costi meno di 100 dollari").max_price == 100
    assert parse_query("nothing over $140").max_price == 140
    q = parse_query("between $50 and $100")
    assert (q.min_price, q.max_price) == (50, 100)
