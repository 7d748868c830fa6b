"""Catalog features written in another word order: "a strap for carrying" is "carrying strap".

The tagger reads words it cannot place as something the shop lacks; when those words,
with one word on either side, hold every word of one of the shop's multi-word features
(and nothing of their own beyond it), they name that feature.
"""

from __future__ import annotations

from collections import defaultdict

from assistant.nlu.features import LookedUp
from assistant.nlu.message import Reading, SlotSpan
from retrieval.lexicon import ShopLexicon, phrase_keys

FeatureWords = dict[frozenset[str], set[str]]


def features_by_words(lexicon: ShopLexicon) -> FeatureWords:
    """Return the shop's multi-word feature phrases as word sets (built once per lexicon)."""
    built: dict[frozenset[str], set[str]] = defaultdict(set)
    for key, entries in lexicon.phrases.items():
        if len(key) >= 2 and entries and all(e.kind == "feature" for e in entries):
            built[frozenset(key)].update(e.value for e in entries)
    return dict(built)


def features_out_of_order(r: Reading, looked: LookedUp, index: FeatureWords) -> None:
    """Turn a ``missing`` run that is a feature in another word order into that feature.

    ``index``: :func:`features_by_words` of the reader's lexicon.
    """
    for span in [s for s in r.spans if s.slot == "missing"]:
        at = [i for i, t in enumerate(looked.tokens) if span.start <= t.start < span.end]
        if not at:
            continue
        lo, hi = max(0, at[0] - 1), min(len(looked.tokens), at[-1] + 2)
        window = {looked.tokens[i].key for i in range(lo, hi)}
        own = set(phrase_keys(r.text[span.start : span.end]))
        found = {
            value
            for words, values in index.items()
            if words <= window and own <= words
            for value in values
        }
        if len(found) != 1:
            continue
        value = found.pop()
        r.missing = [m for m in r.missing if m != span.value]
        r.spans = [s for s in r.spans if s is not span]
        if value not in r.features:
            r.features.append(value)
        r.spans.append(SlotSpan(slot="feature", value=value, start=span.start, end=span.end))
