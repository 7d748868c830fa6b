"""A number and the word after it: an option or size with its unit, or an age or a time.

"the 2 person" is the 2-person tent (not the second shown), "32 Zoll" the 32 inch monitor,
and "compie 8 anni" an age (never a size 8).
"""

from __future__ import annotations

import re

from assistant.nlu.message import Reading
from assistant.nlu.tagger import Tagged
from assistant.nlu.tokens import Token, keys
from retrieval.lexicon import ShopLexicon

# Words after a number that make it an age or a time, never a size ("compie 8 anni").
TIME_UNITS = frozenset(
    "year years yr yrs yo months month weeks week days day hours hour hr hrs jahre jahren "
    "jahr jährige jähriger jährigen monate monat wochen woche tage tagen tag stunden ans an "
    "mois semaines semaine jours jour heures años año anos ano meses mes semanas días dias "
    "día dia horas anni anno mesi mese settimane giorni giorno ore".split()
)


def before_time_unit(text: str, end: int) -> bool:
    """Return True when the word right after ``end`` is a unit of time or age."""
    return _word_after(text, end) in TIME_UNITS


# Words after a number that make it a measure, never a price ("de unos 20 cm", "so 20.000
# mAh"): lengths, volumes, weights, capacities, in the five languages. No one-letter unit
# and no "in": "under 200 in green" is a price and a colour.
MEASURE_UNITS = frozenset(
    "mm cm km inch inches zoll pulgada pulgadas pouce pouces pollice pollici ft feet "
    "foot fuß piedi pies pieds ml cl liter litre litres liters litro litros litri oz qt "
    "gallon gallons kg gr lb lbs pound pounds mah wh kw gb tb mb mp hz cup cups tassen "
    "tasses tazas tazze meter meters metre metres mètre mètres metro metros metri yard "
    "yards kilo kilos gramm gramme grammes gramos grammi grams lumen lumens watt watts".split()
)


def before_measure_unit(text: str, end: int) -> bool:
    """Return True when the word right after ``end`` is a unit of measure ("20 cm")."""
    return _word_after(text, end) in MEASURE_UNITS


def _word_after(text: str, end: int) -> str | None:
    """Return the word right after ``end`` in lower case (a hyphen may stand between)."""
    after = re.match(r"[\s-]*([^\W\d_]+)", text[end:])
    return after.group(1).lower() if after is not None else None


def measured(amount: str) -> bool:
    """Return True when a tagged amount ends with a unit of measure ("20 cm", "65 liter")."""
    last = re.search(r"([^\W\d_]+)\W*$", amount)
    return last is not None and last.group(1).lower() in MEASURE_UNITS


def with_unit(lexicon: ShopLexicon, text: str, t: Tagged, tokens: list[Token]) -> list[str]:
    """Sizes a tagged number names with the word after it ("32" of "32 Zoll" → 32 inch)."""
    after = next((k for k in tokens if k.start >= t.end and k.text.isalpha()), None)
    if after is None or text[t.end : after.start].strip():
        return []
    return lexicon.resolve(text[t.start : after.end], "size")


def unit_option(lexicon: ShopLexicon, r: Reading, digit: str, after: str) -> str | None:
    """Record and return the option or size a number and the word after it name ("2 person")."""
    for m in lexicon.match(keys(f"{digit} {after}")):
        if m.start != 0 or m.end < 2:
            continue
        for e in m.entries:
            if e.kind == "option":
                r.options.setdefault(e.option, e.value)
                return e.value
            if e.kind == "size":
                if e.value not in r.sizes:
                    r.sizes.append(e.value)
                return e.value
    return None
