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
    if not word.isalpha():
        return []
    out = []
    if lang == "en" and len(word) >= 3 and _short_vowel_end(word):
        out.append(word + word[-1] + "able")  # "dim" → "dimmable", "zip" → "zippable"
    if len(word) < MIN_LETTERS:
        return out
    for ending, suffix in _FORMS.get(lang, ()):
        if ending and not word.endswith(ending):
            continue
        stem = word[: len(word) - len(ending)] if ending else word
        if len(stem) >= MIN_LETTERS - 1:
            out.append(stem + suffix)
    return out


def _short_vowel_end(word: str) -> bool:
    """Whether an English verb ends consonant-vowel-consonant (its consonant doubles)."""
    vowels = "aeiou"
    return word[-3] not in vowels and word[-2] in vowels and word[-1] not in vowels + "wxy"
