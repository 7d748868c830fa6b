"""Tool: the shopper's cart as it is now."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tools.common.cart import CartOutput, cart_output
from tools.deps import Deps, RunContext


class ViewCartInput(BaseModel):
    """Arguments of ``view_cart`` (none)."""

    model_config = ConfigDict(extra="ignore")


async def view_cart(ctx: RunContext[Deps], args: ViewCartInput) -> CartOutput:
    """Show the cart: lines (id, product, options, quantity, price), total, checkout link."""
    return cart_output(ctx, ctx.deps.carts.view(ctx.conversation_id))
