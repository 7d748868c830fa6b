"""The shop's recommender over a real demo store: rules, reasons, cold start, refresh."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.demo_data import PERSONAS
from catalog.models import Order, OrderItem, Product, User, Variant
from evals.stores import EvalStore
from recommend.filters import RecsFilters
from recommend.service import RecommendationService
from recommend.store import CatalogInfo


@pytest.fixture()
def store(eval_store: EvalStore) -> Iterator[tuple[Engine, RecommendationService]]:
    engine = eval_store.fresh("recs")
    yield engine, eval_store.recs.bound_to(engine)
    engine.dispose()


def _bought(engine: Engine, user_id: str) -> set[str]:
    with Session(engine) as s:
        return set(
            s.exec(
                select(OrderItem.product_id)
                .join(Order, col(Order.id) == col(OrderItem.order_id))
                .where(col(Order.user_id) == user_id, col(Order.status) != "cancelled")
            )
        )


def _buyer(engine: Engine, persona_types: list[str] | None = None) -> str:
    """A customer with 3+ bought products (of ``persona_types``, if given, mostly)."""
    info = CatalogInfo.load(engine)
    with Session(engine) as s:
        users = [u.id for u in s.exec(select(User))]
    best, best_share = "", -1.0
    for uid in users:
        bought = _bought(engine, uid)
        if len(bought) < 3:
            continue
        share = (
            sum(info.types[p] in persona_types for p in bought) / len(bought)
            if persona_types
            else 0.0
        )
        if share > best_share:
            best, best_share = uid, share
    assert best
    return best


def test_a_hikers_top_ten_is_mostly_outdoor_gear(
    store: tuple[Engine, RecommendationService],
) -> None:
    engine, recs = store
    hiker = _buyer(engine, PERSONAS["hiker"])
    picks = recs.for_you(hiker, n=10)
    info = CatalogInfo.load(engine)
    outdoor = sum(info.types[p.product_id] in PERSONAS["hiker"] for p in picks)
    assert len(picks) == 10 and outdoor >= 6, [info.types[p.product_id] for p in picks]


def test_for_you_excludes_bought_and_out_of_stock_and_names_real_purchases(
    store: tuple[Engine, RecommendationService],
) -> None:
    engine, recs = store
    uid = _buyer(engine)
    bought = _bought(engine, uid)
    info = CatalogInfo.load(engine)
    picks = recs.for_you(uid, n=10)
    consumable = set(recs.settings.consumable_categories)
    durable = {p for p in bought if info.categories[p] not in consumable}
    assert picks and not {p.product_id for p in picks} & durable
    names = {info.names[p] for p in bought}
    for p in picks:
        assert p.reason
        if p.product_id in bought:  # a consumable: restocking is the reason
            assert p.reason.startswith("You bought this on")
        if p.reason.startswith("Because you bought the "):
            assert p.reason.removeprefix("Because you bought the ") in names
    # take the top pick out of stock: it disappears at once
    top = picks[0].product_id
    with Session(engine) as s:
        for v in s.exec(select(Variant).where(col(Variant.product_id) == top)):
            v.available = False
            s.add(v)
        s.commit()
    assert top not in {p.product_id for p in recs.for_you(uid, n=10)}


def test_consumables_may_be_recommended_again(
    store: tuple[Engine, RecommendationService],
) -> None:
    engine, recs = store
    uid = _buyer(engine)
    bought = sorted(_bought(engine, uid))
    info = CatalogInfo.load(engine)
    everything = recs.settings.model_copy(
        update={"consumable_categories": sorted({info.categories[p] for p in bought})}
    )
    relaxed = RecommendationService(engine, everything, vectors=None)
    relaxed._trained = recs.trained  # same model, other rules
    picks = relaxed.for_you(uid, n=10)
    again = [p for p in picks if p.product_id in bought]
    assert again and all(p.reason.startswith("You bought this on") for p in again)


def test_filters_hold_price_category_and_size(
    store: tuple[Engine, RecommendationService],
) -> None:
    engine, recs = store
    uid = _buyer(engine)
    picks = recs.for_you(uid, n=8, filters=RecsFilters(max_price=60))
    with Session(engine) as s:
        for p in picks:
            prices = [
                v.price
                for v in s.exec(select(Variant).where(col(Variant.product_id) == p.product_id))
                if v.available
            ]
            assert min(prices) <= 60
    footwear = recs.popular(n=5, filters=RecsFilters(category="Footwear", options={"size": "10"}))
    with Session(engine) as s:
        for p in footwear:
            product = s.get(Product, p.product_id)
            assert product is not None and product.category == "Footwear"
            variants = s.exec(select(Variant).where(col(Variant.product_id) == p.product_id))
            assert any(v.available and v.options.get("size") == "10" for v in variants)
            assert p.reason.startswith("Popular in Footwear")


def test_cold_start_is_popular_and_unknown_products_are_typed(
    store: tuple[Engine, RecommendationService],
) -> None:
    from recommend.errors import UnknownProductError

    engine, recs = store
    picks = recs.for_you(None, n=5)
    assert len(picks) == 5 and all(p.reason.startswith("Popular in") for p in picks)
    with pytest.raises(UnknownProductError):
        recs.similar("no-such-product")


def test_a_new_order_changes_for_you_at_once_and_enough_orders_retrain(
    store: tuple[Engine, RecommendationService],
) -> None:
    engine, recs = store
    info = CatalogInfo.load(engine)
    with Session(engine) as s:
        newcomer = next(u for u in s.exec(select(User)) if not _bought(engine, u.id))
    assert all(p.reason.startswith("Popular") for p in recs.for_you(newcomer.id, n=5))
    tent = next(p for p, t in info.types.items() if t == "Backpacking Tent")
    with Session(engine) as s:
        s.add(
            Order(
                id="#WNEW1", user_id=newcomer.id, status="delivered", created_at=datetime.now(UTC)
            )
        )
        s.add(
            OrderItem(
                order_id="#WNEW1",
                position=0,
                item_id="x",
                product_id=tent,
                name=info.names[tent],
                price=100.0,
            )
        )
        s.commit()
    picks = recs.for_you(newcomer.id, n=5)
    assert tent not in {p.product_id for p in picks}
    assert any(info.names[tent] in p.reason for p in picks)
    # the co-purchase model retrains once enough new order lines arrived
    before = recs.trained.model
    recs.settings = recs.settings.model_copy(update={"retrain_after_orders": 1})
    assert recs.maybe_refresh(min_interval_s=0) and recs.trained.model is not before
    assert recs.maybe_refresh(min_interval_s=0) is False  # nothing new since


def test_similar_keeps_the_type_and_together_avoids_it(
    store: tuple[Engine, RecommendationService],
) -> None:
    engine, recs = store
    info = CatalogInfo.load(engine)
    stove = next(p for p, t in info.types.items() if t == "Camping Stove")
    similar = recs.similar(stove, n=3)
    assert similar and all(info.types[p.product_id] == "Camping Stove" for p in similar)
    assert all(info.names[stove] in p.reason for p in similar)
    together = recs.together(stove, n=3)
    assert all(info.types[p.product_id] != "Camping Stove" for p in together)
