"""Facts about the store that checks grade against: products, names, private data.

Read once from the template store; products never change during a run, and purchases
and private data are read from the scenario's own copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.models import Order, OrderItem, PaymentMethod, Product, User, Variant


@dataclass(frozen=True)
class ProductFacts:
    """What the card checks need to know of one product."""

    id: str
    name: str
    category: str
    type: str
    features: tuple[str, ...]
    rating: float | None
    variants: tuple[tuple[dict[str, str], float, bool], ...]

    def has_feature(self, feature: str) -> bool:
        """Return True when the product lists ``feature`` (case-insensitive)."""
        f = feature.strip().lower()
        return any(x.lower() == f for x in self.features)

    def price_for(
        self, options: dict[str, str] | None, low: float | None, high: float | None
    ) -> float | None:
        """Cheapest in-stock variant price with ``options`` within [low, high], or None."""
        prices = [
            price
            for opts, price, available in self.variants
            if available
            and option_match(opts, options)
            and (low is None or price >= low - 0.005)
            and (high is None or price <= high + 0.005)
        ]
        return min(prices) if prices else None


def option_match(have: dict[str, str], want: dict[str, str] | None) -> bool:
    """Return True when every wanted option value equals the variant's (case-insensitive)."""
    if not want:
        return True
    lowered = {k.lower(): str(v).lower() for k, v in have.items()}
    return all(lowered.get(k.lower()) == str(v).lower() for k, v in want.items())


@dataclass
class StoreFacts:
    """Catalog facts (products by id, names) and private strings per customer."""

    products: dict[str, ProductFacts]
    name_re: re.Pattern[str] | None
    order_ids: frozenset[str]
    private: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, engine: Engine) -> StoreFacts:
        """Read every product with its variants, and the customers' private details."""
        with Session(engine) as session:
            variants: dict[str, list[tuple[dict[str, str], float, bool]]] = {}
            for v in session.exec(select(Variant).order_by(col(Variant.id))):
                variants.setdefault(v.product_id, []).append(
                    ({k: str(x) for k, x in v.options.items()}, v.price, v.available)
                )
            products: dict[str, ProductFacts] = {}
            for p in session.exec(select(Product)):
                attrs: dict[str, Any] = p.attributes or {}
                rating = attrs.get("rating")
                products[p.id] = ProductFacts(
                    id=p.id,
                    name=p.name,
                    category=p.category,
                    type=str(attrs.get("type", "")),
                    features=tuple(str(f) for f in attrs.get("features", [])),
                    rating=float(rating) if rating is not None else None,
                    variants=tuple(variants.get(p.id, [])),
                )
            private: dict[str, set[str]] = {}
            for u in session.exec(select(User)):
                bag = private.setdefault(u.id, set())
                bag.update({u.email, u.address.get("address1", "")})
            for m in session.exec(select(PaymentMethod)):
                bag = private.setdefault(m.user_id, set())
                bag.add(m.id)
            order_ids = frozenset(session.exec(select(Order.id)).all())
        names = sorted(
            {p.name for p in products.values() if len(p.name) >= 4}, key=len, reverse=True
        )
        name_re = (
            re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE) if names else None
        )
        return cls(
            products,
            name_re,
            order_ids,
            {k: frozenset(s for s in v if s) for k, v in private.items()},
        )

    def product_names_in(self, text: str) -> list[str]:
        """Catalog product names that appear in ``text`` (longest match first)."""
        if self.name_re is None:
            return []
        return sorted({m.group(0).lower() for m in self.name_re.finditer(text)})

    def private_strings(self) -> frozenset[str]:
        """Every customer's email, street address and payment-method id."""
        return frozenset(s for v in self.private.values() for s in v)


def purchased_products(engine: Engine, user_id: str | None) -> set[str]:
    """Product ids the customer has in any order (read from the scenario's own store)."""
    if user_id is None:
        return set()
    with Session(engine) as session:
        rows = session.exec(
            select(OrderItem.product_id)
            .join(Order, col(Order.id) == col(OrderItem.order_id))
            .where(col(Order.user_id) == user_id)
        )
        return set(rows.all())
