"""One word, several catalog features: the type the message names picks the feature."""

from __future__ import annotations

from assistant.nlu.message import Reading, SlotSpan
from assistant.nlu.type_features import features_of_named_types, type_of_features
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


def test_the_one_type_with_every_feature_asked_is_named() -> None:
    # "something non-slip for yoga": only the mats are non-slip; "waterproof" is the boots'
    lex = ShopLexicon.build(TYPES, SYNONYMS)
    r = Reading(text="need something non-slip", lang="en", intent="search", features=["non-slip"])
    type_of_features(r, lex)
    assert r.products == ["Yoga Mat"]
    both = Reading(text="slip-resistant and non-slip", lang="en", intent="search",
                   features=["slip-resistant", "non-slip"])  # fmt: skip
    type_of_features(both, lex)
    assert both.products == []  # no type has both
    on_screen = Reading(text="any non-slip?", lang="en", intent="search", features=["non-slip"])
    type_of_features(on_screen, lex, shown_types=["Yoga Mat"])
    assert on_screen.products == []  # a narrowing of the mats shown
    count = Reading(text="make it 3, non-slip ones", lang="en", intent="search",
                    features=["non-slip"], cue_groups=["cart_quantity"])  # fmt: skip
    type_of_features(count, lex)
    assert count.products == []  # a count for the cart
    question = Reading(
        text="is it non-slip", lang="en", intent="ask_product", features=["non-slip"]
    )
    type_of_features(question, lex)
    assert question.products == []
