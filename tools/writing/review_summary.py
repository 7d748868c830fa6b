"""What reviewers like and dislike, counted, with quotes of real review sentences only.

Each review is split into sentences; VADER (chosen by ``bench/review_sentiment.py``: the
best F1 at ~1 ms per review, no training data needed) scores each one. A sentence counts
for an *aspect*: a feature or the material of the product when it names one, else a
general aspect (value, quality, fit, comfort, delivery, …) found by its keywords. Likes
and dislikes are the aspects with the most positive or negative reviewers (an author's
reviews count once). Every quote is an exact sentence of a stored review, and one shoppers
can trust to be representative: the *typical* sentence of its aspect (sentiment nearest
the median, not the most extreme, so one planted review cannot pick it), never one with
a link or an e-mail address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from catalog.reviews import Review
from retrieval.vocabulary import words
from tools.writing.links import emails_in, links_in

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
GENERAL_ASPECTS: dict[str, tuple[str, ...]] = {
    "value": ("price", "value", "worth", "money", "overpriced", "expensive", "cheap", "deal"),
    "quality": ("quality", "build", "made", "broke", "broken", "sturdy", "solid", "flimsy"),
    "fit": ("fit", "size", "small", "large", "tight", "loose", "runs"),
    "comfort": ("comfortable", "comfort", "soft", "itchy", "cozy"),
    "delivery": ("shipping", "arrived", "delivery", "package", "packaged", "box"),
    "looks": ("color", "colour", "look", "looks", "beautiful", "pretty", "design"),
    "ease of use": ("easy", "simple", "setup", "instructions", "use"),
}
POSITIVE, NEGATIVE = 0.3, -0.3


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> float:
    """Return VADER's compound score of ``text``, from -1 (negative) to 1 (positive)."""
    return float(_analyzer().polarity_scores(text)["compound"])


@dataclass
class Aspect:
    """One aspect reviewers talk about, with how many reviews and one real quote."""

    aspect: str
    reviews: int
    quote: str
    review_id: str


@dataclass
class ReviewSummary:
    """A product's reviews in numbers: count, stars, sentiment, likes and dislikes."""

    product_id: str
    count: int = 0
    average_rating: float | None = None
    positive_share: float | None = None
    ratings: dict[int, int] = field(default_factory=dict)
    likes: list[Aspect] = field(default_factory=list)
    dislikes: list[Aspect] = field(default_factory=list)


def _aspect_of(sentence: str, product_terms: dict[str, list[str]]) -> str | None:
    stems = words(sentence)
    for term, term_stems in product_terms.items():
        n = len(term_stems)
        if n and any(stems[i : i + n] == term_stems for i in range(len(stems) - n + 1)):
            return term
    lowered = set(re.findall(r"[a-z]+", sentence.lower()))
    for aspect, keys in GENERAL_ASPECTS.items():
        if lowered & set(keys):
            return aspect
    return None


def pick_quote(hits: list[tuple[float, str, str]]) -> tuple[float, str, str]:
    """Return the typical hit ``(score, sentence, review id)``: sentiment nearest the median.

    Ties go to the milder, then the shorter sentence, so an outlier never wins.
    """
    scores = sorted(h[0] for h in hits)
    mid = len(scores) // 2
    median = scores[mid] if len(scores) % 2 else (scores[mid - 1] + scores[mid]) / 2
    return min(hits, key=lambda h: (round(abs(h[0] - median), 6), abs(h[0]), len(h[1]), h[2]))


def _voice(review: Review) -> str:
    """Return who speaks in ``review``: one author counts once per aspect, however often."""
    return review.author.strip().lower() or f"review:{review.id}"


def _quotable(sentence: str) -> bool:
    """Return False for a sentence with a link or an e-mail address (never shown)."""
    return not (links_in(sentence) or emails_in(sentence))


def summarize(
    product_id: str, reviews: list[Review], *, terms: list[str], top: int = 3
) -> ReviewSummary:
    """Summarize ``reviews``; ``terms`` are the product's features and material."""
    out = ReviewSummary(product_id=product_id, count=len(reviews))
    if not reviews:
        return out
    out.average_rating = round(sum(r.rating for r in reviews) / len(reviews), 2)
    for r in reviews:
        out.ratings[r.rating] = out.ratings.get(r.rating, 0) + 1
    product_terms = {t: words(t) for t in sorted(terms, key=len, reverse=True) if t}
    by: dict[str, dict[str, list[tuple[float, str, str]]]] = {"like": {}, "dislike": {}}
    positive_reviews = 0
    seen_by: dict[str, set[tuple[str, str]]] = {}
    for r in reviews:
        seen = seen_by.setdefault(_voice(r), set())
        if sentiment(r.text) >= 0.05:
            positive_reviews += 1
        for sentence in (s.strip() for s in _SENTENCE.split(r.text) if s.strip()):
            if not _quotable(sentence):
                continue
            score = sentiment(sentence)
            side = "like" if score >= POSITIVE else "dislike" if score <= NEGATIVE else None
            aspect = _aspect_of(sentence, product_terms) if side else None
            if side and aspect and (side, aspect) not in seen:
                seen.add((side, aspect))
                by[side].setdefault(aspect, []).append((score, sentence, r.id))
    out.positive_share = round(positive_reviews / len(reviews), 3)
    for side, target in (("like", out.likes), ("dislike", out.dislikes)):
        ranked = sorted(by[side].items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]
        for aspect, hits in ranked:
            best = pick_quote(hits)
            target.append(Aspect(aspect, len(hits), best[1], best[2]))
    return out
