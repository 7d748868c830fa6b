"""Tool: propose swapping items of a pending order for other variants (once per order)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tools.customer import ProposalOutput, normalize_order_id, propose
from tools.deps import Deps, RunContext


class ModifyItemsInput(BaseModel):
    """Arguments of ``modify_pending_order_items``."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    order_id: str = Field(min_length=2, max_length=40)
    item_ids: list[str] = Field(min_length=1, max_length=20)
    new_item_ids: list[str] = Field(min_length=1, max_length=20)
    payment_method_id: str = Field(min_length=1, max_length=60)

    _norm = field_validator("order_id", mode="before")(normalize_order_id)


async def modify_pending_order_items(ctx: RunContext[Deps],
                                     args: ModifyItemsInput) -> ProposalOutput:
    """Propose changing pending-order items to other options of the same products (once)."""
    return propose(ctx, "modify_pending_order_items", args.model_dump())
