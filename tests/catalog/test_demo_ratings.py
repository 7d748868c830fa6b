"""A demo product's rating and review count are what its generated reviews say (#23)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from pathlib import Path

from sqlmodel import Session, select

from catalog.config import DatabaseSettings, DemoStoreSettings
from catalog.db import make_engine
from catalog.demo import generate_store
from catalog.importer import load_store_dict
from catalog.models import Product
from catalog.reviews import Review


def _stars(reviews: dict[str, dict[str, object]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for r in reviews.values():
        out[str(r["product_id"])].append(int(r["rating"]))  # type: ignore[call-overload]
    return out


def test_every_rating_is_the_mean_of_the_products_reviews() -> None:
    store = generate_store(DemoStoreSettings(), progress=False)
    stars = _stars(store["reviews"])
    unrated = 0
    for pid, product in store["products"].items():
        attrs = product["attributes"]
        got = stars.get(pid, [])
        assert attrs["review_count"] == len(got), pid
        if got:
            assert attrs["rating"] == round(statistics.mean(got), 1), pid
        else:
            unrated += 1
            assert "rating" not in attrs, f"{pid} has no reviews, so no rating"
    assert 0 < unrated < len(store["products"]) // 5


def test_loaded_store_ratings_match_its_review_table(tmp_path: Path) -> None:
    engine = make_engine(DatabaseSettings(url=f"sqlite:///{tmp_path}/s.db"))
    load_store_dict(
        engine, generate_store(DemoStoreSettings(products=120, users=5), progress=False)
    )
    by_product: dict[str, list[int]] = defaultdict(list)
    with Session(engine) as s:
        for review in s.exec(select(Review)):
            by_product[review.product_id].append(review.rating)
        products = s.exec(select(Product)).all()
    assert products
    for p in products:
        got = by_product.get(p.id, [])
        assert p.attributes["review_count"] == len(got)
        assert p.attributes.get("rating") == (round(statistics.mean(got), 1) if got else None)
