"""Tool: full details of one product, with all its variants."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from catalog.models import Product, Variant
from tools.cards import CardVariant, build_card
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError
from tools.registry import ToolOutput


class GetProductInput(BaseModel):
    """Arguments of ``get_product``."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    product_id: str = Field(min_length=1, max_length=64)


class GetProductOutput(ToolOutput):
    """One product with every variant."""

    id: str
    name: str
    category: str
    brand: str
    description: str
    variants: list[CardVariant]
    features: list[str] = Field(default_factory=list, description="The product's features.")
    rating: float | None = Field(default=None, description="Average rating, 1-5.")
    uses: list[str] = Field(
        default_factory=list, description='What the product is made for ("dry skin", "travel").'
    )
    materials: list[str] = Field(
        default_factory=list, description='What the product is made of ("silnylon", "cork").'
    )


async def get_product(ctx: RunContext[Deps], args: GetProductInput) -> GetProductOutput:
    """Get one product's description and all its variants (options, price, availability)."""
    with Session(ctx.deps.engine) as session:
        product = session.get(Product, args.product_id.strip())
        if product is None:
            raise RetryableToolError(
                f"no product with id {args.product_id!r}; use an id from search results"
            )
        variants = list(session.exec(select(Variant).where(col(Variant.product_id) == product.id)))
    card = build_card(product, variants)
    return GetProductOutput(
        id=product.id,
        name=product.name,
        category=product.category,
        brand=product.brand,
        description=product.description,
        variants=card.variants,
        features=card.features,
        rating=card.rating,
        uses=_uses((product.attributes or {}).get("use")),
        materials=_uses((product.attributes or {}).get("material")),
        cards=[card],
    )


def _uses(value: object) -> list[str]:
    """Return a ``use`` or ``material`` attribute as a list (a word, or a merchant's list)."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return []
