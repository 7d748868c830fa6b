"""A product's structured facts: the only source copy may be written from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.errors import NotFoundError
from catalog.models import Product, Variant


@dataclass(frozen=True)
class ProductFacts:
    """What the store knows about a product, as plain values."""

    product_id: str
    name: str
    brand: str
    category: str
    type: str
    features: list[str] = field(default_factory=list)
    material: str = ""
    use: str = ""
    rating: float | None = None
    options: dict[str, list[str]] = field(default_factory=dict)
    min_price: float | None = None
    max_price: float | None = None
    in_stock: bool = True

    def lines(self) -> list[str]:
        """Return the facts as ``key: value`` lines, as the model reads them."""
        out = [f"name: {self.name}", f"brand: {self.brand}", f"type: {self.type}"]
        if self.features:
            out.append("features: " + ", ".join(self.features))
        if self.material:
            out.append(f"material: {self.material}")
        if self.use:
            out.append(f"made for: {self.use}")
        for key, values in self.options.items():
            out.append(f"{key} options: " + ", ".join(values))
        return out

    def text(self) -> str:
        """Return every fact as one text (what the verifier accepts words and numbers from)."""
        parts = [*self.lines(), self.category]
        if self.rating is not None:
            parts.append(f"rating {self.rating}")
        for price in (self.min_price, self.max_price):
            if price is not None:
                parts.append(f"{price:.2f} {price:g}")
        return "\n".join(parts)


def _attr_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)] if value else []


def load_facts(engine: Engine, product_id: str) -> ProductFacts:
    """Read ``product_id``'s facts from the store (NotFoundError if unknown)."""
    with Session(engine) as session:
        product = session.get(Product, product_id)
        if product is None:
            raise NotFoundError(f"no product {product_id}", code="product_not_found")
        variants = list(
            session.exec(
                select(Variant).where(Variant.product_id == product_id).order_by(col(Variant.id))
            )
        )
    attrs = product.attributes or {}
    options: dict[str, list[str]] = {}
    for v in variants:
        for key, value in (v.options or {}).items():
            if value not in options.setdefault(key, []):
                options[key].append(value)
    prices = [v.price for v in variants if v.available] or [v.price for v in variants]
    rating = attrs.get("rating")
    return ProductFacts(
        product_id=product.id,
        name=product.name,
        brand=product.brand,
        category=product.category,
        type=str(attrs.get("type", "")),
        features=_attr_list(attrs.get("features")),
        material=str(attrs.get("material", "") or ""),
        use=str(attrs.get("use", "") or ""),
        rating=float(rating) if isinstance(rating, int | float) else None,
        options=options,
        min_price=min(prices) if prices else None,
        max_price=max(prices) if prices else None,
        in_stock=any(v.available for v in variants),
    )


def catalog_claim_words(engine: Engine) -> set[str]:
    """Every feature and material phrase of the catalog: claims a product may not borrow."""
    out: set[str] = set()
    with Session(engine) as session:
        for attrs in session.exec(select(Product.attributes)):
            attrs = attrs or {}
            for value in [*_attr_list(attrs.get("features")), *_attr_list(attrs.get("material"))]:
                out.add(value.lower())
    return out


def protected_terms(product: Product, field: str) -> list[str]:
    """Terms of ``product`` a translation of ``field`` must keep verbatim.

    A description keeps the whole product name; a name keeps the brand and model and lets
    the product type be translated ("Redtail Sierra 1 Hiking Boots" → "Redtail Sierra 1
    Wanderschuhe").
    """
    kind = str((product.attributes or {}).get("type", ""))
    name = product.name
    if field == "name" and kind and name.lower().endswith(kind.lower()):
        stem = name[: len(name) - len(kind)].strip()
        return [t for t in (product.brand, stem) if t]
    return [t for t in (name, product.brand) if t]


def attribute_terms(product: Product) -> list[str]:
    """Return the product's attribute values (features, material, use, type): its terms."""
    attrs = product.attributes or {}
    return [
        *_attr_list(attrs.get("features")),
        *_attr_list(attrs.get("material")),
        *_attr_list(attrs.get("use")),
        *_attr_list(attrs.get("type")),
    ]
