"""Read models of users, orders and products in the tau2 retail JSON shape."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from catalog.errors import NotFoundError
from catalog.models import (
    Order,
    OrderItem,
    PaymentMethod,
    PaymentTransaction,
    Product,
    User,
    Variant,
)


def canonical_order_id(order_id: str) -> str:
    """``W123`` / `` #W123 `` → ``#W123`` (order ids are stored with their ``#``)."""
    oid = order_id.strip()
    return oid if not oid or oid.startswith("#") else "#" + oid


def load_order(session: Session, order_id: str) -> Order:
    """Return the order row or raise NotFoundError."""
    order = session.get(Order, order_id.strip())
    if order is None:
        raise NotFoundError(f"order {order_id!r} not found")
    return order


def load_user(session: Session, user_id: str) -> User:
    """Return the user row or raise NotFoundError."""
    user = session.get(User, user_id.strip())
    if user is None:
        raise NotFoundError(f"user {user_id!r} not found")
    return user


def order_items(session: Session, order_id: str) -> list[OrderItem]:
    """Return an order's items in their original order."""
    stmt = select(OrderItem).where(col(OrderItem.order_id) == order_id)
    return list(session.exec(stmt.order_by(col(OrderItem.position))))


def order_payments(session: Session, order_id: str) -> list[PaymentTransaction]:
    """Return an order's payment history in order."""
    stmt = select(PaymentTransaction).where(col(PaymentTransaction.order_id) == order_id)
    return list(session.exec(stmt.order_by(col(PaymentTransaction.position))))


def user_methods(session: Session, user_id: str) -> dict[str, PaymentMethod]:
    """Return a user's payment methods by id."""
    stmt = select(PaymentMethod).where(col(PaymentMethod.user_id) == user_id)
    return {m.id: m for m in session.exec(stmt.order_by(col(PaymentMethod.id)))}


def method_view(m: PaymentMethod) -> dict[str, Any]:
    """Return one payment method as tau2 JSON."""
    out: dict[str, Any] = {"source": m.source, "id": m.id}
    if m.brand is not None:
        out["brand"] = m.brand
    if m.last_four is not None:
        out["last_four"] = m.last_four
    if m.balance is not None:
        out["balance"] = m.balance
    return out


def user_view(session: Session, user: User) -> dict[str, Any]:
    """Return a user as tau2 JSON (with order ids)."""
    orders = session.exec(
        select(Order.id)
        .where(col(Order.user_id) == user.id)
        .order_by(col(Order.created_at), col(Order.id))
    )
    return {
        "user_id": user.id,
        "name": {"first_name": user.first_name, "last_name": user.last_name},
        "address": dict(user.address),
        "email": user.email,
        "payment_methods": {
            mid: method_view(m) for mid, m in user_methods(session, user.id).items()
        },
        "orders": list(orders),
    }


def order_view(session: Session, order: Order) -> dict[str, Any]:
    """Return an order as tau2 JSON, with action attributes (cancel_reason, …) merged in."""
    out: dict[str, Any] = {
        "order_id": order.id,
        "user_id": order.user_id,
        "address": dict(order.address),
        "items": [
            {
                "name": i.name,
                "product_id": i.product_id,
                "item_id": i.item_id,
                "price": i.price,
                "options": dict(i.options),
            }
            for i in order_items(session, order.id)
        ],
        "status": order.status,
        "fulfillments": list(order.fulfillments),
        "payment_history": [
            {
                "transaction_type": t.transaction_type,
                "amount": t.amount,
                "payment_method_id": t.payment_method_id,
            }
            for t in order_payments(session, order.id)
        ],
    }
    out.update(order.extra or {})
    return out


def product_view(session: Session, product_id: str) -> dict[str, Any]:
    """Return a product with every variant, as tau2 JSON."""
    product = session.get(Product, product_id.strip())
    if product is None:
        raise NotFoundError(f"product {product_id!r} not found")
    variants = session.exec(
        select(Variant).where(col(Variant.product_id) == product.id).order_by(col(Variant.id))
    )
    return {
        "name": product.name,
        "product_id": product.id,
        "variants": {
            v.id: {
                "item_id": v.id,
                "options": dict(v.options),
                "available": v.available,
                "price": v.price,
            }
            for v in variants
        },
    }


def export_store(session: Session) -> dict[str, dict[str, Any]]:
    """Return the whole store as one tau2-shaped document (for replays and backups).

    Same shapes as the per-row views, built from one query per table.
    """
    variants: dict[str, dict[str, Any]] = {}
    for v in session.exec(select(Variant).order_by(col(Variant.id))):
        variants.setdefault(v.product_id, {})[v.id] = {
            "item_id": v.id,
            "options": dict(v.options),
            "available": v.available,
            "price": v.price,
        }
    products = {
        p.id: {"name": p.name, "product_id": p.id, "variants": variants.get(p.id, {})}
        for p in session.exec(select(Product).order_by(col(Product.id)))
    }
    methods: dict[str, dict[str, Any]] = {}
    for m in session.exec(select(PaymentMethod).order_by(col(PaymentMethod.id))):
        methods.setdefault(m.user_id, {})[m.id] = method_view(m)
    items: dict[str, list[dict[str, Any]]] = {}
    for i in session.exec(
        select(OrderItem).order_by(col(OrderItem.order_id), col(OrderItem.position))
    ):
        items.setdefault(i.order_id, []).append(
            {
                "name": i.name,
                "product_id": i.product_id,
                "item_id": i.item_id,
                "price": i.price,
                "options": dict(i.options),
            }
        )
    txs: dict[str, list[dict[str, Any]]] = {}
    for t in session.exec(
        select(PaymentTransaction).order_by(
            col(PaymentTransaction.order_id), col(PaymentTransaction.position)
        )
    ):
        txs.setdefault(t.order_id, []).append(
            {
                "transaction_type": t.transaction_type,
                "amount": t.amount,
                "payment_method_id": t.payment_method_id,
            }
        )
    orders: dict[str, Any] = {}
    by_user: dict[str, list[str]] = {}
    for o in session.exec(select(Order).order_by(col(Order.created_at), col(Order.id))):
        by_user.setdefault(o.user_id, []).append(o.id)
        orders[o.id] = {
            "order_id": o.id,
            "user_id": o.user_id,
            "address": dict(o.address),
            "items": items.get(o.id, []),
            "status": o.status,
            "fulfillments": list(o.fulfillments),
            "payment_history": txs.get(o.id, []),
            **(o.extra or {}),
        }
    users = {
        u.id: {
            "user_id": u.id,
            "name": {"first_name": u.first_name, "last_name": u.last_name},
            "address": dict(u.address),
            "email": u.email,
            "payment_methods": methods.get(u.id, {}),
            "orders": by_user.get(u.id, []),
        }
        for u in session.exec(select(User).order_by(col(User.id)))
    }
    return {"products": products, "users": users, "orders": dict(sorted(orders.items()))}
