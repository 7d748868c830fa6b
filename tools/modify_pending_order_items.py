"""Tool: propose swapping items of a pending order for other variants (once per order)."""

from __future__ import annotations

from tools.common.orders import SwapItemsArgs, propose
from tools.deps import Deps, RunContext
from tools.registry import ProposalOutput


class ModifyItemsInput(SwapItemsArgs):
    """Arguments of ``modify_pending_order_items``."""


async def modify_pending_order_items(
    ctx: RunContext[Deps], args: ModifyItemsInput
) -> ProposalOutput:
    """Propose changing pending-order items to other options of the same products (once)."""
    return propose(ctx, "modify_pending_order_items", args.model_dump())
