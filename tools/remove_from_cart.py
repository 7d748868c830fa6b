"""Tool: take one line, or everything, out of the shopper's cart."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from catalog.errors import NotFoundError
from tools.common.cart import CartOutput, cart_output
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError


class RemoveFromCartInput(BaseModel):
    """Arguments of ``remove_from_cart``."""

    model_config = ConfigDict(extra="ignore")

    line_id: int | None = Field(default=None, ge=1, description="The line to remove.")
    all: bool = Field(default=False, description="True empties the whole cart.")

    @model_validator(mode="after")
    def _one(self) -> RemoveFromCartInput:
        if (self.line_id is None) == (not self.all):
            raise ValueError("give either line_id or all=true")
        return self


async def remove_from_cart(ctx: RunContext[Deps], args: RemoveFromCartInput) -> CartOutput:
    """Remove one line (by its id from view_cart) from the cart, or empty it with all=true."""
    carts = ctx.deps.carts
    if args.all:
        return cart_output(ctx, carts.clear(ctx.conversation_id))
    assert args.line_id is not None
    try:
        view = carts.remove(ctx.conversation_id, args.line_id)
    except NotFoundError as exc:
        raise RetryableToolError(f"{exc.message}; use a line id from view_cart") from exc
    return cart_output(ctx, view)
