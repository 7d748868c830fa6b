"""The store's write actions, with every policy rule enforced here in code.

Each action takes an open session and the authenticated customer's id, checks the rules,
mutates rows (no commit), and returns the changed order or user in tau2 JSON. Callers
either commit (execute) or roll back (dry run for a proposal) — the same code runs both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from catalog.errors import AuthorizationError, InvalidInputError, PolicyError
from catalog.models import Order, PaymentMethod, PaymentTransaction, User, Variant
from catalog.orders.views import (
    load_order,
    load_user,
    order_items,
    order_payments,
    order_view,
    user_methods,
    user_view,
)

CANCEL_REASONS = ("no longer needed", "ordered by mistake")
ADDRESS_FIELDS = ("address1", "address2", "city", "state", "country", "zip")


def owned_order(session: Session, order_id: str, actor: str) -> Order:
    """Return the order if it belongs to ``actor``; refuse otherwise."""
    order = load_order(session, order_id)
    if order.user_id != actor:
        raise AuthorizationError(f"order {order.id} is not one of your orders")
    return order


def _method(session: Session, user_id: str, method_id: str) -> PaymentMethod:
    method = user_methods(session, user_id).get(method_id.strip())
    if method is None:
        raise PolicyError(f"payment method {method_id!r} is not in your profile")
    return method


def _require_status(order: Order, status: str, verb: str) -> None:
    if order.status != status:
        raise PolicyError(
            f"order {order.id} is '{order.status}'; only {status} orders can be {verb}",
            code=f"order_not_{status}",
        )


def _add_tx(session: Session, order: Order, kind: str, amount: float, method_id: str) -> None:
    position = len(order_payments(session, order.id))
    session.add(
        PaymentTransaction(
            order_id=order.id,
            position=position,
            transaction_type=kind,
            amount=round(amount, 2),
            payment_method_id=method_id,
        )
    )


def outstanding_by_method(payments: list[PaymentTransaction]) -> list[tuple[str, float]]:
    """Return what a full refund owes each method: its net payments, never above the order's.

    A method's net is what it paid minus what was already refunded to it. Methods that were
    refunded more than they paid (the order switched payment method) lower the total owed,
    which is then paid back in payment order; the sum never exceeds payments − refunds.
    """
    net: dict[str, float] = {}
    for tx in payments:
        sign = 1.0 if tx.transaction_type == "payment" else -1.0
        net[tx.payment_method_id] = net.get(tx.payment_method_id, 0.0) + sign * tx.amount
    remaining = round(sum(net.values()), 2)
    out: list[tuple[str, float]] = []
    for method_id, amount in net.items():
        give = round(min(amount, remaining), 2)
        if give <= 0:
            continue
        out.append((method_id, give))
        remaining = round(remaining - give, 2)
    return out


def _credit(method: PaymentMethod, amount: float) -> None:
    """Move ``amount`` onto a gift card's balance (negative debits); other methods: no-op."""
    if method.source == "gift_card":
        method.balance = round((method.balance or 0.0) + amount, 2)


def _check_items(session: Session, order: Order, item_ids: list[str]) -> None:
    if not item_ids:
        raise InvalidInputError("list at least one item id")
    have = Counter(i.item_id for i in order_items(session, order.id))
    for item_id, n in Counter(item_ids).items():
        if have[item_id] < n:
            raise PolicyError(
                f"item {item_id} is not in order {order.id}" + (f" {n} times" if n > 1 else "")
            )


def _swap_plan(
    session: Session, order: Order, item_ids: list[str], new_item_ids: list[str]
) -> tuple[list[tuple[str, Variant]], float]:
    """Check an item swap (same product, other available variant); return pairs and Δprice."""
    _check_items(session, order, item_ids)
    if len(item_ids) != len(new_item_ids):
        raise InvalidInputError("item_ids and new_item_ids must have the same length")
    items = order_items(session, order.id)
    pairs: list[tuple[str, Variant]] = []
    diff = 0.0
    for old_id, new_id in zip(item_ids, new_item_ids, strict=True):
        item = next(i for i in items if i.item_id == old_id)
        variant = session.get(Variant, new_id.strip())
        if variant is None or variant.product_id != item.product_id:
            raise PolicyError(
                f"{new_id} is not a variant of the same product as {old_id}; "
                "items can only change options, not product type"
            )
        if variant.id == old_id:
            raise PolicyError(f"{new_id} is the same item; choose different options")
        if not variant.available:
            raise PolicyError(f"item {new_id} is not available")
        pairs.append((old_id, variant))
        diff += variant.price - item.price
    return pairs, round(diff, 2)


def _settle(method: PaymentMethod, diff: float) -> None:
    if method.source == "gift_card" and (method.balance or 0.0) < diff:
        raise PolicyError(
            f"gift card {method.id} has {method.balance or 0.0:.2f}, not enough "
            f"for the price difference of {diff:.2f}",
            code="insufficient_balance",
        )


def _checked_swap(
    session: Session,
    actor: str,
    order_id: str,
    status: str,
    verb: str,
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
) -> tuple[Order, list[tuple[str, Variant]], float, PaymentMethod]:
    """Run every check of an item swap (modify or exchange); return what the action needs."""
    order = owned_order(session, order_id, actor)
    _require_status(order, status, verb)
    pairs, diff = _swap_plan(session, order, item_ids, new_item_ids)
    method = _method(session, order.user_id, payment_method_id)
    _settle(method, diff)
    return order, pairs, diff, method


def own_profile(user_id: str, actor: str) -> None:
    """Refuse any profile but the authenticated customer's own."""
    if user_id.strip() != actor:
        raise AuthorizationError("you can only see or change your own profile")


def cancel_pending_order(
    session: Session, actor: str, order_id: str, reason: str
) -> dict[str, Any]:
    """Cancel a pending order for an allowed reason; refund every payment to its method."""
    order = owned_order(session, order_id, actor)
    _require_status(order, "pending", "cancelled")
    if reason.strip().lower() not in CANCEL_REASONS:
        raise PolicyError(
            f"cancellation reason must be one of {list(CANCEL_REASONS)}", code="bad_cancel_reason"
        )
    methods = user_methods(session, order.user_id)
    for method_id, amount in outstanding_by_method(order_payments(session, order.id)):
        _add_tx(session, order, "refund", amount, method_id)
        session.flush()
        if method_id in methods:
            _credit(methods[method_id], amount)
            session.add(methods[method_id])
    order.status = "cancelled"
    order.extra = {**(order.extra or {}), "cancel_reason": reason.strip().lower()}
    session.add(order)
    session.flush()
    return order_view(session, order)


def _address(fields: dict[str, str]) -> dict[str, str]:
    out = {k: str(fields.get(k, "")).strip() for k in ADDRESS_FIELDS}
    missing = [k for k in ("address1", "city", "state", "country", "zip") if not out[k]]
    if missing:
        raise InvalidInputError(f"address is missing {', '.join(missing)}")
    return out


def modify_pending_order_address(
    session: Session, actor: str, order_id: str, **fields: str
) -> dict[str, Any]:
    """Change a pending order's shipping address."""
    order = owned_order(session, order_id, actor)
    _require_status(order, "pending", "modified")
    order.address = _address(fields)
    session.add(order)
    session.flush()
    return order_view(session, order)


def modify_pending_order_payment(
    session: Session, actor: str, order_id: str, payment_method_id: str
) -> dict[str, Any]:
    """Pay a pending order with another single method; refund the original one."""
    order = owned_order(session, order_id, actor)
    _require_status(order, "pending", "modified")
    payments = order_payments(session, order.id)
    if len(payments) != 1 or payments[0].transaction_type != "payment":
        raise PolicyError("only an order paid with exactly one payment can change method")
    old = payments[0]
    new = _method(session, order.user_id, payment_method_id)
    if new.id == old.payment_method_id:
        raise PolicyError("the new payment method must differ from the current one")
    _settle(new, old.amount)
    _add_tx(session, order, "payment", old.amount, new.id)
    session.flush()
    _add_tx(session, order, "refund", old.amount, old.payment_method_id)
    _credit(new, -old.amount)
    session.add(new)
    methods = user_methods(session, order.user_id)
    if old.payment_method_id in methods:
        _credit(methods[old.payment_method_id], old.amount)
        session.add(methods[old.payment_method_id])
    session.flush()
    return order_view(session, order)


def modify_pending_order_items(
    session: Session,
    actor: str,
    order_id: str,
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
) -> dict[str, Any]:
    """Swap items of a pending order for other variants, once; settle the difference."""
    order, pairs, diff, method = _checked_swap(
        session, actor, order_id, "pending", "modified", item_ids, new_item_ids, payment_method_id
    )
    if diff != 0:
        _add_tx(session, order, "payment" if diff > 0 else "refund", abs(diff), method.id)
        _credit(method, -diff)
        session.add(method)
    items = order_items(session, order.id)
    used: set[int] = set()
    for old_id, variant in pairs:
        item = next(i for i in items if i.item_id == old_id and i.pk not in used)
        used.add(item.pk or 0)
        item.item_id, item.price, item.options = variant.id, variant.price, dict(variant.options)
        session.add(item)
    order.status = "pending (item modified)"
    session.add(order)
    session.flush()
    return order_view(session, order)


def return_delivered_order_items(
    session: Session, actor: str, order_id: str, item_ids: list[str], payment_method_id: str
) -> dict[str, Any]:
    """Request a return of delivered items; refund to the original method or a gift card."""
    order = owned_order(session, order_id, actor)
    _require_status(order, "delivered", "returned")
    method = _method(session, order.user_id, payment_method_id)
    payments = order_payments(session, order.id)
    original = payments[0].payment_method_id if payments else None
    if method.source != "gift_card" and method.id != original:
        raise PolicyError("refunds go to the original payment method or an existing gift card")
    _check_items(session, order, item_ids)
    order.status = "return requested"
    order.extra = {
        **(order.extra or {}),
        "return_items": sorted(item_ids),
        "return_payment_method_id": method.id,
    }
    session.add(order)
    session.flush()
    return order_view(session, order)


def exchange_delivered_order_items(
    session: Session,
    actor: str,
    order_id: str,
    item_ids: list[str],
    new_item_ids: list[str],
    payment_method_id: str,
) -> dict[str, Any]:
    """Request an exchange of delivered items for other variants of the same products."""
    order, _pairs, diff, method = _checked_swap(
        session,
        actor,
        order_id,
        "delivered",
        "exchanged",
        item_ids,
        new_item_ids,
        payment_method_id,
    )
    order.status = "exchange requested"
    order.extra = {
        **(order.extra or {}),
        "exchange_items": sorted(item_ids),
        "exchange_new_items": sorted(new_item_ids),
        "exchange_payment_method_id": method.id,
        "exchange_price_difference": diff,
    }
    session.add(order)
    session.flush()
    return order_view(session, order)


def modify_user_address(
    session: Session, actor: str, user_id: str, **fields: str
) -> dict[str, Any]:
    """Change the customer's default address (their own profile only)."""
    own_profile(user_id, actor)
    user: User = load_user(session, actor)
    user.address = _address(fields)
    user.zip = user.address["zip"]
    session.add(user)
    session.flush()
    return user_view(session, user)


WRITE_ACTIONS: dict[str, Callable[..., dict[str, Any]]] = {
    "cancel_pending_order": cancel_pending_order,
    "modify_pending_order_address": modify_pending_order_address,
    "modify_pending_order_payment": modify_pending_order_payment,
    "modify_pending_order_items": modify_pending_order_items,
    "return_delivered_order_items": return_delivered_order_items,
    "exchange_delivered_order_items": exchange_delivered_order_items,
    "modify_user_address": modify_user_address,
}
