"""Which products may be recommended: in stock, within the shopper's stated filters."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy.engine import Engine

from retrieval.filters import SearchFilters, check_price_range, matching_variants


class RecsFilters(BaseModel):
    """Constraints on recommended products.

    A product qualifies when one in-stock variant meets them all (so "size 10" means a
    size-10 pair you can buy today).
    """

    model_config = ConfigDict(extra="forbid")

    category: str | None = Field(default=None, description="Exact category, case-insensitive.")
    product_types: list[str] = Field(default_factory=list, description="Any of these types.")
    min_price: float | None = Field(default=None, ge=0)
    max_price: float | None = Field(default=None, ge=0)
    options: dict[str, str] = Field(
        default_factory=dict, description="Variant options, e.g. {'size': '10', 'color': 'red'}."
    )

    @model_validator(mode="after")
    def _range(self) -> RecsFilters:
        check_price_range(self.min_price, self.max_price)
        return self


def available_products(
    engine: Engine, filters: RecsFilters, product_ids: list[str] | None = None
) -> set[str]:
    """Ids (of ``product_ids``, or all) with an available variant that meets ``filters``."""
    search = SearchFilters(
        in_stock=True,
        category=filters.category,
        product_types=filters.product_types,
        min_price=filters.min_price,
        max_price=filters.max_price,
        options=filters.options,
    )
    return set(matching_variants(engine, search, product_ids))
