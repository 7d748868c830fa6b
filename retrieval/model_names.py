"""Products named by their model: "the vantage terra 3", "die nimbus summit 1", "canyon 7".

A title names the brand, the line and a model number, then the kind of product ("Vantage
Terra 3 Trail Running Shoes"). Shoppers name a product by the words up to its number: the
whole model ("vantage terra 3") or its line and number ("terra 3"). The index is read from
the store's own titles, so a merchant's catalog with model numbers works the same way;
titles without a number name no model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from retrieval.lexical import tokenize


def model_of(title: str) -> str:
    """Return a title's model, its words up to the number ("Orbitek Apex 8"; "" if none)."""
    words = title.split()
    at = next((i for i, w in enumerate(words) if i >= 1 and w.isdigit()), None)
    return " ".join(words[: at + 1]) if at is not None else ""


class ModelNames:
    """The model names of the store's titles, to find the products a message names."""

    def __init__(self, titles: Mapping[str, str]) -> None:
        """Index ``titles`` (product id → title) by their words up to the model number."""
        self._full: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self._short: dict[tuple[str, str], list[str]] = defaultdict(list)
        for pid, title in sorted(titles.items()):
            words = tokenize(title)
            at = next((i for i, w in enumerate(words) if i >= 1 and w.isdigit()), None)
            if at is None:
                continue
            self._full[tuple(words[: at + 1])].append(pid)
            if at >= 2:  # "terra 3" of "vantage terra 3"
                self._short[(words[at - 1], words[at])].append(pid)
        self._lengths = sorted({len(k) for k in self._full}, reverse=True)

    def named(self, text: str) -> list[str]:
        """Return the products whose model ``text`` names, whole models first.

        A line and number that several brands share ("terra 3" of two brands) name all of
        them; the caller narrows by the kind of product being talked about.
        """
        words = tokenize(text)
        whole: list[str] = []
        part: list[str] = []
        for j, word in enumerate(words):
            if not word.isdigit():
                continue
            found: list[str] = []
            for n in self._lengths:  # the longest model ending at this number
                key = tuple(words[max(0, j - n + 1) : j + 1])
                if len(key) == n and key in self._full:
                    found = self._full[key]
                    break
            if found:
                whole.extend(found)
            elif j >= 1 and (words[j - 1], word) in self._short:
                part.extend(self._short[(words[j - 1], word)])
        out = whole or part
        return list(dict.fromkeys(out))
