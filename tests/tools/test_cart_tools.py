"""The cart tools on the demo store: typed errors a caller can act on, the rules kept."""

from __future__ import annotations

import uuid
from collections import defaultdict

import pytest
from sqlmodel import Session, select

from assistant.bootstrap import AppServices
from catalog.conversations import Conversation
from catalog.models import Variant
from tools.common.cart import CartOutput
from tools.default_registry import default_registry
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError, TerminalToolError


def _ctx(services: AppServices) -> RunContext[Deps]:
    cid = f"cart-{uuid.uuid4().hex[:8]}"
    with Session(services.engine) as s:
        s.add(Conversation(id=cid))
        s.commit()
    return RunContext(deps=services.deps, conversation_id=cid)


def _sized_product(services: AppServices) -> tuple[str, list[Variant], list[Variant]]:
    """A product with two or more sizes in stock and one sold out."""
    by_product: dict[str, list[Variant]] = defaultdict(list)
    with Session(services.engine) as s:
        for v in s.exec(select(Variant)):
            if "size" in v.options and "color" not in v.options:
                by_product[v.product_id].append(v)
    for pid, variants in sorted(by_product.items()):
        stocked = [v for v in variants if v.available]
        sold = [v for v in variants if not v.available]
        if len(stocked) >= 2 and sold:
            return pid, stocked, sold
    raise AssertionError("the demo store has no such product")


async def test_adding_asks_for_the_option_then_adds_at_the_store_price(
    shared_services: AppServices,
) -> None:
    registry = default_registry()
    ctx = _ctx(shared_services)
    pid, stocked, _sold = _sized_product(shared_services)
    with pytest.raises(RetryableToolError, match="which size"):
        await registry.invoke("add_to_cart", {"product_id": pid}, ctx)
    size = stocked[1].options["size"]
    out = await registry.invoke(
        "add_to_cart", {"product_id": pid, "options": {"size": size}, "quantity": 2}, ctx
    )
    assert isinstance(out, CartOutput)
    (line,) = out.cart.lines
    assert (line.variant_id, line.quantity) == (stocked[1].id, 2)
    assert line.unit_price == round(stocked[1].price, 2)
    assert out.cart.total == round(2 * stocked[1].price, 2)
    assert out.checkout_url is not None and f"{stocked[1].id}:2" in out.checkout_url
    assert out.changed_line == line.id


async def test_a_sold_out_size_is_refused_with_the_sizes_in_stock(
    shared_services: AppServices,
) -> None:
    registry = default_registry()
    ctx = _ctx(shared_services)
    pid, stocked, sold = _sized_product(shared_services)
    with pytest.raises(TerminalToolError, match="out of stock") as caught:
        await registry.invoke(
            "add_to_cart", {"product_id": pid, "options": {"size": sold[0].options["size"]}}, ctx
        )
    assert all(v.options["size"] in caught.value.message for v in stocked)
    with pytest.raises(TerminalToolError):
        await registry.invoke("add_to_cart", {"product_id": pid, "variant_id": sold[0].id}, ctx)
    out = await registry.invoke("view_cart", {}, ctx)
    assert isinstance(out, CartOutput) and out.cart.lines == [] and out.checkout_url is None


async def test_update_and_remove_take_line_ids_from_the_cart(shared_services: AppServices) -> None:
    registry = default_registry()
    ctx = _ctx(shared_services)
    pid, stocked, sold = _sized_product(shared_services)
    out = await registry.invoke(
        "add_to_cart", {"product_id": pid, "variant_id": stocked[0].id}, ctx
    )
    assert isinstance(out, CartOutput)
    line = out.cart.lines[0].id
    size = stocked[1].options["size"]
    out = await registry.invoke(
        "update_cart_line", {"line_id": line, "options": {"size": size}, "quantity": 3}, ctx
    )
    assert isinstance(out, CartOutput)
    assert [(ln.variant_id, ln.quantity) for ln in out.cart.lines] == [(stocked[1].id, 3)]
    with pytest.raises(TerminalToolError):
        await registry.invoke(
            "update_cart_line", {"line_id": line, "options": {"size": sold[0].options["size"]}}, ctx
        )
    with pytest.raises(RetryableToolError, match="view_cart"):
        await registry.invoke("remove_from_cart", {"line_id": line + 999}, ctx)
    with pytest.raises(RetryableToolError):
        await registry.invoke("update_cart_line", {"line_id": line}, ctx)  # nothing to change
    with pytest.raises(RetryableToolError):
        await registry.invoke("remove_from_cart", {}, ctx)  # neither a line nor all
    out = await registry.invoke("update_cart_line", {"line_id": line, "quantity": 0}, ctx)
    assert isinstance(out, CartOutput) and out.cart.lines == []
