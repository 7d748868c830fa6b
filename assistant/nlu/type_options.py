"""Options of a named product type: keep the ones it has, add the ones the tagger missed.

"tent 4 person" names the tent's capacity, "27 zoll" the monitor's 27 inch; an option value
the named type lacks is dropped, and a "50-80" left once "50" is no option is a price range.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.nlu.budgets import amount_is_an_option
from assistant.nlu.message import Reading, SlotSpan, add_value
from assistant.nlu.tokens import Token, is_word
from retrieval.lexicon import Match, ShopLexicon

_RANGE = re.compile(r"(?<![\w.])(\d{1,5})\s*[-–]\s*(\d{1,5})(?![\w.])")
_DECIMAL = re.compile(r"(\d+)[.,](\d+)")
_BY = re.compile(r"x\d+(?:\.\d+)?")


def options_of_type(
    r: Reading, tokens: list[Token], lexicon: ShopLexicon, shown_types: Sequence[str] = ()
) -> None:
    """Keep only options the named type has, and add ones the tagger missed.

    A "50-80" left over once "50" is no option of the type is a price range. With no type
    named, the shown types' options are added ("the cheaper one in 1,7 liter" with kettles
    on screen), when spelt with more than a bare number ("2" may be a count).
    """
    types = r.products or list(shown_types)
    allowed = {
        (name, value)
        for t in types
        for name, values in lexicon.type_options.get(t, {}).items()
        for value in values
    }
    if not types:
        return
    named = bool(r.products)
    wrong = {k: v for k, v in r.options.items() if (k, v) not in allowed} if named else {}
    for key in wrong:
        del r.options[key]
    r.spans = [s for s in r.spans if not (s.slot == "option" and s.value in wrong.values())]
    taken = [(s.start, s.end) for s in r.spans if s.slot.startswith("budget_")]
    words: list[Token] = []
    said: list[str] = []
    for t in tokens:
        if words and _BY.fullmatch(t.text) and words[-1].end == t.start and said[-1].isdigit():
            said[-1] += t.key  # "4x6" (tokens "4", "x6") is the lexicon's one word
            words[-1] = Token(words[-1].text + t.text, words[-1].start, t.end)
            continue
        decimal = _DECIMAL.fullmatch(t.text)  # keyed "1", "7" in the lexicon's "1.7 oz"
        for key in decimal.groups() if decimal else (t.key,) if is_word(t) else ():
            parts = _compound_parts(t, lexicon) if key == t.key else [t]
            words += parts
            said += [p.key for p in parts] if len(parts) > 1 else [key]
    for m in lexicon.match(said, typos=False, inflected=True):
        if not lexicon.speaks(said[m.start : m.end], r.lang):
            continue  # "media" is Italian for medium, not in "social media"
        start, end = words[m.start].start, words[m.end - 1].end
        if not named and all(k.isdigit() for k in said[m.start : m.end]):
            continue
        if any(a < end and start < b for a, b in taken):
            n_words = m.end - m.start + ("x" in said[m.start])  # "60x80" is two numbers
            if not amount_is_an_option(r, m.entries, n_words, (start, end)):
                continue
        for e in m.entries:
            if e.kind == "option" and (e.option, e.value) in allowed:
                if e.option not in r.options and not _spanned(r, start, end):
                    r.spans.append(SlotSpan(slot="option", value=e.value, start=start, end=end))
                r.options.setdefault(e.option, e.value)
            elif e.kind == "size" and ("size", e.value) in allowed and _size_words(words, m):
                # "27 zoll" is the type's "27 inch": it replaces a bare "27" read alone
                bare = e.value.split()[0]
                r.sizes = [v for v in r.sizes if v != bare]
                add_value(r.sizes, e.value)
                if "x" in bare:  # "4x6" is a size, not the 4th and 6th shown
                    r.spans = [
                        sp
                        for sp in r.spans
                        if sp.slot != "item" or sp.end <= start or sp.start >= end
                    ]
                    r.items = [int(sp.value) for sp in r.spans if sp.slot == "item"]
    if wrong and r.budget_min is None and r.budget_max is None:
        span = _RANGE.search(r.text)
        if span:
            low, high = sorted((float(span.group(1)), float(span.group(2))))
            r.budget_min, r.budget_max = low, high


def _compound_parts(t: Token, lexicon: ShopLexicon) -> list[Token]:
    """Split a hyphenated word the lexicon does not know whole ("bypass-Variante").

    "die bypass-Variante bitte", "XL-Version": each part is matched on its own; a value
    spelt with its hyphen ("multi-fuel", "USB-C") stays one word.
    """
    if "-" not in t.text.strip("-") or lexicon.match([t.key], typos=False, inflected=True):
        return [t]
    parts, at = [], t.start
    for piece in t.text.split("-"):
        if piece:
            parts.append(Token(piece, at, at + len(piece)))
        at += len(piece) + 1
    return parts


def _spanned(r: Reading, start: int, end: int) -> bool:
    """Whether some slot already covers characters ``start``..``end``."""
    return any(s.start < end and start < s.end for s in r.spans)


def _size_words(words: list[Token], m: Match) -> bool:
    """Whether words name a size alone: "27 zoll", "small", "4x6" do; "s" or "27" do not."""
    word = words[m.start].text
    return m.end - m.start > 1 or (len(word) >= 3 and word.isalpha()) or "x" in word
