"""A verb of what the shopper wants to do with it names the feature that allows it.

"a headlamp i can recharge" wants a rechargeable one, "eine Decke, die man waschen kann" a
washable one: the verb with its language's "-able" ending is the feature word the shop's
lexicon knows ("recharge" → "rechargeable", "waschen" → "waschbar", "ricaricare" →
"ricaricabile"). Only one-word features, only when the lexicon names one with that form.
"""

from __future__ import annotations

# (verb ending to drop, adjective ending to add), per language
_FORMS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("", "able"), ("e", "able"), ("", "ible")),
    "de": (("en", "bar"), ("n", "bar")),
    "fr": (("er", "able"), ("r", "able"), ("ir", "issable")),
    "es": (("ar", "able"), ("er", "ible"), ("ir", "ible")),
    "it": (("are", "abile"), ("ere", "ibile"), ("ire", "ibile")),
}
MIN_LETTERS = 4


def able_forms(word: str, lang: str) -> list[str]:
    """Return the "-able" adjectives a verb may make in ``lang`` ("recharge" → "rechargeable")."""
    word = word.lower()
    if len(word) < MIN_LETTERS or not word.isalpha():
        return []
    out = []
    for ending, suffix in _FORMS.get(lang, ()):
        if ending and not word.endswith(ending):
            continue
        stem = word[: len(word) - len(ending)] if ending else word
        if len(stem) >= MIN_LETTERS - 1:
            out.append(stem + suffix)
    return out
