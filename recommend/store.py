"""Reading purchase histories out of the shop's database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.models import Order, OrderItem, Product, Variant
from recommend.baskets import Baskets, Purchase

# Orders in these states were never bought (or not yet paid for): they do not count.
NOT_BOUGHT = ("cancelled",)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def day_number(stamp: datetime) -> float:
    """Days since 2000-01-01 UTC (naive datetimes are taken as UTC)."""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return (stamp - _EPOCH).total_seconds() / 86400.0


@dataclass(frozen=True)
class CatalogInfo:
    """Product names, categories, types and features, for reasons and diversity."""

    names: dict[str, str]
    categories: dict[str, str]
    types: dict[str, str]
    features: dict[str, list[str]]

    @classmethod
    def load(cls, engine: Engine) -> CatalogInfo:
        """Read every product's name, category and ``attributes.type``."""
        names: dict[str, str] = {}
        categories: dict[str, str] = {}
        types: dict[str, str] = {}
        features: dict[str, list[str]] = {}
        with Session(engine) as session:
            for p in session.exec(select(Product)):
                attrs = p.attributes or {}
                names[p.id] = p.name
                categories[p.id] = p.category
                types[p.id] = str(attrs.get("type", ""))
                features[p.id] = [str(f) for f in attrs.get("features", [])]
        return cls(names=names, categories=categories, types=types, features=features)


def store_fingerprint(engine: Engine) -> tuple[int, str]:
    """Count order lines and find the newest order time: changes whenever orders do."""
    with Session(engine) as session:
        lines = session.exec(select(func.count()).select_from(OrderItem)).one()
        newest = session.exec(select(func.max(Order.created_at))).one()
    return int(lines), str(newest)


def load_baskets(engine: Engine, info: CatalogInfo) -> Baskets:
    """Every customer's bought orders as baskets of product ids, oldest first."""
    stmt = (
        select(Order.user_id, Order.id, Order.created_at, OrderItem.product_id)
        .join(OrderItem, col(OrderItem.order_id) == col(Order.id))
        .where(col(Order.status).not_in(NOT_BOUGHT))
    )
    with Session(engine) as session:
        rows = session.exec(stmt).all()
    purchases = [
        Purchase(user=u, basket=o, seq=day_number(t), item=p, day=day_number(t))
        for u, o, t, p in rows
    ]
    return Baskets.from_purchases(purchases, items=sorted(info.names), item_groups=info.categories)


@dataclass(frozen=True)
class History:
    """One customer's bought baskets, as item indices of a trained model."""

    baskets: list[NDArray[np.int32]]
    days: NDArray[np.float64]
    products: list[str]
    last_bought: dict[str, datetime]


def user_history(engine: Engine, user_id: str, index: dict[str, int]) -> History:
    """Read ``user_id``'s bought orders now (so a new order counts at once)."""
    stmt = (
        select(Order.id, Order.created_at, OrderItem.product_id)
        .join(OrderItem, col(OrderItem.order_id) == col(Order.id))
        .where(col(Order.user_id) == user_id, col(Order.status).not_in(NOT_BOUGHT))
        .order_by(col(Order.created_at), col(Order.id))
    )
    with Session(engine) as session:
        rows = session.exec(stmt).all()
    grouped: dict[str, tuple[datetime, set[int]]] = {}
    products: list[str] = []
    last: dict[str, datetime] = {}
    for oid, created, pid in rows:
        stamp, members = grouped.setdefault(oid, (created, set()))
        if pid in index:
            members.add(index[pid])
        if pid not in last:
            products.append(pid)
        last[pid] = created
    ordered = list(grouped.values())
    return History(
        baskets=[np.array(sorted(m), dtype=np.int32) for _, m in ordered],
        days=np.array([day_number(t) for t, _ in ordered], dtype=np.float64),
        products=products,
        last_bought=last,
    )


def buyers_since(engine: Engine, since: datetime | None) -> dict[str, int]:
    """Distinct buyers per product in orders since ``since`` (all time for None)."""
    stmt = (
        select(OrderItem.product_id, func.count(func.distinct(Order.user_id)))
        .join(Order, col(Order.id) == col(OrderItem.order_id))
        .where(col(Order.status) != "cancelled")
        .group_by(col(OrderItem.product_id))
    )
    if since is not None:
        stmt = stmt.where(col(Order.created_at) >= since)
    with Session(engine) as session:
        return {pid: int(c) for pid, c in session.exec(stmt).all()}


def min_prices(engine: Engine) -> dict[str, float]:
    """Cheapest in-stock price per product."""
    stmt = (
        select(Variant.product_id, func.min(Variant.price))
        .where(col(Variant.available).is_(True))
        .group_by(col(Variant.product_id))
    )
    with Session(engine) as session:
        return {pid: float(p) for pid, p in session.exec(stmt).all()}
