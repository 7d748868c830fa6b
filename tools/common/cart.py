"""What the cart tools share: the output model and choosing a product's variant.

A shopper names a variant by its option values ("size 9", "in black"); a product's
variants are matched on those values, whatever option name carries them. When several
in-stock variants still match, the option that tells them apart is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from pydantic import Field
from sqlmodel import Session, col, select

from catalog.carts import CartView, checkout_url
from catalog.models import Product, Variant
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError, TerminalToolError
from tools.registry import ToolOutput

# A value that reads as a size: shoe and clothing sizes.
_SIZE_LIKE = re.compile(r"^(?:\d{1,2}(?:[.,]5)?|X{0,3}[SML]|XX?L|XXXL)$", re.IGNORECASE)
# Spellings a shopper may type for the same option value.
_SAME = {"grey": "gray", "colour": "color"}


def norm(value: object) -> str:
    """Return an option name or value as compared: lower case, one spelling."""
    text = " ".join(str(value).lower().split())
    return _SAME.get(text, text)


class CartOutput(ToolOutput):
    """The cart after the call: lines, total, and the checkout link of what can be bought."""

    cart: CartView
    checkout_url: str | None = Field(
        default=None, description="The shop's checkout with these lines (null: cart empty)."
    )
    changed_line: int | None = Field(default=None, description="The line added or changed.")

    def for_client(self) -> dict[str, Any]:
        """Return the cart as clients receive it: the view plus its checkout link."""
        return {**self.cart.model_dump(mode="json"), "checkout_url": self.checkout_url}


def cart_output(ctx: RunContext[Deps], view: CartView, line: int | None = None) -> CartOutput:
    """Wrap a cart view with its checkout link."""
    url = checkout_url(view, ctx.deps.checkout_url_template, conversation_id=ctx.conversation_id)
    return CartOutput(cart=view, checkout_url=url, changed_line=line)


@dataclass
class VariantChoice:
    """The outcome of matching option values against a product's variants.

    ``variant``: the one in-stock match; else ``ask`` names the option that still differs
    and ``choices`` its in-stock values; ``sold_out``: the values matched only variants out
    of stock (``choices`` then lists what is in stock instead).
    """

    product: Product
    variant: Variant | None = None
    ask: str | None = None
    choices: list[str] = field(default_factory=list)
    sold_out: bool = False
    unknown: list[str] = field(default_factory=list)  # values no variant of it has


def _matches(variant: Variant, values: list[str], keyed: dict[str, str]) -> bool:
    have = {norm(k): norm(v) for k, v in variant.options.items()}
    if any(have.get(norm(k)) != norm(v) for k, v in keyed.items()):
        return False
    return all(norm(v) in have.values() for v in values)


def choose_variant(
    session: Session,
    product_id: str,
    values: list[str] | None = None,
    keyed: dict[str, str] | None = None,
    free: Collection[str] = (),
) -> VariantChoice:
    """Match option ``values`` ("9", "black") and ``keyed`` options against the variants.

    ``free`` names options the shopper leaves open ("colour doesn't matter"; ``*``: any
    still open): the cheapest in-stock variant decides them instead of a question.
    """
    product = session.get(Product, product_id)
    if product is None:
        raise RetryableToolError(f"no product with id {product_id!r}; use an id from results")
    variants = list(
        session.exec(
            select(Variant).where(col(Variant.product_id) == product_id).order_by(col(Variant.id))
        )
    )
    keyed = {norm(k): v for k, v in (keyed or {}).items() if str(v).strip()}
    every = {norm(v) for variant in variants for v in variant.options.values()}
    values = [v for v in (values or []) if str(v).strip()]
    unknown = [v for v in values if norm(v) not in every]
    values = [v for v in values if norm(v) in every]
    out = VariantChoice(product=product, unknown=unknown)
    if unknown:  # "in a 10" that it does not come in: never another size instead
        in_stock = [v for v in variants if v.available]
        names = sorted({k for v in in_stock for k in v.options}, key=_size_first)
        sized = _SIZE_LIKE.match(unknown[0]) and "size" in names
        out.ask = "size" if sized else next(iter(_differing(in_stock) or names), None)
        out.choices = _values(in_stock, out.ask) if out.ask else []
        return out
    matching = [v for v in variants if _matches(v, values, keyed)]
    stocked = [v for v in matching if v.available]
    if not stocked:
        # sold out, or a combination it does not come in ("green, size M"): refused alike
        out.sold_out = bool(matching) or bool(values) or not variants
        in_stock = [v for v in variants if v.available]
        names = _differing(in_stock) or sorted({k for v in in_stock for k in v.options})
        out.ask = names[0] if names else None
        # the value that blocks ("green" when M is in stock in red); a size is the last thing
        # a shopper gives up, so another option is named first
        for name in sorted(names, key=lambda n: (n == "size", n)):
            others = [v for v in in_stock if _matches(v, _not_of(values, in_stock, name), {})]
            if others:
                out.ask = name
                in_stock = others
                break
        out.choices = _values(in_stock, out.ask) if out.ask else []
        return out
    names = [n for n in _differing(stocked) if "*" not in free and norm(n) not in free]
    if not names:
        out.variant = min(stocked, key=lambda v: (v.price, v.id))
        return out
    out.ask, out.choices = names[0], _values(stocked, names[0])
    return out


def _size_first(name: str) -> tuple[bool, str]:
    """Sort key of option names: size first, then by name."""
    return (name != "size", name)


def _not_of(values: list[str], variants: list[Variant], name: str) -> list[str]:
    """Return ``values`` without those that are values of option ``name``."""
    of_name = {norm(v.options.get(name, "")) for v in variants}
    return [x for x in values if norm(x) not in of_name]


def _differing(variants: list[Variant]) -> list[str]:
    """Return the option names whose values differ among ``variants`` (size before color)."""
    names = sorted({k for v in variants for k in v.options}, key=_size_first)
    return [n for n in names if len({norm(v.options.get(n, "")) for v in variants}) > 1]


def _values(variants: list[Variant], name: str) -> list[str]:
    seen: dict[str, str] = {}
    for v in variants:
        value = v.options.get(name)
        if value is not None:
            seen.setdefault(norm(value), str(value))
    return list(seen.values())


def require_variant(choice: VariantChoice) -> Variant:
    """Return the chosen variant, or raise the error that says what to ask or offer."""
    if choice.variant is not None:
        return choice.variant
    name = choice.product.name
    listed = ", ".join(choice.choices)
    if choice.sold_out:
        if not choice.choices:
            raise TerminalToolError(f"{name} is out of stock", code="unavailable")
        raise TerminalToolError(
            f"that {name} variant is out of stock; in stock {choice.ask}: {listed}",
            code="unavailable",
        )
    raise RetryableToolError(f"which {choice.ask} of {name}? in stock: {listed}")
