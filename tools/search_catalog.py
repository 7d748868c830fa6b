"""Tool: hybrid catalog search with structured filters."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlmodel import Session

from catalog.errors import InvalidInputError
from catalog.models import Product
from retrieval.filters import SearchFilters, matching_variants
from retrieval.hybrid import SearchHit
from retrieval.query_parser import ParsedQuery, implied_options, parse_query
from tools.cards import build_card
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError
from tools.registry import ToolOutput


def _money(value: object) -> object:
    if isinstance(value, str):
        cleaned = value.replace("$", "").replace(",", "").strip().lower()
        return None if cleaned in ("", "null", "none") else cleaned
    return value


class SearchCatalogInput(BaseModel):
    """Arguments of ``search_catalog``."""

    model_config = ConfigDict(extra="ignore")

    query: str = Field(default="", max_length=300, description="What the shopper wants.")
    min_price: float | None = Field(default=None, ge=0)
    max_price: float | None = Field(default=None, ge=0)
    category: str | None = None
    brand: str | None = None
    in_stock: bool = False
    limit: int = Field(default=5, ge=1, le=10)
    product_type: str | None = Field(
        default=None, description="A product type of this store, e.g. 'Hiking Boots'."
    )
    features: list[str] = Field(default_factory=list, description="Features all must have.")
    options: dict[str, str] = Field(
        default_factory=dict, description="Variant options, e.g. {'color': 'blue', 'size': '10'}."
    )
    exclude_colors: list[str] = Field(
        default_factory=list, description="Colours the shopper does not want ('not black')."
    )
    sort: Literal["relevance", "price_asc", "price_desc", "rating"] = "relevance"

    _money = field_validator("min_price", "max_price", mode="before")(_money)

    @model_validator(mode="after")
    def _something(self) -> SearchCatalogInput:
        if not self.query.strip() and not (
            self.category or self.brand or self.max_price or self.min_price or self.product_type
        ):
            raise ValueError("give a query or at least one filter")
        return self


class SearchResult(BaseModel):
    """One hit, as compact as possible for the prompt."""

    id: str
    name: str
    price: float
    in_stock: bool
    features: list[str] = Field(default_factory=list)


class SearchCatalogOutput(ToolOutput):
    """Ranked products; ``cards`` carry the full data for the UI."""

    results: list[SearchResult]
    notes: list[str] | None = None


def _sorted(hits: list[SearchHit], sort: str, ratings: dict[str, float]) -> list[SearchHit]:
    """Order hits by their cheapest matching variant's price, or by rating."""

    def price(h: SearchHit) -> float:
        return min((v.price for v in h.variants), default=float("inf"))

    if sort == "price_asc":
        return sorted(hits, key=lambda h: (price(h), h.product_id))
    if sort == "price_desc":
        return sorted(hits, key=lambda h: (-price(h), h.product_id))
    return sorted(hits, key=lambda h: (-ratings.get(h.product_id, 0.0), price(h), h.product_id))


def _known(value: str | None, known: dict[str, str], what: str, notes: list[str]) -> str | None:
    """Map ``value`` onto a known category/brand, or drop it with a note."""
    if not value or not value.strip():
        return None
    key = value.strip().lower()
    if key in known:
        return known[key]
    partial = [v for k, v in known.items() if key in k or k in key]
    if len(partial) == 1:
        return partial[0]
    notes.append(f"ignored unknown {what} {value!r}")
    return None


async def search_catalog(ctx: RunContext[Deps], args: SearchCatalogInput) -> SearchCatalogOutput:
    """Search the product catalog by keywords with optional price/category/brand filters."""
    parsed = parse_query(args.query)
    said = (
        ParsedQuery("", *ctx.said_budget)
        if ctx.said_budget is not None
        else parse_query(ctx.user_message)
    )
    notes: list[str] = []
    # The shopper's own explicit budget wins over the model's reading of it.
    if said.min_price is not None or said.max_price is not None:
        min_price, max_price = said.min_price, said.max_price
    else:
        min_price = args.min_price if args.min_price is not None else parsed.min_price
        max_price = args.max_price if args.max_price is not None else parsed.max_price
    searcher = ctx.deps.searcher
    category = _known(args.category, searcher.categories, "category", notes)
    brand = _known(args.brand, searcher.brands, "brand", notes)
    vocab = searcher.vocabulary
    types: list[str] = []
    if args.product_type:
        types = vocab.resolve_types(args.product_type)
        if not types:
            notes.append(f"this store has no product type {args.product_type!r}")
    features = vocab.match_features(" ".join(args.features), types) if args.features else []
    unknown = [f for f in args.features if not vocab.match_features(f, types)]
    if unknown:
        notes.append(f"ignored features no such product has: {', '.join(unknown)}")
    ranked = args.sort != "relevance"
    try:
        filters = SearchFilters(
            min_price=min_price,
            max_price=max_price,
            category=category,
            brand=brand,
            in_stock=args.in_stock or ranked,
            product_types=types,
            features=features,
            exclude_options={"color": list(args.exclude_colors)} if args.exclude_colors else {},
        )
    except ValueError as exc:
        raise RetryableToolError(f"invalid filters: {exc}") from exc
    # Options asked for explicitly are a filter over the whole catalog; option words in
    # the text only narrow the variants of the products found (they never widen).
    if args.options:
        filters = filters.model_copy(
            update={
                "options": {k.lower(): str(v) for k, v in args.options.items()},
                "in_stock": True,
            }
        )
    implied = {
        k: v
        for k, v in implied_options(
            f"{parsed.text} {ctx.user_message}", searcher.option_words
        ).items()
        if k not in filters.options
        # "anything but black" names black: an excluded value is no option asked for
        and v.lower() not in {u.lower() for u in filters.exclude_options.get(k, [])}
    }
    pool = 30 if ranked else args.limit
    try:
        if ranked and types:
            # "Cheapest" means sorted over every product of the type, not guessed.
            found = await asyncio.to_thread(matching_variants, ctx.deps.engine, filters)
            hits = [SearchHit(pid, 0.0, variants=v) for pid, v in found.items()]
        else:
            # words that read as nothing but a price ("2024", "5-10") with no filter left
            # are searched as they are
            text = parsed.text if parsed.text.strip() or not filters.is_empty() else args.query
            hits = await asyncio.to_thread(searcher.search, text, filters, limit=pool)
    except InvalidInputError as exc:
        raise RetryableToolError(exc.message) from exc
    if implied:
        # Words like "red" or "cotton" narrow the variants of the products found; they never
        # pull in unrelated products that merely come in that colour.
        # A shopper asking for "blue" wants a blue one they can buy: in-stock variants only.
        narrowed = filters.model_copy(update={"options": implied, "in_stock": True})
        matching = await asyncio.to_thread(
            matching_variants, ctx.deps.engine, narrowed, [h.product_id for h in hits]
        )
        # A product whose own title says the value ("… Silicona Azul") is that value.
        value_words = " ".join(implied.values())
        kept = [
            replace(h, variants=matching[h.product_id]) if h.product_id in matching else h
            for h in hits
            if h.product_id in matching or searcher.title_says(h.product_id, value_words)
        ]
        if kept:
            hits = kept
        else:
            wanted = ", ".join(f"{k} {v}" for k, v in implied.items())
            notes.append(f"nothing matches {wanted} exactly; showing other options")
    if ranked:
        hits = _sorted(hits, args.sort, vocab.rating_of)[: args.limit]
    results: list[SearchResult] = []
    cards = []
    with Session(ctx.deps.engine) as session:
        for hit in hits:
            product = session.get(Product, hit.product_id)
            if product is None or not hit.variants:
                continue
            card = build_card(product, hit.variants)
            cards.append(card)
            results.append(
                SearchResult(
                    id=card.id,
                    name=card.name,
                    price=card.price,
                    in_stock=card.in_stock,
                    features=card.features[:3],
                )
            )
    return SearchCatalogOutput(results=results, notes=notes or None, cards=cards)
