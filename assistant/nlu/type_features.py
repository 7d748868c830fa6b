"""A feature word read as the feature the named product type has.

One word may name several catalog features: "antidérapant" is the rain boots'
``slip-resistant`` and the yoga mat's ``non-slip``. The lexicon lists both; the type the
message names decides.
"""

from __future__ import annotations

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
