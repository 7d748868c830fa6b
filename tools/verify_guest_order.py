"""Tool: verify a guest by one order's number, email and zip code."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tools.common.orders import guarded, normalize_order_id
from tools.deps import Deps, RunContext
from tools.registry import ToolOutput


class VerifyGuestInput(BaseModel):
    """Arguments of ``verify_guest_order``."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    order_id: str = Field(min_length=2, max_length=40)
    email: str = Field(min_length=3, max_length=200)
    zip: str = Field(min_length=3, max_length=20)

    _norm = field_validator("order_id", mode="before")(normalize_order_id)


class GuestOutput(ToolOutput):
    """The verified order: the chat may see and act on this order only."""

    order_id: str


async def verify_guest_order(ctx: RunContext[Deps], args: VerifyGuestInput) -> GuestOutput:
    """Verify a customer who is not signed in, for one order: its number, email and zip code."""
    guarded(
        ctx.deps.orders.authenticate_guest_order,
        ctx.conversation_id,
        args.order_id,
        args.email,
        args.zip,
        client=ctx.client,
    )
    return GuestOutput(order_id=args.order_id)
