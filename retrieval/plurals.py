"""Plural spellings of a several-word shop phrase, for the lexicon to know them too.

The matching keys strip a plural ending light-handedly ("boots" → "boot"), which leaves
a word's singular and plural apart where the singular ends in a vowel the plural changes
or keeps: "batterie externe" / "batteries externes" ("batterie" vs "battery", "externe"
vs "extern"), "borraccia termica" / "borracce termiche". The lexicon adds these spellings
of each phrase of two words or more, so a shopper's plural names what the singular does.
One-word phrases get none: their plural key may be another common word ("notes" → "not").
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+")
MIN_LETTERS = 5  # shorter words keep their spelling ("de", "sans", "tapis")

# Italian endings, longest first: singular → plural
_IT_ENDINGS = (
    ("cia", "ce"),
    ("gia", "ge"),
    ("ca", "che"),
    ("ga", "ghe"),
    ("co", "chi"),
    ("go", "ghi"),
    ("io", "i"),
    ("a", "e"),
    ("o", "i"),
    ("e", "i"),
)


def plural_word(word: str, lang: str | None) -> str:
    """Return the plural of one word as the shoppers of ``lang`` write it (or the word).

    English and French add -s; Spanish -s after a vowel and -es after a consonant; Italian
    changes the last vowel ("termica" → "termiche"); German adds -n after -e.
    """
    if len(word) < MIN_LETTERS or not word.isalpha():
        return word
    low = word.lower()
    if lang == "it":
        for singular, plural in _IT_ENDINGS:
            if low.endswith(singular):
                return word[: -len(singular)] + plural
        return word
    if lang == "de":
        return word + "n" if low.endswith("e") else word
    if low.endswith(("s", "x", "z")):
        return word
    if lang == "es" and low[-1] not in "aeiouáéíóú":
        return word + "es"
    return word + "s"


def plural_variants(phrase: str, lang: str | None) -> set[str]:
    """Return ``phrase`` with its words in the plural: all, the first only, the last only.

    "batterie externe" → "batteries externes", "batteries externe", "batterie externes"
    (a head noun and its adjectives agree, yet shoppers type either); a one-word phrase
    has none.
    """
    words = _WORD.findall(phrase)
    if len(words) < 2:
        return set()
    out: set[str] = set()
    for which in ("all", "first", "last"):
        text = phrase
        picked = words if which == "all" else [words[0] if which == "first" else words[-1]]
        for w in picked:
            text = re.sub(rf"\b{re.escape(w)}\b", plural_word(w, lang), text, count=1)
        if text != phrase:
            out.add(text)
    return out
