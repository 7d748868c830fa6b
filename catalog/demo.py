"""Deterministic, seeded demo-store generator.

The generator writes the same document shape as the tau2 retail ``db.json``
(``products``/``users``/``orders``), with extra product fields (category, brand,
description, attributes), a ``persona`` per customer (whose tastes their orders follow)
and a ``created_at`` per order, so one loader (:func:`catalog.importer.load_store_dict`)
serves both the demo store and real imported stores.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from tqdm import tqdm

from catalog.config import DemoStoreSettings
from catalog.demo_data import (
    BRANDS,
    CATEGORIES,
    CITIES,
    FIRST_NAMES,
    LAST_NAMES,
    MODEL_WORDS,
    PERSONAS,
    STREETS,
    ProductType,
)
from catalog.demo_reviews import generate_reviews, rate_from_reviews

StoreDict = dict[str, dict[str, Any]]
# Bumped whenever the same settings would generate a different store (caches key on it).
DEMO_VERSION = 4


def _digits(rng: random.Random, n: int, used: set[str]) -> str:
    while True:
        value = "".join(rng.choice("0123456789") for _ in range(n))
        if value[0] != "0" and value not in used:
            used.add(value)
            return value


def _describe(
    name: str, ptype: ProductType, brand: str, features: list[str], material: str, use: str
) -> str:
    lead = f"The {name} from {brand} is built for {use}."
    feat = "Features: " + ", ".join(features) + "."
    mat = f"Made of {material}."
    return f"{lead} {feat} {mat} A {ptype['name'].lower()} you can rely on."


def _product(
    rng: random.Random, category: str, ptype: ProductType, ids: set[str], names: set[str]
) -> dict[str, Any]:
    brand = rng.choice(BRANDS)
    features = rng.sample(ptype["features"], k=min(len(ptype["features"]), rng.randint(2, 4)))
    material = rng.choice(ptype["materials"])
    use = rng.choice(ptype["uses"])
    while True:
        model = f"{rng.choice(MODEL_WORDS)} {rng.randint(1, 9)}"
        lead = "Waterproof " if "waterproof" in features and rng.random() < 0.5 else ""
        name = f"{brand} {model} {lead}{ptype['name']}"
        if name not in names:
            names.add(name)
            break
    low, high = ptype["price"]
    base = round(rng.uniform(low, high), 2)
    option_names = list(ptype["options"])
    combos: set[tuple[str, ...]] = set()
    target = rng.randint(2, 6)
    for _ in range(target * 4):
        combos.add(tuple(rng.choice(ptype["options"][o]) for o in option_names))
        if len(combos) >= target:
            break
    variants: dict[str, Any] = {}
    for combo in sorted(combos):
        vid = _digits(rng, 10, ids)
        variants[vid] = {
            "item_id": vid,
            "options": dict(zip(option_names, combo, strict=True)),
            "available": rng.random() < 0.85,
            "price": round(max(1.0, base * rng.uniform(0.92, 1.08)), 2),
        }
    pid = _digits(rng, 10, ids)
    return {
        "product_id": pid,
        "name": name,
        "category": category,
        "brand": brand,
        "description": _describe(name, ptype, brand, features, material, use),
        "attributes": {
            "type": ptype["name"],
            "features": features,
            "material": material,
            "use": use,
            # the product's true quality: its reviews' stars lean on it, and then
            # rate_from_reviews replaces it with what those reviews say
            "rating": round(rng.uniform(3.2, 5.0), 1),
        },
        "variants": variants,
    }


def _user(rng: random.Random, ids: set[str]) -> dict[str, Any]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    uid = f"{first.lower()}_{last.lower()}_{_digits(rng, 4, ids)}"
    city, state, zip_prefix = rng.choice(CITIES)
    address = {
        "address1": f"{rng.randint(10, 999)} {rng.choice(STREETS)}",
        "address2": f"Suite {rng.randint(100, 999)}" if rng.random() < 0.4 else "",
        "city": city,
        "country": "USA",
        "state": state,
        "zip": f"{zip_prefix}{rng.randint(100, 999)}",
    }
    methods: dict[str, Any] = {}
    for source in rng.sample(["credit_card", "paypal", "gift_card"], k=rng.randint(1, 3)):
        mid = f"{source}_{_digits(rng, 7, ids)}"
        method: dict[str, Any] = {"source": source, "id": mid}
        if source == "credit_card":
            method.update(
                brand=rng.choice(["visa", "mastercard", "amex"]),
                last_four=f"{rng.randint(0, 9999):04d}",
            )
        if source == "gift_card":
            method["balance"] = float(rng.randint(0, 300))
        methods[mid] = method
    email = f"{first.lower()}.{last.lower()}{rng.randint(10, 9999)}@example.com"
    return {
        "user_id": uid,
        "name": {"first_name": first, "last_name": last},
        "address": address,
        "email": email,
        "payment_methods": methods,
        "orders": [],
    }


# Share of a customer's order lines drawn from their persona's product types.
PERSONA_SHARE = 0.85
# Orders are dated within this many days before the store's reference date.
HISTORY_DAYS = 365
REFERENCE_DATE = datetime(2026, 6, 1, tzinfo=UTC)
_STATUS_AGE = {"delivered": 0, "cancelled": 0, "processed": 1, "pending": 2}


def _pick_products(
    rng: random.Random, k: int, taste: list[dict[str, Any]], products: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``k`` distinct products, mostly from the customer's persona (``taste``)."""
    chosen: dict[str, dict[str, Any]] = {}
    while len(chosen) < k:
        pool = taste if taste and rng.random() < PERSONA_SHARE else products
        product = rng.choice(pool)
        chosen.setdefault(product["product_id"], product)
    return list(chosen.values())


def _order(
    rng: random.Random,
    user: dict[str, Any],
    products: list[dict[str, Any]],
    ids: set[str],
    taste: list[dict[str, Any]],
) -> dict[str, Any]:
    oid = f"#W{_digits(rng, 7, ids)}"
    items = []
    for product in _pick_products(rng, rng.randint(1, 4), taste, products):
        vid = rng.choice(sorted(product["variants"]))
        variant = product["variants"][vid]
        items.append(
            {
                "name": product["name"],
                "product_id": product["product_id"],
                "item_id": vid,
                "price": variant["price"],
                "options": dict(variant["options"]),
            }
        )
    status = rng.choices(["pending", "processed", "delivered", "cancelled"], [3, 2, 4, 1])[0]
    total = round(sum(i["price"] for i in items), 2)
    method = rng.choice(sorted(user["payment_methods"]))
    history = [{"transaction_type": "payment", "amount": total, "payment_method_id": method}]
    if status == "cancelled":
        history.append({"transaction_type": "refund", "amount": total, "payment_method_id": method})
    fulfillments = []
    if status in ("processed", "delivered"):
        fulfillments = [
            {"tracking_id": [_digits(rng, 12, ids)], "item_ids": [i["item_id"] for i in items]}
        ]
    return {
        "order_id": oid,
        "user_id": user["user_id"],
        "address": dict(user["address"]),
        "items": items,
        "status": status,
        "fulfillments": fulfillments,
        "payment_history": history,
    }


def generate_store(settings: DemoStoreSettings, *, progress: bool = True) -> StoreDict:
    """Generate a demo store document; the same settings always give the same store."""
    rng = random.Random(settings.seed)
    ids: set[str] = set()
    names: set[str] = set()
    plan = [(cat, pt) for cat, types in sorted(CATEGORIES.items()) for pt in types]
    products: dict[str, Any] = {}
    for i in tqdm(
        range(settings.products), desc="Generating products", disable=not progress, unit="product"
    ):
        category, ptype = plan[i % len(plan)] if i < len(plan) else rng.choice(plan)
        product = _product(rng, category, ptype, ids, names)
        products[product["product_id"]] = product
    catalog = list(products.values())
    by_type: dict[str, list[dict[str, Any]]] = {}
    for product in catalog:
        by_type.setdefault(product["attributes"]["type"], []).append(product)
    personas = sorted(PERSONAS)
    users: dict[str, Any] = {}
    orders: dict[str, Any] = {}
    for _ in tqdm(
        range(settings.users), desc="Generating customers", disable=not progress, unit="user"
    ):
        user = _user(rng, ids)
        user["persona"] = rng.choice(personas)
        taste = [p for t in PERSONAS[user["persona"]] for p in by_type.get(t, [])]
        users[user["user_id"]] = user
        placed = [
            _order(rng, user, catalog, ids, taste)
            for _ in range(rng.randint(0, settings.orders_per_user * 2))
        ]
        # Older orders are the settled ones; pending orders are the newest.
        placed.sort(key=lambda o: _STATUS_AGE[o["status"]])
        days = sorted(rng.uniform(0, HISTORY_DAYS) for _ in placed)
        for order, day in zip(placed, reversed(days), strict=True):
            stamp = REFERENCE_DATE - timedelta(days=day)
            order["created_at"] = stamp.isoformat(timespec="seconds")
            orders[order["order_id"]] = order
            user["orders"].append(order["order_id"])
    # Reviews draw from their own generator, so adding them left the rest of the store as it was.
    reviews = generate_reviews(products, seed=settings.seed, reference=REFERENCE_DATE)
    rate_from_reviews(products, reviews)
    return {"products": products, "users": users, "orders": orders, "reviews": reviews}
