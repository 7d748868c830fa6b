"""Word forms a synonym file need not list: declined colours, absolute superlatives.

A synonym file lists a word's base form; shoppers type its other forms ("einen roten
Hoodie", "una tenda leggerissima"). The forms are made here from the listed word.
"""

from __future__ import annotations

import re


def german_adjective_forms(word: str) -> list[str]:
    """Return a German colour word with its declined forms ("rot" → "rote", "roten" …).

    A colour before a noun takes an ending by case and gender ("einen roten Hoodie", "dem
    blauen"); a synonym file lists the base form and need not list every ending. A word
    already declined ("rote"), a loan word that is not declined ("navy", "rosa", "lila") or
    "oliv" (its forms are "Oliven" and the name "Oliver"; "olivgrün" declines) yields itself.
    """
    if " " in word or not word.isalpha() or word.lower().endswith(("y", "a", "o", "i", "v")):
        return [word]
    stem = word[:-1] if word.endswith("e") else word
    if stem != word and word.lower() not in ("beige", "orange"):
        return [word]  # "rote" is itself an ending of "rot"
    forms = [word, *(stem + ending for ending in ("e", "er", "es", "en", "em"))]
    return list(dict.fromkeys(forms))


_ULTRA = re.compile(r"^ultra[\s-]?(?P<base>[^\W\d_]{4,})$", re.I)
# the spelling a stem's last consonant takes before the ending: "largo" → "larghissimo",
# "rico" → "riquísimo", "feliz" → "felicísimo"
_IT_STEM = (("co", "ch"), ("go", "gh"), ("ca", "ch"), ("ga", "gh"))
_ES_STEM = (("co", "qu"), ("ca", "qu"), ("go", "gu"), ("ga", "gu"), ("z", "c"))


def superlative_forms(word: str, lang: str) -> list[str]:
    """Return the absolute superlatives an "ultra-" word of Italian or Spanish also has.

    "ultraleggera" is also "leggerissima" (and "leggerissimo", "-i", "-e"), "ultraligero" is
    "ligerísimo" (and "-a", "-os", "-as"): the one-word way to say "very, very light". Other
    words and languages have none (``[]``).
    """
    m = _ULTRA.match(word.strip())
    if m is None or lang not in ("it", "es"):
        return []
    base = m.group("base").lower()
    if lang == "it":
        stem = next((base[: -len(e)] + s for e, s in _IT_STEM if base.endswith(e)), None)
        stem = stem or (base[:-1] if base[-1] in "oaei" else base)
        return [stem + e for e in ("issimo", "issima", "issimi", "issime")]
    stem = next((base[: -len(e)] + s for e, s in _ES_STEM if base.endswith(e)), None)
    stem = stem or (base[:-1] if base[-1] in "oae" else base)
    return [stem + e for e in ("ísimo", "ísima", "ísimos", "ísimas")]


def english_colour_forms(word: str) -> list[str]:
    """Return an English colour word with its "-ish" forms ("red" → "reddish", "red-ish").

    "silver-ish to match her fridge", "a greyish one": a shade of the colour is the colour.
    The tokenizer joins "red-ish" into "redish"; both spellings are made. Several words
    ("light blue") and words with digits yield only themselves.
    """
    if not word.isalpha():
        return [word]
    w = word.lower()
    forms = [word, w + "ish"]
    if w.endswith("e"):
        forms.append(w[:-1] + "ish")  # "bluish", "beigish"
    if len(w) <= 4 and w[-1] not in "aeiouwy" and w[-2] in "aeiou" and w[-3:-2] not in "aeiou":
        forms.append(w + w[-1] + "ish")  # "reddish", "tannish"
    return list(dict.fromkeys(forms))
