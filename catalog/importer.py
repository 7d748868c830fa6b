"""Load a store document (tau2 retail ``db.json`` shape) into the SQL store.

The document has three maps: ``products`` (with ``variants``), ``users`` (with
``payment_methods``) and ``orders`` (with ``items``, ``fulfillments`` and
``payment_history``). Demo stores made by :mod:`catalog.demo` use the same shape plus
optional product fields ``category``, ``brand``, ``description`` and ``attributes``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session
from tqdm import tqdm

from catalog import models
from catalog.copywriting import ProductCopy
from catalog.db import create_schema
from catalog.errors import DataImportError
from catalog.reviews import Review

REQUIRED_KEYS = ("products", "users", "orders")
# Parents before children; deleting runs in reverse. Conversations are never touched.
_INSERT_ORDER: tuple[type[Any], ...] = (
    models.User,
    models.PaymentMethod,
    models.Product,
    models.Variant,
    models.Order,
    models.OrderItem,
    models.PaymentTransaction,
    Review,
)


def read_store_file(path: str | Path) -> dict[str, Any]:
    """Read and shape-check a tau2-style ``db.json``; raise DataImportError if unusable."""
    p = Path(path)
    if p.is_dir():
        p = p / "db.json"
    if not p.is_file():
        raise DataImportError(f"store file not found: {p}")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataImportError(f"{p} is not readable JSON: {exc}") from exc
    if not isinstance(data, dict) or any(not isinstance(data.get(k), dict) for k in REQUIRED_KEYS):
        raise DataImportError(
            f"{p} must be a JSON object with maps {', '.join(REQUIRED_KEYS)} (tau2 retail format)"
        )
    return data


def _tau2_description(name: str, variants: dict[str, Any]) -> str:
    options: dict[str, set[str]] = {}
    for v in variants.values():
        for key, value in v.get("options", {}).items():
            options.setdefault(key, set()).add(str(value))
    parts = [f"{k}: {', '.join(sorted(vals))}" for k, vals in sorted(options.items())]
    return f"{name}. Available options — " + "; ".join(parts) + "." if parts else name


def _product_rows(data: dict[str, Any]) -> list[models.Product | models.Variant]:
    rows: list[models.Product | models.Variant] = []
    for pid, p in data["products"].items():
        try:
            variants = p.get("variants", {})
            rows.append(
                models.Product(
                    id=str(p.get("product_id", pid)),
                    name=p["name"],
                    category=p.get("category") or p["name"],
                    brand=p.get("brand", ""),
                    description=p.get("description") or _tau2_description(p["name"], variants),
                    attributes=p.get("attributes") or {"type": p["name"]},
                )
            )
            for vid, v in variants.items():
                rows.append(
                    models.Variant(
                        id=str(v.get("item_id", vid)),
                        product_id=str(p.get("product_id", pid)),
                        options={k: str(val) for k, val in v.get("options", {}).items()},
                        price=round(float(v["price"]), 2),
                        available=bool(v.get("available", True)),
                    )
                )
        except (KeyError, TypeError, ValueError) as exc:
            raise DataImportError(f"product {pid!r} is malformed: {exc!r}") from exc
    return rows


def _user_rows(data: dict[str, Any]) -> list[models.User | models.PaymentMethod]:
    rows: list[models.User | models.PaymentMethod] = []
    for uid, u in data["users"].items():
        try:
            address = {k: str(v) for k, v in u.get("address", {}).items()}
            rows.append(
                models.User(
                    id=uid,
                    first_name=u["name"]["first_name"],
                    last_name=u["name"]["last_name"],
                    email=u["email"],
                    zip=address.get("zip", ""),
                    address=address,
                )
            )
            for mid, m in u.get("payment_methods", {}).items():
                balance = m.get("balance")
                rows.append(
                    models.PaymentMethod(
                        id=mid,
                        user_id=uid,
                        source=m["source"],
                        brand=m.get("brand"),
                        last_four=m.get("last_four"),
                        balance=None if balance is None else round(float(balance), 2),
                    )
                )
        except (KeyError, TypeError, ValueError) as exc:
            raise DataImportError(f"user {uid!r} is malformed: {exc!r}") from exc
    return rows


def _created_at(order: dict[str, Any]) -> dict[str, datetime]:
    """``created_at`` from an ISO-8601 ``created_at`` field, if the order has one."""
    raw = order.get("created_at")
    if raw is None:
        return {}
    stamp = datetime.fromisoformat(str(raw))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return {"created_at": stamp.astimezone(UTC)}


def _order_rows(data: dict[str, Any]) -> list[Any]:
    rows: list[Any] = []
    known = (
        "order_id",
        "user_id",
        "address",
        "items",
        "status",
        "fulfillments",
        "payment_history",
        "created_at",
    )
    for oid, o in data["orders"].items():
        try:
            rows.append(
                models.Order(
                    id=oid,
                    user_id=o["user_id"],
                    status=o["status"],
                    address={k: str(v) for k, v in o.get("address", {}).items()},
                    fulfillments=list(o.get("fulfillments", [])),
                    extra={k: v for k, v in o.items() if k not in known},
                    **_created_at(o),
                )
            )
            for pos, item in enumerate(o.get("items", [])):
                rows.append(
                    models.OrderItem(
                        order_id=oid,
                        position=pos,
                        item_id=str(item["item_id"]),
                        product_id=str(item["product_id"]),
                        name=item["name"],
                        price=round(float(item["price"]), 2),
                        options={k: str(v) for k, v in item.get("options", {}).items()},
                    )
                )
            for pos, tx in enumerate(o.get("payment_history", [])):
                rows.append(
                    models.PaymentTransaction(
                        order_id=oid,
                        position=pos,
                        transaction_type=tx["transaction_type"],
                        amount=round(float(tx["amount"]), 2),
                        payment_method_id=tx["payment_method_id"],
                    )
                )
        except (KeyError, TypeError, ValueError) as exc:
            raise DataImportError(f"order {oid!r} is malformed: {exc!r}") from exc
    return rows


def _review_rows(data: dict[str, Any]) -> list[Review]:
    """Rows of the optional ``reviews`` map (demo stores have one; tau2 stores do not)."""
    rows: list[Review] = []
    for rid, r in (data.get("reviews") or {}).items():
        try:
            if str(r["product_id"]) not in data["products"]:
                raise ValueError(f"unknown product {r['product_id']!r}")
            rows.append(
                Review(
                    id=str(rid),
                    product_id=str(r["product_id"]),
                    rating=int(r["rating"]),
                    title=str(r.get("title", "")),
                    text=str(r.get("text", "")),
                    author=str(r.get("author", "")),
                    **_created_at(r),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DataImportError(f"review {rid!r} is malformed: {exc!r}") from exc
    return rows


def load_store_dict(engine: Engine, data: dict[str, Any], *, progress: bool = True) -> None:
    """Replace the store's catalog, customers and orders with ``data`` in one transaction.

    Conversations and translations are kept; copy drafts of the old catalog are removed.
    Rows are validated before anything is deleted, so a malformed
    document leaves the current store untouched.
    """
    for key in REQUIRED_KEYS:
        if not isinstance(data.get(key), dict):
            raise DataImportError(f"store document lacks the map {key!r}")
    create_schema(engine)
    rows_all: list[Any] = [
        *_user_rows(data),
        *_product_rows(data),
        *_order_rows(data),
        *_review_rows(data),
    ]
    batches = [[r for r in rows_all if type(r) is table] for table in _INSERT_ORDER]
    total = len(rows_all)
    with (
        Session(engine) as session,
        tqdm(total=total, desc="Loading store", unit="row", disable=not progress) as bar,
    ):
        # Copy drafts belong to the old catalog's products (translations are keyed by
        # content hash and stay valid for any product whose text is unchanged).
        session.execute(delete(ProductCopy))
        for table in reversed(_INSERT_ORDER):
            session.execute(delete(table))
        session.flush()
        for rows in batches:
            for start in range(0, len(rows), 2000):
                chunk = rows[start : start + 2000]
                session.add_all(chunk)
                session.flush()
                bar.update(len(chunk))
        session.commit()


def import_store_file(engine: Engine, path: str | Path, *, progress: bool = True) -> None:
    """Import a tau2 retail ``db.json`` (or a folder holding one) into the store."""
    load_store_dict(engine, read_store_file(path), progress=progress)
