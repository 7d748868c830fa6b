"""Tool: propose exchanging items of a delivered order for other variants."""

from __future__ import annotations

from tools.common.orders import SwapItemsArgs, propose
from tools.deps import Deps, RunContext
from tools.registry import ProposalOutput


class ExchangeInput(SwapItemsArgs):
    """Arguments of ``exchange_delivered_order_items``."""


async def exchange_delivered_order_items(
    ctx: RunContext[Deps], args: ExchangeInput
) -> ProposalOutput:
    """Propose exchanging delivered items for other options of the same products."""
    return propose(ctx, "exchange_delivered_order_items", args.model_dump())
