"""Tool: one of the authenticated customer's orders."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tools.common.orders import compact_order, guarded, normalize_order_id
from tools.deps import Deps, RunContext
from tools.registry import ToolOutput


class GetOrderInput(BaseModel):
    """Arguments of ``get_order_details``."""

    model_config = ConfigDict(extra="ignore")

    order_id: str = Field(min_length=2, max_length=40)

    _norm = field_validator("order_id", mode="before")(normalize_order_id)


class OrderDetailsOutput(ToolOutput):
    """An order: status, items (item ids, prices, options), address, payments."""

    order: dict[str, Any]


async def get_order_details(ctx: RunContext[Deps], args: GetOrderInput) -> OrderDetailsOutput:
    """Get status, items, address and payments of one of the customer's orders."""
    order = guarded(ctx.deps.orders.order_details, ctx.conversation_id, args.order_id)
    return OrderDetailsOutput(order=compact_order(order))
