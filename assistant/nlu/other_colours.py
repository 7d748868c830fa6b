"""Colours of things that are not the product: "diving in the red sea", "la mer Rouge".

A colour word qualifies the noun beside it: after it in English and German ("red sea",
"Rotes Meer"), before it in French, Spanish and Italian ("mer Rouge", "mar Rojo"). When that
noun is a common word of the language that neither the shop's lexicon nor the corpus's
phrasings know, the colour is that thing's, and no filter on the products.
"""

from __future__ import annotations

import re
from collections.abc import Set

from assistant.nlu.cues import apart_hits, apart_spans
from assistant.nlu.features import LookedUp
from assistant.nlu.message import Reading
from assistant.nlu.spelling import zipf

# how common (Zipf) the noun must be: a word of the language, not a slip ("red jaket")
COMMON_WORD = 3.0
_NOUN_AFTER = ("en", "de")  # the languages whose colour words stand before their noun


def colours_of_other_things(
    r: Reading, looked: LookedUp, frequent: frozenset[str], unknown: Set[int] = frozenset()
) -> None:
    """Drop each colour read that qualifies a common word no phrasing of the shop knows.

    Only in a sentence that names no product while another sentence of the message does
    ("which action cam do people rate best? going diving in the red sea"). Words the shop's
    lexicon, the cue groups or many phrasings (``frequent``) know, and nouns that still
    mean the product ("the red version", cue group ``variant_noun``), keep the colour; a
    word starting at one of ``unknown`` is none the shop knows (a false friend: "Tee"). A
    bracket ends a sentence: "Wasserkocher (für grünen Tee)".
    """
    if not r.products:
        return
    tokens = looked.tokens
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    dropped = []
    for span in [s for s in r.spans if s.slot == "color"]:
        first, last = starts.get(span.start), ends.get(span.end)
        if first is None or last is None:
            continue
        k = last + 1 if r.lang in _NOUN_AFTER else first - 1
        if not 0 <= k < len(tokens):
            continue
        near = tokens[k]
        gap = near.start - tokens[last].end if k > last else tokens[first].start - near.end
        if gap > 1:
            continue  # something (a comma, a dash) stands between them
        word = near.text.lower()
        known = looked.knows(k, frequent) and near.start not in unknown
        if not word.isalpha() or len(word) < 3 or known:
            continue
        if apart_hits(word, r.lang, "variant_noun") or _product_in_sentence(r, span.start):
            continue
        if zipf(word, r.lang) < COMMON_WORD:
            continue  # a slip of a shop word, perhaps ("red jaket")
        dropped.append(span)
    r.drop(dropped)


def _product_in_sentence(r: Reading, at: int) -> bool:
    """Whether a product is named in the sentence holding character ``at``."""
    start = max(r.text.rfind(c, 0, at) for c in ".?!()") + 1
    ends = [e for e in (r.text.find(c, at) for c in ".?!()") if e >= 0]
    end = min(ends) if ends else len(r.text)
    return any(start <= s.start < end for s in r.spans if s.slot == "product")


# words between a colour and a word of dislike about it, in one clause
_DISLIKE_REACH = 30
_CLAUSE_BREAK = re.compile(r"[,.;!?…]")


def disliked_colours(r: Reading) -> None:
    """Read a colour the shopper says they dislike as one not wanted.

    "silber ist nicht so meins… gibts einen davon in weiß?", "not a fan of the red", "le
    rouge c'est pas mon truc": the colour said next to a ``dislike`` cue, in its clause,
    is set aside; the others stay asked for.
    """
    cues = apart_spans(r.text, r.lang, "dislike")
    if not cues:
        return
    moved = []
    for span in [s for s in r.spans if s.slot == "color"]:
        for start, end in cues:
            between = r.text[span.end : start] if start >= span.end else r.text[end : span.start]
            if len(between) <= _DISLIKE_REACH and not _CLAUSE_BREAK.search(between):
                moved.append(span)
                break
    for span in moved:
        span.slot = "color_not"
        r.colors = [c for c in r.colors if c != span.value]
        if span.value not in r.colors_not:
            r.colors_not.append(span.value)
