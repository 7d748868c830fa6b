"""Tool: propose paying a pending order with another payment method."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tools.common.orders import normalize_order_id, propose
from tools.deps import Deps, RunContext
from tools.registry import ProposalOutput


class OrderPaymentInput(BaseModel):
    """Arguments of ``modify_pending_order_payment``."""

    model_config = ConfigDict(extra="ignore")

    order_id: str = Field(min_length=2, max_length=40)
    payment_method_id: str = Field(min_length=1, max_length=60)

    _norm = field_validator("order_id", mode="before")(normalize_order_id)


async def modify_pending_order_payment(
    ctx: RunContext[Deps], args: OrderPaymentInput
) -> ProposalOutput:
    """Propose paying a pending order with another of the customer's payment methods."""
    return propose(ctx, "modify_pending_order_payment", args.model_dump())
