"""The widget's own ``cart`` frames over the websocket: get, add, update, remove round-trips,
each answered by a whole ``cart`` frame without a message_id, and the ``error`` frames the
cart view shows next to the cart or the card (bad line, sold-out variant, a product with
several variants and no choice). The socket stays open after every error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from assistant.bootstrap import AppServices
from catalog.models import Product, Variant
from serving.app import create_app


@pytest.fixture()
def client(services: AppServices) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as c:
        yield c


def _variants(services: AppServices) -> dict[str, list[Variant]]:
    with Session(services.engine) as s:
        out: dict[str, list[Variant]] = {}
        for v in s.exec(select(Variant).order_by(col(Variant.id))):
            out.setdefault(v.product_id, []).append(v)
        return out


def _several_in_stock(services: AppServices) -> tuple[Product, list[Variant]]:
    """A product with at least two in-stock variants that differ in size."""
    for pid, variants in _variants(services).items():
        stocked = [v for v in variants if v.available and "size" in v.options]
        same_rest = {
            tuple(sorted((k, x) for k, x in v.options.items() if k != "size")) for v in stocked
        }
        if len({v.options["size"] for v in stocked}) >= 3 and len(same_rest) < len(stocked):
            with Session(services.engine) as s:
                product = s.get(Product, pid)
                assert product is not None
                return product, stocked
    raise AssertionError("the demo store has no product in several sizes")


def _sold_out_variant(services: AppServices) -> Variant:
    for variants in _variants(services).values():
        if any(v.available for v in variants):
            for v in variants:
                if not v.available:
                    return v
    raise AssertionError("the demo store has no sold-out variant")


def _cart(ws: Any, **frame: Any) -> dict[str, Any]:
    """Send one cart frame and return the answer (a cart or an error frame)."""
    ws.send_text(json.dumps({"type": "cart", **frame}))
    answer: dict[str, Any] = ws.receive_json()
    assert answer["type"] in ("cart", "error"), answer
    assert answer.get("message_id") is None, answer  # the widget's own frames have none
    return answer


def _alive(ws: Any) -> None:
    ws.send_text(json.dumps({"type": "ping"}))
    assert ws.receive_json() == {"type": "pong"}


def test_get_add_update_remove_round_trip(client: TestClient, services: AppServices) -> None:
    product, stocked = _several_in_stock(services)
    first, second = stocked[0], stocked[1]
    with client.websocket_connect("/ws/chat") as ws:
        session = ws.receive_json()
        empty = _cart(ws, action="get")
        assert empty["type"] == "cart"
        assert empty["cart"]["lines"] == [] and empty["cart"]["item_count"] == 0
        assert empty["cart"]["total"] == 0 and empty["cart"]["checkout_url"] is None

        added = _cart(ws, action="add", product_id=product.id, variant_id=first.id)["cart"]
        [line] = added["lines"]
        assert (line["product_id"], line["variant_id"], line["quantity"]) == (
            product.id,
            first.id,
            1,
        )
        assert line["name"] == product.name and line["options"] == first.options
        assert line["available"] is True and line["unit_price"] == round(first.price, 2)
        assert added["item_count"] == 1 and added["total"] == line["line_total"]

        # options instead of a variant id pick the variant the same way the chat does
        by_options = _cart(ws, action="add", product_id=product.id, options=second.options)
        two = by_options["cart"]["lines"]
        assert [ln["variant_id"] for ln in two] == [first.id, second.id]

        more = _cart(ws, action="update", line_id=line["id"], quantity=3)["cart"]
        assert [ln["quantity"] for ln in more["lines"]] == [3, 1]
        assert more["item_count"] == 4
        assert more["total"] == round(3 * line["unit_price"] + two[1]["line_total"], 2)

        swapped = _cart(ws, action="update", line_id=two[1]["id"], quantity=0)["cart"]
        assert [ln["id"] for ln in swapped["lines"]] == [line["id"]]

        # the shop's backend reads the same cart with the conversation's session token
        r = client.get(
            f"/v1/conversations/{session['conversation_id']}/cart",
            headers={"Authorization": f"Bearer {session['session']}"},
        )
        assert r.status_code == 200, r.text
        assert r.json()["cart"] == swapped

        gone = _cart(ws, action="remove", line_id=line["id"])["cart"]
        assert gone["lines"] == [] and gone["item_count"] == 0 and gone["checkout_url"] is None
        assert _cart(ws, action="get")["cart"] == gone


def test_the_cart_follows_the_conversation_across_sockets(
    client: TestClient, services: AppServices
) -> None:
    product, stocked = _several_in_stock(services)
    with client.websocket_connect("/ws/chat") as ws:
        session = ws.receive_json()
        _cart(ws, action="add", product_id=product.id, variant_id=stocked[0].id, quantity=2)
    client.cookies.clear()  # a cross-site widget: no cookie, it resumes with its session
    with client.websocket_connect("/ws/chat") as ws:
        other = ws.receive_json()
        assert other["conversation_id"] != session["conversation_id"]
        ws.send_text(json.dumps({"type": "resume", "session": session["session"]}))
        assert ws.receive_json()["conversation_id"] == session["conversation_id"]
        cart = _cart(ws, action="get")["cart"]
        assert [(ln["variant_id"], ln["quantity"]) for ln in cart["lines"]] == [(stocked[0].id, 2)]


def test_cart_errors_are_error_frames_and_keep_the_socket(
    client: TestClient, services: AppServices
) -> None:
    product, stocked = _several_in_stock(services)
    sold_out = _sold_out_variant(services)
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        _cart(ws, action="add", product_id=product.id, variant_id=stocked[0].id)

        bad_line = _cart(ws, action="update", line_id=999_999, quantity=2)
        assert bad_line["type"] == "error"
        assert set(bad_line["error"]) == {"type", "message", "code"}
        assert "999999" in bad_line["error"]["message"]
        _alive(ws)

        assert _cart(ws, action="remove", line_id=999_999)["type"] == "error"

        gone = _cart(ws, action="add", product_id=sold_out.product_id, variant_id=sold_out.id)
        assert gone["type"] == "error" and gone["error"]["code"] == "unavailable", gone
        assert "out of stock" in gone["error"]["message"]

        which = _cart(ws, action="add", product_id=product.id)
        assert which["type"] == "error", which
        message = which["error"]["message"]
        assert message.startswith(f"which size of {product.name}?"), message
        sizes = {v.options["size"] for v in stocked}
        assert all(size in message for size in sizes), message

        unknown = _cart(ws, action="add", product_id="no-such-product")
        assert unknown["type"] == "error"

        not_its_own = _cart(
            ws, action="add", product_id=product.id, variant_id=sold_out.id
        )  # a variant of another product
        assert not_its_own["type"] == "error"
        _alive(ws)

        # nothing above changed the cart
        cart = _cart(ws, action="get")["cart"]
        assert [(ln["variant_id"], ln["quantity"]) for ln in cart["lines"]] == [(stocked[0].id, 1)]


@pytest.mark.parametrize(
    "frame",
    [
        {"action": "add", "product_id": "x", "quantity": 100},
        {"action": "add", "product_id": "x", "quantity": -1},
        {"action": "empty"},
        {"action": "update", "line_id": 0, "quantity": 1},
        {"action": "get", "surprise": True},
    ],
)
def test_malformed_cart_frames_are_refused(client: TestClient, frame: dict[str, Any]) -> None:
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        answer = _cart(ws, **frame)
        assert answer["type"] == "error" and answer["error"]["code"] == "bad_frame", answer
        _alive(ws)


def test_update_needs_a_quantity_or_options(client: TestClient, services: AppServices) -> None:
    product, stocked = _several_in_stock(services)
    with client.websocket_connect("/ws/chat") as ws:
        ws.receive_json()
        line = _cart(ws, action="add", product_id=product.id, variant_id=stocked[0].id)["cart"][
            "lines"
        ][0]
        answer = _cart(ws, action="update", line_id=line["id"])
        assert answer["type"] == "error", answer
        rest = {k: v for k, v in stocked[0].options.items() if k != "size"}
        size = next(
            v.options["size"]
            for v in stocked
            if v.options["size"] != stocked[0].options["size"]
            and {k: x for k, x in v.options.items() if k != "size"} == rest
        )
        resized = _cart(ws, action="update", line_id=line["id"], options={"size": size})
        assert resized["type"] == "cart", resized
        [after] = resized["cart"]["lines"]
        assert after["id"] == line["id"] and after["options"]["size"] == size
