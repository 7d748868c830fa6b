"""Tool: what reviewers like and dislike about a product, with counts and real quotes."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel, ConfigDict, Field

from catalog.errors import NotFoundError
from catalog.reviews import reviews_for
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError
from tools.registry import ToolOutput
from tools.writing.facts import load_facts
from tools.writing.review_summary import Aspect, summarize


class SummarizeReviewsInput(BaseModel):
    """Arguments of ``summarize_reviews``."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    product_id: str = Field(min_length=1, max_length=64)


class ReviewAspect(BaseModel):
    """One thing reviewers mention: how many reviews, and one real sentence from one."""

    aspect: str
    reviews: int
    quote: str


class SummarizeReviewsOutput(ToolOutput):
    """A product's reviews: count, average stars, share positive, likes and dislikes."""

    product_id: str
    product_name: str
    count: int
    average_rating: float | None = None
    positive_share: float | None = None
    ratings: dict[int, int] = Field(default_factory=dict)
    likes: list[ReviewAspect] = Field(default_factory=list)
    dislikes: list[ReviewAspect] = Field(default_factory=list)


def _aspect(a: Aspect) -> ReviewAspect:
    return ReviewAspect(aspect=a.aspect, reviews=a.reviews, quote=a.quote)


async def summarize_reviews(
    ctx: RunContext[Deps], args: SummarizeReviewsInput
) -> SummarizeReviewsOutput:
    """Summarize a product's customer reviews: what reviewers like and dislike, with counts."""
    pid = args.product_id.strip()
    try:
        facts = await asyncio.to_thread(load_facts, ctx.deps.engine, pid)
    except NotFoundError as exc:
        raise RetryableToolError(
            f"no product with id {args.product_id!r}; use an id from search results"
        ) from exc
    reviews = await asyncio.to_thread(reviews_for, ctx.deps.engine, pid)
    terms = [*facts.features, facts.material] if facts.material else list(facts.features)
    summary = await asyncio.to_thread(summarize, pid, reviews, terms=terms)
    return SummarizeReviewsOutput(
        product_id=pid,
        product_name=facts.name,
        count=summary.count,
        average_rating=summary.average_rating,
        positive_share=summary.positive_share,
        ratings=summary.ratings,
        likes=[
            ReviewAspect(aspect=a.aspect, reviews=a.reviews, quote=a.quote) for a in summary.likes
        ],
        dislikes=[
            ReviewAspect(aspect=a.aspect, reviews=a.reviews, quote=a.quote)
            for a in summary.dislikes
        ],
    )
