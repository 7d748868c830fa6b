"""Tool: propose returning items of a delivered order."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tools.common.orders import normalize_order_id, propose
from tools.deps import Deps, RunContext
from tools.registry import ProposalOutput


class ReturnInput(BaseModel):
    """Arguments of ``return_delivered_order_items``."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    order_id: str = Field(min_length=2, max_length=40)
    item_ids: list[str] = Field(min_length=1, max_length=20)
    payment_method_id: str = Field(
        min_length=1, max_length=60, description="original payment method or a gift card"
    )

    _norm = field_validator("order_id", mode="before")(normalize_order_id)


async def return_delivered_order_items(ctx: RunContext[Deps], args: ReturnInput) -> ProposalOutput:
    """Propose returning delivered items; refund to the original method or a gift card."""
    return propose(ctx, "return_delivered_order_items", args.model_dump())
