"""Option values named in a shopper's words: "1.7l", "32 Zoll" for "32 inch", "in a small".

Shared by the cart (which variant) and the search (which options to filter on): a
message names a value when it has all of the value's words, or the value's first word
when no other value starts with it; letter sizes are also named by their words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from assistant.flows.measures import measured_choice
from assistant.nlu.tokens import norm, tokenize

# Size words for letter sizes, in the five languages.
_SIZE_WORDS = {
    "xs": ("extra small", "extra-small", "x-small", "xs", "très petit", "extra pequeño",
           "extra piccolo"),
    "s": ("small", "klein", "kleine", "petit", "petite", "pequeño", "pequeña", "piccolo",
          "piccola"),
    "m": ("medium", "mittel", "mittlere", "moyen", "moyenne", "mediano", "mediana", "medio",
          "media"),
    "l": ("large", "groß", "gross", "große", "grand", "grande"),
    "xl": ("extra large", "extra-large", "x-large", "xl", "sehr groß", "très grand",
           "extra grande"),
}  # fmt: skip


_LETTER = {w: letter for letter, words in _SIZE_WORDS.items() for w in words}
_SIZE_WORD = re.compile(
    r"(?<![\w-])("
    + "|".join(sorted(map(re.escape, _LETTER), key=len, reverse=True))
    + r")(?![\w-])",
    re.IGNORECASE,
)


def letter_sizes_named(text: str) -> list[str]:
    """Return the letter sizes a message names by their words, in order ("a large" → L).

    The longest words win: "extra large" is XL, never L; "xs" and "xl" typed count too.
    """
    return [_LETTER[m.group(0).lower()].upper() for m in _SIZE_WORD.finditer(text)]


def matching_choices(text: str, choices: Sequence[str]) -> list[str]:
    """Return the asked choices a message names, by their words (see answer_values).

    Letter sizes are also named by their words ("in a small" → S, "taille moyenne" → M),
    measures by another unit ("20 cm" → 8 inch).
    """
    text = _SIZE_WORD.sub(lambda m: f"{m.group(0)} {_LETTER[m.group(0).lower()]}", text)
    tokens = tokenize(text)
    said = [norm(t.text) for t in tokens]
    # a value in a compound typed with a hyphen: "Squeeze-Variante", "XL-Version"
    said += [norm(part) for t in tokens if "-" in t.text for part in t.text.split("-")]
    words = {c: [norm(t.text) for t in tokenize(c)] for c in choices}
    whole = [c for c in choices if words[c] and all(w in said for w in words[c])]
    if whole:
        return [max(whole, key=lambda c: len(words[c]))]
    converted = measured_choice(text, choices)  # "so 20 cm Klinge": the "8 inch" one
    if converted is not None:
        return [converted]
    heads = [c for c in choices if words[c] and words[c][0] in said]
    firsts = [words[c][0] for c in heads]
    return [c for c in heads if firsts.count(words[c][0]) == 1][:1]


_UNIT = re.compile(r"(\d)\s+(ml|l|mm|cm|in|inch|oz|qt|gb|tb|mah|w|cups?)\b", re.IGNORECASE)


def units_joined(text: str) -> str:
    """Write "1000 ml" as catalogs do ("1000ml")."""
    return _UNIT.sub(r"\1\2", text)


def named_values(text: str, options: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Return, per option name, the one value of ``options`` the text names."""
    out: dict[str, str] = {}
    joined = units_joined(text)
    for name, values in options.items():
        found = matching_choices(joined, sorted(set(values)))
        if found:
            out[name] = found[0]
    return out
