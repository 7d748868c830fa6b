"""Tool: change the quantity or the variant (size, color) of one cart line."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlmodel import Session

from catalog.errors import InvalidInputError, NotFoundError, UnavailableError
from tools.common.cart import CartOutput, cart_output, choose_variant, require_variant
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError, TerminalToolError


class UpdateCartLineInput(BaseModel):
    """Arguments of ``update_cart_line``."""

    model_config = ConfigDict(extra="ignore")

    line_id: int = Field(ge=1, description="The cart line's id, from view_cart.")
    quantity: int | None = Field(default=None, ge=0, le=99, description="0 removes the line.")
    options: dict[str, str] = Field(
        default_factory=dict, description="New option values, e.g. {'size': '10'}."
    )

    @model_validator(mode="after")
    def _something(self) -> UpdateCartLineInput:
        if self.quantity is None and not self.options:
            raise ValueError("give a quantity or options to change")
        return self


async def update_cart_line(ctx: RunContext[Deps], args: UpdateCartLineInput) -> CartOutput:
    """Change one cart line: its quantity (0 removes it) or its size/color."""
    carts = ctx.deps.carts
    try:
        line = carts.view(ctx.conversation_id).line(args.line_id)
        if args.options:
            with Session(ctx.deps.engine) as session:
                keep = {k: v for k, v in line.options.items() if k not in args.options}
                choice = choose_variant(
                    session, line.product_id, list(args.options.values()), {**keep, **args.options}
                )
                if choice.variant is None and not choice.sold_out:
                    # the other options may not exist in the new size: ask only the new ones
                    choice = choose_variant(
                        session, line.product_id, list(args.options.values()), args.options
                    )
                variant = require_variant(choice)
            view = carts.set_variant(ctx.conversation_id, line.id, variant.id)
            line = next(ln for ln in view.lines if ln.variant_id == variant.id)
        if args.quantity is not None:
            view = carts.set_quantity(ctx.conversation_id, line.id, args.quantity)
        else:
            view = carts.view(ctx.conversation_id)
    except NotFoundError as exc:
        raise RetryableToolError(f"{exc.message}; use a line id from view_cart") from exc
    except InvalidInputError as exc:
        raise RetryableToolError(exc.message, code=exc.code) from exc
    except UnavailableError as exc:
        raise TerminalToolError(exc.message, code="unavailable") from exc
    return cart_output(ctx, view, line.id if args.quantity != 0 else None)
