"""Reference semantics of the tau2 retail write actions, applied to the raw JSON document.

Written independently of ``catalog.orders`` (no shared code) so that the policy replay
compares two implementations of the documented rules. Invalid actions raise ValueError.
"""

from __future__ import annotations

import copy
from typing import Any

Doc = dict[str, dict[str, Any]]


def _r(x: float) -> float:
    return round(x + 0.0, 2)


def _variant(doc: Doc, product_id: str, item_id: str) -> dict[str, Any]:
    variants = doc["products"][product_id]["variants"]
    if item_id not in variants:
        raise ValueError(f"variant {item_id} not in product {product_id}")
    return variants[item_id]


def _swap_diff(
    doc: Doc, order: dict[str, Any], item_ids: list[str], new_item_ids: list[str]
) -> float:
    if len(item_ids) != len(new_item_ids):
        raise ValueError("length mismatch")
    ids = [i["item_id"] for i in order["items"]]
    for i in set(item_ids):
        if item_ids.count(i) > ids.count(i):
            raise ValueError(f"{i} not in order")
    diff = 0.0
    for old, new in zip(item_ids, new_item_ids, strict=True):
        item = next(i for i in order["items"] if i["item_id"] == old)
        variant = _variant(doc, item["product_id"], new)
        if not variant["available"] or new == old:
            raise ValueError(f"{new} unavailable or unchanged")
        diff += variant["price"] - item["price"]
    return _r(diff)


def _gift_ok(method: dict[str, Any], amount: float) -> None:
    if method["source"] == "gift_card" and method["balance"] < amount:
        raise ValueError("insufficient gift card balance")


def apply(doc: Doc, name: str, args: dict[str, Any]) -> Doc:
    """Return a new document with action ``name`` applied (reads return ``doc`` unchanged)."""
    doc = copy.deepcopy(doc)
    a = args
    if name == "cancel_pending_order":
        order = doc["orders"][a["order_id"]]
        if order["status"] != "pending" or a["reason"] not in (
            "no longer needed",
            "ordered by mistake",
        ):
            raise ValueError("cannot cancel")
        methods = doc["users"][order["user_id"]]["payment_methods"]
        refunds = []
        for p in order["payment_history"]:
            refunds.append(
                {
                    "transaction_type": "refund",
                    "amount": p["amount"],
                    "payment_method_id": p["payment_method_id"],
                }
            )
            m = methods[p["payment_method_id"]]
            if m["source"] == "gift_card":
                m["balance"] = _r(m["balance"] + p["amount"])
        order["payment_history"].extend(refunds)
        order["status"] = "cancelled"
        order["cancel_reason"] = a["reason"]
    elif name == "modify_pending_order_address":
        order = doc["orders"][a["order_id"]]
        if order["status"] != "pending":
            raise ValueError("not pending")
        order["address"] = {
            k: a[k] for k in ("address1", "address2", "city", "state", "country", "zip")
        }
    elif name == "modify_user_address":
        user = doc["users"][a["user_id"]]
        user["address"] = {
            k: a[k] for k in ("address1", "address2", "city", "state", "country", "zip")
        }
    elif name == "modify_pending_order_payment":
        order = doc["orders"][a["order_id"]]
        methods = doc["users"][order["user_id"]]["payment_methods"]
        old = order["payment_history"][0]
        if (
            order["status"] != "pending"
            or len(order["payment_history"]) != 1
            or a["payment_method_id"] == old["payment_method_id"]
        ):
            raise ValueError("cannot change payment")
        new = methods[a["payment_method_id"]]
        _gift_ok(new, old["amount"])
        order["payment_history"] += [
            {
                "transaction_type": "payment",
                "amount": old["amount"],
                "payment_method_id": new["id"],
            },
            {
                "transaction_type": "refund",
                "amount": old["amount"],
                "payment_method_id": old["payment_method_id"],
            },
        ]
        if new["source"] == "gift_card":
            new["balance"] = _r(new["balance"] - old["amount"])
        if methods[old["payment_method_id"]]["source"] == "gift_card":
            methods[old["payment_method_id"]]["balance"] = _r(
                methods[old["payment_method_id"]]["balance"] + old["amount"]
            )
    elif name == "modify_pending_order_items":
        order = doc["orders"][a["order_id"]]
        if order["status"] != "pending":
            raise ValueError("not pending")
        diff = _swap_diff(doc, order, a["item_ids"], a["new_item_ids"])
        method = doc["users"][order["user_id"]]["payment_methods"][a["payment_method_id"]]
        _gift_ok(method, diff)
        if diff != 0:
            order["payment_history"].append(
                {
                    "transaction_type": "payment" if diff > 0 else "refund",
                    "amount": abs(diff),
                    "payment_method_id": a["payment_method_id"],
                }
            )
        if method["source"] == "gift_card":
            method["balance"] = _r(method["balance"] - diff)
        taken: set[int] = set()
        for old, new in zip(a["item_ids"], a["new_item_ids"], strict=True):
            idx = next(
                i for i, it in enumerate(order["items"]) if it["item_id"] == old and i not in taken
            )
            taken.add(idx)
            item = order["items"][idx]
            variant = _variant(doc, item["product_id"], new)
            item.update(item_id=new, price=variant["price"], options=dict(variant["options"]))
        order["status"] = "pending (item modified)"
    elif name == "return_delivered_order_items":
        order = doc["orders"][a["order_id"]]
        method = doc["users"][order["user_id"]]["payment_methods"][a["payment_method_id"]]
        if order["status"] != "delivered" or (
            method["source"] != "gift_card"
            and a["payment_method_id"] != order["payment_history"][0]["payment_method_id"]
        ):
            raise ValueError("cannot return")
        order["status"] = "return requested"
        order["return_items"] = sorted(a["item_ids"])
        order["return_payment_method_id"] = a["payment_method_id"]
    elif name == "exchange_delivered_order_items":
        order = doc["orders"][a["order_id"]]
        if order["status"] != "delivered":
            raise ValueError("not delivered")
        diff = _swap_diff(doc, order, a["item_ids"], a["new_item_ids"])
        _gift_ok(doc["users"][order["user_id"]]["payment_methods"][a["payment_method_id"]], diff)
        order["status"] = "exchange requested"
        order["exchange_items"] = sorted(a["item_ids"])
        order["exchange_new_items"] = sorted(a["new_item_ids"])
        order["exchange_payment_method_id"] = a["payment_method_id"]
        order["exchange_price_difference"] = diff
    return doc


def check_read(doc: Doc, name: str, args: dict[str, Any]) -> None:
    """Raise ValueError when a read action would fail on ``doc`` (unknown ids, no match)."""
    a = args
    if name == "find_user_id_by_email":
        if not any(u["email"].lower() == a["email"].lower() for u in doc["users"].values()):
            raise ValueError("no user with that email")
    elif name == "find_user_id_by_name_zip":
        if not any(
            u["name"]["first_name"].lower() == a["first_name"].lower()
            and u["name"]["last_name"].lower() == a["last_name"].lower()
            and u["address"]["zip"] == a["zip"]
            for u in doc["users"].values()
        ):
            raise ValueError("no user with that name and zip")
    elif name == "get_order_details" and a["order_id"] not in doc["orders"]:
        raise ValueError("no such order")
    elif name == "get_user_details" and a["user_id"] not in doc["users"]:
        raise ValueError("no such user")
    elif name == "get_product_details" and a["product_id"] not in doc["products"]:
        raise ValueError("no such product")
