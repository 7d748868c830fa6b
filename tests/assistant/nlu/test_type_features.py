"""One word, several catalog features: the type the message names picks the feature."""

from __future__ import annotations

from assistant.nlu.message import Reading, SlotSpan
from assistant.nlu.type_features import features_of_named_types
from retrieval.lexicon import ShopLexicon

TYPES = {
    "Rain Boots": ("Footwear", ["slip-resistant", "waterproof"], {"size": ["8"]}),
    "Yoga Mat": ("Sports & Fitness", ["non-slip"], {"color": ["blue"]}),
}
SYNONYMS = {
    "features": {
        "slip-resistant": {"fr": ["antidérapant"]},
        "non-slip": {"fr": ["antidérapant", "antidérapante"]},
    }
}


def _read(text: str, products: list[str], said: str, feature: str) -> Reading:
    start = text.index(said)
    return Reading(
        text=text,
        lang="fr",
        intent="search",
        products=products,
        features=[feature],
        spans=[SlotSpan(slot="feature", value=feature, start=start, end=start + len(said))],
    )


def test_the_named_types_feature_replaces_another_types() -> None:
    lex = ShopLexicon.build(TYPES, SYNONYMS)
    r = _read("des bottes de pluie antidérapantes", ["Rain Boots"], "antidérapantes", "non-slip")
    features_of_named_types(r, lex)
    assert r.features == ["slip-resistant"]
    assert [s.value for s in r.spans] == ["slip-resistant"]


def test_a_feature_the_named_type_has_is_kept() -> None:
    lex = ShopLexicon.build(TYPES, SYNONYMS)
    r = _read("un tapis de yoga antidérapant", ["Yoga Mat"], "antidérapant", "non-slip")
    features_of_named_types(r, lex)
    assert r.features == ["non-slip"]
