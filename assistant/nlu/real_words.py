"""A word of the shopper's language is no typo of a shop word: "charcos" is not "charcoal".

The lexicon reads a 6+ letter word close to a one-word phrase as its typo ("tootbrush").
A word the language uses ("los charcos", puddles) is what it says, not a slip: the value
read from it alone (the grey of "charcoal") is dropped.

Likewise a shop word of another language only that is a common word of the message's own
("Tee" is tea in German, the English synonym of a T-shirt): no product is read from it
(:func:`false_friends`).
"""

from __future__ import annotations

import re

from assistant.nlu.features import LookedUp
from assistant.nlu.message import Reading, SlotSpan
from assistant.nlu.spelling import zipf
from retrieval.lexicon import ShopLexicon

# how common (Zipf) a word must be to be the language's own: slips score near 0 ("jaket"),
# "charcos" 3.0, "charco" 3.5
OWN_WORD = 2.5
# the slots a typo of a shop word may have given
_VALUES = ("color", "feature", "size", "option")
# how common (Zipf) a word of the message's language must be to mean what it says there,
# not another language's shop word: German "Tee" (tea) 4.45, "Hose" (trousers) 4.44, "Boot"
# (boat) 4.52, Italian "camera" (room) 5.1 go; borrowed words meant as the shop's stay:
# "Laptop" 4.17, "Tablet" 4.07 in German, French "camera" 4.42 (caméra)
FALSE_FRIEND = 4.44


def words_not_typos(r: Reading, looked: LookedUp, lexicon: ShopLexicon) -> None:
    """Drop the values read only as a typo of a shop word from a word of the language."""
    starts = {t.start: t for t in looked.tokens}
    dropped = []
    for span in [s for s in r.spans if s.slot in _VALUES]:
        token = starts.get(span.start)
        if token is None or token.end != span.end or not token.text.isalpha():
            continue  # several words, or a number: no one-word typo
        if lexicon.match([token.key], typos=False, inflected=True):
            continue  # the shop's own word (or an inflection of it)
        if _form_of_shop_word(token.key, lexicon):
            continue  # "acuática" of "acuático": another form, not another word
        if zipf(token.text, r.lang) < OWN_WORD:
            continue  # a slip ("blakc"), read as the word it misspells
        dropped.append(span)
    r.drop(dropped)


def _core(key: str) -> str:
    """Return a word without its plural and final vowel ("acuaticas" → "acuatic")."""
    return re.sub(r"[aeo]$", "", re.sub(r"(?:es|s)$", "", key))


def _form_of_shop_word(key: str, lexicon: ShopLexicon) -> bool:
    """Whether ``key`` is a gender or number form of a one-word shop phrase."""
    core = _core(key)
    return any(
        len(phrase) == 1 and phrase[0][:1] == key[:1] and _core(phrase[0]) == core
        for phrase in lexicon.phrases
    )


# a word this common (Zipf) is a word of grammar first: "the cat can nap" (the slang "cans"
# for headphones is "can" 6.46, the commonest one-word shop phrase; "home" 5.81 is not one)
GRAMMAR_WORD = 6.0
# words before a noun: "a can", "those cans", "2 cans" name the thing
_DETERMINERS = frozenset(
    "a an the some any these those this that my your his her our their of and or".split()
)


def grammar_words(r: Reading, looked: LookedUp) -> None:
    """Drop a product read from a word of grammar with no determiner before it."""
    tokens = looked.tokens
    starts = {t.start: i for i, t in enumerate(tokens)}
    dropped = []
    for span in [s for s in r.spans if s.slot == "product"]:
        i = starts.get(span.start)
        if i is None or tokens[i].end != span.end or not tokens[i].text.isalpha():
            continue
        before = tokens[i - 1].text.lower() if i else ""
        if before in _DETERMINERS or before.isdigit():
            continue
        if zipf(tokens[i].text, r.lang) >= GRAMMAR_WORD:
            dropped.append(span)
    _drop_things(r, dropped)


def false_friends(r: Reading, looked: LookedUp, lexicon: ShopLexicon) -> set[int]:
    """Drop a product read from a common word of the language, a shop word of others only.

    "für grünen Tee" is tea, not a tee. Returns where the dropped words start.
    """
    if r.lang == "en":
        return set()
    starts = {t.start: t for t in looked.tokens}
    dropped = []
    for span in [s for s in r.spans if s.slot in ("product", "category")]:
        token = starts.get(span.start)
        if token is None or token.end != span.end or not token.text.isalpha():
            continue
        langs = lexicon.langs.get((token.key,))
        if langs and r.lang not in langs and zipf(token.text, r.lang) >= FALSE_FRIEND:
            dropped.append(span)
    _drop_things(r, dropped)
    return {s.start for s in dropped}


def _drop_things(r: Reading, dropped: list[SlotSpan]) -> None:
    """Drop ``dropped`` from the reading, with the product words they were read from."""
    if dropped:
        words = {r.text[s.start : s.end].lower() for s in dropped}
        r.drop(dropped)
        r.product_words = [w for w in r.product_words if w.lower() not in words]
