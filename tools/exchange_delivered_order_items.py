"""Tool: propose exchanging items of a delivered order for other variants."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tools.customer import ProposalOutput, normalize_order_id, propose
from tools.deps import Deps, RunContext


class ExchangeInput(BaseModel):
    """Arguments of ``exchange_delivered_order_items``."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    order_id: str = Field(min_length=2, max_length=40)
    item_ids: list[str] = Field(min_length=1, max_length=20)
    new_item_ids: list[str] = Field(min_length=1, max_length=20)
    payment_method_id: str = Field(min_length=1, max_length=60)

    _norm = field_validator("order_id", mode="before")(normalize_order_id)


async def exchange_delivered_order_items(ctx: RunContext[Deps],
                                         args: ExchangeInput) -> ProposalOutput:
    """Propose exchanging delivered items for other options of the same products."""
    return propose(ctx, "exchange_delivered_order_items", args.model_dump())
