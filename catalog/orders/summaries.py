"""Human-readable summaries of a proposed write, computed from its before/after state."""

from __future__ import annotations

from typing import Any

TITLES = {
    "cancel_pending_order": "Cancel order {order_id}",
    "modify_pending_order_address": "Change the shipping address of order {order_id}",
    "modify_pending_order_payment": "Change the payment method of order {order_id}",
    "modify_pending_order_items": "Change items of pending order {order_id} (only once!)",
    "return_delivered_order_items": "Return items of order {order_id}",
    "exchange_delivered_order_items": "Exchange items of order {order_id}",
    "modify_user_address": "Change your default address",
}


def _addr(a: dict[str, Any]) -> str:
    parts = [
        a.get("address1"),
        a.get("address2"),
        a.get("city"),
        a.get("state"),
        a.get("zip"),
        a.get("country"),
    ]
    return ", ".join(str(p) for p in parts if p)


def summarize(
    action: str, args: dict[str, Any], before: dict[str, Any], after: dict[str, Any]
) -> str:
    """Describe what confirming would change, in one short paragraph."""
    lines = [TITLES.get(action, action).format(order_id=args.get("order_id", ""))]
    if before.get("status") != after.get("status") and "status" in after:
        lines.append(f"status: {before.get('status')} → {after.get('status')}")
    if args.get("reason"):
        lines.append(f"reason: {args['reason']}")
    if before.get("address") != after.get("address"):
        lines.append(f"new address: {_addr(after.get('address', {}))}")
    if "item_ids" in args:
        names = {i["item_id"]: i["name"] for i in before.get("items", [])}
        olds = [f"{names.get(i, 'item')} {i}" for i in args["item_ids"]]
        lines.append("items: " + ", ".join(olds))
        if "new_item_ids" in args:
            lines.append("new items: " + ", ".join(args["new_item_ids"]))
    new_tx = after.get("payment_history", [])[len(before.get("payment_history", [])) :]
    for tx in new_tx:
        kind, amount, via = tx["transaction_type"], tx["amount"], tx["payment_method_id"]
        lines.append(f"{kind} of ${amount:.2f} via {via}")
    if "exchange_price_difference" in after and "exchange_price_difference" not in before:
        diff = after["exchange_price_difference"]
        lines.append(
            f"price difference: ${diff:.2f} "
            f"{'to pay' if diff > 0 else 'to refund'} via {args['payment_method_id']}"
        )
    if action == "return_delivered_order_items":
        lines.append(f"refund to: {args['payment_method_id']}")
    return "; ".join(lines)
