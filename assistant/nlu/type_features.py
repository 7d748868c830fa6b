"""Features and the product types that have them.

A feature word read as the feature the named product type has (``features_of_named_types``),
and the one type that has every feature named when the message names none
(``type_of_features``).

One word may name several catalog features: "antidérapant" is the rain boots'
``slip-resistant`` and the yoga mat's ``non-slip``. The lexicon lists both; the type the
message names decides.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.nlu.message import Reading
from retrieval.lexicon import ShopLexicon


def features_of_named_types(r: Reading, lexicon: ShopLexicon) -> None:
    """Replace each feature the named types lack with one its words name that they have."""
    if not r.products:
        return
    has = {f for t in r.products for f in lexicon.type_features.get(t, ())}
    for i, span in enumerate(r.spans):
        if span.slot != "feature" or span.value in has:
            continue
        named = lexicon.resolve(r.text[span.start : span.end], "feature")
        better = next((f for f in named if f in has and f not in r.features), None)
        if better is None:
            continue
        r.features = [better if f == span.value else f for f in r.features]
        r.spans[i] = span.model_copy(update={"value": better})


# a narrowing of the list this sure may ask for another type ("only the orthopedic ones")
SURE_REFINE = 0.8


def type_of_features(r: Reading, lexicon: ShopLexicon, shown_types: Sequence[str] = ()) -> None:
    """Name the one catalog type that has every feature asked for, when no type is named.

    "my dog drags mud onto his bed, need one with a washable cover": only the dog beds have
    a washable cover. A request for products only (search or recommend), with nothing the
    shop may lack named, and not about the products on screen (a shown type with those
    features makes it a narrowing of the list; "only the orthopedic ones" with sandals on
    screen asks for the one type that is orthopedic).
    """
    if r.products or r.categories or r.missing or not r.features:
        return
    if r.intent not in ("search", "recommend", "refine"):
        return
    if r.intent == "refine" and r.confidence < SURE_REFINE:
        return
    if any(g.startswith("cart") for g in r.cue_groups):
        return  # "mach drei stück daraus, für die ganze familie": a count for the cart
    said = {r.text[s.start : s.end].casefold() for s in r.spans if s.slot == "feature"}
    shown_values = {
        str(v).casefold()
        for t in shown_types
        for values in lexicon.type_options.get(t, {}).values()
        for v in values
    }
    if said & shown_values:
        return  # "4k" answering "which resolution?" for the action camera shown
    wanted = set(r.features)
    types = [t for t, fs in lexicon.type_features.items() if wanted <= fs]
    if len(types) != 1 or any(wanted <= lexicon.type_features.get(t, set()) for t in shown_types):
        return
    r.products = types


def feature_of_word(lexicon: ShopLexicon, text: str, start: int, end: int) -> list[str]:
    """Return the features the whole word around ``text[start:end]`` names ("4x4": 4WD).

    A number the tagger took for a position may be part of a word that names a feature
    ("une voiture télécommandée 4x4"); the word is cut at spaces only.
    """
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", end)
    word = text[left : right if right >= 0 else len(text)].strip(",.;:!?()")
    return lexicon.resolve(word, "feature") if word != text[start:end] else []
