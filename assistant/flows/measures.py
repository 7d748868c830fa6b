"""A measure said in another unit names the catalog's value: "20 cm" is the "8 inch" blade.

Shoppers say lengths and volumes in their own units ("so 20 cm Klinge", "like 6 feet",
"quello da 30 cm", "15 Meter"); catalogs list them in theirs ("8 inch", "72 inch",
"12 inch", "50 ft"). A measure in the message, converted, names the one choice within
a few percent of it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Units to a base per dimension: millimetres for lengths, millilitres for volumes.
_LENGTH = {
    **dict.fromkeys(("mm",), 1.0),
    **dict.fromkeys(("cm",), 10.0),
    **dict.fromkeys(("m", "meter", "meters", "metre", "metres", "mètre", "mètres",
                     "metro", "metros", "metri"), 1000.0),
    **dict.fromkeys(('"', "in", "inch", "inches", "zoll", "pulgada", "pulgadas", "pouce",
                     "pouces", "pollice", "pollici"), 25.4),
    **dict.fromkeys(("ft", "feet", "foot", "fuß", "fuss", "piedi", "pies", "pieds"), 304.8),
}  # fmt: skip
_VOLUME = {
    **dict.fromkeys(("ml",), 1.0),
    **dict.fromkeys(("cl",), 10.0),
    **dict.fromkeys(("l", "liter", "liters", "litre", "litres", "litro", "litros", "litri"),
                    1000.0),
    **dict.fromkeys(("oz", "fl oz"), 29.5735),
}  # fmt: skip
_DIMENSIONS = (_LENGTH, _VOLUME)
# how near (relative) a converted measure must come to a choice to name it
NEAR = 0.05

_SAID = re.compile(r"(\d+(?:[.,]\d+)?)\s*(fl oz|\"|[^\W\d_]+)", re.IGNORECASE)
_VALUE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(fl oz|\"|[^\W\d_]+)\s*$", re.IGNORECASE)


def _amount(number: str, unit: str) -> tuple[int, float] | None:
    """Return (dimension, amount in its base unit) of "20" "cm" (None: no unit of ours)."""
    unit = unit.lower()
    for i, table in enumerate(_DIMENSIONS):
        if unit in table:
            return i, float(number.replace(",", ".")) * table[unit]
    return None


def measured_choice(text: str, choices: Sequence[str]) -> str | None:
    """Return the one choice a measure of ``text`` comes within ``NEAR`` of, in any unit.

    Only a measure said in another unit than the choice's counts ("20 cm" for "8 inch");
    one said in the choice's own unit is the choice's words, read elsewhere.
    """
    values: list[tuple[str, str, int, float]] = []
    for choice in choices:
        m = _VALUE.match(choice)
        parsed = _amount(m.group(1), m.group(2)) if m else None
        if m is not None and parsed is not None:
            values.append((choice, m.group(2).lower(), *parsed))
    if not values:
        return None
    found: set[str] = set()
    for m in _SAID.finditer(text):
        if m.group(2).lower() == "in":
            continue  # "the 10 in black": a preposition more often than inches
        said = _amount(m.group(1), m.group(2))
        if said is None:
            continue
        dim, amount = said
        near = [
            c
            for c, unit, d, a in values
            if d == dim and unit != m.group(2).lower() and abs(a - amount) <= NEAR * a
        ]
        found.update(near)
    return next(iter(found)) if len(found) == 1 else None
