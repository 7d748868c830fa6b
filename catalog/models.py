"""SQLModel tables of the store's business data: catalog, customers, orders, payments.

The assistant's own records live beside them: conversations and messages in
``catalog/conversations.py``, proposals and the audit log in ``catalog/orders/records.py``.

Ids are strings so that imported stores (tau2 uses ``"#W2611340"`` order ids and
10-digit product ids) keep their own identifiers. Money is stored as float dollars,
rounded to cents on every write, the same representation as the imported data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


class Product(SQLModel, table=True):
    """A type of product (``T-Shirt``); what shoppers buy are its variants."""

    id: str = Field(primary_key=True)
    name: str = Field(index=True)
    category: str = Field(default="", index=True)
    brand: str = Field(default="", index=True)
    description: str = ""
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class Variant(SQLModel, table=True):
    """One buyable item of a product, with its option values, price and availability."""

    id: str = Field(primary_key=True)
    product_id: str = Field(foreign_key="product.id", index=True)
    options: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    price: float
    available: bool = True
    details: dict[str, Any] | None = Field(
        default=None,
        sa_column=Column(JSON),
        description="What an imported catalog says besides: sku, compare_at_price, "
        "inventory, grams, image.",
    )


class User(SQLModel, table=True):
    """A customer account; ``zip`` is denormalised from the address for name+zip lookup."""

    id: str = Field(primary_key=True)
    first_name: str
    last_name: str
    email: str = Field(index=True)
    zip: str = Field(default="", index=True)
    address: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))


class PaymentMethod(SQLModel, table=True):
    """A stored payment method: ``gift_card`` (with balance), ``paypal`` or ``credit_card``."""

    id: str = Field(primary_key=True)
    user_id: str = Field(foreign_key="user.id", index=True)
    source: str
    brand: str | None = None
    last_four: str | None = None
    balance: float | None = None


class Order(SQLModel, table=True):
    """An order. ``status``: pending, processed, delivered, cancelled, or a requested state."""

    id: str = Field(primary_key=True)
    user_id: str = Field(foreign_key="user.id", index=True)
    status: str = Field(index=True)
    address: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    fulfillments: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    extra: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=Column(JSON),
        description="Attributes added by actions: cancel_reason, exchange_items, …",
    )
    created_at: datetime = Field(default_factory=utcnow)


class OrderItem(SQLModel, table=True):
    """One line of an order: a variant bought at a price (a copy, not a live reference)."""

    pk: int | None = Field(default=None, primary_key=True)
    order_id: str = Field(foreign_key="order.id", index=True)
    position: int
    item_id: str
    product_id: str
    name: str
    price: float
    options: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))


class PaymentTransaction(SQLModel, table=True):
    """A payment or refund against an order, in the order it happened."""

    pk: int | None = Field(default=None, primary_key=True)
    order_id: str = Field(foreign_key="order.id", index=True)
    position: int
    transaction_type: str
    amount: float
    payment_method_id: str
