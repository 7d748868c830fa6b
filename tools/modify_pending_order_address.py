"""Tool: propose a new shipping address for a pending order."""

from __future__ import annotations

from pydantic import Field, field_validator

from tools.common.orders import AddressArgs, normalize_order_id, propose
from tools.deps import Deps, RunContext
from tools.registry import ProposalOutput


class OrderAddressInput(AddressArgs):
    """Arguments of ``modify_pending_order_address``."""

    order_id: str = Field(min_length=2, max_length=40)

    _norm = field_validator("order_id", mode="before")(normalize_order_id)


async def modify_pending_order_address(
    ctx: RunContext[Deps], args: OrderAddressInput
) -> ProposalOutput:
    """Propose changing the shipping address of a pending order."""
    return propose(ctx, "modify_pending_order_address", args.model_dump())
