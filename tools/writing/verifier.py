"""The copy verifier: every number, material, feature or claim must be supported.

A *claim* is a feature or material of any product in the catalog ("dishwasher-safe
basket", "stainless steel"; for features of three or more words also their first and
last two words, "noise cancellation"), or one of :data:`CLAIM_TERMS` (certifications,
guarantees, superlatives, materials and technologies shops commonly invent). A claim in
the text is *unsupported* when this product's own facts do not contain it. A number is
unsupported unless the same number is in the facts (a model number in the product's name
supports only the name). Claims are matched as word sequences (stems, hyphens and case
ignored), so ordinary words ("level", "warm", "protection") are never claims by
themselves. A link (URL, ``www.`` host) or an e-mail address is unsupported unless the
facts hold exactly it: a draft that sends shoppers elsewhere is never "checked".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.vocabulary import words
from tools.writing.facts import ProductFacts
from tools.writing.links import emails_in, links_in

CLAIM_TERMS = (
    "waterproof",
    "water-resistant",
    "organic",
    "eco-friendly",
    "sustainable",
    "recycled",
    "vegan",
    "award-winning",
    "best-selling",
    "bestseller",
    "guaranteed",
    "guarantee",
    "warranty",
    "lifetime",
    "certified",
    "clinically proven",
    "clinically",
    "patented",
    "handmade",
    "hand-made",
    "non-toxic",
    "hypoallergenic",
    "antibacterial",
    "bpa-free",
    "fda approved",
    "doctor-recommended",
    "unbreakable",
    "indestructible",
    "free shipping",
    "number one",
    "#1",
    "wireless",
    "bluetooth",
    "rechargeable",
    "solar",
    "gps",
    "leather",
    "wool",
    "cotton",
    "silk",
    "cashmere",
    "titanium",
    "carbon fiber",
    "gold",
    "silver",
    "bamboo",
    "waterproof",
    "noise cancelling",
    "noise-cancelling",
    "fastest",
    "lightest",
    "strongest",
    "cheapest",
    "world's best",
    "best in class",
    "made in usa",
)
_SMALL_WORDS = {"to", "for", "with", "of", "and", "in", "on", "up", "a", "the", "per"}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Verdict:
    """The verifier's finding: ok, or the unsupported claims and numbers."""

    unsupported: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when nothing is unsupported."""
        return not self.unsupported


def claim_phrases(terms: set[str]) -> set[str]:
    """Return the phrases :func:`verify_copy` checks: ``terms`` and their end pairs."""
    out: set[str] = set(CLAIM_TERMS)
    for term in terms:
        t = term.strip().lower()
        if not t:
            continue
        out.add(t)
        parts = t.replace("-", " ").split()
        if len(parts) >= 3:
            for pair in (parts[:2], parts[-2:]):
                if not set(pair) & _SMALL_WORDS:
                    out.add(" ".join(pair))
    return out


def _stem_seq(text: str) -> list[str]:
    return words(text.replace("#1", " number one "))


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _number_forms(text: str) -> set[str]:
    out: set[str] = set()
    for n in _NUMBER.findall(text):
        out.add(n)
        try:
            value = float(n.replace(",", "."))
        except ValueError:
            continue
        out.update({f"{value:g}", f"{value:.2f}"})
    return out


def _without_names(text: str, facts: ProductFacts) -> str:
    """Remove the product's name (and its brand + model, the name minus its type)."""
    names = [facts.name]
    if facts.type and facts.name.lower().endswith(facts.type.lower()):
        names.append(facts.name[: len(facts.name) - len(facts.type)].strip())
    for name in sorted((n for n in names if n), key=len, reverse=True):
        text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    return text


def foreign_links(text: str, fact_text: str) -> list[str]:
    """Return the links and e-mail addresses of ``text`` that ``fact_text`` does not hold."""
    own = {x.lower() for x in (*links_in(fact_text), *emails_in(fact_text))}
    out: list[str] = []
    for found in (*links_in(text), *emails_in(text)):
        if found.lower() not in own and found not in out:
            out.append(found)
    return out


def verify_copy(text: str, facts: ProductFacts, claims: set[str]) -> Verdict:
    """Return which claims and numbers of ``text`` the product's facts do not support.

    ``claims`` are the catalog's feature and material phrases (see :func:`claim_phrases`).
    """
    fact_text = facts.text()
    own = _stem_seq(fact_text)
    numbers = _number_forms(_without_names(fact_text, facts))
    unsupported: list[str] = foreign_links(text, fact_text)
    for n in _NUMBER.findall(_without_names(text, facts)):
        if n not in numbers and f"{float(n.replace(',', '.')):g}" not in numbers:
            if n not in unsupported:
                unsupported.append(n)
    seq = _stem_seq(text)
    found: list[str] = []
    for phrase in sorted(claim_phrases(claims), key=lambda p: (-len(p), p)):
        stems = _stem_seq(phrase)  # digits included: "7-day battery" is not "all day"
        if not stems or not _contains(seq, stems) or _contains(own, stems):
            continue
        if any(_contains(_stem_seq(f), stems) for f in found):
            continue  # "dishwasher safe" inside an already reported "dishwasher-safe basket"
        found.append(phrase)
    return Verdict(unsupported + found)
