"""Pull explicit price constraints out of free-text queries ("boots under $150").

Small LLMs often leave budgets inside the query instead of the price arguments; this
makes the filter apply either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"[$€]?\s*(\d+(?:[.,]\d+)?)\s*(?:usd|dollars?|bucks|d[oó]lares|dollari|euros?|€|\$)?"
_BETWEEN = re.compile(
    rf"\b(?:between|from|zwischen|entre|tra|fra)\s+{_NUM}\s*(?:and|to|-|und|et|y|e)\s*{_NUM}",
    re.I,
)
_RANGE = re.compile(rf"\$\s*(\d+(?:[.,]\d+)?)\s*(?:-|to)\s*{_NUM}", re.I)
_MAX = re.compile(
    rf"(?:\b(?:(?:nothing|not|no(?:thing)?)\s+(?:over|above|more\s+than)|under|below|less\s+than|cheaper\s+than|max(?:imum)?|up\s+to|no\s+more\s+than|"
    rf"at\s+most|within|budget(?:\s+of)?|for\s+less\s+than|unter|weniger\s+als|bis|"
    rf"moins\s+de|menos\s+de|meno\s+di|sotto|inferiore\s+a)\s*|<\s*){_NUM}",
    re.I,
)
_MIN = re.compile(
    rf"(?:\b(?:over|above|more\s+than|at\s+least|min(?:imum)?|starting\s+at|über|mehr\s+als|"
    rf"plus\s+de|más\s+de|più\s+di)\s*|>\s*){_NUM}",
    re.I,
)


@dataclass(frozen=True)
class ParsedQuery:
    """A query with its price phrases removed, and the prices they stated."""

    text: str
    min_price: float | None = None
    max_price: float | None = None


def _num(raw: str) -> float:
    return float(raw.replace(",", ""))


def parse_query(text: str) -> ParsedQuery:
    """Split ``text`` into product words and explicit price bounds."""
    low: float | None = None
    high: float | None = None
    rest = text
    for pattern in (_BETWEEN, _RANGE):
        m = pattern.search(rest)
        if m:
            a, b = _num(m.group(1)), _num(m.group(2))
            low, high = min(a, b), max(a, b)
            rest = rest[: m.start()] + " " + rest[m.end() :]
            break
    if high is None:
        m = _MAX.search(rest)
        if m:
            high = _num(m.group(1))
            rest = rest[: m.start()] + " " + rest[m.end() :]
    if low is None:
        m = _MIN.search(rest)
        if m:
            low = _num(m.group(1))
            rest = rest[: m.start()] + " " + rest[m.end() :]
    cleaned = " ".join(rest.replace("$", " ").split()).strip(" ,.-")
    return ParsedQuery(cleaned, low, high)


def option_vocabulary(option_sets: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    """Map option values that are plain words ("red", "cotton") to (option name, value).

    Values shared by two option names, short codes ("M") and numbers are left out, so a
    query word can only imply an option when it is unambiguous.
    """
    seen: dict[str, set[tuple[str, str]]] = {}
    for options in option_sets:
        for name, value in options.items():
            key = value.strip().lower()
            if len(key) >= 3 and key.isalpha():
                seen.setdefault(key, set()).add((name, value))
    return {k: next(iter(v)) for k, v in seen.items() if len({n for n, _ in v}) == 1}


def implied_options(text: str, vocabulary: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Return the option constraints that words of ``text`` name ("red hoodie" → color=red)."""
    out: dict[str, str] = {}
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in vocabulary:
            name, value = vocabulary[word]
            out.setdefault(name, value)
    return out
