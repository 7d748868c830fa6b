"""The numbers of a cart message that count something: "2 of those", "x3", "zwei Stück".

A number is a quantity unless a slot took it (a size, a budget, a position) or a measure
follows it ("64 oz", "the 2 person one"); with its unit ("3 paires") it is the count
whatever number comes before it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from assistant.nlu.cues import dialogue_hits
from assistant.nlu.message import Reading
from assistant.nlu.numbers import is_number_word, number_in
from assistant.nlu.ordinals import word_positions
from assistant.nlu.tokens import Token, word_tokens
from assistant.nlu.units import TIME_UNITS

# Words that are articles or "one" as in "the second one" more often than a quantity.
_NOT_QUANTITY = {"one", "un", "une", "uno", "una", "ein", "eine", "einen", "a", "an"}
# Slots whose numbers are not quantities ("size 9", "under 50", "the 2nd").
_NUMBER_SLOTS = {"size", "option", "budget_max", "budget_min", "budget_about", "item", "zip"}
# words after a number that make it a measure of the product, not a count of it ("2 L",
# "2 M", "2 in blue" and "3 pieces" may be counts: left out)
_MEASURES = (
    frozenset(
        "oz ml cl liter liters litre litres qt quart quarts gb tb mb mm cm inch inches zoll "
        "pouces pulgadas pollici ft feet mah watt watts kg lb lbs person people personen "
        "personnes personas persone".split()
    )
    | TIME_UNITS
)  # durations: "la batteria da 7 giorni", "the 10 year warranty one"
_TIMES = re.compile(r"^(?:x(\d{1,2})|(\d{1,2})x)$", re.IGNORECASE)
# a count said as "so many times" in one word ("the shears twice", "die Schere zweimal")
_MULTIPLES = {"twice": 2, "thrice": 3, "zweimal": 2, "dreimal": 3, "viermal": 4, "fünfmal": 5}
# … or in two ("dos veces", "deux fois", "due volte", "3 times", "2 mal")
_TIMES_WORDS = frozenset({"times", "mal", "fois", "veces", "volte"})


def quantities_in(reading: Reading, *, items_too: bool = False) -> tuple[list[int], bool]:
    """Return the whole numbers 1–99 typed outside other slots, and whether "x2" was used.

    A number right before a unit ("2 Stück", "deux paires", "3 of those") is a quantity
    whatever slot the tagger gave it; with ``items_too`` so is a bare number the tagger
    read as a position ("j'en veux 3" about a cart line).
    """
    slots = _NUMBER_SLOTS - {"item"} if items_too else _NUMBER_SLOTS
    taken = [(s.start, s.end) for s in reading.spans if s.slot in slots]
    hits = dialogue_hits(reading.text, reading.lang)
    units = {h.start for h in hits if h.group == "qty_unit"}
    # "the cheaper of those two", "le moins cher des deux": a reference, no quantity
    pair = {i for h in hits if h.group == "the_two" for i in range(h.start, h.end)}
    counts = counts_of(reading.text, reading.lang)
    out: list[int] = []
    marked: list[int] = []
    timed: list[int] = []
    times = False
    words = word_tokens(reading.text)
    for i, token in enumerate(words):
        covered = any(start <= token.start < end for start, end in taken)
        if covered and i + 1 not in units and i not in counts:
            continue
        word = token.text.lower()
        match = _TIMES.match(word)
        if match:
            times = True
            timed.append(int(match.group(1) or match.group(2)))
            continue
        if word in _MULTIPLES:
            times = True
            timed.append(_MULTIPLES[word])
            continue
        if word in _NOT_QUANTITY or i in pair or not (word.isdigit() or is_number_word(word)):
            continue
        if i + 1 < len(words) and words[i + 1].text.lower() in _MEASURES:
            continue  # "en 64 oz", "the 2 person one": a measure, whatever the tagger read
        if reading.text[token.end : token.end + 1] == "-" and i + 1 < len(words):
            continue  # "die mit dem 7-Tage-Akku": part of a word, no count
        value = number_in(word)
        if value is not None and value.is_integer() and 1 <= value <= 99:
            out.append(int(value))
            follows = words[i + 1].text.lower() if i + 1 < len(words) else ""
            if follows in _TIMES_WORDS:
                times = True
                timed.append(int(value))
            if i + 1 in units:
                marked.append(int(value))
    # "les Orbitek Apex 8 : 3 paires": a number with its unit is the count, whatever
    # number comes before it (a model's); so is one said "so many times" ("dos veces,
    # uno es para mi primo")
    return (timed or marked or out), times


@lru_cache(maxsize=256)
def counts_of(text: str, lang: str) -> frozenset[int]:
    """Word indexes of numbers that count what a position names ("2 of the first one").

    A number right before "of" / "von" / "du" / "del" … counts when the message names a
    position too, or "of" points at what is on screen ("2 of that one", "add 2 of those":
    a count, never the second one). Asked up to three times per message by the cart's
    reading step; read once.
    """
    hits = dialogue_hits(text, lang)
    of = {h.start for h in hits if h.group == "qty_of"}
    # "2 of that one", "2 of those": "of" right before a word for what is on screen
    one = {h.start - 1 for h in hits if h.group in ("refer_one", "refer_many")}
    if not word_positions(text):
        of &= one
    if not of:
        return frozenset()
    return frozenset(
        i
        for i, t in enumerate(word_tokens(text))
        if i + 1 in of
        and t.text.lower() not in _NOT_QUANTITY
        and (t.text.isdigit() or is_number_word(t.text.lower()))
    )


def budgets_are_counts(reading: Reading, hits: list[Any]) -> None:
    """Drop a budget that is a bare number right after "make it" ("make it 99": how many).

    A price says its currency or a price word ("make it under 99 dollars" stays a budget).
    """
    if reading.currency is not None:
        return
    words = word_tokens(reading.text)
    after = {h.end for h in hits if h.group == "make_it"}
    counts = {
        s.start
        for s in reading.spans
        if s.slot.startswith("budget_")
        and (i := _word_at(words, s.start)) is not None
        and i in after
        and reading.text[s.start : s.end].strip().isdigit()
    }
    if not counts:
        return
    for span in [s for s in reading.spans if s.start in counts]:
        setattr(reading, span.slot, None)
    reading.spans = [s for s in reading.spans if s.start not in counts]


def counts_are_not_positions(reading: Reading, hits: list[Any]) -> None:
    """Drop item slots that are counts ("make it 2 pairs": two, not the second product)."""
    units = {h.start for h in hits if h.group == "qty_unit"}
    of_counts = counts_of(reading.text, reading.lang)
    words = word_tokens(reading.text)
    # "la solstice en rojo, la de 64 oz, ponme 2": a bare number after the verb that adds,
    # once values pick the product, is how many
    verbs = {h.end for h in hits if h.group in ("cart", "cart_put", "make_it")}
    valued = bool(reading.colors or reading.sizes or reading.options)
    counts: set[int] = set()
    for span in reading.spans:
        if span.slot != "item":
            continue
        index = _number_in_span(words, span.start, span.end)
        last = next((i for i, t in enumerate(words) if t.end >= span.end), None)
        if index is not None and index in of_counts:
            counts.add(span.start)
        elif index is not None and index in verbs and valued and words[index].text.isdigit():
            counts.add(span.start)
        elif index is not None and last is not None and last + 1 in units:
            if words[index].text.isdigit() or is_number_word(words[index].text):
                counts.add(span.start)
    if counts:
        reading.spans = [s for s in reading.spans if s.start not in counts]
        reading.items = [
            int(s.value) for s in reading.spans if s.slot == "item" and _is_int(s.value)
        ]


def bare_numbers(reading: Reading, hits: list[Any]) -> bool:
    """Whether every position read is a bare number, no article before it ("pon 2").

    "la 2", "the 2": an article makes the number a position; "pon 2" after an add is a
    count of the line just added.
    """
    items = [s for s in reading.spans if s.slot == "item"]
    if not items:
        return False
    words = word_tokens(reading.text)
    articles = {h.end for h in hits if h.group == "article"}
    for span in items:
        index = _word_at(words, span.start)
        if index is None or not words[index].text.isdigit() or index in articles:
            return False
    return True


def _word_at(words: list[Token], at: int) -> int | None:
    """Return the index of the first word starting at character ``at`` or after it."""
    return next((i for i, t in enumerate(words) if t.start >= at), None)


def _number_in_span(words: list[Token], start: int, end: int) -> int | None:
    """Return the index of the number word in a span (else of its first word).

    The tagger's item span may take the verb before the number too ("mets-m'en 3").
    """
    inside = [i for i, t in enumerate(words) if t.start >= start and t.end <= end]
    number = next(
        (i for i in inside if words[i].text.isdigit() or is_number_word(words[i].text.lower())),
        None,
    )
    return number if number is not None else _word_at(words, start)


def _is_int(value: str) -> bool:
    return value.lstrip("-").isdigit()


def count_apart(quantity: int, values: list[str], text: str) -> int:
    """Return 1 for a number the message used once, for an option value it names.

    "mettilo nel carrello da 12 pezzi": the 12 is the 12-piece set, not twelve sets.
    """
    number = rf"(?<![\d.,]){quantity}(?![\d.,])"
    in_value = any(re.search(number, v) for v in values)
    return 1 if quantity > 1 and in_value and len(re.findall(number, text)) == 1 else quantity
