"""A kind of product named by the head word of its name: "las tijeras", "die Scheren".

Shoppers shorten the shop's names to their head noun once the kind is clear: "tijeras" for
"tijeras de podar", "the shears" for "pruning shears", "die Scheren" for "Gartenschere". The
head is the last word of an English or German name and the first of a French, Spanish or
Italian one ("lampe de bureau"); of a German compound, its last part ("Garten|schere"). A
word that heads the names of exactly one of the shop's types, in the message's language,
and that the tagger left outside every slot, names that type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.nlu.features import LookedUp
from assistant.nlu.message import Reading, SlotSpan, add_value
from assistant.nlu.spelling import zipf
from retrieval.lexicon import ShopLexicon, phrase_keys

_LANGS = ("en", "de", "fr", "es", "it")
_HEAD_LAST = ("en", "de")  # the languages whose names end with their head noun
# a head word, and the part of a German compound, has this many letters at least
MIN_HEAD = 4
# the words a head stands after: a definite article or a demonstrative ("las tijeras", "die
# Scheren", "ese cuchillo"); an indefinite one only in the plural ("unas tijeras")
_BEFORE = frozenset(
    """
    the these those that this some der die das den dem des diese diesen dieser dieses
    le la les l ce cet cette ces des el los las ese esa esos esas este esta estos estas
    unos unas il lo i gli quel quella quelle quei quegli questo questa questi queste
    delle dei degli
    """.split()
)
# English and German name a thing with "a" too ("a lamp for my desk"); the Romance "un"
# is also "a lot" ("un sacco")
_BEFORE_EN_DE = _BEFORE | {"a", "an", "ein", "eine", "einen", "einem", "einer"}
# how common (Zipf) a word of the language is when it means more than the shop's thing:
# "tree" (4.9), "sacco" (5.0), "tienda" (4.7); "shears" (2.9), "cuchillo" (4.1) are not
EVERYDAY = 4.5
# German plural endings taken off before a compound's part is matched ("Scheren")
_PLURALS = ("en", "n", "e", "s")


@dataclass(frozen=True)
class HeadIndex:
    """The shop's type names by their head words (built once per lexicon)."""

    heads: dict[str, dict[str, frozenset[str]]]  # language → head word → types
    compounds: dict[str, frozenset[str]]  # a German one-word name → its types


def head_index(lexicon: ShopLexicon) -> HeadIndex:
    """Index the heads of the lexicon's several-word type names, and its German compounds."""
    heads: dict[str, dict[str, set[str]]] = {lang: {} for lang in _LANGS}
    compounds: dict[str, set[str]] = {}
    for key, entries in lexicon.phrases.items():
        types = {e.value for e in entries if e.kind == "type"}
        if not types:
            continue
        if len(key) == 1 and len(key[0]) > MIN_HEAD + 1 and lexicon.speaks(list(key), "de"):
            compounds.setdefault(key[0], set()).update(types)
        for lang in _LANGS if len(key) > 1 else ():
            head = key[-1] if lang in _HEAD_LAST else key[0]
            if len(head) >= MIN_HEAD and lexicon.speaks(list(key), lang):
                heads[lang].setdefault(head, set()).update(types)
    return HeadIndex(
        {lang: {h: frozenset(t) for h, t in by.items()} for lang, by in heads.items()},
        {w: frozenset(t) for w, t in compounds.items()},
    )


def types_headed_by(
    r: Reading,
    looked: LookedUp,
    index: HeadIndex,
    common: frozenset[str],
    shown_types: Sequence[str] = (),
) -> None:
    """Add the type each untagged head word names, when it heads one type's names only.

    Only right after an article or a demonstrative ("un sacco" is "a lot", "saco" "I take
    out"), never a word many phrasings use (``common``: "la tienda" is the shop) and
    never an everyday word of the language ("hang it from a tree"). A head of several
    types' names names the one on screen, if one is ("la lampe" with desk lamps shown).
    """
    heads = index.heads.get(r.lang, {})
    for i, token in enumerate(looked.tokens):
        word = token.text
        if len(word) < MIN_HEAD or not word.isalpha() or r.in_slot(token.start, token.end):
            continue
        if looked.cues[i] or word.lower() in common:
            continue  # a cue word, or a word many phrasings use: not a bare head
        before = _BEFORE_EN_DE if r.lang in _HEAD_LAST else _BEFORE
        if i == 0 or looked.tokens[i - 1].text.lower() not in before:
            continue
        keys = phrase_keys(word)
        if len(keys) != 1 or _everyday(word, r.lang):
            continue  # "hang it from a tree" is no cat tree
        types = set(heads.get(keys[0], ()))
        if r.lang == "de":
            types |= _compound_heads(index, keys[0])
        if len(types) > 1 and len(types & set(shown_types)) == 1:
            types &= set(shown_types)
        if len(types) != 1:
            continue
        kind = next(iter(types))
        r.spans.append(SlotSpan(slot="product", value=kind, start=token.start, end=token.end))
        if kind not in r.products:
            add_value(r.products, kind)
            r.product_words.append(word)


def _everyday(word: str, lang: str) -> bool:
    """Whether ``word`` is an everyday word of ``lang`` ("tree", "sacco", "tienda")."""
    return zipf(word, lang) >= EVERYDAY


def _compound_heads(index: HeadIndex, key: str) -> set[str]:
    """Return the types of the German one-word names that end with ``key`` ("gartenschere")."""
    parts = {key} | {key[: -len(p)] for p in _PLURALS if key.endswith(p)}
    parts = {p for p in parts if len(p) >= MIN_HEAD}
    found: set[str] = set()
    for word, types in index.compounds.items():
        if any(word.endswith(p) and word != p for p in parts):
            found |= types
    return found


def heads_of_shown(r: Reading, index: HeadIndex, shown_types: Sequence[str]) -> None:
    """Read a product word that heads a shown type's name as that type.

    "e aggiungi anche l'orologio" with wall clocks on screen: "orologio" alone names the
    smartwatch, but it heads "orologio da parete", the kind the talk is about.
    """
    heads = index.heads.get(r.lang, {})
    for span in r.spans:
        if span.slot != "product" or span.value in shown_types:
            continue
        keys = phrase_keys(r.text[span.start : span.end])
        if len(keys) != 1:
            continue
        types = set(heads.get(keys[0], ()))
        if r.lang == "de":
            types |= _compound_heads(index, keys[0])
        shown = types & set(shown_types)
        if len(shown) != 1:
            continue
        kind, was = next(iter(shown)), span.value
        span.value = kind
        others = [s for s in r.spans if s.slot == "product" and s.value == was]
        r.products = [kind if t == was and not others else t for t in r.products]
        if kind not in r.products:
            add_value(r.products, kind)
