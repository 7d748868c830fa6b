"""Tool: personalized and product-based recommendations, each with a reason."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session, col, select

from catalog.models import OrderItem, Product, Variant
from recommend.errors import UnknownProductError
from recommend.filters import RecsFilters
from recommend.service import Kind, Recommendation, RecommendationService
from tools.cards import ProductCard, build_card
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError, TerminalToolError
from tools.registry import ToolOutput


class RecommendProductsInput(BaseModel):
    """Arguments of ``recommend_products``."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    kind: Kind = Field(
        default="for_you",
        description="for_you: from the signed-in customer's orders and this chat; similar: "
        "alternatives to product_id; together: bought with product_id; popular: best sellers.",
    )
    product_id: str | None = Field(default=None, max_length=64)
    product_ids: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="kind=together only: several products, e.g. the cart's (instead of "
        "product_id); none of them is recommended back.",
    )
    category: str | None = None
    product_type: str | None = None
    min_price: float | None = Field(default=None, ge=0)
    max_price: float | None = Field(default=None, ge=0)
    options: dict[str, str] = Field(default_factory=dict, description="e.g. {'size': '10'}")
    viewed: list[str] = Field(
        default_factory=list, max_length=50, description="Product ids seen in this chat."
    )
    limit: int = Field(default=5, ge=1, le=10)

    @field_validator("product_id", "category", "product_type", mode="before")
    @classmethod
    def _blank(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class Recommended(BaseModel):
    """One recommendation, compact for the prompt."""

    id: str
    name: str
    price: float
    reason: str


class RecommendProductsOutput(ToolOutput):
    """Recommended products; each card carries its reason."""

    kind: Kind
    results: list[Recommended]
    note: str | None = None


def _filters(args: RecommendProductsInput) -> RecsFilters:
    try:
        return RecsFilters(
            category=args.category,
            product_types=[args.product_type] if args.product_type else [],
            min_price=args.min_price,
            max_price=args.max_price,
            options=args.options,
        )
    except ValidationError as exc:
        raise RetryableToolError(f"bad filters: {exc.errors()[0]['msg']}") from exc


def _customer(ctx: RunContext[Deps]) -> tuple[str | None, list[str]]:
    """Return the signed-in customer, or a verified guest's one order's products only."""
    user_id, scope = ctx.deps.orders.binding(ctx.conversation_id)
    if scope is None:
        return user_id, []
    with Session(ctx.deps.engine) as session:
        rows = session.exec(select(OrderItem.product_id).where(col(OrderItem.order_id) == scope))
        return None, list(dict.fromkeys(rows))


def _run(
    recs: RecommendationService, args: RecommendProductsInput, ctx: RunContext[Deps]
) -> tuple[list[Recommendation], str | None]:
    filters = _filters(args)
    if args.kind == "together" and args.product_ids and not args.product_id:
        return _together_all(recs, args, filters), None
    if args.kind in ("similar", "together") and not args.product_id:
        raise RetryableToolError(f"kind {args.kind!r} needs the product_id of a shown product")
    user_id, interest, note = None, list(args.viewed), None
    if args.kind == "for_you":
        recs.maybe_refresh()
        user_id, guest_products = _customer(ctx)
        interest = [*guest_products, *args.viewed]
        if user_id is None and not interest:
            note = "the shopper is not signed in and has looked at nothing yet: best sellers"
    try:
        picks = recs.recommend(
            args.kind,
            n=args.limit,
            filters=filters,
            product_id=args.product_id,
            user_id=user_id,
            interest=interest,
        )
    except UnknownProductError as exc:
        raise RetryableToolError(exc.message) from exc
    return picks, note


def _together_all(
    recs: RecommendationService, args: RecommendProductsInput, filters: RecsFilters
) -> list[Recommendation]:
    """Companions of several products (a cart's), taken in turn from each one's list."""
    lists: list[list[Recommendation]] = []
    for pid in list(dict.fromkeys(args.product_ids))[-3:]:
        try:
            lists.append(
                recs.together(pid, n=args.limit, filters=filters, exclude=args.product_ids)
            )
        except UnknownProductError:
            continue
    out: list[Recommendation] = []
    seen: set[str] = set()
    for rank in range(args.limit):
        for picks in reversed(lists):  # the product added last first
            if rank < len(picks) and picks[rank].product_id not in seen:
                seen.add(picks[rank].product_id)
                out.append(picks[rank])
    return out[: args.limit]


def _cards(ctx: RunContext[Deps], picks: list[Recommendation]) -> list[ProductCard]:
    ids = [p.product_id for p in picks]
    with Session(ctx.deps.engine) as session:
        products = {p.id: p for p in session.exec(select(Product).where(col(Product.id).in_(ids)))}
        variants: dict[str, list[Variant]] = {}
        for v in session.exec(select(Variant).where(col(Variant.product_id).in_(ids))):
            variants.setdefault(v.product_id, []).append(v)
    cards = []
    for pick in picks:
        product = products.get(pick.product_id)
        if product is None:
            continue
        in_stock = [v for v in variants.get(product.id, []) if v.available]
        card = build_card(product, in_stock or variants.get(product.id, []))
        card.reason = pick.reason
        cards.append(card)
    return cards


async def recommend_products(
    ctx: RunContext[Deps], args: RecommendProductsInput
) -> RecommendProductsOutput:
    """Recommend products, each with a reason to show the shopper.

    Use kind=for_you for "recommend something for me" (needs a signed-in or verified
    customer for their history; otherwise it uses what they looked at, then best sellers),
    similar / together with the product_id of a shown product (together also with the
    product_ids of the cart's products), popular for best sellers.
    Already-bought and out-of-stock products are never recommended.
    """
    recs = ctx.deps.recs
    if recs is None:
        raise TerminalToolError("recommendations are not available in this shop")
    picks, note = await asyncio.to_thread(_run, recs, args, ctx)
    cards = await asyncio.to_thread(_cards, ctx, picks)
    results = [
        Recommended(id=c.id, name=c.name, price=c.price, reason=c.reason or "") for c in cards
    ]
    if not results:
        note = "nothing in stock matches; try fewer filters"
    return RecommendProductsOutput(kind=args.kind, results=results, note=note, cards=cards)
