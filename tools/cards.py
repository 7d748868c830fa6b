"""Product cards: what the UI shows for a product, built only from store data."""

from __future__ import annotations

from pydantic import BaseModel, Field

from catalog.models import Product, Variant


class CardVariant(BaseModel):
    """One variant on a card."""

    id: str
    options: dict[str, str]
    price: float
    available: bool


class ProductCard(BaseModel):
    """A product as the widget renders it; never built from LLM text."""

    id: str
    name: str
    category: str
    brand: str
    price: float = Field(description="Price of the cheapest shown variant, USD.")
    in_stock: bool
    options: dict[str, list[str]] = Field(description="Option name → values offered.")
    variants: list[CardVariant]
    features: list[str] = Field(default_factory=list)
    rating: float | None = Field(default=None, description="Average rating, 1–5.")
    image_url: str | None = Field(default=None, description="Product image, if the shop has one.")
    handle: str | None = Field(
        default=None, description="The product's URL handle (imported shops), for its page link."
    )
    reason: str | None = Field(
        default=None, description="Why it is recommended, written by code (recommendations)."
    )
    locale: str | None = Field(default=None, description="Language of the localized fields.")
    localized_name: str | None = Field(
        default=None, description="Machine-translated name from the translation cache."
    )
    localized_description: str | None = Field(
        default=None, description="Machine-translated description from the translation cache."
    )


def build_card(product: Product, variants: list[Variant]) -> ProductCard:
    """Build a card from a product and the variants to show (cheapest first)."""
    shown = sorted(variants, key=lambda v: v.price)
    options: dict[str, list[str]] = {}
    for v in shown:
        for key, value in v.options.items():
            values = options.setdefault(key, [])
            if value not in values:
                values.append(value)
    attrs = product.attributes or {}
    features = [str(f) for f in attrs.get("features", [])]
    rating = attrs.get("rating")
    image = attrs.get("image_url")
    return ProductCard(
        id=product.id,
        name=product.name,
        category=product.category,
        brand=product.brand,
        price=shown[0].price if shown else 0.0,
        in_stock=any(v.available for v in shown),
        options=options,
        variants=[
            CardVariant(id=v.id, options=v.options, price=v.price, available=v.available)
            for v in shown
        ],
        features=features,
        rating=float(rating) if isinstance(rating, int | float) else None,
        image_url=str(image) if isinstance(image, str) and image.startswith("https://") else None,
        handle=str(attrs["handle"]) if attrs.get("handle") else None,
    )
