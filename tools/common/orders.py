"""Shared helpers of the customer-account tools.

Maps order-service errors onto the tool error kinds, finds the authenticated customer,
and turns write requests into confirmation proposals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from catalog.errors import AuthenticationError, InvalidInputError, NotFoundError, ShopError
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError, TerminalToolError
from tools.registry import ProposalOutput

T = TypeVar("T")


def normalize_order_id(value: object) -> object:
    """Accept ``W123`` or ``123`` for ``#W123`` (pydantic ``before`` validator)."""
    if isinstance(value, (str, int)):
        text = str(value).strip()
        if text and not text.startswith("#"):
            text = "#" + (text if text.upper().startswith("W") else "W" + text)
        return text
    return value


def guarded(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call an order-service function, re-raising its errors as tool errors."""
    try:
        return fn(*args, **kwargs)
    except (InvalidInputError, NotFoundError, AuthenticationError) as exc:
        # Fixable by the caller: other arguments, or first asking the customer who they are.
        raise RetryableToolError(exc.message, code=exc.code) from exc
    except ShopError as exc:
        raise TerminalToolError(exc.message, code=exc.code) from exc


def actor(ctx: RunContext[Deps]) -> str:
    """Return the authenticated customer of this conversation, or refuse."""
    return guarded(ctx.deps.orders.actor, ctx.conversation_id)


class AddressArgs(BaseModel):
    """A postal address."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    address1: str = Field(min_length=1, max_length=200)
    address2: str = Field(default="", max_length=200)
    city: str = Field(min_length=1, max_length=100)
    state: str = Field(min_length=1, max_length=100)
    country: str = Field(min_length=1, max_length=100)
    zip: str = Field(min_length=1, max_length=20)


class SwapItemsArgs(BaseModel):
    """Items of an order to change into other variants, and who pays the difference."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    order_id: str = Field(min_length=2, max_length=40)
    item_ids: list[str] = Field(min_length=1, max_length=20)
    new_item_ids: list[str] = Field(min_length=1, max_length=20)
    payment_method_id: str = Field(min_length=1, max_length=60)

    _norm = field_validator("order_id", mode="before")(normalize_order_id)


def propose(ctx: RunContext[Deps], action: str, args: dict[str, Any]) -> ProposalOutput:
    """Validate a write for the authenticated customer and return its confirmation token."""
    who = actor(ctx)
    proposal = guarded(
        ctx.deps.orders.propose, ctx.conversation_id, who, action, args, turn_id=ctx.turn_id
    )
    return ProposalOutput(token=proposal.token, summary=proposal.summary)


def compact_order(order: dict[str, Any]) -> dict[str, Any]:
    """Shrink an order view for the prompt (tracking numbers only, no fulfilment details)."""
    out = {k: v for k, v in order.items() if k not in ("fulfillments", "user_id")}
    tracking = [str(t) for f in order.get("fulfillments") or [] for t in f.get("tracking_id", [])]
    if tracking:
        out["tracking"] = tracking
    out["items"] = [
        {
            "item_id": i["item_id"],
            "product_id": i["product_id"],
            "name": i["name"],
            "price": i["price"],
            "options": i["options"],
        }
        for i in order["items"]
    ]
    return out
