"""Tool: put a product's variant in the shopper's cart."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from catalog.errors import InvalidInputError, NotFoundError, UnavailableError
from catalog.models import Product, Variant
from tools.common.cart import CartOutput, cart_output, choose_variant, require_variant
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError, TerminalToolError


class AddToCartInput(BaseModel):
    """Arguments of ``add_to_cart``."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    product_id: str = Field(min_length=1, max_length=64)
    variant_id: str | None = Field(default=None, max_length=64)
    options: dict[str, str] = Field(
        default_factory=dict, description="Option values the shopper chose, e.g. {'size': '9'}."
    )
    quantity: int = Field(default=1, ge=1, le=99)


async def add_to_cart(ctx: RunContext[Deps], args: AddToCartInput) -> CartOutput:
    """Add a product to the shopper's cart; give its options (size, color) when it has several."""
    with Session(ctx.deps.engine) as session:
        if args.variant_id:
            if session.get(Product, args.product_id) is None:
                raise RetryableToolError(
                    f"no product with id {args.product_id!r}; use an id from results"
                )
            variant_id = args.variant_id.strip()
            variant = session.get(Variant, variant_id)
            if variant is None or variant.product_id != args.product_id:
                raise RetryableToolError(f"{variant_id!r} is not a variant of that product")
        else:
            choice = choose_variant(
                session, args.product_id, list(args.options.values()), args.options
            )
            variant_id = require_variant(choice).id
    try:
        view = ctx.deps.carts.add(ctx.conversation_id, variant_id, args.quantity)
    except UnavailableError as exc:
        raise TerminalToolError(exc.message, code="unavailable") from exc
    except (NotFoundError, InvalidInputError) as exc:
        raise RetryableToolError(exc.message, code=exc.code) from exc
    line = next((ln.id for ln in view.lines if ln.variant_id == variant_id), None)
    return cart_output(ctx, view, line)
