"""A small hand-made store with one order in every state, for the order-policy tests."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from catalog.models import (
    Order,
    OrderItem,
    PaymentMethod,
    PaymentTransaction,
    Product,
    User,
    Variant,
)
from catalog.orders.records import AuditLog


def _addr(zip_code: str) -> dict[str, str]:
    return {
        "address1": "1 Main St",
        "address2": "",
        "city": "Austin",
        "country": "USA",
        "state": "TX",
        "zip": zip_code,
    }


def _item(name: str, pid: str, vid: str, price: float, **opts: str) -> dict[str, Any]:
    return {"name": name, "product_id": pid, "item_id": vid, "price": price, "options": opts}


def _pay(amount: float, method: str, kind: str = "payment") -> dict[str, Any]:
    return {"transaction_type": kind, "amount": amount, "payment_method_id": method}


def order_store() -> dict[str, Any]:
    shirt = {
        "name": "T-Shirt",
        "product_id": "100",
        "variants": {
            "1101": {
                "item_id": "1101",
                "options": {"color": "blue", "size": "M"},
                "available": True,
                "price": 50.0,
            },
            "1102": {
                "item_id": "1102",
                "options": {"color": "red", "size": "L"},
                "available": True,
                "price": 55.0,
            },
            "1103": {
                "item_id": "1103",
                "options": {"color": "green", "size": "S"},
                "available": False,
                "price": 60.0,
            },
        },
    }
    bottle = {
        "name": "Water Bottle",
        "product_id": "200",
        "variants": {
            "2201": {
                "item_id": "2201",
                "options": {"capacity": "500ml"},
                "available": True,
                "price": 20.0,
            },
            "2202": {
                "item_id": "2202",
                "options": {"capacity": "1000ml"},
                "available": True,
                "price": 30.0,
            },
        },
    }
    blue = _item("T-Shirt", "100", "1101", 50.0, color="blue", size="M")
    red = _item("T-Shirt", "100", "1102", 55.0, color="red", size="L")
    small = _item("Water Bottle", "200", "2201", 20.0, capacity="500ml")
    big = _item("Water Bottle", "200", "2202", 30.0, capacity="1000ml")
    orders = {
        "#W1": ("ann_lee_1", "pending", [blue, small], [_pay(70.0, "credit_card_1")]),
        "#W2": ("ann_lee_1", "delivered", [blue], [_pay(50.0, "paypal_1")]),
        "#W3": ("ann_lee_1", "processed", [small], [_pay(20.0, "credit_card_1")]),
        "#W4": (
            "ann_lee_1",
            "cancelled",
            [big],
            [_pay(30.0, "credit_card_1"), _pay(30.0, "credit_card_1", "refund")],
        ),
        "#W5": ("bob_kim_2", "pending", [red], [_pay(55.0, "gift_card_2")]),
        "#W6": ("bob_kim_2", "delivered", [small], [_pay(20.0, "gift_card_2")]),
        "#W7": ("ann_lee_1", "pending", [small], [_pay(20.0, "gift_card_1")]),
    }
    users = {
        "ann_lee_1": {
            "user_id": "ann_lee_1",
            "name": {"first_name": "Ann", "last_name": "Lee"},
            "address": _addr("78701"),
            "email": "ann@example.com",
            "payment_methods": {
                "credit_card_1": {
                    "source": "credit_card",
                    "id": "credit_card_1",
                    "brand": "visa",
                    "last_four": "1111",
                },
                "gift_card_1": {"source": "gift_card", "id": "gift_card_1", "balance": 2.0},
                "paypal_1": {"source": "paypal", "id": "paypal_1"},
            },
            "orders": [o for o, v in orders.items() if v[0] == "ann_lee_1"],
        },
        "bob_kim_2": {
            "user_id": "bob_kim_2",
            "name": {"first_name": "Bob", "last_name": "Kim"},
            "address": _addr("10001"),
            "email": "bob@example.com",
            "payment_methods": {
                "gift_card_2": {"source": "gift_card", "id": "gift_card_2", "balance": 500.0}
            },
            "orders": [o for o, v in orders.items() if v[0] == "bob_kim_2"],
        },
    }
    return {
        "products": {"100": shirt, "200": bottle},
        "users": users,
        "orders": {
            oid: {
                "order_id": oid,
                "user_id": u,
                "address": _addr("78701"),
                "items": items,
                "status": status,
                "fulfillments": [],
                "payment_history": pays,
            }
            for oid, (u, status, items, pays) in orders.items()
        },
    }


STORE_TABLES: tuple[type[SQLModel], ...] = (
    Product,
    Variant,
    User,
    PaymentMethod,
    Order,
    OrderItem,
    PaymentTransaction,
    AuditLog,
)


def store_hash(engine: Engine) -> str:
    """Digest of every store table (catalog, customers, orders, payments, audit)."""
    digest = hashlib.sha256()
    with Session(engine) as session:
        for table in STORE_TABLES:
            rows = [r.model_dump(mode="json") for r in session.exec(select(table))]
            rows.sort(key=lambda r: json.dumps(r, sort_keys=True))
            digest.update(json.dumps([table.__name__, rows], sort_keys=True).encode())
    return digest.hexdigest()
