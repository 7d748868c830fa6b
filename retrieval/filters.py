"""Structured search filters, evaluated exactly against the SQL store."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.models import Product, Variant


def check_price_range(min_price: float | None, max_price: float | None) -> None:
    """Raise ValueError when the range is empty (for pydantic validators)."""
    if min_price is not None and max_price is not None and min_price > max_price:
        raise ValueError("min_price must not exceed max_price")


class SearchFilters(BaseModel):
    """Constraints a product must meet; a product matches when one variant meets them all."""

    model_config = ConfigDict(extra="forbid")

    min_price: float | None = Field(default=None, ge=0, description="Lowest variant price, USD.")
    max_price: float | None = Field(default=None, ge=0, description="Highest variant price, USD.")
    category: str | None = Field(default=None, description="Exact category, case-insensitive.")
    brand: str | None = Field(default=None, description="Exact brand, case-insensitive.")
    in_stock: bool = Field(default=False, description="Only variants that are available.")
    options: dict[str, str] = Field(
        default_factory=dict,
        description="Variant option values that must match, e.g. {'size': '10'}.",
    )
    product_types: list[str] = Field(
        default_factory=list,
        description="Product types (attribute ``type``); a product matches any of them.",
    )
    features: list[str] = Field(
        default_factory=list,
        description="Features (attribute ``features``) a product must list, all of them.",
    )
    exclude_options: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Variant option values that must not match, e.g. {'color': ['black']}.",
    )

    @model_validator(mode="after")
    def _check_range(self) -> SearchFilters:
        check_price_range(self.min_price, self.max_price)
        return self

    def is_empty(self) -> bool:
        """Return True when no constraint is set."""
        return (
            self.min_price is None
            and self.max_price is None
            and not self.category
            and not self.brand
            and not self.in_stock
            and not self.options
            and not self.product_types
            and not self.features
            and not self.exclude_options
        )

    def product_ok(self, product: Product) -> bool:
        """Return True when ``product`` has one of the types and every feature asked for."""
        attrs = product.attributes or {}
        if self.product_types:
            ptype = str(attrs.get("type", "")).lower()
            if ptype not in {t.lower() for t in self.product_types}:
                return False
        if self.features:
            have = {str(f).lower() for f in attrs.get("features", [])}
            if not all(f.lower() in have for f in self.features):
                return False
        return True

    def variant_ok(self, variant: Variant) -> bool:
        """Return True when ``variant`` meets every variant-level constraint."""
        if self.in_stock and not variant.available:
            return False
        if self.min_price is not None and variant.price < self.min_price:
            return False
        if self.max_price is not None and variant.price > self.max_price:
            return False
        for key, want in self.options.items():
            if variant.options.get(key, "").lower() != want.lower():
                return False
        for key, unwanted in self.exclude_options.items():
            if variant.options.get(key, "").lower() in {u.lower() for u in unwanted}:
                return False
        return True


def matching_variants(
    engine: Engine, filters: SearchFilters, product_ids: list[str] | None = None
) -> dict[str, list[Variant]]:
    """Map each product id that meets ``filters`` to its matching variants (cheapest first)."""
    stmt = select(Variant, Product).join(Product, col(Product.id) == col(Variant.product_id))
    if product_ids is not None:
        stmt = stmt.where(col(Product.id).in_(product_ids))
    if filters.category:
        stmt = stmt.where(func.lower(Product.category) == filters.category.lower())
    if filters.brand:
        stmt = stmt.where(func.lower(Product.brand) == filters.brand.lower())
    if filters.min_price is not None:
        stmt = stmt.where(col(Variant.price) >= filters.min_price)
    if filters.max_price is not None:
        stmt = stmt.where(col(Variant.price) <= filters.max_price)
    if filters.in_stock:
        stmt = stmt.where(col(Variant.available).is_(True))
    out: dict[str, list[Variant]] = defaultdict(list)
    with Session(engine) as session:
        for variant, product in session.exec(stmt.order_by(col(Variant.price))):
            if filters.variant_ok(variant) and filters.product_ok(product):
                out[variant.product_id].append(variant)
    return dict(out)
