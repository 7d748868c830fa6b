"""The copy verifier: every number, material, feature or claim word must be supported.

A word is *unsupported* when it is a claim word — a feature or material word of any
product in the catalog, or one of :data:`CLAIM_WORDS` (superlatives, certifications,
guarantees) — and it is not in this product's own facts. A number is unsupported unless
the same number is in the facts. Neutral words (:data:`NEUTRAL`) are always allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.vocabulary import words
from tools.writing.facts import ProductFacts

CLAIM_WORDS = frozenset(
    words(
        "waterproof water-resistant organic eco eco-friendly sustainable recycled vegan "
        "award award-winning best-selling bestseller guaranteed guarantee warranty lifetime "
        "certified clinically proven patented handmade hand-made non-toxic hypoallergenic "
        "antibacterial bpa-free fda approved official authentic imported luxury premium "
        "medical doctor-recommended unbreakable indestructible fastest lightest strongest "
        "cheapest world-class revolutionary miracle cure free shipping wireless bluetooth "
        "rechargeable battery solar smart app gps leather wool cotton silk cashmere steel "
        "aluminum titanium carbon gold silver glass ceramic wood bamboo plastic"
    )
)
NEUTRAL = frozenset(
    words(
        "a an the and or but with for to of in on at by from your you it its this that is are "
        "be made built designed great perfect ideal everyday day days home new style stylish "
        "easy simple comfortable comfort quality reliable durable practical classic modern "
        "look feel love enjoy get meet discover say hello upgrade favorite favourite must "
        "have one more less time use using while keep ready every all any so just now "
        "today shop order yours fun"
    )
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Verdict:
    """The verifier's finding: ok, or the unsupported words and numbers."""

    unsupported: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when nothing is unsupported."""
        return not self.unsupported


def _number_forms(text: str) -> set[str]:
    out: set[str] = set()
    for n in _NUMBER.findall(text):
        out.add(n)
        try:
            value = float(n.replace(",", "."))
        except ValueError:
            continue
        out.update({f"{value:g}", f"{value:.2f}", str(int(value)) if value.is_integer() else n})
    return out


def verify_copy(text: str, facts: ProductFacts, claim_words: set[str]) -> Verdict:
    """Return which words and numbers of ``text`` the product's facts do not support."""
    fact_text = facts.text()
    allowed = set(words(fact_text))
    # The model number in a name ("Aurora 3") supports nothing but the name itself.
    name = re.compile(re.escape(facts.name), re.IGNORECASE) if facts.name else None
    numbers = _number_forms(name.sub(" ", fact_text) if name else fact_text)
    unsupported: list[str] = []
    for n in _NUMBER.findall(name.sub(" ", text) if name else text):
        if n not in numbers and f"{float(n.replace(',', '.')):g}" not in numbers:
            unsupported.append(n)
    lexicon = (claim_words | CLAIM_WORDS) - NEUTRAL
    for raw in re.findall(r"[a-z0-9]+", text.lower()):
        w = words(raw)[0]
        if w.isdigit() or w in allowed or w not in lexicon:
            continue
        if raw not in unsupported:
            unsupported.append(raw)  # as written, so a retry prompt can name it
    return Verdict(unsupported)
