"""Seeded customer reviews for the demo store, with varied ratings and sentiment.

Each product gets 0–12 reviews whose star ratings lean on the product's true quality;
every sentence talks about something real about the product (its features, material,
use) or a general aspect (value, quality, fit, delivery), and its tone follows the stars,
with the mixed reviews real shops get ("love the colour, but it runs small").
A product's shown ``rating`` and ``review_count`` are then derived from its reviews
(:func:`rate_from_reviews`), so the card never disagrees with the reviews behind it.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from catalog.demo_data import FIRST_NAMES, LAST_NAMES

_GOOD_FEATURE = (
    "The {x} works really well.",
    "I love the {x}.",
    "The {x} is a big plus.",
    "Really happy with the {x}.",
)
_BAD_FEATURE = (
    "The {x} stopped working after a few weeks.",
    "The {x} is disappointing.",
    "I expected more from the {x}.",
)
_GOOD_GENERAL = {
    "value": ("Great value for the price.", "Worth every penny."),
    "quality": ("Excellent build quality.", "It feels solid and well made."),
    "use": ("Perfect for {use}.", "Exactly what I needed for {use}."),
    "material": ("The {material} feels premium.",),
    "delivery": ("It arrived quickly and well packaged.",),
    "fit": ("It fits true to size.", "Very comfortable fit."),
}
_BAD_GENERAL = {
    "value": ("Overpriced for what you get.", "Not worth the money."),
    "quality": ("The build quality is poor.", "Mine broke within a month."),
    "use": ("Not great for {use}.",),
    "material": ("The {material} feels cheap.",),
    "delivery": ("Shipping took far too long.", "It arrived with a damaged box."),
    "fit": ("It runs small, order a size up.", "The fit is awkward."),
}
_TITLES = {5: "Love it", 4: "Very good", 3: "Okay", 2: "Disappointed", 1: "Do not buy"}
_WEAR = ("size",)


def _stars(rng: random.Random, product_rating: float) -> int:
    value = rng.gauss(product_rating, 1.0)
    return max(1, min(5, round(value)))


def _sentences(rng: random.Random, product: dict[str, Any], stars: int) -> list[str]:
    attrs = product.get("attributes", {})
    features = list(attrs.get("features", []))
    general = [k for k in _GOOD_GENERAL if k != "fit"]
    if any(o in _WEAR for v in product.get("variants", {}).values() for o in v["options"]):
        general.append("fit")
    fill = {"use": attrs.get("use", "everyday use"), "material": attrs.get("material", "material")}
    good_share = {5: 1.0, 4: 0.8, 3: 0.5, 2: 0.25, 1: 0.0}[stars]
    out: list[str] = []
    for _ in range(rng.randint(1, 3)):
        positive = rng.random() < good_share
        if features and rng.random() < 0.5:
            pool: tuple[str, ...] = _GOOD_FEATURE if positive else _BAD_FEATURE
            sentence = rng.choice(pool).format(x=rng.choice(features))
        else:
            aspect = rng.choice(general)
            pool = (_GOOD_GENERAL if positive else _BAD_GENERAL)[aspect]
            sentence = rng.choice(pool).format(**fill)
        if sentence not in out:
            out.append(sentence)
    return out


def generate_reviews(
    products: dict[str, Any], *, seed: int, reference: Any, max_per_product: int = 12
) -> dict[str, Any]:
    """Return ``{review_id: review}`` for ``products`` (deterministic for a seed)."""
    rng = random.Random(seed * 7919 + 11)
    reviews: dict[str, Any] = {}
    for pid in sorted(products):
        product = products[pid]
        rating = float(product.get("attributes", {}).get("rating", 4.0))
        for n in range(rng.randint(0, max_per_product)):
            stars = _stars(rng, rating)
            rid = f"R{pid}-{n + 1}"
            reviews[rid] = {
                "review_id": rid,
                "product_id": pid,
                "rating": stars,
                "title": _TITLES[stars],
                "text": " ".join(_sentences(rng, product, stars)),
                "author": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[0]}.",
                "created_at": (reference - timedelta(days=rng.uniform(0, 365))).isoformat(
                    timespec="seconds"
                ),
            }
    return reviews


def rate_from_reviews(products: dict[str, Any], reviews: dict[str, Any]) -> None:
    """Set each product's ``rating`` (mean stars, 1 decimal) and ``review_count``.

    A product without reviews has ``review_count`` 0 and no ``rating``: nothing to average.
    """
    stars: dict[str, list[int]] = {}
    for review in reviews.values():
        stars.setdefault(review["product_id"], []).append(int(review["rating"]))
    for pid, product in products.items():
        attrs = product.setdefault("attributes", {})
        got = stars.get(pid, [])
        attrs["review_count"] = len(got)
        if got:
            attrs["rating"] = round(sum(got) / len(got), 1)
        else:
            attrs.pop("rating", None)
