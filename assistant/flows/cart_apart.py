"""One product added as several lines, one per value: "two: one in red and one in blue".

"mete dos de esa: una con grip 4 1/4 y otra con grip 4 1/8" names two values of one option
for one product; each is a line of its own, not the first value twice. The message must
say each one apart ("one … and one/the other …", in the cue group ``one_each``) or count
as many as it names values ("two, 4 1/4 and 4 1/8"); "in red or blue" is no such request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.flows.cart_variants import options_of
from assistant.nlu.cues import apart_hits
from assistant.nlu.message import Reading
from assistant.nlu.tokens import norm, tokenize


def values_in_order(text: str, choices: Sequence[str]) -> list[str]:
    """Return the choices the message names word for word, in the order they are typed.

    A choice inside a longer one named at the same place counts as that one only.
    """
    said = [norm(t.text) for t in tokenize(text)]
    found: list[tuple[int, int, str]] = []
    for choice in choices:
        words = [norm(t.text) for t in tokenize(choice)]
        n = len(words)
        for i in range(len(said) - n + 1):
            if n and said[i : i + n] == words:
                found.append((i, i + n, choice))
                break
    kept = [
        (s, e, c)
        for s, e, c in found
        if not any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for s2, e2, _ in found)
    ]
    return [c for _, _, c in sorted(kept)]


def lines_apart(
    reading: Reading, product: dict[str, Any], values: list[str], quantity: int
) -> list[tuple[list[str], int]] | None:
    """Return (values, quantity) per line when one option's values are asked for apart.

    The other values named (of other options) go with every line; the count is shared
    out evenly, else each line gets one. None: one line, as usual.
    """
    each = apart_hits(reading.text, reading.lang, "one_each")
    for choices in options_of(product).values():
        folded = {norm(c) for c in choices}
        named = values_in_order(reading.text, choices)
        read = [v for v in dict.fromkeys([*reading.colors, *reading.sizes]) if norm(v) in folded]
        if len(read) > len(named):
            named = read  # the reader's values, from the shopper's words ("schwarz", "blau")
        if len(named) < 2:
            continue
        if each < 2 and quantity != len(named):
            return None  # "in red or blue": one of them, not both
        others = [v for v in values if norm(v) not in folded]
        per = quantity // len(named) if quantity % len(named) == 0 else 1
        return [([value, *others], max(per, 1)) for value in named]
    return None
