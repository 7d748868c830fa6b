"""The cart over HTTP: the shop's backend reads a conversation's cart; the demo checkout.

``GET /v1/conversations/{id}/cart`` needs the conversation's session token (``Authorization:
Bearer …`` or the session cookie) or a merchant API key with the ``cart:read`` scope
(``Authorization: Bearer sk_…``, see ``shopassist apikey create``).
``GET /checkout?cart=variant:qty,…`` is the default ``SHOP_CART__CHECKOUT_URL_TEMPLATE``'s
target: a read-only summary page that shows what a
shop's real checkout would receive (it takes no payment).
"""

from __future__ import annotations

import asyncio
import html
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from sqlmodel import Session

from catalog.apikeys import PREFIX, ApiKeys
from catalog.models import Product, Variant
from serving.sessions import token_from
from serving.state import server_state

router = APIRouter()
MAX_CHECKOUT_LINES = 50


class CartResponse(BaseModel):
    """A conversation's cart: lines, total of the available lines, checkout link."""

    conversation_id: str
    cart: dict[str, Any] = Field(
        description="lines (id, product_id, variant_id, name, product_type, options, "
        "quantity, unit_price, line_total, available), total, item_count, checkout_url"
    )


@router.get("/v1/conversations/{conversation_id}/cart", response_model=CartResponse)
async def conversation_cart(conversation_id: str, request: Request) -> CartResponse:
    """Return the conversation's cart (its session token, or an API key with cart:read)."""
    state = server_state(request)
    token = token_from(request.headers, request.cookies)
    if token and token.startswith(PREFIX):
        keys = ApiKeys(state.services.engine)
        await asyncio.to_thread(keys.check, token, "cart:read")
        await asyncio.to_thread(state.services.conversations.get, conversation_id)
    else:
        await asyncio.to_thread(state.sessions.require, conversation_id, token)
    cart = await state.services.carts.run(conversation_id, "get", {})
    return CartResponse(conversation_id=conversation_id, cart=cart)


def _parse_lines(raw: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for part in raw.split(",")[:MAX_CHECKOUT_LINES]:
        variant, _, qty = part.strip().rpartition(":")
        if variant and qty.isdigit() and 0 < int(qty) < 100:
            out.append((variant, int(qty)))
    return out


@router.get("/checkout", include_in_schema=False)
async def demo_checkout(
    request: Request, cart: str = Query(default="", max_length=4000)
) -> HTMLResponse:
    """Show what a shop's checkout would receive from the default checkout link."""
    services = server_state(request).services
    currency = services.deps.currency
    rows: list[str] = []
    total = 0.0

    def lookup() -> list[tuple[str, int, Variant | None, Product | None]]:
        with Session(services.engine) as session:
            found = []
            for variant_id, qty in _parse_lines(cart):
                variant = session.get(Variant, variant_id)
                product = session.get(Product, variant.product_id) if variant else None
                found.append((variant_id, qty, variant, product))
            return found

    for variant_id, qty, variant, product in await asyncio.to_thread(lookup):
        if variant is None or product is None:
            rows.append(f"<tr><td colspan=4>Unknown item {html.escape(variant_id)}</td></tr>")
            continue
        options = ", ".join(f"{k}: {v}" for k, v in variant.options.items())
        line = round(variant.price * qty, 2)
        total += line if variant.available else 0.0
        note = "" if variant.available else " (no longer available)"
        rows.append(
            f"<tr><td>{html.escape(product.name)}{html.escape(note)}</td>"
            f"<td>{html.escape(options)}</td><td>{qty}</td>"
            f"<td>{line:.2f} {html.escape(currency)}</td></tr>"
        )
    body = "".join(rows) or "<tr><td colspan=4>Your cart is empty.</td></tr>"
    page = (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Checkout (demo)</title>"
        "<body style='font-family:system-ui;max-width:40rem;margin:2rem auto'>"
        "<h1>Checkout (demo store)</h1><p>This page shows what your shop's checkout would "
        "receive. Connect yours with <code>SHOP_CART__CHECKOUT_URL_TEMPLATE</code>; "
        "no payment is taken here.</p><table><thead><tr><th>Item</th><th>Options</th>"
        f"<th>Qty</th><th>Price</th></tr></thead><tbody>{body}</tbody></table>"
        f"<p><strong>Total: {total:.2f} {html.escape(currency)}</strong></p></body></html>"
    )
    return HTMLResponse(page)
