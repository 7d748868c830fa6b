"""``GET /v1/recommendations``: the recommender for the shop's own pages."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, ValidationError

from assistant.dev_secrets import customer_token_secret
from catalog.errors import InvalidInputError
from catalog.signing import verify_customer_token
from recommend.filters import RecsFilters
from recommend.service import Kind, RecommendationService
from serving.state import ServerState, server_state

router = APIRouter()


class RecommendationItem(BaseModel):
    """One recommended product."""

    product_id: str
    name: str
    reason: str = Field(description="Why it is recommended, written by code.")
    score: float


class RecommendationsResponse(BaseModel):
    """A recommendation list."""

    kind: str
    items: list[RecommendationItem]


def _customer(state: ServerState, token: str | None) -> str | None:
    if not token:
        return None
    # the configured secret, or the development one in the data folder (as the chat uses)
    secret, _note = customer_token_secret(state.services.settings)
    return verify_customer_token(secret, token)


@router.get("/v1/recommendations", response_model=RecommendationsResponse)
async def recommendations(
    request: Request,
    kind: Kind = "popular",
    product_id: Annotated[str | None, Query(max_length=64)] = None,
    category: Annotated[str | None, Query(max_length=100)] = None,
    min_price: Annotated[float | None, Query(ge=0)] = None,
    max_price: Annotated[float | None, Query(ge=0)] = None,
    viewed: Annotated[list[str] | None, Query(max_length=50)] = None,
    limit: Annotated[int, Query(ge=1, le=20)] = 6,
) -> RecommendationsResponse:
    """Recommend products with reasons.

    ``for_you`` uses the customer named by an ``X-Customer-Token`` header (signed by the
    shop's backend, see ``shopassist customer-token``) and the ``viewed`` product ids;
    with neither it returns best sellers. ``similar`` and ``together`` need ``product_id``.
    """
    state = server_state(request)
    client = state.client_of(request.headers, request.client)
    state.count_recs(client)
    recs: RecommendationService | None = state.services.deps.recs
    if recs is None:
        raise InvalidInputError("recommendations are not enabled", code="recs_disabled")
    try:
        filters = RecsFilters(category=category, min_price=min_price, max_price=max_price)
    except ValidationError as exc:
        raise InvalidInputError(str(exc.errors()[0]["msg"])) from exc
    if kind in ("similar", "together") and not product_id:
        raise InvalidInputError(f"kind={kind} needs product_id", code="missing_product_id")
    user_id = _customer(state, request.headers.get("x-customer-token"))

    picks = await asyncio.to_thread(
        recs.recommend,
        kind,
        n=limit,
        filters=filters,
        product_id=product_id,
        user_id=user_id,
        interest=viewed or [],
    )
    return RecommendationsResponse(
        kind=kind,
        items=[
            RecommendationItem(product_id=p.product_id, name=p.name, reason=p.reason, score=p.score)
            for p in picks
        ],
    )
