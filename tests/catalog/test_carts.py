"""The cart's rules in the store: in-stock variants only, the price at add time, bounded
quantities, unavailable lines out of the total, a guest cart kept through sign-in.

Each test runs on SQLite and, where a server is configured, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from catalog.carts import MAX_QUANTITY, CartService, checkout_url
from catalog.config import DatabaseSettings
from catalog.conversations import Conversation
from catalog.db import create_schema, drop_schema, make_engine
from catalog.errors import InvalidInputError, NotFoundError, UnavailableError
from catalog.models import Product, User, Variant


def _fill(engine: Engine) -> None:
    with Session(engine) as s:
        s.add(Product(id="p1", name="Trail Boot", attributes={"type": "Hiking Boots"}))
        s.add(Product(id="p2", name="Wool Sock", attributes={"type": "Socks"}))
        s.add(Variant(id="v9", product_id="p1", options={"size": "9"}, price=120.0))
        s.add(Variant(id="v10", product_id="p1", options={"size": "10"}, price=125.5))
        s.add(
            Variant(id="v11", product_id="p1", options={"size": "11"}, price=120, available=False)
        )
        s.add(Variant(id="s1", product_id="p2", options={}, price=12.99))
        s.add(User(id="ann", first_name="Ann", last_name="Lee", email="ann@x.io", zip="02139"))
        for cid in ("c1", "c2", "c3"):
            s.add(Conversation(id=cid))
        s.commit()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cart.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    made = make_engine(DatabaseSettings(url=url))
    drop_schema(made)
    create_schema(made)
    _fill(made)
    yield made
    drop_schema(made)
    made.dispose()


def test_a_line_keeps_the_price_it_was_added_at(engine: Engine) -> None:
    carts = CartService(engine)
    view = carts.add("c1", "v9", 2)
    assert [(ln.variant_id, ln.quantity, ln.unit_price) for ln in view.lines] == [("v9", 2, 120.0)]
    with Session(engine) as s:  # the shop raises the price afterwards
        v = s.get(Variant, "v9")
        assert v is not None
        v.price = 150.0
        s.add(v)
        s.commit()
    view = carts.add("c1", "v9", 1)  # the same variant adds to its line
    assert len(view.lines) == 1 and view.lines[0].quantity == 3
    assert view.lines[0].unit_price == 120.0 and view.total == 360.0
    assert view.lines[0].product_type == "Hiking Boots"


def test_only_in_stock_variants_and_bounded_quantities(engine: Engine) -> None:
    carts = CartService(engine)
    with pytest.raises(UnavailableError):
        carts.add("c1", "v11")
    with pytest.raises(NotFoundError):
        carts.add("c1", "nope")
    for bad in (0, -1, MAX_QUANTITY + 1):
        with pytest.raises(InvalidInputError):
            carts.add("c1", "v9", bad)
    carts.add("c1", "v9", MAX_QUANTITY)
    with pytest.raises(InvalidInputError):
        carts.add("c1", "v9", 1)  # the line would pass the bound
    with pytest.raises(NotFoundError):
        carts.add("unknown-conversation", "v9")
    assert carts.view("unknown-conversation").lines == []
    assert carts.view("c1").lines[0].quantity == MAX_QUANTITY


def test_an_unavailable_variant_is_never_in_the_total_or_the_checkout(engine: Engine) -> None:
    carts = CartService(engine)
    carts.add("c1", "v9")
    carts.add("c1", "s1", 2)
    with Session(engine) as s:
        v = s.get(Variant, "v9")
        assert v is not None
        v.available = False
        s.add(v)
        s.commit()
    view = carts.view("c1")
    assert [ln.available for ln in view.lines] == [False, True]
    assert view.total == 25.98 and view.item_count == 2
    assert view.checkout_lines() == "s1:2"
    url = checkout_url(
        view, "https://shop.example/cart/{lines}?ref={conversation_id}", conversation_id="c1"
    )
    assert url == "https://shop.example/cart/s1:2?ref=c1"
    assert checkout_url(carts.view("c2"), "https://shop.example/cart/{lines}") is None


def test_quantities_variants_and_removal(engine: Engine) -> None:
    carts = CartService(engine)
    view = carts.add("c1", "v9")
    line = view.lines[0].id
    view = carts.set_quantity("c1", line, 4)
    assert view.lines[0].quantity == 4
    view = carts.set_variant("c1", line, "v10")  # a size up, at today's price of that size
    assert (view.lines[0].variant_id, view.lines[0].unit_price) == ("v10", 125.5)
    with pytest.raises(InvalidInputError):
        carts.set_variant("c1", line, "s1")  # another product's variant
    with pytest.raises(UnavailableError):
        carts.set_variant("c1", line, "v11")
    carts.add("c1", "v9", 1)
    view = carts.set_variant("c1", line, "v9")  # onto a variant that has a line: one line
    assert [(ln.variant_id, ln.quantity) for ln in view.lines] == [("v9", 5)]
    with pytest.raises(NotFoundError):
        carts.set_quantity("c2", view.lines[0].id, 1)  # another conversation's line
    view = carts.remove("c1", view.lines[0].id)
    assert view.lines == [] and view.total == 0.0
    carts.add("c1", "s1")
    assert carts.clear("c1").lines == []


def test_signing_in_moves_the_guest_cart_to_the_customer(engine: Engine) -> None:
    carts = CartService(engine)
    carts.add("c1", "v9")  # the customer's earlier cart, from another conversation
    _bind(engine, "c1", "ann")
    carts.view("c1")
    carts.add("c2", "v9", 2)  # a guest in a new conversation
    carts.add("c2", "s1")
    _bind(engine, "c2", "ann")
    view = carts.view("c2")
    assert sorted((ln.variant_id, ln.quantity) for ln in view.lines) == [("s1", 1), ("v9", 3)]
    _bind(engine, "c3", "ann")  # the customer's next conversation sees the same cart
    assert carts.view("c3").total == view.total


def _bind(engine: Engine, conversation_id: str, user_id: str) -> None:
    with Session(engine) as s:
        conv = s.get(Conversation, conversation_id)
        assert conv is not None
        conv.user_id = user_id
        s.add(conv)
        s.commit()
