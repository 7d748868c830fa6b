"""Database-state grading, tau-bench style: replay the expected writes, compare hashes.

The run's final store and a second fresh copy with the expected actions replayed through
the order service (propose, then confirm: the same policy code) are exported, normalized
and hashed. Equal hashes mean the assistant did exactly the expected writes, no more.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from catalog.errors import ShopError
from catalog.orders.actions import WRITE_ACTIONS
from catalog.orders.auth import bind_conversation
from catalog.orders.service import OrderService
from catalog.orders.views import export_store


def normalize(doc: dict[str, Any]) -> dict[str, Any]:
    """Canonical store document: sorted order lists, money to cents, string option values."""
    out: dict[str, Any] = json.loads(json.dumps(doc))
    for user in out.get("users", {}).values():
        user["orders"] = sorted(user.get("orders", []))
        for m in user.get("payment_methods", {}).values():
            if m.get("balance") is not None:
                m["balance"] = round(float(m["balance"]), 2)
    for order in out.get("orders", {}).values():
        for tx in order.get("payment_history", []):
            tx["amount"] = round(float(tx["amount"]), 2)
        for item in order.get("items", []):
            item["price"] = round(float(item["price"]), 2)
            item["options"] = {k: str(v) for k, v in item.get("options", {}).items()}
        order["address"] = {k: str(v) for k, v in order.get("address", {}).items()}
    for product in out.get("products", {}).values():
        for v in product.get("variants", {}).values():
            v["options"] = {k: str(x) for k, x in v.get("options", {}).items()}
            v["price"] = round(float(v["price"]), 2)
    return out


def store_document(engine: Engine) -> dict[str, Any]:
    """Export and normalize the whole store (catalog, customers, orders, payments)."""
    with Session(engine) as session:
        return normalize(export_store(session))


def store_hash(engine: Engine) -> str:
    """SHA-256 of the normalized store document (conversations and audit rows excluded)."""
    blob = json.dumps(store_document(engine), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass
class ReplayResult:
    """The expected store's hash, or why the expected actions could not be replayed."""

    hash: str
    refused: list[str] = field(default_factory=list)


def replay_actions(
    engine: Engine, user_id: str | None, actions: list[dict[str, Any]]
) -> ReplayResult:
    """Apply ``actions`` (name + arguments) as ``user_id`` through propose + confirm."""
    service = OrderService(engine, identity="tau2", check_typed=False)
    conversation = "eval-replay"
    refused: list[str] = []
    if user_id is not None:
        bind_conversation(engine, conversation, user_id)
    for step, action in enumerate(actions):
        name, args = str(action["name"]), dict(action.get("arguments") or {})
        if name not in WRITE_ACTIONS:
            refused.append(f"{name}: not a write action ({', '.join(sorted(WRITE_ACTIONS))})")
            continue
        if user_id is None:
            refused.append(f"{name}: the scenario has no customer to act as")
            continue
        try:
            proposal = service.propose(conversation, user_id, name, args, turn_id=f"p{step}")
            service.confirm(conversation, user_id, proposal.token, turn_id=f"c{step}")
        except ShopError as exc:
            refused.append(f"{name}: {exc.message}")
    return ReplayResult(store_hash(engine), refused)


def diff_documents(
    ours: dict[str, Any], expected: dict[str, Any], path: str = "", limit: int = 20
) -> list[str]:
    """Human-readable differences between two store documents (first ``limit``)."""
    out: list[str] = []

    def walk(a: Any, b: Any, where: str) -> None:
        if len(out) >= limit:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b)):
                if k not in a:
                    out.append(f"{where}/{k}: missing, expected {json.dumps(b[k])[:100]}")
                elif k not in b:
                    out.append(f"{where}/{k}: unexpected {json.dumps(a[k])[:100]}")
                else:
                    walk(a[k], b[k], f"{where}/{k}")
        elif a != b:
            out.append(f"{where}: got {json.dumps(a)[:100]}, expected {json.dumps(b)[:100]}")

    walk(ours, expected, path)
    return out
