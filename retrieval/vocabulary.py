"""The catalog's own vocabulary: product types, their features, ratings.

Code resolves what a shopper (or a small model) said against these words, so "hiking
boots" can only mean the type *Hiking Boots*, never *Rain Boots*, and a feature filter
only uses features some product of that type really has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from catalog.models import Product, Variant

_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """Return a light plural stem shared by every language ("boots" → "boot", "ies" → "y")."""
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


# a whole number written with thousands separators ("20.000", "20,000"), not a decimal
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,]\d{3})+(?![\d.,]*\d)")


def join_thousands(text: str) -> str:
    """Write the whole numbers of ``text`` without thousands separators ("20.000" → "20000")."""
    return _THOUSANDS.sub(lambda m: re.sub(r"[.,]", "", m.group(0)), text)


def words(text: str) -> list[str]:
    """Lower-case word stems of ``text`` (``USB-C`` → ``usb c``, ``boots`` → ``boot``)."""
    return [stem(w) for w in _WORD.findall(text.lower())]


def _close(a: str, b: str) -> bool:
    """Return True for the same word, or a typo of one with 5+ letters ("tootbrush")."""
    return a == b or (min(len(a), len(b)) >= 5 and SequenceMatcher(None, a, b).ratio() >= 0.85)


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(
        all(_close(h, w) for h, w in zip(haystack[i : i + n], needle, strict=True))
        for i in range(len(haystack) - n + 1)
    )


@dataclass
class CatalogVocabulary:
    """Product types with their features, and each product's type and rating."""

    features_by_type: dict[str, set[str]] = field(default_factory=dict)
    type_of: dict[str, str] = field(default_factory=dict)
    rating_of: dict[str, float] = field(default_factory=dict)
    # option name → the values its variants have, per product type ("capacity": "1.7L")
    options_by_type: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, engine: Engine) -> CatalogVocabulary:
        """Read every product's ``type``, ``features`` and ``rating``, and its option values."""
        vocab = cls()
        with Session(engine) as session:
            for p in session.exec(select(Product)):
                attrs = p.attributes or {}
                ptype = str(attrs.get("type") or "").strip()
                if ptype:
                    vocab.type_of[p.id] = ptype
                    feats = vocab.features_by_type.setdefault(ptype, set())
                    feats.update(str(f) for f in attrs.get("features", []))
                if attrs.get("rating") is not None:
                    vocab.rating_of[p.id] = float(attrs["rating"])
            for v in session.exec(select(Variant)):
                owner = vocab.type_of.get(v.product_id)
                if owner:
                    by_name = vocab.options_by_type.setdefault(owner, {})
                    for name, value in (v.options or {}).items():
                        by_name.setdefault(str(name), set()).add(str(value))
        return vocab

    @property
    def types(self) -> list[str]:
        """Every product type, longest name first."""
        return sorted(self.features_by_type, key=lambda t: (-len(t), t))

    def resolve_types(self, text: str) -> list[str]:
        """Types that ``text`` names.

        The longest type name found in the text wins ("trail running shoes" is not
        "running shoes"); otherwise every type whose head noun appears ("boots" → all
        boots). An empty list means the text names no type this catalog has.
        """
        ws = words(text)
        for ptype in self.types:
            if _contains(ws, words(ptype)):
                return [ptype]
        heads = [t for t in self.types if words(t) and any(_close(w, words(t)[-1]) for w in ws)]
        return sorted(heads)

    def names_fully(self, text: str, ptype: str) -> bool:
        """Return True when ``text`` contains the whole type name (not just its head noun)."""
        return _contains(words(text), words(ptype))

    def match_features(self, text: str, types: list[str]) -> list[str]:
        """Features of ``types`` that ``text`` mentions ("usb-c" → "USB-C")."""
        pool: set[str] = set()
        for t in types or list(self.features_by_type):
            pool |= self.features_by_type.get(t, set())
        ws = words(text)
        found: list[str] = []
        for feat in sorted(pool, key=lambda f: (-len(f), f)):
            fw = words(feat)
            # A feature of several words may be named by its distinctive first words
            # ("dishwasher-safe" names "dishwasher-safe basket").
            if _contains(ws, fw) or (len(fw) >= 3 and _contains(ws, fw[:2])):
                if not any(_contains(words(f), fw) for f in found):
                    found.append(feat)
        return found
