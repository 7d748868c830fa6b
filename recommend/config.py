"""Settings of the recommender (composed into the app's ``Settings`` as ``recs``)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RecsSettings(BaseModel):
    """How "for you", "similar", "together" and "popular" lists are built."""

    decay: float = Field(default=0.85, gt=0, le=1, description="Weight kept per older basket.")
    group_decay: float = Field(
        default=0.85, gt=0, le=1, description="Weight kept per older group of baskets."
    )
    group_size: int = Field(default=1, ge=1, description="Baskets per decay group (TIFU).")
    neighbours: int = Field(default=100, ge=1, description="Similar shoppers blended in.")
    alpha: float = Field(
        default=0.8, ge=0, le=1, description="Own history vs. neighbours in the base score."
    )
    explore: int = Field(
        default=30, ge=0, description="New-to-you candidates taken from neighbours per query."
    )
    copurchase_neighbours: int = Field(default=50, ge=1)
    learned_ranker: bool = Field(
        default=True, description="Rank candidates with a model trained on latest baskets."
    )
    ranker_targets: int = Field(
        default=6, ge=1, le=20, description="Latest baskets per user the ranker learns from."
    )
    min_training_users: int = Field(
        default=30, ge=1, description="Fewer users with 3+ orders than this: no learned ranker."
    )
    content_weight: float = Field(
        default=0.4, ge=0, le=1, description="Share of product-text similarity in 'for you'."
    )
    popularity_weight: float = Field(
        default=0.05, ge=0, le=1, description="Share of plain popularity in 'for you'."
    )
    owned_type_penalty: float = Field(
        default=0.25,
        ge=0,
        le=1,
        description="Score cut for durable products of a type the customer already owns.",
    )
    diversity: float = Field(
        default=0.3,
        ge=0,
        le=1,
        description="0 = pure relevance; higher spreads a list over more categories.",
    )
    consumable_categories: list[str] = Field(
        default_factory=list,
        description="Categories whose products may be recommended again after a purchase "
        "(groceries, cosmetics). None by default: the demo store sells durable goods, and "
        "a toothbrush in 'Beauty & Personal Care' is not bought every month.",
    )
    popular_window_days: float = Field(default=30.0, gt=0)
    retrain_after_orders: int = Field(
        default=50,
        ge=1,
        description="Retrain co-purchase and ranker after this many new order lines.",
    )
